/* tim-json-reader.h: a strict JSON reader that builds json-glib trees without GScanner. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TIM_JSON_READER_ERROR (tim_json_reader_error_quark ())

typedef enum
{
  TIM_JSON_READER_ERROR_SYNTAX,  /* not strict JSON (RFC 8259), or not UTF-8 */
  TIM_JSON_READER_ERROR_DEPTH,   /* nested deeper than TIM_JSON_READER_MAX_DEPTH */
  TIM_JSON_READER_ERROR_MEMBERS, /* an object with more than TIM_JSON_READER_MAX_MEMBERS */
  TIM_JSON_READER_ERROR_NUL,     /* "\u0000" in a string, with TIM_JSON_READER_REFUSE_NUL */
} TimJsonReaderError;

typedef enum
{
  TIM_JSON_READER_DEFAULT = 0,
  /* A string escape "\u0000" is an error rather than the end of the string: a JsonNode's string
   * ends at its first NUL, so the text after it would be lost without a word (what json-glib
   * does, and tim_json_reader_parse () with it). */
  TIM_JSON_READER_REFUSE_NUL = 1 << 0,
} TimJsonReaderFlags;

/* Deep enough for any frame a peer sends (they nest < 10 levels); json-glib itself has no limit
 * and overflows the stack somewhere past 50,000 levels. */
#define TIM_JSON_READER_MAX_DEPTH 512
/* More members than any object a peer sends has (lists are arrays). json-glib looks a repeated
 * name up in its member list, so n repeats of one name cost n^2/2 string compares: a 256 KiB
 * frame of them held the main loop ~0.8 s. Capped, a frame's worst is a few ms. */
#define TIM_JSON_READER_MAX_MEMBERS 1024

GQuark tim_json_reader_error_quark (void);

/* Parses exactly one RFC 8259 value (surrounded by optional whitespace) from data[0..length)
 * into the tree json_parser_load_from_data() would build: integers without fraction or exponent
 * are G_TYPE_INT64 (wrapping past 64 bits the way json-glib's scanner does), every other number a
 * double, duplicate members keep their first position and the last value. Nothing is sealed. */
JsonNode *tim_json_reader_parse (const char *data, gsize length, GError **error);
/* The same, read as flags say. */
JsonNode *tim_json_reader_parse_full (const char *data, gsize length, TimJsonReaderFlags flags,
                                      GError **error);

/* An upper bound of the nesting of data[0..length) (brackets counted even inside strings). */
guint tim_json_reader_max_nesting (const char *data, gsize length);

G_END_DECLS
