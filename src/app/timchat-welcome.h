/* timchat-welcome.h: the first-run page: "Try it on this computer" or "Use a server".
 * Signals: "login-requested" (server, sdkappid, user, usersig: strings), "local-requested" (user).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_WELCOME (timchat_welcome_get_type ())
G_DECLARE_FINAL_TYPE (TimchatWelcome, timchat_welcome, TIMCHAT, WELCOME, GtkWidget)

/* While a login or a local start is under way: buttons insensitive, and neither they nor Enter
 * in a field ask again. */
void timchat_welcome_set_busy (TimchatWelcome *self, gboolean busy);

G_END_DECLS
