/* timchat-store-sqlite-messages.c: the SQLite engine's messages: storing one (the dedup index and
 * the cached sequences), finding it again, recalling and editing it. Reading history back, deletion
 * for me and the events table are in timchat-store-sqlite-history.c. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "timchat-store-sqlite-private.h"

#define LAST_SEQS_CACHED_MAX 4096

/* ---------------------------------------------------------------- messages */

TimchatMsg *
timchat_sql_read_msg_row (sqlite3_stmt *s)
{
  TimchatMsg *msg = g_new0 (TimchatMsg, 1);

  msg->id = sqlite3_column_int64 (s, 0);
  msg->conv_type = sqlite3_column_int (s, 1);
  msg->kind = sqlite3_column_int (s, 2);
  msg->from_user = timchat_sql_column_text (s, 3);
  msg->to_id = timchat_sql_column_text (s, 4);
  msg->seq = sqlite3_column_int64 (s, 5);
  msg->client_seq = sqlite3_column_int64 (s, 6);
  msg->random = sqlite3_column_int64 (s, 7);
  msg->time = sqlite3_column_int64 (s, 8);
  msg->client_time = sqlite3_column_int64 (s, 9);
  msg->priority = sqlite3_column_int (s, 10);
  msg->body = timchat_sql_column_text (s, 11);
  msg->cloud_custom_data = timchat_sql_column_text (s, 12);
  msg->offline_push = timchat_sql_column_text (s, 13);
  msg->recalled = sqlite3_column_int (s, 14) != 0;
  msg->revoker = timchat_sql_column_text (s, 15);
  msg->recall_time = sqlite3_column_int64 (s, 16);
  msg->at_info = timchat_sql_column_text (s, 17);
  msg->version = sqlite3_column_int64 (s, 18);
  msg->control = sqlite3_column_int (s, 19);
  return msg;
}

TimchatMsg *
timchat_sql_read_one_msg (sqlite3_stmt *s)
{
  TimchatMsg *msg = NULL;

  if (sqlite3_step (s) == SQLITE_ROW)
    msg = timchat_sql_read_msg_row (s);
  sqlite3_reset (s);
  return msg;
}

/* The newest sequence handed out in a conversation, kept in memory between messages: reading it
 * back was two statements a message. The messages_counter trigger keeps the counters table (the
 * truth, and what group info reads) up to date. Whatever rolls back clears the cache. */
static gint64 *
cached_last_seq (TimchatStoreSqlite *self, const char *key)
{
  gint64 *last = g_hash_table_lookup (self->last_seqs, key);
  sqlite3_stmt *s;

  if (last != NULL)
    return last;
  /* Conversations are many; the cache only needs the busy ones. */
  if (g_hash_table_size (self->last_seqs) >= LAST_SEQS_CACHED_MAX)
    g_hash_table_remove_all (self->last_seqs);
  s = timchat_sql_stmt (self, "SELECT last_seq FROM counters WHERE conv_key = ?");
  timchat_sql_bind_text (s, 1, key);
  last = g_new (gint64, 1);
  *last = timchat_sql_query_int (self, s, 0);
  g_hash_table_insert (self->last_seqs, g_strdup (key), last);
  return last;
}

/* The message the dedup index knows by this key (a C2C pair's or a group's). */
static TimchatMsg *
find_by_dedup_key (TimchatStoreSqlite *self, const char *key, const char *from_user,
                   gint64 client_seq, gint64 random)
{
  sqlite3_stmt *s = timchat_sql_stmt (self, "SELECT " MSG_COLUMNS
                                            " FROM messages WHERE conv_key = ? AND from_user = ? "
                                            "AND random = ? AND client_seq = ? AND kind = 0");

  timchat_sql_bind_text (s, 1, key);
  timchat_sql_bind_text (s, 2, from_user);
  sqlite3_bind_int64 (s, 3, random);
  sqlite3_bind_int64 (s, 4, client_seq);
  return timchat_sql_read_one_msg (s);
}

/* A resend: hand back what the first attempt stored, change nothing. */
static void
take_original (TimchatStoreSqlite *self, const char *key, TimchatMsg *msg)
{
  TimchatMsg *original =
      find_by_dedup_key (self, key, msg->from_user, msg->client_seq, msg->random);

  g_assert (original != NULL); /* the INSERT just met it */
  msg->id = original->id;
  msg->seq = original->seq;
  msg->time = original->time;
  msg->recalled = original->recalled;
  timchat_msg_free (original);
}

#define INSERT_MESSAGE(extra_column, extra_value)                                                  \
  "INSERT INTO messages (conv_type, conv_key, seq, kind, from_user, to_id, client_seq, "           \
  "random, time, client_time, priority, body, cloud_custom_data, offline_push" extra_column ") "   \
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" extra_value ") "                              \
  "ON CONFLICT (conv_key, from_user, client_seq, random) WHERE kind = 0 DO NOTHING"

/* One statement: the dedup index refuses a resend (DO NOTHING, then the original is read), and
 * the triggers (store-sqlite.sql, migration 6) write the counter, the C2C conversation rows and
 * the sync events in the same atomic step, so no savepoint is needed around it. */
static gboolean
insert_row (TimchatStoreSqlite *self, TimchatMsg *msg, gboolean *duplicate, GError **error)
{
  g_autofree char *key = timchat_sql_conv_key (
      msg->conv_type, msg->conv_type == TIM_CONV_GROUP ? msg->to_id : msg->from_user, msg->to_id);
  gint64 *last;
  sqlite3_stmt *s;
  gboolean dup;

  if (!timchat_sql_begin_statement (self, error))
    return FALSE;
  last = cached_last_seq (self, key);
  msg->seq = *last + 1;
  /* Only group messages with mentions name the at_info column: every other insert (each C2C
   * one) stays the statement it was. */
  s = timchat_sql_stmt (self, msg->at_info == NULL ? INSERT_MESSAGE (, "")
                                                   : INSERT_MESSAGE (", at_info", ", ?"));
  sqlite3_bind_int (s, 1, msg->conv_type);
  timchat_sql_bind_text (s, 2, key);
  sqlite3_bind_int64 (s, 3, msg->seq);
  sqlite3_bind_int (s, 4, msg->kind);
  timchat_sql_bind_text (s, 5, msg->from_user);
  timchat_sql_bind_text (s, 6, msg->to_id);
  sqlite3_bind_int64 (s, 7, msg->client_seq);
  sqlite3_bind_int64 (s, 8, msg->random);
  sqlite3_bind_int64 (s, 9, msg->time);
  sqlite3_bind_int64 (s, 10, msg->client_time);
  sqlite3_bind_int (s, 11, msg->priority);
  timchat_sql_bind_text (s, 12, msg->body);
  timchat_sql_bind_text (s, 13, msg->cloud_custom_data != NULL ? msg->cloud_custom_data : "");
  timchat_sql_bind_text (s, 14, msg->offline_push);
  if (msg->at_info != NULL)
    timchat_sql_bind_text (s, 15, msg->at_info);
  if (!timchat_sql_step_done (self, s, error))
    {
      /* SQLite undid the statement (or, on a full disk, maybe the whole batch). */
      g_hash_table_remove_all (self->last_seqs);
      return FALSE;
    }
  dup = sqlite3_changes (self->db) == 0;
  if (dup)
    take_original (self, key, msg);
  else
    {
      *last = msg->seq;
      msg->id = sqlite3_last_insert_rowid (self->db);
    }
  *duplicate = dup;
  return TRUE;
}

static gboolean
sqlite_insert_message (TimchatStore *store, TimchatMsg *msg, gboolean *duplicate, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  TimMsgControl control = msg->control;
  sqlite3_stmt *s;
  gboolean dup;

  if (control == TIM_MSG_CONTROL_NONE)
    {
      if (!insert_row (self, msg, &dup, error))
        return FALSE;
      if (duplicate != NULL)
        *duplicate = dup;
      return TRUE;
    }
  /* With its SendMsgControl (migration 26): two statements in one savepoint, which only such
   * messages pay for. A resend keeps what the first one stored. */
  if (!timchat_sql_begin (self, error))
    return FALSE;
  if (!insert_row (self, msg, &dup, error))
    {
      timchat_sql_rollback (self);
      return FALSE;
    }
  if (!dup)
    {
      s = timchat_sql_stmt (self, "INSERT INTO message_controls (msg_id, control) VALUES (?, ?)");
      sqlite3_bind_int64 (s, 1, msg->id);
      sqlite3_bind_int (s, 2, control);
      if (!timchat_sql_step_done (self, s, error))
        {
          timchat_sql_rollback (self);
          return FALSE;
        }
    }
  if (!timchat_sql_commit (self, error))
    {
      timchat_sql_rollback (self);
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
  g_autofree char *key = timchat_sql_conv_key (TIM_CONV_C2C, from_user, to_user);

  return find_by_dedup_key ((TimchatStoreSqlite *) store, key, from_user, client_seq, random);
}

static TimchatMsg *
sqlite_find_group_message (TimchatStore *store, const char *group_id, gint64 seq)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE conv_key = ? AND "
                              "seq = ? AND conv_type = 2");

  timchat_sql_bind_text (s, 1, group_id);
  sqlite3_bind_int64 (s, 2, seq);
  return timchat_sql_read_one_msg (s);
}

/* The dedup index's key of a group message: the group is the conversation. */
static TimchatMsg *
sqlite_find_group_message_by_sender (TimchatStore *store, const char *group_id,
                                     const char *from_user, gint64 client_seq, gint64 random)
{
  g_autofree char *key = timchat_sql_conv_key (TIM_CONV_GROUP, group_id, group_id);

  return find_by_dedup_key ((TimchatStoreSqlite *) store, key, from_user, client_seq, random);
}

static TimchatMsg *
sqlite_get_message (TimchatStore *store, gint64 id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "SELECT " MSG_COLUMNS " FROM messages WHERE id = ?");

  sqlite3_bind_int64 (s, 1, id);
  return timchat_sql_read_one_msg (s);
}

static gboolean
sqlite_recall_message (TimchatStore *store, TimchatMsg *msg, const char *revoker, gint64 now,
                       const char *notice_json, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  s = timchat_sql_stmt (self, "UPDATE messages SET recalled = 1, revoker = ?, recall_time = ?, "
                              "body = ?, cloud_custom_data = '', offline_push = NULL, "
                              "at_info = NULL WHERE id = ? AND recalled = 0");
  timchat_sql_bind_text (s, 1, revoker);
  sqlite3_bind_int64 (s, 2, now);
  timchat_sql_bind_text (s, 3, TIMCHAT_RECALLED_BODY);
  sqlite3_bind_int64 (s, 4, msg->id);
  if (!timchat_sql_step_done (self, s, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      timchat_sql_rollback (self);
      g_set_error_literal (error, TIM_ERROR,
                           msg->conv_type == TIM_CONV_C2C ? TIM_ERROR_MSG_ALREADY_RECALLED
                                                          : TIM_ERROR_GROUP_RECALL_NOT_FOUND,
                           "The message was already recalled");
      return FALSE;
    }
  if (msg->conv_type == TIM_CONV_C2C)
    {
      if (!timchat_sql_insert_event (self, msg->to_id, TIMCHAT_EVENT_C2C_RECALL, notice_json,
                                     error) ||
          (!g_str_equal (msg->to_id, msg->from_user) &&
           !timchat_sql_insert_event (self, msg->from_user, TIMCHAT_EVENT_C2C_RECALL, notice_json,
                                      error)))
        goto fail;
    }
  if (!timchat_sql_commit (self, error))
    goto fail;
  timchat_sql_scrub_wal (self);
  msg->recalled = TRUE;
  g_free (msg->revoker);
  msg->revoker = g_strdup (revoker);
  msg->recall_time = now;
  g_free (msg->body);
  msg->body = g_strdup (TIMCHAT_RECALLED_BODY);
  g_free (msg->cloud_custom_data);
  msg->cloud_custom_data = g_strdup ("");
  g_clear_pointer (&msg->offline_push, g_free);
  g_clear_pointer (&msg->at_info, g_free);
  return TRUE;

fail:
  timchat_sql_rollback (self);
  return FALSE;
}

/* msg becomes row (which is freed): what is stored now. */
static void
take_row (TimchatMsg *msg, TimchatMsg *row)
{
  TimchatMsg old = *msg;

  *msg = *row;
  g_free (row);
  g_free (old.from_user);
  g_free (old.to_id);
  g_free (old.body);
  g_free (old.cloud_custom_data);
  g_free (old.offline_push);
  g_free (old.revoker);
  g_free (old.at_info);
}

/* Compare-and-set on the version: of two edits made from the same version only the first one
 * changes the row, whatever their order of arrival, and the other finds the row moved on. */
static gboolean
sqlite_modify_message (TimchatStore *store, TimchatMsg *msg, gint64 version, const char *body,
                       const char *cloud_custom_data, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  TimchatMsg *current;
  gboolean changed;
  sqlite3_stmt *s;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  s = timchat_sql_stmt (self, "UPDATE messages SET body = coalesce (?1, body), "
                              "cloud_custom_data = coalesce (?2, cloud_custom_data), "
                              "version = version + 1 "
                              "WHERE id = ?3 AND version = ?4 AND recalled = 0");
  timchat_sql_bind_text (s, 1, body);
  timchat_sql_bind_text (s, 2, cloud_custom_data);
  sqlite3_bind_int64 (s, 3, msg->id);
  sqlite3_bind_int64 (s, 4, version);
  if (!timchat_sql_step_done (self, s, error))
    goto fail;
  changed = sqlite3_changes (self->db) == 1;
  if (changed && msg->conv_type == TIM_CONV_C2C)
    {
      g_autofree char *payload = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT "}", msg->id);

      /* Not for a recipient who discards the sender's messages: nor do the messages reach them. */
      gboolean to_recipient = timchat_store_get_remind (store, msg->to_id, TIM_CONV_C2C,
                                                        msg->from_user) != TIM_REMIND_FLAG_DISCARD;

      if ((to_recipient && !timchat_sql_insert_event (self, msg->to_id, TIMCHAT_EVENT_C2C_MODIFY,
                                                      payload, error)) ||
          (!g_str_equal (msg->to_id, msg->from_user) &&
           !timchat_sql_insert_event (self, msg->from_user, TIMCHAT_EVENT_C2C_MODIFY, payload,
                                      error)))
        goto fail;
    }
  /* The caller answers with what is stored now, whatever the outcome. */
  if ((current = sqlite_get_message (store, msg->id)) == NULL)
    {
      timchat_sql_rollback (self);
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_MODIFY_NOT_FOUND,
                           "The message to edit does not exist");
      return FALSE;
    }
  take_row (msg, current);
  if (!changed)
    {
      timchat_sql_rollback (self);
      if (msg->recalled)
        g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_ALREADY_RECALLED,
                             "The message was recalled");
      else
        g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_MODIFY_CONFLICT,
                     "The message was edited in the meantime: it is at MsgVersion %" G_GINT64_FORMAT
                     ", not %" G_GINT64_FORMAT,
                     msg->version, version);
      return FALSE;
    }
  if (!timchat_sql_commit (self, error))
    goto fail;
  /* What the edit replaced leaves the files as a recall's text does. */
  timchat_sql_scrub_wal (self);
  return TRUE;

fail:
  timchat_sql_rollback (self);
  return FALSE;
}

void
_timchat_store_sqlite_class_init_messages (TimchatStoreClass *store_class)
{
  store_class->insert_message = sqlite_insert_message;
  store_class->find_c2c_message = sqlite_find_c2c_message;
  store_class->find_group_message = sqlite_find_group_message;
  store_class->find_group_message_by_sender = sqlite_find_group_message_by_sender;
  store_class->get_message = sqlite_get_message;
  store_class->recall_message = sqlite_recall_message;
  store_class->modify_message = sqlite_modify_message;
}
