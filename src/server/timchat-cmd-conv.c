/* timchat-cmd-conv.c: the recent-contacts list (conversations): page_get, batch_delete and top
 * (pin), and the paging and deleting the REST get_list / delete share with them
 * (timchat-cmd-conv-admin.c). Deleting a conversation hides it and keeps its messages: the next
 * message shows it again. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-cmd-conv-private.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

/* The REST SessionItem (tim-rest-facts.md §6.1); last as shown_last () has it. */
static JsonObject *
rest_session_item (TimchatConversation *conv, const TimchatMsg *last)
{
  JsonObject *item = json_object_new ();

  json_object_set_int_member (item, "Type", conv->conv_type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_string_member (item, conv->conv_type == TIM_CONV_GROUP ? "GroupId" : "To_Account",
                                 conv->peer);
  json_object_set_int_member (item, "MsgTime", last ? last->time : 0);
  json_object_set_int_member (item, "TopFlag", conv->pinned ? 1 : 0);
  return item;
}

/* The conversation's last message as owner sees it: the newest they did not delete, none when
 * they cleared the conversation since (or, in a group, when nothing came since they joined);
 * never one sent with NoLastMsg (the store's conv->last already passes over those). */
static const TimchatMsg *
shown_last (TimchatStore *store, const char *owner, TimchatConversation *conv, GPtrArray **older)
{
  const char *a = conv->conv_type == TIM_CONV_GROUP ? conv->peer : owner;
  gint64 before = 0;

  if (conv->last == NULL || (conv->last->seq > conv->history_after &&
                             !timchat_store_is_hidden (store, owner, conv->last->id)))
    return conv->last;
  for (;;)
    {
      g_clear_pointer (older, g_ptr_array_unref);
      *older = timchat_store_history (store, owner, conv->conv_type, a, conv->peer, before, 20);
      for (guint i = 0; i < (*older)->len; i++)
        {
          const TimchatMsg *msg = (*older)->pdata[i];

          if (!(msg->control & TIM_MSG_CONTROL_NO_LAST_MSG))
            return msg;
          before = msg->seq;
        }
      if ((*older)->len < 20)
        return NULL;
    }
}

/* The page_get SessionItem; last as shown_last () has it. */
static JsonObject *
session_item (TimchatRequest *request, TimchatConversation *conv, const TimchatMsg *last)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *item = json_object_new ();
  g_autoptr (TimchatAccount) sender =
      last ? timchat_store_get_account (store, last->from_user) : NULL;
  g_autofree char *marks = tim_conv_marks_to_wire (conv->marks);

  json_object_set_int_member (item, "Type", conv->conv_type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_int_member (item, "UnreadMsgCount", conv->unread);
  json_object_set_int_member (item, "TopFlags", conv->pinned ? 1 : 0);
  json_object_set_string_member (item, "StandardMark", marks);
  json_object_set_string_member (item, "CustomMark",
                                 conv->custom_data != NULL ? conv->custom_data : "");
  /* Ours too: how the user hears of it, so that a client has it with the list. */
  json_object_set_string_member (item, "MsgFlag", tim_remind_flag_to_name (conv->remind));
  json_object_set_int_member (item, "MsgTime", last ? last->time : 0);
  json_object_set_int_member (item, "MsgRandom", last ? last->random : 0);
  /* Ours, beyond the vendor's fields: with these a client rebuilds the last message's real ID
   * (TinyId-MsgClientTime-MsgRandom) and its place in the conversation. */
  json_object_set_int_member (item, "MsgClientTime", last ? last->client_time : 0);
  json_object_set_int_member (item, "ServerSeq", last ? last->seq : 0);
  if (last != NULL)
    {
      g_autofree char *tinyid = g_strdup_printf ("%" G_GUINT64_FORMAT, sender ? sender->tinyid : 0);

      json_object_set_string_member (item, "TinyId", tinyid);
    }
  if (conv->conv_type == TIM_CONV_C2C)
    {
      g_autoptr (TimchatAccount) peer = timchat_store_get_account (store, conv->peer);

      json_object_set_string_member (item, "To_Account", conv->peer);
      /* The peer's profile, so that a list shows names at once (the SDK's peerNick/peerAvatar). */
      json_object_set_string_member (item, "C2cNick", peer ? peer->nick : "");
      json_object_set_string_member (item, "C2cImage", peer ? peer->avatar : "");
      json_object_set_int_member (item, "MsgSeq", last ? last->client_seq : 0);
      json_object_set_string_member (item, "LastC2CMsgFromAccount", last ? last->from_user : "");
      json_object_set_int_member (item, "LastMsgFlags", last && last->recalled ? 8 : 0);
      json_object_set_int_member (item, "C2cPeerReadTime", conv->peer_read_time);
    }
  else
    {
      g_autoptr (TimchatGroup) group = timchat_store_get_group (store, conv->peer);
      g_autoptr (TimchatMember) member =
          last ? timchat_store_get_member (store, conv->peer, last->from_user) : NULL;

      json_object_set_string_member (item, "ToAccount", conv->peer);
      json_object_set_int_member (item, "MsgSeq", last ? last->seq : 0);
      json_object_set_int_member (item, "MsgGroupReadedSeq", conv->read_seq);
      json_object_set_string_member (item, "MsgGroupFromAccount", last ? last->from_user : "");
      /* Who sent the last message, as the group names them (the SDK's lastMessage.nick and
       * nameCard). */
      json_object_set_string_member (item, "MsgGroupFromNickName", sender ? sender->nick : "");
      json_object_set_string_member (item, "MsgGroupFromCardName",
                                     member && member->name_card ? member->name_card : "");
      json_object_set_int_member (item, "LastMsgFlags", last && last->recalled ? 2 : 0);
      json_object_set_string_member (item, "GroupNick", group ? group->name : "");
      json_object_set_string_member (item, "GroupImage", group ? group->face_url : "");
      json_object_set_string_member (item, "GroupType", group ? group->type : "");
    }
  if (last != NULL)
    {
      JsonObject *last_msg = json_object_new ();

      json_object_set_member (last_msg, "MsgBody", _timchat_wire_body_array (last));
      json_object_set_string_member (last_msg, "CloudCustomData",
                                     last->cloud_custom_data ? last->cloud_custom_data : "");
      _timchat_wire_set_version (last_msg, last);
      /* Who recalled it, as history pages say (ours; the SDK reads only LastMsgFlags): a device
       * that was away hears of a group's recall first here, and says "alice recalled a message". */
      if (last->recalled && last->revoker != NULL)
        json_object_set_string_member (last_msg, "Revoker", last->revoker);
      json_object_set_object_member (item, "LastMsg", last_msg);
    }
  return item;
}

JsonObject *
_timchat_conv_page (TimchatRequest *request, const char *owner, gint64 start,
                    TimchatConvPageFlags flags)
{
  TimchatConfig *config = timchat_server_get_config (request->server);
  gint64 page_size = config->conversation_page > 0 ? config->conversation_page : 100;
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (GPtrArray) conversations = timchat_store_list_conversations (store, owner, 0);
  JsonObject *reply = json_object_new ();
  JsonArray *items = json_array_new ();
  gint64 end;
  gint64 time = 0, top_time = 0;

  /* One ordered list, pinned first: StartIndex is the position in it, the other cursors tell
   * where the page ended. One past the end, however far, is the end (and start + page_size
   * cannot overflow). */
  start = CLAMP (start, 0, (gint64) conversations->len);
  end = MIN ((gint64) conversations->len, start + page_size);
  for (gint64 i = start; i < end; i++)
    {
      TimchatConversation *conv = conversations->pdata[i];
      g_autoptr (GPtrArray) older = NULL;
      /* Both transports list the conversation as its owner sees it: what they cleared, deleted
       * or came before they joined is not theirs. REST read conv->last, and listed a
       * conversation the user had cleared, with the time of a message they no longer had. */
      const TimchatMsg *last = shown_last (store, owner, conv, &older);

      if (last == NULL && (flags & TIMCHAT_CONV_PAGE_SKIP_EMPTY))
        continue;
      if (conv->pinned)
        top_time = last ? last->time : 0;
      else
        time = last ? last->time : 0;
      json_array_add_object_element (items, (flags & TIMCHAT_CONV_PAGE_REST)
                                                ? rest_session_item (conv, last)
                                                : session_item (request, conv, last));
    }
  json_object_set_int_member (reply, "CompleteFlag", end >= (gint64) conversations->len ? 1 : 0);
  json_object_set_int_member (reply, "TimeStamp", time);
  json_object_set_int_member (reply, "StartIndex", end);
  json_object_set_int_member (reply, "TopTimeStamp", top_time);
  json_object_set_int_member (reply, "TopStartIndex", 0);
  json_object_set_array_member (reply, "SessionItem", items);
  return reply;
}

JsonObject *
_timchat_cmd_page_get (TimchatRequest *request, GError **error)
{
  for (const char *const *cursor = (const char *const[]){ "StartIndex", "TimeStamp", "TopTimeStamp",
                                                          "TopStartIndex", NULL };
       *cursor != NULL; cursor++)
    if (!_timchat_check_int (request->body, *cursor, error))
      return NULL;
  return _timchat_conv_page (request, request->user,
                             MAX (0, tim_json_get_int_or (request->body, "StartIndex", 0)), 0);
}

/* The SDK's push for a change to the list made on another device (its recentContactMod
 * handler): PushType 1 deleted, 2 pinned, 3 unpinned; the conversation is {Type:1, UserId} or
 * {Type:2, GroupId}. It goes to owner's other sockets (all of them after a REST call); one that is
 * offline reads the list again when it next logs in or reconnects. */
JsonObject *
_timchat_recent_contact_item (gint64 type, const char *peer)
{
  JsonObject *conversation = json_object_new ();

  json_object_set_int_member (conversation, "Type", type);
  json_object_set_string_member (conversation, type == 2 ? "GroupId" : "UserId", peer);
  return conversation;
}

static void
push_list_change (TimchatRequest *request, const char *owner, TimchatListChange change, gint64 type,
                  const char *peer)
{
  JsonArray *conversations = json_array_new ();
  JsonObject *changed = json_object_new ();
  JsonObject *item = json_object_new ();
  g_autoptr (JsonObject) body = NULL;

  json_array_add_object_element (conversations, _timchat_recent_contact_item (type, peer));
  json_object_set_array_member (changed, "RecentContactList", conversations);
  json_object_set_int_member (item, "PushType", change);
  json_object_set_object_member (
      item, change == TIMCHAT_LIST_DELETED ? "RecentContactDeleteItem" : "RecentContactTopItem",
      changed);
  body = _timchat_wire_push_body (TIMCHAT_EVENT_LIST_CHANGE, "RecentContactMod", item);
  timchat_hub_push (timchat_server_get_hub (request->server), owner, TIMCHAT_PUSH_SERVCMD, body,
                    request->session);
}

gboolean
_timchat_conv_delete (TimchatRequest *request, const char *owner, gint64 type, const char *peer,
                      GError **error)
{
  if ((type != 1 && type != 2) || peer == NULL || *peer == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "Bad ContactItem");
      return FALSE;
    }
  if (!timchat_store_delete_conversation (timchat_server_get_store (request->server), owner,
                                          type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer, error))
    return FALSE;
  push_list_change (request, owner, TIMCHAT_LIST_DELETED, type, peer);
  return TRUE;
}

gint64
_timchat_contact_item (JsonObject *item, const char **peer)
{
  gint64 type = item != NULL ? tim_json_get_int_or (item, "Type", 0) : 0;

  *peer = type == 2 ? tim_json_get_string_any (item, "GroupId", "ToGroupid", "ToGroupId", NULL)
                    : tim_json_get_string (item, "To_Account");
  return type;
}

JsonObject *
_timchat_cmd_batch_delete (TimchatRequest *request, GError **error)
{
  const char *owner =
      request->is_admin ? tim_json_get_string (request->body, "From_Account") : request->user;
  JsonArray *contacts = tim_json_get_array (request->body, "ContactItem");
  JsonArray *results;
  JsonObject *reply;

  if (owner == NULL || contacts == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "From_Account and ContactItem are required");
      return NULL;
    }
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (contacts) && i < 100; i++)
    {
      const char *peer = NULL;
      gint64 type = _timchat_contact_item (tim_json_array_get_object (contacts, i), &peer);
      g_autoptr (GError) local_error = NULL;
      JsonObject *result = json_object_new ();

      json_object_set_int_member (result, "Type", type);
      json_object_set_string_member (result, type == 2 ? "ToGroupid" : "To_Account",
                                     peer ? peer : "");
      _timchat_conv_delete (request, owner, type, peer, &local_error);
      json_object_set_int_member (result, "ResultCode", local_error ? local_error->code : 0);
      json_object_set_string_member (result, "ResultInfo", local_error ? local_error->message : "");
      json_array_add_object_element (results, result);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "ResultItem", results);
  return reply;
}

/* Clears the caller's history of a conversation (listed or deleted from the list) up to its
 * newest message; the others keep theirs. The caller's other devices are told at once, or at
 * their next sync. */
JsonObject *
_timchat_cmd_clear_msg (TimchatRequest *request, GError **error)
{
  const char *peer = NULL;
  gint64 type = _timchat_contact_item (request->body, &peer);
  TimConvType conv_type = type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C;
  g_autoptr (JsonObject) push = NULL;
  JsonObject *reply;
  gint64 cleared_seq = 0;

  if ((type != 1 && type != 2) || peer == NULL || *peer == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "clear_msg needs {Type:1, To_Account} or {Type:2, ToGroupid}");
      return NULL;
    }
  if (!timchat_store_clear_history (timchat_server_get_store (request->server), request->user,
                                    conv_type, peer, &cleared_seq, error))
    return NULL;
  push = _timchat_wire_push_body (9, "C2cNotifyMsgArray",
                                  _timchat_wire_clear_notify (conv_type, peer, cleared_seq));
  timchat_hub_push (timchat_server_get_hub (request->server), request->user, TIMCHAT_PUSH_SERVCMD,
                    push, request->session);
  /* Ours: where it was cleared up to, so that a client drops just what the server did. */
  reply = json_object_new ();
  json_object_set_int_member (reply, "ServerSeq", cleared_seq);
  return reply;
}

/* The SDK's pinConversation: OperationType 1 pins, 2 unpins the RecentContactItem conversations
 * ({Type:1, To_Account} or {Type:2, GroupId}). Every item's form is checked, then that each is in
 * the user's list (2500), before any is changed. */
JsonObject *
_timchat_cmd_top (TimchatRequest *request, GError **error)
{
  JsonArray *items = tim_json_get_array (request->body, "RecentContactItem");
  gint64 operation = tim_json_get_int_or (request->body, "OperationType", 0);
  TimchatStore *store = timchat_server_get_store (request->server);
  guint n = items != NULL ? json_array_get_length (items) : 0;

  if (operation != 1 && operation != 2)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "OperationType must be 1 (pin) or 2 (unpin)");
      return NULL;
    }
  if (n == 0 || n > 100)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "RecentContactItem needs 1 to 100 conversations");
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *peer = NULL;
      gint64 type = _timchat_contact_item (tim_json_array_get_object (items, i), &peer);

      if ((type != 1 && type != 2) || peer == NULL || *peer == '\0')
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "RecentContactItem %u is not {Type:1, To_Account} or {Type:2, GroupId}", i);
          return NULL;
        }
    }
  /* A refusal must come before the first pin: the dispatch undoes a command refused for the
   * store alone (10002), and the pins before an item not listed stayed, pushed to the user's other
   * devices, under the request's 2500 (/server/conversation/pin-not-listed-changes-nothing). */
  for (guint i = 0; i < n; i++)
    {
      const char *peer = NULL;
      gint64 type = _timchat_contact_item (tim_json_array_get_object (items, i), &peer);
      g_autoptr (TimchatConversation) conversation = timchat_store_get_conversation (
          store, request->user, type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer);

      if (conversation == NULL || !conversation->listed)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                       "There is no conversation with %s", peer);
          return NULL;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      const char *peer = NULL;
      gint64 type = _timchat_contact_item (tim_json_array_get_object (items, i), &peer);

      if (!timchat_store_pin_conversation (store, request->user,
                                           type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer,
                                           operation == 1, error))
        return NULL;
      push_list_change (request, request->user,
                        operation == 1 ? TIMCHAT_LIST_PINNED : TIMCHAT_LIST_UNPINNED, type, peer);
    }
  return json_object_new ();
}
