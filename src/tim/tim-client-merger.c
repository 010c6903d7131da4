/* tim-client-merger.c: merged messages, a chat history sent as one message (the Web SDK's
 * createMergerMessage and downloadMergerMessage, TIMRelayElem). The payload keeps the messages
 * (messageList, each as the SDK shows it) wherever they came from; a history too big to travel
 * inline goes up first (im_long_msg.save_relay_json_msg) and the message carries its key, which
 * a receiver fetches the messages with (im_long_msg.get_relay_json_msg), once. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

#define ABSTRACT_LINES 3
/* A line of the preview says what a message is about, not all of it: three whole long texts would
 * make the message too big to send even with its list on the server. */
#define ABSTRACT_CHARS 100

/* ---------------------------------------------------------------- creating */

static gboolean
can_merge (TimMessage *message, GError **error)
{
  if (!_tim_client_check_forwardable (message, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID, error))
    return FALSE;
  /* Its media must be on the server for the others to see them, and it must be in a history. */
  if (tim_message_get_status (message) != TIM_MESSAGE_STATUS_SUCCESS ||
      tim_message_get_online_only (message))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID,
                           _ ("Only messages that were sent can be forwarded together"));
      return FALSE;
    }
  return TRUE;
}

/* One messageList entry, the fields tim-js-sdk 2.27.6 gives a message it merges. */
static JsonObject *
entry_new (TimMessage *message)
{
  JsonObject *entry = json_object_new ();
  JsonArray *body = json_array_new ();
  JsonObject *part = json_object_new ();
  const char *to = tim_message_get_to (message);
  const char *type = tim_elem_type_to_string (tim_message_get_elem_type (message));

  json_object_set_string_member (entry, "from", tim_message_get_from (message));
  json_object_set_string_member (entry, "messageSender", tim_message_get_from (message));
  json_object_set_int_member (entry, "time", tim_message_get_time (message));
  json_object_set_int_member (entry, "messageSequence", tim_message_get_sequence (message));
  json_object_set_int_member (entry, "clientSequence", tim_message_get_sequence (message));
  json_object_set_int_member (entry, "messageRandom", tim_message_get_random (message));
  json_object_set_int_member (entry, "clientTime", tim_message_get_client_time (message));
  json_object_set_string_member (entry, "cloudCustomData",
                                 tim_message_get_cloud_custom_data (message) ?: "");
  json_object_set_string_member (entry, "ID", tim_message_get_id (message));
  json_object_set_string_member (entry, "nick", tim_message_get_sender_name (message));
  json_object_set_string_member (entry, "avatar", tim_message_get_avatar (message) ?: "");
  json_object_set_string_member (entry,
                                 tim_message_get_conversation_type (message) == TIM_CONV_GROUP
                                     ? "receiverGroupID"
                                     : "receiverUserID",
                                 to ?: "");
  json_object_set_string_member (entry, "messageReceiver", to ?: "");
  json_object_set_string_member (part, "type", type);
  json_object_set_object_member (part, "payload",
                                 tim_json_object_copy (tim_message_get_payload (message)));
  json_array_add_object_element (body, part);
  json_object_set_array_member (entry, "messageBody", body);
  return entry;
}

static char *
shorten (const char *text)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= ABSTRACT_CHARS)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, ABSTRACT_CHARS - 1);
  return g_strconcat (start, "…", NULL);
}

static JsonArray *
abstracts_new (GPtrArray *messages, const char *const *abstracts)
{
  JsonArray *list;

  if (abstracts != NULL)
    return tim_json_array_new_strings (abstracts);
  list = json_array_new ();
  for (guint i = 0; i < messages->len && i < ABSTRACT_LINES; i++)
    {
      TimMessage *message = g_ptr_array_index (messages, i);
      g_autofree char *summary = tim_message_dup_message_for_show (message);
      g_autofree char *shortened = shorten (summary != NULL ? summary : "");
      /* Translators: a line of a forwarded chat history's preview: a name, what they said. */
      g_autofree char *line =
          g_strdup_printf (_ ("%s: %s"), tim_message_get_sender_name (message), shortened);

      json_array_add_string_element (list, line);
    }
  return list;
}

/* The body the payload makes once its list is kept on the server: the title, preview lines and
 * compatible text, with a key. It must fit a message (80002), which is said here rather than
 * after the list was uploaded. */
static gboolean
keyed_body_fits (JsonObject *payload, GError **error)
{
  g_autoptr (JsonObject) keyed = tim_json_object_copy (payload);
  g_autoptr (JsonArray) body = json_array_new ();
  g_autofree char *key = g_strnfill (TIM_RELAY_KEY_LENGTH, '0');
  JsonObject *element;
  gsize size;

  json_object_set_string_member (keyed, "downloadKey", key);
  json_object_set_string_member (keyed, "pbDownloadKey", key);
  element = tim_elem_from_payload (TIM_ELEM_RELAY, keyed, error);
  if (element == NULL)
    return FALSE;
  json_array_add_object_element (body, element);
  size = tim_msg_body_serialized_size (body);
  if (size <= TIM_MAX_MSG_BODY_BYTES)
    return TRUE;
  g_set_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE,
               _ ("The chat history’s title and preview are too long (%lu bytes, at most %d)"),
               (unsigned long) size, TIM_MAX_MSG_BODY_BYTES);
  return FALSE;
}

TimMessage *
tim_client_create_merger_message (TimClient *self, const char *to, TimConvType type,
                                  GPtrArray *messages, const char *title,
                                  const char *const *abstracts, const char *compatible_text,
                                  GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (title != NULL ? title : ""));
  JsonObject *payload;
  JsonArray *entries;

  g_return_val_if_fail (TIM_IS_CLIENT (self), NULL);

  if (messages == NULL || messages->len == 0 || messages->len > TIM_MAX_MERGER_MESSAGES)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID,
                   _ ("Choose 1 to %d messages to forward together"), TIM_MAX_MERGER_MESSAGES);
      return NULL;
    }
  if (*stripped == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           _ ("A chat history needs a title"));
      return NULL;
    }
  for (guint i = 0; i < messages->len; i++)
    if (!can_merge (g_ptr_array_index (messages, i), error))
      return NULL;

  payload = json_object_new ();
  entries = json_array_new ();
  for (guint i = 0; i < messages->len; i++)
    json_array_add_object_element (entries, entry_new (g_ptr_array_index (messages, i)));
  json_object_set_string_member (payload, "title", title);
  json_object_set_array_member (payload, "abstractList", abstracts_new (messages, abstracts));
  json_object_set_string_member (payload, "compatibleText",
                                 compatible_text != NULL ? compatible_text : title);
  json_object_set_array_member (payload, "messageList", entries);
  json_object_set_string_member (payload, "downloadKey", "");
  json_object_set_string_member (payload, "pbDownloadKey", "");
  json_object_set_int_member (payload, "version", 0);
  json_object_set_boolean_member (payload, "layersOverLimit", FALSE);
  if (!keyed_body_fits (payload, error))
    {
      json_object_unref (payload);
      return NULL;
    }
  return _tim_client_new_message (self, to, type, TIM_ELEM_RELAY, payload);
}

/* ---------------------------------------------------------------- the list's wire form */

static gboolean
has_key (JsonObject *payload)
{
  const char *key = tim_json_get_string (payload, "downloadKey");

  return key != NULL && *key != '\0';
}

/* The MsgList items of what the payload keeps (empty when it keeps none). */
static JsonArray *
dup_wire_list (JsonObject *payload)
{
  g_autoptr (JsonObject) unkeyed = tim_json_object_copy (payload);
  g_autoptr (JsonObject) element = NULL;
  JsonArray *list;

  /* Without its key, the element carries the list inline. */
  json_object_set_string_member (unkeyed, "downloadKey", "");
  element = tim_elem_from_payload (TIM_ELEM_RELAY, unkeyed, NULL);
  list = element != NULL
             ? tim_json_get_array (tim_json_get_object (element, "MsgContent"), "MsgList")
             : NULL;
  return list != NULL ? json_array_ref (list) : json_array_new ();
}

gboolean
_tim_client_merger_needs_upload (TimMessage *message)
{
  g_autoptr (JsonArray) body = NULL;

  if (has_key (tim_message_get_payload (message)))
    return FALSE;
  body = _tim_message_dup_msg_body (message);
  return tim_msg_body_serialized_size (body) > TIM_MERGER_INLINE_MAX_BYTES;
}

/* ---------------------------------------------------------------- sending a big one */

typedef struct
{
  TimClient *client;
  OutboxItem *item;
} Saving;

static void
on_saved (JsonObject *reply, const GError *error, gpointer user_data)
{
  Saving *saving = user_data;
  g_autoptr (TimClient) self = saving->client;
  OutboxItem *item = saving->item;
  g_autoptr (JsonObject) payload = NULL;
  g_autoptr (GError) missing = NULL;
  const char *key, *pb_key;

  g_free (saving);
  key = reply != NULL ? tim_json_get_string (reply, "JsonMsgKey") : NULL;
  if (!item->abandoned && reply != NULL && (key == NULL || *key == '\0'))
    error = missing = g_error_new_literal (TIM_ERROR, TIM_ERROR_SEND_FAIL,
                                           _ ("The server did not keep the chat history"));
  if (item->abandoned || error != NULL)
    {
      _tim_client_outbox_item_failed (self, item, error);
      return;
    }
  pb_key = tim_json_get_string (reply, "PbMsgKey");
  payload = tim_json_object_copy (tim_message_get_payload (item->message));
  json_object_set_string_member (payload, "downloadKey", key);
  json_object_set_string_member (payload, "pbDownloadKey", pb_key != NULL ? pb_key : key);
  _tim_message_set_payload (item->message, payload);
  /* Remember the key: a crash from here on sends without saving the list again. */
  _tim_client_store_message (self, item->message);
  _tim_client_outbox_send_request (self, item);
}

void
_tim_client_merger_upload_then_send (TimClient *self, OutboxItem *item)
{
  g_autoptr (JsonObject) body = json_object_new ();
  Saving *saving = g_new0 (Saving, 1);

  json_object_set_array_member (body, "MsgList",
                                dup_wire_list (tim_message_get_payload (item->message)));
  saving->client = g_object_ref (self);
  saving->item = item;
  tim_transport_request (self->transport, "im_long_msg.save_relay_json_msg", body, 0,
                         item->cancellable, on_saved, saving);
}

/* ---------------------------------------------------------------- reading */

/* The messages the payload keeps, each a TimMessage of its own. */
static GPtrArray *
entries_of (TimClient *self, JsonObject *payload)
{
  g_autoptr (JsonArray) list = dup_wire_list (payload);
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (list, &i)) != NULL;)
    {
      TimMessage *entry = _tim_message_new_merged_entry (item, self->user);

      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  return entries;
}

static gboolean
keeps_messages (JsonObject *payload)
{
  JsonArray *list = tim_json_get_array (payload, "messageList");

  return list != NULL && json_array_get_length (list) > 0;
}

static void
on_downloaded (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  TimMessage *message = g_task_get_task_data (task);
  JsonArray *list = reply != NULL ? tim_json_get_array (reply, "MsgList") : NULL;
  g_autoptr (JsonObject) element = json_object_new ();
  JsonObject *content = json_object_new ();
  g_autoptr (JsonObject) fetched = NULL;
  g_autoptr (JsonObject) payload = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  if (list == NULL || json_array_get_length (list) == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_DOWNLOAD_FAIL,
                               _ ("The chat history could not be downloaded: %s"),
                               error != NULL ? error->message : _ ("the server sent nothing"));
      return;
    }
  /* The items read as a merged message's would. */
  json_object_set_string_member (element, "MsgType", "TIMRelayElem");
  json_object_set_object_member (element, "MsgContent", content);
  json_object_set_string_member (content, "Title", "");
  json_object_set_array_member (content, "MsgList", json_array_ref (list));
  fetched = tim_elem_to_payload (element, NULL);
  if (fetched == NULL || !keeps_messages (fetched))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_DOWNLOAD_FAIL, "%s",
                               _ ("The chat history the server sent cannot be read"));
      return;
    }
  /* Kept with the message (beside its key, which forwards still send): fetched once. */
  payload = tim_json_object_copy (tim_message_get_payload (message));
  json_object_set_member (payload, "messageList",
                          json_node_copy (json_object_get_member (fetched, "messageList")));
  _tim_message_set_payload (message, payload);
  _tim_client_store_message (self, message);
  g_task_return_pointer (task, entries_of (self, payload), (GDestroyNotify) g_ptr_array_unref);
}

void
tim_client_download_merger_message_async (TimClient *self, TimMessage *message,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;
  JsonObject *payload;

  g_return_if_fail (TIM_IS_MESSAGE (message));
  g_task_set_source_tag (task, tim_client_download_merger_message_async);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  payload = tim_message_get_payload (message);
  if (tim_message_get_elem_type (message) != TIM_ELEM_RELAY)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID, "%s",
                               _ ("This message is not a chat history"));
      return;
    }
  if (keeps_messages (payload))
    {
      g_task_return_pointer (task, entries_of (self, payload), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (!has_key (payload))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID, "%s",
                               _ ("This chat history has no messages to show"));
      return;
    }
  if (!_tim_client_check_logged_in (self, task))
    return;
  /* Offline, say so now rather than after the request's timeout: a UI tries again once the
   * client is connected. */
  if (tim_client_get_net_state (self) != TIM_NET_STATE_CONNECTED)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_DOWNLOAD_FAIL, "%s",
                               _ ("The chat history cannot be downloaded while offline"));
      return;
    }
  body = json_object_new ();
  json_object_set_string_member (body, "JsonMsgKey", tim_json_get_string (payload, "downloadKey"));
  tim_transport_request (self->transport, "im_long_msg.get_relay_json_msg", body, 0, cancellable,
                         on_downloaded, g_steal_pointer (&task));
}

GPtrArray *
tim_client_download_merger_message_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
