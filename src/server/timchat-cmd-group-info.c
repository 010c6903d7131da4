/* timchat-cmd-group-info.c: group and member information: group profiles, a user's groups, a
 * group's members, and changing one member's role or name card (tim-rest-facts.md §5.2, §5.5,
 * §5.7, §5.8; sdk-wire-notes.md §6).
 *
 * The official SDK reads fields it did not list in its filters, so the WebSocket answers keep
 * every field; a REST caller gets exactly what its ResponseFilter / MemberInfoFilter asks for. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

#define MAX_GROUPS_PER_INFO 50
#define MAX_JOINED_LIMIT 5000
#define MAX_MEMBER_LIMIT 6000
/* The SDK's getGroupMemberProfile sends at most 50 (its code cuts the list there). */
#define MAX_SPECIFIED_MEMBERS 50

static gboolean
check_filter (JsonObject *body, JsonObject **filter, GError **error)
{
  *filter = NULL;
  if (!json_object_has_member (body, "ResponseFilter"))
    return TRUE;
  *filter = tim_json_get_object (body, "ResponseFilter");
  if (*filter == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "ResponseFilter must be an object");
      return FALSE;
    }
  for (const char *const *name = (const char *const[]){ "GroupBaseInfoFilter", "MemberInfoFilter",
                                                        "SelfInfoFilter", NULL };
       *name != NULL; name++)
    if (!_timchat_check_array (*filter, *name, 0, TIM_ERROR_INVALID_PARAMETER, error))
      return FALSE;
  return TRUE;
}

static JsonArray *
member_list (TimchatServer *server, const char *group_id, JsonArray *fields)
{
  g_autoptr (GPtrArray) members =
      timchat_store_list_members (timchat_server_get_store (server), group_id);
  JsonArray *list = json_array_new ();

  for (guint j = 0; j < members->len; j++)
    {
      JsonObject *info = _timchat_wire_member_info (members->pdata[j], "Member_Account");

      _timchat_filter_members (info, fields, "Member_Account");
      json_array_add_object_element (list, info);
    }
  return list;
}

/* get_group_info (REST) and get_group_self_member_info (the SDK's getGroupProfile): one entry
 * per asked group, each with its own ErrorCode. */
static JsonObject *
group_info_reply (TimchatRequest *request, gboolean with_members, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *ids = tim_json_get_array (request->body, "GroupIdList");
  g_autoptr (GPtrArray) id_strings = _timchat_string_list (ids);
  JsonObject *filter = NULL;
  JsonArray *base_fields, *member_fields;
  JsonArray *infos;
  JsonObject *reply;

  if (ids == NULL || id_strings->len != json_array_get_length (ids))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "GroupIdList is missing or not an array of strings");
      return NULL;
    }
  if (with_members && json_array_get_length (ids) > MAX_GROUPS_PER_INFO)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "GroupIdList has more than %d groups", MAX_GROUPS_PER_INFO);
      return NULL;
    }
  if (with_members && !check_filter (request->body, &filter, error))
    return NULL;
  base_fields = filter != NULL ? tim_json_get_array (filter, "GroupBaseInfoFilter") : NULL;
  member_fields = filter != NULL ? tim_json_get_array (filter, "MemberInfoFilter") : NULL;

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
      _timchat_filter_members (info, base_fields, "GroupId");
      json_object_set_int_member (info, "ErrorCode", 0);
      json_object_set_string_member (info, "ErrorInfo", "");
      if (filter == NULL && with_members)
        json_object_set_array_member (info, "AppDefinedData", json_array_new ());
      if (self != NULL)
        json_object_set_object_member (info, "SelfInfo", _timchat_wire_member_info (self, NULL));
      /* A filter without MemberInfoFilter asks for no member list. */
      if (with_members && (filter == NULL || member_fields != NULL))
        json_object_set_array_member (info, "MemberList",
                                      member_list (request->server, id, member_fields));
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

static gboolean
check_paging (JsonObject *body, gint64 max_limit, GError **error)
{
  if (!_timchat_check_int (body, "Limit", error) || !_timchat_check_int (body, "Offset", error))
    return FALSE;
  if (tim_json_get_int_or (body, "Limit", 0) < 0 || tim_json_get_int_or (body, "Offset", 0) < 0 ||
      tim_json_get_int_or (body, "Limit", 0) > max_limit)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "Limit must be 0..%" G_GINT64_FORMAT " and Offset not negative", max_limit);
      return FALSE;
    }
  return TRUE;
}

static gboolean
joined_group_wanted (TimchatRequest *request, const TimchatGroup *group)
{
  const char *type = tim_json_get_string (request->body, "GroupType");

  if (!_timchat_request_is_rest (request))
    return TRUE;
  if (type != NULL && *type != '\0')
    return _timchat_group_type_equal (group->type, type);
  /* AVChatRooms only on request (tim-rest-facts.md §5.7). */
  return !g_str_equal (group->type, "AVChatRoom") ||
         tim_json_get_int_or (request->body, "WithHugeGroups", 0) == 1;
}

JsonObject *
_timchat_cmd_get_joined_group_list (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  gboolean rest = _timchat_request_is_rest (request);
  const char *user = request->user;
  JsonObject *filter = NULL;
  JsonArray *base_fields = NULL, *self_fields = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (GPtrArray) wanted = g_ptr_array_new ();
  g_autoptr (JsonArray) nothing = json_array_new ();
  JsonArray *list;
  JsonObject *reply;
  guint start, end;

  if (request->is_admin)
    {
      user = _timchat_require_string (body, "Member_Account", TIM_ERROR_INVALID_PARAMETER, error);
      if (user == NULL)
        return NULL;
      if (!_timchat_account_exists (request, user))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND, "No account %s", user);
          return NULL;
        }
    }
  if (!check_paging (body, MAX_JOINED_LIMIT, error) || !check_filter (body, &filter, error) ||
      !_timchat_check_string (body, "GroupType", 0, error) ||
      !_timchat_check_int (body, "WithHugeGroups", error) ||
      !_timchat_check_int (body, "WithNoActiveGroups", error))
    return NULL;
  /* A type that is not one would list nothing, and say so as if the member had no groups. */
  if (tim_json_get_string (body, "GroupType") != NULL &&
      *tim_json_get_string (body, "GroupType") != '\0' &&
      !_timchat_group_type_is_known (tim_json_get_string (body, "GroupType")))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "Unknown GroupType %s",
                   tim_json_get_string (body, "GroupType"));
      return NULL;
    }
  if (rest)
    {
      base_fields = filter != NULL ? tim_json_get_array (filter, "GroupBaseInfoFilter") : NULL;
      self_fields = filter != NULL ? tim_json_get_array (filter, "SelfInfoFilter") : NULL;
    }

  groups = timchat_store_joined_groups (store, user);
  for (guint i = 0; i < groups->len; i++)
    if (joined_group_wanted (request, groups->pdata[i]))
      g_ptr_array_add (wanted, groups->pdata[i]);
  _timchat_page_bounds (body, wanted->len, &start, &end);
  list = json_array_new ();
  for (guint i = start; i < end; i++)
    {
      TimchatGroup *group = wanted->pdata[i];
      g_autoptr (TimchatMember) self = timchat_store_get_member (store, group->group_id, user);
      JsonObject *item = _timchat_wire_group_base_info (request->server, group);

      /* Old samples call MemberNum "MemberCount" (tim-rest-facts.md §5.7). */
      json_object_set_int_member (item, "MemberCount", group->member_count);
      if (rest)
        {
          /* REST without a base filter: the group IDs only, as the vendor answers. */
          _timchat_filter_members (item, base_fields != NULL ? base_fields : nothing, "GroupId");
        }
      else
        json_object_remove_member (item, "MemberCount");
      if (self != NULL && (!rest || self_fields != NULL))
        {
          JsonObject *self_info = _timchat_wire_member_info (self, NULL);
          /* The conversation list's count, not the distance to the read mark, which counted
           * the member's own messages and recalled ones (fill_conversation ()). */
          g_autoptr (TimchatConversation) conv =
              timchat_store_get_conversation (store, user, TIM_CONV_GROUP, group->group_id);

          json_object_set_int_member (self_info, "UnreadMsgNum", conv != NULL ? conv->unread : 0);
          if (rest)
            _timchat_filter_members (self_info, self_fields, NULL);
          json_object_set_object_member (item, "SelfInfo", self_info);
        }
      json_array_add_object_element (list, item);
    }
  reply = json_object_new ();
  json_object_set_int_member (reply, "TotalCount", wanted->len);
  json_object_set_array_member (reply, "GroupIdList", list);
  return reply;
}

/* Whether value is in list (a JSON array of strings); NULL lists everything. */
static gboolean
listed (JsonArray *list, const char *value)
{
  g_autoptr (GPtrArray) names = _timchat_string_list (list);

  if (list == NULL)
    return TRUE;
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (names->pdata[i], value))
      return TRUE;
  return FALSE;
}

/* get_group_member_info, and the SDK's getGroupMemberProfile (get_specified_group_member_info:
 * Member_List_Account names up to MAX_SPECIFIED_MEMBERS of them). */
JsonObject *
_timchat_cmd_get_group_member_info (TimchatRequest *request, GError **error)
{
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GPtrArray) wanted = g_ptr_array_new ();
  JsonArray *fields, *roles, *accounts, *list;
  JsonObject *reply;
  guint start, end;

  if (group == NULL || !_timchat_group_require_member (request, group, NULL, error))
    return NULL;
  if (!check_paging (body, MAX_MEMBER_LIMIT, error) ||
      !_timchat_check_array (body, "MemberInfoFilter", 0, TIM_ERROR_INVALID_PARAMETER, error) ||
      !_timchat_check_array (body, "MemberRoleFilter", 0, TIM_ERROR_INVALID_PARAMETER, error) ||
      !_timchat_check_array (body, "Member_List_Account", MAX_SPECIFIED_MEMBERS,
                             TIM_ERROR_INVALID_PARAMETER, error))
    return NULL;
  fields =
      _timchat_request_is_rest (request) ? tim_json_get_array (body, "MemberInfoFilter") : NULL;
  roles = tim_json_get_array (body, "MemberRoleFilter");
  accounts = tim_json_get_array (body, "Member_List_Account");
  members =
      timchat_store_list_members (timchat_server_get_store (request->server), group->group_id);
  for (guint i = 0; i < members->len; i++)
    {
      TimchatMember *member = members->pdata[i];

      if (listed (roles, member->role) && listed (accounts, member->user_id))
        g_ptr_array_add (wanted, member);
    }
  _timchat_page_bounds (body, wanted->len, &start, &end);
  list = json_array_new ();
  for (guint i = start; i < end; i++)
    {
      JsonObject *info = _timchat_wire_member_info (wanted->pdata[i], "Member_Account");

      _timchat_filter_members (info, fields, "Member_Account");
      json_array_add_object_element (list, info);
    }
  reply = json_object_new ();
  json_object_set_int_member (reply, "MemberNum", members->len);
  json_object_set_array_member (reply, "MemberList", list);
  return reply;
}

/* get_online_member_num, the SDK's getGroupOnlineMemberCount (which asks it only of an AVChatRoom
 * it joined, to show how many watch): the members with a socket logged in now, the asker's too.
 * Ours for any type of group, as nothing else differs; members only (the app admin over REST). */
JsonObject *
_timchat_cmd_get_online_member_num (TimchatRequest *request, GError **error)
{
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (GPtrArray) members = NULL;
  TimchatHub *hub = timchat_server_get_hub (request->server);
  JsonObject *reply;
  gint64 online = 0;

  if (group == NULL || !_timchat_group_require_member (request, group, NULL, error))
    return NULL;
  members =
      timchat_store_list_members (timchat_server_get_store (request->server), group->group_id);
  for (guint i = 0; i < members->len; i++)
    online += timchat_hub_has_sessions (hub, ((TimchatMember *) members->pdata[i])->user_id, NULL);
  reply = json_object_new ();
  json_object_set_int_member (reply, "OnlineMemberNum", online);
  return reply;
}

static gboolean
check_member_body (JsonObject *body, GError **error)
{
  const char *role = tim_json_get_string (body, "Role");
  const char *flag = tim_json_get_string (body, "MsgFlag");

  if (!_timchat_check_string (body, "Role", 0, error) ||
      !_timchat_check_string (body, "NameCard", TIM_MAX_NAME_CARD_BYTES, error) ||
      !_timchat_check_string (body, "MsgFlag", 0, error) ||
      !_timchat_check_int (body, "ShutUpTime", error) ||
      !_timchat_check_array (body, "AppMemberDefinedData", 0, TIM_ERROR_INVALID_PARAMETER, error))
    return FALSE;
  if (role != NULL && !g_str_equal (role, "Admin") && !g_str_equal (role, "Member"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "Role must be Admin or Member");
      return FALSE;
    }
  if (flag != NULL && tim_remind_flag_from_name (flag) < 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "MsgFlag must be AcceptAndNotify, AcceptNotNotify or Discard");
      return FALSE;
    }
  return TRUE;
}

JsonObject *
_timchat_cmd_modify_group_member_info (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (TimchatMember) target = NULL;
  g_autoptr (GPtrArray) users = g_ptr_array_new ();
  const char *user = tim_json_get_string (body, "Member_Account");
  const char *role = tim_json_get_string (body, "Role");
  const char *name_card = tim_json_get_string (body, "NameCard");
  const char *flag = tim_json_get_string (body, "MsgFlag");
  gboolean mutes = json_object_has_member (body, "ShutUpTime");
  gint64 mute_seconds = tim_json_get_int_or (body, "ShutUpTime", 0);
  gboolean to_admin;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (user == NULL || *user == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "Member_Account is missing or not a string");
      return NULL;
    }
  if (!check_member_body (body, error))
    return NULL;
  target = timchat_store_get_member (store, group->group_id, user);
  if (target == NULL && !_timchat_account_exists (request, user))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", user);
      return NULL;
    }
  if (target == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s is not a member of the group",
                   user);
      return NULL;
    }
  /* Roles: the owner or the app admin, never on the owner. Name cards: one's own, or a manager's
   * on a plain member. MsgFlag: one's own (or the app admin's doing). ShutUpTime (seconds, 0
   * lifts it): the owner on anyone but themself, an admin on plain members. Custom data is
   * checked and not kept. */
  if (mutes && (mute_seconds < 0 || mute_seconds > G_MAXUINT32))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "ShutUpTime must be 0 to 4294967295 seconds");
      return NULL;
    }
  if (mutes && (g_str_equal (target->role, "Owner") ||
                (!request->is_admin && !g_str_equal (self->role, "Owner") &&
                 !(g_str_equal (self->role, "Admin") && g_str_equal (target->role, "Member")))))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner mutes admins, and managers plain members; nobody mutes "
                           "the owner");
      return NULL;
    }
  if (role != NULL && !g_str_equal (target->role, role) &&
      ((!request->is_admin && !g_str_equal (self->role, "Owner")) ||
       g_str_equal (target->role, "Owner")))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only the owner sets or revokes admins, and not on the owner");
      return NULL;
    }
  if (name_card != NULL && !request->is_admin && !g_str_equal (self->user_id, user) &&
      !(_timchat_group_is_manager (request, self) && g_str_equal (target->role, "Member")))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only managers change other members' name cards");
      return NULL;
    }
  if (flag != NULL && !request->is_admin && !g_str_equal (self->user_id, user))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "Only a member sets how they hear of the group (MsgFlag)");
      return NULL;
    }
  if (name_card != NULL &&
      !timchat_store_set_member_name_card (store, group->group_id, user, name_card, error))
    return NULL;
  if (flag != NULL && !timchat_store_set_remind (store, user, TIM_CONV_GROUP, group->group_id,
                                                 tim_remind_flag_from_name (flag), error))
    return NULL;
  if (flag != NULL)
    _timchat_group_remind_sync (request->server, group, user, flag, request->session);
  if (mutes && (!timchat_store_set_member_mute_until (
                    store, group->group_id, user,
                    mute_seconds > 0 ? timchat_server_now () + mute_seconds : 0, error) ||
                !_timchat_group_mute_tip (request->server, group->group_id, request->user, user,
                                          mute_seconds, error)))
    return NULL;
  if (role == NULL || g_str_equal (target->role, role))
    return json_object_new ();
  if (!timchat_store_set_member_role (store, group->group_id, user, role, error))
    return NULL;
  to_admin = g_str_equal (role, "Admin");
  g_ptr_array_add (users, (gpointer) user);
  if (!_timchat_group_tip (request->server, group->group_id, request->user,
                           to_admin ? TIMCHAT_TIP_SET_ADMIN : TIMCHAT_TIP_CANCEL_ADMIN, users,
                           error))
    return NULL;
  if (!_timchat_group_notice (request->server, group, request->user,
                              to_admin ? TIMCHAT_NOTICE_SET_ADMIN : TIMCHAT_NOTICE_CANCEL_ADMIN,
                              user, NULL, error))
    return NULL;
  return json_object_new ();
}
