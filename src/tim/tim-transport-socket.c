/* tim-transport-socket.c: TimTransport's WebSocket: connecting to /binfo, reading frames,
 * heartbeat.alive after 10 s of silence (1 s tick, 3 s timeout), wshello every HelloInterval s,
 * and reconnecting after a lost socket with jittered exponential backoff. */
#define G_LOG_DOMAIN "tim-transport"

#include "config.h"

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-transport-private.h"

#define TICK_MS 1000

/* The socket ------------------------------------------------------------------------------- */

static void
on_old_closed (SoupWebsocketConnection *conn, gpointer data)
{
  TimTransport *self = data;

  g_signal_handlers_disconnect_by_data (conn, self);
  g_ptr_array_remove (self->closing, conn);
}

/* Forgets the socket (closing it with code if open) and requeues what was sent on it. */
void
_tim_transport_drop_socket (TimTransport *self, gushort code, const char *reason)
{
  _tim_transport_clear_source (&self->tick_source);
  self->alive_pending = FALSE;
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  _tim_transport_clear_source (&self->connect_timeout);

  if (self->conn != NULL)
    {
      SoupWebsocketConnection *conn = g_steal_pointer (&self->conn);

      g_signal_handlers_disconnect_by_data (conn, self);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN &&
          self->closing != NULL)
        {
          /* Kept until the close handshake ends (libsoup gives up after a few seconds). */
          g_signal_connect (conn, "closed", G_CALLBACK (on_old_closed), self);
          soup_websocket_connection_close (conn, code, reason);
          g_ptr_array_add (self->closing, conn);
        }
      else
        g_object_unref (conn);
    }

  _tim_transport_requeue_pending (self);
}

void
_tim_transport_connection_lost (TimTransport *self, gushort code, const char *reason)
{
  g_autoptr (GError) error = NULL;

  if (self->logged_in)
    {
      _tim_transport_drop_socket (self, code, reason);
      _tim_transport_schedule_reconnect (self);
      return;
    }
  error = g_error_new (TIM_ERROR, TIM_ERROR_NETWORK, "Connection lost: %s",
                       reason != NULL ? reason : "closed");
  _tim_transport_stop_session (self, error, code, reason);
}

static void
on_message (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer data)
{
  TimTransport *self = data;
  g_autoptr (TimFrame) frame = NULL;
  g_autoptr (GError) error = NULL;

  /* Text or binary alike; COMP frames are inflated. */
  self->last_recv_us = g_get_monotonic_time ();
  frame = tim_frame_parse (message, TIM_TRANSPORT_MAX_FRAME_BYTES, &error);
  if (frame == NULL)
    {
      g_debug ("Dropping a frame: %s", error->message);
      return;
    }
  g_object_ref (self);
  _tim_transport_handle_frame (self, frame);
  g_object_unref (self);
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer data)
{
  TimTransport *self = g_object_ref (data);

  g_debug ("Socket closed (%u)", soup_websocket_connection_get_close_code (conn));
  _tim_transport_connection_lost (self, 0, "The server closed the socket");
  g_object_unref (self);
}

static void
on_error (SoupWebsocketConnection *conn, GError *error, gpointer data)
{
  g_debug ("Socket error: %s", error->message);
}

typedef struct
{
  TimTransport *self;
  GCancellable *cancellable;
} ConnectData;

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ConnectData *data = user_data;
  g_autoptr (GCancellable) cancellable = data->cancellable;
  TimTransport *self = data->self;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *conn;

  g_free (data);
  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  /* Cancelled: disposed, timed out or superseded; self may be gone. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_object (&conn);
      return;
    }
  g_clear_object (&self->connect_cancellable);
  _tim_transport_clear_source (&self->connect_timeout);
  if (conn == NULL)
    {
      g_object_ref (self);
      _tim_transport_connection_lost (self, 0, error->message);
      g_object_unref (self);
      return;
    }

  self->conn = conn;
  soup_websocket_connection_set_max_incoming_payload_size (conn, TIM_TRANSPORT_MAX_FRAME_BYTES);
  g_signal_connect_object (conn, "message", G_CALLBACK (on_message), self, 0);
  g_signal_connect_object (conn, "closed", G_CALLBACK (on_closed), self, 0);
  g_signal_connect_object (conn, "error", G_CALLBACK (on_error), self, 0);
  self->last_recv_us = g_get_monotonic_time ();
  _tim_transport_start_tick (self);
  _tim_transport_send_internal (self, TIM_REQUEST_ALIVE, "heartbeat.alive", self->alive_timeout_ms);
  self->alive_pending = TRUE;
  _tim_transport_send_internal (self, TIM_REQUEST_LOGIN, TIM_TRANSPORT_WSLOGIN,
                                TIM_TRANSPORT_LOGIN_TIMEOUT_MS);
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  TimTransport *self = g_object_ref (user_data);

  g_clear_pointer (&self->connect_timeout, g_source_unref);
  _tim_transport_connection_lost (self, 0, "Connecting timed out");
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
_tim_transport_open_socket (TimTransport *self)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  char random[G_ASCII_DTOSTR_BUF_SIZE];
  ConnectData *data;

  g_assert (self->conn == NULL && self->connect_cancellable == NULL);
  _tim_transport_set_state (self, TIM_NET_STATE_CONNECTING);
  g_ascii_dtostr (random, sizeof random, g_random_double ());
  url = g_strdup_printf ("%s/binfo?sdkappid=%" G_GUINT64_FORMAT "&instanceid=%s&random=%s"
                         "&platform=%d",
                         self->server_url, self->sdkappid, self->instance_id, random,
                         TIM_TRANSPORT_PLATFORM_WEB);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      _tim_transport_connection_lost (self, 0, "Invalid server URL");
      return;
    }

  self->connect_cancellable = g_cancellable_new ();
  data = g_new0 (ConnectData, 1);
  data->self = self;
  data->cancellable = g_object_ref (self->connect_cancellable);
  self->connect_timeout =
      _tim_transport_add_timeout (self, TIM_TRANSPORT_CONNECT_TIMEOUT_MS, on_connect_timeout, self);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_cancellable, on_connected, data);
}

/* Heartbeat and reconnect ------------------------------------------------------------------ */

static gboolean
on_tick (gpointer user_data)
{
  TimTransport *self = user_data;
  gint64 now = g_get_monotonic_time ();

  if (self->conn == NULL)
    return G_SOURCE_CONTINUE;
  if (!self->alive_pending && now - self->last_recv_us >= (gint64) self->alive_after_ms * 1000)
    {
      self->alive_pending = TRUE;
      _tim_transport_send_internal (self, TIM_REQUEST_ALIVE, "heartbeat.alive",
                                    self->alive_timeout_ms);
    }
  if (self->state == TIM_NET_STATE_CONNECTED && self->hello_interval_s > 0 &&
      now - self->last_hello_us >= self->hello_interval_s * G_USEC_PER_SEC)
    {
      self->last_hello_us = now;
      _tim_transport_send_internal (self, TIM_REQUEST_HELLO, "im_open_status.wshello",
                                    TIM_TRANSPORT_REQUEST_TIMEOUT_MS);
    }
  return G_SOURCE_CONTINUE;
}

void
_tim_transport_start_tick (TimTransport *self)
{
  _tim_transport_clear_source (&self->tick_source);
  /* Tests shorten the heartbeat: tick often enough to notice. */
  self->tick_source = _tim_transport_add_timeout (
      self, MIN (TICK_MS, MAX (self->alive_after_ms / 2, 50)), on_tick, self);
}

void
_tim_transport_alive_done (TimTransport *self, const GError *error)
{
  self->alive_pending = FALSE;
  if (g_error_matches (error, TIM_ERROR, TIM_ERROR_NETWORK_TIMEOUT))
    {
      g_debug ("heartbeat.alive timed out: reconnecting");
      g_object_ref (self);
      _tim_transport_connection_lost (self, TIM_TRANSPORT_CLOSE_RECONNECT, "Heartbeat timeout");
      g_object_unref (self);
    }
}

/* min(max, min * 2^attempt), then +-50 %. */
guint
_tim_transport_backoff_delay (TimTransport *self)
{
  guint64 delay = MAX (self->backoff_min_ms, 1);

  for (guint i = 0; i < self->attempt && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, MAX (self->backoff_max_ms, 1));
  return (guint) (delay * g_random_double_range (0.5, 1.5));
}

static gboolean
on_reconnect (gpointer user_data)
{
  TimTransport *self = user_data;

  g_clear_pointer (&self->reconnect_source, g_source_unref);
  _tim_transport_open_socket (self);
  return G_SOURCE_REMOVE;
}

void
_tim_transport_schedule_reconnect (TimTransport *self)
{
  guint delay = _tim_transport_backoff_delay (self);

  if (self->reconnect_source != NULL || self->conn != NULL || self->connect_cancellable != NULL)
    return;
  if (self->attempt < 31)
    self->attempt++;
  _tim_transport_set_state (self, TIM_NET_STATE_CONNECTING);
  g_debug ("Reconnecting in %u ms (attempt %u)", delay, self->attempt);
  self->reconnect_source = _tim_transport_add_timeout (self, delay, on_reconnect, self);
}

void
tim_transport_reconnect_now (TimTransport *self)
{
  g_return_if_fail (TIM_IS_TRANSPORT (self));

  if (self->reconnect_source == NULL)
    return;
  _tim_transport_clear_source (&self->reconnect_source);
  self->attempt = 0;
  _tim_transport_open_socket (self);
}

void
tim_transport_set_backoff (TimTransport *self, guint min_ms, guint max_ms)
{
  g_return_if_fail (TIM_IS_TRANSPORT (self));
  g_return_if_fail (min_ms <= max_ms);

  self->backoff_min_ms = min_ms;
  self->backoff_max_ms = max_ms;
}

void
tim_transport_set_heartbeat (TimTransport *self, guint alive_after_ms, guint alive_timeout_ms)
{
  g_return_if_fail (TIM_IS_TRANSPORT (self));
  g_return_if_fail (alive_after_ms > 0 && alive_timeout_ms > 0);

  self->alive_after_ms = alive_after_ms;
  self->alive_timeout_ms = alive_timeout_ms;
  if (self->tick_source != NULL)
    _tim_transport_start_tick (self);
}
