/* timchat-store-sqlite-folders.c: the SQLite engine's folders of conversations (migration 22):
 * folders, each name once a user, and folder_items, the conversations in each (gone with their
 * folder: ON DELETE CASCADE). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-sqlite-private.h"

static gint64
sqlite_create_folder (TimchatStore *store, const char *user_id, const char *name, gint64 now,
                      GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "INSERT INTO folders (user_id, name, created) VALUES (?1, ?2, ?3)");

  timchat_sql_bind_text (s, 1, user_id);
  timchat_sql_bind_text (s, 2, name);
  sqlite3_bind_int64 (s, 3, now);
  if (!timchat_sql_step_done (self, s, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
sqlite_rename_folder (TimchatStore *store, gint64 folder_id, const char *name, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "UPDATE folders SET name = ?2 WHERE id = ?1");

  sqlite3_bind_int64 (s, 1, folder_id);
  timchat_sql_bind_text (s, 2, name);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_delete_folder (TimchatStore *store, gint64 folder_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "DELETE FROM folders WHERE id = ?1");

  sqlite3_bind_int64 (s, 1, folder_id);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_set_in_folder (TimchatStore *store, gint64 folder_id, int conv_type, const char *peer,
                      gboolean in, gboolean *changed, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      in ? timchat_sql_stmt (self, "INSERT OR IGNORE INTO folder_items (folder_id, conv_type, "
                                   "peer) VALUES (?1, ?2, ?3)")
         : timchat_sql_stmt (self, "DELETE FROM folder_items WHERE folder_id = ?1 AND "
                                   "conv_type = ?2 AND peer = ?3");

  sqlite3_bind_int64 (s, 1, folder_id);
  sqlite3_bind_int (s, 2, conv_type);
  timchat_sql_bind_text (s, 3, peer);
  if (!timchat_sql_step_done (self, s, error))
    return FALSE;
  if (changed != NULL)
    *changed = sqlite3_changes (self->db) > 0;
  return TRUE;
}

static GPtrArray *
sqlite_list_folders (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *folders = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_folder_free);
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT id, name FROM folders WHERE user_id = ?1 ORDER BY id");

  timchat_sql_bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      TimchatFolder *folder = g_new0 (TimchatFolder, 1);

      folder->id = sqlite3_column_int64 (s, 0);
      folder->name = timchat_sql_column_text (s, 1);
      g_ptr_array_add (folders, folder);
    }
  sqlite3_reset (s);
  return folders;
}

static GPtrArray *
sqlite_list_folder_items (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_folder_item_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT i.folder_id, i.conv_type, i.peer FROM folders f JOIN folder_items i ON "
            "i.folder_id = f.id WHERE f.user_id = ?1 ORDER BY i.folder_id, i.conv_type, i.peer");

  timchat_sql_bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      TimchatFolderItem *item = g_new0 (TimchatFolderItem, 1);

      item->folder_id = sqlite3_column_int64 (s, 0);
      item->conv_type = sqlite3_column_int (s, 1);
      item->peer = timchat_sql_column_text (s, 2);
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (s);
  return items;
}

void
_timchat_store_sqlite_class_init_folders (TimchatStoreClass *store_class)
{
  store_class->create_folder = sqlite_create_folder;
  store_class->rename_folder = sqlite_rename_folder;
  store_class->delete_folder = sqlite_delete_folder;
  store_class->set_in_folder = sqlite_set_in_folder;
  store_class->list_folders = sqlite_list_folders;
  store_class->list_folder_items = sqlite_list_folder_items;
}
