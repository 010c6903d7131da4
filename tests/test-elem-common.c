/* test-elem-common.c: what both of the elements' test programs (tests/test-elem-*.c) use: a JSON
 * text that has to parse. */
#define G_LOG_DOMAIN "test-elem-common"

#include "config.h"

#include "test-elem-common.h"

JsonNode *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}
