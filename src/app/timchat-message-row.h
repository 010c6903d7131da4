/* timchat-message-row.h: one message in the conversation view, for every type: text with emoji,
 * image, video, audio, file, custom (the die), face, location, group tips and system notices,
 * recalled lines; day separator and sender grouping from the previous message; sending state,
 * progress and errors. Menu actions go to the "conversation." group of an ancestor with the
 * message ID as parameter: recall, retry, copy, save-as, open, open-folder, cancel-upload,
 * view-image, view-history, reply, select; a reply's quote asks for show-original with the quoted
 * message's ID; in selection mode the row asks for set-selected. */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_MESSAGE_ROW (timchat_message_row_get_type ())
G_DECLARE_FINAL_TYPE (TimchatMessageRow, timchat_message_row, TIMCHAT, MESSAGE_ROW, GtkWidget)

GtkWidget *timchat_message_row_new (void);
/* previous: the message above (NULL at the top), for the day separator and sender grouping;
 * is_group: show sender names and avatars. */
void timchat_message_row_bind (TimchatMessageRow *self, TimMessage *message, TimMessage *previous,
                               gboolean is_group, int recall_seconds);
void timchat_message_row_unbind (TimchatMessageRow *self);
/* The signed-in user: a tip about them alone says "you". Set before binding. */
void timchat_message_row_set_me (TimchatMessageRow *self, const char *me);
TimMessage *timchat_message_row_get_message (TimchatMessageRow *self);
/* Lines above the message that its conversation decides: "Beginning of the conversation" (over
 * the first message once the history is complete) and "Unread messages" (over the first message
 * that was unread when the conversation opened). */
void timchat_message_row_set_notes (TimchatMessageRow *self, gboolean beginning, gboolean unread);
/* Whether the row's pictures hold and load their images (the view turns it off for rows far from
 * what is on screen, which a GtkListView keeps bound by the hundred). Active by default. */
void timchat_message_row_set_media_active (TimchatMessageRow *self, gboolean active);

/* Selection mode (the conversation view's Select): a check button before the message, if it can
 * be selected (timchat_message_row_can_select); a click anywhere on the row, or the check button
 * toggled from the keyboard, asks the view with "conversation.set-selected" ((sb): the message
 * ID and whether it is to be selected), and the view answers with this. */
void timchat_message_row_set_selecting (TimchatMessageRow *self, gboolean selecting,
                                        gboolean selected);
gboolean timchat_message_row_get_selected (TimchatMessageRow *self);
/* Sent and kept, and not a tip, a notice or a recalled line: what can be selected (and so
 * forwarded or deleted together). */
gboolean timchat_message_row_can_select (TimMessage *message);

/* Highlights the row for a moment (the original message a quote led to); unbinding ends it. */
void timchat_message_row_flash (TimchatMessageRow *self);
gboolean timchat_message_row_get_flashing (TimchatMessageRow *self);

G_END_DECLS
