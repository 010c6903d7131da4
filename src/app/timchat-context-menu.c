/* timchat-context-menu.c: see timchat-context-menu.h. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-context-menu.h"

static void
open_at (GtkGesture *gesture, double x, double y)
{
  TimchatContextMenuOpen open = g_object_get_data (G_OBJECT (gesture), "open");

  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  open (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, gpointer user_data)
{
  open_at (GTK_GESTURE (gesture), x, y);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture, double x, double y, gpointer user_data)
{
  open_at (GTK_GESTURE (gesture), x, y);
}

void
timchat_context_menu_add_gestures (GtkWidget *widget, TimchatContextMenuOpen open)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  /* Before the children: a message's selectable text would open GTK's own text menu (Cut, Paste,
   * Delete, all greyed out) instead of the message's. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (long_press), GTK_PHASE_CAPTURE);
  g_object_set_data (G_OBJECT (click), "open", open);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_pressed_cb), NULL);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_object_set_data (G_OBJECT (long_press), "open", open);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_pressed_cb), NULL);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (long_press));
}

static gboolean
open_focused_row (GtkWidget *list_view, GVariant *args, gpointer action_name)
{
  GtkWidget *item = gtk_widget_get_focus_child (list_view);
  GtkWidget *row = item != NULL ? gtk_widget_get_first_child (item) : NULL;

  return row != NULL && gtk_widget_activate_action (row, action_name, NULL);
}

void
timchat_context_menu_bind_list_keys (GtkListView *list_view, const char *action_name)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  const char *const triggers[] = { "Menu", "<Shift>F10" };

  for (gsize i = 0; i < G_N_ELEMENTS (triggers); i++)
    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (controller),
        gtk_shortcut_new (
            gtk_shortcut_trigger_parse_string (triggers[i]),
            gtk_callback_action_new (open_focused_row, (gpointer) action_name, NULL)));
  /* Before the focused widget: a message's selectable label binds Menu and Shift+F10 itself (GTK's
   * text menu: Cut, Paste, Delete, all greyed out), and Tab puts the focus on it. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (list_view), controller);
}

void
timchat_context_menu_popup (GtkWidget *widget, GtkWidget **popover, GMenuModel *model, double x,
                            double y)
{
  if (*popover == NULL)
    {
      *popover = gtk_popover_menu_new_from_model (NULL);
      gtk_popover_set_has_arrow (GTK_POPOVER (*popover), FALSE);
      gtk_widget_set_halign (*popover, GTK_ALIGN_START);
      gtk_widget_set_parent (*popover, widget);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (*popover), model);
  gtk_popover_set_pointing_to (GTK_POPOVER (*popover), &(GdkRectangle){ (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (*popover));
}
