/* test-server-slow-disk.c: what waits for the disk. The real server runs with fdatasync () and
 * fsync () slowed to 400 ms (fixture/slow-sync.c, preloaded): a sendmsg, over the WebSocket or
 * over REST, is answered only once its message is synced; a request that wrote nothing is not
 * held back. */
#define G_LOG_DOMAIN "test-server-slow-disk"

#include "config.h"

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define SLOW_SYNC_MS 400

static TimchatFixture *fixture;

static gint64
elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000;
}

static void
test_sends_wait_for_the_disk (void)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
  g_autoptr (TimchatTestClient) ben = timchat_test_connect (fixture, "ben");
  g_autoptr (JsonObject) ws_reply = NULL;
  g_autoptr (JsonObject) rest_reply = NULL;
  g_autoptr (JsonObject) alive = NULL;
  gint64 start;

  /* The WebSocket path (the control: it proves the disk is slow). */
  start = g_get_monotonic_time ();
  ws_reply = timchat_test_send_text (ann, "ben", "over the socket", 1, 101);
  g_assert_cmpint (timchat_test_json_get_int (ws_reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (elapsed_ms (start), >=, SLOW_SYNC_MS - 50);

  /* REST: the same command, and the same wait. */
  start = g_get_monotonic_time ();
  rest_reply = timchat_test_rest (fixture, "openim/sendmsg",
                                  "{\"From_Account\":\"ann\",\"To_Account\":\"ben\","
                                  "\"MsgRandom\":102,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                                  "\"MsgContent\":{\"Text\":\"over REST\"}}]}",
                                  NULL);
  g_assert_cmpint (timchat_test_json_get_int (rest_reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (elapsed_ms (start), >=, SLOW_SYNC_MS - 50);

  /* Nothing written, nothing to wait for. */
  start = g_get_monotonic_time ();
  alive = timchat_test_request_ok (ann, "heartbeat.alive", "{}");
  g_assert_cmpint (elapsed_ms (start), <, SLOW_SYNC_MS - 50);
  g_assert_nonnull (alive);

  /* Both arrived. */
  g_assert_nonnull (timchat_test_wait_event (ben, "C2cMsgArray", 3000));
  g_assert_nonnull (timchat_test_wait_event (ben, "C2cMsgArray", 3000));
}

int
main (int argc, char **argv)
{
  const char *slow_sync = g_getenv ("TIMCHAT_SLOW_SYNC");
  g_autofree char *delay = g_strdup_printf ("%d", SLOW_SYNC_MS);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (slow_sync);
  /* For the server only: set while the fixture starts it, then taken away again. */
  g_setenv ("LD_PRELOAD", slow_sync, TRUE);
  g_setenv ("TIMCHAT_SLOW_SYNC_MS", delay, TRUE);
  fixture = timchat_fixture_new (NULL);
  g_unsetenv ("LD_PRELOAD");
  g_test_add_func ("/server/slow-disk/sends-wait-for-the-disk", test_sends_wait_for_the_disk);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
