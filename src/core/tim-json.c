/* tim-json.c: lenient, typed JSON access shared by every layer. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tim-error.h"
#include "tim-json-fallback.h"
#include "tim-json-reader.h"
#include "tim-json-writer.h"
#include "tim-json.h"

static JsonNode *
member_node (JsonObject *object, const char *member)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, member);
}

const char *
tim_json_get_string (JsonObject *object, const char *member)
{
  JsonNode *node = member_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
tim_json_get_string_any (JsonObject *object, ...)
{
  va_list args;
  const char *name;
  const char *found = NULL;

  va_start (args, object);
  while (found == NULL && (name = va_arg (args, const char *)) != NULL)
    found = tim_json_get_string (object, name);
  va_end (args);
  return found;
}

void
tim_json_set_string_if (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
}

gboolean
tim_json_get_int (JsonObject *object, const char *member, gint64 *out)
{
  JsonNode *node = member_node (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* Converting a double outside [-2^63, 2^63) (1e300, -inf) is undefined behaviour: on x86
       * it happened to give G_MININT64, which the test below refused; elsewhere 2^63 read as
       * G_MAXINT64. NaN fails the range test too. */
      if (!(d >= -0x1p63 && d < 0x1p63))
        return FALSE;
      if (d != (double) (gint64) d)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    }
  if (type == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      char *end = NULL;
      gint64 v;

      if (s == NULL || *s == '\0')
        return FALSE;
      v = g_ascii_strtoll (s, &end, 10);
      if (end == NULL || *end != '\0')
        return FALSE;
      *out = v;
      return TRUE;
    }
  return FALSE;
}

gint64
tim_json_get_int_or (JsonObject *object, const char *member, gint64 fallback)
{
  gint64 v;

  return tim_json_get_int (object, member, &v) ? v : fallback;
}

gboolean
tim_json_get_number_int (JsonObject *object, const char *member, gint64 *out)
{
  JsonNode *node = member_node (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE) && tim_json_get_int (object, member, out);
}

JsonObject *
tim_json_get_object (JsonObject *object, const char *member)
{
  JsonNode *node = member_node (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
tim_json_get_array (JsonObject *object, const char *member)
{
  JsonNode *node = member_node (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
tim_json_array_get_object (JsonArray *array, guint index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
tim_json_array_next_object (JsonArray *array, guint *index)
{
  guint length = array != NULL ? json_array_get_length (array) : 0;

  for (; *index < length; (*index)++)
    {
      JsonNode *node = json_array_get_element (array, *index);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          (*index)++;
          return json_node_get_object (node);
        }
      g_debug ("Skipped entry %u of a list: %s, not an object", *index, json_node_type_name (node));
    }
  return NULL;
}

const char *
tim_json_array_get_string (JsonArray *array, guint index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

GStrv
tim_json_array_dup_strings (JsonArray *array)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (tim_json_array_get_string (array, i) != NULL)
      g_strv_builder_add (builder, tim_json_array_get_string (array, i));
  return g_strv_builder_end (builder);
}

JsonArray *
tim_json_array_new_strings (const char *const *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    json_array_add_string_element (array, strings[i]);
  return array;
}

static JsonNode *
parse_node (const char *data, gssize length, TimJsonParseFlags flags, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gsize n = length < 0 ? strlen (data) : (gsize) length;
  gboolean refuse_nul = (flags & TIM_JSON_PARSE_REFUSE_NUL) != 0;
  JsonNode *root = tim_json_reader_parse_full (
      data, n, refuse_nul ? TIM_JSON_READER_REFUSE_NUL : TIM_JSON_READER_DEFAULT, &local_error);

  if (root != NULL)
    {
      /* Sealed, as json_parser_new_immutable() leaves it: nobody changes a request in place. */
      json_node_seal (root);
      return root;
    }
  /* Refused outright: json-glib would overflow its stack, or take its quadratic time, or (NUL)
   * read the string cut short. */
  if ((flags & TIM_JSON_PARSE_STRICT) != 0 ||
      g_error_matches (local_error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_DEPTH) ||
      g_error_matches (local_error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_MEMBERS) ||
      g_error_matches (local_error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_NUL))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "Invalid JSON: %s",
                   local_error->message);
      return NULL;
    }
  return _tim_json_parse_with_json_glib (data, n, refuse_nul, error);
}

JsonNode *
tim_json_parse (const char *data, gssize length, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  JsonNode *root = parse_node (data, length, TIM_JSON_PARSE_DEFAULT, &local_error);

  if (root == NULL && local_error == NULL)
    g_set_error_literal (&local_error, TIM_ERROR, TIM_ERROR_JSON_PARSE,
                         "The JSON document is empty");
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return root;
}

JsonObject *
tim_json_parse_object_full (const char *data, gssize length, TimJsonParseFlags flags,
                            GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) root = parse_node (data, length, flags, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE,
                           "The JSON document is not an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

JsonObject *
tim_json_parse_object (const char *data, gssize length, GError **error)
{
  return tim_json_parse_object_full (data, length, TIM_JSON_PARSE_DEFAULT, error);
}

gboolean
tim_json_node_is_utf8 (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_utf8_validate (name, -1, NULL) || !tim_json_node_is_utf8 (member))
          return FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!tim_json_node_is_utf8 (json_array_get_element (array, i)))
          return FALSE;
      return TRUE;
    }
  return !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
         g_utf8_validate (json_node_get_string (node), -1, NULL);
}

JsonNode *
tim_json_node_from_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return node;
}

char *
tim_json_to_string (JsonObject *object, gsize *length)
{
  g_autoptr (JsonNode) node = tim_json_node_from_object (object);

  return tim_json_writer_to_string (node, length);
}

char *
tim_json_node_to_string (JsonNode *node, gsize *length)
{
  return tim_json_writer_to_string (node, length);
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, tim_json_object_copy (json_node_get_object (node)));
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (array_copy, deep_copy_node (json_array_get_element (array, i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, array_copy);
      return copy;
    }
  return json_node_copy (node);
}

/* A deep copy, members in their order: json_node_copy() shares nested objects, so changing a copy
 * would change both. */
JsonObject *
tim_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (copy, name, deep_copy_node (node));
  return copy;
}
