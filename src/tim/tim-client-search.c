/* tim-client-search.c: finding messages by what they say, in what this device has seen (the
 * local store's trigram index): the messages it has received, sent or paged through. A store
 * kept from before the index gets its older messages indexed in the background after login,
 * newest first; until then a search finds those not yet indexed. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-message-private.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
/* Rows indexed per idle: ~35 µs each on our 2-vCPU hosts, so a slice stays well inside a frame. */
#define INDEX_SLICE 200

static gboolean
index_slice (gpointer user_data)
{
  TimClient *self = user_data;

  if (self->store != NULL && tim_local_store_index_for_search (self->store, INDEX_SLICE))
    return G_SOURCE_CONTINUE;
  self->search_index_idle = 0;
  return G_SOURCE_REMOVE;
}

void
_tim_client_start_search_indexing (TimClient *self)
{
  if (self->search_index_idle == 0)
    self->search_index_idle = g_idle_add_full (G_PRIORITY_LOW, index_slice, self, NULL);
}

void
_tim_client_stop_search_indexing (TimClient *self)
{
  g_clear_handle_id (&self->search_index_idle, g_source_remove);
}

void
tim_client_search_messages_async (TimClient *self, const char *conversation_id, const char *keyword,
                                  guint limit, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *words = NULL;
  GPtrArray *found;

  g_return_if_fail (TIM_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_search_messages_async);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN, "%s",
                               tim_error_text (TIM_ERROR_NOT_LOGGED_IN));
      return;
    }
  words = g_strstrip (g_strdup (keyword != NULL ? keyword : ""));
  if (*words == '\0')
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("Type something to search for"));
      return;
    }
  /* One indexed query of at most MAX_LIMIT rows: quick enough to answer from here. */
  records = tim_local_store_search_messages (self->store, conversation_id, words,
                                             limit == 0 ? DEFAULT_LIMIT : MIN (limit, MAX_LIMIT));
  found = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr (TimMessage) loaded = _tim_message_new_from_record (records->pdata[i]);

      /* The instance a UI may hold already, so that what it shows and what was found agree. */
      if (loaded != NULL)
        g_ptr_array_add (found, g_object_ref (_tim_client_intern_message (self, loaded)));
    }
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
tim_client_search_messages_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
