/* tim-client-typing.c: "typing…" in C2C conversations, in the convention of Tencent's TUIKit UI
 * kits, so their apps and ours see each other type: an online-only custom message (not kept, not
 * counted) whose Data is {"businessID":"user_typing_status","typingStatus":1|0,"version":1,
 * "userAction":14,"actionParam":"EIMAMSG_InputStatus_Ing"|"EIMAMSG_InputStatus_End"}. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <string.h>

#include "tim-client-private.h"
#include "tim-json.h"

#define BUSINESS_ID "user_typing_status"

static JsonArray *
typing_body (gboolean typing)
{
  g_autoptr (JsonObject) data = json_object_new ();
  g_autoptr (JsonObject) payload = json_object_new ();
  g_autofree char *text = NULL;
  JsonArray *body = json_array_new ();

  json_object_set_string_member (data, "businessID", BUSINESS_ID);
  json_object_set_int_member (data, "typingStatus", typing ? 1 : 0);
  json_object_set_int_member (data, "version", 1);
  json_object_set_int_member (data, "userAction", 14);
  json_object_set_string_member (data, "actionParam",
                                 typing ? "EIMAMSG_InputStatus_Ing" : "EIMAMSG_InputStatus_End");
  text = tim_json_to_string (data, NULL);
  json_object_set_string_member (payload, "data", text);
  json_object_set_string_member (payload, "description", "");
  json_object_set_string_member (payload, "extension", "");
  json_array_add_object_element (body, tim_elem_from_payload (TIM_ELEM_CUSTOM, payload, NULL));
  return body;
}

static void
on_typing_sent (JsonObject *reply, const GError *error, gpointer user_data)
{
  /* Best effort: a lost notice only leaves the peer's indicator to expire. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Typing notice not sent: %s", error->message);
}

void
tim_client_set_typing (TimClient *self, const char *conversation_id, gboolean typing)
{
  g_autoptr (JsonObject) body = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 *sent;
  const char *peer = NULL;

  g_return_if_fail (TIM_IS_CLIENT (self));

  if (self->user == NULL || conversation_id == NULL ||
      tim_conv_parse_id (conversation_id, &peer) != TIM_CONV_C2C ||
      g_strcmp0 (peer, self->user) == 0 ||
      tim_transport_get_state (self->transport) != TIM_NET_STATE_CONNECTED)
    return;
  sent = g_hash_table_lookup (self->typing_sent, conversation_id);
  if (typing && sent != NULL && now - *sent < TIM_TYPING_RESEND_MS * G_TIME_SPAN_MILLISECOND)
    return;
  if (!typing && sent == NULL)
    return;
  if (typing)
    g_hash_table_insert (self->typing_sent, g_strdup (conversation_id),
                         g_memdup2 (&now, sizeof now));
  else
    g_hash_table_remove (self->typing_sent, conversation_id);

  /* Straight to the socket, not through the outbox: a notice that waits for a reconnection says
   * something no longer true. MsgLifeTime 0: delivered to who is online, never stored. */
  body = json_object_new ();
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_string_member (body, "To_Account", peer);
  json_object_set_int_member (body, "MsgSeq", g_random_int_range (1, G_MAXINT32));
  json_object_set_int_member (body, "MsgRandom", g_random_int_range (1, G_MAXINT32));
  json_object_set_int_member (body, "MsgLifeTime", 0);
  json_object_set_array_member (body, "MsgBody", typing_body (typing));
  tim_transport_request (self->transport, "openim.sendmsg", body, 0, self->cancellable,
                         on_typing_sent, NULL);
}

gboolean
_tim_client_take_typing (TimClient *self, TimMessage *message)
{
  const char *data = tim_message_get_custom_data (message);
  g_autoptr (JsonObject) notice = NULL;
  TimConversation *conversation;

  if (tim_message_get_elem_type (message) != TIM_ELEM_CUSTOM || data == NULL ||
      strstr (data, BUSINESS_ID) == NULL ||
      (notice = tim_json_parse_object (data, -1, NULL)) == NULL ||
      g_strcmp0 (tim_json_get_string (notice, "businessID"), BUSINESS_ID) != 0)
    return FALSE;
  /* Ours from another device, or about a group: nothing to show. */
  if (tim_message_get_conversation_type (message) != TIM_CONV_C2C ||
      g_strcmp0 (tim_message_get_from (message), self->user) == 0)
    return TRUE;
  conversation =
      tim_conversation_list_lookup (self->conversations, tim_message_get_conversation_id (message));
  if (conversation != NULL)
    _tim_conversation_set_peer_typing (
        conversation, tim_json_get_int_or (notice, "typingStatus", 0) == 1, TIM_TYPING_EXPIRE_MS);
  return TRUE;
}
