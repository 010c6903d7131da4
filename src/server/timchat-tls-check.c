/* timchat-tls-check.c: one TLS handshake with the server's own certificate, over a socket pair
 * in this process (see timchat-tls-check.h). GLib loads a certificate and a private key that do
 * not belong together without a word (there is no API to compare them), and the server then
 * listened and failed every client's handshake, logging nothing: to its clients it was simply
 * unreachable. A handshake is what a client does, so it is the check. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "timchat-tls-check.h"

/* A handshake takes milliseconds; this only keeps a TLS backend that never answers from holding
 * the start for ever. */
#define CHECK_TIMEOUT_S 10

typedef struct
{
  guint pending;
  GError *client_error;
  GError *server_error;
} Handshakes;

/* The chain is the administrator's choice (a self-signed certificate is fine): only the key is
 * checked here. */
static gboolean
accept_any (GTlsConnection *connection, GTlsCertificate *peer, GTlsCertificateFlags errors,
            gpointer user_data)
{
  return TRUE;
}

static void
on_handshake (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Handshakes *handshakes = user_data;

  g_tls_connection_handshake_finish (
      G_TLS_CONNECTION (source), result,
      G_IS_TLS_SERVER_CONNECTION (source) ? &handshakes->server_error : &handshakes->client_error);
  handshakes->pending--;
}

static gboolean
on_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static GIOStream *
stream_from_fd (int fd, GError **error)
{
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, error);

  if (socket == NULL)
    {
      close (fd);
      return NULL;
    }
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

gboolean
timchat_tls_check_certificate (GTlsCertificate *certificate, const char *cert_path,
                               const char *key_path, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GIOStream) server_stream = NULL;
  g_autoptr (GIOStream) client_stream = NULL;
  g_autoptr (GIOStream) server = NULL;
  g_autoptr (GIOStream) client = NULL;
  g_autoptr (GSource) timeout = NULL;
  Handshakes handshakes = { 0 };
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot check the TLS certificate: %s", g_strerror (saved_errno));
      return FALSE;
    }
  server_stream = stream_from_fd (fds[0], error);
  client_stream = stream_from_fd (fds[1], server_stream != NULL ? error : NULL);
  if (server_stream == NULL || client_stream == NULL ||
      (server = g_tls_server_connection_new (server_stream, certificate, error)) == NULL ||
      (client = g_tls_client_connection_new (client_stream, NULL, error)) == NULL)
    return FALSE;
  g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_any), NULL);

  g_main_context_push_thread_default (context);
  timeout = g_timeout_source_new_seconds (CHECK_TIMEOUT_S);
  g_source_set_callback (timeout, on_timeout, cancellable, NULL);
  g_source_attach (timeout, context);
  handshakes.pending = 2;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (server), G_PRIORITY_DEFAULT, cancellable,
                                    on_handshake, &handshakes);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (client), G_PRIORITY_DEFAULT, cancellable,
                                    on_handshake, &handshakes);
  /* The side that fails first closes nothing: cancelling makes the other give up too. */
  while (handshakes.pending > 0)
    {
      g_main_context_iteration (context, TRUE);
      if (handshakes.pending > 0 &&
          (handshakes.client_error != NULL || handshakes.server_error != NULL))
        g_cancellable_cancel (cancellable);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (handshakes.client_error != NULL || handshakes.server_error != NULL)
    {
      /* The client's words say what a client would see; the server's, if the client had none. */
      GError *why =
          handshakes.client_error != NULL ? handshakes.client_error : handshakes.server_error;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "--tls-cert %s and --tls-key %s do not make a TLS server: a handshake with "
                   "them fails (%s). Is the key that of this certificate?",
                   cert_path, key_path, why->message);
      g_clear_error (&handshakes.client_error);
      g_clear_error (&handshakes.server_error);
      return FALSE;
    }
  return TRUE;
}
