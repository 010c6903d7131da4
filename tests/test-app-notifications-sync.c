/* test-app-notifications-sync.c: desktop notifications and the sync after a reconnection,
 * through a real notification daemon (dunst, on the test's own D-Bus session and Xvfb). What came
 * while the app was away is announced when it is back; what the user read meanwhile on another
 * device shows no notification: there is nothing new in it, and no read to come would take it
 * down. */
#define G_LOG_DOMAIN "test-app-notifications-sync"

#include "config.h"

#include <adwaita.h>

#include "test-app-notifications-common.h"
#include "test-app-util.h"
#include "tim-client-private.h"
#include "tim-test-util.h"
#include "timchat-application.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

/* Not "is-ready": that stays TRUE from the first sync of the login on. */
static gboolean
is_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED;
}

static void
send_text (TimClient *from, const char *to, const char *text)
{
  g_autoptr (TimMessage) message = tim_client_create_text_message (from, to, TIM_CONV_C2C, text);
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_send (from, message, &error));
  g_assert_no_error (error);
}

/* The server goes down and comes back; the window's client waits a minute to try again, while
 * bob and alice's phone are back at once. */
static void
leave_away (TimClient *away, TimClient *const *others)
{
  tim_transport_set_backoff (away->transport, 60000, 60000);
  timchat_fixture_kill (fixture);
  test_app_iterate (300);
  g_assert_cmpint (tim_client_get_net_state (away), !=, TIM_NET_STATE_CONNECTED);
  timchat_fixture_restart (fixture);
  for (guint i = 0; others[i] != NULL; i++)
    {
      tim_client_reconnect_now (others[i]);
      g_assert_true (tim_test_wait_until (is_connected, others[i], 20000));
    }
}

static void
test_read_while_away (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr (GSubprocess) daemon = test_app_start_notification_daemon (
      bus, base_dir, "[global]\nidle_threshold = 0\n[urgency_normal]\ntimeout = 0\n");
  g_autoptr (TimchatApplication) application = timchat_application_new ();
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "alice", 3600);
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "alice");
  TimClient *const others[] = { bob, phone, NULL };
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  gulong collecting;
  TimchatWindow *window;
  TimClient *client;

  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  /* Never presented, so never active: what arrives is for the notifications. */
  window = timchat_window_new (ADW_APPLICATION (application), "notifications-sync", base_dir);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "alice", usersig,
                        FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  client = timchat_window_get_client (window);
  send_text (bob, "alice", "Hello");
  wait_displayed (bus, 1);
  g_variant_unref (daemon_call (bus, "NotificationCloseAll", NULL, "()"));
  wait_displayed (bus, 0);

  /* Away, bob writes, and alice reads it on her phone. */
  leave_away (client, others);
  send_text (bob, "alice", "Read on the phone");
  g_assert_true (tim_test_wait_until (
      tim_test_last_text_is, &(TimTestLastText){ phone, "C2Cbob", "Read on the phone" }, 10000));
  tim_client_set_message_read_async (phone, "C2Cbob", NULL, tim_test_keep_result, &read);
  g_assert_true (tim_client_set_message_read_finish (phone, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);

  /* Back, the window has it (announced when the sync ends), read, and no notification for it. */
  g_assert_cmpint (tim_client_get_net_state (client), !=, TIM_NET_STATE_CONNECTED);
  collecting = tim_test_collect (client, "message-received", received);
  tim_client_reconnect_now (client);
  g_assert_true (tim_test_wait_count (received, 1, 20000));
  g_signal_handler_disconnect (client, collecting);
  g_assert_cmpstr (tim_message_get_text (received->pdata[0]), ==, "Read on the phone");
  g_assert_cmpuint (tim_test_unread_of (client, "C2Cbob"), ==, 0);
  test_app_iterate (1000);
  g_assert_cmpuint (displayed (bus), ==, 0);

  /* What came while away and was not read still shows. */
  leave_away (client, others);
  send_text (bob, "alice", "Unread while away");
  tim_client_reconnect_now (client);
  wait_displayed (bus, 1);
  g_assert_true (tim_test_wait_until (shows_line, &(Line){ bus, "bob: Unread while away" }, 10000));

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/notifications/read-while-away", test_read_while_away);
  return test_app_run (fixture, base_dir);
}
