/* timchat-server.h: the server object: transports, command table, storage, fan-out. */
#pragma once

#include <libsoup/soup.h>

#include "timchat-config.h"
#include "timchat-store.h"

G_BEGIN_DECLS

typedef struct _TimchatHub TimchatHub;
typedef struct _TimchatPresence TimchatPresence;
typedef struct _TimchatLimiter TimchatLimiter;
typedef struct _TimchatReplyMemory TimchatReplyMemory;

#define TIMCHAT_TYPE_SERVER (timchat_server_get_type ())
G_DECLARE_FINAL_TYPE (TimchatServer, timchat_server, TIMCHAT, SERVER, GObject)

TimchatServer *timchat_server_new (const char *data_dir, GError **error);
gboolean timchat_server_listen (TimchatServer *self, const char *host, guint16 port,
                                const char *tls_cert, const char *tls_key, GError **error);
guint16 timchat_server_get_port (TimchatServer *self);
/* Seconds without a client: no WebSocket open, no HTTP request under way (0 while there is one;
 * counted from start-up when nobody ever came). */
guint timchat_server_get_idle_seconds (TimchatServer *self);
/* For SIGTERM: answers what is on its way to the disk (up to 2 s), then stops accepting and
 * closes every socket with "going away", and lets those frames go out. */
void timchat_server_drain (TimchatServer *self);

TimchatConfig *timchat_server_get_config (TimchatServer *self);
TimchatStore *timchat_server_get_store (TimchatServer *self);
TimchatHub *timchat_server_get_hub (TimchatServer *self);
TimchatPresence *timchat_server_get_presence (TimchatServer *self);
TimchatLimiter *timchat_server_get_limiter (TimchatServer *self);
/* The answers given lately, for requests a client sends again after a reconnect. */
TimchatReplyMemory *timchat_server_get_replies (TimchatServer *self);
/* Verifies a UserSig for user against this app's key; a user ID the server never lets in is
 * refused first (70013), whatever the signature. */
gboolean timchat_server_verify_usersig (TimchatServer *self, const char *user, const char *usersig,
                                        gint64 *expires_at, GError **error);
gint64 timchat_server_now (void);

G_END_DECLS
