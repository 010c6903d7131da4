/* test-frame.c: v4 frames, COMP inflation, reply bodies. */
#define G_LOG_DOMAIN "test-frame"

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static GBytes *
comp (const char *text, gboolean gzip)
{
  z_stream stream = { 0 };
  guint8 out[65536];
  GByteArray *array = g_byte_array_new ();

  g_assert_cmpint (deflateInit2 (&stream, 6, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY), ==,
                   Z_OK);
  stream.next_in = (Bytef *) text;
  stream.avail_in = strlen (text);
  stream.next_out = out;
  stream.avail_out = sizeof out;
  g_assert_cmpint (deflate (&stream, Z_FINISH), ==, Z_STREAM_END);
  g_byte_array_append (array, (const guint8 *) "COMP", 4);
  g_byte_array_append (array, out, sizeof out - stream.avail_out);
  deflateEnd (&stream);
  return g_byte_array_free_to_bytes (array);
}

static void
test_parse_and_reply (void)
{
  g_autoptr (GBytes) data =
      bytes_of ("{\"head\":{\"ver\":\"v4\",\"servcmd\":\"openim.sendmsg\",\"seq\":\"77\","
                "\"a2\":\"x\"},\"body\":{\"To_Account\":\"bob\"}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (TimFrame) frame = tim_frame_parse (data, 1024, &error);
  g_autoptr (JsonObject) body = tim_reply_body_new (0, NULL);
  g_autoptr (TimFrame) reply = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (TimFrame) round = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (tim_frame_get_servcmd (frame), ==, "openim.sendmsg");
  g_assert_cmpint (tim_frame_get_seq (frame), ==, 77);
  g_assert_cmpstr (tim_json_get_string (frame->body, "To_Account"), ==, "bob");

  reply = tim_frame_new_reply (frame, body);
  out = tim_frame_to_bytes (reply);
  round = tim_frame_parse (out, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tim_frame_get_servcmd (round), ==, "openim.sendmsg");
  /* The seq keeps the JSON type the client used: a string stays a string. */
  g_assert_cmpstr (tim_json_get_string (round->head, "seq"), ==, "77");
  g_assert_cmpstr (tim_json_get_string (round->body, "ActionStatus"), ==, "OK");
  g_assert_cmpint (tim_json_get_int_or (round->body, "ErrorCode", -1), ==, 0);
}

static void
test_comp_frames (void)
{
  const char *text = "{\"head\":{\"servcmd\":\"heartbeat.alive\",\"seq\":1},\"body\":{}}";
  g_autoptr (GBytes) zlib_frame = comp (text, FALSE);
  g_autoptr (GBytes) gzip_frame = comp (text, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (TimFrame) a = tim_frame_parse (zlib_frame, 1024, &error);
  g_autoptr (TimFrame) b = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (tim_frame_get_servcmd (a), ==, "heartbeat.alive");
  b = tim_frame_parse (gzip_frame, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tim_frame_get_seq (b), ==, 1);
}

static void
test_comp_bomb_and_garbage (void)
{
  g_autofree char *huge = g_strnfill (4 * 1024 * 1024, ' ');
  g_autofree char *text = g_strdup_printf ("{\"head\":{\"servcmd\":\"x\"},\"body\":{}%s}", huge);
  g_autoptr (GBytes) bomb = comp (text, FALSE);
  g_autoptr (GBytes) garbage = bytes_of ("COMPnot zlib at all");
  g_autoptr (GError) error = NULL;
  TimFrame *frame;

  g_assert_cmpuint (g_bytes_get_size (bomb), <, 64 * 1024);
  frame = tim_frame_parse (bomb, 256 * 1024, &error);
  g_assert_null (frame);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
  g_clear_error (&error);
  frame = tim_frame_parse (garbage, 256 * 1024, &error);
  g_assert_null (frame);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
}

static void
test_malformed (void)
{
  const char *cases[] = {
    "not json", "[1,2]",    "{\"body\":{}}", "{\"head\":{}}", "{\"head\":{\"servcmd\":5}}",
    "",         "\xff\xfe",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) data = bytes_of (cases[i]);
      g_autoptr (GError) error = NULL;
      TimFrame *frame = tim_frame_parse (data, 1024, &error);

      g_assert_null (frame);
      g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
    }
}

/* tim_frame_parse_head (): the head of a frame a server refused only for half a surrogate pair (an
 * escaped backslash before "ud83d" is text, not an escape) or for U+0000, COMP or not, and what
 * the first such escape is; nothing for a frame refused for anything else, or one that
 * tim_frame_parse () reads. */
static void
test_parse_head (void)
{
  const struct
  {
    const char *frame;
    const char *why;
  } refused_escapes[] = {
    { "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"x\\ud83d\"}}",
      "half of a surrogate pair" },
    { "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"\\\\\\udc00\"}}",
      "half of a surrogate pair" },
    { "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"\\ud83d\\u0041\"}}",
      "half of a surrogate pair" },
    { "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"a\\u0000b\"}}",
      "U+0000" },
    { "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"\\u0000\\ud83d\"}}",
      "U+0000" },
  };
  const char *others[] = {
    "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"\\\\ud83d\"}}",
    "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"\\ud83d\"}",
    "{\"head\":{\"seq\":9},\"body\":{\"t\":\"\\ud83d\"}}",
    "{\"head\":{\"servcmd\":\"openim.sendmsg\",\"seq\":9},\"body\":{\"t\":\"\\351\"}}",
    "\"\\ud83d\"",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused_escapes); i++)
    for (int compressed = 0; compressed < 2; compressed++)
      {
        const char *text = refused_escapes[i].frame;
        g_autoptr (GBytes) data = compressed ? comp (text, TRUE) : bytes_of (text);
        g_autoptr (GError) error = NULL;
        g_autoptr (TimFrame) refused =
            tim_frame_parse_full (data, 1024, TIM_JSON_PARSE_REFUSE_NUL, &error);
        const char *why = NULL;
        g_autoptr (TimFrame) head = tim_frame_parse_head (data, 1024, &why);

        g_assert_null (refused);
        g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
        g_assert_nonnull (head);
        g_assert_cmpstr (tim_frame_get_servcmd (head), ==, "openim.sendmsg");
        g_assert_cmpint (tim_frame_get_seq (head), ==, 9);
        g_assert_cmpuint (json_object_get_size (head->body), ==, 0);
        g_assert_nonnull (strstr (why, refused_escapes[i].why));
      }
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr (GBytes) data = bytes_of (others[i]);
      const char *why = NULL;

      g_assert_null (tim_frame_parse_head (data, 1024, &why));
    }
}

/* A client reads a frame holding "\u0000" as json-glib does, the string cut at the NUL, rather
 * than drop it (a push from a server that stored a NUL); a server refuses it. */
static void
test_nul (void)
{
  g_autoptr (GBytes) data =
      bytes_of ("{\"head\":{\"servcmd\":\"s\",\"seq\":1},\"body\":{\"t\":\"a\\u0000b\"}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (TimFrame) read = tim_frame_parse (data, 1024, &error);
  g_autoptr (TimFrame) refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (tim_json_get_string (read->body, "t"), ==, "a");
  refused = tim_frame_parse_full (data, 1024, TIM_JSON_PARSE_REFUSE_NUL, &error);
  g_assert_null (refused);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE);
  g_assert_nonnull (strstr (error->message, "U+0000"));
}

static void
test_reply_from_error (void)
{
  g_autoptr (GError) error = g_error_new_literal (TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE, "too long");
  g_autoptr (GError) foreign = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");
  g_autoptr (JsonObject) body = tim_reply_body_from_error (error);
  g_autoptr (JsonObject) internal = tim_reply_body_from_error (foreign);
  g_autoptr (JsonObject) texted = tim_reply_body_new (70001, NULL);

  g_assert_cmpstr (tim_json_get_string (body, "ActionStatus"), ==, "FAIL");
  g_assert_cmpint (tim_json_get_int_or (body, "ErrorCode", 0), ==, 80002);
  g_assert_cmpstr (tim_json_get_string (body, "ErrorInfo"), ==, "too long");
  g_assert_cmpint (tim_json_get_int_or (internal, "ErrorCode", 0), ==, TIM_ERROR_INTERNAL);
  g_assert_cmpstr (tim_json_get_string (texted, "ErrorInfo"), ==, tim_error_text (70001));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame/parse-and-reply", test_parse_and_reply);
  g_test_add_func ("/frame/comp", test_comp_frames);
  g_test_add_func ("/frame/comp-bomb-and-garbage", test_comp_bomb_and_garbage);
  g_test_add_func ("/frame/malformed", test_malformed);
  g_test_add_func ("/frame/parse-head", test_parse_head);
  g_test_add_func ("/frame/nul", test_nul);
  g_test_add_func ("/frame/reply-from-error", test_reply_from_error);
  return g_test_run ();
}
