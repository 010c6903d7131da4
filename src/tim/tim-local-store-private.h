/* tim-local-store-private.h: what tim-local-store.c (open, schema), tim-local-store-rows.c (rows)
 * and tim-local-store-statements.c (running the statements) share. */
#pragma once

#include <sqlite3.h>

#include "tim-local-store.h"

G_BEGIN_DECLS

/* Every statement is prepared once at open and reused. */
#define STATEMENTS(X)                                                                              \
  X (SAVE_MESSAGE, "INSERT INTO messages (message_id, conversation_id, sort_key, record)"          \
                   " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (message_id) DO UPDATE SET"               \
                   " conversation_id = excluded.conversation_id,"                                  \
                   " sort_key = excluded.sort_key, record = excluded.record")                      \
  /* A range scan of messages_by_conversation, walked backwards: no sort, no table scan. */        \
  X (LOAD_MESSAGES, "SELECT record FROM messages WHERE conversation_id = ?1 AND sort_key < ?2"     \
                    " ORDER BY sort_key DESC LIMIT ?3")                                            \
  X (LOAD_MESSAGE, "SELECT record FROM messages WHERE message_id = ?1")                            \
  /* An equality lookup in messages_by_sequence (its expression as written there). Named: without  \
   * statistics the planner walks messages_by_conversation to spare the sort, the whole            \
   * conversation for one row. */                                                                  \
  X (FIND_MESSAGE, "SELECT record FROM messages INDEXED BY messages_by_sequence"                   \
                   " WHERE conversation_id = ?1"                                                   \
                   " AND json_extract (record, '$.sequence') = ?2"                                 \
                   " AND (?3 = 0 OR json_extract (record, '$.random') = ?3)"                       \
                   " ORDER BY sort_key DESC LIMIT 1")                                              \
  X (COUNT_MESSAGES, "SELECT count(*) FROM messages WHERE conversation_id = ?1")                   \
  /* LIKE on the trigram index: a lookup for 3 characters or more, a scan of the index below.      \
   * Newest first; within a second, in the order this device stored them. */                       \
  X (SEARCH_MESSAGES,                                                                              \
     "SELECT m.record FROM message_text t JOIN messages m ON m.rowid = t.rowid"                    \
     " WHERE t.text LIKE ?1 ESCAPE '\\' AND (?2 IS NULL OR m.conversation_id = ?2)"                \
     " ORDER BY json_extract (m.record, '$.time') DESC, m.rowid DESC LIMIT ?3")                    \
  X (DELETE_MESSAGE, "DELETE FROM messages WHERE message_id = ?1")                                 \
  X (DELETE_MESSAGES_UP_TO, "DELETE FROM messages WHERE conversation_id = ?1 AND sort_key <= ?2")  \
  X (SAVE_CONVERSATION, "INSERT INTO conversations (id, record) VALUES (?1, ?2)"                   \
                        " ON CONFLICT (id) DO UPDATE SET record = excluded.record")                \
  X (DELETE_CONVERSATION, "DELETE FROM conversations WHERE id = ?1")                               \
  X (LOAD_CONVERSATIONS, "SELECT record FROM conversations ORDER BY id")                           \
  X (SET_DRAFT, "INSERT INTO drafts (conversation_id, text) VALUES (?1, ?2)"                       \
                " ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text")               \
  X (DELETE_DRAFT, "DELETE FROM drafts WHERE conversation_id = ?1")                                \
  X (LOAD_DRAFT, "SELECT text FROM drafts WHERE conversation_id = ?1")                             \
  X (LOAD_DRAFTS, "SELECT json_object ('id', conversation_id, 'text', text) FROM drafts")          \
  /* Adding an entry again keeps its place in the queue and takes the new options. */              \
  X (OUTBOX_ADD, "INSERT INTO outbox (message_id, conversation_id, options) VALUES (?1, ?2, ?3)"   \
                 " ON CONFLICT (message_id) DO UPDATE SET options = excluded.options")             \
  X (OUTBOX_REMOVE, "DELETE FROM outbox WHERE message_id = ?1")                                    \
  /* A queued message's new ID: its entry keeps its place in the queue, its row its rowid (the     \
   * search index's key). */                                                                       \
  X (OUTBOX_RENAME, "UPDATE outbox SET message_id = ?2 WHERE message_id = ?1")                     \
  X (RENAME_MESSAGE, "UPDATE messages SET message_id = ?2, record = ?3 WHERE message_id = ?1")     \
  X (OUTBOX_LIST, "SELECT message_id FROM outbox ORDER BY position")                               \
  X (OUTBOX_OPTIONS, "SELECT options FROM outbox WHERE message_id = ?1")                           \
  /* Unsent records sort from ?1 on: a range of messages_by_conversation per conversation. */      \
  X (FAIL_ORPHANS,                                                                                 \
     "UPDATE messages SET record = json_set (record, '$.status', 'fail', '$.errorCode', ?2,"       \
     " '$.errorMessage', ?3) WHERE conversation_id IN (SELECT DISTINCT conversation_id"            \
     " FROM messages) AND sort_key >= ?1 AND json_extract (record, '$.status') = 'unSend'"         \
     " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = messages.message_id)")          \
  X (FAIL_ORPHAN_LASTS,                                                                            \
     "UPDATE conversations SET record = json_set (record, '$.lastMessage.status', 'fail',"         \
     " '$.lastMessage.errorCode', ?1, '$.lastMessage.errorMessage', ?2)"                           \
     " WHERE json_extract (record, '$.lastMessage.status') = 'unSend' AND NOT EXISTS"              \
     " (SELECT 1 FROM outbox o WHERE o.message_id = json_extract (conversations.record,"           \
     " '$.lastMessage.ID'))")                                                                      \
  X (GET_VALUE, "SELECT value FROM kv WHERE key = ?1")                                             \
  X (SET_VALUE, "INSERT INTO kv (key, value) VALUES (?1, ?2)"                                      \
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value")                         \
  X (DELETE_VALUE, "DELETE FROM kv WHERE key = ?1")

#define STMT_ID(name, sql) STMT_##name,
#define STMT_SQL(name, sql) sql,
typedef enum
{
  STATEMENTS (STMT_ID) N_STMTS
} StmtId;

struct _TimLocalStore
{
  GObject parent_instance;

  GRecMutex lock;
  /* The shared flock () on DIR/local.lock, held while the store is open (tim-local-store-lock.c).
   */
  int dir_lock_fd;
  sqlite3 *db;
  sqlite3_stmt *stmts[N_STMTS];
};

typedef enum
{
  COLUMN_JSON,
  COLUMN_STRING,
  COLUMN_INT,
} ColumnType;

/* Sets error from the connection's last failure (what: the statement or step) and returns FALSE. */
gboolean _tim_local_store_set_error (TimLocalStore *self, GError **error, const char *what);
/* Prepared at open, so a broken schema fails there and not later. */
gboolean _tim_local_store_prepare_all (TimLocalStore *self, GError **error);
/* Binds ?1, ?2... from types: 's' a string, 'i' a gint64, 'j' a JsonObject (NULL binds NULL). */
gboolean _tim_local_store_run (TimLocalStore *self, StmtId id, GError **error, const char *types,
                               ...);
GPtrArray *_tim_local_store_query (TimLocalStore *self, StmtId id, ColumnType column,
                                   guint max_rows, const char *types, ...);
gpointer _tim_local_store_query_one (TimLocalStore *self, StmtId id, ColumnType column,
                                     const char *key);

/* Creates dir if need be and takes the shared lock that keeps the store in it from being removed
 * (tim_local_store_remove_unused ()): the descriptor to close, or -1. */
int _tim_local_store_lock_shared (const char *dir, GError **error);

G_END_DECLS
