/* test-tim-transport.c: TimTransport against the real timchat-server: login and refused login,
 * request/reply and error codes, pushes, replies in wire order among pushes, timeouts (server
 * stopped with SIGSTOP), heartbeat failure, reconnect after a crash with a relogin on the a2 ticket
 * and a queued request, kick, refused relogin, logout, dispose with requests pending. */
#define G_LOG_DOMAIN "test-tim-transport"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tim-error.h"
#include "tim-json.h"
#include "tim-transport.h"
#include "tim-usersig.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define WAIT_MS 10000

/* Recording what a transport does ------------------------------------------------------------ */

typedef struct
{
  TimTransport *transport;
  GArray *states; /* TimNetState per notify::state */
  guint logged_in;
  int kicked;
  GError *login_failed;
  GPtrArray *pushes; /* JsonObject bodies of im_open_push.msg_push */
} Recorder;

static void
on_state (TimTransport *t, GParamSpec *pspec, Recorder *r)
{
  TimNetState state = tim_transport_get_state (t);

  g_array_append_val (r->states, state);
}

static void
on_logged_in (TimTransport *t, JsonObject *reply, Recorder *r)
{
  g_assert_nonnull (tim_json_get_string (reply, "A2Key"));
  r->logged_in++;
}

static void
on_kicked_out (TimTransport *t, int kick_type, Recorder *r)
{
  r->kicked = kick_type;
}

static void
on_login_failed (TimTransport *t, GError *error, Recorder *r)
{
  g_clear_error (&r->login_failed);
  r->login_failed = g_error_copy (error);
}

static void
on_push (TimTransport *t, const char *servcmd, JsonObject *body, Recorder *r)
{
  if (g_str_equal (servcmd, "im_open_push.msg_push"))
    g_ptr_array_add (r->pushes, json_object_ref (body));
}

static Recorder *
recorder_new (TimchatFixture *f)
{
  Recorder *r = g_new0 (Recorder, 1);
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u", timchat_fixture_get_port (f));

  r->transport = tim_transport_new (url, timchat_fixture_get_sdkappid (f));
  r->states = g_array_new (FALSE, FALSE, sizeof (TimNetState));
  r->pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_signal_connect (r->transport, "notify::state", G_CALLBACK (on_state), r);
  g_signal_connect (r->transport, "logged-in", G_CALLBACK (on_logged_in), r);
  g_signal_connect (r->transport, "kicked-out", G_CALLBACK (on_kicked_out), r);
  g_signal_connect (r->transport, "login-failed", G_CALLBACK (on_login_failed), r);
  g_signal_connect (r->transport, "push", G_CALLBACK (on_push), r);
  return r;
}

static void
recorder_free (Recorder *r)
{
  if (r->transport != NULL)
    g_assert_finalize_object (r->transport);
  g_array_unref (r->states);
  g_ptr_array_unref (r->pushes);
  g_clear_error (&r->login_failed);
  g_free (r);
}

static void
assert_states (Recorder *r, const TimNetState *expected, guint n)
{
  g_assert_cmpuint (r->states->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (r->states, TimNetState, i), ==, expected[i]);
}

/* Waiting on the main context ---------------------------------------------------------------- */

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until *flag (an int) is non-zero or timeout_ms passed; returns whether it is set. */
static gboolean
wait_for (const int *flag, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_deadline, &expired);

  while (*flag == 0 && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag != 0;
}

static void
spin (guint ms)
{
  int never = 0;

  wait_for (&never, ms);
}

static gboolean
wait_count (const guint *value, guint target, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (*value < target && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return *value >= target;
}

static gboolean
wait_state (TimTransport *t, TimNetState state, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (tim_transport_get_state (t) != state && g_get_monotonic_time () < deadline)
    spin (20);
  return tim_transport_get_state (t) == state;
}

typedef struct
{
  int done;
  JsonObject *reply;
  GError *error;
} Result;

static void
result_clear (Result *res)
{
  g_clear_pointer (&res->reply, json_object_unref);
  g_clear_error (&res->error);
  res->done = 0;
}

static void
on_login_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Result *res = data;

  res->reply = tim_transport_login_finish (TIM_TRANSPORT (source), result, &res->error);
  res->done = 1;
}

static void
on_request_done (JsonObject *reply, const GError *error, gpointer data)
{
  Result *res = data;

  g_assert_cmpint (res->done, ==, 0);
  res->reply = reply != NULL ? json_object_ref (reply) : NULL;
  res->error = error != NULL ? g_error_copy (error) : NULL;
  res->done = 1;
}

static void
login (Recorder *r, TimchatFixture *f, const char *user, Result *res)
{
  g_autofree char *sig = timchat_fixture_usersig (f, user, 3600);

  tim_transport_login_async (r->transport, user, sig, NULL, on_login_done, res);
  g_assert_true (wait_for (&res->done, WAIT_MS));
}

static void
login_ok (Recorder *r, TimchatFixture *f, const char *user)
{
  Result res = { 0 };

  login (r, f, user, &res);
  g_assert_no_error (res.error);
  result_clear (&res);
}

static void
request (Recorder *r, const char *servcmd, const char *body_json, guint timeout_ms,
         GCancellable *cancellable, Result *res)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GError) error = NULL;

  body = tim_json_parse_object (body_json, -1, &error);
  g_assert_no_error (error);
  tim_transport_request (r->transport, servcmd, body, timeout_ms, cancellable, on_request_done,
                         res);
}

static void
request_wait (Recorder *r, const char *servcmd, const char *body_json, Result *res)
{
  request (r, servcmd, body_json, 0, NULL, res);
  g_assert_true (wait_for (&res->done, WAIT_MS));
}

/* The server process ------------------------------------------------------------------------- */

/* The fixture's timchat-server. */
static pid_t
find_server_pid (void)
{
  GPid pid = timchat_test_find_server_pid ();

  g_assert_cmpint (pid, >, 0);
  return pid;
}

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
test_login (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  const TimNetState connected[] = { TIM_NET_STATE_CONNECTING, TIM_NET_STATE_CONNECTED };
  g_autofree char *http = timchat_fixture_url (f, NULL);
  Result res = { 0 };
  gint64 tinyid = 0;

  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  g_assert_cmpstr (tim_transport_get_http_base (r->transport), ==, http);

  login (r, f, "alice", &res);
  g_assert_no_error (res.error);
  g_assert_cmpstr (tim_transport_get_a2 (r->transport), ==,
                   tim_json_get_string (res.reply, "A2Key"));
  g_assert_true (tim_json_get_int (res.reply, "TinyId", &tinyid));
  g_assert_cmpint (g_ascii_strtoll (tim_transport_get_tinyid (r->transport), NULL, 10), ==, tinyid);
  g_assert_cmpstr (tim_transport_get_user (r->transport), ==, "alice");
  g_assert_cmpint (ABS (tim_transport_get_time_offset (r->transport)), <=, 2);
  g_assert_cmpuint (r->logged_in, ==, 1);
  assert_states (r, connected, G_N_ELEMENTS (connected));
  result_clear (&res);

  /* Logged in twice is refused, the session stays. */
  login (r, f, "alice", &res);
  g_assert_error (res.error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION);
  result_clear (&res);

  /* Request and reply, with the a2 head. */
  request_wait (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", &res);
  g_assert_no_error (res.error);
  g_assert_nonnull (tim_json_get_array (res.reply, "UserProfileItem"));
  result_clear (&res);

  /* An ErrorCode in the reply is the GError's code, ErrorInfo its message. */
  request_wait (r, "openim.no_such_command", "{}", &res);
  g_assert_error (res.error, TIM_ERROR, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpstr (res.error->message, !=, "");
  result_clear (&res);
  request_wait (r, "openim.sendmsg",
                "{\"To_Account\":\"nobody\",\"MsgSeq\":1,\"MsgRandom\":2,\"MsgBody\":"
                "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]}",
                &res);
  g_assert_error (res.error, TIM_ERROR, TIM_ERROR_TO_ACCOUNT_INVALID);
  result_clear (&res);

  /* Logout: a request still in flight is cancelled, later ones are refused, no reconnect. */
  request (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", 0, NULL, &res);
  tim_transport_logout (r->transport);
  g_assert_true (wait_for (&res.done, WAIT_MS));
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&res);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  g_assert_null (tim_transport_get_a2 (r->transport));
  request (r, "profile.portrait_get", "{}", 0, NULL, &res);
  g_assert_cmpint (res.done, ==, 0); /* refused from the main loop, not inside the call */
  g_assert_true (wait_for (&res.done, WAIT_MS));
  g_assert_error (res.error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  result_clear (&res);
  spin (300);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);

  /* And logs in again afterwards. */
  login_ok (r, f, "alice");
  g_assert_cmpuint (r->logged_in, ==, 2);
  recorder_free (r);
}

static void
test_bad_usersig (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  const TimNetState failed[] = { TIM_NET_STATE_CONNECTING, TIM_NET_STATE_DISCONNECTED };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *wrong_key = tim_usersig_generate (timchat_fixture_get_sdkappid (f),
                                                     "not-the-secret", "alice", now, 3600, NULL);
  g_autofree char *expired =
      tim_usersig_generate (timchat_fixture_get_sdkappid (f), timchat_fixture_get_secret (f),
                            "alice", now - 7200, 3600, NULL);
  Result res = { 0 };

  tim_transport_set_backoff (r->transport, 10, 20);
  tim_transport_login_async (r->transport, "alice", wrong_key, NULL, on_login_done, &res);
  g_assert_true (wait_for (&res.done, WAIT_MS));
  g_assert_error (res.error, TIM_ERROR, TIM_ERROR_USERSIG_VERIFY);
  result_clear (&res);
  assert_states (r, failed, G_N_ELEMENTS (failed));

  tim_transport_login_async (r->transport, "alice", expired, NULL, on_login_done, &res);
  g_assert_true (wait_for (&res.done, WAIT_MS));
  g_assert_error (res.error, TIM_ERROR, TIM_ERROR_USERSIG_EXPIRED);
  result_clear (&res);

  /* No reconnect after a refused login. */
  spin (300);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  g_assert_cmpuint (r->states->len, ==, 4);
  g_assert_cmpuint (r->logged_in, ==, 0);
  g_assert_null (tim_transport_get_a2 (r->transport));
  recorder_free (r);
}

static void
test_push (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *alice = recorder_new (f);
  Recorder *bob = recorder_new (f);
  Result res = { 0 };
  gint64 msg_time = 0;
  JsonObject *item;

  login_ok (alice, f, "alice");
  login_ok (bob, f, "bob");
  request_wait (bob, "openim.sendmsg",
                "{\"To_Account\":\"alice\",\"MsgSeq\":7,\"MsgRandom\":4242,\"MsgBody\":"
                "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello alice\"}}]}",
                &res);
  g_assert_no_error (res.error);
  g_assert_true (tim_json_get_int (res.reply, "MsgTime", &msg_time));
  g_assert_cmpint (msg_time, >, 0);
  result_clear (&res);

  g_assert_true (wait_count (&alice->pushes->len, 1, WAIT_MS));
  item = timchat_test_push_item (alice->pushes->pdata[0], "C2cMsgArray");
  g_assert_nonnull (item);
  g_assert_cmpstr (tim_json_get_string (item, "From_Account"), ==, "bob");
  g_assert_cmpint (tim_json_get_int_or (item, "MsgRandom", 0), ==, 4242);
  g_assert_cmpuint (bob->pushes->len, ==, 0);

  recorder_free (alice);
  recorder_free (bob);
}

/* What alice saw, in order: "push" and "reply". */
typedef struct
{
  Recorder *alice;
  Recorder *bob;
  GString *seen;
  Result bob_sent;
  TimchatFixture *fixture;
} WireOrder;

/* Returns once the server has handled what was sent to it before, and sent what that caused: a
 * REST request comes after those frames, and its answer waits behind their replies and pushes. */
static void
server_caught_up (TimchatFixture *f)
{
  json_object_unref (
      timchat_test_rest_ok (f, "profile/portrait_get",
                            "{\"To_Account\":[\"alice\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}"));
}

static void
on_wire_order_reply (JsonObject *reply, const GError *error, gpointer data)
{
  WireOrder *order = data;

  g_assert_no_error (error);
  g_string_append (order->seen, "reply ");
}

static void
send_to_alice (Recorder *bob, const char *text, Result *res)
{
  g_autofree char *body =
      g_strdup_printf ("{\"To_Account\":\"alice\",\"MsgSeq\":%d,\"MsgRandom\":%d,\"MsgBody\":"
                       "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
                       g_random_int_range (1, 1000), g_random_int_range (1, G_MAXINT32), text);

  request (bob, "openim.sendmsg", body, 0, NULL, res);
}

/* The first push: alice asks something, and bob sends again while she is still busy with it, so
 * her reply and the second push wait in her socket, in that order, to be read together. */
static void
on_wire_order_push (TimTransport *transport, const char *servcmd, JsonObject *body,
                    WireOrder *order)
{
  g_autoptr (JsonObject) ask = json_object_new ();
  JsonArray *accounts;

  g_string_append (order->seen, "push ");
  if (order->seen->len > strlen ("push "))
    return;
  accounts = json_array_new ();
  json_array_add_string_element (accounts, "alice");
  json_object_set_array_member (ask, "To_Account", accounts);
  tim_transport_request (transport, "profile.portrait_get", ask, 0, NULL, on_wire_order_reply,
                         order);
  server_caught_up (order->fixture);
  send_to_alice (order->bob, "second", &order->bob_sent);
  server_caught_up (order->fixture);
}

/* A reply reaches its caller in the order the server sent it among the pushes: what it says is
 * never applied after a push the server sent later. */
static void
test_reply_in_wire_order (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  WireOrder order = { recorder_new (f), recorder_new (f), g_string_new (NULL), { 0 }, f };
  Result first = { 0 };

  login_ok (order.alice, f, "alice");
  login_ok (order.bob, f, "bob");
  g_signal_connect (order.alice->transport, "push", G_CALLBACK (on_wire_order_push), &order);
  send_to_alice (order.bob, "first", &first);
  g_assert_true (wait_count (&order.alice->pushes->len, 2, WAIT_MS));
  g_assert_true (wait_for (&order.bob_sent.done, WAIT_MS));
  g_assert_cmpstr (order.seen->str, ==, "push reply push ");

  result_clear (&first);
  result_clear (&order.bob_sent);
  g_string_free (order.seen, TRUE);
  recorder_free (order.alice);
  recorder_free (order.bob);
}

static void
test_timeout (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Result slow = { 0 };
  Result cancelled = { 0 };
  Result res = { 0 };
  pid_t pid;
  gint64 start;

  login_ok (r, f, "alice");
  pid = find_server_pid ();
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);

  start = g_get_monotonic_time ();
  request (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", 800, NULL, &slow);
  request (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", 0, cancellable, &cancelled);
  spin (50);
  g_cancellable_cancel (cancellable);
  g_assert_true (wait_for (&cancelled.done, WAIT_MS));
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (slow.done);
  g_assert_true (wait_for (&slow.done, WAIT_MS));
  g_assert_error (slow.error, TIM_ERROR, TIM_ERROR_NETWORK_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 790 * 1000);

  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  /* The late replies are neither pushes nor trouble; the socket still works. */
  request_wait (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (r->pushes->len, ==, 0);
  g_assert_cmpuint (r->logged_in, ==, 1);

  result_clear (&slow);
  result_clear (&cancelled);
  result_clear (&res);
  recorder_free (r);
}

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

static void
test_dispose (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  Result a = { 0 };
  Result b = { 0 };
  Result login_res = { 0 };
  g_autofree char *sig = timchat_fixture_usersig (f, "bob", 3600);

  login_ok (r, f, "alice");
  request (r, "profile.portrait_get", "{\"To_Account\":[\"alice\"]}", 0, NULL, &a);
  request (r, "heartbeat.alive", "{}", 0, NULL, &b);
  g_assert_finalize_object (g_steal_pointer (&r->transport));
  g_assert_true (wait_for (&a.done, WAIT_MS));
  g_assert_true (wait_for (&b.done, WAIT_MS));
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (b.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&a);
  result_clear (&b);
  recorder_free (r);

  /* While connecting. */
  r = recorder_new (f);
  tim_transport_login_async (r->transport, "bob", sig, NULL, on_login_done, &login_res);
  g_assert_finalize_object (g_steal_pointer (&r->transport));
  g_assert_true (wait_for (&login_res.done, WAIT_MS));
  g_assert_error (login_res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&login_res);
  spin (200); /* nothing fires after dispose */
  recorder_free (r);
}

static void
test_login_cancel (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  Recorder *r = recorder_new (f);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *sig = timchat_fixture_usersig (f, "alice", 3600);
  Result res = { 0 };
  pid_t pid = find_server_pid ();

  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  tim_transport_login_async (r->transport, "alice", sig, cancellable, on_login_done, &res);
  spin (100);
  g_cancellable_cancel (cancellable);
  g_assert_true (wait_for (&res.done, WAIT_MS));
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (tim_transport_get_state (r->transport), ==, TIM_NET_STATE_DISCONNECTED);
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  result_clear (&res);

  login_ok (r, f, "alice");
  recorder_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tim/transport/login", test_login);
  g_test_add_func ("/tim/transport/bad-usersig", test_bad_usersig);
  g_test_add_func ("/tim/transport/push", test_push);
  g_test_add_func ("/tim/transport/reply-in-wire-order", test_reply_in_wire_order);
  g_test_add_func ("/tim/transport/timeout", test_timeout);
  g_test_add_func ("/tim/transport/heartbeat", test_heartbeat);
  g_test_add_func ("/tim/transport/reconnect", test_reconnect);
  g_test_add_func ("/tim/transport/reconnect-now", test_reconnect_now);
  g_test_add_func ("/tim/transport/kick", test_kick);
  g_test_add_func ("/tim/transport/relogin-refused", test_relogin_refused);
  g_test_add_func ("/tim/transport/relogin-transient", test_relogin_transient);
  g_test_add_func ("/tim/transport/dispose", test_dispose);
  g_test_add_func ("/tim/transport/login-cancel", test_login_cancel);
  return g_test_run ();
}
