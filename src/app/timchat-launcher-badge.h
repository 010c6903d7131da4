/* timchat-launcher-badge.h: the unread count on TimChat's icon in the docks and task bars that
 * show one. */
#pragma once

#include <gio/gio.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_LAUNCHER_BADGE (timchat_launcher_badge_get_type ())
G_DECLARE_FINAL_TYPE (TimchatLauncherBadge, timchat_launcher_badge, TIMCHAT, LAUNCHER_BADGE,
                      GObject)

/* Follows conversations' total unread on bus for the desktop file desktop_id
 * ("org.example.TimChat.desktop") until disposed, which takes the count down. */
TimchatLauncherBadge *timchat_launcher_badge_new (GDBusConnection *bus, const char *desktop_id,
                                                  TimConversationList *conversations);

G_END_DECLS
