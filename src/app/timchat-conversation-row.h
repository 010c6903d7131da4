/* timchat-conversation-row.h: one row of the conversation list: avatar, name, last message
 * preview ("You: …", recalled), time, unread badge, pinned. Bound to a TimConversation. */
#pragma once

#include <gtk/gtk.h>

#include "tim-conversation.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_CONVERSATION_ROW (timchat_conversation_row_get_type ())
G_DECLARE_FINAL_TYPE (TimchatConversationRow, timchat_conversation_row, TIMCHAT, CONVERSATION_ROW,
                      GtkWidget)

GtkWidget *timchat_conversation_row_new (void);
TimConversation *timchat_conversation_row_get_conversation (TimchatConversationRow *self);
/* me: the logged-in user, for "You: …" previews. */
void timchat_conversation_row_set_conversation (TimchatConversationRow *self,
                                                TimConversation *conversation, const char *me);
/* How a list of conversations is searched (gtk_string_filter_set_search ()): by the name shown
 * and by the user or group ID. */
GtkStringFilter *timchat_conversation_row_new_search_filter (void);

G_END_DECLS
