/* timchat-store-sqlite-relay.c: the SQLite engine's merged messages' lists (table relay_lists,
 * migration 18). One row a list; the send path's check is one UPDATE by its unique key, and only
 * for a message that carries a key. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "tim-error.h"
#include "timchat-store-sqlite-private.h"

static gboolean
sqlite_save_relay_list (TimchatStore *store, const char *key, const char *owner, gint64 created,
                        const char *msg_list, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "INSERT INTO relay_lists (key, owner, created, "
                                            "last_used, msg_list) VALUES (?1, ?2, ?3, ?3, ?4)");

  /* In the iteration's transaction, so that the answer waits for the commit on disk. */
  if (!timchat_sql_begin_statement (self, error))
    return FALSE;
  timchat_sql_bind_text (s, 1, key);
  timchat_sql_bind_text (s, 2, owner);
  sqlite3_bind_int64 (s, 3, created);
  timchat_sql_bind_text (s, 4, msg_list);
  return timchat_sql_step_done (self, s, error);
}

static char *
sqlite_get_relay_list (TimchatStore *store, const char *key)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "SELECT msg_list FROM relay_lists WHERE key = ?1");
  char *msg_list = NULL;

  timchat_sql_bind_text (s, 1, key);
  if (sqlite3_step (s) == SQLITE_ROW)
    msg_list = timchat_sql_column_text (s, 0);
  sqlite3_reset (s);
  return msg_list;
}

static gboolean
sqlite_use_relay_list (TimchatStore *store, const char *key, gint64 time, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "UPDATE relay_lists SET last_used = max (last_used, ?2) WHERE key = ?1");

  /* In the iteration's transaction, with the message that needs the list. */
  if (!timchat_sql_begin_statement (self, error))
    return FALSE;
  timchat_sql_bind_text (s, 1, key);
  sqlite3_bind_int64 (s, 2, time);
  if (!timchat_sql_step_done (self, s, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID,
                           "No list of merged messages has this key");
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_keep_relay_lists (TimchatStore *store, const char *const *keys, gint64 time, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *json = _timchat_sql_names_json (keys, g_strv_length ((char **) keys));
  sqlite3_stmt *s = timchat_sql_stmt (self, "UPDATE relay_lists SET refs = refs + 1, "
                                            "last_used = max (last_used, ?2) "
                                            "WHERE key IN (SELECT value FROM json_each (?1))");

  timchat_sql_bind_text (s, 1, json);
  sqlite3_bind_int64 (s, 2, time);
  return timchat_sql_step_done (self, s, error);
}

/* One mention less each. With removed, a list left with none goes, and its MsgList text is added
 * to removed; without, it stays (a resend's mention taken back). Lists from before migration 19
 * (no mentions counted) stay either way. */
static gboolean
sqlite_release_relay_lists (TimchatStore *store, const char *const *keys, GPtrArray *removed,
                            GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *json = _timchat_sql_names_json (keys, g_strv_length ((char **) keys));
  sqlite3_stmt *s;

  if (removed != NULL)
    {
      int rc;

      s = timchat_sql_stmt (self, "DELETE FROM relay_lists WHERE refs = 1 AND "
                                  "key IN (SELECT value FROM json_each (?1)) RETURNING msg_list");
      timchat_sql_bind_text (s, 1, json);
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        g_ptr_array_add (removed, timchat_sql_column_text (s, 0));
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        return timchat_sql_error (self, error);
    }
  s = timchat_sql_stmt (self, "UPDATE relay_lists SET refs = refs - 1 "
                              "WHERE refs > 0 AND key IN (SELECT value FROM json_each (?1))");
  timchat_sql_bind_text (s, 1, json);
  return timchat_sql_step_done (self, s, error);
}

guint
_timchat_sql_purge_relay_lists (TimchatStoreSqlite *self, gint64 time, guint limit)
{
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "DELETE FROM relay_lists WHERE id IN "
            "(SELECT id FROM relay_lists WHERE last_used < ?1 ORDER BY last_used LIMIT ?2)");

  sqlite3_bind_int64 (s, 1, time);
  sqlite3_bind_int (s, 2, (int) limit);
  if (!timchat_sql_step_done (self, s, NULL))
    return 0;
  return sqlite3_changes (self->db);
}

void
_timchat_store_sqlite_class_init_relay (TimchatStoreClass *store_class)
{
  store_class->save_relay_list = sqlite_save_relay_list;
  store_class->get_relay_list = sqlite_get_relay_list;
  store_class->use_relay_list = sqlite_use_relay_list;
  store_class->keep_relay_lists = sqlite_keep_relay_lists;
  store_class->release_relay_lists = sqlite_release_relay_lists;
}
