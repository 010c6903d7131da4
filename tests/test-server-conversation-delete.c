/* test-server-conversation-delete.c: deleting a conversation from one's list
 * (recentcontact.batch_delete, the SDK's deleteConversation) takes its unread count with it. A
 * new message brings it back with its history, and only what came after the deletion counts
 * unread, in every answer that gives the count (page_get, openim.getmsg's pair-unread list,
 * get_joined_group_list) and in the unread @-mentions replayed. Deleting is not reading: the
 * read mark stays where it was, and the peer is told nothing. REST recentcontact/get_list lists
 * what the user cleared, or what came before they joined a group, as page_get does: without a
 * last message. */
#define G_LOG_DOMAIN "test-server-conversation-delete"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static void
delete_conversation (TimchatTestClient *c, const char *item)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "recentcontact.batch_delete", "{\"From_Account\":\"%s\",\"ContactItem\":[%s]}",
      timchat_test_client_get_user (c), item);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.0.ResultCode"), ==, 0);
}

static gint64
listed_unread (TimchatTestClient *c, gint64 type, const char *peer)
{
  g_autoptr (JsonObject) item = timchat_test_session_item (c, type, peer);

  g_assert_nonnull (item);
  return timchat_test_json_get_int (item, "UnreadMsgCount");
}

/* The UnreadCount of a fresh openim.getmsg's C2CPairUnreadCount for peer (0: not listed). */
static gint64
pair_unread (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) sync = timchat_test_client_request_json (
      c, "openim.getmsg", "{\"Cookie\":\"\",\"SyncFlag\":0}", NULL);
  JsonArray *pairs = timchat_test_json_get_array (sync, "C2CPairUnreadCount");

  g_assert_nonnull (pairs);
  for (guint i = 0; i < json_array_get_length (pairs); i++)
    {
      JsonObject *pair = json_array_get_object_element (pairs, i);

      if (g_strcmp0 (timchat_test_json_get_string (pair, "From_Account"), peer) == 0)
        return timchat_test_json_get_int (pair, "UnreadCount");
    }
  return 0;
}

static void
test_c2c (void)
{
  g_autoptr (TimchatTestClient) cal = timchat_test_connect (fixture, "del-cal");
  g_autoptr (TimchatTestClient) dee = timchat_test_connect (fixture, "del-dee");
  g_autoptr (JsonObject) history = NULL;
  g_autoptr (JsonObject) read_time = NULL;
  g_autoptr (JsonObject) cals_item = NULL;
  g_autoptr (JsonObject) notice = NULL;

  for (gint64 seq = 1; seq <= 3; seq++)
    json_object_unref (timchat_test_send_text (cal, "del-dee", "before", seq, seq));
  g_assert_cmpint (listed_unread (dee, 1, "del-cal"), ==, 3);
  g_assert_cmpint (pair_unread (dee, "del-cal"), ==, 3);

  delete_conversation (dee, "{\"Type\":1,\"To_Account\":\"del-cal\"}");
  json_object_unref (timchat_test_send_text (cal, "del-dee", "after", 4, 4));

  /* Back, with one unread: the list's count and the sync's, which is the SDK's for C2C. */
  g_assert_cmpint (listed_unread (dee, 1, "del-cal"), ==, 1);
  g_assert_cmpint (pair_unread (dee, "del-cal"), ==, 1);
  /* The old messages are still in the history. */
  history = timchat_test_client_request_json (dee, "openim.getroammsg",
                                              "{\"Peer_Account\":\"del-cal\",\"MaxCnt\":15}", NULL);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (history, "MsgList")), ==,
                    4);
  /* Not read: Cal is not told that Dee read anything, now or in his list. */
  read_time = timchat_test_client_request_json (cal, "openim.get_peer_read_time",
                                                "{\"To_Account\":[\"del-dee\"]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (read_time, "PeerReadTimeList.0"), ==, 0);
  cals_item = timchat_test_session_item (cal, 1, "del-dee");
  g_assert_nonnull (cals_item);
  g_assert_cmpint (timchat_test_json_get_int (cals_item, "C2cPeerReadTime"), ==, 0);
  notice = timchat_test_wait_event (cal, "C2cNotifyMsgArray", 300);
  g_assert_null (notice);
}

/* The group's count in get_joined_group_list (SelfInfo.UnreadMsgNum). */
static gint64
joined_unread (TimchatTestPeer *p, const char *group)
{
  g_autoptr (JsonObject) joined =
      timchat_test_group_request (p, "get_joined_group_list", "{\"Limit\":50,\"Offset\":0}");
  JsonArray *groups = timchat_test_json_get_array (joined, "GroupIdList");

  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    {
      JsonObject *entry = json_array_get_object_element (groups, i);

      if (g_strcmp0 (timchat_test_json_get_string (entry, "GroupId"), group) == 0)
        return timchat_test_json_get_int (entry, "SelfInfo.UnreadMsgNum");
    }
  g_assert_not_reached ();
}

/* How many Event 12 @ tips of group a fresh openim.getmsg replays. */
static guint
mentions_replayed (TimchatTestClient *c, const char *group)
{
  g_autoptr (JsonObject) sync = timchat_test_client_request_json (
      c, "openim.getmsg", "{\"Cookie\":\"\",\"SyncFlag\":0}", NULL);
  JsonArray *events = timchat_test_json_get_array (sync, "EventArray");
  guint count = 0;

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *entry = json_array_get_object_element (events, i);

      if (timchat_test_json_get_int (entry, "Event") == 12 &&
          g_strcmp0 (timchat_test_json_get_string (entry, "GroupTips.0.GroupId"), group) == 0)
        count++;
    }
  return count;
}

static void
test_group (void)
{
  g_autoptr (TimchatTestPeer) gus = timchat_test_peer_new (fixture, "del-gus");
  g_autoptr (TimchatTestPeer) hal = timchat_test_peer_new (fixture, "del-hal");
  g_autoptr (JsonObject) made = timchat_test_group_request (
      gus, "create_group",
      "{\"Type\":\"Private\",\"Name\":\"g\",\"MemberList\":[{\"Member_Account\":\"del-hal\"}]}");
  const char *group = timchat_test_json_get_string (made, "GroupId");
  g_autofree char *at_hal = NULL;
  g_autofree char *item = NULL;
  g_autoptr (JsonObject) mentioned = NULL;
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) history = NULL;
  g_autofree char *history_body = NULL;
  gint64 last_seq;

  g_assert_nonnull (group);
  at_hal = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Random\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
      "{\"Text\":\"@del-hal\"}}],\"GroupAtInfo\":[{\"GroupAtAllFlag\":0,\"GroupAt_Account\":"
      "\"del-hal\"}]}",
      group);
  mentioned = timchat_test_group_request (gus, "send_group_msg", at_hal);
  g_assert_cmpint (timchat_test_json_get_int (mentioned, "ErrorCode"), ==, 0);
  timchat_test_group_send_code (gus, group, 2, 0);
  before = timchat_test_session_item (hal->c, 2, group);
  g_assert_nonnull (before);
  g_assert_cmpint (timchat_test_json_get_int (before, "UnreadMsgCount"), >=, 2);
  g_assert_cmpuint (mentions_replayed (hal->c, group), ==, 1);

  item = g_strdup_printf ("{\"Type\":2,\"ToGroupid\":\"%s\"}", group);
  delete_conversation (hal->c, item);
  g_assert_null (timchat_test_session_item (hal->c, 2, group));
  timchat_test_group_send_code (gus, group, 3, 0);

  /* Back, with one unread in both lists, and the mention deleted with the rest. */
  g_assert_cmpint (listed_unread (hal->c, 2, group), ==, 1);
  g_assert_cmpint (joined_unread (hal, group), ==, 1);
  g_assert_cmpuint (mentions_replayed (hal->c, group), ==, 0);
  /* Not read: the read mark stays where it was. */
  after = timchat_test_session_item (hal->c, 2, group);
  g_assert_cmpint (timchat_test_json_get_int (after, "MsgGroupReadedSeq"), ==,
                   timchat_test_json_get_int (before, "MsgGroupReadedSeq"));
  /* The old messages are still in the history. */
  last_seq = timchat_test_json_get_int (after, "MsgSeq");
  history_body = g_strdup_printf ("{\"GroupId\":\"%s\",\"ReqMsgSeq\":%" G_GINT64_FORMAT
                                  ",\"ReqMsgNumber\":20}",
                                  group, last_seq);
  history = timchat_test_group_request (hal, "group_msg_get", history_body);
  g_assert_cmpint (timchat_test_json_get_int (history, "ErrorCode"), ==, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (history, "RspMsgList")), ==,
                    (guint) last_seq);
}

/* owner's conversation with peer in the first page of REST recentcontact/get_list with assist
 * (bit 1: with the empty ones), or NULL when it is not listed. */
static JsonObject *
rest_listed (const char *owner, gint64 assist, const char *peer)
{
  g_autofree char *body = g_strdup_printf (
      "{\"From_Account\":\"%s\",\"TimeStamp\":0,\"StartIndex\":0,\"TopTimeStamp\":0,"
      "\"TopStartIndex\":0,\"AssistFlags\":%" G_GINT64_FORMAT "}",
      owner, assist);
  g_autoptr (JsonObject) list = timchat_test_rest_ok (fixture, "recentcontact/get_list", body);
  JsonArray *items = timchat_test_json_get_array (list, "SessionItem");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *id = json_object_has_member (item, "GroupId")
                           ? timchat_test_json_get_string (item, "GroupId")
                           : timchat_test_json_get_string (item, "To_Account");

      if (g_strcmp0 (id, peer) == 0)
        return json_object_ref (item);
    }
  return NULL;
}

/* REST get_list is the user's list as their devices have it (page_get): a conversation the user
 * cleared (clearHistoryMessage), or a group with nothing since the user joined, has no last
 * message there, so it is left out without AssistFlags bit 1 and has MsgTime 0 with it. REST read
 * the conversation's last message whatever the user could see of it: listed, with the time of a
 * message the user no longer has. */
static void
test_rest_list_as_the_user_sees_it (void)
{
  g_autoptr (TimchatTestClient) ivy = timchat_test_connect (fixture, "del-ivy");
  g_autoptr (TimchatTestClient) jon = timchat_test_connect (fixture, "del-jon");
  g_autoptr (TimchatTestPeer) kim = timchat_test_peer_new (fixture, "del-kim");
  g_autoptr (JsonObject) sent = NULL, cleared = NULL, item = NULL, made = NULL, added = NULL;
  g_autofree char *add_body = NULL;
  const char *group;

  sent = timchat_test_send_text (ivy, "del-jon", "soon gone", 81, 8101);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  item = rest_listed ("del-jon", 5, "del-ivy");
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), >, 0);
  g_clear_pointer (&item, json_object_unref);

  cleared = timchat_test_client_request_printf (jon, "recentcontact.clear_msg",
                                                "{\"From_Account\":\"del-jon\",\"Type\":1,"
                                                "\"To_Account\":\"del-ivy\"}");
  g_assert_cmpint (timchat_test_json_get_int (cleared, "ErrorCode"), ==, 0);
  item = timchat_test_session_item (jon, 1, "del-ivy");
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), ==, 0);
  g_clear_pointer (&item, json_object_unref);
  g_assert_null (rest_listed ("del-jon", 5, "del-ivy"));
  item = rest_listed ("del-jon", 7, "del-ivy");
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), ==, 0);
  g_clear_pointer (&item, json_object_unref);
  /* The other side keeps hers. */
  item = rest_listed ("del-ivy", 5, "del-jon");
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), >, 0);
  g_clear_pointer (&item, json_object_unref);

  /* A group jon joins without a tip (Silence) after its messages: nothing of it is his. */
  made = timchat_test_group_request (kim, "create_group", "{\"Type\":\"Public\",\"Name\":\"r\"}");
  group = timchat_test_json_get_string (made, "GroupId");
  g_assert_nonnull (group);
  timchat_test_group_send_code (kim, group, 4, 0);
  add_body = g_strdup_printf ("{\"GroupId\":\"%s\",\"Silence\":1,"
                              "\"MemberList\":[{\"Member_Account\":\"del-jon\"}]}",
                              group);
  added = timchat_test_group_request (kim, "add_group_member", add_body);
  g_assert_cmpint (timchat_test_json_get_int (added, "ErrorCode"), ==, 0);
  item = timchat_test_session_item (jon, 2, group);
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), ==, 0);
  g_clear_pointer (&item, json_object_unref);
  g_assert_null (rest_listed ("del-jon", 5, group));
  item = rest_listed ("del-jon", 7, group);
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), ==, 0);
  g_clear_pointer (&item, json_object_unref);
  /* Its owner, there from the start, sees the message. */
  item = rest_listed ("del-kim", 5, group);
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), >, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/conversation-delete/c2c", test_c2c);
  g_test_add_func ("/server/conversation-delete/group", test_group);
  g_test_add_func ("/server/conversation-delete/rest-list-as-the-user-sees-it",
                   test_rest_list_as_the_user_sees_it);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
