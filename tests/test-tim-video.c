/* test-tim-video.c: a video and an audio message from alice to bob through the real server: the
 * sending client probes the files with GStreamer (duration, and a PNG thumbnail of the video),
 * uploads them, and bob receives TIMVideoFileElem and TIMSoundElem payloads that point at
 * downloadable copies of the same size. */
#define G_LOG_DOMAIN "test-tim-video"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/gst.h>
#include <libsoup/soup.h>

#include "tim-json.h"
#include "tim-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static goffset
file_size (GFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                  G_FILE_QUERY_INFO_NONE, NULL, &error);

  g_assert_no_error (error);
  return g_file_info_get_size (info);
}

/* GET url (as the receiving UI would) and return the body. */
static GBytes *
download (const char *url)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GError) error = NULL;
  GBytes *body;

  g_assert_nonnull (msg);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  return body;
}

static void
test_video_and_audio (void)
{
  /* 50 frames at 25 fps: two seconds. */
  g_autofree char *video_path = tim_test_make_webm (base_dir, "clip.webm", 320, 240, 50);
  /* 100 buffers of 441 samples at 44.1 kHz: one second. */
  g_autofree char *audio_path = tim_test_make_ogg (base_dir, "tone.ogg");
  g_autoptr (GFile) video = video_path != NULL ? g_file_new_for_path (video_path) : NULL;
  g_autoptr (GFile) audio = audio_path != NULL ? g_file_new_for_path (audio_path) : NULL;
  g_autoptr (TimClient) alice = NULL;
  g_autoptr (TimClient) bob = NULL;
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) video_message = NULL;
  g_autoptr (TimMessage) audio_message = NULL;
  g_autoptr (GBytes) video_copy = NULL;
  g_autoptr (GBytes) thumb_copy = NULL;
  g_autoptr (GBytes) audio_copy = NULL;
  g_autoptr (GdkPixbuf) thumbnail = NULL;
  g_autoptr (GInputStream) thumb_stream = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *payload;

  if (video == NULL || audio == NULL)
    return;
  alice = tim_test_client_new (fixture, base_dir, "alice");
  bob = tim_test_client_new (fixture, base_dir, "bob");
  tim_test_collect (bob, "message-received", got);

  video_message = tim_client_create_video_message (alice, "bob", TIM_CONV_C2C, video);
  g_assert_cmpint (tim_message_get_elem_type (video_message), ==, TIM_ELEM_VIDEO);
  g_assert_true (tim_test_send (alice, video_message, &error));
  g_assert_no_error (error);
  audio_message = tim_client_create_audio_message (alice, "bob", TIM_CONV_C2C, audio);
  g_assert_cmpint (tim_message_get_elem_type (audio_message), ==, TIM_ELEM_SOUND);
  g_assert_true (tim_test_send (alice, audio_message, &error));
  g_assert_no_error (error);

  if (!tim_test_wait_count (got, 2, 10000))
    g_error ("bob got %u of 2 messages", got->len);
  g_assert_cmpuint (got->len, ==, 2);

  /* The video: URL, duration, and the thumbnail the sending client made. */
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_VIDEO);
  g_assert_cmpstr (tim_message_get_type_string (got->pdata[0]), ==, "TIMVideoFileElem");
  g_assert_cmpstr (tim_message_get_id (got->pdata[0]), ==, tim_message_get_id (video_message));
  payload = tim_message_get_payload (got->pdata[0]);
  g_test_message (
      "video payload: videoUrl %s videoSecond %" G_GINT64_FORMAT " thumbUrl %s %" G_GINT64_FORMAT
      "x%" G_GINT64_FORMAT,
      tim_json_get_string (payload, "videoUrl"), tim_json_get_int_or (payload, "videoSecond", -1),
      tim_json_get_string (payload, "thumbUrl"), tim_json_get_int_or (payload, "thumbWidth", -1),
      tim_json_get_int_or (payload, "thumbHeight", -1));
  g_assert_nonnull (tim_json_get_string (payload, "videoUrl"));
  g_assert_true (g_str_has_prefix (tim_json_get_string (payload, "videoUrl"), "http"));
  g_assert_cmpint (tim_json_get_int_or (payload, "videoSecond", -1), ==, 2);
  g_assert_cmpint (tim_json_get_int_or (payload, "videoSize", -1), ==, file_size (video));
  g_assert_nonnull (tim_json_get_string (payload, "thumbUrl"));
  g_assert_true (g_str_has_prefix (tim_json_get_string (payload, "thumbUrl"), "http"));
  g_assert_cmpint (tim_json_get_int_or (payload, "thumbWidth", 0), ==, 320);
  g_assert_cmpint (tim_json_get_int_or (payload, "thumbHeight", 0), ==, 240);

  video_copy = download (tim_json_get_string (payload, "videoUrl"));
  g_assert_cmpint (g_bytes_get_size (video_copy), ==, file_size (video));
  thumb_copy = download (tim_json_get_string (payload, "thumbUrl"));
  thumb_stream = g_memory_input_stream_new_from_bytes (thumb_copy);
  thumbnail = gdk_pixbuf_new_from_stream (thumb_stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (thumbnail), ==, 320);
  g_assert_cmpint (gdk_pixbuf_get_height (thumbnail), ==, 240);

  /* The audio: URL and duration. */
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[1]), ==, TIM_ELEM_SOUND);
  g_assert_cmpstr (tim_message_get_type_string (got->pdata[1]), ==, "TIMSoundElem");
  payload = tim_message_get_payload (got->pdata[1]);
  g_assert_nonnull (tim_json_get_string (payload, "url"));
  g_assert_true (g_str_has_prefix (tim_json_get_string (payload, "url"), "http"));
  g_assert_cmpint (tim_json_get_int_or (payload, "second", -1), ==, 1);
  audio_copy = download (tim_json_get_string (payload, "url"));
  g_assert_cmpint (g_bytes_get_size (audio_copy), ==, file_size (audio));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/video/video-and-audio", test_video_and_audio);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  tim_test_remove_dir (base_dir);
  g_free (base_dir);
  return status;
}
