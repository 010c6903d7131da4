/* test-cli-common.c: what the timchat-cli end-to-end tests (tests/test-cli-*.c) share (see
 * test-cli-common.h). */
#define G_LOG_DOMAIN "test-cli-common"

#include "config.h"

#include "test-cli-common.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

TimchatFixture *fixture;
char *data_dir;

char *
server_url (void)
{
  return g_strdup_printf ("ws://127.0.0.1:%u", timchat_fixture_get_port (fixture));
}

/* A launcher with nothing inherited that would change the CLI's mind (meson's TIMCHAT_SERVER is
 * the server binary); with_env: the credentials of `user` in the environment. */
GSubprocessLauncher *
launcher_new (const char *user, gboolean with_env, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_unsetenv (launcher, "TIMCHAT_SERVER");
  g_subprocess_launcher_unsetenv (launcher, "TIMCHAT_SDKAPPID");
  g_subprocess_launcher_unsetenv (launcher, "TIMCHAT_USER");
  g_subprocess_launcher_unsetenv (launcher, "TIMCHAT_USERSIG");
  g_subprocess_launcher_setenv (launcher, "TIMCHAT_DATA_DIR", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (user != NULL)
    g_subprocess_launcher_setenv (launcher, "TIMCHAT_USER", user, TRUE);
  if (with_env && user != NULL)
    {
      g_autofree char *url = server_url ();
      g_autofree char *appid =
          g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (fixture));
      g_autofree char *sig = timchat_fixture_usersig (fixture, user, 86400);

      g_subprocess_launcher_setenv (launcher, "TIMCHAT_SERVER", url, TRUE);
      g_subprocess_launcher_setenv (launcher, "TIMCHAT_SDKAPPID", appid, TRUE);
      g_subprocess_launcher_setenv (launcher, "TIMCHAT_USERSIG", sig, TRUE);
    }
  return launcher;
}

static GPtrArray *
argv_new (const char *first, va_list ap)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *cli = g_getenv ("TIMCHAT_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs timchat-cli ARGS... (NULL-terminated) as `user`; returns the exit status. */
static int
run_cli_v (const char *user, gboolean with_env, char **out, char **err, const char *first,
           va_list ap)
{
  g_autoptr (GSubprocessLauncher) launcher = launcher_new (
      user, with_env, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = argv_new (first, ap);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process =
      g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("timchat-cli %s → %d\nstdout: %s\nstderr: %s", first,
                  g_subprocess_get_exit_status (process), stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

int
run_cli (const char *user, char **out, char **err, const char *first, ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = run_cli_v (user, TRUE, out, err, first, ap);
  va_end (ap);
  return status;
}

/* Runs a --json command expected to exit with `expected`; returns its stdout as JSON. */
JsonNode *
run_json_full (const char *user, gboolean with_env, int expected, const char *first, ...)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  va_list ap;
  int status;

  va_start (ap, first);
  status = run_cli_v (user, with_env, &out, NULL, first, ap);
  va_end (ap);
  g_assert_cmpint (status, ==, expected);
  g_assert_nonnull (out);
  return json_from_string (out, &error);
}

/* NULL-safe accessors: the assertions are non-fatal, so a failed check must not crash the next. */
JsonObject *
obj (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
obj_string (JsonObject *object, const char *path)
{
  return object != NULL ? timchat_test_json_get_string (object, path) : NULL;
}

gint64
obj_int (JsonObject *object, const char *path)
{
  return object != NULL ? timchat_test_json_get_int (object, path) : 0;
}

gboolean
obj_bool (JsonObject *object, const char *path)
{
  JsonNode *node = object != NULL ? timchat_test_json_get_node (object, path) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The message with `id` in a JSON array of messages, or NULL. */
JsonObject *
find_message (JsonNode *array, const char *id)
{
  JsonArray *list;

  g_assert_nonnull (array);
  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    return NULL;
  list = json_node_get_array (array);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "id", ""), id) == 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (item, "conversationID", ""), id) ==
              0)
        return item;
    }
  return NULL;
}

/* ---------------------------------------------------------------- watch */

typedef struct
{
  GMainLoop *loop;
  char *line;
  gboolean done;
} LineWait;

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LineWait *wait = user_data;

  wait->line =
      g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

static gboolean
on_line_timeout (gpointer user_data)
{
  g_main_loop_quit (((LineWait *) user_data)->loop);
  return G_SOURCE_REMOVE;
}

/* The next JSON line whose "event" is `event` (others skipped), NULL after timeout_ms. */
JsonObject *
read_event (GDataInputStream *stream, const char *event, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  static GCancellable *pending;
  static LineWait wait;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (JsonNode) node = NULL;
      guint timeout;

      if (pending == NULL)
        {
          wait.loop = g_main_loop_new (NULL, FALSE);
          wait.done = FALSE;
          pending = g_cancellable_new ();
          g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, pending, on_line, &wait);
        }
      timeout = g_timeout_add (MAX ((deadline - g_get_monotonic_time ()) / 1000, 1),
                               on_line_timeout, &wait);
      g_main_loop_run (wait.loop);
      if (!wait.done)
        return NULL; /* the read stays pending for the next call */
      g_source_remove (timeout);
      g_clear_object (&pending);
      g_clear_pointer (&wait.loop, g_main_loop_unref);
      if (wait.line == NULL)
        return NULL; /* end of stream */
      g_test_message ("watch: %s", wait.line);
      node = json_from_string (wait.line, NULL);
      g_clear_pointer (&wait.line, g_free);
      g_assert_nonnull (node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      if (g_strcmp0 (obj_string (obj (node), "event"), event) == 0)
        return json_object_ref (obj (node));
    }
  return NULL;
}

/* `timchat-cli watch --json` as user, with the options in `extra` (NULL-terminated, or NULL),
 * without waiting. */
GSubprocess *
spawn_watch (const char *user, const char *const *extra)
{
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new (user, TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GStrvBuilder) argv = g_strv_builder_new ();
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *watch;

  g_strv_builder_add_many (argv, g_getenv ("TIMCHAT_CLI"), "watch", "--json", NULL);
  if (extra != NULL)
    g_strv_builder_addv (argv, (const char **) extra);
  args = g_strv_builder_end (argv);
  watch = g_subprocess_launcher_spawnv (launcher, (const char *const *) args, &error);
  g_assert_no_error (error);
  return watch;
}

/* `timchat-cli watch --json` as user (with `extra` as spawn_watch ()), once it has printed
 * "ready" (NULL if it never did); *stream reads its events. */
GSubprocess *
start_watch_with (const char *user, const char *const *extra, GDataInputStream **stream)
{
  g_autoptr (GSubprocess) watch = spawn_watch (user, extra);
  g_autoptr (JsonObject) ready = NULL;

  *stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watch));
  ready = read_event (*stream, "ready", 15000);
  g_assert_nonnull (ready);
  if (ready == NULL)
    {
      g_subprocess_force_exit (watch);
      return NULL;
    }
  return g_steal_pointer (&watch);
}

GSubprocess *
start_watch (const char *user, GDataInputStream **stream)
{
  return start_watch_with (user, NULL, stream);
}

/* The exit status of watch once it has ended by itself. */
int
watch_exit_status (GSubprocess *watch)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_subprocess_wait (watch, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (watch));
  return g_subprocess_get_exit_status (watch);
}

/* Iterates until process has exited (TRUE) or timeout_ms passed. */
gboolean
wait_exit (GSubprocess *process, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_subprocess_get_identifier (process) != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  return g_subprocess_get_identifier (process) == NULL;
}

void
test_cli_init (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (argc, argv, NULL);
  /* One failed check (a libtim bug, say) must not hide the others. */
  g_test_set_nonfatal_assertions ();
  fixture = timchat_fixture_new (NULL);
  data_dir = g_dir_make_tmp ("timchat-cli-XXXXXX", &error);
  g_assert_no_error (error);
  /* Messages go to existing accounts only. */
  for (const char *const *user =
           (const char *const[]){ "alice", "bob", "carol", "dave", "erin", "kate", "fox", "gem",
                                  "hen", "fay", "hal", "ivy", NULL };
       *user != NULL; user++)
    {
      g_autofree char *body = g_strdup_printf ("{\"UserID\":\"%s\"}", *user);
      g_autoptr (JsonObject) reply =
          timchat_test_rest (fixture, "im_open_login_svc/account_import", body, NULL);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    }
}

int
test_cli_run (void)
{
  int status;

  status = g_test_run ();

  timchat_fixture_free (fixture);
  timchat_test_remove_tree (data_dir);
  g_free (data_dir);
  return status;
}
