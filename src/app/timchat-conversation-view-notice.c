/* timchat-conversation-view-notice.c: the bar over the composer that says why messages do not
 * come: "You blocked NAME: they cannot send you messages." with Unblock (win.unblock-user), or,
 * for a conversation whose messages the user does not receive (setMessageRemindType Discard),
 * that they are in its history, with Receive Messages (win.unmute-conversation); the user can
 * still write. Or why the user cannot post in a group (muted there until a time, or only the
 * owner and admins may post): the composer's restriction, while its text is read-only. It
 * follows the blocklist, the conversation and the composer as they change, here or on another
 * device. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-format.h"

static gboolean
is_blocked (TimchatConversationView *self, const char **peer)
{
  return tim_conv_parse_id (self->conversation_id, peer) == TIM_CONV_C2C &&
         tim_client_is_blocked (self->client, *peer);
}

static gboolean
is_discarded (TimchatConversationView *self)
{
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (self->client), self->conversation_id);

  return conversation != NULL && tim_conversation_get_is_discarded (conversation);
}

/* Name and target together: an action that takes a string must never lack one. */
static void
offer (TimchatConversationView *self, const char *text, const char *button_label,
       const char *action, const char *target)
{
  gtk_label_set_text (self->notice_label, text);
  gtk_button_set_label (GTK_BUTTON (self->notice_button), button_label);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->notice_button), "s", target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->notice_button), action);
  gtk_widget_set_visible (self->notice_button, TRUE);
}

void
_timchat_conversation_view_update_notice (TimchatConversationView *self)
{
  const char *peer = NULL;
  gboolean open = self->client != NULL && self->conversation_id != NULL;
  gboolean blocked = open && is_blocked (self, &peer);
  const char *restriction =
      open && !blocked ? timchat_composer_get_restriction (TIMCHAT_COMPOSER (self->composer))
                       : NULL;
  gboolean discarded = open && !blocked && restriction == NULL && is_discarded (self);

  if (blocked)
    {
      /* Translators: over the composer of a person the user blocked; %s is their name. */
      g_autofree char *text = g_strdup_printf (_ ("You blocked %s: they cannot send you messages."),
                                               timchat_format_person_name (self->client, peer));

      offer (self, text, _ ("_Unblock"), "win.unblock-user", peer);
    }
  else if (restriction != NULL)
    {
      /* Nothing the user can do about it here. */
      gtk_label_set_text (self->notice_label, restriction);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->notice_button), NULL);
      gtk_widget_set_visible (self->notice_button, FALSE);
    }
  else if (discarded)
    offer (self,
           self->conversation_type == TIM_CONV_GROUP
               ? _ ("You are not receiving this group’s messages. They are in its history.")
               : _ ("You are not receiving these messages. They are in the history."),
           _ ("_Receive Messages"), "win.unmute-conversation", self->conversation_id);
  else
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->notice_button), NULL);
  gtk_revealer_set_reveal_child (self->notice_bar, blocked || restriction != NULL || discarded);
}

static void
on_restriction_changed (TimchatConversationView *self)
{
  if (self->notice_bar != NULL) /* not while the view's template goes */
    _timchat_conversation_view_update_notice (self);
}

void
_timchat_conversation_view_watch_notice (TimchatConversationView *self)
{
  /* Again for another client: the composer's handler once. */
  g_signal_handlers_disconnect_by_func (self->composer, on_restriction_changed, self);
  g_signal_connect_object (self->composer, "notify::restriction",
                           G_CALLBACK (on_restriction_changed), self, G_CONNECT_SWAPPED);
  if (self->client == NULL)
    return;
  g_signal_connect_object (self->client, "blocklist-updated",
                           G_CALLBACK (_timchat_conversation_view_update_notice), self,
                           G_CONNECT_SWAPPED);
  /* A conversation's remind type changes with a save of the list, here or from elsewhere. */
  g_signal_connect_object (self->client, "conversation-list-updated",
                           G_CALLBACK (_timchat_conversation_view_update_notice), self,
                           G_CONNECT_SWAPPED);
}

void
_timchat_conversation_view_class_init_notice (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, notice_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, notice_label);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, notice_button);
}
