/* timchat-window-search.c: the sidebar's search. What is typed filters the conversation list (by
 * name or ID) and is looked for in the messages of every conversation this device has seen
 * (TimchatSearchResults, as the open conversation's own search does it). While something is
 * typed the sidebar shows both, under "Conversations" and "Messages": a few rows of matching
 * conversations (none, no heading, when no name matches), the messages filling the rest (none,
 * no heading, when conversations were found and no message; "No Messages Found" when nothing
 * was). A message taken opens its conversation and goes to it; the search stays, to take
 * another. Enter in the entry opens the first conversation found, else the first message; Escape
 * ends the search. Down from the entry is GTK's own focus move: to the first row found below it.
 * A section hidden with the focus in it (the conversation in focus deleted) gives the focus back
 * to the entry. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-conversation-view.h"
#include "timchat-search-results.h"
#include "timchat-window-private.h"

/* Room for about three conversation rows above the messages found; more scroll. */
#define SEARCH_CONVERSATIONS_HEIGHT 180

gboolean
_timchat_window_is_searching (TimchatWindow *self)
{
  g_autofree char *typed =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  return *typed != '\0';
}

/* One of the sections under the entry (the conversations found, the messages found) shown or
 * hidden. One hidden with the focus in it (the conversation in focus deleted, say) gives the focus
 * back to the entry, where the search goes on: GTK 4.8 would send it to whatever takes it next in
 * the window, and the box over the sections would keep the hidden one as the child the focus was
 * last in; GTK's Down from the entry goes into that child only, so into nothing while it stays
 * hidden (the messages found out of reach). Moved from within, the focus leaves no such trace. */
static void
show_section (TimchatWindow *self, GtkWidget *section, gboolean shown)
{
  GtkRoot *root = gtk_widget_get_root (section);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!shown && focus != NULL && (focus == section || gtk_widget_is_ancestor (focus, section)))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_widget_set_visible (section, shown);
}

void
_timchat_window_update_search_layout (TimchatWindow *self)
{
  gboolean searching = _timchat_window_is_searching (self);
  gboolean conversations_found =
      self->filtered != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0;
  gboolean messages_found =
      g_list_model_get_n_items (timchat_search_results_get_model (self->message_results)) > 0;

  gtk_widget_set_visible (self->conversations_heading, searching && conversations_found);
  show_section (self, GTK_WIDGET (self->conversation_scroller), !searching || conversations_found);
  gtk_widget_set_vexpand (GTK_WIDGET (self->conversation_scroller), !searching);
  /* Searching, the list is as high as its rows up to the limit; otherwise all the sidebar (its
   * natural height would be every row's). */
  gtk_scrolled_window_set_max_content_height (self->conversation_scroller,
                                              searching ? SEARCH_CONVERSATIONS_HEIGHT : -1);
  gtk_scrolled_window_set_propagate_natural_height (self->conversation_scroller, searching);
  show_section (self, self->message_search, searching && (messages_found || !conversations_found));
}

static void
on_search_changed (TimchatWindow *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->filter != NULL)
    gtk_string_filter_set_search (self->filter, typed);
  /* A search looks in every conversation, whatever folder is shown. */
  if (self->folder_filter != NULL && self->searching != _timchat_window_is_searching (self))
    {
      self->searching = !self->searching;
      gtk_filter_changed (GTK_FILTER (self->folder_filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
  if (self->client != NULL && _timchat_window_is_searching (self))
    timchat_search_results_search (self->message_results, self->client, NULL, typed);
  else
    timchat_search_results_clear (self->message_results);
  _timchat_window_update_search_layout (self);
}

static void
on_search_activate (TimchatWindow *self)
{
  g_autoptr (TimConversation) first = NULL;

  if (!_timchat_window_is_searching (self) || self->filtered == NULL)
    return;
  /* Enter within 150 ms of the last key comes before GtkSearchEntry's search-changed: the list
   * is still filtered by what was typed before (nothing, after a first word), and its first row
   * is not the one asked for. What is typed now goes first. */
  if (self->filter != NULL &&
      g_strcmp0 (gtk_string_filter_get_search (self->filter),
                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) != 0)
    on_search_changed (self);
  first = g_list_model_get_item (G_LIST_MODEL (self->filtered), 0);
  if (first != NULL)
    timchat_window_open_conversation (self, tim_conversation_get_id (first));
  else
    timchat_search_results_activate_selected (self->message_results);
}

/* Escape in the entry (GtkSearchEntry's stop-search) ends the search, as Escape closes the open
 * conversation's: GTK 4.8 leaves what was typed, and the search stayed with no key to end it but
 * deleting it. The entry keeps the focus, to type another. */
static void
on_search_stopped (TimchatWindow *self)
{
  _timchat_window_reset_search (self);
}

static void
on_message_result_activated (TimchatSearchResults *results, TimMessage *message,
                             TimchatWindow *self)
{
  timchat_window_open_conversation (self, tim_message_get_conversation_id (message));
  timchat_conversation_view_show_message (TIMCHAT_CONVERSATION_VIEW (self->conversation_view),
                                          message);
}

void
_timchat_window_reset_search (TimchatWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  timchat_search_results_clear (self->message_results);
  _timchat_window_update_search_layout (self);
}

void
_timchat_window_init_search (TimchatWindow *self)
{
  /* The messages found come after the conversations (and may leave again: recalled, deleted). */
  g_signal_connect_object (timchat_search_results_get_model (self->message_results),
                           "items-changed", G_CALLBACK (_timchat_window_update_search_layout), self,
                           G_CONNECT_SWAPPED);
}

void
_timchat_window_class_init_search (GtkWidgetClass *widget_class)
{
  g_type_ensure (TIMCHAT_TYPE_SEARCH_RESULTS);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, conversations_heading);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, conversation_scroller);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, message_search);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, message_results);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stopped);
  gtk_widget_class_bind_template_callback (widget_class, on_message_result_activated);
}
