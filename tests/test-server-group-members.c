/* test-server-group-members.c: creating groups and their members against the real
 * timchat-server over real WebSockets: create with tips and system notices, member-only rules,
 * membership changes, the notice of a group one was added to while offline, who may add members,
 * MaxMemberCount, muting a member. Split from test-server-group.c (by theme: messages in
 * test-server-group-messages.c, creating groups and their members here) to keep each program
 * short; one server per program, configured as before. */
#define G_LOG_DOMAIN "test-server-group-members"

#include "config.h"

#include <string.h>

#include "test-server-group-common.h"
#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static void
test_create_tips_notices (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "c-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "c-bob");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "c-carol");
  g_autoptr (JsonObject) tip = NULL, notice = NULL, info = NULL, hist = NULL, joined = NULL;
  g_autofree char *group = create_group (
      alice,
      "[{\"Member_Account\":\"c-bob\"},{\"Member_Account\":\"c-carol\",\"Role\":\"Admin\"}]");
  g_autofree char *body = g_strdup_printf ("{\"GroupIdList\":[\"%s\"]}", group);

  /* The join tip, stored as seq 1, reaches every online member; then the notices. */
  tip = timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 1);
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgSeq"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "GroupInfo.GroupId"), ==, group);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.Operator_Account"), ==, "c-alice");
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgBody.MemberNum"), ==, 3);
  g_clear_pointer (&tip, json_object_unref);
  tip = timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 1);
  notice = timchat_test_peer_expect (alice, 5, "GroupTips", "MsgBody.ReportType", 6);
  g_clear_pointer (&notice, json_object_unref);
  notice = timchat_test_peer_expect (bob, 5, "GroupTips", "MsgBody.ReportType", 7);
  g_assert_cmpstr (timchat_test_json_get_string (notice, "GroupInfo.GroupId"), ==, group);
  g_assert_cmpstr (timchat_test_json_get_string (notice, "MsgBody.Operator_Account"), ==,
                   "c-alice");
  g_clear_pointer (&notice, json_object_unref);
  notice = timchat_test_peer_expect (carol, 5, "GroupTips", "MsgBody.ReportType", 7);

  /* The profile the SDK asks for next. */
  info = timchat_test_group_request (bob, "get_group_self_member_info", body);
  g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.NextMsgSeq"), ==, 2);
  g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.MemberNum"), ==, 3);
  g_assert_cmpstr (timchat_test_json_get_string (info, "GroupInfo.0.Owner_Account"), ==, "c-alice");
  g_assert_cmpstr (timchat_test_json_get_string (info, "GroupInfo.0.SelfInfo.Role"), ==, "Member");

  /* The tip is history too, in the shape the SDK turns into a TIMGroupTipElem. */
  hist = history (carol, group, 0, 20);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (hist, "RspMsgList")), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (hist, "RspMsgList.0.Event"), ==, 4);
  g_assert_cmpint (timchat_test_json_get_int (hist, "RspMsgList.0.MsgSeq"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (hist, "RspMsgList.0.MsgBody.OpType"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (hist, "IsFinished"), ==, 1);

  joined = timchat_test_group_request (
      carol, "get_joined_group_list", "{\"Member_Account\":\"c-carol\",\"Limit\":50,\"Offset\":0}");
  g_assert_cmpint (timchat_test_json_get_int (joined, "TotalCount"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (joined, "GroupIdList.0.GroupId"), ==, group);
  g_assert_cmpstr (timchat_test_json_get_string (joined, "GroupIdList.0.SelfInfo.Role"), ==,
                   "Admin");
  g_assert_cmpint (timchat_test_json_get_int (joined, "GroupIdList.0.NextMsgSeq"), ==, 2);

  /* An unknown account: 10019 and no group. */
  timchat_test_group_request_code (
      alice, "create_group",
      "{\"Name\":\"x\",\"GroupId\":\"never-made\",\"MemberList\":[{\"Member_Account\":\"c-"
      "nobody\"}]}",
      TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND);
  timchat_test_group_request_code (alice, "get_group_member_info", "{\"GroupId\":\"never-made\"}",
                                   TIM_ERROR_GROUP_NOT_FOUND);
  timchat_test_group_request_code (alice, "create_group", "{\"Type\":\"Private\"}",
                                   TIM_ERROR_INVALID_PARAMETER);
  /* A name of white space (here a space, a tab and an ideographic space) is no name. */
  timchat_test_group_request_code (alice, "create_group",
                                   "{\"Type\":\"Private\",\"Name\":\" \\t\u3000\"}",
                                   TIM_ERROR_INVALID_PARAMETER);
}

static void
test_only_members (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "m-alice");
  g_autoptr (TimchatTestPeer) eve = timchat_test_peer_new (fixture, "m-eve");
  g_autofree char *group = create_group (alice, "[]");
  g_autofree char *send =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                       "\"MsgContent\":{\"Text\":\"x\"}}]}",
                       group);
  g_autofree char *get = g_strdup_printf ("{\"GroupId\":\"%s\",\"ReqMsgNumber\":20}", group);
  g_autofree char *recall =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":1}]}", group);
  g_autofree char *read = g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgReadedSeq\":1}", group);
  g_autofree char *info = g_strdup_printf ("{\"GroupIdList\":[\"%s\",\"@TGS#missing\"]}", group);
  g_autoptr (JsonObject) reply = NULL;

  timchat_test_group_request_code (eve, "send_group_msg", send, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (eve, "group_msg_get", get, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (eve, "group_msg_recall", recall, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (eve, "msg_read_report", read, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (eve, "get_group_member_info", get, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (eve, "send_group_msg",
                                   "{\"GroupId\":\"@TGS#missing\",\"Random\":1,\"MsgBody\":[]}",
                                   TIM_ERROR_GROUP_NOT_FOUND);
  timchat_test_group_request_code (alice, "group_msg_get", "{\"GroupId\":\"@TGS#missing\"}",
                                   TIM_ERROR_GROUP_NOT_FOUND);
  reply = timchat_test_group_request (eve, "get_group_self_member_info", info);
  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.0.ErrorCode"), ==,
                   TIM_ERROR_GROUP_PERMISSION);
  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.1.ErrorCode"), ==,
                   TIM_ERROR_GROUP_NOT_FOUND);

  /* A bad body from a member. */
  g_free (send);
  send = g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":2,\"MsgBody\":[{\"MsgType\":"
                          "\"TIMNopeElem\",\"MsgContent\":{}}]}",
                          group);
  timchat_test_group_request_code (alice, "send_group_msg", send, TIM_ERROR_MSG_BODY_INVALID);

  /* No Random (nor ClientSeq): refused, not taken for a resend of the sender's last such message,
   * which answered OK with that one's sequence and stored and delivered nothing. */
  g_free (send);
  send = g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                          "\"MsgContent\":{\"Text\":\"no random\"}}]}",
                          group);
  timchat_test_group_request_code (alice, "send_group_msg", send, TIM_ERROR_INVALID_PARAMETER);
}

static void
test_membership (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "s-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "s-bob");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "s-carol");
  g_autoptr (TimchatTestPeer) erin = timchat_test_peer_new (fixture, "s-erin");
  g_autoptr (TimchatTestPeer) erin2 = timchat_test_peer_new (fixture, "s-erin");
  g_autofree char *group =
      create_group (alice, "[{\"Member_Account\":\"s-bob\"},{\"Member_Account\":\"s-carol\"}]");
  g_autofree char *add =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"MemberList\":[{\"Member_Account\":\"s-erin\"},{"
                       "\"Member_Account\":\"s-bob\"},{\"Member_Account\":\"s-ghost\"}]}",
                       group);
  g_autofree char *gid = g_strdup_printf ("{\"GroupId\":\"%s\"}", group);
  g_autofree char *admin = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Member_Account\":\"s-bob\",\"Role\":\"Admin\"}", group);
  g_autofree char *kick =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"MemberToDel_Account\":[\"s-carol\"]}", group);
  g_autofree char *info = g_strdup_printf ("{\"GroupIdList\":[\"%s\"]}", group);
  g_autoptr (JsonObject) reply = NULL, members = NULL;

  /* A Work group: any member invites, bob too (only managers in the other types). */
  reply = timchat_test_group_request (bob, "add_group_member", add);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MemberList.0.Result"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MemberList.1.Result"), ==, 2);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MemberList.2.Result"), ==, 0);
  json_object_unref (timchat_test_peer_expect (erin, 5, "GroupTips", "MsgBody.ReportType", 7));
  json_object_unref (
      timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 1)); /* at create */
  {
    g_autoptr (JsonObject) tip =
        timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 1);

    g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.List_Account.0"), ==, "s-erin");
    g_assert_cmpint (timchat_test_json_get_int (tip, "MsgBody.MemberNum"), ==, 4);
  }
  members = timchat_test_group_request (erin, "get_group_member_info", gid);
  g_assert_cmpint (timchat_test_json_get_int (members, "MemberNum"), ==, 4);
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.0.Member_Account"), ==,
                   "s-alice");
  g_assert_cmpstr (timchat_test_json_get_string (members, "MemberList.0.Role"), ==, "Owner");

  timchat_test_group_request_code (bob, "modify_group_member_info", admin,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (alice, "modify_group_member_info", admin, 0);
  json_object_unref (timchat_test_peer_expect (bob, 5, "GroupTips", "MsgBody.ReportType", 9));
  json_object_unref (timchat_test_peer_expect (carol, 4, "GroupTips", "MsgBody.OpType", 4));

  /* Bob, now an admin, removes carol. */
  timchat_test_group_request_code (bob, "delete_group_member", kick, 0);
  json_object_unref (timchat_test_peer_expect (carol, 5, "GroupTips", "MsgBody.ReportType", 4));
  json_object_unref (timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 3));
  timchat_test_group_request_code (carol, "group_msg_get", gid, TIM_ERROR_GROUP_PERMISSION);

  timchat_test_group_request_code (alice, "quit_group", gid, TIM_ERROR_GROUP_OWNER_CANNOT_QUIT);
  timchat_test_group_request_code (erin, "quit_group", gid, 0);
  json_object_unref (timchat_test_peer_expect (erin2, 5, "GroupTips", "MsgBody.ReportType", 8));
  json_object_unref (timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 2));

  timchat_test_group_request_code (bob, "destroy_group", gid, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (alice, "destroy_group", gid, 0);
  json_object_unref (timchat_test_peer_expect (bob, 5, "GroupTips", "MsgBody.ReportType", 5));
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_group_request (bob, "get_group_self_member_info", info);
  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.0.ErrorCode"), ==,
                   TIM_ERROR_GROUP_NOT_FOUND);
  g_free (add);
  add = g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":1,\"MsgBody\":[{\"MsgType\":"
                         "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}",
                         group);
  timchat_test_group_request_code (alice, "send_group_msg", add, TIM_ERROR_GROUP_NOT_FOUND);
}

static void
test_offline_notice (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "o-alice");
  g_autofree char *cookie = NULL;
  g_autofree char *group = NULL;
  g_autofree char *body = NULL;
  g_autoptr (JsonObject) sync = NULL;
  JsonArray *events;
  gboolean found = FALSE;

  {
    g_autoptr (TimchatTestPeer) frank = timchat_test_peer_new (fixture, "o-frank");
    g_autoptr (JsonObject) first = NULL;
    g_autoptr (GError) error = NULL;

    first = timchat_test_client_request_json (frank->c, "openim.getmsg",
                                              "{\"Cookie\":\"\",\"SyncFlag\":0}", &error);
    g_assert_no_error (error);
    cookie = g_strdup (timchat_test_json_get_string (first, "Cookie"));
    g_assert_nonnull (cookie);
  }
  group = create_group (alice, "[{\"Member_Account\":\"o-frank\"}]");
  {
    g_autoptr (TimchatTestPeer) frank = timchat_test_peer_new (fixture, "o-frank");
    g_autoptr (GError) error = NULL;

    body = g_strdup_printf ("{\"Cookie\":\"%s\",\"SyncFlag\":0}", cookie);
    sync = timchat_test_client_request_json (frank->c, "openim.getmsg", body, &error);
    g_assert_no_error (error);
  }
  events = timchat_test_json_get_array (sync, "EventArray");
  g_assert_nonnull (events);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *entry = json_array_get_object_element (events, i);

      if (timchat_test_entry_matches (entry, 5, "GroupTips", "MsgBody.ReportType", 7))
        {
          g_assert_cmpstr (timchat_test_json_get_string (entry, "GroupTips.0.GroupInfo.GroupId"),
                           ==, group);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* Outside a Work group a plain member adds nobody: 10007. */
static void
test_members_add_only_to_work_groups (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "inv-owner");
  g_autoptr (TimchatTestPeer) plain = timchat_test_peer_new (fixture, "inv-plain");
  g_autoptr (TimchatTestPeer) guest = timchat_test_peer_new (fixture, "inv-guest");
  const char *types[] = { "Public", "ChatRoom" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *create = g_strdup_printf (
          "{\"Type\":\"%s\",\"Name\":\"g\",\"MemberList\":[{\"Member_Account\":\"inv-plain\"}]}",
          types[i]);
      g_autoptr (JsonObject) created = timchat_test_group_request (owner, "create_group", create);
      g_autofree char *add = g_strdup_printf (
          "{\"GroupId\":\"%s\",\"MemberList\":[{\"Member_Account\":\"inv-guest\"}]}",
          timchat_test_json_get_string (created, "GroupId"));

      timchat_test_group_request_code (plain, "add_group_member", add, TIM_ERROR_GROUP_PERMISSION);
      timchat_test_group_request_code (owner, "add_group_member", add, 0);
    }
}

/* MaxMemberCount: a group never grows past it, neither at creation nor by adding; a refused
 * add adds nobody, and re-adding a member needs no room. */
static void
test_max_members (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "x-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "x-bob");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "x-carol");
  g_autoptr (TimchatTestPeer) dave = timchat_test_peer_new (fixture, "x-dave");
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) members = NULL;
  g_autofree char *gid = NULL;
  g_autofree char *add_two = NULL;
  g_autofree char *add_carol = NULL;
  g_autofree char *add_dave = NULL;
  g_autofree char *add_bob = NULL;

  /* The owner counts: three invited make four. */
  timchat_test_group_request_code (
      alice, "create_group",
      "{\"Type\":\"Private\",\"Name\":\"g\",\"MaxMemberCount\":3,\"MemberList\":[{"
      "\"Member_Account\":\"x-bob\"},{\"Member_Account\":\"x-carol\"},{"
      "\"Member_Account\":\"x-dave\"}]}",
      TIM_ERROR_GROUP_FULL);
  timchat_test_group_request_code (alice, "create_group",
                                   "{\"Type\":\"Private\",\"Name\":\"g\",\"MaxMemberCount\":0}",
                                   TIM_ERROR_INVALID_PARAMETER);
  timchat_test_group_request_code (alice, "create_group",
                                   "{\"Type\":\"Private\",\"Name\":\"g\",\"MaxMemberCount\":-5}",
                                   TIM_ERROR_INVALID_PARAMETER);
  /* Past 32 bits it was cut to what was left over: 2^32 + 1 made a group of one. */
  timchat_test_group_request_code (
      alice, "create_group", "{\"Type\":\"Private\",\"Name\":\"g\",\"MaxMemberCount\":4294967297}",
      TIM_ERROR_INVALID_PARAMETER);

  created = timchat_test_group_request (
      alice, "create_group",
      "{\"Type\":\"Private\",\"Name\":\"g\",\"MaxMemberCount\":3,\"MemberList\":[{"
      "\"Member_Account\":\"x-bob\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  gid = g_strdup_printf ("{\"GroupId\":\"%s\"}", timchat_test_json_get_string (created, "GroupId"));
#define ADD_BODY(...)                                                                              \
  g_strdup_printf ("{\"GroupId\":\"%s\",\"MemberList\":[" __VA_ARGS__ "]}",                        \
                   timchat_test_json_get_string (created, "GroupId"))
  add_two = ADD_BODY ("{\"Member_Account\":\"x-carol\"},{\"Member_Account\":\"x-dave\"}");
  add_carol = ADD_BODY ("{\"Member_Account\":\"x-carol\"}");
  add_dave = ADD_BODY ("{\"Member_Account\":\"x-dave\"}");
  add_bob = ADD_BODY ("{\"Member_Account\":\"x-bob\"}");
#undef ADD_BODY

  timchat_test_group_request_code (alice, "add_group_member", add_two, TIM_ERROR_GROUP_FULL);
  timchat_test_group_request_code (carol, "group_msg_get", gid, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (alice, "add_group_member", add_carol, 0);
  timchat_test_group_request_code (alice, "add_group_member", add_dave, TIM_ERROR_GROUP_FULL);
  timchat_test_group_request_code (dave, "group_msg_get", gid, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (alice, "add_group_member", add_bob, 0);

  members = timchat_test_group_request (bob, "get_group_member_info", gid);
  g_assert_cmpint (timchat_test_json_get_int (members, "MemberNum"), ==, 3);
}

static char *
mute_body (const char *group, const char *user, gint64 seconds)
{
  return g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Member_Account\":\"%s\",\"ShutUpTime\":%" G_GINT64_FORMAT "}", group,
      user, seconds);
}

/* setGroupMemberMuteTime (modify_group_member_info's ShutUpTime): a muted member cannot post
 * (10017) until unmuted or until the time runs out; every member hears tip 7 with the seconds;
 * the member list says until when. The owner mutes anyone but themself, an admin plain members
 * only, a plain member nobody. A resend of a message stored before the mute is answered as sent. */
static void
test_mute_member (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "mu-owner");
  g_autoptr (TimchatTestPeer) admin = timchat_test_peer_new (fixture, "mu-admin");
  g_autoptr (TimchatTestPeer) pat = timchat_test_peer_new (fixture, "mu-pat");
  g_autofree char *group =
      create_group (owner, "[{\"Member_Account\":\"mu-admin\",\"Role\":\"Admin\"},"
                           "{\"Member_Account\":\"mu-pat\"}]");
  g_autofree char *mute_pat = mute_body (group, "mu-pat", 600);
  g_autofree char *unmute_pat = mute_body (group, "mu-pat", 0);
  g_autofree char *briefly = mute_body (group, "mu-pat", 1);
  g_autofree char *mute_admin = mute_body (group, "mu-admin", 600);
  g_autofree char *mute_owner = mute_body (group, "mu-owner", 600);
  g_autofree char *negative = mute_body (group, "mu-pat", -1);
  g_autoptr (JsonObject) tip = NULL, muted = NULL;

  timchat_test_group_request_code (pat, "modify_group_member_info", mute_admin,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (admin, "modify_group_member_info", mute_owner,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (owner, "modify_group_member_info", mute_owner,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (owner, "modify_group_member_info", negative,
                                   TIM_ERROR_INVALID_PARAMETER);

  timchat_test_group_request_code (admin, "modify_group_member_info", mute_pat, 0);
  tip = timchat_test_peer_expect (owner, 4, "GroupTips", "MsgBody.OpType", 7);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.Operator_Account"), ==, "mu-admin");
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.MsgMemberExtraInfo.0.UserId"), ==,
                   "mu-pat");
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgBody.MsgMemberExtraInfo.0.ShutupTime"), ==,
                   600);
  timchat_test_group_send_code (pat, group, 701, TIM_ERROR_GROUP_MUTED);
  timchat_test_group_send_code (admin, group, 702, 0);
  muted = timchat_test_group_member (owner, group, "mu-pat");
  g_assert_nonnull (muted);
  g_assert_cmpint (timchat_test_json_get_int (muted, "ShutUpUntil"), >,
                   g_get_real_time () / G_USEC_PER_SEC + 500);

  /* The owner mutes an admin; unmuted, pat posts again. */
  timchat_test_group_request_code (owner, "modify_group_member_info", mute_admin, 0);
  timchat_test_group_send_code (admin, group, 703, TIM_ERROR_GROUP_MUTED);
  timchat_test_group_request_code (owner, "modify_group_member_info", unmute_pat, 0);
  timchat_test_group_send_code (pat, group, 704, 0);

  /* A second's mute runs out by itself. A resend of what pat posted before it (its reply lost)
   * is no new post: it is answered as the first was. */
  timchat_test_group_request_code (owner, "modify_group_member_info", briefly, 0);
  timchat_test_group_send_code (pat, group, 704, 0);
  timchat_test_group_send_code (pat, group, 705, TIM_ERROR_GROUP_MUTED);
  g_usleep (2100 * 1000);
  timchat_test_group_send_code (pat, group, 706, 0);
}

int
main (int argc, char **argv)
{
  const char *conf[] = { "limits/recall_seconds=1", "limits/group_rate=0", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server-group/create-tips-notices", test_create_tips_notices);
  g_test_add_func ("/server-group/only-members", test_only_members);
  g_test_add_func ("/server-group/membership", test_membership);
  g_test_add_func ("/server-group/members-add-only-to-work-groups",
                   test_members_add_only_to_work_groups);
  g_test_add_func ("/server-group/max-members", test_max_members);
  g_test_add_func ("/server-group/offline-notice", test_offline_notice);
  g_test_add_func ("/server-group/mute-member", test_mute_member);
  ret = g_test_run ();
  timchat_fixture_free (fixture);
  return ret;
}
