/* test-server-relay.c: merged messages too big to travel inline (the SDK's createMergerMessage
 * over 11,264 bytes): im_long_msg.save_relay_json_msg keeps a list under a new key and
 * get_relay_json_msg gives it back as saved, to anyone logged in with the key, after a restart
 * too, until retention; a bad list is refused with its code; a message may carry a key only once
 * it is saved. */
#define G_LOG_DOMAIN "test-server-relay"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

#define UNKNOWN_KEY "0123456789abcdef0123456789abcdef"

/* One entry of a MsgList as tim-js-sdk 2.27.6 uploads it: to a user, or (group) to a group. */
static char *
item (const char *from, const char *to, gboolean group, gint64 seq, const char *body)
{
  return g_strdup_printf (
      "{\"From_Account\":\"%s\",\"SenderId\":\"%s\",\"MsgTimeStamp\":1795783849,\"MsgSeq\":"
      "%" G_GINT64_FORMAT ",\"ClientSeq\":%" G_GINT64_FORMAT ",\"MsgRandom\":%" G_GINT64_FORMAT
      ",\"CloudCustomData\":\"\",\"MsgClientTime\":1795783849,\"Id\":\"144115-1795783849-"
      "%" G_GINT64_FORMAT "\",\"From_AccountNick\":\"\",\"From_AccountHeadurl\":\"\","
      "\"MsgBody\":%s,\"%s\":\"%s\",\"ReceiverId\":\"%s\"}",
      from, from, seq, seq, 1000 + seq, seq, body, group ? "GroupId" : "To_Account", to, to);
}

static char *
text_item (gint64 seq, const char *text)
{
  g_autofree char *body =
      g_strdup_printf ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]", text);

  return item ("rl-alice", "rl-bob", FALSE, seq, body);
}

/* A list of two of rl-alice's texts, "one" and "two". */
static char *
one_two (void)
{
  g_autofree char *one = text_item (1, "one");
  g_autofree char *two = text_item (2, "two");

  return g_strdup_printf ("[%s,%s]", one, two);
}

static JsonObject *
save (TimchatTestClient *c, const char *list_json)
{
  g_autofree char *body = g_strdup_printf ("{\"MsgList\":%s}", list_json);

  return timchat_test_request_ok (c, "im_long_msg.save_relay_json_msg", body);
}

/* Saves list_json, which must succeed: its key. */
static char *
save_ok (TimchatTestClient *c, const char *list_json)
{
  g_autoptr (JsonObject) reply = save (c, list_json);
  const char *key = timchat_test_json_get_string (reply, "JsonMsgKey");

  if (timchat_test_json_get_int (reply, "ErrorCode") != 0)
    g_test_message ("save: %s", timchat_test_json_get_string (reply, "ErrorInfo"));
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "OK");
  /* 128 random bits as hex; one key for our one (JSON) copy of the list. */
  g_assert_nonnull (key);
  g_assert_cmpuint (strlen (key), ==, 32);
  g_assert_cmpuint (strspn (key, "0123456789abcdef"), ==, 32);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "PbMsgKey"), ==, key);
  return g_strdup (key);
}

static JsonObject *
get (TimchatTestClient *c, const char *key)
{
  g_autofree char *body = g_strdup_printf ("{\"JsonMsgKey\":\"%s\"}", key);

  return timchat_test_request_ok (c, "im_long_msg.get_relay_json_msg", body);
}

/* get of key must answer exactly list_json. */
static void
assert_got (TimchatTestClient *c, const char *key, const char *list_json)
{
  g_autoptr (JsonObject) reply = get (c, key);
  g_autoptr (JsonNode) expected = json_from_string (list_json, NULL);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (expected);
  g_assert_nonnull (timchat_test_json_get_array (reply, "MsgList"));
  g_assert_true (json_node_equal (expected, json_object_get_member (reply, "MsgList")));
}

static void
assert_code (JsonObject *reply, int code)
{
  g_test_message ("-> %" G_GINT64_FORMAT " %s", timchat_test_json_get_int (reply, "ErrorCode"),
                  timchat_test_json_get_string (reply, "ErrorInfo"));
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, code);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "FAIL");
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ErrorInfo"), !=, "");
}

#define ASSERT_SAVE_REFUSED(c, list_json, code)                                                    \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (JsonObject) refused_ = save (c, list_json);                                         \
    assert_code (refused_, code);                                                                  \
  }                                                                                                \
  G_STMT_END

/* A list with a group's message, a nested merger inline and a nested one by key, saved and read
 * back as it was, by its saver and by another user. */
static void
test_save_and_get (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "rl-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "rl-bob");
  g_autofree char *first = text_item (1, "first one");
  g_autofree char *inner_list = g_strdup_printf ("[%s]", first);
  g_autofree char *inner_key = save_ok (alice, inner_list);
  g_autofree char *group = item ("rl-carol", "@TGS#relay", TRUE, 2,
                                 "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":3,"
                                 "\"Data\":\"smile\"}}]");
  g_autofree char *inline_body = g_strdup_printf (
      "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"Older\",\"AbstractList\":"
      "[\"rl-alice: first one\"],\"CompatibleText\":\"Upgrade\",\"MsgNum\":1,\"MsgList\":%s}}]",
      inner_list);
  g_autofree char *nested_inline = item ("rl-alice", "rl-bob", FALSE, 3, inline_body);
  g_autofree char *keyed_body = g_strdup_printf (
      "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"Oldest\",\"AbstractList\":[],"
      "\"MsgNum\":1,\"JsonMsgKey\":\"%s\",\"PbMsgKey\":\"%s\"}}]",
      inner_key, inner_key);
  g_autofree char *nested_keyed = item ("rl-bob", "rl-alice", FALSE, 4, keyed_body);
  g_autofree char *list =
      g_strdup_printf ("[%s,%s,%s,%s]", first, group, nested_inline, nested_keyed);
  g_autofree char *key = save_ok (alice, list);
  g_autofree char *again = save_ok (alice, list);

  assert_got (alice, key, list);
  /* The key is the capability: bob did not save it and reads it. */
  assert_got (bob, key, list);
  assert_got (bob, inner_key, inner_list);
  /* Each save is a list of its own. */
  g_assert_cmpstr (again, !=, key);
  assert_got (bob, again, list);
}

/* Each refusal has its code and a sentence: a list that is not 1 to 300 objects, an entry whose
 * body openim.sendmsg would refuse, a key never handed out, a caller not logged in. The limit
 * itself is allowed. */
static void
test_refused (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "rl-alice");
  g_autoptr (TimchatTestClient) stranger = timchat_test_new_client (fixture, NULL);
  g_autofree char *good = text_item (1, "fine");
  g_autoptr (GString) many = g_string_new ("[");
  g_autoptr (GString) long_text = g_string_new (NULL);
  g_autofree char *bad_text = item ("rl-alice", "rl-bob", FALSE, 2,
                                    "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":5}}]");
  g_autofree char *bad_list = g_strdup_printf ("[%s,%s]", good, bad_text);
  g_autofree char *too_long = NULL;
  g_autoptr (JsonObject) reply = NULL;

  /* Not a list of 1 to 300 messages. */
  ASSERT_SAVE_REFUSED (alice, "[]", TIM_ERROR_INVALID_PARAMETER);
  ASSERT_SAVE_REFUSED (alice, "\"all of them\"", TIM_ERROR_INVALID_PARAMETER);
  ASSERT_SAVE_REFUSED (alice, "{\"0\":{}}", TIM_ERROR_INVALID_PARAMETER);
  ASSERT_SAVE_REFUSED (alice, "[5]", TIM_ERROR_INVALID_PARAMETER);
  reply = timchat_test_request_ok (alice, "im_long_msg.save_relay_json_msg", "{}");
  assert_code (reply, TIM_ERROR_INVALID_PARAMETER);
  for (guint i = 0; i < TIM_MAX_MERGER_MESSAGES; i++)
    g_string_append_printf (many, "%s%s", i > 0 ? "," : "", good);
  g_string_append (many, "]");
  g_free (save_ok (alice, many->str));
  g_string_truncate (many, many->len - 1);
  g_string_append_printf (many, ",%s]", good);
  ASSERT_SAVE_REFUSED (alice, many->str, TIM_ERROR_INVALID_PARAMETER);

  /* A message body that openim.sendmsg would refuse, named by its place in the list. */
  g_clear_pointer (&reply, json_object_unref);
  reply = save (alice, bad_list);
  assert_code (reply, TIM_ERROR_MSG_BODY_INVALID);
  g_assert_true (g_str_has_prefix (timchat_test_json_get_string (reply, "ErrorInfo"),
                                   "MsgList[1].MsgBody[0]"));
  ASSERT_SAVE_REFUSED (alice, "[{\"From_Account\":\"rl-alice\"}]", TIM_ERROR_MSG_BODY_INVALID);
  ASSERT_SAVE_REFUSED (alice, "[{\"MsgBody\":[]}]", TIM_ERROR_MSG_BODY_INVALID);
  ASSERT_SAVE_REFUSED (alice,
                       "[{\"MsgBody\":[{\"MsgType\":\"TIMGroupTipElem\",\"MsgContent\":{}}]}]",
                       TIM_ERROR_MSG_BODY_INVALID);
  ASSERT_SAVE_REFUSED (alice,
                       "[{\"MsgBody\":[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":"
                       "{\"Title\":\"nothing in it\"}}]}]",
                       TIM_ERROR_MSG_BODY_INVALID);
  /* Over the 12 KiB a message's body may have. */
  for (guint i = 0; i < 13 * 1024; i++)
    g_string_append_c (long_text, 'x');
  too_long = text_item (3, long_text->str);
  g_clear_pointer (&bad_list, g_free);
  bad_list = g_strdup_printf ("[%s]", too_long);
  ASSERT_SAVE_REFUSED (alice, bad_list, TIM_ERROR_BODY_TOO_LARGE);

  /* A key never handed out, or no key. */
  g_clear_pointer (&reply, json_object_unref);
  reply = get (alice, UNKNOWN_KEY);
  assert_code (reply, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_request_ok (alice, "im_long_msg.get_relay_json_msg", "{\"JsonMsgKey\":7}");
  assert_code (reply, TIM_ERROR_INVALID_PARAMETER);

  /* Logged in first, as for every other command. */
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_request_ok (stranger, "im_long_msg.get_relay_json_msg",
                                   "{\"JsonMsgKey\":\"" UNKNOWN_KEY "\"}");
  assert_code (reply, TIM_ERROR_MSG_AUTH);
}

/* The TIMRelayElem of a merged message sent by key, as the SDK sends it. */
static char *
relay_body (const char *key)
{
  return g_strdup_printf (
      "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"Chat history\","
      "\"AbstractList\":[\"rl-alice: one\",\"rl-alice: two\"],\"CompatibleText\":\"Upgrade to "
      "see it\",\"MsgNum\":2,\"JsonMsgKey\":\"%s\",\"PbMsgKey\":\"%s\"}}]",
      key, key);
}

static void
assert_relay_content (JsonObject *pushed, const char *key)
{
  JsonObject *content = timchat_test_json_get_object (pushed, "MsgBody.0.MsgContent");

  g_assert_cmpstr (timchat_test_json_get_string (pushed, "MsgBody.0.MsgType"), ==, "TIMRelayElem");
  g_assert_nonnull (content);
  g_assert_cmpstr (timchat_test_json_get_string (content, "JsonMsgKey"), ==, key);
  g_assert_cmpstr (timchat_test_json_get_string (content, "PbMsgKey"), ==, key);
  g_assert_cmpstr (timchat_test_json_get_string (content, "Title"), ==, "Chat history");
  g_assert_cmpstr (timchat_test_json_get_string (content, "AbstractList.1"), ==, "rl-alice: two");
  g_assert_cmpstr (timchat_test_json_get_string (content, "CompatibleText"), ==,
                   "Upgrade to see it");
  g_assert_cmpint (timchat_test_json_get_int (content, "MsgNum"), ==, 2);
}

static JsonObject *
send_c2c (TimchatTestClient *c, gint64 random, const char *body)
{
  g_autofree char *request =
      g_strdup_printf ("{\"To_Account\":\"rl-bob\",\"MsgSeq\":%" G_GINT64_FORMAT
                       ",\"MsgRandom\":%" G_GINT64_FORMAT ",\"MsgBody\":%s}",
                       random, random, body);

  return timchat_test_request_ok (c, "openim.sendmsg", request);
}

static JsonObject *
send_group (TimchatTestClient *c, const char *group, gint64 random, const char *body)
{
  g_autofree char *request = g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT
                                              ",\"ClientSeq\":%" G_GINT64_FORMAT ",\"MsgBody\":%s}",
                                              group, random, random, body);

  return timchat_test_request_ok (c, "group_open_http_svc.send_group_msg", request);
}

/* One-to-one and in a group: a saved key goes through to the peer with the title and abstracts,
 * and the peer reads the list with it; a key never saved is refused and nothing is delivered. */
static void
test_send_by_key (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "rl-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "rl-bob");
  g_autofree char *list = one_two ();
  g_autofree char *key = save_ok (alice, list);
  g_autofree char *body = relay_body (key);
  g_autofree char *unknown = relay_body (UNKNOWN_KEY);
  g_autofree char *inline_body = g_strdup_printf (
      "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"Small\",\"MsgNum\":2,"
      "\"MsgList\":%s}}]",
      list);
  g_autofree char *rest_body = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) pushed = NULL;
  g_autoptr (JsonObject) created = NULL;
  const char *group;

  reply = send_c2c (alice, 7001, body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  pushed = timchat_test_peer_expect (bob, 1, "C2cMsgArray", "MsgRandom", 7001);
  assert_relay_content (pushed, key);
  assert_got (bob->c, timchat_test_json_get_string (pushed, "MsgBody.0.MsgContent.JsonMsgKey"),
              list);

  g_clear_pointer (&reply, json_object_unref);
  reply = send_c2c (alice, 7002, unknown);
  assert_code (reply, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  g_clear_pointer (&reply, json_object_unref);
  reply = send_c2c (alice, 7003,
                    "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":"
                    "\"t\",\"JsonMsgKey\":\"\"}}]");
  assert_code (reply, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  /* Over REST too (the one send path). */
  rest_body = g_strdup_printf ("{\"From_Account\":\"rl-alice\",\"To_Account\":\"rl-bob\","
                               "\"MsgRandom\":7004,\"MsgBody\":%s}",
                               unknown);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_rest (fixture, "openim/sendmsg", rest_body, NULL);
  assert_code (reply, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  /* Inline, a merged message needs no key. */
  g_clear_pointer (&reply, json_object_unref);
  reply = send_c2c (alice, 7005, inline_body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_clear_pointer (&pushed, json_object_unref);
  pushed = timchat_test_peer_expect (bob, 1, "C2cMsgArray", "MsgRandom", 7005);
  g_assert_cmpstr (timchat_test_json_get_string (pushed, "MsgBody.0.MsgContent.MsgList.1.MsgBody.0."
                                                         "MsgContent.Text"),
                   ==, "two");
  g_assert_cmpuint (timchat_test_peer_count (bob, 1, "C2cMsgArray", "MsgRandom", 7002, 0), ==, 0);
  g_assert_cmpuint (timchat_test_peer_count (bob, 1, "C2cMsgArray", "MsgRandom", 7003, 0), ==, 0);
  g_assert_cmpuint (timchat_test_peer_count (bob, 1, "C2cMsgArray", "MsgRandom", 7004, 0), ==, 0);

  created = timchat_test_request_ok (alice, "group_open_http_svc.create_group",
                                     "{\"Type\":\"Private\",\"Name\":\"relay\",\"MemberList\":"
                                     "[{\"Member_Account\":\"rl-bob\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  group = timchat_test_json_get_string (created, "GroupId");
  g_clear_pointer (&reply, json_object_unref);
  reply = send_group (alice, group, 7101, body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_clear_pointer (&pushed, json_object_unref);
  pushed = timchat_test_peer_expect (bob, 3, "GroupMsgArray", "Random", 7101);
  assert_relay_content (pushed, key);
  g_clear_pointer (&reply, json_object_unref);
  reply = send_group (alice, group, 7102, unknown);
  assert_code (reply, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  g_assert_cmpuint (timchat_test_peer_count (bob, 3, "GroupMsgArray", "Random", 7102, 300), ==, 0);
}

/* rl-alice recalls what she sent with random (also its sequence): it must succeed. */
static void
withdraw_ok (TimchatTestClient *c, JsonObject *sent, gint64 random)
{
  g_autoptr (JsonObject) recalled = timchat_test_client_request_printf (
      c, "openim.msgwithdraw",
      "{\"MsgInfo\":{\"From_Account\":\"rl-alice\",\"To_Account\":\"rl-bob\",\"MsgSeq\":"
      "%" G_GINT64_FORMAT ",\"MsgRandom\":%" G_GINT64_FORMAT ",\"MsgTimeStamp\":%" G_GINT64_FORMAT
      "}}",
      random, random, timchat_test_json_get_int (sent, "MsgTime"));

  g_assert_cmpint (timchat_test_json_get_int (recalled, "ErrorCode"), ==, 0);
}

/* A chat history recalled takes its messages back from the server (not only the message that
 * pointed at them), unless a forward still carries the key: then the last recall does; a resend
 * (the same message again) counts once. */
static void
test_recall_removes (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "rl-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "rl-bob");
  g_autofree char *list = one_two ();
  g_autofree char *key = save_ok (alice, list);
  g_autofree char *body = relay_body (key);
  g_autoptr (JsonObject) first = send_c2c (alice, 7201, body);
  g_autoptr (JsonObject) resent = send_c2c (alice, 7201, body);
  g_autoptr (JsonObject) forward = send_c2c (alice, 7202, body);
  g_autoptr (JsonObject) gone = NULL;

  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (resent, "Duplicate"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (forward, "ErrorCode"), ==, 0);
  withdraw_ok (alice, first, 7201);
  /* The forward still carries it. */
  assert_got (bob, key, list);
  withdraw_ok (alice, forward, 7202);
  gone = get (bob, key);
  assert_code (gone, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
}

/* A history inside a history, by key: the inner list stays while the outer list names it, even
 * once its own message is recalled, and goes when the outer one does. */
static void
test_recall_removes_nested (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "rl-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "rl-bob");
  g_autofree char *inner_list = one_two ();
  g_autofree char *inner_key = save_ok (alice, inner_list);
  g_autofree char *inner_body = relay_body (inner_key);
  g_autofree char *inner_item = item ("rl-alice", "rl-bob", FALSE, 3, inner_body);
  g_autofree char *outer_list = g_strdup_printf ("[%s]", inner_item);
  g_autofree char *outer_key = save_ok (alice, outer_list);
  g_autofree char *outer_body = relay_body (outer_key);
  g_autoptr (JsonObject) inner = send_c2c (alice, 7301, inner_body);
  g_autoptr (JsonObject) outer = send_c2c (alice, 7302, outer_body);
  g_autoptr (JsonObject) inner_gone = NULL;
  g_autoptr (JsonObject) outer_gone = NULL;

  g_assert_cmpint (timchat_test_json_get_int (inner, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (outer, "ErrorCode"), ==, 0);
  withdraw_ok (alice, inner, 7301);
  assert_got (bob, inner_key, inner_list);
  withdraw_ok (alice, outer, 7302);
  outer_gone = get (bob, outer_key);
  assert_code (outer_gone, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  inner_gone = get (bob, inner_key);
  assert_code (inner_gone, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
}

static void
test_survives_restart (void)
{
  g_autofree char *list = NULL;
  g_autofree char *key = NULL;

  {
    g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "rl-alice");
    g_autofree char *one = text_item (1, "kept over a restart");

    list = g_strdup_printf ("[%s]", one);
    key = save_ok (alice, list);
  }
  timchat_fixture_stop (fixture);
  timchat_fixture_restart (fixture);
  {
    g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "rl-bob");

    assert_got (bob, key, list);
  }
}

#define OLD_TEXT "a merged line past retention"

/* Stops the server, dates the list saved under key back by days (its saving and its last use),
 * and starts it again. */
static void
restart_with_list_aged (TimchatFixture *f, const char *key, gint64 days)
{
  g_autofree char *path = g_build_filename (timchat_fixture_get_data_dir (f), "timchat.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;

  timchat_fixture_stop (f);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "UPDATE relay_lists SET created = created - ?1, "
                                       "last_used = last_used - ?1 WHERE key = ?2",
                                       -1, &s, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (s, 1, days * 86400);
  sqlite3_bind_text (s, 2, key, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (s);
  sqlite3_close (db);
  timchat_fixture_restart (f);
}

/* Retention (one day here) removes a list saved three days ago, and nothing of it stays in the
 * files' bytes; a fresh one stays. */
static void
test_retention (void)
{
  g_autofree char *old_item = text_item (1, OLD_TEXT);
  g_autofree char *old_list = g_strdup_printf ("[%s]", old_item);
  g_autofree char *fresh_item = text_item (2, "fresh");
  g_autofree char *fresh_list = g_strdup_printf ("[%s]", fresh_item);
  g_autofree char *old_key = NULL;
  g_autofree char *fresh_key = NULL;
  g_autofree char *holding = NULL;
  gint64 code = 0;

  {
    g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "rl-alice");

    old_key = save_ok (alice, old_list);
    fresh_key = save_ok (alice, fresh_list);
  }
  restart_with_list_aged (fixture, old_key, 3);
  {
    g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "rl-bob");

    /* The sweep runs in steps behind the clients' frames. */
    for (guint tries = 0; tries < 100 && code != TIM_ERROR_MESSAGE_MERGER_KEY_INVALID; tries++)
      {
        g_autoptr (JsonObject) reply = get (bob, old_key);

        code = timchat_test_json_get_int (reply, "ErrorCode");
        if (code != TIM_ERROR_MESSAGE_MERGER_KEY_INVALID)
          g_usleep (50 * 1000);
      }
    g_assert_cmpint (code, ==, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
    assert_got (bob, fresh_key, fresh_list);
  }
  holding = timchat_test_wait_data_files_free_of (fixture, OLD_TEXT, 10000);
  g_assert_cmpstr (holding, ==, "");
}

/* created and last_used of the list saved under key, read with the server stopped. */
static void
read_list_times (TimchatFixture *f, const char *key, gint64 *created, gint64 *last_used)
{
  g_autofree char *path = g_build_filename (timchat_fixture_get_data_dir (f), "timchat.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT created, last_used FROM relay_lists WHERE key = ?1",
                                       -1, &s, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (s, 1, key, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  *created = sqlite3_column_int64 (s, 0);
  *last_used = sqlite3_column_int64 (s, 1);
  sqlite3_finalize (s);
  sqlite3_close (db);
}

/* retention_days=0 keeps everything: a list a year old too. And a message sent with its key (a
 * forward) makes it as young as the message, for a retention that counts: it was saved a year
 * ago, last used now. */
static void
test_retention_zero_keeps (void)
{
  const char *const conf[] = { "limits/retention_days=0", NULL };
  g_autoptr (TimchatFixture) forever = timchat_fixture_new (conf);
  g_autofree char *one = text_item (1, "kept for ever");
  g_autofree char *list = g_strdup_printf ("[%s]", one);
  g_autofree char *key = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 created = 0, last_used = 0;

  {
    g_autoptr (TimchatTestClient) alice = timchat_test_connect (forever, "rl-alice");
    g_autoptr (TimchatTestClient) bob = timchat_test_connect (forever, "rl-bob");

    key = save_ok (alice, list);
  }
  restart_with_list_aged (forever, key, 365);
  {
    g_autoptr (TimchatTestClient) alice = timchat_test_connect (forever, "rl-alice");
    g_autoptr (TimchatTestClient) bob = timchat_test_connect (forever, "rl-bob");
    g_autofree char *body = relay_body (key);
    g_autoptr (JsonObject) sent = NULL;

    /* Time for a sweep, were there one. */
    timchat_test_spin (500);
    assert_got (bob, key, list);
    sent = send_c2c (alice, 7201, body);
    g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  }
  timchat_fixture_stop (forever);
  read_list_times (forever, key, &created, &last_used);
  g_assert_cmpint (created, <=, now - 364 * 86400);
  g_assert_cmpint (last_used, >=, now);
}

int
main (int argc, char **argv)
{
  const char *const conf[] = { "limits/retention_days=1", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server/relay/save-and-get", test_save_and_get);
  g_test_add_func ("/server/relay/refused", test_refused);
  g_test_add_func ("/server/relay/send-by-key", test_send_by_key);
  g_test_add_func ("/server/relay/recall-removes", test_recall_removes);
  g_test_add_func ("/server/relay/recall-removes-nested", test_recall_removes_nested);
  g_test_add_func ("/server/relay/survives-restart", test_survives_restart);
  g_test_add_func ("/server/relay/retention", test_retention);
  g_test_add_func ("/server/relay/retention-zero-keeps", test_retention_zero_keeps);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
