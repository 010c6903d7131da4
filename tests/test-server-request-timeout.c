/* test-server-request-timeout.c: HTTP requests that do not come in (limits/request_timeout, 2 s
 * here). A connection that sends nothing, trickles its headers a byte at a time, or its body far
 * below 1 KiB/s, is closed; an upload whose body keeps moving is not, however long it takes; a
 * WebSocket is not either (its session has its own idle timeout). */
#define G_LOG_DOMAIN "test-server-request-timeout"

#include "config.h"

#include <string.h>

#include "timchat-test-extra.h"
#include "timchat-test-raw-ws.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;

static GSocket *
connect_raw (void)
{
  g_autoptr (GSocketAddress) address =
      g_inet_socket_address_new_from_string ("127.0.0.1", timchat_fixture_get_port (fixture));
  g_autoptr (GError) error = NULL;
  GSocket *socket =
      g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);
  return socket;
}

/* TRUE once the server has closed it: a read that finds the end (after any answer). */
static gboolean
closed_by_server (GSocket *socket)
{
  char buffer[4096];
  gssize n;

  g_socket_set_blocking (socket, FALSE);
  while ((n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL)) > 0)
    ;
  return n == 0;
}

static void
send_text (GSocket *socket, const char *text)
{
  g_assert_cmpint (g_socket_send (socket, text, strlen (text), NULL, NULL), ==, strlen (text));
}

static void
test_silent_and_trickling (void)
{
  g_autoptr (GSocket) silent = connect_raw ();
  g_autoptr (GSocket) trickling = connect_raw ();
  const char *head = "GET /files/x HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  gsize sent = 0;
  gint64 start = g_get_monotonic_time ();

  /* A byte every 200 ms: never a whole header line in time. */
  while (g_get_monotonic_time () - start < 1000 * 1000)
    {
      g_assert_cmpint (g_socket_send (trickling, head + sent++, 1, NULL, NULL), ==, 1);
      g_usleep (200 * 1000);
    }
  g_assert_false (closed_by_server (silent));
  g_assert_false (closed_by_server (trickling));
  while (g_get_monotonic_time () - start < 5 * 1000 * 1000 && head[sent] != '\0')
    {
      g_socket_send (trickling, head + sent++, 1, NULL, NULL);
      g_usleep (200 * 1000);
    }
  g_assert_true (closed_by_server (silent));
  g_assert_true (closed_by_server (trickling));
}

/* Whole headers, then a body of 1,000 bytes a byte every 200 ms: far below 1 KiB/s, so the
 * connection goes once the grace (the timeout) has passed, although bytes keep coming. */
static void
test_trickled_body (void)
{
  g_autoptr (GSocket) trickling = connect_raw ();
  gint64 start;

  send_text (trickling, "POST /v4/openim/sendmsg?sdkappid=1 HTTP/1.1\r\nHost: t\r\n"
                        "Content-Length: 1000\r\n\r\n");
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 1000 * 1000)
    {
      send_text (trickling, " ");
      g_usleep (200 * 1000);
    }
  g_assert_false (closed_by_server (trickling));
  while (g_get_monotonic_time () - start < 5 * 1000 * 1000)
    {
      g_socket_send (trickling, " ", 1, NULL, NULL);
      g_usleep (200 * 1000);
    }
  g_assert_true (closed_by_server (trickling));
}

static void
test_moving_upload_and_idle_websocket (void)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
  g_autofree char *a2 = g_uri_escape_string (timchat_test_client_get_a2 (ann), NULL, FALSE);
  g_autofree char *head = g_strdup_printf ("PUT /upload?kind=file&name=slow.txt&a2=%s HTTP/1.1\r\n"
                                           "Host: t\r\nTransfer-Encoding: chunked\r\n\r\n",
                                           a2);
  g_autoptr (GSocket) upload = connect_raw ();
  g_autoptr (JsonObject) alive = NULL;
  char answer[4096] = "";
  gsize got = 0;
  gssize n;

  /* Five chunks 800 ms apart: 4 s in all, twice the timeout, but never 2 s without one. */
  send_text (upload, head);
  for (int i = 0; i < 5; i++)
    {
      g_usleep (800 * 1000);
      send_text (upload, "400\r\n");
      for (int k = 0; k < 16; k++)
        send_text (upload, "slow but moving. slow but moving. slow but moving. slow but moving");
      send_text (upload, "\r\n");
    }
  send_text (upload, "0\r\n\r\n");
  g_socket_set_timeout (upload, 10);
  /* The head and the body may come in separate reads. */
  while (strstr (answer, "ErrorCode") == NULL &&
         (n = g_socket_receive (upload, answer + got, sizeof answer - 1 - got, NULL, NULL)) > 0)
    got += (gsize) n;
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (answer, "\"ErrorCode\":0"));

  /* ann's WebSocket said nothing all that time, and is still there. */
  alive = timchat_test_request_ok (ann, "heartbeat.alive", "{}");
  g_assert_cmpint (timchat_test_json_get_int (alive, "ErrorCode"), ==, 0);
}

/* A WebSocket that never logs in is closed after limits/login_timeout (2 s here, checked every
 * 5 s), heartbeats or not, with 1008; one that logged in is not. */
static void
test_login_deadline (void)
{
  g_autoptr (TimchatTestRawWs) stranger = timchat_test_raw_ws_open (fixture, "&platform=7");
  g_autoptr (TimchatTestClient) bea = timchat_test_connect (fixture, "bea");
  g_autoptr (JsonObject) alive = NULL;
  gint64 start = g_get_monotonic_time ();
  gushort code = 0;

  for (gint64 seq = 1; code == 0 && g_get_monotonic_time () - start < 12 * G_USEC_PER_SEC; seq++)
    {
      g_autofree char *json = timchat_test_frame_json (fixture, "heartbeat.alive", seq, NULL, "{}");
      g_autoptr (GBytes) payload = NULL;
      guint8 opcode = 0;
      const guint8 *data;
      gsize size;

      if (!timchat_test_raw_ws_send (stranger, 0x2, TRUE, json, strlen (json)) ||
          !timchat_test_raw_ws_read (stranger, &opcode, &payload))
        break;
      data = g_bytes_get_data (payload, &size);
      if (opcode == 0x8 && size >= 2)
        code = (gushort) (data[0] << 8 | data[1]);
      else
        g_usleep (G_USEC_PER_SEC);
    }
  g_test_message ("closed with %u after %.1f s", code,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (code, ==, 1008);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);

  alive = timchat_test_request_ok (bea, "heartbeat.alive", "{}");
  g_assert_cmpint (timchat_test_json_get_int (alive, "ErrorCode"), ==, 0);
}

int
main (int argc, char **argv)
{
  const char *const conf[] = { "limits/request_timeout=2", "limits/login_timeout=2", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server/request-timeout/silent-and-trickling", test_silent_and_trickling);
  g_test_add_func ("/server/request-timeout/login-deadline", test_login_deadline);
  g_test_add_func ("/server/request-timeout/trickled-body", test_trickled_body);
  g_test_add_func ("/server/request-timeout/moving-upload-and-idle-websocket",
                   test_moving_upload_and_idle_websocket);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
