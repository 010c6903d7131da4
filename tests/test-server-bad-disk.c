/* test-server-bad-disk.c: a full disk (messages and uploads) and a disk whose syncs fail. The real
 * server runs with fixture/disk-faults.c preloaded; a flag file turns the fault on and off while it
 * runs. What a user must see: a write the disk refused is answered with an error, never with OK;
 * the server stays up and serves everything that does not write; once the disk is back, the same
 * send (the clients resend with the same MsgSeq and MsgRandom) is stored exactly once and reaches
 * the peer, group sequences have no hole, a batch (several members removed, several accounts
 * blocked) is done whole or not at all, and a restart finds exactly what was acknowledged. */
#define G_LOG_DOMAIN "test-server-bad-disk"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tim-error.h"

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define GRP "group_open_http_svc/"

static TimchatFixture *fixture;
static char *full_flag;
static char *sync_fail_flag;

static void
flag_set (const char *flag, gboolean up)
{
  if (up)
    g_assert_true (g_file_set_contents (flag, "", 0, NULL));
  else
    g_assert_cmpint (g_unlink (flag), ==, 0);
}

/* Every text of the C2C history with peer, oldest first (one page is enough here). */
static char *
history_texts (TimchatTestClient *c, const char *peer)
{
  g_autofree char *body = g_strdup_printf ("{\"Peer_Account\":\"%s\",\"MaxCnt\":15,"
                                           "\"LastMsgTime\":0,\"MsgKey\":\"\"}",
                                           peer);
  g_autoptr (JsonObject) page = timchat_test_request_ok (c, "openim.getroammsg", body);
  JsonArray *list = timchat_test_json_get_array (page, "MsgList");
  GString *texts = g_string_new (NULL);

  g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_string_append_printf (texts, "%s%s", i > 0 ? "," : "",
                            timchat_test_json_get_string (json_array_get_object_element (list, i),
                                                          "MsgBody.0.MsgContent.Text"));
  return g_string_free (texts, FALSE);
}

static void
assert_refused (JsonObject *reply)
{
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 10002);
  g_assert_nonnull (strstr (timchat_test_json_get_string (reply, "ErrorInfo"), "could not store"));
}

static void
check_c2c (const char *flag)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
  g_autoptr (TimchatTestPeer) ben = timchat_test_peer_new (fixture, "ben");
  g_autoptr (JsonObject) first = NULL, refused = NULL, alive = NULL, again = NULL, after = NULL;
  g_autofree char *texts = NULL;

  first = timchat_test_send_text (ann, "ben", "one", 1, 1001);
  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  json_object_unref (timchat_test_peer_expect (ben, 1, "C2cMsgArray", "MsgRandom", 1001));

  flag_set (flag, TRUE);
  refused = timchat_test_send_text (ann, "ben", "two", 2, 1002);
  assert_refused (refused);
  /* What does not write still works. */
  alive = timchat_test_request_ok (ann, "heartbeat.alive", "{}");
  g_assert_cmpint (timchat_test_json_get_int (alive, "ErrorCode"), ==, 0);
  flag_set (flag, FALSE);

  /* The client's resend of "two" (same MsgSeq and MsgRandom) is stored once and delivered. */
  again = timchat_test_send_text (ann, "ben", "two", 2, 1002);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  json_object_unref (timchat_test_peer_expect (ben, 1, "C2cMsgArray", "MsgRandom", 1002));
  after = timchat_test_send_text (ann, "ben", "three", 3, 1003);
  g_assert_cmpint (timchat_test_json_get_int (after, "ErrorCode"), ==, 0);
  json_object_unref (timchat_test_peer_expect (ben, 1, "C2cMsgArray", "MsgRandom", 1003));
  g_assert_cmpuint (timchat_test_peer_count (ben, 1, "C2cMsgArray", "MsgRandom", 1002, 200), ==, 0);

  texts = history_texts (ann, "ben");
  g_assert_cmpstr (texts, ==, "one,two,three");
}

static gint64
send_group (const char *text, gint64 random, gboolean must_store)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"bd_g\",\"Random\":%" G_GINT64_FORMAT ",\"From_Account\":\"ann\","
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
      random, text);
  g_autoptr (JsonObject) reply = timchat_test_rest (fixture, GRP "send_group_msg", body, NULL);

  if (!must_store)
    {
      assert_refused (reply);
      return 0;
    }
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return timchat_test_json_get_int (reply, "MsgSeq");
}

static void
check_group (const char *flag)
{
  g_autoptr (TimchatTestPeer) ben = NULL;
  gint64 before;

  g_autoptr (JsonObject) created = timchat_test_rest (
      fixture, GRP "create_group",
      "{\"Owner_Account\":\"ann\",\"Type\":\"Public\",\"GroupId\":\"bd_g\",\"Name\":\"g\","
      "\"MemberList\":[{\"Member_Account\":\"ben\"}]}",
      NULL);
  if (timchat_test_json_get_int (created, "ErrorCode") != 10021) /* made by the other case */
    g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);

  ben = timchat_test_peer_new (fixture, "ben");
  before = send_group ("g-one", 2001, TRUE);
  json_object_unref (timchat_test_peer_expect (ben, 3, "GroupMsgArray", "Random", 2001));
  flag_set (flag, TRUE);
  send_group ("g-two", 2002, FALSE);
  flag_set (flag, FALSE);
  /* Consecutive: the refused message took no sequence. */
  g_assert_cmpint (send_group ("g-three", 2003, TRUE), ==, before + 1);
  json_object_unref (timchat_test_peer_expect (ben, 3, "GroupMsgArray", "Random", 2003));
  /* Nor did it reach the members: it is not in the group's history, and its sender was told to
   * send it again, which would have shown it to them twice. */
  g_assert_cmpuint (timchat_test_peer_count (ben, 3, "GroupMsgArray", "Random", 2002, 200), ==, 0);
}

static void
test_disk_full (void)
{
  check_c2c (full_flag);
  check_group (full_flag);
}

/* How many accounts ann's blocklist holds. */
static gint64
blocked_count (void)
{
  g_autoptr (JsonObject) list =
      timchat_test_rest (fixture, "sns/black_list_get",
                         "{\"From_Account\":\"ann\",\"StartIndex\":0,\"MaxLimited\":100}", NULL);

  g_assert_cmpint (timchat_test_json_get_int (list, "ErrorCode"), ==, 0);
  return timchat_test_json_get_int (list, "CurruentSequence");
}

/* A blocklist change of several accounts the disk refuses changes none of them and tells ann's
 * devices nothing; sent again, it is done once, in one push. Adding, then removing. */
static void
test_blocklist_batch (void)
{
  g_autoptr (TimchatTestPeer) ann = timchat_test_peer_new (fixture, "ann");
  const char *commands[] = { "sns/black_list_add", "sns/black_list_delete" };
  const char *keys[] = { "BlackListAddAccount", "BlackListDelAccount" };
  const char *body = "{\"From_Account\":\"ann\",\"To_Account\":[\"bd_u1\",\"bd_u2\",\"bd_u3\"]}";

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *user = g_strdup_printf ("bd_u%u", i);

      timchat_test_import_account (fixture, user, NULL);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr (JsonObject) refused = NULL, done = NULL;
      gint64 before = blocked_count ();
      JsonObject *push;

      flag_set (full_flag, TRUE);
      refused = timchat_test_rest (fixture, commands[i], body, NULL);
      assert_refused (refused);
      flag_set (full_flag, FALSE);
      g_assert_cmpint (blocked_count (), ==, before);
      g_assert_cmpuint (timchat_test_peer_count (ann, 17, "FriendListMod", NULL, 0, 200), ==, 0);

      done = timchat_test_rest (fixture, commands[i], body, NULL);
      g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
      g_assert_cmpint (blocked_count (), ==, i == 0 ? before + 3 : before - 3);
      push = timchat_test_peer_expect (ann, 17, "FriendListMod", NULL, 0);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (push, keys[i])), ==,
                        3);
      json_object_unref (push);
      g_assert_cmpuint (timchat_test_peer_count (ann, 17, "FriendListMod", NULL, 0, 200), ==, 0);
    }
}

/* Starts the server again on the same bad disk (timchat_fixture_restart () alone drops it). */
static void
restart_on_bad_disk (void)
{
  g_setenv ("LD_PRELOAD", g_getenv ("TIMCHAT_DISK_FAULTS"), TRUE);
  timchat_fixture_restart (fixture);
  g_unsetenv ("LD_PRELOAD");
}

/* Runs sql on the server's database while it is stopped (a trigger that refuses a write: a
 * statement failing by itself, as an I/O error or a locked database would), then starts it again.
 */
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
  restart_on_bad_disk ();
}

/* An admin's read report the disk refuses is refused, not answered OK with nothing marked; the
 * same report once the disk is back marks it. A full disk is caught at the commit; a statement
 * that fails by itself (an I/O error reading a page, a database another process locked; here a
 * trigger that refuses bd_reader's read mark) was taken for "no such conversation" and answered OK.
 * A conversation that does not exist still has nothing to mark, and that is OK. */
static void
test_set_msg_read (void)
{
  g_autoptr (TimchatTestClient) ann = NULL;
  g_autoptr (JsonObject) sent = NULL, refused = NULL, failed = NULL, done = NULL, nothing = NULL;
  const char *body = "{\"Report_Account\":\"bd_reader\",\"Peer_Account\":\"ann\"}";

  timchat_test_import_account (fixture, "bd_reader", NULL);
  ann = timchat_test_connect (fixture, "ann");
  sent = timchat_test_send_text (ann, "bd_reader", "read me", 71, 7001);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_reader", "ann"), >, 0);

  flag_set (full_flag, TRUE);
  refused = timchat_test_rest (fixture, "openim/admin_set_msg_read", body, NULL);
  assert_refused (refused);
  flag_set (full_flag, FALSE);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_reader", "ann"), >, 0);

  g_clear_pointer (&ann, timchat_test_client_free);
  alter_stopped_database ("CREATE TRIGGER bd_read_fails BEFORE UPDATE OF read_seq ON "
                          "conversations WHEN NEW.owner = 'bd_reader' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");
  failed = timchat_test_rest (fixture, "openim/admin_set_msg_read", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (failed, "ErrorCode"), ==, 10002);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_reader", "ann"), >, 0);

  alter_stopped_database ("DROP TRIGGER bd_read_fails");
  done = timchat_test_rest (fixture, "openim/admin_set_msg_read", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_reader", "ann"), ==, 0);

  timchat_test_import_account (fixture, "bd_never", NULL);
  nothing = timchat_test_rest (fixture, "openim/admin_set_msg_read",
                               "{\"Report_Account\":\"bd_never\",\"Peer_Account\":\"ann\"}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (nothing, "ErrorCode"), ==, 0);
}

/* The receipts (Event 9 C2cNotifyMsgArray: to a peer, and the read sync to the reader's other
 * devices) p has been pushed in wait_ms. */
static guint
read_notices (TimchatTestPeer *p, guint wait_ms)
{
  return timchat_test_peer_count (p, 9, "C2cNotifyMsgArray", NULL, 0, wait_ms);
}

/* The same over the socket: msgreaded (the SDK's setMessageRead) and read_all_unread_msg whose
 * mark the store refuses are refused (10002), so that the SDK keeps its unread count and reports
 * again, and nobody hears of a mark that did not move: they were answered OK, with a receipt to
 * the peer and a read sync to the reader's other devices. Refused, a report is undone whole (the
 * command savepoint, timchat_command_dispatch ()): its other items are not read either, and
 * their receipts are not sent, until the report sent again reads them all. Until 29 Nov they
 * were read under the 10002. */
static void
test_msgreaded (void)
{
  const char *report = "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":["
                       "{\"To_Account\":\"ann\",\"Receipt\":1},"
                       "{\"To_Account\":\"bd_cid\",\"Receipt\":1}]}}";
  g_autoptr (TimchatTestClient) reader = NULL, ann_c = NULL, cid_c = NULL;
  g_autoptr (TimchatTestPeer) ann = NULL, cid = NULL, other_device = NULL;
  g_autoptr (JsonObject) refused = NULL, all = NULL, done = NULL;

  timchat_test_import_account (fixture, "bd_wsr", NULL);
  timchat_test_import_account (fixture, "bd_cid", NULL);
  ann_c = timchat_test_connect (fixture, "ann");
  cid_c = timchat_test_connect (fixture, "bd_cid");
  timchat_test_send_ok (ann_c, "bd_wsr");
  timchat_test_send_ok (cid_c, "bd_wsr");
  g_clear_pointer (&ann_c, timchat_test_client_free);
  g_clear_pointer (&cid_c, timchat_test_client_free);
  alter_stopped_database ("CREATE TRIGGER bd_wsr_fails BEFORE UPDATE OF read_seq ON "
                          "conversations WHEN NEW.owner = 'bd_wsr' AND NEW.peer = 'ann' BEGIN "
                          "SELECT RAISE (ABORT, 'the disk said no'); END");
  ann = timchat_test_peer_new (fixture, "ann");
  cid = timchat_test_peer_new (fixture, "bd_cid");
  other_device = timchat_test_peer_new (fixture, "bd_wsr");
  reader = timchat_test_connect (fixture, "bd_wsr");

  refused = timchat_test_request_ok (reader, "openim.msgreaded", report);
  g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==, 10002);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_wsr", "ann"), >, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_wsr", "bd_cid"), >, 0);
  g_assert_cmpuint (read_notices (cid, 300), ==, 0);
  g_assert_cmpuint (read_notices (ann, 0), ==, 0);
  g_assert_cmpuint (read_notices (other_device, 0), ==, 0);

  all = timchat_test_request_ok (reader, "openim.read_all_unread_msg", "{\"C2CReadAllMsg\":1}");
  g_assert_cmpint (timchat_test_json_get_int (all, "ErrorCode"), ==, 10002);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_wsr", "ann"), >, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_wsr", "bd_cid"), >, 0);
  g_assert_cmpuint (read_notices (ann, 300), ==, 0);
  g_assert_cmpuint (read_notices (cid, 0), ==, 0);
  g_assert_cmpuint (read_notices (other_device, 0), ==, 0);

  g_clear_pointer (&reader, timchat_test_client_free);
  g_clear_pointer (&ann, timchat_test_peer_free);
  g_clear_pointer (&cid, timchat_test_peer_free);
  g_clear_pointer (&other_device, timchat_test_peer_free);
  alter_stopped_database ("DROP TRIGGER bd_wsr_fails");
  ann = timchat_test_peer_new (fixture, "ann");
  cid = timchat_test_peer_new (fixture, "bd_cid");
  reader = timchat_test_connect (fixture, "bd_wsr");
  done = timchat_test_request_ok (reader, "openim.msgreaded", report);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_wsr", "ann"), ==, 0);
  g_assert_cmpint (timchat_test_rest_c2c_unread (fixture, "bd_wsr", "bd_cid"), ==, 0);
  json_object_unref (timchat_test_peer_expect (ann, 9, "C2cNotifyMsgArray", NULL, 0));
  json_object_unref (timchat_test_peer_expect (cid, 9, "C2cNotifyMsgArray", NULL, 0));
}

/* Removing several members on a disk that refuses it removes none, and nobody hears of it; sent
 * again, all go at once: one kick tip to those who stay, one notice to each removed. */
static void
test_delete_members_batch (void)
{
  g_autoptr (TimchatTestPeer) dan = NULL, ben = NULL;
  g_autoptr (JsonObject) created = NULL, refused = NULL, done = NULL, members = NULL;
  const char *body = "{\"GroupId\":\"bd_del\",\"MemberToDel_Account\":[\"ben\",\"bd_u1\"]}";

  timchat_test_import_account (fixture, "bd_u1", NULL);
  timchat_test_import_account (fixture, "dan", NULL);
  created = timchat_test_rest (
      fixture, GRP "create_group",
      "{\"Owner_Account\":\"ann\",\"Type\":\"Public\",\"GroupId\":\"bd_del\",\"Name\":\"d\","
      "\"MemberList\":[{\"Member_Account\":\"ben\"},{\"Member_Account\":\"bd_u1\"},"
      "{\"Member_Account\":\"dan\"}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  dan = timchat_test_peer_new (fixture, "dan");
  ben = timchat_test_peer_new (fixture, "ben");

  flag_set (full_flag, TRUE);
  refused = timchat_test_rest (fixture, GRP "delete_group_member", body, NULL);
  assert_refused (refused);
  flag_set (full_flag, FALSE);
  members =
      timchat_test_rest (fixture, GRP "get_group_member_info", "{\"GroupId\":\"bd_del\"}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (members, "MemberNum"), ==, 4);
  g_assert_cmpuint (timchat_test_peer_count (dan, 4, "GroupTips", "MsgBody.OpType", 3, 200), ==, 0);
  g_assert_cmpuint (timchat_test_peer_count (ben, 5, "GroupTips", "MsgBody.ReportType", 4, 0), ==,
                    0);

  done = timchat_test_rest (fixture, GRP "delete_group_member", body, NULL);
  g_assert_cmpint (timchat_test_json_get_int (done, "ErrorCode"), ==, 0);
  g_clear_pointer (&members, json_object_unref);
  members =
      timchat_test_rest (fixture, GRP "get_group_member_info", "{\"GroupId\":\"bd_del\"}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (members, "MemberNum"), ==, 2);
  json_object_unref (timchat_test_peer_expect (dan, 4, "GroupTips", "MsgBody.OpType", 3));
  json_object_unref (timchat_test_peer_expect (ben, 5, "GroupTips", "MsgBody.ReportType", 4));
  g_assert_cmpuint (timchat_test_peer_count (dan, 4, "GroupTips", "MsgBody.OpType", 3, 200), ==, 0);
  g_assert_cmpuint (timchat_test_peer_count (ben, 5, "GroupTips", "MsgBody.ReportType", 4, 0), ==,
                    0);
}

/* PUT /upload of a 256 KiB file: the reply's ErrorCode (HTTP status in *status). */
static gint64
upload_file (TimchatTestClient *c, guint *status, char **url)
{
  g_autofree char *a2 = g_uri_escape_string (timchat_test_client_get_a2 (c), NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/upload?kind=file&name=notes.txt&a2=%s", a2);
  g_autofree char *upload_url = timchat_fixture_url (fixture, path);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", upload_url);
  g_autofree guint8 *data = g_malloc (256 * 1024);
  g_autoptr (GBytes) content = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autofree char *text = NULL;

  memset (data, 'n', 256 * 1024);
  content = g_bytes_new_take (g_steal_pointer (&data), 256 * 1024);
  soup_message_set_request_body_from_bytes (msg, "text/plain", content);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_nonnull (body);
  *status = soup_message_get_status (msg);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  reply = timchat_test_json_parse (text, NULL);
  g_assert_nonnull (reply);
  if (url != NULL)
    *url = g_strdup (timchat_test_json_get_string (reply, "Url"));
  return timchat_test_json_get_int (reply, "ErrorCode");
}

static guint
count_files (void)
{
  g_autofree char *files = g_build_filename (timchat_fixture_get_data_dir (fixture), "files", NULL);

  return timchat_test_count_entries (files);
}

/* An upload on a full disk fails with the kind's code and leaves no partial file behind. */
static void
test_upload_on_a_full_disk (void)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) download = NULL;
  g_autoptr (GBytes) downloaded = NULL;
  g_autofree char *url = NULL;
  guint before = count_files ();
  guint status = 0;

  flag_set (full_flag, TRUE);
  g_assert_cmpint (upload_file (ann, &status, NULL), ==, TIM_ERROR_FILE_UPLOAD_FAIL);
  g_assert_cmpuint (status, >=, 500);
  g_assert_cmpuint (count_files (), ==, before);
  flag_set (full_flag, FALSE);

  g_assert_cmpint (upload_file (ann, &status, &url), ==, 0);
  g_assert_cmpuint (status, ==, 200);
  download = soup_message_new ("GET", url);
  downloaded = soup_session_send_and_read (session, download, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (download), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (downloaded), ==, 256 * 1024);
}

static void
test_sync_fails (void)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
  g_autoptr (TimchatTestClient) ann_again = NULL;
  g_autoptr (TimchatTestPeer) cid = timchat_test_peer_new (fixture, "cid");
  g_autoptr (TimchatTestPeer) cid_again = NULL;
  g_autoptr (JsonObject) start = NULL, refused = NULL, again = NULL, sync = NULL;
  g_autofree char *texts = NULL, *cid_texts = NULL, *resume = NULL, *wal = NULL;
  GStatBuf wal_stat;

  /* The commit reached the file but maybe not the platter: refused, since it may be gone after a
   * power cut, and not pushed to cid either. After a failed sync the kernel may have dropped
   * pages for good, so the server trusts nothing it wrote: it stops (EX_TEMPFAIL), for its
   * supervisor to start it again on what the disk holds. */
  start = timchat_test_request_ok (cid->c, "openim.getmsg", "{\"Cookie\":\"\",\"SyncFlag\":0}");
  resume = g_strdup_printf ("{\"Cookie\":\"%s\",\"SyncFlag\":0}",
                            timchat_test_json_get_string (start, "Cookie"));
  flag_set (sync_fail_flag, TRUE);
  refused = timchat_test_send_text (ann, "cid", "maybe", 1, 3001);
  assert_refused (refused);
  g_assert_cmpuint (timchat_test_peer_count (cid, 1, "C2cMsgArray", "MsgRandom", 3001, 100), ==, 0);
  g_assert_cmpint (timchat_fixture_wait_exit (fixture, 10000), ==, 75);
  g_assert_false (g_file_test (sync_fail_flag, G_FILE_TEST_EXISTS)); /* one sync failed */
  /* The WAL is left for the next start's recovery to check, not copied into the database. */
  wal = g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db-wal", NULL);
  g_assert_true (g_stat (wal, &wal_stat) == 0 && wal_stat.st_size > 0);

  /* Started again, the client's resend is answered OK and stored once; cid, reconnecting, finds
   * it by openim.getmsg (here the page cache still had it: no power was cut). */
  timchat_fixture_restart (fixture);
  ann_again = timchat_test_connect (fixture, "ann");
  again = timchat_test_send_text (ann_again, "cid", "maybe", 1, 3001);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  texts = history_texts (ann_again, "cid");
  g_assert_cmpstr (texts, ==, "maybe");
  cid_again = timchat_test_peer_new (fixture, "cid");
  sync = timchat_test_request_ok (cid_again->c, "openim.getmsg", resume);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (sync, "MsgList")), ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (sync, "MsgList.0.MsgRandom"), ==, 3001);
  cid_texts = history_texts (cid_again->c, "ann");
  g_assert_cmpstr (cid_texts, ==, "maybe");
}

/* A logout the disk refuses (10002) changes nothing, as every write refused so: the ticket still
 * logs the socket in, which may log out again, and once that is stored the ticket logs no socket
 * in. The socket used to stay logged out while the ticket's removal was rolled back: the second
 * logout was refused (2024, logged out on this socket) and the ticket went on logging in any new
 * socket that showed it until it expired. */
static void
test_logout (void)
{
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (fixture, "bd_lou");
  g_autoptr (TimchatTestClient) later = timchat_test_new_client (fixture, NULL);
  g_autoptr (JsonObject) refused = NULL, again = NULL, sent = NULL, shown = NULL;
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (lou));
  g_autofree char *tinyid = g_strdup (timchat_test_client_get_tinyid (lou));

  timchat_test_import_account (fixture, "bd_lou_peer", NULL);
  flag_set (full_flag, TRUE);
  refused = timchat_test_client_request_json (lou, "im_open_status.wslogout", "{}", NULL);
  flag_set (full_flag, FALSE);
  assert_refused (refused);
  sent = timchat_test_send_text (lou, "bd_lou_peer", "still in", 1, 8001);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);

  again = timchat_test_client_request_json (lou, "im_open_status.wslogout", "{}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  timchat_test_client_set_auth (later, a2, tinyid);
  shown = timchat_test_send_text (later, "bd_lou_peer", "with its ticket", 2, 8002);
  g_assert_cmpint (timchat_test_json_get_int (shown, "ErrorCode"), ==, TIM_ERROR_MSG_AUTH);
}

static void
test_restart_keeps_what_was_acknowledged (void)
{
  g_autoptr (TimchatTestClient) ann = NULL;
  g_autofree char *with_ben = NULL, *with_cid = NULL;

  timchat_fixture_restart (fixture);
  ann = timchat_test_connect (fixture, "ann");
  with_ben = history_texts (ann, "ben");
  g_assert_cmpstr (with_ben, ==, "one,two,three");
  with_cid = history_texts (ann, "cid");
  g_assert_cmpstr (with_cid, ==, "maybe");
}

int
main (int argc, char **argv)
{
  g_autofree char *flags_dir = g_dir_make_tmp ("timchat-bad-disk-XXXXXX", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (flags_dir);
  full_flag = g_build_filename (flags_dir, "full", NULL);
  sync_fail_flag = g_build_filename (flags_dir, "sync-fails", NULL);
  g_setenv ("TIMCHAT_DISK_FULL_FLAG", full_flag, TRUE);
  g_setenv ("TIMCHAT_SYNC_FAIL_FLAG", sync_fail_flag, TRUE);
  fixture = timchat_test_start_on_bad_disk ();
  g_test_add_func ("/server/bad-disk/full", test_disk_full);
  g_test_add_func ("/server/bad-disk/blocklist-batch", test_blocklist_batch);
  g_test_add_func ("/server/bad-disk/delete-members-batch", test_delete_members_batch);
  g_test_add_func ("/server/bad-disk/set-msg-read", test_set_msg_read);
  g_test_add_func ("/server/bad-disk/msgreaded", test_msgreaded);
  g_test_add_func ("/server/bad-disk/upload", test_upload_on_a_full_disk);
  g_test_add_func ("/server/bad-disk/logout", test_logout);
  g_test_add_func ("/server/bad-disk/sync-fails", test_sync_fails);
  g_test_add_func ("/server/bad-disk/restart-keeps-what-was-acknowledged",
                   test_restart_keeps_what_was_acknowledged);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  g_rmdir (flags_dir);
  g_free (full_flag);
  g_free (sync_fail_flag);
  return status;
}
