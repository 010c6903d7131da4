/* timchat-store-sqlite-batch.c: the group commit. Every write of one main-loop iteration goes
 * into one transaction, committed when the iteration ends; each store operation is a savepoint in
 * it (or one statement, atomic by itself), and each command a savepoint around its operations.
 * What acknowledges a write waits for that commit (and, on a durable store, its sync). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-sqlite-private.h"

/* Ends the open transaction. On a durable store the COMMIT only hands the pages to the OS; the
 * acknowledgements wait for the sync thread's fdatasync (see timchat-wal-sync.c). */
void
timchat_sql_commit_batch (TimchatStoreSqlite *self)
{
  g_autoptr (GArray) waiting = self->after_commit;
  char *message = NULL;
  gboolean lost = self->batch_lost || sqlite3_get_autocommit (self->db);
  gboolean committed;

  g_clear_handle_id (&self->batch_source, g_source_remove);
  self->batch_open = FALSE;
  self->batch_lost = FALSE;
  self->after_commit = g_array_new (FALSE, FALSE, sizeof (AfterCommit));
  /* A batch SQLite rolled back is refused whole: what it wrote after that waits in a transaction
   * of its own (ensure_batch ()), rolled back here with the rest. */
  committed = !lost && sqlite3_exec (self->db, "COMMIT", NULL, NULL, &message) == SQLITE_OK;
  if (!committed)
    {
      /* A full or failing disk is the world, not a bug here: a warning, and the server goes on. */
      g_warning ("Storage commit failed, %u acknowledgements withdrawn: %s", waiting->len,
                 lost ? "SQLite rolled the transaction back after an error" : message);
      sqlite3_free (message);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->accounts);
      g_hash_table_remove_all (self->last_seqs);
    }
  else if (self->wal_sync != NULL)
    {
      for (guint i = 0; i < waiting->len; i++)
        {
          AfterCommit *pending = &g_array_index (waiting, AfterCommit, i);
          timchat_wal_sync_queue (self->wal_sync, pending->func, pending->user_data);
        }
      timchat_wal_sync_flush (self->wal_sync);
      return;
    }
  /* Not durable: SQLite's own checkpoints run here, and the WAL is truncated here too (busy
   * readers: after the next commit). */
  else if (self->scrub_wanted)
    self->scrub_wanted = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                                    NULL, NULL) != SQLITE_OK;
  for (guint i = 0; i < waiting->len; i++)
    {
      AfterCommit *pending = &g_array_index (waiting, AfterCommit, i);
      pending->func (committed, pending->user_data);
    }
}

void
timchat_sql_scrub_wal (TimchatStoreSqlite *self)
{
  if (self->wal_sync != NULL)
    timchat_wal_sync_scrub_when_idle (self->wal_sync);
  else
    self->scrub_wanted = TRUE;
}

/* The end of a main-loop iteration that wrote. */
static gboolean
on_iteration_end (gpointer user_data)
{
  TimchatStoreSqlite *self = user_data;

  self->batch_source = 0;
  timchat_sql_commit_batch (self);
  return G_SOURCE_REMOVE;
}

/* Opens the iteration's transaction: none is open, or SQLite rolled it back by itself. */
static gboolean
open_batch (TimchatStoreSqlite *self, GError **error)
{
  /* After some errors (an I/O error, a full disk, no memory) SQLite rolls the whole transaction
   * back by itself (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A
   * Transaction"), and the batch's later writes would each commit on their own, unsynced, while
   * its end refused them all (10002): half a batch stored, its senders told to send it again.
   * They go into a new transaction instead, which timchat_sql_commit_batch () rolls back. */
  if (self->batch_open && !self->batch_lost)
    {
      g_warning ("SQLite rolled the storage transaction back: the rest of the batch is refused");
      self->batch_lost = TRUE;
    }
  /* A command's savepoint went with the old transaction, if there was one. */
  self->command_open = FALSE;
  if (!timchat_sql_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (self->batch_open)
    return TRUE;
  self->batch_open = TRUE;
  /* Before the next socket is read: every frame of this iteration shares the commit. */
  self->batch_source = g_idle_add_full (G_PRIORITY_HIGH, on_iteration_end, self, NULL);
  return TRUE;
}

gboolean
timchat_sql_ensure_batch (TimchatStoreSqlite *self, GError **error)
{
  if ((!self->batch_open || sqlite3_get_autocommit (self->db)) && !open_batch (self, error))
    return FALSE;
  /* A command's savepoint opens at its first write, not when it begins: the many commands that
   * write nothing (a heartbeat, a history page) neither open the iteration's transaction nor
   * wait for its commit. */
  if (self->command_running && !self->command_open)
    {
      if (!timchat_sql_step_done (self, timchat_sql_stmt (self, "SAVEPOINT command"), error))
        return FALSE;
      self->command_open = TRUE;
    }
  return TRUE;
}

gboolean
timchat_sql_begin (TimchatStoreSqlite *self, GError **error)
{
  /* Prepared once: these two run for every write, and sqlite3_exec would parse them each time. */
  return timchat_sql_ensure_batch (self, error) &&
         timchat_sql_step_done (self, timchat_sql_stmt (self, "SAVEPOINT operation"), error);
}

/* For an operation that is one statement: SQLite makes a statement atomic with its triggers, so
 * it needs the iteration's transaction but no savepoint (SAVEPOINT and RELEASE were ~9 µs of a
 * stored message). */
gboolean
timchat_sql_begin_statement (TimchatStoreSqlite *self, GError **error)
{
  return timchat_sql_ensure_batch (self, error);
}

gboolean
timchat_sql_commit (TimchatStoreSqlite *self, GError **error)
{
  return timchat_sql_step_done (self, timchat_sql_stmt (self, "RELEASE operation"), error);
}

void
timchat_sql_rollback (TimchatStoreSqlite *self)
{
  if (self->batch_open)
    sqlite3_exec (self->db, "ROLLBACK TO operation; RELEASE operation", NULL, NULL, NULL);
  /* The caches may hold rows the rollback just undid. */
  g_hash_table_remove_all (self->accounts);
  g_hash_table_remove_all (self->last_seqs);
}

static void
sqlite_after_commit (TimchatStore *store, TimchatAfterCommit func, gpointer user_data)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  AfterCommit pending = { func, user_data };

  if (self->batch_open)
    g_array_append_val (self->after_commit, pending);
  else if (self->wal_sync != NULL && timchat_wal_sync_failed (self->wal_sync))
    /* What a read found (a resend's original, say) may be among the lost pages. */
    func (FALSE, user_data);
  else if (self->wal_sync != NULL && timchat_wal_sync_busy (self->wal_sync))
    /* An answer built on a commit still on its way to the disk (a resend finding the
     * original, say) must not be acknowledged before that commit's own answer. */
    timchat_wal_sync_queue (self->wal_sync, func, user_data);
  else
    func (TRUE, user_data);
}

/* A command's writes are one: the savepoint "command" holds its operations' savepoints (SQLite
 * nests them), opened at its first write (timchat_sql_ensure_batch ()). Without it a command that
 * stored a group and then failed to store its tip was answered 10002 while the group stayed in
 * the batch, committed with it: the retry was refused (10021) or did it again. */
static void
sqlite_begin_command (TimchatStore *store)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;

  g_return_if_fail (!self->command_running);
  self->command_running = TRUE;
  self->command_open = FALSE;
  /* What the command queues to wait for the commit comes after this. */
  self->command_after_commit = self->after_commit->len;
}

static void
sqlite_end_command (TimchatStore *store, gboolean keep)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  gboolean wrote = self->command_open;

  g_return_if_fail (self->command_running);
  self->command_running = FALSE;
  self->command_open = FALSE;
  /* In autocommit mode SQLite rolled the whole batch back by itself, the savepoint with it: the
   * batch is refused whole at its end (timchat_sql_commit_batch ()). */
  if (wrote && !sqlite3_get_autocommit (self->db))
    {
      g_autoptr (GError) error = NULL;

      if (keep)
        {
          if (!timchat_sql_step_done (self, timchat_sql_stmt (self, "RELEASE command"), &error))
            g_warning ("Cannot end a command's savepoint: %s", error->message);
        }
      else
        {
          sqlite3_exec (self->db, "ROLLBACK TO command; RELEASE command", NULL, NULL, NULL);
          /* The caches may hold rows the rollback just undid. */
          g_hash_table_remove_all (self->accounts);
          g_hash_table_remove_all (self->last_seqs);
        }
    }
  /* Undone: nothing the command queued for its commit may happen (a group message's fan-out, the
   * removal of files a recall left unmentioned); each hears that its write was lost. */
  if (!keep && self->after_commit->len > self->command_after_commit)
    {
      guint n = self->after_commit->len - self->command_after_commit;
      g_autoptr (GArray) undone = g_array_sized_new (FALSE, FALSE, sizeof (AfterCommit), n);

      g_array_append_vals (
          undone, &g_array_index (self->after_commit, AfterCommit, self->command_after_commit), n);
      g_array_set_size (self->after_commit, self->command_after_commit);
      for (guint i = 0; i < undone->len; i++)
        g_array_index (undone, AfterCommit, i)
            .func (FALSE, g_array_index (undone, AfterCommit, i).user_data);
    }
}

static void
sqlite_flush (TimchatStore *store, guint timeout_ms)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (self->batch_open)
    timchat_sql_commit_batch (self);
  /* The sync thread hands the acknowledgements back on this context. */
  while (self->wal_sync != NULL && timchat_wal_sync_busy (self->wal_sync) &&
         g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

void
_timchat_store_sqlite_class_init_batch (TimchatStoreClass *store_class)
{
  store_class->after_commit = sqlite_after_commit;
  store_class->flush = sqlite_flush;
  store_class->begin_command = sqlite_begin_command;
  store_class->end_command = sqlite_end_command;
}
