/* tim-client-send.c: the outbox that sends messages (tim-client-create.c makes them): written to
 * the local store before anything goes on the wire, resumed in order after a crash or a network
 * loss, always with the same random and sequence so the server stores each message once. The
 * request of the message at the head, and how its send ends, live in tim-client-send-request.c;
 * the sends stopped before they end (logout, deletion, cancel) and the waits for the outbox, in
 * tim-client-send-stop.c. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

void
_tim_client_outbox_item_free (OutboxItem *item)
{
  g_clear_object (&item->message);
  g_clear_pointer (&item->options, tim_send_options_free);
  g_clear_object (&item->task);
  g_clear_object (&item->cancellable);
  g_clear_pointer (&item->uploaded, json_object_unref);
  g_free (item);
}

/* ---------------------------------------------------------------- outbox */

static JsonObject *
options_to_json (const TimSendOptions *options)
{
  JsonObject *json = json_object_new ();

  if (options == NULL)
    return json;
  json_object_set_boolean_member (json, "onlineUserOnly", options->online_user_only);
  json_object_set_boolean_member (json, "disablePush", options->disable_push);
  json_object_set_string_member (json, "title", options->push_title ? options->push_title : "");
  json_object_set_string_member (json, "description",
                                 options->push_description ? options->push_description : "");
  json_object_set_string_member (json, "extension",
                                 options->push_extension ? options->push_extension : "");
  json_object_set_boolean_member (json, "excludedFromUnreadCount",
                                  options->exclude_from_unread_count);
  json_object_set_boolean_member (json, "excludedFromLastMessage",
                                  options->exclude_from_last_message);
  return json;
}

static TimSendOptions *
options_from_json (JsonObject *json)
{
  TimSendOptions *options = tim_send_options_new ();

  if (json == NULL)
    return options;
  options->online_user_only = tim_json_get_int_or (json, "onlineUserOnly", 0) != 0;
  options->disable_push = tim_json_get_int_or (json, "disablePush", 0) != 0;
  options->push_title = g_strdup (tim_json_get_string (json, "title"));
  options->push_description = g_strdup (tim_json_get_string (json, "description"));
  options->push_extension = g_strdup (tim_json_get_string (json, "extension"));
  options->exclude_from_unread_count =
      tim_json_get_int_or (json, "excludedFromUnreadCount", 0) != 0;
  options->exclude_from_last_message =
      tim_json_get_int_or (json, "excludedFromLastMessage", 0) != 0;
  return options;
}

typedef struct
{
  TimClient *client;
  TimMessage *message;
  const char *old_id;
} Renaming;

static gboolean
save_renaming (TimLocalStore *store, gpointer user_data, GError **error)
{
  Renaming *renaming = user_data;
  g_autoptr (JsonObject) record = _tim_message_to_record (renaming->message);

  if (!tim_local_store_outbox_rename (store, renaming->old_id,
                                      tim_message_get_id (renaming->message), record, error))
    return FALSE;
  /* Its conversation's record names its last message too (this transaction). */
  _tim_client_rename_message (renaming->client, renaming->message, renaming->old_id);
  return TRUE;
}

/* A message's ID begins with its sender's TinyId (tim-sdk-facts.md §9.6), which the server gives
 * at login: one made before a new account's first login was answered has none. The server keeps
 * its copy under the session's TinyId, the ID every other device computes; so does this one,
 * from its first send on, in its record, its outbox entry and wherever it is known by ID. Sent
 * under its first ID, the server's copy came back (the next sync, the history) as another
 * message, and the message showed twice. Decided here, as it goes out (the session's TinyId is
 * known then), for a resumed or resent message as for a new one. */
static gboolean
take_session_tinyid (TimClient *self, TimMessage *message, GError **error)
{
  const char *tinyid = tim_transport_get_tinyid (self->transport);
  g_autofree char *old_tinyid = NULL;
  g_autofree char *old_id = NULL;
  Renaming renaming = { self, message, NULL };

  if (tinyid == NULL || g_strcmp0 (tim_message_get_sender_tinyid (message), tinyid) == 0)
    return TRUE;
  old_tinyid = g_strdup (tim_message_get_sender_tinyid (message));
  old_id = g_strdup (tim_message_get_id (message));
  renaming.old_id = old_id;
  /* Its "notify::id" once every table knows it by its new ID. */
  g_object_freeze_notify (G_OBJECT (message));
  _tim_message_set_sender_tinyid (message, tinyid);
  if (self->store != NULL && !tim_message_get_online_only (message) &&
      !tim_local_store_run_in_transaction (self->store, save_renaming, &renaming, error))
    {
      g_autofree char *new_id = g_strdup (tim_message_get_id (message));

      _tim_message_set_sender_tinyid (message, old_tinyid);
      /* The transaction may fail at its COMMIT (a full disk: nothing is written before it), once
       * save_renaming () renamed the message in memory. The live table, its list and
       * unsaved_messages follow it back to the first ID its record keeps: left knowing the new
       * one, its list did not find it by its ID, so deleting the failed message left it shown,
       * and a UI's Retry, which finds it by ID, did nothing. (When the store failed before the
       * rename, the tables are as they were: only its conversation is saved again.) */
      _tim_client_rename_message (self, message, new_id);
      g_object_thaw_notify (G_OBJECT (message));
      return FALSE;
    }
  if (self->store == NULL || tim_message_get_online_only (message))
    _tim_client_rename_message (self, message, old_id);
  g_object_thaw_notify (G_OBJECT (message));
  return TRUE;
}

static void
outbox_pump (TimClient *self)
{
  g_autoptr (GError) error = NULL;
  OutboxItem *item;

  if (self->outbox_busy || g_queue_is_empty (&self->outbox_queue) ||
      tim_transport_get_state (self->transport) != TIM_NET_STATE_CONNECTED)
    return;
  item = g_queue_peek_head (&self->outbox_queue);
  self->outbox_busy = TRUE;
  /* Not stored under its ID (a full disk): not sent either, or it is shown twice later. Failed,
   * as a send the store cannot take in the first place (enqueue ()); the next one goes. */
  if (!take_session_tinyid (self, item->message, &error))
    {
      _tim_client_outbox_finish_item (self, item, error);
      return;
    }
  g_object_set_data (G_OBJECT (item->message), "tim-client", self);
  if (_tim_client_needs_upload (item->message))
    _tim_client_upload_then_send (self, item);
  else
    _tim_client_outbox_send_request (self, item);
}

typedef struct
{
  TimClient *client;
  TimMessage *message;
  JsonObject *options;
} Enqueue;

static gboolean
store_and_queue (TimLocalStore *store, gpointer user_data, GError **error)
{
  Enqueue *enqueue = user_data;

  if (!tim_local_store_outbox_add (store, tim_message_get_id (enqueue->message),
                                   tim_message_get_conversation_id (enqueue->message),
                                   enqueue->options, error))
    return FALSE;
  /* Stores the record and shows it in its conversation (joins this transaction). */
  _tim_client_accept_message (enqueue->client, enqueue->message, FALSE);
  return TRUE;
}

static void
enqueue (TimClient *self, TimMessage *message, const TimSendOptions *options, GTask *task,
         TimProgressFunc progress, gpointer progress_data)
{
  OutboxItem *item = g_new0 (OutboxItem, 1);
  g_autoptr (GError) error = NULL;

  item->message = g_object_ref (message);
  item->options = options != NULL ? tim_send_options_copy (options) : tim_send_options_new ();
  item->task = task != NULL ? g_object_ref (task) : NULL;
  item->cancellable = g_cancellable_new ();
  /* Cancelling the caller's cancellable stops this send (an upload mid-way, too). One cancelled
   * before the call has emitted "cancelled" already and will not again: that send stops too,
   * rather than go out while its caller is told it was cancelled. */
  if (task != NULL && g_task_get_cancellable (task) != NULL)
    {
      g_signal_connect_object (g_task_get_cancellable (task), "cancelled",
                               G_CALLBACK (g_cancellable_cancel), item->cancellable,
                               G_CONNECT_SWAPPED);
      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        g_cancellable_cancel (item->cancellable);
    }
  item->progress = progress;
  item->progress_data = progress_data;
  _tim_message_set_online_only (message, item->options->online_user_only);
  _tim_message_set_control (
      message, (item->options->exclude_from_unread_count ? TIM_MSG_CONTROL_NO_UNREAD : 0) |
                   (item->options->exclude_from_last_message ? TIM_MSG_CONTROL_NO_LAST_MSG : 0));
  _tim_message_set_error (message, 0, NULL);
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_UNSENT);

  if (!item->options->online_user_only)
    {
      g_autoptr (JsonObject) options_json = options_to_json (item->options);

      /* On disk before it is on the wire, the record and its outbox entry together: this is
       * what makes a crash harmless. */
      Enqueue enqueue = { self, message, options_json };

      if (self->store != NULL &&
          !tim_local_store_run_in_transaction (self->store, store_and_queue, &enqueue, &error))
        {
          _tim_client_outbox_finish_item (self, item, error);
          return;
        }
      /* A message I send shows at once. */
      _tim_client_flush_appends (self);
    }
  g_queue_push_tail (&self->outbox_queue, item);
  outbox_pump (self);
}

/* Returns the error on task, in our words (takes text). */
static gboolean
refuse (GTask *task, int code, char *text)
{
  g_task_return_new_error (task, TIM_ERROR, code, "%s", text);
  g_free (text);
  return FALSE;
}

/* A message the server would refuse for what it holds (an empty text, a custom message with
 * nothing in it, a body over 12 KB) is refused here, in our words, rather than stored, queued and
 * refused. Media are checked once uploaded, when their URLs are known. */
static gboolean
check_body (TimMessage *message, GTask *task)
{
  TimElemType type = tim_message_get_elem_type (message);
  const char *cloud_custom_data = tim_message_get_cloud_custom_data (message);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) body = NULL;
  JsonObject *elem;

  if (_tim_client_needs_upload (message) || !tim_elem_type_is_sendable (type))
    return TRUE;
  elem = tim_elem_from_payload (type, tim_message_get_payload (message), &error);
  if (elem == NULL)
    return refuse (task, TIM_ERROR_INVALID_PARAMETER,
                   type == TIM_ELEM_TEXT
                       ? g_strdup (_ ("A text message cannot be empty"))
                       : g_strdup_printf (_ ("This message cannot be sent: %s"), error->message));
  /* The server's own check of a body, its size limit (with the CloudCustomData) with the rest. */
  body = json_array_new ();
  json_array_add_object_element (body, elem);
  if (tim_msg_validate (body, cloud_custom_data != NULL ? strlen (cloud_custom_data) : 0, &error))
    return TRUE;
  if (g_error_matches (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE))
    return refuse (
        task, TIM_ERROR_BODY_TOO_LARGE,
        g_strdup_printf (
            _ ("The message is too long to send (%lu bytes, at most %d)"),
            (unsigned long) (tim_msg_body_serialized_size (body) +
                             (cloud_custom_data != NULL ? strlen (cloud_custom_data) : 0)),
            TIM_MAX_MSG_BODY_BYTES));
  return refuse (task, TIM_ERROR_INVALID_PARAMETER,
                 g_strdup_printf (_ ("This message cannot be sent: %s"), error->message));
}

void
tim_client_send_message_async (TimClient *self, TimMessage *message, const TimSendOptions *options,
                               TimProgressFunc progress, gpointer progress_data,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tim_client_send_message_async);
  if (!_tim_client_check_logged_in (self, task))
    return;
  /* Group Notices come from the server; like the official SDK, refuse here rather than let the
   * message sit in the outbox until the server refuses it. */
  if (tim_message_get_conversation_type (message) != TIM_CONV_C2C &&
      tim_message_get_conversation_type (message) != TIM_CONV_GROUP)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_TYPE, "%s",
                               tim_error_text (TIM_ERROR_INVALID_CONVERSATION_TYPE));
      return;
    }
  if (tim_message_get_status (message) == TIM_MESSAGE_STATUS_SUCCESS ||
      _tim_client_lookup_message (self, tim_message_get_id (message)) != NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_OPERATION,
                               _ ("This message was already sent; use resend for a failed one"));
      return;
    }
  if (!check_body (message, task))
    return;
  enqueue (self, message, options, task, progress, progress_data);
}

gboolean
tim_client_send_message_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tim_client_resend_message_async (TimClient *self, TimMessage *message, TimProgressFunc progress,
                                 gpointer progress_data, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (TimSendOptions) options = NULL;

  g_task_set_source_tag (task, tim_client_resend_message_async);
  /* As a send: logged out, there is no store to keep it in, and queued in memory it would go
   * out in the name of whoever logs in next on this client. */
  if (!_tim_client_check_logged_in (self, task))
    return;
  if (tim_message_get_status (message) != TIM_MESSAGE_STATUS_FAIL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_OPERATION,
                               _ ("Only a message that failed can be sent again"));
      return;
    }
  /* Same ID, random and sequence: if the first attempt did reach the server, it answers with the
   * stored message instead of storing a second one. And sent as it was: what the message carries
   * of its options (online only, SendMsgControl), not the defaults, which enqueue would set on
   * it. Its push texts are not kept with it. */
  options = tim_send_options_new ();
  options->online_user_only = tim_message_get_online_only (message);
  options->exclude_from_unread_count = tim_message_get_is_excluded_from_unread_count (message);
  options->exclude_from_last_message = tim_message_get_is_excluded_from_last_message (message);
  enqueue (self, message, options, task, progress, progress_data);
}

gboolean
tim_client_resend_message_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_tim_client_resume_outbox (TimClient *self)
{
  g_autoptr (GPtrArray) ids = tim_local_store_outbox_list (self->store);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) record = tim_local_store_load_message (self->store, ids->pdata[i]);
      g_autoptr (JsonObject) options_json =
          tim_local_store_outbox_get_options (self->store, ids->pdata[i]);
      g_autoptr (TimMessage) loaded = record != NULL ? _tim_message_new_from_record (record) : NULL;
      TimMessage *accepted;
      OutboxItem *item;

      /* Gone, or sent meanwhile by another process on this data directory (it finished the
       * message between our listing and our reading): sending it again would keep it twice, as
       * a group message's record then holds the server's sequence, not the one it was sent
       * with, and the server's duplicate check would not know it. */
      if (loaded == NULL || tim_message_get_status (loaded) == TIM_MESSAGE_STATUS_SUCCESS)
        {
          tim_local_store_outbox_remove (self->store, ids->pdata[i], NULL);
          continue;
        }
      accepted = _tim_client_accept_message (self, loaded, FALSE);
      /* Still held from earlier in this process (logged out and in since), and its send ended
       * then, only the store could not take that end (a full disk): taken now, not sent again.
       * The message says what the record does not: answered, a group message has the group's
       * sequence in place of the ClientSeq it was sent with, which the server's duplicate check
       * does not know (kept twice); failed, cancelled by the user say, it is not to go. */
      if (tim_message_get_status (accepted) != TIM_MESSAGE_STATUS_UNSENT)
        {
          g_autoptr (GError) error = NULL;

          if (!_tim_client_outbox_save_end (self, accepted, &error))
            g_message ("Cannot store the end of the send of %s: %s", tim_message_get_id (accepted),
                       error->message);
          continue;
        }
      item = g_new0 (OutboxItem, 1);
      item->message = g_object_ref (accepted);
      item->options = options_from_json (options_json);
      /* No caller's: tim_client_cancel_send () stops it through this one. */
      item->cancellable = g_cancellable_new ();
      _tim_message_set_status (item->message, TIM_MESSAGE_STATUS_UNSENT);
      g_queue_push_tail (&self->outbox_queue, item);
    }
  if (ids->len > 0)
    g_info ("Resuming %u queued messages", ids->len);
  outbox_pump (self);
}

void
_tim_client_fail_orphaned_sends (TimClient *self)
{
  g_autoptr (GError) error = NULL;
  gint count = tim_local_store_fail_unsent_orphans (
      self->store, TIM_PENDING_SORT_BASE, TIM_ERROR_SEND_FAIL,
      _ ("Sending was cut short when the program stopped; send it again"), &error);

  if (count < 0)
    g_message ("Cannot check the local store for interrupted sends: %s", error->message);
  else if (count > 0)
    g_info ("%d interrupted sends marked failed", count);
}

void
_tim_client_outbox_pump (TimClient *self)
{
  outbox_pump (self);
}
