/* tim-transport-private.h: TimTransport's insides, shared by tim-transport.c (session, login
 * reply, object), tim-transport-calls.c (login, logout, request, accessors),
 * tim-transport-request.c (requests, queue, heads) and tim-transport-socket.c (WebSocket,
 * heartbeat, reconnect with backoff). */
#pragma once

#include <libsoup/soup.h>

#include "tim-frame.h"
#include "tim-transport.h"

G_BEGIN_DECLS

#define TIM_TRANSPORT_MAX_FRAME_BYTES (16 * 1024 * 1024)
#define TIM_TRANSPORT_CONNECT_TIMEOUT_MS 15000
#define TIM_TRANSPORT_CLOSE_RECONNECT 4001
#define TIM_TRANSPORT_CLOSE_LOGOUT 4000
#define TIM_TRANSPORT_PLATFORM_WEB 7
#define TIM_TRANSPORT_SEQ_START_MAX 100000000
#define TIM_TRANSPORT_WSLOGIN "im_open_status.wslogin"

typedef enum
{
  TIM_REQUEST_USER,
  TIM_REQUEST_LOGIN,
  TIM_REQUEST_ALIVE,
  TIM_REQUEST_HELLO,
} TimRequestKind;

/* One request. It lives in exactly one place: the queue (waiting for a logged-in socket) or the
 * pending table (sent, waiting for its reply); completing it removes it from there. */
typedef struct
{
  TimTransport *transport; /* no reference: the transport completes every request in dispose */
  TimRequestKind kind;
  guint64 order; /* a requeued request goes back to its place */
  char *servcmd;
  JsonObject *body;
  char *key;                  /* "servcmd#seq" while pending */
  GList *link;                /* in ->queue while queued */
  TimTransportReplyFunc func; /* TIM_REQUEST_USER's caller */
  gpointer func_data;
  GCancellable *cancellable;
  GSource *timeout;
  GSource *cancel_source;
} TimRequest;

struct _TimTransport
{
  GObject parent_instance;

  char *server_url;
  char *http_base;
  guint64 sdkappid;
  char *instance_id;
  GMainContext *context;

  SoupSession *session;
  SoupWebsocketConnection *conn;
  GPtrArray *closing;        /* old sockets finishing their close handshake */
  GCancellable *cancellable; /* the object's lifetime */
  GCancellable *connect_cancellable;
  GSource *connect_timeout;

  TimNetState state;
  char *user;
  char *usersig;
  char *a2;
  char *tinyid;
  gint64 time_offset;
  guint64 seq;
  guint64 order;

  GHashTable *pending;   /* key -> TimRequest */
  GHashTable *abandoned; /* keys of timed-out or cancelled requests: a late reply is no push */
  GQueue queue;          /* TimRequest, in order */

  GTask *login_task; /* the first login, until it completes */
  GSource *login_cancel;
  gboolean logged_in; /* a login succeeded: keep the session alive until logout or kick */
  gboolean disposed;

  guint backoff_min_ms;
  guint backoff_max_ms;
  guint attempt;
  GSource *reconnect_source;

  guint alive_after_ms;
  guint alive_timeout_ms;
  GSource *tick_source;
  gint64 last_recv_us;
  gint64 last_hello_us;
  gint64 hello_interval_s;
  gboolean alive_pending;
};

/* tim-transport.c */
GSource *_tim_transport_add_timeout (TimTransport *self, guint ms, GSourceFunc func, gpointer data);
void _tim_transport_clear_source (GSource **source);
void _tim_transport_set_state (TimTransport *self, TimNetState state);
/* Ends the session (logout, kick, refused login, dispose): no socket, no reconnect; queued
 * requests and the login fail with error. */
void _tim_transport_stop_session (TimTransport *self, const GError *error, gushort code,
                                  const char *reason);
void _tim_transport_handle_frame (TimTransport *self, TimFrame *frame);
void _tim_transport_login_done (TimTransport *self, JsonObject *reply, const GError *error);

/* tim-transport-request.c */
TimRequest *_tim_transport_request_new (TimTransport *self, TimRequestKind kind,
                                        const char *servcmd, JsonObject *body, guint timeout_ms,
                                        GCancellable *cancellable);
void _tim_transport_request_free (TimRequest *req);
/* Takes the request out of where it is, frees it, then runs its callback. */
void _tim_transport_request_complete (TimRequest *req, JsonObject *reply, const GError *error);
void _tim_transport_request_send (TimTransport *self, TimRequest *req);
void _tim_transport_request_queue (TimTransport *self, TimRequest *req);
void _tim_transport_send_internal (TimTransport *self, TimRequestKind kind, const char *servcmd,
                                   guint timeout_ms);
void _tim_transport_flush_queue (TimTransport *self);
void _tim_transport_fail_queued (TimTransport *self, const GError *error);
void _tim_transport_requeue_pending (TimTransport *self);

/* tim-transport-socket.c */
void _tim_transport_open_socket (TimTransport *self);
void _tim_transport_drop_socket (TimTransport *self, gushort code, const char *reason);
/* The socket is gone or useless: reconnect when logged in, else fail the login. */
void _tim_transport_connection_lost (TimTransport *self, gushort code, const char *reason);
void _tim_transport_start_tick (TimTransport *self);
void _tim_transport_alive_done (TimTransport *self, const GError *error);
void _tim_transport_schedule_reconnect (TimTransport *self);
guint _tim_transport_backoff_delay (TimTransport *self);

G_END_DECLS
