/* test-server-bad-disk-batch.c: a transaction SQLite rolls back by itself in the middle of the
 * server's batch (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A
 * Transaction": after an I/O error, a full disk or no memory). The real server runs with
 * fixture/disk-faults.c preloaded, which fails one write of the WAL with EIO: a batch bigger than
 * SQLite's page cache (2 MiB) writes the WAL before its COMMIT, and that write fails. What a user
 * must see: the batch is done whole or not at all, and every request in it is answered with an
 * error (10002) or its success, never an error for what was stored. The rest of the batch used
 * to run with no transaction, each write committed on its own, and was then answered 10002 with
 * the COMMIT that found nothing to commit. And a write that fails by itself, without SQLite
 * rolling the transaction back, in the middle of a command of several (a removal of several
 * members): the command is refused and none of it is stored. A request answered in a batch whose
 * commit fails is run again when sent again. (test-server-bad-disk.c has the
 * full disk and the failed sync.) */
#define G_LOG_DOMAIN "test-server-bad-disk-batch"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "timchat-test-extra.h"

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

/* Runs sql on the server's database while it is stopped, then starts it again on the bad disk. */
static void
alter_stopped_database (const char *sql)
{
  g_autofree char *db_path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  sqlite3 *db = NULL;

  timchat_fixture_stop (fixture);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_setenv ("LD_PRELOAD", g_getenv ("TIMCHAT_DISK_FAULTS"), TRUE);
  timchat_fixture_restart (fixture);
  g_unsetenv ("LD_PRELOAD");
}

static gint64
member_num (const char *group_id)
{
  g_autofree char *body = g_strdup_printf ("{\"GroupId\":\"%s\"}", group_id);
  g_autoptr (JsonObject) members =
      timchat_test_rest (fixture, "group_open_http_svc/get_group_member_info", body, NULL);

  g_assert_cmpint (timchat_test_json_get_int (members, "ErrorCode"), ==, 0);
  return timchat_test_json_get_int (members, "MemberNum");
}

/* A removal of several members whose store fails part-way, after the first member went (a
 * statement failing by itself, as an I/O error reading a page does without rolling the
 * transaction back; here a trigger that refuses the second member's row): the request is
 * refused and nothing changed, nobody hears of it; sent again once the store is well, all go,
 * one kick tip to those who stay, one notice to each removed. Each member used to be removed by
 * its own write: the first stayed removed, committed with the batch, with no tip and no notice,
 * and the request was answered with an error. (A full disk is refused at the commit, whole:
 * test-server-bad-disk.c, /server/bad-disk/delete-members-batch.) */
static void
test_delete_members_part_way (void)
{
  g_autoptr (TimchatTestPeer) stays = NULL, first = NULL;
  g_autoptr (JsonObject) created = NULL, refused = NULL, done = NULL;
  const char *body = "{\"GroupId\":\"bb_del\",\"MemberToDel_Account\":[\"bb_m1\",\"bb_m2\"]}";

  timchat_test_import_account (fixture, "bb_owner", NULL);
  timchat_test_import_account (fixture, "bb_m1", NULL);
  timchat_test_import_account (fixture, "bb_m2", NULL);
  timchat_test_import_account (fixture, "bb_stays", NULL);
  created = timchat_test_rest (
      fixture, "group_open_http_svc/create_group",
      "{\"Owner_Account\":\"bb_owner\",\"Type\":\"Public\",\"GroupId\":\"bb_del\","
      "\"Name\":\"d\",\"MemberList\":[{\"Member_Account\":\"bb_m1\"},"
      "{\"Member_Account\":\"bb_m2\"},{\"Member_Account\":\"bb_stays\"}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  alter_stopped_database ("CREATE TRIGGER bb_m2_stays BEFORE DELETE ON group_members "
                          "WHEN OLD.user_id = 'bb_m2' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");
  stays = timchat_test_peer_new (fixture, "bb_stays");
  first = timchat_test_peer_new (fixture, "bb_m1");

  refused = timchat_test_rest (fixture, "group_open_http_svc/delete_group_member", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_cmpint (member_num ("bb_del"), ==, 4);
  g_assert_cmpuint (timchat_test_peer_count (stays, 4, "GroupTips", "MsgBody.OpType", 3, 200), ==,
                    0);
  g_assert_cmpuint (timchat_test_peer_count (first, 5, "GroupTips", "MsgBody.ReportType", 4, 0), ==,
                    0);

  g_clear_pointer (&stays, timchat_test_peer_free);
  g_clear_pointer (&first, timchat_test_peer_free);
  alter_stopped_database ("DROP TRIGGER bb_m2_stays");
  stays = timchat_test_peer_new (fixture, "bb_stays");
  first = timchat_test_peer_new (fixture, "bb_m1");
  done = timchat_test_rest (fixture, "group_open_http_svc/delete_group_member", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (member_num ("bb_del"), ==, 2);
  json_object_unref (timchat_test_peer_expect (stays, 4, "GroupTips", "MsgBody.OpType", 3));
  json_object_unref (timchat_test_peer_expect (first, 5, "GroupTips", "MsgBody.ReportType", 4));
  g_assert_cmpuint (timchat_test_peer_count (stays, 4, "GroupTips", "MsgBody.OpType", 3, 200), ==,
                    0);
}

/* A command of several writes whose later write fails by itself (here a trigger refusing the
 * tip's row, as an I/O error reading a page would refuse it) is refused whole: create_group
 * stores the group, then its tip. The group used to stay, created under a request answered 10002:
 * its members in it with no tip and no notice, and the caller's retry refused (10021, the group
 * exists). Now nothing of it stays, and the retry creates it once. */
static void
test_create_group_tip_fails (void)
{
  g_autoptr (TimchatTestPeer) member = NULL;
  g_autoptr (JsonObject) refused = NULL, info = NULL, done = NULL;
  const char *body = "{\"Owner_Account\":\"bb_cg_owner\",\"Type\":\"Public\",\"GroupId\":"
                     "\"bb_cg\",\"Name\":\"c\",\"MemberList\":[{\"Member_Account\":\"bb_cg_m\"}]}";

  timchat_test_import_account (fixture, "bb_cg_owner", NULL);
  timchat_test_import_account (fixture, "bb_cg_m", NULL);
  alter_stopped_database ("CREATE TRIGGER bb_cg_no_tip BEFORE INSERT ON messages "
                          "WHEN NEW.to_id = 'bb_cg' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");
  member = timchat_test_peer_new (fixture, "bb_cg_m");

  refused = timchat_test_rest (fixture, "group_open_http_svc/create_group", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  info = timchat_test_rest (fixture, "group_open_http_svc/get_group_info",
                            "{\"GroupIdList\":[\"bb_cg\"]}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.ErrorCode"), ==, 10010);
  g_assert_cmpuint (timchat_test_peer_count (member, 5, "GroupTips", "MsgBody.ReportType", 7, 200),
                    ==, 0);

  g_clear_pointer (&member, timchat_test_peer_free);
  alter_stopped_database ("DROP TRIGGER bb_cg_no_tip");
  member = timchat_test_peer_new (fixture, "bb_cg_m");
  done = timchat_test_rest (fixture, "group_open_http_svc/create_group", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (member_num ("bb_cg"), ==, 2);
  json_object_unref (timchat_test_peer_expect (member, 4, "GroupTips", "MsgBody.OpType", 1));
  json_object_unref (timchat_test_peer_expect (member, 5, "GroupTips", "MsgBody.ReportType", 7));
}

/* The same over the socket, where the command's pushes wait in the hub while it runs: a
 * modify_group_member_info that mutes a member (stored, and its tip stored and pushed) and then
 * makes them an admin, whose write fails. Refused whole: the mute is not kept and its tip reaches
 * nobody, neither the member watching nor the asking owner. The mute used to stay, its tip sent
 * to every member after the 10002. */
static void
test_member_info_part_way (void)
{
  g_autoptr (TimchatTestPeer) owner = NULL, watcher = NULL;
  g_autoptr (JsonObject) refused = NULL, member = NULL, done = NULL;
  g_autofree char *group_id = NULL, *trigger = NULL, *body = NULL;

  timchat_test_import_account (fixture, "bb_mi_owner", NULL);
  timchat_test_import_account (fixture, "bb_mi_m", NULL);
  timchat_test_import_account (fixture, "bb_mi_w", NULL);
  owner = timchat_test_peer_new (fixture, "bb_mi_owner");
  group_id = timchat_test_group_create (
      owner, "Public", "m", NULL,
      "[{\"Member_Account\":\"bb_mi_m\"},{\"Member_Account\":\"bb_mi_w\"}]");
  g_clear_pointer (&owner, timchat_test_peer_free);
  trigger = g_strdup_printf ("CREATE TRIGGER bb_mi_no_admin BEFORE UPDATE OF role ON "
                             "group_members WHEN NEW.group_id = '%s' AND NEW.role = 'Admin' "
                             "BEGIN SELECT RAISE (ABORT, 'the disk said no'); END",
                             group_id);
  alter_stopped_database (trigger);
  owner = timchat_test_peer_new (fixture, "bb_mi_owner");
  watcher = timchat_test_peer_new (fixture, "bb_mi_w");
  body = g_strdup_printf ("{\"GroupId\":\"%s\",\"Member_Account\":\"bb_mi_m\","
                          "\"ShutUpTime\":600,\"Role\":\"Admin\"}",
                          group_id);

  refused = timchat_test_group_request (owner, "modify_group_member_info", body);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  member = timchat_test_group_member (owner, group_id, "bb_mi_m");
  g_assert_cmpint (timchat_test_json_get_int (member, "ShutUpUntil"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (member, "Role"), ==, "Member");
  g_assert_cmpuint (timchat_test_peer_count (watcher, 4, "GroupTips", "MsgBody.OpType", 7, 300), ==,
                    0);
  g_assert_cmpuint (timchat_test_peer_count (owner, 4, "GroupTips", "MsgBody.OpType", 7, 0), ==, 0);

  g_clear_pointer (&owner, timchat_test_peer_free);
  g_clear_pointer (&watcher, timchat_test_peer_free);
  alter_stopped_database ("DROP TRIGGER bb_mi_no_admin");
  owner = timchat_test_peer_new (fixture, "bb_mi_owner");
  watcher = timchat_test_peer_new (fixture, "bb_mi_w");
  done = timchat_test_group_request (owner, "modify_group_member_info", body);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  json_object_unref (timchat_test_peer_expect (watcher, 4, "GroupTips", "MsgBody.OpType", 7));
  json_object_unref (timchat_test_peer_expect (watcher, 4, "GroupTips", "MsgBody.OpType", 4));
  g_clear_pointer (&member, json_object_unref);
  member = timchat_test_group_member (owner, group_id, "bb_mi_m");
  g_assert_cmpint (timchat_test_json_get_int (member, "ShutUpUntil"), >, 0);
  g_assert_cmpstr (timchat_test_json_get_string (member, "Role"), ==, "Admin");
}

/* A group system notification (REST) whose notice cannot be kept for one member (a trigger
 * refusing their sync event, as an I/O error reading a page would): refused whole, 10002, and
 * nobody hears of it; sent again once the store is well, each member gets it once. The notice
 * used to be pushed all the same and the request answered OK: the member whose event was not kept
 * never got it on a device that was offline (openim.getmsg replays the sync events). */
static void
test_system_notification_not_kept (void)
{
  g_autoptr (TimchatTestPeer) a = NULL, b = NULL;
  g_autoptr (JsonObject) created = NULL, refused = NULL, done = NULL;
  const char *body = "{\"GroupId\":\"bb_sn\",\"Content\":\"hello\"}";

  timchat_test_import_account (fixture, "bb_sn_owner", NULL);
  timchat_test_import_account (fixture, "bb_sn_a", NULL);
  timchat_test_import_account (fixture, "bb_sn_b", NULL);
  created = timchat_test_rest (
      fixture, "group_open_http_svc/create_group",
      "{\"Owner_Account\":\"bb_sn_owner\",\"Type\":\"Public\",\"GroupId\":\"bb_sn\","
      "\"Name\":\"n\",\"MemberList\":[{\"Member_Account\":\"bb_sn_a\"},"
      "{\"Member_Account\":\"bb_sn_b\"}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  alter_stopped_database ("CREATE TRIGGER bb_sn_not_kept BEFORE INSERT ON events "
                          "WHEN NEW.user_id = 'bb_sn_b' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");
  a = timchat_test_peer_new (fixture, "bb_sn_a");

  refused =
      timchat_test_rest (fixture, "group_open_http_svc/send_group_system_notification", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_cmpuint (timchat_test_peer_count (a, 5, "GroupTips", "MsgBody.ReportType", 255, 300), ==,
                    0);

  g_clear_pointer (&a, timchat_test_peer_free);
  alter_stopped_database ("DROP TRIGGER bb_sn_not_kept");
  a = timchat_test_peer_new (fixture, "bb_sn_a");
  b = timchat_test_peer_new (fixture, "bb_sn_b");
  done =
      timchat_test_rest (fixture, "group_open_http_svc/send_group_system_notification", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  json_object_unref (timchat_test_peer_expect (a, 5, "GroupTips", "MsgBody.ReportType", 255));
  json_object_unref (timchat_test_peer_expect (b, 5, "GroupTips", "MsgBody.ReportType", 255));
  g_assert_cmpuint (timchat_test_peer_count (a, 5, "GroupTips", "MsgBody.ReportType", 255, 200), ==,
                    0);
}

/* A C2C read whose receipt cannot be kept for the peer (a trigger refusing the peer's sync
 * event): refused whole, 10002, the messages still unread, so that the reader's client reports
 * again. The read used to be answered OK with the receipt kept for nobody: the peer's devices
 * that were away never heard that their message was read. */
static void
test_read_receipt_not_kept (void)
{
  g_autoptr (JsonObject) refused = NULL, done = NULL;
  const char *body = "{\"Report_Account\":\"bb_rd_reader\",\"Peer_Account\":\"bb_rd_peer\"}";

  timchat_test_import_account (fixture, "bb_rd_reader", NULL);
  timchat_test_import_account (fixture, "bb_rd_peer", NULL);
  timchat_test_rest_send_text (fixture, "bb_rd_peer", "bb_rd_reader", "read me");
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bb_rd_reader", "bb_rd_peer"), ==, 1);
  alter_stopped_database ("CREATE TRIGGER bb_rd_not_kept BEFORE INSERT ON events "
                          "WHEN NEW.user_id = 'bb_rd_peer' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");

  refused = timchat_test_rest (fixture, "openim/admin_set_msg_read", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bb_rd_reader", "bb_rd_peer"), ==, 1);

  alter_stopped_database ("DROP TRIGGER bb_rd_not_kept");
  done = timchat_test_rest (fixture, "openim/admin_set_msg_read", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bb_rd_reader", "bb_rd_peer"), ==, 0);
}

/* A C2C read of a conversation marked unread, whose mark cannot be taken away (a trigger
 * refusing the write): refused whole, 10002, still unread, so that the client reports again. It
 * used to be answered OK, read, and still marked unread on every device. */
static void
test_read_unmark_fails (void)
{
  g_autoptr (TimchatTestClient) reader = NULL;
  g_autoptr (JsonObject) marked = NULL, refused = NULL, done = NULL;
  const char *body = "{\"Report_Account\":\"bb_um_reader\",\"Peer_Account\":\"bb_um_peer\"}";

  timchat_test_import_account (fixture, "bb_um_peer", NULL);
  reader = timchat_test_connect (fixture, "bb_um_reader");
  timchat_test_rest_send_text (fixture, "bb_um_peer", "bb_um_reader", "read me");
  marked = timchat_test_client_request_json (
      reader, "recentcontact.mark_contact",
      "{\"MarkItem\":[{\"OptType\":1,\"ContactItem\":{\"Type\":1,\"To_Account\":"
      "\"bb_um_peer\"},\"SetMark\":[1]}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (marked, "ResultItem.0.ResultCode"), ==, 0);
  g_clear_pointer (&reader, timchat_test_client_free);
  alter_stopped_database ("CREATE TRIGGER bb_um_stays BEFORE UPDATE OF marks ON conversations "
                          "WHEN OLD.owner = 'bb_um_reader' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");

  refused = timchat_test_rest (fixture, "openim/admin_set_msg_read", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bb_um_reader", "bb_um_peer"), ==, 1);

  alter_stopped_database ("DROP TRIGGER bb_um_stays");
  done = timchat_test_rest (fixture, "openim/admin_set_msg_read", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bb_um_reader", "bb_um_peer"), ==, 0);
}

/* How far user has read group_id (get_group_member_info's MsgSeq). */
static gint64
group_read_seq (const char *group_id, const char *user)
{
  g_autofree char *body = g_strdup_printf ("{\"GroupId\":\"%s\"}", group_id);
  g_autoptr (JsonObject) reply =
      timchat_test_rest (fixture, "group_open_http_svc/get_group_member_info", body, NULL);
  JsonArray *members = timchat_test_json_get_array (reply, "MemberList");

  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);

      if (g_strcmp0 (timchat_test_json_get_string (member, "Member_Account"), user) == 0)
        return timchat_test_json_get_int (member, "MsgSeq");
    }
  g_assert_not_reached ();
}

/* The same for a group read by read_all_unread_msg, whose reply has a RetCode per group: the
 * whole request is refused (10002) and undone, as for a C2C conversation, not answered with the
 * group's read mark moved under its RetCode 10002. */
static void
test_read_all_group_unmark_fails (void)
{
  g_autoptr (TimchatTestClient) reader = NULL;
  g_autoptr (JsonObject) created = NULL, sent = NULL, marked = NULL, refused = NULL, done = NULL;
  const char *read_all = "{\"C2CReadAllMsg\":0,\"GroupReadInfo\":[{\"GroupId\":\"bb_ug\","
                         "\"MsgSeq\":2}]}";

  timchat_test_import_account (fixture, "bb_ug_owner", NULL);
  reader = timchat_test_connect (fixture, "bb_ug_reader");
  created = timchat_test_rest (
      fixture, "group_open_http_svc/create_group",
      "{\"Owner_Account\":\"bb_ug_owner\",\"Type\":\"Public\",\"GroupId\":\"bb_ug\","
      "\"Name\":\"u\",\"MemberList\":[{\"Member_Account\":\"bb_ug_reader\"}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  sent = timchat_test_rest (fixture, "group_open_http_svc/send_group_msg",
                            "{\"GroupId\":\"bb_ug\",\"From_Account\":\"bb_ug_owner\","
                            "\"Random\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                            "\"MsgContent\":{\"Text\":\"read me\"}}]}",
                            NULL);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (sent, "MsgSeq"), ==, 2);
  marked = timchat_test_client_request_json (
      reader, "recentcontact.mark_contact",
      "{\"MarkItem\":[{\"OptType\":1,\"ContactItem\":{\"Type\":2,\"ToGroupId\":"
      "\"bb_ug\"},\"SetMark\":[1]}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (marked, "ResultItem.0.ResultCode"), ==, 0);
  g_clear_pointer (&reader, timchat_test_client_free);
  alter_stopped_database ("CREATE TRIGGER bb_ug_stays BEFORE UPDATE OF marks ON conversations "
                          "WHEN OLD.owner = 'bb_ug_reader' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");
  g_assert_cmpint (group_read_seq ("bb_ug", "bb_ug_reader"), <, 2);

  reader = timchat_test_connect (fixture, "bb_ug_reader");
  refused = timchat_test_client_request_json (reader, "openim.read_all_unread_msg", read_all, NULL);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_cmpint (group_read_seq ("bb_ug", "bb_ug_reader"), <, 2);

  g_clear_pointer (&reader, timchat_test_client_free);
  alter_stopped_database ("DROP TRIGGER bb_ug_stays");
  reader = timchat_test_connect (fixture, "bb_ug_reader");
  done = timchat_test_client_request_json (reader, "openim.read_all_unread_msg", read_all, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (done, "GroupReadInfoArray.0.RetCode"), ==, 0);
  g_assert_cmpint (group_read_seq ("bb_ug", "bb_ug_reader"), ==, 2);
}

/* A request answered in a batch whose commit then fails (the WAL's write at the COMMIT, EIO) did
 * nothing, so its answer is not kept for the request sent again (timchat-reply-memory.c): the
 * Web SDK sends the same servcmd and seq again when its socket comes back, and a kept answer
 * would tell it that the group was made, with a GroupId no group has. The resend runs again and
 * makes the group once. */
static void
test_resent_after_failed_commit (void)
{
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "bb_rs");
  g_autoptr (TimchatTestClient) back = timchat_test_new_client (fixture, NULL);
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (c));
  g_autofree char *tinyid = g_strdup (timchat_test_client_get_tinyid (c));
  const char *create = "{\"Type\":\"Private\",\"Name\":\"resent\"}";
  g_autoptr (JsonObject) refused = NULL, resent = NULL, joined = NULL;

  g_assert_true (g_file_set_contents (wal_write_flag, "", 0, NULL));
  refused =
      timchat_test_request_as (c, a2, tinyid, "group_open_http_svc.create_group", 5151, create);
  g_assert_false (g_file_test (wal_write_flag, G_FILE_TEST_EXISTS)); /* the commit's write failed */
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  /* As far as the client knows, the answer went with the socket. */
  timchat_test_client_close (c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  resent =
      timchat_test_request_as (back, a2, tinyid, "group_open_http_svc.create_group", 5151, create);
  g_assert_cmpint (timchat_test_json_get_int (resent, "ErrorCode"), ==, 0);
  joined = timchat_test_request_as (back, a2, tinyid, "group_open_http_svc.get_joined_group_list",
                                    5152, "{\"Member_Account\":\"bb_rs\"}");
  g_assert_cmpint (timchat_test_json_get_int (joined, "TotalCount"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (joined, "GroupIdList.0.GroupId"), ==,
                   timchat_test_json_get_string (resent, "GroupId"));
}

/* A command undone for a write that failed by itself (here a trigger, dropped while the server
 * runs, as a read error that goes away) was answered 10002, "send it again": the answer is not
 * kept, and the same request sent again after a reconnect runs again. The 10002 used to be kept
 * for 30 s like any answer, and the resend got it back without being tried. */
static void
test_resent_after_undone_command (void)
{
  g_autofree char *db_path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  g_autoptr (TimchatTestClient) c = timchat_test_connect (fixture, "bb_ru");
  g_autoptr (TimchatTestClient) back = NULL;
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (c));
  g_autofree char *tinyid = g_strdup (timchat_test_client_get_tinyid (c));
  const char *create = "{\"Type\":\"Private\",\"GroupId\":\"bb_ru_g\",\"Name\":\"undone\"}";
  g_autoptr (JsonObject) refused = NULL, resent = NULL;
  sqlite3 *db = NULL;

  g_clear_pointer (&c, timchat_test_client_free);
  alter_stopped_database ("CREATE TRIGGER bb_ru_no_tip BEFORE INSERT ON messages "
                          "WHEN NEW.to_id = 'bb_ru_g' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");
  c = timchat_test_new_client (fixture, NULL);
  refused =
      timchat_test_request_as (c, a2, tinyid, "group_open_http_svc.create_group", 6161, create);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  timchat_test_client_close (c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  /* The trouble passes (WAL: another connection may write between the server's batches). */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER bb_ru_no_tip", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  back = timchat_test_new_client (fixture, NULL);
  resent =
      timchat_test_request_as (back, a2, tinyid, "group_open_http_svc.create_group", 6161, create);
  g_assert_cmpint (timchat_test_json_get_int (resent, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (resent, "GroupId"), ==, "bb_ru_g");
  g_assert_cmpint (member_num ("bb_ru_g"), ==, 1);
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
  g_test_add_func ("/server/bad-disk-batch/delete-members-part-way", test_delete_members_part_way);
  g_test_add_func ("/server/bad-disk-batch/create-group-tip-fails", test_create_group_tip_fails);
  g_test_add_func ("/server/bad-disk-batch/member-info-part-way", test_member_info_part_way);
  g_test_add_func ("/server/bad-disk-batch/system-notification-not-kept",
                   test_system_notification_not_kept);
  g_test_add_func ("/server/bad-disk-batch/read-receipt-not-kept", test_read_receipt_not_kept);
  g_test_add_func ("/server/bad-disk-batch/read-unmark-fails", test_read_unmark_fails);
  g_test_add_func ("/server/bad-disk-batch/read-all-group-unmark-fails",
                   test_read_all_group_unmark_fails);
  g_test_add_func ("/server/bad-disk-batch/resent-after-failed-commit",
                   test_resent_after_failed_commit);
  g_test_add_func ("/server/bad-disk-batch/resent-after-undone-command",
                   test_resent_after_undone_command);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  g_unlink (wal_write_flag);
  g_rmdir (flags_dir);
  g_free (wal_write_flag);
  return status;
}
