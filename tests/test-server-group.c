/* test-server-group.c: groups against the real timchat-server over real WebSockets: create with
 * tips and system notices, member-only rules, consecutive seqs, resend dedup, fan-out to members
 * and the sender's other devices, history paging, recall, read reports, membership changes. */
#define G_LOG_DOMAIN "test-server-group"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static char *
create_group (TimchatTestPeer *owner, const char *members_json)
{
  char *group_id = timchat_test_group_create (owner, "Private", "g", NULL, members_json);

  g_assert_true (g_str_has_prefix (group_id, "@TGS#"));
  return group_id;
}

static gint64
send_text (TimchatTestPeer *p, const char *group, const char *text, gint64 random,
           const char *priority, gint64 *time_out)
{
  g_autofree char *body = g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT
                                           ",\"ClientSeq\":%" G_GINT64_FORMAT
                                           ",\"MsgPriority\":\"%s\",\"MsgBody\":[{\"MsgType\":"
                                           "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
                                           group, random, random + 1, priority, text);
  g_autoptr (JsonObject) reply = timchat_test_group_request (p, "send_group_msg", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  if (time_out != NULL)
    *time_out = timchat_test_json_get_int (reply, "MsgTime");
  return timchat_test_json_get_int (reply, "MsgSeq");
}

static JsonObject *
history (TimchatTestPeer *p, const char *group, gint64 seq, gint64 number)
{
  g_autofree char *body =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"ReqMsgSeq\":%" G_GINT64_FORMAT
                       ",\"ReqMsgNumber\":%" G_GINT64_FORMAT ",\"WithRecalledMsg\":1}",
                       group, seq, number);
  JsonObject *reply = timchat_test_group_request (p, "group_msg_get", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return reply;
}

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
test_send_fanout_dedup (void)
{
  g_autoptr (TimchatTestPeer) a1 = timchat_test_peer_new (fixture, "f-alice");
  g_autoptr (TimchatTestPeer) a2 = timchat_test_peer_new (fixture, "f-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "f-bob");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "f-carol");
  g_autoptr (TimchatTestPeer) dave = timchat_test_peer_new (fixture, "f-dave");
  g_autofree char *group = create_group (a1, "[{\"Member_Account\":\"f-bob\"},{\"Member_Account\":"
                                             "\"f-carol\"},{\"Member_Account\":\"f-dave\"}]");
  TimchatTestPeer *receivers[] = { a2, bob, carol, dave };
  gint64 time1 = 0, time_again = 0;

  g_assert_cmpint (send_text (a1, group, "one", 1001, "Normal", &time1), ==, 2);
  g_assert_cmpint (send_text (a1, group, "two", 1002, "High", NULL), ==, 3);
  g_assert_cmpint (send_text (a1, group, "three", 1003, "Low", NULL), ==, 4);
  for (guint r = 0; r < G_N_ELEMENTS (receivers); r++)
    for (gint64 seq = 2; seq <= 4; seq++)
      {
        g_autoptr (JsonObject) item =
            timchat_test_peer_expect (receivers[r], 3, "GroupMsgArray", "MsgSeq", seq);

        g_assert_cmpstr (timchat_test_json_get_string (item, "From_Account"), ==, "f-alice");
        g_assert_cmpstr (timchat_test_json_get_string (item, "GroupInfo.GroupId"), ==, group);
        g_assert_cmpstr (timchat_test_json_get_string (item, "ToGroupId"), ==, group);
        g_assert_cmpstr (timchat_test_json_get_string (item, "TinyId"), ==,
                         timchat_test_client_get_tinyid (a1->c));
        if (seq == 3)
          g_assert_cmpstr (timchat_test_json_get_string (item, "MsgPriority"), ==, "High");
      }
  /* Not echoed to the sending socket. */
  g_assert_cmpint (timchat_test_peer_count (a1, 3, "GroupMsgArray", NULL, 0, 300), ==, 0);

  /* A resend: same answer, nothing new delivered or stored. */
  g_assert_cmpint (send_text (a1, group, "one", 1001, "Normal", &time_again), ==, 2);
  g_assert_cmpint (time_again, ==, time1);
  g_assert_cmpint (timchat_test_peer_count (bob, 3, "GroupMsgArray", NULL, 0, 300), ==, 0);

  /* Online only: delivered, no seq, not in history. */
  {
    g_autofree char *body = g_strdup_printf (
        "{\"GroupId\":\"%s\",\"Random\":7,\"OnlineOnlyFlag\":1,\"MsgPriority\":2,"
        "\"MsgBody\":[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"typing\"}}]}",
        group);
    g_autoptr (JsonObject) reply = timchat_test_group_request (bob, "send_group_msg", body);
    g_autoptr (JsonObject) item = NULL;
    g_autoptr (JsonObject) hist = NULL;

    g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    g_assert_cmpint (timchat_test_json_get_int (reply, "MsgSeq"), ==, 0);
    item = timchat_test_peer_expect (carol, 3, "GroupMsgArray", "OnlineOnlyFlag", 1);
    g_assert_cmpstr (timchat_test_json_get_string (item, "MsgBody.0.MsgContent.Data"), ==,
                     "typing");
    hist = history (bob, group, 0, 21);
    g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (hist, "RspMsgList")), ==,
                     4);
  }
  g_assert_cmpint (send_text (bob, group, "four", 2001, "Normal", NULL), ==, 5);
}

static void
test_history_paging (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "h-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "h-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"h-bob\"}]");
  g_autoptr (JsonObject) page1 = NULL, page2 = NULL;
  JsonArray *list;

  for (int i = 0; i < 30; i++)
    g_assert_cmpint (send_text (alice, group, "h", 100 + i * 2, "Normal", NULL), ==, i + 2);
  /* 31 items (tip + 30). ReqMsgNumber above 21 is clamped. */
  page1 = history (bob, group, 31, 50);
  list = timchat_test_json_get_array (page1, "RspMsgList");
  g_assert_cmpint (json_array_get_length (list), ==, 21);
  g_assert_cmpint (timchat_test_json_get_int (page1, "RspMsgList.0.MsgSeq"), ==, 31);
  g_assert_cmpint (timchat_test_json_get_int (page1, "RspMsgList.20.MsgSeq"), ==, 11);
  g_assert_cmpint (timchat_test_json_get_int (page1, "IsFinished"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (page1, "RspMsgList.0.From_Account"), ==,
                   "h-alice");
  g_assert_cmpint (timchat_test_json_get_int (page1, "RspMsgList.0.IsPlaceMsg"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (page1, "RspMsgList.0.MsgRandom"), ==, 158);

  page2 = history (bob, group, 10, 21);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (page2, "RspMsgList")), ==,
                   10);
  g_assert_cmpint (timchat_test_json_get_int (page2, "RspMsgList.0.MsgSeq"), ==, 10);
  g_assert_cmpint (timchat_test_json_get_int (page2, "RspMsgList.9.MsgSeq"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (page2, "IsFinished"), ==, 1);
}

static void
test_recall (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "r-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "r-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"r-bob\"}]");
  gint64 a = send_text (alice, group, "from alice", 11, "Normal", NULL);
  gint64 b = send_text (bob, group, "from bob", 21, "Normal", NULL);
  g_autofree char *by_sender = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}", group, b);
  g_autofree char *not_mine = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "},{\"MsgSeq\":99}]}",
      group, a);
  g_autoptr (JsonObject) reply = NULL, notice = NULL, hist = NULL;
  gint64 late;

  reply = timchat_test_group_request (bob, "group_msg_recall", by_sender);
  g_assert_cmpint (timchat_test_json_get_int (reply, "RecallRetList.0.RetCode"), ==, 0);
  notice = timchat_test_peer_expect (alice, 5, "GroupTips",
                                     "MsgBody.GroupWithdrawInfoArray.0.MsgSeq", b);
  g_assert_cmpint (timchat_test_json_get_int (notice, "MsgBody.GroupWithdrawInfoArray.0.MsgRand"),
                   ==, 21);
  g_assert_cmpstr (timchat_test_json_get_string (notice, "GroupInfo.GroupId"), ==, group);
  g_clear_pointer (&reply, json_object_unref);

  reply = timchat_test_group_request (bob, "group_msg_recall", by_sender);
  g_assert_cmpint (timchat_test_json_get_int (reply, "RecallRetList.0.RetCode"), ==,
                   TIM_ERROR_GROUP_RECALL_NOT_FOUND);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_group_request (bob, "group_msg_recall", not_mine);
  g_assert_cmpint (timchat_test_json_get_int (reply, "RecallRetList.0.RetCode"), ==,
                   TIM_ERROR_GROUP_PERMISSION);
  g_assert_cmpint (timchat_test_json_get_int (reply, "RecallRetList.1.RetCode"), ==,
                   TIM_ERROR_GROUP_RECALL_NOT_FOUND);

  hist = history (alice, group, 0, 21);
  g_assert_cmpint (timchat_test_json_get_int (hist, "RspMsgList.0.MsgSeq"), ==, b);
  g_assert_cmpint (timchat_test_json_get_int (hist, "RspMsgList.0.IsPlaceMsg"), ==, 2);
  g_assert_cmpint (timchat_test_json_get_int (hist, "RspMsgList.1.IsPlaceMsg"), ==, 0);

  /* recall_seconds = 1 in this fixture. */
  late = send_text (bob, group, "late", 31, "Normal", NULL);
  g_usleep (2100 * G_USEC_PER_SEC / 1000);
  {
    g_autofree char *body = g_strdup_printf (
        "{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}", group, late);
    g_autoptr (JsonObject) too_late = timchat_test_group_request (bob, "group_msg_recall", body);
    g_autoptr (JsonObject) by_owner = NULL;

    g_assert_cmpint (timchat_test_json_get_int (too_late, "RecallRetList.0.RetCode"), ==,
                     TIM_ERROR_GROUP_RECALL_TOO_LATE);
    /* The owner may recall anything, any time. */
    by_owner = timchat_test_group_request (alice, "group_msg_recall", body);
    g_assert_cmpint (timchat_test_json_get_int (by_owner, "RecallRetList.0.RetCode"), ==, 0);
  }
}

/* Where the first of p's kept push entries that matches is, -1 if none (the entries are kept in
 * the order they came). */
static int
entry_index (TimchatTestPeer *p, gint64 event, const char *key, const char *path, gint64 value)
{
  for (guint i = 0; i < p->seen->len; i++)
    if (timchat_test_entry_matches (p->seen->pdata[i], event, key, path, value))
      return (int) i;
  return -1;
}

/* A message recalled while its fan-out still waits in the limiter's queue (here the sender's
 * recall is read with the send, in one main-loop iteration; a backlog in the queue does the same
 * for longer): the members must hear of the recall after the message. A client drops the recall
 * of a message it does not have (libtim's apply_recall), and the message that came after it
 * showed, its text and all, although its sender had taken it back. */
static void
test_recall_before_fanout (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "rf-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rf-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"rf-bob\"}]");
  g_autoptr (TimchatTestRawWs) phone = timchat_test_raw_ws_login (fixture, "rf-alice");
  g_autofree char *send_body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Random\":31,\"ClientSeq\":32,\"MsgPriority\":\"Normal\","
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"oops\"}}]}",
      group);
  /* The join tip is seq 1: the message is seq 2. */
  g_autofree char *recall_body =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":2}]}", group);
  g_autofree char *send =
      timchat_test_frame_json (fixture, "group_open_http_svc.send_group_msg", 2, NULL, send_body);
  g_autofree char *recall = timchat_test_frame_json (
      fixture, "group_open_http_svc.group_msg_recall", 3, NULL, recall_body);
  const char *const frames[] = { send, recall, NULL };
  g_autoptr (JsonObject) sent = NULL, recalled = NULL, tip = NULL;
  int message_at, notice_at;

  tip = timchat_test_peer_expect (bob, 4, "GroupTips", "MsgSeq", 1);
  timchat_test_raw_ws_send_json_together (phone, frames);
  sent = timchat_test_raw_ws_read_reply (phone, "group_open_http_svc.send_group_msg", 2);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (sent, "MsgSeq"), ==, 2);
  recalled = timchat_test_raw_ws_read_reply (phone, "group_open_http_svc.group_msg_recall", 3);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.0.RetCode"), ==, 0);

  g_assert_cmpuint (timchat_test_peer_count (bob, 3, "GroupMsgArray", "MsgSeq", 2, 500), ==, 1);
  g_assert_cmpuint (timchat_test_peer_count (bob, 5, "GroupTips",
                                             "MsgBody.GroupWithdrawInfoArray.0.MsgSeq", 2, 500),
                    ==, 1);
  message_at = entry_index (bob, 3, "GroupMsgArray", "MsgSeq", 2);
  notice_at = entry_index (bob, 5, "GroupTips", "MsgBody.GroupWithdrawInfoArray.0.MsgSeq", 2);
  g_assert_cmpint (message_at, <, notice_at);
}

static void
test_read_report (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "rr-alice");
  g_autoptr (TimchatTestPeer) b1 = timchat_test_peer_new (fixture, "rr-bob");
  g_autoptr (TimchatTestPeer) b2 = timchat_test_peer_new (fixture, "rr-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"rr-bob\"}]");
  g_autofree char *body = NULL;
  g_autoptr (JsonObject) item = NULL, joined = NULL;
  gint64 seq = 0;

  for (int i = 0; i < 3; i++)
    seq = send_text (alice, group, "r", 500 + i * 2, "Normal", NULL);
  body = g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgReadedSeq\":%" G_GINT64_FORMAT "}", group, seq);
  timchat_test_group_request_code (b1, "msg_read_report", body, 0);
  item = timchat_test_peer_expect (b2, 5, "GroupTips",
                                   "MsgBody.GroupReadInfoArray.0.LastReadMsgSeq", seq);
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgBody.GroupReadInfoArray.0.GroupId"), ==,
                   group);
  /* Not to the reporting socket. */
  g_assert_cmpint (timchat_test_peer_count (
                       b1, 5, "GroupTips", "MsgBody.GroupReadInfoArray.0.LastReadMsgSeq", seq, 200),
                   ==, 0);
  joined = timchat_test_group_request (b2, "get_joined_group_list", "{\"Limit\":50,\"Offset\":0}");
  g_assert_cmpint (timchat_test_json_get_int (joined, "GroupIdList.0.SelfInfo.MsgSeq"), ==, seq);
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

/* MaxMemberCount: a group never grows past it, neither at creation nor by adding; a refused
 * add adds nobody, and re-adding a member needs no room. */
/* user's unread count of group as the conversation list and as the joined group list say it:
 * they must agree (a fresh login reads the one, the Web SDK live counts as the other). */
static gint64
unread_of (TimchatTestPeer *p, const char *user, const char *group)
{
  g_autoptr (JsonObject) item = timchat_test_session_item (p->c, 2, group);
  g_autofree char *body = g_strdup_printf ("{\"Member_Account\":\"%s\",\"Limit\":50}", user);
  g_autoptr (JsonObject) joined = timchat_test_group_request (p, "get_joined_group_list", body);
  JsonArray *groups = timchat_test_json_get_array (joined, "GroupIdList");
  gint64 from_list = -1;

  g_assert_nonnull (item);
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    {
      JsonObject *entry = json_array_get_object_element (groups, i);

      if (g_strcmp0 (timchat_test_json_get_string (entry, "GroupId"), group) == 0)
        from_list = timchat_test_json_get_int (entry, "SelfInfo.UnreadMsgNum");
    }
  g_assert_cmpint (timchat_test_json_get_int (item, "UnreadMsgCount"), ==, from_list);
  return from_list;
}

/* What counts unread in a group, everywhere alike: what others posted past the read mark, their
 * tips too (the Web SDK counts each it receives), not recalled ones; never one's own. The
 * audit's case: the join tip, the SDK's own "group_create" message from the creator, two texts. */
static void
test_unread_counts_agree (void)
{
  g_autoptr (TimchatTestPeer) ann = timchat_test_peer_new (fixture, "ur-ann");
  g_autoptr (TimchatTestPeer) ben = timchat_test_peer_new (fixture, "ur-ben");
  g_autofree char *group = create_group (ann, "[{\"Member_Account\":\"ur-ben\"}]");
  g_autofree char *created = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Random\":5,\"MsgBody\":[{\"MsgType\":\"TIMCustomElem\","
      "\"MsgContent\":{\"Data\":\"group_create\",\"Desc\":\"\",\"Ext\":\"\"}}]}",
      group);
  gint64 second;
  g_autofree char *recall = NULL;

  timchat_test_group_request_code (ann, "send_group_msg", created, 0);
  send_text (ann, group, "x1", 6, "Normal", NULL);
  second = send_text (ann, group, "x2", 7, "Normal", NULL);
  g_assert_cmpint (second, ==, 4);
  g_assert_cmpint (unread_of (ben, "ur-ben", group), ==, 4);
  g_assert_cmpint (unread_of (ann, "ur-ann", group), ==, 0);

  recall = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}", group, second);
  timchat_test_group_request_code (ann, "group_msg_recall", recall, 0);
  g_assert_cmpint (unread_of (ben, "ur-ben", group), ==, 3);
  send_text (ben, group, "mine", 8, "Normal", NULL);
  g_assert_cmpint (unread_of (ben, "ur-ben", group), ==, 3);
  g_assert_cmpint (unread_of (ann, "ur-ann", group), ==, 1);
}

static gint64
send_controlled (TimchatTestPeer *p, const char *group, const char *text, gint64 random,
                 const char *control)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT ",\"SendMsgControl\":%s,\"MsgBody\":[{"
      "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
      group, random, control, text);
  g_autoptr (JsonObject) reply = timchat_test_group_request (p, "send_group_msg", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return timchat_test_json_get_int (reply, "MsgSeq");
}

/* "u" for SendMsgControl.NoUnread 1, "l" for NoLastMsg 1, as the SDK reads a received item. */
static char *
control_of (JsonObject *item)
{
  return g_strdup_printf (
      "%s%s", timchat_test_json_get_int (item, "SendMsgControl.NoUnread") == 1 ? "u" : "",
      timchat_test_json_get_int (item, "SendMsgControl.NoLastMsg") == 1 ? "l" : "");
}

/* SendMsgControl in a group: NoUnread messages are in no member's unread count (the conversation
 * list's and the joined group list's agree), NoLastMsg ones are never the list's last message;
 * pushes and history carry the flags; a fresh login sees the same. */
static void
test_send_msg_control (void)
{
  g_autoptr (TimchatTestPeer) ann = timchat_test_peer_new (fixture, "gc-ann");
  g_autoptr (TimchatTestPeer) ben = timchat_test_peer_new (fixture, "gc-ben");
  g_autoptr (TimchatTestPeer) fresh = NULL;
  g_autofree char *group = create_group (ann, "[{\"Member_Account\":\"gc-ben\"}]");
  g_autoptr (JsonObject) item = NULL;
  g_autoptr (JsonObject) older = NULL;
  static const char *const expected[] = { "", "u", "l", "ul" };
  gint64 base, seqs[4];
  char *flags;

  base = unread_of (ben, "gc-ben", group);
  seqs[0] = send_text (ann, group, "plain", 31, "Normal", NULL);
  seqs[1] = send_controlled (ann, group, "quiet", 32, "[\"NoUnread\"]");
  seqs[2] = send_controlled (ann, group, "unlisted", 33, "[\"NoLastMsg\"]");
  seqs[3] = send_controlled (ann, group, "silent", 34, "[\"NoUnread\",\"NoLastMsg\"]");

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (JsonObject) push =
          timchat_test_peer_expect (ben, 3, "GroupMsgArray", "MsgSeq", seqs[i]);

      flags = control_of (push);
      g_assert_cmpstr (flags, ==, expected[i]);
      g_free (flags);
    }
  older = history (ben, group, 0, 4);
  for (guint i = 0; i < 4; i++) /* newest first */
    {
      flags = control_of (
          json_array_get_object_element (timchat_test_json_get_array (older, "RspMsgList"), 3 - i));
      g_assert_cmpstr (flags, ==, expected[i]);
      g_free (flags);
    }

  /* plain and unlisted: two more unread; quiet the last message, for the sender as well. */
  g_assert_cmpint (unread_of (ben, "gc-ben", group), ==, base + 2);
  g_assert_cmpint (unread_of (ann, "gc-ann", group), ==, 0);
  item = timchat_test_session_item (ben->c, 2, group);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgSeq"), ==, seqs[1]);
  g_assert_cmpstr (timchat_test_json_get_string (item, "LastMsg.MsgBody.0.MsgContent.Text"), ==,
                   "quiet");
  g_clear_pointer (&item, json_object_unref);
  item = timchat_test_session_item (ann->c, 2, group);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgSeq"), ==, seqs[1]);
  g_clear_pointer (&item, json_object_unref);

  fresh = timchat_test_peer_new (fixture, "gc-ben");
  g_assert_cmpint (unread_of (fresh, "gc-ben", group), ==, base + 2);
  item = timchat_test_session_item (fresh->c, 2, group);
  g_assert_cmpstr (timchat_test_json_get_string (item, "LastMsg.MsgBody.0.MsgContent.Text"), ==,
                   "quiet");
  g_assert_false (timchat_test_json_has (item, "NoUnreadSeqList"));

  /* Not a list of strings: refused, nothing stored. */
  {
    g_autofree char *bad = g_strdup_printf (
        "{\"GroupId\":\"%s\",\"Random\":35,\"SendMsgControl\":[true],\"MsgBody\":[{"
        "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"bad\"}}]}",
        group);

    timchat_test_group_request_code (ann, "send_group_msg", bad, TIM_ERROR_INVALID_PARAMETER);
  }
  g_assert_cmpint (send_text (ann, group, "after", 36, "Normal", NULL), ==, seqs[3] + 1);
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
  g_test_add_func ("/server-group/send-fanout-dedup", test_send_fanout_dedup);
  g_test_add_func ("/server-group/history-paging", test_history_paging);
  g_test_add_func ("/server-group/recall", test_recall);
  g_test_add_func ("/server-group/recall-before-fanout", test_recall_before_fanout);
  g_test_add_func ("/server-group/read-report", test_read_report);
  g_test_add_func ("/server-group/membership", test_membership);
  g_test_add_func ("/server-group/unread-counts-agree", test_unread_counts_agree);
  g_test_add_func ("/server-group/send-msg-control", test_send_msg_control);
  g_test_add_func ("/server-group/members-add-only-to-work-groups",
                   test_members_add_only_to_work_groups);
  g_test_add_func ("/server-group/max-members", test_max_members);
  g_test_add_func ("/server-group/offline-notice", test_offline_notice);
  g_test_add_func ("/server-group/mute-member", test_mute_member);
  ret = g_test_run ();
  timchat_fixture_free (fixture);
  return ret;
}
