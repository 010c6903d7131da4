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

/* ---------------------------------------------------------------- REST (profile service codes) */

#define PORTRAIT_GET_MAX_USERS 100

/* Standard fields we do not keep read as their defaults; only Nick and Image can be set. */
static const struct
{
  const char *tag;
  const char *string_default; /* NULL: an integer field, 0 */
} standard_tags[] = {
  { "Tag_Profile_IM_Nick", "" },
  { "Tag_Profile_IM_Image", "" },
  { "Tag_Profile_IM_Gender", "Gender_Type_Unknown" },
  { "Tag_Profile_IM_BirthDay", NULL },
  { "Tag_Profile_IM_Location", "" },
  { "Tag_Profile_IM_SelfSignature", "" },
  { "Tag_Profile_IM_AllowType", "AllowType_Type_NeedConfirm" },
  { "Tag_Profile_IM_Language", NULL },
  { "Tag_Profile_IM_MsgSettings", NULL },
  { "Tag_Profile_IM_AdminForbidType", "AdminForbid_Type_None" },
  { "Tag_Profile_IM_Level", NULL },
  { "Tag_Profile_IM_Role", NULL },
};

static int
standard_tag_index (const char *tag)
{
  for (guint i = 0; i < G_N_ELEMENTS (standard_tags); i++)
    if (g_str_equal (tag, standard_tags[i].tag))
      return (int) i;
  return -1;
}

static JsonArray *
require_strings (JsonObject *body, const char *member, GError **error)
{
  JsonArray *array = tim_json_get_array (body, member);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (tim_json_array_get_string (array, i) == NULL)
      array = NULL;
  if (array == NULL)
    g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER,
                 "%s must be an array of strings", member);
  return array;
}

static JsonObject *
rest_portrait_get (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *users, *tags, *result, *failed;
  JsonObject *reply;

  if (!json_object_has_member (request->body, "To_Account"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_PROFILE_NO_TARGET, "To_Account is missing");
      return NULL;
    }
  if ((users = require_strings (request->body, "To_Account", error)) == NULL ||
      (tags = require_strings (request->body, "TagList", error)) == NULL)
    return NULL;
  if (json_array_get_length (users) == 0 || json_array_get_length (users) > PORTRAIT_GET_MAX_USERS)
    {
      g_set_error (error, TIM_ERROR,
                   json_array_get_length (users) == 0 ? TIM_ERROR_PROFILE_NO_TARGET
                                                      : TIM_ERROR_PROFILE_INVALID_PARAMETER,
                   "To_Account names 1 to %d users", PORTRAIT_GET_MAX_USERS);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (tags); i++)
    if (standard_tag_index (tim_json_array_get_string (tags, i)) < 0)
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_TAG_NOT_FOUND, "No profile field %s",
                     tim_json_array_get_string (tags, i));
        return NULL;
      }

  result = json_array_new ();
  failed = json_array_new ();
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      const char *user = tim_json_array_get_string (users, i);
      g_autoptr (TimchatAccount) account = timchat_store_get_account (store, user);
      JsonObject *item = json_object_new ();
      JsonArray *values = json_array_new ();

      json_object_set_string_member (item, "To_Account", user);
      for (guint t = 0; account != NULL && t < json_array_get_length (tags); t++)
        {
          int k = standard_tag_index (tim_json_array_get_string (tags, t));
          JsonObject *value = json_object_new ();

          json_object_set_string_member (value, "Tag", standard_tags[k].tag);
          if (k == 0 || k == 1)
            json_object_set_string_member (value, "Value",
                                           k == 0 ? account->nick : account->avatar);
          else if (standard_tags[k].string_default != NULL)
            json_object_set_string_member (value, "Value", standard_tags[k].string_default);
          else
            json_object_set_int_member (value, "Value", 0);
          json_array_add_object_element (values, value);
        }
      if (account == NULL)
        json_array_add_string_element (failed, user);
      json_object_set_array_member (item, "ProfileItem", values);
      json_object_set_int_member (item, "ResultCode",
                                  account != NULL ? 0 : TIM_ERROR_PROFILE_ACCOUNT_NOT_FOUND);
      json_object_set_string_member (item, "ResultInfo",
                                     account != NULL ? "" : "The account does not exist");
      json_array_add_object_element (result, item);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "UserProfileItem", result);
  json_object_set_array_member (reply, "Fail_Account", failed);
  json_object_set_string_member (reply, "ErrorDisplay", "");
  return reply;
}

static JsonObject *
rest_portrait_set (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user = tim_json_get_string (request->body, "From_Account");
  JsonArray *items = tim_json_get_array (request->body, "ProfileItem");
  const char *values[2] = { NULL, NULL }; /* Nick, Image */
  g_autoptr (TimchatAccount) account = NULL;
  JsonObject *reply;

  if (user == NULL || items == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER,
                           "From_Account (a string) and ProfileItem (an array) are required");
      return NULL;
    }
  if ((account = timchat_store_get_account (store, user)) == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", user);
      return NULL;
    }
  /* Every item is checked before anything is written. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      const char *tag = tim_json_get_string (item, "Tag");
      const char *value = tim_json_get_string (item, "Value");
      int k = tag != NULL ? standard_tag_index (tag) : -1;

      if (tag == NULL || !json_object_has_member (item, "Value"))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER,
                       "ProfileItem[%u] needs a Tag and a Value", i);
          return NULL;
        }
      if (k != 0 && k != 1)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_TAG_NOT_FOUND,
                       "%s cannot be set on this server", tag);
          return NULL;
        }
      if (value == NULL)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TYPE, "%s takes a string", tag);
          return NULL;
        }
      if (strlen (value) > PROFILE_VALUE_MAX)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TOO_LONG, "%s is %d bytes at most",
                       tag, PROFILE_VALUE_MAX);
          return NULL;
        }
      values[k] = value;
    }
  if (!timchat_store_set_profile (store, user, values[0], values[1], error))
    return NULL;
  reply = json_object_new ();
  json_object_set_string_member (reply, "ErrorDisplay", "");
  return reply;
}

/* ---------------------------------------------------------------- both transports */

/* The SDK sends UserItem[{To_Account}], REST sends To_Account[...]; one item per requested user
 * (the SDK's getConversationProfile fails without one). */
JsonObject *
_timchat_cmd_portrait_get (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *user_items = tim_json_get_array (request->body, "UserItem");
  JsonArray *accounts = tim_json_get_array (request->body, "To_Account");
  g_autoptr (JsonArray) result = NULL;
  JsonObject *reply;

  if (request->is_admin)
    return rest_portrait_get (request, error);
  if (user_items == NULL && accounts == NULL && request->user == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "To_Account must be an array");
      return NULL;
    }
  result = json_array_new ();
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
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "Item %u of the user list is not a user ID", i);
          return NULL;
        }
      json_array_add_object_element (result, profile_item (store, user));
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "UserProfileItem", g_steal_pointer (&result));
  return reply;
}

JsonObject *
_timchat_cmd_portrait_set (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user = request->user;
  JsonArray *items = tim_json_get_array (request->body, "ProfileItem");
  const char *nick = NULL;
  const char *avatar = NULL;
  g_autoptr (TimchatAccount) account = NULL;

  if (request->is_admin)
    return rest_portrait_set (request, error);
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
