/* timchat-accept-watch.h: listens again when libsoup stopped accepting connections. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_ACCEPT_WATCH (timchat_accept_watch_get_type ())
G_DECLARE_FINAL_TYPE (TimchatAcceptWatch, timchat_accept_watch, TIMCHAT, ACCEPT_WATCH, GObject)

/* Watches soup's listening sockets (listened with options) once a second; when one has had
 * connections waiting for two checks in a row while soup started no request, soup gave up on it
 * and it is listened on again. */
TimchatAcceptWatch *timchat_accept_watch_new (SoupServer *soup, SoupServerListenOptions options);

G_END_DECLS
