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

#include "bench-common.h"

#define N_MEMBERS 200 /* the sender and 199 receivers */
#define N_CLIENTS N_MEMBERS
#define WINDOW 8
#define THROUGHPUT_SECONDS 5
#define WARMUP_MS 500
#define TEXT_BYTES 100
#define GOAL_RATIO 0.50

typedef struct _Bench Bench;

typedef struct
{
  BenchClient base; /* first: the pool hands it to on_message */
  Bench *bench;
  guint64 received;
} Client;

struct _Bench
{
  BenchPool pool;
  Client clients[N_CLIENTS];
  char *group_id;
  guint64 sent;

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

/* ---------------------------------------------------------------- clients */

static gboolean
may_send (Bench *b)
{
  Client *c = &b->clients[0];

  return c->base.in_flight < WINDOW &&
         b->sent * (N_MEMBERS - 1) - b->all_delivered < (guint64) WINDOW * (N_MEMBERS - 1);
}

static void
send_one (Client *c)
{
  BenchClient *bc = &c->base;
  Bench *b = c->bench;
  g_autofree char *frame = NULL;
  char text[TEXT_BYTES + 1];

  memset (text, 'x', TEXT_BYTES);
  text[TEXT_BYTES] = '\0';
  bc->seq++;
  bc->in_flight++;
  b->sent++;
  if (b->pool.raw)
    {
      gsize size = MAX (b->request_bytes, TEXT_BYTES);
      guint8 *buf = g_malloc (size);

      memset (buf, ' ', size);
      soup_websocket_connection_send_binary (bc->conn, buf, size);
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
      bc->a2, bc->tinyid, timchat_fixture_get_sdkappid (b->pool.fixture),
      g_get_real_time () / G_USEC_PER_SEC, bc->seq, bc->user, b->group_id, g_random_int (), bc->seq,
      text, g_get_real_time () / G_USEC_PER_SEC);
  if (b->request_bytes == 0)
    b->request_bytes = strlen (frame);
  soup_websocket_connection_send_binary (bc->conn, frame, strlen (frame));
}

static void
fill_window (Bench *b)
{
  while (b->closed_loop && g_get_monotonic_time () < b->measure_until_us && may_send (b))
    send_one (&b->clients[0]);
}

static void
on_message (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  Client *c = user_data;
  Bench *b = c->bench;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (message, &length);
  gint64 now = g_get_monotonic_time ();

  if (bench_client_handle_login (&c->base, data, length))
    return;
  if (c->base.role == BENCH_ROLE_RECEIVER)
    {
      /* Creating the group sends notices too; only messages count. */
      if (!b->pool.raw &&
          g_strstr_len ((const char *) data, (gssize) length, "\"GroupMsgArray\"") == NULL)
        return;
      if (b->push_bytes == 0 && !b->pool.raw)
        b->push_bytes = length;
      c->received++;
      b->all_delivered++;
      if (now >= b->measure_from_us && now < b->measure_until_us)
        b->delivered++;
      fill_window (b);
      return;
    }

  if (b->group_id == NULL && !b->pool.raw)
    {
      if (g_strstr_len ((const char *) data, (gssize) length,
                        "\"servcmd\":\"group_open_http_svc.create_group\"") == NULL)
        return; /* the creation notice can come before the reply */
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *body = bench_parse_body (data, length, parser);

      if (body == NULL || json_object_get_int_member_with_default (body, "ErrorCode", -1) != 0 ||
          !json_object_has_member (body, "GroupId"))
        g_error ("fanout: create_group failed: %.*s", (int) MIN (length, 600), data);
      b->group_id = g_strdup (json_object_get_string_member (body, "GroupId"));
      return;
    }
  if (!b->pool.raw && g_strstr_len ((const char *) data, (gssize) length,
                                    "\"servcmd\":\"group_open_http_svc.send_group_msg\"") == NULL)
    return; /* a notice to the owner, not a reply */
  if (b->reply_bytes == 0 && !b->pool.raw)
    b->reply_bytes = length;
  if (!b->pool.raw &&
      g_strstr_len ((const char *) data, (gssize) length, "\"ErrorCode\":0") == NULL)
    {
      if (b->errors++ == 0)
        g_printerr ("fanout: send_group_msg failed: %.*s\n", (int) MIN (length, 400), data);
    }
  b->replies++;
  c->base.in_flight--;
  fill_window (b);
}

static void
connect_all (Bench *b)
{
  BenchPool *pool = &b->pool;

  bench_pool_open_session (pool);
  pool->pending_connects = N_CLIENTS;
  pool->pending_logins = N_CLIENTS;
  for (guint k = 0; k < N_CLIENTS; k++)
    {
      Client *c = &b->clients[k];
      BenchClient *bc = &c->base;
      g_autofree char *url = NULL;

      bc->pool = pool;
      c->bench = b;
      bc->index = k;
      bc->role = k == 0 ? BENCH_ROLE_SENDER : BENCH_ROLE_RECEIVER;
      bc->user = g_strdup_printf ("m%03u", k);
      if (pool->raw)
        url = g_strdup_printf ("ws://127.0.0.1:%u/relay?me=%s%s&fwd=%" G_GSIZE_FORMAT
                               "&ack=%" G_GSIZE_FORMAT,
                               pool->port, bc->user, bc->role == BENCH_ROLE_SENDER ? "&peer=*" : "",
                               b->push_bytes, b->reply_bytes);
      else
        url = bench_binfo_url (pool->fixture, pool->port, k);
      bench_client_connect (bc, url, G_CALLBACK (on_message));
    }
  bench_pool_wait_connected (pool);
}

static void
create_group (Bench *b)
{
  BenchClient *owner = &b->clients[0].base;
  GString *frame = g_string_new (NULL);

  g_string_append_printf (
      frame,
      "{\"head\":{\"ver\":\"v4\",\"platform\":7,\"a2\":\"%s\",\"tinyid\":\"%s\","
      "\"sdkappid\":%" G_GUINT64_FORMAT ",\"contenttype\":\"json\","
      "\"servcmd\":\"group_open_http_svc.create_group\",\"seq\":2},"
      "\"body\":{\"Type\":\"Private\",\"Name\":\"bench-fanout\",\"Owner_Account\":\"%s\","
      "\"MaxMemberCount\":%d,\"MemberList\":[",
      owner->a2, owner->tinyid, timchat_fixture_get_sdkappid (b->pool.fixture), owner->user,
      N_MEMBERS);
  for (guint k = 1; k < N_CLIENTS; k++)
    g_string_append_printf (frame, "%s{\"Member_Account\":\"%s\"}", k > 1 ? "," : "",
                            b->clients[k].base.user);
  g_string_append (frame, "],\"WebPushFlag\":1,\"FaceUrl\":\"\"}}");
  soup_websocket_connection_send_binary (owner->conn, frame->str, frame->len);
  g_string_free (frame, TRUE);
  while (b->group_id == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Let the creation notices go by. */
  bench_iterate_until (g_get_monotonic_time () + 500 * 1000);
}

static void
close_all (Bench *b)
{
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      bench_client_clear (&b->clients[i].base);
      b->clients[i].received = 0;
    }
  bench_pool_close (&b->pool);
}

static void
drain_in_flight (Bench *b)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((b->clients[0].base.in_flight > 0 || b->all_delivered < b->sent * (N_MEMBERS - 1)) &&
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
  bench_iterate_until (b->measure_until_us);
  b->closed_loop = FALSE;
  drain_in_flight (b);
  *missing = b->sent * (N_MEMBERS - 1) - b->all_delivered;
  return b->delivered / (double) THROUGHPUT_SECONDS;
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
    return bench_run_raw_relay ("raw fan-out server", NULL);
  bench_ensure_server_env ();
  bench_start_tick ();

  b->pool.name = "fanout";
  b->pool.fixture = timchat_fixture_new (conf);
  b->pool.port = timchat_fixture_get_port (b->pool.fixture);
  connect_all (b);
  create_group (b);
  server_rate = run_throughput (b, &server_missing);
  server_msgs = b->sent;
  if (b->errors > 0)
    g_printerr ("fanout: %" G_GUINT64_FORMAT " send_group_msg replies had a non-zero ErrorCode\n",
                b->errors);
  close_all (b);
  timchat_fixture_free (b->pool.fixture);

  b->pool.raw = TRUE;
  raw = bench_spawn_raw_server ("raw fan-out server", NULL, &b->pool.port);
  connect_all (b);
  raw_rate = run_throughput (b, &raw_missing);
  raw_msgs = b->sent;
  close_all (b);
  bench_stop_raw_server (raw);

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
