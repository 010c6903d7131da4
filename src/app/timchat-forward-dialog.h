/* timchat-forward-dialog.h: where to forward messages: the conversations of the list (not the
 * Group Notices), searchable; choosing one forwards the messages there. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"
#include "timchat-forwarding.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_FORWARD_DIALOG (timchat_forward_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TimchatForwardDialog, timchat_forward_dialog, TIMCHAT, FORWARD_DIALOG,
                      AdwWindow)

/* parent: the window that says how the forward went (a toast with Open, or the error). */
GtkWidget *timchat_forward_dialog_new (GtkWindow *parent, TimClient *client, TimMessage *message);
/* Several messages of one conversation, oldest first: each on its own, in that order, or all as
 * one chat history (mode). */
GtkWidget *timchat_forward_dialog_new_for_messages (GtkWindow *parent, TimClient *client,
                                                    GPtrArray *messages, TimchatForwardMode mode);
/* Whether a conversation was chosen ("forwarded" notifies when it is). */
gboolean timchat_forward_dialog_get_forwarded (TimchatForwardDialog *self);
/* Forwards to conversation_id, as choosing its row does, and closes. */
void timchat_forward_dialog_choose (TimchatForwardDialog *self, const char *conversation_id);
/* The names the list shows now, in order (for tests and screen readers alike). */
GStrv timchat_forward_dialog_dup_names (TimchatForwardDialog *self);

G_END_DECLS
