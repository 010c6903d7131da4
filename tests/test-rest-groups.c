/* test-rest-groups.c: the group and recent-contact REST APIs over real HTTP (tim-rest-facts.md
 * §5, §6): the documented samples replayed with our names, their response shapes, the error
 * paths (nothing half-applied), and for each endpoint a logged-in WebSocket client that sees the
 * effect as if a user had done it. */
#define G_LOG_DOMAIN "test-rest-groups"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "timchat-test-extra.h"

#define GRP "group_open_http_svc/"

static TimchatFixture *fixture;

static JsonObject *rest (const char *path, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* POST as the admin; the envelope is checked: HTTP 200, ActionStatus matches ErrorCode. */
static JsonObject *
rest (const char *path, const char *format, ...)
{
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  JsonObject *reply;
  va_list args;

  va_start (args, format);
  body = g_strdup_vprintf (format, args);
  va_end (args);
  reply = timchat_test_rest (fixture, path, body, NULL);
  g_assert_nonnull (reply);
  text = timchat_test_json_to_string (reply);
  g_test_message ("%s %s -> %s", path, body, text);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==,
                   timchat_test_json_get_int (reply, "ErrorCode") == 0 ? "OK" : "FAIL");
  g_assert_nonnull (timchat_test_json_get_string (reply, "ErrorInfo"));
  return reply;
}

#define rest_code(code, path, ...)                                                                 \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (JsonObject) reply_ = rest (path, __VA_ARGS__);                                      \
    g_assert_cmpint (timchat_test_json_get_int (reply_, "ErrorCode"), ==, code);                   \
  }                                                                                                \
  G_STMT_END

/* Accounts come into being at their first login. */
static void
ensure_users (const char *first, ...)
{
  va_list args;

  va_start (args, first);
  for (const char *user = first; user != NULL; user = va_arg (args, const char *))
    timchat_test_client_free (timchat_test_connect (fixture, user));
  va_end (args);
}

static JsonObject *
ws (TimchatTestPeer *p, const char *servcmd, const char *body)
{
  g_autoptr (GError) error = NULL;
  JsonObject *reply = timchat_test_client_request_json (p->c, servcmd, body, &error);

  g_assert_no_error (error);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return reply;
}

static gint64
member_num (const char *group)
{
  g_autoptr (JsonObject) info = rest (GRP "get_group_info", "{\"GroupIdList\":[\"%s\"]}", group);

  return timchat_test_json_get_int (info, "GroupInfo.0.MemberNum");
}

static void
test_create_and_info (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "rg-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rg-bob");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "rg-carol");
  g_autoptr (JsonObject) created = NULL, tip = NULL, notice = NULL, info = NULL, all = NULL;
  g_autoptr (JsonObject) session = NULL;
  JsonObject *base;

  /* §5.1 sample. */
  created = rest (GRP "create_group",
                  "{\"Owner_Account\":\"rg-alice\",\"Type\":\"Public\",\"GroupId\":\"rg_blue\","
                  "\"Name\":\"Blue team\",\"ApplyJoinOption\":\"FreeAccess\",\"MemberList\":["
                  "{\"Member_Account\":\"rg-bob\",\"Role\":\"Admin\"},{\"Member_Account\":"
                  "\"rg-carol\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (created, "GroupId"), ==, "rg_blue");

  /* Members see the join tip (stored as seq 1) and their system notices. */
  tip = timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 1);
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgSeq"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgBody.MemberNum"), ==, 3);
  notice = timchat_test_peer_expect (bob, 5, "GroupTips", "MsgBody.ReportType", 7);
  g_assert_cmpstr (timchat_test_json_get_string (notice, "GroupInfo.GroupId"), ==, "rg_blue");
  json_object_unref (timchat_test_peer_expect (alice, 5, "GroupTips", "MsgBody.ReportType", 6));
  json_object_unref (timchat_test_peer_expect (carol, 5, "GroupTips", "MsgBody.ReportType", 7));

  /* ... and the group in their conversation list, its tip as the last message. */
  session = timchat_test_session_item (carol->c, 0, "rg_blue");
  g_assert_nonnull (session);
  g_assert_cmpint (timchat_test_json_get_int (session, "Type"), ==, 2);
  g_assert_cmpstr (timchat_test_json_get_string (session, "LastMsg.MsgBody.0.MsgType"), ==,
                   "TIMGroupTipElem");

  /* §5.2 sample: the filters decide the fields. */
  info = rest (GRP "get_group_info",
               "{\"GroupIdList\":[\"rg_blue\"],\"ResponseFilter\":{\"GroupBaseInfoFilter\":["
               "\"Type\",\"Name\",\"MemberNum\"],\"MemberInfoFilter\":[\"Role\"]}}");
  base = timchat_test_json_get_object (info, "GroupInfo.0");
  g_assert_cmpstr (timchat_test_json_get_string (base, "GroupId"), ==, "rg_blue");
  g_assert_cmpint (timchat_test_json_get_int (base, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (base, "Type"), ==, "Public");
  g_assert_cmpstr (timchat_test_json_get_string (base, "Name"), ==, "Blue team");
  g_assert_cmpint (timchat_test_json_get_int (base, "MemberNum"), ==, 3);
  g_assert_false (json_object_has_member (base, "Introduction"));
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (base, "MemberList")), ==, 3);
  g_assert_cmpstr (timchat_test_json_get_string (base, "MemberList.0.Member_Account"), ==,
                   "rg-alice");
  g_assert_cmpstr (timchat_test_json_get_string (base, "MemberList.0.Role"), ==, "Owner");
  g_assert_cmpstr (timchat_test_json_get_string (base, "MemberList.1.Role"), ==, "Admin");
  g_assert_cmpstr (timchat_test_json_get_string (base, "MemberList.2.Role"), ==, "Member");
  g_assert_false (timchat_test_json_has (base, "MemberList.0.JoinTime"));

  /* No filter: every field; an unknown group answers its own ErrorCode. */
  all = rest (GRP "get_group_info", "{\"GroupIdList\":[\"rg_blue\",\"rg_nothing\"]}");
  g_assert_cmpstr (timchat_test_json_get_string (all, "GroupInfo.0.ApplyJoinOption"), ==,
                   "FreeAccess");
  g_assert_cmpstr (timchat_test_json_get_string (all, "GroupInfo.0.Owner_Account"), ==, "rg-alice");
  g_assert_cmpint (timchat_test_json_get_int (all, "GroupInfo.0.NextMsgSeq"), ==, 2);
  g_assert_true (timchat_test_json_has (all, "GroupInfo.0.MemberList.1.JoinTime"));
  g_assert_cmpint (timchat_test_json_get_int (all, "GroupInfo.1.ErrorCode"), ==, 10010);

  /* Bad input: the documented code, and no group. */
  rest_code (10004, GRP "create_group", "{\"Name\":\"x\",\"GroupId\":\"rg_bad1\"}");
  rest_code (10004, GRP "create_group", "{\"Type\":\"Public\",\"GroupId\":\"rg_bad1\"}");
  rest_code (10004, GRP "create_group", "{\"Type\":\"Public\",\"Name\":7,\"GroupId\":\"rg_bad1\"}");
  rest_code (10004, GRP "create_group",
             "{\"Type\":\"Public\",\"Name\":\"0123456789012345678901234567890\","
             "\"GroupId\":\"rg_bad1\"}");
  rest_code (10004, GRP "create_group",
             "{\"Type\":\"Public\",\"Name\":\"x\",\"GroupId\":\"rg_bad1\","
             "\"ApplyJoinOption\":\"Sometimes\"}");
  rest_code (10004, GRP "create_group",
             "{\"Type\":\"Castle\",\"Name\":\"x\",\"GroupId\":\"rg_bad1\"}");
  rest_code (10019, GRP "create_group",
             "{\"Type\":\"Public\",\"Name\":\"x\",\"GroupId\":\"rg_bad1\","
             "\"Owner_Account\":\"rg-nobody\"}");
  rest_code (10019, GRP "create_group",
             "{\"Type\":\"Public\",\"Name\":\"x\",\"GroupId\":\"rg_bad1\",\"MemberList\":["
             "{\"Member_Account\":\"rg-bob\"},{\"Member_Account\":\"rg-nobody\"}]}");
  rest_code (10015, GRP "create_group",
             "{\"Type\":\"Public\",\"Name\":\"x\",\"GroupId\":\"@TGS#mine\"}");
  rest_code (10021, GRP "create_group",
             "{\"Type\":\"Public\",\"Name\":\"x\",\"GroupId\":\"rg_blue\"}");
  rest_code (10007, GRP "create_group",
             "{\"Type\":\"AVChatRoom\",\"Name\":\"x\",\"GroupId\":\"rg_bad1\",\"MemberList\":["
             "{\"Member_Account\":\"rg-bob\"}]}");
  {
    GString *many = g_string_new ("[");
    g_autofree char *list = NULL;

    for (int i = 0; i < 501; i++)
      g_string_append_printf (many, "%s{\"Member_Account\":\"rg-bob\"}", i ? "," : "");
    g_string_append_c (many, ']');
    list = g_string_free (many, FALSE);
    rest_code (10005, GRP "create_group",
               "{\"Type\":\"Public\",\"Name\":\"x\",\"GroupId\":\"rg_bad1\",\"MemberList\":%s}",
               list);
  }
  g_clear_pointer (&all, json_object_unref);
  all = rest (GRP "get_group_info", "{\"GroupIdList\":[\"rg_bad1\"]}");
  g_assert_cmpint (timchat_test_json_get_int (all, "GroupInfo.0.ErrorCode"), ==, 10010);
  rest_code (10004, GRP "get_group_info", "{\"GroupIdList\":\"rg_blue\"}");

  /* A generated ID, no owner, legacy type name. */
  g_clear_pointer (&created, json_object_unref);
  created = rest (GRP "create_group", "{\"Type\":\"Private\",\"Name\":\"ownerless\"}");
  g_assert_true (g_str_has_prefix (timchat_test_json_get_string (created, "GroupId"), "@TGS#"));
}

static void
test_add_delete_members (void)
{
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rm-bob");
  g_autoptr (TimchatTestPeer) dave = timchat_test_peer_new (fixture, "rm-dave");
  g_autoptr (TimchatTestPeer) erin = timchat_test_peer_new (fixture, "rm-erin");
  g_autoptr (JsonObject) reply = NULL, tip = NULL, notice = NULL, quiet = NULL;

  rest_code (
      0, GRP "create_group",
      "{\"Owner_Account\":\"rm-bob\",\"Type\":\"Work\",\"GroupId\":\"rm_g\",\"Name\":\"m\"}");
  json_object_unref (timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 1));

  /* §5.3 sample. */
  reply = rest (GRP "add_group_member",
                "{\"GroupId\":\"rm_g\",\"MemberList\":[{\"Member_Account\":\"rm-dave\"},"
                "{\"Member_Account\":\"rm-bob\"}]}");
  g_assert_cmpstr (timchat_test_json_get_string (reply, "MemberList.0.Member_Account"), ==,
                   "rm-dave");
  g_assert_cmpint (timchat_test_json_get_int (reply, "MemberList.0.Result"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "MemberList.1.Member_Account"), ==,
                   "rm-bob");
  g_assert_cmpint (timchat_test_json_get_int (reply, "MemberList.1.Result"), ==, 2);
  tip = timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 1);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.List_Account.0"), ==, "rm-dave");
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.Operator_Account"), ==,
                   TIMCHAT_FIXTURE_ADMIN);
  notice = timchat_test_peer_expect (dave, 5, "GroupTips", "MsgBody.ReportType", 7);
  g_assert_cmpstr (timchat_test_json_get_string (notice, "GroupInfo.GroupId"), ==, "rm_g");
  g_assert_cmpint (member_num ("rm_g"), ==, 2);

  /* Errors change nothing: one unknown account refuses the whole call. */
  rest_code (10019, GRP "add_group_member",
             "{\"GroupId\":\"rm_g\",\"MemberList\":[{\"Member_Account\":\"rm-erin\"},"
             "{\"Member_Account\":\"rm-ghost\"}]}");
  g_assert_cmpint (member_num ("rm_g"), ==, 2);
  rest_code (10004, GRP "add_group_member", "{\"GroupId\":\"rm_g\"}");
  rest_code (10004, GRP "add_group_member", "{\"MemberList\":[{\"Member_Account\":\"rm-erin\"}]}");
  rest_code (10004, GRP "add_group_member",
             "{\"GroupId\":\"rm_g\",\"MemberList\":[{\"Member\":\"rm-erin\"}]}");
  rest_code (10010, GRP "add_group_member",
             "{\"GroupId\":\"rm_none\",\"MemberList\":[{\"Member_Account\":\"rm-erin\"}]}");

  /* Silence: no tip for the others, the newcomer still learns of it. */
  rest_code (0, GRP "add_group_member",
             "{\"GroupId\":\"rm_g\",\"Silence\":1,\"MemberList\":[{\"Member_Account\":"
             "\"rm-erin\"}]}");
  json_object_unref (timchat_test_peer_expect (erin, 5, "GroupTips", "MsgBody.ReportType", 7));
  quiet = timchat_test_peer_find (bob, 4, "GroupTips", "MsgBody.OpType", 1, 300);
  g_assert_null (quiet);

  /* §5.4 sample (with Reason): the kicked member gets the notice with the reason. */
  rest_code (10007, GRP "delete_group_member",
             "{\"GroupId\":\"rm_g\",\"MemberToDel_Account\":[\"rm-dave\",\"rm-bob\"]}");
  g_assert_cmpint (member_num ("rm_g"), ==, 3);
  rest_code (10004, GRP "delete_group_member",
             "{\"GroupId\":\"rm_g\",\"MemberToDel_Account\":\"rm-dave\"}");
  rest_code (10004, GRP "delete_group_member", "{\"GroupId\":\"rm_g\"}");
  rest_code (
      0, GRP "delete_group_member",
      "{\"GroupId\":\"rm_g\",\"Reason\":\"inactive\",\"MemberToDel_Account\":[\"rm-dave\"]}");
  g_clear_pointer (&notice, json_object_unref);
  notice = timchat_test_peer_expect (dave, 5, "GroupTips", "MsgBody.ReportType", 4);
  g_assert_cmpstr (timchat_test_json_get_string (notice, "MsgBody.RemarkInfo"), ==, "inactive");
  g_clear_pointer (&tip, json_object_unref);
  tip = timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 3);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.List_Account.0"), ==, "rm-dave");
  g_assert_cmpint (member_num ("rm_g"), ==, 2);

  /* Silence on delete: only the removed member hears of it. */
  rest_code (0, GRP "delete_group_member",
             "{\"GroupId\":\"rm_g\",\"Silence\":1,\"MemberToDel_Account\":[\"rm-erin\"]}");
  json_object_unref (timchat_test_peer_expect (erin, 5, "GroupTips", "MsgBody.ReportType", 4));
  g_clear_pointer (&quiet, json_object_unref);
  quiet = timchat_test_peer_find (bob, 4, "GroupTips", "MsgBody.OpType", 3, 300);
  g_assert_null (quiet);
}

static void
test_modify_member (void)
{
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "rx-carol");
  g_autoptr (JsonObject) members = NULL, tip = NULL;

  ensure_users ("rx-alice", NULL);
  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"rx-alice\",\"Type\":\"Public\",\"GroupId\":\"rx_g\","
             "\"Name\":\"x\",\"MemberList\":[{\"Member_Account\":\"rx-carol\"}]}");
  /* §5.5 sample. */
  rest_code (0, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_g\",\"Member_Account\":\"rx-carol\",\"Role\":\"Admin\"}");
  json_object_unref (timchat_test_peer_expect (carol, 5, "GroupTips", "MsgBody.ReportType", 9));
  tip = timchat_test_peer_expect (carol, 4, "GroupTips", "MsgBody.OpType", 4);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.List_Account.0"), ==, "rx-carol");
  rest_code (0, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_g\",\"Member_Account\":\"rx-carol\",\"NameCard\":\"Cee\"}");

  /* Bad input changes nothing, not even the valid half. */
  rest_code (10004, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_g\",\"Member_Account\":\"rx-carol\",\"Role\":\"Member\","
             "\"NameCard\":\"012345678901234567890123456789012345678901234567890\"}");
  rest_code (10004, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_g\",\"Member_Account\":\"rx-carol\",\"Role\":\"Owner\"}");
  rest_code (10004, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_g\",\"Member_Account\":\"rx-carol\",\"ShutUpTime\":\"soon\"}");
  rest_code (10004, GRP "modify_group_member_info", "{\"GroupId\":\"rx_g\",\"Role\":\"Admin\"}");
  rest_code (10019, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_g\",\"Member_Account\":\"rx-ghost\",\"Role\":\"Admin\"}");
  rest_code (10007, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_g\",\"Member_Account\":\"rx-alice\",\"Role\":\"Member\"}");
  rest_code (10010, GRP "modify_group_member_info",
             "{\"GroupId\":\"rx_none\",\"Member_Account\":\"rx-carol\",\"Role\":\"Admin\"}");

  /* §5.8: the member list, filtered by role and fields; MemberNum counts everyone. */
  members = rest (GRP "get_group_member_info",
                  "{\"GroupId\":\"rx_g\",\"MemberRoleFilter\":[\"Owner\",\"Admin\"],\"Limit\":100,"
                  "\"Offset\":0}");
  g_assert_cmpint (timchat_test_json_get_int (members, "MemberNum"), ==, 2);
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.0.Member_Account"), ==,
                   "rx-alice");
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.0.Role"), ==, "Owner");
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.1.Role"), ==, "Admin");
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.1.NameCard"), ==, "Cee");
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.1.MsgFlag"), ==,
                   "AcceptAndNotify");
  g_assert_true (timchat_test_json_has (members, "MemberList.1.JoinTime"));
  g_assert_true (timchat_test_json_has (members, "MemberList.1.MsgSeq"));
  g_assert_true (timchat_test_json_has (members, "MemberList.1.LastSendMsgTime"));
  g_assert_true (timchat_test_json_has (members, "MemberList.1.ShutUpUntil"));
  g_clear_pointer (&members, json_object_unref);
  members = rest (GRP "get_group_member_info",
                  "{\"GroupId\":\"rx_g\",\"MemberInfoFilter\":[\"NameCard\"],\"Limit\":1,"
                  "\"Offset\":1}");
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (members, "MemberList")), ==,
                   1);
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.0.NameCard"), ==, "Cee");
  g_assert_false (timchat_test_json_has (members, "MemberList.0.Role"));
  rest_code (10004, GRP "get_group_member_info", "{\"GroupId\":\"rx_g\",\"Limit\":\"ten\"}");
  rest_code (10010, GRP "get_group_member_info", "{\"GroupId\":\"rx_none\"}");
}

static gint64
send_text (const char *group, const char *from, gint64 random, const char *priority,
           const char *text)
{
  g_autoptr (JsonObject) reply =
      rest (GRP "send_group_msg",
            "{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT ",\"MsgPriority\":\"%s\","
            "\"From_Account\":\"%s\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
            "{\"Text\":\"%s\"}}]}",
            group, random, priority, from, text);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MsgTime"), >, 0);
  return timchat_test_json_get_int (reply, "MsgSeq");
}

static void
test_send_recall_history (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "rs-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rs-bob");
  g_autoptr (JsonObject) sent = NULL, msg = NULL, own = NULL, recalled = NULL, simple = NULL;
  g_autoptr (JsonObject) session = NULL, withdraw = NULL;
  gint64 seq;

  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"rs-alice\",\"Type\":\"Public\",\"GroupId\":\"rs_g\","
             "\"Name\":\"s\",\"MemberList\":[{\"Member_Account\":\"rs-bob\"}]}");

  /* §5.9 sample: on behalf of alice, at High priority, with push info and custom data. */
  sent = rest (GRP "send_group_msg",
               "{\"GroupId\":\"rs_g\",\"Random\":8912345,\"MsgPriority\":\"High\","
               "\"From_Account\":\"rs-alice\",\"CloudCustomData\":\"cc\",\"OfflinePushInfo\":"
               "{\"PushFlag\":0,\"Desc\":\"gift\"},\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
               "\"MsgContent\":{\"Text\":\"@bob gift!\"}}],\"GroupAtInfo\":[{\"GroupAtAllFlag\":0,"
               "\"GroupAt_Account\":\"rs-bob\"}]}");
  seq = timchat_test_json_get_int (sent, "MsgSeq");
  g_assert_cmpint (seq, ==, 2); /* after the join tip */
  g_assert_cmpint (timchat_test_json_get_int (sent, "MsgTime"), >, 0);
  msg = timchat_test_peer_expect (bob, 3, "GroupMsgArray", "MsgSeq", seq);
  g_assert_cmpstr (timchat_test_json_get_string (msg, "From_Account"), ==, "rs-alice");
  g_assert_cmpstr (timchat_test_json_get_string (msg, "MsgBody.0.MsgContent.Text"), ==,
                   "@bob gift!");
  g_assert_cmpstr (timchat_test_json_get_string (msg, "CloudCustomData"), ==, "cc");
  own = timchat_test_peer_expect (alice, 3, "GroupMsgArray", "MsgSeq",
                                  seq); /* the sender's devices too */
  session = timchat_test_session_item (bob->c, 0, "rs_g");
  g_assert_cmpint (timchat_test_json_get_int (session, "UnreadMsgCount"), >=, 1);
  g_assert_cmpstr (timchat_test_json_get_string (session, "MsgGroupFromAccount"), ==, "rs-alice");

  /* The same Random again is the same message. */
  g_clear_pointer (&sent, json_object_unref);
  sent = rest (GRP "send_group_msg",
               "{\"GroupId\":\"rs_g\",\"Random\":8912345,\"From_Account\":\"rs-alice\",\"MsgBody\":"
               "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"@bob gift!\"}}]}");
  g_assert_cmpint (timchat_test_json_get_int (sent, "MsgSeq"), ==, seq);

  /* Bad input. */
  rest_code (10004, GRP "send_group_msg",
             "{\"GroupId\":\"rs_g\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
             "{\"Text\":\"x\"}}]}");
  rest_code (10004, GRP "send_group_msg", "{\"GroupId\":\"rs_g\",\"Random\":1}");
  rest_code (10004, GRP "send_group_msg",
             "{\"GroupId\":\"rs_g\",\"Random\":1,\"MsgBody\":[{\"MsgType\":\"TIMNopeElem\","
             "\"MsgContent\":{}}]}");
  rest_code (10004, GRP "send_group_msg",
             "{\"GroupId\":\"rs_g\",\"Random\":1,\"MsgPriority\":\"Urgent\",\"MsgBody\":[{"
             "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}");
  rest_code (10004, GRP "send_group_msg",
             "{\"GroupId\":\"rs_g\",\"Random\":1,\"CloudCustomData\":5,\"MsgBody\":[{"
             "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}");
  rest_code (10019, GRP "send_group_msg",
             "{\"GroupId\":\"rs_g\",\"Random\":1,\"From_Account\":\"rs-ghost\",\"MsgBody\":[{"
             "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}");
  /* "" names nobody, as a number does: only an absent From_Account is the admin. It was sent as
   * the admin, taking the sequence the next send checks. */
  rest_code (10004, GRP "send_group_msg",
             "{\"GroupId\":\"rs_g\",\"Random\":2,\"From_Account\":\"\",\"MsgBody\":[{"
             "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}");
  rest_code (10004, GRP "send_group_msg",
             "{\"GroupId\":\"rs_g\",\"Random\":3,\"From_Account\":7,\"MsgBody\":[{"
             "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}");
  rest_code (10010, GRP "send_group_msg",
             "{\"GroupId\":\"rs_none\",\"Random\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
             "\"MsgContent\":{\"Text\":\"x\"}}]}");

  g_assert_cmpint (send_text ("rs_g", "rs-bob", 5, "Normal", "hello"), ==, seq + 1);
  g_assert_cmpint (send_text ("rs_g", "rs-bob", 6, "Lowest", "meh"), ==, seq + 2);

  /* §5.12 sample shape: newest first, priorities as numbers. */
  simple = rest (GRP "group_msg_get_simple",
                 "{\"GroupId\":\"rs_g\",\"ReqMsgSeq\":%" G_GINT64_FORMAT ",\"ReqMsgNumber\":2}",
                 seq + 1);
  g_assert_cmpstr (timchat_test_json_get_string (simple, "GroupId"), ==, "rs_g");
  g_assert_cmpint (timchat_test_json_get_int (simple, "IsFinished"), ==, 1);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (simple, "RspMsgList")), ==,
                   2);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.0.MsgSeq"), ==, seq + 1);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.0.MsgPriority"), ==, 2);
  g_assert_cmpstr (timchat_test_json_get_string (simple, "RspMsgList.0.From_Account"), ==,
                   "rs-bob");
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.1.MsgSeq"), ==, seq);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.1.MsgPriority"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.1.MsgRandom"), ==, 8912345);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.1.IsPlaceMsg"), ==, 0);
  g_assert_true (timchat_test_json_has (simple, "RspMsgList.1.MsgTimeStamp"));
  g_assert_cmpstr (timchat_test_json_get_string (simple, "RspMsgList.1.MsgBody.0.MsgType"), ==,
                   "TIMTextElem");
  g_clear_pointer (&simple, json_object_unref);
  simple = rest (GRP "group_msg_get_simple", "{\"GroupId\":\"rs_g\",\"ReqMsgNumber\":20}");
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.0.MsgSeq"), ==, seq + 2);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.0.MsgPriority"), ==, 4);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.3.IsSystemMsg"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (simple, "RspMsgList.3.MsgBody.0.MsgType"), ==,
                   "TIMGroupTipElem");
  rest_code (10004, GRP "group_msg_get_simple", "{\"GroupId\":\"rs_g\"}");
  rest_code (10004, GRP "group_msg_get_simple",
             "{\"GroupId\":\"rs_g\",\"ReqMsgNumber\":2,\"ReqMsgSeq\":\"x\"}");
  rest_code (10010, GRP "group_msg_get_simple", "{\"GroupId\":\"rs_none\",\"ReqMsgNumber\":2}");

  /* §5.11 sample: one recalled, one unknown; bob's client gets the recall notice. */
  recalled = rest (GRP "group_msg_recall",
                   "{\"GroupId\":\"rs_g\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT
                   "},{\"MsgSeq\":99}]}",
                   seq);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.0.MsgSeq"), ==, seq);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.0.RetCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.1.MsgSeq"), ==, 99);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.1.RetCode"), ==, 10030);
  withdraw = timchat_test_peer_expect (bob, 5, "GroupTips", NULL, 0);
  while (!timchat_test_json_has (withdraw, "MsgBody.GroupWithdrawInfoArray"))
    {
      g_clear_pointer (&withdraw, json_object_unref);
      withdraw = timchat_test_peer_expect (bob, 5, "GroupTips", NULL, 0);
    }
  g_assert_cmpint (timchat_test_json_get_int (withdraw, "MsgBody.GroupWithdrawInfoArray.0.MsgSeq"),
                   ==, seq);
  rest_code (10004, GRP "group_msg_recall", "{\"GroupId\":\"rs_g\"}");
  rest_code (10004, GRP "group_msg_recall", "{\"GroupId\":\"rs_g\",\"MsgSeqList\":[{\"Seq\":1}]}");
  rest_code (10004, GRP "group_msg_recall",
             "{\"GroupId\":\"rs_g\",\"MsgSeqList\":[{\"MsgSeq\":1},{\"MsgSeq\":2},{\"MsgSeq\":3},"
             "{\"MsgSeq\":4},{\"MsgSeq\":5},{\"MsgSeq\":6},{\"MsgSeq\":7},{\"MsgSeq\":8},"
             "{\"MsgSeq\":9},{\"MsgSeq\":10},{\"MsgSeq\":11}]}");
  rest_code (10010, GRP "group_msg_recall", "{\"GroupId\":\"rs_none\",\"MsgSeqList\":[]}");

  /* The recalled message stays out of the simple history unless asked for. */
  g_clear_pointer (&simple, json_object_unref);
  simple = rest (GRP "group_msg_get_simple",
                 "{\"GroupId\":\"rs_g\",\"ReqMsgSeq\":%" G_GINT64_FORMAT
                 ",\"ReqMsgNumber\":1,\"WithRecalledMsg\":1}",
                 seq);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.0.IsPlaceMsg"), ==, 2);
  g_clear_pointer (&simple, json_object_unref);
  simple =
      rest (GRP "group_msg_get_simple",
            "{\"GroupId\":\"rs_g\",\"ReqMsgSeq\":%" G_GINT64_FORMAT ",\"ReqMsgNumber\":1}", seq);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (simple, "RspMsgList")), ==,
                   0);
}

/* The app admin is an account, made on first use: named as From_Account (or as a member) it is
 * there before it ever sent anything, as it is for sendmsg. Runs first, before anything else
 * makes the admin's account. */
static void
test_admin_named (void)
{
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "ad-bob");
  g_autoptr (JsonObject) joined = NULL, msg = NULL;
  gint64 seq;

  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"ad-bob\",\"Type\":\"Public\",\"GroupId\":\"ad_g\","
             "\"Name\":\"n\"}");
  joined = rest (GRP "get_joined_group_list", "{\"Member_Account\":\"" TIMCHAT_FIXTURE_ADMIN "\"}");
  g_assert_cmpint (timchat_test_json_get_int (joined, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (joined, "TotalCount"), ==, 0);
  seq = send_text ("ad_g", TIMCHAT_FIXTURE_ADMIN, 1, "Normal", "from the admin");
  msg = timchat_test_peer_expect (bob, 3, "GroupMsgArray", "MsgSeq", seq);
  g_assert_cmpstr (timchat_test_json_get_string (msg, "From_Account"), ==, TIMCHAT_FIXTURE_ADMIN);
}

/* The app admin's account may be a member too (added like any account). Over REST it still acts
 * for the app: it recalls messages from before its own join, as it reads them
 * (group_msg_get_simple). */
static void
test_admin_member_recall (void)
{
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "ra-bob");
  g_autoptr (JsonObject) added = NULL, recalled = NULL, simple = NULL, withdraw = NULL;
  gint64 seq;

  ensure_users ("ra-alice", TIMCHAT_FIXTURE_ADMIN, NULL);
  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"ra-alice\",\"Type\":\"Public\",\"GroupId\":\"ra_g\","
             "\"Name\":\"r\",\"MemberList\":[{\"Member_Account\":\"ra-bob\"}]}");
  seq = send_text ("ra_g", "ra-alice", 1, "Normal", "before the admin joined");
  added = rest (GRP "add_group_member",
                "{\"GroupId\":\"ra_g\",\"MemberList\":[{\"Member_Account\":\"" TIMCHAT_FIXTURE_ADMIN
                "\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (added, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (added, "MemberList.0.Result"), ==, 1);

  simple =
      rest (GRP "group_msg_get_simple",
            "{\"GroupId\":\"ra_g\",\"ReqMsgSeq\":%" G_GINT64_FORMAT ",\"ReqMsgNumber\":1}", seq);
  g_assert_cmpint (timchat_test_json_get_int (simple, "RspMsgList.0.MsgSeq"), ==, seq);

  recalled =
      rest (GRP "group_msg_recall",
            "{\"GroupId\":\"ra_g\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}", seq);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.0.MsgSeq"), ==, seq);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.0.RetCode"), ==, 0);
  withdraw = timchat_test_peer_expect (bob, 5, "GroupTips", NULL, 0);
  while (!timchat_test_json_has (withdraw, "MsgBody.GroupWithdrawInfoArray"))
    {
      g_clear_pointer (&withdraw, json_object_unref);
      withdraw = timchat_test_peer_expect (bob, 5, "GroupTips", NULL, 0);
    }
  g_assert_cmpint (timchat_test_json_get_int (withdraw, "MsgBody.GroupWithdrawInfoArray.0.MsgSeq"),
                   ==, seq);
}

static void
test_system_notification (void)
{
  g_autofree char *cookie = NULL;
  g_autoptr (JsonObject) notice = NULL, none = NULL, sync = NULL;
  gboolean replayed = FALSE;
  JsonArray *events;

  ensure_users ("rn-bob", "rn-carol", NULL);
  {
    g_autoptr (TimchatTestPeer) frank = timchat_test_peer_new (fixture, "rn-frank");
    g_autoptr (JsonObject) first = ws (frank, "openim.getmsg", "{\"Cookie\":\"\",\"SyncFlag\":0}");

    cookie = g_strdup (timchat_test_json_get_string (first, "Cookie"));
  }
  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"rn-bob\",\"Type\":\"Public\",\"GroupId\":\"rn_g\",\"Name\":"
             "\"n\",\"MemberList\":[{\"Member_Account\":\"rn-frank\"},{\"Member_Account\":"
             "\"rn-carol\"}]}");
  {
    g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rn-bob");
    g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "rn-carol");

    /* §5.10 sample: only bob is told, live as Event 5. */
    rest_code (0, GRP "send_group_system_notification",
               "{\"GroupId\":\"rn_g\",\"ToMembers_Account\":[\"rn-bob\"],\"Content\":"
               "\"maintenance at 22:00\"}");
    notice = timchat_test_peer_expect (bob, 5, "GroupTips", "MsgBody.ReportType", 255);
    g_assert_cmpstr (timchat_test_json_get_string (notice, "MsgBody.UserDefinedField"), ==,
                     "maintenance at 22:00");
    g_assert_cmpstr (timchat_test_json_get_string (notice, "GroupInfo.GroupId"), ==, "rn_g");
    none = timchat_test_peer_find (carol, 5, "GroupTips", "MsgBody.ReportType", 255, 300);
    g_assert_null (none);

    rest_code (10004, GRP "send_group_system_notification", "{\"GroupId\":\"rn_g\"}");
    rest_code (10004, GRP "send_group_system_notification",
               "{\"GroupId\":\"rn_g\",\"Content\":\"x\",\"ToMembers_Account\":[\"rn-stranger\"]}");
    rest_code (10004, GRP "send_group_system_notification",
               "{\"GroupId\":\"rn_g\",\"Content\":\"x\",\"ToMembers_Account\":\"rn-bob\"}");
    rest_code (10010, GRP "send_group_system_notification",
               "{\"GroupId\":\"rn_none\",\"Content\":\"x\"}");
    none = timchat_test_peer_find (bob, 5, "GroupTips", "MsgBody.ReportType", 255, 300);
    g_assert_null (none);

    /* No list: everyone, carol included. */
    rest_code (0, GRP "send_group_system_notification",
               "{\"GroupId\":\"rn_g\",\"Content\":\"for all\"}");
    g_clear_pointer (&notice, json_object_unref);
    notice = timchat_test_peer_expect (carol, 5, "GroupTips", "MsgBody.ReportType", 255);
    g_assert_cmpstr (timchat_test_json_get_string (notice, "MsgBody.UserDefinedField"), ==,
                     "for all");
  }

  /* frank was offline: openim.getmsg replays it. */
  {
    g_autoptr (TimchatTestPeer) frank = timchat_test_peer_new (fixture, "rn-frank");
    g_autofree char *body = g_strdup_printf ("{\"Cookie\":\"%s\",\"SyncFlag\":0}", cookie);

    sync = ws (frank, "openim.getmsg", body);
  }
  events = timchat_test_json_get_array (sync, "EventArray");
  g_assert_nonnull (events);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *entry = json_array_get_object_element (events, i);

      if (timchat_test_entry_matches (entry, 5, "GroupTips", "MsgBody.ReportType", 255))
        {
          g_assert_cmpstr (
              timchat_test_json_get_string (entry, "GroupTips.0.MsgBody.UserDefinedField"), ==,
              "for all");
          replayed = TRUE;
        }
    }
  g_assert_true (replayed);
}

static void
test_joined_list (void)
{
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rj-bob");
  g_autoptr (JsonObject) list = NULL;

  ensure_users ("rj-alice", NULL);
  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"rj-alice\",\"Type\":\"Public\",\"GroupId\":\"rj_blue\","
             "\"Name\":\"Blue team\",\"MemberList\":[{\"Member_Account\":\"rj-bob\",\"Role\":"
             "\"Admin\"}]}");
  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"rj-bob\",\"Type\":\"Private\",\"GroupId\":\"rj_work\","
             "\"Name\":\"Work\"}");
  send_text ("rj_blue", "rj-alice", 1, "Normal", "one");
  send_text ("rj_blue", "rj-alice", 2, "Normal", "two");

  /* §5.7 sample. */
  list = rest (GRP "get_joined_group_list",
               "{\"Member_Account\":\"rj-bob\",\"Limit\":20,\"Offset\":0,\"ResponseFilter\":{"
               "\"GroupBaseInfoFilter\":[\"Type\",\"Name\"],\"SelfInfoFilter\":[\"Role\","
               "\"UnreadMsgNum\"]}}");
  g_assert_cmpint (timchat_test_json_get_int (list, "TotalCount"), ==, 2);
  g_assert_cmpstr (timchat_test_json_get_string (list, "GroupIdList.0.GroupId"), ==, "rj_blue");
  g_assert_cmpstr (timchat_test_json_get_string (list, "GroupIdList.0.Type"), ==, "Public");
  g_assert_cmpstr (timchat_test_json_get_string (list, "GroupIdList.0.Name"), ==, "Blue team");
  g_assert_cmpstr (timchat_test_json_get_string (list, "GroupIdList.0.SelfInfo.Role"), ==, "Admin");
  g_assert_cmpint (timchat_test_json_get_int (list, "GroupIdList.0.SelfInfo.UnreadMsgNum"), >=, 2);
  g_assert_false (timchat_test_json_has (list, "GroupIdList.0.SelfInfo.JoinTime"));
  g_assert_false (timchat_test_json_has (list, "GroupIdList.0.LastMsgTime"));

  /* No filter: IDs only; paging and the type filter (Work = Private). */
  g_clear_pointer (&list, json_object_unref);
  list = rest (GRP "get_joined_group_list",
               "{\"Member_Account\":\"rj-bob\",\"Limit\":1,\"Offset\":1}");
  g_assert_cmpint (timchat_test_json_get_int (list, "TotalCount"), ==, 2);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (list, "GroupIdList")), ==,
                   1);
  g_assert_cmpstr (timchat_test_json_get_string (list, "GroupIdList.0.GroupId"), ==, "rj_work");
  g_assert_false (timchat_test_json_has (list, "GroupIdList.0.Name"));
  g_clear_pointer (&list, json_object_unref);
  list = rest (GRP "get_joined_group_list",
               "{\"Member_Account\":\"rj-bob\",\"GroupType\":\"Work\",\"ResponseFilter\":{"
               "\"GroupBaseInfoFilter\":[\"MemberCount\",\"MemberNum\"]}}");
  g_assert_cmpint (timchat_test_json_get_int (list, "TotalCount"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (list, "GroupIdList.0.GroupId"), ==, "rj_work");
  g_assert_cmpint (timchat_test_json_get_int (list, "GroupIdList.0.MemberNum"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (list, "GroupIdList.0.MemberCount"), ==, 1);

  rest_code (10004, GRP "get_joined_group_list", "{\"Limit\":10}");
  rest_code (10004, GRP "get_joined_group_list", "{\"Member_Account\":\"rj-bob\",\"Limit\":-1}");
  rest_code (10004, GRP "get_joined_group_list",
             "{\"Member_Account\":\"rj-bob\",\"ResponseFilter\":[]}");
  rest_code (10019, GRP "get_joined_group_list", "{\"Member_Account\":\"rj-ghost\"}");
}

static void
test_recentcontact (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "rc-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rc-bob");
  g_autoptr (JsonObject) sent = NULL, list = NULL, session = NULL, del = NULL;
  JsonArray *items;
  gboolean saw_c2c = FALSE, saw_group = FALSE;

  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"rc-alice\",\"Type\":\"Public\",\"GroupId\":\"rc_blue\","
             "\"Name\":\"c\"}");
  send_text ("rc_blue", "rc-alice", 1, "Normal", "hi");
  sent = timchat_test_send_text (alice->c, "rc-bob", "hello bob", 100, 200);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);

  /* §6.1 sample. */
  list = rest ("recentcontact/get_list",
               "{\"From_Account\":\"rc-alice\",\"TimeStamp\":0,\"StartIndex\":0,\"TopTimeStamp\":0,"
               "\"TopStartIndex\":0,\"AssistFlags\":7}");
  g_assert_cmpint (timchat_test_json_get_int (list, "CompleteFlag"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (list, "ErrorDisplay"), ==, "");
  g_assert_true (timchat_test_json_has (list, "TimeStamp"));
  g_assert_true (timchat_test_json_has (list, "StartIndex"));
  g_assert_true (timchat_test_json_has (list, "TopTimeStamp"));
  g_assert_true (timchat_test_json_has (list, "TopStartIndex"));
  items = timchat_test_json_get_array (list, "SessionItem");
  g_assert_cmpint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), >, 0);
      g_assert_true (json_object_has_member (item, "TopFlag"));
      if (timchat_test_json_get_int (item, "Type") == 1)
        saw_c2c = g_strcmp0 (timchat_test_json_get_string (item, "To_Account"), "rc-bob") == 0;
      else
        saw_group = g_strcmp0 (timchat_test_json_get_string (item, "GroupId"), "rc_blue") == 0;
    }
  g_assert_true (saw_c2c && saw_group);

  rest_code (50002, "recentcontact/get_list",
             "{\"From_Account\":\"rc-alice\",\"StartIndex\":0,\"TopTimeStamp\":0,"
             "\"TopStartIndex\":0,\"AssistFlags\":7}");
  rest_code (50002, "recentcontact/get_list",
             "{\"TimeStamp\":0,\"StartIndex\":0,\"TopTimeStamp\":0,\"TopStartIndex\":0,"
             "\"AssistFlags\":7}");
  rest_code (50001, "recentcontact/get_list",
             "{\"From_Account\":\"rc-ghost\",\"TimeStamp\":0,\"StartIndex\":0,\"TopTimeStamp\":0,"
             "\"TopStartIndex\":0,\"AssistFlags\":7}");

  /* §6.2 sample, with the documented ToGroupid spelling; alice's client no longer lists it. */
  session = timchat_test_session_item (alice->c, 0, "rc_blue");
  g_assert_nonnull (session);
  del = rest ("recentcontact/delete",
              "{\"From_Account\":\"rc-alice\",\"Type\":2,\"ToGroupid\":\"rc_blue\","
              "\"ClearRamble\":0}");
  g_assert_cmpint (timchat_test_json_get_int (del, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (del, "ErrorDisplay"), ==, "");
  /* Every socket of alice's hears it (a REST call has none of its own to leave out). */
  {
    g_autoptr (JsonObject) heard = timchat_test_wait_event (alice->c, "RecentContactMod", 3000);
    JsonObject *change = heard != NULL ? timchat_test_push_item (heard, "RecentContactMod") : NULL;

    g_assert_nonnull (change);
    g_assert_cmpint (timchat_test_json_get_int (change, "PushType"), ==, 1);
    g_assert_cmpstr (timchat_test_json_get_string (
                         change, "RecentContactDeleteItem.RecentContactList.0.GroupId"),
                     ==, "rc_blue");
  }
  g_clear_pointer (&session, json_object_unref);
  session = timchat_test_session_item (alice->c, 0, "rc_blue");
  g_assert_null (session);
  /* The current spelling too, and a C2C one; bob keeps his side. */
  rest_code (0, "recentcontact/delete",
             "{\"From_Account\":\"rc-alice\",\"Type\":2,\"ToGroupId\":\"rc_blue\"}");
  rest_code (
      0, "recentcontact/delete",
      "{\"From_Account\":\"rc-alice\",\"Type\":1,\"To_Account\":\"rc-bob\",\"ClearRamble\":1}");
  session = timchat_test_session_item (alice->c, 0, "rc-bob");
  g_assert_null (session);
  session = timchat_test_session_item (bob->c, 0, "rc-alice");
  g_assert_nonnull (session);

  rest_code (50002, "recentcontact/delete", "{\"From_Account\":\"rc-alice\",\"Type\":2}");
  rest_code (50002, "recentcontact/delete",
             "{\"From_Account\":\"rc-alice\",\"Type\":3,\"To_Account\":\"rc-bob\"}");
  rest_code (50002, "recentcontact/delete", "{\"Type\":1,\"To_Account\":\"rc-bob\"}");
  rest_code (50002, "recentcontact/delete",
             "{\"From_Account\":\"rc-alice\",\"Type\":2,\"ToGroupid\":\"rc_none\"}");
  rest_code (50001, "recentcontact/delete",
             "{\"From_Account\":\"rc-ghost\",\"Type\":1,\"To_Account\":\"rc-bob\"}");
  rest_code (50001, "recentcontact/delete",
             "{\"From_Account\":\"rc-alice\",\"Type\":1,\"To_Account\":\"rc-ghost\"}");
}

static void
test_destroy (void)
{
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rd-bob");
  g_autoptr (JsonObject) info = NULL, joined = NULL;

  ensure_users ("rd-alice", NULL);
  rest_code (0, GRP "create_group",
             "{\"Owner_Account\":\"rd-alice\",\"Type\":\"Public\",\"GroupId\":\"rd_g\",\"Name\":"
             "\"d\",\"MemberList\":[{\"Member_Account\":\"rd-bob\"}]}");
  /* §5.6 sample. */
  rest_code (0, GRP "destroy_group", "{\"GroupId\":\"rd_g\"}");
  json_object_unref (timchat_test_peer_expect (bob, 5, "GroupTips", "MsgBody.ReportType", 5));
  info = rest (GRP "get_group_info", "{\"GroupIdList\":[\"rd_g\"]}");
  g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.ErrorCode"), ==, 10010);
  joined = rest (GRP "get_joined_group_list", "{\"Member_Account\":\"rd-bob\"}");
  g_assert_cmpint (timchat_test_json_get_int (joined, "TotalCount"), ==, 0);
  rest_code (10010, GRP "destroy_group", "{\"GroupId\":\"rd_g\"}");
  rest_code (10004, GRP "destroy_group", "{}");
  rest_code (10004, GRP "destroy_group", "{\"GroupId\":5}");
}

static void
test_not_admin (void)
{
  g_autoptr (TimchatTestPeer) eve = timchat_test_peer_new (fixture, "rz-eve");
  g_autoptr (JsonObject) reply =
      timchat_test_rest (fixture, GRP "destroy_group", "{\"GroupId\":\"x\"}", "rz-eve");

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 60010);
}

int
main (int argc, char **argv)
{
  const char *conf[] = { "limits/group_rate=0", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/rest/groups/admin-named", test_admin_named);
  g_test_add_func ("/rest/groups/create-and-info", test_create_and_info);
  g_test_add_func ("/rest/groups/add-delete-members", test_add_delete_members);
  g_test_add_func ("/rest/groups/modify-member", test_modify_member);
  g_test_add_func ("/rest/groups/send-recall-history", test_send_recall_history);
  g_test_add_func ("/rest/groups/admin-member-recall", test_admin_member_recall);
  g_test_add_func ("/rest/groups/system-notification", test_system_notification);
  g_test_add_func ("/rest/groups/joined-list", test_joined_list);
  g_test_add_func ("/rest/groups/recentcontact", test_recentcontact);
  g_test_add_func ("/rest/groups/destroy", test_destroy);
  g_test_add_func ("/rest/groups/not-admin", test_not_admin);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
