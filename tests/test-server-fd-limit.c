/* test-server-fd-limit.c: the server at its open-file limit. libsoup (3.2) stops accepting for
 * good the first time accept() fails; the server notices and listens again, so once clients go
 * away new ones get in, and those already connected are served meanwhile. */
#define G_LOG_DOMAIN "test-server-fd-limit"
#define _GNU_SOURCE

#include "config.h"

#include <sys/resource.h>

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define HEADROOM 20 /* descriptors left to the server above what it holds at the start */
/* Connections opened at once: more than the headroom, and few enough more that the rest fit in
 * the listen backlog (libsoup's is 10), so that every connect() returns at once. */
#define FLOOD (HEADROOM + 5)

static TimchatFixture *fixture;

/* main () started the server with a soft open-file limit below the hard one (as a shell or
 * systemd hands out 1,024): it takes the hard limit. */
static void
test_soft_limit_raised (void)
{
  GPid pid = timchat_test_find_server_pid ();
  struct rlimit limit;

  g_assert_cmpint (pid, !=, 0);
  g_assert_cmpint (prlimit (pid, RLIMIT_NOFILE, NULL, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, ==, limit.rlim_max);
}

static void
test_accepts_again_after_the_limit (void)
{
  GPid pid = timchat_test_find_server_pid ();
  g_autoptr (TimchatTestClient) before = timchat_test_connect (fixture, "before");
  g_autoptr (GSocketClient) socket_client = g_socket_client_new ();
  guint start_fds;
  struct rlimit limit;

  g_assert_cmpint (pid, !=, 0);
  start_fds = timchat_test_proc_count_fds (pid);
  limit.rlim_cur = limit.rlim_max = start_fds + HEADROOM;
  g_assert_cmpint (prlimit (pid, RLIMIT_NOFILE, &limit, NULL), ==, 0);

  /* Twice: the server must also recover from the listener it made the first time. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr (GPtrArray) flood = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr (TimchatTestClient) after = NULL;
      g_autofree char *newcomer = g_strdup_printf ("after%u", round);

      /* More connections than descriptors: the kernel queues the rest, and accept () fails. */
      for (guint i = 0; i < FLOOD; i++)
        {
          g_autoptr (GError) error = NULL;
          GSocketConnection *connection = g_socket_client_connect_to_host (
              socket_client, "127.0.0.1", timchat_fixture_get_port (fixture), NULL, &error);

          g_assert_no_error (error);
          g_ptr_array_add (flood, connection);
        }
      timchat_test_spin (500);
      /* Who is connected already goes on being served. */
      timchat_test_send_ok (before, "before");

      /* Everyone goes away; a new client gets in (the server listens again within ~2 s). */
      for (guint i = 0; i < flood->len; i++)
        g_io_stream_close (flood->pdata[i], NULL, NULL);
      g_ptr_array_set_size (flood, 0);
      after = timchat_test_connect (fixture, newcomer);
      timchat_test_send_ok (after, "before");
    }
  g_assert_cmpuint (timchat_test_proc_count_fds (pid), <=, start_fds + 2);
}

int
main (int argc, char **argv)
{
  int status;

  struct rlimit limit;

  g_test_init (&argc, &argv, NULL);
  /* The server inherits a soft limit below its hard one. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_max, >, 256);
  limit.rlim_cur = 256;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/fd-limit/soft-limit-raised", test_soft_limit_raised);
  g_test_add_func ("/server/fd-limit/accepts-again-after-the-limit",
                   test_accepts_again_after_the_limit);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
