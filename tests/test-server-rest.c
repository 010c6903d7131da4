/* test-server-rest.c: the REST transport and the admin endpoints, each observed by a logged-in
 * WebSocket client where it has an effect. */
#define G_LOG_DOMAIN "test-server-rest"

#include "config.h"

#include "timchat-test-util.h"

static TimchatFixture *fixture;

static void
test_admin_sendmsg_reaches_client (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (TimchatTestClient) shop = timchat_test_connect (fixture, "shop_bot");
  g_autoptr (JsonObject) reply =
      timchat_test_rest (fixture, "openim/sendmsg",
                         "{\"SyncOtherMachine\":2,\"From_Account\":\"shop_bot\",\"To_Account\":"
                         "\"bob\",\"MsgRandom\":1287657,"
                         "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
                         "\"Your order shipped\"}}]}",
                         NULL);
  g_autoptr (JsonObject) push = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_autoptr (JsonObject) not_synced = timchat_test_wait_event (shop, "C2cMsgArray", 300);

  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "OK");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (timchat_test_json_get_string (reply, "MsgKey"));
  g_assert_nonnull (push);
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"), "From_Account"),
      ==, "shop_bot");
  g_assert_null (not_synced); /* SyncOtherMachine 2: not to the sender's devices */
}

static void
test_kick (void)
{
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (TimchatTestClient) carol_phone = timchat_test_connect (fixture, "carol");
  g_autofree char *old_a2 = g_strdup (timchat_test_client_get_a2 (carol));
  g_autoptr (JsonObject) reply =
      timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"carol\"}", NULL);
  g_autoptr (JsonObject) kicked =
      timchat_test_client_wait_push (carol, "im_open_status.stat_forceoffline", 3000);
  g_autoptr (JsonObject) unknown =
      timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"nobody\"}", NULL);
  g_autoptr (TimchatTestClient) fresh = NULL;
  g_autoptr (JsonObject) relogin = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (kicked);
  g_assert_cmpint (
      timchat_test_json_get_int (kicked, "C2cNotifyMsgArray.0.KickoutMsgNotify.KickType"), ==, 3);
  g_assert_true (timchat_test_client_wait_closed (carol, 3000, NULL, NULL));
  g_assert_true (timchat_test_client_wait_closed (carol_phone, 3000, NULL, NULL));
  g_assert_cmpint (timchat_test_json_get_int (unknown, "ErrorCode"), ==, 70107);

  /* The old ticket is void: a reconnect must log in with a UserSig again. */
  fresh = timchat_test_client_new (fixture, NULL, &error);
  g_assert_no_error (error);
  timchat_test_client_set_auth (fresh, old_a2, "0");
  relogin = timchat_test_client_request_json (
      fresh, "im_open_status.wslogin", "{\"State\":\"Online\",\"is_web_uniapp\":0,\"InstType\":0}",
      &error);
  g_assert_no_error (error);
  g_assert_cmpint (timchat_test_json_get_int (relogin, "ErrorCode"), ==, 70001);
}

static void
test_transport_errors (void)
{
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "dave");
  g_autoptr (JsonObject) not_admin = timchat_test_rest (fixture, "openim/sendmsg", "{}", "dave");
  g_autoptr (JsonObject) bad_json =
      timchat_test_rest (fixture, "openim/sendmsg", "{not json", NULL);
  g_autoptr (JsonObject) unknown = timchat_test_rest (fixture, "openim/no_such_thing", "{}", NULL);
  g_autoptr (JsonObject) ws_only = timchat_test_rest (fixture, "openim/getmsg", "{}", NULL);

  g_assert_cmpint (timchat_test_json_get_int (not_admin, "ErrorCode"), ==, 60010);
  g_assert_cmpstr (timchat_test_json_get_string (not_admin, "ActionStatus"), ==, "FAIL");
  g_assert_cmpint (timchat_test_json_get_int (bad_json, "ErrorCode"), ==, 90001);
  g_assert_cmpint (timchat_test_json_get_int (unknown, "ErrorCode"), ==, 10003);
  g_assert_cmpint (timchat_test_json_get_int (ws_only, "ErrorCode"), ==, 10003);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/rest/admin-sendmsg", test_admin_sendmsg_reaches_client);
  g_test_add_func ("/server/rest/kick", test_kick);
  g_test_add_func ("/server/rest/transport-errors", test_transport_errors);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
