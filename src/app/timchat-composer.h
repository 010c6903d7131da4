/* timchat-composer.h: the message entry: multi-line, Enter sends (Shift+Enter new line; the
 * "enter-sends" setting), emoji picker inserting "[Grin]"-style tokens or sending face messages,
 * the attach menu (Image…, Video…, File…, Audio file…), "Roll a die", group priority, @-mentions
 * of group members (a list that opens on "@"), a draft kept per conversation, editing one's own
 * sent texts (Up, or "Edit" in a message's menu) and replying to a message (a quote of it). */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_COMPOSER (timchat_composer_get_type ())
G_DECLARE_FINAL_TYPE (TimchatComposer, timchat_composer, TIMCHAT, COMPOSER, GtkWidget)

GtkWidget *timchat_composer_new (void);
void timchat_composer_set_client (TimchatComposer *self, TimClient *client);
void timchat_composer_set_conversation_id (TimchatComposer *self, const char *conversation_id);
char *timchat_composer_dup_text (TimchatComposer *self);
void timchat_composer_set_text (TimchatComposer *self, const char *text);
/* Puts the keyboard focus in the text. */
gboolean timchat_composer_focus_text (TimchatComposer *self);
/* Whether the open conversation takes messages now: FALSE with none open, and in a group muted
 * for all of which the user is a plain member. Everything sent from the conversation asks. */
gboolean timchat_composer_can_send (TimchatComposer *self);
/* Why the user cannot post in the open group now, as a sentence for the bar over the composer
 * ("You are muted in this group until 14:30", "Only the owner and admins can send messages
 * here"); NULL when they can. The text is read-only meanwhile; the property is notified when
 * the restriction comes, changes, ends (a mute runs out) or is lifted. */
const char *timchat_composer_get_restriction (TimchatComposer *self);
/* Sends what is typed (as the Enter key does); in edit mode, saves the edit. */
void timchat_composer_send (TimchatComposer *self);

/* Editing a sent message: one's own text, sent and kept (not online-only), not recalled. */
gboolean timchat_composer_can_edit_message (TimMessage *message);
/* Edit mode for message (of the open conversation; FALSE when it cannot be edited): a bar above
 * the text shows what is edited, the text holds the message's text, Enter saves it, Escape
 * cancels; what was typed before comes back after either. */
gboolean timchat_composer_edit_message (TimchatComposer *self, TimMessage *message);
/* Edits the newest own editable text of the open conversation (Up in an empty composer). */
gboolean timchat_composer_edit_last (TimchatComposer *self);
/* Leaves edit mode without saving (nothing when not editing). */
void timchat_composer_cancel_edit (TimchatComposer *self);
/* The message being edited, or NULL. */
TimMessage *timchat_composer_get_editing (TimchatComposer *self);

/* Replying: a message sent and kept (not online-only), not recalled, not a group tip or notice. */
gboolean timchat_composer_can_reply_to (TimMessage *message);
/* Reply mode for message (of the open conversation; FALSE when it cannot be replied to): a bar
 * above the text shows whom and what, the focus goes to the text, and the next message sent from
 * the conversation (text, sticker, die, file) quotes message; Escape cancels. Ends edit mode. */
gboolean timchat_composer_reply_to (TimchatComposer *self, TimMessage *message);
/* Leaves reply mode without sending (nothing when not replying); the text stays. */
void timchat_composer_cancel_reply (TimchatComposer *self);
/* The message being replied to, or NULL. */
TimMessage *timchat_composer_get_replying (TimchatComposer *self);
/* Whether a voice message is being recorded ("Voice Message" in the attach menu). */
gboolean timchat_composer_get_recording (TimchatComposer *self);
/* How long a voice message may be: one that reaches it is sent by itself (five minutes unless
 * set; 0: no limit). */
void timchat_composer_set_max_recording_ms (TimchatComposer *self, guint max_ms);
/* What sends from the conversation outside the composer (files, pasted images) calls before
 * sending message (not sent yet): in reply mode, message quotes the original and reply mode ends.
 * Whether message is a reply now. */
gboolean timchat_composer_apply_reply (TimchatComposer *self, TimMessage *message);

/* Inserts an emoji token ("[Grin]") at the cursor, as the emoji picker does. */
void timchat_composer_insert_emoji (TimchatComposer *self, const char *token);
/* Sends a face message (the picker's "Stickers" tab) / a die (custom message "dice", 1..6). */
void timchat_composer_send_sticker (TimchatComposer *self, int index);
void timchat_composer_roll_die (TimchatComposer *self);
/* Priority of what is sent next in a group conversation (Normal after switching). */
void timchat_composer_set_priority (TimchatComposer *self, TimPriority priority);
TimPriority timchat_composer_get_priority (TimchatComposer *self);
/* What the attach choosers lead to: emits "file-chosen" (GFile *file, TimElemType kind), whose
 * default handler sends the file through the ancestor TimchatConversationView. */
void timchat_composer_attach_file (TimchatComposer *self, GFile *file, TimElemType kind);

G_END_DECLS
