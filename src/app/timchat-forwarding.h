/* timchat-forwarding.h: forwarding messages to a conversation, one by one (each as it was, through
 * libtim's forward) or as one chat history (a merged message titled after the conversation they
 * come from); the window then says "Forwarded to NAME" with Open, or what went wrong. */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

typedef enum
{
  TIMCHAT_FORWARD_ONE_BY_ONE,
  TIMCHAT_FORWARD_AS_HISTORY,
} TimchatForwardMode;

/* messages: of one conversation, in the order they are to go (oldest first, as shown); window:
 * the TimchatWindow that says how it went (may be NULL). Each is made at once (what libtim
 * refuses is told, and nothing is sent); the outbox sends them from there. */
void timchat_forward_messages (GtkWindow *window, TimClient *client, GPtrArray *messages,
                               TimchatForwardMode mode, TimConversation *to);

G_END_DECLS
