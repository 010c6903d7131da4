/* test-server-conversation.c: recentcontact.page_get / batch_delete and profiles. Pages are two
 * conversations long here, so paging is exercised. */
#define G_LOG_DOMAIN "test-server-conversation"

#include "config.h"

#include "timchat-test-util.h"

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
find_peer (GPtrArray *items, const char *peer)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (timchat_test_json_get_string (items->pdata[i], "To_Account"), peer) == 0)
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
  conv = find_peer (before, "carol");
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
  g_assert_null (find_peer (after_delete, "carol"));

  unknown = timchat_test_client_request_json (
      bob, "recentcontact.batch_delete",
      "{\"From_Account\":\"bob\",\"ContactItem\":[{\"To_Account\":\"zed\",\"Type\":1}]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (unknown, "ResultItem.0.ResultCode"), ==, 2500);

  json_object_unref (timchat_test_send_text (carol, "bob", "new", 3, 3));
  after_new = list_conversations (bob, NULL);
  g_assert_nonnull (find_peer (after_new, "carol"));
  history = timchat_test_client_request_json (bob, "openim.getroammsg",
                                              "{\"Peer_Account\":\"carol\",\"MaxCnt\":15}", NULL);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (history, "MsgList")), ==,
                    3);
  g_assert_cmpstr (timchat_test_json_get_string (history, "MsgList.0.MsgBody.0.MsgContent.Text"),
                   ==, "old 1");
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
  g_assert_cmpint (timchat_test_json_get_int (bad, "ErrorCode"), ==, 10004);
  g_assert_cmpstr (timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"),
                                                 "From_AccountNick"),
                   ==, "Dora D.");
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
  g_test_add_func ("/server/conversation/profiles", test_profiles);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
