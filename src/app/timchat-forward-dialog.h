/* timchat-forward-dialog.h: where to forward a message: the conversations of the list (not the
 * Group Notices), searchable; choosing one forwards the message there. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_FORWARD_DIALOG (timchat_forward_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TimchatForwardDialog, timchat_forward_dialog, TIMCHAT, FORWARD_DIALOG,
                      AdwWindow)

/* parent: the window that says how the forward went (a toast with Open, or the error). */
GtkWidget *timchat_forward_dialog_new (GtkWindow *parent, TimClient *client, TimMessage *message);
/* Forwards to conversation_id, as choosing its row does, and closes. */
void timchat_forward_dialog_choose (TimchatForwardDialog *self, const char *conversation_id);
/* The names the list shows now, in order (for tests and screen readers alike). */
GStrv timchat_forward_dialog_dup_names (TimchatForwardDialog *self);

G_END_DECLS
