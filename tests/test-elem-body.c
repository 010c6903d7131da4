/* test-elem-body.c: a MsgBody as the server checks it: what validation refuses and lets through,
 * the element count, the size limit in bytes (UTF-8 included), messageForShow and UTF-8 text.
 * Split from test-elem.c (elements, MsgBody validation and messageForShow) to keep each program
 * short; the elements between the wire and the payload are in test-elem-payload.c. */
#define G_LOG_DOMAIN "test-elem-body"

#include "config.h"

#include <string.h>

#include "test-elem-common.h"
#include "tim-elem.h"
#include "tim-error.h"
#include "tim-limits.h"

static JsonArray *
parse_array (const char *json)
{
  g_autoptr (JsonNode) node = parse (json);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_node_dup_array (node);
}

static const struct
{
  const char *body;
  const char *message; /* substring of the error message */
} invalid_bodies[] = {
  { "[]", "MsgBody: must be a non-empty array" },
  { "[1]", "MsgBody[0]: must be an object" },
  { "[[]]", "MsgBody[0]: must be an object" },
  { "[{\"MsgContent\":{\"Text\":\"a\"}}]", "MsgBody[0].MsgType: missing" },
  { "[{\"MsgType\":7,\"MsgContent\":{\"Text\":\"a\"}}]", "MsgBody[0].MsgType: must be a string" },
  { "[{\"MsgType\":\"TIMFooElem\",\"MsgContent\":{}}]", "MsgBody[0].MsgType: unknown" },
  { "[{\"MsgType\":\"TIMGroupTipElem\",\"MsgContent\":{\"OpType\":1}}]",
    "MsgBody[0].MsgType: this element type cannot be sent" },
  { "[{\"MsgType\":\"TIMGroupSystemNoticeElem\",\"MsgContent\":{\"ReportType\":2}}]",
    "MsgBody[0].MsgType: this element type cannot be sent" },
  { "[{\"MsgType\":\"TIMTextElem\"}]", "MsgBody[0].MsgContent: missing" },
  { "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":\"hi\"}]",
    "MsgBody[0].MsgContent: must be an object" },
  /* text */
  { "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{}}]", "MsgBody[0].MsgContent.Text: missing" },
  { "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":null}}]",
    "MsgBody[0].MsgContent.Text: missing" },
  { "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":42}}]",
    "MsgBody[0].MsgContent.Text: must be a string" },
  { "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"ok\"}},"
    "{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":[\"x\"]}}]",
    "MsgBody[1].MsgContent.Text: must be a string" },
  /* face */
  { "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":\"smile\"}}]",
    "MsgBody[0].MsgContent.Index: must be an integer" },
  { "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":2.5}}]",
    "MsgBody[0].MsgContent.Index: must be an integer" },
  { "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Data\":\"x\"}}]",
    "MsgBody[0].MsgContent.Index: missing" },
  { "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":1,\"Data\":5}}]",
    "MsgBody[0].MsgContent.Data: must be a string" },
  /* location */
  { "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Longitude\":1,\"Latitude\":2}}]",
    "MsgBody[0].MsgContent.Desc: missing" },
  { "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"d\",\"Longitude\":1,"
    "\"Latitude\":\"north\"}}]",
    "MsgBody[0].MsgContent.Latitude: must be a number" },
  /* A number too large for a double reads as infinity, which no writer can put back as JSON
   * ("inf"): stored, it came back out as an empty body. */
  { "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"d\",\"Longitude\":1e999,"
    "\"Latitude\":2}}]",
    "MsgBody[0].MsgContent.Longitude: must be a number" },
  { "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"d\",\"Longitude\":1,"
    "\"Latitude\":-1e999}}]",
    "MsgBody[0].MsgContent.Latitude: must be a number" },
  /* custom */
  { "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"\",\"Desc\":\"\",\"Ext\":\"\"}}]",
    "MsgBody[0].MsgContent.Data: Data, Desc or Ext must be non-empty" },
  { "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":{\"a\":1}}}]",
    "MsgBody[0].MsgContent.Data: must be a string" },
  { "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"a\",\"Ext\":false}}]",
    "MsgBody[0].MsgContent.Ext: must be a string" },
  { "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"a\"}},"
    "{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"b\"}}]",
    "MsgBody[1].MsgType: at most one TIMCustomElem" },
  /* sound */
  { "[{\"MsgType\":\"TIMSoundElem\",\"MsgContent\":{\"UUID\":\"u\",\"Download_Flag\":2}}]",
    "MsgBody[0].MsgContent.Url: missing" },
  { "[{\"MsgType\":\"TIMSoundElem\",\"MsgContent\":{\"Url\":\"u\",\"UUID\":\"u\","
    "\"Download_Flag\":2,\"Second\":\"long\"}}]",
    "MsgBody[0].MsgContent.Second: must be an integer" },
  { "[{\"MsgType\":\"TIMSoundElem\",\"MsgContent\":{\"Url\":\"u\",\"UUID\":\"u\"}}]",
    "MsgBody[0].MsgContent.Download_Flag: missing" },
  /* image */
  { "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"ImageFormat\":1,\"ImageInfoArray\":[]}}]",
    "MsgBody[0].MsgContent.UUID: missing" },
  { "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u\",\"ImageFormat\":\"png\","
    "\"ImageInfoArray\":[]}}]",
    "MsgBody[0].MsgContent.ImageFormat: must be an integer" },
  { "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u\",\"ImageFormat\":1,"
    "\"ImageInfoArray\":[]}}]",
    "MsgBody[0].MsgContent.ImageInfoArray: must not be empty" },
  { "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u\",\"ImageFormat\":1,"
    "\"ImageInfoArray\":[1]}}]",
    "MsgBody[0].MsgContent.ImageInfoArray: must be an array of objects" },
  { "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u\",\"ImageFormat\":1,"
    "\"ImageInfoArray\":[{\"Type\":1,\"Size\":1,\"Width\":1,\"Height\":1,\"URL\":9}]}}]",
    "MsgBody[0].MsgContent.ImageInfoArray[0].URL: must be a string" },
  { "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u\",\"ImageFormat\":1,"
    "\"ImageInfoArray\":[{\"Type\":1,\"Size\":1,\"Width\":1,\"Height\":1,\"URL\":\"a\"},"
    "{\"Type\":4,\"Size\":1,\"Width\":1,\"Height\":1,\"URL\":\"b\"}]}}]",
    "MsgBody[0].MsgContent.ImageInfoArray[1].Type: must be 1, 2 or 3" },
  { "[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u\",\"ImageFormat\":1,"
    "\"ImageInfoArray\":[{\"Type\":1,\"Size\":1,\"Height\":1,\"URL\":\"a\"}]}}]",
    "MsgBody[0].MsgContent.ImageInfoArray[0].Width: missing" },
  /* file */
  { "[{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{\"Url\":\"u\",\"UUID\":\"u\","
    "\"FileName\":\"n\",\"Download_Flag\":2}}]",
    "MsgBody[0].MsgContent.FileSize: missing" },
  { "[{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{\"Url\":\"u\",\"UUID\":\"u\","
    "\"FileName\":1,\"FileSize\":1,\"Download_Flag\":2}}]",
    "MsgBody[0].MsgContent.FileName: must be a string" },
  /* video */
  { "[{\"MsgType\":\"TIMVideoFileElem\",\"MsgContent\":{\"VideoUrl\":\"v\",\"VideoUUID\":\"v\","
    "\"VideoDownloadFlag\":2,\"ThumbUrl\":\"t\",\"ThumbWidth\":1,\"ThumbHeight\":1,"
    "\"ThumbDownloadFlag\":2}}]",
    "MsgBody[0].MsgContent.ThumbUUID: missing" },
  { "[{\"MsgType\":\"TIMVideoFileElem\",\"MsgContent\":{\"VideoUrl\":\"v\",\"VideoUUID\":\"v\","
    "\"VideoDownloadFlag\":2,\"ThumbUrl\":\"t\",\"ThumbUUID\":\"t\",\"ThumbWidth\":\"wide\","
    "\"ThumbHeight\":1,\"ThumbDownloadFlag\":2}}]",
    "MsgBody[0].MsgContent.ThumbWidth: must be an integer" },
  /* relay */
  { "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"MsgList\":[]}}]",
    "MsgBody[0].MsgContent.Title: missing" },
  { "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"t\"}}]",
    "MsgBody[0].MsgContent.MsgList: MsgList or JsonMsgKey is required" },
  { "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"t\",\"JsonMsgKey\":\"k\","
    "\"AbstractList\":[1]}}]",
    "MsgBody[0].MsgContent.AbstractList: must be an array of strings" },
};

static void
test_validate_failures (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_bodies); i++)
    {
      g_autoptr (JsonArray) body = parse_array (invalid_bodies[i].body);
      g_autoptr (GError) error = NULL;

      g_test_message ("invalid body %s", invalid_bodies[i].body);
      g_assert_false (tim_msg_body_validate (body, &error));
      g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID);
      if (strstr (error->message, invalid_bodies[i].message) == NULL)
        g_error ("body %s: expected \"%s\" in \"%s\"", invalid_bodies[i].body,
                 invalid_bodies[i].message, error->message);
    }

  /* NULL is treated like an empty array. */
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tim_msg_body_validate (NULL, &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID);
  }
}

static void
test_validate_lenient (void)
{
  static const char *const ok[] = {
    /* numeric strings where numbers are expected */
    "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":\"3\"}}]",
    "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"d\",\"Longitude\":\"113.5\","
    "\"Latitude\":\"-22\"}}]",
    "[{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{\"Url\":\"u\",\"UUID\":\"u\",\"FileName\":\"n\","
    "\"FileSize\":\"100\",\"Download_Flag\":\"2\"}}]",
    /* integral doubles, optional fields absent or null, unknown extra fields */
    "[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":4.0,\"Data\":null,\"Extra\":1}}]",
    "[{\"MsgType\":\"TIMSoundElem\",\"MsgContent\":{\"Url\":\"u\",\"UUID\":\"u\","
    "\"Download_Flag\":2}}]",
    /* one non-empty custom field is enough */
    "[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Ext\":\"e\"}}]",
    "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"t\",\"JsonMsgKey\":\"k\"}}]",
    /* empty text: the SDK never sends one, but the server has no documented reason to refuse */
    "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"\"}}]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr (JsonArray) body = parse_array (ok[i]);
      g_autoptr (GError) error = NULL;

      g_test_message ("valid body %s", ok[i]);
      g_assert_true (tim_msg_body_validate (body, &error));
      g_assert_no_error (error);
    }

  /* Numeric strings come out as numbers in the payload. */
  {
    g_autoptr (JsonArray) body = parse_array (ok[0]);
    g_autoptr (JsonObject) p = tim_elem_to_payload (json_array_get_object_element (body, 0), NULL);

    g_assert_cmpint (json_node_get_value_type (json_object_get_member (p, "index")), ==,
                     G_TYPE_INT64);
    g_assert_cmpint (json_object_get_int_member (p, "index"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (p, "data"), ==, "");
  }
}

static void
test_element_count (void)
{
  g_autoptr (JsonArray) body = json_array_new ();
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < TIM_MAX_MSG_BODY_ELEMS; i++)
    json_array_add_element (body, parse ("{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
                                         "{\"Text\":\"x\"}}"));
  g_assert_cmpint (TIM_MAX_MSG_BODY_ELEMS, ==, 10);
  g_assert_true (tim_msg_body_validate (body, &error));
  g_assert_no_error (error);

  json_array_add_element (body, parse ("{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
                                       "{\"Text\":\"x\"}}"));
  g_assert_false (tim_msg_body_validate (body, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID);
  g_assert_nonnull (strstr (error->message, "11 elements"));
}

static JsonArray *
text_body (const char *text)
{
  JsonArray *body = json_array_new ();
  JsonObject *elem = json_object_new ();
  JsonObject *content = json_object_new ();

  json_object_set_string_member (content, "Text", text);
  json_object_set_string_member (elem, "MsgType", "TIMTextElem");
  json_object_set_object_member (elem, "MsgContent", content);
  json_array_add_object_element (body, elem);
  return body;
}

static void
test_size_boundary (void)
{
  static const char empty[] = "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"\"}}]";
  g_autoptr (JsonArray) base = text_body ("");
  gsize base_size = tim_msg_body_serialized_size (base);
  g_autofree char *fill = NULL;
  g_autoptr (JsonArray) at_limit = NULL;
  g_autoptr (JsonArray) over = NULL;
  g_autoptr (GError) error = NULL;

  /* The size is the compact serialisation in bytes. */
  g_assert_cmpuint (base_size, ==, strlen (empty));

  fill = g_strnfill (TIM_MAX_MSG_BODY_BYTES - base_size, 'a');
  at_limit = text_body (fill);
  g_assert_cmpuint (tim_msg_body_serialized_size (at_limit), ==, TIM_MAX_MSG_BODY_BYTES);
  g_assert_true (tim_msg_body_validate (at_limit, &error));
  g_assert_no_error (error);

  g_free (fill);
  fill = g_strnfill (TIM_MAX_MSG_BODY_BYTES - base_size + 1, 'a');
  over = text_body (fill);
  g_assert_cmpuint (tim_msg_body_serialized_size (over), ==, TIM_MAX_MSG_BODY_BYTES + 1);
  g_assert_false (tim_msg_body_validate (over, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE);
  g_assert_cmpint (error->code, ==, 80002);

  /* Doubles count as the client wrote them, not as json-glib would (113.93000000000001). */
  {
    static const char loc[] = "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"d\","
                              "\"Longitude\":113.93,\"Latitude\":-0.1}}]";
    g_autoptr (JsonArray) body = parse_array (loc);

    g_assert_cmpuint (tim_msg_body_serialized_size (body), ==, strlen (loc));
  }
}

static void
test_size_counts_utf8_bytes (void)
{
  g_autoptr (JsonArray) base = text_body ("");
  g_autoptr (JsonArray) han = text_body ("好");                 /* 3 bytes */
  g_autoptr (JsonArray) emoji = text_body ("\xF0\x9F\x91\x8B"); /* U+1F44B, 4 bytes */
  gsize b = tim_msg_body_serialized_size (base);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (JsonArray) at_limit = NULL;
  g_autoptr (JsonArray) over = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (tim_msg_body_serialized_size (han), ==, b + 3);
  g_assert_cmpuint (tim_msg_body_serialized_size (emoji), ==, b + 4);

  /* A body of mostly 3-byte characters that lands exactly on the limit, and one byte more. */
  for (gsize i = 0; i < (TIM_MAX_MSG_BODY_BYTES - b) % 3; i++)
    g_string_append_c (text, 'a');
  while (text->len < TIM_MAX_MSG_BODY_BYTES - b)
    g_string_append (text, "好");
  at_limit = text_body (text->str);
  g_assert_cmpuint (g_utf8_strlen (text->str, -1), <, text->len / 2);
  g_assert_cmpuint (tim_msg_body_serialized_size (at_limit), ==, TIM_MAX_MSG_BODY_BYTES);
  g_assert_true (tim_msg_body_validate (at_limit, &error));
  g_assert_no_error (error);
  g_string_append_c (text, 'a');
  over = text_body (text->str);
  g_assert_false (tim_msg_body_validate (over, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE);
}

static void
test_message_for_show (void)
{
  static const struct
  {
    const char *elem;
    const char *zh;
    const char *en;
  } cases[] = {
    { "{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello\"}}", "hello", "hello" },
    { "{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{}}", "[图片]", "[Image]" },
    { "{\"MsgType\":\"TIMSoundElem\",\"MsgContent\":{}}", "[语音]", "[Voice]" },
    { "{\"MsgType\":\"TIMVideoFileElem\",\"MsgContent\":{}}", "[视频]", "[Video]" },
    { "{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{}}", "[文件]", "[File]" },
    { "{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"d\"}}", "[自定义消息]",
      "[Custom Messages]" },
    { "{\"MsgType\":\"TIMGroupTipElem\",\"MsgContent\":{}}", "[群提示消息]",
      "[Group Notification]" },
    { "{\"MsgType\":\"TIMGroupSystemNoticeElem\",\"MsgContent\":{}}", "[群系统通知]",
      "[Group System Message]" },
    { "{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":1}}", "[动画表情]",
      "[Animated Sticker]" },
    { "{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{}}", "[聊天记录]", "[Chat Record]" },
    { "{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{}}", "[位置]", "[Location]" },
    { "{\"MsgType\":\"TIMFutureElem\",\"MsgContent\":{}}", "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("[%s]", cases[i].elem);
      g_autoptr (JsonArray) body = parse_array (json);
      g_autofree char *zh = tim_msg_body_message_for_show (body, FALSE);
      g_autofree char *en = tim_msg_body_message_for_show (body, TRUE);

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }

  /* Several elements: each one's text, concatenated without separator. */
  {
    g_autoptr (JsonArray) body =
        parse_array ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"look \"}},"
                     "{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{}},"
                     "{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\" and \"}},"
                     "{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":2}}]");
    g_autofree char *zh = tim_msg_body_message_for_show (body, FALSE);
    g_autofree char *en = tim_msg_body_message_for_show (body, TRUE);

    g_assert_cmpstr (zh, ==, "look [图片] and [动画表情]");
    g_assert_cmpstr (en, ==, "look [Image] and [Animated Sticker]");
  }

  /* Empty body: empty preview. */
  {
    g_autoptr (JsonArray) body = json_array_new ();
    g_autofree char *show = tim_msg_body_message_for_show (body, TRUE);

    g_assert_cmpstr (show, ==, "");
  }
}

static void
test_utf8_text (void)
{
  static const char text[] = "你好, мир 👋 \"quoted\" \\ tab\t";
  g_autoptr (JsonArray) body = text_body (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) payload = NULL;
  g_autoptr (JsonObject) wire = NULL;
  g_autofree char *show = NULL;
  g_autofree char *json = NULL;
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr (JsonArray) reparsed = NULL;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (tim_msg_body_validate (body, &error));
  g_assert_no_error (error);

  payload = tim_elem_to_payload (json_array_get_object_element (body, 0), NULL);
  g_assert_cmpstr (json_object_get_string_member (payload, "text"), ==, text);

  wire = tim_elem_from_payload (TIM_ELEM_TEXT, payload, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (wire, "MsgContent"), "Text"),
      ==, text);

  show = tim_msg_body_message_for_show (body, TRUE);
  g_assert_cmpstr (show, ==, text);

  /* Through a serialise/parse cycle the bytes survive. */
  json_node_set_array (root, body);
  json = json_to_string (root, FALSE);
  reparsed = parse_array (json);
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (json_array_get_object_element (reparsed, 0), "MsgContent"),
          "Text"),
      ==, text);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/elem/validate/failures", test_validate_failures);
  g_test_add_func ("/elem/validate/lenient", test_validate_lenient);
  g_test_add_func ("/elem/validate/element-count", test_element_count);
  g_test_add_func ("/elem/validate/size-boundary", test_size_boundary);
  g_test_add_func ("/elem/validate/size-utf8", test_size_counts_utf8_bytes);
  g_test_add_func ("/elem/message-for-show", test_message_for_show);
  g_test_add_func ("/elem/utf8-text", test_utf8_text);

  return g_test_run ();
}
