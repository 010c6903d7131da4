/* timchat-conversation-view.c: the open conversation: a GtkListView over libtim's message list,
 * positioned at the newest message or the first unread when opened, older pages loaded at the top
 * without moving what the reader sees, the bottom followed only when the reader is there. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer.h"
#include "timchat-context-menu.h"
#include "timchat-conversation-view-private.h"
#include "timchat-resources.h"

/* Within this many pixels of the end counts as "at the bottom"; this near the top loads more. */
#define BOTTOM_THRESHOLD 48.0
#define LOAD_OLDER_THRESHOLD 400.0
/* Rows measure themselves over a few frames (estimates, then real sizes, then images): the end
 * counts as reached when it has not moved for PIN_STABLE_FRAMES, or after PIN_MAX_FRAMES. */
#define PIN_STABLE_FRAMES 3
#define PIN_MAX_FRAMES 60
/* Enough history to reach the first unread without loading the whole conversation. */
#define MAX_UNREAD_ANCHOR 300

G_DEFINE_FINAL_TYPE (TimchatConversationView, timchat_conversation_view, GTK_TYPE_WIDGET)

static void load_older (TimchatConversationView *self);

static void
mark_read (TimchatConversationView *self)
{
  if (self->client != NULL && self->conversation_id != NULL)
    tim_client_set_message_read_async (self->client, self->conversation_id, NULL, NULL, NULL);
}

/* ---- scrolling ---- */

static gboolean
is_at_bottom (TimchatConversationView *self)
{
  GtkAdjustment *adj = self->vadjustment;

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - BOTTOM_THRESHOLD;
}

static void
update_new_messages (TimchatConversationView *self)
{
  g_autofree char *label = NULL;

  if (self->new_count > 0)
    {
      label = g_strdup_printf (ngettext ("%u new message", "%u new messages", self->new_count),
                               self->new_count);
      adw_button_content_set_label (self->new_messages_content, label);
      /* GTK 4.8 names a button only from a GtkLabel child; with AdwButtonContent a screen
       * reader would say "GtkImage". */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->new_messages_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  gtk_widget_set_visible (self->new_messages_button, self->new_count > 0);
}

static void
scroll_to_position (TimchatConversationView *self, guint position)
{
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

/* GtkListView estimates the rows it has not measured yet, so the end moves while rows come in:
 * keep the view at the bottom for a few frames, then let the reader have it. */
static gboolean
pin_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  guint n = self->messages != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->messages)) : 0;
  double upper = gtk_adjustment_get_upper (self->vadjustment);

  if (n > 0)
    scroll_to_position (self, n - 1);
  /* Ticks run before layout. A new model's rows have no heights until it lays them out, while
   * the adjustment still spans the old ones: GTK 4.8's GtkListView then cannot find the row at
   * the value set and warns. scroll-to-item anchors that frame at the end by itself. */
  if (n > 0 && !self->model_unlaid)
    gtk_adjustment_set_value (self->vadjustment,
                              upper - gtk_adjustment_get_page_size (self->vadjustment));
  self->model_unlaid = FALSE;
  self->pin_stable = upper == self->pin_upper ? self->pin_stable + 1 : 0;
  self->pin_upper = upper;
  if (self->pin_stable < PIN_STABLE_FRAMES && ++self->pin_frames < PIN_MAX_FRAMES)
    return G_SOURCE_CONTINUE;
  self->pin_tick = 0;
  if (self->open_pinning)
    {
      g_autoptr (TimMessage) show = g_steal_pointer (&self->show_when_open);

      self->open_pinning = FALSE;
      if (show != NULL)
        {
          /* Asked for before it was open: that message, not the first unread. */
          self->first_unread_shown = TRUE;
          timchat_conversation_view_show_message (self, show);
          return G_SOURCE_REMOVE;
        }
      if (gtk_adjustment_get_value (self->vadjustment) < LOAD_OLDER_THRESHOLD)
        load_older (self);
    }
  /* Opening at the first unread: bring it to the top unless it is on screen already. */
  if (self->first_unread_id != NULL && !self->first_unread_shown && self->messages != NULL)
    {
      /* By ID: the list lets go of messages it has not used lately, so an instance found
       * before this walk may not be the one it hands out during it. */
      gboolean known = tim_message_list_lookup (self->messages, self->first_unread_id) != NULL;

      for (guint i = n; known && i > 0; i--)
        {
          g_autoptr (TimMessage) message =
              g_list_model_get_item (G_LIST_MODEL (self->messages), i - 1);

          if (g_strcmp0 (tim_message_get_id (message), self->first_unread_id) == 0)
            {
              /* A deliberate move (maybe off the bottom), like the reader's own; once. */
              self->first_unread_shown = TRUE;
              _timchat_conversation_view_note_reader_scroll (self);
              scroll_to_position (self, i - 1);
              break;
            }
        }
    }
  return G_SOURCE_REMOVE;
}

/* While pinned, after GTK's layout of a frame and before its paint: the end as measured in this
 * frame, so the frame painted shows the bottom (a tick callback runs before the layout, when the
 * new rows have no size yet). The frame clock lays out again when this moves the view. */
static void
on_clock_layout (GdkFrameClock *clock, TimchatConversationView *self)
{
  GtkAdjustment *adj = self->vadjustment;
  double bottom = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  if (self->pin_tick != 0 && gtk_adjustment_get_value (adj) < bottom)
    gtk_adjustment_set_value (adj, bottom);
}

static void
on_realize (TimchatConversationView *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "layout",
                           G_CALLBACK (on_clock_layout), self, 0);
}

static void
on_unrealize (TimchatConversationView *self)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (self)),
                                        on_clock_layout, self);
}

void
_timchat_conversation_view_scroll_to_bottom (TimchatConversationView *self)
{
  self->at_bottom = TRUE;
  self->new_count = 0;
  update_new_messages (self);
  self->pin_frames = self->pin_stable = 0;
  self->pin_upper = -1;
  if (self->pin_tick == 0)
    self->pin_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), pin_tick, NULL, NULL);
}

#define READER_SCROLL_WINDOW_US (600 * 1000)

void
_timchat_conversation_view_note_reader_scroll (TimchatConversationView *self)
{
  self->last_reader_scroll_us = g_get_monotonic_time ();
}

static gboolean
reader_scrolled_recently (TimchatConversationView *self)
{
  return g_get_monotonic_time () - self->last_reader_scroll_us < READER_SCROLL_WINDOW_US;
}

static void
on_value_changed (GtkAdjustment *adj, TimchatConversationView *self)
{
  _timchat_conversation_view_queue_media_update (self);
  if (!self->opened)
    return;
  if (self->pin_tick == 0)
    {
      gboolean now_at_bottom = is_at_bottom (self);

      /* GTK 4.8's GtkListView can re-anchor itself to the top on a later re-layout (seen with
       * the window's other widgets updating): that is not the reader leaving the bottom. */
      if (self->at_bottom && !now_at_bottom && !reader_scrolled_recently (self))
        {
          _timchat_conversation_view_scroll_to_bottom (self);
          return;
        }
      self->at_bottom = now_at_bottom;
    }
  if (self->at_bottom && self->new_count > 0)
    {
      self->new_count = 0;
      update_new_messages (self);
      mark_read (self);
    }
  if (gtk_adjustment_get_value (adj) < LOAD_OLDER_THRESHOLD)
    load_older (self);
}

/* After a layout: the top is still near (a short page, or the view is shorter than it): load
 * more to fill it. */
static void
on_adjustment_changed (GtkAdjustment *adj, TimchatConversationView *self)
{
  _timchat_conversation_view_queue_media_update (self);
  if (self->opened && gtk_adjustment_get_value (adj) < LOAD_OLDER_THRESHOLD)
    load_older (self);
}

static gboolean
on_reader_scroll (GtkEventControllerScroll *controller, double dx, double dy, gpointer user_data)
{
  _timchat_conversation_view_note_reader_scroll (user_data);
  return FALSE;
}

/* A press and drag of some pixels (the scrollbar, a touch pan); a click is not scrolling. */
static void
on_reader_drag (GtkGestureDrag *gesture, double offset_x, double offset_y, gpointer user_data)
{
  if (ABS (offset_y) > 4)
    _timchat_conversation_view_note_reader_scroll (user_data);
}

static gboolean
on_reader_key (GtkEventControllerKey *controller, guint keyval, guint keycode,
               GdkModifierType state, gpointer user_data)
{
  _timchat_conversation_view_note_reader_scroll (user_data);
  return FALSE;
}

/* Watches (never claims) the reader's scrolling input on the scroller, in the capture phase. */
static void
add_reader_input_watch (TimchatConversationView *self)
{
  GtkEventController *scroll =
      gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_reader_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), scroll);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_reader_drag), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (drag));
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_reader_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), keys);
}

static void
on_jump_to_newest (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);

  _timchat_conversation_view_scroll_to_bottom (self);
  mark_read (self);
}

/* ---- the model ---- */

static void
on_older_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;

  if (TIM_MESSAGE_LIST (source) != self->messages)
    return; /* another conversation by now */
  self->loading_older = FALSE;
  if (!tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error))
    {
      g_debug ("Loading older messages: %s", error->message);
      return;
    }
  /* Whether to load more is decided after the layout, in on_adjustment_changed. */
}

static void
load_older (TimchatConversationView *self)
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

  /* The row after the change has a new previous item (grouping, day separator). */
  if (position + added < n)
    {
      g_autoptr (TimMessage) next = g_list_model_get_item (model, position + added);
      _timchat_conversation_view_rebind (self, next, position + added);
    }
  if (!self->opened || position + added != n || position == 0)
    return; /* prepends keep their place by GtkListView's anchor (measured in the tests) */

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
        mark_read (self);
    }
  else if (incoming > 0)
    {
      self->new_count += incoming;
      update_new_messages (self);
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
  if (self->unread_at_open > 0 && n > 0)
    {
      g_autoptr (TimMessage) first =
          g_list_model_get_item (G_LIST_MODEL (self->messages), n - MIN (n, self->unread_at_open));
      self->first_unread_id = g_strdup (tim_message_get_id (first));
    }
  _timchat_conversation_view_redecorate (self);
  self->opened = TRUE;
  self->open_pinning = TRUE;
  _timchat_conversation_view_scroll_to_bottom (self);
  /* Opening reads it: its unread messages, or its mark of unread (libtim asks the server only
   * when there is either). */
  mark_read (self);
}

static void
on_first_pages (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  guint n;

  if (TIM_MESSAGE_LIST (source) != self->messages)
    return;
  self->loading_older = FALSE;
  if (!tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error))
    {
      _timchat_conversation_view_show_error (self, error);
      open_ready (self);
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  if (!tim_message_list_get_is_completed (self->messages) && n <= self->unread_at_open &&
      n < MAX_UNREAD_ANCHOR)
    {
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
    update_new_messages (self);
  if (self->blocked_bar != NULL)
    _timchat_conversation_view_update_blocked (self);
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
    return;

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
  _timchat_conversation_view_update_blocked (self);
  timchat_composer_set_client (TIMCHAT_COMPOSER (self->composer), self->client);
  timchat_composer_set_conversation_id (TIMCHAT_COMPOSER (self->composer), conversation_id);
  /* Group Notices come from the server; there is nobody to write to. */
  gtk_widget_set_visible (self->composer, _timchat_conversation_view_can_send (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.paste",
                                 _timchat_conversation_view_can_send (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  if (!tim_message_list_get_is_completed (self->messages) && (n == 0 || n <= self->unread_at_open))
    {
      self->loading_older = TRUE;
      tim_message_list_load_older_async (self->messages, self->cancellable, on_first_pages,
                                         g_object_ref (self));
    }
  else
    open_ready (self);
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
      GHashTableIter iter;
      gpointer cancellable;

      g_hash_table_iter_init (&iter, self->uploads);
      while (g_hash_table_iter_next (&iter, NULL, &cancellable))
        g_cancellable_cancel (cancellable);
      g_clear_pointer (&self->uploads, g_hash_table_unref);
    }
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->save_message_id, g_free);
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
    mark_read (self);
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
  gtk_widget_class_install_action (widget_class, "conversation.jump-to-newest", NULL,
                                   on_jump_to_newest);
  _timchat_conversation_view_class_init_actions (widget_class);
  _timchat_conversation_view_class_init_send (widget_class);
  _timchat_conversation_view_class_init_reply (widget_class);
  _timchat_conversation_view_class_init_search (widget_class);
  _timchat_conversation_view_class_init_blocked (widget_class);
  _timchat_conversation_view_class_init_delete (widget_class);
  _timchat_conversation_view_class_init_select (widget_class);
  _timchat_conversation_view_class_init_application (widget_class);
}

static void
timchat_conversation_view_init (TimchatConversationView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->list_items = g_hash_table_new (NULL, NULL);
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->at_bottom = TRUE;
  _timchat_conversation_view_init_rows (self);
  timchat_context_menu_bind_list_keys (self->list_view, "row.menu");
  _timchat_conversation_view_init_activation (self);
  self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (self->scroller));
  add_reader_input_watch (self);
  g_signal_connect (self->vadjustment, "value-changed", G_CALLBACK (on_value_changed), self);
  g_signal_connect (self->vadjustment, "changed", G_CALLBACK (on_adjustment_changed), self);
  g_signal_connect (self, "map", G_CALLBACK (_timchat_conversation_view_queue_media_update), NULL);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  g_signal_connect (self, "unrealize", G_CALLBACK (on_unrealize), NULL);
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
  _timchat_conversation_view_watch_blocklist (self);
  return GTK_WIDGET (self);
}
