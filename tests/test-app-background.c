/* test-app-background.c: TimChat in the background, with the real application on the test's own
 * D-Bus session and the real server. Closed while logged in, the window only hides: it stays the
 * application's (which keeps the process), its dialogs close, the client stays connected and
 * what arrives stays unread; launching TimChat again (a second process of the real binary)
 * brings the same window back, where the open conversation is then read. With the setting off,
 * on Quit, or kicked out (nothing to run for), closing ends the window. */
#define G_LOG_DOMAIN "test-app-background"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-application.h"
#include "timchat-conversation-view.h"
#include "timchat-settings.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
shows_welcome (gpointer window)
{
  GtkWidget *stack =
      test_app_find_widget (window, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_STACK));

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "welcome") == 0;
}

static gboolean
is_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static gboolean
unread_is (gpointer data)
{
  TimConversation *conversation = data;

  return tim_conversation_get_unread_count (conversation) ==
         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (conversation), "want"));
}

static void
wait_unread (TimConversation *conversation, guint want)
{
  g_object_set_data (G_OBJECT (conversation), "want", GUINT_TO_POINTER (want));
  g_assert_true (tim_test_wait_until (unread_is, conversation, 10000));
}

static TimchatWindow *
logged_in_window (TimchatApplication *application, const char *user)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, user, 3600);
  TimchatWindow *window = timchat_window_new (ADW_APPLICATION (application), NULL, base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), user, usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  return window;
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* A second launch of the real binary: it finds this instance on the bus, asks it to activate,
 * and exits. */
static void
launch_again (void)
{
  g_autofree char *app =
      g_build_filename (g_getenv ("TIMCHAT_BUILD_DIR"), "src", "app", "timchat", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, app, NULL);
  gboolean exited = FALSE;

  g_assert_no_error (error);
  /* Its activation is answered by this process's main loop: keep it turning meanwhile. */
  g_subprocess_wait_async (second, NULL, on_exited, &exited);
  g_assert_true (tim_test_wait_flag (&exited, 20000));
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);
}

static void
test_background (void)
{
  g_autoptr (TimchatApplication) application = timchat_application_new ();
  g_autoptr (TimClient) ray = tim_test_client_new (fixture, base_dir, "ray");
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) first = NULL;
  g_autoptr (TimMessage) second = NULL;
  g_autoptr (TimMessage) third = NULL;
  GSettings *settings = timchat_settings_get ();
  TimchatWindow *window;
  GtkWidget *dialog;
  GtkWidget *view;
  TimConversation *at_ray;
  TimClient *client;

  g_assert_nonnull (settings);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (application)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (application), "run-in-background"));

  window = logged_in_window (application, "quinn");
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  client = timchat_window_get_client (window);
  first = tim_client_create_text_message (ray, "quinn", TIM_CONV_C2C, "before you go");
  g_assert_true (tim_test_send (ray, first, &error));
  timchat_window_open_conversation (window, "C2Cray");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "before you go", 10000));
  at_ray = tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cray");
  wait_unread (at_ray, 0);

  /* Closed (Ctrl+W): hidden, still the application's, its dialog gone, still connected. */
  dialog = gtk_window_new ();
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (dialog));
  {
    g_auto (GStrv) accels =
        gtk_application_get_accels_for_action (GTK_APPLICATION (application), "window.close");

    g_assert_true (g_strv_contains ((const char *const *) accels, "<Control>w"));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  test_app_iterate (100);
  g_assert_nonnull (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_nonnull (
      g_list_find (gtk_application_get_windows (GTK_APPLICATION (application)), window));
  g_assert_null (dialog);
  g_assert_true (timchat_window_get_client (window) == client);

  /* What comes meanwhile arrives, and stays unread: nobody sees the open conversation. */
  second = tim_client_create_text_message (ray, "quinn", TIM_CONV_C2C, "while you were away");
  g_assert_true (tim_test_send (ray, second, &error));
  wait_unread (at_ray, 1);
  test_app_iterate (300);
  g_assert_cmpuint (tim_conversation_get_unread_count (at_ray), ==, 1);

  /* Launching TimChat again brings the same window back, and the open conversation is read. */
  launch_again ();
  g_assert_true (tim_test_wait_until (is_visible, window, 10000));
  g_assert_true (timchat_window_get_client (window) == client);
  g_assert_true (test_app_wait_text (view, "while you were away", 10000));
  wait_unread (at_ray, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (window);

  /* Kicked out (the welcome page again), there is nothing to run for: closing ends it. */
  window = logged_in_window (application, "quinn");
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  {
    g_autoptr (JsonObject) kicked =
        timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"quinn\"}", NULL);

    g_assert_cmpint (timchat_test_json_get_int (kicked, "ErrorCode"), ==, 0);
  }
  g_assert_true (tim_test_wait_until (shows_welcome, window, 10000));
  gtk_window_close (GTK_WINDOW (window));
  test_app_iterate (100);
  g_assert_null (window);

  /* A login that failed (the welcome page, its client still there): the same. */
  {
    g_autofree char *ws = timchat_fixture_ws_url (fixture);

    window = timchat_window_new (ADW_APPLICATION (application), NULL, base_dir);
    g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
    gtk_window_present (GTK_WINDOW (window));
    timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "quinn",
                          "not-a-usersig", FALSE);
    g_assert_true (tim_test_wait_until (shows_welcome, window, 10000));
    g_assert_nonnull (timchat_window_get_client (window));
    gtk_window_close (GTK_WINDOW (window));
    test_app_iterate (100);
    g_assert_null (window);
  }

  /* With the setting off, closing ends the window too. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  window = logged_in_window (application, "quinn");
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  third = tim_client_create_text_message (ray, "quinn", TIM_CONV_C2C, "still there?");
  g_assert_true (tim_test_send (ray, third, &error));
  gtk_window_close (GTK_WINDOW (window));
  test_app_iterate (100);
  g_assert_null (window);
  g_settings_reset (settings, "run-in-background");

  /* Quit ends it, background or not (and everything after it: the application is quitting). */
  window = logged_in_window (application, "quinn");
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
  test_app_iterate (100);
  g_assert_null (window);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/background/close-hides", test_background);
  return test_app_run (fixture, base_dir);
}
