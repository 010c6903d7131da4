/* tim-json-fallback.h: private to tim-json.c; the json-glib half of tim_json_parse (). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What json-glib reads of data[0..length): the text the strict reader refuses. NULL without an
 * error for an empty document, as json-glib; NULL and a TIM_ERROR_JSON_PARSE error for text
 * json-glib refuses or must not be given (tim-json-fallback.c), and with refuse_nul for a string
 * escape it would read as U+0000 (TIM_JSON_PARSE_REFUSE_NUL). */
JsonNode *_tim_json_parse_with_json_glib (const char *data, gsize length, gboolean refuse_nul,
                                          GError **error);

G_END_DECLS
