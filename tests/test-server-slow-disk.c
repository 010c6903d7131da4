/* test-server-slow-disk.c: what waits for the disk. The real server runs with fdatasync () and
 * fsync () slowed to 400 ms (fixture/disk-faults.c, preloaded): a sendmsg, over the WebSocket or
 * over REST, is answered only once its message is synced; a request that wrote nothing is not
 * held back; SIGTERM answers what waits before it closes the connections; a REST client that
 * gives up while its answer waits costs the server nothing. */
#define G_LOG_DOMAIN "test-server-slow-disk"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define SLOW_SYNC_MS 400

static TimchatFixture *fixture;

static gint64
elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000;
}

static void
test_sends_wait_for_the_disk (void)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
  g_autoptr (TimchatTestClient) ben = timchat_test_connect (fixture, "ben");
  g_autoptr (JsonObject) ws_reply = NULL;
  g_autoptr (JsonObject) rest_reply = NULL;
  g_autoptr (JsonObject) alive = NULL;
  gint64 start;

  /* The WebSocket path (the control: it proves the disk is slow). */
  start = g_get_monotonic_time ();
  ws_reply = timchat_test_send_text (ann, "ben", "over the socket", 1, 101);
  g_assert_cmpint (timchat_test_json_get_int (ws_reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (elapsed_ms (start), >=, SLOW_SYNC_MS - 50);

  /* REST: the same command, and the same wait. */
  start = g_get_monotonic_time ();
  rest_reply = timchat_test_rest (fixture, "openim/sendmsg",
                                  "{\"From_Account\":\"ann\",\"To_Account\":\"ben\","
                                  "\"MsgRandom\":102,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                                  "\"MsgContent\":{\"Text\":\"over REST\"}}]}",
                                  NULL);
  g_assert_cmpint (timchat_test_json_get_int (rest_reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (elapsed_ms (start), >=, SLOW_SYNC_MS - 50);

  /* Nothing written, nothing to wait for. */
  start = g_get_monotonic_time ();
  alive = timchat_test_request_ok (ann, "heartbeat.alive", "{}");
  g_assert_cmpint (elapsed_ms (start), <, SLOW_SYNC_MS - 50);
  g_assert_nonnull (alive);

  /* Both arrived. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (JsonObject) push = timchat_test_wait_event (ben, "C2cMsgArray", 3000);

      g_assert_nonnull (push);
    }
}

/* Writes of one statement (a pin, a mark, a block, a mute, a profile, a deletion) wait for the
 * disk like a message: an acknowledged change survives a power cut. Each starts with the disk
 * idle, so that none rides on another's sync. */
static void
test_every_write_waits_for_the_disk (void)
{
  static const struct
  {
    const char *servcmd;
    const char *body;
  } writes[] = {
    { "recentcontact.top", "{\"From_Account\":\"cal\",\"OperationType\":1,"
                           "\"RecentContactItem\":[{\"Type\":1,\"To_Account\":\"dee\"}]}" },
    { "recentcontact.mark_contact",
      "{\"From_Account\":\"cal\",\"MarkItem\":[{\"OptType\":1,\"ContactItem\":{\"Type\":1,"
      "\"To_Account\":\"dee\"},\"SetMark\":[1]}]}" },
    { "openim.set_c2c_peer_mute_notifications",
      "{\"Peer_Account\":[\"dee\"],\"Mute_Notifications\":2}" },
    { "sns.black_list_add", "{\"To_Account\":[\"dee\"]}" },
    { "sns.black_list_delete", "{\"To_Account\":[\"dee\"]}" },
    { "profile.portrait_set", "{\"From_Account\":\"cal\",\"ProfileItem\":[{\"Tag\":"
                              "\"Tag_Profile_IM_Nick\",\"Value\":\"Cal\"}]}" },
    { "recentcontact.batch_delete",
      "{\"From_Account\":\"cal\",\"ContactItem\":[{\"To_Account\":\"dee\",\"Type\":1}]}" },
  };
  g_autoptr (TimchatTestClient) cal = timchat_test_connect (fixture, "cal");
  g_autoptr (TimchatTestClient) dee = timchat_test_connect (fixture, "dee");
  g_autoptr (JsonObject) sent = timchat_test_send_text (cal, "dee", "hello", 1, 201);

  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (writes); i++)
    {
      g_autoptr (JsonObject) reply = NULL;
      gint64 start;

      timchat_test_spin (SLOW_SYNC_MS + 100);
      start = g_get_monotonic_time ();
      reply = timchat_test_request_ok (cal, writes[i].servcmd, writes[i].body);
      g_test_message ("%s answered after %" G_GINT64_FORMAT " ms", writes[i].servcmd,
                      elapsed_ms (start));
      g_assert_nonnull (reply);
      g_assert_cmpint (elapsed_ms (start), >=, SLOW_SYNC_MS - 50);
    }
}

typedef struct
{
  SoupMessage *msg;
  GBytes *reply;
  GError *error;
  gboolean done;
} RestCall;

static void
on_rest_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RestCall *call = user_data;

  call->reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  call->done = TRUE;
}

static void
rest_call_start (RestCall *call, SoupSession *session, const char *path, const char *body,
                 GCancellable *cancellable)
{
  call->msg = timchat_test_rest_message (fixture, path, body, NULL);
  soup_session_send_and_read_async (session, call->msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_rest_done, call);
}

static void
rest_call_clear (RestCall *call)
{
  g_clear_object (&call->msg);
  g_clear_pointer (&call->reply, g_bytes_unref);
  g_clear_error (&call->error);
}

static void
assert_imported (const char *user)
{
  g_autofree char *body = g_strdup_printf ("{\"CheckItem\":[{\"UserID\":\"%s\"}]}", user);
  g_autoptr (JsonObject) check =
      timchat_test_rest (fixture, "im_open_login_svc/account_check", body, NULL);
  JsonArray *items = timchat_test_json_get_array (check, "ResultItem");

  g_assert_nonnull (items);
  g_assert_cmpstr (
      timchat_test_json_get_string (json_array_get_object_element (items, 0), "AccountStatus"), ==,
      "Imported");
}

/* The REST import is on its way to the disk when SIGTERM comes: it is answered OK before the
 * server closes, and is there after a restart. */
static void
test_sigterm_answers_first (void)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (JsonObject) reply = NULL;
  RestCall call = { 0 };

  rest_call_start (&call, session, "im_open_login_svc/account_import", "{\"UserID\":\"late\"}",
                   NULL);
  timchat_test_spin (100); /* the request is in, its sync is not done */
  g_assert_false (call.done);
  timchat_fixture_stop (fixture);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (call.error);
  reply = timchat_test_rest_parse_reply (call.msg, call.reply);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);

  timchat_fixture_restart (fixture);
  assert_imported ("late");
  rest_call_clear (&call);
}

/* The client hangs up while its answer waits for the disk: the write still happens, and the
 * server goes on. (libsoup only notices the closed connection when it writes the answer; a
 * connection the server itself closed first is the last test's case.) */
static void
test_rest_client_gone (void)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  RestCall call = { 0 };

  rest_call_start (&call, session, "im_open_login_svc/account_import", "{\"UserID\":\"gone\"}",
                   cancellable);
  timchat_test_spin (100);
  g_cancellable_cancel (cancellable);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  timchat_test_spin (2 * SLOW_SYNC_MS);

  g_assert_true (timchat_fixture_is_running (fixture));
  assert_imported ("gone");
  rest_call_clear (&call);
}

/* The size of the server's WAL file (0 while there is none). */
static gint64
wal_bytes (void)
{
  g_autofree char *path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db-wal", NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* Slower than the drain waits for (2 s): SIGTERM gives up on the answer, closes the connection
 * and still exits cleanly (it used to unpause the closed request later: a critical, fatal here).
 * SIGNAL_AGAIN: an admin (or a service manager) who signals again while the drain waits, SIGINT
 * then SIGTERM. The drain is bounded, so the signals change nothing: the server still closes
 * the database and exits 0. It used to die of the second one (SIGTERM's handler was gone, so
 * the default action killed it), which a service manager records as a crash.
 * SYNC_FAILS_AFTER_THE_DRAIN: the sync the drain gave up on fails as the server closes the
 * database. It exits 75 (EX_TEMPFAIL), as for a failed sync while it runs, for its supervisor to
 * start it again on what the disk holds; the failure used to be heard by nobody (exit 0). */
typedef enum
{
  SIGNAL_ONCE,
  SIGNAL_AGAIN,
  SYNC_FAILS_AFTER_THE_DRAIN,
} HangCase;

static void
test_sigterm_when_the_disk_hangs (gconstpointer data)
{
  HangCase hang_case = GPOINTER_TO_INT (data);
  g_autofree char *flags_dir = g_dir_make_tmp ("timchat-slow-disk-XXXXXX", NULL);
  g_autofree char *sync_fail_flag = g_build_filename (flags_dir, "sync-fails", NULL);
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *usersig = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  /* A new account each time: importing one again may write nothing, and there would be no sync
   * to hang. */
  g_autofree char *json = g_strdup_printf ("{\"UserID\":\"hung%d\"}", hang_case);
  g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));
  RestCall call = { 0 };
  gint64 start = g_get_monotonic_time ();

  if (timchat_fixture_is_running (fixture))
    timchat_fixture_stop (fixture);
  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", g_getenv ("TIMCHAT_DISK_FAULTS"), TRUE);
  g_subprocess_launcher_setenv (launcher, "TIMCHAT_SLOW_SYNC_MS", "3000", TRUE);
  g_subprocess_launcher_setenv (launcher, "TIMCHAT_SYNC_FAIL_FLAG", sync_fail_flag, TRUE);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_SERVER"), "--data-dir",
                                        timchat_fixture_get_data_dir (fixture), "--listen",
                                        "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  usersig = timchat_fixture_usersig (fixture, TIMCHAT_FIXTURE_ADMIN, 3600);
  escaped = g_uri_escape_string (usersig, NULL, FALSE);
  url = g_strdup_printf ("http://127.0.0.1:%s/v4/im_open_login_svc/account_import?sdkappid="
                         "%" G_GUINT64_FORMAT "&identifier=%s&usersig=%s",
                         strrchr (line, ':') + 1, timchat_fixture_get_sdkappid (fixture),
                         TIMCHAT_FIXTURE_ADMIN, escaped);
  call.msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (call.msg, "application/json", body);
  soup_session_send_and_read_async (session, call.msg, G_PRIORITY_DEFAULT, NULL, on_rest_done,
                                    &call);
  /* A fresh WAL's first commit syncs its header in the main thread (3 s here) before it writes
   * the frames; from then on, the sync thread's 3 s are under way. */
  while (wal_bytes () <= 32)
    {
      g_assert_cmpint (elapsed_ms (start), <, 10000);
      timchat_test_spin (20);
    }
  timchat_test_spin (100);
  g_assert_false (call.done);
  /* That sync fails when its 3 s are over, after the drain (2 s) gave up on it. */
  if (hang_case == SYNC_FAILS_AFTER_THE_DRAIN)
    g_assert_true (g_file_set_contents (sync_fail_flag, "", 0, NULL));
  g_subprocess_send_signal (server, SIGTERM);
  if (hang_case == SIGNAL_AGAIN)
    {
      timchat_test_spin (300); /* within the drain's 2 s, while the sync hangs */
      g_subprocess_send_signal (server, SIGINT);
      timchat_test_spin (300);
      g_subprocess_send_signal (server, SIGTERM);
    }
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (call.error); /* no answer: it was not known to be stored */
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  if (g_subprocess_get_if_signaled (server))
    g_test_message ("timchat-server died of signal %d", g_subprocess_get_term_sig (server));
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==,
                   hang_case == SYNC_FAILS_AFTER_THE_DRAIN ? 75 : 0);
  g_assert_false (g_file_test (sync_fail_flag, G_FILE_TEST_EXISTS)); /* no sync failed, or one */
  g_rmdir (flags_dir);
  rest_call_clear (&call);
}

int
main (int argc, char **argv)
{
  g_autofree char *delay = g_strdup_printf ("%d", SLOW_SYNC_MS);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("TIMCHAT_SLOW_SYNC_MS", delay, TRUE);
  fixture = timchat_test_start_on_bad_disk ();
  g_test_add_func ("/server/slow-disk/sends-wait-for-the-disk", test_sends_wait_for_the_disk);
  g_test_add_func ("/server/slow-disk/every-write-waits-for-the-disk",
                   test_every_write_waits_for_the_disk);
  g_test_add_func ("/server/slow-disk/rest-client-gone", test_rest_client_gone);
  g_test_add_func ("/server/slow-disk/sigterm-answers-first", test_sigterm_answers_first);
  g_test_add_data_func ("/server/slow-disk/sigterm-when-the-disk-hangs",
                        GINT_TO_POINTER (SIGNAL_ONCE), test_sigterm_when_the_disk_hangs);
  g_test_add_data_func ("/server/slow-disk/signals-again-while-draining",
                        GINT_TO_POINTER (SIGNAL_AGAIN), test_sigterm_when_the_disk_hangs);
  g_test_add_data_func ("/server/slow-disk/sync-fails-after-the-drain",
                        GINT_TO_POINTER (SYNC_FAILS_AFTER_THE_DRAIN),
                        test_sigterm_when_the_disk_hangs);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
