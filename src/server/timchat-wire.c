/* timchat-wire.c: how stored messages and notices look on the wire (docs/sdk-wire-notes.md). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-commands-private.h"
#include "timchat-hub.h"

static void
set_body (JsonObject *item, const char *member, const char *json_text)
{
  JsonNode *root = json_text != NULL ? tim_json_parse (json_text, -1, NULL) : NULL;

  if (root != NULL)
    json_object_set_member (item, member, root);
  else
    json_object_set_array_member (item, member, json_array_new ());
}

static void
set_sender (TimchatServer *server, JsonObject *item, const char *user, const char *nick_member,
            const char *avatar_member)
{
  g_autoptr (TimchatAccount) account =
      timchat_store_get_account (timchat_server_get_store (server), user);
  g_autofree char *tinyid = g_strdup_printf ("%" G_GUINT64_FORMAT, account ? account->tinyid : 0);

  /* Message ID = TinyId-MsgClientTime-MsgRandom on every device. */
  json_object_set_string_member (item, "TinyId", tinyid);
  if (nick_member != NULL)
    json_object_set_string_member (item, nick_member,
                                   account && account->nick[0] ? account->nick : user);
  if (avatar_member != NULL)
    json_object_set_string_member (item, avatar_member, account ? account->avatar : "");
}

JsonObject *
_timchat_wire_c2c_msg (TimchatServer *server, const TimchatMsg *msg)
{
  return _timchat_wire_c2c_msg_with_body (server, msg, NULL);
}

JsonObject *
_timchat_wire_c2c_msg_with_body (TimchatServer *server, const TimchatMsg *msg, JsonArray *body)
{
  JsonObject *item = json_object_new ();
  g_autofree char *key =
      g_strdup_printf ("%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT,
                       msg->client_seq, msg->random, msg->time);

  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_string_member (item, "To_Account", msg->to_id);
  json_object_set_int_member (item, "MsgSeq", msg->client_seq);
  json_object_set_int_member (item, "MsgRandom", msg->random);
  json_object_set_int_member (item, "MsgTimeStamp", msg->time);
  json_object_set_int_member (item, "MsgClientTime", msg->client_time);
  json_object_set_string_member (item, "MsgKey", key);
  /* Our per-conversation order, for clients that page and sync by it (libtim). */
  json_object_set_int_member (item, "ServerSeq", msg->seq);
  json_object_set_int_member (item, "MsgFlagBits", msg->recalled ? 8 : 0);
  if (msg->recalled && msg->revoker != NULL)
    json_object_set_string_member (item, "Revoker", msg->revoker);
  if (body != NULL)
    json_object_set_array_member (item, "MsgBody", json_array_ref (body));
  else
    set_body (item, "MsgBody", msg->body);
  json_object_set_string_member (item, "CloudCustomData",
                                 msg->cloud_custom_data ? msg->cloud_custom_data : "");
  set_sender (server, item, msg->from_user, "From_AccountNick", "From_AccountHeadurl");
  return item;
}

JsonObject *
_timchat_wire_group_msg (TimchatServer *server, const TimchatMsg *msg)
{
  JsonObject *item = json_object_new ();
  JsonObject *group_info = json_object_new ();
  JsonObject *extra = json_object_new ();
  g_autoptr (TimchatGroup) group =
      timchat_store_get_group (timchat_server_get_store (server), msg->to_id);
  g_autoptr (TimchatAccount) account =
      timchat_store_get_account (timchat_server_get_store (server), msg->from_user);

  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_string_member (extra, "Nick",
                                 account && account->nick[0] ? account->nick : msg->from_user);
  json_object_set_string_member (extra, "NameCard", "");
  json_object_set_string_member (group_info, "GroupId", msg->to_id);
  json_object_set_string_member (group_info, "GroupType", group ? group->type : "Private");
  json_object_set_string_member (group_info, "GroupName", group ? group->name : "");
  json_object_set_string_member (group_info, "From_Account", msg->from_user);
  json_object_set_object_member (group_info, "MsgFrom_AccountExtraInfo", extra);
  json_object_set_object_member (item, "GroupInfo", group_info);
  json_object_set_string_member (item, "GroupId", msg->to_id);
  json_object_set_string_member (item, "ToGroupId", msg->to_id);
  json_object_set_int_member (item, "MsgSeq", msg->seq);
  json_object_set_int_member (item, "Random", msg->random);
  json_object_set_int_member (item, "MsgRandom", msg->random);
  json_object_set_int_member (item, "MsgTimeStamp", msg->time);
  json_object_set_int_member (item, "MsgTime", msg->time);
  json_object_set_int_member (item, "MsgClientTime", msg->client_time);
  json_object_set_int_member (item, "ClientSeq", msg->client_seq);
  json_object_set_int_member (item, "MsgPriority", msg->priority);
  json_object_set_int_member (item, "IsPlaceMsg", msg->recalled ? 2 : 0);
  if (msg->recalled && msg->revoker != NULL)
    json_object_set_string_member (item, "Revoker", msg->revoker);
  json_object_set_int_member (item, "OnlineOnlyFlag", 0);
  set_body (item, "MsgBody", msg->body);
  json_object_set_string_member (item, "CloudCustomData",
                                 msg->cloud_custom_data ? msg->cloud_custom_data : "");
  set_sender (server, item, msg->from_user, NULL, NULL);
  return item;
}

JsonObject *
_timchat_wire_push_body (int event, const char *key, JsonObject *item)
{
  JsonObject *body = json_object_new ();
  JsonArray *events = json_array_new ();
  JsonObject *entry = json_object_new ();
  JsonArray *items = json_array_new ();

  json_array_add_object_element (items, item);
  json_object_set_int_member (entry, "Event", event);
  json_object_set_array_member (entry, key, items);
  json_array_add_object_element (events, entry);
  json_object_set_array_member (body, "EventArray", events);
  return body;
}

/* The sender's copy of a push item differs from the recipient's in top-level members only, so
 * nested values (MsgBody) are shared rather than copied: a deep copy was 4 % of the relay's main
 * thread. Nothing changes either item's nested values after this. */
static JsonObject *
copy_top_level (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

void
_timchat_push_c2c_msg (TimchatRequest *request, const TimchatMsg *msg, JsonArray *body,
                       gboolean online_only)
{
  TimchatHub *hub = timchat_server_get_hub (request->server);
  JsonObject *item = _timchat_wire_c2c_msg_with_body (request->server, msg, body);
  g_autoptr (JsonObject) to_peer = NULL;
  g_autoptr (JsonObject) to_self = NULL;
  JsonObject *sync_item;

  if (online_only)
    json_object_set_int_member (item, "MsgLifeTime", 0);
  sync_item = copy_top_level (item);
  to_peer = _timchat_wire_push_body (1, "C2cMsgArray", item);
  timchat_hub_push (hub, msg->to_id, TIMCHAT_PUSH_SERVCMD, to_peer, NULL);
  if (g_str_equal (msg->to_id, msg->from_user))
    {
      json_object_unref (sync_item);
      return;
    }
  /* The sender's other devices: the SDK swaps From/To of IsSyncMsg items back. */
  json_object_set_string_member (sync_item, "From_Account", msg->to_id);
  json_object_set_string_member (sync_item, "To_Account", msg->from_user);
  json_object_set_int_member (sync_item, "IsSyncMsg", 1);
  to_self = _timchat_wire_push_body (1, "C2cMsgArray", sync_item);
  timchat_hub_push (hub, msg->from_user, TIMCHAT_PUSH_SERVCMD, to_self, request->session);
}
