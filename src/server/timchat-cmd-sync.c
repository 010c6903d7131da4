/* timchat-cmd-sync.c: openim.getmsg hands a (re)connecting client what it missed, in order.
 * The Cookie is the id of the last per-user event handed out. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-group-notify.h"

#define SYNC_PAGE 100

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

JsonObject *
_timchat_cmd_getmsg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *cookie = tim_json_get_string (request->body, "Cookie");
  JsonObject *reply = json_object_new ();
  JsonArray *messages = json_array_new ();
  JsonArray *events = json_array_new ();
  g_autoptr (GPtrArray) page = NULL;
  g_autofree char *next_cookie = NULL;
  gint64 after;

  if (cookie == NULL || *cookie == '\0')
    {
      /* A fresh login starts from now: history comes from getroammsg, unread counts from the
       * lists below; replaying every old event would flood the client. */
      after = timchat_store_last_event_id (store, request->user);
      page = g_ptr_array_new ();
    }
  else
    {
      after = g_ascii_strtoll (cookie, NULL, 10);
      page = timchat_store_read_events (store, request->user, after, SYNC_PAGE);
    }

  for (guint i = 0; i < page->len; i++)
    {
      TimchatEvent *event = page->pdata[i];

      after = event->id;
      if (event->kind == TIMCHAT_EVENT_C2C_MESSAGE)
        {
          g_autoptr (JsonObject) payload = tim_json_parse_object (event->payload, -1, NULL);
          g_autoptr (TimchatMsg) msg =
              payload ? timchat_store_get_message (store, tim_json_get_int_or (payload, "id", -1))
                      : NULL;
          /* Not one the user deleted for themselves meanwhile (deleteMessage). */
          if (msg != NULL && !timchat_store_is_hidden (store, request->user, msg->id))
            json_array_add_object_element (messages, _timchat_wire_c2c_msg (request->server, msg));
        }
      else
        {
          int number = 0;
          const char *key = NULL;
          JsonObject *item = event_to_push_item (event, &number, &key);

          if (item != NULL)
            {
              JsonObject *push = _timchat_wire_push_body (number, key, item);
              JsonArray *array = tim_json_get_array (push, "EventArray");

              json_array_add_element (events, json_node_copy (json_array_get_element (array, 0)));
              json_object_unref (push);
            }
        }
    }

  next_cookie = g_strdup_printf ("%" G_GINT64_FORMAT, after);
  json_object_set_string_member (reply, "Cookie", next_cookie);
  json_object_set_int_member (reply, "SyncFlag", page->len >= SYNC_PAGE ? 1 : 2);
  json_object_set_array_member (reply, "MsgList", messages);
  json_object_set_array_member (reply, "EventArray", events);
  add_unread_lists (request, reply);
  return reply;
}
