/* timchat-sqlite-vfs-forward.c: the shim's methods that only pass a call on to the default
 * VFS (or to its file), so that timchat-sqlite-vfs.c holds only the ones that change something:
 * open, write, truncate, sync, the file control asked before the WAL is deleted, and the shm lock
 * taken before the WAL starts over. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-sqlite-vfs-private.h"

/* ---------------------------------------------------------------- io methods */

int
_timchat_shim_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

int
_timchat_shim_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

int
_timchat_shim_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

int
_timchat_shim_lock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xLock (REAL (file), level);
}

int
_timchat_shim_unlock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), level);
}

int
_timchat_shim_check_reserved_lock (sqlite3_file *file, int *reserved)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), reserved);
}

int
_timchat_shim_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

int
_timchat_shim_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

int
_timchat_shim_shm_map (sqlite3_file *file, int region, int size, int extend,
                       void volatile **address)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), region, size, extend, address);
}

void
_timchat_shim_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

int
_timchat_shim_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

int
_timchat_shim_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **pointer)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, pointer);
}

int
_timchat_shim_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *pointer)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, pointer);
}

/* ---------------------------------------------------------------- vfs methods */

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

/* vfs: every method passes through to the default VFS, except open. */
void
_timchat_sqlite_vfs_init (TimchatSqliteVfs *self, sqlite3_vfs *vfs, const char *name,
                          TimchatSqliteVfsOpen open)
{
  /* Version 2: the system-call overrides of version 3 are for SQLite's own tests. */
  *vfs = (sqlite3_vfs){
    .iVersion = 2,
    .szOsFile = (int) sizeof (ShimFile) + self->real->szOsFile,
    .mxPathname = self->real->mxPathname,
    .zName = name,
    .pAppData = self,
    .xOpen = open,
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
