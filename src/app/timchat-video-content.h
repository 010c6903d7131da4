/* timchat-video-content.h: a video message: the thumbnail at its final size with the duration
 * and a play button; playing replaces it in place with a GtkVideo of the downloaded file. */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_VIDEO_CONTENT (timchat_video_content_get_type ())
G_DECLARE_FINAL_TYPE (TimchatVideoContent, timchat_video_content, TIMCHAT, VIDEO_CONTENT, GtkWidget)

GtkWidget *timchat_video_content_new (TimMessage *message);
/* Starts playing (what the play button does). */
void timchat_video_content_play (TimchatVideoContent *self);

G_END_DECLS
