/* test-server-instances.c: a socket its CLIENT closes stops counting against the user's
 * limits/max_instances at once, however it closes (a close frame, or the connection dropped) and
 * whatever the server still had to send it. A user who closes one of max_instances sockets and
 * logs in again right away must not have another device kicked (KickType 2): the server used to
 * count a socket that had sent its close frame until libsoup had written everything queued for
 * it and its answering close, up to 5 s for a client that reads slowly or not at all.
 * (The server's own closes and its kicks are test-server-login's.) */
#define G_LOG_DOMAIN "test-server-instances"

#include "config.h"

#include <sys/socket.h>

#include "timchat-test-extra.h"
#include "timchat-test-raw-ws.h"
#include "timchat-test-util.h"

#define BACKLOG_MESSAGES 800
#define TEXT_BYTES 10000 /* ~8 MB in all: more than the socket buffers hold (~4 MB) */

typedef enum
{
  CLOSE_FRAME,         /* a WebSocket close frame; the client reads the answer */
  CONNECTION_DROPPED,  /* the TCP connection closed, no close frame */
  CLOSE_BEHIND_BACKLOG /* a close frame while pushes to it still wait in the server */
} HowClosed;

/* Pushes to user that its raw socket stale does not read, until more waits in the server than
 * the kernel holds: stale's answering close frame then waits behind them. */
static void
fill_backlog (TimchatFixture *f, TimchatTestRawWs *stale, const char *user)
{
  g_autoptr (TimchatTestClient) sender = timchat_test_connect (f, "inst_sender");
  g_autofree char *text = g_strnfill (TEXT_BYTES, 'b');

  g_assert_true (g_socket_set_option (g_socket_connection_get_socket (stale->conn), SOL_SOCKET,
                                      SO_RCVBUF, 64 * 1024, NULL));
  for (guint i = 1; i <= BACKLOG_MESSAGES; i++)
    {
      g_autoptr (JsonObject) reply = timchat_test_send_text (sender, user, text, i, 90000 + i);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    }
}

static void
test_client_closed_not_counted (gconstpointer data)
{
  HowClosed how = GPOINTER_TO_INT (data);
  const char *const conf[] = { "limits/max_instances=2", "limits/max_unsent_kb=65536",
                               "limits/idle_timeout=0", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) live = timchat_test_connect (f, "inst_user");
  g_autoptr (TimchatTestRawWs) stale = timchat_test_raw_ws_login (f, "inst_user");
  g_autoptr (TimchatTestClient) again = NULL;
  g_autoptr (JsonObject) kicked = NULL;
  const guint8 going_away[] = { 0x03, 0xe9 }; /* 1001, as a browser leaving the page */

  if (how == CLOSE_BEHIND_BACKLOG)
    fill_backlog (f, stale, "inst_user");
  if (how == CONNECTION_DROPPED)
    g_assert_true (g_io_stream_close (G_IO_STREAM (stale->conn), NULL, NULL));
  else
    g_assert_true (timchat_test_raw_ws_send (stale, 0x8, TRUE, going_away, sizeof going_away));
  if (how == CLOSE_FRAME)
    g_assert_cmpuint (timchat_test_raw_ws_wait_close (stale, NULL), ==, 1001);

  /* The user logs in again at once: two sockets, within the limit. */
  again = timchat_test_connect (f, "inst_user");
  kicked = timchat_test_client_wait_push (live, "im_open_status.stat_forceoffline", 1000);
  g_assert_null (kicked);
  g_assert_true (timchat_test_client_is_open (live));
  g_assert_true (timchat_test_client_is_open (again));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/server/instances/client-closed-not-counted/close-frame",
                        GINT_TO_POINTER (CLOSE_FRAME), test_client_closed_not_counted);
  g_test_add_data_func ("/server/instances/client-closed-not-counted/connection-dropped",
                        GINT_TO_POINTER (CONNECTION_DROPPED), test_client_closed_not_counted);
  g_test_add_data_func ("/server/instances/client-closed-not-counted/close-behind-backlog",
                        GINT_TO_POINTER (CLOSE_BEHIND_BACKLOG), test_client_closed_not_counted);
  return g_test_run ();
}
