/* timchat-cli-messages.c: history, search, revoke, edit, forward, delete-message. send (and the
 * sending forward shares) is in timchat-cli-send.c. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* One message, as --json or a line for people. */
void
cli_print_message (Cli *cli, TimMessage *message)
{
  if (cli->json)
    cli_print_object (cli_message_to_json (message));
  else
    cli_print_message_line (cli, message);
}

typedef gboolean (*MessageCallFinish) (TimClient *client, GAsyncResult *result, GError **error);

/* What revoke and edit end with: waits for the call made on message, then prints the message as
 * it is now. */
static int
wait_and_print (Cli *cli, TimMessage *message, MessageCallFinish finish)
{
  g_autoptr (GError) error = NULL;
  GAsyncResult *result;

  if ((result = cli_wait (cli, &error)) == NULL || !finish (cli->client, result, &error))
    return cli_fail (cli, error);
  cli_print_message (cli, message);
  return 0;
}

/* ---------------------------------------------------------------- history */

/* Pages back from the newest until `count` messages (or everything with all); oldest first. */
static GPtrArray *
load_history (Cli *cli, const char *conversation_id, guint count, gboolean all,
              const char *stop_at_id, GError **error)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;

  while (!completed && (all || messages->len < count))
    {
      g_autoptr (GPtrArray) page = NULL;
      g_autofree char *page_next = NULL;
      GAsyncResult *result;
      guint want = all ? TIM_MESSAGE_LIST_MAX_COUNT : MIN (count - messages->len, 15u);

      tim_client_get_message_list_async (cli->client, conversation_id, next, want, NULL,
                                         cli_on_result, cli);
      if ((result = cli_wait (cli, error)) == NULL)
        return NULL;
      page =
          tim_client_get_message_list_finish (cli->client, result, &page_next, &completed, error);
      if (page == NULL)
        return NULL;
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_insert (messages, i, g_object_ref (page->pdata[i]));
      for (guint i = 0; stop_at_id != NULL && i < page->len; i++)
        if (g_strcmp0 (tim_message_get_id (page->pdata[i]), stop_at_id) == 0)
          return g_steal_pointer (&messages);
      /* A page without a way further back ends the walk, whatever it claims. */
      if (page->len == 0 || page_next == NULL || *page_next == '\0')
        break;
      g_free (next);
      next = g_steal_pointer (&page_next);
    }
  return g_steal_pointer (&messages);
}

int
cli_cmd_history (Cli *cli, char **args)
{
  gboolean all = FALSE;
  int count = G_MININT; /* not given */
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_ ("Every message, back to the first"), NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_ ("The newest N messages (default 15)"), "N" },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) messages = NULL;
  g_autoptr (JsonArray) array = json_array_new ();

  if (!cli_parse (cli, &args, "CONVERSATION",
                  _ ("Prints the messages of CONVERSATION, oldest first (JSON: one array)."),
                  entries, &error))
    return cli_fail (cli, error);
  if (all && count != G_MININT)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("Give --count or --all, not both"));
  if (count == G_MININT)
    count = TIM_MESSAGE_LIST_MAX_COUNT;
  if (cli_args_count (args) != 1 || count <= 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("history takes one conversation ID and a positive --count"));
  if (cli_parse_conversation (args[1], NULL, TRUE, &error) == TIM_CONV_INVALID ||
      !cli_connect (cli, TRUE, &error) ||
      (messages = load_history (cli, args[1], (guint) count, all, NULL, &error)) == NULL)
    return cli_fail (cli, error);
  for (guint i = 0; i < messages->len; i++)
    if (cli->json)
      json_array_add_object_element (array, cli_message_to_json (messages->pdata[i]));
    else
      cli_print_message_line (cli, messages->pdata[i]);
  if (cli->json)
    cli_print_array (array);
  return 0;
}

int
cli_cmd_search (Cli *cli, char **args)
{
  g_autofree char *conversation_id = NULL;
  int count = 50;
  const GOptionEntry entries[] = {
    { "conversation", 'C', 0, G_OPTION_ARG_STRING, &conversation_id,
      N_ ("Only in this conversation"), "CONVERSATION" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_ ("At most N messages (default 50)"), "N" },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (JsonArray) array = json_array_new ();
  GAsyncResult *result;

  if (!cli_parse (cli, &args, "WORDS",
                  _ ("Prints the messages that say WORDS (any part of a word) among those this "
                     "device has kept, newest first (JSON: one array)."),
                  entries, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 1 || count <= 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("search takes the words to find and a positive --count"));
  if ((conversation_id != NULL &&
       cli_parse_conversation (conversation_id, NULL, TRUE, &error) == TIM_CONV_INVALID) ||
      !cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  tim_client_search_messages_async (cli->client, conversation_id, args[1], (guint) count, NULL,
                                    cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      (found = tim_client_search_messages_finish (cli->client, result, &error)) == NULL)
    return cli_fail (cli, error);
  for (guint i = 0; i < found->len; i++)
    if (cli->json)
      json_array_add_object_element (array, cli_message_to_json (found->pdata[i]));
    else
      cli_print_message_line (cli, found->pdata[i]);
  if (cli->json)
    cli_print_array (array);
  return 0;
}

/* ---------------------------------------------------------------- revoke, forward */

/* The message `id` of conversation_id's history (connected already): a ref, or NULL with
 * not_found_code. */
TimMessage *
cli_find_in_history (Cli *cli, const char *conversation_id, const char *id, int not_found_code,
                     GError **error)
{
  g_autoptr (GPtrArray) messages = load_history (cli, conversation_id, 0, TRUE, id, error);

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    if (g_strcmp0 (tim_message_get_id (messages->pdata[i]), id) == 0)
      return g_object_ref (messages->pdata[i]);
  if (messages != NULL)
    /* Translators: %1$s is a message's ID, %2$s the conversation's. */
    g_set_error (error, TIM_ERROR, not_found_code, _ ("No message %1$s in %2$s"), id,
                 conversation_id);
  return NULL;
}

/* What revoke, forward and delete-message share: MESSAGE-ID (and what follows it), the
 * required --conversation, and the message found in that conversation's history. */
typedef struct
{
  const char *parameters; /* "MESSAGE-ID" or "MESSAGE-ID TO" */
  const char *summary;
  const char *usage; /* the error for anything else */
  guint n_args;      /* the positional arguments, the message ID first */
  gboolean notices_too;
  int not_found_code;
} MessageCommand;

/* Parses args (*args then holds the positional arguments), connects, and finds the message: a
 * ref, or NULL with error. */
static TimMessage *
find_message_of (Cli *cli, char ***args, const MessageCommand *command, GError **error)
{
  g_autofree char *conversation_id = NULL;
  const GOptionEntry entries[] = {
    { "conversation", 'C', 0, G_OPTION_ARG_STRING, &conversation_id,
      N_ ("The conversation the message is in (required)"), "CONVERSATION" },
    { NULL },
  };

  if (!cli_parse (cli, args, command->parameters, _ (command->summary), entries, error))
    return NULL;
  if (cli_args_count (*args) != command->n_args || conversation_id == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, _ (command->usage));
      return NULL;
    }
  if (cli_parse_conversation (conversation_id, NULL, command->notices_too, error) ==
          TIM_CONV_INVALID ||
      !cli_connect (cli, TRUE, error))
    return NULL;
  return cli_find_in_history (cli, conversation_id, (*args)[1], command->not_found_code, error);
}

int
cli_cmd_revoke (Cli *cli, char **args)
{
  static const MessageCommand command = {
    "MESSAGE-ID",
    N_ ("Recalls a message you sent, found in the history of --conversation."),
    N_ ("revoke takes one message ID and --conversation"),
    1,
    FALSE,
    TIM_ERROR_MSG_RECALL_NOT_FOUND,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message = find_message_of (cli, &args, &command, &error);

  if (message == NULL)
    return cli_fail (cli, error);
  tim_client_revoke_message_async (cli->client, message, NULL, cli_on_result, cli);
  return wait_and_print (cli, message, tim_client_revoke_message_finish);
}

int
cli_cmd_edit (Cli *cli, char **args)
{
  static const MessageCommand command = {
    "MESSAGE-ID TEXT",
    N_ ("Edits a text you sent, found in the history of --conversation, to say TEXT, everywhere; "
        "prints it once the server has stored the edit."),
    N_ ("edit takes one message ID, the new text, and --conversation"),
    2,
    FALSE,
    TIM_ERROR_INVALID_PARAMETER,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message = find_message_of (cli, &args, &command, &error);

  if (message == NULL)
    return cli_fail (cli, error);
  /* Recalled first: a recalled text has no type left to be a text by. */
  if (tim_message_get_is_revoked (message))
    return cli_fail_literal (cli, TIM_ERROR_INVALID_OPERATION,
                             _ ("A recalled message cannot be edited"));
  if (tim_message_get_elem_type (message) != TIM_ELEM_TEXT)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("Only a text message can be edited from here"));
  tim_client_modify_text_async (cli->client, message, args[2], NULL, cli_on_result, cli);
  return wait_and_print (cli, message, tim_client_modify_message_finish);
}

int
cli_cmd_forward (Cli *cli, char **args)
{
  static const MessageCommand command = {
    "MESSAGE-ID TO",
    N_ ("Forwards a message, found in the history of --conversation, to the conversation TO, "
        "and prints the forward once the server has stored it."),
    N_ ("forward takes one message ID, where to, and --conversation"),
    2,
    TRUE,
    TIM_ERROR_INVALID_PARAMETER,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message = find_message_of (cli, &args, &command, &error);
  g_autoptr (TimMessage) copy = NULL;
  const char *peer = NULL;
  TimConvType type;

  if (message == NULL ||
      (type = cli_parse_conversation (args[2], &peer, FALSE, &error)) == TIM_CONV_INVALID ||
      (copy = tim_client_create_forward_message (cli->client, peer, type, message, &error)) ==
          NULL ||
      !cli_send_and_print (cli, copy, NULL, &error))
    return cli_fail (cli, error);
  return 0;
}

int
cli_cmd_delete_message (Cli *cli, char **args)
{
  static const MessageCommand command = {
    "MESSAGE-ID",
    N_ ("Deletes a message, found in the history of --conversation, for you: from your devices "
        "and your history. The others keep it."),
    N_ ("delete-message takes one message ID and --conversation"),
    1,
    TRUE,
    TIM_ERROR_INVALID_PARAMETER,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message = find_message_of (cli, &args, &command, &error);
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();
  GAsyncResult *result;

  if (message == NULL)
    return cli_fail (cli, error);
  g_ptr_array_add (messages, message);
  tim_client_delete_messages_async (cli->client, messages, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      !tim_client_delete_messages_finish (cli->client, result, &error))
    return cli_fail (cli, error);
  if (cli->json)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "conversationID",
                                     tim_message_get_conversation_id (message));
      json_object_set_string_member (object, "messageID", args[1]);
      json_object_set_boolean_member (object, "deleted", TRUE);
      cli_print_object (object);
    }
  else
    /* Translators: after deleting a message for oneself; its ID. */
    g_print (_ ("Deleted %s for you.\n"), args[1]);
  return 0;
}
