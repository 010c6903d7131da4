/* timchat-request-guard.c: libsoup's SoupServer waits for a request for as long as the client
 * likes. A connection that never sends one, or sends its headers a byte at a time ("slowloris"),
 * holds a socket and a file descriptor for ever, and enough of them lock everyone out (200 such
 * connections were all still open after 75 s). libsoup shows no accepted connection, but it
 * starts reading a request as soon as a connection is accepted (and again after each answer on
 * a kept-alive one), and says so with SoupServer::request-started. So each request being read
 * gets a deadline: its headers must be whole within the timeout, and then its body must come at
 * BODY_MIN_RATE on average (each byte of it buys that much more time, so a slow upload that moves
 * is never cut, and a body trickled a byte at a time is); it is dropped once read whole. A
 * request past its deadline has its socket shut down, which makes libsoup abort it and close the
 * connection. A WebSocket is a request read whole, and its session has its own idle timeout. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "timchat-request-guard.h"

/* Bytes a second a body must average once the headers are in: a phone on a poor link uploads
 * faster than this. */
#define BODY_MIN_RATE 1024

typedef struct
{
  gint64 deadline;  /* monotonic µs */
  gint64 body_from; /* when the headers were whole (0: not yet) */
  guint64 body_bytes;
} Watch;

struct _TimchatRequestGuard
{
  GObject parent_instance;

  SoupServer *soup; /* unowned: it owns us, through the server */
  gint64 timeout_us;
  GHashTable *deadlines; /* SoupServerMessage (weak) -> Watch */
  guint check_source;
};

G_DEFINE_FINAL_TYPE (TimchatRequestGuard, timchat_request_guard, G_TYPE_OBJECT)

static void stop_watching (TimchatRequestGuard *self, SoupServerMessage *msg);

static void
on_message_gone (gpointer user_data, GObject *where_the_message_was)
{
  TimchatRequestGuard *self = user_data;

  g_hash_table_remove (self->deadlines, where_the_message_was);
}

static void
on_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  TimchatRequestGuard *self = user_data;
  Watch *watch = g_hash_table_lookup (self->deadlines, msg);

  if (watch == NULL)
    return;
  watch->body_from = g_get_monotonic_time ();
  watch->deadline = watch->body_from + self->timeout_us;
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  TimchatRequestGuard *self = user_data;
  Watch *watch = g_hash_table_lookup (self->deadlines, msg);

  if (watch == NULL || watch->body_from == 0)
    return;
  watch->body_bytes += g_bytes_get_size (chunk);
  watch->deadline = watch->body_from + self->timeout_us +
                    (gint64) (watch->body_bytes * G_USEC_PER_SEC / BODY_MIN_RATE);
}

static gboolean
check_deadlines (gpointer user_data)
{
  TimchatRequestGuard *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr (GPtrArray) late = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer msg, watch;

  g_hash_table_iter_init (&iter, self->deadlines);
  while (g_hash_table_iter_next (&iter, &msg, &watch))
    if (((Watch *) watch)->deadline < now)
      g_ptr_array_add (late, msg);
  for (guint i = 0; i < late->len; i++)
    {
      SoupServerMessage *msg_late = late->pdata[i];
      GSocket *socket = soup_server_message_get_socket (msg_late);

      g_debug ("Closing a connection whose request did not come in %" G_GINT64_FORMAT " s",
               self->timeout_us / G_USEC_PER_SEC);
      stop_watching (self, msg_late);
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
  if (g_hash_table_size (self->deadlines) > 0)
    return G_SOURCE_CONTINUE;
  self->check_source = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_watching (TimchatRequestGuard *self, SoupServerMessage *msg)
{
  if (!g_hash_table_remove (self->deadlines, msg))
    return;
  g_object_weak_unref (G_OBJECT (msg), on_message_gone, self);
  g_signal_handlers_disconnect_by_data (msg, self);
}

static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  TimchatRequestGuard *self = user_data;
  Watch *watch = g_new0 (Watch, 1);

  watch->deadline = g_get_monotonic_time () + self->timeout_us;
  g_hash_table_insert (self->deadlines, msg, watch);
  g_object_weak_ref (G_OBJECT (msg), on_message_gone, self);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), self);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), self);
  if (self->check_source == 0)
    self->check_source = g_timeout_add_seconds (1, check_deadlines, self);
}

/* Read whole (or given up): what happens next is no longer the client's to slow down. */
static void
on_request_done (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  stop_watching (TIMCHAT_REQUEST_GUARD (user_data), msg);
}

guint
timchat_request_guard_get_n_watched (TimchatRequestGuard *self)
{
  g_return_val_if_fail (TIMCHAT_IS_REQUEST_GUARD (self), 0);
  return g_hash_table_size (self->deadlines);
}

static void
timchat_request_guard_dispose (GObject *object)
{
  TimchatRequestGuard *self = TIMCHAT_REQUEST_GUARD (object);
  g_autoptr (GList) watched = g_hash_table_get_keys (self->deadlines);

  for (GList *l = watched; l != NULL; l = l->next)
    stop_watching (self, l->data);
  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  self->soup = NULL;
  g_clear_handle_id (&self->check_source, g_source_remove);
  G_OBJECT_CLASS (timchat_request_guard_parent_class)->dispose (object);
}

static void
timchat_request_guard_finalize (GObject *object)
{
  TimchatRequestGuard *self = TIMCHAT_REQUEST_GUARD (object);

  g_hash_table_unref (self->deadlines);
  G_OBJECT_CLASS (timchat_request_guard_parent_class)->finalize (object);
}

static void
timchat_request_guard_class_init (TimchatRequestGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = timchat_request_guard_dispose;
  object_class->finalize = timchat_request_guard_finalize;
}

static void
timchat_request_guard_init (TimchatRequestGuard *self)
{
  self->deadlines = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

TimchatRequestGuard *
timchat_request_guard_new (SoupServer *soup, guint timeout_seconds)
{
  TimchatRequestGuard *self = g_object_new (TIMCHAT_TYPE_REQUEST_GUARD, NULL);

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  self->timeout_us = (gint64) timeout_seconds * G_USEC_PER_SEC;
  if (timeout_seconds == 0)
    return self;
  self->soup = soup;
  g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (soup, "request-read", G_CALLBACK (on_request_done), self);
  g_signal_connect (soup, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (on_request_done), self);
  return self;
}
