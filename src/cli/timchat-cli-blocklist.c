/* timchat-cli-blocklist.c: the blocklist (the SDK's blacklist): block, unblock, blocked. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* What the list is now: JSON {blocked: [...]} or a user ID a line. */
static int
print_list (Cli *cli, GStrv users)
{
  JsonObject *out;
  JsonArray *array;

  if (!cli->json)
    {
      for (guint i = 0; users[i] != NULL; i++)
        g_print ("%s\n", users[i]);
      return 0;
    }
  out = json_object_new ();
  array = json_array_new ();
  for (guint i = 0; users[i] != NULL; i++)
    json_array_add_string_element (array, users[i]);
  json_object_set_array_member (out, "blocked", array);
  cli_print_object (out);
  return 0;
}

static int
change (Cli *cli, char **args, gboolean blocking)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) users = NULL;
  GAsyncResult *result;
  gboolean done;

  if (!cli_parse (cli, &args, "USER…",
                  blocking ? _ ("Blocks the users: they can no longer send you messages (you can "
                                "still write to them), on every device of yours.")
                           : _ ("Unblocks the users."),
                  NULL, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) == 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("Name at least one user"));
  if (!cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  if (blocking)
    tim_client_add_to_blocklist_async (cli->client, (const char *const *) args + 1, NULL,
                                       cli_on_result, cli);
  else
    tim_client_remove_from_blocklist_async (cli->client, (const char *const *) args + 1, NULL,
                                            cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL)
    return cli_fail (cli, error);
  done = blocking ? tim_client_add_to_blocklist_finish (cli->client, result, &error)
                  : tim_client_remove_from_blocklist_finish (cli->client, result, &error);
  if (!done)
    return cli_fail (cli, error);
  users = tim_client_dup_blocklist (cli->client);
  return print_list (cli, users);
}

int
cli_cmd_block (Cli *cli, char **args)
{
  return change (cli, args, TRUE);
}

int
cli_cmd_unblock (Cli *cli, char **args)
{
  return change (cli, args, FALSE);
}

int
cli_cmd_blocked (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) users = NULL;
  GAsyncResult *result;

  if (!cli_parse (cli, &args, "", _ ("Lists the users you blocked."), NULL, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("blocked takes no arguments"));
  if (!cli_connect (cli, FALSE, &error))
    return cli_fail (cli, error);
  tim_client_get_blocklist_async (cli->client, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      (users = tim_client_get_blocklist_finish (cli->client, result, &error)) == NULL)
    return cli_fail (cli, error);
  return print_list (cli, users);
}
