/* tim-client-read.c: setMessageRead and setAllMessageRead: the read reports, and what each
 * reads here once the server answers (up to what the device knew when it asked, or what the
 * server says it read). Apart from tim-client-calls.c, which keeps the request they go through. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-json.h"

/* ---------------------------------------------------------------- read */

/* What reading a group reads up to: the newest sequence this client heard of from any source
 * (the server's list, a push, a page), not only its last message's (tim-sdk-facts.md §7: the
 * SDK's max (lastSequence, last message's sequence)). A message still being sent has none. */
static gint64
group_read_seq (TimConversation *conversation)
{
  TimMessage *last = tim_conversation_get_last_message (conversation);

  return MAX (_tim_conversation_get_newest_seq (conversation),
              last != NULL ? tim_message_get_server_seq (last) : 0);
}

/* What a read report covers: what the device knew when it sent it. A message that reaches the
 * device before the answer may be past it, and the server keeps that one unread. */
typedef struct
{
  char *conversation_id;
  gint64 up_to_seq;  /* a group's MsgReadedSeq */
  gint64 up_to_time; /* a C2C conversation's LastedMsgTime */
} ReadReport;

static void
read_report_free (ReadReport *report)
{
  g_free (report->conversation_id);
  g_free (report);
}

/* The server took the "unread" mark away with this device's read (it refuses a read it could not
 * unmark): gone here when the call completes. Its push of the marks to every device, this one's
 * too, comes right behind the answer since answers go first (28 Nov), and a caller that looked at
 * once found the mark still there whenever the push came in a later read of the socket. */
static void
take_unread_mark_away (TimClient *self, TimConversation *conversation)
{
  guint64 marks = conversation != NULL ? tim_conversation_get_marks (conversation) : 0;

  if (!(marks & TIM_CONV_MARK_UNREAD))
    return;
  _tim_conversation_set_marks (conversation, marks & ~(guint64) TIM_CONV_MARK_UNREAD);
  _tim_client_save_conversation (self, conversation);
}

static void
read_done (TimClient *self, GTask *task, JsonObject *reply)
{
  ReadReport *report = g_task_get_task_data (task);

  if (report->up_to_time > 0)
    _tim_client_apply_c2c_read_up_to_time (self, report->conversation_id, report->up_to_time);
  else
    _tim_client_apply_read_up_to (self, report->conversation_id, report->up_to_seq);
  take_unread_mark_away (
      self, tim_conversation_list_lookup (self->conversations, report->conversation_id));
  g_task_return_boolean (task, TRUE);
}

void
tim_client_set_message_read_async (TimClient *self, const char *conversation_id,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;
  ReadReport *report = g_new0 (ReadReport, 1);
  const char *peer = NULL;
  TimConvType type;

  report->conversation_id = g_strdup (conversation_id);
  g_task_set_task_data (task, report, (GDestroyNotify) read_report_free);
  if (tim_conv_parse_id (conversation_id, NULL) == TIM_CONV_SYSTEM)
    {
      /* The system conversation is read locally only, as the seed does. */
      _tim_client_apply_read (self, conversation_id);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!_tim_client_check_conversation (task, conversation_id, &type, &peer))
    return;
  /* Nothing unread and not marked so: nothing to tell the server. */
  if (conversation == NULL || (tim_conversation_get_unread_count (conversation) == 0 &&
                               !(tim_conversation_get_marks (conversation) & TIM_CONV_MARK_UNREAD)))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (type == TIM_CONV_C2C)
    {
      JsonObject *readed = json_object_new ();
      JsonArray *items = json_array_new ();
      JsonObject *item = json_object_new ();

      report->up_to_time = MAX (tim_conversation_get_last_time (conversation),
                                last ? tim_message_get_time (last) : 0);
      json_object_set_string_member (item, "To_Account", peer);
      json_object_set_int_member (item, "LastedMsgTime", report->up_to_time);
      json_object_set_int_member (item, "Receipt", 1);
      json_array_add_object_element (items, item);
      json_object_set_string_member (readed, "Cookie", "");
      json_object_set_array_member (readed, "C2CMsgReadedItem", items);
      json_object_set_object_member (body, "C2CMsgReaded", readed);
      _tim_client_request (self, task, "openim.msgreaded", body, read_done);
    }
  else
    {
      report->up_to_seq = group_read_seq (conversation);
      json_object_set_string_member (body, "GroupId", peer);
      json_object_set_int_member (body, "MsgReadedSeq", report->up_to_seq);
      _tim_client_request (self, task, "group_open_http_svc.msg_read_report", body, read_done);
    }
}

gboolean
tim_client_set_message_read_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* What read_all_unread_msg read, as the server says in its reply (docs/protocol.md), which may
 * be less or more than what this device asked, as messages came meanwhile: each group up to its
 * LastReadMsgSeq, so a group message that reached this device after the request stays unread, as
 * the server keeps it; and with C2CReadAllMsg, every C2C conversation up to its newest message
 * when the server took the request, which is every message this device holds now (the server
 * pushed those it stored before ahead of the reply), in a conversation that had nothing unread
 * when the request went too. */
static void
read_all_done (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonArray *groups = tim_json_get_array (reply, "GroupReadInfoArray");
  JsonObject *group;

  if (tim_json_get_int_or (reply, "C2CReadAllMsg", 0) == 1)
    {
      GListModel *list = G_LIST_MODEL (self->conversations);
      g_autoptr (GPtrArray) c2c = g_ptr_array_new_with_free_func (g_free);

      /* Gathered first: reading one saves it, which may move it in the list. */
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

          if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C &&
              (tim_conversation_get_unread_count (conversation) > 0 ||
               (tim_conversation_get_marks (conversation) & TIM_CONV_MARK_UNREAD)))
            g_ptr_array_add (c2c, g_strdup (tim_conversation_get_id (conversation)));
        }
      for (guint i = 0; i < c2c->len; i++)
        {
          _tim_client_apply_read (self, c2c->pdata[i]);
          take_unread_mark_away (self,
                                 tim_conversation_list_lookup (self->conversations, c2c->pdata[i]));
        }
    }
  for (guint i = 0; (group = tim_json_array_next_object (groups, &i)) != NULL;)
    {
      const char *group_id = tim_json_get_string (group, "GroupId");
      g_autofree char *conversation_id =
          group_id != NULL ? tim_conv_make_id (TIM_CONV_GROUP, group_id) : NULL;

      /* A server that does not say how far: up to what was asked. */
      if (conversation_id != NULL && tim_json_get_int_or (group, "RetCode", -1) == 0)
        {
          _tim_client_apply_read_up_to (
              self, conversation_id,
              tim_json_get_int_or (group, "LastReadMsgSeq",
                                   tim_json_get_int_or (group, "MsgSeq", G_MAXINT64)));
          take_unread_mark_away (
              self, tim_conversation_list_lookup (self->conversations, conversation_id));
        }
    }
  g_task_return_boolean (task, TRUE);
}

void
tim_client_set_all_message_read_async (TimClient *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  GListModel *list = G_LIST_MODEL (self->conversations);
  gboolean c2c = FALSE;
  JsonArray *groups = json_array_new ();

  json_object_set_array_member (body, "GroupReadInfo", groups);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);
      JsonObject *group;

      /* Marked unread is unread too: reading it takes the mark away. */
      if (tim_conversation_get_unread_count (conversation) == 0 &&
          !(tim_conversation_get_marks (conversation) & TIM_CONV_MARK_UNREAD))
        continue;
      switch (tim_conversation_get_conversation_type (conversation))
        {
        case TIM_CONV_C2C:
          c2c = TRUE;
          break;
        case TIM_CONV_GROUP:
          group = json_object_new ();
          json_object_set_string_member (group, "GroupId",
                                         tim_conversation_get_peer (conversation));
          json_object_set_int_member (group, "MsgSeq", group_read_seq (conversation));
          json_array_add_object_element (groups, group);
          break;
        case TIM_CONV_SYSTEM:
          /* Read locally only, as setMessageRead has it. */
          _tim_client_apply_read (self, tim_conversation_get_id (conversation));
          break;
        default:
          break;
        }
    }
  if (!c2c && json_array_get_length (groups) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  json_object_set_int_member (body, "C2CReadAllMsg", c2c ? 1 : 0);
  _tim_client_request (self, task, "openim.read_all_unread_msg", body, read_all_done);
}

gboolean
tim_client_set_all_message_read_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
