/* timchat-window-actions.c: the window's actions (win.*) and the dialogs they open: a new
 * conversation or group, delete a conversation or mark it read, log out, focus the search, search
 * the open conversation's messages, the shortcuts window, the main menu. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-conversation-view.h"
#include "timchat-credentials.h"
#include "timchat-dialogs.h"
#include "timchat-format.h"
#include "timchat-group-dialog.h"
#include "timchat-join-dialog.h"
#include "timchat-shortcuts.h"
#include "timchat-window-private.h"

static void
on_new_conversation_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *user = gtk_editable_get_text (entry);
  g_autofree char *conversation_id = NULL;

  if (!g_str_equal (response, "open"))
    return;
  if (!tim_user_id_is_valid (user))
    {
      timchat_window_show_toast (self, _ ("That is not a valid user ID"));
      return;
    }
  conversation_id = tim_conv_make_id (TIM_CONV_C2C, user);
  timchat_window_open_conversation (self, conversation_id);
}

static void
focus_search (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (!_timchat_window_is_chatting (self))
    return;
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* The header's Search Messages button: the open conversation's search (Ctrl+F in it). */
static void
search_messages (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->conversation_view != NULL)
    timchat_conversation_view_start_search (TIMCHAT_CONVERSATION_VIEW (self->conversation_view));
}

static void
show_shortcuts (GtkWidget *widget, const char *action, GVariant *parameter)
{
  timchat_shortcuts_show (GTK_WINDOW (widget));
}

/* The main menu's popover is made on its first opening, not with the window. */
static void
create_primary_menu (GtkMenuButton *button, gpointer user_data)
{
  TimchatWindow *self = user_data;

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
new_conversation (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (!_timchat_window_is_chatting (self))
    return;
  entry = timchat_form_entry_new (_ ("User ID"));
  dialog = timchat_form_dialog_new (GTK_WINDOW (self), _ ("New Conversation"),
                                    _ ("Who do you want to write to?"), entry, "open", _ ("_Open"));
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_new_conversation_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_group_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = tim_client_create_group_finish (TIM_CLIENT (source), result, &error);
  g_autofree char *conversation_id = NULL;

  if (group_id == NULL)
    {
      timchat_window_show_error (self, error);
      return;
    }
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  timchat_window_open_conversation (self, conversation_id);
}

static void
on_new_group_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  const char *name = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "name"));
  g_auto (GStrv) members = timchat_parse_user_ids (
      gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "members")));
  gboolean open = gtk_check_button_get_active (g_object_get_data (G_OBJECT (dialog), "open"));

  if (!g_str_equal (response, "create"))
    return;
  /* A Work group only invites; a Public one takes requests to join, which its admins answer. */
  tim_client_create_group_async (self->client, *name != '\0' ? name : _ ("New group"),
                                 open ? "Public" : "Private", (const char *const *) members,
                                 self->cancellable, on_group_created, g_object_ref (self));
}

static void
new_group (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  GtkWidget *dialog, *box, *name, *members, *open;

  if (!_timchat_window_is_chatting (self))
    return;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  name = timchat_form_entry_new (_ ("Group name"));
  members = timchat_form_entry_new (_ ("Members: user IDs, separated by commas"));
  open = gtk_check_button_new_with_mnemonic (_ ("_Others may ask to join it by its ID"));
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), members);
  gtk_box_append (GTK_BOX (box), open);
  dialog = timchat_form_dialog_new (GTK_WINDOW (self), _ ("New Group"), NULL, box, "create",
                                    _ ("C_reate"));
  g_object_set_data (G_OBJECT (dialog), "name", name);
  g_object_set_data (G_OBJECT (dialog), "members", members);
  g_object_set_data (G_OBJECT (dialog), "open", open);
  g_signal_connect (dialog, "response", G_CALLBACK (on_new_group_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
join_group (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (_timchat_window_is_chatting (self))
    gtk_window_present (GTK_WINDOW (timchat_join_dialog_new (GTK_WINDOW (self), self->client)));
}

/* ---------------------------------------------------------------- one conversation */

typedef struct
{
  TimchatWindow *window; /* a ref */
  char *name;
} Deleting;

static void
deleting_free (Deleting *deleting)
{
  g_object_unref (deleting->window);
  g_free (deleting->name);
  g_free (deleting);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Deleting, deleting_free)

/* Said once the server has it, not before. */
static void
on_conversation_deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Deleting) deleting = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (!tim_client_delete_conversation_finish (TIM_CLIENT (source), result, &error))
    {
      timchat_window_show_error (deleting->window, error);
      return;
    }
  /* Translators: a toast after a conversation is removed from the list; %s is its name. */
  text = g_strdup_printf (_ ("“%s” removed from the list; its messages are kept"), deleting->name);
  timchat_window_show_toast (deleting->window, text);
}

/* Off the list, not out of history: the messages stay on the server and a new message brings the
 * conversation back with them (deleteConversation). The list row goes as libtim drops it. */
static void
delete_conversation (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *conversation_id = g_variant_get_string (parameter, NULL);
  TimConversation *conversation;
  Deleting *deleting;

  if (self->client == NULL)
    return;
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (self->client), conversation_id);
  deleting = g_new0 (Deleting, 1);
  deleting->window = g_object_ref (self);
  deleting->name =
      g_strdup (conversation != NULL ? tim_conversation_get_name (conversation) : conversation_id);
  if (g_strcmp0 (_timchat_window_get_open_id (self), conversation_id) == 0)
    timchat_window_close_conversation (self);
  tim_client_delete_conversation_async (self->client, conversation_id, self->cancellable,
                                        on_conversation_deleted, deleting);
}

typedef struct
{
  TimchatWindow *window; /* a ref */
  TimchatClientFinish finish;
} Call;

gpointer
_timchat_window_call_new (TimchatWindow *window, TimchatClientFinish finish)
{
  Call *call = g_new0 (Call, 1);

  call->window = g_object_ref (window);
  call->finish = finish;
  return call;
}

void
_timchat_window_on_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  g_autoptr (GError) error = NULL;

  if (!call->finish (TIM_CLIENT (source), result, &error))
    timchat_window_show_error (call->window, error);
  g_object_unref (call->window);
  g_free (call);
}

static void
mark_conversation_read (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->client != NULL)
    tim_client_set_message_read_async (
        self->client, g_variant_get_string (parameter, NULL), self->cancellable,
        _timchat_window_on_call_done,
        _timchat_window_call_new (self, tim_client_set_message_read_finish));
}

/* Marked unread until it is read, here or on another device (markConversation's unread mark): a
 * dot in its row. */
static void
mark_conversation_unread (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->client != NULL)
    tim_client_mark_conversation_async (
        self->client, g_variant_get_string (parameter, NULL), TIM_CONV_MARK_UNREAD, TRUE,
        self->cancellable, _timchat_window_on_call_done,
        _timchat_window_call_new (self, tim_client_mark_conversation_finish));
}

/* Every conversation read at once (setAllMessageRead): the badges go as the server has it. */
static void
mark_all_read (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->client != NULL)
    tim_client_set_all_message_read_async (
        self->client, self->cancellable, _timchat_window_on_call_done,
        _timchat_window_call_new (self, tim_client_set_all_message_read_finish));
}

/* Pinned conversations list first, on every device (pinConversation); the row moves when the
 * server has it. */
static void
pin_conversation (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->client != NULL)
    tim_client_pin_conversation_async (
        self->client, g_variant_get_string (parameter, NULL),
        g_str_equal (action, "win.pin-conversation"), self->cancellable,
        _timchat_window_on_call_done,
        _timchat_window_call_new (self, tim_client_pin_conversation_finish));
}

/* Muted: its messages still come and count, without a notification (setMessageRemindType's
 * AcceptNotNotify); not received: they do not come at all, and are in its history (Discard);
 * unmuted or received again: AcceptAndNotify. On every device. */
static void
mute_conversation (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *remind_type =
      g_str_equal (action, "win.mute-conversation")      ? TIM_REMIND_ACCEPT_NOT_NOTIFY
      : g_str_equal (action, "win.discard-conversation") ? TIM_REMIND_DISCARD
                                                         : TIM_REMIND_ACCEPT_AND_NOTIFY;

  if (self->client != NULL)
    tim_client_set_message_remind_type_async (
        self->client, g_variant_get_string (parameter, NULL), remind_type, self->cancellable,
        _timchat_window_on_call_done,
        _timchat_window_call_new (self, tim_client_set_message_remind_type_finish));
}

/* The members of the open group, and leaving or dismissing it. */
static void
group_info (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *conversation_id = _timchat_window_get_open_id (self);
  const char *group_id = NULL;

  if (self->client == NULL || tim_conv_parse_id (conversation_id, &group_id) != TIM_CONV_GROUP)
    return;
  gtk_window_present (
      GTK_WINDOW (timchat_group_dialog_new (GTK_WINDOW (self), self->client, group_id)));
}

/* A toast's Open (after a forward; the join dialog's too): that conversation. Its target names the
 * account it was for, as a notification's does: a toast stays a few seconds, and after a Log Out
 * or a kick it opened the conversation hidden behind the welcome page on a client logged out,
 * after another login the new account's conversation with the same peer. Only for its account. */
static void
open_conversation (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *user = NULL;
  const char *conversation_id = NULL;

  g_variant_get (parameter, "(&s&s)", &user, &conversation_id);
  if (timchat_window_is_chatting_as (self, user))
    timchat_window_open_conversation (self, conversation_id);
}

/* The toast after recalling one's own text: its text back in that conversation's composer, in
 * the account it was recalled in only (as Open). */
static void
edit_again (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *user = NULL;
  const char *conversation_id = NULL;
  const char *text = NULL;

  g_variant_get (parameter, "(&s&s&s)", &user, &conversation_id, &text);
  if (!timchat_window_is_chatting_as (self, user))
    return;
  timchat_window_open_conversation (self, conversation_id);
  if (self->conversation_view != NULL)
    timchat_conversation_view_edit_again (TIMCHAT_CONVERSATION_VIEW (self->conversation_view),
                                          text);
}

static void
on_log_out_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  if (!g_str_equal (response, "log-out"))
    return;
  /* Log out forgets the secret: the next start asks again. */
  timchat_credentials_forget_async (self->account, NULL, NULL);
  _timchat_window_end_session (self);
}

/* Asked first: a UserSig is not something one has at hand to type in again. */
static void
log_out (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  GtkWidget *dialog = timchat_confirm_dialog_new (
      GTK_WINDOW (self), _ ("Log Out?"),
      _ ("The login kept in your keyring is removed: TimChat will start at its welcome page, and "
         "logging in to a server again takes your UserSig. Your drafts are kept."),
      "log-out", _ ("_Log Out"));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_log_out_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The banner's Retry Now: the server may be back before the next try, which waits up to 30 s. */
static void
reconnect (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (self->client != NULL)
    tim_client_reconnect_now (self->client);
}

void
_timchat_window_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-conversation", NULL, new_conversation);
  gtk_widget_class_install_action (widget_class, "win.new-group", NULL, new_group);
  gtk_widget_class_install_action (widget_class, "win.join-group", NULL, join_group);
  gtk_widget_class_install_action (widget_class, "win.log-out", NULL, log_out);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect);
  /* Their targets begin with the user ID the toast was for. */
  gtk_widget_class_install_action (widget_class, "win.edit-again", "(sss)", edit_again);
  gtk_widget_class_install_action (widget_class, "win.open-conversation", "(ss)",
                                   open_conversation);
  gtk_widget_class_install_action (widget_class, "win.edit-profile", NULL,
                                   _timchat_window_edit_profile);
  gtk_widget_class_install_action (widget_class, "win.group-info", NULL, group_info);
  gtk_widget_class_install_action (widget_class, "win.delete-conversation", "s",
                                   delete_conversation);
  gtk_widget_class_install_action (widget_class, "win.clear-history", "s",
                                   _timchat_window_clear_history);
  gtk_widget_class_install_action (widget_class, "win.mark-conversation-read", "s",
                                   mark_conversation_read);
  gtk_widget_class_install_action (widget_class, "win.mark-conversation-unread", "s",
                                   mark_conversation_unread);
  gtk_widget_class_install_action (widget_class, "win.mark-all-read", NULL, mark_all_read);
  gtk_widget_class_install_action (widget_class, "win.pin-conversation", "s", pin_conversation);
  gtk_widget_class_install_action (widget_class, "win.unpin-conversation", "s", pin_conversation);
  gtk_widget_class_install_action (widget_class, "win.mute-conversation", "s", mute_conversation);
  gtk_widget_class_install_action (widget_class, "win.unmute-conversation", "s", mute_conversation);
  gtk_widget_class_install_action (widget_class, "win.discard-conversation", "s",
                                   mute_conversation);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, focus_search);
  _timchat_window_install_blocklist_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.search-messages", NULL, search_messages);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_shortcuts);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-conversation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
}

void
_timchat_window_init_actions (TimchatWindow *self)
{
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, create_primary_menu, self,
                                         NULL);
}
