/* test-tim-outbox-callbacks.c: a send's callback runs as its send ends (GTask calls it at once,
 * outside the iteration that made the task) and may do anything with the client: log out,
 * delete, send. The outbox must be whole and free by then, whatever ended the send: a deletion,
 * a logout. (The end by an answer: /tim/outbox/delete-in-failure-callback in test-tim-outbox.c.) */
#define G_LOG_DOMAIN "test-tim-outbox-callbacks"

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-proxy.h"
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

typedef struct
{
  TimClient *client;
  GAsyncResult *sent; /* the send its callback made */
  gboolean ended;
  gboolean logged_out;
} SendOnEnd;

static void
send_on_end (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendOnEnd *data = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (data->client, "quinn", TIM_CONV_C2C, "during 000");

  g_assert_false (tim_client_send_message_finish (TIM_CLIENT (source), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  data->ended = TRUE;
  tim_client_send_message_async (data->client, message, NULL, NULL, NULL, NULL,
                                 tim_test_keep_result, &data->sent);
}

/* From a source, as the app logs out (a menu item's handler): the callbacks run at once. */
static gboolean
logout_from_source (gpointer user_data)
{
  SendOnEnd *data = user_data;

  tim_client_logout (data->client);
  data->logged_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
upload_tried (gpointer proxy)
{
  return timchat_test_proxy_get_uploads (proxy) >= 1;
}

static gboolean
outbox_left (gpointer result)
{
  return *(GAsyncResult **) result != NULL;
}

/* A logout while the outbox waits to try an upload again (the server behind its proxy answered
 * 503): nothing in flight, the next message queued. The first caller hears "Logged out" and sends
 * at once. The logout told its callers from inside its walk over the queue, with the account
 * still there: that send was taken, and started the message queued next, which the walk then
 * freed with its request out. Told once the account is gone, the send is refused (2024), as any
 * send after a logout, and the next login sends what was queued, once. */
static void
test_send_during_logout (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "ray", NULL);
  g_autofree char *path = g_build_filename (base_dir, "upload.bin", NULL);
  g_autoptr (TimClient) ray = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (TimClient) quinn = tim_test_client_new (fixture, base_dir, "quinn");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) media = NULL;
  g_autoptr (TimMessage) next = NULL;
  g_autoptr (GAsyncResult) next_result = NULL;
  g_autoptr (GAsyncResult) waited = NULL;
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GError) error = NULL;
  SendOnEnd data = { ray, NULL, FALSE, FALSE };
  TimTestLastText delivered = { quinn, "C2Cray", "next 000" };
  guint nexts = 0;

  g_assert_true (g_file_set_contents (path, "bytes", -1, NULL));
  tim_test_client_login (fixture, ray, "ray");
  media = tim_client_create_file_message (ray, "quinn", TIM_CONV_C2C, file);
  next = tim_client_create_text_message (ray, "quinn", TIM_CONV_C2C, "next 000");
  timchat_test_proxy_refuse_uploads (proxy, SOUP_STATUS_SERVICE_UNAVAILABLE);
  tim_client_send_message_async (ray, media, NULL, NULL, NULL, NULL, send_on_end, &data);
  tim_client_send_message_async (ray, next, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &next_result);
  g_assert_true (tim_test_wait_until (upload_tried, proxy, 5000));
  /* The 503 read, the retry 2 s away. */
  timchat_test_spin (300);
  g_assert_null (next_result);
  g_idle_add (logout_from_source, &data);
  g_assert_true (tim_test_wait_flag (&data.logged_out, 5000));
  g_assert_true (data.ended);
  g_assert_false (
      tim_client_send_message_finish (ray, tim_test_wait_result (&next_result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (tim_client_send_message_finish (ray, tim_test_wait_result (&data.sent), &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);
  g_clear_object (&data.sent);
  /* Any answer to a request of the freed message would have come by now. */
  timchat_test_spin (500);

  /* The next login sends both queued messages, the upload let through now. */
  timchat_test_proxy_refuse_uploads (proxy, 0);
  tim_test_client_login (fixture, ray, "ray");
  tim_client_wait_outbox_async (ray, NULL, tim_test_keep_result, &waited);
  g_assert_true (tim_test_wait_until (outbox_left, &waited, 15000));
  g_assert_true (tim_client_wait_outbox_finish (ray, waited, NULL));
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &delivered, 10000));
  got = tim_test_get_messages (quinn, "C2Cray", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < got->len; i++)
    {
      TimMessage *message = got->pdata[i];

      g_assert_cmpstr (tim_message_get_text (message), !=, "during 000");
      if (g_strcmp0 (tim_message_get_text (message), "next 000") == 0)
        nexts++;
    }
  g_assert_cmpuint (nexts, ==, 1);
  g_assert_cmpuint (got->len, ==, 2);
}

typedef struct
{
  TimMessage *message;
  GAsyncResult *result;
} SendOnNotReady;

static void
send_on_not_ready (TimClient *client, SendOnNotReady *data)
{
  if (data->message != NULL)
    return;
  data->message = tim_client_create_text_message (client, "tess", TIM_CONV_C2C, "while out");
  tim_client_send_message_async (client, data->message, NULL, NULL, NULL, NULL,
                                 tim_test_keep_result, &data->result);
}

/* A handler of what a logout tells on its way (here "not-ready"; the conversation list emptied,
 * the blocklist, the net state too) that sends is refused (2024), as any send after a logout: the
 * account is going. It was taken, with the user still set: queued in the outbox the logout had
 * emptied, it waited there for the next login, which sent it as whoever logged in on this client
 * next (here sid, not the rob who wrote it). */
static void
test_send_from_logout_signal (void)
{
  g_autoptr (TimClient) rob = tim_test_client_new (fixture, base_dir, "rob");
  g_autoptr (TimClient) tess = tim_test_client_new (fixture, base_dir, "tess");
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GError) error = NULL;
  SendOnNotReady data = { NULL, NULL };
  gulong handler;

  timchat_test_import_account (fixture, "sid", NULL);
  handler = g_signal_connect (rob, "not-ready", G_CALLBACK (send_on_not_ready), &data);
  tim_client_logout (rob);
  g_signal_handler_disconnect (rob, handler);
  g_assert_nonnull (data.message);
  g_assert_false (
      tim_client_send_message_finish (rob, tim_test_wait_result (&data.result), &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);

  tim_test_client_login (fixture, rob, "sid");
  timchat_test_spin (1000);
  got = tim_test_get_messages (tess, "C2Csid", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 0);
  g_clear_object (&data.message);
  g_clear_object (&data.result);
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
  g_test_add_func ("/tim/outbox/send-during-logout", test_send_during_logout);
  g_test_add_func ("/tim/outbox/send-from-logout-signal", test_send_from_logout_signal);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  g_free (base_dir);
  return status;
}
