/* test-cli-login.c: timchat-cli end to end, the credentials and the local store: missing or
 * wrong credentials, login into the real keyring, a failed first login and the stores beside
 * it. Split from test-cli-usage.c; runs the built binary against its own server under
 * run-with-keyring.sh. */
#define G_LOG_DOMAIN "test-cli-login"

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "tim-error.h"
#include "test-cli-common.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

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

/* A server at 127.0.0.1 that accepts connections and never answers: a login there waits for its
 * --timeout. */
static char *
silent_server_url (GSocketListener *listener)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_socket_listener_add_address (listener, any_port, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  return g_strdup_printf ("ws://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* bob's `conversations` on dir against that server, given up on after timeout seconds. */
static GSubprocess *
start_unanswered_login (const char *url, const char *dir, const char *timeout)
{
  g_autoptr (GSubprocessLauncher) launcher = launcher_new (
      "bob", TRUE, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GError) error = NULL;
  GSubprocess *bob =
      g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "conversations",
                                   "--server", url, "--timeout", timeout, "--data-dir", dir, NULL);

  g_assert_no_error (error);
  return bob;
}

static void
wait_failed (GSubprocess *process)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
}

/* libtim opens the store before the server answers: the CLI found it missing, and made it. */
static void
wait_dir (const char *dir)
{
  for (guint i = 0; i < 100 && !g_file_test (dir, G_FILE_TEST_IS_DIR); i++)
    g_usleep (50 * 1000);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
}

static char *
fresh_data_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *fresh = g_dir_make_tmp ("timchat-cli-fresh-XXXXXX", &error);

  g_assert_no_error (error);
  return fresh;
}

static char *
account_dir (const char *dir, const char *user)
{
  g_autofree char *appid =
      g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (fixture));

  return g_build_filename (dir, appid, user, NULL);
}

/* Two CLIs on a data directory used for the first time: bob's login that fails (a server that
 * accepts the connection and never answers) removed the DATA/SDKAPPID it had found missing, and
 * with it alice's store, made in there meanwhile by a login that worked: her draft, kept on this
 * device only, was gone. Bob's own store still goes. */
static void
test_failed_login_keeps_others_store (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = silent_server_url (listener);
  g_autofree char *fresh = fresh_data_dir ();
  g_autofree char *bob_dir = account_dir (fresh, "bob");
  g_autofree char *alice_dir = account_dir (fresh, "alice");
  g_autoptr (GSubprocess) bob = start_unanswered_login (url, fresh, "5");
  g_autoptr (JsonNode) kept = NULL;
  g_autoptr (JsonNode) after = NULL;

  wait_dir (bob_dir);
  kept = run_json ("alice", 0, "draft", "C2Cbob", "unsent words", "--data-dir", fresh, "--json");
  g_assert_cmpstr (obj_string (obj (kept), "draftText"), ==, "unsent words");
  wait_failed (bob);

  g_assert_false (g_file_test (bob_dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (alice_dir, G_FILE_TEST_IS_DIR));
  after = run_json ("alice", 0, "draft", "C2Cbob", "--data-dir", fresh, "--json");
  g_assert_cmpstr (obj_string (obj (after), "draftText"), ==, "unsent words");
  timchat_test_remove_tree (fresh);
}

/* The same with two CLIs of one user: the store bob's failed login made was taken up meanwhile by
 * another bob that logged in, and kept a draft there. The failed one removed it all the same. */
static void
test_failed_login_keeps_store_taken_up (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = silent_server_url (listener);
  g_autofree char *fresh = fresh_data_dir ();
  g_autofree char *bob_dir = account_dir (fresh, "bob");
  g_autoptr (GSubprocess) failing = start_unanswered_login (url, fresh, "3");
  g_autoptr (JsonNode) kept = NULL;
  g_autoptr (JsonNode) after = NULL;

  wait_dir (bob_dir);
  kept = run_json ("bob", 0, "draft", "C2Calice", "unsent words", "--data-dir", fresh, "--json");
  g_assert_cmpstr (obj_string (obj (kept), "draftText"), ==, "unsent words");
  wait_failed (failing);

  after = run_json ("bob", 0, "draft", "C2Calice", "--data-dir", fresh, "--json");
  g_assert_cmpstr (obj_string (obj (after), "draftText"), ==, "unsent words");
  timchat_test_remove_tree (fresh);
}

/* And while another bob, whose login has not been answered either, has it open: it is not taken
 * from under that one. */
static void
test_failed_login_keeps_store_in_use (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GSocketListener) second_listener = g_socket_listener_new ();
  g_autofree char *url = silent_server_url (listener);
  g_autofree char *second_url = silent_server_url (second_listener);
  g_autofree char *fresh = fresh_data_dir ();
  g_autofree char *bob_dir = account_dir (fresh, "bob");
  g_autofree char *db = g_build_filename (bob_dir, "local.db", NULL);
  g_autoptr (GSubprocess) failing = start_unanswered_login (url, fresh, "3");
  g_autoptr (GSubprocess) waiting = NULL;
  g_autoptr (GSocketConnection) second_connection = NULL;
  g_autoptr (GError) error = NULL;

  wait_dir (bob_dir);
  waiting = start_unanswered_login (second_url, fresh, "30");
  /* It connects once its store is open. */
  second_connection = g_socket_listener_accept (second_listener, NULL, NULL, &error);
  g_assert_no_error (error);
  wait_failed (failing);

  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  g_subprocess_force_exit (waiting);
  g_assert_true (g_subprocess_wait (waiting, NULL, NULL));
  timchat_test_remove_tree (fresh);
}

int
main (int argc, char **argv)
{
  test_cli_init (&argc, &argv);
  g_test_add_func ("/cli/missing-credentials", test_missing_credentials);
  g_test_add_func ("/cli/login-keyring", test_login_keyring);
  g_test_add_func ("/cli/failed-login-keeps-others-store", test_failed_login_keeps_others_store);
  g_test_add_func ("/cli/failed-login-keeps-store-taken-up",
                   test_failed_login_keeps_store_taken_up);
  g_test_add_func ("/cli/failed-login-keeps-store-in-use", test_failed_login_keeps_store_in_use);
  return test_cli_run ();
}
