/* timchat-group-dialog.h: a group's picture, name and members, and what the signed-in user may do
 * to the group: rename it and change its picture, add members (owner and admins), leave it
 * (members), dismiss it (the owner). */
#pragma once

#include <adwaita.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_GROUP_DIALOG (timchat_group_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TimchatGroupDialog, timchat_group_dialog, TIMCHAT, GROUP_DIALOG,
                      AdwPreferencesWindow)

/* parent: (nullable) the window it belongs to; group_id without the "GROUP" prefix. */
GtkWidget *timchat_group_dialog_new (GtkWindow *parent, TimClient *client, const char *group_id);
/* The members as the dialog lists them, "user (Role)" each; for tests and screen readers alike
 * this is what the rows say. NULL until they are loaded. */
GStrv timchat_group_dialog_dup_member_lines (TimchatGroupDialog *self);
/* The titles of the member rows that show someone online, in order (for tests and screen
 * readers alike). */
GStrv timchat_group_dialog_dup_online_titles (TimchatGroupDialog *self);
/* The requests to join the dialog shows, "title: subtitle" a row ("Ann (ann): let me in");
 * empty when none are shown. */
GStrv timchat_group_dialog_dup_request_lines (TimchatGroupDialog *self);

G_END_DECLS
