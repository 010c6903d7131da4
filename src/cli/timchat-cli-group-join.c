/* timchat-cli-group-join.c: `group search`, `group join`, `group requests` and `group answer`:
 * finding a group, asking to join it, listing the applications that wait, and answering one from
 * its notice or the list (the Web SDK's searchGroupByID, joinGroup, getGroupApplicationList and
 * handleGroupApplication, through libtim). Each returns the object
 * `--json` prints, and says it in a line otherwise. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

JsonObject *
cli_group_search (Cli *cli, const char *group_id, GError **error)
{
  g_autoptr (TimGroupInfo) info = NULL;
  GAsyncResult *result;
  JsonObject *reply;

  tim_client_search_group_async (cli->client, group_id, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL ||
      (info = tim_client_search_group_finish (cli->client, result, error)) == NULL)
    return NULL;
  if (!cli->json)
    /* Translators: a group found: its name, type, member count and how one joins it. */
    g_print (g_dngettext (GETTEXT_PACKAGE, "%s (%s, %u member, %s)\n", "%s (%s, %u members, %s)\n",
                          info->member_count),
             info->name, info->type, info->member_count, info->join_option);
  reply = json_object_new ();
  json_object_set_string_member (reply, "groupID", info->group_id);
  json_object_set_string_member (reply, "type", info->type);
  json_object_set_string_member (reply, "name", info->name);
  json_object_set_string_member (reply, "introduction", info->introduction);
  json_object_set_string_member (reply, "notification", info->notification);
  json_object_set_string_member (reply, "avatar", info->face_url);
  json_object_set_string_member (reply, "ownerID", info->owner_id);
  json_object_set_int_member (reply, "memberCount", info->member_count);
  json_object_set_int_member (reply, "maxMemberCount", info->max_member_count);
  json_object_set_string_member (reply, "joinOption", info->join_option);
  return reply;
}

JsonObject *
cli_group_join (Cli *cli, const char *group_id, const char *message, GError **error)
{
  static const char *const statuses[] = { "JoinedSuccess", "WaitAdminApproval", "AlreadyInGroup" };
  GAsyncResult *result;
  JsonObject *reply;
  int status;

  tim_client_join_group_async (cli->client, group_id, message, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL ||
      (status = tim_client_join_group_finish (cli->client, result, error)) < 0)
    return NULL;
  if (!cli->json && status == TIM_JOIN_STATUS_JOINED)
    g_print (_ ("Joined %s.\n"), group_id);
  else if (!cli->json && status == TIM_JOIN_STATUS_WAIT_APPROVAL)
    g_print (_ ("Asked to join %s: its owner or an admin will answer.\n"), group_id);
  else if (!cli->json)
    g_print (_ ("You are a member of %s already.\n"), group_id);
  reply = json_object_new ();
  json_object_set_string_member (reply, "status", statuses[status]);
  return reply;
}

static GPtrArray *
list_applications (Cli *cli, GError **error)
{
  GAsyncResult *result;

  tim_client_get_group_applications_async (cli->client, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL)
    return NULL;
  return tim_client_get_group_applications_finish (cli->client, result, error);
}

JsonObject *
cli_group_requests (Cli *cli, GError **error)
{
  g_autoptr (GPtrArray) applications = list_applications (cli, error);
  JsonArray *items;
  JsonObject *reply;

  if (applications == NULL)
    return NULL;
  items = json_array_new ();
  for (guint i = 0; i < applications->len; i++)
    {
      const TimGroupApplication *application = applications->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "groupID", application->group_id);
      json_object_set_string_member (item, "groupName", application->group_name);
      json_object_set_string_member (item, "applicant", application->applicant);
      json_object_set_string_member (item, "applicantNick", application->applicant_nick);
      json_object_set_string_member (item, "message", application->message);
      json_object_set_int_member (item, "time", application->time);
      json_array_add_object_element (items, item);
      if (!cli->json)
        /* Translators: an application to join: %1$s is the applicant, %2$s the group's ID,
         * %3$s its name, %4$s what the applicant said. */
        g_print (_ ("%1$s asks to join %2$s (%3$s): “%4$s”\n"), application->applicant,
                 application->group_id, application->group_name, application->message);
    }
  if (!cli->json && applications->len == 0)
    g_print ("%s\n", _ ("No application waits for an answer."));
  reply = json_object_new ();
  json_object_set_array_member (reply, "applications", items);
  return reply;
}

/* USER's application to GROUP from the list, answered. */
static gboolean
answer_listed (Cli *cli, const char *group_id, const char *user, gboolean refuse,
               const char *reason, GError **error)
{
  g_autoptr (GPtrArray) applications = list_applications (cli, error);
  GAsyncResult *result;

  if (applications == NULL)
    return FALSE;
  for (guint i = 0; i < applications->len; i++)
    {
      const TimGroupApplication *application = applications->pdata[i];

      if (!g_str_equal (application->group_id, group_id) ||
          !g_str_equal (application->applicant, user))
        continue;
      tim_client_answer_group_application_async (cli->client, application, !refuse, reason, NULL,
                                                 cli_on_result, cli);
      return (result = cli_wait (cli, error)) != NULL &&
             tim_client_answer_group_application_finish (cli->client, result, error);
    }
  g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED,
               /* Translators: %1$s is the applicant's user ID, %2$s the group's ID. */
               _ ("No application of %1$s to %2$s waits for your answer"), user, group_id);
  return FALSE;
}

JsonObject *
cli_group_answer (Cli *cli, const char *notice_or_group, const char *user, gboolean refuse,
                  const char *reason, GError **error)
{
  g_autoptr (TimMessage) notice = NULL;
  GAsyncResult *result;

  if (user != NULL)
    {
      if (!answer_listed (cli, notice_or_group, user, refuse, reason, error))
        return NULL;
    }
  else
    {
      notice = cli_find_in_history (cli, TIM_SYSTEM_CONVERSATION_ID, notice_or_group,
                                    TIM_ERROR_INVALID_PARAMETER, error);
      if (notice == NULL)
        return NULL;
      tim_client_handle_group_application_async (cli->client, notice, !refuse, reason, NULL,
                                                 cli_on_result, cli);
      if ((result = cli_wait (cli, error)) == NULL ||
          !tim_client_handle_group_application_finish (cli->client, result, error))
        return NULL;
    }
  if (!cli->json)
    g_print ("%s\n", refuse ? _ ("Refused.") : _ ("Accepted."));
  return json_object_new ();
}
