/* timchat-cli.c: a scriptable TimChat client on libtim: main, the command table, waiting for one
 * async call on a plain main loop, and the error convention (exit status 1 and the TIM code);
 * the options are parsed in timchat-cli-options.c. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

typedef struct
{
  const char *name;
  CliCommand run;
  const char *summary;
} CliCommandInfo;

static const CliCommandInfo commands[] = {
  { "login", cli_cmd_login, N_ ("Check the credentials and store them in the keyring") },
  { "logout", cli_cmd_logout, N_ ("Forget the stored UserSig") },
  { "send", cli_cmd_send, N_ ("Send a message") },
  { "history", cli_cmd_history, N_ ("Show the messages of a conversation") },
  { "search", cli_cmd_search, N_ ("Find messages by what they say") },
  { "conversations", cli_cmd_conversations, N_ ("List the conversations") },
  { "profile", cli_cmd_profile, N_ ("Show a conversation's profile") },
  { "me", cli_cmd_me, N_ ("Show or set your own nickname and avatar") },
  { "revoke", cli_cmd_revoke, N_ ("Recall a sent message") },
  { "forward", cli_cmd_forward, N_ ("Forward a message to another conversation") },
  { "forward-merged", cli_cmd_forward_merged,
    N_ ("Forward messages to another conversation as one chat history") },
  { "open-merged", cli_cmd_open_merged, N_ ("Show the messages of a chat history") },
  { "edit", cli_cmd_edit, N_ ("Edit a text you sent") },
  { "delete-message", cli_cmd_delete_message, N_ ("Delete a message for you") },
  { "read", cli_cmd_read, N_ ("Mark a conversation read") },
  { "delete", cli_cmd_delete, N_ ("Delete a conversation from the list") },
  { "pin", cli_cmd_pin, N_ ("Pin a conversation to the top of the list (--off unpins)") },
  { "status", cli_cmd_status, N_ ("Say whether users are online") },
  { "mark", cli_cmd_mark, N_ ("Mark a conversation unread, starred… (--off takes marks away)") },
  { "custom-data", cli_cmd_custom_data,
    N_ ("Keep your own words with a conversation (the SDK's customData)") },
  { "mute", cli_cmd_mute,
    N_ ("Mute a conversation's notifications (--off unmutes, --discard refuses its messages)") },
  { "clear-history", cli_cmd_clear_history, N_ ("Clear your history of a conversation") },
  { "draft", cli_cmd_draft, N_ ("Show, keep or remove a conversation's unsent draft") },
  { "block", cli_cmd_block, N_ ("Block users: they can no longer send you messages") },
  { "unblock", cli_cmd_unblock, N_ ("Unblock users") },
  { "blocked", cli_cmd_blocked, N_ ("List the users you blocked") },
  { "folders", cli_cmd_folders,
    N_ ("List your folders of conversations, or change them (see folders --help)") },
  { "group", cli_cmd_group, N_ ("Create and manage groups (see group --help)") },
  { "watch", cli_cmd_watch, N_ ("Print every event as one JSON line until interrupted") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _ ("Usage: timchat-cli COMMAND [OPTION…] [ARGUMENT…]"),
           _ ("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-15s %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (out, "\n%s\n",
           _ ("Run “timchat-cli COMMAND --help” for the options of a command. Credentials come "
              "from the flags, the environment (TIMCHAT_SERVER, TIMCHAT_SDKAPPID, TIMCHAT_USER, "
              "TIMCHAT_USERSIG, TIMCHAT_DATA_DIR) or the keyring (after “login”)."));
}

/* ---------------------------------------------------------------- waiting */

void
cli_on_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;

  g_clear_object (&cli->result);
  cli->result = g_object_ref (result);
  g_main_loop_quit (cli->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  Cli *cli = user_data;

  cli->timed_out = TRUE;
  g_main_loop_quit (cli->loop);
  return G_SOURCE_REMOVE;
}

GAsyncResult *
cli_wait (Cli *cli, GError **error)
{
  guint timeout;

  g_clear_object (&cli->result);
  cli->timed_out = FALSE;
  timeout = g_timeout_add_seconds (cli->timeout_seconds, on_timeout, cli);
  while (cli->result == NULL && !cli->timed_out && !cli->interrupted)
    g_main_loop_run (cli->loop);
  if (cli->result == NULL && cli->interrupted)
    {
      g_source_remove (timeout);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Interrupted"));
      return NULL;
    }
  if (cli->result == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_NETWORK_TIMEOUT,
                   g_dngettext (GETTEXT_PACKAGE, "No answer within %d second",
                                "No answer within %d seconds", cli->timeout_seconds),
                   cli->timeout_seconds);
      return NULL;
    }
  g_source_remove (timeout);
  return cli->result;
}

/* ---------------------------------------------------------------- errors */

int
cli_error_code (const GError *error)
{
  if (error->domain == TIM_ERROR)
    return error->code;
  if (error->domain == G_OPTION_ERROR || error->domain == G_CONVERT_ERROR)
    return TIM_ERROR_INVALID_PARAMETER;
  if (tim_error_is_local_file (error))
    return TIM_ERROR_FILE_EMPTY;
  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    return TIM_ERROR_NETWORK;
  return TIM_ERROR_UNCAUGHT;
}

GFile *
cli_open_readable_file (const char *path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GError) local = NULL;

  /* Opened, not only looked at: a file without read permission is a regular file too. */
  if (g_file_query_file_type (file, 0, NULL) == G_FILE_TYPE_REGULAR &&
      (stream = g_file_read (file, NULL, &local)) != NULL)
    return g_steal_pointer (&file);
  g_set_error (error, TIM_ERROR, TIM_ERROR_FILE_EMPTY, _ ("“%s” is not a readable file%s%s"), path,
               local != NULL ? ": " : "", local != NULL ? local->message : "");
  return NULL;
}

int
cli_fail_literal (Cli *cli, int code, const char *text)
{
  /* Whatever an error quotes, the output stays UTF-8 (and --json valid JSON). */
  g_autofree char *message = g_utf8_make_valid (text, -1);

  if (cli->json)
    {
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "code", code);
      json_object_set_string_member (object, "message", message);
      cli_print_object (object);
    }
  else
    g_printerr ("timchat-cli: %s (code %d)\n", message, code);
  return 1;
}

/* A send given up on (--timeout) whose message is still in libtim's outbox: it was not lost,
 * and sending it again would send it twice. Said so, with its ID, rather than as a plain 2801. */
static int
fail_queued (Cli *cli)
{
  g_autofree char *text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "Not confirmed within %d second. The message stays queued: the next "
                   "timchat-cli command of %s with this data directory sends it (as the same "
                   "message, which the server keeps once). Do not send it again.",
                   "Not confirmed within %d seconds. The message stays queued: the next "
                   "timchat-cli command of %s with this data directory sends it (as the same "
                   "message, which the server keeps once). Do not send it again.",
                   cli->timeout_seconds),
      cli->timeout_seconds, cli->user);

  if (cli->json)
    {
      JsonObject *object = cli_message_to_json (cli->queued);

      json_object_set_boolean_member (object, "queued", TRUE);
      json_object_set_int_member (object, "errorCode", TIM_ERROR_NETWORK_TIMEOUT);
      json_object_set_string_member (object, "errorMessage", text);
      cli_print_object (object);
    }
  else
    g_printerr ("timchat-cli: %s: %s (code %d)\n", tim_message_get_id (cli->queued), text,
                TIM_ERROR_NETWORK_TIMEOUT);
  return CLI_EXIT_QUEUED;
}

int
cli_fail (Cli *cli, const GError *error)
{
  if (cli->queued != NULL)
    return fail_queued (cli);
  return cli_fail_literal (cli, cli_error_code (error), error->message);
}

/* ---------------------------------------------------------------- main */

/* The messages an earlier command left queued (a send given up on) are sent by the next command
 * of the user on the data directory, whatever it is (docs/cli.md): it waits for their answers
 * before it logs out, up to --timeout more seconds, so that a short command does not cut an
 * upload off again each time. Nothing about them on stdout, which is the command's own.
 * Not a watch: it sent them while it ran, and ends at once however it ends (a signal, a kick,
 * its reader gone, nobody to --follow), what is left staying queued for the next command. A
 * script's `watch | head -1` is over with the next event, and no longer waits on with SIGINT
 * and SIGTERM uncaught, killed by them rather than ended. */
static void
wait_for_outbox (Cli *cli)
{
  guint timeout;

  if (!cli->outbox_waiting || cli->watching)
    return;
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "timchat-cli: waiting up to %d second for the messages queued by an "
                           "earlier command to be sent\n",
                           "timchat-cli: waiting up to %d seconds for the messages queued by an "
                           "earlier command to be sent\n",
                           cli->timeout_seconds),
              cli->timeout_seconds);
  cli->timed_out = FALSE;
  timeout = g_timeout_add_seconds (cli->timeout_seconds, on_timeout, cli);
  while (cli->outbox_waiting && !cli->timed_out)
    g_main_loop_run (cli->loop);
  if (!cli->timed_out)
    g_source_remove (timeout);
  if (cli->outbox_waiting)
    g_printerr (_ ("timchat-cli: the messages queued by an earlier command are not confirmed yet; "
                   "they stay queued for the next command\n"));
}

static void
cli_clear (Cli *cli)
{
  if (cli->client != NULL)
    wait_for_outbox (cli);
  g_clear_object (&cli->result);
  g_clear_object (&cli->queued);
  if (cli->client != NULL)
    tim_client_logout (cli->client);
  g_clear_object (&cli->client);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_free (cli->server);
  g_free (cli->sdkappid);
  g_free (cli->user);
  g_free (cli->usersig);
  g_free (cli->data_dir);
}

int
cli_exit_status (int status)
{
  if (cli_output_ok ())
    return status;
  g_printerr (_ ("timchat-cli: cannot write the output: %s\n"), cli_output_error ());
  return 1;
}

int
main (int argc, char **argv)
{
  Cli cli = { 0 };
  g_auto (GStrv) args = NULL;
  int status;

  /* A reader that went away (`| head -1`) is a write error (EPIPE) we report and exit on, not a
   * signal that kills us mid-way; GIO ignores SIGPIPE in places anyway. */
  signal (SIGPIPE, SIG_IGN);
  /* stdout is the command's output alone (one JSON value with --json): GLib's default writes
   * debug and info messages there, so with G_MESSAGES_DEBUG set they came before and between the
   * JSON a script reads. */
  g_log_writer_default_set_use_stderr (TRUE);
  setlocale (LC_ALL, "");
  /* Arguments and output are UTF-8 text (docs/cli.md), also in the C locale (a cron job, a
   * container without LANG), whose ASCII made GOption refuse "--text héllo" (10004) and g_print
   * write "?" for every other character. As Python does (PEP 538), the C locale's character
   * type becomes C.UTF-8, before GLib looks at the charset; a real locale is kept as it is. */
  {
    const char *ctype = setlocale (LC_CTYPE, NULL);

    if (ctype != NULL && (g_str_equal (ctype, "C") || g_str_equal (ctype, "POSIX")))
      setlocale (LC_CTYPE, "C.UTF-8");
  }
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("timchat-cli");

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return cli_exit_status (argc < 2 ? 1 : 0);
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("timchat-cli %s\n", PACKAGE_VERSION);
      return cli_exit_status (0);
    }
  cli.json = g_strv_contains ((const char *const *) argv, "--json") ||
             g_strv_contains ((const char *const *) argv, "-j");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        cli.loop = g_main_loop_new (NULL, FALSE);
        args = g_strdupv (argv + 1);
        status = commands[i].run (&cli, args);
        /* args may have been replaced by the option parser. */
        cli_clear (&cli);
        /* Output that never arrived is a failure, whatever the command said. */
        return cli_exit_status (status);
      }
  {
    g_autofree char *message = g_strdup_printf (_ ("Unknown command “%s”"), argv[1]);

    status = cli_fail_literal (&cli, TIM_ERROR_INVALID_PARAMETER, message);
    if (!cli.json)
      print_usage (stderr);
    return status;
  }
}
