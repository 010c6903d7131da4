/* test-server-discard.c: setMessageRemindType Discard against the real timchat-server. As with the
 * vendor ("rejected" messages arrive neither online nor offline, and getMessageList still reads
 * them): a C2C peer's messages and a group's messages and @ tips are not pushed to the user who
 * discards them, not replayed by openim.getmsg, not counted unread, and are in the history; the
 * group's tips still come, the sender's own devices still sync, and turning it off brings the
 * pushes back. */
#define G_LOG_DOMAIN "test-server-discard"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static void
set_c2c_remind (TimchatTestClient *c, const char *peer, int flag)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "openim.set_c2c_peer_mute_notifications",
      "{\"Peer_Account\":[\"%s\"],\"Mute_Notifications\":%d}", peer, flag);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_null (timchat_test_json_get_object (reply, "ErrorList.0"));
}

/* openim.getmsg after cookie ("" for a fresh one), which must answer. */
static JsonObject *
sync_after (TimchatTestClient *c, const char *cookie)
{
  JsonObject *sync = timchat_test_client_request_printf (
      c, "openim.getmsg", "{\"Cookie\":\"%s\",\"SyncFlag\":0}", cookie);

  g_assert_cmpint (timchat_test_json_get_int (sync, "ErrorCode"), ==, 0);
  return sync;
}

/* A fresh openim.getmsg's Cookie: where a device that goes away now would sync from. */
static char *
sync_cookie (TimchatTestClient *c)
{
  g_autoptr (JsonObject) sync = sync_after (c, "");

  return g_strdup (timchat_test_json_get_string (sync, "Cookie"));
}

/* The texts of c's C2C messages from peer that openim.getmsg replays after cookie. */
static char *
synced_texts (TimchatTestClient *c, const char *cookie, const char *peer)
{
  g_autoptr (JsonObject) sync = sync_after (c, cookie);
  JsonArray *messages = timchat_test_json_get_array (sync, "MsgList");
  g_autoptr (GString) texts = g_string_new ("");

  for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);

      if (g_strcmp0 (timchat_test_json_get_string (message, "From_Account"), peer) == 0)
        g_string_append_printf (
            texts, "%s;", timchat_test_json_get_string (message, "MsgBody.0.MsgContent.Text"));
    }
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* How many C2C edits openim.getmsg replays to c after cookie. */
static guint
synced_edits (TimchatTestClient *c, const char *cookie)
{
  g_autoptr (JsonObject) sync = sync_after (c, cookie);
  JsonArray *events = timchat_test_json_get_array (sync, "EventArray");
  guint found = 0;

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    if (json_object_has_member (json_array_get_object_element (events, i), "C2cMsgModNotifys"))
      found++;
  return found;
}

/* The texts of the C2C history between c and peer, oldest first. */
static char *
history_texts (TimchatTestClient *c, const char *peer)
{
  g_autoptr (JsonObject) page = timchat_test_client_request_printf (
      c, "openim.getroammsg", "{\"Peer_Account\":\"%s\",\"MaxCnt\":15}", peer);
  JsonArray *messages = timchat_test_json_get_array (page, "MsgList");
  g_autoptr (GString) texts = g_string_new ("");

  g_assert_nonnull (messages);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    g_string_append_printf (
        texts, "%s;",
        timchat_test_json_get_string (json_array_get_object_element (messages, i),
                                      "MsgBody.0.MsgContent.Text"));
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* The next C2C message pushed to c (it must come), whose path is want. */
static void
assert_pushed (TimchatTestClient *c, const char *path, const char *want)
{
  g_autoptr (JsonObject) push = timchat_test_wait_event (c, "C2cMsgArray", 3000);

  g_assert_nonnull (push);
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"), path), ==, want);
}

static void
test_c2c (void)
{
  g_autoptr (TimchatTestClient) dee = timchat_test_connect (fixture, "discard-dee");
  g_autoptr (TimchatTestClient) dee_laptop = timchat_test_connect (fixture, "discard-dee");
  g_autoptr (TimchatTestClient) eve = timchat_test_connect (fixture, "discard-eve");
  g_autoptr (TimchatTestClient) fay = timchat_test_connect (fixture, "discard-fay");
  g_autoptr (JsonObject) item = NULL;
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) edited = NULL;
  g_autoptr (JsonObject) modified = NULL;
  g_autofree char *texts = NULL;
  /* Where a device of each that was away would sync from. */
  g_autofree char *eve_cookie = sync_cookie (eve);
  g_autofree char *dee_cookie = sync_cookie (dee);

  json_object_unref (timchat_test_send_text (dee, "discard-eve", "before", 1, 1));
  assert_pushed (eve, "MsgBody.0.MsgContent.Text", "before");
  assert_pushed (dee_laptop, "MsgBody.0.MsgContent.Text", "before");

  /* Eve discards Dee: Dee's message is stored (Dee has success and the other device's copy) but
   * not pushed to Eve, while Fay's is. */
  set_c2c_remind (eve, "discard-dee", 1);
  sent = timchat_test_send_text (dee, "discard-eve", "discarded", 2, 2);
  assert_pushed (dee_laptop, "MsgBody.0.MsgContent.Text", "discarded");
  /* Nor does an edit of it (or of anything of Dee's) reach Eve; Dee's other device has it. */
  edited = timchat_test_client_request_printf (
      dee, "openim.modify_c2c_msg",
      "{\"From_Account\":\"discard-dee\",\"To_Account\":\"discard-eve\",\"MsgSeq\":2,"
      "\"MsgRandom\":2,\"MsgTime\":%" G_GINT64_FORMAT ",\"MsgVersion\":0,\"MsgBody\":[{"
      "\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"discarded, edited\"}}]}",
      timchat_test_json_get_int (sent, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (edited, "ErrorCode"), ==, 0);
  modified = timchat_test_wait_event (dee_laptop, "C2cMsgModNotifys", 3000);
  g_assert_nonnull (modified);
  g_assert_null (timchat_test_wait_event (eve, "C2cMsgModNotifys", 300));
  json_object_unref (timchat_test_send_text (fay, "discard-eve", "from fay", 1, 1));
  assert_pushed (eve, "From_Account", "discard-fay");
  g_assert_null (timchat_test_wait_event (eve, "C2cMsgArray", 300));

  /* A device of Eve's that was away is not handed it either, nor counts it unread; the history
   * has it. */
  texts = synced_texts (eve, eve_cookie, "discard-dee");
  g_assert_cmpstr (texts, ==, "before;");
  g_assert_cmpuint (synced_edits (eve, eve_cookie), ==, 0);
  g_assert_cmpuint (synced_edits (dee_laptop, dee_cookie), ==, 1);
  g_clear_pointer (&texts, g_free);
  item = timchat_test_session_item (eve, 1, "discard-dee");
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "UnreadMsgCount"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgFlag"), ==, "Discard");
  g_clear_pointer (&item, json_object_unref);
  texts = history_texts (eve, "discard-dee");
  g_assert_cmpstr (texts, ==, "before;discarded, edited;");
  g_clear_pointer (&texts, g_free);
  /* Dee's own devices still sync what Dee sent. */
  texts = synced_texts (dee_laptop, dee_cookie, "discard-dee");
  g_assert_cmpstr (texts, ==, "before;discarded, edited;");
  g_clear_pointer (&texts, g_free);

  /* Taking it back: the next message comes, and what is unread since the read mark counts. */
  set_c2c_remind (eve, "discard-dee", 0);
  json_object_unref (timchat_test_send_text (dee, "discard-eve", "after", 3, 3));
  assert_pushed (eve, "MsgBody.0.MsgContent.Text", "after");
  item = timchat_test_session_item (eve, 1, "discard-dee");
  g_assert_cmpint (timchat_test_json_get_int (item, "UnreadMsgCount"), ==, 3);
}

static char *
create_group (TimchatTestPeer *owner, const char *members_json)
{
  return timchat_test_group_create (owner, "Private", "loud", NULL, members_json);
}

static void
set_group_remind (TimchatTestPeer *member, const char *group, const char *flag)
{
  g_autofree char *body =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"Member_Account\":\"%s\",\"MsgFlag\":\"%s\"}", group,
                       timchat_test_client_get_user (member->c), flag);

  timchat_test_group_request_code (member, "modify_group_member_info", body, 0);
}

#define AT_ALL "{\"GroupAtAllFlag\":1}"
#define AT_HAL "{\"GroupAtAllFlag\":0,\"GroupAt_Account\":\"discard-hal\"}"

/* send_group_msg of a text as p with GroupAtInfo [at] (NULL: none); its sequence. */
static gint64
send_group_text (TimchatTestPeer *p, const char *group, const char *text, const char *at,
                 gint64 random)
{
  g_autofree char *at_info =
      at != NULL ? g_strdup_printf (",\"GroupAtInfo\":[%s]", at) : g_strdup ("");
  g_autofree char *body = g_strdup_printf ("{\"GroupId\":\"%s\",\"Random\":%" G_GINT64_FORMAT
                                           ",\"MsgBody\":[{\"MsgType\":"
                                           "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]%s}",
                                           group, random, text, at_info);
  g_autoptr (JsonObject) reply = timchat_test_group_request (p, "send_group_msg", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return timchat_test_json_get_int (reply, "MsgSeq");
}

/* How many Event 12 (@ tip) entries for group an openim.getmsg from the start replays. */
static guint
synced_at_tips (TimchatTestClient *c, const char *group)
{
  g_autoptr (JsonObject) sync = sync_after (c, "");
  JsonArray *events = timchat_test_json_get_array (sync, "EventArray");
  guint found = 0;

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *entry = json_array_get_object_element (events, i);

      if (timchat_test_json_get_int (entry, "Event") == 12 &&
          g_strcmp0 (timchat_test_json_get_string (entry, "GroupTips.0.GroupId"), group) == 0)
        found++;
    }
  return found;
}

static void
test_group (void)
{
  g_autoptr (TimchatTestPeer) gus = timchat_test_peer_new (fixture, "discard-gus");
  g_autoptr (TimchatTestPeer) hal = timchat_test_peer_new (fixture, "discard-hal");
  g_autoptr (TimchatTestPeer) ivy = timchat_test_peer_new (fixture, "discard-ivy");
  g_autoptr (TimchatTestClient) hal_later = NULL;
  g_autoptr (JsonObject) item = NULL;
  g_autoptr (JsonObject) history = NULL;
  g_autoptr (JsonObject) joined = NULL;
  g_autofree char *get = NULL;
  g_autofree char *group = create_group (
      gus, "[{\"Member_Account\":\"discard-hal\"},{\"Member_Account\":\"discard-ivy\"}]");
  gint64 plain, mention, after;

  set_group_remind (hal, group, "Discard");
  plain = send_group_text (gus, group, "plain", NULL, 1);
  mention = send_group_text (gus, group, "hey all", AT_ALL, 2);

  /* Ivy has both and the @ tip; Hal has none of them. */
  json_object_unref (timchat_test_peer_expect (ivy, 3, "GroupMsgArray", "MsgSeq", plain));
  json_object_unref (timchat_test_peer_expect (ivy, 3, "GroupMsgArray", "MsgSeq", mention));
  json_object_unref (timchat_test_peer_expect (ivy, 12, "GroupTips", "AtMsgSeq", mention));
  g_assert_cmpuint (timchat_test_peer_count (hal, 3, "GroupMsgArray", NULL, 0, 500), ==, 0);
  g_assert_cmpuint (timchat_test_peer_count (hal, 12, "GroupTips", NULL, 0, 0), ==, 0);

  /* A tip still comes: the group is still Hal's, and its members and profile must stay right. */
  timchat_test_import_account (fixture, "discard-joe", "Joe");
  {
    g_autofree char *add = g_strdup_printf (
        "{\"GroupId\":\"%s\",\"MemberList\":[{\"Member_Account\":\"discard-joe\"}]}", group);

    timchat_test_group_request_code (gus, "add_group_member", add, 0);
  }
  json_object_unref (timchat_test_peer_expect (hal, 4, "GroupTips", "MsgBody.OpType", 1));

  /* Not counted, not replayed; the history has both. */
  hal_later = timchat_test_connect (fixture, "discard-hal");
  item = timchat_test_session_item (hal_later, 2, group);
  g_assert_nonnull (item);
  g_assert_cmpint (timchat_test_json_get_int (item, "UnreadMsgCount"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (item, "MsgFlag"), ==, "Discard");
  g_clear_pointer (&item, json_object_unref);
  g_assert_cmpuint (synced_at_tips (hal_later, group), ==, 0);
  joined = timchat_test_group_request (hal, "get_joined_group_list",
                                       "{\"Member_Account\":\"discard-hal\",\"Limit\":50}");
  g_assert_cmpstr (timchat_test_json_get_string (joined, "GroupIdList.0.SelfInfo.MsgFlag"), ==,
                   "Discard");
  g_assert_cmpint (timchat_test_json_get_int (joined, "GroupIdList.0.SelfInfo.UnreadMsgNum"), ==,
                   0);
  get = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"ReqMsgSeq\":%" G_GINT64_FORMAT ",\"ReqMsgNumber\":2}", group, mention);
  history =
      timchat_test_client_request_json (hal_later, "group_open_http_svc.group_msg_get", get, NULL);
  g_assert_cmpint (timchat_test_json_get_int (history, "RspMsgList.0.MsgSeq"), ==, mention);
  g_assert_cmpint (timchat_test_json_get_int (history, "RspMsgList.1.MsgSeq"), ==, plain);

  /* Ivy, who did not discard it, counts both, and the tips of her and joe joining, and has the
   * @ tip replayed. */
  item = timchat_test_session_item (ivy->c, 2, group);
  g_assert_cmpint (timchat_test_json_get_int (item, "UnreadMsgCount"), ==, 4);
  g_clear_pointer (&item, json_object_unref);
  g_assert_cmpuint (synced_at_tips (ivy->c, group), ==, 1);

  /* Taking it back: the next message and its @ tip come. */
  set_group_remind (hal, group, "AcceptNotNotify");
  after = send_group_text (gus, group, "again", AT_HAL, 3);
  json_object_unref (timchat_test_peer_expect (hal, 3, "GroupMsgArray", "MsgSeq", after));
  json_object_unref (timchat_test_peer_expect (hal, 12, "GroupTips", "AtMsgSeq", after));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/discard/c2c", test_c2c);
  g_test_add_func ("/server/discard/group", test_group);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
