/* test-cli-usage.c: timchat-cli end to end, how it is called: --help, wrong input and usage
 * errors with their TIM codes, arguments that are not UTF-8, the C locale, the wording of
 * --timeout, options before a subcommand (the credentials: test-cli-login.c). Separate
 * from the other test-cli-*.c (split from test-cli.c by what they exercise) to keep each program
 * small; each runs the built binary against its own server under run-with-keyring.sh. */
#define G_LOG_DOMAIN "test-cli-usage"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "test-cli-common.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

/* ---------------------------------------------------------------- help, bad input */

static const char *const commands[] = { "login",
                                        "logout",
                                        "send",
                                        "history",
                                        "conversations",
                                        "profile",
                                        "me",
                                        "revoke",
                                        "read",
                                        "delete",
                                        "pin",
                                        "mute",
                                        "watch",
                                        "group",
                                        "forward",
                                        "edit",
                                        "delete-message",
                                        "search",
                                        "clear-history",
                                        "draft",
                                        "block",
                                        "unblock",
                                        "blocked",
                                        "mark",
                                        "status",
                                        "forward-merged",
                                        "open-merged",
                                        "folders",
                                        "custom-data",
                                        "--help",
                                        NULL };
static const char *const group[] = { "create",  "add",     "remove",  "admin", "quit",
                                     "dismiss", "members", "profile", "card",  "owner",
                                     "search",  "join",    "answer",  "mute",  NULL };

static void
test_help (void)
{
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

/* Runs timchat-cli ARGS... (NULL-terminated) with stdout on /dev/full; its exit status, and
 * whether stderr said the output was lost. */
static int
run_cli_to_full_disk (gboolean *said, const char *first, ...)
{
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new (NULL, FALSE, G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("TIMCHAT_CLI"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_test_message ("timchat-cli %s %s > /dev/full → %d\nstderr: %s", first,
                  argv->len > 3 ? (char *) argv->pdata[2] : "",
                  g_subprocess_get_exit_status (process), err);
  *said = err != NULL && strstr (err, "cannot write the output") != NULL;
  return g_subprocess_get_exit_status (process);
}

/* The help of a command or subcommand whatever options come before the request, and in every
 * way GLib's parser takes one (--help, -h, -?, --help-all). `group --user X -?` and `group
 * --user X --help-all` printed the usage as an error (status 1), as if no help had been asked
 * for, where `history -?` prints the help. An option's value that says --help is no request
 * (`send --text --help`), also before a subcommand: `group --user --help` named the user
 * "--help" and printed the help all the same. */
static void
test_help_after_options (void)
{
  for (const char *const *how = (const char *const[]){ "--help", "-h", "-?", "--help-all", NULL };
       *how != NULL; how++)
    {
      g_autofree char *out = NULL;
      g_autofree char *members = NULL;
      g_autofree char *folders = NULL;
      g_autofree char *send = NULL;

      g_assert_cmpint (run_cli (NULL, &out, NULL, "group", "--user", "X", *how, NULL), ==, 0);
      g_assert_nonnull (strstr (out, "Usage: timchat-cli group SUBCOMMAND"));
      g_assert_cmpint (
          run_cli (NULL, &members, NULL, "group", "--json", "-u", "X", "members", *how, NULL), ==,
          0);
      g_assert_nonnull (strstr (members, "timchat-cli group members"));
      g_assert_cmpint (
          run_cli (NULL, &folders, NULL, "folders", "--user", "X", "create", *how, NULL), ==, 0);
      g_assert_nonnull (strstr (folders, "timchat-cli folders create"));
      g_assert_cmpint (run_cli (NULL, &send, NULL, "send", "--timeout", "5", *how, NULL), ==, 0);
      g_assert_nonnull (strstr (send, "timchat-cli send"));
    }
  for (guint i = 0; group[i] != NULL; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *usage = g_strdup_printf ("timchat-cli group %s", group[i]);
      gboolean said = FALSE;

      g_assert_cmpint (run_cli (NULL, &out, NULL, "group", "--user", "X", group[i], "--help", NULL),
                       ==, 0);
      g_assert_nonnull (strstr (out, usage));
      g_assert_cmpint (run_cli_to_full_disk (&said, "group", "--user", "X", group[i], "-?", NULL),
                       ==, 1);
      g_assert_true (said);
    }
  {
    gboolean said = FALSE;

    g_assert_cmpint (run_cli_to_full_disk (&said, "group", "--user", "X", "--help-all", NULL), ==,
                     1);
    g_assert_true (said);
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    /* --help as --user's value: no subcommand named, the usage error. */
    g_assert_cmpint (run_cli (NULL, &out, &err, "group", "--user", "--help", NULL), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "Usage: timchat-cli group SUBCOMMAND"));
  }
}

/* Help that could not be written is status 1, as any other output (docs/cli.md): `send --help >
 * /dev/full` exited 0, GLib's option parser printing the help and exiting itself, where `group
 * --help` and a bare `--help` said 1. Every way of asking for it; an option's value that says
 * --help is no such request. */
static void
test_help_output_lost (void)
{
  g_autoptr (JsonNode) value = NULL;
  gboolean said = FALSE;

  for (guint i = 0; commands[i] != NULL; i++)
    {
      int status = g_str_equal (commands[i], "--help")
                       ? run_cli_to_full_disk (&said, "--help", NULL)
                       : run_cli_to_full_disk (&said, commands[i], "--help", NULL);

      g_assert_cmpint (status, ==, 1);
      g_assert_true (said);
    }
  for (guint i = 0; group[i] != NULL; i++)
    {
      g_assert_cmpint (run_cli_to_full_disk (&said, "group", group[i], "--help", NULL), ==, 1);
      g_assert_true (said);
    }
  for (const char *const *how = (const char *const[]){ "-h", "-?", "--help-all", NULL };
       *how != NULL; how++)
    {
      g_autofree char *out = NULL;

      g_assert_cmpint (run_cli_to_full_disk (&said, "history", *how, NULL), ==, 1);
      g_assert_true (said);
      g_assert_cmpint (run_cli (NULL, &out, NULL, "history", *how, NULL), ==, 0);
      g_assert_nonnull (strstr (out, "Usage:"));
      g_assert_nonnull (strstr (out, "-h, --help"));
    }
  g_assert_cmpint (run_cli_to_full_disk (&said, "folders", "create", "--help", NULL), ==, 1);
  g_assert_true (said);
  /* --help after the value it would be: a usage error (no conversation), not the help. */
  value = run_json ("alice", 1, "send", "--text", "--help", "--json");
  g_assert_cmpint (obj_int (obj (value), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (value), "message"), ==, "send takes one conversation ID");
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

/* With G_MESSAGES_DEBUG set (to see what libtim does), stdout still carries only the command's
 * output: GLib's default writes debug and info messages to stdout, where they came before and
 * between the JSON a script parses. */
static void
test_debug_messages_on_stderr (void)
{
  g_autoptr (GSubprocessLauncher) launcher =
      launcher_new ("alice", TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) send = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  send = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TIMCHAT_CLI"), "send", "C2Cbob",
                                      "--text", "debugging", "--json", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (send, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (send), ==, 0);
  sent = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (obj_string (obj (sent), "status"), ==, "success");
  /* They were written, where they belong. */
  g_assert_nonnull (strstr (err, "DEBUG"));
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
  test_cli_init (&argc, &argv);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/help-output-lost", test_help_output_lost);
  g_test_add_func ("/cli/help-after-options", test_help_after_options);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/not-utf8", test_not_utf8);
  g_test_add_func ("/cli/c-locale", test_c_locale);
  g_test_add_func ("/cli/options-before-subcommand", test_options_before_subcommand);
  g_test_add_func ("/cli/timeout-one-second", test_timeout_one_second);
  g_test_add_func ("/cli/debug-messages-on-stderr", test_debug_messages_on_stderr);
  return test_cli_run ();
}
