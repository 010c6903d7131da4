/* timchat-notifier.h: desktop notifications for messages that arrive while the window is not in
 * front; activating one opens the conversation. */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_NOTIFIER (timchat_notifier_get_type ())
G_DECLARE_FINAL_TYPE (TimchatNotifier, timchat_notifier, TIMCHAT, NOTIFIER, GObject)

TimchatNotifier *timchat_notifier_new (GtkWindow *window, TimClient *client);
/* What a notification's actions (app.open-conversation, app.mark-read) carry: "(ss)", the user
 * ID it was sent to and the conversation ID. (transfer floating) */
GVariant *timchat_notifier_target_new (const char *user, const char *conversation_id);
/* Its id, the same for every notification of one conversation to one account. */
char *timchat_notifier_dup_id (const char *user, const char *conversation_id);

G_END_DECLS
