/* timchat-local-server.h: "Try it on this computer": a timchat-server of our own on 127.0.0.1,
 * its data in the user's data dir, shared by every TimChat window of this user. */
#pragma once

#include <gio/gio.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_LOCAL_SERVER (timchat_local_server_get_type ())
G_DECLARE_FINAL_TYPE (TimchatLocalServer, timchat_local_server, TIMCHAT, LOCAL_SERVER, GObject)

/* data_dir NULL: ~/.local/share/timchat/local-server. */
TimchatLocalServer *timchat_local_server_new (const char *data_dir);
/* Reuses a server that is already running for this data dir, or starts one (on the port it had
 * before, if that is free). It is nobody's to stop: it exits once no client has been connected
 * for a while. Fails with G_IO_ERROR_PENDING while another start of this object is under way. */
void timchat_local_server_start_async (TimchatLocalServer *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean timchat_local_server_start_finish (TimchatLocalServer *self, GAsyncResult *result,
                                            GError **error);
/* Keeps the server there for client (one at a time; it is not kept alive by this): when the
 * client loses it, it is started again (on the same port) and the client reconnects at once;
 * again every few seconds while the client is trying. */
void timchat_local_server_watch (TimchatLocalServer *self, TimClient *client);
const char *timchat_local_server_get_url (TimchatLocalServer *self); /* ws://127.0.0.1:PORT */
guint64 timchat_local_server_get_sdkappid (TimchatLocalServer *self);
/* A UserSig for user from this server's key (asks `timchat-server usersig`). */
char *timchat_local_server_make_usersig (TimchatLocalServer *self, const char *user,
                                         GError **error);

G_END_DECLS
