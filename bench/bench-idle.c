/* bench-idle.c: memory per idle, logged-in WebSocket connection in timchat-server at 5,000
 * connections, against a raw libsoup WebSocket echo server holding the same number of sockets.
 *
 * Both servers are child processes; their VmRSS (/proc/PID/status) is read after a few warm-up
 * connections and again after all connections are up and have exchanged one frame, and the
 * difference is divided by the count. RLIMIT_NOFILE is raised to its hard limit here first, and
 * the server children inherit it.
 */
#define G_LOG_DOMAIN "bench-idle"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench-common.h"

#define N_CONNECTIONS 5000
#define N_WARMUP 20
#define CONCURRENT_CONNECTS 32
#define GOAL_KB 64.0

typedef struct
{
  gboolean raw;
  guint16 port;
  TimchatFixture *fixture;
  SoupSession *session;
  SoupWebsocketConnection **conns;
  guint target;
  guint started;
  guint connecting;
  guint answered;
  guint failures;
} Bench;

/* ---------------------------------------------------------------- raw echo (child process) */

static void
echo_on_message (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  gsize length = 0;
  gconstpointer data = g_bytes_get_data (message, &length);

  soup_websocket_connection_send_binary (conn, data, length);
}

static void
echo_on_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  g_object_unref (conn);
}

static void
echo_on_websocket (SoupServer *server, SoupServerMessage *msg, const char *path,
                   SoupWebsocketConnection *conn, gpointer user_data)
{
  g_object_ref (conn);
  g_signal_connect (conn, "message", G_CALLBACK (echo_on_message), NULL);
  g_signal_connect (conn, "closed", G_CALLBACK (echo_on_closed), NULL);
}

static int
run_raw_server (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);

  soup_server_add_websocket_handler (server, "/echo", NULL, NULL, echo_on_websocket, NULL, NULL);
  return bench_serve_raw (server, "raw echo");
}

/* ---------------------------------------------------------------- clients */

static void start_next (Bench *b);

static void
on_message (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  Bench *b = user_data;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  /* One answer per connection: the login reply (server) or the echo (raw). */
  if (!b->raw && g_strstr_len (data, (gssize) length, "\"ErrorCode\":0") == NULL)
    {
      if (b->failures++ == 0)
        g_printerr ("idle: login failed: %.*s\n", (int) MIN (length, 400), data);
    }
  b->answered++;
  g_signal_handlers_disconnect_by_func (conn, on_message, b);
}

static char *
login_frame (Bench *b, guint k)
{
  g_autofree char *user = g_strdup_printf ("idle%05u", k);

  return bench_login_frame (b->fixture, user);
}

typedef struct
{
  Bench *bench;
  guint index;
} Pending;

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  Bench *b = p->bench;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *conn =
      soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_autofree char *frame = NULL;

  b->connecting--;
  if (conn == NULL)
    {
      if (b->failures++ == 0)
        g_printerr ("idle: connect failed: %s\n", error->message);
      g_free (p);
      return;
    }
  b->conns[p->index] = conn;
  g_signal_connect (conn, "message", G_CALLBACK (on_message), b);
  /* The raw client sends a frame of the login's size, so both servers buffer the same. */
  frame = login_frame (b, p->index);
  soup_websocket_connection_send_binary (conn, frame, strlen (frame));
  g_free (p);
  start_next (b);
}

static void
start_next (Bench *b)
{
  while (b->connecting < CONCURRENT_CONNECTS && b->started < b->target)
    {
      Pending *p = g_new0 (Pending, 1);
      g_autofree char *url = NULL;
      g_autoptr (SoupMessage) msg = NULL;

      p->bench = b;
      p->index = b->started++;
      url = b->raw ? g_strdup_printf ("ws://127.0.0.1:%u/echo", b->port)
                   : bench_binfo_url (b->fixture, b->port, p->index);
      msg = soup_message_new ("GET", url);
      b->connecting++;
      soup_session_websocket_connect_async (b->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_connected, p);
    }
}

static void
settle (guint ms)
{
  bench_iterate_until (g_get_monotonic_time () + ms * 1000);
}

/* Opens connections up to `count` in all and waits until each has had its answer. */
static void
open_up_to (Bench *b, guint count)
{
  gint64 deadline = g_get_monotonic_time () + 150 * G_USEC_PER_SEC;

  b->target = count;
  start_next (b);
  while ((b->answered + b->failures < b->target || b->connecting > 0) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (b->failures > 0 || b->answered < b->target)
    g_error ("idle: %u of %u connections answered, %u failures", b->answered, b->target,
             b->failures);
}

static void
close_all (Bench *b)
{
  for (guint i = 0; i < N_CONNECTIONS; i++)
    if (b->conns[i] != NULL)
      {
        soup_websocket_connection_close (b->conns[i], SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
        g_clear_object (&b->conns[i]);
      }
  settle (300);
  g_clear_object (&b->session);
  b->started = b->connecting = b->answered = b->failures = 0;
}

/* Returns KB per connection; before/after in KB. */
static double
measure (Bench *b, GPid pid, gint64 *before, gint64 *after, double *seconds)
{
  gint64 t0;

  b->session = g_object_new (SOUP_TYPE_SESSION, "max-conns", 8192, "max-conns-per-host", 8192,
                             "timeout", 90, NULL);
  open_up_to (b, N_WARMUP);
  settle (300);
  *before = bench_status_kb (pid, "VmRSS:");
  t0 = g_get_monotonic_time ();
  open_up_to (b, N_WARMUP + N_CONNECTIONS);
  *seconds = (g_get_monotonic_time () - t0) / 1e6;
  settle (1000);
  *after = bench_status_kb (pid, "VmRSS:");
  return (*after - *before) / (double) N_CONNECTIONS;
}

int
main (int argc, char **argv)
{
  const char *const conf[] = { "limits/idle_timeout=0", NULL };
  Bench bench = { 0 };
  Bench *b = &bench;
  g_autoptr (GSubprocess) raw = NULL;
  struct rlimit limit;
  gint64 s_before, s_after, r_before, r_after;
  double s_kb, r_kb, s_seconds, r_seconds;

  if (argc > 1 && g_str_equal (argv[1], "--raw-server"))
    return run_raw_server ();

  /* Each side needs N_CONNECTIONS descriptors and then some; children inherit the limit. */
  getrlimit (RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit (RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < N_CONNECTIONS + N_WARMUP + 256)
    g_error ("idle: RLIMIT_NOFILE hard limit %lu is too low for %d connections",
             (unsigned long) limit.rlim_cur, N_CONNECTIONS);

  bench_ensure_server_env ();
  bench_start_tick ();
  b->conns = g_new0 (SoupWebsocketConnection *, N_WARMUP + N_CONNECTIONS);

  b->fixture = timchat_fixture_new (conf);
  b->port = timchat_fixture_get_port (b->fixture);
  s_kb = measure (b, bench_find_child ("timchat-server"), &s_before, &s_after, &s_seconds);
  close_all (b);

  b->raw = TRUE;
  raw = bench_spawn_raw_server ("raw echo server", NULL, &b->port);
  r_kb = measure (b, (GPid) g_ascii_strtoll (g_subprocess_get_identifier (raw), NULL, 10),
                  &r_before, &r_after, &r_seconds);
  close_all (b);
  bench_stop_raw_server (raw);
  timchat_fixture_free (b->fixture);
  g_free (b->conns);

  printf ("idle setup: %d idle connections (after %d warm-up), RLIMIT_NOFILE %lu; "
          "server RSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " KB (logins took %.1f s), "
          "raw RSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " KB (%.1f s)\n",
          N_CONNECTIONS, N_WARMUP, (unsigned long) limit.rlim_cur, s_before, s_after, s_seconds,
          r_before, r_after, r_seconds);
  printf ("idle: server %.1f KB/connection, raw %.1f KB/connection, ratio %.2f (goal server <= "
          "%.0f KB) %s\n",
          s_kb, r_kb, s_kb / r_kb, GOAL_KB, s_kb <= GOAL_KB ? "MET" : "MISSED");
  return 0;
}
