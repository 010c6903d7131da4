/* timchat-local-server.c: starts timchat-server for "Try it on this computer". The port is kept
 * in DATA_DIR/port so a second TimChat (another account) finds the running server.
 *
 * No TimChat owns that server: whichever started it may quit while another still chats through
 * it. So it runs in its own session (a Ctrl+C in our terminal is not for it), logs to
 * DATA_DIR/server.log, and exits by itself once no client has been connected for a while
 * (--exit-when-idle). If it goes away anyway (a Flatpak sandbox ends with the instance that
 * started it), the next start brings it back on the same port, where the clients reconnect. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "timchat-local-server.h"

struct _TimchatLocalServer
{
  GObject parent_instance;

  char *data_dir;
  char *url;
  guint64 sdkappid;
  GTask *starting;      /* a start waiting for the server's "listening" line */
  guint16 spawned_port; /* what that start asked for (0: any) */
  SoupSession *probe_session;

  TimClient *client; /* watched (timchat_local_server_watch), not owned */
  TimNetState client_state;
  guint retry_source; /* while the client has lost the server */
  GCancellable *watch_cancellable;
};

/* How often a client that lost the server asks for it again. */
#define RETRY_SECONDS 5

/* Long enough for a second TimChat to connect after finding the port, short enough not to
 * linger after the last one quits. */
#define IDLE_EXIT_SECONDS "10"

G_DEFINE_FINAL_TYPE (TimchatLocalServer, timchat_local_server, G_TYPE_OBJECT)

/* The server binary: $TIMCHAT_SERVER (tests, run-demo), next to us (build tree), or installed. */
static char *
server_path (void)
{
  const char *env = g_getenv ("TIMCHAT_SERVER");
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *self_dir = self_path ? g_path_get_dirname (self_path) : NULL;
  g_autofree char *sibling =
      self_dir ? g_build_filename (self_dir, "..", "server", "timchat-server", NULL) : NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (sibling != NULL && g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&sibling);
  return g_strdup (TIMCHAT_SERVER_PATH);
}

static gboolean
read_sdkappid (TimchatLocalServer *self, GError **error)
{
  g_autofree char *path = g_build_filename (self->data_dir, "timchat.conf", NULL);
  g_autoptr (GKeyFile) config = g_key_file_new ();

  if (!g_key_file_load_from_file (config, path, G_KEY_FILE_NONE, error))
    return FALSE;
  self->sdkappid = g_key_file_get_uint64 (config, "app", "sdkappid", error);
  return self->sdkappid != 0;
}

/* The port the server had last time (0: none): a new one takes it again, so clients that lost
 * the old one reconnect to the same URL. */
static guint16
remembered_port (TimchatLocalServer *self)
{
  g_autofree char *port_path = g_build_filename (self->data_dir, "port", NULL);
  g_autofree char *port = NULL;
  guint64 number;

  if (!g_file_get_contents (port_path, &port, NULL, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (port), 10, 1, 65535, &number, NULL))
    return 0;
  return (guint16) number;
}

static void
set_url (TimchatLocalServer *self, guint16 port)
{
  g_free (self->url);
  self->url = g_strdup_printf ("ws://127.0.0.1:%u", port);
}

static void
finish_start (TimchatLocalServer *self, GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->starting);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Where the server's stderr goes (the one before is kept beside it, with ".old"). */
static char *
server_log_path (TimchatLocalServer *self)
{
  return g_build_filename (self->data_dir, "server.log", NULL);
}

static void
finish_not_started (TimchatLocalServer *self, const char *why)
{
  g_autofree char *log_path = server_log_path (self);

  finish_start (self,
                g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                             _ ("The local server did not start: %s (see %s)"), why, log_path));
}

/* Whether a timchat-server answers on port: asked over HTTP, since connecting is not enough. The
 * port is remembered across runs, and once ours has exited another program may listen there. */
static void
probe_async (TimchatLocalServer *self, guint16 port, GCancellable *cancellable,
             GAsyncReadyCallback callback)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v4/", port);
  g_autoptr (SoupMessage) msg = NULL;

  if (self->probe_session == NULL)
    self->probe_session = soup_session_new_with_options ("timeout", 3, NULL);
  msg = soup_message_new ("GET", url);
  g_object_set_data (G_OBJECT (msg), "port", GUINT_TO_POINTER (port));
  soup_session_send_and_read_async (self->probe_session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    callback, g_object_ref (self));
}

/* The port it answered on, 0 if no timchat-server did; *taken: something else answered there. */
static guint16
probe_finish (TimchatLocalServer *self, GAsyncResult *result, gboolean *taken)
{
  SoupMessage *msg = soup_session_get_async_result_message (self->probe_session, result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (self->probe_session, result, &error);
  const char *software =
      body != NULL
          ? soup_message_headers_get_one (soup_message_get_response_headers (msg), "Server")
          : NULL;
  gboolean ours = software != NULL && g_str_has_prefix (software, "timchat-server/");

  /* Refused: the port is free. Anything else that is not our answer (another server, or one
   * that takes the connection and says nothing) holds it. */
  *taken = !ours && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (!ours)
    return 0;
  return (guint16) GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "port"));
}

/* Ends the start with the server that answered on port. */
static void
use_running (TimchatLocalServer *self, guint16 port)
{
  g_autoptr (GError) error = NULL;

  set_url (self, port);
  finish_start (self, read_sdkappid (self, &error) ? NULL : g_steal_pointer (&error));
}

static void spawn_server (TimchatLocalServer *self, guint16 port, GCancellable *cancellable);

/* TRUE (and the start ended) if it was cancelled meanwhile: then nothing more is started. */
static gboolean
start_cancelled (TimchatLocalServer *self)
{
  g_autoptr (GError) error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (self->starting), &error))
    return FALSE;
  finish_start (self, g_steal_pointer (&error));
  return TRUE;
}

static void
on_probed_after_exit (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatLocalServer) self = user_data;
  gboolean taken;
  guint16 port = probe_finish (self, result, &taken);

  if (port != 0)
    use_running (self, port);
  else if (start_cancelled (self))
    return;
  else if (self->spawned_port != 0)
    spawn_server (self, 0, g_task_get_cancellable (self->starting));
  else
    finish_not_started (self, _ ("it exited"));
}

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatLocalServer) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *line =
      g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  const char *prefix = "timchat-server listening on 127.0.0.1:";
  g_autofree char *port_path = g_build_filename (self->data_dir, "port", NULL);
  GCancellable *cancellable = g_task_get_cancellable (self->starting);
  guint64 port;

  if (line == NULL && error == NULL && remembered_port (self) != 0)
    {
      /* It exited without listening. Another TimChat may have started one at the same moment
       * (ours then found the database taken), or the old port is someone else's now. */
      probe_async (self, remembered_port (self), cancellable, on_probed_after_exit);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_start (self, g_steal_pointer (&error));
      return;
    }
  if (line == NULL || !g_str_has_prefix (line, prefix) ||
      !g_ascii_string_to_unsigned (line + strlen (prefix), 10, 1, 65535, &port, NULL))
    {
      finish_not_started (self, error != NULL ? error->message : _ ("it exited"));
      return;
    }
  g_file_set_contents (port_path, line + strlen (prefix), -1, NULL);
  use_running (self, (guint16) port);
}

static void
own_session (gpointer user_data)
{
  setsid ();
}

static void
spawn_server (TimchatLocalServer *self, guint16 port, GCancellable *cancellable)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *server = server_path ();
  g_autofree char *log_path = server_log_path (self);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  GError *error = NULL;

  self->spawned_port = port;
  /* The launcher truncates the log: keep the one before (the last words of a server that died). */
  {
    g_autofree char *old_log = g_strconcat (log_path, ".old", NULL);

    g_rename (log_path, old_log);
  }
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, own_session, NULL, NULL);
  /* Not kept: nobody here stops it, and GSubprocess reaps it when it exits. */
  process =
      g_subprocess_launcher_spawn (launcher, &error, server, "--data-dir", self->data_dir,
                                   "--listen", listen, "--exit-when-idle", IDLE_EXIT_SECONDS, NULL);
  if (process == NULL)
    {
      g_autoptr (GError) spawn_error = error;

      finish_start (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("Cannot start %s: %s"),
                                       server, spawn_error->message));
      return;
    }
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, on_line,
                                       g_object_ref (self));
}

/* One that runs already (ours from before, or another TimChat's), or a new one. */
static void
on_probed_before_start (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatLocalServer) self = user_data;
  gboolean taken;
  guint16 port = probe_finish (self, result, &taken);

  if (port != 0)
    use_running (self, port);
  else if (!start_cancelled (self))
    spawn_server (self, taken ? 0 : remembered_port (self),
                  g_task_get_cancellable (self->starting));
}

void
timchat_local_server_start_async (TimchatLocalServer *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (self->starting != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _ ("The local server is starting"));
      return;
    }
  self->starting = g_steal_pointer (&task);
  g_mkdir_with_parents (self->data_dir, 0700);
  if (remembered_port (self) != 0)
    probe_async (self, remembered_port (self), cancellable, on_probed_before_start);
  else
    spawn_server (self, 0, cancellable);
}

/* ---------------------------------------------------------------- watching a client */

static void
on_restarted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatLocalServer) self = user_data;
  g_autoptr (GError) error = NULL;

  /* It answers: no need to wait out the client's backoff (after a while longer than the
   * server's idle exit). */
  if (timchat_local_server_start_finish (self, result, &error))
    {
      if (self->client != NULL)
        tim_client_reconnect_now (self->client);
      return;
    }
  /* Another start is on it, or we are going; else the window's banner already says we are
   * reconnecting, and the next try comes in a few seconds. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("%s", error->message);
}

static gboolean
retry_start (gpointer user_data)
{
  TimchatLocalServer *self = user_data;

  /* Only while the client tries to reconnect: not after a log out or a kick, when asking would
   * keep the server up for nobody. */
  if (self->client == NULL || tim_client_get_net_state (self->client) != TIM_NET_STATE_CONNECTING)
    {
      self->retry_source = 0;
      return G_SOURCE_REMOVE;
    }
  timchat_local_server_start_async (self, self->watch_cancellable, on_restarted,
                                    g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
on_client_state (TimClient *client, TimNetState state, gpointer user_data)
{
  TimchatLocalServer *self = user_data;
  gboolean lost = self->client_state == TIM_NET_STATE_CONNECTED && state != TIM_NET_STATE_CONNECTED;

  self->client_state = state;
  if (state == TIM_NET_STATE_CONNECTED)
    g_clear_handle_id (&self->retry_source, g_source_remove);
  else if (lost && state == TIM_NET_STATE_CONNECTING && self->retry_source == 0)
    {
      self->retry_source = g_timeout_add_seconds (RETRY_SECONDS, retry_start, self);
      retry_start (self);
    }
}

static void
unwatch (TimchatLocalServer *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_cancellable_cancel (self->watch_cancellable);
  g_clear_object (&self->watch_cancellable);
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_object_remove_weak_pointer (G_OBJECT (self->client), (gpointer *) &self->client);
      self->client = NULL;
    }
}

void
timchat_local_server_watch (TimchatLocalServer *self, TimClient *client)
{
  g_return_if_fail (TIMCHAT_IS_LOCAL_SERVER (self));
  g_return_if_fail (TIM_IS_CLIENT (client));

  unwatch (self);
  self->client = client;
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &self->client);
  self->client_state = tim_client_get_net_state (client);
  self->watch_cancellable = g_cancellable_new ();
  g_signal_connect (client, "net-state-changed", G_CALLBACK (on_client_state), self);
}

gboolean
timchat_local_server_start_finish (TimchatLocalServer *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
timchat_local_server_get_url (TimchatLocalServer *self)
{
  return self->url;
}

guint64
timchat_local_server_get_sdkappid (TimchatLocalServer *self)
{
  return self->sdkappid;
}

char *
timchat_local_server_make_usersig (TimchatLocalServer *self, const char *user, GError **error)
{
  g_autofree char *server = server_path ();
  g_autofree char *out = NULL;
  g_autoptr (GSubprocess) process =
      g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error,
                        server, "usersig", user, "--data-dir", self->data_dir, NULL);

  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process) || out == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("The local server could not sign in “%s”"), user);
      return NULL;
    }
  return g_strdup (g_strstrip (out));
}

static void
timchat_local_server_finalize (GObject *object)
{
  TimchatLocalServer *self = TIMCHAT_LOCAL_SERVER (object);

  g_assert (self->starting == NULL); /* the read in progress holds a reference */
  unwatch (self);
  g_clear_object (&self->probe_session);
  g_free (self->data_dir);
  g_free (self->url);
  G_OBJECT_CLASS (timchat_local_server_parent_class)->finalize (object);
}

static void
timchat_local_server_class_init (TimchatLocalServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = timchat_local_server_finalize;
}

static void
timchat_local_server_init (TimchatLocalServer *self)
{
}

TimchatLocalServer *
timchat_local_server_new (const char *data_dir)
{
  TimchatLocalServer *self = g_object_new (TIMCHAT_TYPE_LOCAL_SERVER, NULL);

  self->data_dir = data_dir != NULL
                       ? g_strdup (data_dir)
                       : g_build_filename (g_get_user_data_dir (), "timchat", "local-server", NULL);
  return self;
}
