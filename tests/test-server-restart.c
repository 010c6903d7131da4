/* test-server-restart.c: durability. What was acknowledged survives a clean stop (SIGTERM) and a
 * crash (SIGKILL right after the acks); resends after a restart are still exactly-once; login
 * tickets, conversations and unread counts survive too. */
#define G_LOG_DOMAIN "test-server-restart"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "timchat-test-extra.h"

static TimchatFixture *fixture;

/* Every stored message with peer, oldest first, paging openim.getroammsg as the SDK does. */
static GPtrArray *
full_history (TimchatTestClient *c, const char *peer)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *cursor = g_strdup ("");
  gint64 last_time = 0;

  for (guint pages = 0; pages < 100; pages++)
    {
      g_autofree char *body = g_strdup_printf (
          "{\"Peer_Account\":\"%s\",\"MaxCnt\":15,\"LastMsgTime\":%" G_GINT64_FORMAT
          ",\"MsgKey\":\"%s\",\"WithRecalledMsg\":1,"
          "\"GetDirection\":0}",
          peer, last_time, cursor);
      g_autoptr (JsonObject) page = timchat_test_request_ok (c, "openim.getroammsg", body);
      JsonArray *list = timchat_test_json_get_array (page, "MsgList");

      g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
      g_assert_nonnull (list);
      g_assert_cmpuint (json_array_get_length (list), <=, 15);
      /* Each page is oldest-first and older than what we have: prepend it. */
      for (guint i = json_array_get_length (list); i > 0; i--)
        g_ptr_array_insert (all, 0, json_object_ref (json_array_get_object_element (list, i - 1)));
      if (timchat_test_json_get_int (page, "Complete") == 1)
        return all;
      g_assert_cmpuint (json_array_get_length (list), >, 0);
      g_free (cursor);
      cursor = g_strdup (timchat_test_json_get_string (page, "MsgKey"));
      g_assert_nonnull (cursor);
      last_time = timchat_test_json_get_int (page, "LastMsgTime");
    }
  g_assert_not_reached ();
}

static char *
frame_json (const char *servcmd, gint64 seq, const char *head_extra, const char *body)
{
  return g_strdup_printf ("{\"head\":{\"ver\":\"v4\",\"platform\":7,\"sdkappid\":%" G_GUINT64_FORMAT
                          ",\"servcmd\":\"%s\",\"seq\":%" G_GINT64_FORMAT "%s},\"body\":%s}",
                          timchat_fixture_get_sdkappid (fixture), servcmd, seq,
                          head_extra != NULL ? head_extra : "", body);
}

/* Tests ---------------------------------------------------------------------------------------- */

static void
test_history_survives_sigterm (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "r1-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "r1-bob");
  g_autoptr (TimchatTestClient) bob_after = NULL;
  g_autoptr (GPtrArray) history = NULL;
  gint64 times[20];

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("durable %u", i);
      g_autoptr (JsonObject) reply =
          timchat_test_send_text (alice, "r1-bob", text, 1000 + i, 7000 + i);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
      times[i] = timchat_test_json_get_int (reply, "MsgTime");
      g_assert_cmpint (times[i], >, 0);
    }

  /* Sockets still open: a clean stop closes them and exits 0 (asserted by the fixture). */
  timchat_fixture_stop (fixture);
  timchat_fixture_restart (fixture);
  /* The open sockets were told why: 1001 going away. */
  {
    gushort code = 0;

    g_assert_true (timchat_test_client_wait_closed (alice, 3000, &code, NULL));
    g_assert_cmpuint (code, ==, 1001);
    g_assert_true (timchat_test_client_wait_closed (bob, 3000, &code, NULL));
    g_assert_cmpuint (code, ==, 1001);
  }

  bob_after = timchat_test_connect (fixture, "r1-bob");
  history = full_history (bob_after, "r1-alice");
  g_assert_cmpuint (history->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      JsonObject *msg = history->pdata[i];
      g_autofree char *text = g_strdup_printf ("durable %u", i);

      g_assert_cmpstr (timchat_test_json_get_string (msg, "From_Account"), ==, "r1-alice");
      g_assert_cmpstr (timchat_test_json_get_string (msg, "To_Account"), ==, "r1-bob");
      g_assert_cmpint (timchat_test_json_get_int (msg, "MsgSeq"), ==, 1000 + i);
      g_assert_cmpint (timchat_test_json_get_int (msg, "MsgRandom"), ==, 7000 + i);
      g_assert_cmpint (timchat_test_json_get_int (msg, "MsgTimeStamp"), ==, times[i]);
      g_assert_cmpstr (timchat_test_json_get_string (msg, "MsgBody.0.MsgContent.Text"), ==, text);
    }
}

static void
test_acked_survives_sigkill (void)
{
  const guint n = 50;
  g_autoptr (GHashTable) acked = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (TimchatTestClient) bob = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  /* The recipient must exist before the sends. */
  timchat_test_client_free (timchat_test_connect (fixture, "r2-bob"));

  {
    g_autoptr (TimchatTestRawWs) ws = timchat_test_raw_ws_open (fixture, NULL);
    g_autofree char *usersig = timchat_fixture_usersig (fixture, "r2-alice", 86400);
    g_autofree char *auth =
        g_strdup_printf (",\"identifier\":\"r2-alice\",\"usersig\":\"%s\"", usersig);
    g_autofree char *login =
        frame_json ("im_open_status.wslogin", 1, auth, "{\"State\":\"Online\"}");
    g_autoptr (JsonObject) login_reply = NULL;
    guint answered = 0;

    timchat_test_raw_ws_send_json (ws, login);
    login_reply = timchat_test_raw_ws_read_json (ws);
    g_assert_cmpstr (timchat_test_json_get_string (login_reply, "head.servcmd"), ==,
                     "im_open_status.wslogin");
    g_assert_cmpint (timchat_test_json_get_int (login_reply, "body.ErrorCode"), ==, 0);

    /* All 50 on the wire before the first ack is read. */
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *body =
            g_strdup_printf ("{\"From_Account\":\"r2-alice\",\"To_Account\":\"r2-bob\","
                             "\"MsgSeq\":%u,\"MsgRandom\":%u,\"MsgBody\":[{\"MsgType\":"
                             "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"k%u\"}}]}",
                             2000 + i, 8000 + i, i);
        g_autofree char *json = frame_json ("openim.sendmsg", 100 + i, NULL, body);

        timchat_test_raw_ws_send_json (ws, json);
      }
    while (answered < n)
      {
        g_autoptr (JsonObject) frame = timchat_test_raw_ws_read_json (ws);
        gint64 seq;

        if (g_strcmp0 (timchat_test_json_get_string (frame, "head.servcmd"), "openim.sendmsg") != 0)
          continue;
        g_assert_cmpint (timchat_test_json_get_int (frame, "body.ErrorCode"), ==, 0);
        seq = timchat_test_json_get_int (frame, "body.MsgSeq");
        g_assert_cmpint (seq, >=, 2000);
        g_assert_cmpint (seq, <, 2000 + n);
        g_assert_cmpint (timchat_test_json_get_int (frame, "head.seq"), ==, 100 + (seq - 2000));
        g_assert_false (g_hash_table_contains (acked, GINT_TO_POINTER (seq)));
        g_hash_table_add (acked, GINT_TO_POINTER (seq));
        answered++;
      }
    /* Crash right after the last ack: no chance to flush anything more. */
    timchat_fixture_kill (fixture);
  }

  timchat_fixture_restart (fixture);
  bob = timchat_test_connect (fixture, "r2-bob");
  history = full_history (bob, "r2-alice");
  for (guint i = 0; i < history->len; i++)
    {
      gint64 seq = timchat_test_json_get_int (history->pdata[i], "MsgSeq");

      g_assert_false (g_hash_table_contains (seen, GINT_TO_POINTER (seq))); /* exactly once */
      g_assert_true (g_hash_table_contains (acked, GINT_TO_POINTER (seq)));
      g_assert_cmpint (timchat_test_json_get_int (history->pdata[i], "MsgRandom"), ==,
                       8000 + (seq - 2000));
      g_hash_table_add (seen, GINT_TO_POINTER (seq));
    }
  g_assert_cmpuint (history->len, ==, n);
}

static void
test_resend_after_restart (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "r3-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "r3-bob");
  g_autoptr (JsonObject) first = timchat_test_send_text (alice, "r3-bob", "only once", 3000, 9000);
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (TimchatTestClient) alice2 = NULL;
  g_autoptr (TimchatTestClient) bob2 = NULL;
  g_autoptr (GPtrArray) history = NULL;

  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  g_usleep (1100 * 1000); /* a resend must get the first MsgTime, not "now" */
  timchat_fixture_stop (fixture);
  timchat_fixture_restart (fixture);

  alice2 = timchat_test_connect (fixture, "r3-alice");
  bob2 = timchat_test_connect (fixture, "r3-bob");
  again = timchat_test_send_text (alice2, "r3-bob", "only once", 3000, 9000);
  g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (again, "MsgTime"), ==,
                   timchat_test_json_get_int (first, "MsgTime"));
  g_assert_cmpint (timchat_test_json_get_int (again, "MsgSeq"), ==, 3000);
  /* Not delivered a second time... */
  g_assert_null (timchat_test_wait_event (bob2, "C2cMsgArray", 500));
  /* ...and not stored twice. */
  history = full_history (bob2, "r3-alice");
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (timchat_test_json_get_int (history->pdata[0], "MsgTimeStamp"), ==,
                   timchat_test_json_get_int (first, "MsgTime"));
}

static void
test_a2_ticket_survives (void)
{
  g_autoptr (TimchatTestClient) before = timchat_test_connect (fixture, "r4-alice");
  g_autofree char *a2 = g_strdup (timchat_test_client_get_a2 (before));
  g_autofree char *tinyid = g_strdup (timchat_test_client_get_tinyid (before));
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatTestClient) relogin = NULL;
  g_autoptr (TimchatTestClient) resume = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) bogus_reply = NULL;

  g_assert_nonnull (a2);
  g_assert_nonnull (tinyid);
  timchat_test_client_free (timchat_test_connect (fixture, "r4-bob"));
  timchat_fixture_stop (fixture);
  timchat_fixture_restart (fixture);

  /* The SDK's reconnect: wslogin with a2 + tinyid in the head and no usersig. */
  relogin = timchat_test_client_new (fixture, NULL, &error);
  g_assert_no_error (error);
  timchat_test_client_set_auth (relogin, a2, tinyid);
  reply = timchat_test_request_ok (relogin, "im_open_status.wslogin",
                                   "{\"State\":\"Online\",\"is_web_uniapp\":0,\"InstType\":0}");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "A2Key"), ==, a2);
  g_assert_cmpint (timchat_test_json_get_int (reply, "TinyId"), ==,
                   g_ascii_strtoll (tinyid, NULL, 10));
  sent = timchat_test_send_text (relogin, "r4-bob", "back again", 4000, 4000);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);

  /* A request with the old ticket and no wslogin at all is served too. */
  resume = timchat_test_client_new (fixture, NULL, &error);
  g_assert_no_error (error);
  timchat_test_client_set_auth (resume, a2, tinyid);
  g_clear_pointer (&sent, json_object_unref);
  sent = timchat_test_request_ok (resume, "openim.getroammsg",
                                  "{\"Peer_Account\":\"r4-bob\",\"MaxCnt\":15,\"MsgKey\":\"\"}");
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (sent, "MsgList")), ==, 1);

  /* A ticket the server never issued is still refused after the restart. */
  timchat_test_client_set_auth (resume, "ffffffffffffffffffffffffffffffff", tinyid);
  bogus_reply =
      timchat_test_request_ok (resume, "im_open_status.wslogin", "{\"State\":\"Online\"}");
  g_assert_cmpint (timchat_test_json_get_int (bogus_reply, "ErrorCode"), !=, 0);
}

static gint64
unread_from (JsonObject *getmsg, const char *peer)
{
  JsonArray *list = timchat_test_json_get_array (getmsg, "C2CPairUnreadCount");

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);

      if (g_strcmp0 (timchat_test_json_get_string (item, "From_Account"), peer) == 0)
        return timchat_test_json_get_int (item, "UnreadCount");
    }
  return 0;
}

static char *
describe_sessions (JsonObject *page)
{
  JsonArray *items = timchat_test_json_get_array (page, "SessionItem");
  GString *out = g_string_new (NULL);

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_string_append_printf (
          out, "%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s|%s;",
          timchat_test_json_get_string (item, "To_Account"),
          timchat_test_json_get_int (item, "Type"), timchat_test_json_get_int (item, "MsgTime"),
          timchat_test_json_get_int (item, "MsgRandom"),
          timchat_test_json_get_string (item, "LastC2CMsgFromAccount"),
          timchat_test_json_get_string (item, "LastMsg.MsgBody.0.MsgContent.Text"));
    }
  return g_string_free (out, FALSE);
}

static void
test_conversations_and_unread_survive (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "r5-bob");
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "r5-alice");
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "r5-carol");
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "r5-dave");
  g_autoptr (JsonObject) page_before = NULL;
  g_autoptr (JsonObject) sync_before = NULL;
  g_autoptr (JsonObject) page_after = NULL;
  g_autoptr (JsonObject) sync_after = NULL;
  g_autoptr (JsonObject) readed = NULL;
  g_autoptr (TimchatTestClient) bob_after = NULL;
  g_autofree char *sessions_before = NULL;
  g_autofree char *sessions_after = NULL;
  gint64 dave_time = 0;

  for (guint i = 0; i < 3; i++)
    json_object_unref (timchat_test_send_text (alice, "r5-bob", "from alice", 5000 + i, 5000 + i));
  for (guint i = 0; i < 2; i++)
    json_object_unref (timchat_test_send_text (carol, "r5-bob", "from carol", 5100 + i, 5100 + i));
  {
    g_autoptr (JsonObject) r = timchat_test_send_text (dave, "r5-bob", "from dave", 5200, 5200);
    dave_time = timchat_test_json_get_int (r, "MsgTime");
  }
  /* bob reads dave's conversation. */
  {
    g_autofree char *body = g_strdup_printf (
        "{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":"
        "[{\"To_Account\":\"r5-dave\",\"LastedMsgTime\":%" G_GINT64_FORMAT ",\"Receipt\":1}]}}",
        dave_time);
    readed = timchat_test_request_ok (bob, "openim.msgreaded", body);
    g_assert_cmpint (timchat_test_json_get_int (readed, "ErrorCode"), ==, 0);
  }

  page_before = timchat_test_request_ok (bob, "recentcontact.page_get",
                                         "{\"From_Account\":\"r5-bob\",\"StartIndex\":0}");
  sync_before = timchat_test_request_ok (bob, "openim.getmsg",
                                         "{\"Cookie\":\"\",\"SyncFlag\":0,\"NeedAbstract\":1}");
  sessions_before = describe_sessions (page_before);
  g_test_message ("before: %s", sessions_before);
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (page_before, "SessionItem")), ==, 3);
  g_assert_cmpint (unread_from (sync_before, "r5-alice"), ==, 3);
  g_assert_cmpint (unread_from (sync_before, "r5-carol"), ==, 2);
  g_assert_cmpint (unread_from (sync_before, "r5-dave"), ==, 0);

  timchat_fixture_stop (fixture);
  timchat_fixture_restart (fixture);

  bob_after = timchat_test_connect (fixture, "r5-bob");
  page_after = timchat_test_request_ok (bob_after, "recentcontact.page_get",
                                        "{\"From_Account\":\"r5-bob\",\"StartIndex\":0}");
  sync_after = timchat_test_request_ok (bob_after, "openim.getmsg",
                                        "{\"Cookie\":\"\",\"SyncFlag\":0,\"NeedAbstract\":1}");
  sessions_after = describe_sessions (page_after);
  g_test_message ("after: %s", sessions_after);
  g_assert_cmpint (timchat_test_json_get_int (page_after, "CompleteFlag"), ==, 1);
  /* Same conversations, same order, same last messages. */
  g_assert_cmpstr (sessions_after, ==, sessions_before);
  g_assert_cmpint (unread_from (sync_after, "r5-alice"), ==, 3);
  g_assert_cmpint (unread_from (sync_after, "r5-carol"), ==, 2);
  g_assert_cmpint (unread_from (sync_after, "r5-dave"), ==, 0);
  g_assert_nonnull (timchat_test_json_get_string (sync_after, "Cookie"));
  g_assert_cmpstr (timchat_test_json_get_string (sync_after, "Cookie"), !=, "");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/restart/history-survives-sigterm", test_history_survives_sigterm);
  g_test_add_func ("/server/restart/acked-survives-sigkill", test_acked_survives_sigkill);
  g_test_add_func ("/server/restart/resend-after-restart", test_resend_after_restart);
  g_test_add_func ("/server/restart/a2-ticket-survives", test_a2_ticket_survives);
  g_test_add_func ("/server/restart/conversations-and-unread-survive",
                   test_conversations_and_unread_survive);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
