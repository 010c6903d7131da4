/* tim-client-registry.c: the messages and conversations a TimClient knows, each once: a message
 * object per ID while anyone holds it (so every model shows the same one), a conversation per
 * ID made on first mention, and the conversation's last message kept current. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-conversation-list.h"
#include "tim-error.h"

/* A live message was disposed: drop it from the ID table. Found through live_keys (the ID it was
 * interned under, which may no longer be its ID), not by scanning every live message. */

static void
forget_message (gpointer data, GObject *where_the_object_was)
{
  TimClient *self = data;
  const char *key = g_hash_table_lookup (self->live_keys, where_the_object_was);

  if (key == NULL)
    return;
  g_hash_table_remove (self->live_keys, where_the_object_was);
  g_hash_table_remove (self->live_messages, key); /* frees key */
}

TimMessage *
_tim_client_lookup_message (TimClient *self, const char *message_id)
{
  return message_id != NULL ? g_hash_table_lookup (self->live_messages, message_id) : NULL;
}

TimMessage *
_tim_client_intern_message (TimClient *self, TimMessage *message)
{
  const char *id = tim_message_get_id (message);
  TimMessage *known = _tim_client_lookup_message (self, id);
  char *key;

  if (known != NULL)
    return known;
  key = g_strdup (id);
  g_hash_table_insert (self->live_messages, key, message);
  g_hash_table_insert (self->live_keys, message, key);
  g_object_weak_ref (G_OBJECT (message), forget_message, self);
  return message;
}

void
_tim_client_rename_message (TimClient *self, TimMessage *message, const char *old_id)
{
  const char *id = tim_message_get_id (message);
  const char *conversation_id = tim_message_get_conversation_id (message);
  const char *key = g_hash_table_lookup (self->live_keys, message);
  TimMessageList *list = g_hash_table_lookup (self->message_lists, conversation_id);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  /* The weak reference stays: forget_message () finds the new key through live_keys. */
  if (key != NULL && _tim_client_lookup_message (self, id) == NULL)
    {
      char *renamed = g_strdup (id);

      g_hash_table_remove (self->live_keys, message);
      g_hash_table_remove (self->live_messages, key); /* frees key */
      g_hash_table_insert (self->live_messages, renamed, message);
      g_hash_table_insert (self->live_keys, message, renamed);
    }
  if (g_hash_table_remove (self->unsaved_messages, old_id))
    g_hash_table_add (self->unsaved_messages, g_strdup (id));
  if (list != NULL)
    _tim_message_list_rename (list, old_id, id);
  /* The conversation's copy (read from the store at login) or the message itself: its stored
   * record names the message, which the outbox knows by its new ID. */
  if (last != NULL && (last == message || g_strcmp0 (tim_message_get_id (last), old_id) == 0))
    {
      g_autofree char *for_show = tim_message_dup_message_for_show (message);

      _tim_conversation_set_last_message (conversation, message, for_show);
      _tim_client_save_conversation (self, conversation);
    }
}

TimConversation *
_tim_client_ensure_conversation (TimClient *self, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);

  if (conversation == NULL)
    {
      g_autoptr (TimConversation) created = _tim_conversation_new (conversation_id);

      _tim_conversation_set_message_remind_type (
          created, g_hash_table_lookup (self->unlisted_reminds, conversation_id));
      g_hash_table_remove (self->unlisted_reminds, conversation_id);
      _tim_client_take_kept_joined_group (self, created);
      _tim_client_take_draft (self, created);
      _tim_conversation_list_upsert (self->conversations, created);
      conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
      /* A new peer: whether they are online (all of the list's are followed at login). */
      if (self->ready && tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C)
        _tim_client_follow_peer (self, tim_conversation_get_peer (conversation));
      /* One deleted from the list and back (a new message) is in the folders it was in. */
      if (self->ready)
        _tim_client_refetch_folders_soon (self);
    }
  return conversation;
}

TimConversation *
_tim_client_ensure_conversation_named (TimClient *self, const char *conversation_id)
{
  gboolean known = tim_conversation_list_lookup (self->conversations, conversation_id) != NULL;
  TimConversation *conversation = _tim_client_ensure_conversation (self, conversation_id);

  /* As the Web SDK does: without it a group someone else made shows as its ID until the next
   * login's conversation list brings its name. */
  if (!known && tim_conversation_get_conversation_type (conversation) != TIM_CONV_SYSTEM)
    tim_client_get_conversation_profile_async (self, conversation_id, self->cancellable, NULL,
                                               NULL);
  return conversation;
}

TimConversation *
_tim_client_ensure_conversation_for_message (TimClient *self, TimMessage *message)
{
  return _tim_client_ensure_conversation_named (self, tim_message_get_conversation_id (message));
}

gboolean
_tim_client_check_logged_in (TimClient *self, GTask *task)
{
  /* Not while a logout runs either: a send asked for by a handler of what the logout tells on its
   * way ("not-ready", the list emptied) was queued in the outbox the logout had emptied, and the
   * next login on this client sent it, as whoever that was. */
  if (self->user != NULL && !self->logging_out)
    return TRUE;
  g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN, "%s",
                           tim_error_text (TIM_ERROR_NOT_LOGGED_IN));
  return FALSE;
}

/* Whether the conversation's last message is this message (same ID; the last may be a copy). */
static gboolean
last_is (TimConversation *conversation, TimMessage *message)
{
  TimMessage *last = tim_conversation_get_last_message (conversation);

  return last != NULL && g_strcmp0 (tim_message_get_id (last), tim_message_get_id (message)) == 0;
}

void
_tim_client_refresh_last_message (TimClient *self, TimMessage *message)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, tim_message_get_conversation_id (message));
  g_autofree char *for_show = NULL;

  if (conversation == NULL || !last_is (conversation, message))
    return;
  for_show = tim_message_dup_message_for_show (message);
  _tim_conversation_set_last_message (conversation, message, for_show);
  _tim_client_save_conversation (self, conversation);
}

/* Off the list and out of the stored list, with its draft; its messages stay, so a new message
 * brings the conversation back with them. */
void
_tim_client_forget_conversation (TimClient *self, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);

  /* Its messages may bring it back: muted, it must stay so. */
  if (conversation != NULL && tim_conversation_get_is_muted (conversation))
    g_hash_table_insert (self->unlisted_reminds, g_strdup (conversation_id),
                         (gpointer) tim_conversation_get_message_remind_type (conversation));
  _tim_conversation_list_remove (self->conversations, conversation_id);
  /* Left (a notice took it): what the joined-group list said of the group is no longer so. */
  g_hash_table_remove (self->unlisted_groups, conversation_id);
  if (self->store != NULL)
    {
      tim_local_store_delete_conversation (self->store, conversation_id, NULL);
      tim_local_store_set_draft (self->store, conversation_id, NULL, NULL);
    }
  g_signal_emit_by_name (self, "conversation-list-updated");
}

void
_tim_client_free_live_messages (TimClient *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live_messages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, forget_message, self);
  g_clear_pointer (&self->live_keys, g_hash_table_unref);
  g_clear_pointer (&self->live_messages, g_hash_table_unref);
}
