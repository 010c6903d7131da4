/* timchat-cmd-profile.c: profiles (profile.portrait_get, portrait_get_all, portrait_set; the
 * SDK's getMyProfile, getUserProfile, updateMyProfile). The nick and the avatar live with the
 * account (messages carry them); the other standard fields and the custom ones are stored beside
 * it. Both transports check a set the same way, with the profile service's codes (tim-profile.h).
 * A set is pushed to the user's other devices as the SDK's ProfileDataMod (its PROFILE_UPDATED);
 * the vendor pushes it to friends too, and we keep no friends, so nobody else hears of it.
 */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "tim-profile.h"
#include "timchat-commands-private.h"
#include "timchat-hub.h"

#define PORTRAIT_GET_MAX_USERS 100
/* Ours: the facts record no Event number for ProfileDataMod; the SDK goes by the key. */
#define PROFILE_CHANGE_EVENT 8

/* ---------------------------------------------------------------- reading */

static void
add_string (JsonArray *items, const char *tag, const char *value)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "Tag", tag);
  json_object_set_string_member (item, "Value", value);
  json_array_add_object_element (items, item);
}

static void
add_number (JsonArray *items, const char *tag, gint64 value)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "Tag", tag);
  json_object_set_int_member (item, "Value", value);
  json_array_add_object_element (items, item);
}

static const TimchatProfileField *
find_field (GPtrArray *fields, const char *tag)
{
  for (guint i = 0; i < fields->len; i++)
    if (g_str_equal (((TimchatProfileField *) fields->pdata[i])->tag, tag))
      return fields->pdata[i];
  return NULL;
}

/* The {Tag, Value} of tag (standard or custom) as account has it: an unset field reads as its
 * default, a custom one as "". */
static void
add_value (JsonArray *items, TimchatAccount *account, GPtrArray *fields, const char *tag)
{
  const TimProfileField *standard = tim_profile_standard_field (tag);
  const TimchatProfileField *stored = find_field (fields, tag);

  if (g_str_equal (tag, TIM_PROFILE_TAG_NICK))
    add_string (items, tag, account->nick);
  else if (g_str_equal (tag, TIM_PROFILE_TAG_IMAGE))
    add_string (items, tag, account->avatar);
  else if (standard != NULL && standard->type == TIM_PROFILE_UINT32)
    add_number (items, tag, stored != NULL ? stored->number : 0);
  else if (stored != NULL && stored->text != NULL)
    add_string (items, tag, stored->text);
  else
    add_string (items, tag, standard != NULL ? standard->string_default : "");
}

/* user's ProfileItem: the fields of tags, or with tags NULL every standard field then the custom
 * ones the user has set. NULL when there is no such account. */
static JsonArray *
profile_values (TimchatStore *store, const char *user, JsonArray *tags)
{
  g_autoptr (TimchatAccount) account = timchat_store_get_account (store, user);
  g_autoptr (GPtrArray) fields = NULL;
  JsonArray *items;

  if (account == NULL)
    return NULL;
  fields = timchat_store_get_profile_fields (store, user);
  items = json_array_new ();
  if (tags != NULL)
    {
      for (guint i = 0; i < json_array_get_length (tags); i++)
        add_value (items, account, fields, tim_json_array_get_string (tags, i));
      return items;
    }
  {
    guint n_standard;
    const TimProfileField *standard = tim_profile_standard_fields (&n_standard);

    for (guint i = 0; i < n_standard; i++)
      add_value (items, account, fields, standard[i].tag);
  }
  for (guint i = 0; i < fields->len; i++)
    {
      TimchatProfileField *field = fields->pdata[i];

      if (tim_profile_is_custom_tag (field->tag))
        add_value (items, account, fields, field->tag);
    }
  return items;
}

static JsonObject *
profile_item (TimchatStore *store, const char *user, JsonArray *tags, int missing_code)
{
  JsonArray *values = profile_values (store, user, tags);
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "To_Account", user);
  json_object_set_array_member (item, "ProfileItem", values != NULL ? values : json_array_new ());
  json_object_set_int_member (item, "ResultCode", values != NULL ? 0 : missing_code);
  json_object_set_string_member (item, "ResultInfo",
                                 values != NULL ? "" : "The account does not exist");
  return item;
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

static gboolean
check_tags (JsonArray *tags, GError **error)
{
  for (guint i = 0; i < json_array_get_length (tags); i++)
    if (!tim_profile_is_known_tag (tim_json_array_get_string (tags, i)))
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_TAG_NOT_FOUND, "No profile field %s",
                     tim_json_array_get_string (tags, i));
        return FALSE;
      }
  return TRUE;
}

/* ---------------------------------------------------------------- REST (profile service codes) */

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
  if (!check_tags (tags, error))
    return NULL;

  result = json_array_new ();
  failed = json_array_new ();
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      const char *user = tim_json_array_get_string (users, i);
      JsonObject *item = profile_item (store, user, tags, TIM_ERROR_PROFILE_ACCOUNT_NOT_FOUND);

      if (tim_json_get_int_or (item, "ResultCode", 0) != 0)
        json_array_add_string_element (failed, user);
      json_array_add_object_element (result, item);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "UserProfileItem", result);
  json_object_set_array_member (reply, "Fail_Account", failed);
  json_object_set_string_member (reply, "ErrorDisplay", "");
  return reply;
}

/* ---------------------------------------------------------------- both transports */

/* The SDK sends UserItem[{To_Account}] and no TagList (every field), REST sends To_Account[...]
 * and a TagList; one item per requested user (the SDK's getConversationProfile fails without
 * one). */
JsonObject *
_timchat_cmd_portrait_get (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *user_items = tim_json_get_array (request->body, "UserItem");
  JsonArray *accounts = tim_json_get_array (request->body, "To_Account");
  JsonArray *tags = NULL;
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
  if (json_object_has_member (request->body, "TagList") &&
      ((tags = require_strings (request->body, "TagList", error)) == NULL ||
       !check_tags (tags, error)))
    return NULL;
  result = json_array_new ();
  for (guint i = 0; i < MIN (PORTRAIT_GET_MAX_USERS, user_items ? json_array_get_length (user_items)
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
      json_array_add_object_element (result,
                                     profile_item (store, user, tags, TIM_ERROR_ACCOUNT_NOT_FOUND));
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "UserProfileItem", g_steal_pointer (&result));
  return reply;
}

/* How many custom fields user would have once fields are written. */
static guint
count_custom_fields (GPtrArray *stored, GPtrArray *fields)
{
  g_autoptr (GHashTable) custom = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < stored->len; i++)
    {
      TimchatProfileField *field = stored->pdata[i];

      if (tim_profile_is_custom_tag (field->tag))
        g_hash_table_add (custom, field->tag);
    }
  for (guint i = 0; i < fields->len; i++)
    {
      TimchatProfileField *field = fields->pdata[i];

      if (!tim_profile_is_custom_tag (field->tag))
        continue;
      if (field->text[0] != '\0')
        g_hash_table_add (custom, field->tag);
      else
        g_hash_table_remove (custom, field->tag);
    }
  return g_hash_table_size (custom);
}

/* A ProfileList entry as the SDK's wire table reads it: ValueBytes or ValueNum, both its value. */
static void
add_changed (JsonArray *changed, const char *tag, JsonNode *value)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "Tag", tag);
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    json_object_set_string_member (item, "ValueBytes", json_node_get_string (value));
  else
    json_object_set_int_member (item, "ValueNum", json_node_get_int (value));
  json_array_add_object_element (changed, item);
}

/* Checks every item before anything is written, so a failed set changes nothing. changed gets
 * each item written, for the push. */
static gboolean
set_profile (TimchatStore *store, const char *user, JsonArray *items, JsonArray *changed,
             GError **error)
{
  g_autoptr (GPtrArray) fields =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_profile_field_free);
  g_autoptr (GPtrArray) stored = NULL;
  const char *nick = NULL;
  const char *avatar = NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      const char *tag = tim_json_get_string (item, "Tag");
      JsonNode *value = item != NULL ? json_object_get_member (item, "Value") : NULL;
      const TimProfileField *standard;

      if (tag == NULL || value == NULL)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER,
                       "ProfileItem[%u] needs a Tag (a string) and a Value", i);
          return FALSE;
        }
      if (!tim_profile_check_value (tag, value, error))
        return FALSE;
      add_changed (changed, tag, value);
      standard = tim_profile_standard_field (tag);
      if (g_str_equal (tag, TIM_PROFILE_TAG_NICK))
        nick = json_node_get_string (value);
      else if (g_str_equal (tag, TIM_PROFILE_TAG_IMAGE))
        avatar = json_node_get_string (value);
      else if (standard != NULL && standard->type == TIM_PROFILE_UINT32)
        g_ptr_array_add (fields, timchat_profile_field_new (tag, NULL, json_node_get_int (value)));
      else
        g_ptr_array_add (fields, timchat_profile_field_new (tag, json_node_get_string (value), 0));
    }
  stored = timchat_store_get_profile_fields (store, user);
  if (count_custom_fields (stored, fields) > TIM_MAX_PROFILE_CUSTOM_FIELDS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER,
                   "A profile has at most %d custom fields (set one to \"\" to remove it)",
                   TIM_MAX_PROFILE_CUSTOM_FIELDS);
      return FALSE;
    }
  return timchat_store_update_profile (store, user, nick, avatar, fields, error);
}

/* To every socket of user but the one that asked, which has its reply (all of them after a REST
 * set): the SDK's handler updates its own profile (getMyProfile) and fires PROFILE_UPDATED, so a
 * new nick or picture shows on the user's other devices without a new login. Not kept for
 * openim.getmsg: a device that was away reads the profile at its next login, as the SDK and
 * libtim do. */
static void
push_change (TimchatRequest *request, const char *user, JsonArray *changed)
{
  JsonObject *item = json_object_new ();
  g_autoptr (JsonObject) body = NULL;

  json_object_set_string_member (item, "Profile_Account", user);
  json_object_set_array_member (item, "ProfileList", changed);
  body = _timchat_wire_push_body (PROFILE_CHANGE_EVENT, "ProfileDataMod", item);
  timchat_hub_push (timchat_server_get_hub (request->server), user, TIMCHAT_PUSH_SERVCMD, body,
                    request->session);
}

/* The SDK's updateMyProfile sets its own profile; REST names the user in From_Account. */
JsonObject *
_timchat_cmd_portrait_set (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user =
      request->is_admin ? tim_json_get_string (request->body, "From_Account") : request->user;
  JsonArray *items = tim_json_get_array (request->body, "ProfileItem");
  g_autoptr (TimchatAccount) account = NULL;
  g_autoptr (JsonArray) changed = json_array_new ();
  JsonObject *reply;

  if (user == NULL || items == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER,
                           "From_Account (a string) and ProfileItem (an array) are required");
      return NULL;
    }
  if ((account = timchat_store_get_account (store, user)) == NULL)
    {
      g_set_error (error, TIM_ERROR,
                   request->is_admin ? TIM_ERROR_PROFILE_ACCOUNT_NOT_FOUND
                                     : TIM_ERROR_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", user);
      return NULL;
    }
  if (!set_profile (store, user, items, changed, error))
    return NULL;
  if (json_array_get_length (changed) > 0)
    push_change (request, user, g_steal_pointer (&changed));
  reply = json_object_new ();
  if (request->is_admin)
    json_object_set_string_member (reply, "ErrorDisplay", "");
  return reply;
}
