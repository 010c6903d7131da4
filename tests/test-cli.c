/* test-cli.c: timchat-cli end to end: the built binary (TIMCHAT_CLI) against the real server on
 * 127.0.0.1, under a private session bus with an unlocked gnome-keyring (run-with-keyring.sh). */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <string.h>

#include "tim-error.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *data_dir;

static const SecretSchema schema = {
  "org.example.TimChat.Cli",
  SECRET_SCHEMA_NONE,
  {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "sdkappid", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
  },
};

static char *
server_url (void)
{
  return g_strdup_printf ("ws://127.0.0.1:%u", timchat_fixture_get_port (fixture));
}

/* A launcher with nothing inherited that would change the CLI's mind (meson's TIMCHAT_SERVER is
 * the server binary); with_env: the credentials of `user` in the environment. */
static GSubprocessLauncher *
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

static int
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
static JsonNode *
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

#define run_json(user, expected, ...) run_json_full (user, TRUE, expected, __VA_ARGS__, NULL)

/* NULL-safe accessors: the assertions are non-fatal, so a failed check must not crash the next. */
static JsonObject *
obj (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
obj_string (JsonObject *object, const char *path)
{
  return object != NULL ? timchat_test_json_get_string (object, path) : NULL;
}

static gint64
obj_int (JsonObject *object, const char *path)
{
  return object != NULL ? timchat_test_json_get_int (object, path) : 0;
}

static gboolean
obj_bool (JsonObject *object, const char *path)
{
  JsonNode *node = object != NULL ? timchat_test_json_get_node (object, path) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The message with `id` in a JSON array of messages, or NULL. */
static JsonObject *
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

/* ---------------------------------------------------------------- help, bad input */

static void
test_help (void)
{
  static const char *const commands[] = {
    "login",   "logout",         "send",   "history", "conversations",  "profile",     "me",
    "revoke",  "read",           "delete", "pin",     "mute",           "watch",       "group",
    "forward", "delete-message", "edit",   "search",  "clear-history",  "draft",       "block",
    "unblock", "blocked",        "mark",   "status",  "forward-merged", "open-merged", "--help",
    NULL
  };
  static const char *const group[] = { "create",  "add",     "remove",  "admin", "quit",
                                       "dismiss", "members", "profile", "card",  "owner",
                                       "search",  "join",    "answer",  "mute",  NULL };

  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autofree char *out = NULL;
      int status = g_str_equal (commands[i], "--help")
                       ? run_cli (NULL, &out, NULL, "--help", NULL)
                       : run_cli (NULL, &out, NULL, commands[i], "--help", NULL);

      g_assert_cmpint (status, ==, 0);
      g_assert_nonnull (strstr (out, "Usage:"));
    }
  for (guint i = 0; group[i] != NULL; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *usage = g_strdup_printf ("timchat-cli group %s", group[i]);

      g_assert_cmpint (run_cli (NULL, &out, NULL, "group", group[i], "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (out, usage));
    }
}

static void
test_bad_input (void)
{
  g_autoptr (JsonNode) bad_conv =
      run_json ("alice", 1, "send", "BOGUSbob", "--text", "x", "--json");
  g_autoptr (JsonNode) no_text = run_json ("alice", 1, "send", "C2Cbob", "--json");
  g_autoptr (JsonNode) unknown = run_json ("alice", 1, "frobnicate", "--json");
  g_autoptr (JsonNode) bad_group = run_json ("alice", 1, "history", "GROUP", "--json");
  g_autofree char *err = NULL;

  g_assert_cmpint (obj_int (obj (bad_conv), "code"), ==, 2503);
  g_assert_cmpint (obj_int (obj (no_text), "code"), ==, 10004);
  g_assert_cmpint (obj_int (obj (unknown), "code"), ==, 10004);
  g_assert_cmpint (obj_int (obj (bad_group), "code"), ==, 2503);
  /* Without --json: one line on stderr with the code. */
  g_assert_cmpint (run_cli ("alice", NULL, &err, "send", "nobody", "--text", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "timchat-cli: "));
  g_assert_nonnull (strstr (err, "(code 2503)"));
}

/* Every way to call a command wrongly exits 1 with a TIM code and a sentence that says what to
 * give instead; all but the last are refused before the network. */
static void
test_usage_errors (void)
{
  static const struct
  {
    const char *args[8];
    int code;
    const char *message;
  } cases[] = {
    { { "send", NULL }, TIM_ERROR_INVALID_PARAMETER, "send takes one conversation ID" },
    { { "send", "C2Cbob", "--text", "x", "--priority", "Urgent", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "The priority is High, Normal, Low or Lowest, not “Urgent”" },
    { { "send", "C2Cbob", "--text", "x", "--custom", "y", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "Give exactly one of --text, --file, --image, --video, --audio, --custom, --face" },
    { { "send", "C2Cbob", "--text", "x", "--at", "bob", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "--at and --at-all mention members in a group text: give --text and a GROUP conversation" },
    { { "send", "C2Cbob", "--face", "-1", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "A face index is 0 or more, not -1" },
    { { "send", "C2Cbob", "--file", "/nonexistent/report.pdf", NULL },
      TIM_ERROR_FILE_EMPTY,
      "“/nonexistent/report.pdf” is not a readable file" },
    { { "send", "C2Cbob", "--image", "/", NULL },
      TIM_ERROR_FILE_EMPTY,
      "“/” is not a readable file" },
    { { "conversations", "C2Cbob", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "conversations takes no arguments" },
    { { "profile", NULL }, TIM_ERROR_INVALID_PARAMETER, "profile takes one conversation ID" },
    { { "me", "alice", NULL }, TIM_ERROR_INVALID_PARAMETER, "me takes no arguments" },
    { { "history", "C2Cbob", "--count", "0", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "history takes one conversation ID and a positive --count" },
    { { "revoke", "some-id", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "revoke takes one message ID and --conversation" },
    { { "read", NULL }, TIM_ERROR_INVALID_PARAMETER, "this command takes one conversation ID" },
    { { "delete", "GROUP", NULL },
      TIM_ERROR_INVALID_CONVERSATION_ID,
      "“GROUP” is not a conversation ID (C2C<user> or GROUP<group>)" },
    { { "login", "now", NULL }, TIM_ERROR_INVALID_PARAMETER, "login takes no arguments" },
    { { "watch", "everything", NULL }, TIM_ERROR_INVALID_PARAMETER, "watch takes no arguments" },
    { { "edit", "some-id", "--conversation", "C2Cbob", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "edit takes one message ID, the new text, and --conversation" },
    { { "revoke", "no-such-message", "--conversation", "C2Cbob", NULL },
      TIM_ERROR_MSG_RECALL_NOT_FOUND,
      "No message no-such-message in C2Cbob" },
    { { "forward", "some-id", "--conversation", "C2Cbob", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "forward takes one message ID, where to, and --conversation" },
    { { "forward", "no-such-message", "C2Ccarol", "--conversation", "C2Cbob", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "No message no-such-message in C2Cbob" },
    /* Contradictory options are refused, not silently ignored. */
    { { "send", "C2Cbob", "--text", "x", "--description", "d", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "--description and --extension go with --custom" },
    { { "send", "C2Cbob", "--text", "x", "--data", "d", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "--data goes with --face" },
    { { "history", "C2Cbob", "--count", "3", "--all", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "Give --count or --all, not both" },
    { { "history", "C2Cbob", "--timeout", "-3", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "--timeout takes a positive number of seconds, not -3" },
    { { "conversations", "--timeout", "0", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "--timeout takes a positive number of seconds, not 0" },
    { { "conversations", "--timeout", "4294968", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "--timeout takes at most 2592000 seconds (30 days), not 4294968" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) reply = NULL;
      const char *argv[10] = { NULL };
      guint n = 0;

      for (guint a = 0; a < G_N_ELEMENTS (cases[i].args) && cases[i].args[a] != NULL; a++)
        argv[n++] = cases[i].args[a];
      argv[n++] = "--json";
      reply = run_json ("alice", 1, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6],
                        argv[7]);
      g_assert_cmpint (obj_int (obj (reply), "code"), ==, cases[i].code);
      g_assert_cmpstr (obj_string (obj (reply), "message"), ==, cases[i].message);
    }
}

/* Arguments and option values that are not UTF-8 are usage errors (10004), at once: the server
 * closed the socket over such a frame and the CLI waited for --timeout; an option gave 2903; the
 * JSON error echoed the bytes. The output is valid UTF-8 JSON, the bad bytes shown as U+FFFD. */
static void
test_not_utf8 (void)
{
  static const char *const cases[][7] = {
    { "group", "create", "g\xff", NULL },
    { "group", "add", "@TGS#nothere", "b\xffob", NULL },
    { "edit", "e\xff", "new text", "--conversation", "C2Cbob", NULL },
    { "edit", "some-id", "e\xff", "--conversation", "C2Cbob", NULL },
    { "send", "C2Cbob", "--text", "hi \xff", NULL },
    { "send", "C2Cbob", "--text=hi \xfe", NULL },
    { "draft", "C2Cbob", "\xc3(", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autoptr (JsonNode) reply = NULL;
      g_autoptr (GError) error = NULL;
      gint64 started = g_get_monotonic_time ();
      const char *a[12] = { NULL };
      guint n = 0;
      int status;

      for (guint k = 0; k < G_N_ELEMENTS (cases[i]) && cases[i][k] != NULL; k++)
        a[n++] = cases[i][k];
      a[n++] = "--json";
      a[n++] = "--timeout";
      a[n++] = "20";
      status = run_cli ("alice", &out, NULL, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                        a[9], NULL);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
      g_assert_true (g_utf8_validate (out, -1, NULL));
      reply = json_from_string (out, &error);
      g_assert_no_error (error);
      g_assert_cmpint (obj_int (obj (reply), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (obj_string (obj (reply), "message"), "not valid UTF-8"));
    }
}

/* In the C locale (a cron job, a container without LANG) UTF-8 text is still UTF-8 text: an
 * option value that was not ASCII was refused with 10004 ("Invalid byte sequence in conversion
 * input"), and the human output had "?" for every character that was not ASCII. */
static void
test_c_locale (void)
{
  const char *text = "héllo 你好";
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new ("alice", TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) send = NULL;
  g_autoptr (GSubprocess) history = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  send = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "send", "C2Cbob",
                                      "--text", text, "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (send, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("send → %d: %s %s", g_subprocess_get_exit_status (send), out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (send), ==, 0);
  sent = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (obj_string (obj (sent), "payload.text"), ==, text);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  history = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "history",
                                         "C2Cbob", "--count", "1", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (history, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("history → %d: %s %s", g_subprocess_get_exit_status (history), out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (history), ==, 0);
  line = g_strdup_printf ("alice → bob: %s  (%s)", text, obj_string (obj (sent), "id"));
  g_assert_nonnull (strstr (out, line));
}

/* Each credential that is missing or wrong says which, and how to give it, before anything is
 * sent anywhere. */
static void
test_missing_credentials (void)
{
  g_autofree char *url = server_url ();
  static const struct
  {
    const char *user;
    const char *args[7];
    int code;
    const char *message;
  } cases[] = {
    { NULL, { NULL }, TIM_ERROR_INVALID_PARAMETER, "No user: pass --user or set TIMCHAT_USER" },
    { NULL,
      { "--user", "zed smith", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "“zed smith” is not a valid user ID" },
    { "zed",
      { NULL },
      TIM_ERROR_NOT_LOGGED_IN,
      "No stored login for zed: run “timchat-cli login” or pass --usersig" },
    { "zed",
      { "--usersig", "sig", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "No server: pass --server or set TIMCHAT_SERVER" },
    { "zed",
      { "--usersig", "sig", "--server", "http://127.0.0.1:1", NULL },
      TIM_ERROR_INVALID_PARAMETER,
      "“http://127.0.0.1:1” is not a ws:// or wss:// URL" },
    { "zed",
      { "--usersig", "sig", "--server", "URL", NULL },
      TIM_ERROR_SDKAPPID_INVALID,
      "No SDKAppID: pass --sdkappid or set TIMCHAT_SDKAPPID" },
    { "zed",
      { "--usersig", "sig", "--server", "URL", "--sdkappid", "abc" },
      TIM_ERROR_SDKAPPID_INVALID,
      "“abc” is not an SDKAppID" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) reply = NULL;
      const char *argv[10] = { "conversations", "--json" };
      guint n = 2;

      for (guint a = 0; a < G_N_ELEMENTS (cases[i].args) && cases[i].args[a] != NULL; a++)
        argv[n++] = g_str_equal (cases[i].args[a], "URL") ? url : cases[i].args[a];
      reply = run_json_full (cases[i].user, FALSE, 1, argv[0], argv[1], argv[2], argv[3], argv[4],
                             argv[5], argv[6], argv[7], NULL);
      g_assert_cmpint (obj_int (obj (reply), "code"), ==, cases[i].code);
      g_assert_cmpstr (obj_string (obj (reply), "message"), ==, cases[i].message);
    }
}

/* ---------------------------------------------------------------- keyring */

static void
test_login_keyring (void)
{
  g_autofree char *url = server_url ();
  g_autofree char *appid =
      g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (fixture));
  g_autofree char *sig = timchat_fixture_usersig (fixture, "kate", 86400);
  g_autofree char *stored = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) wrong = NULL;
  g_autoptr (JsonNode) login = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) logout = NULL;
  g_autoptr (JsonNode) after = NULL;

  /* A wrong UserSig: the server's TIM code, nothing stored. */
  wrong = run_json_full ("kate", FALSE, 1, "login", "--server", url, "--sdkappid", appid,
                         "--usersig", "not-a-usersig", "--json", NULL);
  g_assert_cmpint (obj_int (obj (wrong), "code"), >=, 70001);
  g_assert_cmpint (obj_int (obj (wrong), "code"), <=, 70020);
  stored = secret_password_lookup_sync (&schema, NULL, &error, "user", "kate", NULL);
  g_assert_no_error (error);
  g_assert_null (stored);

  /* A right UserSig for another SDKAppID than the server's: refused (70014), nothing stored, not
   * even a local store under DATA/123. */
  g_clear_pointer (&wrong, json_node_unref);
  wrong = run_json_full ("kate", FALSE, 1, "login", "--server", url, "--sdkappid", "123",
                         "--usersig", sig, "--json", NULL);
  g_assert_cmpint (obj_int (obj (wrong), "code"), ==, TIM_ERROR_USERSIG_SDKAPPID_MISMATCH);
  stored = secret_password_lookup_sync (&schema, NULL, &error, "user", "kate", NULL);
  g_assert_no_error (error);
  g_assert_null (stored);
  {
    g_autofree char *other_app = g_build_filename (data_dir, "123", NULL);
    g_autofree char *words = NULL;

    g_assert_false (g_file_test (other_app, G_FILE_TEST_EXISTS));
    g_assert_cmpint (run_cli ("kate", NULL, &words, "conversations", "--sdkappid", "123", NULL), ==,
                     1);
    g_assert_nonnull (strstr (words, "(code 70014)"));
    g_assert_false (g_file_test (other_app, G_FILE_TEST_EXISTS));
  }

  login = run_json_full ("kate", FALSE, 0, "login", "--server", url, "--sdkappid", appid,
                         "--usersig", sig, "--json", NULL);
  g_assert_true (obj_bool (obj (login), "stored"));
  /* In the real keyring, under the documented schema and attributes. */
  stored = secret_password_lookup_sync (&schema, NULL, &error, "server", url, "sdkappid", appid,
                                        "user", "kate", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, sig);

  /* Only --user now: everything else from the keyring. */
  sent = run_json_full (NULL, FALSE, 0, "send", "C2Cbob", "--user", "kate", "--text",
                        "from the keyring", "--json", NULL);
  g_assert_cmpstr (obj_string (obj (sent), "from"), ==, "kate");
  g_assert_cmpstr (obj_string (obj (sent), "status"), ==, "success");

  logout = run_json_full ("kate", FALSE, 0, "logout", "--json", NULL);
  g_assert_true (obj_bool (obj (logout), "removed"));
  g_clear_pointer (&stored, g_free);
  stored = secret_password_lookup_sync (&schema, NULL, &error, "user", "kate", NULL);
  g_assert_null (stored);
  after = run_json_full ("kate", FALSE, 1, "conversations", "--json", NULL);
  g_assert_cmpint (obj_int (obj (after), "code"), ==, 2024);
}

/* ---------------------------------------------------------------- messages */

static void
test_send_text_and_history (void)
{
  g_autoptr (JsonNode) sent = run_json ("alice", 0, "send", "C2Cbob", "--text", "hello bob ✓",
                                        "--priority", "High", "--json");
  JsonObject *message = obj (sent);
  g_autoptr (JsonNode) history = NULL;
  g_autofree char *human = NULL;
  JsonObject *seen;

  g_assert_cmpstr (obj_string (message, "type"), ==, "TIMTextElem");
  g_assert_cmpstr (obj_string (message, "conversationID"), ==, "C2Cbob");
  g_assert_cmpstr (obj_string (message, "from"), ==, "alice");
  g_assert_cmpstr (obj_string (message, "to"), ==, "bob");
  g_assert_cmpstr (obj_string (message, "flow"), ==, "out");
  g_assert_cmpstr (obj_string (message, "status"), ==, "success");
  g_assert_cmpstr (obj_string (message, "priority"), ==, "High");
  g_assert_cmpstr (obj_string (message, "payload.text"), ==, "hello bob ✓");
  g_assert_false (obj_bool (message, "isRevoked"));
  g_assert_cmpint (obj_int (message, "time"), >, 1700000000);
  g_assert_cmpint (obj_int (message, "sequence"), >, 0);

  history = run_json ("bob", 0, "history", "C2Calice", "--json");
  seen = find_message (history, obj_string (message, "id"));
  g_assert_nonnull (seen);
  g_assert_cmpstr (obj_string (seen, "flow"), ==, "in");
  g_assert_cmpstr (obj_string (seen, "from"), ==, "alice");
  g_assert_cmpstr (obj_string (seen, "payload.text"), ==, "hello bob ✓");
  g_assert_cmpint (obj_int (seen, "random"), ==, obj_int (message, "random"));

  /* Human output: a line with the text and the ID. */
  g_assert_cmpint (run_cli ("bob", &human, NULL, "history", "C2Calice", NULL), ==, 0);
  g_assert_nonnull (strstr (human, "hello bob ✓"));
  g_assert_nonnull (strstr (human, obj_string (message, "id")));
}

/* "--json" or "-j" as an option's value (the text sent) is that value, not the option: the
 * output stayed JSON where the script asked for the human line. */
static void
test_json_as_a_value (void)
{
  const char *const texts[] = { "-j", "--json" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *line = NULL;

      g_assert_cmpint (run_cli ("alice", &out, NULL, "send", "C2Cbob", "--text", texts[i], NULL),
                       ==, 0);
      line = g_strdup_printf ("alice → bob: %s  (", texts[i]);
      g_assert_nonnull (strstr (out, line));
      g_assert_false (g_str_has_prefix (out, "{"));
    }
}

static void
test_history_all_pages (void)
{
  g_autoptr (JsonNode) all = NULL;
  g_autoptr (JsonNode) some = NULL;
  JsonArray *list;

  for (int i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("page %02d", i);
      g_autoptr (JsonNode) sent = run_json ("dave", 0, "send", "C2Cerin", "--text", text, "--json");
    }
  all = run_json ("erin", 0, "history", "C2Cdave", "--all", "--json");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (all));
  list = json_node_get_array (all);
  g_assert_cmpuint (json_array_get_length (list), ==, 20);
  for (guint i = 0; i < MIN (json_array_get_length (list), 20); i++)
    {
      g_autofree char *text = g_strdup_printf ("page %02d", i);

      g_assert_cmpstr (obj_string (json_array_get_object_element (list, i), "payload.text"), ==,
                       text);
    }
  some = run_json ("erin", 0, "history", "C2Cdave", "--count", "4", "--json");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (some));
  list = json_node_get_array (some);
  g_assert_cmpuint (json_array_get_length (list), ==, 4);
  if (json_array_get_length (list) == 4)
    g_assert_cmpstr (obj_string (json_array_get_object_element (list, 3), "payload.text"), ==,
                     "page 19");
}

static void
test_custom_and_face (void)
{
  g_autoptr (JsonNode) custom = run_json ("alice", 0, "send", "C2Cbob", "--custom", "dice",
                                          "--description", "4", "--extension", "ext", "--json");
  g_autoptr (JsonNode) face =
      run_json ("alice", 0, "send", "C2Cbob", "--face", "7", "--data", "tt07", "--json");
  g_autoptr (JsonNode) history = NULL;
  JsonObject *seen;

  g_assert_cmpstr (obj_string (obj (custom), "type"), ==, "TIMCustomElem");
  g_assert_cmpstr (obj_string (obj (custom), "payload.data"), ==, "dice");
  g_assert_cmpstr (obj_string (obj (custom), "payload.description"), ==, "4");
  g_assert_cmpstr (obj_string (obj (custom), "payload.extension"), ==, "ext");
  g_assert_cmpstr (obj_string (obj (face), "type"), ==, "TIMFaceElem");
  g_assert_cmpint (obj_int (obj (face), "payload.index"), ==, 7);
  g_assert_cmpstr (obj_string (obj (face), "payload.data"), ==, "tt07");

  history = run_json ("bob", 0, "history", "C2Calice", "--json");
  seen = find_message (history, obj_string (obj (custom), "id"));
  g_assert_nonnull (seen);
  g_assert_cmpstr (obj_string (seen, "payload.data"), ==, "dice");
  seen = find_message (history, obj_string (obj (face), "id"));
  g_assert_nonnull (seen);
  g_assert_cmpint (obj_int (seen, "payload.index"), ==, 7);
}

static void
test_send_file (void)
{
  g_autofree char *path = g_build_filename (data_dir, "report.bin", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) history = NULL;
  g_autofree char *body = g_malloc (200000);
  JsonObject *message;
  const char *url;

  for (guint i = 0; i < 200000; i++)
    body[i] = (char) (i * 7);
  g_assert_true (g_file_set_contents (path, body, 200000, &error));
  sent = run_json ("alice", 0, "send", "C2Cbob", "--file", path, "--json");
  message = obj (sent);
  g_assert_cmpstr (obj_string (message, "type"), ==, "TIMFileElem");
  g_assert_cmpstr (obj_string (message, "status"), ==, "success");
  g_assert_cmpstr (obj_string (message, "payload.fileName"), ==, "report.bin");
  g_assert_cmpint (obj_int (message, "payload.fileSize"), ==, 200000);
  url = obj_string (message, "payload.fileUrl");
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_assert_nonnull (find_message (history, obj_string (message, "id")));
  g_assert_cmpstr (
      obj_string (find_message (history, obj_string (message, "id")), "payload.fileUrl"), ==, url);
}

/* --image: measured and uploaded with its thumbnail and large versions; a path that is not a
 * readable file is refused with a plain message and a TIM code, and nothing is sent. */
static void
test_send_image (void)
{
  g_autofree char *path = g_build_filename (data_dir, "wide.png", NULL);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1000, 800);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) missing = NULL;
  g_autoptr (JsonNode) folder = NULL;
  JsonObject *message;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  sent = run_json ("alice", 0, "send", "C2Cbob", "--image", path, "--json");
  message = obj (sent);
  g_assert_cmpstr (obj_string (message, "type"), ==, "TIMImageElem");
  g_assert_cmpstr (obj_string (message, "status"), ==, "success");
  g_assert_cmpint (obj_int (message, "payload.imageInfoArray.0.width"), ==, 1000);
  g_assert_cmpint (obj_int (message, "payload.imageInfoArray.1.height"), ==, 198);
  g_assert_cmpint (obj_int (message, "payload.imageInfoArray.2.height"), ==, 720);

  missing = run_json ("alice", 1, "send", "C2Cbob", "--image", "/no/such/picture.png", "--json");
  g_assert_cmpint (obj_int (obj (missing), "code"), ==, TIM_ERROR_FILE_EMPTY);
  g_assert_nonnull (strstr (obj_string (obj (missing), "message"), "/no/such/picture.png"));
  folder = run_json ("alice", 1, "send", "C2Cbob", "--audio", data_dir, "--json");
  g_assert_cmpint (obj_int (obj (folder), "code"), ==, TIM_ERROR_FILE_EMPTY);
}

/* forward: fox's message to gem, forwarded by gem to hen, in hen's history as gem's;
 * a recalled one is refused with 2453. */
static void
test_forward (void)
{
  g_autoptr (JsonNode) sent =
      run_json ("fox", 0, "send", "C2Cgem", "--text", "pass it on [Grin]", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) forwarded =
      run_json ("gem", 0, "forward", id, "C2Chen", "--conversation", "C2Cfox", "--json");
  g_autoptr (JsonNode) history = run_json ("hen", 0, "history", "C2Cgem", "--json");
  JsonObject *arrived = find_message (history, obj_string (obj (forwarded), "id"));
  g_autoptr (JsonNode) oops = run_json ("fox", 0, "send", "C2Cgem", "--text", "oops", "--json");
  g_autoptr (JsonNode) revoked = run_json ("fox", 0, "revoke", obj_string (obj (oops), "id"),
                                           "--conversation", "C2Cgem", "--json");
  g_autoptr (JsonNode) refused = run_json ("gem", 1, "forward", obj_string (obj (oops), "id"),
                                           "C2Chen", "--conversation", "C2Cfox", "--json");

  g_assert_cmpstr (obj_string (obj (forwarded), "id"), !=, id);
  g_assert_cmpstr (obj_string (obj (forwarded), "from"), ==, "gem");
  g_assert_cmpstr (obj_string (obj (forwarded), "status"), ==, "success");
  g_assert_nonnull (arrived);
  g_assert_cmpstr (obj_string (arrived, "payload.text"), ==, "pass it on [Grin]");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_MESSAGE_FORWARD_TYPE_INVALID);
  g_assert_cmpstr (obj_string (obj (refused), "message"), ==,
                   "A recalled message cannot be forwarded");
}

/* forward-merged: two of fox's messages to gem, forwarded by gem to hen as one chat history;
 * hen's open-merged lists them in order. Usage errors say what is missing. */
static void
test_forward_merged (void)
{
  g_autoptr (JsonNode) first = run_json ("fox", 0, "send", "C2Cgem", "--text", "one", "--json");
  g_autoptr (JsonNode) second = run_json ("fox", 0, "send", "C2Cgem", "--text", "two", "--json");
  g_autoptr (JsonNode) merged = run_json (
      "gem", 0, "forward-merged", "C2Chen", obj_string (obj (first), "id"),
      obj_string (obj (second), "id"), "--conversation", "C2Cfox", "--title", "From fox", "--json");
  g_autoptr (JsonNode) opened = run_json ("hen", 0, "open-merged", obj_string (obj (merged), "id"),
                                          "--conversation", "C2Cgem", "--json");
  g_autoptr (JsonNode) usage =
      run_json ("gem", 1, "forward-merged", "C2Chen", "--conversation", "C2Cfox", "--json");
  JsonArray *entries = json_node_get_array (opened);

  g_assert_cmpstr (obj_string (obj (merged), "type"), ==, "TIMRelayElem");
  g_assert_cmpstr (obj_string (obj (merged), "status"), ==, "success");
  g_assert_cmpstr (obj_string (obj (merged), "payload.title"), ==, "From fox");
  g_assert_cmpstr (obj_string (obj (merged), "payload.abstractList.1"), ==, "fox: two");
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  g_assert_cmpstr (obj_string (json_array_get_object_element (entries, 0), "payload.text"), ==,
                   "one");
  g_assert_cmpstr (obj_string (json_array_get_object_element (entries, 1), "payload.text"), ==,
                   "two");
  g_assert_cmpstr (obj_string (json_array_get_object_element (entries, 1), "from"), ==, "fox");
  g_assert_cmpint (obj_int (obj (usage), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (usage), "message"), ==,
                   "forward-merged takes where to, at least one message ID, and --conversation");
}

/* delete-message: gone from fox's history, kept in gem's. */
static void
test_delete_message (void)
{
  g_autoptr (JsonNode) sent =
      run_json ("gem", 0, "send", "C2Cfox", "--text", "delete me", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) deleted =
      run_json ("fox", 0, "delete-message", id, "--conversation", "C2Cgem", "--json");
  g_autoptr (JsonNode) fox_history = run_json ("fox", 0, "history", "C2Cgem", "--json");
  g_autoptr (JsonNode) gem_history = run_json ("gem", 0, "history", "C2Cfox", "--json");

  g_assert_true (obj_bool (obj (deleted), "deleted"));
  g_assert_null (find_message (fox_history, id));
  g_assert_nonnull (find_message (gem_history, id));
}

/* clear-history: fox's history of the conversation is empty, it stays listed, gem's is whole; a
 * conversation fox does not have is refused with 2500. */
static void
test_clear_history (void)
{
  g_autoptr (JsonNode) sent = run_json ("gem", 0, "send", "C2Cfox", "--text", "clear me", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) cleared = run_json ("fox", 0, "clear-history", "C2Cgem", "--json");
  g_autoptr (JsonNode) fox_history = run_json ("fox", 0, "history", "C2Cgem", "--json");
  g_autoptr (JsonNode) gem_history = run_json ("gem", 0, "history", "C2Cfox", "--json");
  g_autoptr (JsonNode) listed = run_json ("fox", 0, "conversations", "--json");
  g_autoptr (JsonNode) refused = run_json ("fox", 1, "clear-history", "C2Cnobody-at-all", "--json");
  JsonArray *fox_messages = json_node_get_array (fox_history);
  gboolean still_listed = FALSE;

  g_assert_true (obj_bool (obj (cleared), "cleared"));
  g_assert_cmpstr (obj_string (obj (cleared), "conversationID"), ==, "C2Cgem");
  g_assert_cmpuint (json_array_get_length (fox_messages), ==, 0);
  g_assert_nonnull (find_message (gem_history, id));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (listed)); i++)
    still_listed |=
        g_strcmp0 (obj_string (json_array_get_object_element (json_node_get_array (listed), i),
                               "conversationID"),
                   "C2Cgem") == 0;
  g_assert_true (still_listed);
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
}

/* draft: kept between runs (the local store), listed with its conversation, shown in words,
 * removed with --clear; an ID that is none and a text that is not UTF-8 are refused. */
static void
test_draft (void)
{
  g_autoptr (JsonNode) sent = run_json ("gem", 0, "send", "C2Cfox", "--text", "hi fox", "--json");
  g_autoptr (JsonNode) kept = run_json ("fox", 0, "draft", "C2Cgem", "half [Grin]", "--json");
  g_autoptr (JsonNode) shown = run_json ("fox", 0, "draft", "C2Cgem", "--json");
  g_autoptr (JsonNode) listed = run_json ("fox", 0, "conversations", "--json");
  g_autoptr (JsonNode) bad_id = run_json ("fox", 1, "draft", "nobody", "x", "--json");
  g_autoptr (JsonNode) bad_text = run_json ("fox", 1, "draft", "C2Cgem", "\xff", "--json");
  g_autoptr (JsonNode) cleared = NULL;
  g_autoptr (JsonNode) gone = NULL;
  g_autofree char *words = NULL;
  JsonArray *conversations = json_node_get_array (listed);
  const char *listed_draft = NULL;

  g_assert_cmpstr (obj_string (obj (kept), "draftText"), ==, "half [Grin]");
  g_assert_cmpstr (obj_string (obj (shown), "conversationID"), ==, "C2Cgem");
  g_assert_cmpstr (obj_string (obj (shown), "draftText"), ==, "half [Grin]");
  for (guint i = 0; i < json_array_get_length (conversations); i++)
    {
      JsonObject *conversation = json_array_get_object_element (conversations, i);

      if (g_strcmp0 (obj_string (conversation, "conversationID"), "C2Cgem") == 0)
        listed_draft = obj_string (conversation, "draftText");
    }
  g_assert_cmpstr (listed_draft, ==, "half [Grin]");
  g_assert_cmpint (obj_int (obj (bad_id), "code"), ==, TIM_ERROR_INVALID_CONVERSATION_ID);
  g_assert_cmpint (obj_int (obj (bad_text), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpint (run_cli ("fox", &words, NULL, "draft", "C2Cgem", NULL), ==, 0);
  g_assert_cmpstr (words, ==, "half [Grin]\n");

  cleared = run_json ("fox", 0, "draft", "C2Cgem", "--clear", "--json");
  gone = run_json ("fox", 0, "draft", "C2Cgem", "--json");
  g_assert_cmpstr (obj_string (obj (cleared), "draftText"), ==, "");
  g_assert_cmpstr (obj_string (obj (gone), "draftText"), ==, "");
}

/* block, blocked, unblock: the list after each; the blocked user's send fails with 20007 until
 * unblocked (and stays the failed last message of its conversation); oneself is refused before
 * anything is sent (2742), an unknown account with 30003, by block and unblock alike; unblocking
 * someone not blocked is nothing to do. */
static void
test_blocklist (void)
{
  g_autoptr (JsonNode) blocked = run_json ("fox", 0, "block", "gem", "--json");
  g_autoptr (JsonNode) listed = run_json ("fox", 0, "blocked", "--json");
  g_autoptr (JsonNode) refused = run_json ("gem", 1, "send", "C2Cfox", "--text", "hi?", "--json");
  g_autoptr (JsonNode) kept = run_json ("gem", 0, "conversations", "--json");
  g_autoptr (JsonNode) self = run_json ("fox", 1, "block", "fox", "--json");
  g_autoptr (JsonNode) unknown = run_json ("fox", 1, "block", "no-such-user-here", "--json");
  g_autoptr (JsonNode) unblocked = run_json ("fox", 0, "unblock", "gem", "--json");
  g_autoptr (JsonNode) sent = run_json ("gem", 0, "send", "C2Cfox", "--text", "hi!", "--json");
  g_autoptr (JsonNode) unknown_off = run_json ("fox", 1, "unblock", "no-such-user-here", "--json");
  g_autoptr (JsonNode) not_blocked = run_json ("fox", 0, "unblock", "hen", "--json");
  g_autofree char *words = NULL;

  g_assert_cmpstr (obj_string (obj (blocked), "blocked.0"), ==, "gem");
  g_assert_cmpstr (obj_string (obj (listed), "blocked.0"), ==, "gem");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_assert_cmpstr (obj_string (find_message (kept, "C2Cfox"), "lastMessage.status"), ==, "fail");
  g_assert_cmpint (obj_int (obj (self), "code"), ==, TIM_ERROR_CANNOT_ADD_SELF_TO_BLACKLIST);
  g_assert_cmpint (obj_int (obj (unknown), "code"), ==, TIM_ERROR_SNS_ACCOUNT_NOT_FOUND);
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (obj (unblocked), "blocked")), ==, 0);
  g_assert_nonnull (obj_string (obj (sent), "id"));
  g_assert_cmpint (obj_int (obj (unknown_off), "code"), ==, TIM_ERROR_SNS_ACCOUNT_NOT_FOUND);
  g_assert_cmpstr (obj_string (obj (unknown_off), "message"), ==,
                   "no-such-user-here: The user does not exist");
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (obj (not_blocked), "blocked")), ==, 0);

  g_assert_cmpint (run_cli ("fox", &words, NULL, "blocked", NULL), ==, 0);
  g_assert_cmpstr (words, ==, "");
}

/* A send the server refuses for want of a recipient (90003) makes no conversation: none listed,
 * and pin, mark and mute all say so alike (2500). */
static void
test_send_to_nobody (void)
{
  g_autoptr (JsonNode) refused =
      run_json ("ivy", 1, "send", "C2Cno-such-user-here", "--text", "x", "--json");
  g_autoptr (JsonNode) listed = run_json ("ivy", 0, "conversations", "--json");
  g_autoptr (JsonNode) pinned = run_json ("ivy", 1, "pin", "C2Cno-such-user-here", "--json");
  g_autoptr (JsonNode) marked =
      run_json ("ivy", 1, "mark", "C2Cno-such-user-here", "unread", "--json");
  g_autoptr (JsonNode) muted = run_json ("ivy", 1, "mute", "C2Cno-such-user-here", "--json");

  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_TO_ACCOUNT_INVALID);
  g_assert_nonnull (listed);
  g_assert_null (find_message (listed, "C2Cno-such-user-here"));
  g_assert_cmpint (obj_int (obj (pinned), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_assert_cmpint (obj_int (obj (marked), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_assert_cmpint (obj_int (obj (muted), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
}

/* folders: made with a conversation, filled, renamed, emptied, deleted; the list after each, in
 * JSON and in lines; bad subcommands and conversations refused. */
static void
test_folders (void)
{
  g_autoptr (JsonNode) sent = run_json ("hal", 0, "send", "C2Cfay", "--text", "hi", "--json");
  g_autoptr (JsonNode) made = NULL, added = NULL, renamed = NULL, taken_out = NULL;
  g_autoptr (JsonNode) deleted = NULL, unknown = NULL, usage = NULL, not_listed = NULL;
  g_autoptr (JsonNode) taken = NULL;
  g_autofree char *lines = NULL;

  g_assert_nonnull (obj_string (obj (sent), "id"));
  made = run_json ("fay", 0, "folders", "create", "Friends", "C2Chal", "--json");
  g_assert_cmpstr (obj_string (obj (made), "folders.0.name"), ==, "Friends");
  g_assert_cmpstr (obj_string (obj (made), "folders.0.conversations.0"), ==, "C2Chal");
  taken = run_json ("fay", 1, "folders", "create", "Friends", "--json");
  g_assert_cmpint (obj_int (obj (taken), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  json_node_unref (run_json ("fay", 0, "folders", "create", "Work", "--json"));
  added = run_json ("fay", 0, "folders", "add", "Work", "C2Chal", "--json");
  g_assert_cmpstr (obj_string (obj (added), "folders.1.conversations.0"), ==, "C2Chal");
  renamed = run_json ("fay", 0, "folders", "rename", "Work", "Office", "--json");
  g_assert_cmpstr (obj_string (obj (renamed), "folders.1.name"), ==, "Office");
  g_assert_cmpint (run_cli ("fay", &lines, NULL, "folders", NULL), ==, 0);
  g_assert_cmpstr (lines, ==, "Friends: C2Chal\nOffice: C2Chal\n");
  g_clear_pointer (&lines, g_free);
  taken_out = run_json ("fay", 0, "folders", "remove", "Friends", "C2Chal", "--json");
  g_assert_null (obj_string (obj (taken_out), "folders.0.conversations.0"));
  not_listed = run_json ("fay", 1, "folders", "add", "Office", "C2Cnobody-here", "--json");
  g_assert_cmpint (obj_int (obj (not_listed), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  deleted = run_json ("fay", 0, "folders", "delete", "Office", "--json");
  g_assert_cmpstr (obj_string (obj (deleted), "folders.0.name"), ==, "Friends");
  g_assert_null (obj_string (obj (deleted), "folders.1.name"));
  g_assert_cmpint (run_cli ("fay", &lines, NULL, "folders", NULL), ==, 0);
  g_assert_cmpstr (lines, ==, "Friends:\n");
  unknown = run_json ("fay", 1, "folders", "move", "Friends", "--json");
  g_assert_cmpint (obj_int (obj (unknown), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  usage = run_json ("fay", 1, "folders", "rename", "Friends", "--json");
  g_assert_cmpint (obj_int (obj (usage), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
}

/* The markList conversations --json gives the conversation, as a string ("1,2"). */
static char *
listed_marks (const char *user, const char *conversation_id)
{
  g_autoptr (JsonNode) listed = run_json (user, 0, "conversations", "--json");
  JsonArray *list = JSON_NODE_HOLDS_ARRAY (listed) ? json_node_get_array (listed) : NULL;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      JsonArray *marks = timchat_test_json_get_array (item, "markList");
      GString *text = g_string_new (NULL);

      if (g_strcmp0 (obj_string (item, "conversationID"), conversation_id) != 0)
        {
          g_string_free (text, TRUE);
          continue;
        }
      for (guint j = 0; marks != NULL && j < json_array_get_length (marks); j++)
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT, j > 0 ? "," : "",
                                json_array_get_int_element (marks, j));
      return g_string_free (text, FALSE);
    }
  return NULL;
}

/* mark: by name and as the SDK's markType, listed as its markList and in words; reading takes
 * "unread" away; --off takes marks away; what is not a mark, or not a listed conversation, is
 * refused with its code. custom-data: kept, listed, refused past 256 characters, cleared. */
static void
test_marks (void)
{
  /* len logs in first: the send needs her account. */
  g_autoptr (JsonNode) before = run_json ("len", 0, "conversations", "--json");
  g_autoptr (JsonNode) sent = run_json ("kit", 0, "send", "C2Clen", "--text", "mark me", "--json");
  g_autoptr (JsonNode) marked = run_json ("len", 0, "mark", "C2Ckit", "unread", "1", "--json");
  g_autofree char *both = listed_marks ("len", "C2Ckit");
  g_autofree char *words = NULL;
  g_autoptr (JsonNode) read = run_json ("len", 0, "read", "C2Ckit", "--json");
  g_autofree char *starred = listed_marks ("len", "C2Ckit");
  g_autoptr (JsonNode) unstarred = run_json ("len", 0, "mark", "C2Ckit", "star", "--off", "--json");
  static const char *const not_marks[] = { "bold", "3", "0", "-2", "18446744073709551616", NULL };

  g_assert_true (JSON_NODE_HOLDS_ARRAY (before));
  g_assert_nonnull (obj_string (obj (sent), "id"));
  g_assert_cmpstr (obj_string (obj (marked), "conversationID"), ==, "C2Ckit");
  g_assert_cmpint (obj_int (obj (marked), "markList.0"), ==, 1);
  g_assert_cmpint (obj_int (obj (marked), "markList.1"), ==, 2);
  g_assert_cmpstr (both, ==, "1,2");
  g_assert_cmpstr (starred, ==, "1");
  g_assert_cmpint (obj_int (obj (read), "unreadCount"), ==, 0);
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (obj (unstarred), "markList")), ==, 0);
  g_assert_cmpint (run_cli ("len", NULL, NULL, "mark", "C2Ckit", "unread", "hide", NULL), ==, 0);
  g_assert_cmpint (run_cli ("len", &words, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (words, "marked unread"));
  g_assert_null (strstr (words, "starred"));

  for (guint i = 0; not_marks[i] != NULL; i++)
    {
      g_autoptr (JsonNode) refused = run_json ("len", 1, "mark", "C2Ckit", not_marks[i], "--json");

      g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    }
  {
    g_autoptr (JsonNode) no_mark = run_json ("len", 1, "mark", "C2Ckit", "--json");
    g_autoptr (JsonNode) nobody =
        run_json ("len", 1, "mark", "C2Cnobody-at-all", "unread", "--json");

    g_assert_cmpint (obj_int (obj (no_mark), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_cmpint (obj_int (obj (nobody), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  }
  /* custom-data: kept, listed as customData (another run: from the server), cleared with "". */
  {
    g_autofree char *long_words = g_strnfill (257, 'w');
    g_autoptr (JsonNode) kept =
        run_json ("len", 0, "custom-data", "C2Ckit", "call kit back", "--json");
    g_autoptr (JsonNode) listed = run_json ("len", 0, "conversations", "--json");
    g_autoptr (JsonNode) too_long =
        run_json ("len", 1, "custom-data", "C2Ckit", long_words, "--json");
    g_autoptr (JsonNode) cleared = run_json ("len", 0, "custom-data", "C2Ckit", "", "--json");
    g_autoptr (JsonNode) listed_after = run_json ("len", 0, "conversations", "--json");
    JsonArray *list = json_node_get_array (listed);
    JsonArray *list_after = json_node_get_array (listed_after);
    const char *data = NULL, *data_after = NULL;

    g_assert_cmpstr (obj_string (obj (kept), "customData"), ==, "call kit back");
    for (guint i = 0; i < json_array_get_length (list); i++)
      if (g_strcmp0 (obj_string (json_array_get_object_element (list, i), "conversationID"),
                     "C2Ckit") == 0)
        data = obj_string (json_array_get_object_element (list, i), "customData");
    for (guint i = 0; i < json_array_get_length (list_after); i++)
      if (g_strcmp0 (obj_string (json_array_get_object_element (list_after, i), "conversationID"),
                     "C2Ckit") == 0)
        data_after = obj_string (json_array_get_object_element (list_after, i), "customData");
    g_assert_cmpstr (data, ==, "call kit back");
    g_assert_cmpint (obj_int (obj (too_long), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_cmpstr (obj_string (obj (cleared), "customData"), ==, "");
    g_assert_cmpstr (data_after, ==, "");
  }
}

/* edit: the text changes for both sides, marked edited with its version; a face message is
 * refused in words; watch prints the peer's copy changing. */
static void
test_edit (void)
{
  g_autoptr (JsonNode) sent =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "see you at 7", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) edited =
      run_json ("alice", 0, "edit", id, "see you at 8", "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_autoptr (JsonNode) face = run_json ("alice", 0, "send", "C2Cbob", "--face", "3", "--json");
  g_autoptr (JsonNode) not_text = run_json ("alice", 1, "edit", obj_string (obj (face), "id"), "x",
                                            "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) not_mine =
      run_json ("bob", 1, "edit", id, "hijacked", "--conversation", "C2Calice", "--json");
  JsonObject *seen = find_message (history, id);
  g_autofree char *human = NULL;

  g_assert_cmpstr (obj_string (json_object_get_object_member (obj (edited), "payload"), "text"), ==,
                   "see you at 8");
  g_assert_cmpint (obj_int (obj (edited), "version"), ==, 1);
  g_assert_true (obj_bool (obj (edited), "isModified"));
  g_assert_nonnull (seen);
  g_assert_cmpstr (obj_string (json_object_get_object_member (seen, "payload"), "text"), ==,
                   "see you at 8");
  g_assert_true (obj_bool (seen, "isModified"));
  g_assert_cmpint (obj_int (obj (not_text), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (not_text), "message"), ==,
                   "Only a text message can be edited from here");
  g_assert_cmpint (obj_int (obj (not_mine), "code"), ==, TIM_ERROR_INVALID_OPERATION);
  g_assert_cmpint (run_cli ("bob", &human, NULL, "history", "C2Calice", NULL), ==, 0);
  g_assert_nonnull (strstr (human, "see you at 8 [edited]"));

  /* A recalled text is 2905 (recalled), not 10004 (not a text), as documented; it keeps its
   * type for the device that sent it. */
  {
    g_autoptr (JsonNode) gone =
        run_json ("alice", 0, "send", "C2Cbob", "--text", "never mind", "--json");
    g_autoptr (JsonNode) revoked = run_json ("alice", 0, "revoke", obj_string (obj (gone), "id"),
                                             "--conversation", "C2Cbob", "--json");
    g_autoptr (JsonNode) refused = run_json ("alice", 1, "edit", obj_string (obj (gone), "id"), "x",
                                             "--conversation", "C2Cbob", "--json");

    g_assert_cmpstr (obj_string (obj (revoked), "type"), ==, "TIMTextElem");
    g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_INVALID_OPERATION);
  }
}

/* search finds what this device has kept (the history read first), newest first, in one
 * conversation or all; a blank one is refused. */
static void
test_search (void)
{
  g_autoptr (JsonNode) a =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "the blue kayak is ready", "--json");
  g_autoptr (JsonNode) b =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "or take the red KAYAK", "--json");
  g_autoptr (JsonNode) history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_autoptr (JsonNode) found = run_json ("bob", 0, "search", "kayak", "--json");
  g_autoptr (JsonNode) in_conversation =
      run_json ("bob", 0, "search", "blue", "--conversation", "C2Calice", "--json");
  g_autoptr (JsonNode) blank = run_json ("bob", 1, "search", "  ", "--json");
  JsonArray *list = json_node_get_array (found);

  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 0), "id"), ==,
                   obj_string (obj (b), "id"));
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 1), "id"), ==,
                   obj_string (obj (a), "id"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (in_conversation)), ==, 1);
  g_assert_cmpint (obj_int (obj (blank), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
}

/* send --reply-to quotes a message of the conversation (TUIKit's messageReply): both sides'
 * JSON has replyTo; an ID not in the conversation is refused in words. */
static void
test_reply (void)
{
  g_autoptr (JsonNode) question =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "coffee or tea?", "--json");
  const char *id = obj_string (obj (question), "id");
  g_autoptr (JsonNode) answer =
      run_json ("bob", 0, "send", "C2Calice", "--text", "tea", "--reply-to", id, "--json");
  g_autoptr (JsonNode) history = run_json ("alice", 0, "history", "C2Cbob", "--json");
  g_autoptr (JsonNode) missing =
      run_json ("bob", 1, "send", "C2Calice", "--text", "huh", "--reply-to", "nope-1-2", "--json");
  JsonObject *seen = find_message (history, obj_string (obj (answer), "id"));
  JsonObject *quote;

  g_assert_nonnull (seen);
  quote = json_object_get_object_member (seen, "replyTo");
  g_assert_nonnull (quote);
  g_assert_cmpstr (obj_string (quote, "messageID"), ==, id);
  g_assert_cmpstr (obj_string (quote, "messageAbstract"), ==, "coffee or tea?");
  g_assert_cmpstr (
      obj_string (json_object_get_object_member (obj (answer), "replyTo"), "messageID"), ==, id);
  g_assert_false (json_object_has_member (obj (question), "replyTo"));
  g_assert_cmpint (obj_int (obj (missing), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (missing), "message"), ==, "No message nope-1-2 in C2Calice");
}

static void
test_revoke (void)
{
  g_autoptr (JsonNode) sent = run_json ("alice", 0, "send", "C2Cbob", "--text", "oops", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) revoked =
      run_json ("alice", 0, "revoke", id, "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_autoptr (JsonNode) again =
      run_json ("alice", 1, "revoke", id, "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) missing =
      run_json ("alice", 1, "revoke", "nope-1-2", "--conversation", "C2Cbob", "--json");

  g_assert_true (obj_bool (obj (revoked), "isRevoked"));
  g_assert_nonnull (find_message (history, id));
  g_assert_true (obj_bool (find_message (history, id), "isRevoked"));
  g_assert_cmpint (obj_int (obj (again), "code"), !=, 0);
  g_assert_cmpint (obj_int (obj (missing), "code"), !=, 0);
}

static void
test_read_and_delete (void)
{
  g_autoptr (JsonNode) sent1 = run_json ("alice", 0, "send", "C2Ccarol", "--text", "one", "--json");
  g_autoptr (JsonNode) sent2 = run_json ("alice", 0, "send", "C2Ccarol", "--text", "two", "--json");
  g_autoptr (JsonNode) before = run_json ("carol", 0, "conversations", "--json");
  g_autoptr (JsonNode) read = run_json ("carol", 0, "read", "C2Calice", "--json");
  g_autoptr (JsonNode) after = run_json ("carol", 0, "conversations", "--json");
  g_autoptr (JsonNode) pinned = NULL;
  g_autoptr (JsonNode) listed = NULL;
  g_autoptr (JsonNode) not_listed = NULL;
  g_autoptr (JsonNode) muted = NULL;
  g_autoptr (JsonNode) all_read = NULL;
  g_autoptr (JsonNode) deleted = NULL;
  g_autoptr (JsonNode) gone = NULL;
  g_autofree char *out = NULL;
  JsonObject *conversation;

  conversation = find_message (before, "C2Calice");
  g_assert_nonnull (conversation);
  g_assert_cmpint (obj_int (conversation, "unreadCount"), ==, 2);
  g_assert_cmpstr (obj_string (conversation, "lastMessage.payload.text"), ==, "two");
  g_assert_cmpint (obj_int (obj (read), "unreadCount"), ==, 0);
  conversation = find_message (after, "C2Calice");
  g_assert_nonnull (conversation);
  g_assert_cmpint (obj_int (conversation, "unreadCount"), ==, 0);

  /* Without --json: one line a conversation, and a sentence for what was done. */
  g_assert_cmpint (run_cli ("alice", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "C2Ccarol                 carol  "));
  g_assert_nonnull (strstr (out, "  unread 0  two\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("alice", &out, NULL, "profile", "C2Ccarol", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "C2Ccarol"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "read", "C2Calice", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Marked C2Calice read.\n");
  g_clear_pointer (&out, g_free);

  /* Pinned: listed so, in JSON and in words; --off unpins; only a listed one can be. */
  pinned = run_json ("carol", 0, "pin", "C2Calice", "--json");
  g_assert_true (obj_bool (obj (pinned), "isPinned"));
  listed = run_json ("carol", 0, "conversations", "--json");
  g_assert_true (obj_bool (find_message (listed, "C2Calice"), "isPinned"));
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  pinned  two\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "pin", "C2Calice", "--off", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Unpinned C2Calice.\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  two\n"));
  g_clear_pointer (&out, g_free);
  /* Muted: in JSON, in words, and back. */
  muted = run_json ("carol", 0, "mute", "C2Calice", "--json");
  g_assert_cmpstr (obj_string (obj (muted), "messageRemindType"), ==, "AcceptNotNotify");
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  muted  two\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "mute", "C2Calice", "--off", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Unmuted C2Calice.\n");
  g_clear_pointer (&out, g_free);
  /* Discarded: its messages do not come (the server's part is test-server-discard); the list
   * says so; --off takes it back, and both at once are refused before anything is sent. */
  g_clear_pointer (&muted, json_node_unref);
  muted = run_json ("carol", 0, "mute", "C2Calice", "--discard", "--json");
  g_assert_cmpstr (obj_string (obj (muted), "messageRemindType"), ==, "Discard");
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  discarded  two\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&muted, json_node_unref);
  muted = run_json ("carol", 1, "mute", "C2Calice", "--discard", "--off", "--json");
  g_assert_cmpint (obj_int (obj (muted), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (muted), "message"), ==,
                   "--off and --discard contradict each other");
  g_assert_cmpint (run_cli ("carol", &out, NULL, "mute", "C2Calice", "--off", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&listed, json_node_unref);
  listed = run_json ("carol", 0, "conversations", "--json");
  g_assert_cmpstr (obj_string (find_message (listed, "C2Calice"), "messageRemindType"), ==,
                   "AcceptAndNotify");

  not_listed = run_json ("carol", 1, "pin", "C2Cnobody", "--json");
  g_assert_cmpint (obj_int (obj (not_listed), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_assert_cmpstr (obj_string (obj (not_listed), "message"), ==,
                   "There is no conversation “C2Cnobody” in the list");

  /* read --all: everything at once; with a conversation ID too, refused. */
  json_node_unref (run_json ("alice", 0, "send", "C2Ccarol", "--text", "three", "--json"));
  all_read = run_json ("carol", 0, "read", "--all", "--json");
  g_assert_cmpint (obj_int (obj (all_read), "totalUnreadCount"), ==, 0);
  g_clear_pointer (&listed, json_node_unref);
  listed = run_json ("carol", 0, "conversations", "--json");
  g_assert_cmpint (obj_int (find_message (listed, "C2Calice"), "unreadCount"), ==, 0);
  g_clear_pointer (&all_read, json_node_unref);
  all_read = run_json ("carol", 1, "read", "--all", "C2Calice", "--json");
  g_assert_cmpstr (obj_string (obj (all_read), "message"), ==,
                   "read --all takes no conversation ID");

  deleted = run_json ("carol", 0, "delete", "C2Calice", "--json");
  g_assert_true (obj_bool (obj (deleted), "deleted"));
  gone = run_json ("carol", 0, "conversations", "--json");
  g_assert_null (find_message (gone, "C2Calice"));
}

/* ---------------------------------------------------------------- me */

/* One's own nickname: shown, set (the peer's profile of the conversation then has it), refused
 * when too long with the TIM code, and cleared. */
static void
test_me (void)
{
  g_autofree char *too_long = g_strnfill (501, 'x');
  g_autoptr (JsonNode) before = run_json ("dora", 0, "me", "--json");
  g_autoptr (JsonNode) set = run_json ("dora", 0, "me", "--nick", "Dora D.", "--json");
  g_autoptr (JsonNode) seen = run_json ("erik", 0, "profile", "C2Cdora", "--json");
  g_autoptr (JsonNode) refused = run_json ("dora", 1, "me", "--nick", too_long, "--json");
  g_autoptr (JsonNode) cleared = run_json ("dora", 0, "me", "--nick", "", "--json");
  g_autofree char *out = NULL;

  g_assert_cmpstr (obj_string (obj (before), "userID"), ==, "dora");
  g_assert_cmpstr (obj_string (obj (before), "nick"), ==, "");
  g_assert_cmpstr (obj_string (obj (set), "nick"), ==, "Dora D.");
  g_assert_cmpstr (obj_string (obj (seen), "name"), ==, "Dora D.");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_PROFILE_VALUE_TOO_LONG);
  g_assert_cmpstr (obj_string (obj (cleared), "nick"), ==, "");
  g_assert_cmpint (
      run_cli ("dora", &out, NULL, "me", "--avatar", "https://example.org/d.png", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "dora\t\thttps://example.org/d.png\n");
  g_clear_pointer (&out, g_free);

  /* A device's first list names people by their nicks, not their IDs. */
  json_node_unref (run_json ("hana", 0, "me", "--nick", "Hana H.", "--json"));
  timchat_test_import_account (fixture, "ivo", NULL);
  json_node_unref (run_json ("hana", 0, "send", "C2Civo", "--text", "hi", "--json"));
  g_assert_cmpint (run_cli ("ivo", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "C2Chana                  Hana H.  "));
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
static JsonObject *
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
static GSubprocess *
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
static GSubprocess *
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

static GSubprocess *
start_watch (const char *user, GDataInputStream **stream)
{
  return start_watch_with (user, NULL, stream);
}

/* The exit status of watch once it has ended by itself. */
static int
watch_exit_status (GSubprocess *watch)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_subprocess_wait (watch, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (watch));
  return g_subprocess_get_exit_status (watch);
}

/* Iterates until process has exited (TRUE) or timeout_ms passed. */
static gboolean
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

/* An upload has begun on the server: a ".upload-" file in its files directory. */
static gboolean
upload_started (void)
{
  g_autofree char *files = g_build_filename (timchat_fixture_get_data_dir (fixture), "files", NULL);
  g_autoptr (GDir) dir = g_dir_open (files, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".upload-"))
      return TRUE;
  return FALSE;
}

/* alice sends bob path (a big file) with --timeout 3 and the server freezes mid-upload: the
 * send gives up while the message is still queued, and says so (exit status 3, the message with
 * "queued": true and its ID). Returns that ID. */
static char *
send_until_queued (const char *path)
{
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new ("alice", TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) send = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  GPid server = timchat_test_find_server_pid ();
  gint64 deadline;

  {
    gsize size = 90 * 1024 * 1024;
    g_autofree char *data = g_malloc (size);

    for (gsize i = 0; i < size; i++)
      data[i] = (char) (i * 13);
    g_assert_true (g_file_set_contents (path, data, size, &error));
  }
  g_assert_cmpint (server, >, 0);
  send = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "send", "C2Cbob",
                                      "--file", path, "--timeout", "3", "--json", NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!upload_started () && g_get_monotonic_time () < deadline)
    g_usleep (2 * 1000);
  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  g_subprocess_communicate_utf8 (send, NULL, NULL, &out, NULL, &error);
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);
  g_assert_no_error (error);
  g_test_message ("send → %d: %s", g_subprocess_get_exit_status (send), out);
  g_assert_cmpint (g_subprocess_get_exit_status (send), ==, 3);
  reply = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (obj_bool (obj (reply), "queued"));
  g_assert_cmpstr (obj_string (obj (reply), "status"), ==, "unSend");
  g_assert_cmpint (obj_int (obj (reply), "errorCode"), ==, TIM_ERROR_NETWORK_TIMEOUT);
  g_assert_nonnull (
      strstr (obj_string (obj (reply), "errorMessage") ?: "", "Do not send it again"));
  g_assert_nonnull (obj_string (obj (reply), "id"));
  return g_strdup (obj_string (obj (reply), "id"));
}

/* How many messages of bob's history with alice carry a file named name. */
static guint
copies_for_bob (const char *name)
{
  g_autoptr (JsonNode) history = run_json ("bob", 0, "history", "C2Calice", "--json");
  JsonArray *list = JSON_NODE_HOLDS_ARRAY (history) ? json_node_get_array (history) : NULL;
  guint copies = 0;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    copies += g_strcmp0 (obj_string (json_array_get_object_element (list, i), "payload.fileName"),
                         name) == 0;
  return copies;
}

/* A send given up on (--timeout) while its message is still queued says so (exit status 3)
 * instead of a plain 2801 failure: a script that retried on that sent it twice, as the outbox
 * delivered the first one with the next session. Here the next session is watch, and bob has
 * it once. */
static void
test_send_queued_on_timeout (void)
{
  g_autofree char *path = g_build_filename (data_dir, "queued.bin", NULL);
  g_autoptr (GSubprocess) watch = NULL;
  g_autoptr (GDataInputStream) stream = NULL;
  g_autofree char *id = send_until_queued (path);
  gint64 deadline;
  guint copies = 0;

  /* The next session of alice sends it, as the same message; bob has it once. */
  watch = start_watch ("alice", &stream);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((copies = copies_for_bob ("queued.bin")) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (300 * 1000);
  g_assert_cmpuint (copies, ==, 1);
  if (watch != NULL)
    {
      g_subprocess_send_signal (watch, SIGTERM);
      g_assert_true (wait_exit (watch, 10000));
    }
  g_remove (path);
}

/* The next command of alice after such a send, whatever it is (a short one: history), sends the
 * queued message before it exits, as docs/cli.md promises, and prints only its own output: its
 * exit does not cut the upload short again, and bob has the message once when it is done.
 * (Every command but watch exited at once, restarting and cutting off the upload each time.) */
static void
test_queued_sent_by_next_command (void)
{
  g_autofree char *path = g_build_filename (data_dir, "queued-next.bin", NULL);
  g_autofree char *id = send_until_queued (path);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) history = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (
      run_cli ("alice", &out, &err, "history", "C2Cbob", "--timeout", "30", "--json", NULL), ==, 0);
  g_test_message ("history: %s", err);
  history = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (history));
  g_assert_cmpuint (copies_for_bob ("queued-next.bin"), ==, 1);
  g_remove (path);
}

/* SIGTERM while watch is still logging in (a server that accepts the connection and never
 * answers): the watch ends with status 0, as it does once logged in, not by the signal. */
static void
test_watch_signal_during_login (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new ("alice", TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) watch = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (g_socket_listener_add_address (listener, any_port, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("ws://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  watch = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "watch",
                                       "--json", "--server", url, "--timeout", "60", NULL);
  g_assert_no_error (error);
  g_usleep (700 * 1000);
  g_assert_null (g_subprocess_get_identifier (watch) == NULL ? "ended before the signal" : NULL);
  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_true (wait_exit (watch, 10000));
  g_assert_true (g_subprocess_get_if_exited (watch));
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 0);
}

/* A --timeout of one second is said in the singular: "No answer within 1 seconds" was printed
 * (a server that accepts the connection and never answers). */
static void
test_timeout_one_second (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_socket_listener_add_address (listener, any_port, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("ws://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_assert_cmpint (
      run_cli ("alice", NULL, &err, "conversations", "--server", url, "--timeout", "1", NULL), !=,
      0);
  g_assert_nonnull (strstr (err, "No answer within 1 second ("));
}

/* Output that cannot be written is a failure: `history > /dev/full` exited 0; `watch --json |
 * head -1` never ended, printing into nothing. */
static void
test_output_errors (void)
{
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new ("alice", TRUE, G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) history = NULL;
  g_autoptr (GDataInputStream) stream = NULL;
  g_autoptr (GSubprocess) watch = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) prepared = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;

  prepared = run_json ("alice", 0, "send", "C2Cbob", "--text", "to a full disk", "--json");
  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
  history = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "history",
                                         "C2Cbob", "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (history, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (history), ==, 1);
  g_assert_nonnull (strstr (err, "cannot write the output"));

  /* The reader goes away after the first lines; the next event ends the watch, status 1. */
  watch = start_watch ("bob", &stream);
  if (watch == NULL)
    return;
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (stream), NULL, &error));
  g_assert_no_error (error);
  sent = run_json ("alice", 0, "send", "C2Cbob", "--text", "anyone there?", "--json");
  g_assert_true (wait_exit (watch, 10000));
  g_assert_true (g_subprocess_get_if_exited (watch));
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 1);
}

/* The reader is gone before the watch has even logged in (`watch --json | true`): the first
 * events it cannot write come while it logs in, and it ends with status 1 there, not running on
 * for ever printing into nothing. */
static void
test_watch_output_closed_at_login (void)
{
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new ("alice", TRUE, G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GSubprocess) watch = NULL;
  g_autoptr (GError) error = NULL;
  int fds[2];

  /* A pipe whose read end is closed before the watch starts: every write fails (EPIPE). */
  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  g_close (fds[0], NULL);
  g_subprocess_launcher_take_stdout_fd (launcher, fds[1]);
  watch = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "watch",
                                       "--json", NULL);
  g_assert_no_error (error);
  if (!wait_exit (watch, 15000))
    {
      g_subprocess_force_exit (watch);
      g_assert_true (wait_exit (watch, 5000));
      g_assert_not_reached ();
    }
  g_assert_true (g_subprocess_get_if_exited (watch));
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 1);
}

static void
test_watch (void)
{
  g_autoptr (GDataInputStream) stream = NULL;
  g_autoptr (GSubprocess) watch = start_watch ("bob", &stream);
  g_autoptr (JsonObject) received = NULL;
  g_autoptr (JsonObject) received2 = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) sent2 = NULL;
  g_autoptr (JsonNode) revoke = NULL;
  g_autoptr (JsonObject) revoked = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (JsonNode) read = NULL;
  g_autoptr (JsonObject) read_by_peer = NULL;
  g_autoptr (JsonNode) delete = NULL;
  g_autoptr (JsonObject) deleted = NULL;
  gboolean heard_online = FALSE;
  JsonObject *message;

  if (watch == NULL)
    return;
  sent = run_json ("alice", 0, "send", "C2Cbob", "--text", "are you watching?", "--json");
  /* alice's send logged her in, before it sent: the watcher, whose list has her, heard that she
   * was online. */
  for (guint i = 0; i < 5 && !heard_online; i++)
    {
      g_autoptr (JsonObject) status = read_event (stream, "user-status-updated", 10000);

      g_assert_nonnull (status);
      heard_online = g_strcmp0 (obj_string (status, "userID"), "alice") == 0 &&
                     g_strcmp0 (obj_string (status, "status"), "online") == 0;
    }
  g_assert_true (heard_online);
  received = read_event (stream, "message-received", 10000);
  g_assert_nonnull (received);
  message = timchat_test_json_get_object (received, "messages.0");
  g_assert_nonnull (message);
  g_assert_cmpstr (obj_string (message, "id"), ==, obj_string (obj (sent), "id"));
  g_assert_cmpstr (obj_string (message, "payload.text"), ==, "are you watching?");
  g_assert_cmpstr (obj_string (message, "flow"), ==, "in");

  /* A second one: every message, not just the first. */
  sent2 = run_json ("alice", 0, "send", "C2Cbob", "--face", "3", "--json");
  received2 = read_event (stream, "message-received", 10000);
  g_assert_nonnull (received2);
  message = timchat_test_json_get_object (received2, "messages.0");
  g_assert_cmpstr (obj_string (message, "id"), ==, obj_string (obj (sent2), "id"));

  /* alice recalls the first one: the watcher hears of it. */
  revoke = run_json ("alice", 0, "revoke", obj_string (obj (sent), "id"), "--conversation",
                     "C2Cbob", "--json");
  revoked = read_event (stream, "message-revoked", 10000);
  g_assert_nonnull (revoked);
  message = timchat_test_json_get_object (revoked, "messages.0");
  g_assert_cmpstr (obj_string (message, "id"), ==, obj_string (obj (sent), "id"));
  g_assert_true (obj_bool (message, "isRevoked"));
  /* A type string still: the kind it was (docs/cli.md). */
  g_assert_cmpstr (obj_string (message, "type"), ==, "TIMTextElem");

  /* bob answers from another device; once alice has read it, the watcher sees it read. */
  answer = run_json ("bob", 0, "send", "C2Calice", "--text", "I am", "--json");
  read = run_json ("alice", 0, "read", "C2Cbob", "--json");
  read_by_peer = read_event (stream, "message-read-by-peer", 10000);
  g_assert_nonnull (read_by_peer);
  message = timchat_test_json_get_object (read_by_peer, "messages.0");
  g_assert_cmpstr (obj_string (message, "id"), ==, obj_string (obj (answer), "id"));
  g_assert_true (obj_bool (message, "isPeerRead"));

  /* bob deletes the face for himself on another device: it leaves the watcher's too. */
  delete = run_json ("bob", 0, "delete-message", obj_string (obj (sent2), "id"), "--conversation",
                     "C2Calice", "--json");
  deleted = read_event (stream, "message-deleted", 10000);
  g_assert_nonnull (deleted);
  message = timchat_test_json_get_object (deleted, "messages.0");
  g_assert_cmpstr (obj_string (message, "id"), ==, obj_string (obj (sent2), "id"));

  /* bob blocks carol on another device, then unblocks her: the watcher follows the list. */
  {
    g_autoptr (JsonNode) blocking = run_json ("bob", 0, "block", "carol", "--json");
    g_autoptr (JsonObject) blocked = read_event (stream, "blocklist-updated", 10000);
    g_autoptr (JsonNode) unblocking = run_json ("bob", 0, "unblock", "carol", "--json");
    g_autoptr (JsonObject) unblocked = read_event (stream, "blocklist-updated", 10000);

    g_assert_nonnull (blocked);
    g_assert_cmpstr (obj_string (blocked, "blocked.0"), ==, "carol");
    g_assert_nonnull (unblocked);
    g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (unblocked, "blocked")),
                      ==, 0);
  }

  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_cmpint (watch_exit_status (watch), ==, 0);
}

/* status: a user with a watch running is online, one whose last run logged out is not, an ID
 * with no account is unknown; what is not a user ID is refused before anything is sent. */
static void
test_status (void)
{
  g_autoptr (GDataInputStream) stream = NULL;
  g_autoptr (GSubprocess) watch = start_watch ("hal", &stream);
  g_autoptr (JsonNode) before = run_json ("ivy", 0, "conversations", "--json");
  g_autoptr (JsonNode) statuses = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autofree char *words = NULL;
  JsonArray *list;

  if (watch == NULL)
    return;
  g_assert_true (JSON_NODE_HOLDS_ARRAY (before));
  statuses = run_json ("kit", 0, "status", "hal", "ivy", "no-such-user-here", "--json");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (statuses));
  list = json_node_get_array (statuses);
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 0), "userID"), ==, "hal");
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 0), "status"), ==, "online");
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 1), "status"), ==, "unlogined");
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 2), "status"), ==, "unknown");
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 2), "customStatus"), ==, "");
  g_assert_cmpint (run_cli ("kit", &words, NULL, "status", "hal", NULL), ==, 0);
  g_assert_cmpstr (words, ==, "hal online\n");
  refused = run_json ("kit", 1, "status", "bad id", "--json");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_cmpint (watch_exit_status (watch), ==, 0);
}

/* A user-status-updated event about user, NULL after a timeout. */
static JsonObject *
read_status_of (GDataInputStream *stream, const char *user)
{
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr (JsonObject) status = read_event (stream, "user-status-updated", 10000);

      if (status == NULL || g_strcmp0 (obj_string (status, "userID"), user) == 0)
        return g_steal_pointer (&status);
    }
  return NULL;
}

/* watch --follow: a user who is no peer of the watcher's, told of now and as they come and go;
 * an ID with no account is an error event and the others are still followed; none that can be
 * followed ends the watch with status 1. */
static void
test_watch_follow (void)
{
  const char *const follow[] = { "--follow", "lou", "--follow", "no-such-user-here", NULL };
  const char *const follow_nobody[] = { "--follow", "no-such-user-here", NULL };
  g_autoptr (JsonNode) account = run_json ("lou", 0, "conversations", "--json");
  g_autoptr (GDataInputStream) stream = NULL;
  g_autoptr (GDataInputStream) lou_stream = NULL;
  g_autoptr (GDataInputStream) nobody_stream = NULL;
  g_autoptr (GSubprocess) watch = start_watch_with ("meg", follow, &stream);
  g_autoptr (GSubprocess) lou = NULL;
  g_autoptr (GSubprocess) nobody = NULL;
  g_autoptr (JsonObject) refused = NULL;
  g_autoptr (JsonObject) failed = NULL;

  if (watch == NULL)
    return;
  /* Their status now, then (the call's answer) whom the server would not follow. */
  {
    g_autoptr (JsonObject) now = read_status_of (stream, "lou");

    g_assert_nonnull (now);
    g_assert_cmpstr (obj_string (now, "status"), ==, "unlogined");
  }
  refused = read_event (stream, "error", 10000);
  g_assert_nonnull (refused);
  g_assert_cmpint (obj_int (refused, "code"), ==, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_assert_nonnull (strstr (obj_string (refused, "message"), "no-such-user-here"));
  lou = start_watch ("lou", &lou_stream);
  {
    g_autoptr (JsonObject) online = read_status_of (stream, "lou");

    g_assert_nonnull (online);
    g_assert_cmpstr (obj_string (online, "status"), ==, "online");
    g_assert_cmpstr (obj_string (online, "customStatus"), ==, "");
  }
  g_subprocess_send_signal (lou, SIGTERM);
  g_assert_cmpint (watch_exit_status (lou), ==, 0);
  {
    g_autoptr (JsonObject) gone = read_status_of (stream, "lou");

    g_assert_nonnull (gone);
    g_assert_cmpstr (obj_string (gone, "status"), !=, "online");
  }
  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_cmpint (watch_exit_status (watch), ==, 0);

  nobody = spawn_watch ("meg", follow_nobody);
  nobody_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (nobody));
  failed = read_event (nobody_stream, "error", 15000);
  g_assert_nonnull (failed);
  g_assert_cmpint (obj_int (failed, "code"), ==, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_assert_cmpint (watch_exit_status (nobody), ==, 1);
}

/* The user's own profile changed on another device (`me` is another session of the same user):
 * the watch prints it as it is now, once per change, even one that changes both. */
static void
test_watch_profile (void)
{
  g_autoptr (GDataInputStream) stream = NULL;
  g_autoptr (GSubprocess) watch = start_watch ("otto", &stream);
  g_autoptr (JsonNode) renamed = NULL;
  g_autoptr (JsonNode) cleared = NULL;
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (JsonObject) second = NULL;

  if (watch == NULL)
    return;
  renamed = run_json ("otto", 0, "me", "--nick", "Otto Renamed", "--avatar",
                      "https://pictures.example/otto.png", "--json");
  first = read_event (stream, "profile-updated", 10000);
  g_assert_nonnull (first);
  g_assert_cmpstr (obj_string (first, "userID"), ==, "otto");
  g_assert_cmpstr (obj_string (first, "nick"), ==, "Otto Renamed");
  g_assert_cmpstr (obj_string (first, "avatar"), ==, "https://pictures.example/otto.png");

  /* The next event is the next change: the one before was not told twice (once per field). */
  cleared = run_json ("otto", 0, "me", "--nick", "", "--json");
  second = read_event (stream, "profile-updated", 10000);
  g_assert_nonnull (second);
  g_assert_cmpstr (obj_string (second, "nick"), ==, "");
  g_assert_cmpstr (obj_string (second, "avatar"), ==, "https://pictures.example/otto.png");

  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_cmpint (watch_exit_status (watch), ==, 0);
}

/* The server logs the account out (an administrator's kick): the watch says so and ends with
 * status 1, so that a supervisor knows to log in again. */
static void
test_watch_kicked_out (void)
{
  g_autoptr (GDataInputStream) stream = NULL;
  g_autoptr (GSubprocess) watch = start_watch ("kim", &stream);
  g_autoptr (JsonObject) kicked = NULL;
  g_autoptr (JsonObject) kick = NULL;

  if (watch == NULL)
    return;
  kick = timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"kim\"}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (kick, "ErrorCode"), ==, 0);
  kicked = read_event (stream, "kicked-out", 10000);
  g_assert_nonnull (kicked);
  g_assert_nonnull (obj_string (kicked, "type"));
  g_assert_cmpint (watch_exit_status (watch), ==, 1);
}

/* ---------------------------------------------------------------- groups */

static gboolean
has_member (JsonNode *members, const char *user, const char *role)
{
  JsonArray *list =
      obj (members) != NULL ? timchat_test_json_get_array (obj (members), "MemberList") : NULL;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *member = json_array_get_object_element (list, i);

      if (g_strcmp0 (obj_string (member, "Member_Account"), user) == 0)
        return role == NULL || g_strcmp0 (obj_string (member, "Role"), role) == 0;
    }
  return FALSE;
}

static void
test_group (void)
{
  g_autoptr (JsonNode) created =
      run_json ("alice", 0, "group", "create", "Team", "--member", "bob", "--json");
  g_autofree char *group_id = g_strdup (obj_string (obj (created), "GroupId"));
  g_autofree char *conversation = g_strdup_printf ("GROUP%s", group_id);
  g_autoptr (JsonNode) added = NULL;
  g_autoptr (JsonNode) members = NULL;
  g_autoptr (JsonNode) admin = NULL;
  g_autoptr (JsonNode) members2 = NULL;
  g_autoptr (JsonNode) quit = NULL;
  g_autoptr (JsonNode) before_quit = NULL;
  g_autoptr (JsonNode) after_quit = NULL;
  g_autoptr (JsonNode) members3 = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) history = NULL;
  g_autoptr (JsonNode) dismissed = NULL;
  g_autoptr (JsonNode) after = NULL;
  g_autoptr (JsonNode) renamed = NULL;
  g_autoptr (JsonNode) seen = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) muted = NULL;
  g_autoptr (JsonNode) silenced = NULL;
  g_autoptr (JsonNode) bad_switch = NULL;
  g_autoptr (JsonNode) unmuted = NULL;
  g_autofree char *human = NULL;

  g_assert_nonnull (group_id);
  if (group_id == NULL)
    return;
  added = run_json ("alice", 0, "group", "add", group_id, "carol", "--json");
  members = run_json ("alice", 0, "group", "members", group_id, "--json");
  g_assert_true (has_member (members, "alice", "Owner"));
  g_assert_true (has_member (members, "bob", "Member"));
  g_assert_true (has_member (members, "carol", "Member"));

  admin = run_json ("alice", 0, "group", "admin", group_id, "bob", "--json");
  members2 = run_json ("alice", 0, "group", "members", group_id, "--json");
  g_assert_true (has_member (members2, "bob", "Admin"));

  sent = run_json ("alice", 0, "send", conversation, "--text", "hi team", "--json");
  g_assert_cmpstr (obj_string (obj (sent), "status"), ==, "success");
  history = run_json ("carol", 0, "history", conversation, "--json");
  g_assert_nonnull (find_message (history, obj_string (obj (sent), "id")));

  /* Mute-all, the owner's and admins' to set: a plain member cannot post meanwhile. */
  muted = run_json ("alice", 0, "group", "profile", group_id, "--mute-all", "on", "--json");
  silenced = run_json ("carol", 1, "send", conversation, "--text", "may I?", "--json");
  g_assert_cmpint (obj_int (obj (silenced), "code"), ==, TIM_ERROR_GROUP_MUTED);
  bad_switch = run_json ("alice", 1, "group", "profile", group_id, "--mute-all", "maybe", "--json");
  g_assert_cmpint (obj_int (obj (bad_switch), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  unmuted = run_json ("alice", 0, "group", "profile", group_id, "--mute-all", "off", "--json");

  /* carol muted: her send is refused until she is unmuted; SECONDS must be a number. */
  {
    g_autoptr (JsonNode) muting =
        run_json ("alice", 0, "group", "mute", group_id, "carol", "600", "--json");
    g_autoptr (JsonNode) hushed =
        run_json ("carol", 1, "send", conversation, "--text", "hm", "--json");
    g_autoptr (JsonNode) unmuting =
        run_json ("alice", 0, "group", "mute", group_id, "carol", "0", "--json");
    g_autoptr (JsonNode) spoke =
        run_json ("carol", 0, "send", conversation, "--text", "ok", "--json");
    g_autoptr (JsonNode) bad_seconds =
        run_json ("alice", 1, "group", "mute", group_id, "carol", "soon", "--json");

    g_assert_cmpint (obj_int (obj (hushed), "code"), ==, TIM_ERROR_GROUP_MUTED);
    g_assert_cmpstr (obj_string (obj (spoke), "status"), ==, "success");
    g_assert_cmpint (obj_int (obj (bad_seconds), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  }

  /* carol's name in the group: on her next message, in bob's history. Too long is refused. */
  {
    g_autoptr (JsonNode) carded = run_json ("carol", 0, "group", "card", group_id, "Cee", "--json");
    g_autoptr (JsonNode) too_long =
        run_json ("carol", 1, "group", "card", group_id,
                  "012345678901234567890123456789012345678901234567890", "--json");
    g_autoptr (JsonNode) signed_message =
        run_json ("carol", 0, "send", conversation, "--text", "signed", "--json");
    g_autoptr (JsonNode) seen_by_bob = run_json ("bob", 0, "history", conversation, "--json");
    JsonObject *message = find_message (seen_by_bob, obj_string (obj (signed_message), "id"));

    g_assert_cmpint (obj_int (obj (too_long), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_nonnull (message);
    g_assert_cmpstr (obj_string (message, "nameCard"), ==, "Cee");
  }

  /* Mentions: the message lists them (atUserList); bob's conversation is marked @me and @all
   * (groupAtType 3) until he reads it. */
  {
    g_autoptr (JsonNode) mentioning =
        run_json ("alice", 0, "send", conversation, "--text", "@bob and everyone", "--at", "bob",
                  "--at-all", "--json");
    g_autoptr (JsonNode) bob_history = run_json ("bob", 0, "history", conversation, "--json");
    g_autoptr (JsonNode) marked = run_json ("bob", 0, "conversations", "--json");
    g_autoptr (JsonNode) read = run_json ("bob", 0, "read", conversation, "--json");
    g_autoptr (JsonNode) unmarked = run_json ("bob", 0, "conversations", "--json");
    JsonObject *got = find_message (bob_history, obj_string (obj (mentioning), "id"));
    JsonArray *at_users = json_object_get_array_member (obj (mentioning), "atUserList");

    g_assert_cmpuint (json_array_get_length (at_users), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (at_users, 0), ==, "bob");
    g_assert_cmpstr (json_array_get_string_element (at_users, 1), ==, "__kImSDK_MesssageAtALL__");
    g_assert_nonnull (got);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (got, "atUserList")), ==,
                      2);
    g_assert_cmpint (obj_int (find_message (marked, conversation), "groupAtType"), ==, 3);
    g_assert_cmpint (obj_int (find_message (unmarked, conversation), "groupAtType"), ==, 0);
  }

  before_quit = run_json ("carol", 0, "conversations", "--json");
  g_assert_nonnull (find_message (before_quit, conversation));
  quit = run_json ("carol", 0, "group", "quit", group_id, "--json");
  /* Gone from carol's list too, here and on the server. */
  after_quit = run_json ("carol", 0, "conversations", "--json");
  g_assert_null (find_message (after_quit, conversation));
  members3 = run_json ("alice", 0, "group", "members", group_id, "--json");
  g_assert_false (has_member (members3, "carol", NULL));
  g_assert_true (has_member (members3, "bob", "Admin"));

  /* Human output of members: one "user<TAB>role" line each. */
  g_assert_cmpint (run_cli ("alice", &human, NULL, "group", "members", group_id, NULL), ==, 0);
  g_assert_nonnull (strstr (human, "alice\tOwner"));

  /* bob, a member of this Private group, renames it; alice's profile of it has the new name.
   * An empty name is refused with the TIM code before anything is sent. */
  renamed = run_json ("bob", 0, "group", "profile", group_id, "--name", "Team B", "--introduction",
                      "We ship", "--json");
  seen = run_json ("alice", 0, "profile", conversation, "--json");
  g_assert_cmpstr (obj_string (obj (seen), "name"), ==, "Team B");
  refused = run_json ("bob", 1, "group", "profile", group_id, "--name", "", "--json");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  /* --picture uploads the file: the group's picture is the upload's 198 px version. */
  {
    g_autofree char *path = g_build_filename (data_dir, "team.png", NULL);
    g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 300);
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) pictured = NULL;
    g_autoptr (JsonNode) with_picture = NULL;

    gdk_pixbuf_fill (pixbuf, 0x33d17aff);
    g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
    pictured = run_json ("bob", 0, "group", "profile", group_id, "--picture", path, "--json");
    with_picture = run_json ("alice", 0, "profile", conversation, "--json");
    g_assert_nonnull (strstr (obj_string (obj (with_picture), "avatar"), "/files/"));
  }
  /* A picture file that is not there is no network failure (2800): 2108, naming it. */
  {
    g_autoptr (JsonNode) missing = run_json ("bob", 1, "group", "profile", group_id, "--picture",
                                             "/no/such/team.png", "--json");

    g_assert_cmpint (obj_int (obj (missing), "code"), ==, TIM_ERROR_FILE_EMPTY);
    g_assert_nonnull (strstr (obj_string (obj (missing), "message"), "/no/such/team.png"));
  }

  /* Handed over to bob and back: not to oneself, and only by the owner. */
  {
    g_autoptr (JsonNode) to_self =
        run_json ("alice", 1, "group", "owner", group_id, "alice", "--json");
    g_autoptr (JsonNode) handed =
        run_json ("alice", 0, "group", "owner", group_id, "bob", "--json");
    g_autoptr (JsonNode) owned_by_bob =
        run_json ("alice", 0, "group", "members", group_id, "--json");
    g_autoptr (JsonNode) not_hers =
        run_json ("alice", 1, "group", "owner", group_id, "bob", "--json");
    g_autoptr (JsonNode) back = run_json ("bob", 0, "group", "owner", group_id, "alice", "--json");

    g_assert_cmpint (obj_int (obj (to_self), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_true (has_member (owned_by_bob, "bob", "Owner"));
    g_assert_true (has_member (owned_by_bob, "alice", "Member"));
    g_assert_cmpint (obj_int (obj (not_hers), "code"), ==, TIM_ERROR_GROUP_PERMISSION);
  }

  dismissed = run_json ("alice", 0, "group", "dismiss", group_id, "--json");
  after = run_json ("alice", 1, "group", "members", group_id, "--json");
  g_assert_cmpint (obj_int (obj (after), "code"), ==, 10010);
}

/* The ID of the newest application notice about group in history (a JSON array), or NULL. */
static const char *
application_in (JsonNode *history, const char *group_id)
{
  JsonArray *list =
      history != NULL && JSON_NODE_HOLDS_ARRAY (history) ? json_node_get_array (history) : NULL;
  const char *found = NULL;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);

      if (obj_int (item, "payload.operationType") == 1 &&
          g_strcmp0 (obj_string (item, "payload.groupProfile.groupID"), group_id) == 0)
        found = obj_string (item, "id");
    }
  return found;
}

/* group search, join (at once, or an application) and answer (from the notice, once). */
static void
test_group_join (void)
{
  g_autoptr (JsonNode) created =
      run_json ("jo", 0, "group", "create", "Open", "--type", "Public", "--json");
  g_autoptr (JsonNode) meeting =
      run_json ("jo", 0, "group", "create", "Room", "--type", "ChatRoom", "--json");
  const char *group_id = obj_string (obj (created), "GroupId");
  g_autoptr (JsonNode) found = NULL, asked = NULL, history = NULL, answered = NULL;
  g_autoptr (JsonNode) members = NULL, again = NULL, twice = NULL, too_long = NULL;
  g_autoptr (JsonNode) pending = NULL, none = NULL;
  g_autofree char *line = NULL, *expected = NULL;
  g_autofree char *long_words = g_strnfill (301, 'w');
  JsonArray *waiting;
  const char *notice;

  g_assert_nonnull (group_id);
  found = run_json ("kai", 0, "group", "search", group_id, "--json");
  g_assert_cmpstr (obj_string (obj (found), "name"), ==, "Open");
  g_assert_cmpstr (obj_string (obj (found), "joinOption"), ==, "NeedPermission");
  g_assert_cmpint (obj_int (obj (found), "memberCount"), ==, 1);
  g_assert_cmpint (run_cli ("kai", &line, NULL, "group", "search", group_id, NULL), ==, 0);
  g_assert_cmpstr (line, ==, "Open (Public, 1 member, NeedPermission)\n");
  g_clear_pointer (&line, g_free);

  asked = run_json ("kai", 0, "group", "join", group_id, "--message", "hi jo", "--json");
  g_assert_cmpstr (obj_string (obj (asked), "status"), ==, "WaitAdminApproval");
  history = run_json ("jo", 0, "history", "@TIM#SYSTEM", "--json");
  notice = application_in (history, group_id);
  g_assert_nonnull (notice);
  answered = run_json ("jo", 0, "group", "answer", notice, "--json");
  members = run_json ("jo", 0, "group", "members", group_id, "--json");
  g_assert_true (has_member (members, "kai", "Member"));
  again = run_json ("kai", 0, "group", "join", group_id, "--json");
  g_assert_cmpstr (obj_string (obj (again), "status"), ==, "AlreadyInGroup");
  twice = run_json ("jo", 1, "group", "answer", notice, "--refuse", "--json");
  g_assert_cmpint (obj_int (obj (twice), "code"), ==, 10024);

  g_assert_cmpint (
      run_cli ("kai", &line, NULL, "group", "join", obj_string (obj (meeting), "GroupId"), NULL),
      ==, 0);
  g_assert_true (g_str_has_prefix (line, "Joined "));
  g_clear_pointer (&line, g_free);
  too_long = run_json ("lu", 1, "group", "join", group_id, "--message", long_words, "--json");
  g_assert_cmpint (obj_int (obj (too_long), "code"), ==, TIM_ERROR_INVALID_PARAMETER);

  /* lu's application, listed and refused from the list. */
  json_node_unref (run_json ("lu", 0, "group", "join", group_id, "--message", "lu here", "--json"));
  pending = run_json ("jo", 0, "group", "requests", "--json");
  waiting = json_object_get_array_member (obj (pending), "applications");
  g_assert_cmpuint (json_array_get_length (waiting), ==, 1);
  g_assert_cmpstr (obj_string (json_array_get_object_element (waiting, 0), "applicant"), ==, "lu");
  g_assert_cmpstr (obj_string (json_array_get_object_element (waiting, 0), "message"), ==,
                   "lu here");
  g_assert_cmpstr (obj_string (json_array_get_object_element (waiting, 0), "groupName"), ==,
                   "Open");
  g_assert_cmpint (run_cli ("jo", &line, NULL, "group", "requests", NULL), ==, 0);
  expected = g_strdup_printf ("lu asks to join %s (Open): “lu here”\n", group_id);
  g_assert_cmpstr (line, ==, expected);
  g_clear_pointer (&line, g_free);
  json_node_unref (run_json ("jo", 0, "group", "answer", group_id, "lu", "--refuse", "--reason",
                             "not today", "--json"));
  members = (json_node_unref (members), run_json ("jo", 0, "group", "members", group_id, "--json"));
  g_assert_false (has_member (members, "lu", NULL));
  g_assert_cmpint (run_cli ("jo", &line, NULL, "group", "requests", NULL), ==, 0);
  g_assert_cmpstr (line, ==, "No application waits for an answer.\n");
  none = run_json ("jo", 1, "group", "answer", group_id, "lu", "--json");
  g_assert_cmpint (obj_int (obj (none), "code"), ==, TIM_ERROR_GROUP_REQUEST_HANDLED);
}

/* group remove, the human output of create and of the others, tips and notices in the history,
 * and what a wrong group command says (nothing is sent for it). */
static void
test_group_remove_and_usage (void)
{
  g_autofree char *created = NULL;
  g_autofree char *done = NULL;
  g_autoptr (JsonNode) removed = NULL;
  g_autoptr (JsonNode) members = NULL;
  g_autoptr (JsonNode) unknown = NULL;
  g_autoptr (JsonNode) short_of_args = NULL;
  g_autoptr (JsonNode) bad_id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *conversation = NULL;
  g_autofree char *tips = NULL;
  g_autofree char *notices = NULL;
  g_autofree char *listed = NULL;
  g_autoptr (JsonNode) undeletable = NULL;
  g_autoptr (JsonNode) unpinnable = NULL;
  g_autoptr (JsonNode) no_account = NULL;
  g_autoptr (JsonNode) not_member = NULL;

  g_assert_cmpint (run_cli ("alice", &created, NULL, "group", "create", "Crew", "--member", "bob",
                            "--member", "carol", NULL),
                   ==, 0);
  g_strchomp (created);
  g_assert_true (g_str_has_prefix (created, "@TGS#"));
  removed = run_json ("alice", 0, "group", "remove", created, "carol", "--json");
  members = run_json ("alice", 0, "group", "members", created, "--json");
  g_assert_true (has_member (members, "bob", NULL));
  g_assert_false (has_member (members, "carol", NULL));
  g_assert_cmpint (run_cli ("alice", &done, NULL, "group", "add", created, "carol", NULL), ==, 0);
  expected = g_strdup_printf ("Done: group add %s.\n", created);
  g_assert_cmpstr (done, ==, expected);
  /* Who was not added, and why. */
  g_clear_pointer (&done, g_free);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (
      run_cli ("alice", &done, NULL, "group", "add", created, "bob", "nobody-here", NULL), ==, 0);
  expected = g_strdup_printf ("Done: group add %s.\nNot added: bob (a member already), "
                              "nobody-here (no such account)\n",
                              created);
  g_assert_cmpstr (done, ==, expected);

  /* Tips and notices in words, to the one they are about; the notices' conversation has a
   * history and can be marked read, but not deleted. Carol, back in a Work group, reads it from
   * her new join on: her removal came before (tim-rest-facts.md §5.0). */
  conversation = g_strdup_printf ("GROUP%s", created);
  g_assert_cmpint (run_cli ("carol", &tips, NULL, "history", conversation, NULL), ==, 0);
  g_assert_null (strstr (tips, "You were removed from the group by alice"));
  g_assert_nonnull (strstr (tips, "alice added you to the group"));
  g_assert_cmpint (run_cli ("carol", &notices, NULL, "history", "@TIM#SYSTEM", NULL), ==, 0);
  g_assert_nonnull (strstr (notices, "Crew: alice added you to the group"));
  g_assert_cmpint (run_cli ("carol", &listed, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (listed, "Crew: alice added you to the group"));
  g_assert_null (strstr (listed, "[Group System Message]"));
  g_assert_cmpint (run_cli ("carol", NULL, NULL, "read", "@TIM#SYSTEM", NULL), ==, 0);
  undeletable = run_json ("carol", 1, "delete", "@TIM#SYSTEM", "--json");
  g_assert_cmpint (obj_int (obj (undeletable), "code"), ==, TIM_ERROR_INVALID_CONVERSATION_ID);
  unpinnable = run_json ("carol", 1, "pin", "@TIM#SYSTEM", "--json");
  g_assert_cmpint (obj_int (obj (unpinnable), "code"), ==, TIM_ERROR_INVALID_CONVERSATION_ID);

  unknown = run_json ("alice", 1, "group", "frobnicate", created, "--json");
  g_assert_cmpint (obj_int (obj (unknown), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (unknown), "message"), ==,
                   "Unknown group subcommand “frobnicate”");
  short_of_args = run_json ("alice", 1, "group", "remove", created, "--json");
  g_assert_cmpint (obj_int (obj (short_of_args), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_true (g_str_has_prefix (obj_string (obj (short_of_args), "message"),
                                   "Usage: timchat-cli group remove"));
  /* Someone who is not there, as the server says it: no such account, or not a member. */
  no_account = run_json ("alice", 1, "group", "admin", created, "nobody-here", "--json");
  g_assert_cmpint (obj_int (obj (no_account), "code"), ==, 10019);
  g_assert_cmpstr (obj_string (obj (no_account), "message"), ==,
                   "The account \"nobody-here\" does not exist");
  not_member = run_json ("alice", 1, "group", "admin", created, "dave", "--json");
  g_assert_cmpint (obj_int (obj (not_member), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (not_member), "message"), ==,
                   "dave is not a member of the group");
  bad_id = run_json ("alice", 1, "group", "members", "no group here", "--json");
  g_assert_cmpint (obj_int (obj (bad_id), "code"), ==, TIM_ERROR_GROUP_INVALID_ID);
}

/* group and folders take their options anywhere, before the subcommand too, as every other
 * command does; an option's value is never taken for the subcommand. */
static void
test_options_before_subcommand (void)
{
  g_autoptr (JsonNode) created = run_json ("alice", 0, "group", "--member", "bob", "--json",
                                           "--type", "Public", "create", "Early");
  const char *group_id = obj_string (obj (created), "GroupId");
  g_autoptr (JsonNode) members = NULL, none = NULL, unknown = NULL, made = NULL, gone = NULL;
  g_autofree char *lines = NULL;

  g_assert_nonnull (group_id);
  if (group_id == NULL)
    return;
  members = run_json ("alice", 0, "group", "--user", "alice", "--json", "members", group_id);
  g_assert_cmpstr (obj_string (obj (members), "MemberList.0.Member_Account"), ==, "alice");
  g_assert_cmpstr (obj_string (obj (members), "MemberList.1.Member_Account"), ==, "bob");
  g_assert_cmpint (
      run_cli ("alice", &lines, NULL, "group", "--user", "alice", "members", group_id, NULL), ==,
      0);
  g_assert_cmpstr (lines, ==, "alice\tOwner\nbob\tMember\n");
  unknown = run_json ("alice", 1, "group", "--json", "frobnicate", group_id);
  g_assert_cmpstr (obj_string (obj (unknown), "message"), ==,
                   "Unknown group subcommand “frobnicate”");
  none = run_json ("alice", 1, "group", "--json");
  g_assert_cmpint (obj_int (obj (none), "code"), ==, TIM_ERROR_INVALID_PARAMETER);

  made = run_json ("dave", 0, "folders", "--json", "create", "Early");
  g_assert_cmpstr (obj_string (obj (made), "folders.0.name"), ==, "Early");
  gone = run_json ("dave", 0, "folders", "--user", "dave", "--json", "delete", "Early");
  g_assert_null (obj_string (obj (gone), "folders.0.name"));
  json_node_unref (run_json ("alice", 0, "group", "--json", "dismiss", group_id));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
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

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/not-utf8", test_not_utf8);
  g_test_add_func ("/cli/c-locale", test_c_locale);
  g_test_add_func ("/cli/missing-credentials", test_missing_credentials);
  g_test_add_func ("/cli/login-keyring", test_login_keyring);
  g_test_add_func ("/cli/send-text-history", test_send_text_and_history);
  g_test_add_func ("/cli/json-as-a-value", test_json_as_a_value);
  g_test_add_func ("/cli/history-all-pages", test_history_all_pages);
  g_test_add_func ("/cli/custom-and-face", test_custom_and_face);
  g_test_add_func ("/cli/send-file", test_send_file);
  g_test_add_func ("/cli/send-image", test_send_image);
  g_test_add_func ("/cli/revoke", test_revoke);
  g_test_add_func ("/cli/edit", test_edit);
  g_test_add_func ("/cli/reply", test_reply);
  g_test_add_func ("/cli/search", test_search);
  g_test_add_func ("/cli/forward", test_forward);
  g_test_add_func ("/cli/forward-merged", test_forward_merged);
  g_test_add_func ("/cli/delete-message", test_delete_message);
  g_test_add_func ("/cli/clear-history", test_clear_history);
  g_test_add_func ("/cli/draft", test_draft);
  g_test_add_func ("/cli/blocklist", test_blocklist);
  g_test_add_func ("/cli/send-to-nobody", test_send_to_nobody);
  g_test_add_func ("/cli/marks", test_marks);
  g_test_add_func ("/cli/read-and-delete", test_read_and_delete);
  g_test_add_func ("/cli/me", test_me);
  g_test_add_func ("/cli/watch", test_watch);
  g_test_add_func ("/cli/output-errors", test_output_errors);
  g_test_add_func ("/cli/watch-output-closed-at-login", test_watch_output_closed_at_login);
  g_test_add_func ("/cli/watch-signal-during-login", test_watch_signal_during_login);
  g_test_add_func ("/cli/send-queued-on-timeout", test_send_queued_on_timeout);
  g_test_add_func ("/cli/queued-sent-by-next-command", test_queued_sent_by_next_command);
  g_test_add_func ("/cli/status", test_status);
  g_test_add_func ("/cli/watch-kicked-out", test_watch_kicked_out);
  g_test_add_func ("/cli/watch-profile", test_watch_profile);
  g_test_add_func ("/cli/watch-follow", test_watch_follow);
  g_test_add_func ("/cli/group", test_group);
  g_test_add_func ("/cli/group-remove-and-usage", test_group_remove_and_usage);
  g_test_add_func ("/cli/group-join", test_group_join);
  g_test_add_func ("/cli/folders", test_folders);
  g_test_add_func ("/cli/options-before-subcommand", test_options_before_subcommand);
  g_test_add_func ("/cli/timeout-one-second", test_timeout_one_second);
  status = g_test_run ();

  timchat_fixture_free (fixture);
  timchat_test_remove_tree (data_dir);
  g_free (data_dir);
  return status;
}
