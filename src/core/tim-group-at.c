/* tim-group-at.c: group @-mentions on the wire. */
#include "config.h"

#include "tim-group-at.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"

JsonArray *
tim_group_at_info_new (const char *const *at_users)
{
  JsonArray *info;

  if (at_users == NULL || at_users[0] == NULL)
    return NULL;
  info = json_array_new ();
  for (guint i = 0; at_users[i] != NULL; i++)
    {
      JsonObject *entry = json_object_new ();
      gboolean all = g_str_equal (at_users[i], TIM_AT_ALL);

      json_object_set_int_member (entry, "GroupAtAllFlag", all ? 1 : 0);
      if (!all)
        json_object_set_string_member (entry, "GroupAt_Account", at_users[i]);
      json_array_add_object_element (info, entry);
    }
  return info;
}

static gboolean
bad_entry (guint index, const char *why, GError **error)
{
  g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "GroupAtInfo[%u]: %s", index, why);
  return FALSE;
}

static void
add_once (GPtrArray *users, const char *user)
{
  for (guint i = 0; i < users->len; i++)
    if (g_str_equal (users->pdata[i], user))
      return;
  g_ptr_array_add (users, g_strdup (user));
}

gboolean
tim_group_at_info_parse (JsonArray *at_info, GStrv *at_users, GError **error)
{
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  guint length = at_info != NULL ? json_array_get_length (at_info) : 0;

  *at_users = NULL;
  if (length > TIM_MAX_AT_USERS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "GroupAtInfo has %u entries; at most %d may be mentioned", length,
                   TIM_MAX_AT_USERS);
      return FALSE;
    }
  for (guint i = 0; i < length; i++)
    {
      JsonObject *entry = tim_json_array_get_object (at_info, i);
      gint64 all_flag = 0;
      const char *account;

      if (entry == NULL)
        return bad_entry (i, "not an object", error);
      if (json_object_has_member (entry, "GroupAtAllFlag") &&
          (!tim_json_get_int (entry, "GroupAtAllFlag", &all_flag) || all_flag < 0 || all_flag > 1))
        return bad_entry (i, "GroupAtAllFlag must be 0 or 1", error);
      if (all_flag == 1)
        {
          add_once (users, TIM_AT_ALL);
          continue;
        }
      account = tim_json_get_string (entry, "GroupAt_Account");
      if (account == NULL || *account == '\0')
        return bad_entry (i, "GroupAt_Account is missing", error);
      if (strlen (account) > TIM_MAX_USERID_BYTES)
        return bad_entry (i, "GroupAt_Account is too long", error);
      add_once (users, account);
    }
  if (users->len == 0)
    return TRUE;
  g_ptr_array_add (users, NULL);
  *at_users = (GStrv) g_ptr_array_steal (users, NULL);
  return TRUE;
}

TimGroupAtType
tim_group_at_type_for (const char *const *at_users, const char *user_id)
{
  TimGroupAtType type = TIM_GROUP_AT_NONE;

  for (guint i = 0; at_users != NULL && at_users[i] != NULL; i++)
    {
      if (g_str_equal (at_users[i], TIM_AT_ALL))
        type |= TIM_GROUP_AT_ALL;
      else if (g_strcmp0 (at_users[i], user_id) == 0)
        type |= TIM_GROUP_AT_ME;
    }
  return type;
}

JsonArray *
tim_group_at_flag_list_new (TimGroupAtType type)
{
  JsonArray *flags;

  if (type == TIM_GROUP_AT_NONE)
    return NULL;
  flags = json_array_new ();
  if (type & TIM_GROUP_AT_ME)
    json_array_add_int_element (flags, 1);
  if (type & TIM_GROUP_AT_ALL)
    json_array_add_int_element (flags, 2);
  return flags;
}

TimGroupAtType
tim_group_at_type_from_flag_list (JsonArray *flags)
{
  TimGroupAtType type = TIM_GROUP_AT_NONE;
  guint length = flags != NULL ? json_array_get_length (flags) : 0;

  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (flags, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        type |= json_node_get_int (node) & (TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL);
    }
  return type;
}
