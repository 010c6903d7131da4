/* bench-upload.c: a 50 MB PUT to timchat-server's /upload?kind=file against a raw SoupServer PUT
 * handler that streams the body to a file in the same way (write each chunk, fsync before the
 * answer), measured in the same run; plus the server's RSS before and after (it should stay
 * flat: the upload module streams to disk and keeps no body in memory).
 */
#define G_LOG_DOMAIN "bench-upload"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-common.h"

#define UPLOAD_BYTES (50 * 1024 * 1024)
#define N_RUNS 5
#define GOAL_RATIO 0.70

/* ---------------------------------------------------------------- raw PUT sink (child process) */

typedef struct
{
  int fd;
  char *path;
  goffset received;
} Sink;

static void
sink_free (gpointer data)
{
  Sink *sink = data;

  if (sink->fd >= 0)
    close (sink->fd);
  g_unlink (sink->path);
  g_free (sink->path);
  g_free (sink);
}

static void
sink_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  Sink *sink = user_data;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (chunk, &length);

  while (length > 0)
    {
      ssize_t n = write (sink->fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("raw sink: write: %s", g_strerror (errno));
      data += n;
      length -= n;
      sink->received += n;
    }
}

static void
sink_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  const char *dir = user_data;
  Sink *sink = g_new0 (Sink, 1);

  sink->path = g_build_filename (dir, "raw-upload-XXXXXX", NULL);
  sink->fd = g_mkstemp (sink->path);
  if (sink->fd < 0)
    g_error ("raw sink: %s", g_strerror (errno));
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), "sink", sink, sink_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (sink_got_chunk), sink);
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (sink_got_headers), user_data);
}

static void
on_put (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer user_data)
{
  Sink *sink = g_object_get_data (G_OBJECT (msg), "sink");
  g_autofree char *reply = NULL;

  if (sink == NULL || fsync (sink->fd) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  reply = g_strdup_printf ("{\"Size\":%" G_GOFFSET_FORMAT "}", sink->received);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, reply,
                                    strlen (reply));
}

static int
run_raw_server (const char *dir)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);

  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), (gpointer) dir);
  soup_server_add_handler (server, "/put", on_put, NULL, NULL);
  return bench_serve_raw (server, "raw sink");
}

/* ---------------------------------------------------------------- measuring */

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Median MB/s over N_RUNS PUTs of the same body (a fresh connection each time). */
static double
put_runs (const char *url, GBytes *body, char **last_reply)
{
  double rates[N_RUNS];

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr (SoupSession) session = soup_session_new ();
      g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);
      g_autoptr (GBytes) reply = NULL;
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();

      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      if (reply == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
        g_error ("upload: PUT %s failed: %s %.*s", url, error ? error->message : "",
                 reply ? (int) g_bytes_get_size (reply) : 0,
                 reply ? (const char *) g_bytes_get_data (reply, NULL) : "");
      rates[i] = UPLOAD_BYTES / 1e6 / ((g_get_monotonic_time () - t0) / 1e6);
      if (last_reply != NULL)
        {
          g_free (*last_reply);
          *last_reply = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
        }
    }
  qsort (rates, N_RUNS, sizeof rates[0], (int (*) (const void *, const void *)) compare_double);
  return rates[N_RUNS / 2];
}

static void
remove_stored_files (const char *files_dir)
{
  g_autoptr (GDir) dir = g_dir_open (files_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (files_dir, name, NULL);
      g_unlink (path);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (TimchatFixture) f = NULL;
  g_autoptr (GSubprocess) raw = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *raw_url = NULL;
  g_autofree char *raw_dir = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *reply = NULL;
  guint8 *data;
  GPid pid;
  gint64 rss_before, rss_after, hwm_before, hwm_after;
  double server_rate, raw_rate;
  guint16 raw_port;

  if (argc > 2 && g_str_equal (argv[1], "--raw-server"))
    return run_raw_server (argv[2]);
  bench_ensure_server_env ();

  data = g_malloc (UPLOAD_BYTES);
  for (gsize i = 0; i < UPLOAD_BYTES / 4; i++)
    ((guint32 *) data)[i] = g_random_int ();
  body = g_bytes_new_take (data, UPLOAD_BYTES);

  f = timchat_fixture_new (NULL);
  pid = bench_find_child ("timchat-server");
  files_dir = g_build_filename (timchat_fixture_get_data_dir (f), "files", NULL);
  sig = timchat_fixture_usersig (f, "uploader", 86400);
  {
    g_autofree char *escaped = g_uri_escape_string (sig, NULL, FALSE);
    server_url = g_strdup_printf (
        "http://127.0.0.1:%u/upload?kind=file&name=bench.bin&identifier=uploader&usersig=%s",
        timchat_fixture_get_port (f), escaped);
  }

  /* A small upload first, so lazy setup is not counted as upload memory. */
  {
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autoptr (SoupMessage) msg = soup_message_new ("PUT", server_url);
    g_autoptr (GBytes) small = g_bytes_new_from_bytes (body, 0, 65536);
    g_autoptr (GBytes) answer = NULL;

    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", small);
    answer = soup_session_send_and_read (session, msg, NULL, NULL);
    if (soup_message_get_status (msg) != SOUP_STATUS_OK)
      g_error ("upload: warm-up PUT failed with HTTP %u", soup_message_get_status (msg));
  }
  rss_before = bench_status_kb (pid, "VmRSS:");
  hwm_before = bench_status_kb (pid, "VmHWM:");
  server_rate = put_runs (server_url, body, &reply);
  rss_after = bench_status_kb (pid, "VmRSS:");
  hwm_after = bench_status_kb (pid, "VmHWM:");
  remove_stored_files (files_dir);

  raw_dir = g_build_filename (timchat_fixture_get_data_dir (f), "raw", NULL);
  g_mkdir_with_parents (raw_dir, 0700);
  raw = bench_spawn_raw_server ("raw sink", raw_dir, &raw_port);
  raw_url = g_strdup_printf ("http://127.0.0.1:%u/put", raw_port);
  raw_rate = put_runs (raw_url, body, NULL);
  bench_stop_raw_server (raw);

  printf ("upload setup: PUT of %d MiB (%d runs each, median; fresh connection per run; both sides "
          "write each chunk and fsync before answering); last server answer: %s\n",
          UPLOAD_BYTES / (1024 * 1024), N_RUNS, reply);
  printf ("upload: server %.0f MB/s, raw %.0f MB/s, ratio %.2f (goal >= %.2f) %s\n", server_rate,
          raw_rate, server_rate / raw_rate, GOAL_RATIO,
          server_rate / raw_rate >= GOAL_RATIO ? "MET" : "MISSED");
  printf ("upload memory: server VmRSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
          " KB (%+" G_GINT64_FORMAT " KB), "
          "VmHWM %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " KB (%+" G_GINT64_FORMAT
          " KB) over %d uploads of %d MiB (goal: flat) %s\n",
          rss_before, rss_after, rss_after - rss_before, hwm_before, hwm_after,
          hwm_after - hwm_before, N_RUNS, UPLOAD_BYTES / (1024 * 1024),
          hwm_after - hwm_before < 8 * 1024 ? "MET" : "MISSED");
  return 0;
}
