/* test-server-robustness-bodies.c: requests with unknown commands, no login, a wrong A2 and
 * bodies of the wrong types, over WebSocket and REST, get an error reply, never a crash or a
 * hang. After every case the server process must still be alive and a fresh client must be able
 * to log in and send. Malformed frames are test-server-robustness-frames.c's. */
#define G_LOG_DOMAIN "test-server-robustness-bodies"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;
static GPid server_pid;

/* For cases that collect failures instead of aborting at the first: if the server died, note it
 * and start it again on the same data dir, so the remaining cases still run. */
static gboolean
revive_if_dead (GString *failures, const char *what, gboolean suspect)
{
  /* A socket that closed under us may be a dying server: give it a moment to be reaped. */
  for (guint i = 0; suspect && server_pid != 0 && timchat_test_pid_alive (server_pid) && i < 20;
       i++)
    g_usleep (50 * 1000);
  if (server_pid == 0 || timchat_test_pid_alive (server_pid))
    return FALSE;
  g_string_append_printf (failures, "\n  the server process died after %s", what);
  g_test_message ("the server died after %s: restarting it", what);
  timchat_fixture_kill (fixture);
  timchat_fixture_restart (fixture);
  server_pid = timchat_test_find_server_pid ();
  return TRUE;
}

/* Error replies -------------------------------------------------------------------------------- */

static void
test_unknown_servcmd (void)
{
  g_autoptr (TimchatTestClient) anonymous = timchat_test_new_client (fixture, NULL);
  g_autoptr (TimchatTestClient) logged_in = timchat_test_connect (fixture, "errors-a");
  g_autoptr (JsonObject) r1 = timchat_test_request_ok (anonymous, "openim.no_such_command", "{}");
  g_autoptr (JsonObject) r2 = timchat_test_request_ok (logged_in, "openim.no_such_command", "{}");
  g_autoptr (JsonObject) r3 = timchat_test_request_ok (logged_in, "nodot", "{}");
  g_autoptr (JsonObject) r4 = timchat_test_request_ok (logged_in, "", "{}");

  g_assert_cmpint (timchat_test_json_get_int (r1, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpint (timchat_test_json_get_int (r2, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpint (timchat_test_json_get_int (r3, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpint (timchat_test_json_get_int (r4, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpstr (timchat_test_json_get_string (r2, "ActionStatus"), ==, "FAIL");
  /* An error reply does not end the session. */
  timchat_test_send_ok (logged_in, TIMCHAT_TEST_PROBE_PEER);
  timchat_test_assert_server_healthy (fixture, server_pid);
}

static void
test_request_before_login (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  static const char *servcmds[] = { "openim.sendmsg",
                                    "openim.getroammsg",
                                    "recentcontact.page_get",
                                    "openim.getmsg",
                                    "profile.portrait_set",
                                    "im_long_msg.save_relay_json_msg",
                                    "im_long_msg.get_relay_json_msg" };

  for (guint i = 0; i < G_N_ELEMENTS (servcmds); i++)
    {
      g_autoptr (JsonObject) reply = timchat_test_request_ok (
          c, servcmds[i],
          "{\"From_Account\":\"probe\",\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
          "\",\"MsgSeq\":1,\"MsgRandom\":1,"
          "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}");

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
    }
  /* heartbeat.alive needs no login. */
  {
    g_autoptr (JsonObject) reply = timchat_test_request_ok (c, "heartbeat.alive", "{}");
    g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  }
  timchat_test_assert_server_healthy (fixture, server_pid);
}

static void
test_wrong_a2 (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "errors-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "errors-bob");
  g_autofree char *alice_a2 = g_strdup (timchat_test_client_get_a2 (alice));
  g_autofree char *alice_tinyid = g_strdup (timchat_test_client_get_tinyid (alice));
  const char *body = "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER "\",\"MsgSeq\":9,\"MsgRandom\":9,"
                     "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}";
  JsonObject *reply;

  timchat_test_client_set_auth (alice, "0123456789abcdef0123456789abcdef", alice_tinyid);
  reply = timchat_test_request_ok (alice, "openim.sendmsg", body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
  json_object_unref (reply);
  timchat_test_client_set_auth (alice, "", alice_tinyid);
  reply = timchat_test_request_ok (alice, "openim.getroammsg",
                                   "{\"Peer_Account\":\"" TIMCHAT_TEST_PROBE_PEER "\"}");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
  json_object_unref (reply);

  /* Another user's valid ticket on alice's socket is not a way to become that user. */
  timchat_test_client_set_auth (alice, timchat_test_client_get_a2 (bob),
                                timchat_test_client_get_tinyid (bob));
  reply = timchat_test_request_ok (alice, "openim.sendmsg", body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
  json_object_unref (reply);

  /* The right ticket still works on the same socket. */
  timchat_test_client_set_auth (alice, alice_a2, alice_tinyid);
  timchat_test_send_ok (alice, TIMCHAT_TEST_PROBE_PEER);
  timchat_test_assert_server_healthy (fixture, server_pid);
}

/* batch_delete answers per item: a bad item gets ResultCode != 0 and the call does not crash. */
static void
check_batch_delete_items (GString *failures)
{
  static const char *bodies[] = {
    "{\"ContactItem\":[{\"To_Account\":12345,\"Type\":1}]}",
    "{\"ContactItem\":[{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER "\",\"Type\":\"one\"}]}",
    "{\"ContactItem\":[{\"ToGroupid\":[\"@TGS#1\"],\"Type\":2}]}",
    "{\"ContactItem\":[5]}",
    "{\"ContactItem\":[\"" TIMCHAT_TEST_PROBE_PEER "\"]}",
  };
  TimchatTestClient *c = timchat_test_connect (fixture, "errors-items");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) reply = NULL;
      g_autofree char *what = g_strdup_printf ("recentcontact.batch_delete %s", bodies[i]);

      g_test_message ("%s", what);
      reply = timchat_test_client_request_json (c, "recentcontact.batch_delete", bodies[i], &error);
      if (reply == NULL)
        g_string_append_printf (failures, "\n  %s: no reply (%s)", what, error->message);
      else if (timchat_test_json_get_int (reply, "ErrorCode") == 0 &&
               (json_array_get_length (timchat_test_json_get_array (reply, "ResultItem")) != 1 ||
                timchat_test_json_get_int (reply, "ResultItem.0.ResultCode") == 0))
        /* Success overall is fine only if the one item is reported as failed. */
        g_string_append_printf (failures, "\n  %s: reported as deleted", what);
      if (revive_if_dead (failures, what, reply == NULL || !timchat_test_client_is_open (c)) ||
          !timchat_test_client_is_open (c))
        {
          timchat_test_client_free (c);
          c = timchat_test_connect (fixture, "errors-items");
        }
    }
  timchat_test_client_free (c);
}

typedef struct
{
  const char *servcmd;
  const char *body;
} BadBody;

static void
test_wrong_body_types (void)
{
  static const BadBody cases[] = {
    /* sendmsg */
    { "openim.sendmsg", "{\"To_Account\":12345,\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{"
                        "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg", "{\"To_Account\":[\"" TIMCHAT_TEST_PROBE_PEER
                        "\"],\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":"
                        "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg", "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":{\"MsgType\":"
                        "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}}" },
    { "openim.sendmsg", "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[5,\"x\",null]}" },
    { "openim.sendmsg", "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":7,"
                        "\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg", "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":"
                        "\"TIMTextElem\",\"MsgContent\":[\"x\"]}]}" },
    { "openim.sendmsg", "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":{\"a\":1},\"MsgBody\":[{\"MsgType\":"
                        "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg", "{\"From_Account\":42,\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":\"many\",\"MsgBody\":[{\"MsgType\":"
                        "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    /* getroammsg */
    { "openim.getroammsg", "{\"Peer_Account\":12345,\"MaxCnt\":15}" },
    { "openim.getroammsg",
      "{\"Peer_Account\":{\"id\":\"" TIMCHAT_TEST_PROBE_PEER "\"},\"MaxCnt\":15}" },
    { "openim.getroammsg", "{\"Peer_Account\":[\"" TIMCHAT_TEST_PROBE_PEER "\"]}" },
    /* msgwithdraw */
    { "openim.msgwithdraw",
      "{\"MsgInfo\":[{\"From_Account\":\"errors-types\",\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
      "\",\"MsgSeq\":1,\"MsgRandom\":1}]}" },
    { "openim.msgwithdraw",
      "{\"MsgInfo\":{\"From_Account\":1,\"To_Account\":2,\"MsgSeq\":\"x\",\"MsgRandom\":\"y\"}}" },
    { "openim.msgwithdraw", "{\"MsgInfo\":\"errors-types\"}" },
    /* msgreaded */
    { "openim.msgreaded", "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":{\"To_Account\":"
                          "\"" TIMCHAT_TEST_PROBE_PEER "\",\"LastedMsgTime\":1}}}" },
    { "openim.msgreaded", "{\"C2CMsgReaded\":[{\"C2CMsgReadedItem\":[]}]}" },
    { "openim.msgreaded", "{\"C2CMsgReaded\":{\"C2CMsgReadedItem\":[5,\"x\",[1]]}}" },
    { "openim.msgreaded", "{\"C2CMsgReaded\":{\"C2CMsgReadedItem\":[{\"To_Account\":12345,"
                          "\"LastedMsgTime\":\"later\"}]}}" },
    { "openim.msgreaded",
      "{\"C2CMsgReaded\":{\"C2CMsgReadedItem\":[{\"To_Account\":[\"" TIMCHAT_TEST_PROBE_PEER
      "\"]}]}}" },
    /* page_get */
    { "recentcontact.page_get", "{\"StartIndex\":\"zero\",\"TimeStamp\":{}}" },
    { "recentcontact.page_get", "{\"StartIndex\":[0]}" },
    /* batch_delete */
    { "recentcontact.batch_delete",
      "{\"ContactItem\":{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER "\",\"Type\":1}}" },
    { "recentcontact.batch_delete", "{\"ContactItem\":\"" TIMCHAT_TEST_PROBE_PEER "\"}" },
    /* portrait_set */
    { "profile.portrait_set",
      "{\"ProfileItem\":{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"n\"}}" },
    { "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":42}]}" },
    { "profile.portrait_set", "{\"ProfileItem\":[{\"Tag\":7,\"Value\":\"n\"}]}" },
    { "profile.portrait_set", "{\"ProfileItem\":[5,\"x\"]}" },
    /* portrait_get(_all): the SDK's own request shape with items of the wrong type */
    { "profile.portrait_get_all", "{\"UserItem\":[5,[\"x\"]]}" },
    { "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":{\"url\":\"x\"}}]}" },
    /* mark_contact: no list of items (a bad item is answered in its ResultItem) */
    { "recentcontact.mark_contact", "{\"MarkItem\":{\"OptType\":1}}" },
    { "recentcontact.mark_contact", "{\"MarkItem\":\"all\"}" },
    /* user status */
    { "im_open_status.ws_get_user_status", "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER "\"}" },
    { "im_open_status.ws_get_user_status", "{\"To_Account\":[5,null]}" },
    { "im_open_status.ws_status_subscribe", "{\"To_Account\":{\"a\":1}}" },
    { "im_open_status.ws_status_unsubscribe", "{\"UnsubscribeAll\":\"yes\"}" },
    { "im_open_status.ws_set_custom_status", "{\"CustomStatus\":[\"busy\"]}" },
    /* merged messages' lists */
    { "im_long_msg.save_relay_json_msg", "{\"MsgList\":{\"0\":{}}}" },
    { "im_long_msg.save_relay_json_msg", "{\"MsgList\":[[1],null,\"x\"]}" },
    { "im_long_msg.save_relay_json_msg",
      "{\"MsgList\":[{\"MsgBody\":{\"MsgType\":\"TIMTextElem\"}}]}" },
    { "im_long_msg.save_relay_json_msg",
      "{\"MsgList\":[{\"MsgBody\":[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":"
      "{\"Title\":7,\"MsgList\":\"x\"}}]}]}" },
    { "im_long_msg.get_relay_json_msg", "{\"JsonMsgKey\":[\"k\"]}" },
    { "im_long_msg.get_relay_json_msg", "{\"JsonMsgKey\":null}" },
    { "im_long_msg.get_relay_json_msg", "{\"JsonMsgKey\":\"\"}" },
  };
  g_autoptr (GString) failures = g_string_new (NULL);
  TimchatTestClient *c = timchat_test_connect (fixture, "errors-types");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) reply = NULL;
      g_autofree char *what = g_strdup_printf ("%s %s", cases[i].servcmd, cases[i].body);

      g_test_message ("%s", what);
      reply = timchat_test_client_request_json (c, cases[i].servcmd, cases[i].body, &error);
      if (reply == NULL)
        g_string_append_printf (failures, "\n  %s: no reply (%s)", what, error->message);
      else if (timchat_test_json_get_int (reply, "ErrorCode") == 0 ||
               g_strcmp0 (timchat_test_json_get_string (reply, "ActionStatus"), "FAIL") != 0)
        g_string_append_printf (failures, "\n  %s: ErrorCode 0 (success) for a malformed body",
                                what);
      else
        g_test_message ("  -> %" G_GINT64_FORMAT " %s",
                        timchat_test_json_get_int (reply, "ErrorCode"),
                        timchat_test_json_get_string (reply, "ErrorInfo"));
      if (revive_if_dead (failures, what, reply == NULL || !timchat_test_client_is_open (c)) ||
          !timchat_test_client_is_open (c))
        {
          timchat_test_client_free (c);
          c = timchat_test_connect (fixture, "errors-types");
        }
    }
  timchat_test_client_free (c);
  check_batch_delete_items (failures);
  timchat_test_assert_server_healthy (fixture, server_pid);
  /* Every case ran; report them all at once. */
  if (failures->len > 0)
    {
      g_test_message ("malformed bodies mishandled:%s", failures->str);
      g_test_fail ();
    }
}

/* REST ----------------------------------------------------------------------------------------- */

typedef struct
{
  guint status;
  JsonObject *body;
} RestResult;

static RestResult
rest_call (const char *method, const char *path, const char *identifier, const char *usersig,
           guint64 sdkappid, const char *body)
{
  g_autoptr (GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr (SoupSession) session =
      soup_session_new_with_options ("proxy-resolver", no_proxy, NULL);
  g_autoptr (GString) query = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) response = NULL;
  g_autoptr (GError) error = NULL;
  RestResult result = { 0, NULL };

  g_string_append_printf (query, "?sdkappid=%" G_GUINT64_FORMAT "&random=%u&contenttype=json",
                          sdkappid, g_random_int ());
  if (identifier != NULL)
    g_string_append_printf (query, "&identifier=%s", identifier);
  if (usersig != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (usersig, NULL, FALSE);
      g_string_append_printf (query, "&usersig=%s", escaped);
    }
  url = g_strdup_printf ("http://127.0.0.1:%u%s%s", timchat_fixture_get_port (fixture), path,
                         query->str);
  msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  result.status = soup_message_get_status (msg);
  if (result.status == SOUP_STATUS_OK)
    {
      gsize length;
      const char *data = g_bytes_get_data (response, &length);
      g_autofree char *text = g_strndup (data, length);

      result.body = timchat_test_json_parse (text, &error);
      g_assert_no_error (error);
    }
  return result;
}

static void
assert_rest_error (RestResult result, int code)
{
  g_assert_cmpuint (result.status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (result.body);
  g_test_message ("REST -> %" G_GINT64_FORMAT " %s",
                  timchat_test_json_get_int (result.body, "ErrorCode"),
                  timchat_test_json_get_string (result.body, "ErrorInfo"));
  g_assert_cmpint (timchat_test_json_get_int (result.body, "ErrorCode"), ==, code);
  g_assert_cmpstr (timchat_test_json_get_string (result.body, "ActionStatus"), ==, "FAIL");
  json_object_unref (result.body);
}

static void
test_rest_errors (void)
{
  guint64 sdkappid = timchat_fixture_get_sdkappid (fixture);
  g_autofree char *admin_sig = timchat_fixture_usersig (fixture, TIMCHAT_FIXTURE_ADMIN, 3600);
  g_autofree char *user_sig = timchat_fixture_usersig (fixture, TIMCHAT_TEST_PROBE_USER, 3600);
  const char *send = "{\"SyncOtherMachine\":2,\"From_Account\":\"" TIMCHAT_TEST_PROBE_USER
                     "\",\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                     "\",\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                     "\"MsgContent\":{\"Text\":\"rest\"}}]}";
  RestResult result;

  result =
      rest_call ("GET", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, NULL);
  g_assert_cmpuint (result.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_clear_pointer (&result.body, json_object_unref);

  assert_rest_error (
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, NULL, sdkappid, send),
      TIM_ERROR_USERSIG_INVALID);
  assert_rest_error (rest_call ("POST", "/v4/openim/sendmsg", NULL, NULL, sdkappid, send),
                     TIM_ERROR_USERSIG_INVALID);
  assert_rest_error (
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_TEST_PROBE_USER, user_sig, sdkappid, send),
      TIM_ERROR_REST_ADMIN_REQUIRED);
  assert_rest_error (rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig,
                                sdkappid, "{\"From_Account\": not json"),
                     TIM_ERROR_JSON_PARSE);
  assert_rest_error (
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, "[1,2]"),
      TIM_ERROR_JSON_PARSE);
  assert_rest_error (
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, ""),
      TIM_ERROR_JSON_PARSE);
  assert_rest_error (rest_call ("POST", "/v4/openim/no_such_command", TIMCHAT_FIXTURE_ADMIN,
                                admin_sig, sdkappid, "{}"),
                     TIM_ERROR_INVALID_COMMAND);
  /* A WebSocket-only command is not reachable over REST either. */
  assert_rest_error (
      rest_call ("POST", "/v4/openim/getroammsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, "{}"),
      TIM_ERROR_INVALID_COMMAND);
  assert_rest_error (rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig,
                                sdkappid + 1, send),
                     TIM_ERROR_SDKAPPID_INVALID);

  /* The same admin call, done right, works: the errors above were about the request. */
  result =
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, send);
  g_assert_cmpuint (result.status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (timchat_test_json_get_int (result.body, "ErrorCode"), ==, 0);
  g_clear_pointer (&result.body, json_object_unref);
  timchat_test_assert_server_healthy (fixture, server_pid);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_test_start_probed_server (&server_pid);
  g_test_add_func ("/server/robustness/unknown-servcmd", test_unknown_servcmd);
  g_test_add_func ("/server/robustness/request-before-login", test_request_before_login);
  g_test_add_func ("/server/robustness/wrong-a2", test_wrong_a2);
  g_test_add_func ("/server/robustness/rest-errors", test_rest_errors);
  g_test_add_func ("/server/robustness/wrong-body-types", test_wrong_body_types);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
