/* timchat-cli-conversations.c: the conversation list and what is done to a whole conversation:
 * conversations, profile, read, delete, pin, mute, clear-history, draft. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* ---------------------------------------------------------------- conversations, profile */

int
cli_cmd_conversations (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) array = json_array_new ();
  GAsyncResult *result;
  GListModel *list;

  if (!cli_parse (cli, &args, "", _ ("Lists the conversations, newest first (JSON: one array)."),
                  NULL, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("conversations takes no arguments"));
  if (!cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  /* The people's names come from their profiles, asked for right after the sync (before
   * "ready"). Replies are applied in the order they come, so once this later request is answered
   * the names are in: a device's first list shows nicknames, not IDs. */
  tim_client_get_my_profile_async (cli->client, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      !tim_client_get_my_profile_finish (cli->client, result, NULL, NULL, &error))
    return cli_fail (cli, error);
  list = G_LIST_MODEL (tim_client_get_conversations (cli->client));
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      if (cli->json)
        json_array_add_object_element (array, cli_conversation_to_json (conversation));
      else
        cli_print_conversation_line (cli, conversation);
    }
  if (cli->json)
    cli_print_array (array);
  return 0;
}

int
cli_cmd_profile (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimConversation) conversation = NULL;
  GAsyncResult *result;

  if (!cli_parse (cli, &args, "CONVERSATION",
                  _ ("Fetches the profile of CONVERSATION (nick and avatar, or group name)."), NULL,
                  &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 1)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("profile takes one conversation ID"));
  if (cli_parse_conversation (args[1], NULL, FALSE, &error) == TIM_CONV_INVALID ||
      !cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  tim_client_get_conversation_profile_async (cli->client, args[1], NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      (conversation = tim_client_get_conversation_profile_finish (cli->client, result, &error)) ==
          NULL)
    return cli_fail (cli, error);
  if (cli->json)
    cli_print_object (cli_conversation_to_json (conversation));
  else
    cli_print_conversation_line (cli, conversation);
  return 0;
}

/* ---------------------------------------------------------------- read, delete, pin, mute, clear
 */

typedef enum
{
  CONVERSATION_READ,
  CONVERSATION_DELETE,
  CONVERSATION_PIN,
  CONVERSATION_MUTE,
  CONVERSATION_CLEAR,
  CONVERSATION_UNPIN, /* --off: not a command of its own */
  CONVERSATION_UNMUTE,
  CONVERSATION_DISCARD, /* mute --discard */
} ConversationAction;

/* How mute, mute --discard and mute --off want the user to hear of the conversation. */
static const char *
remind_type_for (ConversationAction action)
{
  return action == CONVERSATION_MUTE      ? TIM_REMIND_ACCEPT_NOT_NOTIFY
         : action == CONVERSATION_DISCARD ? TIM_REMIND_DISCARD
                                          : TIM_REMIND_ACCEPT_AND_NOTIFY;
}

static void
start_action (Cli *cli, ConversationAction action, const char *conversation_id)
{
  switch (action)
    {
    case CONVERSATION_READ:
      tim_client_set_message_read_async (cli->client, conversation_id, NULL, cli_on_result, cli);
      break;
    case CONVERSATION_DELETE:
      tim_client_delete_conversation_async (cli->client, conversation_id, NULL, cli_on_result, cli);
      break;
    case CONVERSATION_CLEAR:
      tim_client_clear_history_async (cli->client, conversation_id, NULL, cli_on_result, cli);
      break;
    case CONVERSATION_PIN:
    case CONVERSATION_UNPIN:
      tim_client_pin_conversation_async (cli->client, conversation_id, action == CONVERSATION_PIN,
                                         NULL, cli_on_result, cli);
      break;
    case CONVERSATION_MUTE:
    case CONVERSATION_UNMUTE:
    case CONVERSATION_DISCARD:
      tim_client_set_message_remind_type_async (cli->client, conversation_id,
                                                remind_type_for (action), NULL, cli_on_result, cli);
      break;
    }
}

static gboolean
finish_action (Cli *cli, ConversationAction action, GAsyncResult *result, GError **error)
{
  switch (action)
    {
    case CONVERSATION_READ:
      return tim_client_set_message_read_finish (cli->client, result, error);
    case CONVERSATION_DELETE:
      return tim_client_delete_conversation_finish (cli->client, result, error);
    case CONVERSATION_CLEAR:
      return tim_client_clear_history_finish (cli->client, result, error);
    case CONVERSATION_PIN:
    case CONVERSATION_UNPIN:
      return tim_client_pin_conversation_finish (cli->client, result, error);
    case CONVERSATION_MUTE:
    case CONVERSATION_UNMUTE:
    case CONVERSATION_DISCARD:
    default:
      return tim_client_set_message_remind_type_finish (cli->client, result, error);
    }
}

/* What the action did: JSON {conversationID, and unreadCount, deleted, cleared, isPinned or
 * messageRemindType}, or a line. */
static void
print_outcome (Cli *cli, ConversationAction action, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (cli->client), conversation_id);
  JsonObject *out;

  if (!cli->json)
    {
      /* Literal formats, one each: -Wformat-nonliteral refuses a looked-up one. */
      if (action == CONVERSATION_READ)
        g_print (_ ("Marked %s read.\n"), conversation_id);
      else if (action == CONVERSATION_DELETE)
        g_print (_ ("Deleted %s.\n"), conversation_id);
      else if (action == CONVERSATION_CLEAR)
        g_print (_ ("Cleared the history of %s.\n"), conversation_id);
      else if (action == CONVERSATION_PIN)
        g_print (_ ("Pinned %s.\n"), conversation_id);
      else if (action == CONVERSATION_UNPIN)
        g_print (_ ("Unpinned %s.\n"), conversation_id);
      else if (action == CONVERSATION_MUTE)
        g_print (_ ("Muted %s: no notifications.\n"), conversation_id);
      else if (action == CONVERSATION_DISCARD)
        g_print (_ ("Discarding the messages of %s: they do not come; its history has them.\n"),
                 conversation_id);
      else
        g_print (_ ("Unmuted %s.\n"), conversation_id);
      return;
    }
  out = json_object_new ();
  json_object_set_string_member (out, "conversationID", conversation_id);
  if (action == CONVERSATION_READ)
    json_object_set_int_member (
        out, "unreadCount",
        conversation != NULL ? tim_conversation_get_unread_count (conversation) : 0);
  else if (action == CONVERSATION_DELETE)
    json_object_set_boolean_member (out, "deleted", conversation == NULL);
  else if (action == CONVERSATION_CLEAR)
    json_object_set_boolean_member (out, "cleared", TRUE);
  else if (action == CONVERSATION_PIN || action == CONVERSATION_UNPIN)
    json_object_set_boolean_member (
        out, "isPinned", conversation != NULL && tim_conversation_get_is_pinned (conversation));
  else if (conversation != NULL)
    json_object_set_string_member (out, "messageRemindType",
                                   tim_conversation_get_message_remind_type (conversation));
  cli_print_object (out);
}

/* read --all: every conversation at once (setAllMessageRead). */
static int
read_all (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  GAsyncResult *result;
  JsonObject *out;

  if (cli_args_count (args) != 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("read --all takes no conversation ID"));
  if (!cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  tim_client_set_all_message_read_async (cli->client, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      !tim_client_set_all_message_read_finish (cli->client, result, &error))
    return cli_fail (cli, error);
  if (!cli->json)
    {
      g_print ("%s\n", _ ("Marked every conversation read."));
      return 0;
    }
  out = json_object_new ();
  json_object_set_int_member (
      out, "totalUnreadCount",
      tim_conversation_list_get_total_unread (tim_client_get_conversations (cli->client)));
  cli_print_object (out);
  return 0;
}

static int
conversation_call (Cli *cli, char **args, ConversationAction action)
{
  static const char *const summaries[] = {
    [CONVERSATION_READ] = N_ ("Marks every message of CONVERSATION read (unread count 0); with "
                              "--all and no CONVERSATION, every conversation."),
    [CONVERSATION_DELETE] = N_ ("Deletes CONVERSATION from the list; its messages stay and a new "
                                "message brings it back."),
    [CONVERSATION_PIN] = N_ ("Pins CONVERSATION to the top of the list, on every device."),
    [CONVERSATION_MUTE] = N_ ("Mutes CONVERSATION's notifications, on every device: its messages "
                              "still come and count as unread. With --discard they do not come "
                              "and do not count; its history still has them."),
    [CONVERSATION_CLEAR] = N_ ("Clears your history of CONVERSATION, on every device of yours: it "
                               "stays in the list, and the others keep theirs."),
  };
  g_autoptr (GError) error = NULL;
  gboolean off = FALSE, all = FALSE, discard = FALSE;
  const GOptionEntry read_entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_ ("Every conversation"), NULL },
    { NULL },
  };
  const GOptionEntry pin_entries[] = {
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_ ("Unpin it"), NULL },
    { NULL },
  };
  const GOptionEntry mute_entries[] = {
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_ ("Unmute it"), NULL },
    { "discard", 0, 0, G_OPTION_ARG_NONE, &discard,
      N_ ("Do not receive its messages at all (the history keeps them)"), NULL },
    { NULL },
  };
  GAsyncResult *result;

  if (!cli_parse (cli, &args, "CONVERSATION", _ (summaries[action]),
                  action == CONVERSATION_READ   ? read_entries
                  : action == CONVERSATION_PIN  ? pin_entries
                  : action == CONVERSATION_MUTE ? mute_entries
                                                : NULL,
                  &error))
    return cli_fail (cli, error);
  if (all)
    return read_all (cli, args);
  if (off && discard)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("--off and --discard contradict each other"));
  if (off)
    action = action == CONVERSATION_PIN ? CONVERSATION_UNPIN : CONVERSATION_UNMUTE;
  if (discard)
    action = CONVERSATION_DISCARD;
  if (cli_args_count (args) != 1)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("this command takes one conversation ID"));
  /* The group notices can be read and cleared, not deleted, pinned or muted. */
  if (cli_parse_conversation (args[1], NULL,
                              action == CONVERSATION_READ || action == CONVERSATION_CLEAR,
                              &error) == TIM_CONV_INVALID ||
      !cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  start_action (cli, action, args[1]);
  if ((result = cli_wait (cli, &error)) == NULL || !finish_action (cli, action, result, &error))
    return cli_fail (cli, error);
  print_outcome (cli, action, args[1]);
  return 0;
}

int
cli_cmd_read (Cli *cli, char **args)
{
  return conversation_call (cli, args, CONVERSATION_READ);
}

int
cli_cmd_delete (Cli *cli, char **args)
{
  return conversation_call (cli, args, CONVERSATION_DELETE);
}

int
cli_cmd_pin (Cli *cli, char **args)
{
  return conversation_call (cli, args, CONVERSATION_PIN);
}

int
cli_cmd_mute (Cli *cli, char **args)
{
  return conversation_call (cli, args, CONVERSATION_MUTE);
}

int
cli_cmd_clear_history (Cli *cli, char **args)
{
  return conversation_call (cli, args, CONVERSATION_CLEAR);
}

/* ---------------------------------------------------------------- draft */

int
cli_cmd_draft (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *draft = NULL;
  gboolean clear = FALSE;
  const GOptionEntry entries[] = {
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_ ("Remove the draft"), NULL },
    { NULL },
  };
  guint count;
  JsonObject *out;

  if (!cli_parse (cli, &args, "CONVERSATION [TEXT]",
                  _ ("Shows the draft of CONVERSATION (kept on this device only); with TEXT, keeps "
                     "that as its draft; with --clear, removes it."),
                  entries, &error))
    return cli_fail (cli, error);
  count = cli_args_count (args);
  if (count < 1 || count > 2 || (clear && count != 1))
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("draft takes one conversation ID, then a text or --clear"));
  if (cli_parse_conversation (args[1], NULL, FALSE, &error) == TIM_CONV_INVALID ||
      !cli_connect (cli, FALSE, &error))
    return cli_fail (cli, error);
  if ((clear || count == 2) &&
      !tim_client_set_conversation_draft (cli->client, args[1], clear ? NULL : args[2], &error))
    return cli_fail (cli, error);
  draft = tim_client_dup_conversation_draft (cli->client, args[1]);
  if (!cli->json)
    {
      if (clear)
        g_print (_ ("Removed the draft of %s.\n"), args[1]);
      else if (count == 2)
        g_print (_ ("Kept the draft of %s.\n"), args[1]);
      else if (*draft != '\0')
        g_print ("%s\n", draft);
      return 0;
    }
  out = json_object_new ();
  json_object_set_string_member (out, "conversationID", args[1]);
  json_object_set_string_member (out, "draftText", draft);
  cli_print_object (out);
  return 0;
}
