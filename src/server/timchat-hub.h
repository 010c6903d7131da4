/* timchat-hub.h: who is online, on which sockets; pushes go through here. */
#pragma once

#include <json-glib/json-glib.h>

#include "tim-conv.h"
#include "timchat-store.h"

G_BEGIN_DECLS

typedef struct _TimchatSession TimchatSession;

/* The servcmd of every push of ours that carries an EventArray. */
#define TIMCHAT_PUSH_SERVCMD "im_open_push.msg_push"

#define TIMCHAT_TYPE_HUB (timchat_hub_get_type ())
G_DECLARE_FINAL_TYPE (TimchatHub, timchat_hub, TIMCHAT, HUB, GObject)

/* Pushes wait for the store's commit (timchat_store_after_commit): nobody hears of a message
 * that could still be lost. */
TimchatHub *timchat_hub_new (TimchatStore *store);
void timchat_hub_add (TimchatHub *self, TimchatSession *session);
void timchat_hub_remove (TimchatHub *self, TimchatSession *session);
/* The same for a session that logged out (wslogout): its user is not offline but logged out. */
void timchat_hub_logout (TimchatHub *self, TimchatSession *session);
/* Sends one push frame to every session of user except `except`. Returns how many got it. */
guint timchat_hub_push (TimchatHub *self, const char *user, const char *servcmd, JsonObject *body,
                        TimchatSession *except);
/* The same push to several users (a group): encoded once for all of them. */
guint timchat_hub_push_many (TimchatHub *self, const char *const *users, guint n_users,
                             const char *servcmd, JsonObject *body, TimchatSession *except);
/* Whether user has a session other than except. */
gboolean timchat_hub_has_sessions (TimchatHub *self, const char *user, TimchatSession *except);
/* timchat_hub_push () with the body already written as JSON text. */
guint timchat_hub_push_json (TimchatHub *self, const char *user, const char *servcmd,
                             const char *body_json, TimchatSession *except);
/* While held, the pushes queued wait here, in order, until the hold ends; then they go to the
 * store's commit queue (timchat_store_after_commit ()). A socket's command holds them while it
 * runs, so that its answer is queued ahead of the pushes it caused (timchat-session-frames.c).
 * Holds nest. */
void timchat_hub_hold_pushes (TimchatHub *self);
void timchat_hub_release_pushes (TimchatHub *self);
/* Drops, unsent, the pushes queued since the innermost hold began: the command that caused them
 * was undone (timchat_command_dispatch ()). The hold itself goes on until released. */
void timchat_hub_drop_held_pushes (TimchatHub *self);
/* (transfer container): the sessions of user, or an empty array. */
GPtrArray *timchat_hub_get_sessions (TimchatHub *self, const char *user);

G_END_DECLS
