/* timchat-media-picture.h: a picture with a fixed size known before anything is loaded (so the
 * timeline never jumps), filled from a local file or a URL fetched through TimDownloader and
 * decoded off the main thread at the size shown. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_MEDIA_PICTURE (timchat_media_picture_get_type ())
G_DECLARE_FINAL_TYPE (TimchatMediaPicture, timchat_media_picture, TIMCHAT, MEDIA_PICTURE, GtkWidget)

/* Shown at width×height scaled down to fit max_size×max_size, aspect kept (0×0: a square). */
GtkWidget *timchat_media_picture_new (int width, int height, int max_size);
/* Loads local when it exists, else url (may be NULL: the placeholder stays). */
void timchat_media_picture_load (TimchatMediaPicture *self, GFile *local, const char *url);
/* Inactive (e.g. scrolled far out of view): the texture is dropped and nothing loads until it is
 * active again, when it loads what was last asked for. Active by default. */
void timchat_media_picture_set_active (TimchatMediaPicture *self, gboolean active);
void timchat_media_picture_get_display_size (TimchatMediaPicture *self, int *width, int *height);
/* (nullable) (transfer none) the loaded texture. */
GdkPaintable *timchat_media_picture_get_paintable (TimchatMediaPicture *self);

/* width×height scaled to fit max×max with the aspect kept, never enlarged. */
void timchat_media_fit (int width, int height, int max, int *out_width, int *out_height);
/* Decodes file in a thread, scaled to fit width×height (0: natural size). */
void timchat_texture_load_async (GFile *file, int width, int height, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
GdkTexture *timchat_texture_load_finish (GAsyncResult *result, GError **error);

G_END_DECLS
