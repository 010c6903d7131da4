/* tim-conversation-group.c: what a group's conversation says of the group (type, introduction,
 * announcement, mute-all) and of the user in it (role, own mute, unread mentions), and whether
 * the user may post. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-conversation-private.h"

const char *
tim_conversation_get_group_type (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->group_type;
}

const char *
tim_conversation_get_group_introduction (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->group_introduction;
}

const char *
tim_conversation_get_group_notification (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->group_notification;
}

gboolean
tim_conversation_get_group_mute_all (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), FALSE);
  return self->group_mute_all;
}

const char *
tim_conversation_get_group_self_role (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return self->group_self_role;
}

gint64
tim_conversation_get_group_self_mute_until (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), 0);
  return self->group_self_mute_until;
}

gboolean
tim_conversation_get_can_post (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), FALSE);
  if (self->group_self_mute_until > g_get_real_time () / G_USEC_PER_SEC)
    return FALSE;
  return !self->group_mute_all || g_strcmp0 (self->group_self_role, "Member") != 0;
}

TimGroupAtType
tim_conversation_get_group_at_type (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), TIM_GROUP_AT_NONE);
  return self->group_at_type;
}

void
_tim_conversation_set_group_type (TimConversation *self, const char *group_type)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  _tim_conversation_set_string (self, &self->group_type, group_type, PROP_GROUP_TYPE);
}

void
_tim_conversation_set_group_info (TimConversation *self, const char *introduction,
                                  const char *notification, int mute_all)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  g_object_freeze_notify (G_OBJECT (self));
  if (introduction != NULL)
    _tim_conversation_set_string (self, &self->group_introduction, introduction,
                                  PROP_GROUP_INTRODUCTION);
  if (notification != NULL)
    _tim_conversation_set_string (self, &self->group_notification, notification,
                                  PROP_GROUP_NOTIFICATION);
  if (mute_all >= 0 && self->group_mute_all != (mute_all != 0))
    {
      self->group_mute_all = mute_all != 0;
      _tim_conversation_notify (self, PROP_GROUP_MUTE_ALL);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_tim_conversation_set_group_self_role (TimConversation *self, const char *role)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (role != NULL)
    _tim_conversation_set_string (self, &self->group_self_role, role, PROP_GROUP_SELF_ROLE);
}

void
_tim_conversation_set_group_self_mute_until (TimConversation *self, gint64 mute_until)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (mute_until < 0 || self->group_self_mute_until == mute_until)
    return;
  self->group_self_mute_until = mute_until;
  _tim_conversation_notify (self, PROP_GROUP_SELF_MUTE_UNTIL);
}

void
_tim_conversation_set_group_at_type (TimConversation *self, TimGroupAtType type)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (self->group_at_type == type)
    return;
  self->group_at_type = type;
  _tim_conversation_notify (self, PROP_GROUP_AT_TYPE);
}
