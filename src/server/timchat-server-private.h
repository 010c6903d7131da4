/* timchat-server-private.h: the server object's fields, shared by its files (timchat-server.c,
 * timchat-server-rest.c). Private to src/server. */
#pragma once

#include "timchat-accept-watch.h"
#include "timchat-hub.h"
#include "timchat-limiter.h"
#include "timchat-reply-memory.h"
#include "timchat-request-guard.h"
#include "timchat-server.h"
#include "timchat-upload.h"

G_BEGIN_DECLS

struct _TimchatServer
{
  GObject parent_instance;

  char *data_dir;
  TimchatConfig *config;
  TimchatStore *store;
  TimchatHub *hub;
  TimchatPresence *presence;
  TimchatLimiter *limiter;
  TimchatReplyMemory *replies;
  TimchatUploads *uploads;
  SoupServer *soup;
  TimchatRequestGuard *request_guard;
  TimchatAcceptWatch *accept_watch; /* once listening */
  GHashTable *sessions;             /* every open TimchatSession, owned */
  GHashTable *open_requests; /* SoupServerMessage: HTTP requests not answered yet (not owned) */
  gint64 last_activity;      /* monotonic µs: the last session or request that came or went */
  guint retention_source;
  guint purge_source;     /* the sweep under way, one step per idle */
  gint64 purge_before;    /* its cutoff */
  guint purged;           /* rows it has removed so far */
  gboolean purging_files; /* the messages are done; now the uploads no kept message mentions */
  guint purged_files;     /* files it has removed so far */
  gint64 rest_window_start;
  guint rest_calls_in_window;
};

/* The REST transport: POST /v4/<service>/<command> (timchat-server-rest.c). */
void _timchat_server_on_early_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                                       GHashTable *query, gpointer user_data);
void _timchat_server_on_rest (SoupServer *server, SoupServerMessage *msg, const char *path,
                              GHashTable *query, gpointer user_data);

G_END_DECLS
