/* test-server-hopping.c: openim.getroammsg from a time (the Web SDK's getMessageListHopping for
 * a C2C conversation: no MsgKey, a LastMsgTime, GetDirection 0 older or 1 newer, and one more
 * MaxCnt than it shows), over the real server; paging by MsgKey is test-server-history's. */
#define G_LOG_DOMAIN "test-server-hopping"

#include "config.h"

#include "timchat-test-util.h"

static TimchatFixture *fixture;

/* Waits for the next second of the clock the server stamps messages with. */
static void
next_second (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  while (g_get_real_time () / G_USEC_PER_SEC == now)
    g_usleep (20000);
}

/* A hop as the SDK sends it: the texts of the page, oldest first, space-separated. */
static char *
hop (TimchatTestClient *c, const char *peer, gint64 time, int direction, int max_count,
     gint64 *complete, gint64 *last_time)
{
  g_autoptr (JsonObject) page = timchat_test_client_request_printf (
      c, "openim.getroammsg",
      "{\"Peer_Account\":\"%s\",\"MaxCnt\":%d,\"LastMsgTime\":%" G_GINT64_FORMAT
      ",\"MsgKey\":\"\",\"WithRecalledMsg\":1,\"GetDirection\":%d}",
      peer, max_count, time, direction);
  JsonArray *list = timchat_test_json_get_array (page, "MsgList");
  g_autoptr (GString) texts = g_string_new (NULL);

  g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
  g_assert_nonnull (list);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *msg = json_array_get_object_element (list, i);

      if (texts->len > 0)
        g_string_append_c (texts, ' ');
      g_string_append (texts, timchat_test_json_get_string (msg, "MsgBody.0.MsgContent.Text"));
    }
  g_assert_cmpint (timchat_test_json_get_int (page, "MsgCnt"), ==, json_array_get_length (list));
  *complete = timchat_test_json_get_int (page, "Complete");
  *last_time = timchat_test_json_get_int (page, "LastMsgTime");
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* Three seconds of three messages each (a, b, c): a hop from the middle second includes that
 * second, goes the way asked, says whether more lie beyond, and gives the far end's time to hop
 * on from; without a time, newer starts at the beginning and older is the newest page. */
static void
test_from_a_time (void)
{
  g_autoptr (TimchatTestClient) hal = timchat_test_connect (fixture, "hop-hal");
  g_autoptr (TimchatTestClient) ida = timchat_test_connect (fixture, "hop-ida");
  gint64 times[3];
  gint64 complete, last_time;

  for (int s = 0; s < 3; s++)
    {
      next_second ();
      for (int i = 1; i <= 3; i++)
        {
          g_autofree char *text = g_strdup_printf ("%c%d", 'a' + s, i);
          g_autoptr (JsonObject) sent = timchat_test_send_text (
              i == 2 ? ida : hal, i == 2 ? "hop-hal" : "hop-ida", text, 10 * s + i, 100 + i);

          times[s] = timchat_test_json_get_int (sent, "MsgTime");
        }
    }
  g_assert_cmpint (times[0], <, times[1]);
  g_assert_cmpint (times[1], <, times[2]);

  {
    g_autofree char *older = hop (hal, "hop-ida", times[1], 0, 4, &complete, &last_time);

    g_assert_cmpstr (older, ==, "a3 b1 b2 b3");
    g_assert_cmpint (complete, ==, 0);
    g_assert_cmpint (last_time, ==, times[0]);
  }
  {
    /* The SDK's 15 + 1 is taken whole. */
    g_autofree char *older = hop (ida, "hop-hal", times[1], 0, 16, &complete, &last_time);

    g_assert_cmpstr (older, ==, "a1 a2 a3 b1 b2 b3");
    g_assert_cmpint (complete, ==, 1);
  }
  {
    g_autofree char *newer = hop (hal, "hop-ida", times[1], 1, 4, &complete, &last_time);

    g_assert_cmpstr (newer, ==, "b1 b2 b3 c1");
    g_assert_cmpint (complete, ==, 0);
    g_assert_cmpint (last_time, ==, times[2]);
  }
  {
    g_autofree char *newer = hop (hal, "hop-ida", times[1], 1, 16, &complete, &last_time);

    g_assert_cmpstr (newer, ==, "b1 b2 b3 c1 c2 c3");
    g_assert_cmpint (complete, ==, 1);
    g_assert_cmpint (last_time, ==, times[2]);
  }
  {
    g_autofree char *first = hop (hal, "hop-ida", 0, 1, 2, &complete, &last_time);

    g_assert_cmpstr (first, ==, "a1 a2");
    g_assert_cmpint (complete, ==, 0);
  }
  {
    g_autofree char *newest = hop (hal, "hop-ida", 0, 0, 2, &complete, &last_time);

    g_assert_cmpstr (newest, ==, "c2 c3");
    g_assert_cmpint (complete, ==, 0);
  }
  {
    g_autofree char *none = hop (hal, "hop-ida", times[2] + 5, 1, 16, &complete, &last_time);

    g_assert_cmpstr (none, ==, "");
    g_assert_cmpint (complete, ==, 1);
  }
}

/* A hop shows what the asker's history shows: not what they deleted for themselves. */
static void
test_skips_deleted (void)
{
  g_autoptr (TimchatTestClient) jo = timchat_test_connect (fixture, "hop-jo");
  g_autoptr (TimchatTestClient) kim = timchat_test_connect (fixture, "hop-kim");
  g_autoptr (JsonObject) kept = timchat_test_send_text (jo, "hop-kim", "kept", 1, 1);
  g_autoptr (JsonObject) gone = timchat_test_send_text (jo, "hop-kim", "gone", 2, 2);
  g_autoptr (JsonObject) deleted = timchat_test_client_request_printf (
      kim, "openim.delete_c2c_msg_ramble", "{\"To_Account\":\"hop-jo\",\"MsgKeyList\":[\"%s\"]}",
      timchat_test_json_get_string (gone, "MsgKey"));
  gint64 complete, last_time;
  g_autofree char *for_kim = NULL;
  g_autofree char *for_jo = NULL;

  g_assert_cmpint (timchat_test_json_get_int (deleted, "ErrorCode"), ==, 0);
  for_kim = hop (kim, "hop-jo", timchat_test_json_get_int (kept, "MsgTime"), 1, 16, &complete,
                 &last_time);
  for_jo = hop (jo, "hop-kim", timchat_test_json_get_int (kept, "MsgTime"), 1, 16, &complete,
                &last_time);
  g_assert_cmpstr (for_kim, ==, "kept");
  g_assert_cmpstr (for_jo, ==, "kept gone");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/hopping/from-a-time", test_from_a_time);
  g_test_add_func ("/server/hopping/skips-deleted", test_skips_deleted);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
