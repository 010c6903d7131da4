/* tim-transport-request.c: TimTransport's requests. Each one is a caller's TimTransportReplyFunc
 * (or an internal handler) with its own timeout source and cancellable source; it waits in the
 * queue for a logged-in socket, then in the pending table (by "servcmd#seq") for its reply. */
#define G_LOG_DOMAIN "tim-transport"

#include "config.h"

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"
#include "tim-transport-private.h"

#define WEBSDKAPPID 537048168
#define WEBSDKVERSION "1.7.3"
#define SDKABILITY 192371
#define SEQ_WRAP G_GUINT64_CONSTANT (2415919103)

void
_tim_transport_request_free (TimRequest *req)
{
  _tim_transport_clear_source (&req->timeout);
  _tim_transport_clear_source (&req->cancel_source);
  g_free (req->servcmd);
  g_clear_pointer (&req->body, json_object_unref);
  g_free (req->key);
  g_clear_object (&req->cancellable);
  g_free (req);
}

/* Takes the request out of the queue or the pending table. */
static void
request_unlink (TimRequest *req)
{
  TimTransport *self = req->transport;

  if (req->link != NULL)
    {
      g_queue_delete_link (&self->queue, req->link);
      req->link = NULL;
    }
  if (req->key != NULL)
    {
      g_hash_table_steal (self->pending, req->key);
      g_clear_pointer (&req->key, g_free);
    }
}

/* Unlinks and frees the request first, so whatever the callback does finds consistent state. */
void
_tim_transport_request_complete (TimRequest *req, JsonObject *reply, const GError *error)
{
  TimTransport *self = req->transport;
  TimRequestKind kind = req->kind;
  TimTransportReplyFunc func = req->func;
  gpointer func_data = req->func_data;
  g_autoptr (GCancellable) cancellable = g_steal_pointer (&req->cancellable);
  g_autoptr (GError) cancelled = NULL;

  request_unlink (req);
  _tim_transport_request_free (req);

  switch (kind)
    {
    case TIM_REQUEST_USER:
      if (g_cancellable_set_error_if_cancelled (cancellable, &cancelled))
        func (NULL, cancelled, func_data);
      else
        func (error == NULL ? reply : NULL, error, func_data);
      break;
    case TIM_REQUEST_LOGIN:
      _tim_transport_login_done (self, reply, error);
      break;
    case TIM_REQUEST_ALIVE:
      _tim_transport_alive_done (self, error);
      break;
    case TIM_REQUEST_HELLO:
      break;
    }
}

static void
request_abandon (TimRequest *req, GError *error)
{
  TimTransport *self = g_object_ref (req->transport);

  if (req->key != NULL)
    g_hash_table_add (self->abandoned, g_strdup (req->key));
  _tim_transport_request_complete (req, NULL, error);
  g_object_unref (self);
}

static gboolean
on_request_timeout (gpointer data)
{
  TimRequest *req = data;
  g_autoptr (GError) error =
      g_error_new (TIM_ERROR, TIM_ERROR_NETWORK_TIMEOUT, "%s timed out", req->servcmd);

  request_abandon (req, error);
  return G_SOURCE_REMOVE;
}

static gboolean
on_request_cancelled (GCancellable *cancellable, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  request_abandon (data, error);
  return G_SOURCE_REMOVE;
}

TimRequest *
_tim_transport_request_new (TimTransport *self, TimRequestKind kind, const char *servcmd,
                            JsonObject *body, guint timeout_ms, GCancellable *cancellable)
{
  TimRequest *req = g_new0 (TimRequest, 1);

  req->transport = self;
  req->kind = kind;
  req->order = ++self->order;
  req->servcmd = g_strdup (servcmd);
  req->body = body != NULL ? json_object_ref (body) : json_object_new ();
  req->timeout = _tim_transport_add_timeout (self, timeout_ms, on_request_timeout, req);
  if (cancellable != NULL)
    {
      req->cancellable = g_object_ref (cancellable);
      req->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (req->cancel_source, G_SOURCE_FUNC (on_request_cancelled), req, NULL);
      g_source_attach (req->cancel_source, self->context);
    }
  return req;
}

static void
add_head (TimTransport *self, JsonObject *head)
{
  json_object_set_int_member (head, "platform", TIM_TRANSPORT_PLATFORM_WEB);
  json_object_set_int_member (head, "websdkappid", WEBSDKAPPID);
  json_object_set_string_member (head, "websdkversion", WEBSDKVERSION);
  json_object_set_int_member (head, "sdkappid", (gint64) self->sdkappid);
  json_object_set_string_member (head, "contenttype", "json");
  json_object_set_int_member (head, "reqtime", g_get_real_time () / G_USEC_PER_SEC);
  json_object_set_int_member (head, "sdkability", SDKABILITY);
  if (self->a2 != NULL)
    {
      json_object_set_string_member (head, "a2", self->a2);
      json_object_set_string_member (head, "tinyid", self->tinyid);
    }
  else
    {
      json_object_set_string_member (head, "identifier", self->user);
      json_object_set_string_member (head, "usersig", self->usersig);
    }
}

void
_tim_transport_request_send (TimTransport *self, TimRequest *req)
{
  g_autoptr (TimFrame) frame = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize length = 0;
  gconstpointer data;

  g_assert (self->conn != NULL && req->key == NULL && req->link == NULL);

  if (++self->seq >= SEQ_WRAP)
    self->seq = (guint64) g_random_int_range (0, TIM_TRANSPORT_SEQ_START_MAX);
  req->key = g_strdup_printf ("%s#%" G_GUINT64_FORMAT, req->servcmd, self->seq);
  g_hash_table_insert (self->pending, req->key, req);

  /* Closing (the server hung up first): the request is requeued when "closed" comes. */
  if (soup_websocket_connection_get_state (self->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  frame = tim_frame_new (req->servcmd, (gint64) self->seq, req->body);
  add_head (self, frame->head);
  bytes = tim_frame_to_bytes (frame);
  data = g_bytes_get_data (bytes, &length);
  soup_websocket_connection_send_binary (self->conn, data, length);
}

static gint
compare_order (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const TimRequest *ra = a, *rb = b;

  return ra->order < rb->order ? -1 : ra->order > rb->order;
}

void
_tim_transport_flush_queue (TimTransport *self)
{
  while (self->state == TIM_NET_STATE_CONNECTED && self->conn != NULL && self->queue.head != NULL)
    {
      TimRequest *req = g_queue_pop_head (&self->queue);

      req->link = NULL;
      _tim_transport_request_send (self, req);
    }
}

void
_tim_transport_send_internal (TimTransport *self, TimRequestKind kind, const char *servcmd,
                              guint timeout_ms)
{
  g_autoptr (JsonObject) body = json_object_new ();

  if (kind == TIM_REQUEST_LOGIN)
    {
      json_object_set_string_member (body, "State", "Online");
      json_object_set_int_member (body, "is_web_uniapp", 0);
      json_object_set_int_member (body, "InstType", 0);
    }
  _tim_transport_request_send (
      self, _tim_transport_request_new (self, kind, servcmd, body, timeout_ms, NULL));
}

/* Completes every queued request with error, after the caller changed the state. */
void
_tim_transport_fail_queued (TimTransport *self, const GError *error)
{
  g_autoptr (GPtrArray) reqs = g_ptr_array_new ();

  while (self->queue.head != NULL)
    {
      TimRequest *req = g_queue_pop_head (&self->queue);

      req->link = NULL;
      g_ptr_array_add (reqs, req);
    }
  for (guint i = 0; i < reqs->len; i++)
    _tim_transport_request_complete (reqs->pdata[i], NULL, error);
}
void
_tim_transport_request_queue (TimTransport *self, TimRequest *req)
{
  g_queue_push_tail (&self->queue, req);
  req->link = self->queue.tail;
}

/* The socket is gone: sent user requests go back to the queue in their order (the server may
 * see one twice, as with the official SDK); heartbeats and logins are dropped. */
void
_tim_transport_requeue_pending (TimTransport *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TimRequest *req = value;

      g_hash_table_iter_steal (&iter);
      g_clear_pointer (&req->key, g_free);
      if (req->kind == TIM_REQUEST_USER)
        {
          g_queue_insert_sorted (&self->queue, req, compare_order, NULL);
          req->link = g_queue_find (&self->queue, req);
        }
      else
        _tim_transport_request_free (req);
    }
  g_hash_table_remove_all (self->abandoned);
}
