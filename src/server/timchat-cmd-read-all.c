/* timchat-cmd-read-all.c: openim.read_all_unread_msg, the SDK's setAllMessageRead: every C2C
 * conversation with something unread (C2CReadAllMsg 1) and the groups named (GroupReadInfo) read
 * at once, each as msgreaded and msg_read_report read one: receipts to the peers, and the read
 * marks to the user's other devices. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-c2c-private.h"
#include "timchat-commands-private.h"

/* At most this many groups a request: a user's joined groups, as the SDK sends them. */
#define MAX_GROUPS 1000

static gboolean
check_request (JsonObject *body, gint64 *c2c, JsonArray **groups, GError **error)
{
  *c2c = tim_json_get_int_or (body, "C2CReadAllMsg", 0);
  *groups = tim_json_get_array (body, "GroupReadInfo");
  if (*c2c != 0 && *c2c != 1)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "C2CReadAllMsg must be 0 or 1");
      return FALSE;
    }
  if (json_object_has_member (body, "GroupReadInfo") &&
      (*groups == NULL || json_array_get_length (*groups) > MAX_GROUPS))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   "GroupReadInfo must be a list of at most %d groups", MAX_GROUPS);
      return FALSE;
    }
  for (guint i = 0; *groups != NULL && i < json_array_get_length (*groups); i++)
    {
      JsonObject *item = tim_json_array_get_object (*groups, i);
      gint64 seq;

      if (tim_json_get_string (item, "GroupId") == NULL ||
          !tim_json_get_int (item, "MsgSeq", &seq) || seq < 0)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "GroupReadInfo[%u] needs a GroupId and a MsgSeq", i);
          return FALSE;
        }
    }
  return TRUE;
}

/* Reads every C2C conversation, or stops at the first the store refused: that is the error, and
 * the command is undone whole (timchat_command_dispatch ()). */
static gboolean
read_all_c2c (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (GPtrArray) conversations = timchat_store_list_conversations (store, request->user, 0);
  gint64 now = timchat_server_now ();

  for (guint i = 0; i < conversations->len; i++)
    {
      TimchatConversation *conv = conversations->pdata[i];

      /* Marked unread with nothing unread is read too: the mark goes. */
      if (conv->conv_type != TIM_CONV_C2C ||
          (conv->unread == 0 && (conv->marks & TIM_CONV_MARK_UNREAD) == 0))
        continue;
      if (!_timchat_c2c_mark_read (request, request->user, conv->peer, now, error))
        return FALSE;
    }
  return TRUE;
}

/* Reply: C2CReadAllMsg as asked, and GroupReadInfoArray[{GroupId, MsgSeq, RetCode,
 * LastReadMsgSeq}]: a group that is not there or not the user's has its code, the others are read.
 */
JsonObject *
_timchat_cmd_read_all_unread_msg (TimchatRequest *request, GError **error)
{
  JsonArray *groups = NULL;
  JsonArray *results;
  JsonObject *reply;
  gint64 c2c = 0;

  if (!check_request (request->body, &c2c, &groups, error))
    return NULL;
  /* The reply's C2CReadAllMsg has no slot per conversation, and the SDK zeroes every C2C
   * conversation on it: one the store refused fails the whole request (its 10002), undone whole,
   * so the SDK keeps its counts and can ask again. */
  if (c2c == 1 && !read_all_c2c (request, error))
    return NULL;
  results = json_array_new ();
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    {
      JsonObject *item = tim_json_array_get_object (groups, i);
      const char *group_id = tim_json_get_string (item, "GroupId");
      gint64 seq = tim_json_get_int_or (item, "MsgSeq", 0);
      g_autoptr (GError) local_error = NULL;
      gint64 read = _timchat_group_mark_read (request, group_id, seq, &local_error);
      JsonObject *result;

      /* A store failure refuses the whole request, undone whole, as for a C2C conversation: its
       * RetCode could come after the group's read mark moved (its unread mark not taken away),
       * and the request sent again reads them all. A group not there or not the user's has its
       * own RetCode. */
      if (g_error_matches (local_error, TIM_ERROR, TIM_ERROR_INTERNAL))
        {
          json_array_unref (results);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      result = json_object_new ();
      json_object_set_string_member (result, "GroupId", group_id);
      json_object_set_int_member (result, "MsgSeq", seq);
      json_object_set_int_member (result, "RetCode", local_error != NULL ? local_error->code : 0);
      json_object_set_int_member (result, "LastReadMsgSeq", MAX (read, 0));
      json_array_add_object_element (results, result);
    }
  reply = json_object_new ();
  json_object_set_int_member (reply, "C2CReadAllMsg", c2c);
  json_object_set_array_member (reply, "GroupReadInfoArray", results);
  return reply;
}
