/* timchat-notifier.h: desktop notifications for messages that arrive while the window is not in
 * front; activating one opens the conversation. */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_NOTIFIER (timchat_notifier_get_type ())
G_DECLARE_FINAL_TYPE (TimchatNotifier, timchat_notifier, TIMCHAT, NOTIFIER, GObject)

TimchatNotifier *timchat_notifier_new (GtkWindow *window, TimClient *client);

G_END_DECLS
