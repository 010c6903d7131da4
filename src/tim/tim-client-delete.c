/* tim-client-delete.c: deleting messages for oneself (the Web SDK's deleteMessage): gone from
 * this device (its store, its lists, the conversation's last message) and from the user's
 * history on the server (openim.delete_c2c_msg_ramble, group_open_http_svc.
 * delete_group_ramble_msg_by_seq), so the user's other devices no longer page them in; the others
 * in the conversation keep them. A conversation with unread messages is read first. The server
 * tells the user's other devices (TimchatMsgDeleteNotify, pushed or at their next sync), and they
 * drop their copies the same way. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* The SDK's limit for a call. */
#define MAX_DELETE 30

typedef struct
{
  char *conversation_id;
  GPtrArray *messages; /* TimMessage */
} Deleting;

static void
deleting_free (Deleting *deleting)
{
  g_free (deleting->conversation_id);
  g_ptr_array_unref (deleting->messages);
  g_free (deleting);
}

#define LAST_CANDIDATES_PAGE 20

/* The newest message of conversation_id this device still has that may be a last message: not
 * one its sender excluded (NoLastMsg), which an arriving message never becomes either. */
static TimMessage *
load_newest_for_last (TimClient *self, const char *conversation_id)
{
  gint64 before_sort_key = 0;

  for (;;)
    {
      gint64 page_start = before_sort_key;
      g_autoptr (GPtrArray) page = tim_local_store_load_messages (
          self->store, conversation_id, before_sort_key, LAST_CANDIDATES_PAGE);

      for (guint i = 0; i < page->len; i++)
        {
          g_autoptr (TimMessage) loaded = _tim_message_new_from_record (page->pdata[i]);

          if (!tim_message_get_is_excluded_from_last_message (loaded))
            return g_steal_pointer (&loaded);
          before_sort_key = _tim_message_sort_key (loaded);
        }
      /* A record whose sort key is not its message's would page the same rows forever. */
      if (page->len < LAST_CANDIDATES_PAGE || (page_start != 0 && before_sort_key >= page_start))
        return NULL;
    }
}

/* The conversation's last message after a deletion: the newest this device still has. */
void
_tim_client_update_last_message (TimClient *self, TimConversation *conversation)
{
  TimMessage *last = tim_conversation_get_last_message (conversation);
  g_autoptr (JsonObject) kept = NULL;
  g_autoptr (TimMessage) loaded = NULL;

  if (last == NULL || self->store == NULL ||
      (kept = tim_local_store_load_message (self->store, tim_message_get_id (last))) != NULL)
    return;
  loaded = load_newest_for_last (self, tim_conversation_get_id (conversation));
  _tim_conversation_set_last_message (
      conversation, loaded != NULL ? _tim_client_intern_message (self, loaded) : NULL, NULL);
  /* An older last message is an older last time: the list orders by it, so the conversation
   * takes its place again (below one whose last message is newer, as a restart lists it). */
  _tim_conversation_list_upsert (self->conversations, conversation);
  _tim_client_save_conversation (self, conversation);
}

/* The store's part of forgetting messages (TimMessage): each one's record and outbox entry. */
static gboolean
forget_stored (TimLocalStore *store, gpointer user_data, GError **error)
{
  GPtrArray *messages = user_data;

  for (guint i = 0; i < messages->len; i++)
    {
      const char *id = tim_message_get_id (messages->pdata[i]);

      if (!tim_local_store_outbox_remove (store, id, error) ||
          !tim_local_store_delete_message (store, id, error))
        return FALSE;
    }
  return TRUE;
}

/* The messages (TimMessage: those of this device, or copies that name them) of conversation_id
 * leave this device; "message-deleted" tells of them (the instances the lists held, when they
 * held them). The store forgets them first, records and outbox entries in one transaction: in
 * two commits, a stop between them left a queued message's record without its entry, and the
 * next start offered it as "failed, send it again"; a failed write went unnoticed and the
 * "deleted" message was sent at the next start. When the store cannot, nothing changes here
 * (still shown, still queued) and error says why. */
static gboolean
forget_messages (TimClient *self, const char *conversation_id, GPtrArray *messages, GError **error)
{
  TimMessageList *found_list = g_hash_table_lookup (self->message_lists, conversation_id);
  TimConversation *found = tim_conversation_list_lookup (self->conversations, conversation_id);
  /* Held: a dropped send's caller hears of it at once, from the loop below, and may log out,
   * which lets go of every list and conversation of the account. */
  g_autoptr (TimMessageList) list = found_list != NULL ? g_object_ref (found_list) : NULL;
  g_autoptr (TimConversation) conversation = found != NULL ? g_object_ref (found) : NULL;
  g_autoptr (GPtrArray) deleted = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->store != NULL &&
      !tim_local_store_run_in_transaction (self->store, forget_stored, messages, error))
    return FALSE;
  /* One still queued for the list (come in the same read as the notice) goes in first, so that
   * it is taken out with the others: queued, it was put in after, a deleted message shown. */
  _tim_client_flush_appends (self);
  for (guint i = 0; i < messages->len; i++)
    {
      const char *id = tim_message_get_id (messages->pdata[i]);
      TimMessage *live = _tim_client_lookup_message (self, id);

      g_ptr_array_add (deleted, g_object_ref (live != NULL ? live : messages->pdata[i]));
      /* Not sent yet: it must not go out after all. */
      _tim_client_outbox_drop (self, id);
      if (list != NULL)
        _tim_message_list_remove (list, id);
    }
  if (conversation != NULL)
    _tim_client_update_last_message (self, conversation);
  _tim_client_emit_messages (self, "message-deleted", deleted);
  return TRUE;
}

/* Returns the task: the deletion done here, or why the store could not. */
static void
delete_here (TimClient *self, GTask *task)
{
  Deleting *deleting = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!forget_messages (self, deleting->conversation_id, deleting->messages, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* items: C2C (group) wire items of messages the user deleted on another device. */
static void
forget_items (TimClient *self, JsonArray *items, gboolean group)
{
  g_autoptr (GHashTable) by_conversation =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer key, value;
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      TimMessage *message = group ? _tim_message_new_from_group_wire (item, self->user)
                                  : _tim_message_new_from_c2c_wire (item, self->user);
      const char *conversation_id =
          message != NULL ? tim_message_get_conversation_id (message) : NULL;
      GPtrArray *messages;

      if (conversation_id == NULL)
        {
          g_clear_object (&message);
          continue;
        }
      messages = g_hash_table_lookup (by_conversation, conversation_id);
      if (messages == NULL)
        {
          messages = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (by_conversation, g_strdup (conversation_id), messages);
        }
      g_ptr_array_add (messages, message);
    }

  g_hash_table_iter_init (&iter, by_conversation);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr (GError) error = NULL;

      /* Nobody to tell but the log: this device keeps them until the next notice or deletion. */
      if (!forget_messages (self, key, value, &error))
        g_warning ("Cannot delete here the messages of %s deleted on another device: %s",
                   (const char *) key, error->message);
    }
}

void
_tim_client_take_delete_notice (TimClient *self, JsonObject *notice)
{
  forget_items (self, tim_json_get_array (notice, "C2cMsgList"), FALSE);
  forget_items (self, tim_json_get_array (notice, "GroupMsgList"), TRUE);
}

static void
on_read_before_delete (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!tim_client_set_message_read_finish (TIM_CLIENT (source), result, &error))
    g_warning ("Could not mark read what was deleted: %s", error->message);
  delete_here (TIM_CLIENT (source), task);
}

/* Deleting reads the conversation first, while its newest message is still the last one here:
 * read afterwards, the read mark would stop at the newest message left, and what was deleted
 * would count as unread for good, where nobody can see it. */
static void
deleted_on_server (TimClient *self, GTask *task, JsonObject *reply)
{
  Deleting *deleting = g_task_get_task_data (task);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, deleting->conversation_id);

  if (reply != NULL && conversation != NULL && tim_conversation_get_unread_count (conversation) > 0)
    {
      tim_client_set_message_read_async (self, deleting->conversation_id, NULL,
                                         on_read_before_delete, g_object_ref (task));
      return;
    }
  delete_here (self, task);
}

/* What names a message to the server: C2C "MsgSeq_MsgRandom_MsgTimeStamp", a group's sequence.
 * NULL for one the server never kept (not sent, or online-only). */
static char *
server_key (TimMessage *message, TimConvType type)
{
  if (tim_message_get_status (message) != TIM_MESSAGE_STATUS_SUCCESS ||
      tim_message_get_online_only (message))
    return NULL;
  if (type == TIM_CONV_GROUP)
    return g_strdup_printf ("%" G_GINT64_FORMAT, tim_message_get_sequence (message));
  return g_strdup_printf ("%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT,
                          tim_message_get_sequence (message), tim_message_get_random (message),
                          tim_message_get_time (message));
}

static gboolean
check_messages (GTask *task, GPtrArray *messages, const char **conversation_id)
{
  *conversation_id = messages != NULL && messages->len > 0
                         ? tim_message_get_conversation_id (messages->pdata[0])
                         : NULL;
  if (*conversation_id == NULL || messages->len > MAX_DELETE)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("Delete 1 to %d messages at a time"), MAX_DELETE);
      return FALSE;
    }
  for (guint i = 1; i < messages->len; i++)
    if (g_strcmp0 (tim_message_get_conversation_id (messages->pdata[i]), *conversation_id) != 0)
      {
        g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                                 _ ("The messages to delete are of one conversation"));
        return FALSE;
      }
  if (g_strcmp0 (*conversation_id, TIM_SYSTEM_CONVERSATION_ID) == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_CANNOT_DELETE_GROUP_SYSTEM_NOTICE, "%s",
                               _ ("Group notices cannot be deleted"));
      return FALSE;
    }
  return TRUE;
}

void
tim_client_delete_messages_async (TimClient *self, GPtrArray *messages, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonArray) keys = json_array_new ();
  const char *conversation_id = NULL, *peer = NULL;
  Deleting *deleting;
  TimConvType type;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_delete_messages_async);
  if (!check_messages (task, messages, &conversation_id) ||
      !_tim_client_check_conversation (task, conversation_id, &type, &peer))
    return;
  deleting = g_new0 (Deleting, 1);
  deleting->conversation_id = g_strdup (conversation_id);
  deleting->messages = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < messages->len; i++)
    {
      g_autofree char *key = server_key (messages->pdata[i], type);

      g_ptr_array_add (deleting->messages, g_object_ref (messages->pdata[i]));
      if (key != NULL)
        json_array_add_string_element (keys, key);
    }
  g_task_set_task_data (task, deleting, (GDestroyNotify) deleting_free);
  /* Only here: nothing of it is on the server. */
  if (json_array_get_length (keys) == 0)
    {
      deleted_on_server (self, task, NULL);
      return;
    }
  if (!_tim_client_check_logged_in (self, task))
    return;
  if (type == TIM_CONV_GROUP)
    {
      json_object_set_string_member (body, "GroupId", peer);
      json_object_set_string_member (body, "Deleter_Account", self->user);
      json_object_set_array_member (body, "Seqs", g_steal_pointer (&keys));
      _tim_client_request (self, task, "group_open_http_svc.delete_group_ramble_msg_by_seq", body,
                           deleted_on_server);
      return;
    }
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_string_member (body, "To_Account", peer);
  json_object_set_array_member (body, "MsgKeyList", g_steal_pointer (&keys));
  _tim_client_request (self, task, "openim.delete_c2c_msg_ramble", body, deleted_on_server);
}

gboolean
tim_client_delete_messages_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
