/* timchat-cmd-status.c: whether users are online (the SDK's getUserStatus, subscribeUserStatus,
 * unsubscribeUserStatus and setSelfStatus: im_open_status.ws_*). The state is TimchatPresence's;
 * these check the requests and answer as the SDK reads. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-group-notify.h"
#include "timchat-presence.h"

/* The SDK's own limits a call: 500 users asked about, 100 followed or unfollowed. */
#define MAX_QUERIED 500
#define MAX_FOLLOWED_A_CALL 100

/* To_Account: 1 to `most` user IDs, or the whole request is refused. */
static JsonArray *
require_users (TimchatRequest *request, guint most, GError **error)
{
  JsonArray *users = tim_json_get_array (request->body, "To_Account");
  guint n = users != NULL ? json_array_get_length (users) : 0;

  if (n == 0 || n > most)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "To_Account needs 1 to %u user IDs", most);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    if (!tim_user_id_is_valid (tim_json_array_get_string (users, i)))
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                     "To_Account[%u] is not a user ID", i);
        return NULL;
      }
  return users;
}

/* An ErrorList entry, {To_Account, ErrorCode, ErrorInfo}. */
static void
add_error (JsonArray *errors, const char *user, int code, const char *info)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "To_Account", user);
  json_object_set_int_member (item, "ErrorCode", code);
  json_object_set_string_member (item, "ErrorInfo", info);
  json_array_add_object_element (errors, item);
}

/* UserStatusList[{To_Account, Status (1 online, 2 offline, 3 logged out), CustomStatus}] for
 * each user with an account; ErrorList (70107) for the others. */
JsonObject *
_timchat_cmd_get_user_status (TimchatRequest *request, GError **error)
{
  TimchatPresence *presence = timchat_server_get_presence (request->server);
  JsonArray *users = require_users (request, MAX_QUERIED, error);
  JsonArray *statuses, *errors;
  JsonObject *reply;

  if (users == NULL)
    return NULL;
  statuses = json_array_new ();
  errors = json_array_new ();
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      const char *user = tim_json_array_get_string (users, i);

      if (_timchat_account_exists (request, user))
        json_array_add_object_element (statuses, timchat_presence_status_json (presence, user));
      else
        add_error (errors, user, TIM_ERROR_ACCOUNT_NOT_FOUND, "No such account");
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "UserStatusList", statuses);
  json_object_set_array_member (reply, "ErrorList", errors);
  return reply;
}

/* The caller hears of each user's changes (the UserStatusList push) until they unsubscribe or log
 * out; an unknown account (70107) or one past the caller's limit is in ErrorList. */
JsonObject *
_timchat_cmd_subscribe_user_status (TimchatRequest *request, GError **error)
{
  TimchatPresence *presence = timchat_server_get_presence (request->server);
  JsonArray *users = require_users (request, MAX_FOLLOWED_A_CALL, error);
  JsonArray *errors;
  JsonObject *reply;

  if (users == NULL)
    return NULL;
  errors = json_array_new ();
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      const char *user = tim_json_array_get_string (users, i);

      if (!_timchat_account_exists (request, user))
        add_error (errors, user, TIM_ERROR_ACCOUNT_NOT_FOUND, "No such account");
      else if (!timchat_presence_follow (presence, request->user, user))
        add_error (errors, user, TIM_ERROR_INVALID_PARAMETER,
                   "You follow the status of as many users as one may");
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "ErrorList", errors);
  return reply;
}

/* To_Account, or UnsubscribeAll:1 for everyone the caller follows. */
JsonObject *
_timchat_cmd_unsubscribe_user_status (TimchatRequest *request, GError **error)
{
  TimchatPresence *presence = timchat_server_get_presence (request->server);
  JsonArray *users = NULL;
  JsonObject *reply;

  if (tim_json_get_int_or (request->body, "UnsubscribeAll", 0) == 1)
    timchat_presence_unfollow (presence, request->user, NULL);
  else if ((users = require_users (request, MAX_FOLLOWED_A_CALL, error)) == NULL)
    return NULL;
  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    timchat_presence_unfollow (presence, request->user, tim_json_array_get_string (users, i));
  reply = json_object_new ();
  json_object_set_array_member (reply, "ErrorList", json_array_new ());
  return reply;
}

/* CustomStatus: up to 100 bytes, "" to clear; it lasts while the caller is online. */
JsonObject *
_timchat_cmd_set_self_status (TimchatRequest *request, GError **error)
{
  const char *custom = tim_json_get_string (request->body, "CustomStatus");

  if (custom == NULL || strlen (custom) > TIM_MAX_CUSTOM_STATUS_BYTES ||
      !g_utf8_validate (custom, -1, NULL))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "CustomStatus must be a text of at most %d bytes", TIM_MAX_CUSTOM_STATUS_BYTES);
      return NULL;
    }
  timchat_presence_set_custom_status (timchat_server_get_presence (request->server), request->user,
                                      custom);
  return json_object_new ();
}
