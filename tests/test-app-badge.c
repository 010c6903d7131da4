/* test-app-badge.c: the unread count on the app's icon (the Unity LauncherEntry API), as a dock
 * on the test's own D-Bus session sees it, with the real application and the real server: each
 * change of the total unread is an Update signal for application://org.example.TimChat.desktop,
 * a muted conversation does not count, reading takes the badge down, Query answers what the last
 * signal said, and a closed window leaves no badge behind. */
#define G_LOG_DOMAIN "test-app-badge"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-application.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

#define INTERFACE "com.canonical.Unity.LauncherEntry"
#define APP_URI "application://org.example.TimChat.desktop"

static TimchatFixture *fixture;
static char *base_dir;

/* What the dock saw last. */
typedef struct
{
  char *path;
  gint64 count;
  gboolean visible;
  guint updates;
  guint hidden; /* updates that took the badge down */
} Dock;

static void
read_properties (GVariant *properties, gint64 *count, gboolean *visible)
{
  g_assert_true (g_variant_lookup (properties, "count", "x", count));
  g_assert_true (g_variant_lookup (properties, "count-visible", "b", visible));
}

static void
on_update (GDBusConnection *bus, const char *sender, const char *path, const char *interface,
           const char *signal, GVariant *parameters, gpointer user_data)
{
  Dock *dock = user_data;
  const char *app_uri = NULL;
  g_autoptr (GVariant) properties = NULL;

  g_variant_get (parameters, "(&s@a{sv})", &app_uri, &properties);
  g_assert_cmpstr (app_uri, ==, APP_URI);
  read_properties (properties, &dock->count, &dock->visible);
  dock->hidden += !dock->visible;
  g_free (dock->path);
  dock->path = g_strdup (path);
  dock->updates++;
}

typedef struct
{
  Dock *dock;
  gint64 count;
  gboolean visible;
} Want;

static gboolean
dock_shows (gpointer data)
{
  Want *want = data;

  return want->dock->updates > 0 && want->dock->count == want->count &&
         want->dock->visible == want->visible;
}

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
  guint unread;
} Unread;

static gboolean
has_unread (gpointer data)
{
  Unread *want = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (want->window)),
      want->conversation_id);

  return conversation != NULL && tim_conversation_get_unread_count (conversation) == want->unread;
}

#define wait_dock(d, c, v)                                                                         \
  g_assert_true (tim_test_wait_until (dock_shows, &(Want){ d, c, v }, 10000))

static void
test_badge (void)
{
  g_autoptr (TimchatApplication) application = timchat_application_new ();
  g_autoptr (TimClient) sam = tim_test_client_new (fixture, base_dir, "sam");
  g_autoptr (TimClient) tess = tim_test_client_new (fixture, base_dir, "tess");
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "uri", 3600);
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus;
  g_autoptr (GSubprocess) daemon = NULL;
  Dock dock = { 0 };
  guint subscription;
  TimchatWindow *window;

  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  bus = g_application_get_dbus_connection (G_APPLICATION (application));
  /* The window not being active, what arrives is notified too. */
  daemon = test_app_start_notification_daemon (bus, base_dir, "[global]\nidle_threshold = 0\n");
  subscription = g_dbus_connection_signal_subscribe (
      bus, NULL, INTERFACE, "Update", NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_update, &dock, NULL);

  /* Never presented, so never active: nothing is read by looking. */
  window = timchat_window_new (ADW_APPLICATION (application), NULL, base_dir);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "uri", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  g_assert_cmpuint (dock.updates, ==, 0);

  tim_test_send_text (sam, "uri", "one");
  wait_dock (&dock, 1, TRUE);
  tim_test_send_text (sam, "uri", "two");
  tim_test_send_text (tess, "uri", "three");
  wait_dock (&dock, 3, TRUE);

  /* A dock that starts now asks (this process answers it: the call must not block its loop). */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GVariant) reply = NULL;
    g_autoptr (GVariant) properties = NULL;
    const char *app_uri = NULL;
    gint64 count = 0;
    gboolean visible = FALSE;

    g_dbus_connection_call (bus, g_dbus_connection_get_unique_name (bus), dock.path, INTERFACE,
                            "Query", NULL, G_VARIANT_TYPE ("(sa{sv})"), G_DBUS_CALL_FLAGS_NONE, -1,
                            NULL, tim_test_keep_result, &result);
    reply = g_dbus_connection_call_finish (bus, tim_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_variant_get (reply, "(&s@a{sv})", &app_uri, &properties);
    g_assert_cmpstr (app_uri, ==, APP_URI);
    read_properties (properties, &count, &visible);
    g_assert_cmpint (count, ==, 3);
    g_assert_true (visible);
  }

  /* Muted: tess's message leaves the count (the SDK's total), and what she sends next too. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.mute-conversation", "s", "C2Ctess"));
  wait_dock (&dock, 2, TRUE);
  tim_test_send_text (tess, "uri", "four");
  tim_test_send_text (sam, "uri", "five");
  wait_dock (&dock, 3, TRUE);

  /* Read: the badge goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-read", "s",
                                             "C2Csam"));
  wait_dock (&dock, 0, FALSE);

  /* Marked unread, it counts one until it is read. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-unread",
                                             "s", "C2Csam"));
  wait_dock (&dock, 1, TRUE);
  /* A message comes into it: one unread message now instead of the mark, and the badge says 1
   * all the while (not 0 for a moment, which took it off the icon and put it back). */
  {
    guint hidden = dock.hidden;

    tim_test_send_text (sam, "uri", "five and a half");
    g_assert_true (tim_test_wait_until (has_unread, &(Unread){ window, "C2Csam", 1 }, 10000));
    test_app_iterate (100);
    g_assert_cmpint (dock.count, ==, 1);
    g_assert_cmpuint (dock.hidden, ==, hidden);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-read", "s",
                                             "C2Csam"));
  wait_dock (&dock, 0, FALSE);

  /* Closed with something unread: no badge is left on the icon. */
  tim_test_send_text (sam, "uri", "six");
  wait_dock (&dock, 1, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_dock (&dock, 0, FALSE);
  g_dbus_connection_signal_unsubscribe (bus, subscription);
  g_free (dock.path);
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/badge/unread-count", test_badge);
  return test_app_run (fixture, base_dir);
}
