/* timchat-cmd-group-profile.c: modify_group_base_info, a group's name, picture, introduction,
 * notification, join option and mute-all, and change_group_owner. The change is stored first;
 * then the group tip GRP_TIP_GRP_PROFILE_UPDATED (6) carries the new values (MsgGroupNewInfo) to
 * every member, and their clients rename the conversation from it. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"

static const char *const join_options[] = { "FreeAccess", "NeedPermission", "DisableApply", NULL };

static gboolean
refuse (GError **error, int code, const char *message)
{
  g_set_error_literal (error, TIM_ERROR, code, message);
  return FALSE;
}

/* Every field has its documented type and size (tim-rest-facts.md §5.0); change holds them. */
static gboolean
read_change (TimchatRequest *request, const TimchatGroup *group, TimchatGroupChange *change,
             GError **error)
{
  JsonObject *body = request->body;
  const char *mute;

  if (!_timchat_check_group_name (body, error) ||
      !_timchat_check_string (body, "Introduction", TIM_MAX_GROUP_INTRODUCTION_BYTES, error) ||
      !_timchat_check_string (body, "Notification", TIM_MAX_GROUP_NOTIFICATION_BYTES, error) ||
      !_timchat_check_string (body, "FaceUrl", TIM_MAX_GROUP_FACE_URL_BYTES, error) ||
      !_timchat_check_string (body, "ApplyJoinOption", 0, error) ||
      !_timchat_check_string (body, "ShutUpAllMember", 0, error) ||
      !_timchat_check_int (body, "MaxMemberNum", error) ||
      !_timchat_check_array (body, "AppDefinedData", 0, TIM_ERROR_INVALID_PARAMETER, error))
    return FALSE;
  change->name = tim_json_get_string (body, "Name");
  change->introduction = tim_json_get_string (body, "Introduction");
  change->notification = tim_json_get_string (body, "Notification");
  change->face_url = tim_json_get_string (body, "FaceUrl");
  change->apply_join_option = tim_json_get_string (body, "ApplyJoinOption");
  mute = tim_json_get_string (body, "ShutUpAllMember");
  change->mute_all = mute == NULL ? -1 : g_str_equal (mute, "On") ? 1 : 0;

  if (change->apply_join_option != NULL &&
      !g_strv_contains (join_options, change->apply_join_option))
    return refuse (error, TIM_ERROR_INVALID_PARAMETER,
                   "ApplyJoinOption must be FreeAccess, NeedPermission or DisableApply");
  if (mute != NULL && !g_str_equal (mute, "On") && !g_str_equal (mute, "Off"))
    return refuse (error, TIM_ERROR_INVALID_PARAMETER, "ShutUpAllMember must be On or Off");
  if (json_object_has_member (body, "MaxMemberNum"))
    {
      gint64 max = tim_json_get_int_or (body, "MaxMemberNum", 0);

      if (max <= 0 || max > G_MAXINT32)
        return refuse (error, TIM_ERROR_INVALID_PARAMETER, "MaxMemberNum must be positive");
      if ((guint) max < group->member_count)
        return refuse (error, TIM_ERROR_INVALID_PARAMETER,
                       "MaxMemberNum is below the group's member count");
      change->max_members = (guint) max;
    }
  return TRUE;
}

/* Anyone in a Private (Work) group edits its name, picture, introduction and notification, as
 * the vendor allows; elsewhere, and for the join option, mute-all and the size, only the owner
 * and admins; the size only the app admin (it is a REST-only field). */
static gboolean
check_permission (TimchatRequest *request, const TimchatGroup *group, const TimchatMember *self,
                  const TimchatGroupChange *change, GError **error)
{
  gboolean manager = _timchat_group_is_manager (request, self);
  gboolean work = g_str_equal (group->type, "Private") || g_str_equal (group->type, "Work");

  if (change->max_members > 0 && !request->is_admin)
    return refuse (error, TIM_ERROR_GROUP_PERMISSION, "Only the app admin sets MaxMemberNum");
  if ((change->apply_join_option != NULL || change->mute_all >= 0) && !manager)
    return refuse (error, TIM_ERROR_GROUP_PERMISSION,
                   "Only the owner or an admin sets how to join and who may post");
  if (!work && !manager)
    return refuse (error, TIM_ERROR_GROUP_PERMISSION,
                   "Only the owner or an admin changes this group's profile");
  return TRUE;
}

/* MsgGroupNewInfo, with the SDK's names: GroupName becomes newGroupProfile.groupName, which it
 * sets as the group's name; GroupFaceUrl avatar; MuteAllMembers muteAllMembers (1 = true). */
static JsonObject *
new_info (const TimchatGroupChange *change)
{
  JsonObject *info = json_object_new ();

  tim_json_set_string_if (info, "GroupName", change->name);
  tim_json_set_string_if (info, "GroupFaceUrl", change->face_url);
  tim_json_set_string_if (info, "GroupIntroduction", change->introduction);
  tim_json_set_string_if (info, "GroupNotification", change->notification);
  tim_json_set_string_if (info, "GroupApplyJoinOption", change->apply_join_option);
  if (change->mute_all >= 0)
    json_object_set_int_member (info, "MuteAllMembers", change->mute_all);
  if (change->max_members > 0)
    json_object_set_int_member (info, "MaxMemberNum", change->max_members);
  return info;
}

JsonObject *
_timchat_cmd_modify_group_base_info (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (JsonObject) info = NULL;
  TimchatGroupChange change = { 0 };

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error) ||
      !read_change (request, group, &change, error) ||
      !check_permission (request, group, self, &change, error))
    return NULL;
  info = new_info (&change);
  if (json_object_get_size (info) == 0)
    return json_object_new (); /* nothing to change: no new version, no tip */
  if (!timchat_store_update_group (store, group->group_id, &change, timchat_server_now (), error))
    return NULL;
  if (!_timchat_group_profile_tip (request->server, group->group_id, request->user, info, error))
    return NULL;
  return json_object_new ();
}

/* The SDK's changeGroupOwner: {GroupId, NewOwner_Account}. The owner (or the app admin) hands the
 * group to another member, and becomes a plain member; the tip says the new owner
 * (MsgGroupNewInfo.Owner_Account, the SDK's newGroupProfile.ownerID). */
JsonObject *
_timchat_cmd_change_group_owner (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (TimchatMember) heir = NULL;
  g_autoptr (JsonObject) info = NULL;
  TimchatGroupChange change = { .mute_all = -1 };
  const char *new_owner;
  gboolean heir_muted;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  if (!request->is_admin && !g_str_equal (self->role, "Owner"))
    {
      refuse (error, TIM_ERROR_GROUP_PERMISSION, "Only the owner hands the group over");
      return NULL;
    }
  if (g_str_equal (group->type, "AVChatRoom"))
    {
      refuse (error, TIM_ERROR_GROUP_PERMISSION, "An AVChatRoom's owner cannot be changed");
      return NULL;
    }
  new_owner = _timchat_require_string (request->body, "NewOwner_Account",
                                       TIM_ERROR_INVALID_PARAMETER, error);
  if (new_owner == NULL)
    return NULL;
  heir = timchat_store_get_member (store, group->group_id, new_owner);
  if (heir == NULL && !_timchat_account_exists (request, new_owner))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", new_owner);
      return NULL;
    }
  if (heir == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s is not a member of the group",
                   new_owner);
      return NULL;
    }
  if (g_str_equal (heir->role, "Owner"))
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "That member already owns the group");
      return NULL;
    }
  /* One transaction with the reply's wait for the disk: the group and both roles, or nothing. */
  change.owner = new_owner;
  if (!timchat_store_update_group (store, group->group_id, &change, timchat_server_now (), error) ||
      !timchat_store_set_member_role (store, group->group_id, group->owner, "Member", error) ||
      !timchat_store_set_member_role (store, group->group_id, new_owner, "Owner", error))
    return NULL;
  /* Nobody mutes the owner, nor lifts an owner's mute (modify_group_member_info): a muted heir
   * stayed muted in their own group until the time ran out. Lifted as an unmute is, with its tip,
   * so that the members' clients stop showing it too. */
  heir_muted = heir->mute_until > timchat_server_now ();
  if (heir_muted &&
      !timchat_store_set_member_mute_until (store, group->group_id, new_owner, 0, error))
    return NULL;
  info = json_object_new ();
  json_object_set_string_member (info, "Owner_Account", new_owner);
  if (!_timchat_group_profile_tip (request->server, group->group_id, request->user, info, error))
    return NULL;
  if (heir_muted && !_timchat_group_mute_tip (request->server, group->group_id, request->user,
                                              new_owner, 0, error))
    return NULL;
  return json_object_new ();
}
