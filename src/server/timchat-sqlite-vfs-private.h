/* timchat-sqlite-vfs-private.h: what timchat-sqlite-vfs.c and timchat-sqlite-vfs-forward.c
 * share: the shim's state, its file, and the methods that only pass a call on. */
#pragma once

#include "timchat-sqlite-vfs.h"

G_BEGIN_DECLS

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

#define REAL(file) (((ShimFile *) (file))->real)

typedef int (*TimchatSqliteVfsOpen) (sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
                                     int flags, int *out_flags);

/* Fills vfs (named name, for self) with open and the default VFS's own methods. */
void _timchat_sqlite_vfs_init (TimchatSqliteVfs *self, sqlite3_vfs *vfs, const char *name,
                               TimchatSqliteVfsOpen open);

/* File methods that call the real file's. */
int _timchat_shim_close (sqlite3_file *file);
int _timchat_shim_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset);
int _timchat_shim_file_size (sqlite3_file *file, sqlite3_int64 *size);
int _timchat_shim_lock (sqlite3_file *file, int level);
int _timchat_shim_unlock (sqlite3_file *file, int level);
int _timchat_shim_check_reserved_lock (sqlite3_file *file, int *reserved);
int _timchat_shim_sector_size (sqlite3_file *file);
int _timchat_shim_device_characteristics (sqlite3_file *file);
int _timchat_shim_shm_map (sqlite3_file *file, int region, int size, int extend,
                           void volatile **address);
void _timchat_shim_shm_barrier (sqlite3_file *file);
int _timchat_shim_shm_unmap (sqlite3_file *file, int delete_flag);
int _timchat_shim_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **pointer);
int _timchat_shim_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *pointer);
int _timchat_shim_delete (sqlite3_vfs *vfs, const char *name, int sync_dir);
int _timchat_shim_access (sqlite3_vfs *vfs, const char *name, int flags, int *result);
int _timchat_shim_full_pathname (sqlite3_vfs *vfs, const char *name, int size, char *out);
void _timchat_shim_dl_error (sqlite3_vfs *vfs, int size, char *message);
void _timchat_shim_dl_close (sqlite3_vfs *vfs, void *handle);
int _timchat_shim_randomness (sqlite3_vfs *vfs, int size, char *out);
int _timchat_shim_sleep (sqlite3_vfs *vfs, int microseconds);
int _timchat_shim_current_time (sqlite3_vfs *vfs, double *now);
int _timchat_shim_get_last_error (sqlite3_vfs *vfs, int size, char *message);
int _timchat_shim_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *now);

G_END_DECLS
