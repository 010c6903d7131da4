/* timchat-group-request.c: what a group command reads from its request: the group it names, the
 * caller's place in it, paging, and the REST checks of the body's members and of group types.
 * Apart from timchat-group-notify.c, which says what happened to the group (tips, notices). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"

TimchatGroup *
_timchat_group_from_body (TimchatRequest *request, const char **group_id, GError **error)
{
  const char *id =
      _timchat_require_string (request->body, "GroupId", TIM_ERROR_INVALID_PARAMETER, error);
  TimchatGroup *group;

  if (id == NULL)
    return NULL;
  group = timchat_store_get_group (timchat_server_get_store (request->server), id);
  if (group == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND,
                   "Group %s does not exist or was dismissed", id);
      return NULL;
    }
  if (group_id != NULL)
    *group_id = group->group_id;
  return group;
}

gboolean
_timchat_group_require_member (TimchatRequest *request, const TimchatGroup *group,
                               TimchatMember **member, GError **error)
{
  TimchatMember *found = timchat_store_get_member (timchat_server_get_store (request->server),
                                                   group->group_id, request->user);

  if (found == NULL && !request->is_admin)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION, "%s is not a member of %s",
                   request->user, group->group_id);
      return FALSE;
    }
  if (member != NULL)
    *member = found;
  else if (found != NULL)
    timchat_member_free (found);
  return TRUE;
}

TimchatMsg *
_timchat_group_find_message (TimchatRequest *request, const TimchatGroup *group,
                             const TimchatMember *member, gint64 seq)
{
  /* Recall, edit and delete-for-me answer for a message from before the join as for one that is
   * not there: otherwise they told a newcomer what it was (a tip or a message, its sender) and let
   * them change what they were never shown. Not over REST: the app admin acts for the app there,
   * not as the member its account may also be (it reads the whole history too), and its recall
   * of a message from before that account joined answered 10030. */
  if (!request->is_admin && member != NULL && seq <= member->joined_seq)
    return NULL;
  return timchat_store_find_group_message (timchat_server_get_store (request->server),
                                           group->group_id, seq);
}

gboolean
_timchat_account_exists (TimchatRequest *request, const char *user)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  /* The app admin over REST is an account made on first use, as for a C2C send
   * (_timchat_c2c_require_account ()): named as From_Account, owner or member before it ever sent
   * a one-to-one message, it was 10019, "no such account". */
  g_autoptr (TimchatAccount) account =
      request->is_admin && g_strcmp0 (user, request->user) == 0 && tim_user_id_is_valid (user)
          ? timchat_store_ensure_account (store, user, NULL)
          : timchat_store_get_account (store, user);
  return account != NULL;
}

/* Limit/Offset paging; Limit absent or 0 means all. */
void
_timchat_page_bounds (JsonObject *body, guint total, guint *start, guint *end)
{
  gint64 offset = MAX (tim_json_get_int_or (body, "Offset", 0), 0);
  gint64 limit = MAX (tim_json_get_int_or (body, "Limit", 0), 0);

  *start = (guint) MIN (offset, (gint64) total);
  *end = limit > 0 ? (guint) MIN ((gint64) *start + limit, (gint64) total) : total;
}

GPtrArray *
_timchat_string_list (JsonArray *array)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (list, (gpointer) json_node_get_string (node));
    }
  return list;
}

gboolean
_timchat_group_is_manager (TimchatRequest *request, const TimchatMember *member)
{
  if (request->is_admin)
    return TRUE;
  return member != NULL &&
         (g_str_equal (member->role, "Owner") || g_str_equal (member->role, "Admin"));
}

static gboolean
bad_type (const char *member, const char *what, GError **error)
{
  g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s must be %s", member, what);
  return FALSE;
}

gboolean
_timchat_check_string (JsonObject *body, const char *member, gsize max_bytes, GError **error)
{
  const char *value;

  if (!json_object_has_member (body, member))
    return TRUE;
  value = tim_json_get_string (body, member);
  if (value == NULL)
    return bad_type (member, "a string", error);
  if (max_bytes > 0 && strlen (value) > max_bytes)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s is longer than %zu bytes",
                   member, max_bytes);
      return FALSE;
    }
  return TRUE;
}

gboolean
_timchat_check_group_name (JsonObject *body, GError **error)
{
  if (!_timchat_check_string (body, "Name", TIM_MAX_GROUP_NAME_BYTES, error))
    return FALSE;
  if (!json_object_has_member (body, "Name") ||
      !tim_group_name_is_blank (tim_json_get_string (body, "Name")))
    return TRUE;
  g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "A group's Name cannot be empty or only spaces");
  return FALSE;
}

gboolean
_timchat_check_int (JsonObject *body, const char *member, GError **error)
{
  gint64 unused;

  if (!json_object_has_member (body, member) || tim_json_get_number_int (body, member, &unused))
    return TRUE;
  return bad_type (member, "an integer", error);
}

gboolean
_timchat_check_array (JsonObject *body, const char *member, guint max_length, int too_long_code,
                      GError **error)
{
  JsonArray *array;

  if (!json_object_has_member (body, member))
    return TRUE;
  array = tim_json_get_array (body, member);
  if (array == NULL)
    return bad_type (member, "an array", error);
  if (max_length > 0 && json_array_get_length (array) > max_length)
    {
      g_set_error (error, TIM_ERROR, too_long_code, "%s has more than %u entries", member,
                   max_length);
      return FALSE;
    }
  return TRUE;
}

void
_timchat_filter_members (JsonObject *object, JsonArray *keep, const char *always)
{
  g_autoptr (GList) names = NULL;
  g_autoptr (GPtrArray) wanted = NULL;

  if (keep == NULL)
    return;
  wanted = _timchat_string_list (keep);
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      gboolean listed = g_strcmp0 (l->data, always) == 0;

      for (guint i = 0; !listed && i < wanted->len; i++)
        listed = g_str_equal (wanted->pdata[i], l->data);
      if (!listed)
        json_object_remove_member (object, l->data);
    }
}

gboolean
_timchat_group_type_is_known (const char *type)
{
  static const char *const group_types[] = {
    "Private", "Public", "ChatRoom", "AVChatRoom", "Work", "Meeting", "Community", NULL,
  };

  return type != NULL && g_strv_contains (group_types, type);
}

static const char *
canonical_type (const char *type)
{
  if (g_strcmp0 (type, "Private") == 0)
    return "Work";
  if (g_strcmp0 (type, "ChatRoom") == 0)
    return "Meeting";
  return type;
}

gboolean
_timchat_group_type_equal (const char *a, const char *b)
{
  return g_strcmp0 (canonical_type (a), canonical_type (b)) == 0;
}
