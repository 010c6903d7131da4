/* test-server-mention.c: group @-mentions against the real timchat-server: GroupAtInfo kept with
 * the message (push, history, restart, REST), the @ tip (GroupTips Event 12) to those mentioned,
 * bad GroupAtInfo refused with nothing stored, unread mentions replayed by openim.getmsg (fresh
 * and from a cookie) until the group is read, and openim.deletemsg. */
#define G_LOG_DOMAIN "test-server-mention"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-group-at.h"
#include "timchat-test-extra.h"

#define SVC "group_open_http_svc."
#define AT_ME "{\"GroupAtAllFlag\":0,\"GroupAt_Account\":\"%s\"}"
#define AT_ALL "{\"GroupAtAllFlag\":1}"

static TimchatFixture *fixture;

static JsonObject *
req (TimchatTestClient *c, const char *cmd, const char *body)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *servcmd =
      g_str_has_prefix (cmd, "openim.") ? g_strdup (cmd) : g_strconcat (SVC, cmd, NULL);
  JsonObject *reply = timchat_test_client_request_json (c, servcmd, body, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

static char *
create_group (TimchatTestPeer *owner, const char *members_json)
{
  g_autofree char *body =
      g_strdup_printf ("{\"Type\":\"Private\",\"Name\":\"g\",\"MemberList\":%s}", members_json);
  g_autoptr (JsonObject) reply = req (owner->c, "create_group", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return g_strdup (timchat_test_json_get_string (reply, "GroupId"));
}

/* send_group_msg of one text with GroupAtInfo (NULL: none; not an array when asked); the reply. */
static JsonObject *
send_at (TimchatTestClient *c, const char *group, const char *at_info, gint64 random,
         gboolean online_only)
{
  g_autofree char *at =
      at_info != NULL ? g_strdup_printf (",\"GroupAtInfo\":%s", at_info) : g_strdup ("");
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT ",\"ClientSeq\":%" G_GINT64_FORMAT
      ",\"OnlineOnlyFlag\":%d,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
      "\"hi\"}}]%s}",
      group, random, random + 1000, online_only ? 1 : 0, at);

  return req (c, "send_group_msg", body);
}

static gint64
send_at_ok (TimchatTestPeer *p, const char *group, const char *at_info, gint64 random)
{
  g_autoptr (JsonObject) reply = send_at (p->c, group, at_info, random, FALSE);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MsgSeq"), >, 0);
  return timchat_test_json_get_int (reply, "MsgSeq");
}

/* An AtFlagList as "1,2". */
static char *
flags (JsonObject *item)
{
  JsonArray *list = timchat_test_json_get_array (item, "AtFlagList");
  g_autoptr (GString) text = g_string_new ("");

  g_assert_nonnull (list);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            json_array_get_int_element (list, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* p's @ tip for seq: its AtFlagList, after checking the rest of the item. */
static char *
expect_tip (TimchatTestPeer *p, const char *group, const char *from, gint64 seq, gint64 random)
{
  g_autoptr (JsonObject) tip = timchat_test_peer_expect (p, 12, "GroupTips", "AtMsgSeq", seq);

  g_assert_cmpstr (timchat_test_json_get_string (tip, "GroupId"), ==, group);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "From_Account"), ==, from);
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgRandom"), ==, random);
  g_assert_cmpint (timchat_test_json_get_int (tip, "ClientSeq"), ==, random + 1000);
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgTimeStamp"), >, 0);
  return flags (tip);
}

static gint64
next_seq (TimchatTestClient *c, const char *group)
{
  g_autofree char *body = g_strdup_printf ("{\"GroupIdList\":[\"%s\"]}", group);
  g_autoptr (JsonObject) info = req (c, "get_group_self_member_info", body);

  return timchat_test_json_get_int (info, "GroupInfo.0.NextMsgSeq");
}

/* The group_msg_get item of seq (it must be there). */
static JsonObject *
history_item (TimchatTestClient *c, const char *group, gint64 seq)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"ReqMsgSeq\":%" G_GINT64_FORMAT ",\"ReqMsgNumber\":1}", group, seq);
  g_autoptr (JsonObject) reply = req (c, "group_msg_get", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "RspMsgList.0.MsgSeq"), ==, seq);
  return json_object_ref (timchat_test_json_get_object (reply, "RspMsgList.0"));
}

static JsonObject *
getmsg (TimchatTestClient *c, const char *cookie)
{
  g_autofree char *body = g_strdup_printf ("{\"Cookie\":\"%s\",\"SyncFlag\":0}", cookie);
  JsonObject *reply = req (c, "openim.getmsg", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return reply;
}

/* The Event 12 entries of a getmsg reply as "SEQ:FLAGS SEQ:FLAGS ", in order. */
static char *
replayed (JsonObject *reply, const char *group)
{
  JsonArray *events = timchat_test_json_get_array (reply, "EventArray");
  g_autoptr (GString) text = g_string_new ("");

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *entry = json_array_get_object_element (events, i);
      JsonObject *tip;
      g_autofree char *list = NULL;

      if (timchat_test_json_get_int (entry, "Event") != 12)
        continue;
      tip = timchat_test_json_get_object (entry, "GroupTips.0");
      g_assert_nonnull (tip);
      if (g_strcmp0 (timchat_test_json_get_string (tip, "GroupId"), group) != 0)
        continue;
      list = flags (tip);
      g_string_append_printf (text, "%" G_GINT64_FORMAT ":%s ",
                              timchat_test_json_get_int (tip, "AtMsgSeq"), list);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
read_upto (TimchatTestClient *c, const char *group, gint64 seq)
{
  g_autofree char *body =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgReadedSeq\":%" G_GINT64_FORMAT "}", group, seq);
  g_autoptr (JsonObject) reply = req (c, "msg_read_report", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
}

static void
test_push_and_history (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "p-alice");
  g_autoptr (TimchatTestPeer) alice_tab = timchat_test_peer_new (fixture, "p-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "p-bob");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "p-carol");
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "p-dave");
  g_autofree char *group =
      create_group (alice, "[{\"Member_Account\":\"p-bob\"},{\"Member_Account\":\"p-carol\"},"
                           "{\"Member_Account\":\"p-dave\"}]");
  g_autoptr (JsonObject) msg = NULL, item = NULL, pushed = NULL, online = NULL;
  g_autofree char *at_bob = g_strdup_printf ("[" AT_ME "]", "p-bob");
  g_autofree char *at_all_carol =
      g_strdup_printf ("[" AT_ALL "," AT_ME "," AT_ME "]", "p-carol", "p-carol");
  g_autofree char *f = NULL;
  gint64 seq;

  /* @bob: the message carries GroupAtInfo; bob alone gets the tip, [1]. */
  seq = send_at_ok (alice, group, at_bob, 501);
  msg = timchat_test_peer_expect (bob, 3, "GroupMsgArray", "MsgSeq", seq);
  g_assert_cmpint (timchat_test_json_get_int (msg, "GroupAtInfo.0.GroupAtAllFlag"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (msg, "GroupAtInfo.0.GroupAt_Account"), ==,
                   "p-bob");
  f = expect_tip (bob, group, "p-alice", seq, 501);
  g_assert_cmpstr (f, ==, "1");
  g_clear_pointer (&f, g_free);
  g_clear_pointer (&msg, json_object_unref);
  msg = timchat_test_peer_expect (carol, 3, "GroupMsgArray", "MsgSeq", seq);
  g_assert_cmpuint (timchat_test_peer_count (carol, 12, "GroupTips", NULL, 0, 300), ==, 0);
  g_assert_cmpuint (timchat_test_peer_count (alice_tab, 12, "GroupTips", NULL, 0, 100), ==, 0);
  item = history_item (carol->c, group, seq);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (item, "GroupAtInfo")), ==,
                    1);
  g_assert_cmpstr (timchat_test_json_get_string (item, "GroupAtInfo.0.GroupAt_Account"), ==,
                   "p-bob");
  g_clear_pointer (&item, json_object_unref);

  /* @all and @carol (twice, kept once) by bob: carol [1,2], the others [2], bob none. The tip
   * comes after the message (dave: waiting for the message drops whatever came before it). */
  seq = send_at_ok (bob, group, at_all_carol, 502);
  do
    {
      g_clear_pointer (&pushed, json_object_unref);
      pushed = timchat_test_wait_event (dave, "GroupMsgArray", 5000);
      g_assert_nonnull (pushed);
    }
  while (timchat_test_json_get_int (pushed, "EventArray.0.GroupMsgArray.0.MsgSeq") != seq);
  g_assert_cmpint (timchat_test_json_get_int (
                       pushed, "EventArray.0.GroupMsgArray.0.GroupAtInfo.0.GroupAtAllFlag"),
                   ==, 1);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (
                        pushed, "EventArray.0.GroupMsgArray.0.GroupAtInfo")),
                    ==, 2);
  g_clear_pointer (&pushed, json_object_unref);
  pushed = timchat_test_wait_event (dave, "GroupTips", 5000);
  g_assert_nonnull (pushed);
  g_assert_cmpint (timchat_test_json_get_int (pushed, "EventArray.0.Event"), ==, 12);
  g_assert_cmpint (timchat_test_json_get_int (pushed, "EventArray.0.GroupTips.0.AtMsgSeq"), ==,
                   seq);
  g_assert_cmpint (timchat_test_json_get_int (pushed, "EventArray.0.GroupTips.0.AtFlagList.0"), ==,
                   2);
  f = expect_tip (carol, group, "p-bob", seq, 502);
  g_assert_cmpstr (f, ==, "1,2");
  g_clear_pointer (&f, g_free);
  f = expect_tip (alice, group, "p-bob", seq, 502);
  g_assert_cmpstr (f, ==, "2");
  g_clear_pointer (&f, g_free);
  f = expect_tip (alice_tab, group, "p-bob", seq, 502);
  g_assert_cmpstr (f, ==, "2");
  g_clear_pointer (&f, g_free);
  g_assert_cmpuint (timchat_test_peer_count (bob, 12, "GroupTips", "AtMsgSeq", seq, 300), ==, 0);
  item = history_item (alice->c, group, seq);
  g_assert_cmpint (timchat_test_json_get_int (item, "GroupAtInfo.0.GroupAtAllFlag"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (item, "GroupAtInfo.1.GroupAt_Account"), ==,
                   "p-carol");

  /* Online only: pushed with its mentions and a tip of AtMsgSeq 0, not kept. */
  online = send_at (alice->c, group, at_bob, 503, TRUE);
  g_assert_cmpint (timchat_test_json_get_int (online, "ErrorCode"), ==, 0);
  g_clear_pointer (&msg, json_object_unref);
  msg = timchat_test_peer_expect (bob, 3, "GroupMsgArray", "OnlineOnlyFlag", 1);
  g_assert_cmpstr (timchat_test_json_get_string (msg, "GroupAtInfo.0.GroupAt_Account"), ==,
                   "p-bob");
  f = expect_tip (bob, group, "p-alice", 0, 503);
  g_assert_cmpstr (f, ==, "1");
  g_assert_cmpint (next_seq (bob->c, group), ==, seq + 1);
}

static void
test_bad_at_info (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "b-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "b-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"b-bob\"}]");
  g_autoptr (GString) too_many = g_string_new ("[");
  const char *bad[] = {
    "{}",
    "[1]",
    "[\"b-bob\"]",
    "[{\"GroupAtAllFlag\":2}]",
    "[{\"GroupAtAllFlag\":\"yes\"}]",
    "[{\"GroupAtAllFlag\":0}]",
    "[{\"GroupAtAllFlag\":0,\"GroupAt_Account\":\"\"}]",
    "[{\"GroupAt_Account\":7}]",
    "[{\"GroupAt_Account\":\"a-user-id-longer-than-thirty-two-bytes\"}]",
    NULL, /* too_many */
  };
  gint64 before = next_seq (alice->c, group);

  for (guint i = 0; i <= TIM_MAX_AT_USERS; i++)
    g_string_append_printf (too_many, "%s{\"GroupAt_Account\":\"u%u\"}", i > 0 ? "," : "", i);
  g_string_append_c (too_many, ']');
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *at_info = bad[i] != NULL ? bad[i] : too_many->str;
      g_autoptr (JsonObject) reply = send_at (alice->c, group, at_info, 600 + i, FALSE);

      g_test_message ("%.60s -> %s", at_info, timchat_test_json_get_string (reply, "ErrorInfo"));
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==,
                       TIM_ERROR_INVALID_PARAMETER);
      g_assert_cmpstr (timchat_test_json_get_string (reply, "ErrorInfo"), !=, "");
    }
  /* Nothing stored, nothing pushed. */
  g_assert_cmpint (next_seq (alice->c, group), ==, before);
  g_assert_cmpuint (timchat_test_peer_count (bob, 3, "GroupMsgArray", NULL, 0, 300), ==, 0);
  g_assert_cmpuint (timchat_test_peer_count (bob, 12, "GroupTips", NULL, 0, 0), ==, 0);
}

static void
test_getmsg_fresh (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "f-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "f-bob");
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "f-carol");
  g_autofree char *group =
      create_group (alice, "[{\"Member_Account\":\"f-bob\"},{\"Member_Account\":\"f-carol\"}]");
  g_autofree char *at_bob = g_strdup_printf ("[" AT_ME "]", "f-bob");
  g_autofree char *at_carol = g_strdup_printf ("[" AT_ME "]", "f-carol");
  g_autofree char *at_both = g_strdup_printf ("[" AT_ALL "," AT_ME "]", "f-bob");
  g_autoptr (JsonObject) reply = NULL, recalled = NULL, item = NULL;
  g_autofree char *list = NULL, *expected = NULL, *body = NULL;
  gint64 s1, s2, s3, s4, s5, s6;

  s1 = send_at_ok (alice, group, at_bob, 701);
  s2 = send_at_ok (alice, group, "[" AT_ALL "]", 702);
  send_at_ok (alice, group, NULL, 703);
  s3 = send_at_ok (alice, group, at_carol, 704);
  s4 = send_at_ok (alice, group, at_bob, 705); /* recalled */
  s5 = send_at_ok (alice, group, at_bob, 706); /* deleted by bob for himself */
  s6 = send_at_ok (alice, group, at_both, 707);
  body = g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}",
                          group, s4);
  recalled = req (alice->c, "group_msg_recall", body);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.0.RetCode"), ==, 0);
  g_free (body);
  body = g_strdup_printf ("{\"GroupId\":\"%s\",\"Seqs\":[%" G_GINT64_FORMAT "]}", group, s5);
  g_clear_pointer (&recalled, json_object_unref);
  recalled = req (bob, "delete_group_ramble_msg_by_seq", body);
  g_assert_cmpint (timchat_test_json_get_int (recalled, "ErrorCode"), ==, 0);
  /* A recall takes the mentions with the body. */
  item = history_item (alice->c, group, s4);
  g_assert_false (timchat_test_json_has (item, "GroupAtInfo"));
  g_assert_cmpint (timchat_test_json_get_int (item, "IsPlaceMsg"), ==, 2);

  /* A fresh login lists bob's unread mentions, oldest first: not the recalled or deleted ones,
   * not carol's. */
  reply = getmsg (bob, "");
  list = replayed (reply, group);
  expected = g_strdup_printf (
      "%" G_GINT64_FORMAT ":1 %" G_GINT64_FORMAT ":2 %" G_GINT64_FORMAT ":1,2 ", s1, s2, s6);
  g_assert_cmpstr (list, ==, expected);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "EventArray.0.GroupTips.0.From_Account"),
                   ==, "f-alice");
  g_assert_cmpint (timchat_test_json_get_int (reply, "EventArray.0.GroupTips.0.MsgRandom"), ==,
                   701);
  g_clear_pointer (&reply, json_object_unref);
  g_clear_pointer (&list, g_free);
  g_clear_pointer (&expected, g_free);
  reply = getmsg (carol, "");
  list = replayed (reply, group);
  expected = g_strdup_printf (
      "%" G_GINT64_FORMAT ":2 %" G_GINT64_FORMAT ":1 %" G_GINT64_FORMAT ":2 ", s2, s3, s6);
  g_assert_cmpstr (list, ==, expected);
  /* The sender has none. */
  g_clear_pointer (&reply, json_object_unref);
  g_clear_pointer (&list, g_free);
  reply = getmsg (alice->c, "");
  list = replayed (reply, group);
  g_assert_cmpstr (list, ==, "");

  /* Reading clears them: up to s2, then everything. */
  read_upto (bob, group, s2);
  g_clear_pointer (&reply, json_object_unref);
  g_clear_pointer (&list, g_free);
  g_clear_pointer (&expected, g_free);
  reply = getmsg (bob, "");
  list = replayed (reply, group);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ":1,2 ", s6);
  g_assert_cmpstr (list, ==, expected);
  read_upto (bob, group, s6);
  g_clear_pointer (&reply, json_object_unref);
  g_clear_pointer (&list, g_free);
  reply = getmsg (bob, "");
  list = replayed (reply, group);
  g_assert_cmpstr (list, ==, "");
}

static void
test_getmsg_reconnect (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "r-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "r-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"r-bob\"}]");
  g_autofree char *at_bob = g_strdup_printf ("[" AT_ME "]", "r-bob");
  g_autoptr (JsonObject) first = NULL, again = NULL, nothing = NULL, old_style = NULL;
  g_autofree char *cookie = NULL, *list = NULL, *expected = NULL, *event_part = NULL;
  gint64 before, away;

  before = send_at_ok (alice, group, at_bob, 801);
  first = getmsg (bob, "");
  list = replayed (first, group);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ":1 ", before);
  g_assert_cmpstr (list, ==, expected);
  cookie = g_strdup (timchat_test_json_get_string (first, "Cookie"));
  g_assert_nonnull (strchr (cookie, '.'));
  timchat_test_client_close (bob, 1000);
  g_clear_pointer (&bob, timchat_test_client_free);

  /* While bob is away. */
  away = send_at_ok (alice, group, at_bob, 802);
  send_at_ok (alice, group, NULL, 803);

  /* Back with the cookie: only what came while he was away (the earlier one is still unread). */
  bob = timchat_test_connect (fixture, "r-bob");
  again = getmsg (bob, cookie);
  g_clear_pointer (&list, g_free);
  g_clear_pointer (&expected, g_free);
  list = replayed (again, group);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ":1 ", away);
  g_assert_cmpstr (list, ==, expected);
  nothing = getmsg (bob, timchat_test_json_get_string (again, "Cookie"));
  g_clear_pointer (&list, g_free);
  list = replayed (nothing, group);
  g_assert_cmpstr (list, ==, "");

  /* A cookie without the message part (an older server's) replays no mentions. */
  event_part = g_strndup (cookie, strchr (cookie, '.') - cookie);
  old_style = getmsg (bob, event_part);
  g_clear_pointer (&list, g_free);
  list = replayed (old_style, group);
  g_assert_cmpstr (list, ==, "");
}

static void
test_rest_send (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "h-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "h-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"h-bob\"}]");
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"From_Account\":\"h-alice\",\"Random\":901,\"GroupAtInfo\":[" AT_ME
      "],\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"@h-bob\"}}]}",
      group, "h-bob");
  g_autofree char *bad = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Random\":902,\"GroupAtInfo\":[{\"GroupAtAllFlag\":0}],"
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}",
      group);
  g_autoptr (JsonObject) reply =
      timchat_test_rest (fixture, "group_open_http_svc/send_group_msg", body, NULL);
  g_autoptr (JsonObject) refused = NULL, item = NULL, tip = NULL;
  gint64 seq = timchat_test_json_get_int (reply, "MsgSeq");

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  tip = timchat_test_peer_expect (bob, 12, "GroupTips", "AtMsgSeq", seq);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "From_Account"), ==, "h-alice");
  g_assert_cmpint (timchat_test_json_get_int (tip, "AtFlagList.0"), ==, 1);
  item = history_item (bob->c, group, seq);
  g_assert_cmpstr (timchat_test_json_get_string (item, "GroupAtInfo.0.GroupAt_Account"), ==,
                   "h-bob");
  refused = timchat_test_rest (fixture, "group_open_http_svc/send_group_msg", bad, NULL);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==,
                   TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpint (next_seq (bob->c, group), ==, seq + 1);
}

static void
test_deletemsg (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "d-bob");
  const char *bad[] = { "{}", "{\"DelMsgList\":\"x\"}", "{\"DelMsgList\":[1]}",
                        "{\"DelMsgList\":[{\"MsgSeq\":1},[]]}" };
  g_autoptr (JsonObject) ok =
      req (bob, "openim.deletemsg",
           "{\"DelMsgList\":[{\"From_Account\":\"d-alice\",\"To_Account\":\"d-bob\",\"MsgSeq\":"
           "1001,\"MsgRandom\":5,\"GroupId\":\"@TGS#1\"},{\"From_Account\":\"@TIM#SYSTEM\","
           "\"MsgSeq\":7,\"MsgRandom\":9}]}");

  g_assert_cmpint (timchat_test_json_get_int (ok, "ErrorCode"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) reply = req (bob, "openim.deletemsg", bad[i]);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==,
                       TIM_ERROR_INVALID_PARAMETER);
    }
}

/* Last: it restarts the shared server. */
static void
test_restart_keeps_mentions (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "k-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "k-bob");
  g_autofree char *group = create_group (alice, "[{\"Member_Account\":\"k-bob\"}]");
  g_autofree char *at = g_strdup_printf ("[" AT_ALL "," AT_ME "]", "k-bob");
  g_autoptr (JsonObject) item = NULL, reply = NULL;
  g_autofree char *list = NULL, *expected = NULL;
  gint64 seq = send_at_ok (alice, group, at, 1001);

  g_clear_pointer (&alice, timchat_test_peer_free);
  g_clear_pointer (&bob, timchat_test_client_free);
  timchat_fixture_stop (fixture);
  timchat_fixture_restart (fixture);

  bob = timchat_test_connect (fixture, "k-bob");
  item = history_item (bob, group, seq);
  g_assert_cmpint (timchat_test_json_get_int (item, "GroupAtInfo.0.GroupAtAllFlag"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (item, "GroupAtInfo.1.GroupAt_Account"), ==,
                   "k-bob");
  reply = getmsg (bob, "");
  list = replayed (reply, group);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ":1,2 ", seq);
  g_assert_cmpstr (list, ==, expected);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/mention/push-and-history", test_push_and_history);
  g_test_add_func ("/server/mention/bad-at-info", test_bad_at_info);
  g_test_add_func ("/server/mention/getmsg-fresh", test_getmsg_fresh);
  g_test_add_func ("/server/mention/getmsg-reconnect", test_getmsg_reconnect);
  g_test_add_func ("/server/mention/rest-send", test_rest_send);
  g_test_add_func ("/server/mention/deletemsg", test_deletemsg);
  g_test_add_func ("/server/mention/restart-keeps-mentions", test_restart_keeps_mentions);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
