/* test-app-playback.c: voice and video messages play in the app (GTK's media backend on
 * GStreamer): a received recording is downloaded, plays with its position in the label and ends
 * back at Play; a received video plays in place; what cannot be played says so. Media are made
 * on the spot with GStreamer and sent through the real server. */
#define G_LOG_DOMAIN "test-app-playback"

#include "config.h"

#include <adwaita.h>
#include <gst/gst.h>

#include "test-app-util.h"
#include "tim-message-private.h"
#include "tim-test-util.h"
#include "timchat-audio-content.h"
#include "timchat-video-content.h"

static TimchatFixture *fixture;
static char *base_dir;

static GtkWidget *
button_of (GtkWidget *content)
{
  return test_app_find_widget (content, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_BUTTON));
}

static const char *
label_of (GtkWidget *content)
{
  GtkWidget *label =
      test_app_find_widget (content, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL));

  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
is_playing (gpointer content)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (button_of (content)), "Pause") == 0;
}

static gboolean
is_stopped (gpointer content)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (button_of (content)), "Play") == 0;
}

static gboolean
says_cannot_play (gpointer content)
{
  return g_str_has_prefix (label_of (content), "Cannot play");
}

static void
test_audio (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "p-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "p-bob");
  g_autofree char *path = tim_test_make_ogg (base_dir, "voice.ogg");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) sent =
      tim_client_create_audio_message (alice, "p-bob", TIM_CONV_C2C, file);
  g_autoptr (TimMessage) message = tim_test_send_and_receive (alice, bob, sent);
  GtkWidget *content = test_app_show (timchat_audio_content_new (message));

  g_assert_cmpstr (label_of (content), ==, "0:01");
  g_assert_true (is_stopped (content));
  timchat_audio_content_toggle (TIMCHAT_AUDIO_CONTENT (content));
  g_assert_true (tim_test_wait_until (is_playing, content, 10000));
  g_assert_nonnull (strstr (label_of (content), " / 0:01"));
  /* A one-second recording ends by itself, back at Play and its length. */
  g_assert_true (tim_test_wait_until (is_stopped, content, 10000));
  g_assert_cmpstr (label_of (content), ==, "0:01");
  /* Play again starts over. */
  timchat_audio_content_toggle (TIMCHAT_AUDIO_CONTENT (content));
  g_assert_true (tim_test_wait_until (is_playing, content, 10000));
  timchat_audio_content_toggle (TIMCHAT_AUDIO_CONTENT (content));
  g_assert_true (is_stopped (content));
  test_app_close (content);
}

static void
test_audio_that_cannot_play (void)
{
  g_autofree char *path = g_build_filename (base_dir, "broken.ogg", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) message = tim_test_message_from_payload (
      "p-alice", "p-bob", TIM_ELEM_SOUND, "{\"second\":3,\"size\":39}");
  GtkWidget *content;

  g_assert_true (g_file_set_contents (path, "OggS but nothing else that makes sense", -1, NULL));
  _tim_message_set_local_file (message, file);
  content = test_app_show (timchat_audio_content_new (message));
  timchat_audio_content_toggle (TIMCHAT_AUDIO_CONTENT (content));
  g_assert_true (tim_test_wait_until (says_cannot_play, content, 10000));
  g_assert_true (is_stopped (content));
  g_assert_nonnull (gtk_widget_get_tooltip_text (content));
  test_app_close (content);
}

static gboolean
video_plays (gpointer content)
{
  GtkWidget *video =
      test_app_find_widget (content, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_VIDEO));
  GtkMediaStream *stream = video != NULL ? gtk_video_get_media_stream (GTK_VIDEO (video)) : NULL;

  if (stream != NULL && gtk_media_stream_get_error (stream) != NULL)
    g_error ("The video does not play: %s", gtk_media_stream_get_error (stream)->message);
  return stream != NULL && gtk_media_stream_is_prepared (stream) &&
         gtk_media_stream_has_video (stream) &&
         (gtk_media_stream_get_timestamp (stream) > 0 || gtk_media_stream_get_ended (stream));
}

static void
test_video (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "p-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "p-bob");
  g_autofree char *path = tim_test_make_webm (base_dir, "clip.webm", 64, 48, 25);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) sent =
      tim_client_create_video_message (alice, "p-bob", TIM_CONV_C2C, file);
  g_autoptr (TimMessage) message = NULL;
  GtkWidget *content;

  message = tim_test_send_and_receive (alice, bob, sent);
  content = test_app_show (timchat_video_content_new (message));
  timchat_video_content_play (TIMCHAT_VIDEO_CONTENT (content));
  g_assert_true (tim_test_wait_until (video_plays, content, 15000));
  test_app_close (content);
}

static gboolean
video_says_cannot_play (gpointer content)
{
  GtkWidget *label =
      test_app_find_widget (content, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL));

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), "Cannot play this video") == 0;
}

/* Gone from the server: said on the video, the reason on hover, and Play is there to retry. */
static void
test_video_gone (void)
{
  g_autofree char *url = timchat_fixture_url (fixture, "/files/no-such-video.mp4");
  g_autofree char *json = g_strdup_printf (
      "{\"videoUrl\":\"%s\",\"videoSecond\":4,\"thumbWidth\":64,\"thumbHeight\":48}", url);
  g_autoptr (TimMessage) message =
      tim_test_message_from_payload ("p-alice", "p-bob", TIM_ELEM_VIDEO, json);
  GtkWidget *content;

  content = test_app_show (timchat_video_content_new (message));
  timchat_video_content_play (TIMCHAT_VIDEO_CONTENT (content));
  g_assert_true (tim_test_wait_until (video_says_cannot_play, content, 10000));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (content), ==,
                   "The file is no longer on the server (HTTP 404)");
  g_assert_true (
      gtk_widget_get_visible (test_app_find_widget (content, test_app_has_tooltip, "Play")));
  test_app_close (content);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  gst_init (&argc, &argv);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/playback/audio", test_audio);
  g_test_add_func ("/app/playback/audio-that-cannot-play", test_audio_that_cannot_play);
  g_test_add_func ("/app/playback/video", test_video);
  g_test_add_func ("/app/playback/video-gone", test_video_gone);
  return test_app_run (fixture, base_dir);
}
