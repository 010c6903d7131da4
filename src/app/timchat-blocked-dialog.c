/* timchat-blocked-dialog.c: "Blocked People": a row per blocked user (their name when a
 * conversation knows it, and the user ID), each with Unblock. It follows the list as it changes,
 * here or on another device ("blocklist-updated"). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-blocked-dialog.h"
#include "timchat-dialogs.h"
#include "timchat-format.h"
#include "timchat-resources.h"

struct _TimchatBlockedDialog
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkListBox *list_box;

  TimClient *client;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TimchatBlockedDialog, timchat_blocked_dialog, ADW_TYPE_WINDOW)

/* An Unblock under way: its button, off until the answer. */
typedef struct
{
  TimchatBlockedDialog *dialog; /* a ref */
  GtkWidget *button;            /* a ref */
} Unblocking;

static void
unblocking_free (Unblocking *unblocking)
{
  g_object_unref (unblocking->dialog);
  g_object_unref (unblocking->button);
  g_free (unblocking);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Unblocking, unblocking_free)

static void
on_unblocked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Unblocking) unblocking = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (tim_client_remove_from_blocklist_finish (TIM_CLIENT (source), result, &error))
    return; /* the row goes with the list's change */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Still blocked: the button is there to try again. */
  gtk_widget_set_sensitive (unblocking->button, TRUE);
  text = timchat_describe_error (error);
  adw_toast_overlay_add_toast (unblocking->dialog->toast_overlay, timchat_toast_new (text));
}

static void
on_unblock_clicked (GtkButton *button, TimchatBlockedDialog *self)
{
  const char *user_id = g_object_get_data (G_OBJECT (button), "user-id");
  const char *users[] = { user_id, NULL };
  Unblocking *unblocking = g_new0 (Unblocking, 1);

  unblocking->dialog = g_object_ref (self);
  unblocking->button = g_object_ref (GTK_WIDGET (button));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  tim_client_remove_from_blocklist_async (self->client, users, self->cancellable, on_unblocked,
                                          unblocking);
}

static GtkWidget *
row_new (TimchatBlockedDialog *self, const char *user_id)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Unblock"));
  const char *name = timchat_format_person_name (self->client, user_id);
  g_autofree char *label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (g_strcmp0 (name, user_id) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), user_id);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: the button's name for a screen reader; %s is the person's name. */
  label = g_strdup_printf (_ ("Unblock %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "user-id", g_strdup (user_id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_unblock_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
refill (TimchatBlockedDialog *self)
{
  g_auto (GStrv) users = tim_client_dup_blocklist (self->client);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; users[i] != NULL; i++)
    gtk_list_box_append (self->list_box, row_new (self, users[i]));
  gtk_stack_set_visible_child_name (self->stack, users[0] != NULL ? "list" : "empty");
}

static void
timchat_blocked_dialog_dispose (GObject *object)
{
  TimchatBlockedDialog *self = TIMCHAT_BLOCKED_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_BLOCKED_DIALOG);
  G_OBJECT_CLASS (timchat_blocked_dialog_parent_class)->dispose (object);
}

static void
timchat_blocked_dialog_class_init (TimchatBlockedDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  G_OBJECT_CLASS (klass)->dispose = timchat_blocked_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-blocked-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatBlockedDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TimchatBlockedDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatBlockedDialog, list_box);
}

static void
timchat_blocked_dialog_init (TimchatBlockedDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  timchat_toast_overlay_name_buttons (self->toast_overlay);
}

GtkWidget *
timchat_blocked_dialog_new (GtkWindow *parent, TimClient *client)
{
  TimchatBlockedDialog *self;

  g_return_val_if_fail (TIM_IS_CLIENT (client), NULL);

  self = g_object_new (TIMCHAT_TYPE_BLOCKED_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  g_signal_connect_swapped (client, "blocklist-updated", G_CALLBACK (refill), self);
  refill (self);
  /* What the server has, should this device have missed a change. */
  tim_client_get_blocklist_async (client, self->cancellable, NULL, NULL);
  return GTK_WIDGET (self);
}
