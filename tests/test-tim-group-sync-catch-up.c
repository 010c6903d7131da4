/* test-tim-group-sync-catch-up.c: the group messages a member's client missed while away are
 * caught up. Group messages that arrive within one second of the last one known here, read at the
 * next login, are read on the server too (the read goes by sequence, not by time); group messages
 * sent while a client is disconnected are announced after its reconnect, each once, and join its
 * open list; those sent while it was logged out are fetched by the next login's sync without being
 * announced; a sync cut short before it fetched them (the socket dies, the server stalls, or the
 * account changes under the catch-up) leaves them for the next one. Split from
 * test-tim-group-sync.c (libtim's group state after being away, by theme) to keep each program
 * short; one server per program. */
#define G_LOG_DOMAIN "test-tim-group-sync-catch-up"

#include "config.h"

#include <signal.h>

#include "test-tim-group-sync-common.h"
#include "tim-client-private.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

/* Waits for the start of a second of the server's clock (ours: same machine), so that what
 * follows at once shares it. */
static void
wait_for_next_second (void)
{
  gint64 now = g_get_real_time ();

  g_usleep (G_USEC_PER_SEC - now % G_USEC_PER_SEC + 20 * 1000);
}

/* Five group messages in one second: bob's client sees the first, is away for the other four,
 * and logs in again. Its conversation's last message is the newest (by sequence: they all share
 * a second), and reading the group reads all five on the server, as a fresh device of bob's and
 * this one after another login say. */
static void
test_read_same_second (void)
{
  const char *members[] = { "bob", NULL };
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (TimClient) fresh = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = tim_test_create_group (alice, "Same second", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *fresh_dir = g_build_filename (base_dir, "bob-fresh", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  TimTestLastText first = { bob, conversation_id, "m1" };
  TimTestLastText fifth = { bob, conversation_id, "m5" };
  gboolean one_second = FALSE;

  /* A slow moment may spread them over two seconds, which is not the case wanted: again then. */
  for (guint attempt = 0; attempt < 5 && !one_second; attempt++)
    {
      gint64 t1 = 0, t5 = 0;

      if (!tim_client_get_is_ready (bob))
        tim_test_client_login (fixture, bob, "bob");
      wait_for_next_second ();
      send_group_text (alice, group_id, "m1", &t1);
      g_assert_true (tim_test_wait_until (tim_test_last_text_is, &first, 10000));
      tim_client_logout (bob);
      for (guint i = 2; i <= 5; i++)
        {
          g_autofree char *text = g_strdup_printf ("m%u", i);

          send_group_text (alice, group_id, text, &t5);
        }
      one_second = t1 == t5;
    }
  g_assert_true (one_second);

  tim_test_client_login (fixture, bob, "bob");
  g_assert_true (tim_test_last_text_is (&fifth));
  g_assert_cmpuint (tim_test_unread_of (bob, conversation_id), >=, 4);
  tim_client_set_message_read_async (bob, conversation_id, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_set_message_read_finish (bob, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tim_test_unread_of (bob, conversation_id), ==, 0);

  /* The server's word: a fresh device, and this one after another login. */
  fresh = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), fresh_dir);
  tim_test_client_login (fixture, fresh, "bob");
  g_assert_cmpuint (tim_test_unread_of (fresh, conversation_id), ==, 0);
  tim_client_logout (bob);
  tim_test_client_login (fixture, bob, "bob");
  g_assert_cmpuint (tim_test_unread_of (bob, conversation_id), ==, 0);
}

static gboolean
is_connected (gpointer data)
{
  return tim_client_get_net_state (TIM_CLIENT (data)) == TIM_NET_STATE_CONNECTED &&
         tim_client_get_is_ready (TIM_CLIENT (data));
}

/* How many of messages say text. */
static guint
count_text (GListModel *messages, const char *text)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (messages, i);

      n += g_strcmp0 (tim_message_get_text (message), text) == 0;
    }
  return n;
}

static guint
count_received (GPtrArray *received, const char *text)
{
  guint n = 0;

  for (guint i = 0; i < received->len; i++)
    n += g_strcmp0 (tim_message_get_text (received->pdata[i]), text) == 0;
  return n;
}

/* The server goes down and comes back; while away's client waits a minute to try again, sender's
 * (told when to) posts "prefix 1" to "prefix 3" in the group; then away reconnects. */
static void
send_while_away (TimClient *away, TimClient *sender, const char *group_id, const char *prefix)
{
  tim_transport_set_backoff (away->transport, 60000, 60000);
  timchat_fixture_kill (fixture);
  timchat_test_spin (300);
  g_assert_cmpint (tim_client_get_net_state (away), !=, TIM_NET_STATE_CONNECTED);
  timchat_fixture_restart (fixture);
  tim_client_reconnect_now (sender);
  g_assert_true (tim_test_wait_until (is_connected, sender, 20000));
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %u", prefix, i);

      send_group_text (sender, group_id, text, NULL);
    }
  g_assert_cmpint (tim_client_get_net_state (away), !=, TIM_NET_STATE_CONNECTED);
  tim_client_reconnect_now (away);
  g_assert_true (tim_test_wait_until (is_connected, away, 20000));
}

static gboolean
list_has_away_3 (gpointer data)
{
  return count_text (G_LIST_MODEL (data), "away 3") > 0;
}

/* carol's client is connected, with the group's list open, when the server is killed; dave sends
 * three group messages while carol's client waits to reconnect. After it does, each arrives once
 * (message-received) and the open list has each once, in order, after what it had. */
static void
test_missed_while_away (void)
{
  const char *members[] = { "carol", NULL };
  g_autoptr (TimClient) dave = tim_test_client_new (fixture, base_dir, "dave");
  g_autoptr (TimClient) carol = tim_test_client_new (fixture, base_dir, "carol");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *group_id = tim_test_create_group (dave, "Away", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText before = { carol, conversation_id, "before" };
  TimTestLastText after = { carol, conversation_id, "after" };
  TimMessageList *list;
  guint before_at;

  send_group_text (dave, group_id, "before", NULL);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &before, 10000));
  list = tim_client_get_message_list (carol, conversation_id);
  tim_message_list_load_older_async (list, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_message_list_load_older_finish (list, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_text (G_LIST_MODEL (list), "before"), ==, 1);
  timchat_test_spin (200); /* "before" announced: it is no part of what is counted below */
  tim_test_collect (carol, "message-received", received);

  send_while_away (carol, dave, group_id, "away");
  g_assert_true (tim_test_wait_until (list_has_away_3, list, 10000));
  /* One pushed after the reconnect comes as always, and nothing comes twice. */
  send_group_text (dave, group_id, "after", NULL);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &after, 10000));
  timchat_test_spin (300);
  before_at = 0;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_strcmp0 (tim_message_get_text (message), "before") == 0)
        before_at = i;
    }
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("away %u", i);
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), before_at + i);

      g_assert_cmpuint (count_received (received, text), ==, 1);
      g_assert_cmpuint (count_text (G_LIST_MODEL (list), text), ==, 1);
      g_assert_cmpstr (tim_message_get_text (message), ==, text);
    }
  g_assert_cmpuint (count_received (received, "after"), ==, 1);
  g_assert_cmpuint (count_text (G_LIST_MODEL (list), "after"), ==, 1);
  g_assert_cmpuint (count_received (received, "before"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (carol, conversation_id), >=, 4);
}

/* Logged out while three group messages come: the next login's sync fetches them into the local
 * store (its newest is the group's last message, a real one) without announcing them, as the first
 * sync of a login announces no C2C message either. */
static void
test_missed_while_logged_out (void)
{
  const char *members[] = { "erin", NULL };
  g_autoptr (TimClient) fred = tim_test_client_new (fixture, base_dir, "fred");
  g_autoptr (TimClient) erin = tim_test_client_new (fixture, base_dir, "erin");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *group_id = tim_test_create_group (fred, "Logged out", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  TimTestLastText before = { erin, conversation_id, "before" };
  TimConversation *conversation;
  TimMessage *last;

  send_group_text (fred, group_id, "before", NULL);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &before, 10000));
  timchat_test_spin (200);
  tim_client_logout (erin);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("away %u", i);

      send_group_text (fred, group_id, text, NULL);
    }
  tim_test_collect (erin, "message-received", received);
  tim_test_client_login (fixture, erin, "erin");
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (erin), conversation_id);
  last = tim_conversation_get_last_message (conversation);
  g_assert_cmpstr (tim_message_get_text (last), ==, "away 3");
  g_assert_cmpint (_tim_client_newest_stored_seq (erin, conversation_id), ==,
                   tim_message_get_server_seq (last));
  g_assert_true (_tim_client_lookup_message (erin, tim_message_get_id (last)) == last);
  g_assert_cmpuint (received->len, ==, 0);
}

/* A group this client knows only from the conversation list (made before it logged in: nothing
 * of it stored here) still has what it missed while away fetched and announced, each once: the
 * sequence it heard of in the list is what it held. */
static void
test_missed_with_nothing_held (void)
{
  const char *members[] = { "erin", NULL };
  g_autoptr (TimClient) fred = tim_test_client_new (fixture, base_dir, "fred");
  g_autoptr (TimClient) erin = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;

  timchat_test_import_account (fixture, "erin", NULL);
  group_id = tim_test_create_group (fred, "Listed", members);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);
  erin = tim_test_client_new (fixture, base_dir, "erin");
  g_assert_nonnull (
      tim_conversation_list_lookup (tim_client_get_conversations (erin), conversation_id));
  tim_test_collect (erin, "message-received", received);

  send_while_away (erin, fred, group_id, "unheld");
  timchat_test_spin (1500);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("unheld %u", i);

      g_assert_cmpuint (count_received (received, text), ==, 1);
    }
}

typedef struct
{
  TimClient *client;
  gboolean killed;
} KillDuringCatchUp;

/* The sync's getmsg has brought the C2C message that was waiting (it is stored: the list's
 * stand-in is not), so the group catch-up's request is the next to go: the server dies first. */
static void
kill_before_catch_up (TimClient *client, KillDuringCatchUp *cut)
{
  if (cut->killed || _tim_client_newest_stored_seq (client, "C2Cgina") <= 0)
    return;
  timchat_fixture_kill (fixture);
  cut->killed = TRUE;
}

/* The socket dies while a login's sync fetches what a group missed (its last step, the C2C
 * messages already synced), and gina sends hank a message while his client is away. The relogin
 * resends the group's request and that sync ends; the message of the time away is fetched too,
 * as after any other relogin, and announced once. */
static void
test_reconnect_during_catch_up (void)
{
  const char *members[] = { "hank", NULL };
  g_autoptr (TimClient) gina = tim_test_client_new (fixture, base_dir, "gina");
  g_autoptr (TimClient) hank = tim_test_client_new (fixture, base_dir, "hank");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *group_id = tim_test_create_group (gina, "Cut", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "hank", 3600);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText before = { hank, conversation_id, "before" };
  TimTestLastText missed = { hank, conversation_id, "missed" };
  TimTestLastText away = { hank, "C2Cgina", "while away" };
  KillDuringCatchUp cut = { hank, FALSE };

  send_group_text (gina, group_id, "before", NULL);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &before, 10000));
  timchat_test_spin (200);
  tim_client_logout (hank);
  send_group_text (gina, group_id, "missed", NULL);
  tim_test_send_text (gina, "hank", "waiting");

  tim_transport_set_backoff (hank->transport, 60000, 60000);
  g_signal_connect (hank, "conversation-list-updated", G_CALLBACK (kill_before_catch_up), &cut);
  tim_client_login_async (hank, "hank", usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (hank, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_flag (&cut.killed, 10000));
  g_signal_handlers_disconnect_by_data (hank, &cut);
  timchat_test_spin (300);
  g_assert_cmpint (tim_client_get_net_state (hank), !=, TIM_NET_STATE_CONNECTED);
  g_assert_false (tim_client_get_is_ready (hank));

  timchat_fixture_restart (fixture);
  tim_client_reconnect_now (gina);
  g_assert_true (tim_test_wait_until (is_connected, gina, 20000));
  tim_test_send_text (gina, "hank", "while away");
  tim_test_collect (hank, "message-received", received);
  tim_client_reconnect_now (hank);
  g_assert_true (tim_test_wait_until (is_connected, hank, 20000));
  g_assert_true (tim_test_last_text_is (&missed));
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &away, 10000));
  timchat_test_spin (300);
  g_assert_cmpuint (count_received (received, "while away"), ==, 1);
}

typedef struct
{
  GPid server;
  gboolean stopped;
} StallDuringCatchUp;

/* As kill_before_catch_up (), but the server only stalls (SIGSTOP): the socket stays up, and the
 * catch-up's request ends by its own timeout. */
static void
stall_before_catch_up (TimClient *client, StallDuringCatchUp *stall)
{
  if (stall->stopped || _tim_client_newest_stored_seq (client, "C2Cjill") <= 0)
    return;
  g_assert_cmpint (kill (stall->server, SIGSTOP), ==, 0);
  stall->stopped = TRUE;
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  gint64 seq;
} HeldSeq;

/* The local store holds the conversation up to seq. */
static gboolean
holds_seq (gpointer data)
{
  HeldSeq *want = data;

  return _tim_client_newest_stored_seq (want->client, want->conversation_id) >= want->seq;
}

/* The server stalls while a login's sync fetches what a group missed: the request times out and
 * that sync ends without it. The sync after the next reconnect still fetches it: the list of the
 * sync that failed named its sequence, but this device never held it. */
static void
test_catch_up_timed_out (void)
{
  const char *members[] = { "kurt", NULL };
  g_autoptr (TimClient) jill = tim_test_client_new (fixture, base_dir, "jill");
  g_autoptr (TimClient) kurt = tim_test_client_new (fixture, base_dir, "kurt");
  g_autofree char *group_id = tim_test_create_group (jill, "Stalled", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "kurt", 3600);
  g_autoptr (TimMessage) missed =
      tim_client_create_text_message (jill, group_id, TIM_CONV_GROUP, "missed");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText before = { kurt, conversation_id, "before" };
  HeldSeq fetched = { kurt, conversation_id, 0 };
  StallDuringCatchUp stall = { timchat_test_find_server_pid (), FALSE };
  GLogLevelFlags fatal;

  g_assert_cmpint (stall.server, >, 0);
  send_group_text (jill, group_id, "before", NULL);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &before, 10000));
  timchat_test_spin (200);
  tim_client_logout (kurt);
  g_assert_true (tim_test_send (jill, missed, &error));
  g_assert_no_error (error);
  fetched.seq = tim_message_get_server_seq (missed);
  g_assert_cmpint (fetched.seq, >, 0);
  tim_test_send_text (jill, "kurt", "waiting");

  /* No heartbeat while the server is stopped: the catch-up's request times out by itself. */
  tim_transport_set_heartbeat (kurt->transport, 600000, 600000);
  g_signal_connect (kurt, "conversation-list-updated", G_CALLBACK (stall_before_catch_up), &stall);
  /* The catch-up's failure is a warning, as it should be; not this test's failure. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  tim_client_login_async (kurt, "kurt", usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (kurt, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_flag (&stall.stopped, 10000));
  g_signal_handlers_disconnect_by_data (kurt, &stall);
  /* The sync ends once the request has timed out (15 s). */
  g_assert_true (tim_test_wait_until (is_ready, kurt, 30000));
  g_log_set_always_fatal (fatal);
  g_assert_false (holds_seq (&fetched));

  /* The server comes back (a restart: the client reconnects, and syncs again). */
  g_assert_cmpint (kill (stall.server, SIGCONT), ==, 0);
  timchat_fixture_kill (fixture);
  timchat_test_spin (300);
  timchat_fixture_restart (fixture);
  tim_client_reconnect_now (kurt);
  g_assert_true (tim_test_wait_until (is_connected, kurt, 20000));
  g_assert_true (tim_test_wait_until (holds_seq, &fetched, 10000));
}

typedef struct
{
  const char *conversation_ids[2];
  gint64 held[2];
  const char *usersig;
  GAsyncResult *result;
  gboolean switched;
} SwitchDuringCatchUp;

/* The group catch-up has stored what rosa missed in one of her two groups: a handler of what
 * that tells logs in as quinn at once (which logs rosa out first). */
static void
switch_during_catch_up (TimClient *client, SwitchDuringCatchUp *sw)
{
  if (sw->switched ||
      (_tim_client_newest_stored_seq (client, sw->conversation_ids[0]) <= sw->held[0] &&
       _tim_client_newest_stored_seq (client, sw->conversation_ids[1]) <= sw->held[1]))
    return;
  sw->switched = TRUE;
  tim_client_login_async (client, "quinn", sw->usersig, NULL, tim_test_keep_result, &sw->result);
}

/* The account changes under the group catch-up, between two groups' pages (a handler of what
 * the first one's tells logs in as someone else): the second group is not fetched for rosa in
 * quinn's session, quinn's session syncs and is ready, and rosa's next login still brings what
 * she missed in both. */
static void
test_account_switched_during_catch_up (void)
{
  const char *members[] = { "rosa", "quinn", NULL };
  g_autoptr (TimClient) pete = tim_test_client_new (fixture, base_dir, "pete");
  g_autoptr (TimClient) rosa = tim_test_client_new (fixture, base_dir, "rosa");
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "rosa", 3600);
  g_autofree char *quinn_sig = timchat_fixture_usersig (fixture, "quinn", 3600);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) group_ids = g_new0 (char *, 3); /* two, and the NULL g_strfreev () wants */
  g_autofree char *conversation_id_a = NULL;
  g_autofree char *conversation_id_b = NULL;
  SwitchDuringCatchUp sw = { { NULL, NULL }, { 0, 0 }, quinn_sig, NULL, FALSE };

  timchat_test_import_account (fixture, "quinn", NULL);
  group_ids[0] = tim_test_create_group (pete, "Switched A", members);
  group_ids[1] = tim_test_create_group (pete, "Switched B", members);
  sw.conversation_ids[0] = conversation_id_a = g_strconcat ("GROUP", group_ids[0], NULL);
  sw.conversation_ids[1] = conversation_id_b = g_strconcat ("GROUP", group_ids[1], NULL);
  for (guint g = 0; g < 2; g++)
    {
      TimTestLastText before = { rosa, sw.conversation_ids[g], "before" };

      send_group_text (pete, group_ids[g], "before", NULL);
      g_assert_true (tim_test_wait_until (tim_test_last_text_is, &before, 10000));
    }
  timchat_test_spin (200);
  for (guint g = 0; g < 2; g++)
    {
      sw.held[g] = _tim_client_newest_stored_seq (rosa, sw.conversation_ids[g]);
      g_assert_cmpint (sw.held[g], >, 0);
    }
  tim_client_logout (rosa);
  for (guint g = 0; g < 2; g++)
    for (guint i = 1; i <= 3; i++)
      {
        g_autofree char *text = g_strdup_printf ("missed %u", i);

        send_group_text (pete, group_ids[g], text, NULL);
      }

  g_signal_connect (rosa, "conversation-list-updated", G_CALLBACK (switch_during_catch_up), &sw);
  tim_client_login_async (rosa, "rosa", usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (rosa, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_flag (&sw.switched, 10000));
  g_signal_handlers_disconnect_by_data (rosa, &sw);
  g_assert_true (tim_client_login_finish (rosa, tim_test_wait_result (&sw.result), &error));
  g_assert_no_error (error);
  g_clear_object (&sw.result);
  g_assert_cmpstr (tim_client_get_user (rosa), ==, "quinn");
  g_assert_true (tim_test_wait_until (is_ready, rosa, 10000));

  tim_test_client_login (fixture, rosa, "rosa");
  for (guint g = 0; g < 2; g++)
    {
      TimTestLastText missed = { rosa, sw.conversation_ids[g], "missed 3" };
      HeldSeq all = { rosa, sw.conversation_ids[g], sw.held[g] + 3 };

      g_assert_true (tim_test_wait_until (tim_test_last_text_is, &missed, 10000));
      g_assert_true (tim_test_wait_until (holds_seq, &all, 10000));
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/group-sync/read-same-second", test_read_same_second);
  g_test_add_func ("/tim/group-sync/missed-while-away", test_missed_while_away);
  g_test_add_func ("/tim/group-sync/missed-while-logged-out", test_missed_while_logged_out);
  g_test_add_func ("/tim/group-sync/missed-with-nothing-held", test_missed_with_nothing_held);
  g_test_add_func ("/tim/group-sync/reconnect-during-catch-up", test_reconnect_during_catch_up);
  g_test_add_func ("/tim/group-sync/catch-up-timed-out", test_catch_up_timed_out);
  g_test_add_func ("/tim/group-sync/account-switched-during-catch-up",
                   test_account_switched_during_catch_up);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
