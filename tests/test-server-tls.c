/* test-server-tls.c: --tls-cert/--tls-key serve wss:// and https:// (certificate made here with
 * openssl, trusted by this test only). */
#define G_LOG_DOMAIN "test-server-tls"

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "timchat-test-util.h"

static char *dir;

static gboolean
accept_any (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors,
            gpointer data)
{
  *(gboolean *) data = TRUE;
  return TRUE; /* our own throwaway certificate */
}

static void
test_wss_and_https (void)
{
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *wss = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (SoupMessage) upgrade = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GBytes) empty_object = g_bytes_new_static ("{}", 2);
  SoupWebsocketConnection *connection = NULL;
  gboolean saw_certificate = FALSE;
  const char *port;
  int status = 0;

  g_assert_true (g_spawn_sync (
      NULL,
      (char *[]){ "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                  "/CN=127.0.0.1", "-days", "1", "-keyout", key, "-out", cert, NULL },
      NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
      NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("TIMCHAT_SERVER"),
                             "--data-dir", data_dir, "--listen", "127.0.0.1:0", "--tls-cert", cert,
                             "--tls-key", key, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "timchat-server listening on 127.0.0.1:"));
  port = strrchr (line, ':') + 1;

  /* https: the REST transport answers (no credentials: a TIM code, over TLS). */
  url = g_strdup_printf ("https://127.0.0.1:%s/v4/openim/sendmsg?sdkappid=1", port);
  msg = soup_message_new ("POST", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), &saw_certificate);
  soup_message_set_request_body_from_bytes (msg, "application/json", empty_object);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (saw_certificate);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (
      g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\"ErrorCode\":60006"));

  /* wss: the WebSocket upgrade works over TLS. */
  wss = g_strdup_printf ("wss://127.0.0.1:%s/binfo?sdkappid=1", port);
  upgrade = soup_message_new ("GET", wss);
  g_signal_connect (upgrade, "accept-certificate", G_CALLBACK (accept_any), &saw_certificate);
  connection = timchat_test_websocket_open (session, upgrade);
  g_assert_cmpint (soup_websocket_connection_get_state (connection), ==, SOUP_WEBSOCKET_STATE_OPEN);
  soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (connection);

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
}

static void
make_pair (const char *cert, const char *key)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (
      NULL,
      (char *[]){ "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                  "/CN=127.0.0.1", "-days", "1", "-keyout", (char *) key, "-out", (char *) cert,
                  NULL },
      NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
      NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* A --tls-key that is not the key of --tls-cert (a renewed certificate beside the old key) stops
 * the start, naming both files, with exit 1. The server said it was listening, and then every
 * TLS handshake failed, without a word in its log: to its clients it was simply unreachable. */
static void
test_key_of_another_certificate (void)
{
  g_autofree char *cert = g_build_filename (dir, "one-cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "one-key.pem", NULL);
  g_autofree char *other_cert = g_build_filename (dir, "other-cert.pem", NULL);
  g_autofree char *other_key = g_build_filename (dir, "other-key.pem", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "mismatch", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) server = NULL;

  make_pair (cert, key);
  make_pair (other_cert, other_key);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             &error, g_getenv ("TIMCHAT_SERVER"), "--data-dir", data_dir,
                             "--listen", "127.0.0.1:0", "--exit-when-idle", "1", "--tls-cert", cert,
                             "--tls-key", other_key, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (server, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 1);
  g_assert_null (strstr (out, "listening"));
  g_assert_nonnull (strstr (err, "timchat-server: "));
  g_assert_nonnull (strstr (err, cert));
  g_assert_nonnull (strstr (err, other_key));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("timchat-tls-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/server/tls/wss-and-https", test_wss_and_https);
  g_test_add_func ("/server/tls/key-of-another-certificate", test_key_of_another_certificate);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (dir);
  return status;
}
