/* tim-media.c: probes a file before it is sent. Images through gdk-pixbuf (header only, no
 * decode); audio and video through GstDiscoverer; a video thumbnail from a small
 * uridecodebin ! videoconvert ! videoscale ! appsink pipeline that prerolls on a frame ~10% in.
 * Everything here blocks, so tim_media_probe_async runs it in a worker thread. */
#define G_LOG_DOMAIN "tim-media"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "tim-limits.h"
#include "tim-media.h"

/* A broken or exotic file must not hold a worker thread for long. */
#define DISCOVER_TIMEOUT (10 * GST_SECOND)
#define STATE_TIMEOUT (10 * GST_SECOND)
#define POLL_INTERVAL (100 * GST_MSECOND)

void
tim_media_info_free (TimMediaInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->thumbnail_png, g_bytes_unref);
  g_free (info->format);
  g_free (info);
}

void
tim_media_ensure_gst (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      gst_init (NULL, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Images                                                                                         */

static char *
image_format_name (GdkPixbufFormat *format)
{
  g_autofree char *name = gdk_pixbuf_format_get_name (format);

  /* The extension the server and the other SDKs use. */
  if (g_strcmp0 (name, "jpeg") == 0)
    return g_strdup ("jpg");
  return g_steal_pointer (&name);
}

/* Only the header is wanted: decoded at an eighth, the loader's buffer is a 64th of the picture's
 * (a camera's 50-megapixel photo would otherwise take 200 MB for a moment). */
static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height)
{
  gdk_pixbuf_loader_set_size (loader, MAX (width / 8, 1), MAX (height / 8, 1));
}

static void
on_area_prepared (GdkPixbufLoader *loader, int *orientation)
{
  const char *option = gdk_pixbuf_get_option (gdk_pixbuf_loader_get_pixbuf (loader), "orientation");

  *orientation = option != NULL ? atoi (option) : 1;
}

/* The EXIF orientation of a JPEG (1 to 8 when valid; 1 when it has none or cannot be read). The
 * loader sets it on its pixbuf once it has the header, before any pixel is decoded: only that much
 * is read. */
static int
jpeg_orientation (GFile *file)
{
  g_autoptr (GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  guint8 chunk[4096];
  int orientation = 0;

  if (stream == NULL || loader == NULL)
    return 1;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), NULL);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (on_area_prepared), &orientation);
  while (orientation == 0)
    {
      gssize length =
          g_input_stream_read (G_INPUT_STREAM (stream), chunk, sizeof chunk, NULL, NULL);

      if (length <= 0 || !gdk_pixbuf_loader_write (loader, chunk, (gsize) length, NULL))
        break;
    }
  /* Stopped before the end: the loader says so, which is no news here. */
  gdk_pixbuf_loader_close (loader, NULL);
  return orientation > 0 ? orientation : 1;
}

TimMediaInfo *
tim_media_probe_image (GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GFileInfo) exists = NULL;
  GdkPixbufFormat *format;
  TimMediaInfo *info;
  int width = 0, height = 0;
  int orientation;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* gdk-pixbuf says "no format" for a missing file too; report the real problem. */
  exists =
      g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (exists == NULL)
    return NULL;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Only local files can be probed, not “%s”", g_file_peek_path (file));
      return NULL;
    }
  format = gdk_pixbuf_get_file_info (path, &width, &height);
  if (format == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“%s” is not an image", path);
      return NULL;
    }
  info = g_new0 (TimMediaInfo, 1);
  info->format = image_format_name (format);
  /* The size as shown, which is what the server reports and the app draws: a camera's portrait
   * photo is stored landscape with an EXIF orientation of 5 to 8 (a quarter turn) and would
   * otherwise size its row as a landscape box that crops it. */
  if (g_str_equal (info->format, "jpg") && (orientation = jpeg_orientation (file)) >= 5 &&
      orientation <= 8)
    {
      info->width = height;
      info->height = width;
    }
  else
    {
      info->width = width;
      info->height = height;
    }
  return info;
}

/* ---------------------------------------------------------------------------------------------- */
/* Audio and video                                                                                */

/* "webm", "mp4", "ogg"... from the container caps; the extension when they say nothing useful. */
static char *
container_format (GstDiscovererInfo *dinfo, GFile *file)
{
  static const struct
  {
    const char *caps;
    const char *format;
  } known[] = {
    { "video/webm", "webm" },      { "audio/webm", "webm" },     { "video/x-matroska", "mkv" },
    { "audio/x-matroska", "mka" }, { "video/quicktime", "mp4" }, { "audio/x-m4a", "m4a" },
    { "application/ogg", "ogg" },  { "audio/ogg", "ogg" },       { "video/ogg", "ogv" },
    { "audio/x-wav", "wav" },      { "audio/x-flac", "flac" },   { "video/x-msvideo", "avi" },
    { "audio/mpeg", "mp3" },       { "video/x-flv", "flv" },     { "video/mpegts", "ts" },
  };
  g_autoptr (GstDiscovererStreamInfo) top = gst_discoverer_info_get_stream_info (dinfo);
  g_autoptr (GstCaps) caps = top ? gst_discoverer_stream_info_get_caps (top) : NULL;
  g_autofree char *basename = NULL;
  const char *dot;

  if (caps != NULL && gst_caps_get_size (caps) > 0)
    {
      GstStructure *structure = gst_caps_get_structure (caps, 0);
      const char *name = gst_structure_get_name (structure);

      if (g_strcmp0 (name, "video/quicktime") == 0 &&
          g_strcmp0 (gst_structure_get_string (structure, "variant"), "apple") == 0)
        return g_strdup ("mov");

      for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
        if (g_strcmp0 (name, known[i].caps) == 0)
          return g_strdup (known[i].format);
    }
  basename = g_file_get_basename (file);
  dot = basename ? strrchr (basename, '.') : NULL;
  return dot && dot[1] ? g_ascii_strdown (dot + 1, -1) : g_strdup ("");
}

/* Waits for an asynchronous state change to finish, or an error, or cancellation. */
static gboolean
wait_async_done (GstElement *pipeline, GCancellable *cancellable, GError **error)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  GstClockTime waited = 0;

  while (waited < STATE_TIMEOUT)
    {
      g_autoptr (GstMessage) msg = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      msg = gst_bus_timed_pop_filtered (bus, POLL_INTERVAL,
                                        GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
      waited += POLL_INTERVAL;
      if (msg == NULL)
        continue;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE)
        return TRUE;
      {
        g_autoptr (GError) gst_error = NULL;
        gst_message_parse_error (msg, &gst_error, NULL);
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Cannot decode the video: %s",
                     gst_error->message);
        return FALSE;
      }
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "Decoding a frame of the video took too long");
  return FALSE;
}

/* A PNG of the frame at ~10% of the video (the first frame if it cannot seek), scaled so that
 * the shorter side is at most TIM_LARGE_SHORT_SIDE. */
static gboolean
grab_thumbnail (const char *uri, TimMediaInfo *info, GCancellable *cancellable, GError **error)
{
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstElement) source = NULL;
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstSample) sample = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GBytes) pixels = NULL;
  g_autoptr (GError) parse_error = NULL;
  GstVideoInfo vinfo;
  GstMapInfo map;
  int short_side = MIN (info->width, info->height);
  int width = info->width, height = info->height;
  gchar *png = NULL;
  gsize png_size = 0;
  gboolean ok;

  if (short_side > TIM_LARGE_SHORT_SIDE)
    {
      width = (int) ((gint64) info->width * TIM_LARGE_SHORT_SIDE / short_side);
      height = (int) ((gint64) info->height * TIM_LARGE_SHORT_SIDE / short_side);
    }
  pipeline = gst_parse_launch ("uridecodebin name=source ! videoconvert ! videoscale"
                               " ! appsink name=sink sync=false",
                               &parse_error);
  if (pipeline != NULL && g_object_is_floating (pipeline))
    gst_object_ref_sink (pipeline);
  if (pipeline == NULL || parse_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Cannot make video thumbnails (GStreamer plugins missing?): %s",
                   parse_error ? parse_error->message : "no pipeline");
      return FALSE;
    }
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (source, "uri", uri, NULL);
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGB", "width", G_TYPE_INT,
                              MAX (width, 1), "height", G_TYPE_INT, MAX (height, 1),
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  gst_app_sink_set_caps (GST_APP_SINK (sink), caps);

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  ok = wait_async_done (pipeline, cancellable, error);
  if (ok && info->duration_ms > 0 &&
      gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
                               GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                               info->duration_ms * GST_MSECOND / 10))
    ok = wait_async_done (pipeline, cancellable, error);
  if (ok)
    sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), STATE_TIMEOUT);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (!ok)
    return FALSE;
  if (sample == NULL || !gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample)) ||
      !gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The video has no frame to show");
      return FALSE;
    }
  pixels = g_bytes_new (map.data, MIN (map.size, (gsize) GST_VIDEO_INFO_SIZE (&vinfo)));
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  pixbuf = gdk_pixbuf_new_from_bytes (pixels, GDK_COLORSPACE_RGB, FALSE, 8,
                                      GST_VIDEO_INFO_WIDTH (&vinfo), GST_VIDEO_INFO_HEIGHT (&vinfo),
                                      GST_VIDEO_INFO_PLANE_STRIDE (&vinfo, 0));
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", error, NULL))
    return FALSE;
  info->thumbnail_png = g_bytes_new_take (png, png_size);
  info->thumbnail_width = GST_VIDEO_INFO_WIDTH (&vinfo);
  info->thumbnail_height = GST_VIDEO_INFO_HEIGHT (&vinfo);
  return TRUE;
}

static TimMediaInfo *
probe_av (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GstDiscoverer) discoverer = NULL;
  g_autoptr (GstDiscovererInfo) dinfo = NULL;
  g_autoptr (TimMediaInfo) info = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *name = g_file_get_parse_name (file);
  GList *video, *audio;
  gboolean has_audio;
  GstClockTime duration;
  GError *gst_error = NULL;

  tim_media_ensure_gst ();
  discoverer = gst_discoverer_new (DISCOVER_TIMEOUT, error);
  if (discoverer == NULL)
    return NULL;
  dinfo = gst_discoverer_discover_uri (discoverer, uri, &gst_error);
  if (dinfo == NULL || gst_discoverer_info_get_result (dinfo) != GST_DISCOVERER_OK)
    {
      gboolean timed_out =
          dinfo && gst_discoverer_info_get_result (dinfo) == GST_DISCOVERER_TIMEOUT;

      g_set_error (error, G_IO_ERROR, timed_out ? G_IO_ERROR_TIMED_OUT : G_IO_ERROR_INVALID_DATA,
                   "“%s” is not an audio or video file this computer can read%s%s", name,
                   gst_error ? ": " : "", gst_error ? gst_error->message : "");
      g_clear_error (&gst_error);
      return NULL;
    }
  g_clear_error (&gst_error);

  info = g_new0 (TimMediaInfo, 1);
  /* Unknown (a live or broken stream) is GST_CLOCK_TIME_NONE, not a length: taken for one, it was
   * ~585 million years, and the thumbnail's seek to a tenth of it overflowed. Unknown is 0 here,
   * as the message's "second" then says. */
  duration = gst_discoverer_info_get_duration (dinfo);
  info->duration_ms = GST_CLOCK_TIME_IS_VALID (duration) ? (gint64) (duration / GST_MSECOND) : 0;
  info->format = container_format (dinfo, file);
  video = gst_discoverer_info_get_video_streams (dinfo);
  audio = gst_discoverer_info_get_audio_streams (dinfo);
  has_audio = audio != NULL;
  for (GList *l = video; l != NULL; l = l->next)
    {
      GstDiscovererVideoInfo *v = l->data;
      guint par_n = gst_discoverer_video_info_get_par_num (v);
      guint par_d = gst_discoverer_video_info_get_par_denom (v);

      if (gst_discoverer_video_info_is_image (v))
        continue;
      info->width = (int) gst_discoverer_video_info_get_width (v);
      info->height = (int) gst_discoverer_video_info_get_height (v);
      /* Thumbnails and row sizes use square pixels. */
      if (par_n > 0 && par_d > 0 && par_n != par_d)
        info->width = (int) ((gint64) info->width * par_n / par_d);
      break;
    }
  gst_discoverer_stream_info_list_free (video);
  gst_discoverer_stream_info_list_free (audio);

  if (info->width > 0 && info->height > 0)
    {
      if (!grab_thumbnail (uri, info, cancellable, error))
        return NULL;
    }
  else if (!has_audio)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“%s” has neither audio nor video",
                   name);
      return NULL;
    }
  return g_steal_pointer (&info);
}

/* ---------------------------------------------------------------------------------------------- */
/* Async wrapper                                                                                  */

static void
probe_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GFile *file = task_data;
  GError *error = NULL;
  TimMediaInfo *info;

  info = tim_media_probe_image (file, &error);
  if (info == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      g_clear_error (&error);
      if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
        info = probe_av (file, cancellable, &error);
    }
  if (info != NULL)
    g_task_return_pointer (task, info, (GDestroyNotify) tim_media_info_free);
  else
    g_task_return_error (task, error);
}

void
tim_media_probe_async (GFile *file, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_media_probe_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, probe_thread);
}

TimMediaInfo *
tim_media_probe_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
