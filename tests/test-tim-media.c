/* test-tim-media.c: probing media made on the spot: a PNG from gdk-pixbuf, a 2-second VP8/WebM
 * video and a 1-second Vorbis/Ogg audio made by GStreamer, then size, duration, format and the
 * video thumbnail (a PNG with the video's aspect, shorter side at most 720). And recording a voice
 * message (a tone standing in for the microphone, TIMCHAT_AUDIO_SOURCE): the file is a whole Ogg
 * Opus of the length recorded, the level follows the sound, a discarded one leaves no file, one
 * whose source ends by itself is kept for the stop, and a source that cannot be had is an error. */
#define G_LOG_DOMAIN "test-tim-media"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "tim-limits.h"
#include "tim-media.h"
#include "tim-test-util.h"
#include "tim-voice-recorder.h"

static char *tmp_dir;

typedef struct
{
  TimMediaInfo *info;
  GError *error;
  gboolean done;
} Probe;

static void
probe_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Probe *probe = user_data;

  probe->info = tim_media_probe_finish (result, &probe->error);
  probe->done = TRUE;
}

static TimMediaInfo *
probe (const char *path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  Probe p = { 0 };

  tim_media_probe_async (file, NULL, probe_cb, &p);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  if (p.error != NULL)
    g_propagate_error (error, p.error);
  return p.info;
}

/* probe, which must succeed. */
static TimMediaInfo *
probe_ok (const char *path)
{
  g_autoptr (GError) error = NULL;
  TimMediaInfo *info = probe (path, &error);

  g_assert_no_error (error);
  return info;
}

static void
test_image (void)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 640, 360);
  g_autofree char *path = g_build_filename (tmp_dir, "picture.png", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMediaInfo) direct = NULL;
  g_autoptr (TimMediaInfo) info = NULL;

  gdk_pixbuf_fill (pixbuf, 0x26a269ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  direct = tim_media_probe_image (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (direct->width, ==, 640);
  g_assert_cmpint (direct->height, ==, 360);
  g_assert_cmpstr (direct->format, ==, "png");

  info = probe (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->width, ==, 640);
  g_assert_cmpint (info->height, ==, 360);
  g_assert_cmpint (info->duration_ms, ==, 0);
  g_assert_null (info->thumbnail_png);
  g_assert_cmpstr (info->format, ==, "png");
}

/* A phone's portrait photo: its pixels lie landscape, its EXIF says to turn them upright. Its
 * size is the one shown (and the one the server reports), so a row sized from it before the
 * upload is portrait, not a landscape box cropping the picture. */
static void
test_image_exif_orientation (void)
{
  g_autofree char *path = tim_test_make_exif_jpeg (tmp_dir, "portrait.jpg", 64, 48, 6);
  g_autofree char *upright = tim_test_make_exif_jpeg (tmp_dir, "upright.jpg", 64, 48, 1);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) upright_file = g_file_new_for_path (upright);
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMediaInfo) direct = NULL;
  g_autoptr (TimMediaInfo) info = NULL;
  g_autoptr (TimMediaInfo) plain = NULL;

  direct = tim_media_probe_image (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (direct->width, ==, 48);
  g_assert_cmpint (direct->height, ==, 64);
  g_assert_cmpstr (direct->format, ==, "jpg");
  info = probe_ok (path);
  g_assert_cmpint (info->width, ==, 48);
  g_assert_cmpint (info->height, ==, 64);
  plain = tim_media_probe_image (upright_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plain->width, ==, 64);
  g_assert_cmpint (plain->height, ==, 48);
}

static GdkPixbuf *
decode_png (GBytes *png)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (png);
  g_autoptr (GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);

  g_assert_no_error (error);
  return pixbuf;
}

static void
test_video (void)
{
  g_autofree char *path = tim_test_make_webm (tmp_dir, "clip.webm", 320, 240, 50);
  g_autoptr (TimMediaInfo) info = NULL;
  g_autoptr (GdkPixbuf) thumbnail = NULL;

  if (path == NULL)
    return;
  info = probe_ok (path);
  g_test_message ("video: %dx%d, %" G_GINT64_FORMAT " ms, %s, thumbnail %dx%d", info->width,
                  info->height, info->duration_ms, info->format, info->thumbnail_width,
                  info->thumbnail_height);
  g_assert_cmpint (info->width, ==, 320);
  g_assert_cmpint (info->height, ==, 240);
  g_assert_cmpint (info->duration_ms, >=, 1900);
  g_assert_cmpint (info->duration_ms, <=, 2100);
  g_assert_cmpstr (info->format, ==, "webm");
  g_assert_nonnull (info->thumbnail_png);
  thumbnail = decode_png (info->thumbnail_png);
  g_assert_cmpint (gdk_pixbuf_get_width (thumbnail), ==, info->thumbnail_width);
  g_assert_cmpint (gdk_pixbuf_get_height (thumbnail), ==, info->thumbnail_height);
  /* Small enough already: the frame keeps its size, so its aspect is exactly 4:3. */
  g_assert_cmpint (info->thumbnail_width, ==, 320);
  g_assert_cmpint (info->thumbnail_height, ==, 240);
}

static void
test_large_video_thumbnail (void)
{
  g_autofree char *path = tim_test_make_webm (tmp_dir, "large.webm", 1280, 960, 5);
  g_autoptr (TimMediaInfo) info = NULL;
  g_autoptr (GdkPixbuf) thumbnail = NULL;

  if (path == NULL)
    return;
  info = probe_ok (path);
  g_assert_cmpint (info->width, ==, 1280);
  g_assert_cmpint (info->height, ==, 960);
  thumbnail = decode_png (info->thumbnail_png);
  /* Shorter side scaled to 720, the aspect kept. */
  g_assert_cmpint (gdk_pixbuf_get_height (thumbnail), ==, TIM_LARGE_SHORT_SIDE);
  g_assert_cmpint (gdk_pixbuf_get_width (thumbnail), ==, 960);
}

/* A stream that does not say how long it is (WebM written as a live stream does, streamable: no
 * duration): its length is unknown, 0, not GStreamer's "none" taken for ~585 million years; it
 * still gets its size and a thumbnail (the first frame). */
static void
test_video_of_unknown_length (void)
{
  const char *elements[] = { "videotestsrc", "vp8enc", "webmmux", "filesink", NULL };
  g_autofree char *path = tim_test_make_media (
      tmp_dir, elements, "live.webm",
      "videotestsrc num-buffers=25 ! video/x-raw,width=160,height=120,framerate=25/1"
      " ! vp8enc deadline=1 ! webmmux streamable=true");
  g_autoptr (TimMediaInfo) info = NULL;

  if (path == NULL)
    return;
  info = probe_ok (path);
  g_test_message ("live video: %dx%d, %" G_GINT64_FORMAT " ms", info->width, info->height,
                  info->duration_ms);
  g_assert_cmpint (info->width, ==, 160);
  g_assert_cmpint (info->height, ==, 120);
  g_assert_cmpint (info->duration_ms, >=, 0);
  g_assert_cmpint (info->duration_ms, <=, 1100);
  g_assert_nonnull (info->thumbnail_png);
}

/* A video that starts black and turns white after 3 frames (120 ms): a thumbnail from ~10% in
 * (200 ms) is white, one from the first frame would be black. */
static void
test_thumbnail_after_start (void)
{
  const char *elements[] = { "videotestsrc", "concat", "vp8enc", "webmmux", "filesink", NULL };
  g_autofree char *path = tim_test_make_media (
      tmp_dir, elements, "fade-in.webm",
      "concat name=c ! vp8enc deadline=1 ! webmmux name=mux"
      " videotestsrc pattern=black num-buffers=3 ! video/x-raw,width=160,height=120,framerate=25/1"
      " ! c. videotestsrc pattern=white num-buffers=47"
      " ! video/x-raw,width=160,height=120,framerate=25/1 ! c. mux.");
  g_autoptr (TimMediaInfo) info = NULL;
  g_autoptr (GdkPixbuf) thumbnail = NULL;
  const guint8 *pixel;

  if (path == NULL)
    return;
  info = probe_ok (path);
  g_assert_cmpint (info->duration_ms, >=, 1900);
  thumbnail = decode_png (info->thumbnail_png);
  pixel = gdk_pixbuf_read_pixels (thumbnail) + 60 * gdk_pixbuf_get_rowstride (thumbnail) + 80 * 3;
  g_test_message ("thumbnail centre: %u %u %u", pixel[0], pixel[1], pixel[2]);
  g_assert_cmpuint (pixel[0], >, 200);
  g_assert_cmpuint (pixel[1], >, 200);
  g_assert_cmpuint (pixel[2], >, 200);
}

static void
test_audio (void)
{
  /* 100 buffers of 441 samples at 44.1 kHz: exactly one second. */
  g_autofree char *path = tim_test_make_ogg (tmp_dir, "tone.ogg");
  g_autoptr (TimMediaInfo) info = NULL;

  if (path == NULL)
    return;
  info = probe_ok (path);
  g_test_message ("audio: %" G_GINT64_FORMAT " ms, %s", info->duration_ms, info->format);
  g_assert_cmpint (info->duration_ms, >=, 900);
  g_assert_cmpint (info->duration_ms, <=, 1100);
  g_assert_cmpint (info->width, ==, 0);
  g_assert_null (info->thumbnail_png);
  g_assert_cmpstr (info->format, ==, "ogg");
}

static void
test_not_media (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "notes.txt", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.png", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr (GError) error = NULL;
  TimMediaInfo *info;

  g_assert_true (g_file_set_contents (path, "Just some words, nothing to watch.\n", -1, NULL));
  info = probe (path, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  info = tim_media_probe_image (file, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  info = tim_media_probe_image (missing_file, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  info = probe (missing, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
on_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A recorder that has ended stays so: another stop is refused (G_IO_ERROR_CLOSED). */
static void
assert_stop_refused (TimVoiceRecorder *recorder)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_voice_recorder_stop_async (recorder, NULL, on_stopped, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tim_voice_recorder_stop_finish (recorder, result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
count_failure (guint *failures, const GError *error)
{
  g_assert_nonnull (error);
  g_test_message ("failed: %s", error->message);
  (*failures)++;
}

static gboolean
has_failed (gpointer failures)
{
  return *(guint *) failures > 0;
}

static gboolean
never (gpointer unused)
{
  return FALSE;
}

static void
test_iterate_briefly (void)
{
  tim_test_wait_until (never, NULL, 200);
}

/* "limit-reached": how many times, and how much was recorded the first time. */
typedef struct
{
  guint count;
  guint elapsed_ms;
} Limit;

static void
on_limit_reached (TimVoiceRecorder *recorder, Limit *limit)
{
  if (limit->count++ == 0)
    limit->elapsed_ms = tim_voice_recorder_get_elapsed_ms (recorder);
}

static gboolean
limit_reached (gpointer limit)
{
  return ((Limit *) limit)->count > 0;
}

static gboolean
elapsed_past_limit (gpointer recorder)
{
  return tim_voice_recorder_get_elapsed_ms (recorder) >= 1500;
}

static gboolean
is_loud (gpointer recorder)
{
  return tim_voice_recorder_get_level (recorder) > 0.1;
}

static void
test_record (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "voice.ogg", NULL);
  g_autofree char *gone = g_build_filename (tmp_dir, "discarded.ogg", NULL);
  g_autoptr (TimVoiceRecorder) recorder = NULL;
  g_autoptr (TimVoiceRecorder) discarded = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TimMediaInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  guint elapsed = 0;
  Limit limit = { 0 };

  g_setenv ("TIMCHAT_AUDIO_SOURCE", "audiotestsrc is-live=true wave=sine freq=440 volume=0.5",
            TRUE);
  recorder = tim_voice_recorder_new (path, &error);
  g_assert_no_error (error);
  /* The limit is said once, when it is reached; the recording goes on until stopped. */
  tim_voice_recorder_set_max_ms (recorder, 1200);
  g_signal_connect (recorder, "limit-reached", G_CALLBACK (on_limit_reached), &limit);
  g_assert_true (tim_test_wait_until (limit_reached, &limit, 10000));
  g_assert_cmpuint (limit.elapsed_ms, >=, 1200);
  g_assert_cmpuint (limit.elapsed_ms, <, 1500);
  g_assert_true (tim_test_wait_until (elapsed_past_limit, recorder, 10000));
  g_assert_cmpuint (limit.count, ==, 1);
  g_assert_true (is_loud (recorder));
  tim_voice_recorder_stop_async (recorder, NULL, on_stopped, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tim_voice_recorder_stop_finish (recorder, result, &elapsed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (elapsed, >=, 1500);
  info = probe_ok (path);
  g_test_message ("recorded %u ms, the file says %" G_GINT64_FORMAT " ms", elapsed,
                  info->duration_ms);
  g_assert_cmpint (info->duration_ms, >=, (gint64) elapsed - 200);
  g_assert_cmpint (info->duration_ms, <=, (gint64) elapsed + 300);
  g_assert_cmpstr (info->format, ==, "ogg");
  /* Once ended it stays so. */
  assert_stop_refused (recorder);

  /* Stopped at once: nothing recorded, no file. */
  g_clear_object (&recorder);
  g_clear_object (&result);
  recorder = tim_voice_recorder_new (gone, &error);
  g_assert_no_error (error);
  tim_voice_recorder_stop_async (recorder, NULL, on_stopped, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tim_voice_recorder_stop_finish (recorder, result, &elapsed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (elapsed, ==, 0);
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  g_clear_object (&result);

  /* Silence is quiet; discarded, it leaves nothing. */
  g_setenv ("TIMCHAT_AUDIO_SOURCE", "audiotestsrc is-live=true wave=silence", TRUE);
  discarded = tim_voice_recorder_new (gone, &error);
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (elapsed_past_limit, discarded, 10000));
  g_assert_false (is_loud (discarded));
  tim_voice_recorder_discard (discarded);
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  g_clear_object (&discarded);

  /* No source to be had. */
  g_setenv ("TIMCHAT_AUDIO_SOURCE", "nosuchsourceelement", TRUE);
  g_assert_null (tim_voice_recorder_new (gone, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  /* A source that fails once recording: "failed", once; discarded then, nothing stays. */
  {
    g_autofree char *garbage = g_build_filename (tmp_dir, "garbage.snd", NULL);
    g_autofree char *source = NULL;
    g_autoptr (TimVoiceRecorder) failing = NULL;
    guint failures = 0;

    g_assert_true (g_file_set_contents (garbage, "not a sound at all, sorry", -1, NULL));
    source = g_strdup_printf ("filesrc location=%s ! decodebin", garbage);
    g_setenv ("TIMCHAT_AUDIO_SOURCE", source, TRUE);
    failing = tim_voice_recorder_new (gone, &error);
    g_assert_no_error (error);
    g_signal_connect_swapped (failing, "failed", G_CALLBACK (count_failure), &failures);
    g_assert_true (tim_test_wait_until (has_failed, &failures, 10000));
    test_iterate_briefly ();
    g_assert_cmpuint (failures, ==, 1);
    tim_voice_recorder_discard (failing);
    g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  }
  g_setenv ("TIMCHAT_AUDIO_SOURCE", "filesrc location=/nonexistent/mic ! decodebin", TRUE);
  g_assert_null (tim_voice_recorder_new (gone, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  g_unsetenv ("TIMCHAT_AUDIO_SOURCE");
}

static gboolean
elapsed_past_second (gpointer recorder)
{
  return tim_voice_recorder_get_elapsed_ms (recorder) >= 1100;
}

/* A source that ends by itself (a microphone unplugged; here a tone of 1.2 s) ends the recording
 * as a stop does: the file is whole and kept, and the stop that comes later (the app's Send)
 * completes with it and its length, once. It was "already ended", and the recording lost. One
 * nobody stops goes as any recorder not stopped goes: its file with it. */
static void
test_record_source_ends (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "ended.ogg", NULL);
  g_autoptr (TimVoiceRecorder) recorder = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TimMediaInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  guint elapsed = 0;

  g_setenv ("TIMCHAT_AUDIO_SOURCE",
            "audiotestsrc is-live=true num-buffers=12 samplesperbuffer=4800 wave=sine freq=440 "
            "volume=0.5 ! audio/x-raw,rate=48000",
            TRUE);
  recorder = tim_voice_recorder_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (elapsed_past_second, recorder, 10000));
  tim_test_wait_until (never, NULL, 1500);
  tim_voice_recorder_stop_async (recorder, NULL, on_stopped, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tim_voice_recorder_stop_finish (recorder, result, &elapsed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (elapsed, >=, 1100);
  g_assert_cmpuint (elapsed, <=, 1300);
  info = probe_ok (path);
  g_assert_cmpint (info->duration_ms, >=, (gint64) elapsed - 200);
  g_assert_cmpint (info->duration_ms, <=, (gint64) elapsed + 300);
  g_clear_object (&result);
  assert_stop_refused (recorder);
  g_assert_finalize_object (g_steal_pointer (&recorder));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unlink (path);

  /* Ended by itself and never stopped: dropped, it leaves nothing. */
  recorder = tim_voice_recorder_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (elapsed_past_second, recorder, 10000));
  tim_test_wait_until (never, NULL, 1500);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (g_steal_pointer (&recorder));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unsetenv ("TIMCHAT_AUDIO_SOURCE");
}

/* The warning tim_test_tolerate_decodebin_race () lets through is GStreamer's decodebin2 race
 * alone, which comes about once in 2,000 probes (docs/architecture.md): said here as GStreamer says
 * it, the test goes on; another of GStreamer's warnings still ends it. */
static void
test_decodebin_race_not_fatal (void)
{
  if (g_test_subprocess ())
    {
      tim_test_tolerate_decodebin_race ();
      g_log ("GStreamer", G_LOG_LEVEL_WARNING,
             "../gst/gstpad.c:5366:store_sticky_event:<'':src_0> Sticky event misordering, got "
             "'caps' before 'stream-start'");
      g_print ("went on\n");
      g_log ("GStreamer", G_LOG_LEVEL_WARNING,
             "../gst/gstpad.c:5366:store_sticky_event:<'':src_0> Sticky event misordering, got "
             "'segment' before 'caps'");
      g_print ("not reached\n");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*went on*");
  g_test_trap_assert_stdout_unmatched ("*not reached*");
  g_test_trap_assert_stderr ("*'segment' before 'caps'*");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("test-tim-media-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/tim/media/image", test_image);
  g_test_add_func ("/tim/media/image-exif-orientation", test_image_exif_orientation);
  g_test_add_func ("/tim/media/video", test_video);
  g_test_add_func ("/tim/media/large-video-thumbnail", test_large_video_thumbnail);
  g_test_add_func ("/tim/media/video-of-unknown-length", test_video_of_unknown_length);
  g_test_add_func ("/tim/media/thumbnail-after-start", test_thumbnail_after_start);
  g_test_add_func ("/tim/media/audio", test_audio);
  g_test_add_func ("/tim/media/not-media", test_not_media);
  g_test_add_func ("/tim/media/record", test_record);
  g_test_add_func ("/tim/media/record-source-ends", test_record_source_ends);
  g_test_add_func ("/tim/media/decodebin-race-not-fatal", test_decodebin_race_not_fatal);
  status = g_test_run ();
  tim_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
