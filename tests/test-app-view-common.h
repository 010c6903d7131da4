/* test-app-view-common.h: what more than one of the conversation view's test programs
 * (tests/test-app-view-*.c) use, kept once in test-app-view-common.c. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"
#include "timchat-conversation-view.h"

G_BEGIN_DECLS

/* Waits (20 s) until client's conversation_id is listed with unread unread messages. */
void wait_unread (TimClient *client, const char *conversation_id, guint unread);
/* view alone in a new window (480×520), presented. */
GtkWindow *show_view (TimchatConversationView *view);
/* The on-screen top (y) and bottom of the row showing message_id, relative to the scrolled
 * window; FALSE when it is not shown. */
gboolean row_span (TimchatConversationView *view, const char *message_id, double *y,
                   double *bottom);
/* The row of message_id is entirely inside the scrolled window's viewport. */
gboolean row_visible (TimchatConversationView *view, const char *message_id);
/* The view's message at index (negative: from the end); the model keeps it. */
TimMessage *nth (TimchatConversationView *view, int index);
gboolean nth_visible (TimchatConversationView *view, int index);
/* No pinning or loading going on, then a few frames for the layout to follow. */
void wait_settled (TimchatConversationView *view);
/* wait_settled, then the newest message is in the viewport. */
void wait_newest_visible (TimchatConversationView *view);
/* Waits (10 s) until the view lists at least want messages. */
void wait_items (TimchatConversationView *view, guint want);

G_END_DECLS
