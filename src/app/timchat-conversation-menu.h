/* timchat-conversation-menu.h: a conversation's context menu in the list. */
#pragma once

#include <gio/gio.h>

#include "tim-client.h"

G_BEGIN_DECLS

/* The menu for conversation as it is now; client (the window's) adds what depends on the user
 * (folders, the blocklist): NULL leaves that out. (transfer full) */
GMenuModel *timchat_conversation_menu_new (TimConversation *conversation, TimClient *client);

G_END_DECLS
