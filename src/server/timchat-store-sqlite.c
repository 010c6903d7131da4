/* timchat-store-sqlite.c: SQLite in WAL mode. All writes of one operation share one
 * transaction, so an acknowledged message, its conversation rows and its sync events are either
 * all on disk or none (the group commit is timchat-store-sqlite-batch.c). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "tim-error.h"
#include "timchat-server-resources.h"
#include "timchat-store-sqlite-private.h"

G_DEFINE_FINAL_TYPE (TimchatStoreSqlite, timchat_store_sqlite, TIMCHAT_TYPE_STORE)

gboolean
timchat_sql_error (TimchatStoreSqlite *self, GError **error)
{
  g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "Storage error: %s",
               sqlite3_errmsg (self->db));
  return FALSE;
}

/* Returns a reset statement, prepared on first use and cached by the SQL's address: every SQL
 * here is a literal, and hashing the text of ~12 statements a message was ~4 % of the store's
 * time (bench-store, perf: g_str_hash and memcmp). The same text at two addresses is just
 * prepared twice. */
sqlite3_stmt *
timchat_sql_stmt (TimchatStoreSqlite *self, const char *sql)
{
  sqlite3_stmt *statement = g_hash_table_lookup (self->statements, sql);

  if (statement == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL) !=
          SQLITE_OK)
        g_error ("Cannot prepare %s: %s", sql, sqlite3_errmsg (self->db));
      g_hash_table_insert (self->statements, (gpointer) sql, statement);
    }
  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
  /* A write that is one statement (a pin, a block) needs no savepoint, but it must be in the
   * iteration's transaction all the same: its answer then waits for that commit's sync, as a
   * message's does, where on its own it would commit at once and be answered before the disk
   * has it. Here, so that no write can forget (some did). */
  if (self->open && !sqlite3_stmt_readonly (statement) &&
      (!self->batch_open || sqlite3_get_autocommit (self->db) ||
       (self->command_running && !self->command_open)))
    {
      g_autoptr (GError) error = NULL;

      if (!timchat_sql_ensure_batch (self, &error))
        g_warning ("A write goes out of the group commit: %s", error->message);
    }
  return statement;
}

void
timchat_sql_bind_text (sqlite3_stmt *statement, int index, const char *value)
{
  if (value == NULL)
    sqlite3_bind_null (statement, index);
  else
    sqlite3_bind_text (statement, index, value, -1, SQLITE_TRANSIENT);
}

char *
timchat_sql_column_text (sqlite3_stmt *statement, int column)
{
  const unsigned char *text = sqlite3_column_text (statement, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
timchat_sql_exec (TimchatStoreSqlite *self, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "Storage error: %s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static void
sqlite_set_erase_seconds (TimchatStore *store, guint seconds)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;

  if (self->wal_sync != NULL)
    timchat_wal_sync_set_scrub_deadline (self->wal_sync, seconds);
}

/* Runs a statement that returns no rows. */
gboolean
timchat_sql_step_done (TimchatStoreSqlite *self, sqlite3_stmt *statement, GError **error)
{
  int rc = sqlite3_step (statement);

  sqlite3_reset (statement);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return timchat_sql_error (self, error);
  return TRUE;
}

gint64
timchat_sql_query_int (TimchatStoreSqlite *self, sqlite3_stmt *statement, gint64 fallback)
{
  gint64 value = fallback;

  if (sqlite3_step (statement) == SQLITE_ROW && sqlite3_column_type (statement, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (statement, 0);
  sqlite3_reset (statement);
  return value;
}

char *
timchat_sql_conv_key (TimConvType type, const char *a, const char *b)
{
  if (type == TIM_CONV_GROUP)
    return g_strdup (a);
  /* One key per unordered pair, so both directions share one order. */
  return strcmp (a, b) <= 0 ? g_strconcat (a, "\n", b, NULL) : g_strconcat (b, "\n", a, NULL);
}

/* ---------------------------------------------------------------- schema */

static gboolean
migrate (TimchatStoreSqlite *self, GError **error)
{
  /* Looked up in our own resource: a static library drops the auto-registration constructor. */
  g_autoptr (GBytes) script = g_resource_lookup_data (
      timchat_server_get_resource (), "/org/example/TimChat/server/store-sqlite.sql",
      G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_auto (GStrv) sections = NULL;
  sqlite3_stmt *version_stmt;
  gint64 version, newest;

  if (script == NULL)
    return FALSE;
  version_stmt = timchat_sql_stmt (self, "PRAGMA user_version");
  version = timchat_sql_query_int (self, version_stmt, 0);
  sections = g_strsplit (g_bytes_get_data (script, NULL), "-- migration ", -1);
  /* sections[0] is the preamble; sections[n] starts with the number n. */
  newest = g_ascii_strtoll (sections[g_strv_length (sections) - 1], NULL, 10);
  /* A store a newer server has migrated (this one is an older build, put back): running on it,
   * this server would write rows without what the newer migrations keep (a member's joined_seq,
   * say) and leave them so for the newer one, which does not migrate them again. Refused before
   * anything is written, as the app's local store refuses its own. */
  if (version > newest)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s has storage version %" G_GINT64_FORMAT ", newer than this timchat-server "
                   "knows (%" G_GINT64_FORMAT "): a newer timchat-server wrote it; run that one",
                   sqlite3_db_filename (self->db, "main"), version, newest);
      return FALSE;
    }
  for (guint i = 1; sections[i] != NULL; i++)
    {
      gint64 number = g_ascii_strtoll (sections[i], NULL, 10);
      g_autofree char *pragma = NULL;

      if (number <= version)
        continue;
      if (!timchat_sql_exec (self, "BEGIN IMMEDIATE", error) ||
          !timchat_sql_exec (self, strchr (sections[i], '\n'), error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      pragma = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, number);
      if (!timchat_sql_exec (self, pragma, error) || !timchat_sql_exec (self, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      g_info ("Storage migrated to version %" G_GINT64_FORMAT, number);
    }
  return TRUE;
}

/* ---------------------------------------------------------------- object */

/* Whatever the last iteration wrote goes to disk before the file closes. Here, not in finalize:
 * until the chain-up, ::disk-failed still reaches its handlers, so a sync that fails now (one the
 * shutdown's drain gave up waiting for) still makes the server exit 75, not 0. */
static void
timchat_store_sqlite_dispose (GObject *object)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) object;

  if (self->batch_open)
    timchat_sql_commit_batch (self);
  g_clear_pointer (&self->wal_sync, timchat_wal_sync_free);
  G_OBJECT_CLASS (timchat_store_sqlite_parent_class)->dispose (object);
}

static void
timchat_store_sqlite_finalize (GObject *object)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) object;

  g_clear_pointer (&self->after_commit, g_array_unref);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->last_seqs, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->vfs, timchat_sqlite_vfs_free);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  G_OBJECT_CLASS (timchat_store_sqlite_parent_class)->finalize (object);
}

static void
timchat_store_sqlite_class_init (TimchatStoreSqliteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TimchatStoreClass *store_class = TIMCHAT_STORE_CLASS (klass);

  object_class->dispose = timchat_store_sqlite_dispose;
  object_class->finalize = timchat_store_sqlite_finalize;
  store_class->set_erase_seconds = sqlite_set_erase_seconds;
  /* No allocation statistics: keeping them takes a global mutex around every SQLite malloc and
   * free. Only possible before SQLite's first use in the process (later it is SQLITE_MISUSE and
   * nothing changes). */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
  _timchat_store_sqlite_class_init_batch (store_class);
  _timchat_store_sqlite_class_init_accounts (store_class);
  _timchat_store_sqlite_class_init_messages (store_class);
  _timchat_store_sqlite_class_init_history (store_class);
  _timchat_store_sqlite_class_init_conversations (store_class);
  _timchat_store_sqlite_class_init_groups (store_class);
  _timchat_store_sqlite_class_init_files (store_class);
  _timchat_store_sqlite_class_init_blocks (store_class);
  _timchat_store_sqlite_class_init_relay (store_class);
  _timchat_store_sqlite_class_init_applications (store_class);
  _timchat_store_sqlite_class_init_folders (store_class);
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static void
timchat_store_sqlite_init (TimchatStoreSqlite *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  self->after_commit = g_array_new (FALSE, FALSE, sizeof (AfterCommit));
  self->lock_fd = -1;
  self->accounts =
      g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) timchat_account_free);
  self->last_seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static int
on_wal_commit (gpointer user_data, sqlite3 *db, const char *name, int wal_pages)
{
  TimchatStoreSqlite *self = user_data;

  timchat_wal_sync_wal_grew (self->wal_sync, wal_pages);
  return SQLITE_OK;
}

/* A sync of the WAL failed. The last connection to close would checkpoint the WAL into the
 * database and delete it, copying pages the disk may have lost as if they were good; kept, the
 * WAL is read back at the next start by SQLite's recovery, which checks every frame's checksum
 * and stops at the first one the disk did not keep. */
static void
on_wal_sync_failed (gpointer user_data)
{
  TimchatStoreSqlite *self = user_data;

  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  timchat_store_disk_failed (TIMCHAT_STORE (self));
}

/* One process per database: the account cache and the deferred database syncs
 * (timchat-sqlite-vfs.c) assume nothing else writes it. */
static gboolean
lock_database (TimchatStoreSqlite *self, const char *path, GError **error)
{
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);

  self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot open %s: %s",
                   lock_path, g_strerror (saved_errno));
      return FALSE;
    }
  /* A server that is shutting down holds it for a moment more: wait up to 2 s for that. */
  for (guint tries = 0; flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0; tries++)
    {
      if (tries < 40)
        {
          g_usleep (50 * 1000);
          continue;
        }
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   "%s is in use by another process (another timchat-server with the same data "
                   "directory?)",
                   path);
      return FALSE;
    }
  return TRUE;
}

TimchatStore *
timchat_store_sqlite_new (const char *path, gboolean durable, GError **error)
{
  g_autoptr (TimchatStoreSqlite) self = g_object_new (TIMCHAT_TYPE_STORE_SQLITE, NULL);

  if (!lock_database (self, path, error))
    return NULL;

  /* Durable: through the shim that lets checkpoints leave the database's sync for later
   * (timchat-sqlite-vfs.c); the checkpointer opens through it too. */
  if (durable)
    self->vfs = timchat_sqlite_vfs_new ();
  if (sqlite3_open_v2 (
          path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
          self->vfs != NULL ? timchat_sqlite_vfs_get_name (self->vfs) : NULL) != SQLITE_OK)
    {
      timchat_sql_error (self, error);
      return NULL;
    }
  /* SQLite opens a file it may not write (restored without write permission, on a read-only
   * mount) read-only rather than fail, and the server then listened with every write refused,
   * until a sync of the WAL it could not open stopped it as a failed disk (exit 75, which a
   * supervisor answers by starting it again, for ever), leaving a read-only WAL beside it. Said
   * before anything is read or created. */
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY,
                           "read-only for timchat-server, which writes to it (its permissions? a "
                           "read-only file system?)");
      return NULL;
    }
  timchat_sql_set_busy_poll (self->db, 5000);
  /* WAL: readers never wait for the writer. NORMAL: a COMMIT does not wait for the disk; on a
   * durable store the acknowledgements wait for timchat-wal-sync's fdatasync instead, so an
   * acknowledged message still survives power loss, without the main loop blocking on it. */
  if (!timchat_sql_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !timchat_sql_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !timchat_sql_exec (self, "PRAGMA foreign_keys = ON", error) ||
      /* What a row had before it was overwritten or deleted (a recalled message's text, a
       * message past retention) is zeroed, not left in the page's free space. Debian's SQLite
       * is built with this on; others (the Flatpak runtime's) are not. */
      !timchat_sql_exec (self, "PRAGMA secure_delete = ON", error) ||
      /* Writes are savepoints (or single statements) inside the iteration's transaction, and
       * each journals the original of every page it touches (~10 per message). Past 64 KiB SQLite
       * spilled that sub-journal to a temporary file: a pwrite per page, 15 % of the relay's
       * main thread in perf. It is only needed to roll a savepoint back, never after a crash
       * (the WAL is what survives), so memory is the place for it. */
      !timchat_sql_exec (self, "PRAGMA temp_store = MEMORY", error) || !migrate (self, error))
    return NULL;
  if (durable)
    {
      self->wal_sync = timchat_wal_sync_new (path, self->vfs, on_wal_sync_failed, self);
      /* Replaces SQLite's automatic checkpoint, which would run inside our COMMITs. */
      sqlite3_wal_hook (self->db, on_wal_commit, self);
    }
  self->open = TRUE;
  return TIMCHAT_STORE (g_steal_pointer (&self));
}
