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

/* getUserStatus takes at most this many user IDs at once. */
#define STATUS_BATCH 500

/* Of users, which were not on the list before: the first that has no account, else NULL. The
 * server's answer does not tell (it says 0 for any ID off the list), so this is asked
 * separately, as `status` does: "unknown" is no account. */
static char *
first_unknown (Cli *cli, char **users, GHashTable *listed, GError **error)
{
  g_autoptr (GPtrArray) ask = g_ptr_array_new ();

  for (guint i = 0; users[i] != NULL; i++)
    if (!g_hash_table_contains (listed, users[i]))
      g_ptr_array_add (ask, users[i]);
  for (guint start = 0; start < ask->len; start += STATUS_BATCH)
    {
      g_autoptr (GPtrArray) batch = g_ptr_array_new ();
      g_autoptr (GPtrArray) infos = NULL;
      GAsyncResult *result;

      for (guint i = start; i < MIN (ask->len, start + STATUS_BATCH); i++)
        g_ptr_array_add (batch, ask->pdata[i]);
      g_ptr_array_add (batch, NULL);
      tim_client_get_user_status_async (cli->client, (const char *const *) batch->pdata, NULL,
                                        cli_on_result, cli);
      if ((result = cli_wait (cli, error)) == NULL ||
          (infos = tim_client_get_user_status_finish (cli->client, result, error)) == NULL)
        return NULL;
      for (guint i = 0; i < infos->len; i++)
        {
          TimUserStatusInfo *info = infos->pdata[i];

          if (info->status == TIM_USER_STATUS_UNKNOWN)
            return g_strdup (info->user_id);
        }
    }
  return NULL;
}

/* unblock: anyone on the list goes (account or not); anyone else is nothing to do, as blocking
 * someone blocked already is, but an ID with no account is 30003, as for block: a typo is told,
 * not taken for done. The others are done either way. */
static gboolean
unblock (Cli *cli, char **users, GError **error)
{
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) before = NULL;
  g_autofree char *unknown = NULL;
  g_autoptr (GError) local = NULL;
  GAsyncResult *result;

  /* The list as the server has it now (the login reads it, but maybe not yet). */
  tim_client_get_blocklist_async (cli->client, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL ||
      (before = tim_client_get_blocklist_finish (cli->client, result, error)) == NULL)
    return FALSE;
  for (guint i = 0; before[i] != NULL; i++)
    g_hash_table_add (listed, g_strdup (before[i]));
  tim_client_remove_from_blocklist_async (cli->client, (const char *const *) users, NULL,
                                          cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL ||
      !tim_client_remove_from_blocklist_finish (cli->client, result, error))
    return FALSE;
  unknown = first_unknown (cli, users, listed, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (unknown != NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_SNS_ACCOUNT_NOT_FOUND, "%s: %s", unknown,
                   tim_error_text (TIM_ERROR_SNS_ACCOUNT_NOT_FOUND));
      return FALSE;
    }
  return TRUE;
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
  if (!blocking)
    done = unblock (cli, args + 1, &error);
  else
    {
      tim_client_add_to_blocklist_async (cli->client, (const char *const *) args + 1, NULL,
                                         cli_on_result, cli);
      done = (result = cli_wait (cli, &error)) != NULL &&
             tim_client_add_to_blocklist_finish (cli->client, result, &error);
    }
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
