/* timchat-message-row-application.c: under the notice of an application to join a group (the
 * owner's and admins' notice 1), Refuse and Accept while it waits, then the answer this device
 * gave, or that another gave first. The buttons name the message for the conversation's
 * "conversation.accept-application" and "conversation.refuse-application" (the view asks the
 * reason for a refusal); the row follows the notice's payload, where libtim keeps the answer. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-message-row-private.h"

static GtkWidget *
answer_button (TimchatMessageRow *self, const char *label, const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                    tim_message_get_id (self->message));
  return button;
}

static const char *
answered_text (TimApplicationState state)
{
  switch (state)
    {
    case TIM_APPLICATION_ACCEPTED:
      return _ ("You accepted this request");
    case TIM_APPLICATION_REFUSED:
      return _ ("You declined this request");
    case TIM_APPLICATION_ANSWERED:
    case TIM_APPLICATION_PENDING:
    case TIM_APPLICATION_NONE:
    default:
      return _ ("This request was answered elsewhere");
    }
}

void
_timchat_message_row_update_application (TimchatMessageRow *self)
{
  TimApplicationState state = self->message != NULL
                                  ? tim_message_get_application_state (self->message)
                                  : TIM_APPLICATION_NONE;
  GtkWidget *child;

  if (state == TIM_APPLICATION_NONE || tim_message_get_is_revoked (self->message))
    {
      if (self->application != NULL)
        gtk_widget_set_visible (self->application, FALSE);
      return;
    }
  if (self->application == NULL)
    {
      self->application = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      /* Buttons and a short line, which do not wrap: centring them by halign costs nothing. */
      gtk_widget_set_halign (self->application, GTK_ALIGN_CENTER);
      gtk_widget_insert_before (self->application, GTK_WIDGET (self), self->column);
    }
  while ((child = gtk_widget_get_first_child (self->application)) != NULL)
    gtk_box_remove (GTK_BOX (self->application), child);
  if (state == TIM_APPLICATION_PENDING)
    {
      GtkWidget *accept = answer_button (self, _ ("_Accept"), "conversation.accept-application");

      gtk_widget_add_css_class (accept, "suggested-action");
      gtk_box_append (GTK_BOX (self->application),
                      answer_button (self, _ ("_Decline…"), "conversation.refuse-application"));
      gtk_box_append (GTK_BOX (self->application), accept);
    }
  else
    {
      GtkWidget *label = gtk_label_new (answered_text (state));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (self->application), label);
    }
  gtk_widget_set_visible (self->application, TRUE);
}
