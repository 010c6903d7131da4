/* timchat-store-sqlite-applications.c: the SQLite engine's pending applications to join a group
 * (migration 20). One row a group and applicant; a dismissed group's go with it
 * (timchat-store-sqlite-groups.c). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-sqlite-private.h"

static gboolean
sqlite_save_application (TimchatStore *store, const TimchatApplication *application, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Applied again: the newer message and token, and its time. */
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "INSERT INTO group_applications (group_id, applicant, message, authentication, "
            "created) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (group_id, applicant) DO UPDATE SET "
            "message = excluded.message, authentication = excluded.authentication, "
            "created = excluded.created");

  timchat_sql_bind_text (s, 1, application->group_id);
  timchat_sql_bind_text (s, 2, application->applicant);
  timchat_sql_bind_text (s, 3, application->message);
  timchat_sql_bind_text (s, 4, application->authentication);
  sqlite3_bind_int64 (s, 5, application->created);
  return timchat_sql_step_done (self, s, error);
}

static TimchatApplication *
sqlite_get_application (TimchatStore *store, const char *group_id, const char *applicant)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  TimchatApplication *application = NULL;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT message, authentication, created FROM group_applications "
                              "WHERE group_id = ?1 AND applicant = ?2");

  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, applicant);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      application = g_new0 (TimchatApplication, 1);
      application->group_id = g_strdup (group_id);
      application->applicant = g_strdup (applicant);
      application->message = timchat_sql_column_text (s, 0);
      application->authentication = timchat_sql_column_text (s, 1);
      application->created = sqlite3_column_int64 (s, 2);
    }
  sqlite3_reset (s);
  return application;
}

static gboolean
sqlite_delete_application (TimchatStore *store, const char *group_id, const char *applicant,
                           GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "DELETE FROM group_applications WHERE group_id = ?1 AND applicant = ?2");

  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, applicant);
  return timchat_sql_step_done (self, s, error);
}

void
_timchat_store_sqlite_class_init_applications (TimchatStoreClass *store_class)
{
  store_class->save_application = sqlite_save_application;
  store_class->get_application = sqlite_get_application;
  store_class->delete_application = sqlite_delete_application;
}
