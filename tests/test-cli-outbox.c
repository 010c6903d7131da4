/* test-cli-outbox.c: timchat-cli end to end, the messages left in libtim's outbox: a send given
 * up on while still queued (exit status 3), sent by the next command of the user, whatever it is,
 * once. Split from test-cli-watch.c; runs the built binary against its own server under
 * run-with-keyring.sh. */
#define G_LOG_DOMAIN "test-cli-outbox"

#include "config.h"

#include <signal.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <string.h>

#include "tim-error.h"
#include "test-cli-common.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

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

/* A watch that ends by itself (its reader gone, nobody it can --follow) exits at once, however
 * much of an earlier command's message is still to be sent: it sent it while it ran, and what is
 * left stays queued. It waited up to --timeout more for the outbox, as a short command does, so
 * `watch | head -1` hung on, and a SIGTERM meanwhile killed it (no handler any more) instead of
 * ending it with its status. The next command sends the message, once. */
static void
test_watch_end_leaves_outbox (void)
{
  g_autofree char *path = g_build_filename (data_dir, "queued-watch.bin", NULL);
  g_autofree char *id = send_until_queued (path);
  g_autofree char *out = NULL;
  GPid server = timchat_test_find_server_pid ();

  for (guint end = 0; end < 2; end++)
    {
      g_autoptr (GSubprocessLauncher) launcher =
          launcher_new ("alice", TRUE, G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr (GDataInputStream) err = NULL;
      g_autoptr (GSubprocess) watch = NULL;
      g_autoptr (GError) error = NULL;
      gboolean waited = FALSE;
      char *line;
      int fds[2];

      /* 0: nobody to follow; 1: a reader gone before the first event (`watch | true`). */
      g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
      g_assert_no_error (error);
      if (end == 1)
        g_close (fds[0], NULL);
      g_subprocess_launcher_take_stdout_fd (launcher, fds[1]);
      watch = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "watch",
                                           "--json", "--timeout", "60",
                                           end == 0 ? "--follow" : NULL, "no-such-user-here", NULL);
      g_assert_no_error (error);
      err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (watch));
      /* Until its stderr ends (it exited): when it says it waits, the upload is held up (the
       * server stopped) and SIGTERM comes, as to a watch that hangs on. */
      while ((line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, NULL)) != NULL)
        {
          g_test_message ("watch %u: %s", end, line);
          if (strstr (line, "waiting up to") != NULL && !waited)
            {
              waited = TRUE;
              g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
              g_subprocess_send_signal (watch, SIGTERM);
            }
          g_free (line);
        }
      g_assert_true (wait_exit (watch, 10000));
      if (waited)
        g_assert_cmpint (kill (server, SIGCONT), ==, 0);
      g_assert_false (waited);
      g_assert_true (g_subprocess_get_if_exited (watch));
      if (g_subprocess_get_if_exited (watch))
        g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 1);
      if (end == 0)
        g_close (fds[0], NULL);
    }
  /* Not lost: the next command sends it, once. */
  g_assert_cmpint (
      run_cli ("alice", &out, NULL, "history", "C2Cbob", "--timeout", "30", "--json", NULL), ==, 0);
  g_assert_cmpuint (copies_for_bob ("queued-watch.bin"), ==, 1);
  g_remove (path);
}

int
main (int argc, char **argv)
{
  test_cli_init (&argc, &argv);
  g_test_add_func ("/cli/send-queued-on-timeout", test_send_queued_on_timeout);
  g_test_add_func ("/cli/queued-sent-by-next-command", test_queued_sent_by_next_command);
  g_test_add_func ("/cli/watch-end-leaves-outbox", test_watch_end_leaves_outbox);
  return test_cli_run ();
}
