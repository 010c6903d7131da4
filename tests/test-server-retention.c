/* test-server-retention.c: the retention sweep of the real server. Messages and sync events older
 * than limits/retention_days are written into the stopped server's database (the server stamps
 * everything "now"); at its next start the sweep removes them, a few thousand rows a step, and
 * keeps what is fresh, and nothing of what it removed stays in the files' bytes; the
 * conversation's sequence goes on. Uploaded files go with the messages that mention them. */
#define G_LOG_DOMAIN "test-server-retention"

#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define OLD_MESSAGES 5000 /* ten of the sweep's steps (500 rows each) */
#define OLD_TEXT "a line past retention"

static TimchatFixture *fixture;

static gint64
count_rows (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return n;
}

static void
test_sweep_removes_old_rows (void)
{
  g_autofree char *path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  g_autofree char *old_rows = NULL;
  g_autofree char *holding = NULL;
  gint64 old = g_get_real_time () / G_USEC_PER_SEC - 3 * 86400;
  sqlite3 *db = NULL;
  gint64 left = -1;

  {
    g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
    g_autoptr (TimchatTestClient) ben = timchat_test_connect (fixture, "ben");
  }
  timchat_fixture_stop (fixture);

  /* Three days old (retention is one): ann's messages to ben, written as the server writes them
   * (its triggers add the sync events, which are then dated back too). */
  old_rows = g_strdup_printf (
      "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
      "INSERT INTO messages (conv_type, conv_key, seq, kind, from_user, to_id, client_seq, "
      "random, time, client_time, priority, body) "
      "SELECT 1, 'ann' || char (10) || 'ben', i, 0, 'ann', 'ben', i, i, %" G_GINT64_FORMAT ", "
      "%" G_GINT64_FORMAT ", 2, '[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
      "{\"Text\":\"" OLD_TEXT "\"}}]' FROM n; "
      "UPDATE events SET created = %" G_GINT64_FORMAT ";",
      OLD_MESSAGES, old, old, old);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, old_rows, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM messages"), ==, OLD_MESSAGES);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM events"), ==, 2 * OLD_MESSAGES);
  sqlite3_close (db);

  timchat_fixture_restart (fixture);
  {
    g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
    /* Not (1, 1): the old rows hold sequence and random 1 to 5,000, and a send that came before
     * the sweep took them would be a resend of one of them (stored once: not at all). */
    g_autoptr (JsonObject) sent =
        timchat_test_send_text (ann, "ben", "fresh", OLD_MESSAGES + 1, OLD_MESSAGES + 1);

    g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
    /* The sweep runs in steps behind the clients' frames: wait for history to be only "fresh". */
    for (guint tries = 0; tries < 100 && left != 1; tries++)
      {
        g_autoptr (JsonObject) page = timchat_test_request_ok (
            ann, "openim.getroammsg",
            "{\"Peer_Account\":\"ben\",\"MaxCnt\":15,\"LastMsgTime\":0,\"MsgKey\":\"\"}");

        left = json_array_get_length (timchat_test_json_get_array (page, "MsgList"));
        if (left != 1)
          g_usleep (50 * 1000);
      }
    g_assert_cmpint (left, ==, 1);
  }
  /* And none of it stays in the files' bytes once the server has been idle a moment: the
   * database zeroes what it deleted, and the WAL is copied in and truncated. */
  holding = timchat_test_wait_data_files_free_of (fixture, OLD_TEXT, 10000);
  g_assert_cmpstr (holding, ==, "");
  timchat_fixture_stop (fixture);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM messages"), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT seq FROM messages"), ==, OLD_MESSAGES + 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM events"), ==, 2);
  sqlite3_close (db);
  timchat_fixture_restart (fixture);
}

static gboolean
is_stored (const char *name)
{
  g_autofree char *path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "files", name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Whether the sweep removed name (waiting for it), and then let its step finish: a step removes
 * every expired file it lists before it yields, so a file still there afterwards was kept. */
static gboolean
removed_by_sweep (const char *name)
{
  for (guint tries = 0; tries < 100 && is_stored (name); tries++)
    g_usleep (50 * 1000);
  g_usleep (200 * 1000);
  return !is_stored (name);
}

/* Uploads go with the messages that mention them: a file whose newest message is past retention
 * is removed, and so is one that was uploaded as long ago and never sent; a fresh upload stays.
 * (That a newer message keeps an older file is /store/files-kept-while-mentioned.) */
static void
test_sweep_removes_old_uploads (void)
{
  g_autofree char *db_path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  gint64 old = g_get_real_time () / G_USEC_PER_SEC - 3 * 86400;
  g_autofree char *sent_url = NULL;
  g_autofree char *unsent_url = NULL;
  g_autofree char *fresh_url = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *unsent = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *backdate = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");
    g_autoptr (TimchatTestClient) ben = timchat_test_connect (fixture, "ben");
    g_autofree char *request = NULL;
    g_autoptr (JsonObject) reply = NULL;

    sent = timchat_test_upload_file (fixture, ann, "minutes.txt", &sent_url);
    unsent = timchat_test_upload_file (fixture, ann, "draft.txt", &unsent_url);
    request = g_strdup_printf (
        "{\"To_Account\":\"ben\",\"MsgSeq\":71,\"MsgRandom\":71,\"MsgBody\":[{\"MsgType\":"
        "\"TIMFileElem\",\"MsgContent\":{\"Url\":\"%s\",\"UUID\":\"%s\",\"FileName\":"
        "\"minutes.txt\",\"FileSize\":7,\"Download_Flag\":2}}]}",
        sent_url, sent);
    reply = timchat_test_request_ok (ann, "openim.sendmsg", request);
    g_assert_cmpuint (timchat_test_http_status (sent_url), ==, SOUP_STATUS_OK);
  }
  timchat_fixture_stop (fixture);

  /* Three days old (retention is one): the message, and both files' times. */
  backdate = g_strdup_printf ("UPDATE messages SET time = %" G_GINT64_FORMAT " WHERE body LIKE "
                              "'%%%s%%'; UPDATE files SET last_used = %" G_GINT64_FORMAT ";",
                              old, sent, old);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, backdate, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM files"), ==, 2);
  sqlite3_close (db);

  timchat_fixture_restart (fixture);
  {
    g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "ann");

    fresh = timchat_test_upload_file (fixture, ann, "today.txt", &fresh_url);
  }
  /* The sweep runs in steps behind the clients' frames. */
  g_assert_true (removed_by_sweep (sent));
  g_assert_true (removed_by_sweep (unsent));
  g_assert_true (is_stored (fresh));
  g_assert_cmpuint (timchat_test_http_status (sent_url), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (timchat_test_http_status (unsent_url), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (timchat_test_http_status (fresh_url), ==, SOUP_STATUS_OK);

  timchat_fixture_stop (fixture);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM files"), ==, 1);
  sqlite3_close (db);
  timchat_fixture_restart (fixture);
}

static JsonObject *
getmsg (TimchatTestClient *c, const char *cookie)
{
  g_autofree char *body = g_strdup_printf ("{\"Cookie\":\"%s\"}", cookie);

  return timchat_test_request_ok (c, "openim.getmsg", body);
}

/* A device away while the sweep took every sync event (nobody wrote any within retention) still
 * gets what comes after from the Cookie it holds: the events written next are numbered after
 * those the Cookie has seen, not from 1 again, below it. */
static void
test_cookie_after_sweep_took_every_event (void)
{
  g_autofree char *path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  g_autofree char *backdate = g_strdup_printf ("UPDATE events SET created = %" G_GINT64_FORMAT,
                                               g_get_real_time () / G_USEC_PER_SEC - 3 * 86400);
  g_autofree char *cookie = NULL;
  gint64 left = -1;
  sqlite3 *db = NULL;

  {
    g_autoptr (TimchatTestClient) cal = timchat_test_connect (fixture, "ret-cal");
    g_autoptr (TimchatTestClient) dan = timchat_test_connect (fixture, "ret-dan");
    g_autoptr (JsonObject) synced = NULL;

    for (guint i = 1; i <= 5; i++)
      json_object_unref (timchat_test_send_text (cal, "ret-dan", "before", 9000 + i, 9000 + i));
    synced = getmsg (dan, "");
    cookie = g_strdup (timchat_test_json_get_string (synced, "Cookie"));
    g_assert_nonnull (cookie);
  }
  timchat_fixture_stop (fixture);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, backdate, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  timchat_fixture_restart (fixture);
  /* The sweep runs in steps behind the clients' frames: wait until it took every event. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint tries = 0; tries < 100 && left != 0; tries++)
    {
      left = count_rows (db, "SELECT count(*) FROM events");
      if (left != 0)
        g_usleep (50 * 1000);
    }
  sqlite3_close (db);
  g_assert_cmpint (left, ==, 0);
  {
    g_autoptr (TimchatTestClient) cal = timchat_test_connect (fixture, "ret-cal");
    g_autoptr (TimchatTestClient) dan = NULL;
    g_autoptr (JsonObject) caught_up = NULL;

    json_object_unref (timchat_test_send_text (cal, "ret-dan", "after the sweep", 9100, 9100));
    dan = timchat_test_connect (fixture, "ret-dan");
    caught_up = getmsg (dan, cookie);
    g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (caught_up, "MsgList")),
                      ==, 1);
    g_assert_cmpstr (
        timchat_test_json_get_string (caught_up, "MsgList.0.MsgBody.0.MsgContent.Text"), ==,
        "after the sweep");
  }
}

/* Message ids only grow, as the events' do: once the sweep took every message (nobody wrote one
 * within retention), the next one is numbered after every id handed out before, not from 1 again,
 * so a device's Cookie from before (whose MSGID part says which mentions it was told of) still
 * gets the @-mention that message brings. A server of its own: every message is swept. */
static void
test_message_ids_after_sweep_took_every_message (void)
{
  const char *const conf[] = { "limits/retention_days=1", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autofree char *path = g_build_filename (timchat_fixture_get_data_dir (f), "timchat.db", NULL);
  gint64 old = g_get_real_time () / G_USEC_PER_SEC - 3 * 86400;
  g_autofree char *backdate = g_strdup_printf ("UPDATE messages SET time = %" G_GINT64_FORMAT
                                               "; UPDATE events SET created = %" G_GINT64_FORMAT,
                                               old, old);
  g_autofree char *group = NULL;
  g_autofree char *cookie = NULL;
  gint64 before_id, left = -1;
  sqlite3 *db = NULL;

  {
    g_autoptr (TimchatTestPeer) eve = timchat_test_peer_new (f, "ids-eve");
    g_autoptr (TimchatTestClient) fay = timchat_test_connect (f, "ids-fay");
    g_autoptr (JsonObject) made = timchat_test_group_request (
        eve, "create_group",
        "{\"Type\":\"Private\",\"Name\":\"g\",\"MemberList\":[{\"Member_Account\":\"ids-fay\"}]}");
    g_autoptr (JsonObject) synced = NULL;

    group = g_strdup (timchat_test_json_get_string (made, "GroupId"));
    g_assert_nonnull (group);
    for (gint64 random = 1; random <= 3; random++)
      timchat_test_group_send_code (eve, group, random, 0);
    synced = getmsg (fay, "");
    cookie = g_strdup (timchat_test_json_get_string (synced, "Cookie"));
    g_assert_nonnull (cookie);
    g_assert_nonnull (strchr (cookie, '.'));
    before_id = g_ascii_strtoll (strchr (cookie, '.') + 1, NULL, 10);
    g_assert_cmpint (before_id, >=, 4); /* the group's creation tip and the three texts */
  }
  timchat_fixture_stop (f);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, backdate, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  timchat_fixture_restart (f);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint tries = 0; tries < 100 && left != 0; tries++)
    {
      left = count_rows (db, "SELECT count(*) FROM messages");
      if (left != 0)
        g_usleep (50 * 1000);
    }
  sqlite3_close (db);
  g_assert_cmpint (left, ==, 0);
  {
    g_autoptr (TimchatTestPeer) eve = timchat_test_peer_new (f, "ids-eve");
    g_autoptr (TimchatTestClient) fay = NULL;
    g_autoptr (JsonObject) caught_up = NULL;
    g_autofree char *at_fay = g_strdup_printf (
        "{\"GroupId\":\"%s\",\"Random\":4,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
        "\"MsgContent\":{\"Text\":\"@ids-fay\"}}],\"GroupAtInfo\":[{\"GroupAtAllFlag\":0,"
        "\"GroupAt_Account\":\"ids-fay\"}]}",
        group);
    g_autoptr (JsonObject) sent = timchat_test_group_request (eve, "send_group_msg", at_fay);
    const char *next_cookie;

    g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
    fay = timchat_test_connect (f, "ids-fay");
    caught_up = getmsg (fay, cookie);
    g_assert_cmpint (timchat_test_json_get_int (caught_up, "EventArray.0.Event"), ==, 12);
    g_assert_cmpstr (timchat_test_json_get_string (caught_up, "EventArray.0.GroupTips.0.GroupId"),
                     ==, group);
    g_assert_cmpint (timchat_test_json_get_int (caught_up, "EventArray.0.GroupTips.0.AtMsgSeq"), ==,
                     timchat_test_json_get_int (sent, "MsgSeq"));
    /* Its MSGID part: the new message's id, past every one handed out before the sweep. */
    next_cookie = timchat_test_json_get_string (caught_up, "Cookie");
    g_assert_nonnull (next_cookie);
    g_assert_nonnull (strchr (next_cookie, '.'));
    g_assert_cmpint (g_ascii_strtoll (strchr (next_cookie, '.') + 1, NULL, 10), >, before_id);
  }
}

/* Stops the server, moves everything the files list dates now or before three days back (a
 * pinned picture's time is no date), as if it had been stopped that long, and starts it again. */
static void
restart_three_days_later (void)
{
  g_autofree char *db_path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *backdate = g_strdup_printf ("UPDATE files SET last_used = %" G_GINT64_FORMAT
                                               " WHERE last_used <= %" G_GINT64_FORMAT,
                                               now - 3 * 86400, now);
  sqlite3 *db = NULL;

  timchat_fixture_stop (fixture);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, backdate, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  timchat_fixture_restart (fixture);
}

static void
set_avatar (TimchatTestClient *c, const char *url)
{
  g_autofree char *request = g_strdup_printf (
      "{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":\"%s\"}]}", url);
  g_autoptr (JsonObject) reply = timchat_test_request_ok (c, "profile.portrait_set", request);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
}

/* An avatar or a group's picture is kept as long as a profile or group shows it, however old
 * its upload (no message mentions it); one that none shows any more goes with retention from
 * then on. */
static void
test_avatar_kept_while_shown (void)
{
  g_autofree char *first_url = NULL, *second_url = NULL, *picture_url = NULL;
  g_autofree char *draft_url = NULL, *other_draft_url = NULL, *new_picture_url = NULL;
  g_autofree char *first = NULL, *second = NULL, *picture = NULL, *new_picture = NULL;
  g_autofree char *draft = NULL, *other_draft = NULL;
  g_autofree char *group_id = NULL;

  {
    g_autoptr (TimchatTestClient) cid = timchat_test_connect (fixture, "cid");
    g_autoptr (TimchatTestClient) dee = timchat_test_connect (fixture, "dee");
    g_autofree char *create = NULL;
    g_autoptr (JsonObject) created = NULL;

    first = timchat_test_upload_file (fixture, cid, "face.txt", &first_url);
    picture = timchat_test_upload_file (fixture, cid, "team.txt", &picture_url);
    draft = timchat_test_upload_file (fixture, cid, "draft.txt", &draft_url);
    set_avatar (cid, first_url);
    set_avatar (dee, first_url); /* two profiles show one upload */
    create = g_strdup_printf ("{\"Type\":\"Private\",\"Name\":\"team\",\"FaceUrl\":\"%s\","
                              "\"MemberList\":[{\"Member_Account\":\"dee\"}]}",
                              picture_url);
    created = timchat_test_request_ok (cid, "group_open_http_svc.create_group", create);
    g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
    group_id = g_strdup (timchat_test_json_get_string (created, "GroupId"));
  }
  restart_three_days_later ();
  /* The sweep ran (the unsent draft went); the avatar and the group's picture stayed. */
  g_assert_true (removed_by_sweep (draft));
  g_assert_true (is_stored (first));
  g_assert_true (is_stored (picture));
  g_assert_cmpuint (timchat_test_http_status (first_url), ==, SOUP_STATUS_OK);

  /* cid changes avatar: dee still shows the first one, so it stays. The group gets a new
   * picture: the old one goes, as nothing shows it now. */
  {
    g_autoptr (TimchatTestClient) cid = timchat_test_connect (fixture, "cid");
    g_autofree char *modify = NULL;
    g_autoptr (JsonObject) modified = NULL;

    second = timchat_test_upload_file (fixture, cid, "new-face.txt", &second_url);
    other_draft = timchat_test_upload_file (fixture, cid, "draft2.txt", &other_draft_url);
    new_picture = timchat_test_upload_file (fixture, cid, "new-team.txt", &new_picture_url);
    set_avatar (cid, second_url);
    modify = g_strdup_printf ("{\"GroupId\":\"%s\",\"FaceUrl\":\"%s\"}", group_id, new_picture_url);
    modified = timchat_test_request_ok (cid, "group_open_http_svc.modify_group_base_info", modify);
    g_assert_cmpint (timchat_test_json_get_int (modified, "ErrorCode"), ==, 0);
  }
  restart_three_days_later ();
  g_assert_true (removed_by_sweep (other_draft));
  g_assert_true (removed_by_sweep (picture));
  g_assert_true (is_stored (first));
  g_assert_true (is_stored (second));
  g_assert_true (is_stored (new_picture));

  /* dee clears hers and the group is dismissed: nothing shows the first avatar or the picture. */
  {
    g_autoptr (TimchatTestClient) cid = timchat_test_connect (fixture, "cid");
    g_autoptr (TimchatTestClient) dee = timchat_test_connect (fixture, "dee");
    g_autofree char *destroy = g_strdup_printf ("{\"GroupId\":\"%s\"}", group_id);
    g_autoptr (JsonObject) destroyed =
        timchat_test_request_ok (cid, "group_open_http_svc.destroy_group", destroy);

    g_assert_cmpint (timchat_test_json_get_int (destroyed, "ErrorCode"), ==, 0);
    set_avatar (dee, "");
  }
  restart_three_days_later ();
  g_assert_true (removed_by_sweep (first));
  g_assert_true (removed_by_sweep (new_picture));
  g_assert_true (is_stored (second));
}

/* admin_getroammsg's page n + 1 of rm-ann's history with rm-ben, after key (NULL: page 1). */
static JsonObject *
roam_page (gint64 max_time, const char *key)
{
  g_autofree char *body =
      g_strdup_printf ("{\"Operator_Account\":\"rm-ann\",\"Peer_Account\":\"rm-ben\",\"MaxCnt\":2,"
                       "\"MinTime\":0,\"MaxTime\":%" G_GINT64_FORMAT ",\"LastMsgKey\":\"%s\"}",
                       max_time, key != NULL ? key : "");

  return timchat_test_rest (fixture, "openim/admin_getroammsg", body, NULL);
}

/* REST history paged across a sweep that took the message ending the previous page: the next
 * page goes on from it (here nothing older is left: an empty, complete page), neither refused
 * with 90054 "LastMsgKey names no message", which left the caller no way to read on, nor
 * repeating or skipping anything retention kept. */
static void
test_roam_paging_across_sweep (void)
{
  g_autofree char *path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 expiring = now - 86400 + 3; /* past retention (one day) in 3 s */
  g_autofree char *rows = g_strdup_printf (
      "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4) "
      "INSERT INTO messages (conv_type, conv_key, seq, kind, from_user, to_id, client_seq, "
      "random, time, client_time, priority, body) "
      "SELECT 1, 'rm-ann' || char (10) || 'rm-ben', i, 0, 'rm-ann', 'rm-ben', i, i, "
      "CASE i WHEN 4 THEN %" G_GINT64_FORMAT " ELSE %" G_GINT64_FORMAT " END, 0, 2, "
      "'[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"t\"}}]' FROM n",
      now, expiring);
  g_autofree char *key = NULL;
  g_autoptr (JsonObject) first = NULL, next = NULL;
  gint64 left = -1;
  sqlite3 *db = NULL;

  timchat_test_import_account (fixture, "rm-ann", NULL);
  timchat_test_import_account (fixture, "rm-ben", NULL);
  timchat_fixture_stop (fixture);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, rows, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  timchat_fixture_restart (fixture);

  first = roam_page (now + 3600, NULL);
  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (first, "MsgCnt"), ==, 2);
  g_assert_cmpint (timchat_test_json_get_int (first, "Complete"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (first, "MsgList.1.MsgSeq"), ==, 3);
  key = g_strdup (timchat_test_json_get_string (first, "LastMsgKey"));

  /* Past retention now: the start's sweep takes the three older ones, the page's last with them. */
  while (g_get_real_time () / G_USEC_PER_SEC <= expiring + 86400)
    g_usleep (100 * 1000);
  timchat_fixture_restart (fixture);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint tries = 0; tries < 100 && left != 1; tries++)
    {
      left = count_rows (db, "SELECT count(*) FROM messages WHERE from_user = 'rm-ann'");
      if (left != 1)
        g_usleep (50 * 1000);
    }
  sqlite3_close (db);
  g_assert_cmpint (left, ==, 1);

  next = roam_page (timchat_test_json_get_int (first, "LastMsgTime"), key);
  g_test_message ("%s", timchat_test_json_get_string (next, "ErrorInfo"));
  g_assert_cmpint (timchat_test_json_get_int (next, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (next, "MsgCnt"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (next, "Complete"), ==, 1);
  /* A key no message ever had, within retention, is still refused. */
  g_clear_pointer (&next, json_object_unref);
  next = roam_page (now + 3600, "7_7_2147483647");
  g_assert_cmpint (timchat_test_json_get_int (next, "ErrorCode"), ==, 90054);
}

int
main (int argc, char **argv)
{
  const char *const conf[] = { "limits/retention_days=1", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server/retention/sweep-removes-old-rows", test_sweep_removes_old_rows);
  g_test_add_func ("/server/retention/sweep-removes-old-uploads", test_sweep_removes_old_uploads);
  g_test_add_func ("/server/retention/avatar-kept-while-shown", test_avatar_kept_while_shown);
  g_test_add_func ("/server/retention/cookie-after-sweep-took-every-event",
                   test_cookie_after_sweep_took_every_event);
  g_test_add_func ("/server/retention/message-ids-after-sweep-took-every-message",
                   test_message_ids_after_sweep_took_every_message);
  g_test_add_func ("/server/retention/roam-paging-across-sweep", test_roam_paging_across_sweep);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
