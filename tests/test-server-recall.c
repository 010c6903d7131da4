/* test-server-recall.c: C2C recall rules and notices (the window is 2 s here). */
#define G_LOG_DOMAIN "test-server-recall"

#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "tim-json.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static JsonObject *
withdraw (TimchatTestClient *c, const char *from, const char *to, gint64 seq, gint64 random,
          gint64 time)
{
  return timchat_test_client_request_printf (
      c, "openim.msgwithdraw",
      "{\"MsgInfo\":{\"From_Account\":\"%s\",\"To_Account\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT
      ",\"MsgRandom\":%" G_GINT64_FORMAT ",\"MsgTimeStamp\":%" G_GINT64_FORMAT "}}",
      from, to, seq, random, time);
}

static void
test_recall_inside_window (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autoptr (TimchatTestClient) alice_laptop = timchat_test_connect (fixture, "alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (JsonObject) sent = timchat_test_send_text (alice, "bob", "take it back", 11, 12);
  gint64 time = timchat_test_json_get_int (sent, "MsgTime");
  g_autoptr (JsonObject) by_bob = NULL;
  g_autoptr (JsonObject) ok = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) notice = NULL;
  g_autoptr (JsonObject) laptop_notice = NULL;
  JsonObject *info;

  json_object_unref (timchat_test_wait_event (bob, "C2cMsgArray", 3000));
  json_object_unref (timchat_test_wait_event (alice_laptop, "C2cMsgArray", 3000));

  by_bob = withdraw (bob, "alice", "bob", 11, 12, time);
  g_assert_cmpint (timchat_test_json_get_int (by_bob, "ErrorCode"), ==, 20017);

  ok = withdraw (alice, "alice", "bob", 11, 12, time);
  g_assert_cmpint (timchat_test_json_get_int (ok, "ErrorCode"), ==, 0);
  notice = timchat_test_wait_event (bob, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (notice);
  info = timchat_test_json_get_object (timchat_test_push_item (notice, "C2cNotifyMsgArray"),
                                       "WithdrawC2cMsgNotify.C2cWithdrawInfoArray.0");
  g_assert_nonnull (info);
  g_assert_cmpstr (timchat_test_json_get_string (info, "From_Account"), ==, "alice");
  g_assert_cmpint (timchat_test_json_get_int (info, "MsgSeq"), ==, 11);
  g_assert_cmpint (timchat_test_json_get_int (info, "MsgRandom"), ==, 12);
  g_assert_cmpstr (timchat_test_json_get_string (info, "RevokerInfo.Revoker"), ==, "alice");
  laptop_notice = timchat_test_wait_event (alice_laptop, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (laptop_notice);

  again = withdraw (alice, "alice", "bob", 11, 12, time);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 20023);
}

static void
test_recall_errors (void)
{
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "dave");
  g_autoptr (JsonObject) sent = timchat_test_send_text (carol, "dave", "stays", 21, 22);
  g_autoptr (JsonObject) missing = withdraw (carol, "carol", "dave", 999, 999, 0);
  g_autoptr (JsonObject) malformed = timchat_test_client_request_json (
      carol, "openim.msgwithdraw", "{\"MsgInfo\":{\"MsgSeq\":\"x\"}}", NULL);
  g_autoptr (JsonObject) late = NULL;
  g_autoptr (JsonObject) page = NULL;

  g_assert_cmpint (timchat_test_json_get_int (missing, "ErrorCode"), ==, 20022);
  g_assert_cmpint (timchat_test_json_get_int (malformed, "ErrorCode"), ==, 10004);
  g_usleep (3 * G_USEC_PER_SEC); /* past the 2 s window */
  late = withdraw (carol, "carol", "dave", 21, 22, timchat_test_json_get_int (sent, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (late, "ErrorCode"), ==, 20016);
  g_assert_nonnull (timchat_test_json_get_string (late, "ErrorInfo"));
  page = timchat_test_client_request_json (dave, "openim.getroammsg",
                                           "{\"Peer_Account\":\"carol\",\"MaxCnt\":15}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (page, "MsgList.0.MsgFlagBits"), ==, 0);
}

static JsonObject *
send_file (TimchatTestClient *c, const char *to, const char *url, const char *uuid, gint64 seq)
{
  g_autofree char *request = g_strdup_printf (
      "{\"To_Account\":\"%s\",\"MsgSeq\":%" G_GINT64_FORMAT ",\"MsgRandom\":%" G_GINT64_FORMAT
      ",\"CloudCustomData\":\"a quote of the plans\",\"MsgBody\":[{\"MsgType\":"
      "\"TIMFileElem\",\"MsgContent\":{\"Url\":\"%s\",\"UUID\":\"%s\",\"FileName\":"
      "\"plans.txt\",\"FileSize\":7,\"Download_Flag\":2}}]}",
      to, seq, seq, url, uuid);
  JsonObject *reply = timchat_test_request_ok (c, "openim.sendmsg", request);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return reply;
}

static gboolean
status_becomes (const char *url, guint status, guint wait_ms)
{
  for (guint waited = 0; waited < wait_ms; waited += 50)
    {
      if (timchat_test_http_status (url) == status)
        return TRUE;
      g_usleep (50 * 1000);
    }
  return timchat_test_http_status (url) == status;
}

/* A recall removes what the message said, as the vendor removes a recalled message from its
 * storage: history keeps a flagged placeholder (an empty text, no custom data), and an upload that
 * no other stored message mentions is removed at once (retention is 7 days here). One that a
 * forward still mentions stays until the forward is recalled too; a resend, stored once, is not
 * a second mention. */
static void
test_recall_removes_content_and_files (void)
{
  g_autoptr (TimchatTestClient) erin = timchat_test_connect (fixture, "erin");
  g_autoptr (TimchatTestClient) finn = timchat_test_connect (fixture, "finn");
  g_autofree char *url = NULL;
  g_autofree char *uuid = timchat_test_upload_file (fixture, erin, "plans.txt", &url);
  g_autoptr (JsonObject) first = send_file (erin, "finn", url, uuid, 31);
  g_autoptr (JsonObject) resent = send_file (erin, "finn", url, uuid, 31);
  g_autoptr (JsonObject) forward = send_file (erin, "finn", url, uuid, 32);
  g_autoptr (JsonObject) recalled = NULL;
  g_autoptr (JsonObject) page = NULL;
  g_autoptr (JsonObject) forward_recalled = NULL;
  JsonObject *placeholder;
  JsonObject *kept;

  g_assert_cmpint (timchat_test_json_get_int (resent, "MsgTime"), ==,
                   timchat_test_json_get_int (first, "MsgTime"));
  recalled = withdraw (erin, "erin", "finn", 31, 31, timchat_test_json_get_int (first, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (recalled, "ErrorCode"), ==, 0);
  g_assert_false (status_becomes (url, SOUP_STATUS_NOT_FOUND, 500));

  page = timchat_test_client_request_json (finn, "openim.getroammsg",
                                           "{\"Peer_Account\":\"erin\",\"MaxCnt\":15}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (page, "MsgCnt"), ==, 2);
  placeholder = timchat_test_json_get_object (page, "MsgList.0");
  g_assert_cmpint (timchat_test_json_get_int (placeholder, "MsgSeq"), ==, 31);
  g_assert_cmpint (timchat_test_json_get_int (placeholder, "MsgFlagBits"), ==, 8);
  /* An empty text: the official SDK drops a history message with no element at all. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (placeholder, "MsgBody")),
                    ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (placeholder, "MsgBody.0.MsgType"), ==,
                   "TIMTextElem");
  g_assert_cmpstr (timchat_test_json_get_string (placeholder, "MsgBody.0.MsgContent.Text"), ==, "");
  g_assert_cmpstr (timchat_test_json_get_string (placeholder, "CloudCustomData"), ==, "");
  kept = timchat_test_json_get_object (page, "MsgList.1");
  g_assert_cmpint (timchat_test_json_get_int (kept, "MsgFlagBits"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (kept, "MsgBody.0.MsgContent.Url"), ==, url);

  forward_recalled =
      withdraw (erin, "erin", "finn", 32, 32, timchat_test_json_get_int (forward, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (forward_recalled, "ErrorCode"), ==, 0);
  g_assert_true (status_becomes (url, SOUP_STATUS_NOT_FOUND, 5000));

  /* An upload that is also erin's avatar stays when the one message that mentioned it goes. */
  {
    g_autofree char *avatar_url = NULL;
    g_autofree char *avatar = timchat_test_upload_file (fixture, erin, "me.txt", &avatar_url);
    g_autofree char *set = g_strdup_printf (
        "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":\"%s\"}]}", avatar_url);
    g_autoptr (JsonObject) profile = timchat_test_request_ok (erin, "profile.portrait_set", set);
    g_autoptr (JsonObject) shown = send_file (erin, "finn", avatar_url, avatar, 33);
    g_autoptr (JsonObject) taken_back =
        withdraw (erin, "erin", "finn", 33, 33, timchat_test_json_get_int (shown, "MsgTime"));

    g_assert_cmpint (timchat_test_json_get_int (profile, "ErrorCode"), ==, 0);
    g_assert_cmpint (timchat_test_json_get_int (taken_back, "ErrorCode"), ==, 0);
    g_assert_false (status_becomes (avatar_url, SOUP_STATUS_NOT_FOUND, 500));
  }
}

/* A database from before recalls emptied messages (store version 8) has recalled messages that
 * still say what they said: the next start empties them. */
static void
test_old_recalls_emptied_on_upgrade (void)
{
  g_autofree char *db_path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  sqlite3 *db = NULL;

  {
    g_autoptr (TimchatTestClient) gina = timchat_test_connect (fixture, "gina");
    g_autoptr (TimchatTestClient) hal = timchat_test_connect (fixture, "hal");
    g_autoptr (JsonObject) sent = timchat_test_send_text (gina, "hal", "an old secret", 41, 42);

    g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  }
  timchat_fixture_stop (fixture);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE messages SET recalled = 1, revoker = 'gina' "
                                 "WHERE body LIKE '%an old secret%'",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  /* Back to version 8 (version 10 added the groups' profile columns, 11 the conversations'
   * remind, 12 the messages deleted for one, 13 the messages' mentions, 14 their edit
   * version, 15 the conversations' cleared_seq, 17 their marks, 18 the merged messages'
   * lists, 24 the C2C trigger that reads remind: dropped first, and made again by 24; 30 the
   * members' joined_seq). */
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER messages_c2c; "
                                 "ALTER TABLE groups DROP COLUMN info_seq; ALTER TABLE groups DROP "
                                 "COLUMN info_time; ALTER TABLE groups DROP COLUMN mute_all; "
                                 "ALTER TABLE conversations DROP COLUMN remind; "
                                 "ALTER TABLE conversations DROP COLUMN cleared_seq; "
                                 "ALTER TABLE conversations DROP COLUMN marks; "
                                 "DROP TABLE relay_lists; "
                                 "ALTER TABLE group_members DROP COLUMN mute_until; ALTER TABLE "
                                 "conversations DROP COLUMN custom_data; "
                                 "ALTER TABLE group_members DROP COLUMN joined_seq; "
                                 "DROP TRIGGER hidden_messages_gone; DROP TABLE hidden_messages; "
                                 "DROP INDEX messages_mentions; "
                                 "ALTER TABLE messages DROP COLUMN at_info; "
                                 "ALTER TABLE messages DROP COLUMN version; "
                                 "PRAGMA user_version = 8",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  timchat_fixture_restart (fixture);
  {
    g_autoptr (TimchatTestClient) hal = timchat_test_connect (fixture, "hal");
    g_autoptr (JsonObject) page = timchat_test_client_request_json (
        hal, "openim.getroammsg", "{\"Peer_Account\":\"gina\",\"MaxCnt\":15}", NULL);

    g_assert_cmpint (timchat_test_json_get_int (page, "MsgList.0.MsgFlagBits"), ==, 8);
    g_assert_cmpstr (timchat_test_json_get_string (page, "MsgList.0.MsgBody.0.MsgContent.Text"), ==,
                     "");
  }
}

/* What a recalled message said leaves the server's files too, not only its row, while the server
 * runs: the database's free space and freed overflow pages (the message was copied into the
 * database file before the recall: the restart's checkpoint) and the WAL's older frames (the
 * recall's own frames hold the page as it was). A server of its own: the window is the default
 * 120 s. */
static void
test_recall_leaves_no_bytes (void)
{
  static const char secret[] = "the-secret-of-the-recall";
  g_autoptr (TimchatFixture) f = timchat_fixture_new (NULL);
  g_autoptr (JsonObject) sent = NULL;
  g_autofree char *holding = NULL;
  g_autoptr (GString) long_text = g_string_new (NULL);

  while (long_text->len < 6000)
    g_string_append_printf (long_text, "%s %zu ", secret, long_text->len);
  {
    g_autoptr (TimchatTestClient) ivy = timchat_test_connect (f, "ivy");
    g_autoptr (TimchatTestClient) jon = timchat_test_connect (f, "jon");

    /* Between other rows of the page, as a message usually is. */
    for (gint64 seq = 40; seq < 50; seq++)
      json_object_unref (timchat_test_send_text (ivy, "jon", "an ordinary line", seq, seq));
    /* Long enough for overflow pages, which the recall frees whole. */
    sent = timchat_test_send_text (ivy, "jon", long_text->str, 51, 52);
    for (gint64 seq = 60; seq < 70; seq++)
      json_object_unref (timchat_test_send_text (jon, "ivy", "another ordinary line", seq, seq));
  }
  timchat_fixture_restart (f);
  holding = timchat_test_data_files_holding (f, secret);
  g_assert_cmpstr (holding, ==, "timchat.db ");
  {
    g_autoptr (TimchatTestClient) ivy = timchat_test_connect (f, "ivy");
    /* And one only the WAL has: its first frames hold it until the WAL starts over. */
    g_autoptr (JsonObject) sent_since = timchat_test_send_text (ivy, "jon", secret, 53, 54);
    g_autoptr (JsonObject) recalled =
        withdraw (ivy, "ivy", "jon", 51, 52, timchat_test_json_get_int (sent, "MsgTime"));
    g_autoptr (JsonObject) recalled_since =
        withdraw (ivy, "ivy", "jon", 53, 54, timchat_test_json_get_int (sent_since, "MsgTime"));

    g_assert_cmpint (timchat_test_json_get_int (recalled, "ErrorCode"), ==, 0);
    g_assert_cmpint (timchat_test_json_get_int (recalled_since, "ErrorCode"), ==, 0);
    g_free (holding);
    holding = timchat_test_data_files_holding (f, secret);
    g_assert_cmpstr (holding, ==, "timchat.db timchat.db-wal ");
  }
  /* While it runs: once it has been idle for a moment, it scrubs the WAL. */
  g_free (holding);
  holding = timchat_test_wait_data_files_free_of (f, secret, 10000);
  g_assert_cmpstr (holding, ==, "");

  /* The truncated WAL loses nothing: what is acknowledged after it survives a SIGKILL. */
  {
    g_autoptr (TimchatTestClient) jon = timchat_test_connect (f, "jon");

    json_object_unref (timchat_test_send_text (jon, "ivy", "after the scrub", 70, 70));
  }
  timchat_fixture_kill (f);
  timchat_fixture_restart (f);
  {
    g_autoptr (TimchatTestClient) jon = timchat_test_connect (f, "jon");
    g_autoptr (JsonObject) page = timchat_test_client_request_json (
        jon, "openim.getroammsg", "{\"Peer_Account\":\"ivy\",\"MaxCnt\":15}", NULL);
    JsonArray *list = timchat_test_json_get_array (page, "MsgList");
    guint placeholders = 0;

    /* The newest 15, oldest first: both recalled messages, the new line last. */
    g_assert_cmpuint (json_array_get_length (list), ==, 15);
    for (guint i = 0; i < json_array_get_length (list); i++)
      placeholders +=
          tim_json_get_int_or (tim_json_array_get_object (list, i), "MsgFlagBits", 0) == 8;
    g_assert_cmpuint (placeholders, ==, 2);
    g_assert_cmpstr (timchat_test_json_get_string (page, "MsgList.14.MsgBody.0.MsgContent.Text"),
                     ==, "after the scrub");
  }
  timchat_fixture_stop (f);
  g_free (holding);
  holding = timchat_test_data_files_holding (f, secret);
  g_assert_cmpstr (holding, ==, "");
}

/* kai sends lou the secret, which the data files then hold, and recalls it. */
static void
send_then_recall (TimchatFixture *f, TimchatTestClient *kai, const char *secret)
{
  g_autoptr (JsonObject) sent = timchat_test_send_text (kai, "lou", secret, 1, 1);
  g_autofree char *holding = timchat_test_data_files_holding (f, secret);
  g_autoptr (JsonObject) recalled = NULL;

  g_assert_cmpstr (holding, !=, "");
  recalled = withdraw (kai, "kai", "lou", 1, 1, timchat_test_json_get_int (sent, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (recalled, "ErrorCode"), ==, 0);
}

/* A server that is never idle for long scrubs its WAL too, at the latest erase_seconds after the
 * recall (3 s here): messages keep coming every 300 ms meanwhile, so it never waits the 2 s of
 * quiet the idle scrub needs. */
static void
test_recall_leaves_no_bytes_when_busy (void)
{
  static const char *const conf[] = { "limits/erase_seconds=3", NULL };
  static const char secret[] = "the-secret-of-a-busy-day";
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) kai = timchat_test_connect (f, "kai");
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (f, "lou");
  g_autofree char *holding = NULL;
  gint64 start, seq = 2;

  send_then_recall (f, kai, secret);
  start = g_get_monotonic_time ();
  holding = timchat_test_data_files_holding (f, secret);
  g_assert_cmpstr (holding, !=, ""); /* not idle yet, not at the deadline yet */
  while (holding[0] != '\0' && g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC)
    {
      json_object_unref (timchat_test_send_text (kai, "lou", "busy, busy", seq, seq));
      seq++;
      g_usleep (300000);
      g_free (holding);
      holding = timchat_test_data_files_holding (f, secret);
    }
  g_test_message ("scrubbed after %.1f s and %" G_GINT64_FORMAT " messages",
                  (g_get_monotonic_time () - start) / 1e6, seq - 2);
  g_assert_cmpstr (holding, ==, "");
}

/* A store that is not durable ([store] durable=0: SQLite's own checkpoints) truncates its WAL
 * after the recall's commit. */
static void
test_recall_leaves_no_bytes_not_durable (void)
{
  static const char *const conf[] = { "store/durable=0", NULL };
  static const char secret[] = "the-secret-of-a-fast-store";
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) kai = timchat_test_connect (f, "kai");
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (f, "lou");
  g_autofree char *holding = NULL;

  send_then_recall (f, kai, secret);
  holding = timchat_test_wait_data_files_free_of (f, secret, 5000);
  g_assert_cmpstr (holding, ==, "");
}

int
main (int argc, char **argv)
{
  static const char *const conf[] = { "limits/recall_seconds=2", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server/recall/inside-window", test_recall_inside_window);
  g_test_add_func ("/server/recall/errors", test_recall_errors);
  g_test_add_func ("/server/recall/removes-content-and-files",
                   test_recall_removes_content_and_files);
  g_test_add_func ("/server/recall/leaves-no-bytes", test_recall_leaves_no_bytes);
  g_test_add_func ("/server/recall/leaves-no-bytes-when-busy",
                   test_recall_leaves_no_bytes_when_busy);
  g_test_add_func ("/server/recall/leaves-no-bytes-not-durable",
                   test_recall_leaves_no_bytes_not_durable);
  g_test_add_func ("/server/recall/old-recalls-emptied-on-upgrade",
                   test_old_recalls_emptied_on_upgrade);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
