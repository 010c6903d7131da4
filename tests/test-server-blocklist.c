/* test-server-blocklist.c: the blocklist (the SDK's blacklist) through the real server: sns.
 * black_list_add, _get and _delete over WebSocket and REST; a blocked user's one-to-one message
 * is refused with 20007 and stored nowhere, and so is their edit of a message to the owner, while
 * the owner may still write to them and groups go on; per-item codes for oneself, an invalid ID and
 * an unknown account; every device of the owner hears each change (FriendListMod), the asking one
 * too (the SDK reads the push, not the reply); the list survives a restart; a deleted account
 * leaves every list. */
#define G_LOG_DOMAIN "test-server-blocklist"

#include "config.h"

#include "tim-error.h"
#include "timchat-fixture.h"
#include "timchat-test-client.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;

static JsonObject *
change (TimchatTestClient *c, const char *servcmd, const char *users_json)
{
  return timchat_test_client_request_printf (c, servcmd, "{\"To_Account\":%s}", users_json);
}

/* "user:code user:code" of a change's ResultItem. */
static char *
results (JsonObject *reply)
{
  JsonArray *items = timchat_test_json_get_array (reply, "ResultItem");
  g_autoptr (GString) out = g_string_new (NULL);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (items);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_string_append_printf (out, "%s%s:%" G_GINT64_FORMAT, i > 0 ? " " : "",
                              timchat_test_json_get_string (item, "To_Account"),
                              timchat_test_json_get_int (item, "ResultCode"));
    }
  return g_strdup (out->str);
}

/* The list as "user user", oldest first, with every AddBlackTimeStamp set. */
static char *
listed (TimchatTestClient *c)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
      c, "sns.black_list_get", "{\"StartIndex\":0,\"MaxLimited\":100,\"LastSequence\":0}");
  JsonArray *items = timchat_test_json_get_array (reply, "BlackListItem");
  g_autoptr (GString) out = g_string_new (NULL);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "StartIndex"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "CurruentSequence"), ==,
                   json_array_get_length (items));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpint (timchat_test_json_get_int (item, "AddBlackTimeStamp"), >, 0);
      g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                              timchat_test_json_get_string (item, "To_Account"));
    }
  return g_strdup (out->str);
}

/* What the other device heard: "add:user,user" or "del:user", or NULL within a second. */
static char *
heard (TimchatTestClient *device)
{
  g_autoptr (JsonObject) push = timchat_test_wait_event (device, "FriendListMod", 1000);
  JsonObject *item = push != NULL ? timchat_test_push_item (push, "FriendListMod") : NULL;
  gboolean added;
  JsonArray *users;
  g_autoptr (GString) out = NULL;

  if (item == NULL)
    return NULL;
  added = json_object_has_member (item, "BlackListAddAccount");
  users =
      json_object_get_array_member (item, added ? "BlackListAddAccount" : "BlackListDelAccount");
  out = g_string_new (added ? "add:" : "del:");
  for (guint i = 0; i < json_array_get_length (users); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "",
                            json_array_get_string_element (users, i));
  return g_strdup (out->str);
}

static gint64
send_code (TimchatTestClient *from, const char *to, const char *text, gint64 seq)
{
  g_autoptr (JsonObject) reply = timchat_test_send_text (from, to, text, seq, seq);

  return timchat_test_json_get_int (reply, "ErrorCode");
}

static void
test_blocklist (void)
{
  g_autoptr (TimchatTestClient) kay = timchat_test_connect (fixture, "bl-kay");
  g_autoptr (TimchatTestClient) kay_phone = timchat_test_connect (fixture, "bl-kay");
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (fixture, "bl-lou");
  g_autoptr (TimchatTestClient) max = timchat_test_connect (fixture, "bl-max");
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) history = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpstr ((text = listed (kay)), ==, "");
  g_clear_pointer (&text, g_free);

  /* Blocking: each item says how it went; the good ones are done. */
  reply = change (kay, "sns.black_list_add",
                  "[\"bl-lou\",\"bl-kay\",\"bl-nobody\",\"bad id with spaces\",\"bl-max\"]");
  g_assert_cmpstr ((text = results (reply)), ==,
                   "bl-lou:0 bl-kay:30001 bl-nobody:30003 bad id with spaces:30001 bl-max:0");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpstr ((text = heard (kay_phone)), ==, "add:bl-lou,bl-max");
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr ((text = heard (kay)), ==, "add:bl-lou,bl-max");
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr ((text = listed (kay)), ==, "bl-lou bl-max");
  g_clear_pointer (&text, g_free);
  /* Again: no error, the first time kept. */
  reply = change (kay, "sns.black_list_add", "[\"bl-lou\"]");
  g_assert_cmpstr ((text = results (reply)), ==, "bl-lou:0");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&reply, json_object_unref);
  g_clear_pointer (&text, g_free);
  text = heard (kay_phone);
  g_clear_pointer (&text, g_free);
  text = heard (kay);
  g_clear_pointer (&text, g_free);

  /* A blocked user cannot write to kay, and nothing of it is kept; kay can write to them. */
  g_assert_cmpint (send_code (lou, "bl-kay", "let me in", 1), ==, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_assert_cmpint (send_code (kay, "bl-lou", "no", 2), ==, 0);
  history = timchat_test_client_request_printf (
      lou, "openim.getroammsg", "{\"Peer_Account\":\"bl-kay\",\"MaxCnt\":15,\"MsgKey\":\"\"}");
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (history, "MsgList")), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (history, "MsgList.0.From_Account"), ==, "bl-kay");
  /* The REST API does not check it (the vendor's documented behaviour). */
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_rest (fixture, "openim/sendmsg",
                             "{\"SyncOtherMachine\":2,\"From_Account\":\"bl-lou\",\"To_Account\":"
                             "\"bl-kay\",\"MsgRandom\":7,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                             "\"MsgContent\":{\"Text\":\"from the admin\"}}]}",
                             NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);

  /* Unblocked: lou writes again. Unblocking one not blocked is no error. */
  g_clear_pointer (&reply, json_object_unref);
  reply = change (kay, "sns.black_list_delete", "[\"bl-lou\",\"bl-lou\",\"bl-kay\"]");
  g_assert_cmpstr ((text = results (reply)), ==, "bl-lou:0 bl-lou:0 bl-kay:30001");
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr ((text = heard (kay_phone)), ==, "del:bl-lou,bl-lou");
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr ((text = heard (kay)), ==, "del:bl-lou,bl-lou");
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (send_code (lou, "bl-kay", "hello again", 3), ==, 0);
  g_assert_cmpstr ((text = listed (kay)), ==, "bl-max");
  g_clear_pointer (&text, g_free);

  /* Bad requests. */
  g_clear_pointer (&reply, json_object_unref);
  reply = change (kay, "sns.black_list_add", "[]");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_client_request_printf (kay, "sns.black_list_add",
                                              "{\"From_Account\":\"bl-lou\",\"To_Account\":"
                                              "[\"bl-max\"]}");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==,
                   TIM_ERROR_FROM_ACCOUNT_INVALID);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_client_request_printf (kay, "sns.black_list_get", "{\"StartIndex\":-1}");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, TIM_ERROR_INVALID_PARAMETER);
  /* Past the end, however far: an empty page, and done (StartIndex 0). */
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_client_request_printf (kay, "sns.black_list_get",
                                              "{\"StartIndex\":9223372036854775807,"
                                              "\"MaxLimited\":100}");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (reply, "BlackListItem")),
                    ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "StartIndex"), ==, 0);

  /* Over REST, for anyone; and it survives a restart. */
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_rest (fixture, "sns/black_list_add",
                             "{\"From_Account\":\"bl-max\",\"To_Account\":[\"bl-kay\"]}", NULL);
  g_assert_cmpstr ((text = results (reply)), ==, "bl-kay:0");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_rest (fixture, "sns/black_list_get", "{\"From_Account\":\"bl-max\"}", NULL);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "BlackListItem.0.To_Account"), ==,
                   "bl-kay");
}

static void
test_restart_and_deleted_account (void)
{
  g_autoptr (TimchatTestClient) ned = timchat_test_connect (fixture, "bl-ned");
  g_autoptr (TimchatTestClient) oz = timchat_test_connect (fixture, "bl-oz");
  g_autoptr (TimchatTestClient) pia = timchat_test_connect (fixture, "bl-pia");
  g_autoptr (JsonObject) reply = NULL;
  g_autofree char *text = NULL;

  reply = change (ned, "sns.black_list_add", "[\"bl-oz\",\"bl-pia\"]");
  g_assert_cmpstr ((text = results (reply)), ==, "bl-oz:0 bl-pia:0");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&ned, timchat_test_client_free);
  g_clear_pointer (&oz, timchat_test_client_free);
  g_clear_pointer (&pia, timchat_test_client_free);

  timchat_fixture_restart (fixture);
  ned = timchat_test_connect (fixture, "bl-ned");
  oz = timchat_test_connect (fixture, "bl-oz");
  g_assert_cmpstr ((text = listed (ned)), ==, "bl-oz bl-pia");
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (send_code (oz, "bl-ned", "after the restart", 1), ==,
                   TIM_ERROR_MSG_IN_PEER_BLACKLIST);

  /* An account that goes leaves every list. */
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_rest (fixture, "im_open_login_svc/account_delete",
                             "{\"DeleteItem\":[{\"UserID\":\"bl-pia\"}]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpstr ((text = listed (ned)), ==, "bl-oz");
}

/* A message sent before the block and sent again after it (the ack lost on the way) is answered
 * as any resend is: the first answer, no 20007, nothing stored twice. A new one is refused. */
static void
test_resend_after_block (void)
{
  g_autoptr (TimchatTestClient) ned = timchat_test_connect (fixture, "bl-ned");
  g_autoptr (TimchatTestClient) oli = timchat_test_connect (fixture, "bl-oli");
  g_autoptr (JsonObject) first = timchat_test_send_text (ned, "bl-oli", "before", 11, 11);
  g_autoptr (JsonObject) blocked = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) history = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  blocked = change (oli, "sns.black_list_add", "[\"bl-ned\"]");
  g_assert_cmpstr ((text = results (blocked)), ==, "bl-ned:0");
  again = timchat_test_send_text (ned, "bl-oli", "before", 11, 11);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (again, "Duplicate"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (again, "MsgKey"), ==,
                   timchat_test_json_get_string (first, "MsgKey"));
  g_assert_cmpint (timchat_test_json_get_int (again, "MsgTime"), ==,
                   timchat_test_json_get_int (first, "MsgTime"));
  g_assert_cmpint (send_code (ned, "bl-oli", "after", 12), ==, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  history = timchat_test_client_request_printf (
      oli, "openim.getroammsg", "{\"Peer_Account\":\"bl-ned\",\"MaxCnt\":15,\"MsgKey\":\"\"}");
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (history, "MsgList")), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (history, "MsgList.0.MsgBody.0.MsgContent.Text"),
                   ==, "before");
}

/* openim.modify_c2c_msg of the text message from -> to that sent answered: its new text. */
static JsonObject *
edit_text (TimchatTestClient *c, const char *from, const char *to, JsonObject *sent, gint64 seq,
           const char *text)
{
  return timchat_test_client_request_printf (
      c, "openim.modify_c2c_msg",
      "{\"From_Account\":\"%s\",\"To_Account\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT
      ",\"MsgRandom\":%" G_GINT64_FORMAT ",\"MsgTime\":%" G_GINT64_FORMAT
      ",\"MsgVersion\":0,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
      "\"%s\"}}]}",
      from, to, seq, seq, timchat_test_json_get_int (sent, "MsgTime"), text);
}

/* An edit changes what the owner reads as a message does: a blocked user's edit of a message in
 * that conversation, sent before the block, is refused as a send is (20007), changes nothing and
 * reaches no one. The owner may still edit theirs, and after the unblock the edit goes through. */
static void
test_edit_after_block (void)
{
  g_autoptr (TimchatTestClient) ned = timchat_test_connect (fixture, "bl-ed-ned");
  g_autoptr (TimchatTestClient) oli = timchat_test_connect (fixture, "bl-ed-oli");
  g_autoptr (JsonObject) from_ned = timchat_test_send_text (ned, "bl-ed-oli", "before", 21, 21);
  g_autoptr (JsonObject) from_oli = timchat_test_send_text (oli, "bl-ed-ned", "mine", 31, 31);
  g_autoptr (JsonObject) blocked = NULL;
  g_autoptr (JsonObject) refused = NULL;
  g_autoptr (JsonObject) notice = NULL;
  g_autoptr (JsonObject) history = NULL;
  g_autoptr (JsonObject) own = NULL;
  g_autoptr (JsonObject) unblocked = NULL;
  g_autoptr (JsonObject) later = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (timchat_test_json_get_int (from_ned, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (from_oli, "ErrorCode"), ==, 0);
  blocked = change (oli, "sns.black_list_add", "[\"bl-ed-ned\"]");
  g_assert_cmpstr ((text = results (blocked)), ==, "bl-ed-ned:0");

  refused = edit_text (ned, "bl-ed-ned", "bl-ed-oli", from_ned, 21, "changed");
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==,
                   TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_assert_cmpstr (timchat_test_json_get_string (refused, "ActionStatus"), ==, "FAIL");
  notice = timchat_test_wait_event (oli, "C2cMsgModNotifys", 500);
  g_assert_null (notice);
  history = timchat_test_client_request_printf (
      oli, "openim.getroammsg", "{\"Peer_Account\":\"bl-ed-ned\",\"MaxCnt\":15,\"MsgKey\":\"\"}");
  g_assert_cmpstr (timchat_test_json_get_string (history, "MsgList.0.MsgBody.0.MsgContent.Text"),
                   ==, "before");
  g_assert_cmpint (timchat_test_json_get_int (history, "MsgList.0.MsgVersion"), ==, 0);

  own = edit_text (oli, "bl-ed-oli", "bl-ed-ned", from_oli, 31, "mine, edited");
  g_assert_cmpint (timchat_test_json_get_int (own, "ErrorCode"), ==, 0);

  unblocked = change (oli, "sns.black_list_delete", "[\"bl-ed-ned\"]");
  later = edit_text (ned, "bl-ed-ned", "bl-ed-oli", from_ned, 21, "changed");
  g_assert_cmpint (timchat_test_json_get_int (later, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (later, "MsgVersion"), ==, 1);
}

/* The vendor's REST API requires From_Account for the three (whose list): without it, or empty,
 * they are refused (90008, as when it is not a string or names nobody) and nobody's list
 * changes, the admin's neither. Over the WebSocket the list is the logged-in user's, named or not.
 */
static void
test_rest_needs_from_account (void)
{
  g_autoptr (TimchatTestClient) rae = timchat_test_connect (fixture, "bl-rae");
  const char *add = "{\"To_Account\":[\"bl-rae\"]}";
  g_autoptr (JsonObject) admins = NULL, by_socket = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (timchat_test_rest_code (fixture, "sns/black_list_add", add), ==,
                   TIM_ERROR_FROM_ACCOUNT_INVALID);
  g_assert_cmpint (timchat_test_rest_code (fixture, "sns/black_list_delete", add), ==,
                   TIM_ERROR_FROM_ACCOUNT_INVALID);
  g_assert_cmpint (timchat_test_rest_code (fixture, "sns/black_list_add",
                                           "{\"From_Account\":\"\",\"To_Account\":[\"bl-rae\"]}"),
                   ==, TIM_ERROR_FROM_ACCOUNT_INVALID);
  g_assert_cmpint (timchat_test_rest_code (fixture, "sns/black_list_get", "{}"), ==,
                   TIM_ERROR_FROM_ACCOUNT_INVALID);
  /* Nothing was added to the admin's list. */
  admins = timchat_test_rest (fixture, "sns/black_list_get",
                              "{\"From_Account\":\"" TIMCHAT_FIXTURE_ADMIN "\"}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (admins, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (admins, "CurruentSequence"), ==, 0);

  timchat_test_import_account (fixture, "bl-sue", NULL);
  by_socket = change (rae, "sns.black_list_add", "[\"bl-sue\"]");
  g_assert_cmpstr ((text = results (by_socket)), ==, "bl-sue:0");
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr ((text = listed (rae)), ==, "bl-sue");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/blocklist/blocklist", test_blocklist);
  g_test_add_func ("/server/blocklist/resend-after-block", test_resend_after_block);
  g_test_add_func ("/server/blocklist/edit-after-block", test_edit_after_block);
  g_test_add_func ("/server/blocklist/restart-and-deleted-account",
                   test_restart_and_deleted_account);
  g_test_add_func ("/server/blocklist/rest-needs-from-account", test_rest_needs_from_account);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
