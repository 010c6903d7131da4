/* timchat-composer-reply.c: replying to a message, as in Telegram, Slack or Fractal. Reply mode
 * shows a bar above the text ("Replying to NAME", what the original says on one line, Cancel
 * Reply); whatever is sent next from the conversation (a text, a sticker, the die, a file or a
 * pasted image) quotes the original (tim_message_set_reply_to) and the bar closes. Escape, the
 * bar's close button and switching conversations cancel it. The typed text is left as it is.
 * Replying and editing exclude each other: starting one ends the other. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer-private.h"
#include "timchat-message-content.h"

gboolean
timchat_composer_can_reply_to (TimMessage *message)
{
  TimElemType type;

  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  type = tim_message_get_elem_type (message);
  /* Sent and kept (not "typing…"-style online-only messages), saying something a person said:
   * not a group tip or notice, not a recalled message, not in the Group Notices conversation. */
  return tim_message_get_status (message) == TIM_MESSAGE_STATUS_SUCCESS &&
         !tim_message_get_is_revoked (message) && !tim_message_get_online_only (message) &&
         type != TIM_ELEM_GROUP_TIP && type != TIM_ELEM_GROUP_SYSTEM_NOTICE &&
         tim_message_get_conversation_type (message) != TIM_CONV_SYSTEM;
}

TimMessage *
timchat_composer_get_replying (TimchatComposer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), NULL);
  return self->replying;
}

/* Whom and what: the sender ("yourself" for one's own) and the original on one line, emoji
 * drawn (the bar ellipsizes it). */
static void
show_original (TimchatComposer *self)
{
  TimMessage *original = self->replying;
  g_autofree char *show = tim_message_dup_summary (original);
  g_autofree char *line = timchat_message_content_dup_shown_text (show, NULL);
  g_autofree char *title =
      g_strcmp0 (tim_message_get_flow (original), "out") == 0
          ? g_strdup (_ ("Replying to yourself"))
          : g_strdup_printf (_ ("Replying to %s"), tim_message_get_sender_name (original));

  gtk_label_set_text (self->reply_title, title);
  gtk_label_set_text (self->reply_abstract, g_strdelimit (line, "\r\n\t", ' '));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
}

/* Out of reply mode; the text stays. */
static void
leave (TimchatComposer *self)
{
  if (self->replying == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->replying, self);
  g_clear_object (&self->replying);
  gtk_revealer_set_reveal_child (self->reply_bar, FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->text_view),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

void
timchat_composer_cancel_reply (TimchatComposer *self)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));
  leave (self);
}

/* Recalled while being replied to (here or elsewhere): a quote of it could not be sent. */
static void
on_original_revoked (TimchatComposer *self)
{
  leave (self);
}

gboolean
timchat_composer_reply_to (TimchatComposer *self, TimMessage *message)
{
  TimConvType type;
  const char *target;

  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  if (!timchat_composer_can_reply_to (message) ||
      g_strcmp0 (tim_message_get_conversation_id (message), self->conversation_id) != 0 ||
      !_timchat_composer_get_target (self, &type, &target))
    return FALSE;
  /* Editing ends (its kept draft comes back); replying to another message replaces the quote. */
  timchat_composer_cancel_edit (self);
  if (self->replying != NULL)
    g_signal_handlers_disconnect_by_data (self->replying, self);
  g_set_object (&self->replying, message);
  g_signal_connect_object (message, "notify::is-revoked", G_CALLBACK (on_original_revoked), self,
                           G_CONNECT_SWAPPED);
  /* Edited meanwhile: the bar shows what the quote will say. */
  g_signal_connect_object (message, "notify::payload", G_CALLBACK (show_original), self,
                           G_CONNECT_SWAPPED);
  show_original (self);
  gtk_revealer_set_reveal_child (self->reply_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  return TRUE;
}

TimMessage *
_timchat_composer_take_reply (TimchatComposer *self, TimMessage *message)
{
  g_autoptr (TimMessage) original = NULL;

  if (self->replying == NULL ||
      g_strcmp0 (tim_message_get_conversation_id (message), self->conversation_id) != 0)
    return NULL;
  original = g_object_ref (self->replying);
  leave (self);
  if (!tim_message_set_reply_to (message, original))
    {
      g_debug ("Cannot quote message %s", tim_message_get_id (original));
      return NULL;
    }
  return g_steal_pointer (&original);
}

gboolean
timchat_composer_apply_reply (TimchatComposer *self, TimMessage *message)
{
  g_autoptr (TimMessage) original = NULL;

  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  original = _timchat_composer_take_reply (self, message);
  return original != NULL;
}

gboolean
_timchat_composer_reply_key (TimchatComposer *self, guint keyval, GdkModifierType mods)
{
  if (mods != 0 || keyval != GDK_KEY_Escape || self->replying == NULL)
    return FALSE;
  leave (self);
  return TRUE;
}

static void
cancel_reply_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  timchat_composer_cancel_reply (TIMCHAT_COMPOSER (widget));
}

void
_timchat_composer_class_init_reply (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, reply_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, reply_title);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, reply_abstract);
  gtk_widget_class_install_action (widget_class, "composer.cancel-reply", NULL,
                                   cancel_reply_action);
}

void
_timchat_composer_reply_dispose (TimchatComposer *self)
{
  if (self->replying != NULL)
    g_signal_handlers_disconnect_by_data (self->replying, self);
  g_clear_object (&self->replying);
}
