/* timchat-wal-sync-private.h: what timchat-wal-sync.c (the sync thread and the main thread's
 * side) and timchat-wal-sync-checkpoint.c (the checkpoint thread) share: the tuning, the state
 * both threads read and write under its lock, and how the main thread starts the checkpointer. */
#pragma once

#include <sqlite3.h>

#include "timchat-sqlite-vfs.h"
#include "timchat-wal-sync.h"

G_BEGIN_DECLS

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

/* timchat-wal-sync-checkpoint.c */
/* The checkpoint thread's connection, opened on the main thread before the thread starts; NULL
 * (with a warning) if it cannot be. */
sqlite3 *_timchat_wal_sync_open_checkpointer (TimchatWalSync *self);
/* The checkpoint thread: runs until self->stopping, closes self->checkpoint_db (which it takes). */
gpointer _timchat_wal_sync_checkpoint_thread_main (gpointer user_data);

G_END_DECLS
