/* main.c: timchat-server [--data-dir DIR] [--listen HOST:PORT] [--tls-cert F --tls-key F]
 *                        [--exit-when-idle SECONDS]
 *         timchat-server usersig USER [--expire SECONDS] [--data-dir DIR] */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "tim-conv.h"
#include "tim-limits.h"
#include "tim-usersig.h"
#include "timchat-config.h"
#include "timchat-server.h"

static char *data_dir = NULL;
static char *listen_address = NULL;
static char *tls_cert = NULL;
static char *tls_key = NULL;
static gint64 expire_seconds = 86400 * 180;
static int exit_when_idle = 0;

static const GOptionEntry entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, "Where config, database and files live",
    "DIR" },
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen_address,
    "Address to listen on (default 127.0.0.1:8080)", "HOST:PORT" },
  { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
    "PEM certificate: serve wss:// and https://", "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "PEM private key for --tls-cert", "FILE" },
  { "exit-when-idle", 0, 0, G_OPTION_ARG_INT, &exit_when_idle,
    "Exit after this long without a client (the app's own server; default: never)", "SECONDS" },
  { "expire", 0, 0, G_OPTION_ARG_INT64, &expire_seconds, "usersig: validity in seconds",
    "SECONDS" },
  { NULL }
};

/* Stays installed until the process ends: removed, it would give the signal back its default
 * action, and a second SIGTERM or SIGINT during the drain (an impatient admin, a service manager
 * that signals again) killed the server before it closed the database, which its supervisor
 * records as a crash. The drain is bounded (2 s), so the second one only waits for it. */
static gboolean
on_terminate (gpointer user_data)
{
  static gboolean terminating;
  GMainLoop *loop = user_data;

  if (terminating)
    {
      g_message ("Already shutting down: the answers still waiting go out first");
      return G_SOURCE_CONTINUE;
    }
  terminating = TRUE;
  g_message ("Shutting down");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* EX_TEMPFAIL: a supervisor (systemd's Restart=on-failure, the app's local server watch) starts
 * the server again, and that start reads back what the disk really holds. */
#define EXIT_DISK_FAILED 75

static gboolean disk_failed;

static void
on_disk_failed (TimchatStore *store, gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_warning ("The disk failed to keep what the server wrote; stopping, so that a restart "
             "starts from what the disk holds (nothing is acknowledged until then)");
  disk_failed = TRUE;
  g_main_loop_quit (loop);
}

typedef struct
{
  TimchatServer *server;
  GMainLoop *loop;
} IdleWatch;

/* --exit-when-idle: the app's "Try it on this computer" server is shared by every TimChat on the
 * machine, so no one of them may stop it; it goes when the last one has been gone a while. */
static gboolean
on_idle_check (gpointer user_data)
{
  IdleWatch *watch = user_data;

  if (timchat_server_get_idle_seconds (watch->server) < (guint) exit_when_idle)
    return G_SOURCE_CONTINUE;
  g_message ("No client for %d s: shutting down", exit_when_idle);
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static int
print_usersig (const char *user)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatConfig) config = timchat_config_load_or_create (data_dir, &error);
  g_autofree char *usersig = NULL;

  if (config == NULL)
    {
      g_printerr ("timchat-server: %s\n", error->message);
      return 1;
    }
  usersig = tim_usersig_generate (config->sdkappid, config->secret, user,
                                  g_get_real_time () / G_USEC_PER_SEC, expire_seconds, NULL);
  g_print ("%s\n", usersig);
  return 0;
}

static void
drop_message (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
}

/* libsoup logs six debug messages per relayed message (frames queued, sent, received); GLib's
 * default handler took ~3 µs to decide to drop them, 1.4 % of the relay's main thread. Unless
 * G_MESSAGES_DEBUG asks for them, they stop at a handler that does nothing. */
static void
drop_libsoup_debug (void)
{
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "libsoup"))
    g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, drop_message, NULL);
}

/* Every connection is a file descriptor. The soft limit a shell or systemd hands out (often
 * 1,024) would cap the server near a thousand clients while the hard limit allows far more; a
 * server takes what it is allowed (timchat-accept-watch.c says what happens at the limit). */
static void
raise_open_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
    return;
  {
    rlim_t before = limit.rlim_cur;

    limit.rlim_cur = limit.rlim_max;
    if (setrlimit (RLIMIT_NOFILE, &limit) == 0)
      g_message ("Open-file limit raised from %lu to %lu", (unsigned long) before,
                 (unsigned long) limit.rlim_cur);
  }
}

static gboolean
parse_listen (const char *address, char **host, guint16 *port, GError **error)
{
  const char *colon = strrchr (address, ':');
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--listen wants HOST:PORT, not \"%s\"", address);
      return FALSE;
    }
  *host = g_strndup (address, colon - address);
  *port = (guint16) value;
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("[usersig USER] - TimChat server");
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;
  IdleWatch watch = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("timchat-server: %s\n", error->message);
      return 2;
    }
  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "timchat-server", NULL);

  if (argc >= 2 && g_str_equal (argv[1], "usersig"))
    {
      if (argc != 3)
        {
          g_printerr ("Usage: timchat-server usersig USER [--expire SECONDS] [--data-dir DIR]\n");
          return 2;
        }
      /* Only what the server lets in: wslogin refuses any other user ID (70013), and a UserSig
       * whose lifetime is not positive is over when printed (a negative one never verifies).
       * Printed all the same, it was only refused at the first login, far from the typo. */
      if (!tim_user_id_is_valid (argv[2]))
        {
          /* Escaped: the argument need not even be UTF-8. */
          g_autofree char *shown = g_strescape (argv[2], NULL);

          g_printerr ("timchat-server: \"%s\" is not a valid user ID (1 to %d of A-Z a-z 0-9 "
                      "_ - @ .)\n",
                      shown, TIM_MAX_USERID_BYTES);
          return 2;
        }
      if (expire_seconds <= 0)
        {
          g_printerr ("timchat-server: --expire wants seconds (more than 0)\n");
          return 2;
        }
      return print_usersig (argv[2]);
    }
  if (argc > 1)
    {
      g_printerr ("timchat-server: unexpected argument \"%s\"\n", argv[1]);
      return 2;
    }
  if (exit_when_idle < 0)
    {
      g_printerr ("timchat-server: --exit-when-idle wants seconds (0: never)\n");
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("timchat-server: --tls-cert and --tls-key go together\n");
      return 2;
    }
  if (!parse_listen (listen_address != NULL ? listen_address : "127.0.0.1:8080", &host, &port,
                     &error))
    {
      g_printerr ("timchat-server: %s\n", error->message);
      return 2;
    }

  drop_libsoup_debug ();
  raise_open_file_limit ();
  server = timchat_server_new (data_dir, &error);
  if (server == NULL || !timchat_server_listen (server, host, port, tls_cert, tls_key, &error))
    {
      g_printerr ("timchat-server: %s\n", error->message);
      return 1;
    }
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_terminate, loop);
  g_unix_signal_add (SIGINT, on_terminate, loop);
  g_signal_connect (timchat_server_get_store (server), "disk-failed", G_CALLBACK (on_disk_failed),
                    loop);
  if (exit_when_idle > 0)
    {
      watch.server = server;
      watch.loop = loop;
      g_timeout_add_seconds (1, on_idle_check, &watch);
    }

  /* Tests and scripts wait for this exact line. */
  printf ("timchat-server listening on %s:%u\n", host, timchat_server_get_port (server));
  fflush (stdout);
  g_message ("Data in %s; UserSigs: timchat-server usersig USER --data-dir %s", data_dir, data_dir);

  g_main_loop_run (loop);
  timchat_server_drain (server);
  /* Before the status is chosen, and while the loop on_disk_failed () quits is still there: the
   * store's last commit and sync happen as it closes, and may fail too. */
  g_clear_object (&server);
  return disk_failed ? EXIT_DISK_FAILED : 0;
}
