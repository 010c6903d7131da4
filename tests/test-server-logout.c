/* test-server-logout.c: what im_open_status.wslogout ends. The socket that logs out is one that
 * never logged in again (its requests refused, heartbeats and a new wslogin served), and the
 * ticket that login handed out logs in nothing any more: not that socket, not another one that
 * showed it, not a new one, not an upload. The user's other logins go on. The socket itself
 * stays while it is alive: the SDK keeps it for its next login. */
#define G_LOG_DOMAIN "test-server-logout"

#include "config.h"

#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

/* openim.sendmsg of a text from `from` (who the socket is meant to be) to `to`: its ErrorCode. */
static gint64
send_code (TimchatTestClient *c, const char *from, const char *to, gint64 random)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "openim.sendmsg",
      "{\"From_Account\":\"%s\",\"To_Account\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT
      ",\"MsgRandom\":%" G_GINT64_FORMAT ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
      "\"MsgContent\":{\"Text\":\"after logout\"}}]}",
      from, to, random, random);

  return timchat_test_json_get_int (reply, "ErrorCode");
}

/* Whether a C2C message reaches c within timeout_ms. */
static gboolean
hears_message (TimchatTestClient *c, guint timeout_ms)
{
  g_autoptr (JsonObject) push = timchat_test_wait_event (c, "C2cMsgArray", timeout_ms);

  return push != NULL;
}

static gint64
request_code (TimchatTestClient *c, const char *servcmd)
{
  g_autoptr (JsonObject) reply = timchat_test_request_ok (c, servcmd, "{}");

  return timchat_test_json_get_int (reply, "ErrorCode");
}

/* The HTTP status of a PUT /upload of a short file with ticket a2. */
static guint
upload_status (const char *a2)
{
  g_autofree char *escaped = g_uri_escape_string (a2, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/upload?kind=file&name=a.txt&a2=%s", escaped);
  g_autofree char *url = timchat_fixture_url (fixture, path);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr (GBytes) content = g_bytes_new_static ("report\n", 7);
  g_autoptr (GBytes) body = NULL;

  soup_message_set_request_body_from_bytes (msg, "text/plain", content);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  return soup_message_get_status (msg);
}

/* After wslogout the socket is answered as one that never logged in, with the ticket in its head
 * or without: a client that logs out but keeps the socket open sent messages as its user. Pushes
 * stop. Heartbeats still work, and so does a new login with a UserSig, on the same socket. */
static void
test_socket_logged_out (void)
{
  g_autoptr (TimchatTestClient) never = timchat_test_new_client (fixture, NULL);
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "lo-ann");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "lo-bob");
  g_autoptr (JsonObject) relogin = NULL;
  g_autoptr (JsonObject) login = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (c));
  g_autofree char *tinyid = g_strdup (timchat_test_client_get_tinyid (c));
  gint64 refused = send_code (never, "lo-ann", "lo-bob", 1);

  g_assert_cmpint (refused, ==, TIM_ERROR_MSG_AUTH);
  g_assert_cmpint (send_code (c, "lo-ann", "lo-bob", 2), ==, 0);
  g_assert_true (hears_message (bob, 3000));

  g_assert_cmpint (request_code (c, "im_open_status.wslogout"), ==, 0);
  /* With the ticket, as the SDK's head has it: the requests it sends before it hears the
   * logout's answer (the follow-ups of earlier answers) are refused as its own calls after a
   * logout are, not with 20002 or 70001, which it takes for a ticket run out and reconnects,
   * telling the app (NET_STATE_CHANGE; the interop test's logout check). */
  g_assert_cmpint (send_code (c, "lo-ann", "lo-bob", 3), ==, TIM_ERROR_NOT_LOGGED_IN);
  g_assert_cmpint (request_code (c, "recentcontact.page_get"), ==, TIM_ERROR_NOT_LOGGED_IN);
  /* Without: as a socket that never logged in. */
  timchat_test_client_set_auth (c, NULL, NULL);
  g_assert_cmpint (send_code (c, "lo-ann", "lo-bob", 4), ==, refused);
  g_assert_false (hears_message (bob, 500));

  /* Still a socket: heartbeats, and a relogin with the old ticket is refused as for a kick. */
  g_assert_cmpint (request_code (c, "heartbeat.alive"), ==, 0);
  timchat_test_client_set_auth (c, a2, tinyid);
  relogin = timchat_test_request_ok (c, "im_open_status.wslogin", "{\"State\":\"Online\"}");
  g_assert_cmpint (timchat_test_json_get_int (relogin, "ErrorCode"), ==, TIM_ERROR_USERSIG_EXPIRED);

  login = timchat_test_client_login (c, "lo-ann", &error);
  g_assert_no_error (error);
  g_assert_cmpint (timchat_test_json_get_int (login, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_client_get_a2 (c), !=, a2);
  g_assert_cmpint (send_code (c, "lo-ann", "lo-bob", 5), ==, 0);
  g_assert_true (hears_message (bob, 3000));
}

/* The ticket of the login that ended is void everywhere: another socket that showed it (a valid
 * ticket logs a fresh socket in) is logged out too, a new socket and an upload are refused. The
 * user's other device, logged in on its own, is not touched. */
static void
test_ticket_revoked (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "lo-cy");
  g_autoptr (TimchatTestClient) phone = timchat_test_connect (fixture, "lo-cy");
  g_autoptr (TimchatTestClient) twin = timchat_test_new_client (fixture, NULL);
  g_autoptr (TimchatTestClient) later = timchat_test_new_client (fixture, NULL);
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "lo-dee");
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (c));
  const char *tinyid = timchat_test_client_get_tinyid (c);

  timchat_test_client_set_auth (twin, a2, tinyid);
  timchat_test_client_set_auth (later, a2, tinyid);
  g_assert_cmpint (send_code (twin, "lo-cy", "lo-dee", 1), ==, 0);
  g_assert_cmpuint (upload_status (a2), ==, SOUP_STATUS_OK);

  g_assert_cmpint (request_code (c, "im_open_status.wslogout"), ==, 0);
  /* The twin's login ended with the logout too; a new socket never had one. */
  g_assert_cmpint (send_code (twin, "lo-cy", "lo-dee", 2), ==, TIM_ERROR_NOT_LOGGED_IN);
  g_assert_cmpint (send_code (later, "lo-cy", "lo-dee", 3), ==, TIM_ERROR_MSG_AUTH);
  g_assert_cmpuint (upload_status (a2), ==, SOUP_STATUS_UNAUTHORIZED);

  g_assert_cmpstr (timchat_test_client_get_a2 (phone), !=, a2);
  g_assert_cmpint (send_code (phone, "lo-cy", "lo-dee", 4), ==, 0);
  g_assert_cmpuint (upload_status (timchat_test_client_get_a2 (phone)), ==, SOUP_STATUS_OK);
}

/* The official Web SDK keeps its socket through tim.logout () for its next login, and goes on
 * sending heartbeat.alive on it. Closed for not being logged in (login_timeout), it reconnects at
 * once and tells the app, NET_STATE_CHANGE connecting then connected, and again every
 * login_timeout for as long as the app stays logged out (the interop test's logout check). A
 * socket that logged out is kept while it sends frames and closed, as any socket, once silent for
 * idle_timeout; one that never logged in is still closed after login_timeout, heartbeats or not.
 * Here login_timeout is 2 s and idle_timeout 4 s, checked every 5 s. */
static void
test_kept_while_alive (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "lo-eve");
  g_autoptr (TimchatTestClient) stranger = timchat_test_new_client (fixture, NULL);
  g_autofree char *reason = NULL;
  gint64 start;
  gint64 silent;
  gushort code = 0;

  g_assert_cmpint (request_code (c, "im_open_status.wslogout"), ==, 0);
  /* Past login_timeout and a check after it, both sockets sending a heartbeat every second. */
  for (start = g_get_monotonic_time (); g_get_monotonic_time () - start < 8 * G_USEC_PER_SEC;)
    {
      g_autoptr (JsonObject) alive = NULL;
      g_autoptr (JsonObject) stranger_alive = NULL;

      g_assert_true (timchat_test_client_is_open (c));
      alive = timchat_test_client_request_json (c, "heartbeat.alive", "{}", NULL);
      g_assert_nonnull (alive);
      g_assert_cmpint (timchat_test_json_get_int (alive, "ErrorCode"), ==, 0);
      stranger_alive = timchat_test_client_request_json (stranger, "heartbeat.alive", "{}", NULL);
      timchat_test_client_pump (c, 1000);
    }
  g_assert_true (timchat_test_client_is_open (c));
  g_assert_true (timchat_test_client_wait_closed (stranger, 0, &code, &reason));
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_assert_cmpstr (reason, ==, "Log in first");
  g_clear_pointer (&reason, g_free);

  /* Silent, it goes as an idle socket does. */
  silent = g_get_monotonic_time ();
  g_assert_true (timchat_test_client_wait_closed (c, 12000, &code, &reason));
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpstr (reason, ==, "Idle timeout");
  g_assert_cmpint (g_get_monotonic_time () - silent, >=, 4 * G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  /* Short, for /server/logout/kept-while-alive; the other tests take well under a second. */
  const char *const conf[] = { "limits/login_timeout=2", "limits/idle_timeout=4", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server/logout/socket-logged-out", test_socket_logged_out);
  g_test_add_func ("/server/logout/ticket-revoked", test_ticket_revoked);
  g_test_add_func ("/server/logout/kept-while-alive", test_kept_while_alive);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
