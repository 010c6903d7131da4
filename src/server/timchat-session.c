/* timchat-session.c: one client socket: its login, pushes and replies out, liveness. The frames
 * it reads and their answers are in timchat-session-frames.c. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-frame.h"
#include "timchat-commands-private.h"
#include "timchat-hub.h"
#include "timchat-session-private.h"

/* Until a socket logs in, a frame may be at most this big: a login, a heartbeat or a request the
 * SDK resends after a reconnect (a message body is at most 12 KB) fit many times over, and a
 * socket nobody knows cannot make the server hold max_frame_bytes (256 KiB) of it each. */
#define BEFORE_LOGIN_FRAME_BYTES (64 * 1024)

G_DEFINE_FINAL_TYPE (TimchatSession, timchat_session, G_TYPE_OBJECT)

enum
{
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static guint64 next_inst_id = 1;

/* A client that stops reading (a bug, a laptop asleep with its connection up, someone malicious)
 * would make every push to it grow the server, frame after frame in libsoup's queue: past
 * max_unsent_bytes of that, its socket is closed. The client loses nothing: what it missed is
 * stored, and openim.getmsg hands it over when it comes back. */
static gboolean
check_unsent (TimchatSession *self, gsize frame_bytes)
{
  gsize limit = timchat_server_get_config (self->server)->max_unsent_bytes;
  guint64 waiting = timchat_socket_backlog_add (&self->backlog, frame_bytes, limit);

  if (waiting == 0)
    return TRUE;
  g_message ("Closing %s's socket: %" G_GUINT64_FORMAT " KiB it does not read",
             self->user != NULL ? self->user : "a client", waiting / 1024);
  timchat_session_close (self, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                         "Too much output waiting: the client does not read");
  return FALSE;
}

void
timchat_session_send_frame (TimchatSession *self, GBytes *bytes)
{
  gsize length = 0;
  gconstpointer data = g_bytes_get_data (bytes, &length);

  if (self->connection == NULL ||
      soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  /* The frame header: 2 to 10 bytes on top of the payload. */
  if (!check_unsent (self, length + (length < 126 ? 2 : length < 65536 ? 4 : 10)))
    return;
  if (self->binary)
    soup_websocket_connection_send_binary (self->connection, data, length);
  else
    {
      /* send_text wants a NUL-terminated string; an encoded frame need not be one. */
      g_autofree char *text = g_strndup (data, length);
      soup_websocket_connection_send_text (self->connection, text);
    }
}

static void
send_frame (TimchatSession *self, TimFrame *frame)
{
  g_autoptr (GBytes) bytes = tim_frame_to_bytes (frame);

  timchat_session_send_frame (self, bytes);
}

void
timchat_session_push (TimchatSession *self, const char *servcmd, JsonObject *body)
{
  g_autoptr (TimFrame) frame = tim_frame_new (servcmd, ++self->push_seq, body);

  send_frame (self, frame);
}

void
timchat_session_close (TimchatSession *self, gushort code, const char *reason)
{
  if (soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  /* Leaves the hub at once, through on_closing. */
  soup_websocket_connection_close (self->connection, code, reason);
}

void
timchat_session_kick (TimchatSession *self, TimchatKickType kick_type)
{
  JsonObject *notify = json_object_new ();
  JsonObject *item = json_object_new ();
  g_autoptr (JsonObject) body = NULL;

  json_object_set_int_member (notify, "KickType", kick_type);
  json_object_set_object_member (notify, "NewInstInfo", json_object_new ());
  json_object_set_object_member (item, "KickoutMsgNotify", notify);
  /* Inside an EventArray entry, as every push: the SDK dispatches a push body only by the keys
   * of its EventArray entries, whatever the servcmd. A bare C2cNotifyMsgArray is dropped, and
   * the SDK then takes the closed socket for a network failure and the refused relogin for an
   * expired UserSig. Event 9 is that of the other C2C notices (docs/sdk-wire-notes.md §8). */
  body = _timchat_wire_push_body (9, "C2cNotifyMsgArray", item);
  timchat_session_push (self, "im_open_status.stat_forceoffline", body);

  if (self->user != NULL)
    timchat_hub_remove (timchat_server_get_hub (self->server), self);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->a2, g_free);
  timchat_session_close (self, SOUP_WEBSOCKET_CLOSE_NORMAL, "Kicked out");
}

const char *
timchat_session_get_user (TimchatSession *self)
{
  return self->user;
}

guint64
timchat_session_get_inst_id (TimchatSession *self)
{
  return self->inst_id;
}

/* One user has at most max_instances sockets: a client that reconnects in a loop without closing
 * its old sockets must not make each push to that user cost hundreds of writes. The oldest goes,
 * told that the user logged in on another device. */
static void
limit_instances (TimchatSession *self, TimchatHub *hub)
{
  guint max = timchat_server_get_config (self->server)->max_instances;
  g_autoptr (GPtrArray) sessions = timchat_hub_get_sessions (hub, self->user);
  TimchatSession *oldest = NULL;

  if (max == 0 || sessions->len <= max)
    return;
  for (guint i = 0; i < sessions->len; i++)
    {
      TimchatSession *other = sessions->pdata[i];

      if (other != self && (oldest == NULL || other->inst_id < oldest->inst_id))
        oldest = other;
    }
  g_info ("%s has more than %u sockets: closing the oldest", self->user, max);
  timchat_session_kick (oldest, TIMCHAT_KICK_MULTI_DEVICE);
}

char *
timchat_session_dup_url_param (TimchatSession *self, const char *name)
{
  GUri *uri = soup_websocket_connection_get_uri (self->connection);
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;
  g_autoptr (GHashTable) params = NULL;

  if (query == NULL)
    return NULL;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  return params != NULL ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

static void
join (TimchatSession *self, const char *user, const char *a2, guint64 tinyid, gint64 expires,
      gboolean to_end)
{
  TimchatHub *hub = timchat_server_get_hub (self->server);

  if (self->user != NULL && !g_str_equal (self->user, user))
    timchat_hub_remove (hub, self);
  g_free (self->user);
  self->user = g_strdup (user);
  g_free (self->a2);
  self->a2 = g_strdup (a2);
  self->tinyid = tinyid;
  self->expires = expires;
  soup_websocket_connection_set_max_incoming_payload_size (
      self->connection, timchat_server_get_config (self->server)->max_frame_bytes);
  timchat_hub_add (hub, self);
  /* The Web SDK answers a kick over max_instances with a logout, which it sends on its next
   * socket (the kicked one is closed) with its ticket: counted, that socket pushed out the next
   * oldest device, a live one, for a login that ended at once. */
  if (!to_end)
    limit_instances (self, hub);
}

void
timchat_session_set_login (TimchatSession *self, const char *user, const char *a2, guint64 tinyid,
                           gint64 expires)
{
  join (self, user, a2, tinyid, expires, FALSE);
}

void
timchat_session_set_login_to_end (TimchatSession *self, const char *user, const char *a2,
                                  guint64 tinyid, gint64 expires)
{
  join (self, user, a2, tinyid, expires, TRUE);
}

/* Back to a socket that never logged in: out of the hub (no more pushes; the user's status says
 * logged out if it was their last socket), nothing to authenticate a request with, the small
 * frame limit. Unlike a new socket it has no login_timeout (check_idle ()): it proved a UserSig,
 * and the SDK keeps it for its next login. */
static void
end_login (TimchatSession *self)
{
  TimchatConfig *config = timchat_server_get_config (self->server);

  timchat_hub_logout (timchat_server_get_hub (self->server), self);
  g_clear_pointer (&self->user, g_free);
  g_free (self->ended_a2);
  self->ended_a2 = g_steal_pointer (&self->a2);
  self->tinyid = 0;
  self->expires = 0;
  soup_websocket_connection_set_max_incoming_payload_size (
      self->connection, MIN (config->max_frame_bytes, BEFORE_LOGIN_FRAME_BYTES));
}

typedef struct
{
  GPtrArray *sessions; /* owned: the sockets whose login the logout ended */
  char *a2;
} LoginEnd;

/* A logout whose ticket's removal the store did not keep (a full disk: it is answered 10002)
 * changed nothing: the ticket still logs in, so the sockets it logged out here are no longer
 * refused for showing it (2024, logged out on this socket), and their next request logs them in
 * with it again (authenticate ()), where the logout may be tried again. Left so, the socket could
 * not log out any more while the ticket went on logging in any new socket until it expired. The
 * logins themselves end at once, not at the commit: the SDK closes its socket right after the
 * logout's answer, and the user is then logged out (TIM_USER_STATUS_UNLOGINED), not offline. */
static void
restore_if_not_stored (gboolean committed, gpointer user_data)
{
  LoginEnd *end = user_data;

  for (guint i = 0; !committed && i < end->sessions->len; i++)
    {
      TimchatSession *session = end->sessions->pdata[i];

      if (g_strcmp0 (session->ended_a2, end->a2) == 0)
        g_clear_pointer (&session->ended_a2, g_free);
    }
  g_ptr_array_unref (end->sessions);
  g_free (end->a2);
  g_free (end);
}

gboolean
timchat_session_logout (TimchatSession *self, GError **error)
{
  TimchatStore *store = timchat_server_get_store (self->server);
  g_autofree char *user = g_strdup (self->user);
  g_autoptr (GPtrArray) sessions = NULL;
  LoginEnd *end;

  if (user == NULL)
    return TRUE;
  /* The ticket goes first: a frame carries it in its head, and authenticate () logs any socket
   * in with a valid one, so ending the login here alone would last until the next request. */
  if (!timchat_store_revoke_tickets (store, user, self->a2, error))
    return FALSE;
  end = g_new0 (LoginEnd, 1);
  end->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  end->a2 = g_strdup (self->a2);
  /* Sockets already logged in with it do not look at the store again (authenticate ()). */
  sessions = timchat_hub_get_sessions (timchat_server_get_hub (self->server), user);
  for (guint i = 0; i < sessions->len; i++)
    {
      TimchatSession *other = sessions->pdata[i];

      if (other != self && g_strcmp0 (other->a2, end->a2) == 0)
        {
          g_ptr_array_add (end->sessions, g_object_ref (other));
          end_login (other);
        }
    }
  g_ptr_array_add (end->sessions, g_object_ref (self));
  end_login (self);
  timchat_store_after_commit (store, restore_if_not_stored, end);
  g_info ("%s logged out (instance %" G_GUINT64_FORMAT ")", user, self->inst_id);
  return TRUE;
}

gboolean
_timchat_session_login_expired (TimchatSession *self)
{
  return self->expires > 0 && timchat_server_now () >= self->expires;
}

static gboolean
check_idle (gpointer user_data)
{
  TimchatSession *self = TIMCHAT_SESSION (user_data);
  TimchatConfig *config = timchat_server_get_config (self->server);
  gint64 now = g_get_monotonic_time ();

  if (config->idle_timeout > 0 &&
      now - self->last_frame_us > (gint64) config->idle_timeout * G_USEC_PER_SEC)
    {
      g_info ("Closing a socket idle for %u s", config->idle_timeout);
      timchat_session_close (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "Idle timeout");
    }
  /* A login whose UserSig ran out while the socket stayed: pushes stop too. The SDK reconnects,
   * its ticket is refused (70001), and it reports userSigExpired. */
  else if (self->user != NULL && _timchat_session_login_expired (self))
    {
      g_info ("Closing %s's socket: the UserSig expired", self->user);
      timchat_session_close (self, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "The UserSig expired");
    }
  /* Heartbeats keep a socket from being idle, not from being nobody's: a socket that never logs
   * in only holds a descriptor and memory. (The Web SDK opens its socket at TIM.create, before
   * its login: left on a login screen past login_timeout, it reconnects and tells the app so; the
   * guard is worth that. libtim connects only to log in.) Not one whose
   * login a wslogout ended (ended_a2): the Web SDK keeps that socket for its next login and goes
   * on with its heartbeats, and closed, it reconnects at once and tells the app (NET_STATE_CHANGE
   * connecting, connected), again every login_timeout while the app stays logged out. It goes
   * when silent for idle_timeout, as a logged-in socket does. */
  else if (self->user == NULL && self->ended_a2 == NULL && config->login_timeout > 0 &&
           now - self->opened_us > (gint64) config->login_timeout * G_USEC_PER_SEC)
    {
      g_info ("Closing a socket not logged in after %u s", config->login_timeout);
      timchat_session_close (self, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "Log in first");
    }
  return G_SOURCE_CONTINUE;
}

/* Either side began to close the socket (a close frame from the client, or timchat_session_close
 * ()): no longer one of the user's devices from now on, not when the socket is closed. libsoup
 * first writes whatever is queued for it, then the closing frame, and waits up to 5 s for a peer
 * that does not take them (gone, asleep, reading slowly); meanwhile the user showed as online and
 * the socket counted against max_instances, so a user who closed a socket and logged in again at
 * once had a live device kicked. A connection that drops, or that libsoup closes by itself for
 * a protocol error, goes through on_closed only. The session keeps its user: on_closed finds it
 * gone. */
static void
on_closing (SoupWebsocketConnection *connection, gpointer user_data)
{
  TimchatSession *self = TIMCHAT_SESSION (user_data);

  if (self->user != NULL)
    timchat_hub_remove (timchat_server_get_hub (self->server), self);
}

static void
on_closed (SoupWebsocketConnection *connection, gpointer user_data)
{
  TimchatSession *self = TIMCHAT_SESSION (user_data);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->user != NULL)
    timchat_hub_remove (timchat_server_get_hub (self->server), self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
timchat_session_dispose (GObject *object)
{
  TimchatSession *self = TIMCHAT_SESSION (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  timchat_socket_backlog_clear (&self->backlog);
  G_OBJECT_CLASS (timchat_session_parent_class)->dispose (object);
}

static void
timchat_session_finalize (GObject *object)
{
  TimchatSession *self = TIMCHAT_SESSION (object);

  g_free (self->user);
  g_free (self->a2);
  g_free (self->ended_a2);
  G_OBJECT_CLASS (timchat_session_parent_class)->finalize (object);
}

static void
timchat_session_class_init (TimchatSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = timchat_session_dispose;
  object_class->finalize = timchat_session_finalize;

  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
timchat_session_init (TimchatSession *self)
{
  self->inst_id = next_inst_id++;
  self->opened_us = self->last_frame_us = g_get_monotonic_time ();
}

TimchatSession *
timchat_session_new (TimchatServer *server, SoupWebsocketConnection *connection, GSocket *socket,
                     gboolean binary)
{
  TimchatSession *self = g_object_new (TIMCHAT_TYPE_SESSION, NULL);
  TimchatConfig *config = timchat_server_get_config (server);

  self->server = server;
  self->connection = g_object_ref (connection);
  self->binary = binary;
  timchat_socket_backlog_init (&self->backlog, socket);
  /* Never 0 (unlimited): a peer must not make us buffer an arbitrary frame. Smaller until it
   * logs in (timchat_session_set_login () raises it). */
  soup_websocket_connection_set_max_incoming_payload_size (
      connection, MIN (config->max_frame_bytes, BEFORE_LOGIN_FRAME_BYTES));
  soup_websocket_connection_set_keepalive_interval (connection, 0);
  g_signal_connect (connection, "message", G_CALLBACK (_timchat_session_on_message), self);
  g_signal_connect (connection, "closing", G_CALLBACK (on_closing), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);
  self->idle_source = g_timeout_add_seconds (5, check_idle, self);
  return self;
}
