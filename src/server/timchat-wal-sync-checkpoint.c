/* timchat-wal-sync-checkpoint.c: the checkpoint thread of timchat-wal-sync.c: passive
 * checkpoints as the WAL grows, the database syncs and the RESTART that let it start over, and the
 * scrub (TRUNCATE) after a recall. Apart because it runs on its own connection and thread, and
 * shares with the sync thread only the state in timchat-wal-sync-private.h. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <sqlite3.h>

#include "timchat-sqlite-vfs.h"
#include "timchat-wal-sync-private.h"

/* ---------------------------------------------------------------- checkpoint thread */

/* SQLite's own busy handler sleeps 1, 2, 5, 10 ... ms between attempts, so a lock held for one
 * millisecond costs the waiter 18. Poll every BUSY_POLL_US instead, up to max_ms. */
static int
busy_poll (gpointer user_data, int attempts)
{
  guint max_ms = GPOINTER_TO_UINT (user_data);

  if ((guint64) attempts * BUSY_POLL_US >= (guint64) max_ms * 1000)
    return 0;
  g_usleep (BUSY_POLL_US);
  return 1;
}

void
timchat_sql_set_busy_poll (sqlite3 *db, guint max_ms)
{
  sqlite3_busy_handler (db, busy_poll, GUINT_TO_POINTER (max_ms));
}

/* TRUE if the checkpoint ran to its end. */
static gboolean
checkpoint_once (TimchatWalSync *self, sqlite3 *db, int mode)
{
  int log_pages = 0;
  int copied_pages = 0;
  int rc = sqlite3_wal_checkpoint_v2 (db, NULL, mode, &log_pages, &copied_pages);

  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    g_warning ("Checkpoint of %s failed: %s", self->db_path, sqlite3_errmsg (db));
  else
    g_debug ("Checkpoint: %d of %d WAL pages copied", copied_pages, log_pages);
  return rc == SQLITE_OK;
}

static gboolean
sync_database (TimchatWalSync *self, sqlite3 *db)
{
  if (timchat_sqlite_vfs_sync_database (db))
    return TRUE;
  g_warning ("Syncing %s failed; the WAL keeps its pages", self->db_path);
  return FALSE;
}

/* Copies the WAL into the database, syncs the database, and starts the WAL over (mode RESTART
 * or TRUNCATE); TRUE if it did. */
static gboolean
start_over (TimchatWalSync *self, sqlite3 *db, int mode)
{
  /* The database sync happens here, with no lock held, in rounds until one is quick: each round
   * copies and syncs what piled up while the previous one synced. The RESTART then holds the
   * write lock only to copy and sync what came in during the last. bench-relay, 26 Nov: the
   * RESTART held it 3.1 - 5.1 ms after two rounds, 1.9 - 2.6 ms after three. */
  for (int round = 0; round < SYNC_ROUNDS_MAX; round++)
    {
      gint64 start = g_get_monotonic_time ();

      checkpoint_once (self, db, SQLITE_CHECKPOINT_PASSIVE);
      if (!sync_database (self, db))
        return FALSE;
      if (g_get_monotonic_time () - start < SYNC_ROUND_QUICK_US)
        break;
    }
  timchat_sqlite_vfs_allow_restart (self->vfs);
  return checkpoint_once (self, db, mode);
}

static void
checkpoint (TimchatWalSync *self, sqlite3 *db, int wal_pages)
{
  if (wal_pages < CHECKPOINT_RESTART_PAGES)
    checkpoint_once (self, db, SQLITE_CHECKPOINT_PASSIVE);
  else
    start_over (self, db, SQLITE_CHECKPOINT_RESTART);
}

/* Opened before the thread starts, and read from once so that it holds the WAL and its index
 * too: a checkpoint never needs a descriptor the server may not have by then. */
sqlite3 *
_timchat_wal_sync_open_checkpointer (TimchatWalSync *self)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (self->db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       timchat_sqlite_vfs_get_checkpointer_name (self->vfs)) != SQLITE_OK ||
      sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_warning ("Cannot open %s for checkpoints: %s", self->db_path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  timchat_sql_set_busy_poll (db, RESTART_WAIT_MS);
  /* NORMAL syncs the WAL before copying it and the database after: what a checkpoint needs. */
  sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  return db;
}

gpointer
_timchat_wal_sync_checkpoint_thread_main (gpointer user_data)
{
  TimchatWalSync *self = user_data;
  sqlite3 *db = g_steal_pointer (&self->checkpoint_db);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      gboolean scrub = FALSE;
      gboolean scrub_unfinished = FALSE;
      int wal_pages;

      while (!self->checkpoint_wanted && !self->stopping && !scrub)
        {
          gint64 due = MIN (self->last_commit_us + SCRUB_AFTER_IDLE_US, self->scrub_due_us);

          if (!g_atomic_int_get (&self->scrub_wanted))
            g_cond_wait (&self->wake, &self->lock);
          else if (g_get_monotonic_time () >= due)
            scrub = TRUE;
          else
            g_cond_wait_until (&self->wake, &self->lock, due);
        }
      if (self->stopping)
        break;
      if (scrub)
        g_atomic_int_set (&self->scrub_wanted, FALSE);
      else
        self->checkpoint_wanted = FALSE;
      self->checkpoint_running = TRUE;
      wal_pages = self->checkpoint_pages;
      g_mutex_unlock (&self->lock);

      if (db != NULL && scrub)
        scrub_unfinished = !start_over (self, db, SQLITE_CHECKPOINT_TRUNCATE);
      else if (db != NULL)
        checkpoint (self, db, wal_pages);

      g_mutex_lock (&self->lock);
      self->checkpoint_running = FALSE;
      /* A writer came back: again after the next quiet spell. A disk that failed a sync is not
       * asked again and again. */
      if (scrub_unfinished && !self->failed)
        {
          g_atomic_int_set (&self->scrub_wanted, TRUE);
          self->last_commit_us = g_get_monotonic_time ();
          self->scrub_due_us = self->last_commit_us + self->scrub_deadline_us;
        }
    }
  g_mutex_unlock (&self->lock);
  sqlite3_close (db);
  return NULL;
}
