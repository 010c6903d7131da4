/* timchat-store-sqlite.c: SQLite in WAL mode. All writes of one operation share one
 * transaction, so an acknowledged message, its conversation rows and its sync events are either
 * all on disk or none. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "tim-error.h"
#include "timchat-server-resources.h"
#include "timchat-store-sqlite.h"

struct _TimchatStoreSqlite
{
  TimchatStore parent_instance;

  sqlite3 *db;
  GHashTable *statements;  /* SQL text -> sqlite3_stmt*, prepared once */
};

G_DEFINE_FINAL_TYPE (TimchatStoreSqlite, timchat_store_sqlite, TIMCHAT_TYPE_STORE)

#define MSG_COLUMNS "id, conv_type, kind, from_user, to_id, seq, client_seq, random, time, " \
                    "client_time, priority, body, cloud_custom_data, offline_push, recalled, " \
                    "revoker, recall_time"

static gboolean
set_db_error (TimchatStoreSqlite *self, GError **error)
{
  g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "Storage error: %s", sqlite3_errmsg (self->db));
  return FALSE;
}

/* Returns a reset statement, prepared on first use and cached by its SQL text. */
static sqlite3_stmt *
stmt (TimchatStoreSqlite *self, const char *sql)
{
  sqlite3_stmt *statement = g_hash_table_lookup (self->statements, sql);

  if (statement == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL) != SQLITE_OK)
        g_error ("Cannot prepare %s: %s", sql, sqlite3_errmsg (self->db));
      g_hash_table_insert (self->statements, (gpointer) sql, statement);
    }
  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
  return statement;
}

static void
bind_text (sqlite3_stmt *statement, int index, const char *value)
{
  if (value == NULL)
    sqlite3_bind_null (statement, index);
  else
    sqlite3_bind_text (statement, index, value, -1, SQLITE_TRANSIENT);
}

static char *
column_text (sqlite3_stmt *statement, int column)
{
  const unsigned char *text = sqlite3_column_text (statement, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
exec (TimchatStoreSqlite *self, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "Storage error: %s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
begin (TimchatStoreSqlite *self, GError **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (TimchatStoreSqlite *self, GError **error)
{
  return exec (self, "COMMIT", error);
}

static void
rollback (TimchatStoreSqlite *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (TimchatStoreSqlite *self, sqlite3_stmt *statement, GError **error)
{
  int rc = sqlite3_step (statement);

  sqlite3_reset (statement);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_db_error (self, error);
  return TRUE;
}

static gint64
query_int (TimchatStoreSqlite *self, sqlite3_stmt *statement, gint64 fallback)
{
  gint64 value = fallback;

  if (sqlite3_step (statement) == SQLITE_ROW && sqlite3_column_type (statement, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (statement, 0);
  sqlite3_reset (statement);
  return value;
}

static char *
conv_key (TimConvType type, const char *a, const char *b)
{
  if (type == TIM_CONV_GROUP)
    return g_strdup (a);
  /* One key per unordered pair, so both directions share one order. */
  return strcmp (a, b) <= 0 ? g_strconcat (a, "\n", b, NULL) : g_strconcat (b, "\n", a, NULL);
}

/* ---------------------------------------------------------------- schema */

static gboolean
migrate (TimchatStoreSqlite *self, GError **error)
{
  /* Looked up in our own resource: a static library drops the auto-registration constructor. */
  g_autoptr(GBytes) script = g_resource_lookup_data (timchat_server_get_resource (),
                                                     "/org/example/TimChat/server/store-sqlite.sql",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_auto(GStrv) sections = NULL;
  sqlite3_stmt *version_stmt;
  gint64 version;

  if (script == NULL)
    return FALSE;
  version_stmt = stmt (self, "PRAGMA user_version");
  version = query_int (self, version_stmt, 0);
  sections = g_strsplit (g_bytes_get_data (script, NULL), "-- migration ", -1);
  /* sections[0] is the preamble; sections[n] starts with the number n. */
  for (guint i = 1; sections[i] != NULL; i++)
    {
      gint64 number = g_ascii_strtoll (sections[i], NULL, 10);
      g_autofree char *pragma = NULL;

      if (number <= version)
        continue;
      if (!begin (self, error) || !exec (self, strchr (sections[i], '\n'), error))
        {
          rollback (self);
          return FALSE;
        }
      pragma = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, number);
      if (!exec (self, pragma, error) || !commit (self, error))
        {
          rollback (self);
          return FALSE;
        }
      g_info ("Storage migrated to version %" G_GINT64_FORMAT, number);
    }
  return TRUE;
}

/* ---------------------------------------------------------------- accounts */

static TimchatAccount *
read_account (sqlite3_stmt *statement)
{
  TimchatAccount *account = NULL;

  if (sqlite3_step (statement) == SQLITE_ROW)
    {
      account = g_new0 (TimchatAccount, 1);
      account->user_id = column_text (statement, 0);
      account->tinyid = (guint64) sqlite3_column_int64 (statement, 1);
      account->nick = column_text (statement, 2);
      account->avatar = column_text (statement, 3);
      account->created = sqlite3_column_int64 (statement, 4);
      account->kicked_before = sqlite3_column_int64 (statement, 5);
    }
  sqlite3_reset (statement);
  return account;
}

static TimchatAccount *
sqlite_get_account (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "SELECT user_id, tinyid, nick, avatar, created, kicked_before "
                                "FROM accounts WHERE user_id = ?");

  bind_text (s, 1, user_id);
  return read_account (s);
}

static TimchatAccount *
sqlite_get_account_by_tinyid (TimchatStore *store, guint64 tinyid)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "SELECT user_id, tinyid, nick, avatar, created, kicked_before "
                                "FROM accounts WHERE tinyid = ?");

  sqlite3_bind_int64 (s, 1, (gint64) tinyid);
  return read_account (s);
}

static TimchatAccount *
sqlite_ensure_account (TimchatStore *store, const char *user_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  TimchatAccount *account = sqlite_get_account (store, user_id);
  sqlite3_stmt *s;

  if (account != NULL)
    return account;
  /* TinyIDs look like the vendor's: 144115xxxxxxxxxxxx, unique and stable per account. */
  s = stmt (self, "INSERT INTO accounts (user_id, tinyid, created) VALUES (?, "
                  "144115000000000000 + 1 + coalesce((SELECT max(tinyid) - 144115000000000000 "
                  "FROM accounts), 0), ?)");
  bind_text (s, 1, user_id);
  sqlite3_bind_int64 (s, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, s, error))
    return NULL;
  return sqlite_get_account (store, user_id);
}

static gboolean
sqlite_set_profile (TimchatStore *store, const char *user_id, const char *nick, const char *avatar,
                    GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "UPDATE accounts SET nick = coalesce(?, nick), "
                                "avatar = coalesce(?, avatar) WHERE user_id = ?");

  bind_text (s, 1, nick);
  bind_text (s, 2, avatar);
  bind_text (s, 3, user_id);
  return step_done (self, s, error);
}

static gboolean
sqlite_add_ticket (TimchatStore *store, const char *a2, const char *user_id, gint64 expires,
                   GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "INSERT OR REPLACE INTO tickets (a2, user_id, created, expires) "
                                "VALUES (?, ?, ?, ?)");

  bind_text (s, 1, a2);
  bind_text (s, 2, user_id);
  sqlite3_bind_int64 (s, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (s, 4, expires);
  return step_done (self, s, error);
}

static char *
sqlite_check_ticket (TimchatStore *store, const char *a2, gint64 now)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "SELECT t.user_id FROM tickets t JOIN accounts a USING (user_id) "
                                "WHERE t.a2 = ? AND t.expires > ? AND t.created >= a.kicked_before");
  char *user = NULL;

  bind_text (s, 1, a2);
  sqlite3_bind_int64 (s, 2, now);
  if (sqlite3_step (s) == SQLITE_ROW)
    user = column_text (s, 0);
  sqlite3_reset (s);
  return user;
}

static gboolean
sqlite_revoke_tickets (TimchatStore *store, const char *user_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "DELETE FROM tickets WHERE user_id = ?");

  bind_text (s, 1, user_id);
  return step_done (self, s, error);
}

/* ---------------------------------------------------------------- messages */

static TimchatMsg *
read_msg_row (sqlite3_stmt *s)
{
  TimchatMsg *msg = g_new0 (TimchatMsg, 1);

  msg->id = sqlite3_column_int64 (s, 0);
  msg->conv_type = sqlite3_column_int (s, 1);
  msg->kind = sqlite3_column_int (s, 2);
  msg->from_user = column_text (s, 3);
  msg->to_id = column_text (s, 4);
  msg->seq = sqlite3_column_int64 (s, 5);
  msg->client_seq = sqlite3_column_int64 (s, 6);
  msg->random = sqlite3_column_int64 (s, 7);
  msg->time = sqlite3_column_int64 (s, 8);
  msg->client_time = sqlite3_column_int64 (s, 9);
  msg->priority = sqlite3_column_int (s, 10);
  msg->body = column_text (s, 11);
  msg->cloud_custom_data = column_text (s, 12);
  msg->offline_push = column_text (s, 13);
  msg->recalled = sqlite3_column_int (s, 14) != 0;
  msg->revoker = column_text (s, 15);
  msg->recall_time = sqlite3_column_int64 (s, 16);
  return msg;
}

static TimchatMsg *
read_one_msg (sqlite3_stmt *s)
{
  TimchatMsg *msg = NULL;

  if (sqlite3_step (s) == SQLITE_ROW)
    msg = read_msg_row (s);
  sqlite3_reset (s);
  return msg;
}

static gboolean
upsert_c2c_conversation (TimchatStoreSqlite *self, const char *owner, const char *peer,
                         const TimchatMsg *msg, GError **error)
{
  /* Own messages count as read: the sender's read mark moves with them. */
  sqlite3_stmt *s = stmt (self,
    "INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time, read_seq) "
    "VALUES (?1, 1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?3 ELSE 0 END) "
    "ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = ?3, last_time = ?4, "
    "read_seq = CASE WHEN ?5 THEN max(read_seq, ?3) ELSE read_seq END");

  bind_text (s, 1, owner);
  bind_text (s, 2, peer);
  sqlite3_bind_int64 (s, 3, msg->seq);
  sqlite3_bind_int64 (s, 4, msg->time);
  sqlite3_bind_int (s, 5, g_str_equal (owner, msg->from_user));
  return step_done (self, s, error);
}

static gboolean
insert_event (TimchatStoreSqlite *self, const char *user_id, int kind, const char *payload,
              GError **error)
{
  sqlite3_stmt *s = stmt (self, "INSERT INTO events (user_id, kind, payload, created) "
                                "VALUES (?, ?, ?, ?)");

  bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, kind);
  bind_text (s, 3, payload);
  sqlite3_bind_int64 (s, 4, g_get_real_time () / G_USEC_PER_SEC);
  return step_done (self, s, error);
}

static gboolean
insert_message_locked (TimchatStoreSqlite *self, TimchatMsg *msg, gboolean *duplicate,
                       GError **error)
{
  g_autofree char *key = conv_key (msg->conv_type, msg->conv_type == TIM_CONV_GROUP ? msg->to_id
                                                                                    : msg->from_user,
                                   msg->to_id);
  sqlite3_stmt *s;
  TimchatMsg *original = NULL;

  if (msg->kind == TIMCHAT_MSG_NORMAL)
    {
      s = stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND from_user = ? "
                      "AND random = ? AND client_seq = ? AND kind = 0");
      bind_text (s, 1, key);
      bind_text (s, 2, msg->from_user);
      sqlite3_bind_int64 (s, 3, msg->random);
      sqlite3_bind_int64 (s, 4, msg->client_seq);
      original = read_one_msg (s);
    }
  if (original != NULL)
    {
      /* A resend: hand back what the first attempt stored, change nothing. */
      msg->id = original->id;
      msg->seq = original->seq;
      msg->time = original->time;
      msg->recalled = original->recalled;
      timchat_msg_free (original);
      *duplicate = TRUE;
      return TRUE;
    }
  *duplicate = FALSE;

  s = stmt (self, "INSERT INTO counters (conv_key, last_seq) VALUES (?, 1) ON CONFLICT (conv_key) "
                  "DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
  bind_text (s, 1, key);
  msg->seq = query_int (self, s, -1);
  if (msg->seq < 0)
    return set_db_error (self, error);

  s = stmt (self, "INSERT INTO messages (conv_type, conv_key, seq, kind, from_user, to_id, client_seq, "
                  "random, time, client_time, priority, body, cloud_custom_data, offline_push) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int (s, 1, msg->conv_type);
  bind_text (s, 2, key);
  sqlite3_bind_int64 (s, 3, msg->seq);
  sqlite3_bind_int (s, 4, msg->kind);
  bind_text (s, 5, msg->from_user);
  bind_text (s, 6, msg->to_id);
  sqlite3_bind_int64 (s, 7, msg->client_seq);
  sqlite3_bind_int64 (s, 8, msg->random);
  sqlite3_bind_int64 (s, 9, msg->time);
  sqlite3_bind_int64 (s, 10, msg->client_time);
  sqlite3_bind_int (s, 11, msg->priority);
  bind_text (s, 12, msg->body);
  bind_text (s, 13, msg->cloud_custom_data != NULL ? msg->cloud_custom_data : "");
  bind_text (s, 14, msg->offline_push);
  if (!step_done (self, s, error))
    return FALSE;
  msg->id = sqlite3_last_insert_rowid (self->db);

  if (msg->conv_type == TIM_CONV_C2C)
    {
      g_autofree char *payload = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT "}", msg->id);

      if (!upsert_c2c_conversation (self, msg->from_user, msg->to_id, msg, error) ||
          !upsert_c2c_conversation (self, msg->to_id, msg->from_user, msg, error) ||
          !insert_event (self, msg->to_id, TIMCHAT_EVENT_C2C_MESSAGE, payload, error) ||
          (!g_str_equal (msg->from_user, msg->to_id) &&
           !insert_event (self, msg->from_user, TIMCHAT_EVENT_C2C_MESSAGE, payload, error)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_insert_message (TimchatStore *store, TimchatMsg *msg, gboolean *duplicate, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  gboolean dup = FALSE;

  if (!begin (self, error))
    return FALSE;
  if (!insert_message_locked (self, msg, &dup, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  if (duplicate != NULL)
    *duplicate = dup;
  return TRUE;
}

static TimchatMsg *
sqlite_find_c2c_message (TimchatStore *store, const char *from_user, const char *to_user,
                         gint64 client_seq, gint64 random)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *key = conv_key (TIM_CONV_C2C, from_user, to_user);
  sqlite3_stmt *s = stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND "
                                "from_user = ? AND random = ? AND client_seq = ? AND kind = 0");

  bind_text (s, 1, key);
  bind_text (s, 2, from_user);
  sqlite3_bind_int64 (s, 3, random);
  sqlite3_bind_int64 (s, 4, client_seq);
  return read_one_msg (s);
}

static TimchatMsg *
sqlite_find_group_message (TimchatStore *store, const char *group_id, gint64 seq)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND "
                                "seq = ? AND conv_type = 2");

  bind_text (s, 1, group_id);
  sqlite3_bind_int64 (s, 2, seq);
  return read_one_msg (s);
}

static TimchatMsg *
sqlite_get_message (TimchatStore *store, gint64 id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE id = ?");

  sqlite3_bind_int64 (s, 1, id);
  return read_one_msg (s);
}

static gboolean
sqlite_recall_message (TimchatStore *store, TimchatMsg *msg, const char *revoker, gint64 now,
                       const char *notice_json, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!begin (self, error))
    return FALSE;
  s = stmt (self, "UPDATE messages SET recalled = 1, revoker = ?, recall_time = ? "
                  "WHERE id = ? AND recalled = 0");
  bind_text (s, 1, revoker);
  sqlite3_bind_int64 (s, 2, now);
  sqlite3_bind_int64 (s, 3, msg->id);
  if (!step_done (self, s, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      rollback (self);
      g_set_error_literal (error, TIM_ERROR, msg->conv_type == TIM_CONV_C2C
                           ? TIM_ERROR_MSG_ALREADY_RECALLED : TIM_ERROR_GROUP_RECALL_NOT_FOUND,
                           "The message was already recalled");
      return FALSE;
    }
  if (msg->conv_type == TIM_CONV_C2C)
    {
      if (!insert_event (self, msg->to_id, TIMCHAT_EVENT_C2C_RECALL, notice_json, error) ||
          (!g_str_equal (msg->to_id, msg->from_user) &&
           !insert_event (self, msg->from_user, TIMCHAT_EVENT_C2C_RECALL, notice_json, error)))
        goto fail;
    }
  if (!commit (self, error))
    goto fail;
  msg->recalled = TRUE;
  g_free (msg->revoker);
  msg->revoker = g_strdup (revoker);
  msg->recall_time = now;
  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static GPtrArray *
sqlite_history (TimchatStore *store, TimConvType type, const char *a, const char *b,
                gint64 before_seq, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *key = conv_key (type, a, b);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_msg_free);
  sqlite3_stmt *s = stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND seq < ? "
                                "ORDER BY seq DESC LIMIT ?");

  bind_text (s, 1, key);
  sqlite3_bind_int64 (s, 2, before_seq > 0 ? before_seq : G_MAXINT64);
  sqlite3_bind_int (s, 3, (int) limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, read_msg_row (s));
  sqlite3_reset (s);
  return list;
}

/* ---------------------------------------------------------------- events */

static gboolean
sqlite_append_event (TimchatStore *store, const char *user_id, int kind, const char *payload,
                     GError **error)
{
  return insert_event ((TimchatStoreSqlite *) store, user_id, kind, payload, error);
}

static GPtrArray *
sqlite_read_events (TimchatStore *store, const char *user_id, gint64 after_id, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_event_free);
  sqlite3_stmt *s = stmt (self, "SELECT id, kind, payload, created FROM events WHERE user_id = ? "
                                "AND id > ? ORDER BY id LIMIT ?");

  bind_text (s, 1, user_id);
  sqlite3_bind_int64 (s, 2, after_id);
  sqlite3_bind_int (s, 3, (int) limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      TimchatEvent *event = g_new0 (TimchatEvent, 1);

      event->id = sqlite3_column_int64 (s, 0);
      event->kind = sqlite3_column_int (s, 1);
      event->payload = column_text (s, 2);
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
  sqlite3_stmt *s = stmt (self, "SELECT max(id) FROM events WHERE user_id = ?");

  bind_text (s, 1, user_id);
  return query_int (self, s, 0);
}

/* ---------------------------------------------------------------- conversations */

#define CONV_SELECT \
  "SELECT c.conv_type, c.peer, c.read_seq, c.pinned, " \
  "  CASE WHEN c.conv_type = 2 THEN coalesce(k.last_seq, 0) ELSE c.last_seq END AS last " \
  "FROM conversations c LEFT JOIN counters k ON c.conv_type = 2 AND k.conv_key = c.peer " \
  "WHERE c.owner = ?1 "

static TimchatConversation *
fill_conversation (TimchatStoreSqlite *self, const char *user_id, sqlite3_stmt *row)
{
  TimchatConversation *conv = g_new0 (TimchatConversation, 1);
  gint64 last_seq = sqlite3_column_int64 (row, 4);
  g_autofree char *key = NULL;
  sqlite3_stmt *s;

  conv->conv_type = sqlite3_column_int (row, 0);
  conv->peer = column_text (row, 1);
  conv->read_seq = sqlite3_column_int64 (row, 2);
  conv->pinned = sqlite3_column_int (row, 3) != 0;
  key = conv_key (conv->conv_type, conv->conv_type == TIM_CONV_GROUP ? conv->peer : user_id, conv->peer);

  if (last_seq > 0)
    {
      s = stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND seq <= ? "
                      "ORDER BY seq DESC LIMIT 1");
      bind_text (s, 1, key);
      sqlite3_bind_int64 (s, 2, last_seq);
      conv->last = read_one_msg (s);
    }
  conv->sort_time = conv->last != NULL ? conv->last->time : 0;

  /* Unread: stored, not recalled messages from others after the read mark. */
  s = stmt (self, "SELECT count(*) FROM messages WHERE conv_key = ? AND seq > ? AND kind = 0 "
                  "AND recalled = 0 AND from_user != ?");
  bind_text (s, 1, key);
  sqlite3_bind_int64 (s, 2, conv->read_seq);
  bind_text (s, 3, user_id);
  conv->unread = query_int (self, s, 0);

  if (conv->conv_type == TIM_CONV_C2C)
    {
      s = stmt (self, "SELECT m.time FROM conversations c JOIN messages m ON m.conv_key = ?3 "
                      "AND m.seq = c.read_seq WHERE c.owner = ?1 AND c.conv_type = 1 AND c.peer = ?2");
      bind_text (s, 1, conv->peer);
      bind_text (s, 2, user_id);
      bind_text (s, 3, key);
      conv->peer_read_time = query_int (self, s, 0);
    }
  return conv;
}

static int
compare_conversations (gconstpointer a, gconstpointer b)
{
  const TimchatConversation *x = *(TimchatConversation **) a;
  const TimchatConversation *y = *(TimchatConversation **) b;

  if (x->pinned != y->pinned)
    return x->pinned ? -1 : 1;
  return (y->sort_time > x->sort_time) - (y->sort_time < x->sort_time);
}

static GPtrArray *
sqlite_list_conversations (TimchatStore *store, const char *user_id, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_conversation_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  sqlite3_stmt *s = stmt (self, CONV_SELECT "AND last > c.hidden_seq");

  /* Collect keys first: fill_conversation reuses statements. */
  bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, GINT_TO_POINTER (sqlite3_column_int (s, 0)));
      g_ptr_array_add (rows, column_text (s, 1));
    }
  sqlite3_reset (s);
  for (guint i = 0; i < rows->len; i += 2)
    {
      g_autofree char *peer = rows->pdata[i + 1];
      TimchatConversation *conv = timchat_store_get_conversation (store, user_id,
                                                                  GPOINTER_TO_INT (rows->pdata[i]), peer);
      if (conv != NULL)
        g_ptr_array_add (list, conv);
    }
  g_ptr_array_sort (list, compare_conversations);
  if (limit > 0 && list->len > limit)
    g_ptr_array_set_size (list, limit);
  return list;
}

static TimchatConversation *
sqlite_get_conversation (TimchatStore *store, const char *user_id, TimConvType type, const char *peer)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, CONV_SELECT "AND c.conv_type = ?2 AND c.peer = ?3");
  TimchatConversation *conv = NULL;

  bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  bind_text (s, 3, peer);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      /* Copy the row out before fill_conversation reuses other statements. */
      conv = fill_conversation (self, user_id, s);
    }
  sqlite3_reset (s);
  return conv;
}

static gboolean
sqlite_delete_conversation (TimchatStore *store, const char *user_id, TimConvType type,
                            const char *peer, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Hide up to the newest message; the messages stay, and the next one shows it again. */
  sqlite3_stmt *s = stmt (self,
    "UPDATE conversations SET hidden_seq = CASE WHEN conv_type = 2 THEN "
    "  coalesce((SELECT last_seq FROM counters WHERE conv_key = ?3), 0) ELSE last_seq END "
    "WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3");

  bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  bind_text (s, 3, peer);
  if (!step_done (self, s, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                   "There is no conversation with %s", peer);
      return FALSE;
    }
  return TRUE;
}

static gint64
sqlite_mark_read (TimchatStore *store, const char *user_id, TimConvType type, const char *peer,
                  gint64 upto_time, gint64 upto_seq, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *key = conv_key (type, type == TIM_CONV_GROUP ? peer : user_id, peer);
  sqlite3_stmt *s;

  if (upto_seq <= 0)
    {
      s = stmt (self, "SELECT max(seq) FROM messages WHERE conv_key = ? AND time <= ?");
      bind_text (s, 1, key);
      sqlite3_bind_int64 (s, 2, upto_time);
      upto_seq = query_int (self, s, 0);
    }
  s = stmt (self, "UPDATE conversations SET read_seq = max(read_seq, ?4) "
                  "WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3 RETURNING read_seq");
  bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  bind_text (s, 3, peer);
  sqlite3_bind_int64 (s, 4, upto_seq);
  upto_seq = query_int (self, s, -1);
  if (upto_seq < 0)
    g_set_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                 "There is no conversation with %s", peer);
  return upto_seq;
}

/* ---------------------------------------------------------------- groups */

static gboolean
insert_member (TimchatStoreSqlite *self, const char *group_id, TimchatMember *member, GError **error)
{
  sqlite3_stmt *s = stmt (self, "INSERT INTO group_members (group_id, user_id, role, join_time, name_card) "
                                "VALUES (?, ?, ?, ?, ?)");

  bind_text (s, 1, group_id);
  bind_text (s, 2, member->user_id);
  bind_text (s, 3, member->role);
  sqlite3_bind_int64 (s, 4, member->join_time);
  bind_text (s, 5, member->name_card != NULL ? member->name_card : "");
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);
      sqlite3_reset (s);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ALREADY_MEMBER,
                     "%s is already a member of %s", member->user_id, group_id);
      else
        set_db_error (self, error);
      return FALSE;
    }
  sqlite3_reset (s);
  /* History before joining is not unread for the newcomer. */
  s = stmt (self, "INSERT INTO conversations (owner, conv_type, peer, read_seq) VALUES (?1, 2, ?2, "
                  "coalesce((SELECT last_seq FROM counters WHERE conv_key = ?2), 0)) "
                  "ON CONFLICT DO UPDATE SET hidden_seq = -1, read_seq = excluded.read_seq");
  bind_text (s, 1, member->user_id);
  bind_text (s, 2, group_id);
  return step_done (self, s, error);
}

static gboolean
sqlite_create_group (TimchatStore *store, TimchatGroup *group, GPtrArray *members, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!begin (self, error))
    return FALSE;
  s = stmt (self, "INSERT INTO groups (group_id, type, name, owner, introduction, notification, "
                  "face_url, created, max_members) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_text (s, 1, group->group_id);
  bind_text (s, 2, group->type);
  bind_text (s, 3, group->name);
  bind_text (s, 4, group->owner);
  bind_text (s, 5, group->introduction != NULL ? group->introduction : "");
  bind_text (s, 6, group->notification != NULL ? group->notification : "");
  bind_text (s, 7, group->face_url != NULL ? group->face_url : "");
  sqlite3_bind_int64 (s, 8, group->created);
  sqlite3_bind_int (s, 9, (int) group->max_members);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);
      sqlite3_reset (s);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ID_IN_USE, "Group ID %s is in use", group->group_id);
      else
        set_db_error (self, error);
      goto fail;
    }
  sqlite3_reset (s);
  for (guint i = 0; i < members->len; i++)
    if (!insert_member (self, group->group_id, members->pdata[i], error))
      goto fail;
  if (!commit (self, error))
    goto fail;
  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

#define GROUP_SELECT \
  "SELECT g.group_id, g.type, g.name, g.owner, g.introduction, g.notification, g.face_url, " \
  "g.created, g.max_members, coalesce(k.last_seq, 0), " \
  "(SELECT count(*) FROM group_members m WHERE m.group_id = g.group_id) " \
  "FROM groups g LEFT JOIN counters k ON k.conv_key = g.group_id WHERE g.dismissed = 0 "

static TimchatGroup *
read_group_row (sqlite3_stmt *s)
{
  TimchatGroup *group = g_new0 (TimchatGroup, 1);

  group->group_id = column_text (s, 0);
  group->type = column_text (s, 1);
  group->name = column_text (s, 2);
  group->owner = column_text (s, 3);
  group->introduction = column_text (s, 4);
  group->notification = column_text (s, 5);
  group->face_url = column_text (s, 6);
  group->created = sqlite3_column_int64 (s, 7);
  group->max_members = sqlite3_column_int (s, 8);
  group->last_seq = sqlite3_column_int64 (s, 9);
  group->member_count = sqlite3_column_int (s, 10);
  return group;
}

static TimchatGroup *
sqlite_get_group (TimchatStore *store, const char *group_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, GROUP_SELECT "AND g.group_id = ?");
  TimchatGroup *group = NULL;

  bind_text (s, 1, group_id);
  if (sqlite3_step (s) == SQLITE_ROW)
    group = read_group_row (s);
  sqlite3_reset (s);
  return group;
}

static GPtrArray *
sqlite_joined_groups (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_group_free);
  sqlite3_stmt *s = stmt (self, GROUP_SELECT "AND g.group_id IN "
                                "(SELECT group_id FROM group_members WHERE user_id = ?) ORDER BY g.created");

  bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, read_group_row (s));
  sqlite3_reset (s);
  return list;
}

static TimchatMember *
read_member_row (sqlite3_stmt *s)
{
  TimchatMember *member = g_new0 (TimchatMember, 1);

  member->user_id = column_text (s, 0);
  member->role = column_text (s, 1);
  member->join_time = sqlite3_column_int64 (s, 2);
  member->read_seq = sqlite3_column_int64 (s, 3);
  member->name_card = column_text (s, 4);
  return member;
}

#define MEMBER_SELECT \
  "SELECT m.user_id, m.role, m.join_time, coalesce(c.read_seq, 0), m.name_card FROM group_members m " \
  "LEFT JOIN conversations c ON c.owner = m.user_id AND c.conv_type = 2 AND c.peer = m.group_id " \
  "WHERE m.group_id = ?1 "

static GPtrArray *
sqlite_list_members (TimchatStore *store, const char *group_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_member_free);
  sqlite3_stmt *s = stmt (self, MEMBER_SELECT "ORDER BY m.join_time, m.rowid");

  bind_text (s, 1, group_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, read_member_row (s));
  sqlite3_reset (s);
  return list;
}

static TimchatMember *
sqlite_get_member (TimchatStore *store, const char *group_id, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, MEMBER_SELECT "AND m.user_id = ?2");
  TimchatMember *member = NULL;

  bind_text (s, 1, group_id);
  bind_text (s, 2, user_id);
  if (sqlite3_step (s) == SQLITE_ROW)
    member = read_member_row (s);
  sqlite3_reset (s);
  return member;
}

static gboolean
sqlite_add_member (TimchatStore *store, const char *group_id, TimchatMember *member, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;

  if (!begin (self, error))
    return FALSE;
  if (!insert_member (self, group_id, member, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_remove_member (TimchatStore *store, const char *group_id, const char *user_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!begin (self, error))
    return FALSE;
  s = stmt (self, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?");
  bind_text (s, 1, group_id);
  bind_text (s, 2, user_id);
  if (!step_done (self, s, error))
    goto fail;
  s = stmt (self, "DELETE FROM conversations WHERE owner = ? AND conv_type = 2 AND peer = ?");
  bind_text (s, 1, user_id);
  bind_text (s, 2, group_id);
  if (!step_done (self, s, error) || !commit (self, error))
    goto fail;
  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static gboolean
sqlite_set_member_role (TimchatStore *store, const char *group_id, const char *user_id,
                        const char *role, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?");

  bind_text (s, 1, role);
  bind_text (s, 2, group_id);
  bind_text (s, 3, user_id);
  return step_done (self, s, error);
}

static gboolean
sqlite_dismiss_group (TimchatStore *store, const char *group_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!begin (self, error))
    return FALSE;
  s = stmt (self, "UPDATE groups SET dismissed = 1 WHERE group_id = ?");
  bind_text (s, 1, group_id);
  if (!step_done (self, s, error))
    goto fail;
  s = stmt (self, "DELETE FROM conversations WHERE conv_type = 2 AND peer = ?");
  bind_text (s, 1, group_id);
  if (!step_done (self, s, error))
    goto fail;
  s = stmt (self, "DELETE FROM group_members WHERE group_id = ?");
  bind_text (s, 1, group_id);
  if (!step_done (self, s, error) || !commit (self, error))
    goto fail;
  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static guint
sqlite_purge_before (TimchatStore *store, gint64 time)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = stmt (self, "DELETE FROM messages WHERE time < ?");
  guint removed;

  sqlite3_bind_int64 (s, 1, time);
  if (!step_done (self, s, NULL))
    return 0;
  removed = sqlite3_changes (self->db);
  s = stmt (self, "DELETE FROM events WHERE created < ?");
  sqlite3_bind_int64 (s, 1, time);
  step_done (self, s, NULL);
  s = stmt (self, "DELETE FROM tickets WHERE expires < ?");
  sqlite3_bind_int64 (s, 1, g_get_real_time () / G_USEC_PER_SEC);
  step_done (self, s, NULL);
  return removed;
}

/* ---------------------------------------------------------------- object */

static void
timchat_store_sqlite_finalize (GObject *object)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  G_OBJECT_CLASS (timchat_store_sqlite_parent_class)->finalize (object);
}

static void
timchat_store_sqlite_class_init (TimchatStoreSqliteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TimchatStoreClass *store_class = TIMCHAT_STORE_CLASS (klass);

  object_class->finalize = timchat_store_sqlite_finalize;
  store_class->ensure_account = sqlite_ensure_account;
  store_class->get_account = sqlite_get_account;
  store_class->get_account_by_tinyid = sqlite_get_account_by_tinyid;
  store_class->set_profile = sqlite_set_profile;
  store_class->add_ticket = sqlite_add_ticket;
  store_class->check_ticket = sqlite_check_ticket;
  store_class->revoke_tickets = sqlite_revoke_tickets;
  store_class->insert_message = sqlite_insert_message;
  store_class->find_c2c_message = sqlite_find_c2c_message;
  store_class->find_group_message = sqlite_find_group_message;
  store_class->get_message = sqlite_get_message;
  store_class->recall_message = sqlite_recall_message;
  store_class->history = sqlite_history;
  store_class->append_event = sqlite_append_event;
  store_class->read_events = sqlite_read_events;
  store_class->last_event_id = sqlite_last_event_id;
  store_class->list_conversations = sqlite_list_conversations;
  store_class->get_conversation = sqlite_get_conversation;
  store_class->delete_conversation = sqlite_delete_conversation;
  store_class->mark_read = sqlite_mark_read;
  store_class->create_group = sqlite_create_group;
  store_class->get_group = sqlite_get_group;
  store_class->list_members = sqlite_list_members;
  store_class->get_member = sqlite_get_member;
  store_class->add_member = sqlite_add_member;
  store_class->remove_member = sqlite_remove_member;
  store_class->set_member_role = sqlite_set_member_role;
  store_class->dismiss_group = sqlite_dismiss_group;
  store_class->joined_groups = sqlite_joined_groups;
  store_class->purge_before = sqlite_purge_before;
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static void
timchat_store_sqlite_init (TimchatStoreSqlite *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

TimchatStore *
timchat_store_sqlite_new (const char *path, gboolean durable, GError **error)
{
  g_autoptr(TimchatStoreSqlite) self = g_object_new (TIMCHAT_TYPE_STORE_SQLITE, NULL);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  /* WAL: readers never wait for the writer. FULL: an acknowledged message survives power loss. */
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    return NULL;
  return TIMCHAT_STORE (g_steal_pointer (&self));
}
