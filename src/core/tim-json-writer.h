/* tim-json-writer.h: compact JSON text from json-glib trees, byte for byte what JsonGenerator
 * writes, without a GObject per call. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Appends node as JsonGenerator (not pretty) would write it. */
void tim_json_writer_append (GString *out, JsonNode *node);
/* The text of node; *length (if not NULL) is its length. */
char *tim_json_writer_to_string (JsonNode *node, gsize *length);

G_END_DECLS
