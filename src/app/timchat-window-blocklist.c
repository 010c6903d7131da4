/* timchat-window-blocklist.c: win.block-user (a one-to-one conversation's "Block…", asked
 * first), win.unblock-user, and win.show-blocked (the main menu's "Blocked People"). libtim keeps
 * the list on the server for every device of the user (the Web SDK's blacklist); a blocked
 * person cannot send the user messages, and the user can still write to them. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-blocked-dialog.h"
#include "timchat-dialogs.h"
#include "timchat-format.h"
#include "timchat-window-private.h"

typedef struct
{
  TimchatWindow *window; /* a ref */
  char *name;
  gboolean blocking;
} Changing;

static void
changing_free (Changing *changing)
{
  g_object_unref (changing->window);
  g_free (changing->name);
  g_free (changing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Changing, changing_free)

static void
on_changed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Changing) changing = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean done =
      changing->blocking
          ? tim_client_add_to_blocklist_finish (TIM_CLIENT (source), result, &error)
          : tim_client_remove_from_blocklist_finish (TIM_CLIENT (source), result, &error);

  if (!done)
    {
      timchat_window_show_error (changing->window, error);
      return;
    }
  /* Translators: toasts after blocking or unblocking someone; %s is their name. */
  text = g_strdup_printf (changing->blocking ? _ ("“%s” blocked") : _ ("“%s” unblocked"),
                          changing->name);
  timchat_window_show_toast (changing->window, text);
}

static void
change (TimchatWindow *self, const char *user_id, gboolean blocking)
{
  Changing *changing = g_new0 (Changing, 1);
  const char *users[] = { user_id, NULL };

  changing->window = g_object_ref (self);
  changing->name = g_strdup (timchat_format_person_name (self->client, user_id));
  changing->blocking = blocking;
  if (blocking)
    tim_client_add_to_blocklist_async (self->client, users, self->cancellable, on_changed,
                                       changing);
  else
    tim_client_remove_from_blocklist_async (self->client, users, self->cancellable, on_changed,
                                            changing);
}

static void
on_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  if (g_str_equal (response, "block") && self->client != NULL)
    change (self, g_object_get_data (G_OBJECT (dialog), "user-id"), TRUE);
}

static void
block_user (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *user_id = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  /* Translators: %s is the person's name. */
  heading = g_strdup_printf (_ ("Block “%s”?"), timchat_format_person_name (self->client, user_id));
  dialog = timchat_confirm_dialog_new (
      GTK_WINDOW (self), heading,
      _ ("They will no longer be able to send you messages, on any of your devices. You can "
         "still write to them, and unblock them in Blocked People."),
      "block", _ ("_Block"));
  g_object_set_data_full (G_OBJECT (dialog), "user-id", g_strdup (user_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
unblock_user (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->client != NULL)
    change (self, g_variant_get_string (parameter, NULL), FALSE);
}

static void
show_blocked (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->client != NULL)
    gtk_window_present (GTK_WINDOW (timchat_blocked_dialog_new (GTK_WINDOW (self), self->client)));
}

void
_timchat_window_install_blocklist_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.block-user", "s", block_user);
  gtk_widget_class_install_action (widget_class, "win.unblock-user", "s", unblock_user);
  gtk_widget_class_install_action (widget_class, "win.show-blocked", NULL, show_blocked);
}
