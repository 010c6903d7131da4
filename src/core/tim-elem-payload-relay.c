/* tim-elem-payload-relay.c: merged messages (TIMRelayElem) <-> payload. Each MsgList item
 * carries a whole MsgBody, converted element by element with the public entry points. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include "tim-elem-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* ---- merged messages (TIMRelayElem) ---- */

/* Keys of one MsgList item <-> one messageList entry, as tim-js-sdk 2.27.6 sends and shows them
 * (its simplified message: "messageSequence", not "sequence"); copied only when present. */
/* clang-format off */
static const Field relay_item_fields[] = {
  { "From_Account", "from", K_STR, 0 },
  { "SenderId", "messageSender", K_STR, 0 },
  { "To_Account", "receiverUserID", K_STR, 0 },
  { "GroupId", "receiverGroupID", K_STR, 0 },
  { "ReceiverId", "messageReceiver", K_STR, 0 },
  { "Id", "ID", K_STR, 0 },
  { "MsgSeq", "messageSequence", K_INT, 0 },
  { "ClientSeq", "clientSequence", K_INT, 0 },
  { "MsgRandom", "messageRandom", K_INT, 0 },
  { "MsgTimeStamp", "time", K_INT, 0 },
  { "MsgClientTime", "clientTime", K_INT, 0 },
  { "From_AccountNick", "nick", K_STR, 0 },
  { "From_AccountHeadurl", "avatar", K_STR, 0 },
  { "CloudCustomData", "cloudCustomData", K_STR, 0 },
  { NULL },
};
/* clang-format on */

static void
copy_present (JsonObject *src, JsonObject *dst, gboolean to_payload)
{
  for (const Field *f = relay_item_fields; f->wire != NULL; f++)
    {
      const char *from = to_payload ? f->wire : f->payload;
      const char *to = to_payload ? f->payload : f->wire;

      if (_tim_elem_obj_has (src, from))
        json_object_set_member (
            dst, to, _tim_elem_scalar_node (json_object_get_member (src, from), f->kind));
    }
}

static JsonObject *
relay_item_to_payload (JsonObject *item)
{
  JsonObject *entry = json_object_new ();
  JsonArray *body = json_array_new ();
  JsonNode *msg_body = json_object_get_member (item, "MsgBody");

  copy_present (item, entry, TRUE);
  for (guint i = 0; msg_body != NULL && JSON_NODE_HOLDS_ARRAY (msg_body) &&
                    i < json_array_get_length (json_node_get_array (msg_body));
       i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (msg_body), i);
      TimElemType type;
      JsonObject *payload;
      JsonObject *part;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      payload = tim_elem_to_payload (json_node_get_object (node), &type);
      if (payload == NULL)
        continue;
      part = json_object_new ();
      json_object_set_string_member (
          part, "type",
          tim_elem_type_to_string (type) != NULL ? tim_elem_type_to_string (type) : "");
      json_object_set_object_member (part, "payload", payload);
      json_array_add_object_element (body, part);
    }
  json_object_set_array_member (entry, "messageBody", body);
  return entry;
}

/* The SDK sends a JSON boolean; 1 is what its own reader of a stored list also accepts. */
static gboolean
layers_over_limit (JsonObject *content)
{
  JsonNode *node = json_object_get_member (content, "LayersOverLimit");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return tim_json_get_int_or (content, "LayersOverLimit", 0) == 1;
}

void
_tim_elem_relay_to_payload (JsonObject *content, JsonObject *payload)
{
  JsonNode *abstracts = json_object_get_member (content, "AbstractList");
  JsonNode *list = json_object_get_member (content, "MsgList");
  JsonArray *messages = json_array_new ();
  const char *key = tim_json_get_string (content, "JsonMsgKey");
  const char *pb_key = tim_json_get_string (content, "PbMsgKey");

  _tim_elem_fields_to_payload (_tim_elem_relay_fields, content, payload);
  if (abstracts != NULL && JSON_NODE_HOLDS_ARRAY (abstracts))
    json_object_set_member (payload, "abstractList", _tim_elem_node_deep_copy (abstracts));
  else
    json_object_set_array_member (payload, "abstractList", json_array_new ());

  for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
                    i < json_array_get_length (json_node_get_array (list));
       i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (list), i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        json_array_add_object_element (messages,
                                       relay_item_to_payload (json_node_get_object (node)));
    }
  json_object_set_array_member (payload, "messageList", messages);
  json_object_set_string_member (payload, "downloadKey", key != NULL ? key : "");
  json_object_set_string_member (payload, "pbDownloadKey", pb_key != NULL ? pb_key : "");
  json_object_set_int_member (payload, "version", tim_json_get_int_or (content, "Version", 0));
  json_object_set_boolean_member (payload, "layersOverLimit", layers_over_limit (content));
}

gboolean
_tim_elem_relay_from_payload (JsonObject *payload, JsonObject *content, GError **error)
{
  JsonNode *abstracts = json_object_get_member (payload, "abstractList");
  JsonNode *list = json_object_get_member (payload, "messageList");
  const char *key = tim_json_get_string (payload, "downloadKey");
  const char *pb_key = tim_json_get_string (payload, "pbDownloadKey");
  gboolean keyed = key != NULL && *key != '\0';

  _tim_elem_fields_from_payload (_tim_elem_relay_fields, payload, content);
  if (abstracts != NULL && !JSON_NODE_HOLDS_NULL (abstracts))
    json_object_set_member (content, "AbstractList", _tim_elem_node_deep_copy (abstracts));

  /* With a key the messages are on the server: the wire carries only their number (as the SDK
   * sends it), however many this device keeps beside the key. */
  if (keyed && list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    json_object_set_int_member (content, "MsgNum",
                                json_array_get_length (json_node_get_array (list)));
  else if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *entries = json_node_get_array (list);
      JsonArray *items = json_array_new ();

      json_object_set_array_member (content, "MsgList", items);
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonNode *node = json_array_get_element (entries, i);
          JsonObject *entry, *item;
          JsonArray *body;
          JsonNode *parts;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return _tim_elem_invalid (error, "payload", "messageList",
                                      "must be an array of objects");
          entry = json_node_get_object (node);
          item = json_object_new ();
          json_array_add_object_element (items, item);
          copy_present (entry, item, FALSE);

          body = json_array_new ();
          json_object_set_array_member (item, "MsgBody", body);
          parts = json_object_get_member (entry, "messageBody");
          for (guint j = 0; parts != NULL && JSON_NODE_HOLDS_ARRAY (parts) &&
                            j < json_array_get_length (json_node_get_array (parts));
               j++)
            {
              JsonNode *part = json_array_get_element (json_node_get_array (parts), j);
              JsonObject *part_obj, *part_payload, *wire;

              if (!JSON_NODE_HOLDS_OBJECT (part))
                return _tim_elem_invalid (error, "payload", "messageList",
                                          "messageBody item not an object");
              part_obj = json_node_get_object (part);
              part_payload =
                  json_object_get_member (part_obj, "payload") != NULL &&
                          JSON_NODE_HOLDS_OBJECT (json_object_get_member (part_obj, "payload"))
                      ? json_object_get_object_member (part_obj, "payload")
                      : NULL;
              wire = tim_elem_from_payload (
                  tim_elem_type_from_string (tim_json_get_string (part_obj, "type")), part_payload,
                  error);
              if (wire == NULL)
                return FALSE;
              json_array_add_object_element (body, wire);
            }
        }
      json_object_set_int_member (content, "MsgNum", json_array_get_length (entries));
    }
  else if (list != NULL && !JSON_NODE_HOLDS_NULL (list))
    return _tim_elem_invalid (error, "payload", "messageList", "must be an array");

  if (keyed)
    json_object_set_string_member (content, "JsonMsgKey", key);
  if (pb_key != NULL && *pb_key != '\0')
    json_object_set_string_member (content, "PbMsgKey", pb_key);
  return TRUE;
}
