/* test-server-folders.c: folders of conversations (the SDK's conversation groups,
 * recentcontact.create_contact_group, update_contact_group, del_contact_group and
 * get_contact_group) against the real server: created with conversations, renamed, filled and
 * emptied, deleted; the user's other devices hear each change (RecentContactMod PushType 5, 7,
 * 6); get_contact_group lists them with the marks; bad names, duplicates, the 21st folder and
 * conversations not in the list are refused; they survive a restart. */
#define G_LOG_DOMAIN "test-server-folders"

#include "config.h"

#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static JsonObject *
create (TimchatTestClient *c, const char *name, const char *contacts_json)
{
  return timchat_test_client_request_printf (
      c, "recentcontact.create_contact_group",
      "{\"From_Account\":\"%s\",\"GroupContactItem\":[{\"GroupName\":\"%s\",\"ContactItem\":%s}]}",
      timchat_test_client_get_user (c), name, contacts_json);
}

static JsonObject *
file (TimchatTestClient *c, const char *name, gint64 operation, const char *contact_json)
{
  return timchat_test_client_request_printf (
      c, "recentcontact.update_contact_group",
      "{\"From_Account\":\"%s\",\"UpdateType\":1,\"UpdateGroup\":{\"UpdateGroupType\":2,"
      "\"OldGroupName\":\"%s\",\"ContactUpdateItem\":[{\"ContactOptType\":%" G_GINT64_FORMAT
      ",\"ContactItem\":%s}]}}",
      timchat_test_client_get_user (c), name, operation, contact_json);
}

static JsonObject *
rename_folder (TimchatTestClient *c, const char *old_name, const char *new_name)
{
  return timchat_test_client_request_printf (
      c, "recentcontact.update_contact_group",
      "{\"From_Account\":\"%s\",\"UpdateType\":1,\"UpdateGroup\":{\"UpdateGroupType\":1,"
      "\"OldGroupName\":\"%s\",\"NewGroupName\":\"%s\"}}",
      timchat_test_client_get_user (c), old_name, new_name);
}

static gint64
code_of (JsonObject *reply)
{
  return timchat_test_json_get_int (reply, "ErrorCode");
}

/* "name[conversation,…] …" of get_contact_group, folders in order, conversations as
 * "1:user" or "2:group" with their marks after a slash when any. */
static char *
listed (TimchatTestClient *c)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "recentcontact.get_contact_group", "{\"From_Account\":\"%s\",\"StartIndex\":0}",
      timchat_test_client_get_user (c));
  JsonArray *folders = timchat_test_json_get_array (reply, "GroupItem");
  JsonArray *contacts = timchat_test_json_get_array (reply, "ContactItem");
  GString *text = g_string_new ("");

  g_assert_cmpint (code_of (reply), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "CompleteFlag"), ==, 1);
  for (guint i = 0; i < json_array_get_length (folders); i++)
    {
      JsonObject *folder = json_array_get_object_element (folders, i);
      gint64 id = timchat_test_json_get_int (folder, "GroupId");
      gboolean first = TRUE;

      g_string_append_printf (text, "%s%s[", i > 0 ? " " : "",
                              timchat_test_json_get_string (folder, "GroupName"));
      for (guint j = 0; j < json_array_get_length (contacts); j++)
        {
          JsonObject *contact = json_array_get_object_element (contacts, j);
          JsonArray *in = timchat_test_json_get_array (contact, "ContactGroupId");
          gint64 type = timchat_test_json_get_int (contact, "Type");
          const char *marks = timchat_test_json_get_string (contact, "StandardMark");

          for (guint k = 0; k < json_array_get_length (in); k++)
            if (json_array_get_int_element (in, k) == id)
              {
                g_string_append_printf (
                    text, "%s%" G_GINT64_FORMAT ":%s%s%s", first ? "" : ",", type,
                    timchat_test_json_get_string (contact, type == 2 ? "ToGroupId" : "To_Account"),
                    marks != NULL && *marks != '\0' ? "/" : "", marks != NULL ? marks : "");
                first = FALSE;
              }
        }
      g_string_append (text, "]");
    }
  return g_string_free (text, FALSE);
}

#define ASSERT_LISTED(client, expected)                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *listed_ = listed (client);                                                    \
    g_assert_cmpstr (listed_, ==, expected);                                                       \
  }                                                                                                \
  G_STMT_END

/* The next folder change a device hears: its PushType and the item under key. */
static JsonObject *
heard (TimchatTestClient *device, gint64 push_type, const char *key)
{
  g_autoptr (JsonObject) push = timchat_test_wait_event (device, "RecentContactMod", 2000);
  JsonObject *item = push != NULL ? timchat_test_push_item (push, "RecentContactMod") : NULL;

  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "PushType"), ==, push_type);
  return json_object_ref (timchat_test_json_get_object (item, key));
}

/* Created with a conversation (and one not in the list, refused on its own), filled, renamed,
 * emptied and deleted; the phone hears each; the list says it all with the marks. */
static void
test_folders (void)
{
  g_autoptr (TimchatTestClient) ivy = timchat_test_connect (fixture, "fo-ivy");
  g_autoptr (TimchatTestClient) ivy_phone = timchat_test_connect (fixture, "fo-ivy");
  g_autoptr (TimchatTestClient) jon = timchat_test_connect (fixture, "fo-jon");
  g_autoptr (JsonObject) created = NULL, added = NULL, renamed = NULL, removed = NULL;
  g_autoptr (JsonObject) deleted = NULL, push = NULL, marked = NULL;
  g_autoptr (JsonObject) club = timchat_test_client_request_printf (
      ivy, "group_open_http_svc.create_group", "{\"Name\":\"Club\",\"Type\":\"Private\"}");
  const char *group = timchat_test_json_get_string (club, "GroupId");
  g_autofree char *group_contact = g_strdup_printf ("{\"Type\":2,\"ToGroupId\":\"%s\"}", group);
  g_autofree char *expected = NULL;

  json_object_unref (timchat_test_send_text (jon, "fo-ivy", "hi", 1, 1));
  ASSERT_LISTED (ivy, "");

  created = create (ivy, "Work",
                    "[{\"Type\":1,\"To_Account\":\"fo-jon\"},{\"Type\":1,\"To_Account\":"
                    "\"fo-nobody\"}]");
  g_assert_cmpint (code_of (created), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (created, "GroupResultItem.0.GroupItem.GroupName"),
                   ==, "Work");
  g_assert_cmpint (timchat_test_json_get_int (created, "GroupResultItem.0.GroupItem.GroupId"), >,
                   0);
  g_assert_cmpint (timchat_test_json_get_int (created, "GroupResultItem.0.ResultItem.0.ResultCode"),
                   ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (created, "GroupResultItem.0.ResultItem.1.ResultCode"),
                   ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  push = heard (ivy_phone, 5, "RecentContactCreateContactGroup");
  g_assert_cmpstr (
      timchat_test_json_get_string (push, "MsgContactGroupContactItem.0.MsgGroupItem.GroupName"),
      ==, "Work");
  g_assert_cmpstr (timchat_test_json_get_string (
                       push, "MsgContactGroupContactItem.0.MsgRecentContactItem.0.UserId"),
                   ==, "fo-jon");
  g_clear_pointer (&push, json_object_unref);
  ASSERT_LISTED (ivy, "Work[1:fo-jon]");
  ASSERT_LISTED (jon, "");

  added = file (ivy, "Work", 1, group_contact);
  g_assert_cmpint (code_of (added), ==, 0);
  g_assert_cmpint (
      timchat_test_json_get_int (added, "UpdateGroupResult.ContactResultItem.0.ResultCode"), ==, 0);
  push = heard (ivy_phone, 7, "RecentContactUpdateContactGroup");
  g_assert_cmpint (timchat_test_json_get_int (push, "MsgUpdateGroup.UpdateGroupType"), ==, 2);
  g_assert_cmpstr (timchat_test_json_get_string (push, "MsgUpdateGroup.OldGroupName"), ==, "Work");
  g_assert_cmpint (timchat_test_json_get_int (
                       push, "MsgUpdateGroup.RecentContactUpdateGroupItem.0.ContactOptType"),
                   ==, 1);
  g_assert_cmpstr (
      timchat_test_json_get_string (
          push, "MsgUpdateGroup.RecentContactUpdateGroupItem.0.RecentContactItem.GroupId"),
      ==, group);
  g_clear_pointer (&push, json_object_unref);
  /* Marked starred: the list carries the marks, which the SDK takes from it too. */
  marked = timchat_test_client_request_printf (
      ivy, "recentcontact.mark_contact",
      "{\"MarkItem\":[{\"OptType\":1,\"ContactItem\":{\"Type\":1,\"To_Account\":\"fo-jon\"},"
      "\"SetMark\":[0]}]}");
  g_assert_cmpint (timchat_test_json_get_int (marked, "ResultItem.0.ResultCode"), ==, 0);
  json_object_unref (heard (ivy_phone, 4, "RecentContactMarkContact"));
  expected = g_strdup_printf ("Work[1:fo-jon/1,2:%s]", group);
  ASSERT_LISTED (ivy, expected);

  renamed = rename_folder (ivy, "Work", "Office");
  g_assert_cmpint (code_of (renamed), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (renamed, "UpdateGroupResult.GroupName"), ==,
                   "Office");
  push = heard (ivy_phone, 7, "RecentContactUpdateContactGroup");
  g_assert_cmpint (timchat_test_json_get_int (push, "MsgUpdateGroup.UpdateGroupType"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (push, "MsgUpdateGroup.GroupName"), ==, "Office");
  g_assert_cmpstr (timchat_test_json_get_string (push, "MsgUpdateGroup.OldGroupName"), ==, "Work");
  g_clear_pointer (&push, json_object_unref);

  removed = file (ivy, "Office", 2, "{\"Type\":1,\"To_Account\":\"fo-jon\"}");
  g_assert_cmpint (code_of (removed), ==, 0);
  push = heard (ivy_phone, 7, "RecentContactUpdateContactGroup");
  g_assert_cmpint (timchat_test_json_get_int (
                       push, "MsgUpdateGroup.RecentContactUpdateGroupItem.0.ContactOptType"),
                   ==, 2);
  g_clear_pointer (&push, json_object_unref);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Office[2:%s]", group);
  ASSERT_LISTED (ivy, expected);

  deleted = timchat_test_client_request_printf (ivy, "recentcontact.del_contact_group",
                                                "{\"GroupName\":[\"Office\"]}");
  g_assert_cmpint (code_of (deleted), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (deleted, "GroupItem.0.GroupName"), ==, "Office");
  push = heard (ivy_phone, 6, "RecentContactDelContactGroup");
  g_assert_cmpstr (timchat_test_json_get_string (push, "MsgGroupItem.0.GroupName"), ==, "Office");
  ASSERT_LISTED (ivy, "");
}

/* Only a conversation of the list goes in a folder, and only those listed are in
 * get_contact_group: one deleted from the list (its row stays, hidden) waits for its next
 * message, and a peer muted before any message (a row too, hidden) is no conversation yet. */
static void
test_unlisted_conversations (void)
{
  g_autoptr (TimchatTestClient) lea = timchat_test_connect (fixture, "fo-lea");
  g_autoptr (TimchatTestClient) max = timchat_test_connect (fixture, "fo-max");
  g_autoptr (TimchatTestClient) ned = timchat_test_connect (fixture, "fo-ned");
  g_autoptr (JsonObject) created = NULL, deleted = NULL, muted = NULL;
  g_autoptr (JsonObject) filed_deleted = NULL, filed_muted = NULL;

  json_object_unref (timchat_test_send_text (max, "fo-lea", "hi", 1, 1));
  created = create (lea, "Friends", "[{\"Type\":1,\"To_Account\":\"fo-max\"}]");
  g_assert_cmpint (code_of (created), ==, 0);
  ASSERT_LISTED (lea, "Friends[1:fo-max]");

  deleted = timchat_test_client_request_json (
      lea, "recentcontact.batch_delete",
      "{\"From_Account\":\"fo-lea\",\"ContactItem\":[{\"Type\":1,\"To_Account\":\"fo-max\"}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);
  ASSERT_LISTED (lea, "Friends[]");
  filed_deleted = create (lea, "Later", "[{\"Type\":1,\"To_Account\":\"fo-max\"}]");
  g_assert_cmpint (code_of (filed_deleted), ==, 0);
  g_assert_cmpint (
      timchat_test_json_get_int (filed_deleted, "GroupResultItem.0.ResultItem.0.ResultCode"), ==,
      TIM_ERROR_CONVERSATION_NOT_FOUND);

  muted = timchat_test_client_request_json (
      lea, "openim.set_c2c_peer_mute_notifications",
      "{\"Peer_Account\":[\"fo-ned\"],\"Mute_Notifications\":2}", NULL);
  g_assert_cmpint (code_of (muted), ==, 0);
  filed_muted = file (lea, "Friends", 1, "{\"Type\":1,\"To_Account\":\"fo-ned\"}");
  g_assert_cmpint (code_of (filed_muted), ==, 0);
  g_assert_cmpint (
      timchat_test_json_get_int (filed_muted, "UpdateGroupResult.ContactResultItem.0.ResultCode"),
      ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  ASSERT_LISTED (lea, "Friends[] Later[]");

  /* The next message brings the conversation back, in its folder. */
  json_object_unref (timchat_test_send_text (max, "fo-lea", "again", 2, 2));
  ASSERT_LISTED (lea, "Friends[1:fo-max] Later[]");
}

/* Names of 1 to 32 characters, each once; at most 20 folders; only folders that exist change;
 * they are kept across a restart. */
static void
test_refusals_and_restart (void)
{
  g_autoptr (JsonObject) twice = NULL, empty = NULL, long_name = NULL, no_folder = NULL;
  g_autoptr (JsonObject) too_many = NULL, taken = NULL, chinese = NULL, bad_type = NULL;
  g_autofree char *name_33 = g_strnfill (33, 'n');
  g_autofree char *list = NULL;

  {
    g_autoptr (TimchatTestClient) kai = timchat_test_connect (fixture, "fo-kai");

    json_object_unref (create (kai, "A", "[]"));
    twice = create (kai, "A", "[]");
    g_assert_cmpint (code_of (twice), ==, TIM_ERROR_INVALID_PARAMETER);
    empty = create (kai, "", "[]");
    g_assert_cmpint (code_of (empty), ==, TIM_ERROR_INVALID_PARAMETER);
    long_name = create (kai, name_33, "[]");
    g_assert_cmpint (code_of (long_name), ==, TIM_ERROR_INVALID_PARAMETER);
    /* 32 characters of three bytes each are a name. */
    chinese =
        create (kai, "工作工作工作工作工作工作工作工作工作工作工作工作工作工作工作工作", "[]");
    g_assert_cmpint (code_of (chinese), ==, 0);
    no_folder = file (kai, "Nope", 1, "{\"Type\":1,\"To_Account\":\"fo-jon\"}");
    g_assert_cmpint (code_of (no_folder), ==, TIM_ERROR_INVALID_PARAMETER);
    bad_type = timchat_test_client_request_printf (
        kai, "recentcontact.update_contact_group",
        "{\"UpdateType\":2,\"UpdateGroup\":{\"UpdateGroupType\":1,\"OldGroupName\":\"A\"}}");
    g_assert_cmpint (code_of (bad_type), ==, TIM_ERROR_INVALID_PARAMETER);
    taken = rename_folder (kai, "A",
                           "工作工作工作工作工作工作工作工作工作工作工作工作工作工作工作工作");
    g_assert_cmpint (code_of (taken), ==, TIM_ERROR_INVALID_PARAMETER);
    for (guint i = 2; i < 20; i++)
      {
        g_autofree char *name = g_strdup_printf ("F%u", i);
        g_autoptr (JsonObject) made = create (kai, name, "[]");

        g_assert_cmpint (code_of (made), ==, 0);
      }
    too_many = create (kai, "F20", "[]");
    g_assert_cmpint (code_of (too_many), ==, TIM_ERROR_INVALID_PARAMETER);
  }
  timchat_fixture_restart (fixture);
  {
    g_autoptr (TimchatTestClient) kai = timchat_test_connect (fixture, "fo-kai");

    list = listed (kai);
    g_assert_true (g_str_has_prefix (list, "A[] 工作"));
    g_assert_true (g_str_has_suffix (list, " F19[]"));
  }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/folders/folders", test_folders);
  g_test_add_func ("/server/folders/unlisted-conversations", test_unlisted_conversations);
  g_test_add_func ("/server/folders/refusals-and-restart", test_refusals_and_restart);
  ret = g_test_run ();
  timchat_fixture_free (fixture);
  return ret;
}
