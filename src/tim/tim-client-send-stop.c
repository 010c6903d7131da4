/* tim-client-send-stop.c: sends that end before they are sent (a logout empties the outbox, a
 * deletion drops a message from it, the app cancels one), and the waits for messages to leave the
 * outbox. Apart from tim-client-send.c, which puts messages in the outbox and starts each. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"

/* An item out of the queue: the one in flight is left to its request's or upload's callback,
 * which frees it (maybe at once, as the cancel stops it); any other goes now. */
static void
let_go (OutboxItem *item, gboolean in_flight)
{
  if (!in_flight)
    {
      _tim_client_outbox_item_free (item);
      return;
    }
  item->abandoned = TRUE;
  if (item->cancellable != NULL)
    g_cancellable_cancel (item->cancellable);
}

GPtrArray *
_tim_client_outbox_clear (TimClient *self)
{
  GPtrArray *tasks = g_ptr_array_new_with_free_func (g_object_unref);
  OutboxItem *in_flight = self->outbox_busy ? g_queue_peek_head (&self->outbox_queue) : NULL;
  GQueue queue = self->outbox_queue;
  OutboxItem *item;

  /* The whole queue out, and free, before any caller hears of it, as a send's end does
   * (_tim_client_outbox_finish_item ()); the callers are told by the caller of this, once the
   * account is gone. Told from this walk, with the account still there, a callback that sent
   * had its message taken into the queue being emptied, and the pump started the one queued
   * next, which the walk then freed with its request out. */
  g_queue_init (&self->outbox_queue);
  self->outbox_busy = FALSE;
  while ((item = g_queue_pop_head (&queue)) != NULL)
    {
      if (item->task != NULL)
        g_ptr_array_add (tasks, g_steal_pointer (&item->task));
      let_go (item, item == in_flight);
    }
  return tasks;
}

void
_tim_client_outbox_tell_cleared (TimClient *self, GPtrArray *tasks)
{
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_new_error (tasks->pdata[i], G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Logged out"));
  g_ptr_array_unref (tasks);
  _tim_client_outbox_left (self);
}

void
_tim_client_outbox_drop (TimClient *self, const char *message_id)
{
  for (GList *link = self->outbox_queue.head; link != NULL; link = link->next)
    {
      OutboxItem *item = link->data;
      gboolean in_flight;
      g_autoptr (GTask) task = NULL;

      if (g_strcmp0 (tim_message_get_id (item->message), message_id) != 0)
        continue;
      in_flight = self->outbox_busy && link == self->outbox_queue.head;
      /* Out of the queue, and the queue free, before its caller hears of it, as a send's end
       * (_tim_client_outbox_finish_item ()): the callback runs at once below and may log out,
       * delete or send. Still counted in flight, a logout took the message behind it for the one
       * in flight and left it to a request that did not exist (leaked), and the transport's end
       * of the request found this one not abandoned and ended it a second time. Its outbox entry
       * left the store with its record, in the caller's transaction. */
      g_queue_delete_link (&self->outbox_queue, link);
      if (in_flight)
        self->outbox_busy = FALSE;
      task = g_steal_pointer (&item->task);
      let_go (item, in_flight);
      if (task != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                                 _ ("The message was deleted before it was sent"));
      _tim_client_outbox_left (self);
      if (in_flight)
        _tim_client_outbox_pump (self);
      return;
    }
}

gboolean
tim_client_cancel_send (TimClient *self, TimMessage *message)
{
  g_return_val_if_fail (TIM_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  for (GList *link = self->outbox_queue.head; link != NULL; link = link->next)
    {
      OutboxItem *item = link->data;
      g_autoptr (GError) error = NULL;

      if (g_strcmp0 (tim_message_get_id (item->message), tim_message_get_id (message)) != 0)
        continue;
      g_cancellable_cancel (item->cancellable);
      /* The one under way ends as its upload or request stops, in their callback. */
      if (self->outbox_busy && link == self->outbox_queue.head)
        return TRUE;
      g_cancellable_set_error_if_cancelled (item->cancellable, &error);
      _tim_client_outbox_finish_item (self, item, error);
      return TRUE;
    }
  return FALSE;
}

/* ---------------------------------------------------------------- waiting for the outbox */

typedef struct
{
  GPtrArray *ids;     /* the messages waited for */
  GSource *cancelled; /* watches the caller's cancellable; NULL without one */
} Waiter;

static void
waiter_free (Waiter *waiter)
{
  g_ptr_array_unref (waiter->ids);
  if (waiter->cancelled != NULL)
    {
      g_source_destroy (waiter->cancelled);
      g_source_unref (waiter->cancelled);
    }
  g_free (waiter);
}

static gboolean
any_queued (TimClient *self, GPtrArray *ids)
{
  for (GList *link = self->outbox_queue.head; link != NULL; link = link->next)
    {
      OutboxItem *item = link->data;

      if (g_ptr_array_find_with_equal_func (ids, tim_message_get_id (item->message), g_str_equal,
                                            NULL))
        return TRUE;
    }
  return FALSE;
}

void
_tim_client_outbox_left (TimClient *self)
{
  GList *link = self->outbox_waiters;

  while (link != NULL)
    {
      GList *next = link->next;
      GTask *task = link->data;
      Waiter *waiter = g_task_get_task_data (task);

      if (!any_queued (self, waiter->ids))
        {
          self->outbox_waiters = g_list_delete_link (self->outbox_waiters, link);
          if (waiter->cancelled != NULL)
            g_source_destroy (waiter->cancelled);
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
        }
      link = next;
    }
}

/* The caller gave up: its wait ends now, cancelled, not when the messages leave the outbox
 * (which, offline, may be never). The messages go on. */
static gboolean
on_wait_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  TimClient *self = g_task_get_source_object (task);

  self->outbox_waiters = g_list_remove (self->outbox_waiters, task);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

void
tim_client_wait_outbox_async (TimClient *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Waiter *waiter;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_wait_outbox_async);
  /* By ID, not by item: the queue's items are freed as they go. Those queued later are not
   * waited for, so a waiter is not held up by every send after it. */
  waiter = g_new0 (Waiter, 1);
  waiter->ids = g_ptr_array_new_with_free_func (g_free);
  for (GList *link = self->outbox_queue.head; link != NULL; link = link->next)
    g_ptr_array_add (waiter->ids,
                     g_strdup (tim_message_get_id (((OutboxItem *) link->data)->message)));
  g_task_set_task_data (task, waiter, (GDestroyNotify) waiter_free);
  if (waiter->ids->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* A source, not a "cancelled" handler: the wait ends from the main loop, never inside the
   * cancel () of a caller that may hold its own state half-changed. */
  if (cancellable != NULL)
    {
      waiter->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancelled, G_SOURCE_FUNC (on_wait_cancelled), task, NULL);
      g_source_attach (waiter->cancelled, g_task_get_context (task));
    }
  self->outbox_waiters = g_list_prepend (self->outbox_waiters, task);
}

gboolean
tim_client_wait_outbox_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
