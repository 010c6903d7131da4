/* timchat-wal-sync.h: makes committed SQLite transactions durable off the main thread, and
 * checkpoints the WAL off the main thread. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "timchat-sqlite-vfs.h"
#include "timchat-store.h"

G_BEGIN_DECLS

typedef struct _TimchatWalSync TimchatWalSync;

/* Runs once, on the creating thread's context, after the first sync that failed. */
typedef void (*TimchatWalSyncFailed) (gpointer user_data);

TimchatWalSync *timchat_wal_sync_new (const char *db_path, TimchatSqliteVfs *vfs,
                                      TimchatWalSyncFailed on_failed, gpointer on_failed_data);
void timchat_wal_sync_free (TimchatWalSync *self);

void timchat_wal_sync_queue (TimchatWalSync *self, TimchatAfterCommit func, gpointer user_data);
void timchat_wal_sync_flush (TimchatWalSync *self);
gboolean timchat_wal_sync_busy (TimchatWalSync *self);
gboolean timchat_wal_sync_failed (TimchatWalSync *self);
void timchat_wal_sync_wal_grew (TimchatWalSync *self, int wal_pages);
/* After a recall: once no transaction committed for a while, or at the latest after the scrub
 * deadline (however busy), the WAL is copied into the database and truncated, so that what the
 * recall removed leaves the files' bytes too. */
void timchat_wal_sync_scrub_when_idle (TimchatWalSync *self);
/* The scrub deadline, in seconds after the first recall not yet scrubbed (30 by default). */
void timchat_wal_sync_set_scrub_deadline (TimchatWalSync *self, guint seconds);

void timchat_sql_set_busy_poll (sqlite3 *db, guint max_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatWalSync, timchat_wal_sync_free)

G_END_DECLS
