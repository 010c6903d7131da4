/* timchat-cli-merger.c: forward-merged (messages to another conversation as one chat history, the
 * SDK's createMergerMessage) and open-merged (what a chat history carries, downloadMergerMessage).
 */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* Parses --conversation (required) and min_args to max_args (0: any number) positional
 * arguments, and connects. */
static gboolean
parse_and_connect (Cli *cli, char ***args, const char *parameters, const char *summary,
                   GOptionEntry *extra, char **conversation_id, guint min_args, guint max_args,
                   const char *usage, GError **error)
{
  GOptionEntry entries[] = {
    { "conversation", 'C', 0, G_OPTION_ARG_STRING, conversation_id,
      N_ ("The conversation the messages are in (required)"), "CONVERSATION" },
    extra != NULL ? *extra : (GOptionEntry){ NULL },
    { NULL },
  };

  if (!cli_parse (cli, args, parameters, summary, entries, error))
    return FALSE;
  if (cli_args_count (*args) < min_args || (max_args > 0 && cli_args_count (*args) > max_args) ||
      *conversation_id == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, usage);
      return FALSE;
    }
  return cli_parse_conversation (*conversation_id, NULL, TRUE, error) != TIM_CONV_INVALID &&
         cli_connect (cli, TRUE, error);
}

int
cli_cmd_forward_merged (Cli *cli, char **args)
{
  g_autofree char *conversation_id = NULL;
  g_autofree char *title = NULL;
  GOptionEntry title_entry = {
    "title", 't',
    0,       G_OPTION_ARG_STRING,
    &title,  N_ ("What the chat history is called (default: Chat History)"),
    "TITLE"
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) merged = NULL;
  const char *peer = NULL;
  TimConvType type;

  if (!parse_and_connect (
          cli, &args, "TO MESSAGE-ID…",
          _ ("Forwards messages, found in the history of --conversation, to the conversation TO "
             "as one chat history, in the order given; prints it once the server has stored it."),
          &title_entry, &conversation_id, 2, 0,
          _ ("forward-merged takes where to, at least one message ID, and --conversation"),
          &error) ||
      (type = cli_parse_conversation (args[1], &peer, FALSE, &error)) == TIM_CONV_INVALID)
    return cli_fail (cli, error);
  for (guint i = 2; args[i] != NULL; i++)
    {
      TimMessage *message =
          cli_find_in_history (cli, conversation_id, args[i], TIM_ERROR_INVALID_PARAMETER, &error);

      if (message == NULL)
        return cli_fail (cli, error);
      g_ptr_array_add (messages, message);
    }
  merged = tim_client_create_merger_message (cli->client, peer, type, messages,
                                             title != NULL ? title : _ ("Chat History"), NULL, NULL,
                                             &error);
  if (merged == NULL || !cli_send_and_print (cli, merged, NULL, &error))
    return cli_fail (cli, error);
  return 0;
}

int
cli_cmd_open_merged (Cli *cli, char **args)
{
  g_autofree char *conversation_id = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  GAsyncResult *result;

  if (!parse_and_connect (cli, &args, "MESSAGE-ID",
                          _ ("Prints the messages a chat history, found in the history of "
                             "--conversation, carries (fetched from the server once)."),
                          NULL, &conversation_id, 1, 1,
                          _ ("open-merged takes one message ID and --conversation"), &error) ||
      (message = cli_find_in_history (cli, conversation_id, args[1], TIM_ERROR_INVALID_PARAMETER,
                                      &error)) == NULL)
    return cli_fail (cli, error);
  tim_client_download_merger_message_async (cli->client, message, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      (entries = tim_client_download_merger_message_finish (cli->client, result, &error)) == NULL)
    return cli_fail (cli, error);
  if (cli->json)
    {
      g_autoptr (JsonArray) array = json_array_new ();

      for (guint i = 0; i < entries->len; i++)
        json_array_add_object_element (array, cli_message_to_json (entries->pdata[i]));
      cli_print_array (array);
    }
  else
    for (guint i = 0; i < entries->len; i++)
      cli_print_message_line (cli, entries->pdata[i]);
  return 0;
}
