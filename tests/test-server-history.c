/* test-server-history.c: openim.getroammsg paging over the real server, and deleting messages
 * for oneself (deleteMessage). */
#define G_LOG_DOMAIN "test-server-history"

#include "config.h"

#include "tim-error.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;

/* Pages through the whole conversation with the reply's cursors, oldest-first per page. */
static GPtrArray *
read_all_pages (TimchatTestClient *c, const char *peer, guint *pages_out)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = g_strdup ("");
  gint64 last_time = 0;
  gboolean complete = FALSE;
  guint pages = 0;

  while (!complete)
    {
      g_autoptr (JsonObject) page = timchat_test_client_request_printf (
          c, "openim.getroammsg",
          "{\"Peer_Account\":\"%s\",\"MaxCnt\":15,\"LastMsgTime\":%" G_GINT64_FORMAT
          ",\"MsgKey\":\"%s\","
          "\"WithRecalledMsg\":1,\"GetDirection\":0}",
          peer, last_time, cursor);
      JsonArray *list = timchat_test_json_get_array (page, "MsgList");
      gint64 previous_seq = -1;

      g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
      g_assert_nonnull (list);
      g_assert_cmpuint (json_array_get_length (list), <=, 15);
      /* This page goes in front of what we have: it is older. */
      for (guint i = json_array_get_length (list); i > 0; i--)
        {
          JsonObject *msg = json_array_get_object_element (list, i - 1);
          gint64 seq = timchat_test_json_get_int (msg, "ServerSeq");

          if (previous_seq >= 0)
            g_assert_cmpint (seq, <, previous_seq); /* oldest first within a page */
          previous_seq = seq;
          g_ptr_array_insert (
              texts, 0, g_strdup (timchat_test_json_get_string (msg, "MsgBody.0.MsgContent.Text")));
        }
      complete = timchat_test_json_get_int (page, "Complete") == 1;
      g_free (cursor);
      cursor = g_strdup (timchat_test_json_get_string (page, "MsgKey"));
      last_time = timchat_test_json_get_int (page, "LastMsgTime");
      pages++;
      g_assert_cmpuint (pages, <, 200);
    }
  if (pages_out != NULL)
    *pages_out = pages;
  return texts;
}

static void
test_paging_40 (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (GPtrArray) seen_by_bob = NULL;
  g_autoptr (GPtrArray) seen_by_alice = NULL;
  guint pages = 0;

  for (int i = 1; i <= 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%02d", i);
      /* Both directions share one order. */
      json_object_unref (timchat_test_send_text (i % 3 ? alice : bob, i % 3 ? "bob" : "alice", text,
                                                 100 + i, 1000 + i));
    }
  seen_by_bob = read_all_pages (bob, "alice", &pages);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen_by_bob->len, ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *expected = g_strdup_printf ("m%02u", i + 1);
      g_assert_cmpstr (seen_by_bob->pdata[i], ==, expected);
    }
  seen_by_alice = read_all_pages (alice, "bob", NULL);
  g_assert_cmpuint (seen_by_alice->len, ==, 40);
}

static void
test_recalled_are_included_and_flagged (void)
{
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "dave");
  g_autoptr (JsonObject) sent = timchat_test_send_text (carol, "dave", "oops", 7, 8);
  g_autoptr (JsonObject) recall =
      timchat_test_client_request_printf (carol, "openim.msgwithdraw",
                                          "{\"MsgInfo\":{\"From_Account\":\"carol\",\"To_Account\":"
                                          "\"dave\",\"MsgSeq\":7,\"MsgRandom\":8,"
                                          "\"MsgTimeStamp\":%" G_GINT64_FORMAT "}}",
                                          timchat_test_json_get_int (sent, "MsgTime"));
  g_autoptr (JsonObject) page = NULL;

  g_assert_cmpint (timchat_test_json_get_int (recall, "ErrorCode"), ==, 0);
  page = timchat_test_client_request_json (
      dave, "openim.getroammsg",
      "{\"Peer_Account\":\"carol\",\"MaxCnt\":15,\"LastMsgTime\":0,\"MsgKey\":\"\"}", NULL);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (page, "MsgList")), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (page, "MsgList.0.MsgFlagBits"), ==, 8);
  g_assert_cmpstr (timchat_test_json_get_string (page, "MsgList.0.Revoker"), ==, "carol");
  g_assert_cmpint (timchat_test_json_get_int (page, "Complete"), ==, 1);
}

static void
test_empty_and_bad_requests (void)
{
  g_autoptr (TimchatTestClient) erin = timchat_test_connect (fixture, "erin");
  g_autoptr (JsonObject) empty = timchat_test_client_request_json (
      erin, "openim.getroammsg", "{\"Peer_Account\":\"nobody\",\"MaxCnt\":15}", NULL);
  g_autoptr (JsonObject) bad =
      timchat_test_client_request_json (erin, "openim.getroammsg", "{\"MaxCnt\":15}", NULL);
  g_autoptr (JsonObject) clamp = timchat_test_client_request_json (
      erin, "openim.getroammsg", "{\"Peer_Account\":\"nobody\",\"MaxCnt\":100000}", NULL);

  g_assert_cmpint (timchat_test_json_get_int (empty, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (empty, "Complete"), ==, 1);
  g_assert_nonnull (timchat_test_json_get_array (empty, "MsgList"));
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 90003);
  g_assert_cmpint (timchat_test_json_get_int (clamp, "ErrorCode"), ==, 0);
}

/* A MsgKey is the cursor a reply gave ("s<seq>"), or "" (or none) for the newest page. Anything
 * else is refused with 10004 and a plain ErrorInfo: taken as "from the newest" it handed the
 * client the newest page again, which it put in front of its history as older messages. */
static void
test_bad_cursor (void)
{
  static const char *const bad[] = {
    "\"garbage\"", "\"s\"",     "\"sx\"", "\"s-5\"", "\"s0\"",   "\"s3x\"",
    "\" s3\"",     "\"1_2_3\"", "\"3\"",  "3",       "[\"s3\"]", "null",
  };
  g_autoptr (TimchatTestClient) gil = timchat_test_connect (fixture, "cur-gil");
  g_autoptr (TimchatTestClient) hal = timchat_test_connect (fixture, "cur-hal");
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (JsonObject) older = NULL;
  g_autoptr (JsonObject) unnamed = NULL;
  const char *cursor;

  for (int i = 1; i <= 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("c%02d", i);

      json_object_unref (timchat_test_send_text (gil, "cur-hal", text, 300 + i, 3000 + i));
    }
  first = timchat_test_client_request_json (
      hal, "openim.getroammsg", "{\"Peer_Account\":\"cur-gil\",\"MaxCnt\":15,\"MsgKey\":\"\"}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (first, "Complete"), ==, 0);
  cursor = timchat_test_json_get_string (first, "MsgKey");
  older = timchat_test_client_request_printf (
      hal, "openim.getroammsg", "{\"Peer_Account\":\"cur-gil\",\"MaxCnt\":15,\"MsgKey\":\"%s\"}",
      cursor);
  g_assert_cmpint (timchat_test_json_get_int (older, "ErrorCode"), ==, 0);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (older, "MsgList")), ==, 5);
  unnamed = timchat_test_client_request_json (hal, "openim.getroammsg",
                                              "{\"Peer_Account\":\"cur-gil\",\"MaxCnt\":15}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (unnamed, "ErrorCode"), ==, 0);
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (unnamed, "MsgList")), ==,
                   15);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
          hal, "openim.getroammsg", "{\"Peer_Account\":\"cur-gil\",\"MaxCnt\":15,\"MsgKey\":%s}",
          bad[i]);

      g_test_message ("MsgKey %s", bad[i]);
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==,
                       TIM_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (timchat_test_json_get_string (reply, "ErrorInfo"));
      g_assert_cmpstr (timchat_test_json_get_string (reply, "ErrorInfo"), !=, "");
      g_assert_null (timchat_test_json_get_array (reply, "MsgList"));
    }
}

/* The unread count of c's C2C conversation with peer, as its list has it. */
static gint64
unread_with (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) item = timchat_test_session_item (c, 1, peer);

  return item != NULL ? timchat_test_json_get_int (item, "UnreadMsgCount") : -1;
}

/* The TimchatMsgDeleteNotify of an Event 9 entry in events (a push's or getmsg's EventArray), or
 * NULL. */
static JsonObject *
find_delete_notify (JsonArray *events)
{
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *notify =
          timchat_test_json_get_object (event, "C2cNotifyMsgArray.0.TimchatMsgDeleteNotify");

      if (timchat_test_json_get_int (event, "Event") == 9 && notify != NULL)
        return notify;
    }
  return NULL;
}

/* The texts of a TimchatMsgDeleteNotify's list, joined by spaces. */
static char *
deleted_texts (JsonObject *notify, const char *list)
{
  JsonArray *items = timchat_test_json_get_array (notify, list);
  g_autoptr (GString) texts = g_string_new (NULL);

  g_assert_nonnull (items);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_string_append_printf (texts, "%s%s", i > 0 ? " " : "",
                            timchat_test_json_get_string (json_array_get_object_element (items, i),
                                                          "MsgBody.0.MsgContent.Text"));
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* deleteMessage: 20 messages, 16 of them deleted by one side (any sender): that side's pages
 * skip them and still page to the end (a page is filled past them); the other side keeps all.
 * The deleter's other devices are told which: one online by a push, one away by its next sync;
 * the device that asked and the peer are not. Deleting again or a key naming nothing is fine; a
 * bad key or list is 10004. A group: the deleter's group_msg_get skips it, another member's has
 * it, the deleter's other device is told; a non-member is 10007. */
static void
test_delete_for_me (void)
{
  g_autoptr (TimchatTestClient) fay = timchat_test_connect (fixture, "fay");
  g_autoptr (TimchatTestClient) gus = timchat_test_connect (fixture, "gus");
  g_autoptr (TimchatTestClient) outsider = timchat_test_connect (fixture, "hal");
  g_autoptr (TimchatTestClient) fay_other = timchat_test_connect (fixture, "fay");
  g_autoptr (JsonObject) notice = NULL, group_notice = NULL, none = NULL;
  g_autofree char *texts = NULL, *group_texts = NULL, *synced_texts = NULL;
  JsonObject *notify;
  g_autoptr (GString) keys = g_string_new (NULL);
  g_autoptr (GPtrArray) seen_by_fay = NULL;
  g_autoptr (GPtrArray) seen_by_gus = NULL;
  g_autoptr (JsonObject) deleted = NULL, again = NULL, bad = NULL, empty = NULL;
  g_autoptr (JsonObject) created = NULL, sent = NULL, group_deleted = NULL, outside = NULL;
  g_autoptr (JsonObject) fay_page = NULL, gus_page = NULL, start = NULL, synced = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *group = NULL;

  /* A device of fay's that was away: its cookie from before the messages. */
  start = timchat_test_client_request_json (fay, "openim.getmsg", "{\"Cookie\":\"\"}", NULL);
  cookie = g_strdup (timchat_test_json_get_string (start, "Cookie"));
  g_assert_nonnull (cookie);
  for (int i = 1; i <= 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("d%02d", i);
      g_autoptr (JsonObject) reply = timchat_test_send_text (
          i % 2 ? fay : gus, i % 2 ? "gus" : "fay", text, 300 + i, 3000 + i);

      /* Keep d01 - d02 and d19 - d20. */
      if (i > 2 && i < 19)
        g_string_append_printf (keys, "%s\"%d_%d_%" G_GINT64_FORMAT "\"", keys->len ? "," : "",
                                300 + i, 3000 + i, timchat_test_json_get_int (reply, "MsgTime"));
    }
  deleted = timchat_test_client_request_printf (
      fay, "openim.delete_c2c_msg_ramble",
      "{\"From_Account\":\"fay\",\"To_Account\":\"gus\",\"MsgKeyList\":[%s]}", keys->str);
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ErrorCode"), ==, 0);
  /* fay's other device hears which, as history has them; the peer does not. */
  notice = timchat_test_wait_event (fay_other, "C2cNotifyMsgArray", 5000);
  g_assert_nonnull (notice);
  notify = find_delete_notify (timchat_test_json_get_array (notice, "EventArray"));
  g_assert_nonnull (notify);
  texts = deleted_texts (notify, "C2cMsgList");
  g_assert_cmpstr (texts, ==, "d03 d04 d05 d06 d07 d08 d09 d10 d11 d12 d13 d14 d15 d16 d17 d18");
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (notify, "GroupMsgList")),
                    ==, 0);
  none = timchat_test_wait_event (gus, "C2cNotifyMsgArray", 300);
  g_assert_null (none);
  seen_by_fay = read_all_pages (fay, "gus", NULL);
  g_assert_cmpuint (seen_by_fay->len, ==, 4);
  g_assert_cmpstr (seen_by_fay->pdata[0], ==, "d01");
  g_assert_cmpstr (seen_by_fay->pdata[1], ==, "d02");
  g_assert_cmpstr (seen_by_fay->pdata[2], ==, "d19");
  g_assert_cmpstr (seen_by_fay->pdata[3], ==, "d20");
  seen_by_gus = read_all_pages (gus, "fay", NULL);
  g_assert_cmpuint (seen_by_gus->len, ==, 20);
  /* That device's sync brings only what fay kept. */
  synced = timchat_test_client_request_printf (fay, "openim.getmsg", "{\"Cookie\":\"%s\"}", cookie);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (synced, "MsgList")), ==, 4);
  g_assert_cmpstr (timchat_test_json_get_string (synced, "MsgList.2.MsgBody.0.MsgContent.Text"), ==,
                   "d19");
  /* ...and which were deleted (they may have come to it before it went away). */
  notify = find_delete_notify (timchat_test_json_get_array (synced, "EventArray"));
  g_assert_nonnull (notify);
  synced_texts = deleted_texts (notify, "C2cMsgList");
  g_assert_cmpstr (synced_texts, ==, texts);

  /* Unread and deleted: it no longer counts (d20 was unread since fay's d19; u1 - u3 come). */
  g_assert_cmpint (unread_with (fay, "gus"), ==, 1);
  {
    g_autoptr (JsonObject) u1 = timchat_test_send_text (gus, "fay", "u1", 401, 4001);
    g_autoptr (JsonObject) u2 = timchat_test_send_text (gus, "fay", "u2", 402, 4002);
    g_autoptr (JsonObject) u3 = timchat_test_send_text (gus, "fay", "u3", 403, 4003);
    g_autoptr (JsonObject) heard = NULL;
    g_autoptr (JsonObject) unread_deleted = timchat_test_client_request_printf (
        fay, "openim.delete_c2c_msg_ramble",
        "{\"To_Account\":\"gus\",\"MsgKeyList\":[\"402_4002_%" G_GINT64_FORMAT "\"]}",
        timchat_test_json_get_int (u2, "MsgTime"));

    g_assert_cmpint (timchat_test_json_get_int (unread_deleted, "ErrorCode"), ==, 0);
    g_assert_cmpint (unread_with (fay, "gus"), ==, 3);
    /* (fay's other device is told of it too.) */
    g_assert_nonnull (heard = timchat_test_wait_event (fay_other, "C2cNotifyMsgArray", 5000));
  }

  again = timchat_test_client_request_printf (
      fay, "openim.delete_c2c_msg_ramble", "{\"To_Account\":\"gus\",\"MsgKeyList\":[%s,\"1_2_3\"]}",
      keys->str);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  bad = timchat_test_client_request_json (fay, "openim.delete_c2c_msg_ramble",
                                          "{\"To_Account\":\"gus\",\"MsgKeyList\":[\"seven\"]}",
                                          NULL);
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
  empty = timchat_test_client_request_json (fay, "openim.delete_c2c_msg_ramble",
                                            "{\"To_Account\":\"gus\",\"MsgKeyList\":[]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (empty, "ErrorCode"), ==, 10004);

  created = timchat_test_client_request_json (
      fay, "group_open_http_svc.create_group",
      "{\"Name\":\"del\",\"Type\":\"Private\",\"MemberList\":[{\"Member_Account\":\"gus\"}]}",
      NULL);
  group = g_strdup (timchat_test_json_get_string (created, "GroupId"));
  sent = timchat_test_client_request_printf (
      gus, "group_open_http_svc.send_group_msg",
      "{\"GroupId\":\"%s\",\"Random\":5,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
      "\"MsgContent\":{\"Text\":\"to go\"}}]}",
      group);
  group_deleted = timchat_test_client_request_printf (
      fay, "group_open_http_svc.delete_group_ramble_msg_by_seq",
      "{\"GroupId\":\"%s\",\"Deleter_Account\":\"fay\",\"Seqs\":[\"%" G_GINT64_FORMAT "\"]}", group,
      timchat_test_json_get_int (sent, "MsgSeq"));
  g_assert_cmpint (timchat_test_json_get_int (group_deleted, "ErrorCode"), ==, 0);
  group_notice = timchat_test_wait_event (fay_other, "C2cNotifyMsgArray", 5000);
  g_assert_nonnull (group_notice);
  notify = find_delete_notify (timchat_test_json_get_array (group_notice, "EventArray"));
  g_assert_nonnull (notify);
  group_texts = deleted_texts (notify, "GroupMsgList");
  g_assert_cmpstr (group_texts, ==, "to go");
  g_assert_cmpstr (timchat_test_json_get_string (notify, "GroupMsgList.0.GroupId"), ==, group);
  outside = timchat_test_client_request_printf (
      outsider, "group_open_http_svc.delete_group_ramble_msg_by_seq",
      "{\"GroupId\":\"%s\",\"Seqs\":[1]}", group);
  g_assert_cmpint (timchat_test_json_get_int (outside, "ErrorCode"), ==, 10007);
  fay_page = timchat_test_client_request_printf (fay, "group_open_http_svc.group_msg_get",
                                                 "{\"GroupId\":\"%s\",\"ReqMsgNumber\":20}", group);
  gus_page = timchat_test_client_request_printf (gus, "group_open_http_svc.group_msg_get",
                                                 "{\"GroupId\":\"%s\",\"ReqMsgNumber\":20}", group);
  /* The join tip only, for fay; the tip and the message for gus. */
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (fay_page, "RspMsgList")),
                    ==, 1);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (gus_page, "RspMsgList")),
                    ==, 2);
  g_assert_cmpstr (
      timchat_test_json_get_string (gus_page, "RspMsgList.0.MsgBody.0.MsgContent.Text"), ==,
      "to go");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/history/paging-40", test_paging_40);
  g_test_add_func ("/server/history/recalled-flagged", test_recalled_are_included_and_flagged);
  g_test_add_func ("/server/history/empty-and-bad", test_empty_and_bad_requests);
  g_test_add_func ("/server/history/bad-cursor", test_bad_cursor);
  g_test_add_func ("/server/history/delete-for-me", test_delete_for_me);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
