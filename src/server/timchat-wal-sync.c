/* timchat-wal-sync.c: durability and checkpoints off the main thread.
 *
 * The store's connection runs with synchronous=NORMAL: in WAL mode SQLite then never waits for
 * the disk at COMMIT, and still syncs around checkpoints, which keeps the file uncorrupted on
 * power loss. What NORMAL does not give is that a committed transaction survives power loss; an
 * acknowledgement promises exactly that, so the acknowledgements wait here: after each COMMIT the
 * store queues them, a sync thread fdatasync()s the WAL file (one sync covers every commit made
 * before it started, so commits that pile up while the disk is busy share the next one) and hands
 * them back to the main context in order. The main loop meanwhile goes on reading sockets.
 *
 * Checkpoints (copying the WAL back into the database) would stall the main loop for tens of
 * milliseconds, so a second thread runs them on its own connection, a passive one every
 * CHECKPOINT_PAGES new pages while the main connection goes on writing. That connection opens the
 * database through timchat-sqlite-vfs.c, which leaves out the checkpoints' syncs of the database
 * file (the WAL keeps every page they copied until the database is synced) and refuses to let the
 * WAL start over while the database is not synced. So the WAL grows until it passes
 * CHECKPOINT_RESTART_PAGES; then this thread syncs the database (in slices, with no lock held,
 * in rounds until one is quick: each for what the previous let pile up), and a RESTART takes the
 * write lock between two of the main loop's transactions (or gives up after RESTART_WAIT_MS and
 * tries again later), copies and syncs the few pages left, and lets the next transaction write the
 * WAL from its start again, over blocks the file already has: a growing file would make every
 * fdatasync commit the file system's journal too (2 - 5 ms instead of ~0.1 ms here). One wait of
 * ~2 ms for the main loop every 128 MiB of writes, and a few database syncs, instead of one every
 * checkpoint. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "timchat-sqlite-vfs.h"
#include "timchat-wal-sync.h"

/* SQLite's own interval. A checkpoint costs a sync of the WAL (which the acknowledgements' syncs
 * do anyway) and page copies into the page cache; with the database's sync left out, every 250
 * pages did no better (bench-relay, 26 Nov: p99 3.5 - 6.3 ms against 3.8 - 5.1 ms). */
#define CHECKPOINT_PAGES 1000
/* 128 MiB of WAL with 4 KiB pages: one restart (and its database syncs) every ~3 s at 1,000
 * msg/s. 64 MiB made no clear difference in p99 and twice the restarts. */
#define CHECKPOINT_RESTART_PAGES 32000
/* After a recall, once no transaction has committed for this long, the checkpoint thread copies
 * the WAL into the database and truncates it: the recalled text then leaves both files' bytes
 * (the database zeroes freed space itself, secure_delete) instead of staying in old WAL frames
 * until the WAL starts over, which a quiet server does after weeks. The next writes grow the WAL
 * again, with slower syncs (see the top), which an idle server can afford. A server that is never
 * idle that long scrubs at the deadline ([limits] erase_seconds, 30 s by default): the truncation
 * then takes the write lock between two transactions, as a restart does. */
#define SCRUB_AFTER_IDLE_US (2 * G_USEC_PER_SEC)
#define SCRUB_DEADLINE_DEFAULT_US (30 * G_USEC_PER_SEC)
#define SYNC_ROUNDS_MAX 4
#define SYNC_ROUND_QUICK_US 5000
#define BUSY_POLL_US 100
#define RESTART_WAIT_MS 50

typedef struct
{
  TimchatAfterCommit func;
  gpointer user_data;
} Waiter;

struct _TimchatWalSync
{
  char *db_path;
  TimchatSqliteVfs *vfs; /* the store's: the checkpointer opens through it */
  char *wal_path;
  int wal_fd;             /* opened before the sync thread starts, then its own; -1: not yet */
  sqlite3 *checkpoint_db; /* opened before the checkpoint thread starts, which takes it */
  GMainContext *context;  /* where the waiters run */

  GMutex lock;
  GCond wake;
  gboolean stopping;
  gboolean dirty;  /* a COMMIT since the sync thread last started a sync */
  GArray *to_sync; /* Waiter: committed, waiting for the next sync to start */
  GArray *synced;  /* Waiter: on disk (or failed), waiting for the main context */
  /* Once a sync failed, the kernel may have dropped pages SQLite counts as written, and a later
   * sync that succeeds does not bring them back: nothing is acknowledged from then on. */
  gboolean failed;
  gboolean failure_reported;      /* main thread only */
  TimchatWalSyncFailed on_failed; /* on the main context, once */
  gpointer on_failed_data;
  GSource *dispatch; /* pending idle that runs synced, or NULL */
  guint outstanding; /* waiters queued and not yet run; main thread only */

  gboolean checkpoint_wanted;
  int checkpoint_pages; /* WAL size when the last checkpoint was asked for (main thread writes) */
  gboolean checkpoint_running;
  gint scrub_wanted;     /* atomic: a recall since the last scrub; written under the lock */
  gint64 last_commit_us; /* while scrub_wanted */
  gint64 scrub_due_us;   /* while scrub_wanted: the deadline, busy or not */
  gint64 scrub_deadline_us;

  GThread *sync_thread;
  GThread *checkpoint_thread;
};

/* ---------------------------------------------------------------- sync thread */

static gboolean
dispatch_synced (gpointer user_data)
{
  TimchatWalSync *self = user_data;
  g_autoptr (GArray) ready = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ready = g_steal_pointer (&self->synced);
  self->synced = g_array_new (FALSE, FALSE, sizeof (Waiter));
  ok = !self->failed;
  g_clear_pointer (&self->dispatch, g_source_unref);
  g_mutex_unlock (&self->lock);

  self->outstanding -= ready->len;
  for (guint i = 0; i < ready->len; i++)
    {
      Waiter *waiter = &g_array_index (ready, Waiter, i);
      waiter->func (ok, waiter->user_data);
    }
  if (!ok && !self->failure_reported)
    {
      self->failure_reported = TRUE;
      self->on_failed (self->on_failed_data);
    }
  return G_SOURCE_REMOVE;
}

/* The WAL exists: the store's migrations wrote it before the sync thread started. It was created
 * by SQLite, which does not sync the directory in NORMAL mode, so that is done once here too. */
static gboolean
open_wal (TimchatWalSync *self, int *wal_fd)
{
  g_autofree char *dir = g_path_get_dirname (self->wal_path);
  int dir_fd;

  *wal_fd = open (self->wal_path, O_RDWR | O_CLOEXEC);
  if (*wal_fd < 0)
    {
      g_warning ("Cannot open %s to sync it: %s", self->wal_path, g_strerror (errno));
      return FALSE;
    }
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}

static gboolean
sync_wal (TimchatWalSync *self, int *wal_fd)
{
  if (*wal_fd < 0 && !open_wal (self, wal_fd))
    return FALSE;
  /* One inode, whichever descriptor: this flushes SQLite's writes to the WAL too. */
  if (fdatasync (*wal_fd) != 0)
    {
      g_warning ("Syncing %s failed, acknowledgements withdrawn: %s", self->wal_path,
                 g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gpointer
sync_thread_main (gpointer user_data)
{
  TimchatWalSync *self = user_data;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      g_autoptr (GArray) batch = NULL;
      gboolean ok;

      while (!self->dirty && self->to_sync->len == 0 && !self->stopping)
        g_cond_wait (&self->wake, &self->lock);
      if (!self->dirty && self->to_sync->len == 0)
        break;
      self->dirty = FALSE;
      batch = g_steal_pointer (&self->to_sync);
      self->to_sync = g_array_new (FALSE, FALSE, sizeof (Waiter));
      g_mutex_unlock (&self->lock);

      ok = sync_wal (self, &self->wal_fd);

      g_mutex_lock (&self->lock);
      g_array_append_vals (self->synced, batch->data, batch->len);
      self->failed = self->failed || !ok;
      if (self->dispatch == NULL)
        {
          self->dispatch = g_idle_source_new ();
          g_source_set_priority (self->dispatch, G_PRIORITY_HIGH);
          g_source_set_callback (self->dispatch, dispatch_synced, self, NULL);
          g_source_set_static_name (self->dispatch, "[timchat] acknowledge synced commits");
          g_source_attach (self->dispatch, self->context);
        }
    }
  g_mutex_unlock (&self->lock);
  if (self->wal_fd >= 0)
    close (self->wal_fd);
  return NULL;
}

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
static sqlite3 *
open_checkpointer (TimchatWalSync *self)
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

static gpointer
checkpoint_thread_main (gpointer user_data)
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

/* ---------------------------------------------------------------- main thread */

TimchatWalSync *
timchat_wal_sync_new (const char *db_path, TimchatSqliteVfs *vfs, TimchatWalSyncFailed on_failed,
                      gpointer on_failed_data)
{
  TimchatWalSync *self = g_new0 (TimchatWalSync, 1);

  self->on_failed = on_failed;
  self->on_failed_data = on_failed_data;

  self->vfs = vfs;
  self->db_path = g_strdup (db_path);
  self->wal_path = g_strconcat (db_path, "-wal", NULL);
  self->scrub_deadline_us = SCRUB_DEADLINE_DEFAULT_US;
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->to_sync = g_array_new (FALSE, FALSE, sizeof (Waiter));
  self->synced = g_array_new (FALSE, FALSE, sizeof (Waiter));
  /* Opened now, while descriptors are there: a server flooded with connections up to its limit
   * must still sync what it acknowledges (a failed open would stop it). */
  open_wal (self, &self->wal_fd);
  self->checkpoint_db = open_checkpointer (self);
  self->sync_thread = g_thread_new ("timchat-wal-sync", sync_thread_main, self);
  self->checkpoint_thread = g_thread_new ("timchat-checkpoint", checkpoint_thread_main, self);
  return self;
}

/* @func runs on the main context once every transaction committed so far is on disk (with
 * FALSE if the disk failed). */
void
timchat_wal_sync_queue (TimchatWalSync *self, TimchatAfterCommit func, gpointer user_data)
{
  Waiter waiter = { func, user_data };

  g_mutex_lock (&self->lock);
  g_array_append_val (self->to_sync, waiter);
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  self->outstanding++;
}

/* After a COMMIT: wakes the sync thread for it and what was queued since its last sync. */
void
timchat_wal_sync_flush (TimchatWalSync *self)
{
  g_mutex_lock (&self->lock);
  self->dirty = TRUE;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}

/* TRUE once a sync failed: from then on every waiter is told FALSE. */
gboolean
timchat_wal_sync_failed (TimchatWalSync *self)
{
  gboolean failed;

  g_mutex_lock (&self->lock);
  failed = self->failed;
  g_mutex_unlock (&self->lock);
  return failed;
}

/* TRUE while acknowledgements still wait for the disk: a later one must not overtake them. */
gboolean
timchat_wal_sync_busy (TimchatWalSync *self)
{
  return self->outstanding > 0;
}

/* Called after each commit with the WAL's size in pages. A checkpoint is asked for every
 * CHECKPOINT_PAGES new pages, counted from where the last one was asked for: while writes go on
 * the WAL cannot start over, so its size alone would ask for one after every commit. */
void
timchat_wal_sync_wal_grew (TimchatWalSync *self, int wal_pages)
{
  /* Read without the lock: this thread is the only one that writes it. */
  int asked_at = self->checkpoint_pages;

  if (G_UNLIKELY (g_atomic_int_get (&self->scrub_wanted)))
    {
      g_mutex_lock (&self->lock);
      self->last_commit_us = g_get_monotonic_time ();
      g_mutex_unlock (&self->lock);
    }

  if (wal_pages >= asked_at && wal_pages - asked_at < CHECKPOINT_PAGES)
    return;
  g_mutex_lock (&self->lock);
  if (wal_pages < self->checkpoint_pages)
    self->checkpoint_pages = 0; /* the WAL started over */
  if (wal_pages - self->checkpoint_pages >= CHECKPOINT_PAGES && !self->checkpoint_running &&
      !self->checkpoint_wanted)
    {
      self->checkpoint_wanted = TRUE;
      self->checkpoint_pages = wal_pages;
      g_cond_broadcast (&self->wake);
    }
  g_mutex_unlock (&self->lock);
}

/* A recall was committed (or is about to be): scrub the WAL once the store is idle. */
void
timchat_wal_sync_scrub_when_idle (TimchatWalSync *self)
{
  g_mutex_lock (&self->lock);
  self->last_commit_us = g_get_monotonic_time ();
  /* The first recall since the last scrub sets the deadline: later ones do not push it back. */
  if (!g_atomic_int_get (&self->scrub_wanted))
    self->scrub_due_us = self->last_commit_us + self->scrub_deadline_us;
  g_atomic_int_set (&self->scrub_wanted, TRUE);
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}

void
timchat_wal_sync_set_scrub_deadline (TimchatWalSync *self, guint seconds)
{
  g_mutex_lock (&self->lock);
  self->scrub_deadline_us = (gint64) MAX (seconds, 1) * G_USEC_PER_SEC;
  g_mutex_unlock (&self->lock);
}

/* Syncs and runs whatever is still waiting, then stops the threads. */
void
timchat_wal_sync_free (TimchatWalSync *self)
{
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->sync_thread);
  g_thread_join (self->checkpoint_thread);

  if (self->dispatch != NULL)
    {
      g_source_destroy (self->dispatch);
      dispatch_synced (self);
    }
  g_array_unref (self->to_sync);
  g_array_unref (self->synced);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_free (self->wal_path);
  g_free (self->db_path);
  g_free (self);
}
