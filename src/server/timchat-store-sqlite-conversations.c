/* timchat-store-sqlite-conversations.c: the SQLite engine's conversations. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-store-sqlite-private.h"

/* ---------------------------------------------------------------- conversations */

/* The row's newest sequence: a group's is its counter's. */
#define CONV_LAST "CASE WHEN c.conv_type = 2 THEN coalesce(k.last_seq, 0) ELSE c.last_seq END"

/* listed: in the user's list, past what they deleted (hidden_seq); a row can be there without
 * (deleted, or a C2C flag set before the first message). The list, and whoever asks whether a
 * conversation is in it, go by this one column. */
#define CONV_SELECT                                                                                \
  "SELECT c.conv_type, c.peer, c.read_seq, c.pinned, " CONV_LAST " AS last, "                      \
  "  c.remind, " CONV_HISTORY_AFTER ", c.marks, c.custom_data, " CONV_LAST                         \
  " > c.hidden_seq AS listed, "                                                                    \
  "  " CONV_UNREAD_AFTER " AS unread_after, c.hidden_seq "                                         \
  "FROM conversations c LEFT JOIN counters k ON c.conv_type = 2 AND k.conv_key = c.peer "          \
  "WHERE c.owner = ?1 "

/* The time of the newest message peer has read with user_id: that of the message at peer's read
 * mark (0 when they never read one). page_get's C2cPeerReadTime and get_peer_read_time alike. */
static gint64
c2c_peer_read_time (TimchatStoreSqlite *self, const char *user_id, const char *peer)
{
  g_autofree char *key = timchat_sql_conv_key (TIM_CONV_C2C, user_id, peer);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT m.time FROM conversations c JOIN messages m ON m.conv_key = ?3 "
            "AND m.seq = c.read_seq WHERE c.owner = ?1 AND c.conv_type = 1 AND c.peer = ?2");

  timchat_sql_bind_text (s, 1, peer);
  timchat_sql_bind_text (s, 2, user_id);
  timchat_sql_bind_text (s, 3, key);
  return timchat_sql_query_int (self, s, 0);
}

static gint64
sqlite_peer_read_time (TimchatStore *store, const char *user_id, const char *peer)
{
  return c2c_peer_read_time ((TimchatStoreSqlite *) store, user_id, peer);
}

/* MSG_CONTROL_HAS () below names the bits by number. */
G_STATIC_ASSERT (TIM_MSG_CONTROL_NO_UNREAD == 1 && TIM_MSG_CONTROL_NO_LAST_MSG == 2);

static TimchatConversation *
fill_conversation (TimchatStoreSqlite *self, const char *user_id, sqlite3_stmt *row)
{
  TimchatConversation *conv = g_new0 (TimchatConversation, 1);
  gint64 last_seq = sqlite3_column_int64 (row, 4);
  gint64 unread_after = sqlite3_column_int64 (row, 10);
  g_autofree char *key = NULL;
  sqlite3_stmt *s;

  conv->conv_type = sqlite3_column_int (row, 0);
  conv->peer = timchat_sql_column_text (row, 1);
  conv->read_seq = sqlite3_column_int64 (row, 2);
  conv->pinned = sqlite3_column_int (row, 3) != 0;
  conv->remind = sqlite3_column_int (row, 5);
  conv->history_after = sqlite3_column_int64 (row, 6);
  conv->marks = (guint64) sqlite3_column_int64 (row, 7);
  conv->custom_data = timchat_sql_column_text (row, 8);
  conv->listed = sqlite3_column_int (row, 9) != 0;
  conv->deleted_seq = sqlite3_column_int64 (row, 11);
  key = timchat_sql_conv_key (conv->conv_type,
                              conv->conv_type == TIM_CONV_GROUP ? conv->peer : user_id, conv->peer);

  if (last_seq > 0)
    {
      /* Not one its sender sent with NoLastMsg: the list shows and orders by the one before. */
      s = timchat_sql_stmt (self,
                            "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND seq <= ? "
                            "AND NOT " MSG_CONTROL_HAS (2) " ORDER BY seq DESC LIMIT 1");
      timchat_sql_bind_text (s, 1, key);
      sqlite3_bind_int64 (s, 2, last_seq);
      conv->last = timchat_sql_read_one_msg (s);
    }
  conv->sort_time = conv->last != NULL ? conv->last->time : 0;

  /* Unread, the one count every answer gives (page_get's UnreadMsgCount, the joined group
   * list's UnreadMsgNum, getmsg's C2CPairUnreadCount, read_all): stored, not recalled messages
   * from others after the read mark (and after what the owner cleared, or deleted with the
   * conversation: CONV_UNREAD_AFTER), but for those the owner deleted; a group's tips too, as the
   * Web SDK counts each one it receives (tim-sdk-facts.md §7: every incoming stored message), while
   * the owner's own messages and tips are read. Not those sent with NoUnread (SendMsgControl),
   * which the SDK does not count either. None while the owner discards the conversation's messages:
   * they are not received, only there in the history. */
  if (conv->remind != TIM_REMIND_FLAG_DISCARD)
    {
      s = timchat_sql_stmt (self, "SELECT count(*) FROM messages WHERE conv_key = ?1 AND seq > ?2 "
                                  "AND recalled = 0 AND from_user != ?3 AND NOT " MSG_CONTROL_HAS (
                                      1) " AND NOT EXISTS (SELECT 1 FROM hidden_messages h "
                                         "WHERE h.owner = ?3 AND h.msg_id = messages.id)");
      timchat_sql_bind_text (s, 1, key);
      sqlite3_bind_int64 (s, 2, unread_after);
      timchat_sql_bind_text (s, 3, user_id);
      conv->unread = timchat_sql_query_int (self, s, 0);
    }

  if (conv->conv_type == TIM_CONV_C2C)
    conv->peer_read_time = c2c_peer_read_time (self, user_id, conv->peer);
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
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  sqlite3_stmt *s = timchat_sql_stmt (self, CONV_SELECT "AND listed");

  /* Collect keys first: fill_conversation reuses statements. */
  timchat_sql_bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, GINT_TO_POINTER (sqlite3_column_int (s, 0)));
      g_ptr_array_add (rows, timchat_sql_column_text (s, 1));
    }
  sqlite3_reset (s);
  for (guint i = 0; i < rows->len; i += 2)
    {
      g_autofree char *peer = rows->pdata[i + 1];
      TimchatConversation *conv =
          timchat_store_get_conversation (store, user_id, GPOINTER_TO_INT (rows->pdata[i]), peer);
      if (conv != NULL)
        g_ptr_array_add (list, conv);
    }
  g_ptr_array_sort (list, compare_conversations);
  if (limit > 0 && list->len > limit)
    g_ptr_array_set_size (list, limit);
  return list;
}

static TimchatConversation *
sqlite_get_conversation (TimchatStore *store, const char *user_id, TimConvType type,
                         const char *peer)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, CONV_SELECT "AND c.conv_type = ?2 AND c.peer = ?3");
  TimchatConversation *conv = NULL;

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      /* Copy the row out before fill_conversation reuses other statements. */
      conv = fill_conversation (self, user_id, s);
    }
  sqlite3_reset (s);
  return conv;
}

/* A conversation row's newest sequence: a group's is its counter's. */
#define ROW_LAST_SEQ                                                                               \
  "CASE WHEN conv_type = 2 THEN "                                                                  \
  "  coalesce((SELECT last_seq FROM counters WHERE conv_key = ?3), 0) ELSE last_seq END"

/* Runs s, an UPDATE of user ?1's conversation row (?2, ?3); 2500 when it changed none. */
static gboolean
update_conversation_row (TimchatStoreSqlite *self, sqlite3_stmt *s, const char *peer,
                         GError **error)
{
  if (!timchat_sql_step_done (self, s, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                   "There is no conversation with %s", peer);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_delete_conversation (TimchatStore *store, const char *user_id, TimConvType type,
                            const char *peer, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Hide up to the newest message; the messages stay, and the next one shows it again,
   * unpinned and unmarked. */
  sqlite3_stmt *s = timchat_sql_stmt (self, "UPDATE conversations SET pinned = 0, marks = 0, "
                                            "custom_data = '', hidden_seq = " ROW_LAST_SEQ " "
                                            "WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3");

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  return update_conversation_row (self, s, peer, error);
}

static gboolean
sqlite_clear_history (TimchatStore *store, const char *user_id, TimConvType type, const char *peer,
                      gint64 *cleared_seq, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "UPDATE conversations SET cleared_seq = " ROW_LAST_SEQ
                                            " WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3 "
                                            "RETURNING cleared_seq");
  g_autoptr (JsonObject) event = json_object_new ();
  g_autofree char *payload = NULL;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  if (sqlite3_step (s) != SQLITE_ROW)
    {
      sqlite3_reset (s);
      timchat_sql_rollback (self);
      g_set_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                   "There is no conversation with %s", peer);
      return FALSE;
    }
  *cleared_seq = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  json_object_set_int_member (event, "type", type);
  json_object_set_string_member (event, "peer", peer);
  json_object_set_int_member (event, "seq", *cleared_seq);
  payload = tim_json_to_string (event, NULL);
  /* In the same transaction: the owner's other devices hear of exactly this clearing. */
  if (!timchat_sql_insert_event (self, user_id, TIMCHAT_EVENT_HISTORY_CLEARED, payload, error))
    {
      timchat_sql_rollback (self);
      return FALSE;
    }
  return timchat_sql_commit (self, error);
}

static gboolean
sqlite_pin_conversation (TimchatStore *store, const char *user_id, TimConvType type,
                         const char *peer, gboolean pinned, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Only a listed conversation: one past its hidden_seq, as sqlite_list_conversations () has it. */
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "UPDATE conversations SET pinned = ?4 WHERE owner = ?1 AND conv_type = ?2 "
            "AND peer = ?3 AND hidden_seq < " ROW_LAST_SEQ);

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  sqlite3_bind_int (s, 4, pinned ? 1 : 0);
  return update_conversation_row (self, s, peer, error);
}

/* sql (?1 owner, ?2 type, ?3 peer) stepped to the row of user_id's listed conversation, for its
 * columns (reset it after); NULL and TIM_ERROR_CONVERSATION_NOT_FOUND when it is not listed. */
static sqlite3_stmt *
step_listed (TimchatStoreSqlite *self, const char *sql, const char *user_id, TimConvType type,
             const char *peer, GError **error)
{
  sqlite3_stmt *s = timchat_sql_stmt (self, sql);

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  if (sqlite3_step (s) == SQLITE_ROW)
    return s;
  sqlite3_reset (s);
  g_set_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
               "There is no conversation with %s", peer);
  return NULL;
}

static gboolean
sqlite_mark_conversation (TimchatStore *store, const char *user_id, TimConvType type,
                          const char *peer, guint64 set, guint64 clear, guint64 *before,
                          guint64 *after, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Listed only, as for a pin. Read, then written only if it changes: the caller tells the
   * user's devices of a change, and of nothing else. */
  sqlite3_stmt *s = step_listed (self,
                                 "SELECT marks FROM conversations WHERE owner = ?1 "
                                 "AND conv_type = ?2 AND peer = ?3 "
                                 "AND hidden_seq < " ROW_LAST_SEQ,
                                 user_id, type, peer, error);

  if (s == NULL)
    return FALSE;
  *before = (guint64) sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  *after = (*before | set) & ~clear;
  if (*after == *before)
    return TRUE;
  s = timchat_sql_stmt (self, "UPDATE conversations SET marks = ?4 "
                              "WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3");
  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  sqlite3_bind_int64 (s, 4, (gint64) *after);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_set_custom_data (TimchatStore *store, const char *user_id, TimConvType type,
                        const char *peer, const char *custom_data, gboolean *changed,
                        GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Listed only, as for the marks; written only if it changes. */
  sqlite3_stmt *s = step_listed (self,
                                 "SELECT custom_data FROM conversations WHERE "
                                 "owner = ?1 AND conv_type = ?2 AND peer = ?3 "
                                 "AND hidden_seq < " ROW_LAST_SEQ,
                                 user_id, type, peer, error);
  g_autofree char *before = NULL;

  if (s == NULL)
    return FALSE;
  before = timchat_sql_column_text (s, 0);
  sqlite3_reset (s);
  *changed = g_strcmp0 (before, custom_data) != 0;
  if (!*changed)
    return TRUE;
  s = timchat_sql_stmt (self, "UPDATE conversations SET custom_data = ?4 "
                              "WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3");
  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  timchat_sql_bind_text (s, 4, custom_data);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_set_remind (TimchatStore *store, const char *user_id, TimConvType type, const char *peer,
                   TimRemindFlag remind, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* A C2C row made here stays hidden (hidden_seq 0) until a message comes; a group's row is its
   * membership. */
  sqlite3_stmt *s = timchat_sql_stmt (
      self, type == TIM_CONV_C2C
                ? "INSERT INTO conversations (owner, conv_type, peer, hidden_seq, remind) "
                  "VALUES (?1, ?2, ?3, 0, ?4) ON CONFLICT (owner, conv_type, peer) "
                  "DO UPDATE SET remind = excluded.remind"
                : "UPDATE conversations SET remind = ?4 "
                  "WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3");

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  sqlite3_bind_int (s, 4, remind);
  if (!timchat_sql_step_done (self, s, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION, "%s is not a member of %s",
                   user_id, peer);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
sqlite_list_c2c_reminds (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_conversation_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT peer, remind FROM conversations WHERE owner = ? AND conv_type = 1 "
            "AND remind != 0 ORDER BY peer");

  timchat_sql_bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      TimchatConversation *conv = g_new0 (TimchatConversation, 1);

      conv->conv_type = TIM_CONV_C2C;
      conv->peer = timchat_sql_column_text (s, 0);
      conv->remind = sqlite3_column_int (s, 1);
      g_ptr_array_add (list, conv);
    }
  sqlite3_reset (s);
  return list;
}

static TimRemindFlag
sqlite_get_remind (TimchatStore *store, const char *user_id, TimConvType type, const char *peer)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT remind FROM conversations WHERE owner = ? AND conv_type = ? AND peer = ?");

  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  return (TimRemindFlag) timchat_sql_query_int (self, s, TIM_REMIND_FLAG_NOTIFY);
}

static gint64
sqlite_mark_read (TimchatStore *store, const char *user_id, TimConvType type, const char *peer,
                  gint64 upto_time, gint64 upto_seq, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  g_autofree char *key = timchat_sql_conv_key (type, type == TIM_CONV_GROUP ? peer : user_id, peer);
  sqlite3_stmt *s;
  int rc;

  /* Each step is checked: a statement that fails (an I/O error, a locked database) is a storage
   * error, not "nothing to mark", which callers may answer OK although nothing moved. */
  if (upto_seq <= 0)
    {
      s = timchat_sql_stmt (self, "SELECT max(seq) FROM messages WHERE conv_key = ? AND time <= ?");
      timchat_sql_bind_text (s, 1, key);
      sqlite3_bind_int64 (s, 2, upto_time);
      if (sqlite3_step (s) != SQLITE_ROW)
        {
          timchat_sql_error (self, error);
          sqlite3_reset (s);
          return -1;
        }
      upto_seq = sqlite3_column_int64 (s, 0); /* NULL (no message yet): 0 */
      sqlite3_reset (s);
    }
  s = timchat_sql_stmt (self,
                        "UPDATE conversations SET read_seq = max(read_seq, ?4) "
                        "WHERE owner = ?1 AND conv_type = ?2 AND peer = ?3 RETURNING read_seq");
  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int (s, 2, type);
  timchat_sql_bind_text (s, 3, peer);
  sqlite3_bind_int64 (s, 4, upto_seq);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    upto_seq = sqlite3_column_int64 (s, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                 "There is no conversation with %s", peer);
  else
    timchat_sql_error (self, error);
  sqlite3_reset (s);
  return rc == SQLITE_ROW ? upto_seq : -1;
}

void
_timchat_store_sqlite_class_init_conversations (TimchatStoreClass *store_class)
{
  store_class->list_conversations = sqlite_list_conversations;
  store_class->get_conversation = sqlite_get_conversation;
  store_class->peer_read_time = sqlite_peer_read_time;
  store_class->delete_conversation = sqlite_delete_conversation;
  store_class->pin_conversation = sqlite_pin_conversation;
  store_class->set_custom_data = sqlite_set_custom_data;
  store_class->mark_conversation = sqlite_mark_conversation;
  store_class->clear_history = sqlite_clear_history;
  store_class->set_remind = sqlite_set_remind;
  store_class->list_c2c_reminds = sqlite_list_c2c_reminds;
  store_class->get_remind = sqlite_get_remind;
  store_class->mark_read = sqlite_mark_read;
}
