/* timchat-store-sqlite-private.h: shared by the files of the SQLite engine. */
#pragma once

#include <sqlite3.h>

#include "timchat-store-sqlite.h"
#include "timchat-wal-sync.h"

G_BEGIN_DECLS

/* What waits for the batch's commit (timchat_store_after_commit ()). */
typedef struct
{
  TimchatAfterCommit func;
  gpointer user_data;
} AfterCommit;

struct _TimchatStoreSqlite
{
  TimchatStore parent_instance;

  sqlite3 *db;
  GHashTable *statements; /* SQL text -> sqlite3_stmt*, prepared once */
  /* Group commit: one transaction per main-loop iteration; each operation is a savepoint in it
   * (or one statement, which SQLite makes atomic by itself). */
  gboolean batch_open;
  /* SQLite rolled the batch's transaction back by itself (an I/O error, a full disk, no memory):
   * what the batch wrote since goes into a new transaction that its end rolls back too. */
  gboolean batch_lost;
  guint batch_source;
  /* A command runs (timchat_store_begin_command ()): its first write opens the savepoint
   * "command" around all it writes, to keep or undo whole. */
  gboolean command_running;
  gboolean command_open;      /* the savepoint "command" is open */
  guint command_after_commit; /* after_commit's length when the command began */
  GArray *after_commit;       /* AfterCommit, in order */
  TimchatWalSync *wal_sync;   /* durable stores: acknowledgements wait for it, not for COMMIT */
  TimchatSqliteVfs *vfs;      /* durable stores: every connection opens through it */
  GHashTable *accounts;       /* user_id (owned by the value) -> TimchatAccount, rows as stored */
  GHashTable *last_seqs;      /* conv_key -> gint64 *, the newest sequence handed out */
  int lock_fd;                /* holds the store's lock file: one process per database */
  gboolean scrub_wanted;      /* stores that are not durable: truncate the WAL after the commit */
  gboolean open;              /* migrated: from now on every write is in the iteration's commit */
};

#define MSG_COLUMNS                                                                                \
  "id, conv_type, kind, from_user, to_id, seq, client_seq, random, time, "                         \
  "client_time, priority, body, cloud_custom_data, offline_push, recalled, "                       \
  "revoker, recall_time, at_info, version, "                                                       \
  "coalesce ((SELECT x.control FROM message_controls x WHERE x.msg_id = messages.id), 0)"
/* The messages whose sender's SendMsgControl has this TimMsgControl bit (migration 26), as a
 * condition on a row of messages. */
#define MSG_CONTROL_HAS(bit)                                                                       \
  "EXISTS (SELECT 1 FROM message_controls x WHERE x.msg_id = messages.id AND x.control & " #bit ")"

/* Where user's view of group's history begins, as SQL values (a column, a parameter): after
 * their joined_seq (migration 30); 0, all of it, for one who is no member (the app admin). */
#define MEMBER_JOINED_SEQ(group, user)                                                             \
  "coalesce ((SELECT gm.joined_seq FROM group_members gm WHERE gm.group_id = " group               \
  " AND gm.user_id = " user "), 0)"

/* Where a user's history of a conversation begins, as a value of its row of conversations named
 * c: after what they cleared (clear_history) and, in a group, after what was there before they
 * joined. History pages, the list's last message, unread counts and mentions all start there. */
#define CONV_HISTORY_AFTER                                                                         \
  "max (c.cleared_seq, CASE WHEN c.conv_type = 2 THEN " MEMBER_JOINED_SEQ (                        \
      "c.peer", "c.owner") " ELSE 0 END)"

/* Where a user's unread messages of a conversation begin, as a value of its row of conversations
 * named c: after the read mark, where their history begins (CONV_HISTORY_AFTER) and after what
 * they deleted with the conversation from their list (hidden_seq): a conversation deleted with
 * its unread badge comes back with only what came since counted, its mentions too. Deleting reads
 * nothing: read_seq stays, and the peer is told nothing. */
#define CONV_UNREAD_AFTER "max (c.read_seq, c.hidden_seq, " CONV_HISTORY_AFTER ")"

/* Helpers: statements are prepared once and cached by the address of their SQL, which must be a
 * string literal (or otherwise live as long as the store). */
gboolean timchat_sql_error (TimchatStoreSqlite *self, GError **error);
sqlite3_stmt *timchat_sql_stmt (TimchatStoreSqlite *self, const char *sql);
void timchat_sql_bind_text (sqlite3_stmt *statement, int index, const char *value);
char *timchat_sql_column_text (sqlite3_stmt *statement, int column);
gboolean timchat_sql_exec (TimchatStoreSqlite *self, const char *sql, GError **error);
/* Something was removed (a recall, the retention sweep): its old bytes leave the WAL too. */
void timchat_sql_scrub_wal (TimchatStoreSqlite *self);
/* The group commit (timchat-store-sqlite-batch.c): opens the iteration's transaction, and the
 * running command's savepoint, if not open yet; ends the transaction. */
gboolean timchat_sql_ensure_batch (TimchatStoreSqlite *self, GError **error);
void timchat_sql_commit_batch (TimchatStoreSqlite *self);
gboolean timchat_sql_begin (TimchatStoreSqlite *self, GError **error);
gboolean timchat_sql_begin_statement (TimchatStoreSqlite *self, GError **error);
gboolean timchat_sql_commit (TimchatStoreSqlite *self, GError **error);
void timchat_sql_rollback (TimchatStoreSqlite *self);
gboolean timchat_sql_step_done (TimchatStoreSqlite *self, sqlite3_stmt *statement, GError **error);
gint64 timchat_sql_query_int (TimchatStoreSqlite *self, sqlite3_stmt *statement, gint64 fallback);
char *timchat_sql_conv_key (TimConvType type, const char *a, const char *b);
TimchatMsg *timchat_sql_read_msg_row (sqlite3_stmt *s);
TimchatMsg *timchat_sql_read_one_msg (sqlite3_stmt *s);
gboolean timchat_sql_insert_event (TimchatStoreSqlite *self, const char *user_id, int kind,
                                   const char *payload, GError **error);

/* Each part of the engine installs its vfuncs. */
void _timchat_store_sqlite_class_init_batch (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_accounts (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_messages (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_history (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_conversations (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_groups (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_files (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_blocks (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_relay (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_applications (TimchatStoreClass *store_class);
void _timchat_store_sqlite_class_init_folders (TimchatStoreClass *store_class);

/* Retention: removes at most limit merged messages' lists last used before time; how many. */
guint _timchat_sql_purge_relay_lists (TimchatStoreSqlite *self, gint64 time, guint limit);
/* n upload names or merged messages' keys ([0-9a-z_.]) as one JSON array, for json_each (). */
char *_timchat_sql_names_json (const char *const *names, guint n);

G_END_DECLS
