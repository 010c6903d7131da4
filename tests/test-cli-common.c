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
