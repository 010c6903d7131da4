/* test-server-group-messages.c: a group's messages against the real timchat-server over real
 * WebSockets: consecutive seqs, resend dedup, fan-out to members and the sender's other devices,
 * online-only messages, history paging, recall (also before its fan-out went), read reports,
 * unread counts that agree everywhere, SendMsgControl. Split from test-server-group.c (by theme:
 * messages here, creating groups and their members in test-server-group-members.c) to keep each
 * program short; one server per program, configured as before. */
#define G_LOG_DOMAIN "test-server-group-messages"

#include "config.h"

#include <string.h>

#include "test-server-group-common.h"
#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

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

int
main (int argc, char **argv)
{
  const char *conf[] = { "limits/recall_seconds=1", "limits/group_rate=0", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server-group/send-fanout-dedup", test_send_fanout_dedup);
  g_test_add_func ("/server-group/history-paging", test_history_paging);
  g_test_add_func ("/server-group/recall", test_recall);
  g_test_add_func ("/server-group/recall-before-fanout", test_recall_before_fanout);
  g_test_add_func ("/server-group/read-report", test_read_report);
  g_test_add_func ("/server-group/unread-counts-agree", test_unread_counts_agree);
  g_test_add_func ("/server-group/send-msg-control", test_send_msg_control);
  ret = g_test_run ();
  timchat_fixture_free (fixture);
  return ret;
}
