/* test-server-conversation.c: recentcontact.page_get / batch_delete / top / clear_msg and
 * profiles. Pages are two conversations long here, so paging is exercised. */
#define G_LOG_DOMAIN "test-server-conversation"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

/* All SessionItems over every page. */
static GPtrArray *
list_conversations (TimchatTestClient *c, guint *pages_out)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gint64 start = 0;
  guint pages = 0;

  for (;;)
    {
      g_autoptr (JsonObject) page = timchat_test_client_request_printf (
          c, "recentcontact.page_get",
          "{\"From_Account\":\"%s\",\"TimeStamp\":0,\"StartIndex\":%" G_GINT64_FORMAT
          ",\"TopTimeStamp\":0,"
          "\"TopStartIndex\":0,\"OrderType\":1,\"MsgAssistFlags\":4,\"AssistFlags\":15}",
          timchat_test_client_get_user (c), start);
      JsonArray *list = timchat_test_json_get_array (page, "SessionItem");

      g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
      g_assert_nonnull (list);
      g_assert_cmpuint (json_array_get_length (list), <=, 2);
      for (guint i = 0; i < json_array_get_length (list); i++)
        g_ptr_array_add (items, json_object_ref (json_array_get_object_element (list, i)));
      pages++;
      if (timchat_test_json_get_int (page, "CompleteFlag") == 1)
        break;
      start = timchat_test_json_get_int (page, "StartIndex");
      g_assert_cmpuint (pages, <, 50);
    }
  if (pages_out)
    *pages_out = pages;
  return items;
}

static JsonObject *
find_item (GPtrArray *items, gint64 type, const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (timchat_test_json_get_int (items->pdata[i], "Type") == type &&
        g_strcmp0 (
            timchat_test_json_get_string (items->pdata[i], type == 2 ? "ToAccount" : "To_Account"),
            id) == 0)
      return items->pdata[i];
  return NULL;
}

static void
test_list_order_paging_and_last_message (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  const char *peers[] = { "p1", "p2", "p3", "p4", "p5" };
  g_autoptr (GPtrArray) items = NULL;
  guint pages = 0;

  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    {
      g_autoptr (TimchatTestClient) peer = timchat_test_connect (fixture, peers[i]);
      g_autofree char *text = g_strdup_printf ("hi %s", peers[i]);

      json_object_unref (timchat_test_send_text (alice, peers[i], text, 10 + i, 20 + i));
      g_usleep (1100 * 1000 / (i == G_N_ELEMENTS (peers) - 1 ? 1 : 4));
    }
  g_usleep (1100 * 1000);
  json_object_unref (timchat_test_send_text (alice, "p1", "latest", 30, 31));

  items = list_conversations (alice, &pages);
  g_assert_cmpuint (items->len, ==, 5);
  g_assert_cmpuint (pages, ==, 3);
  /* Newest first; the last message and who sent it. */
  g_assert_cmpstr (timchat_test_json_get_string (items->pdata[0], "To_Account"), ==, "p1");
  g_assert_cmpint (timchat_test_json_get_int (items->pdata[0], "Type"), ==, 1);
  g_assert_cmpstr (
      timchat_test_json_get_string (items->pdata[0], "LastMsg.MsgBody.0.MsgContent.Text"), ==,
      "latest");
  g_assert_cmpstr (timchat_test_json_get_string (items->pdata[0], "LastC2CMsgFromAccount"), ==,
                   "alice");
  for (guint i = 1; i < items->len; i++)
    g_assert_cmpint (timchat_test_json_get_int (items->pdata[i - 1], "MsgTime"), >=,
                     timchat_test_json_get_int (items->pdata[i], "MsgTime"));

  /* A StartIndex past the end, however far, is the end: an empty page, complete (a client that
   * pages until complete is not sent back to the start). */
  for (guint i = 0; i < 2; i++)
    {
      gint64 start = i == 0 ? 9 : G_MAXINT64;
      g_autoptr (JsonObject) page = timchat_test_client_request_printf (
          alice, "recentcontact.page_get",
          "{\"From_Account\":\"alice\",\"TimeStamp\":0,\"StartIndex\":%" G_GINT64_FORMAT
          ",\"TopTimeStamp\":0,\"TopStartIndex\":0,\"OrderType\":1}",
          start);

      g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
      g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (page, "SessionItem")),
                        ==, 0);
      g_assert_cmpint (timchat_test_json_get_int (page, "CompleteFlag"), ==, 1);
      g_assert_cmpint (timchat_test_json_get_int (page, "StartIndex"), ==, 5);
    }
}

static void
test_delete_keeps_history_and_comes_back (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after_delete = NULL;
  g_autoptr (GPtrArray) after_new = NULL;
  g_autoptr (JsonObject) deleted = NULL;
  g_autoptr (JsonObject) unknown = NULL;
  g_autoptr (JsonObject) history = NULL;
  JsonObject *conv;

  json_object_unref (timchat_test_send_text (carol, "bob", "old 1", 1, 1));
  json_object_unref (timchat_test_send_text (carol, "bob", "old 2", 2, 2));
  before = list_conversations (bob, NULL);
  conv = find_item (before, 1, "carol");
  g_assert_nonnull (conv);
  g_assert_cmpint (timchat_test_json_get_int (conv, "UnreadMsgCount"), ==, 2);

  deleted = timchat_test_client_request_json (bob, "recentcontact.batch_delete",
                                              "{\"From_Account\":\"bob\",\"ContactItem\":[{\"To_"
                                              "Account\":\"carol\",\"Type\":1}],\"ClearRamble\":0}",
                                              NULL);
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (deleted, "ResultItem.0.To_Account"), ==, "carol");
  after_delete = list_conversations (bob, NULL);
  g_assert_null (find_item (after_delete, 1, "carol"));

  unknown = timchat_test_client_request_json (
      bob, "recentcontact.batch_delete",
      "{\"From_Account\":\"bob\",\"ContactItem\":[{\"To_Account\":\"zed\",\"Type\":1}]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (unknown, "ResultItem.0.ResultCode"), ==, 2500);

  json_object_unref (timchat_test_send_text (carol, "bob", "new", 3, 3));
  after_new = list_conversations (bob, NULL);
  g_assert_nonnull (find_item (after_new, 1, "carol"));
  history = timchat_test_client_request_json (bob, "openim.getroammsg",
                                              "{\"Peer_Account\":\"carol\",\"MaxCnt\":15}", NULL);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (history, "MsgList")), ==,
                    3);
  g_assert_cmpstr (timchat_test_json_get_string (history, "MsgList.0.MsgBody.0.MsgContent.Text"),
                   ==, "old 1");
}

/* The order of the list as "peer:TopFlags" words. */
static char *
listed_order (TimchatTestClient *c)
{
  g_autoptr (GPtrArray) items = list_conversations (c, NULL);
  GString *order = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (order, "%s%s:%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            timchat_test_json_get_int (items->pdata[i], "Type") == 2
                                ? "group"
                                : timchat_test_json_get_string (items->pdata[i], "To_Account"),
                            timchat_test_json_get_int (items->pdata[i], "TopFlags"));
  return g_string_free (order, FALSE);
}

static gint64
pin (TimchatTestClient *c, int operation, const char *item)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "recentcontact.top",
      "{\"From_Account\":\"%s\",\"OperationType\":%d,\"RecentContactItem\":[%s]}",
      timchat_test_client_get_user (c), operation, item);

  return timchat_test_json_get_int (reply, "ErrorCode");
}

/* The change another device of owner hears of: "PushType:Type:UserId-or-GroupId", NULL when none
 * comes within a second. */
static char *
list_change_heard (TimchatTestClient *device)
{
  g_autoptr (JsonObject) push = timchat_test_wait_event (device, "RecentContactMod", 1000);
  JsonObject *item = push != NULL ? timchat_test_push_item (push, "RecentContactMod") : NULL;
  gint64 push_type = item != NULL ? timchat_test_json_get_int (item, "PushType") : 0;
  JsonObject *conversation = NULL;

  if (item == NULL)
    return NULL;
  g_assert_cmpint (timchat_test_json_get_int (push, "EventArray.0.Event"), ==, 12);
  conversation = timchat_test_json_get_object (
      item, push_type == 1 ? "RecentContactDeleteItem.RecentContactList.0"
                           : "RecentContactTopItem.RecentContactList.0");
  g_assert_nonnull (conversation);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s", push_type,
                          timchat_test_json_get_int (conversation, "Type"),
                          timchat_test_json_get_int (conversation, "Type") == 2
                              ? timchat_test_json_get_string (conversation, "GroupId")
                              : timchat_test_json_get_string (conversation, "UserId"));
}

/* The SDK's pinConversation: pinned conversations list first (newest first among them), on every
 * page; unpinning puts one back in its place; deleting one unpins it. The user's other device
 * hears of each pin, unpin and delete at once (the device that asked does not). */
static void
test_pin (void)
{
  g_autoptr (TimchatTestClient) fred = timchat_test_connect (fixture, "pin-fred");
  g_autoptr (TimchatTestClient) gina = timchat_test_connect (fixture, "pin-gina");
  g_autoptr (TimchatTestClient) hal = timchat_test_connect (fixture, "pin-hal");
  g_autoptr (TimchatTestClient) ivy = timchat_test_connect (fixture, "pin-ivy");
  g_autoptr (TimchatTestClient) fred_phone = timchat_test_connect (fixture, "pin-fred");
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) deleted = NULL;
  g_autofree char *group_item = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *heard = NULL;
  char *order;

  json_object_unref (timchat_test_send_text (gina, "pin-fred", "1", 1, 1));
  g_usleep (1100 * 1000); /* message times are seconds */
  json_object_unref (timchat_test_send_text (hal, "pin-fred", "2", 1, 2));
  g_usleep (1100 * 1000);
  json_object_unref (timchat_test_send_text (ivy, "pin-fred", "3", 1, 3));
  order = listed_order (fred);
  g_assert_cmpstr (order, ==, "pin-ivy:0 pin-hal:0 pin-gina:0");
  g_free (order);

  g_assert_cmpint (pin (fred, 1, "{\"Type\":1,\"To_Account\":\"pin-gina\"}"), ==, 0);
  order = listed_order (fred);
  g_assert_cmpstr (order, ==, "pin-gina:1 pin-ivy:0 pin-hal:0");
  g_free (order);
  g_assert_cmpstr ((heard = list_change_heard (fred_phone)), ==, "2:1:pin-gina");
  g_clear_pointer (&heard, g_free);
  g_assert_null (list_change_heard (fred));

  /* A group by the SDK's GroupId; its creation tip is the newest message of all. */
  g_usleep (1100 * 1000);
  created = timchat_test_client_request_printf (fred, "group_open_http_svc.create_group",
                                                "{\"Name\":\"pins\",\"Type\":\"Private\"}");
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  group_item = g_strdup_printf ("{\"Type\":2,\"GroupId\":\"%s\"}",
                                timchat_test_json_get_string (created, "GroupId"));
  order = listed_order (fred);
  g_assert_cmpstr (order, ==, "pin-gina:1 group:0 pin-ivy:0 pin-hal:0");
  g_free (order);
  g_assert_cmpint (pin (fred, 1, group_item), ==, 0);
  order = listed_order (fred);
  g_assert_cmpstr (order, ==, "group:1 pin-gina:1 pin-ivy:0 pin-hal:0");
  g_free (order);
  expected = g_strdup_printf ("2:2:%s", timchat_test_json_get_string (created, "GroupId"));
  g_assert_cmpstr ((heard = list_change_heard (fred_phone)), ==, expected);
  g_clear_pointer (&heard, g_free);

  /* Unpinned, gina goes back to her place; pinning twice is no error. */
  g_assert_cmpint (pin (fred, 2, "{\"Type\":1,\"To_Account\":\"pin-gina\"}"), ==, 0);
  g_assert_cmpstr ((heard = list_change_heard (fred_phone)), ==, "3:1:pin-gina");
  g_clear_pointer (&heard, g_free);
  g_assert_cmpint (pin (fred, 1, group_item), ==, 0);
  g_assert_nonnull ((heard = list_change_heard (fred_phone)));
  g_clear_pointer (&heard, g_free);
  order = listed_order (fred);
  g_assert_cmpstr (order, ==, "group:1 pin-ivy:0 pin-hal:0 pin-gina:0");
  g_free (order);

  /* Bad requests change nothing: a bad form is refused before the good item before it. */
  g_assert_cmpint (pin (fred, 3, "{\"Type\":1,\"To_Account\":\"pin-hal\"}"), ==, 10004);
  g_assert_cmpint (pin (fred, 1, "{\"Type\":1,\"To_Account\":\"pin-hal\"},{\"Type\":1}"), ==,
                   10004);
  g_assert_cmpint (pin (fred, 1, ""), ==, 10004);
  g_assert_cmpint (pin (fred, 1, "{\"Type\":1,\"To_Account\":\"nobody\"}"), ==, 2500);
  order = listed_order (fred);
  g_assert_cmpstr (order, ==, "group:1 pin-ivy:0 pin-hal:0 pin-gina:0");
  g_free (order);

  /* Deleted, ivy cannot be pinned; her next message brings her back unpinned. */
  g_assert_cmpint (pin (fred, 1, "{\"Type\":1,\"To_Account\":\"pin-ivy\"}"), ==, 0);
  deleted = timchat_test_client_request_json (
      fred, "recentcontact.batch_delete",
      "{\"From_Account\":\"pin-fred\",\"ContactItem\":[{\"To_Account\":\"pin-ivy\",\"Type\":1}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);
  g_assert_cmpstr ((heard = list_change_heard (fred_phone)), ==, "2:1:pin-ivy");
  g_clear_pointer (&heard, g_free);
  g_assert_cmpstr ((heard = list_change_heard (fred_phone)), ==, "1:1:pin-ivy");
  g_clear_pointer (&heard, g_free);
  g_assert_cmpint (pin (fred, 1, "{\"Type\":1,\"To_Account\":\"pin-ivy\"}"), ==, 2500);
  json_object_unref (timchat_test_send_text (ivy, "pin-fred", "4", 2, 4));
  order = listed_order (fred);
  g_assert_cmpstr (order, ==, "group:1 pin-ivy:0 pin-hal:0 pin-gina:0");
  g_free (order);
}

/* A pin of several conversations, one of them not in the list (2500), is refused whole: the
 * listed one before it is not pinned, and the user's other device hears of no pin. It used to be
 * pinned, and pushed to the other device as pinned, under the request's 2500: the device that
 * asked showed it unpinned, the others pinned. */
static void
test_pin_not_listed_changes_nothing (void)
{
  g_autoptr (TimchatTestClient) kim = timchat_test_connect (fixture, "pinx-kim");
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (fixture, "pinx-lou");
  g_autoptr (TimchatTestClient) kim_phone = timchat_test_connect (fixture, "pinx-kim");
  g_autofree char *order = NULL;
  g_autofree char *heard = NULL;

  json_object_unref (timchat_test_send_text (lou, "pinx-kim", "hi", 1, 1));
  g_assert_cmpint (pin (kim, 1,
                        "{\"Type\":1,\"To_Account\":\"pinx-lou\"},"
                        "{\"Type\":1,\"To_Account\":\"pinx-nobody\"}"),
                   ==, 2500);
  order = listed_order (kim);
  g_assert_cmpstr (order, ==, "pinx-lou:0");
  g_assert_null ((heard = list_change_heard (kim_phone)));
}

/* setMessageRemindType: a C2C peer's flag (set before the first message too, and read back by
 * get_c2c_peer_mute_notifications), a group member's own MsgFlag (not another's), and both in the
 * conversation list's MsgFlag. */
static void
test_remind (void)
{
  g_autoptr (TimchatTestClient) jay = timchat_test_connect (fixture, "remind-jay");
  g_autoptr (TimchatTestClient) kay = timchat_test_connect (fixture, "remind-kay");
  g_autoptr (JsonObject) set = NULL;
  g_autoptr (JsonObject) got = NULL;
  g_autoptr (JsonObject) bad = NULL;
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) own = NULL;
  g_autoptr (JsonObject) others = NULL;
  g_autoptr (JsonObject) self_info = NULL;
  g_autoptr (JsonObject) specified = NULL;
  g_autoptr (JsonObject) synced = NULL;
  g_autoptr (TimchatTestClient) kay_laptop = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) listed_after = NULL;
  g_autofree char *group = NULL;

  set = timchat_test_client_request_json (
      jay, "openim.set_c2c_peer_mute_notifications",
      "{\"Peer_Account\":[\"remind-kay\",\"remind-nobody\"],\"Mute_Notifications\":2}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (set, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (set, "ErrorList.0.UserId"), ==, "remind-nobody");
  g_assert_cmpint (timchat_test_json_get_int (set, "ErrorList.0.ErrorCode"), ==, 70107);
  g_assert_null (timchat_test_json_get_object (set, "ErrorList.1"));
  got = timchat_test_client_request_json (jay, "openim.get_c2c_peer_mute_notifications",
                                          "{\"UpdateSequence\":0}", NULL);
  g_assert_cmpstr (timchat_test_json_get_string (got, "MuteNotificationsList.0.UserId"), ==,
                   "remind-kay");
  g_assert_cmpint (timchat_test_json_get_int (got, "MuteNotificationsList.0.MuteFlag"), ==, 2);
  g_assert_null (timchat_test_json_get_object (got, "MuteNotificationsList.1"));

  /* Not listed before a message; listed with its flag after one. */
  listed = list_conversations (jay, NULL);
  g_assert_null (find_item (listed, 1, "remind-kay"));
  json_object_unref (timchat_test_send_text (kay, "remind-jay", "hi", 1, 1));

  /* Bad input is refused in words. */
  bad = timchat_test_client_request_json (
      jay, "openim.set_c2c_peer_mute_notifications",
      "{\"Peer_Account\":[\"remind-kay\"],\"Mute_Notifications\":3}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
  g_clear_pointer (&bad, json_object_unref);
  bad = timchat_test_client_request_json (jay, "openim.set_c2c_peer_mute_notifications",
                                          "{\"Mute_Notifications\":1}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
  g_clear_pointer (&bad, json_object_unref);

  /* A group: kay's own MsgFlag, not jay's to set for kay. */
  created = timchat_test_client_request_printf (
      jay, "group_open_http_svc.create_group",
      "{\"Name\":\"quiet\",\"Type\":\"Private\",\"MemberList\":[{\"Member_Account\":"
      "\"remind-kay\"}]}");
  group = g_strdup (timchat_test_json_get_string (created, "GroupId"));
  kay_laptop = timchat_test_connect (fixture, "remind-kay");
  own = timchat_test_client_request_printf (
      kay, "group_open_http_svc.modify_group_member_info",
      "{\"GroupId\":\"%s\",\"Member_Account\":\"remind-kay\",\"MsgFlag\":\"AcceptNotNotify\"}",
      group);
  g_assert_cmpint (timchat_test_json_get_int (own, "ErrorCode"), ==, 0);
  /* Kay's other device hears it at once (the SDK's ReportType 20 notice); the asking one does
   * not. */
  synced = timchat_test_wait_event (kay_laptop, "GroupTips", 3000);
  g_assert_nonnull (synced);
  g_assert_cmpint (timchat_test_json_get_int (timchat_test_push_item (synced, "GroupTips"),
                                              "MsgBody.ReportType"),
                   ==, 20);
  g_assert_cmpstr (timchat_test_json_get_string (timchat_test_push_item (synced, "GroupTips"),
                                                 "MsgBody.MsgFlag"),
                   ==, "AcceptNotNotify");
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (synced, "GroupTips"), "GroupId"), ==,
      group);
  for (JsonObject *push; (push = timchat_test_wait_event (kay, "GroupTips", 300)) != NULL;)
    {
      g_assert_cmpint (timchat_test_json_get_int (timchat_test_push_item (push, "GroupTips"),
                                                  "MsgBody.ReportType"),
                       !=, 20);
      json_object_unref (push);
    }
  others = timchat_test_client_request_printf (
      jay, "group_open_http_svc.modify_group_member_info",
      "{\"GroupId\":\"%s\",\"Member_Account\":\"remind-kay\",\"MsgFlag\":\"AcceptAndNotify\"}",
      group);
  g_assert_cmpint (timchat_test_json_get_int (others, "ErrorCode"), ==, 10007);
  bad = timchat_test_client_request_printf (
      kay, "group_open_http_svc.modify_group_member_info",
      "{\"GroupId\":\"%s\",\"Member_Account\":\"remind-kay\",\"MsgFlag\":\"Quiet\"}", group);
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
  self_info = timchat_test_client_request_printf (
      kay, "group_open_http_svc.get_group_self_member_info", "{\"GroupIdList\":[\"%s\"]}", group);
  g_assert_cmpstr (timchat_test_json_get_string (self_info, "GroupInfo.0.SelfInfo.MsgFlag"), ==,
                   "AcceptNotNotify");
  /* The SDK's getGroupMemberProfile (after it sets a MsgFlag): the members named, no others. */
  specified = timchat_test_client_request_printf (
      jay, "group_open_http_svc.get_specified_group_member_info",
      "{\"GroupId\":\"%s\",\"Member_List_Account\":[\"remind-kay\"]}", group);
  g_assert_cmpstr (timchat_test_json_get_string (specified, "MemberList.0.Member_Account"), ==,
                   "remind-kay");
  g_assert_cmpstr (timchat_test_json_get_string (specified, "MemberList.0.MsgFlag"), ==,
                   "AcceptNotNotify");
  g_assert_null (timchat_test_json_get_object (specified, "MemberList.1"));

  listed_after = list_conversations (jay, NULL);
  g_assert_cmpstr (
      timchat_test_json_get_string (find_item (listed_after, 1, "remind-kay"), "MsgFlag"), ==,
      "AcceptNotNotify");
  g_assert_cmpstr (timchat_test_json_get_string (find_item (listed_after, 2, group), "MsgFlag"), ==,
                   "AcceptAndNotify");
  g_clear_pointer (&listed_after, g_ptr_array_unref);
  listed_after = list_conversations (kay, NULL);
  g_assert_cmpstr (timchat_test_json_get_string (find_item (listed_after, 2, group), "MsgFlag"), ==,
                   "AcceptNotNotify");
  g_assert_cmpstr (
      timchat_test_json_get_string (find_item (listed_after, 1, "remind-jay"), "MsgFlag"), ==,
      "AcceptAndNotify");

  /* Back to 0: the list of exceptions is empty. */
  g_clear_pointer (&set, json_object_unref);
  set = timchat_test_client_request_json (
      jay, "openim.set_c2c_peer_mute_notifications",
      "{\"Peer_Account\":[\"remind-kay\"],\"Mute_Notifications\":0}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (set, "ErrorCode"), ==, 0);
  g_clear_pointer (&got, json_object_unref);
  got = timchat_test_client_request_json (jay, "openim.get_c2c_peer_mute_notifications",
                                          "{\"UpdateSequence\":0}", NULL);
  g_assert_null (timchat_test_json_get_object (got, "MuteNotificationsList.0"));
}

/* setAllMessageRead (read_all_unread_msg): every C2C conversation and the groups named read at
 * once, the peers told; a group that is not there has its own code; bad input refused. */
static void
test_read_all (void)
{
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (fixture, "all-lou");
  g_autoptr (TimchatTestClient) may = timchat_test_connect (fixture, "all-may");
  g_autoptr (TimchatTestClient) ned = timchat_test_connect (fixture, "all-ned");
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) read = NULL;
  g_autoptr (JsonObject) receipt = NULL;
  g_autoptr (JsonObject) bad = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autofree char *group = NULL;

  json_object_unref (timchat_test_send_text (may, "all-lou", "one", 1, 1));
  json_object_unref (timchat_test_send_text (ned, "all-lou", "two", 1, 2));
  created = timchat_test_client_request_printf (
      may, "group_open_http_svc.create_group",
      "{\"Name\":\"all\",\"Type\":\"Private\",\"MemberList\":[{\"Member_Account\":"
      "\"all-lou\"}]}");
  group = g_strdup (timchat_test_json_get_string (created, "GroupId"));
  sent = timchat_test_client_request_printf (
      may, "group_open_http_svc.send_group_msg",
      "{\"GroupId\":\"%s\",\"Random\":7,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
      "\"MsgContent\":{\"Text\":\"hi all\"}}]}",
      group);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  before = list_conversations (lou, NULL);
  g_assert_cmpint (timchat_test_json_get_int (find_item (before, 1, "all-may"), "UnreadMsgCount"),
                   ==, 1);
  /* The tip of lou's joining (may's) and the message, as the Web SDK counts them live. */
  g_assert_cmpint (timchat_test_json_get_int (find_item (before, 2, group), "UnreadMsgCount"), ==,
                   2);

  read = timchat_test_client_request_printf (
      lou, "openim.read_all_unread_msg",
      "{\"C2CReadAllMsg\":1,\"GroupReadInfo\":[{\"GroupId\":\"%s\",\"MsgSeq\":99},"
      "{\"GroupId\":\"all-nope\",\"MsgSeq\":1}]}",
      group);
  g_assert_cmpint (timchat_test_json_get_int (read, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (read, "C2CReadAllMsg"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (read, "GroupReadInfoArray.0.RetCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (read, "GroupReadInfoArray.0.LastReadMsgSeq"), ==,
                   timchat_test_json_get_int (sent, "MsgSeq"));
  g_assert_cmpint (timchat_test_json_get_int (read, "GroupReadInfoArray.1.RetCode"), ==, 10010);
  after = list_conversations (lou, NULL);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpint (timchat_test_json_get_int (after->pdata[i], "UnreadMsgCount"), ==, 0);
  /* The peer hears that its message was read, as after msgreaded. */
  receipt = timchat_test_wait_event (may, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (receipt, "C2cNotifyMsgArray"),
                                    "C2cReadedReceipt.To_Account"),
      ==, "all-lou");

  bad = timchat_test_client_request_json (lou, "openim.read_all_unread_msg",
                                          "{\"C2CReadAllMsg\":2}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
  g_clear_pointer (&bad, json_object_unref);
  bad = timchat_test_client_request_json (lou, "openim.read_all_unread_msg",
                                          "{\"GroupReadInfo\":[{\"GroupId\":\"x\"}]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
}

static void
test_profiles (void)
{
  g_autoptr (TimchatTestClient) dora = timchat_test_connect (fixture, "dora");
  g_autoptr (TimchatTestClient) eve = timchat_test_connect (fixture, "eve");
  g_autoptr (JsonObject) set = timchat_test_client_request_json (
      dora, "profile.portrait_set",
      "{\"From_Account\":\"dora\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":"
      "\"Dora D.\"},"
      "{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":\"http://127.0.0.1/d.png\"}]}",
      NULL);
  g_autoptr (JsonObject) got =
      timchat_test_client_request_json (eve, "profile.portrait_get_all",
                                        "{\"From_Account\":\"eve\",\"UserItem\":[{\"To_Account\":"
                                        "\"dora\"},{\"To_Account\":\"ghost\"}]}",
                                        NULL);
  g_autoptr (JsonObject) bad = timchat_test_client_request_json (
      dora, "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":5}]}", NULL);
  g_autoptr (JsonObject) sent = timchat_test_send_text (dora, "eve", "with nick", 1, 2);
  g_autoptr (JsonObject) push = timchat_test_wait_event (eve, "C2cMsgArray", 3000);

  g_assert_cmpint (timchat_test_json_get_int (set, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (got, "UserProfileItem.0.To_Account"), ==, "dora");
  g_assert_cmpstr (timchat_test_json_get_string (got, "UserProfileItem.0.ProfileItem.0.Value"), ==,
                   "Dora D.");
  g_assert_cmpstr (timchat_test_json_get_string (got, "UserProfileItem.0.ProfileItem.1.Value"), ==,
                   "http://127.0.0.1/d.png");
  g_assert_cmpint (timchat_test_json_get_int (got, "UserProfileItem.1.ResultCode"), ==, 70107);
  /* The profile service's code for a Value of the wrong type. */
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 40610);
  g_assert_cmpstr (timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"),
                                                 "From_AccountNick"),
                   ==, "Dora D.");
}

/* Who sent what, by name: the list names the C2C peer (C2cNick/C2cImage) and a group's last sender
 * (MsgGroupFromNickName/MsgGroupFromCardName); a group message carries its sender's name card in
 * that group, live and in history. */
static void
test_sender_names (void)
{
  g_autoptr (TimchatTestClient) kim = timchat_test_connect (fixture, "names-kim");
  g_autoptr (TimchatTestClient) lee = timchat_test_connect (fixture, "names-lee");
  g_autoptr (JsonObject) created = NULL, card = NULL, sent = NULL, push = NULL, history = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autofree char *group = NULL;
  JsonObject *item;

  json_object_unref (timchat_test_request_ok (
      kim, "profile.portrait_set",
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Kim K.\"},"
      "{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":\"http://127.0.0.1/k.png\"}]}"));
  json_object_unref (timchat_test_send_text (kim, "names-lee", "hello", 1, 1));
  created = timchat_test_client_request_printf (
      kim, "group_open_http_svc.create_group",
      "{\"Name\":\"names\",\"Type\":\"Private\",\"MemberList\":[{\"Member_Account\":"
      "\"names-lee\"}]}");
  group = g_strdup (timchat_test_json_get_string (created, "GroupId"));
  card = timchat_test_client_request_printf (
      kim, "group_open_http_svc.modify_group_member_info",
      "{\"GroupId\":\"%s\",\"Member_Account\":\"names-kim\",\"NameCard\":\"Kimmy\"}", group);
  g_assert_cmpint (timchat_test_json_get_int (card, "ErrorCode"), ==, 0);
  sent = timchat_test_client_request_printf (
      kim, "group_open_http_svc.send_group_msg",
      "{\"GroupId\":\"%s\",\"Random\":9,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
      "\"MsgContent\":{\"Text\":\"hi\"}}]}",
      group);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);

  push = timchat_test_wait_event (lee, "GroupMsgArray", 3000);
  g_assert_nonnull (push);
  item = timchat_test_push_item (push, "GroupMsgArray");
  g_assert_cmpstr (timchat_test_json_get_string (item, "GroupInfo.MsgFrom_AccountExtraInfo.Nick"),
                   ==, "Kim K.");
  g_assert_cmpstr (
      timchat_test_json_get_string (item, "GroupInfo.MsgFrom_AccountExtraInfo.NameCard"), ==,
      "Kimmy");
  /* Where the SDK reads a group message's nick and avatar. */
  g_assert_cmpstr (timchat_test_json_get_string (item, "GroupInfo.Nick"), ==, "Kim K.");
  g_assert_cmpstr (timchat_test_json_get_string (item, "GroupInfo.FaceUrl"), ==,
                   "http://127.0.0.1/k.png");
  history = timchat_test_client_request_printf (lee, "group_open_http_svc.group_msg_get",
                                                "{\"GroupId\":\"%s\",\"ReqMsgNumber\":1}", group);
  g_assert_cmpstr (timchat_test_json_get_string (
                       history, "RspMsgList.0.GroupInfo.MsgFrom_AccountExtraInfo.NameCard"),
                   ==, "Kimmy");

  items = list_conversations (lee, NULL);
  item = find_item (items, 1, "names-kim");
  g_assert_cmpstr (timchat_test_json_get_string (item, "C2cNick"), ==, "Kim K.");
  g_assert_cmpstr (timchat_test_json_get_string (item, "C2cImage"), ==, "http://127.0.0.1/k.png");
  item = find_item (items, 2, group);
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgGroupFromAccount"), ==, "names-kim");
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgGroupFromNickName"), ==, "Kim K.");
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgGroupFromCardName"), ==, "Kimmy");
}

static gint64
clear (TimchatTestClient *c, const char *item)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "recentcontact.clear_msg", "{\"From_Account\":\"%s\",%s}",
      timchat_test_client_get_user (c), item);

  return timchat_test_json_get_int (reply, "ErrorCode");
}

static guint
roam_count (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) page = timchat_test_client_request_printf (
      c, "openim.getroammsg",
      "{\"Peer_Account\":\"%s\",\"MaxCnt\":15,\"LastMsgTime\":0,\"MsgKey\":\"\"}", peer);

  g_assert_cmpint (timchat_test_json_get_int (page, "Complete"), ==, 1);
  return json_array_get_length (timchat_test_json_get_array (page, "MsgList"));
}

static guint
group_count (TimchatTestClient *c, const char *group)
{
  g_autoptr (JsonObject) page = timchat_test_client_request_printf (
      c, "group_open_http_svc.group_msg_get", "{\"GroupId\":\"%s\",\"ReqMsgNumber\":20}", group);

  return json_array_get_length (timchat_test_json_get_array (page, "RspMsgList"));
}

/* The TimchatHistoryClearNotify of the C2cNotifyMsgArray entries of events, or NULL. */
static JsonObject *
find_clear_notify (JsonArray *events)
{
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *notify =
          timchat_test_json_get_object (json_array_get_object_element (events, i),
                                        "C2cNotifyMsgArray.0.TimchatHistoryClearNotify");

      if (notify != NULL)
        return notify;
    }
  return NULL;
}

/* The SDK's clearHistoryMessage: the asker's history of the conversation starts after it, their
 * unread count and the list's last message go; the peer keeps everything; what comes next is
 * history again. The asker's other device hears of it at once, a device away at its next sync.
 * A group's too. A bad item is 10004, a conversation the user does not have 2500. */
static void
test_clear_history (void)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "clr-ann");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "clr-bob");
  g_autoptr (TimchatTestClient) ann_phone = timchat_test_connect (fixture, "clr-ann");
  g_autoptr (JsonObject) start = NULL, heard = NULL, synced = NULL, created = NULL, sent = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) listed_after = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *group_item = NULL;
  JsonObject *notify, *item;
  const char *group;

  start = timchat_test_client_request_json (ann, "openim.getmsg", "{\"Cookie\":\"\"}", NULL);
  cookie = g_strdup (timchat_test_json_get_string (start, "Cookie"));
  for (int i = 1; i <= 3; i++)
    json_object_unref (timchat_test_send_text (bob, "clr-ann", "before", 10 + i, 20 + i));
  listed = list_conversations (ann, NULL);
  g_assert_cmpint (timchat_test_json_get_int (find_item (listed, 1, "clr-bob"), "UnreadMsgCount"),
                   ==, 3);

  g_assert_cmpint (clear (ann, "\"Type\":1,\"To_Account\":\"clr-bob\""), ==, 0);
  g_assert_cmpuint (roam_count (ann, "clr-bob"), ==, 0);
  g_assert_cmpuint (roam_count (bob, "clr-ann"), ==, 3);
  listed_after = list_conversations (ann, NULL);
  item = find_item (listed_after, 1, "clr-bob");
  g_assert_nonnull (item); /* still listed */
  g_assert_cmpint (timchat_test_json_get_int (item, "UnreadMsgCount"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), ==, 0);
  /* The other device, at once; the asking one is not told. */
  heard = timchat_test_wait_event (ann_phone, "C2cNotifyMsgArray", 5000);
  g_assert_nonnull (heard);
  notify = find_clear_notify (timchat_test_json_get_array (heard, "EventArray"));
  g_assert_nonnull (notify);
  g_assert_cmpint (timchat_test_json_get_int (notify, "Type"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (notify, "To_Account"), ==, "clr-bob");
  g_assert_cmpint (timchat_test_json_get_int (notify, "ServerSeq"), ==, 3);
  g_assert_null (timchat_test_wait_event (ann, "C2cNotifyMsgArray", 300));
  /* A device away: its sync brings the messages, then the clearing. */
  synced = timchat_test_client_request_printf (ann, "openim.getmsg", "{\"Cookie\":\"%s\"}", cookie);
  notify = find_clear_notify (timchat_test_json_get_array (synced, "EventArray"));
  g_assert_nonnull (notify);
  g_assert_cmpint (timchat_test_json_get_int (notify, "ServerSeq"), ==, 3);

  /* What comes next is history, and unread. */
  json_object_unref (timchat_test_send_text (bob, "clr-ann", "after", 14, 24));
  g_assert_cmpuint (roam_count (ann, "clr-bob"), ==, 1);
  g_clear_pointer (&listed_after, g_ptr_array_unref);
  listed_after = list_conversations (ann, NULL);
  item = find_item (listed_after, 1, "clr-bob");
  g_assert_cmpint (timchat_test_json_get_int (item, "UnreadMsgCount"), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (item, "MsgTime"), >, 0);

  /* A group: ann's history of it is empty (its tips too), bob's is not. */
  created = timchat_test_client_request_json (
      ann, "group_open_http_svc.create_group",
      "{\"Name\":\"clr\",\"Type\":\"Private\",\"MemberList\":[{\"Member_Account\":\"clr-bob\"}]}",
      NULL);
  group = timchat_test_json_get_string (created, "GroupId");
  sent = timchat_test_client_request_printf (
      bob, "group_open_http_svc.send_group_msg",
      "{\"GroupId\":\"%s\",\"Random\":5,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
      "\"MsgContent\":{\"Text\":\"g1\"}}]}",
      group);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  group_item = g_strdup_printf ("\"Type\":2,\"ToGroupid\":\"%s\"", group);
  g_assert_cmpuint (group_count (ann, group), ==, 2);
  g_assert_cmpint (clear (ann, group_item), ==, 0);
  g_assert_cmpuint (group_count (ann, group), ==, 0);
  g_assert_cmpuint (group_count (bob, group), ==, 2);

  g_assert_cmpint (clear (ann, "\"Type\":3,\"To_Account\":\"clr-bob\""), ==, 10004);
  g_assert_cmpint (clear (ann, "\"Type\":1"), ==, 10004);
  g_assert_cmpint (clear (ann, "\"Type\":1,\"To_Account\":\"clr-nobody\""), ==, 2500);
}

int
main (int argc, char **argv)
{
  static const char *const conf[] = { "limits/conversation_page=2", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server/conversation/order-paging-last-message",
                   test_list_order_paging_and_last_message);
  g_test_add_func ("/server/conversation/delete-keeps-history",
                   test_delete_keeps_history_and_comes_back);
  g_test_add_func ("/server/conversation/pin", test_pin);
  g_test_add_func ("/server/conversation/pin-not-listed-changes-nothing",
                   test_pin_not_listed_changes_nothing);
  g_test_add_func ("/server/conversation/clear-history", test_clear_history);
  g_test_add_func ("/server/conversation/remind", test_remind);
  g_test_add_func ("/server/conversation/read-all", test_read_all);
  g_test_add_func ("/server/conversation/profiles", test_profiles);
  g_test_add_func ("/server/conversation/sender-names", test_sender_names);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
