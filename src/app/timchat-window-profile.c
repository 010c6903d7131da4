/* timchat-window-profile.c: "Your Profile": the nickname others see with this user's messages,
 * in their conversation list and in their notifications. The dialog opens at once and fills in
 * the current name when the server answers (unless something was typed by then). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-dialogs.h"
#include "timchat-window-private.h"

static void
on_profile_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tim_client_update_my_profile_finish (TIM_CLIENT (source), result, &error))
    timchat_window_show_error (self, error);
  else
    timchat_window_show_toast (self, _ ("Profile saved"));
}

static void
on_profile_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "nick");
  g_autofree char *nick = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (!g_str_equal (response, "save") || self->client == NULL)
    return;
  tim_client_update_my_profile_async (self->client, nick, NULL, self->cancellable, on_profile_saved,
                                      g_object_ref (self));
}

/* The entry is held, so a dialog closed before the answer is no harm. */
static void
on_profile_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkEditable) entry = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *nick = NULL;

  if (!tim_client_get_my_profile_finish (TIM_CLIENT (source), result, &nick, NULL, &error))
    {
      g_debug ("Cannot read my profile: %s", error->message);
      return;
    }
  if (*gtk_editable_get_text (entry) == '\0')
    {
      gtk_editable_set_text (entry, nick);
      gtk_editable_select_region (entry, 0, -1);
    }
}

void
_timchat_window_edit_profile (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *user = self->client != NULL ? tim_client_get_user (self->client) : NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (user == NULL)
    return;
  entry = timchat_form_entry_new (_ ("Display name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  /* Translators: %s is the user's ID, which shows when there is no display name. */
  body = g_strdup_printf (_ ("The name others see with your messages. Leave it empty to show "
                             "your user ID, “%s”."),
                          user);
  dialog = timchat_form_dialog_new (GTK_WINDOW (self), _ ("Your Profile"), body, entry, "save",
                                    _ ("_Save"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_object_set_data (G_OBJECT (dialog), "nick", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_profile_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  tim_client_get_my_profile_async (self->client, self->cancellable, on_profile_loaded,
                                   g_object_ref (entry));
}
