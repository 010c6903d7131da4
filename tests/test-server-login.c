/* test-server-login.c: wslogin against the real timchat-server, UserSig failures, heartbeats. */
#define G_LOG_DOMAIN "test-server-login"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "tim-error.h"
#include "tim-usersig.h"
#include "timchat-test-extra.h"

/* What the SDK sends right after login. */
#define PAGE_GET_BODY                                                                              \
  "{\"From_Account\":\"erin\",\"TimeStamp\":0,\"StartIndex\":0,\"TopTimeStamp\":0,"                \
  "\"TopStartIndex\":0,\"OrderType\":1,\"MsgAssistFlags\":4,\"AssistFlags\":15}"

static TimchatFixture *fixture;

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static JsonObject *
login_with_sig (TimchatTestClient *c, const char *user, const char *usersig)
{
  g_autoptr (GError) error = NULL;
  JsonObject *reply = timchat_test_client_login_with_sig (c, user, usersig, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

static void
assert_login_ok (JsonObject *reply)
{
  g_autofree char *text = timchat_test_json_to_string (reply);

  g_test_message ("wslogin reply: %s", text);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "OK");
  g_assert_nonnull (timchat_test_json_get_string (reply, "A2Key"));
  /* 128 bits from the kernel (timchat-random.h): the ticket is the key to the session. */
  g_assert_cmpuint (strlen (timchat_test_json_get_string (reply, "A2Key")), ==, 32);
  g_assert_true (strspn (timchat_test_json_get_string (reply, "A2Key"), "0123456789abcdef") == 32);
  g_assert_true (timchat_test_json_has (reply, "TinyId"));
  g_assert_cmpint (timchat_test_json_get_int (reply, "TinyId"), >, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "HelloInterval"), >, 0);
  g_assert_true (timchat_test_json_has (reply, "InstId"));
  g_assert_cmpint (timchat_test_json_get_int (reply, "InstId"), !=, 0);
  g_assert_cmpint (ABS (timchat_test_json_get_int (reply, "TimeStamp") - now_seconds ()), <=, 60);
}

static void
assert_login_fails (JsonObject *reply, int code)
{
  g_autofree char *text = timchat_test_json_to_string (reply);

  g_test_message ("wslogin reply: %s", text);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, code);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "FAIL");
  g_assert_false (timchat_test_json_has (reply, "A2Key"));
}

/* The UserSig encoding (zlib, base64, "+/=" -> "*-_") around arbitrary JSON, to forge one. */
static char *
encode_usersig (JsonObject *json)
{
  g_autofree char *text = timchat_test_json_to_string (json);
  g_autoptr (GZlibCompressor) compressor =
      g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1);
  guint8 out[4096];
  gsize bytes_read, bytes_written;
  g_autoptr (GError) error = NULL;
  GConverterResult result;
  char *b64;

  result = g_converter_convert (G_CONVERTER (compressor), text, strlen (text), out, sizeof out,
                                G_CONVERTER_INPUT_AT_END, &bytes_read, &bytes_written, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, G_CONVERTER_FINISHED);

  b64 = g_base64_encode (out, bytes_written);
  g_strdelimit (b64, "+", '*');
  g_strdelimit (b64, "/", '-');
  g_strdelimit (b64, "=", '_');
  return b64;
}

static void
test_login_success (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (GError) error = NULL;

  reply = timchat_test_client_login (c, "alice", &error);
  g_assert_no_error (error);
  assert_login_ok (reply);
  g_assert_cmpstr (timchat_test_client_get_user (c), ==, "alice");
  g_assert_cmpstr (timchat_test_client_get_a2 (c), ==,
                   timchat_test_json_get_string (reply, "A2Key"));
  g_assert_nonnull (timchat_test_client_get_tinyid (c));
}

/* Text frames on /info work the same as binary ones on /binfo. */
static void
test_login_text_frames (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, "/info");
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) alive = NULL;
  g_autoptr (GError) error = NULL;

  reply = timchat_test_client_login (c, "carol", &error);
  g_assert_no_error (error);
  assert_login_ok (reply);

  alive = timchat_test_request_ok (c, "heartbeat.alive", "{}");
  g_assert_cmpint (timchat_test_json_get_int (alive, "ErrorCode"), ==, 0);
}

static void
test_login_two_users (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_new_client (fixture, NULL);
  g_autoptr (TimchatTestClient) bob = timchat_test_new_client (fixture, NULL);
  g_autoptr (JsonObject) alice_reply = NULL;
  g_autoptr (JsonObject) bob_reply = NULL;
  g_autoptr (JsonObject) alice_hello = NULL;
  g_autoptr (JsonObject) bob_hello = NULL;
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  alice_reply = timchat_test_client_login (alice, "alice", &error);
  g_assert_no_error (error);
  assert_login_ok (alice_reply);
  bob_reply = timchat_test_client_login (bob, "bob", &error);
  g_assert_no_error (error);
  assert_login_ok (bob_reply);

  g_assert_cmpstr (timchat_test_client_get_tinyid (alice), !=,
                   timchat_test_client_get_tinyid (bob));
  g_assert_cmpstr (timchat_test_client_get_a2 (alice), !=, timchat_test_client_get_a2 (bob));

  /* Both sessions answer with their own a2/tinyid in the head. */
  alice_hello = timchat_test_request_ok (alice, "im_open_status.wshello", "{}");
  bob_hello = timchat_test_request_ok (bob, "im_open_status.wshello", "{}");
  g_assert_cmpint (timchat_test_json_get_int (alice_hello, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (bob_hello, "ErrorCode"), ==, 0);

  /* One request from alice reaches bob as a push. */
  sent = timchat_test_request_ok (alice, "openim.sendmsg",
                                  "{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgSeq\":1,"
                                  "\"MsgRandom\":4242,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                                  "\"MsgContent\":{\"Text\":\"hi bob\"}}]}");
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  push = timchat_test_client_wait_push (bob, "im_open_push.msg_push", 5000);
  g_assert_nonnull (push);
  text = timchat_test_json_to_string (push);
  g_test_message ("push to bob: %s", text);
  g_assert_cmpstr (timchat_test_json_get_string (push, "EventArray.0.C2cMsgArray.0.From_Account"),
                   ==, "alice");
  g_assert_cmpint (timchat_test_json_get_int (push, "EventArray.0.C2cMsgArray.0.MsgRandom"), ==,
                   4242);

  g_assert_true (timchat_test_client_is_open (alice));
  g_assert_true (timchat_test_client_is_open (bob));
}

static void
test_login_wrong_key (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autofree char *sig =
      tim_usersig_generate (timchat_fixture_get_sdkappid (fixture), "not-the-secret-key", "alice",
                            now_seconds (), 86400, NULL);
  g_autoptr (JsonObject) reply = login_with_sig (c, "alice", sig);

  assert_login_fails (reply, TIM_ERROR_USERSIG_VERIFY);
  g_assert_null (timchat_test_client_get_a2 (c));
}

/* A valid sig for alice with the identifier rewritten: the HMAC no longer matches. */
static void
test_login_forged_sig (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autofree char *sig = timchat_fixture_usersig (fixture, "alice", 86400);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) decoded = tim_usersig_decode (sig, &error);
  g_autofree char *forged = NULL;
  g_autoptr (JsonObject) reply = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  json_object_set_string_member (decoded, "TLS.identifier", "mallory");
  forged = encode_usersig (decoded);

  reply = login_with_sig (c, "mallory", forged);
  assert_login_fails (reply, TIM_ERROR_USERSIG_VERIFY);
}

static void
test_login_expired (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autofree char *sig = tim_usersig_generate (timchat_fixture_get_sdkappid (fixture),
                                               timchat_fixture_get_secret (fixture), "alice",
                                               now_seconds () - 7200, 3600, NULL);
  g_autoptr (JsonObject) reply = login_with_sig (c, "alice", sig);

  assert_login_fails (reply, TIM_ERROR_USERSIG_EXPIRED);
}

/* A login lasts as long as its UserSig, however long its socket stays open: after that a request
 * is answered 70001 (the SDK's userSigExpired kick), the socket is closed (1008) so no more
 * pushes reach it, and the ticket no longer logs a new socket in. */
static void
test_login_runs_out (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autoptr (TimchatTestClient) again = timchat_test_new_client (fixture, NULL);
  g_autofree char *sig = timchat_fixture_usersig (fixture, "erin", 2);
  g_autoptr (JsonObject) reply = login_with_sig (c, "erin", sig);
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) relogin = NULL;
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (c));
  const char *profile = "{\"To_Account\":[\"erin\"]}";
  gushort code = 0;

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  before = timchat_test_client_request_json (c, "profile.portrait_get", profile, NULL);
  g_assert_cmpint (timchat_test_json_get_int (before, "ErrorCode"), ==, 0);
  timchat_test_client_pump (c, 3000);
  after = timchat_test_client_request_json (c, "profile.portrait_get", profile, NULL);
  g_assert_cmpint (timchat_test_json_get_int (after, "ErrorCode"), ==, TIM_ERROR_USERSIG_EXPIRED);
  g_assert_true (timchat_test_client_wait_closed (c, 8000, &code, NULL));
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);

  timchat_test_client_set_auth (again, a2, timchat_test_client_get_tinyid (c));
  relogin = timchat_test_client_request_json (again, "im_open_status.wslogin",
                                              "{\"State\":\"Online\"}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (relogin, "ErrorCode"), ==, TIM_ERROR_USERSIG_EXPIRED);
}

static void
test_login_identifier_mismatch (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autofree char *sig = timchat_fixture_usersig (fixture, "bob", 86400);
  g_autoptr (JsonObject) reply = login_with_sig (c, "alice", sig);

  assert_login_fails (reply, TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH);
}

static void
test_login_sdkappid_mismatch (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autofree char *sig = tim_usersig_generate (timchat_fixture_get_sdkappid (fixture) + 1,
                                               timchat_fixture_get_secret (fixture), "alice",
                                               now_seconds (), 86400, NULL);
  g_autoptr (JsonObject) reply = login_with_sig (c, "alice", sig);

  assert_login_fails (reply, TIM_ERROR_USERSIG_SDKAPPID_MISMATCH);
}

/* The frame's head and the socket's URL name the app as well as the UserSig does: a client set
 * up for another SDKAppID, with a UserSig of ours, is refused (70014) rather than logged in under
 * an app it did not mean, and so is a head whose sdkappid is not a number. A head without one
 * says nothing to check. */
static void
test_login_head_sdkappid (void)
{
  const char *const heads[] = { "{\"sdkappid\":123}", "{\"sdkappid\":\"ours?\"}",
                                "{\"sdkappid\":null}" };
  const gint64 codes[] = { TIM_ERROR_USERSIG_SDKAPPID_MISMATCH, TIM_ERROR_USERSIG_SDKAPPID_MISMATCH,
                           0 };

  for (gsize i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
      g_autofree char *sig = timchat_fixture_usersig (fixture, "alice", 86400);
      g_autoptr (JsonObject) head = timchat_test_json_parse (heads[i], NULL);
      g_autoptr (JsonObject) body = timchat_test_json_parse ("{\"State\":\"Online\"}", NULL);
      g_autoptr (JsonObject) reply = NULL;
      g_autoptr (GError) error = NULL;

      json_object_set_string_member (head, "identifier", "alice");
      json_object_set_string_member (head, "usersig", sig);
      reply =
          timchat_test_client_request_full (c, "im_open_status.wslogin", body, head, 5000, &error);
      g_assert_no_error (error);
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, codes[i]);
      g_assert_true (codes[i] != 0 || timchat_test_json_get_string (reply, "A2Key") != NULL);
    }

  /* The URL the socket was opened with says it too (the SDK's ?sdkappid=). */
  {
    g_autoptr (TimchatTestClient) c =
        timchat_test_new_client (fixture, "/binfo?sdkappid=123&instanceid=1&platform=7");
    g_autofree char *sig = timchat_fixture_usersig (fixture, "alice", 86400);
    g_autoptr (JsonObject) reply = login_with_sig (c, "alice", sig);

    assert_login_fails (reply, TIM_ERROR_USERSIG_SDKAPPID_MISMATCH);
  }
}

static void
test_login_garbage (void)
{
  /* Not base64; base64 but not zlib; zlib but not JSON. */
  const char *const garbage[] = { "garbage!!", "aGVsbG8gd29ybGQ_", "eJzLSM3JyVcozy-KSQEAGgsEXQ__" };

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
      g_autoptr (JsonObject) reply = login_with_sig (c, "alice", garbage[i]);

      assert_login_fails (reply, TIM_ERROR_USERSIG_INVALID);
    }
}

static void
test_request_before_login (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) alive = NULL;
  g_autofree char *text = NULL;

  reply =
      timchat_test_request_ok (c, "openim.sendmsg",
                               "{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgSeq\":1,"
                               "\"MsgRandom\":7,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                               "\"MsgContent\":{\"Text\":\"hi\"}}]}");
  text = timchat_test_json_to_string (reply);
  g_test_message ("reply before login: %s", text);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), !=, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "FAIL");

  /* The server is still there and still talks to us. */
  alive = timchat_test_request_ok (c, "heartbeat.alive", "{}");
  g_assert_cmpint (timchat_test_json_get_int (alive, "ErrorCode"), ==, 0);
}

static void
test_heartbeat (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (JsonObject) login = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) hello = NULL;
  g_autoptr (GError) error = NULL;

  /* The SDK sends alive right after the socket opens, before it logs in. */
  before = timchat_test_request_ok (c, "heartbeat.alive", "{}");
  g_assert_cmpint (timchat_test_json_get_int (before, "ErrorCode"), ==, 0);

  login = timchat_test_client_login (c, "dave", &error);
  g_assert_no_error (error);
  assert_login_ok (login);

  after = timchat_test_request_ok (c, "heartbeat.alive", "{}");
  g_assert_cmpint (timchat_test_json_get_int (after, "ErrorCode"), ==, 0);
  hello = timchat_test_request_ok (c, "im_open_status.wshello", "{}");
  g_assert_cmpint (timchat_test_json_get_int (hello, "ErrorCode"), ==, 0);
}

static void
test_wrong_a2 (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autoptr (JsonObject) login = NULL;
  g_autoptr (JsonObject) good = NULL;
  g_autoptr (JsonObject) bad = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tinyid = NULL;
  g_autofree char *text = NULL;

  login = timchat_test_client_login (c, "erin", &error);
  g_assert_no_error (error);
  assert_login_ok (login);

  good = timchat_test_request_ok (c, "recentcontact.page_get", PAGE_GET_BODY);
  g_assert_cmpint (timchat_test_json_get_int (good, "ErrorCode"), ==, 0);

  tinyid = g_strdup (timchat_test_client_get_tinyid (c));
  timchat_test_client_set_auth (c, "d3JvbmctYTJrZXk=", tinyid);
  bad = timchat_test_client_request_json (c, "recentcontact.page_get", PAGE_GET_BODY, &error);
  if (bad == NULL)
    {
      /* Closing the socket on a forged a2 is a refusal too. */
      g_assert_error (error, TIM_ERROR, TIM_ERROR_NETWORK);
      g_assert_false (timchat_test_client_is_open (c));
      return;
    }
  text = timchat_test_json_to_string (bad);
  g_test_message ("reply with a wrong a2: %s", text);
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), !=, 0);
  g_assert_cmpstr (timchat_test_json_get_string (bad, "ActionStatus"), ==, "FAIL");
}

/* One user has at most 32 sockets (limits/max_instances, default): the 33rd login closes the
 * oldest, told KickType 2 (another device), and every other socket still gets the messages. */
static void
test_instance_limit (void)
{
  g_autoptr (GPtrArray) devices =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_test_client_free);
  g_autoptr (TimchatTestClient) friend = NULL;
  g_autoptr (JsonObject) kicked = NULL;
  g_autoptr (JsonObject) sent = NULL;

  for (guint i = 0; i < 33; i++)
    g_ptr_array_add (devices, timchat_test_connect (fixture, "many"));
  kicked =
      timchat_test_client_wait_push (devices->pdata[0], "im_open_status.stat_forceoffline", 3000);
  g_assert_nonnull (kicked);
  g_assert_cmpint (timchat_test_json_get_int (
                       kicked, "EventArray.0.C2cNotifyMsgArray.0.KickoutMsgNotify.KickType"),
                   ==, 2);
  g_assert_true (timchat_test_client_wait_closed (devices->pdata[0], 3000, NULL, NULL));

  friend = timchat_test_connect (fixture, "many-friend");
  sent = timchat_test_send_text (friend, "many", "to all of them", 1, 1);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  for (guint i = 1; i < devices->len; i++)
    {
      g_autoptr (JsonObject) push =
          timchat_test_wait_event (devices->pdata[i], "C2cMsgArray", 3000);

      g_assert_nonnull (push);
    }
}

/* A socket kicked out (here by a third login over max_instances) may still send a request it
 * wrote before it read the kick: it carries the socket's old ticket, and the server reads it
 * while it waits for the client's close. That request must not log the socket in again: back in
 * the hub it counted as a device once more, and the next over the limit was a live one, kicked
 * for nothing. */
static void
test_kicked_socket_stays_out (void)
{
  const char *const conf[] = { "limits/max_instances=2", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestRawWs) stale = timchat_test_raw_ws_open (f, "&platform=7");
  g_autofree char *usersig = timchat_fixture_usersig (f, "kicked", 86400);
  g_autofree char *auth =
      g_strdup_printf (",\"identifier\":\"kicked\",\"usersig\":\"%s\"", usersig);
  g_autofree char *login_frame =
      timchat_test_frame_json (f, "im_open_status.wslogin", 1, auth, "{\"State\":\"Online\"}");
  g_autoptr (JsonObject) login = NULL;
  g_autoptr (TimchatTestClient) second = NULL;
  g_autoptr (TimchatTestClient) third = NULL;
  g_autoptr (JsonObject) kicked = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *request = NULL;

  timchat_test_raw_ws_send_json (stale, login_frame);
  login = timchat_test_raw_ws_read_reply (stale, "im_open_status.wslogin", 1);
  g_assert_cmpint (timchat_test_json_get_int (login, "ErrorCode"), ==, 0);
  second = timchat_test_connect (f, "kicked");
  /* The third login kicks the oldest (the raw socket, which reads nothing yet). */
  third = timchat_test_connect (f, "kicked");

  ticket = g_strdup_printf (",\"a2\":\"%s\",\"tinyid\":%" G_GINT64_FORMAT,
                            timchat_test_json_get_string (login, "A2Key"),
                            timchat_test_json_get_int (login, "TinyId"));
  request = timchat_test_frame_json (f, "recentcontact.page_get", 2, ticket, PAGE_GET_BODY);
  timchat_test_raw_ws_send_json (stale, request);

  kicked = timchat_test_client_wait_push (second, "im_open_status.stat_forceoffline", 1500);
  g_assert_null (kicked);
  g_assert_true (timchat_test_client_is_open (second));
  g_assert_true (timchat_test_client_is_open (third));
}

/* The Web SDK answers a kick over max_instances with a logout (wslogout type 1); the server
 * closed the kicked socket, so the SDK sends it on its next one, with its ticket. Logging that
 * socket in for the logout made it one device over the limit again: the next oldest, a live
 * device, was kicked too. */
static void
test_kicked_instance_logout_kicks_nobody (void)
{
  const char *const conf[] = { "limits/max_instances=2", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) first = timchat_test_connect (f, "leaver");
  g_autoptr (TimchatTestClient) second = timchat_test_connect (f, "leaver");
  g_autoptr (TimchatTestClient) third = NULL;
  g_autoptr (TimchatTestClient) next = timchat_test_new_client (f, NULL);
  g_autoptr (JsonObject) kicked = NULL;
  g_autoptr (JsonObject) logout = NULL;
  g_autoptr (JsonObject) kicked_too = NULL;
  g_autoptr (GError) error = NULL;

  third = timchat_test_connect (f, "leaver");
  kicked = timchat_test_client_wait_push (first, "im_open_status.stat_forceoffline", 3000);
  g_assert_nonnull (kicked);
  g_assert_true (timchat_test_client_wait_closed (first, 3000, NULL, NULL));

  timchat_test_client_set_auth (next, timchat_test_client_get_a2 (first),
                                timchat_test_client_get_tinyid (first));
  logout = timchat_test_client_request_json (next, "im_open_status.wslogout",
                                             "{\"wslogout_type\":1}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (timchat_test_json_get_int (logout, "ErrorCode"), ==, 0);

  kicked_too = timchat_test_client_wait_push (second, "im_open_status.stat_forceoffline", 1500);
  g_assert_null (kicked_too);
  g_assert_true (timchat_test_client_is_open (second));
  g_assert_true (timchat_test_client_is_open (third));
}

/* A socket the server is closing (here for a malformed frame; the same for an idle one, one whose
 * UserSig ran out or one that does not read) is no longer one of the user's devices, though libsoup
 * waits up to 5 s for a peer that does not answer the close: counted, it made the next login over
 * max_instances kick a live device, the oldest, instead of nobody. */
static void
test_closing_socket_not_counted (void)
{
  const char *const conf[] = { "limits/max_instances=2", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) live = timchat_test_connect (f, "closing");
  g_autoptr (TimchatTestRawWs) stale = timchat_test_raw_ws_login (f, "closing");
  g_autoptr (TimchatTestClient) third = NULL;
  g_autoptr (JsonObject) kicked = NULL;

  /* Not a frame: the server closes the socket, which reads nothing and so never answers. */
  timchat_test_raw_ws_send_json (stale, "not a frame");
  timchat_test_spin (300);
  third = timchat_test_connect (f, "closing");

  kicked = timchat_test_client_wait_push (live, "im_open_status.stat_forceoffline", 1500);
  g_assert_null (kicked);
  g_assert_true (timchat_test_client_is_open (live));
  g_assert_true (timchat_test_client_is_open (third));
}

/* The Web SDK sends every request still unanswered again when its socket comes back, with the
 * same servcmd and seq and the login's ticket, before it logs in again. One whose answer was lost
 * with the old socket was done then: it is answered as it was, not done again (a second group
 * made, a recall refused as already done). Another seq is another request. */
static void
test_resent_request_answered_again (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "rhea");
  g_autoptr (TimchatTestClient) back = timchat_test_new_client (fixture, NULL);
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (c));
  g_autofree char *tinyid = g_strdup (timchat_test_client_get_tinyid (c));
  const char *create = "{\"Type\":\"Private\",\"Name\":\"resent\"}";
  const char *mine = "{\"Member_Account\":\"rhea\"}";
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (JsonObject) resent = NULL;
  g_autoptr (JsonObject) another = NULL;
  g_autoptr (JsonObject) joined = NULL;

  first = timchat_test_request_as (c, a2, tinyid, "group_open_http_svc.create_group", 4242, create);
  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  g_assert_nonnull (timchat_test_json_get_string (first, "GroupId"));
  /* The answer went with the socket, as far as the client knows. */
  timchat_test_client_close (c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  resent =
      timchat_test_request_as (back, a2, tinyid, "group_open_http_svc.create_group", 4242, create);
  g_assert_cmpint (timchat_test_json_get_int (resent, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (resent, "GroupId"), ==,
                   timchat_test_json_get_string (first, "GroupId"));
  another =
      timchat_test_request_as (back, a2, tinyid, "group_open_http_svc.create_group", 4243, create);
  g_assert_cmpint (timchat_test_json_get_int (another, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (another, "GroupId"), !=,
                   timchat_test_json_get_string (first, "GroupId"));

  joined = timchat_test_request_as (back, a2, tinyid, "group_open_http_svc.get_joined_group_list",
                                    4244, mine);
  g_assert_cmpint (timchat_test_json_get_int (joined, "TotalCount"), ==, 2);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/login/success", test_login_success);
  g_test_add_func ("/server/login/text-frames", test_login_text_frames);
  g_test_add_func ("/server/login/two-users", test_login_two_users);
  g_test_add_func ("/server/login/wrong-key", test_login_wrong_key);
  g_test_add_func ("/server/login/forged-sig", test_login_forged_sig);
  g_test_add_func ("/server/login/expired", test_login_expired);
  g_test_add_func ("/server/login/runs-out", test_login_runs_out);
  g_test_add_func ("/server/login/identifier-mismatch", test_login_identifier_mismatch);
  g_test_add_func ("/server/login/sdkappid-mismatch", test_login_sdkappid_mismatch);
  g_test_add_func ("/server/login/head-sdkappid", test_login_head_sdkappid);
  g_test_add_func ("/server/login/garbage", test_login_garbage);
  g_test_add_func ("/server/login/request-before-login", test_request_before_login);
  g_test_add_func ("/server/login/heartbeat", test_heartbeat);
  g_test_add_func ("/server/login/wrong-a2", test_wrong_a2);
  g_test_add_func ("/server/login/instance-limit", test_instance_limit);
  g_test_add_func ("/server/login/kicked-socket-stays-out", test_kicked_socket_stays_out);
  g_test_add_func ("/server/login/closing-socket-not-counted", test_closing_socket_not_counted);
  g_test_add_func ("/server/login/kicked-instance-logout-kicks-nobody",
                   test_kicked_instance_logout_kicks_nobody);
  g_test_add_func ("/server/login/resent-request-answered-again",
                   test_resent_request_answered_again);

  /* One server for the whole program: each test uses its own users and sockets. */
  fixture = timchat_fixture_new (NULL);
  result = g_test_run ();
  g_clear_pointer (&fixture, timchat_fixture_free);
  return result;
}
