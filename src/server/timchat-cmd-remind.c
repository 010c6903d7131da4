/* timchat-cmd-remind.c: how a user hears of a conversation (the SDK's setMessageRemindType):
 * openim.set_c2c_peer_mute_notifications / get_c2c_peer_mute_notifications for C2C. A group
 * member's MsgFlag is modify_group_member_info's (timchat-cmd-group-info.c). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

/* At most this many peers a request, as the SDK sends (30 a call). */
#define MAX_PEERS 100

/* {UserId, ErrorCode} for a peer that was not changed. */
static JsonObject *
peer_error (const char *peer, int code)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "UserId", peer);
  json_object_set_int_member (item, "ErrorCode", code);
  return item;
}

/* To the user's other devices: the SDK's MuteNotificationsSync (C2C notice, Event 9), which it and
 * libtim apply to the conversation with `peer`. */
static void
push_mute_sync (TimchatRequest *request, const char *peer, gint64 flag, gint64 sequence)
{
  JsonObject *sync = json_object_new ();
  JsonObject *item = json_object_new ();
  g_autoptr (JsonObject) body = NULL;

  json_object_set_string_member (sync, "To_Account", peer);
  json_object_set_int_member (sync, "UpdateSequence", sequence);
  json_object_set_int_member (sync, "MuteFlag", flag);
  json_object_set_object_member (item, "MuteNotificationsSync", sync);
  body = _timchat_wire_push_body (9, "C2cNotifyMsgArray", item);
  timchat_hub_push (timchat_server_get_hub (request->server), request->user, TIMCHAT_PUSH_SERVCMD,
                    body, request->session);
}

/* Peer_Account[] (user IDs) and Mute_Notifications (0 notify, 1 discard, 2 do not notify). A
 * peer with no account is listed in ErrorList (70107) and the others are set. */
JsonObject *
_timchat_cmd_set_c2c_peer_mute_notifications (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *peers = tim_json_get_array (request->body, "Peer_Account");
  gint64 flag = -1;
  gint64 sequence = g_get_real_time () / G_USEC_PER_SEC;
  guint n = peers != NULL ? json_array_get_length (peers) : 0;
  JsonArray *errors;
  JsonObject *reply;

  if (!tim_json_get_int (request->body, "Mute_Notifications", &flag) || flag < 0 || flag > 2)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "Mute_Notifications must be 0, 1 or 2");
      return NULL;
    }
  if (n == 0 || n > MAX_PEERS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "Peer_Account needs 1 to %d user IDs", MAX_PEERS);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    if (!tim_user_id_is_valid (tim_json_array_get_string (peers, i)))
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                     "Peer_Account[%u] is not a user ID", i);
        return NULL;
      }
  errors = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      const char *peer = tim_json_array_get_string (peers, i);
      g_autoptr (GError) local_error = NULL;

      if (!_timchat_account_exists (request, peer))
        json_array_add_object_element (errors, peer_error (peer, TIM_ERROR_ACCOUNT_NOT_FOUND));
      else if (!timchat_store_set_remind (store, request->user, TIM_CONV_C2C, peer,
                                          (TimRemindFlag) flag, &local_error))
        json_array_add_object_element (errors, peer_error (peer, local_error->code));
      else
        push_mute_sync (request, peer, flag, sequence);
    }
  reply = json_object_new ();
  json_object_set_int_member (reply, "UpdateSequence", sequence);
  json_object_set_array_member (reply, "ErrorList", errors);
  return reply;
}

/* Every peer whose flag is not 0, as {UserId, MuteFlag}: the whole list each time (the SDK's
 * UpdateSequence is answered, not used to send only what changed). */
JsonObject *
_timchat_cmd_get_c2c_peer_mute_notifications (TimchatRequest *request, GError **error)
{
  g_autoptr (GPtrArray) reminds =
      timchat_store_list_c2c_reminds (timchat_server_get_store (request->server), request->user);
  JsonArray *list = json_array_new ();
  JsonObject *reply = json_object_new ();

  for (guint i = 0; i < reminds->len; i++)
    {
      TimchatConversation *conv = reminds->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "UserId", conv->peer);
      json_object_set_int_member (item, "MuteFlag", conv->remind);
      json_array_add_object_element (list, item);
    }
  json_object_set_int_member (reply, "UpdateSequence", g_get_real_time () / G_USEC_PER_SEC);
  json_object_set_array_member (reply, "MuteNotificationsList", list);
  return reply;
}
