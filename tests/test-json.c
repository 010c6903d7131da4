/* test-json.c: the fast JSON reader and writer (src/core/tim-json-reader.c, tim-json-writer.c)
 * build and write exactly what json-glib builds and writes. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tim-error.h"
#include "tim-json-reader.h"
#include "tim-json-writer.h"
#include "tim-json.h"
#include "json-oracle.h"

/* tim_json_parse agrees with json-glib on text: same tree, or both refuse it; but where json-glib
 * reads escapes as bytes that are not UTF-8, tim_json_parse refuses the text. */
static void
assert_same_as_json_glib (const char *text, gsize length)
{
  g_autoptr (JsonNode) expected = json_oracle_parse (text, length);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) got = tim_json_parse (text, (gssize) length, &error);

  if (expected == NULL || !json_oracle_tree_is_utf8 (expected))
    {
      g_assert_null (got);
      g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (got);
  if (!json_oracle_nodes_equal (expected, got))
    g_error ("%s: trees differ", text);
  g_assert_true (json_node_is_immutable (got));
}

/* Strict JSON: the fast reader itself (no json-glib fallback) builds json-glib's tree. */
static void
assert_reader_matches (const char *text)
{
  g_autoptr (JsonNode) expected = json_oracle_parse (text, strlen (text));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) got = tim_json_reader_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (expected);
  if (!json_oracle_nodes_equal (expected, got))
    g_error ("%s: trees differ", text);
}

static void
assert_reader_refuses (const char *text, gsize length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) got = tim_json_reader_parse (text, length, &error);

  g_assert_null (got);
  g_assert_error (error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_SYNTAX);
  /* ... and the public entry point still answers what json-glib answers. */
  assert_same_as_json_glib (text, length);
}

/* Refused by the reader and by tim_json_parse (), where json-glib reads the text wrong
 * (src/core/tim-json-fallback.c); json-glib itself is not asked: it may leak on it. */
static void
assert_refused (const char *text, gsize length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tim_json_reader_parse (text, length, &error);

  g_assert_null (node);
  g_assert_error (error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_SYNTAX);
  g_clear_error (&error);
  node = tim_json_parse (text, (gssize) length, &error);
  g_assert_null (node);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
}

static void
test_strings (void)
{
  const char *cases[] = {
    "\"\"",
    "\"plain ascii\"",
    "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
    "\"\\u00e9\\u4e2d\\uFFFF\"",
    "\"\\ud83d\\ude00 and \\uD83D\\uDE00\"", /* a surrogate pair, both cases */
    "\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"",
    "\"before\\u0000after\"", /* json-glib's copy stops at the NUL */
    "\"raw\ttab and\nnewline\"",
    "{\"na\\u006De\":\"v\",\"\":\"empty name\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_reader_matches (cases[i]);
  /* Outside strict JSON: refused by the reader, decided by json-glib. */
  assert_reader_refuses ("\"\\ud800\"", 8);  /* lone high surrogate */
  assert_refused ("\"\\udc00x\"", 9);        /* lone low: json-glib keeps it, not UTF-8 */
  assert_refused ("\"\\ud83d\\u0041\"", 14); /* malformed pair: json-glib leaks */
  assert_reader_refuses ("\"\\x\"", 4);      /* unknown escape */
  assert_reader_refuses ("\"\\u12\"", 6);    /* short \u */
  assert_reader_refuses ("\"unterminated", 13);
  assert_reader_refuses ("\"bad \xc3\x28 utf8\"", 14);
  assert_reader_refuses ("\"truncated \xe4\xb8\"", 14);
  assert_reader_refuses ("'single'", 8);
}

static void
test_numbers (void)
{
  const char *cases[] = {
    "0",
    "-0",
    "1",
    "-1",
    "42",
    "9223372036854775807",
    "-9223372036854775808",
    /* Past 64 bits json-glib wraps; the reader does the same. */
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1.0",
    "-1.5",
    "0.1",
    "1e5",
    "1E+2",
    "-1.5e-3",
    "2.25e10",
    "0.30000000000000004",
    "1.7976931348623157e308",
    "1.7976931348623157e309",
    "5e-324",
    "-1e-400",
    "123456789012345678901234567890.5",
    "3.0e0",
    "[1, -2, 3.5, 4e1, 0]",
    "1.00000000000000000000000000000000000000000000000000000000000000000000000000001",
  };
  g_autoptr (JsonNode) big = tim_json_reader_parse ("18446744073709551616", 20, NULL);
  g_autoptr (JsonNode) real = tim_json_reader_parse ("100.0", 5, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_reader_matches (cases[i]);
  g_assert_cmpint (json_node_get_int (big), ==, -1);
  g_assert_true (json_node_get_value_type (real) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (real), ==, 100.0);
  /* Forms json-glib reads and strict JSON does not: the reader refuses, json-glib decides. */
  assert_reader_refuses ("01", 2);
  assert_reader_refuses ("1.", 2);
  assert_reader_refuses (".5", 2);
  assert_reader_refuses ("0x10", 4);
  assert_reader_refuses ("+1", 2);
  assert_reader_refuses ("-", 1);
  assert_reader_refuses ("1e", 2);
  assert_reader_refuses ("1e+", 3);
}

static void
test_structure (void)
{
  const char *cases[] = {
    "{}",
    "[]",
    "[[[]]]",
    " \t\r\n{ \"a\" : [ 1 , { \"b\" : null } ] } \n",
    "true",
    "false",
    "null",
    "[true,false,null,\"x\",1,1.5,{},[]]",
    /* Duplicate members: the first position, the last value. */
    "{\"a\":1,\"b\":2,\"a\":{\"c\":3}}",
    "{\"head\":{\"ver\":\"v4\",\"servcmd\":\"openim.sendmsg\",\"seq\":7},\"body\":{\"To_Account\":"
    "\"bob\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi \\ud83d"
    "\\ude00\"}}],\"MsgRandom\":123,\"MsgSeq\":1}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_reader_matches (cases[i]);
  assert_reader_refuses ("[1,]", 4);
  assert_reader_refuses ("{\"a\":1,}", 8);
  assert_reader_refuses ("[1 2]", 5);
  assert_reader_refuses ("{a:1}", 5);
  assert_reader_refuses ("{\"a\" 1}", 7);
  assert_reader_refuses ("{} x", 4);
  assert_reader_refuses ("/*c*/{}", 7);
  assert_reader_refuses ("tRUE", 4);
  assert_reader_refuses ("nul", 3);
  assert_reader_refuses ("", 0);
  assert_reader_refuses ("   ", 3);
  assert_reader_refuses ("[\"a\"\0]", 6); /* a NUL byte outside a string */
}

static void
test_depth (void)
{
  g_autoptr (GString) ok = g_string_new (NULL);
  g_autoptr (GString) deep = g_string_new (NULL);
  /* Not strict JSON (a comment), so it goes to json-glib, which skips the comment and would
   * recurse into every '[' (a leading quote would not do: json-glib stops at once). */
  g_autoptr (GString) garbage = g_string_new ("/*c*/");
  g_autoptr (GString) siblings = g_string_new ("/*c*/[");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;

  for (int i = 0; i < TIM_JSON_READER_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (int i = 0; i < TIM_JSON_READER_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  node = tim_json_reader_parse (ok->str, ok->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  /* One more level is refused, and so is nesting json-glib itself would overflow the stack on
   * (it has no limit), even when the text is not strict JSON and would go to json-glib. */
  g_string_prepend_c (ok, '[');
  g_string_append_c (ok, ']');
  g_clear_pointer (&node, json_node_unref);
  node = tim_json_reader_parse (ok->str, ok->len, &error);
  g_assert_null (node);
  g_assert_error (error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_DEPTH);
  g_clear_error (&error);
  for (int i = 0; i < 200000; i++)
    g_string_append (deep, "{\"a\":[");
  node = tim_json_parse (deep->str, (gssize) deep->len, &error);
  g_assert_null (node);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
  g_clear_error (&error);
  for (int i = 0; i < 200000; i++)
    g_string_append_c (garbage, '[');
  node = tim_json_parse (garbage->str, (gssize) garbage->len, &error);
  g_assert_null (node);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);

  /* The bound is the nesting, not more: MAX (max, ++depth) once stepped twice whenever a level
   * reached the maximum so far, so 300 sibling arrays in text that is not strict JSON were
   * "nested deeper than 512 levels" (found with tests/fuzz/fuzz-core.c). */
  g_assert_cmpuint (tim_json_reader_max_nesting ("[[[]]] [[]]", 11), ==, 3);
  g_assert_cmpuint (tim_json_reader_max_nesting ("[{\"a\":\"]\"}]", 11), ==, 2);
  for (int i = 0; i < 1000; i++)
    g_string_append (siblings, "[{}],");
  g_string_append (siblings, "[]]");
  g_assert_cmpuint (tim_json_reader_max_nesting (siblings->str, siblings->len), ==, 3);
  assert_same_as_json_glib (siblings->str, siblings->len);
  g_clear_pointer (&node, json_node_unref);
  g_clear_error (&error);
  node = tim_json_parse (siblings->str, (gssize) siblings->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1001);
}

/* Every prefix and thousands of one-byte mutations of a real frame: no crash, and the same answer
 * as json-glib (the strict reader or the fallback). */
/* An object has at most TIM_JSON_READER_MAX_MEMBERS members, strict or not: json-glib looks each
 * repeated name up in a list, and a 256 KiB frame of one name repeated held the server ~0.8 s. */
static void
test_members (void)
{
  g_autoptr (GString) ok = g_string_new ("{");
  g_autoptr (GString) repeated = g_string_new ("{");
  g_autoptr (GString) lenient = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;

  for (int i = 0; i < TIM_JSON_READER_MAX_MEMBERS; i++)
    g_string_append_printf (ok, "%s\"m%d\":%d", i > 0 ? "," : "", i, i);
  g_string_append_c (ok, '}');
  node = tim_json_parse (ok->str, (gssize) ok->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (node)), ==,
                    TIM_JSON_READER_MAX_MEMBERS);
  g_clear_pointer (&node, json_node_unref);

  /* One more, even all of one name (which makes one member), is refused by the strict reader,
   * and not handed to json-glib. */
  for (int i = 0; i <= TIM_JSON_READER_MAX_MEMBERS; i++)
    g_string_append (repeated, i > 0 ? ",\"a\":1" : "\"a\":1");
  g_string_append_c (repeated, '}');
  node = tim_json_reader_parse (repeated->str, repeated->len, &error);
  g_assert_null (node);
  g_assert_error (error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_MEMBERS);
  g_clear_error (&error);
  node = tim_json_parse (repeated->str, (gssize) repeated->len, &error);
  g_assert_null (node);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
  g_clear_error (&error);

  /* Not strict (a comment): json-glib's path counts them too, colons in strings aside. */
  lenient = g_string_new ("/*c*/{\"x\":\"a:b:c\"");
  for (int i = 0; i < TIM_JSON_READER_MAX_MEMBERS - 1; i++)
    g_string_append (lenient, ",\"a\":[{\"b\":1}]");
  g_string_append_c (lenient, '}');
  node = tim_json_parse (lenient->str, (gssize) lenient->len, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_string_truncate (lenient, lenient->len - 1);
  g_string_append (lenient, ",\"a\":1}");
  node = tim_json_parse (lenient->str, (gssize) lenient->len, &error);
  g_assert_null (node);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
}

static void
test_malformed (void)
{
  const char *frame =
      "{\"head\":{\"ver\":\"v4\",\"servcmd\":\"openim.sendmsg\",\"seq\":-7,\"x\":[1.5e3,true,"
      "null,false]},\"body\":{\"To_Account\":\"b\\u00f6b\",\"MsgBody\":[{\"MsgType\":"
      "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"h\\\"i\\ud83d\\ude00\xe4\xb8\xad\"}}],"
      "\"MsgRandom\":18446744073709551617,\"MsgSeq\":0}}";
  gsize length = strlen (frame);
  const char bytes[] = "{}[]\",:\\0123456789.eE+-tfnu \x80\xc3\xff\x01\t\n\x1f";
  GRand *rand = g_rand_new_with_seed (20261126);

  assert_reader_matches (frame);
  for (gsize n = 0; n < length; n++)
    assert_same_as_json_glib (frame, n);
  for (int round = 0; round < 20000; round++)
    {
      g_autofree char *text = g_strdup (frame);
      int edits = g_rand_int_range (rand, 1, 4);

      for (int e = 0; e < edits; e++)
        text[g_rand_int_range (rand, 0, (gint32) length)] =
            bytes[g_rand_int_range (rand, 0, sizeof bytes - 1)];
      assert_same_as_json_glib (text, length);
    }
  g_rand_free (rand);
}

/* json-glib 1.6 reads "{}{}" or "1 []" as the first value and leaks the trees after it; such
 * text is refused before json-glib sees it (found by tests/fuzz/fuzz-core.c). Everything else
 * json-glib reads around its extensions still reads as before. */
static void
test_second_document (void)
{
  const char *refused[] = {
    "{}{}",
    "[1][2]",
    "{\"a\":1} {\"b\":2}",
    "1 {}",
    "\"a\" []",
    "null {\"a\":1}",
    "var x = 1; {}",
    "var x = {} {}",
    "[] var x = {}",
    "{'a':1}[]",
    "{\"a\":\"}\\\"{\"}[]", /* brackets and an escaped quote inside the string */
    "/ x / {} / y / []",    /* json-glib's comments run from a '/' to the next '/' */
    "\xef\xbb\xbf{}{}",
  };
  const char *same[] = {
    "var x = {};",    "var x-y = [1];", "{} / { /",
    "{\"a\":\"{\"} ", "{'a':'}{'}",     "\xef\xbb\xbf{\"a\":1}",
    "{}; {}",         "{},{}",          "1 2",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused (refused[i], strlen (refused[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    assert_same_as_json_glib (same[i], strlen (same[i]));
}

/* json-glib 1.6 leaks the string it has read on a malformed surrogate pair, and reads lone
 * surrogates and octal escapes as bytes that are not UTF-8 (the server would relay them in frames
 * nobody's parser accepts): all refused (found by tests/fuzz/fuzz-core.c). */
static void
test_surrogates (void)
{
  const char *refused[] = {
    "\"\\ud800x\"",       "\"\\udc00\"x",     "\"\\ud83d\\ud83d\"",       "\"\\ud83d\\u12\"",
    "\"\\udc00\\udc00\"", "{\"\\udc00x\":1}", "['x',\"\\ud83d\\u0041\"]", "\"\\351\"",
    "\"\\ud83\\u0041\"", /* json-glib reads "d83\\" as 0xd830 */
  };
  const char *same[] = {
    "['\\ud83d\\u0041']", /* no escapes in single quotes */
    "/c/\"\\ud83d\\ude00\"", "\"\\101\\uzzzz\"",
    "\"\\ud83d\\ude0\"", /* the quote ends the second unit: unterminated */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused (refused[i], strlen (refused[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    assert_same_as_json_glib (same[i], strlen (same[i]));
}

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* Every object and array of a parsed tree is freed with it (json_node_init_object () takes a
 * reference of its own; the reader once leaked every container that way, ~11 KB a frame). */
static void
test_no_leak (void)
{
  const char *frame =
      "{\"head\":{\"ver\":\"v4\",\"servcmd\":\"openim.sendmsg\",\"seq\":7},\"body\":{\"To_"
      "Account\":"
      "\"bob\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}],"
      "\"OfflinePushInfo\":{\"ApnsInfo\":{\"BadgeMode\":0}},\"SendMsgControl\":[[],[1]]}}";
  gsize before;

  if (rss_kib () == 0)
    {
      g_test_skip ("no /proc/self/status");
      return;
    }
  for (int i = 0; i < 1000; i++) /* warm up GLib's allocators */
    json_object_unref (tim_json_parse_object (frame, -1, NULL));
  before = rss_kib ();
  for (int i = 0; i < 200000; i++)
    {
      g_autoptr (JsonObject) object = tim_json_parse_object (frame, -1, NULL);
      g_autoptr (JsonNode) node = tim_json_parse (frame, -1, NULL);

      g_assert_nonnull (object);
      g_assert_nonnull (node);
    }
  /* Leaking the containers would be > 400 MB here. */
  g_assert_cmpuint (rss_kib (), <, before + 16 * 1024);
}

/* What json-glib 1.6 leaks is refused before it sees it: a second document after the frame, and
 * a malformed surrogate pair after a long string. */
static void
test_fallback_no_leak (void)
{
  g_autoptr (GString) second = g_string_new ("{\"head\":{\"servcmd\":\"x\"}}{\"a\":[");
  g_autoptr (GString) pair = g_string_new ("{'head':{'servcmd':\"");
  gsize before;

  if (rss_kib () == 0)
    {
      g_test_skip ("no /proc/self/status");
      return;
    }
  for (int i = 0; i < 1000; i++)
    g_string_append (second, "{\"b\":[1,2,3]},");
  g_string_append (second, "{}]}");
  for (int i = 0; i < 4096; i++)
    g_string_append (pair, "0123456789abcdef");
  g_string_append (pair, "\\ud83d\\u0041\"}}");
  before = rss_kib ();
  for (int i = 0; i < 1000; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) object =
          tim_json_parse_object (second->str, (gssize) second->len, &error);
      g_autoptr (GError) pair_error = NULL;
      g_autoptr (JsonObject) pair_object =
          tim_json_parse_object (pair->str, (gssize) pair->len, &pair_error);

      g_assert_null (object);
      g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
      g_assert_null (pair_object);
      g_assert_error (pair_error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
    }
  /* Leaking would be hundreds of MB here (a tree of 1000 objects, a 64 KiB string, 1000 times). */
  g_assert_cmpuint (rss_kib (), <, before + 16 * 1024);
}

/* Doubles are integers when they are integral and fit a gint64; converting one that does not
 * fit was undefined behaviour (UBSan, tests/fuzz/fuzz-core.c: a frame with "seq":1e300). */
static void
test_get_int (void)
{
  g_autoptr (JsonObject) object = tim_json_parse_object (
      "{\"big\":1e300,\"small\":-1e300,\"inf\":1e999,\"two63\":9223372036854775808.0,"
      "\"min\":-9223372036854775808.0,\"half\":1.5,\"seven\":7.0,\"int\":-3,\"text\":\"12\"}",
      -1, NULL);
  const char *not_int[] = { "big", "small", "inf", "two63", "half", "missing" };
  gint64 v = 0;

  g_assert_nonnull (object);
  for (gsize i = 0; i < G_N_ELEMENTS (not_int); i++)
    g_assert_false (tim_json_get_int (object, not_int[i], &v));
  g_assert_true (tim_json_get_int (object, "min", &v));
  g_assert_cmpint (v, ==, G_MININT64);
  g_assert_true (tim_json_get_int (object, "seven", &v));
  g_assert_cmpint (v, ==, 7);
  g_assert_true (tim_json_get_int (object, "int", &v));
  g_assert_cmpint (v, ==, -3);
  g_assert_true (tim_json_get_int (object, "text", &v));
  g_assert_cmpint (v, ==, 12);
  g_assert_cmpint (tim_json_get_int_or (object, "big", -1), ==, -1);
}

/* What the REST API's checks read: numbers only, as the vendor (tim-rest-facts.md §4.1: 90005
 * for a MsgRandom that is not an Integer), where tim_json_get_int () also takes "12" and true. */
static void
test_get_number_int (void)
{
  g_autoptr (JsonObject) object = tim_json_parse_object (
      "{\"int\":-3,\"seven\":7.0,\"half\":1.5,\"text\":\"12\",\"yes\":true,\"no\":false,"
      "\"none\":null,\"list\":[1]}",
      -1, NULL);
  const char *not_number[] = { "half", "text", "yes", "no", "none", "list", "missing" };
  gint64 v = 0;

  g_assert_nonnull (object);
  for (gsize i = 0; i < G_N_ELEMENTS (not_number); i++)
    g_assert_false (tim_json_get_number_int (object, not_number[i], &v));
  g_assert_true (tim_json_get_int (object, "yes", &v));
  g_assert_true (tim_json_get_number_int (object, "int", &v));
  g_assert_cmpint (v, ==, -3);
  g_assert_true (tim_json_get_number_int (object, "seven", &v));
  g_assert_cmpint (v, ==, 7);
}

static void
assert_writes_as_generator (JsonNode *node)
{
  g_autofree char *expected = json_oracle_write (node);
  gsize length = 0;
  g_autofree char *got = tim_json_writer_to_string (node, &length);

  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

static void
test_writer (void)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GString) all = g_string_new (NULL);
  JsonArray *numbers = json_array_new ();
  const double doubles[] = { 0.1,  100.0, 1e300, -0.0,    1e22, 5e-324,   123456789.0,
                             1e16, 1e17,  0.5,   -1.5e-3, NAN,  INFINITY, -INFINITY };
  const gint64 ints[] = { 0, 1, -1, 10, G_MAXINT64, G_MININT64, 1234567890123 };

  for (int c = 1; c < 128; c++)
    g_string_append_c (all, (char) c);
  g_string_append (all, "\xc3\xa9\xf0\x9f\x98\x80\xe2\x80\xa8\xe4\xb8\xad");
  json_object_set_string_member (object, "every byte", all->str);
  json_object_set_string_member (object, "b", "first position");
  for (gsize i = 0; i < G_N_ELEMENTS (doubles); i++)
    json_array_add_double_element (numbers, doubles[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (ints); i++)
    json_array_add_int_element (numbers, ints[i]);
  json_array_add_boolean_element (numbers, TRUE);
  json_array_add_boolean_element (numbers, FALSE);
  json_array_add_null_element (numbers);
  json_object_set_array_member (object, "numbers", numbers);
  json_object_set_object_member (object, "empty", json_object_new ());
  json_object_set_array_member (object, "none", json_array_new ());
  json_object_set_string_member (object, "na\"me\n", "");
  json_object_set_int_member (object, "b", 2); /* replaced: keeps its position */
  root = tim_json_node_from_object (object);
  assert_writes_as_generator (root);

  /* And every document of the reader tests, read back. */
  {
    const char *texts[] = {
      "{\"a\":1,\"b\":2,\"a\":{\"c\":3}}",
      "[1.5,2.25e10,1e-7,100.0,0.30000000000000004,-0,\"\\u0001\\u001f\\u007f\"]",
      "{\"x\":{\"y\":{\"z\":[[],{},[{}]]}}}",
    };

    for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autoptr (JsonNode) node = tim_json_parse (texts[i], -1, NULL);
        assert_writes_as_generator (node);
      }
  }
}

static void
test_strict_text (void)
{
  const char *strict[] = {
    "[1,-2,1.5,1.5e+22,9.9999999999999995e-08,true,false,null]",
    "{\"inf\":\"nan inf 1e+22.0\",\"e\":\"\\\"1e5.0\"}", /* only inside strings */
    "[]",
  };
  const char *not_strict[] = { "[1e+22.0]", "[inf.0]", "{\"a\":-inf.0}", "[nan.0]", "[1E-7.0]" };

  for (gsize i = 0; i < G_N_ELEMENTS (strict); i++)
    g_assert_true (tim_json_writer_text_is_strict (strict[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (not_strict); i++)
    g_assert_false (tim_json_writer_text_is_strict (not_strict[i]));
  /* What the writer writes for every double: strict exactly when json-glib reads it back. */
  {
    const double doubles[] = { 0.1, 1e22, 1e300, 1.5e22, 5e-324, 1e16, 1e17, INFINITY, NAN };

    for (gsize i = 0; i < G_N_ELEMENTS (doubles); i++)
      {
        g_autoptr (JsonNode) node = json_node_init_double (json_node_alloc (), doubles[i]);
        g_autofree char *text = tim_json_writer_to_string (node, NULL);
        g_autoptr (JsonNode) back = json_oracle_parse (text, strlen (text));

        g_assert_cmpint (tim_json_writer_text_is_strict (text), ==, back != NULL);
      }
  }
}

/* Arrays of strings both ways: what is not a string is skipped, none gives an empty list (never
 * NULL) and an empty array, and the order stays. */
static void
test_string_arrays (void)
{
  static const char *const names[] = { "b", "a", "b", NULL };
  g_autoptr (JsonObject) mixed =
      tim_json_parse_object ("{\"l\":[\"x\",1,null,{},\"y\",[\"z\"]]}", -1, NULL);
  g_autoptr (JsonArray) built = tim_json_array_new_strings (names);
  g_autoptr (JsonArray) empty = tim_json_array_new_strings (NULL);
  g_auto (GStrv) strings = tim_json_array_dup_strings (tim_json_get_array (mixed, "l"));
  g_auto (GStrv) none = tim_json_array_dup_strings (NULL);
  g_auto (GStrv) round_trip = tim_json_array_dup_strings (built);

  g_assert_nonnull (mixed);
  g_assert_cmpstrv (strings, ((const char *const[]){ "x", "y", NULL }));
  g_assert_nonnull (none);
  g_assert_null (none[0]);
  g_assert_cmpuint (json_array_get_length (empty), ==, 0);
  g_assert_cmpstrv (round_trip, names);
}

/* TIM_JSON_PARSE_REFUSE_NUL (what the server reads requests with): an escape json-glib reads as
 * U+0000 is refused, by the reader and in the text left to json-glib, where by default (and in
 * json-glib) the string is read cut short at it; text that only looks like one is read. */
static void
test_refuse_nul (void)
{
  const char *nul[] = {
    "{\"t\":\"a\\u0000b\"}",       /* the strict reader's */
    "{'x':1,\"t\":\"a\\u0000b\"}", /* json-glib's: single quotes */
    "{\"t\":\"a\\0b\"}",           /* json-glib's octal escapes */
    "{\"t\":\"a\\400b\"}",         /* ... wrapping to a zero byte */
  };
  const char *not_nul[] = { "{\"t\":\"a\\\\u0000b\"}", "{\"t\":\"a\\u0001b\"}",
                            "{'t':'a\\u0000b'}" };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node =
      tim_json_reader_parse_full (nul[0], strlen (nul[0]), TIM_JSON_READER_REFUSE_NUL, &error);

  g_assert_null (node);
  g_assert_error (error, TIM_JSON_READER_ERROR, TIM_JSON_READER_ERROR_NUL);
  g_clear_error (&error);
  for (gsize i = 0; i < G_N_ELEMENTS (nul); i++)
    for (int strict = 0; strict < 2; strict++)
      {
        g_autoptr (GError) refused = NULL;
        g_autoptr (JsonObject) object = tim_json_parse_object_full (
            nul[i], -1, TIM_JSON_PARSE_REFUSE_NUL | (strict ? TIM_JSON_PARSE_STRICT : 0), &refused);

        g_assert_null (object);
        g_assert_error (refused, TIM_ERROR, TIM_ERROR_JSON_PARSE);
        if (!strict || i == 0)
          g_assert_nonnull (strstr (refused->message, "U+0000"));
        assert_same_as_json_glib (nul[i], strlen (nul[i]));
      }
  for (gsize i = 0; i < G_N_ELEMENTS (not_nul); i++)
    {
      g_autoptr (JsonObject) object =
          tim_json_parse_object_full (not_nul[i], -1, TIM_JSON_PARSE_REFUSE_NUL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (object);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/reader/strings", test_strings);
  g_test_add_func ("/json/reader/numbers", test_numbers);
  g_test_add_func ("/json/reader/structure", test_structure);
  g_test_add_func ("/json/reader/depth", test_depth);
  g_test_add_func ("/json/reader/members", test_members);
  g_test_add_func ("/json/reader/malformed", test_malformed);
  g_test_add_func ("/json/reader/no-leak", test_no_leak);
  g_test_add_func ("/json/fallback/second-document", test_second_document);
  g_test_add_func ("/json/fallback/surrogates", test_surrogates);
  g_test_add_func ("/json/fallback/no-leak", test_fallback_no_leak);
  g_test_add_func ("/json/refuse-nul", test_refuse_nul);
  g_test_add_func ("/json/get-int", test_get_int);
  g_test_add_func ("/json/get-number-int", test_get_number_int);
  g_test_add_func ("/json/writer/as-generator", test_writer);
  g_test_add_func ("/json/writer/strict-text", test_strict_text);
  g_test_add_func ("/json/string-arrays", test_string_arrays);
  return g_test_run ();
}
