/* bench-fanout.c: one sender to a 200-member group with every member online, through the real
 * timchat-server (group_open_http_svc.send_group_msg), against a raw libsoup WebSocket server
 * that sends frames of the same size to the same 199 clients, measured in the same run.
 *
 * Flow control is the same in both runs: the sender keeps at most WINDOW messages whose
 * deliveries are not all in, and at most WINDOW requests without a reply. The group is created
 * with the group frequency limit off (limits/group_rate=0): this measures fan-out capacity,
 * not the 40 msg/s per-group policy.
 */
#define G_LOG_DOMAIN "bench-fanout"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "timchat-fixture.h"

#define N_MEMBERS 200 /* the sender and 199 receivers */
#define N_CLIENTS N_MEMBERS
#define WINDOW 8
#define THROUGHPUT_SECONDS 5
#define WARMUP_MS 500
#define TEXT_BYTES 100
#define GOAL_RATIO 0.50

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
  guint64 received;
} Client;

struct _Bench
{
  gboolean raw;
  guint16 port;
  TimchatFixture *fixture;
  SoupSession *session;
  Client clients[N_CLIENTS];
  char *group_id;
  guint64 sent;
  guint pending_connects;
  guint pending_logins;
  guint failures;

  gboolean closed_loop; /* the sender refills its window as deliveries and replies come in */
  gint64 measure_from_us;
  gint64 measure_until_us;
  guint64 delivered; /* pushes received inside the measuring window */
  guint64 replies;
  guint64 errors;
  guint64 all_delivered; /* pushes received at any time */

  gsize request_bytes; /* sizes seen in the server run, replayed by the raw fan-out server */
  gsize push_bytes;
  gsize reply_bytes;
};

/* ---------------------------------------------------------------- raw fan-out server (child
 * process) */

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
  {
    gsize size = rp->forward_bytes > 0 ? rp->forward_bytes : length;
    guint8 *out = g_malloc (size);
    GHashTableIter iter;

    memcpy (out, data, MIN (size, length));
    if (size > length)
      memset (out + length, ' ', size - length);
    /* Every other client, as the server sends to every other member. */
    g_hash_table_iter_init (&iter, rp->relay->by_name);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
      if (peer != conn)
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
    g_error ("raw fan-out server: %s", error->message);
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
    g_error ("Cannot start the raw fan-out server: %s", error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (line == NULL || !g_str_has_prefix (line, "raw-listening "))
    g_error ("The raw fan-out server did not start");
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

static gboolean
may_send (Bench *b)
{
  Client *c = &b->clients[0];

  return c->in_flight < WINDOW &&
         b->sent * (N_MEMBERS - 1) - b->all_delivered < (guint64) WINDOW * (N_MEMBERS - 1);
}

static void
send_one (Client *c)
{
  Bench *b = c->bench;
  g_autofree char *frame = NULL;
  char text[TEXT_BYTES + 1];

  memset (text, 'x', TEXT_BYTES);
  text[TEXT_BYTES] = '\0';
  c->seq++;
  c->in_flight++;
  b->sent++;
  if (b->raw)
    {
      gsize size = MAX (b->request_bytes, TEXT_BYTES);
      guint8 *buf = g_malloc (size);

      memset (buf, ' ', size);
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
      "\"servcmd\":\"group_open_http_svc.send_group_msg\",\"seq\":%" G_GUINT64_FORMAT "},"
      "\"body\":{\"From_Account\":\"%s\",\"GroupId\":\"%s\",\"Random\":%u,\"ClientSeq\":"
      "%" G_GUINT64_FORMAT ","
      "\"MsgPriority\":\"Normal\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{"
      "\"Text\":\"%s\"}}],"
      "\"CloudCustomData\":\"\",\"OnlineOnlyFlag\":0,"
      "\"OfflinePushInfo\":{\"PushFlag\":0,\"Title\":\"\",\"Desc\":\"\",\"Ext\":\"\","
      "\"ApnsInfo\":{\"BadgeMode\":0},\"AndroidInfo\":{\"OPPOChannelID\":\"\"}},"
      "\"GroupAtInfo\":[],\"SendMsgControl\":[],\"MsgClientTime\":%" G_GINT64_FORMAT ","
      "\"NeedReadReceipt\":0,\"SupportMessageExtension\":0}}",
      c->a2, c->tinyid, timchat_fixture_get_sdkappid (b->fixture),
      g_get_real_time () / G_USEC_PER_SEC, c->seq, c->user, b->group_id, g_random_int (), c->seq,
      text, g_get_real_time () / G_USEC_PER_SEC);
  if (b->request_bytes == 0)
    b->request_bytes = strlen (frame);
  soup_websocket_connection_send_binary (c->conn, frame, strlen (frame));
}

static void
fill_window (Bench *b)
{
  while (b->closed_loop && g_get_monotonic_time () < b->measure_until_us && may_send (b))
    send_one (&b->clients[0]);
}

static JsonObject *
parse_body (const guint8 *data, gsize length, JsonParser *parser)
{
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "body");
}

static void
on_login_reply (Client *c, const guint8 *data, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *body = parse_body (data, length, parser);

  if (body == NULL || json_object_get_int_member_with_default (body, "ErrorCode", -1) != 0)
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
      /* Creating the group sends notices too; only messages count. */
      if (!b->raw &&
          g_strstr_len ((const char *) data, (gssize) length, "\"GroupMsgArray\"") == NULL)
        return;
      if (b->push_bytes == 0 && !b->raw)
        b->push_bytes = length;
      c->received++;
      b->all_delivered++;
      if (now >= b->measure_from_us && now < b->measure_until_us)
        b->delivered++;
      fill_window (b);
      return;
    }

  if (b->group_id == NULL && !b->raw)
    {
      if (g_strstr_len ((const char *) data, (gssize) length,
                        "\"servcmd\":\"group_open_http_svc.create_group\"") == NULL)
        return; /* the creation notice can come before the reply */
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *body = parse_body (data, length, parser);

      if (body == NULL || json_object_get_int_member_with_default (body, "ErrorCode", -1) != 0 ||
          !json_object_has_member (body, "GroupId"))
        g_error ("fanout: create_group failed: %.*s", (int) MIN (length, 600), data);
      b->group_id = g_strdup (json_object_get_string_member (body, "GroupId"));
      return;
    }
  if (!b->raw && g_strstr_len ((const char *) data, (gssize) length,
                               "\"servcmd\":\"group_open_http_svc.send_group_msg\"") == NULL)
    return; /* a notice to the owner, not a reply */
  if (b->reply_bytes == 0 && !b->raw)
    b->reply_bytes = length;
  if (!b->raw && g_strstr_len ((const char *) data, (gssize) length, "\"ErrorCode\":0") == NULL)
    {
      if (b->errors++ == 0)
        g_printerr ("fanout: send_group_msg failed: %.*s\n", (int) MIN (length, 400), data);
    }
  b->replies++;
  c->in_flight--;
  fill_window (b);
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
      g_printerr ("fanout: connect failed: %s\n", error->message);
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
  b->pending_connects = N_CLIENTS;
  b->pending_logins = N_CLIENTS;
  for (guint k = 0; k < N_CLIENTS; k++)
    {
      Client *c = &b->clients[k];
      g_autofree char *url = NULL;
      g_autoptr (SoupMessage) msg = NULL;

      c->bench = b;
      c->index = k;
      c->role = k == 0 ? ROLE_SENDER : ROLE_RECEIVER;
      c->user = g_strdup_printf ("m%03u", k);
      if (b->raw)
        url = g_strdup_printf (
            "ws://127.0.0.1:%u/relay?me=%s%s&fwd=%" G_GSIZE_FORMAT "&ack=%" G_GSIZE_FORMAT, b->port,
            c->user, c->role == ROLE_SENDER ? "&peer=*" : "", b->push_bytes, b->reply_bytes);
      else
        url = g_strdup_printf ("ws://127.0.0.1:%u/binfo?sdkappid=%" G_GUINT64_FORMAT
                               "&instanceid=%u&platform=7&sdkversion=2.27.6",
                               b->port, timchat_fixture_get_sdkappid (b->fixture), k);
      msg = soup_message_new ("GET", url);
      soup_session_websocket_connect_async (b->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_connected, c);
    }
  while ((b->pending_connects > 0 || b->pending_logins > 0) && b->failures == 0)
    g_main_context_iteration (NULL, TRUE);
  if (b->failures > 0)
    g_error ("fanout: %u connections failed", b->failures);
}

static void
create_group (Bench *b)
{
  Client *owner = &b->clients[0];
  GString *frame = g_string_new (NULL);

  g_string_append_printf (
      frame,
      "{\"head\":{\"ver\":\"v4\",\"platform\":7,\"a2\":\"%s\",\"tinyid\":\"%s\","
      "\"sdkappid\":%" G_GUINT64_FORMAT ",\"contenttype\":\"json\","
      "\"servcmd\":\"group_open_http_svc.create_group\",\"seq\":2},"
      "\"body\":{\"Type\":\"Private\",\"Name\":\"bench-fanout\",\"Owner_Account\":\"%s\","
      "\"MaxMemberCount\":%d,\"MemberList\":[",
      owner->a2, owner->tinyid, timchat_fixture_get_sdkappid (b->fixture), owner->user, N_MEMBERS);
  for (guint k = 1; k < N_CLIENTS; k++)
    g_string_append_printf (frame, "%s{\"Member_Account\":\"%s\"}", k > 1 ? "," : "",
                            b->clients[k].user);
  g_string_append (frame, "],\"WebPushFlag\":1,\"FaceUrl\":\"\"}}");
  soup_websocket_connection_send_binary (owner->conn, frame->str, frame->len);
  g_string_free (frame, TRUE);
  while (b->group_id == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Let the creation notices go by. */
  iterate_until (g_get_monotonic_time () + 500 * 1000);
}

static void
close_all (Bench *b)
{
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      Client *c = &b->clients[i];

      if (c->conn != NULL)
        {
          g_signal_handlers_disconnect_by_data (c->conn, c);
          soup_websocket_connection_close (c->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_clear_object (&c->conn);
        }
      g_clear_pointer (&c->user, g_free);
      g_clear_pointer (&c->a2, g_free);
      g_clear_pointer (&c->tinyid, g_free);
      c->logged_in = FALSE;
      c->in_flight = 0;
      c->seq = 0;
      c->received = 0;
    }
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_object (&b->session);
}

static void
drain_in_flight (Bench *b)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((b->clients[0].in_flight > 0 || b->all_delivered < b->sent * (N_MEMBERS - 1)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static double
run_throughput (Bench *b, guint64 *missing)
{
  gint64 start = g_get_monotonic_time ();

  b->closed_loop = TRUE;
  b->delivered = 0;
  b->all_delivered = 0;
  b->sent = 0;
  b->measure_from_us = start + WARMUP_MS * 1000;
  b->measure_until_us = b->measure_from_us + THROUGHPUT_SECONDS * G_USEC_PER_SEC;
  fill_window (b);
  iterate_until (b->measure_until_us);
  b->closed_loop = FALSE;
  drain_in_flight (b);
  *missing = b->sent * (N_MEMBERS - 1) - b->all_delivered;
  return b->delivered / (double) THROUGHPUT_SECONDS;
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
  const char *const conf[] = { "limits/idle_timeout=0", "limits/group_rate=0", NULL };
  Bench bench = { 0 };
  Bench *b = &bench;
  g_autoptr (GSubprocess) raw = NULL;
  double server_rate, raw_rate;
  guint64 server_msgs, raw_msgs, server_missing, raw_missing;

  if (argc > 1 && g_str_equal (argv[1], "--raw-server"))
    return run_raw_server ();
  ensure_server_env ();
  g_timeout_add (5, on_tick, NULL);

  b->fixture = timchat_fixture_new (conf);
  b->port = timchat_fixture_get_port (b->fixture);
  connect_all (b);
  create_group (b);
  server_rate = run_throughput (b, &server_missing);
  server_msgs = b->sent;
  if (b->errors > 0)
    g_printerr ("fanout: %" G_GUINT64_FORMAT " send_group_msg replies had a non-zero ErrorCode\n",
                b->errors);
  close_all (b);
  timchat_fixture_free (b->fixture);

  b->raw = TRUE;
  raw = spawn_raw_server (&b->port);
  connect_all (b);
  raw_rate = run_throughput (b, &raw_missing);
  raw_msgs = b->sent;
  close_all (b);
  g_subprocess_force_exit (raw);
  g_subprocess_wait (raw, NULL, NULL);

  printf (
      "fanout setup: 1 sender -> group of %d members (%d receivers online), window %u messages, "
      "%u s measured; frames: request %" G_GSIZE_FORMAT " B, reply %" G_GSIZE_FORMAT
      " B, push %" G_GSIZE_FORMAT " B; "
      "messages sent: server %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " deliveries missing), "
      "raw %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " missing)\n",
      N_MEMBERS, N_MEMBERS - 1, WINDOW, THROUGHPUT_SECONDS, b->request_bytes, b->reply_bytes,
      b->push_bytes, server_msgs, server_missing, raw_msgs, raw_missing);
  printf ("fanout: server %.0f deliveries/s (%.0f msg/s), raw %.0f deliveries/s, ratio %.2f (goal "
          ">= %.2f) %s\n",
          server_rate, server_rate / (N_MEMBERS - 1), raw_rate, server_rate / raw_rate, GOAL_RATIO,
          server_rate / raw_rate >= GOAL_RATIO ? "MET" : "MISSED");
  g_free (b->group_id);
  return 0;
}
