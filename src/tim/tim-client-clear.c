/* tim-client-clear.c: clearing a conversation's history for oneself (the Web SDK's
 * clearHistoryMessage, recentcontact.clear_msg). The conversation is read first, as the SDK does,
 * so that nothing cleared is left counted as unread. The server answers up to where it cleared
 * (its ServerSeq, ours) and tells the user's other devices the same (TimchatHistoryClearNotify);
 * each device then drops what it has up to there: the lists' messages (the oldest), the stored
 * ones, the conversation's last message. What is still being sent has no server sequence yet and
 * stays. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* The messages in use (in a list, a search's results) that the clearing takes. */
static GPtrArray *
live_messages_up_to (TimClient *self, const char *conversation_id, gint64 server_seq)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer message;

  g_hash_table_iter_init (&iter, self->live_messages);
  while (g_hash_table_iter_next (&iter, NULL, &message))
    {
      gint64 seq = tim_message_get_server_seq (message);

      if (seq > 0 && seq <= server_seq &&
          g_strcmp0 (tim_message_get_conversation_id (message), conversation_id) == 0)
        g_ptr_array_add (messages, g_object_ref (message));
    }
  return messages;
}

/* What is unread after a clearing up to server_seq. The clearing read what it took (the clearing
 * device reads first, and the server counts only what came after it), so a count of nothing newer
 * goes to 0. But a device that heard of something newer heard of it after the clearing, from the
 * server's list: a sync reads the list, then getmsg replays what happened while the device was
 * away, this clearing among it. That list counted what came after the clearing and nothing before,
 * so its count stays (a C2C count is then set again by getmsg's own counts). Zeroed there, a group
 * cleared on another device showed nothing unread, though the server and that device counted what
 * came after, until the next login. */
static guint
unread_after_clearing (TimConversation *conversation, gint64 server_seq)
{
  TimMessage *last = tim_conversation_get_last_message (conversation);
  gint64 heard_of = MAX (_tim_conversation_get_newest_seq (conversation),
                         last != NULL ? tim_message_get_server_seq (last) : 0);

  return heard_of > server_seq ? tim_conversation_get_unread_count (conversation) : 0;
}

void
_tim_client_forget_history (TimClient *self, const char *conversation_id, gint64 server_seq)
{
  TimMessageList *list = g_hash_table_lookup (self->message_lists, conversation_id);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  g_autoptr (GPtrArray) cleared = live_messages_up_to (self, conversation_id, server_seq);
  g_autoptr (GError) error = NULL;

  /* What came before the clearing and is still queued for the list goes in first, so that the
   * clearing takes it too: queued, it was put in after, a message gone from the store shown. */
  _tim_client_flush_appends (self);
  /* The list first: it reloads from the store what it let go of. */
  if (list != NULL)
    _tim_message_list_remove_up_to (list, server_seq);
  if (self->store != NULL &&
      !tim_local_store_delete_messages_up_to (self->store, conversation_id, server_seq, &error))
    g_warning ("Cannot clear the history of %s here: %s", conversation_id, error->message);
  if (conversation != NULL)
    {
      /* Before the last message changes: the list's may be the newest thing heard of. */
      _tim_conversation_set_unread_count (conversation,
                                          unread_after_clearing (conversation, server_seq));
      _tim_client_update_last_message (self, conversation);
      _tim_client_save_conversation (self, conversation);
    }
  _tim_client_emit_messages (self, "message-deleted", cleared);
}

void
_tim_client_take_clear_notice (TimClient *self, JsonObject *notice)
{
  gint64 type = tim_json_get_int_or (notice, "Type", 0);
  const char *peer = type == 2 ? tim_json_get_string (notice, "ToGroupid")
                               : tim_json_get_string (notice, "To_Account");
  g_autofree char *conversation_id = NULL;

  if ((type != 1 && type != 2) || peer == NULL)
    return;
  conversation_id = tim_conv_make_id (type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer);
  _tim_client_forget_history (self, conversation_id, tim_json_get_int_or (notice, "ServerSeq", 0));
}

static void
cleared_on_server (TimClient *self, GTask *task, JsonObject *reply)
{
  _tim_client_forget_history (self, g_task_get_task_data (task),
                              tim_json_get_int_or (reply, "ServerSeq", 0));
  g_task_return_boolean (task, TRUE);
}

static void
on_read_before_clear (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = TIM_CLIENT (source);
  const char *conversation_id = g_task_get_task_data (task);
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (GError) error = NULL;
  const char *peer = NULL;
  TimConvType type = tim_conv_parse_id (conversation_id, &peer);

  if (!tim_client_set_message_read_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_int_member (body, "Type", type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_string_member (body, type == TIM_CONV_GROUP ? "ToGroupid" : "To_Account", peer);
  _tim_client_request (self, task, "recentcontact.clear_msg", body, cleared_on_server);
}

/* Group Notices: nothing of them is on the server to clear. */
static void
clear_notices_here (TimClient *self, GTask *task, const char *conversation_id)
{
  _tim_client_forget_history (self, conversation_id, G_MAXINT64);
  g_task_return_boolean (task, TRUE);
}

void
tim_client_clear_history_async (TimClient *self, const char *conversation_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TimConvType type;
  const char *peer = NULL;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_clear_history_async);
  if (g_strcmp0 (conversation_id, TIM_SYSTEM_CONVERSATION_ID) != 0 &&
      !_tim_client_check_conversation (task, conversation_id, &type, &peer))
    return;
  if (tim_conversation_list_lookup (self->conversations, conversation_id) == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                               _ ("There is no conversation “%s”"), conversation_id);
      return;
    }
  g_task_set_task_data (task, g_strdup (conversation_id), g_free);
  if (g_str_equal (conversation_id, TIM_SYSTEM_CONVERSATION_ID))
    {
      clear_notices_here (self, task, conversation_id);
      return;
    }
  if (!_tim_client_check_logged_in (self, task))
    return;
  tim_client_set_message_read_async (self, conversation_id, g_task_get_cancellable (task),
                                     on_read_before_clear, g_object_ref (task));
}

gboolean
tim_client_clear_history_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
