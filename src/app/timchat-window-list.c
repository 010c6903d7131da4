/* timchat-window-list.c: the window's conversation list: a GtkListView of conversation rows over
 * the client's TimConversationList, filtered by the search entry and the folder shown
 * (timchat-window-folders.c), filled in over the first frames. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-conversation-row.h"
#include "timchat-window-private.h"

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, timchat_conversation_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  TimchatWindow *self = TIMCHAT_WINDOW (user_data);

  timchat_conversation_row_set_conversation (
      TIMCHAT_CONVERSATION_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item),
      tim_client_get_user (self->client));
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  timchat_conversation_row_set_conversation (
      TIMCHAT_CONVERSATION_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

void
_timchat_window_update_list_page (TimchatWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0 &&
                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0';

  gtk_stack_set_visible_child_name (
      self->list_stack, !empty                                            ? "list"
                        : _timchat_window_get_shown_folder (self) != NULL ? "empty-folder"
                                                                          : "empty");
  _timchat_window_update_search_layout (self);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added,
                  TimchatWindow *self)
{
  _timchat_window_update_list_page (self);
}

static gboolean
is_open (gpointer item, const char *open_id)
{
  return item != NULL && g_strcmp0 (tim_conversation_get_id (item), open_id) == 0;
}

void
_timchat_window_select_open_conversation (TimchatWindow *self)
{
  GtkSingleSelection *selection =
      self->conversation_list != NULL
          ? GTK_SINGLE_SELECTION (gtk_list_view_get_model (self->conversation_list))
          : NULL;
  const char *open_id = _timchat_window_get_open_id (self);
  guint position = GTK_INVALID_LIST_POSITION;
  guint n_items;

  if (selection == NULL)
    return;
  /* The selection follows its item as the list reorders: look only when it is another. */
  if (open_id != NULL && is_open (gtk_single_selection_get_selected_item (selection), open_id))
    return;
  n_items = open_id != NULL ? g_list_model_get_n_items (G_LIST_MODEL (selection)) : 0;
  for (guint i = 0; i < n_items && position == GTK_INVALID_LIST_POSITION; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (is_open (item, open_id))
        position = i;
    }
  if (gtk_single_selection_get_selected (selection) != position)
    gtk_single_selection_set_selected (selection, position);
}

/* GtkListView (4.8) makes a row widget for each of the first 200 items at once: for a long
 * conversation list that was most of the time before the first frame. The first frame gets a
 * screenful (rows are at least ROW_MIN_HEIGHT high, under ~LIST_TOP of header bar and search
 * entry); the rest comes FILL_STEP rows per frame after it. */
#define ROW_MIN_HEIGHT 52
#define LIST_TOP 90
#define FILL_STEP 24

static guint
screenful_of_rows (TimchatWindow *self)
{
  int width = 0, height = 0;

  /* Both out arguments: GTK 4.8 writes the width without checking. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  return MAX (height, 480) > LIST_TOP ? (MAX (height, 480) - LIST_TOP) / ROW_MIN_HEIGHT + 1 : 8;
}

static gboolean
fill_list (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TimchatWindow *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->shown);

  if (self->fill_frames++ == 0)
    return G_SOURCE_CONTINUE; /* this is the first frame: not yet */
  if (size < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)))
    {
      gtk_slice_list_model_set_size (self->shown, size + FILL_STEP);
      return G_SOURCE_CONTINUE;
    }
  gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
  self->fill_tick = 0;
  return G_SOURCE_REMOVE;
}

void
_timchat_window_stop_filling (TimchatWindow *self)
{
  if (self->fill_tick != 0 && self->conversation_list != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->conversation_list), self->fill_tick);
  self->fill_tick = 0;
}

void
_timchat_window_show_conversations (TimchatWindow *self)
{
  g_autoptr (GtkSelectionModel) selection = NULL;
  GtkListItemFactory *factory;
  GtkMultiFilter *filters;

  /* A second login (after a log out) replaces the previous client's list models, and what was
   * searched with them. */
  _timchat_window_reset_search (self);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  self->filter = timchat_conversation_row_new_search_filter ();
  /* What is searched, in the folder shown. */
  filters = GTK_MULTI_FILTER (gtk_every_filter_new ());
  gtk_multi_filter_append (filters, GTK_FILTER (g_object_ref (self->filter)));
  gtk_multi_filter_append (filters, _timchat_window_new_folder_filter (self));
  self->filtered = gtk_filter_list_model_new (
      g_object_ref (G_LIST_MODEL (tim_client_get_conversations (self->client))),
      GTK_FILTER (filters));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row), self, 0);
  gtk_list_view_set_factory (self->conversation_list, factory);
  g_object_unref (factory);
  _timchat_window_stop_filling (self);
  g_clear_object (&self->shown);
  self->shown = gtk_slice_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)), 0,
                                          screenful_of_rows (self));
  self->fill_frames = 0;
  self->fill_tick =
      gtk_widget_add_tick_callback (GTK_WIDGET (self->conversation_list), fill_list, self, NULL);
  selection =
      GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->shown))));
  /* Not the first row: nothing is open yet. A row the search hid, or one the list has not
   * filled in yet, is selected again when it is shown. */
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  g_signal_connect_object (selection, "items-changed",
                           G_CALLBACK (_timchat_window_select_open_conversation), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  /* The list view takes its own reference: ours goes with this function. */
  gtk_list_view_set_model (self->conversation_list, selection);
  _timchat_window_update_list_page (self);
  _timchat_window_select_open_conversation (self);
  _timchat_window_show_folders (self);
}
