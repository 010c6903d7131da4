/* test-server-edit.c: editing a kept message (openim.modify_c2c_msg, openim.modify_group_msg)
 * against the real timchat-server: the reply, the notify pushes, history and the conversation
 * list, every refusal changing nothing, the C2C edit replayed by openim.getmsg, a group member
 * who was away, and a restart. */
#define G_LOG_DOMAIN "test-server-edit"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "timchat-test-extra.h"

#define EVENT 13
#define TEXT_BODY "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]"
#define CUSTOM_BODY "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"%s\"}}]"
#define FACE_BODY "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":1,\"Data\":\"x\"}}]"

static TimchatFixture *fixture;

static JsonObject *
req (TimchatTestClient *c, const char *servcmd, const char *body)
{
  g_autoptr (GError) error = NULL;
  JsonObject *reply = timchat_test_client_request_json (c, servcmd, body, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

/* openim.modify_c2c_msg as the SDK sends it; body_json and ccd may be NULL (left out). */
static JsonObject *
edit_c2c (TimchatTestClient *c, const char *from, const char *to, gint64 seq, gint64 random,
          gint64 time, gint64 version, const char *body_json, const char *ccd)
{
  g_autofree char *body_member =
      body_json != NULL ? g_strdup_printf (",\"MsgBody\":%s", body_json) : g_strdup ("");
  g_autofree char *ccd_member =
      ccd != NULL ? g_strdup_printf (",\"CloudCustomData\":\"%s\"", ccd) : g_strdup ("");
  g_autofree char *request =
      g_strdup_printf ("{\"From_Account\":\"%s\",\"To_Account\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT
                       ",\"MsgRandom\":%" G_GINT64_FORMAT ",\"MsgTime\":%" G_GINT64_FORMAT
                       ",\"MsgVersion\":%" G_GINT64_FORMAT "%s%s}",
                       from, to, seq, random, time, version, body_member, ccd_member);

  return req (c, "openim.modify_c2c_msg", request);
}

static JsonObject *
edit_group (TimchatTestClient *c, const char *group, gint64 seq, gint64 version,
            const char *body_json, const char *ccd)
{
  g_autofree char *body_member =
      body_json != NULL ? g_strdup_printf (",\"MsgBody\":%s", body_json) : g_strdup ("");
  g_autofree char *ccd_member =
      ccd != NULL ? g_strdup_printf (",\"CloudCustomData\":\"%s\"", ccd) : g_strdup ("");
  g_autofree char *request = g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT
                                              ",\"MsgVersion\":%" G_GINT64_FORMAT "%s%s}",
                                              group, seq, version, body_member, ccd_member);

  return req (c, "openim.modify_group_msg", request);
}

static char *
text_body (const char *text)
{
  return g_strdup_printf (TEXT_BODY, text);
}

static void
assert_code (JsonObject *reply, gint64 code)
{
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, code);
  if (code != 0)
    {
      g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "FAIL");
      g_assert_cmpuint (strlen (timchat_test_json_get_string (reply, "ErrorInfo")), >, 8);
    }
}

/* The oldest item of a C2C history page of c with peer. */
static JsonObject *
c2c_history_last (TimchatTestClient *c, const char *peer)
{
  g_autofree char *body = g_strdup_printf ("{\"Peer_Account\":\"%s\",\"MaxCnt\":1}", peer);
  g_autoptr (JsonObject) page = req (c, "openim.getroammsg", body);
  JsonObject *item = timchat_test_json_get_object (page, "MsgList.0");

  g_assert_nonnull (item);
  return json_object_ref (item);
}

static JsonObject *
group_history_item (TimchatTestClient *c, const char *group, gint64 seq)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"ReqMsgSeq\":%" G_GINT64_FORMAT ",\"ReqMsgNumber\":1}", group, seq);
  g_autoptr (JsonObject) reply = req (c, "group_open_http_svc.group_msg_get", body);
  JsonObject *item = timchat_test_json_get_object (reply, "RspMsgList.0");

  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgSeq"), ==, seq);
  return json_object_ref (item);
}

/* c's conversation with peer (a user or a group), which must be listed. */
static JsonObject *
listed_item (TimchatTestClient *c, const char *peer)
{
  JsonObject *item = timchat_test_session_item (c, 0, peer);

  g_assert_nonnull (item);
  return item;
}

static void
assert_text (JsonObject *item, const char *body_path, const char *text, gint64 version)
{
  g_autofree char *text_path = g_strconcat (body_path, "MsgBody.0.MsgContent.Text", NULL);
  g_autofree char *version_path = g_strconcat (body_path, "MsgVersion", NULL);

  g_assert_cmpstr (timchat_test_json_get_string (item, text_path), ==, text);
  g_assert_cmpint (timchat_test_json_get_int (item, version_path), ==, version);
}

static JsonObject *
getmsg (TimchatTestClient *c, const char *cookie)
{
  return timchat_test_client_request_printf (
      c, "openim.getmsg",
      "{\"Cookie\":\"%s\",\"SyncFlag\":0,\"NeedAbstract\":1,\"IsOnlineSync\":0,"
      "\"NeedSignaling\":1}",
      cookie);
}

static void
test_c2c (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "e-alice");
  g_autoptr (TimchatTestPeer) laptop = timchat_test_peer_new (fixture, "e-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "e-bob");
  g_autoptr (JsonObject) sent = timchat_test_send_text (alice->c, "e-bob", "helo", 101, 102);
  gint64 time = timchat_test_json_get_int (sent, "MsgTime");
  g_autofree char *hello = text_body ("hello");
  g_autofree char *hello2 = text_body ("hello again");
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) stale = NULL;
  g_autoptr (JsonObject) second = NULL;
  g_autoptr (JsonObject) item = NULL;
  g_autoptr (JsonObject) conv = NULL;
  JsonObject *notify;

  json_object_unref (timchat_test_peer_expect (bob, 1, "C2cMsgArray", "MsgRandom", 102));
  json_object_unref (timchat_test_peer_expect (laptop, 1, "C2cMsgArray", "MsgRandom", 102));
  item = c2c_history_last (bob->c, "e-alice");
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgVersion"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgModifiedFlag"), ==, 0);
  g_clear_pointer (&item, json_object_unref);

  reply = edit_c2c (alice->c, "e-alice", "e-bob", 101, 102, time, 0, hello, "quote:1");
  assert_code (reply, 0);
  assert_text (reply, "", "hello", 1);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "CloudCustomData"), ==, "quote:1");

  /* The peer and the sender's other device; not the device that edited. */
  notify = timchat_test_peer_expect (bob, EVENT, "C2cMsgModNotifys", "MsgRandom", 102);
  g_assert_cmpstr (timchat_test_json_get_string (notify, "From_Account"), ==, "e-alice");
  g_assert_cmpstr (timchat_test_json_get_string (notify, "To_Account"), ==, "e-bob");
  g_assert_cmpint (timchat_test_json_get_int (notify, "MsgSeq"), ==, 101);
  g_assert_cmpint (timchat_test_json_get_int (notify, "MsgTime"), ==, time);
  assert_text (notify, "", "hello", 1);
  g_assert_cmpstr (timchat_test_json_get_string (notify, "CloudCustomData"), ==, "quote:1");
  json_object_unref (notify);
  notify = timchat_test_peer_expect (laptop, EVENT, "C2cMsgModNotifys", "MsgRandom", 102);
  assert_text (notify, "", "hello", 1);
  json_object_unref (notify);
  g_assert_cmpuint (
      timchat_test_peer_count (alice, EVENT, "C2cMsgModNotifys", "MsgRandom", 102, 300), ==, 0);

  /* History and the conversation list, on both sides. */
  item = c2c_history_last (bob->c, "e-alice");
  assert_text (item, "", "hello", 1);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgModifiedFlag"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (item, "CloudCustomData"), ==, "quote:1");
  g_clear_pointer (&item, json_object_unref);
  item = c2c_history_last (alice->c, "e-bob");
  assert_text (item, "", "hello", 1);
  conv = listed_item (bob->c, "e-alice");
  assert_text (conv, "LastMsg.", "hello", 1);
  g_clear_pointer (&conv, json_object_unref);
  conv = listed_item (alice->c, "e-bob");
  assert_text (conv, "LastMsg.", "hello", 1);

  /* An edit made from version 0 again lost: 20027 with what it says now, nothing changed. */
  stale = edit_c2c (laptop->c, "e-alice", "e-bob", 101, 102, time, 0, hello2, NULL);
  assert_code (stale, 20027);
  assert_text (stale, "", "hello", 1);
  g_assert_cmpstr (timchat_test_json_get_string (stale, "CloudCustomData"), ==, "quote:1");
  g_assert_cmpuint (timchat_test_peer_count (bob, EVENT, "C2cMsgModNotifys", "MsgVersion", 2, 300),
                    ==, 0);
  g_clear_pointer (&item, json_object_unref);
  item = c2c_history_last (bob->c, "e-alice");
  assert_text (item, "", "hello", 1);

  /* From version 1 it goes; CloudCustomData left out stays. */
  second = edit_c2c (laptop->c, "e-alice", "e-bob", 101, 102, time, 1, hello2, NULL);
  assert_code (second, 0);
  assert_text (second, "", "hello again", 2);
  g_assert_cmpstr (timchat_test_json_get_string (second, "CloudCustomData"), ==, "quote:1");
  notify = timchat_test_peer_expect (alice, EVENT, "C2cMsgModNotifys", "MsgVersion", 2);
  json_object_unref (notify);
  notify = timchat_test_peer_expect (bob, EVENT, "C2cMsgModNotifys", "MsgVersion", 2);
  assert_text (notify, "", "hello again", 2);
  json_object_unref (notify);
}

/* Every refusal answers a code and a sentence, and changes nothing: history still says the
 * first text at version 0, and nobody was told of an edit. */
static void
test_c2c_refusals (void)
{
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "e-carol");
  g_autoptr (TimchatTestPeer) dave = timchat_test_peer_new (fixture, "e-dave");
  g_autoptr (TimchatTestClient) erin = timchat_test_connect (fixture, "e-erin");
  g_autoptr (JsonObject) sent = timchat_test_send_text (carol->c, "e-dave", "original", 201, 202);
  gint64 time = timchat_test_json_get_int (sent, "MsgTime");
  g_autofree char *fixed = text_body ("fixed");
  g_autofree char *custom = g_strdup_printf (CUSTOM_BODY, "{}");
  g_autofree char *huge_text = g_strnfill (13 * 1024, 'x');
  g_autofree char *huge = text_body (huge_text);
  g_autoptr (JsonObject) item = NULL;

  json_object_unref (timchat_test_peer_expect (dave, 1, "C2cMsgArray", "MsgRandom", 202));
#define REFUSED(code, reply_expr)                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (JsonObject) refused_ = (reply_expr);                                                \
    assert_code (refused_, code);                                                                  \
  }                                                                                                \
  G_STMT_END

  /* Not the sender; not a party at all; no such message; the wrong time. */
  REFUSED (20017, edit_c2c (dave->c, "e-carol", "e-dave", 201, 202, time, 0, fixed, NULL));
  REFUSED (20026, edit_c2c (erin, "e-carol", "e-dave", 201, 202, time, 0, fixed, NULL));
  REFUSED (20026, edit_c2c (carol->c, "e-carol", "e-dave", 999, 202, time, 0, fixed, NULL));
  REFUSED (20026, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time - 5, 0, fixed, NULL));
  /* The element types stay: a text does not become a custom or a face. */
  REFUSED (90005, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time, 0, custom, NULL));
  REFUSED (90005, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time, 0, FACE_BODY, NULL));
  /* Validated as a send. */
  REFUSED (80002, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time, 0, huge, NULL));
  REFUSED (90005, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time, 0,
                            "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":7}}]", NULL));
  REFUSED (90005, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time, 0, "\"text\"", NULL));
  REFUSED (90005, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time, 0, "[]", NULL));
  /* Bad fields. */
  REFUSED (10004, edit_c2c (carol->c, "e-carol", "e-dave", 201, 202, time, 0, NULL, NULL));
  REFUSED (
      10004,
      req (carol->c, "openim.modify_c2c_msg",
           "{\"From_Account\":\"e-carol\",\"To_Account\":\"e-dave\",\"MsgSeq\":201,"
           "\"MsgRandom\":202,\"MsgTime\":1,\"MsgVersion\":\"new\",\"CloudCustomData\":\"\"}"));
  REFUSED (10004, req (carol->c, "openim.modify_c2c_msg",
                       "{\"From_Account\":\"e-carol\",\"To_Account\":\"e-dave\",\"MsgSeq\":201,"
                       "\"MsgVersion\":0,\"CloudCustomData\":\"\"}"));
  REFUSED (10004, req (carol->c, "openim.modify_c2c_msg",
                       "{\"From_Account\":\"e-carol\",\"To_Account\":\"e-dave\",\"MsgSeq\":201,"
                       "\"MsgRandom\":202,\"MsgTime\":1,\"MsgVersion\":0,\"CloudCustomData\":5}"));

  item = c2c_history_last (dave->c, "e-carol");
  assert_text (item, "", "original", 0);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgModifiedFlag"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (item, "CloudCustomData"), ==, "");
  g_assert_cmpuint (timchat_test_peer_count (dave, EVENT, "C2cMsgModNotifys", NULL, 0, 300), ==, 0);

  /* An online-only message was never kept; a recalled one says nothing any more. */
  {
    g_autoptr (JsonObject) online = timchat_test_client_request_printf (
        carol->c, "openim.sendmsg",
        "{\"To_Account\":\"e-dave\",\"MsgSeq\":203,\"MsgRandom\":204,\"MsgLifeTime\":0,"
        "\"MsgBody\":" TEXT_BODY "}",
        "typing");
    g_autoptr (JsonObject) doomed = timchat_test_send_text (carol->c, "e-dave", "oops", 205, 206);
    gint64 doomed_time = timchat_test_json_get_int (doomed, "MsgTime");
    g_autoptr (JsonObject) recalled = timchat_test_client_request_printf (
        carol->c, "openim.msgwithdraw",
        "{\"MsgInfo\":{\"From_Account\":\"e-carol\",\"To_Account\":\"e-dave\",\"MsgSeq\":205,"
        "\"MsgRandom\":206,\"MsgTimeStamp\":%" G_GINT64_FORMAT "}}",
        doomed_time);

    assert_code (online, 0);
    assert_code (recalled, 0);
    REFUSED (20026, edit_c2c (carol->c, "e-carol", "e-dave", 203, 204,
                              timchat_test_json_get_int (online, "MsgTime"), 0, fixed, NULL));
    REFUSED (20023,
             edit_c2c (carol->c, "e-carol", "e-dave", 205, 206, doomed_time, 0, fixed, NULL));
    g_clear_pointer (&item, json_object_unref);
    item = c2c_history_last (dave->c, "e-carol");
    g_assert_cmpint (timchat_test_json_get_int (item, "MsgFlagBits"), ==, 8);
    assert_text (item, "", "", 0);
  }
  g_assert_cmpuint (timchat_test_peer_count (dave, EVENT, "C2cMsgModNotifys", NULL, 0, 300), ==, 0);

  /* A custom message may become another custom message, and not a text. */
  {
    g_autofree char *first = g_strdup_printf (CUSTOM_BODY, "v1");
    g_autofree char *second = g_strdup_printf (CUSTOM_BODY, "v2");
    g_autofree char *send = g_strdup_printf (
        "{\"To_Account\":\"e-dave\",\"MsgSeq\":207,\"MsgRandom\":208,\"MsgBody\":%s}", first);
    g_autoptr (JsonObject) stored = req (carol->c, "openim.sendmsg", send);
    gint64 custom_time = timchat_test_json_get_int (stored, "MsgTime");
    g_autoptr (JsonObject) ok =
        edit_c2c (carol->c, "e-carol", "e-dave", 207, 208, custom_time, 0, second, NULL);

    assert_code (stored, 0);
    REFUSED (90005,
             edit_c2c (carol->c, "e-carol", "e-dave", 207, 208, custom_time, 0, fixed, NULL));
    assert_code (ok, 0);
    g_assert_cmpstr (timchat_test_json_get_string (ok, "MsgBody.0.MsgContent.Data"), ==, "v2");
    g_assert_cmpint (timchat_test_json_get_int (ok, "MsgVersion"), ==, 1);
  }
#undef REFUSED
}

/* A device that was away replays the edit from openim.getmsg, as the notify it missed. */
static void
test_c2c_offline (void)
{
  g_autoptr (TimchatTestClient) frank = timchat_test_connect (fixture, "e-frank");
  g_autoptr (TimchatTestClient) grace = timchat_test_connect (fixture, "e-grace");
  g_autoptr (JsonObject) fresh = getmsg (grace, "");
  g_autoptr (JsonObject) sent = timchat_test_send_text (frank, "e-grace", "see you at 5", 301, 302);
  gint64 time = timchat_test_json_get_int (sent, "MsgTime");
  g_autoptr (JsonObject) caught_up = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) replay = NULL;
  g_autofree char *six = text_body ("see you at 6");
  g_autofree char *cookie = NULL;
  JsonArray *events;
  JsonObject *notify = NULL;

  caught_up = getmsg (grace, timchat_test_json_get_string (fresh, "Cookie"));
  g_assert_cmpint (timchat_test_json_get_int (caught_up, "MsgList.0.MsgRandom"), ==, 302);
  cookie = g_strdup (timchat_test_json_get_string (caught_up, "Cookie"));
  timchat_test_client_close (grace, 1000);

  reply = edit_c2c (frank, "e-frank", "e-grace", 301, 302, time, 0, six, NULL);
  assert_code (reply, 0);

  {
    g_autoptr (TimchatTestClient) grace_again = timchat_test_connect (fixture, "e-grace");

    replay = getmsg (grace_again, cookie);
  }
  assert_code (replay, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (replay, "MsgList")), ==, 0);
  events = timchat_test_json_get_array (replay, "EventArray");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *entry = json_array_get_object_element (events, i);

      if (timchat_test_entry_matches (entry, EVENT, "C2cMsgModNotifys", "MsgRandom", 302))
        notify = timchat_test_json_get_object (entry, "C2cMsgModNotifys.0");
    }
  g_assert_nonnull (notify);
  g_assert_cmpstr (timchat_test_json_get_string (notify, "From_Account"), ==, "e-frank");
  g_assert_cmpstr (timchat_test_json_get_string (notify, "To_Account"), ==, "e-grace");
  g_assert_cmpint (timchat_test_json_get_int (notify, "MsgSeq"), ==, 301);
  g_assert_cmpint (timchat_test_json_get_int (notify, "MsgTime"), ==, time);
  assert_text (notify, "", "see you at 6", 1);
}

static char *
create_group (TimchatTestClient *owner, const char *members_json)
{
  g_autofree char *body =
      g_strdup_printf ("{\"Type\":\"Private\",\"Name\":\"edits\",\"MemberList\":%s}", members_json);
  g_autoptr (JsonObject) reply = req (owner, "group_open_http_svc.create_group", body);

  assert_code (reply, 0);
  return g_strdup (timchat_test_json_get_string (reply, "GroupId"));
}

static JsonObject *
send_group_text (TimchatTestClient *c, const char *group, const char *text, gint64 random,
                 gboolean online_only)
{
  g_autofree char *body = g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT
                                           ",\"ClientSeq\":%" G_GINT64_FORMAT
                                           ",\"OnlineOnlyFlag\":%d,\"MsgBody\":" TEXT_BODY "}",
                                           group, random, random + 1000, online_only ? 1 : 0, text);
  JsonObject *reply = req (c, "group_open_http_svc.send_group_msg", body);

  assert_code (reply, 0);
  return reply;
}

static void
test_group (void)
{
  g_autoptr (TimchatTestPeer) hank = timchat_test_peer_new (fixture, "e-hank");
  g_autoptr (TimchatTestPeer) tablet = timchat_test_peer_new (fixture, "e-hank");
  g_autoptr (TimchatTestPeer) ivy = timchat_test_peer_new (fixture, "e-ivy");
  g_autoptr (TimchatTestClient) kate = timchat_test_connect (fixture, "e-kate");
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) stale = NULL;
  g_autoptr (JsonObject) item = NULL;
  g_autoptr (JsonObject) conv = NULL;
  g_autofree char *group = NULL;
  g_autofree char *fixed = text_body ("lunch at noon");
  g_autofree char *later = text_body ("lunch at one");
  gint64 seq, time;
  JsonObject *notify;

  /* jack is a member who is away the whole time. */
  {
    g_autoptr (TimchatTestClient) jack = timchat_test_connect (fixture, "e-jack");
  }
  group =
      create_group (hank->c, "[{\"Member_Account\":\"e-ivy\"},{\"Member_Account\":\"e-jack\"}]");
  sent = send_group_text (hank->c, group, "lunch at non", 401, FALSE);
  seq = timchat_test_json_get_int (sent, "MsgSeq");
  time = timchat_test_json_get_int (sent, "MsgTime");
  json_object_unref (timchat_test_peer_expect (ivy, 3, "GroupMsgArray", "MsgSeq", seq));

  reply = edit_group (hank->c, group, seq, 0, fixed, "reply-to:3");
  assert_code (reply, 0);
  assert_text (reply, "", "lunch at noon", 1);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "CloudCustomData"), ==, "reply-to:3");

  notify = timchat_test_peer_expect (ivy, EVENT, "GroupMsgModNotifys", "MsgSeq", seq);
  g_assert_cmpstr (timchat_test_json_get_string (notify, "GroupId"), ==, group);
  g_assert_cmpstr (timchat_test_json_get_string (notify, "From_Account"), ==, "e-hank");
  g_assert_cmpint (timchat_test_json_get_int (notify, "MsgRandom"), ==, 401);
  g_assert_cmpint (timchat_test_json_get_int (notify, "MsgTime"), ==, time);
  assert_text (notify, "", "lunch at noon", 1);
  g_assert_cmpstr (timchat_test_json_get_string (notify, "CloudCustomData"), ==, "reply-to:3");
  json_object_unref (notify);
  notify = timchat_test_peer_expect (tablet, EVENT, "GroupMsgModNotifys", "MsgSeq", seq);
  json_object_unref (notify);
  g_assert_cmpuint (timchat_test_peer_count (hank, EVENT, "GroupMsgModNotifys", "MsgSeq", seq, 300),
                    ==, 0);

  conv = listed_item (ivy->c, group);
  assert_text (conv, "LastMsg.", "lunch at noon", 1);

  /* Refusals, each changing nothing. */
  {
    g_autoptr (JsonObject) r1 = edit_group (ivy->c, group, seq, 0, later, NULL);
    g_autoptr (JsonObject) r2 = edit_group (kate, group, seq, 0, later, NULL);
    g_autoptr (JsonObject) r3 = edit_group (hank->c, group, 999, 0, later, NULL);
    g_autoptr (JsonObject) r4 = edit_group (hank->c, group, 1, 0, later, NULL); /* the join tip */
    g_autoptr (JsonObject) r5 = edit_group (hank->c, "@TGS#nope", seq, 0, later, NULL);
    g_autoptr (JsonObject) r6 = edit_group (hank->c, group, 0, 0, later, NULL);
    g_autoptr (JsonObject) r7 = edit_group (hank->c, group, seq, 1, FACE_BODY, NULL);

    assert_code (r1, 10007);
    assert_code (r2, 10007);
    assert_code (r3, 20026);
    assert_code (r4, 20026);
    assert_code (r5, 10010);
    assert_code (r6, 20026);
    assert_code (r7, 90005);
  }
  stale = edit_group (tablet->c, group, seq, 0, later, NULL);
  assert_code (stale, 20027);
  assert_text (stale, "", "lunch at noon", 1);
  g_assert_cmpstr (timchat_test_json_get_string (stale, "CloudCustomData"), ==, "reply-to:3");
  g_assert_cmpuint (timchat_test_peer_count (ivy, EVENT, "GroupMsgModNotifys", NULL, 0, 300), ==,
                    0);

  /* jack, away, reads the new text with its version from history. */
  {
    g_autoptr (TimchatTestClient) jack = timchat_test_connect (fixture, "e-jack");

    item = group_history_item (jack, group, seq);
    assert_text (item, "", "lunch at noon", 1);
    g_assert_cmpint (timchat_test_json_get_int (item, "MsgModifiedFlag"), ==, 1);
    g_assert_cmpstr (timchat_test_json_get_string (item, "CloudCustomData"), ==, "reply-to:3");
  }

  /* An online-only one has no seq; a recalled one says nothing. */
  {
    g_autoptr (JsonObject) online = send_group_text (hank->c, group, "typing", 402, TRUE);
    g_autoptr (JsonObject) doomed = send_group_text (hank->c, group, "oops", 403, FALSE);
    gint64 doomed_seq = timchat_test_json_get_int (doomed, "MsgSeq");
    g_autofree char *recall_body =
        g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgSeqList\":[{\"MsgSeq\":%" G_GINT64_FORMAT "}]}",
                         group, doomed_seq);
    g_autoptr (JsonObject) recalled =
        req (hank->c, "group_open_http_svc.group_msg_recall", recall_body);
    g_autoptr (JsonObject) r1 = NULL;

    g_assert_cmpint (timchat_test_json_get_int (online, "MsgSeq"), ==, 0);
    g_assert_cmpint (timchat_test_json_get_int (recalled, "RecallRetList.0.RetCode"), ==, 0);
    r1 = edit_group (hank->c, group, doomed_seq, 0, later, NULL);
    assert_code (r1, 20023);
  }
}

/* An edit reaches every member as the message did, so a member muted (setGroupMemberMuteTime),
 * or a plain member while all are muted, is refused it as their send is (10017): the mute would
 * otherwise leave them free to change what an old message of theirs says to everyone. Nothing
 * changes and nobody is told; the owner still edits under mute-all, and once unmuted the member
 * edits again. */
static void
test_group_muted (void)
{
  g_autoptr (TimchatTestClient) olga = timchat_test_connect (fixture, "e-olga");
  g_autoptr (TimchatTestClient) pete = timchat_test_connect (fixture, "e-pete");
  g_autoptr (TimchatTestPeer) quinn = timchat_test_peer_new (fixture, "e-quinn");
  g_autofree char *group =
      create_group (olga, "[{\"Member_Account\":\"e-pete\"},{\"Member_Account\":\"e-quinn\"}]");
  g_autoptr (JsonObject) sent = send_group_text (pete, group, "hi all", 601, FALSE);
  g_autoptr (JsonObject) rules = send_group_text (olga, group, "rules", 602, FALSE);
  gint64 seq = timchat_test_json_get_int (sent, "MsgSeq");
  gint64 rules_seq = timchat_test_json_get_int (rules, "MsgSeq");
  g_autofree char *spam = text_body ("buy now");
  g_autofree char *mute = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Member_Account\":\"e-pete\",\"ShutUpTime\":600}", group);
  g_autofree char *unmute = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"Member_Account\":\"e-pete\",\"ShutUpTime\":0}", group);
  g_autofree char *mute_all =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"ShutUpAllMember\":\"On\"}", group);
  g_autoptr (JsonObject) muted = NULL, refused = NULL, refused_ccd = NULL, item = NULL;
  g_autoptr (JsonObject) unmuted = NULL, edited = NULL, all_muted = NULL, refused_all = NULL;
  g_autoptr (JsonObject) owner_edit = NULL;

  json_object_unref (timchat_test_peer_expect (quinn, 3, "GroupMsgArray", "MsgSeq", rules_seq));
  muted = req (olga, "group_open_http_svc.modify_group_member_info", mute);
  assert_code (muted, 0);

  refused = edit_group (pete, group, seq, 0, spam, NULL);
  assert_code (refused, TIM_ERROR_GROUP_MUTED);
  refused_ccd = edit_group (pete, group, seq, 0, NULL, "https://spam.example");
  assert_code (refused_ccd, TIM_ERROR_GROUP_MUTED);
  g_assert_cmpuint (timchat_test_peer_count (quinn, EVENT, "GroupMsgModNotifys", NULL, 0, 300), ==,
                    0);
  item = group_history_item (quinn->c, group, seq);
  assert_text (item, "", "hi all", 0);
  g_assert_cmpstr (timchat_test_json_get_string (item, "CloudCustomData"), ==, "");

  unmuted = req (olga, "group_open_http_svc.modify_group_member_info", unmute);
  assert_code (unmuted, 0);
  edited = edit_group (pete, group, seq, 0, spam, NULL);
  assert_code (edited, 0);
  assert_text (edited, "", "buy now", 1);

  /* Mute-all: only the owner and admins post, and edit. */
  all_muted = req (olga, "group_open_http_svc.modify_group_base_info", mute_all);
  assert_code (all_muted, 0);
  refused_all = edit_group (pete, group, seq, 1, spam, "again");
  assert_code (refused_all, TIM_ERROR_GROUP_MUTED);
  owner_edit = edit_group (olga, group, rules_seq, 0, spam, NULL);
  assert_code (owner_edit, 0);
}

#define LOCATION_BODY                                                                              \
  "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"%s\",\"Longitude\":113.93,"        \
  "\"Latitude\":22.54}}]"

static JsonObject *
send_location (TimchatTestClient *c, const char *group, const char *body, gint64 random,
               const char *ccd)
{
  g_autofree char *request = g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT
                                              ",\"ClientSeq\":%" G_GINT64_FORMAT
                                              ",\"MsgBody\":%s,\"CloudCustomData\":\"%s\"}",
                                              group, random, random, body, ccd);

  return req (c, "group_open_http_svc.send_group_msg", request);
}

/* A location 8 bytes short of 12 KB, edited to carry 8 bytes of CloudCustomData: as big as a
 * send may be, which the same body with those 8 bytes shows (9 are too many). The kept body
 * writes each double with 17 digits ("113.93000000000001") where the sender wrote "113.93"; a
 * send does not count the difference, nor must an edit, or it refuses (80002) a message no
 * bigger than one the server took. */
static void
test_size_as_sent (void)
{
  g_autoptr (TimchatTestClient) rae = timchat_test_connect (fixture, "e-rae");
  g_autofree char *group = create_group (rae, "[]");
  g_autofree char *empty = g_strdup_printf (LOCATION_BODY, "");
  g_autofree char *desc = g_strnfill (12 * 1024 - 8 - strlen (empty), 'a');
  g_autofree char *body = g_strdup_printf (LOCATION_BODY, desc);
  g_autoptr (JsonObject) sent = NULL, full = NULL, over = NULL, edited = NULL, too_big = NULL;
  gint64 seq;

  g_assert_cmpuint (strlen (body), ==, 12 * 1024 - 8);
  sent = send_location (rae, group, body, 801, "");
  assert_code (sent, 0);
  seq = timchat_test_json_get_int (sent, "MsgSeq");
  full = send_location (rae, group, body, 802, "like:sid");
  assert_code (full, 0);
  over = send_location (rae, group, body, 803, "like:sid!");
  assert_code (over, 80002);

  edited = edit_group (rae, group, seq, 0, NULL, "like:sid");
  assert_code (edited, 0);
  g_assert_cmpstr (timchat_test_json_get_string (edited, "CloudCustomData"), ==, "like:sid");
  g_assert_cmpint (timchat_test_json_get_int (edited, "MsgVersion"), ==, 1);
  too_big = edit_group (rae, group, seq, 1, NULL, "like:sid!");
  assert_code (too_big, 80002);
}

/* An edit is on disk before its reply: a restart keeps the text and the version. */
static void
test_restart_keeps_edits (void)
{
  g_autoptr (TimchatTestClient) lena = timchat_test_connect (fixture, "e-lena");
  g_autoptr (TimchatTestClient) mo = timchat_test_connect (fixture, "e-mo");
  g_autoptr (JsonObject) sent = timchat_test_send_text (lena, "e-mo", "draft", 501, 502);
  gint64 time = timchat_test_json_get_int (sent, "MsgTime");
  g_autofree char *final = text_body ("final");
  g_autofree char *final2 = text_body ("final, really");
  g_autofree char *group = create_group (lena, "[{\"Member_Account\":\"e-mo\"}]");
  g_autoptr (JsonObject) group_sent = send_group_text (lena, group, "agenda", 503, FALSE);
  gint64 seq = timchat_test_json_get_int (group_sent, "MsgSeq");
  g_autoptr (JsonObject) edited = edit_c2c (lena, "e-lena", "e-mo", 501, 502, time, 0, final, NULL);
  g_autoptr (JsonObject) group_edited = edit_group (lena, group, seq, 0, final, NULL);

  assert_code (edited, 0);
  assert_code (group_edited, 0);
  g_clear_pointer (&lena, timchat_test_client_free);
  g_clear_pointer (&mo, timchat_test_client_free);
  timchat_fixture_restart (fixture);

  lena = timchat_test_connect (fixture, "e-lena");
  mo = timchat_test_connect (fixture, "e-mo");
  {
    g_autoptr (JsonObject) item = c2c_history_last (mo, "e-lena");
    g_autoptr (JsonObject) group_item = group_history_item (mo, group, seq);
    g_autoptr (JsonObject) stale =
        edit_c2c (lena, "e-lena", "e-mo", 501, 502, time, 0, final2, NULL);
    g_autoptr (JsonObject) again =
        edit_c2c (lena, "e-lena", "e-mo", 501, 502, time, 1, final2, NULL);

    assert_text (item, "", "final", 1);
    assert_text (group_item, "", "final", 1);
    assert_code (stale, 20027);
    assert_code (again, 0);
    assert_text (again, "", "final, really", 2);
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/edit/c2c", test_c2c);
  g_test_add_func ("/server/edit/c2c-refusals", test_c2c_refusals);
  g_test_add_func ("/server/edit/c2c-offline", test_c2c_offline);
  g_test_add_func ("/server/edit/group", test_group);
  g_test_add_func ("/server/edit/group-muted", test_group_muted);
  g_test_add_func ("/server/edit/size-as-sent", test_size_as_sent);
  g_test_add_func ("/server/edit/restart-keeps-edits", test_restart_keeps_edits);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
