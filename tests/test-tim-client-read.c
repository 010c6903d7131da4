/* test-tim-client-read.c: TimClient's read state against the real server: reading everything
 * at once, another device reading a group or a C2C conversation up to a point, and messages that
 * arrive while a read report is on its way. Split from test-tim-client.c (the client's seed calls
 * and signals, by theme) to keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-tim-client-read"

#include "config.h"

#include <sqlite3.h>

#include "test-tim-client-common.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

/* The user's other device (here the wire itself, as the official SDK reads) reads a group up to a
 * sequence, and a message after it has come meanwhile: this device, told of the read, keeps that
 * one unread, as the server counts it and the user's next device lists it. Before, any read
 * notice of the group zeroed the count here, and the message came back unread at the next
 * login. */
static void
test_group_read_up_to (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  const char *members[] = { "ru-pia", NULL };
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, "ru-ola");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "ru-pia");
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (TimchatTestPeer) other = timchat_test_peer_new (fixture, "ru-pia");
  g_autofree char *group_id = tim_test_create_group (ola, "Reads", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *body = NULL;
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) two = NULL;

  {
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (ola, group_id, TIM_CONV_GROUP, "one");

    g_object_unref (tim_test_send_and_receive (ola, pia, sent));
  }
  tim_client_set_message_read_async (pia, group, NULL, tim_test_keep_result, &read);
  g_assert_true (tim_client_set_message_read_finish (pia, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (ola, group_id, TIM_CONV_GROUP, i == 0 ? "two" : "three");
      g_autoptr (TimMessage) got = tim_test_send_and_receive (ola, pia, sent);

      if (i == 0)
        two = g_steal_pointer (&got);
    }
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 2);

  body = g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgReadedSeq\":%" G_GINT64_FORMAT "}", group_id,
                          tim_message_get_server_seq (two));
  timchat_test_group_request_code (other, "msg_read_report", body, 0);
  /* A question and its answer: pia has read what the server sent before. */
  tim_test_user_status (pia, "ru-ola");
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 1);
  laptop = tim_test_client_new (fixture, laptop_dir, "ru-pia");
  g_assert_cmpuint (tim_test_unread_of (laptop, group), ==, 1);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* The user's other device (here the wire itself) reads a C2C conversation up to a time, and a
 * message of a later second has come meanwhile: the server reads up to the newest message at or
 * before that time, and its read notice (ReadC2cMsgNotify) says the time, so this device keeps
 * the later one unread, as the server counts it and the user's next device lists it. Before, the
 * notice read the whole conversation here. */
static void
test_c2c_read_up_to (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, "rt-ola");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "rt-pia");
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (TimchatTestPeer) other = timchat_test_peer_new (fixture, "rt-pia");
  g_autoptr (TimMessage) sent = tim_client_create_text_message (ola, "rt-pia", TIM_CONV_C2C, "one");
  g_autoptr (TimMessage) one = tim_test_send_and_receive (ola, pia, sent);
  g_autoptr (JsonObject) reply = NULL;
  g_autofree char *body = NULL;

  /* The read is up to a time in whole seconds: the next message comes a second later. */
  while (g_get_real_time () / G_USEC_PER_SEC <= tim_message_get_time (one))
    g_usleep (50 * 1000);
  {
    g_autoptr (TimMessage) two =
        tim_client_create_text_message (ola, "rt-pia", TIM_CONV_C2C, "two");

    g_object_unref (tim_test_send_and_receive (ola, pia, two));
  }
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Crt-ola"), ==, 2);

  body =
      g_strdup_printf ("{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":[{\"To_Account\":"
                       "\"rt-ola\",\"LastedMsgTime\":%" G_GINT64_FORMAT ",\"Receipt\":1}]}}",
                       tim_message_get_time (one));
  reply = timchat_test_request_ok (other->c, "openim.msgreaded", body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  /* A question and its answer: pia has read what the server sent before. */
  tim_test_user_status (pia, "rt-ola");
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Crt-ola"), ==, 1);
  laptop = tim_test_client_new (fixture, laptop_dir, "rt-pia");
  g_assert_cmpuint (tim_test_unread_of (laptop, "C2Crt-ola"), ==, 1);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* A message reaches this device between its read report and the report's answer: the report
 * read up to what the device knew when it sent it (a group's MsgReadedSeq, a C2C conversation's
 * LastedMsgTime), so the server keeps that message unread, and so must this device, as the user's
 * next device does. Before, the answer zeroed the count here, and the message came back unread at
 * the next login. The sender runs on a main context of its own, so that the message is on this
 * device's socket, not yet read, when the report goes. */
static void
read_while_one_arrives (TimConvType type, const char *sender, const char *reader)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  const char *members[] = { reader, NULL };
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, sender);
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, reader);
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autofree char *group_id =
      type == TIM_CONV_GROUP ? tim_test_create_group (ola, "Reads meanwhile", members) : NULL;
  g_autofree char *conversation_id = type == TIM_CONV_GROUP ? g_strconcat ("GROUP", group_id, NULL)
                                                            : g_strconcat ("C2C", sender, NULL);
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (ola, type == TIM_CONV_GROUP ? group_id : reader, type, "one");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (ola, pia, sent);
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;
  TimchatTestPeer *other;

  /* A C2C report reads up to a time in whole seconds: the next message comes a second later. */
  while (g_get_real_time () / G_USEC_PER_SEC <= tim_message_get_time (got))
    g_usleep (50 * 1000);
  g_main_context_push_thread_default (context);
  other = timchat_test_peer_new (fixture, sender);
  if (type == TIM_CONV_GROUP)
    timchat_test_group_send_code (other, group_id, 4242, 0);
  else
    timchat_test_send_ok (other->c, reader);
  timchat_test_peer_free (other);
  g_main_context_pop_thread_default (context);
  g_usleep (300 * 1000); /* the message reaches pia's socket */

  tim_client_set_message_read_async (pia, conversation_id, NULL, tim_test_keep_result, &read);
  g_assert_true (tim_client_set_message_read_finish (pia, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  tim_test_user_status (pia, sender);
  laptop = tim_test_client_new (fixture, laptop_dir, reader);
  g_assert_cmpuint (tim_test_unread_of (laptop, conversation_id), ==, 1);
  g_assert_cmpuint (tim_test_unread_of (pia, conversation_id), ==, 1);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

static void
test_group_read_while_one_arrives (void)
{
  read_while_one_arrives (TIM_CONV_GROUP, "rg-ola", "rg-pia");
}

static void
test_c2c_read_while_one_arrives (void)
{
  read_while_one_arrives (TIM_CONV_C2C, "rm-ola", "rm-pia");
}

/* setAllMessageRead while messages arrive, the sender on a main context of its own as above: the
 * server reads each group up to the sequence this device sent (its reply's LastReadMsgSeq), so a
 * group message that came meanwhile stays unread; it reads every C2C conversation up to its
 * newest message when it takes the request, so what came meanwhile is read, a conversation that
 * had nothing unread when the request went too. This device and the user's next one agree with
 * it. Before, the reply zeroed every group asked for, and left unread a C2C conversation that was
 * not unread when the request went. */
static void
test_read_all_while_some_arrive (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  const char *members[] = { "ra-pia", NULL };
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, "ra-ola");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "ra-pia");
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autofree char *group_id = tim_test_create_group (ola, "Read all meanwhile", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;
  TimchatTestPeer *other;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (TimMessage) sent =
          i == 0 ? tim_client_create_text_message (ola, group_id, TIM_CONV_GROUP, "one")
                 : tim_client_create_text_message (ola, "ra-pia", TIM_CONV_C2C, "one");

      g_object_unref (tim_test_send_and_receive (ola, pia, sent));
    }
  g_main_context_push_thread_default (context);
  other = timchat_test_peer_new (fixture, "ra-ola");
  timchat_test_group_send_code (other, group_id, 4343, 0);
  timchat_test_send_ok (other->c, "ra-pia");
  timchat_test_peer_free (other);
  other = timchat_test_peer_new (fixture, "ra-qia");
  timchat_test_send_ok (other->c, "ra-pia");
  timchat_test_peer_free (other);
  g_main_context_pop_thread_default (context);
  g_usleep (300 * 1000); /* the messages reach pia's socket */

  tim_client_set_all_message_read_async (pia, NULL, tim_test_keep_result, &read);
  g_assert_true (
      tim_client_set_all_message_read_finish (pia, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  tim_test_user_status (pia, "ra-ola");
  laptop = tim_test_client_new (fixture, laptop_dir, "ra-pia");
  g_assert_cmpuint (tim_test_unread_of (laptop, group), ==, 1);
  g_assert_cmpuint (tim_test_unread_of (laptop, "C2Cra-ola"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (laptop, "C2Cra-qia"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 1);
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Cra-ola"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Cra-qia"), ==, 0);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

static gboolean
has_unread (gpointer data)
{
  TimConversation *conversation = listed_conversation (data);

  return conversation != NULL && tim_conversation_get_unread_count (conversation) > 0;
}

/* The group's message is in (its tips may come first, and count as unread too). */
static gboolean
group_message_in (gpointer data)
{
  TimConversation *conversation = listed_conversation (data);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), "hi all") == 0;
}

/* setAllMessageRead: a C2C conversation, a group and the Group Notices read in one call, here
 * and on the server (a device that logs in after), and the peer told. */
static void
test_read_all (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "read-all-phone", NULL);
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "xia");
  g_autoptr (TimClient) wes_phone = NULL;
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) hello = tim_client_create_text_message (xia, "wes", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) to_group = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *wes_only[] = { "wes", NULL };
  g_autofree char *group_id = tim_test_create_group (xia, "Readers", wes_only);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);

  tim_test_collect (xia, "message-read-by-peer", read_by_peer);
  to_group = tim_client_create_text_message (xia, group_id, TIM_CONV_GROUP, "hi all");
  g_assert_true (tim_test_send (xia, hello, &error));
  g_assert_true (tim_test_send (xia, to_group, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ wes, "C2Cxia" }, 5000));
  g_assert_true (tim_test_wait_until (group_message_in, &(Listed){ wes, group }, 5000));
  g_assert_true (tim_test_wait_until (has_unread, &(Listed){ wes, "@TIM#SYSTEM" }, 5000));
  g_assert_cmpuint (tim_test_unread_of (wes, "C2Cxia"), ==, 1);

  tim_client_set_all_message_read_async (wes, NULL, tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_all_message_read_finish (wes, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tim_test_unread_of (wes, "C2Cxia"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (wes, group), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (wes, "@TIM#SYSTEM"), ==, 0);
  g_assert_cmpuint (tim_conversation_list_get_total_unread (tim_client_get_conversations (wes)), ==,
                    0);
  g_assert_true (tim_test_wait_count (read_by_peer, 1, 5000));
  g_assert_true (tim_message_get_is_peer_read (hello));

  wes_phone = tim_test_client_new (fixture, phone_dir, "wes");
  g_assert_cmpuint (tim_test_unread_of (wes_phone, "C2Cxia"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (wes_phone, group), ==, 0);
}

static gint64
count_server_rows (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

/* A device away longer than the server keeps its sync events (limits/retention_days) missed the
 * read its user made on another device meanwhile: no event replays it. The sync's
 * C2CPairUnreadCount still says what is unread, by leaving the conversation out: nothing. The
 * count this device had before it went away stayed (a badge nothing would take away but reading
 * the conversation again here), as only the conversations the reply names took the server's. */
static void
test_read_elsewhere_past_retention (void)
{
  const char *const conf[] = { "limits/retention_days=1", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autofree char *path = g_build_filename (timchat_fixture_get_data_dir (f), "timchat.db", NULL);
  g_autofree char *here = tim_test_make_dir ();
  g_autofree char *elsewhere = tim_test_make_dir ();
  gint64 old = g_get_real_time () / G_USEC_PER_SEC - 3 * 86400;
  g_autofree char *backdate = g_strdup_printf ("UPDATE messages SET time = %" G_GINT64_FORMAT
                                               "; UPDATE events SET created = %" G_GINT64_FORMAT,
                                               old, old);
  g_autoptr (TimClient) amy = NULL;
  TimTestLastText back = { NULL, "C2Crw-ben", "back" };
  gint64 left = -1;
  sqlite3 *db = NULL;

  {
    g_autoptr (TimClient) ben = tim_test_client_new (f, here, "rw-ben");
    g_autoptr (TimClient) amy_elsewhere = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;
    TimTestLastText came = { NULL, "C2Crw-ben", "away 002" };

    amy = tim_test_client_new (f, here, "rw-amy");
    came.client = amy;
    tim_test_send_texts (ben, "rw-amy", 2, "away");
    g_assert_true (tim_test_wait_until (tim_test_last_text_is, &came, 10000));
    g_assert_cmpuint (tim_test_unread_of (amy, "C2Crw-ben"), ==, 2);
    /* This device goes away; the other one reads the conversation. */
    tim_client_logout (amy);
    amy_elsewhere = tim_test_client_new (f, elsewhere, "rw-amy");
    tim_client_set_message_read_async (amy_elsewhere, "C2Crw-ben", NULL, tim_test_keep_result,
                                       &result);
    g_assert_true (
        tim_client_set_message_read_finish (amy_elsewhere, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tim_test_unread_of (amy_elsewhere, "C2Crw-ben"), ==, 0);
  }

  /* Days pass: the sweep takes the messages and the sync events, the read's too. */
  timchat_fixture_stop (f);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, backdate, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  timchat_fixture_restart (f);
  for (guint tries = 0; tries < 100 && left != 0; tries++)
    {
      left = count_server_rows (path, "SELECT count(*) FROM events");
      if (left != 0)
        g_usleep (50 * 1000);
    }
  g_assert_cmpint (left, ==, 0);

  /* The user writes to ben from the other device: the conversation is listed, nothing unread. */
  {
    g_autoptr (TimClient) amy_elsewhere = tim_test_client_new (f, elsewhere, "rw-amy");

    tim_test_send_text (amy_elsewhere, "rw-ben", "back");
  }
  /* What the server counts unread there. */
  {
    g_autoptr (JsonObject) counted =
        timchat_test_rest (f, "openim/get_c2c_unread_msg_num",
                           "{\"To_Account\":\"rw-amy\",\"Peer_Account\":[\"rw-ben\"]}", NULL);

    g_assert_cmpstr (timchat_test_json_get_string (counted, "C2CUnreadMsgNumList.0.Peer_Account"),
                     ==, "rw-ben");
    g_assert_cmpint (timchat_test_json_get_int (counted, "C2CUnreadMsgNumList.0.C2CUnreadMsgNum"),
                     ==, 0);
  }
  tim_test_client_login (f, amy, "rw-amy");
  back.client = amy;
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &back, 10000));
  g_assert_cmpuint (tim_test_unread_of (amy, "C2Crw-ben"), ==, 0);

  g_clear_object (&amy);
  tim_test_remove_dir (here);
  tim_test_remove_dir (elsewhere);
}

/* A misbehaving server (a proxy in front of ours changes its frames) counts a C2C conversation's
 * and a group's unread messages below zero: both show nothing unread, where the count was cast
 * to an unsigned one and a badge showed 4294967291. */
static void
test_bad_unread_counts (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "bu-ann", NULL);
  g_autoptr (TimClient) ann = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bu-bob");
  const char *members[] = { "bu-ann", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *group = NULL;
  g_autoptr (TimMessage) to_group = NULL;
  g_autoptr (GError) error = NULL;

  timchat_test_import_account (fixture, "bu-ann", NULL);
  group_id = tim_test_create_group (bob, "Counted", members);
  group = g_strconcat ("GROUP", group_id, NULL);
  to_group = tim_client_create_text_message (bob, group_id, TIM_CONV_GROUP, "to the group");
  g_assert_true (tim_test_send (bob, to_group, &error));
  g_assert_no_error (error);
  tim_test_send_texts (bob, "bu-ann", 2, "away");

  /* C2CPairUnreadCount's and the conversation list's counts. */
  timchat_test_proxy_rewrite_int (proxy, "UnreadCount", -5);
  timchat_test_proxy_rewrite_int (proxy, "UnreadMsgCount", -3);
  tim_test_client_login (fixture, ann, "bu-ann");
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ ann, "C2Cbu-bob" }, 10000));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ ann, group }, 10000));
  g_assert_cmpuint (tim_test_unread_of (ann, "C2Cbu-bob"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (ann, group), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/client/read-all", test_read_all);
  g_test_add_func ("/tim/client/group-read-up-to", test_group_read_up_to);
  g_test_add_func ("/tim/client/c2c-read-up-to", test_c2c_read_up_to);
  g_test_add_func ("/tim/client/group-read-while-one-arrives", test_group_read_while_one_arrives);
  g_test_add_func ("/tim/client/c2c-read-while-one-arrives", test_c2c_read_while_one_arrives);
  g_test_add_func ("/tim/client/read-all-while-some-arrive", test_read_all_while_some_arrive);
  g_test_add_func ("/tim/client/read-elsewhere-past-retention", test_read_elsewhere_past_retention);
  g_test_add_func ("/tim/client/bad-unread-counts", test_bad_unread_counts);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
