/* timchat-cli-folders.c: `folders`, the user's folders of conversations (the SDK's conversation
 * groups), through libtim: listed, or created, renamed, deleted, filled and emptied; each prints
 * the list as it is afterwards. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* JSON {folders: [{name, conversations: [ID]}]}, or a line a folder: "Work: C2Cbob, GROUP…". */
static int
print_folders (Cli *cli, GStrv folders)
{
  GListModel *conversations = G_LIST_MODEL (tim_client_get_conversations (cli->client));
  JsonArray *list = json_array_new ();
  JsonObject *out = json_object_new ();

  for (guint i = 0; folders[i] != NULL; i++)
    {
      JsonObject *folder = json_object_new ();
      JsonArray *ids = json_array_new ();
      g_autoptr (GString) line = g_string_new (folders[i]);

      g_string_append (line, ":");
      for (guint j = 0; j < g_list_model_get_n_items (conversations); j++)
        {
          g_autoptr (TimConversation) conversation = g_list_model_get_item (conversations, j);

          if (!tim_conversation_is_in_folder (conversation, folders[i]))
            continue;
          json_array_add_string_element (ids, tim_conversation_get_id (conversation));
          g_string_append_printf (line, "%s %s", json_array_get_length (ids) > 1 ? "," : "",
                                  tim_conversation_get_id (conversation));
        }
      json_object_set_string_member (folder, "name", folders[i]);
      json_object_set_array_member (folder, "conversations", ids);
      json_array_add_object_element (list, folder);
      if (!cli->json)
        g_print ("%s\n", line->str);
    }
  json_object_set_array_member (out, "folders", list);
  if (cli->json)
    cli_print_object (out);
  else
    json_object_unref (out);
  return 0;
}

static const struct
{
  const char *name;
  const char *parameters;
  const char *summary;
  guint min_args, max_args; /* after the subcommand */
} subcommands[] = {
  { "create", "NAME [CONVERSATION…]", N_ ("Makes a folder, with these conversations in it."), 1,
    G_MAXUINT },
  { "rename", "NAME NEW-NAME", N_ ("Renames a folder."), 2, 2 },
  { "delete", "NAME", N_ ("Deletes a folder; its conversations stay in the list."), 1, 1 },
  { "add", "NAME CONVERSATION…", N_ ("Puts conversations in a folder."), 2, G_MAXUINT },
  { "remove", "NAME CONVERSATION…", N_ ("Takes conversations out of a folder."), 2, G_MAXUINT },
};

int
cli_cmd_folders (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) folders = NULL;
  /* Wherever the options are: `folders --json create X` too. */
  g_autofree char *sub = cli_take_subcommand (&args, NULL, NULL, &error);
  guint which = G_N_ELEMENTS (subcommands);
  GAsyncResult *result;
  gboolean done = TRUE;
  guint n;

  if (error != NULL)
    return cli_fail (cli, error);
  for (guint i = 0; sub != NULL && i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (sub, subcommands[i].name))
      which = i;
  if (sub != NULL && which == G_N_ELEMENTS (subcommands))
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Unknown folders subcommand “%s” (create, rename, delete, add or "
                              "remove)"),
                           sub);

      return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, message);
    }
  if (!cli_parse (cli, &args, sub != NULL ? subcommands[which].parameters : "",
                  sub != NULL
                      ? _ (subcommands[which].summary)
                      : _ ("Lists your folders of conversations and what is in each. To change "
                           "them: folders create NAME [CONVERSATION…], folders rename NAME "
                           "NEW-NAME, folders delete NAME, folders add NAME "
                           "CONVERSATION…, folders remove NAME CONVERSATION…."),
                  NULL, &error))
    return cli_fail (cli, error);
  n = cli_args_count (args);
  if (sub == NULL ? n != 0 : n < subcommands[which].min_args || n > subcommands[which].max_args)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Usage: timchat-cli folders %s %s"), sub != NULL ? sub : "",
                           sub != NULL ? subcommands[which].parameters : "");

      return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, message);
    }
  if (!cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  /* The folders as the server has them, each conversation's with them. */
  tim_client_get_folders_async (cli->client, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      (folders = tim_client_get_folders_finish (cli->client, result, &error)) == NULL)
    return cli_fail (cli, error);
  if (sub == NULL)
    return print_folders (cli, folders);
  if (g_str_equal (sub, "create"))
    tim_client_create_folder_async (cli->client, args[1], (const char *const *) args + 2, NULL,
                                    cli_on_result, cli);
  else if (g_str_equal (sub, "rename"))
    tim_client_rename_folder_async (cli->client, args[1], args[2], NULL, cli_on_result, cli);
  else if (g_str_equal (sub, "delete"))
    tim_client_delete_folder_async (cli->client, args[1], NULL, cli_on_result, cli);
  else
    tim_client_set_in_folder_async (cli->client, (const char *const *) args + 2, args[1],
                                    g_str_equal (sub, "add"), NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL)
    return cli_fail (cli, error);
  if (g_str_equal (sub, "create"))
    done = tim_client_create_folder_finish (cli->client, result, &error);
  else if (g_str_equal (sub, "rename"))
    done = tim_client_rename_folder_finish (cli->client, result, &error);
  else if (g_str_equal (sub, "delete"))
    done = tim_client_delete_folder_finish (cli->client, result, &error);
  else
    done = tim_client_set_in_folder_finish (cli->client, result, &error);
  if (!done)
    return cli_fail (cli, error);
  g_clear_pointer (&folders, g_strfreev);
  folders = tim_client_dup_folders (cli->client);
  return print_folders (cli, folders);
}
