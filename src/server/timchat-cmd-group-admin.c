/* timchat-cmd-group-admin.c: group commands only the app admin has (REST): custom group system
 * notifications and group history by seq (tim-rest-facts.md §5.10, §5.12). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"

#define MAX_NOTIFICATION_TARGETS 500
#define MAX_SIMPLE_HISTORY 20

static const TimchatMember *
find_member (GPtrArray *members, const char *user)
{
  for (guint i = 0; i < members->len; i++)
    if (g_str_equal (((TimchatMember *) members->pdata[i])->user_id, user))
      return members->pdata[i];
  return NULL;
}

/* A group system notice (ReportType 255, UserDefinedField = Content) for the listed members or
 * all of them: pushed and kept for getmsg like every other notice. It is not a group message, so
 * it takes no seq and never meets the frequency control. */
JsonObject *
_timchat_cmd_send_group_system_notification (TimchatRequest *request, GError **error)
{
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GPtrArray) targets = g_ptr_array_new ();
  g_autoptr (GPtrArray) listed = NULL;
  JsonArray *to = tim_json_get_array (body, "ToMembers_Account");
  const char *content;

  if (group == NULL || !_timchat_group_require_member (request, group, NULL, error))
    return NULL;
  /* The vendor gives no limit of its own; a notice is a message, so a message's (12 KB): every
   * member keeps one until their next sync passes it. */
  if (!_timchat_check_string (body, "Content", TIM_MAX_MSG_BODY_BYTES, error) ||
      !_timchat_check_string (body, "TopicId", 0, error) ||
      !_timchat_check_array (body, "ToMembers_Account", MAX_NOTIFICATION_TARGETS,
                             TIM_ERROR_TOO_MANY_ACCOUNTS, error))
    return NULL;
  content = _timchat_require_string (body, "Content", TIM_ERROR_INVALID_PARAMETER, error);
  if (content == NULL)
    return NULL;
  members =
      timchat_store_list_members (timchat_server_get_store (request->server), group->group_id);
  listed = _timchat_string_list (to);
  if (to != NULL && listed->len != json_array_get_length (to))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "ToMembers_Account must hold strings");
      return NULL;
    }
  /* Empty or absent: everyone. Otherwise every name must be a member, or nobody is told. */
  for (guint i = 0; i < listed->len; i++)
    {
      if (find_member (members, listed->pdata[i]) == NULL)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s is not a member of %s",
                       (const char *) listed->pdata[i], group->group_id);
          return NULL;
        }
      if (!g_ptr_array_find_with_equal_func (targets, listed->pdata[i], g_str_equal, NULL))
        g_ptr_array_add (targets, listed->pdata[i]);
    }
  if (listed->len == 0)
    for (guint i = 0; i < members->len; i++)
      g_ptr_array_add (targets, ((TimchatMember *) members->pdata[i])->user_id);

  for (guint i = 0; i < targets->len; i++)
    if (!_timchat_group_notice_full (request->server, group, request->user, TIMCHAT_NOTICE_CUSTOM,
                                     targets->pdata[i], NULL, content, request->session, error))
      return NULL;
  return json_object_new ();
}

static JsonObject *
simple_item (const TimchatMsg *msg)
{
  JsonObject *item = json_object_new ();
  gboolean tip = msg->kind == TIMCHAT_MSG_GROUP_TIP;

  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_int_member (item, "IsPlaceMsg", msg->recalled ? 2 : 0);
  json_object_set_int_member (item, "IsSystemMsg", tip ? 1 : 0);
  json_object_set_int_member (item, "MsgPriority", CLAMP (msg->priority, 1, 4));
  json_object_set_int_member (item, "MsgRandom", msg->random);
  json_object_set_int_member (item, "MsgSeq", msg->seq);
  json_object_set_int_member (item, "MsgTimeStamp", msg->time);
  if (msg->recalled)
    json_object_set_array_member (item, "MsgBody", json_array_new ());
  else
    json_object_set_member (item, "MsgBody", _timchat_wire_body_array (msg));
  json_object_set_string_member (item, "CloudCustomData",
                                 msg->cloud_custom_data ? msg->cloud_custom_data : "");
  return item;
}

/* History newest first from ReqMsgSeq (absent: the newest), at most 20. Recalled messages only
 * with WithRecalledMsg:1 (as IsPlaceMsg 2 with an empty body); group tips are IsSystemMsg 1. */
JsonObject *
_timchat_cmd_group_msg_get_simple (TimchatRequest *request, GError **error)
{
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (GPtrArray) history = NULL;
  gboolean with_recalled = tim_json_get_int_or (body, "WithRecalledMsg", 0) == 1;
  gint64 newest, wanted, asked, oldest = 0;
  int finished;
  JsonArray *list;
  JsonObject *reply;

  if (group == NULL || !_timchat_group_require_member (request, group, NULL, error))
    return NULL;
  if (!_timchat_check_int (body, "ReqMsgSeq", error) ||
      !_timchat_check_int (body, "WithRecalledMsg", error))
    return NULL;
  if (!_timchat_request_get_int (request, body, "ReqMsgNumber", &wanted) || wanted <= 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "ReqMsgNumber must be a positive integer");
      return NULL;
    }
  if (g_str_equal (group->type, "AVChatRoom"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION,
                           "An AVChatRoom keeps no history");
      return NULL;
    }
  newest = tim_json_get_int_or (body, "ReqMsgSeq", 0);
  if (!json_object_has_member (body, "ReqMsgSeq") || newest > group->last_seq)
    newest = group->last_seq;
  asked = wanted;
  wanted = MIN (wanted, MAX_SIMPLE_HISTORY);
  history = newest > 0 ? timchat_store_history (timchat_server_get_store (request->server), NULL,
                                                TIM_CONV_GROUP, group->group_id, group->group_id,
                                                newest + 1, wanted)
                       : g_ptr_array_new ();

  list = json_array_new ();
  for (guint i = 0; i < history->len; i++)
    {
      const TimchatMsg *msg = history->pdata[i];

      oldest = msg->seq;
      if (msg->recalled && !with_recalled)
        continue;
      json_array_add_object_element (list, simple_item (msg));
    }
  reply = json_object_new ();
  json_object_set_string_member (reply, "GroupId", group->group_id);
  /* IsFinished is about the asked range: 1 all of it came back, 0 it was cut at 20, 2 what is
   * left of it has expired. */
  if (newest > 0 && history->len == 0)
    finished = 2;
  else if (asked > wanted && oldest > 1)
    finished = 0;
  else
    finished = 1;
  json_object_set_int_member (reply, "IsFinished", finished);
  json_object_set_array_member (reply, "RspMsgList", list);
  return reply;
}
