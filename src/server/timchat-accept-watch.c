/* timchat-accept-watch.c: libsoup's SoupServer (3.2) accepts connections from a GSource on each
 * listening socket, and when accept() fails, with the process out of file descriptors (EMFILE)
 * say, that source returns FALSE and is gone: the server never accepts anyone again, even once
 * every descriptor is back, and says nothing (80 WebSockets against a limit of 64: the next
 * client after all of them closed got no answer at all). libsoup shows neither the failure nor
 * the source, but what it leaves is visible from outside: the listening socket stays readable
 * (connections wait in its backlog) while no request starts. Seen for two checks in a row, a
 * second apart (a main loop merely busy would have run libsoup's source between them), the
 * socket is handed to soup again, as a duplicate descriptor, which gives it a new source. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "timchat-accept-watch.h"

#define CHECK_SECONDS 1
#define STRIKES 2

struct _TimchatAcceptWatch
{
  GObject parent_instance;

  SoupServer *soup; /* unowned: it owns us, through the server */
  SoupServerListenOptions options;
  guint64 requests;   /* requests soup started, counted */
  guint64 checked_at; /* the count at the last check */
  guint strikes;      /* checks in a row that found connections waiting and no progress */
  guint check_source;
};

G_DEFINE_FINAL_TYPE (TimchatAcceptWatch, timchat_accept_watch, G_TYPE_OBJECT)

static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  TIMCHAT_ACCEPT_WATCH (user_data)->requests++;
}

/* The listening socket soup accepts from: the one still open (listening again closes the dead
 * one, whose source soup has dropped). */
static GSocket *
open_listener (TimchatAcceptWatch *self)
{
  GSList *listeners = soup_server_get_listeners (self->soup);
  GSocket *open = NULL;

  for (GSList *l = listeners; l != NULL && open == NULL; l = l->next)
    if (!g_socket_is_closed (l->data))
      open = l->data;
  g_slist_free (listeners);
  return open;
}

static void
listen_again (TimchatAcceptWatch *self, GSocket *listener)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) copy = NULL;
  int fd = dup (g_socket_get_fd (listener));

  if (fd < 0 || (copy = g_socket_new_from_fd (fd, &error)) == NULL ||
      !soup_server_listen_socket (self->soup, copy, self->options, &error))
    {
      /* Out of descriptors still: the next check tries again. */
      g_warning ("Not accepting connections, and listening again failed: %s",
                 error != NULL ? error->message : g_strerror (errno));
      if (fd >= 0 && copy == NULL)
        close (fd);
      return;
    }
  /* The dead listener's own descriptor would otherwise be held for nothing, one more each time;
   * the socket itself lives on in the copy. */
  g_socket_close (listener, NULL);
  g_warning ("Accepting connections had stopped (out of file descriptors?); listening again");
}

static gboolean
check_accepting (gpointer user_data)
{
  TimchatAcceptWatch *self = user_data;
  GSocket *listener = open_listener (self);
  gboolean waiting =
      listener != NULL && (g_socket_condition_check (listener, G_IO_IN) & G_IO_IN) != 0;

  if (waiting && self->requests == self->checked_at)
    self->strikes++;
  else
    self->strikes = 0;
  self->checked_at = self->requests;
  if (self->strikes >= STRIKES)
    {
      self->strikes = 0;
      listen_again (self, listener);
    }
  return G_SOURCE_CONTINUE;
}

static void
timchat_accept_watch_dispose (GObject *object)
{
  TimchatAcceptWatch *self = TIMCHAT_ACCEPT_WATCH (object);

  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  self->soup = NULL;
  g_clear_handle_id (&self->check_source, g_source_remove);
  G_OBJECT_CLASS (timchat_accept_watch_parent_class)->dispose (object);
}

static void
timchat_accept_watch_class_init (TimchatAcceptWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = timchat_accept_watch_dispose;
}

static void
timchat_accept_watch_init (TimchatAcceptWatch *self)
{
}

TimchatAcceptWatch *
timchat_accept_watch_new (SoupServer *soup, SoupServerListenOptions options)
{
  TimchatAcceptWatch *self = g_object_new (TIMCHAT_TYPE_ACCEPT_WATCH, NULL);

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  self->soup = soup;
  self->options = options;
  g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started), self);
  self->check_source = g_timeout_add_seconds (CHECK_SECONDS, check_accepting, self);
  return self;
}
