/* timchat-conversation-view-blocked.c: over the composer of a person the user blocked, "You
 * blocked NAME: they cannot send you messages." with Unblock (win.unblock-user). It follows the
 * blocklist as it changes, here or on another device; the user can still write. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-view-private.h"
#include "timchat-format.h"

void
_timchat_conversation_view_update_blocked (TimchatConversationView *self)
{
  const char *peer = NULL;
  gboolean blocked = self->client != NULL && self->conversation_id != NULL &&
                     tim_conv_parse_id (self->conversation_id, &peer) == TIM_CONV_C2C &&
                     tim_client_is_blocked (self->client, peer);

  if (blocked)
    {
      /* Translators: over the composer of a person the user blocked; %s is their name. */
      g_autofree char *text = g_strdup_printf (_ ("You blocked %s: they cannot send you messages."),
                                               timchat_format_person_name (self->client, peer));

      gtk_label_set_text (self->blocked_label, text);
      /* Name and target together: an action that takes a string must never lack one. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->unblock_button), "s", peer);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->unblock_button), "win.unblock-user");
    }
  else
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->unblock_button), NULL);
  gtk_revealer_set_reveal_child (self->blocked_bar, blocked);
}

void
_timchat_conversation_view_watch_blocklist (TimchatConversationView *self)
{
  if (self->client != NULL)
    g_signal_connect_object (self->client, "blocklist-updated",
                             G_CALLBACK (_timchat_conversation_view_update_blocked), self,
                             G_CONNECT_SWAPPED);
}

void
_timchat_conversation_view_class_init_blocked (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, blocked_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, blocked_label);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, unblock_button);
}
