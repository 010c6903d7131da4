/* timchat-conversation-view.c: the open conversation: a GtkListView over libtim's message list,
 * positioned at the newest message or the first unread when opened, older pages loaded at the top
 * without moving what the reader sees, the bottom followed only when the reader is there (the
 * scrolling is timchat-conversation-view-scroll.c's). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-composer.h"
#include "timchat-context-menu.h"
#include "timchat-conversation-view-private.h"
#include "timchat-resources.h"

/* Enough history to reach the first unread without loading the whole conversation. */
#define MAX_UNREAD_ANCHOR 300

G_DEFINE_FINAL_TYPE (TimchatConversationView, timchat_conversation_view, GTK_TYPE_WIDGET)

void
_timchat_conversation_view_mark_read (TimchatConversationView *self)
{
  if (self->client != NULL && self->conversation_id != NULL)
    tim_client_set_message_read_async (self->client, self->conversation_id, NULL, NULL, NULL);
}

/* ---- the model ---- */

static void
on_older_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean loaded = tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error);

  /* Cancelled: asked for by an opening closed since. Which list it was does not tell: libtim
   * keeps one per conversation, and this one may be open again, loading for its new opening. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading_older = FALSE;
  if (!loaded)
    {
      g_debug ("Loading older messages: %s", error->message);
      return;
    }
  /* Whether to load more is decided after the layout, in on_adjustment_changed. */
}

void
_timchat_conversation_view_load_older (TimchatConversationView *self)
{
  /* Not while the opening is still bringing the newest to the bottom: a page inserted then costs
   * a frame of new rows before the newest is shown. Once settled, pin_tick asks again. */
  if (self->loading_older || self->messages == NULL || self->open_pinning ||
      tim_message_list_get_is_completed (self->messages))
    return;
  self->loading_older = TRUE;
  tim_message_list_load_older_async (self->messages, self->cancellable, on_older_loaded,
                                     g_object_ref (self));
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added,
                  TimchatConversationView *self)
{
  guint n = g_list_model_get_n_items (model);
  guint incoming = 0;
  gboolean mine = FALSE;

  if (removed > 0)
    _timchat_conversation_view_update_selection (self);
  /* The row after the change has a new previous item (grouping, day separator). */
  if (position + added < n)
    {
      g_autoptr (TimMessage) next = g_list_model_get_item (model, position + added);
      _timchat_conversation_view_rebind (self, next, position + added);
    }
  /* Prepends keep their place by GtkListView's anchor (measured in the tests). What goes into an
   * empty list is at position 0 too, and is a page only while the list loads one: a message that
   * comes into an open, empty conversation is followed and read like any other. */
  if (!self->opened || position + added != n ||
      (position == 0 && (removed > 0 || tim_message_list_get_is_loading (self->messages))))
    return;

  for (guint i = position; i < n; i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (model, i);

      if (g_strcmp0 (tim_message_get_flow (message), "out") == 0)
        mine = TRUE;
      else
        incoming++;
    }
  if (mine || self->at_bottom)
    {
      _timchat_conversation_view_scroll_to_bottom (self);
      if (incoming > 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
        _timchat_conversation_view_mark_read (self);
    }
  else if (incoming > 0)
    {
      self->new_count += incoming;
      _timchat_conversation_view_update_new_messages (self);
    }
}

static void
on_completed_changed (TimchatConversationView *self)
{
  _timchat_conversation_view_redecorate (self);
}

/* The first page (and enough to reach the first unread) is in: position the view. */
static void
open_ready (TimchatConversationView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));

  g_clear_pointer (&self->first_unread_id, g_free);
  self->first_unread_shown = FALSE;
  /* Only messages from others count as unread: the marker goes on the unread_at_open-th of them
   * from the end, not above a message the user sent after they came. */
  for (guint i = n, in = 0; i > 0 && in < self->unread_at_open; i--)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (self->messages), i - 1);

      if (!g_str_equal (tim_message_get_flow (message), "in"))
        continue;
      in++;
      g_free (self->first_unread_id);
      self->first_unread_id = g_strdup (tim_message_get_id (message));
    }
  _timchat_conversation_view_redecorate (self);
  self->opened = TRUE;
  self->open_pinning = TRUE;
  _timchat_conversation_view_scroll_to_bottom (self);
  /* Opening reads it: its unread messages, or its mark of unread (libtim asks the server only
   * when there is either). */
  _timchat_conversation_view_mark_read (self);
}

static void
on_first_pages (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean loaded = tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error);
  guint n;

  /* Cancelled: the page of an opening closed since (as in on_older_loaded). Opened again while it
   * loaded (A, B, A), the new opening joined the same load: positioned by this callback too, it
   * was positioned on this page, before the unread were in, and once more when they were. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading_older = FALSE;
  if (!loaded)
    {
      _timchat_conversation_view_show_error (self, error);
      open_ready (self);
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  /* A page that brought nothing (offline, the local store has no older ones) ends the opening
   * too: asking again at once would spin until the network is back. */
  if (!tim_message_list_get_is_completed (self->messages) && n <= self->unread_at_open &&
      n < MAX_UNREAD_ANCHOR && n > self->first_pages_n)
    {
      self->first_pages_n = n;
      self->loading_older = TRUE;
      tim_message_list_load_older_async (self->messages, self->cancellable, on_first_pages,
                                         g_object_ref (self));
      return;
    }
  open_ready (self);
}

static void
close_conversation (TimchatConversationView *self)
{
  /* What was selected belongs to the conversation that closes. */
  _timchat_conversation_view_stop_selecting (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->messages != NULL)
    g_signal_handlers_disconnect_by_data (self->messages, self);
  if (self->list_view != NULL) /* NULL on a second dispose */
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->unbound_rows != NULL)
    _timchat_conversation_view_finish_unbinds (self);
  g_clear_object (&self->messages);
  g_clear_pointer (&self->conversation_id, g_free);
  g_clear_pointer (&self->first_unread_id, g_free);
  self->first_unread_shown = FALSE;
  g_clear_object (&self->show_when_open);
  _timchat_conversation_view_stop_reveal (self);
  _timchat_conversation_view_stop_search (self);
  if (self->pin_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->pin_tick);
  self->pin_tick = 0;
  self->opened = self->loading_older = self->open_pinning = FALSE;
  self->new_count = 0;
  if (self->new_messages_button != NULL)
    _timchat_conversation_view_update_new_messages (self);
  if (self->notice_bar != NULL)
    _timchat_conversation_view_update_notice (self);
}

void
timchat_conversation_view_set_conversation_id (TimchatConversationView *self,
                                               const char *conversation_id)
{
  g_autoptr (GtkSelectionModel) selection = NULL;
  TimConversation *conversation;
  guint n;

  g_return_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self));

  if (g_strcmp0 (conversation_id, self->conversation_id) == 0)
    return;
  close_conversation (self);
  if (conversation_id == NULL || self->client == NULL)
    {
      /* Closed (a log out, the conversation gone elsewhere): what was typed is kept as its draft
       * now, while the client can still keep it (a log out comes right after), not only in this
       * composer's text until another conversation opens. */
      timchat_composer_set_conversation_id (TIMCHAT_COMPOSER (self->composer), NULL);
      return;
    }

  self->conversation_id = g_strdup (conversation_id);
  self->conversation_type = tim_conv_parse_id (conversation_id, NULL);
  self->cancellable = g_cancellable_new ();
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (self->client), conversation_id);
  self->unread_at_open =
      conversation != NULL ? tim_conversation_get_unread_count (conversation) : 0;
  self->messages = g_object_ref (tim_client_get_message_list (self->client, conversation_id));
  g_signal_connect (self->messages, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_swapped (self->messages, "notify::is-completed",
                            G_CALLBACK (on_completed_changed), self);
  selection =
      GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->messages))));
  gtk_list_view_set_model (self->list_view, selection);
  self->model_unlaid = TRUE;
  _timchat_conversation_view_update_notice (self);
  timchat_composer_set_client (TIMCHAT_COMPOSER (self->composer), self->client);
  timchat_composer_set_conversation_id (TIMCHAT_COMPOSER (self->composer), conversation_id);
  /* Group Notices come from the server; there is nobody to write to. */
  gtk_widget_set_visible (self->composer, _timchat_conversation_view_can_send (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.paste",
                                 _timchat_conversation_view_can_send (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  if (!tim_message_list_get_is_completed (self->messages) && (n == 0 || n <= self->unread_at_open))
    {
      self->first_pages_n = n;
      self->loading_older = TRUE;
      tim_message_list_load_older_async (self->messages, self->cancellable, on_first_pages,
                                         g_object_ref (self));
    }
  else
    open_ready (self);
}

/* Another client (a new login, maybe of another account): the view was made on the previous one,
 * whose list, composer and notices it would otherwise go on showing and sending through. */
void
timchat_conversation_view_set_client (TimchatConversationView *self, TimClient *client)
{
  g_return_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (client == NULL || TIM_IS_CLIENT (client));

  if (self->client == client)
    return;
  timchat_conversation_view_set_conversation_id (self, NULL);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  timchat_composer_set_client (TIMCHAT_COMPOSER (self->composer), client);
  _timchat_conversation_view_watch_notice (self);
}

const char *
timchat_conversation_view_get_conversation_id (TimchatConversationView *self)
{
  g_return_val_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self), NULL);
  return self->conversation_id;
}

/* ---- the class ---- */

static void
timchat_conversation_view_dispose (GObject *object)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (object);
  GtkWidget *child;

  close_conversation (self);
  g_clear_handle_id (&self->media_idle, g_source_remove);
  if (self->uploads != NULL)
    {
      /* Out of the view first: a send that ends at once when cancelled (one waiting for the
       * server) runs its callback here, which would take it out of the table being walked. */
      g_autoptr (GHashTable) uploads = g_steal_pointer (&self->uploads);
      GHashTableIter iter;
      gpointer cancellable;

      g_hash_table_iter_init (&iter, uploads);
      while (g_hash_table_iter_next (&iter, &cancellable, NULL))
        g_cancellable_cancel (cancellable);
    }
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->save_message);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_CONVERSATION_VIEW);
  /* The overlay is not a bound child, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->list_items, g_hash_table_unref);
  if (self->unbound_rows != NULL)
    _timchat_conversation_view_finish_unbinds (self);
  g_clear_pointer (&self->unbound_rows, g_hash_table_unref);
  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (timchat_conversation_view_parent_class)->dispose (object);
}

/**
 * timchat_conversation_view_focus_start:
 *
 * Where the keyboard starts in an opened conversation: the composer (open it, start typing), or
 * the messages when there is nothing to write to. Not a grab_focus override: GTK's Tab
 * navigation calls grab_focus on containers, and an override sent every Tab into the composer.
 */
gboolean
timchat_conversation_view_focus_start (TimchatConversationView *self)
{
  g_return_val_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self), FALSE);
  if (!_timchat_conversation_view_can_send (self))
    return gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  return timchat_composer_focus_text (TIMCHAT_COMPOSER (self->composer));
}

void
timchat_conversation_view_edit_again (TimchatConversationView *self, const char *text)
{
  TimchatComposer *composer;
  g_autofree char *typed = NULL;

  g_return_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self));
  composer = TIMCHAT_COMPOSER (self->composer);
  /* While another sent text is being edited the composer's text is that edit: the recalled text
   * would go into it (saving would put it into that message, Escape would drop it). Starting
   * anew ends the edit, as replying does; its typed draft comes back first. */
  timchat_composer_cancel_edit (composer);
  typed = timchat_composer_dup_text (composer);
  if (typed == NULL || *typed == '\0')
    timchat_composer_set_text (composer, text);
  else
    {
      g_autofree char *both = g_strconcat (typed, "\n", text, NULL);

      timchat_composer_set_text (composer, both);
    }
  timchat_composer_focus_text (composer);
}

/* The newest message on screen takes the focus (the last row the list view has made). */
static gboolean
focus_newest_message (TimchatConversationView *self)
{
  GtkWidget *item = gtk_widget_get_last_child (GTK_WIDGET (self->list_view));

  for (; item != NULL; item = gtk_widget_get_prev_sibling (item))
    if (gtk_widget_get_mapped (item) &&
        (gtk_widget_child_focus (item, GTK_DIR_TAB_BACKWARD) || gtk_widget_grab_focus (item)))
      return TRUE;
  return FALSE;
}

/* Tab goes through the messages, then the composer (or the selection bar); Shift+Tab back from it
 * reaches
 * the newest message on screen. Done here because GTK 4.8's list view does not take the focus
 * coming backwards (it would skip to the widgets before the view). */
static gboolean
timchat_conversation_view_focus (GtkWidget *widget, GtkDirectionType direction)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  GtkWidget *list = GTK_WIDGET (self->list_view);
  /* Under the messages: the composer, or in selection mode the bar in its place. */
  GtkWidget *bottom = self->selecting ? self->selection_bar : self->composer;
  GtkWidget *inside = gtk_widget_get_focus_child (widget);
  gboolean has_bottom = self->selecting || _timchat_conversation_view_can_send (self);

  if (direction == GTK_DIR_TAB_FORWARD)
    {
      if (inside != bottom && gtk_widget_child_focus (list, direction))
        return TRUE;
      return has_bottom && gtk_widget_child_focus (bottom, direction);
    }
  if (direction == GTK_DIR_TAB_BACKWARD)
    {
      if (inside == NULL || inside == bottom)
        {
          if (has_bottom && gtk_widget_child_focus (bottom, direction))
            return TRUE;
          return focus_newest_message (self);
        }
      return gtk_widget_child_focus (list, direction);
    }
  return GTK_WIDGET_CLASS (timchat_conversation_view_parent_class)->focus (widget, direction);
}

gboolean
_timchat_conversation_view_can_send (TimchatConversationView *self)
{
  return self->conversation_id != NULL && self->conversation_type != TIM_CONV_SYSTEM;
}

/* Messages that came while the view was not on screen (the window in the background, or the
 * narrow layout showing the list) were not read; shown again with the newest in view, they are
 * now. */
static void
timchat_conversation_view_map (GtkWidget *widget)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimConversation *conversation = NULL;

  GTK_WIDGET_CLASS (timchat_conversation_view_parent_class)->map (widget);
  if (self->opened && self->at_bottom && self->client != NULL && self->conversation_id != NULL)
    conversation = tim_conversation_list_lookup (tim_client_get_conversations (self->client),
                                                 self->conversation_id);
  if (conversation != NULL && tim_conversation_get_unread_count (conversation) > 0)
    _timchat_conversation_view_mark_read (self);
}

static void
timchat_conversation_view_class_init (TimchatConversationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  g_type_ensure (TIMCHAT_TYPE_COMPOSER);
  object_class->dispose = timchat_conversation_view_dispose;
  widget_class->focus = timchat_conversation_view_focus;
  widget_class->map = timchat_conversation_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-conversation-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, scroller);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, list_view);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, composer);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, new_messages_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView,
                                        new_messages_content);
  _timchat_conversation_view_class_init_scroll (widget_class);
  _timchat_conversation_view_class_init_actions (widget_class);
  _timchat_conversation_view_class_init_send (widget_class);
  _timchat_conversation_view_class_init_reply (widget_class);
  _timchat_conversation_view_class_init_search (widget_class);
  _timchat_conversation_view_class_init_notice (widget_class);
  _timchat_conversation_view_class_init_delete (widget_class);
  _timchat_conversation_view_class_init_select (widget_class);
  _timchat_conversation_view_class_init_application (widget_class);
}

static void
timchat_conversation_view_init (TimchatConversationView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->list_items = g_hash_table_new (NULL, NULL);
  self->uploads = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->at_bottom = TRUE;
  _timchat_conversation_view_init_rows (self);
  timchat_context_menu_bind_list_keys (self->list_view, "row.menu");
  _timchat_conversation_view_init_activation (self);
  self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (self->scroller));
  _timchat_conversation_view_init_scroll (self);
  g_signal_connect (self, "map", G_CALLBACK (_timchat_conversation_view_queue_media_update), NULL);
  _timchat_conversation_view_init_send (self);
  _timchat_conversation_view_init_reply (self);
  _timchat_conversation_view_init_search (self);
  _timchat_conversation_view_init_select (self);
}

GtkWidget *
timchat_conversation_view_new (TimClient *client)
{
  TimchatConversationView *self = g_object_new (TIMCHAT_TYPE_CONVERSATION_VIEW, NULL);

  g_return_val_if_fail (client == NULL || TIM_IS_CLIENT (client), GTK_WIDGET (self));
  g_set_object (&self->client, client);
  _timchat_conversation_view_watch_notice (self);
  return GTK_WIDGET (self);
}
