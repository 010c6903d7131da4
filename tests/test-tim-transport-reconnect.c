/* test-tim-transport-reconnect.c: TimTransport losing its connection and getting it back against
 * the real timchat-server: heartbeat failure (server stopped with SIGSTOP), reconnect after a crash
 * with a relogin on the a2 ticket and a queued request, reconnect_now (), kick, a relogin refused
 * for good and one refused for now. Split from test-tim-transport.c (by theme: the session in
 * test-tim-transport-session.c, reconnecting here) to keep each program short; a server per test,
 * as before. */
#define G_LOG_DOMAIN "test-tim-transport-reconnect"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "test-tim-transport-common.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-transport.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

/* Waiting on the main context ---------------------------------------------------------------- */

static gboolean
wait_state (TimTransport *t, TimNetState state, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (tim_transport_get_state (t) != state && g_get_monotonic_time () < deadline)
    spin (20);
  return tim_transport_get_state (t) == state;
}

/* The server process ------------------------------------------------------------------------- */

static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

/* The fixture always restarts on a new port; a reconnect needs the old one. */
static GSubprocess *
spawn_server (TimchatFixture *f, guint16 port)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr (GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process =
      g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_SERVER"), "--data-dir",
                                   timchat_fixture_get_data_dir (f), "--listen", listen, NULL);
  g_assert_no_error (error);
  return process;
}

static void
stop_server (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_object_unref (process);
}

/* Tests -------------------------------------------------------------------------------------- */

static void
test_heartbeat (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  const TimNetState expected[] = { TIM_NET_STATE_CONNECTING, TIM_NET_STATE_CONNECTED,
                                   TIM_NET_STATE_CONNECTING, TIM_NET_STATE_CONNECTED };
  g_autofree char *a2 = NULL;
  pid_t pid;

  tim_transport_set_heartbeat (r->transport, 300, 400);
  tim_transport_set_backoff (r->transport, 50, 200);
  login_ok (r, f, "alice");
  a2 = g_strdup (tim_transport_get_a2 (r->transport));

  /* Quiet but alive: heartbeats keep the socket. */
  spin (1200);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_CONNECTED);

  /* A heartbeat that times out drops the socket and reconnects. */
  pid = find_server_pid ();
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  g_assert_true (wait_state (r->transport, TIM_NET_STATE_CONNECTING, WAIT_MS));
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  g_assert_true (wait_count (&r->logged_in, 2, WAIT_MS));
  g_assert_cmpstr (tim_transport_get_a2 (r->transport), ==, a2);
  assert_states (r, expected, G_N_ELEMENTS (expected));
  recorder_free (r);
}

static void
test_reconnect (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  guint16 port = timchat_fixture_get_port (f);
  g_autofree char *a2 = NULL;
  const TimNetState expected[] = { TIM_NET_STATE_CONNECTING, TIM_NET_STATE_CONNECTED,
                                   TIM_NET_STATE_CONNECTING, TIM_NET_STATE_CONNECTED };
  GSubprocess *server;
  Result expired = { 0 };
  Result queued = { 0 };
  Result res = { 0 };

  tim_transport_set_backoff (r->transport, 50, 400);
  login_ok (r, f, "alice");
  a2 = g_strdup (tim_transport_get_a2 (r->transport));

  timchat_fixture_kill (f);
  g_assert_true (wait_state (r->transport, TIM_NET_STATE_CONNECTING, WAIT_MS));
  request (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", 15000, NULL, &queued);
  /* A queued request's timeout runs all the same. */
  request (r, "profile.portrait_get", "{}", 300, NULL, &expired);
  spin (800); /* several refused connects, backing off */
  g_assert_false (queued.done);
  g_assert_true (expired.done);
  g_assert_error (expired.error, TIM_ERROR, TIM_ERROR_NETWORK_TIMEOUT);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_CONNECTING);

  server = spawn_server (f, port);
  g_assert_true (wait_for (&queued.done, WAIT_MS));
  g_assert_no_error (queued.error);
  g_assert_nonnull (tim_json_get_array (queued.reply, "UserProfileItem"));
  g_assert_cmpuint (r->logged_in, ==, 2);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_CONNECTED);
  /* The relogin used the ticket: the server answered with the same one. */
  g_assert_cmpstr (tim_transport_get_a2 (r->transport), ==, a2);
  assert_states (r, expected, G_N_ELEMENTS (expected));

  request_wait (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", &res);
  g_assert_no_error (res.error);

  result_clear (&expired);
  result_clear (&queued);
  result_clear (&res);
  recorder_free (r);
  stop_server (server);
}

static void
test_kick (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  g_autoptr (JsonObject) reply = NULL;
  Result res = { 0 };

  tim_transport_set_backoff (r->transport, 10, 50);
  login_ok (r, f, "alice");
  reply = timchat_test_rest (f, "im_open_login_svc/kick", "{\"UserID\":\"alice\"}", NULL);
  g_assert_cmpint (tim_json_get_int_or (reply, "ErrorCode", -1), ==, 0);

  g_assert_true (wait_for (&r->kicked, WAIT_MS));
  g_assert_cmpint (r->kicked, ==, 3);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  spin (300);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  g_assert_cmpuint (r->logged_in, ==, 1);
  request_wait (r, "profile.portrait_get", "{}", &res);
  g_assert_error (res.error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  result_clear (&res);
  recorder_free (r);
}

/* The server comes back while the transport waits out a long backoff: reconnect_now () tries at
 * once, and the session (same ticket) goes on. */
static void
test_reconnect_now (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  Result after = { 0 };

  tim_transport_set_backoff (r->transport, 60000, 60000);
  login_ok (r, f, "alice");
  tim_transport_reconnect_now (r->transport); /* connected: nothing to do */
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_CONNECTED);

  timchat_fixture_kill (f);
  g_assert_true (wait_state (r->transport, TIM_NET_STATE_CONNECTING, WAIT_MS));
  timchat_fixture_restart (f);
  spin (500);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_CONNECTING);
  tim_transport_reconnect_now (r->transport);
  g_assert_true (wait_state (r->transport, TIM_NET_STATE_CONNECTED, WAIT_MS));
  request (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", 0, NULL, &after);
  g_assert_true (wait_for (&after.done, WAIT_MS));
  g_assert_no_error (after.error);
  g_assert_cmpuint (r->logged_in, ==, 2);
  result_clear (&after);
  recorder_free (r);
}

/* The ticket is revoked while the transport is between sockets: the relogin is refused. */
static void
test_relogin_refused (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  g_autoptr (JsonObject) reply = NULL;
  Result queued = { 0 };
  pid_t pid;

  tim_transport_set_heartbeat (r->transport, 300, 300);
  tim_transport_set_backoff (r->transport, 1500, 1500);
  login_ok (r, f, "alice");

  pid = find_server_pid ();
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  g_assert_true (wait_state (r->transport, TIM_NET_STATE_CONNECTING, WAIT_MS));
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  reply = timchat_test_rest (f, "im_open_login_svc/kick", "{\"UserID\":\"alice\"}", NULL);
  g_assert_cmpint (tim_json_get_int_or (reply, "ErrorCode", -1), ==, 0);
  request (r, "profile.portrait_get", "{}", 0, NULL, &queued);

  g_assert_true (wait_for (&queued.done, WAIT_MS));
  g_assert_nonnull (r->login_failed);
  g_assert_error (r->login_failed, TIM_ERROR, TIM_ERROR_USERSIG_EXPIRED);
  g_assert_error (queued.error, TIM_ERROR, TIM_ERROR_USERSIG_EXPIRED);
  g_assert_cmpint (r->kicked, ==, 0); /* the kick went to the old socket we had left */
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  spin (300);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  g_assert_cmpuint (r->logged_in, ==, 1);
  result_clear (&queued);
  recorder_free (r);
}

/* The server answers the relogin with 10002 (it could not store something, a transient failure
 * of its own, as a full disk is): the session is not over, the transport tries again with its
 * usual backoff and, the server back to health, the same ticket logs it in; what was queued
 * meanwhile goes out. The refusal ended the session for good, as an expired ticket does.
 *
 * Here the relogin's answer waits behind another user's write whose sync fails (a slow disk,
 * then EIO): every answer still waiting is 10002, and the server stops (status 75) for its
 * supervisor to start it again, as the test does on the same port. */
static void
test_relogin_transient (void)
{
  g_autofree char *flags_dir = g_dir_make_tmp ("timchat-relogin-XXXXXX", NULL);
  g_autofree char *sync_fail = g_build_filename (flags_dir, "sync-fails", NULL);
  g_autoptr (TimchatFixture) f = NULL;
  Recorder *r = NULL;
  Recorder *bob = NULL;
  GSubprocess *server = NULL;
  Result write = { 0 };
  Result queued = { 0 };
  guint16 port;

  /* Each sync of the WAL takes 1.5 s: the relogin arrives while bob's is on its way. */
  g_setenv ("TIMCHAT_SLOW_SYNC_MS", "1500", TRUE);
  g_setenv ("TIMCHAT_SYNC_FAIL_FLAG", sync_fail, TRUE);
  f = timchat_test_start_on_bad_disk ();
  g_unsetenv ("TIMCHAT_SLOW_SYNC_MS");
  g_unsetenv ("TIMCHAT_SYNC_FAIL_FLAG");
  port = timchat_fixture_get_port (f);
  r = recorder_new (f);
  bob = recorder_new (f);
  tim_transport_set_backoff (r->transport, 60000, 60000);
  login_ok (r, f, "alice");
  login_ok (bob, f, "bob");
  tim_transport_set_heartbeat (r->transport, 300, 300);

  /* Alice's socket goes (a heartbeat unanswered); she waits out a long backoff. */
  g_assert_cmpint (kill (find_server_pid (), SIGSTOP), ==, 0);
  g_assert_true (wait_state (r->transport, TIM_NET_STATE_CONNECTING, WAIT_MS));
  g_assert_cmpint (kill (find_server_pid (), SIGCONT), ==, 0);
  /* Her next heartbeat waits for its answer longer than the sync takes, so what ends that
   * socket is the answer to her login. */
  tim_transport_set_heartbeat (r->transport, 10000, 5000);

  g_assert_true (g_file_set_contents (sync_fail, "", 0, NULL));
  request (bob, "profile.portrait_set",
           "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Bob\"}]}", 0, NULL,
           &write);
  spin (200);
  tim_transport_reconnect_now (r->transport);
  g_assert_true (wait_for (&write.done, WAIT_MS));
  g_assert_error (write.error, TIM_ERROR, TIM_ERROR_INTERNAL);
  g_assert_cmpint (timchat_fixture_wait_exit (f, WAIT_MS), ==, 75);
  spin (300);

  /* Refused for now, not for good: still the session's, waiting to reconnect. */
  g_assert_null (r->login_failed);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_CONNECTING);
  request (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", 0, NULL, &queued);
  spin (100);
  g_assert_false (queued.done);

  /* Back, the server may take a moment to listen: short backoffs from now on. */
  tim_transport_set_backoff (r->transport, 50, 200);
  server = spawn_server (f, port);
  tim_transport_reconnect_now (r->transport);
  g_assert_true (wait_for (&queued.done, WAIT_MS));
  g_assert_no_error (queued.error);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_CONNECTED);
  g_assert_cmpuint (r->logged_in, ==, 2);
  g_assert_null (r->login_failed);

  result_clear (&write);
  result_clear (&queued);
  recorder_free (bob);
  recorder_free (r);
  stop_server (server);
  g_rmdir (flags_dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tim/transport/heartbeat", test_heartbeat);
  g_test_add_func ("/tim/transport/reconnect", test_reconnect);
  g_test_add_func ("/tim/transport/reconnect-now", test_reconnect_now);
  g_test_add_func ("/tim/transport/kick", test_kick);
  g_test_add_func ("/tim/transport/relogin-refused", test_relogin_refused);
  g_test_add_func ("/tim/transport/relogin-transient", test_relogin_transient);
  return g_test_run ();
}
