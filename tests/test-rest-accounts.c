/* test-rest-accounts.c: REST account and profile administration (im_open_login_svc, profile),
 * replaying the vendor's samples and watching the effects from logged-in WebSocket clients. */
#define G_LOG_DOMAIN "test-rest-accounts"

#include "config.h"

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static JsonObject *
rest_ok (const char *path, const char *body)
{
  JsonObject *reply = timchat_test_rest_ok (fixture, path, body);

  g_assert_cmpstr (timchat_test_json_get_string (reply, "ErrorInfo"), ==, "");
  return reply;
}

static const char *
check_status (const char *user)
{
  g_autofree char *body = g_strdup_printf ("{\"CheckItem\":[{\"UserID\":\"%s\"}]}", user);
  g_autoptr (JsonObject) reply = rest_ok ("im_open_login_svc/account_check", body);
  static char status[32];

  g_strlcpy (status, timchat_test_json_get_string (reply, "ResultItem.0.AccountStatus"),
             sizeof status);
  return status;
}

static gint64
admin_send_code (const char *to)
{
  g_autofree char *body = g_strdup_printf (
      "{\"To_Account\":\"%s\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
      "{\"Text\":\"hello\"}}]}",
      to);

  return timchat_test_rest_code (fixture, "openim/sendmsg", body);
}

static void
test_account_import (void)
{
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) profile = NULL;
  g_autofree char *long_nick = g_strnfill (501, 'n');
  g_autofree char *too_long = NULL;

  g_assert_cmpstr (check_status ("imp_alice"), ==, "NotImported");
  g_assert_cmpint (admin_send_code ("imp_alice"), ==, 90003); /* nobody to deliver to yet */

  /* The vendor's sample, then the legacy spelling; importing again is not an error. */
  reply = rest_ok ("im_open_login_svc/account_import",
                   "{ \"UserID\": \"imp_alice\", \"Nick\": \"Alice\", \"FaceUrl\": "
                   "\"https://example.com/a.png\" }");
  g_assert_cmpuint (json_object_get_size (reply), ==, 3); /* the envelope only */
  g_clear_pointer (&reply, json_object_unref);
  reply = rest_ok ("im_open_login_svc/account_import", "{\"Identifier\":\"imp_legacy\"}");
  g_clear_pointer (&reply, json_object_unref);
  reply = rest_ok ("im_open_login_svc/account_import", "{\"UserID\":\"imp_alice\"}");
  g_assert_cmpstr (check_status ("imp_alice"), ==, "Imported");
  g_assert_cmpstr (check_status ("imp_legacy"), ==, "Imported");
  g_assert_cmpint (admin_send_code ("imp_alice"), ==, 0);

  /* Nick and FaceUrl became the profile (an import without them kept them). */
  profile = rest_ok ("profile/portrait_get",
                     "{\"To_Account\":[\"imp_alice\"],\"TagList\":[\"Tag_Profile_IM_Nick\","
                     "\"Tag_Profile_IM_Image\"]}");
  g_assert_cmpstr (timchat_test_json_get_string (profile, "UserProfileItem.0.ProfileItem.0.Value"),
                   ==, "Alice");
  g_assert_cmpstr (timchat_test_json_get_string (profile, "UserProfileItem.0.ProfileItem.1.Value"),
                   ==, "https://example.com/a.png");

  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_import", "{}"), ==,
                   70402);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "im_open_login_svc/account_import", "{\"UserID\":42}"), ==,
      70402);
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_import",
                                           "{\"UserID\":\"imp_bad\",\"Nick\":7}"),
                   ==, 70402);
  too_long = g_strdup_printf ("{\"UserID\":\"imp_long\",\"Nick\":\"%s\"}", long_nick);
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_import", too_long),
                   ==, 40601);
  /* Nothing half-applied: the failed imports created nobody. */
  g_assert_cmpstr (check_status ("imp_bad"), ==, "NotImported");
  g_assert_cmpstr (check_status ("imp_long"), ==, "NotImported");
}

static void
test_multiaccount_import (void)
{
  g_autoptr (JsonObject) old_shape = NULL;
  g_autoptr (JsonObject) new_shape = NULL;
  g_autoptr (JsonObject) profile = NULL;
  g_autoptr (GString) many = g_string_new ("{\"Accounts\":[");

  old_shape = rest_ok ("im_open_login_svc/multiaccount_import",
                       "{ \"Accounts\": [\"mu1\", \"mu2\", \"this_user_id_is_far_too_long_to_be_"
                       "accepted\"] }");
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (old_shape, "FailAccounts")),
                   ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (old_shape, "FailAccounts.0"), ==,
                   "this_user_id_is_far_too_long_to_be_accepted");
  new_shape = rest_ok ("im_open_login_svc/multiaccount_import",
                       "{ \"AccountList\": [ { \"UserID\": \"mu3\", \"Nick\": \"U3\" }, "
                       "{ \"UserID\": \"mu4\", \"FaceUrl\": \"https://example.com/2.png\" } ] }");
  g_assert_cmpint (json_array_get_length (timchat_test_json_get_array (new_shape, "FailAccounts")),
                   ==, 0);
  for (const char *const *u = (const char *const[]){ "mu1", "mu2", "mu3", "mu4", NULL }; *u; u++)
    g_assert_cmpstr (check_status (*u), ==, "Imported");
  profile = rest_ok ("profile/portrait_get",
                     "{\"To_Account\":[\"mu3\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}");
  g_assert_cmpstr (timchat_test_json_get_string (profile, "UserProfileItem.0.ProfileItem.0.Value"),
                   ==, "U3");

  for (int i = 0; i < 101; i++)
    g_string_append_printf (many, "%s\"mx%d\"", i ? "," : "", i);
  g_string_append (many, "]}");
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import", many->str), ==,
      70402);
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import", "{}"),
                   ==, 70402);
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import",
                                           "{\"Accounts\":[\"mu5\", 6]}"),
                   ==, 70402);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import",
                              "{\"AccountList\":[{\"UserID\":\"mu6\"},{\"Nick\":\"x\"}]}"),
      ==, 70402);
  /* One shape or the other: a second list, or one of the wrong type, is refused, not ignored. */
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import",
                                           "{\"Accounts\":[\"mu7\"],\"AccountList\":\"x\"}"),
                   ==, 70402);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import",
                              "{\"Accounts\":7,\"AccountList\":[{\"UserID\":\"mu7\"}]}"),
      ==, 70402);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import",
                              "{\"Accounts\":[\"mu7\"],\"AccountList\":[{\"UserID\":\"mu8\"}]}"),
      ==, 70402);
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/multiaccount_import",
                                           "{\"Accounts\":null}"),
                   ==, 70402);
  g_assert_cmpstr (check_status ("mx0"), ==, "NotImported");
  g_assert_cmpstr (check_status ("mu7"), ==, "NotImported");
  g_assert_cmpstr (check_status ("mu8"), ==, "NotImported");
  g_assert_cmpstr (check_status ("mu5"), ==, "NotImported");
  g_assert_cmpstr (check_status ("mu6"), ==, "NotImported");
}

static void
test_account_delete (void)
{
  g_autoptr (TimchatTestClient) victim = timchat_test_connect (fixture, "del_u1");
  g_autoptr (TimchatTestClient) again = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) kicked = NULL;
  g_autoptr (JsonObject) relogin = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (admin_send_code ("del_u1"), ==, 0);
  reply = rest_ok ("im_open_login_svc/account_delete",
                   "{ \"DeleteItem\": [ { \"UserID\": \"del_u1\" }, { \"UserID\": \"ghost\" } ] }");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.0.ResultCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.0.ResultInfo"), ==, "");
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.0.UserID"), ==, "del_u1");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.1.ResultCode"), ==, 70107);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.1.ResultInfo"), ==,
                   "Err_TLS_PT_Open_Login_Account_Not_Exist");
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.1.UserID"), ==, "ghost");

  /* The live socket is told and closed; the account is gone for messages and logins. */
  kicked = timchat_test_client_wait_push (victim, "im_open_status.stat_forceoffline", 3000);
  g_assert_nonnull (kicked);
  g_assert_cmpint (timchat_test_json_get_int (
                       kicked, "EventArray.0.C2cNotifyMsgArray.0.KickoutMsgNotify.KickType"),
                   ==, 3);
  g_assert_true (timchat_test_client_wait_closed (victim, 3000, NULL, NULL));
  g_assert_cmpstr (check_status ("del_u1"), ==, "NotImported");
  g_assert_cmpint (admin_send_code ("del_u1"), ==, 90003);
  again = timchat_test_client_new (fixture, NULL, &error);
  g_assert_no_error (error);
  relogin = timchat_test_client_login (again, "del_u1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (timchat_test_json_get_int (relogin, "ErrorCode"), ==, 70107);
  g_clear_pointer (&relogin, json_object_unref);

  /* An admin import brings it back. */
  g_clear_pointer (&reply, json_object_unref);
  reply = rest_ok ("im_open_login_svc/account_import", "{\"UserID\":\"del_u1\"}");
  relogin = timchat_test_client_login (again, "del_u1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (timchat_test_json_get_int (relogin, "ErrorCode"), ==, 0);

  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_delete", "{}"), ==,
                   70402);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "im_open_login_svc/account_delete", "{\"DeleteItem\":[]}"),
      ==, 70402);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "im_open_login_svc/account_delete",
                              "{\"DeleteItem\":[{\"UserID\":\"del_u1\"},{\"UserID\":1}]}"),
      ==, 70402);
  g_assert_cmpstr (check_status ("del_u1"), ==, "Imported"); /* nothing half-applied */
}

static void
test_account_check (void)
{
  g_autoptr (JsonObject) imported =
      rest_ok ("im_open_login_svc/account_import", "{\"UserID\":\"chk_u1\"}");
  g_autoptr (JsonObject) reply =
      rest_ok ("im_open_login_svc/account_check",
               "{ \"CheckItem\": [ { \"UserID\": \"chk_u1\" }, { \"UserID\": \"chk_u9\" } ] }");

  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.0.UserID"), ==, "chk_u1");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ResultItem.0.ResultCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.0.ResultInfo"), ==, "");
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.0.AccountStatus"), ==,
                   "Imported");
  g_assert_cmpstr (timchat_test_json_get_string (reply, "ResultItem.1.AccountStatus"), ==,
                   "NotImported");
  g_assert_cmpint (timchat_test_rest_code (fixture, "im_open_login_svc/account_check",
                                           "{\"CheckItem\":\"chk_u1\"}"),
                   ==, 70402);
}

static void
test_portrait (void)
{
  g_autoptr (TimchatTestClient) watcher = timchat_test_connect (fixture, "pf_bob");
  g_autoptr (JsonObject) set = NULL;
  g_autoptr (JsonObject) get = NULL;
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autofree char *long_value = g_strnfill (501, 'v');
  g_autofree char *too_long = NULL;

  set = rest_ok ("im_open_login_svc/account_import", "{\"UserID\":\"pf_alice\"}");
  g_clear_pointer (&set, json_object_unref);
  set = rest_ok ("profile/portrait_set",
                 "{ \"From_Account\": \"pf_alice\", \"ProfileItem\": [ { \"Tag\": "
                 "\"Tag_Profile_IM_Nick\", \"Value\": \"Alice W.\" }, { \"Tag\": "
                 "\"Tag_Profile_IM_Image\", \"Value\": \"https://example.com/a2.png\" } ] }");
  g_assert_cmpstr (timchat_test_json_get_string (set, "ErrorDisplay"), ==, "");

  get = rest_ok ("profile/portrait_get",
                 "{ \"To_Account\": [\"pf_alice\", \"pf_bob\", \"pf_ghost\"], \"TagList\": "
                 "[\"Tag_Profile_IM_Nick\", \"Tag_Profile_IM_Image\"] }");
  g_assert_cmpstr (timchat_test_json_get_string (get, "UserProfileItem.0.To_Account"), ==,
                   "pf_alice");
  g_assert_cmpint (timchat_test_json_get_int (get, "UserProfileItem.0.ResultCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (get, "UserProfileItem.0.ProfileItem.0.Tag"), ==,
                   "Tag_Profile_IM_Nick");
  g_assert_cmpstr (timchat_test_json_get_string (get, "UserProfileItem.0.ProfileItem.0.Value"), ==,
                   "Alice W.");
  g_assert_cmpstr (timchat_test_json_get_string (get, "UserProfileItem.0.ProfileItem.1.Value"), ==,
                   "https://example.com/a2.png");
  g_assert_cmpstr (timchat_test_json_get_string (get, "UserProfileItem.1.ProfileItem.0.Value"), ==,
                   "");
  g_assert_cmpint (timchat_test_json_get_int (get, "UserProfileItem.2.ResultCode"), ==, 40003);
  g_assert_cmpstr (timchat_test_json_get_string (get, "Fail_Account.0"), ==, "pf_ghost");
  g_assert_cmpstr (timchat_test_json_get_string (get, "ErrorDisplay"), ==, "");

  /* A client sees the new nick on the next message from that user. */
  sent = rest_ok ("openim/sendmsg",
                  "{\"From_Account\":\"pf_alice\",\"To_Account\":\"pf_bob\",\"MsgRandom\":5,"
                  "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]}");
  push = timchat_test_wait_event (watcher, "C2cMsgArray", 3000);
  g_assert_nonnull (push);
  g_assert_cmpstr (timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"),
                                                 "From_AccountNick"),
                   ==, "Alice W.");

  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_get",
                                           "{\"TagList\":[\"Tag_Profile_IM_Nick\"]}"),
                   ==, 40002);
  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_get",
                                           "{\"To_Account\":\"pf_alice\","
                                           "\"TagList\":[\"Tag_Profile_IM_Nick\"]}"),
                   ==, 40001);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "profile/portrait_get", "{\"To_Account\":[\"pf_alice\"]}"),
      ==, 40001);
  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_get",
                                           "{\"To_Account\":[\"pf_alice\"],"
                                           "\"TagList\":[\"Tag_Profile_Nope\"]}"),
                   ==, 40009);
  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_set", "{\"ProfileItem\":[]}"),
                   ==, 40001);
  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_set",
                                           "{\"From_Account\":\"pf_ghost\",\"ProfileItem\":[]}"),
                   ==, 40003);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "profile/portrait_set",
                              "{\"From_Account\":\"pf_alice\",\"ProfileItem\":[{\"Tag\":"
                              "\"Tag_Profile_IM_Nick\",\"Value\":\"X\"},{\"Tag\":"
                              "\"Tag_Profile_IM_Image\",\"Value\":3}]}"),
      ==, 40610);
  g_assert_cmpint (
      timchat_test_rest_code (fixture, "profile/portrait_set",
                              "{\"From_Account\":\"pf_alice\",\"ProfileItem\":[{\"Tag\":"
                              "\"Tag_Profile_IM_Nick\",\"Value\":\"X\"},{\"Tag\":"
                              "\"Tag_Profile_Nope\",\"Value\":\"y\"}]}"),
      ==, 40009);
  too_long = g_strdup_printf ("{\"From_Account\":\"pf_alice\",\"ProfileItem\":[{\"Tag\":"
                              "\"Tag_Profile_IM_Nick\",\"Value\":\"%s\"}]}",
                              long_value);
  g_assert_cmpint (timchat_test_rest_code (fixture, "profile/portrait_set", too_long), ==, 40601);
  g_clear_pointer (&get, json_object_unref);
  get = rest_ok ("profile/portrait_get",
                 "{\"To_Account\":[\"pf_alice\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}");
  g_assert_cmpstr (timchat_test_json_get_string (get, "UserProfileItem.0.ProfileItem.0.Value"), ==,
                   "Alice W."); /* the failed sets changed nothing */
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/rest/accounts/import", test_account_import);
  g_test_add_func ("/rest/accounts/multiaccount-import", test_multiaccount_import);
  g_test_add_func ("/rest/accounts/delete", test_account_delete);
  g_test_add_func ("/rest/accounts/check", test_account_check);
  g_test_add_func ("/rest/profile/portrait", test_portrait);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
