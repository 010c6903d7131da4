/* tim-client-presence.c: whether the peers of the one-to-one conversations are online
 * (TimConversation:peer-status): libtim follows every C2C peer of the list (the Web SDK's
 * subscribeUserStatus) and asks their status (getUserStatus) after each login and for each
 * conversation that joins the list, and takes the server's UserStatusList pushes. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-json.h"

/* The server's limits a request: 100 followed, 500 asked about. */
#define FOLLOW_CHUNK 100

void
_tim_client_take_user_statuses (TimClient *self, JsonArray *items)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      const char *user = item != NULL ? tim_json_get_string (item, "To_Account") : NULL;
      gint64 status = item != NULL ? tim_json_get_int_or (item, "Status", 0) : 0;
      g_autofree char *conversation_id = NULL;
      TimConversation *conversation;

      if (user == NULL || status < TIM_USER_STATUS_ONLINE || status > TIM_USER_STATUS_UNLOGINED)
        continue;
      conversation_id = tim_conv_make_id (TIM_CONV_C2C, user);
      conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
      if (conversation != NULL && tim_conversation_get_peer_status (conversation) == status)
        continue;
      if (conversation != NULL)
        _tim_conversation_set_peer_status (conversation, (TimUserStatus) status);
      g_signal_emit_by_name (self, "user-status-updated", user, (TimUserStatus) status);
    }
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

static void
on_followed (JsonObject *reply, const GError *error, gpointer user_data)
{
  if (reply == NULL)
    g_debug ("Following whether peers are online failed: %s", error->message);
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
      g_autoptr (JsonObject) follow = json_object_new ();
      g_autoptr (JsonObject) ask = json_object_new ();
      JsonArray *followed = json_array_new ();
      JsonArray *asked = json_array_new ();

      for (guint i = start; i < peers->len && i < start + FOLLOW_CHUNK; i++)
        {
          json_array_add_string_element (followed, peers->pdata[i]);
          json_array_add_string_element (asked, peers->pdata[i]);
        }
      json_object_set_array_member (follow, "To_Account", followed);
      json_object_set_array_member (ask, "To_Account", asked);
      tim_transport_request (self->transport, "im_open_status.ws_status_subscribe", follow, 0,
                             self->cancellable, on_followed, NULL);
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

void
_tim_client_follow_peers (TimClient *self)
{
  GListModel *list = G_LIST_MODEL (self->conversations);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C)
        _tim_client_follow_peer (self, tim_conversation_get_peer (conversation));
    }
}

void
_tim_client_forget_peer_statuses (TimClient *self)
{
  GListModel *list = G_LIST_MODEL (self->conversations);

  g_clear_handle_id (&self->follow_idle, g_source_remove);
  g_hash_table_remove_all (self->follow_pending);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      _tim_conversation_set_peer_status (conversation, TIM_USER_STATUS_UNKNOWN);
    }
}
