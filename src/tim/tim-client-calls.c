/* tim-client-calls.c: the request the calls go through, getConversationProfile,
 * deleteConversation and revokeMessage. Each is one request and a local update on success.
 * setMessageRead and setAllMessageRead live in tim-client-read.c. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* Sends servcmd and hands a successful reply to `handler`, which returns the task. The handler
 * runs as the reply is read (tim_transport_request ()), so what it applies is never older than
 * the pushes already taken. */
static void
on_reply (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClientReplyHandler handler = g_object_get_data (G_OBJECT (task), "handler");

  if (reply == NULL)
    g_task_return_error (task, g_error_copy (error));
  else if (handler != NULL)
    handler (g_task_get_source_object (task), task, reply);
  else
    g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
}

void
_tim_client_request (TimClient *self, GTask *task, const char *servcmd, JsonObject *body,
                     TimClientReplyHandler handler)
{
  g_object_set_data (G_OBJECT (task), "handler", handler);
  tim_transport_request (self->transport, servcmd, body, 0, g_task_get_cancellable (task), on_reply,
                         g_object_ref (task));
}

gboolean
_tim_client_check_conversation (GTask *task, const char *conversation_id, TimConvType *type,
                                const char **peer)
{
  *type = tim_conv_parse_id (conversation_id, peer);
  if (*type == TIM_CONV_C2C || *type == TIM_CONV_GROUP)
    return TRUE;
  g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID,
                           _ ("“%s” is not a conversation ID"),
                           conversation_id ? conversation_id : "");
  return FALSE;
}

gboolean
_tim_client_check_user_ids (GTask *task, const char *const *user_ids, guint most)
{
  guint n = user_ids != NULL ? g_strv_length ((GStrv) user_ids) : 0;

  if (n == 0 || n > most)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("Name 1 to %d users"), (int) most);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!tim_user_id_is_valid (user_ids[i]))
      {
        g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                                 _ ("“%s” is not a user ID"), user_ids[i]);
        return FALSE;
      }
  return TRUE;
}

/* ---------------------------------------------------------------- profile */

void
_tim_client_take_group_info (TimConversation *conversation, JsonObject *group)
{
  JsonObject *self_info = tim_json_get_object (group, "SelfInfo");
  const char *type = tim_json_get_string (group, "Type");
  const char *mute_all = tim_json_get_string (group, "ShutUpAllMember");

  _tim_conversation_update_profile (conversation, tim_json_get_string (group, "Name"),
                                    tim_json_get_string (group, "FaceUrl"));
  if (type != NULL)
    _tim_conversation_set_group_type (conversation, type);
  _tim_conversation_set_group_info (conversation, tim_json_get_string (group, "Introduction"),
                                    tim_json_get_string (group, "Notification"),
                                    mute_all == NULL ? -1 : g_str_equal (mute_all, "On"));
  if (self_info != NULL)
    {
      _tim_conversation_set_group_self_role (conversation, tim_json_get_string (self_info, "Role"));
      _tim_conversation_set_group_self_mute_until (
          conversation, tim_json_get_int_or (self_info, "ShutUpUntil", -1));
    }
}

static void
profile_done (TimClient *self, GTask *task, JsonObject *reply)
{
  const char *conversation_id = g_task_get_task_data (task);
  JsonObject *profile =
      tim_json_array_get_object (tim_json_get_array (reply, "UserProfileItem"), 0);
  JsonObject *group = tim_json_array_get_object (tim_json_get_array (reply, "GroupInfo"), 0);
  gint64 code = group != NULL ? tim_json_get_int_or (group, "ErrorCode", 0)
                : profile != NULL && tim_json_get_int_or (profile, "ResultCode", 0) == 0
                    ? 0
                    : TIM_ERROR_ACCOUNT_NOT_FOUND;
  TimConversation *conversation;

  /* Refused (no such user or group, a group the user is not in): an error, and nothing listed.
   * Only a profile the server gives makes the conversation (a first mention). */
  if (code != 0)
    {
      g_task_return_new_error (task, TIM_ERROR, (int) code, "%s", tim_error_text ((int) code));
      return;
    }
  conversation = _tim_client_ensure_conversation (self, conversation_id);
  if (group != NULL)
    _tim_client_take_group_info (conversation, group);
  else
    _tim_conversation_set_profile (conversation, _tim_profile_tag (profile, "Tag_Profile_IM_Nick"),
                                   _tim_profile_tag (profile, "Tag_Profile_IM_Image"));
  _tim_client_save_conversation (self, conversation);
  g_task_return_pointer (task, g_object_ref (conversation), g_object_unref);
}

void
tim_client_get_conversation_profile_async (TimClient *self, const char *conversation_id,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *list = json_array_new ();
  const char *peer = NULL;
  TimConvType type;

  g_task_set_task_data (task, g_strdup (conversation_id), g_free);
  if (!_tim_client_check_conversation (task, conversation_id, &type, &peer))
    {
      json_array_unref (list);
      return;
    }
  if (type == TIM_CONV_C2C)
    {
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "To_Account", peer);
      json_array_add_object_element (list, item);
      json_object_set_array_member (body, "UserItem", list);
      _tim_client_request (self, task, "profile.portrait_get_all", body, profile_done);
    }
  else
    {
      json_array_add_string_element (list, peer);
      json_object_set_array_member (body, "GroupIdList", list);
      _tim_client_request (self, task, "group_open_http_svc.get_group_self_member_info", body,
                           profile_done);
    }
}

TimConversation *
tim_client_get_conversation_profile_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- delete */

static void
delete_done (TimClient *self, GTask *task, JsonObject *reply)
{
  const char *conversation_id = g_task_get_task_data (task);
  JsonObject *result = tim_json_array_get_object (tim_json_get_array (reply, "ResultItem"), 0);
  gint64 code = result != NULL ? tim_json_get_int_or (result, "ResultCode", 0)
                               : TIM_ERROR_CONVERSATION_NOT_FOUND;

  if (code != 0)
    {
      g_task_return_new_error (task, TIM_ERROR, (int) code, "%s", tim_error_text ((int) code));
      return;
    }
  _tim_client_forget_conversation (self, conversation_id);
  g_task_return_boolean (task, TRUE);
}

void
tim_client_delete_conversation_async (TimClient *self, const char *conversation_id,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *items = json_array_new ();
  JsonObject *item = json_object_new ();
  const char *peer = NULL;
  TimConvType type;

  g_task_set_task_data (task, g_strdup (conversation_id), g_free);
  json_array_add_object_element (items, item);
  json_object_set_array_member (body, "ContactItem", items);
  if (!_tim_client_check_conversation (task, conversation_id, &type, &peer))
    return;
  json_object_set_int_member (item, "Type", type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_string_member (item, type == TIM_CONV_GROUP ? "ToGroupid" : "To_Account", peer);
  json_object_set_string_member (body, "From_Account", self->user ? self->user : "");
  json_object_set_int_member (body, "ClearRamble", 0);
  _tim_client_request (self, task, "recentcontact.batch_delete", body, delete_done);
}

gboolean
tim_client_delete_conversation_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- revoke */

/* The message is recalled on the server (by this call, or by an earlier copy of it): recalled
 * here too, as a recall notice would, unless a notice did so already. */
static void
revoked (TimClient *self, GTask *task, const char *revoker)
{
  TimMessage *message = g_task_get_task_data (task);

  if (!tim_message_get_is_revoked (message))
    {
      _tim_client_mark_recalled (self, message, revoker != NULL ? revoker : self->user);
      _tim_client_refresh_last_message (self, message);
    }
  g_task_return_boolean (task, TRUE);
}

/* A group's recall answered 10030, "not found or already recalled" (docs/protocol.md): the
 * message's page on the server says which. When it cannot say (no answer), the 10030 stands. */
static void
on_group_message_fetched (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  TimMessage *message = g_task_get_task_data (task);
  JsonArray *items = reply != NULL ? tim_json_get_array (reply, "RspMsgList") : NULL;
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      g_autoptr (TimMessage) held = _tim_message_new_from_group_wire (item, self->user);

      if (held != NULL && tim_message_get_sequence (held) == tim_message_get_sequence (message) &&
          tim_message_get_is_revoked (held))
        {
          revoked (self, task, tim_message_get_revoker (held));
          return;
        }
    }
  g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_GROUP_RECALL_NOT_FOUND, "%s",
                           tim_error_text (TIM_ERROR_GROUP_RECALL_NOT_FOUND));
}

/* Recalled already is what the user asked for: the transport sends a request again on a new
 * socket when the old one went before its answer came, and then the first copy may have
 * recalled it (C2C 20023; a group says 10030, which is also "not found", so its page is asked).
 * The caller is told it worked, not that it failed. */
static void
on_revoke_reply (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  TimMessage *message = g_task_get_task_data (task);
  JsonObject *ret = tim_json_array_get_object (tim_json_get_array (reply, "RecallRetList"), 0);
  gint64 code = ret != NULL ? tim_json_get_int_or (ret, "RetCode", 0) : 0;

  if (g_error_matches (error, TIM_ERROR, TIM_ERROR_MSG_ALREADY_RECALLED))
    revoked (self, task, NULL);
  else if (reply == NULL)
    g_task_return_error (task, g_error_copy (error));
  else if (code == TIM_ERROR_GROUP_RECALL_NOT_FOUND)
    {
      g_autoptr (JsonObject) body = json_object_new ();

      json_object_set_string_member (body, "GroupId", tim_message_get_to (message));
      json_object_set_int_member (body, "ReqMsgSeq", tim_message_get_sequence (message));
      json_object_set_int_member (body, "ReqMsgNumber", 1);
      json_object_set_int_member (body, "WithRecalledMsg", 1);
      tim_transport_request (self->transport, "group_open_http_svc.group_msg_get", body, 0,
                             g_task_get_cancellable (task), on_group_message_fetched,
                             g_object_ref (task));
    }
  else if (code != 0)
    g_task_return_new_error (task, TIM_ERROR, (int) code, "%s", tim_error_text ((int) code));
  else
    revoked (self, task, self->user);
}

void
tim_client_revoke_message_async (TimClient *self, TimMessage *message, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();

  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  if (tim_message_get_status (message) != TIM_MESSAGE_STATUS_SUCCESS ||
      tim_message_get_is_revoked (message))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_REVOKE_FAIL, "%s",
                               tim_message_get_is_revoked (message)
                                   ? _ ("The message was already recalled")
                                   : _ ("Only a sent message can be recalled"));
      return;
    }
  if (tim_message_get_conversation_type (message) == TIM_CONV_GROUP)
    {
      JsonArray *seqs = json_array_new ();
      JsonObject *seq = json_object_new ();

      json_object_set_int_member (seq, "MsgSeq", tim_message_get_sequence (message));
      json_array_add_object_element (seqs, seq);
      json_object_set_string_member (body, "GroupId", tim_message_get_to (message));
      json_object_set_array_member (body, "MsgSeqList", seqs);
      tim_transport_request (self->transport, "group_open_http_svc.group_msg_recall", body, 0,
                             cancellable, on_revoke_reply, g_object_ref (task));
    }
  else
    {
      JsonObject *info = json_object_new ();

      json_object_set_string_member (info, "From_Account", tim_message_get_from (message));
      json_object_set_string_member (info, "To_Account", tim_message_get_to (message));
      json_object_set_int_member (info, "MsgSeq", tim_message_get_sequence (message));
      json_object_set_int_member (info, "MsgRandom", tim_message_get_random (message));
      json_object_set_int_member (info, "MsgTimeStamp", tim_message_get_time (message));
      json_object_set_object_member (body, "MsgInfo", info);
      tim_transport_request (self->transport, "openim.msgwithdraw", body, 0, cancellable,
                             on_revoke_reply, g_object_ref (task));
    }
}

gboolean
tim_client_revoke_message_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
