/* tim-json-writer.c: every reply and push is encoded here; JsonGenerator costs a GObject, a
 * copied member list per object and a GString per escaped string. The output must stay the same
 * bytes (tests/test-json.c compares the two), because the message size limits count them. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-json-writer.h"

void
tim_json_writer_append_string (GString *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;

      /* JsonGenerator leaves 0x1f raw (it tests c < 0x1f); so do we, for the same bytes. */
      if (c >= 0x1f && c != '"' && c != '\\' && c != 0x7f)
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          escape = "\\\"";
          break;
        case '\\':
          escape = "\\\\";
          break;
        case '\b':
          escape = "\\b";
          break;
        case '\f':
          escape = "\\f";
          break;
        case '\n':
          escape = "\\n";
          break;
        case '\r':
          escape = "\\r";
          break;
        case '\t':
          escape = "\\t";
          break;
        default:
          break;
        }
      if (escape != NULL)
        g_string_append (out, escape);
      else
        {
          /* Other control characters and DEL as \u00xx, lower-case, as JsonGenerator does. */
          char unit[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf], '\0' };
          g_string_append_len (out, unit, 6);
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
append_double (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE + 2];

  /* JsonGenerator's form, %.17g then ".0" when there is no '.', but for one case: after an
   * exponent ("1e+22") it adds ".0" too, which is not JSON. A location's longitude of 1e22 was
   * written so, the server closed the socket over it (1007), and the sender's outbox sent it
   * again for ever. */
  g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", value);
  if (strpbrk (buffer, ".eE") == NULL)
    strcat (buffer, ".0");
  g_string_append (out, buffer);
}

void
tim_json_writer_append_int (GString *out, gint64 value)
{
  char buffer[24];
  char *p = buffer + sizeof buffer;
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    *--p = (char) ('0' + magnitude % 10);
  while ((magnitude /= 10) != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, buffer + sizeof buffer - p);
}

static void
append_value (GString *out, JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    tim_json_writer_append_int (out, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    append_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (type == G_TYPE_STRING)
    tim_json_writer_append_string (
        out, json_node_get_string (node) != NULL ? json_node_get_string (node) : "");
  else
    g_string_append (out, "null");
}

void
tim_json_writer_append (GString *out, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        if (object != NULL)
          {
            /* Insertion order, as JsonGenerator writes members. */
            json_object_iter_init_ordered (&iter, object);
            while (json_object_iter_next_ordered (&iter, &name, &member))
              {
                if (!first)
                  g_string_append_c (out, ',');
                first = FALSE;
                tim_json_writer_append_string (out, name);
                g_string_append_c (out, ':');
                tim_json_writer_append (out, member);
              }
          }
        g_string_append_c (out, '}');
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = array != NULL ? json_array_get_length (array) : 0;

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            tim_json_writer_append (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_VALUE:
      append_value (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
tim_json_writer_to_string (JsonNode *node, gsize *length)
{
  GString *out = g_string_sized_new (256);

  tim_json_writer_append (out, node);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
tim_json_writer_text_is_strict (const char *text)
{
  gboolean in_string = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      /* Outside strings the only words are true, false and null. */
      else if (g_str_has_prefix (p, "inf") || g_str_has_prefix (p, "nan"))
        return FALSE;
      else if ((*p == 'e' || *p == 'E') && p > text && g_ascii_isdigit (p[-1]))
        {
          /* An exponent: "1e+22.0" is JsonGenerator's form of 1e22. */
          for (p++; *p == '+' || *p == '-' || g_ascii_isdigit (*p); p++)
            ;
          if (*p == '.')
            return FALSE;
          p--;
        }
    }
  return TRUE;
}
