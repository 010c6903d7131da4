/* test-server-c2c.c: one-to-one messages through the real server: every element type, pushes to
 * the peer and to the sender's other devices, validation, exactly-once resends, online-only. */
#define G_LOG_DOMAIN "test-server-c2c"

#include "config.h"

#include <string.h>

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;

static JsonObject *
send_body (TimchatTestClient *c, const char *to, const char *msg_body_json, gint64 seq,
           gint64 random, const char *extra_json)
{
  return timchat_test_client_request_printf (
      c, "openim.sendmsg",
      "{\"From_Account\":\"%s\",\"To_Account\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT
      ",\"MsgRandom\":%" G_GINT64_FORMAT ",\"MsgClientTime\":1795637570,\"MsgBody\":%s%s%s}",
      timchat_test_client_get_user (c), to, seq, random, msg_body_json, extra_json ? "," : "",
      extra_json ? extra_json : "");
}

static void
test_text_reaches_peer_and_other_devices (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autoptr (TimchatTestClient) alice_phone = timchat_test_connect (fixture, "alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (JsonObject) reply = timchat_test_send_text (alice, "bob", "hello bob ✓", 1001, 424242);
  g_autoptr (JsonObject) push = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_autoptr (JsonObject) sync = timchat_test_wait_event (alice_phone, "C2cMsgArray", 3000);
  g_autoptr (JsonObject) echo = timchat_test_wait_event (alice, "C2cMsgArray", 300);
  JsonObject *item;

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MsgTime"), >, 1700000000);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MsgSeq"), ==, 1001);

  g_assert_nonnull (push);
  item = timchat_test_push_item (push, "C2cMsgArray");
  g_assert_cmpstr (timchat_test_json_get_string (item, "From_Account"), ==, "alice");
  g_assert_cmpstr (timchat_test_json_get_string (item, "To_Account"), ==, "bob");
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgRandom"), ==, 424242);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgSeq"), ==, 1001);
  g_assert_cmpint (
      ABS (timchat_test_json_get_int (item, "MsgClientTime") - g_get_real_time () / G_USEC_PER_SEC),
      <, 60);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTimeStamp"), ==,
                   timchat_test_json_get_int (reply, "MsgTime"));
  g_assert_cmpstr (timchat_test_json_get_string (item, "TinyId"), ==,
                   timchat_test_client_get_tinyid (alice));
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgBody.0.MsgContent.Text"), ==,
                   "hello bob ✓");

  /* The sender's other device gets the IsSyncMsg copy (From/To swapped for the SDK). */
  g_assert_nonnull (sync);
  item = timchat_test_push_item (sync, "C2cMsgArray");
  g_assert_cmpint (timchat_test_json_get_int (item, "IsSyncMsg"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (item, "From_Account"), ==, "bob");
  g_assert_cmpstr (timchat_test_json_get_string (item, "To_Account"), ==, "alice");
  /* ...and the sending socket does not get its own message back. */
  g_assert_null (echo);
}

static void
test_every_element_type (void)
{
  static const char *bodies[] = {
    "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"dice\",\"Desc\":\"4\",\"Ext\":\"\"}"
    "}]",
    "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":7,\"Data\":\"tt07\"}}]",
    "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"Shenzhen\",\"Longitude\":113.93,"
    "\"Latitude\":22.54}}]",
    "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u1\",\"ImageFormat\":3,"
    "\"ImageInfoArray\":["
    "{\"Type\":1,\"Size\":100,\"Width\":10,\"Height\":10,\"URL\":\"http://127.0.0.1/a\"},"
    "{\"Type\":2,\"Size\":100,\"Width\":10,\"Height\":10,\"URL\":\"http://127.0.0.1/a\"},"
    "{\"Type\":3,\"Size\":100,\"Width\":10,\"Height\":10,\"URL\":\"http://127.0.0.1/a\"}]}}]",
    "[{\"MsgType\":\"TIMSoundElem\",\"MsgContent\":{\"Url\":\"http://127.0.0.1/"
    "s\",\"UUID\":\"s1\",\"Size\":9,\"Second\":3,\"Download_Flag\":2}}]",
    "[{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{\"Url\":\"http://127.0.0.1/"
    "f\",\"UUID\":\"f1\",\"FileName\":\"a.pdf\",\"FileSize\":9,\"Download_Flag\":2}}]",
    "[{\"MsgType\":\"TIMVideoFileElem\",\"MsgContent\":{\"VideoUrl\":\"http://127.0.0.1/"
    "v\",\"VideoUUID\":\"v1\",\"VideoSize\":9,"
    "\"VideoSecond\":2,\"VideoFormat\":\"mp4\",\"VideoDownloadFlag\":2,\"ThumbUrl\":\"http://"
    "127.0.0.1/t\",\"ThumbUUID\":\"t1\","
    "\"ThumbSize\":9,\"ThumbWidth\":10,\"ThumbHeight\":10,\"ThumbFormat\":\"png\","
    "\"ThumbDownloadFlag\":2}}]",
  };
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "dave");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (JsonObject) reply = send_body (carol, "dave", bodies[i], 2000 + i, 5000 + i, NULL);
      g_autoptr (JsonObject) push = NULL;
      g_autofree char *wrapped = g_strdup_printf ("{\"b\":%s}", bodies[i]);
      g_autoptr (JsonObject) expected = timchat_test_json_parse (wrapped, NULL);
      JsonObject *expected_content = timchat_test_json_get_object (expected, "b.0.MsgContent");
      JsonObject *item;
      g_autoptr (GList) members = json_object_get_members (expected_content);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
      push = timchat_test_wait_event (dave, "C2cMsgArray", 3000);
      g_assert_nonnull (push);
      item = timchat_test_push_item (push, "C2cMsgArray");
      g_assert_cmpint (timchat_test_json_get_int (item, "MsgRandom"), ==, 5000 + i);
      g_assert_cmpstr (timchat_test_json_get_string (item, "MsgBody.0.MsgType"), ==,
                       timchat_test_json_get_string (expected, "b.0.MsgType"));
      /* Every field the sender put in arrives, with the same value. */
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *path =
              g_strdup_printf ("MsgBody.0.MsgContent.%s", (const char *) l->data);
          JsonNode *sent = json_object_get_member (expected_content, l->data);
          JsonNode *got = timchat_test_json_get_node (item, path);

          g_assert_nonnull (got);
          if (JSON_NODE_HOLDS_VALUE (sent) && json_node_get_value_type (sent) == G_TYPE_STRING)
            g_assert_cmpstr (json_node_get_string (got), ==, json_node_get_string (sent));
          else if (JSON_NODE_HOLDS_VALUE (sent))
            g_assert_cmpfloat_with_epsilon (json_node_get_double (got), json_node_get_double (sent),
                                            1e-9);
          else
            g_assert_cmpint (JSON_NODE_TYPE (got), ==, JSON_NODE_TYPE (sent));
        }
    }
}

static void
test_bad_input (void)
{
  g_autoptr (TimchatTestClient) erin = timchat_test_connect (fixture, "erin");
  g_autoptr (TimchatTestClient) frank = timchat_test_connect (fixture, "frank");
  g_autofree char *big = NULL;
  g_autofree char *big_body = NULL;
  JsonObject *reply;

  reply = send_body (erin, "frank", "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":5}}]",
                     1, 1, NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 90005);
  json_object_unref (reply);
  reply = send_body (erin, "frank", "[]", 2, 2, NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 90005);
  json_object_unref (reply);
  reply = send_body (erin, "nobody-here",
                     "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]", 3, 3, NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 90003);
  json_object_unref (reply);
  reply = timchat_test_client_request_printf (
      erin, "openim.sendmsg",
      "{\"From_Account\":\"frank\",\"To_Account\":\"erin\",\"MsgRandom\":4,\"MsgSeq\":4,"
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"spoof\"}}]}");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 90008);
  json_object_unref (reply);

  /* 12 KB body limit: 80002, and nothing reaches the peer. */
  big = g_strnfill (13 * 1024, 'x');
  big_body =
      g_strdup_printf ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]", big);
  reply = send_body (erin, "frank", big_body, 5, 5, NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 80002);
  g_assert_nonnull (timchat_test_json_get_string (reply, "ErrorInfo"));
  json_object_unref (reply);
  g_assert_null (timchat_test_wait_event (frank, "C2cMsgArray", 300));
}

static gint64
count_history (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) page = timchat_test_client_request_printf (
      c, "openim.getroammsg",
      "{\"Peer_Account\":\"%s\",\"MaxCnt\":15,\"LastMsgTime\":0,\"MsgKey\":\"\"}", peer);

  return json_array_get_length (timchat_test_json_get_array (page, "MsgList"));
}

static void
test_resend_is_stored_and_delivered_once (void)
{
  g_autoptr (TimchatTestClient) gina = timchat_test_connect (fixture, "gina");
  g_autoptr (TimchatTestClient) hank = timchat_test_connect (fixture, "hank");
  g_autoptr (JsonObject) first = timchat_test_send_text (gina, "hank", "once", 77, 99);
  g_autoptr (JsonObject) push = timchat_test_wait_event (hank, "C2cMsgArray", 3000);
  g_autoptr (JsonObject) again = NULL;

  g_assert_nonnull (push);
  g_usleep (1100 * 1000); /* a resend arrives later: the server must answer with the first time */
  again = timchat_test_send_text (gina, "hank", "once", 77, 99);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (again, "MsgTime"), ==,
                   timchat_test_json_get_int (first, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (again, "ServerSeq"), ==,
                   timchat_test_json_get_int (first, "ServerSeq"));
  g_assert_null (timchat_test_wait_event (hank, "C2cMsgArray", 500));
  g_assert_cmpint (count_history (hank, "gina"), ==, 1);

  /* Same random, other sequence: a different message. */
  json_object_unref (timchat_test_send_text (gina, "hank", "twice", 78, 99));
  g_assert_cmpint (count_history (hank, "gina"), ==, 2);
}

static void
test_online_only (void)
{
  g_autoptr (TimchatTestClient) ivy = timchat_test_connect (fixture, "ivy");
  g_autoptr (TimchatTestClient) jack = timchat_test_connect (fixture, "jack");
  g_autoptr (JsonObject) reply = send_body (
      ivy, "jack", "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"typing\"}}]", 5, 6,
      "\"MsgLifeTime\":0");
  g_autoptr (JsonObject) push = timchat_test_wait_event (jack, "C2cMsgArray", 3000);
  g_autoptr (JsonObject) conversations = NULL;

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (push);
  g_assert_cmpint (
      timchat_test_json_get_int (timchat_test_push_item (push, "C2cMsgArray"), "MsgLifeTime"), ==,
      0);
  g_assert_true (
      timchat_test_json_has (timchat_test_push_item (push, "C2cMsgArray"), "MsgLifeTime"));
  /* Not stored: no history, no conversation, nothing to recall. */
  g_assert_cmpint (count_history (jack, "ivy"), ==, 0);
  conversations =
      timchat_test_client_request_json (jack, "recentcontact.page_get", "{\"StartIndex\":0}", NULL);
  g_assert_cmpint (
      json_array_get_length (timchat_test_json_get_array (conversations, "SessionItem")), ==, 0);
}

/* A message the Web SDK sends again after a reconnect, its answer lost with the old socket (same
 * seq, the old login's ticket): a stored one is answered by the store, which knows it by its
 * random and sequence (its answer is not kept for it, timchat-reply-memory.c); an online-only
 * one, which the store never sees, by the answer kept. Either way the peer gets it once. */
static void
test_resent_after_reconnect (void)
{
  g_autoptr (TimchatTestClient) nia = timchat_test_connect (fixture, "rs-nia");
  g_autoptr (TimchatTestClient) back = timchat_test_new_client (fixture, NULL);
  g_autoptr (TimchatTestClient) ole = timchat_test_connect (fixture, "rs-ole");
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (nia));
  g_autofree char *tinyid = g_strdup (timchat_test_client_get_tinyid (nia));
  const char *kept = "{\"From_Account\":\"rs-nia\",\"To_Account\":\"rs-ole\",\"MsgSeq\":31,"
                     "\"MsgRandom\":32,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                     "\"MsgContent\":{\"Text\":\"kept\"}}]}";
  const char *passing = "{\"From_Account\":\"rs-nia\",\"To_Account\":\"rs-ole\",\"MsgSeq\":33,"
                        "\"MsgRandom\":34,\"MsgLifeTime\":0,\"MsgBody\":[{\"MsgType\":"
                        "\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"typing\"}}]}";
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) first_passing = NULL;
  g_autoptr (JsonObject) again_passing = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (JsonObject) passing_push = NULL;

  first = timchat_test_request_as (nia, a2, tinyid, "openim.sendmsg", 7001, kept);
  first_passing = timchat_test_request_as (nia, a2, tinyid, "openim.sendmsg", 7002, passing);
  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (first_passing, "ErrorCode"), ==, 0);
  push = timchat_test_wait_event (ole, "C2cMsgArray", 3000);
  passing_push = timchat_test_wait_event (ole, "C2cMsgArray", 3000);
  g_assert_nonnull (push);
  g_assert_nonnull (passing_push);
  timchat_test_client_close (nia, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  again = timchat_test_request_as (back, a2, tinyid, "openim.sendmsg", 7001, kept);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (again, "MsgKey"), ==,
                   timchat_test_json_get_string (first, "MsgKey"));
  g_assert_cmpint (timchat_test_json_get_int (again, "ServerSeq"), ==,
                   timchat_test_json_get_int (first, "ServerSeq"));
  again_passing = timchat_test_request_as (back, a2, tinyid, "openim.sendmsg", 7002, passing);
  g_assert_cmpint (timchat_test_json_get_int (again_passing, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (again_passing, "MsgTime"), ==,
                   timchat_test_json_get_int (first_passing, "MsgTime"));
  /* Neither came to the peer again. */
  g_assert_null (timchat_test_wait_event (ole, "C2cMsgArray", 500));
  g_assert_cmpint (count_history (ole, "rs-nia"), ==, 1);
}

/* openim.get_peer_read_time: for each peer, how far they read the caller's messages, the same
 * value as the conversation list's C2cPeerReadTime; 0 before they read, for an unknown user,
 * and for one the caller never wrote to. A list that is not one of user IDs is 10004. */
static void
test_peer_read_time (void)
{
  g_autoptr (TimchatTestClient) kim = timchat_test_connect (fixture, "prt-kim");
  g_autoptr (TimchatTestClient) lee = timchat_test_connect (fixture, "prt-lee");
  g_autoptr (TimchatTestClient) max = timchat_test_connect (fixture, "prt-max");
  g_autoptr (JsonObject) sent = timchat_test_send_text (kim, "prt-lee", "read me", 11, 12);
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (JsonObject) readed = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) item = NULL;
  g_autoptr (JsonObject) bad = NULL;
  gint64 time = timchat_test_json_get_int (sent, "MsgTime");

  before = timchat_test_client_request_json (kim, "openim.get_peer_read_time",
                                             "{\"To_Account\":[\"prt-lee\"]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (before, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (before, "PeerReadTimeList.0"), ==, 0);

  readed = timchat_test_client_request_printf (
      lee, "openim.msgreaded",
      "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":[{\"To_Account\":\"prt-kim\","
      "\"LastedMsgTime\":%" G_GINT64_FORMAT ",\"Receipt\":1}]}}",
      time);
  g_assert_cmpint (timchat_test_json_get_int (readed, "ErrorCode"), ==, 0);
  after = timchat_test_client_request_json (
      kim, "openim.get_peer_read_time", "{\"To_Account\":[\"prt-lee\",\"prt-nobody\",\"prt-max\"]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (after, "ErrorCode"), ==, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (after, "PeerReadTimeList")),
                    ==, 3);
  g_assert_cmpint (timchat_test_json_get_int (after, "PeerReadTimeList.0"), ==, time);
  g_assert_cmpint (timchat_test_json_get_int (after, "PeerReadTimeList.1"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (after, "PeerReadTimeList.2"), ==, 0);
  item = timchat_test_session_item (kim, 1, "prt-lee");
  g_assert_cmpint (timchat_test_json_get_int (item, "C2cPeerReadTime"), ==, time);
  /* The other way round, Lee's list says it too (Kim has read up to his own message). */
  g_clear_pointer (&after, json_object_unref);
  g_clear_pointer (&item, json_object_unref);
  after = timchat_test_client_request_json (lee, "openim.get_peer_read_time",
                                            "{\"To_Account\":[\"prt-kim\"]}", NULL);
  item = timchat_test_session_item (lee, 1, "prt-kim");
  g_assert_cmpint (timchat_test_json_get_int (after, "PeerReadTimeList.0"), ==,
                   timchat_test_json_get_int (item, "C2cPeerReadTime"));

  /* A read time in the future (a client whose clock is ahead) reads up to now: later messages
   * do not pass for read by the peer. */
  {
    g_autoptr (JsonObject) ahead = NULL;
    g_autoptr (JsonObject) now_read = NULL;

    g_autoptr (JsonObject) receipt = NULL;

    g_ptr_array_unref (timchat_test_client_take_pushes (kim, NULL));
    ahead = timchat_test_client_request_printf (
        lee, "openim.msgreaded",
        "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":[{\"To_Account\":\"prt-kim\","
        "\"LastedMsgTime\":%" G_GINT64_FORMAT ",\"Receipt\":1}]}}",
        time + 3600);
    g_assert_cmpint (timchat_test_json_get_int (ahead, "ErrorCode"), ==, 0);
    now_read = timchat_test_client_request_json (kim, "openim.get_peer_read_time",
                                                 "{\"To_Account\":[\"prt-lee\"]}", NULL);
    g_assert_cmpint (timchat_test_json_get_int (now_read, "PeerReadTimeList.0"), <=,
                     g_get_real_time () / G_USEC_PER_SEC + 1);
    /* The receipt pushed to the peer says the same: a future time there made the SDK show the
     * peer's next hour of messages as read by lee. */
    receipt = timchat_test_wait_event (kim, "C2cNotifyMsgArray", 3000);
    g_assert_nonnull (receipt);
    g_assert_cmpint (
        timchat_test_json_get_int (timchat_test_push_item (receipt, "C2cNotifyMsgArray"),
                                   "C2cReadedReceipt.UinPairReadArray.0.LastReadTime"),
        <=, g_get_real_time () / G_USEC_PER_SEC + 1);
  }

  for (const char *const *body = (const char *const[]){ "{}", "{\"To_Account\":\"prt-lee\"}",
                                                        "{\"To_Account\":[\"prt-lee\",7]}", NULL };
       *body != NULL; body++)
    {
      bad = timchat_test_client_request_json (max, "openim.get_peer_read_time", *body, NULL);
      g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
      g_clear_pointer (&bad, json_object_unref);
    }
}

static JsonObject *
send_controlled (TimchatTestClient *c, const char *to, const char *text, gint64 seq,
                 const char *control)
{
  g_autofree char *body =
      g_strdup_printf ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]", text);
  g_autofree char *extra =
      control != NULL ? g_strdup_printf ("\"SendMsgControl\":%s", control) : NULL;
  JsonObject *reply = send_body (c, to, body, seq, seq * 10, extra);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return reply;
}

/* The SendMsgControl a pushed or listed message item carries, as the SDK reads it: "" when none,
 * else "u" for NoUnread:1 and "l" for NoLastMsg:1. */
static char *
control_of (JsonObject *item)
{
  GString *out = g_string_new ("");

  if (timchat_test_json_get_int (item, "SendMsgControl.NoUnread") == 1)
    g_string_append_c (out, 'u');
  if (timchat_test_json_get_int (item, "SendMsgControl.NoLastMsg") == 1)
    g_string_append_c (out, 'l');
  return g_string_free (out, FALSE);
}

/* What user's conversation list says of their conversation with peer: "<unread> <last text>",
 * and the peers in the list's order. */
static char *
listed (TimchatTestClient *c, const char *peer, char **order)
{
  g_autoptr (JsonObject) page = timchat_test_client_request_json (
      c, "recentcontact.page_get", "{\"StartIndex\":0,\"TimeStamp\":0}", NULL);
  JsonArray *items = timchat_test_json_get_array (page, "SessionItem");
  GString *peers = g_string_new ("");
  char *said = NULL;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *id = timchat_test_json_get_string (item, "To_Account");

      g_string_append_printf (peers, "%s%s", peers->len > 0 ? " " : "", id);
      if (g_strcmp0 (id, peer) == 0)
        said = g_strdup_printf (
            "%" G_GINT64_FORMAT " %s", timchat_test_json_get_int (item, "UnreadMsgCount"),
            timchat_test_json_get_string (item, "LastMsg.MsgBody.0.MsgContent.Text"));
    }
  if (order != NULL)
    *order = g_string_free (g_steal_pointer (&peers), FALSE);
  else
    g_string_free (peers, TRUE);
  return said;
}

/* SendMsgControl (the SDK's messageControlInfo): a NoUnread message never counts as unread and a
 * NoLastMsg one is never the conversation's last, nor moves it up the list, for both sides; the
 * flags travel with the message in its pushes, history and sync, and hold after a fresh login,
 * over REST too. */
static void
test_control (void)
{
  g_autoptr (TimchatTestClient) amy = timchat_test_connect (fixture, "mc-amy");
  g_autoptr (TimchatTestClient) bea = timchat_test_connect (fixture, "mc-bea");
  g_autoptr (TimchatTestClient) cal = timchat_test_connect (fixture, "mc-cal");
  g_autoptr (TimchatTestClient) again = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) page = NULL;
  g_autoptr (JsonObject) sync = NULL;
  g_autofree char *order = NULL;
  g_autofree char *said = NULL;
  g_autofree char *flags = NULL;
  static const char *const expected[] = { "", "u", "l", "ul" };
  JsonArray *list;
  GString *seen = g_string_new ("");

  json_object_unref (send_controlled (amy, "mc-bea", "plain", 1, NULL));
  json_object_unref (send_controlled (amy, "mc-bea", "quiet", 2, "[\"NoUnread\"]"));
  g_usleep (1100 * 1000); /* cal's message, in the next second, is newer than the list's last */
  json_object_unref (send_controlled (cal, "mc-bea", "from cal", 1, NULL));
  g_usleep (1100 * 1000);
  json_object_unref (
      send_controlled (amy, "mc-bea", "unlisted", 3, "[\"NoLastMsg\",\"WithMuteNotifications\"]"));
  json_object_unref (send_controlled (amy, "mc-bea", "silent", 4, "[\"NoUnread\",\"NoLastMsg\"]"));

  /* Live: each push says what its sender asked. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (JsonObject) one = timchat_test_wait_event (bea, "C2cMsgArray", 3000);
      JsonObject *item;

      g_assert_nonnull (one);
      item = timchat_test_push_item (one, "C2cMsgArray");
      if (g_strcmp0 (timchat_test_json_get_string (item, "From_Account"), "mc-amy") != 0)
        continue;
      g_clear_pointer (&flags, g_free);
      flags = control_of (item);
      g_string_append_printf (
          seen, "%s:%s ", timchat_test_json_get_string (item, "MsgBody.0.MsgContent.Text"), flags);
    }
  g_assert_cmpstr (seen->str, ==, "plain: quiet:u unlisted:l silent:ul ");
  g_string_free (seen, TRUE);

  /* The list: 2 unread (plain, unlisted), "quiet" the last, cal's conversation first. */
  said = listed (bea, "mc-amy", &order);
  g_assert_cmpstr (said, ==, "2 quiet");
  g_assert_cmpstr (order, ==, "mc-cal mc-amy");
  g_clear_pointer (&said, g_free);
  said = listed (amy, "mc-bea", NULL);
  g_assert_cmpstr (said, ==, "0 quiet");
  g_clear_pointer (&said, g_free);

  /* History and a fresh login's sync say the same. */
  page = timchat_test_client_request_json (
      bea, "openim.getroammsg", "{\"Peer_Account\":\"mc-amy\",\"MaxCnt\":15,\"MsgKey\":\"\"}",
      NULL);
  list = timchat_test_json_get_array (page, "MsgList");
  g_assert_cmpuint (json_array_get_length (list), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_clear_pointer (&flags, g_free);
      flags = control_of (json_array_get_object_element (list, i));
      g_assert_cmpstr (flags, ==, expected[i]);
    }
  again = timchat_test_connect (fixture, "mc-bea");
  sync = timchat_test_client_request_json (again, "openim.getmsg", "{\"Cookie\":\"\"}", NULL);
  list = timchat_test_json_get_array (sync, "C2CPairUnreadCount");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *pair = json_array_get_object_element (list, i);

      g_assert_cmpint (
          timchat_test_json_get_int (pair, "UnreadCount"), ==,
          g_strcmp0 (timchat_test_json_get_string (pair, "From_Account"), "mc-amy") == 0 ? 2 : 1);
    }
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&order, g_free);
  said = listed (again, "mc-amy", &order);
  g_assert_cmpstr (said, ==, "2 quiet");
  g_assert_cmpstr (order, ==, "mc-cal mc-amy");

  /* REST sendmsg keeps it too (cal's conversation, so its count starts at 1); a bad list is the
   * sender's error. */
  reply =
      timchat_test_rest (fixture, "openim/sendmsg",
                         "{\"From_Account\":\"mc-cal\",\"To_Account\":\"mc-bea\",\"MsgRandom\":9,"
                         "\"SendMsgControl\":[\"NoUnread\",\"NoLastMsg\"],\"MsgBody\":[{"
                         "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"admin\"}}]}",
                         NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_clear_pointer (&said, g_free);
  said = listed (bea, "mc-cal", NULL);
  g_assert_cmpstr (said, ==, "1 from cal");
  g_clear_pointer (&reply, json_object_unref);
  reply =
      timchat_test_rest (fixture, "openim/sendmsg",
                         "{\"From_Account\":\"mc-cal\",\"To_Account\":\"mc-bea\",\"MsgRandom\":9,"
                         "\"SendMsgControl\":[1],\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                         "\"MsgContent\":{\"Text\":\"bad\"}}]}",
                         NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 90001);
  g_clear_pointer (&reply, json_object_unref);
  reply =
      send_body (amy, "mc-bea", "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]",
                 9, 9, "\"SendMsgControl\":\"NoUnread\"");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 10004);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/c2c/text-reaches-peer-and-other-devices",
                   test_text_reaches_peer_and_other_devices);
  g_test_add_func ("/server/c2c/every-element-type", test_every_element_type);
  g_test_add_func ("/server/c2c/bad-input", test_bad_input);
  g_test_add_func ("/server/c2c/resend-once", test_resend_is_stored_and_delivered_once);
  g_test_add_func ("/server/c2c/online-only", test_online_only);
  g_test_add_func ("/server/c2c/resent-after-reconnect", test_resent_after_reconnect);
  g_test_add_func ("/server/c2c/peer-read-time", test_peer_read_time);
  g_test_add_func ("/server/c2c/send-msg-control", test_control);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
