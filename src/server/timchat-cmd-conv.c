/* timchat-cmd-conv.c: the recent-contacts list (conversations): page_get and batch_delete.
 * Deleting a conversation hides it and keeps its messages: the next message shows it again. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"

static JsonNode *
last_msg_body (const TimchatMsg *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (msg->body == NULL || !json_parser_load_from_data (parser, msg->body, -1, NULL))
    return json_node_init_array (json_node_alloc (), json_array_new ());
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      /* A stored group tip keeps its content object: present it as a one-element body. */
      JsonArray *body = json_array_new ();
      JsonObject *element = json_object_new ();

      json_object_set_string_member (element, "MsgType", "TIMGroupTipElem");
      json_object_set_member (element, "MsgContent", json_node_copy (root));
      json_array_add_object_element (body, element);
      return json_node_init_array (json_node_alloc (), body);
    }
  return json_node_copy (root);
}

static JsonObject *
session_item (TimchatRequest *request, TimchatConversation *conv)
{
  JsonObject *item = json_object_new ();
  const TimchatMsg *last = conv->last;

  json_object_set_int_member (item, "Type", conv->conv_type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_int_member (item, "UnreadMsgCount", conv->unread);
  json_object_set_int_member (item, "TopFlags", conv->pinned ? 1 : 0);
  json_object_set_int_member (item, "MsgTime", last ? last->time : 0);
  json_object_set_int_member (item, "MsgRandom", last ? last->random : 0);
  if (conv->conv_type == TIM_CONV_C2C)
    {
      json_object_set_string_member (item, "To_Account", conv->peer);
      json_object_set_int_member (item, "MsgSeq", last ? last->client_seq : 0);
      json_object_set_string_member (item, "LastC2CMsgFromAccount", last ? last->from_user : "");
      json_object_set_int_member (item, "LastMsgFlags", last && last->recalled ? 8 : 0);
      json_object_set_int_member (item, "C2cPeerReadTime", conv->peer_read_time);
    }
  else
    {
      g_autoptr (TimchatGroup) group =
          timchat_store_get_group (timchat_server_get_store (request->server), conv->peer);

      json_object_set_string_member (item, "ToAccount", conv->peer);
      json_object_set_int_member (item, "MsgSeq", last ? last->seq : 0);
      json_object_set_int_member (item, "MsgGroupReadedSeq", conv->read_seq);
      json_object_set_string_member (item, "MsgGroupFromAccount", last ? last->from_user : "");
      json_object_set_int_member (item, "LastMsgFlags", last && last->recalled ? 2 : 0);
      json_object_set_string_member (item, "GroupNick", group ? group->name : "");
      json_object_set_string_member (item, "GroupImage", group ? group->face_url : "");
      json_object_set_string_member (item, "GroupType", group ? group->type : "");
    }
  if (last != NULL)
    {
      JsonObject *last_msg = json_object_new ();

      json_object_set_member (last_msg, "MsgBody", last_msg_body (last));
      json_object_set_string_member (last_msg, "CloudCustomData",
                                     last->cloud_custom_data ? last->cloud_custom_data : "");
      json_object_set_object_member (item, "LastMsg", last_msg);
    }
  return item;
}

JsonObject *
_timchat_cmd_page_get (TimchatRequest *request, GError **error)
{
  TimchatConfig *config = timchat_server_get_config (request->server);
  const char *owner =
      request->is_admin ? tim_json_get_string (request->body, "From_Account") : request->user;
  gint64 start = MAX (0, tim_json_get_int_or (request->body, "StartIndex", 0));
  gint64 page_size = config->conversation_page > 0 ? config->conversation_page : 100;
  g_autoptr (GPtrArray) conversations = NULL;
  JsonObject *reply;
  JsonArray *items = json_array_new ();
  gint64 end;

  for (const char *const *cursor = (const char *const[]){ "StartIndex", "TimeStamp", "TopTimeStamp",
                                                          "TopStartIndex", NULL };
       *cursor != NULL; cursor++)
    {
      gint64 unused;

      if (json_object_has_member (request->body, *cursor) &&
          !tim_json_get_int (request->body, *cursor, &unused))
        {
          json_array_unref (items);
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s must be an integer",
                       *cursor);
          return NULL;
        }
    }
  if (owner == NULL || !tim_user_id_is_valid (owner))
    {
      json_array_unref (items);
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_FROM_ACCOUNT_INVALID,
                           "From_Account is missing or invalid");
      return NULL;
    }
  conversations =
      timchat_store_list_conversations (timchat_server_get_store (request->server), owner, 0);
  end = MIN ((gint64) conversations->len, start + page_size);
  for (gint64 i = start; i < end; i++)
    json_array_add_object_element (items, session_item (request, conversations->pdata[i]));

  reply = json_object_new ();
  json_object_set_int_member (reply, "CompleteFlag", end >= (gint64) conversations->len ? 1 : 0);
  json_object_set_int_member (reply, "TimeStamp", 0);
  json_object_set_int_member (reply, "StartIndex", end);
  json_object_set_int_member (reply, "TopTimeStamp", 0);
  json_object_set_int_member (reply, "TopStartIndex", 0);
  json_object_set_array_member (reply, "SessionItem", items);
  return reply;
}

JsonObject *
_timchat_cmd_batch_delete (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
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
      JsonObject *contact = tim_json_array_get_object (contacts, i);
      gint64 type = tim_json_get_int_or (contact, "Type", 0);
      const char *peer = type == 2
                             ? tim_json_get_string_any (contact, "ToGroupid", "ToGroupId", NULL)
                             : tim_json_get_string (contact, "To_Account");
      g_autoptr (GError) local_error = NULL;
      JsonObject *result = json_object_new ();

      json_object_set_int_member (result, "Type", type);
      json_object_set_string_member (result, type == 2 ? "ToGroupid" : "To_Account",
                                     peer ? peer : "");
      if ((type != 1 && type != 2) || peer == NULL)
        g_set_error_literal (&local_error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                             "Bad ContactItem");
      else
        timchat_store_delete_conversation (store, owner, type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C,
                                           peer, &local_error);
      json_object_set_int_member (result, "ResultCode", local_error ? local_error->code : 0);
      json_object_set_string_member (result, "ResultInfo", local_error ? local_error->message : "");
      json_array_add_object_element (results, result);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "ResultItem", results);
  return reply;
}
