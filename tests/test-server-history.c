/* test-server-history.c: openim.getroammsg paging over the real server. */
#define G_LOG_DOMAIN "test-server-history"

#include "config.h"

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

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/history/paging-40", test_paging_40);
  g_test_add_func ("/server/history/recalled-flagged", test_recalled_are_included_and_flagged);
  g_test_add_func ("/server/history/empty-and-bad", test_empty_and_bad_requests);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
