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
/* Reads of the list, at most: the first, and those begun again because a change was pushed
 * meanwhile (page_done ()). */
#define ATTEMPTS 3

static void
emit_updated (TimClient *self)
{
  g_signal_emit_by_name (self, "blocklist-updated");
}

/* Adds (or, with blocked FALSE, removes) each user of a push; tells once if any changed. Each
 * push is counted, and when it came kept for its users: a read of the list that was under way
 * takes it over its pages (page_done ()). */
static void
apply (TimClient *self, JsonArray *users, gboolean blocked)
{
  gboolean changed = FALSE;

  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    {
      const char *user_id = tim_json_array_get_string (users, i);

      if (user_id == NULL)
        continue;
      if (self->blocklist_pushed == NULL)
        self->blocklist_pushed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->blocklist_pushed, g_strdup (user_id),
                           GUINT_TO_POINTER (++self->blocklist_pushes));
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

/* A read of the list, page by page. */
typedef struct
{
  GHashTable *read; /* the users of the pages so far */
  guint pushes;     /* self->blocklist_pushes when its first page was asked for */
  guint attempts;
} ListRead;

static void
list_read_free (ListRead *list)
{
  g_hash_table_unref (list->read);
  g_free (list);
}

static void request_page (TimClient *self, GTask *task, gint64 start);

static void
read_from_start (TimClient *self, GTask *task)
{
  ListRead *list = g_task_get_task_data (task);

  g_hash_table_remove_all (list->read);
  list->pushes = self->blocklist_pushes;
  list->attempts++;
  request_page (self, task, 0);
}

static void
page_done (TimClient *self, GTask *task, JsonObject *reply)
{
  ListRead *list = g_task_get_task_data (task);
  JsonArray *items = tim_json_get_array (reply, "BlackListItem");
  gint64 next = tim_json_get_int_or (reply, "StartIndex", 0);
  GHashTableIter iter;
  gpointer user_id, pushed;
  gboolean changed;
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      const char *one = tim_json_get_string (item, "To_Account");

      if (one != NULL)
        g_hash_table_add (list->read, g_strdup (one));
    }
  /* A change pushed meanwhile (this device's own or another's) is applied already, and may have
   * moved the entries of the pages still to come: the list is oldest first and paged by index,
   * so an unblock takes its user out and those after it up by one, and the next page would pass
   * one over (docs/protocol.md). The list is read again from its first page. */
  if (self->blocklist_pushes != list->pushes && list->attempts < ATTEMPTS)
    {
      read_from_start (self, task);
      return;
    }
  if (next > 0 && items != NULL && json_array_get_length (items) > 0)
    {
      request_page (self, task, next);
      return;
    }
  /* The whole list replaces what was known, but for a user whose change was pushed while it was
   * read (when changes kept coming): the push is newer than the page. */
  if (self->blocklist_pushed != NULL)
    {
      g_hash_table_iter_init (&iter, self->blocklist_pushed);
      while (g_hash_table_iter_next (&iter, &user_id, &pushed))
        {
          if (GPOINTER_TO_UINT (pushed) <= list->pushes)
            continue;
          if (g_hash_table_contains (self->blocked, user_id))
            g_hash_table_add (list->read, g_strdup (user_id));
          else
            g_hash_table_remove (list->read, user_id);
        }
    }
  changed = g_hash_table_size (list->read) != g_hash_table_size (self->blocked);
  g_hash_table_iter_init (&iter, list->read);
  while (!changed && g_hash_table_iter_next (&iter, &user_id, NULL))
    changed = !g_hash_table_contains (self->blocked, user_id);
  if (changed)
    {
      g_hash_table_remove_all (self->blocked);
      g_hash_table_iter_init (&iter, list->read);
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
  ListRead *list;

  g_return_if_fail (TIM_IS_CLIENT (self));

  list = g_new0 (ListRead, 1);
  list->read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_source_tag (task, tim_client_get_blocklist_async);
  g_task_set_task_data (task, list, (GDestroyNotify) list_read_free);
  if (!_tim_client_check_logged_in (self, task))
    return;
  read_from_start (self, task);
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
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
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
