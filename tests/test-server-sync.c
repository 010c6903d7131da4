/* test-server-sync.c: a device that was offline catches up through openim.getmsg and its
 * Cookie: messages, recalls and read marks, and unread counts; read receipts reach the sender. */
#define G_LOG_DOMAIN "test-server-sync"

#include "config.h"

#include <glib/gstdio.h>

#include "tim-error.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;

static JsonObject *
getmsg (TimchatTestClient *c, const char *cookie)
{
  return timchat_test_client_request_printf (c, "openim.getmsg",
                                             "{\"Cookie\":\"%s\",\"SyncFlag\":0,\"NeedAbstract\":1,"
                                             "\"IsOnlineSync\":0,\"NeedSignaling\":1}",
                                             cookie);
}

static gboolean
event_array_has (JsonObject *reply, const char *item_key)
{
  JsonArray *events = timchat_test_json_get_array (reply, "EventArray");

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonArray *items = json_object_has_member (event, "C2cNotifyMsgArray")
                             ? json_object_get_array_member (event, "C2cNotifyMsgArray")
                             : NULL;

      if (items != NULL &&
          json_object_has_member (json_array_get_object_element (items, 0), item_key))
        return TRUE;
    }
  return FALSE;
}

static void
test_offline_catch_up (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (JsonObject) first_sync = getmsg (bob, "");
  g_autofree char *cookie = g_strdup (timchat_test_json_get_string (first_sync, "Cookie"));
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) caught_up = NULL;
  g_autoptr (JsonObject) nothing_new = NULL;
  g_autoptr (TimchatTestClient) bob_again = NULL;
  JsonArray *list;

  g_assert_nonnull (cookie);
  g_assert_cmpstr (cookie, !=, "");
  g_assert_cmpint (timchat_test_json_get_int (first_sync, "SyncFlag"), ==, 2);
  timchat_test_client_close (bob, 1000);
  g_clear_pointer (&bob, timchat_test_client_free);

  /* While bob is away: three messages, one recalled. */
  json_object_unref (timchat_test_send_text (alice, "bob", "one", 1, 101));
  json_object_unref (timchat_test_send_text (alice, "bob", "two", 2, 102));
  sent = timchat_test_send_text (alice, "bob", "three", 3, 103);
  json_object_unref (
      timchat_test_client_request_printf (alice, "openim.msgwithdraw",
                                          "{\"MsgInfo\":{\"From_Account\":\"alice\",\"To_Account\":"
                                          "\"bob\",\"MsgSeq\":3,\"MsgRandom\":103,"
                                          "\"MsgTimeStamp\":%" G_GINT64_FORMAT "}}",
                                          timchat_test_json_get_int (sent, "MsgTime")));

  bob_again = timchat_test_connect (fixture, "bob");
  caught_up = getmsg (bob_again, cookie);
  g_assert_cmpint (timchat_test_json_get_int (caught_up, "ErrorCode"), ==, 0);
  list = timchat_test_json_get_array (caught_up, "MsgList");
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  g_assert_cmpstr (timchat_test_json_get_string (caught_up, "MsgList.0.MsgBody.0.MsgContent.Text"),
                   ==, "one");
  /* The recalled one is a flagged placeholder: what it said is gone. */
  g_assert_cmpint (timchat_test_json_get_int (caught_up, "MsgList.2.MsgSeq"), ==, 3);
  g_assert_cmpint (timchat_test_json_get_int (caught_up, "MsgList.2.MsgFlagBits"), ==, 8);
  g_assert_cmpstr (timchat_test_json_get_string (caught_up, "MsgList.2.MsgBody.0.MsgContent.Text"),
                   ==, "");
  g_assert_true (event_array_has (caught_up, "WithdrawC2cMsgNotify"));
  /* Unread: two (the recalled one no longer counts). */
  g_assert_cmpstr (timchat_test_json_get_string (caught_up, "C2CPairUnreadCount.0.From_Account"),
                   ==, "alice");
  g_assert_cmpint (timchat_test_json_get_int (caught_up, "C2CPairUnreadCount.0.UnreadCount"), ==,
                   2);

  /* The new cookie has nothing more. */
  nothing_new = getmsg (bob_again, timchat_test_json_get_string (caught_up, "Cookie"));
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (nothing_new, "MsgList")),
                    ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (nothing_new, "SyncFlag"), ==, 2);
}

static void
test_read_receipts_and_read_sync (void)
{
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "dave");
  g_autoptr (TimchatTestClient) dave_tablet = timchat_test_connect (fixture, "dave");
  g_autoptr (JsonObject) tablet_cookie = getmsg (dave_tablet, "");
  g_autoptr (JsonObject) sent = timchat_test_send_text (carol, "dave", "read me", 5, 55);
  gint64 time = timchat_test_json_get_int (sent, "MsgTime");
  g_autoptr (JsonObject) before = getmsg (dave, "");
  g_autoptr (JsonObject) readed = NULL;
  g_autoptr (JsonObject) receipt = NULL;
  g_autoptr (JsonObject) read_sync = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) replay = NULL;
  JsonObject *item;

  g_assert_cmpint (timchat_test_json_get_int (before, "C2CPairUnreadCount.0.UnreadCount"), ==, 1);
  readed = timchat_test_client_request_printf (
      dave, "openim.msgreaded",
      "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":[{\"To_Account\":\"carol\","
      "\"LastedMsgTime\":%" G_GINT64_FORMAT ",\"Receipt\":1}]}}",
      time);
  g_assert_cmpint (timchat_test_json_get_int (readed, "ErrorCode"), ==, 0);

  receipt = timchat_test_wait_event (carol, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (receipt);
  item = timchat_test_push_item (receipt, "C2cNotifyMsgArray");
  g_assert_cmpstr (timchat_test_json_get_string (item, "C2cReadedReceipt.To_Account"), ==, "dave");
  g_assert_cmpint (
      timchat_test_json_get_int (item, "C2cReadedReceipt.UinPairReadArray.0.LastReadTime"), ==,
      time);

  read_sync = timchat_test_wait_event (dave_tablet, "C2cNotifyMsgArray", 3000);
  g_assert_nonnull (read_sync);
  item = timchat_test_push_item (read_sync, "C2cNotifyMsgArray");
  g_assert_cmpstr (
      timchat_test_json_get_string (item, "ReadC2cMsgNotify.UinPairReadArray.0.From_Account"), ==,
      "carol");

  after = getmsg (dave, "");
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (after, "C2CPairUnreadCount")), ==, 0);
  /* A device that syncs later from its cookie learns the read mark too. */
  replay = getmsg (dave_tablet, timchat_test_json_get_string (tablet_cookie, "Cookie"));
  g_assert_true (event_array_has (replay, "ReadC2cMsgNotify"));
}

/* A message that came while a device was away, in a conversation the user deleted from their list
 * after it (on another device), is not replayed to that device: it went with the conversation, as
 * it did from the devices online then (replayed, it brought the conversation back there). One
 * that came after the deletion is replayed, and the history keeps both. */
static void
test_deleted_conversation_not_replayed (void)
{
  g_autoptr (TimchatTestClient) kit = timchat_test_connect (fixture, "dc-kit");
  g_autoptr (TimchatTestClient) lou = timchat_test_connect (fixture, "dc-lou");
  g_autoptr (JsonObject) first_sync = getmsg (lou, "");
  g_autofree char *cookie = g_strdup (timchat_test_json_get_string (first_sync, "Cookie"));
  g_autoptr (JsonObject) deleted = NULL;
  g_autoptr (JsonObject) caught_up = NULL;
  g_autoptr (JsonObject) back = NULL;
  g_autoptr (JsonObject) history = NULL;

  json_object_unref (timchat_test_send_text (kit, "dc-lou", "before", 1, 1));
  json_object_unref (timchat_test_send_text (lou, "dc-kit", "mine", 1, 2));
  deleted = timchat_test_client_request_json (
      lou, "recentcontact.batch_delete",
      "{\"From_Account\":\"dc-lou\",\"ContactItem\":[{\"Type\":1,\"To_Account\":\"dc-kit\"}]}",
      NULL);
  g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);

  caught_up = getmsg (lou, cookie);
  g_assert_cmpint (timchat_test_json_get_int (caught_up, "ErrorCode"), ==, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (caught_up, "MsgList")), ==,
                    0);

  json_object_unref (timchat_test_send_text (kit, "dc-lou", "after", 2, 3));
  back = getmsg (lou, cookie);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (back, "MsgList")), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (back, "MsgList.0.MsgBody.0.MsgContent.Text"), ==,
                   "after");
  history = timchat_test_client_request_json (lou, "openim.getroammsg",
                                              "{\"Peer_Account\":\"dc-kit\",\"MaxCnt\":15}", NULL);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (history, "MsgList")), ==,
                    3);
}

/* A Cookie is one a reply gave ("EVENTID.MSGID", or an older server's bare "EVENTID"), or "" (or
 * none) on a fresh login. Anything else is refused with 10004 and a plain ErrorInfo: taken as a
 * position it replayed the whole log (a negative one), or as a fresh login it skipped what the
 * device missed. */
static void
test_bad_cookie (void)
{
  static const char *const bad[] = {
    "\"-1\"", "\"-5.3\"",  "\"abc\"", "\"5.x\"", "\"5.\"", "\".5\"",  "\"1.-2\"",  "\" 5\"",
    "\"5 \"", "\"5.3.1\"", "\"+5\"",  "5",       "-1",     "[\"5\"]", "{\"a\":1}", "null",
  };
  static const char *const good[] = { "\"\"", "\"0\"", "\"3\"", "\"3.4\"", "\"0.0\"" };
  g_autoptr (TimchatTestClient) ivy = timchat_test_connect (fixture, "ck-ivy");
  g_autoptr (JsonObject) fresh = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
          ivy, "openim.getmsg", "{\"Cookie\":%s,\"SyncFlag\":0}", bad[i]);

      g_test_message ("Cookie %s", bad[i]);
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==,
                       TIM_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (timchat_test_json_get_string (reply, "ErrorInfo"));
      g_assert_cmpstr (timchat_test_json_get_string (reply, "ErrorInfo"), !=, "");
      g_assert_null (timchat_test_json_get_string (reply, "Cookie"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
          ivy, "openim.getmsg", "{\"Cookie\":%s,\"SyncFlag\":0}", good[i]);

      g_test_message ("Cookie %s", good[i]);
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
      g_assert_nonnull (timchat_test_json_get_string (reply, "Cookie"));
    }
  fresh = timchat_test_client_request_json (ivy, "openim.getmsg", "{\"SyncFlag\":0}", NULL);
  g_assert_cmpint (timchat_test_json_get_int (fresh, "ErrorCode"), ==, 0);
}

static const char *const database_names[] = { "timchat.db", "timchat.db-wal", "timchat.db-shm" };

/* Copies the database's files (the server stopped) from one folder to another. */
static void
copy_database (const char *from_dir, const char *to_dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (database_names); i++)
    {
      g_autofree char *from = g_build_filename (from_dir, database_names[i], NULL);
      g_autofree char *to = g_build_filename (to_dir, database_names[i], NULL);
      g_autofree char *bytes = NULL;
      gsize length = 0;

      g_remove (to);
      if (g_file_get_contents (from, &bytes, &length, NULL))
        g_assert_true (g_file_set_contents (to, bytes, (gssize) length, NULL));
    }
}

/* The database restored from a backup: the ids after the backup's are handed out again, and a
 * device whose Cookie came from the lost log (past them) was handed nothing of what came after
 * the restore until the new ids passed its Cookie. It is handed the user's whole log now, what
 * came after the restore with it. */
static void
test_cookie_past_a_restored_log (void)
{
  const char *data_dir = timchat_fixture_get_data_dir (fixture);
  g_autofree char *backup = g_dir_make_tmp ("timchat-sync-backup-XXXXXX", NULL);
  g_autoptr (TimchatTestClient) al = NULL, bo = NULL;
  g_autoptr (JsonObject) first = NULL, lost = NULL, replayed = NULL;
  g_autofree char *lost_cookie = NULL;
  JsonArray *list;
  gboolean found = FALSE;

  bo = timchat_test_connect (fixture, "rb-bo");
  first = getmsg (bo, "");
  g_clear_pointer (&bo, timchat_test_client_free);
  timchat_fixture_stop (fixture);
  copy_database (data_dir, backup);
  timchat_fixture_restart (fixture);

  /* What the backup does not have: two messages, and bob's Cookie past them. */
  al = timchat_test_connect (fixture, "rb-al");
  bo = timchat_test_connect (fixture, "rb-bo");
  json_object_unref (timchat_test_send_text (al, "rb-bo", "lost one", 1, 301));
  json_object_unref (timchat_test_send_text (al, "rb-bo", "lost two", 2, 302));
  lost = getmsg (bo, timchat_test_json_get_string (first, "Cookie"));
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (lost, "MsgList")), ==, 2);
  lost_cookie = g_strdup (timchat_test_json_get_string (lost, "Cookie"));
  g_clear_pointer (&al, timchat_test_client_free);
  g_clear_pointer (&bo, timchat_test_client_free);

  timchat_fixture_stop (fixture);
  copy_database (backup, data_dir);
  timchat_fixture_restart (fixture);
  al = timchat_test_connect (fixture, "rb-al");
  json_object_unref (timchat_test_send_text (al, "rb-bo", "after the restore", 3, 303));
  bo = timchat_test_connect (fixture, "rb-bo");
  replayed = getmsg (bo, lost_cookie);
  g_assert_cmpint (timchat_test_json_get_int (replayed, "ErrorCode"), ==, 0);
  list = timchat_test_json_get_array (replayed, "MsgList");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *msg = json_array_get_object_element (list, i);

      found |= g_strcmp0 (timchat_test_json_get_string (msg, "MsgBody.0.MsgContent.Text"),
                          "after the restore") == 0;
    }
  g_assert_true (found);
  for (guint i = 0; i < G_N_ELEMENTS (database_names); i++)
    {
      g_autofree char *path = g_build_filename (backup, database_names[i], NULL);

      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (backup), ==, 0);
}

/* A device away while its user deleted for themselves a great many large messages (each near the
 * 12 KiB limit) on another device: each deletion's event names the messages it took, 30 at a
 * time, and a page of such events passed the 16 MiB that a client reads in one frame and that the
 * server lets wait for one socket (max_unsent_kb). That socket was closed at that page, every time
 * the device came back with the same Cookie: it could never sync past it. A page stops by size
 * now, not finished (SyncFlag 1), and the next Cookie goes on from there: every deletion is
 * handed over once. */
#define BIG_MESSAGES 1500
#define KEYS_A_DELETION 30

static void
test_large_page_cut_by_size (void)
{
  g_autoptr (TimchatTestClient) kim = timchat_test_connect (fixture, "big-kim");
  g_autoptr (TimchatTestClient) len = timchat_test_connect (fixture, "big-len");
  g_autoptr (TimchatTestClient) len_tablet = NULL;
  g_autoptr (JsonObject) first_sync = getmsg (len, "");
  g_autofree char *cookie = g_strdup (timchat_test_json_get_string (first_sync, "Cookie"));
  g_autofree char *text = g_strnfill (12200, 'x');
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint pages = 0;
  gint64 sync_flag = 1;

  timchat_test_client_close (len, 1000);
  g_clear_pointer (&len, timchat_test_client_free);
  for (gint64 i = 1; i <= BIG_MESSAGES; i++)
    {
      g_autoptr (JsonObject) sent = timchat_test_send_text (kim, "big-len", text, i, 7000 + i);

      g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
      g_ptr_array_add (keys,
                       g_strdup_printf ("\"%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT
                                        "_%" G_GINT64_FORMAT "\"",
                                        i, 7000 + i, timchat_test_json_get_int (sent, "MsgTime")));
    }
  len_tablet = timchat_test_connect (fixture, "big-len");
  for (guint i = 0; i < keys->len; i += KEYS_A_DELETION)
    {
      g_autoptr (GString) list = g_string_new (NULL);
      g_autoptr (JsonObject) deleted = NULL;

      for (guint k = i; k < i + KEYS_A_DELETION && k < keys->len; k++)
        g_string_append_printf (list, "%s%s", k > i ? "," : "", (char *) keys->pdata[k]);
      deleted = timchat_test_client_request_printf (
          len_tablet, "openim.delete_c2c_msg_ramble",
          "{\"To_Account\":\"big-kim\",\"MsgKeyList\":[%s]}", list->str);
      g_assert_cmpint (timchat_test_json_get_int (deleted, "ErrorCode"), ==, 0);
    }

  len = timchat_test_connect (fixture, "big-len");
  while (sync_flag == 1)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *body = g_strdup_printf ("{\"Cookie\":\"%s\",\"SyncFlag\":0}", cookie);
      g_autoptr (JsonObject) reply =
          timchat_test_client_request_json (len, "openim.getmsg", body, &error);
      JsonArray *events;

      g_assert_no_error (error);
      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
      g_assert_cmpuint (pages++, <, 200);
      /* Deleted before the device came back: none of them is handed over as a message. */
      g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (reply, "MsgList")), ==,
                        0);
      events = timchat_test_json_get_array (reply, "EventArray");
      for (guint e = 0; e < json_array_get_length (events); e++)
        {
          JsonObject *event = json_array_get_object_element (events, e);
          JsonArray *items = json_object_get_array_member (event, "C2cNotifyMsgArray");
          JsonObject *notify = json_array_get_object_element (items, 0);
          JsonArray *gone =
              timchat_test_json_get_array (notify, "TimchatMsgDeleteNotify.C2cMsgList");

          g_assert_nonnull (gone);
          for (guint m = 0; m < json_array_get_length (gone); m++)
            {
              gint64 seq =
                  timchat_test_json_get_int (json_array_get_object_element (gone, m), "MsgSeq");

              /* Nothing twice. */
              g_assert_false (g_hash_table_contains (seen, GINT_TO_POINTER (seq)));
              g_hash_table_add (seen, GINT_TO_POINTER (seq));
            }
        }
      g_free (cookie);
      cookie = g_strdup (timchat_test_json_get_string (reply, "Cookie"));
      sync_flag = timchat_test_json_get_int (reply, "SyncFlag");
    }
  g_test_message ("%u pages", pages);
  g_assert_cmpint (sync_flag, ==, 2);
  /* Nothing missed. */
  g_assert_cmpuint (g_hash_table_size (seen), ==, BIG_MESSAGES);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/sync/offline-catch-up", test_offline_catch_up);
  g_test_add_func ("/server/sync/read-receipts", test_read_receipts_and_read_sync);
  g_test_add_func ("/server/sync/deleted-conversation-not-replayed",
                   test_deleted_conversation_not_replayed);
  g_test_add_func ("/server/sync/bad-cookie", test_bad_cookie);
  g_test_add_func ("/server/sync/cookie-past-a-restored-log", test_cookie_past_a_restored_log);
  g_test_add_func ("/server/sync/large-page-cut-by-size", test_large_page_cut_by_size);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
