/* test-app-window-shell.c: what the window offers around a conversation: Ctrl+F, the shortcuts
 * window (what Enter does as the setting has it), the main menu made on first use, the empty
 * pane's icon, the settings it keeps (its size, Enter Sends Messages, About's icon), toasts (their
 * text as is, named close buttons), and a long conversation list filled in after the first
 * frame. Separate from the window's other programs (test-app-window-*.c): the window itself, not
 * a session's messages or dialogs. */
#define G_LOG_DOMAIN "test-app-window-shell"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "test-app-window-common.h"
#include "tim-test-util.h"
#include "timchat-application.h"
#include "timchat-settings.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

/* More conversations than the first frame shows (screenful_of_rows in timchat-window.c). */
#define LONG_LIST 40

static gboolean
list_has (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == LONG_LIST;
}

static gboolean
search_focused (gpointer data)
{
  GtkWidget *entry =
      test_app_find_widget (data, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (data));

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

static GtkWindow *
shortcuts_window (void)
{
  return test_app_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, NULL);
}

static gboolean
shortcuts_shown (gpointer data)
{
  GtkWindow *shortcuts = shortcuts_window ();

  return shortcuts != NULL && gtk_widget_get_mapped (GTK_WIDGET (shortcuts));
}

/* Appends "title = accelerator" of each shortcut of the sections under widget to lines (the
 * window's search page has copies of them all). */
static void
collect_shortcuts (GtkWidget *widget, GPtrArray *lines, gboolean in_section)
{
  in_section = in_section || GTK_IS_SHORTCUTS_SECTION (widget);
  if (in_section && GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accelerator, NULL);
      g_ptr_array_add (lines, g_strdup_printf ("%s = %s", title, accelerator));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, lines, in_section);
}

/* The shortcuts window's lines, "; "-joined; opened for window, then closed. */
static char *
shortcut_lines (TimchatWindow *window)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GtkWindow *shortcuts;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (tim_test_wait_until (shortcuts_shown, NULL, 5000));
  shortcuts = shortcuts_window ();
  collect_shortcuts (GTK_WIDGET (shortcuts), lines, FALSE);
  g_ptr_array_add (lines, NULL);
  gtk_window_destroy (shortcuts);
  test_app_iterate (50);
  return g_strjoinv ("; ", (char **) lines->pdata);
}

/* The shortcuts window says what Enter does as the "Enter Sends Messages" setting has it (and
 * that Ctrl+Enter sends either way), and names Escape once. */
static void
test_shortcuts_enter_setting (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-server", NULL);
  g_autoptr (GSettings) settings = g_settings_new ("org.example.TimChat");
  g_autofree char *lines = NULL;
  TimchatWindow *window;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "shortcuts-enter-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "shortcut-user");
  wait_page (window, "chat");

  g_settings_reset (settings, "enter-sends");
  lines = shortcut_lines (window);
  g_test_message ("%s", lines);
  g_assert_nonnull (strstr (lines, "; Send = Return <Control>Return; "));
  g_assert_nonnull (strstr (lines, "; New line = <Shift>Return; "));
  g_assert_nonnull (strstr (lines, " = Escape"));
  g_assert_null (strstr (strstr (lines, " = Escape") + 1, " = Escape"));
  g_clear_pointer (&lines, g_free);

  g_settings_set_boolean (settings, "enter-sends", FALSE);
  lines = shortcut_lines (window);
  g_assert_nonnull (strstr (lines, "; Send = <Control>Return; "));
  g_assert_nonnull (strstr (lines, "; New line = Return <Shift>Return; "));
  g_settings_reset (settings, "enter-sends");

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

static gboolean
is_no_conversation_page (GtkWidget *widget, gconstpointer unused)
{
  return ADW_IS_STATUS_PAGE (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), "No Conversation Open") ==
             0;
}

static gboolean
empty_pane_named (gpointer window)
{
  return test_app_find_widget (window, is_no_conversation_page, NULL) != NULL;
}

/* "No Conversation Open" shows a symbolic icon, as the other empty pages do, not the full-colour
 * app icon. */
static void
test_empty_pane_icon (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-server", NULL);
  TimchatWindow *window;
  g_autoptr (GtkIconPaintable) icon = NULL;
  AdwStatusPage *page;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "empty-pane-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "shortcut-user");
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (empty_pane_named, window, 5000));
  page =
      ADW_STATUS_PAGE (test_app_find_widget (GTK_WIDGET (window), is_no_conversation_page, NULL));
  g_assert_null (adw_status_page_get_paintable (page));
  g_assert_cmpstr (adw_status_page_get_icon_name (page), ==, "org.example.TimChat-symbolic");
  icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                     adw_status_page_get_icon_name (page), NULL, 128, 1,
                                     GTK_TEXT_DIR_NONE, 0);
  g_assert_true (gtk_icon_paintable_is_symbolic (icon));
  g_assert_cmpstr (gtk_icon_paintable_get_icon_name (icon), ==, "org.example.TimChat-symbolic");
  test_app_screenshot (GTK_WIDGET (window), "empty-pane");
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

/* Ctrl+F focuses the search, Ctrl+? shows the shortcuts, the main menu is made on first use. */
static void
test_shortcuts_search_menu (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-server", NULL);
  TimchatWindow *window = NULL;
  GtkMenuButton *menu_button;
  GtkWindow *shortcuts;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "shortcuts-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "shortcut-user");
  wait_page (window, "chat");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL);
  g_assert_true (tim_test_wait_until (search_focused, window, 5000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (tim_test_wait_until (shortcuts_shown, NULL, 5000));
  shortcuts = shortcuts_window ();
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  gtk_window_destroy (shortcuts);

  /* The main menu's: the conversation's in the content header is one too. */
  menu_button = GTK_MENU_BUTTON (
      test_app_find_widget (GTK_WIDGET (window), test_app_has_tooltip, "Main Menu"));
  g_assert_nonnull (menu_button);
  g_assert_null (gtk_menu_button_get_menu_model (menu_button));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (menu_button)));
  gtk_menu_button_popup (menu_button);
  g_assert_nonnull (gtk_menu_button_get_menu_model (menu_button));
  test_app_assert_access_keys_unique (gtk_menu_button_get_menu_model (menu_button));
  g_assert_nonnull (gtk_menu_button_get_popover (menu_button));
  gtk_menu_button_popdown (menu_button);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

static GtkWindow *
about_window (void)
{
  return test_app_find_toplevel (ADW_TYPE_ABOUT_WINDOW, NULL);
}

/* The window reopens at the size it was closed at; the main menu's Enter Sends Messages item
 * is the enter-sends setting; About finds the app icon. */
static void
test_settings (void)
{
  GSettings *settings = timchat_settings_get ();
  TimchatWindow *window;
  g_autoptr (TimchatApplication) application = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow *about;
  int width = 0, height = 0;

  g_assert_nonnull (settings);
  window = timchat_window_new (NULL, "settings-test", base_dir);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 960);
  g_assert_cmpint (height, ==, 640);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 530);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 720);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 530);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  window = timchat_window_new (NULL, "settings-test", base_dir);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 530);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");

  application = timchat_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (application), "enter-sends"));
  g_action_group_change_action_state (G_ACTION_GROUP (application), "enter-sends",
                                      g_variant_new_boolean (FALSE));
  g_assert_false (g_settings_get_boolean (settings, "enter-sends"));
  g_action_group_activate_action (G_ACTION_GROUP (application), "enter-sends", NULL);
  g_assert_true (g_settings_get_boolean (settings, "enter-sends"));

  /* Quitting (Ctrl+Q) keeps the window's size too: it closes the windows first. */
  window = timchat_window_new (ADW_APPLICATION (application), "settings-test", base_dir);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 610);
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");

  /* About shows the app's icon by name, even from a build tree where it is not installed. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  g_assert_true (gtk_icon_theme_has_icon (
      gtk_icon_theme_get_for_display (gdk_display_get_default ()), "org.example.TimChat"));
  about = about_window ();
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==,
                   "org.example.TimChat");
  gtk_window_destroy (about);
}

static gboolean
list_holds (gpointer data)
{
  GtkListView *list = data;
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));

  return model != NULL && g_list_model_get_n_items (model) == LONG_LIST;
}

/* A long conversation list comes in after the first frame (which gets a screenful of rows), all of
 * it, in the client's order. */
/* The conversation pane's empty state: the status page without a themed icon (the list's have
 * theirs; its own comes with its words). */
static gboolean
is_empty_pane (GtkWidget *widget, gconstpointer data)
{
  return ADW_IS_STATUS_PAGE (widget) &&
         adw_status_page_get_icon_name (ADW_STATUS_PAGE (widget)) == NULL;
}

static gboolean
is_titled (gpointer data)
{
  return g_strcmp0 (adw_status_page_get_title (data), "No Conversation Open") == 0;
}

static void
test_long_conversation_list (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "yuri", 3600);
  TimchatWindow *window;
  TimConversationList *conversations;
  GtkListView *list;
  GListModel *model;
  GtkWidget *empty_pane;

  json_object_unref (timchat_test_rest (fixture, "im_open_login_svc/account_import",
                                        "{\"UserID\":\"yuri\"}", NULL));
  for (guint i = 0; i < LONG_LIST; i++)
    {
      g_autofree char *import = g_strdup_printf ("{\"UserID\":\"peer%02u\"}", i);
      g_autofree char *send = g_strdup_printf (
          "{\"From_Account\":\"peer%02u\",\"To_Account\":\"yuri\",\"MsgRandom\":%u,"
          "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]}",
          i, i + 1);

      json_object_unref (
          timchat_test_rest (fixture, "im_open_login_svc/account_import", import, NULL));
      json_object_unref (timchat_test_rest (fixture, "openim/sendmsg", send, NULL));
    }

  window = timchat_window_new (NULL, "long-list-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "yuri", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  conversations = tim_client_get_conversations (timchat_window_get_client (window));
  g_assert_true (
      tim_test_wait_until (list_has, conversations, 10000)); /* the sync brought all of them */
  list = conversation_list_of (window);
  g_assert_nonnull (list);
  g_assert_true (tim_test_wait_until (list_holds, list, 10000));
  model = G_LIST_MODEL (gtk_list_view_get_model (list));
  for (guint i = 0; i < LONG_LIST; i++)
    {
      g_autoptr (GObject) shown = g_list_model_get_item (model, i);
      g_autoptr (GObject) expected = g_list_model_get_item (G_LIST_MODEL (conversations), i);

      g_assert_true (shown == expected);
    }
  gtk_window_destroy (GTK_WINDOW (window));

  /* Again, from the cache this time: the list is known at once, but the first frame gets only
   * the first rows; the others follow. */
  window = timchat_window_new (NULL, "long-list-test", base_dir);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "yuri", usersig, FALSE);
  conversations = tim_client_get_conversations (timchat_window_get_client (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversations)), ==, LONG_LIST);
  list = conversation_list_of (window);
  model = G_LIST_MODEL (gtk_list_view_get_model (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, LONG_LIST);
  /* The empty pane's words come after the first frame too. */
  empty_pane = test_app_find_widget (GTK_WIDGET (window), is_empty_pane, NULL);
  g_assert_nonnull (empty_pane);
  g_assert_false (is_titled (empty_pane));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tim_test_wait_until (list_holds, list, 10000));
  g_assert_true (tim_test_wait_until (is_titled, empty_pane, 10000));
  /* Opening a conversation puts the cursor in its composer. */
  timchat_window_open_conversation (window, "C2Cpeer07");
  g_assert_true (GTK_IS_TEXT_VIEW (gtk_root_get_focus (GTK_ROOT (window))));
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty_pane)), ==,
                   "Pick one on the left");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A toast says its text as it is: "&" and "<" (in a name, in an error) are not markup. */
static void
test_toast_text_as_is (void)
{
  TimchatWindow *window = timchat_window_new (NULL, "toast-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_show_toast (window, "Tom & Jerry <3 couldn't be reached");
  g_assert_true (
      test_app_wait_text (GTK_WIDGET (window), "Tom & Jerry <3 couldn't be reached", 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
toast_gone (gpointer window)
{
  return test_app_find_widget (GTK_WIDGET (window), is_toast_saying, "The second notice") == NULL;
}

/* Every toast's close button has a name: the one shown at once and the one that waited. */
static void
test_toast_close_named (void)
{
  TimchatWindow *window = timchat_window_new (NULL, "toast-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_show_toast (window, "The first notice");
  timchat_window_show_toast (window, "The second notice");
  g_signal_emit_by_name (named_close_button (window, "The first notice"), "clicked");
  /* The last one closed too, and the overlay lives on without it. */
  g_signal_emit_by_name (named_close_button (window, "The second notice"), "clicked");
  g_assert_true (tim_test_wait_until (toast_gone, window, 5000));
  test_app_iterate (300);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/window/shortcuts-search-menu", test_shortcuts_search_menu);
  g_test_add_func ("/app/window/shortcuts-enter-setting", test_shortcuts_enter_setting);
  g_test_add_func ("/app/window/empty-pane-icon", test_empty_pane_icon);
  g_test_add_func ("/app/window/settings", test_settings);
  g_test_add_func ("/app/window/toast-text-as-is", test_toast_text_as_is);
  g_test_add_func ("/app/window/toast-close-named", test_toast_close_named);
  g_test_add_func ("/app/window/long-conversation-list", test_long_conversation_list);
  return test_app_run (fixture, base_dir);
}
