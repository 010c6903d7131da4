/* timchat-window-folders.c: the user's folders of conversations in the sidebar. Once there is a
 * folder, a drop-down over the list shows all conversations or one folder's, and its menu
 * renames or deletes the folder shown (a search looks in every conversation, whatever the folder:
 * timchat-window-search.c). A conversation's context menu puts it in a folder or
 * takes it out, or makes a new folder with it ("New Folder…", also in the main menu, empty).
 * The folders are the client's (tim_client_dup_folders ()), the same on every device; the list
 * follows them as they change, here or elsewhere. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-dialogs.h"
#include "timchat-window-private.h"

GtkStringList *
_timchat_window_get_folder_names (TimchatWindow *self)
{
  GListModel *names = gtk_drop_down_get_model (self->folder_dropdown);

  return GTK_IS_STRING_LIST (names) ? GTK_STRING_LIST (names) : NULL;
}

/* How many entries the drop-down has (0 before it has any). */
static guint
n_entries (TimchatWindow *self)
{
  GListModel *names = gtk_drop_down_get_model (self->folder_dropdown);

  return names != NULL ? g_list_model_get_n_items (names) : 0;
}

/* The folder shown (NULL: all), by its place in the drop-down: 0 is "All Conversations". */
const char *
_timchat_window_get_shown_folder (TimchatWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->folder_dropdown);

  if (selected == 0 || selected >= n_entries (self))
    return NULL;
  return gtk_string_list_get_string (_timchat_window_get_folder_names (self), selected);
}

static gboolean
in_shown_folder (gpointer item, gpointer user_data)
{
  TimchatWindow *self = user_data;
  const char *folder = _timchat_window_get_shown_folder (self);

  return folder == NULL || self->searching ||
         tim_conversation_is_in_folder (TIM_CONVERSATION (item), folder);
}

GtkFilter *
_timchat_window_new_folder_filter (TimchatWindow *self)
{
  g_clear_object (&self->folder_filter);
  self->folder_filter = gtk_custom_filter_new (in_shown_folder, self, NULL);
  self->searching = _timchat_window_is_searching (self);
  return GTK_FILTER (g_object_ref (self->folder_filter));
}

static void
update_folder_actions (TimchatWindow *self)
{
  gboolean one = _timchat_window_get_shown_folder (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename-folder", one);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-folder", one);
}

static void
on_folder_selected (TimchatWindow *self)
{
  if (self->showing_folders)
    return;
  if (self->folder_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->folder_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_folder_actions (self);
  if (self->filtered != NULL)
    _timchat_window_update_list_page (self);
}

/* What is unread in folder (NULL: everywhere), as the launcher counts it: not the group notices,
 * not what is muted. */
static guint
folder_unread (TimchatWindow *self, const char *folder)
{
  GListModel *conversations =
      self->client != NULL ? G_LIST_MODEL (tim_client_get_conversations (self->client)) : NULL;
  guint unread = 0;

  for (guint i = 0; conversations != NULL && i < g_list_model_get_n_items (conversations); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (conversations, i);

      if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_SYSTEM ||
          tim_conversation_get_is_muted (conversation) ||
          (folder != NULL && !tim_conversation_is_in_folder (conversation, folder)))
        continue;
      unread += tim_conversation_get_unread_count (conversation);
    }
  return unread;
}

/* A folder in the drop-down: its name, and what is unread in it as a badge. */
static void
setup_folder (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (count, "unread-badge");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_item_set_child (item, box);
}

static void
bind_folder (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  TimchatWindow *self = user_data;
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *count = gtk_widget_get_next_sibling (name);
  GtkStringObject *entry = gtk_list_item_get_item (item);
  const char *folder = gtk_string_object_get_string (entry);
  /* The first entry is all of them (by the object: the button's item has no position). */
  g_autoptr (GtkStringObject) all =
      n_entries (self) > 0
          ? g_list_model_get_item (gtk_drop_down_get_model (self->folder_dropdown), 0)
          : NULL;
  guint unread = folder_unread (self, entry == all ? NULL : folder);
  g_autofree char *text = unread > 99 ? g_strdup ("99+") : g_strdup_printf ("%u", unread);

  gtk_label_set_text (GTK_LABEL (name), folder);
  gtk_label_set_text (GTK_LABEL (count), text);
  gtk_widget_set_visible (count, unread > 0);
}

/* The drop-down's model anew (its rows bound again: their counts), the same folder chosen. */
static void
set_folder_names (TimchatWindow *self, GtkStringList *names, guint selected)
{
  self->showing_folders = TRUE;
  gtk_drop_down_set_model (self->folder_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->folder_dropdown, selected);
  self->showing_folders = FALSE;
}

static gboolean
recount (gpointer user_data)
{
  TimchatWindow *self = user_data;
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint n = n_entries (self);

  self->folder_recount = 0;
  if (n == 0 || !gtk_widget_get_visible (self->folder_bar))
    return G_SOURCE_REMOVE;
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (
        names, gtk_string_list_get_string (_timchat_window_get_folder_names (self), i));
  set_folder_names (self, names, gtk_drop_down_get_selected (self->folder_dropdown));
  return G_SOURCE_REMOVE;
}

/* Something unread came or went, or a conversation moved: the counts again, once for a burst. */
static void
on_counts_changed (TimchatWindow *self)
{
  if (self->folder_recount == 0)
    self->folder_recount = g_idle_add (recount, self);
}

/* The drop-down again, the folder shown staying shown while it exists (renamed here: wanted, its
 * new name; renamed elsewhere: in its place). */
static void
show_folders (TimchatWindow *self, const char *wanted)
{
  g_auto (GStrv) folders =
      self->client != NULL ? tim_client_dup_folders (self->client) : g_new0 (char *, 1);
  g_autofree char *was =
      g_strdup (wanted != NULL ? wanted : _timchat_window_get_shown_folder (self));
  guint was_at = gtk_drop_down_get_selected (self->folder_dropdown);
  guint had = n_entries (self);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (names, _ ("All Conversations"));
  for (guint i = 0; folders[i] != NULL; i++)
    {
      gtk_string_list_append (names, folders[i]);
      if (g_strcmp0 (folders[i], was) == 0)
        selected = i + 1;
    }
  /* Not there by its name, with as many folders as before: renamed on another device. */
  if (selected == 0 && was != NULL && wanted == NULL && had == g_strv_length (folders) + 1 &&
      was_at < had)
    selected = was_at;
  set_folder_names (self, names, selected);
  gtk_widget_set_visible (self->folder_bar, folders[0] != NULL);
  on_folder_selected (self);
}

static void
on_folders_changed (TimClient *client, TimchatWindow *self)
{
  show_folders (self, NULL);
}

void
_timchat_window_show_folders (TimchatWindow *self)
{
  TimConversationList *conversations;

  if (self->client == NULL)
    return;
  conversations = tim_client_get_conversations (self->client);
  g_signal_handlers_disconnect_by_func (self->client, on_folders_changed, self);
  g_signal_connect_object (self->client, "folders-changed", G_CALLBACK (on_folders_changed), self,
                           0);
  g_signal_handlers_disconnect_by_func (conversations, on_counts_changed, self);
  g_signal_connect_object (conversations, "notify::total-unread", G_CALLBACK (on_counts_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversations, "items-changed", G_CALLBACK (on_counts_changed), self,
                           G_CONNECT_SWAPPED);
  show_folders (self, NULL);
}

/* ---------------------------------------------------------------- actions */

static void
on_new_folder_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "name");
  const char *conversation_id = g_object_get_data (G_OBJECT (dialog), "conversation");
  const char *with[] = { conversation_id, NULL };

  if (!g_str_equal (response, "create") || self->client == NULL)
    return;
  tim_client_create_folder_async (self->client, gtk_editable_get_text (name),
                                  conversation_id != NULL ? with : NULL, self->cancellable,
                                  _timchat_window_on_call_done,
                                  _timchat_window_call_new (self, tim_client_create_folder_finish));
}

/* s: the conversation the new folder starts with, "" for none. */
static void
new_folder (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *conversation_id = g_variant_get_string (parameter, NULL);
  GtkWidget *name = timchat_form_entry_new (_ ("Name"));
  GtkWidget *dialog = timchat_form_dialog_new (
      GTK_WINDOW (self), _ ("New Folder"),
      *conversation_id != '\0'
          ? _ ("The conversation goes in it. A folder shows only the conversations you put in it, "
               "on every device of yours.")
          : _ ("A folder shows only the conversations you put in it (from their menu), on every "
               "device of yours."),
      name, "create", _ ("C_reate"));

  g_object_set_data (G_OBJECT (dialog), "name", name);
  timchat_form_dialog_require_text (dialog, "create", name);
  if (*conversation_id != '\0')
    g_object_set_data_full (G_OBJECT (dialog), "conversation", g_strdup (conversation_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_folder_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  TimchatWindow *window; /* a ref */
  char *new_name;
} Renaming;

static void
on_renamed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Renaming *renaming = user_data;
  g_autoptr (GError) error = NULL;

  if (tim_client_rename_folder_finish (TIM_CLIENT (source), result, &error))
    show_folders (renaming->window, renaming->new_name);
  else
    timchat_window_show_error (renaming->window, error);
  g_object_unref (renaming->window);
  g_free (renaming->new_name);
  g_free (renaming);
}

static void
on_rename_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "name");
  const char *folder = g_object_get_data (G_OBJECT (dialog), "folder");
  Renaming *renaming;

  if (!g_str_equal (response, "rename") || self->client == NULL)
    return;
  renaming = g_new0 (Renaming, 1);
  renaming->window = g_object_ref (self);
  renaming->new_name = g_strdup (gtk_editable_get_text (name));
  tim_client_rename_folder_async (self->client, folder, renaming->new_name, self->cancellable,
                                  on_renamed, renaming);
}

static void
rename_folder (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *folder = _timchat_window_get_shown_folder (self);
  GtkWidget *name, *dialog;

  if (folder == NULL)
    return;
  name = timchat_form_entry_new (_ ("Name"));
  gtk_editable_set_text (GTK_EDITABLE (name), folder);
  dialog = timchat_form_dialog_new (GTK_WINDOW (self), _ ("Rename Folder"), NULL, name, "rename",
                                    _ ("_Rename"));
  g_object_set_data (G_OBJECT (dialog), "name", name);
  timchat_form_dialog_require_text (dialog, "rename", name);
  g_object_set_data_full (G_OBJECT (dialog), "folder", g_strdup (folder), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  const char *folder = g_object_get_data (G_OBJECT (dialog), "folder");

  if (g_str_equal (response, "delete") && self->client != NULL)
    tim_client_delete_folder_async (
        self->client, folder, self->cancellable, _timchat_window_on_call_done,
        _timchat_window_call_new (self, tim_client_delete_folder_finish));
}

static void
delete_folder (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *folder = _timchat_window_get_shown_folder (self);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (folder == NULL)
    return;
  /* Translators: the folder's name. */
  heading = g_strdup_printf (_ ("Delete the Folder “%s”?"), folder);
  dialog = timchat_confirm_dialog_new (
      GTK_WINDOW (self), heading,
      _ ("Its conversations stay in the list, on every device of yours."), "delete", _ ("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "folder", g_strdup (folder), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* (ss): the conversation and the folder. */
static void
file_conversation (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *conversation_id = NULL, *folder = NULL;
  const char *ids[2] = { NULL, NULL };

  g_variant_get (parameter, "(&s&s)", &conversation_id, &folder);
  ids[0] = conversation_id;
  if (self->client != NULL)
    tim_client_set_in_folder_async (
        self->client, ids, folder, g_str_equal (action, "win.add-to-folder"), self->cancellable,
        _timchat_window_on_call_done,
        _timchat_window_call_new (self, tim_client_set_in_folder_finish));
}

void
_timchat_window_init_folders (TimchatWindow *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_folder), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_folder), self);
  gtk_drop_down_set_factory (self->folder_dropdown, factory);
}

void
_timchat_window_class_init_folders (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, folder_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, folder_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_selected);
  gtk_widget_class_install_action (widget_class, "win.new-folder", "s", new_folder);
  gtk_widget_class_install_action (widget_class, "win.rename-folder", NULL, rename_folder);
  gtk_widget_class_install_action (widget_class, "win.delete-folder", NULL, delete_folder);
  gtk_widget_class_install_action (widget_class, "win.add-to-folder", "(ss)", file_conversation);
  gtk_widget_class_install_action (widget_class, "win.remove-from-folder", "(ss)",
                                   file_conversation);
}

GStrv
timchat_window_dup_folder_lines (TimchatWindow *self)
{
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();
  guint n;

  g_return_val_if_fail (TIMCHAT_IS_WINDOW (self), NULL);

  n = gtk_widget_get_visible (self->folder_bar) ? n_entries (self) : 0;
  for (guint i = 0; i < n; i++)
    {
      const char *name = gtk_string_list_get_string (_timchat_window_get_folder_names (self), i);
      g_autofree char *line =
          g_strdup_printf ("%s %u", name, folder_unread (self, i == 0 ? NULL : name));

      g_strv_builder_add (lines, line);
    }
  return g_strv_builder_end (lines);
}

GStrv
timchat_window_dup_shown_conversations (TimchatWindow *self)
{
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  GListModel *shown;

  g_return_val_if_fail (TIMCHAT_IS_WINDOW (self), NULL);

  shown = self->filtered != NULL ? G_LIST_MODEL (self->filtered) : NULL;
  for (guint i = 0; shown != NULL && i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (shown, i);

      g_strv_builder_add (ids, tim_conversation_get_id (conversation));
    }
  return g_strv_builder_end (ids);
}
