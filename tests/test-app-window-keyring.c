/* test-app-window-keyring.c: the window never waits for the keyring. "Remember me" stores the
 * login and Log Out clears it while the keyring daemon does not answer (stopped here with
 * SIGSTOP, as a slow daemon or its password prompt would be), and both are done, in order, once
 * it answers again. Separate from test-app-window-login.c because it stops the session's keyring
 * daemon, which every other keyring test needs running. */
#define G_LOG_DOMAIN "test-app-window-keyring"

#include "config.h"

#include <adwaita.h>
#include <signal.h>

#include "test-app-util.h"
#include "test-app-window-common.h"
#include "tim-test-util.h"
#include "timchat-credentials.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

/* The longest the main loop went without running a 50 ms timeout. */
typedef struct
{
  gint64 last_us;
  gint64 longest_gap_us;
} Gaps;

static gboolean
note_gap (gpointer data)
{
  Gaps *gaps = data;
  gint64 now = g_get_monotonic_time ();

  gaps->longest_gap_us = MAX (gaps->longest_gap_us, now - gaps->last_us);
  gaps->last_us = now;
  return G_SOURCE_CONTINUE;
}

/* The process of the session's keyring daemon (org.freedesktop.secrets). */
static GPid
keyring_daemon (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr (GVariant) pid = NULL;
  guint32 value = 0;

  g_assert_no_error (error);
  pid = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "GetConnectionUnixProcessID", g_variant_new ("(s)", "org.freedesktop.secrets"),
      G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (pid, "(u)", &value);
  g_assert_cmpuint (value, >, 1);
  return (GPid) value;
}

typedef struct
{
  const char *account;
  const char *user; /* NULL: nothing stored */
} Stored;

static gboolean
keyring_has (gpointer data)
{
  Stored *want = data;
  g_autoptr (TimchatCredentials) stored = timchat_credentials_load (want->account, NULL, NULL);

  return want->user == NULL ? stored == NULL
                            : stored != NULL && g_strcmp0 (stored->user, want->user) == 0;
}

static void
test_keyring_not_answering (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "kyra", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "keyring-test", base_dir);
  Gaps gaps = { g_get_monotonic_time (), 0 };
  GPid daemon = keyring_daemon ();
  guint ticker;

  gtk_window_present (GTK_WINDOW (window));
  wait_page (window, "welcome");
  ticker = g_timeout_add (50, note_gap, &gaps);

  /* Remembered while the keyring does not answer: the window goes on. */
  g_assert_cmpint (kill (daemon, SIGSTOP), ==, 0);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "kyra", usersig, TRUE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  test_app_iterate (1000);
  g_assert_cmpint (gaps.longest_gap_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (kill (daemon, SIGCONT), ==, 0);
  g_assert_true (tim_test_wait_until (keyring_has, &(Stored){ "keyring-test", "kyra" }, 10000));

  /* Log Out forgets it, also while the keyring does not answer, once it does. */
  g_assert_cmpint (kill (daemon, SIGSTOP), ==, 0);
  gaps.last_us = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  test_app_iterate (1000);
  g_assert_cmpint (gaps.longest_gap_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (kill (daemon, SIGCONT), ==, 0);
  g_assert_true (timchat_credentials_wait_queue (10000));
  g_assert_true (keyring_has (&(Stored){ "keyring-test", NULL }));

  g_source_remove (ticker);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/window/keyring-not-answering", test_keyring_not_answering);
  return test_app_run (fixture, base_dir);
}
