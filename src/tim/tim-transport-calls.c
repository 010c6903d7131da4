/* tim-transport-calls.c: what TimTransport's users call on it: login, logout, a request (refused
 * before it starts when there is no session or its text is not UTF-8), and the session's state
 * read back. Separate from the session itself (tim-transport.c), which carries on what these
 * start. */
#define G_LOG_DOMAIN "tim-transport"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-transport-private.h"

static gboolean
session_active (TimTransport *self)
{
  return self->logged_in || self->login_task != NULL;
}

/* Login -------------------------------------------------------------------------------------- */

static gboolean
on_login_cancelled (GCancellable *cancellable, gpointer data)
{
  TimTransport *self = g_object_ref (data);
  g_autoptr (GError) error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  g_clear_pointer (&self->login_cancel, g_source_unref);
  _tim_transport_stop_session (self, error, TIM_TRANSPORT_CLOSE_LOGOUT, "Login cancelled");
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
tim_transport_login_async (TimTransport *self, const char *identifier, const char *usersig,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TIM_IS_TRANSPORT (self));
  g_return_if_fail (identifier != NULL && usersig != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_transport_login_async);
  if (session_active (self))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_OPERATION,
                               "Already logged in or logging in");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  g_free (self->user);
  self->user = g_strdup (identifier);
  g_free (self->usersig);
  self->usersig = g_strdup (usersig);
  g_clear_pointer (&self->a2, g_free);
  g_clear_pointer (&self->tinyid, g_free);
  self->attempt = 0;
  self->login_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->login_cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->login_cancel, G_SOURCE_FUNC (on_login_cancelled), self, NULL);
      g_source_attach (self->login_cancel, self->context);
    }
  _tim_transport_open_socket (self);
}

JsonObject *
tim_transport_login_finish (TimTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tim_transport_login_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tim_transport_logout (TimTransport *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TIM_IS_TRANSPORT (self));

  if (self->conn != NULL && self->state == TIM_NET_STATE_CONNECTED)
    {
      g_autoptr (JsonObject) body = json_object_new ();
      TimRequest *req;

      json_object_set_int_member (body, "wslogout_type", 0);
      req = _tim_transport_request_new (self, TIM_REQUEST_HELLO, "im_open_status.wslogout", body,
                                        TIM_TRANSPORT_ALIVE_TIMEOUT_MS, NULL);
      _tim_transport_request_send (self, req); /* freed with the socket below, before any reply */
    }
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Logged out");
  g_object_ref (self);
  _tim_transport_stop_session (self, error, TIM_TRANSPORT_CLOSE_LOGOUT, "Logout");
  g_object_unref (self);
}

/* Requests ----------------------------------------------------------------------------------- */

/* A request refused before it starts still ends from the main context, as tim-transport.h
 * promises, not inside the call. */
typedef struct
{
  TimTransportReplyFunc func;
  gpointer func_data;
  GError *error;
} Refusal;

static gboolean
refuse (gpointer data)
{
  Refusal *refusal = data;

  refusal->func (NULL, refusal->error, refusal->func_data);
  g_error_free (refusal->error);
  g_free (refusal);
  return G_SOURCE_REMOVE;
}

static gboolean
body_is_utf8 (JsonObject *body)
{
  g_autoptr (JsonNode) node = tim_json_node_from_object (body);

  return tim_json_node_is_utf8 (node);
}

void
tim_transport_request (TimTransport *self, const char *servcmd, JsonObject *body, guint timeout_ms,
                       GCancellable *cancellable, TimTransportReplyFunc func, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  TimRequest *req;

  g_return_if_fail (TIM_IS_TRANSPORT (self));
  g_return_if_fail (servcmd != NULL);
  g_return_if_fail (func != NULL);

  if (!g_cancellable_set_error_if_cancelled (cancellable, &error) && !session_active (self))
    error = g_error_new_literal (TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN, "Not logged in");
  /* A frame with text that is not UTF-8 is not JSON: the server would close the socket (1007)
   * and every request on it would wait for its timeout. Refused here, alone. */
  if (error == NULL && body != NULL && !body_is_utf8 (body))
    error = g_error_new_literal (TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                                 _ ("The request holds text that is not valid UTF-8; nothing was "
                                    "sent"));
  if (error != NULL)
    {
      Refusal *refusal = g_new0 (Refusal, 1);
      g_autoptr (GSource) source = g_idle_source_new ();

      refusal->func = func;
      refusal->func_data = user_data;
      refusal->error = g_steal_pointer (&error);
      g_source_set_callback (source, refuse, refusal, NULL);
      g_source_set_static_name (source, "[tim] refused request");
      g_source_attach (source, self->context);
      return;
    }

  req = _tim_transport_request_new (self, TIM_REQUEST_USER, servcmd, body,
                                    timeout_ms != 0 ? timeout_ms : TIM_TRANSPORT_REQUEST_TIMEOUT_MS,
                                    cancellable);
  req->func = func;
  req->func_data = user_data;
  if (self->state == TIM_NET_STATE_CONNECTED && self->conn != NULL)
    _tim_transport_request_send (self, req);
  else
    _tim_transport_request_queue (self, req);
}

/* Accessors ---------------------------------------------------------------------------------- */

TimNetState
tim_transport_get_state (TimTransport *self)
{
  g_return_val_if_fail (TIM_IS_TRANSPORT (self), TIM_NET_STATE_DISCONNECTED);
  return self->state;
}

const char *
tim_transport_get_user (TimTransport *self)
{
  g_return_val_if_fail (TIM_IS_TRANSPORT (self), NULL);
  return self->user;
}

const char *
tim_transport_get_a2 (TimTransport *self)
{
  g_return_val_if_fail (TIM_IS_TRANSPORT (self), NULL);
  return self->a2;
}

const char *
tim_transport_get_tinyid (TimTransport *self)
{
  g_return_val_if_fail (TIM_IS_TRANSPORT (self), NULL);
  return self->tinyid;
}

gint64
tim_transport_get_time_offset (TimTransport *self)
{
  g_return_val_if_fail (TIM_IS_TRANSPORT (self), 0);
  return self->time_offset;
}

const char *
tim_transport_get_http_base (TimTransport *self)
{
  g_return_val_if_fail (TIM_IS_TRANSPORT (self), NULL);
  return self->http_base;
}
