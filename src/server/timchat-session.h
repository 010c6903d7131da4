/* timchat-session.h: one WebSocket of one client instance (the SDK's /info or /binfo socket). */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _TimchatServer TimchatServer;

#define TIMCHAT_TYPE_SESSION (timchat_session_get_type ())
G_DECLARE_FINAL_TYPE (TimchatSession, timchat_session, TIMCHAT, SESSION, GObject)

/* socket: the connection's, to see how much of the output the client has taken (may be NULL). */
TimchatSession *timchat_session_new (TimchatServer *server, SoupWebsocketConnection *connection,
                                     GSocket *socket, gboolean binary);
const char *timchat_session_get_user (TimchatSession *self);
guint64 timchat_session_get_inst_id (TimchatSession *self);
/* (transfer full) the value of a parameter of the URL the socket was opened with, or NULL. */
char *timchat_session_dup_url_param (TimchatSession *self, const char *name);
/* Called by the login command once the caller is proven: registers with the hub. The login
 * lasts until expires (the UserSig's end, as its ticket's): then requests are answered 70001
 * and the socket is closed, and the client must log in with a new UserSig. */
void timchat_session_set_login (TimchatSession *self, const char *user, const char *a2,
                                guint64 tinyid, gint64 expires);
/* The same for a socket that shows a ticket only to end its login (a wslogout on a new socket):
 * over max_instances it pushes no other device out, as it is about to go itself. */
void timchat_session_set_login_to_end (TimchatSession *self, const char *user, const char *a2,
                                       guint64 tinyid, gint64 expires);
/* wslogout: voids the login's ticket and ends the login on this socket and on any other that
 * showed the ticket; each is then a socket that never logged in (until a new wslogin). FALSE if
 * the ticket could not be voided: then nothing changed. A voiding the store then does not keep
 * (its commit fails, and the answer says so) leaves the ticket valid, and it logs those sockets
 * in again at their next request. */
gboolean timchat_session_logout (TimchatSession *self, GError **error);
void timchat_session_push (TimchatSession *self, const char *servcmd, JsonObject *body);
/* An encoded frame, sent as a binary or text frame as this socket expects. */
void timchat_session_send_frame (TimchatSession *self, GBytes *frame);
/* KickType of im_open_status.stat_forceoffline (tim-sdk-facts.md §9). */
typedef enum
{
  TIMCHAT_KICK_MULTI_ACCOUNT = 1,
  TIMCHAT_KICK_MULTI_DEVICE = 2,
  TIMCHAT_KICK_REST_API = 3,
} TimchatKickType;

/* Tells the client it was kicked, logs the socket out and closes it. */
void timchat_session_kick (TimchatSession *self, TimchatKickType kick_type);
void timchat_session_close (TimchatSession *self, gushort code, const char *reason);

G_END_DECLS
