/* tim-client-send-request.c: the outbox head's request (openim.sendmsg or send_group_msg) and
 * how its send ends: sent, failed, or left queued to try again when the network is back. The
 * queue itself, what goes in and what goes next, is tim-client-send.c's. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

#define RETRY_DELAY_SECONDS 2

/* The error a failed message keeps and its caller gets: a local file's in TIM words. */
static GError *
error_for_message (OutboxItem *item, const GError *error)
{
  GFile *file = tim_message_get_local_file (item->message);
  g_autofree char *name = NULL;

  if (!tim_error_is_local_file (error))
    return g_error_copy (error);
  name = file != NULL ? g_file_get_parse_name (file) : g_strdup ("?");
  return g_error_new (TIM_ERROR, TIM_ERROR_FILE_EMPTY, _ ("Cannot read the file to send, “%s”: %s"),
                      name, error->message);
}

typedef struct
{
  TimClient *client;
  TimMessage *message;
} Finished;

static gboolean
save_finished (TimLocalStore *store, gpointer user_data, GError **error)
{
  Finished *finished = user_data;
  TimMessage *message = finished->message;
  g_autoptr (JsonObject) record = _tim_message_to_record (message);

  if (!tim_local_store_outbox_complete (store, tim_message_get_id (message),
                                        tim_message_get_conversation_id (message),
                                        _tim_message_sort_key (message), record, error))
    return FALSE;
  /* The conversation's cached copy of its last message must say so too (this transaction). */
  _tim_client_update_conversation_last (finished->client, message);
  return TRUE;
}

gboolean
_tim_client_outbox_save_end (TimClient *self, TimMessage *message, GError **error)
{
  Finished finished = { self, message };

  if (tim_local_store_run_in_transaction (self->store, save_finished, &finished, error))
    return TRUE;
  /* Its record still says it is being sent: an open list holds the message rather than read that
   * back (can_reload_message ()), which showed it being sent for the rest of the session. */
  g_hash_table_add (self->unsaved_messages, g_strdup (tim_message_get_id (message)));
  return FALSE;
}

/* The end of item's send, which may be the one in flight or (refused before it was queued) none
 * of the queue's: only the end of the one in flight frees the queue for the next. */
void
_tim_client_outbox_finish_item (TimClient *self, OutboxItem *item, const GError *error)
{
  gboolean in_flight = self->outbox_busy && g_queue_peek_head (&self->outbox_queue) == item;
  g_autoptr (GError) failure = NULL;
  g_autoptr (GTask) task = NULL;

  /* Out of the queue, and the queue free, before anyone hears of the end: the message's notify
   * handlers and the caller's callback (GTask calls it at once outside the iteration that made the
   * task) run below and may delete the message, resend it, cancel a send or log out. Finding this
   * send still at the head and in flight, a delete ended it a second time and started the next,
   * which the pump below then started again: sent twice, ended twice on a freed item. */
  g_queue_remove (&self->outbox_queue, item);
  if (in_flight)
    self->outbox_busy = FALSE;
  /* No upload is on its way once the send is over (cancelled mid-upload, say): a Retry starts
   * from nothing, not from the bar of the attempt that failed. */
  _tim_message_set_upload (item->message, 0, 0);
  if (error != NULL)
    {
      failure = error_for_message (item, error);
      _tim_message_set_error (item->message,
                              failure->domain == TIM_ERROR ? failure->code : TIM_ERROR_SEND_FAIL,
                              failure->message);
      _tim_message_set_status (item->message, TIM_MESSAGE_STATUS_FAIL);
    }
  if (!tim_message_get_online_only (item->message))
    {
      g_autoptr (GError) store_error = NULL;

      /* The outbox entry goes with the final record, in one transaction: a crash between two
       * commits left a message "unSend" that nothing would send again. */
      if (self->store == NULL)
        _tim_client_update_conversation_last (self, item->message);
      else if (!_tim_client_outbox_save_end (self, item->message, &store_error))
        g_message ("Cannot store the end of the send of %s: %s", tim_message_get_id (item->message),
                   store_error->message);
    }
  task = g_steal_pointer (&item->task);
  _tim_client_outbox_item_free (item);
  if (task != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&failure));
      else
        g_task_return_boolean (task, TRUE);
    }
  _tim_client_outbox_left (self);
  if (in_flight)
    _tim_client_outbox_pump (self);
}

/* What the transport's relogin waits out (tim_error_is_transient ()), and what only a send
 * meets: a ticket the next relogin renews (20002), the session ended under it (2024: kicked out
 * while it waited for its answer, or its upload ended after the kick; 70001: its UserSig ran
 * out, the next login brings a new one), an upload cut short, a socket error on the way to the
 * upload server. The end of a session refuses no message: the one on its way waits for the next
 * login with those queued behind it, as at a logout; failed for good, it was shown failed when
 * the server may have stored it, and the next went out before it. The uploader gives the kind's
 * upload-failed code only to what may get better (http_failure () in tim-uploader.c); a size
 * limit or an upload that gave no address (2403) fails at once. */
static gboolean
is_transient (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  if (tim_error_is_transient (error))
    return TRUE;
  if (error->domain == TIM_ERROR)
    return error->code == TIM_ERROR_MSG_AUTH || error->code == TIM_ERROR_NOT_LOGGED_IN ||
           error->code == TIM_ERROR_USERSIG_EXPIRED || error->code == TIM_ERROR_AUDIO_UPLOAD_FAIL ||
           error->code == TIM_ERROR_VIDEO_UPLOAD_FAIL || error->code == TIM_ERROR_FILE_UPLOAD_FAIL;
  if (tim_error_is_local_file (error))
    return FALSE;
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR;
}

static gboolean
retry_pump (gpointer user_data)
{
  _tim_client_outbox_pump (TIM_CLIENT (user_data));
  return G_SOURCE_REMOVE;
}

/* A network failure: the message stays queued ("unSend", waiting for the network). */
void
_tim_client_outbox_item_failed (TimClient *self, OutboxItem *item, const GError *error)
{
  if (item->abandoned)
    {
      _tim_client_outbox_item_free (item);
      return;
    }
  if (is_transient (error) && self->store != NULL && !tim_message_get_online_only (item->message))
    {
      g_debug ("Send of %s waits for the network: %s", tim_message_get_id (item->message),
               error->message);
      self->outbox_busy = FALSE;
      g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, RETRY_DELAY_SECONDS, retry_pump,
                                  g_object_ref (self), g_object_unref);
      return;
    }
  _tim_client_outbox_finish_item (self, item, error);
}

static JsonObject *
build_request (TimClient *self, OutboxItem *item, const char **servcmd)
{
  TimMessage *message = item->message;
  JsonObject *body = json_object_new ();
  JsonObject *push = json_object_new ();
  const TimSendOptions *options = item->options;
  g_autoptr (JsonArray) msg_body = _tim_message_dup_msg_body (message);
  gboolean online_only = options != NULL && options->online_user_only;
  JsonArray *control;

  json_object_set_int_member (push, "PushFlag", options != NULL && options->disable_push ? 1 : 0);
  json_object_set_string_member (push, "Title",
                                 options && options->push_title ? options->push_title : "");
  json_object_set_string_member (
      push, "Desc", options && options->push_description ? options->push_description : "");
  json_object_set_string_member (push, "Ext",
                                 options && options->push_extension ? options->push_extension : "");
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_array_member (body, "MsgBody", json_array_ref (msg_body));
  json_object_set_string_member (body, "CloudCustomData",
                                 tim_message_get_cloud_custom_data (message) ?: "");
  json_object_set_int_member (body, "MsgClientTime", tim_message_get_client_time (message));
  json_object_set_object_member (body, "OfflinePushInfo", push);
  /* As the Web SDK sends its messageControlInfo: none for an online-only message. */
  if (!online_only && (control = tim_msg_control_new_send (_tim_message_get_control (message))))
    json_object_set_array_member (body, "SendMsgControl", control);
  if (tim_message_get_conversation_type (message) == TIM_CONV_GROUP)
    {
      *servcmd = "group_open_http_svc.send_group_msg";
      json_object_set_string_member (body, "GroupId", tim_message_get_to (message));
      json_object_set_int_member (body, "Random", tim_message_get_random (message));
      json_object_set_int_member (body, "ClientSeq", tim_message_get_sequence (message));
      json_object_set_string_member (body, "MsgPriority",
                                     tim_priority_to_string (tim_message_get_priority (message)));
      json_object_set_int_member (body, "OnlineOnlyFlag", online_only ? 1 : 0);
      if (tim_message_get_at_user_list (message) != NULL)
        json_object_set_array_member (
            body, "GroupAtInfo", tim_group_at_info_new (tim_message_get_at_user_list (message)));
    }
  else
    {
      *servcmd = "openim.sendmsg";
      json_object_set_string_member (body, "To_Account", tim_message_get_to (message));
      json_object_set_int_member (body, "MsgSeq", tim_message_get_sequence (message));
      json_object_set_int_member (body, "MsgRandom", tim_message_get_random (message));
      if (online_only)
        json_object_set_int_member (body, "MsgLifeTime", 0);
    }
  return body;
}

static void
on_sent (JsonObject *reply, const GError *error, gpointer user_data)
{
  OutboxItem *item = user_data;
  TimClient *self;

  if (item->abandoned)
    {
      /* Logged out meanwhile: the outbox entry stays in the store for next time. */
      _tim_client_outbox_item_free (item);
      return;
    }
  self = item->task != NULL ? g_task_get_source_object (item->task) : NULL;
  if (self == NULL)
    self = g_object_get_data (G_OBJECT (item->message), "tim-client");
  if (reply == NULL)
    {
      _tim_client_outbox_item_failed (self, item, error);
      return;
    }
  /* A group message the server answered without a sequence was not kept: the group's rate
   * limit shed it (the vendor's documented "success, not stored, not delivered"). Only an
   * online-only message has none by design. Not a success, then: failed, to be sent again. */
  if (tim_message_get_conversation_type (item->message) == TIM_CONV_GROUP &&
      !tim_message_get_online_only (item->message) && tim_json_get_int_or (reply, "MsgSeq", 0) <= 0)
    {
      g_autoptr (GError) dropped = g_error_new_literal (
          TIM_ERROR, TIM_ERROR_GROUP_SEND_FREQUENCY,
          _ ("Too many messages reached this group at once, and the server did not keep this one; "
             "send it again in a moment"));

      _tim_client_outbox_finish_item (self, item, dropped);
      return;
    }
  _tim_message_set_time (
      item->message, tim_json_get_int_or (reply, "MsgTime", tim_message_get_time (item->message)));
  if (tim_message_get_conversation_type (item->message) == TIM_CONV_GROUP)
    {
      gint64 seq = tim_json_get_int_or (reply, "MsgSeq", 0);

      if (seq > 0)
        {
          _tim_message_set_sequence (item->message, seq);
          _tim_message_set_server_seq (item->message, seq);
        }
    }
  else
    _tim_message_set_server_seq (item->message, tim_json_get_int_or (reply, "ServerSeq", 0));
  _tim_message_set_error (item->message, 0, NULL);
  _tim_message_set_status (item->message, TIM_MESSAGE_STATUS_SUCCESS);
  _tim_client_outbox_finish_item (self, item, NULL);
}

void
_tim_client_outbox_send_request (TimClient *self, OutboxItem *item)
{
  const char *servcmd = NULL;
  g_autoptr (JsonObject) body = build_request (self, item, &servcmd);

  tim_transport_request (self->transport, servcmd, body, 0, item->cancellable, on_sent, item);
}
