/* timchat-local-server.c: starts timchat-server for "Try it on this computer". The port is kept
 * in DATA_DIR/port so a second TimChat (another account) finds the running server. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "timchat-local-server.h"

struct _TimchatLocalServer
{
  GObject parent_instance;

  char *data_dir;
  char *url;
  guint64 sdkappid;
  GSubprocess *process; /* set when this process started it */
};

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

/* A server from an earlier start that still answers on its port. */
static gboolean
reuse_running (TimchatLocalServer *self)
{
  g_autofree char *port_path = g_build_filename (self->data_dir, "port", NULL);
  g_autofree char *port = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  guint64 number;

  if (!g_file_get_contents (port_path, &port, NULL, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (port), 10, 1, 65535, &number, NULL))
    return FALSE;
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) number, NULL, NULL);
  if (connection == NULL || !read_sdkappid (self, NULL))
    return FALSE;
  g_free (self->url);
  self->url = g_strdup_printf ("ws://127.0.0.1:%" G_GUINT64_FORMAT, number);
  return TRUE;
}

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimchatLocalServer *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *line =
      g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  const char *prefix = "timchat-server listening on 127.0.0.1:";
  g_autofree char *port_path = g_build_filename (self->data_dir, "port", NULL);

  if (line == NULL || !g_str_has_prefix (line, prefix))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _ ("The local server did not start%s%s"), error ? ": " : "",
                               error ? error->message : "");
      return;
    }
  g_file_set_contents (port_path, line + strlen (prefix), -1, NULL);
  g_free (self->url);
  self->url = g_strdup_printf ("ws://127.0.0.1:%s", line + strlen (prefix));
  if (!read_sdkappid (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
timchat_local_server_start_async (TimchatLocalServer *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *server = server_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;

  if (self->url != NULL || reuse_running (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_mkdir_with_parents (self->data_dir, 0700);
  self->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, server, "--data-dir",
                                    self->data_dir, "--listen", "127.0.0.1:0", NULL);
  if (self->process == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("Cannot start %s: %s"),
                               server, error->message);
      return;
    }
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, on_line,
                                       g_steal_pointer (&task));
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

void
timchat_local_server_stop (TimchatLocalServer *self)
{
  g_autofree char *port_path = g_build_filename (self->data_dir, "port", NULL);

  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
  g_unlink (port_path);
}

static void
timchat_local_server_finalize (GObject *object)
{
  TimchatLocalServer *self = TIMCHAT_LOCAL_SERVER (object);

  timchat_local_server_stop (self);
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
