/* timchat-server.c: the SoupServer with its two transports (WebSocket /info and /binfo, REST
 * /v4/...), uploads, storage, fan-out and the retention sweep. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"
#include "tim-usersig.h"
#include "timchat-command.h"
#include "timchat-hub.h"
#include "timchat-limiter.h"
#include "timchat-server.h"
#include "timchat-session.h"
#include "timchat-upload.h"

struct _TimchatServer
{
  GObject parent_instance;

  char *data_dir;
  TimchatConfig *config;
  TimchatStore *store;
  TimchatHub *hub;
  TimchatLimiter *limiter;
  TimchatUploads *uploads;
  SoupServer *soup;
  GHashTable *sessions;      /* every open TimchatSession, owned */
  GHashTable *open_requests; /* SoupServerMessage: HTTP requests not answered yet (not owned) */
  gint64 last_activity;      /* monotonic µs: the last session or request that came or went */
  guint retention_source;
  gint64 rest_window_start;
  guint rest_calls_in_window;
};

G_DEFINE_FINAL_TYPE (TimchatServer, timchat_server, G_TYPE_OBJECT)

/* How long SIGTERM waits for the answers still on their way to the disk (a sync takes
 * milliseconds; a disk slower than this gets its connections closed unanswered). */
#define DRAIN_TIMEOUT_MS 2000

gint64
timchat_server_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
timchat_server_verify_usersig (TimchatServer *self, const char *user, const char *usersig,
                               gint64 *expires_at, GError **error)
{
  return tim_usersig_verify (usersig, self->config->sdkappid, self->config->secret, user,
                             timchat_server_now (), NULL, expires_at, error);
}

/* ---------------------------------------------------------------- WebSocket */

static void
on_session_closed (TimchatSession *session, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);

  g_hash_table_remove (self->sessions, session);
  self->last_activity = g_get_monotonic_time ();
}

static void
on_websocket (SoupServer *server, SoupServerMessage *msg, const char *path,
              SoupWebsocketConnection *connection, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);
  gboolean binary = g_str_equal (path, "/binfo");
  TimchatSession *session = timchat_session_new (self, connection, binary);

  g_signal_connect_object (session, "closed", G_CALLBACK (on_session_closed), self, 0);
  g_hash_table_add (self->sessions, session);
  g_hash_table_remove (self->open_requests, msg);
}

/* Every HTTP request counts as a client being here until it is answered; a WebSocket upgrade's
 * request is never "finished", its session takes over (on_websocket). */
static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);

  g_hash_table_add (self->open_requests, msg);
  self->last_activity = g_get_monotonic_time ();
}

static void
on_request_ended (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);

  g_hash_table_remove (self->open_requests, msg);
  self->last_activity = g_get_monotonic_time ();
}

guint
timchat_server_get_idle_seconds (TimchatServer *self)
{
  if (g_hash_table_size (self->sessions) > 0 || g_hash_table_size (self->open_requests) > 0)
    return 0;
  return (guint) ((g_get_monotonic_time () - self->last_activity) / G_USEC_PER_SEC);
}

/* ---------------------------------------------------------------- REST */

static void
rest_reply (SoupServerMessage *msg, JsonObject *body)
{
  gsize length = 0;
  char *text = tim_json_to_string (body, &length);

  /* API-level outcomes are HTTP 200 with the TIM code in the body, as the vendor does. */
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
rest_fail (SoupServerMessage *msg, int code, const char *info)
{
  g_autoptr (JsonObject) body = tim_reply_body_new (code, info);

  rest_reply (msg, body);
}

typedef struct
{
  SoupServerMessage *msg; /* owned */
  JsonObject *reply;      /* owned */
  gboolean gone;          /* the client's connection closed while the answer waited */
} RestPending;

static void
on_rest_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  RestPending *pending = user_data;

  pending->gone = TRUE;
}

static RestPending *
rest_pending_new (SoupServerMessage *msg, JsonObject *reply)
{
  RestPending *pending = g_new (RestPending, 1);

  pending->msg = g_object_ref (msg);
  pending->reply = reply;
  pending->gone = FALSE;
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_rest_disconnected), pending);
  return pending;
}

static void
rest_reply_when_stored (gboolean committed, gpointer user_data)
{
  RestPending *pending = user_data;

  g_signal_handlers_disconnect_by_data (pending->msg, pending);
  if (!pending->gone)
    {
      if (committed)
        rest_reply (pending->msg, pending->reply);
      else
        rest_fail (pending->msg, TIM_ERROR_INTERNAL, "The server could not store the change");
      soup_server_message_unpause (pending->msg);
    }
  g_object_unref (pending->msg);
  json_object_unref (pending->reply);
  g_free (pending);
}

static gboolean
rest_rate_ok (TimchatServer *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->config->rest_rate == 0)
    return TRUE;
  if (now - self->rest_window_start >= G_USEC_PER_SEC)
    {
      self->rest_window_start = now;
      self->rest_calls_in_window = 0;
    }
  return ++self->rest_calls_in_window <= self->config->rest_rate;
}

static void
on_rest (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);
  const char *identifier = query ? g_hash_table_lookup (query, "identifier") : NULL;
  const char *usersig = query ? g_hash_table_lookup (query, "usersig") : NULL;
  const char *sdkappid = query ? g_hash_table_lookup (query, "sdkappid") : NULL;
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_autofree char *name = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) reply = NULL;
  const TimchatCommand *command;
  SoupMessageBody *request_body;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Allow", "POST");
      return;
    }
  /* parts: "", "v4", service, command */
  if (g_strv_length (parts) != 4)
    return rest_fail (msg, TIM_ERROR_HTTP_PARSE, "The URL must be /v4/<service>/<command>");
  name = g_strconcat (parts[2], ".", parts[3], NULL);
  command = timchat_command_lookup (name);
  if (command == NULL || !(command->flags & TIMCHAT_COMMAND_REST))
    return rest_fail (msg, TIM_ERROR_INVALID_COMMAND, "Unknown REST command");
  if (sdkappid == NULL || g_ascii_strtoull (sdkappid, NULL, 10) != self->config->sdkappid)
    return rest_fail (msg, TIM_ERROR_SDKAPPID_INVALID, NULL);
  if (identifier == NULL || usersig == NULL)
    return rest_fail (msg, TIM_ERROR_USERSIG_INVALID, "identifier and usersig are required");
  if (!timchat_server_verify_usersig (self, identifier, usersig, NULL, &error))
    return rest_fail (msg, error->code, error->message);
  if (!timchat_config_is_admin (self->config, identifier))
    return rest_fail (msg, TIM_ERROR_REST_ADMIN_REQUIRED, NULL);
  if (!rest_rate_ok (self))
    return rest_fail (msg, TIM_ERROR_REST_FREQUENCY, NULL);

  request_body = soup_server_message_get_request_body (msg);
  body = tim_json_parse_object (request_body->data, request_body->length, &error);
  if (body == NULL)
    return rest_fail (msg, TIM_ERROR_JSON_PARSE,
                      "Fail to Parse json data of body, Please check it");

  {
    TimchatRequest request = {
      .server = self,
      .servcmd = command->name,
      .body = body,
      .user = identifier,
      .is_admin = TRUE,
    };
    reply = timchat_command_dispatch (command, &request);
  }
  /* Like a WebSocket reply, the answer waits for what the command wrote to be on disk (at once
   * when it wrote nothing): a REST sendmsg that says OK has been stored. */
  soup_server_message_pause (msg);
  timchat_store_after_commit (self->store, rest_reply_when_stored,
                              rest_pending_new (msg, g_steal_pointer (&reply)));
}

/* ---------------------------------------------------------------- uploads */

static char *
authenticate_upload (SoupServerMessage *msg, GHashTable *query, GError **error, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);
  const char *identifier = query ? g_hash_table_lookup (query, "identifier") : NULL;
  const char *usersig = query ? g_hash_table_lookup (query, "usersig") : NULL;
  const char *a2 = query ? g_hash_table_lookup (query, "a2") : NULL;
  char *user;

  if (a2 != NULL &&
      (user = timchat_store_check_ticket (self->store, a2, timchat_server_now ())) != NULL)
    return user;
  if (identifier != NULL && usersig != NULL &&
      timchat_server_verify_usersig (self, identifier, usersig, NULL, error))
    return g_strdup (identifier);
  if (error != NULL && *error == NULL)
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_AUTH,
                         "Uploads need a2 (a login ticket) or identifier and usersig");
  return NULL;
}

/* ---------------------------------------------------------------- retention */

static gboolean
sweep_retention (gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);
  guint removed;

  if (self->config->retention_days == 0)
    return G_SOURCE_CONTINUE;
  removed = timchat_store_purge_before (
      self->store, timchat_server_now () - (gint64) self->config->retention_days * 86400);
  if (removed > 0)
    g_info ("Retention: removed %u messages older than %u days", removed,
            self->config->retention_days);
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------- object */

TimchatServer *
timchat_server_new (const char *data_dir, GError **error)
{
  g_autoptr (TimchatServer) self = g_object_new (TIMCHAT_TYPE_SERVER, NULL);
  g_autofree char *files_dir = g_build_filename (data_dir, "files", NULL);

  self->data_dir = g_strdup (data_dir);
  self->config = timchat_config_load_or_create (data_dir, error);
  if (self->config == NULL)
    return NULL;
  self->store = timchat_store_open (data_dir, self->config->durable, error);
  if (self->store == NULL)
    return NULL;
  self->hub = timchat_hub_new (self->store);
  g_mkdir_with_parents (files_dir, 0700);
  self->limiter = timchat_limiter_new (self->config->group_rate);
  self->uploads = timchat_uploads_new (files_dir, authenticate_upload, self, NULL);
  timchat_uploads_attach (self->uploads, self->soup);
  sweep_retention (self);
  self->retention_source = g_timeout_add_seconds (3600, sweep_retention, self);
  return g_steal_pointer (&self);
}

gboolean
timchat_server_listen (TimchatServer *self, const char *host, guint16 port, const char *tls_cert,
                       const char *tls_key, GError **error)
{
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (host);
  g_autoptr (GSocketAddress) socket_address = NULL;
  SoupServerListenOptions options = 0;

  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "\"%s\" is not an IP address",
                   host);
      return FALSE;
    }
  if (tls_cert != NULL)
    {
      g_autoptr (GTlsCertificate) certificate =
          g_tls_certificate_new_from_files (tls_cert, tls_key, error);

      if (certificate == NULL)
        return FALSE;
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  socket_address = g_inet_socket_address_new (address, port);
  return soup_server_listen (self->soup, socket_address, options, error);
}

guint16
timchat_server_get_port (TimchatServer *self)
{
  g_autoptr (GSList) uris = soup_server_get_uris (self->soup);
  guint16 port = 0;

  if (uris != NULL)
    port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return port;
}

void
timchat_server_drain (TimchatServer *self)
{
  g_autoptr (GList) open_sessions = NULL;

  /* Every request that wrote gets its answer first: the queued group messages go out, the open
   * transaction is committed and synced, and the answers waiting for that are written while the
   * connections are still there. */
  timchat_limiter_flush (self->limiter);
  timchat_store_flush (self->store, DRAIN_TIMEOUT_MS);
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  open_sessions = g_hash_table_get_keys (self->sessions);
  soup_server_disconnect (self->soup);
  for (GList *l = open_sessions; l != NULL; l = l->next)
    timchat_session_close (l->data, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "Server shutting down");
}

TimchatConfig *
timchat_server_get_config (TimchatServer *self)
{
  return self->config;
}

TimchatStore *
timchat_server_get_store (TimchatServer *self)
{
  return self->store;
}

TimchatHub *
timchat_server_get_hub (TimchatServer *self)
{
  return self->hub;
}

TimchatLimiter *
timchat_server_get_limiter (TimchatServer *self)
{
  return self->limiter;
}

static void
timchat_server_dispose (GObject *object)
{
  TimchatServer *self = TIMCHAT_SERVER (object);

  g_clear_handle_id (&self->retention_source, g_source_remove);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->open_requests, g_hash_table_unref);
  g_clear_object (&self->soup);
  g_clear_object (&self->uploads);
  g_clear_object (&self->limiter);
  g_clear_object (&self->hub);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (timchat_server_parent_class)->dispose (object);
}

static void
timchat_server_finalize (GObject *object)
{
  TimchatServer *self = TIMCHAT_SERVER (object);

  g_clear_pointer (&self->config, timchat_config_free);
  g_free (self->data_dir);
  G_OBJECT_CLASS (timchat_server_parent_class)->finalize (object);
}

static void
timchat_server_class_init (TimchatServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = timchat_server_dispose;
  object_class->finalize = timchat_server_finalize;
}

static void
timchat_server_init (TimchatServer *self)
{
  self->sessions = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->open_requests = g_hash_table_new (NULL, NULL);
  self->soup = soup_server_new ("server-header", "timchat-server/" PACKAGE_VERSION, NULL);
  soup_server_add_websocket_handler (self->soup, "/info", NULL, NULL, on_websocket, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/binfo", NULL, NULL, on_websocket, self, NULL);
  soup_server_add_handler (self->soup, "/v4", on_rest, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_ended), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_ended), self);
  self->last_activity = g_get_monotonic_time ();
}
