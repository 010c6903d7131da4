/* tim-elem-fields.c: the field tables of the simple element types, and the lenient JSON readers
 * that validation (tim-elem.c) and conversion (tim-elem-payload*.c) share. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <math.h>

#include "tim-elem-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* ---- JSON scalars, lenient on numbers given as numeric strings ---- */

gboolean
_tim_elem_node_get_int (JsonNode *node, gint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);

        if (!isfinite (d) || d != floor (d) || fabs (d) > 9007199254740992.0)
          return FALSE;
        *out = (gint64) d;
        return TRUE;
      }
    case G_TYPE_STRING:
      return g_ascii_string_to_signed (json_node_get_string (node), 10, G_MININT64, G_MAXINT64, out,
                                       NULL);
    default:
      return FALSE;
    }
}

gboolean
_tim_elem_node_get_double (JsonNode *node, double *out)
{
  double d;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      d = json_node_get_double (node);
      break;
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);
        char *end = NULL;

        if (*s == '\0' || g_ascii_isspace (*s))
          return FALSE;
        d = g_ascii_strtod (s, &end);
        if (*end != '\0')
          return FALSE;
        break;
      }
    default:
      return FALSE;
    }
  /* Finite only, a number as much as a string: 1e999 reads as infinity, and a coordinate of NaN
   * or infinity is written "nan" or "inf", no JSON. The server closed the sender's socket over
   * it (1007) and its outbox sent it again for ever; taken from a peer, it was stored and came
   * back out as an empty body. *out is left alone, so a caller's default stands. */
  if (!isfinite (d))
    return FALSE;
  *out = d;
  return TRUE;
}

gboolean
_tim_elem_obj_has (JsonObject *obj, const char *key)
{
  JsonNode *node = json_object_get_member (obj, key);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

gint64
_tim_elem_obj_get_int0 (JsonObject *obj, const char *key)
{
  gint64 v = 0;

  return _tim_elem_node_get_int (json_object_get_member (obj, key), &v) ? v : 0;
}

/* json_node_copy() shares objects and arrays; payloads and wire elements must not. */
JsonNode *
_tim_elem_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *src = json_node_get_object (node);
      JsonObject *dst = json_object_new ();
      g_autoptr (GList) keys = json_object_get_members (src);

      for (GList *l = keys; l != NULL; l = l->next)
        json_object_set_member (dst, l->data,
                                _tim_elem_node_deep_copy (json_object_get_member (src, l->data)));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, dst);
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *src = json_node_get_array (node);
      JsonArray *dst = json_array_sized_new (json_array_get_length (src));

      for (guint i = 0; i < json_array_get_length (src); i++)
        json_array_add_element (dst, _tim_elem_node_deep_copy (json_array_get_element (src, i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, dst);
      return copy;
    }
  return json_node_copy (node);
}

/* ---- field tables for the simple types ---- */

/* clang-format off */
static const Field text_fields[] = {
  { "Text", "text", K_STR, F_REQUIRED },
  { NULL },
};

static const Field sound_fields[] = {
  { "Url", "remoteAudioUrl", K_STR, F_REQUIRED },
  { "UUID", "uuid", K_STR, F_REQUIRED },
  { "Size", "size", K_INT, 0 },
  { "Second", "second", K_INT, 0 },
  { "Download_Flag", "downloadFlag", K_INT, F_REQUIRED | F_ALWAYS_TWO },
  { NULL },
};

static const Field file_fields[] = {
  { "Url", "fileUrl", K_STR, F_REQUIRED },
  { "UUID", "uuid", K_STR, F_REQUIRED },
  { "FileName", "fileName", K_STR, F_REQUIRED },
  { "FileSize", "fileSize", K_INT, F_REQUIRED },
  { "Download_Flag", "downloadFlag", K_INT, F_REQUIRED | F_ALWAYS_TWO },
  { NULL },
};

static const Field video_fields[] = {
  { "VideoUrl", "remoteVideoUrl", K_STR, F_REQUIRED },
  { "VideoUUID", "videoUUID", K_STR, F_REQUIRED },
  { "VideoSize", "videoSize", K_INT, 0 },
  { "VideoSecond", "videoSecond", K_INT, 0 },
  { "VideoFormat", "videoFormat", K_STR, 0 },
  { "VideoDownloadFlag", "videoDownloadFlag", K_INT, F_REQUIRED | F_ALWAYS_TWO },
  { "ThumbUrl", "thumbUrl", K_STR, F_REQUIRED },
  { "ThumbUUID", "thumbUUID", K_STR, F_REQUIRED },
  { "ThumbSize", "thumbSize", K_INT, 0 },
  { "ThumbWidth", "thumbWidth", K_INT, F_REQUIRED },
  { "ThumbHeight", "thumbHeight", K_INT, F_REQUIRED },
  { "ThumbFormat", "thumbFormat", K_STR, 0 },
  { "ThumbDownloadFlag", "thumbDownloadFlag", K_INT, F_REQUIRED | F_ALWAYS_TWO },
  /* Duplicates of Thumb* the SDK emits when sending; checked for type only. */
  { "SnapshotUrl", NULL, K_STR, 0 },
  { "SnapshotUUID", NULL, K_STR, 0 },
  { "SnapshotSize", NULL, K_INT, 0 },
  { "SnapshotWidth", NULL, K_INT, 0 },
  { "SnapshotHeight", NULL, K_INT, 0 },
  { "SnapshotFormat", NULL, K_STR, 0 },
  { "SnapshotDownloadFlag", NULL, K_INT, 0 },
  { NULL },
};

static const Field custom_fields[] = {
  { "Data", "data", K_STR, 0 },
  { "Desc", "description", K_STR, 0 },
  { "Ext", "extension", K_STR, 0 },
  { "Sound", NULL, K_STR, 0 },
  { NULL },
};

static const Field face_fields[] = {
  { "Index", "index", K_INT, F_REQUIRED },
  { "Data", "data", K_STR, 0 },
  { NULL },
};

static const Field location_fields[] = {
  { "Desc", "description", K_STR, F_REQUIRED },
  { "Longitude", "longitude", K_NUM, F_REQUIRED },
  { "Latitude", "latitude", K_NUM, F_REQUIRED },
  { NULL },
};

const Field _tim_elem_image_fields[] = {
  { "UUID", "uuid", K_STR, F_REQUIRED },
  { "ImageFormat", "imageFormat", K_INT, F_REQUIRED },
  { "ImageInfoArray", NULL, K_OBJ_ARRAY, F_REQUIRED },
  { NULL },
};

const Field _tim_elem_image_info_fields[] = {
  { "Type", "sizeType", K_INT, F_REQUIRED },
  { "Size", "size", K_INT, F_REQUIRED },
  { "Width", "width", K_INT, F_REQUIRED },
  { "Height", "height", K_INT, F_REQUIRED },
  { "URL", "imageUrl", K_STR, F_REQUIRED },
  { "MsgType", NULL, K_INT, 0 },
  { "InstanceId", NULL, K_NUM, 0 },
  { NULL },
};

const Field _tim_elem_relay_fields[] = {
  { "Title", "title", K_STR, F_REQUIRED },
  { "MsgNum", NULL, K_INT, 0 },
  { "CompatibleText", "compatibleText", K_STR, 0 },
  { "AbstractList", NULL, K_STR_ARRAY, 0 },
  { "MsgList", NULL, K_OBJ_ARRAY, 0 },
  { "JsonMsgKey", NULL, K_STR, 0 },
  { NULL },
};
/* clang-format on */

const Field *
_tim_elem_fields_for_type (TimElemType type)
{
  switch (type)
    {
    case TIM_ELEM_TEXT:
      return text_fields;
    case TIM_ELEM_IMAGE:
      return _tim_elem_image_fields;
    case TIM_ELEM_SOUND:
      return sound_fields;
    case TIM_ELEM_VIDEO:
      return video_fields;
    case TIM_ELEM_FILE:
      return file_fields;
    case TIM_ELEM_FACE:
      return face_fields;
    case TIM_ELEM_LOCATION:
      return location_fields;
    case TIM_ELEM_CUSTOM:
      return custom_fields;
    case TIM_ELEM_RELAY:
      return _tim_elem_relay_fields;
    case TIM_ELEM_UNKNOWN:
    case TIM_ELEM_GROUP_TIP:
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
    default:
      return NULL;
    }
}
