/* json-oracle.c: json-glib as the oracle the strict reader and writer are checked against
 * (tests/test-json.c, and the fuzzing harness tests/fuzz/fuzz-core.c). */
#include "config.h"

#include <string.h>

#include "json-oracle.h"

gboolean
json_oracle_nodes_equal (JsonNode *a, JsonNode *b)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter ia, ib;
        const char *na, *nb;
        JsonNode *ma, *mb;

        json_object_iter_init_ordered (&ia, json_node_get_object (a));
        json_object_iter_init_ordered (&ib, json_node_get_object (b));
        for (;;)
          {
            gboolean more_a = json_object_iter_next_ordered (&ia, &na, &ma);
            gboolean more_b = json_object_iter_next_ordered (&ib, &nb, &mb);

            if (more_a != more_b)
              return FALSE;
            if (!more_a)
              return TRUE;
            if (!g_str_equal (na, nb) || !json_oracle_nodes_equal (ma, mb))
              return FALSE;
          }
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (x); i++)
          if (!json_oracle_nodes_equal (json_array_get_element (x, i),
                                        json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (json_node_get_value_type (a) == G_TYPE_DOUBLE)
        {
          double x = json_node_get_double (a), y = json_node_get_double (b);
          return memcmp (&x, &y, sizeof x) == 0;
        }
      return json_node_equal (a, b);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

JsonNode *
json_oracle_parse (const char *text, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, text, (gssize) length, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

char *
json_oracle_write (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  char *text;
  char *out;
  gboolean in_string = FALSE;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  /* The ".0" JsonGenerator puts after an exponent ("1e+22.0", not JSON) goes, as our writer
   * leaves it out (tim-json-writer.h); outside strings only. */
  out = text;
  for (const char *p = text; *p != '\0'; p++)
    {
      *out++ = *p;
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            *out++ = *++p;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      else if ((*p == 'e' || *p == 'E') && p > text && g_ascii_isdigit (p[-1]))
        {
          const char *q = p + 1;

          if (*q == '+' || *q == '-')
            q++;
          while (g_ascii_isdigit (*q))
            q++;
          while (++p < q)
            *out++ = *p;
          p--;
          if (q[0] == '.' && q[1] == '0' && !g_ascii_isdigit (q[2]))
            p += 2;
        }
    }
  *out = '\0';
  return text;
}

gboolean
json_oracle_tree_is_utf8 (JsonNode *node)
{
  g_autofree char *text = json_oracle_write (node);

  return g_utf8_validate (text, -1, NULL);
}
