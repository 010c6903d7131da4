/* tim-elem.c: message elements between the wire (MsgBody) and the application payload.
 *
 * Field names and mappings follow tim-sdk-facts.md §2.2/§2.3 and tim-rest-facts.md §2. The simple
 * element types are described by one field table each, which drives validation and both
 * directions of the conversion, so the three cannot drift apart. Images, merged messages and
 * the two group notifications have nested shapes and get their own code. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tim-elem.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"

typedef struct
{
  TimElemType type;
  const char *name;
  const char *show_zh;
  const char *show_en;
} ElemTypeInfo;

/* messageForShow placeholders are the SDK's literal strings (wire compatibility), not UI text. */
static const ElemTypeInfo elem_types[] = {
  { TIM_ELEM_TEXT, "TIMTextElem", NULL, NULL },
  { TIM_ELEM_IMAGE, "TIMImageElem", "[图片]", "[Image]" },
  { TIM_ELEM_SOUND, "TIMSoundElem", "[语音]", "[Voice]" },
  { TIM_ELEM_VIDEO, "TIMVideoFileElem", "[视频]", "[Video]" },
  { TIM_ELEM_FILE, "TIMFileElem", "[文件]", "[File]" },
  { TIM_ELEM_FACE, "TIMFaceElem", "[动画表情]", "[Animated Sticker]" },
  { TIM_ELEM_LOCATION, "TIMLocationElem", "[位置]", "[Location]" },
  { TIM_ELEM_CUSTOM, "TIMCustomElem", "[自定义消息]", "[Custom Messages]" },
  { TIM_ELEM_RELAY, "TIMRelayElem", "[聊天记录]", "[Chat Record]" },
  { TIM_ELEM_GROUP_TIP, "TIMGroupTipElem", "[群提示消息]", "[Group Notification]" },
  { TIM_ELEM_GROUP_SYSTEM_NOTICE, "TIMGroupSystemNoticeElem", "[群系统通知]",
    "[Group System Message]" },
};

static const ElemTypeInfo *
elem_type_info (TimElemType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (elem_types); i++)
    if (elem_types[i].type == type)
      return &elem_types[i];
  return NULL;
}

TimElemType
tim_elem_type_from_string (const char *msg_type)
{
  if (msg_type == NULL)
    return TIM_ELEM_UNKNOWN;
  for (gsize i = 0; i < G_N_ELEMENTS (elem_types); i++)
    if (strcmp (elem_types[i].name, msg_type) == 0)
      return elem_types[i].type;
  return TIM_ELEM_UNKNOWN;
}

const char *
tim_elem_type_to_string (TimElemType type)
{
  const ElemTypeInfo *info = elem_type_info (type);

  return info != NULL ? info->name : NULL;
}

gboolean
tim_elem_type_is_sendable (TimElemType type)
{
  return type >= TIM_ELEM_TEXT && type <= TIM_ELEM_RELAY;
}

/* ---- JSON scalars, lenient on numbers given as numeric strings ---- */

static gboolean
node_get_int (JsonNode *node, gint64 *out)
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

static gboolean
node_get_double (JsonNode *node, double *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);
        char *end = NULL;

        if (*s == '\0' || g_ascii_isspace (*s))
          return FALSE;
        *out = g_ascii_strtod (s, &end);
        return *end == '\0' && isfinite (*out);
      }
    default:
      return FALSE;
    }
}

static gboolean
obj_has (JsonObject *obj, const char *key)
{
  JsonNode *node = json_object_get_member (obj, key);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

static gint64
obj_get_int0 (JsonObject *obj, const char *key)
{
  gint64 v = 0;

  return node_get_int (json_object_get_member (obj, key), &v) ? v : 0;
}

/* json_node_copy() shares objects and arrays; payloads and wire elements must not. */
static JsonNode *
node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *src = json_node_get_object (node);
      JsonObject *dst = json_object_new ();
      g_autoptr (GList) keys = json_object_get_members (src);

      for (GList *l = keys; l != NULL; l = l->next)
        json_object_set_member (dst, l->data,
                                node_deep_copy (json_object_get_member (src, l->data)));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, dst);
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *src = json_node_get_array (node);
      JsonArray *dst = json_array_sized_new (json_array_get_length (src));

      for (guint i = 0; i < json_array_get_length (src); i++)
        json_array_add_element (dst, node_deep_copy (json_array_get_element (src, i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, dst);
      return copy;
    }
  return json_node_copy (node);
}

/* "GroupName" -> "groupName", "UUID" -> "uuid", "URLPath" -> "urlPath": the SDK's fallback for
 * keys its tables do not name. */
static char *
camel_case (const char *key)
{
  char *out = g_strdup (key);
  gsize n = 0;

  while (g_ascii_isupper (out[n]))
    n++;
  if (n > 1 && g_ascii_islower (out[n]))
    n--;
  for (gsize i = 0; i < n; i++)
    out[i] = g_ascii_tolower (out[i]);
  return out;
}

/* ---- field tables for the simple types ---- */

typedef enum
{
  K_STR,
  K_INT,
  K_NUM,
  K_STR_ARRAY,
  K_OBJ_ARRAY,
} Kind;

enum
{
  F_REQUIRED = 1 << 0,
  F_ALWAYS_TWO = 1 << 1, /* download flags: the SDK always shows and sends 2 */
};

typedef struct
{
  const char *wire;
  const char *payload; /* NULL: validated, not shown to the application */
  Kind kind;
  int flags;
} Field;

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

static const Field image_fields[] = {
  { "UUID", "uuid", K_STR, F_REQUIRED },
  { "ImageFormat", "imageFormat", K_INT, F_REQUIRED },
  { "ImageInfoArray", NULL, K_OBJ_ARRAY, F_REQUIRED },
  { NULL },
};

static const Field image_info_fields[] = {
  { "Type", "sizeType", K_INT, F_REQUIRED },
  { "Size", "size", K_INT, F_REQUIRED },
  { "Width", "width", K_INT, F_REQUIRED },
  { "Height", "height", K_INT, F_REQUIRED },
  { "URL", "imageUrl", K_STR, F_REQUIRED },
  { "MsgType", NULL, K_INT, 0 },
  { "InstanceId", NULL, K_NUM, 0 },
  { NULL },
};

static const Field relay_fields[] = {
  { "Title", "title", K_STR, F_REQUIRED },
  { "MsgNum", NULL, K_INT, 0 },
  { "CompatibleText", "compatibleText", K_STR, 0 },
  { "AbstractList", NULL, K_STR_ARRAY, 0 },
  { "MsgList", NULL, K_OBJ_ARRAY, 0 },
  { "JsonMsgKey", NULL, K_STR, 0 },
  { NULL },
};
/* clang-format on */

static const Field *
fields_for_type (TimElemType type)
{
  switch (type)
    {
    case TIM_ELEM_TEXT:
      return text_fields;
    case TIM_ELEM_IMAGE:
      return image_fields;
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
      return relay_fields;
    case TIM_ELEM_UNKNOWN:
    case TIM_ELEM_GROUP_TIP:
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
    default:
      return NULL;
    }
}

/* ---- validation ---- */

static gboolean
invalid (GError **error, const char *where, const char *field, const char *problem)
{
  g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID, "%s.%s: %s", where, field, problem);
  return FALSE;
}

static gboolean
array_all_of (JsonArray *array, JsonNodeType node_type, GType value_type)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (json_node_get_node_type (item) != node_type ||
          (value_type != G_TYPE_INVALID && json_node_get_value_type (item) != value_type))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_fields (JsonObject *obj, const Field *fields, const char *where, GError **error)
{
  for (const Field *f = fields; f->wire != NULL; f++)
    {
      JsonNode *node = json_object_get_member (obj, f->wire);
      gint64 i;
      double d;

      /* null counts as absent: lenient on optional fields, "missing" for required ones. */
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (f->flags & F_REQUIRED)
            return invalid (error, where, f->wire, "missing");
          continue;
        }

      switch (f->kind)
        {
        case K_STR:
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return invalid (error, where, f->wire, "must be a string");
          break;
        case K_INT:
          if (!node_get_int (node, &i))
            return invalid (error, where, f->wire, "must be an integer");
          break;
        case K_NUM:
          if (!node_get_double (node, &d))
            return invalid (error, where, f->wire, "must be a number");
          break;
        case K_STR_ARRAY:
          if (!JSON_NODE_HOLDS_ARRAY (node) ||
              !array_all_of (json_node_get_array (node), JSON_NODE_VALUE, G_TYPE_STRING))
            return invalid (error, where, f->wire, "must be an array of strings");
          break;
        case K_OBJ_ARRAY:
          if (!JSON_NODE_HOLDS_ARRAY (node) ||
              !array_all_of (json_node_get_array (node), JSON_NODE_OBJECT, G_TYPE_INVALID))
            return invalid (error, where, f->wire, "must be an array of objects");
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

static gboolean
nonempty_str (JsonObject *obj, const char *key)
{
  const char *s = tim_json_get_string (obj, key);

  return s != NULL && *s != '\0';
}

/* @where names the MsgContent object in messages, e.g. "MsgBody[2].MsgContent". */
static gboolean
validate_content (TimElemType type, JsonObject *content, const char *where, GError **error)
{
  const Field *fields = fields_for_type (type);

  g_return_val_if_fail (fields != NULL, FALSE);

  if (!check_fields (content, fields, where, error))
    return FALSE;

  if (type == TIM_ELEM_IMAGE)
    {
      JsonArray *infos = json_object_get_array_member (content, "ImageInfoArray");
      guint n = json_array_get_length (infos);

      if (n == 0)
        return invalid (error, where, "ImageInfoArray", "must not be empty");
      for (guint i = 0; i < n; i++)
        {
          JsonObject *info = tim_json_array_get_object (infos, i);
          g_autofree char *info_where = g_strdup_printf ("%s.ImageInfoArray[%u]", where, i);
          gint64 t;

          if (info == NULL)
            return invalid (error, info_where, "", "must be an object");
          t = obj_get_int0 (info, "Type");

          if (!check_fields (info, image_info_fields, info_where, error))
            return FALSE;
          if (t < 1 || t > 3)
            return invalid (error, info_where, "Type", "must be 1, 2 or 3");
        }
    }
  else if (type == TIM_ELEM_CUSTOM)
    {
      /* The SDK only sends custom elements with at least one non-empty field. */
      if (!nonempty_str (content, "Data") && !nonempty_str (content, "Desc") &&
          !nonempty_str (content, "Ext"))
        return invalid (error, where, "Data", "Data, Desc or Ext must be non-empty");
    }
  else if (type == TIM_ELEM_RELAY)
    {
      if (!obj_has (content, "MsgList") && !obj_has (content, "JsonMsgKey"))
        return invalid (error, where, "MsgList", "MsgList or JsonMsgKey is required");
    }
  return TRUE;
}

/* json-glib writes every double with 17 significant digits (113.93 -> 113.93000000000001); a
 * JavaScript client writes the shortest form that reads back the same. The limit is about what the
 * client sent, so count the difference back out. */
static gsize
double_excess (JsonNode *node)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  gsize excess = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        excess += double_excess (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        excess += double_excess (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);
      g_autofree char *written = json_to_string (node, FALSE);
      char shortest[G_ASCII_DTOSTR_BUF_SIZE];

      for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_ascii_formatd (shortest, sizeof shortest, formats[i], d);
          if (g_ascii_strtod (shortest, NULL) == d)
            break;
        }
      if (strlen (written) > strlen (shortest))
        excess = strlen (written) - strlen (shortest);
    }
  return excess;
}

gsize
tim_msg_body_serialized_size (JsonArray *msg_body)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (msg_body != NULL, 0);

  json_node_set_array (root, msg_body);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &len);
  return len - double_excess (root);
}

gboolean
tim_msg_body_validate (JsonArray *msg_body, GError **error)
{
  guint n;
  guint customs = 0;
  gsize size;

  if (msg_body == NULL || (n = json_array_get_length (msg_body)) == 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID,
                           "MsgBody: must be a non-empty array");
      return FALSE;
    }
  if (n > TIM_MAX_MSG_BODY_ELEMS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID,
                   "MsgBody: %u elements, at most %d allowed", n, TIM_MAX_MSG_BODY_ELEMS);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (msg_body, i);
      g_autofree char *where = g_strdup_printf ("MsgBody[%u]", i);
      g_autofree char *content_where = NULL;
      JsonObject *elem;
      JsonNode *content;
      const char *msg_type;
      TimElemType type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID, "%s: must be an object",
                       where);
          return FALSE;
        }
      elem = json_node_get_object (node);

      msg_type = tim_json_get_string (elem, "MsgType");
      if (msg_type == NULL)
        return invalid (error, where, "MsgType",
                        obj_has (elem, "MsgType") ? "must be a string" : "missing");
      type = tim_elem_type_from_string (msg_type);
      if (type == TIM_ELEM_UNKNOWN)
        return invalid (error, where, "MsgType", "unknown element type");
      if (!tim_elem_type_is_sendable (type))
        return invalid (error, where, "MsgType", "this element type cannot be sent by a client");
      if (type == TIM_ELEM_CUSTOM && ++customs > 1)
        return invalid (error, where, "MsgType", "at most one TIMCustomElem per message");

      content = json_object_get_member (elem, "MsgContent");
      if (content == NULL || JSON_NODE_HOLDS_NULL (content))
        return invalid (error, where, "MsgContent", "missing");
      if (!JSON_NODE_HOLDS_OBJECT (content))
        return invalid (error, where, "MsgContent", "must be an object");

      content_where = g_strconcat (where, ".MsgContent", NULL);
      if (!validate_content (type, json_node_get_object (content), content_where, error))
        return FALSE;
    }

  size = tim_msg_body_serialized_size (msg_body);
  if (size > TIM_MAX_MSG_BODY_BYTES)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE,
                   "MsgBody: %" G_GSIZE_FORMAT " bytes, at most %d allowed", size,
                   TIM_MAX_MSG_BODY_BYTES);
      return FALSE;
    }
  return TRUE;
}

char *
tim_msg_body_message_for_show (JsonArray *msg_body, gboolean intl)
{
  GString *show = g_string_new (NULL);

  for (guint i = 0; msg_body != NULL && i < json_array_get_length (msg_body); i++)
    {
      JsonNode *node = json_array_get_element (msg_body, i);
      JsonObject *elem;
      const ElemTypeInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      elem = json_node_get_object (node);
      info = elem_type_info (tim_elem_type_from_string (tim_json_get_string (elem, "MsgType")));
      if (info == NULL)
        continue;

      if (info->type == TIM_ELEM_TEXT)
        {
          JsonNode *content = json_object_get_member (elem, "MsgContent");
          const char *text = NULL;

          if (content != NULL && JSON_NODE_HOLDS_OBJECT (content))
            text = tim_json_get_string (json_node_get_object (content), "Text");
          g_string_append (show, text != NULL ? text : "");
        }
      else
        g_string_append (show, intl ? info->show_en : info->show_zh);
    }
  return g_string_free (show, FALSE);
}

/* ---- conversion: table-driven part ---- */

/* A scalar of the field's kind from @node, or the kind's default when absent or unreadable. */
static JsonNode *
scalar_node (JsonNode *node, Kind kind)
{
  gint64 i = 0;
  double d = 0;

  switch (kind)
    {
    case K_STR:
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        return node_deep_copy (node);
      return json_node_init_string (json_node_alloc (), "");
    case K_INT:
      node_get_int (node, &i);
      return json_node_init_int (json_node_alloc (), i);
    case K_NUM:
      node_get_double (node, &d);
      return json_node_init_double (json_node_alloc (), d);
    case K_STR_ARRAY:
    case K_OBJ_ARRAY:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
fields_to_payload (const Field *fields, JsonObject *content, JsonObject *payload)
{
  for (const Field *f = fields; f->wire != NULL; f++)
    {
      if (f->payload == NULL)
        continue;
      if (f->flags & F_ALWAYS_TWO)
        json_object_set_int_member (payload, f->payload, 2);
      else
        json_object_set_member (payload, f->payload,
                                scalar_node (json_object_get_member (content, f->wire), f->kind));
    }
}

/* Numeric strings become numbers; anything else of the wrong type is passed through unchanged so
 * that validation reports it; absent required fields stay absent for the same reason. */
static void
fields_from_payload (const Field *fields, JsonObject *payload, JsonObject *content)
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
            json_object_set_member (content, f->wire, scalar_node (NULL, f->kind));
        }
      else if (f->kind == K_INT && node_get_int (node, &i))
        json_object_set_int_member (content, f->wire, i);
      else if (f->kind == K_NUM && node_get_double (node, &d))
        json_object_set_double_member (content, f->wire, d);
      else
        json_object_set_member (content, f->wire, node_deep_copy (node));
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
        if (obj_get_int0 (info, "Type") != image_payload_order[k])
          continue;

        entry = json_object_new ();
        instance = json_object_get_member (info, "InstanceId");
        if (node_get_double (instance, &d))
          json_object_set_member (entry, "instanceID", node_deep_copy (instance));
        else
          json_object_set_int_member (entry, "instanceID", g_random_int_range (0, 100000000));
        fields_to_payload (image_info_fields, info, entry);
        json_object_set_int_member (entry, "type",
                                    image_type_for_size_type (image_payload_order[k]));
        json_object_set_string_member (entry, "url",
                                       json_object_get_string_member (entry, "imageUrl"));
        json_array_add_object_element (infos, entry);
      }

  fields_to_payload (image_fields, content, payload);
  json_object_set_array_member (payload, "imageInfoArray", infos);
}

static gint64
image_entry_size_type (JsonObject *entry)
{
  gint64 v;

  if (node_get_int (json_object_get_member (entry, "sizeType"), &v))
    return v;
  if (node_get_int (json_object_get_member (entry, "type"), &v))
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

  fields_from_payload (image_fields, payload, content);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      if (node != NULL)
        json_object_set_member (content, "ImageInfoArray", node_deep_copy (node));
      return;
    }

  /* The wire carries the renditions in Type order 1, 2, 3 (as the SDK sends them). */
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    g_ptr_array_add (sorted, json_array_get_element (json_node_get_array (node), i));
  for (guint i = 0; i < sorted->len; i++)
    if (!JSON_NODE_HOLDS_OBJECT ((JsonNode *) sorted->pdata[i]))
      {
        json_object_set_member (content, "ImageInfoArray", node_deep_copy (node));
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
      fields_from_payload (image_info_fields, entry, info);
      if (!obj_has (entry, "imageUrl") && tim_json_get_string (entry, "url") != NULL)
        json_object_set_string_member (info, "URL", tim_json_get_string (entry, "url"));
      if (size_type != 0)
        {
          json_object_set_int_member (info, "Type", size_type);
          json_object_set_int_member (info, "MsgType", image_type_for_size_type (size_type));
        }
      if (instance != NULL && JSON_NODE_HOLDS_VALUE (instance))
        json_object_set_member (info, "InstanceId", node_deep_copy (instance));
      json_array_add_object_element (infos, info);
    }
  json_object_set_array_member (content, "ImageInfoArray", infos);
}

/* ---- merged messages (TIMRelayElem) ---- */

/* Keys of one MsgList item <-> one messageList entry; copied only when present. */
/* clang-format off */
static const Field relay_item_fields[] = {
  { "From_Account", "from", K_STR, 0 },
  { "To_Account", "to", K_STR, 0 },
  { "GroupId", "groupID", K_STR, 0 },
  { "MsgSeq", "sequence", K_INT, 0 },
  { "MsgRandom", "random", K_INT, 0 },
  { "MsgTimeStamp", "time", K_INT, 0 },
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

      if (obj_has (src, from))
        json_object_set_member (dst, to, scalar_node (json_object_get_member (src, from), f->kind));
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

static void
relay_to_payload (JsonObject *content, JsonObject *payload)
{
  JsonNode *abstracts = json_object_get_member (content, "AbstractList");
  JsonNode *list = json_object_get_member (content, "MsgList");
  JsonArray *messages = json_array_new ();
  const char *key = tim_json_get_string (content, "JsonMsgKey");

  fields_to_payload (relay_fields, content, payload);
  if (abstracts != NULL && JSON_NODE_HOLDS_ARRAY (abstracts))
    json_object_set_member (payload, "abstractList", node_deep_copy (abstracts));
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
  /* No documented wire source for these three; the SDK's defaults. */
  json_object_set_string_member (payload, "pbDownloadKey", "");
  json_object_set_int_member (payload, "version", 0);
  json_object_set_boolean_member (payload, "layersOverLimit", FALSE);
}

static gboolean
relay_from_payload (JsonObject *payload, JsonObject *content, GError **error)
{
  JsonNode *abstracts = json_object_get_member (payload, "abstractList");
  JsonNode *list = json_object_get_member (payload, "messageList");
  const char *key = tim_json_get_string (payload, "downloadKey");

  fields_from_payload (relay_fields, payload, content);
  if (abstracts != NULL && !JSON_NODE_HOLDS_NULL (abstracts))
    json_object_set_member (content, "AbstractList", node_deep_copy (abstracts));

  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
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
            return invalid (error, "payload", "messageList", "must be an array of objects");
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
                return invalid (error, "payload", "messageList", "messageBody item not an object");
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
    return invalid (error, "payload", "messageList", "must be an array");

  if (key != NULL && *key != '\0')
    json_object_set_string_member (content, "JsonMsgKey", key);
  return TRUE;
}

/* ---- group tips and system notices (receive only) ---- */

typedef struct
{
  const char *wire;
  const char *payload;
} Rename;

/* Copies every member of @src into @dst: renamed per @renames (NULL payload name = dropped),
 * camelCased otherwise. */
static void
copy_renamed (JsonObject *src, JsonObject *dst, const Rename *renames)
{
  g_autoptr (GList) members = json_object_get_members (src);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const Rename *r = renames;
      g_autofree char *camel = NULL;

      while (r != NULL && r->wire != NULL && strcmp (r->wire, key) != 0)
        r++;
      if (r != NULL && r->wire != NULL)
        {
          if (r->payload != NULL)
            json_object_set_member (dst, r->payload,
                                    node_deep_copy (json_object_get_member (src, key)));
          continue;
        }
      camel = camel_case (key);
      json_object_set_member (dst, camel, node_deep_copy (json_object_get_member (src, key)));
    }
}

static const Rename member_renames[] = {
  { "UserId", "userID" },
  { "NickName", "nick" },
  { "ImageUrl", "avatar" },
  { NULL },
};

static JsonObject *
group_profile (JsonObject *content, const char *name_key)
{
  JsonNode *node = json_object_get_member (content, "GroupInfo");
  JsonObject *info, *profile;
  const char *wire[] = { "GroupId", "GroupName", "From_Account", "To_Account" };
  const char *payload[] = { "groupID", name_key, "from", "to" };

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  info = json_node_get_object (node);
  profile = json_object_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (wire); i++)
    if (obj_has (info, wire[i]))
      json_object_set_member (profile, payload[i],
                              node_deep_copy (json_object_get_member (info, wire[i])));
  return profile;
}

static gboolean
truthy (JsonNode *node)
{
  gint64 i;
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (node_get_int (node, &i))
    return i != 0;
  s = json_node_get_string (node);
  return s != NULL && (g_ascii_strcasecmp (s, "On") == 0 || g_ascii_strcasecmp (s, "true") == 0);
}

static void
group_tip_to_payload (JsonObject *content, JsonObject *payload)
{
  static const Rename renames[] = {
    { "OpType", NULL },           { "Operator_Account", NULL },
    { "List_Account", NULL },     { "MsgMemberExtraInfo", NULL },
    { "MemberNum", NULL },        { "MsgGroupNewInfo", NULL },
    { "GroupInfo", NULL },        { "OperatorInfo", NULL },
    { "RemarkInfo", NULL },       { "MemberExtraInfo", NULL },
    { "OnlineMemberInfo", NULL }, { NULL },
  };
  const char *op = tim_json_get_string (content, "Operator_Account");
  JsonNode *list = json_object_get_member (content, "List_Account");
  JsonNode *members = json_object_get_member (content, "MsgMemberExtraInfo");
  JsonNode *info = json_object_get_member (content, "MsgGroupNewInfo");
  JsonArray *member_list = json_array_new ();
  JsonObject *profile;

  copy_renamed (content, payload, renames);
  json_object_set_int_member (payload, "operationType", obj_get_int0 (content, "OpType"));
  json_object_set_string_member (payload, "operatorID", op != NULL ? op : "");
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    json_object_set_member (payload, "userIDList", node_deep_copy (list));
  else
    {
      JsonArray *ids = json_array_new ();

      json_array_add_string_element (ids, op != NULL ? op : "");
      json_object_set_array_member (payload, "userIDList", ids);
    }

  for (guint i = 0; members != NULL && JSON_NODE_HOLDS_ARRAY (members) &&
                    i < json_array_get_length (json_node_get_array (members));
       i++)
    {
      JsonNode *m = json_array_get_element (json_node_get_array (members), i);
      JsonObject *member;

      if (!JSON_NODE_HOLDS_OBJECT (m))
        continue;
      member = json_object_new ();
      copy_renamed (json_node_get_object (m), member, member_renames);
      json_array_add_object_element (member_list, member);
    }
  json_object_set_array_member (payload, "memberList", member_list);

  if (obj_has (content, "MemberNum"))
    {
      json_object_set_int_member (payload, "memberNum", obj_get_int0 (content, "MemberNum"));
      json_object_set_int_member (payload, "memberCount", obj_get_int0 (content, "MemberNum"));
    }
  if (info != NULL && JSON_NODE_HOLDS_OBJECT (info))
    {
      JsonObject *profile_new = json_object_new ();

      copy_renamed (json_node_get_object (info), profile_new, NULL);
      if (json_object_has_member (profile_new, "muteAllMembers"))
        json_object_set_boolean_member (
            profile_new, "muteAllMembers",
            truthy (json_object_get_member (profile_new, "muteAllMembers")));
      json_object_set_object_member (payload, "newGroupProfile", profile_new);
    }
  if ((profile = group_profile (content, "groupName")) != NULL)
    json_object_set_object_member (payload, "groupProfile", profile);
}

static void
group_notice_to_payload (JsonObject *content, JsonObject *payload)
{
  static const Rename renames[] = {
    { "ReportType", NULL },
    { "Operator_Account", NULL },
    { "RemarkInfo", NULL },
    { "MsgKey", NULL },
    { "Authentication", NULL },
    { "UserDefinedField", NULL },
    { "UDF", NULL },
    { "GroupInfo", NULL },
    { "MemberInfoList", NULL },
    { NULL },
  };
  static const Field strings[] = {
    { "Operator_Account", "operatorID", K_STR, 0 },
    { "RemarkInfo", "handleMessage", K_STR, 0 },
    { "MsgKey", "messageKey", K_STR, 0 },
    { "Authentication", "authentication", K_STR, 0 },
    { NULL },
  };
  const char *udf = tim_json_get_string (content, "UserDefinedField");
  JsonObject *profile;

  copy_renamed (content, payload, renames);
  json_object_set_int_member (payload, "operationType", obj_get_int0 (content, "ReportType"));
  fields_to_payload (strings, content, payload);
  if (udf == NULL)
    udf = tim_json_get_string (content, "UDF");
  json_object_set_string_member (payload, "userDefinedField", udf != NULL ? udf : "");
  if ((profile = group_profile (content, "name")) != NULL)
    json_object_set_object_member (payload, "groupProfile", profile);
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
      relay_to_payload (content, payload);
      break;
    case TIM_ELEM_GROUP_TIP:
      group_tip_to_payload (content, payload);
      break;
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
      group_notice_to_payload (content, payload);
      break;
    case TIM_ELEM_UNKNOWN:
      {
        g_autoptr (JsonNode) copy = node_deep_copy (content_node);

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
      fields = fields_for_type (type);
      fields_to_payload (fields, content, payload);
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
        json_object_set_member (payload, snap[i][0],
                                node_deep_copy (json_object_get_member (payload, snap[i][1])));
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
      if (!relay_from_payload (payload, content, error))
        return NULL;
      break;
    case TIM_ELEM_SOUND:
    case TIM_ELEM_VIDEO:
      {
        const char *remote = type == TIM_ELEM_SOUND ? "remoteAudioUrl" : "remoteVideoUrl";
        const char *local = type == TIM_ELEM_SOUND ? "url" : "videoUrl";
        const char *wire_key = type == TIM_ELEM_SOUND ? "Url" : "VideoUrl";

        fields_from_payload (fields_for_type (type), payload, content);
        /* remote*Url is the original; the download url only stands in when it is missing. */
        if (!obj_has (payload, remote) && tim_json_get_string (payload, local) != NULL)
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
                    node_deep_copy (json_object_get_member (content, snap[i][1])));
          }
        break;
      }
    case TIM_ELEM_TEXT:
    case TIM_ELEM_FILE:
    case TIM_ELEM_FACE:
    case TIM_ELEM_LOCATION:
    case TIM_ELEM_CUSTOM:
    default:
      fields_from_payload (fields_for_type (type), payload, content);
      break;
    }

  if (!validate_content (type, content, where, error))
    return NULL;
  /* Creating a text message with an empty string is refused by the SDK. */
  if (type == TIM_ELEM_TEXT && *tim_json_get_string (content, "Text") == '\0')
    {
      invalid (error, where, "Text", "must not be empty");
      return NULL;
    }

  wire = json_object_new ();
  json_object_set_string_member (wire, "MsgType", tim_elem_type_to_string (type));
  json_object_set_object_member (wire, "MsgContent", g_steal_pointer (&content));
  return wire;
}
