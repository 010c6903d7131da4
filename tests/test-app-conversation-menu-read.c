/* test-app-conversation-menu-read.c: the conversation menu's read state and removals, in the
 * window's list against the real server. "Mark as Read" zeroes the unread count here and on the
 * server, and Mark All as Read in the main menu does so for every conversation; "Mark as Unread"
 * puts a dot in the row until it is read, here or on another device; "Delete Conversation" takes
 * the conversation off the list here and on the server, closes it if it is open and says so, and
 * a new message brings it back with its old history; "Clear History…" asks, then empties the open
 * conversation and the user's history of it, which stays listed, while the peer keeps theirs.
 * Group Notices can be read but not deleted. The keyboard reaches the messages with Tab and
 * Shift+Tab. Separate from the menu's other programs (test-app-conversation-menu-*.c): reading,
 * deleting and clearing. */
#define G_LOG_DOMAIN "test-app-conversation-menu-read"

#include "config.h"

#include <adwaita.h>

#include "test-app-conversation-menu-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-conversation-view.h"
#include "timchat-window.h"

static gboolean
shows_no_conversation (gpointer data)
{
  GtkWidget *view = test_app_conversation_view (data);

  return view == NULL || !gtk_widget_get_mapped (view);
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
  g_test_add_func ("/app/conversation-menu/read-all", test_read_all);
  g_test_add_func ("/app/conversation-menu/clear-history", test_clear_history);
  g_test_add_func ("/app/conversation-menu/mark-unread", test_mark_unread);
  return test_app_run (fixture, base_dir);
}
