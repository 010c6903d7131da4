/* timchat-sqlite-vfs.c: checkpoints without a sync of the database file each time.
 *
 * A checkpoint copies WAL frames into the database file and then syncs it. On this disk that
 * sync is what the acknowledgements' fdatasync of the WAL waits behind: at 1,000 msg/s passive
 * checkpoints every 250 pages were ~40 database syncs a second, each pushing a few hundred random
 * page writes through the disk (bench-relay, 26 Nov: p99 9.4 - 12.4 ms; with the syncs left until
 * the WAL starts over, 3.8 - 4.2 ms; docs/performance.md).
 *
 * The sync exists for one reason: once the copied frames are discarded from the WAL, the database
 * file holds their only copy. Until then the WAL still has them, and recovery after a crash
 * replays every valid frame of it whatever the checkpoints did. SQLite discards frames in three
 * places, and each one announces itself to the database file first:
 *
 * - a writer starting the WAL over (walRestartLog) and a RESTART or TRUNCATE checkpoint take the
 *   exclusive lock on read-mark slots 1 - 4 of the wal-index (xShmLock, offset 4, 4 slots);
 * - the last connection to close asks SQLITE_FCNTL_PERSIST_WAL before deleting the WAL.
 *
 * So the checkpointing connection opens the database through this shim, which turns its syncs of
 * the database file (and only those) into a note that the file is dirty, and every connection of
 * the store opens through it too, so that at those three points a dirty database is synced first.
 * A writer's restart is refused while the database is dirty (SQLite then goes on appending, as it
 * does when a reader holds a slot) unless the store allowed one: the WAL starts over when the
 * store asks for it, after it synced the bulk of the database off the main thread. The WAL itself
 * is still synced before each checkpoint copies from it, so no page of a transaction that could
 * still be lost reaches the database file. */
#define G_LOG_DOMAIN "timchat-store"
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "timchat-sqlite-vfs-private.h"

/* wal.c: the read marks' locks follow the write, checkpoint and recover locks, and there are
 * WAL_NREADER = SQLITE_SHM_NLOCK - 3 of them; a restart locks all but slot 0. */
#define RESTART_LOCK_OFFSET 4
#define RESTART_LOCK_SLOTS (SQLITE_SHM_NLOCK - 4)

static const sqlite3_io_methods shim_io_methods;

/* ---------------------------------------------------------------- the dirty database */

static gboolean
is_dirty (TimchatSqliteVfs *self)
{
  gboolean dirty;

  g_mutex_lock (&self->lock);
  dirty = self->written != self->synced;
  g_mutex_unlock (&self->lock);
  return dirty;
}

/* Writes the dirty pages out a slice at a time, waiting for each, before the sync: one sync of
 * megabytes of random pages holds every fdatasync of the WAL behind it for tens of milliseconds
 * (bench-relay: two in a row took 11 ms each during a 26 ms sync of the database), slices let
 * them in between. */
#define WRITE_BACK_SLICE (256 * 1024)

static void
write_back_in_slices (TimchatSqliteVfs *self)
{
  struct stat st;

  if (self->database_fd < 0 && self->database_path != NULL)
    self->database_fd = open (self->database_path, O_RDONLY | O_CLOEXEC);
  if (self->database_fd < 0 || fstat (self->database_fd, &st) != 0)
    return;
  for (off_t offset = 0; offset < st.st_size; offset += WRITE_BACK_SLICE)
    sync_file_range (self->database_fd, offset, WRITE_BACK_SLICE,
                     SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                         SYNC_FILE_RANGE_WAIT_AFTER);
}

/* Syncs the database file through @real (any connection's handle: one inode). It covers the
 * writes counted before it started, not those that land while it runs. */
static int
sync_database (TimchatSqliteVfs *self, sqlite3_file *real, gboolean in_slices)
{
  guint64 covered;
  int rc;

  g_mutex_lock (&self->lock);
  covered = self->written;
  g_mutex_unlock (&self->lock);
  if (in_slices)
    write_back_in_slices (self);
  rc = real->pMethods->xSync (real, SQLITE_SYNC_NORMAL);
  if (rc != SQLITE_OK)
    return rc;
  g_mutex_lock (&self->lock);
  self->synced = MAX (self->synced, covered);
  g_mutex_unlock (&self->lock);
  return SQLITE_OK;
}

/* The WAL is about to start over: its frames may be discarded only once the database holds them
 * durably. */
static int
guard_restart (ShimFile *file)
{
  TimchatSqliteVfs *self = file->owner;
  gboolean allowed;
  int rc;

  if (!is_dirty (self))
    return SQLITE_OK;
  g_mutex_lock (&self->lock);
  allowed = self->restart_allowed;
  self->restart_allowed = FALSE;
  g_mutex_unlock (&self->lock);
  if (!allowed)
    return SQLITE_BUSY;
  rc = sync_database (self, file->real, FALSE);
  if (rc != SQLITE_OK)
    {
      /* Busy, not an error: the writer goes on appending to the WAL, which keeps the frames. */
      g_warning ("Syncing the database before the WAL starts over failed (%d)", rc);
      return SQLITE_BUSY;
    }
  return SQLITE_OK;
}

/* ---------------------------------------------------------------- io methods */

static void
note_written (ShimFile *file)
{
  if (!file->checkpointer || !file->database)
    return;
  g_mutex_lock (&file->owner->lock);
  file->owner->written++;
  g_mutex_unlock (&file->owner->lock);
}

static int
shim_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  int rc = REAL (file)->pMethods->xWrite (REAL (file), buffer, amount, offset);

  /* Counted once written: a sync that starts after this covers it. */
  note_written ((ShimFile *) file);
  return rc;
}

static int
shim_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  int rc = REAL (file)->pMethods->xTruncate (REAL (file), size);

  note_written ((ShimFile *) file);
  return rc;
}

static int
shim_sync (sqlite3_file *file, int flags)
{
  ShimFile *shim = (ShimFile *) file;

  if (shim->checkpointer && shim->database)
    return SQLITE_OK; /* deferred: see the top of this file */
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
shim_file_control (sqlite3_file *file, int op, void *arg)
{
  ShimFile *shim = (ShimFile *) file;
  int rc = REAL (file)->pMethods->xFileControl (REAL (file), op, arg);

  /* The last connection asks this right before it deletes the WAL. */
  if (op == SQLITE_FCNTL_PERSIST_WAL && shim->database && *(int *) arg != 1 &&
      is_dirty (shim->owner) && sync_database (shim->owner, shim->real, FALSE) != SQLITE_OK)
    {
      g_warning ("Syncing the database before the WAL is deleted failed; keeping the WAL");
      *(int *) arg = 1;
    }
  return rc;
}

static int
shim_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  ShimFile *shim = (ShimFile *) file;

  if (offset == RESTART_LOCK_OFFSET && n == RESTART_LOCK_SLOTS &&
      flags == (SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE))
    {
      int rc = guard_restart (shim);

      if (rc != SQLITE_OK)
        return rc;
    }
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static const sqlite3_io_methods shim_io_methods = {
  .iVersion = 3,
  .xClose = _timchat_shim_close,
  .xRead = _timchat_shim_read,
  .xWrite = shim_write,
  .xTruncate = shim_truncate,
  .xSync = shim_sync,
  .xFileSize = _timchat_shim_file_size,
  .xLock = _timchat_shim_lock,
  .xUnlock = _timchat_shim_unlock,
  .xCheckReservedLock = _timchat_shim_check_reserved_lock,
  .xFileControl = shim_file_control,
  .xSectorSize = _timchat_shim_sector_size,
  .xDeviceCharacteristics = _timchat_shim_device_characteristics,
  .xShmMap = _timchat_shim_shm_map,
  .xShmLock = shim_shm_lock,
  .xShmBarrier = _timchat_shim_shm_barrier,
  .xShmUnmap = _timchat_shim_shm_unmap,
  .xFetch = _timchat_shim_fetch,
  .xUnfetch = _timchat_shim_unfetch,
};

/* ---------------------------------------------------------------- vfs methods */

static int
shim_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  TimchatSqliteVfs *self = vfs->pAppData;
  ShimFile *shim = (ShimFile *) file;
  int rc;

  memset (shim, 0, sizeof *shim);
  shim->owner = self;
  shim->database = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  shim->checkpointer = vfs == &self->checkpointer;
  shim->real = (sqlite3_file *) (shim + 1);
  rc = self->real->xOpen (self->real, name, shim->real, flags, out_flags);
  if (rc == SQLITE_OK && shim->database && name != NULL)
    {
      g_mutex_lock (&self->lock);
      if (self->database_path == NULL)
        self->database_path = g_strdup (name);
      g_mutex_unlock (&self->lock);
    }
  /* SQLite calls xClose only on files whose pMethods is set. */
  if (shim->real->pMethods != NULL)
    {
      /* The shm and memory-map methods exist on the unix VFS; nothing else is ever used here. */
      g_assert (shim->real->pMethods->iVersion >= 3);
      shim->base.pMethods = &shim_io_methods;
    }
  return rc;
}

/* ---------------------------------------------------------------- public */

/* Two VFS names, unique to this store: one for its connections, one for its checkpointer. */
TimchatSqliteVfs *
timchat_sqlite_vfs_new (void)
{
  TimchatSqliteVfs *self = g_new0 (TimchatSqliteVfs, 1);

  self->real = sqlite3_vfs_find (NULL);
  self->database_fd = -1;
  g_assert (self->real != NULL && self->real->iVersion >= 2);
  g_mutex_init (&self->lock);
  self->name = g_strdup_printf ("timchat-%p", (void *) self);
  self->checkpointer_name = g_strdup_printf ("timchat-checkpointer-%p", (void *) self);
  _timchat_sqlite_vfs_init (self, &self->vfs, self->name, shim_open);
  _timchat_sqlite_vfs_init (self, &self->checkpointer, self->checkpointer_name, shim_open);
  sqlite3_vfs_register (&self->vfs, 0);
  sqlite3_vfs_register (&self->checkpointer, 0);
  return self;
}

/* After every connection that uses it is closed. */
void
timchat_sqlite_vfs_free (TimchatSqliteVfs *self)
{
  sqlite3_vfs_unregister (&self->checkpointer);
  sqlite3_vfs_unregister (&self->vfs);
  if (self->database_fd >= 0)
    close (self->database_fd);
  g_free (self->database_path);
  g_mutex_clear (&self->lock);
  g_free (self->checkpointer_name);
  g_free (self->name);
  g_free (self);
}

const char *
timchat_sqlite_vfs_get_name (TimchatSqliteVfs *self)
{
  return self->name;
}

const char *
timchat_sqlite_vfs_get_checkpointer_name (TimchatSqliteVfs *self)
{
  return self->checkpointer_name;
}

/* Syncs the database file of @db (a connection opened through the shim) if a checkpoint wrote it
 * since the last sync; writes it back in slices first, for the WAL's syncs to get in between. */
gboolean
timchat_sqlite_vfs_sync_database (sqlite3 *db)
{
  ShimFile *file = NULL;

  if (sqlite3_file_control (db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == NULL || file->base.pMethods != &shim_io_methods)
    return FALSE;
  if (!is_dirty (file->owner))
    return TRUE;
  return sync_database (file->owner, file->real, TRUE) == SQLITE_OK;
}

/* Lets the next restart of the WAL happen, syncing what is still dirty first. */
void
timchat_sqlite_vfs_allow_restart (TimchatSqliteVfs *self)
{
  g_mutex_lock (&self->lock);
  self->restart_allowed = TRUE;
  g_mutex_unlock (&self->lock);
}

gboolean
timchat_sqlite_vfs_is_dirty (TimchatSqliteVfs *self)
{
  return is_dirty (self);
}
