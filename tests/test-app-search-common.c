/* test-app-search-common.c: the helpers both of the app's search test programs
 * (tests/test-app-search-conversation.c and -sidebar.c) use: key presses through the widgets'
 * own controllers, where the focus is, the search's summary, the labels and the message shown.
 *
 * Keys go through the widgets' own controllers from the focus widget up, as GTK dispatches a key
 * press (capture from the window down, then bubbling up): Xvfb cannot type into a window that
 * has no window manager to give it the focus. */
#define G_LOG_DOMAIN "test-app-search-common"

#include "config.h"

#include <adwaita.h>

#include "test-app-search-common.h"
#include "timchat-conversation-view-private.h"
#include "timchat-message-row.h"
#include "timchat-search-results.h"

/* ---- keys ---- */

static gboolean
try_controllers (GtkWidget *widget, GtkPropagationPhase phase, guint keyval, GdkModifierType mods)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);
      const char *name = gtk_event_controller_get_name (controller);

      if (gtk_event_controller_get_propagation_phase (controller) != phase)
        continue;
      if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        {
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr (GtkShortcut) shortcut =
                  g_list_model_get_item (G_LIST_MODEL (controller), j);
              GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

              if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
                  gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
                  gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
      /* Our own key controllers (GTK's need a real event). */
      else if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && name != NULL &&
               (g_str_equal (name, "search-keys") || g_str_equal (name, "composer-keys")))
        {
          gboolean handled = FALSE;

          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, mods, &handled);
          if (handled)
            return TRUE;
        }
    }
  return FALSE;
}

gboolean
press (GtkWidget *any, guint keyval, GdkModifierType mods)
{
  GtkRoot *root = gtk_widget_get_root (any);
  GtkWidget *focus = gtk_root_get_focus (root);
  g_autoptr (GPtrArray) chain = g_ptr_array_new ();

  for (GtkWidget *w = focus != NULL ? focus : GTK_WIDGET (root); w != NULL;
       w = gtk_widget_get_parent (w))
    g_ptr_array_insert (chain, 0, w);
  for (guint i = 0; i < chain->len; i++)
    if (try_controllers (chain->pdata[i], GTK_PHASE_CAPTURE, keyval, mods))
      return TRUE;
  for (guint i = chain->len; i > 0; i--)
    if (try_controllers (chain->pdata[i - 1], GTK_PHASE_BUBBLE, keyval, mods))
      return TRUE;
  return FALSE;
}

gboolean
focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

gboolean
all_read (gpointer data)
{
  TimConversation *conversation = data;

  return tim_conversation_get_unread_count (conversation) == 0;
}

gboolean
summary_is_blank (gpointer data)
{
  return *timchat_search_results_get_summary (data) == '\0';
}

gboolean
summary_is_set (gpointer data)
{
  return !summary_is_blank (data);
}

gboolean
is_shown_text (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text);
}

gboolean
is_markup_label (GtkWidget *widget, gconstpointer markup)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         gtk_label_get_use_markup (GTK_LABEL (widget)) &&
         g_str_equal (gtk_label_get_label (GTK_LABEL (widget)), markup);
}

gboolean
message_shown (gpointer data)
{
  Shown *shown = data;
  GtkWidget *row = _timchat_conversation_view_row_of (shown->view, shown->id);
  graphene_point_t point;

  return row != NULL && gtk_widget_get_mapped (row) &&
         gtk_widget_compute_point (row, GTK_WIDGET (shown->view->scroller),
                                   &GRAPHENE_POINT_INIT (0, 0), &point) &&
         point.y >= -1 &&
         point.y + gtk_widget_get_height (row) <=
             gtk_widget_get_height (GTK_WIDGET (shown->view->scroller)) + 1 &&
         focus_within (gtk_widget_get_parent (row)) &&
         timchat_message_row_get_flashing (TIMCHAT_MESSAGE_ROW (row));
}
