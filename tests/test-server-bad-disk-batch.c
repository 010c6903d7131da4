/* test-server-bad-disk-batch.c: a transaction SQLite rolls back by itself in the middle of the
 * server's batch (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A
 * Transaction": after an I/O error, a full disk or no memory). The real server runs with
 * fixture/disk-faults.c preloaded, which fails one write of the WAL with EIO: a batch bigger than
 * SQLite's page cache (2 MiB) writes the WAL before its COMMIT, and that write fails. What a user
 * must see: the batch is done whole or not at all, and every request in it is answered with an
 * error (10002) or its success, never an error for what was stored. The rest of the batch used
 * to run with no transaction, each write committed on its own, and was then answered 10002 with
 * the COMMIT that found nothing to commit. (test-server-bad-disk.c has the full disk and the
 * failed sync.) */
#define G_LOG_DOMAIN "test-server-bad-disk-batch"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "timchat-test-util.h"

#define RECIPIENTS 400
#define TEXT_BYTES 8000 /* RECIPIENTS copies: ~3 MiB of rows, more than the page cache holds */
#define IMPORT_PER_CALL 100

static TimchatFixture *fixture;
static char *wal_write_flag;

static void
import_recipients (void)
{
  for (guint first = 0; first < RECIPIENTS; first += IMPORT_PER_CALL)
    {
      g_autoptr (GString) body = g_string_new ("{\"Accounts\":[");
      g_autoptr (JsonObject) reply = NULL;

      for (guint i = first; i < first + IMPORT_PER_CALL; i++)
        g_string_append_printf (body, "%s\"bb_r%03u\"", i > first ? "," : "", i);
      g_string_append (body, "]}");
      reply = timchat_test_rest (fixture, "im_open_login_svc/multiaccount_import", body->str, NULL);
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    }
}

/* One admin batchsendmsg from bb_from to every recipient, with the caller's MsgSeq and MsgRandom
 * (so that sending it again is a resend). */
static JsonObject *
send_batch (void)
{
  g_autoptr (GString) body = g_string_new ("{\"From_Account\":\"bb_from\",\"To_Account\":[");
  g_autofree char *text = g_strnfill (TEXT_BYTES, 'w');

  for (guint i = 0; i < RECIPIENTS; i++)
    g_string_append_printf (body, "%s\"bb_r%03u\"", i > 0 ? "," : "", i);
  g_string_append_printf (body,
                          "],\"MsgSeq\":7,\"MsgRandom\":7007,\"MsgBody\":[{\"MsgType\":"
                          "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
                          text);
  return timchat_test_rest (fixture, "openim/batchsendmsg", body->str, NULL);
}

/* How many recipients have unread messages from bb_from, and none has more than one. */
static guint
recipients_with_the_message (void)
{
  guint with = 0;

  for (guint i = 0; i < RECIPIENTS; i++)
    {
      g_autofree char *body =
          g_strdup_printf ("{\"To_Account\":\"bb_r%03u\",\"Peer_Account\":[\"bb_from\"]}", i);
      g_autoptr (JsonObject) reply =
          timchat_test_rest (fixture, "openim/get_c2c_unread_msg_num", body, NULL);
      gint64 unread;

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
      unread = timchat_test_json_get_int (reply, "C2CUnreadMsgNumList.0.C2CUnreadMsgNum");
      g_assert_cmpint (unread, <=, 1);
      with += (guint) unread;
    }
  return with;
}

static void
test_rolled_back_batch (void)
{
  g_autoptr (JsonObject) refused = NULL, done = NULL;

  timchat_test_import_account (fixture, "bb_from", NULL);
  import_recipients ();

  g_assert_true (g_file_set_contents (wal_write_flag, "", 0, NULL));
  refused = send_batch ();
  /* The fault was met: a write of the WAL failed, before the COMMIT (a full batch's spill). */
  g_assert_false (g_file_test (wal_write_flag, G_FILE_TEST_EXISTS));
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_nonnull (
      strstr (timchat_test_json_get_string (refused, "ErrorInfo"), "could not store"));
  /* Refused, so stored for nobody: none of the copies after the failed write either. */
  g_assert_cmpuint (recipients_with_the_message (), ==, 0);

  /* Sent again, as the caller does after a 10002: one copy each. */
  done = send_batch ();
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (done, "ErrorList")), ==, 0);
  g_assert_cmpuint (recipients_with_the_message (), ==, RECIPIENTS);

  /* And a restart finds what was acknowledged. */
  g_setenv ("LD_PRELOAD", g_getenv ("TIMCHAT_DISK_FAULTS"), TRUE);
  timchat_fixture_restart (fixture);
  g_unsetenv ("LD_PRELOAD");
  g_assert_cmpuint (recipients_with_the_message (), ==, RECIPIENTS);
}

int
main (int argc, char **argv)
{
  g_autofree char *flags_dir = g_dir_make_tmp ("timchat-bad-disk-batch-XXXXXX", NULL);
  const char *const conf[] = { "limits/rest_rate=0", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (flags_dir);
  wal_write_flag = g_build_filename (flags_dir, "wal-write-fails", NULL);
  g_setenv ("TIMCHAT_WAL_WRITE_FAIL_FLAG", wal_write_flag, TRUE);
  /* For the server only; no REST rate limit: the checks ask about every recipient. */
  g_setenv ("LD_PRELOAD", g_getenv ("TIMCHAT_DISK_FAULTS"), TRUE);
  fixture = timchat_fixture_new (conf);
  g_unsetenv ("LD_PRELOAD");
  g_test_add_func ("/server/bad-disk-batch/rolled-back-batch", test_rolled_back_batch);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  g_unlink (wal_write_flag);
  g_rmdir (flags_dir);
  g_free (wal_write_flag);
  return status;
}
