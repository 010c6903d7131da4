/* timchat-conversation-view-search.c: searching the open conversation. Ctrl+F (or the window's
 * Search Messages button) opens a search bar over the messages; what is typed is looked for by
 * libtim in what this device has seen, and the results show in a card over the top of the
 * messages (TimchatSearchResults), their count beside the entry. Up and Down from the entry go
 * through them, Enter or a click takes one: the card folds away and the view scrolls to the
 * message and highlights it (as a reply's quote leads to its original). A message older than the
 * pages loaded is reached by loading older pages until the view has it (at most MAX_SEEK_PAGES,
 * then a toast): the pages come from the same history the reader would scroll through, in order,
 * so the view stays as it would have been had the reader scrolled up. Escape closes the bar and
 * gives the composer the focus; another conversation closes it too. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-view-private.h"

/* 15 messages a page: 3,000 messages back. */
#define MAX_SEEK_PAGES 200

/* ---- the card and the count ---- */

static gboolean
has_keyword (TimchatConversationView *self)
{
  return *timchat_search_results_get_summary (self->search_results) != '\0';
}

static void
update_popup (TimchatConversationView *self)
{
  const char *summary = timchat_search_results_get_summary (self->search_results);
  gboolean found =
      g_list_model_get_n_items (timchat_search_results_get_model (self->search_results)) > 0;

  gtk_widget_set_visible (self->search_popup, gtk_search_bar_get_search_mode (self->search_bar) &&
                                                  has_keyword (self) && !self->search_folded);
  gtk_label_set_text (self->search_count, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->search_count), found);
  /* GTK 4.8 cannot announce; a screen reader hears the count with the entry. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
}

/* ---- going to a result ---- */

static void
stop_seeking (TimchatConversationView *self)
{
  g_cancellable_cancel (self->seek_cancellable);
  g_clear_object (&self->seek_cancellable);
  g_clear_pointer (&self->seek_id, g_free);
  self->seek_pages = 0;
  if (self->search_spinner != NULL)
    {
      gtk_spinner_stop (self->search_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->search_spinner), FALSE);
    }
}

static void seek_next_page (TimchatConversationView *self);

static void
on_seek_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean loaded = tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->seek_id == NULL ||
      TIM_MESSAGE_LIST (source) != self->messages)
    return; /* another search, result or conversation by now */
  if (!loaded)
    {
      _timchat_conversation_view_show_error (self, error);
      stop_seeking (self);
    }
  else if (_timchat_conversation_view_reveal (self, self->seek_id))
    stop_seeking (self);
  else if (tim_message_list_get_is_completed (self->messages) ||
           ++self->seek_pages >= MAX_SEEK_PAGES)
    {
      /* Deleted since, or further back than is worth loading. */
      _timchat_conversation_view_toast (self, _ ("The message could not be found in the "
                                                 "conversation"));
      stop_seeking (self);
    }
  else
    seek_next_page (self);
}

static void
seek_next_page (TimchatConversationView *self)
{
  tim_message_list_load_older_async (self->messages, self->seek_cancellable, on_seek_page,
                                     g_object_ref (self));
}

void
timchat_conversation_view_show_message (TimchatConversationView *self, TimMessage *message)
{
  g_return_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (TIM_IS_MESSAGE (message));

  stop_seeking (self);
  g_clear_object (&self->show_when_open);
  /* Just opened (from the window's search): once the view has been brought to the newest, so
   * that it does not pull the view back down. */
  if (self->messages != NULL && (!self->opened || self->open_pinning))
    {
      self->show_when_open = g_object_ref (message);
      return;
    }
  if (self->messages == NULL ||
      g_strcmp0 (tim_message_get_conversation_id (message), self->conversation_id) != 0 ||
      _timchat_conversation_view_reveal (self, tim_message_get_id (message)))
    return;
  if (tim_message_list_get_is_completed (self->messages))
    {
      _timchat_conversation_view_toast (self, _ ("The message could not be found in the "
                                                 "conversation"));
      return;
    }
  /* Older than the pages loaded: load more until the view has it. */
  self->seek_id = g_strdup (tim_message_get_id (message));
  self->seek_cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->search_spinner), TRUE);
  gtk_spinner_start (self->search_spinner);
  seek_next_page (self);
}

static void
on_message_activated (TimchatSearchResults *results, TimMessage *message,
                      TimchatConversationView *self)
{
  self->search_folded = TRUE;
  update_popup (self);
  timchat_conversation_view_show_message (self, message);
}

/* ---- the entry ---- */

/* Whether the results are those of what is typed (found or being found). */
static gboolean
typed_is_searched (TimchatConversationView *self)
{
  g_autofree char *typed =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  const char *keyword = timchat_search_results_get_keyword (self->search_results);

  return g_strcmp0 (typed, keyword != NULL ? keyword : "") == 0;
}

static void
on_search_changed (GtkSearchEntry *entry, TimchatConversationView *self)
{
  /* Searched already, by an Enter that came first (below): GtkSearchEntry's search-changed,
   * 150 ms after the last key, would start it again and lose the result Enter went to. */
  if (typed_is_searched (self))
    return;
  stop_seeking (self);
  self->search_folded = FALSE;
  if (self->client != NULL && self->conversation_id != NULL &&
      gtk_search_bar_get_search_mode (self->search_bar))
    timchat_search_results_search (self->search_results, self->client, self->conversation_id,
                                   gtk_editable_get_text (GTK_EDITABLE (entry)));
  else
    timchat_search_results_clear (self->search_results);
  update_popup (self);
}

static void
on_entry_activate (GtkSearchEntry *entry, TimchatConversationView *self)
{
  /* Enter within 150 ms of the last key comes before GtkSearchEntry's search-changed: the
   * results are still those of what was typed before. What is typed now goes first (as the
   * sidebar's search does); its first result is taken once libtim has answered. */
  on_search_changed (entry, self);
  timchat_search_results_activate_selected (self->search_results);
}

/* Up and Down go through the results (and bring the card back once one was taken). */
static gboolean
on_entry_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
              TimchatConversationView *self)
{
  int delta;

  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    delta = -1;
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    delta = 1;
  else
    return FALSE;
  if ((state & gtk_accelerator_get_default_mod_mask ()) != 0 || !has_keyword (self))
    return FALSE;
  if (self->search_folded)
    {
      self->search_folded = FALSE;
      update_popup (self);
      return TRUE;
    }
  return timchat_search_results_move (self->search_results, delta);
}

static void
close_search (TimchatConversationView *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  timchat_conversation_view_focus_start (self);
}

static void
on_stop_search (GtkSearchEntry *entry, TimchatConversationView *self)
{
  close_search (self);
}

static void
on_search_mode (TimchatConversationView *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      stop_seeking (self);
      timchat_search_results_clear (self->search_results);
    }
  update_popup (self);
}

/* ---- opening and closing ---- */

gboolean
timchat_conversation_view_start_search (TimchatConversationView *self)
{
  g_return_val_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self), FALSE);
  if (self->conversation_id == NULL)
    return FALSE;
  /* Empty (GtkSearchBar empties its entry as it closes), or back from a result taken: the
   * results again, to take another. */
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  self->search_folded = FALSE;
  update_popup (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
  return TRUE;
}

void
_timchat_conversation_view_stop_search (TimchatConversationView *self)
{
  stop_seeking (self);
  if (self->search_bar == NULL) /* a second dispose */
    return;
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  timchat_search_results_clear (self->search_results);
  self->search_folded = FALSE;
  update_popup (self);
}

static gboolean
on_ctrl_f (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return timchat_conversation_view_start_search (TIMCHAT_CONVERSATION_VIEW (widget));
}

/* Escape that nothing in the view took (the composer cancels an edit or a reply first), while
 * the bar is open: from a result the view went to, say. */
static gboolean
on_escape (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    return FALSE;
  close_search (self);
  return TRUE;
}

static void
search_action (GtkWidget *widget, const char *action, GVariant *param)
{
  timchat_conversation_view_start_search (TIMCHAT_CONVERSATION_VIEW (widget));
}

void
_timchat_conversation_view_class_init_search (GtkWidgetClass *widget_class)
{
  g_type_ensure (TIMCHAT_TYPE_SEARCH_RESULTS);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, search_count);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, search_spinner);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, search_popup);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, search_results);
  gtk_widget_class_install_action (widget_class, "conversation.search", NULL, search_action);
}

void
_timchat_conversation_view_init_search (TimchatConversationView *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  /* On the view, so that Ctrl+F in the conversation searches it; elsewhere in the window, the
   * window's Ctrl+F searches the conversation list. */
  gtk_event_controller_set_name (shortcuts, "search-shortcuts");
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                        gtk_callback_action_new (on_ctrl_f, NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                        gtk_callback_action_new (on_escape, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* Before the entry's text moves its cursor. */
  gtk_event_controller_set_name (keys, "search-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_entry_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (on_entry_activate), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self);
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (on_search_mode), self);
  g_signal_connect_swapped (self->search_results, "notify::summary", G_CALLBACK (update_popup),
                            self);
  g_signal_connect (self->search_results, "message-activated", G_CALLBACK (on_message_activated),
                    self);
}
