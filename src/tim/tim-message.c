/* tim-message.c: TimMessage, the seed's Message as a GObject. Every field is a read-only property;
 * libtim changes them through the _tim_message_set_*() setters of tim-message-state.c, which
 * notify only on change. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-json.h"
#include "tim-message-private.h"

G_DEFINE_FINAL_TYPE (TimMessage, tim_message, G_TYPE_OBJECT)

static GParamSpec *properties[MESSAGE_N_PROPS];

#define RO_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
tim_message_finalize (GObject *object)
{
  TimMessage *self = TIM_MESSAGE (object);

  g_free (self->id);
  g_free (self->type_string);
  g_clear_pointer (&self->payload, json_object_unref);
  g_clear_pointer (&self->wire_body, json_array_unref);
  g_free (self->conversation_id);
  g_free (self->from);
  g_free (self->to);
  g_free (self->revoker);
  g_free (self->sender_tinyid);
  g_free (self->nick);
  g_free (self->name_card);
  g_free (self->avatar);
  g_free (self->cloud_custom_data);
  g_strfreev (self->at_user_list);
  g_free (self->error_message);
  g_clear_object (&self->local_file);

  G_OBJECT_CLASS (tim_message_parent_class)->finalize (object);
}

static void
tim_message_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimMessage *self = TIM_MESSAGE (object);

  switch (prop_id)
    {
    case MESSAGE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case MESSAGE_PROP_TYPE:
      g_value_set_string (value, self->type_string);
      break;
    case MESSAGE_PROP_ELEM_TYPE:
      g_value_set_enum (value, self->elem_type);
      break;
    case MESSAGE_PROP_PAYLOAD:
      g_value_set_boxed (value, self->payload);
      break;
    case MESSAGE_PROP_TEXT:
      g_value_set_string (value, tim_message_get_text (self));
      break;
    case MESSAGE_PROP_CONVERSATION_ID:
      g_value_set_string (value, self->conversation_id);
      break;
    case MESSAGE_PROP_CONVERSATION_TYPE:
      g_value_set_enum (value, self->conversation_type);
      break;
    case MESSAGE_PROP_FROM:
      g_value_set_string (value, self->from);
      break;
    case MESSAGE_PROP_TO:
      g_value_set_string (value, self->to);
      break;
    case MESSAGE_PROP_FLOW:
      g_value_set_string (value, tim_message_get_flow (self));
      break;
    case MESSAGE_PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    case MESSAGE_PROP_CLIENT_TIME:
      g_value_set_int64 (value, self->client_time);
      break;
    case MESSAGE_PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case MESSAGE_PROP_IS_REVOKED:
      g_value_set_boolean (value, self->is_revoked);
      break;
    case MESSAGE_PROP_REVOKER:
      g_value_set_string (value, self->revoker);
      break;
    case MESSAGE_PROP_PRIORITY:
      g_value_set_enum (value, self->priority);
      break;
    case MESSAGE_PROP_IS_PEER_READ:
      g_value_set_boolean (value, self->is_peer_read);
      break;
    case MESSAGE_PROP_IS_READ:
      g_value_set_boolean (value, self->is_read);
      break;
    case MESSAGE_PROP_SEQUENCE:
      g_value_set_int64 (value, self->sequence);
      break;
    case MESSAGE_PROP_RANDOM:
      g_value_set_int64 (value, self->random);
      break;
    case MESSAGE_PROP_SERVER_SEQ:
      g_value_set_int64 (value, self->server_seq);
      break;
    case MESSAGE_PROP_SENDER_TINYID:
      g_value_set_string (value, self->sender_tinyid);
      break;
    case MESSAGE_PROP_NICK:
      g_value_set_string (value, self->nick);
      break;
    case MESSAGE_PROP_NAME_CARD:
      g_value_set_string (value, self->name_card);
      break;
    case MESSAGE_PROP_AVATAR:
      g_value_set_string (value, self->avatar);
      break;
    case MESSAGE_PROP_CLOUD_CUSTOM_DATA:
      g_value_set_string (value, self->cloud_custom_data);
      break;
    case MESSAGE_PROP_AT_USER_LIST:
      g_value_set_boxed (value, self->at_user_list);
      break;
    case MESSAGE_PROP_ONLINE_ONLY:
      g_value_set_boolean (value, self->online_only);
      break;
    case MESSAGE_PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case MESSAGE_PROP_IS_MODIFIED:
      g_value_set_boolean (value, self->is_modified);
      break;
    case MESSAGE_PROP_UPLOAD_SENT:
      g_value_set_int64 (value, self->upload_sent);
      break;
    case MESSAGE_PROP_UPLOAD_TOTAL:
      g_value_set_int64 (value, self->upload_total);
      break;
    case MESSAGE_PROP_UPLOAD_PROGRESS:
      g_value_set_double (value, tim_message_get_upload_progress (self));
      break;
    case MESSAGE_PROP_ERROR_CODE:
      g_value_set_int (value, self->error_code);
      break;
    case MESSAGE_PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case MESSAGE_PROP_LOCAL_FILE:
      g_value_set_object (value, self->local_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_string (guint prop, const char *name)
{
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, RO_FLAGS);
}

static void
install_int64 (guint prop, const char *name)
{
  properties[prop] = g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, RO_FLAGS);
}

static void
install_boolean (guint prop, const char *name)
{
  properties[prop] = g_param_spec_boolean (name, NULL, NULL, FALSE, RO_FLAGS);
}

static void
tim_message_class_init (TimMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tim_message_finalize;
  object_class->get_property = tim_message_get_property;

  install_string (MESSAGE_PROP_ID, "id");
  install_string (MESSAGE_PROP_TYPE, "type");
  properties[MESSAGE_PROP_ELEM_TYPE] =
      g_param_spec_enum ("elem-type", NULL, NULL, TIM_TYPE_ELEM_TYPE, TIM_ELEM_UNKNOWN, RO_FLAGS);
  properties[MESSAGE_PROP_PAYLOAD] =
      g_param_spec_boxed ("payload", NULL, NULL, JSON_TYPE_OBJECT, RO_FLAGS);
  install_string (MESSAGE_PROP_TEXT, "text");
  install_string (MESSAGE_PROP_CONVERSATION_ID, "conversation-id");
  properties[MESSAGE_PROP_CONVERSATION_TYPE] = g_param_spec_enum (
      "conversation-type", NULL, NULL, TIM_TYPE_CONV_TYPE, TIM_CONV_INVALID, RO_FLAGS);
  install_string (MESSAGE_PROP_FROM, "from");
  install_string (MESSAGE_PROP_TO, "to");
  install_string (MESSAGE_PROP_FLOW, "flow");
  install_int64 (MESSAGE_PROP_TIME, "time");
  install_int64 (MESSAGE_PROP_CLIENT_TIME, "client-time");
  properties[MESSAGE_PROP_STATUS] = g_param_spec_enum (
      "status", NULL, NULL, TIM_TYPE_MESSAGE_STATUS, TIM_MESSAGE_STATUS_UNSENT, RO_FLAGS);
  install_boolean (MESSAGE_PROP_IS_REVOKED, "is-revoked");
  install_string (MESSAGE_PROP_REVOKER, "revoker");
  properties[MESSAGE_PROP_PRIORITY] =
      g_param_spec_enum ("priority", NULL, NULL, TIM_TYPE_PRIORITY, TIM_PRIORITY_NORMAL, RO_FLAGS);
  install_boolean (MESSAGE_PROP_IS_PEER_READ, "is-peer-read");
  install_boolean (MESSAGE_PROP_IS_READ, "is-read");
  install_int64 (MESSAGE_PROP_SEQUENCE, "sequence");
  install_int64 (MESSAGE_PROP_RANDOM, "random");
  install_int64 (MESSAGE_PROP_SERVER_SEQ, "server-seq");
  install_string (MESSAGE_PROP_SENDER_TINYID, "sender-tinyid");
  install_string (MESSAGE_PROP_NICK, "nick");
  install_string (MESSAGE_PROP_NAME_CARD, "name-card");
  install_string (MESSAGE_PROP_AVATAR, "avatar");
  install_string (MESSAGE_PROP_CLOUD_CUSTOM_DATA, "cloud-custom-data");
  properties[MESSAGE_PROP_AT_USER_LIST] =
      g_param_spec_boxed ("at-user-list", NULL, NULL, G_TYPE_STRV, RO_FLAGS);
  install_boolean (MESSAGE_PROP_ONLINE_ONLY, "online-only");
  install_int64 (MESSAGE_PROP_VERSION, "version");
  install_boolean (MESSAGE_PROP_IS_MODIFIED, "is-modified");
  install_int64 (MESSAGE_PROP_UPLOAD_SENT, "upload-sent");
  install_int64 (MESSAGE_PROP_UPLOAD_TOTAL, "upload-total");
  properties[MESSAGE_PROP_UPLOAD_PROGRESS] =
      g_param_spec_double ("upload-progress", NULL, NULL, 0.0, 1.0, 0.0, RO_FLAGS);
  properties[MESSAGE_PROP_ERROR_CODE] =
      g_param_spec_int ("error-code", NULL, NULL, G_MININT, G_MAXINT, 0, RO_FLAGS);
  install_string (MESSAGE_PROP_ERROR_MESSAGE, "error-message");
  properties[MESSAGE_PROP_LOCAL_FILE] =
      g_param_spec_object ("local-file", NULL, NULL, G_TYPE_FILE, RO_FLAGS);

  g_object_class_install_properties (object_class, MESSAGE_N_PROPS, properties);
}

static void
tim_message_init (TimMessage *self)
{
  self->status = TIM_MESSAGE_STATUS_UNSENT;
  self->priority = TIM_PRIORITY_NORMAL;
  self->payload = json_object_new ();
}

void
_tim_message_update_id (TimMessage *self)
{
  g_free (self->id);
  self->id = g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                              self->sender_tinyid != NULL ? self->sender_tinyid : "",
                              self->client_time, self->random);
}

TimMessage *
_tim_message_new_outgoing (const char *from, const char *sender_tinyid, const char *to,
                           TimConvType conv_type, TimElemType type, JsonObject *payload,
                           gint64 client_time, gint64 random, gint64 sequence, TimPriority priority)
{
  TimMessage *self = g_object_new (TIM_TYPE_MESSAGE, NULL);

  self->from = g_strdup (from);
  self->sender_tinyid = g_strdup (sender_tinyid);
  self->to = g_strdup (to);
  self->conversation_type = conv_type;
  self->conversation_id = tim_conv_make_id (conv_type, to);
  self->elem_type = type;
  self->type_string = g_strdup (tim_elem_type_to_string (type));
  if (payload != NULL)
    {
      g_clear_pointer (&self->payload, json_object_unref);
      self->payload = tim_json_object_copy (payload);
    }
  self->flow_out = TRUE;
  self->is_read = TRUE;
  /* The seed stamps a new message with the local time; ours is the adjusted clock. */
  self->time = client_time;
  self->client_time = client_time;
  self->random = random;
  self->sequence = sequence;
  self->priority = priority;
  self->status = TIM_MESSAGE_STATUS_UNSENT;
  _tim_message_update_id (self);
  return self;
}

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

void
_tim_message_notify (TimMessage *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}
