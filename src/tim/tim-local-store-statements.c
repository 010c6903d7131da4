/* tim-local-store-statements.c: the local store's prepared statements and the three ways they
 * run: for nothing, for rows, for one value. Each call holds the store's lock from binding to
 * reset, so worker threads can share the one connection. */
#define G_LOG_DOMAIN "tim-local-store"

#include "config.h"

#include "tim-json.h"
#include "tim-local-store-private.h"

static const char *const stmt_sql[N_STMTS] = { STATEMENTS (STMT_SQL) };

/* Prepared at open, so a broken schema fails there and not later. */
gboolean
_tim_local_store_prepare_all (TimLocalStore *self, GError **error)
{
  for (int i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v3 (self->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &self->stmts[i],
                            NULL) != SQLITE_OK)
      return _tim_local_store_set_error (self, error, stmt_sql[i]);
  return TRUE;
}

static JsonObject *
column_json (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  g_autoptr (GError) error = NULL;
  JsonObject *object;

  if (text == NULL)
    return NULL;
  /* The core reader: the cached conversations are read before the first frame. */
  object = tim_json_parse_object (text, sqlite3_column_bytes (stmt, column), &error);
  if (object == NULL)
    g_warning ("Local store: a stored record is not a JSON object: %s", error->message);
  return object;
}

/* Takes the lock and binds ?1, ?2... from types: 's' a string, 'i' a gint64, 'j' a JsonObject
 * (NULL binds NULL). Returns the reset statement; release_stmt gives the lock back. */
static sqlite3_stmt *
acquire_stmt (TimLocalStore *self, StmtId id, const char *types, va_list args)
{
  sqlite3_stmt *stmt = self->stmts[id];

  g_rec_mutex_lock (&self->lock);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  for (int i = 0; types[i] != '\0'; i++)
    {
      if (types[i] == 's')
        sqlite3_bind_text (stmt, i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
      else if (types[i] == 'i')
        sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
      else
        {
          JsonObject *object = va_arg (args, JsonObject *);
          g_autoptr (JsonNode) node = NULL;

          if (object == NULL)
            continue;
          node = json_node_init_object (json_node_alloc (), object);
          sqlite3_bind_text (stmt, i + 1, json_to_string (node, FALSE), -1, g_free);
        }
    }
  return stmt;
}

static void
release_stmt (TimLocalStore *self, sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  g_rec_mutex_unlock (&self->lock);
}

/* Runs a statement that returns no rows. */
gboolean
_tim_local_store_run (TimLocalStore *self, StmtId id, GError **error, const char *types, ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  gboolean ok = TRUE;

  va_start (args, types);
  stmt = acquire_stmt (self, id, types, args);
  va_end (args);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    ok = _tim_local_store_set_error (self, error, stmt_sql[id]);
  release_stmt (self, stmt);
  return ok;
}

/* The first column of every row (at most max_rows) as JSON objects, strings or a count. */
GPtrArray *
_tim_local_store_query (TimLocalStore *self, StmtId id, ColumnType column, guint max_rows,
                        const char *types, ...)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (
      column == COLUMN_JSON ? (GDestroyNotify) json_object_unref : g_free);
  sqlite3_stmt *stmt;
  va_list args;
  int rc = SQLITE_DONE;

  va_start (args, types);
  stmt = acquire_stmt (self, id, types, args);
  va_end (args);
  while (rows->len < max_rows && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer value = NULL;

      if (column == COLUMN_JSON)
        value = column_json (stmt, 0);
      else if (column == COLUMN_STRING)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else
        value = g_memdup2 (&(gint64){ sqlite3_column_int64 (stmt, 0) }, sizeof (gint64));
      if (value != NULL)
        g_ptr_array_add (rows, value);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_warning ("Local store: reading rows: %s", sqlite3_errmsg (self->db));
  release_stmt (self, stmt);
  return rows;
}

/* The first column of the row for key, or NULL; the caller owns it. */
gpointer
_tim_local_store_query_one (TimLocalStore *self, StmtId id, ColumnType column, const char *key)
{
  g_autoptr (GPtrArray) rows = _tim_local_store_query (self, id, column, 1, "s", key);

  return rows->len > 0 ? g_ptr_array_steal_index (rows, 0) : NULL;
}
