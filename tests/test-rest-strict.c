/* test-rest-strict.c: what the REST API refuses as the vendor does, where it used to take it and
 * quietly do something else (tim-rest-facts.md): numbers that are strings or booleans, bodies
 * that are not strict JSON, a message over 12 KB once its CloudCustomData is counted, the admin's
 * own account deleted, recalls in an AVChatRoom. Each refusal is checked to have changed
 * nothing. */
#define G_LOG_DOMAIN "test-rest-strict"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

#define TEXT_BODY(text)                                                                            \
  "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" text "\"}}]"

/* HTTP status and ErrorCode (-1: no JSON) of a POST to a URL made by hand. */
static guint
post_url (const char *url, const char *body, gint64 *code)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) content = g_bytes_new (body, strlen (body));
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonObject) object = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", content);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  *code = -1;
  if (reply != NULL && g_bytes_get_size (reply) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

      object = timchat_test_json_parse (text, NULL);
      if (object != NULL)
        *code = timchat_test_json_get_int (object, "ErrorCode");
    }
  return soup_message_get_status (msg);
}

/* The REST query with the admin's valid UserSig and the given sdkappid parameter. */
static char *
admin_url (const char *path, const char *sdkappid)
{
  g_autofree char *usersig = timchat_fixture_usersig (fixture, TIMCHAT_FIXTURE_ADMIN, 3600);
  g_autofree char *base = timchat_fixture_url (fixture, path);

  return g_strdup_printf ("%s?sdkappid=%s&identifier=%s&usersig=%s&random=1&contenttype=json", base,
                          sdkappid, TIMCHAT_FIXTURE_ADMIN, usersig);
}

/* §4.1 types MsgRandom and MsgSeq as u32 integers and MsgLifeTime as an integer: "0" is not
 * online-only, true is not 1. Nothing refused reaches the peer. */
static void
test_c2c_numbers (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "n_bob");
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (JsonObject) ok = NULL;

  g_assert_cmpint (
      timchat_test_rest_code (
          fixture, "openim/sendmsg",
          "{\"To_Account\":\"n_bob\",\"MsgRandom\":true," TEXT_BODY ("bool random") "}"),
      ==, 90005);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg",
                                           "{\"To_Account\":\"n_bob\",\"MsgRandom\":"
                                           "1099511627776," TEXT_BODY ("2^40") "}"),
                   ==, 90005);
  g_assert_cmpint (
      timchat_test_rest_code (
          fixture, "openim/sendmsg",
          "{\"To_Account\":\"n_bob\",\"MsgRandom\":\"7\"," TEXT_BODY ("string random") "}"),
      ==, 90005);
  g_assert_cmpint (timchat_test_rest_code (
                       fixture, "openim/sendmsg",
                       "{\"To_Account\":\"n_bob\",\"MsgSeq\":\"12\"," TEXT_BODY ("string seq") "}"),
                   ==, 90001);
  g_assert_cmpint (
      timchat_test_rest_code (
          fixture, "openim/sendmsg",
          "{\"To_Account\":\"n_bob\",\"MsgLifeTime\":\"0\"," TEXT_BODY ("string lifetime") "}"),
      ==, 90044);
  g_assert_null (timchat_test_wait_event (bob, "C2cMsgArray", 300));

  /* The largest u32 is a MsgRandom, and the message arrives. */
  ok = timchat_test_rest_ok (fixture, "openim/sendmsg",
                             "{\"To_Account\":\"n_bob\",\"MsgRandom\":4294967295,"
                             "\"MsgSeq\":4294967295," TEXT_BODY ("max") "}");
  push = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_assert_nonnull (push);
  g_assert_cmpint (
      timchat_test_json_get_int (timchat_test_push_item (push, "C2cMsgArray"), "MsgRandom"), ==,
      4294967295);
}

/* §5.9: Random is a u32; true (read as 1) once replaced a later message by the first one sent
 * with Random 1. GroupAtAllFlag is an Integer: true and "1" were read as 1, and mentioned every
 * member. */
static void
test_group_numbers (void)
{
  g_autoptr (JsonObject) created =
      timchat_test_rest_ok (fixture, "group_open_http_svc/create_group",
                            "{\"Type\":\"Public\",\"Name\":\"numbers\",\"GroupId\":\"n_numbers\"}");
  g_autoptr (JsonObject) first =
      timchat_test_rest_ok (fixture, "group_open_http_svc/send_group_msg",
                            "{\"GroupId\":\"n_numbers\",\"Random\":1," TEXT_BODY ("first") "}");
  g_autoptr (JsonObject) second = NULL;
  const char *refused[] = { "true", "\"2\"", "-1", "4294967296", "1.5" };
  const char *at_all_refused[] = { "true", "\"1\"" };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *body = g_strdup_printf (
          "{\"GroupId\":\"n_numbers\",\"Random\":%s," TEXT_BODY ("refused") "}", refused[i]);

      g_assert_cmpint (timchat_test_rest_code (fixture, "group_open_http_svc/send_group_msg", body),
                       ==, 10004);
    }
  g_assert_cmpint (
      timchat_test_rest_code (
          fixture, "group_open_http_svc/send_group_msg",
          "{\"GroupId\":\"n_numbers\",\"Random\":3,\"OnlineOnlyFlag\":true," TEXT_BODY (
              "bool flag") "}"),
      ==, 10004);
  /* GroupAtAllFlag is an Integer as well: true and "1" mentioned everyone. */
  for (gsize i = 0; i < G_N_ELEMENTS (at_all_refused); i++)
    {
      g_autofree char *body =
          g_strdup_printf ("{\"GroupId\":\"n_numbers\",\"Random\":4,\"GroupAtInfo\":[{"
                           "\"GroupAtAllFlag\":%s}]," TEXT_BODY ("@all") "}",
                           at_all_refused[i]);

      g_assert_cmpint (timchat_test_rest_code (fixture, "group_open_http_svc/send_group_msg", body),
                       ==, 10004);
    }
  /* The next message takes the next sequence: nothing refused was stored. */
  second =
      timchat_test_rest_ok (fixture, "group_open_http_svc/send_group_msg",
                            "{\"GroupId\":\"n_numbers\",\"Random\":2," TEXT_BODY ("second") "}");
  g_assert_cmpint (timchat_test_json_get_int (second, "MsgSeq"), ==,
                   timchat_test_json_get_int (first, "MsgSeq") + 1);
}

/* §5.11: MsgSeq is an Integer. true (read as 1) recalled the group's first message, for good,
 * and "2" the second; both are refused (10004), and the messages stay. */
static void
test_recall_numbers (void)
{
  g_autoptr (JsonObject) created = timchat_test_rest_ok (
      fixture, "group_open_http_svc/create_group",
      "{\"Type\":\"Public\",\"Name\":\"recall numbers\",\"GroupId\":\"n_recall\"}");
  g_autoptr (JsonObject) first =
      timchat_test_rest_ok (fixture, "group_open_http_svc/send_group_msg",
                            "{\"GroupId\":\"n_recall\",\"Random\":1," TEXT_BODY ("first") "}");
  g_autoptr (JsonObject) second =
      timchat_test_rest_ok (fixture, "group_open_http_svc/send_group_msg",
                            "{\"GroupId\":\"n_recall\",\"Random\":2," TEXT_BODY ("second") "}");
  g_autoptr (JsonObject) history = NULL;
  const char *refused[] = { "true", "\"2\"" };

  g_assert_cmpint (timchat_test_json_get_int (first, "MsgSeq"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (second, "MsgSeq"), ==, 2);
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *body = g_strdup_printf (
          "{\"GroupId\":\"n_recall\",\"MsgSeqList\":[{\"MsgSeq\":%s}]}", refused[i]);

      g_assert_cmpint (
          timchat_test_rest_code (fixture, "group_open_http_svc/group_msg_recall", body), ==,
          10004);
    }
  history =
      timchat_test_rest_ok (fixture, "group_open_http_svc/group_msg_get_simple",
                            "{\"GroupId\":\"n_recall\",\"ReqMsgNumber\":20,\"WithRecalledMsg\":1}");
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (history, "RspMsgList")), ==,
                   2);
  g_assert_cmpint (timchat_test_json_get_int (history, "RspMsgList.0.IsPlaceMsg"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (history, "RspMsgList.1.IsPlaceMsg"), ==, 0);
}

/* §6: Type and the cursors are Integers. Type true (read as 1) hid a one-to-one conversation from
 * its owner's list; it and "1" are 50002 now, and the conversation stays listed. */
static void
test_recentcontact_numbers (void)
{
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) list = NULL;

  timchat_test_import_account (fixture, "n_rc_amy", NULL);
  timchat_test_import_account (fixture, "n_rc_bob", NULL);
  sent = timchat_test_rest_ok (
      fixture, "openim/sendmsg",
      "{\"From_Account\":\"n_rc_bob\",\"To_Account\":\"n_rc_amy\"," TEXT_BODY ("hi") "}");
  g_assert_cmpint (timchat_test_rest_code (
                       fixture, "recentcontact/delete",
                       "{\"From_Account\":\"n_rc_amy\",\"Type\":true,\"To_Account\":\"n_rc_bob\"}"),
                   ==, 50002);
  g_assert_cmpint (
      timchat_test_rest_code (
          fixture, "recentcontact/delete",
          "{\"From_Account\":\"n_rc_amy\",\"Type\":\"1\",\"To_Account\":\"n_rc_bob\"}"),
      ==, 50002);
  g_assert_cmpint (timchat_test_rest_code (fixture, "recentcontact/get_list",
                                           "{\"From_Account\":\"n_rc_amy\",\"TimeStamp\":\"0\","
                                           "\"StartIndex\":0,\"TopTimeStamp\":0,"
                                           "\"TopStartIndex\":0,\"AssistFlags\":7}"),
                   ==, 50002);
  list = timchat_test_rest_ok (fixture, "recentcontact/get_list",
                               "{\"From_Account\":\"n_rc_amy\",\"TimeStamp\":0,\"StartIndex\":0,"
                               "\"TopTimeStamp\":0,\"TopStartIndex\":0,\"AssistFlags\":7}");
  g_assert_cmpstr (timchat_test_json_get_string (list, "SessionItem.0.To_Account"), ==, "n_rc_bob");
}

/* template with its "%s" replaced by value. */
static char *
with_value (const char *template, const char *value)
{
  GString *text = g_string_new (template);

  g_string_replace (text, "%s", value, 1);
  return g_string_free (text, FALSE);
}

/* docs/rest-api.md: every REST Integer is a JSON number, whole. Each row is a body that works with
 * the number 1 and must be refused, with its command's code for a bad parameter, when the same
 * field is "1" or true (both were read as 1: MsgPriority true sent a message as High). The
 * WebSocket keeps reading what the official SDK sends. */
static void
test_integers (void)
{
  static const struct
  {
    const char *path;
    const char *body; /* with %s for the value of the field under test */
    gint64 code;
  } rows[] = {
    { "openim/admin_getroammsg",
      "{\"Operator_Account\":\"s_amy\",\"Peer_Account\":\"s_bob\",\"MaxCnt\":%s,"
      "\"MinTime\":0,\"MaxTime\":4000000000}",
      90001 },
    { "openim/admin_getroammsg",
      "{\"Operator_Account\":\"s_amy\",\"Peer_Account\":\"s_bob\",\"MaxCnt\":5,"
      "\"MinTime\":%s,\"MaxTime\":4000000000}",
      90001 },
    { "openim/admin_getroammsg",
      "{\"Operator_Account\":\"s_amy\",\"Peer_Account\":\"s_bob\",\"MaxCnt\":5,"
      "\"MinTime\":0,\"MaxTime\":%s}",
      90001 },
    { "openim/sendmsg",
      "{\"From_Account\":\"s_amy\",\"To_Account\":\"s_bob\",\"MsgClientTime\":%s," TEXT_BODY (
          "client time") "}",
      90001 },
    { "openim/sendmsg",
      "{\"To_Account\":\"s_bob\",\"IsNeedReadReceipt\":%s," TEXT_BODY ("receipt") "}", 90001 },
    { "openim/sendmsg",
      "{\"To_Account\":\"s_bob\",\"SupportMessageExtension\":%s," TEXT_BODY ("extension") "}",
      90001 },
    { "group_open_http_svc/group_msg_get_simple", "{\"GroupId\":\"s_group\",\"ReqMsgNumber\":%s}",
      10004 },
    { "group_open_http_svc/send_group_msg",
      "{\"GroupId\":\"s_group\",\"Random\":11,\"MsgPriority\":%s," TEXT_BODY ("priority") "}",
      10004 },
    { "group_open_http_svc/send_group_msg",
      "{\"GroupId\":\"s_group\",\"Random\":12,\"ClientSeq\":%s," TEXT_BODY ("client seq") "}",
      10004 },
    { "group_open_http_svc/send_group_msg",
      "{\"GroupId\":\"s_group\",\"Random\":13,\"MsgClientTime\":%s," TEXT_BODY ("client time") "}",
      10004 },
    { "sns/black_list_get", "{\"From_Account\":\"s_amy\",\"StartIndex\":%s,\"MaxLimited\":9}",
      10004 },
    { "sns/black_list_get", "{\"From_Account\":\"s_amy\",\"StartIndex\":0,\"MaxLimited\":%s}",
      10004 },
    { "im_open_login_svc/account_import", "{\"UserID\":\"s_imported\",\"Type\":%s}", 70402 },
    { "im_open_login_svc/multiaccount_import",
      "{\"AccountList\":[{\"UserID\":\"s_multi\",\"Type\":%s}]}", 70402 },
  };
  const char *refused[] = { "\"1\"", "true" };
  g_autoptr (TimchatTestClient) amy = NULL;
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) lenient = NULL;

  timchat_test_import_account (fixture, "s_amy", NULL);
  timchat_test_import_account (fixture, "s_bob", NULL);
  created = timchat_test_rest_ok (fixture, "group_open_http_svc/create_group",
                                  "{\"Type\":\"Public\",\"Name\":\"strict\",\"GroupId\":"
                                  "\"s_group\"}");
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *good = with_value (rows[i].body, "1");

      for (gsize j = 0; j < G_N_ELEMENTS (refused); j++)
        {
          g_autofree char *bad = with_value (rows[i].body, refused[j]);

          g_test_message ("%s %s", rows[i].path, bad);
          g_assert_cmpint (timchat_test_rest_code (fixture, rows[i].path, bad), ==, rows[i].code);
        }
      g_assert_cmpint (timchat_test_rest_code (fixture, rows[i].path, good), ==, 0);
    }
  /* The documented exception: MsgReadTime may be a numeric string, never true. */
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/admin_set_msg_read",
                                           "{\"Report_Account\":\"s_bob\",\"Peer_Account\":"
                                           "\"s_amy\",\"MsgReadTime\":true}"),
                   ==, 90001);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/admin_set_msg_read",
                                           "{\"Report_Account\":\"s_bob\",\"Peer_Account\":"
                                           "\"s_amy\",\"MsgReadTime\":\"1\"}"),
                   ==, 0);
  /* Over the WebSocket a number as a string still reads. */
  amy = timchat_test_connect (fixture, "s_amy");
  lenient = timchat_test_client_request_printf (amy, "sns.black_list_get",
                                                "{\"StartIndex\":\"0\",\"MaxLimited\":\"9\"}");
  g_assert_cmpint (timchat_test_json_get_int (lenient, "ErrorCode"), ==, 0);
}

/* §1.2: the body is JSON; single quotes and comments, which json-glib would read, are 90001. */
static void
test_strict_json (void)
{
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_check",
                                           "{'CheckItem':[{'UserID':'n_bob'}]}"),
                   ==, 90001);
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_check",
                                           "/* c */ {\"CheckItem\":[{\"UserID\":\"n_bob\"}]}"),
                   ==, 90001);
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_check",
                                           "{\"CheckItem\":[{\"UserID\":\"n_bob\"}]}"),
                   ==, 0);
}

/* A string holding U+0000 ("\u0000") is refused with a word on it (as on the WebSocket,
 * /server/robustness/nul-answered): read, it ended at the NUL, and "a" was stored and sent for
 * "a\0b", a nick cut short. */
static void
test_strict_nul (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "n_nul_bob");
  g_autoptr (JsonObject) sent = timchat_test_rest (
      fixture, "openim/sendmsg",
      "{\"To_Account\":\"n_nul_bob\",\"MsgRandom\":5," TEXT_BODY ("a\\u0000b") "}", NULL);
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import",
                         "{\"UserID\":\"n_nul\",\"Nick\":\"n\\u0000\"}", NULL);
  g_autoptr (JsonObject) check = timchat_test_rest_ok (fixture, "im_open_login_svc/account_check",
                                                       "{\"CheckItem\":[{\"UserID\":\"n_nul\"}]}");

  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 90001);
  g_assert_nonnull (strstr (timchat_test_json_get_string (sent, "ErrorInfo"), "U+0000"));
  g_assert_cmpint (timchat_test_json_get_int (imported, "ErrorCode"), ==, 90001);
  g_assert_cmpstr (timchat_test_json_get_string (check, "ResultItem.0.AccountStatus"), ==,
                   "NotImported");
  g_assert_null (timchat_test_client_wait_push (bob, "im_open_push.msg_push", 300));
}

/* §1.1: the whole sdkappid parameter is the SDKAppID; /v4 is a path segment; paths nobody
 * serves are 404, not 500; §1.2: a body over the limit is still HTTP 200 with 93000. */
static void
test_urls (void)
{
  g_autofree char *sdkappid =
      g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (fixture));
  g_autofree char *suffixed = g_strconcat (sdkappid, "abc", NULL);
  g_autofree char *good = admin_url ("/v4/im_open_login_svc/account_check", sdkappid);
  g_autofree char *bad_appid = admin_url ("/v4/im_open_login_svc/account_check", suffixed);
  g_autofree char *bad_prefix = admin_url ("/v4x/im_open_login_svc/account_check", sdkappid);
  g_autofree char *empty_appid = admin_url ("/v4/im_open_login_svc/account_check", "");
  g_autofree char *usersig = timchat_fixture_usersig (fixture, TIMCHAT_FIXTURE_ADMIN, 3600);
  g_autofree char *base = timchat_fixture_url (fixture, "/v4/im_open_login_svc/account_check");
  g_autofree char *no_appid = g_strdup_printf ("%s?identifier=%s&usersig=%s&random=1", base,
                                               TIMCHAT_FIXTURE_ADMIN, usersig);
  g_autofree char *root = timchat_fixture_url (fixture, "/");
  g_autofree char *v5 = timchat_fixture_url (fixture, "/v5/a/b");
  g_autofree char *big = g_strnfill (300 * 1024, ' ');
  const char *check = "{\"CheckItem\":[{\"UserID\":\"n_bob\"}]}";
  gint64 code = 0;

  g_assert_cmpuint (post_url (good, check, &code), ==, 200);
  g_assert_cmpint (code, ==, 0);
  g_assert_cmpuint (post_url (bad_appid, check, &code), ==, 200);
  g_assert_cmpint (code, ==, 60006);
  /* No SDKAppID is §1.5's own 60012 ("check sdkappid in the URL"), not a wrong one. */
  g_assert_cmpuint (post_url (no_appid, check, &code), ==, 200);
  g_assert_cmpint (code, ==, 60012);
  g_assert_cmpuint (post_url (empty_appid, check, &code), ==, 200);
  g_assert_cmpint (code, ==, 60012);
  g_assert_cmpuint (post_url (bad_prefix, check, &code), ==, 200);
  g_assert_cmpint (code, ==, 60002);
  g_assert_cmpuint (post_url (root, "{}", &code), ==, 404);
  g_assert_cmpuint (post_url (v5, "{}", &code), ==, 404);
  g_assert_cmpuint (post_url (good, big, &code), ==, 200);
  g_assert_cmpint (code, ==, 93000);
}

/* §7: one message is at most 12 KB, its CloudCustomData counted; its OfflinePushInfo at most an
 * APNs payload (4 KB). Both kinds of conversation, and an edit. */
static void
test_message_size (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "n_size_bob");
  g_autofree char *cloud_7k = g_strnfill (7 * 1024, 'c');
  g_autofree char *text_6k = g_strnfill (6 * 1024, 't');
  g_autofree char *desc_5k = g_strnfill (5 * 1024, 'd');
  g_autofree char *c2c_over = g_strdup_printf (
      "{\"To_Account\":\"n_size_bob\",\"CloudCustomData\":\"%s\",\"MsgBody\":[{\"MsgType\":"
      "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
      cloud_7k, text_6k);
  g_autofree char *c2c_push_over = g_strdup_printf (
      "{\"To_Account\":\"n_size_bob\",\"OfflinePushInfo\":{\"Desc\":\"%s\"}," TEXT_BODY (
          "short") "}",
      desc_5k);
  g_autofree char *c2c_under = g_strdup_printf (
      "{\"To_Account\":\"n_size_bob\",\"CloudCustomData\":\"%s\"," TEXT_BODY ("fits") "}",
      cloud_7k);
  g_autofree char *group_over = g_strdup_printf (
      "{\"GroupId\":\"n_size\",\"Random\":5,\"CloudCustomData\":\"%s\",\"MsgBody\":[{\"MsgType\":"
      "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
      cloud_7k, text_6k);
  g_autofree char *group_push_over = g_strdup_printf (
      "{\"GroupId\":\"n_size\",\"Random\":6,\"OfflinePushInfo\":{\"Desc\":\"%s\"}," TEXT_BODY (
          "short") "}",
      desc_5k);
  g_autoptr (JsonObject) created =
      timchat_test_rest_ok (fixture, "group_open_http_svc/create_group",
                            "{\"Type\":\"Public\",\"Name\":\"size\",\"GroupId\":\"n_size\"}");
  g_autoptr (JsonObject) under = NULL;
  g_autoptr (JsonObject) push = NULL;

  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg", c2c_over), ==, 80002);
  g_assert_cmpint (timchat_test_rest_code (fixture, "openim/sendmsg", c2c_push_over), ==, 80002);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "group_open_http_svc/send_group_msg", group_over), ==,
      80002);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "group_open_http_svc/send_group_msg", group_push_over), ==,
      80002);
  g_assert_null (timchat_test_wait_event (bob, "C2cMsgArray", 300));

  under = timchat_test_rest_ok (fixture, "openim/sendmsg", c2c_under);
  push = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_assert_nonnull (push);
  g_assert_cmpuint (strlen (timchat_test_json_get_string (
                        timchat_test_push_item (push, "C2cMsgArray"), "CloudCustomData")),
                    ==, 7 * 1024);
}

/* §4.3: a page of admin_getroammsg ends past 13 KB, the messages' CloudCustomData counted: three
 * messages with 7 KB each come two to a page. */
static void
test_roam_page_size (void)
{
  g_autofree char *cloud_7k = g_strnfill (7 * 1024, 'c');
  g_autoptr (JsonObject) page = NULL;

  timchat_test_import_account (fixture, "n_roam_amy", NULL);
  timchat_test_import_account (fixture, "n_roam_bob", NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = g_strdup_printf (
          "{\"From_Account\":\"n_roam_amy\",\"To_Account\":\"n_roam_bob\",\"MsgRandom\":%u,"
          "\"CloudCustomData\":\"%s\"," TEXT_BODY ("roam") "}",
          700 + i, cloud_7k);
      g_autoptr (JsonObject) sent = timchat_test_rest_ok (fixture, "openim/sendmsg", body);
    }
  page = timchat_test_rest_ok (fixture, "openim/admin_getroammsg",
                               "{\"Operator_Account\":\"n_roam_amy\",\"Peer_Account\":"
                               "\"n_roam_bob\",\"MaxCnt\":100,\"MinTime\":0,\"MaxTime\":"
                               "4000000000}");
  g_assert_cmpint (timchat_test_json_get_int (page, "MsgCnt"), ==, 2);
  g_assert_cmpint (timchat_test_json_get_int (page, "Complete"), ==, 0);
}

/* The sender's edit of a message is held to the same 12 KB: a 7 KB text with a 7 KB
 * CloudCustomData is refused whichever of the two the edit changes. */
static void
test_edit_size (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "n_edit_alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "n_edit_bob");
  g_autofree char *text_7k = g_strnfill (7 * 1024, 't');
  g_autofree char *cloud_7k = g_strnfill (7 * 1024, 'c');
  g_autoptr (JsonObject) sent = timchat_test_send_text (alice, "n_edit_bob", text_7k, 41, 4141);
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) kept = NULL;
  g_autoptr (JsonObject) received = NULL;

  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  reply = timchat_test_client_request_printf (
      alice, "openim.modify_c2c_msg",
      "{\"From_Account\":\"n_edit_alice\",\"To_Account\":\"n_edit_bob\",\"MsgSeq\":41,"
      "\"MsgRandom\":4141,\"MsgTime\":%" G_GINT64_FORMAT ",\"MsgVersion\":0,"
      "\"CloudCustomData\":\"%s\"}",
      timchat_test_json_get_int (sent, "MsgTime"), cloud_7k);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 80002);
  /* A smaller CloudCustomData fits beside the text. */
  kept = timchat_test_client_request_printf (
      alice, "openim.modify_c2c_msg",
      "{\"From_Account\":\"n_edit_alice\",\"To_Account\":\"n_edit_bob\",\"MsgSeq\":41,"
      "\"MsgRandom\":4141,\"MsgTime\":%" G_GINT64_FORMAT ",\"MsgVersion\":0,"
      "\"CloudCustomData\":\"small\"}",
      timchat_test_json_get_int (sent, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (kept, "ErrorCode"), ==, 0);
  /* bob had the message, whose edit was refused. */
  received = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_assert_nonnull (received);
}

/* The server sends as an app admin when a call names no From_Account: deleting that account
 * would break every such call (§1.4: the default admin keeps its role). */
static void
test_delete_admin (void)
{
  g_autoptr (JsonObject) reply =
      timchat_test_rest_ok (fixture, "im_open_login_svc/account_delete",
                            "{\"DeleteItem\":[{\"UserID\":\"" TIMCHAT_FIXTURE_ADMIN "\"}]}");
  g_autoptr (JsonObject) sent = NULL;

  g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.0.ResultCode"), ==, 70402);
  sent = timchat_test_rest_ok (fixture, "openim/sendmsg",
                               "{\"To_Account\":\"n_bob\"," TEXT_BODY ("still the admin") "}");
  g_assert_nonnull (timchat_test_json_get_string (sent, "MsgKey"));
}

/* §5.11: an AVChatRoom keeps no history, so nothing in it is recalled (10033), and nobody adds
 * its members; a system notice is a message, at most 12 KB; a group ID is a string and a
 * GroupType one of the types. */
static void
test_group_refusals (void)
{
  g_autoptr (JsonObject) created =
      timchat_test_rest_ok (fixture, "group_open_http_svc/create_group",
                            "{\"Type\":\"AVChatRoom\",\"Name\":\"live\",\"GroupId\":\"n_live\"}");
  g_autoptr (JsonObject) sent =
      timchat_test_rest_ok (fixture, "group_open_http_svc/send_group_msg",
                            "{\"GroupId\":\"n_live\",\"Random\":9," TEXT_BODY ("live") "}");
  g_autofree char *recall = g_strdup_printf (
      "{\"GroupId\":\"n_live\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}",
      timchat_test_json_get_int (sent, "MsgSeq"));
  g_autofree char *content = g_strnfill (13 * 1024, 'x');
  g_autofree char *notice =
      g_strdup_printf ("{\"GroupId\":\"n_numbers\",\"Content\":\"%s\"}", content);
  g_autoptr (JsonObject) joined = NULL;

  g_assert_cmpint (timchat_test_rest_code (fixture, "group_open_http_svc/group_msg_recall", recall),
                   ==, 10033);
  g_assert_cmpint (timchat_test_rest_code (
                       fixture, "group_open_http_svc/send_group_system_notification", notice),
                   ==, 10004);
  g_assert_cmpint (timchat_test_rest_code (fixture, "group_open_http_svc/get_group_info",
                                           "{\"GroupIdList\":[5]}"),
                   ==, 10004);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "group_open_http_svc/get_joined_group_list",
                              "{\"Member_Account\":\"n_bob\",\"GroupType\":\"Bogus\"}"),
      ==, 10004);
  joined = timchat_test_rest_ok (fixture, "group_open_http_svc/get_joined_group_list",
                                 "{\"Member_Account\":\"n_bob\",\"GroupType\":\"Private\"}");
  g_assert_cmpint (timchat_test_json_get_int (joined, "TotalCount"), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new ((const char *const[]){ "limits/rest_rate=0", NULL });
  g_test_add_func ("/rest/strict/c2c-numbers", test_c2c_numbers);
  g_test_add_func ("/rest/strict/group-numbers", test_group_numbers);
  g_test_add_func ("/rest/strict/recall-numbers", test_recall_numbers);
  g_test_add_func ("/rest/strict/recentcontact-numbers", test_recentcontact_numbers);
  g_test_add_func ("/rest/strict/integers", test_integers);
  g_test_add_func ("/rest/strict/json", test_strict_json);
  g_test_add_func ("/rest/strict/nul", test_strict_nul);
  g_test_add_func ("/rest/strict/urls", test_urls);
  g_test_add_func ("/rest/strict/message-size", test_message_size);
  g_test_add_func ("/rest/strict/roam-page-size", test_roam_page_size);
  g_test_add_func ("/rest/strict/edit-size", test_edit_size);
  g_test_add_func ("/rest/strict/delete-admin", test_delete_admin);
  g_test_add_func ("/rest/strict/group-refusals", test_group_refusals);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
