/* timchat-group-notify.c: what the group commands push and present: pushes to the members, the
 * group's and members' wire forms, group tips and group system notices (docs/sdk-wire-notes.md
 * §8.7). Finding the group, the caller's place in it and the REST request checks are in
 * timchat-group-request.c. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

static void
push_members (TimchatServer *server, const char *group_id, JsonObject *body, TimchatSession *except,
              gboolean to_discarding)
{
  TimchatHub *hub = timchat_server_get_hub (server);
  g_autoptr (GPtrArray) members =
      timchat_store_list_members (timchat_server_get_store (server), group_id);
  g_autofree const char **users = g_new (const char *, members->len + 1);
  guint n_users = 0;

  for (guint i = 0; i < members->len; i++)
    {
      const TimchatMember *member = members->pdata[i];

      if (to_discarding || member->remind != TIM_REMIND_FLAG_DISCARD)
        users[n_users++] = member->user_id;
    }
  timchat_hub_push_many (hub, (const char *const *) users, n_users, TIMCHAT_PUSH_SERVCMD, body,
                         except);
}

void
_timchat_group_push_members (TimchatServer *server, const char *group_id, JsonObject *body,
                             TimchatSession *except)
{
  push_members (server, group_id, body, except, TRUE);
}

void
_timchat_group_push_messages (TimchatServer *server, const char *group_id, JsonObject *body,
                              TimchatSession *except)
{
  push_members (server, group_id, body, except, FALSE);
}

static gint64
last_msg_time (TimchatServer *server, const TimchatGroup *group)
{
  g_autoptr (TimchatMsg) last = NULL;

  if (group->last_seq <= 0)
    return 0;
  last = timchat_store_find_group_message (timchat_server_get_store (server), group->group_id,
                                           group->last_seq);
  return last != NULL ? last->time : 0;
}

JsonObject *
_timchat_wire_member_info (const TimchatMember *member, const char *account_member)
{
  JsonObject *info = json_object_new ();

  if (account_member != NULL)
    json_object_set_string_member (info, account_member, member->user_id);
  json_object_set_string_member (info, "Role", member->role);
  json_object_set_int_member (info, "JoinTime", member->join_time);
  json_object_set_string_member (info, "MsgFlag", tim_remind_flag_to_name (member->remind));
  json_object_set_int_member (info, "MsgSeq", member->read_seq);
  json_object_set_string_member (info, "NameCard", member->name_card ? member->name_card : "");
  json_object_set_int_member (info, "ShutUpUntil", member->mute_until);
  json_object_set_int_member (info, "LastSendMsgTime", 0);
  return info;
}

JsonObject *
_timchat_wire_group_base_info (TimchatServer *server, const TimchatGroup *group)
{
  JsonObject *info = json_object_new ();

  json_object_set_string_member (info, "GroupId", group->group_id);
  json_object_set_string_member (info, "Type", group->type);
  json_object_set_string_member (info, "Name", group->name);
  json_object_set_string_member (info, "Introduction",
                                 group->introduction ? group->introduction : "");
  json_object_set_string_member (info, "Notification",
                                 group->notification ? group->notification : "");
  json_object_set_string_member (info, "FaceUrl", group->face_url ? group->face_url : "");
  json_object_set_string_member (info, "Owner_Account", group->owner ? group->owner : "");
  json_object_set_int_member (info, "CreateTime", group->created);
  json_object_set_int_member (info, "InfoSeq", group->info_seq);
  json_object_set_int_member (info, "LastInfoTime", group->info_time);
  json_object_set_int_member (info, "LastMsgTime", last_msg_time (server, group));
  json_object_set_int_member (info, "NextMsgSeq", group->last_seq + 1);
  json_object_set_int_member (info, "MemberNum", group->member_count);
  json_object_set_int_member (info, "MaxMemberNum", group->max_members);
  json_object_set_string_member (info, "ApplyJoinOption", _timchat_group_join_option (group));
  json_object_set_string_member (info, "ShutUpAllMember", group->mute_all ? "On" : "Off");
  return info;
}

const char *
_timchat_group_join_option (const TimchatGroup *group)
{
  if (_timchat_group_type_equal (group->type, "Private"))
    return "DisableApply";
  if (_timchat_group_type_equal (group->type, "ChatRoom") ||
      g_strcmp0 (group->type, "AVChatRoom") == 0)
    return "FreeAccess";
  return group->apply_join_option != NULL ? group->apply_join_option : "NeedPermission";
}

/* With the operator's nick and avatar where a group message has its sender's: tips and notices
 * name who did it by that nick. */
static JsonObject *
group_info (TimchatServer *server, const char *group_id, const TimchatGroup *group,
            const char *operator_id)
{
  JsonObject *info = json_object_new ();

  json_object_set_string_member (info, "GroupId", group_id);
  json_object_set_string_member (info, "GroupName", group != NULL ? group->name : "");
  json_object_set_string_member (info, "GroupType", group != NULL ? group->type : "Private");
  if (operator_id != NULL && operator_id[0] != '\0')
    json_object_set_object_member (info, "MsgFrom_AccountExtraInfo",
                                   _timchat_wire_sender_extra (server, group_id, operator_id));
  return info;
}

static void
set_body_object (JsonObject *item, const char *json_text)
{
  g_autoptr (JsonObject) body =
      json_text != NULL ? tim_json_parse_object (json_text, -1, NULL) : NULL;

  json_object_set_object_member (item, "MsgBody",
                                 body != NULL ? g_steal_pointer (&body) : json_object_new ());
}

JsonNode *
_timchat_wire_body_array (const TimchatMsg *msg)
{
  g_autoptr (JsonNode) root = msg->body != NULL ? tim_json_parse (msg->body, -1, NULL) : NULL;
  JsonArray *body;
  JsonNode *node;

  if (root != NULL && !JSON_NODE_HOLDS_OBJECT (root))
    return g_steal_pointer (&root);
  body = json_array_new ();
  if (root != NULL)
    {
      /* A stored group tip keeps its content object: present it as a one-element body. */
      JsonObject *element = json_object_new ();

      json_object_set_string_member (element, "MsgType", "TIMGroupTipElem");
      json_object_set_member (element, "MsgContent", g_steal_pointer (&root));
      json_array_add_object_element (body, element);
    }
  /* json_node_take_array (): json_node_init_array () would take a second reference and leak it. */
  node = json_node_init (json_node_alloc (), JSON_NODE_ARRAY);
  json_node_take_array (node, body);
  return node;
}

JsonObject *
_timchat_wire_group_tip (TimchatServer *server, const TimchatMsg *msg)
{
  g_autoptr (TimchatGroup) group =
      timchat_store_get_group (timchat_server_get_store (server), msg->to_id);
  JsonObject *item = json_object_new ();

  json_object_set_object_member (item, "GroupInfo",
                                 group_info (server, msg->to_id, group, msg->from_user));
  json_object_set_string_member (item, "GroupId", msg->to_id);
  /* History items take their "to" (and so the conversation) from ToGroupId. */
  json_object_set_string_member (item, "ToGroupId", msg->to_id);
  json_object_set_string_member (item, "From_Account", msg->from_user);
  json_object_set_int_member (item, "MsgSeq", msg->seq);
  json_object_set_int_member (item, "MsgRandom", msg->random);
  json_object_set_int_member (item, "MsgTimeStamp", msg->time);
  json_object_set_int_member (item, "IsPlaceMsg", 0);
  set_body_object (item, msg->body);
  return item;
}

/* shutup_time: each member's ShutupTime (a mute tip, 7), or -1 for none. */
static JsonObject *
tip_body (TimchatServer *server, const char *operator, int op_type, GPtrArray *users,
          guint member_num, JsonObject *new_info, gint64 shutup_time)
{
  TimchatStore *store = timchat_server_get_store (server);
  JsonObject *body = json_object_new ();
  JsonArray *list = json_array_new ();
  JsonArray *extra = json_array_new ();

  json_object_set_int_member (body, "OpType", op_type);
  json_object_set_string_member (body, "Operator_Account", operator);
  for (guint i = 0; i < users->len; i++)
    {
      const char *user = users->pdata[i];
      g_autoptr (TimchatAccount) account = timchat_store_get_account (store, user);
      JsonObject *info = json_object_new ();

      json_array_add_string_element (list, user);
      json_object_set_string_member (info, "UserId", user);
      json_object_set_string_member (info, "NickName", account != NULL ? account->nick : "");
      json_object_set_string_member (info, "ImageUrl", account != NULL ? account->avatar : "");
      if (shutup_time >= 0)
        json_object_set_int_member (info, "ShutupTime", shutup_time);
      json_array_add_object_element (extra, info);
    }
  json_object_set_array_member (body, "List_Account", list);
  json_object_set_int_member (body, "MemberNum", member_num);
  json_object_set_array_member (body, "MsgMemberExtraInfo", extra);
  if (new_info != NULL)
    json_object_set_object_member (body, "MsgGroupNewInfo", json_object_ref (new_info));
  return body;
}

static gboolean
store_and_push_tip (TimchatServer *server, const char *group_id, const char *operator, int op_type,
                    GPtrArray *users, JsonObject *new_info, gint64 shutup_time, GError **error)
{
  TimchatStore *store = timchat_server_get_store (server);
  g_autoptr (TimchatGroup) group = timchat_store_get_group (store, group_id);
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autofree char *text = NULL;
  TimchatMsg msg = { 0 };
  gboolean duplicate = FALSE;

  if (group == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND, "Group %s is gone", group_id);
      return FALSE;
    }
  body = tip_body (server, operator, op_type, users, group->member_count, new_info, shutup_time);
  text = tim_json_to_string (body, NULL);

  msg.conv_type = TIM_CONV_GROUP;
  msg.kind = TIMCHAT_MSG_GROUP_TIP;
  msg.from_user = (char *) operator;
  msg.to_id = (char *) group_id;
  msg.random = g_random_int_range (3, G_MAXINT32);
  msg.time = timchat_server_now ();
  msg.client_time = msg.time;
  msg.priority = TIM_PRIORITY_NORMAL;
  msg.body = text;
  if (!timchat_store_insert_message (store, &msg, &duplicate, error))
    return FALSE;

  push = _timchat_wire_push_body (4, "GroupTips", _timchat_wire_group_tip (server, &msg));
  _timchat_group_push_members (server, group_id, push, NULL);
  return TRUE;
}

gboolean
_timchat_group_tip (TimchatServer *server, const char *group_id, const char *operator, int op_type,
                    GPtrArray *users, GError **error)
{
  return store_and_push_tip (server, group_id, operator, op_type, users, NULL, -1, error);
}

gboolean
_timchat_group_mute_tip (TimchatServer *server, const char *group_id, const char *operator,
                         const char * user, gint64 seconds, GError **error)
{
  g_autoptr (GPtrArray) users = g_ptr_array_new ();

  g_ptr_array_add (users, (gpointer) user);
  return store_and_push_tip (server, group_id, operator, TIMCHAT_TIP_MEMBER_PROFILE, users, NULL,
                             seconds, error);
}

gboolean
_timchat_group_profile_tip (TimchatServer *server, const char *group_id, const char *operator,
                            JsonObject * new_info, GError **error)
{
  g_autoptr (GPtrArray) nobody = g_ptr_array_new ();

  return store_and_push_tip (server, group_id, operator, TIMCHAT_TIP_PROFILE, nobody, new_info, -1,
                             error);
}

gboolean
_timchat_group_notice (TimchatServer *server, const TimchatGroup *group, const char *operator,
                       int report_type, const char *user, TimchatSession *except, GError **error)
{
  return _timchat_group_notice_full (server, group, operator, report_type, user, NULL, NULL, except,
                                     error);
}

gint64
_timchat_notice_order (gint64 time, gint64 event_id)
{
  return (MAX (time, 0) << 31) | (event_id & G_MAXINT32);
}

/* A system notice's GroupTips item for user; its MsgBody is the notice's body, to fill. */
static JsonObject *
notice_item (TimchatServer *server, const TimchatGroup *group, const char *operator,
             int report_type, const char *user, const char *remark, const char *user_defined,
             const char *authentication, gint64 now)
{
  JsonObject *item = json_object_new ();
  JsonObject *body = json_object_new ();
  g_autofree char *key = NULL;
  /* Fixed per notice, so the live push and the getmsg replay are one message to the SDK; never
   * (1,1) or (2,2), which the SDK would replace with random values. */
  gint64 seq = g_random_int_range (3, G_MAXINT32);
  gint64 random = g_random_int_range (3, G_MAXINT32);

  key = g_strdup_printf ("%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT, seq, random,
                         now);
  json_object_set_int_member (body, "ReportType", report_type);
  json_object_set_string_member (body, "Operator_Account", operator);
  json_object_set_string_member (body, "RemarkInfo", remark != NULL ? remark : "");
  json_object_set_string_member (body, "MsgKey", key);
  json_object_set_string_member (body, "Authentication",
                                 authentication != NULL ? authentication : "");
  json_object_set_string_member (body, "UserDefinedField",
                                 user_defined != NULL ? user_defined : "");

  json_object_set_object_member (item, "GroupInfo",
                                 group_info (server, group->group_id, group, operator));
  json_object_set_string_member (item, "GroupId", group->group_id);
  json_object_set_string_member (item, "From_Account", TIM_SYSTEM_CONVERSATION_ID);
  json_object_set_string_member (item, "To_Account", user);
  json_object_set_int_member (item, "MsgSeq", seq);
  json_object_set_int_member (item, "MsgRandom", random);
  json_object_set_int_member (item, "MsgTimeStamp", now);
  json_object_set_object_member (item, "MsgBody", body);
  return item;
}

static gboolean
send_notice (TimchatServer *server, const TimchatGroup *group, const char *operator,
             int report_type, const char *user, const char *remark, const char *user_defined,
             const char *authentication, TimchatSession *except, GError **error)
{
  TimchatStore *store = timchat_server_get_store (server);
  gint64 now = timchat_server_now ();
  g_autoptr (JsonObject) item = notice_item (server, group, operator, report_type, user, remark,
                                             user_defined, authentication, now);
  g_autoptr (JsonObject) push = NULL;
  g_autofree char *payload = NULL;

  /* The sync event is the GroupTips item; getmsg hands it back under "Event":5. One that cannot
   * be kept refuses the command (10002), which the dispatch undoes whole, its pushes unsent
   * (timchat_command_dispatch ()): pushed all the same under an OK, as it used to be, it never
   * reached the member's devices that were away. */
  payload = tim_json_to_string (item, NULL);
  if (!timchat_store_append_event (store, user, TIMCHAT_EVENT_GROUP_SYSTEM, payload, error))
    return FALSE;
  json_object_set_int_member (
      item, "ServerSeq", _timchat_notice_order (now, timchat_store_last_event_id (store, user)));
  push = _timchat_wire_push_body (5, "GroupTips", json_object_ref (item));
  timchat_hub_push (timchat_server_get_hub (server), user, TIMCHAT_PUSH_SERVCMD, push, except);
  return TRUE;
}

gboolean
_timchat_group_notice_full (TimchatServer *server, const TimchatGroup *group, const char *operator,
                            int report_type, const char *user, const char *remark,
                            const char *user_defined, TimchatSession *except, GError **error)
{
  return send_notice (server, group, operator, report_type, user, remark, user_defined, NULL,
                      except, error);
}

gboolean
_timchat_group_application_notice (TimchatServer *server, const TimchatGroup *group,
                                   const TimchatApplication *application, const char *manager,
                                   GError **error)
{
  return send_notice (server, group, application->applicant, TIMCHAT_NOTICE_APPLIED, manager,
                      application->message, NULL, application->authentication, NULL, error);
}

void
_timchat_group_remind_sync (TimchatServer *server, const TimchatGroup *group, const char *user,
                            const char *remind, TimchatSession *except)
{
  JsonObject *item =
      notice_item (server, group, user, 20, user, NULL, NULL, NULL, timchat_server_now ());
  g_autoptr (JsonObject) push = NULL;

  json_object_set_string_member (json_object_get_object_member (item, "MsgBody"), "MsgFlag",
                                 remind);
  push = _timchat_wire_push_body (5, "GroupTips", item);
  timchat_hub_push (timchat_server_get_hub (server), user, TIMCHAT_PUSH_SERVCMD, push, except);
}
