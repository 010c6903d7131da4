/* test-app-conversation-menu.c: a conversation's context menu in the window's list, and the
 * window actions it offers, against the real server. "Mark as Read" zeroes the unread count here
 * and on the server; "Delete Conversation" takes the conversation off the list here and on the
 * server, closes it if it is open and says so, and a new message brings it back with its old
 * history; "Pin to Top" puts it first, here and on the server, and "Unpin" back; "Mute
 * Notifications" marks it muted, here and on the server, and a group's "Stop Receiving
 * Messages" stops its messages; "Clear History…" asks, then empties the
 * open conversation and the user's history of it, which stays listed, while the peer keeps
 * theirs; "Mark as Unread" puts a dot in the row until it is read, here or on another device.
 * Group Notices can be read but not pinned, muted or deleted. The keyboard reaches the
 * messages with Tab and Shift+Tab. The selected row is the open conversation. */
#define G_LOG_DOMAIN "test-app-conversation-menu"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-conversation-view.h"
#include "timchat-blocked-dialog.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
  guint unread; /* G_MAXUINT: absent from the list */
} Expect;

static gboolean
list_shows (gpointer data)
{
  Expect *expect = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (expect->window)),
      expect->conversation_id);

  if (expect->unread == G_MAXUINT)
    return conversation == NULL &&
           test_app_find_widget (GTK_WIDGET (expect->window), test_app_is_conversation_row,
                                 expect->conversation_id) == NULL;
  return conversation != NULL &&
         tim_conversation_get_unread_count (conversation) == expect->unread &&
         test_app_find_widget (GTK_WIDGET (expect->window), test_app_is_conversation_row,
                               expect->conversation_id);
}

static void
wait_list (TimchatWindow *window, const char *conversation_id, guint unread)
{
  Expect expect = { window, conversation_id, unread };

  if (!tim_test_wait_until (list_shows, &expect, 10000))
    g_error ("the list does not show %s with %u unread", conversation_id, unread);
}

/* The items' labels of a conversation's menu (model), "|"-joined; each item is a window action
 * on the conversation (or its person). */
static char *
model_labels (GMenuModel *model, const char *conversation_id)
{
  g_autoptr (GString) labels = g_string_new (NULL);

  test_app_assert_access_keys_unique (model);
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autofree char *target = NULL;
      g_autoptr (GMenuModel) submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);

      g_assert_true (
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      /* A submenu (Folders) is its label and ">": test-app-folders looks inside. */
      if (submenu != NULL)
        {
          g_string_append_printf (labels, "%s%s>", labels->len > 0 ? "|" : "", label);
          continue;
        }
      g_assert_true (
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_true (
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_TARGET, "s", &target));
      g_assert_true (g_str_has_prefix (action, "win."));
      /* Blocking is of the person: their user ID; the rest are of the conversation. */
      if (g_str_has_suffix (action, "block-user"))
        g_assert_cmpstr (target, ==, conversation_id + strlen ("C2C"));
      else
        g_assert_cmpstr (target, ==, conversation_id);
      g_string_append_printf (labels, "%s%s", labels->len > 0 ? "|" : "", label);
    }
  return g_strdup (labels->str);
}

/* Opens the row's context menu as the Menu key does; returns its items' labels, "|"-joined. */
static char *
menu_labels (TimchatWindow *window, const char *conversation_id)
{
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, conversation_id);
  GtkWidget *popover;
  char *labels;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "conversation-row.menu", NULL));
  test_app_iterate (50);
  popover = test_app_find_widget (row, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_POPOVER_MENU));
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  labels =
      model_labels (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)), conversation_id);
  gtk_popover_popdown (GTK_POPOVER (popover));
  return labels;
}

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

static gboolean
shows_no_conversation (gpointer data)
{
  GtkWidget *view = test_app_conversation_view (data);

  return view == NULL || !gtk_widget_get_mapped (view);
}

/* What the server says, seen by a new device of user that logs in now (a store of its own, under
 * base_dir so that it goes with the test). */
static TimConversation *
server_conversation (TimClient **device, const char *user, const char *conversation_id)
{
  static guint devices;
  g_autofree char *dir = g_strdup_printf ("%s/device-%u", base_dir, ++devices);

  g_clear_object (device);
  *device = tim_test_client_new (fixture, dir, user);
  return tim_conversation_list_lookup (tim_client_get_conversations (*device), conversation_id);
}

static gboolean
focus_in_messages (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);
  GtkWidget *messages =
      test_app_find_widget (view, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && gtk_widget_is_ancestor (focus, messages);
}

/* The keyboard reaches the messages: Shift+Tab from the composer, where opening a conversation
 * puts the focus, and Tab from the conversation list. */
static void
assert_tab_reaches_messages (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, "C2Cned");
  guint steps;

  test_app_iterate (200);
  g_assert_true (timchat_conversation_view_focus_start (TIMCHAT_CONVERSATION_VIEW (view)));
  g_assert_true (GTK_IS_TEXT_VIEW (gtk_root_get_focus (GTK_ROOT (window))));
  for (steps = 0; steps < 4 && !focus_in_messages (window); steps++)
    gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_BACKWARD);
  g_assert_true (focus_in_messages (window));

  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (row)));
  for (steps = 0; steps < 4 && !focus_in_messages (window); steps++)
    gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
  g_assert_true (focus_in_messages (window));
}

static void
test_read_and_delete (void)
{
  g_autoptr (TimClient) ned = tim_test_client_new (fixture, base_dir, "ned");
  g_autoptr (TimClient) device = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *labels = NULL;
  TimConversation *conversation;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "mia", NULL);

  tim_test_send_text (ned, "mia", "one");
  tim_test_send_text (ned, "mia", "two");
  wait_list (window, "C2Cned", 2);
  g_assert_cmpstr ((labels = menu_labels (window, "C2Cned")), ==,
                   "Mark as _Read|_Pin to Top|_Mute Notifications|_Folders>|Clear "
                   "_History…|_Delete Conversation|_Block…");
  g_clear_pointer (&labels, g_free);

  /* Mark as Read, without opening it: read here and on the server. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-read", "s",
                                             "C2Cned"));
  wait_list (window, "C2Cned", 0);
  conversation = server_conversation (&device, "mia", "C2Cned");
  g_assert_nonnull (conversation);
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==, 0);
  g_assert_cmpstr (
      (labels = menu_labels (window, "C2Cned")), ==,
      "Mark as U_nread|_Pin to Top|_Mute Notifications|_Folders>|Clear _History…|_Delete "
      "Conversation|_Block…");
  g_clear_pointer (&labels, g_free);

  /* Delete the open conversation: it closes, leaves the list here and on the server. */
  timchat_window_open_conversation (window, "C2Cned");
  g_assert_false (shows_no_conversation (window));
  assert_tab_reaches_messages (window);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-conversation", "s", "C2Cned"));
  g_assert_true (tim_test_wait_until (shows_no_conversation, window, 5000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (window),
                                     "“ned” removed from the list; its messages are kept", 5000));
  wait_list (window, "C2Cned", G_MAXUINT);
  g_assert_null (server_conversation (&device, "mia", "C2Cned"));

  /* A new message brings it back, with the messages from before. */
  tim_test_send_text (ned, "mia", "three");
  wait_list (window, "C2Cned", 1);
  history = tim_test_get_messages (timchat_window_get_client (window), "C2Cned", NULL, NULL, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpstr (tim_message_get_text (history->pdata[0]), ==, "one");

  /* Group Notices (ned adds mia to a group) can be read, not deleted. */
  {
    const char *members[] = { "mia", NULL };

    tim_client_create_group_async (ned, "Menu", "Private", members, NULL, NULL, NULL);
  }
  wait_list (window, "@TIM#SYSTEM", 1);
  g_assert_cmpstr ((labels = menu_labels (window, "@TIM#SYSTEM")), ==, "Mark as _Read");

  gtk_window_destroy (GTK_WINDOW (window));
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

/* The icon with tooltip the row of conversation_id shows, or NULL while it shows none. */
static GtkWidget *
icon_shown (TimchatWindow *window, const char *conversation_id, const char *tooltip)
{
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, conversation_id);
  GtkWidget *icon = row != NULL ? test_app_find_widget (row, test_app_has_tooltip, tooltip) : NULL;

  return icon != NULL && gtk_widget_get_visible (icon) ? icon : NULL;
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

/* The group expect->conversation_id has its message ("hi all") in, unread (the count is not
 * known in advance: tips count too). */
static gboolean
group_unread (gpointer data)
{
  Expect *expect = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (expect->window)),
      expect->conversation_id);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), "hi all") == 0 &&
         tim_conversation_get_unread_count (conversation) > 0;
}

static gboolean
shows_muted (gpointer window)
{
  return icon_shown (window, "C2Ctom", "Muted") != NULL;
}

static gboolean
shows_not_muted (gpointer window)
{
  return icon_shown (window, "C2Ctom", "Muted") == NULL;
}

/* The unread badge of tom's row. */
static GtkWidget *
unread_badge (TimchatWindow *window)
{
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, "C2Ctom");

  return test_app_find_widget (row, test_app_has_text, "1");
}

/* Mute Notifications: the row shows a muted bell and a plain badge, the menu offers Unmute, and
 * the server keeps it; Unmute takes both away. */
static void
test_mute (void)
{
  g_autoptr (TimClient) tom = tim_test_client_new (fixture, base_dir, "tom");
  g_autoptr (TimClient) device = NULL;
  g_autofree char *labels = NULL;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "sue", NULL);
  tim_test_send_text (tom, "sue", "hello");
  wait_list (window, "C2Ctom", 1);
  g_assert_false (gtk_widget_has_css_class (unread_badge (window), "muted"));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.mute-conversation", "s", "C2Ctom"));
  g_assert_true (tim_test_wait_until (shows_muted, window, 5000));
  g_assert_true (gtk_widget_has_css_class (unread_badge (window), "muted"));
  g_assert_cmpstr (
      (labels = menu_labels (window, "C2Ctom")), ==,
      "Mark as _Read|_Pin to Top|Un_mute Notifications|_Folders>|Clear _History…|_Delete "
      "Conversation|_Block…");
  g_assert_true (tim_conversation_get_is_muted (server_conversation (&device, "sue", "C2Ctom")));

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.unmute-conversation", "s", "C2Ctom"));
  g_assert_true (tim_test_wait_until (shows_not_muted, window, 5000));
  g_assert_false (gtk_widget_has_css_class (unread_badge (window), "muted"));
  g_assert_false (tim_conversation_get_is_muted (server_conversation (&device, "sue", "C2Ctom")));
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

static gboolean
has_css_class (GtkWidget *widget, gconstpointer name)
{
  return gtk_widget_has_css_class (widget, name);
}

/* The bar over the open conversation's composer ("You blocked", "You are not receiving"). */
static gboolean
notice_bar_shown (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);
  GtkWidget *bar = test_app_find_widget (view, has_css_class, "composer-notice");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (bar));
}

/* The text of that bar. */
static const char *
notice_text (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);
  GtkWidget *bar = test_app_find_widget (view, has_css_class, "composer-notice");
  GtkWidget *label =
      test_app_find_widget (bar, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL));

  return gtk_label_get_text (GTK_LABEL (label));
}

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
  gboolean discarded;
} Discarded;

/* The row says whether the group's messages are received, and never says "Muted" as well. */
static gboolean
shows_discarded (gpointer data)
{
  Discarded *expect = data;

  return (icon_shown (expect->window, expect->conversation_id, "Not receiving messages") != NULL) ==
             expect->discarded &&
         icon_shown (expect->window, expect->conversation_id, "Muted") == NULL;
}

/* Stop Receiving Messages, for a group: the row says so, nothing counts as unread, the menu
 * offers Receive Messages (not Unmute), the server keeps it and the group's messages stop coming;
 * Receive Messages takes it back. */
static void
test_stop_receiving (void)
{
  g_autoptr (TimClient) val = tim_test_client_new (fixture, base_dir, "val");
  g_autoptr (TimClient) device = NULL;
  g_autoptr (GError) error = NULL;
  const char *ula_only[] = { "ula", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *group = NULL;
  g_autofree char *labels = NULL;
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (TimMessage) unheard = NULL;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "ula", NULL);
  group_id = tim_test_create_group (val, "Loud", ula_only);
  group = g_strconcat ("GROUP", group_id, NULL);
  hello = tim_client_create_text_message (val, group_id, TIM_CONV_GROUP, "hi all");
  g_assert_true (tim_test_send (val, hello, &error));
  g_assert_true (tim_test_wait_until (group_unread, &(Expect){ window, group, 0 }, 5000));
  g_assert_cmpstr ((labels = menu_labels (window, group)), ==,
                   "Mark as _Read|_Pin to Top|_Mute Notifications|_Stop Receiving "
                   "Messages|_Folders>|Clear _History…|_Delete Conversation");
  g_clear_pointer (&labels, g_free);

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-conversation", "s", group));
  g_assert_true (tim_test_wait_until (shows_discarded, &(Discarded){ window, group, TRUE }, 5000));
  /* Open, it says so over the composer, and offers to take it back. */
  timchat_window_open_conversation (window, group);
  test_app_iterate (300);
  g_assert_true (notice_bar_shown (window));
  g_assert_cmpstr (notice_text (window), ==,
                   "You are not receiving this group’s messages. They are in its history.");
  test_app_screenshot (GTK_WIDGET (window), "conversation-not-receiving");
  g_assert_cmpstr ((labels = menu_labels (window, group)), ==,
                   "Mark as U_nread|_Pin to Top|Re_ceive Messages|_Folders>|Clear "
                   "_History…|_Delete Conversation");
  g_clear_pointer (&labels, g_free);
  g_assert_cmpstr (
      tim_conversation_get_message_remind_type (server_conversation (&device, "ula", group)), ==,
      TIM_REMIND_DISCARD);
  /* Nothing of it counts as unread now (the server lists it so too). */
  g_assert_cmpuint (tim_conversation_get_unread_count (tim_conversation_list_lookup (
                        tim_client_get_conversations (timchat_window_get_client (window)), group)),
                    ==, 0);
  unheard = tim_client_create_text_message (val, group_id, TIM_CONV_GROUP, "unheard");
  g_assert_true (tim_test_send (val, unheard, &error));
  test_app_iterate (500);
  g_assert_cmpstr (
      tim_message_get_text (tim_conversation_get_last_message (tim_conversation_list_lookup (
          tim_client_get_conversations (timchat_window_get_client (window)), group))),
      ==, "hi all");

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.unmute-conversation", "s", group));
  g_assert_true (tim_test_wait_until (shows_discarded, &(Discarded){ window, group, FALSE }, 5000));
  test_app_iterate (300);
  g_assert_false (notice_bar_shown (window));
  g_assert_cmpstr (
      tim_conversation_get_message_remind_type (server_conversation (&device, "ula", group)), ==,
      TIM_REMIND_ACCEPT_AND_NOTIFY);

  /* A person's messages not received (from another device: the menu offers Block instead): the
   * bar says so in the person's words. */
  tim_test_send_text (val, "ula", "hello ula");
  wait_list (window, "C2Cval", 1);
  timchat_window_open_conversation (window, "C2Cval");
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-conversation", "s", "C2Cval"));
  g_assert_true (
      tim_test_wait_until (shows_discarded, &(Discarded){ window, "C2Cval", TRUE }, 5000));
  test_app_iterate (300);
  g_assert_true (notice_bar_shown (window));
  g_assert_cmpstr (notice_text (window), ==,
                   "You are not receiving these messages. They are in the history.");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether the window's main menu offers action. */
static gboolean
main_menu_has (TimchatWindow *window, const char *action)
{
  GtkWidget *button = test_app_find_widget (GTK_WIDGET (window), test_app_has_tooltip, "Main Menu");
  GMenuModel *menu;

  /* The menu is made when it first opens (the window's start is faster without it). */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  return test_app_menu_offers (menu, action);
}

/* Mark All as Read, in the main menu: every conversation read, here and on the server. */
static void
test_read_all (void)
{
  g_autoptr (TimClient) zed = tim_test_client_new (fixture, base_dir, "zed");
  g_autoptr (TimClient) device = NULL;
  const char *yan_only[] = { "yan", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *group = NULL;
  g_autoptr (TimMessage) to_group = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "yan", NULL);
  g_assert_true (main_menu_has (window, "win.mark-all-read"));
  tim_test_send_text (zed, "yan", "hello");
  group_id = tim_test_create_group (zed, "Readers", yan_only);
  group = g_strconcat ("GROUP", group_id, NULL);
  to_group = tim_client_create_text_message (zed, group_id, TIM_CONV_GROUP, "hi all");
  g_assert_true (tim_test_send (zed, to_group, &error));
  wait_list (window, "C2Czed", 1);
  g_assert_true (tim_test_wait_until (group_unread, &(Expect){ window, group, 0 }, 5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-all-read", NULL));
  wait_list (window, "C2Czed", 0);
  wait_list (window, group, 0);
  g_assert_cmpuint (
      tim_conversation_get_unread_count (server_conversation (&device, "yan", "C2Czed")), ==, 0);
  g_assert_cmpuint (tim_conversation_get_unread_count (server_conversation (&device, "yan", group)),
                    ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
view_is_empty (gpointer data)
{
  GtkWidget *view = test_app_conversation_view (data);
  GtkWidget *list =
      test_app_find_widget (view, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));

  return g_list_model_get_n_items (model) == 0;
}

static gboolean
kit_unblocked (gpointer client)
{
  return !tim_client_is_blocked (client, "kit");
}

static gboolean
client_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED &&
         tim_client_get_is_ready (client);
}

/* Block… (a person's, asked first): Cancel keeps them; Block puts them on the list (here, on the
 * server and in Blocked People), their messages no longer come, and the menu offers Unblock;
 * Blocked People's Unblock lets them write again; one that fails (the server gone) says why and
 * can be tried again. */
static void
test_block (void)
{
  g_autoptr (TimClient) kit = tim_test_client_new (fixture, base_dir, "kit");
  g_autoptr (TimMessage) refused = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *labels = NULL;
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "lex", NULL);
  TimClient *client = timchat_window_get_client (window);
  GtkWindow *blocked;
  GtkWidget *unblock;

  tim_test_send_text (kit, "lex", "hi lex");
  wait_list (window, "C2Ckit", 1);
  timchat_window_open_conversation (window, "C2Ckit");
  g_assert_false (notice_bar_shown (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.block-user", "s", "kit"));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (300);
  g_assert_false (tim_client_is_blocked (client, "kit"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.block-user", "s", "kit"));
  test_app_answer_dialog ("block", NULL);
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "“kit” blocked", 5000));
  g_assert_true (tim_client_is_blocked (client, "kit"));
  /* The open conversation says so, over its composer. */
  g_assert_true (notice_bar_shown (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (window),
                                     "You blocked kit: they cannot send you messages.", 5000));
  g_assert_cmpstr (
      (labels = menu_labels (window, "C2Ckit")), ==,
      "Mark as U_nread|_Pin to Top|_Mute Notifications|_Folders>|Clear _History…|_Delete "
      "Conversation|_Unblock");
  refused = tim_client_create_text_message (kit, "lex", TIM_CONV_C2C, "still there?");
  g_assert_false (tim_test_send (kit, refused, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_clear_error (&error);

  /* Blocked People lists kit; Unblock there takes kit off, and the list empties. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-blocked", NULL));
  blocked = test_app_find_toplevel (TIMCHAT_TYPE_BLOCKED_DIALOG, NULL);
  g_assert_nonnull (blocked);
  g_assert_true (test_app_wait_text (GTK_WIDGET (blocked), "kit", 5000));
  test_app_screenshot (GTK_WIDGET (blocked), "blocked-people.png");
  unblock = test_app_find_widget (GTK_WIDGET (blocked), test_app_has_button_label, "_Unblock");
  g_assert_nonnull (unblock);
  /* With the server gone the request times out: the dialog says so, kit stays, and the button
   * is there to try again once the server is back. */
  timchat_fixture_stop (fixture);
  g_signal_emit_by_name (unblock, "clicked");
  g_assert_false (gtk_widget_get_sensitive (unblock));
  g_assert_true (
      test_app_wait_text (GTK_WIDGET (blocked), "The server did not answer in time", 20000));
  g_assert_true (gtk_widget_get_sensitive (unblock));
  g_assert_true (tim_client_is_blocked (client, "kit"));
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (client_connected, client, 60000));
  g_signal_emit_by_name (unblock, "clicked");
  g_assert_true (tim_test_wait_until (kit_unblocked, client, 5000));
  g_assert_cmpstr (
      gtk_stack_get_visible_child_name (GTK_STACK (test_app_find_widget (
          GTK_WIDGET (blocked), test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_STACK)))),
      ==, "empty");
  gtk_window_destroy (blocked);
  g_assert_false (notice_bar_shown (window));
  tim_test_send_text (kit, "lex", "hello again");
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "hello again", 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_clear_history (void)
{
  g_autoptr (TimClient) oda = tim_test_client_new (fixture, base_dir, "oda");
  g_autoptr (TimClient) device = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GPtrArray) hers = NULL;
  g_autoptr (GError) error = NULL;
  TimConversation *conversation;
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "pam", NULL);

  tim_test_send_text (oda, "pam", "old one");
  tim_test_send_text (oda, "pam", "old two");
  wait_list (window, "C2Coda", 2);
  timchat_window_open_conversation (window, "C2Coda");
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "old two", 5000));

  /* Asked first: Cancel keeps everything. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-history", "s", "C2Coda"));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (300);
  g_assert_false (view_is_empty (window));

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-history", "s", "C2Coda"));
  test_app_answer_dialog ("clear", NULL);
  g_assert_true (tim_test_wait_until (view_is_empty, window, 5000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "History of “oda” cleared", 5000));
  g_assert_false (shows_no_conversation (window)); /* still open */
  wait_list (window, "C2Coda", 0);                 /* still listed, nothing unread */

  /* On the server: a new device of pam's has it listed, with nothing in it; oda keeps hers. */
  conversation = server_conversation (&device, "pam", "C2Coda");
  g_assert_nonnull (conversation);
  history = tim_test_get_messages (device, "C2Coda", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
  hers = tim_test_get_messages (oda, "C2Cpam", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hers->len, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  TimchatWindow *window;
  gboolean marked; /* the row's dot, and the mark in libtim */
} Marked;

static gboolean
is_unread_badge (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "unread-badge");
}

static gboolean
shows_marked (gpointer data)
{
  Marked *expect = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (expect->window)), "C2Csid");
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (expect->window), test_app_is_conversation_row, "C2Csid");
  GtkWidget *badge = row != NULL ? test_app_find_widget (row, is_unread_badge, NULL) : NULL;
  g_autofree char *unnamed =
      badge != NULL ? gtk_test_accessible_check_property (
                          GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_PROPERTY_LABEL, "Marked as unread")
                    : NULL;
  gboolean dot = badge != NULL && gtk_widget_get_visible (badge) &&
                 gtk_widget_has_css_class (badge, "marked") && unnamed == NULL &&
                 g_str_equal (gtk_label_get_text (GTK_LABEL (badge)), "") &&
                 g_strcmp0 (gtk_widget_get_tooltip_text (badge), "Marked as unread") == 0;

  return conversation != NULL && tim_conversation_get_unread_count (conversation) == 0 &&
         !!(tim_conversation_get_marks (conversation) & TIM_CONV_MARK_UNREAD) == expect->marked &&
         dot == expect->marked &&
         (expect->marked || badge == NULL || !gtk_widget_get_visible (badge));
}

static gboolean
device_unmarked (gpointer device)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (device), "C2Csid");

  return conversation != NULL && tim_conversation_get_marks (conversation) == 0;
}

/* Mark as Unread on a read conversation: a dot in its row, "Mark as Read" in its menu, and the
 * mark on the server; opening it reads it and the dot goes, there too. Another device's mark
 * shows at once. */
static void
test_mark_unread (void)
{
  g_autoptr (TimClient) sid = tim_test_client_new (fixture, base_dir, "sid");
  g_autoptr (TimClient) device = NULL;
  g_autoptr (GAsyncResult) marked = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *labels = NULL;
  TimConversation *conversation;
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "rex", NULL);

  tim_test_send_text (sid, "rex", "read me later");
  wait_list (window, "C2Csid", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-read", "s",
                                             "C2Csid"));
  g_assert_true (tim_test_wait_until (shows_marked, &(Marked){ window, FALSE }, 5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-unread",
                                             "s", "C2Csid"));
  g_assert_true (tim_test_wait_until (shows_marked, &(Marked){ window, TRUE }, 5000));
  test_app_screenshot (GTK_WIDGET (window), "conversation-marked-unread");
  g_assert_cmpstr (
      (labels = menu_labels (window, "C2Csid")), ==,
      "Mark as _Read|_Pin to Top|_Mute Notifications|_Folders>|Clear _History…|_Delete "
      "Conversation|_Block…");
  conversation = server_conversation (&device, "rex", "C2Csid");
  g_assert_nonnull (conversation);
  g_assert_cmpuint (tim_conversation_get_marks (conversation), ==, TIM_CONV_MARK_UNREAD);

  /* Opened, it is read: the dot goes, here and on the other device. */
  timchat_window_open_conversation (window, "C2Csid");
  g_assert_true (tim_test_wait_until (shows_marked, &(Marked){ window, FALSE }, 5000));
  g_assert_true (tim_test_wait_until (device_unmarked, device, 5000));
  timchat_window_close_conversation (window);

  /* Marked on the other device: the dot comes here too. */
  tim_client_mark_conversation_async (device, "C2Csid", TIM_CONV_MARK_UNREAD, TRUE, NULL,
                                      tim_test_keep_result, &marked);
  g_assert_true (
      tim_client_mark_conversation_finish (device, tim_test_wait_result (&marked), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (shows_marked, &(Marked){ window, TRUE }, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/conversation-menu/read-and-delete", test_read_and_delete);
  g_test_add_func ("/app/conversation-menu/selection-is-open", test_selection_is_open);
  g_test_add_func ("/app/conversation-menu/pin", test_pin);
  g_test_add_func ("/app/conversation-menu/mute", test_mute);
  g_test_add_func ("/app/conversation-menu/header-menu", test_header_menu);
  g_test_add_func ("/app/conversation-menu/stop-receiving", test_stop_receiving);
  g_test_add_func ("/app/conversation-menu/read-all", test_read_all);
  g_test_add_func ("/app/conversation-menu/clear-history", test_clear_history);
  g_test_add_func ("/app/conversation-menu/block", test_block);
  g_test_add_func ("/app/conversation-menu/mark-unread", test_mark_unread);
  return test_app_run (fixture, base_dir);
}
