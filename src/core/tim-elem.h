/* tim-elem.h: message elements. A "wire element" is what travels in MsgBody
 * ({"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}); a "payload" is what the application sees
 * ({"text":"hi"}), as in the vendor's Web SDK (tim-sdk-facts.md §2.2, §2.3). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TIM_ELEM_UNKNOWN,
  TIM_ELEM_TEXT,
  TIM_ELEM_IMAGE,
  TIM_ELEM_SOUND,
  TIM_ELEM_VIDEO,
  TIM_ELEM_FILE,
  TIM_ELEM_FACE,
  TIM_ELEM_LOCATION,
  TIM_ELEM_CUSTOM,
  TIM_ELEM_RELAY,
  TIM_ELEM_GROUP_TIP,
  TIM_ELEM_GROUP_SYSTEM_NOTICE,
} TimElemType;

/* At most this many elements in one MsgBody. */
#define TIM_MAX_MSG_BODY_ELEMS 10

/* "TIMTextElem" -> TIM_ELEM_TEXT; NULL or anything unknown -> TIM_ELEM_UNKNOWN. */
TimElemType tim_elem_type_from_string (const char *msg_type);
/* TIM_ELEM_TEXT -> "TIMTextElem"; TIM_ELEM_UNKNOWN (or out of range) -> NULL. */
const char *tim_elem_type_to_string (TimElemType type);
/* TRUE for the types a client may put in MsgBody (everything but group tips/notices). */
gboolean tim_elem_type_is_sendable (TimElemType type);

/* Server-side check of a MsgBody a client sent. Errors in the TIM_ERROR domain:
 * TIM_ERROR_MSG_BODY_INVALID for shape/type problems (the message names the element index and
 * field), TIM_ERROR_BODY_TOO_LARGE when the compact serialisation exceeds TIM_MAX_MSG_BODY_BYTES.
 */
gboolean tim_msg_body_validate (JsonArray *msg_body, GError **error);
/* The same, for a message that also carries @extra_bytes of CloudCustomData: the two together
 * are what the recipient gets and what the 12 KB limit is for (tim-rest-facts.md §7: "a single
 * message ≤ 12 KB"). */
gboolean tim_msg_validate (JsonArray *msg_body, gsize extra_bytes, GError **error);
/* That limit alone, for a body already measured (tim_msg_body_serialized_size ()). */
gboolean tim_msg_size_validate (gsize body_bytes, gsize cloud_custom_data_bytes, GError **error);
/* A message's OfflinePushInfo as it is kept (compact JSON; NULL: none): at most
 * TIM_MAX_OFFLINE_PUSH_BYTES, else TIM_ERROR_BODY_TOO_LARGE. */
gboolean tim_msg_offline_push_validate (const char *offline_push_json, GError **error);
/* Bytes of the compact JSON serialisation of @msg_body, numbers in their shortest round-trip form
 * as a JavaScript client writes them (the number compared with the limit). */
gsize tim_msg_body_serialized_size (JsonArray *msg_body);

/* Conversation preview (lastMessage.messageForShow): the text of text elements, the placeholder of
 * the others ("[Image]" when @intl, "[图片]" otherwise), concatenated. Unknown types add nothing.
 */
char *tim_msg_body_message_for_show (JsonArray *msg_body, gboolean intl);

/* Wire element -> application payload. Never NULL for an object with an object MsgContent; for an
 * unknown MsgType the payload is a copy of MsgContent. Returns NULL if @wire_elem has no MsgContent
 * object. @type_out (nullable) receives the element type. */
JsonObject *tim_elem_to_payload (JsonObject *wire_elem, TimElemType *type_out);
/* Application payload -> wire element, for sendable types. Returns NULL and a
 * TIM_ERROR_MSG_BODY_INVALID error when the payload cannot make a valid element. */
JsonObject *tim_elem_from_payload (TimElemType type, JsonObject *payload, GError **error);

G_END_DECLS
