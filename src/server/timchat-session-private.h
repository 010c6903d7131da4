/* timchat-session-private.h: what timchat-session.c (the socket's login, output and liveness)
 * and timchat-session-frames.c (the frames it reads and their answers) share. Private to
 * src/server. */
#pragma once

#include "timchat-server.h"
#include "timchat-session.h"
#include "timchat-socket-backlog.h"

G_BEGIN_DECLS

struct _TimchatSession
{
  GObject parent_instance;

  TimchatServer *server; /* unowned: the server outlives its sessions */
  SoupWebsocketConnection *connection;
  gboolean binary; /* /binfo speaks binary frames, /info text frames */
  char *user;
  char *a2;
  /* The ticket of the login a wslogout ended here (authenticate (), check_idle ()). */
  char *ended_a2;
  guint64 tinyid;
  guint64 inst_id;
  gint64 expires; /* server time the login ends (its UserSig's end) */
  gint64 push_seq;
  gint64 last_frame_us;
  gint64 opened_us; /* monotonic, when the socket came */
  guint idle_source;

  TimchatSocketBacklog backlog; /* output the client has not taken yet (see check_unsent) */
};

/* timchat-session.c */
/* Whether the login's UserSig has run out (never for a login without an end). */
gboolean _timchat_session_login_expired (TimchatSession *self);

/* timchat-session-frames.c */
/* The connection's "message" handler: one frame, answered after the commit of what it wrote. */
void _timchat_session_on_message (SoupWebsocketConnection *connection, int type, GBytes *message,
                                  gpointer user_data);

G_END_DECLS
