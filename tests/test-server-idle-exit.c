/* test-server-idle-exit.c: --exit-when-idle, how the app's "Try it on this computer" server
 * outlives whichever TimChat started it: it stays while any client is connected and exits
 * cleanly once none has been for the given time. */
#define G_LOG_DOMAIN "test-server-idle-exit"

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "timchat-test-util.h"

static char *dir;

typedef struct
{
  GSubprocess *process;
  char *port;
  gint64 started; /* monotonic µs, when the "listening" line came */
} Server;

static void
server_start (Server *server, const char *name, const char *idle_seconds)
{
  g_autofree char *data_dir = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  server->process = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("TIMCHAT_SERVER"), "--data-dir", data_dir,
      "--listen", "127.0.0.1:0", "--exit-when-idle", idle_seconds, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "timchat-server listening on 127.0.0.1:"));
  server->port = g_strdup (strrchr (line, ':') + 1);
  server->started = g_get_monotonic_time ();
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs the main context (so a test's own WebSocket keeps being served) until the server exits or
 * timeout_ms passes; TRUE if it exited, cleanly. */
static gboolean
server_wait_exit (Server *server, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  gboolean exited = FALSE;

  g_subprocess_wait_async (server->process, NULL, on_exited, &exited);
  while (!exited && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  if (!exited)
    return FALSE;
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  return TRUE;
}

static void
server_clear (Server *server)
{
  if (!g_subprocess_get_if_exited (server->process))
    g_subprocess_force_exit (server->process);
  g_clear_object (&server->process);
  g_clear_pointer (&server->port, g_free);
}

/* Nobody comes: it goes after the idle time, not before, and not much after. */
static void
test_exits_when_nobody_came (void)
{
  Server server = { 0 };
  gint64 lived;

  server_start (&server, "nobody", "2");
  g_assert_true (server_wait_exit (&server, 10000));
  lived = (g_get_monotonic_time () - server.started) / 1000;
  g_assert_cmpint (lived, >=, 1900);
  g_assert_cmpint (lived, <, 6000);
  server_clear (&server);
}

/* A WebSocket open twice as long as the idle time keeps it; a REST call right after the socket
 * closes starts the idle time again; then it exits. */
static void
test_stays_while_a_client_is_connected (void)
{
  Server server = { 0 };
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) upgrade = NULL;
  g_autoptr (SoupMessage) rest = NULL;
  g_autoptr (GBytes) empty_object = g_bytes_new_static ("{}", 2);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *rest_url = NULL;
  SoupWebsocketConnection *connection = NULL;
  gint64 closed_at;
  gint64 lived_after_close;

  server_start (&server, "connected", "2");
  ws_url = g_strdup_printf ("ws://127.0.0.1:%s/binfo?sdkappid=1", server.port);
  upgrade = soup_message_new ("GET", ws_url);
  connection = timchat_test_websocket_open (session, upgrade);

  g_assert_false (server_wait_exit (&server, 4500));
  g_assert_cmpint (soup_websocket_connection_get_state (connection), ==, SOUP_WEBSOCKET_STATE_OPEN);
  soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (connection);

  /* 1.5 s later an HTTP request: the two seconds start over from its answer. */
  g_assert_false (server_wait_exit (&server, 1500));
  rest_url = g_strdup_printf ("http://127.0.0.1:%s/v4/openim/sendmsg?sdkappid=1", server.port);
  rest = soup_message_new ("POST", rest_url);
  soup_message_set_request_body_from_bytes (rest, "application/json", empty_object);
  reply = soup_session_send_and_read (session, rest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (rest), ==, 200);
  closed_at = g_get_monotonic_time ();

  g_assert_true (server_wait_exit (&server, 10000));
  lived_after_close = (g_get_monotonic_time () - closed_at) / 1000;
  g_assert_cmpint (lived_after_close, >=, 1900);
  server_clear (&server);
}

static void
test_bad_value (void)
{
  g_autofree char *data_dir = g_build_filename (dir, "bad", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) server =
      g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                        g_getenv ("TIMCHAT_SERVER"), "--data-dir", data_dir, "--listen",
                        "127.0.0.1:0", "--exit-when-idle", "-1", NULL);
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (server, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 2);
  g_assert_nonnull (strstr (err, "--exit-when-idle"));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("timchat-idle-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/server/idle-exit/nobody-came", test_exits_when_nobody_came);
  g_test_add_func ("/server/idle-exit/stays-while-connected",
                   test_stays_while_a_client_is_connected);
  g_test_add_func ("/server/idle-exit/bad-value", test_bad_value);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (dir);
  return status;
}
