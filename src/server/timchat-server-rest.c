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

/* ---------------------------------------------------------------- request size */

static void
refuse_too_long (SoupServerMessage *msg, gsize limit)
{
  g_autofree char *info =
      g_strdup_printf ("The request body is longer than %" G_GSIZE_FORMAT " bytes", limit);
  g_autoptr (JsonObject) body = tim_reply_body_new (TIM_ERROR_REQUEST_TOO_LONG, info);

  /* Nothing more of it is kept, and the connection ends with the answer. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  rest_reply (msg, body);
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
