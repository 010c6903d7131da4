/* tim-elem.c: message elements between the wire (MsgBody) and the application payload.
 *
 * Field names and mappings follow tim-sdk-facts.md §2.2/§2.3 and tim-rest-facts.md §2. The simple
 * element types are described by one field table each, which drives validation and both
 * directions of the conversion, so the three cannot drift apart. Images, merged messages and
 * the two group notifications have nested shapes and get their own code. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-elem.h"
#include "tim-elem-private.h"
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

/* ---- validation ---- */

gboolean
_tim_elem_invalid (GError **error, const char *where, const char *field, const char *problem)
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
            return _tim_elem_invalid (error, where, f->wire, "missing");
          continue;
        }

      switch (f->kind)
        {
        case K_STR:
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return _tim_elem_invalid (error, where, f->wire, "must be a string");
          break;
        case K_INT:
          if (!_tim_elem_node_get_int (node, &i))
            return _tim_elem_invalid (error, where, f->wire, "must be an integer");
          break;
        case K_NUM:
          if (!_tim_elem_node_get_double (node, &d))
            return _tim_elem_invalid (error, where, f->wire, "must be a number");
          break;
        case K_STR_ARRAY:
          if (!JSON_NODE_HOLDS_ARRAY (node) ||
              !array_all_of (json_node_get_array (node), JSON_NODE_VALUE, G_TYPE_STRING))
            return _tim_elem_invalid (error, where, f->wire, "must be an array of strings");
          break;
        case K_OBJ_ARRAY:
          if (!JSON_NODE_HOLDS_ARRAY (node) ||
              !array_all_of (json_node_get_array (node), JSON_NODE_OBJECT, G_TYPE_INVALID))
            return _tim_elem_invalid (error, where, f->wire, "must be an array of objects");
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
gboolean
_tim_elem_validate_content (TimElemType type, JsonObject *content, const char *where,
                            GError **error)
{
  const Field *fields = _tim_elem_fields_for_type (type);

  g_return_val_if_fail (fields != NULL, FALSE);

  if (!check_fields (content, fields, where, error))
    return FALSE;

  if (type == TIM_ELEM_IMAGE)
    {
      JsonArray *infos = json_object_get_array_member (content, "ImageInfoArray");
      guint n = json_array_get_length (infos);

      if (n == 0)
        return _tim_elem_invalid (error, where, "ImageInfoArray", "must not be empty");
      for (guint i = 0; i < n; i++)
        {
          JsonObject *info = tim_json_array_get_object (infos, i);
          g_autofree char *info_where = g_strdup_printf ("%s.ImageInfoArray[%u]", where, i);
          gint64 t;

          if (info == NULL)
            return _tim_elem_invalid (error, info_where, "", "must be an object");
          t = _tim_elem_obj_get_int0 (info, "Type");

          if (!check_fields (info, _tim_elem_image_info_fields, info_where, error))
            return FALSE;
          if (t < 1 || t > 3)
            return _tim_elem_invalid (error, info_where, "Type", "must be 1, 2 or 3");
        }
    }
  else if (type == TIM_ELEM_CUSTOM)
    {
      /* The SDK only sends custom elements with at least one non-empty field. */
      if (!nonempty_str (content, "Data") && !nonempty_str (content, "Desc") &&
          !nonempty_str (content, "Ext"))
        return _tim_elem_invalid (error, where, "Data", "Data, Desc or Ext must be non-empty");
    }
  else if (type == TIM_ELEM_RELAY)
    {
      if (!_tim_elem_obj_has (content, "MsgList") && !_tim_elem_obj_has (content, "JsonMsgKey"))
        return _tim_elem_invalid (error, where, "MsgList", "MsgList or JsonMsgKey is required");
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
      g_autofree char *written = tim_json_node_to_string (node, NULL);
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
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (msg_body != NULL, 0);

  json_node_set_array (root, msg_body);
  data = tim_json_node_to_string (root, &len);
  return len - double_excess (root);
}

gboolean
tim_msg_body_validate (JsonArray *msg_body, GError **error)
{
  return tim_msg_validate (msg_body, 0, error);
}

gboolean
tim_msg_validate (JsonArray *msg_body, gsize extra_bytes, GError **error)
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
        return _tim_elem_invalid (error, where, "MsgType",
                                  _tim_elem_obj_has (elem, "MsgType") ? "must be a string"
                                                                      : "missing");
      type = tim_elem_type_from_string (msg_type);
      if (type == TIM_ELEM_UNKNOWN)
        return _tim_elem_invalid (error, where, "MsgType", "unknown element type");
      if (!tim_elem_type_is_sendable (type))
        return _tim_elem_invalid (error, where, "MsgType",
                                  "this element type cannot be sent by a client");
      if (type == TIM_ELEM_CUSTOM && ++customs > 1)
        return _tim_elem_invalid (error, where, "MsgType", "at most one TIMCustomElem per message");

      content = json_object_get_member (elem, "MsgContent");
      if (content == NULL || JSON_NODE_HOLDS_NULL (content))
        return _tim_elem_invalid (error, where, "MsgContent", "missing");
      if (!JSON_NODE_HOLDS_OBJECT (content))
        return _tim_elem_invalid (error, where, "MsgContent", "must be an object");

      content_where = g_strconcat (where, ".MsgContent", NULL);
      if (!_tim_elem_validate_content (type, json_node_get_object (content), content_where, error))
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
  return tim_msg_size_validate (size, extra_bytes, error);
}

gboolean
tim_msg_size_validate (gsize body_bytes, gsize cloud_custom_data_bytes, GError **error)
{
  if (body_bytes + cloud_custom_data_bytes <= TIM_MAX_MSG_BODY_BYTES)
    return TRUE;
  g_set_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE,
               "MsgBody and CloudCustomData: %" G_GSIZE_FORMAT " bytes, at most %d allowed",
               body_bytes + cloud_custom_data_bytes, TIM_MAX_MSG_BODY_BYTES);
  return FALSE;
}

gboolean
tim_msg_offline_push_validate (const char *offline_push_json, GError **error)
{
  gsize size = offline_push_json != NULL ? strlen (offline_push_json) : 0;

  if (size <= TIM_MAX_OFFLINE_PUSH_BYTES)
    return TRUE;
  g_set_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE,
               "OfflinePushInfo: %" G_GSIZE_FORMAT " bytes, at most %d allowed", size,
               TIM_MAX_OFFLINE_PUSH_BYTES);
  return FALSE;
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
