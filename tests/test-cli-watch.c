/* test-cli-watch.c: timchat-cli end to end, watch and its events (messages, recalls, reads,
 * deletions, the blocklist, statuses, --follow, one's profile, a kick), status, output that cannot
 * be written, signals during login (a send given up on while still queued: test-cli-outbox.c).
 * Separate from the other test-cli-*.c (split from test-cli.c by what they exercise) to keep each
 * program small; each runs the built binary against its own server under run-with-keyring.sh. */
#define G_LOG_DOMAIN "test-cli-watch"

#include "config.h"

#include <signal.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <string.h>

#include "tim-error.h"
#include "test-cli-common.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

/* ---------------------------------------------------------------- watch */

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

int
main (int argc, char **argv)
{
  test_cli_init (&argc, &argv);
  /* /cli/output-errors first: its send makes alice a peer in bob's list, which /cli/watch needs
   * to hear her come online (in test-cli.c the message tests before it had done so). */
  g_test_add_func ("/cli/output-errors", test_output_errors);
  g_test_add_func ("/cli/watch", test_watch);
  g_test_add_func ("/cli/watch-output-closed-at-login", test_watch_output_closed_at_login);
  g_test_add_func ("/cli/watch-signal-during-login", test_watch_signal_during_login);
  g_test_add_func ("/cli/status", test_status);
  g_test_add_func ("/cli/watch-kicked-out", test_watch_kicked_out);
  g_test_add_func ("/cli/watch-profile", test_watch_profile);
  g_test_add_func ("/cli/watch-follow", test_watch_follow);
  return test_cli_run ();
}
