/* tim-client-subscribe.c: the app's own subscriptions to whether users are online (the Web SDK's
 * subscribeUserStatus and unsubscribeUserStatus). They are counted a user, so that two parts of
 * an app may follow one user, and followed again with the list's one-to-one peers after each
 * login (tim-client-presence.c), the server forgetting whom a user followed when they were away.
 * A subscription counts from the call, so that an unsubscribe made before the server answers
 * undoes it. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* The SDK's limit, and the server's, a request. */
#define MAX_A_CALL 100

void
_tim_subscription_free (TimSubscription *subscription)
{
  g_free (subscription->custom_status);
  g_free (subscription);
}

/* Adds one subscription of user; or (undo) takes one away, returning TRUE when it was the last. */
static gboolean
count_subscription (TimClient *self, const char *user, gboolean undo)
{
  TimSubscription *subscription = g_hash_table_lookup (self->subscribed, user);

  if (!undo)
    {
      if (subscription == NULL)
        {
          subscription = g_new0 (TimSubscription, 1);
          g_hash_table_insert (self->subscribed, g_strdup (user), subscription);
        }
      subscription->count++;
      return FALSE;
    }
  if (subscription == NULL || --subscription->count > 0)
    return FALSE;
  g_hash_table_remove (self->subscribed, user);
  return TRUE;
}

/* A subscribe call: the users asked, why the server would not follow some (user -> code), and
 * the others. */
typedef struct
{
  GStrv asked;
  GHashTable *refused;
  GStrv followed;
} SubscribeCall;

static void
subscribe_call_free (SubscribeCall *call)
{
  g_strfreev (call->asked);
  g_hash_table_unref (call->refused);
  g_strfreev (call->followed);
  g_free (call);
}

/* Their statuses now: the refused, not asked about, are unknown and say why. A call that fails
 * here subscribes nobody either. */
static void
on_statuses (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  SubscribeCall *call = g_task_get_task_data (task);
  GPtrArray *infos;

  if (reply == NULL)
    {
      tim_client_unsubscribe_user_status (self, (const char *const *) call->followed);
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  infos = _tim_client_user_status_infos (self, (const char *const *) call->asked, reply);

  for (guint i = 0; i < infos->len; i++)
    {
      TimUserStatusInfo *info = infos->pdata[i];

      info->error_code = GPOINTER_TO_INT (g_hash_table_lookup (call->refused, info->user_id));
    }
  g_task_return_pointer (task, infos, (GDestroyNotify) g_ptr_array_unref);
}

/* The ws_status_subscribe reply: whom the server would not follow (its ErrorList) are not
 * subscribed; the others' statuses are asked, after the following so that no change falls
 * between the two. */
static void
on_subscribed (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  SubscribeCall *call = g_task_get_task_data (task);
  JsonArray *errors = reply != NULL ? tim_json_get_array (reply, "ErrorList") : NULL;
  g_autoptr (GStrvBuilder) followed = g_strv_builder_new ();
  g_autoptr (JsonObject) body = NULL;
  const char *first_refused = NULL;
  GCancellable *cancellable;
  JsonObject *item;

  /* Whether the server follows them is not known (a timeout, say): it is told not to. */
  if (reply == NULL)
    {
      tim_client_unsubscribe_user_status (self, (const char *const *) call->asked);
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  for (guint i = 0; (item = tim_json_array_next_object (errors, &i)) != NULL;)
    {
      const char *user = tim_json_get_string (item, "To_Account");
      int code = (int) tim_json_get_int_or (item, "ErrorCode", TIM_ERROR_INVALID_PARAMETER);

      if (user == NULL || !g_strv_contains ((const char *const *) call->asked, user))
        continue;
      g_hash_table_insert (call->refused, g_strdup (user),
                           GINT_TO_POINTER (code != 0 ? code : TIM_ERROR_INVALID_PARAMETER));
      if (first_refused == NULL)
        first_refused = user;
    }
  for (guint i = 0; call->asked[i] != NULL; i++)
    if (g_hash_table_contains (call->refused, call->asked[i]))
      count_subscription (self, call->asked[i], TRUE);
    else
      g_strv_builder_add (followed, call->asked[i]);
  call->followed = g_strv_builder_end (followed);
  if (call->followed[0] == NULL)
    {
      int code = GPOINTER_TO_INT (g_hash_table_lookup (call->refused, first_refused));

      g_task_return_new_error (task, TIM_ERROR, code, _ ("Cannot follow %s: %s"), first_refused,
                               tim_error_text (code));
      return;
    }
  body = _tim_client_users_body ((const char *const *) call->followed, -1);
  cancellable = g_task_get_cancellable (task);
  tim_transport_request (self->transport, "im_open_status.ws_get_user_status", body, 0, cancellable,
                         on_statuses, g_steal_pointer (&task));
}

void
tim_client_subscribe_user_status_async (TimClient *self, const char *const *user_ids,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = NULL;
  SubscribeCall *call;

  g_return_if_fail (TIM_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_subscribe_user_status_async);
  if (!_tim_client_check_user_ids (task, user_ids, MAX_A_CALL) ||
      !_tim_client_check_logged_in (self, task))
    return;
  call = g_new0 (SubscribeCall, 1);
  call->asked = g_strdupv ((char **) user_ids);
  call->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, call, (GDestroyNotify) subscribe_call_free);
  for (guint i = 0; user_ids[i] != NULL; i++)
    count_subscription (self, user_ids[i], FALSE);
  body = _tim_client_users_body (user_ids, -1);
  tim_transport_request (self->transport, "im_open_status.ws_status_subscribe", body, 0,
                         cancellable, on_subscribed, g_steal_pointer (&task));
}

GPtrArray *
tim_client_subscribe_user_status_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Whether libtim follows user for the list anyway: the peer of a listed one-to-one
 * conversation. */
static gboolean
is_listed_peer (TimClient *self, const char *user)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_C2C, user);

  return tim_conversation_list_lookup (self->conversations, conversation_id) != NULL;
}

static void
on_unsubscribed (JsonObject *reply, const GError *error, gpointer user_data)
{
  if (reply == NULL)
    g_debug ("Unsubscribing from user statuses failed: %s", error->message);
}

void
tim_client_unsubscribe_user_status (TimClient *self, const char *const *user_ids)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) everyone = NULL;

  g_return_if_fail (TIM_IS_CLIENT (self));

  /* Every subscription: each user's all taken away at once. */
  if (user_ids == NULL)
    {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (self->subscribed, NULL);

      everyone = g_strdupv ((char **) keys);
      g_hash_table_remove_all (self->subscribed);
    }
  for (guint i = 0; everyone != NULL && everyone[i] != NULL; i++)
    if (!is_listed_peer (self, everyone[i]))
      g_ptr_array_add (dropped, g_strdup (everyone[i]));
  for (guint i = 0; user_ids != NULL && user_ids[i] != NULL; i++)
    if (count_subscription (self, user_ids[i], TRUE) && !is_listed_peer (self, user_ids[i]))
      g_ptr_array_add (dropped, g_strdup (user_ids[i]));
  /* Not followed again by a login's following still waiting. */
  for (guint i = 0; i < dropped->len; i++)
    g_hash_table_remove (self->follow_pending, dropped->pdata[i]);
  for (guint start = 0; start < dropped->len && self->user != NULL; start += MAX_A_CALL)
    {
      g_autoptr (JsonObject) body = _tim_client_users_body (
          (const char *const *) dropped->pdata + start, MIN (dropped->len - start, MAX_A_CALL));

      tim_transport_request (self->transport, "im_open_status.ws_status_unsubscribe", body, 0,
                             self->cancellable, on_unsubscribed, NULL);
    }
}
