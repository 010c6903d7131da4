/* tim-client-edit.c: editing a sent message (the Web SDK's modifyMessage), and taking the edits
 * made elsewhere: on another device of the user, by the peer, or found newer in a history page.
 * One function applies them all (_tim_client_take_edit): the message, its stored record and, when
 * it is the last one, its conversation's preview. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-message-private.h"

gboolean
_tim_client_take_edit (TimClient *self, TimMessage *message, JsonArray *body,
                       const char *cloud_custom_data, gint64 version)
{
  if (!_tim_message_apply_edit (message, body, cloud_custom_data, version))
    return FALSE;
  _tim_client_store_message (self, message);
  _tim_client_refresh_last_message (self, message);
  return TRUE;
}

void
_tim_client_take_server_copy (TimClient *self, TimMessage *known, TimMessage *fresh)
{
  if (tim_message_get_is_revoked (fresh) && !tim_message_get_is_revoked (known))
    {
      _tim_client_mark_recalled (self, known, tim_message_get_revoker (fresh));
      /* Its conversation's preview too, when it is the last: it said what was recalled. */
      _tim_client_refresh_last_message (self, known);
    }
  else if (tim_message_get_version (fresh) > tim_message_get_version (known))
    _tim_client_take_edit (self, known, fresh->wire_body, fresh->cloud_custom_data,
                           tim_message_get_version (fresh));
}

/* A C2cMsgModNotifys or GroupMsgModNotifys item: someone's edit, pushed or replayed by getmsg. */
void
_tim_client_take_edit_notice (TimClient *self, JsonObject *item, gboolean group,
                              GPtrArray *modified)
{
  const char *from = tim_json_get_string (item, "From_Account");
  const char *to = tim_json_get_string (item, group ? "GroupId" : "To_Account");
  g_autofree char *conversation_id = NULL;
  g_autoptr (TimMessage) message = NULL;

  if (from == NULL || to == NULL)
    return;
  conversation_id =
      group ? tim_conv_make_id (TIM_CONV_GROUP, to)
            : tim_conv_make_id (TIM_CONV_C2C, g_strcmp0 (from, self->user) == 0 ? to : from);
  message =
      _tim_client_find_message (self, conversation_id, tim_json_get_int_or (item, "MsgSeq", 0),
                                tim_json_get_int_or (item, "MsgRandom", 0));
  if (message != NULL && _tim_client_take_edit (self, message, tim_json_get_array (item, "MsgBody"),
                                                tim_json_get_string (item, "CloudCustomData"),
                                                tim_json_get_int_or (item, "MsgVersion", 0)))
    g_ptr_array_add (modified, g_object_ref (message));
}

static void
on_modified (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  TimMessage *message = g_task_get_task_data (task);
  g_autoptr (GPtrArray) modified = g_ptr_array_new_with_free_func (g_object_unref);

  if (error != NULL)
    {
      /* Another device's edit came first; its notice has brought (or brings) what it says now,
       * as the SDK's 2480 does with the server's copy. */
      if (g_error_matches (error, TIM_ERROR, TIM_ERROR_MSG_MODIFY_CONFLICT))
        g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_MESSAGE_MODIFY_CONFLICT, "%s",
                                 tim_error_text (TIM_ERROR_MESSAGE_MODIFY_CONFLICT));
      else
        g_task_return_error (task, g_error_copy (error));
      return;
    }
  if (_tim_client_take_edit (self, message, tim_json_get_array (reply, "MsgBody"),
                             tim_json_get_string (reply, "CloudCustomData"),
                             tim_json_get_int_or (reply, "MsgVersion", 0)))
    g_ptr_array_add (modified, g_object_ref (message));
  _tim_client_emit_messages (self, "message-modified", modified);
  g_task_return_boolean (task, TRUE);
}

static gboolean
check_editable (TimClient *self, TimMessage *message, JsonObject *payload, GError **error)
{
  if (tim_message_get_status (message) != TIM_MESSAGE_STATUS_SUCCESS ||
      tim_message_get_is_revoked (message) || tim_message_get_online_only (message) ||
      g_strcmp0 (tim_message_get_from (message), self->user) != 0 ||
      tim_message_get_conversation_type (message) == TIM_CONV_SYSTEM)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION, "%s",
                   tim_message_get_is_revoked (message)
                       ? _ ("A recalled message cannot be edited")
                       : _ ("Only your own messages, once sent and kept, can be edited"));
      return FALSE;
    }
  if (!tim_elem_type_is_sendable (tim_message_get_elem_type (message)) || payload == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                   _ ("This kind of message cannot be edited"));
      return FALSE;
    }
  return TRUE;
}

void
tim_client_modify_message_async (TimClient *self, TimMessage *message, JsonObject *payload,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *elem;
  JsonArray *msg_body;

  g_return_if_fail (TIM_IS_CLIENT (self));
  g_return_if_fail (TIM_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_modify_message_async);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  /* The same element type with the new payload, checked as a send is. */
  if (!check_editable (self, message, payload, &error) ||
      (elem = tim_elem_from_payload (tim_message_get_elem_type (message), payload, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  msg_body = json_array_new ();
  json_array_add_object_element (msg_body, elem);
  json_object_set_array_member (body, "MsgBody", msg_body);
  json_object_set_int_member (body, "MsgSeq", tim_message_get_sequence (message));
  json_object_set_int_member (body, "MsgVersion", tim_message_get_version (message));
  json_object_set_string_member (body, "CloudCustomData",
                                 tim_message_get_cloud_custom_data (message) ?: "");
  if (tim_message_get_conversation_type (message) == TIM_CONV_GROUP)
    {
      json_object_set_string_member (body, "GroupId", tim_message_get_to (message));
      tim_transport_request (self->transport, "openim.modify_group_msg", body, 0, cancellable,
                             on_modified, g_steal_pointer (&task));
      return;
    }
  json_object_set_string_member (body, "From_Account", tim_message_get_from (message));
  json_object_set_string_member (body, "To_Account", tim_message_get_to (message));
  json_object_set_int_member (body, "MsgRandom", tim_message_get_random (message));
  json_object_set_int_member (body, "MsgTime", tim_message_get_time (message));
  tim_transport_request (self->transport, "openim.modify_c2c_msg", body, 0, cancellable,
                         on_modified, g_steal_pointer (&task));
}

void
tim_client_modify_text_async (TimClient *self, TimMessage *message, const char *text,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "text", text != NULL ? text : "");
  tim_client_modify_message_async (self, message, payload, cancellable, callback, user_data);
}

gboolean
tim_client_modify_message_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
