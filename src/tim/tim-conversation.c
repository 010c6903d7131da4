/* tim-conversation.c: TimConversation, the seed's Conversation (tim-sdk-facts.md §3). Read-only
 * properties; libtim updates them through the _tim_conversation_set_*() functions, which notify
 * only on change. This file has the class, the conversation's identity, last message, unread
 * count, pin, marks and profile; the group's part, the peer's and the user's own settings are in
 * tim-conversation-group.c, -peer.c and -settings.c. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-conversation-private.h"

G_DEFINE_FINAL_TYPE (TimConversation, tim_conversation, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

#define RO_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
tim_conversation_dispose (GObject *object)
{
  TimConversation *self = TIM_CONVERSATION (object);

  g_clear_object (&self->last_message);
  g_clear_handle_id (&self->peer_typing_expiry, g_source_remove);

  G_OBJECT_CLASS (tim_conversation_parent_class)->dispose (object);
}

static void
tim_conversation_finalize (GObject *object)
{
  TimConversation *self = TIM_CONVERSATION (object);

  g_free (self->id);
  g_free (self->peer);
  g_free (self->message_for_show);
  g_free (self->profile_name);
  g_free (self->avatar);
  g_free (self->group_type);
  g_free (self->group_introduction);
  g_free (self->group_notification);
  g_free (self->group_self_role);
  g_free (self->draft_text);
  g_free (self->peer_custom_status);
  g_strfreev (self->folders);
  g_free (self->custom_data);

  G_OBJECT_CLASS (tim_conversation_parent_class)->finalize (object);
}

static void
tim_conversation_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimConversation *self = TIM_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_CONVERSATION_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case PROP_PEER:
      g_value_set_string (value, self->peer);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;
    case PROP_LAST_MESSAGE:
      g_value_set_object (value, self->last_message);
      break;
    case PROP_LAST_TIME:
      g_value_set_int64 (value, self->last_time);
      break;
    case PROP_MESSAGE_FOR_SHOW:
      g_value_set_string (value, tim_conversation_get_message_for_show (self));
      break;
    case PROP_IS_PINNED:
      g_value_set_boolean (value, self->is_pinned);
      break;
    case PROP_MARKS:
      g_value_set_uint64 (value, self->marks);
      break;
    case PROP_NAME:
      g_value_set_string (value, tim_conversation_get_name (self));
      break;
    case PROP_AVATAR:
      g_value_set_string (value, self->avatar);
      break;
    case PROP_PEER_READ_TIME:
      g_value_set_int64 (value, self->peer_read_time);
      break;
    case PROP_GROUP_TYPE:
      g_value_set_string (value, self->group_type);
      break;
    case PROP_GROUP_INTRODUCTION:
      g_value_set_string (value, self->group_introduction);
      break;
    case PROP_GROUP_NOTIFICATION:
      g_value_set_string (value, self->group_notification);
      break;
    case PROP_GROUP_MUTE_ALL:
      g_value_set_boolean (value, self->group_mute_all);
      break;
    case PROP_GROUP_SELF_ROLE:
      g_value_set_string (value, self->group_self_role);
      break;
    case PROP_MESSAGE_REMIND_TYPE:
      g_value_set_string (value, tim_conversation_get_message_remind_type (self));
      break;
    case PROP_GROUP_AT_TYPE:
      g_value_set_flags (value, self->group_at_type);
      break;
    case PROP_GROUP_SELF_MUTE_UNTIL:
      g_value_set_int64 (value, self->group_self_mute_until);
      break;
    case PROP_PEER_TYPING:
      g_value_set_boolean (value, self->peer_typing);
      break;
    case PROP_PEER_STATUS:
      g_value_set_enum (value, self->peer_status);
      break;
    case PROP_PEER_CUSTOM_STATUS:
      g_value_set_string (value, tim_conversation_get_peer_custom_status (self));
      break;
    case PROP_DRAFT_TEXT:
      g_value_set_string (value, self->draft_text);
      break;
    case PROP_FOLDERS:
      g_value_set_boxed (value, self->folders);
      break;
    case PROP_CUSTOM_DATA:
      g_value_set_string (value, self->custom_data);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_conversation_class_init (TimConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tim_conversation_dispose;
  object_class->finalize = tim_conversation_finalize;
  object_class->get_property = tim_conversation_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_CONVERSATION_TYPE] = g_param_spec_enum (
      "conversation-type", NULL, NULL, TIM_TYPE_CONV_TYPE, TIM_CONV_INVALID, RO_FLAGS);
  properties[PROP_PEER] = g_param_spec_string ("peer", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_UNREAD_COUNT] =
      g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, RO_FLAGS);
  properties[PROP_LAST_MESSAGE] =
      g_param_spec_object ("last-message", NULL, NULL, TIM_TYPE_MESSAGE, RO_FLAGS);
  properties[PROP_LAST_TIME] =
      g_param_spec_int64 ("last-time", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO_FLAGS);
  properties[PROP_MESSAGE_FOR_SHOW] =
      g_param_spec_string ("message-for-show", NULL, NULL, "", RO_FLAGS);
  properties[PROP_IS_PINNED] = g_param_spec_boolean ("is-pinned", NULL, NULL, FALSE, RO_FLAGS);
  properties[PROP_MARKS] = g_param_spec_uint64 ("marks", NULL, NULL, 0, G_MAXUINT64, 0, RO_FLAGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_AVATAR] = g_param_spec_string ("avatar", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_PEER_READ_TIME] =
      g_param_spec_int64 ("peer-read-time", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO_FLAGS);
  properties[PROP_GROUP_TYPE] = g_param_spec_string ("group-type", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_GROUP_INTRODUCTION] =
      g_param_spec_string ("group-introduction", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_GROUP_NOTIFICATION] =
      g_param_spec_string ("group-notification", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_GROUP_MUTE_ALL] =
      g_param_spec_boolean ("group-mute-all", NULL, NULL, FALSE, RO_FLAGS);
  properties[PROP_GROUP_SELF_ROLE] =
      g_param_spec_string ("group-self-role", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_GROUP_SELF_MUTE_UNTIL] =
      g_param_spec_int64 ("group-self-mute-until", NULL, NULL, 0, G_MAXINT64, 0, RO_FLAGS);
  properties[PROP_MESSAGE_REMIND_TYPE] = g_param_spec_string (
      "message-remind-type", NULL, NULL, TIM_REMIND_ACCEPT_AND_NOTIFY, RO_FLAGS);
  properties[PROP_GROUP_AT_TYPE] = g_param_spec_flags (
      "group-at-type", NULL, NULL, TIM_TYPE_GROUP_AT_TYPE, TIM_GROUP_AT_NONE, RO_FLAGS);
  properties[PROP_PEER_TYPING] = g_param_spec_boolean ("peer-typing", NULL, NULL, FALSE, RO_FLAGS);
  properties[PROP_PEER_STATUS] = g_param_spec_enum ("peer-status", NULL, NULL, TIM_TYPE_USER_STATUS,
                                                    TIM_USER_STATUS_UNKNOWN, RO_FLAGS);
  properties[PROP_PEER_CUSTOM_STATUS] =
      g_param_spec_string ("peer-custom-status", NULL, NULL, "", RO_FLAGS);
  properties[PROP_DRAFT_TEXT] = g_param_spec_string ("draft-text", NULL, NULL, "", RO_FLAGS);
  properties[PROP_FOLDERS] = g_param_spec_boxed ("folders", NULL, NULL, G_TYPE_STRV, RO_FLAGS);
  properties[PROP_CUSTOM_DATA] = g_param_spec_string ("custom-data", NULL, NULL, "", RO_FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tim_conversation_init (TimConversation *self)
{
  self->draft_text = g_strdup ("");
  self->folders = g_new0 (char *, 1);
  self->custom_data = g_strdup ("");
}

TimConversation *
_tim_conversation_new (const char *conversation_id)
{
  TimConversation *self;
  const char *peer = NULL;

  g_return_val_if_fail (conversation_id != NULL, NULL);

  self = g_object_new (TIM_TYPE_CONVERSATION, NULL);
  self->id = g_strdup (conversation_id);
  self->type = tim_conv_parse_id (conversation_id, &peer);
  self->peer = g_strdup (peer != NULL ? peer : conversation_id);
  return self;
}

const char *
tim_conversation_get_id (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->id;
}

TimConvType
tim_conversation_get_conversation_type (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), TIM_CONV_INVALID);
  return self->type;
}

const char *
tim_conversation_get_peer (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->peer;
}

guint
tim_conversation_get_unread_count (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), 0);
  return self->unread_count;
}

TimMessage *
tim_conversation_get_last_message (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->last_message;
}

gint64
tim_conversation_get_last_time (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), 0);
  return self->last_time;
}

const char *
tim_conversation_get_message_for_show (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->message_for_show != NULL ? self->message_for_show : "";
}

gboolean
tim_conversation_get_is_pinned (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), FALSE);
  return self->is_pinned;
}

guint64
tim_conversation_get_marks (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), 0);
  return self->marks;
}

const char *
tim_conversation_get_name (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  /* The SDK's "@TIM#SYSTEM" holds the group system notices (invited, removed, dismissed...). */
  if (self->type == TIM_CONV_SYSTEM)
    return _ ("Group Notices");
  return self->profile_name != NULL && self->profile_name[0] != '\0' ? self->profile_name
                                                                     : self->peer;
}

const char *
tim_conversation_get_avatar (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->avatar;
}

/* ---- private setters ---- */

void
_tim_conversation_notify (TimConversation *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_tim_conversation_set_string (TimConversation *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  _tim_conversation_notify (self, prop);
}

void
_tim_conversation_set_unread_count (TimConversation *self, guint unread)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (self->unread_count == unread)
    return;
  self->unread_count = unread;
  _tim_conversation_notify (self, PROP_UNREAD_COUNT);
  /* A mention is news only while unread (the SDK clears groupAtInfoList on setMessageRead). */
  if (unread == 0)
    _tim_conversation_set_group_at_type (self, TIM_GROUP_AT_NONE);
}

/* The last time follows the message (the seed's lastMessage.lastTime); without a message (a
 * page_get item) the caller sets it with _tim_conversation_set_last_time(). A NULL
 * message_for_show is computed from the message. */
void
_tim_conversation_set_last_message (TimConversation *self, TimMessage *message,
                                    const char *message_for_show)
{
  g_autofree char *computed = NULL;

  g_return_if_fail (TIM_IS_CONVERSATION (self));
  g_return_if_fail (message == NULL || TIM_IS_MESSAGE (message));

  if (message_for_show == NULL && message != NULL)
    message_for_show = computed = tim_message_dup_message_for_show (message);
  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->last_message, message))
    _tim_conversation_notify (self, PROP_LAST_MESSAGE);
  _tim_conversation_set_string (self, &self->message_for_show,
                                message_for_show != NULL ? message_for_show : "",
                                PROP_MESSAGE_FOR_SHOW);
  if (message != NULL)
    _tim_conversation_set_last_time (self, tim_message_get_time (message));
  g_object_thaw_notify (G_OBJECT (self));
}

void
_tim_conversation_set_last_time (TimConversation *self, gint64 time)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (self->last_time == time)
    return;
  self->last_time = time;
  _tim_conversation_notify (self, PROP_LAST_TIME);
}

guint64
_tim_conversation_get_arrival (TimConversation *self)
{
  return self->arrival;
}

void
_tim_conversation_set_arrival (TimConversation *self, guint64 arrival)
{
  self->arrival = arrival;
}

gint64
_tim_conversation_get_newest_seq (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), 0);
  return self->newest_seq;
}

void
_tim_conversation_note_seq (TimConversation *self, gint64 seq)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  self->newest_seq = MAX (self->newest_seq, seq);
}

gint64
_tim_conversation_get_listed_seq (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), 0);
  return self->listed_seq;
}

void
_tim_conversation_note_listed_seq (TimConversation *self, gint64 seq)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  self->listed_seq = MAX (self->listed_seq, seq);
}

void
_tim_conversation_set_is_pinned (TimConversation *self, gboolean pinned)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  pinned = !!pinned;
  if (self->is_pinned == pinned)
    return;
  self->is_pinned = pinned;
  _tim_conversation_notify (self, PROP_IS_PINNED);
}

void
_tim_conversation_set_marks (TimConversation *self, guint64 marks)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (self->marks == marks)
    return;
  self->marks = marks;
  _tim_conversation_notify (self, PROP_MARKS);
}

gboolean
_tim_conversation_set_profile (TimConversation *self, const char *name, const char *avatar)
{
  g_autofree char *old_name = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (TIM_IS_CONVERSATION (self), FALSE);

  old_name = g_strdup (tim_conversation_get_name (self));
  g_object_freeze_notify (G_OBJECT (self));
  g_free (self->profile_name);
  self->profile_name = g_strdup (name);
  if (g_strcmp0 (old_name, tim_conversation_get_name (self)) != 0)
    {
      _tim_conversation_notify (self, PROP_NAME);
      changed = TRUE;
    }
  if (g_strcmp0 (self->avatar, avatar) != 0)
    {
      _tim_conversation_set_string (self, &self->avatar, avatar, PROP_AVATAR);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));
  return changed;
}

gboolean
_tim_conversation_update_profile (TimConversation *self, const char *name, const char *avatar)
{
  /* Copies: _tim_conversation_set_profile () frees the old values before taking the new. */
  g_autofree char *kept_name = NULL;
  g_autofree char *kept_avatar = NULL;

  g_return_val_if_fail (TIM_IS_CONVERSATION (self), FALSE);
  kept_name = g_strdup (name != NULL ? name : self->profile_name);
  kept_avatar = g_strdup (avatar != NULL ? avatar : self->avatar);
  return _tim_conversation_set_profile (self, kept_name, kept_avatar);
}
