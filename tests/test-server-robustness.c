/* test-server-robustness.c: malformed input gets an error reply or a clean close with a reason,
 * never a crash or a hang. After every case the server process must still be alive and a fresh
 * client must be able to log in and send. Some cases speak raw WebSocket over a plain socket so
 * that they can send what libsoup's client refuses to (invalid UTF-8 text, fragments). */
#define G_LOG_DOMAIN "test-server-robustness"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "tim-error.h"
#include "timchat-test-util.h"

#define PROBE_USER "probe"
#define PROBE_PEER "probe-peer"
#define MAX_FRAME (256 * 1024)
#define CLOSE_WAIT_MS 5000

static TimchatFixture *fixture;
static GPid server_pid;
static gint64 next_msg_seq = 1;

/* The server process -------------------------------------------------------------------------- */

/* The fixture does not expose the pid: the server is our only child when the fixture starts. */
static GPid
find_child_server (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  GPid found = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      g_auto (GStrv) fields = NULL;
      const char *paren;
      guint64 pid;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (path, &stat, NULL, NULL) || (paren = strrchr (stat, ')')) == NULL)
        continue;
      /* ") S ppid ..." */
      fields = g_strsplit (paren + 2, " ", 3);
      if (g_strv_length (fields) >= 2 && g_ascii_strtoll (fields[1], NULL, 10) == getpid () &&
          strstr (stat, "(timchat-server)") != NULL)
        found = (GPid) pid;
    }
  return found;
}

static gboolean
pid_alive (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (paren = strrchr (stat, ')')) == NULL)
    return FALSE;
  return paren[2] != 'Z' && paren[2] != 'X';
}

/* A /proc/PID/status field in kB, -1 if unreadable. */
static gint64
proc_status_kb (GPid pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  g_autofree char *prefix = g_strdup_printf ("\n%s:", field);
  const char *at;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (at = strstr (status, prefix)) == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen (prefix), NULL, 10);
}

static void
send_ok (TimchatTestClient *c, const char *to)
{
  gint64 seq = next_msg_seq++;
  g_autoptr (JsonObject) reply = timchat_test_send_text (c, to, "still here", seq, 900000 + seq);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "MsgTime"), >, 0);
}

/* For cases that collect failures instead of aborting at the first: if the server died, note it
 * and start it again on the same data dir, so the remaining cases still run. */
static gboolean
revive_if_dead (GString *failures, const char *what, gboolean suspect)
{
  /* A socket that closed under us may be a dying server: give it a moment to be reaped. */
  for (guint i = 0; suspect && server_pid != 0 && pid_alive (server_pid) && i < 20; i++)
    g_usleep (50 * 1000);
  if (server_pid == 0 || pid_alive (server_pid))
    return FALSE;
  g_string_append_printf (failures, "\n  the server process died after %s", what);
  g_test_message ("the server died after %s: restarting it", what);
  timchat_fixture_kill (fixture);
  timchat_fixture_restart (fixture);
  server_pid = find_child_server ();
  return TRUE;
}

/* The process lives and serves a brand-new client: login + send. */
static void
assert_server_healthy (void)
{
  g_autoptr (TimchatTestClient) probe = NULL;

  g_assert_true (timchat_fixture_is_running (fixture));
  if (server_pid != 0)
    g_assert_true (pid_alive (server_pid));
  probe = timchat_test_connect (fixture, PROBE_USER);
  send_ok (probe, PROBE_PEER);
}

static TimchatTestClient *
new_client (void)
{
  g_autoptr (GError) error = NULL;
  TimchatTestClient *c = timchat_test_client_new (fixture, NULL, &error);

  g_assert_no_error (error);
  return c;
}

static JsonObject *
request_ok_transport (TimchatTestClient *c, const char *servcmd, const char *body_json)
{
  g_autoptr (GError) error = NULL;
  JsonObject *reply = timchat_test_client_request_json (c, servcmd, body_json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

/* Compression --------------------------------------------------------------------------------- */

static GBytes *
compress_frame (const char *prefix, gsize filler, const char *suffix, GZlibCompressorFormat format)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (format, 9);
  g_autoptr (GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr (GError) error = NULL;
  g_autofree char *chunk = g_strnfill (1024 * 1024, 'a');

  g_output_stream_write_all (memory, "COMP", 4, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, prefix, strlen (prefix), NULL, NULL, &error);
  g_assert_no_error (error);
  while (filler > 0)
    {
      gsize n = MIN (filler, 1024 * 1024);

      g_output_stream_write_all (out, chunk, n, NULL, NULL, &error);
      g_assert_no_error (error);
      filler -= n;
    }
  g_output_stream_write_all (out, suffix, strlen (suffix), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* Raw WebSocket client (blocking, RFC 6455 by hand) -------------------------------------------- */

typedef struct
{
  GSocketClient *client;
  GSocketConnection *conn;
  GInputStream *in;
  GOutputStream *out;
} RawWs;

static void
raw_ws_free (RawWs *ws)
{
  if (ws->conn != NULL)
    g_io_stream_close (G_IO_STREAM (ws->conn), NULL, NULL);
  g_clear_object (&ws->conn);
  g_clear_object (&ws->client);
  g_free (ws);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawWs, raw_ws_free)

static RawWs *
raw_ws_open (void)
{
  RawWs *ws = g_new0 (RawWs, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *request = NULL;
  GString *response = g_string_new (NULL);
  g_autofree char *response_text = NULL;

  ws->client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (ws->client, FALSE);
  g_socket_client_set_timeout (ws->client, 10);
  ws->conn = g_socket_client_connect_to_host (ws->client, "127.0.0.1",
                                              timchat_fixture_get_port (fixture), NULL, &error);
  g_assert_no_error (error);
  ws->in = g_io_stream_get_input_stream (G_IO_STREAM (ws->conn));
  ws->out = g_io_stream_get_output_stream (G_IO_STREAM (ws->conn));

  request =
      g_strdup_printf ("GET /binfo?sdkappid=%" G_GUINT64_FORMAT "&platform=7 HTTP/1.1\r\n"
                       "Host: 127.0.0.1:%u\r\n"
                       "Upgrade: websocket\r\n"
                       "Connection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n",
                       timchat_fixture_get_sdkappid (fixture), timchat_fixture_get_port (fixture));
  g_output_stream_write_all (ws->out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while (!g_str_has_suffix (response->str, "\r\n\r\n"))
    {
      char c;
      gssize n = g_input_stream_read (ws->in, &c, 1, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
      g_string_append_c (response, c);
    }
  response_text = g_string_free (response, FALSE);
  g_assert_true (g_str_has_prefix (response_text, "HTTP/1.1 101"));
  return ws;
}

/* FALSE when the server has already gone away (the write failed). */
static gboolean
raw_ws_send (RawWs *ws, guint8 opcode, gboolean fin, const void *data, gsize length)
{
  g_autoptr (GByteArray) frame = g_byte_array_sized_new (length + 14);
  guint8 header[14];
  gsize header_len = 2;
  guint32 mask = g_random_int ();
  const guint8 *mask_bytes = (const guint8 *) &mask;
  g_autoptr (GError) error = NULL;

  header[0] = (fin ? 0x80 : 0) | opcode;
  if (length < 126)
    header[1] = 0x80 | (guint8) length;
  else if (length < 65536)
    {
      header[1] = 0x80 | 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      header_len = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (int i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
      header_len = 10;
    }
  memcpy (header + header_len, mask_bytes, 4);
  header_len += 4;
  g_byte_array_append (frame, header, (guint) header_len);
  g_byte_array_append (frame, data, (guint) length);
  for (gsize i = 0; i < length; i++)
    frame->data[header_len + i] ^= mask_bytes[i & 3];

  return g_output_stream_write_all (ws->out, frame->data, frame->len, NULL, NULL, &error);
}

static gboolean
read_exactly (RawWs *ws, void *buffer, gsize length)
{
  gsize got = 0;

  return g_input_stream_read_all (ws->in, buffer, length, &got, NULL, NULL) && got == length;
}

/* One frame from the server; FALSE on EOF, error or the 10 s socket timeout. */
static gboolean
raw_ws_read (RawWs *ws, guint8 *opcode, GBytes **payload)
{
  guint8 header[2];
  guint64 length;
  guint8 *data;

  if (!read_exactly (ws, header, 2))
    return FALSE;
  *opcode = header[0] & 0x0f;
  length = header[1] & 0x7f;
  if (length == 126)
    {
      guint8 ext[2];
      if (!read_exactly (ws, ext, 2))
        return FALSE;
      length = (guint64) ext[0] << 8 | ext[1];
    }
  else if (length == 127)
    {
      guint8 ext[8];
      if (!read_exactly (ws, ext, 8))
        return FALSE;
      length = 0;
      for (int i = 0; i < 8; i++)
        length = length << 8 | ext[i];
    }
  g_assert_cmpuint (length, <, 64 * 1024 * 1024);
  g_assert_false (header[1] & 0x80); /* a server never masks */
  data = g_malloc (length + 1);
  if (!read_exactly (ws, data, length))
    {
      g_free (data);
      return FALSE;
    }
  *payload = g_bytes_new_take (data, length);
  return TRUE;
}

/* Reads until the close frame: its code (1006 if the socket ended without one). */
static gushort
raw_ws_wait_close (RawWs *ws, char **reason)
{
  guint8 opcode;
  GBytes *payload = NULL;

  while (raw_ws_read (ws, &opcode, &payload))
    {
      g_autoptr (GBytes) owned = payload;
      gsize length;
      const guint8 *data = g_bytes_get_data (owned, &length);

      if (opcode != 0x8)
        continue;
      if (reason != NULL)
        *reason = length > 2 ? g_strndup ((const char *) data + 2, length - 2) : g_strdup ("");
      return length >= 2 ? (gushort) (data[0] << 8 | data[1]) : SOUP_WEBSOCKET_CLOSE_NO_STATUS;
    }
  if (reason != NULL)
    *reason = g_strdup ("");
  return SOUP_WEBSOCKET_CLOSE_ABNORMAL;
}

static char *
frame_json (const char *servcmd, gint64 seq, const char *head_extra, const char *body)
{
  return g_strdup_printf ("{\"head\":{\"ver\":\"v4\",\"platform\":7,\"sdkappid\":%" G_GUINT64_FORMAT
                          ",\"contenttype\":\"json\",\"servcmd\":\"%s\",\"seq\":%" G_GINT64_FORMAT
                          "%s},\"body\":%s}",
                          timchat_fixture_get_sdkappid (fixture), servcmd, seq,
                          head_extra != NULL ? head_extra : "", body);
}

static void
raw_ws_send_json (RawWs *ws, const char *json)
{
  g_assert_true (raw_ws_send (ws, 0x2, TRUE, json, strlen (json)));
}

/* Reads frames until a reply to servcmd#seq arrives (pushes are skipped). */
static JsonObject *
raw_ws_read_reply (RawWs *ws, const char *servcmd, gint64 seq)
{
  for (;;)
    {
      guint8 opcode;
      GBytes *payload = NULL;
      g_autoptr (GBytes) owned = NULL;
      g_autoptr (JsonObject) root = NULL;
      gsize length;
      const char *data;

      g_assert_true (raw_ws_read (ws, &opcode, &payload));
      owned = payload;
      g_assert_cmpint (opcode, !=, 0x8);
      data = g_bytes_get_data (owned, &length);
      {
        g_autofree char *text = g_strndup (data, length);
        root = timchat_test_json_parse (text, NULL);
      }
      g_assert_nonnull (root);
      if (g_strcmp0 (timchat_test_json_get_string (root, "head.servcmd"), servcmd) == 0 &&
          timchat_test_json_get_int (root, "head.seq") == seq)
        return json_object_ref (timchat_test_json_get_object (root, "body"));
    }
}

static RawWs *
raw_ws_login (const char *user)
{
  RawWs *ws = raw_ws_open ();
  g_autofree char *usersig = timchat_fixture_usersig (fixture, user, 86400);
  g_autofree char *auth =
      g_strdup_printf (",\"identifier\":\"%s\",\"usersig\":\"%s\"", user, usersig);
  g_autofree char *json = frame_json ("im_open_status.wslogin", 1, auth, "{\"State\":\"Online\"}");
  g_autoptr (JsonObject) reply = NULL;

  raw_ws_send_json (ws, json);
  reply = raw_ws_read_reply (ws, "im_open_status.wslogin", 1);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  /* The socket is now logged in: later frames need no auth fields. */
  return ws;
}

/* Malformed frames: closed with 1007 and a reason ---------------------------------------------- */

static void
expect_bad_data_close (const char *payload, gboolean binary)
{
  g_autoptr (TimchatTestClient) c = new_client ();
  g_autoptr (GBytes) bytes = g_bytes_new_static (payload, strlen (payload));
  g_autofree char *reason = NULL;
  gushort code = 0;

  timchat_test_client_send_raw (c, bytes, binary);
  g_assert_true (timchat_test_client_wait_closed (c, CLOSE_WAIT_MS, &code, &reason));
  g_test_message ("%s frame %.40s… closed with %u \"%s\"", binary ? "binary" : "text", payload,
                  code, reason);
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
  assert_server_healthy ();
}

static void
test_not_json (void)
{
  expect_bad_data_close ("this is not JSON", TRUE);
  expect_bad_data_close ("this is not JSON {", FALSE);
  expect_bad_data_close ("{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},\"body\":", TRUE);
  expect_bad_data_close ("", TRUE);
}

static void
test_json_not_a_frame (void)
{
  expect_bad_data_close ("[{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1}}]", TRUE);
  expect_bad_data_close ("[]", FALSE);
  expect_bad_data_close ("42", TRUE);
  expect_bad_data_close ("{\"body\":{}}", TRUE);
  expect_bad_data_close ("{\"head\":\"heartbeat.alive\",\"body\":{}}", TRUE);
  expect_bad_data_close ("{\"head\":{\"seq\":1},\"body\":{}}", TRUE);
  expect_bad_data_close ("{\"head\":{\"servcmd\":7,\"seq\":1},\"body\":{}}", FALSE);
}

static void
test_invalid_utf8 (void)
{
  static const char bad[] =
      "{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},\"body\":{\"x\":\"\xc3\x28\xff\"}}";
  g_autofree char *reason = NULL;
  gushort code;

  /* Binary frame (what the SDK sends on /binfo): the server checks UTF-8 itself. */
  expect_bad_data_close (bad, TRUE);

  /* Text frame: libsoup validates text frames before the server sees them and fails the
   * connection with 1007 too. */
  {
    g_autoptr (RawWs) ws = raw_ws_open ();

    g_assert_true (raw_ws_send (ws, 0x1, TRUE, bad, sizeof bad - 1));
    code = raw_ws_wait_close (ws, &reason);
    g_test_message ("invalid UTF-8 text frame: closed with %u \"%s\"", code, reason);
    g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  }
  assert_server_healthy ();
}

/* libsoup checks max-incoming-payload-size (set by the server to limits/max_frame_bytes) on the
 * frame header, before the server code sees anything, and fails the connection with 1009
 * "too big" — in libsoup 3.2 "with prejudice": the socket is closed without sending the close
 * frame, so a client sees an abnormal closure (1006 on the wire, code 0 in libsoup's client).
 * Never a reply, never a crash, never a wait for the rest of the payload. */
static void
test_oversized_frame (void)
{
  g_autofree char *filler = g_strnfill (MAX_FRAME + 1024, 'x');
  g_autofree char *big = g_strdup_printf ("{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},"
                                          "\"body\":{\"x\":\"%s\"}}",
                                          filler);
  g_autofree char *reason = NULL;
  gushort code = 0;

  {
    g_autoptr (TimchatTestClient) c = new_client ();
    g_autoptr (GBytes) bytes = g_bytes_new_static (big, strlen (big));

    timchat_test_client_send_raw (c, bytes, TRUE);
    g_assert_true (timchat_test_client_wait_closed (c, CLOSE_WAIT_MS, &code, &reason));
    g_test_message ("%zu-byte frame: closed with %u \"%s\"", strlen (big), code, reason);
    /* libsoup 3.2 drops the TCP connection at once (no close frame, so the client reports code
     * 0); a later libsoup may send 1009 first. Either way: closed, and nothing answered. */
    g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == 0);
    g_assert_null (timchat_test_client_wait_push (c, NULL, 100));
  }
  assert_server_healthy ();

  /* Same over a raw socket: only the header goes out, the server must not wait for the rest. */
  {
    g_autoptr (RawWs) ws = raw_ws_open ();
    gint64 start = g_get_monotonic_time ();

    raw_ws_send (ws, 0x2, TRUE, big, strlen (big));
    g_clear_pointer (&reason, g_free);
    code = raw_ws_wait_close (ws, &reason);
    g_test_message ("raw %zu-byte frame: closed with %u \"%s\"", strlen (big), code, reason);
    g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  }
  assert_server_healthy ();
}

/* A message split into fragments that are each under the limit but together over it. */
static void
test_oversized_fragmented_message (void)
{
  g_autoptr (RawWs) ws = raw_ws_open ();
  g_autofree char *chunk = g_strnfill (MAX_FRAME / 2, ' ');
  const char *start = "{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},\"body\":{}";
  g_autofree char *reason = NULL;
  gushort code;
  guint sent = 0;

  raw_ws_send (ws, 0x2, FALSE, start, strlen (start));
  /* 16 × 128 KiB = 2 MiB of whitespace; stop as soon as the server hangs up. */
  for (; sent < 16; sent++)
    if (!raw_ws_send (ws, 0x0, FALSE, chunk, strlen (chunk)))
      break;
  if (sent == 16)
    raw_ws_send (ws, 0x0, TRUE, "}", 1);
  code = raw_ws_wait_close (ws, &reason);
  g_test_message ("fragmented %u × %zu bytes: closed with %u \"%s\"", sent, strlen (chunk), code,
                  reason);
  g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
  assert_server_healthy ();
}

/* Control: a fragmented message under the limit is answered like any other. */
static void
test_fragmented_message (void)
{
  g_autoptr (RawWs) ws = raw_ws_login ("fragmenter");
  g_autofree char *json = frame_json ("heartbeat.alive", 77, NULL, "{}");
  gsize half = strlen (json) / 2;
  g_autoptr (JsonObject) reply = NULL;

  g_assert_true (raw_ws_send (ws, 0x2, FALSE, json, half));
  g_assert_true (raw_ws_send (ws, 0x0, TRUE, json + half, strlen (json) - half));
  reply = raw_ws_read_reply (ws, "heartbeat.alive", 77);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
}

/* COMP frames ---------------------------------------------------------------------------------- */

static void
test_comp_valid (void)
{
  g_autoptr (RawWs) ws = raw_ws_login ("comp-user");
  GZlibCompressorFormat formats[] = { G_ZLIB_COMPRESSOR_FORMAT_ZLIB,
                                      G_ZLIB_COMPRESSOR_FORMAT_GZIP };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      gint64 seq = 500 + i;
      g_autofree char *prefix = NULL;
      g_autoptr (GBytes) comp = NULL;
      g_autoptr (JsonObject) reply = NULL;
      gsize length;
      const void *data;

      prefix = g_strdup_printf (
          "{\"head\":{\"ver\":\"v4\",\"servcmd\":\"openim.sendmsg\",\"seq\":%" G_GINT64_FORMAT
          "},\"body\":{\"To_Account\":\"" PROBE_PEER "\","
          "\"MsgSeq\":%" G_GINT64_FORMAT ",\"MsgRandom\":77,\"MsgBody\":[{"
          "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"",
          seq, seq);
      comp = compress_frame (prefix, 2000, "\"}}]}}", formats[i]);
      data = g_bytes_get_data (comp, &length);
      g_assert_true (raw_ws_send (ws, 0x2, TRUE, data, length));
      reply = raw_ws_read_reply (ws, "openim.sendmsg", seq);
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
      g_assert_cmpint (timchat_test_json_get_int (reply, "MsgSeq"), ==, seq);
    }

  /* A COMP heartbeat through the SDK-like client too: answered like a plain one. */
  {
    g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "comp-user");
    g_autoptr (GBytes) comp =
        compress_frame ("{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":31337},"
                        "\"body\":{}}",
                        0, "", G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
    g_autoptr (JsonObject) reply = NULL;

    timchat_test_client_send_raw (c, comp, TRUE);
    reply = timchat_test_client_wait_push (c, "heartbeat.alive", 3000);
    g_assert_nonnull (reply);
    g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    g_assert_true (timchat_test_client_is_open (c));
  }
  assert_server_healthy ();
}

/* Takes payload. */
static void
expect_comp_close (GBytes *payload_in)
{
  g_autoptr (GBytes) payload = payload_in;
  g_autoptr (TimchatTestClient) c = new_client ();
  g_autofree char *reason = NULL;
  gushort code = 0;

  timchat_test_client_send_raw (c, payload, TRUE);
  g_assert_true (timchat_test_client_wait_closed (c, CLOSE_WAIT_MS, &code, &reason));
  g_test_message ("COMP frame of %zu bytes: closed with %u \"%s\"", g_bytes_get_size (payload),
                  code, reason);
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_assert_cmpstr (reason, !=, "");
  assert_server_healthy ();
}

static void
test_comp_garbage (void)
{
  g_autoptr (GBytes) good = compress_frame ("{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},"
                                            "\"body\":{}}",
                                            0, "", G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  gsize length;
  const guint8 *data = g_bytes_get_data (good, &length);
  g_autoptr (GByteArray) corrupt = g_byte_array_new ();

  expect_comp_close (g_bytes_new_static ("COMPnot zlib at all", 19));
  expect_comp_close (g_bytes_new_static ("COMP", 4));
  /* Truncated stream. */
  expect_comp_close (g_bytes_new (data, length / 2));
  /* Flipped bytes in the deflate data (the checksum no longer matches). */
  g_byte_array_append (corrupt, data, (guint) length);
  for (gsize i = 8; i < length - 4; i += 3)
    corrupt->data[i] ^= 0x5a;
  expect_comp_close (g_byte_array_free_to_bytes (g_steal_pointer (&corrupt)));
  /* Valid zlib of something that is not a frame. */
  expect_comp_close (compress_frame ("[1,2,3]", 0, "", G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
}

static void
test_comp_bomb (void)
{
  /* A valid 100 MB frame: a server without an inflate limit would inflate and parse all of it. */
  g_autoptr (GBytes) bomb =
      compress_frame ("{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},"
                      "\"body\":{\"x\":\"",
                      100 * 1024 * 1024, "\"}}", G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  gint64 rss_before = server_pid != 0 ? proc_status_kb (server_pid, "VmRSS") : -1;
  gint64 hwm_before = server_pid != 0 ? proc_status_kb (server_pid, "VmHWM") : -1;
  gint64 start;

  g_test_message ("zlib bomb: %zu bytes inflating to 100 MiB", g_bytes_get_size (bomb));
  g_assert_cmpuint (g_bytes_get_size (bomb), <, MAX_FRAME);

  {
    g_autoptr (TimchatTestClient) c = new_client ();
    g_autofree char *reason = NULL;
    gushort code = 0;

    start = g_get_monotonic_time ();
    timchat_test_client_send_raw (c, bomb, TRUE);
    g_assert_true (timchat_test_client_wait_closed (c, CLOSE_WAIT_MS, &code, &reason));
    g_test_message ("zlib bomb: closed with %u \"%s\" after %" G_GINT64_FORMAT " ms", code, reason,
                    (g_get_monotonic_time () - start) / 1000);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
    g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
    g_assert_cmpstr (reason, !=, "");
  }
  assert_server_healthy ();

  if (rss_before < 0 || hwm_before < 0)
    {
      g_test_message ("server pid unknown or /proc unreadable: memory not checked");
      return;
    }
  g_test_message ("server VmRSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
                  " kB, VmHWM %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " kB",
                  rss_before, proc_status_kb (server_pid, "VmRSS"), hwm_before,
                  proc_status_kb (server_pid, "VmHWM"));
  g_assert_cmpint (proc_status_kb (server_pid, "VmRSS") - rss_before, <, 20 * 1024);
  /* The peak too: inflating 100 MB and freeing it again would leave RSS low but HWM high. */
  g_assert_cmpint (proc_status_kb (server_pid, "VmHWM") - hwm_before, <, 20 * 1024);
}

/* Error replies -------------------------------------------------------------------------------- */

static void
test_unknown_servcmd (void)
{
  g_autoptr (TimchatTestClient) anonymous = new_client ();
  g_autoptr (TimchatTestClient) logged_in = timchat_test_connect (fixture, "errors-a");
  g_autoptr (JsonObject) r1 = request_ok_transport (anonymous, "openim.no_such_command", "{}");
  g_autoptr (JsonObject) r2 = request_ok_transport (logged_in, "openim.no_such_command", "{}");
  g_autoptr (JsonObject) r3 = request_ok_transport (logged_in, "nodot", "{}");
  g_autoptr (JsonObject) r4 = request_ok_transport (logged_in, "", "{}");

  g_assert_cmpint (timchat_test_json_get_int (r1, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpint (timchat_test_json_get_int (r2, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpint (timchat_test_json_get_int (r3, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpint (timchat_test_json_get_int (r4, "ErrorCode"), ==, TIM_ERROR_INVALID_COMMAND);
  g_assert_cmpstr (timchat_test_json_get_string (r2, "ActionStatus"), ==, "FAIL");
  /* An error reply does not end the session. */
  send_ok (logged_in, PROBE_PEER);
  assert_server_healthy ();
}

static void
test_request_before_login (void)
{
  g_autoptr (TimchatTestClient) c = new_client ();
  static const char *servcmds[] = { "openim.sendmsg", "openim.getroammsg", "recentcontact.page_get",
                                    "openim.getmsg", "profile.portrait_set" };

  for (guint i = 0; i < G_N_ELEMENTS (servcmds); i++)
    {
      g_autoptr (JsonObject) reply = request_ok_transport (
          c, servcmds[i],
          "{\"From_Account\":\"probe\",\"To_Account\":\"" PROBE_PEER
          "\",\"MsgSeq\":1,\"MsgRandom\":1,"
          "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}");

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
    }
  /* heartbeat.alive needs no login. */
  {
    g_autoptr (JsonObject) reply = request_ok_transport (c, "heartbeat.alive", "{}");
    g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  }
  assert_server_healthy ();
}

static void
test_wrong_a2 (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "errors-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "errors-bob");
  g_autofree char *alice_a2 = g_strdup (timchat_test_client_get_a2 (alice));
  g_autofree char *alice_tinyid = g_strdup (timchat_test_client_get_tinyid (alice));
  const char *body = "{\"To_Account\":\"" PROBE_PEER "\",\"MsgSeq\":9,\"MsgRandom\":9,"
                     "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}";
  JsonObject *reply;

  timchat_test_client_set_auth (alice, "0123456789abcdef0123456789abcdef", alice_tinyid);
  reply = request_ok_transport (alice, "openim.sendmsg", body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
  json_object_unref (reply);
  timchat_test_client_set_auth (alice, "", alice_tinyid);
  reply =
      request_ok_transport (alice, "openim.getroammsg", "{\"Peer_Account\":\"" PROBE_PEER "\"}");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
  json_object_unref (reply);

  /* Another user's valid ticket on alice's socket is not a way to become that user. */
  timchat_test_client_set_auth (alice, timchat_test_client_get_a2 (bob),
                                timchat_test_client_get_tinyid (bob));
  reply = request_ok_transport (alice, "openim.sendmsg", body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
  json_object_unref (reply);

  /* The right ticket still works on the same socket. */
  timchat_test_client_set_auth (alice, alice_a2, alice_tinyid);
  send_ok (alice, PROBE_PEER);
  assert_server_healthy ();
}

/* batch_delete answers per item: a bad item gets ResultCode != 0 and the call does not crash. */
static void
check_batch_delete_items (GString *failures)
{
  static const char *bodies[] = {
    "{\"ContactItem\":[{\"To_Account\":12345,\"Type\":1}]}",
    "{\"ContactItem\":[{\"To_Account\":\"" PROBE_PEER "\",\"Type\":\"one\"}]}",
    "{\"ContactItem\":[{\"ToGroupid\":[\"@TGS#1\"],\"Type\":2}]}",
    "{\"ContactItem\":[5]}",
    "{\"ContactItem\":[\"" PROBE_PEER "\"]}",
  };
  TimchatTestClient *c = timchat_test_connect (fixture, "errors-items");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) reply = NULL;
      g_autofree char *what = g_strdup_printf ("recentcontact.batch_delete %s", bodies[i]);

      g_test_message ("%s", what);
      reply = timchat_test_client_request_json (c, "recentcontact.batch_delete", bodies[i], &error);
      if (reply == NULL)
        g_string_append_printf (failures, "\n  %s: no reply (%s)", what, error->message);
      else if (timchat_test_json_get_int (reply, "ErrorCode") == 0 &&
               (json_array_get_length (timchat_test_json_get_array (reply, "ResultItem")) != 1 ||
                timchat_test_json_get_int (reply, "ResultItem.0.ResultCode") == 0))
        /* Success overall is fine only if the one item is reported as failed. */
        g_string_append_printf (failures, "\n  %s: reported as deleted", what);
      if (revive_if_dead (failures, what, reply == NULL || !timchat_test_client_is_open (c)) ||
          !timchat_test_client_is_open (c))
        {
          timchat_test_client_free (c);
          c = timchat_test_connect (fixture, "errors-items");
        }
    }
  timchat_test_client_free (c);
}

typedef struct
{
  const char *servcmd;
  const char *body;
} BadBody;

static void
test_wrong_body_types (void)
{
  static const BadBody cases[] = {
    /* sendmsg */
    { "openim.sendmsg", "{\"To_Account\":12345,\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{"
                        "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg",
      "{\"To_Account\":[\"" PROBE_PEER "\"],\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":"
      "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg",
      "{\"To_Account\":\"" PROBE_PEER "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":{\"MsgType\":"
      "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}}" },
    { "openim.sendmsg", "{\"To_Account\":\"" PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[5,\"x\",null]}" },
    { "openim.sendmsg",
      "{\"To_Account\":\"" PROBE_PEER "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":7,"
      "\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg",
      "{\"To_Account\":\"" PROBE_PEER "\",\"MsgSeq\":1,\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":"
      "\"TIMTextElem\",\"MsgContent\":[\"x\"]}]}" },
    { "openim.sendmsg", "{\"To_Account\":\"" PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":{\"a\":1},\"MsgBody\":[{\"MsgType\":"
                        "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    { "openim.sendmsg", "{\"From_Account\":42,\"To_Account\":\"" PROBE_PEER
                        "\",\"MsgSeq\":1,\"MsgRandom\":\"many\",\"MsgBody\":[{\"MsgType\":"
                        "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}" },
    /* getroammsg */
    { "openim.getroammsg", "{\"Peer_Account\":12345,\"MaxCnt\":15}" },
    { "openim.getroammsg", "{\"Peer_Account\":{\"id\":\"" PROBE_PEER "\"},\"MaxCnt\":15}" },
    { "openim.getroammsg", "{\"Peer_Account\":[\"" PROBE_PEER "\"]}" },
    /* msgwithdraw */
    { "openim.msgwithdraw",
      "{\"MsgInfo\":[{\"From_Account\":\"errors-types\",\"To_Account\":\"" PROBE_PEER
      "\",\"MsgSeq\":1,\"MsgRandom\":1}]}" },
    { "openim.msgwithdraw",
      "{\"MsgInfo\":{\"From_Account\":1,\"To_Account\":2,\"MsgSeq\":\"x\",\"MsgRandom\":\"y\"}}" },
    { "openim.msgwithdraw", "{\"MsgInfo\":\"errors-types\"}" },
    /* msgreaded */
    { "openim.msgreaded",
      "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":{\"To_Account\":\"" PROBE_PEER
      "\",\"LastedMsgTime\":1}}}" },
    { "openim.msgreaded", "{\"C2CMsgReaded\":[{\"C2CMsgReadedItem\":[]}]}" },
    { "openim.msgreaded", "{\"C2CMsgReaded\":{\"C2CMsgReadedItem\":[5,\"x\",[1]]}}" },
    { "openim.msgreaded", "{\"C2CMsgReaded\":{\"C2CMsgReadedItem\":[{\"To_Account\":12345,"
                          "\"LastedMsgTime\":\"later\"}]}}" },
    { "openim.msgreaded",
      "{\"C2CMsgReaded\":{\"C2CMsgReadedItem\":[{\"To_Account\":[\"" PROBE_PEER "\"]}]}}" },
    /* page_get */
    { "recentcontact.page_get", "{\"StartIndex\":\"zero\",\"TimeStamp\":{}}" },
    { "recentcontact.page_get", "{\"StartIndex\":[0]}" },
    /* batch_delete */
    { "recentcontact.batch_delete",
      "{\"ContactItem\":{\"To_Account\":\"" PROBE_PEER "\",\"Type\":1}}" },
    { "recentcontact.batch_delete", "{\"ContactItem\":\"" PROBE_PEER "\"}" },
    /* portrait_set */
    { "profile.portrait_set",
      "{\"ProfileItem\":{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"n\"}}" },
    { "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":42}]}" },
    { "profile.portrait_set", "{\"ProfileItem\":[{\"Tag\":7,\"Value\":\"n\"}]}" },
    { "profile.portrait_set", "{\"ProfileItem\":[5,\"x\"]}" },
    /* portrait_get(_all): the SDK's own request shape with items of the wrong type */
    { "profile.portrait_get_all", "{\"UserItem\":[5,[\"x\"]]}" },
    { "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":{\"url\":\"x\"}}]}" },
  };
  g_autoptr (GString) failures = g_string_new (NULL);
  TimchatTestClient *c = timchat_test_connect (fixture, "errors-types");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) reply = NULL;
      g_autofree char *what = g_strdup_printf ("%s %s", cases[i].servcmd, cases[i].body);

      g_test_message ("%s", what);
      reply = timchat_test_client_request_json (c, cases[i].servcmd, cases[i].body, &error);
      if (reply == NULL)
        g_string_append_printf (failures, "\n  %s: no reply (%s)", what, error->message);
      else if (timchat_test_json_get_int (reply, "ErrorCode") == 0 ||
               g_strcmp0 (timchat_test_json_get_string (reply, "ActionStatus"), "FAIL") != 0)
        g_string_append_printf (failures, "\n  %s: ErrorCode 0 (success) for a malformed body",
                                what);
      else
        g_test_message ("  -> %" G_GINT64_FORMAT " %s",
                        timchat_test_json_get_int (reply, "ErrorCode"),
                        timchat_test_json_get_string (reply, "ErrorInfo"));
      if (revive_if_dead (failures, what, reply == NULL || !timchat_test_client_is_open (c)) ||
          !timchat_test_client_is_open (c))
        {
          timchat_test_client_free (c);
          c = timchat_test_connect (fixture, "errors-types");
        }
    }
  timchat_test_client_free (c);
  check_batch_delete_items (failures);
  assert_server_healthy ();
  /* Every case ran; report them all at once. */
  if (failures->len > 0)
    {
      g_test_message ("malformed bodies mishandled:%s", failures->str);
      g_test_fail ();
    }
}

/* Pipelining ----------------------------------------------------------------------------------- */

static void
test_pipelined_requests (void)
{
  static const char *servcmds[] = { "heartbeat.alive", "openim.sendmsg", "openim.getroammsg",
                                    "recentcontact.page_get", "profile.portrait_get_all" };
  g_autoptr (RawWs) ws = raw_ws_login ("pipeliner");
  g_autoptr (GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint n = 200;
  guint answered = 0;

  for (guint i = 0; i < n; i++)
    {
      const char *servcmd = servcmds[i % G_N_ELEMENTS (servcmds)];
      gint64 seq = 10000 + i;
      g_autofree char *body = NULL;
      g_autofree char *json = NULL;

      if (g_str_equal (servcmd, "openim.sendmsg"))
        body = g_strdup_printf (
            "{\"To_Account\":\"" PROBE_PEER "\",\"MsgSeq\":%u,\"MsgRandom\":%u,"
            "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"p%u\"}}]}",
            i + 1, i + 1, i);
      else if (g_str_equal (servcmd, "openim.getroammsg"))
        body = g_strdup ("{\"Peer_Account\":\"" PROBE_PEER "\",\"MaxCnt\":15,\"MsgKey\":\"\"}");
      else if (g_str_equal (servcmd, "profile.portrait_get_all"))
        body = g_strdup ("{\"UserItem\":[{\"To_Account\":\"pipeliner\"}]}");
      else
        body = g_strdup ("{}");
      json = frame_json (servcmd, seq, NULL, body);
      raw_ws_send_json (ws, json);
      g_hash_table_insert (expected, g_strdup_printf ("%s#%" G_GINT64_FORMAT, servcmd, seq), NULL);
    }

  while (answered < n)
    {
      guint8 opcode;
      GBytes *payload = NULL;
      g_autoptr (GBytes) owned = NULL;
      g_autoptr (JsonObject) root = NULL;
      g_autofree char *text = NULL;
      g_autofree char *key = NULL;
      const char *servcmd;
      gsize length;
      const char *data;

      g_assert_true (raw_ws_read (ws, &opcode, &payload));
      owned = payload;
      g_assert_cmpint (opcode, ==, 0x2);
      data = g_bytes_get_data (owned, &length);
      text = g_strndup (data, length);
      root = timchat_test_json_parse (text, NULL);
      g_assert_nonnull (root);
      servcmd = timchat_test_json_get_string (root, "head.servcmd");
      g_assert_nonnull (servcmd);
      if (g_str_equal (servcmd, "im_open_push.msg_push"))
        continue;
      key = g_strdup_printf ("%s#%" G_GINT64_FORMAT, servcmd,
                             timchat_test_json_get_int (root, "head.seq"));
      /* Each request answered exactly once, under its own servcmd + seq. */
      g_assert_true (g_hash_table_remove (expected, key));
      g_assert_cmpint (timchat_test_json_get_int (root, "body.ErrorCode"), ==, 0);
      answered++;
    }
  g_assert_cmpuint (g_hash_table_size (expected), ==, 0);
  assert_server_healthy ();
}

/* Idle sockets --------------------------------------------------------------------------------- */

static void
test_idle_timeout (void)
{
  static const char *const conf[] = { "limits/idle_timeout=2", NULL };
  g_autoptr (TimchatFixture) idle_fixture = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) idle = timchat_test_connect (idle_fixture, "idler");
  g_autoptr (TimchatTestClient) busy = timchat_test_connect (idle_fixture, "busy");
  g_autofree char *reason = NULL;
  gint64 start = g_get_monotonic_time ();
  gushort code = 0;

  /* The busy client sends a heartbeat every 500 ms; the idle one sends nothing. */
  while (timchat_test_client_is_open (idle) &&
         g_get_monotonic_time () - start < 15 * G_USEC_PER_SEC)
    {
      g_autoptr (JsonObject) beat = NULL;

      timchat_test_client_pump (idle, 500);
      beat = timchat_test_client_request_json (busy, "heartbeat.alive", "{}", NULL);
      g_assert_nonnull (beat);
    }
  g_assert_true (timchat_test_client_wait_closed (idle, 100, &code, &reason));
  g_test_message ("idle socket closed after %" G_GINT64_FORMAT " ms with %u \"%s\"",
                  (g_get_monotonic_time () - start) / 1000, code, reason);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpstr (reason, !=, "");
  g_assert_true (timchat_test_client_is_open (busy));

  /* A new socket on the same server still works. */
  {
    g_autoptr (TimchatTestClient) again = timchat_test_connect (idle_fixture, "idler");
    send_ok (again, "busy");
  }
  assert_server_healthy ();
}

/* REST ----------------------------------------------------------------------------------------- */

typedef struct
{
  guint status;
  JsonObject *body;
} RestResult;

static RestResult
rest_call (const char *method, const char *path, const char *identifier, const char *usersig,
           guint64 sdkappid, const char *body)
{
  g_autoptr (GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr (SoupSession) session =
      soup_session_new_with_options ("proxy-resolver", no_proxy, NULL);
  g_autoptr (GString) query = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) response = NULL;
  g_autoptr (GError) error = NULL;
  RestResult result = { 0, NULL };

  g_string_append_printf (query, "?sdkappid=%" G_GUINT64_FORMAT "&random=%u&contenttype=json",
                          sdkappid, g_random_int ());
  if (identifier != NULL)
    g_string_append_printf (query, "&identifier=%s", identifier);
  if (usersig != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (usersig, NULL, FALSE);
      g_string_append_printf (query, "&usersig=%s", escaped);
    }
  url = g_strdup_printf ("http://127.0.0.1:%u%s%s", timchat_fixture_get_port (fixture), path,
                         query->str);
  msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  result.status = soup_message_get_status (msg);
  if (result.status == SOUP_STATUS_OK)
    {
      gsize length;
      const char *data = g_bytes_get_data (response, &length);
      g_autofree char *text = g_strndup (data, length);

      result.body = timchat_test_json_parse (text, &error);
      g_assert_no_error (error);
    }
  return result;
}

static void
assert_rest_error (RestResult result, int code)
{
  g_assert_cmpuint (result.status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (result.body);
  g_test_message ("REST -> %" G_GINT64_FORMAT " %s",
                  timchat_test_json_get_int (result.body, "ErrorCode"),
                  timchat_test_json_get_string (result.body, "ErrorInfo"));
  g_assert_cmpint (timchat_test_json_get_int (result.body, "ErrorCode"), ==, code);
  g_assert_cmpstr (timchat_test_json_get_string (result.body, "ActionStatus"), ==, "FAIL");
  json_object_unref (result.body);
}

static void
test_rest_errors (void)
{
  guint64 sdkappid = timchat_fixture_get_sdkappid (fixture);
  g_autofree char *admin_sig = timchat_fixture_usersig (fixture, TIMCHAT_FIXTURE_ADMIN, 3600);
  g_autofree char *user_sig = timchat_fixture_usersig (fixture, PROBE_USER, 3600);
  const char *send =
      "{\"SyncOtherMachine\":2,\"From_Account\":\"" PROBE_USER "\",\"To_Account\":\"" PROBE_PEER
      "\",\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
      "\"MsgContent\":{\"Text\":\"rest\"}}]}";
  RestResult result;

  result =
      rest_call ("GET", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, NULL);
  g_assert_cmpuint (result.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_clear_pointer (&result.body, json_object_unref);

  assert_rest_error (
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, NULL, sdkappid, send),
      TIM_ERROR_USERSIG_INVALID);
  assert_rest_error (rest_call ("POST", "/v4/openim/sendmsg", NULL, NULL, sdkappid, send),
                     TIM_ERROR_USERSIG_INVALID);
  assert_rest_error (rest_call ("POST", "/v4/openim/sendmsg", PROBE_USER, user_sig, sdkappid, send),
                     TIM_ERROR_REST_ADMIN_REQUIRED);
  assert_rest_error (rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig,
                                sdkappid, "{\"From_Account\": not json"),
                     TIM_ERROR_JSON_PARSE);
  assert_rest_error (
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, "[1,2]"),
      TIM_ERROR_JSON_PARSE);
  assert_rest_error (
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, ""),
      TIM_ERROR_JSON_PARSE);
  assert_rest_error (rest_call ("POST", "/v4/openim/no_such_command", TIMCHAT_FIXTURE_ADMIN,
                                admin_sig, sdkappid, "{}"),
                     TIM_ERROR_INVALID_COMMAND);
  /* A WebSocket-only command is not reachable over REST either. */
  assert_rest_error (
      rest_call ("POST", "/v4/openim/getroammsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, "{}"),
      TIM_ERROR_INVALID_COMMAND);
  assert_rest_error (rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig,
                                sdkappid + 1, send),
                     TIM_ERROR_SDKAPPID_INVALID);

  /* The same admin call, done right, works: the errors above were about the request. */
  result =
      rest_call ("POST", "/v4/openim/sendmsg", TIMCHAT_FIXTURE_ADMIN, admin_sig, sdkappid, send);
  g_assert_cmpuint (result.status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (timchat_test_json_get_int (result.body, "ErrorCode"), ==, 0);
  g_clear_pointer (&result.body, json_object_unref);
  assert_server_healthy ();
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  server_pid = find_child_server ();
  g_test_message ("server pid %d", server_pid);
  /* The probe's peer must exist before anyone sends to it. */
  timchat_test_client_free (timchat_test_connect (fixture, PROBE_PEER));

  g_test_add_func ("/server/robustness/not-json", test_not_json);
  g_test_add_func ("/server/robustness/json-not-a-frame", test_json_not_a_frame);
  g_test_add_func ("/server/robustness/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/server/robustness/oversized-frame", test_oversized_frame);
  g_test_add_func ("/server/robustness/fragmented-message", test_fragmented_message);
  g_test_add_func ("/server/robustness/oversized-fragmented-message",
                   test_oversized_fragmented_message);
  g_test_add_func ("/server/robustness/comp-valid", test_comp_valid);
  g_test_add_func ("/server/robustness/comp-garbage", test_comp_garbage);
  g_test_add_func ("/server/robustness/comp-bomb", test_comp_bomb);
  g_test_add_func ("/server/robustness/unknown-servcmd", test_unknown_servcmd);
  g_test_add_func ("/server/robustness/request-before-login", test_request_before_login);
  g_test_add_func ("/server/robustness/wrong-a2", test_wrong_a2);
  g_test_add_func ("/server/robustness/pipelined-requests", test_pipelined_requests);
  g_test_add_func ("/server/robustness/idle-timeout", test_idle_timeout);
  g_test_add_func ("/server/robustness/rest-errors", test_rest_errors);
  g_test_add_func ("/server/robustness/wrong-body-types", test_wrong_body_types);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
