/* tim-message-record.c: TimMessage to and from the local store's records (every field, under the
 * seed's names where it has them). Apart from tim-message-wire.c, which reads the server's items:
 * a record is our own form, and changes with the store, not with the protocol. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-json.h"
#include "tim-message-private.h"

/* ---- local store records: every field, under the seed's names where it has them ---- */

static void
set_nullable_string (JsonObject *record, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (record, member, value);
  else
    json_object_set_null_member (record, member);
}

JsonObject *
_tim_message_to_record (TimMessage *self)
{
  JsonObject *record;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);

  record = json_object_new ();
  set_nullable_string (record, "ID", self->id);
  set_nullable_string (record, "type", self->type_string);
  json_object_set_int_member (record, "elemType", self->elem_type);
  json_object_set_object_member (record, "payload", tim_json_object_copy (self->payload));
  if (self->wire_body != NULL)
    json_object_set_array_member (record, "msgBody",
                                  _tim_message_array_deep_copy (self->wire_body));
  set_nullable_string (record, "conversationID", self->conversation_id);
  json_object_set_int_member (record, "conversationType", self->conversation_type);
  set_nullable_string (record, "from", self->from);
  set_nullable_string (record, "to", self->to);
  json_object_set_string_member (record, "flow", self->flow_out ? "out" : "in");
  json_object_set_int_member (record, "time", self->time);
  json_object_set_int_member (record, "clientTime", self->client_time);
  json_object_set_string_member (record, "status", tim_message_status_to_string (self->status));
  json_object_set_boolean_member (record, "isRevoked", self->is_revoked);
  set_nullable_string (record, "revoker", self->revoker);
  json_object_set_string_member (record, "priority", tim_priority_to_string (self->priority));
  json_object_set_boolean_member (record, "isPeerRead", self->is_peer_read);
  json_object_set_boolean_member (record, "isRead", self->is_read);
  json_object_set_int_member (record, "sequence", self->sequence);
  json_object_set_int_member (record, "random", self->random);
  json_object_set_int_member (record, "serverSeq", self->server_seq);
  set_nullable_string (record, "senderTinyID", self->sender_tinyid);
  set_nullable_string (record, "nick", self->nick);
  set_nullable_string (record, "nameCard", self->name_card);
  set_nullable_string (record, "avatar", self->avatar);
  set_nullable_string (record, "cloudCustomData", self->cloud_custom_data);
  if (self->at_user_list != NULL)
    json_object_set_array_member (
        record, "atUserList",
        tim_json_array_new_strings ((const char *const *) self->at_user_list));
  json_object_set_boolean_member (record, "onlineOnly", self->online_only);
  json_object_set_int_member (record, "control", self->control);
  json_object_set_int_member (record, "version", self->version);
  json_object_set_boolean_member (record, "isModified", self->is_modified);
  json_object_set_int_member (record, "uploadSent", self->upload_sent);
  json_object_set_int_member (record, "uploadTotal", self->upload_total);
  json_object_set_int_member (record, "errorCode", self->error_code);
  set_nullable_string (record, "errorMessage", self->error_message);
  if (self->local_file != NULL)
    uri = g_file_get_uri (self->local_file);
  set_nullable_string (record, "localFile", uri);
  return record;
}

/* (nullable): the strings of array, or NULL when it has none. */
static GStrv
strings_of (JsonArray *array)
{
  GStrv strings = tim_json_array_dup_strings (array);

  if (strings[0] == NULL)
    g_clear_pointer (&strings, g_strfreev);
  return strings;
}

static gboolean
get_boolean (JsonObject *record, const char *member)
{
  return json_object_get_boolean_member_with_default (record, member, FALSE);
}

TimMessage *
_tim_message_new_from_record (JsonObject *record)
{
  TimMessage *self;
  JsonObject *payload;
  JsonArray *body;
  const char *uri;

  g_return_val_if_fail (record != NULL, NULL);

  if (tim_json_get_string (record, "ID") == NULL)
    return NULL;
  self = g_object_new (TIM_TYPE_MESSAGE, NULL);
  self->id = g_strdup (tim_json_get_string (record, "ID"));
  self->type_string = g_strdup (tim_json_get_string (record, "type"));
  self->elem_type = tim_json_get_int_or (record, "elemType", TIM_ELEM_UNKNOWN);
  if ((payload = tim_json_get_object (record, "payload")) != NULL)
    {
      json_object_unref (self->payload);
      self->payload = tim_json_object_copy (payload);
    }
  if ((body = tim_json_get_array (record, "msgBody")) != NULL)
    self->wire_body = _tim_message_array_deep_copy (body);
  self->conversation_id = g_strdup (tim_json_get_string (record, "conversationID"));
  self->conversation_type = tim_json_get_int_or (record, "conversationType", TIM_CONV_INVALID);
  self->from = g_strdup (tim_json_get_string (record, "from"));
  self->to = g_strdup (tim_json_get_string (record, "to"));
  self->flow_out = g_strcmp0 (tim_json_get_string (record, "flow"), "out") == 0;
  self->time = tim_json_get_int_or (record, "time", 0);
  self->client_time = tim_json_get_int_or (record, "clientTime", 0);
  self->status = tim_message_status_from_string (tim_json_get_string (record, "status"));
  self->is_revoked = get_boolean (record, "isRevoked");
  self->revoker = g_strdup (tim_json_get_string (record, "revoker"));
  self->priority = tim_priority_from_string (tim_json_get_string (record, "priority"));
  self->is_peer_read = get_boolean (record, "isPeerRead");
  self->is_read = get_boolean (record, "isRead");
  self->sequence = tim_json_get_int_or (record, "sequence", 0);
  self->random = tim_json_get_int_or (record, "random", 0);
  self->server_seq = tim_json_get_int_or (record, "serverSeq", 0);
  self->sender_tinyid = g_strdup (tim_json_get_string (record, "senderTinyID"));
  self->nick = g_strdup (tim_json_get_string (record, "nick"));
  self->name_card = g_strdup (tim_json_get_string (record, "nameCard"));
  self->avatar = g_strdup (tim_json_get_string (record, "avatar"));
  self->cloud_custom_data = g_strdup (tim_json_get_string (record, "cloudCustomData"));
  self->at_user_list = strings_of (tim_json_get_array (record, "atUserList"));
  self->online_only = get_boolean (record, "onlineOnly");
  self->control = tim_json_get_int_or (record, "control", TIM_MSG_CONTROL_NONE);
  self->version = tim_json_get_int_or (record, "version", 0);
  self->is_modified = get_boolean (record, "isModified");
  self->upload_sent = tim_json_get_int_or (record, "uploadSent", 0);
  self->upload_total = tim_json_get_int_or (record, "uploadTotal", 0);
  self->error_code = tim_json_get_int_or (record, "errorCode", 0);
  self->error_message = g_strdup (tim_json_get_string (record, "errorMessage"));
  if ((uri = tim_json_get_string (record, "localFile")) != NULL)
    self->local_file = g_file_new_for_uri (uri);
  _tim_message_derive_group_server_seq (self);
  return self;
}
