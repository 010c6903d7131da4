/* tim-message-state.c: how libtim changes a message as it goes: sent, stored, read, recalled,
 * edited, its upload's progress, its failure. Each setter notifies only when the value changes;
 * the class is tim-message.c's, its getters tim-message-getters.c's. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-json.h"
#include "tim-message-private.h"

static void
set_string (TimMessage *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  _tim_message_notify (self, prop);
}

static void
set_int64 (TimMessage *self, gint64 *field, gint64 value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  _tim_message_notify (self, prop);
}

static void
set_boolean (TimMessage *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  _tim_message_notify (self, prop);
}

void
_tim_message_set_status (TimMessage *self, TimMessageStatus status)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  if (self->status == status)
    return;
  self->status = status;
  _tim_message_notify (self, MESSAGE_PROP_STATUS);
}

void
_tim_message_set_priority (TimMessage *self, TimPriority priority)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  if (self->priority == priority)
    return;
  self->priority = priority;
  _tim_message_notify (self, MESSAGE_PROP_PRIORITY);
}

void
_tim_message_set_time (TimMessage *self, gint64 time)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  set_int64 (self, &self->time, time, MESSAGE_PROP_TIME);
}

void
_tim_message_set_server_seq (TimMessage *self, gint64 server_seq)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  set_int64 (self, &self->server_seq, server_seq, MESSAGE_PROP_SERVER_SEQ);
}

void
_tim_message_set_sequence (TimMessage *self, gint64 sequence)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  set_int64 (self, &self->sequence, sequence, MESSAGE_PROP_SEQUENCE);
}

void
_tim_message_set_sender_tinyid (TimMessage *self, const char *tinyid)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  if (g_strcmp0 (self->sender_tinyid, tinyid) == 0)
    return;
  g_free (self->sender_tinyid);
  self->sender_tinyid = g_strdup (tinyid);
  _tim_message_update_id (self);
  _tim_message_notify (self, MESSAGE_PROP_SENDER_TINYID);
  _tim_message_notify (self, MESSAGE_PROP_ID);
}

/* A recalled message no longer says anything, here as on the server (which empties it and
 * removes its files): it stays as a placeholder of no element type, with no payload, custom data
 * or local file. */
static void
forget_content (TimMessage *self)
{
  g_autoptr (JsonObject) empty = json_object_new ();

  _tim_message_set_payload (self, empty);
  g_clear_pointer (&self->wire_body, json_array_unref);
  self->wire_body = json_array_new ();
  if (self->elem_type != TIM_ELEM_UNKNOWN)
    {
      self->elem_type = TIM_ELEM_UNKNOWN;
      _tim_message_notify (self, MESSAGE_PROP_ELEM_TYPE);
    }
  /* The kind of message it was (type_string) stays: it says nothing of what it said, and the
   * SDK's recalled message keeps its type. */
  set_string (self, &self->cloud_custom_data, "", MESSAGE_PROP_CLOUD_CUSTOM_DATA);
  _tim_message_set_at_user_list (self, NULL);
  _tim_message_set_local_file (self, NULL);
}

void
_tim_message_set_revoked (TimMessage *self, const char *revoker)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  g_object_freeze_notify (G_OBJECT (self));
  set_boolean (self, &self->is_revoked, TRUE, MESSAGE_PROP_IS_REVOKED);
  /* A notice without a revoker keeps the one we know. */
  if (revoker != NULL)
    set_string (self, &self->revoker, revoker, MESSAGE_PROP_REVOKER);
  forget_content (self);
  g_object_thaw_notify (G_OBJECT (self));
}

GStrv
_tim_message_dup_media_urls (TimMessage *self)
{
  g_autoptr (GStrvBuilder) urls = g_strv_builder_new ();
  const char *found[] = {
    tim_message_get_image (self, TIM_IMAGE_ORIGINAL, NULL, NULL),
    tim_message_get_image (self, TIM_IMAGE_THUMBNAIL, NULL, NULL),
    tim_message_get_image (self, TIM_IMAGE_LARGE, NULL, NULL),
    tim_message_get_media_url (self),
    tim_message_get_video_thumb (self, NULL, NULL),
  };

  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (found); i++)
    if (found[i] != NULL && *found[i] != '\0')
      g_strv_builder_add (urls, found[i]);
  return g_strv_builder_end (urls);
}

void
_tim_message_set_is_peer_read (TimMessage *self, gboolean is_peer_read)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  set_boolean (self, &self->is_peer_read, is_peer_read, MESSAGE_PROP_IS_PEER_READ);
}

void
_tim_message_set_is_read (TimMessage *self, gboolean is_read)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  set_boolean (self, &self->is_read, is_read, MESSAGE_PROP_IS_READ);
}

void
_tim_message_set_upload (TimMessage *self, goffset sent, goffset total)
{
  double old_progress;

  g_return_if_fail (TIM_IS_MESSAGE (self));
  old_progress = tim_message_get_upload_progress (self);
  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->upload_sent, sent, MESSAGE_PROP_UPLOAD_SENT);
  set_int64 (self, &self->upload_total, total, MESSAGE_PROP_UPLOAD_TOTAL);
  if (tim_message_get_upload_progress (self) != old_progress)
    _tim_message_notify (self, MESSAGE_PROP_UPLOAD_PROGRESS);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_tim_message_set_error (TimMessage *self, int code, const char *message)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  g_object_freeze_notify (G_OBJECT (self));
  if (self->error_code != code)
    {
      self->error_code = code;
      _tim_message_notify (self, MESSAGE_PROP_ERROR_CODE);
    }
  set_string (self, &self->error_message, message, MESSAGE_PROP_ERROR_MESSAGE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_tim_message_set_payload (TimMessage *self, JsonObject *payload)
{
  g_autofree char *old_text = NULL;

  g_return_if_fail (TIM_IS_MESSAGE (self));
  g_return_if_fail (payload != NULL);

  if (self->payload != NULL && json_object_equal (self->payload, payload))
    return;
  old_text = g_strdup (tim_message_get_text (self));
  g_clear_pointer (&self->payload, json_object_unref);
  self->payload = tim_json_object_copy (payload);
  g_object_freeze_notify (G_OBJECT (self));
  _tim_message_notify (self, MESSAGE_PROP_PAYLOAD);
  if (g_strcmp0 (old_text, tim_message_get_text (self)) != 0)
    _tim_message_notify (self, MESSAGE_PROP_TEXT);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_tim_message_set_local_file (TimMessage *self, GFile *file)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->local_file == file ||
      (self->local_file != NULL && file != NULL && g_file_equal (self->local_file, file)))
    return;
  g_set_object (&self->local_file, file);
  _tim_message_notify (self, MESSAGE_PROP_LOCAL_FILE);
}

void
_tim_message_set_cloud_custom_data (TimMessage *self, const char *data)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  set_string (self, &self->cloud_custom_data, data != NULL ? data : "",
              MESSAGE_PROP_CLOUD_CUSTOM_DATA);
}

void
_tim_message_set_online_only (TimMessage *self, gboolean online_only)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  set_boolean (self, &self->online_only, online_only, MESSAGE_PROP_ONLINE_ONLY);
}

void
_tim_message_set_control (TimMessage *self, TimMsgControl control)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  self->control = control;
}

void
_tim_message_set_at_user_list (TimMessage *self, const char *const *at_users)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  if (at_users != NULL && at_users[0] == NULL)
    at_users = NULL;
  if (self->at_user_list == NULL && at_users == NULL)
    return;
  if (self->at_user_list != NULL && at_users != NULL &&
      g_strv_equal ((const char *const *) self->at_user_list, at_users))
    return;
  g_strfreev (self->at_user_list);
  self->at_user_list = g_strdupv ((char **) at_users);
  _tim_message_notify (self, MESSAGE_PROP_AT_USER_LIST);
}

void
_tim_message_set_sender_profile (TimMessage *self, const char *nick, const char *avatar)
{
  g_return_if_fail (TIM_IS_MESSAGE (self));
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->nick, nick, MESSAGE_PROP_NICK);
  set_string (self, &self->avatar, avatar, MESSAGE_PROP_AVATAR);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
_tim_message_apply_edit (TimMessage *self, JsonArray *body, const char *cloud_custom_data,
                         gint64 version)
{
  JsonObject *elem = body != NULL ? tim_json_array_get_object (body, 0) : NULL;
  g_autoptr (JsonObject) payload = NULL;
  TimElemType type = TIM_ELEM_UNKNOWN;

  g_return_val_if_fail (TIM_IS_MESSAGE (self), FALSE);
  /* Older or the same (our own edit's reply, then its echo): nothing new. A recalled message
   * keeps nothing, edits included. */
  if (version <= self->version || self->is_revoked || elem == NULL ||
      (payload = tim_elem_to_payload (elem, &type)) == NULL || type != self->elem_type)
    return FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  _tim_message_set_payload (self, payload);
  g_clear_pointer (&self->wire_body, json_array_unref);
  self->wire_body = json_array_ref (body);
  if (cloud_custom_data != NULL)
    set_string (self, &self->cloud_custom_data, cloud_custom_data, MESSAGE_PROP_CLOUD_CUSTOM_DATA);
  self->version = version;
  _tim_message_notify (self, MESSAGE_PROP_VERSION);
  set_boolean (self, &self->is_modified, TRUE, MESSAGE_PROP_IS_MODIFIED);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}
