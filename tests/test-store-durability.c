/* test-store-durability.c: the SQLite store's file on the disk: a broken file refused, a message
 * and its bookkeeping as one statement, the dedup index's migration, acknowledgements after the
 * disk sync (even at the open-file limit), checkpoints in the background and the WAL starting
 * over. Split from test-store.c (by theme: the file and its durability here, what the store
 * records in test-store-records.c) to keep each program short; the fixture and the message
 * helpers are in test-store-common.c. */
#define G_LOG_DOMAIN "test-store-durability"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "test-store-common.h"
#include "tim-error.h"
#include "timchat-store-sqlite-private.h"
#include "timchat-store.h"

static char *
dedup_index_columns (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  GString *columns = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT name FROM pragma_index_info('messages_dedup')", -1, &s, NULL),
      ==, SQLITE_OK);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (columns, "%s%s", columns->len > 0 ? "," : "",
                            (const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  sqlite3_close (db);
  return g_string_free (columns, FALSE);
}

/* Migration 5 re-orders the dedup index (appends instead of random inserts): a database made
 * with the old order is rebuilt on open, and a resend of a message stored before still finds it. */
static void
test_dedup_index_migration (Fixture *f, gconstpointer data)
{
  g_autofree char *db_path = g_build_filename (f->dir, "timchat.db", NULL);
  g_autoptr (TimchatMsg) before = c2c_msg ("alice", "bob", 7, 70, 1000);
  g_autoptr (TimchatMsg) resend = c2c_msg ("alice", "bob", 7, 70, 3000);
  g_autoptr (TimchatMsg) next = c2c_msg ("alice", "bob", 8, 70, 3001);
  g_autoptr (GError) error = NULL;
  g_autofree char *columns = NULL;
  sqlite3 *db = NULL;

  insert (f->store, before, FALSE);
  g_clear_object (&f->store);
  g_assert_cmpstr ((columns = dedup_index_columns (db_path)), ==,
                   "conv_key,from_user,client_seq,random");
  g_clear_pointer (&columns, g_free);

  /* Back to what version 4 had (version 6 added the triggers, 7 the list of files, 10 the
   * groups' profile columns, 11 the conversations' remind, 12 the messages deleted for one, 13
   * the messages' mentions, 14 their edit version, 15 the conversations' cleared_seq, 17 their
   * marks, 18 the merged messages' lists, 24 the trigger's reading of remind: it goes first, 30
   * the members' joined_seq). */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (
          db,
          "DROP TRIGGER messages_counter; DROP TRIGGER messages_c2c; "
          "DROP TABLE files; DROP TRIGGER hidden_messages_gone; DROP TABLE hidden_messages; "
          "DROP INDEX messages_mentions; ALTER TABLE messages DROP COLUMN at_info; "
          "ALTER TABLE messages DROP COLUMN version; ALTER TABLE groups DROP COLUMN info_seq; "
          "ALTER TABLE groups DROP COLUMN info_time; ALTER TABLE groups "
          "DROP COLUMN mute_all; ALTER TABLE conversations DROP COLUMN remind; "
          "ALTER TABLE conversations DROP COLUMN cleared_seq; "
          "ALTER TABLE conversations DROP COLUMN marks; DROP TABLE relay_lists; "
          "ALTER TABLE group_members DROP COLUMN mute_until; ALTER TABLE conversations DROP COLUMN "
          "custom_data; ALTER TABLE group_members DROP COLUMN joined_seq; "
          "DROP INDEX messages_dedup; CREATE UNIQUE INDEX messages_dedup ON "
          "messages (conv_key, from_user, random, client_seq) WHERE kind = "
          "0; PRAGMA user_version = 4",
          NULL, NULL, NULL),
      ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpstr ((columns = dedup_index_columns (db_path)), ==,
                   "conv_key,from_user,random,client_seq");
  g_clear_pointer (&columns, g_free);

  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  insert (f->store, resend, TRUE);
  g_assert_cmpint (resend->id, ==, before->id);
  g_assert_cmpint (resend->time, ==, 1000);
  insert (f->store, next, FALSE);
  g_assert_cmpint (next->seq, ==, 2);
  g_clear_object (&f->store);
  g_assert_cmpstr ((columns = dedup_index_columns (db_path)), ==,
                   "conv_key,from_user,client_seq,random");
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
}

static void
assert_message_events (TimchatStore *store, const char *user, gint64 first_id, gint64 second_id)
{
  g_autoptr (GPtrArray) events = timchat_store_read_events (store, user, 0, 100);
  g_autofree char *first = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT "}", first_id);
  g_autofree char *second = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT "}", second_id);

  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((TimchatEvent *) events->pdata[0])->kind, ==, TIMCHAT_EVENT_C2C_MESSAGE);
  g_assert_cmpstr (((TimchatEvent *) events->pdata[0])->payload, ==, first);
  g_assert_cmpstr (((TimchatEvent *) events->pdata[1])->payload, ==, second);
}

/* A message, its counter, both conversation rows and both sync events are one INSERT and its
 * triggers, with no savepoint: when any part is refused none of it is there, the sequence has
 * no hole, and the counter read back after a reopen agrees. */
static void
test_message_is_one_statement (Fixture *f, gconstpointer data)
{
  g_autoptr (TimchatMsg) first = c2c_msg ("alice", "bob", 1, 10, 1000);
  g_autoptr (TimchatMsg) refused = c2c_msg ("alice", "bob", 2, 11, 1001);
  g_autoptr (TimchatMsg) second = c2c_msg ("alice", "bob", 3, 12, 1002);
  g_autoptr (TimchatMsg) after_reopen = c2c_msg ("bob", "alice", 1, 13, 1003);
  g_autoptr (TimchatConversation) bobs = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GError) error = NULL;

  insert (f->store, first, FALSE);
  g_assert_cmpint (first->seq, ==, 1);
  /* The last thing the triggers write, bob's sync event, is refused. */
  exec_sql (f->store, "CREATE TEMP TRIGGER refuse_bob BEFORE INSERT ON main.events "
                      "WHEN NEW.user_id = 'bob' BEGIN SELECT RAISE (ABORT, 'refused'); END");
  g_assert_false (timchat_store_insert_message (f->store, refused, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INTERNAL);
  exec_sql (f->store, "DROP TRIGGER refuse_bob");

  insert (f->store, second, FALSE);
  g_assert_cmpint (second->seq, ==, 2);
  history = timchat_store_history (f->store, NULL, TIM_CONV_C2C, "alice", "bob", 0, 10);
  g_assert_cmpuint (history->len, ==, 2);
  assert_message_events (f->store, "alice", first->id, second->id);
  assert_message_events (f->store, "bob", first->id, second->id);
  bobs = timchat_store_get_conversation (f->store, "bob", TIM_CONV_C2C, "alice");
  g_assert_nonnull (bobs);
  g_assert_cmpint (bobs->last->seq, ==, 2);
  g_assert_cmpint (bobs->unread, ==, 2);

  /* A cold cache reads the counter the triggers kept. */
  g_clear_error (&error);
  g_clear_object (&f->store);
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  insert (f->store, after_reopen, FALSE);
  g_assert_cmpint (after_reopen->seq, ==, 3);
}

static void
record_ack (gboolean committed, gpointer user_data)
{
  GArray *acks = user_data;
  int value = committed ? (int) acks->len + 1 : -1;

  g_array_append_val (acks, value);
}

static gboolean
inside_main_loop (GMainContext *context, GArray *acks, guint wanted)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (acks->len < wanted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  return acks->len == wanted;
}

/* A durable store acknowledges after the disk sync, in order, on the main context: never inside
 * the call that wrote, and a later acknowledgement never overtakes an earlier one. */
static void
test_acknowledgements_wait_for_sync (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) acks = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (TimchatMsg) first = c2c_msg ("alice", "bob", 1, 11, 1000);
  g_autoptr (TimchatMsg) second = c2c_msg ("alice", "bob", 2, 12, 1001);
  g_autoptr (TimchatMsg) resend = c2c_msg ("alice", "bob", 1, 11, 1002);

  insert (f->store, first, FALSE);
  timchat_store_after_commit (f->store, record_ack, acks);
  insert (f->store, second, FALSE);
  timchat_store_after_commit (f->store, record_ack, acks);
  g_assert_cmpuint (acks->len, ==, 0);
  /* Commit the iteration's transaction; its acknowledgements now wait for the sync thread. */
  while (acks->len == 0 && g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  /* Nothing written here: still queued behind the two above if they are not synced yet. */
  insert (f->store, resend, TRUE);
  timchat_store_after_commit (f->store, record_ack, acks);
  g_assert_true (inside_main_loop (NULL, acks, 3));
  for (guint i = 0; i < acks->len; i++)
    g_assert_cmpint (g_array_index (acks, int, i), ==, (int) i + 1);
}

/* The first acknowledgement of a store needs no descriptor it does not hold yet: a server that
 * connections pushed up to its open-file limit still syncs what it acknowledges (opening the WAL
 * then failed, which counts as a failed disk and stops the server). */
static void
test_acknowledged_at_the_descriptor_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) acks = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", 1, 11, 1000);
  g_autoptr (GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
  struct rlimit saved, full;
  guint open_now = 0;

  g_assert_nonnull (fds);
  while (g_dir_read_name (fds) != NULL)
    open_now++;
  g_clear_pointer (&fds, g_dir_close);
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  full = saved;
  full.rlim_cur = open_now; /* not one more */
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &full), ==, 0);

  insert (f->store, msg, FALSE);
  timchat_store_after_commit (f->store, record_ack, acks);
  g_assert_true (inside_main_loop (NULL, acks, 1));
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  g_assert_cmpint (g_array_index (acks, int, 0), ==, 1);
}

static gint64
file_size (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_size;
}

/* The WAL is copied back into the database by the checkpoint thread, not inside our commits. */
static void
test_checkpoints_in_background (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) acks = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *path = g_build_filename (f->dir, "timchat.db", NULL);
  g_autofree char *text = g_strnfill (8000, 'x');
  gint64 size_before = file_size (path);
  gint64 deadline;

  /* ~2 pages a message: 1,000 messages pass the 1,000-page mark that asks for a checkpoint. */
  for (int i = 0; i < 1000; i++)
    {
      g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", i + 1, 100 + i, 1000 + i);

      g_free (msg->body);
      msg->body = g_strdup_printf (
          "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]", text);
      insert (f->store, msg, FALSE);
      if (i % 100 == 99)
        {
          timchat_store_after_commit (f->store, record_ack, acks);
          g_assert_true (inside_main_loop (NULL, acks, (i + 1) / 100));
        }
    }

  /* In WAL mode the database file itself only grows when a checkpoint copies pages into it. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (file_size (path) < size_before + 4 * 1024 * 1024 && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_assert_cmpint (file_size (path), >=, size_before + 4 * 1024 * 1024);
}

/* The WAL header's checkpoint sequence number: how many times the WAL started over. */
static guint32
wal_restarts (const char *wal)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint32 sequence;

  g_assert_true (g_file_get_contents (wal, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, 32);
  memcpy (&sequence, contents + 12, sizeof sequence);
  return GUINT32_FROM_BE (sequence);
}

/* Checkpoints leave the database's sync for later and the WAL may not start over before it
 * (timchat-sqlite-vfs.c), yet it must start over once it passes 128 MiB, or it would grow
 * forever; and not before, or the database would be synced far more often. */
static void
test_wal_starts_over (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) acks = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *path = g_build_filename (f->dir, "timchat.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *text = g_strnfill (16 * 1024, 'x');
  g_autoptr (GError) error = NULL;
  TimchatStoreSqlite *store;
  gint64 written = 0;
  guint32 restarts = 0;
  int messages = 0;

  /* Batches of 200 messages, ~1,000 WAL pages: each asks the checkpoint thread for a round. */
  for (int batch = 0; batch < 200 && restarts == 0; batch++)
    {
      for (int i = 0; i < 200; i++, messages++)
        {
          g_autoptr (TimchatMsg) msg =
              c2c_msg ("alice", "bob", messages + 1, 100 + messages, 1000 + messages);

          g_free (msg->body);
          msg->body = g_strdup_printf (
              "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]", text);
          insert (f->store, msg, FALSE);
        }
      timchat_store_after_commit (f->store, record_ack, acks);
      g_assert_true (inside_main_loop (NULL, acks, batch + 1));
      written += 200 * 16 * 1024;
      restarts = wal_restarts (wal);
    }
  /* Not before ~128 MiB of WAL (~5 pages a message: well over 64 MiB of bodies). Without the
   * shim SQLite starts it over whenever a checkpoint has caught up, which the waits for the
   * disk here let it do within the first megabytes. */
  g_assert_cmpuint (restarts, >=, 1);
  g_assert_cmpint (written, >=, 64 * 1024 * 1024);

  /* Closing syncs and deletes the WAL; everything is in the database file. */
  g_assert_finalize_object (f->store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  store = (TimchatStoreSqlite *) f->store;
  g_assert_cmpint (
      timchat_sql_query_int (store, timchat_sql_stmt (store, "SELECT count(*) FROM messages"), -1),
      ==, messages);
}

/* The server's database is the only copy: one that is not a database is refused by name and
 * left exactly as it was (the client's cache is put aside instead: test-tim-store). */
static void
test_broken_file_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "timchat.db", NULL);
  g_autofree char *lock = g_strconcat (path, ".lock", NULL);
  g_autofree char *garbage = g_strnfill (8192, 'x');
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  TimchatStore *store;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  store = timchat_store_open (dir, TRUE, &error);
  g_assert_null (store);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INTERNAL);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a database"));
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
  g_unlink (path);
  g_unlink (lock);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/broken-file-refused", test_broken_file_refused);
  g_test_add ("/store/message-is-one-statement", Fixture, NULL, fixture_setup,
              test_message_is_one_statement, fixture_teardown);
  g_test_add ("/store/dedup-index-migration", Fixture, NULL, fixture_setup,
              test_dedup_index_migration, fixture_teardown);
  g_test_add ("/store/acknowledgements-wait-for-sync", Fixture, NULL, fixture_setup,
              test_acknowledgements_wait_for_sync, fixture_teardown);
  g_test_add ("/store/acknowledged-at-the-descriptor-limit", Fixture, NULL, fixture_setup,
              test_acknowledged_at_the_descriptor_limit, fixture_teardown);
  g_test_add ("/store/checkpoints-in-background", Fixture, NULL, fixture_setup,
              test_checkpoints_in_background, fixture_teardown);
  g_test_add ("/store/wal-starts-over", Fixture, NULL, fixture_setup, test_wal_starts_over,
              fixture_teardown);
  return g_test_run ();
}
