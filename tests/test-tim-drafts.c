/* test-tim-drafts.c: conversation drafts (the native SDKs' setConversationDraft) through libtim
 * and the real server: a listed conversation shows its draft and tells when it changes; a draft
 * may wait for a conversation that is not listed yet; drafts survive a restart; deleting the
 * conversation, or leaving the group, removes its draft; bad input is refused with its TIM code
 * and changes nothing. */
#define G_LOG_DOMAIN "test-tim-drafts"

#include "config.h"

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static TimConversation *
listed (TimClient *client, const char *conversation_id)
{
  return tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);
}

static void
assert_draft (TimClient *client, const char *conversation_id, const char *expected)
{
  g_autofree char *draft = tim_client_dup_conversation_draft (client, conversation_id);
  TimConversation *conversation = listed (client, conversation_id);

  g_assert_cmpstr (draft, ==, expected);
  if (conversation != NULL)
    g_assert_cmpstr (tim_conversation_get_draft_text (conversation), ==, expected);
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
assert_refused (TimClient *client, const char *conversation_id, const char *text, int code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (tim_client_set_conversation_draft (client, conversation_id, text, &error));
  g_assert_error (error, TIM_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
}

static void
set_draft (TimClient *client, const char *conversation_id, const char *text)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_client_set_conversation_draft (client, conversation_id, text, &error));
  g_assert_no_error (error);
}

static gboolean
is_listed (gpointer data)
{
  const char *const *what = data;

  return listed ((TimClient *) what[0], what[1]) != NULL;
}

/* user's client again, on the same local store (the app started anew), logged in. */
static TimClient *
restarted (const char *user)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *dir = g_build_filename (base_dir, user, NULL);
  TimClient *client = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);

  tim_test_client_login (fixture, client, user);
  return client;
}

static void
test_drafts (void)
{
  g_autofree char *lee_dir = g_build_filename (base_dir, "lee", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) mo = tim_test_client_new (fixture, base_dir, "mo");
  g_autoptr (TimClient) lee = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), lee_dir);
  g_autoptr (TimMessage) hello = tim_client_create_text_message (kim, "lee", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) got = NULL;
  g_autofree char *too_long = g_strnfill (TIM_DRAFT_MAX_BYTES + 1, 'x');
  g_autofree char *group_id = NULL;
  g_autofree char *group_conversation = NULL;
  const char *members[] = { "kim", NULL };
  guint notified = 0;

  /* Not before login: drafts are the account's. */
  assert_refused (lee, "C2Ckim", "early", TIM_ERROR_NOT_LOGGED_IN);
  tim_test_client_login (fixture, lee, "lee");
  got = tim_test_send_and_receive (kim, lee, hello);

  /* A listed conversation shows its draft, and tells. */
  assert_draft (lee, "C2Ckim", "");
  g_signal_connect (listed (lee, "C2Ckim"), "notify::draft-text", G_CALLBACK (count_notify),
                    &notified);
  set_draft (lee, "C2Ckim", "half a thought 😁\nsecond line");
  assert_draft (lee, "C2Ckim", "half a thought 😁\nsecond line");
  g_assert_cmpuint (notified, ==, 1);
  set_draft (lee, "C2Ckim", "half a thought 😁\nsecond line");
  g_assert_cmpuint (notified, ==, 1);

  /* Bad input changes nothing. */
  assert_refused (lee, "bogus", "x", TIM_ERROR_INVALID_CONVERSATION_ID);
  assert_refused (lee, "@TIM#SYSTEM", "x", TIM_ERROR_INVALID_CONVERSATION_ID);
  assert_refused (lee, "C2Ckim", "bad \xff utf-8", TIM_ERROR_INVALID_PARAMETER);
  assert_refused (lee, "C2Ckim", too_long, TIM_ERROR_INVALID_PARAMETER);
  assert_draft (lee, "C2Ckim", "half a thought 😁\nsecond line");
  g_assert_cmpuint (notified, ==, 1);

  /* The largest draft is kept whole. */
  too_long[TIM_DRAFT_MAX_BYTES] = '\0';
  set_draft (lee, "C2Ckim", too_long);
  assert_draft (lee, "C2Ckim", too_long);
  set_draft (lee, "C2Ckim", "half a thought");

  /* Waiting for a conversation not listed: the first message brings it with its draft. */
  set_draft (lee, "C2Cmo", "to mo, when they write");
  g_assert_null (listed (lee, "C2Cmo"));
  assert_draft (lee, "C2Cmo", "to mo, when they write");
  {
    g_autoptr (TimMessage) from_mo = tim_client_create_text_message (mo, "lee", TIM_CONV_C2C, "yo");
    g_autoptr (TimMessage) arrived = tim_test_send_and_receive (mo, lee, from_mo);
  }
  g_assert_nonnull (listed (lee, "C2Cmo"));
  assert_draft (lee, "C2Cmo", "to mo, when they write");

  /* A group's too. */
  group_id = tim_test_create_group (lee, "Drafters", members);
  group_conversation = g_strconcat ("GROUP", group_id, NULL);
  g_assert_true (tim_test_wait_until (
      is_listed, (gpointer) (const char *[]){ (gpointer) lee, group_conversation }, 5000));
  set_draft (lee, group_conversation, "to the group");
  set_draft (kim, group_conversation, "kim's own");

  /* A restart: every draft is back, listed or from the cache, before and after the resync. */
  g_clear_object (&lee);
  lee = restarted ("lee");
  assert_draft (lee, "C2Ckim", "half a thought");
  assert_draft (lee, "C2Cmo", "to mo, when they write");
  assert_draft (lee, group_conversation, "to the group");
  assert_draft (kim, group_conversation, "kim's own");

  /* Cleared, it stays cleared. */
  set_draft (lee, "C2Ckim", "");
  assert_draft (lee, "C2Ckim", "");
  set_draft (lee, "C2Ckim", "again");
  set_draft (lee, "C2Ckim", NULL);
  assert_draft (lee, "C2Ckim", "");

  /* Deleting the conversation removes its draft; a new message brings it back without one. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (TimMessage) again = tim_client_create_text_message (mo, "lee", TIM_CONV_C2C, "hm");
    g_autoptr (TimMessage) arrived = NULL;

    tim_client_delete_conversation_async (lee, "C2Cmo", NULL, tim_test_keep_result, &result);
    g_assert_true (
        tim_client_delete_conversation_finish (lee, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
    assert_draft (lee, "C2Cmo", "");
    arrived = tim_test_send_and_receive (mo, lee, again);
    assert_draft (lee, "C2Cmo", "");
  }

  /* Leaving the group removes its draft. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_quit_group_async (kim, group_id, NULL, tim_test_keep_result, &result);
    g_assert_true (tim_client_quit_group_finish (kim, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
    assert_draft (kim, group_conversation, "");
    assert_draft (lee, group_conversation, "to the group");
  }

  /* After the restart too. */
  g_clear_object (&lee);
  lee = restarted ("lee");
  assert_draft (lee, "C2Ckim", "");
  assert_draft (lee, "C2Cmo", "");
  assert_draft (lee, group_conversation, "to the group");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/drafts/kept", test_drafts);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
