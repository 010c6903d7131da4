/* timchat-cli-private.h: shared by the files of timchat-cli (timchat-cli.c: main, waiting,
 * errors; -options.c: option parsing; -session.c: credentials, keyring, login; -json.c: output;
 * -messages.c, -group.c, -watch.c: the subcommands). */
#pragma once

#include <json-glib/json-glib.h>

#include "tim-client.h"

G_BEGIN_DECLS

typedef struct
{
  /* Common options (flags, else the environment, else the keyring). */
  gboolean json;
  char *server;
  char *sdkappid;
  char *user;
  char *usersig;
  char *data_dir;
  int timeout_seconds;

  TimClient *client;
  GMainLoop *loop;
  GAsyncResult *result; /* of the last cli_wait () */
  gboolean timed_out;
  gboolean kicked_out;     /* watch: the server logged this account out */
  gboolean watch_failed;   /* watch: none of --follow's users could be followed */
  gboolean output_lost;    /* watch: stdout could not be written (the reader went away) */
  gboolean interrupted;    /* watch: SIGINT or SIGTERM came, maybe while logging in */
  gboolean watching;       /* the command is watch, which sends the outbox while it runs */
  TimMessage *queued;      /* send: not confirmed in time, and still in the outbox */
  gboolean outbox_waiting; /* some message queued before the login is not answered yet */
} Cli;

typedef int (*CliCommand) (Cli *cli, char **args);

/* The exit status of a send given up on while its message is still queued: it is not lost (the
 * next session of the user on the data dir sends it, as the same message) and must not be sent
 * again. */
#define CLI_EXIT_QUEUED 3

/* timchat-cli-options.c */
/* Parses `*args` (args[0] is the command name) with the common options plus `entries`; leaves
 * the positional arguments in `*args`. --help prints the usage and exits: 0, or 1 when it could
 * not be written (cli_exit_status ()). */
gboolean cli_parse (Cli *cli, char ***args, const char *parameters, const char *summary,
                    const GOptionEntry *entries, GError **error);
/* For a command with subcommands (group, folders): takes the first argument after args[0] that
 * is neither an option nor an option's value (the common ones or those of entry_sets, a
 * NULL-terminated list of every subcommand's entries) out of *args, wherever the options are,
 * and names args[0] "COMMAND SUBCOMMAND" for cli_parse; returns it (free it). NULL when there is
 * none, or with error set when an option lacks its value. help (may be NULL): whether an option
 * (not an option's value) asks for the help as cli_parse takes it (--help, -h, -?, --help-all). */
char *cli_take_subcommand (char ***args, const GOptionEntry *const *entry_sets, gboolean *help,
                           GError **error);
/* C2C<user> or GROUP<group>; with notices_too, also @TIM#SYSTEM (the group notices); else a TIM
 * 2503 error. */
TimConvType cli_parse_conversation (const char *conversation_id, const char **peer,
                                    gboolean notices_too, GError **error);
guint cli_args_count (char **args);
/* FALSE with a 10004 error (the bad bytes shown as U+FFFD) when one of args[1...] is not UTF-8. */
gboolean cli_check_utf8 (char **args, GError **error);

/* timchat-cli.c */
/* The exit status of a command that returned status: 1, said on stderr, when its output could
 * not be written (a full disk, a reader gone), whatever the command said. */
int cli_exit_status (int status);
/* A GAsyncReadyCallback for any of libtim's calls; pass the Cli as user_data, then cli_wait. */
void cli_on_result (GObject *source, GAsyncResult *result, gpointer user_data);
/* Runs the main loop until cli_on_result; NULL (and a timeout error) after --timeout. */
GAsyncResult *cli_wait (Cli *cli, GError **error);
/* Prints the error (JSON on stdout with --json, else a line on stderr); returns 1, or
 * CLI_EXIT_QUEUED after a send whose message stays queued (cli->queued; JSON: that message,
 * "status": "unSend", with "queued": true, errorCode 2801 and errorMessage). */
int cli_fail (Cli *cli, const GError *error);
int cli_fail_literal (Cli *cli, int code, const char *message);
/* The TIM code of error: a file here that cannot be read is 2108, not a network failure. */
int cli_error_code (const GError *error);
/* The file at path (a command-line argument), opened once to be sure it can be read; else NULL
 * and a 2108 error saying why. */
GFile *cli_open_readable_file (const char *path, GError **error);

/* timchat-cli-group-join.c: `group search|join|answer`; each prints its line (without --json)
 * and returns the object --json prints. */
JsonObject *cli_group_search (Cli *cli, const char *group_id, GError **error);
JsonObject *cli_group_join (Cli *cli, const char *group_id, const char *message, GError **error);
JsonObject *cli_group_requests (Cli *cli, GError **error);
/* The application notice_or_group (a notice's message ID) carries, or when user is given, user's
 * to the group notice_or_group, from the list. */
JsonObject *cli_group_answer (Cli *cli, const char *notice_or_group, const char *user,
                              gboolean refuse, const char *reason, GError **error);

/* timchat-cli-session.c */
/* Resolves the credentials and creates cli->client, not logged in yet. */
gboolean cli_prepare_client (Cli *cli, GError **error);
/* Resolves the credentials (flags, environment, keyring), logs in and waits for "ready". */
gboolean cli_connect (Cli *cli, gboolean wait_ready, GError **error);
int cli_cmd_login (Cli *cli, char **args);
int cli_cmd_logout (Cli *cli, char **args);
int cli_cmd_me (Cli *cli, char **args);

/* timchat-cli-json.c */
JsonObject *cli_message_to_json (TimMessage *message);
JsonObject *cli_conversation_to_json (TimConversation *conversation);
/* Prints a JSON node on one line of stdout and flushes. */
void cli_print_node (JsonNode *node);
/* Flushes stdout: FALSE when anything written to it so far was lost (a full disk, a reader that
 * went away: EPIPE, SIGPIPE being ignored). main () exits 1 then, whatever the command said. */
gboolean cli_output_ok (void);
/* Why the output failed (strerror of the first failure). */
const char *cli_output_error (void);
void cli_print_object (JsonObject *object); /* takes the object */
void cli_print_array (JsonArray *array);    /* the caller keeps its reference */
/* One line: when, from → to, the message (a tip or a notice in words, as the app shows it), its
 * ID. */
void cli_print_message_line (Cli *cli, TimMessage *message);
void cli_print_conversation_line (Cli *cli, TimConversation *conversation);

/* timchat-cli-messages.c */
int cli_cmd_history (Cli *cli, char **args);
int cli_cmd_conversations (Cli *cli, char **args);
int cli_cmd_profile (Cli *cli, char **args);
int cli_cmd_revoke (Cli *cli, char **args);
int cli_cmd_forward (Cli *cli, char **args);
int cli_cmd_edit (Cli *cli, char **args);
int cli_cmd_search (Cli *cli, char **args);
int cli_cmd_delete_message (Cli *cli, char **args);
int cli_cmd_read (Cli *cli, char **args);
int cli_cmd_delete (Cli *cli, char **args);
int cli_cmd_pin (Cli *cli, char **args);
int cli_cmd_mark (Cli *cli, char **args);
int cli_cmd_custom_data (Cli *cli, char **args);
int cli_cmd_status (Cli *cli, char **args);
/* The SDK's markList of a conversation's marks: each one's value. */
JsonArray *cli_marks_to_json (guint64 marks);
int cli_cmd_mute (Cli *cli, char **args);
int cli_cmd_draft (Cli *cli, char **args);
int cli_cmd_block (Cli *cli, char **args);
int cli_cmd_unblock (Cli *cli, char **args);
int cli_cmd_blocked (Cli *cli, char **args);
int cli_cmd_folders (Cli *cli, char **args);
int cli_cmd_clear_history (Cli *cli, char **args);
/* The message `id` of conversation_id's history (connected already): a ref, or NULL with
 * not_found_code. */
TimMessage *cli_find_in_history (Cli *cli, const char *conversation_id, const char *id,
                                 int not_found_code, GError **error);
/* One message, as --json or a line for people. */
void cli_print_message (Cli *cli, TimMessage *message);

/* timchat-cli-send.c */
int cli_cmd_send (Cli *cli, char **args);
/* Sends message (an upload's progress on a terminal's stderr), then prints it as stored. */
gboolean cli_send_and_print (Cli *cli, TimMessage *message, const TimSendOptions *options,
                             GError **error);

/* timchat-cli-merger.c */
int cli_cmd_forward_merged (Cli *cli, char **args);
int cli_cmd_open_merged (Cli *cli, char **args);

/* timchat-cli-group.c */
int cli_cmd_group (Cli *cli, char **args);

/* timchat-cli-watch.c */
int cli_cmd_watch (Cli *cli, char **args);

G_END_DECLS
