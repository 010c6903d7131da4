/* tim-message-list-held.c: what a TimMessageList keeps in memory. Every item is a slot with the
 * message's ID; the list holds at most max_held messages (the ones used last: appended, loaded,
 * or asked for). The others are let go of and reloaded by ID when asked for again (the client's
 * reload returns the live instance while anyone, e.g. a bound row, still has it, else reads the
 * store), so scrolling up through a long history does not keep all of it in memory. Positions and
 * items-changed are the same as if every message were held. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-message-list-private.h"

TimMessageListSlot *
_tim_message_list_slot_new (TimMessage *message)
{
  TimMessageListSlot *slot = g_new0 (TimMessageListSlot, 1);

  slot->id = g_strdup (tim_message_get_id (message));
  slot->link.data = slot;
  return slot;
}

void
_tim_message_list_slot_free (gpointer data)
{
  TimMessageListSlot *slot = data;

  g_clear_object (&slot->message);
  g_free (slot->id);
  g_free (slot);
}

void
_tim_message_list_trim_held (TimMessageList *self)
{
  guint kept = 0;
  GList *link = self->held.tail;

  if (self->max_held == 0 || self->reload == NULL)
    return;
  /* From the least recently used up; what cannot be reloaded (e.g. online-only: not in the
   * store) stays held, on top of max_held. */
  while (link != NULL && self->held.length > self->max_held + kept)
    {
      GList *newer = link->prev;
      TimMessageListSlot *slot = link->data;

      if (self->can_reload != NULL && !self->can_reload (self, slot->message))
        kept++;
      else
        {
          g_queue_unlink (&self->held, link);
          g_clear_object (&slot->message);
        }
      link = newer;
    }
}

/* Marks slot as just used, holding message in it if it was let go of. */
static void
hold (TimMessageList *self, TimMessageListSlot *slot, TimMessage *message)
{
  if (slot->message != NULL)
    {
      g_queue_unlink (&self->held, &slot->link);
      g_queue_push_head_link (&self->held, &slot->link);
      return;
    }
  slot->message = g_object_ref (message);
  g_queue_push_head_link (&self->held, &slot->link);
  _tim_message_list_trim_held (self);
}

TimMessage *
_tim_message_list_slot_get_message (TimMessageList *self, TimMessageListSlot *slot)
{
  g_autoptr (TimMessage) message = NULL;

  if (slot->message != NULL)
    {
      hold (self, slot, slot->message);
      return slot->message;
    }
  message = self->reload (self, slot->id);
  if (message == NULL)
    {
      /* Gone from the store too (not expected: a delete or a clear takes a message out of the
       * store and out of the open lists together): an item of unknown type keeps the positions
       * right. */
      g_autoptr (JsonObject) record = json_object_new ();

      g_warning ("Message %s of %s could not be reloaded", slot->id, self->conversation_id);
      json_object_set_string_member (record, "ID", slot->id);
      json_object_set_string_member (record, "conversationID", self->conversation_id);
      message = _tim_message_new_from_record (record);
    }
  hold (self, slot, message);
  return slot->message;
}

void
_tim_message_list_set_reload (TimMessageList *self, guint max_held, TimMessageListReload reload,
                              TimMessageListCanReload can_reload)
{
  g_return_if_fail (TIM_IS_MESSAGE_LIST (self));

  self->max_held = max_held;
  self->reload = reload;
  self->can_reload = can_reload;
  _tim_message_list_trim_held (self);
}

guint
_tim_message_list_get_n_held (TimMessageList *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), 0);
  return self->held.length;
}
