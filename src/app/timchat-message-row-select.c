/* timchat-message-row-select.c: a message row in the conversation view's selection mode: a check
 * button before the message (made the first time a row shows one: most rows never do), a click
 * anywhere on the row toggling it, and the row highlighted while selected. The view keeps what is
 * selected; the row asks it ("conversation.set-selected") and shows what it answers. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-message-row-private.h"

/* Between the check button and the message. */
#define CHECK_SPACING 8

gboolean
timchat_message_row_can_select (TimMessage *message)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  /* What could not be forwarded (a tip, a recalled line) or is not kept (unsent, failed, online
   * only), as libtim's forwards refuse them. */
  return !_timchat_message_row_is_tip (message) &&
         tim_message_get_status (message) == TIM_MESSAGE_STATUS_SUCCESS &&
         !tim_message_get_online_only (message);
}

static void
ask_view (TimchatMessageRow *self, gboolean selected)
{
  if (self->message != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "conversation.set-selected", "(sb)",
                                tim_message_get_id (self->message), selected);
}

/* Space on the focused check button (a click never reaches it: on_pressed takes it first). */
static void
on_toggled (GtkCheckButton *check, TimchatMessageRow *self)
{
  ask_view (self, gtk_check_button_get_active (check));
}

/* In selection mode a click is for selecting, not for what the message holds (an image's viewer,
 * a link, text to select): taken in the capture phase, before the content sees it. */
static void
on_pressed (GtkGestureClick *gesture, int n_press, double x, double y, TimchatMessageRow *self)
{
  if (!self->selecting)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self->check != NULL && gtk_widget_get_visible (self->check))
    ask_view (self, !self->selected);
}

static void
ensure_check (TimchatMessageRow *self)
{
  GtkGesture *click;

  if (self->check != NULL)
    return;
  self->check = gtk_check_button_new ();
  gtk_widget_set_valign (self->check, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->check, "selection-mode");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Select Message"), -1);
  g_signal_connect (self->check, "toggled", G_CALLBACK (on_toggled), self);
  /* Before the column, in the order of the row's children: Tab reaches it first. */
  gtk_widget_insert_before (self->check, GTK_WIDGET (self), self->column);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

void
_timchat_message_row_update_check (TimchatMessageRow *self)
{
  gboolean shown =
      self->selecting && self->message != NULL && timchat_message_row_can_select (self->message);

  if (shown)
    ensure_check (self);
  if (self->check != NULL)
    {
      if (gtk_widget_get_visible (self->check) != shown)
        {
          gtk_widget_set_visible (self->check, shown);
          gtk_widget_queue_resize (GTK_WIDGET (self));
        }
      g_signal_handlers_block_by_func (self->check, on_toggled, self);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->check), shown && self->selected);
      g_signal_handlers_unblock_by_func (self->check, on_toggled, self);
    }
  if (shown && self->selected)
    gtk_widget_add_css_class (GTK_WIDGET (self), "selected-message");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "selected-message");
  /* Recalled (or failed again) while selected: it cannot go with the others any more. */
  if (self->selected && !shown && self->selecting)
    {
      self->selected = FALSE;
      ask_view (self, FALSE);
    }
}

int
_timchat_message_row_check_room (TimchatMessageRow *self, int *width)
{
  int natural = 0;

  if (self->check == NULL || !gtk_widget_get_visible (self->check))
    {
      if (width != NULL)
        *width = 0;
      return 0;
    }
  gtk_widget_measure (self->check, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  if (width != NULL)
    *width = natural;
  return natural + CHECK_SPACING;
}

void
timchat_message_row_set_selecting (TimchatMessageRow *self, gboolean selecting, gboolean selected)
{
  g_return_if_fail (TIMCHAT_IS_MESSAGE_ROW (self));

  self->selecting = selecting;
  self->selected = selecting && selected;
  _timchat_message_row_update_check (self);
}

gboolean
timchat_message_row_get_selected (TimchatMessageRow *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MESSAGE_ROW (self), FALSE);
  return self->check != NULL && gtk_widget_get_visible (self->check) && self->selected;
}
