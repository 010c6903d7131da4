/* timchat-cmd-profile.c: nick and avatar (Tag_Profile_IM_Nick, Tag_Profile_IM_Image). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"

#define PROFILE_VALUE_MAX 500

static void
add_tag (JsonArray *items, const char *tag, const char *value)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "Tag", tag);
  json_object_set_string_member (item, "Value", value);
  json_array_add_object_element (items, item);
}

static JsonObject *
profile_item (TimchatStore *store, const char *user)
{
  g_autoptr (TimchatAccount) account = timchat_store_get_account (store, user);
  JsonObject *item = json_object_new ();
  JsonArray *tags = json_array_new ();

  json_object_set_string_member (item, "To_Account", user);
  if (account != NULL)
    {
      add_tag (tags, "Tag_Profile_IM_Nick", account->nick);
      add_tag (tags, "Tag_Profile_IM_Image", account->avatar);
    }
  json_object_set_array_member (item, "ProfileItem", tags);
  json_object_set_int_member (item, "ResultCode",
                              account != NULL ? 0 : TIM_ERROR_ACCOUNT_NOT_FOUND);
  json_object_set_string_member (item, "ResultInfo",
                                 account != NULL ? "" : "The account does not exist");
  return item;
}

/* The SDK sends UserItem[{To_Account}], REST sends To_Account[...]; one item per requested user
 * (the SDK's getConversationProfile fails without one). */
JsonObject *
_timchat_cmd_portrait_get (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *user_items = tim_json_get_array (request->body, "UserItem");
  JsonArray *accounts = tim_json_get_array (request->body, "To_Account");
  JsonArray *result = json_array_new ();
  JsonObject *reply = json_object_new ();

  if (user_items == NULL && accounts == NULL && (request->user == NULL || request->is_admin))
    {
      json_array_unref (result);
      json_object_unref (reply);
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "To_Account must be an array");
      return NULL;
    }
  for (guint i = 0; i < MIN (100, user_items ? json_array_get_length (user_items)
                                  : accounts ? json_array_get_length (accounts)
                                             : 1);
       i++)
    {
      const char *user =
          user_items != NULL
              ? tim_json_get_string (tim_json_array_get_object (user_items, i), "To_Account")
          : accounts != NULL ? tim_json_array_get_string (accounts, i)
                             : request->user;

      if (user == NULL)
        {
          json_array_unref (result);
          json_object_unref (reply);
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "Item %u of the user list is not a user ID", i);
          return NULL;
        }
      json_array_add_object_element (result, profile_item (store, user));
    }
  json_object_set_array_member (reply, "UserProfileItem", result);
  return reply;
}

JsonObject *
_timchat_cmd_portrait_set (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user =
      request->is_admin ? tim_json_get_string (request->body, "From_Account") : request->user;
  JsonArray *items = tim_json_get_array (request->body, "ProfileItem");
  const char *nick = NULL;
  const char *avatar = NULL;
  g_autoptr (TimchatAccount) account = NULL;

  if (user == NULL || items == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "From_Account and ProfileItem are required");
      return NULL;
    }
  if ((account = timchat_store_get_account (store, user)) == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", user);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      const char *tag = tim_json_get_string (item, "Tag");
      const char *value = tim_json_get_string (item, "Value");

      if (tag == NULL || value == NULL || strlen (value) > PROFILE_VALUE_MAX)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "ProfileItem[%u] needs a Tag and a string Value of at most %d bytes", i,
                       PROFILE_VALUE_MAX);
          return NULL;
        }
      if (g_str_equal (tag, "Tag_Profile_IM_Nick"))
        nick = value;
      else if (g_str_equal (tag, "Tag_Profile_IM_Image"))
        avatar = value;
    }
  if (!timchat_store_set_profile (store, user, nick, avatar, error))
    return NULL;
  return json_object_new ();
}
