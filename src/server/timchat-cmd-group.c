/* timchat-cmd-group.c: group membership commands (tim-rest-facts.md §5, sdk-wire-notes.md §6).
 * Every change is stored first; then the group tip (stored, with a seq) and the system notices
 * (kept as sync events) go out. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"

#define MAX_MEMBERS_PER_CALL 500

static const char *const join_options[] = { "FreeAccess", "NeedPermission", "DisableApply", NULL };

static char *
new_group_id (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *id = g_string_new ("@TGS#");

  for (int i = 0; i < 10; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (id, FALSE);
}

/* Custom IDs: printable ASCII, at most 48 bytes, not in the generated @TGS# space. */
static gboolean
group_id_is_valid (const char *id)
{
  if (strlen (id) > TIM_MAX_GROUPID_BYTES || g_str_has_prefix (id, "@TGS#"))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

static gboolean
members_contain (GPtrArray *members, const char *user)
{
  for (guint i = 0; i < members->len; i++)
    if (g_str_equal (((TimchatMember *) members->pdata[i])->user_id, user))
      return TRUE;
  return FALSE;
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, message);
  return FALSE;
}

/* Every field of create_group has its documented type and size (tim-rest-facts.md §5.1). */
static gboolean
check_create_body (JsonObject *body, GError **error)
{
  const char *option = tim_json_get_string (body, "ApplyJoinOption");

  if (!_timchat_check_group_name (body, error) || !_timchat_check_string (body, "Type", 0, error) ||
      !_timchat_check_string (body, "GroupId", 0, error) ||
      !_timchat_check_string (body, "Owner_Account", 0, error) ||
      !_timchat_check_string (body, "Introduction", TIM_MAX_GROUP_INTRODUCTION_BYTES, error) ||
      !_timchat_check_string (body, "Notification", TIM_MAX_GROUP_NOTIFICATION_BYTES, error) ||
      !_timchat_check_string (body, "FaceUrl", TIM_MAX_GROUP_FACE_URL_BYTES, error) ||
      !_timchat_check_string (body, "ApplyJoinOption", 0, error) ||
      !_timchat_check_int (body, "MaxMemberCount", error) ||
      !_timchat_check_array (body, "AppDefinedData", 0, TIM_ERROR_INVALID_PARAMETER, error) ||
      !_timchat_check_array (body, "MemberList", MAX_MEMBERS_PER_CALL, TIM_ERROR_TOO_MANY_ACCOUNTS,
                             error))
    return FALSE;
  if (option != NULL && !g_strv_contains (join_options, option))
    return invalid (error, "ApplyJoinOption must be FreeAccess, NeedPermission or DisableApply");
  /* At most what the store's column and modify_group_base_info's MaxMemberNum hold: past 32
   * bits the cast below kept only what was left over, and 2^32 + 1 made a group of one. */
  if (json_object_has_member (body, "MaxMemberCount") &&
      (tim_json_get_int_or (body, "MaxMemberCount", 0) <= 0 ||
       tim_json_get_int_or (body, "MaxMemberCount", 0) > G_MAXINT32))
    return invalid (error, "MaxMemberCount must be 1 to 2147483647");
  return TRUE;
}

JsonObject *
_timchat_cmd_create_group (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  const char *name = _timchat_require_string (body, "Name", TIM_ERROR_INVALID_PARAMETER, error);
  const char *type = tim_json_get_string (body, "Type");
  const char *custom_id = tim_json_get_string (body, "GroupId");
  const char *owner =
      request->is_admin ? tim_json_get_string (body, "Owner_Account") : request->user;
  JsonArray *list = tim_json_get_array (body, "MemberList");
  g_autoptr (GPtrArray) members =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_member_free);
  g_autoptr (GPtrArray) joined = g_ptr_array_new ();
  g_autoptr (TimchatGroup) group = NULL;
  TimchatGroup spec = { 0 };
  g_autofree char *group_id = NULL;
  gint64 now = timchat_server_now ();
  JsonObject *reply;

  if (name == NULL || !check_create_body (body, error))
    return NULL;
  /* The SDK may leave Type out; the REST API requires it. */
  if ((type == NULL || *type == '\0') && _timchat_request_is_rest (request))
    {
      invalid (error, "Type is missing");
      return NULL;
    }
  if (type == NULL || *type == '\0')
    type = "Private";
  if (!_timchat_group_type_is_known (type))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "Unknown group Type %s", type);
      return NULL;
    }
  if (custom_id != NULL && *custom_id != '\0' && !group_id_is_valid (custom_id))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_INVALID_ID, "GroupId %s is not valid",
                   custom_id);
      return NULL;
    }
  group_id = custom_id != NULL && *custom_id != '\0' ? g_strdup (custom_id) : new_group_id ();
  if (g_str_equal (type, "AVChatRoom") && list != NULL && json_array_get_length (list) > 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "An AVChatRoom takes no members at creation");
      return NULL;
    }

  /* Nothing is applied unless every account exists. */
  if (owner != NULL && *owner != '\0')
    {
      if (!_timchat_account_exists (request, owner))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND, "No account %s", owner);
          return NULL;
        }
      g_ptr_array_add (members, timchat_member_new (owner, "Owner", now));
    }
  else
    owner = "";
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *item = tim_json_array_get_object (list, i);
      const char *user = item != NULL ? tim_json_get_string (item, "Member_Account") : NULL;
      const char *role = item != NULL ? tim_json_get_string (item, "Role") : NULL;

      if (user == NULL || *user == '\0' ||
          (item != NULL && json_object_has_member (item, "Role") &&
           g_strcmp0 (role, "Admin") != 0 && g_strcmp0 (role, "Member") != 0))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "MemberList[%u] needs a Member_Account and takes Role Admin only", i);
          return NULL;
        }
      if (!_timchat_account_exists (request, user))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND, "No account %s", user);
          return NULL;
        }
      if (!members_contain (members, user))
        g_ptr_array_add (
            members,
            timchat_member_new (user, g_strcmp0 (role, "Admin") == 0 ? "Admin" : "Member", now));
    }

  spec.group_id = group_id;
  spec.type = (char *) type;
  spec.name = (char *) name;
  spec.owner = (char *) owner;
  spec.introduction = (char *) tim_json_get_string (body, "Introduction");
  spec.notification = (char *) tim_json_get_string (body, "Notification");
  spec.face_url = (char *) tim_json_get_string (body, "FaceUrl");
  spec.apply_join_option = (char *) tim_json_get_string (body, "ApplyJoinOption");
  spec.created = now;
  spec.max_members = (guint) tim_json_get_int_or (body, "MaxMemberCount", 200);
  if (members->len > spec.max_members)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_FULL, "More than %u members",
                   spec.max_members);
      return NULL;
    }
  if (!timchat_store_create_group (store, &spec, members, error))
    return NULL;
  group = timchat_store_get_group (store, group_id);

  for (guint i = 0; i < members->len; i++)
    g_ptr_array_add (joined, ((TimchatMember *) members->pdata[i])->user_id);
  if (joined->len > 0 && !_timchat_group_tip (request->server, group_id, request->user,
                                              TIMCHAT_TIP_JOIN, joined, error))
    return NULL;
  for (guint i = 0; i < members->len; i++)
    {
      const char *user = ((TimchatMember *) members->pdata[i])->user_id;

      if (!_timchat_group_notice (request->server, group, request->user,
                                  g_str_equal (user, owner) ? TIMCHAT_NOTICE_CREATED
                                                            : TIMCHAT_NOTICE_INVITED,
                                  user, NULL, error))
        return NULL;
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "GroupId", group_id);
  return reply;
}

/* The changes below need the caller to be a manager of the group (owner, admin, or app admin)
 * unless said otherwise; silence = no tip for the remaining members. */

/* A manager, or in a Work (Private) group any member: the vendor's Work group is joined by
 * invitation with no approval (tim-rest-facts.md §5.0). It limits that to the inviter's
 * friends; we keep no friend lists. */
static gboolean
may_add_members (TimchatRequest *request, const TimchatGroup *group, const TimchatMember *self)
{
  return _timchat_group_is_manager (request, self) ||
         _timchat_group_type_equal (group->type, "Private");
}

JsonObject *
_timchat_cmd_add_group_member (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (GPtrArray) added = g_ptr_array_new ();
  g_autoptr (GPtrArray) users = g_ptr_array_new ();
  JsonArray *list = tim_json_get_array (request->body, "MemberList");
  gboolean silence = tim_json_get_int_or (request->body, "Silence", 0) == 1;
  guint fresh = 0;
  JsonArray *results;
  JsonObject *reply;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (g_str_equal (group->type, "AVChatRoom"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Nobody adds members to an AVChatRoom: they join it");
      return NULL;
    }
  if (!may_add_members (request, group, self))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner or an admin adds members to this kind of group");
      return NULL;
    }
  if (list == NULL)
    {
      invalid (error, "MemberList is missing or not an array");
      return NULL;
    }
  if (!_timchat_check_array (request->body, "MemberList", MAX_MEMBERS_PER_CALL,
                             TIM_ERROR_TOO_MANY_ACCOUNTS, error) ||
      !_timchat_check_int (request->body, "Silence", error))
    return NULL;
  /* Every account is checked, and the group's room, before anyone is added. */
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = tim_json_array_get_object (list, i);
      const char *user = item != NULL ? tim_json_get_string (item, "Member_Account") : NULL;
      g_autoptr (TimchatMember) member = NULL;

      if (user == NULL || *user == '\0')
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "MemberList[%u] has no Member_Account", i);
          return NULL;
        }
      if (!_timchat_account_exists (request, user))
        {
          /* The SDK reports failures per member (Result 0); REST refuses the whole call. */
          if (!_timchat_request_is_rest (request))
            continue;
          g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND, "No account %s", user);
          return NULL;
        }
      member = timchat_store_get_member (store, group->group_id, user);
      if (member == NULL && !g_ptr_array_find_with_equal_func (users, user, g_str_equal, NULL))
        fresh++;
      g_ptr_array_add (users, (gpointer) user);
    }
  if (group->member_count + fresh > group->max_members)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_FULL, "Group %s is full", group->group_id);
      return NULL;
    }
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      const char *user =
          tim_json_get_string (tim_json_array_get_object (list, i), "Member_Account");
      g_autoptr (TimchatMember) member = timchat_member_new (user, "Member", timchat_server_now ());
      g_autoptr (GError) local_error = NULL;
      JsonObject *result = json_object_new ();
      int code = 0;

      if (!g_ptr_array_find_with_equal_func (users, user, g_str_equal, NULL))
        ; /* no such account (WebSocket only) */
      else if (timchat_store_add_member (store, group->group_id, member, &local_error))
        code = 1;
      else if (g_error_matches (local_error, TIM_ERROR, TIM_ERROR_GROUP_ALREADY_MEMBER))
        code = 2;
      else if (local_error != NULL)
        g_warning ("Cannot add %s to %s: %s", user, group->group_id, local_error->message);
      if (code == 1)
        g_ptr_array_add (added, (gpointer) user);
      json_object_set_string_member (result, "Member_Account", user);
      json_object_set_int_member (result, "Result", code);
      json_array_add_object_element (results, result);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "MemberList", results);
  if (added->len == 0)
    return reply;
  if (!silence && !_timchat_group_tip (request->server, group->group_id, request->user,
                                       TIMCHAT_TIP_JOIN, added, error))
    {
      json_object_unref (reply);
      return NULL;
    }
  /* Even a silent add tells the newcomers, or their clients would not know the group. */
  for (guint i = 0; i < added->len; i++)
    if (!_timchat_group_notice (request->server, group, request->user, TIMCHAT_NOTICE_INVITED,
                                added->pdata[i], NULL, error))
      {
        json_object_unref (reply);
        return NULL;
      }
  return reply;
}

JsonObject *
_timchat_cmd_delete_group_member (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (GPtrArray) wanted = NULL;
  g_autoptr (GPtrArray) removed =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_member_free);
  g_autoptr (GPtrArray) users = g_ptr_array_new ();
  JsonArray *list = tim_json_get_array (body, "MemberToDel_Account");

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (!_timchat_group_is_manager (request, self))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner or an admin removes members");
      return NULL;
    }
  if (list == NULL)
    {
      invalid (error, "MemberToDel_Account is missing or not an array");
      return NULL;
    }
  wanted = _timchat_string_list (list);
  if (!_timchat_check_array (body, "MemberToDel_Account", MAX_MEMBERS_PER_CALL,
                             TIM_ERROR_TOO_MANY_ACCOUNTS, error) ||
      !_timchat_check_string (body, "Reason", 0, error) ||
      !_timchat_check_int (body, "Silence", error))
    return NULL;
  if (wanted->len != json_array_get_length (list))
    {
      invalid (error, "MemberToDel_Account must hold strings");
      return NULL;
    }
  /* Check every target first, so a refusal changes nothing. */
  for (guint i = 0; i < wanted->len; i++)
    {
      TimchatMember *target = timchat_store_get_member (store, group->group_id, wanted->pdata[i]);

      if (target == NULL || members_contain (removed, target->user_id))
        {
          g_clear_pointer (&target, timchat_member_free);
          continue;
        }
      g_ptr_array_add (removed, target);
      if (g_str_equal (target->role, "Owner") ||
          (g_str_equal (target->role, "Admin") && !request->is_admin &&
           !g_str_equal (self->role, "Owner")))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION, "%s may not remove %s",
                       request->user, target->user_id);
          return NULL;
        }
    }
  for (guint i = 0; i < removed->len; i++)
    g_ptr_array_add (users, ((TimchatMember *) removed->pdata[i])->user_id);
  if (users->len == 0)
    return json_object_new ();
  /* All in one store operation: one that fails part-way removes nobody. */
  if (!timchat_store_remove_members (store, group->group_id, users, error))
    return NULL;
  /* Silence: only the removed members hear of it. */
  if (tim_json_get_int_or (body, "Silence", 0) != 1 &&
      !_timchat_group_tip (request->server, group->group_id, request->user, TIMCHAT_TIP_KICKED,
                           users, error))
    return NULL;
  for (guint i = 0; i < users->len; i++)
    if (!_timchat_group_notice_full (request->server, group, request->user, TIMCHAT_NOTICE_KICKED,
                                     users->pdata[i], tim_json_get_string (body, "Reason"), NULL,
                                     NULL, error))
      return NULL;
  return json_object_new ();
}

JsonObject *
_timchat_cmd_quit_group (TimchatRequest *request, GError **error)
{
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (GPtrArray) users = g_ptr_array_new ();

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (self == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION, "Not a member");
      return NULL;
    }
  if (g_str_equal (self->role, "Owner"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_OWNER_CANNOT_QUIT,
                           "The owner cannot quit; dismiss the group or hand it over");
      return NULL;
    }
  g_ptr_array_add (users, (gpointer) request->user);
  if (!timchat_store_remove_members (timchat_server_get_store (request->server), group->group_id,
                                     users, error))
    return NULL;
  if (!_timchat_group_tip (request->server, group->group_id, request->user, TIMCHAT_TIP_QUIT, users,
                           error))
    return NULL;
  /* The quitter's other devices drop the group too. */
  if (!_timchat_group_notice (request->server, group, request->user, TIMCHAT_NOTICE_QUIT,
                              request->user, request->session, error))
    return NULL;
  return json_object_new ();
}

JsonObject *
_timchat_cmd_destroy_group (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (GPtrArray) members = NULL;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (!request->is_admin && !g_str_equal (self->role, "Owner"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner dismisses the group");
      return NULL;
    }
  members = timchat_store_list_members (store, group->group_id);
  if (!timchat_store_dismiss_group (store, group->group_id, error))
    return NULL;
  for (guint i = 0; i < members->len; i++)
    if (!_timchat_group_notice (request->server, group, request->user, TIMCHAT_NOTICE_DISMISSED,
                                ((TimchatMember *) members->pdata[i])->user_id, request->session,
                                error))
      return NULL;
  return json_object_new ();
}
