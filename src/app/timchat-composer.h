/* timchat-composer.h: the message entry: multi-line, Enter sends (Shift+Enter new line; the
 * "enter-sends" setting), emoji picker inserting "[Grin]"-style tokens or sending face messages,
 * the attach menu (Image…, Video…, File…, Audio file…), "Roll a die", group priority, and a
 * draft kept per conversation. */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_COMPOSER (timchat_composer_get_type ())
G_DECLARE_FINAL_TYPE (TimchatComposer, timchat_composer, TIMCHAT, COMPOSER, GtkWidget)

GtkWidget  *timchat_composer_new           (void);
void        timchat_composer_set_client    (TimchatComposer *self, TimClient *client);
void        timchat_composer_set_conversation_id (TimchatComposer *self, const char *conversation_id);
char       *timchat_composer_dup_text      (TimchatComposer *self);
void        timchat_composer_set_text      (TimchatComposer *self, const char *text);
/* Sends what is typed (as the Enter key does). */
void        timchat_composer_send          (TimchatComposer *self);

G_END_DECLS
