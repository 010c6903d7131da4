/* timchat-group-dialog.c: a group's members, owner first, and the buttons the signed-in user's
 * role allows: Add Members (owner and admins; any member of a Work group, whose profile says
 * so: timchat-group-dialog-profile.c), Leave Group (everyone but the owner, who cannot),
 * Dismiss Group (the owner), and on a member's row what the role allows to do to them (the owner
 * sets admins and removes anyone; an admin removes plain members). What the server refuses is
 * said in a toast, in our words for its code; removing, leaving and dismissing ask first. The
 * list follows what is done elsewhere (its group's tips). The group's picture and name are
 * timchat-group-dialog-profile.c's, the requests to join timchat-group-dialog-requests.c's. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-dialogs.h"
#include "timchat-format.h"
#include "timchat-group-dialog-private.h"
#include "timchat-resources.h"
#include "timchat-window.h"

G_DEFINE_FINAL_TYPE (TimchatGroupDialog, timchat_group_dialog, ADW_TYPE_PREFERENCES_WINDOW)

const char *
_timchat_group_dialog_get_name (TimchatGroupDialog *self)
{
  return gtk_window_get_title (GTK_WINDOW (self));
}

const char *
_timchat_group_dialog_role_text (const char *role)
{
  if (g_strcmp0 (role, "Owner") == 0)
    return _ ("Owner");
  if (g_strcmp0 (role, "Admin") == 0)
    return _ ("Admin");
  return _ ("Member");
}

static void
toast (TimchatGroupDialog *self, const char *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), timchat_toast_new (text));
}

void
_timchat_group_dialog_toast_error (TimchatGroupDialog *self, const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = timchat_describe_error (error);
  toast (self, text);
}

/* ---------------------------------------------------------------- members */

const TimGroupMember *
_timchat_group_dialog_find_member (TimchatGroupDialog *self, const char *user_id)
{
  for (guint i = 0; self->members != NULL && i < self->members->len; i++)
    {
      const TimGroupMember *member = self->members->pdata[i];

      if (g_strcmp0 (member->user_id, user_id) == 0)
        return member;
    }
  return NULL;
}

const TimGroupMember *
_timchat_group_dialog_find_me (TimchatGroupDialog *self)
{
  return _timchat_group_dialog_find_member (self, tim_client_get_user (self->client));
}

static char *
member_title (TimchatGroupDialog *self, const TimGroupMember *member)
{
  const char *name = tim_group_member_get_name (member);

  if (g_strcmp0 (member->user_id, tim_client_get_user (self->client)) == 0)
    /* Translators: the signed-in user in a group's member list. */
    return g_strdup_printf (_ ("%s (you)"), name);
  return g_strdup (name);
}

void
_timchat_group_dialog_show_members (TimchatGroupDialog *self)
{
  const TimGroupMember *me = _timchat_group_dialog_find_me (self);
  const char *my_role = me != NULL ? me->role : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->member_list))) != NULL)
    gtk_list_box_remove (self->member_list, child);
  for (guint i = 0; i < self->members->len; i++)
    {
      const TimGroupMember *member = self->members->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = member_title (self, member);
      GtkWidget *actions = _timchat_group_dialog_member_actions (my_role, member, title);
      GtkWidget *dot = _timchat_group_dialog_presence_dot (self, member);
      g_autofree char *subtitle = _timchat_group_dialog_member_subtitle (member);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (dot != NULL)
        {
          /* After the name, not before: the names stay in line. */
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), dot);
          g_object_set_data (G_OBJECT (row), "online-dot", dot);
        }
      if (actions != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), actions);
      gtk_list_box_append (self->member_list, row);
    }
  gtk_stack_set_visible_child_name (self->members_stack, "list");
  gtk_widget_set_visible (self->leave_button, me != NULL && g_strcmp0 (my_role, "Owner") != 0);
  gtk_widget_set_visible (self->dismiss_button, g_strcmp0 (my_role, "Owner") == 0);
  _timchat_group_dialog_update_editable (self);
}

static void
members_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *members = tim_client_get_group_members_finish (TIM_CLIENT (source), result, &error);

  if (members == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = timchat_describe_error (error);
      gtk_label_set_text (self->failure_label, text);
      gtk_stack_set_visible_child_name (self->members_stack, "failed");
      return;
    }
  g_clear_pointer (&self->members, g_ptr_array_unref);
  self->members = members;
  _timchat_group_dialog_show_members (self);
  _timchat_group_dialog_load_presence (self);
  _timchat_group_dialog_load_requests (self);
}

void
_timchat_group_dialog_load_members (TimchatGroupDialog *self)
{
  tim_client_get_group_members_async (self->client, self->group_id, self->cancellable,
                                      members_loaded, g_object_ref (self));
}

/* ---------------------------------------------------------------- add */

static void
members_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) refused = NULL;

  if (!tim_client_add_group_members_finish (TIM_CLIENT (source), result, &refused, &error))
    {
      _timchat_group_dialog_toast_error (self, error);
      return;
    }
  if (refused != NULL && refused[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", refused);
      /* Translators: after Add Members; %s lists the user IDs that were not added (no such
       * user, or a member already). Short: a toast shows one line. */
      g_autofree char *text = g_strdup_printf (_ ("Not added: %s"), names);

      toast (self, text);
    }
  _timchat_group_dialog_load_members (self);
}

static void
on_add_response (AdwMessageDialog *dialog, const char *response, TimchatGroupDialog *self)
{
  g_auto (GStrv) users = timchat_parse_user_ids (
      gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "entry")));

  if (!g_str_equal (response, "add") || users[0] == NULL)
    return;
  tim_client_add_group_members_async (self->client, self->group_id, (const char *const *) users,
                                      self->cancellable, members_added, g_object_ref (self));
}

static void
add_members_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);
  GtkWidget *entry = timchat_form_entry_new (_ ("User IDs, separated by commas"));
  GtkWidget *dialog = timchat_form_dialog_new (GTK_WINDOW (self), _ ("Add Members"), NULL, entry,
                                               "add", _ ("_Add"));

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------- leave and dismiss */

/* Done: the window says so (the dialog goes away) and the dialog closes. */
static void
finish_and_close (TimchatGroupDialog *self, const char *text)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (TIMCHAT_IS_WINDOW (parent))
    timchat_window_show_toast (TIMCHAT_WINDOW (parent), text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
left_group (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (!tim_client_quit_group_finish (TIM_CLIENT (source), result, &error))
    {
      _timchat_group_dialog_toast_error (self, error);
      return;
    }
  /* Translators: %s is the group's name. */
  text = g_strdup_printf (_ ("You left “%s”"), _timchat_group_dialog_get_name (self));
  finish_and_close (self, text);
}

static void
dismissed_group (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (!tim_client_dismiss_group_finish (TIM_CLIENT (source), result, &error))
    {
      _timchat_group_dialog_toast_error (self, error);
      return;
    }
  /* Translators: %s is the group's name. */
  text = g_strdup_printf (_ ("“%s” was dismissed"), _timchat_group_dialog_get_name (self));
  finish_and_close (self, text);
}

static void
on_confirm_response (AdwMessageDialog *dialog, const char *response, TimchatGroupDialog *self)
{
  if (g_str_equal (response, "leave"))
    tim_client_quit_group_async (self->client, self->group_id, self->cancellable, left_group,
                                 g_object_ref (self));
  else if (g_str_equal (response, "dismiss"))
    tim_client_dismiss_group_async (self->client, self->group_id, self->cancellable,
                                    dismissed_group, g_object_ref (self));
}

static void
leave_or_dismiss_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);
  gboolean leave = g_str_equal (action, "group.leave");
  g_autofree char *heading = g_strdup_printf (leave ? _ ("Leave “%s”?") : _ ("Dismiss “%s”?"),
                                              _timchat_group_dialog_get_name (self));
  GtkWidget *dialog = timchat_confirm_dialog_new (
      GTK_WINDOW (self), heading,
      leave ? _ ("Its new messages will no longer reach you. What you have stays in your list.")
            : _ ("The group ends for every member. This cannot be undone."),
      leave ? "leave" : "dismiss", leave ? _ ("_Leave") : _ ("_Dismiss"));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The group's profile as the server has it now: its type (who may change it), and its name and
 * picture for a group nobody wrote in yet, which is not in the list. */
static void
profile_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (TimConversation) conversation =
      tim_client_get_conversation_profile_finish (TIM_CLIENT (source), result, NULL);

  if (conversation == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  _timchat_group_dialog_show_profile (self, conversation);
}

/* ---------------------------------------------------------------- changes made elsewhere */

static gboolean
reload_members (gpointer user_data)
{
  TimchatGroupDialog *self = user_data;

  self->reload_idle = 0;
  _timchat_group_dialog_load_members (self);
  return G_SOURCE_REMOVE;
}

/* A group tip of this group (a member joined, left, was removed, made an admin, muted, the group
 * handed over…), whoever did it and wherever: the list follows, once for a burst of them, and the
 * requests to join with it. A request's notice (of any group: the list says which are ours)
 * brings the requests again. */
static void
on_messages (TimClient *client, GPtrArray *messages, TimchatGroupDialog *self)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, self->group_id);
  gboolean request_came = FALSE;

  for (guint i = 0; i < messages->len && self->reload_idle == 0; i++)
    {
      TimMessage *message = messages->pdata[i];

      if (tim_message_get_elem_type (message) == TIM_ELEM_GROUP_TIP &&
          g_strcmp0 (tim_message_get_conversation_id (message), conversation_id) == 0)
        self->reload_idle = g_idle_add (reload_members, self);
      request_came |= tim_message_get_application_state (message) == TIM_APPLICATION_PENDING;
    }
  if (request_came && self->reload_idle == 0)
    _timchat_group_dialog_load_requests (self);
}

/* ---------------------------------------------------------------- object */

static void
timchat_group_dialog_dispose (GObject *object)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_messages, self);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->requests_loading != NULL)
    g_cancellable_cancel (self->requests_loading);
  g_clear_object (&self->requests_loading);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  _timchat_group_dialog_unfollow_members (self);
  g_clear_object (&self->client);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->online, g_hash_table_unref);
  g_clear_object (&self->conversation);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_GROUP_DIALOG);
  G_OBJECT_CLASS (timchat_group_dialog_parent_class)->dispose (object);
}

static void
timchat_group_dialog_finalize (GObject *object)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (object);

  g_free (self->group_id);
  G_OBJECT_CLASS (timchat_group_dialog_parent_class)->finalize (object);
}

static void
timchat_group_dialog_class_init (TimchatGroupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  object_class->dispose = timchat_group_dialog_dispose;
  object_class->finalize = timchat_group_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-group-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, leave_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, members_stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, member_list);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, failure_label);
  gtk_widget_class_install_action (widget_class, "group.add-members", NULL, add_members_action);
  gtk_widget_class_install_action (widget_class, "group.leave", NULL, leave_or_dismiss_action);
  gtk_widget_class_install_action (widget_class, "group.dismiss", NULL, leave_or_dismiss_action);
  _timchat_group_dialog_class_init_members (widget_class);
  _timchat_group_dialog_class_init_profile (widget_class);
  _timchat_group_dialog_class_init_requests (widget_class);
}

static void
timchat_group_dialog_init (TimchatGroupDialog *self)
{
  AdwToastOverlay *toasts;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* This dialog's toasts (a change done, an error) have a close button as the window's do, which
   * libadwaita 1.2 leaves without a name for screen readers. The overlay is the one
   * AdwPreferencesWindow keeps to itself (adw_preferences_window_add_toast () shows them there). */
  toasts = (AdwToastOverlay *) timchat_find_descendant (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (toasts != NULL)
    timchat_toast_overlay_name_buttons (toasts);
}

GtkWidget *
timchat_group_dialog_new (GtkWindow *parent, TimClient *client, const char *group_id)
{
  TimchatGroupDialog *self;
  g_autofree char *conversation_id = NULL;
  TimConversation *conversation;

  g_return_val_if_fail (TIM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  self = g_object_new (TIMCHAT_TYPE_GROUP_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->group_id = g_strdup (group_id);
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);
  gtk_window_set_title (GTK_WINDOW (self), group_id);
  if (conversation != NULL)
    _timchat_group_dialog_show_profile (self, conversation);
  tim_client_get_conversation_profile_async (client, conversation_id, self->cancellable,
                                             profile_loaded, g_object_ref (self));
  g_signal_connect_object (client, "message-received", G_CALLBACK (on_messages), self, 0);
  _timchat_group_dialog_load_members (self);
  return GTK_WIDGET (self);
}

GStrv
timchat_group_dialog_dup_member_lines (TimchatGroupDialog *self)
{
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();

  g_return_val_if_fail (TIMCHAT_IS_GROUP_DIALOG (self), NULL);

  if (self->members == NULL)
    return NULL;
  for (guint i = 0; i < self->members->len; i++)
    {
      const TimGroupMember *member = self->members->pdata[i];
      g_autofree char *title = member_title (self, member);
      g_autofree char *subtitle = _timchat_group_dialog_member_subtitle (member);
      g_autofree char *line = g_strdup_printf ("%s (%s)", title, subtitle);

      g_strv_builder_add (lines, line);
    }
  return g_strv_builder_end (lines);
}
