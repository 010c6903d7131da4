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

/* The columns group_id, applicant, message, authentication, created of s's row. */
static TimchatApplication *
application_from_row (sqlite3_stmt *s)
{
  TimchatApplication *application = g_new0 (TimchatApplication, 1);

  application->group_id = timchat_sql_column_text (s, 0);
  application->applicant = timchat_sql_column_text (s, 1);
  application->message = timchat_sql_column_text (s, 2);
  application->authentication = timchat_sql_column_text (s, 3);
  application->created = sqlite3_column_int64 (s, 4);
  return application;
}

static TimchatApplication *
sqlite_get_application (TimchatStore *store, const char *group_id, const char *applicant)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  TimchatApplication *application = NULL;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT group_id, applicant, message, authentication, created FROM "
                              "group_applications WHERE group_id = ?1 AND applicant = ?2");

  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, applicant);
  if (sqlite3_step (s) == SQLITE_ROW)
    application = application_from_row (s);
  sqlite3_reset (s);
  return application;
}

static GPtrArray *
sqlite_list_applications (TimchatStore *store, const char *manager, gint64 from, gint64 to,
                          guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *applications =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_application_free);
  /* LIMIT -1 is none. */
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT a.group_id, a.applicant, a.message, a.authentication, a.created "
            "FROM group_members m JOIN group_applications a ON a.group_id = m.group_id "
            "WHERE m.user_id = ?1 AND m.role IN ('Owner', 'Admin') AND a.created BETWEEN ?2 AND ?3 "
            "AND NOT EXISTS (SELECT 1 FROM group_members x WHERE x.group_id = a.group_id "
            "AND x.user_id = a.applicant) "
            "ORDER BY a.created, a.group_id, a.applicant LIMIT ?4");

  timchat_sql_bind_text (s, 1, manager);
  sqlite3_bind_int64 (s, 2, from);
  sqlite3_bind_int64 (s, 3, to);
  sqlite3_bind_int64 (s, 4, limit > 0 ? (gint64) limit : -1);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (applications, application_from_row (s));
  sqlite3_reset (s);
  return applications;
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
  store_class->list_applications = sqlite_list_applications;
}
