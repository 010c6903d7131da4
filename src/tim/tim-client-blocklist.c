/* tim-client-blocklist.c: the Web SDK's blacklist (getBlacklist, addToBlacklist,
 * removeFromBlacklist, BLACKLIST_UPDATED): the users the signed-in user blocked, who cannot send
 * them one-to-one messages (their sends fail with TIM_ERROR_MSG_IN_PEER_BLACKLIST). The list is
 * read at every login, and kept current by the server's FriendListMod pushes, which reach every
 * device of the user, this one too: a change is applied when its push comes, as the SDK does. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

#define PAGE 100

static void
emit_updated (TimClient *self)
{
  g_signal_emit_by_name (self, "blocklist-updated");
}

/* Adds (or, with blocked FALSE, removes) each user of a push or a reply; tells once if any
 * changed. */
static void
apply (TimClient *self, JsonArray *users, gboolean blocked)
{
  gboolean changed = FALSE;

  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    {
      const char *user_id = tim_json_array_get_string (users, i);

      if (user_id == NULL)
        continue;
      changed |= blocked ? g_hash_table_add (self->blocked, g_strdup (user_id))
                         : g_hash_table_remove (self->blocked, user_id);
    }
  if (changed)
    emit_updated (self);
}

void
_tim_client_take_friend_list_change (TimClient *self, JsonObject *change)
{
  apply (self, tim_json_get_array (change, "BlackListAddAccount"), TRUE);
  apply (self, tim_json_get_array (change, "BlackListDelAccount"), FALSE);
}

/* ---------------------------------------------------------------- reading the list */

static void request_page (TimClient *self, GTask *task, gint64 start);

static void
page_done (TimClient *self, GTask *task, JsonObject *reply)
{
  GHashTable *read = g_task_get_task_data (task); /* the users of the pages so far */
  JsonArray *items = tim_json_get_array (reply, "BlackListItem");
  gint64 next = tim_json_get_int_or (reply, "StartIndex", 0);
  GHashTableIter iter;
  gpointer user_id;
  gboolean changed;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      const char *one = tim_json_get_string (tim_json_array_get_object (items, i), "To_Account");

      if (one != NULL)
        g_hash_table_add (read, g_strdup (one));
    }
  if (next > 0 && items != NULL && json_array_get_length (items) > 0)
    {
      request_page (self, task, next);
      return;
    }
  /* The whole list replaces what was known. */
  changed = g_hash_table_size (read) != g_hash_table_size (self->blocked);
  g_hash_table_iter_init (&iter, read);
  while (!changed && g_hash_table_iter_next (&iter, &user_id, NULL))
    changed = !g_hash_table_contains (self->blocked, user_id);
  if (changed)
    {
      g_hash_table_remove_all (self->blocked);
      g_hash_table_iter_init (&iter, read);
      while (g_hash_table_iter_next (&iter, &user_id, NULL))
        g_hash_table_add (self->blocked, g_strdup (user_id));
      emit_updated (self);
    }
  g_task_return_boolean (task, TRUE);
}

static void
request_page (TimClient *self, GTask *task, gint64 start)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "From_Account", self->user ? self->user : "");
  json_object_set_int_member (body, "StartIndex", start);
  json_object_set_int_member (body, "MaxLimited", PAGE);
  json_object_set_int_member (body, "LastSequence", 0);
  _tim_client_request (self, task, "sns.black_list_get", body, page_done);
}

void
tim_client_get_blocklist_async (TimClient *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (TIM_IS_CLIENT (self));

  g_task_set_source_tag (task, tim_client_get_blocklist_async);
  g_task_set_task_data (task, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                        (GDestroyNotify) g_hash_table_unref);
  if (!_tim_client_check_logged_in (self, task))
    return;
  request_page (self, task, 0);
}

GStrv
tim_client_get_blocklist_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return tim_client_dup_blocklist (self);
}

void
_tim_client_fetch_blocklist (TimClient *self)
{
  tim_client_get_blocklist_async (self, self->cancellable, NULL, NULL);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

GStrv
tim_client_dup_blocklist (TimClient *self)
{
  g_autoptr (GPtrArray) users = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer user_id;

  g_return_val_if_fail (TIM_IS_CLIENT (self), NULL);

  g_hash_table_iter_init (&iter, self->blocked);
  while (g_hash_table_iter_next (&iter, &user_id, NULL))
    g_ptr_array_add (users, g_strdup (user_id));
  g_ptr_array_sort (users, compare_strings);
  g_ptr_array_add (users, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&users), FALSE);
}

gboolean
tim_client_is_blocked (TimClient *self, const char *user_id)
{
  g_return_val_if_fail (TIM_IS_CLIENT (self), FALSE);
  return user_id != NULL && g_hash_table_contains (self->blocked, user_id);
}

/* ---------------------------------------------------------------- adding, removing */

/* The first item the server could not do fails the call, naming its user; the others were done. */
static void
change_done (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonArray *items = tim_json_get_array (reply, "ResultItem");

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      gint64 code = tim_json_get_int_or (item, "ResultCode", 0);

      if (code != 0)
        {
          g_task_return_new_error (task, TIM_ERROR, (int) code, "%s: %s",
                                   tim_json_get_string (item, "To_Account"),
                                   tim_error_text ((int) code));
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
change (TimClient *self, const char *const *user_ids, gboolean blocking, GCancellable *cancellable,
        GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *users = json_array_new ();

  g_task_set_source_tag (task, source_tag);
  json_object_set_array_member (body, "To_Account", users);
  if (!_tim_client_check_logged_in (self, task) ||
      !_tim_client_check_user_ids (task, user_ids, TIM_BLOCKLIST_MAX_CHANGE))
    return;
  for (guint i = 0; user_ids[i] != NULL; i++)
    {
      /* The SDK's own check, before anything is sent. */
      if (blocking && g_strcmp0 (user_ids[i], self->user) == 0)
        {
          g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_CANNOT_ADD_SELF_TO_BLACKLIST, "%s",
                                   tim_error_text (TIM_ERROR_CANNOT_ADD_SELF_TO_BLACKLIST));
          return;
        }
      json_array_add_string_element (users, user_ids[i]);
    }
  json_object_set_string_member (body, "From_Account", self->user);
  _tim_client_request (self, task, blocking ? "sns.black_list_add" : "sns.black_list_delete", body,
                       change_done);
}

void
tim_client_add_to_blocklist_async (TimClient *self, const char *const *user_ids,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_return_if_fail (TIM_IS_CLIENT (self));
  change (self, user_ids, TRUE, cancellable, callback, user_data,
          tim_client_add_to_blocklist_async);
}

gboolean
tim_client_add_to_blocklist_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tim_client_remove_from_blocklist_async (TimClient *self, const char *const *user_ids,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (TIM_IS_CLIENT (self));
  change (self, user_ids, FALSE, cancellable, callback, user_data,
          tim_client_remove_from_blocklist_async);
}

gboolean
tim_client_remove_from_blocklist_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
