/* timchat-conversation-view-application.c: answering an application to join a group from its
 * notice (the group notices' conversation): "conversation.accept-application" at once,
 * "conversation.refuse-application" after asking what to tell the applicant. The notice shows the
 * answer (libtim keeps it in the notice); a failure, or another admin's answer first, is a
 * toast. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-conversation-view-private.h"
#include "timchat-dialogs.h"

static void
answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (tim_client_handle_group_application_finish (TIM_CLIENT (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = g_error_matches (error, TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED)
             ? g_strdup (_ ("This request was answered already"))
             : timchat_describe_error (error);
  _timchat_conversation_view_toast (self, text);
}

static void
answer (TimchatConversationView *self, TimMessage *notice, gboolean agree, const char *reason)
{
  tim_client_handle_group_application_async (self->client, notice, agree, reason, NULL, answered,
                                             g_object_ref (self));
}

static void
accept_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *notice = _timchat_conversation_view_lookup (self, g_variant_get_string (param, NULL));

  if (notice != NULL)
    answer (self, notice, TRUE, NULL);
}

static void
on_refuse_response (AdwMessageDialog *dialog, const char *response, TimchatConversationView *self)
{
  TimMessage *notice = g_object_get_data (G_OBJECT (dialog), "notice");

  if (g_str_equal (response, "decline"))
    answer (self, notice, FALSE, timchat_decline_dialog_get_reason (GTK_WIDGET (dialog)));
}

static void
refuse_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *notice = _timchat_conversation_view_lookup (self, g_variant_get_string (param, NULL));
  GtkWidget *dialog;
  GtkRoot *root;

  if (notice == NULL)
    return;
  root = gtk_widget_get_root (widget);
  dialog = timchat_decline_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_object_set_data_full (G_OBJECT (dialog), "notice", g_object_ref (notice), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refuse_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_timchat_conversation_view_class_init_application (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conversation.accept-application", "s",
                                   accept_action);
  gtk_widget_class_install_action (widget_class, "conversation.refuse-application", "s",
                                   refuse_action);
}
