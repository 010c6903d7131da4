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

#include "timchat-sqlite-vfs.h"

/* wal.c: the read marks' locks follow the write, checkpoint and recover locks, and there are
 * WAL_NREADER = SQLITE_SHM_NLOCK - 3 of them; a restart locks all but slot 0. */
#define RESTART_LOCK_OFFSET 4
#define RESTART_LOCK_SLOTS (SQLITE_SHM_NLOCK - 4)

struct _TimchatSqliteVfs
{
  sqlite3_vfs vfs;          /* every connection of the store */
  sqlite3_vfs checkpointer; /* the checkpointing connection: database syncs deferred */
  char *name;
  char *checkpointer_name;
  sqlite3_vfs *real;

  GMutex lock;
  char *database_path; /* the main database file, once a connection opened it */
  int database_fd;     /* our own descriptor of it, for the bulk sync; -1 until needed */
  guint64 written;     /* database writes by the checkpointer, counted */
  guint64 synced;      /* how many of them a completed sync covers */
  gboolean restart_allowed;
};

typedef struct
{
  sqlite3_file base;
  TimchatSqliteVfs *owner;
  gboolean database;     /* the main database file (not the WAL or a journal) */
  gboolean checkpointer; /* opened by the checkpointing connection */
  sqlite3_file *real;    /* the real VFS's file, in the same allocation after this */
} ShimFile;

static const sqlite3_io_methods shim_io_methods;

#define REAL(file) (((ShimFile *) (file))->real)

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

static int
shim_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
shim_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

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
shim_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
shim_lock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xLock (REAL (file), level);
}

static int
shim_unlock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), level);
}

static int
shim_check_reserved_lock (sqlite3_file *file, int *reserved)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), reserved);
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
shim_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
shim_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
shim_shm_map (sqlite3_file *file, int region, int size, int extend, void volatile **address)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), region, size, extend, address);
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

static void
shim_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
shim_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
shim_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **pointer)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, pointer);
}

static int
shim_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *pointer)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, pointer);
}

static const sqlite3_io_methods shim_io_methods = {
  .iVersion = 3,
  .xClose = shim_close,
  .xRead = shim_read,
  .xWrite = shim_write,
  .xTruncate = shim_truncate,
  .xSync = shim_sync,
  .xFileSize = shim_file_size,
  .xLock = shim_lock,
  .xUnlock = shim_unlock,
  .xCheckReservedLock = shim_check_reserved_lock,
  .xFileControl = shim_file_control,
  .xSectorSize = shim_sector_size,
  .xDeviceCharacteristics = shim_device_characteristics,
  .xShmMap = shim_shm_map,
  .xShmLock = shim_shm_lock,
  .xShmBarrier = shim_shm_barrier,
  .xShmUnmap = shim_shm_unmap,
  .xFetch = shim_fetch,
  .xUnfetch = shim_unfetch,
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

#define REAL_VFS(vfs) (((TimchatSqliteVfs *) (vfs)->pAppData)->real)

static int
shim_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  return REAL_VFS (vfs)->xDelete (REAL_VFS (vfs), name, sync_dir);
}

static int
shim_access (sqlite3_vfs *vfs, const char *name, int flags, int *result)
{
  return REAL_VFS (vfs)->xAccess (REAL_VFS (vfs), name, flags, result);
}

static int
shim_full_pathname (sqlite3_vfs *vfs, const char *name, int size, char *out)
{
  return REAL_VFS (vfs)->xFullPathname (REAL_VFS (vfs), name, size, out);
}

static void *
shim_dl_open (sqlite3_vfs *vfs, const char *filename)
{
  return REAL_VFS (vfs)->xDlOpen (REAL_VFS (vfs), filename);
}

static void
shim_dl_error (sqlite3_vfs *vfs, int size, char *message)
{
  REAL_VFS (vfs)->xDlError (REAL_VFS (vfs), size, message);
}

static void (*shim_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return REAL_VFS (vfs)->xDlSym (REAL_VFS (vfs), handle, symbol);
}

static void
shim_dl_close (sqlite3_vfs *vfs, void *handle)
{
  REAL_VFS (vfs)->xDlClose (REAL_VFS (vfs), handle);
}

static int
shim_randomness (sqlite3_vfs *vfs, int size, char *out)
{
  return REAL_VFS (vfs)->xRandomness (REAL_VFS (vfs), size, out);
}

static int
shim_sleep (sqlite3_vfs *vfs, int microseconds)
{
  return REAL_VFS (vfs)->xSleep (REAL_VFS (vfs), microseconds);
}

static int
shim_current_time (sqlite3_vfs *vfs, double *now)
{
  return REAL_VFS (vfs)->xCurrentTime (REAL_VFS (vfs), now);
}

static int
shim_get_last_error (sqlite3_vfs *vfs, int size, char *message)
{
  return REAL_VFS (vfs)->xGetLastError (REAL_VFS (vfs), size, message);
}

static int
shim_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *now)
{
  return REAL_VFS (vfs)->xCurrentTimeInt64 (REAL_VFS (vfs), now);
}

static void
init_vfs (TimchatSqliteVfs *self, sqlite3_vfs *vfs, const char *name)
{
  /* Version 2: the system-call overrides of version 3 are for SQLite's own tests. */
  *vfs = (sqlite3_vfs){
    .iVersion = 2,
    .szOsFile = (int) sizeof (ShimFile) + self->real->szOsFile,
    .mxPathname = self->real->mxPathname,
    .zName = name,
    .pAppData = self,
    .xOpen = shim_open,
    .xDelete = shim_delete,
    .xAccess = shim_access,
    .xFullPathname = shim_full_pathname,
    .xDlOpen = shim_dl_open,
    .xDlError = shim_dl_error,
    .xDlSym = shim_dl_sym,
    .xDlClose = shim_dl_close,
    .xRandomness = shim_randomness,
    .xSleep = shim_sleep,
    .xCurrentTime = shim_current_time,
    .xGetLastError = shim_get_last_error,
    .xCurrentTimeInt64 = shim_current_time_int64,
  };
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
  init_vfs (self, &self->vfs, self->name);
  init_vfs (self, &self->checkpointer, self->checkpointer_name);
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
