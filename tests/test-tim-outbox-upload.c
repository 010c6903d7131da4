/* test-tim-outbox-upload.c: an upload the way to the server refuses, as a user's reverse proxy
 * does (an nginx in front of timchat-server, its HTML error pages), through the real client, the
 * proxy and the real server. What retrying cannot change fails the message for good, with a TIM
 * code, and the messages queued after it go; what may get better is tried again. And the upload's
 * progress a message shows: an upload's on its way, from 0 on each attempt, none once the file
 * is up or the send over. */
#define G_LOG_DOMAIN "test-tim-outbox-upload"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/gst.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

/* A client of user that reaches the server through proxy. */
static TimClient *
client_behind (TimchatTestProxy *proxy, const char *user)
{
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, user, NULL);
  TimClient *client = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);

  tim_test_client_login (fixture, client, user);
  return client;
}

static GFile *
make_file (const char *name)
{
  g_autofree char *path = g_build_filename (base_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "some bytes to share", -1, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The proxy refuses uploads with status: the file message fails for good with code (not tried
 * again every 2 s for ever), and the text queued behind it is sent. */
static void
check_refused (const char *user, guint status, int code, const char *words)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autoptr (TimClient) sender = client_behind (proxy, user);
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (GFile) file = make_file ("refused.bin");
  g_autoptr (TimMessage) media = tim_client_create_file_message (sender, "bob", TIM_CONV_C2C, file);
  g_autoptr (TimMessage) text =
      tim_client_create_text_message (sender, "bob", TIM_CONV_C2C, "after the refused file");
  g_autoptr (GAsyncResult) media_result = NULL;
  g_autoptr (GAsyncResult) text_result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *conversation_id = g_strdup_printf ("C2C%s", user);
  TimTestLastText delivered = { bob, conversation_id, "after the refused file" };
  gint64 start = g_get_monotonic_time ();

  timchat_test_proxy_refuse_uploads (proxy, status);
  tim_client_send_message_async (sender, media, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &media_result);
  tim_client_send_message_async (sender, text, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &text_result);
  /* tim_test_wait_result () gives up after 10 s: a retry loop never ends. */
  g_assert_false (
      tim_client_send_message_finish (sender, tim_test_wait_result (&media_result), &error));
  g_assert_error (error, TIM_ERROR, code);
  g_test_message ("HTTP %u: %d %s", status, error->code, error->message);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (tim_message_get_status (media), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_cmpint (tim_message_get_error_code (media), ==, code);
  g_assert_true (
      tim_client_send_message_finish (sender, tim_test_wait_result (&text_result), NULL));
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &delivered, 10000));
  /* Tried once, not again. */
  timchat_test_spin (2500);
  g_assert_cmpuint (timchat_test_proxy_get_uploads (proxy), ==, 1);
}

/* nginx's default client_max_body_size (1 MiB) answers a larger body 413 in text/html: the
 * kind's size limit, in words. */
static void
test_too_large (void)
{
  check_refused ("ann", SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, TIM_ERROR_FILE_SIZE_LIMIT,
                 "too large for the server");
}

/* A proxy that forbids the path or does not know it (403, 404): no address to send the message
 * with will ever come back (the SDK's 2403, "message not sendable after upload"). */
static void
test_forbidden (void)
{
  check_refused ("ben", SOUP_STATUS_FORBIDDEN, TIM_ERROR_MESSAGE_FILE_URL_IS_EMPTY, "HTTP 403");
  check_refused ("cid", SOUP_STATUS_NOT_FOUND, TIM_ERROR_MESSAGE_FILE_URL_IS_EMPTY, "HTTP 404");
}

/* An image's upload answered "done" without the list of its sizes (a misbehaving server, or one
 * of another version): the message fails for good, in words, as for any incomplete answer (an
 * unchecked lookup copied a missing member, a critical on the way). */
static void
test_image_answer_without_sizes (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autoptr (TimClient) sender = client_behind (proxy, "ivy");
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  g_autofree char *path = g_build_filename (base_dir, "sizes.png", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) image = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  image = tim_client_create_image_message (sender, "bob", TIM_CONV_C2C, file);
  timchat_test_proxy_answer_uploads (
      proxy,
      "{\"ErrorCode\":0,\"ErrorInfo\":\"\",\"UUID\":\"u1\",\"Url\":\"http://127.0.0.1:1/f\"}");
  tim_client_send_message_async (sender, image, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &result);
  g_assert_false (tim_client_send_message_finish (sender, tim_test_wait_result (&result), &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_FILE_URL_IS_EMPTY);
  g_assert_cmpint (tim_message_get_status (image), ==, TIM_MESSAGE_STATUS_FAIL);
}

static gboolean
tried_twice (gpointer proxy)
{
  return timchat_test_proxy_get_uploads (proxy) >= 2;
}

/* A server that is down behind its proxy (502, 503), busy (429) or slow (408) may be back in a
 * moment: the message waits in the outbox, "unSend", and goes once the upload gets through. */
static void
check_retried (const char *user, guint status)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autoptr (TimClient) sender = client_behind (proxy, user);
  g_autoptr (GFile) file = make_file ("retried.bin");
  g_autoptr (TimMessage) media = tim_client_create_file_message (sender, "bob", TIM_CONV_C2C, file);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  timchat_test_proxy_refuse_uploads (proxy, status);
  tim_client_send_message_async (sender, media, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &result);
  g_assert_true (tim_test_wait_until (tried_twice, proxy, 10000));
  g_assert_null (result);
  g_assert_cmpint (tim_message_get_status (media), ==, TIM_MESSAGE_STATUS_UNSENT);
  timchat_test_proxy_refuse_uploads (proxy, 0);
  tim_client_send_message_finish (sender, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_status (media), ==, TIM_MESSAGE_STATUS_SUCCESS);
}

static void
test_server_errors_retried (void)
{
  check_retried ("dan", SOUP_STATUS_SERVICE_UNAVAILABLE);
  check_retried ("eve", SOUP_STATUS_BAD_GATEWAY);
  check_retried ("fay", 429);
  check_retried ("gus", SOUP_STATUS_REQUEST_TIMEOUT);
}

static gboolean
held_one (gpointer proxy)
{
  return timchat_test_proxy_get_held_uploads (proxy) >= 1;
}

static gboolean
upload_cleared (gpointer message)
{
  return tim_message_get_upload_sent (message) == 0 && tim_message_get_upload_total (message) == 0;
}

/* Sends media with cancellable and waits until every byte of its file is out and the server's
 * answer kept by the proxy: the bar is full. */
static void
send_held (TimClient *sender, TimchatTestProxy *proxy, TimMessage *media, GCancellable *cancellable,
           GAsyncResult **result)
{
  timchat_test_proxy_hold_uploads (proxy, TRUE);
  tim_client_send_message_async (sender, media, NULL, NULL, NULL, cancellable, tim_test_keep_result,
                                 result);
  g_assert_true (tim_test_wait_until (held_one, proxy, 10000));
  g_assert_cmpint (tim_message_get_upload_total (media), >, 0);
  g_assert_cmpint (tim_message_get_upload_sent (media), ==, tim_message_get_upload_total (media));
}

/* A message's upload progress is that of an upload on its way: once the file is on the server
 * it is 0 of 0 again, while the send's answer is still to come (here lost on the way), and so it
 * is once the send has ended (cancelled mid-upload). It stayed all of all, which the app shows as
 * the upload bar at 100 % with Cancel, not "Sending…" (timchat-message-row-state.c), and a Retry
 * showed the bar of the attempt before it until its own progress came. */
static void
test_progress_cleared (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autoptr (TimClient) sender = client_behind (proxy, "kim");
  g_autoptr (GFile) file = make_file ("progress.bin");
  g_autoptr (TimMessage) cancelled =
      tim_client_create_file_message (sender, "bob", TIM_CONV_C2C, file);
  g_autoptr (TimMessage) media = tim_client_create_file_message (sender, "bob", TIM_CONV_C2C, file);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  send_held (sender, proxy, cancelled, cancellable, &result);
  g_cancellable_cancel (cancellable);
  g_assert_false (tim_client_send_message_finish (sender, tim_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (tim_message_get_status (cancelled), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_true (upload_cleared (cancelled));
  g_clear_error (&error);
  g_clear_object (&result);
  timchat_test_proxy_hold_uploads (proxy, FALSE);

  timchat_test_proxy_drop_answers (proxy, "openim.sendmsg");
  send_held (sender, proxy, media, NULL, &result);
  timchat_test_proxy_hold_uploads (proxy, FALSE);
  g_assert_true (tim_test_wait_until (upload_cleared, media, 10000));
  g_assert_cmpfloat (tim_message_get_upload_progress (media), ==, 0.0);
  g_assert_cmpint (tim_message_get_status (media), ==, TIM_MESSAGE_STATUS_UNSENT);
  g_assert_null (result);

  /* A logout ends the send, as it ends any. */
  tim_client_logout (sender);
  g_assert_false (tim_client_send_message_finish (sender, tim_test_wait_result (&result), &error));
  g_assert_nonnull (error);
  g_assert_true (upload_cleared (media));
  timchat_test_proxy_drop_answers (proxy, NULL);
}

static void
on_upload_sent (TimMessage *message, GParamSpec *pspec, gboolean *from_zero)
{
  if (tim_message_get_upload_sent (message) == 0 && tim_message_get_upload_total (message) > 0)
    *from_zero = TRUE;
}

static gboolean
upload_started (gpointer message)
{
  return tim_message_get_upload_sent (message) > 0;
}

/* An upload cut short (the server gone mid-file) waits for the server with its bar, and its
 * Cancel (test-app-upload.c); tried again, it starts from 0, not from where the last attempt
 * stopped (until its own first bytes). */
static void
test_retry_starts_from_zero (void)
{
  g_autoptr (TimClient) sender = tim_test_client_new (fixture, base_dir, "lou");
  g_autofree char *path = g_build_filename (base_dir, "big.bin", NULL);
  g_autofree char *zeros = g_malloc0 (30 * 1024 * 1024);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) media = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  gboolean from_zero = FALSE;

  g_assert_true (g_file_set_contents (path, zeros, 30 * 1024 * 1024, NULL));
  media = tim_client_create_file_message (sender, "bob", TIM_CONV_C2C, file);
  tim_client_send_message_async (sender, media, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &result);
  g_assert_true (tim_test_wait_until (upload_started, media, 10000));
  timchat_fixture_kill (fixture);
  timchat_test_spin (500);
  g_assert_cmpint (tim_message_get_status (media), ==, TIM_MESSAGE_STATUS_UNSENT);
  g_assert_cmpint (tim_message_get_upload_sent (media), >, 0);
  g_signal_connect (media, "notify::upload-sent", G_CALLBACK (on_upload_sent), &from_zero);

  timchat_fixture_restart (fixture);
  tim_client_send_message_finish (sender, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (media, &from_zero);
  g_assert_true (from_zero);
  g_assert_true (upload_cleared (media));
}

/* A video goes up in two uploads, the file and then its thumbnail. The file is on the server
 * and the thumbnail's upload fails for a moment (a 503 of the proxy): the retry sends the
 * thumbnail only, not the whole video a second time (a second copy on the server, and the
 * user's bandwidth and time spent again on what was already there). */
static void
test_video_thumbnail_retried_alone (void)
{
  g_autofree char *path = tim_test_make_webm (base_dir, "retried.webm", 320, 240, 25);
  g_autoptr (GFile) video = path != NULL ? g_file_new_for_path (path) : NULL;
  g_autoptr (TimchatTestProxy) proxy = NULL;
  g_autoptr (TimClient) sender = NULL;
  g_autoptr (TimMessage) media = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  int width = 0;

  if (video == NULL)
    return;
  proxy = timchat_test_proxy_new (fixture);
  sender = client_behind (proxy, "hal");
  media = tim_client_create_video_message (sender, "bob", TIM_CONV_C2C, video);

  /* The video's upload reaches the server; its answer waits in the proxy. */
  timchat_test_proxy_hold_uploads (proxy, TRUE);
  tim_client_send_message_async (sender, media, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 &result);
  g_assert_true (tim_test_wait_until (held_one, proxy, 10000));
  g_assert_cmpuint (timchat_test_proxy_get_uploads (proxy), ==, 1);

  /* The thumbnail's upload, which follows the answer, is refused for a moment. */
  timchat_test_proxy_refuse_uploads (proxy, SOUP_STATUS_SERVICE_UNAVAILABLE);
  timchat_test_proxy_hold_uploads (proxy, FALSE);
  g_assert_true (tim_test_wait_until (tried_twice, proxy, 10000));
  g_assert_null (result);
  g_assert_cmpint (tim_message_get_status (media), ==, TIM_MESSAGE_STATUS_UNSENT);
  timchat_test_proxy_refuse_uploads (proxy, 0);

  tim_client_send_message_finish (sender, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_status (media), ==, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_nonnull (tim_message_get_video_thumb (media, &width, NULL));
  g_assert_cmpint (width, >, 0);
  /* The video once, the refused thumbnail, the thumbnail. */
  g_assert_cmpuint (timchat_test_proxy_get_uploads (proxy), ==, 3);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv); /* the video test makes its clip */
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  timchat_test_import_account (fixture, "bob", "Bob");
  g_test_add_func ("/tim/outbox/upload-too-large-for-proxy", test_too_large);
  g_test_add_func ("/tim/outbox/upload-forbidden-by-proxy", test_forbidden);
  g_test_add_func ("/tim/outbox/upload-server-errors-retried", test_server_errors_retried);
  g_test_add_func ("/tim/outbox/image-answer-without-sizes", test_image_answer_without_sizes);
  g_test_add_func ("/tim/outbox/video-thumbnail-retried-alone", test_video_thumbnail_retried_alone);
  g_test_add_func ("/tim/outbox/upload-progress-cleared", test_progress_cleared);
  g_test_add_func ("/tim/outbox/upload-retry-starts-from-zero", test_retry_starts_from_zero);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  g_free (base_dir);
  return status;
}
