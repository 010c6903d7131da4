/* tim-transport-heartbeat.c: keeping the session alive. heartbeat.alive when the socket has
 * been silent for 10 s (1 s tick, 3 s timeout), wshello every HelloInterval s, and reconnecting
 * after a lost socket with jittered exponential backoff. */
#define G_LOG_DOMAIN "tim-transport"

#include "config.h"

#include "tim-error.h"
#include "tim-transport-private.h"

#define TICK_MS 1000

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
  self->tick_source =
      _tim_transport_add_timeout (self, MIN (TICK_MS, MAX (self->alive_after_ms / 2, 50)),
                                  on_tick, self);
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
