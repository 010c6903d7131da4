/* timchat-store-sqlite-blocks.c: the SQLite engine's blocklist (the SDK's blacklist). One row a
 * pair; is_blocked is a primary-key look-up, which every one-to-one message pays. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "tim-error.h"
#include "timchat-store-sqlite-private.h"

static gboolean
sqlite_block_user (TimchatStore *store, const char *owner, const char *blocked, gint64 now,
                   GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Blocked again, the first time stays. */
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "INSERT INTO blocks (owner, blocked, time) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (owner, blocked) DO NOTHING");

  timchat_sql_bind_text (s, 1, owner);
  timchat_sql_bind_text (s, 2, blocked);
  sqlite3_bind_int64 (s, 3, now);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_unblock_user (TimchatStore *store, const char *owner, const char *blocked, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "DELETE FROM blocks WHERE owner = ?1 AND blocked = ?2");

  timchat_sql_bind_text (s, 1, owner);
  timchat_sql_bind_text (s, 2, blocked);
  return timchat_sql_step_done (self, s, error);
}

static GPtrArray *
sqlite_list_blocked (TimchatStore *store, const char *owner)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_blocked_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT blocked, time FROM blocks WHERE owner = ?1 ORDER BY time, blocked");

  timchat_sql_bind_text (s, 1, owner);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      TimchatBlocked *blocked = g_new0 (TimchatBlocked, 1);

      blocked->user_id = timchat_sql_column_text (s, 0);
      blocked->time = sqlite3_column_int64 (s, 1);
      g_ptr_array_add (list, blocked);
    }
  sqlite3_reset (s);
  return list;
}

static gboolean
sqlite_is_blocked (TimchatStore *store, const char *owner, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT 1 FROM blocks WHERE owner = ?1 AND blocked = ?2");

  timchat_sql_bind_text (s, 1, owner);
  timchat_sql_bind_text (s, 2, user_id);
  return timchat_sql_query_int (self, s, 0) == 1;
}

void
_timchat_store_sqlite_class_init_blocks (TimchatStoreClass *store_class)
{
  store_class->block_user = sqlite_block_user;
  store_class->unblock_user = sqlite_unblock_user;
  store_class->list_blocked = sqlite_list_blocked;
  store_class->is_blocked = sqlite_is_blocked;
}
