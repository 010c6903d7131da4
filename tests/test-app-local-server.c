/* test-app-local-server.c: "Try it on this computer" with two TimChats on one local server. The
 * server is nobody's: closing the window that started it leaves the other one chatting; when it
 * dies anyway, the window that is left brings it back on the same port with the same data; and
 * once nobody uses it, it goes by itself. Another program on the port it had is not taken for
 * it. */
#define G_LOG_DOMAIN "test-app-local-server"

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-window.h"

static char *base_dir;

/* The pid of the timchat-server running with --data-dir data_dir, 0 if none; how many there are
 * in *count. */
static GPid
find_server (const char *data_dir, guint *count)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  GPid found = 0;

  *count = 0;
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize length = 0;
      gboolean is_server = FALSE;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &cmdline, &length, NULL))
        continue;
      /* cmdline: the arguments, each ending in a NUL */
      for (const char *arg = cmdline; arg < cmdline + length; arg += strlen (arg) + 1)
        if (g_str_equal (arg, "--data-dir") && arg + strlen (arg) + 1 < cmdline + length &&
            g_str_equal (arg + strlen (arg) + 1, data_dir) && g_str_has_suffix (cmdline, "server"))
          is_server = TRUE;
      if (is_server)
        {
          found = (GPid) g_ascii_strtoll (name, NULL, 10);
          (*count)++;
        }
    }
  return found;
}

static gboolean
client_connected (gpointer data)
{
  TimClient *client = timchat_window_get_client (data);

  return client != NULL && tim_client_get_is_ready (client) &&
         tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED;
}

static gboolean
client_lost (gpointer data)
{
  return !client_connected (data);
}

static void
send_text (TimchatWindow *window, const char *to, const char *text)
{
  TimClient *client = timchat_window_get_client (window);
  g_autoptr (TimMessage) message = tim_client_create_text_message (client, to, TIM_CONV_C2C, text);
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_send (client, message, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *data_dir;
  GPid pid;
} ServerWatch;

static gboolean
server_gone (gpointer data)
{
  ServerWatch *watch = data;
  guint count;

  return find_server (watch->data_dir, &count) != watch->pid;
}

static void
test_shared_outlives_and_comes_back (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "shared-server", NULL);
  TimchatWindow *first = timchat_window_new (NULL, "first", base_dir);
  TimchatWindow *second = timchat_window_new (NULL, "second", base_dir);
  ServerWatch watch = { local_dir, 0 };
  GPid restarted;
  guint count;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  gtk_window_present (GTK_WINDOW (first));
  timchat_window_start_local (first, "ann");
  g_assert_true (tim_test_wait_until (client_connected, first, 20000));
  watch.pid = find_server (local_dir, &count);
  g_assert_cmpint (watch.pid, >, 0);

  /* The second TimChat finds it and starts no other. */
  gtk_window_present (GTK_WINDOW (second));
  timchat_window_start_local (second, "ben");
  g_assert_true (tim_test_wait_until (client_connected, second, 20000));
  g_assert_cmpint (find_server (local_dir, &count), ==, watch.pid);
  g_assert_cmpuint (count, ==, 1);

  /* The one that started it goes; the server stays for the other. */
  gtk_window_destroy (GTK_WINDOW (first));
  timchat_test_spin (1500);
  g_assert_cmpint (find_server (local_dir, &count), ==, watch.pid);
  g_assert_true (client_connected (second));
  send_text (second, "ann", "still here");

  /* It dies (as it does with the Flatpak sandbox of the TimChat that started it): the window
   * that is left starts it again on the same data, and its client reconnects to the same URL. */
  kill (watch.pid, SIGKILL);
  g_assert_true (tim_test_wait_until (client_lost, second, 10000));
  g_assert_true (tim_test_wait_until (client_connected, second, 20000));
  restarted = find_server (local_dir, &count);
  g_assert_cmpint (restarted, >, 0);
  g_assert_cmpint (restarted, !=, watch.pid);
  /* The killed server's log is kept beside the new one's. */
  {
    g_autofree char *old_log = g_build_filename (local_dir, "server.log.old", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (old_log, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "Data in"));
  }
  send_text (second, "ann", "back again");

  /* Nobody left: it exits by itself (--exit-when-idle 10). */
  gtk_window_destroy (GTK_WINDOW (second));
  watch.pid = restarted;
  g_assert_true (tim_test_wait_until (server_gone, &watch, 20000));
  g_assert_cmpint (find_server (local_dir, &count), ==, 0);
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

static void
answer_as_someone_else (SoupServer *server, SoupServerMessage *msg, const char *path,
                        GHashTable *query, gpointer user_data)
{
  (*(guint *) user_data)++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

/* After our server has gone, another program may listen on the port it had: a connection there
 * is not taken for ours; a new server starts on another port. */
static void
test_someone_else_on_the_port (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "port-taken", NULL);
  g_autofree char *port_path = g_build_filename (local_dir, "port", NULL);
  g_autofree char *port_text = NULL;
  g_autoptr (SoupServer) other = soup_server_new ("server-header", "other/1.0", NULL);
  g_autoptr (GSList) uris = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "port-taken", base_dir);
  guint other_requests = 0;
  guint16 other_port;
  guint count;

  soup_server_add_handler (other, NULL, answer_as_someone_else, &other_requests, NULL);
  g_assert_true (soup_server_listen_local (other, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (other);
  other_port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  g_assert_cmpint (g_mkdir_with_parents (local_dir, 0700), ==, 0);
  port_text = g_strdup_printf ("%u", other_port);
  g_assert_true (g_file_set_contents (port_path, port_text, -1, NULL));

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "cid");
  g_assert_true (tim_test_wait_until (client_connected, window, 20000));
  g_assert_cmpuint (other_requests, ==, 1); /* asked once, and not taken for ours */
  g_assert_cmpint (find_server (local_dir, &count), >, 0);
  g_assert_cmpuint (count, ==, 1);
  g_clear_pointer (&port_text, g_free);
  g_assert_true (g_file_get_contents (port_path, &port_text, NULL, NULL));
  g_assert_cmpuint (g_ascii_strtoull (port_text, NULL, 10), !=, other_port);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/local-server/shared-outlives-and-comes-back",
                   test_shared_outlives_and_comes_back);
  g_test_add_func ("/app/local-server/someone-else-on-the-port", test_someone_else_on_the_port);
  return test_app_run (NULL, base_dir);
}
