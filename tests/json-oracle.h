/* json-oracle.h: json-glib's own reading and writing, and a strict comparison of trees. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Same tree: node kinds, value types (int vs double vs string), member order, values, doubles
 * bit for bit. */
gboolean json_oracle_nodes_equal (JsonNode *a, JsonNode *b);
/* What json-glib's immutable parser makes of text: NULL if it fails (or the text is empty). */
JsonNode *json_oracle_parse (const char *text, gsize length);
/* What JsonGenerator writes of node (compact), without the ".0" it puts after an exponent
 * ("1e+22.0"), which is not JSON and which our writer leaves out. */
char *json_oracle_write (JsonNode *node);
/* Every string and member name of the tree is UTF-8 (read from what JsonGenerator writes). */
gboolean json_oracle_tree_is_utf8 (JsonNode *node);

G_END_DECLS
