/* test-server-group-history.c: whose a group's kept messages are, against the real timchat-server
 * over real WebSockets: a member of a Work or Public group reads only what came after they joined
 * (a re-join starts again from then), a Meeting's member everything (tim-rest-facts.md §5.0), in
 * every path that shows or touches a message: history pages, the conversation list, recall, edit
 * and delete-for-me; and an AVChatRoom's to nobody. */
#define G_LOG_DOMAIN "test-server-group-history"

#include "config.h"

#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static char *
create_group (TimchatTestPeer *owner, const char *type, const char *members_json)
{
  return timchat_test_group_create (owner, type, "g", "FreeAccess", members_json);
}

static gint64
send_text (TimchatTestPeer *p, const char *group, const char *text, gint64 random)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT ",\"ClientSeq\":%" G_GINT64_FORMAT
      ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
      group, random, random, text);
  g_autoptr (JsonObject) reply = timchat_test_group_request (p, "send_group_msg", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return timchat_test_json_get_int (reply, "MsgSeq");
}

static void
add_member (TimchatTestPeer *manager, const char *group, const char *user)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"MemberList\":[{\"Member_Account\":\"%s\"}]}", group, user);
  g_autoptr (JsonObject) reply = timchat_test_group_request (manager, "add_group_member", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MemberList.0.Result"), ==, 1);
}

/* The texts of p's history of group (tips left out), oldest first, each followed by a space. */
static char *
history_texts (TimchatTestPeer *p, const char *group)
{
  g_autofree char *body =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"ReqMsgNumber\":20,\"WithRecalledMsg\":1}", group);
  g_autoptr (JsonObject) reply = timchat_test_group_request (p, "group_msg_get", body);
  JsonArray *list = timchat_test_json_get_array (reply, "RspMsgList");
  GString *texts = g_string_new ("");

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (list);
  for (guint i = json_array_get_length (list); i > 0; i--)
    {
      JsonObject *item = json_array_get_object_element (list, i - 1);

      if (timchat_test_json_get_int (item, "Event") != 4)
        g_string_append_printf (texts, "%s ",
                                timchat_test_json_get_string (item, "MsgBody.0.MsgContent.Text"));
    }
  return g_string_free (texts, FALSE);
}

/* The text of the last message of p's conversation with group in their list, "" for none. */
static char *
listed_last_text (TimchatTestPeer *p, const char *group)
{
  g_autoptr (JsonObject) item = timchat_test_session_item (p->c, 2, group);
  const char *text;

  g_assert_nonnull (item);
  text = timchat_test_json_get_string (item, "LastMsg.MsgBody.0.MsgContent.Text");
  return g_strdup (text != NULL ? text : "");
}

static gint64
recall_code (TimchatTestPeer *p, const char *group, gint64 seq)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}", group, seq);
  g_autoptr (JsonObject) reply = timchat_test_group_request (p, "group_msg_recall", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return timchat_test_json_get_int (reply, "RecallRetList.0.RetCode");
}

static gint64
edit_code (TimchatTestPeer *p, const char *group, gint64 seq)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      p->c, "openim.modify_group_msg",
      "{\"GroupId\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT ",\"MsgVersion\":0,\"MsgBody\":[{"
      "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"edited\"}}]}",
      group, seq);

  return timchat_test_json_get_int (reply, "ErrorCode");
}

/* A Work group's newcomer, and the same member again after they quit: history, the conversation
 * list's last message, and recall, edit and delete-for-me of what came before the join. */
static void
test_work_member_reads_from_join (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "w-alice");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "w-carol");
  g_autoptr (TimchatTestPeer) carol2 = timchat_test_peer_new (fixture, "w-carol");
  g_autofree char *group = create_group (alice, "Private", "[]");
  g_autofree char *gid = g_strdup_printf ("{\"GroupId\":\"%s\"}", group);
  g_autofree char *texts = NULL, *last = NULL, *delete = NULL;
  g_autoptr (JsonObject) reply = NULL;
  gint64 secret, mine;

  send_text (alice, group, "secret", 1);
  secret = send_text (alice, group, "secret2", 2);
  add_member (alice, group, "w-carol");
  g_assert_cmpstr ((texts = history_texts (carol, group)), ==, "");
  g_clear_pointer (&texts, g_free);
  /* Only the join tip came since: the list does not show the message before it. */
  g_assert_cmpstr ((last = listed_last_text (carol, group)), ==, "");
  g_clear_pointer (&last, g_free);
  send_text (alice, group, "welcome", 3);
  mine = send_text (carol, group, "mine", 4);
  g_assert_cmpstr ((texts = history_texts (carol, group)), ==, "welcome mine ");
  g_clear_pointer (&texts, g_free);
  /* The owner still reads all of it. */
  g_assert_cmpstr ((texts = history_texts (alice, group)), ==, "secret secret2 welcome mine ");
  g_clear_pointer (&texts, g_free);

  /* Not to be recalled, edited or deleted by one who never saw it, even as an admin. */
  g_assert_cmpint (edit_code (alice, group, secret), ==, 0);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_group_request (
      alice, "modify_group_member_info",
      (delete = g_strdup_printf (
           "{\"GroupId\":\"%s\",\"Member_Account\":\"w-carol\",\"Role\":\"Admin\"}", group)));
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_clear_pointer (&delete, g_free);
  g_assert_cmpint (recall_code (carol, group, secret), ==, TIM_ERROR_GROUP_RECALL_NOT_FOUND);
  g_assert_cmpint (edit_code (carol, group, secret), ==, TIM_ERROR_MSG_MODIFY_NOT_FOUND);
  delete = g_strdup_printf ("{\"GroupId\":\"%s\",\"Seqs\":[%" G_GINT64_FORMAT "]}", group, secret);
  timchat_test_group_request_code (carol, "delete_group_ramble_msg_by_seq", delete, 0);
  g_assert_cmpuint (timchat_test_peer_count (carol2, 9, "C2cNotifyMsgArray", NULL, 0, 300), ==, 0);

  /* Carol quits; what is said while she is away, and what she said before, are not hers when she
   * is back. */
  timchat_test_group_request_code (carol, "quit_group", gid, 0);
  send_text (alice, group, "away", 5);
  add_member (alice, group, "w-carol");
  g_assert_cmpstr ((texts = history_texts (carol, group)), ==, "");
  g_clear_pointer (&texts, g_free);
  g_assert_cmpint (recall_code (carol, group, mine), ==, TIM_ERROR_GROUP_RECALL_NOT_FOUND);
  g_assert_cmpint (edit_code (carol, group, mine), ==, TIM_ERROR_MSG_MODIFY_NOT_FOUND);
  send_text (alice, group, "again", 6);
  g_assert_cmpstr ((texts = history_texts (carol, group)), ==, "again ");
  g_assert_cmpstr ((last = listed_last_text (carol, group)), ==, "again");
}

/* A Public group's member added later reads from the join; a Meeting's (an old ChatRoom's)
 * newcomer reads what came before. */
static void
test_public_and_meeting (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "p-alice");
  g_autoptr (TimchatTestPeer) dave = timchat_test_peer_new (fixture, "p-dave");
  g_autoptr (TimchatTestPeer) erin = timchat_test_peer_new (fixture, "p-erin");
  g_autofree char *pub = create_group (alice, "Public", "[]");
  g_autofree char *meeting = create_group (alice, "ChatRoom", "[]");
  g_autofree char *texts = NULL;
  g_autofree char *join = g_strdup_printf ("{\"GroupId\":\"%s\"}", meeting);

  send_text (alice, pub, "old", 1);
  send_text (alice, meeting, "old", 2);
  add_member (alice, pub, "p-dave");
  g_assert_cmpstr ((texts = history_texts (dave, pub)), ==, "");
  g_clear_pointer (&texts, g_free);
  timchat_test_group_request_code (erin, "apply_join_group", join, 0);
  g_assert_cmpstr ((texts = history_texts (erin, meeting)), ==, "old ");
}

/* An AVChatRoom keeps no history (tim-rest-facts.md §5.0, §5.11): its messages are kept only so a
 * resend is known (exactly once), and group_msg_get answers a finished, empty page, as the Web
 * SDK's getMessageList answers for a live room without asking, to the member who was there and
 * the one who came later alike, as REST's group_msg_get_simple refuses it. */
static void
test_avchatroom_serves_no_history (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "av-owner");
  g_autoptr (TimchatTestPeer) viewer = timchat_test_peer_new (fixture, "av-viewer");
  g_autoptr (TimchatTestPeer) late = timchat_test_peer_new (fixture, "av-late");
  g_autofree char *room = create_group (owner, "AVChatRoom", "[]");
  g_autofree char *join = g_strdup_printf ("{\"GroupId\":\"%s\"}", room);
  g_autofree char *get = g_strdup_printf ("{\"GroupId\":\"%s\",\"ReqMsgNumber\":20}", room);
  TimchatTestPeer *readers[] = { owner, viewer, late };
  gint64 seq;

  timchat_test_group_request_code (viewer, "apply_join_group", join, 0);
  seq = send_text (viewer, room, "live", 9);
  g_assert_cmpint (seq, >, 0);
  /* The resend of the same message is known by what is kept: the same MsgSeq, pushed once. */
  g_assert_cmpint (send_text (viewer, room, "live", 9), ==, seq);
  g_assert_cmpuint (timchat_test_peer_count (owner, 3, "GroupMsgArray", "MsgSeq", seq, 300), ==, 1);
  timchat_test_group_request_code (late, "apply_join_group", join, 0);
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_autoptr (JsonObject) page = timchat_test_group_request (readers[i], "group_msg_get", get);

      g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
      g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (page, "RspMsgList")),
                        ==, 0);
      g_assert_cmpint (timchat_test_json_get_int (page, "IsFinished"), ==, 1);
    }
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "group_open_http_svc/group_msg_get_simple", get), ==,
      TIM_ERROR_GROUP_PERMISSION);
}

int
main (int argc, char **argv)
{
  const char *conf[] = { "limits/group_rate=0", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server-group-history/work-member-reads-from-join",
                   test_work_member_reads_from_join);
  g_test_add_func ("/server-group-history/public-and-meeting", test_public_and_meeting);
  g_test_add_func ("/server-group-history/avchatroom-serves-no-history",
                   test_avchatroom_serves_no_history);
  ret = g_test_run ();
  timchat_fixture_free (fixture);
  return ret;
}
