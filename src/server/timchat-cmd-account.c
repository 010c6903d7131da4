/* timchat-cmd-account.c: account administration over REST (im_open_login_svc). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-hub.h"

#define KICK_TYPE_REST_API 3

/* Voids the user's tickets and closes every live socket with a kick notice. */
JsonObject *
_timchat_cmd_kick (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user = tim_json_get_string_any (request->body, "UserID", "Identifier", NULL);
  g_autoptr (TimchatAccount) account = NULL;
  g_autoptr (GPtrArray) sessions = NULL;

  if (user == NULL || *user == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_ACCOUNT_INVALID_PARAMETER,
                           "UserID is required");
      return NULL;
    }
  if ((account = timchat_store_get_account (store, user)) == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", user);
      return NULL;
    }
  if (!timchat_store_revoke_tickets (store, user, error))
    return NULL;
  sessions = timchat_hub_get_sessions (timchat_server_get_hub (request->server), user);
  for (guint i = 0; i < sessions->len; i++)
    timchat_session_kick (sessions->pdata[i], KICK_TYPE_REST_API);
  g_info ("%s kicked %s off %u sockets", request->user, user, sessions->len);
  return json_object_new ();
}

#define NOT_YET(name)                                                                              \
  JsonObject *name (TimchatRequest *request, GError **error)                                       \
  {                                                                                                \
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_COMMAND, "Not implemented yet");      \
    return NULL;                                                                                   \
  }

NOT_YET (_timchat_cmd_account_import)
NOT_YET (_timchat_cmd_multiaccount_import)
NOT_YET (_timchat_cmd_account_delete)
NOT_YET (_timchat_cmd_account_check)
