/* tim-transport.c: the session over the one WebSocket: login and relogin with the a2 ticket,
 * replies, pushes and kicks, its end, and the object. The public API's calls (login, logout, a
 * request, the accessors) live in tim-transport-calls.c; the requests in tim-transport-request.c;
 * the socket, heartbeat and reconnect in tim-transport-socket.c.
 *
 * A pending request does not keep the transport alive: dropping the last reference disposes it
 * and completes every request with G_IO_ERROR_CANCELLED. */
#define G_LOG_DOMAIN "tim-transport"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"
#include "tim-transport-private.h"

#define FORCEOFFLINE "im_open_status.stat_forceoffline"

struct _TimTransportClass
{
  GObjectClass parent_class;
};

G_DEFINE_FINAL_TYPE (TimTransport, tim_transport, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SERVER_URL,
  PROP_SDKAPPID,
  PROP_STATE,
  N_PROPS
};

enum
{
  SIGNAL_PUSH,
  SIGNAL_LOGGED_IN,
  SIGNAL_KICKED_OUT,
  SIGNAL_LOGIN_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Small helpers ------------------------------------------------------------------------------ */

GSource *
_tim_transport_add_timeout (TimTransport *self, guint ms, GSourceFunc func, gpointer data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);
  return source;
}

void
_tim_transport_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

void
_tim_transport_set_state (TimTransport *self, TimNetState state)
{
  if (self->state == state)
    return;
  self->state = state;
  if (!self->disposed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Ends the session (logout, kick, refused login, dispose): no socket, no reconnect. */
void
_tim_transport_stop_session (TimTransport *self, const GError *error, gushort code,
                             const char *reason)
{
  g_autoptr (GTask) login_task = g_steal_pointer (&self->login_task);

  self->logged_in = FALSE;
  _tim_transport_clear_source (&self->login_cancel);
  _tim_transport_clear_source (&self->reconnect_source);
  _tim_transport_drop_socket (self, code, reason);
  g_clear_pointer (&self->a2, g_free);
  g_clear_pointer (&self->tinyid, g_free);
  g_clear_pointer (&self->usersig, g_free);
  _tim_transport_set_state (self, TIM_NET_STATE_DISCONNECTED);
  _tim_transport_fail_queued (self, error);
  if (login_task != NULL)
    g_task_return_error (login_task, g_error_copy (error));
}

static void
on_kicked (TimTransport *self, JsonObject *body)
{
  /* The kick is the first C2C notice of the push's first EventArray entry, as the server sends
   * it and the Web SDK reads it. */
  JsonObject *event = tim_json_array_get_object (tim_json_get_array (body, "EventArray"), 0);
  JsonObject *item =
      event != NULL ? tim_json_array_get_object (tim_json_get_array (event, "C2cNotifyMsgArray"), 0)
                    : NULL;
  JsonObject *notify = item != NULL ? tim_json_get_object (item, "KickoutMsgNotify") : NULL;
  int kick_type = notify != NULL ? (int) tim_json_get_int_or (notify, "KickType", 0) : 0;
  g_autoptr (GError) error =
      g_error_new (TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN, "Kicked out (type %d)", kick_type);

  g_debug ("Kicked out, type %d", kick_type);
  _tim_transport_stop_session (self, error, TIM_TRANSPORT_CLOSE_LOGOUT, "Kicked out");
  g_signal_emit (self, signals[SIGNAL_KICKED_OUT], 0, kick_type);
}

/* A reply completes its request; anything else is a push (or a kick). */
void
_tim_transport_handle_frame (TimTransport *self, TimFrame *frame)
{
  const char *servcmd = tim_frame_get_servcmd (frame);
  g_autofree char *key =
      g_strdup_printf ("%s#%" G_GINT64_FORMAT, servcmd, tim_frame_get_seq (frame));
  g_autoptr (GError) error = NULL;
  TimRequest *req;
  gint64 code;

  if ((req = g_hash_table_lookup (self->pending, key)) != NULL)
    {
      code = tim_json_get_int_or (frame->body, "ErrorCode", 0);
      if (code != 0)
        {
          const char *info = tim_json_get_string (frame->body, "ErrorInfo");

          error = g_error_new_literal (TIM_ERROR, (int) code,
                                       info != NULL && *info ? info : tim_error_text ((int) code));
        }
      _tim_transport_request_complete (req, error == NULL ? frame->body : NULL, error);
    }
  else if (g_hash_table_remove (self->abandoned, key))
    g_debug ("Late reply to %s", key);
  else if (g_str_equal (servcmd, FORCEOFFLINE))
    on_kicked (self, frame->body);
  else
    g_signal_emit (self, signals[SIGNAL_PUSH], 0, servcmd, frame->body);
}

/* Login -------------------------------------------------------------------------------------- */

void
_tim_transport_login_done (TimTransport *self, JsonObject *reply, const GError *error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GTask) task = NULL;
  const char *a2 = reply != NULL ? tim_json_get_string (reply, "A2Key") : NULL;
  gint64 tinyid = 0;

  g_object_ref (self);
  if (error == NULL && a2 == NULL)
    error = local = g_error_new_literal (TIM_ERROR, 2023, "The login reply has no A2Key");
  else if (error == NULL && !tim_json_get_int (reply, "TinyId", &tinyid))
    error = local = g_error_new_literal (TIM_ERROR, 2022, "The login reply has no TinyId");

  /* A relogin refused for now (no answer in time, or the server's own passing trouble: 10002,
   * 60022) is tried again with the reconnect's backoff, as the outbox tries a send again: the
   * session goes on. A refusal waiting cannot change (the ticket expired or revoked, another
   * SDKAppID, the account deleted) ends it. */
  if (error != NULL && self->logged_in && tim_error_is_transient (error))
    {
      g_debug ("Relogin failed for now: %s", error->message);
      _tim_transport_connection_lost (self, TIM_TRANSPORT_CLOSE_RECONNECT, "Relogin failed");
    }
  else if (error != NULL)
    {
      gboolean relogin = self->logged_in;

      g_debug ("%s refused: %s", relogin ? "Relogin" : "Login", error->message);
      _tim_transport_stop_session (self, error, TIM_TRANSPORT_CLOSE_LOGOUT, "Login failed");
      if (relogin)
        g_signal_emit (self, signals[SIGNAL_LOGIN_FAILED], 0, error);
    }
  else
    {
      g_free (self->a2);
      self->a2 = g_strdup (a2);
      g_free (self->tinyid);
      /* Kept as sent: the SDK echoes the numeric string. */
      self->tinyid = tim_json_get_string (reply, "TinyId") != NULL
                         ? g_strdup (tim_json_get_string (reply, "TinyId"))
                         : g_strdup_printf ("%" G_GINT64_FORMAT, tinyid);
      if (tim_json_get_int (reply, "TimeStamp", &self->time_offset))
        self->time_offset -= g_get_real_time () / G_USEC_PER_SEC;
      self->hello_interval_s = tim_json_get_int_or (reply, "HelloInterval", 120);
      self->last_hello_us = g_get_monotonic_time ();
      self->attempt = 0;
      self->logged_in = TRUE;
      task = g_steal_pointer (&self->login_task);
      _tim_transport_clear_source (&self->login_cancel);
      _tim_transport_set_state (self, TIM_NET_STATE_CONNECTED);
      _tim_transport_flush_queue (self);
      g_signal_emit (self, signals[SIGNAL_LOGGED_IN], 0, reply);
      if (task != NULL)
        g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
    }
  g_object_unref (self);
}

/* GObject ------------------------------------------------------------------------------------ */

TimTransport *
tim_transport_new (const char *server_url, guint64 sdkappid)
{
  g_return_val_if_fail (server_url != NULL, NULL);
  return g_object_new (TIM_TYPE_TRANSPORT, "server-url", server_url, "sdkappid", sdkappid, NULL);
}

static void
set_server_url (TimTransport *self, const char *url)
{
  g_autofree char *trimmed = g_strdup (url != NULL ? url : "");
  gsize length = strlen (trimmed);

  while (length > 0 && trimmed[length - 1] == '/')
    trimmed[--length] = '\0';
  self->server_url = g_strdup (trimmed);
  if (g_str_has_prefix (trimmed, "ws://") || g_str_has_prefix (trimmed, "wss://"))
    self->http_base = g_strconcat ("http", trimmed + 2, NULL);
  else
    self->http_base = g_steal_pointer (&trimmed);
}

static void
tim_transport_dispose (GObject *object)
{
  TimTransport *self = TIM_TRANSPORT (object);
  g_autoptr (GError) error = NULL;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->pending != NULL)
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The transport went away");
      _tim_transport_stop_session (self, error, TIM_TRANSPORT_CLOSE_LOGOUT, "Closed");
    }
  /* Old sockets: no more handshakes, libsoup drops them now. */
  for (guint i = 0; self->closing != NULL && i < self->closing->len; i++)
    g_signal_handlers_disconnect_by_data (self->closing->pdata[i], self);
  g_clear_pointer (&self->closing, g_ptr_array_unref);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tim_transport_parent_class)->dispose (object);
}

static void
tim_transport_finalize (GObject *object)
{
  TimTransport *self = TIM_TRANSPORT (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->abandoned, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->server_url);
  g_free (self->http_base);
  g_free (self->instance_id);
  g_free (self->user);
  G_OBJECT_CLASS (tim_transport_parent_class)->finalize (object);
}

static void
tim_transport_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimTransport *self = TIM_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_SDKAPPID:
      g_value_set_uint64 (value, self->sdkappid);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_transport_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TimTransport *self = TIM_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      set_server_url (self, g_value_get_string (value));
      break;
    case PROP_SDKAPPID:
      self->sdkappid = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_transport_class_init (TimTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tim_transport_dispose;
  object_class->finalize = tim_transport_finalize;
  object_class->get_property = tim_transport_get_property;
  object_class->set_property = tim_transport_set_property;

  properties[PROP_SERVER_URL] =
      g_param_spec_string ("server-url", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SDKAPPID] =
      g_param_spec_uint64 ("sdkappid", NULL, NULL, 0, G_MAXUINT64, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
      g_param_spec_enum ("state", NULL, NULL, TIM_TYPE_NET_STATE, TIM_NET_STATE_DISCONNECTED,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PUSH] =
      g_signal_new ("push", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_LOGGED_IN] =
      g_signal_new ("logged-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_KICKED_OUT] =
      g_signal_new ("kicked-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_LOGIN_FAILED] =
      g_signal_new ("login-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tim_transport_init (TimTransport *self)
{
  GString *instance = g_string_new (NULL);

  for (int i = 0; i < 4; i++)
    g_string_append_printf (instance, "%08x", g_random_int ());
  self->instance_id = g_string_free (instance, FALSE);
  self->context = g_main_context_ref_thread_default ();
  self->session = soup_session_new ();
  self->cancellable = g_cancellable_new ();
  self->closing = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_hash_table_new (g_str_hash, g_str_equal);
  self->abandoned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->queue);
  self->seq = (guint64) g_random_int_range (0, TIM_TRANSPORT_SEQ_START_MAX);
  self->backoff_min_ms = 500;
  self->backoff_max_ms = 30000;
  self->alive_after_ms = TIM_TRANSPORT_ALIVE_AFTER_MS;
  self->alive_timeout_ms = TIM_TRANSPORT_ALIVE_TIMEOUT_MS;
  self->state = TIM_NET_STATE_DISCONNECTED;
}
