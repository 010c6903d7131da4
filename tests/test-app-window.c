/* test-app-window.c: the window's first run, login remembered in the real keyring, log out
 * forgetting it, "Try it on this computer", the network banner, the New Conversation and New
 * Group dialogs, forwarding a message, and a long conversation list filled in after the first
 * frame. */
#define G_LOG_DOMAIN "test-app-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-client-private.h"
#include "tim-test-util.h"
#include "timchat-application.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-credentials.h"
#include "timchat-forward-dialog.h"
#include "timchat-join-dialog.h"
#include "timchat-settings.h"
#include "timchat-test-util.h"
#include "timchat-window-private.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
stack_shows (gpointer data)
{
  GtkWidget *window = data;
  GtkStack *stack = GTK_STACK (g_object_get_data (G_OBJECT (window), "expect-stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack),
                    g_object_get_data (G_OBJECT (window), "expect")) == 0;
}

/* The window's main stack is the toast overlay's child. */
static GtkStack *
main_stack (TimchatWindow *window)
{
  GtkWidget *overlay = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));

  return GTK_STACK (adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay)));
}

static void
wait_page (TimchatWindow *window, const char *page)
{
  g_object_set_data (G_OBJECT (window), "expect-stack", main_stack (window));
  g_object_set_data_full (G_OBJECT (window), "expect", g_strdup (page), g_free);
  g_assert_true (tim_test_wait_until (stack_shows, window, 10000));
}

/* More conversations than the first frame shows (screenful_of_rows in timchat-window.c). */
#define LONG_LIST 40

static gboolean
list_has (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == LONG_LIST;
}

static void
test_first_run_remember_and_log_out (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "wendy", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "test-account", base_dir);
  TimchatWindow *second = NULL;
  g_autoptr (TimchatCredentials) stored = NULL;
  g_autoptr (GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  /* Nothing stored: once the keyring has answered, the welcome page (not before: no flash of it
   * on a start that logs in by itself). */
  wait_page (window, "welcome");
  /* Leaving the empty start page is not animated (a crossfade would take 200 ms). */
  g_assert_false (gtk_stack_get_transition_running (main_stack (window)));

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "wendy", usersig, TRUE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  /* Kept in the keyring: the next start logs in by itself. */
  stored = timchat_credentials_load ("test-account", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->user, ==, "wendy");
  g_assert_cmpstr (stored->usersig, ==, usersig);
  second = timchat_window_new (NULL, "test-account", base_dir);
  gtk_window_present (GTK_WINDOW (second));
  wait_page (second, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, second, 10000));
  gtk_window_destroy (GTK_WINDOW (second));

  /* Log out asks first, saying what goes; Enter (the default) or Cancel keep everything. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  {
    AdwMessageDialog *dialog = test_app_wait_message_dialog ();

    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Log Out?");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "keyring"));
    g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
    g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
    g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "log-out"), ==,
                     ADW_RESPONSE_DESTRUCTIVE);
  }
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (window)), ==, "chat");
  g_clear_pointer (&stored, timchat_credentials_free);
  stored = timchat_credentials_load ("test-account", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  /* Log Out forgets the secret. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  g_clear_pointer (&stored, timchat_credentials_free);
  stored = timchat_credentials_load ("test-account", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The server logs the account out (an administrator's kick): back to the welcome page, with a
 * toast that says why, and the window logs in again from there. */
static void
test_kicked_out (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "kate", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "kick-test", base_dir);
  g_autoptr (JsonObject) kicked = NULL;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "kate", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  kicked = timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"kate\"}", NULL);
  g_assert_nonnull (kicked);
  g_assert_cmpint (json_object_get_int_member (kicked, "ErrorCode"), ==, 0);
  wait_page (window, "welcome");
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (window), test_app_has_text,
                                          "You were logged out by the server"));
  /* The welcome page's window opens no conversation: Ctrl+N (win.new-conversation) and the
   * other actions of the chat page do nothing there, as Ctrl+F does not search. The client
   * still names its user after the kick (as after a refused login): what it says is not what
   * the window shows. */
  for (guint i = 0; i < 3; i++)
    {
      const char *actions[] = { "win.new-conversation", "win.new-group", "win.join-group" };

      gtk_widget_activate_action (GTK_WIDGET (window), actions[i], NULL);
    }
  test_app_iterate (200);
  g_assert_null (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
  g_assert_null (test_app_find_toplevel (TIMCHAT_TYPE_JOIN_DIALOG, NULL));

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "kate", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
banner_shown (gpointer data)
{
  TimchatWindow *window = data;
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window));

  /* Find the revealer by walking the tree: the only GtkRevealer in the window. */
  for (GtkWidget *w = child; w != NULL;)
    {
      if (GTK_IS_REVEALER (w))
        return gtk_revealer_get_reveal_child (GTK_REVEALER (w));
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != NULL ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  return FALSE;
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static void
test_local_server (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-server", NULL);
  TimchatWindow *window = NULL;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "local-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "me");
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 20000));
  g_assert_true (g_file_test (local_dir, G_FILE_TEST_IS_DIR));
  g_assert_true (banner_hidden (window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

static gboolean
label_starts_with (GtkWidget *widget, gconstpointer prefix)
{
  return GTK_IS_LABEL (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

/* Its toast says why. */
static gboolean
says_cannot_start (gpointer window)
{
  return test_app_find_widget (window, label_starts_with,
                               "Cannot start /nonexistent/timchat-server") != NULL;
}

/* A local server that cannot start (here: no server program): the error is said, and the
 * welcome page offers to log in another way. Started from a stored login or the command line,
 * the window used to stay on its empty start page for good. */
static void
test_local_server_fails (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-server-fails", NULL);
  g_autofree char *server = g_strdup (g_getenv ("TIMCHAT_SERVER"));
  TimchatWindow *window = NULL;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  g_setenv ("TIMCHAT_SERVER", "/nonexistent/timchat-server", TRUE);
  window = timchat_window_new (NULL, "local-fails-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "me");
  wait_page (window, "welcome");
  g_assert_true (tim_test_wait_until (says_cannot_start, window, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
  if (server != NULL)
    g_setenv ("TIMCHAT_SERVER", server, TRUE);
  else
    g_unsetenv ("TIMCHAT_SERVER");
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

/* "Try it on this computer", logged out, then a login to a server, remembered: that server's
 * login is kept, not the local one (the next start went to the local server instead). */
static void
test_local_then_server (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-then-server", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "lena", 3600);
  g_autoptr (TimchatCredentials) stored = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = NULL;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "local-then-server-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "lena");
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 20000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "lena", usersig, TRUE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  stored = timchat_credentials_load ("local-then-server-test", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->server_url, ==, ws);
  g_assert_false (stored->local);
  timchat_credentials_forget ("local-then-server-test", NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
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
  g_assert_nonnull (gtk_menu_button_get_popover (menu_button));
  gtk_menu_button_popdown (menu_button);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

/* The conversation the window shows, or NULL. */
static const char *
shown_conversation (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);

  return view != NULL && gtk_widget_get_mapped (view)
             ? timchat_conversation_view_get_conversation_id (TIMCHAT_CONVERSATION_VIEW (view))
             : NULL;
}

static gboolean
shows_group (gpointer data)
{
  return g_str_has_prefix (shown_conversation (data) ? shown_conversation (data) : "", "GROUP");
}

static gboolean
shows_bob (gpointer data)
{
  return g_strcmp0 (shown_conversation (data), "C2Cbob") == 0;
}

/* New Conversation opens a C2C conversation with a valid user ID and refuses an invalid one;
 * New Group creates a group on the server (members separated by any comma) and opens it. */
static void
test_new_conversation_and_group (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "dora", 3600);
  g_autofree char *query = NULL;
  g_autoptr (JsonObject) members = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  JsonArray *list;
  TimchatWindow *window;

  for (guint i = 0; i < 3; i++)
    {
      const char *users[] = { "dora", "bob", "carol" };
      g_autofree char *import = g_strdup_printf ("{\"UserID\":\"%s\"}", users[i]);

      json_object_unref (
          timchat_test_rest (fixture, "im_open_login_svc/account_import", import, NULL));
    }
  window = timchat_window_new (NULL, "dialogs-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "dora", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-conversation", NULL);
  test_app_answer_dialog ("open", (const char *[]){ "entry", "bob", NULL });
  g_assert_true (tim_test_wait_until (shows_bob, window, 5000));

  /* Not a user ID: nothing opens. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-conversation", NULL);
  test_app_answer_dialog ("open", (const char *[]){ "entry", "no spaces\nor newlines", NULL });
  test_app_iterate (50);
  g_assert_cmpstr (shown_conversation (window), ==, "C2Cbob");

  /* Enter (a real key press) in the form creates the group: Create is the default. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-group", NULL);
  {
    AdwMessageDialog *dialog = test_app_wait_message_dialog ();
    GtkWidget *members_entry = g_object_get_data (G_OBJECT (dialog), "members");

    g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "create");
    gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "name")), "Team");
    gtk_editable_set_text (GTK_EDITABLE (members_entry), "bob，carol");
    g_assert_true (gtk_widget_grab_focus (members_entry));
    test_app_press_key (members_entry, GDK_KEY_Return, 0);
  }
  g_assert_true (tim_test_wait_until (shows_group, window, 10000));
  query = g_strdup_printf ("{\"GroupId\":\"%s\"}", shown_conversation (window) + 5);
  members = timchat_test_rest (fixture, "group_open_http_svc/get_group_member_info", query, NULL);
  list = json_object_get_array_member (members, "MemberList");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_string_append_printf (
        names, "%s ",
        json_object_get_string_member (json_array_get_object_element (list, i), "Member_Account"));
  g_assert_cmpstr (names->str, ==, "dora bob carol ");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---------------------------------------------------------------- who is logged in */

/* The avatar in the sidebar's header (over the conversation list), or NULL. */
static AdwAvatar *
own_avatar (TimchatWindow *window)
{
  GtkWidget *header =
      gtk_widget_get_ancestor (GTK_WIDGET (window->sidebar_title), ADW_TYPE_HEADER_BAR);

  return ADW_AVATAR (
      test_app_find_widget (header, test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_AVATAR)));
}

typedef struct
{
  TimchatWindow *window;
  const char *name; /* what the header says under "TimChat" and the avatar's initials */
  gboolean picture; /* the avatar shows a picture */
} Shown;

static gboolean
header_shows (gpointer data)
{
  Shown *shown = data;
  AdwAvatar *avatar = own_avatar (shown->window);

  return g_strcmp0 (adw_window_title_get_subtitle (shown->window->sidebar_title), shown->name) ==
             0 &&
         avatar != NULL && g_strcmp0 (adw_avatar_get_text (avatar), shown->name) == 0 &&
         (adw_avatar_get_custom_image (avatar) != NULL) == shown->picture;
}

/* quinn's row in the list shows a picture. */
static gboolean
row_shows_picture (gpointer window)
{
  GtkWidget *row = test_app_find_widget (window, test_app_is_conversation_row, "C2Cquinn");

  return row != NULL && test_app_shows_avatar_picture (row);
}

static GtkEditable *
profile_entry (void)
{
  GtkWindow *dialog = test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible);

  return dialog != NULL ? g_object_get_data (G_OBJECT (dialog), "nick") : NULL;
}

static gboolean
profile_prefilled (gpointer expected)
{
  GtkEditable *entry = profile_entry ();

  return entry != NULL && g_strcmp0 (gtk_editable_get_text (entry), expected) == 0;
}

static gboolean
self_status_saved (gpointer window)
{
  return g_str_equal (tim_client_get_self_status (timchat_window_get_client (window)), "Lunch 🍜");
}

/* Your Profile sets the display name others see (trimmed) and the status (trimmed), opens again
 * with both, and says why it refuses a name that is too long; a chosen picture is set, and a
 * peer's shows in the list. */
static void
test_profile (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "pia", 3600);
  g_autofree char *too_long = g_strnfill (501, 'p');
  g_autoptr (GFile) picture = test_app_write_png (base_dir, "pia.png", 300, 300);
  g_autoptr (JsonObject) profile = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "profile-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "pia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-profile", NULL);
  test_app_answer_dialog (
      "save", (const char *[]){ "nick", "  Pia Paulsen ", "status", " Lunch 🍜 ", NULL });
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Profile saved", 5000));
  g_assert_true (
      tim_test_wait_until (header_shows, &(Shown){ window, "Pia Paulsen", FALSE }, 10000));
  g_assert_true (tim_test_wait_until (self_status_saved, window, 5000));
  profile =
      timchat_test_rest (fixture, "profile/portrait_get",
                         "{\"To_Account\":[\"pia\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}", NULL);
  g_assert_cmpstr (timchat_test_json_get_string (profile, "UserProfileItem.0.ProfileItem.0.Value"),
                   ==, "Pia Paulsen");

  /* Again: it opens with the name, and a name over 500 bytes gets the reason. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-profile", NULL);
  g_assert_true (tim_test_wait_until (profile_prefilled, "Pia Paulsen", 5000));
  g_assert_cmpstr (
      gtk_editable_get_text (g_object_get_data (
          G_OBJECT (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible)),
          "status")),
      ==, "Lunch 🍜");
  test_app_screenshot (
      GTK_WIDGET (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible)),
      "profile-dialog.png");
  test_app_answer_dialog ("save", (const char *[]){ "nick", too_long, NULL });
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "The profile value is too long", 5000));

  /* A picture (the file chooser's answer) is uploaded and set; a peer's picture shows in the
   * conversation list once pia writes to them (a message from them would want a notification
   * daemon, which this test has none of). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-profile", NULL);
  {
    GtkWindow *dialog = test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible);

    g_signal_emit_by_name (
        test_app_find_widget (GTK_WIDGET (dialog), test_app_has_button_label, "Choose _Picture…"),
        "clicked");
  }
  test_app_choose_file (picture);
  test_app_answer_dialog ("cancel", NULL);
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Profile picture saved", 10000));
  /* The sidebar's header has it at once, as it has the name since Save. */
  g_assert_true (
      tim_test_wait_until (header_shows, &(Shown){ window, "Pia Paulsen", TRUE }, 10000));
  {
    g_autoptr (TimClient) quinn = tim_test_client_new (fixture, base_dir, "quinn");
    TimClient *pia = timchat_window_get_client (window);
    g_autoptr (TimMessage) hello =
        tim_client_create_text_message (pia, "quinn", TIM_CONV_C2C, "Nice picture");
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *url = NULL;

    tim_client_set_my_avatar_async (quinn, picture, NULL, tim_test_keep_result, &result);
    url = tim_client_set_my_avatar_finish (quinn, tim_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_true (tim_test_send (pia, hello, &error));
    g_assert_true (tim_test_wait_until (row_shows_picture, window, 10000));
    test_app_screenshot (GTK_WIDGET (window), "window-avatar.png");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* client (another device) sets its user's nickname. */
static void
rename_on (TimClient *client, const char *nick)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_update_my_profile_async (client, nick, NULL, NULL, tim_test_keep_result, &result);
  tim_client_update_my_profile_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

/* The sidebar's header says who is logged in: the own nickname (the user ID without one) and
 * avatar, from the login on, and follows a change made on another of the user's devices at
 * once, without a new login. */
static void
test_own_profile_in_header (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "nia-phone", NULL);
  g_autoptr (GFile) picture = test_app_write_png (base_dir, "nia.png", 200, 200);
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "nia", "Nia Nilsen");
  g_autoptr (TimClient) phone = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (
      tim_test_wait_until (header_shows, &(Shown){ window, "Nia Nilsen", FALSE }, 10000));

  /* Renamed, and a picture set, on her phone. */
  phone = tim_test_client_new (fixture, phone_dir, "nia");
  rename_on (phone, "Nia N.");
  g_assert_true (tim_test_wait_until (header_shows, &(Shown){ window, "Nia N.", FALSE }, 10000));
  tim_client_set_my_avatar_async (phone, picture, NULL, tim_test_keep_result, &result);
  url = tim_client_set_my_avatar_finish (phone, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (header_shows, &(Shown){ window, "Nia N.", TRUE }, 10000));
  test_app_screenshot (GTK_WIDGET (window), "own-profile-header.png");

  /* The name cleared: the user ID. */
  rename_on (phone, "");
  g_assert_true (tim_test_wait_until (header_shows, &(Shown){ window, "nia", TRUE }, 10000));
  tim_client_logout (phone);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
composer_has_two_lines (gpointer composer)
{
  g_autofree char *text = timchat_composer_dup_text (composer);

  return text != NULL && strchr (text, '\n') != NULL;
}

static gboolean
shows_edit_again (gpointer window)
{
  return test_app_find_widget (window, test_app_has_button_label, "_Edit Again") != NULL;
}

/* Recalling one's own text offers it back: the toast's Edit Again puts it in the composer,
 * after what is typed there. */
static void
test_edit_again (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "ria", 3600);
  g_autoptr (TimClient) sam = tim_test_client_new (fixture, base_dir, "sam");
  g_autoptr (TimMessage) sent = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *composed = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "edit-again-test", base_dir);
  GtkWidget *view, *composer, *button;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "ria", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  sent = tim_client_create_text_message (timchat_window_get_client (window), "sam", TIM_CONV_C2C,
                                         "Dinner at eight?");
  g_assert_true (tim_test_send (timchat_window_get_client (window), sent, &error));
  timchat_window_open_conversation (window, "C2Csam");
  view = test_app_conversation_view (window);
  composer = test_app_composer (view);
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "Sorry,");
  g_assert_true (test_app_wait_text (view, "Dinner at eight?", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.recall", "s", tim_message_get_id (sent)));
  g_assert_true (tim_test_wait_until (shows_edit_again, window, 10000));
  g_assert_true (tim_message_get_is_revoked (sent));
  g_assert_null (tim_message_get_text (sent)); /* only the toast has it */
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Edit Again");
  gtk_widget_activate (button); /* clicked after its pressed look (~250 ms) */
  tim_test_wait_until (composer_has_two_lines, composer, 5000);
  composed = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (composed, ==, "Sorry,\nDinner at eight?");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
composer_not_editing (gpointer composer)
{
  return timchat_composer_get_editing (composer) == NULL;
}

/* Edit Again while another sent text is being edited: that edit ends (its typed draft comes
 * back) and the recalled text joins the draft, rather than going into the edit, where saving
 * would have put it into the other message and Escape would have lost it. */
static void
test_edit_again_while_editing (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "rob", 3600);
  g_autoptr (TimClient) sue = tim_test_client_new (fixture, base_dir, "sue");
  g_autoptr (TimMessage) recalled = NULL;
  g_autoptr (TimMessage) edited = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *composed = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "edit-again-editing-test", base_dir);
  GtkWidget *view, *composer, *button;
  TimClient *rob;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "rob", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  rob = timchat_window_get_client (window);
  recalled = tim_client_create_text_message (rob, "sue", TIM_CONV_C2C, "Lunch at noon?");
  g_assert_true (tim_test_send (rob, recalled, &error));
  edited = tim_client_create_text_message (rob, "sue", TIM_CONV_C2C, "See you there");
  g_assert_true (tim_test_send (rob, edited, &error));
  timchat_window_open_conversation (window, "C2Csue");
  view = test_app_conversation_view (window);
  composer = test_app_composer (view);
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "Sorry,");
  g_assert_true (test_app_wait_text (view, "See you there", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.recall", "s", tim_message_get_id (recalled)));
  g_assert_true (tim_test_wait_until (shows_edit_again, window, 10000));
  /* Then the other message is being edited when Edit Again is clicked. */
  g_assert_true (timchat_composer_edit_message (TIMCHAT_COMPOSER (composer), edited));
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Edit Again");
  gtk_widget_activate (button);
  tim_test_wait_until (composer_not_editing, composer, 5000);
  g_assert_null (timchat_composer_get_editing (TIMCHAT_COMPOSER (composer)));
  composed = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (composed, ==, "Sorry,\nLunch at noon?");
  g_assert_cmpstr (tim_message_get_text (edited), ==, "See you there");
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
forward_names (void)
{
  g_auto (GStrv) names =
      timchat_forward_dialog_dup_names (TIMCHAT_FORWARD_DIALOG (test_app_forward_dialog ()));

  return g_strjoinv (", ", names);
}

static gboolean
shows_forwarded_toast (gpointer window)
{
  return test_app_find_widget (window, test_app_has_text, "Forwarded to Lunch Club") != NULL;
}

static gboolean
has_text_lunch (gpointer data)
{
  GPtrArray *got = data;

  for (guint i = 0; i < got->len; i++)
    if (g_strcmp0 (tim_message_get_text (got->pdata[i]), "Lunch at one?") == 0 &&
        g_strcmp0 (tim_message_get_from (got->pdata[i]), "fia") == 0)
      return TRUE;
  return FALSE;
}

static gboolean
lists_notices (gpointer client)
{
  return tim_conversation_list_lookup (tim_client_get_conversations (client),
                                       TIM_SYSTEM_CONVERSATION_ID) != NULL;
}

/* Forward… on a message: the dialog lists the conversations but the Group Notices, its search
 * narrows them and Enter forwards to the first; the group's member gets the message from the
 * user, and the toast's Open opens the group. */
static void
test_forward (void)
{
  const char *members[] = { "fia", NULL };
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "fia", 3600);
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autofree char *group_id = NULL;
  g_autofree char *group = NULL;
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (gus, "fia", TIM_CONV_C2C, "Lunch at one?");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "forward-test", base_dir);
  GtkWidget *view, *search, *open;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "fia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  /* Added while online: the notice of it lists the Group Notices too. */
  group_id = tim_test_create_group (gus, "Lunch Club", members);
  group = g_strconcat ("GROUP", group_id, NULL);
  g_assert_true (tim_test_send (gus, sent, &error));
  g_assert_true (tim_test_wait_until (lists_notices, timchat_window_get_client (window), 10000));
  timchat_window_open_conversation (window, "C2Cgus");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "Lunch at one?", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.forward", "s", tim_message_get_id (sent)));
  g_assert_true (tim_test_wait_until (test_app_forward_dialog_shown, NULL, 5000));
  names = forward_names ();
  g_assert_nonnull (strstr (names, "Lunch Club"));
  g_assert_nonnull (strstr (names, "gus"));
  g_assert_null (strstr (names, "Group Notices"));
  search = test_app_find_widget (GTK_WIDGET (test_app_forward_dialog ()), test_app_has_type,
                                 GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (search), "lunch");
  test_app_iterate (300); /* the search entry waits a little before it searches */
  g_clear_pointer (&names, g_free);
  names = forward_names ();
  g_assert_cmpstr (names, ==, "Lunch Club");
  test_app_screenshot (GTK_WIDGET (test_app_forward_dialog ()), "forward-dialog.png");

  tim_test_collect (gus, "message-received", got);
  g_signal_emit_by_name (search, "activate");
  g_assert_true (tim_test_wait_until (has_text_lunch, got, 10000));
  g_assert_null (test_app_forward_dialog ());
  g_assert_true (tim_test_wait_until (shows_forwarded_toast, window, 10000));
  open = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Open");
  gtk_widget_activate (open);
  g_assert_true (tim_test_wait_until (shows_group, window, 10000));
  g_assert_cmpstr (shown_conversation (window), ==, group);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
drop_gone (gpointer view)
{
  return test_app_find_widget (view, test_app_has_text, "drop this") == NULL;
}

typedef struct
{
  GtkWidget *root;
  const char *subtitle;
} Subtitle;

/* An AdwWindowTitle of the window shows this subtitle. */
static gboolean
title_says (GtkWidget *widget, gconstpointer subtitle)
{
  return ADW_IS_WINDOW_TITLE (widget) &&
         g_strcmp0 (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)), subtitle) == 0;
}

static gboolean
has_subtitle (gpointer data)
{
  Subtitle *s = data;

  return test_app_find_widget (s->root, title_says, s->subtitle) != NULL;
}

static gboolean
typing_label (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "typing") &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), "typing…") == 0;
}

static gboolean
row_typing (gpointer root)
{
  return test_app_find_widget (root, typing_label, NULL) != NULL;
}

static gboolean
row_not_typing (gpointer root)
{
  return !row_typing (root);
}

static gboolean
is_online_dot (GtkWidget *widget, gconstpointer unused)
{
  return gtk_widget_has_css_class (widget, "online-dot");
}

/* The list's row of uma shows the green dot of a peer online, saying `said` to a pointer and to
 * assistive technologies; or (said NULL) no dot. */
static gboolean
row_online_is (gpointer data)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (data), "window");
  const char *said = g_object_get_data (G_OBJECT (data), "said");
  GtkWidget *row = test_app_find_widget (window, test_app_is_conversation_row, "C2Cuma");
  GtkWidget *dot = row != NULL ? test_app_find_widget (row, is_online_dot, NULL) : NULL;
  g_autofree char *unnamed = NULL;

  if (row == NULL)
    return FALSE;
  if (said == NULL)
    return dot == NULL || !gtk_widget_get_visible (dot);
  if (dot == NULL || !gtk_widget_get_visible (dot))
    return FALSE;
  /* NULL: the accessible label is `said`. */
  unnamed = gtk_test_accessible_check_property (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                said);
  return unnamed == NULL && g_strcmp0 (gtk_widget_get_tooltip_text (dot), said) == 0;
}

static void
wait_row_online (GtkWidget *window, const char *said)
{
  g_autoptr (GObject) probe = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (probe, "window", window);
  g_object_set_data (probe, "said", (gpointer) said);
  g_assert_true (tim_test_wait_until (row_online_is, probe, 10000));
}

static gboolean
peer_typing_is (gpointer data)
{
  TimConversation *conversation = data;

  return tim_conversation_get_peer_typing (conversation) ==
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (conversation), "want"));
}

static void
wait_peer_typing (TimConversation *conversation, gboolean want)
{
  g_object_set_data (G_OBJECT (conversation), "want", GINT_TO_POINTER (want));
  g_assert_true (tim_test_wait_until (peer_typing_is, conversation, 10000));
}

/* "typing…": the peer's shows under their name in the header and in place of the preview in
 * the list, and goes when they stop; typing in the composer shows on the peer's side and stops
 * when the text is cleared. "online" shows there while the peer is, and goes when they log out. */
static void
test_typing (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "tia", 3600);
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "typing-test", base_dir);
  TimConversation *at_uma;
  GtkTextBuffer *buffer;
  GtkWidget *view;

  timchat_test_import_account (fixture, "tia", NULL);
  hello = tim_client_create_text_message (uma, "tia", TIM_CONV_C2C, "hello tia");
  g_assert_true (tim_test_send (uma, hello, &error));
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "tia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Cuma");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "hello tia", 10000));
  g_assert_true (
      tim_test_wait_until (has_subtitle, &(Subtitle){ GTK_WIDGET (window), "online" }, 10000));
  wait_row_online (GTK_WIDGET (window), "Online");
  /* uma's status goes with it. */
  {
    g_autoptr (GAsyncResult) result = NULL;

    tim_client_set_self_status_async (uma, "Back at 3", NULL, tim_test_keep_result, &result);
    g_assert_true (tim_client_set_self_status_finish (uma, tim_test_wait_result (&result), &error));
  }
  g_assert_true (tim_test_wait_until (
      has_subtitle, &(Subtitle){ GTK_WIDGET (window), "online · Back at 3" }, 10000));
  wait_row_online (GTK_WIDGET (window), "Online · Back at 3");
  test_app_screenshot (GTK_WIDGET (window), "peer-online");

  tim_client_set_typing (uma, "C2Ctia", TRUE);
  g_assert_true (
      tim_test_wait_until (has_subtitle, &(Subtitle){ GTK_WIDGET (window), "typing…" }, 10000));
  g_assert_true (tim_test_wait_until (row_typing, window, 5000));
  tim_client_set_typing (uma, "C2Ctia", FALSE);
  g_assert_true (tim_test_wait_until (
      has_subtitle, &(Subtitle){ GTK_WIDGET (window), "online · Back at 3" }, 10000));
  g_assert_true (tim_test_wait_until (row_not_typing, window, 5000));

  /* tia types: uma sees it; the text cleared, it stops. */
  at_uma = tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Ctia");
  g_assert_nonnull (at_uma);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      test_app_find_widget (view, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "on my w", -1, TRUE);
  wait_peer_typing (at_uma, TRUE);
  gtk_text_buffer_set_text (buffer, "", 0);
  wait_peer_typing (at_uma, FALSE);

  tim_client_logout (uma);
  g_assert_true (tim_test_wait_until (has_subtitle, &(Subtitle){ GTK_WIDGET (window), "" }, 10000));
  wait_row_online (GTK_WIDGET (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  GtkWidget *root;
  const char *conversation_id;
  const char *text; /* a label of the row shows it */
  gboolean shown;   /* or, FALSE: none does */
} RowLabel;

static gboolean
shown_label_says (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
row_label_is (gpointer data)
{
  RowLabel *want = data;
  GtkWidget *row =
      test_app_find_widget (want->root, test_app_is_conversation_row, want->conversation_id);

  return row != NULL &&
         (test_app_find_widget (row, shown_label_says, want->text) != NULL) == want->shown;
}

/* What is typed and not sent stays with its conversation: the list shows it after "[Draft]" once
 * another conversation is open, it comes back in the composer, and sending it ends the draft. */
static void
test_draft (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "dora", 3600);
  g_autoptr (TimClient) ed = tim_test_client_new (fixture, base_dir, "ed");
  g_autoptr (TimClient) flo = tim_test_client_new (fixture, base_dir, "flo");
  g_autoptr (TimMessage) from_ed = NULL;
  g_autoptr (TimMessage) from_flo = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "draft-test", base_dir);
  GtkWidget *view;
  GtkWidget *composer;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;

  timchat_test_import_account (fixture, "dora", NULL);
  from_ed = tim_client_create_text_message (ed, "dora", TIM_CONV_C2C, "lunch?");
  g_assert_true (tim_test_send (ed, from_ed, &error));
  from_flo = tim_client_create_text_message (flo, "dora", TIM_CONV_C2C, "hey dora");
  g_assert_true (tim_test_send (flo, from_flo, &error));
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "dora", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Ced");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "lunch?", 10000));
  composer = test_app_composer (view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      test_app_find_widget (composer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "sure, at one [Grin]", -1, TRUE);

  timchat_window_open_conversation (window, "C2Cflo");
  g_assert_true (test_app_wait_text (view, "hey dora", 10000));
  g_assert_true (tim_test_wait_until (
      row_label_is, &(RowLabel){ GTK_WIDGET (window), "C2Ced", "[Draft]", TRUE }, 5000));
  g_assert_true (tim_test_wait_until (
      row_label_is, &(RowLabel){ GTK_WIDGET (window), "C2Ced", "sure, at one 😁", TRUE }, 5000));
  g_assert_true (row_label_is (&(RowLabel){ GTK_WIDGET (window), "C2Cflo", "[Draft]", FALSE }));
  test_app_screenshot (GTK_WIDGET (window), "window-draft.png");

  timchat_window_open_conversation (window, "C2Ced");
  g_assert_true (test_app_wait_text (view, "lunch?", 10000));
  text = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (text, ==, "sure, at one [Grin]");
  timchat_composer_send (TIMCHAT_COMPOSER (composer));
  g_assert_true (tim_test_wait_until (
      row_label_is, &(RowLabel){ GTK_WIDGET (window), "C2Ced", "You: sure, at one 😁", TRUE },
      10000));
  g_assert_true (row_label_is (&(RowLabel){ GTK_WIDGET (window), "C2Ced", "[Draft]", FALSE }));

  /* Typed, then logged out at once: it is the draft at the next login. */
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "before I go", -1, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  test_app_answer_dialog ("log-out", NULL);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "dora", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Ced");
  view = test_app_conversation_view (window);
  composer = test_app_composer (view);
  g_clear_pointer (&text, g_free);
  text = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (text, ==, "before I go");
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Delete for Me asks first: Cancel keeps the message; Delete takes it out of the conversation
 * here, and the peer still has it. */
static void
test_delete_message (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "mia", 3600);
  g_autoptr (TimClient) nat = tim_test_client_new (fixture, base_dir, "nat");
  g_autoptr (TimMessage) keep = NULL;
  g_autoptr (TimMessage) drop = NULL;
  g_autoptr (GPtrArray) nat_has = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "delete-test", base_dir);
  GtkWidget *view;

  timchat_test_import_account (fixture, "mia", NULL);
  keep = tim_client_create_text_message (nat, "mia", TIM_CONV_C2C, "keep this");
  drop = tim_client_create_text_message (nat, "mia", TIM_CONV_C2C, "drop this");
  g_assert_true (tim_test_send (nat, keep, &error));
  g_assert_true (tim_test_send (nat, drop, &error));
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "mia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Cnat");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "drop this", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.delete", "s", tim_message_get_id (drop)));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (200);
  g_assert_false (drop_gone (view));
  g_assert_true (
      gtk_widget_activate_action (view, "conversation.delete", "s", tim_message_get_id (drop)));
  test_app_answer_dialog ("delete", NULL);
  g_assert_true (tim_test_wait_until (drop_gone, view, 10000));
  g_assert_true (test_app_wait_text (view, "keep this", 1000));
  nat_has = tim_test_get_messages (nat, "C2Cmia", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nat_has->len, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
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

static void
test_network_banner (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "xena", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "banner-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "xena", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  g_assert_true (banner_hidden (window));
  timchat_fixture_stop (fixture);
  /* Offline says so instead of spinning. */
  g_assert_true (tim_test_wait_until (banner_shown, window, 10000));
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (banner_hidden, window, 30000));

  /* The next try waits a minute now: Retry Now does not. */
  tim_transport_set_backoff (timchat_window_get_client (window)->transport, 60000, 60000);
  timchat_fixture_stop (fixture);
  g_assert_true (tim_test_wait_until (banner_shown, window, 10000));
  timchat_fixture_restart (fixture);
  test_app_iterate (1000);
  g_assert_true (banner_shown (window));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Retry Now"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reconnect", NULL));
  g_assert_true (tim_test_wait_until (banner_hidden, window, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The server's configuration with sdkappid as its SDKAppID. */
static void
set_server_sdkappid (guint64 sdkappid)
{
  g_autofree char *path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.conf", NULL);
  g_autoptr (GKeyFile) config = g_key_file_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_key_file_load_from_file (config, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_key_file_set_uint64 (config, "app", "sdkappid", sdkappid);
  g_assert_true (g_key_file_save_to_file (config, path, &error));
  g_assert_no_error (error);
}

/* The server comes back but refuses the login again that follows (here it serves another
 * SDKAppID now): the session is over, nothing reconnects, as after a refused first login or a
 * kick, so the window goes back to the welcome page, which says why. It stayed on its chat page
 * under a "Waiting for network…" banner that never went, whose Retry Now did nothing, and what
 * was sent there waited for ever. */
static void
test_relogin_refused (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "rhea", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "relogin-refused-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "rhea", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  timchat_fixture_stop (fixture);
  set_server_sdkappid (timchat_fixture_get_sdkappid (fixture) + 1);
  timchat_fixture_restart (fixture);
  wait_page (window, "welcome");
  g_assert_cmpint (tim_client_get_net_state (timchat_window_get_client (window)), ==,
                   TIM_NET_STATE_DISCONNECTED);

  timchat_fixture_stop (fixture);
  set_server_sdkappid (timchat_fixture_get_sdkappid (fixture));
  timchat_fixture_restart (fixture);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "rhea", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The sidebar's list of conversations (not the folder drop-down's list, say). */
static gboolean
is_conversation_list (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "navigation-sidebar");
}

static GtkListView *
conversation_list_of (TimchatWindow *window)
{
  return GTK_LIST_VIEW (test_app_find_widget (GTK_WIDGET (window), is_conversation_list, NULL));
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

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Logging in again (after a log out, or as someone else) lets go of the first client's
 * conversation models, not only of the client. */
static void
test_second_login_releases_models (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "zoe", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "relogin-test", base_dir);
  GtkListView *list;
  GListModel *shown;
  gpointer filtered;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "zoe", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  list = conversation_list_of (window);
  g_assert_nonnull (list);
  shown = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list)));
  filtered = gtk_slice_list_model_get_model (GTK_SLICE_LIST_MODEL (shown));
  g_assert_true (GTK_IS_FILTER_LIST_MODEL (filtered));
  g_object_add_weak_pointer (filtered, &filtered);

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "zoe", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  g_assert_true (tim_test_wait_until (is_null, &filtered, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Typed, then logged out at once (before the pause after which a draft is kept): Log Out keeps
 * it as the conversation's draft, as its dialog says, so the next login finds it in another
 * window too (after a restart), not only in this window's composer. */
static void
test_log_out_keeps_draft (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "xia", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "log-out-draft-test", base_dir);
  TimchatWindow *again = NULL;
  g_autofree char *draft = NULL;
  GtkWidget *composer;
  GtkTextBuffer *buffer;

  timchat_test_import_account (fixture, "xia", NULL);
  timchat_test_import_account (fixture, "yan", NULL);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "xia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Cyan");
  composer = test_app_composer (test_app_conversation_view (window));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      test_app_find_widget (composer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "typed before logging out", -1, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));
  test_app_iterate (100);

  again = timchat_window_new (NULL, "log-out-draft-test", base_dir);
  gtk_window_present (GTK_WINDOW (again));
  timchat_window_login (again, ws, timchat_fixture_get_sdkappid (fixture), "xia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, again, 10000));
  draft = tim_client_dup_conversation_draft (timchat_window_get_client (again), "C2Cyan");
  g_assert_cmpstr (draft, ==, "typed before logging out");
  gtk_window_destroy (GTK_WINDOW (again));
}

/* Logging in again as someone else in the same window (after a log out): a conversation opened
 * then is the new account's, its messages and what its composer sends, not the first account's
 * (whose client is logged out: what it sent would wait for a login that never comes). */
static void
test_second_login_opens_with_new_client (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *una_sig = timchat_fixture_usersig (fixture, "una", 3600);
  g_autofree char *vik_sig = timchat_fixture_usersig (fixture, "vik", 3600);
  g_autoptr (TimClient) wil = tim_test_client_new (fixture, base_dir, "wil");
  g_autoptr (GPtrArray) wil_got = g_ptr_array_new_with_free_func (g_object_unref);
  TimchatWindow *window = timchat_window_new (NULL, "relogin-other-test", base_dir);
  GtkWidget *view, *composer;

  timchat_test_import_account (fixture, "una", NULL);
  timchat_test_import_account (fixture, "vik", NULL);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "una", una_sig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  tim_test_send_text (wil, "una", "for una only");
  timchat_window_open_conversation (window, "C2Cwil");
  g_assert_true (test_app_wait_text (test_app_conversation_view (window), "for una only", 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  tim_test_send_text (wil, "vik", "for vik only");
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "vik", vik_sig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  timchat_window_open_conversation (window, "C2Cwil");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "for vik only", 10000));
  g_assert_null (test_app_find_widget (view, test_app_has_text, "for una only"));
  tim_test_collect (wil, "message-received", wil_got);
  composer = test_app_composer (view);
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "from vik");
  timchat_composer_send (TIMCHAT_COMPOSER (composer));
  g_assert_true (tim_test_wait_count (wil_got, 1, 10000));
  g_assert_cmpstr (tim_message_get_from (wil_got->pdata[0]), ==, "vik");
  g_assert_cmpstr (tim_message_get_text (wil_got->pdata[0]), ==, "from vik");
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
is_toast_saying (GtkWidget *widget, gconstpointer text)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget") &&
         test_app_find_widget (widget, test_app_has_text, text) != NULL;
}

static gboolean
toast_says_muted (gpointer window)
{
  return test_app_find_widget (window, is_toast_saying, "You are muted in this group") != NULL;
}

static gboolean
composer_says_muted (gpointer view)
{
  return test_app_find_widget (view, test_app_has_text, "Only the owner and admins can post") !=
         NULL;
}

/* Reply in a group muted for all, to a plain member, who cannot post: a toast says why. */
static void
test_reply_where_muted (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "wes", 3600);
  g_autoptr (TimClient) xan = tim_test_client_new (fixture, base_dir, "xan");
  const char *const members[] = { "wes", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr (TimMessage) rules = NULL;
  g_autoptr (GAsyncResult) muted = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "muted-reply-test", base_dir);
  GtkWidget *view;

  timchat_test_import_account (fixture, "wes", NULL);
  group_id = tim_test_create_group (xan, "Announcements", members);
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  rules = tim_client_create_text_message (xan, group_id, TIM_CONV_GROUP, "read the rules");
  g_assert_true (tim_test_send (xan, rules, &error));
  g_assert_no_error (error);
  tim_client_set_group_mute_all_async (xan, group_id, TRUE, NULL, tim_test_keep_result, &muted);
  g_assert_true (tim_client_set_group_mute_all_finish (xan, tim_test_wait_result (&muted), &error));
  g_assert_no_error (error);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "wes", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, conversation_id);
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "read the rules", 10000));
  g_assert_true (tim_test_wait_until (composer_says_muted, view, 10000));
  g_assert_true (
      gtk_widget_activate_action (view, "conversation.reply", "s", tim_message_get_id (rules)));
  g_assert_true (tim_test_wait_until (toast_says_muted, window, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_icon_button (GtkWidget *widget, gconstpointer icon)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0;
}

/* The close button of the toast saying text, once it is shown, checked for its name ("Dismiss"
 * to a screen reader, not just "button"). */
static GtkWidget *
named_close_button (TimchatWindow *window, const char *text)
{
  GtkWidget *toast = NULL;
  GtkWidget *close = NULL;
  g_autofree char *wrong = NULL;

  g_assert_true (test_app_wait_text (GTK_WIDGET (window), text, 5000));
  toast = test_app_find_widget (GTK_WIDGET (window), is_toast_saying, text);
  g_assert_nonnull (toast);
  close = test_app_find_widget (toast, is_icon_button, "window-close-symbolic");
  g_assert_nonnull (close);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Dismiss");
  g_assert_null (wrong);
  /* Shown a while, as to the person who clicks it: libadwaita 1.2 frees a toast dismissed
   * before its first frame and then uses it (a crash under MALLOC_PERTURB_ when the next one
   * goes; tests/test-app-window.c only, a person cannot click what is not drawn yet). */
  test_app_iterate (300);
  return close;
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

/* The login runs out while the window is open (the relogin after the server closed the socket is
 * refused with 70001): back to the welcome page, told once. Another toast waited behind that
 * one, the error saying the same again: the test's own toast, queued after it, shows next. */
static void
test_login_expired_told_once (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "etta", 2);
  TimchatWindow *window = timchat_window_new (NULL, "expired-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "etta", usersig, FALSE);
  wait_page (window, "chat");
  /* The UserSig's 2 s, then up to 5 s for the server to close the socket. */
  g_object_set_data_full (G_OBJECT (window), "expect", g_strdup ("welcome"), g_free);
  g_assert_true (tim_test_wait_until (stack_shows, window, 20000));
  test_app_iterate (300);
  timchat_window_show_toast (window, "The next notice");
  g_signal_emit_by_name (named_close_button (window, "Your login expired; please log in again"),
                         "clicked");
  named_close_button (window, "The next notice");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/window/first-run-remember-log-out", test_first_run_remember_and_log_out);
  g_test_add_func ("/app/window/kicked-out", test_kicked_out);
  g_test_add_func ("/app/window/login-expired-told-once", test_login_expired_told_once);
  g_test_add_func ("/app/window/local-server", test_local_server);
  g_test_add_func ("/app/window/local-server-fails", test_local_server_fails);
  g_test_add_func ("/app/window/local-then-server", test_local_then_server);
  g_test_add_func ("/app/window/network-banner", test_network_banner);
  g_test_add_func ("/app/window/relogin-refused", test_relogin_refused);
  g_test_add_func ("/app/window/shortcuts-search-menu", test_shortcuts_search_menu);
  g_test_add_func ("/app/window/shortcuts-enter-setting", test_shortcuts_enter_setting);
  g_test_add_func ("/app/window/empty-pane-icon", test_empty_pane_icon);
  g_test_add_func ("/app/window/settings", test_settings);
  g_test_add_func ("/app/window/toast-text-as-is", test_toast_text_as_is);
  g_test_add_func ("/app/window/toast-close-named", test_toast_close_named);
  g_test_add_func ("/app/window/new-conversation-and-group", test_new_conversation_and_group);
  g_test_add_func ("/app/window/profile", test_profile);
  g_test_add_func ("/app/window/own-profile-in-header", test_own_profile_in_header);
  g_test_add_func ("/app/window/edit-again", test_edit_again);
  g_test_add_func ("/app/window/edit-again-while-editing", test_edit_again_while_editing);
  g_test_add_func ("/app/window/forward", test_forward);
  g_test_add_func ("/app/window/delete-message", test_delete_message);
  g_test_add_func ("/app/window/typing", test_typing);
  g_test_add_func ("/app/window/draft", test_draft);
  g_test_add_func ("/app/window/reply-where-muted", test_reply_where_muted);
  g_test_add_func ("/app/window/long-conversation-list", test_long_conversation_list);
  g_test_add_func ("/app/window/second-login-releases-models", test_second_login_releases_models);
  g_test_add_func ("/app/window/log-out-keeps-draft", test_log_out_keeps_draft);
  g_test_add_func ("/app/window/second-login-opens-with-new-client",
                   test_second_login_opens_with_new_client);
  return test_app_run (fixture, base_dir);
}
