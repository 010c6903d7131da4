/* timchat-join-dialog.h: "Join a Group…" (the main menu): finds a group by its ID and joins it,
 * or asks its admins to let the user in. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_JOIN_DIALOG (timchat_join_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TimchatJoinDialog, timchat_join_dialog, TIMCHAT, JOIN_DIALOG, AdwWindow)

/* Joined (or a member already), it closes and opens the group's conversation in parent (a
 * TimchatWindow) by its "win.open-conversation" (for client's user). */
GtkWidget *timchat_join_dialog_new (GtkWindow *parent, TimClient *client);
/* What the dialog says now (its status line), for tests; "" when nothing. */
const char *timchat_join_dialog_get_status (TimchatJoinDialog *self);

G_END_DECLS
