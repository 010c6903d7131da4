/* timchat-audio-content.h: a voice/audio message: play/pause and the duration (the position
 * while playing). The file is fetched on the first play. */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_AUDIO_CONTENT (timchat_audio_content_get_type ())
G_DECLARE_FINAL_TYPE (TimchatAudioContent, timchat_audio_content, TIMCHAT, AUDIO_CONTENT, GtkWidget)

GtkWidget *timchat_audio_content_new (TimMessage *message);
/* Play when paused, pause when playing (the button). */
void timchat_audio_content_toggle (TimchatAudioContent *self);

G_END_DECLS
