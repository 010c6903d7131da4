/* test-rest-c2c.c: the one-to-one REST commands (openim), replaying the vendor's samples; every
 * effect is observed by a logged-in WebSocket client. */
#define G_LOG_DOMAIN "test-rest-c2c"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

#define TEXT_BODY(text)                                                                            \
  "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" text "\"}}]"

static void
import (const char *user)
{
  g_autofree char *body = g_strdup_printf ("{\"UserID\":\"%s\"}", user);
  g_autoptr (JsonObject) reply =
      timchat_test_rest_ok (fixture, "im_open_login_svc/account_import", body);
}

static void
test_sendmsg (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "s_alice");
  g_autoptr (TimchatTestClient) bot = timchat_test_connect (fixture, "s_shop_bot");
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (JsonObject) not_synced = NULL;
  g_autoptr (JsonObject) minimal = NULL;
  g_autoptr (JsonObject) online = NULL;
  g_autofree char *expected_key = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *huge_text = g_strnfill (13 * 1024, 'x');
  JsonObject *item;

  /* The vendor's sample: the admin makes s_shop_bot message s_alice, not synced to the bot. */
  reply = timchat_test_rest_ok (
      fixture, "openim/sendmsg",
      "{ \"SyncOtherMachine\": 2, \"From_Account\": \"s_shop_bot\", \"To_Account\": "
      "\"s_alice\", \"MsgLifeTime\": 3600, \"MsgSeq\": 1001, \"MsgRandom\": 99345112, "
      "\"SendMsgControl\": [\"NoUnread\"], " TEXT_BODY ("hi") ", "
                                                              "\"CloudCustomData\": \"k=v\" }");
  g_assert_cmpint (timchat_test_json_get_int (reply, "MsgTime"), >, 0);
  expected_key = g_strdup_printf ("1001_99345112_%" G_GINT64_FORMAT,
                                  timchat_test_json_get_int (reply, "MsgTime"));
  g_assert_cmpstr (timchat_test_json_get_string (reply, "MsgKey"), ==, expected_key);
  push = timchat_test_wait_event (alice, "C2cMsgArray", 3000);
  g_assert_nonnull (push);
  item = timchat_test_push_item (push, "C2cMsgArray");
  g_assert_cmpstr (timchat_test_json_get_string (item, "From_Account"), ==, "s_shop_bot");
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgSeq"), ==, 1001);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgRandom"), ==, 99345112);
  g_assert_cmpstr (timchat_test_json_get_string (item, "CloudCustomData"), ==, "k=v");
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgBody.0.MsgContent.Text"), ==, "hi");
  not_synced = timchat_test_wait_event (bot, "C2cMsgArray", 300);
  g_assert_null (not_synced);

  /* MsgSeq, MsgRandom and From_Account may be left out: the admin sends, we pick the numbers. */
  minimal = timchat_test_rest_ok (fixture, "openim/sendmsg",
                                  "{\"To_Account\":\"s_alice\"," TEXT_BODY ("plain") "}");
  g_assert_nonnull (timchat_test_json_get_string (minimal, "MsgKey"));
  g_clear_pointer (&push, json_object_unref);
  push = timchat_test_wait_event (alice, "C2cMsgArray", 3000);
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"), "From_Account"),
      ==, TIMCHAT_FIXTURE_ADMIN);

  /* MsgLifeTime 0: online only, still delivered. */
  online = timchat_test_rest_ok (
      fixture, "openim/sendmsg",
      "{\"To_Account\":\"s_alice\",\"MsgLifeTime\":0," TEXT_BODY ("typing") "}");
  g_clear_pointer (&push, json_object_unref);
  push = timchat_test_wait_event (alice, "C2cMsgArray", 3000);
  g_assert_cmpint (
      timchat_test_json_get_int (timchat_test_push_item (push, "C2cMsgArray"), "MsgLifeTime"), ==,
      0);

  /* The documented codes; none of these is delivered. */
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg", "{" TEXT_BODY ("x") "}"), ==,
                   90003);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/sendmsg", "{\"To_Account\":7," TEXT_BODY ("x") "}"),
      ==, 90003);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"To_Account\":\"s_nobody\"," TEXT_BODY ("x") "}"),
                   ==, 90003);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"From_Account\":\"s_nobody\",\"To_Account\":"
                                           "\"s_alice\"," TEXT_BODY ("x") "}"),
                   ==, 90008);
  g_assert_cmpint (timchat_test_rest_code (
                       fixture, "openim/sendmsg",
                       "{\"From_Account\":5,\"To_Account\":\"s_alice\"," TEXT_BODY ("x") "}"),
                   ==, 90008);
  /* Empty is no sender, as 5 is: not the admin, which only an absent From_Account means. */
  g_assert_cmpint (timchat_test_rest_code (
                       fixture, "openim/sendmsg",
                       "{\"From_Account\":\"\",\"To_Account\":\"s_alice\"," TEXT_BODY ("x") "}"),
                   ==, 90008);
  g_assert_cmpint (timchat_test_rest_code (
                       fixture, "openim/sendmsg",
                       "{\"To_Account\":\"s_alice\",\"MsgRandom\":\"r\"," TEXT_BODY ("x") "}"),
                   ==, 90005);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/sendmsg", "{\"To_Account\":\"s_alice\"}"), ==,
      90007);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"To_Account\":\"s_alice\",\"MsgBody\":{}}"),
                   ==, 90007);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"To_Account\":\"s_alice\",\"MsgBody\":[{\"MsgType\":"
                                           "\"TIMTextElem\",\"MsgContent\":{\"Txt\":\"x\"}}]}"),
                   ==, 90002);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"To_Account\":\"s_alice\",\"MsgTimeStamp\":"
                                           "\"soon\"," TEXT_BODY ("x") "}"),
                   ==, 90006);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"To_Account\":\"s_alice\",\"SyncOtherMachine\":"
                                           "[1]," TEXT_BODY ("x") "}"),
                   ==, 90031);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"To_Account\":\"s_alice\",\"MsgLifeTime\":"
                                           "\"long\"," TEXT_BODY ("x") "}"),
                   ==, 90044);
  huge = g_strdup_printf ("{\"To_Account\":\"s_alice\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                          "\"MsgContent\":{\"Text\":\"%s\"}}]}",
                          huge_text);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg", huge), ==, 80002);
  g_clear_pointer (&push, json_object_unref);
  push = timchat_test_wait_event (alice, "C2cMsgArray", 300);
  g_assert_null (push);
}

static void
test_batchsendmsg (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "b_alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "b_bob");
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) to_alice = NULL;
  g_autoptr (JsonObject) to_bob = NULL;
  g_autoptr (JsonObject) recalled = NULL;
  g_autoptr (JsonObject) notice = NULL;
  g_autoptr (GString) many = g_string_new ("{\"To_Account\":[");
  g_autofree char *withdraw = NULL;

  import ("b_shop_bot");
  /* The vendor's sample, plus a recipient that does not exist. */
  reply = timchat_test_rest_ok (
      fixture, "openim/batchsendmsg",
      "{ \"SyncOtherMachine\": 2, \"From_Account\": \"b_shop_bot\", \"To_Account\": "
      "[\"b_alice\", \"b_bob\", \"b_ghost\"], \"MsgSeq\": 7, \"MsgRandom\": 4410021, " TEXT_BODY (
          "sale starts now") " }");
  g_assert_true (g_str_has_prefix (timchat_test_json_get_string (reply, "MsgKey"), "7_4410021_"));
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (reply, "ErrorList")), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ErrorList.0.To_Account"), ==, "b_ghost");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorList.0.ErrorCode"), ==, 90012);

  to_alice = timchat_test_wait_event (alice, "C2cMsgArray", 3000);
  to_bob = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_assert_nonnull (to_alice);
  g_assert_nonnull (to_bob);
  g_assert_cmpstr (timchat_test_json_get_string (timchat_test_push_item (to_bob, "C2cMsgArray"),
                                                 "MsgBody.0.MsgContent.Text"),
                   ==, "sale starts now");
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (to_bob, "C2cMsgArray"), "MsgKey"), ==,
      timchat_test_json_get_string (reply, "MsgKey"));

  /* The batch MsgKey recalls each recipient's copy. */
  withdraw = g_strdup_printf (
      "{\"From_Account\":\"b_shop_bot\",\"To_Account\":\"b_bob\",\"MsgKey\":\"%s\"}",
      timchat_test_json_get_string (reply, "MsgKey"));
  recalled = timchat_test_rest_ok (fixture, "openim/admin_msgwithdraw", withdraw);
  notice = timchat_test_wait_event (bob, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (notice);

  for (int i = 0; i < 501; i++)
    g_string_append_printf (many, "%s\"b_u%d\"", i ? "," : "", i);
  g_string_append (many, "]," TEXT_BODY ("x") "}");
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/batchsendmsg", many->str), ==, 90011);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/batchsendmsg",
                                           "{\"To_Account\":\"b_alice\"," TEXT_BODY ("x") "}"),
                   ==, 90003);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/batchsendmsg",
                                           "{\"To_Account\":[\"b_alice\",3]," TEXT_BODY ("x") "}"),
                   ==, 90003);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/batchsendmsg", "{\"To_Account\":[\"b_alice\"]}"), ==,
      90007);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/batchsendmsg",
                                           "{\"From_Account\":\"b_ghost\",\"To_Account\":"
                                           "[\"b_alice\"]," TEXT_BODY ("x") "}"),
                   ==, 90008);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/batchsendmsg",
                                           "{\"From_Account\":\"\",\"To_Account\":"
                                           "[\"b_alice\"]," TEXT_BODY ("x") "}"),
                   ==, 90008);
  g_clear_pointer (&to_alice, json_object_unref);
  to_alice = timchat_test_wait_event (alice, "C2cMsgArray", 300);
  g_assert_null (to_alice); /* none of the failed batches reached anyone */

  /* A recipient named twice gets the message once, a stored one and an online-only one alike
   * (which has no stored copy to be known by). */
  for (int online = 0; online <= 1; online++)
    {
      g_autofree char *twice = g_strdup_printf (
          "{\"To_Account\":[\"b_alice\",\"b_alice\"],\"OnlineOnlyFlag\":%d," TEXT_BODY ("once") "}",
          online);

      g_clear_pointer (&reply, json_object_unref);
      reply = timchat_test_rest_ok (fixture, "openim/batchsendmsg", twice);
      g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (reply, "ErrorList")), ==,
                       0);
      to_alice = timchat_test_wait_event (alice, "C2cMsgArray", 3000);
      g_assert_nonnull (to_alice);
      g_assert_cmpstr (
          timchat_test_json_get_string (timchat_test_push_item (to_alice, "C2cMsgArray"),
                                        "MsgBody.0.MsgContent.Text"),
          ==, "once");
      g_clear_pointer (&to_alice, json_object_unref);
      to_alice = timchat_test_wait_event (alice, "C2cMsgArray", 300);
      g_assert_null (to_alice);
    }
}

/* A batch sent again with its MsgSeq and MsgRandom (its reply was lost) is a resend: each copy
 * already stored is answered, not sent twice, and the reply's MsgKey still names every copy, the
 * one stored now for a recipient the first attempt missed too. The first attempt's key named
 * nothing once a second had passed: the resend answered with its own MsgTime, so the admin could
 * neither recall the copies nor page history from them. */
static void
test_batch_resend (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "br_alice");
  const char *batch = "{\"From_Account\":\"br_bot\",\"To_Account\":[\"br_alice\",\"br_late\"],"
                      "\"MsgSeq\":31,\"MsgRandom\":3131," TEXT_BODY ("once") "}";
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) arrived = NULL;
  g_autoptr (JsonObject) twice = NULL;
  g_autoptr (JsonObject) recalled = NULL;
  g_autoptr (JsonObject) recalled_late = NULL;
  g_autofree char *withdraw = NULL;
  g_autofree char *withdraw_late = NULL;

  import ("br_bot");
  first = timchat_test_rest_ok (fixture, "openim/batchsendmsg", batch);
  g_assert_cmpstr (timchat_test_json_get_string (first, "ErrorList.0.To_Account"), ==, "br_late");
  arrived = timchat_test_wait_event (alice, "C2cMsgArray", 3000);
  g_assert_nonnull (arrived);

  import ("br_late");
  g_usleep (1100 * 1000); /* the resend comes in a later second */
  again = timchat_test_rest_ok (fixture, "openim/batchsendmsg", batch);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (again, "ErrorList")), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (again, "MsgKey"), ==,
                   timchat_test_json_get_string (first, "MsgKey"));
  g_assert_cmpint (timchat_test_json_get_int (again, "MsgTime"), ==,
                   timchat_test_json_get_int (first, "MsgTime"));
  twice = timchat_test_wait_event (alice, "C2cMsgArray", 300);
  g_assert_null (twice);

  /* The key recalls both copies. */
  withdraw = g_strdup_printf (
      "{\"From_Account\":\"br_bot\",\"To_Account\":\"br_alice\",\"MsgKey\":\"%s\"}",
      timchat_test_json_get_string (again, "MsgKey"));
  recalled = timchat_test_rest_ok (fixture, "openim/admin_msgwithdraw", withdraw);
  withdraw_late =
      g_strdup_printf ("{\"From_Account\":\"br_bot\",\"To_Account\":\"br_late\",\"MsgKey\":\"%s\"}",
                       timchat_test_json_get_string (again, "MsgKey"));
  recalled_late = timchat_test_rest_ok (fixture, "openim/admin_msgwithdraw", withdraw_late);
}

static char *
send_as (const char *from, const char *to, const char *text)
{
  g_autofree char *body = g_strdup_printf (
      "{\"From_Account\":\"%s\",\"To_Account\":\"%s\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
      "\"MsgContent\":{\"Text\":\"%s\"}}],\"CloudCustomData\":\"cc-%s\"}",
      from, to, text, text);
  g_autoptr (JsonObject) reply = timchat_test_rest_ok (fixture, "openim/sendmsg", body);

  return g_strdup (timchat_test_json_get_string (reply, "MsgKey"));
}

static void
test_admin_getroammsg (void)
{
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL, *body = NULL, *next = NULL;
  g_autoptr (JsonObject) page1 = NULL;
  g_autoptr (JsonObject) page2 = NULL;
  g_autoptr (JsonObject) legacy = NULL;
  g_autoptr (JsonObject) recall = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  import ("r_alice");
  import ("r_bob");
  k1 = send_as ("r_bob", "r_alice", "one");
  k2 = send_as ("r_alice", "r_bob", "two");
  k3 = send_as ("r_bob", "r_alice", "three");
  body = g_strdup_printf (
      "{\"From_Account\":\"r_bob\",\"To_Account\":\"r_alice\",\"MsgKey\":\"%s\"}", k1);
  recall = timchat_test_rest_ok (fixture, "openim/admin_msgwithdraw", body);
  g_free (body);

  /* The vendor's request shape; newest first, two per page. */
  body = g_strdup_printf ("{ \"Operator_Account\": \"r_alice\", \"Peer_Account\": \"r_bob\", "
                          "\"MaxCnt\": 2, \"MinTime\": %" G_GINT64_FORMAT
                          ", \"MaxTime\": %" G_GINT64_FORMAT " }",
                          now - 3600, now + 3600);
  page1 = timchat_test_rest_ok (fixture, "openim/admin_getroammsg", body);
  g_assert_cmpint (timchat_test_json_get_int (page1, "Complete"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (page1, "MsgCnt"), ==, 2);
  g_assert_cmpstr (timchat_test_json_get_string (page1, "MsgList.0.MsgKey"), ==, k3);
  g_assert_cmpstr (timchat_test_json_get_string (page1, "MsgList.0.From_Account"), ==, "r_bob");
  g_assert_cmpstr (timchat_test_json_get_string (page1, "MsgList.0.To_Account"), ==, "r_alice");
  g_assert_cmpstr (timchat_test_json_get_string (page1, "MsgList.0.MsgBody.0.MsgContent.Text"), ==,
                   "three");
  g_assert_cmpstr (timchat_test_json_get_string (page1, "MsgList.0.CloudCustomData"), ==,
                   "cc-three");
  g_assert_cmpint (timchat_test_json_get_int (page1, "MsgList.0.MsgFlagBits"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (page1, "MsgList.0.IsPeerRead"), ==, 0);
  g_assert_true (timchat_test_json_has (page1, "MsgList.0.MsgSeq"));
  g_assert_true (timchat_test_json_has (page1, "MsgList.0.MsgRandom"));
  g_assert_true (timchat_test_json_has (page1, "MsgList.0.MsgTimeStamp"));
  g_assert_cmpstr (timchat_test_json_get_string (page1, "MsgList.1.MsgKey"), ==, k2);
  /* r_bob answered after "two": sending moves his read mark past it. */
  g_assert_cmpint (timchat_test_json_get_int (page1, "MsgList.1.IsPeerRead"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (page1, "LastMsgKey"), ==, k2);
  g_assert_cmpint (timchat_test_json_get_int (page1, "LastMsgTime"), ==,
                   timchat_test_json_get_int (page1, "MsgList.1.MsgTimeStamp"));

  /* The next page: MaxTime = LastMsgTime, LastMsgKey; the old field names work too. */
  next = g_strdup_printf ("{\"From_Account\":\"r_alice\",\"To_Account\":\"r_bob\",\"MaxCnt\":2,"
                          "\"MinTime\":%" G_GINT64_FORMAT ",\"MaxTime\":%" G_GINT64_FORMAT
                          ",\"LastMsgKey\":\"%s\"}",
                          now - 3600, timchat_test_json_get_int (page1, "LastMsgTime"), k2);
  page2 = timchat_test_rest_ok (fixture, "openim/admin_getroammsg", next);
  g_assert_cmpint (timchat_test_json_get_int (page2, "Complete"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (page2, "MsgCnt"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (page2, "MsgList.0.MsgKey"), ==, k1);
  g_assert_cmpint (timchat_test_json_get_int (page2, "MsgList.0.MsgFlagBits"), ==, 8);

  /* An empty range. */
  g_free (body);
  body = g_strdup_printf ("{\"Operator_Account\":\"r_alice\",\"Peer_Account\":\"r_bob\",\"MaxCnt\":"
                          "5,\"MinTime\":1,\"MaxTime\":%" G_GINT64_FORMAT "}",
                          now - 3600);
  legacy = timchat_test_rest_ok (fixture, "openim/admin_getroammsg", body);
  g_assert_cmpint (timchat_test_json_get_int (legacy, "Complete"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (legacy, "MsgCnt"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (legacy, "LastMsgKey"), ==, "");

  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/admin_getroammsg",
                                           "{\"Peer_Account\":\"r_bob\",\"MaxCnt\":1,"
                                           "\"MinTime\":0,\"MaxTime\":1}"),
                   ==, 90008);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_getroammsg",
                              "{\"Operator_Account\":\"r_ghost\",\"Peer_Account\":\"r_bob\","
                              "\"MaxCnt\":1,\"MinTime\":0,\"MaxTime\":1}"),
      ==, 90008);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_getroammsg",
                              "{\"Operator_Account\":\"r_alice\",\"MaxCnt\":1,\"MinTime\":0,"
                              "\"MaxTime\":1}"),
      ==, 90003);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_getroammsg",
                              "{\"Operator_Account\":\"r_alice\",\"Peer_Account\":\"r_bob\","
                              "\"MinTime\":0,\"MaxTime\":1}"),
      ==, 90001);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_getroammsg",
                              "{\"Operator_Account\":\"r_alice\",\"Peer_Account\":\"r_bob\","
                              "\"MaxCnt\":1,\"MinTime\":0,\"MaxTime\":1,\"LastMsgKey\":\"nope\"}"),
      ==, 90054);
}

static void
test_admin_msgwithdraw (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "w_alice");
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) arrived = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) notice = NULL;
  g_autofree char *body = NULL;
  JsonObject *info;

  import ("w_shop_bot");
  sent = timchat_test_rest_ok (fixture, "openim/sendmsg",
                               "{\"From_Account\":\"w_shop_bot\",\"To_Account\":\"w_alice\","
                               "\"MsgSeq\":1001,\"MsgRandom\":99345112," TEXT_BODY ("oops") "}");
  arrived = timchat_test_wait_event (alice, "C2cMsgArray", 3000);
  g_assert_nonnull (arrived);

  /* The vendor's sample with the key sendmsg gave back. */
  body = g_strdup_printf (
      "{ \"From_Account\": \"w_shop_bot\", \"To_Account\": \"w_alice\", \"MsgKey\": \"%s\" }",
      timchat_test_json_get_string (sent, "MsgKey"));
  reply = timchat_test_rest_ok (fixture, "openim/admin_msgwithdraw", body);
  g_assert_cmpuint (json_object_get_size (reply), ==, 3);
  notice = timchat_test_wait_event (alice, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (notice);
  info = timchat_test_json_get_object (timchat_test_push_item (notice, "C2cNotifyMsgArray"),
                                       "WithdrawC2cMsgNotify.C2cWithdrawInfoArray.0");
  g_assert_nonnull (info);
  g_assert_cmpstr (timchat_test_json_get_string (info, "From_Account"), ==, "w_shop_bot");
  g_assert_cmpint (timchat_test_json_get_int (info, "MsgSeq"), ==, 1001);
  g_assert_cmpint (timchat_test_json_get_int (info, "MsgRandom"), ==, 99345112);
  g_assert_cmpstr (timchat_test_json_get_string (info, "RevokerInfo.Revoker"), ==,
                   TIMCHAT_FIXTURE_ADMIN);

  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/admin_msgwithdraw", body), ==, 20023);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_msgwithdraw",
                              "{\"From_Account\":\"w_shop_bot\",\"To_Account\":\"w_alice\","
                              "\"MsgKey\":\"1_2_3\"}"),
      ==, 20022);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_msgwithdraw",
                              "{\"From_Account\":\"w_shop_bot\",\"To_Account\":\"w_alice\","
                              "\"MsgKey\":\"garbage\"}"),
      ==, 90054);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/admin_msgwithdraw",
                                           "{\"To_Account\":\"w_alice\",\"MsgKey\":\"1_2_3\"}"),
                   ==, 90008);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_msgwithdraw",
                              "{\"From_Account\":\"w_shop_bot\",\"To_Account\":\"w_ghost\","
                              "\"MsgKey\":\"1_2_3\"}"),
      ==, 90003);
}

static gint64
client_unread_from (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) sync =
      timchat_test_client_request_json (c, "openim.getmsg", "{\"Cookie\":\"\"}", NULL);
  JsonArray *pairs = timchat_test_json_get_array (sync, "C2CPairUnreadCount");

  for (guint i = 0; pairs != NULL && i < json_array_get_length (pairs); i++)
    {
      JsonObject *pair = json_array_get_object_element (pairs, i);

      if (g_strcmp0 (timchat_test_json_get_string (pair, "From_Account"), peer) == 0)
        return timchat_test_json_get_int (pair, "UnreadCount");
    }
  return 0;
}

static void
test_unread_and_set_read (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "u_alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "u_bob");
  g_autoptr (JsonObject) counts = NULL;
  g_autoptr (JsonObject) all = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) read_sync = NULL;
  g_autoptr (JsonObject) receipt = NULL;

  import ("u_carol");
  for (int i = 0; i < 3; i++)
    g_free (send_as ("u_bob", "u_alice", "unread"));
  g_assert_cmpint (client_unread_from (alice, "u_bob"), ==, 3);

  /* The vendor's sample. */
  counts = timchat_test_rest_ok (
      fixture, "openim/get_c2c_unread_msg_num",
      "{ \"To_Account\": \"u_alice\", \"Peer_Account\": [\"u_bob\", \"u_carol\"] }");
  g_assert_cmpstr (timchat_test_json_get_string (counts, "C2CUnreadMsgNumList.0.Peer_Account"), ==,
                   "u_bob");
  g_assert_cmpint (timchat_test_json_get_int (counts, "C2CUnreadMsgNumList.0.C2CUnreadMsgNum"), ==,
                   3);
  g_assert_cmpstr (timchat_test_json_get_string (counts, "C2CUnreadMsgNumList.1.Peer_Account"), ==,
                   "u_carol");
  g_assert_cmpint (timchat_test_json_get_int (counts, "C2CUnreadMsgNumList.1.C2CUnreadMsgNum"), ==,
                   0);
  all = timchat_test_rest_ok (fixture, "openim/get_c2c_unread_msg_num",
                              "{\"To_Account\":\"u_alice\",\"Peer_Account\":[\"u_ghost\"]}");
  g_assert_cmpint (timchat_test_json_get_int (all, "AllC2CUnreadMsgNum"), ==, 3);
  g_assert_cmpstr (timchat_test_json_get_string (all, "ErrorList.0.Peer_Account"), ==, "u_ghost");
  g_assert_cmpint (timchat_test_json_get_int (all, "ErrorList.0.ErrorCode"), ==, 70107);

  /* The vendor's sample: alice's conversation with bob becomes read. */
  g_ptr_array_unref (timchat_test_client_take_pushes (alice, NULL));
  reply = timchat_test_rest_ok (fixture, "openim/admin_set_msg_read",
                                "{ \"Report_Account\": \"u_alice\", \"Peer_Account\": \"u_bob\" }");
  read_sync = timchat_test_wait_event (alice, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (read_sync);
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (read_sync, "C2cNotifyMsgArray"),
                                    "ReadC2cMsgNotify.UinPairReadArray.0.From_Account"),
      ==, "u_bob");
  receipt = timchat_test_wait_event (bob, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (receipt, "C2cNotifyMsgArray"),
                                    "C2cReadedReceipt.To_Account"),
      ==, "u_alice");
  g_assert_cmpint (client_unread_from (alice, "u_bob"), ==, 0);
  after = timchat_test_rest_ok (fixture, "openim/get_c2c_unread_msg_num",
                                "{\"To_Account\":\"u_alice\"}");
  g_assert_cmpint (timchat_test_json_get_int (after, "AllC2CUnreadMsgNum"), ==, 0);

  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_set_msg_read", "{\"Peer_Account\":\"u_bob\"}"),
      ==, 90008);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_set_msg_read",
                              "{\"Report_Account\":\"u_alice\",\"Peer_Account\":\"u_ghost\"}"),
      ==, 90003);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/admin_set_msg_read",
                              "{\"Report_Account\":\"u_alice\",\"Peer_Account\":\"u_bob\","
                              "\"MsgReadTime\":\"later\"}"),
      ==, 90001);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/get_c2c_unread_msg_num", "{}"), ==,
                   90003);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/get_c2c_unread_msg_num",
                              "{\"To_Account\":\"u_alice\",\"Peer_Account\":\"u_bob\"}"),
      ==, 90001);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "openim/get_c2c_unread_msg_num",
                              "{\"To_Account\":\"u_alice\",\"Peer_Account\":[\"a\",\"b\",\"c\","
                              "\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]}"),
      ==, 90011);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new ((const char *const[]){ "limits/rest_rate=0", NULL });
  g_test_add_func ("/rest/c2c/sendmsg", test_sendmsg);
  g_test_add_func ("/rest/c2c/batchsendmsg", test_batchsendmsg);
  g_test_add_func ("/rest/c2c/batch-resend", test_batch_resend);
  g_test_add_func ("/rest/c2c/admin-getroammsg", test_admin_getroammsg);
  g_test_add_func ("/rest/c2c/admin-msgwithdraw", test_admin_msgwithdraw);
  g_test_add_func ("/rest/c2c/unread-and-set-read", test_unread_and_set_read);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
