/* timchat-conversation-view-scroll.c: where the open conversation's list stands: the newest
 * message pinned while rows measure themselves, the bottom followed only while the reader is
 * there (otherwise "N new messages" offers the way down), and older pages asked for as the
 * reader nears the top. What the reader does (a wheel, a drag, a key) tells their scrolling from
 * the list's own. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-view-private.h"

/* Within this many pixels of the end counts as "at the bottom"; this near the top loads more. */
#define BOTTOM_THRESHOLD 48.0
#define LOAD_OLDER_THRESHOLD 400.0
/* Rows measure themselves over a few frames (estimates, then real sizes, then images): the end
 * counts as reached when it has not moved for PIN_STABLE_FRAMES, or after PIN_MAX_FRAMES. */
#define PIN_STABLE_FRAMES 3
#define PIN_MAX_FRAMES 60
/* A move of the list this soon after the reader's wheel, drag or key is theirs. */
#define READER_SCROLL_WINDOW_US (600 * 1000)

static gboolean
is_at_bottom (TimchatConversationView *self)
{
  GtkAdjustment *adj = self->vadjustment;

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - BOTTOM_THRESHOLD;
}

void
_timchat_conversation_view_update_new_messages (TimchatConversationView *self)
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
        _timchat_conversation_view_load_older (self);
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
  _timchat_conversation_view_update_new_messages (self);
  self->pin_frames = self->pin_stable = 0;
  self->pin_upper = -1;
  if (self->pin_tick == 0)
    self->pin_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), pin_tick, NULL, NULL);
}

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
      _timchat_conversation_view_update_new_messages (self);
      _timchat_conversation_view_mark_read (self);
    }
  if (gtk_adjustment_get_value (adj) < LOAD_OLDER_THRESHOLD)
    _timchat_conversation_view_load_older (self);
}

/* After a layout: the top is still near (a short page, or the view is shorter than it): load
 * more to fill it. */
static void
on_adjustment_changed (GtkAdjustment *adj, TimchatConversationView *self)
{
  _timchat_conversation_view_queue_media_update (self);
  if (self->opened && gtk_adjustment_get_value (adj) < LOAD_OLDER_THRESHOLD)
    _timchat_conversation_view_load_older (self);
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
  _timchat_conversation_view_mark_read (self);
}

void
_timchat_conversation_view_class_init_scroll (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conversation.jump-to-newest", NULL,
                                   on_jump_to_newest);
}

void
_timchat_conversation_view_init_scroll (TimchatConversationView *self)
{
  add_reader_input_watch (self);
  g_signal_connect (self->vadjustment, "value-changed", G_CALLBACK (on_value_changed), self);
  g_signal_connect (self->vadjustment, "changed", G_CALLBACK (on_adjustment_changed), self);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  g_signal_connect (self, "unrealize", G_CALLBACK (on_unrealize), NULL);
}
