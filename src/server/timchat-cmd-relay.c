/* timchat-cmd-relay.c: merged messages whose list of messages is too big to travel in the
 * message (the SDK's createMergerMessage over TIM_MERGER_INLINE_MAX_BYTES). The SDK first saves
 * the list (im_long_msg.save_relay_json_msg), which we keep under a new random key; the message
 * then carries a TIMRelayElem with only that key, and whoever receives it fetches the list
 * (get_relay_json_msg). The key is the capability: anyone logged in who has it may read the
 * list, as with the vendor. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-elem.h"
#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-random.h"

/* Item i of MsgList: an object whose MsgBody is one a client could send, checked as
 * openim.sendmsg checks one (tim_msg_body_validate: a TIMRelayElem in it passes as it would in a
 * message, its own list not looked into), with that check's code (90005, 80002) and the item
 * named in the text. The other members are the SDK's copy of the message (sender, times,
 * sequence): kept as they are. */
static gboolean
check_item (JsonArray *list, guint i, GError **error)
{
  JsonObject *item = tim_json_array_get_object (list, i);
  g_autoptr (GError) body_error = NULL;

  if (item == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "MsgList[%u] is not an object",
                   i);
      return FALSE;
    }
  if (!tim_msg_body_validate (tim_json_get_array (item, "MsgBody"), &body_error))
    {
      g_set_error (error, TIM_ERROR, body_error->code, "MsgList[%u].%s", i, body_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Each TIMRelayElem of msg_body itself without its MsgList must name a saved list. What a body
 * names at any depth (inline lists too) is kept alive by the store when the message is stored
 * (timchat_store_insert_message ()); a deeper key may be gone (older than retention) without
 * refusing the message. */
static gboolean
check_keys (TimchatStore *store, JsonArray *msg_body, GError **error)
{
  guint n = msg_body != NULL ? json_array_get_length (msg_body) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *elem = tim_json_array_get_object (msg_body, i);
      JsonObject *content;
      const char *key;
      g_autoptr (GError) local_error = NULL;

      /* The one string compare every element of every message pays. */
      if (elem == NULL || g_strcmp0 (tim_json_get_string (elem, "MsgType"), "TIMRelayElem") != 0 ||
          (content = tim_json_get_object (elem, "MsgContent")) == NULL ||
          tim_json_get_array (content, "MsgList") != NULL)
        continue;
      key = tim_json_get_string (content, "JsonMsgKey");
      if (key != NULL && *key != '\0' &&
          timchat_store_use_relay_list (store, key, timchat_server_now (), &local_error))
        continue;
      if (local_error != NULL &&
          !g_error_matches (local_error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID,
                   "MsgBody[%u].MsgContent.JsonMsgKey names no saved list of merged messages "
                   "(save it with im_long_msg.save_relay_json_msg first)",
                   i);
      return FALSE;
    }
  return TRUE;
}

/* {"MsgList":[item, …]} → {"JsonMsgKey", "PbMsgKey"}: the same key twice, as we keep one (JSON)
 * copy of a list where the vendor keeps a protobuf one beside it; the SDK downloads by JsonMsgKey
 * and only carries PbMsgKey along in the message. Answered once the list is on disk. */
JsonObject *
_timchat_cmd_save_relay_json_msg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *list = tim_json_get_array (request->body, "MsgList");
  guint n = list != NULL ? json_array_get_length (list) : 0;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  JsonObject *reply;

  if (n == 0 || n > TIM_MAX_MERGER_MESSAGES)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "MsgList needs 1 to %d messages",
                   TIM_MAX_MERGER_MESSAGES);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    if (!check_item (list, i, error))
      return NULL;
  if ((key = timchat_random_key (error)) == NULL)
    return NULL;
  node = json_node_init_array (json_node_alloc (), list);
  text = tim_json_node_to_string (node, NULL);
  if (!timchat_store_save_relay_list (store, key, request->user, timchat_server_now (), text,
                                      error))
    return NULL;
  reply = json_object_new ();
  json_object_set_string_member (reply, "JsonMsgKey", key);
  json_object_set_string_member (reply, "PbMsgKey", key);
  return reply;
}

/* {"JsonMsgKey"} → {"MsgList"} as it was saved. */
JsonObject *
_timchat_cmd_get_relay_json_msg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *key =
      _timchat_require_string (request->body, "JsonMsgKey", TIM_ERROR_INVALID_PARAMETER, error);
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (GError) parse_error = NULL;
  JsonObject *reply;

  if (key == NULL)
    return NULL;
  text = timchat_store_get_relay_list (store, key);
  if (text == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID,
                           "No list of merged messages has this key: it was never saved, or it "
                           "is older than the server keeps messages");
      return NULL;
    }
  /* We wrote it; a row that does not read back is a broken file, not the caller's fault. */
  list = tim_json_parse (text, -1, &parse_error);
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_warning ("The merged messages' list %s cannot be read: %s", key,
                 parse_error != NULL ? parse_error->message : "not an array");
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INTERNAL,
                           "The stored list of merged messages cannot be read");
      return NULL;
    }
  reply = json_object_new ();
  json_object_set_member (reply, "MsgList", g_steal_pointer (&list));
  return reply;
}

gboolean
_timchat_relay_use_keys (TimchatRequest *request, JsonArray *msg_body, GError **error)
{
  return check_keys (timchat_server_get_store (request->server), msg_body, error);
}
