/* timchat-cmd-group-join.c: joining a group of one's own accord (the SDK's searchGroupByID,
 * joinGroup and handleGroupApplication): get_group_public_info, apply_join_group and
 * handle_apply_join_group. A group's ApplyJoinOption decides: FreeAccess joins at once (tip 1),
 * NeedPermission keeps an application and tells the owner and admins (notice 1, with a token
 * the answer must bring back), DisableApply refuses. A Work (Private) group is joined only by
 * invitation, and is not shown to outsiders; a Meeting (ChatRoom) or AVChatRoom freely
 * (_timchat_group_join_option ()). get_pendency lists the applications a manager may answer,
 * for one who missed the notice or became an admin after it. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-group-notify.h"
#include "timchat-random.h"

/* get_pendency's page: the SDK asks for 20; ours is at most 100 (a page may hold more, never
 * splitting a second). */
#define DEFAULT_PENDENCY_LIMIT 20
#define MAX_PENDENCY_LIMIT 100
/* The SDK asks about one group; the vendor's limit a call is not recorded, ours is 50. */
#define MAX_PUBLIC_INFO_GROUPS 50
/* ApplyMsg and ApprovalMsg: the vendor's limit is not recorded, ours is a notification's. */
#define MAX_APPLY_MESSAGE_BYTES 300

static gboolean
refuse (GError **error, int code, const char *message)
{
  g_set_error_literal (error, TIM_ERROR, code, message);
  return FALSE;
}

static gboolean
is_work_group (const TimchatGroup *group)
{
  return _timchat_group_type_equal (group->type, "Private");
}

/* One GroupInfo item: the group's public fields (those of filter, when given), or why not. */
static JsonObject *
public_info (TimchatRequest *request, const char *group_id, JsonArray *filter)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group =
      group_id != NULL ? timchat_store_get_group (store, group_id) : NULL;
  g_autoptr (TimchatMember) member =
      group != NULL ? timchat_store_get_member (store, group->group_id, request->user) : NULL;
  JsonObject *item;
  int code = 0;
  const char *info = "";

  if (group == NULL)
    {
      code = TIM_ERROR_GROUP_NOT_FOUND;
      info = "No such group, or it was dismissed";
    }
  else if (is_work_group (group) && member == NULL && !request->is_admin)
    {
      code = TIM_ERROR_GROUP_PERMISSION;
      info = "A Work group is seen by its members only";
    }
  if (code != 0)
    item = json_object_new ();
  else
    {
      item = _timchat_wire_group_base_info (request->server, group);
      _timchat_filter_members (item, filter, "GroupId");
    }
  json_object_set_string_member (item, "GroupId", group_id != NULL ? group_id : "");
  json_object_set_int_member (item, "ErrorCode", code);
  json_object_set_string_member (item, "ErrorInfo", info);
  return item;
}

/* {GroupIdList, ResponseFilter.GroupBasePublicInfoFilter} -> GroupInfo[], one item a group. */
JsonObject *
_timchat_cmd_get_group_public_info (TimchatRequest *request, GError **error)
{
  JsonArray *ids = tim_json_get_array (request->body, "GroupIdList");
  JsonObject *filters = tim_json_get_object (request->body, "ResponseFilter");
  JsonArray *filter =
      filters != NULL ? tim_json_get_array (filters, "GroupBasePublicInfoFilter") : NULL;
  JsonArray *items;
  JsonObject *reply;

  if (!_timchat_check_array (request->body, "GroupIdList", MAX_PUBLIC_INFO_GROUPS,
                             TIM_ERROR_INVALID_PARAMETER, error))
    return NULL;
  if (ids == NULL || json_array_get_length (ids) == 0)
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "GroupIdList needs 1 to 50 group IDs");
      return NULL;
    }
  items = json_array_new ();
  for (guint i = 0; i < json_array_get_length (ids); i++)
    json_array_add_object_element (
        items, public_info (request, tim_json_array_get_string (ids, i), filter));
  reply = json_object_new ();
  json_object_set_array_member (reply, "GroupInfo", items);
  return reply;
}

/* user joins: a member, and every member (them too) hears tip 1, which lists the group on
 * their clients. */
static gboolean
join (TimchatRequest *request, const TimchatGroup *group, const char *user, GError **error)
{
  g_autoptr (TimchatMember) member = timchat_member_new (user, "Member", timchat_server_now ());
  g_autoptr (GPtrArray) users = g_ptr_array_new ();

  if (group->member_count >= group->max_members)
    return refuse (error, TIM_ERROR_GROUP_FULL, "The group is full");
  if (!timchat_store_add_member (timchat_server_get_store (request->server), group->group_id,
                                 member, error))
    return FALSE;
  g_ptr_array_add (users, (gpointer) user);
  return _timchat_group_tip (request->server, group->group_id, user, TIMCHAT_TIP_JOIN, users,
                             error);
}

/* The owner and the admins, who answer applications. */
static gboolean
tell_managers (TimchatRequest *request, const TimchatGroup *group,
               const TimchatApplication *application, GError **error)
{
  g_autoptr (GPtrArray) members =
      timchat_store_list_members (timchat_server_get_store (request->server), group->group_id);

  for (guint i = 0; i < members->len; i++)
    {
      const TimchatMember *member = members->pdata[i];

      if ((g_str_equal (member->role, "Owner") || g_str_equal (member->role, "Admin")) &&
          !_timchat_group_application_notice (request->server, group, application, member->user_id,
                                              error))
        return FALSE;
    }
  return TRUE;
}

/* {GroupId, ApplyMsg, UserDefinedField} -> JoinedStatus: JoinedSuccess or WaitAdminApproval. */
JsonObject *
_timchat_cmd_apply_join_group (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) member = NULL;
  const char *option;
  const char *status;

  if (group == NULL)
    return NULL;
  if (!_timchat_check_string (body, "ApplyMsg", MAX_APPLY_MESSAGE_BYTES, error) ||
      !_timchat_check_string (body, "UserDefinedField", 0, error))
    return NULL;
  member = timchat_store_get_member (store, group->group_id, request->user);
  option = _timchat_group_join_option (group);
  if (member != NULL && g_str_equal (group->type, "AVChatRoom"))
    {
      /* The SDK lists no AVChatRoom across logins: it joins each one again before it lets
       * sendMessage post there (2101), the creator too, and takes anything but JoinedSuccess
       * as a failure. Being in the room already is what that join asks for. */
      status = "JoinedSuccess";
    }
  else if (member != NULL)
    {
      refuse (error, TIM_ERROR_GROUP_ALREADY_MEMBER, "You are a member of the group already");
      return NULL;
    }
  else if (g_str_equal (option, "DisableApply"))
    {
      refuse (error, TIM_ERROR_GROUP_PERMISSION,
              is_work_group (group) ? "A Work group is joined only by invitation"
                                    : "This group takes no applications");
      return NULL;
    }
  else if (g_str_equal (option, "FreeAccess"))
    {
      if (!join (request, group, request->user, error))
        return NULL;
      status = "JoinedSuccess";
    }
  else
    {
      g_autofree char *token = timchat_random_key (error);
      TimchatApplication application = {
        .group_id = group->group_id,
        .applicant = (char *) request->user,
        .message = (char *) tim_json_get_string (body, "ApplyMsg"),
        .authentication = token,
        .created = timchat_server_now (),
      };

      if (application.message == NULL)
        application.message = "";
      if (token == NULL || !timchat_store_save_application (store, &application, error) ||
          !tell_managers (request, group, &application, error))
        return NULL;
      status = "WaitAdminApproval";
    }
  {
    JsonObject *reply = json_object_new ();

    json_object_set_string_member (reply, "JoinedStatus", status);
    json_object_set_string_member (reply, "ToGroupId", group->group_id);
    /* The SDK's avChatRoomFlag: only with it does its join put the room in its group list,
     * which its sendMessage checks (2101 otherwise). Without a LongPollingKey it does not poll:
     * the room's messages come as pushes. */
    if (g_str_equal (group->type, "AVChatRoom"))
      json_object_set_int_member (reply, "HugeGroupFlag", 1);
    return reply;
  }
}

/* {GroupId, Applicant_Account, HandleMsg: Agree | Reject, ApprovalMsg, Authentication}: the
 * owner or an admin answers; the applicant hears it (notice 2 or 3), and joins on Agree. An
 * application answered already (by another manager) is 10024. */
JsonObject *
_timchat_cmd_handle_apply_join_group (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (TimchatMember) member = NULL;
  g_autoptr (TimchatApplication) application = NULL;
  const char *applicant, *action, *authentication, *reason;
  gboolean agree;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (!_timchat_group_is_manager (request, self))
    {
      refuse (error, TIM_ERROR_GROUP_PERMISSION, "Only the owner or an admin answers applications");
      return NULL;
    }
  if (!_timchat_check_string (body, "ApprovalMsg", MAX_APPLY_MESSAGE_BYTES, error) ||
      !_timchat_check_string (body, "Authentication", 0, error) ||
      !_timchat_check_string (body, "UserDefinedField", 0, error))
    return NULL;
  applicant =
      _timchat_require_string (body, "Applicant_Account", TIM_ERROR_INVALID_PARAMETER, error);
  if (applicant == NULL)
    return NULL;
  action = tim_json_get_string (body, "HandleMsg");
  if (g_strcmp0 (action, "Agree") != 0 && g_strcmp0 (action, "Reject") != 0)
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "HandleMsg must be Agree or Reject");
      return NULL;
    }
  agree = g_str_equal (action, "Agree");
  authentication = tim_json_get_string (body, "Authentication");
  reason = tim_json_get_string (body, "ApprovalMsg");
  application = timchat_store_get_application (store, group->group_id, applicant);
  if (application == NULL)
    {
      refuse (error, TIM_ERROR_GROUP_REQUEST_HANDLED,
              "No application of this user waits: it was answered already, or never made");
      return NULL;
    }
  /* The notice's token, when the client brings one (the SDK does): it must be the newest. */
  if (authentication != NULL && *authentication != '\0' &&
      !g_str_equal (authentication, application->authentication))
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER,
              "This is not the user's newest application (Authentication)");
      return NULL;
    }
  member = timchat_store_get_member (store, group->group_id, applicant);
  if (agree && member == NULL && group->member_count >= group->max_members)
    {
      refuse (error, TIM_ERROR_GROUP_FULL, "The group is full");
      return NULL;
    }
  if (!timchat_store_delete_application (store, group->group_id, applicant, error))
    return NULL;
  if (member != NULL)
    {
      refuse (error, TIM_ERROR_GROUP_ALREADY_MEMBER, "The user is a member of the group already");
      return NULL;
    }
  if (agree && !join (request, group, applicant, error))
    return NULL;
  if (!_timchat_group_notice_full (request->server, group, request->user,
                                   agree ? TIMCHAT_NOTICE_ACCEPTED : TIMCHAT_NOTICE_REFUSED,
                                   applicant, reason, NULL, NULL, error))
    return NULL;
  return json_object_new ();
}

/* One PendencyList item as the SDK reads it (getGroupApplicationList: from, fromUserNickName,
 * groupName, groupID, authentication, time, applicationType, userID, handled); ApplyMsg, the
 * applicant's words, is ours. */
static JsonObject *
pendency_item (TimchatRequest *request, const TimchatApplication *application, const char *manager,
               GHashTable *group_names)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatAccount) account = timchat_store_get_account (store, application->applicant);
  const char *group_name = g_hash_table_lookup (group_names, application->group_id);
  JsonObject *item = json_object_new ();

  if (group_name == NULL)
    {
      g_autoptr (TimchatGroup) group = timchat_store_get_group (store, application->group_id);

      group_name = group != NULL ? group->name : "";
      g_hash_table_insert (group_names, g_strdup (application->group_id), g_strdup (group_name));
      group_name = g_hash_table_lookup (group_names, application->group_id);
    }
  json_object_set_string_member (item, "GroupId", application->group_id);
  json_object_set_string_member (item, "GroupName", group_name);
  json_object_set_string_member (item, "From_Account", application->applicant);
  json_object_set_string_member (item, "FromUserNickName", account != NULL ? account->nick : "");
  json_object_set_string_member (item, "To_Account", manager);
  json_object_set_string_member (item, "ApplyMsg", application->message);
  json_object_set_string_member (item, "Authentication", application->authentication);
  json_object_set_int_member (item, "Time", application->created);
  json_object_set_int_member (item, "ApplicationType", 0); /* asked to join (not invited) */
  json_object_set_int_member (item, "Handled", 0);
  return item;
}

/* {StartTime, Limit, Handle_Account, Type} -> PendencyList, NextStartTime (0: no more): the
 * applications the user may answer, oldest first, from StartTime on (seconds). A page never
 * splits a second, so that the next one, from NextStartTime, repeats and skips nothing. A
 * community's (Type "Community") are none: we have no communities. */
JsonObject *
_timchat_cmd_get_pendency (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  const char *manager = _timchat_acting_user (request, "Handle_Account", FALSE,
                                              TIM_ERROR_FROM_ACCOUNT_INVALID, error);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GHashTable) group_names = NULL;
  gint64 start, limit, next = 0;
  JsonArray *items;
  JsonObject *reply;

  if (manager == NULL || !_timchat_check_int (body, "StartTime", error) ||
      !_timchat_check_int (body, "Limit", error) || !_timchat_check_string (body, "Type", 0, error))
    return NULL;
  start = tim_json_get_int_or (body, "StartTime", 0);
  limit = tim_json_get_int_or (body, "Limit", DEFAULT_PENDENCY_LIMIT);
  if (start < 0 || limit < 1 || limit > MAX_PENDENCY_LIMIT)
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "StartTime must be 0 or more and Limit 1 to 100");
      return NULL;
    }
  if (g_strcmp0 (tim_json_get_string (body, "Type"), "Community") == 0)
    page = g_ptr_array_new ();
  else
    page = timchat_store_list_applications (store, manager, start, G_MAXINT64, (guint) limit + 1);
  if (page->len > (guint) limit)
    {
      const TimchatApplication *first_left = page->pdata[limit];
      const TimchatApplication *first = page->pdata[0];

      next = first_left->created;
      if (first->created == next)
        {
          /* One second holds more than a page: all of it, then on from the next second. */
          g_ptr_array_unref (page);
          page = timchat_store_list_applications (store, manager, next, next, 0);
          next = next + 1;
        }
      else
        {
          /* Up to the second the next page starts with. */
          guint keep = (guint) limit;

          while (((const TimchatApplication *) page->pdata[keep - 1])->created == next)
            keep--;
          g_ptr_array_set_size (page, keep);
        }
    }
  group_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  items = json_array_new ();
  for (guint i = 0; i < page->len; i++)
    json_array_add_object_element (items,
                                   pendency_item (request, page->pdata[i], manager, group_names));
  reply = json_object_new ();
  json_object_set_array_member (reply, "PendencyList", items);
  json_object_set_int_member (reply, "NextStartTime", next);
  json_object_set_int_member (reply, "UnreadPendencyCount", 0);
  return reply;
}
