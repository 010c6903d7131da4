/* timchat-cmd-blocklist.c: the SDK's blacklist: sns.black_list_get, _add and _delete (also as
 * REST v4/sns/...). A blocked user's one-to-one messages to the owner are refused with 20007
 * (timchat-cmd-c2c.c); groups are not affected. Each change is pushed to every socket of the
 * owner as FriendListMod (BlackListAddAccount, BlackListDelAccount), which the SDK's
 * friendListMod handler applies: the asking one too, since the SDK does not read its add's reply
 * (it looks for resultItem outside the reply's data); it goes before the reply (the command table
 * says so: TIMCHAT_COMMAND_PUSHES_FIRST). A device that was away reads the list again at login.
 */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-c2c-private.h"
#include "timchat-hub.h"

/* The users one request may add or remove. */
#define MAX_ITEMS 1000
/* Ours: the facts record no Event number for FriendListMod; the SDK goes by the key. */
#define FRIEND_LIST_EVENT 17

/* To_Account: an array of 1 to MAX_ITEMS user IDs. */
static JsonArray *
requested_users (TimchatRequest *request, GError **error)
{
  JsonArray *users = tim_json_get_array (request->body, "To_Account");
  guint n = users != NULL ? json_array_get_length (users) : 0;

  if (n == 0 || n > MAX_ITEMS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "To_Account needs 1 to %d user IDs", MAX_ITEMS);
      return NULL;
    }
  return users;
}

static JsonObject *
result_item (const char *user_id, int code, const char *info)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "To_Account", user_id != NULL ? user_id : "");
  json_object_set_int_member (item, "ResultCode", code);
  json_object_set_string_member (item, "ResultInfo", info);
  return item;
}

static void
push_change (TimchatRequest *request, const char *owner, const char *key, JsonArray *changed)
{
  JsonObject *item = json_object_new ();
  g_autoptr (JsonObject) body = NULL;

  json_object_set_array_member (item, key, changed);
  body = _timchat_wire_push_body (FRIEND_LIST_EVENT, "FriendListMod", item);
  timchat_hub_push (timchat_server_get_hub (request->server), owner, TIMCHAT_PUSH_SERVCMD, body,
                    NULL);
}

/* Adds (blocking) or removes each user; an item that cannot be done says why in its ResultCode
 * and the others are done. */
static JsonObject *
change_list (TimchatRequest *request, gboolean blocking, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *owner =
      _timchat_acting_user (request, "From_Account", TRUE, TIM_ERROR_FROM_ACCOUNT_INVALID, error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (JsonArray) changed = json_array_new ();
  JsonArray *results;
  JsonArray *users;
  JsonObject *reply;

  if (owner == NULL ||
      !_timchat_c2c_require_account (request, owner, TIM_ERROR_FROM_ACCOUNT_INVALID, error) ||
      (users = requested_users (request, error)) == NULL)
    return NULL;
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      const char *user_id = tim_json_array_get_string (users, i);
      g_autoptr (TimchatAccount) account = user_id != NULL && tim_user_id_is_valid (user_id)
                                               ? timchat_store_get_account (store, user_id)
                                               : NULL;

      if (user_id == NULL || !tim_user_id_is_valid (user_id) || g_str_equal (user_id, owner))
        json_array_add_object_element (
            results, result_item (user_id, TIM_ERROR_SNS_INVALID_PARAMETER,
                                  "Not a user ID that can be blocked (yourself, or invalid)"));
      /* Unblocking one whose account is gone still works: nothing is left to do. */
      else if (account == NULL && blocking)
        json_array_add_object_element (
            results, result_item (user_id, TIM_ERROR_SNS_ACCOUNT_NOT_FOUND, "No such account"));
      else if (blocking ? !timchat_store_block_user (store, owner, user_id, now, error)
                        : !timchat_store_unblock_user (store, owner, user_id, error))
        {
          json_array_unref (results);
          return NULL;
        }
      else
        {
          json_array_add_object_element (results, result_item (user_id, 0, ""));
          json_array_add_string_element (changed, user_id);
        }
    }
  if (json_array_get_length (changed) > 0)
    push_change (request, owner, blocking ? "BlackListAddAccount" : "BlackListDelAccount",
                 g_steal_pointer (&changed));
  reply = json_object_new ();
  json_object_set_array_member (reply, "ResultItem", results);
  return reply;
}

JsonObject *
_timchat_cmd_black_list_add (TimchatRequest *request, GError **error)
{
  return change_list (request, TRUE, error);
}

JsonObject *
_timchat_cmd_black_list_delete (TimchatRequest *request, GError **error)
{
  return change_list (request, FALSE, error);
}

/* StartIndex/MaxLimited page the list, oldest first; the next StartIndex is 0 when it is done.
 * CurruentSequence (the vendor's spelling) is how many there are: we keep no versions. */
JsonObject *
_timchat_cmd_black_list_get (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *owner =
      _timchat_acting_user (request, "From_Account", TRUE, TIM_ERROR_FROM_ACCOUNT_INVALID, error);
  gint64 start, limit;
  g_autoptr (GPtrArray) blocked = NULL;
  JsonArray *items;
  JsonObject *reply;

  if (owner == NULL ||
      !_timchat_request_get_int_or (request, request->body, "StartIndex", 0, &start,
                                    TIM_ERROR_INVALID_PARAMETER, error) ||
      !_timchat_request_get_int_or (request, request->body, "MaxLimited", 100, &limit,
                                    TIM_ERROR_INVALID_PARAMETER, error))
    return NULL;
  if (start < 0 || limit < 1)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "StartIndex must be 0 or more and MaxLimited 1 or more");
      return NULL;
    }
  limit = MIN (limit, MAX_ITEMS);
  blocked = timchat_store_list_blocked (store, owner);
  /* Past the end, however far, is the end (and start + limit cannot overflow). */
  start = MIN (start, (gint64) blocked->len);
  items = json_array_new ();
  for (guint i = (guint) start; i < blocked->len && i < start + limit; i++)
    {
      TimchatBlocked *one = blocked->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "To_Account", one->user_id);
      json_object_set_int_member (item, "AddBlackTimeStamp", one->time);
      json_array_add_object_element (items, item);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "BlackListItem", items);
  json_object_set_int_member (reply, "StartIndex",
                              start + limit < blocked->len ? start + limit : 0);
  json_object_set_int_member (reply, "CurruentSequence", blocked->len);
  return reply;
}
