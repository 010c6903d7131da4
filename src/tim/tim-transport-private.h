/* tim-transport-private.h: TimTransport's insides, shared by tim-transport.c (socket, requests,
 * login) and tim-transport-heartbeat.c (heartbeat, hello, reconnect with backoff). */
#pragma once

#include <libsoup/soup.h>

#include "tim-transport.h"

G_BEGIN_DECLS

#define TIM_TRANSPORT_MAX_FRAME_BYTES (16 * 1024 * 1024)
#define TIM_TRANSPORT_CONNECT_TIMEOUT_MS 15000
#define TIM_TRANSPORT_CLOSE_RECONNECT 4001
#define TIM_TRANSPORT_CLOSE_LOGOUT 4000

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
  char *key;   /* "servcmd#seq" while pending */
  GList *link; /* in ->queue while queued */
  GTask *task; /* TIM_REQUEST_USER and TIM_REQUEST_LOGIN's caller */
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

GSource *_tim_transport_add_timeout (TimTransport *self, guint ms, GSourceFunc func, gpointer data);
void _tim_transport_clear_source (GSource **source);
void _tim_transport_set_state (TimTransport *self, TimNetState state);
void _tim_transport_open_socket (TimTransport *self);
void _tim_transport_send_internal (TimTransport *self, TimRequestKind kind, const char *servcmd,
                                   guint timeout_ms);
/* The socket is gone or useless: reconnect when logged in, else fail the login. */
void _tim_transport_connection_lost (TimTransport *self, gushort code, const char *reason);

/* tim-transport-heartbeat.c */
void _tim_transport_start_tick (TimTransport *self);
void _tim_transport_alive_done (TimTransport *self, const GError *error);
void _tim_transport_schedule_reconnect (TimTransport *self);
guint _tim_transport_backoff_delay (TimTransport *self);

G_END_DECLS
