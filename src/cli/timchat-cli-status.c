/* timchat-cli-status.c: status, whether users are online (the SDK's getUserStatus). */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* JSON [{userID, status, customStatus}], or a line a user: "bob online In a meeting". */
static void
print_statuses (Cli *cli, GPtrArray *infos)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < infos->len; i++)
    {
      TimUserStatusInfo *info = infos->pdata[i];
      const char *status = tim_user_status_to_string (info->status);
      JsonObject *item;

      if (!cli->json)
        {
          g_print ("%s %s%s%s\n", info->user_id, status, *info->custom_status != '\0' ? " " : "",
                   info->custom_status);
          continue;
        }
      item = json_object_new ();
      json_object_set_string_member (item, "userID", info->user_id);
      json_object_set_string_member (item, "status", status);
      json_object_set_string_member (item, "customStatus", info->custom_status);
      json_array_add_object_element (array, item);
    }
  if (cli->json)
    cli_print_array (array);
  json_array_unref (array);
}

int
cli_cmd_status (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = NULL;
  GAsyncResult *result;

  if (!cli_parse (cli, &args, "USER…",
                  _ ("Says whether the users are online now (online, offline: gone without "
                     "logging out, unlogined: logged out; unknown for an ID with no account), "
                     "with the status they set."),
                  NULL, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) == 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("Name at least one user"));
  if (!cli_connect (cli, FALSE, &error))
    return cli_fail (cli, error);
  tim_client_get_user_status_async (cli->client, (const char *const *) args + 1, NULL,
                                    cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      (infos = tim_client_get_user_status_finish (cli->client, result, &error)) == NULL)
    return cli_fail (cli, error);
  print_statuses (cli, infos);
  return 0;
}
