/* test-server-command-line.c: timchat-server's own command line. `usersig USER` prints a
 * UserSig the running server accepts (and refuses once --expire has passed); wrong arguments,
 * an unusable data directory and a taken port each end with a plain message and an exit code,
 * never a crash and never a server on some other address. */
#define G_LOG_DOMAIN "test-server-command-line"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tim-error.h"
#include "tim-usersig.h"
#include "timchat-fixture.h"
#include "timchat-test-client.h"

typedef struct
{
  int status; /* the exit code; -1 if it did not exit normally */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs timchat-server with @argv (NULL-terminated, without the program) to its end. */
static void
run_server (Run *run, const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) full = NULL;
  g_autoptr (GSubprocess) process = NULL;

  g_strv_builder_add (builder, g_getenv ("TIMCHAT_SERVER"));
  g_strv_builder_addv (builder, (const char **) argv);
  full = g_strv_builder_end (builder);
  process =
      g_subprocess_newv ((const char *const *) full,
                         G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("exit %d, stderr: %s", run->status, run->err);
}

static gint64
login_code (TimchatFixture *f, const char *user, const char *usersig)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatTestClient) client = timchat_test_client_new (f, "/info", &error);
  g_autoptr (JsonObject) reply = NULL;

  g_assert_no_error (error);
  reply = timchat_test_client_login_with_sig (client, user, usersig, &error);
  g_assert_no_error (error);
  return timchat_test_json_get_int (reply, "ErrorCode");
}

static void
test_usersig (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  const char *dir = timchat_fixture_get_data_dir (f);
  g_auto (Run) day = { 0 };
  g_auto (Run) second = { 0 };

  run_server (&day, (const char *[]){ "usersig", "alice", "--data-dir", dir, NULL });
  g_assert_cmpint (day.status, ==, 0);
  g_strchomp (day.out);
  g_assert_cmpuint (strlen (day.out), >, 0);
  g_assert_cmpint (login_code (f, "alice", day.out), ==, 0);
  /* A UserSig names its user: it is no key to anybody else's account. */
  g_assert_cmpint (login_code (f, "bob", day.out), ==, TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH);

  run_server (&second,
              (const char *[]){ "usersig", "carol", "--expire", "1", "--data-dir", dir, NULL });
  g_assert_cmpint (second.status, ==, 0);
  g_strchomp (second.out);
  g_usleep (2100 * 1000);
  g_assert_cmpint (login_code (f, "carol", second.out), ==, TIM_ERROR_USERSIG_EXPIRED);
}

static gboolean
is_lower_hex (const char *text, gsize length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && !(*c >= 'a' && *c <= 'f'))
      return FALSE;
  return TRUE;
}

/* The secret a first start writes signs every UserSig: 256 bits, another for another server, and
 * only the owner may read the file. */
static char *
first_start_secret (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "timchat.conf", NULL);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_auto (Run) run = { 0 };
  GStatBuf info;
  char *secret;

  run_server (&run, (const char *[]){ "usersig", "alice", "--data-dir", dir, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  secret = g_key_file_get_string (file, "app", "secret", &error);
  g_assert_no_error (error);
  g_assert_true (is_lower_hex (secret, 64));
  return secret;
}

static void
test_first_start (void)
{
  g_autofree char *base = g_dir_make_tmp ("timchat-first-XXXXXX", NULL);
  g_autofree char *one = g_build_filename (base, "one", NULL);
  g_autofree char *two = g_build_filename (base, "two", NULL);
  g_autofree char *first = first_start_secret (one);
  g_autofree char *second = first_start_secret (two);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", base);

  g_assert_cmpstr (first, !=, second);
  g_assert_cmpint (system (command), ==, 0);
}

/* Two first starts on one fresh data directory at once (two TimChats trying the local server,
 * a `usersig` beside a server's start): one config is written, the other start reads it, so
 * both sign with the secret the file keeps. Each wrote its own, and the second replaced the
 * first's, whose UserSigs (and a server running with it) no later start accepted. */
static void
test_first_start_race (void)
{
  g_autofree char *base = g_dir_make_tmp ("timchat-first-XXXXXX", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", base);

  for (int round = 0; round < 20; round++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/%d", base, round);
      g_autofree char *path = g_build_filename (dir, "timchat.conf", NULL);
      g_autoptr (GKeyFile) file = g_key_file_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (GSubprocess) one = NULL;
      g_autoptr (GSubprocess) two = NULL;
      g_autofree char *out_one = NULL;
      g_autofree char *out_two = NULL;
      g_autofree char *secret = NULL;
      guint64 sdkappid;

      one = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("TIMCHAT_SERVER"),
                              "usersig", "alice", "--data-dir", dir, NULL);
      g_assert_no_error (error);
      two = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("TIMCHAT_SERVER"),
                              "usersig", "alice", "--data-dir", dir, NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (one, NULL, NULL, &out_one, NULL, &error));
      g_assert_true (g_subprocess_communicate_utf8 (two, NULL, NULL, &out_two, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (one));
      g_assert_true (g_subprocess_get_successful (two));

      g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
      g_assert_no_error (error);
      sdkappid = g_key_file_get_uint64 (file, "app", "sdkappid", NULL);
      secret = g_key_file_get_string (file, "app", "secret", NULL);
      g_assert_true (tim_usersig_verify (g_strchomp (out_one), sdkappid, secret, "alice",
                                         g_get_real_time () / G_USEC_PER_SEC, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (tim_usersig_verify (g_strchomp (out_two), sdkappid, secret, "alice",
                                         g_get_real_time () / G_USEC_PER_SEC, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (system (command), ==, 0);
}

static void
test_usersig_usage (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  g_auto (Run) no_user = { 0 };
  g_auto (Run) two_users = { 0 };

  run_server (&no_user, (const char *[]){ "usersig", "--data-dir", dir, NULL });
  g_assert_cmpint (no_user.status, ==, 2);
  g_assert_nonnull (strstr (no_user.err, "Usage: timchat-server usersig USER"));
  g_assert_cmpstr (no_user.out, ==, "");

  run_server (&two_users, (const char *[]){ "usersig", "alice", "bob", "--data-dir", dir, NULL });
  g_assert_cmpint (two_users.status, ==, 2);
  g_assert_cmpstr (two_users.out, ==, "");
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* timchat-server --data-dir dir args (at most 4) exits 2 at once, saying says on stderr and
 * nothing on stdout. */
static void
assert_refused (const char *dir, const char *const *args, const char *says)
{
  g_auto (Run) run = { 0 };
  const char *argv[8] = { "--data-dir", dir, NULL };

  for (int a = 0; a < 4 && args[a] != NULL; a++)
    argv[2 + a] = args[a];
  run_server (&run, argv);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, says));
  g_assert_cmpstr (run.out, ==, "");
}

/* `usersig` prints a UserSig only for what the server lets in: a user ID the server refuses
 * (wslogin: 70013) or a lifetime that is over before it starts (a negative TLS.expire does not
 * even verify) is said at once, rather than printed with exit 0 and refused at the first login. */
static void
test_usersig_bad_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  static const struct
  {
    const char *args[4];
    const char *says;
  } cases[] = {
    { { "usersig", "John Smith", NULL }, "\"John Smith\" is not a valid user ID" },
    { { "usersig", "", NULL }, "\"\" is not a valid user ID" },
    { { "usersig", "\xff\xfe", NULL }, "is not a valid user ID" },
    { { "usersig", "alice", "--expire=0", NULL }, "--expire wants seconds" },
    { { "usersig", "alice", "--expire=-60", NULL }, "--expire wants seconds" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (dir, cases[i].args, cases[i].says);
  /* Refused before the data directory is used: not even the first start's config. */
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Each of these is refused before anything is opened or listened on. */
static void
test_bad_arguments (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  static const struct
  {
    const char *args[4];
    const char *says;
  } cases[] = {
    { { "--listen", "localhost", NULL }, "--listen wants HOST:PORT, not \"localhost\"" },
    { { "--listen", "127.0.0.1:70000", NULL }, "--listen wants HOST:PORT" },
    { { "--listen", "127.0.0.1:http", NULL }, "--listen wants HOST:PORT" },
    { { "serve", NULL }, "unexpected argument \"serve\"" },
    { { "--tls-cert", "cert.pem", NULL }, "--tls-cert and --tls-key go together" },
    { { "--tls-key", "key.pem", NULL }, "--tls-cert and --tls-key go together" },
    { { "--exit-when-idle", "-1", NULL }, "--exit-when-idle wants seconds" },
    { { "--exit-when-idle", "soon", NULL }, "soon" },
    { { "--no-such-option", NULL }, "--no-such-option" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (dir, cases[i].args, cases[i].says);
  /* Nothing was written: not even the first start's config. */
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_unusable_data_dir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_auto (Run) serve = { 0 };
  g_auto (Run) usersig = { 0 };

  g_assert_true (g_file_set_contents (file, "not a directory", -1, NULL));
  run_server (&serve, (const char *[]){ "--data-dir", file, "--listen", "127.0.0.1:0", NULL });
  g_assert_cmpint (serve.status, ==, 1);
  g_assert_true (g_str_has_prefix (serve.err, "timchat-server: "));
  g_assert_null (strstr (serve.out, "listening"));

  run_server (&usersig, (const char *[]){ "usersig", "alice", "--data-dir", file, NULL });
  g_assert_cmpint (usersig.status, ==, 1);
  g_assert_true (g_str_has_prefix (usersig.err, "timchat-server: "));
  g_assert_cmpstr (usersig.out, ==, "");

  g_unlink (file);
  g_rmdir (dir);
}

/* A data directory where files/ (the uploads) cannot be made stops the start, naming it, as the
 * store does: the server listened and then failed every upload with HTTP 500. */
static void
test_unusable_files_dir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  g_autofree char *files = g_build_filename (dir, "files", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
  g_auto (Run) serve = { 0 };

  g_assert_true (g_file_set_contents (files, "not a directory", -1, NULL));
  run_server (&serve, (const char *[]){ "--data-dir", dir, "--listen", "127.0.0.1:0",
                                        "--exit-when-idle", "1", NULL });
  g_assert_cmpint (serve.status, ==, 1);
  g_assert_nonnull (strstr (serve.err, "timchat-server: Cannot create the uploads directory"));
  g_assert_nonnull (strstr (serve.err, files));
  g_assert_null (strstr (serve.out, "listening"));
  g_assert_cmpint (system (command), ==, 0);
}

/* Makes path read-only for this process, as a backup restored without write permission is:
 * its mode, and for root (whom the mode does not stop) the immutable attribute. FALSE if that
 * cannot be done here. */
static gboolean
make_read_only (const char *path)
{
  g_autofree char *command = g_strdup_printf ("chattr +i '%s' 2>/dev/null", path);

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  return geteuid () != 0 || system (command) == 0;
}

static void
make_writable (const char *path)
{
  g_autofree char *command = g_strdup_printf ("chattr -i '%s' 2>/dev/null", path);

  if (geteuid () == 0)
    g_assert_cmpint (system (command), ==, 0);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

/* A timchat.db the server cannot write (restored read-only) stops the start, naming the file,
 * with exit 1 and nothing left beside it. SQLite opened it read-only instead: the server said it
 * was listening, then that the disk had failed, and exited 75, which a supervisor answers by
 * starting it again, for ever; and it left a read-only WAL and shared memory file behind. */
static void
test_read_only_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "timchat.db", NULL);
  g_autofree char *wal_path = g_build_filename (dir, "timchat.db-wal", NULL);
  g_autofree char *shm_path = g_build_filename (dir, "timchat.db-shm", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
  const char *const serve[] = { "--data-dir",       dir, "--listen", "127.0.0.1:0",
                                "--exit-when-idle", "1", NULL };
  g_auto (Run) first = { 0 };
  g_auto (Run) refused = { 0 };
  g_auto (Run) again = { 0 };

  run_server (&first, serve);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_false (g_file_test (wal_path, G_FILE_TEST_EXISTS));
  if (!make_read_only (db_path))
    {
      make_writable (db_path);
      g_assert_cmpint (system (command), ==, 0);
      g_test_skip ("Cannot make a file read-only for root here (chattr +i)");
      return;
    }

  run_server (&refused, serve);
  make_writable (db_path);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "timchat-server: "));
  g_assert_nonnull (strstr (refused.err, db_path));
  g_assert_nonnull (strstr (refused.err, "read-only"));
  g_assert_null (strstr (refused.out, "listening"));
  g_assert_false (g_file_test (wal_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm_path, G_FILE_TEST_EXISTS));

  /* Writable again, it serves. */
  run_server (&again, serve);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "listening"));
  g_assert_cmpint (system (command), ==, 0);
}

/* A limit in timchat.conf that is not a number in range stops the start, naming the key, and
 * leaves the file as it was; one with spaces around it is read. Each of the bad ones used to be
 * replaced by the default in silence: "forever" (or -1, or 5000000000) for retention_days meant
 * the history was swept after 7 days. --exit-when-idle ends a server that starts anyway. */
static void
test_bad_config_value (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "timchat.conf", NULL);
  static const struct
  {
    const char *line;
    const char *says;
  } cases[] = {
    { "[limits]\nretention_days=forever\n", "[limits] retention_days wants a whole number" },
    { "[limits]\nretention_days=-1\n", "not \"-1\"" },
    { "[limits]\nretention_days=5000000000\n", "[limits] retention_days" },
    { "[limits]\nmax_frame_bytes=64k\n", "[limits] max_frame_bytes" },
    { "[store]\ndurable=yes\n", "[store] durable" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *conf =
          g_strconcat ("[app]\nsdkappid=1400000001\nsecret=s3cr3t\n", cases[i].line, NULL);
      g_autofree char *kept = NULL;
      g_auto (Run) run = { 0 };

      g_assert_true (g_file_set_contents (path, conf, -1, NULL));
      run_server (&run, (const char *[]){ "--data-dir", dir, "--listen", "127.0.0.1:0",
                                          "--exit-when-idle", "1", NULL });
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "timchat-server: "));
      g_assert_nonnull (strstr (run.err, path));
      g_assert_nonnull (strstr (run.err, cases[i].says));
      g_assert_null (strstr (run.out, "listening"));
      g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, conf);
    }

  {
    g_auto (Run) spaced = { 0 };

    g_assert_true (g_file_set_contents (
        path, "[app]\nsdkappid=1400000001\nsecret=s3cr3t\n[limits]\nretention_days = 30 \n", -1,
        NULL));
    run_server (&spaced, (const char *[]){ "--data-dir", dir, "--listen", "127.0.0.1:0",
                                           "--exit-when-idle", "1", NULL });
    g_assert_cmpint (spaced.status, ==, 0);
    g_assert_nonnull (strstr (spaced.out, "listening"));
  }
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (command), ==, 0);
  }
}

/* An SDKAppID in timchat.conf that is not a 32-bit number (the vendor's are; a UserSig says it)
 * stops the start and `usersig`, naming the key, as the limits do. "-1" was read as 2^64 - 1 and a
 * number past 64 bits as that too: the server listened, and `usersig` printed a UserSig, that no
 * login could ever use (its SDKAppID does not even verify), far from the typo. One with spaces
 * around it is read, where it was taken for none ("needs [app] sdkappid"). */
static void
test_bad_sdkappid (void)
{
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "timchat.conf", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
  static const char *const bad[] = { "-1", "18446744073709551615", "99999999999999999999",
                                     "4294967296", "14e8" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *conf = g_strdup_printf ("[app]\nsdkappid=%s\nsecret=s3cr3t\n", bad[i]);
      g_autofree char *says = g_strdup_printf ("[app] sdkappid wants a whole number from 0 to "
                                               "4294967295, not \"%s\"",
                                               bad[i]);
      g_auto (Run) serve = { 0 };
      g_auto (Run) usersig = { 0 };

      g_assert_true (g_file_set_contents (path, conf, -1, NULL));
      run_server (&serve, (const char *[]){ "--data-dir", dir, "--listen", "127.0.0.1:0",
                                            "--exit-when-idle", "1", NULL });
      g_assert_cmpint (serve.status, ==, 1);
      g_assert_nonnull (strstr (serve.err, path));
      g_assert_nonnull (strstr (serve.err, says));
      g_assert_null (strstr (serve.out, "listening"));

      run_server (&usersig, (const char *[]){ "usersig", "alice", "--data-dir", dir, NULL });
      g_assert_cmpint (usersig.status, ==, 1);
      g_assert_nonnull (strstr (usersig.err, says));
      g_assert_cmpstr (usersig.out, ==, "");
    }

  {
    g_autoptr (GError) error = NULL;
    g_auto (Run) spaced = { 0 };

    g_assert_true (
        g_file_set_contents (path, "[app]\nsdkappid = 1400000007 \nsecret=s3cr3t\n", -1, NULL));
    run_server (&spaced, (const char *[]){ "usersig", "alice", "--data-dir", dir, NULL });
    g_assert_cmpint (spaced.status, ==, 0);
    g_assert_true (tim_usersig_verify (g_strchomp (spaced.out), 1400000007, "s3cr3t", "alice",
                                       g_get_real_time () / G_USEC_PER_SEC, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (system (command), ==, 0);
}

/* A store that a newer timchat-server has migrated (an older one put back) is refused, naming
 * both versions, and left as it is: this server would write rows without what the newer
 * migrations keep, and the newer one, finding its version, would not migrate them again. */
static void
test_newer_store (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  const char *dir = timchat_fixture_get_data_dir (f);
  g_autofree char *db_path = g_build_filename (dir, "timchat.db", NULL);
  g_autofree char *usersig = timchat_fixture_usersig (f, "alice", 3600);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;
  g_auto (Run) run = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  g_assert_cmpint (login_code (f, "alice", usersig), ==, 0);
  timchat_fixture_stop (f);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (db_path, &before, &before_length, NULL));

  run_server (&run, (const char *[]){ "--data-dir", dir, "--listen", "127.0.0.1:0",
                                      "--exit-when-idle", "1", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "timchat-server: "));
  g_assert_nonnull (strstr (run.err, db_path));
  g_assert_nonnull (strstr (run.err, "storage version 999, newer than this timchat-server"));
  g_assert_null (strstr (run.out, "listening"));

  g_assert_true (g_file_get_contents (db_path, &after, &after_length, NULL));
  g_assert_cmpmem (after, after_length, before, before_length);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM accounts WHERE user_id = 'alice'",
                                       -1, &statement, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (statement, 0), ==, 1);
  sqlite3_finalize (statement);
  sqlite3_close (db);
}

/* A data directory whose timchat.conf is gone but whose timchat.db is there (the config deleted,
 * or left out of a restored backup) is refused, naming both and how to recover: a new config's
 * SDKAppID and secret would void every UserSig and stored login, and leave the store's accounts
 * under an SDKAppID nobody has. `usersig` too: its UserSig would be one no server accepted. */
static void
test_config_lost (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  const char *dir = timchat_fixture_get_data_dir (f);
  g_autofree char *conf = g_build_filename (dir, "timchat.conf", NULL);
  g_autofree char *db_path = g_build_filename (dir, "timchat.db", NULL);
  g_auto (Run) serve = { 0 };
  g_auto (Run) usersig = { 0 };

  timchat_fixture_stop (f);
  g_assert_cmpint (g_unlink (conf), ==, 0);
  run_server (&serve, (const char *[]){ "--data-dir", dir, "--listen", "127.0.0.1:0",
                                        "--exit-when-idle", "1", NULL });
  run_server (&usersig, (const char *[]){ "usersig", "alice", "--data-dir", dir, NULL });
  g_assert_cmpint (serve.status, ==, 1);
  g_assert_null (strstr (serve.out, "listening"));
  g_assert_cmpint (usersig.status, ==, 1);
  g_assert_cmpstr (usersig.out, ==, "");
  for (const char *const *err = (const char *const[]){ serve.err, usersig.err, NULL }; *err; err++)
    g_assert_true (g_str_has_prefix (*err, "timchat-server: ") && strstr (*err, conf) != NULL &&
                   strstr (*err, db_path) != NULL && strstr (*err, "restore") != NULL);
  g_assert_false (g_file_test (conf, G_FILE_TEST_EXISTS));
}

/* A second server on a port that is taken says so and exits; the first one is unharmed. */
static void
test_port_taken (void)
{
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("timchat-cmdline-XXXXXX", NULL);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", (guint) timchat_fixture_get_port (f));
  g_autofree char *usersig = timchat_fixture_usersig (f, "alice", 3600);
  g_auto (Run) second = { 0 };

  run_server (&second, (const char *[]){ "--data-dir", dir, "--listen", listen, NULL });
  g_assert_cmpint (second.status, ==, 1);
  g_assert_nonnull (strstr (second.err, "timchat-server: "));
  g_assert_nonnull (strstr (second.err, listen));
  g_assert_null (strstr (second.out, "listening"));
  g_assert_true (timchat_fixture_is_running (f));
  g_assert_cmpint (login_code (f, "alice", usersig), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/command-line/usersig", test_usersig);
  g_test_add_func ("/server/command-line/first-start", test_first_start);
  g_test_add_func ("/server/command-line/first-start-race", test_first_start_race);
  g_test_add_func ("/server/command-line/usersig-usage", test_usersig_usage);
  g_test_add_func ("/server/command-line/usersig-bad-input", test_usersig_bad_input);
  g_test_add_func ("/server/command-line/bad-arguments", test_bad_arguments);
  g_test_add_func ("/server/command-line/unusable-data-dir", test_unusable_data_dir);
  g_test_add_func ("/server/command-line/unusable-files-dir", test_unusable_files_dir);
  g_test_add_func ("/server/command-line/read-only-store", test_read_only_store);
  g_test_add_func ("/server/command-line/port-taken", test_port_taken);
  g_test_add_func ("/server/command-line/bad-config-value", test_bad_config_value);
  g_test_add_func ("/server/command-line/bad-sdkappid", test_bad_sdkappid);
  g_test_add_func ("/server/command-line/newer-store", test_newer_store);
  g_test_add_func ("/server/command-line/config-lost", test_config_lost);
  return g_test_run ();
}
