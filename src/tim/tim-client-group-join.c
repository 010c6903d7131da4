/* tim-client-group-join.c: joining a group of one's own accord (the Web SDK's searchGroupByID,
 * joinGroup and handleGroupApplication). A group joined at once is listed from the join's answer,
 * which the server sends ahead of the join's tip (that tip then becomes its last message). An
 * application's answer is kept in its notices, so that a UI shows it answered ever after
 * (tim-client-group-applications.c). */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

static gboolean
check_group_id (GTask *task, const char *group_id)
{
  if (tim_group_id_is_valid (group_id))
    return TRUE;
  g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_GROUP_INVALID_ID,
                           _ ("“%s” is not a group ID"), group_id != NULL ? group_id : "");
  return FALSE;
}

/* ---------------------------------------------------------------- searchGroupByID */

static char *
dup_string_or_empty (JsonObject *object, const char *member)
{
  const char *value = tim_json_get_string (object, member);

  return g_strdup (value != NULL ? value : "");
}

static void
group_found (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonObject *item = tim_json_array_get_object (tim_json_get_array (reply, "GroupInfo"), 0);
  gint64 code = item != NULL ? tim_json_get_int_or (item, "ErrorCode", 0) : TIM_ERROR_INTERNAL;
  TimGroupInfo *info;

  if (code != 0)
    {
      const char *why = item != NULL ? tim_json_get_string (item, "ErrorInfo") : NULL;

      g_task_return_new_error (task, TIM_ERROR, (int) code, "%s",
                               why != NULL && *why != '\0' ? why : tim_error_text ((int) code));
      return;
    }
  info = g_new0 (TimGroupInfo, 1);
  info->group_id = dup_string_or_empty (item, "GroupId");
  info->type = dup_string_or_empty (item, "Type");
  info->name = dup_string_or_empty (item, "Name");
  info->introduction = dup_string_or_empty (item, "Introduction");
  info->notification = dup_string_or_empty (item, "Notification");
  info->face_url = dup_string_or_empty (item, "FaceUrl");
  info->owner_id = dup_string_or_empty (item, "Owner_Account");
  info->member_count = (guint) CLAMP (tim_json_get_int_or (item, "MemberNum", 0), 0, G_MAXUINT);
  info->max_member_count =
      (guint) CLAMP (tim_json_get_int_or (item, "MaxMemberNum", 0), 0, G_MAXUINT);
  info->join_option = dup_string_or_empty (item, "ApplyJoinOption");
  g_task_return_pointer (task, info, (GDestroyNotify) tim_group_info_free);
}

void
tim_client_search_group_async (TimClient *self, const char *group_id, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *ids;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_search_group_async);
  if (!check_group_id (task, group_id) || !_tim_client_check_logged_in (self, task))
    return;
  ids = json_array_new ();
  json_array_add_string_element (ids, group_id);
  json_object_set_array_member (body, "GroupIdList", ids);
  _tim_client_request (self, task, "group_open_http_svc.get_group_public_info", body, group_found);
}

TimGroupInfo *
tim_client_search_group_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- joinGroup */

/* Joined at once: the group is listed now, its name and the rest on their way (its profile is
 * fetched, as for any group first heard of). Not from the join's tip: the server answers first
 * (the Web SDK counts members from both), and a caller told "joined" found no conversation to
 * open yet. The tip, right behind, finds it listed and becomes its last message.
 * JoinedSuccess says the user is in the group, not as what, and names no owner. Any group but an
 * AVChatRoom is joined so only by one not in it (a member already is 10013): a plain member now,
 * whatever this device kept from before (a group still listed here as "Admin", from before the
 * user quit it on another device while this one was away, stayed "Admin"). An AVChatRoom's join
 * succeeds for a member too (the SDK joins each one again after a login, its owner's included;
 * the answer's HugeGroupFlag, the SDK's avChatRoomFlag, says it is one): its role is the
 * profile's to say, asked for here if the group was listed already; set "Member" meanwhile, its
 * owner on a device that did not list it showed as a plain member until the profile came. */
void
_tim_client_take_join_answer (TimClient *self, const char *group_id, JsonObject *reply)
{
  g_autofree char *conversation_id = NULL;
  TimConversation *conversation;
  gboolean known;

  if (group_id == NULL ||
      g_strcmp0 (tim_json_get_string (reply, "JoinedStatus"), "JoinedSuccess") != 0)
    return;
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  known = tim_conversation_list_lookup (self->conversations, conversation_id) != NULL;
  conversation = _tim_client_ensure_conversation_named (self, conversation_id);
  if (tim_json_get_int_or (reply, "HugeGroupFlag", 0) == 1 ||
      g_strcmp0 (tim_conversation_get_group_type (conversation), "AVChatRoom") == 0)
    {
      if (!known)
        _tim_client_save_conversation (self, conversation);
      else
        tim_client_get_conversation_profile_async (self, conversation_id, self->cancellable, NULL,
                                                   NULL);
      return;
    }
  if (known && g_strcmp0 (tim_conversation_get_group_self_role (conversation), "Member") == 0)
    return;
  _tim_conversation_set_group_self_role (conversation, "Member");
  _tim_client_save_conversation (self, conversation);
}

static void
on_applied (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  const char *status = reply != NULL ? tim_json_get_string (reply, "JoinedStatus") : NULL;

  if (reply != NULL)
    _tim_client_take_join_answer (g_task_get_source_object (task), g_task_get_task_data (task),
                                  reply);

  /* A member already is an answer, not a failure, as with the SDK. */
  if (g_error_matches (error, TIM_ERROR, TIM_ERROR_GROUP_ALREADY_MEMBER))
    g_task_return_int (task, TIM_JOIN_STATUS_ALREADY_IN_GROUP);
  else if (reply == NULL)
    g_task_return_error (task, g_error_copy (error));
  else if (g_strcmp0 (status, "WaitAdminApproval") == 0)
    g_task_return_int (task, TIM_JOIN_STATUS_WAIT_APPROVAL);
  else
    g_task_return_int (task, TIM_JOIN_STATUS_JOINED);
}

void
tim_client_join_group_async (TimClient *self, const char *group_id, const char *apply_message,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_join_group_async);
  if (!check_group_id (task, group_id) ||
      !_tim_client_check_application_words (task, apply_message) ||
      !_tim_client_check_logged_in (self, task))
    return;
  g_task_set_task_data (task, g_strdup (group_id), g_free);
  json_object_set_string_member (body, "GroupId", group_id);
  json_object_set_string_member (body, "ApplyMsg", apply_message != NULL ? apply_message : "");
  json_object_set_int_member (body, "WebPushFlag", 1);
  tim_transport_request (self->transport, "group_open_http_svc.apply_join_group", body, 0,
                         cancellable, on_applied, g_steal_pointer (&task));
}

/* TIM_JOIN_STATUS_*, or -1 with error set. */
int
tim_client_join_group_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int) g_task_propagate_int (G_TASK (result), error);
}

/* ---------------------------------------------------------------- handleGroupApplication */

void
tim_client_handle_group_application_async (TimClient *self, TimMessage *notice, gboolean agree,
                                           const char *reason, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  JsonObject *payload;

  g_return_if_fail (TIM_IS_CLIENT (self));
  g_return_if_fail (TIM_IS_MESSAGE (notice));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_handle_group_application_async);
  if (tim_message_get_application_state (notice) == TIM_APPLICATION_NONE)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("That message is no application to join a group"));
      return;
    }
  payload = tim_message_get_payload (notice);
  _tim_client_answer_application (
      self, task, tim_json_get_string (tim_json_get_object (payload, "groupProfile"), "groupID"),
      tim_json_get_string (payload, "operatorID"), tim_json_get_string (payload, "authentication"),
      tim_json_get_string (payload, "messageKey"), notice, agree, reason);
}

gboolean
tim_client_handle_group_application_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
