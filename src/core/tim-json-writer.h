/* tim-json-writer.h: compact JSON text from json-glib trees, byte for byte what JsonGenerator
 * writes, without a GObject per call, but for a double printed with an exponent: JsonGenerator
 * writes "1e+22.0", which is not JSON, this writer "1e+22". */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Appends node as JsonGenerator (not pretty) would write it (but for the exponent, above). */
void tim_json_writer_append (GString *out, JsonNode *node);
/* A string (quoted and escaped) / an integer, as JsonGenerator writes them: for callers that
 * write a known shape straight to text instead of building a tree first. */
void tim_json_writer_append_string (GString *out, const char *text);
void tim_json_writer_append_int (GString *out, gint64 value);
/* Whether text written by this writer (or JsonGenerator) is strict JSON: the forms of non-finite
 * doubles ("inf.0") are not, nor JsonGenerator's of doubles printed with an exponent
 * ("1e+22.0"), and json-glib cannot read them back. */
gboolean tim_json_writer_text_is_strict (const char *text);
/* The text of node; *length (if not NULL) is its length. */
char *tim_json_writer_to_string (JsonNode *node, gsize *length);

G_END_DECLS
