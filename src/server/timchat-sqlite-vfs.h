/* timchat-sqlite-vfs.h: an SQLite VFS shim that lets checkpoints leave the database file's sync
 * until the WAL frames they copied are about to be discarded. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _TimchatSqliteVfs TimchatSqliteVfs;

TimchatSqliteVfs *timchat_sqlite_vfs_new (void);
void timchat_sqlite_vfs_free (TimchatSqliteVfs *self);

const char *timchat_sqlite_vfs_get_name (TimchatSqliteVfs *self);
const char *timchat_sqlite_vfs_get_checkpointer_name (TimchatSqliteVfs *self);

gboolean timchat_sqlite_vfs_sync_database (sqlite3 *db);
void timchat_sqlite_vfs_allow_restart (TimchatSqliteVfs *self);
gboolean timchat_sqlite_vfs_is_dirty (TimchatSqliteVfs *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatSqliteVfs, timchat_sqlite_vfs_free)

G_END_DECLS
