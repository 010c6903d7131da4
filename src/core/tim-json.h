/* tim-json.h: lenient, typed access to JSON objects as the vendor's peers send them. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Returns the member if it is a string, else NULL. */
const char *tim_json_get_string (JsonObject *object, const char *member);
/* Returns TRUE and sets *out if the member is an integer, or a string of decimal digits
 * (the vendor's peers send some numbers as strings). */
gboolean tim_json_get_int (JsonObject *object, const char *member, gint64 *out);
gint64 tim_json_get_int_or (JsonObject *object, const char *member, gint64 fallback);
/* As tim_json_get_int (), for a member the vendor's API types as a number: only a JSON number that
 * is a whole number, not "12" nor true (the REST API's checks, where the vendor refuses both). */
gboolean tim_json_get_number_int (JsonObject *object, const char *member, gint64 *out);
JsonObject *tim_json_get_object (JsonObject *object, const char *member);
JsonArray *tim_json_get_array (JsonObject *object, const char *member);
/* Element i of array if it is an object / a string, else NULL (never a critical). */
JsonObject *tim_json_array_get_object (JsonArray *array, guint index);
/* How every list of entries from the network is walked: the next element from *index on that is
 * an object (*index then just past it), or NULL at the end (array NULL: none). What is not an
 * object (a number, a string, null: another server's or a later version's entry) is skipped with
 * a debug message, so that one such entry costs only itself:
 *   for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;) */
JsonObject *tim_json_array_next_object (JsonArray *array, guint *index);
const char *tim_json_array_get_string (JsonArray *array, guint index);
/* (transfer full) the strings of array (NULL: none) in order, skipping what is not a string;
 * never NULL. */
GStrv tim_json_array_dup_strings (JsonArray *array);
/* (transfer full) an array of strings (NULL: none). */
JsonArray *tim_json_array_new_strings (const char *const *strings);
/* First present string member among the NULL-terminated names (legacy and current spellings). */
const char *tim_json_get_string_any (JsonObject *object, ...) G_GNUC_NULL_TERMINATED;
/* Sets member to value, unless value is NULL (an optional field left out). */
void tim_json_set_string_if (JsonObject *object, const char *member, const char *value);

/* Any JSON value, sealed (as an immutable JsonParser leaves it); length -1: NUL-terminated. Strict
 * JSON goes through the fast reader (tim-json-reader.c), the rest through json-glib, so what is
 * accepted and how it reads is what json-glib does, but for the few things json-glib 1.6 gets
 * wrong (tim-json-fallback.c). An empty document is an error here. */
JsonNode *tim_json_parse (const char *data, gssize length, GError **error);
JsonObject *tim_json_parse_object (const char *data, gssize length, GError **error);

typedef enum
{
  TIM_JSON_PARSE_DEFAULT = 0,
  /* Only strict JSON (RFC 8259), as the vendor's REST API takes it: no comments, no single
   * quotes. */
  TIM_JSON_PARSE_STRICT = 1 << 0,
  /* A string holding U+0000 ("\u0000", or json-glib's octal "\0") is an error. By default it
   * is read cut short there, as json-glib reads it (a JsonNode's string ends at its first NUL):
   * what a server is asked to store and relay must arrive whole or be refused, while a client
   * rather shows what it can of a frame than drop it. */
  TIM_JSON_PARSE_REFUSE_NUL = 1 << 1,
} TimJsonParseFlags;

/* tim_json_parse_object () read as flags say (errors are TIM_ERROR_JSON_PARSE). */
JsonObject *tim_json_parse_object_full (const char *data, gssize length, TimJsonParseFlags flags,
                                        GError **error);
/* Compact text, the same bytes JsonGenerator writes (tim-json-writer.c). */
char *tim_json_to_string (JsonObject *object, gsize *length);
char *tim_json_node_to_string (JsonNode *node, gsize *length);
JsonNode *tim_json_node_from_object (JsonObject *object);
/* Every string and member name of the tree is UTF-8 (what a tree built in code, not parsed, need
 * not be: a frame holding such text is no JSON). */
gboolean tim_json_node_is_utf8 (JsonNode *node);
JsonObject *tim_json_object_copy (JsonObject *object);

G_END_DECLS
