/* tim-message-list-load.c: a TimMessageList's older pages, from the loader the client gives at
 * construction (the seed's getMessageList with nextReqMessageID = our oldest message's ID); calls
 * made while a load is in flight join it, and a reload starts again from the newest page. Apart
 * from tim-message-list.c, which keeps the model and puts each page on top. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-error.h"
#include "tim-message-list-private.h"

/* ---- loading older pages ---- */

static void on_page_loaded (GObject *source, GAsyncResult *result, gpointer user_data);

/* Loads the page older than oldest_id (NULL: the newest). */
static void
start_load (TimMessageList *self, const char *oldest_id)
{
  _tim_message_list_set_boolean (self, &self->is_loading, TRUE, PROP_IS_LOADING);
  self->loading_generation = self->generation;
  self->loader (self, oldest_id, self->cancellable, on_page_loaded, g_object_ref (self));
}

static void
on_page_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimMessageList) self = user_data;
  g_autoptr (GPtrArray) waiters = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *next_req_message_id = NULL;
  gboolean is_completed = FALSE;

  page = self->loader_finish (result, &next_req_message_id, &is_completed, &error);
  if (self->is_detached)
    {
      g_clear_pointer (&page, g_ptr_array_unref);
      g_clear_error (&error);
      g_set_error_literal (&error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN,
                           tim_error_text (TIM_ERROR_NOT_LOGGED_IN));
    }
  else if (self->items != NULL && self->loading_generation != self->generation)
    {
      /* Reloaded meanwhile: the page was for what is gone. The waiters wait for the new one. */
      start_load (self, NULL);
      return;
    }
  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);

  if (page == NULL && error == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "The loader returned no page");
  if (error == NULL && self->items == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The list was disposed");
  if (error == NULL)
    _tim_message_list_prepend_page (self, page, is_completed);
  _tim_message_list_set_boolean (self, &self->is_loading, FALSE, PROP_IS_LOADING);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
tim_message_list_load_older_async (TimMessageList *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  const char *oldest_id = NULL;

  g_return_if_fail (TIM_IS_MESSAGE_LIST (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_message_list_load_older_async);

  if (self->is_completed)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->is_detached)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN, "%s",
                               tim_error_text (TIM_ERROR_NOT_LOGGED_IN));
      return;
    }
  if (self->loader == NULL || self->loader_finish == NULL || self->items == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "This message list cannot load older messages");
      return;
    }

  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  if (self->is_loading)
    return; /* joins the load in flight */

  if (self->items->len > 0)
    oldest_id = ((TimMessageListSlot *) g_ptr_array_index (self->items, 0))->id;
  start_load (self, oldest_id);
}

gboolean
tim_message_list_load_older_finish (TimMessageList *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (
      g_task_get_source_tag (G_TASK (result)) == tim_message_list_load_older_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_tim_message_list_reload (TimMessageList *self)
{
  g_return_if_fail (TIM_IS_MESSAGE_LIST (self));

  if (self->items == NULL || self->loader == NULL || self->loader_finish == NULL)
    return;
  _tim_message_list_remove_up_to (self, G_MAXINT64);
  self->generation++;
  _tim_message_list_set_boolean (self, &self->is_completed, FALSE, PROP_IS_COMPLETED);
  if (!self->is_loading)
    start_load (self, NULL);
}
