/* timchat-store-sqlite-history.c: the SQLite engine's reading back of messages (history pages,
 * the C2C range, unread mentions), deletion for me (hidden_messages) and the events table. Apart
 * from timchat-store-sqlite-messages.c, which writes and changes the messages. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-sqlite-private.h"

/* ---------------------------------------------------------------- history */

/* What viewer (?3) sees of a conversation (?5, ?6) as history: the page is filled past what
 * viewer deleted, so a short page still means the end; it starts after what viewer cleared and,
 * in a group, after what was there before they joined (CONV_HISTORY_AFTER; a member always has
 * the group's row, and one who has none, the app admin, sees all of it). */
#define VISIBLE_TO_VIEWER                                                                          \
  "seq > coalesce ((SELECT " CONV_HISTORY_AFTER " FROM conversations c WHERE c.owner = ?3 "        \
  "  AND c.conv_type = ?5 AND c.peer = ?6), 0) "                                                   \
  "AND NOT EXISTS "                                                                                \
  "(SELECT 1 FROM hidden_messages h WHERE h.owner = ?3 AND h.msg_id = messages.id) "

/* Runs one of the history queries: ?1 the conversation's key, ?2 bound by the caller's bound. */
static GPtrArray *
read_history (TimchatStoreSqlite *self, sqlite3_stmt *s, const char *viewer, TimConvType type,
              const char *a, const char *b, gint64 bound, guint limit)
{
  g_autofree char *key = timchat_sql_conv_key (type, a, b);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_msg_free);
  /* viewer's conversation row: a group's, or the C2C one with the other of a and b. */
  const char *peer = type == TIM_CONV_GROUP || g_strcmp0 (a, viewer) != 0 ? a : b;

  timchat_sql_bind_text (s, 1, key);
  sqlite3_bind_int64 (s, 2, bound);
  timchat_sql_bind_text (s, 3, viewer != NULL ? viewer : "");
  sqlite3_bind_int (s, 4, (int) limit);
  sqlite3_bind_int (s, 5, type);
  timchat_sql_bind_text (s, 6, peer);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, timchat_sql_read_msg_row (s));
  sqlite3_reset (s);
  return list;
}

static GPtrArray *
sqlite_history (TimchatStore *store, const char *viewer, TimConvType type, const char *a,
                const char *b, gint64 before_seq, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "SELECT " MSG_COLUMNS
                                            " FROM messages WHERE conv_key = ?1 AND seq < ?2 "
                                            "AND " VISIBLE_TO_VIEWER "ORDER BY seq DESC LIMIT ?4");

  return read_history (self, s, viewer, type, a, b, before_seq > 0 ? before_seq : G_MAXINT64,
                       limit);
}

/* Ordered by seq, the order they were stored in, which a clock set back does not change. */
static GPtrArray *
sqlite_history_at_time (TimchatStore *store, const char *viewer, TimConvType type, const char *a,
                        const char *b, gint64 at_time, gboolean newer, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      newer ? timchat_sql_stmt (self,
                                "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ?1 "
                                "AND time >= ?2 AND " VISIBLE_TO_VIEWER "ORDER BY seq ASC LIMIT ?4")
            : timchat_sql_stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ?1 "
                                      "AND time <= ?2 AND " VISIBLE_TO_VIEWER
                                      "ORDER BY seq DESC LIMIT ?4");

  return read_history (self, s, viewer, type, a, b, at_time, limit);
}

static GPtrArray *
sqlite_c2c_range (TimchatStore *store, const char *a, const char *b, gint64 min_time,
                  gint64 max_time, gint64 before_seq, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *key = timchat_sql_conv_key (TIM_CONV_C2C, a, b);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_msg_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND seq < ? AND kind = 0 "
            "AND time >= ? AND time <= ? ORDER BY seq DESC LIMIT ?");

  timchat_sql_bind_text (s, 1, key);
  sqlite3_bind_int64 (s, 2, before_seq > 0 ? before_seq : G_MAXINT64);
  sqlite3_bind_int64 (s, 3, min_time);
  sqlite3_bind_int64 (s, 4, max_time);
  sqlite3_bind_int (s, 5, (int) limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, timchat_sql_read_msg_row (s));
  sqlite3_reset (s);
  return list;
}

static GArray *
sqlite_hide_messages (TimchatStore *store, const char *owner, GArray *msg_ids, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "INSERT OR IGNORE INTO hidden_messages (owner, msg_id) VALUES (?, ?)");
  g_autoptr (GArray) hidden = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GString) payload = g_string_new ("{\"ids\":[");

  if (!timchat_sql_begin (self, error))
    return NULL;
  for (guint i = 0; i < msg_ids->len; i++)
    {
      gint64 id = g_array_index (msg_ids, gint64, i);

      timchat_sql_bind_text (s, 1, owner);
      sqlite3_bind_int64 (s, 2, id);
      if (!timchat_sql_step_done (self, s, error))
        {
          timchat_sql_rollback (self);
          return NULL;
        }
      if (sqlite3_changes (self->db) == 0)
        continue; /* hidden already */
      g_string_append_printf (payload, "%s%" G_GINT64_FORMAT, hidden->len > 0 ? "," : "", id);
      g_array_append_val (hidden, id);
    }
  g_string_append (payload, "]}");
  /* In the same transaction: the owner's other devices hear of exactly what was deleted. */
  if (hidden->len > 0 &&
      !timchat_sql_insert_event (self, owner, TIMCHAT_EVENT_DELETED_FOR_ME, payload->str, error))
    {
      timchat_sql_rollback (self);
      return NULL;
    }
  if (!timchat_sql_commit (self, error))
    return NULL;
  return g_steal_pointer (&hidden);
}

static gboolean
sqlite_is_hidden (TimchatStore *store, const char *owner, gint64 msg_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT 1 FROM hidden_messages WHERE owner = ? AND msg_id = ?");

  timchat_sql_bind_text (s, 1, owner);
  sqlite3_bind_int64 (s, 2, msg_id);
  return timchat_sql_query_int (self, s, 0) == 1;
}

/* The join finds the user's groups (group_members_user), and in each only the messages past
 * the read mark that have mentions (messages_mentions, migration 13); json_each then looks at
 * those few. A group's read mark is its conversation row's (none: nothing read); what the user
 * cleared, or deleted with the conversation, counts as read (CONV_UNREAD_AFTER); a group whose
 * messages the user discards has none. */
static GPtrArray *
sqlite_unread_mentions (TimchatStore *store, const char *user_id, gint64 after_id, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_msg_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT " MSG_COLUMNS " FROM group_members gm "
            "JOIN messages ON messages.conv_key = gm.group_id AND messages.at_info IS NOT NULL "
            "  AND messages.seq > coalesce ((SELECT " CONV_UNREAD_AFTER " "
            "    FROM conversations c "
            "    WHERE c.owner = gm.user_id AND c.conv_type = 2 AND c.peer = gm.group_id), 0) "
            "WHERE gm.user_id = ?1 AND messages.id > ?2 AND messages.recalled = 0 "
            "  AND messages.from_user <> ?1 "
            "  AND NOT EXISTS (SELECT 1 FROM conversations d WHERE d.owner = ?1 "
            "    AND d.conv_type = 2 AND d.peer = gm.group_id AND d.remind = 1) "
            "  AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.owner = ?1 "
            "    AND h.msg_id = messages.id) "
            "  AND EXISTS (SELECT 1 FROM json_each (messages.at_info) a "
            "    WHERE json_extract (a.value, '$.GroupAtAllFlag') = 1 "
            "      OR json_extract (a.value, '$.GroupAt_Account') = ?1) "
            "ORDER BY messages.id LIMIT ?3");

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int64 (s, 2, after_id);
  sqlite3_bind_int (s, 3, (int) limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, timchat_sql_read_msg_row (s));
  sqlite3_reset (s);
  return list;
}

static gint64
sqlite_last_message_id (TimchatStore *store)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;

  /* max() of the rowid is one step down the table's B-tree. */
  return timchat_sql_query_int (self, timchat_sql_stmt (self, "SELECT max(id) FROM messages"), 0);
}

/* ---------------------------------------------------------------- events */

gboolean
timchat_sql_insert_event (TimchatStoreSqlite *self, const char *user_id, int kind,
                          const char *payload, GError **error)
{
  sqlite3_stmt *s = timchat_sql_stmt (self, "INSERT INTO events (user_id, kind, payload, created) "
                                            "VALUES (?, ?, ?, ?)");

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, kind);
  timchat_sql_bind_text (s, 3, payload);
  sqlite3_bind_int64 (s, 4, g_get_real_time () / G_USEC_PER_SEC);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_append_event (TimchatStore *store, const char *user_id, int kind, const char *payload,
                     GError **error)
{
  return timchat_sql_insert_event ((TimchatStoreSqlite *) store, user_id, kind, payload, error);
}

static GPtrArray *
sqlite_read_events (TimchatStore *store, const char *user_id, gint64 after_id, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_event_free);
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT id, kind, payload, created FROM events WHERE user_id = ? "
                              "AND id > ? ORDER BY id LIMIT ?");

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int64 (s, 2, after_id);
  sqlite3_bind_int (s, 3, (int) limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      TimchatEvent *event = g_new0 (TimchatEvent, 1);

      event->id = sqlite3_column_int64 (s, 0);
      event->kind = sqlite3_column_int (s, 1);
      event->payload = timchat_sql_column_text (s, 2);
      event->created = sqlite3_column_int64 (s, 3);
      g_ptr_array_add (list, event);
    }
  sqlite3_reset (s);
  return list;
}

static gint64
sqlite_last_event_id (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "SELECT max(id) FROM events WHERE user_id = ?");

  timchat_sql_bind_text (s, 1, user_id);
  return timchat_sql_query_int (self, s, 0);
}

/* AUTOINCREMENT keeps each table's highest id in sqlite_sequence, also once its rows are gone
 * (store-sqlite.sql, migrations 27 and 29). */
static void
sqlite_highest_ids (TimchatStore *store, gint64 *event_id, gint64 *message_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "SELECT seq FROM sqlite_sequence WHERE name = ?");

  timchat_sql_bind_text (s, 1, "events");
  *event_id = timchat_sql_query_int (self, s, 0);
  timchat_sql_bind_text (s, 1, "messages");
  *message_id = timchat_sql_query_int (self, s, 0);
}

void
_timchat_store_sqlite_class_init_history (TimchatStoreClass *store_class)
{
  store_class->highest_ids = sqlite_highest_ids;
  store_class->history = sqlite_history;
  store_class->history_at_time = sqlite_history_at_time;
  store_class->hide_messages = sqlite_hide_messages;
  store_class->is_hidden = sqlite_is_hidden;
  store_class->unread_mentions = sqlite_unread_mentions;
  store_class->last_message_id = sqlite_last_message_id;
  store_class->c2c_range = sqlite_c2c_range;
  store_class->append_event = sqlite_append_event;
  store_class->read_events = sqlite_read_events;
  store_class->last_event_id = sqlite_last_event_id;
}
