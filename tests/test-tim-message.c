/* test-tim-message.c: TimMessage from C2C and group wire items (sdk-wire-notes.md §4, §8), its ID,
 * the store record round trip and property notifications. */
#define G_LOG_DOMAIN "test-tim-message"

#include "config.h"

#include <string.h>

#include "tim-json.h"
#include "tim-message-private.h"
#include "tim-text.h"

static JsonObject *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonObject *object = tim_json_parse_object (json, -1, &error);

  g_assert_no_error (error);
  return object;
}

#define C2C_ITEM                                                                                   \
  "{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgSeq\":2012500001,"                      \
  "\"MsgRandom\":25169083,\"MsgTimeStamp\":1795637571,\"MsgClientTime\":1795637570,"               \
  "\"TinyId\":\"144115000000000001\",\"MsgKey\":\"k\",\"ServerSeq\":7,"                            \
  "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello bob\"}}],"           \
  "\"CloudCustomData\":\"ccd\",\"From_AccountNick\":\"Alice\","                                    \
  "\"From_AccountHeadurl\":\"https://a/x.png\",\"MsgFlagBits\":0"

static TimMessage *
c2c (const char *extra, const char *me)
{
  g_autofree char *json = g_strconcat (C2C_ITEM, extra, "}", NULL);
  g_autoptr (JsonObject) item = parse (json);

  return _tim_message_new_from_c2c_wire (item, me);
}

static void
test_c2c_incoming (void)
{
  g_autoptr (TimMessage) m = c2c ("", "bob");

  g_assert_nonnull (m);
  g_assert_cmpstr (tim_message_get_id (m), ==, "144115000000000001-1795637570-25169083");
  g_assert_cmpint (tim_message_get_elem_type (m), ==, TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_type_string (m), ==, "TIMTextElem");
  g_assert_cmpstr (tim_message_get_text (m), ==, "hello bob");
  g_assert_cmpstr (tim_message_get_conversation_id (m), ==, "C2Calice");
  g_assert_cmpint (tim_message_get_conversation_type (m), ==, TIM_CONV_C2C);
  g_assert_cmpstr (tim_message_get_from (m), ==, "alice");
  g_assert_cmpstr (tim_message_get_to (m), ==, "bob");
  g_assert_cmpstr (tim_message_get_flow (m), ==, "in");
  g_assert_false (tim_message_get_is_read (m));
  g_assert_cmpint (tim_message_get_time (m), ==, 1795637571);
  g_assert_cmpint (tim_message_get_client_time (m), ==, 1795637570);
  g_assert_cmpint (tim_message_get_sequence (m), ==, 2012500001);
  g_assert_cmpint (tim_message_get_random (m), ==, 25169083);
  g_assert_cmpint (tim_message_get_server_seq (m), ==, 7);
  g_assert_cmpint (tim_message_get_status (m), ==, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_cmpint (tim_message_get_priority (m), ==, TIM_PRIORITY_NORMAL);
  g_assert_cmpstr (tim_message_get_sender_tinyid (m), ==, "144115000000000001");
  g_assert_cmpstr (tim_message_get_nick (m), ==, "Alice");
  g_assert_cmpstr (tim_message_get_avatar (m), ==, "https://a/x.png");
  g_assert_cmpstr (tim_message_get_cloud_custom_data (m), ==, "ccd");
  g_assert_false (tim_message_get_is_revoked (m));
  g_assert_false (tim_message_get_online_only (m));
  g_assert_false (tim_message_get_is_peer_read (m));
}

static void
test_c2c_outgoing_and_sync (void)
{
  g_autoptr (TimMessage) mine = c2c ("", "alice");
  /* My message from my other device: the server swaps From/To, the SDK swaps them back. */
  g_autoptr (TimMessage) synced = NULL;
  g_autoptr (JsonObject) item = parse (C2C_ITEM "}");

  g_assert_cmpstr (tim_message_get_conversation_id (mine), ==, "C2Cbob");
  g_assert_cmpstr (tim_message_get_flow (mine), ==, "out");
  g_assert_true (tim_message_get_is_read (mine));

  json_object_set_string_member (item, "From_Account", "bob");
  json_object_set_string_member (item, "To_Account", "alice");
  json_object_set_int_member (item, "IsSyncMsg", 1);
  synced = _tim_message_new_from_c2c_wire (item, "alice");
  g_assert_cmpstr (tim_message_get_from (synced), ==, "alice");
  g_assert_cmpstr (tim_message_get_to (synced), ==, "bob");
  g_assert_cmpstr (tim_message_get_flow (synced), ==, "out");
  g_assert_cmpstr (tim_message_get_conversation_id (synced), ==, "C2Cbob");
  g_assert_cmpstr (tim_message_get_id (synced), ==, tim_message_get_id (mine));
}

static void
test_c2c_flags (void)
{
  g_autoptr (TimMessage) recalled = c2c (",\"MsgFlagBits\":8,\"Revoker\":\"alice\"", "bob");
  g_autoptr (TimMessage) online = c2c (",\"MsgLifeTime\":0", "bob");
  g_autoptr (TimMessage) stored = c2c (",\"MsgLifeTime\":604800", "bob");
  g_autoptr (TimMessage) no_tinyid = NULL;
  g_autoptr (JsonObject) item = parse (C2C_ITEM "}");
  g_autoptr (JsonObject) bad = parse ("{\"From_Account\":\"a\",\"To_Account\":\"b\"}");

  g_assert_true (tim_message_get_is_revoked (recalled));
  g_assert_cmpstr (tim_message_get_revoker (recalled), ==, "alice");
  g_assert_true (tim_message_get_online_only (online));
  g_assert_false (tim_message_get_online_only (stored));

  /* A recalled message says nothing, whatever its body still holds. */
  {
    g_autoptr (JsonObject) emptied =
        parse ("{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgSeq\":5,"
               "\"MsgRandom\":6,\"MsgTimeStamp\":1795637570,\"MsgFlagBits\":8,"
               "\"Revoker\":\"alice\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
               "\"MsgContent\":{\"Text\":\"still here\"}}]}");
    g_autoptr (TimMessage) placeholder = _tim_message_new_from_c2c_wire (emptied, "bob");

    g_assert_nonnull (placeholder);
    g_assert_true (tim_message_get_is_revoked (placeholder));
    g_assert_cmpint (tim_message_get_elem_type (placeholder), ==, TIM_ELEM_UNKNOWN);
    g_assert_null (tim_message_get_text (placeholder));
    g_assert_cmpstr (tim_message_get_conversation_id (placeholder), ==, "C2Calice");
    g_assert_true (tim_message_get_is_revoked (recalled));
    g_assert_null (tim_message_get_text (recalled));
  }

  json_object_remove_member (item, "TinyId");
  no_tinyid = _tim_message_new_from_c2c_wire (item, "bob");
  g_assert_cmpstr (tim_message_get_id (no_tinyid), ==, "-1795637570-25169083");
  g_assert_null (_tim_message_new_from_c2c_wire (bad, "b"));
}

#define GROUP_ITEM                                                                                 \
  "{\"From_Account\":\"alice\",\"GroupInfo\":{\"GroupId\":\"@TGS#1\",\"GroupType\":\"Private\","   \
  "\"GroupName\":\"g\",\"From_Account\":\"alice\",\"MsgFrom_AccountExtraInfo\":"                   \
  "{\"Nick\":\"Alice\",\"NameCard\":\"\"}},\"ToGroupId\":\"@TGS#1\",\"MsgSeq\":2,"                 \
  "\"Random\":93763993,\"MsgTime\":1795637570,\"MsgClientTime\":1795637569,"                       \
  "\"ClientSeq\":2012500004,\"TinyId\":\"144115000000000001\",\"MsgPriority\":\"High\","           \
  "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello group\"}}],"         \
  "\"CloudCustomData\":\"\",\"OnlineOnlyFlag\":0,\"IsPlaceMsg\":0"

static TimMessage *
group (const char *extra, const char *me)
{
  g_autofree char *json = g_strconcat (GROUP_ITEM, extra, "}", NULL);
  g_autoptr (JsonObject) item = parse (json);

  return _tim_message_new_from_group_wire (item, me);
}

static void
test_group_items (void)
{
  g_autoptr (TimMessage) m = group ("", "bob");
  g_autoptr (TimMessage) mine = group ("", "alice");
  g_autoptr (TimMessage) recalled = group (",\"IsPlaceMsg\":2,\"Revoker\":\"alice\"", "bob");
  g_autoptr (TimMessage) low = group (",\"MsgPriority\":3,\"OnlineOnlyFlag\":1", "bob");
  g_autoptr (JsonObject) history = parse (
      "{\"From_Account\":\"carol\",\"IsPlaceMsg\":0,\"MsgBody\":[{\"MsgType\":\"TIMFaceElem\","
      "\"MsgContent\":{\"Index\":3,\"Data\":\"d\"}}],\"MsgPriority\":2,\"MsgRandom\":5,"
      "\"MsgSeq\":22,\"MsgTimeStamp\":1795637571,\"MsgClientTime\":1795637570,"
      "\"TinyId\":\"9\",\"CloudCustomData\":\"\",\"ToGroupId\":\"@TGS#2\"}");
  g_autoptr (TimMessage) h = _tim_message_new_from_group_wire (history, "bob");

  g_assert_cmpstr (tim_message_get_id (m), ==, "144115000000000001-1795637569-93763993");
  g_assert_cmpstr (tim_message_get_conversation_id (m), ==, "GROUP@TGS#1");
  g_assert_cmpint (tim_message_get_conversation_type (m), ==, TIM_CONV_GROUP);
  g_assert_cmpstr (tim_message_get_to (m), ==, "@TGS#1");
  g_assert_cmpstr (tim_message_get_flow (m), ==, "in");
  g_assert_cmpint (tim_message_get_priority (m), ==, TIM_PRIORITY_HIGH);
  g_assert_cmpint (tim_message_get_sequence (m), ==, 2);
  g_assert_cmpint (tim_message_get_random (m), ==, 93763993);
  g_assert_cmpint (tim_message_get_time (m), ==, 1795637570);
  g_assert_cmpstr (tim_message_get_nick (m), ==, "Alice");
  g_assert_false (tim_message_get_online_only (m));
  g_assert_false (tim_message_get_is_revoked (m));
  g_assert_cmpstr (tim_message_get_flow (mine), ==, "out");
  g_assert_true (tim_message_get_is_read (mine));

  g_assert_true (tim_message_get_is_revoked (recalled));
  g_assert_cmpstr (tim_message_get_revoker (recalled), ==, "alice");
  g_assert_cmpint (tim_message_get_priority (low), ==, TIM_PRIORITY_LOW);
  g_assert_true (tim_message_get_online_only (low));

  g_assert_cmpstr (tim_message_get_conversation_id (h), ==, "GROUP@TGS#2");
  g_assert_cmpint (tim_message_get_elem_type (h), ==, TIM_ELEM_FACE);
  g_assert_cmpint (json_object_get_int_member (tim_message_get_payload (h), "index"), ==, 3);
  g_assert_cmpstr (tim_message_get_id (h), ==, "9-1795637570-5");

  /* Placeholders are dropped. */
  g_assert_null (group (",\"IsPlaceMsg\":1", "bob"));
}

static void
test_group_tips_and_notices (void)
{
  g_autoptr (JsonObject) tip_item = parse (
      "{\"GroupInfo\":{\"GroupId\":\"@TGS#1\"},\"From_Account\":\"alice\",\"MsgSeq\":5,"
      "\"MsgRandom\":11,\"MsgTimeStamp\":1795637580,\"MsgBody\":{\"OpType\":1,"
      "\"Operator_Account\":\"alice\",\"List_Account\":[\"carol\"],\"MemberNum\":3,"
      "\"MsgMemberExtraInfo\":[{\"UserId\":\"carol\",\"NickName\":\"\",\"ImageUrl\":\"\"}]}}");
  g_autoptr (JsonObject) notice_item = parse (
      "{\"GroupInfo\":{\"GroupId\":\"@TGS#1\",\"GroupName\":\"g\"},\"GroupId\":\"@TGS#1\","
      "\"From_Account\":\"@TIM#SYSTEM\",\"To_Account\":\"bob\",\"MsgSeq\":1,\"MsgRandom\":1,"
      "\"MsgTimeStamp\":1795637590,\"MsgBody\":{\"ReportType\":5,\"Operator_Account\":\"alice\","
      "\"RemarkInfo\":\"\",\"MsgKey\":\"k\",\"Authentication\":\"\",\"UserDefinedField\":\"\"}}");
  g_autoptr (JsonObject) recall_item =
      parse ("{\"GroupInfo\":{\"GroupId\":\"@TGS#1\"},\"MsgBody\":{\"GroupWithdrawInfoArray\":"
             "[{\"GroupId\":\"@TGS#1\",\"MsgSeq\":23}]},\"MsgSeq\":0}");
  g_autoptr (TimMessage) tip = _tim_message_new_group_tip (tip_item, "bob");
  g_autoptr (TimMessage) auto_tip = _tim_message_new_from_group_wire (tip_item, "bob");
  g_autoptr (TimMessage) notice = _tim_message_new_system_notice (notice_item, "bob");
  g_autoptr (JsonArray) tip_body = NULL;
  g_autofree char *tip_text = NULL;
  g_autofree char *notice_text = NULL;
  g_autofree char *show = NULL;

  g_assert_cmpint (tim_message_get_elem_type (tip), ==, TIM_ELEM_GROUP_TIP);
  g_assert_cmpstr (tim_message_get_conversation_id (tip), ==, "GROUP@TGS#1");
  g_assert_cmpstr (tim_message_get_id (auto_tip), ==, tim_message_get_id (tip));
  tip_text = tim_message_dup_tip_text (tip);
  g_assert_cmpstr (tip_text, ==, "alice added carol to the group");
  show = tim_message_dup_message_for_show (tip);
  g_assert_cmpstr (show, ==, "[Group Notification]");
  tip_body = _tim_message_dup_msg_body (tip);
  g_assert_cmpuint (json_array_get_length (tip_body), ==, 1);
  g_assert_cmpstr (tim_json_get_string (tim_json_array_get_object (tip_body, 0), "MsgType"), ==,
                   "TIMGroupTipElem");

  g_assert_cmpint (tim_message_get_elem_type (notice), ==, TIM_ELEM_GROUP_SYSTEM_NOTICE);
  g_assert_cmpstr (tim_message_get_conversation_id (notice), ==, "@TIM#SYSTEM");
  g_assert_cmpint (tim_message_get_conversation_type (notice), ==, TIM_CONV_SYSTEM);
  g_assert_cmpstr (tim_message_get_from (notice), ==, "@TIM#SYSTEM");
  g_assert_cmpstr (tim_message_get_sender_tinyid (notice), ==, "144115198244471703");
  g_assert_true (g_str_has_prefix (tim_message_get_id (notice), "144115198244471703-1795637590-"));
  /* (1,1) is one of the pairs the seed replaces. */
  g_assert_false (tim_message_get_sequence (notice) == 1 && tim_message_get_random (notice) == 1);
  notice_text = tim_message_dup_tip_text (notice);
  /* All groups' notices share one conversation: each names its group. */
  g_assert_cmpstr (notice_text, ==, "g: The group was dismissed by alice");

  g_assert_null (_tim_message_new_from_group_wire (recall_item, "bob"));
}

static void
test_outgoing_id_and_body (void)
{
  g_autoptr (JsonObject) payload = parse ("{\"text\":\"hi\"}");
  g_autoptr (JsonObject) image = parse ("{\"uuid\":\"u\",\"imageFormat\":3,\"imageInfoArray\":[]}");
  g_autoptr (TimMessage) m =
      _tim_message_new_outgoing ("alice", "144115000000000001", "bob", TIM_CONV_C2C, TIM_ELEM_TEXT,
                                 payload, 1795635630, 42139577, 1940300001, TIM_PRIORITY_NORMAL);
  g_autoptr (TimMessage) g = _tim_message_new_outgoing (
      "alice", "1", "@TGS#1", TIM_CONV_GROUP, TIM_ELEM_IMAGE, image, 10, 20, 30, TIM_PRIORITY_HIGH);
  g_autoptr (JsonArray) body = _tim_message_dup_msg_body (m);
  JsonObject *content;
  g_autofree char *show = tim_message_dup_message_for_show (m);
  g_autofree char *image_show = tim_message_dup_message_for_show (g);

  g_assert_cmpstr (tim_message_get_id (m), ==, "144115000000000001-1795635630-42139577");
  g_assert_cmpint (tim_message_get_status (m), ==, TIM_MESSAGE_STATUS_UNSENT);
  g_assert_cmpstr (tim_message_get_flow (m), ==, "out");
  g_assert_true (tim_message_get_is_read (m));
  g_assert_cmpstr (tim_message_get_conversation_id (m), ==, "C2Cbob");
  g_assert_cmpstr (tim_message_get_conversation_id (g), ==, "GROUP@TGS#1");
  g_assert_cmpint (tim_message_get_priority (g), ==, TIM_PRIORITY_HIGH);
  g_assert_cmpuint (json_array_get_length (body), ==, 1);
  content = tim_json_get_object (tim_json_array_get_object (body, 0), "MsgContent");
  g_assert_cmpstr (tim_json_get_string (content, "Text"), ==, "hi");
  g_assert_cmpstr (show, ==, "hi");
  g_assert_cmpstr (image_show, ==, "[Image]");
}

/* What people read (the conversation list, notifications, quotes) is ours and translated; what
 * goes on the wire stays the SDK's English ("[Chat Record]", "[Voice]"). */
static void
test_summary (void)
{
  const struct
  {
    TimElemType type;
    const char *payload;
    const char *wire;
    const char *summary;
  } cases[] = {
    { TIM_ELEM_TEXT, "{\"text\":\"hi [Grin]\"}", "hi [Grin]", "hi [Grin]" },
    { TIM_ELEM_SOUND, "{\"uuid\":\"s\",\"second\":3}", "[Voice]", "[Voice Message]" },
    { TIM_ELEM_FACE, "{\"index\":1,\"data\":\"x\"}", "[Animated Sticker]", "[Sticker]" },
    { TIM_ELEM_CUSTOM, "{\"data\":\"d\"}", "[Custom Messages]", "[Custom Message]" },
    { TIM_ELEM_RELAY, "{\"title\":\"t\",\"messageList\":[]}", "[Chat Record]", "[Chat History]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonObject) payload = parse (cases[i].payload);
      g_autoptr (TimMessage) message =
          _tim_message_new_outgoing ("alice", "1", "bob", TIM_CONV_C2C, cases[i].type, payload, 10,
                                     20, 30, TIM_PRIORITY_NORMAL);
      g_autofree char *wire = tim_message_dup_message_for_show (message);
      g_autofree char *summary = tim_message_dup_summary (message);

      g_assert_cmpstr (wire, ==, cases[i].wire);
      g_assert_cmpstr (summary, ==, cases[i].summary);
    }
}

/* Every readable property of a and b holds the same value. */
static void
assert_same_properties (TimMessage *a, TimMessage *b)
{
  guint n = 0;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n);

  g_assert_cmpuint (n, >=, 30);
  for (guint i = 0; i < n; i++)
    {
      g_auto (GValue) va = G_VALUE_INIT;
      g_auto (GValue) vb = G_VALUE_INIT;
      GType type = G_PARAM_SPEC_VALUE_TYPE (specs[i]);
      const char *name = specs[i]->name;

      g_value_init (&va, type);
      g_value_init (&vb, type);
      g_object_get_property (G_OBJECT (a), name, &va);
      g_object_get_property (G_OBJECT (b), name, &vb);
      if (type == JSON_TYPE_OBJECT)
        g_assert_true (json_object_equal (g_value_get_boxed (&va), g_value_get_boxed (&vb)));
      else if (type == G_TYPE_FILE && g_value_get_object (&va) != NULL)
        g_assert_true (g_file_equal (g_value_get_object (&va), g_value_get_object (&vb)));
      else if (g_param_values_cmp (specs[i], &va, &vb) != 0)
        g_error ("property %s differs after the round trip", name);
    }
}

static void
test_record_round_trip (void)
{
  g_autoptr (TimMessage) m = c2c (",\"MsgFlagBits\":8,\"Revoker\":\"alice\"", "alice");
  g_autoptr (GFile) file = g_file_new_for_path ("/tmp/photo.png");
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (JsonObject) reparsed = NULL;
  g_autoptr (TimMessage) back = NULL;
  g_autofree char *text = NULL;

  _tim_message_set_status (m, TIM_MESSAGE_STATUS_FAIL);
  _tim_message_set_server_seq (m, 99);
  _tim_message_set_is_peer_read (m, TRUE);
  _tim_message_set_upload (m, 10, 40);
  _tim_message_set_error (m, 80001, "sensitive words");
  _tim_message_set_local_file (m, file);
  _tim_message_set_online_only (m, TRUE);
  record = _tim_message_to_record (m);
  /* Through text, as the store keeps it. */
  text = tim_json_to_string (record, NULL);
  reparsed = parse (text);
  back = _tim_message_new_from_record (reparsed);
  g_assert_nonnull (back);
  assert_same_properties (m, back);
  g_assert_cmpfloat (tim_message_get_upload_progress (back), ==, 0.25);

  {
    g_autoptr (JsonObject) tip_item =
        parse ("{\"GroupInfo\":{\"GroupId\":\"g1\"},\"From_Account\":\"alice\",\"MsgSeq\":5,"
               "\"MsgRandom\":11,\"MsgTimeStamp\":1,\"MsgBody\":{\"OpType\":2,"
               "\"Operator_Account\":\"alice\"}}");
    g_autoptr (TimMessage) tip = _tim_message_new_group_tip (tip_item, "bob");
    g_autoptr (JsonObject) tip_record = _tim_message_to_record (tip);
    g_autoptr (TimMessage) tip_back = _tim_message_new_from_record (tip_record);
    g_autoptr (JsonArray) body_a = _tim_message_dup_msg_body (tip);
    g_autoptr (JsonArray) body_b = _tim_message_dup_msg_body (tip_back);
    g_autoptr (JsonNode) node_a = json_node_init_array (json_node_alloc (), body_a);
    g_autoptr (JsonNode) node_b = json_node_init_array (json_node_alloc (), body_b);

    assert_same_properties (tip, tip_back);
    g_assert_true (json_node_equal (node_a, node_b));
  }
  /* The sender's name card in the group is kept with the message. */
  {
    g_autoptr (JsonObject) item = parse (
        "{\"GroupInfo\":{\"GroupId\":\"g1\",\"MsgFrom_AccountExtraInfo\":{\"Nick\":\"Al\","
        "\"NameCard\":\"Cap\"}},\"From_Account\":\"alice\",\"MsgSeq\":6,\"Random\":12,"
        "\"MsgTimeStamp\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
        "\"hi\"}}]}");
    g_autoptr (TimMessage) carded = _tim_message_new_from_group_wire (item, "bob");
    g_autoptr (JsonObject) carded_record = _tim_message_to_record (carded);
    g_autoptr (TimMessage) carded_back = _tim_message_new_from_record (carded_record);

    g_assert_cmpstr (tim_message_get_name_card (carded), ==, "Cap");
    g_assert_cmpstr (tim_message_get_sender_name (carded), ==, "Cap");
    assert_same_properties (carded, carded_back);
  }
}

typedef struct
{
  GHashTable *counts; /* property name -> count */
} Notes;

static void
on_notify (GObject *object, GParamSpec *pspec, Notes *notes)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, pspec->name));

  g_hash_table_insert (notes->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count (Notes *notes, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, name));
}

static guint
total (Notes *notes)
{
  GHashTableIter iter;
  gpointer value;
  guint sum = 0;

  g_hash_table_iter_init (&iter, notes->counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sum += GPOINTER_TO_UINT (value);
  return sum;
}

static void
test_notifications (void)
{
  g_autoptr (TimMessage) m = c2c ("", "bob");
  g_autoptr (GFile) file = g_file_new_for_path ("/tmp/a.png");
  g_autoptr (GFile) same_file = g_file_new_for_path ("/tmp/a.png");
  g_autoptr (JsonObject) payload = parse ("{\"text\":\"edited\"}");
  g_autoptr (JsonObject) same_payload = parse ("{\"text\":\"edited\"}");
  Notes notes = { g_hash_table_new (g_str_hash, g_str_equal) };

  g_signal_connect (m, "notify", G_CALLBACK (on_notify), &notes);

  /* Each setter twice: the second call changes nothing and must not notify. */
  for (int round = 0; round < 2; round++)
    {
      _tim_message_set_status (m, TIM_MESSAGE_STATUS_FAIL);
      _tim_message_set_time (m, 5);
      _tim_message_set_server_seq (m, 8);
      _tim_message_set_sequence (m, 9);
      _tim_message_set_is_peer_read (m, TRUE);
      _tim_message_set_is_read (m, TRUE);
      _tim_message_set_upload (m, 50, 100);
      _tim_message_set_error (m, 2100, "failed");
      _tim_message_set_payload (m, round == 0 ? payload : same_payload);
      _tim_message_set_local_file (m, round == 0 ? file : same_file);
      _tim_message_set_online_only (m, TRUE);
      _tim_message_set_sender_profile (m, "Al", "https://a/y.png");
    }

  static const char *const changed[] = {
    "status",      "time",         "server-seq",      "sequence",   "is-peer-read",  "is-read",
    "upload-sent", "upload-total", "upload-progress", "error-code", "error-message", "payload",
    "text",        "local-file",   "online-only",     "nick",       "avatar",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (changed); i++)
    if (count (&notes, changed[i]) != 1)
      g_error ("%s notified %u times", changed[i], count (&notes, changed[i]));
  g_assert_cmpuint (total (&notes), ==, G_N_ELEMENTS (changed));

  /* A change of total alone moves the progress, not the sent bytes. */
  g_hash_table_remove_all (notes.counts);
  _tim_message_set_upload (m, 50, 200);
  g_assert_cmpuint (count (&notes, "upload-sent"), ==, 0);
  g_assert_cmpuint (count (&notes, "upload-total"), ==, 1);
  g_assert_cmpuint (count (&notes, "upload-progress"), ==, 1);
  g_assert_cmpfloat (tim_message_get_upload_progress (m), ==, 0.25);
  /* Same progress, different numbers. */
  _tim_message_set_upload (m, 100, 400);
  g_assert_cmpuint (count (&notes, "upload-progress"), ==, 1);

  /* A recall forgets what the message said (its text, payload, element, file), once; the kind
   * of message it was (its type string) stays, as the SDK's recalled message keeps its type. */
  g_hash_table_remove_all (notes.counts);
  _tim_message_set_revoked (m, "alice");
  _tim_message_set_revoked (m, "alice");
  g_assert_true (tim_message_get_is_revoked (m));
  g_assert_cmpstr (tim_message_get_revoker (m), ==, "alice");
  g_assert_null (tim_message_get_text (m));
  g_assert_cmpuint (json_object_get_size (tim_message_get_payload (m)), ==, 0);
  g_assert_cmpint (tim_message_get_elem_type (m), ==, TIM_ELEM_UNKNOWN);
  g_assert_null (tim_message_get_local_file (m));
  g_assert_nonnull (tim_message_get_type_string (m));
  g_assert_cmpuint (count (&notes, "type"), ==, 0);
  {
    static const char *const recalled[] = { "is-revoked", "revoker",   "payload",
                                            "text",       "elem-type", "local-file" };

    for (gsize i = 0; i < G_N_ELEMENTS (recalled); i++)
      if (count (&notes, recalled[i]) != 1)
        g_error ("%s notified %u times on a recall", recalled[i], count (&notes, recalled[i]));
  }

  g_hash_table_unref (notes.counts);
  g_signal_handlers_disconnect_by_func (m, on_notify, &notes);
  g_assert_finalize_object (g_steal_pointer (&m));
}

static TimMessage *
outgoing (TimElemType kind, const char *payload_json)
{
  g_autoptr (JsonObject) payload = parse (payload_json);

  return _tim_message_new_outgoing ("alice", "144115000000000001", "bob", TIM_CONV_C2C, kind,
                                    payload, 1795635630, 42139577, 1940300001, TIM_PRIORITY_NORMAL);
}

/* A reply quotes its original in TUIKit's messageReply (kept in the record, sent as
 * CloudCustomData); an app's own JSON object stays beside it; other custom data, a sent reply or
 * a recalled original are refused without a change. */
static void
test_reply (void)
{
  g_autoptr (TimMessage) original =
      outgoing (TIM_ELEM_TEXT, "{\"text\":\"lunch at [Grin] noon?\"}");
  g_autoptr (TimMessage) picture = outgoing (TIM_ELEM_IMAGE, "{\"imageInfoArray\":[]}");
  g_autoptr (TimMessage) reply = outgoing (TIM_ELEM_TEXT, "{\"text\":\"yes\"}");
  g_autoptr (TimMessage) long_reply = outgoing (TIM_ELEM_TEXT, "{\"text\":\"ok\"}");
  g_autoptr (TimMessage) plain = outgoing (TIM_ELEM_TEXT, "{\"text\":\"x\"}");
  g_autoptr (TimMessage) long_text = NULL;
  g_autoptr (JsonObject) custom = NULL;
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (TimMessage) back = NULL;
  g_autoptr (GString) many = g_string_new (NULL);
  g_autofree char *id = NULL, *sender = NULL, *abstract = NULL;
  JsonObject *quote;

  original->nick = g_strdup ("Alice A.");
  g_assert_false (tim_message_dup_reply (plain, NULL, NULL, NULL));
  _tim_message_set_cloud_custom_data (reply, "{\"app\":\"kept\"}");
  g_assert_true (tim_message_set_reply_to (reply, original));
  custom = tim_json_parse_object (tim_message_get_cloud_custom_data (reply), -1, NULL);
  g_assert_nonnull (custom);
  g_assert_cmpstr (tim_json_get_string (custom, "app"), ==, "kept");
  quote = tim_json_get_object (custom, "messageReply");
  g_assert_cmpstr (tim_json_get_string (quote, "messageID"), ==, tim_message_get_id (original));
  g_assert_cmpstr (tim_json_get_string (quote, "messageSender"), ==, "Alice A.");
  g_assert_cmpstr (tim_json_get_string (quote, "messageAbstract"), ==, "lunch at [Grin] noon?");
  g_assert_cmpint (tim_json_get_int_or (quote, "messageType", 0), ==, 1);
  g_assert_cmpint (tim_json_get_int_or (quote, "version", 0), ==, 1);

  /* Read back, also from the local store's record. */
  record = _tim_message_to_record (reply);
  back = _tim_message_new_from_record (record);
  g_assert_true (tim_message_dup_reply (back, &id, &sender, &abstract));
  g_assert_cmpstr (id, ==, tim_message_get_id (original));
  g_assert_cmpstr (sender, ==, "Alice A.");
  g_assert_cmpstr (abstract, ==, "lunch at [Grin] noon?");

  /* A picture is quoted as what it shows; a long text is cut at 100 characters. */
  g_assert_true (tim_message_set_reply_to (plain, picture));
  g_clear_pointer (&abstract, g_free);
  g_assert_true (tim_message_dup_reply (plain, NULL, NULL, &abstract));
  g_assert_cmpstr (abstract, ==, "[Image]");
  for (int i = 0; i < 30; i++)
    g_string_append (many, "één ");
  long_text = outgoing (TIM_ELEM_TEXT, "{\"text\":\"\"}");
  json_object_set_string_member (tim_message_get_payload (long_text), "text", many->str);
  g_assert_true (tim_message_set_reply_to (long_reply, long_text));
  g_clear_pointer (&abstract, g_free);
  g_assert_true (tim_message_dup_reply (long_reply, NULL, NULL, &abstract));
  g_assert_cmpint (g_utf8_strlen (abstract, -1), ==, 101);
  g_assert_true (g_str_has_suffix (abstract, "…"));

  /* Refused: custom data that is not a JSON object, a sent reply, a recalled original. */
  _tim_message_set_cloud_custom_data (plain, "raw app data");
  g_assert_false (tim_message_set_reply_to (plain, original));
  g_assert_cmpstr (tim_message_get_cloud_custom_data (plain), ==, "raw app data");
  _tim_message_set_status (long_reply, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_false (tim_message_set_reply_to (long_reply, original));
  _tim_message_set_revoked (picture, "alice");
  _tim_message_set_cloud_custom_data (plain, "");
  g_assert_false (tim_message_set_reply_to (plain, picture));
}

/* The typed payload fields the app reads instead of JSON, for every kind that has them. */
static void
test_typed_fields (void)
{
  g_autoptr (TimMessage) local_image = outgoing (TIM_ELEM_IMAGE, "{\"width\":640,\"height\":480}");
  g_autoptr (TimMessage) image = outgoing (
      TIM_ELEM_IMAGE, "{\"width\":640,\"height\":480,\"imageInfoArray\":["
                      "{\"type\":0,\"width\":640,\"height\":480,\"imageUrl\":\"http://h/o\"},"
                      "{\"type\":1,\"width\":264,\"height\":198,\"url\":\"http://h/t\"},"
                      "{\"type\":2,\"width\":640,\"height\":480,\"imageUrl\":\"http://h/l\"}]}");
  g_autoptr (TimMessage) video =
      outgoing (TIM_ELEM_VIDEO,
                "{\"videoUrl\":\"http://h/v\",\"videoSecond\":12,\"thumbUrl\":\"http://h/vt\","
                "\"thumbWidth\":320,\"thumbHeight\":180}");
  g_autoptr (TimMessage) sound = outgoing (TIM_ELEM_SOUND, "{\"url\":\"http://h/s\",\"second\":7}");
  g_autoptr (TimMessage) file = outgoing (
      TIM_ELEM_FILE, "{\"fileUrl\":\"http://h/f\",\"fileName\":\"a.pdf\",\"fileSize\":1234}");
  g_autoptr (TimMessage) custom =
      outgoing (TIM_ELEM_CUSTOM, "{\"data\":\"dice\",\"description\":\"4\"}");
  g_autoptr (TimMessage) face = outgoing (TIM_ELEM_FACE, "{\"index\":5}");
  g_autoptr (TimMessage) location = outgoing (
      TIM_ELEM_LOCATION, "{\"description\":\"Here\",\"latitude\":31.5,\"longitude\":121.25}");
  g_autoptr (TimMessage) relay = outgoing (TIM_ELEM_RELAY, "{\"title\":\"Chats\"}");
  g_autoptr (TimMessage) text = outgoing (TIM_ELEM_TEXT, "{\"text\":\"hi\"}");
  int width = -1, height = -1;
  double latitude = -1, longitude = -1;

  g_assert_null (tim_message_get_image (local_image, TIM_IMAGE_THUMBNAIL, &width, &height));
  g_assert_cmpint (width, ==, 640);
  g_assert_cmpint (height, ==, 480);
  g_assert_cmpstr (tim_message_get_image (image, TIM_IMAGE_THUMBNAIL, &width, &height), ==,
                   "http://h/t");
  g_assert_cmpint (width, ==, 264);
  g_assert_cmpint (height, ==, 198);
  g_assert_cmpstr (tim_message_get_image (image, TIM_IMAGE_LARGE, NULL, NULL), ==, "http://h/l");
  g_assert_cmpstr (tim_message_get_media_url (image), ==, "http://h/o");

  g_assert_cmpstr (tim_message_get_media_url (video), ==, "http://h/v");
  g_assert_cmpint (tim_message_get_duration (video), ==, 12);
  g_assert_cmpstr (tim_message_get_video_thumb (video, &width, &height), ==, "http://h/vt");
  g_assert_cmpint (width, ==, 320);
  g_assert_cmpint (height, ==, 180);
  g_assert_cmpstr (tim_message_get_media_url (sound), ==, "http://h/s");
  g_assert_cmpint (tim_message_get_duration (sound), ==, 7);
  g_assert_cmpstr (tim_message_get_media_url (file), ==, "http://h/f");
  g_assert_cmpstr (tim_message_get_file_name (file), ==, "a.pdf");
  g_assert_cmpint (tim_message_get_file_size (file), ==, 1234);
  g_assert_cmpstr (tim_message_get_custom_data (custom), ==, "dice");
  g_assert_cmpstr (tim_message_get_description (custom), ==, "4");
  g_assert_cmpint (tim_message_get_face_index (face), ==, 5);
  g_assert_true (tim_message_get_location (location, &latitude, &longitude));
  g_assert_cmpfloat (latitude, ==, 31.5);
  g_assert_cmpfloat (longitude, ==, 121.25);
  g_assert_cmpstr (tim_message_get_description (location), ==, "Here");
  g_assert_cmpstr (tim_message_get_title (relay), ==, "Chats");

  /* Another kind's field is absent, not read from a payload that happens to have the name. */
  g_assert_null (tim_message_get_media_url (text));
  g_assert_null (tim_message_get_file_name (sound));
  g_assert_cmpint (tim_message_get_duration (file), ==, 0);
  g_assert_null (tim_message_get_image (video, TIM_IMAGE_ORIGINAL, NULL, NULL));
  g_assert_false (tim_message_get_location (text, &latitude, &longitude));
  g_assert_null (tim_message_dup_tip_text (text));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tim/message/c2c-incoming", test_c2c_incoming);
  g_test_add_func ("/tim/message/c2c-outgoing-and-sync", test_c2c_outgoing_and_sync);
  g_test_add_func ("/tim/message/c2c-flags", test_c2c_flags);
  g_test_add_func ("/tim/message/group-items", test_group_items);
  g_test_add_func ("/tim/message/group-tips-and-notices", test_group_tips_and_notices);
  g_test_add_func ("/tim/message/outgoing-id-and-body", test_outgoing_id_and_body);
  g_test_add_func ("/tim/message/summary", test_summary);
  g_test_add_func ("/tim/message/record-round-trip", test_record_round_trip);
  g_test_add_func ("/tim/message/notifications", test_notifications);
  g_test_add_func ("/tim/message/typed-fields", test_typed_fields);
  g_test_add_func ("/tim/message/reply", test_reply);

  return g_test_run ();
}
