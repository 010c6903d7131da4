/* tim-conversation-peer.c: what a C2C conversation says of the peer as it happens: up to when
 * they have read, whether they are typing (for a while only), their status and custom status. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-conversation-private.h"

gint64
tim_conversation_get_peer_read_time (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), 0);
  return self->peer_read_time;
}

void
_tim_conversation_set_peer_read_time (TimConversation *self, gint64 time)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (self->peer_read_time == time)
    return;
  self->peer_read_time = time;
  _tim_conversation_notify (self, PROP_PEER_READ_TIME);
}

gboolean
tim_conversation_get_peer_typing (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), FALSE);
  return self->peer_typing;
}

static gboolean
peer_typing_expired (gpointer user_data)
{
  TimConversation *self = user_data;

  self->peer_typing_expiry = 0;
  _tim_conversation_set_peer_typing (self, FALSE, 0);
  return G_SOURCE_REMOVE;
}

void
_tim_conversation_set_peer_typing (TimConversation *self, gboolean typing, guint expire_ms)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  /* A notice that is never followed by "stopped" (the peer's app closed) must not leave the
   * conversation typing for good. */
  g_clear_handle_id (&self->peer_typing_expiry, g_source_remove);
  if (typing)
    self->peer_typing_expiry = g_timeout_add (expire_ms, peer_typing_expired, self);
  if (self->peer_typing == typing)
    return;
  self->peer_typing = typing;
  _tim_conversation_notify (self, PROP_PEER_TYPING);
}

TimUserStatus
tim_conversation_get_peer_status (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), TIM_USER_STATUS_UNKNOWN);
  return self->peer_status;
}

void
_tim_conversation_set_peer_status (TimConversation *self, TimUserStatus status)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (self->peer_status == status || self->type != TIM_CONV_C2C)
    return;
  self->peer_status = status;
  _tim_conversation_notify (self, PROP_PEER_STATUS);
}

const char *
tim_conversation_get_peer_custom_status (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), "");
  return self->peer_custom_status != NULL ? self->peer_custom_status : "";
}

void
_tim_conversation_set_peer_custom_status (TimConversation *self, const char *custom_status)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (g_strcmp0 (tim_conversation_get_peer_custom_status (self),
                 custom_status != NULL ? custom_status : "") == 0 ||
      self->type != TIM_CONV_C2C)
    return;
  g_free (self->peer_custom_status);
  self->peer_custom_status = g_strdup (custom_status);
  _tim_conversation_notify (self, PROP_PEER_CUSTOM_STATUS);
}
