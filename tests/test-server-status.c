/* test-server-status.c: whether users are online (the SDK's getUserStatus, subscribeUserStatus,
 * unsubscribeUserStatus, setSelfStatus): a follower hears each user coming online, going
 * (offline when the socket closes, logged out after wslogout) and each custom status, once a
 * change and not for a user's second device; unfollowing, or logging out, ends it; bad input is
 * refused with its code. */
#define G_LOG_DOMAIN "test-server-status"

#include "config.h"

#include <string.h>

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

/* The one status a push to c says, "user:Status:CustomStatus" (sent as base64, as the SDK reads
 * it); NULL when none comes in time. */
static char *
status_heard (TimchatTestClient *c, guint timeout_ms)
{
  g_autoptr (JsonObject) push = timchat_test_wait_event (c, "UserStatusList", timeout_ms);
  JsonObject *item = push != NULL ? timchat_test_push_item (push, "UserStatusList") : NULL;

  gsize length = 0;
  g_autofree guchar *custom = NULL;

  if (item == NULL)
    return NULL;
  custom = g_base64_decode (timchat_test_json_get_string (item, "CustomStatus"), &length);
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%.*s",
                          timchat_test_json_get_string (item, "To_Account"),
                          timchat_test_json_get_int (item, "Status"), (int) length, custom);
}

#define ASSERT_HEARD(c, expected)                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *heard_ = status_heard (c, (expected) != NULL ? 3000 : 500);                   \
    g_assert_cmpstr (heard_, ==, expected);                                                        \
  }                                                                                                \
  G_STMT_END

static gint64
request_code (TimchatTestClient *c, const char *servcmd, const char *body)
{
  g_autoptr (JsonObject) reply = timchat_test_client_request_json (c, servcmd, body, NULL);

  return timchat_test_json_get_int (reply, "ErrorCode");
}

/* Until the server has user at status (a socket closed here is closed there a little later):
 * TRUE, or FALSE after 3 s. */
static gboolean
reaches_status (TimchatTestClient *c, const char *user, gint64 status)
{
  g_autofree char *body = g_strdup_printf ("{\"To_Account\":[\"%s\"]}", user);

  for (int i = 0; i < 300; i++)
    {
      g_autoptr (JsonObject) reply =
          timchat_test_client_request_json (c, "im_open_status.ws_get_user_status", body, NULL);

      if (timchat_test_json_get_int (reply, "UserStatusList.0.Status") == status)
        return TRUE;
      timchat_test_spin (10);
    }
  return FALSE;
}

static void
test_follow (void)
{
  g_autoptr (TimchatTestClient) wes = timchat_test_connect (fixture, "st-wes");
  g_autoptr (TimchatTestClient) xia = NULL;
  g_autoptr (TimchatTestClient) xia_phone = NULL;
  g_autoptr (JsonObject) asked = NULL;
  g_autoptr (JsonObject) followed = NULL;
  g_autoptr (JsonObject) now = NULL;

  timchat_test_import_account (fixture, "st-xia", NULL);
  asked = timchat_test_client_request_json (wes, "im_open_status.ws_get_user_status",
                                            "{\"To_Account\":[\"st-xia\",\"st-nobody\"]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (asked, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (asked, "UserStatusList.0.To_Account"), ==,
                   "st-xia");
  g_assert_cmpint (timchat_test_json_get_int (asked, "UserStatusList.0.Status"), ==, 3);
  g_assert_cmpstr (timchat_test_json_get_string (asked, "UserStatusList.0.CustomStatus"), ==, "");
  g_assert_cmpstr (timchat_test_json_get_string (asked, "ErrorList.0.To_Account"), ==, "st-nobody");
  g_assert_cmpint (timchat_test_json_get_int (asked, "ErrorList.0.ErrorCode"), ==, 70107);

  followed = timchat_test_client_request_json (wes, "im_open_status.ws_status_subscribe",
                                               "{\"To_Account\":[\"st-xia\",\"st-nobody\"]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (followed, "ErrorCode"), ==, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (followed, "ErrorList")), ==,
                    1);
  g_assert_cmpstr (timchat_test_json_get_string (followed, "ErrorList.0.To_Account"), ==,
                   "st-nobody");

  /* Online, once: the second device is no change. */
  xia = timchat_test_connect (fixture, "st-xia");
  ASSERT_HEARD (wes, "st-xia:1:");
  xia_phone = timchat_test_connect (fixture, "st-xia");
  ASSERT_HEARD (wes, NULL);

  /* A custom status: the follower and the user's other device hear it; asked, it is there. */
  g_assert_cmpint (request_code (xia, "im_open_status.ws_set_custom_status",
                                 "{\"CustomStatus\":\"in a meeting\"}"),
                   ==, 0);
  ASSERT_HEARD (wes, "st-xia:1:in a meeting");
  ASSERT_HEARD (xia_phone, "st-xia:1:in a meeting");
  now = timchat_test_client_request_json (wes, "im_open_status.ws_get_user_status",
                                          "{\"To_Account\":[\"st-xia\"]}", NULL);
  g_assert_cmpstr (timchat_test_json_get_string (now, "UserStatusList.0.CustomStatus"), ==,
                   "aW4gYSBtZWV0aW5n"); /* base64 */
  g_assert_cmpint (timchat_test_json_get_int (now, "UserStatusList.0.CustomStatusSet"), ==, 1);

  /* Cleared: none, but set (a device coming back takes "" rather than its old one). Cleared
   * again: nothing to tell. */
  g_assert_cmpint (
      request_code (xia, "im_open_status.ws_set_custom_status", "{\"CustomStatus\":\"\"}"), ==, 0);
  ASSERT_HEARD (wes, "st-xia:1:");
  g_assert_cmpint (
      request_code (xia, "im_open_status.ws_set_custom_status", "{\"CustomStatus\":\"\"}"), ==, 0);
  ASSERT_HEARD (wes, NULL);
  g_clear_pointer (&now, json_object_unref);
  now = timchat_test_client_request_json (wes, "im_open_status.ws_get_user_status",
                                          "{\"To_Account\":[\"st-xia\"]}", NULL);
  g_assert_cmpstr (timchat_test_json_get_string (now, "UserStatusList.0.CustomStatus"), ==, "");
  g_assert_cmpint (timchat_test_json_get_int (now, "UserStatusList.0.CustomStatusSet"), ==, 1);

  /* One device goes: still online. The last logs out: logged out, and the custom status goes. */
  g_clear_pointer (&xia, timchat_test_client_free);
  ASSERT_HEARD (wes, NULL);
  g_assert_cmpint (request_code (xia_phone, "im_open_status.wslogout", "{}"), ==, 0);
  ASSERT_HEARD (wes, "st-xia:3:");
  g_clear_pointer (&xia_phone, timchat_test_client_free);

  /* Back, then gone without logging out: offline. Back, nothing is set any more. */
  xia = timchat_test_connect (fixture, "st-xia");
  ASSERT_HEARD (wes, "st-xia:1:");
  g_clear_pointer (&now, json_object_unref);
  now = timchat_test_client_request_json (wes, "im_open_status.ws_get_user_status",
                                          "{\"To_Account\":[\"st-xia\"]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (now, "UserStatusList.0.CustomStatusSet"), ==, 0);
  g_clear_pointer (&xia, timchat_test_client_free);
  ASSERT_HEARD (wes, "st-xia:2:");

  /* Unfollowed, one by one or all at once: nothing more. */
  g_assert_cmpint (
      request_code (wes, "im_open_status.ws_status_unsubscribe", "{\"To_Account\":[\"st-xia\"]}"),
      ==, 0);
  xia = timchat_test_connect (fixture, "st-xia");
  ASSERT_HEARD (wes, NULL);
  g_clear_pointer (&xia, timchat_test_client_free);
  /* Gone on the server before following again, or its going would be heard. */
  g_assert_true (reaches_status (wes, "st-xia", 2));
  g_assert_cmpint (
      request_code (wes, "im_open_status.ws_status_subscribe", "{\"To_Account\":[\"st-xia\"]}"), ==,
      0);
  g_assert_cmpint (
      request_code (wes, "im_open_status.ws_status_unsubscribe", "{\"UnsubscribeAll\":1}"), ==, 0);
  xia = timchat_test_connect (fixture, "st-xia");
  ASSERT_HEARD (wes, NULL);
}

/* Logging out forgets whom one followed; a new login follows again. */
static void
test_logout_forgets (void)
{
  g_autoptr (TimchatTestClient) yan = timchat_test_connect (fixture, "st-yan");
  g_autoptr (TimchatTestClient) zed = NULL;

  timchat_test_import_account (fixture, "st-zed", NULL);
  g_assert_cmpint (
      request_code (yan, "im_open_status.ws_status_subscribe", "{\"To_Account\":[\"st-zed\"]}"), ==,
      0);
  g_assert_cmpint (request_code (yan, "im_open_status.wslogout", "{}"), ==, 0);
  g_clear_pointer (&yan, timchat_test_client_free);
  yan = timchat_test_connect (fixture, "st-yan");
  zed = timchat_test_connect (fixture, "st-zed");
  ASSERT_HEARD (yan, NULL);
}

/* A deleted account's following goes with it: followed while away (kept, as for any follower
 * away), it outlived the account, and whoever got that ID next was told of users they never
 * followed. The new account starts as one never seen: logged out. */
static void
test_deleted_account_forgotten (void)
{
  g_autoptr (TimchatTestClient) old = timchat_test_connect (fixture, "st-gone");
  g_autoptr (TimchatTestClient) asker = timchat_test_connect (fixture, "st-asker");
  g_autoptr (TimchatTestClient) renewed = NULL;
  g_autoptr (TimchatTestClient) peer = NULL;
  g_autoptr (JsonObject) deleted = NULL;
  g_autoptr (JsonObject) imported = NULL;

  timchat_test_import_account (fixture, "st-peer", NULL);
  g_assert_cmpint (
      request_code (old, "im_open_status.ws_status_subscribe", "{\"To_Account\":[\"st-peer\"]}"),
      ==, 0);
  g_clear_pointer (&old, timchat_test_client_free);
  g_assert_true (reaches_status (asker, "st-gone", 2));

  deleted = timchat_test_rest_ok (fixture, "im_open_login_svc/account_delete",
                                  "{\"DeleteItem\":[{\"UserID\":\"st-gone\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);
  imported = timchat_test_rest_ok (fixture, "im_open_login_svc/account_import",
                                   "{\"UserID\":\"st-gone\"}");
  g_assert_true (reaches_status (asker, "st-gone", 3));

  renewed = timchat_test_connect (fixture, "st-gone");
  peer = timchat_test_connect (fixture, "st-peer");
  ASSERT_HEARD (renewed, NULL);
}

static void
test_bad_input (void)
{
  g_autoptr (TimchatTestClient) ada = timchat_test_connect (fixture, "st-ada");
  g_autoptr (GString) many = g_string_new ("{\"To_Account\":[");
  g_autofree char *long_status = NULL;
  g_autofree char *long_body = NULL;
  static const char *const servcmds[] = { "im_open_status.ws_get_user_status",
                                          "im_open_status.ws_status_subscribe",
                                          "im_open_status.ws_status_unsubscribe" };

  for (guint i = 0; i < 501; i++)
    g_string_append_printf (many, "%s\"u%u\"", i > 0 ? "," : "", i);
  g_string_append (many, "]}");
  for (guint i = 0; i < G_N_ELEMENTS (servcmds); i++)
    {
      g_assert_cmpint (request_code (ada, servcmds[i], "{}"), ==, 10004);
      g_assert_cmpint (request_code (ada, servcmds[i], "{\"To_Account\":[]}"), ==, 10004);
      g_assert_cmpint (request_code (ada, servcmds[i], "{\"To_Account\":[\"bad id\"]}"), ==, 10004);
      g_assert_cmpint (request_code (ada, servcmds[i], many->str), ==, 10004);
    }
  long_status = g_strnfill (101, 'x');
  long_body = g_strdup_printf ("{\"CustomStatus\":\"%s\"}", long_status);
  g_assert_cmpint (request_code (ada, "im_open_status.ws_set_custom_status", long_body), ==, 10004);
  g_assert_cmpint (
      request_code (ada, "im_open_status.ws_set_custom_status", "{\"CustomStatus\":1}"), ==, 10004);
  g_assert_cmpint (request_code (ada, "im_open_status.ws_set_custom_status", "{}"), ==, 10004);
  /* 100 bytes is the most, and "" clears. */
  long_status[100] = '\0';
  g_free (long_body);
  long_body = g_strdup_printf ("{\"CustomStatus\":\"%s\"}", long_status);
  g_assert_cmpint (request_code (ada, "im_open_status.ws_set_custom_status", long_body), ==, 0);
  g_assert_cmpint (
      request_code (ada, "im_open_status.ws_set_custom_status", "{\"CustomStatus\":\"\"}"), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/status/follow", test_follow);
  g_test_add_func ("/server/status/logout-forgets", test_logout_forgets);
  g_test_add_func ("/server/status/deleted-account-forgotten", test_deleted_account_forgotten);
  g_test_add_func ("/server/status/bad-input", test_bad_input);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
