/* timchat-join-dialog.c: "Join a Group…": the user types a group's ID; the dialog shows what
 * anyone may see of it (its name, kind and size: libtim's searchGroupByID) and how it is joined.
 * "Join" joins a group that lets anyone in, and the dialog closes on the group's conversation;
 * "Ask to Join" sends the admins an application, with an optional message, and says the answer
 * will come among the group notices. A group that takes no requests, and one only its members
 * may see (a Work group), say so in a line. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-dialogs.h"
#include "timchat-join-dialog.h"
#include "timchat-resources.h"

struct _TimchatJoinDialog
{
  AdwWindow parent_instance;

  AdwEntryRow *id_row;
  AdwPreferencesGroup *found_group;
  AdwActionRow *found_row;
  AdwEntryRow *message_row;
  GtkLabel *status_label;
  GtkButton *join_button;

  TimClient *client;
  GCancellable *cancellable; /* the search or join under way; a new search cancels it */
  TimGroupInfo *found;
};

G_DEFINE_FINAL_TYPE (TimchatJoinDialog, timchat_join_dialog, ADW_TYPE_WINDOW)

static void
say (TimchatJoinDialog *self, const char *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
}

/* A new question: what the last answered goes. */
static void
restart (TimchatJoinDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->found, tim_group_info_free);
  gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->join_button), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "join.join", FALSE);
}

static const char *
kind_of (const char *type)
{
  if (g_strcmp0 (type, "Public") == 0)
    return _ ("Public group");
  if (g_strcmp0 (type, "ChatRoom") == 0 || g_strcmp0 (type, "Meeting") == 0)
    return _ ("Meeting group");
  if (g_strcmp0 (type, "AVChatRoom") == 0)
    return _ ("Live group");
  if (g_strcmp0 (type, "Community") == 0)
    return _ ("Community");
  return _ ("Group");
}

static void
show_found (TimchatJoinDialog *self)
{
  const TimGroupInfo *info = self->found;
  gboolean asks = g_str_equal (info->join_option, "NeedPermission");
  /* Translators: under a group's name: its kind ("Public group"), then its member count. */
  g_autofree char *subtitle = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%s · %u member", "%s · %u members", info->member_count),
      kind_of (info->type), info->member_count);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_row), info->name);
  adw_action_row_set_subtitle (self->found_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->message_row), asks);
  gtk_widget_set_visible (GTK_WIDGET (self->found_group), TRUE);
  if (g_str_equal (info->join_option, "DisableApply"))
    {
      say (self, _ ("This group takes no requests to join. Ask one of its admins to add you."));
      return;
    }
  say (self, asks ? _ ("Its owner or an admin lets new members in.") : NULL);
  gtk_button_set_label (self->join_button, asks ? _ ("_Ask to Join") : _ ("_Join"));
  gtk_widget_set_visible (GTK_WIDGET (self->join_button), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "join.join", TRUE);
}

static void
on_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatJoinDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  TimGroupInfo *info = tim_client_search_group_finish (TIM_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_row), TRUE);
  if (info == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION))
        text = g_strdup (_ ("Only its members can see this group. Ask one of them to add you."));
      else if (g_error_matches (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND))
        text = g_strdup (_ ("No group has this ID."));
      else
        text = timchat_describe_error (error);
      say (self, text);
      return;
    }
  self->found = info;
  show_found (self);
}

static void
on_id_apply (TimchatJoinDialog *self)
{
  g_autofree char *group_id =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));

  restart (self);
  if (!tim_group_id_is_valid (group_id))
    {
      say (self, *group_id == '\0' ? NULL : _ ("That is not a group ID."));
      return;
    }
  say (self, _ ("Looking for the group…"));
  tim_client_search_group_async (self->client, group_id, self->cancellable, on_found,
                                 g_object_ref (self));
}

static void
open_group (TimchatJoinDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, self->found->group_id);
  const char *user = tim_client_get_user (self->client);

  if (parent != NULL && user != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-conversation", "(ss)", user,
                                conversation_id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_joined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatJoinDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  int status = tim_client_join_group_finish (TIM_CLIENT (source), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_row), TRUE);
  if (status == TIM_JOIN_STATUS_JOINED || status == TIM_JOIN_STATUS_ALREADY_IN_GROUP)
    {
      open_group (self);
      return;
    }
  if (status == TIM_JOIN_STATUS_WAIT_APPROVAL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->join_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->message_row), FALSE);
      say (self, _ ("Your request was sent. The answer will come among the group notices."));
      return;
    }
  /* Still there to try again. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "join.join", TRUE);
  text = g_error_matches (error, TIM_ERROR, TIM_ERROR_GROUP_FULL)
             ? g_strdup (_ ("The group is full."))
             : timchat_describe_error (error);
  say (self, text);
}

static void
join_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatJoinDialog *self = TIMCHAT_JOIN_DIALOG (widget);
  const char *message = gtk_editable_get_text (GTK_EDITABLE (self->message_row));

  if (self->found == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "join.join", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_row), FALSE);
  say (self, NULL);
  tim_client_join_group_async (self->client, self->found->group_id, message, self->cancellable,
                               on_joined, g_object_ref (self));
}

const char *
timchat_join_dialog_get_status (TimchatJoinDialog *self)
{
  g_return_val_if_fail (TIMCHAT_IS_JOIN_DIALOG (self), "");
  return gtk_widget_get_visible (GTK_WIDGET (self->status_label))
             ? gtk_label_get_text (self->status_label)
             : "";
}

static void
timchat_join_dialog_dispose (GObject *object)
{
  TimchatJoinDialog *self = TIMCHAT_JOIN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->found, tim_group_info_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_JOIN_DIALOG);
  G_OBJECT_CLASS (timchat_join_dialog_parent_class)->dispose (object);
}

static void
timchat_join_dialog_class_init (TimchatJoinDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  G_OBJECT_CLASS (klass)->dispose = timchat_join_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-join-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatJoinDialog, id_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatJoinDialog, found_group);
  gtk_widget_class_bind_template_child (widget_class, TimchatJoinDialog, found_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatJoinDialog, message_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatJoinDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, TimchatJoinDialog, join_button);
  gtk_widget_class_bind_template_callback (widget_class, on_id_apply);
  gtk_widget_class_install_action (widget_class, "join.join", NULL, join_action);
}

static void
timchat_join_dialog_init (TimchatJoinDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "join.join", FALSE);
}

GtkWidget *
timchat_join_dialog_new (GtkWindow *parent, TimClient *client)
{
  TimchatJoinDialog *self;

  g_return_val_if_fail (TIM_IS_CLIENT (client), NULL);

  self = g_object_new (TIMCHAT_TYPE_JOIN_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  return GTK_WIDGET (self);
}
