/* tim-conversation-list.h: a GListModel of TimConversation in the seed's order (pinned first,
 * then by last message time, newest first), with minimal items-changed emissions. */
#pragma once

#include "tim-conversation.h"

G_BEGIN_DECLS

#define TIM_TYPE_CONVERSATION_LIST (tim_conversation_list_get_type ())
G_DECLARE_FINAL_TYPE (TimConversationList, tim_conversation_list, TIM, CONVERSATION_LIST, GObject)

TimConversation *tim_conversation_list_lookup (TimConversationList *self,
                                               const char *conversation_id);
/* The Web SDK's getTotalUnreadMessageCount: every conversation's unread count but the group
 * notices' and the muted ones' (TimConversationList:total-unread). */
guint tim_conversation_list_get_total_unread (TimConversationList *self);
/* How many of those conversations (not muted, not the group notices) are marked unread
 * (TIM_CONV_MARK_UNREAD) with no unread message in them: what the user asked to come back to,
 * one each in a count like a dock's (TimConversationList:marked-unread). */
guint tim_conversation_list_get_marked_unread (TimConversationList *self);

/* Private to libtim. */
TimConversationList *_tim_conversation_list_new (void);
/* Adds, or re-sorts after a change of last time / pinned: one items-changed (a move is a
 * removal and an insertion in one emission when adjacent, else two). */
void _tim_conversation_list_upsert (TimConversationList *self, TimConversation *conversation);
/* The same for a conversation whose last message just came (received, sent or synced): it goes
 * first among those whose last messages have the same second. */
void _tim_conversation_list_upsert_arrived (TimConversationList *self,
                                            TimConversation *conversation);
void _tim_conversation_list_remove (TimConversationList *self, const char *conversation_id);
/* Replaces everything at once (login, sync): a single items-changed. */
void _tim_conversation_list_replace_all (TimConversationList *self, GPtrArray *conversations);

G_END_DECLS
