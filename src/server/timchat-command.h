/* timchat-command.h: ONE table from "service.command" to handler, shared by the WebSocket
 * transport (servcmd) and the REST transport (/v4/service/command). */
#pragma once

#include <json-glib/json-glib.h>

#include "timchat-server.h"
#include "timchat-session.h"

G_BEGIN_DECLS

typedef struct
{
  TimchatServer *server;
  const char *servcmd;
  JsonObject *body;
  const char *user;        /* the authenticated caller; for REST, the admin identifier */
  gboolean is_admin;       /* REST with an admin's UserSig */
  TimchatSession *session; /* the caller's socket, NULL over REST */
  JsonObject *head;        /* the frame head (WebSocket only) */
  /* Set by a command that knows this request again by itself: a stored message, by its sender,
   * random and sequence (exactly once). Its answer is then not kept for a request sent again
   * (timchat-reply-memory.c): the store answers that as the first time, and keeping every
   * message's answer cost the relay ~10 us of CPU a message (13 %). */
  gboolean knows_repeats;
} TimchatRequest;

typedef enum
{
  TIMCHAT_COMMAND_WEBSOCKET = 1 << 0, /* reachable as a WebSocket servcmd */
  TIMCHAT_COMMAND_REST = 1 << 1,      /* reachable as POST /v4/service/command by an admin */
  TIMCHAT_COMMAND_NO_LOGIN = 1 << 2,  /* answered before login (heartbeat, login itself) */
  /* ends the login (wslogout): a socket its ticket logs in for it pushes no other device out */
  TIMCHAT_COMMAND_ENDS_LOGIN = 1 << 3,
  /* The asking socket gets the pushes the command caused ahead of its answer, not behind it
   * (timchat-session-frames.c): its client takes the outcome from the push, not from the reply.
   * The Web SDK's addToBlacklist resolves with its list as the FriendListMod push left it (it
   * looks for the reply's items where they are not). Every other command answers first: libtim
   * takes its joins and hand-overs from their answers too (until 28 Nov from their tips, which
   * went first). */
  TIMCHAT_COMMAND_PUSHES_FIRST = 1 << 4,
  /* Writes at most once, one store operation that is atomic by itself, so it needs no command
   * savepoint (timchat_command_dispatch ()). Only the message sends: every other command gets
   * one, so that a handler that comes to write twice is still done whole; a savepoint per
   * message cost the relay ~3 us of CPU a message (4 %, bench-relay). */
  TIMCHAT_COMMAND_ONE_WRITE = 1 << 5,
} TimchatCommandFlags;

/* Returns the reply body (ActionStatus/ErrorCode/ErrorInfo are added when missing), or NULL
 * with error set to a TIM_ERROR code. */
typedef JsonObject *(*TimchatCommandFunc) (TimchatRequest *request, GError **error);

typedef struct
{
  const char *name;
  TimchatCommandFunc func;
  TimchatCommandFlags flags;
} TimchatCommand;

const TimchatCommand *timchat_command_lookup (const char *name);
/* Runs the command and always returns a complete reply body. */
JsonObject *timchat_command_dispatch (const TimchatCommand *command, TimchatRequest *request);

G_END_DECLS
