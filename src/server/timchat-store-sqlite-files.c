/* timchat-store-sqlite-files.c: the SQLite engine's list of uploaded files and how long each is
 * needed (the retention sweep's half for uploads). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <string.h>

#include "timchat-store-sqlite-private.h"

/* Names go in as one JSON array, so that a message's files are one statement: all or none.
 * Stored names (and merged messages' keys) are [0-9a-z_.] only (timchat-upload-files.c checks
 * each before it gets here), so they need no escaping; anything else would be a bug upstream and
 * is left out. */
char *
_timchat_sql_names_json (const char *const *names, guint n)
{
  GString *json = g_string_new ("[");
  gboolean first = TRUE;

  for (guint i = 0; i < n; i++)
    {
      if (names[i][strspn (names[i], "0123456789abcdefghijklmnopqrstuvwxyz_.")] != '\0')
        {
          g_critical ("Not a stored file name: %s", names[i]);
          continue;
        }
      g_string_append_printf (json, "%s\"%s\"", first ? "" : ",", names[i]);
      first = FALSE;
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* An upload is listed with no mentions. A mention counts one more, or lists a file not listed
 * yet (uploaded before the list existed) with "not known" (NULL), which nothing counts down. */
static gboolean
sqlite_keep_files (TimchatStore *store, const char *const *names, gint64 time, gboolean mentioned,
                   GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *json = _timchat_sql_names_json (names, g_strv_length ((char **) names));
  sqlite3_stmt *s;

  if (!timchat_sql_begin_statement (self, error))
    return FALSE;
  /* "WHERE true" tells SQLite the ON CONFLICT belongs to the INSERT, not to the SELECT. */
  if (mentioned)
    s = timchat_sql_stmt (self, "INSERT INTO files (name, last_used, refs) "
                                "SELECT value, ?2, NULL FROM json_each (?1) WHERE true "
                                "ON CONFLICT (name) DO UPDATE "
                                "SET last_used = max (last_used, excluded.last_used), "
                                "refs = refs + 1");
  else
    s = timchat_sql_stmt (self, "INSERT INTO files (name, last_used, refs) "
                                "SELECT value, ?2, 0 FROM json_each (?1) WHERE true "
                                "ON CONFLICT (name) DO UPDATE "
                                "SET last_used = max (last_used, excluded.last_used)");
  timchat_sql_bind_text (s, 1, json);
  sqlite3_bind_int64 (s, 2, time);
  return timchat_sql_step_done (self, s, error);
}

/* One mention less; a file left with none gets the time 0. */
static gboolean
sqlite_release_files (TimchatStore *store, const char *const *names, guint *unused, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *json = _timchat_sql_names_json (names, g_strv_length ((char **) names));
  sqlite3_stmt *s;
  int rc;

  if (!timchat_sql_begin_statement (self, error))
    return FALSE;
  /* An avatar (pinned) stays when its last message goes. */
  s = timchat_sql_stmt (self, "UPDATE files SET refs = refs - 1, "
                              "last_used = CASE WHEN refs = 1 AND last_used <> ?2 THEN 0 "
                              "ELSE last_used END "
                              "WHERE name IN (SELECT value FROM json_each (?1)) AND refs > 0 "
                              "RETURNING last_used");
  timchat_sql_bind_text (s, 1, json);
  sqlite3_bind_int64 (s, 2, TIMCHAT_STORE_PINNED);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    if (sqlite3_column_int64 (s, 0) == 0)
      (*unused)++;
  sqlite3_reset (s);
  return rc == SQLITE_DONE || timchat_sql_error (self, error);
}

/* No longer an avatar or a group's picture: retention from `time`, unless another profile or
 * group still shows it (a URL that merely contains the name counts too: kept longer, never
 * lost). */
static gboolean
sqlite_unpin_files (TimchatStore *store, const char *const *names, gint64 time, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *json = _timchat_sql_names_json (names, g_strv_length ((char **) names));
  sqlite3_stmt *s;

  if (!timchat_sql_begin_statement (self, error))
    return FALSE;
  s = timchat_sql_stmt (self,
                        "UPDATE files SET last_used = ?2 "
                        "WHERE name IN (SELECT value FROM json_each (?1)) AND last_used = ?3 "
                        "AND NOT EXISTS (SELECT 1 FROM accounts "
                        "  WHERE instr (avatar, '/files/' || files.name) > 0) "
                        "AND NOT EXISTS (SELECT 1 FROM groups "
                        "  WHERE dismissed = 0 AND instr (face_url, '/files/' || files.name) > 0)");
  timchat_sql_bind_text (s, 1, json);
  sqlite3_bind_int64 (s, 2, time);
  sqlite3_bind_int64 (s, 3, TIMCHAT_STORE_PINNED);
  return timchat_sql_step_done (self, s, error);
}

static GPtrArray *
sqlite_expired_files (TimchatStore *store, gint64 time, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT name FROM files WHERE last_used < ? ORDER BY last_used LIMIT ?");

  sqlite3_bind_int64 (s, 1, time);
  sqlite3_bind_int (s, 2, (int) limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (names, timchat_sql_column_text (s, 0));
  sqlite3_reset (s);
  return names;
}

static gboolean
sqlite_forget_files (TimchatStore *store, GPtrArray *names, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *json = _timchat_sql_names_json ((const char *const *) names->pdata, names->len);
  sqlite3_stmt *s;

  if (!timchat_sql_begin_statement (self, error))
    return FALSE;
  s = timchat_sql_stmt (self, "DELETE FROM files WHERE name IN (SELECT value FROM json_each (?))");
  timchat_sql_bind_text (s, 1, json);
  return timchat_sql_step_done (self, s, error);
}

void
_timchat_store_sqlite_class_init_files (TimchatStoreClass *store_class)
{
  store_class->keep_files = sqlite_keep_files;
  store_class->release_files = sqlite_release_files;
  store_class->unpin_files = sqlite_unpin_files;
  store_class->expired_files = sqlite_expired_files;
  store_class->forget_files = sqlite_forget_files;
}
