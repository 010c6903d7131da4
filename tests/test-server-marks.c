/* test-server-marks.c: conversation marks (the SDK's markConversation,
 * recentcontact.mark_contact): set and cleared, listed by page_get, heard by the user's other
 * devices, taken away by reading (the "unread" mark) and by deleting the conversation, and every
 * bad item answered with its own code; the custom data (setConversationCustomData, OptType 2). */
#define G_LOG_DOMAIN "test-server-marks"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

/* One MarkItem for user (C2C) or group (Type 2): the reply. */
static JsonObject *
mark (TimchatTestClient *c, gint64 type, const char *peer, const char *change)
{
  return timchat_test_client_request_printf (
      c, "recentcontact.mark_contact",
      "{\"From_Account\":\"%s\",\"MarkItem\":[{\"OptType\":1,\"ContactItem\":{\"Type\":"
      "%" G_GINT64_FORMAT ",\"%s\":\"%s\"},%s}]}",
      timchat_test_client_get_user (c), type, type == 2 ? "ToGroupId" : "To_Account", peer, change);
}

/* The one item's ResultCode, after checking that it names the conversation asked for. */
static gint64
mark_code (TimchatTestClient *c, gint64 type, const char *peer, const char *change)
{
  g_autoptr (JsonObject) reply = mark (c, type, peer, change);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpstr (
      timchat_test_json_get_string (reply, type == 2 ? "ResultItem.0.ContactItem.ToGroupId"
                                                     : "ResultItem.0.ContactItem.To_Account"),
      ==, peer);
  return timchat_test_json_get_int (reply, "ResultItem.0.ResultCode");
}

/* The StandardMark page_get lists for the conversation, NULL when it is not listed. */
static char *
listed_marks (TimchatTestClient *c, gint64 type, const char *peer)
{
  g_autoptr (JsonObject) item = timchat_test_session_item (c, type, peer);

  return item != NULL ? g_strdup (timchat_test_json_get_string (item, "StandardMark")) : NULL;
}

/* The marks a device hears of: "Type:UserId-or-GroupId:StandardMark", NULL when no push comes
 * within a second. */
static char *
marks_heard (TimchatTestClient *device)
{
  g_autoptr (JsonObject) push = timchat_test_wait_event (device, "RecentContactMod", 1000);
  JsonObject *item = push != NULL ? timchat_test_push_item (push, "RecentContactMod") : NULL;
  JsonObject *entry;

  if (item == NULL)
    return NULL;
  g_assert_cmpint (timchat_test_json_get_int (item, "PushType"), ==, 4);
  entry = timchat_test_json_get_object (item,
                                        "RecentContactMarkContact.RecentContactMarkContactItem.0");
  g_assert_nonnull (entry);
  g_assert_cmpint (timchat_test_json_get_int (entry, "OptType"), ==, 1);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%s:%s",
                          timchat_test_json_get_int (entry, "RecentContactItem.Type"),
                          timchat_test_json_get_int (entry, "RecentContactItem.Type") == 2
                              ? timchat_test_json_get_string (entry, "RecentContactItem.GroupId")
                              : timchat_test_json_get_string (entry, "RecentContactItem.UserId"),
                          timchat_test_json_get_string (entry, "StandardMark"));
}

#define ASSERT_HEARD(device, expected)                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *heard_ = marks_heard (device);                                                \
    g_assert_cmpstr (heard_, ==, expected);                                                        \
  }                                                                                                \
  G_STMT_END

#define ASSERT_LISTED(client, type, peer, expected)                                                \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *listed_ = listed_marks (client, type, peer);                                  \
    g_assert_cmpstr (listed_, ==, expected);                                                       \
  }                                                                                                \
  G_STMT_END

static void
read_c2c (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) read = timchat_test_client_request_printf (
      c, "openim.msgreaded",
      "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":[{\"To_Account\":\"%s\","
      "\"LastedMsgTime\":%" G_GINT64_FORMAT ",\"Receipt\":1}]}}",
      peer, (gint64) (g_get_real_time () / G_USEC_PER_SEC) + 1);

  g_assert_cmpint (timchat_test_json_get_int (read, "ErrorCode"), ==, 0);
}

/* Mark, unmark, both devices; reading takes "unread" away everywhere, the device that read
 * included, and leaves the other marks. */
static void
test_c2c_marks (void)
{
  g_autoptr (TimchatTestClient) kim = timchat_test_connect (fixture, "mk-kim");
  g_autoptr (TimchatTestClient) kim_phone = timchat_test_connect (fixture, "mk-kim");
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (fixture, "mk-lou");
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) read_all = NULL;

  json_object_unref (timchat_test_send_text (lou, "mk-kim", "hi", 1, 1));
  read_c2c (kim, "mk-lou");
  ASSERT_LISTED (kim, 1, "mk-lou", "");

  /* Unread (bit 1), as the SDK asks: the device that asked is answered, the other hears. */
  reply = mark (kim, 1, "mk-lou", "\"SetMark\":[1]");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.0.ResultCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.0.ContactItem.Type"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.0.StandardMark"), ==, "10");
  ASSERT_HEARD (kim_phone, "1:mk-lou:10");
  ASSERT_HEARD (kim, NULL);
  ASSERT_LISTED (kim, 1, "mk-lou", "10");
  /* lou's own list is hers: nothing marked there. */
  ASSERT_LISTED (lou, 1, "mk-kim", "");

  /* Star too, then not; marking what is marked already is no change, and no push. */
  g_assert_cmpint (mark_code (kim, 1, "mk-lou", "\"SetMark\":[0]"), ==, 0);
  ASSERT_HEARD (kim_phone, "1:mk-lou:11");
  g_assert_cmpint (mark_code (kim, 1, "mk-lou", "\"ClearMark\":[0]"), ==, 0);
  ASSERT_HEARD (kim_phone, "1:mk-lou:10");
  g_assert_cmpint (mark_code (kim, 1, "mk-lou", "\"SetMark\":[1]"), ==, 0);
  ASSERT_HEARD (kim_phone, NULL);
  /* The highest bit an app may use. */
  g_assert_cmpint (mark_code (kim, 1, "mk-lou", "\"SetMark\":[63]"), ==, 0);
  ASSERT_HEARD (kim_phone,
                "1:mk-lou:1000000000000000000000000000000000000000000000000000000000000010");
  g_assert_cmpint (mark_code (kim, 1, "mk-lou", "\"ClearMark\":[63],\"SetMark\":[3]"), ==, 0);
  ASSERT_HEARD (kim_phone, "1:mk-lou:1010");

  /* Read on the phone (with nothing unread): unread goes, hide stays, and both devices hear. */
  read_c2c (kim_phone, "mk-lou");
  ASSERT_HEARD (kim, "1:mk-lou:1000");
  ASSERT_HEARD (kim_phone, "1:mk-lou:1000");
  ASSERT_LISTED (kim, 1, "mk-lou", "1000");
  /* Read again: no mark to take away, nothing to hear. */
  read_c2c (kim, "mk-lou");
  ASSERT_HEARD (kim_phone, NULL);

  /* setAllMessageRead reads the C2C conversation marked unread with nothing unread too. */
  g_assert_cmpint (mark_code (kim, 1, "mk-lou", "\"SetMark\":[1]"), ==, 0);
  ASSERT_HEARD (kim_phone, "1:mk-lou:1010");
  read_all = timchat_test_client_request_json (kim, "openim.read_all_unread_msg",
                                               "{\"C2CReadAllMsg\":1}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (read_all, "ErrorCode"), ==, 0);
  ASSERT_HEARD (kim_phone, "1:mk-lou:1000");
  ASSERT_LISTED (kim, 1, "mk-lou", "1000");
}

/* A group's marks, read away by msg_read_report; deleting a conversation clears its marks, and
 * one that is not listed cannot be marked. */
static void
test_group_marks_and_delete (void)
{
  g_autoptr (TimchatTestClient) max = timchat_test_connect (fixture, "mk-max");
  g_autoptr (TimchatTestClient) max_laptop = timchat_test_connect (fixture, "mk-max");
  g_autoptr (TimchatTestClient) ned = timchat_test_connect (fixture, "mk-ned");
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) read = NULL;
  g_autoptr (JsonObject) deleted = NULL;
  g_autofree char *expected = NULL;
  const char *group;

  created = timchat_test_client_request_printf (max, "group_open_http_svc.create_group",
                                                "{\"Name\":\"marks\",\"Type\":\"Private\"}");
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  group = timchat_test_json_get_string (created, "GroupId");
  g_assert_cmpint (mark_code (max, 2, group, "\"SetMark\":[1]"), ==, 0);
  expected = g_strdup_printf ("2:%s:10", group);
  ASSERT_HEARD (max_laptop, expected);
  ASSERT_LISTED (max, 2, group, "10");

  read = timchat_test_client_request_printf (max, "group_open_http_svc.msg_read_report",
                                             "{\"GroupId\":\"%s\",\"MsgReadedSeq\":1}", group);
  g_assert_cmpint (timchat_test_json_get_int (read, "ErrorCode"), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("2:%s:", group);
  ASSERT_HEARD (max, expected);
  ASSERT_HEARD (max_laptop, expected);
  ASSERT_LISTED (max, 2, group, "");

  /* Deleted: its marks go; marking it is refused until a message brings it back, unmarked. */
  json_object_unref (timchat_test_send_text (ned, "mk-max", "one", 1, 1));
  g_assert_cmpint (mark_code (max, 1, "mk-ned", "\"SetMark\":[0]"), ==, 0);
  deleted = timchat_test_client_request_json (
      max, "recentcontact.batch_delete",
      "{\"From_Account\":\"mk-max\",\"ContactItem\":[{\"To_Account\":\"mk-ned\",\"Type\":1}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);
  g_assert_cmpint (mark_code (max, 1, "mk-ned", "\"SetMark\":[0]"), ==, 2500);
  json_object_unref (timchat_test_send_text (ned, "mk-max", "two", 2, 2));
  ASSERT_LISTED (max, 1, "mk-ned", "");
}

/* Each bad item gets its own code and message; the good ones beside it are applied. A request
 * without items is refused whole. */
static void
test_bad_items (void)
{
  g_autoptr (TimchatTestClient) oli = timchat_test_connect (fixture, "mk-oli");
  g_autoptr (TimchatTestClient) pam = timchat_test_connect (fixture, "mk-pam");
  g_autoptr (JsonObject) mixed = NULL;
  g_autoptr (GString) too_many = g_string_new ("{\"MarkItem\":[");
  static const char *const bad_changes[] = {
    "\"SetMark\":[64]", "\"SetMark\":[-1]",    "\"SetMark\":[\"1\"]",
    "\"SetMark\":1",    "\"ClearMark\":[1.5]",
  };

  json_object_unref (timchat_test_send_text (pam, "mk-oli", "hello", 1, 1));
  for (guint i = 0; i < G_N_ELEMENTS (bad_changes); i++)
    {
      g_autoptr (JsonObject) reply = mark (oli, 1, "mk-pam", bad_changes[i]);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.0.ResultCode"), ==, 10004);
      g_assert_nonnull (strstr (timchat_test_json_get_string (reply, "ResultItem.0.ResultInfo"),
                                "bit numbers from 0 to 63"));
    }
  g_assert_cmpint (mark_code (oli, 1, "mk-nobody", "\"SetMark\":[1]"), ==, 2500);
  g_assert_cmpint (mark_code (oli, 3, "mk-pam", "\"SetMark\":[1]"), ==, 10004);

  mixed = timchat_test_client_request_json (
      oli, "recentcontact.mark_contact",
      "{\"MarkItem\":[{\"OptType\":3,\"ContactItem\":{\"Type\":1,\"To_Account\":\"mk-pam\"},"
      "\"CustomMark\":\"x\"},{\"OptType\":1},\"not an item\","
      "{\"OptType\":1,\"ContactItem\":{\"Type\":1,\"To_Account\":\"mk-pam\"},\"SetMark\":[2]}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (mixed, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (mixed, "ResultItem.0.ResultCode"), ==, 10004);
  g_assert_nonnull (
      strstr (timchat_test_json_get_string (mixed, "ResultItem.0.ResultInfo"), "OptType is 1"));
  g_assert_cmpint (timchat_test_json_get_int (mixed, "ResultItem.1.ResultCode"), ==, 10004);
  g_assert_cmpint (timchat_test_json_get_int (mixed, "ResultItem.2.ResultCode"), ==, 10004);
  g_assert_cmpint (timchat_test_json_get_int (mixed, "ResultItem.3.ResultCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (mixed, "ResultItem.3.StandardMark"), ==, "100");
  ASSERT_LISTED (oli, 1, "mk-pam", "100");

  for (guint i = 0; i < 101; i++)
    g_string_append (too_many, i > 0 ? ",{}" : "{}");
  g_string_append (too_many, "]}");
  for (guint i = 0; i < 3; i++)
    {
      static const char *const bodies[] = { "{}", "{\"MarkItem\":[]}", NULL };
      g_autoptr (JsonObject) reply = timchat_test_client_request_json (
          oli, "recentcontact.mark_contact", i < 2 ? bodies[i] : too_many->str, NULL);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 10004);
      g_assert_nonnull (strstr (timchat_test_json_get_string (reply, "ErrorInfo"), "1 to 100"));
    }
}

/* The custom data listed for the conversation by page_get, NULL when it is not listed. */
static char *
listed_custom_data (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) item = timchat_test_session_item (c, 1, peer);

  return item != NULL ? g_strdup (timchat_test_json_get_string (item, "CustomMark")) : NULL;
}

/* setConversationCustomData (OptType 2): kept, listed, heard by the other device, cleared with
 * "", refused past 256 characters or for a conversation not listed, gone when the conversation
 * is deleted. */
static void
test_custom_data (void)
{
  g_autoptr (TimchatTestClient) ria = timchat_test_connect (fixture, "mk-ria");
  g_autoptr (TimchatTestClient) ria_phone = timchat_test_connect (fixture, "mk-ria");
  g_autoptr (TimchatTestClient) sam = timchat_test_connect (fixture, "mk-sam");
  g_autoptr (JsonObject) set = NULL, heard = NULL, too_long = NULL, deleted = NULL;
  g_autofree char *chars_257 = g_strnfill (257, 'c');
  g_autofree char *change = NULL;
  g_autofree char *listed = NULL;

  json_object_unref (timchat_test_send_text (sam, "mk-ria", "hi", 1, 1));
  set = mark (ria, 1, "mk-sam", "\"OptType\":2,\"CustomMark\":\"draft: 周五\"");
  /* mark () puts OptType 1 first; the last one given wins in json-glib. */
  g_assert_cmpint (timchat_test_json_get_int (set, "ResultItem.0.ResultCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (set, "ResultItem.0.CustomMark"), ==,
                   "draft: 周五");
  heard = timchat_test_wait_event (ria_phone, "RecentContactMod", 2000);
  g_assert_nonnull (heard);
  {
    JsonObject *item = timchat_test_push_item (heard, "RecentContactMod");

    g_assert_cmpint (timchat_test_json_get_int (
                         item, "RecentContactMarkContact.RecentContactMarkContactItem.0.OptType"),
                     ==, 2);
    g_assert_cmpstr (
        timchat_test_json_get_string (
            item, "RecentContactMarkContact.RecentContactMarkContactItem.0.CustomMark"),
        ==, "draft: 周五");
  }
  g_assert_cmpstr ((listed = listed_custom_data (ria, "mk-sam")), ==, "draft: 周五");
  g_clear_pointer (&listed, g_free);
  /* sam's own list is his. */
  g_assert_cmpstr ((listed = listed_custom_data (sam, "mk-ria")), ==, "");
  g_clear_pointer (&listed, g_free);

  change = g_strdup_printf ("\"OptType\":2,\"CustomMark\":\"%s\"", chars_257);
  too_long = mark (ria, 1, "mk-sam", change);
  g_assert_cmpint (timchat_test_json_get_int (too_long, "ResultItem.0.ResultCode"), ==, 10004);
  g_assert_cmpint (mark_code (ria, 1, "mk-nobody", "\"OptType\":2,\"CustomMark\":\"x\""), ==, 2500);
  g_assert_cmpint (mark_code (ria, 1, "mk-sam", "\"OptType\":2,\"CustomMark\":\"\""), ==, 0);
  g_assert_cmpstr ((listed = listed_custom_data (ria, "mk-sam")), ==, "");
  g_clear_pointer (&listed, g_free);

  g_assert_cmpint (mark_code (ria, 1, "mk-sam", "\"OptType\":2,\"CustomMark\":\"again\""), ==, 0);
  deleted = timchat_test_client_request_printf (
      ria, "recentcontact.batch_delete",
      "{\"From_Account\":\"mk-ria\",\"ContactItem\":[{\"Type\":1,\"To_Account\":\"mk-sam\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);
  json_object_unref (timchat_test_send_text (sam, "mk-ria", "back", 2, 2));
  g_assert_cmpstr ((listed = listed_custom_data (ria, "mk-sam")), ==, "");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/marks/c2c", test_c2c_marks);
  g_test_add_func ("/server/marks/group-and-delete", test_group_marks_and_delete);
  g_test_add_func ("/server/marks/bad-items", test_bad_items);
  g_test_add_func ("/server/marks/custom-data", test_custom_data);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
