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
 * checkpoint.
 *
 * This file holds the sync thread and the main thread's side; the checkpoint thread is in
 * timchat-wal-sync-checkpoint.c, and what the two share in timchat-wal-sync-private.h. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "timchat-wal-sync-private.h"

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
  self->checkpoint_db = _timchat_wal_sync_open_checkpointer (self);
  self->sync_thread = g_thread_new ("timchat-wal-sync", sync_thread_main, self);
  self->checkpoint_thread =
      g_thread_new ("timchat-checkpoint", _timchat_wal_sync_checkpoint_thread_main, self);
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
