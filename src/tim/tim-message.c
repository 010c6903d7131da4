/* tim-message.c: TimMessage, the seed's Message as a GObject. Every field is a read-only property;
 * libtim changes them through the _tim_message_set_*() setters of tim-message-state.c, which
 * notify only on change. The public getters and the summary a list shows are in
 * tim-message-getters.c. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

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

void
_tim_message_notify (TimMessage *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}
