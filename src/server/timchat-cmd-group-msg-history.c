/* timchat-cmd-group-msg-history.c: what is done with a group's kept messages: the history
 * pages, recall, and the read report (sdk-wire-notes.md §4, §5, §8.4, §8.6; tim-rest-facts.md
 * §5.11). Apart from timchat-cmd-group-msg.c, which takes a new message in and fans it out. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

JsonObject *
_timchat_cmd_group_msg_get (TimchatRequest *request, GError **error)
{
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (GPtrArray) history = NULL;
  gint64 newest, wanted, oldest = 0;
  JsonArray *list;
  JsonObject *reply;
  int finished;

  if (group == NULL || !_timchat_group_require_member (request, group, NULL, error))
    return NULL;
  newest = tim_json_get_int_or (request->body, "ReqMsgSeq", 0);
  if (newest <= 0 || newest > group->last_seq)
    newest = group->last_seq;
  wanted = CLAMP (tim_json_get_int_or (request->body, "ReqMsgNumber", TIM_GROUP_HISTORY_MAX_COUNT),
                  1, TIM_GROUP_HISTORY_MAX_COUNT);
  /* An AVChatRoom keeps no history (tim-rest-facts.md §5.0): its messages are kept only so that a
   * resend is known as one (exactly once), never served. A finished, empty page, as the Web SDK's
   * getMessageList answers for a live room without asking, and as libtim's paging and reconnect
   * catch-up take it; REST's group_msg_get_simple refuses it with 10007. */
  if (g_str_equal (group->type, "AVChatRoom"))
    newest = 0;
  history = newest > 0 ? timchat_store_history (timchat_server_get_store (request->server),
                                                request->user, TIM_CONV_GROUP, group->group_id,
                                                group->group_id, newest + 1, wanted)
                       : g_ptr_array_new ();

  /* Newest first, as the vendor sends it; tips travel in their push shape with "Event":4, which
   * the SDK turns into TIMGroupTipElem messages of the conversation. */
  list = json_array_new ();
  for (guint i = 0; i < history->len; i++)
    {
      const TimchatMsg *msg = history->pdata[i];
      JsonObject *item;

      if (msg->kind == TIMCHAT_MSG_GROUP_TIP)
        {
          item = _timchat_wire_group_tip (request->server, msg);
          json_object_set_int_member (item, "Event", 4);
        }
      else
        item = _timchat_wire_group_msg (request->server, msg);
      json_array_add_object_element (list, item);
      oldest = msg->seq;
    }
  /* 1: reached seq 1 (or nothing was ever sent); 2: the rest expired (retention); 0: more. */
  if (history->len == (guint) wanted && oldest > 1)
    finished = 0;
  else
    finished = (oldest <= 1) ? 1 : 2;

  reply = json_object_new ();
  json_object_set_string_member (reply, "GroupId", group->group_id);
  json_object_set_int_member (reply, "IsFinished", finished);
  json_object_set_array_member (reply, "RspMsgList", list);
  return reply;
}

/* *queue: the least urgent priority of the messages recalled so far. */
static int
recall_one (TimchatRequest *request, const TimchatGroup *group, const TimchatMember *self,
            gint64 seq, JsonArray *notices, TimPriority *queue)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  guint recall_seconds = timchat_server_get_config (request->server)->recall_seconds;
  gboolean manager = _timchat_group_is_manager (request, self);
  g_autoptr (TimchatMsg) msg = _timchat_group_find_message (request, group, self, seq);
  g_autoptr (GError) error = NULL;
  gint64 now = timchat_server_now ();
  JsonObject *notice, *revoker;

  if (msg == NULL || msg->recalled)
    return TIM_ERROR_GROUP_RECALL_NOT_FOUND;
  if (msg->kind != TIMCHAT_MSG_NORMAL)
    return TIM_ERROR_GROUP_RECALL_NOT_SUPPORTED;
  if (!manager && g_strcmp0 (msg->from_user, request->user) != 0)
    return TIM_ERROR_GROUP_PERMISSION;
  if (!manager && now - msg->time > (gint64) recall_seconds)
    return TIM_ERROR_GROUP_RECALL_TOO_LATE;

  notice = json_object_new ();
  revoker = json_object_new ();
  json_object_set_string_member (notice, "GroupId", group->group_id);
  json_object_set_int_member (notice, "MsgSeq", msg->seq);
  json_object_set_int_member (notice, "MsgRand", msg->random);
  json_object_set_string_member (revoker, "Revoker", request->user);
  json_object_set_object_member (notice, "RevokerInfo", revoker);
  {
    g_autofree char *notice_text = tim_json_to_string (notice, NULL);

    if (!timchat_store_recall_message (store, msg, request->user, now, notice_text, &error))
      {
        json_object_unref (notice);
        return error->domain == TIM_ERROR ? error->code : TIM_ERROR_INTERNAL;
      }
  }
  json_array_add_object_element (notices, notice);
  *queue =
      MAX (*queue, (TimPriority) CLAMP (msg->priority, TIM_PRIORITY_HIGH, TIM_PRIORITY_LOWEST));
  return 0;
}

JsonObject *
_timchat_cmd_group_msg_recall (TimchatRequest *request, GError **error)
{
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  JsonArray *seqs = tim_json_get_array (request->body, "MsgSeqList");
  g_autoptr (JsonArray) notices = json_array_new ();
  JsonArray *results;
  JsonObject *reply;
  TimPriority queue = TIM_PRIORITY_HIGH;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  /* An AVChatRoom keeps no history to take a message back from (tim-rest-facts.md §5.11). */
  if (g_str_equal (group->type, "AVChatRoom"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_TYPE_NO_RECALL,
                           "An AVChatRoom's messages cannot be recalled");
      return NULL;
    }
  if (seqs == NULL || json_array_get_length (seqs) > 10)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "MsgSeqList must be an array of at most 10 entries");
      return NULL;
    }
  /* Every entry is checked before anything is recalled. A MsgSeq is a JSON number (an Integer,
   * tim-rest-facts.md §5.11), as the SDK sends it: true read as 1 and recalled the group's first
   * message for good, and "2" the second. */
  for (guint i = 0; i < json_array_get_length (seqs); i++)
    {
      JsonObject *entry = tim_json_array_get_object (seqs, i);
      gint64 seq;

      if (entry == NULL || !tim_json_get_number_int (entry, "MsgSeq", &seq))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "MsgSeqList[%u] needs an integer MsgSeq", i);
          return NULL;
        }
    }
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (seqs); i++)
    {
      JsonObject *entry = tim_json_array_get_object (seqs, i);
      gint64 seq = entry != NULL ? tim_json_get_int_or (entry, "MsgSeq", 0) : 0;
      JsonObject *result = json_object_new ();

      json_object_set_int_member (result, "MsgSeq", seq);
      json_object_set_int_member (result, "RetCode",
                                  recall_one (request, group, self, seq, notices, &queue));
      json_array_add_object_element (results, result);
    }
  if (json_array_get_length (notices) > 0)
    {
      JsonObject *item = json_object_new ();
      JsonObject *info = json_object_new ();
      JsonObject *body = json_object_new ();

      /* Event 5 with an object MsgBody holding GroupWithdrawInfoArray (sdk-wire-notes.md §8.4). */
      json_object_set_string_member (info, "GroupId", group->group_id);
      json_object_set_object_member (item, "GroupInfo", info);
      json_object_set_array_member (body, "GroupWithdrawInfoArray", json_array_ref (notices));
      json_object_set_object_member (item, "MsgBody", body);
      json_object_set_int_member (item, "MsgSeq", 0);
      /* Behind the messages in the limiter's queues, as an edit is: a message recalled before its
       * fan-out (read in the same iteration as its send, or waiting in a backlog) reached the
       * members after its recall, which a client drops for a message it does not have yet, and
       * then showed as sent, text and all. */
      _timchat_group_deliver_notice (request, group->group_id, queue,
                                     _timchat_wire_push_body (5, "GroupTips", item));
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "RecallRetList", results);
  return reply;
}

gint64
_timchat_group_mark_read (TimchatRequest *request, const char *group_id, gint64 seq, GError **error)
{
  g_autoptr (TimchatGroup) group = NULL;
  g_autoptr (TimchatMember) self = NULL;
  g_autoptr (JsonObject) push = NULL;
  JsonObject *item, *body, *info, *read;
  JsonArray *reads;

  group = timchat_store_get_group (timchat_server_get_store (request->server), group_id);
  if (group == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND,
                   "Group %s does not exist or was dismissed", group_id);
      return -1;
    }
  if (!_timchat_group_require_member (request, group, &self, error))
    return -1;
  if (self == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION, "Not a member");
      return -1;
    }
  seq = timchat_store_mark_read (timchat_server_get_store (request->server), request->user,
                                 TIM_CONV_GROUP, group->group_id, 0, MIN (seq, group->last_seq),
                                 error);
  if (seq < 0)
    return -1;

  /* The caller's other devices: Event 5 with GroupReadInfoArray (sdk-wire-notes.md §8.6). */
  item = json_object_new ();
  info = json_object_new ();
  body = json_object_new ();
  read = json_object_new ();
  reads = json_array_new ();
  json_object_set_string_member (info, "GroupId", group->group_id);
  json_object_set_object_member (item, "GroupInfo", info);
  json_object_set_string_member (read, "GroupId", group->group_id);
  json_object_set_int_member (read, "LastReadMsgSeq", seq);
  json_array_add_object_element (reads, read);
  json_object_set_array_member (body, "GroupReadInfoArray", reads);
  json_object_set_object_member (item, "MsgBody", body);
  json_object_set_int_member (item, "MsgSeq", 0);
  push = _timchat_wire_push_body (5, "GroupTips", item);
  timchat_hub_push (timchat_server_get_hub (request->server), request->user, TIMCHAT_PUSH_SERVCMD,
                    push, request->session);
  /* Read, so no longer marked unread, on any device. */
  if (!_timchat_conv_read_unmarks (request, request->user, TIM_CONV_GROUP, group->group_id, error))
    return -1;
  return seq;
}

JsonObject *
_timchat_cmd_msg_read_report (TimchatRequest *request, GError **error)
{
  const char *group_id =
      _timchat_require_string (request->body, "GroupId", TIM_ERROR_INVALID_PARAMETER, error);
  gint64 seq = 0;

  if (group_id == NULL)
    return NULL;
  if (!tim_json_get_int (request->body, "MsgReadedSeq", &seq) || seq < 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "MsgReadedSeq is missing");
      return NULL;
    }
  return _timchat_group_mark_read (request, group_id, seq, error) < 0 ? NULL : json_object_new ();
}
