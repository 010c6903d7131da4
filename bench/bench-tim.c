/* bench-tim.c: libtim on the client side, each figure beside a baseline measured in the same run.
 *
 * cold start: bob's data dir holds 100 conversations and 100,000 cached messages in one of them,
 *   written with TimLocalStore through the client's own record functions. A fresh child process
 *   (this program with --cold-child) times tim_client_new + tim_client_login_async until the
 *   conversation list has 100 items and the newest page (15) of the big conversation has come
 *   back from tim_client_get_message_list_async, and reads its VmRSS there; 5 runs against the
 *   real server (the login really happens, after the measurement point), 5 with the server
 *   stopped. Baseline: a child (--sqlite-child) that opens the same file with sqlite3 and reads
 *   the newest 15 rows of that conversation and all 100 conversation rows with plain SQL.
 *
 * append: 10,000 messages built by _tim_message_new_from_c2c_wire and appended with
 *   _tim_message_list_append_many, against g_list_store_splice of the same 10,000 objects into a
 *   GListStore; then the real path: a raw peer sends 10,000 openim.sendmsg through the server and
 *   bob's TimClient puts them into its TimMessageList (messages/s, items-changed emissions).
 */
#define G_LOG_DOMAIN "bench-tim"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "tim-client-private.h"
#include "tim-conversation-list.h"
#include "tim-message-list.h"
#include "bench-common.h"
#include "timchat-test-client.h"

#define N_CONVERSATIONS 100
#define N_CACHED 100000
#define PAGE 15
#define N_RUNS 5
#define N_APPEND 10000
#define GOAL_COLD_MS 50.0
#define BIG_CONVERSATION "C2Calice"

/* ---------------------------------------------------------------- helpers */

/* A C2C item as openim.getroammsg / msg_push carry it. */
static JsonObject *
wire_item (const char *from, const char *to, gint64 seq, gint64 time, const char *text)
{
  JsonObject *item = json_object_new ();
  JsonArray *body = json_array_new ();
  JsonObject *elem = json_object_new ();
  JsonObject *content = json_object_new ();

  json_object_set_string_member (content, "Text", text);
  json_object_set_string_member (elem, "MsgType", "TIMTextElem");
  json_object_set_object_member (elem, "MsgContent", content);
  json_array_add_object_element (body, elem);
  json_object_set_string_member (item, "From_Account", from);
  json_object_set_string_member (item, "To_Account", to);
  json_object_set_int_member (item, "MsgSeq", seq);
  json_object_set_int_member (item, "MsgRandom", 1000000 + seq);
  json_object_set_int_member (item, "MsgTimeStamp", time);
  json_object_set_int_member (item, "MsgClientTime", time);
  json_object_set_int_member (item, "ServerSeq", seq);
  json_object_set_string_member (
      item, "TinyId", g_str_equal (from, "bob") ? "144115198000000002" : "144115198000000001");
  json_object_set_array_member (item, "MsgBody", body);
  return item;
}

/* ---------------------------------------------------------------- cold start: data */

typedef struct
{
  TimClient *client;
  gint64 now;
} Fill;

/* Every message goes through _tim_client_store_message: the record and sort key the client
 * itself writes (server seq). */
static gboolean
fill_messages (TimLocalStore *store, gpointer user_data, GError **error)
{
  Fill *fill = user_data;

  for (gint64 seq = 1; seq <= N_CACHED; seq++)
    {
      gboolean from_alice = seq % 2 == 1;
      g_autofree char *text = g_strdup_printf (
          "history message %" G_GINT64_FORMAT " with some ordinary chat text", seq);
      g_autoptr (JsonObject) item =
          wire_item (from_alice ? "alice" : "bob", from_alice ? "bob" : "alice", seq,
                     fill->now - (N_CACHED - seq) / 4, text);
      g_autoptr (TimMessage) message = _tim_message_new_from_c2c_wire (item, "bob");

      _tim_client_store_message (fill->client, message);
    }
  for (guint i = 1; i < N_CONVERSATIONS; i++)
    {
      g_autofree char *peer = g_strdup_printf ("user%03u", i);
      g_autoptr (JsonObject) item =
          wire_item (peer, "bob", 1, fill->now - 100000 - i, "hello from an older conversation");
      g_autoptr (TimMessage) message = _tim_message_new_from_c2c_wire (item, "bob");

      _tim_client_store_message (fill->client, message);
      /* Makes the conversation, sets its last message and saves its record, as a push does. */
      _tim_client_update_conversation_last (fill->client, message);
    }
  {
    g_autoptr (GPtrArray) newest = tim_local_store_load_messages (store, BIG_CONVERSATION, 0, 1);
    g_autoptr (TimMessage) last = _tim_message_new_from_record (newest->pdata[0]);

    _tim_client_update_conversation_last (fill->client, last);
  }
  return TRUE;
}

static void
prepare_cold_data (const char *data_dir, guint64 sdkappid)
{
  g_autofree char *app = g_strdup_printf ("%" G_GUINT64_FORMAT, sdkappid);
  g_autofree char *dir = g_build_filename (data_dir, app, "bob", NULL);
  g_autoptr (GError) error = NULL;
  /* Never logged in: only its store, user and conversation list are used to write records. */
  g_autoptr (TimClient) client = tim_client_new ("ws://127.0.0.1:9", sdkappid, data_dir);
  Fill fill = { client, g_get_real_time () / G_USEC_PER_SEC };
  gint64 t0 = g_get_monotonic_time ();

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_error ("tim: cannot create %s", dir);
  client->store = tim_local_store_open (dir, &error);
  if (client->store == NULL)
    g_error ("tim: %s", error->message);
  client->user = g_strdup ("bob");
  if (!tim_local_store_run_in_transaction (client->store, fill_messages, &fill, &error))
    g_error ("tim: fill: %s", error->message);
  if (tim_local_store_count_messages (client->store, BIG_CONVERSATION) != N_CACHED ||
      g_list_model_get_n_items (G_LIST_MODEL (client->conversations)) != N_CONVERSATIONS)
    g_error ("tim: the store does not hold what was written");
  printf ("tim cold setup: %d conversations, %d messages in %s, written in %.1f s\n",
          N_CONVERSATIONS, N_CACHED, BIG_CONVERSATION, (g_get_monotonic_time () - t0) / 1e6);
  fflush (stdout);
}

/* ---------------------------------------------------------------- cold start: children */

typedef struct
{
  GPtrArray *page;
  gboolean page_done;
  gboolean login_done;
  gboolean login_ok;
  gint64 login_us;
  gint64 start;
} Cold;

static void
on_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cold *cold = user_data;
  g_autoptr (GError) error = NULL;

  cold->page = tim_client_get_message_list_finish (TIM_CLIENT (source), result, NULL, NULL, &error);
  if (cold->page == NULL)
    g_error ("tim cold child: get_message_list: %s", error->message);
  cold->page_done = TRUE;
}

static void
on_login (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cold *cold = user_data;

  cold->login_ok = tim_client_login_finish (TIM_CLIENT (source), result, NULL);
  cold->login_us = g_get_monotonic_time () - cold->start;
  cold->login_done = TRUE;
}

/* Prints "cold <us> <rss_kb> <login_us or -1> <network answered first: 0/1> <new_us>
 * <login_call_us>": the last two are the time spent in tim_client_new and in the
 * tim_client_login_async call itself (store open, conversation list from the store). */
static int
cold_child (const char *data_dir, const char *url, const char *sdkappid, const char *usersig)
{
  Cold cold = { 0 };
  g_autoptr (TimClient) client = NULL;
  TimConversationList *conversations;
  gint64 elapsed, rss, deadline, new_us, login_call_us;
  gboolean network_first;

  cold.start = g_get_monotonic_time ();
  client = tim_client_new (url, g_ascii_strtoull (sdkappid, NULL, 10), data_dir);
  new_us = g_get_monotonic_time () - cold.start;
  tim_client_login_async (client, "bob", usersig, NULL, on_login, &cold);
  login_call_us = g_get_monotonic_time () - cold.start - new_us;
  tim_client_get_message_list_async (client, BIG_CONVERSATION, NULL, PAGE, NULL, on_page, &cold);
  conversations = tim_client_get_conversations (client);
  while (!cold.page_done ||
         g_list_model_get_n_items (G_LIST_MODEL (conversations)) < N_CONVERSATIONS)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - cold.start;
  rss = bench_status_kb (0, "VmRSS:");
  network_first = cold.login_done;

  if (cold.page->len != PAGE ||
      tim_message_get_server_seq (cold.page->pdata[PAGE - 1]) != N_CACHED ||
      tim_message_get_server_seq (cold.page->pdata[0]) != N_CACHED - PAGE + 1)
    g_error ("tim cold child: the page is not the newest %d messages", PAGE);
  /* The login must really happen (or fail, with the server stopped) before we leave. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!cold.login_done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
  printf ("cold %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %" G_GINT64_FORMAT
          " %" G_GINT64_FORMAT "\n",
          elapsed, rss, cold.login_done && cold.login_ok ? cold.login_us : -1, network_first,
          new_us, login_call_us);
  g_ptr_array_unref (cold.page);
  return 0;
}

/* Prints "sqlite <us> <rss_kb>". */
static int
sqlite_child (const char *db_path)
{
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gsize bytes = 0;
  guint rows = 0, conversations = 0;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    g_error ("tim sqlite child: cannot open %s", db_path);
  if (sqlite3_prepare_v2 (db,
                          "SELECT record FROM messages WHERE conversation_id = ?1"
                          " ORDER BY sort_key DESC LIMIT ?2",
                          -1, &s, NULL) != SQLITE_OK)
    g_error ("tim sqlite child: %s", sqlite3_errmsg (db));
  sqlite3_bind_text (s, 1, BIG_CONVERSATION, -1, SQLITE_STATIC);
  sqlite3_bind_int (s, 2, PAGE);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      bytes += strlen ((const char *) sqlite3_column_text (s, 0));
      rows++;
    }
  sqlite3_finalize (s);
  if (sqlite3_prepare_v2 (db, "SELECT id, record FROM conversations", -1, &s, NULL) != SQLITE_OK)
    g_error ("tim sqlite child: %s", sqlite3_errmsg (db));
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      bytes += strlen ((const char *) sqlite3_column_text (s, 1));
      conversations++;
    }
  sqlite3_finalize (s);
  elapsed = g_get_monotonic_time () - start;
  if (rows != PAGE || conversations != N_CONVERSATIONS)
    g_error ("tim sqlite child: %u rows, %u conversations", rows, conversations);
  printf ("sqlite %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GSIZE_FORMAT "\n", elapsed,
          bench_status_kb (0, "VmRSS:"), bytes);
  sqlite3_close (db);
  return 0;
}

static char *
run_child (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("tim: child %s: %s", argv[1], error->message);
  return out;
}

static void
measure_cold (TimchatFixture *f, const char *data_dir, const char *label)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *url = timchat_fixture_ws_url (f);
  g_autofree char *sdkappid =
      g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (f));
  g_autofree char *usersig = timchat_fixture_usersig (f, "bob", 86400);
  g_autofree char *db = g_build_filename (data_dir, sdkappid, "bob", "local.db", NULL);
  g_autoptr (GArray) cold = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) rss = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) logins = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) base = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) base_rss = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) news = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) login_calls = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint network_first = 0, failed_logins = 0;

  for (guint i = 0; i < N_RUNS; i++)
    {
      const char *cold_argv[] = { exe, "--cold-child", data_dir, url, sdkappid, usersig, NULL };
      const char *sqlite_argv[] = { exe, "--sqlite-child", db, NULL };
      g_autofree char *out = run_child (cold_argv);
      g_autofree char *base_out = run_child (sqlite_argv);
      gint64 us, kb, login_us, base_us, base_kb, new_us, login_call_us;
      int first;

      if (sscanf (out,
                  "cold %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                  " %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                  &us, &kb, &login_us, &first, &new_us, &login_call_us) != 6 ||
          sscanf (base_out, "sqlite %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &base_us, &base_kb) !=
              2)
        g_error ("tim: unexpected child output: %s / %s", out, base_out);
      g_array_append_val (cold, us);
      g_array_append_val (rss, kb);
      g_array_append_val (base, base_us);
      g_array_append_val (base_rss, base_kb);
      g_array_append_val (news, new_us);
      g_array_append_val (login_calls, login_call_us);
      if (login_us >= 0)
        g_array_append_val (logins, login_us);
      else
        failed_logins++;
      network_first += first;
    }
  {
    double med = bench_median (cold) / 1000.0, max = bench_maximum (cold) / 1000.0;
    double base_med = bench_median (base) / 1000.0, base_max = bench_maximum (base) / 1000.0;

    printf ("cold start (%s, %d runs): libtim %.1f ms median, %.1f ms max, VmRSS %" G_GINT64_FORMAT
            " KB median (max %" G_GINT64_FORMAT " KB); raw %.2f ms median, %.2f ms max, VmRSS "
            "%" G_GINT64_FORMAT " KB; ratio %.1f (goal <= %.0f ms) %s\n",
            label, N_RUNS, med, max, bench_median (rss), bench_maximum (rss), base_med, base_max,
            bench_median (base_rss), med / base_med, GOAL_COLD_MS,
            max <= GOAL_COLD_MS ? "MET" : "MISSED");
    printf ("cold start (%s): of which tim_client_new %.1f ms, the tim_client_login_async call "
            "(store open, 100 conversations loaded) %.1f ms (medians)\n",
            label, bench_median (news) / 1000.0, bench_median (login_calls) / 1000.0);
    if (logins->len > 0)
      printf ("cold start (%s): login completed after %.1f ms median (%u of %d runs); the network "
              "answered before the store served the screen in %u of %d runs\n",
              label, bench_median (logins) / 1000.0, logins->len, N_RUNS, network_first, N_RUNS);
    else
      printf ("cold start (%s): no login completed (%u of %d failed or timed out, as expected "
              "with the server stopped)\n",
              label, failed_logins, N_RUNS);
    fflush (stdout);
  }
}

/* ---------------------------------------------------------------- append */

static void
count_changes (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  guint *counters = user_data;

  counters[0]++;
  counters[1] += added;
}

static void
measure_append_unit (void)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GArray) build = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) append = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) splice = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint emissions = 0;

  for (guint i = 0; i < N_APPEND; i++)
    {
      g_autofree char *text = g_strdup_printf ("pushed message %u", i);

      g_ptr_array_add (items, wire_item ("alice", "bob", i + 1, now, text));
    }
  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr (GPtrArray) messages = g_ptr_array_new_full (N_APPEND, g_object_unref);
      g_autoptr (TimMessageList) list = _tim_message_list_new ("C2Calice", NULL, NULL, NULL);
      g_autoptr (GListStore) store = g_list_store_new (TIM_TYPE_MESSAGE);
      guint counters[2] = { 0, 0 };
      gint64 t0, t1, t2, t3;

      g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), counters);
      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < N_APPEND; i++)
        g_ptr_array_add (messages, _tim_message_new_from_c2c_wire (items->pdata[i], "bob"));
      t1 = g_get_monotonic_time ();
      if (_tim_message_list_append_many (list, messages) != N_APPEND)
        g_error ("tim: append_many did not add every message");
      t2 = g_get_monotonic_time ();
      g_list_store_splice (store, 0, 0, messages->pdata, messages->len);
      t3 = g_get_monotonic_time ();
      if (counters[1] != N_APPEND || g_list_model_get_n_items (G_LIST_MODEL (store)) != N_APPEND)
        g_error ("tim: append counted %u items", counters[1]);
      emissions = counters[0];
      t3 -= t2;
      t2 -= t1;
      t1 -= t0;
      g_array_append_val (build, t1);
      g_array_append_val (append, t2);
      g_array_append_val (splice, t3);
    }
  {
    double append_ms = bench_median (append) / 1000.0, splice_ms = bench_median (splice) / 1000.0;
    double build_ms = bench_median (build) / 1000.0;

    printf ("append (%d runs, median): append_many %.2f ms (%.0f msg/s, %u items-changed), "
            "building the messages from wire items %.1f ms (%.0f msg/s); raw GListStore splice "
            "%.2f ms (%.0f msg/s); ratio append/splice %.1f, (build+append)/splice %.0f\n",
            N_RUNS, append_ms, N_APPEND / (append_ms / 1000.0), emissions, build_ms,
            N_APPEND / (build_ms / 1000.0), splice_ms, N_APPEND / (splice_ms / 1000.0),
            append_ms / splice_ms, (build_ms + append_ms) / splice_ms);
    fflush (stdout);
  }
}

static void
on_bob_login (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!tim_client_login_finish (TIM_CLIENT (source), result, &error))
    g_error ("tim: bob login: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

/* Returns the seconds from the first send until the list held every message. */
static double
measure_append_real (TimchatFixture *f, const char *base_dir)
{
  g_autofree char *url = timchat_fixture_ws_url (f);
  g_autofree char *dir = g_build_filename (base_dir, "append", NULL);
  g_autofree char *usersig = timchat_fixture_usersig (f, "bob", 86400);
  g_autoptr (TimClient) bob = tim_client_new (url, timchat_fixture_get_sdkappid (f), dir);
  g_autoptr (TimchatTestClient) alice = NULL;
  g_autoptr (JsonObject) login = NULL;
  g_autoptr (GError) error = NULL;
  TimMessageList *list;
  guint counters[2] = { 0, 0 };
  gboolean logged_in = FALSE;
  gint64 t0, sent_at, done_at, deadline;
  guint failed = 0;

  tim_client_login_async (bob, "bob", usersig, NULL, on_bob_login, &logged_in);
  while (!logged_in || !tim_client_get_is_ready (bob))
    g_main_context_iteration (NULL, TRUE);
  alice = timchat_test_client_new (f, NULL, &error);
  if (alice == NULL || (login = timchat_test_client_login (alice, "alice", &error)) == NULL)
    g_error ("tim: alice: %s", error->message);
  list = tim_client_get_message_list (bob, "C2Calice");
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), counters);

  /* The peer's requests are synchronous: waiting for each reply iterates the same main context,
   * so bob's client takes its pushes while alice sends. */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < N_APPEND; i++)
    {
      g_autofree char *body = g_strdup_printf (
          "{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgSeq\":%u,\"MsgRandom\":%u,"
          "\"MsgClientTime\":%" G_GINT64_FORMAT ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
          "\"MsgContent\":{\"Text\":\"pushed message %u\"}}]}",
          i + 1, 7000000 + i, g_get_real_time () / G_USEC_PER_SEC, i);
      g_autoptr (JsonObject) reply =
          timchat_test_client_request_json (alice, "openim.sendmsg", body, &error);

      if (reply == NULL)
        g_error ("tim: sendmsg: %s", error->message);
      if (timchat_test_json_get_int (reply, "ErrorCode") != 0)
        failed++;
    }
  sent_at = g_get_monotonic_time ();
  deadline = sent_at + 120 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (G_LIST_MODEL (list)) < N_APPEND - failed &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
  done_at = g_get_monotonic_time ();
  printf ("append (real path): %u messages from a raw peer through the server into bob's "
          "TimMessageList in %.2f s (sending took %.2f s): %.0f msg/s, %u items-changed "
          "emissions for %u items (%u sendmsg errors)\n",
          g_list_model_get_n_items (G_LIST_MODEL (list)), (done_at - t0) / 1e6,
          (sent_at - t0) / 1e6,
          g_list_model_get_n_items (G_LIST_MODEL (list)) / ((done_at - t0) / 1e6), counters[0],
          counters[1], failed);
  fflush (stdout);
  tim_client_logout (bob);
  return (done_at - t0) / 1e6;
}

static double
measure_send_baseline (TimchatFixture *f)
{
  g_autoptr (TimchatTestClient) carol = NULL;
  g_autoptr (TimchatTestClient) dave = NULL;
  g_autoptr (JsonObject) login = NULL;
  g_autoptr (GError) error = NULL;
  gint64 t0, elapsed;
  guint pushes = 0;

  carol = timchat_test_client_new (f, NULL, &error);
  dave = timchat_test_client_new (f, NULL, &error);
  if (carol == NULL || dave == NULL ||
      (login = timchat_test_client_login (dave, "dave", &error)) == NULL)
    g_error ("tim: dave: %s", error->message);
  g_clear_pointer (&login, json_object_unref);
  if ((login = timchat_test_client_login (carol, "carol", &error)) == NULL)
    g_error ("tim: carol: %s", error->message);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < N_APPEND; i++)
    {
      g_autoptr (JsonObject) reply = timchat_test_client_request_printf (
          carol, "openim.sendmsg",
          "{\"From_Account\":\"carol\",\"To_Account\":\"dave\",\"MsgSeq\":%u,\"MsgRandom\":%u,"
          "\"MsgClientTime\":%" G_GINT64_FORMAT ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
          "\"MsgContent\":{\"Text\":\"pushed message %u\"}}]}",
          i + 1, 8000000 + i, g_get_real_time () / G_USEC_PER_SEC, i);
    }
  while (pushes < N_APPEND && g_get_monotonic_time () < t0 + 120 * G_USEC_PER_SEC)
    {
      g_autoptr (GPtrArray) got = timchat_test_client_take_pushes (dave, "im_open_push.msg_push");

      pushes += got->len;
      if (pushes < N_APPEND)
        timchat_test_client_pump (dave, 5);
    }
  elapsed = g_get_monotonic_time () - t0;
  printf ("append (real path) baseline: the same 10,000 sendmsg to a raw receiving socket "
          "(fixture client, pushes counted, not parsed): %.2f s, %.0f msg/s (%u pushes)\n",
          elapsed / 1e6, pushes / (elapsed / 1e6), pushes);
  fflush (stdout);
  return elapsed / 1e6;
}

/* ---------------------------------------------------------------- main */

int
main (int argc, char **argv)
{
  const char *const conf[] = { "limits/idle_timeout=0", NULL };
  g_autoptr (TimchatFixture) f = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base_dir = NULL;
  g_autofree char *cold_dir = NULL;
  g_autofree char *command = NULL;
  double real_s, raw_s;

  if (argc == 6 && g_str_equal (argv[1], "--cold-child"))
    return cold_child (argv[2], argv[3], argv[4], argv[5]);
  if (argc == 3 && g_str_equal (argv[1], "--sqlite-child"))
    return sqlite_child (argv[2]);

  bench_ensure_server_env ();
  f = timchat_fixture_new (conf);
  base_dir = g_dir_make_tmp ("bench-tim-XXXXXX", &error);
  if (base_dir == NULL)
    g_error ("tim: %s", error->message);
  cold_dir = g_build_filename (base_dir, "cold", NULL);

  prepare_cold_data (cold_dir, timchat_fixture_get_sdkappid (f));
  measure_cold (f, cold_dir, "server running");
  timchat_fixture_stop (f);
  measure_cold (f, cold_dir, "server stopped");
  timchat_fixture_restart (f);

  measure_append_unit ();
  real_s = measure_append_real (f, base_dir);
  raw_s = measure_send_baseline (f);
  /* Sender, server and receiver share one thread in both runs: the difference is what bob's
   * client spends per pushed message. */
  printf ("append (real path): libtim %.0f msg/s, raw %.0f msg/s, ratio %.2f; the client spends "
          "%.2f ms per pushed message (%.0f msg/s if nothing else ran)\n",
          N_APPEND / real_s, N_APPEND / raw_s, raw_s / real_s, (real_s - raw_s) * 1000.0 / N_APPEND,
          N_APPEND / MAX (real_s - raw_s, 1e-6));

  command = g_strdup_printf ("rm -rf '%s'", base_dir);
  if (g_getenv ("BENCH_TIM_KEEP") == NULL)
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return 0;
}
