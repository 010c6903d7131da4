/* timchat-message-content.h: the widget inside a bubble for each element type: text with
 * emoji, image, video, audio, file, custom (the die), face, location, forwarded chats. */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

GtkWidget *timchat_message_content_new (TimMessage *message);
/* A text with "[Grin]" tokens drawn as emoji; *only_emoji when nothing else. */
char *timchat_message_content_dup_shown_text (const char *text, gboolean *only_emoji);
/* A tooltip (and the accessible description) shown through GtkWidget::query-tooltip: with
 * gtk_widget_set_tooltip_text, GTK 4.8 asks the X server where the pointer is at every call, a
 * round trip for each row made while a conversation opens. NULL removes it. */
void timchat_message_content_set_tooltip (GtkWidget *widget, const char *text);
/* The text set above, or NULL. */
const char *timchat_message_content_get_tooltip (GtkWidget *widget);
/* "⚀".."⚅" for "1".."6", else NULL. */
const char *timchat_message_content_die_face (const char *value);

G_END_DECLS
