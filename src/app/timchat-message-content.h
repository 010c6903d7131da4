/* timchat-message-content.h: the widget inside a bubble for each element type: text with
 * emoji, image, video, audio, file, custom (the die), face, location, forwarded chats. */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

GtkWidget *timchat_message_content_new (TimMessage *message);
/* The markup of a text with "[Grin]" tokens drawn as emoji; *only_emoji when nothing else. */
char *timchat_message_content_text_markup (const char *text, gboolean *only_emoji);
/* "⚀".."⚅" for "1".."6", else NULL. */
const char *timchat_message_content_die_face (const char *value);

G_END_DECLS
