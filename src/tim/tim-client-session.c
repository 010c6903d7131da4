/* tim-client-session.c: TimClient's session: the login (the account's local store opened, and
 * its cache read, before the network), the logout (everything of the account forgotten), and
 * what the app reads of them. Apart from tim-client.c, which keeps the object, its properties and
 * signals, and what the transport tells it. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-conversation-list.h"
#include "tim-error.h"

/* ---------------------------------------------------------------- login */

static char *
account_dir (TimClient *self, const char *user)
{
  g_autofree char *app = g_strdup_printf ("%" G_GUINT64_FORMAT, self->sdkappid);

  return g_build_filename (self->data_dir, app, user, NULL);
}

static void
on_transport_login (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) reply =
      tim_transport_login_finish (TIM_TRANSPORT (source), result, &error);

  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tim_client_login_async (TimClient *self, const char *user_id, const char *usersig,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *dir = NULL;
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, tim_client_login_async);
  /* Disposed (at shutdown): its transport is gone for good, and an account's store opened now
   * would stay open until the client is freed. As a login in flight at dispose ends. */
  if (self->disposed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The client was disposed");
      return;
    }
  if (!tim_user_id_is_valid (user_id) || usersig == NULL || *usersig == '\0')
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                               _ ("A valid user ID and UserSig are needed to log in"));
      return;
    }
  if (self->user != NULL && !g_str_equal (self->user, user_id))
    tim_client_logout (self);

  /* The cache first: the conversation list and recent screens are there before the network. */
  if (self->store == NULL)
    {
      dir = account_dir (self, user_id);
      if (g_mkdir_with_parents (dir, 0700) != 0 ||
          (self->store = tim_local_store_open (dir, &error)) == NULL)
        {
          g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INTERNAL,
                                   _ ("Cannot open the local store in %s: %s"), dir,
                                   error ? error->message : g_strerror (errno));
          return;
        }
      g_free (self->user);
      self->user = g_strdup (user_id);
      g_free (self->tinyid);
      self->tinyid = tim_local_store_get_value (self->store, "tinyid");
      g_clear_pointer (&self->self_status, g_free); /* read from this store when asked */
      g_object_notify (G_OBJECT (self), "user");
      _tim_client_load_folders (self);
      _tim_client_fail_orphaned_sends (self);
      _tim_client_load_cached_conversations (self);
      _tim_client_resume_outbox (self);
      _tim_client_start_search_indexing (self);
    }
  tim_transport_login_async (self->transport, user_id, usersig, cancellable, on_transport_login,
                             g_steal_pointer (&task));
}

gboolean
tim_client_login_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
tim_client_remove_unused_store (TimClient *self, const char *user_id, GError **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (TIM_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (tim_user_id_is_valid (user_id), FALSE);

  dir = account_dir (self, user_id);
  return tim_local_store_remove_unused (dir, error);
}

void
tim_client_logout (TimClient *self)
{
  GPtrArray *ended;

  self->logging_out = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* The outbox first: the logout ends the send in flight, which must find itself abandoned
   * (its entry stays for the next login), not failed. Its callers hear of it last, with the
   * account gone: a callback that sends is refused (2024), as any send after a logout. */
  ended = _tim_client_outbox_clear (self);
  tim_transport_logout (self->transport);
  _tim_client_set_ready (self, FALSE);
  /* What was pushed just before waits for the next idle to reach its list and be announced
   * (tim-client-sync.c): it is this account's, stored already, and the next login lists it.
   * Announced after the logout, it would reach no one logged in, or the next account logged in
   * on this client. */
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_hash_table_remove_all (self->pending_appends);
  g_ptr_array_set_size (self->pending_received, 0);
  g_hash_table_remove_all (self->message_lists);
  g_hash_table_remove_all (self->unlisted_reminds);
  g_hash_table_remove_all (self->unlisted_groups);
  g_hash_table_remove_all (self->unsure_tails);
  /* The next account may have taken the same messages (a group's), and must store them. */
  g_hash_table_remove_all (self->unsaved_messages);
  /* The typing throttle is this account's: the next one's first notice to the same peer goes. */
  g_hash_table_remove_all (self->typing_sent);
  if (g_hash_table_size (self->blocked) > 0)
    {
      g_hash_table_remove_all (self->blocked);
      g_signal_emit_by_name (self, "blocklist-updated");
    }
  _tim_client_forget_peer_statuses (self);
  _tim_conversation_list_replace_all (self->conversations, NULL);
  _tim_client_forget_folders (self);
  _tim_client_flush_scrub (self);
  _tim_client_stop_search_indexing (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->tinyid, g_free);
  g_clear_pointer (&self->self_status, g_free);
  _tim_client_set_my_profile (self, NULL, NULL);
  g_object_notify (G_OBJECT (self), "user");
  self->logging_out = FALSE;
  _tim_client_outbox_tell_cleared (self, ended);
}

/* ---------------------------------------------------------------- models */

TimConversationList *
tim_client_get_conversations (TimClient *self)
{
  return self->conversations;
}

const char *
tim_client_get_user (TimClient *self)
{
  return self->user;
}

TimNetState
tim_client_get_net_state (TimClient *self)
{
  return tim_transport_get_state (self->transport);
}

void
tim_client_reconnect_now (TimClient *self)
{
  g_return_if_fail (TIM_IS_CLIENT (self));

  tim_transport_reconnect_now (self->transport);
}

gboolean
tim_client_get_is_ready (TimClient *self)
{
  return self->ready;
}

const char *
tim_client_get_nick (TimClient *self)
{
  g_return_val_if_fail (TIM_IS_CLIENT (self), "");
  return self->nick != NULL ? self->nick : "";
}

const char *
tim_client_get_avatar (TimClient *self)
{
  g_return_val_if_fail (TIM_IS_CLIENT (self), "");
  return self->avatar != NULL ? self->avatar : "";
}
