/* tim-client.c: TimClient: the object, its properties and signals, and what the transport tells
 * it. The login, the logout and what the app reads of the session live in
 * tim-client-session.c. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-conversation-list.h"
#include "tim-error.h"
#include "tim-json.h"

G_DEFINE_FINAL_TYPE (TimClient, tim_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SERVER_URL,
  PROP_SDKAPPID,
  PROP_DATA_DIR,
  PROP_USER,
  PROP_NET_STATE,
  PROP_IS_READY,
  PROP_NICK,
  PROP_AVATAR,
  N_PROPS
};

enum
{
  SIGNAL_READY,
  SIGNAL_NOT_READY,
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_MESSAGE_REVOKED,
  SIGNAL_MESSAGE_READ_BY_PEER,
  SIGNAL_MESSAGE_MODIFIED,
  SIGNAL_MESSAGE_DELETED,
  SIGNAL_CONVERSATION_LIST_UPDATED,
  SIGNAL_BLOCKLIST_UPDATED,
  SIGNAL_FOLDERS_CHANGED,
  SIGNAL_USER_STATUS_UPDATED,
  SIGNAL_KICKED_OUT,
  SIGNAL_NET_STATE_CHANGED,
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------- internals */

gint64
_tim_client_now (TimClient *self)
{
  gint64 offset = self->transport != NULL ? tim_transport_get_time_offset (self->transport) : 0;

  return g_get_real_time () / G_USEC_PER_SEC + offset;
}

void
_tim_client_set_ready (TimClient *self, gboolean ready)
{
  if (self->ready == ready)
    return;
  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_READY]);
  g_signal_emit (self, signals[ready ? SIGNAL_READY : SIGNAL_NOT_READY], 0);
}

static void
keep_string (TimClient *self, char **field, const char *value, int prop)
{
  if (value == NULL || g_strcmp0 (*field != NULL ? *field : "", value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_tim_client_set_my_profile (TimClient *self, const char *nick, const char *avatar)
{
  if (nick == NULL && avatar == NULL)
    nick = avatar = "";
  g_object_freeze_notify (G_OBJECT (self));
  keep_string (self, &self->nick, nick, PROP_NICK);
  keep_string (self, &self->avatar, avatar, PROP_AVATAR);
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---------------------------------------------------------------- transport signals */

static void
on_push (TimTransport *transport, const char *servcmd, JsonObject *body, gpointer user_data)
{
  _tim_client_on_push (TIM_CLIENT (user_data), servcmd, body);
}

static void
on_logged_in (TimTransport *transport, JsonObject *reply, gpointer user_data)
{
  _tim_client_on_logged_in (TIM_CLIENT (user_data), reply);
}

static void
on_kicked_out (TimTransport *transport, int kick_type, gpointer user_data)
{
  TimClient *self = TIM_CLIENT (user_data);
  const char *type = kick_type == 1   ? "multipleAccount"
                     : kick_type == 2 ? "multipleDevice"
                     : kick_type == 3 ? "REST_API_Kick"
                                      : "userSigExpired";

  _tim_client_set_ready (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_KICKED_OUT], 0, type);
}

static void
on_login_failed (TimTransport *transport, GError *error, gpointer user_data)
{
  TimClient *self = TIM_CLIENT (user_data);

  _tim_client_set_ready (self, FALSE);
  /* The ticket ran out: the Web SDK's userSigExpired kick, and only that, as it reports it. Told
   * as "error" too, an app heard the same news twice (two toasts in a row saying it). */
  if (error->domain == TIM_ERROR && error->code == TIM_ERROR_USERSIG_EXPIRED)
    g_signal_emit (self, signals[SIGNAL_KICKED_OUT], 0, "userSigExpired");
  else
    g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static void
on_state (TimTransport *transport, GParamSpec *pspec, gpointer user_data)
{
  TimClient *self = TIM_CLIENT (user_data);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NET_STATE]);
  g_signal_emit (self, signals[SIGNAL_NET_STATE_CHANGED], 0, tim_transport_get_state (transport));
}

/* ---------------------------------------------------------------- object */

static void
tim_client_constructed (GObject *object)
{
  TimClient *self = TIM_CLIENT (object);

  G_OBJECT_CLASS (tim_client_parent_class)->constructed (object);
  if (self->data_dir == NULL)
    self->data_dir = g_build_filename (g_get_user_data_dir (), "timchat", NULL);
  self->transport = tim_transport_new (self->server_url, self->sdkappid);
  self->uploader = tim_uploader_new (tim_transport_get_http_base (self->transport));
  g_signal_connect_object (self->transport, "push", G_CALLBACK (on_push), self, 0);
  g_signal_connect_object (self->transport, "logged-in", G_CALLBACK (on_logged_in), self, 0);
  g_signal_connect_object (self->transport, "kicked-out", G_CALLBACK (on_kicked_out), self, 0);
  g_signal_connect_object (self->transport, "login-failed", G_CALLBACK (on_login_failed), self, 0);
  g_signal_connect_object (self->transport, "notify::state", G_CALLBACK (on_state), self, 0);
}

/* The client lets go of a list at a logout and in its dispose; the app may keep it (a view open
 * at shutdown): it must not reach this client, the next account's or a freed one, again. */
static void
let_go_of_list (gpointer list)
{
  _tim_message_list_detach (list);
  g_object_unref (list);
}

/* A disposed client is a logged-out one until it is freed (a GTask holding it as its source keeps
 * it alive after g_object_run_dispose (), or after the app's last reference at shutdown): dispose
 * lets go of what a logout lets go of (the account's store and user, its queued sends, its lists)
 * and ends the session, and keeps what the calls' later steps read (the transport, the uploader,
 * the conversation list, the tables) until finalize. So every call ends as it does at a logout:
 * its request, sent or queued, G_IO_ERROR_CANCELLED from the transport's end; a send "Logged
 * out"; and a step that comes later (an upload's end, the read before a delete) or a call made
 * after is refused 2024, as after a logout. These fields were cleared here, and such a step
 * reached a NULL transport (a critical), or a freed client. Told nothing: no signal is emitted to
 * an app that is letting go of the client. */
static void
tim_client_dispose (GObject *object)
{
  TimClient *self = TIM_CLIENT (object);
  GPtrArray *ended;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_signal_handlers_disconnect_by_data (self->transport, self);
  ended = _tim_client_outbox_clear (self);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_clear_handle_id (&self->follow_idle, g_source_remove);
  g_clear_handle_id (&self->folders_refetch, g_source_remove);
  g_hash_table_remove_all (self->pending_appends);
  g_ptr_array_set_size (self->pending_received, 0);
  g_hash_table_remove_all (self->message_lists);
  _tim_client_flush_scrub (self);
  _tim_client_stop_search_indexing (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->user, g_free);
  self->ready = FALSE;
  /* Last, with the account gone: what the requests' ends run finds it logged out. A disposed
   * transport refuses every later request ("not logged in"). */
  g_object_run_dispose (G_OBJECT (self->transport));
  _tim_client_outbox_tell_cleared (self, ended);
  G_OBJECT_CLASS (tim_client_parent_class)->dispose (object);
}

static void
tim_client_finalize (GObject *object)
{
  TimClient *self = TIM_CLIENT (object);

  g_hash_table_unref (self->pending_appends);
  g_ptr_array_unref (self->pending_received);
  g_hash_table_unref (self->message_lists);
  g_object_unref (self->conversations);
  g_object_unref (self->transport);
  g_object_unref (self->uploader);
  g_object_unref (self->cancellable);
  _tim_client_free_live_messages (self);
  g_hash_table_unref (self->unsaved_messages);
  g_hash_table_unref (self->unlisted_reminds);
  g_hash_table_unref (self->unlisted_groups);
  g_hash_table_unref (self->unsure_tails);
  g_hash_table_unref (self->blocked);
  g_clear_pointer (&self->blocklist_pushed, g_hash_table_unref);
  g_ptr_array_unref (self->folders);
  g_hash_table_unref (self->follow_pending);
  g_hash_table_unref (self->subscribed);
  g_hash_table_unref (self->typing_sent);
  g_free (self->server_url);
  g_free (self->data_dir);
  g_free (self->user);
  g_free (self->tinyid);
  g_free (self->self_status);
  g_free (self->nick);
  g_free (self->avatar);
  G_OBJECT_CLASS (tim_client_parent_class)->finalize (object);
}

static void
tim_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimClient *self = TIM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_SDKAPPID:
      g_value_set_uint64 (value, self->sdkappid);
      break;
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_NET_STATE:
      g_value_set_enum (value, tim_client_get_net_state (self));
      break;
    case PROP_IS_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_NICK:
      g_value_set_string (value, tim_client_get_nick (self));
      break;
    case PROP_AVATAR:
      g_value_set_string (value, tim_client_get_avatar (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TimClient *self = TIM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;
    case PROP_SDKAPPID:
      self->sdkappid = g_value_get_uint64 (value);
      break;
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_client_class_init (TimClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType ptr_array = G_TYPE_PTR_ARRAY;

  object_class->constructed = tim_client_constructed;
  object_class->dispose = tim_client_dispose;
  object_class->finalize = tim_client_finalize;
  object_class->get_property = tim_client_get_property;
  object_class->set_property = tim_client_set_property;

  properties[PROP_SERVER_URL] =
      g_param_spec_string ("server-url", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SDKAPPID] =
      g_param_spec_uint64 ("sdkappid", NULL, NULL, 0, G_MAXUINT64, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA_DIR] =
      g_param_spec_string ("data-dir", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
      g_param_spec_string ("user", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NET_STATE] =
      g_param_spec_enum ("net-state", NULL, NULL, TIM_TYPE_NET_STATE, TIM_NET_STATE_DISCONNECTED,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IS_READY] =
      g_param_spec_boolean ("is-ready", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NICK] = g_param_spec_string (
      "nick", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AVATAR] =
      g_param_spec_string ("avatar", NULL, NULL, "",
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NOT_READY] = g_signal_new ("not-ready", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_MESSAGE_RECEIVED] =
      g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, ptr_array);
  signals[SIGNAL_MESSAGE_REVOKED] =
      g_signal_new ("message-revoked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, ptr_array);
  signals[SIGNAL_MESSAGE_READ_BY_PEER] =
      g_signal_new ("message-read-by-peer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, ptr_array);
  signals[SIGNAL_MESSAGE_MODIFIED] =
      g_signal_new ("message-modified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, ptr_array);
  signals[SIGNAL_MESSAGE_DELETED] =
      g_signal_new ("message-deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, ptr_array);
  signals[SIGNAL_CONVERSATION_LIST_UPDATED] =
      g_signal_new ("conversation-list-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The blocklist changed (tim_client_dup_blocklist ()): the Web SDK's BLACKLIST_UPDATED. */
  signals[SIGNAL_BLOCKLIST_UPDATED] =
      g_signal_new ("blocklist-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 0);
  /* The folders changed (tim_client_dup_folders ()): the Web SDK's
   * CONVERSATION_GROUP_LIST_UPDATED. */
  signals[SIGNAL_FOLDERS_CHANGED] =
      g_signal_new ("folders-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
  /* A user's status and custom status ("" for none), as the server says it (the Web SDK's
   * USER_STATUS_UPDATED): a peer of the list whose status changed (TimConversation:peer-status
   * follows), someone subscribed to (tim_client_subscribe_user_status_async ()), or anyone the
   * user follows from another device. */
  signals[SIGNAL_USER_STATUS_UPDATED] =
      g_signal_new ("user-status-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, TIM_TYPE_USER_STATUS, G_TYPE_STRING);
  signals[SIGNAL_KICKED_OUT] =
      g_signal_new ("kicked-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_NET_STATE_CHANGED] =
      g_signal_new ("net-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, TIM_TYPE_NET_STATE);
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tim_client_init (TimClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->conversations = _tim_conversation_list_new ();
  self->message_lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, let_go_of_list);
  self->live_messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->live_keys = g_hash_table_new (NULL, NULL);
  self->unsaved_messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unlisted_reminds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unlisted_groups =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->unsure_tails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->folders = g_ptr_array_new_with_free_func (_tim_client_folder_free);
  self->follow_pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->subscribed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) _tim_subscription_free);
  self->typing_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending_received = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_appends =
      g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->outbox_queue);
}

TimClient *
tim_client_new (const char *server_url, guint64 sdkappid, const char *data_dir)
{
  return g_object_new (TIM_TYPE_CLIENT, "server-url", server_url, "sdkappid", sdkappid, "data-dir",
                       data_dir, NULL);
}

void
_tim_client_emit_messages (TimClient *self, const char *signal_name, GPtrArray *messages)
{
  if (messages->len > 0)
    g_signal_emit_by_name (self, signal_name, messages);
}
