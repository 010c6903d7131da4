/* test-app-upload.c: a file still uploading in its row, and its Cancel. Cancel stops any send
 * still going up, not only one started in this view: one the outbox resumed at login (an earlier
 * run of the app, or a session before a log out, left it queued) had nothing to cancel it by, and
 * the button did nothing; one waiting for the server to come back fails at once. The view's end
 * stops the sends it started, a Retry's too. The real server, frozen (SIGSTOP) or killed
 * mid-upload, or behind the test proxy that holds its answers to uploads. */
#define G_LOG_DOMAIN "test-app-upload"

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/types.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"
#include "timchat-test-extra.h"
#include "timchat-test-proxy.h"
#include "timchat-window.h"

#define FILE_SIZE (30 * 1024 * 1024)

static TimchatFixture *fixture;
static char *base_dir;

/* The message queued to go to "dan" by a session of user that ended (logged out) before its
 * upload began; its ID. The next login with user's data directory resumes it. */
static char *
leave_queued (const char *user, const char *name)
{
  g_autoptr (TimClient) client = tim_test_client_new (fixture, base_dir, user);
  g_autofree char *path = g_build_filename (base_dir, name, NULL);
  g_autofree char *zeros = g_malloc0 (FILE_SIZE);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) message = NULL;

  g_assert_true (g_file_set_contents (path, zeros, FILE_SIZE, NULL));
  message = tim_client_create_file_message (client, "dan", TIM_CONV_C2C, file);
  tim_client_send_message_async (client, message, NULL, NULL, NULL, NULL, NULL, NULL);
  tim_client_logout (client);
  test_app_iterate (200);
  return g_strdup (tim_message_get_id (message));
}

typedef struct
{
  TimchatWindow *window;
  const char *id;
} Queued;

/* The window's copy of the message, once its open conversation shows it. */
static TimMessage *
shown (Queued *queued)
{
  GtkWidget *view = test_app_conversation_view (queued->window);

  return view != NULL
             ? _timchat_conversation_view_lookup (TIMCHAT_CONVERSATION_VIEW (view), queued->id)
             : NULL;
}

static gboolean
uploading (gpointer data)
{
  TimMessage *message = shown (data);

  return message != NULL && tim_message_get_upload_sent (message) > 0;
}

static gboolean
failed (gpointer data)
{
  TimMessage *message = shown (data);

  return message != NULL && tim_message_get_status (message) == TIM_MESSAGE_STATUS_FAIL;
}

static gboolean
is_cancel_upload (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Cancel Upload") == 0;
}

/* The row's Cancel stops the resumed upload: the message fails (Retry sends it again), at once,
 * without the server; dan never gets it. */
static void
test_cancel_resumed (void)
{
  g_autofree char *id = leave_queued ("cal", "resumed.bin");
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "cal", 3600);
  g_autofree char *dir = g_build_filename (base_dir, "cal", NULL);
  g_autoptr (TimClient) dan = tim_test_client_new (fixture, base_dir, "dan");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  TimchatWindow *window = timchat_window_new (NULL, "upload-test", dir);
  Queued queued = { window, id };
  GPid server = timchat_test_find_server_pid ();
  GtkWidget *cancel;

  g_assert_cmpint (server, >, 0);
  tim_test_collect (dan, "message-received", got);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "cal", usersig, FALSE);
  timchat_window_open_conversation (window, "C2Cdan");
  g_assert_true (tim_test_wait_until (uploading, &queued, 20000));
  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);

  cancel = test_app_find_widget (GTK_WIDGET (window), is_cancel_upload, NULL);
  g_assert_nonnull (cancel);
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_true (tim_test_wait_until (failed, &queued, 5000));
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);

  test_app_iterate (1000);
  g_assert_cmpint (tim_message_get_status (shown (&queued)), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_cmpuint (got->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The server goes mid-upload: the send waits for it to come back, its row still showing the
 * upload and its Cancel, which fails it at once (nothing is under way to stop). */
static void
test_cancel_waiting (void)
{
  g_autofree char *id = leave_queued ("eve", "waiting.bin");
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "eve", 3600);
  g_autofree char *dir = g_build_filename (base_dir, "eve", NULL);
  TimchatWindow *window = timchat_window_new (NULL, "upload-waiting-test", dir);
  Queued queued = { window, id };
  GtkWidget *cancel;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "eve", usersig, FALSE);
  timchat_window_open_conversation (window, "C2Cdan");
  g_assert_true (tim_test_wait_until (uploading, &queued, 20000));
  timchat_fixture_kill (fixture);
  test_app_iterate (500);
  g_assert_cmpint (tim_message_get_status (shown (&queued)), ==, TIM_MESSAGE_STATUS_UNSENT);

  cancel = test_app_find_widget (GTK_WIDGET (window), is_cancel_upload, NULL);
  g_assert_nonnull (cancel);
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_true (tim_test_wait_until (failed, &queued, 1000));
  gtk_window_destroy (GTK_WINDOW (window));
  timchat_fixture_restart (fixture);
}

typedef struct
{
  TimchatConversationView *view;
  TimchatTestProxy *proxy;
  gboolean retried;
} Retrying;

/* Retry as soon as the first send fails, before its callback has run (a handler of the
 * message's "notify::status", as libtim allows: tim-client-send-request.c): the resend's upload
 * reaches the server, and the proxy keeps its answer. */
static void
on_status (TimMessage *message, GParamSpec *pspec, Retrying *retrying)
{
  if (retrying->retried || tim_message_get_status (message) != TIM_MESSAGE_STATUS_FAIL)
    return;
  retrying->retried = TRUE;
  timchat_test_proxy_refuse_uploads (retrying->proxy, 0);
  timchat_test_proxy_hold_uploads (retrying->proxy, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (retrying->view), "conversation.retry", "s",
                              tim_message_get_id (message));
}

static gboolean
held_one (gpointer proxy)
{
  return timchat_test_proxy_get_held_uploads (proxy) == 1;
}

static gboolean
ended (gpointer message)
{
  return tim_message_get_status (message) != TIM_MESSAGE_STATUS_UNSENT;
}

/* A Retry started before the first send's callback ran is still stopped by the view's end: the
 * first send's end took the resend's cancellable out of the view's list (both were kept under the
 * message's ID), the view's end cancelled nothing, and the file went out once the upload was
 * answered, from a conversation the user had closed. */
static void
test_view_end_stops_retry (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "flo", NULL);
  g_autofree char *path = g_build_filename (base_dir, "retried.bin", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimClient) flo = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (TimClient) dan = tim_test_client_new (fixture, base_dir, "dan");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) message = NULL;
  TimchatConversationView *view = NULL;
  Retrying retrying = { NULL, proxy, FALSE };

  g_assert_true (g_file_set_contents (path, "a file sent twice", -1, NULL));
  tim_test_client_login (fixture, flo, "flo");
  tim_test_collect (dan, "message-received", got);
  view = g_object_ref_sink (TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (flo)));
  retrying.view = view;
  timchat_conversation_view_set_conversation_id (view, "C2Cdan");
  message = tim_client_create_file_message (flo, "dan", TIM_CONV_C2C, file);
  g_signal_connect (message, "notify::status", G_CALLBACK (on_status), &retrying);

  /* The first upload is refused for good (nginx's 413), and Retry sends it again at once. */
  timchat_test_proxy_refuse_uploads (proxy, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  _timchat_conversation_view_send (view, message);
  g_assert_true (tim_test_wait_until (held_one, proxy, 10000));
  g_assert_true (retrying.retried);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_UNSENT);

  /* The view ends (its window closed): the resend stops, the answer comes too late. */
  g_object_run_dispose (G_OBJECT (view));
  timchat_test_proxy_hold_uploads (proxy, FALSE);
  g_assert_true (tim_test_wait_until (ended, message, 5000));
  test_app_iterate (500);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_cmpuint (got->len, ==, 0);
  g_signal_handlers_disconnect_by_data (message, &retrying);
  g_object_unref (view);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  timchat_test_import_account (fixture, "dan", NULL);
  g_test_add_func ("/app/upload/cancel-resumed", test_cancel_resumed);
  g_test_add_func ("/app/upload/cancel-waiting", test_cancel_waiting);
  g_test_add_func ("/app/upload/view-end-stops-retry", test_view_end_stops_retry);
  return test_app_run (fixture, base_dir);
}
