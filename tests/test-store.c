/* test-store.c: the SQLite store on a real file: migrations, exactly-once inserts, conversation
 * bookkeeping, retention. */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tim-error.h"
#include "timchat-store-sqlite-private.h"
#include "timchat-store.h"

typedef struct
{
  char *dir;
  TimchatStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("timchat-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "timchat.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *lock = g_strconcat (db, ".lock", NULL);

  g_assert_finalize_object (f->store);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (lock);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static TimchatMsg *
c2c_msg (const char *from, const char *to, gint64 client_seq, gint64 random, gint64 time)
{
  TimchatMsg *msg = g_new0 (TimchatMsg, 1);

  msg->conv_type = TIM_CONV_C2C;
  msg->from_user = g_strdup (from);
  msg->to_id = g_strdup (to);
  msg->client_seq = client_seq;
  msg->random = random;
  msg->time = time;
  msg->client_time = time;
  msg->priority = 2;
  msg->body = g_strdup ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]");
  return msg;
}

static void
insert (TimchatStore *store, TimchatMsg *msg, gboolean expect_duplicate)
{
  g_autoptr (GError) error = NULL;
  gboolean duplicate = !expect_duplicate;

  g_assert_true (timchat_store_insert_message (store, msg, &duplicate, &error));
  g_assert_no_error (error);
  g_assert_cmpint (duplicate, ==, expect_duplicate);
}

static gpointer
release_lock_later (gpointer data)
{
  g_usleep (500 * 1000);
  close (GPOINTER_TO_INT (data));
  return NULL;
}

static void
test_accounts_and_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatAccount) alice = timchat_store_ensure_account (f->store, "alice", &error);
  g_autoptr (TimchatAccount) bob = timchat_store_ensure_account (f->store, "bob", &error);
  g_autoptr (TimchatAccount) alice_again = timchat_store_ensure_account (f->store, "alice", &error);
  g_autoptr (TimchatAccount) by_tinyid = NULL;
  g_autoptr (TimchatAccount) after_reopen = NULL;
  g_autofree char *user = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (alice->tinyid, >, G_GUINT64_CONSTANT (144115000000000000));
  g_assert_cmpuint (bob->tinyid, !=, alice->tinyid);
  g_assert_cmpuint (alice_again->tinyid, ==, alice->tinyid);
  by_tinyid = timchat_store_get_account_by_tinyid (f->store, bob->tinyid);
  g_assert_cmpstr (by_tinyid->user_id, ==, "bob");

  g_assert_true (timchat_store_add_ticket (f->store, "a2-alice", "alice", G_MAXINT32, &error));
  user = timchat_store_check_ticket (f->store, "a2-alice", 1000, NULL);
  g_assert_cmpstr (user, ==, "alice");
  g_assert_null (timchat_store_check_ticket (f->store, "a2-nobody", 1000, NULL));
  g_assert_null (timchat_store_check_ticket (f->store, "a2-alice", G_MAXINT32, NULL));

  /* One process per database: a second store on it is refused while the first is open. */
  g_assert_null (timchat_store_open (f->dir, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "another timchat-server"));
  g_clear_error (&error);

  /* Migrations run once: reopening an existing file keeps everything; a process still letting
   * go of it (its lock held for another 500 ms here) is waited for. */
  g_assert_finalize_object (f->store);
  {
    g_autofree char *lock_path = g_build_filename (f->dir, "timchat.db.lock", NULL);
    int lock_fd = open (lock_path, O_RDWR);
    g_autoptr (GThread) releaser = NULL;
    gint64 start = g_get_monotonic_time ();

    g_assert_cmpint (lock_fd, >=, 0);
    g_assert_cmpint (flock (lock_fd, LOCK_EX | LOCK_NB), ==, 0);
    releaser = g_thread_new ("release-lock", release_lock_later, GINT_TO_POINTER (lock_fd));
    f->store = timchat_store_open (f->dir, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
    g_thread_join (g_steal_pointer (&releaser));
  }
  after_reopen = timchat_store_get_account (f->store, "alice");
  g_assert_cmpuint (after_reopen->tinyid, ==, alice->tinyid);
}

/* Account rows are cached after the first read: every write must show through at once. */
static void
test_account_cache (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatAccount) created = timchat_store_ensure_account (f->store, "carol", &error);
  TimchatAccount *read;

  g_assert_no_error (error);
  for (int i = 0; i < 2; i++) /* the second read comes from the cache */
    {
      read = timchat_store_get_account (f->store, "carol");
      g_assert_cmpuint (read->tinyid, ==, created->tinyid);
      g_assert_cmpstr (read->nick, ==, "");
      timchat_account_free (read);
    }

  g_assert_true (
      timchat_store_update_profile (f->store, "carol", "Carol", "http://a/c.png", NULL, &error));
  read = timchat_store_get_account (f->store, "carol");
  g_assert_cmpstr (read->nick, ==, "Carol");
  g_assert_cmpstr (read->avatar, ==, "http://a/c.png");
  /* What the caller gets is its own copy. */
  g_free (read->nick);
  read->nick = g_strdup ("changed by the caller");
  timchat_account_free (read);
  read = timchat_store_get_account (f->store, "carol");
  g_assert_cmpstr (read->nick, ==, "Carol");
  timchat_account_free (read);

  /* A failed operation rolls back; the cache must not keep anything it read inside. */
  g_assert_false (timchat_store_delete_account (f->store, "nobody", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);
  read = timchat_store_get_account (f->store, "carol");
  g_assert_cmpstr (read->nick, ==, "Carol");
  timchat_account_free (read);
  /* The failed delete above cached nothing, so it cannot tell: here a row is read (and cached)
   * inside a savepoint that is then rolled back, and must not be found afterwards. */
  g_assert_true (timchat_sql_begin (TIMCHAT_STORE_SQLITE (f->store), &error));
  read = timchat_store_ensure_account (f->store, "dave", &error);
  g_assert_no_error (error);
  g_assert_nonnull (read);
  timchat_account_free (read);
  timchat_sql_rollback (TIMCHAT_STORE_SQLITE (f->store));
  g_assert_null (timchat_store_get_account (f->store, "dave"));

  /* Deleted: gone for lookups, and a login (ensure) does not bring it back. */
  g_assert_true (timchat_store_delete_account (f->store, "carol", &error));
  g_assert_no_error (error);
  g_assert_null (timchat_store_get_account (f->store, "carol"));
  g_assert_null (timchat_store_ensure_account (f->store, "carol", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);

  /* Imported again: a new row with the imported nick. */
  g_assert_true (timchat_store_import_account (f->store, "carol", "Carol 2", NULL, &error));
  g_assert_no_error (error);
  read = timchat_store_get_account (f->store, "carol");
  g_assert_nonnull (read);
  g_assert_cmpstr (read->nick, ==, "Carol 2");
  timchat_account_free (read);
}

static void
test_exactly_once_and_order (Fixture *f, gconstpointer data)
{
  g_autoptr (TimchatMsg) first = c2c_msg ("alice", "bob", 1, 10, 1000);
  g_autoptr (TimchatMsg) second =
      c2c_msg ("bob", "alice", 1, 10, 1001); /* other sender: distinct */
  g_autoptr (TimchatMsg) resend = c2c_msg ("alice", "bob", 1, 10, 2000);
  g_autoptr (GPtrArray) history = NULL;

  insert (f->store, first, FALSE);
  insert (f->store, second, FALSE);
  insert (f->store, resend, TRUE);
  g_assert_cmpint (first->seq, ==, 1);
  g_assert_cmpint (second->seq, ==, 2);
  /* The resend reports the original's identity and time. */
  g_assert_cmpint (resend->id, ==, first->id);
  g_assert_cmpint (resend->seq, ==, 1);
  g_assert_cmpint (resend->time, ==, 1000);

  history = timchat_store_history (f->store, NULL, TIM_CONV_C2C, "bob", "alice", 0, 10);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (((TimchatMsg *) history->pdata[0])->seq, ==, 2); /* newest first */
}

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
exec_sql (TimchatStore *store, const char *sql)
{
  g_assert_cmpint (sqlite3_exec (((TimchatStoreSqlite *) store)->db, sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
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

static void
test_conversations_unread_and_delete (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (TimchatConversation) conv = NULL;
  g_autoptr (TimchatConversation) alice_view = NULL;

  for (int i = 1; i <= 3; i++)
    {
      g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", i, i, 1000 + i);
      insert (f->store, msg, FALSE);
    }
  conv = timchat_store_get_conversation (f->store, "bob", TIM_CONV_C2C, "alice");
  g_assert_cmpint (conv->unread, ==, 3);
  g_assert_cmpstr (conv->last->from_user, ==, "alice");
  alice_view = timchat_store_get_conversation (f->store, "alice", TIM_CONV_C2C, "bob");
  g_assert_cmpint (alice_view->unread, ==, 0); /* own messages are read */

  g_assert_cmpint (
      timchat_store_mark_read (f->store, "bob", TIM_CONV_C2C, "alice", 1002, 0, &error), ==, 2);
  g_clear_pointer (&conv, timchat_conversation_free);
  conv = timchat_store_get_conversation (f->store, "bob", TIM_CONV_C2C, "alice");
  g_assert_cmpint (conv->unread, ==, 1);

  g_assert_true (
      timchat_store_delete_conversation (f->store, "bob", TIM_CONV_C2C, "alice", &error));
  list = timchat_store_list_conversations (f->store, "bob", 0);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_false (
      timchat_store_delete_conversation (f->store, "bob", TIM_CONV_C2C, "nobody", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND);
  {
    g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", 9, 9, 2000);
    insert (f->store, msg, FALSE);
  }
  g_clear_pointer (&list, g_ptr_array_unref);
  list = timchat_store_list_conversations (f->store, "bob", 0);
  g_assert_cmpuint (list->len, ==, 1);
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

/* Retention goes a bounded step at a time: the five old messages and their ten sync events go
 * in steps of at most four, the fresh ones stay. */
static void
test_retention (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GPtrArray) alices = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *backdate =
      g_strdup_printf ("UPDATE events SET created = %" G_GINT64_FORMAT
                       " WHERE id IN (SELECT id FROM events ORDER BY id LIMIT 10)",
                       now - 10 * 86400);

  for (int i = 0; i < 7; i++)
    {
      g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", i, i, i < 5 ? now - 10 * 86400 : now);
      insert (f->store, msg, FALSE);
    }
  exec_sql (f->store, backdate); /* the events of the old ones, two a message */
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 4);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 4);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 2);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 0);
  history = timchat_store_history (f->store, NULL, TIM_CONV_C2C, "alice", "bob", 0, 10);
  g_assert_cmpuint (history->len, ==, 2);
  alices = timchat_store_read_events (f->store, "alice", 0, 100);
  g_assert_cmpuint (alices->len, ==, 2);
}

#define FILE_A "0123456789abcdef0123456789abcdef.png"
#define FILE_A_THUMB "0123456789abcdef0123456789abcdef_198.png"
#define FILE_B "fedcba9876543210fedcba9876543210.pdf"

static gboolean
names_equal (GPtrArray *names, const char *const *want)
{
  if (names->len != g_strv_length ((char **) want))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    if (!g_strv_contains (want, names->pdata[i]))
      return FALSE;
  return TRUE;
}

/* An upload is kept while the newest message that mentions it is: a message moves its time on
 * (never back), and a name that is not one of ours (a path outside /files/, capitals, "..") is
 * not listed at all. */
static void
test_files_kept_while_mentioned (Fixture *f, gconstpointer data)
{
  const char *uploaded[] = { FILE_A, FILE_A_THUMB, FILE_B, NULL };
  const char *only_b[] = { FILE_B, NULL };
  const char *a_and_thumb[] = { FILE_A, FILE_A_THUMB, NULL };
  g_autoptr (TimchatMsg) image = c2c_msg ("alice", "bob", 1, 1, 500);
  g_autoptr (TimchatMsg) older = c2c_msg ("alice", "bob", 2, 2, 50);
  g_autoptr (TimchatMsg) strange = c2c_msg ("alice", "bob", 3, 3, 900);
  g_autoptr (GPtrArray) expired = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (timchat_store_keep_files (f->store, uploaded, 100, &error));
  g_assert_no_error (error);
  g_free (image->body);
  image->body =
      g_strdup ("[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"ImageInfoArray\":["
                "{\"Type\":1,\"URL\":\"http://127.0.0.1:1/files/" FILE_A "\"},"
                "{\"Type\":3,\"URL\":\"https://chat.example/files/" FILE_A_THUMB "?x=1\"}]}}]");
  insert (f->store, image, FALSE);
  /* A message imported with an old time does not take A's time back. */
  g_free (older->body);
  older->body = g_strdup ("[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":"
                          "\"see /files/" FILE_A "\"}}]");
  insert (f->store, older, FALSE);
  g_free (strange->body);
  strange->body = g_strdup ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
                            "\"/files/../timchat.db /files/0123456789ABCDEF0123456789ABCDEF.png "
                            "/static/" FILE_B "\"}}]");
  insert (f->store, strange, FALSE);

  expired = timchat_store_expired_files (f->store, 200, 10);
  g_assert_true (names_equal (expired, only_b));
  g_assert_true (timchat_store_forget_files (f->store, expired, &error));
  g_assert_no_error (error);
  g_clear_pointer (&expired, g_ptr_array_unref);
  expired = timchat_store_expired_files (f->store, 500, 10);
  g_assert_cmpuint (expired->len, ==, 0);
  g_clear_pointer (&expired, g_ptr_array_unref);
  expired = timchat_store_expired_files (f->store, 501, 10);
  g_assert_true (names_equal (expired, a_and_thumb));
  g_clear_pointer (&expired, g_ptr_array_unref);
  /* At most `limit` a step, oldest first. */
  expired = timchat_store_expired_files (f->store, 10000, 1);
  g_assert_cmpuint (expired->len, ==, 1);
}

/* Merged messages' lists: read back by key, one list a key; retention removes one a step at a
 * time by its last use (a message sent with its key keeps an old one); the uploads a list
 * mentions are kept as long as it is. */
static void
test_relay_lists (Fixture *f, gconstpointer data)
{
  const char *uploaded[] = { FILE_A, NULL };
  const char *fresh_list = "[{\"MsgBody\":[{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{\"Url\":"
                           "\"http://127.0.0.1:1/files/" FILE_A "\"}}]}]";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 old = now - 10 * 86400;
  g_autoptr (GPtrArray) expired = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fresh = NULL;

  g_assert_true (timchat_store_keep_files (f->store, uploaded, 100, &error));
  g_assert_true (timchat_store_save_relay_list (f->store, "old", "alice", old, "[1]", &error));
  g_assert_true (
      timchat_store_save_relay_list (f->store, "forwarded", "alice", old, "[2]", &error));
  g_assert_true (
      timchat_store_save_relay_list (f->store, "fresh", "alice", now, fresh_list, &error));
  g_assert_no_error (error);
  g_assert_false (timchat_store_save_relay_list (f->store, "old", "bob", now, "[3]", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INTERNAL);
  g_clear_error (&error);
  g_assert_cmpstr ((text = timchat_store_get_relay_list (f->store, "old")), ==, "[1]");
  g_assert_null (timchat_store_get_relay_list (f->store, "never"));
  g_assert_true (timchat_store_use_relay_list (f->store, "forwarded", now, &error));
  g_assert_no_error (error);
  g_assert_false (timchat_store_use_relay_list (f->store, "never", now, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  expired = timchat_store_expired_files (f->store, now - 1, 10);
  g_assert_cmpuint (expired->len, ==, 0);

  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 1);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_null ((text = timchat_store_get_relay_list (f->store, "old")));
  g_assert_cmpstr ((text = timchat_store_get_relay_list (f->store, "forwarded")), ==, "[2]");
  g_assert_cmpstr ((fresh = timchat_store_get_relay_list (f->store, "fresh")), ==, fresh_list);
}

/* Profile fields besides the nick and the avatar (migration 25): strings and integers keep their
 * type, "" removes a field, an update is all or nothing with the nick, and they survive a reopen
 * and go with the account. */
static void
test_profile_fields (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatAccount) account = timchat_store_ensure_account (f->store, "erin", &error);
  g_autoptr (GPtrArray) set =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_profile_field_free);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (TimchatAccount) read = NULL;
  TimchatProfileField *field;

  g_assert_no_error (error);
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_IM_Level", NULL, 4294967295));
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_IM_Location", "123", 0));
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_Custom_A", "x", 0));
  g_assert_true (timchat_store_update_profile (f->store, "erin", "Erin", NULL, set, &error));
  g_assert_no_error (error);

  g_clear_object (&f->store);
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  read = timchat_store_get_account (f->store, "erin");
  g_assert_cmpstr (read->nick, ==, "Erin");
  got = timchat_store_get_profile_fields (f->store, "erin");
  g_assert_cmpuint (got->len, ==, 3);
  field = got->pdata[0]; /* by tag */
  g_assert_cmpstr (field->tag, ==, "Tag_Profile_Custom_A");
  g_assert_cmpstr (field->text, ==, "x");
  field = got->pdata[1];
  g_assert_cmpstr (field->tag, ==, "Tag_Profile_IM_Level");
  g_assert_null (field->text);
  g_assert_cmpint (field->number, ==, 4294967295);
  field = got->pdata[2];
  g_assert_cmpstr (field->text, ==, "123"); /* text that looks like a number stays text */
  g_clear_pointer (&got, g_ptr_array_unref);

  g_ptr_array_set_size (set, 0);
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_Custom_A", "", 0));
  g_assert_true (timchat_store_update_profile (f->store, "erin", NULL, NULL, set, &error));
  got = timchat_store_get_profile_fields (f->store, "erin");
  g_assert_cmpuint (got->len, ==, 2);
  g_clear_pointer (&got, g_ptr_array_unref);

  g_assert_true (timchat_store_delete_account (f->store, "erin", &error));
  got = timchat_store_get_profile_fields (f->store, "erin");
  g_assert_cmpuint (got->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/account-cache", Fixture, NULL, fixture_setup, test_account_cache,
              fixture_teardown);
  g_test_add_func ("/store/broken-file-refused", test_broken_file_refused);
  g_test_add ("/store/accounts-and-reopen", Fixture, NULL, fixture_setup, test_accounts_and_reopen,
              fixture_teardown);
  g_test_add ("/store/exactly-once-and-order", Fixture, NULL, fixture_setup,
              test_exactly_once_and_order, fixture_teardown);
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
  g_test_add ("/store/conversations", Fixture, NULL, fixture_setup,
              test_conversations_unread_and_delete, fixture_teardown);
  g_test_add ("/store/retention", Fixture, NULL, fixture_setup, test_retention, fixture_teardown);
  g_test_add ("/store/files-kept-while-mentioned", Fixture, NULL, fixture_setup,
              test_files_kept_while_mentioned, fixture_teardown);
  g_test_add ("/store/relay-lists", Fixture, NULL, fixture_setup, test_relay_lists,
              fixture_teardown);
  g_test_add ("/store/profile-fields", Fixture, NULL, fixture_setup, test_profile_fields,
              fixture_teardown);
  return g_test_run ();
}
