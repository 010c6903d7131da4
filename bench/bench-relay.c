/* bench-relay.c: C2C relay throughput and latency through the real timchat-server, against a
 * raw libsoup WebSocket relay measured in the same run.
 *
 * N senders each keep WINDOW openim.sendmsg requests in flight to their own receiver; every
 * message is stored (SQLite WAL, synchronous=FULL) before the reply and the push. The baseline
 * is this program re-run as a child ("--raw-server"): a bare SoupServer that forwards each frame
 * to the peer socket at the size of the server's push and answers the sender with a frame the
 * size of the server's reply, so both runs move the same frames and bytes.
 * Then both are paced at RATE msg/s and the send -> push latency is measured (same clock: the
 * clients share this process).
 */
#define G_LOG_DOMAIN "bench-relay"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "timchat-fixture.h"

#define N_PAIRS 50
#define WINDOW 8
#define THROUGHPUT_SECONDS 5
#define WARMUP_MS 500
#define RATE 1000
#define LATENCY_SECONDS 5
#define TEXT_BYTES 100
#define GOAL_RATIO 0.50
#define GOAL_P99_MS 5.0

typedef enum
{
  ROLE_SENDER,
  ROLE_RECEIVER
} Role;

typedef struct _Bench Bench;

typedef struct
{
  Bench *bench;
  Role role;
  guint index;
  char *user;
  char *peer;
  SoupWebsocketConnection *conn;
  gboolean logged_in;
  char *a2;
  char *tinyid;
  guint64 seq;
  guint in_flight;
} Client;

struct _Bench
{
  gboolean raw;
  guint16 port;
  TimchatFixture *fixture;
  SoupSession *session;
  Client clients[2 * N_PAIRS];
  guint pending_connects;
  guint pending_logins;
  guint failures;

  gboolean closed_loop; /* senders refill their window on each reply */
  gboolean paced;
  gint64 measure_from_us;
  gint64 measure_until_us;
  guint64 delivered; /* pushes received inside the measuring window */
  guint64 replies;
  guint64 errors;
  GArray *latencies_us; /* gint64 */

  gsize request_bytes; /* sizes seen in the server run, replayed by the raw relay */
  gsize push_bytes;
  gsize reply_bytes;
};

/* ---------------------------------------------------------------- raw relay (child process) */

typedef struct
{
  GHashTable *by_name; /* name -> SoupWebsocketConnection */
  guint8 *pad;
} RawRelay;

typedef struct
{
  RawRelay *relay;
  char *peer;
  gsize forward_bytes;
  gsize ack_bytes;
} RawPeer;

static void
raw_on_message (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  RawPeer *rp = user_data;
  SoupWebsocketConnection *peer;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (message, &length);

  if (rp->peer == NULL)
    return;
  peer = g_hash_table_lookup (rp->relay->by_name, rp->peer);
  if (peer != NULL)
    {
      gsize size = rp->forward_bytes > 0 ? rp->forward_bytes : length;
      guint8 *out = g_malloc (size);

      memcpy (out, data, MIN (size, length));
      if (size > length)
        memset (out + length, ' ', size - length);
      soup_websocket_connection_send_binary (peer, out, size);
      g_free (out);
    }
  soup_websocket_connection_send_binary (conn, rp->relay->pad, rp->ack_bytes);
}

static void
raw_peer_free (gpointer data)
{
  RawPeer *rp = data;

  g_free (rp->peer);
  g_free (rp);
}

static void
raw_on_websocket (SoupServer *server, SoupServerMessage *msg, const char *path,
                  SoupWebsocketConnection *conn, gpointer user_data)
{
  RawRelay *relay = user_data;
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr (GHashTable) params =
      g_uri_parse_params (query != NULL ? query : "", -1, "&", G_URI_PARAMS_NONE, NULL);
  RawPeer *rp = g_new0 (RawPeer, 1);
  const char *me = g_hash_table_lookup (params, "me");

  rp->relay = relay;
  rp->peer = g_strdup (g_hash_table_lookup (params, "peer"));
  rp->forward_bytes = g_ascii_strtoull (g_hash_table_lookup (params, "fwd") ?: "0", NULL, 10);
  rp->ack_bytes =
      MIN (g_ascii_strtoull (g_hash_table_lookup (params, "ack") ?: "64", NULL, 10), 65536);
  g_hash_table_insert (relay->by_name, g_strdup (me), g_object_ref (conn));
  g_signal_connect_data (conn, "message", G_CALLBACK (raw_on_message), rp,
                         (GClosureNotify) (void (*) (void)) raw_peer_free, 0);
}

static int
run_raw_server (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RawRelay relay = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref),
                     g_malloc0 (65536) };
  GSList *uris;

  memset (relay.pad, ' ', 65536);
  soup_server_add_websocket_handler (server, "/relay", NULL, NULL, raw_on_websocket, &relay, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("raw relay: %s", error->message);
  uris = soup_server_get_uris (server);
  printf ("raw-listening %d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (loop);
  return 0;
}

static GSubprocess *
spawn_raw_server (guint16 *port)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  GSubprocess *child =
      g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--raw-server", NULL);
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  if (child == NULL)
    g_error ("Cannot start the raw relay: %s", error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (line == NULL || !g_str_has_prefix (line, "raw-listening "))
    g_error ("The raw relay did not start");
  *port = (guint16) g_ascii_strtoull (line + strlen ("raw-listening "), NULL, 10);
  return child;
}

/* ---------------------------------------------------------------- clients */

/* A 5 ms tick keeps every blocking iteration short, so deadlines hold on a quiet socket set. */
static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
iterate_until (gint64 deadline_us)
{
  while (g_get_monotonic_time () < deadline_us)
    g_main_context_iteration (NULL, TRUE);
}

static gint64
find_stamp (const guint8 *data, gsize length)
{
  const char *at = g_strstr_len ((const char *) data, (gssize) length, "@@");

  return at != NULL ? g_ascii_strtoll (at + 2, NULL, 10) : 0;
}

static void
send_one (Client *c)
{
  Bench *b = c->bench;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *frame = NULL;
  char text[TEXT_BYTES + 1];
  int n;

  n = g_snprintf (text, sizeof text, "@@%" G_GINT64_FORMAT "@@ ", now);
  memset (text + n, 'x', TEXT_BYTES - n);
  text[TEXT_BYTES] = '\0';
  c->seq++;
  c->in_flight++;
  if (b->raw)
    {
      /* Same size as the real request; the stamp first so any truncation keeps it. */
      gsize size = MAX (b->request_bytes, TEXT_BYTES);
      guint8 *buf = g_malloc (size);

      memset (buf, ' ', size);
      memcpy (buf, text, TEXT_BYTES);
      soup_websocket_connection_send_binary (c->conn, buf, size);
      g_free (buf);
      return;
    }
  frame = g_strdup_printf (
      "{\"head\":{\"ver\":\"v4\",\"platform\":7,\"websdkappid\":537048168,\"websdkversion\":\"1.7."
      "3\","
      "\"a2\":\"%s\",\"tinyid\":\"%s\",\"status_instid\":1,\"sdkappid\":%" G_GUINT64_FORMAT ","
      "\"contenttype\":\"json\",\"reqtime\":%" G_GINT64_FORMAT
      ",\"sdkability\":192371,\"tjgID\":\"\","
      "\"servcmd\":\"openim.sendmsg\",\"seq\":%" G_GUINT64_FORMAT "},"
      "\"body\":{\"From_Account\":\"%s\",\"To_Account\":\"%s\",\"MsgSeq\":%" G_GUINT64_FORMAT ","
      "\"MsgRandom\":%u,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}"
      "],"
      "\"CloudCustomData\":\"\",\"From_AccountNick\":\"%s\",\"From_AccountHeadurl\":\"\","
      "\"OfflinePushInfo\":{\"PushFlag\":0,\"Title\":\"\",\"Desc\":\"\",\"Ext\":\"\","
      "\"ApnsInfo\":{\"BadgeMode\":0},\"AndroidInfo\":{\"OPPOChannelID\":\"\"}},"
      "\"SendMsgControl\":[],\"MsgClientTime\":%" G_GINT64_FORMAT ",\"IsNeedReadReceipt\":0,"
      "\"SupportMessageExtension\":0}}",
      c->a2, c->tinyid, timchat_fixture_get_sdkappid (b->fixture),
      g_get_real_time () / G_USEC_PER_SEC, c->seq, c->user, c->peer, c->seq, g_random_int (), text,
      c->user, g_get_real_time () / G_USEC_PER_SEC);
  if (b->request_bytes == 0)
    b->request_bytes = strlen (frame);
  soup_websocket_connection_send_binary (c->conn, frame, strlen (frame));
}

static void
on_login_reply (Client *c, const guint8 *data, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *body;

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) length, NULL) ||
      (body = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                             "body")) == NULL ||
      json_object_get_int_member_with_default (body, "ErrorCode", -1) != 0)
    g_error ("%s: login failed: %.*s", c->user, (int) length, data);
  c->a2 = g_strdup (json_object_get_string_member (body, "A2Key"));
  c->tinyid = g_strdup (json_object_get_string_member (body, "TinyId"));
  c->logged_in = TRUE;
  c->bench->pending_logins--;
}

static void
on_message (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  Client *c = user_data;
  Bench *b = c->bench;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (message, &length);
  gint64 now = g_get_monotonic_time ();

  if (!c->logged_in && !b->raw)
    {
      on_login_reply (c, data, length);
      return;
    }
  if (c->role == ROLE_RECEIVER)
    {
      gint64 stamp = find_stamp (data, length);

      if (b->push_bytes == 0 && !b->raw)
        b->push_bytes = length;
      if (now >= b->measure_from_us && now < b->measure_until_us)
        {
          b->delivered++;
          if (b->paced && stamp > 0)
            {
              gint64 latency = now - stamp;
              g_array_append_val (b->latencies_us, latency);
            }
        }
      return;
    }

  /* A sender only ever gets replies: it has no other session that sync pushes could reach. */
  if (b->reply_bytes == 0 && !b->raw)
    b->reply_bytes = length;
  if (!b->raw && g_strstr_len ((const char *) data, (gssize) length, "\"ErrorCode\":0") == NULL)
    {
      if (b->errors++ == 0)
        g_printerr ("relay: sendmsg failed: %.*s\n", (int) MIN (length, 400), data);
    }
  b->replies++;
  c->in_flight--;
  if (b->closed_loop && now < b->measure_until_us)
    send_one (c);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Client *c = user_data;
  Bench *b = c->bench;
  g_autoptr (GError) error = NULL;

  c->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  b->pending_connects--;
  if (c->conn == NULL)
    {
      g_printerr ("relay: connect failed: %s\n", error->message);
      b->failures++;
      return;
    }
  soup_websocket_connection_set_max_incoming_payload_size (c->conn, 1 << 20);
  g_signal_connect (c->conn, "message", G_CALLBACK (on_message), c);
  if (!b->raw)
    {
      g_autofree char *sig = timchat_fixture_usersig (b->fixture, c->user, 86400);
      g_autofree char *frame = g_strdup_printf (
          "{\"head\":{\"ver\":\"v4\",\"platform\":7,\"identifier\":\"%s\",\"usersig\":\"%s\","
          "\"sdkappid\":%" G_GUINT64_FORMAT ",\"contenttype\":\"json\","
          "\"servcmd\":\"im_open_status.wslogin\",\"seq\":1},"
          "\"body\":{\"State\":\"Online\",\"is_web_uniapp\":0,\"InstType\":0}}",
          c->user, sig, timchat_fixture_get_sdkappid (b->fixture));
      soup_websocket_connection_send_binary (c->conn, frame, strlen (frame));
    }
  else
    {
      c->logged_in = TRUE;
      b->pending_logins--;
    }
}

static void
connect_all (Bench *b)
{
  b->session = g_object_new (SOUP_TYPE_SESSION, "max-conns", 4096, "max-conns-per-host", 4096,
                             "timeout", 30, NULL);
  b->pending_connects = G_N_ELEMENTS (b->clients);
  b->pending_logins = G_N_ELEMENTS (b->clients);
  /* Receivers first: sendmsg needs the recipient's account to exist. */
  for (guint i = 0; i < G_N_ELEMENTS (b->clients); i++)
    {
      guint k = (i + N_PAIRS) % G_N_ELEMENTS (b->clients);
      Client *c = &b->clients[k];
      g_autofree char *url = NULL;
      g_autoptr (SoupMessage) msg = NULL;

      c->bench = b;
      c->index = k % N_PAIRS;
      c->role = k < N_PAIRS ? ROLE_SENDER : ROLE_RECEIVER;
      c->user = g_strdup_printf ("%s%03u", c->role == ROLE_SENDER ? "s" : "r", c->index);
      c->peer = g_strdup_printf ("r%03u", c->index);
      if (b->raw)
        url = g_strdup_printf (
            "ws://127.0.0.1:%u/relay?me=%s%s%s&fwd=%" G_GSIZE_FORMAT "&ack=%" G_GSIZE_FORMAT,
            b->port, c->user, c->role == ROLE_SENDER ? "&peer=" : "",
            c->role == ROLE_SENDER ? c->peer : "", b->push_bytes, b->reply_bytes);
      else
        url = g_strdup_printf ("ws://127.0.0.1:%u/binfo?sdkappid=%" G_GUINT64_FORMAT
                               "&instanceid=%u&platform=7&sdkversion=2.27.6",
                               b->port, timchat_fixture_get_sdkappid (b->fixture), k);
      msg = soup_message_new ("GET", url);
      soup_session_websocket_connect_async (b->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_connected, c);
      /* Let the receivers' logins land before the senders log in. */
      if (i == N_PAIRS - 1)
        {
          gboolean waiting = TRUE;
          while (waiting)
            {
              g_main_context_iteration (NULL, TRUE);
              waiting = b->pending_logins > N_PAIRS && b->failures == 0;
            }
        }
    }
  while ((b->pending_connects > 0 || b->pending_logins > 0) && b->failures == 0)
    g_main_context_iteration (NULL, TRUE);
  if (b->failures > 0)
    g_error ("relay: %u connections failed", b->failures);
}

static void
close_all (Bench *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (b->clients); i++)
    {
      Client *c = &b->clients[i];

      if (c->conn != NULL)
        {
          g_signal_handlers_disconnect_by_data (c->conn, c);
          soup_websocket_connection_close (c->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_clear_object (&c->conn);
        }
      g_clear_pointer (&c->user, g_free);
      g_clear_pointer (&c->peer, g_free);
      g_clear_pointer (&c->a2, g_free);
      g_clear_pointer (&c->tinyid, g_free);
      c->logged_in = FALSE;
      c->in_flight = 0;
      c->seq = 0;
    }
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_object (&b->session);
}

static void
drain_in_flight (Bench *b)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      guint busy = 0;

      for (guint i = 0; i < N_PAIRS; i++)
        busy += b->clients[i].in_flight;
      if (busy == 0 || g_get_monotonic_time () > deadline)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  /* The last pushes trail the last replies. */
  iterate_until (g_get_monotonic_time () + 200 * 1000);
}

static double
run_throughput (Bench *b)
{
  gint64 start = g_get_monotonic_time ();

  b->closed_loop = TRUE;
  b->paced = FALSE;
  b->delivered = 0;
  b->measure_from_us = start + WARMUP_MS * 1000;
  b->measure_until_us = b->measure_from_us + THROUGHPUT_SECONDS * G_USEC_PER_SEC;
  for (guint i = 0; i < N_PAIRS; i++)
    for (guint w = 0; w < WINDOW; w++)
      send_one (&b->clients[i]);
  iterate_until (b->measure_until_us);
  b->closed_loop = FALSE;
  drain_in_flight (b);
  return b->delivered / (double) THROUGHPUT_SECONDS;
}

typedef struct
{
  Bench *b;
  gint64 start;
  gint64 until;
  guint64 sent;
  guint next;
} Pacer;

static gboolean
on_pace (gpointer user_data)
{
  Pacer *p = user_data;
  gint64 now = g_get_monotonic_time ();
  guint64 due = (guint64) ((now - p->start) * (gint64) RATE / G_USEC_PER_SEC);

  while (p->sent < due)
    {
      send_one (&p->b->clients[p->next]);
      p->next = (p->next + 1) % N_PAIRS;
      p->sent++;
    }
  return now < p->until ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
run_latency (Bench *b, double *p50_ms, double *p99_ms, double *max_ms, guint64 *sent)
{
  gint64 start = g_get_monotonic_time ();
  Pacer pacer = { b, start, start + LATENCY_SECONDS * G_USEC_PER_SEC, 0, 0 };
  GArray *l = b->latencies_us;

  g_array_set_size (l, 0);
  b->delivered = 0;
  b->closed_loop = FALSE;
  b->paced = TRUE;
  b->measure_from_us = pacer.start;
  b->measure_until_us = pacer.until;
  g_timeout_add (1, on_pace, &pacer);
  iterate_until (b->measure_until_us + 2000);
  b->measure_until_us = G_MAXINT64; /* count the stragglers too */
  drain_in_flight (b);
  b->paced = FALSE;
  g_array_sort (l, compare_gint64);
  *sent = pacer.sent;
  *p50_ms = l->len ? g_array_index (l, gint64, l->len / 2) / 1000.0 : -1;
  *p99_ms = l->len ? g_array_index (l, gint64, MIN (l->len - 1, l->len * 99 / 100)) / 1000.0 : -1;
  *max_ms = l->len ? g_array_index (l, gint64, l->len - 1) / 1000.0 : -1;
}

static void
ensure_server_env (void)
{
  g_autofree char *exe = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *server = NULL;

  if (g_getenv ("TIMCHAT_SERVER") != NULL)
    return;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  dir = g_path_get_dirname (exe);
  server = g_build_filename (dir, "..", "src", "server", "timchat-server", NULL);
  g_setenv ("TIMCHAT_SERVER", server, TRUE);
}

int
main (int argc, char **argv)
{
  const char *const conf[] = { "limits/idle_timeout=0", NULL };
  Bench bench = { 0 };
  Bench *b = &bench;
  g_autoptr (GSubprocess) raw = NULL;
  double server_rate, raw_rate;
  double s50, s99, smax, r50, r99, rmax;
  guint64 s_sent, r_sent, s_delivered, r_delivered;

  if (argc > 1 && g_str_equal (argv[1], "--raw-server"))
    return run_raw_server ();
  ensure_server_env ();
  g_timeout_add (5, on_tick, NULL);
  b->latencies_us = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* The real server. */
  b->fixture = timchat_fixture_new (conf);
  b->port = timchat_fixture_get_port (b->fixture);
  connect_all (b);
  server_rate = run_throughput (b);
  run_latency (b, &s50, &s99, &smax, &s_sent);
  s_delivered = b->delivered;
  if (b->errors > 0)
    g_printerr ("relay: %" G_GUINT64_FORMAT " sendmsg replies had a non-zero ErrorCode\n",
                b->errors);
  close_all (b);
  timchat_fixture_free (b->fixture);

  /* The raw relay, moving frames of the sizes the server run produced. */
  b->raw = TRUE;
  raw = spawn_raw_server (&b->port);
  connect_all (b);
  raw_rate = run_throughput (b);
  run_latency (b, &r50, &r99, &rmax, &r_sent);
  r_delivered = b->delivered;
  close_all (b);
  g_subprocess_force_exit (raw);
  g_subprocess_wait (raw, NULL, NULL);

  printf ("relay setup: %u senders -> %u receivers, window %u per sender, %u s measured; "
          "frames: request %" G_GSIZE_FORMAT " B, reply %" G_GSIZE_FORMAT
          " B, push %" G_GSIZE_FORMAT " B\n",
          N_PAIRS, N_PAIRS, WINDOW, THROUGHPUT_SECONDS, b->request_bytes, b->reply_bytes,
          b->push_bytes);
  printf ("relay: server %.0f msg/s, raw %.0f msg/s, ratio %.2f (goal >= %.2f) %s\n", server_rate,
          raw_rate, server_rate / raw_rate, GOAL_RATIO,
          server_rate / raw_rate >= GOAL_RATIO ? "MET" : "MISSED");
  printf ("relay latency at %d msg/s for %d s: server p50 %.2f ms p99 %.2f ms max %.2f ms "
          "(%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " delivered), "
          "raw p50 %.2f ms p99 %.2f ms max %.2f ms (%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "), "
          "goal p99 <= %.1f ms %s\n",
          RATE, LATENCY_SECONDS, s50, s99, smax, s_delivered, s_sent, r50, r99, rmax, r_delivered,
          r_sent, GOAL_P99_MS, s99 >= 0 && s99 <= GOAL_P99_MS ? "MET" : "MISSED");
  g_array_unref (b->latencies_us);
  return 0;
}
