/* test-tim-outbox-callbacks.c: a send's callback runs as its send ends (GTask calls it at once,
 * outside the iteration that made the task) and may do anything with the client: log out,
 * delete, send. The outbox must be whole and free by then, whatever ended the send: a deletion,
 * a logout. (The end by an answer: /tim/outbox/delete-in-failure-callback in test-tim-outbox.c.) */
#define G_LOG_DOMAIN "test-tim-outbox-callbacks"

#include "config.h"

#include <signal.h>

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  TimClient *client;
  gboolean ended;
} LogoutOnEnd;

static void
logout_on_end (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LogoutOnEnd *data = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_false (tim_client_send_message_finish (TIM_CLIENT (source), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  data->ended = TRUE;
  tim_client_logout (data->client);
}

typedef struct
{
  TimClient *client;
  GPtrArray *messages;
  GAsyncResult *result;
  gboolean asked;
} Delete;

/* From a source, as the app deletes (a click's handler): GTask then calls the callbacks at once,
 * from inside the deletion. */
static gboolean
delete_from_source (gpointer user_data)
{
  Delete *delete = user_data;

  tim_client_delete_messages_async (delete->client, delete->messages, NULL, tim_test_keep_result,
                                    &delete->result);
  delete->asked = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
both_gone (gpointer user_data)
{
  gpointer *weak = user_data;

  return weak[0] == NULL && weak[1] == NULL;
}

/* A message deleted while its send waits for the server's answer: its caller hears of it at once
 * ("deleted before it was sent") and here logs out. The outbox still counted the deleted send in
 * flight, so the logout took the message queued behind it for the one in flight and left it to a
 * request that did not exist to free (leaked), and the logout's end of the deleted send's real
 * request, which was not marked abandoned yet, ended it a second time (its task returned twice). */
static void
test_logout_in_drop_callback (void)
{
  TimClient *pat = tim_test_client_new (fixture, base_dir, "pat");
  TimMessage *deleted = tim_client_create_text_message (pat, "quinn", TIM_CONV_C2C, "deleted 000");
  TimMessage *next = tim_client_create_text_message (pat, "quinn", TIM_CONV_C2C, "next 000");
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();
  Delete delete = { pat, messages, NULL, FALSE };
  g_autoptr (GAsyncResult) next_result = NULL;
  g_autoptr (GError) error = NULL;
  LogoutOnEnd data = { pat, FALSE };
  GPid server = timchat_test_find_server_pid ();
  gpointer weak[2] = { pat, next };
  gboolean logged_out;

  g_assert_cmpint (server, >, 0);
  g_object_add_weak_pointer (G_OBJECT (pat), &weak[0]);
  g_object_add_weak_pointer (G_OBJECT (next), &weak[1]);
  /* The server stopped: the first send waits for its answer, in flight. */
  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  tim_client_send_message_async (pat, deleted, NULL, NULL, NULL, NULL, logout_on_end, &data);
  tim_client_send_message_async (pat, next, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &next_result);
  timchat_test_spin (200);
  g_ptr_array_add (messages, deleted);
  g_idle_add (delete_from_source, &delete);
  g_assert_true (tim_test_wait_flag (&delete.asked, 5000));
  logged_out = data.ended;
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);
  g_assert_true (logged_out);
  g_assert_true (
      tim_client_delete_messages_finish (pat, tim_test_wait_result (&delete.result), &error));
  g_assert_no_error (error);
  /* The one behind it ends with the logout, kept for the next login. */
  g_assert_false (
      tim_client_send_message_finish (pat, tim_test_wait_result (&next_result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&next_result);
  g_clear_object (&delete.result);
  g_object_unref (deleted);
  g_object_unref (next);
  g_object_unref (pat);
  /* Nothing holds the client or the message once the logout's requests have ended. */
  g_assert_true (tim_test_wait_until (both_gone, weak, 5000));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  timchat_test_import_account (fixture, "quinn", "Quinn");
  g_test_add_func ("/tim/outbox/logout-in-drop-callback", test_logout_in_drop_callback);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  g_free (base_dir);
  return status;
}
