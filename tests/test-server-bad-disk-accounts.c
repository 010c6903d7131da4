/* test-server-bad-disk-accounts.c: the account administration of REST (im_open_login_svc/kick,
 * account_delete) on a full disk. The real server runs with fixture/disk-faults.c preloaded; a
 * flag file turns the fault on and off while it runs. What a user must see: a kick or a deletion
 * the disk refused (10002, nothing stored) leaves the user as they were, logged in on their
 * sockets, which still send; done again once the disk is back, it kicks them. Their sockets used
 * to be kicked before the commit, whatever it said. (test-server-bad-disk.c has the logout and
 * the messages, test-server-bad-disk-batch.c the transactions SQLite rolls back.) */
#define G_LOG_DOMAIN "test-server-bad-disk-accounts"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define KICK_NOTICE "im_open_status.stat_forceoffline"

static TimchatFixture *fixture;
static char *full_flag;

static void
flag_set (gboolean up)
{
  if (up)
    g_assert_true (g_file_set_contents (full_flag, "", 0, NULL));
  else
    g_assert_cmpint (g_unlink (full_flag), ==, 0);
}

/* path with body on a full disk is refused (10002), and user's socket c is neither told nor
 * closed: it still sends. */
static void
assert_refused_changes_nothing (TimchatTestClient *c, const char *path, const char *body)
{
  g_autoptr (JsonObject) refused = NULL, notice = NULL;

  flag_set (TRUE);
  refused = timchat_test_rest (fixture, path, body, NULL);
  flag_set (FALSE);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_nonnull (
      strstr (timchat_test_json_get_string (refused, "ErrorInfo"), "could not store"));
  notice = timchat_test_client_wait_push (c, KICK_NOTICE, 300);
  g_assert_null (notice);
  g_assert_true (timchat_test_client_is_open (c));
  timchat_test_send_ok (c, "bd_acc_peer");
}

/* Done once the disk is back: the socket is told (KickType 3, by REST) and closed. */
static void
assert_kicked (TimchatTestClient *c)
{
  g_autoptr (JsonObject) notice = timchat_test_client_wait_push (c, KICK_NOTICE, 3000);

  g_assert_nonnull (notice);
  g_assert_cmpint (timchat_test_json_get_int (
                       notice, "EventArray.0.C2cNotifyMsgArray.0.KickoutMsgNotify.KickType"),
                   ==, 3);
  g_assert_true (timchat_test_client_wait_closed (c, 3000, NULL, NULL));
}

static void
test_kick (void)
{
  const char *body = "{\"UserID\":\"bd_kicked\"}";
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "bd_kicked");
  g_autoptr (JsonObject) done = NULL;

  assert_refused_changes_nothing (c, "im_open_login_svc/kick", body);
  done = timchat_test_rest (fixture, "im_open_login_svc/kick", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  assert_kicked (c);
}

static void
test_account_delete (void)
{
  const char *body = "{\"DeleteItem\":[{\"UserID\":\"bd_deleted\"}]}";
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "bd_deleted");
  g_autoptr (JsonObject) check = NULL, done = NULL;

  assert_refused_changes_nothing (c, "im_open_login_svc/account_delete", body);
  check = timchat_test_rest (fixture, "im_open_login_svc/account_check",
                             "{\"CheckItem\":[{\"UserID\":\"bd_deleted\"}]}", NULL);
  g_assert_cmpstr (timchat_test_json_get_string (check, "ResultItem.0.AccountStatus"), ==,
                   "Imported");

  done = timchat_test_rest (fixture, "im_open_login_svc/account_delete", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (done, "ResultItem.0.ResultCode"), ==, 0);
  assert_kicked (c);
}

int
main (int argc, char **argv)
{
  g_autofree char *flags_dir = g_dir_make_tmp ("timchat-bad-disk-XXXXXX", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (flags_dir);
  full_flag = g_build_filename (flags_dir, "full", NULL);
  g_setenv ("TIMCHAT_DISK_FULL_FLAG", full_flag, TRUE);
  fixture = timchat_test_start_on_bad_disk ();
  timchat_test_import_account (fixture, "bd_acc_peer", NULL);
  g_test_add_func ("/server/bad-disk-accounts/kick", test_kick);
  g_test_add_func ("/server/bad-disk-accounts/account-delete", test_account_delete);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  g_rmdir (flags_dir);
  g_free (full_flag);
  return status;
}
