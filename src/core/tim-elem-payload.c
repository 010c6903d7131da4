/* tim-elem-payload.c: wire elements (MsgContent) <-> application payloads. The simple types go
 * through their field tables; images are here too, merged messages and group notifications have
 * files of their own. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include "tim-elem-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* ---- conversion: table-driven part ---- */

/* A scalar of the field's kind from @node, or the kind's default when absent or unreadable. */
JsonNode *
_tim_elem_scalar_node (JsonNode *node, Kind kind)
{
  gint64 i = 0;
  double d = 0;

  switch (kind)
    {
    case K_STR:
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        return _tim_elem_node_deep_copy (node);
      return json_node_init_string (json_node_alloc (), "");
    case K_INT:
      _tim_elem_node_get_int (node, &i);
      return json_node_init_int (json_node_alloc (), i);
    case K_NUM:
      _tim_elem_node_get_double (node, &d);
      return json_node_init_double (json_node_alloc (), d);
    case K_STR_ARRAY:
    case K_OBJ_ARRAY:
    default:
      g_return_val_if_reached (NULL);
    }
}

void
_tim_elem_fields_to_payload (const Field *fields, JsonObject *content, JsonObject *payload)
{
  for (const Field *f = fields; f->wire != NULL; f++)
    {
      if (f->payload == NULL)
        continue;
      if (f->flags & F_ALWAYS_TWO)
        json_object_set_int_member (payload, f->payload, 2);
      else
        json_object_set_member (
            payload, f->payload,
            _tim_elem_scalar_node (json_object_get_member (content, f->wire), f->kind));
    }
}

/* Numeric strings become numbers; anything else of the wrong type is passed through unchanged so
 * that validation reports it; absent required fields stay absent for the same reason. */
void
_tim_elem_fields_from_payload (const Field *fields, JsonObject *payload, JsonObject *content)
{
  for (const Field *f = fields; f->wire != NULL; f++)
    {
      JsonNode *node;
      gint64 i;
      double d;

      if (f->payload == NULL)
        continue;
      if (f->flags & F_ALWAYS_TWO)
        {
          json_object_set_int_member (content, f->wire, 2);
          continue;
        }

      node = json_object_get_member (payload, f->payload);
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (!(f->flags & F_REQUIRED))
            json_object_set_member (content, f->wire, _tim_elem_scalar_node (NULL, f->kind));
        }
      else if (f->kind == K_INT && _tim_elem_node_get_int (node, &i))
        json_object_set_int_member (content, f->wire, i);
      else if (f->kind == K_NUM && _tim_elem_node_get_double (node, &d))
        json_object_set_double_member (content, f->wire, d);
      else
        json_object_set_member (content, f->wire, _tim_elem_node_deep_copy (node));
    }
}

/* ---- images ---- */

/* Payload order [original, thumbnail, large]; sizeType is the wire Type, type the local index. */
static const gint64 image_payload_order[] = { 1, 3, 2 };

static gint64
image_type_for_size_type (gint64 size_type)
{
  return size_type == 1 ? 0 : size_type == 3 ? 1 : 2;
}

static gint64
image_size_type_for_type (gint64 type)
{
  return type == 0 ? 1 : type == 1 ? 3 : 2;
}

static void
image_to_payload (JsonObject *content, JsonObject *payload)
{
  JsonArray *infos = json_array_new ();
  JsonNode *infos_node = json_object_get_member (content, "ImageInfoArray");

  for (gsize k = 0; k < G_N_ELEMENTS (image_payload_order); k++)
    for (guint i = 0; infos_node != NULL && JSON_NODE_HOLDS_ARRAY (infos_node) &&
                      i < json_array_get_length (json_node_get_array (infos_node));
         i++)
      {
        JsonNode *node = json_array_get_element (json_node_get_array (infos_node), i);
        JsonObject *info, *entry;
        JsonNode *instance;
        double d;

        if (!JSON_NODE_HOLDS_OBJECT (node))
          continue;
        info = json_node_get_object (node);
        if (_tim_elem_obj_get_int0 (info, "Type") != image_payload_order[k])
          continue;

        entry = json_object_new ();
        instance = json_object_get_member (info, "InstanceId");
        if (_tim_elem_node_get_double (instance, &d))
          json_object_set_member (entry, "instanceID", _tim_elem_node_deep_copy (instance));
        else
          json_object_set_int_member (entry, "instanceID", g_random_int_range (0, 100000000));
        _tim_elem_fields_to_payload (_tim_elem_image_info_fields, info, entry);
        json_object_set_int_member (entry, "type",
                                    image_type_for_size_type (image_payload_order[k]));
        json_object_set_string_member (entry, "url",
                                       json_object_get_string_member (entry, "imageUrl"));
        json_array_add_object_element (infos, entry);
      }

  _tim_elem_fields_to_payload (_tim_elem_image_fields, content, payload);
  json_object_set_array_member (payload, "imageInfoArray", infos);
}

static gint64
image_entry_size_type (JsonObject *entry)
{
  gint64 v;

  if (_tim_elem_node_get_int (json_object_get_member (entry, "sizeType"), &v))
    return v;
  if (_tim_elem_node_get_int (json_object_get_member (entry, "type"), &v))
    return image_size_type_for_type (v);
  return 0;
}

static gint
compare_image_entries (gconstpointer a, gconstpointer b)
{
  gint64 ta = image_entry_size_type (json_node_get_object (*(JsonNode **) a));
  gint64 tb = image_entry_size_type (json_node_get_object (*(JsonNode **) b));

  return ta < tb ? -1 : ta > tb;
}

static void
image_from_payload (JsonObject *payload, JsonObject *content)
{
  JsonNode *node = json_object_get_member (payload, "imageInfoArray");
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  JsonArray *infos;

  _tim_elem_fields_from_payload (_tim_elem_image_fields, payload, content);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      if (node != NULL)
        json_object_set_member (content, "ImageInfoArray", _tim_elem_node_deep_copy (node));
      return;
    }

  /* The wire carries the renditions in Type order 1, 2, 3 (as the SDK sends them). */
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    g_ptr_array_add (sorted, json_array_get_element (json_node_get_array (node), i));
  for (guint i = 0; i < sorted->len; i++)
    if (!JSON_NODE_HOLDS_OBJECT ((JsonNode *) sorted->pdata[i]))
      {
        json_object_set_member (content, "ImageInfoArray", _tim_elem_node_deep_copy (node));
        return;
      }
  g_ptr_array_sort (sorted, compare_image_entries);

  infos = json_array_new ();
  for (guint i = 0; i < sorted->len; i++)
    {
      JsonObject *entry = json_node_get_object (sorted->pdata[i]);
      JsonObject *info = json_object_new ();
      gint64 size_type = image_entry_size_type (entry);
      JsonNode *instance = json_object_get_member (entry, "instanceID");

      /* imageUrl is the remote URL; url may be proxied, so it only fills in for a missing one. */
      _tim_elem_fields_from_payload (_tim_elem_image_info_fields, entry, info);
      if (!_tim_elem_obj_has (entry, "imageUrl") && tim_json_get_string (entry, "url") != NULL)
        json_object_set_string_member (info, "URL", tim_json_get_string (entry, "url"));
      if (size_type != 0)
        {
          json_object_set_int_member (info, "Type", size_type);
          json_object_set_int_member (info, "MsgType", image_type_for_size_type (size_type));
        }
      if (instance != NULL && JSON_NODE_HOLDS_VALUE (instance))
        json_object_set_member (info, "InstanceId", _tim_elem_node_deep_copy (instance));
      json_array_add_object_element (infos, info);
    }
  json_object_set_array_member (content, "ImageInfoArray", infos);
}

/* ---- public conversion entry points ---- */

JsonObject *
tim_elem_to_payload (JsonObject *wire_elem, TimElemType *type_out)
{
  TimElemType type;
  JsonNode *content_node;
  JsonObject *content;
  JsonObject *payload;
  const Field *fields;

  g_return_val_if_fail (wire_elem != NULL, NULL);

  type = tim_elem_type_from_string (tim_json_get_string (wire_elem, "MsgType"));
  if (type_out != NULL)
    *type_out = type;

  content_node = json_object_get_member (wire_elem, "MsgContent");
  if (content_node == NULL || !JSON_NODE_HOLDS_OBJECT (content_node))
    return NULL;
  content = json_node_get_object (content_node);

  payload = json_object_new ();
  switch (type)
    {
    case TIM_ELEM_IMAGE:
      image_to_payload (content, payload);
      break;
    case TIM_ELEM_RELAY:
      _tim_elem_relay_to_payload (content, payload);
      break;
    case TIM_ELEM_GROUP_TIP:
      _tim_elem_group_tip_to_payload (content, payload);
      break;
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
      _tim_elem_group_notice_to_payload (content, payload);
      break;
    case TIM_ELEM_UNKNOWN:
      {
        g_autoptr (JsonNode) copy = _tim_elem_node_deep_copy (content_node);

        json_object_unref (payload);
        return json_node_dup_object (copy);
      }
    case TIM_ELEM_TEXT:
    case TIM_ELEM_SOUND:
    case TIM_ELEM_VIDEO:
    case TIM_ELEM_FILE:
    case TIM_ELEM_FACE:
    case TIM_ELEM_LOCATION:
    case TIM_ELEM_CUSTOM:
    default:
      fields = _tim_elem_fields_for_type (type);
      _tim_elem_fields_to_payload (fields, content, payload);
      break;
    }

  /* The SDK's url fields are the download URLs (possibly proxied); we have no proxy. */
  if (type == TIM_ELEM_SOUND)
    json_object_set_string_member (payload, "url",
                                   json_object_get_string_member (payload, "remoteAudioUrl"));
  else if (type == TIM_ELEM_VIDEO)
    {
      static const char *const snap[][2] = {
        { "snapshotUrl", "thumbUrl" },
        { "snapshotWidth", "thumbWidth" },
        { "snapshotHeight", "thumbHeight" },
        { "snapshotSize", "thumbSize" },
      };

      json_object_set_string_member (payload, "videoUrl",
                                     json_object_get_string_member (payload, "remoteVideoUrl"));
      for (gsize i = 0; i < G_N_ELEMENTS (snap); i++)
        json_object_set_member (
            payload, snap[i][0],
            _tim_elem_node_deep_copy (json_object_get_member (payload, snap[i][1])));
    }
  return payload;
}

JsonObject *
tim_elem_from_payload (TimElemType type, JsonObject *payload, GError **error)
{
  g_autoptr (JsonObject) content = NULL;
  g_autofree char *where = NULL;
  JsonObject *wire;

  if (!tim_elem_type_is_sendable (type))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID,
                   "payload: %s elements cannot be sent",
                   type == TIM_ELEM_UNKNOWN ? "unknown" : tim_elem_type_to_string (type));
      return NULL;
    }
  where = g_strdup_printf ("payload(%s).MsgContent", tim_elem_type_to_string (type));
  if (payload == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID, "%s: no payload", where);
      return NULL;
    }

  content = json_object_new ();
  switch (type)
    {
    case TIM_ELEM_IMAGE:
      image_from_payload (payload, content);
      break;
    case TIM_ELEM_RELAY:
      if (!_tim_elem_relay_from_payload (payload, content, error))
        return NULL;
      break;
    case TIM_ELEM_SOUND:
    case TIM_ELEM_VIDEO:
      {
        const char *remote = type == TIM_ELEM_SOUND ? "remoteAudioUrl" : "remoteVideoUrl";
        const char *local = type == TIM_ELEM_SOUND ? "url" : "videoUrl";
        const char *wire_key = type == TIM_ELEM_SOUND ? "Url" : "VideoUrl";

        _tim_elem_fields_from_payload (_tim_elem_fields_for_type (type), payload, content);
        /* remote*Url is the original; the download url only stands in when it is missing. */
        if (!_tim_elem_obj_has (payload, remote) && tim_json_get_string (payload, local) != NULL)
          json_object_set_string_member (content, wire_key, tim_json_get_string (payload, local));
        if (type == TIM_ELEM_VIDEO)
          {
            static const char *const snap[][2] = {
              { "SnapshotUrl", "ThumbUrl" },
              { "SnapshotUUID", "ThumbUUID" },
              { "SnapshotSize", "ThumbSize" },
              { "SnapshotWidth", "ThumbWidth" },
              { "SnapshotHeight", "ThumbHeight" },
              { "SnapshotFormat", "ThumbFormat" },
              { "SnapshotDownloadFlag", "ThumbDownloadFlag" },
            };

            for (gsize i = 0; i < G_N_ELEMENTS (snap); i++)
              if (json_object_has_member (content, snap[i][1]))
                json_object_set_member (
                    content, snap[i][0],
                    _tim_elem_node_deep_copy (json_object_get_member (content, snap[i][1])));
          }
        break;
      }
    case TIM_ELEM_TEXT:
    case TIM_ELEM_FILE:
    case TIM_ELEM_FACE:
    case TIM_ELEM_LOCATION:
    case TIM_ELEM_CUSTOM:
    default:
      _tim_elem_fields_from_payload (_tim_elem_fields_for_type (type), payload, content);
      break;
    }

  if (!_tim_elem_validate_content (type, content, where, error))
    return NULL;
  /* Creating a text message with an empty string is refused by the SDK. */
  if (type == TIM_ELEM_TEXT && *tim_json_get_string (content, "Text") == '\0')
    {
      _tim_elem_invalid (error, where, "Text", "must not be empty");
      return NULL;
    }

  wire = json_object_new ();
  json_object_set_string_member (wire, "MsgType", tim_elem_type_to_string (type));
  json_object_set_object_member (wire, "MsgContent", g_steal_pointer (&content));
  return wire;
}
