/* test-tim-typing.c: "typing…" through libtim and the real server: the peer's conversation shows
 * the user typing until they stop, send, or go quiet for TIM_TYPING_EXPIRE_MS; notices are
 * throttled to one per TIM_TYPING_RESEND_MS; a TUIKit-style notice made by hand (an online-only
 * custom message) works the same; nothing is kept, counted or listed. */
#define G_LOG_DOMAIN "test-tim-typing"

#include "config.h"

#include "tim-client-private.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  gboolean want;
} TypingWait;

static gboolean
typing_is (gpointer data)
{
  TypingWait *w = data;
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (w->client), w->conversation_id);

  return conversation != NULL && tim_conversation_get_peer_typing (conversation) == w->want;
}

static void
wait_typing (TimClient *client, const char *conversation_id, gboolean want, guint timeout_ms)
{
  TypingWait w = { client, conversation_id, want };

  g_assert_true (tim_test_wait_until (typing_is, &w, timeout_ms));
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
count_pushes (TimTransport *transport, const char *servcmd, JsonObject *body, guint *count)
{
  (*count)++;
}

static void
test_typing (void)
{
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon");
  g_autoptr (TimMessage) hello = tim_client_create_text_message (ivy, "jon", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (ivy, jon, hello);
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  TimConversation *at_jon =
      tim_conversation_list_lookup (tim_client_get_conversations (jon), "C2Civy");
  guint unread = tim_conversation_get_unread_count (at_jon);
  TimMessage *last = tim_conversation_get_last_message (at_jon);
  gulong collecting = tim_test_collect (jon, "message-received", received);

  /* Typing, then stopped. */
  tim_client_set_typing (ivy, "C2Cjon", TRUE);
  wait_typing (jon, "C2Civy", TRUE, 5000);
  tim_client_set_typing (ivy, "C2Cjon", FALSE);
  wait_typing (jon, "C2Civy", FALSE, 5000);

  /* Typing, then the message: the message ends it. */
  tim_client_set_typing (ivy, "C2Cjon", TRUE);
  wait_typing (jon, "C2Civy", TRUE, 5000);
  {
    g_autoptr (TimMessage) reply =
        tim_client_create_text_message (ivy, "jon", TIM_CONV_C2C, "here it is");
    g_autoptr (TimMessage) arrived = tim_test_send_and_receive (ivy, jon, reply);

    g_assert_false (tim_conversation_get_peer_typing (at_jon));
    last = tim_conversation_get_last_message (at_jon);
    unread = tim_conversation_get_unread_count (at_jon);
  }
  /* Only the message was announced, listed and counted, not the notices. */
  g_assert_cmpuint (received->len, ==, 1);
  g_signal_handler_disconnect (jon, collecting);

  /* A notice never followed by "stopped" (the peer's app closed) expires. */
  tim_client_set_typing (ivy, "C2Cjon", FALSE); /* nothing to stop: ivy's last notice was sent */
  {
    /* The typing notice exactly as TUIKit sends it, made by hand. */
    g_autoptr (TimMessage) tuikit = tim_client_create_custom_message (
        ivy, "jon", TIM_CONV_C2C,
        "{\"businessID\":\"user_typing_status\",\"typingStatus\":1,\"version\":1,"
        "\"userAction\":14,\"actionParam\":\"EIMAMSG_InputStatus_Ing\"}",
        "", "");
    g_autoptr (TimSendOptions) options = tim_send_options_new ();
    g_autoptr (GError) error = NULL;
    gint64 started;

    options->online_user_only = TRUE;
    g_assert_true (tim_test_send_with_options (ivy, tuikit, options, &error));
    g_assert_no_error (error);
    wait_typing (jon, "C2Civy", TRUE, 5000);
    started = g_get_monotonic_time ();
    wait_typing (jon, "C2Civy", FALSE, TIM_TYPING_EXPIRE_MS + 3000);
    g_assert_cmpint (g_get_monotonic_time () - started, >=,
                     (TIM_TYPING_EXPIRE_MS - 1000) * G_TIME_SPAN_MILLISECOND);
  }
  g_assert_cmpuint (tim_conversation_get_unread_count (at_jon), ==, unread);
  g_assert_true (tim_conversation_get_last_message (at_jon) == last);

  /* Throttled: typing on and on sends one notice per TIM_TYPING_RESEND_MS. */
  {
    guint pushes = 0;
    TimTransport *transport = jon->transport; /* what reaches jon's socket */
    gulong handler;

    handler = g_signal_connect (transport, "push", G_CALLBACK (count_pushes), &pushes);
    for (int i = 0; i < 20; i++)
      {
        tim_client_set_typing (ivy, "C2Cjon", TRUE);
        tim_test_wait_until (never, NULL, 50);
      }
    wait_typing (jon, "C2Civy", TRUE, 5000);
    g_assert_cmpuint (pushes, ==, 1);
    g_signal_handler_disconnect (transport, handler);
  }
}

/* The throttle is the account's: a "typing" another account sent from this client just before
 * (to the same peer) does not hold back the notices of the account logged in now. */
static void
test_typing_after_account_switch (void)
{
  g_autoptr (TimClient) jo = tim_test_client_new (fixture, base_dir, "ts-jo");
  g_autofree char *dir = g_build_filename (base_dir, "ts-shared", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autoptr (TimClient) shared = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (TimMessage) got = NULL;

  /* ts-liv writes to ts-jo first, so that ts-jo lists the conversation that shows her typing. */
  tim_test_client_login (fixture, shared, "ts-liv");
  hello = tim_client_create_text_message (shared, "ts-jo", TIM_CONV_C2C, "hi");
  got = tim_test_send_and_receive (shared, jo, hello);

  /* Another account of this client types to the same peer, and logs out. */
  tim_client_logout (shared);
  tim_test_client_login (fixture, shared, "ts-kai");
  tim_client_set_typing (shared, "C2Cts-jo", TRUE);
  tim_client_logout (shared);

  /* Within TIM_TYPING_RESEND_MS of that: ts-liv's own notice goes. */
  tim_test_client_login (fixture, shared, "ts-liv");
  tim_client_set_typing (shared, "C2Cts-jo", TRUE);
  wait_typing (jo, "C2Cts-liv", TRUE, TIM_TYPING_RESEND_MS / 2);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/typing/typing", test_typing);
  g_test_add_func ("/tim/typing/after-account-switch", test_typing_after_account_switch);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
