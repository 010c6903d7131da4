/* test-server-slow-reader.c: a client that stops reading its socket. libsoup would queue every
 * push to it without end; the server closes it once more than limits/max_unsent_kb waits, and
 * nothing is lost: the messages are stored, for when it comes back. Others go on meanwhile.
 * The same over TLS, where the kernel counts records instead of frames. */
#define G_LOG_DOMAIN "test-server-slow-reader"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "timchat-test-extra.h"
#include "timchat-test-raw-ws.h"
#include "timchat-test-util.h"

#define MESSAGES 2000
#define TEXT_BYTES 10000 /* ~20 MB in all: far more than the socket buffers hold (~4 MB) */

static void
test_closed_when_it_stops_reading (gconstpointer data)
{
  TimchatFixture *fixture = (TimchatFixture *) data;
  g_autoptr (TimchatTestRawWs) sleepy = timchat_test_raw_ws_login (fixture, "sleepy");
  g_autoptr (TimchatTestClient) busy = timchat_test_connect (fixture, "busy");
  g_autoptr (TimchatTestClient) awake = timchat_test_connect (fixture, "awake");
  g_autoptr (TimchatTestClient) sleepy_again = NULL;
  g_autoptr (JsonObject) page = NULL;
  g_autofree char *text = g_strnfill (TEXT_BYTES, 'z');
  guint pushes = 0;
  guint8 opcode = 0;
  GBytes *payload = NULL;

  /* sleepy never reads while busy sends it everything. Its receive buffer is kept small, so that
   * what the kernel absorbs does not depend on how a machine tunes its TCP buffers. */
  g_assert_true (g_socket_set_option (g_socket_connection_get_socket (sleepy->conn), SOL_SOCKET,
                                      SO_RCVBUF, 64 * 1024, NULL));
  for (guint i = 1; i <= MESSAGES; i++)
    {
      g_autoptr (JsonObject) reply = timchat_test_send_text (busy, "sleepy", text, i, 70000 + i);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    }
  /* Others are served as ever. */
  {
    g_autoptr (JsonObject) reply = timchat_test_send_text (busy, "awake", "still here", 1, 1);
    g_autoptr (JsonObject) push = NULL;

    g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    push = timchat_test_wait_event (awake, "C2cMsgArray", 5000);
    g_assert_nonnull (push);
  }

  /* Reading now, sleepy finds what the kernel held, then the end: not all of it. */
  while (timchat_test_raw_ws_read (sleepy, &opcode, &payload))
    {
      gboolean close = opcode == 0x8;

      if (!close && g_strstr_len (g_bytes_get_data (payload, NULL), 200, "msg_push") != NULL)
        pushes++;
      g_clear_pointer (&payload, g_bytes_unref);
      if (close)
        break;
    }
  g_test_message ("sleepy read %u of %u pushes before the socket ended", pushes, MESSAGES);
  g_assert_cmpuint (pushes, >, 0);
  g_assert_cmpuint (pushes, <, MESSAGES);

  /* Everything is stored: coming back, the newest is there. */
  sleepy_again = timchat_test_connect (fixture, "sleepy");
  page = timchat_test_request_ok (sleepy_again, "openim.getroammsg",
                                  "{\"Peer_Account\":\"busy\",\"MaxCnt\":1,\"LastMsgTime\":0,"
                                  "\"MsgKey\":\"\"}");
  g_assert_cmpint (timchat_test_json_get_int (page, "MsgList.0.MsgSeq"), ==, MESSAGES);
}

int
main (int argc, char **argv)
{
  /* No idle timeout: only the unread output may close sleepy's socket. */
  const char *const conf[] = { "limits/max_unsent_kb=1024", "limits/idle_timeout=0", NULL };
  g_autoptr (TimchatFixture) plain = NULL;
  g_autoptr (TimchatFixture) tls = NULL;

  g_test_init (&argc, &argv, NULL);
  plain = timchat_fixture_new (conf);
  tls = timchat_fixture_new_tls (conf);
  g_test_add_data_func ("/server/slow-reader/closed-when-it-stops-reading", plain,
                        test_closed_when_it_stops_reading);
  g_test_add_data_func ("/server/slow-reader/closed-when-it-stops-reading-tls", tls,
                        test_closed_when_it_stops_reading);
  return g_test_run ();
}
