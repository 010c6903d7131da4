/* timchat-session-frames.c: the frames a client socket reads: parsed, authenticated, handed to
 * the command table, and answered once what they wrote is on disk; a request a client sends again
 * after a reconnect gets its first answer (timchat-reply-memory.c). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"
#include "timchat-command.h"
#include "timchat-hub.h"
#include "timchat-reply-memory.h"
#include "timchat-session-private.h"

typedef struct
{
  TimchatSession *session;
  GBytes *reply;
  JsonObject *reply_head; /* servcmd and seq, for the failure reply if the commit fails */
  char *a2;               /* the login whose answers keep this one (NULL: not kept) */
} PendingReply;

static void
send_reply (gboolean committed, gpointer user_data)
{
  PendingReply *pending = user_data;

  if (committed)
    timchat_session_send_frame (pending->session, pending->reply);
  else
    {
      /* Built only now: a failed commit is rare, and a reply is built on every frame. */
      TimFrame request = { pending->reply_head, NULL };
      g_autoptr (JsonObject) failure_body =
          tim_reply_body_new (TIM_ERROR_INTERNAL, TIMCHAT_STORE_FAILED_INFO);
      g_autoptr (TimFrame) failure_frame = tim_frame_new_reply (&request, failure_body);
      g_autoptr (GBytes) failure = tim_frame_to_bytes (failure_frame);

      /* Nothing it did was stored: sent again, the request is to be done again. */
      if (pending->a2 != NULL)
        timchat_reply_memory_forget (timchat_server_get_replies (pending->session->server),
                                     pending->a2, tim_frame_get_servcmd (&request),
                                     tim_frame_get_seq (&request));
      timchat_session_send_frame (pending->session, failure);
    }
  g_object_unref (pending->session);
  g_bytes_unref (pending->reply);
  json_object_unref (pending->reply_head);
  g_free (pending->a2);
  g_free (pending);
}

/* A frame after login carries a2+tinyid; a client that reconnected may send requests with its
 * old ticket before it logs in again, so a valid ticket also logs the socket in. */
static gboolean
authenticate (TimchatSession *self, JsonObject *head, TimchatCommandFlags flags, GError **error)
{
  const char *a2 = tim_json_get_string (head, "a2");
  g_autofree char *user = NULL;
  gint64 expires = 0;

  /* A login ends with its UserSig, however long its socket stays: 70001 is what the SDK takes
   * for its userSigExpired kick. */
  if (self->user != NULL && _timchat_session_login_expired (self))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_EXPIRED,
                           "The UserSig expired; log in with a new one");
      return FALSE;
    }
  if (self->user != NULL && (a2 == NULL || g_strcmp0 (a2, self->a2) == 0))
    return TRUE;
  /* The Web SDK keeps its socket through a logout and goes on sending with the ticket until the
   * wslogout's answer reaches it (the follow-ups of answers still on their way). 20002 or 70001
   * there would tell it its ticket ran out: it reconnects for nothing and tells the app
   * (NET_STATE_CHANGE). Refused as the SDK refuses its own calls after a logout: not logged in. */
  if (self->user == NULL && a2 != NULL && g_strcmp0 (a2, self->ended_a2) == 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN,
                           "Logged out on this socket; log in again");
      return FALSE;
    }
  if (a2 != NULL)
    user = timchat_store_check_ticket (timchat_server_get_store (self->server), a2,
                                       timchat_server_now (), &expires);
  if (user == NULL || (self->user != NULL && !g_str_equal (user, self->user)))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_AUTH,
                           "Not logged in, or the ticket expired");
      return FALSE;
    }
  if (flags & TIMCHAT_COMMAND_ENDS_LOGIN)
    timchat_session_set_login_to_end (self, user, a2,
                                      (guint64) tim_json_get_int_or (head, "tinyid", 0), expires);
  else
    timchat_session_set_login (self, user, a2, (guint64) tim_json_get_int_or (head, "tinyid", 0),
                               expires);
  return TRUE;
}

/* reply (taken, the whole frame) answers the request whose reply head is reply_head, once this
 * iteration's writes are on disk. With a2, it is kept as that login's answer to the request, for
 * the request sent again (handle_frame ()). */
static void
queue_reply_bytes (TimchatSession *self, JsonObject *reply_head, GBytes *reply, const char *a2)
{
  /* The answer waits for the commit of this iteration's writes: an ack means "on disk". */
  PendingReply *pending = g_new0 (PendingReply, 1);

  pending->session = g_object_ref (self);
  pending->reply = reply;
  /* The reply's head, not the request's: it has the servcmd and seq a failure reply echoes,
   * in three members instead of the request's dozen, which then go (still in the cache)
   * with the frame; freeing the request's head here later cost ~5 % of the relay. */
  pending->reply_head = json_object_ref (reply_head);
  /* Kept now, not once sent: the request may come again on another socket before the commit. */
  if (a2 != NULL)
    {
      TimFrame head_only = { reply_head, NULL };

      pending->a2 = g_strdup (a2);
      timchat_reply_memory_remember (timchat_server_get_replies (self->server), a2,
                                     tim_frame_get_servcmd (&head_only),
                                     tim_frame_get_seq (&head_only), reply);
    }
  timchat_store_after_commit (timchat_server_get_store (self->server), send_reply, pending);
}

static void
queue_reply (TimchatSession *self, TimFrame *frame, JsonObject *reply, const char *a2)
{
  g_autoptr (TimFrame) reply_frame = tim_frame_new_reply (frame, reply);

  queue_reply_bytes (self, reply_frame->head, tim_frame_to_bytes (reply_frame), a2);
}

static void
answer_frame (TimchatSession *self, TimFrame *frame, const TimchatCommand *command)
{
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answered = NULL;
  /* The login whose answer this is, kept for the request sent again: a request of a login, with
   * a seq to know it by again. Not wslogin (before a login, or one that logs this socket in).
   * A copy: a wslogout ends the session's login, and its ticket with it. */
  g_autofree char *keep_for = NULL;

  if (command == NULL || !(command->flags & TIMCHAT_COMMAND_WEBSOCKET))
    {
      g_debug ("Unknown servcmd %s", tim_frame_get_servcmd (frame));
      reply = tim_reply_body_new (TIM_ERROR_INVALID_COMMAND, NULL);
    }
  else if (!(command->flags & TIMCHAT_COMMAND_NO_LOGIN) &&
           !authenticate (self, frame->head, command->flags, &error))
    {
      reply = tim_reply_body_from_error (error);
    }
  else
    {
      TimchatRequest request = {
        .server = self->server,
        .servcmd = command->name,
        .body = frame->body,
        .user = self->user,
        .session = self,
        .head = frame->head,
      };

      if (!(command->flags & TIMCHAT_COMMAND_NO_LOGIN) && tim_frame_get_seq (frame) >= 0)
        keep_for = g_strdup (self->a2);
      /* The Web SDK sends a request again, same servcmd and seq, when its socket comes back
       * before the answer did: one lost with the old socket was done. Done again, it made a
       * second group, and a recall, an edit or a quit answered that it was done already
       * (20023, 2480, 10007), which the SDK took for a failure. */
      if (keep_for != NULL && (answered = timchat_reply_memory_recall (
                                   timchat_server_get_replies (self->server), keep_for,
                                   command->name, tim_frame_get_seq (frame))) != NULL)
        {
          g_autoptr (JsonObject) empty = json_object_new ();
          g_autoptr (TimFrame) head_frame = tim_frame_new_reply (frame, empty);

          g_debug ("%s seq %" G_GINT64_FORMAT " by %s came again: answered as the first time",
                   command->name, tim_frame_get_seq (frame), self->user);
          queue_reply_bytes (self, head_frame->head, g_steal_pointer (&answered), NULL);
          return;
        }
      reply = timchat_command_dispatch (command, &request);
      /* A 10002 says "send it again": the command was undone (timchat_command_dispatch ()), and
       * the request sent again is to be tried again, not told the same. Kept, it was for 30 s. */
      if (request.knows_repeats ||
          tim_json_get_int_or (reply, "ErrorCode", 0) == TIM_ERROR_INTERNAL)
        g_clear_pointer (&keep_for, g_free);
    }
  queue_reply (self, frame, reply, keep_for);
}

/* The answer to a request goes out ahead of the pushes its command caused, unless the command
 * says its client takes the outcome from the push (TIMCHAT_COMMAND_PUSHES_FIRST). Both wait for
 * the same commit, in the order they were queued, and the pushes used to be queued first: the
 * asking socket heard of its own change before its answer, and the Web SDK counted it twice (it
 * sets a group's memberCount from the tip's MemberNum, then adds the members its addGroupMember's
 * reply says it added, 6 instead of 4; a deleteGroupMember's reply takes one away again). */
static void
handle_frame (TimchatSession *self, TimFrame *frame)
{
  const TimchatCommand *command = timchat_command_lookup (tim_frame_get_servcmd (frame));
  TimchatHub *hub = timchat_server_get_hub (self->server);
  gboolean answer_first = command == NULL || !(command->flags & TIMCHAT_COMMAND_PUSHES_FIRST);

  if (answer_first)
    timchat_hub_hold_pushes (hub);
  answer_frame (self, frame, command);
  if (answer_first)
    timchat_hub_release_pushes (hub);
}

void
_timchat_session_on_message (SoupWebsocketConnection *connection, int type, GBytes *message,
                             gpointer user_data)
{
  TimchatSession *self = TIMCHAT_SESSION (user_data);
  g_autoptr (TimFrame) frame = NULL;
  g_autoptr (GError) error = NULL;

  /* Once this side began to close the socket (a kick, a timeout, output the client does not
   * read), libsoup still hands over the frames the client sent before it heard, while it waits
   * for the client's close. They are not handled: a kicked socket's request, with its old ticket,
   * logged it in again, back among the user's devices, where it counted against max_instances and
   * pushed a live one out. Their answers could not be sent anyway; the client sends them again on
   * its next socket, as any request left unanswered. */
  if (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  self->last_frame_us = g_get_monotonic_time ();
  /* A string holding U+0000 ("a\u0000b", JSON.stringify's for a NUL) is refused: read, it ended
   * at the NUL, so the peers got "a" while the sender's own copy showed all of it. */
  frame = tim_frame_parse_full (message, timchat_server_get_config (self->server)->max_frame_bytes,
                                TIM_JSON_PARSE_REFUSE_NUL, &error);
  if (frame == NULL)
    {
      /* A string that is no text (half an emoji, as the Web SDK writes it) or holds U+0000, in a
       * frame that otherwise reads: that request is refused, not the socket. Closed, the SDK
       * reconnected and sent the request again, closed again, offline for as long as the page
       * lived. */
      const char *why = NULL;
      g_autoptr (TimFrame) head_only = tim_frame_parse_head (
          message, timchat_server_get_config (self->server)->max_frame_bytes, &why);

      if (head_only != NULL)
        {
          /* Our words: json-glib's, for half a pair before a quote, are "unterminated string". */
          g_autofree char *info = g_strconcat ("Invalid JSON: ", why, NULL);
          g_autoptr (JsonObject) reply = tim_reply_body_new (TIM_ERROR_JSON_PARSE, info);

          g_debug ("Refusing a %s: %s", tim_frame_get_servcmd (head_only), error->message);
          queue_reply (self, head_only, reply, NULL);
          return;
        }
      /* Without a head there is nothing to match a reply to: say why and hang up. */
      g_info ("Closing a socket that sent a malformed frame: %s", error->message);
      timchat_session_close (self, SOUP_WEBSOCKET_CLOSE_BAD_DATA, error->message);
      return;
    }
  g_object_ref (self);
  handle_frame (self, frame);
  g_object_unref (self);
}
