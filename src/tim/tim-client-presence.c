/* tim-client-presence.c: whether the peers of the one-to-one conversations are online
 * (TimConversation:peer-status, :peer-custom-status): libtim follows every C2C peer of the list
 * (the Web SDK's subscribeUserStatus) and asks their status (getUserStatus) after each login and
 * for each conversation that joins the list, and takes the server's UserStatusList pushes. And
 * the user's own custom status (setSelfStatus), kept on this device and set again at each login
 * (the server forgets it whenever the user is not online), unless another device of theirs set a
 * newer one meanwhile. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* The server's limits a request: 100 followed, 500 asked about. */
#define FOLLOW_CHUNK 100
#define MAX_ASKED 500

#define SELF_STATUS_KEY "selfStatus"

JsonObject *
_tim_client_users_body (const char *const *user_ids, gssize n)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *body = json_object_new ();
  JsonArray *users = json_array_new ();

  for (gssize i = 0; n < 0 ? user_ids[i] != NULL : i < n; i++)
    if (g_hash_table_add (seen, (gpointer) user_ids[i]))
      json_array_add_string_element (users, user_ids[i]);
  json_object_set_array_member (body, "To_Account", users);
  return body;
}

/* CustomStatus as the wire has it: base64 of UTF-8; "" for anything else. */
static char *
decode_custom_status (const char *wire)
{
  gsize length = 0;
  g_autofree guchar *bytes = wire != NULL && *wire != '\0' ? g_base64_decode (wire, &length) : NULL;

  if (bytes == NULL || length > TIM_MAX_CUSTOM_STATUS_BYTES ||
      !g_utf8_validate_len ((const char *) bytes, length, NULL))
    return g_strdup ("");
  return g_strndup ((const char *) bytes, length);
}

static void
keep_self_status (TimClient *self, const char *custom_status)
{
  g_free (self->self_status);
  self->self_status = g_strdup (custom_status);
  if (self->store != NULL)
    tim_local_store_set_value (self->store, SELF_STATUS_KEY, custom_status, NULL);
}

void
_tim_client_take_user_statuses (TimClient *self, JsonArray *items)
{
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      const char *user = tim_json_get_string (item, "To_Account");
      gint64 status = tim_json_get_int_or (item, "Status", 0);
      g_autofree char *custom = decode_custom_status (tim_json_get_string (item, "CustomStatus"));
      g_autofree char *conversation_id = NULL;
      TimConversation *conversation;
      TimSubscription *subscription;

      if (user == NULL || status < TIM_USER_STATUS_ONLINE || status > TIM_USER_STATUS_UNLOGINED)
        continue;
      /* The user's own, set on another device. */
      if (g_strcmp0 (user, self->user) == 0 && status == TIM_USER_STATUS_ONLINE &&
          g_strcmp0 (custom, tim_client_get_self_status (self)) != 0)
        keep_self_status (self, custom);
      conversation_id = tim_conv_make_id (TIM_CONV_C2C, user);
      conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
      subscription = g_hash_table_lookup (self->subscribed, user);
      /* Told only of a change: the answers of a login's asking say mostly what is known. */
      if ((conversation != NULL || subscription != NULL) &&
          (conversation == NULL ||
           (tim_conversation_get_peer_status (conversation) == status &&
            g_str_equal (tim_conversation_get_peer_custom_status (conversation), custom))) &&
          (subscription == NULL || (subscription->status == status &&
                                    g_strcmp0 (subscription->custom_status, custom) == 0)))
        continue;
      if (conversation != NULL)
        {
          _tim_conversation_set_peer_status (conversation, (TimUserStatus) status);
          _tim_conversation_set_peer_custom_status (conversation, custom);
        }
      if (subscription != NULL)
        {
          subscription->status = (TimUserStatus) status;
          g_free (subscription->custom_status);
          subscription->custom_status = g_strdup (custom);
        }
      g_signal_emit_by_name (self, "user-status-updated", user, (TimUserStatus) status, custom);
    }
}

const char *
tim_client_get_self_status (TimClient *self)
{
  g_return_val_if_fail (TIM_IS_CLIENT (self), "");
  if (self->self_status == NULL && self->store != NULL)
    self->self_status = tim_local_store_get_value (self->store, SELF_STATUS_KEY);
  return self->self_status != NULL ? self->self_status : "";
}

static void
self_status_done (TimClient *self, GTask *task, JsonObject *reply)
{
  keep_self_status (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

static JsonObject *
self_status_body (const char *custom_status)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "CustomStatus", custom_status);
  return body;
}

void
tim_client_set_self_status_async (TimClient *self, const char *custom_status,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;

  if (custom_status == NULL)
    custom_status = "";
  if (!_tim_client_check_logged_in (self, task))
    return;
  if (!g_utf8_validate (custom_status, -1, NULL))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("A status must be UTF-8 text"));
      return;
    }
  if (strlen (custom_status) > TIM_MAX_CUSTOM_STATUS_BYTES)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("That status is too long (at most %d bytes)"),
                               TIM_MAX_CUSTOM_STATUS_BYTES);
      return;
    }
  g_task_set_task_data (task, g_strdup (custom_status), g_free);
  self->self_status_sets++;
  body = self_status_body (custom_status);
  _tim_client_request (self, task, "im_open_status.ws_set_custom_status", body, self_status_done);
}

gboolean
tim_client_set_self_status_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_statuses (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (TimClient) self = user_data;

  if (reply == NULL)
    {
      /* A server without user status, or a logout meanwhile: the peers stay unknown. */
      g_debug ("Asking whether peers are online failed: %s", error->message);
      return;
    }
  _tim_client_take_user_statuses (self, tim_json_get_array (reply, "UserStatusList"));
}

/* ---------------------------------------------------------------- getUserStatus */

GPtrArray *
_tim_client_user_status_infos (TimClient *self, const char *const *asked, JsonObject *reply)
{
  JsonArray *statuses = tim_json_get_array (reply, "UserStatusList");
  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) tim_user_status_info_free);

  /* What it says of the list's peers is kept too. */
  _tim_client_take_user_statuses (self, statuses);
  for (guint i = 0; asked[i] != NULL; i++)
    {
      TimUserStatusInfo *info = g_new0 (TimUserStatusInfo, 1);
      JsonObject *item;

      info->user_id = g_strdup (asked[i]);
      info->custom_status = g_strdup ("");
      for (guint j = 0; (item = tim_json_array_next_object (statuses, &j)) != NULL;)
        {
          gint64 status = tim_json_get_int_or (item, "Status", 0);

          if (g_strcmp0 (tim_json_get_string (item, "To_Account"), asked[i]) != 0 ||
              status < TIM_USER_STATUS_ONLINE || status > TIM_USER_STATUS_UNLOGINED)
            continue;
          info->status = (TimUserStatus) status;
          g_free (info->custom_status);
          info->custom_status = decode_custom_status (tim_json_get_string (item, "CustomStatus"));
          break;
        }
      g_ptr_array_add (infos, info);
    }
  return infos;
}

static void
user_status_done (TimClient *self, GTask *task, JsonObject *reply)
{
  g_task_return_pointer (task,
                         _tim_client_user_status_infos (self, g_task_get_task_data (task), reply),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
tim_client_get_user_status_async (TimClient *self, const char *const *user_ids,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;

  if (!_tim_client_check_user_ids (task, user_ids, MAX_ASKED) ||
      !_tim_client_check_logged_in (self, task))
    return;
  g_task_set_task_data (task, g_strdupv ((char **) user_ids), (GDestroyNotify) g_strfreev);
  body = _tim_client_users_body (user_ids, -1);
  _tim_client_request (self, task, "im_open_status.ws_get_user_status", body, user_status_done);
}

GPtrArray *
tim_client_get_user_status_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The reply of a request nothing waits for (following, a status set again). */
static void
on_reply_ignored (JsonObject *reply, const GError *error, gpointer user_data)
{
  if (reply == NULL)
    g_debug ("A user status request failed: %s", error->message);
}

/* Follows the peers waiting, a chunk a request, then asks each chunk's status: followed first,
 * so that no change falls between the answer and the following. */
static gboolean
follow_pending (gpointer user_data)
{
  TimClient *self = user_data;
  g_autoptr (GPtrArray) peers = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer peer;

  self->follow_idle = 0;
  g_hash_table_iter_init (&iter, self->follow_pending);
  while (g_hash_table_iter_next (&iter, &peer, NULL))
    {
      g_ptr_array_add (peers, peer);
      g_hash_table_iter_steal (&iter);
    }
  for (guint start = 0; start < peers->len && self->ready; start += FOLLOW_CHUNK)
    {
      const char *const *chunk = (const char *const *) peers->pdata + start;
      gssize n = MIN (peers->len - start, FOLLOW_CHUNK);
      g_autoptr (JsonObject) follow = _tim_client_users_body (chunk, n);
      g_autoptr (JsonObject) ask = _tim_client_users_body (chunk, n);

      tim_transport_request (self->transport, "im_open_status.ws_status_subscribe", follow, 0,
                             self->cancellable, on_reply_ignored, NULL);
      tim_transport_request (self->transport, "im_open_status.ws_get_user_status", ask, 0,
                             self->cancellable, on_statuses, g_object_ref (self));
    }
  return G_SOURCE_REMOVE;
}

void
_tim_client_follow_peer (TimClient *self, const char *peer)
{
  g_hash_table_add (self->follow_pending, g_strdup (peer));
  if (self->follow_idle == 0)
    self->follow_idle = g_idle_add (follow_pending, self);
}

static void
send_self_status (TimClient *self, const char *custom_status)
{
  g_autoptr (JsonObject) body = self_status_body (custom_status);

  tim_transport_request (self->transport, "im_open_status.ws_set_custom_status", body, 0,
                         self->cancellable, on_reply_ignored, NULL);
}

/* What the server says of the user, logged in again: a status another device of theirs set
 * meanwhile (and still keeps, being online), or cleared, is the newer one and is taken; none, and
 * the server forgot this device's when the user was last away: it is set again. */
typedef struct
{
  TimClient *client;
  guint sets; /* self_status_sets when asked */
} OwnStatusAsk;

static void
on_own_status (JsonObject *reply, const GError *error, gpointer user_data)
{
  OwnStatusAsk *ask = user_data;
  g_autoptr (TimClient) self = ask->client;
  gboolean set_meanwhile = self->self_status_sets != ask->sets;
  JsonArray *items = reply != NULL ? tim_json_get_array (reply, "UserStatusList") : NULL;
  g_autofree char *server_status = NULL;
  gboolean set_elsewhere = FALSE;
  JsonObject *item;

  g_free (ask);
  if (reply == NULL)
    {
      g_debug ("Asking for the user's own status failed: %s", error->message);
      return;
    }
  /* The user set one since: it went after the ask, and is the newest. */
  if (set_meanwhile)
    return;
  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      if (g_strcmp0 (tim_json_get_string (item, "To_Account"), self->user) != 0)
        continue;
      g_free (server_status);
      server_status = decode_custom_status (tim_json_get_string (item, "CustomStatus"));
      /* Our server says whether one was set, "" included (cleared on another device); from
       * another, any status is. */
      set_elsewhere = tim_json_get_int_or (item, "CustomStatusSet", *server_status != '\0') != 0;
    }
  if (set_elsewhere)
    {
      if (g_strcmp0 (server_status, tim_client_get_self_status (self)) != 0)
        keep_self_status (self, server_status);
    }
  else if (*tim_client_get_self_status (self) != '\0')
    send_self_status (self, tim_client_get_self_status (self));
}

static void
restore_self_status (TimClient *self)
{
  const char *const me[] = { self->user, NULL };
  g_autoptr (JsonObject) body = _tim_client_users_body (me, -1);
  OwnStatusAsk *ask;

  ask = g_new0 (OwnStatusAsk, 1);
  ask->client = g_object_ref (self);
  ask->sets = self->self_status_sets;
  tim_transport_request (self->transport, "im_open_status.ws_get_user_status", body, 0,
                         self->cancellable, on_own_status, ask);
}

void
_tim_client_follow_peers (TimClient *self)
{
  GListModel *list = G_LIST_MODEL (self->conversations);
  GHashTableIter iter;
  gpointer user;

  restore_self_status (self);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C)
        _tim_client_follow_peer (self, tim_conversation_get_peer (conversation));
    }
  /* And those the app subscribed to: the server forgets whom a user followed when they were last
   * away. */
  g_hash_table_iter_init (&iter, self->subscribed);
  while (g_hash_table_iter_next (&iter, &user, NULL))
    _tim_client_follow_peer (self, user);
}

void
_tim_client_forget_peer_statuses (TimClient *self)
{
  GListModel *list = G_LIST_MODEL (self->conversations);

  g_clear_handle_id (&self->follow_idle, g_source_remove);
  g_hash_table_remove_all (self->follow_pending);
  g_hash_table_remove_all (self->subscribed);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      _tim_conversation_set_peer_status (conversation, TIM_USER_STATUS_UNKNOWN);
    }
}
