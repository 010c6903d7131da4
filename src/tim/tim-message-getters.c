/* tim-message-getters.c: what a message says, read from its fields (the public getters), and the
 * text that stands for it in a list (tim_message_dup_summary ()). Kept apart from tim-message.c
 * (the class, its properties, its constructor): a long flat list that the class never reads. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-json.h"
#include "tim-message-private.h"

/* ---- getters ---- */

#define RETURN_FIELD(field, fallback)                                                              \
  g_return_val_if_fail (TIM_IS_MESSAGE (self), fallback);                                          \
  return self->field

const char *
tim_message_get_id (TimMessage *self)
{
  RETURN_FIELD (id, NULL);
}

TimElemType
tim_message_get_elem_type (TimMessage *self)
{
  RETURN_FIELD (elem_type, TIM_ELEM_UNKNOWN);
}

const char *
tim_message_get_type_string (TimMessage *self)
{
  RETURN_FIELD (type_string, NULL);
}

JsonObject *
tim_message_get_payload (TimMessage *self)
{
  RETURN_FIELD (payload, NULL);
}

const char *
tim_message_get_conversation_id (TimMessage *self)
{
  RETURN_FIELD (conversation_id, NULL);
}

TimConvType
tim_message_get_conversation_type (TimMessage *self)
{
  RETURN_FIELD (conversation_type, TIM_CONV_INVALID);
}

const char *
tim_message_get_from (TimMessage *self)
{
  RETURN_FIELD (from, NULL);
}

const char *
tim_message_get_to (TimMessage *self)
{
  RETURN_FIELD (to, NULL);
}

const char *
tim_message_get_flow (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  return self->flow_out ? "out" : "in";
}

gint64
tim_message_get_time (TimMessage *self)
{
  RETURN_FIELD (time, 0);
}

gint64
tim_message_get_client_time (TimMessage *self)
{
  RETURN_FIELD (client_time, 0);
}

TimMessageStatus
tim_message_get_status (TimMessage *self)
{
  RETURN_FIELD (status, TIM_MESSAGE_STATUS_UNSENT);
}

gboolean
tim_message_get_is_revoked (TimMessage *self)
{
  RETURN_FIELD (is_revoked, FALSE);
}

const char *
tim_message_get_revoker (TimMessage *self)
{
  RETURN_FIELD (revoker, NULL);
}

TimPriority
tim_message_get_priority (TimMessage *self)
{
  RETURN_FIELD (priority, TIM_PRIORITY_NORMAL);
}

gboolean
tim_message_get_is_peer_read (TimMessage *self)
{
  RETURN_FIELD (is_peer_read, FALSE);
}

gboolean
tim_message_get_is_read (TimMessage *self)
{
  RETURN_FIELD (is_read, FALSE);
}

gint64
tim_message_get_sequence (TimMessage *self)
{
  RETURN_FIELD (sequence, 0);
}

gint64
tim_message_get_random (TimMessage *self)
{
  RETURN_FIELD (random, 0);
}

gint64
tim_message_get_server_seq (TimMessage *self)
{
  RETURN_FIELD (server_seq, 0);
}

const char *
tim_message_get_sender_tinyid (TimMessage *self)
{
  RETURN_FIELD (sender_tinyid, NULL);
}

const char *
tim_message_get_nick (TimMessage *self)
{
  RETURN_FIELD (nick, NULL);
}

const char *
tim_message_get_name_card (TimMessage *self)
{
  RETURN_FIELD (name_card, NULL);
}

const char *
tim_message_get_avatar (TimMessage *self)
{
  RETURN_FIELD (avatar, NULL);
}

const char *
tim_message_get_cloud_custom_data (TimMessage *self)
{
  RETURN_FIELD (cloud_custom_data, NULL);
}

const char *const *
tim_message_get_at_user_list (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  return (const char *const *) self->at_user_list;
}

TimGroupAtType
tim_message_get_group_at_type (TimMessage *self, const char *user_id)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), TIM_GROUP_AT_NONE);
  return tim_group_at_type_for ((const char *const *) self->at_user_list, user_id);
}

gboolean
tim_message_get_online_only (TimMessage *self)
{
  RETURN_FIELD (online_only, FALSE);
}

gboolean
tim_message_get_is_excluded_from_unread_count (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), FALSE);
  return (self->control & TIM_MSG_CONTROL_NO_UNREAD) != 0;
}

gboolean
tim_message_get_is_excluded_from_last_message (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), FALSE);
  return (self->control & TIM_MSG_CONTROL_NO_LAST_MSG) != 0;
}

TimMsgControl
_tim_message_get_control (TimMessage *self)
{
  RETURN_FIELD (control, TIM_MSG_CONTROL_NONE);
}

gint64
tim_message_get_version (TimMessage *self)
{
  RETURN_FIELD (version, 0);
}

gboolean
tim_message_get_is_modified (TimMessage *self)
{
  RETURN_FIELD (is_modified, FALSE);
}

goffset
tim_message_get_upload_sent (TimMessage *self)
{
  RETURN_FIELD (upload_sent, 0);
}

goffset
tim_message_get_upload_total (TimMessage *self)
{
  RETURN_FIELD (upload_total, 0);
}

double
tim_message_get_upload_progress (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), 0.0);
  if (self->upload_total <= 0)
    return 0.0;
  return CLAMP ((double) self->upload_sent / (double) self->upload_total, 0.0, 1.0);
}

int
tim_message_get_error_code (TimMessage *self)
{
  RETURN_FIELD (error_code, 0);
}

const char *
tim_message_get_error_message (TimMessage *self)
{
  RETURN_FIELD (error_message, NULL);
}

GFile *
tim_message_get_local_file (TimMessage *self)
{
  RETURN_FIELD (local_file, NULL);
}

const char *
tim_message_get_text (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  if (self->elem_type != TIM_ELEM_TEXT || self->payload == NULL)
    return NULL;
  return tim_json_get_string (self->payload, "text");
}

char *
tim_message_dup_message_for_show (TimMessage *self)
{
  g_autoptr (JsonArray) body = json_array_new ();
  JsonObject *elem = json_object_new ();
  JsonObject *content = json_object_new ();
  const char *text;

  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);

  /* The core knows the seed's placeholders; it only needs the type and, for text, the text. */
  text = tim_message_get_text (self);
  json_object_set_string_member (elem, "MsgType",
                                 self->type_string != NULL ? self->type_string : "");
  json_object_set_string_member (content, "Text", text != NULL ? text : "");
  json_object_set_object_member (elem, "MsgContent", content);
  json_array_add_object_element (body, elem);
  return tim_msg_body_message_for_show (body, TRUE);
}

char *
tim_message_dup_summary (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);

  switch (tim_message_get_elem_type (self))
    {
    case TIM_ELEM_TEXT:
      return g_strdup (tim_message_get_text (self) ?: "");
    case TIM_ELEM_IMAGE:
      return g_strdup (_ ("[Image]"));
    case TIM_ELEM_SOUND:
      return g_strdup (_ ("[Voice Message]"));
    case TIM_ELEM_VIDEO:
      return g_strdup (_ ("[Video]"));
    case TIM_ELEM_FILE:
      return g_strdup (_ ("[File]"));
    case TIM_ELEM_FACE:
      return g_strdup (_ ("[Sticker]"));
    case TIM_ELEM_LOCATION:
      return g_strdup (_ ("[Location]"));
    case TIM_ELEM_CUSTOM:
      return g_strdup (_ ("[Custom Message]"));
    case TIM_ELEM_RELAY:
      return g_strdup (_ ("[Chat History]"));
    case TIM_ELEM_GROUP_TIP:
      return g_strdup (_ ("[Group Notification]"));
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
      return g_strdup (_ ("[Group Notice]"));
    case TIM_ELEM_UNKNOWN:
    default:
      /* A kind this version does not know (the SDK's newer ones): its wire placeholder, if
       * any, says more than nothing. */
      return tim_message_dup_message_for_show (self);
    }
}
