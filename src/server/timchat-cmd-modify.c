/* timchat-cmd-modify.c: editing a kept message, the SDK's modifyMessage
 * (openim.modify_c2c_msg, openim.modify_group_msg; docs/protocol.md "Editing messages").
 *
 * Only the sender edits, any time, a message that was kept and not recalled, if they may still
 * reach the other side (C2C: not blocked by the peer; group: not muted); the edit names the
 * MsgVersion it was made from and applies only if the message is still there (compare-and-set in
 * the store), else 20027 with what the message says now. Its elements keep their types. The
 * others hear of it by a C2cMsgModNotifys / GroupMsgModNotifys push; a C2C edit is also a sync
 * event of both users, a group member who was away reads the new content with group_msg_get. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-elem.h"
#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"
#include "timchat-c2c-private.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

/* The element types an edit may have, as the vendor's modifyMessage documents them. */
static const char *const editable_types[] = { "TIMTextElem", "TIMCustomElem", "TIMLocationElem",
                                              "TIMFaceElem", NULL };

/* What an edit asks for, checked before anything is looked up. */
typedef struct
{
  gint64 version;
  JsonArray *body; /* NULL: keep it */
  const char *cloud_custom_data;
} Edit;

static gboolean
read_edit (JsonObject *body, Edit *edit, GError **error)
{
  edit->version = 0;
  if (json_object_has_member (body, "MsgVersion") &&
      (!tim_json_get_int (body, "MsgVersion", &edit->version) || edit->version < 0))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "MsgVersion must be an integer, 0 for a message never edited");
      return FALSE;
    }
  edit->cloud_custom_data = tim_json_get_string (body, "CloudCustomData");
  if (json_object_has_member (body, "CloudCustomData") && edit->cloud_custom_data == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "CloudCustomData must be a string");
      return FALSE;
    }
  edit->body = tim_json_get_array (body, "MsgBody");
  if (json_object_has_member (body, "MsgBody") && edit->body == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID,
                           "MsgBody must be an array");
      return FALSE;
    }
  if (edit->body == NULL && edit->cloud_custom_data == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "An edit needs a MsgBody, a CloudCustomData or both");
      return FALSE;
    }
  /* As a send checks it: 90005 naming the element and field, 80002 over 12 KB. */
  return edit->body == NULL || tim_msg_body_validate (edit->body, error);
}

static const char *
element_type (JsonArray *body, guint i)
{
  return tim_json_get_string (tim_json_array_get_object (body, i), "MsgType");
}

/* Text stays text, a custom message custom: each new element has a type the message had, and
 * the message has only types that can be edited. */
static gboolean
check_types (const TimchatMsg *msg, JsonArray *new_body, GError **error)
{
  g_autoptr (JsonNode) stored = tim_json_parse (msg->body, -1, NULL);
  JsonArray *old_body =
      stored != NULL && JSON_NODE_HOLDS_ARRAY (stored) ? json_node_get_array (stored) : NULL;
  guint n_old = old_body != NULL ? json_array_get_length (old_body) : 0;

  for (guint i = 0; i < n_old; i++)
    {
      const char *type = element_type (old_body, i);

      if (type == NULL || !g_strv_contains (editable_types, type))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID,
                       "A %s message cannot be edited; text, custom, location and face messages "
                       "can",
                       type != NULL ? type : "stored");
          return FALSE;
        }
    }
  for (guint i = 0; i < json_array_get_length (new_body); i++)
    {
      const char *type = element_type (new_body, i);
      gboolean known = FALSE;

      for (guint j = 0; j < n_old && !known; j++)
        known = g_strcmp0 (type, element_type (old_body, j)) == 0;
      if (!known)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID,
                       "An edit keeps the message's element types: MsgBody[%u] is a %s, the "
                       "message is a %s",
                       i, type,
                       n_old > 0 ? element_type (old_body, 0) : "message without elements");
          return FALSE;
        }
    }
  return TRUE;
}

/* {MsgBody, MsgVersion, CloudCustomData} as stored now: the success reply, and the body of a
 * 20027 answer, from which the SDK takes the current content (its 2480's data.message). */
static void
set_content (JsonObject *object, const TimchatMsg *msg)
{
  json_object_set_member (object, "MsgBody", _timchat_wire_body_array (msg));
  json_object_set_int_member (object, "MsgVersion", msg->version);
  json_object_set_string_member (object, "CloudCustomData",
                                 msg->cloud_custom_data ? msg->cloud_custom_data : "");
}

/* Stores the edit; the reply (NULL with error for any refusal but a conflict, which is an
 * answer carrying the current content). */
static JsonObject *
apply (TimchatRequest *request, TimchatMsg *msg, const Edit *edit, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *body_text = NULL;
  JsonObject *reply;

  if (edit->body != NULL)
    {
      g_autoptr (JsonNode) node = json_node_init_array (json_node_alloc (), edit->body);

      body_text = tim_json_node_to_string (node, NULL);
    }
  if (!timchat_store_modify_message (timchat_server_get_store (request->server), msg, edit->version,
                                     body_text, edit->cloud_custom_data, &local_error))
    {
      if (!g_error_matches (local_error, TIM_ERROR, TIM_ERROR_MSG_MODIFY_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      reply = tim_reply_body_new (TIM_ERROR_MSG_MODIFY_CONFLICT, local_error->message);
      set_content (reply, msg);
      return reply;
    }
  reply = json_object_new ();
  set_content (reply, msg);
  return reply;
}

/* The size of the body kept, as a send measured it (tim_msg_body_serialized_size ()): the stored
 * text writes each double with 17 digits ("113.93000000000001" for the sender's "113.93"), which
 * its length would count, and an edit of a location's CloudCustomData alone was refused as too
 * big although the message was no bigger than one the server had taken. */
static gsize
kept_body_size (const TimchatMsg *msg)
{
  g_autoptr (JsonNode) stored = msg->body != NULL ? tim_json_parse (msg->body, -1, NULL) : NULL;

  if (stored != NULL && JSON_NODE_HOLDS_ARRAY (stored))
    return tim_msg_body_serialized_size (json_node_get_array (stored));
  return msg->body != NULL ? strlen (msg->body) : 0;
}

/* The message as edited is a message: its body and CloudCustomData, each new or kept, at most
 * 12 KB together, as a send is checked (tim_msg_validate ()). */
static gboolean
check_edited_size (const TimchatMsg *msg, const Edit *edit, GError **error)
{
  const char *cloud_custom_data = edit->cloud_custom_data ?: msg->cloud_custom_data;

  return tim_msg_size_validate (edit->body != NULL ? tim_msg_body_serialized_size (edit->body)
                                                   : kept_body_size (msg),
                                cloud_custom_data != NULL ? strlen (cloud_custom_data) : 0, error);
}

/* What both edits check once the message is found: the caller sent it (else not_sender_code, the
 * code each kind of conversation uses for it), it is not recalled, and the new body keeps its
 * element types. */
static gboolean
check_editable (TimchatRequest *request, const TimchatMsg *msg, const Edit *edit,
                int not_sender_code, GError **error)
{
  if (!g_str_equal (msg->from_user, request->user))
    {
      g_set_error_literal (error, TIM_ERROR, not_sender_code, "Only the sender can edit a message");
      return FALSE;
    }
  if (msg->recalled)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_ALREADY_RECALLED,
                           "The message was recalled");
      return FALSE;
    }
  if (edit->body != NULL && !check_types (msg, edit->body, error))
    return FALSE;
  return check_edited_size (msg, edit, error);
}

/* The item's fields are those the SDK's onMessageModified reads: from, to (the group's ID for a
 * group), random, sequence and time find the message; MsgVersion, MsgBody and CloudCustomData
 * replace its content if newer. */
JsonObject *
_timchat_wire_c2c_modify_item (const TimchatMsg *msg)
{
  JsonObject *item = json_object_new ();
  g_autofree char *key = _timchat_c2c_msg_key (msg);

  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_string_member (item, "To_Account", msg->to_id);
  json_object_set_int_member (item, "MsgSeq", msg->client_seq);
  json_object_set_int_member (item, "MsgRandom", msg->random);
  json_object_set_int_member (item, "MsgTime", msg->time);
  json_object_set_string_member (item, "MsgKey", key);
  json_object_set_int_member (item, "ServerSeq", msg->seq);
  set_content (item, msg);
  return item;
}

static JsonObject *
group_modify_item (const TimchatMsg *msg)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "GroupId", msg->to_id);
  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_int_member (item, "MsgSeq", msg->seq);
  json_object_set_int_member (item, "MsgRandom", msg->random);
  json_object_set_int_member (item, "MsgTime", msg->time);
  set_content (item, msg);
  return item;
}

JsonObject *
_timchat_cmd_modify_c2c_msg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  TimchatHub *hub = timchat_server_get_hub (request->server);
  const char *from = tim_json_get_string (request->body, "From_Account");
  const char *to = tim_json_get_string (request->body, "To_Account");
  g_autoptr (TimchatMsg) msg = NULL;
  g_autoptr (JsonObject) push = NULL;
  gint64 seq, random, time;
  JsonObject *reply;
  Edit edit;

  if (from == NULL || to == NULL || !tim_json_get_int (request->body, "MsgSeq", &seq) ||
      !tim_json_get_int (request->body, "MsgRandom", &random) ||
      (!tim_json_get_int (request->body, "MsgTime", &time) &&
       !tim_json_get_int (request->body, "MsgTimeStamp", &time)))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "An edit needs From_Account, To_Account, MsgSeq, MsgRandom and MsgTime");
      return NULL;
    }
  if (!read_edit (request->body, &edit, error))
    return NULL;
  /* Only a message of the caller's own conversation is found; online-only ones never are. */
  if (g_str_equal (request->user, from) || g_str_equal (request->user, to))
    msg = timchat_store_find_c2c_message (store, from, to, seq, random);
  if (msg == NULL || msg->time != time)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_MODIFY_NOT_FOUND,
                           "The message to edit does not exist");
      return NULL;
    }
  /* The edit reaches the peer as the message did: one the peer has blocked the sender since is
   * refused as a send would be, whenever the message was sent. */
  if (!check_editable (request, msg, &edit, TIM_ERROR_MSG_RECALL_NOT_SENDER, error) ||
      !_timchat_c2c_check_not_blocked (request, msg->from_user, msg->to_id, error))
    return NULL;
  if ((reply = apply (request, msg, &edit, error)) == NULL ||
      json_object_has_member (reply, "ErrorCode"))
    return reply;

  /* The peer's devices (unless the peer discards the sender's messages) and the sender's others;
   * the sync events were written with the edit. */
  push = _timchat_wire_push_body (TIMCHAT_MODIFY_EVENT, "C2cMsgModNotifys",
                                  _timchat_wire_c2c_modify_item (msg));
  if (!g_str_equal (msg->to_id, msg->from_user) &&
      !_timchat_c2c_recipient_discards (request->server, msg))
    timchat_hub_push (hub, msg->to_id, TIMCHAT_PUSH_SERVCMD, push, NULL);
  timchat_hub_push (hub, msg->from_user, TIMCHAT_PUSH_SERVCMD, push, request->session);
  return reply;
}

JsonObject *
_timchat_cmd_modify_group_msg (TimchatRequest *request, GError **error)
{
  g_autoptr (TimchatGroup) group = NULL;
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (TimchatMsg) msg = NULL;
  JsonObject *reply;
  gint64 seq;
  Edit edit;

  if ((group = _timchat_group_from_body (request, NULL, error)) == NULL)
    return NULL;
  if (!tim_json_get_int (request->body, "MsgSeq", &seq))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "MsgSeq must be the integer sequence of the message");
      return NULL;
    }
  if (!read_edit (request->body, &edit, error) ||
      !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  /* Online-only messages have no seq (0) and are never found. */
  msg = seq > 0 ? _timchat_group_find_message (request, group, self, seq) : NULL;
  if (msg == NULL || msg->kind != TIMCHAT_MSG_NORMAL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_MODIFY_NOT_FOUND,
                   msg == NULL ? "The message to edit does not exist"
                               : "Message %" G_GINT64_FORMAT " is a group tip, not a message",
                   seq);
      return NULL;
    }
  /* The edit reaches the members as the message did: a member muted since, or while all are,
   * is refused it as a send would be, whenever the message was sent. */
  if (!check_editable (request, msg, &edit, TIM_ERROR_GROUP_PERMISSION, error) ||
      !_timchat_group_check_not_muted (request, group, self, error))
    return NULL;
  if ((reply = apply (request, msg, &edit, error)) == NULL ||
      json_object_has_member (reply, "ErrorCode"))
    return reply;

  /* In the message's own priority queue, so that the edit never overtakes the message. */
  _timchat_group_deliver (
      request, group->group_id, (TimPriority) msg->priority,
      _timchat_wire_push_body (TIMCHAT_MODIFY_EVENT, "GroupMsgModNotifys", group_modify_item (msg)),
      NULL);
  return reply;
}
