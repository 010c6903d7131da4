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

G_END_DECLS
