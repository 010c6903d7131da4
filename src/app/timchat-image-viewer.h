/* timchat-image-viewer.h: a window with an image message at full size: the large (720 px)
 * variant or the original, fetched through TimDownloader; zoom and copy. */
#pragma once

#include <adwaita.h>

#include "tim-message.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_IMAGE_VIEWER (timchat_image_viewer_get_type ())
G_DECLARE_FINAL_TYPE (TimchatImageViewer, timchat_image_viewer, TIMCHAT, IMAGE_VIEWER, AdwWindow)

/* parent: (nullable) the window it belongs to. */
GtkWidget *timchat_image_viewer_new (GtkWindow *parent, TimMessage *message);
/* Whether an image viewer is shown over parent: a double click on a picture opens one with its
 * first click, and the list's activation must not open a second. */
gboolean timchat_image_viewer_is_open_over (GtkWindow *parent);

G_END_DECLS
