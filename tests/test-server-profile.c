/* test-server-profile.c: every profile field (tim-rest-facts.md §3.7) through profile.portrait_set
 * and portrait_get: strings, integers and custom fields as the Web SDK's updateMyProfile sends
 * them, the vendor's codes for a bad one (and nothing written then), the TagList, the REST
 * commands, account_delete, and the fields after a restart. */
#define G_LOG_DOMAIN "test-server-profile"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

/* What the SDK sends for updateMyProfile ({nick, gender, birthday, location, selfSignature,
 * allowType, language, messageSettings, adminForbidType, level, role, profileCustomField}). */
#define FULL_SET                                                                                   \
  "{\"ProfileItem\":["                                                                             \
  "{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Pat\"},"                                           \
  "{\"Tag\":\"Tag_Profile_IM_Gender\",\"Value\":\"Gender_Type_Female\"},"                          \
  "{\"Tag\":\"Tag_Profile_IM_BirthDay\",\"Value\":20000101},"                                      \
  "{\"Tag\":\"Tag_Profile_IM_Location\",\"Value\":\"Paris\"},"                                     \
  "{\"Tag\":\"Tag_Profile_IM_SelfSignature\",\"Value\":\"sig!\"},"                                 \
  "{\"Tag\":\"Tag_Profile_IM_AllowType\",\"Value\":\"AllowType_Type_DenyAny\"},"                   \
  "{\"Tag\":\"Tag_Profile_IM_Language\",\"Value\":2},"                                             \
  "{\"Tag\":\"Tag_Profile_IM_MsgSettings\",\"Value\":1},"                                          \
  "{\"Tag\":\"Tag_Profile_IM_AdminForbidType\",\"Value\":\"AdminForbid_Type_SendOut\"},"           \
  "{\"Tag\":\"Tag_Profile_IM_Level\",\"Value\":4294967295},"                                       \
  "{\"Tag\":\"Tag_Profile_IM_Role\",\"Value\":7},"                                                 \
  "{\"Tag\":\"Tag_Profile_Custom_Hobby\",\"Value\":\"chess\"}]}"

/* The Value of tag in the ProfileItem of the user_index'th UserProfileItem (NULL: not there). */
static JsonNode *
value_of (JsonObject *reply, guint user_index, const char *tag)
{
  g_autofree char *path = g_strdup_printf ("UserProfileItem.%u.ProfileItem", user_index);
  JsonArray *items = timchat_test_json_get_array (reply, path);

  g_assert_nonnull (items);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "Tag", NULL), tag) == 0)
        return json_object_get_member (item, "Value");
    }
  return NULL;
}

static void
assert_string (JsonObject *reply, guint user_index, const char *tag, const char *expected)
{
  JsonNode *value = value_of (reply, user_index, tag);

  g_assert_nonnull (value);
  g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (value), ==, expected);
}

/* An integer field is a JSON number on the wire, as the SDK expects it. */
static void
assert_number (JsonObject *reply, guint user_index, const char *tag, gint64 expected)
{
  JsonNode *value = value_of (reply, user_index, tag);

  g_assert_nonnull (value);
  g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (value), ==, expected);
}

static void
assert_full_set (JsonObject *reply, guint user_index)
{
  assert_string (reply, user_index, "Tag_Profile_IM_Nick", "Pat");
  assert_string (reply, user_index, "Tag_Profile_IM_Gender", "Gender_Type_Female");
  assert_number (reply, user_index, "Tag_Profile_IM_BirthDay", 20000101);
  assert_string (reply, user_index, "Tag_Profile_IM_Location", "Paris");
  assert_string (reply, user_index, "Tag_Profile_IM_SelfSignature", "sig!");
  assert_string (reply, user_index, "Tag_Profile_IM_AllowType", "AllowType_Type_DenyAny");
  assert_number (reply, user_index, "Tag_Profile_IM_Language", 2);
  assert_number (reply, user_index, "Tag_Profile_IM_MsgSettings", 1);
  assert_string (reply, user_index, "Tag_Profile_IM_AdminForbidType", "AdminForbid_Type_SendOut");
  assert_number (reply, user_index, "Tag_Profile_IM_Level", G_MAXUINT32);
  assert_number (reply, user_index, "Tag_Profile_IM_Role", 7);
  assert_string (reply, user_index, "Tag_Profile_Custom_Hobby", "chess");
}

/* portrait_get_all as the SDK's getUserProfile asks it: no TagList. */
static JsonObject *
get_all (TimchatTestClient *c, const char *user)
{
  g_autoptr (JsonObject) reply =
      timchat_test_client_request_printf (c, "profile.portrait_get_all",
                                          "{\"UserItem\":[{\"To_Account\":\"%s\","
                                          "\"StandardSequence\":0,\"CustomSequence\":0}]}",
                                          user);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "UserProfileItem.0.To_Account"), ==, user);
  g_assert_cmpint (timchat_test_json_get_int (reply, "UserProfileItem.0.ResultCode"), ==, 0);
  return g_steal_pointer (&reply);
}

static gint64
set_code (TimchatTestClient *c, const char *tag, const char *value_json)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"changed\"},"
      "{\"Tag\":\"%s\",\"Value\":%s}]}",
      tag, value_json);

  return timchat_test_json_get_int (reply, "ErrorCode");
}

/* Tests ---------------------------------------------------------------------------------------- */

/* One updateMyProfile with numbers, strings and a custom field: everything is kept, and another
 * user reads it back with the types it was sent with. */
static void
test_every_field (void)
{
  g_autoptr (TimchatTestClient) pat = timchat_test_connect (fixture, "pf-pat");
  g_autoptr (TimchatTestClient) quin = timchat_test_connect (fixture, "pf-quin");
  g_autoptr (JsonObject) fresh = get_all (quin, "pf-pat");
  g_autoptr (JsonObject) set = timchat_test_request_ok (pat, "profile.portrait_set", FULL_SET);
  g_autoptr (JsonObject) got = get_all (quin, "pf-pat");
  g_autoptr (JsonObject) own = get_all (pat, "pf-pat");
  g_autoptr (JsonObject) sent = timchat_test_send_text (pat, "pf-quin", "hi", 1, 1);
  g_autoptr (JsonObject) push = timchat_test_wait_event (quin, "C2cMsgArray", 3000);

  /* Unset fields read as their defaults. */
  assert_string (fresh, 0, "Tag_Profile_IM_Nick", "");
  assert_string (fresh, 0, "Tag_Profile_IM_Gender", "Gender_Type_Unknown");
  assert_number (fresh, 0, "Tag_Profile_IM_BirthDay", 0);
  assert_string (fresh, 0, "Tag_Profile_IM_AllowType", "AllowType_Type_NeedConfirm");
  assert_string (fresh, 0, "Tag_Profile_IM_AdminForbidType", "AdminForbid_Type_None");
  assert_number (fresh, 0, "Tag_Profile_IM_Level", 0);
  g_assert_null (value_of (fresh, 0, "Tag_Profile_Custom_Hobby"));

  g_assert_cmpint (timchat_test_json_get_int (set, "ErrorCode"), ==, 0);
  assert_full_set (got, 0);
  assert_full_set (own, 0);
  /* Nick and picture first, as before. */
  g_assert_cmpstr (timchat_test_json_get_string (got, "UserProfileItem.0.ProfileItem.0.Tag"), ==,
                   "Tag_Profile_IM_Nick");
  g_assert_cmpstr (timchat_test_json_get_string (got, "UserProfileItem.0.ProfileItem.1.Tag"), ==,
                   "Tag_Profile_IM_Image");
  /* The nick still travels with the messages. */
  g_assert_cmpstr (timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"),
                                                 "From_AccountNick"),
                   ==, "Pat");
}

/* A bad item fails the whole call with the profile service's code, and nothing of it is written
 * (the nick in the same call included). */
static void
test_codes (void)
{
  g_autoptr (TimchatTestClient) rae = timchat_test_connect (fixture, "pf-rae");
  g_autofree char *s500 = g_strnfill (500, 's');
  g_autofree char *long_signature = g_strdup_printf ("\"%ss\"", s500);
  g_autofree char *long_custom = g_strdup_printf ("\"%sc\"", s500);
  g_autofree char *max_signature = g_strdup_printf ("\"%s\"", s500);
  g_autoptr (JsonObject) got = NULL;

  json_object_unref (timchat_test_request_ok (rae, "profile.portrait_set", FULL_SET));

  /* 40605: not one of an enumeration's values, an integer out of uint32. */
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Gender", "\"female\""), ==, 40605);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_AllowType", "\"\""), ==, 40605);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_AdminForbidType", "\"Nope\""), ==, 40605);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Level", "-1"), ==, 40605);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Role", "4294967296"), ==, 40605);
  /* 40610: the wrong JSON type. */
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_BirthDay", "\"20000101\""), ==, 40610);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Language", "1.5"), ==, 40610);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_MsgSettings", "true"), ==, 40610);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Gender", "1"), ==, 40610);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_SelfSignature", "null"), ==, 40610);
  g_assert_cmpint (set_code (rae, "Tag_Profile_Custom_Hobby", "5"), ==, 40610);
  /* 40601: too long (a Location is 16 bytes, the others 500). */
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_SelfSignature", long_signature), ==, 40601);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Location", "\"0123456789abcdefg\""), ==, 40601);
  g_assert_cmpint (set_code (rae, "Tag_Profile_Custom_Hobby", long_custom), ==, 40601);
  /* 40009: no such field; a custom key is 1 to 8 letters, digits or underscores. */
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Mood", "\"x\""), ==, 40009);
  g_assert_cmpint (set_code (rae, "Tag_Profile_Custom_", "\"x\""), ==, 40009);
  g_assert_cmpint (set_code (rae, "Tag_Profile_Custom_NineBytes", "\"x\""), ==, 40009);
  g_assert_cmpint (set_code (rae, "Tag_Profile_Custom_a-b", "\"x\""), ==, 40009);
  /* 40001: an item without a Tag or a Value, no list. */
  {
    g_autoptr (JsonObject) no_value = timchat_test_request_ok (
        rae, "profile.portrait_set", "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\"}]}");
    g_autoptr (JsonObject) no_tag =
        timchat_test_request_ok (rae, "profile.portrait_set", "{\"ProfileItem\":[{\"Value\":1}]}");
    g_autoptr (JsonObject) no_list =
        timchat_test_request_ok (rae, "profile.portrait_set", "{\"ProfileItem\":{}}");

    g_assert_cmpint (timchat_test_json_get_int (no_value, "ErrorCode"), ==, 40001);
    g_assert_cmpint (timchat_test_json_get_int (no_tag, "ErrorCode"), ==, 40001);
    g_assert_cmpint (timchat_test_json_get_int (no_list, "ErrorCode"), ==, 40001);
  }
  got = get_all (rae, "pf-rae");
  assert_full_set (got, 0);
  g_clear_pointer (&got, json_object_unref);

  /* At the limits: 500 bytes, 16 for the Location, 4294967295, an 8-byte key. */
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_SelfSignature", max_signature), ==, 0);
  g_assert_cmpint (set_code (rae, "Tag_Profile_IM_Location", "\"0123456789abcdef\""), ==, 0);
  g_assert_cmpint (set_code (rae, "Tag_Profile_Custom_Key_8xyz", "\"\xc3\xa9t\xc3\xa9\""), ==, 0);
  got = get_all (rae, "pf-rae");
  assert_string (got, 0, "Tag_Profile_IM_Nick", "changed");
  assert_string (got, 0, "Tag_Profile_IM_Location", "0123456789abcdef");
  assert_string (got, 0, "Tag_Profile_Custom_Key_8xyz", "\xc3\xa9t\xc3\xa9");
}

/* portrait_get honours a TagList (in its order, custom ones too); an unknown tag is 40009. A custom
 * field set to "" is gone, and a user has at most 20 of them. */
static void
test_tag_list_and_custom_fields (void)
{
  g_autoptr (TimchatTestClient) sam = timchat_test_connect (fixture, "pf-sam");
  g_autoptr (JsonObject) some = NULL, bad = NULL, got = NULL, over = NULL;
  g_autoptr (GString) twenty = g_string_new ("{\"ProfileItem\":[");

  json_object_unref (timchat_test_request_ok (sam, "profile.portrait_set", FULL_SET));
  some = timchat_test_request_ok (
      sam, "profile.portrait_get",
      "{\"To_Account\":[\"pf-sam\"],\"TagList\":[\"Tag_Profile_IM_Role\","
      "\"Tag_Profile_Custom_Hobby\",\"Tag_Profile_Custom_Unset\",\"Tag_Profile_IM_Gender\"]}");
  g_assert_cmpint (timchat_test_json_get_int (some, "ErrorCode"), ==, 0);
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (some, "UserProfileItem.0.ProfileItem")),
      ==, 4);
  g_assert_cmpstr (timchat_test_json_get_string (some, "UserProfileItem.0.ProfileItem.0.Tag"), ==,
                   "Tag_Profile_IM_Role");
  assert_number (some, 0, "Tag_Profile_IM_Role", 7);
  assert_string (some, 0, "Tag_Profile_Custom_Hobby", "chess");
  assert_string (some, 0, "Tag_Profile_Custom_Unset", "");
  assert_string (some, 0, "Tag_Profile_IM_Gender", "Gender_Type_Female");
  bad = timchat_test_request_ok (
      sam, "profile.portrait_get",
      "{\"To_Account\":[\"pf-sam\"],\"TagList\":[\"Tag_Profile_IM_Mood\"]}");
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 40009);

  /* "" removes a custom field. */
  g_assert_cmpint (set_code (sam, "Tag_Profile_Custom_Hobby", "\"\""), ==, 0);
  got = get_all (sam, "pf-sam");
  g_assert_null (value_of (got, 0, "Tag_Profile_Custom_Hobby"));
  assert_number (got, 0, "Tag_Profile_IM_Role", 7);

  /* 20 custom fields, then one more is refused; replacing one of the 20 is not. */
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (twenty, "%s{\"Tag\":\"Tag_Profile_Custom_k%u\",\"Value\":\"v%u\"}",
                            i > 0 ? "," : "", i, i);
  g_string_append (twenty, "]}");
  json_object_unref (timchat_test_request_ok (sam, "profile.portrait_set", twenty->str));
  g_assert_cmpint (set_code (sam, "Tag_Profile_Custom_k20", "\"v\""), ==, 40001);
  g_assert_cmpint (set_code (sam, "Tag_Profile_Custom_k19", "\"again\""), ==, 0);
  g_clear_pointer (&got, json_object_unref);
  got = get_all (sam, "pf-sam");
  assert_string (got, 0, "Tag_Profile_Custom_k0", "v0");
  assert_string (got, 0, "Tag_Profile_Custom_k19", "again");
  g_assert_null (value_of (got, 0, "Tag_Profile_Custom_k20"));
  over = timchat_test_request_ok (
      sam, "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_Custom_k0\",\"Value\":\"\"},"
      "{\"Tag\":\"Tag_Profile_Custom_k20\",\"Value\":\"in\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (over, "ErrorCode"), ==, 0);
}

/* The REST commands write and read the same fields, with the same codes. */
static void
test_rest (void)
{
  g_autoptr (JsonObject) set = NULL, get = NULL;

  timchat_test_import_account (fixture, "pf-uma", NULL);
  set = timchat_test_rest_ok (fixture, "profile/portrait_set",
                              "{\"From_Account\":\"pf-uma\",\"ProfileItem\":["
                              "{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Uma\"},"
                              "{\"Tag\":\"Tag_Profile_IM_BirthDay\",\"Value\":19991231},"
                              "{\"Tag\":\"Tag_Profile_IM_Level\",\"Value\":3},"
                              "{\"Tag\":\"Tag_Profile_IM_SelfSignature\",\"Value\":\"hello\"},"
                              "{\"Tag\":\"Tag_Profile_Custom_Team\",\"Value\":\"blue\"}]}");
  g_assert_cmpstr (timchat_test_json_get_string (set, "ErrorDisplay"), ==, "");
  get = timchat_test_rest_ok (
      fixture, "profile/portrait_get",
      "{\"To_Account\":[\"pf-uma\",\"pf-ghost\"],\"TagList\":[\"Tag_Profile_IM_Nick\","
      "\"Tag_Profile_IM_BirthDay\",\"Tag_Profile_IM_Level\",\"Tag_Profile_IM_Role\","
      "\"Tag_Profile_IM_SelfSignature\",\"Tag_Profile_IM_Gender\",\"Tag_Profile_Custom_Team\"]}");
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (get, "UserProfileItem.0.ProfileItem")),
      ==, 7);
  assert_string (get, 0, "Tag_Profile_IM_Nick", "Uma");
  assert_number (get, 0, "Tag_Profile_IM_BirthDay", 19991231);
  assert_number (get, 0, "Tag_Profile_IM_Level", 3);
  assert_number (get, 0, "Tag_Profile_IM_Role", 0);
  assert_string (get, 0, "Tag_Profile_IM_SelfSignature", "hello");
  assert_string (get, 0, "Tag_Profile_IM_Gender", "Gender_Type_Unknown");
  assert_string (get, 0, "Tag_Profile_Custom_Team", "blue");
  g_assert_cmpint (timchat_test_json_get_int (get, "UserProfileItem.1.ResultCode"), ==, 40003);

  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_set",
                                           "{\"From_Account\":\"pf-uma\",\"ProfileItem\":[{\"Tag\":"
                                           "\"Tag_Profile_IM_Role\",\"Value\":\"admin\"}]}"),
                   ==, 40610);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "profile/portrait_set",
                              "{\"From_Account\":\"pf-uma\",\"ProfileItem\":[{\"Tag\":"
                              "\"Tag_Profile_IM_Gender\",\"Value\":\"Gender_Type_Other\"}]}"),
      ==, 40605);
  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_get",
                                           "{\"To_Account\":[\"pf-uma\"],"
                                           "\"TagList\":[\"Tag_Profile_Custom_TooLongKey\"]}"),
                   ==, 40009);

  /* account_delete takes the fields with it: imported again, the account starts afresh. */
  json_object_unref (timchat_test_rest_ok (fixture, "im_open_login_svc/account_delete",
                                           "{\"DeleteItem\":[{\"UserID\":\"pf-uma\"}]}"));
  timchat_test_import_account (fixture, "pf-uma", NULL);
  g_clear_pointer (&get, json_object_unref);
  get = timchat_test_rest_ok (fixture, "profile/portrait_get",
                              "{\"To_Account\":[\"pf-uma\"],\"TagList\":[\"Tag_Profile_IM_Level\","
                              "\"Tag_Profile_Custom_Team\"]}");
  assert_number (get, 0, "Tag_Profile_IM_Level", 0);
  assert_string (get, 0, "Tag_Profile_Custom_Team", "");
}

/* The value a ProfileDataMod push gives tag, as the Web SDK's wire table reads it (ValueBytes for
 * a string, ValueNum for a number); the test fails when the push does not list it so. */
static JsonNode *
pushed_value (JsonObject *change, const char *tag, const char *member)
{
  JsonArray *items = timchat_test_json_get_array (change, "ProfileList");

  g_assert_nonnull (items);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "Tag", NULL), tag) == 0 &&
          json_object_has_member (item, member))
        return json_object_get_member (item, member);
    }
  g_error ("The push has no %s of %s", member, tag);
}

/* A change is pushed to the user's other devices (not the one that asked, which has the reply,
 * nor anyone else) as the SDK's ProfileDataMod, so that they show the new nick without logging
 * in again; a set that fails pushes nothing; a REST set reaches every device of the user. */
static void
test_pushed_to_other_devices (void)
{
  g_autoptr (TimchatTestClient) phone = timchat_test_connect (fixture, "pf-xan");
  g_autoptr (TimchatTestClient) desk = timchat_test_connect (fixture, "pf-xan");
  g_autoptr (TimchatTestClient) yul = timchat_test_connect (fixture, "pf-yul");
  g_autoptr (JsonObject) set = NULL, push = NULL, rest = NULL, rest_push = NULL;
  JsonObject *change;

  set = timchat_test_request_ok (phone, "profile.portrait_set",
                                 "{\"ProfileItem\":["
                                 "{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Xan\"},"
                                 "{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":\"https://p/x.png\"},"
                                 "{\"Tag\":\"Tag_Profile_IM_BirthDay\",\"Value\":19990101},"
                                 "{\"Tag\":\"Tag_Profile_Custom_Hobby\",\"Value\":\"go\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (set, "ErrorCode"), ==, 0);
  push = timchat_test_wait_event (desk, "ProfileDataMod", 3000);
  g_assert_nonnull (push);
  change = timchat_test_push_item (push, "ProfileDataMod");
  g_assert_cmpstr (timchat_test_json_get_string (change, "Profile_Account"), ==, "pf-xan");
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (change, "ProfileList")), ==,
                    4);
  g_assert_cmpstr (
      json_node_get_string (pushed_value (change, "Tag_Profile_IM_Nick", "ValueBytes")), ==, "Xan");
  g_assert_cmpstr (
      json_node_get_string (pushed_value (change, "Tag_Profile_IM_Image", "ValueBytes")), ==,
      "https://p/x.png");
  g_assert_cmpint (json_node_get_int (pushed_value (change, "Tag_Profile_IM_BirthDay", "ValueNum")),
                   ==, 19990101);
  g_assert_cmpstr (
      json_node_get_string (pushed_value (change, "Tag_Profile_Custom_Hobby", "ValueBytes")), ==,
      "go");
  g_assert_null (timchat_test_wait_event (phone, "ProfileDataMod", 300));
  g_assert_null (timchat_test_wait_event (yul, "ProfileDataMod", 300));

  /* Refused: nothing written, nothing pushed. */
  g_assert_cmpint (set_code (phone, "Tag_Profile_IM_Gender", "\"female\""), ==, 40605);
  g_assert_null (timchat_test_wait_event (desk, "ProfileDataMod", 300));

  /* Set over REST: no device asked, each hears of it. */
  rest = timchat_test_rest_ok (fixture, "profile/portrait_set",
                               "{\"From_Account\":\"pf-xan\",\"ProfileItem\":["
                               "{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (rest, "ErrorCode"), ==, 0);
  rest_push = timchat_test_wait_event (phone, "ProfileDataMod", 3000);
  g_assert_nonnull (rest_push);
  g_assert_cmpstr (
      json_node_get_string (pushed_value (timchat_test_push_item (rest_push, "ProfileDataMod"),
                                          "Tag_Profile_IM_Nick", "ValueBytes")),
      ==, "");
  g_clear_pointer (&rest_push, json_object_unref);
  rest_push = timchat_test_wait_event (desk, "ProfileDataMod", 3000);
  g_assert_nonnull (rest_push);
}

/* What was answered 0 is still there after the server restarts. */
static void
test_survives_restart (void)
{
  g_autoptr (TimchatTestClient) val = timchat_test_connect (fixture, "pf-val");
  g_autoptr (TimchatTestClient) wes = NULL;
  g_autoptr (JsonObject) set = timchat_test_request_ok (val, "profile.portrait_set", FULL_SET);
  g_autoptr (JsonObject) got = NULL, rest = NULL;

  g_assert_cmpint (timchat_test_json_get_int (set, "ErrorCode"), ==, 0);
  timchat_fixture_stop (fixture);
  timchat_fixture_restart (fixture);

  wes = timchat_test_connect (fixture, "pf-wes");
  got = get_all (wes, "pf-val");
  assert_full_set (got, 0);
  rest =
      timchat_test_rest_ok (fixture, "profile/portrait_get",
                            "{\"To_Account\":[\"pf-val\"],\"TagList\":[\"Tag_Profile_IM_BirthDay\","
                            "\"Tag_Profile_IM_AllowType\",\"Tag_Profile_Custom_Hobby\"]}");
  assert_number (rest, 0, "Tag_Profile_IM_BirthDay", 20000101);
  assert_string (rest, 0, "Tag_Profile_IM_AllowType", "AllowType_Type_DenyAny");
  assert_string (rest, 0, "Tag_Profile_Custom_Hobby", "chess");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/profile/every-field", test_every_field);
  g_test_add_func ("/server/profile/codes", test_codes);
  g_test_add_func ("/server/profile/tag-list-and-custom-fields", test_tag_list_and_custom_fields);
  g_test_add_func ("/server/profile/rest", test_rest);
  g_test_add_func ("/server/profile/survives-restart", test_survives_restart);
  g_test_add_func ("/server/profile/pushed-to-other-devices", test_pushed_to_other_devices);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
