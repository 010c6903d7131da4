/* timchat-wire.c: how stored messages and notices look on the wire (docs/sdk-wire-notes.md). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-json-writer.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-c2c-private.h"
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

/* The nick shown for user: the account's, or the ID when it has none. */
static const char *
sender_nick (const TimchatAccount *account, const char *user)
{
  return account != NULL && account->nick[0] != '\0' ? account->nick : user;
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
    json_object_set_string_member (item, nick_member, sender_nick (account, user));
  if (avatar_member != NULL)
    json_object_set_string_member (item, avatar_member, account ? account->avatar : "");
}

/* Its sender's SendMsgControl, as the SDK reads it on a received message ({"NoUnread":1,
 * "NoLastMsg":1}: its messageControlInfo); nothing for a message sent without. */
static void
set_control (JsonObject *item, const TimchatMsg *msg)
{
  JsonObject *control = tim_msg_control_new_received (msg->control);

  if (control != NULL)
    json_object_set_object_member (item, "SendMsgControl", control);
}

void
_timchat_wire_set_version (JsonObject *item, const TimchatMsg *msg)
{
  /* The SDK's message.version (what its modifyMessage must name) and isModified. */
  json_object_set_int_member (item, "MsgVersion", msg->version);
  json_object_set_int_member (item, "MsgModifiedFlag", msg->version > 0 ? 1 : 0);
}

JsonObject *
_timchat_wire_c2c_msg (TimchatServer *server, const TimchatMsg *msg)
{
  JsonObject *item = json_object_new ();
  g_autofree char *key = _timchat_c2c_msg_key (msg);

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
  _timchat_wire_set_version (item, msg);
  set_body (item, "MsgBody", msg->body);
  json_object_set_string_member (item, "CloudCustomData",
                                 msg->cloud_custom_data ? msg->cloud_custom_data : "");
  set_control (item, msg);
  set_sender (server, item, msg->from_user, "From_AccountNick", "From_AccountHeadurl");
  return item;
}

/* The sender as a group shows them: nick, avatar and their name card in group_id (the SDK's
 * nameCard, which clients show before the nick). */
JsonObject *
_timchat_wire_sender_extra (TimchatServer *server, const char *group_id, const char *user)
{
  TimchatStore *store = timchat_server_get_store (server);
  g_autoptr (TimchatAccount) account = timchat_store_get_account (store, user);
  g_autoptr (TimchatMember) member = timchat_store_get_member (store, group_id, user);
  JsonObject *extra = json_object_new ();

  json_object_set_string_member (extra, "Nick", sender_nick (account, user));
  json_object_set_string_member (extra, "NameCard",
                                 member != NULL && member->name_card ? member->name_card : "");
  /* Ours, as the C2C items' From_AccountHeadurl: the sender's avatar beside a group message. */
  json_object_set_string_member (extra, "HeadUrl", account != NULL ? account->avatar : "");
  return extra;
}

JsonObject *
_timchat_wire_group_msg (TimchatServer *server, const TimchatMsg *msg)
{
  JsonObject *item = json_object_new ();
  JsonObject *group_info = json_object_new ();
  JsonObject *extra = _timchat_wire_sender_extra (server, msg->to_id, msg->from_user);
  g_autoptr (TimchatGroup) group =
      timchat_store_get_group (timchat_server_get_store (server), msg->to_id);

  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_string_member (group_info, "GroupId", msg->to_id);
  json_object_set_string_member (group_info, "GroupType", group ? group->type : "Private");
  json_object_set_string_member (group_info, "GroupName", group ? group->name : "");
  json_object_set_string_member (group_info, "From_Account", msg->from_user);
  /* The SDK takes a group message's nick and avatar from GroupInfo itself (its Nick and
   * FaceUrl), and the name card from MsgFrom_AccountExtraInfo. */
  json_object_set_string_member (group_info, "Nick", tim_json_get_string (extra, "Nick"));
  json_object_set_string_member (group_info, "FaceUrl", tim_json_get_string (extra, "HeadUrl"));
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
  _timchat_wire_set_version (item, msg);
  set_body (item, "MsgBody", msg->body);
  /* The SDK builds message.atUserList from it (GroupAtAllFlag 1 → TIM.TYPES.MSG_AT_ALL). */
  if (msg->at_info != NULL)
    set_body (item, "GroupAtInfo", msg->at_info);
  json_object_set_string_member (item, "CloudCustomData",
                                 msg->cloud_custom_data ? msg->cloud_custom_data : "");
  set_control (item, msg);
  set_sender (server, item, msg->from_user, NULL, NULL);
  return item;
}

JsonObject *
_timchat_wire_delete_notify (TimchatServer *server, GPtrArray *msgs)
{
  JsonObject *item = json_object_new ();
  JsonObject *notify = json_object_new ();
  JsonArray *c2c = json_array_new ();
  JsonArray *group = json_array_new ();

  for (guint i = 0; i < msgs->len; i++)
    {
      const TimchatMsg *msg = msgs->pdata[i];

      if (msg->conv_type == TIM_CONV_GROUP)
        json_array_add_object_element (group, _timchat_wire_group_msg (server, msg));
      else
        json_array_add_object_element (c2c, _timchat_wire_c2c_msg (server, msg));
    }
  json_object_set_array_member (notify, "C2cMsgList", c2c);
  json_object_set_array_member (notify, "GroupMsgList", group);
  json_object_set_object_member (item, "TimchatMsgDeleteNotify", notify);
  return item;
}

JsonObject *
_timchat_wire_clear_notify (TimConvType type, const char *peer, gint64 seq)
{
  JsonObject *item = json_object_new ();
  JsonObject *notify = json_object_new ();

  json_object_set_int_member (notify, "Type", type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_string_member (notify, type == TIM_CONV_GROUP ? "ToGroupid" : "To_Account", peer);
  json_object_set_int_member (notify, "ServerSeq", seq);
  json_object_set_object_member (item, "TimchatHistoryClearNotify", notify);
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

static void
append_member (GString *out, const char *name)
{
  g_string_append_c (out, ',');
  tim_json_writer_append_string (out, name);
  g_string_append_c (out, ':');
}

static void
append_string_member (GString *out, const char *name, const char *value)
{
  append_member (out, name);
  tim_json_writer_append_string (out, value);
}

static void
append_int_member (GString *out, const char *name, gint64 value)
{
  append_member (out, name);
  tim_json_writer_append_int (out, value);
}

/* The push of a C2C message written straight to text: building the item as a tree, copying it
 * for the sender's devices and encoding both was 15 % of the relay's main thread. The members,
 * their order and the bytes are those of _timchat_wire_push_body (_timchat_wire_c2c_msg ()) with
 * MsgLifeTime and IsSyncMsg added as the push adds them (tests/test-wire.c compares the two).
 * msg->body is used as it is: on this path it is the request's MsgBody as tim-json-writer wrote
 * it, the same bytes the tree would encode to, unless it holds a number json-glib cannot read
 * back; then it goes the tree's way (set_body ()). */
char *
_timchat_wire_c2c_push_json (TimchatServer *server, const TimchatMsg *msg, gboolean online_only,
                             gboolean sync)
{
  g_autoptr (TimchatAccount) account =
      timchat_store_get_account (timchat_server_get_store (server), msg->from_user);
  g_autofree char *key = _timchat_c2c_msg_key (msg);
  g_autofree char *tinyid = g_strdup_printf ("%" G_GUINT64_FORMAT, account ? account->tinyid : 0);
  GString *out = g_string_sized_new (640);

  /* The sender's other devices: the SDK swaps From/To of IsSyncMsg items back. */
  g_string_append (out, "{\"EventArray\":[{\"Event\":1,\"C2cMsgArray\":[{\"From_Account\":");
  tim_json_writer_append_string (out, sync ? msg->to_id : msg->from_user);
  append_string_member (out, "To_Account", sync ? msg->from_user : msg->to_id);
  append_int_member (out, "MsgSeq", msg->client_seq);
  append_int_member (out, "MsgRandom", msg->random);
  append_int_member (out, "MsgTimeStamp", msg->time);
  append_int_member (out, "MsgClientTime", msg->client_time);
  append_string_member (out, "MsgKey", key);
  append_int_member (out, "ServerSeq", msg->seq);
  append_int_member (out, "MsgFlagBits", msg->recalled ? 8 : 0);
  if (msg->recalled && msg->revoker != NULL)
    append_string_member (out, "Revoker", msg->revoker);
  append_int_member (out, "MsgVersion", msg->version);
  append_int_member (out, "MsgModifiedFlag", msg->version > 0 ? 1 : 0);
  append_member (out, "MsgBody");
  if (msg->body != NULL && tim_json_writer_text_is_strict (msg->body))
    g_string_append (out, msg->body);
  else
    {
      g_autoptr (JsonNode) body = msg->body != NULL ? tim_json_parse (msg->body, -1, NULL) : NULL;

      if (body != NULL)
        tim_json_writer_append (out, body);
      else
        g_string_append (out, "[]");
    }
  append_string_member (out, "CloudCustomData",
                        msg->cloud_custom_data ? msg->cloud_custom_data : "");
  if (msg->control != TIM_MSG_CONTROL_NONE)
    {
      g_autoptr (JsonObject) control = tim_msg_control_new_received (msg->control);
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), control);

      append_member (out, "SendMsgControl");
      tim_json_writer_append (out, node);
    }
  append_string_member (out, "TinyId", tinyid);
  append_string_member (out, "From_AccountNick", sender_nick (account, msg->from_user));
  append_string_member (out, "From_AccountHeadurl", account ? account->avatar : "");
  if (online_only)
    append_int_member (out, "MsgLifeTime", 0);
  if (sync)
    append_int_member (out, "IsSyncMsg", 1);
  g_string_append (out, "}]}]}");
  return g_string_free (out, FALSE);
}

void
_timchat_push_c2c_msg (TimchatRequest *request, const TimchatMsg *msg, gboolean online_only,
                       gboolean to_sender)
{
  TimchatHub *hub = timchat_server_get_hub (request->server);
  g_autofree char *to_peer = NULL;
  g_autofree char *to_self = NULL;

  /* Not to a recipient who discards the sender's messages (setMessageRemindType Discard): they
   * read them in the history. Asked only when the recipient is online to be pushed to. */
  if (timchat_hub_has_sessions (hub, msg->to_id, NULL) &&
      !_timchat_c2c_recipient_discards (request->server, msg))
    {
      to_peer = _timchat_wire_c2c_push_json (request->server, msg, online_only, FALSE);
      timchat_hub_push_json (hub, msg->to_id, TIMCHAT_PUSH_SERVCMD, to_peer, NULL);
    }
  /* Written only if the sender has another device online (in the bench, none has). */
  if (!to_sender || g_str_equal (msg->to_id, msg->from_user) ||
      !timchat_hub_has_sessions (hub, msg->from_user, request->session))
    return;
  to_self = _timchat_wire_c2c_push_json (request->server, msg, online_only, TRUE);
  timchat_hub_push_json (hub, msg->from_user, TIMCHAT_PUSH_SERVCMD, to_self, request->session);
}
