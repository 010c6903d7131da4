/* timchat-conversation-view.h: the open conversation: the message list (opens at the newest
 * message or the first unread, loads older pages at the top without moving what the reader
 * sees, follows the bottom only at the bottom, "N new messages"), the composer, paste and drop
 * with a preview sheet, the "conversation." actions of message rows, searching the
 * conversation's messages, and selection mode (several messages forwarded or deleted together). */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_CONVERSATION_VIEW (timchat_conversation_view_get_type ())
G_DECLARE_FINAL_TYPE (TimchatConversationView, timchat_conversation_view, TIMCHAT,
                      CONVERSATION_VIEW, GtkWidget)

GtkWidget *timchat_conversation_view_new (TimClient *client);
/* The client whose conversations it shows from now on (a new login); closes the open one. */
void timchat_conversation_view_set_client (TimchatConversationView *self, TimClient *client);
void timchat_conversation_view_set_conversation_id (TimchatConversationView *self,
                                                    const char *conversation_id);
const char *timchat_conversation_view_get_conversation_id (TimchatConversationView *self);
/* A recalled text back in the composer to edit (after what is typed there, if anything). */
void timchat_conversation_view_edit_again (TimchatConversationView *self, const char *text);
/* Keyboard focus where a reader starts: the composer, or the messages when nothing can be sent. */
gboolean timchat_conversation_view_focus_start (TimchatConversationView *self);
/* Opens the search bar over the messages (Ctrl+F, the window's Search Messages button), its
 * entry in focus; FALSE when no conversation is open. */
gboolean timchat_conversation_view_start_search (TimchatConversationView *self);
/* Scrolls to message (of the open conversation) and highlights it, loading older pages until the
 * view has it (a toast when it cannot be found); right after the conversation was set, once the
 * view has opened. */
void timchat_conversation_view_show_message (TimchatConversationView *self, TimMessage *message);
/* What the file choosers lead to (tests call it directly): send file as a kind of message. */
void timchat_conversation_view_send_file (TimchatConversationView *self, GFile *file,
                                          TimElemType kind);
/* What paste and drop lead to: the preview sheet, then send on "Send". */
void timchat_conversation_view_preview_texture (TimchatConversationView *self, GdkTexture *texture);
void timchat_conversation_view_preview_files (TimchatConversationView *self, GListModel *files);

G_END_DECLS
