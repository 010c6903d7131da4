/* timchat-group-dialog-requests.c: the requests to join the group that wait for an answer, shown
 * to its owner and admins above the members: who asks (name and ID), what they said, and Decline…
 * (which asks what to tell them) then Accept, as on the request's notice. A manager who missed
 * the notice, or became one after it, answers here. The list follows the group: it is asked for
 * again whenever the members are (a tip of the group) and when a request's notice comes. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-dialogs.h"
#include "timchat-group-dialog-private.h"

static gboolean
is_manager (TimchatGroupDialog *self)
{
  const TimGroupMember *me = _timchat_group_dialog_find_me (self);

  return me != NULL && (g_strcmp0 (me->role, "Owner") == 0 || g_strcmp0 (me->role, "Admin") == 0);
}

static char *
request_title (const TimGroupApplication *application)
{
  if (application->applicant_nick[0] == '\0' ||
      g_str_equal (application->applicant_nick, application->applicant))
    return g_strdup (application->applicant);
  /* Translators: who asks to join a group: their nickname, then their user ID. */
  return g_strdup_printf (_ ("%s (%s)"), application->applicant_nick, application->applicant);
}

static const char *
request_subtitle (const TimGroupApplication *application)
{
  return application->message[0] != '\0' ? application->message : _ ("No message");
}

static GtkWidget *
answer_button (const char *label, const char *action, const char *applicant)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", applicant);
  return button;
}

static void
show_requests (TimchatGroupDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->request_list))) != NULL)
    gtk_list_box_remove (self->request_list, child);
  for (guint i = 0; self->requests != NULL && i < self->requests->len; i++)
    {
      const TimGroupApplication *application = self->requests->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = request_title (application);
      GtkWidget *accept =
          answer_button (_ ("_Accept"), "group.accept-request", application->applicant);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), request_subtitle (application));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_add_css_class (accept, "suggested-action");
      /* The affirmative answer last, as GNOME orders them (and as the request's notice does). */
      adw_action_row_add_suffix (
          ADW_ACTION_ROW (row),
          answer_button (_ ("_Decline…"), "group.refuse-request", application->applicant));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), accept);
      gtk_list_box_append (self->request_list, row);
    }
  gtk_widget_set_visible (self->requests_group, self->requests != NULL && self->requests->len > 0);
}

static void
requests_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) applications =
      tim_client_get_group_applications_finish (TIM_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->requests_loading);
  if (applications == NULL)
    {
      /* The requests stay as they were; a member list that loaded says the rest. */
      g_debug ("The requests to join did not load: %s", error->message);
      return;
    }
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) tim_group_application_free);
  for (guint i = 0; i < applications->len; i++)
    {
      TimGroupApplication *application = applications->pdata[i];

      if (g_str_equal (application->group_id, self->group_id))
        g_ptr_array_add (self->requests, tim_group_application_copy (application));
    }
  show_requests (self);
}

void
_timchat_group_dialog_load_requests (TimchatGroupDialog *self)
{
  if (self->requests_loading != NULL)
    {
      /* The newer ask answers with what is true later. */
      g_cancellable_cancel (self->requests_loading);
      g_clear_object (&self->requests_loading);
    }
  if (!is_manager (self))
    {
      g_clear_pointer (&self->requests, g_ptr_array_unref);
      show_requests (self);
      return;
    }
  /* Its own, cancelled by a newer load or the dialog going. */
  self->requests_loading = g_cancellable_new ();
  tim_client_get_group_applications_async (self->client, self->requests_loading, requests_loaded,
                                           g_object_ref (self));
}

/* ---------------------------------------------------------------- answering */

static const TimGroupApplication *
find_request (TimchatGroupDialog *self, const char *applicant)
{
  for (guint i = 0; self->requests != NULL && i < self->requests->len; i++)
    {
      const TimGroupApplication *application = self->requests->pdata[i];

      if (g_str_equal (application->applicant, applicant))
        return application;
    }
  return NULL;
}

static void
answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tim_client_answer_group_application_finish (TIM_CLIENT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED))
        {
          g_clear_error (&error);
          error = g_error_new_literal (TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED,
                                       _ ("This request was answered already"));
        }
      _timchat_group_dialog_toast_error (self, error);
    }
  /* Answered either way: it goes from the list (an accepted one joins the members by its tip). */
  _timchat_group_dialog_load_requests (self);
}

static void
answer (TimchatGroupDialog *self, const char *applicant, gboolean agree, const char *reason)
{
  const TimGroupApplication *application = find_request (self, applicant);

  if (application == NULL)
    return;
  tim_client_answer_group_application_async (self->client, application, agree, reason,
                                             self->cancellable, answered, g_object_ref (self));
}

static void
accept_action (GtkWidget *widget, const char *action, GVariant *param)
{
  answer (TIMCHAT_GROUP_DIALOG (widget), g_variant_get_string (param, NULL), TRUE, NULL);
}

static void
on_refuse_response (AdwMessageDialog *dialog, const char *response, TimchatGroupDialog *self)
{
  if (g_str_equal (response, "decline"))
    answer (self, g_object_get_data (G_OBJECT (dialog), "applicant"), FALSE,
            timchat_decline_dialog_get_reason (GTK_WIDGET (dialog)));
}

static void
refuse_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);
  const char *applicant = g_variant_get_string (param, NULL);
  GtkWidget *dialog;

  if (find_request (self, applicant) == NULL)
    return;
  dialog = timchat_decline_dialog_new (GTK_WINDOW (self));
  g_object_set_data_full (G_OBJECT (dialog), "applicant", g_strdup (applicant), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refuse_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_timchat_group_dialog_class_init_requests (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, requests_group);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, request_list);
  gtk_widget_class_install_action (widget_class, "group.accept-request", "s", accept_action);
  gtk_widget_class_install_action (widget_class, "group.refuse-request", "s", refuse_action);
}

GStrv
timchat_group_dialog_dup_request_lines (TimchatGroupDialog *self)
{
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();

  g_return_val_if_fail (TIMCHAT_IS_GROUP_DIALOG (self), NULL);

  for (guint i = 0; gtk_widget_get_visible (self->requests_group) && self->requests != NULL &&
                    i < self->requests->len;
       i++)
    {
      const TimGroupApplication *application = self->requests->pdata[i];
      g_autofree char *title = request_title (application);

      g_autofree char *line = g_strdup_printf ("%s: %s", title, request_subtitle (application));

      g_strv_builder_add (lines, line);
    }
  return g_strv_builder_end (lines);
}
