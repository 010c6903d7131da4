/* timchat-server.c: the SoupServer with its two transports (WebSocket /info and /binfo here, REST
 * /v4/... in timchat-server-rest.c), uploads, storage, fan-out and the retention sweep. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <errno.h>

#include "tim-conv.h"
#include "tim-error.h"
#include "tim-usersig.h"
#include "timchat-hub.h"
#include "timchat-presence.h"
#include "timchat-limiter.h"
#include "timchat-server-private.h"
#include "timchat-session.h"
#include "timchat-tls-check.h"
#include "timchat-upload.h"

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
  if (!tim_user_id_is_valid (user))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH,
                   "\"%s\" is not a valid user ID", user);
      return FALSE;
    }
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
  TimchatSession *session =
      timchat_session_new (self, connection, soup_server_message_get_socket (msg), binary);

  g_signal_connect_object (session, "closed", G_CALLBACK (on_session_closed), self, 0);
  g_hash_table_add (self->sessions, session);
  g_hash_table_remove (self->open_requests, msg);
}

/* libsoup before 3.3.0 (Debian 12 has 3.2.2) never closes a kept-alive connection that the
 * client closes while it is idle: the socket stays in CLOSE_WAIT and its descriptor is never
 * given back (libsoup commit d20c6601), so every HTTP client that goes away costs the server a
 * descriptor, and ~1,000 of them (the usual soft limit) stop it accepting anyone. Such a libsoup
 * closes the connection itself after an answer that says "Connection: close", so every plain
 * HTTP answer says so there; WebSocket upgrades keep their connection. */
static void
close_after_answer (SoupServerMessage *msg, gpointer user_data)
{
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Upgrade") ==
      NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                  "close");
}

/* Every HTTP request counts as a client being here until it is answered; a WebSocket upgrade's
 * request is never "finished", its session takes over (on_websocket). */
static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);

  g_hash_table_add (self->open_requests, msg);
  self->last_activity = g_get_monotonic_time ();
  if (!soup_check_version (3, 3, 0))
    g_signal_connect (msg, "got-headers", G_CALLBACK (close_after_answer), NULL);
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

/* Any path nobody serves is not found (without a handler libsoup 3.2 answers 500: there is an
 * early handler for every path). */
static void
on_unknown_path (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* Paths whose request bodies are read into memory whole (see _timchat_server_on_early_request). */
static const char *const bounded_paths[] = { NULL, "/v4", "/files", "/info", "/binfo" };

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
      (user = timchat_store_check_ticket (self->store, a2, timchat_server_now (), NULL)) != NULL)
    return user;
  if (identifier != NULL && usersig != NULL)
    {
      g_autoptr (TimchatAccount) account = NULL;

      if (!timchat_server_verify_usersig (self, identifier, usersig, NULL, error))
        return NULL;
      /* A UserSig lets its user in as a login with it does (wslogin): the account is made on
       * first use, and a deleted one is refused (70107) until an admin imports it again. A
       * signed, unexpired UserSig outlives account_delete, and without this its user went on
       * storing files on the server. */
      account = timchat_store_ensure_account (self->store, identifier, error);
      return account != NULL ? g_strdup (identifier) : NULL;
    }
  if (error != NULL && *error == NULL)
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_AUTH,
                         "Uploads need a2 (a login ticket) or identifier and usersig");
  return NULL;
}

/* An upload's retention clock starts when it is stored; each message that mentions it moves
 * the clock on (timchat_store_insert_message ()). */
static void
on_upload_stored (TimchatUploads *uploads, GStrv names, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);
  g_autoptr (GError) error = NULL;

  /* Not listed only means kept for good, so the upload is answered all the same. */
  if (!timchat_store_keep_files (self->store, (const char *const *) names, timchat_server_now (),
                                 &error))
    g_warning ("Cannot list the upload %s for retention: %s", names[0], error->message);
}

/* ---------------------------------------------------------------- retention */

/* Rows removed per step: ~2 ms of the main loop (2,000 took 7 – 9 ms). One DELETE of 200,000
 * messages held every client for 0.6 – 1.1 s, and an hour of a busy server (3.6 million at
 * 1,000 a second) would have held them for ~10 s. */
#define PURGE_STEP 500

/* Listed uploads whose time is older than `before`: off the disk first, then off the list, so
 * that a crash in between only means removing them again. Returns FALSE when there is no more to
 * do now (a file that cannot be removed waits for the next sweep rather than be retried at
 * once); *removed counts what went. */
static gboolean
remove_files_step (TimchatServer *self, gint64 before, guint *removed_count)
{
  g_autoptr (GPtrArray) names = timchat_store_expired_files (self->store, before, PURGE_STEP);
  g_autoptr (GPtrArray) removed = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < names->len; i++)
    {
      if (timchat_uploads_remove_file (self->uploads, names->pdata[i], &error))
        g_ptr_array_add (removed, names->pdata[i]);
      else
        g_warning ("Removing uploads: %s", error->message);
      g_clear_error (&error);
    }
  if (removed->len > 0 && !timchat_store_forget_files (self->store, removed, &error))
    {
      g_warning ("Removing uploads: cannot update the list of uploads: %s", error->message);
      return FALSE;
    }
  *removed_count += removed->len;
  return names->len == PURGE_STEP && removed->len == names->len;
}

/* A recall left uploads that nothing mentions (the time 0): they go as soon as the recall is on
 * the disk, whatever retention says. The server may be gone by the time the commit calls. */
static void
remove_unused_files (gboolean committed, gpointer user_data)
{
  GWeakRef *weak_server = user_data;
  g_autoptr (TimchatServer) self = g_weak_ref_get (weak_server);
  guint removed = 0;

  g_weak_ref_clear (weak_server);
  g_free (weak_server);
  if (self == NULL || !committed)
    return;
  while (remove_files_step (self, 1, &removed))
    ;
  if (removed > 0)
    g_info ("Removed %u uploaded files that a recall left unmentioned", removed);
}

static void
on_files_unused (TimchatStore *store, gpointer user_data)
{
  GWeakRef *weak_server = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak_server, user_data);
  timchat_store_after_commit (store, remove_unused_files, weak_server);
}

/* One step of the sweep; runs again (at low priority, after the clients' frames) until done:
 * first the messages and sync events, then the uploads. */
static gboolean
purge_step (gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);

  if (!self->purging_files)
    {
      guint removed = timchat_store_purge_before (self->store, self->purge_before, PURGE_STEP);

      self->purged += removed;
      self->purging_files = removed < PURGE_STEP;
      return G_SOURCE_CONTINUE;
    }
  if (remove_files_step (self, self->purge_before, &self->purged_files))
    return G_SOURCE_CONTINUE;
  if (self->purged > 0 || self->purged_files > 0)
    g_info ("Retention: removed %u rows and %u uploaded files older than %u days", self->purged,
            self->purged_files, self->config->retention_days);
  self->purge_source = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
sweep_retention (gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);

  if (self->config->retention_days == 0 || self->purge_source != 0)
    return G_SOURCE_CONTINUE;
  self->purge_before = timchat_server_now () - (gint64) self->config->retention_days * 86400;
  self->purged = 0;
  self->purging_files = FALSE;
  self->purged_files = 0;
  self->purge_source = g_idle_add_full (G_PRIORITY_LOW, purge_step, self, NULL);
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
  /* Every upload is written there: a server that listened without it would fail each one (HTTP
   * 500) while it said it was running. Refused as a store it cannot write is, before the store is
   * opened. */
  if (g_mkdir_with_parents (files_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create the uploads directory %s: %s", files_dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  self->store = timchat_store_open (data_dir, self->config->durable, error);
  if (self->store == NULL)
    return NULL;
  timchat_store_set_erase_seconds (self->store, self->config->erase_seconds);
  self->hub = timchat_hub_new (self->store);
  self->presence = timchat_presence_new (self->hub);
  g_signal_connect_object (self->store, "files-unused", G_CALLBACK (on_files_unused), self, 0);
  self->limiter = timchat_limiter_new (self->config->group_rate);
  self->replies = timchat_reply_memory_new ();
  self->uploads = timchat_uploads_new (files_dir, authenticate_upload, self, NULL);
  g_signal_connect_object (self->uploads, "stored", G_CALLBACK (on_upload_stored), self, 0);
  timchat_uploads_attach (self->uploads, self->soup);
  self->request_guard = timchat_request_guard_new (self->soup, self->config->request_timeout);
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

      if (certificate == NULL ||
          !timchat_tls_check_certificate (certificate, tls_cert, tls_key, error))
        return FALSE;
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  socket_address = g_inet_socket_address_new (address, port);
  if (!soup_server_listen (self->soup, socket_address, options, error))
    return FALSE;
  g_clear_object (&self->accept_watch);
  self->accept_watch = timchat_accept_watch_new (self->soup, options);
  /* Idle from now, when a client can first come: counted from timchat_server_new (), a start
   * slower than --exit-when-idle (a store's migrations on a big file, a slow disk) had it exit
   * at its first check, before anyone could connect (/server/idle-exit/nobody-came under ASan). */
  self->last_activity = g_get_monotonic_time ();
  return TRUE;
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

/* Lets what is queued on the sockets go out: the main context's ready sources, a bounded number
 * of turns, without waiting for more. */
static void
write_out_pending (void)
{
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

void
timchat_server_drain (TimchatServer *self)
{
  g_autoptr (GList) open_sessions = NULL;

  /* Uploads whose worker runs are answered while their clients are there, and listed for
   * retention by the commit below; none is left stored and unanswered. */
  timchat_uploads_drain (self->uploads, DRAIN_TIMEOUT_MS);
  /* Every request that wrote gets its answer first: the queued group messages go out, the open
   * transaction is committed and synced, and the answers waiting for that are written while the
   * connections are still there. */
  timchat_limiter_flush (self->limiter);
  timchat_store_flush (self->store, DRAIN_TIMEOUT_MS);
  write_out_pending ();
  open_sessions = g_hash_table_get_keys (self->sessions);
  soup_server_disconnect (self->soup);
  for (GList *l = open_sessions; l != NULL; l = l->next)
    timchat_session_close (l->data, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "Server shutting down");
  /* And the close frames. */
  write_out_pending ();
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

TimchatPresence *
timchat_server_get_presence (TimchatServer *self)
{
  return self->presence;
}

TimchatLimiter *
timchat_server_get_limiter (TimchatServer *self)
{
  return self->limiter;
}

TimchatReplyMemory *
timchat_server_get_replies (TimchatServer *self)
{
  return self->replies;
}

static void
timchat_server_dispose (GObject *object)
{
  TimchatServer *self = TIMCHAT_SERVER (object);

  g_clear_handle_id (&self->retention_source, g_source_remove);
  g_clear_handle_id (&self->purge_source, g_source_remove);
  /* Before the sessions: closing them tells nobody at shutdown. */
  g_clear_object (&self->presence);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->open_requests, g_hash_table_unref);
  g_clear_object (&self->request_guard);
  g_clear_object (&self->accept_watch);
  g_clear_object (&self->soup);
  g_clear_object (&self->uploads);
  g_clear_object (&self->limiter);
  g_clear_object (&self->replies);
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
  soup_server_add_handler (self->soup, "/v4", _timchat_server_on_rest, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_unknown_path, self, NULL);
  /* libsoup keeps one early handler per path, beside that path's handler: every path but
   * /upload (which has its own), and NULL for any other. */
  for (guint i = 0; i < G_N_ELEMENTS (bounded_paths); i++)
    soup_server_add_early_handler (self->soup, bounded_paths[i], _timchat_server_on_early_request,
                                   self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_ended), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_ended), self);
  self->last_activity = g_get_monotonic_time ();
}
