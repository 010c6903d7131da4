/* test-tim-outbox.c: nothing is lost or doubled: a client process killed (SIGKILL) in the middle
 * of a burst of sends and of an upload, the server killed and restarted while sending, the
 * network cut (server stopped) and restored, and a logout while a send waits for its answer.
 * Every message arrives exactly once, in order. */
#define G_LOG_DOMAIN "test-tim-outbox"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-local-store.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

#define BURST 40

static TimchatFixture *fixture;
static char *base_dir;

/* All texts of a conversation as the peer's client pages them, once the peer has heard of the
 * last one (pushes reach the peer a moment after the sender's acknowledgements). */
static GPtrArray *
texts_seen_by (TimClient *client, const char *conversation_id, const char *last_text)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;
  TimTestLastText want = { client, conversation_id, last_text };

  if (last_text != NULL)
    g_assert_true (tim_test_wait_until (tim_test_last_text_is, &want, 30000));

  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (client, conversation_id, cursor, &next, &completed, &error);

      g_assert_no_error (error);
      for (guint i = page->len; i > 0; i--)
        {
          TimMessage *message = page->pdata[i - 1];
          const char *text =
              tim_message_get_elem_type (message) == TIM_ELEM_TEXT
                  ? tim_message_get_text (message)
                  : tim_json_get_string (tim_message_get_payload (message), "fileName");
          g_ptr_array_insert (texts, 0, g_strdup (text));
        }
    }
  return texts;
}

static void
assert_exactly_once_in_order (GPtrArray *texts, const char *prefix, guint count)
{
  guint next = 0;

  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%s %03u", prefix, next);

      /* A group's tips have no text. */
      if (texts->pdata[i] == NULL || !g_str_has_prefix (texts->pdata[i], prefix))
        continue;
      g_assert_cmpstr (texts->pdata[i], ==, expected);
      next++;
    }
  g_assert_cmpuint (next, ==, count);
}

static void
on_sent_count (GObject *source, GAsyncResult *result, gpointer user_data)
{
  if (tim_client_send_message_finish (TIM_CLIENT (source), result, NULL))
    (*(guint *) user_data)++;
}

/* The child: queue a burst, die by SIGKILL once a few are acknowledged. */
static void
burst_then_die (void)
{
  g_autoptr (TimClient) client = tim_test_client_new (fixture, base_dir, "alice");
  guint acked = 0;

  for (guint i = 0; i < BURST; i++)
    {
      g_autofree char *text = g_strdup_printf ("burst %03u", i);
      g_autoptr (TimMessage) message =
          tim_client_create_text_message (client, "bob", TIM_CONV_C2C, text);

      tim_client_send_message_async (client, message, NULL, NULL, NULL, NULL, on_sent_count,
                                     &acked);
    }
  while (acked < 5)
    g_main_context_iteration (NULL, TRUE);
  kill (getpid (), SIGKILL);
}

static gboolean
outbox_empty (gpointer data)
{
  TimClient *client = data;
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cbob");
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && tim_message_get_status (last) == TIM_MESSAGE_STATUS_SUCCESS &&
         g_strcmp0 (tim_message_get_text (last), "burst 039") == 0;
}

static void
test_kill_during_burst (void)
{
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (TimClient) alice = NULL;
  g_autoptr (GPtrArray) texts = NULL;

  if (g_test_subprocess ())
    {
      burst_then_die ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed (); /* it died by SIGKILL, as planned */

  /* The same account and data dir again: the outbox resumes by itself. */
  alice = tim_test_client_new (fixture, base_dir, "alice");
  g_assert_true (tim_test_wait_until (outbox_empty, alice, 30000));
  texts = texts_seen_by (bob, "C2Calice", "burst 039");
  assert_exactly_once_in_order (texts, "burst", BURST);
}

static void
upload_then_die (void)
{
  g_autoptr (TimClient) client = tim_test_client_new (fixture, base_dir, "carol");
  g_autofree char *path = g_build_filename (base_dir, "big.bin", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) message =
      tim_client_create_file_message (client, "dave", TIM_CONV_C2C, file);

  tim_client_send_message_async (client, message, NULL, NULL, NULL, NULL, NULL, NULL);
  while (tim_message_get_upload_progress (message) < 0.3)
    g_main_context_iteration (NULL, TRUE);
  kill (getpid (), SIGKILL);
}

static gboolean
file_sent (gpointer data)
{
  TimClient *client = data;
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cdave");
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && tim_message_get_status (last) == TIM_MESSAGE_STATUS_SUCCESS;
}

static void
test_kill_during_upload (void)
{
  g_autofree char *path = g_build_filename (base_dir, "big.bin", NULL);
  g_autoptr (TimClient) dave = tim_test_client_new (fixture, base_dir, "dave");
  g_autoptr (TimClient) carol = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;

  if (g_test_subprocess ())
    {
      upload_then_die ();
      return;
    }
  {
    gsize size = 40 * 1024 * 1024;
    g_autofree char *data = g_malloc (size);

    for (gsize i = 0; i < size; i++)
      data[i] = (char) (i * 7);
    g_assert_true (g_file_set_contents (path, data, size, &error));
  }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  carol = tim_test_client_new (fixture, base_dir, "carol");
  g_assert_true (tim_test_wait_until (file_sent, carol, 60000));
  texts = texts_seen_by (dave, "C2Ccarol", NULL);
  g_assert_cmpuint (texts->len, ==, 1);
  g_assert_cmpstr (texts->pdata[0], ==, "big.bin");
}

typedef struct
{
  TimClient *client;
  guint acked;
} Sender;

static gboolean
all_acked (gpointer data)
{
  return ((Sender *) data)->acked == BURST;
}

static void
send_burst (TimClient *client, const char *to, const char *prefix, guint *acked)
{
  for (guint i = 0; i < BURST; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %03u", prefix, i);
      g_autoptr (TimMessage) message =
          tim_client_create_text_message (client, to, TIM_CONV_C2C, text);

      tim_client_send_message_async (client, message, NULL, NULL, NULL, NULL, on_sent_count, acked);
    }
}

static void
test_server_killed_while_sending (void)
{
  g_autoptr (TimClient) erin = tim_test_client_new (fixture, base_dir, "erin");
  g_autoptr (TimClient) frank = tim_test_client_new (fixture, base_dir, "frank");
  g_autoptr (GPtrArray) texts = NULL;
  Sender sender = { erin, 0 };

  send_burst (erin, "frank", "crash", &sender.acked);
  while (sender.acked < 5)
    g_main_context_iteration (NULL, TRUE);
  timchat_fixture_kill (fixture); /* SIGKILL: acknowledged messages are on disk */
  g_usleep (300 * 1000);
  timchat_fixture_restart (fixture); /* same port: the clients reconnect by themselves */
  g_assert_true (tim_test_wait_until (all_acked, &sender, 60000));
  texts = texts_seen_by (frank, "C2Cerin", "crash 039");
  assert_exactly_once_in_order (texts, "crash", BURST);
}

static void
test_network_cut (void)
{
  g_autoptr (TimClient) gina = tim_test_client_new (fixture, base_dir, "gina");
  g_autoptr (TimClient) hank = tim_test_client_new (fixture, base_dir, "hank");
  g_autoptr (GPtrArray) texts = NULL;
  Sender sender = { gina, 0 };

  timchat_fixture_stop (fixture);
  /* Offline: the messages wait in the outbox, "unSend", nothing fails. */
  send_burst (gina, "hank", "offline", &sender.acked);
  for (int i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
  g_assert_cmpuint (sender.acked, ==, 0);
  g_assert_cmpint (tim_client_get_net_state (gina), !=, TIM_NET_STATE_CONNECTED);
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (all_acked, &sender, 60000));
  texts = texts_seen_by (hank, "C2Cgina", "offline 039");
  assert_exactly_once_in_order (texts, "offline", BURST);
}

/* The last message is the one wanted, and the server has it. */
static gboolean
last_is_delivered (gpointer data)
{
  TimTestLastText *want = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (want->client), want->conversation_id);

  return tim_test_last_text_is (want) &&
         tim_message_get_status (tim_conversation_get_last_message (conversation)) ==
             TIM_MESSAGE_STATUS_SUCCESS;
}

/* Logging out while a send is on its way (the server paused, so no answer comes): the send
 * stays in the outbox, as it would offline, not failed; the next login sends it, and it arrives
 * once (the server may have read it before the logout's close). */
static void
test_logout_while_sending (void)
{
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (TimClient) jack = tim_test_client_new (fixture, base_dir, "jack");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (ivy, "jack", TIM_CONV_C2C, "logout 000");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;
  GPid server = timchat_test_find_server_pid ();
  TimTestLastText delivered = { ivy, "C2Cjack", "logout 000" };

  g_assert_cmpint (server, >, 0);
  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  tim_client_send_message_async (ivy, message, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &result);
  timchat_test_spin (200);
  tim_client_logout (ivy);
  /* The caller hears of the logout; the message is not given up. */
  g_assert_false (tim_client_send_message_finish (ivy, tim_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);

  tim_test_client_login (fixture, ivy, "ivy");
  g_assert_true (tim_test_wait_until (last_is_delivered, &delivered, 30000));
  texts = texts_seen_by (jack, "C2Civy", "logout 000");
  assert_exactly_once_in_order (texts, "logout", 1);
}

/* A media message whose local file cannot be read (deleted after a crash mid-upload, or a
 * directory now) fails at once with 2108 and its reason, and does not hold back the messages
 * queued after it: the outbox keeps its order, so a retry forever would block them all. */
static void
test_unreadable_file_fails_alone (void)
{
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lee = tim_test_client_new (fixture, base_dir, "lee");
  g_autofree char *gone_path = g_build_filename (base_dir, "gone.txt", NULL);
  g_autofree char *dir_path = g_build_filename (base_dir, "now-a-dir.txt", NULL);
  g_autoptr (GFile) gone = g_file_new_for_path (gone_path);
  g_autoptr (GFile) dir = g_file_new_for_path (dir_path);
  g_autoptr (TimMessage) gone_message = NULL;
  g_autoptr (TimMessage) dir_message = NULL;
  g_autoptr (TimMessage) text = NULL;
  g_autoptr (GAsyncResult) gone_result = NULL;
  g_autoptr (GAsyncResult) dir_result = NULL;
  g_autoptr (GAsyncResult) text_result = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (gone_path, "soon gone", -1, NULL));
  g_assert_true (g_file_set_contents (dir_path, "soon a directory", -1, NULL));
  gone_message = tim_client_create_file_message (kim, "lee", TIM_CONV_C2C, gone);
  dir_message = tim_client_create_file_message (kim, "lee", TIM_CONV_C2C, dir);
  text = tim_client_create_text_message (kim, "lee", TIM_CONV_C2C, "after 000");
  g_assert_cmpint (g_unlink (gone_path), ==, 0);
  g_assert_cmpint (g_unlink (dir_path), ==, 0);
  g_assert_cmpint (g_mkdir (dir_path, 0700), ==, 0);

  tim_client_send_message_async (kim, gone_message, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &gone_result);
  tim_client_send_message_async (kim, dir_message, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &dir_result);
  tim_client_send_message_async (kim, text, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &text_result);
  g_assert_false (
      tim_client_send_message_finish (kim, tim_test_wait_result (&gone_result), &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_FILE_EMPTY);
  g_assert_nonnull (strstr (error->message, "gone.txt"));
  g_clear_error (&error);
  g_assert_cmpint (tim_message_get_status (gone_message), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_cmpint (tim_message_get_error_code (gone_message), ==, TIM_ERROR_FILE_EMPTY);
  g_assert_false (tim_client_send_message_finish (kim, tim_test_wait_result (&dir_result), &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_FILE_EMPTY);
  g_clear_error (&error);
  g_assert_cmpint (tim_message_get_status (dir_message), ==, TIM_MESSAGE_STATUS_FAIL);
  /* The message after them goes out. */
  g_assert_true (tim_client_send_message_finish (kim, tim_test_wait_result (&text_result), &error));
  g_assert_no_error (error);
  texts = texts_seen_by (lee, "C2Ckim", "after 000");
  assert_exactly_once_in_order (texts, "after", 1);
  g_rmdir (dir_path);
}

static gboolean
is_connected (gpointer data)
{
  return tim_client_get_net_state (TIM_CLIENT (data)) == TIM_NET_STATE_CONNECTED;
}

/* A process killed between the two commits an older version ended a send with (outbox entry
 * removed, record not yet saved) left a message "unSend" that nothing would ever send. The state
 * is made in a real store file; the next login marks it failed (2100, in words), in the list
 * too, and it can be sent again, once. */
static void
test_orphan_marked_failed_at_login (void)
{
  g_autoptr (TimClient) nora = tim_test_client_new (fixture, base_dir, "nora");
  g_autoptr (TimClient) mia = tim_test_client_new (fixture, base_dir, "mia");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (mia, "nora", TIM_CONV_C2C, "orphan 000");
  g_autofree char *id = g_strdup (tim_message_get_id (message));
  g_autofree char *store_dir = g_strdup_printf ("%s/mia/%" G_GUINT64_FORMAT "/mia", base_dir,
                                                timchat_fixture_get_sdkappid (fixture));
  g_autoptr (TimLocalStore) store = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;
  TimMessage *orphan;
  TimConversation *conversation;

  /* Offline, the message waits: its record "unSend" and its outbox entry. */
  timchat_fixture_stop (fixture);
  tim_client_send_message_async (mia, message, NULL, NULL, NULL, NULL, NULL, NULL);
  timchat_test_spin (100);
  tim_client_logout (mia);
  g_clear_object (&mia);
  g_clear_object (&message);
  /* The crash between the two commits: the entry gone, the record still "unSend". */
  store = tim_local_store_open (store_dir, &error);
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) queued = tim_local_store_outbox_list (store);
    g_autoptr (JsonObject) record = tim_local_store_load_message (store, id);

    g_assert_cmpuint (queued->len, ==, 1);
    g_assert_cmpstr (tim_json_get_string (record, "status"), ==, "unSend");
  }
  g_assert_true (tim_local_store_outbox_remove (store, id, &error));
  g_assert_finalize_object (g_steal_pointer (&store));
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (is_connected, nora, 30000));

  mia = tim_test_client_new (fixture, base_dir, "mia");
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (mia), "C2Cnora");
  g_assert_nonnull (conversation);
  orphan = tim_conversation_get_last_message (conversation);
  g_assert_cmpstr (tim_message_get_id (orphan), ==, id);
  g_assert_cmpint (tim_message_get_status (orphan), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_cmpint (tim_message_get_error_code (orphan), ==, TIM_ERROR_SEND_FAIL);
  g_assert_nonnull (strstr (tim_message_get_error_message (orphan), "send it again"));
  /* Resent by the user, it arrives once. */
  g_assert_true (tim_test_resend (mia, orphan, &error));
  g_assert_no_error (error);
  texts = texts_seen_by (nora, "C2Cmia", "orphan 000");
  assert_exactly_once_in_order (texts, "orphan", 1);
}

/* Two processes on one data directory: one lists the outbox, the other finishes a message
 * before the first reads its record. The first must not send it again: a group message's record
 * then holds the server's sequence, which the server's duplicate check (sender, Random, its
 * ClientSeq) does not know, so it would be kept twice. Here the state the race leaves, made by
 * hand: an outbox entry whose record says "success". */
static void
test_sent_by_another_process (void)
{
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (TimClient) tom = NULL;
  g_autoptr (TimClient) sol = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autofree char *id = NULL;
  g_autofree char *store_dir = g_strdup_printf ("%s/sol/%" G_GUINT64_FORMAT "/sol", base_dir,
                                                timchat_fixture_get_sdkappid (fixture));
  g_autoptr (TimLocalStore) store = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;

  timchat_test_import_account (fixture, "sol", NULL);
  timchat_test_import_account (fixture, "tom", NULL);
  created = timchat_test_rest_ok (
      fixture, "group_open_http_svc/create_group",
      "{\"Type\":\"Public\",\"Name\":\"shared\",\"GroupId\":\"shared\",\"Owner_Account\":"
      "\"sol\",\"MemberList\":[{\"Member_Account\":\"tom\"}]}");
  tom = tim_test_client_new (fixture, base_dir, "tom");
  sol = tim_test_client_new (fixture, base_dir, "sol");
  message = tim_client_create_text_message (sol, "shared", TIM_CONV_GROUP, "shared 000");
  id = g_strdup (tim_message_get_id (message));

  g_assert_true (tim_test_send (sol, message, &error));
  g_assert_no_error (error);
  tim_client_logout (sol);
  g_clear_object (&sol);
  g_clear_object (&message);
  store = tim_local_store_open (store_dir, &error);
  g_assert_no_error (error);
  g_assert_true (tim_local_store_outbox_add (store, id, "GROUPshared", NULL, &error));
  g_assert_finalize_object (g_steal_pointer (&store));

  sol = tim_test_client_new (fixture, base_dir, "sol");
  timchat_test_spin (1500);
  texts = texts_seen_by (tom, "GROUPshared", "shared 000");
  assert_exactly_once_in_order (texts, "shared", 1);
  store = tim_local_store_open (store_dir, &error);
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) queued = tim_local_store_outbox_list (store);

    g_assert_cmpuint (queued->len, ==, 0);
  }
}

/* A failed message resent after the logout is refused at once (2024), as a send is. Queued in
 * memory with no account and no local store, it waited for whoever logged in next on this
 * client, and went out in their name: here vic's message to uma reached her from wes. */
static void
test_resend_logged_out (void)
{
  const char *vic_only[] = { "vic", NULL };
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "whose 000");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  /* uma blocks vic: his message fails (20007), and he may send it again. */
  tim_client_add_to_blocklist_async (uma, vic_only, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_add_to_blocklist_finish (uma, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (tim_test_send (vic, message, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_FAIL);

  tim_client_logout (vic);
  tim_test_collect (uma, "message-received", got);
  tim_client_resend_message_async (vic, message, NULL, NULL, NULL, tim_test_keep_result, &result);
  /* Someone else logs in on the same client: nothing goes out in their name. */
  tim_test_client_login (fixture, vic, "wes");
  g_assert_false (tim_test_wait_count (got, 1, 1500));
  g_assert_false (tim_client_resend_message_finish (vic, tim_test_wait_result (&result), &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_FAIL);
}

/* A send's callback runs as its send ends (GTask calls it at once, from the reply's dispatch),
 * and may do anything with the client: here it deletes the message that failed (a local delete,
 * done at once). The outbox still had that send at its head and in flight: the delete ended it a
 * second time (its task returned twice) and started the next message, and the end of the first
 * then started that one again: sent twice, ended twice, the second time on a freed item. */
typedef struct
{
  TimClient *client;
  TimMessage *message;
  GAsyncResult *deleted;
} DeleteOnFailure;

static void
delete_on_failure (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DeleteOnFailure *data = user_data;
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_false (tim_client_send_message_finish (TIM_CLIENT (source), result, &error));
  g_assert_nonnull (error);
  g_ptr_array_add (messages, data->message);
  tim_client_delete_messages_async (data->client, messages, NULL, tim_test_keep_result,
                                    &data->deleted);
}

static void
count_ends (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *ends = user_data;

  if (tim_client_send_message_finish (TIM_CLIENT (source), result, NULL))
    ends[0]++;
  else
    ends[1]++;
}

static void
test_delete_in_failure_callback (void)
{
  const char *yan_only[] = { "yan", NULL };
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "xia");
  g_autoptr (TimClient) yan = tim_test_client_new (fixture, base_dir, "yan");
  g_autoptr (TimClient) zed = tim_test_client_new (fixture, base_dir, "zed");
  g_autoptr (TimMessage) refused =
      tim_client_create_text_message (yan, "xia", TIM_CONV_C2C, "refused 000");
  g_autoptr (TimMessage) next =
      tim_client_create_text_message (yan, "zed", TIM_CONV_C2C, "after 000");
  DeleteOnFailure data = { yan, refused, NULL };
  guint ends[2] = { 0, 0 };
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;

  /* xia blocks yan: his message to her fails for good (20007). */
  tim_client_add_to_blocklist_async (xia, yan_only, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_add_to_blocklist_finish (xia, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);

  tim_client_send_message_async (yan, refused, NULL, NULL, NULL, NULL, delete_on_failure, &data);
  tim_client_send_message_async (yan, next, NULL, NULL, NULL, NULL, count_ends, ends);
  g_assert_true (
      tim_client_delete_messages_finish (yan, tim_test_wait_result (&data.deleted), &error));
  g_assert_no_error (error);
  texts = texts_seen_by (zed, "C2Cyan", "after 000");
  /* Every answer to a second request of it would have come by now. */
  timchat_test_spin (1000);
  g_assert_cmpuint (ends[0], ==, 1);
  g_assert_cmpuint (ends[1], ==, 0);
  g_assert_cmpint (tim_message_get_status (next), ==, TIM_MESSAGE_STATUS_SUCCESS);
  assert_exactly_once_in_order (texts, "after", 1);
  g_clear_object (&data.deleted);
}

static gboolean
result_is_set (gpointer slot)
{
  return *(GAsyncResult **) slot != NULL;
}

/* A wait for the outbox stops when its cancellable is cancelled, as GIO's calls do (cancelled):
 * it went on for as long as the messages waited (here for a server that does not answer), and
 * its callback came only then, long after its caller had given up on it. */
static void
test_wait_outbox_cancelled (void)
{
  g_autoptr (TimClient) nia = tim_test_client_new (fixture, base_dir, "nia");
  g_autoptr (TimClient) oto = tim_test_client_new (fixture, base_dir, "oto");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (nia, "oto", TIM_CONV_C2C, "waited 000");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) waited = NULL;
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;
  GPid server = timchat_test_find_server_pid ();
  gboolean stopped;

  g_assert_cmpint (server, >, 0);
  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  tim_client_send_message_async (nia, message, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  tim_client_wait_outbox_async (nia, cancellable, tim_test_keep_result, &waited);
  timchat_test_spin (200);
  g_assert_null (waited);
  g_cancellable_cancel (cancellable);
  stopped = tim_test_wait_until (result_is_set, &waited, 3000);
  /* The server goes on before anything is asserted, so that a failure leaves it running. */
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);
  g_assert_true (stopped);
  g_assert_false (tim_client_wait_outbox_finish (nia, waited, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Only the wait stopped, not the send. */
  g_assert_true (tim_client_send_message_finish (nia, tim_test_wait_result (&sent), NULL));
  texts = texts_seen_by (oto, "C2Cnia", "waited 000");
  assert_exactly_once_in_order (texts, "waited", 1);
}

static void
note_kicked (TimClient *client, const char *reason, gboolean *kicked)
{
  *kicked = TRUE;
}

/* Kicked out while a send waits for its answer, with another queued behind it: the session ended
 * under both, and both wait for the next login, as a logout or a lost network leaves them. The
 * one on its way failed for good (2024) while the next went out at the next login: sent out of
 * order, if at all, and shown failed when the server may well have stored it.
 *
 * amy reaches the server through a proxy that keeps the answers to her sends from her: the send
 * waits for its answer when the kick comes. (The server's WAL syncs took 1 s here, and the kick
 * came ahead of the send's answer; a REST kick now waits for its own commit, behind the send's.) */
/* Two texts, "PREFIX 000" and "PREFIX 001", sent one after the other (the second queued behind
 * the first). */
typedef struct
{
  TimMessage *message[2];
  GAsyncResult *result[2];
} TwoSends;

static void
two_sends_start (TwoSends *sends, TimClient *sender, const char *to, const char *prefix)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %03u", prefix, i);

      sends->message[i] = tim_client_create_text_message (sender, to, TIM_CONV_C2C, text);
      tim_client_send_message_async (sender, sends->message[i], NULL, NULL, NULL, NULL,
                                     tim_test_keep_result, &sends->result[i]);
    }
}

/* What a session's end (a kick, the UserSig's end) leaves of two sends: neither is over, both
 * wait, unsent, for the next login of user on f, which sends them, each once, in order. */
static void
two_sends_go_at_next_login (TwoSends *sends, TimchatFixture *f, TimClient *sender, const char *user,
                            TimClient *peer, const char *prefix)
{
  g_autofree char *to = g_strconcat ("C2C", tim_message_get_to (sends->message[0]), NULL);
  g_autofree char *from = g_strconcat ("C2C", user, NULL);
  g_autofree char *last = g_strdup_printf ("%s 001", prefix);
  TimTestLastText delivered = { sender, to, last };
  g_autoptr (GPtrArray) texts = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (sends->result[i]);
      g_assert_cmpint (tim_message_get_status (sends->message[i]), ==, TIM_MESSAGE_STATUS_UNSENT);
    }
  tim_test_client_login (f, sender, user);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (tim_client_send_message_finish (
          sender, tim_test_wait_result (&sends->result[i]), &error));
      g_assert_no_error (error);
      g_clear_object (&sends->result[i]);
      g_clear_object (&sends->message[i]);
    }
  g_assert_true (tim_test_wait_until (last_is_delivered, &delivered, 30000));
  texts = texts_seen_by (peer, from, last);
  assert_exactly_once_in_order (texts, prefix, 2);
}

static void
test_kicked_while_sending (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = tim_test_make_dir ();
  g_autofree char *amy_dir = g_build_filename (dir, "ko-amy", NULL);
  g_autoptr (TimClient) amy = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), amy_dir);
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, dir, "ko-ben");
  TwoSends sends = { { NULL } };
  gboolean kicked = FALSE;

  tim_test_client_login (fixture, amy, "ko-amy");
  g_signal_connect (amy, "kicked-out", G_CALLBACK (note_kicked), &kicked);
  timchat_test_proxy_drop_answers (proxy, "openim.sendmsg");
  two_sends_start (&sends, amy, "ko-ben", "kicked");
  timchat_test_spin (300);
  g_assert_null (sends.result[0]);
  json_object_unref (
      timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"ko-amy\"}", NULL));
  g_assert_true (tim_test_wait_flag (&kicked, 10000));
  timchat_test_spin (300);
  timchat_test_proxy_drop_answers (proxy, NULL);
  two_sends_go_at_next_login (&sends, fixture, amy, "ko-amy", ben, "kicked");

  g_clear_object (&amy);
  g_clear_object (&ben);
  tim_test_remove_dir (dir);
}

static void
note_kick_reason (TimClient *client, const char *reason, char **out)
{
  g_free (*out);
  *out = g_strdup (reason);
}

static gboolean
has_string (gpointer data)
{
  return *(char **) data != NULL;
}

/* The UserSig runs out while a send waits for its answer (the server paused over its end), with
 * another queued behind it: the server answers the send 70001 and the ticket no longer logs the
 * client in (kicked out, userSigExpired). Neither message was refused: both wait for the next
 * login, with a new UserSig, as a kick leaves them. The first failed for good while the second
 * went out at that login. */
static void
test_usersig_runs_out_while_sending (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *dir = g_build_filename (base_dir, "ue-amy", NULL);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "ue-amy", 3);
  g_autoptr (TimClient) amy = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "ue-ben");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  TwoSends sends = { { NULL } };
  GPid server = timchat_test_find_server_pid ();
  gboolean kicked;

  g_assert_cmpint (server, >, 0);
  g_signal_connect (amy, "kicked-out", G_CALLBACK (note_kick_reason), &reason);
  tim_client_login_async (amy, "ue-amy", usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (amy, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);

  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  two_sends_start (&sends, amy, "ue-ben", "expired");
  timchat_test_spin (3500);
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);
  kicked = tim_test_wait_until (has_string, &reason, 15000);
  g_assert_true (kicked);
  g_assert_cmpstr (reason, ==, "userSigExpired");
  timchat_test_spin (300);
  two_sends_go_at_next_login (&sends, fixture, amy, "ue-amy", ben, "expired");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The subprocess reruns main with the same fixture data dir, given through the environment. */
  if (g_getenv ("TIM_OUTBOX_BASE") != NULL)
    base_dir = g_strdup (g_getenv ("TIM_OUTBOX_BASE"));
  else
    {
      base_dir = tim_test_make_dir ();
      g_setenv ("TIM_OUTBOX_BASE", base_dir, TRUE);
    }
  fixture = timchat_fixture_new (NULL);
  timchat_fixture_share_with_subprocesses (fixture);
  g_test_add_func ("/tim/outbox/kill-during-burst", test_kill_during_burst);
  g_test_add_func ("/tim/outbox/kill-during-upload", test_kill_during_upload);
  g_test_add_func ("/tim/outbox/server-killed-while-sending", test_server_killed_while_sending);
  g_test_add_func ("/tim/outbox/network-cut", test_network_cut);
  g_test_add_func ("/tim/outbox/logout-while-sending", test_logout_while_sending);
  g_test_add_func ("/tim/outbox/unreadable-file-fails-alone", test_unreadable_file_fails_alone);
  g_test_add_func ("/tim/outbox/orphan-marked-failed-at-login", test_orphan_marked_failed_at_login);
  g_test_add_func ("/tim/outbox/sent-by-another-process", test_sent_by_another_process);
  g_test_add_func ("/tim/outbox/resend-logged-out", test_resend_logged_out);
  g_test_add_func ("/tim/outbox/delete-in-failure-callback", test_delete_in_failure_callback);
  g_test_add_func ("/tim/outbox/wait-outbox-cancelled", test_wait_outbox_cancelled);
  g_test_add_func ("/tim/outbox/kicked-while-sending", test_kicked_while_sending);
  g_test_add_func ("/tim/outbox/usersig-runs-out-while-sending",
                   test_usersig_runs_out_while_sending);
  status = g_test_run ();
  if (!g_test_subprocess ())
    tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
