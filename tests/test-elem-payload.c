/* test-elem-payload.c: message elements between the wire and the SDK's payload: the type names,
 * both round trips of every sendable type, the image and video details, the group tips and system
 * notices, unknown types, what tim_elem_from_payload () refuses, and requests parsed immutable.
 * Split from test-elem.c (elements, MsgBody validation and messageForShow) to keep each program
 * short; the MsgBody's validation, size and preview are in test-elem-body.c. */
#define G_LOG_DOMAIN "test-elem-payload"

#include "config.h"

#include <string.h>

#include "test-elem-common.h"
#include "tim-elem.h"
#include "tim-error.h"

/* One complete wire element per sendable type, in the form tim_elem_from_payload() emits. */
static const struct
{
  TimElemType type;
  const char *json;
} wire_samples[] = {
  { TIM_ELEM_TEXT, "{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello\"}}" },
  { TIM_ELEM_IMAGE,
    "{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"img-1\",\"ImageFormat\":3,"
    "\"ImageInfoArray\":["
    "{\"Type\":1,\"Size\":2048,\"Width\":800,\"Height\":600,\"URL\":\"https://x/o.png\","
    "\"MsgType\":0,\"InstanceId\":11},"
    "{\"Type\":2,\"Size\":1024,\"Width\":720,\"Height\":540,\"URL\":\"https://x/l.png\","
    "\"MsgType\":2,\"InstanceId\":12},"
    "{\"Type\":3,\"Size\":256,\"Width\":198,\"Height\":148,\"URL\":\"https://x/t.png\","
    "\"MsgType\":1,\"InstanceId\":13}]}}" },
  { TIM_ELEM_SOUND,
    "{\"MsgType\":\"TIMSoundElem\",\"MsgContent\":{\"Url\":\"https://x/a.m4a\",\"UUID\":\"snd-1\","
    "\"Size\":4096,\"Second\":7,\"Download_Flag\":2}}" },
  { TIM_ELEM_VIDEO,
    "{\"MsgType\":\"TIMVideoFileElem\",\"MsgContent\":{\"VideoUrl\":\"https://x/v.mp4\","
    "\"VideoUUID\":\"vid-1\",\"VideoSize\":99999,\"VideoSecond\":12,\"VideoFormat\":\"mp4\","
    "\"VideoDownloadFlag\":2,\"ThumbUrl\":\"https://x/v.jpg\",\"ThumbUUID\":\"th-1\","
    "\"ThumbSize\":777,\"ThumbWidth\":320,\"ThumbHeight\":180,\"ThumbFormat\":\"JPG\","
    "\"ThumbDownloadFlag\":2,\"SnapshotUrl\":\"https://x/v.jpg\",\"SnapshotUUID\":\"th-1\","
    "\"SnapshotSize\":777,\"SnapshotWidth\":320,\"SnapshotHeight\":180,"
    "\"SnapshotFormat\":\"JPG\",\"SnapshotDownloadFlag\":2}}" },
  { TIM_ELEM_FILE,
    "{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{\"Url\":\"https://x/f.pdf\",\"UUID\":\"f-1\","
    "\"FileName\":\"report.pdf\",\"FileSize\":123456,\"Download_Flag\":2}}" },
  { TIM_ELEM_FACE,
    "{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":5,\"Data\":\"smile\"}}" },
  { TIM_ELEM_LOCATION, "{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"Shenzhen\","
                       "\"Longitude\":113.93,\"Latitude\":22.54}}" },
  { TIM_ELEM_CUSTOM,
    "{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"{\\\"orderId\\\":42}\","
    "\"Desc\":\"shipping update\",\"Ext\":\"x\"}}" },
  { TIM_ELEM_RELAY,
    "{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"Chat with bob\",\"MsgNum\":1,"
    "\"CompatibleText\":\"please upgrade\",\"AbstractList\":[\"alice: hi\"],\"MsgList\":["
    "{\"From_Account\":\"alice\",\"MsgSeq\":5,\"MsgRandom\":77,\"MsgTimeStamp\":1700000000,"
    "\"From_AccountNick\":\"Alice\",\"CloudCustomData\":\"\",\"Id\":\"1-2-77\",\"ClientSeq\":5,"
    "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}},"
    "{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":1,\"Data\":\"\"}}]}]}}" },
};

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonNode) node = parse (json);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_dup_object (node);
}

static void
assert_objects_equal (JsonObject *a, JsonObject *b)
{
  g_autoptr (JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr (JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  if (!json_node_equal (na, nb))
    {
      g_autofree char *sa = json_to_string (na, FALSE);
      g_autofree char *sb = json_to_string (nb, FALSE);

      g_assert_cmpstr (sa, ==, sb);
      g_assert_not_reached ();
    }
}

static JsonArray *
body_of (JsonObject *elem)
{
  JsonArray *body = json_array_new ();

  json_array_add_object_element (body, json_object_ref (elem));
  return body;
}

static void
test_type_strings (void)
{
  for (TimElemType t = TIM_ELEM_TEXT; t <= TIM_ELEM_GROUP_SYSTEM_NOTICE; t++)
    {
      const char *name = tim_elem_type_to_string (t);

      g_assert_nonnull (name);
      g_assert_cmpint (tim_elem_type_from_string (name), ==, t);
      g_assert_cmpint (tim_elem_type_is_sendable (t), ==, t <= TIM_ELEM_RELAY);
    }
  g_assert_cmpstr (tim_elem_type_to_string (TIM_ELEM_SOUND), ==, "TIMSoundElem");
  g_assert_cmpstr (tim_elem_type_to_string (TIM_ELEM_VIDEO), ==, "TIMVideoFileElem");
  g_assert_cmpstr (tim_elem_type_to_string (TIM_ELEM_RELAY), ==, "TIMRelayElem");
  g_assert_null (tim_elem_type_to_string (TIM_ELEM_UNKNOWN));
  g_assert_cmpint (tim_elem_type_from_string ("TIMFooElem"), ==, TIM_ELEM_UNKNOWN);
  g_assert_cmpint (tim_elem_type_from_string ("timtextelem"), ==, TIM_ELEM_UNKNOWN);
  g_assert_cmpint (tim_elem_type_from_string (NULL), ==, TIM_ELEM_UNKNOWN);
}

/* Spot checks of the payload each sample produces (§2.2). */
static void
check_payload (TimElemType type, JsonObject *p)
{
  switch (type)
    {
    case TIM_ELEM_TEXT:
      g_assert_cmpstr (json_object_get_string_member (p, "text"), ==, "hello");
      g_assert_cmpuint (json_object_get_size (p), ==, 1);
      break;
    case TIM_ELEM_IMAGE:
      g_assert_cmpint (json_object_get_int_member (p, "imageFormat"), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (p, "uuid"), ==, "img-1");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "imageInfoArray")),
                        ==, 3);
      break;
    case TIM_ELEM_SOUND:
      g_assert_cmpstr (json_object_get_string_member (p, "url"), ==, "https://x/a.m4a");
      g_assert_cmpstr (json_object_get_string_member (p, "remoteAudioUrl"), ==, "https://x/a.m4a");
      g_assert_cmpint (json_object_get_int_member (p, "second"), ==, 7);
      g_assert_cmpint (json_object_get_int_member (p, "size"), ==, 4096);
      g_assert_cmpstr (json_object_get_string_member (p, "uuid"), ==, "snd-1");
      g_assert_cmpint (json_object_get_int_member (p, "downloadFlag"), ==, 2);
      break;
    case TIM_ELEM_VIDEO:
      g_assert_cmpstr (json_object_get_string_member (p, "videoUrl"), ==, "https://x/v.mp4");
      g_assert_cmpstr (json_object_get_string_member (p, "remoteVideoUrl"), ==, "https://x/v.mp4");
      g_assert_cmpstr (json_object_get_string_member (p, "videoUUID"), ==, "vid-1");
      g_assert_cmpint (json_object_get_int_member (p, "videoSecond"), ==, 12);
      g_assert_cmpint (json_object_get_int_member (p, "videoSize"), ==, 99999);
      g_assert_cmpstr (json_object_get_string_member (p, "videoFormat"), ==, "mp4");
      g_assert_cmpint (json_object_get_int_member (p, "videoDownloadFlag"), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (p, "thumbUrl"), ==, "https://x/v.jpg");
      g_assert_cmpstr (json_object_get_string_member (p, "thumbUUID"), ==, "th-1");
      g_assert_cmpint (json_object_get_int_member (p, "thumbWidth"), ==, 320);
      g_assert_cmpint (json_object_get_int_member (p, "thumbHeight"), ==, 180);
      g_assert_cmpint (json_object_get_int_member (p, "thumbSize"), ==, 777);
      g_assert_cmpstr (json_object_get_string_member (p, "thumbFormat"), ==, "JPG");
      g_assert_cmpint (json_object_get_int_member (p, "thumbDownloadFlag"), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (p, "snapshotUrl"), ==, "https://x/v.jpg");
      g_assert_cmpint (json_object_get_int_member (p, "snapshotWidth"), ==, 320);
      g_assert_cmpint (json_object_get_int_member (p, "snapshotHeight"), ==, 180);
      g_assert_cmpint (json_object_get_int_member (p, "snapshotSize"), ==, 777);
      break;
    case TIM_ELEM_FILE:
      g_assert_cmpstr (json_object_get_string_member (p, "fileUrl"), ==, "https://x/f.pdf");
      g_assert_cmpstr (json_object_get_string_member (p, "fileName"), ==, "report.pdf");
      g_assert_cmpint (json_object_get_int_member (p, "fileSize"), ==, 123456);
      g_assert_cmpstr (json_object_get_string_member (p, "uuid"), ==, "f-1");
      g_assert_cmpint (json_object_get_int_member (p, "downloadFlag"), ==, 2);
      break;
    case TIM_ELEM_FACE:
      g_assert_cmpint (json_object_get_int_member (p, "index"), ==, 5);
      g_assert_cmpstr (json_object_get_string_member (p, "data"), ==, "smile");
      break;
    case TIM_ELEM_LOCATION:
      g_assert_cmpstr (json_object_get_string_member (p, "description"), ==, "Shenzhen");
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (p, "longitude"), 113.93, 1e-9);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (p, "latitude"), 22.54, 1e-9);
      break;
    case TIM_ELEM_CUSTOM:
      g_assert_cmpstr (json_object_get_string_member (p, "data"), ==, "{\"orderId\":42}");
      g_assert_cmpstr (json_object_get_string_member (p, "description"), ==, "shipping update");
      g_assert_cmpstr (json_object_get_string_member (p, "extension"), ==, "x");
      g_assert_cmpuint (json_object_get_size (p), ==, 3);
      break;
    case TIM_ELEM_RELAY:
      {
        JsonArray *list = json_object_get_array_member (p, "messageList");
        JsonObject *m;
        JsonArray *body;

        g_assert_cmpstr (json_object_get_string_member (p, "title"), ==, "Chat with bob");
        g_assert_cmpstr (json_object_get_string_member (p, "compatibleText"), ==, "please upgrade");
        g_assert_cmpstr (
            json_array_get_string_element (json_object_get_array_member (p, "abstractList"), 0), ==,
            "alice: hi");
        g_assert_cmpuint (json_array_get_length (list), ==, 1);
        m = json_array_get_object_element (list, 0);
        g_assert_cmpstr (json_object_get_string_member (m, "from"), ==, "alice");
        g_assert_cmpstr (json_object_get_string_member (m, "nick"), ==, "Alice");
        g_assert_cmpint (json_object_get_int_member (m, "time"), ==, 1700000000);
        g_assert_cmpint (json_object_get_int_member (m, "messageSequence"), ==, 5);
        g_assert_cmpint (json_object_get_int_member (m, "clientSequence"), ==, 5);
        g_assert_cmpint (json_object_get_int_member (m, "messageRandom"), ==, 77);
        g_assert_cmpstr (json_object_get_string_member (m, "ID"), ==, "1-2-77");
        body = json_object_get_array_member (m, "messageBody");
        g_assert_cmpuint (json_array_get_length (body), ==, 2);
        g_assert_cmpstr (
            json_object_get_string_member (json_array_get_object_element (body, 0), "type"), ==,
            "TIMTextElem");
        g_assert_cmpstr (
            json_object_get_string_member (
                json_object_get_object_member (json_array_get_object_element (body, 0), "payload"),
                "text"),
            ==, "hi");
        g_assert_cmpstr (json_object_get_string_member (p, "downloadKey"), ==, "");
        break;
      }
    case TIM_ELEM_UNKNOWN:
    case TIM_ELEM_GROUP_TIP:
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
    default:
      g_assert_not_reached ();
    }
}

static void
test_roundtrip_wire (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (wire_samples); i++)
    {
      g_autoptr (JsonObject) wire = parse_object (wire_samples[i].json);
      g_autoptr (JsonArray) body = body_of (wire);
      g_autoptr (JsonObject) payload = NULL;
      g_autoptr (JsonObject) back = NULL;
      g_autoptr (GError) error = NULL;
      TimElemType type = TIM_ELEM_UNKNOWN;

      g_test_message ("wire round trip of %s", tim_elem_type_to_string (wire_samples[i].type));
      g_assert_true (tim_msg_body_validate (body, &error));
      g_assert_no_error (error);

      payload = tim_elem_to_payload (wire, &type);
      g_assert_nonnull (payload);
      g_assert_cmpint (type, ==, wire_samples[i].type);
      check_payload (type, payload);

      back = tim_elem_from_payload (type, payload, &error);
      g_assert_no_error (error);
      g_assert_nonnull (back);
      assert_objects_equal (back, wire);
    }
}

static const struct
{
  TimElemType type;
  const char *json;
} payload_samples[] = {
  { TIM_ELEM_TEXT, "{\"text\":\"hello\"}" },
  { TIM_ELEM_IMAGE,
    "{\"imageFormat\":1,\"uuid\":\"u\",\"imageInfoArray\":["
    "{\"instanceID\":1,\"sizeType\":1,\"type\":0,\"size\":10,\"width\":4,\"height\":3,"
    "\"imageUrl\":\"https://x/o\",\"url\":\"https://x/o\"},"
    "{\"instanceID\":2,\"sizeType\":3,\"type\":1,\"size\":5,\"width\":2,\"height\":1,"
    "\"imageUrl\":\"https://x/t\",\"url\":\"https://x/t\"},"
    "{\"instanceID\":3,\"sizeType\":2,\"type\":2,\"size\":8,\"width\":3,\"height\":2,"
    "\"imageUrl\":\"https://x/l\",\"url\":\"https://x/l\"}]}" },
  { TIM_ELEM_SOUND,
    "{\"url\":\"https://x/s\",\"remoteAudioUrl\":\"https://x/s\",\"second\":3,\"size\":99,"
    "\"uuid\":\"s\",\"downloadFlag\":2}" },
  { TIM_ELEM_VIDEO,
    "{\"videoUrl\":\"https://x/v\",\"remoteVideoUrl\":\"https://x/v\",\"videoUUID\":\"v\","
    "\"videoSecond\":0,\"videoSize\":5000,\"videoFormat\":\"mp4\",\"videoDownloadFlag\":2,"
    "\"thumbUrl\":\"https://x/t\",\"thumbUUID\":\"t\",\"thumbWidth\":10,\"thumbHeight\":20,"
    "\"thumbSize\":30,\"thumbFormat\":\"PNG\",\"thumbDownloadFlag\":2,"
    "\"snapshotUrl\":\"https://x/t\",\"snapshotWidth\":10,\"snapshotHeight\":20,"
    "\"snapshotSize\":30}" },
  { TIM_ELEM_FILE,
    "{\"fileUrl\":\"https://x/f\",\"fileName\":\"a.txt\",\"fileSize\":1,\"uuid\":\"f\","
    "\"downloadFlag\":2}" },
  { TIM_ELEM_FACE, "{\"index\":0,\"data\":\"\"}" },
  { TIM_ELEM_LOCATION, "{\"description\":\"here\",\"longitude\":-0.5,\"latitude\":51.25}" },
  { TIM_ELEM_CUSTOM, "{\"data\":\"\",\"description\":\"only desc\",\"extension\":\"\"}" },
  { TIM_ELEM_RELAY,
    "{\"title\":\"t\",\"abstractList\":[\"a\",\"b\"],\"compatibleText\":\"c\","
    "\"messageList\":[{\"from\":\"bob\",\"time\":1,\"messageSequence\":2,\"messageRandom\":3,"
    "\"cloudCustomData\":\"cc\",\"messageBody\":[{\"type\":\"TIMLocationElem\","
    "\"payload\":{\"description\":\"d\",\"longitude\":1.5,\"latitude\":2.5}}]}],"
    "\"downloadKey\":\"\",\"pbDownloadKey\":\"\",\"version\":0,\"layersOverLimit\":false}" },
};

static void
test_roundtrip_payload (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (payload_samples); i++)
    {
      g_autoptr (JsonObject) payload = parse_object (payload_samples[i].json);
      g_autoptr (JsonObject) wire = NULL;
      g_autoptr (JsonObject) back = NULL;
      g_autoptr (JsonArray) body = NULL;
      g_autoptr (GError) error = NULL;
      TimElemType type = TIM_ELEM_UNKNOWN;

      g_test_message ("payload round trip of %s",
                      tim_elem_type_to_string (payload_samples[i].type));
      wire = tim_elem_from_payload (payload_samples[i].type, payload, &error);
      g_assert_no_error (error);
      g_assert_nonnull (wire);
      g_assert_cmpstr (json_object_get_string_member (wire, "MsgType"), ==,
                       tim_elem_type_to_string (payload_samples[i].type));

      body = body_of (wire);
      g_assert_true (tim_msg_body_validate (body, &error));
      g_assert_no_error (error);

      back = tim_elem_to_payload (wire, &type);
      g_assert_cmpint (type, ==, payload_samples[i].type);
      assert_objects_equal (back, payload);
    }
}

static void
test_video_snapshot_duplicates (void)
{
  g_autoptr (JsonObject) payload = parse_object (payload_samples[3].json);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) wire = tim_elem_from_payload (TIM_ELEM_VIDEO, payload, &error);
  JsonObject *c;

  g_assert_no_error (error);
  c = json_object_get_object_member (wire, "MsgContent");
  g_assert_cmpstr (json_object_get_string_member (c, "SnapshotUrl"), ==, "https://x/t");
  g_assert_cmpstr (json_object_get_string_member (c, "SnapshotUUID"), ==, "t");
  g_assert_cmpint (json_object_get_int_member (c, "SnapshotWidth"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (c, "SnapshotHeight"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (c, "SnapshotSize"), ==, 30);
  g_assert_cmpstr (json_object_get_string_member (c, "SnapshotFormat"), ==, "PNG");
  g_assert_cmpint (json_object_get_int_member (c, "VideoDownloadFlag"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (c, "ThumbDownloadFlag"), ==, 2);
}

/* §2.2: wire entries Type 1, 2, 3 become [{sizeType:1,type:0}, {sizeType:3,type:1},
 * {sizeType:2,type:2}], whatever order they arrive in. */
static void
test_image_order (void)
{
  g_autoptr (JsonObject) wire = parse_object (
      "{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"UUID\":\"u\",\"ImageFormat\":1,"
      "\"ImageInfoArray\":["
      "{\"Type\":3,\"Size\":3,\"Width\":30,\"Height\":31,\"URL\":\"https://x/thumb\"},"
      "{\"Type\":1,\"Size\":1,\"Width\":10,\"Height\":11,\"URL\":\"https://x/orig\"},"
      "{\"Type\":2,\"Size\":2,\"Width\":20,\"Height\":21,\"URL\":\"https://x/large\"}]}}");
  static const struct
  {
    gint64 size_type, type, size, width;
    const char *url;
  } expect[] = {
    { 1, 0, 1, 10, "https://x/orig" },
    { 3, 1, 3, 30, "https://x/thumb" },
    { 2, 2, 2, 20, "https://x/large" },
  };
  g_autoptr (JsonObject) payload = tim_elem_to_payload (wire, NULL);
  g_autoptr (JsonObject) back = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *infos = json_object_get_array_member (payload, "imageInfoArray");
  JsonArray *wire_infos;

  g_assert_cmpuint (json_array_get_length (infos), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *e = json_array_get_object_element (infos, i);

      g_assert_cmpint (json_object_get_int_member (e, "sizeType"), ==, expect[i].size_type);
      g_assert_cmpint (json_object_get_int_member (e, "type"), ==, expect[i].type);
      g_assert_cmpint (json_object_get_int_member (e, "size"), ==, expect[i].size);
      g_assert_cmpint (json_object_get_int_member (e, "width"), ==, expect[i].width);
      g_assert_cmpint (json_object_get_int_member (e, "height"), ==, expect[i].width + 1);
      g_assert_cmpstr (json_object_get_string_member (e, "imageUrl"), ==, expect[i].url);
      g_assert_cmpstr (json_object_get_string_member (e, "url"), ==, expect[i].url);
      g_assert_true (json_object_has_member (e, "instanceID"));
    }

  /* Back on the wire: Type 1/2/3 in that order, with the local type leaking as MsgType. */
  back = tim_elem_from_payload (TIM_ELEM_IMAGE, payload, &error);
  g_assert_no_error (error);
  wire_infos = json_object_get_array_member (json_object_get_object_member (back, "MsgContent"),
                                             "ImageInfoArray");
  g_assert_cmpuint (json_array_get_length (wire_infos), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *e = json_array_get_object_element (wire_infos, i);
      static const gint64 local_type[] = { 0, 2, 1 };
      static const char *const url[] = { "https://x/orig", "https://x/large", "https://x/thumb" };

      g_assert_cmpint (json_object_get_int_member (e, "Type"), ==, i + 1);
      g_assert_cmpint (json_object_get_int_member (e, "MsgType"), ==, local_type[i]);
      g_assert_cmpstr (json_object_get_string_member (e, "URL"), ==, url[i]);
    }
}

static void
test_group_tip_payload (void)
{
  g_autoptr (JsonObject) wire = parse_object (
      "{\"MsgType\":\"TIMGroupTipElem\",\"MsgContent\":{\"OpType\":1,"
      "\"Operator_Account\":\"alice\",\"List_Account\":[\"bob\",\"carol\"],\"MemberNum\":3,"
      "\"MsgMemberExtraInfo\":[{\"UserId\":\"bob\",\"NickName\":\"Bob\","
      "\"ImageUrl\":\"https://x/b.png\",\"NameCard\":\"bobby\"}],"
      "\"GroupInfo\":{\"GroupId\":\"g1\",\"GroupName\":\"Team\",\"From_Account\":\"alice\","
      "\"To_Account\":\"g1\",\"Extra\":1},"
      "\"OperatorInfo\":{\"x\":1},\"RemarkInfo\":\"r\",\"MemberExtraInfo\":{},"
      "\"OnlineMemberInfo\":{},\"FutureField\":\"v\"}}");
  g_autoptr (JsonObject) quit =
      parse_object ("{\"MsgType\":\"TIMGroupTipElem\",\"MsgContent\":{\"OpType\":\"2\","
                    "\"Operator_Account\":\"dave\"}}");
  g_autoptr (JsonObject) profile =
      parse_object ("{\"MsgType\":\"TIMGroupTipElem\",\"MsgContent\":{\"OpType\":6,"
                    "\"Operator_Account\":\"alice\",\"MsgGroupNewInfo\":{\"GroupName\":\"New\","
                    "\"MuteAllMembers\":\"On\",\"GroupFaceUrl\":\"https://x/g.png\","
                    "\"GroupIntroduction\":\"About\",\"Owner_Account\":\"bob\"}}}");
  TimElemType type = TIM_ELEM_UNKNOWN;
  g_autoptr (JsonObject) p = tim_elem_to_payload (wire, &type);
  g_autoptr (JsonObject) q = tim_elem_to_payload (quit, NULL);
  g_autoptr (JsonObject) r = tim_elem_to_payload (profile, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) refused = NULL;
  JsonArray *ids;
  JsonObject *member, *group, *new_profile;

  g_assert_cmpint (type, ==, TIM_ELEM_GROUP_TIP);
  g_assert_cmpint (json_object_get_int_member (p, "operationType"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (p, "operatorID"), ==, "alice");
  ids = json_object_get_array_member (p, "userIDList");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (ids, 1), ==, "carol");
  member = json_array_get_object_element (json_object_get_array_member (p, "memberList"), 0);
  g_assert_cmpstr (json_object_get_string_member (member, "userID"), ==, "bob");
  g_assert_cmpstr (json_object_get_string_member (member, "nick"), ==, "Bob");
  g_assert_cmpstr (json_object_get_string_member (member, "avatar"), ==, "https://x/b.png");
  g_assert_cmpstr (json_object_get_string_member (member, "nameCard"), ==, "bobby");
  g_assert_cmpint (json_object_get_int_member (p, "memberNum"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (p, "memberCount"), ==, 3);
  group = json_object_get_object_member (p, "groupProfile");
  g_assert_cmpuint (json_object_get_size (group), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (group, "groupID"), ==, "g1");
  g_assert_cmpstr (json_object_get_string_member (group, "groupName"), ==, "Team");
  g_assert_cmpstr (json_object_get_string_member (group, "from"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (group, "to"), ==, "g1");
  g_assert_false (json_object_has_member (p, "operatorInfo"));
  g_assert_false (json_object_has_member (p, "remarkInfo"));
  g_assert_false (json_object_has_member (p, "memberExtraInfo"));
  g_assert_false (json_object_has_member (p, "onlineMemberInfo"));
  g_assert_false (json_object_has_member (p, "newGroupProfile"));
  g_assert_cmpstr (json_object_get_string_member (p, "futureField"), ==, "v");

  /* userIDList defaults to [operatorID]; no MemberNum, no memberNum. */
  g_assert_cmpint (json_object_get_int_member (q, "operationType"), ==, 2);
  ids = json_object_get_array_member (q, "userIDList");
  g_assert_cmpuint (json_array_get_length (ids), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (ids, 0), ==, "dave");
  g_assert_false (json_object_has_member (q, "memberNum"));
  g_assert_false (json_object_has_member (q, "groupProfile"));

  /* Op 6: newGroupProfile, muteAllMembers as a boolean. */
  new_profile = json_object_get_object_member (r, "newGroupProfile");
  g_assert_nonnull (new_profile);
  g_assert_cmpstr (json_object_get_string_member (new_profile, "groupName"), ==, "New");
  g_assert_cmpint (
      json_node_get_value_type (json_object_get_member (new_profile, "muteAllMembers")), ==,
      G_TYPE_BOOLEAN);
  g_assert_true (json_object_get_boolean_member (new_profile, "muteAllMembers"));
  /* The SDK's names for the rest. */
  g_assert_cmpstr (json_object_get_string_member (new_profile, "avatar"), ==, "https://x/g.png");
  g_assert_cmpstr (json_object_get_string_member (new_profile, "introduction"), ==, "About");
  g_assert_cmpstr (json_object_get_string_member (new_profile, "ownerID"), ==, "bob");
  g_assert_cmpuint (json_object_get_size (new_profile), ==, 5);

  /* Not something a client can send. */
  refused = tim_elem_from_payload (TIM_ELEM_GROUP_TIP, p, &error);
  g_assert_null (refused);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID);
}

static void
test_group_notice_payload (void)
{
  g_autoptr (JsonObject) wire = parse_object (
      "{\"MsgType\":\"TIMGroupSystemNoticeElem\",\"MsgContent\":{\"ReportType\":1,"
      "\"Operator_Account\":\"eve\",\"RemarkInfo\":\"let me in\",\"MsgKey\":\"k1\","
      "\"Authentication\":\"auth\",\"UserDefinedField\":\"udf\","
      "\"GroupInfo\":{\"GroupId\":\"g1\",\"GroupName\":\"Team\",\"From_Account\":\"eve\","
      "\"To_Account\":\"admin\"},\"MemberInfoList\":[{\"x\":1}],\"PlatformHint\":\"web\"}}");
  g_autoptr (JsonObject) udf =
      parse_object ("{\"MsgType\":\"TIMGroupSystemNoticeElem\",\"MsgContent\":{\"ReportType\":255,"
                    "\"UDF\":\"custom text\"}}");
  TimElemType type = TIM_ELEM_UNKNOWN;
  g_autoptr (JsonObject) p = tim_elem_to_payload (wire, &type);
  g_autoptr (JsonObject) u = tim_elem_to_payload (udf, NULL);
  JsonObject *group;

  g_assert_cmpint (type, ==, TIM_ELEM_GROUP_SYSTEM_NOTICE);
  g_assert_cmpint (json_object_get_int_member (p, "operationType"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (p, "operatorID"), ==, "eve");
  g_assert_cmpstr (json_object_get_string_member (p, "handleMessage"), ==, "let me in");
  g_assert_cmpstr (json_object_get_string_member (p, "messageKey"), ==, "k1");
  g_assert_cmpstr (json_object_get_string_member (p, "authentication"), ==, "auth");
  g_assert_cmpstr (json_object_get_string_member (p, "userDefinedField"), ==, "udf");
  group = json_object_get_object_member (p, "groupProfile");
  g_assert_cmpuint (json_object_get_size (group), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (group, "groupID"), ==, "g1");
  g_assert_cmpstr (json_object_get_string_member (group, "name"), ==, "Team");
  g_assert_false (json_object_has_member (group, "groupName"));
  g_assert_cmpstr (json_object_get_string_member (group, "to"), ==, "admin");
  g_assert_false (json_object_has_member (p, "memberInfoList"));
  g_assert_false (json_object_has_member (p, "remarkInfo"));
  g_assert_cmpstr (json_object_get_string_member (p, "platformHint"), ==, "web");

  g_assert_cmpint (json_object_get_int_member (u, "operationType"), ==, 255);
  g_assert_cmpstr (json_object_get_string_member (u, "userDefinedField"), ==, "custom text");
}

static void
test_unknown_type_payload (void)
{
  g_autoptr (JsonObject) wire =
      parse_object ("{\"MsgType\":\"TIMFutureElem\",\"MsgContent\":{\"A\":1,\"b\":[1,{\"c\":2}]}}");
  TimElemType type = TIM_ELEM_TEXT;
  g_autoptr (JsonObject) p = tim_elem_to_payload (wire, &type);
  JsonObject *content = json_object_get_object_member (wire, "MsgContent");
  g_autoptr (JsonObject) no_content = parse_object ("{\"MsgType\":\"TIMTextElem\"}");

  g_assert_cmpint (type, ==, TIM_ELEM_UNKNOWN);
  assert_objects_equal (p, content);
  /* A copy, not a shared reference. */
  json_array_add_int_element (json_object_get_array_member (p, "b"), 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (content, "b")), ==, 2);

  g_assert_null (tim_elem_to_payload (no_content, NULL));
}

static void
test_from_payload_errors (void)
{
  static const struct
  {
    TimElemType type;
    const char *payload;
    const char *message;
  } cases[] = {
    { TIM_ELEM_TEXT, "{\"text\":\"\"}", "Text: must not be empty" },
    { TIM_ELEM_TEXT, "{\"text\":5}", "Text: must be a string" },
    { TIM_ELEM_TEXT, "{}", "Text: missing" },
    { TIM_ELEM_FACE, "{\"index\":\"first\"}", "Index: must be an integer" },
    { TIM_ELEM_CUSTOM, "{}", "Data, Desc or Ext must be non-empty" },
    { TIM_ELEM_LOCATION, "{\"description\":\"d\",\"longitude\":1}", "Latitude: missing" },
    { TIM_ELEM_IMAGE, "{\"uuid\":\"u\",\"imageFormat\":1}", "ImageInfoArray: missing" },
    { TIM_ELEM_IMAGE,
      "{\"uuid\":\"u\",\"imageFormat\":1,\"imageInfoArray\":[{\"sizeType\":1,\"size\":1,"
      "\"width\":1,\"height\":1}]}",
      "ImageInfoArray[0].URL: missing" },
    { TIM_ELEM_RELAY,
      "{\"title\":\"t\",\"messageList\":[{\"messageBody\":[{\"type\":\"TIMTextElem\","
      "\"payload\":{\"text\":7}}]}]}",
      "Text: must be a string" },
    { TIM_ELEM_GROUP_SYSTEM_NOTICE, "{}", "cannot be sent" },
    { TIM_ELEM_UNKNOWN, "{}", "cannot be sent" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonObject) payload = parse_object (cases[i].payload);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) wire = tim_elem_from_payload (cases[i].type, payload, &error);

      g_test_message ("bad payload %s", cases[i].payload);
      g_assert_null (wire);
      g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("payload %s: expected \"%s\" in \"%s\"", cases[i].payload, cases[i].message,
                 error->message);
    }

  {
    g_autoptr (GError) error = NULL;

    g_assert_null (tim_elem_from_payload (TIM_ELEM_TEXT, NULL, &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID);
  }

  /* A chat history with a key goes by it: its messages stay out of the wire, their number in. */
  {
    g_autoptr (JsonObject) payload = parse_object (
        "{\"title\":\"t\",\"downloadKey\":\"k1\",\"pbDownloadKey\":\"k1\",\"messageList\":["
        "{\"from\":\"a\",\"messageBody\":[{\"type\":\"TIMTextElem\",\"payload\":{\"text\":\"x\"}}]}"
        ","
        "{\"from\":\"b\",\"messageBody\":[{\"type\":\"TIMTextElem\",\"payload\":{\"text\":\"y\"}}]}"
        "]}");
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) wire = tim_elem_from_payload (TIM_ELEM_RELAY, payload, &error);
    JsonObject *c;

    g_assert_no_error (error);
    c = json_object_get_object_member (wire, "MsgContent");
    g_assert_false (json_object_has_member (c, "MsgList"));
    g_assert_cmpint (json_object_get_int_member (c, "MsgNum"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (c, "JsonMsgKey"), ==, "k1");
    g_assert_cmpstr (json_object_get_string_member (c, "PbMsgKey"), ==, "k1");
  }

  /* Numeric strings in a payload become numbers on the wire. */
  {
    g_autoptr (JsonObject) payload = parse_object ("{\"index\":\"7\"}");
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) wire = tim_elem_from_payload (TIM_ELEM_FACE, payload, &error);
    JsonObject *c;

    g_assert_no_error (error);
    c = json_object_get_object_member (wire, "MsgContent");
    g_assert_cmpint (json_node_get_value_type (json_object_get_member (c, "Index")), ==,
                     G_TYPE_INT64);
    g_assert_cmpint (json_object_get_int_member (c, "Index"), ==, 7);
    g_assert_cmpstr (json_object_get_string_member (c, "Data"), ==, "");
  }
}

/* The server parses requests with an immutable parser; nothing here may try to modify them. */
static void
test_immutable_input (void)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) json = g_string_new ("[");
  JsonArray *body;

  for (gsize i = 0; i < G_N_ELEMENTS (wire_samples); i++)
    g_string_append_printf (json, "%s%s", i > 0 ? "," : "", wire_samples[i].json);
  g_string_append_c (json, ']');
  g_assert_true (json_parser_load_from_data (parser, json->str, -1, &error));
  g_assert_no_error (error);
  body = json_node_get_array (json_parser_get_root (parser));
  g_assert_true (json_array_is_immutable (body));

  g_assert_true (tim_msg_body_validate (body, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tim_msg_body_serialized_size (body), ==, json->len);
  for (guint i = 0; i < json_array_get_length (body); i++)
    {
      g_autoptr (JsonObject) payload =
          tim_elem_to_payload (json_array_get_object_element (body, i), NULL);
      g_autoptr (JsonObject) wire = NULL;

      g_assert_nonnull (payload);
      g_assert_false (json_object_is_immutable (payload));
      wire = tim_elem_from_payload (wire_samples[i].type, payload, &error);
      g_assert_no_error (error);
      assert_objects_equal (wire, json_array_get_object_element (body, i));
    }
  {
    g_autofree char *show = tim_msg_body_message_for_show (body, TRUE);

    g_assert_cmpstr (show, ==,
                     "hello[Image][Voice][Video][File][Animated Sticker][Location]"
                     "[Custom Messages][Chat Record]");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/elem/type-strings", test_type_strings);
  g_test_add_func ("/elem/roundtrip/wire", test_roundtrip_wire);
  g_test_add_func ("/elem/roundtrip/payload", test_roundtrip_payload);
  g_test_add_func ("/elem/video-snapshot-duplicates", test_video_snapshot_duplicates);
  g_test_add_func ("/elem/image-order", test_image_order);
  g_test_add_func ("/elem/payload/group-tip", test_group_tip_payload);
  g_test_add_func ("/elem/payload/group-notice", test_group_notice_payload);
  g_test_add_func ("/elem/payload/unknown-type", test_unknown_type_payload);
  g_test_add_func ("/elem/from-payload/errors", test_from_payload_errors);
  g_test_add_func ("/elem/immutable-input", test_immutable_input);

  return g_test_run ();
}
