/* timchat-group-mention.c: group @-mentions (tim-sdk-facts.md §1.7, §3; docs/protocol.md,
 * "Group @-mentions"). A message keeps its GroupAtInfo; what it means to each member is worked out
 * when it is pushed (the @ tip, GroupTips Event 12) or synced (openim.getmsg), never stored per
 * member; openim.deletemsg, the SDK's way to drop the tips, has nothing to remove. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-group-at.h"
#include "tim-json.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

GStrv
_timchat_msg_at_users (const TimchatMsg *msg)
{
  g_autoptr (JsonNode) root = NULL;
  GStrv at_users = NULL;

  if (msg->at_info == NULL || (root = tim_json_parse (msg->at_info, -1, NULL)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  /* What we stored was parsed and written by us: it parses again. */
  if (!tim_group_at_info_parse (json_node_get_array (root), &at_users, NULL))
    return NULL;
  return at_users;
}

JsonObject *
_timchat_wire_at_tip (const TimchatMsg *msg, TimGroupAtType type)
{
  JsonObject *item = json_object_new ();

  /* The SDK's key map: GroupId→groupID, From_Account→from, AtMsgSeq→sequence (the conversation's
   * groupAtInfoList[].messageSequence), AtFlagList→groupAtType (atTypeArray, [1,2] becoming [3]);
   * MsgRandom and ClientSeq are what its deletemsg names the tip by. */
  json_object_set_string_member (item, "GroupId", msg->to_id);
  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_int_member (item, "AtMsgSeq", msg->seq);
  json_object_set_array_member (item, "AtFlagList", tim_group_at_flag_list_new (type));
  json_object_set_int_member (item, "MsgRandom", msg->random);
  json_object_set_int_member (item, "ClientSeq", msg->client_seq);
  json_object_set_int_member (item, "MsgTimeStamp", msg->time);
  return item;
}

void
_timchat_group_push_at_tips (TimchatServer *server, const TimchatMsg *msg)
{
  static const TimGroupAtType types[] = { TIM_GROUP_AT_ME, TIM_GROUP_AT_ALL,
                                          TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL };
  g_auto (GStrv) at_users = _timchat_msg_at_users (msg);
  g_autoptr (GPtrArray) members = NULL;
  GPtrArray *by_type[G_N_ELEMENTS (types)];

  if (at_users == NULL)
    return;
  /* Who is a member now, as for the message itself; a mentioned outsider hears nothing, nor does
   * a member who discards the group's messages. */
  members = timchat_store_list_members (timchat_server_get_store (server), msg->to_id);
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    by_type[t] = g_ptr_array_new ();
  for (guint i = 0; i < members->len; i++)
    {
      const TimchatMember *member = members->pdata[i];
      const char *user = member->user_id;
      TimGroupAtType type = tim_group_at_type_for ((const char *const *) at_users, user);

      if (type == TIM_GROUP_AT_NONE || g_str_equal (user, msg->from_user) ||
          member->remind == TIM_REMIND_FLAG_DISCARD)
        continue;
      for (guint t = 0; t < G_N_ELEMENTS (types); t++)
        if (types[t] == type)
          g_ptr_array_add (by_type[t], (gpointer) user);
    }
  /* One frame for all who read the message the same way (an @all reaches everyone once). */
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    if (by_type[t]->len > 0)
      {
        g_autoptr (JsonObject) push =
            _timchat_wire_push_body (12, "GroupTips", _timchat_wire_at_tip (msg, types[t]));

        timchat_hub_push_many (timchat_server_get_hub (server),
                               (const char *const *) by_type[t]->pdata, by_type[t]->len,
                               TIMCHAT_PUSH_SERVCMD, push, NULL);
      }
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    g_ptr_array_unref (by_type[t]);
}

JsonObject *
_timchat_cmd_deletemsg (TimchatRequest *request, GError **error)
{
  JsonArray *list = tim_json_get_array (request->body, "DelMsgList");

  if (list == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "DelMsgList is missing or not an array");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (tim_json_array_get_object (list, i) == NULL)
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                     "DelMsgList[%u] is not an object", i);
        return NULL;
      }
  /* The SDK's setMessageRead deletes a group's @ tips with it, and deleteGroupSystemMessage the
   * system notices it was shown. Ours are not kept per user to be deleted: a tip is an unread
   * mention, which reading the group (msg_read_report) clears, and a notice is an event of the
   * sync log that a later Cookie has passed. */
  return json_object_new ();
}
