/* test-group-at.c: group @-mentions on the wire: GroupAtInfo both ways, its refusals, and what
 * one message's mentions are to each member. */
#define G_LOG_DOMAIN "test-group-at"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-group-at.h"
#include "tim-json.h"

static JsonArray *
parse_array (const char *text)
{
  g_autoptr (JsonNode) node = tim_json_parse (text, -1, NULL);

  g_assert_nonnull (node);
  return json_array_ref (json_node_get_array (node));
}

static void
test_round_trip (void)
{
  const char *const users[] = { "bob", TIM_AT_ALL, "carol", NULL };
  g_autoptr (JsonArray) info = tim_group_at_info_new (users);
  g_autoptr (JsonNode) node = json_node_init_array (json_node_alloc (), info);
  g_autofree char *text = tim_json_node_to_string (node, NULL);
  g_auto (GStrv) back = NULL;
  g_autoptr (GError) error = NULL;

  /* The shape createTextAtMessage sends (tim-sdk-facts.md §2). */
  g_assert_cmpstr (text, ==,
                   "[{\"GroupAtAllFlag\":0,\"GroupAt_Account\":\"bob\"},{\"GroupAtAllFlag\":1},"
                   "{\"GroupAtAllFlag\":0,\"GroupAt_Account\":\"carol\"}]");
  g_assert_true (tim_group_at_info_parse (info, &back, &error));
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char *const *) back, users));
  g_assert_null (tim_group_at_info_new (NULL));
}

static void
test_parse_refusals (void)
{
  const struct
  {
    const char *json;
    const char *says;
  } bad[] = {
    { "[1]", "GroupAtInfo[0]: not an object" },
    { "[{\"GroupAtAllFlag\":1},{\"GroupAtAllFlag\":2}]", "GroupAtInfo[1]: GroupAtAllFlag" },
    { "[{\"GroupAtAllFlag\":\"yes\"}]", "GroupAtInfo[0]: GroupAtAllFlag" },
    { "[{\"GroupAtAllFlag\":0}]", "GroupAtInfo[0]: GroupAt_Account is missing" },
    { "[{\"GroupAt_Account\":\"\"}]", "GroupAtInfo[0]: GroupAt_Account is missing" },
    { "[{\"GroupAt_Account\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]", "too long" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonArray) info = parse_array (bad[i].json);
      g_auto (GStrv) users = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_false (tim_group_at_info_parse (info, &users, &error));
      g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, bad[i].says));
      g_assert_null (users);
    }
}

static void
test_parse_limit_and_repeats (void)
{
  g_autoptr (GString) json = g_string_new ("[");
  g_autoptr (JsonArray) repeated =
      parse_array ("[{\"GroupAt_Account\":\"bob\"},{\"GroupAtAllFlag\":1},"
                   "{\"GroupAt_Account\":\"bob\"},{\"GroupAtAllFlag\":1}]");
  g_autoptr (JsonArray) too_many = NULL;
  g_autoptr (JsonArray) empty = parse_array ("[]");
  g_auto (GStrv) users = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_group_at_info_parse (repeated, &users, &error));
  g_assert_cmpuint (g_strv_length (users), ==, 2);
  g_assert_cmpstr (users[0], ==, "bob");
  g_assert_cmpstr (users[1], ==, TIM_AT_ALL);
  g_clear_pointer (&users, g_strfreev);

  g_assert_true (tim_group_at_info_parse (empty, &users, &error));
  g_assert_null (users);

  for (int i = 0; i <= TIM_MAX_AT_USERS; i++)
    g_string_append_printf (json, "%s{\"GroupAt_Account\":\"u%d\"}", i ? "," : "", i);
  g_string_append_c (json, ']');
  too_many = parse_array (json->str);
  g_assert_false (tim_group_at_info_parse (too_many, &users, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "at most 100"));
}

static void
test_type_for_member (void)
{
  const char *const bob_and_all[] = { "bob", TIM_AT_ALL, NULL };
  const char *const bob[] = { "bob", NULL };
  const char *const all[] = { TIM_AT_ALL, NULL };
  g_autoptr (JsonArray) both = tim_group_at_flag_list_new (TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL);
  g_autoptr (JsonArray) three = parse_array ("[3]");
  g_autoptr (JsonArray) junk = parse_array ("[\"1\", 8]");

  g_assert_cmpint (tim_group_at_type_for (bob_and_all, "bob"), ==,
                   TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL);
  g_assert_cmpint (tim_group_at_type_for (bob_and_all, "carol"), ==, TIM_GROUP_AT_ALL);
  g_assert_cmpint (tim_group_at_type_for (bob, "carol"), ==, TIM_GROUP_AT_NONE);
  g_assert_cmpint (tim_group_at_type_for (all, "bob"), ==, TIM_GROUP_AT_ALL);
  g_assert_cmpint (tim_group_at_type_for (NULL, "bob"), ==, TIM_GROUP_AT_NONE);

  /* AtFlagList both ways; 3 (CONV_AT_ALL_AT_ME) reads as both bits. */
  g_assert_cmpuint (json_array_get_length (both), ==, 2);
  g_assert_cmpint (json_array_get_int_element (both, 0), ==, 1);
  g_assert_cmpint (json_array_get_int_element (both, 1), ==, 2);
  g_assert_null (tim_group_at_flag_list_new (TIM_GROUP_AT_NONE));
  g_assert_cmpint (tim_group_at_type_from_flag_list (both), ==, TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL);
  g_assert_cmpint (tim_group_at_type_from_flag_list (three), ==,
                   TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL);
  g_assert_cmpint (tim_group_at_type_from_flag_list (junk), ==, TIM_GROUP_AT_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/group-at/round-trip", test_round_trip);
  g_test_add_func ("/group-at/parse-refusals", test_parse_refusals);
  g_test_add_func ("/group-at/limit-and-repeats", test_parse_limit_and_repeats);
  g_test_add_func ("/group-at/type-for-member", test_type_for_member);
  return g_test_run ();
}
