/* bench-common.c: helpers the benchmark programs share (see bench-common.h). */
#define G_LOG_DOMAIN "bench-common"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench-common.h"

/* ---------------------------------------------------------------- process and main loop */

void
bench_ensure_server_env (void)
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

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
bench_start_tick (void)
{
  g_timeout_add (5, on_tick, NULL);
}

void
bench_iterate_until (gint64 deadline_us)
{
  while (g_get_monotonic_time () < deadline_us)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------------- figures */

int
bench_compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

double
bench_percentile_ms (GArray *sorted, guint pct)
{
  if (sorted->len == 0)
    return -1;
  return g_array_index (sorted, gint64, MIN (sorted->len - 1, sorted->len * pct / 100)) / 1000.0;
}

gint64
bench_median (GArray *values)
{
  g_array_sort (values, bench_compare_gint64);
  return g_array_index (values, gint64, values->len / 2);
}

gint64
bench_maximum (GArray *values)
{
  g_array_sort (values, bench_compare_gint64);
  return g_array_index (values, gint64, values->len - 1);
}

/* ---------------------------------------------------------------- /proc */

gint64
bench_status_kb (GPid pid, const char *field)
{
  g_autofree char *path =
      pid == 0 ? g_strdup ("/proc/self/status") : g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    g_error ("%s: cannot read %s from %s", g_get_prgname (), field, path);
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

gint64
bench_cpu_us (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after_comm;

  /* comm may hold spaces: the fields that follow start after its closing parenthesis. */
  if (!g_file_get_contents (path, &text, NULL, NULL) || (after_comm = strrchr (text, ')')) == NULL)
    g_error ("%s: cannot read %s", g_get_prgname (), path);
  fields = g_strsplit (after_comm + 2, " ", 15);
  if (g_strv_length (fields) < 13)
    g_error ("%s: unexpected %s", g_get_prgname (), path);
  /* utime and stime, fields 14 and 15 of stat(5): 12 and 13 after comm's. */
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
}

GPid
bench_find_child (const char *comm)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc", 0, NULL);
  g_autofree char *wanted = g_strdup_printf ("(%s)", comm);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      g_auto (GStrv) fields = NULL;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      fields = g_strsplit (stat, " ", 5);
      /* comm is cut at 15 characters: compare that much. */
      if (g_strv_length (fields) >= 4 &&
          strncmp (fields[1], wanted, MIN (strlen (wanted) - 1, 16)) == 0 &&
          g_ascii_strtoll (fields[3], NULL, 10) == getpid ())
        return (GPid) g_ascii_strtoll (name, NULL, 10);
    }
  g_error ("%s: no child process %s", g_get_prgname (), comm);
  return 0;
}

/* ---------------------------------------------------------------- raw baselines (child process) */

int
bench_serve_raw (SoupServer *server, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GSList *uris;

  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s: %s", what, error->message);
  uris = soup_server_get_uris (server);
  printf ("raw-listening %d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (loop);
  return 0;
}

GSubprocess *
bench_spawn_raw_server (const char *what, const char *arg, guint16 *port)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  GSubprocess *child =
      g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--raw-server", arg, NULL);
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  if (child == NULL)
    g_error ("Cannot start the %s: %s", what, error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (line == NULL || !g_str_has_prefix (line, "raw-listening "))
    g_error ("The %s did not start", what);
  *port = (guint16) g_ascii_strtoull (line + strlen ("raw-listening "), NULL, 10);
  return child;
}

void
bench_stop_raw_server (GSubprocess *child)
{
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
}

typedef struct
{
  SoupWebsocketConnection *conn; /* a ref */
  GBytes *frame;
} RawSend;

typedef struct
{
  GHashTable *by_name; /* name -> SoupWebsocketConnection */
  guint8 *pad;
  int log_fd;       /* durable: the log every frame is appended to; else -1 */
  GArray *pending;  /* durable: RawSend, waiting for the fdatasync */
  guint flush_idle; /* durable: the end of this main-loop iteration */
} RawRelay;

static void
raw_send_clear (gpointer data)
{
  RawSend *send = data;

  g_clear_object (&send->conn);
  g_clear_pointer (&send->frame, g_bytes_unref);
}

static gboolean
raw_flush (gpointer user_data)
{
  RawRelay *relay = user_data;

  relay->flush_idle = 0;
  if (fdatasync (relay->log_fd) != 0)
    g_error ("raw relay: fdatasync: %s", g_strerror (errno));
  for (guint i = 0; i < relay->pending->len; i++)
    {
      RawSend *send = &g_array_index (relay->pending, RawSend, i);
      gsize size;
      gconstpointer data = g_bytes_get_data (send->frame, &size);

      if (soup_websocket_connection_get_state (send->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_binary (send->conn, data, size);
    }
  g_array_set_size (relay->pending, 0);
  return G_SOURCE_REMOVE;
}

/* Now, or (durable) a copy after this iteration's fdatasync. */
static void
raw_send (RawRelay *relay, SoupWebsocketConnection *conn, gconstpointer data, gsize size)
{
  RawSend send;

  if (relay->log_fd < 0)
    {
      soup_websocket_connection_send_binary (conn, data, size);
      return;
    }
  send.conn = g_object_ref (conn);
  send.frame = g_bytes_new (data, size);
  g_array_append_val (relay->pending, send);
  if (relay->flush_idle == 0)
    relay->flush_idle = g_idle_add_full (G_PRIORITY_HIGH, raw_flush, relay, NULL);
}

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
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (message, &length);
  gboolean everyone;
  SoupWebsocketConnection *peer;

  if (rp->peer == NULL)
    return;
  if (rp->relay->log_fd >= 0 && write (rp->relay->log_fd, data, length) != (gssize) length)
    g_error ("raw relay: writing the log: %s", g_strerror (errno));
  /* "*": every other client, as the server sends to every other group member. */
  everyone = g_str_equal (rp->peer, "*");
  peer = everyone ? NULL : g_hash_table_lookup (rp->relay->by_name, rp->peer);
  if (everyone || peer != NULL)
    {
      gsize size = rp->forward_bytes > 0 ? rp->forward_bytes : length;
      guint8 *out = g_malloc (size);

      memcpy (out, data, MIN (size, length));
      if (size > length)
        memset (out + length, ' ', size - length);
      if (everyone)
        {
          GHashTableIter iter;

          g_hash_table_iter_init (&iter, rp->relay->by_name);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
            if (peer != conn)
              raw_send (rp->relay, peer, out, size);
        }
      else
        raw_send (rp->relay, peer, out, size);
      g_free (out);
    }
  raw_send (rp->relay, conn, rp->relay->pad, rp->ack_bytes);
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

int
bench_run_raw_relay (const char *what, const char *log_path)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  RawRelay relay = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref),
                     g_malloc0 (65536), -1, g_array_new (FALSE, FALSE, sizeof (RawSend)), 0 };

  g_array_set_clear_func (relay.pending, raw_send_clear);
  if (log_path != NULL &&
      (relay.log_fd = open (log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600)) < 0)
    g_error ("%s: %s: %s", what, log_path, g_strerror (errno));
  memset (relay.pad, ' ', 65536);
  soup_server_add_websocket_handler (server, "/relay", NULL, NULL, raw_on_websocket, &relay, NULL);
  return bench_serve_raw (server, what);
}

/* ---------------------------------------------------------------- lean WebSocket clients */

char *
bench_login_frame (TimchatFixture *fixture, const char *user)
{
  g_autofree char *sig = timchat_fixture_usersig (fixture, user, 86400);

  return g_strdup_printf (
      "{\"head\":{\"ver\":\"v4\",\"platform\":7,\"identifier\":\"%s\",\"usersig\":\"%s\","
      "\"sdkappid\":%" G_GUINT64_FORMAT ",\"contenttype\":\"json\","
      "\"servcmd\":\"im_open_status.wslogin\",\"seq\":1},"
      "\"body\":{\"State\":\"Online\",\"is_web_uniapp\":0,\"InstType\":0}}",
      user, sig, timchat_fixture_get_sdkappid (fixture));
}

char *
bench_binfo_url (TimchatFixture *fixture, guint16 port, guint instance)
{
  return g_strdup_printf ("ws://127.0.0.1:%u/binfo?sdkappid=%" G_GUINT64_FORMAT
                          "&instanceid=%u&platform=7&sdkversion=2.27.6",
                          port, timchat_fixture_get_sdkappid (fixture), instance);
}

JsonObject *
bench_parse_body (const guint8 *data, gsize length, JsonParser *parser)
{
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "body");
}

void
bench_take_login_reply (const char *user, const guint8 *data, gsize length, char **a2,
                        char **tinyid)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *body = bench_parse_body (data, length, parser);

  if (body == NULL || json_object_get_int_member_with_default (body, "ErrorCode", -1) != 0)
    g_error ("%s: login failed: %.*s", user, (int) length, data);
  *a2 = g_strdup (json_object_get_string_member (body, "A2Key"));
  *tinyid = g_strdup (json_object_get_string_member (body, "TinyId"));
}

void
bench_pool_open_session (BenchPool *pool)
{
  pool->session = g_object_new (SOUP_TYPE_SESSION, "max-conns", 4096, "max-conns-per-host", 4096,
                                "timeout", 30, NULL);
}

typedef struct
{
  BenchClient *client;
  GCallback on_message;
} Connecting;

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Connecting *connecting = user_data;
  BenchClient *c = connecting->client;
  GCallback on_message = connecting->on_message;
  BenchPool *pool = c->pool;
  g_autoptr (GError) error = NULL;

  g_free (connecting);
  c->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  pool->pending_connects--;
  if (c->conn == NULL)
    {
      g_printerr ("%s: connect failed: %s\n", pool->name, error->message);
      pool->failures++;
      return;
    }
  soup_websocket_connection_set_max_incoming_payload_size (c->conn, 1 << 20);
  g_signal_connect (c->conn, "message", on_message, c);
  if (!pool->raw)
    {
      g_autofree char *frame = bench_login_frame (pool->fixture, c->user);

      soup_websocket_connection_send_binary (c->conn, frame, strlen (frame));
    }
  else
    {
      c->logged_in = TRUE;
      pool->pending_logins--;
    }
}

void
bench_client_connect (BenchClient *c, const char *url, GCallback on_message)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  Connecting *connecting = g_new0 (Connecting, 1);

  connecting->client = c;
  connecting->on_message = on_message;
  soup_session_websocket_connect_async (c->pool->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_connected, connecting);
}

gboolean
bench_client_handle_login (BenchClient *c, const guint8 *data, gsize length)
{
  if (c->logged_in || c->pool->raw)
    return FALSE;
  bench_take_login_reply (c->user, data, length, &c->a2, &c->tinyid);
  c->logged_in = TRUE;
  c->pool->pending_logins--;
  return TRUE;
}

void
bench_pool_wait_connected (BenchPool *pool)
{
  while ((pool->pending_connects > 0 || pool->pending_logins > 0) && pool->failures == 0)
    g_main_context_iteration (NULL, TRUE);
  if (pool->failures > 0)
    g_error ("%s: %u connections failed", pool->name, pool->failures);
}

void
bench_client_clear (BenchClient *c)
{
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

void
bench_pool_close (BenchPool *pool)
{
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_object (&pool->session);
}
