/* timchat-blocked-dialog.h: "Blocked People" (the main menu): who the user blocked, each with
 * Unblock. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_BLOCKED_DIALOG (timchat_blocked_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TimchatBlockedDialog, timchat_blocked_dialog, TIMCHAT, BLOCKED_DIALOG,
                      AdwWindow)

GtkWidget *timchat_blocked_dialog_new (GtkWindow *parent, TimClient *client);

G_END_DECLS
