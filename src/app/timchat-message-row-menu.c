/* timchat-message-row-menu.c: the message context menu, built each time it opens so that the
 * recall limit is checked against the clock then, not when the row was bound; its popover is made
 * the first time it opens. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-message-row-private.h"

static void
append_item (GMenu *menu, TimMessage *message, const char *label, const char *action)
{
  g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, action, "s", tim_message_get_id (message));
  g_menu_append_item (menu, item);
}

static gboolean
can_recall (TimMessage *message, int recall_seconds)
{
  gint64 time = tim_message_get_time (message);
  gint64 age;

  if (time <= 0)
    time = tim_message_get_client_time (message);
  age = g_get_real_time () / G_USEC_PER_SEC - time;
  return g_strcmp0 (tim_message_get_flow (message), "out") == 0 &&
         tim_message_get_status (message) == TIM_MESSAGE_STATUS_SUCCESS &&
         !tim_message_get_is_revoked (message) && age < recall_seconds;
}

GMenuModel *
_timchat_message_row_build_menu (TimMessage *message, int recall_seconds)
{
  TimElemType type = tim_message_get_elem_type (message);
  GMenu *menu = g_menu_new ();

  if (tim_message_get_is_revoked (message))
    return G_MENU_MODEL (menu);
  if (type == TIM_ELEM_TEXT)
    append_item (menu, message, _ ("_Copy"), "conversation.copy");
  if (type == TIM_ELEM_IMAGE || type == TIM_ELEM_VIDEO || type == TIM_ELEM_SOUND ||
      type == TIM_ELEM_FILE)
    {
      append_item (menu, message, _ ("_Open"), "conversation.open");
      append_item (menu, message, _ ("_Save As…"), "conversation.save-as");
    }
  if (can_recall (message, recall_seconds))
    append_item (menu, message, _ ("_Recall"), "conversation.recall");
  return G_MENU_MODEL (menu);
}

static void
open_menu (TimchatMessageRow *self, double x, double y)
{
  g_autoptr (GMenuModel) model = NULL;

  if (self->message == NULL || _timchat_message_row_is_tip (self->message))
    return;
  model = _timchat_message_row_build_menu (self->message, self->recall_seconds);
  if (g_menu_model_get_n_items (model) == 0)
    return;
  /* Made on first use: a popover in each of the hundreds of bound rows costs ~40 KB apiece. */
  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (NULL);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->popover), model);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle){ (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
menu_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TimchatMessageRow *self = TIMCHAT_MESSAGE_ROW (widget);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (self->bubble, widget, &bounds))
    graphene_rect_init (&bounds, 0, 0, 0, 0);
  open_menu (self, bounds.origin.x + bounds.size.width / 2, bounds.origin.y + bounds.size.height);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y,
                      TimchatMessageRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  open_menu (self, x, y);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture, double x, double y, TimchatMessageRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  open_menu (self, x, y);
}

void
_timchat_message_row_class_init_menu (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "row.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "row.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "row.menu", NULL);
}

void
_timchat_message_row_init_menu (TimchatMessageRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
}
