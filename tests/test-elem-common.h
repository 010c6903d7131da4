/* test-elem-common.h: what both of the elements' test programs (tests/test-elem-*.c) use, kept
 * once in test-elem-common.c. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses json, which has to be valid JSON (asserted); the caller owns the node. */
JsonNode *parse (const char *json);

G_END_DECLS
