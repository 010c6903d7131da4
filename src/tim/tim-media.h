/* tim-media.h: what a media message needs to know before upload: image size (so a UI can size
 * rows before anything downloads), video thumbnail + duration and audio duration (GStreamer). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int width; /* image or video frame size; 0 if unknown */
  int height;
  gint64 duration_ms;    /* audio/video; 0 if unknown */
  GBytes *thumbnail_png; /* video: a frame as PNG; NULL otherwise */
  int thumbnail_width;
  int thumbnail_height;
  char *format; /* "png", "mp4", "webm", ... from the content */
} TimMediaInfo;

/* gst_init () once, from any thread. */
void tim_media_ensure_gst (void);

void tim_media_info_free (TimMediaInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimMediaInfo, tim_media_info_free)

/* Runs in a worker thread. Images: width/height. Video: size, duration, thumbnail. Audio:
 * duration. */
void tim_media_probe_async (GFile *file, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
TimMediaInfo *tim_media_probe_finish (GAsyncResult *result, GError **error);
TimMediaInfo *tim_media_probe_image (GFile *file, GError **error);

G_END_DECLS
