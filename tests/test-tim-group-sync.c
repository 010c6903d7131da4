/* test-tim-group-sync.c: a group as a member's client keeps up with it across being away. Group
 * messages that arrive within one second of the last one known here, read at the next login, are
 * read on the server too (the read goes by sequence, not by time). */
#define G_LOG_DOMAIN "test-tim-group-sync"

#include "config.h"

#include "tim-client.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static void
send_group_text (TimClient *from, const char *group_id, const char *text, gint64 *time)
{
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (from, group_id, TIM_CONV_GROUP, text);
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_send (from, message, &error));
  g_assert_no_error (error);
  if (time != NULL)
    *time = tim_message_get_time (message);
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  const char *text;
} LastIs;

static gboolean
last_is (gpointer data)
{
  LastIs *want = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (want->client), want->conversation_id);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), want->text) == 0;
}

static guint
unread_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  g_assert_nonnull (conversation);
  return tim_conversation_get_unread_count (conversation);
}

/* Waits for the start of a second of the server's clock (ours: same machine), so that what
 * follows at once shares it. */
static void
wait_for_next_second (void)
{
  gint64 now = g_get_real_time ();

  g_usleep (G_USEC_PER_SEC - now % G_USEC_PER_SEC + 20 * 1000);
}

/* Five group messages in one second: bob's client sees the first, is away for the other four,
 * and logs in again. Its conversation's last message is the newest (by sequence: they all share
 * a second), and reading the group reads all five on the server, as a fresh device of bob's and
 * this one after another login say. */
static void
test_read_same_second (void)
{
  const char *members[] = { "bob", NULL };
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (TimClient) fresh = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = tim_test_create_group (alice, "Same second", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *fresh_dir = g_build_filename (base_dir, "bob-fresh", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  LastIs first = { bob, conversation_id, "m1" };
  LastIs fifth = { bob, conversation_id, "m5" };
  gboolean one_second = FALSE;

  /* A slow moment may spread them over two seconds, which is not the case wanted: again then. */
  for (guint attempt = 0; attempt < 5 && !one_second; attempt++)
    {
      gint64 t1 = 0, t5 = 0;

      if (!tim_client_get_is_ready (bob))
        tim_test_client_login (fixture, bob, "bob");
      wait_for_next_second ();
      send_group_text (alice, group_id, "m1", &t1);
      g_assert_true (tim_test_wait_until (last_is, &first, 10000));
      tim_client_logout (bob);
      for (guint i = 2; i <= 5; i++)
        {
          g_autofree char *text = g_strdup_printf ("m%u", i);

          send_group_text (alice, group_id, text, &t5);
        }
      one_second = t1 == t5;
    }
  g_assert_true (one_second);

  tim_test_client_login (fixture, bob, "bob");
  g_assert_true (last_is (&fifth));
  g_assert_cmpuint (unread_of (bob, conversation_id), >=, 4);
  tim_client_set_message_read_async (bob, conversation_id, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_set_message_read_finish (bob, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (unread_of (bob, conversation_id), ==, 0);

  /* The server's word: a fresh device, and this one after another login. */
  fresh = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), fresh_dir);
  tim_test_client_login (fixture, fresh, "bob");
  g_assert_cmpuint (unread_of (fresh, conversation_id), ==, 0);
  tim_client_logout (bob);
  tim_test_client_login (fixture, bob, "bob");
  g_assert_cmpuint (unread_of (bob, conversation_id), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/group-sync/read-same-second", test_read_same_second);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
