/* test-server-robustness-frames.c: malformed WebSocket input (bad frames, oversized and
 * fragmented messages, COMP frames), pipelining and idle sockets get an error reply or a clean
 * close with a reason, never a crash or a hang. After every case the server process must still
 * be alive and a fresh client must be able to log in and send. Some cases speak raw WebSocket
 * over a plain socket so that they can send what libsoup's client refuses to (invalid UTF-8
 * text, fragments). The request bodies are test-server-robustness-bodies.c's. */
#define G_LOG_DOMAIN "test-server-robustness-frames"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "tim-error.h"
#include "timchat-test-extra.h"

#define MAX_FRAME (256 * 1024)
#define CLOSE_WAIT_MS 5000

static TimchatFixture *fixture;
static GPid server_pid;

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

/* Malformed frames: closed with 1007 and a reason ---------------------------------------------- */

static void
expect_bad_data_close (const char *payload, gboolean binary)
{
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
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
  timchat_test_assert_server_healthy (fixture, server_pid);
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
    g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_open (fixture, "&platform=7");

    g_assert_true (timchat_test_raw_ws_send (ws, 0x1, TRUE, bad, sizeof bad - 1));
    code = timchat_test_raw_ws_wait_close (ws, &reason);
    g_test_message ("invalid UTF-8 text frame: closed with %u \"%s\"", code, reason);
    g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  }
  timchat_test_assert_server_healthy (fixture, server_pid);
}

/* Sends each text (as a JSON string's inside) as a message on a raw socket, then a whole one:
 * each is answered 90001 with an ErrorInfo holding why, on the same socket, and only the whole one
 * reaches the peer, whole. */
static void
assert_texts_answered (const char *sender, const char *peer_id, const char *const *texts, guint n,
                       const char *why)
{
  g_autoptr (TimchatTestClient) peer = timchat_test_connect (fixture, peer_id);
  g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_login (fixture, sender);
  g_autoptr (JsonObject) push = NULL;

  for (guint i = 0; i <= n; i++)
    {
      const char *text = i < n ? texts[i] : "whole \\ud83d\\ude00";
      g_autofree char *body = g_strdup_printf (
          "{\"To_Account\":\"%s\",\"MsgSeq\":%u,\"MsgRandom\":%u,\"MsgBody\":[{\"MsgType\":"
          "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
          peer_id, i + 1, i + 1, text);
      g_autofree char *json =
          timchat_test_frame_json (fixture, "openim.sendmsg", 100 + i, NULL, body);
      g_autoptr (JsonObject) reply = NULL;

      timchat_test_raw_ws_send_json (ws, json);
      reply = timchat_test_raw_ws_read_reply (ws, "openim.sendmsg", 100 + i);
      g_test_message ("%s: %" G_GINT64_FORMAT " %s", text,
                      timchat_test_json_get_int (reply, "ErrorCode"),
                      timchat_test_json_get_string (reply, "ErrorInfo"));
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==,
                       i < n ? TIM_ERROR_JSON_PARSE : 0);
      if (i < n)
        g_assert_nonnull (strstr (timchat_test_json_get_string (reply, "ErrorInfo"), why));
    }
  push = timchat_test_client_wait_push (peer, "im_open_push.msg_push", 5000);
  g_assert_nonnull (push);
  g_assert_cmpstr (
      timchat_test_json_get_string (push, "EventArray.0.C2cMsgArray.0.MsgBody.0.MsgContent.Text"),
      ==, "whole \xf0\x9f\x98\x80");
  g_assert_null (timchat_test_client_wait_push (peer, "im_open_push.msg_push", 300));
  timchat_test_assert_server_healthy (fixture, server_pid);
}

/* A request whose text holds an escape that is no character, where the rest of the frame reads:
 * JavaScript's JSON.stringify writes half an emoji (what String.slice leaves of one) as a lone
 * surrogate. That request is answered 90001 and the socket stays: closed with 1007, the Web SDK
 * reconnected, sent the pending request again, and was closed again, offline for as long as the
 * page lived. What the text would have said is not stored or relayed: the peer gets only the
 * message after. */
static void
test_lone_surrogate_answered (void)
{
  static const char *const halves[] = { "cut \\ud83d", "\\ude00 cut", "\\ud83d\\u0041",
                                        "\\\\\\udc00" };

  assert_texts_answered ("half-sender", "half-peer", halves, G_N_ELEMENTS (halves),
                         "half of a surrogate pair");
}

/* The same for a text holding U+0000, JSON.stringify's "\u0000" for a NUL: read, the string
 * ended there, so the peer got "a" (stored so) while the sender's own copy showed "a\0b". */
static void
test_nul_answered (void)
{
  static const char *const texts[] = { "a\\u0000b", "\\u0000", "\\u0000\\ud83d", "x\\u0000" };

  assert_texts_answered ("nul-sender", "nul-peer", texts, G_N_ELEMENTS (texts), "U+0000");
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
    g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
    g_autoptr (GBytes) bytes = g_bytes_new_static (big, strlen (big));

    timchat_test_client_send_raw (c, bytes, TRUE);
    g_assert_true (timchat_test_client_wait_closed (c, CLOSE_WAIT_MS, &code, &reason));
    g_test_message ("%zu-byte frame: closed with %u \"%s\"", strlen (big), code, reason);
    /* libsoup 3.2 drops the TCP connection at once (no close frame, so the client reports code
     * 0); a later libsoup may send 1009 first. Either way: closed, and nothing answered. */
    g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == 0);
    g_assert_null (timchat_test_client_wait_push (c, NULL, 100));
  }
  timchat_test_assert_server_healthy (fixture, server_pid);

  /* Same over a raw socket: only the header goes out, the server must not wait for the rest. */
  {
    g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_open (fixture, "&platform=7");
    gint64 start = g_get_monotonic_time ();

    timchat_test_raw_ws_send (ws, 0x2, TRUE, big, strlen (big));
    g_clear_pointer (&reason, g_free);
    code = timchat_test_raw_ws_wait_close (ws, &reason);
    g_test_message ("raw %zu-byte frame: closed with %u \"%s\"", strlen (big), code, reason);
    g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  }
  timchat_test_assert_server_healthy (fixture, server_pid);
}

/* Before login a frame may be at most 64 KiB: a socket nobody knows cannot make the server hold
 * max_frame_bytes of it. Logged in, the same frame is answered. */
static void
test_before_login_frame_limit (void)
{
  g_autofree char *filler = g_strnfill (100 * 1024, 'x');
  g_autofree char *body = g_strdup_printf ("{\"x\":\"%s\"}", filler);
  g_autofree char *reason = NULL;

  {
    g_autoptr (TimchatTestRawWs) stranger = timchat_test_raw_ws_open (fixture, "&platform=7");
    g_autofree char *json = timchat_test_frame_json (fixture, "heartbeat.alive", 1, NULL, body);
    gushort code;

    timchat_test_raw_ws_send (stranger, 0x2, TRUE, json, strlen (json));
    code = timchat_test_raw_ws_wait_close (stranger, &reason);
    g_test_message ("%zu bytes before login: closed with %u \"%s\"", strlen (json), code, reason);
    g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
  }
  {
    g_autoptr (TimchatTestRawWs) member = timchat_test_raw_ws_login (fixture, "big-framer");
    g_autofree char *json = timchat_test_frame_json (fixture, "heartbeat.alive", 2, NULL, body);
    g_autoptr (JsonObject) reply = NULL;

    timchat_test_raw_ws_send_json (member, json);
    reply = timchat_test_raw_ws_read_reply (member, "heartbeat.alive", 2);
    g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  }
  timchat_test_assert_server_healthy (fixture, server_pid);
}

/* A message split into fragments that are each under the limit but together over it. */
static void
test_oversized_fragmented_message (void)
{
  g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_open (fixture, "&platform=7");
  g_autofree char *chunk = g_strnfill (MAX_FRAME / 2, ' ');
  const char *start = "{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},\"body\":{}";
  g_autofree char *reason = NULL;
  gushort code;
  guint sent = 0;

  timchat_test_raw_ws_send (ws, 0x2, FALSE, start, strlen (start));
  /* 16 × 128 KiB = 2 MiB of whitespace; stop as soon as the server hangs up. */
  for (; sent < 16; sent++)
    if (!timchat_test_raw_ws_send (ws, 0x0, FALSE, chunk, strlen (chunk)))
      break;
  if (sent == 16)
    timchat_test_raw_ws_send (ws, 0x0, TRUE, "}", 1);
  code = timchat_test_raw_ws_wait_close (ws, &reason);
  g_test_message ("fragmented %u × %zu bytes: closed with %u \"%s\"", sent, strlen (chunk), code,
                  reason);
  g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
  timchat_test_assert_server_healthy (fixture, server_pid);
}

/* Control: a fragmented message under the limit is answered like any other. */
static void
test_fragmented_message (void)
{
  g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_login (fixture, "fragmenter");
  g_autofree char *json = timchat_test_frame_json (fixture, "heartbeat.alive", 77, NULL, "{}");
  gsize half = strlen (json) / 2;
  g_autoptr (JsonObject) reply = NULL;

  g_assert_true (timchat_test_raw_ws_send (ws, 0x2, FALSE, json, half));
  g_assert_true (timchat_test_raw_ws_send (ws, 0x0, TRUE, json + half, strlen (json) - half));
  reply = timchat_test_raw_ws_read_reply (ws, "heartbeat.alive", 77);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
}

/* COMP frames ---------------------------------------------------------------------------------- */

static void
test_comp_valid (void)
{
  g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_login (fixture, "comp-user");
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
          "},\"body\":{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER "\","
          "\"MsgSeq\":%" G_GINT64_FORMAT ",\"MsgRandom\":77,\"MsgBody\":[{"
          "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"",
          seq, seq);
      comp = compress_frame (prefix, 2000, "\"}}]}}", formats[i]);
      data = g_bytes_get_data (comp, &length);
      g_assert_true (timchat_test_raw_ws_send (ws, 0x2, TRUE, data, length));
      reply = timchat_test_raw_ws_read_reply (ws, "openim.sendmsg", seq);
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
  timchat_test_assert_server_healthy (fixture, server_pid);
}

/* Takes payload. */
static void
expect_comp_close (GBytes *payload_in)
{
  g_autoptr (GBytes) payload = payload_in;
  g_autoptr (TimchatTestClient) c = timchat_test_new_client (fixture, NULL);
  g_autofree char *reason = NULL;
  gushort code = 0;

  timchat_test_client_send_raw (c, payload, TRUE);
  g_assert_true (timchat_test_client_wait_closed (c, CLOSE_WAIT_MS, &code, &reason));
  g_test_message ("COMP frame of %zu bytes: closed with %u \"%s\"", g_bytes_get_size (payload),
                  code, reason);
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_assert_cmpstr (reason, !=, "");
  timchat_test_assert_server_healthy (fixture, server_pid);
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
  gint64 rss_before = server_pid != 0 ? timchat_test_proc_status_kb (server_pid, "VmRSS") : -1;
  gint64 hwm_before = server_pid != 0 ? timchat_test_proc_status_kb (server_pid, "VmHWM") : -1;
  gint64 start;

  g_test_message ("zlib bomb: %zu bytes inflating to 100 MiB", g_bytes_get_size (bomb));
  g_assert_cmpuint (g_bytes_get_size (bomb), <, MAX_FRAME);

  {
    /* Logged in: before that, a frame this big (~100 KiB) is refused whole (64 KiB). */
    g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "bomber");
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
  timchat_test_assert_server_healthy (fixture, server_pid);

  if (rss_before < 0 || hwm_before < 0)
    {
      g_test_message ("server pid unknown or /proc unreadable: memory not checked");
      return;
    }
  g_test_message ("server VmRSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
                  " kB, VmHWM %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " kB",
                  rss_before, timchat_test_proc_status_kb (server_pid, "VmRSS"), hwm_before,
                  timchat_test_proc_status_kb (server_pid, "VmHWM"));
  g_assert_cmpint (timchat_test_proc_status_kb (server_pid, "VmRSS") - rss_before, <, 20 * 1024);
  /* The peak too: inflating 100 MB and freeing it again would leave RSS low but HWM high. */
  g_assert_cmpint (timchat_test_proc_status_kb (server_pid, "VmHWM") - hwm_before, <, 20 * 1024);
}

/* Pipelining ----------------------------------------------------------------------------------- */

static void
test_pipelined_requests (void)
{
  static const char *servcmds[] = { "heartbeat.alive", "openim.sendmsg", "openim.getroammsg",
                                    "recentcontact.page_get", "profile.portrait_get_all" };
  g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_login (fixture, "pipeliner");
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
            "{\"To_Account\":\"" TIMCHAT_TEST_PROBE_PEER "\",\"MsgSeq\":%u,\"MsgRandom\":%u,"
            "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"p%u\"}}]}",
            i + 1, i + 1, i);
      else if (g_str_equal (servcmd, "openim.getroammsg"))
        body = g_strdup ("{\"Peer_Account\":\"" TIMCHAT_TEST_PROBE_PEER
                         "\",\"MaxCnt\":15,\"MsgKey\":\"\"}");
      else if (g_str_equal (servcmd, "profile.portrait_get_all"))
        body = g_strdup ("{\"UserItem\":[{\"To_Account\":\"pipeliner\"}]}");
      else
        body = g_strdup ("{}");
      json = timchat_test_frame_json (fixture, servcmd, seq, NULL, body);
      timchat_test_raw_ws_send_json (ws, json);
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

      g_assert_true (timchat_test_raw_ws_read (ws, &opcode, &payload));
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
  timchat_test_assert_server_healthy (fixture, server_pid);
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
    timchat_test_send_ok (again, "busy");
  }
  timchat_test_assert_server_healthy (fixture, server_pid);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_test_start_probed_server (&server_pid);
  g_test_add_func ("/server/robustness/not-json", test_not_json);
  g_test_add_func ("/server/robustness/json-not-a-frame", test_json_not_a_frame);
  g_test_add_func ("/server/robustness/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/server/robustness/lone-surrogate-answered", test_lone_surrogate_answered);
  g_test_add_func ("/server/robustness/nul-answered", test_nul_answered);
  g_test_add_func ("/server/robustness/oversized-frame", test_oversized_frame);
  g_test_add_func ("/server/robustness/before-login-frame-limit", test_before_login_frame_limit);
  g_test_add_func ("/server/robustness/fragmented-message", test_fragmented_message);
  g_test_add_func ("/server/robustness/oversized-fragmented-message",
                   test_oversized_fragmented_message);
  g_test_add_func ("/server/robustness/comp-valid", test_comp_valid);
  g_test_add_func ("/server/robustness/comp-garbage", test_comp_garbage);
  g_test_add_func ("/server/robustness/comp-bomb", test_comp_bomb);
  g_test_add_func ("/server/robustness/pipelined-requests", test_pipelined_requests);
  g_test_add_func ("/server/robustness/idle-timeout", test_idle_timeout);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
