/* tim-local-store.c: the per-account SQLite cache. WAL with synchronous=FULL, because the outbox
 * is the only copy of a message the user has accepted for sending: a crash or power loss right
 * after "send" must not lose it. One connection behind a recursive lock, so worker threads can
 * call in and a transaction callback can call the plain functions again. Here: opening, the
 * schema, transactions and the search index's upkeep; the rows (messages, conversations, drafts,
 * outbox, key/value) are in tim-local-store-rows.c. */
#define G_LOG_DOMAIN "tim-local-store"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <sqlite3.h>

#include "tim-json.h"
#include "tim-local-store-private.h"

/* What a messages row says, for search: its text, a file's name or a custom message's
 * description; a recalled one nothing. Of the row a trigger sees, and of the table's rows. */
#define SEARCHABLE_NEW                                                                             \
  "CASE WHEN json_extract (new.record, '$.isRevoked') THEN '' ELSE"                                \
  " coalesce (json_extract (new.record, '$.payload.text'),"                                        \
  " json_extract (new.record, '$.payload.fileName'),"                                              \
  " json_extract (new.record, '$.payload.description'), '') END"
#define SEARCHABLE_ROW                                                                             \
  "CASE WHEN json_extract (record, '$.isRevoked') THEN '' ELSE"                                    \
  " coalesce (json_extract (record, '$.payload.text'),"                                            \
  " json_extract (record, '$.payload.fileName'),"                                                  \
  " json_extract (record, '$.payload.description'), '') END"
/* kv: the rowid below which messages kept before the index still wait to be indexed. */
#define BACKFILL_KEY "search-backfill-below"

/* Versioned schema: entry N brings user_version N-1 to N. Append, never edit. */
static const char *const migrations[] = {
  "CREATE TABLE messages (message_id TEXT PRIMARY KEY NOT NULL, conversation_id TEXT NOT NULL,"
  "  sort_key INTEGER NOT NULL, record TEXT NOT NULL);"
  "CREATE INDEX messages_by_conversation ON messages (conversation_id, sort_key);"
  "CREATE TABLE conversations (id TEXT PRIMARY KEY NOT NULL, record TEXT NOT NULL);"
  "CREATE TABLE outbox (position INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  message_id TEXT NOT NULL UNIQUE, conversation_id TEXT NOT NULL, options TEXT);"
  "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);",
  /* Recalled messages forget what they said, as _tim_message_set_revoked () now does; older
   * versions kept it (elemType 0 is TIM_ELEM_UNKNOWN). */
  "UPDATE messages SET record = json_set (record, '$.payload', json ('{}'),"
  "  '$.msgBody', json ('[]'), '$.elemType', 0, '$.type', NULL, '$.cloudCustomData', '',"
  "  '$.localFile', NULL) WHERE json_extract (record, '$.isRevoked') = 1;"
  "UPDATE conversations SET record = json_set (record, '$.messageForShow', '',"
  "  '$.lastMessage.payload', json ('{}'), '$.lastMessage.msgBody', json ('[]'),"
  "  '$.lastMessage.elemType', 0, '$.lastMessage.type', NULL,"
  "  '$.lastMessage.cloudCustomData', '', '$.lastMessage.localFile', NULL)"
  "  WHERE json_extract (record, '$.lastMessage.isRevoked') = 1;",
  /* Group system notices now come with a ServerSeq that orders them (time, then the server's
   * order); those kept before had none, sorted after everything else in the order of their
   * random MsgSeq, and could not be paged past. They get the time-major order, with MsgSeq for
   * the order within a second (all we have). */
  "UPDATE messages SET record = json_set (record, '$.serverSeq',"
  "  (json_extract (record, '$.time') << 31) | (json_extract (record, '$.sequence') & 2147483647))"
  "  WHERE conversation_id = '@TIM#SYSTEM'"
  "  AND ifnull (json_extract (record, '$.serverSeq'), 0) <= 0;"
  "UPDATE messages SET sort_key = json_extract (record, '$.serverSeq')"
  "  WHERE conversation_id = '@TIM#SYSTEM';",
  /* Search: what a message says, in a trigram full-text index, which finds any substring of
   * three characters or more (Chinese too) through LIKE. Rows are matched by the messages' rowid,
   * which stays put: the store is never VACUUMed. What was kept before is indexed afterwards, a
   * slice at a time (tim_local_store_index_for_search ()), not here: a big store would hold up
   * the login that opens it. Written to run again over itself (tests bring a store back to an
   * older user_version). */
  "CREATE VIRTUAL TABLE IF NOT EXISTS message_text USING fts5 (text, tokenize = 'trigram');"
  "CREATE TRIGGER IF NOT EXISTS message_text_insert AFTER INSERT ON messages BEGIN"
  "  INSERT INTO message_text (rowid, text) VALUES (new.rowid, " SEARCHABLE_NEW ");"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS message_text_update AFTER UPDATE OF record ON messages BEGIN"
  "  DELETE FROM message_text WHERE rowid = old.rowid;"
  "  INSERT INTO message_text (rowid, text) VALUES (new.rowid, " SEARCHABLE_NEW ");"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS message_text_delete AFTER DELETE ON messages BEGIN"
  "  DELETE FROM message_text WHERE rowid = old.rowid;"
  "END;"
  "INSERT INTO kv (key, value) SELECT '" BACKFILL_KEY "', ifnull (max (rowid), 0) + 1 FROM messages"
  "  WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
  /* Group messages the server has now sort by their group sequence, their server sequence (see
   * tim-message-wire.c); those kept before sorted as if still being sent, after the user's own.
   * Their records stay as they are (loading them derives the same): rewriting every record
   * would re-index it for search at this open. */
  "UPDATE messages SET sort_key = json_extract (record, '$.sequence')"
  "  WHERE conversation_id LIKE 'GROUP%' AND ifnull (json_extract (record, '$.serverSeq'), 0) <= 0"
  "  AND json_extract (record, '$.status') = 'success' AND json_extract (record, '$.sequence') > "
  "0;",
  /* Drafts (the native SDKs' setConversationDraft), kept apart from the conversation records:
   * the server's list rewrites those, and a draft may wait for a conversation not listed. */
  "CREATE TABLE IF NOT EXISTS drafts (conversation_id TEXT PRIMARY KEY NOT NULL,"
  "  text TEXT NOT NULL);",
  /* A recall or an edit names its message by conversation and sequence, and may name one of any
   * age (an admin's recall and an edit have no time limit): a lookup, not a scan of the newest.
   * The expression must stay the one FIND_MESSAGE uses. */
  "CREATE INDEX IF NOT EXISTS messages_by_sequence"
  "  ON messages (conversation_id, json_extract (record, '$.sequence'));",
};

G_DEFINE_FINAL_TYPE (TimLocalStore, tim_local_store, G_TYPE_OBJECT)

static void
tim_local_store_finalize (GObject *object)
{
  TimLocalStore *self = TIM_LOCAL_STORE (object);

  for (int i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  /* After the database is closed: a remover that takes the lock finds nothing open. */
  if (self->dir_lock_fd >= 0)
    close (self->dir_lock_fd);
  g_rec_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tim_local_store_parent_class)->finalize (object);
}

static void
tim_local_store_class_init (TimLocalStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tim_local_store_finalize;
}

static void
tim_local_store_init (TimLocalStore *self)
{
  g_rec_mutex_init (&self->lock);
  self->dir_lock_fd = -1;
}

gboolean
_tim_local_store_set_error (TimLocalStore *self, GError **error, const char *what)
{
  int code = sqlite3_extended_errcode (self->db) & 0xff;

  /* The one failure a user can fix, and what the app then shows. */
  if (code == SQLITE_FULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                         _ ("The disk is full. Free some space, then try again."));
  /* tim_local_store_open () puts such a file aside. */
  else if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Local store: %s: %s", what,
                 sqlite3_errmsg (self->db));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Local store: %s: %s", what,
                 sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (TimLocalStore *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _tim_local_store_set_error (self, error, sql);
  return TRUE;
}

/* Turning a new database to WAL takes it whole, and SQLite answers "locked" at once rather than
 * through the busy handler when another connection holds it (another process opening the same
 * new store): tried again for as long as the busy timeout would wait. */
static gboolean
set_wal (TimLocalStore *self, GError **error)
{
  for (guint tries = 0; tries < 500; tries++)
    {
      int rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        return TRUE;
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        break;
      g_usleep (10 * 1000);
    }
  return _tim_local_store_set_error (self, error, "PRAGMA journal_mode = WAL");
}

static int
schema_version (TimLocalStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/* Each step reads the version inside its write transaction: another process opening the same
 * new store at the same time (a second CLI of the user, or the app) may have taken the step
 * since, and doing it again failed ("table messages already exists", 10002 for that process). */
static gboolean
migrate (TimLocalStore *self, GError **error)
{
  for (;;)
    {
      g_autofree char *bump = NULL;
      int version;

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      version = schema_version (self);
      if (version < 0)
        {
          _tim_local_store_set_error (self, error, "reading the schema version");
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (version > (int) G_N_ELEMENTS (migrations))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "Local store: the database has schema version %d, newer than this version "
                       "of TimChat understands (%d)",
                       version, (int) G_N_ELEMENTS (migrations));
          return FALSE;
        }
      if (version == (int) G_N_ELEMENTS (migrations))
        return exec (self, "COMMIT", error);
      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!exec (self, migrations[version], error) || !exec (self, bump, error) ||
          !exec (self, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
}

static TimLocalStore *
open_path (const char *path, GError **error)
{
  g_autoptr (TimLocalStore) self = g_object_new (TIM_TYPE_LOCAL_STORE, NULL);
  int rc;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Local store: cannot open %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  /* secure_delete: what a row had before it was overwritten or deleted (a recalled message's
   * text) is zeroed, not left in the file's free space. */
  if (!set_wal (self, error) || !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA secure_delete = ON", error) || !migrate (self, error) ||
      !_tim_local_store_prepare_all (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The database, its WAL and its shared memory as path.broken (and -wal, -shm): kept for whoever
 * wants to look, out of the way of a fresh start. */
static void
put_aside (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (path, ".broken", suffixes[i], NULL);

      g_unlink (to);
      if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
        g_warning ("Local store: cannot move %s aside: %s", from, g_strerror (errno));
    }
}

TimLocalStore *
tim_local_store_open (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autoptr (GError) local_error = NULL;
  TimLocalStore *store;
  int dir_lock_fd = _tim_local_store_lock_shared (dir, error);

  if (dir_lock_fd < 0)
    return NULL;
  store = open_path (path, &local_error);
  if (store == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      /* A cache of what the server keeps: rather than never logging in again, start over and
       * let the login's sync fill it. Only unsent messages are lost with it, and those were
       * unreadable anyway. */
      g_warning ("%s; moved to %s.broken, starting with an empty one", local_error->message, path);
      put_aside (path);
      g_clear_error (&local_error);
      store = open_path (path, &local_error);
    }
  if (store == NULL)
    {
      close (dir_lock_fd);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  else
    store->dir_lock_fd = dir_lock_fd;
  return store;
}

gboolean
tim_local_store_run_in_transaction (TimLocalStore *self, TimLocalStoreTransactionFunc func,
                                    gpointer user_data, GError **error)
{
  /* Held until the end: func may run code that lets go of the store (a message accepted saves
   * its conversation, which tells the list updated, and a handler of that may log the client
   * out). The commit and the unlock then reached a freed store. */
  g_autoptr (TimLocalStore) held = NULL;
  gboolean ok;

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && func != NULL, FALSE);

  held = g_object_ref (self);

  g_rec_mutex_lock (&self->lock);
  /* Nested: the outer transaction commits or rolls back. */
  if (!sqlite3_get_autocommit (self->db))
    ok = func (self, user_data, error);
  else if ((ok = exec (self, "BEGIN IMMEDIATE", error)))
    {
      ok = func (self, user_data, error) && exec (self, "COMMIT", error);
      if (!ok && !sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  g_rec_mutex_unlock (&self->lock);
  return ok;
}

gboolean
tim_local_store_scrub (TimLocalStore *self, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);
  /* The search index keeps what a deleted entry said in its older segments until they are
   * merged: optimize merges them all, so a recalled text is gone from it too. */
  ok = exec (self, "INSERT INTO message_text (message_text) VALUES ('optimize')", error) &&
       exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error);
  g_rec_mutex_unlock (&self->lock);
  return ok;
}

typedef struct
{
  gint64 from, below;
} Slice;

static gboolean
index_slice (TimLocalStore *self, gpointer user_data, GError **error)
{
  Slice *slice = user_data;
  g_autofree char *sql = g_strdup_printf (
      /* A row changed since the migration is indexed already (its trigger): indexed again, once. */
      "DELETE FROM message_text WHERE rowid >= %" G_GINT64_FORMAT " AND rowid < %" G_GINT64_FORMAT
      ";"
      "INSERT INTO message_text (rowid, text) SELECT rowid, " SEARCHABLE_ROW " FROM messages"
      "  WHERE rowid >= %" G_GINT64_FORMAT " AND rowid < %" G_GINT64_FORMAT ";"
      "UPDATE kv SET value = %" G_GINT64_FORMAT " WHERE key = '" BACKFILL_KEY "';",
      slice->from, slice->below, slice->from, slice->below, slice->from);

  return exec (self, sql, error);
}

gboolean
tim_local_store_index_for_search (TimLocalStore *self, guint max_rows)
{
  g_autofree char *below_text = NULL;
  g_autoptr (GError) error = NULL;
  Slice slice;

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self), FALSE);

  below_text = tim_local_store_get_value (self, BACKFILL_KEY);
  slice.below = below_text != NULL ? g_ascii_strtoll (below_text, NULL, 10) : 0;
  if (slice.below <= 1)
    return FALSE;
  /* Newest first: the messages one looks for first are searchable first. */
  slice.from = MAX (1, slice.below - (gint64) max_rows);
  if (!tim_local_store_run_in_transaction (self, index_slice, &slice, &error))
    {
      g_warning ("Local store: indexing for search: %s", error->message);
      return FALSE;
    }
  return slice.from > 1;
}
