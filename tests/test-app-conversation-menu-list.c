/* test-app-conversation-menu-list.c: the conversation list's order and selection, and the menu
 * that stands in for the row's where the list is off screen, against the real server. The
 * selected row is the open conversation; "Pin to Top" puts it first, here and on the server, and
 * "Unpin" back; in a narrow window the open conversation's header menu offers what the row's
 * does. Separate from the menu's other programs (test-app-conversation-menu-*.c): where the
 * conversation sits in the list and which menu reaches it. */
#define G_LOG_DOMAIN "test-app-conversation-menu-list"

#include "config.h"

#include <adwaita.h>

#include "test-app-conversation-menu-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-conversation-view.h"
#include "timchat-window.h"

/* The header's "Conversation Menu" button, or NULL. */
static GtkMenuButton *
header_menu_button (TimchatWindow *window)
{
  GtkWidget *button =
      test_app_find_widget (GTK_WIDGET (window), test_app_has_tooltip, "Conversation Menu");

  return GTK_IS_MENU_BUTTON (button) ? GTK_MENU_BUTTON (button) : NULL;
}

/* Opens the header's conversation menu as a click does; returns its items' labels, "|"-joined,
 * and its model (*model, NULL for none: a ref). */
static char *
header_menu_labels (TimchatWindow *window, const char *conversation_id, GMenuModel **model)
{
  GtkMenuButton *button = header_menu_button (window);
  GtkPopover *popover;
  char *labels;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Conversation Menu");
  gtk_menu_button_popup (button);
  test_app_iterate (50);
  popover = gtk_menu_button_get_popover (button);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  labels =
      model_labels (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)), conversation_id);
  if (model != NULL)
    *model = g_object_ref (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)));
  gtk_menu_button_popdown (button);
  return labels;
}

/* The list view that shows conversation_id's row, or NULL while none does. */
static GtkWidget *
list_showing (TimchatWindow *window, const char *conversation_id)
{
  GtkWidget *list =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, conversation_id);

  while (list != NULL && !GTK_IS_LIST_VIEW (list))
    list = gtk_widget_get_parent (list);
  return list;
}

/* The list shows one row, expect->conversation_id's. */
static gboolean
shows_only (gpointer data)
{
  Expect *expect = data;
  GtkWidget *list = list_showing (expect->window, expect->conversation_id);

  return list != NULL && g_list_model_get_n_items (
                             G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)))) == 1;
}

/* The conversation list's selection (found by the row of shown_id, while it is shown). */
static GtkSingleSelection *
list_selection (TimchatWindow *window, const char *shown_id)
{
  GtkWidget *list = list_showing (window, shown_id);

  g_assert_nonnull (list);
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
}

static const char *
id_at (GtkSingleSelection *selection, guint position)
{
  g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (selection), position);

  /* The list holds its own reference. */
  return item != NULL ? tim_conversation_get_id (TIM_CONVERSATION (item)) : NULL;
}

static const char *
selected_id (GtkSingleSelection *selection)
{
  return id_at (selection, gtk_single_selection_get_selected (selection));
}

static gboolean
selects_nothing (gpointer selection)
{
  return selected_id (selection) == NULL;
}

static gboolean
selects_kim (gpointer selection)
{
  return g_strcmp0 (selected_id (selection), "C2Ckim") == 0;
}

/* The pointer leaves the list, as after hovering a row (which selects it in single-click
 * mode). */
static void
leave_list (TimchatWindow *window)
{
  GtkWidget *list = list_showing (window, "C2Ckim");
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (list);
  guint left = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        {
          g_signal_emit_by_name (controller, "leave");
          left++;
        }
    }
  g_assert_cmpuint (left, >, 0);
}

/* The selected row is the open conversation: none at the start (not the first row), the one
 * opened as the list reorders, none while the search hides it, none once it is closed. */
static gboolean
is_list_search (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_SEARCH_ENTRY (widget) &&
         gtk_widget_get_ancestor (widget, TIMCHAT_TYPE_CONVERSATION_VIEW) == NULL;
}

static void
test_selection_is_open (void)
{
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) max = tim_test_client_new (fixture, base_dir, "max");
  GtkSingleSelection *selection;
  GtkWidget *search;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "lea", NULL);
  tim_test_send_text (kim, "lea", "hi");
  tim_test_send_text (max, "lea", "hello");
  wait_list (window, "C2Ckim", 1);
  wait_list (window, "C2Cmax", 1);
  test_app_iterate (50);
  selection = list_selection (window, "C2Ckim");
  g_assert_null (selected_id (selection));

  timchat_window_open_conversation (window, "C2Ckim");
  g_assert_cmpstr (selected_id (selection), ==, "C2Ckim");
  /* Max writes again, most likely in the same second: his conversation goes on top. */
  tim_test_send_text (max, "lea", "on top now");
  wait_list (window, "C2Cmax", 2);
  g_assert_cmpstr (id_at (selection, 0), ==, "C2Cmax");
  g_assert_cmpstr (selected_id (selection), ==, "C2Ckim");

  gtk_single_selection_set_selected (selection, 0); /* max's row, hovered */
  g_assert_cmpstr (selected_id (selection), ==, "C2Cmax");
  leave_list (window);
  g_assert_cmpstr (selected_id (selection), ==, "C2Ckim");

  /* The conversation list's search, not the open conversation's message search. */
  search = test_app_find_widget (GTK_WIDGET (window), is_list_search, NULL);
  gtk_editable_set_text (GTK_EDITABLE (search), "max");
  g_assert_true (tim_test_wait_until (selects_nothing, selection, 5000));
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (tim_test_wait_until (selects_kim, selection, 5000));

  /* The search finds a conversation by its ID too, not only by the name shown. */
  {
    const char *lea_only[] = { "lea", NULL };
    g_autofree char *group_id = tim_test_create_group (kim, "Walkers", lea_only);
    g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);

    wait_list (window, conversation_id, 1);
    gtk_editable_set_text (GTK_EDITABLE (search), group_id);
    g_assert_true (tim_test_wait_until (shows_only, &(Expect){ window, conversation_id, 0 }, 5000));
    gtk_editable_set_text (GTK_EDITABLE (search), "walk");
    g_assert_true (tim_test_wait_until (shows_only, &(Expect){ window, conversation_id, 0 }, 5000));
    gtk_editable_set_text (GTK_EDITABLE (search), "");
  }

  timchat_window_close_conversation (window);
  g_assert_null (selected_id (selection));
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  GtkSingleSelection *selection;
  const char *conversation_id;
} First;

static gboolean
lists_first (gpointer data)
{
  First *first = data;

  return g_strcmp0 (id_at (first->selection, 0), first->conversation_id) == 0;
}

static gboolean
last_says_newest (gpointer window)
{
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (window)), "C2Cron");
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), "newest") == 0;
}

/* Pin to Top: the conversation goes first (the open one stays selected), shows a pin, stays
 * first when another writes, is pinned on the server; Unpin puts it back. */
static void
test_pin (void)
{
  g_autoptr (TimClient) quin = tim_test_client_new (fixture, base_dir, "quin");
  g_autoptr (TimClient) ron = tim_test_client_new (fixture, base_dir, "ron");
  g_autoptr (TimClient) device = NULL;
  g_autofree char *labels = NULL;
  GtkSingleSelection *selection;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "pat", NULL);
  tim_test_send_text (quin, "pat", "older");
  wait_list (window, "C2Cquin", 1);
  tim_test_send_text (ron, "pat", "newer");
  wait_list (window, "C2Cron", 1);
  selection = list_selection (window, "C2Cron");
  g_assert_cmpstr (id_at (selection, 0), ==, "C2Cron");
  timchat_window_open_conversation (window, "C2Cron");
  g_assert_null (icon_shown (window, "C2Cquin", "Pinned"));

  g_assert_cmpstr ((labels = menu_labels (window, "C2Cquin")), ==,
                   "Mark as _Read|_Pin to Top|_Mute Notifications|_Folders>|Clear "
                   "_History…|_Delete Conversation|_Block…");
  g_clear_pointer (&labels, g_free);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.pin-conversation", "s", "C2Cquin"));
  g_assert_true (tim_test_wait_until (lists_first, &(First){ selection, "C2Cquin" }, 5000));
  g_assert_cmpstr (selected_id (selection), ==, "C2Cron");
  /* The rows are bound to their (moved) items when the list is laid out: in a frame. */
  test_app_wait_frame (GTK_WIDGET (window));
  g_assert_nonnull (icon_shown (window, "C2Cquin", "Pinned"));
  g_assert_cmpstr ((labels = menu_labels (window, "C2Cquin")), ==,
                   "Mark as _Read|Un_pin|_Mute Notifications|_Folders>|Clear _History…|_Delete "
                   "Conversation|_Block…");
  g_clear_pointer (&labels, g_free);
  g_assert_true (tim_conversation_get_is_pinned (server_conversation (&device, "pat", "C2Cquin")));

  tim_test_send_text (ron, "pat", "newest");
  g_assert_true (tim_test_wait_until (last_says_newest, window, 5000));
  test_app_iterate (50);
  g_assert_cmpstr (id_at (selection, 0), ==, "C2Cquin");

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.unpin-conversation", "s", "C2Cquin"));
  g_assert_true (tim_test_wait_until (lists_first, &(First){ selection, "C2Cron" }, 5000));
  test_app_wait_frame (GTK_WIDGET (window));
  g_assert_null (icon_shown (window, "C2Cquin", "Pinned"));
  g_assert_false (tim_conversation_get_is_pinned (server_conversation (&device, "pat", "C2Cquin")));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_folded (gpointer window)
{
  GtkWidget *leaflet =
      test_app_find_widget (window, test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_LEAFLET));

  return adw_leaflet_get_folded (ADW_LEAFLET (leaflet));
}

static gboolean
vic_muted (gpointer window)
{
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (window)), "C2Cvic");

  return conversation != NULL && tim_conversation_get_is_muted (conversation);
}

/* The open conversation's header has a menu button that offers what its row's menu does, and
 * reaches the same window actions: in a narrow window the list is not on screen. The menu is made
 * as it opens, so it says what the conversation is now (Mute, then Unmute); with no conversation
 * open there is no button. */
static void
test_header_menu (void)
{
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (GMenuModel) model = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *unnamed = NULL;
  g_autofree char *action = NULL;
  g_autoptr (GVariant) target = NULL;
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "uma", NULL);
  GtkMenuButton *button;
  int mute = -1;

  tim_test_send_text (vic, "uma", "hello");
  wait_list (window, "C2Cvic", 1);
  button = header_menu_button (window);
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));
  unnamed = gtk_test_accessible_check_property (GTK_ACCESSIBLE (button),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, "Conversation Menu");
  g_assert_null (unnamed);

  /* Narrow: the open conversation fills the window, the list is off screen. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 640);
  g_assert_true (tim_test_wait_until (is_folded, window, 5000));
  timchat_window_open_conversation (window, "C2Cvic");
  wait_list (window, "C2Cvic", 0);
  test_app_iterate (300);
  g_assert_false (gtk_widget_get_mapped (
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, "C2Cvic")));
  g_assert_cmpstr ((labels = header_menu_labels (window, "C2Cvic", &model)), ==,
                   "Mark as U_nread|_Pin to Top|_Mute Notifications|_Folders>|Clear "
                   "_History…|_Delete Conversation|_Block…");
  g_clear_pointer (&labels, g_free);
  gtk_menu_button_popup (button);
  test_app_screenshot (GTK_WIDGET (window), "header-conversation-menu");
  gtk_menu_button_popdown (button);

  /* Its Mute is the window's action on this conversation, as the popover activates it. */
  for (int i = 0; mute < 0 && i < g_menu_model_get_n_items (model); i++)
    {
      g_clear_pointer (&action, g_free);
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_str_equal (action, "win.mute-conversation"))
        mute = i;
    }
  g_assert_cmpint (mute, >=, 0);
  target = g_menu_model_get_item_attribute_value (model, mute, G_MENU_ATTRIBUTE_TARGET,
                                                  G_VARIANT_TYPE_STRING);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (button), action, target));
  g_assert_true (tim_test_wait_until (vic_muted, window, 5000));
  g_assert_cmpstr ((labels = header_menu_labels (window, "C2Cvic", NULL)), ==,
                   "Mark as U_nread|_Pin to Top|Un_mute Notifications|_Folders>|Clear "
                   "_History…|_Delete Conversation|_Block…");

  timchat_window_close_conversation (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/conversation-menu/selection-is-open", test_selection_is_open);
  g_test_add_func ("/app/conversation-menu/pin", test_pin);
  g_test_add_func ("/app/conversation-menu/header-menu", test_header_menu);
  return test_app_run (fixture, base_dir);
}
