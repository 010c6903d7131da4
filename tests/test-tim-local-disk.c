/* test-tim-local-disk.c: libtim when this computer's disk is full. The test process runs with
 * fixture/disk-faults.c preloaded; while the flag file exists, writes under the directory it
 * names fail with ENOSPC (the server's data is elsewhere and unaffected). What a user must see:
 * a message that could not be saved fails with a plain error and can be resent once there is
 * room; a message that arrives meanwhile is still shown, and the conversation then pages every
 * message exactly once, in order, now and after a restart. A queued message deleted while the
 * store cannot write is neither half deleted nor sent: the deletion fails and says so. */
#define G_LOG_DOMAIN "test-tim-local-disk"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define TWO_16                                                                                     \
  "two-00,two-01,two-02,two-03,two-04,two-05,two-06,two-07,two-08,two-09,two-10,two-11,two-12,"    \
  "two-13,two-14,two-15"

static TimchatFixture *fixture;
static char *base_dir;
static char *full_flag;

/* Writes under base_dir/user fail until disk_has_room (). */
static void
disk_full (const char *user)
{
  g_autofree char *dir = g_build_filename (base_dir, user, NULL);

  g_assert_true (g_file_set_contents (full_flag, dir, -1, NULL));
}

static void
disk_has_room (void)
{
  g_assert_cmpint (g_unlink (full_flag), ==, 0);
}

/* The conversation's texts as its pages give them, oldest first, joined by ",". */
static char *
paged_texts (TimClient *client, const char *conversation_id)
{
  GString *texts = g_string_new (NULL);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;

  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (client, conversation_id, cursor, &next, &completed, &error);
      g_autoptr (GString) older = g_string_new (NULL);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_string_append_printf (older, "%s%s", older->len > 0 ? "," : "",
                                tim_message_get_text (page->pdata[i]));
      if (texts->len > 0 && older->len > 0)
        g_string_append_c (older, ',');
      g_string_prepend (texts, older->str);
    }
  return g_string_free (texts, FALSE);
}

static void
test_send_when_full (void)
{
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "ann");
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "ben");
  g_autoptr (TimMessage) message = tim_client_create_text_message (ann, "ben", TIM_CONV_C2C, "hi");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree char *texts = NULL;

  tim_test_collect (ben, "message-received", got);
  disk_full ("ann");
  /* Not on disk, so not on the wire either: the outbox's promise is "saved before sent". */
  g_assert_false (tim_test_send (ann, message, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_false (tim_test_wait_count (got, 1, 300));
  disk_has_room ();

  g_assert_true (tim_test_resend (ann, message, NULL));
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_true (tim_test_wait_count (got, 1, 5000));
  g_assert_false (tim_test_wait_count (got, 2, 300));
  texts = paged_texts (ben, "C2Cann");
  g_assert_cmpstr (texts, ==, "hi");
}

typedef struct
{
  guint completions;
  GAsyncResult *result;
} Completion;

static void
on_send_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Completion *completion = user_data;

  completion->completions++;
  g_set_object (&completion->result, result);
}

static gboolean
both_done (gpointer user_data)
{
  Completion *completions = user_data;

  return completions[0].completions > 0 && completions[1].completions > 0;
}

/* The disk fills while a message is on its way: the next one fails at once, and the one on its
 * way is still sent once and completes once. (The next one's failure restarted the queue while
 * the first was in flight: sent twice, its end run twice on one freed item.) */
static void
test_full_while_sending (void)
{
  g_autoptr (TimClient) eve = tim_test_client_new (fixture, base_dir, "eve");
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  g_autoptr (TimMessage) first = tim_client_create_text_message (eve, "fay", TIM_CONV_C2C, "first");
  g_autoptr (TimMessage) second =
      tim_client_create_text_message (eve, "fay", TIM_CONV_C2C, "second");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  Completion done[2] = { { 0 } };

  tim_test_collect (fay, "message-received", got);
  tim_client_send_message_async (eve, first, NULL, NULL, NULL, NULL, on_send_done, &done[0]);
  disk_full ("eve");
  tim_client_send_message_async (eve, second, NULL, NULL, NULL, NULL, on_send_done, &done[1]);
  g_assert_true (tim_test_wait_until (both_done, done, 5000));
  g_assert_false (tim_client_send_message_finish (eve, done[1].result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpint (tim_message_get_status (second), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_true (tim_client_send_message_finish (eve, done[0].result, NULL));
  g_assert_cmpint (tim_message_get_status (first), ==, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_true (tim_test_wait_count (got, 1, 5000));
  /* Nothing more: no second completion, no second copy. */
  g_assert_false (tim_test_wait_count (got, 2, 300));
  g_assert_cmpuint (done[0].completions, ==, 1);
  g_assert_cmpuint (done[1].completions, ==, 1);
  disk_has_room ();
  g_clear_object (&done[0].result);
  g_clear_object (&done[1].result);
}

static void
send_text (TimClient *from, const char *to, const char *text)
{
  g_autoptr (TimMessage) message = tim_client_create_text_message (from, to, TIM_CONV_C2C, text);

  g_assert_true (tim_test_send (from, message, NULL));
}

static void
test_receive_when_full (void)
{
  g_autoptr (TimClient) cat = tim_test_client_new (fixture, base_dir, "cat");
  g_autoptr (TimClient) dan = tim_test_client_new (fixture, base_dir, "dan");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *live = NULL, *later = NULL, *restarted = NULL;

  tim_test_collect (dan, "message-received", got);
  send_text (cat, "dan", "one");
  g_assert_true (tim_test_wait_count (got, 1, 5000));

  /* dan cannot save "two" and the 16 after it, but sees them, and pages through them (two
   * pages: the second one's cursor is a message that is not on disk). */
  disk_full ("dan");
  send_text (cat, "dan", "two");
  for (guint i = 0; i < 16; i++)
    {
      g_autofree char *text = g_strdup_printf ("two-%02u", i);
      send_text (cat, "dan", text);
    }
  g_assert_true (tim_test_wait_count (got, 18, 5000));
  g_assert_cmpstr (tim_message_get_text (got->pdata[1]), ==, "two");
  live = paged_texts (dan, "C2Ccat");
  g_assert_cmpstr (live, ==, "one,two," TWO_16);
  disk_has_room ();

  /* The hole in dan's store ("two") sends paging to the server, which must not double "three". */
  send_text (cat, "dan", "three");
  g_assert_true (tim_test_wait_count (got, 19, 5000));
  later = paged_texts (dan, "C2Ccat");
  g_assert_cmpstr (later, ==, "one,two," TWO_16 ",three");

  g_clear_object (&dan);
  dan = tim_test_client_new (fixture, base_dir, "dan");
  restarted = paged_texts (dan, "C2Ccat");
  g_assert_cmpstr (restarted, ==, "one,two," TWO_16 ",three");
}

/* Each message-received's texts, kept as text: a message object kept alive would be known by
 * that alone. */
static void
note_texts (TimClient *client, GPtrArray *messages, GPtrArray *texts)
{
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (texts, g_strdup (tim_message_get_text (messages->pdata[i])));
}

static gboolean
is_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED;
}

static gboolean
is_connected_not (gpointer client)
{
  return !is_connected (client);
}

/* Messages that came while the disk was full, shown and announced then, are not announced a
 * second time by the next reconnect's sync once there is room: the store that could not keep
 * them cannot tell they came, but they did. */
static void
test_received_when_full_not_announced_again (void)
{
  g_autoptr (TimClient) kay = tim_test_client_new (fixture, base_dir, "kay");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *announced = NULL;
  g_autofree char *paged = NULL;

  g_signal_connect (lou, "message-received", G_CALLBACK (note_texts), texts);
  send_text (kay, "lou", "before");
  g_assert_true (tim_test_wait_count (texts, 1, 5000));

  disk_full ("lou");
  send_text (kay, "lou", "full-1");
  send_text (kay, "lou", "full-2");
  send_text (kay, "lou", "full-3");
  g_assert_true (tim_test_wait_count (texts, 4, 5000));
  disk_has_room ();

  /* A reconnect: its sync replays what came since the stored Cookie. */
  timchat_fixture_stop (fixture);
  g_assert_true (tim_test_wait_until (is_connected_not, lou, 10000));
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (is_connected, lou, 30000));
  g_assert_true (tim_test_wait_until (is_connected, kay, 30000));
  send_text (kay, "lou", "after");
  g_assert_true (tim_test_wait_count (texts, 5, 10000));
  /* The sync's announcement, had it replayed them, would have come by now. */
  tim_test_wait_count (texts, 6, 1500);
  g_ptr_array_add (texts, NULL);
  announced = g_strjoinv (",", (char **) texts->pdata);
  g_assert_cmpstr (announced, ==, "before,full-1,full-2,full-3,after");
  paged = paged_texts (lou, "C2Ckay");
  g_assert_cmpstr (paged, ==, "before,full-1,full-2,full-3,after");
}

static gboolean
list_has_301 (gpointer list)
{
  return g_list_model_get_n_items (G_LIST_MODEL (list)) >= 301;
}

static gboolean
list_has_one (gpointer list)
{
  return g_list_model_get_n_items (G_LIST_MODEL (list)) >= 1;
}

/* A message that came while the disk was full stays in the conversation's open list once 300
 * newer ones came after it: the list lets go of the messages it used least (it holds 300), to be
 * read back from the store when shown again, but this one the store does not have. Let go of, it
 * came back as an empty item of unknown type ("could not be reloaded"): lost from the view. */
static void
test_received_when_full_stays_listed (void)
{
  g_autoptr (TimClient) oda = tim_test_client_new (fixture, base_dir, "oda");
  g_autoptr (TimClient) pam = tim_test_client_new (fixture, base_dir, "pam");
  TimMessageList *list = tim_client_get_message_list (pam, "C2Coda");
  g_autoptr (TimMessage) first = NULL;
  g_autoptr (TimMessage) newest = NULL;

  disk_full ("pam");
  send_text (oda, "pam", "while full");
  g_assert_true (tim_test_wait_until (list_has_one, list, 5000));
  disk_has_room ();
  tim_test_send_texts (oda, "pam", 300, "with room");
  g_assert_true (tim_test_wait_until (list_has_301, list, 20000));

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (tim_message_get_text (first), ==, "while full");
  newest = g_list_model_get_item (G_LIST_MODEL (list), 300);
  g_assert_cmpstr (tim_message_get_text (newest), ==, "with room 300");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 301));
}

/* The same for a message that came with a history page the store could not keep (a new device,
 * its disk full): it stays held, and is there when the list has 300 newer ones. */
static void
test_history_when_full_stays_listed (void)
{
  g_autoptr (TimClient) ivo = tim_test_client_new (fixture, base_dir, "ivo");
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon");
  g_autofree char *new_device = g_build_filename (base_dir, "jon-new-device", NULL);
  g_autoptr (TimClient) jon_again = NULL;
  g_autoptr (GAsyncResult) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) first = NULL;
  TimMessageList *list;

  send_text (ivo, "jon", "from history");
  jon_again = tim_test_client_new (fixture, new_device, "jon");
  list = tim_client_get_message_list (jon_again, "C2Civo");
  disk_full ("jon-new-device");
  while (!tim_message_list_get_is_completed (list))
    {
      g_clear_object (&loaded);
      tim_message_list_load_older_async (list, NULL, tim_test_keep_result, &loaded);
      g_assert_true (
          tim_message_list_load_older_finish (list, tim_test_wait_result (&loaded), &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  disk_has_room ();
  tim_test_send_texts (ivo, "jon", 300, "with room");
  g_assert_true (tim_test_wait_until (list_has_301, list, 20000));

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (tim_message_get_text (first), ==, "from history");
}

/* A message sent while the disk fills is answered, but the store cannot take the end of its send
 * (its record there still says it is being sent). It stays held by its open list once 300 newer
 * ones came, as one received then does: let go of, it was read back from that record and shown
 * as still being sent for the rest of the session. */
static void
test_send_end_not_kept_stays_listed (void)
{
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) wyn = tim_test_client_new (fixture, base_dir, "wyn");
  TimMessageList *list = tim_client_get_message_list (vic, "C2Cwyn");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (vic, "wyn", TIM_CONV_C2C, "sent while full");
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) first = NULL;

  tim_client_send_message_async (vic, message, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  disk_full ("vic");
  g_assert_true (tim_client_send_message_finish (vic, tim_test_wait_result (&sent), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_SUCCESS);
  disk_has_room ();
  g_clear_object (&message);
  tim_test_send_texts (wyn, "vic", 300, "with room");
  g_assert_true (tim_test_wait_until (list_has_301, list, 20000));

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (tim_message_get_text (first), ==, "sent while full");
  g_assert_cmpint (tim_message_get_status (first), ==, TIM_MESSAGE_STATUS_SUCCESS);
}

/* How many of the conversation's messages, as its pages give them, say text. */
static guint
count_paged (TimClient *client, const char *conversation_id, const char *text)
{
  g_autofree char *next = NULL;
  gboolean completed = FALSE;
  guint count = 0;

  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (client, conversation_id, cursor, &next, &completed, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        count += g_strcmp0 (tim_message_get_text (page->pdata[i]), text) == 0;
    }
  return count;
}

/* A group message sent while the disk fills: the server answers it, the store cannot take the
 * end of its send, so its outbox entry stays for the next login to send again, which the server
 * must know for the same message (its sender, ClientSeq and Random). The next login on the same
 * client, the message still held, sent it with the group's sequence the answer had given it in
 * place of its ClientSeq: kept twice. */
static void
test_group_send_end_not_kept (void)
{
  const char *members[] = { "nan", NULL };
  g_autoptr (TimClient) max = tim_test_client_new (fixture, base_dir, "max");
  g_autoptr (TimClient) nan = tim_test_client_new (fixture, base_dir, "nan");
  g_autofree char *group_id = tim_test_create_group (max, "disk", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (max, group_id, TIM_CONV_GROUP, "kept once");
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText arrived = { nan, conversation_id, "kept once" };

  tim_client_send_message_async (max, message, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  disk_full ("max");
  g_assert_true (tim_client_send_message_finish (max, tim_test_wait_result (&sent), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_SUCCESS);
  disk_has_room ();
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &arrived, 5000));

  tim_client_logout (max);
  tim_test_client_login (fixture, max, "max");
  /* Whatever the login sent again has been answered, and pushed, by now. */
  timchat_test_spin (1500);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_cmpuint (count_paged (nan, conversation_id, "kept once"), ==, 1);
  g_assert_cmpuint (count_paged (max, conversation_id, "kept once"), ==, 1);
}

/* Runs sql on user's local store through a second connection, as another process would. */
static void
store_exec (const char *user, const char *sql)
{
  g_autofree char *app =
      g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) timchat_fixture_get_sdkappid (fixture));
  g_autofree char *path = g_build_filename (base_dir, user, app, user, "local.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Whether user's local store holds message_id in table (messages, outbox). */
static gboolean
store_holds (const char *user, const char *table, const char *message_id)
{
  g_autofree char *app =
      g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) timchat_fixture_get_sdkappid (fixture));
  g_autofree char *path = g_build_filename (base_dir, user, app, user, "local.db", NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE message_id = ?", table);
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (s, 1, message_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    count = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  g_assert_cmpint (count, >=, 0);
  return count > 0;
}

static gboolean
delete_one (TimClient *client, TimMessage *message, GError **error)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();
  g_autoptr (GAsyncResult) result = NULL;

  g_ptr_array_add (messages, message);
  tim_client_delete_messages_async (client, messages, NULL, tim_test_keep_result, &result);
  return tim_client_delete_messages_finish (client, tim_test_wait_result (&result), error);
}

/* A queued message (the server away) is deleted while the store refuses to delete its record
 * (a trigger stands for the failing disk, after the outbox entry went). Both or neither: the
 * deletion fails and says so, and the message is still queued, record and outbox entry, rather
 * than "failed, send it again" at the next start. Once the store writes again it goes for good:
 * not after a restart of the client, not to the peer. (Two commits: the outbox entry went, the
 * record stayed, and the caller was told it was deleted.) */
static void
test_delete_queued_when_store_fails (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (TimMessage) queued =
      tim_client_create_text_message (gil, "hal", TIM_CONV_C2C, "never mind");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *texts = NULL;

  tim_test_collect (hal, "message-received", got);
  timchat_fixture_stop (fixture);
  tim_client_send_message_async (gil, queued, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  timchat_test_spin (300);
  id = g_strdup (tim_message_get_id (queued));
  g_assert_true (store_holds ("gil", "outbox", id));

  store_exec ("gil", "CREATE TRIGGER refuse_delete BEFORE DELETE ON messages BEGIN "
                     "SELECT RAISE (ABORT, 'injected write failure'); END");
  g_assert_false (delete_one (gil, queued, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "injected write failure"));
  g_clear_error (&error);
  g_assert_true (store_holds ("gil", "messages", id));
  g_assert_true (store_holds ("gil", "outbox", id));
  g_assert_null (sent);
  g_assert_cmpint (tim_message_get_status (queued), ==, TIM_MESSAGE_STATUS_UNSENT);

  store_exec ("gil", "DROP TRIGGER refuse_delete");
  g_assert_true (delete_one (gil, queued, &error));
  g_assert_no_error (error);
  g_assert_false (tim_client_send_message_finish (gil, tim_test_wait_result (&sent), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (store_holds ("gil", "messages", id));
  g_assert_false (store_holds ("gil", "outbox", id));

  timchat_fixture_restart (fixture);
  g_clear_object (&gil);
  gil = tim_test_client_new (fixture, base_dir, "gil");
  send_text (gil, "hal", "later");
  g_assert_true (tim_test_wait_count (got, 1, 5000));
  g_assert_false (tim_test_wait_count (got, 2, 300));
  texts = paged_texts (gil, "C2Chal");
  g_assert_cmpstr (texts, ==, "later");
}

static gboolean
list_is_empty (gpointer list)
{
  return g_list_model_get_n_items (G_LIST_MODEL (list)) == 0;
}

/* A message made before a new account's first login is answered takes the session's TinyId as it
 * goes out (its ID changes), and the disk is full then: the new ID could not be stored, the send
 * fails and the message keeps its first ID, in its open list too. The list went on knowing it by
 * the new ID: looked up by its ID it was not there, so deleting it (or a UI's Retry, which finds
 * it by ID) did nothing, and the deleted message stayed shown. */
static void
test_renamed_when_full (void)
{
  g_autoptr (TimClient) sue = tim_test_client_new (fixture, base_dir, "sue");
  g_autoptr (GAsyncResult) login = NULL;
  g_autoptr (TimClient) rex = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first_id = NULL;
  TimMessageList *list;

  rex = tim_test_client_new_unanswered (fixture, base_dir, "rex", &login);
  list = tim_client_get_message_list (rex, "C2Csue");
  message = tim_client_create_text_message (rex, "sue", TIM_CONV_C2C, "early");
  tim_client_send_message_async (rex, message, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  timchat_test_spin (200);
  first_id = g_strdup (tim_message_get_id (message));
  g_assert_true (tim_message_list_lookup (list, first_id) == message);
  disk_full ("rex");
  tim_test_resume_server ();
  g_assert_false (tim_client_send_message_finish (rex, tim_test_wait_result (&sent), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_cmpstr (tim_message_get_id (message), ==, first_id);
  g_assert_true (tim_message_list_lookup (list, first_id) == message);
  disk_has_room ();
  g_assert_true (tim_client_login_finish (rex, tim_test_wait_result (&login), NULL));

  g_assert_true (delete_one (rex, message, &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (list_is_empty, list, 2000));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("TIMCHAT_DISK_FULL_FLAG"));
  full_flag = g_strdup (g_getenv ("TIMCHAT_DISK_FULL_FLAG"));
  g_unlink (full_flag); /* a run that died with the disk "full" must not start this one so */
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/local-disk/send-when-full", test_send_when_full);
  g_test_add_func ("/tim/local-disk/receive-when-full", test_receive_when_full);
  g_test_add_func ("/tim/local-disk/full-while-sending", test_full_while_sending);
  g_test_add_func ("/tim/local-disk/received-when-full-not-announced-again",
                   test_received_when_full_not_announced_again);
  g_test_add_func ("/tim/local-disk/received-when-full-stays-listed",
                   test_received_when_full_stays_listed);
  g_test_add_func ("/tim/local-disk/history-when-full-stays-listed",
                   test_history_when_full_stays_listed);
  g_test_add_func ("/tim/local-disk/group-send-end-not-kept", test_group_send_end_not_kept);
  g_test_add_func ("/tim/local-disk/send-end-not-kept-stays-listed",
                   test_send_end_not_kept_stays_listed);
  g_test_add_func ("/tim/local-disk/delete-queued-when-store-fails",
                   test_delete_queued_when_store_fails);
  g_test_add_func ("/tim/local-disk/renamed-when-full", test_renamed_when_full);
  status = g_test_run ();
  g_unlink (full_flag);
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  g_free (base_dir);
  g_free (full_flag);
  return status;
}
