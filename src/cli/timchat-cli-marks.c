/* timchat-cli-marks.c: mark, a conversation's marks (the SDK's markConversation), and the
 * markList the conversation's JSON carries; custom-data, the user's own words on a conversation
 * (setConversationCustomData). */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

static const struct
{
  const char *name;
  TimConvMark mark;
} mark_names[] = {
  { "star", TIM_CONV_MARK_STAR },
  { "unread", TIM_CONV_MARK_UNREAD },
  { "fold", TIM_CONV_MARK_FOLD },
  { "hide", TIM_CONV_MARK_HIDE },
};

JsonArray *
cli_marks_to_json (guint64 marks)
{
  JsonArray *list = json_array_new ();

  /* The SDK's markList: each mark's value, 2^bit. JSON's integers end at 2^63 - 1. */
  for (int bit = 0; bit < 64; bit++)
    if ((marks >> bit) & 1)
      {
        if (bit < 63)
          json_array_add_int_element (list, (gint64) 1 << bit);
        else
          json_array_add_double_element (list, 9223372036854775808.0);
      }
  return list;
}

/* A mark by name, or as the SDK's markType: one power of two (1 … 2^63); 0 for anything else. */
static guint64
parse_mark (const char *text)
{
  guint64 value = 0;

  for (guint i = 0; i < G_N_ELEMENTS (mark_names); i++)
    if (g_ascii_strcasecmp (text, mark_names[i].name) == 0)
      return mark_names[i].mark;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, &value, NULL))
    return 0;
  return (value & (value - 1)) == 0 ? value : 0;
}

int
cli_cmd_mark (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  gboolean off = FALSE;
  const GOptionEntry entries[] = {
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_ ("Take the marks away"), NULL },
    { NULL },
  };
  TimConversation *conversation;
  GAsyncResult *result;
  guint64 marks = 0;
  JsonObject *out;

  if (!cli_parse (cli, &args, "CONVERSATION MARK…",
                  _ ("Marks CONVERSATION, on every device: MARK is unread, star, fold, hide, or a "
                     "mark of your own as a power of two (16, 32, …). Reading the conversation "
                     "takes “unread” away."),
                  entries, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) < 2)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("Name a conversation and at least one mark"));
  for (guint i = 2; args[i] != NULL; i++)
    {
      guint64 mark = parse_mark (args[i]);

      if (mark == 0)
        {
          g_autofree char *message = g_strdup_printf (
              _ ("“%s” is not unread, star, fold, hide or a power of two"), args[i]);

          return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, message);
        }
      marks |= mark;
    }
  if (cli_parse_conversation (args[1], NULL, FALSE, &error) == TIM_CONV_INVALID ||
      !cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  tim_client_mark_conversation_async (cli->client, args[1], marks, !off, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      !tim_client_mark_conversation_finish (cli->client, result, &error))
    return cli_fail (cli, error);
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (cli->client), args[1]);
  if (!cli->json)
    {
      g_print (off ? _ ("Took the marks off %s.\n") : _ ("Marked %s.\n"), args[1]);
      return 0;
    }
  out = json_object_new ();
  json_object_set_string_member (out, "conversationID", args[1]);
  json_object_set_array_member (
      out, "markList",
      cli_marks_to_json (conversation ? tim_conversation_get_marks (conversation) : 0));
  cli_print_object (out);
  return 0;
}

int
cli_cmd_custom_data (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  GAsyncResult *result;
  JsonObject *out;

  if (!cli_parse (cli, &args, "CONVERSATION TEXT",
                  _ ("Keeps TEXT (at most 256 characters; \"\" clears it) with CONVERSATION, on "
                     "every device: the SDK's customData."),
                  NULL, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 2)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("Name a conversation and the text (\"\" clears it)"));
  if (cli_parse_conversation (args[1], NULL, FALSE, &error) == TIM_CONV_INVALID ||
      !cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  tim_client_set_conversation_custom_data_async (cli->client, args[1], args[2], NULL, cli_on_result,
                                                 cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      !tim_client_set_conversation_custom_data_finish (cli->client, result, &error))
    return cli_fail (cli, error);
  if (!cli->json)
    {
      g_print (_ ("Kept with %s.\n"), args[1]);
      return 0;
    }
  out = json_object_new ();
  json_object_set_string_member (out, "conversationID", args[1]);
  json_object_set_string_member (out, "customData", args[2]);
  cli_print_object (out);
  return 0;
}
