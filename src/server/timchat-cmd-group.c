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

static const char *const group_types[] = {
  "Private", "Public", "ChatRoom", "AVChatRoom", "Work", "Meeting", "Community", NULL,
};

static char *
new_group_id (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *id = g_string_new ("@TGS#");

  for (int i = 0; i < 10; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (id, FALSE);
}

static gboolean
group_id_is_valid (const char *id)
{
  if (strlen (id) > TIM_MAX_GROUPID_BYTES)
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

  if (name == NULL)
    return NULL;
  if (type == NULL || *type == '\0')
    type = "Private";
  if (!g_strv_contains (group_types, type))
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

      if (user == NULL || *user == '\0')
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "MemberList[%u] has no Member_Account", i);
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
  spec.created = now;
  spec.max_members = (guint) tim_json_get_int_or (body, "MaxMemberCount", 200);
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

      _timchat_group_notice (
          request->server, group, request->user,
          g_str_equal (user, owner) ? TIMCHAT_NOTICE_CREATED : TIMCHAT_NOTICE_INVITED, user, NULL);
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "GroupId", group_id);
  return reply;
}

/* get_group_info (REST) and get_group_self_member_info (the SDK's getGroupProfile): one entry
 * per asked group, each with its own ErrorCode. */
static JsonObject *
group_info_reply (TimchatRequest *request, gboolean with_members, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *ids = tim_json_get_array (request->body, "GroupIdList");
  JsonArray *infos;
  JsonObject *reply;

  if (ids == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "GroupIdList is missing");
      return NULL;
    }
  infos = json_array_new ();
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *id = tim_json_array_get_string (ids, i);
      g_autoptr (TimchatGroup) group = id != NULL ? timchat_store_get_group (store, id) : NULL;
      g_autoptr (TimchatMember) self =
          group != NULL ? timchat_store_get_member (store, id, request->user) : NULL;
      JsonObject *info;

      if (group == NULL || (self == NULL && !request->is_admin))
        {
          info = json_object_new ();
          json_object_set_string_member (info, "GroupId", id != NULL ? id : "");
          json_object_set_int_member (info, "ErrorCode",
                                      group == NULL ? TIM_ERROR_GROUP_NOT_FOUND
                                                    : TIM_ERROR_GROUP_PERMISSION);
          json_object_set_string_member (info, "ErrorInfo",
                                         group == NULL ? "group does not exist" : "not a member");
          json_array_add_object_element (infos, info);
          continue;
        }
      info = _timchat_wire_group_base_info (request->server, group);
      json_object_set_int_member (info, "ErrorCode", 0);
      json_object_set_string_member (info, "ErrorInfo", "");
      if (self != NULL)
        json_object_set_object_member (info, "SelfInfo", _timchat_wire_member_info (self, NULL));
      if (with_members)
        {
          g_autoptr (GPtrArray) members = timchat_store_list_members (store, id);
          JsonArray *list = json_array_new ();

          for (guint j = 0; j < members->len; j++)
            json_array_add_object_element (
                list, _timchat_wire_member_info (members->pdata[j], "Member_Account"));
          json_object_set_array_member (info, "MemberList", list);
        }
      json_array_add_object_element (infos, info);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "GroupInfo", infos);
  return reply;
}

JsonObject *
_timchat_cmd_get_group_info (TimchatRequest *request, GError **error)
{
  return group_info_reply (request, TRUE, error);
}

JsonObject *
_timchat_cmd_get_group_self_member_info (TimchatRequest *request, GError **error)
{
  return group_info_reply (request, FALSE, error);
}

JsonObject *
_timchat_cmd_get_joined_group_list (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user =
      request->is_admin ? tim_json_get_string (request->body, "Member_Account") : request->user;
  g_autoptr (GPtrArray) groups = NULL;
  JsonArray *list = json_array_new ();
  JsonObject *reply = json_object_new ();
  guint start, end;

  if (user == NULL || *user == '\0')
    user = request->user;
  groups = timchat_store_joined_groups (store, user);
  _timchat_page_bounds (request->body, groups->len, &start, &end);
  for (guint i = start; i < end; i++)
    {
      TimchatGroup *group = groups->pdata[i];
      g_autoptr (TimchatMember) self = timchat_store_get_member (store, group->group_id, user);
      JsonObject *item = _timchat_wire_group_base_info (request->server, group);

      if (self != NULL)
        {
          JsonObject *self_info = _timchat_wire_member_info (self, NULL);

          json_object_set_int_member (self_info, "UnreadMsgNum",
                                      MAX (group->last_seq - self->read_seq, 0));
          json_object_set_object_member (item, "SelfInfo", self_info);
        }
      json_array_add_object_element (list, item);
    }
  json_object_set_array_member (reply, "GroupIdList", list);
  json_object_set_int_member (reply, "TotalCount", groups->len);
  return reply;
}

JsonObject *
_timchat_cmd_get_group_member_info (TimchatRequest *request, GError **error)
{
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (GPtrArray) members = NULL;
  JsonArray *list;
  JsonObject *reply;
  guint start, end;

  if (group == NULL || !_timchat_group_require_member (request, group, NULL, error))
    return NULL;
  members =
      timchat_store_list_members (timchat_server_get_store (request->server), group->group_id);
  _timchat_page_bounds (request->body, members->len, &start, &end);
  list = json_array_new ();
  for (guint i = start; i < end; i++)
    json_array_add_object_element (list,
                                   _timchat_wire_member_info (members->pdata[i], "Member_Account"));
  reply = json_object_new ();
  json_object_set_int_member (reply, "MemberNum", members->len);
  json_object_set_array_member (reply, "MemberList", list);
  return reply;
}

/* The changes below need the caller to be a manager of the group (owner, admin, or app admin)
 * unless said otherwise; silence = no tip for the remaining members. */

JsonObject *
_timchat_cmd_add_group_member (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (GPtrArray) added = g_ptr_array_new ();
  JsonArray *list = tim_json_get_array (request->body, "MemberList");
  gboolean silence = tim_json_get_int_or (request->body, "Silence", 0) == 1;
  JsonArray *results;
  JsonObject *reply;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (!_timchat_group_is_manager (request, self) || g_str_equal (group->type, "AVChatRoom"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner or an admin adds members");
      return NULL;
    }
  if (list == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "MemberList is missing");
      return NULL;
    }
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = tim_json_array_get_object (list, i);
      const char *user = item != NULL ? tim_json_get_string (item, "Member_Account") : NULL;
      g_autoptr (TimchatMember) member = NULL;
      g_autoptr (GError) local_error = NULL;
      JsonObject *result = json_object_new ();
      int code = 0;

      if (user != NULL && _timchat_account_exists (request, user))
        {
          member = timchat_member_new (user, "Member", timchat_server_now ());
          if (timchat_store_add_member (store, group->group_id, member, &local_error))
            code = 1;
          else if (g_error_matches (local_error, TIM_ERROR, TIM_ERROR_GROUP_ALREADY_MEMBER))
            code = 2;
        }
      if (code == 1)
        g_ptr_array_add (added, (gpointer) user);
      json_object_set_string_member (result, "Member_Account", user != NULL ? user : "");
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
  for (guint i = 0; i < added->len; i++)
    _timchat_group_notice (request->server, group, request->user, TIMCHAT_NOTICE_INVITED,
                           added->pdata[i], NULL);
  return reply;
}

JsonObject *
_timchat_cmd_delete_group_member (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (GPtrArray) wanted = NULL;
  g_autoptr (GPtrArray) removed =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_member_free);
  g_autoptr (GPtrArray) users = g_ptr_array_new ();

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (!_timchat_group_is_manager (request, self))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner or an admin removes members");
      return NULL;
    }
  wanted = _timchat_string_list (tim_json_get_array (request->body, "MemberToDel_Account"));
  /* Check every target first, so a refusal changes nothing. */
  for (guint i = 0; i < wanted->len; i++)
    {
      TimchatMember *target = timchat_store_get_member (store, group->group_id, wanted->pdata[i]);

      if (target == NULL)
        continue;
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
    {
      TimchatMember *target = removed->pdata[i];

      if (!timchat_store_remove_member (store, group->group_id, target->user_id, error))
        return NULL;
      g_ptr_array_add (users, target->user_id);
    }
  if (users->len == 0)
    return json_object_new ();
  if (tim_json_get_int_or (request->body, "Silence", 0) != 1 &&
      !_timchat_group_tip (request->server, group->group_id, request->user, TIMCHAT_TIP_KICKED,
                           users, error))
    return NULL;
  for (guint i = 0; i < users->len; i++)
    _timchat_group_notice (request->server, group, request->user, TIMCHAT_NOTICE_KICKED,
                           users->pdata[i], NULL);
  return json_object_new ();
}

JsonObject *
_timchat_cmd_modify_group_member_info (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (TimchatMember) target = NULL;
  g_autoptr (GPtrArray) users = g_ptr_array_new ();
  const char *user = tim_json_get_string (request->body, "Member_Account");
  const char *role = tim_json_get_string (request->body, "Role");
  gboolean to_admin;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  target = user != NULL ? timchat_store_get_member (store, group->group_id, user) : NULL;
  if (target == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "Member_Account is not a member of the group");
      return NULL;
    }
  /* Only the role is kept; NameCard, MsgFlag and the rest are accepted and ignored. */
  if (role == NULL)
    return json_object_new ();
  if (!g_str_equal (role, "Admin") && !g_str_equal (role, "Member"))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "Role %s is not Admin or Member",
                   role);
      return NULL;
    }
  if ((!request->is_admin && !g_str_equal (self->role, "Owner")) ||
      g_str_equal (target->role, "Owner"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner sets or revokes admins, and not on the owner");
      return NULL;
    }
  if (g_str_equal (target->role, role))
    return json_object_new ();
  if (!timchat_store_set_member_role (store, group->group_id, user, role, error))
    return NULL;
  to_admin = g_str_equal (role, "Admin");
  g_ptr_array_add (users, (gpointer) user);
  if (!_timchat_group_tip (request->server, group->group_id, request->user,
                           to_admin ? TIMCHAT_TIP_SET_ADMIN : TIMCHAT_TIP_CANCEL_ADMIN, users,
                           error))
    return NULL;
  _timchat_group_notice (request->server, group, request->user,
                         to_admin ? TIMCHAT_NOTICE_SET_ADMIN : TIMCHAT_NOTICE_CANCEL_ADMIN, user,
                         NULL);
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
  if (!timchat_store_remove_member (timchat_server_get_store (request->server), group->group_id,
                                    request->user, error))
    return NULL;
  g_ptr_array_add (users, (gpointer) request->user);
  if (!_timchat_group_tip (request->server, group->group_id, request->user, TIMCHAT_TIP_QUIT, users,
                           error))
    return NULL;
  /* The quitter's other devices drop the group too. */
  _timchat_group_notice (request->server, group, request->user, TIMCHAT_NOTICE_QUIT, request->user,
                         request->session);
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
    _timchat_group_notice (request->server, group, request->user, TIMCHAT_NOTICE_DISMISSED,
                           ((TimchatMember *) members->pdata[i])->user_id, request->session);
  return json_object_new ();
}
