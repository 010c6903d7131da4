/* timchat-cmd-conv-admin.c: the REST recent-contacts commands (tim-rest-facts.md §6): any user's
 * conversation list, and deleting one of them. They page and delete with the same code as the
 * WebSocket page_get / batch_delete (timchat-cmd-conv.c). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-cmd-conv-private.h"

/* The recentcontact service's own codes (tim-rest-facts.md §6.2); not in tim-error.h yet. */
#define RECENTCONTACT_ERROR_NOT_IMPORTED 50001
#define RECENTCONTACT_ERROR_INVALID_PARAMETER 50002

/* AssistFlags bit 1: conversations without messages are listed too. */
#define ASSIST_WITH_EMPTY (1 << 1)

static JsonObject *
with_display (JsonObject *reply)
{
  json_object_set_string_member (reply, "ErrorDisplay", "");
  return reply;
}

/* From_Account must name an imported account: 50002 when missing, 50001 when unknown. */
static const char *
require_owner (TimchatRequest *request, GError **error)
{
  const char *owner = tim_json_get_string (request->body, "From_Account");
  g_autoptr (TimchatAccount) account = NULL;

  if (owner == NULL || *owner == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, RECENTCONTACT_ERROR_INVALID_PARAMETER,
                           "From_Account is missing or not a string");
      return NULL;
    }
  account = timchat_store_get_account (timchat_server_get_store (request->server), owner);
  if (account == NULL)
    {
      g_set_error (error, TIM_ERROR, RECENTCONTACT_ERROR_NOT_IMPORTED, "No account %s", owner);
      return NULL;
    }
  return owner;
}

/* An Integer is a JSON number, whole (docs/rest-api.md): Type true was read as 1 and hid a
 * one-to-one conversation, and "2" was taken as a group. */
static gboolean
require_int (TimchatRequest *request, const char *member, gint64 *out, GError **error)
{
  if (_timchat_request_get_int (request, request->body, member, out))
    return TRUE;
  g_set_error (error, TIM_ERROR, RECENTCONTACT_ERROR_INVALID_PARAMETER,
               "%s is missing or not an integer", member);
  return FALSE;
}

JsonObject *
_timchat_cmd_recentcontact_get_list (TimchatRequest *request, GError **error)
{
  const char *owner = require_owner (request, error);
  gint64 time, start, top_time, top_start, assist;
  TimchatConvPageFlags flags = TIMCHAT_CONV_PAGE_REST;

  /* All five cursors are required by the documentation; only StartIndex places the page. */
  if (owner == NULL || !require_int (request, "TimeStamp", &time, error) ||
      !require_int (request, "StartIndex", &start, error) ||
      !require_int (request, "TopTimeStamp", &top_time, error) ||
      !require_int (request, "TopStartIndex", &top_start, error) ||
      !require_int (request, "AssistFlags", &assist, error))
    return NULL;
  if (start < 0)
    {
      g_set_error_literal (error, TIM_ERROR, RECENTCONTACT_ERROR_INVALID_PARAMETER,
                           "StartIndex must not be negative");
      return NULL;
    }
  if (!(assist & ASSIST_WITH_EMPTY))
    flags |= TIMCHAT_CONV_PAGE_SKIP_EMPTY;
  return with_display (_timchat_conv_page (request, owner, start, flags));
}

/* We keep the messages whatever ClearRamble says: the conversation is hidden up to its newest
 * message and comes back, with its history, on the next one (as batch_delete does). */
JsonObject *
_timchat_cmd_recentcontact_delete (TimchatRequest *request, GError **error)
{
  JsonObject *body = request->body;
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *owner = require_owner (request, error);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (TimchatAccount) account = NULL;
  g_autoptr (TimchatGroup) group = NULL;
  const char *peer;
  gint64 type, clear;

  if (owner == NULL || !require_int (request, "Type", &type, error))
    return NULL;
  if (json_object_has_member (body, "ClearRamble") &&
      !require_int (request, "ClearRamble", &clear, error))
    return NULL;
  peer = type == 2 ? tim_json_get_string_any (body, "ToGroupid", "ToGroupId", NULL)
                   : tim_json_get_string (body, "To_Account");
  if ((type != 1 && type != 2) || peer == NULL || *peer == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, RECENTCONTACT_ERROR_INVALID_PARAMETER,
                           "Type 1 needs To_Account, Type 2 needs ToGroupid");
      return NULL;
    }
  account = type == 1 ? timchat_store_get_account (store, peer) : NULL;
  group = type == 2 ? timchat_store_get_group (store, peer) : NULL;
  if (type == 1 && account == NULL)
    {
      g_set_error (error, TIM_ERROR, RECENTCONTACT_ERROR_NOT_IMPORTED, "No account %s", peer);
      return NULL;
    }
  if (type == 2 && group == NULL)
    {
      g_set_error (error, TIM_ERROR, RECENTCONTACT_ERROR_INVALID_PARAMETER, "No group %s", peer);
      return NULL;
    }
  /* Deleting a conversation that is not in the list (any more) is not an error. */
  if (!_timchat_conv_delete (request, owner, type, peer, &local_error) &&
      !g_error_matches (local_error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return with_display (json_object_new ());
}
