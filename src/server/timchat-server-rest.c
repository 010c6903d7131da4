/* timchat-server-rest.c: the REST transport, POST /v4/<service>/<command>?sdkappid=&identifier=
 * &usersig=: the admin's UserSig checked, the same command table as the WebSocket, and the answer
 * held until what the command wrote is on disk. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"
#include "timchat-command.h"
#include "timchat-server-private.h"

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

/* ---------------------------------------------------------------- who is asking */

/* The whole parameter, in decimal: "1400000001abc" is not our SDKAppID. */
static gboolean
sdkappid_matches (const char *text, guint64 sdkappid)
{
  guint64 value = 0;

  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, NULL) && value == sdkappid;
}

/* The command a REST request names, once its caller is known to be an admin with a valid
 * UserSig; NULL with the TIM code and text to answer otherwise. Asked from the request's headers:
 * a stranger's body is then dropped as it comes (libsoup 3.2 still reads it before it answers),
 * not kept, up to max_frame_bytes, for a handler that would refuse it. */
static const TimchatCommand *
rest_check_caller (TimchatServer *self, SoupServerMessage *msg, const char *path, GHashTable *query,
                   GError **error)
{
  const char *identifier = query ? g_hash_table_lookup (query, "identifier") : NULL;
  const char *usersig = query ? g_hash_table_lookup (query, "usersig") : NULL;
  const char *sdkappid = query ? g_hash_table_lookup (query, "sdkappid") : NULL;
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_autofree char *name = NULL;
  const TimchatCommand *command;

  /* parts: "", "v4", service, command */
  if (g_strv_length (parts) != 4 || g_strcmp0 (parts[1], "v4") != 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_HTTP_PARSE,
                           "The URL must be /v4/<service>/<command>");
      return NULL;
    }
  name = g_strconcat (parts[2], ".", parts[3], NULL);
  command = timchat_command_lookup (name);
  if (command == NULL || !(command->flags & TIMCHAT_COMMAND_REST))
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_COMMAND, "Unknown REST command");
  /* The vendor's own code for an SDKAppID left out, which says what to fix; 60006 ("Invalid
   * SDKAppID") sent the caller checking a number they never sent. */
  else if (sdkappid == NULL || *sdkappid == '\0')
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_SDKAPPID_MISSING,
                         tim_error_text (TIM_ERROR_SDKAPPID_MISSING));
  else if (!sdkappid_matches (sdkappid, self->config->sdkappid))
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_SDKAPPID_INVALID,
                         tim_error_text (TIM_ERROR_SDKAPPID_INVALID));
  else if (identifier == NULL || usersig == NULL)
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                         "identifier and usersig are required");
  else if (!timchat_server_verify_usersig (self, identifier, usersig, NULL, error))
    ;
  else if (!timchat_config_is_admin (self->config, identifier))
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_REST_ADMIN_REQUIRED,
                         tim_error_text (TIM_ERROR_REST_ADMIN_REQUIRED));
  else
    return command;
  return NULL;
}

/* ---------------------------------------------------------------- request size */

/* Answered from the headers: the body is not kept, and the connection ends with the answer. */
static void
refuse_unread (SoupServerMessage *msg, const GError *error)
{
  g_autoptr (JsonObject) body = tim_reply_body_from_error (error);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  rest_reply (msg, body);
}

/* A REST call's path, /v4/... (and nothing else: not /v4x/...). */
static gboolean
is_rest_path (const char *path)
{
  return g_str_has_prefix (path, "/v4/") || g_strcmp0 (path, "/v4") == 0;
}

static void
refuse_too_long (SoupServerMessage *msg, gsize limit)
{
  g_autoptr (GError) error =
      g_error_new (TIM_ERROR, TIM_ERROR_REQUEST_TOO_LONG,
                   "The request body is longer than %" G_GSIZE_FORMAT " bytes", limit);

  /* Nothing more of it is kept, and the connection ends with the answer. A REST call is answered
   * 200 with 93000 as every API-level outcome is (tim-rest-facts.md §1.2: a client that reads
   * any other status as a network failure would never see the code); elsewhere 413. */
  refuse_unread (msg, error);
  if (!is_rest_path (soup_server_message_get_uri (msg) != NULL
                         ? g_uri_get_path (soup_server_message_get_uri (msg))
                         : ""))
    soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
}

static void
on_request_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  TimchatServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length > (goffset) self->config->max_frame_bytes)
    {
      g_signal_handlers_disconnect_by_func (msg, on_request_chunk, self);
      refuse_too_long (msg, self->config->max_frame_bytes);
    }
}

/* Every request but an upload (which streams to disk under its own limits) is read into memory
 * whole before its handler runs: without this, anyone could make the server hold any amount,
 * before even being asked who they are. A command has one size limit however it comes, a
 * WebSocket frame's. Decided from Content-Length before a byte of the body is read; a chunked
 * body is counted as it comes. */
void
_timchat_server_on_early_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                                  GHashTable *query, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (is_rest_path (path) && soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    {
      g_autoptr (GError) error = NULL;
      const TimchatCommand *command = rest_check_caller (self, msg, path, query, &error);

      if (command == NULL)
        return refuse_unread (msg, error);
      g_object_set_data (G_OBJECT (msg), "timchat-rest-command", (gpointer) command);
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      if (soup_message_headers_get_content_length (headers) >
          (goffset) self->config->max_frame_bytes)
        refuse_too_long (msg, self->config->max_frame_bytes);
    }
  else
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_request_chunk), self);
}

/* ---------------------------------------------------------------- answers after the disk */

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
        rest_fail (pending->msg, TIM_ERROR_INTERNAL, TIMCHAT_STORE_FAILED_INFO);
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

void
_timchat_server_on_rest (SoupServer *server, SoupServerMessage *msg, const char *path,
                         GHashTable *query, gpointer user_data)
{
  TimchatServer *self = TIMCHAT_SERVER (user_data);
  /* The early handler checked the caller from the headers (and answered if it had to). */
  const TimchatCommand *command = g_object_get_data (G_OBJECT (msg), "timchat-rest-command");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) reply = NULL;
  SoupMessageBody *request_body;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Allow", "POST");
      return;
    }
  /* Only if something kept the early handler from it (it runs for every request on /v4). */
  if (command == NULL && (command = rest_check_caller (self, msg, path, query, &error)) == NULL)
    return rest_fail (msg, error->code, error->message);
  if (!rest_rate_ok (self))
    return rest_fail (msg, TIM_ERROR_REST_FREQUENCY, NULL);

  request_body = soup_server_message_get_request_body (msg);
  /* Strict JSON, as the vendor: an integrator whose body only json-glib would read (single
   * quotes, comments) hears it here rather than from the vendor's server later. A string holding
   * U+0000 is refused as on the WebSocket: read, it ended at the NUL, stored and sent cut short.
   * The vendor's words, then ours on what is wrong. */
  body = tim_json_parse_object_full (request_body->data, request_body->length,
                                     TIM_JSON_PARSE_STRICT | TIM_JSON_PARSE_REFUSE_NUL, &error);
  if (body == NULL)
    {
      g_autofree char *info =
          g_strdup_printf ("Fail to Parse json data of body, Please check it (%s)", error->message);

      return rest_fail (msg, TIM_ERROR_JSON_PARSE, info);
    }

  {
    TimchatRequest request = {
      .server = self,
      .servcmd = command->name,
      .body = body,
      .user = g_hash_table_lookup (query, "identifier"),
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
