/* test-tim-transport-session.c: TimTransport's session against the real timchat-server: login
 * and refused login, request/reply and error codes, pushes, replies in wire order among pushes,
 * timeouts (server stopped with SIGSTOP), logout, dispose with requests pending, a login
 * cancelled. Split from test-tim-transport.c (by theme: the session here, losing and getting back
 * the connection in test-tim-transport-reconnect.c) to keep each program short; a server per
 * test, as before. */
#define G_LOG_DOMAIN "test-tim-transport-session"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "test-tim-transport-common.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-transport.h"
#include "tim-usersig.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

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

  transport_login (r, f, "alice", &res);
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
  transport_login (r, f, "alice", &res);
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
  g_test_add_func ("/tim/transport/dispose", test_dispose);
  g_test_add_func ("/tim/transport/login-cancel", test_login_cancel);
  return g_test_run ();
}
