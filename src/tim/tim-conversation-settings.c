/* tim-conversation-settings.c: what the user keeps with a conversation: how they hear of it
 * (setMessageRemindType), the draft, the folders it is in and their custom data. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-conversation-private.h"

const char *
tim_conversation_get_message_remind_type (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), TIM_REMIND_ACCEPT_AND_NOTIFY);
  return self->remind_type != NULL ? self->remind_type : TIM_REMIND_ACCEPT_AND_NOTIFY;
}

gboolean
tim_conversation_get_is_muted (TimConversation *self)
{
  return g_strcmp0 (tim_conversation_get_message_remind_type (self),
                    TIM_REMIND_ACCEPT_AND_NOTIFY) != 0;
}

gboolean
tim_conversation_get_is_discarded (TimConversation *self)
{
  return g_strcmp0 (tim_conversation_get_message_remind_type (self), TIM_REMIND_DISCARD) == 0;
}

void
_tim_conversation_set_message_remind_type (TimConversation *self, const char *remind_type)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  /* Anything else (an older server's list has none) leaves it as it is. */
  if (tim_remind_flag_from_name (remind_type) < 0 ||
      g_strcmp0 (remind_type, tim_conversation_get_message_remind_type (self)) == 0)
    return;
  self->remind_type = g_intern_string (remind_type);
  _tim_conversation_notify (self, PROP_MESSAGE_REMIND_TYPE);
}

const char *
tim_conversation_get_draft_text (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), "");
  return self->draft_text;
}

void
_tim_conversation_set_draft_text (TimConversation *self, const char *text)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  _tim_conversation_set_string (self, &self->draft_text, text != NULL ? text : "", PROP_DRAFT_TEXT);
}

const char *const *
tim_conversation_get_folders (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), NULL);
  return (const char *const *) self->folders;
}

gboolean
tim_conversation_is_in_folder (TimConversation *self, const char *folder)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), FALSE);
  return folder != NULL && g_strv_contains ((const char *const *) self->folders, folder);
}

void
_tim_conversation_set_folders (TimConversation *self, const char *const *folders)
{
  static const char *const none[] = { NULL };

  g_return_if_fail (TIM_IS_CONVERSATION (self));
  if (folders == NULL)
    folders = none;
  if (g_strv_equal ((const char *const *) self->folders, folders))
    return;
  g_strfreev (self->folders);
  self->folders = g_strdupv ((GStrv) folders);
  _tim_conversation_notify (self, PROP_FOLDERS);
}

const char *
tim_conversation_get_custom_data (TimConversation *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION (self), "");
  return self->custom_data;
}

void
_tim_conversation_set_custom_data (TimConversation *self, const char *custom_data)
{
  g_return_if_fail (TIM_IS_CONVERSATION (self));
  _tim_conversation_set_string (self, &self->custom_data, custom_data != NULL ? custom_data : "",
                                PROP_CUSTOM_DATA);
}
