/* timchat-cli-options.c: option parsing, the same for every command: the common options
 * (credentials, --json, --timeout) with the command's own, anywhere after the command, also
 * before a subcommand (group, folders); arguments that are not UTF-8 refused; conversation IDs. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

#define N_COMMON_ENTRIES 7
/* The longest --timeout: 30 days. */
#define CLI_TIMEOUT_MAX_SECONDS (30 * 24 * 60 * 60)

/* The options every command takes, pointed at cli (and the --timeout given at *timeout). */
static void
fill_common_entries (Cli *cli, int *timeout, GOptionEntry common[N_COMMON_ENTRIES + 1])
{
  const GOptionEntry entries[N_COMMON_ENTRIES + 1] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_ ("Print JSON"), NULL },
    { "server", 's', 0, G_OPTION_ARG_STRING, &cli->server,
      N_ ("Server URL, ws://HOST:PORT (or TIMCHAT_SERVER)"), "URL" },
    { "sdkappid", 0, 0, G_OPTION_ARG_STRING, &cli->sdkappid, N_ ("SDKAppID (or TIMCHAT_SDKAPPID)"),
      "N" },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &cli->user, N_ ("User ID (or TIMCHAT_USER)"), "USER" },
    { "usersig", 0, 0, G_OPTION_ARG_STRING, &cli->usersig,
      N_ ("UserSig (or TIMCHAT_USERSIG; else the keyring)"), "SIG" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &cli->data_dir,
      N_ ("Local data directory (or TIMCHAT_DATA_DIR)"), "DIR" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, timeout,
      N_ ("Give up waiting for the server after this many seconds (default 30)"), "SECONDS" },
    { NULL },
  };

  memcpy (common, entries, sizeof entries);
}

/* An option of the pre-pass in cli_take_subcommand: the same names, taking a value or not,
 * stored where nothing else looks. */
typedef union
{
  char **values;
  gboolean flag;
} Scratch;

static gboolean
entry_takes_value (const GOptionEntry *entry)
{
  return entry->arg != G_OPTION_ARG_NONE && !(entry->flags & G_OPTION_FLAG_NO_ARG);
}

static void
add_shape (GArray *shapes, Scratch *scratch, const GOptionEntry *entry)
{
  GOptionEntry shape = {
    entry->long_name, entry->short_name, 0, G_OPTION_ARG_NONE, NULL, NULL, NULL
  };

  for (guint i = 0; i < shapes->len; i++)
    {
      const GOptionEntry *known = &g_array_index (shapes, GOptionEntry, i);

      if (g_str_equal (known->long_name, entry->long_name))
        return;
      if (known->short_name == entry->short_name)
        shape.short_name = 0;
    }
  if (entry_takes_value (entry))
    {
      shape.arg = G_OPTION_ARG_FILENAME_ARRAY;
      shape.arg_data = &scratch[shapes->len].values;
    }
  else
    shape.arg_data = &scratch[shapes->len].flag;
  g_array_append_val (shapes, shape);
}

char *
cli_take_subcommand (char ***args, const GOptionEntry *const *entry_sets, gboolean *help,
                     GError **error)
{
  /* The help options as cli_parse's (add_help_entries ()) take them: after the command's own,
   * so that an -h of its own keeps its -h. */
  static const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, NULL, NULL, NULL },
    { "help-all", '?', 0, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  };
  Cli unused = { 0 };
  int unused_timeout = 0;
  GOptionEntry common[N_COMMON_ENTRIES + 1];
  g_autoptr (GArray) shapes = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  /* The strings of *args themselves (the parser only reorders this view): what is left is one
   * of them, found again by its address. */
  int argc = (int) g_strv_length (*args);
  g_autofree char **view = g_memdup2 (*args, sizeof (char *) * (argc + 1));
  char **parsed = view;
  g_autofree Scratch *scratch = NULL;
  g_autofree char *command = NULL;
  char *subcommand = NULL;
  guint n = N_COMMON_ENTRIES + G_N_ELEMENTS (help_entries);

  fill_common_entries (&unused, &unused_timeout, common);
  for (guint i = 0; entry_sets != NULL && entry_sets[i] != NULL; i++)
    for (const GOptionEntry *entry = entry_sets[i]; entry->long_name != NULL; entry++)
      n++;
  scratch = g_new0 (Scratch, n);
  for (guint i = 0; i < N_COMMON_ENTRIES; i++)
    add_shape (shapes, scratch, &common[i]);
  for (guint i = 0; entry_sets != NULL && entry_sets[i] != NULL; i++)
    for (const GOptionEntry *entry = entry_sets[i]; entry->long_name != NULL; entry++)
      add_shape (shapes, scratch, entry);
  /* Seen here, where an option's value is told from an option: `group --user X -?` asks for the
   * help, `group --user --help` names a user. A help before the subcommand is its help, left in
   * *args for cli_parse; without one, *help says the command's own was asked for. */
  for (guint i = 0; i < G_N_ELEMENTS (help_entries); i++)
    add_shape (shapes, scratch, &help_entries[i]);
  /* Options no subcommand has stay for the real parse, which handles them. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_add_main_entries (context, (const GOptionEntry *) shapes->data, NULL);
  /* A value missing after its option: the usage error it is. */
  if (g_option_context_parse (context, &argc, &parsed, error))
    for (int i = 1; i < argc && subcommand == NULL; i++)
      if (parsed[i][0] != '-')
        subcommand = parsed[i];
  if (help != NULL)
    *help = FALSE;
  for (guint i = 0; i < shapes->len; i++)
    if (g_array_index (shapes, GOptionEntry, i).arg == G_OPTION_ARG_FILENAME_ARRAY)
      g_strfreev (scratch[i].values);
    else if (help != NULL && i >= shapes->len - G_N_ELEMENTS (help_entries) && scratch[i].flag)
      *help = TRUE;
  if (subcommand == NULL)
    return NULL;

  /* Out of the arguments; the option parser names the program after args[0]: "group create". */
  command = (*args)[0];
  for (guint i = 1; (*args)[i] != NULL; i++)
    if ((*args)[i] == subcommand)
      {
        memmove (*args + i, *args + i + 1, sizeof (char *) * (g_strv_length (*args + i)));
        break;
      }
  (*args)[0] = g_strdup_printf ("%s %s", command, subcommand);
  return subcommand;
}

/* The error a help option's callback stops the parse with: no error, a request for the help. */
static GQuark
help_requested_quark (void)
{
  return g_quark_from_static_string ("timchat-cli-help-requested");
}

static gboolean
on_help_option (const char *name, const char *value, gpointer data, GError **error)
{
  g_set_error_literal (error, help_requested_quark (), 0, "");
  return FALSE;
}

static GOptionContext *
context_new (const char *parameters, const char *summary, const GOptionEntry *entries,
             const GOptionEntry *common)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  return context;
}

/* The options that ask for the help, where GLib's parser would see them (so not "--text --help",
 * whose --help is the text), as GLib's own: -h unless the command has an -h of its own, -?,
 * --help, --help-all. GLib prints the help and calls exit (0) itself, even when the help could
 * not be written (`send --help > /dev/full`); these stop the parse instead, and cli_parse prints
 * it and exits as main () does, 1 when the output was lost. */
static void
add_help_entries (GOptionContext *context, const GOptionEntry *entries)
{
  GOptionEntry help[] = {
    { "help", 'h', G_OPTION_FLAG_HIDDEN | G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
      on_help_option, NULL, NULL },
    { "help-all", '?', G_OPTION_FLAG_HIDDEN | G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
      on_help_option, NULL, NULL },
    { NULL },
  };

  for (const GOptionEntry *entry = entries; entry != NULL && entry->long_name != NULL; entry++)
    if (entry->short_name == 'h')
      help[0].short_name = 0;
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, help, NULL);
}

/* The help GLib would print: from a context without the hidden entries, whose -h would show up
 * as the command's own ("-?, --help" then). */
static G_NORETURN void
print_help_and_exit (const char *parameters, const char *summary, const GOptionEntry *entries,
                     const GOptionEntry *common)
{
  GOptionContext *context = context_new (parameters, summary, entries, common);
  char *help = g_option_context_get_help (context, TRUE, NULL);

  g_print ("%s", help);
  /* Freed by hand: exit () runs no g_autoptr cleanup, and LeakSanitizer took them for leaks
   * (every --help of the CLI failed under scripts/run-sanitizers.sh). */
  g_free (help);
  g_option_context_free (context);
  exit (cli_exit_status (0));
}

gboolean
cli_parse (Cli *cli, char ***args, const char *parameters, const char *summary,
           const GOptionEntry *entries, GError **error)
{
  int timeout = G_MININT; /* not given */
  GOptionEntry common[N_COMMON_ENTRIES + 1];
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *program = g_strdup_printf ("timchat-cli %s", (*args)[0]);
  g_auto (GStrv) given = g_strdupv (*args);
  g_autoptr (GError) local = NULL;
  /* main () guessed --json from any argument that says it, for the errors that come before this
   * parse; the parse decides, as an option's value ("--text -j" sends the text "-j") is no
   * option. A parse that fails says so as guessed. */
  gboolean json_guessed = cli->json;

  cli->json = FALSE;
  fill_common_entries (cli, &timeout, common);
  g_set_prgname (program);
  context = context_new (parameters, summary, entries, common);
  add_help_entries (context, entries);
  if (!g_option_context_parse_strv (context, args, &local))
    {
      if (local->domain == help_requested_quark ())
        print_help_and_exit (parameters, summary, entries, common);
      cli->json = json_guessed;
      /* An option's value that is not UTF-8 (GOption cannot convert it): a usage error, said
       * without echoing the bytes. */
      if (local->domain == G_CONVERT_ERROR && !cli_check_utf8 (given, error))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_set_prgname ("timchat-cli");
  /* Positional arguments go to the server as they are: text that is not UTF-8 is no JSON. */
  if (!cli_check_utf8 (*args, error))
    return FALSE;

#define FROM_ENV(field, name)                                                                      \
  if (cli->field == NULL && g_getenv (name) != NULL && *g_getenv (name) != '\0')                   \
  cli->field = g_strdup (g_getenv (name))
  FROM_ENV (server, "TIMCHAT_SERVER");
  FROM_ENV (sdkappid, "TIMCHAT_SDKAPPID");
  FROM_ENV (user, "TIMCHAT_USER");
  FROM_ENV (usersig, "TIMCHAT_USERSIG");
  FROM_ENV (data_dir, "TIMCHAT_DATA_DIR");
#undef FROM_ENV
  if (timeout != G_MININT && timeout <= 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("--timeout takes a positive number of seconds, not %d"), timeout);
      return FALSE;
    }
  /* GLib 2.74 keeps a timeout's seconds as milliseconds in a guint: 50 days or more would wrap
   * round to an early, arbitrary end. */
  if (timeout != G_MININT && timeout > CLI_TIMEOUT_MAX_SECONDS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("--timeout takes at most %d seconds (30 days), not %d"),
                   CLI_TIMEOUT_MAX_SECONDS, timeout);
      return FALSE;
    }
  if (timeout != G_MININT)
    cli->timeout_seconds = timeout;
  if (cli->timeout_seconds <= 0)
    cli->timeout_seconds = 30;
  return TRUE;
}

gboolean
cli_check_utf8 (char **args, GError **error)
{
  for (guint i = 1; args != NULL && args[i] != NULL; i++)
    {
      g_autofree char *shown = NULL;

      if (g_utf8_validate (args[i], -1, NULL))
        continue;
      shown = g_utf8_make_valid (args[i], -1);
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("“%s” is not valid UTF-8 text (its bad bytes are shown as �)"), shown);
      return FALSE;
    }
  return TRUE;
}

guint
cli_args_count (char **args)
{
  /* args[0] is the command itself. */
  return args != NULL && args[0] != NULL ? g_strv_length (args) - 1 : 0;
}

TimConvType
cli_parse_conversation (const char *conversation_id, const char **peer, gboolean notices_too,
                        GError **error)
{
  TimConvType type = tim_conv_parse_id (conversation_id, peer);

  if (type == TIM_CONV_C2C || type == TIM_CONV_GROUP || (notices_too && type == TIM_CONV_SYSTEM))
    return type;
  if (notices_too)
    g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID,
                 _ ("“%s” is not a conversation ID (C2C<user>, GROUP<group> or @TIM#SYSTEM)"),
                 conversation_id != NULL ? conversation_id : "");
  else
    g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID,
                 _ ("“%s” is not a conversation ID (C2C<user> or GROUP<group>)"),
                 conversation_id != NULL ? conversation_id : "");
  return TIM_CONV_INVALID;
}
