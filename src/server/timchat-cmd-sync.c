/* timchat-cmd-sync.c: openim.getmsg hands a (re)connecting client what it missed, in order.
 * The Cookie is "EVENTID.MSGID": the id of the last per-user event handed out, and the id of the
 * newest message stored when it was handed out (the unread @-mentions stored since come with the
 * next reply). A cookie of an older server ("EVENTID") replays no mentions. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-group-notify.h"

#define SYNC_PAGE 100
/* The @ tips one reply replays at most, oldest first: the newer rest of a flood is not sent. */
#define MENTION_REPLAY_MAX 100

static void
add_unread_lists (TimchatRequest *request, JsonObject *reply)
{
  g_autoptr (GPtrArray) conversations = timchat_store_list_conversations (
      timchat_server_get_store (request->server), request->user, 0);
  JsonArray *pair_unread = json_array_new ();
  JsonArray *remaining = json_array_new ();

  for (guint i = 0; i < conversations->len; i++)
    {
      TimchatConversation *conv = conversations->pdata[i];
      JsonObject *item;

      if (conv->conv_type != TIM_CONV_C2C || conv->unread <= 0)
        continue;
      item = json_object_new ();
      json_object_set_string_member (item, "From_Account", conv->peer);
      json_object_set_int_member (item, "UnreadCount", conv->unread);
      json_array_add_object_element (pair_unread, item);
      item = json_object_new ();
      json_object_set_string_member (item, "From_Account", conv->peer);
      json_object_set_int_member (item, "LastMsgTime", conv->sort_time);
      json_array_add_object_element (remaining, item);
    }
  json_object_set_array_member (reply, "C2CPairUnreadCount", pair_unread);
  json_object_set_array_member (reply, "C2CRemainingUnreadCount", remaining);
}

/* Non-message events are replayed as the EventArray item their push carried. */
static JsonObject *
event_to_push_item (const TimchatEvent *event, int *event_number, const char **key)
{
  JsonObject *payload = tim_json_parse_object (event->payload, -1, NULL);

  if (payload == NULL)
    return NULL;
  switch (event->kind)
    {
    case TIMCHAT_EVENT_C2C_RECALL:
      {
        JsonObject *withdraw = json_object_new ();
        JsonArray *infos = json_array_new ();
        JsonObject *item = json_object_new ();

        json_array_add_object_element (infos, payload);
        json_object_set_array_member (withdraw, "C2cWithdrawInfoArray", infos);
        json_object_set_object_member (item, "WithdrawC2cMsgNotify", withdraw);
        *event_number = 9, *key = "C2cNotifyMsgArray";
        return item;
      }
    case TIMCHAT_EVENT_C2C_READ:
    case TIMCHAT_EVENT_PEER_READ:
      *event_number = 9, *key = "C2cNotifyMsgArray";
      return payload;
    case TIMCHAT_EVENT_HISTORY_CLEARED:
      {
        JsonObject *item = _timchat_wire_clear_notify (
            tim_json_get_int_or (payload, "type", 1) == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C,
            tim_json_get_string (payload, "peer"), tim_json_get_int_or (payload, "seq", 0));

        json_object_unref (payload);
        *event_number = 9, *key = "C2cNotifyMsgArray";
        return item;
      }
    case TIMCHAT_EVENT_GROUP_SYSTEM:
      json_object_set_int_member (
          payload, "ServerSeq",
          _timchat_notice_order (tim_json_get_int_or (payload, "MsgTimeStamp", 0), event->id));
      *event_number = 5, *key = "GroupTips";
      return payload;
    default:
      json_object_unref (payload);
      return NULL;
    }
}

/* Adds item (taken) to events as the EventArray entry its push would carry. */
static void
add_event (JsonArray *events, int number, const char *key, JsonObject *item)
{
  g_autoptr (JsonObject) push = _timchat_wire_push_body (number, key, item);

  json_array_add_element (
      events, json_node_copy (json_array_get_element (tim_json_get_array (push, "EventArray"), 0)));
}

/* The message a message or edit event names ({"id":…}), unless the user deleted it for themselves
 * meanwhile (deleteMessage). */
static TimchatMsg *
message_of_event (TimchatRequest *request, const TimchatEvent *event)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (JsonObject) payload = tim_json_parse_object (event->payload, -1, NULL);
  TimchatMsg *msg =
      payload ? timchat_store_get_message (store, tim_json_get_int_or (payload, "id", -1)) : NULL;

  if (msg != NULL && timchat_store_is_hidden (store, request->user, msg->id))
    g_clear_pointer (&msg, timchat_msg_free);
  return msg;
}

/* Whether the user deleted msg's C2C conversation from their list since msg came (its sequence
 * is at or below the deletion's): a device that was away is not handed it, as a device online then
 * lost it with the conversation; replayed, it brought the deleted conversation back there, and
 * announced it. It stays in the history, which the conversation brings back with its next message.
 * deleted_seqs caches each peer's deletion (a gint64 *) for the request. */
static gboolean
deleted_with_conversation (TimchatRequest *request, const TimchatMsg *msg, GHashTable *deleted_seqs)
{
  const char *peer = g_str_equal (msg->from_user, request->user) ? msg->to_id : msg->from_user;
  gint64 *deleted_seq = g_hash_table_lookup (deleted_seqs, peer);

  if (deleted_seq == NULL)
    {
      g_autoptr (TimchatConversation) conv = timchat_store_get_conversation (
          timchat_server_get_store (request->server), request->user, TIM_CONV_C2C, peer);

      deleted_seq = g_new (gint64, 1);
      *deleted_seq = conv != NULL ? conv->deleted_seq : 0;
      g_hash_table_insert (deleted_seqs, g_strdup (peer), deleted_seq);
    }
  return msg->seq <= *deleted_seq;
}

/* A deletion for oneself (TIMCHAT_EVENT_DELETED_FOR_ME, {"ids":[…]}): the messages it names, as
 * the TimchatMsgDeleteNotify item of its push. Those gone since (retention) are left out. */
static JsonObject *
delete_notify_of_event (TimchatRequest *request, const TimchatEvent *event)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (JsonObject) payload = tim_json_parse_object (event->payload, -1, NULL);
  JsonArray *ids = payload != NULL ? tim_json_get_array (payload, "ids") : NULL;
  g_autoptr (GPtrArray) msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_msg_free);

  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      TimchatMsg *msg = timchat_store_get_message (store, json_array_get_int_element (ids, i));

      if (msg != NULL)
        g_ptr_array_add (msgs, msg);
    }
  return msgs->len > 0 ? _timchat_wire_delete_notify (request->server, msgs) : NULL;
}

/* The unread @-mentions of the user stored after message after_id, as Event 12 GroupTips entries
 * (the items of their push). Nothing is kept per user: they are read from the messages and the
 * read marks, so a group read since (msg_read_report) or a recalled message gives none. */
static void
add_unread_mentions (TimchatRequest *request, gint64 after_id, JsonArray *events)
{
  g_autoptr (GPtrArray) mentions = timchat_store_unread_mentions (
      timchat_server_get_store (request->server), request->user, after_id, MENTION_REPLAY_MAX);

  for (guint i = 0; i < mentions->len; i++)
    {
      const TimchatMsg *msg = mentions->pdata[i];
      g_auto (GStrv) at_users = _timchat_msg_at_users (msg);
      TimGroupAtType type = tim_group_at_type_for ((const char *const *) at_users, request->user);

      if (type != TIM_GROUP_AT_NONE)
        add_event (events, 12, "GroupTips", _timchat_wire_at_tip (msg, type));
    }
}

/* The bytes of JSON that the elements of array from index first on take. */
static gsize
added_bytes (JsonArray *array, guint first)
{
  gsize total = 0;

  for (guint i = first; i < json_array_get_length (array); i++)
    {
      gsize length = 0;

      g_free (tim_json_node_to_string (json_array_get_element (array, i), &length));
      total += length;
    }
  return total;
}

static void
drop_added (JsonArray *array, guint first)
{
  while (json_array_get_length (array) > first)
    json_array_remove_element (array, json_array_get_length (array) - 1);
}

/* A Cookie a reply gave: "EVENTID.MSGID", or an older server's bare "EVENTID" (*mentions_after
 * then stays -1: it replays no mentions). Anything else is refused: a negative EVENTID replayed
 * the user's whole log, and one that is no number at all was taken as 0, the same. */
static gboolean
parse_cookie (const char *cookie, gint64 *after, gint64 *mentions_after, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (cookie, ".", 3);
  gint64 *out[] = { after, mentions_after };
  guint n = g_strv_length (parts);
  gboolean valid = n == 1 || n == 2;

  for (guint i = 0; valid && i < n; i++)
    {
      guint64 value = 0;

      /* Digits only: no sign, no spaces. */
      valid = g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXINT64, &value, NULL);
      *out[i] = (gint64) value;
    }
  if (valid)
    return TRUE;
  g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "Cookie is not one an earlier reply gave (\"EVENTID.MSGID\"), nor \"\" for "
                       "a fresh login");
  return FALSE;
}

JsonObject *
_timchat_cmd_getmsg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *cookie = tim_json_get_string (request->body, "Cookie");
  JsonObject *reply;
  JsonArray *messages;
  JsonArray *events;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GHashTable) deleted_seqs =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *next_cookie = NULL;
  gint64 after = 0, mentions_after = -1;
  gint64 last_msg_id;
  gsize max_bytes = timchat_server_get_config (request->server)->max_frame_bytes;
  gsize page_bytes = 0;
  gboolean cut = FALSE;

  /* Checked before anything is read, and "" (the SDK's first request) or none is a fresh login. */
  if (!_timchat_check_string (request->body, "Cookie", 0, error) ||
      (cookie != NULL && *cookie != '\0' && !parse_cookie (cookie, &after, &mentions_after, error)))
    return NULL;
  if (cookie != NULL && *cookie != '\0')
    {
      gint64 event_ceiling = 0, message_ceiling = 0;

      /* A Cookie past every id this store handed out is from a log it does not have: the
       * database was restored from a backup, or started over under the same config. The ids
       * after the backup's are handed out again, and from that Cookie the device was handed
       * nothing until they passed it: what came meanwhile was lost to it, without a word. It is
       * handed the user's whole log instead (their clients drop what they hold already, by
       * message ID). */
      timchat_store_highest_ids (store, &event_ceiling, &message_ceiling);
      if (after > event_ceiling || mentions_after > message_ceiling)
        {
          g_message ("%s's Cookie %s is past this server's log (a database restored from a "
                     "backup?): the user's whole log is replayed",
                     request->user, cookie);
          after = 0;
          mentions_after = 0;
        }
    }
  last_msg_id = timchat_store_last_message_id (store);
  reply = json_object_new ();
  messages = json_array_new ();
  events = json_array_new ();
  if (cookie == NULL || *cookie == '\0')
    {
      /* A fresh login starts from now: history comes from getroammsg, unread counts from the
       * lists below; replaying every old event would flood the client. Its unread @-mentions
       * are its to see, though: all of them (oldest first, at most MENTION_REPLAY_MAX). */
      after = timchat_store_last_event_id (store, request->user);
      page = g_ptr_array_new ();
      mentions_after = 0;
    }
  else
    {
      /* A reconnect: the events after the cookie's, and (mentions_after) the mentions stored since
       * the reply that gave it. Those the session was pushed before it went away come again, as
       * its C2C messages of that time come again from the event log (their events follow the
       * cookie too); the SDK keeps one entry per message sequence in groupAtInfoList. So can one
       * stored while this request is answered, which is pushed as well. One read meanwhile is not
       * listed. */
      page = timchat_store_read_events (store, request->user, after, SYNC_PAGE);
    }

  for (guint i = 0; i < page->len; i++)
    {
      TimchatEvent *event = page->pdata[i];
      guint had_messages = json_array_get_length (messages);
      guint had_events = json_array_get_length (events);
      gsize event_bytes;

      if (event->kind == TIMCHAT_EVENT_C2C_MESSAGE)
        {
          g_autoptr (TimchatMsg) msg = message_of_event (request, event);

          if (msg != NULL && !deleted_with_conversation (request, msg, deleted_seqs))
            json_array_add_object_element (messages, _timchat_wire_c2c_msg (request->server, msg));
        }
      else if (event->kind == TIMCHAT_EVENT_C2C_MODIFY)
        {
          /* An edit: the message as it is now (a later edit's content is newer still, and the
           * SDK takes what is newer than its copy). A message recalled since has nothing left to
           * say. */
          g_autoptr (TimchatMsg) msg = message_of_event (request, event);

          if (msg != NULL && !msg->recalled)
            add_event (events, TIMCHAT_MODIFY_EVENT, "C2cMsgModNotifys",
                       _timchat_wire_c2c_modify_item (msg));
        }
      else if (event->kind == TIMCHAT_EVENT_DELETED_FOR_ME)
        {
          JsonObject *item = delete_notify_of_event (request, event);

          if (item != NULL)
            add_event (events, 9, "C2cNotifyMsgArray", item);
        }
      else
        {
          int number = 0;
          const char *key = NULL;
          JsonObject *item = event_to_push_item (event, &number, &key);

          if (item != NULL)
            add_event (events, number, key, item);
        }
      /* A page ends by size too: 100 messages near the 12 KiB limit, or deletions each naming
       * 30 of them, made a reply of megabytes, past the 16 MiB a client takes in one frame (and
       * that the server lets wait for a socket, max_unsent_kb): the socket was closed at that
       * page, every time the device came back with the same Cookie. An event that would take
       * the page past max_frame_bytes is left for the next one (the Cookie stops before it), as
       * a page that is not finished; the first event of a page always goes in, so that every
       * page moves on. */
      event_bytes = added_bytes (messages, had_messages) + added_bytes (events, had_events);
      if (page_bytes > 0 && page_bytes + event_bytes > max_bytes)
        {
          drop_added (messages, had_messages);
          drop_added (events, had_events);
          cut = TRUE;
          break;
        }
      page_bytes += event_bytes;
      after = event->id;
    }

  if (mentions_after >= 0)
    add_unread_mentions (request, mentions_after, events);
  next_cookie = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, after, last_msg_id);
  json_object_set_string_member (reply, "Cookie", next_cookie);
  json_object_set_int_member (reply, "SyncFlag", cut || page->len >= SYNC_PAGE ? 1 : 2);
  json_object_set_array_member (reply, "MsgList", messages);
  json_object_set_array_member (reply, "EventArray", events);
  add_unread_lists (request, reply);
  return reply;
}
