/* test-tim-paging.c: getMessageList over 1,000 messages (count ≤ 15, oldest first,
 * nextReqMessageID, isCompleted), again from the local store with the server gone, and the
 * TimMessageList model loading older pages at the top, holding only a few hundred of them; the
 * newest page of a conversation whose messages the user discards comes from the server; every
 * items-changed says what changed, even with a message sent from a handler of it; a list kept
 * after its client is gone. */
#define G_LOG_DOMAIN "test-tim-paging"

#include "config.h"

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

#define TOTAL 1000

static TimchatFixture *fixture;
static char *base_dir;

static GPtrArray *
page_all (TimClient *client, guint *pages_out)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;
  guint pages = 0;

  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (client, "C2Calice", cursor, &next, &completed, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 15);
      g_assert_cmpuint (page->len, >, 0);
      for (guint i = 1; i < page->len; i++) /* oldest first within the page */
        g_assert_cmpint (tim_message_get_server_seq (page->pdata[i - 1]), <,
                         tim_message_get_server_seq (page->pdata[i]));
      for (guint i = page->len; i > 0; i--)
        g_ptr_array_insert (texts, 0, g_strdup (tim_message_get_text (page->pdata[i - 1])));
      if (completed)
        g_assert_cmpstr (next, ==, "");
      else
        g_assert_cmpstr (next, ==, tim_message_get_id (page->pdata[0]));
      pages++;
      g_assert_cmpuint (pages, <, 200);
    }
  *pages_out = pages;
  return texts;
}

static void
assert_all (GPtrArray *texts)
{
  g_assert_cmpuint (texts->len, ==, TOTAL);
  for (guint i = 0; i < TOTAL; i++)
    {
      g_autofree char *expected = g_strdup_printf ("m%04u", i);
      g_assert_cmpstr (texts->pdata[i], ==, expected);
    }
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  (*(guint *) user_data)++;
  g_assert_cmpuint (position, ==, 0); /* older pages go on top, nothing else moves */
  g_assert_cmpuint (removed, ==, 0);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_paging (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autoptr (TimClient) bob = NULL;
  g_autoptr (GPtrArray) online = NULL;
  g_autoptr (GPtrArray) offline = NULL;
  g_autoptr (TimMessage) newest = NULL;
  g_autoptr (TimMessage) again = NULL;
  TimMessageList *list;
  guint pages = 0, changes = 0;
  gulong handler;

  /* bob must exist (have logged in once) to be written to; his client starts with nothing. */
  json_object_unref (timchat_test_rest (fixture, "im_open_login_svc/account_import",
                                        "{\"UserID\":\"bob\"}", NULL));
  for (guint i = 0; i < TOTAL; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%04u", i);
      g_autoptr (JsonObject) reply =
          timchat_test_send_text (alice, "bob", text, 1000 + i, 5000 + i);

      g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
    }
  bob = tim_test_client_new (fixture, base_dir, "bob");

  online = page_all (bob, &pages);
  assert_all (online);
  g_assert_cmpuint (pages, ==, (TOTAL + 14) / 15);

  /* Everything is cached now: the same pages come from the store with the server gone. */
  timchat_fixture_stop (fixture);
  while (tim_client_get_net_state (bob) == TIM_NET_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
  offline = page_all (bob, &pages);
  assert_all (offline);
  timchat_fixture_restart (fixture);

  list = tim_client_get_message_list (bob, "C2Calice");
  handler = g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), &changes);
  while (!tim_message_list_get_is_completed (list))
    {
      gboolean loaded = FALSE;

      tim_message_list_load_older_async (list, NULL, on_loaded, &loaded);
      g_assert_true (tim_test_wait_flag (&loaded, 10000));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, TOTAL);
  g_assert_cmpuint (changes, ==, (TOTAL + 14) / 15);
  for (guint i = 0; i < TOTAL; i += 97)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *expected = g_strdup_printf ("m%04u", i);
      g_assert_cmpstr (tim_message_get_text (message), ==, expected);
    }

  /* The list holds the messages used last (a few hundred) and gives the others back from the
   * store: right content, and the same instance while someone still has it. */
  g_assert_cmpuint (_tim_message_list_get_n_held (list), <=, 300);
  newest = g_list_model_get_item (G_LIST_MODEL (list), TOTAL - 1);
  g_assert_cmpstr (tim_message_get_text (newest), ==, "m0999");
  for (guint i = 0; i < TOTAL; i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *expected = g_strdup_printf ("m%04u", i);
      g_assert_cmpstr (tim_message_get_text (message), ==, expected);
    }
  g_assert_cmpuint (_tim_message_list_get_n_held (list), <=, 300);
  again = g_list_model_get_item (G_LIST_MODEL (list), TOTAL - 1);
  g_assert_true (again == newest);
  g_assert_true (tim_message_list_lookup (list, tim_message_get_id (newest)) == newest);
  g_signal_handler_disconnect (list, handler);
}

static gboolean
set_remind (TimClient *client, const char *conversation_id, const char *remind_type)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  gboolean done;

  tim_client_set_message_remind_type_async (client, conversation_id, remind_type, NULL,
                                            tim_test_keep_result, &result);
  done = tim_client_set_message_remind_type_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return done;
}

/* A new client of user (an account from now) that has received text from `from`, each message it
 * receives added to received. */
static TimClient *
client_with_message (TimchatTestClient *from, const char *user, const char *text,
                     GPtrArray *received)
{
  g_autofree char *account = g_strdup_printf ("{\"UserID\":\"%s\"}", user);
  TimClient *client;

  json_object_unref (
      timchat_test_rest (fixture, "im_open_login_svc/account_import", account, NULL));
  client = tim_test_client_new (fixture, base_dir, user);
  tim_test_collect (client, "message-received", received);
  json_object_unref (timchat_test_send_text (from, user, text, 1, 1));
  g_assert_true (tim_test_wait_count (received, 1, 5000));
  return client;
}

/* Discarded messages are not pushed, so the last message this device knows is not the last: the
 * newest page must still show what came since (the vendor: getMessageList reads them). */
static void
test_discarded_newest_page (void)
{
  g_autoptr (TimchatTestClient) ann = timchat_test_connect (fixture, "discard-ann");
  g_autoptr (TimClient) ben = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *next = NULL;
  gboolean completed = FALSE;

  ben = client_with_message (ann, "discard-ben", "seen", received);
  /* The newest page is the store's now. */
  page = tim_test_get_messages (ben, "C2Cdiscard-ann", NULL, &next, &completed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_clear_pointer (&page, g_ptr_array_unref);

  g_assert_true (set_remind (ben, "C2Cdiscard-ann", TIM_REMIND_DISCARD));
  json_object_unref (timchat_test_send_text (ann, "discard-ben", "unheard 1", 2, 2));
  json_object_unref (timchat_test_send_text (ann, "discard-ben", "unheard 2", 3, 3));
  g_assert_false (tim_test_wait_count (received, 2, 500));

  g_clear_pointer (&next, g_free);
  page = tim_test_get_messages (ben, "C2Cdiscard-ann", NULL, &next, &completed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (tim_message_get_text (page->pdata[0]), ==, "seen");
  g_assert_cmpstr (tim_message_get_text (page->pdata[2]), ==, "unheard 2");
  g_assert_true (completed);
  /* The conversation list shows it as the last message now. */
  g_assert_cmpstr (
      tim_message_get_text (tim_conversation_get_last_message (
          tim_conversation_list_lookup (tim_client_get_conversations (ben), "C2Cdiscard-ann"))),
      ==, "unheard 2");
}

/* The texts of list, oldest first, as "a;b;". */
static char *
list_texts (gpointer data)
{
  GListModel *list = data;
  g_autoptr (GString) texts = g_string_new ("");

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (list, i);

      g_string_append_printf (texts, "%s;", tim_message_get_text (message));
    }
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

static char *
describe_unread (gpointer conversation)
{
  return g_strdup_printf ("%u", tim_conversation_get_unread_count (conversation));
}

/* An open list of a conversation whose messages were discarded a while: taken back, the list
 * has what came meanwhile, in its place, and then what comes next. */
static void
test_discarded_then_taken_back (void)
{
  g_autoptr (TimchatTestClient) cat = timchat_test_connect (fixture, "discard-cat");
  g_autoptr (TimClient) dan = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  TimConversation *conversation;
  TimMessageList *list;
  gboolean loaded = FALSE;

  dan = client_with_message (cat, "discard-dan", "one", received);
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (dan), "C2Cdiscard-cat");
  list = tim_client_get_message_list (dan, "C2Cdiscard-cat");
  tim_message_list_load_older_async (list, NULL, on_loaded, &loaded);
  g_assert_true (tim_test_wait_flag (&loaded, 5000));
  tim_test_wait_described (list_texts, list, "one;");

  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==, 1);
  g_assert_true (set_remind (dan, "C2Cdiscard-cat", TIM_REMIND_DISCARD));
  /* Nothing counts as unread then, as the server lists it. */
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==, 0);
  json_object_unref (timchat_test_send_text (cat, "discard-dan", "two", 2, 2));
  json_object_unref (timchat_test_send_text (cat, "discard-dan", "three", 3, 3));
  g_assert_false (tim_test_wait_count (received, 2, 500));
  tim_test_wait_described (list_texts, list, "one;");

  g_assert_true (set_remind (dan, "C2Cdiscard-cat", TIM_REMIND_ACCEPT_AND_NOTIFY));
  tim_test_wait_described (list_texts, list, "one;two;three;");
  /* And what came meanwhile counts again, as the server lists it: all three, never read. */
  tim_test_wait_described (describe_unread, conversation, "3");
  json_object_unref (timchat_test_send_text (cat, "discard-dan", "four", 4, 4));
  tim_test_wait_described (list_texts, list, "one;two;three;four;");
  tim_test_wait_described (describe_unread, conversation, "4");
  g_assert_true (tim_message_list_get_is_completed (list));
}

/* ---- a shadow of a list model, checked at every items-changed ---- */

typedef struct
{
  GPtrArray *ids; /* message IDs, as the emissions so far say the model is */
  guint emissions;
} Shadow;

static void
on_shadow_changed (GListModel *model, guint position, guint removed, guint added, Shadow *shadow)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  shadow->emissions++;
  g_assert_cmpuint (position + removed, <=, shadow->ids->len);
  g_ptr_array_remove_range (shadow->ids, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr (TimMessage) item = g_list_model_get_item (model, position + i);

      g_assert_nonnull (item);
      g_ptr_array_insert (shadow->ids, position + i, g_strdup (tim_message_get_id (item)));
    }
  g_assert_cmpuint (shadow->ids->len, ==, g_list_model_get_n_items (model));
  g_assert_null (g_list_model_get_item (model, shadow->ids->len));
  for (guint i = 0; i < shadow->ids->len; i++)
    {
      g_autoptr (TimMessage) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (tim_message_get_id (item), ==, shadow->ids->pdata[i]);
      g_assert_true (g_hash_table_add (seen, shadow->ids->pdata[i]));
    }
}

static void
shadow_watch (Shadow *shadow, GListModel *model)
{
  shadow->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimMessage) item = g_list_model_get_item (model, i);

      g_ptr_array_add (shadow->ids, g_strdup (tim_message_get_id (item)));
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (on_shadow_changed), shadow);
}

typedef struct
{
  TimClient *client;
  gboolean replied;
} Replier;

/* A bot: a message that comes into the list is answered at once, from the handler. */
static void
reply_from_handler (GListModel *model, guint position, guint removed, guint added, Replier *replier)
{
  g_autoptr (TimMessage) reply = NULL;

  if (replier->replied || added == 0)
    return;
  replier->replied = TRUE;
  reply = tim_client_create_text_message (replier->client, "bot-eve", TIM_CONV_C2C, "pong");
  tim_client_send_message_async (replier->client, reply, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Sending from an items-changed handler of a list (a bot answering what comes in) puts the answer
 * in after what it answers, every emission saying what changed, once: the send put it in at once,
 * from inside the emission of what came, so that handlers after the bot's were told of the answer
 * before the message, and the batch of what came was taken in twice (a GLib critical). */
static void
test_send_from_items_changed (void)
{
  g_autoptr (TimchatTestClient) eve = timchat_test_connect (fixture, "bot-eve");
  g_autoptr (TimClient) bot = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  Replier replier = { 0 };
  Shadow shadow = { 0 };
  TimMessageList *list;
  gboolean loaded = FALSE;

  bot = client_with_message (eve, "bot-bob", "hello", received);
  list = tim_client_get_message_list (bot, "C2Cbot-eve");
  tim_message_list_load_older_async (list, NULL, on_loaded, &loaded);
  g_assert_true (tim_test_wait_flag (&loaded, 5000));
  tim_test_wait_described (list_texts, list, "hello;");

  replier.client = bot;
  g_signal_connect (list, "items-changed", G_CALLBACK (reply_from_handler), &replier);
  shadow_watch (&shadow, G_LIST_MODEL (list));
  json_object_unref (timchat_test_send_text (eve, "bot-bob", "ping", 2, 2));
  tim_test_wait_described (list_texts, list, "hello;ping;pong;");
  g_assert_true (replier.replied);
  g_assert_cmpuint (shadow.emissions, ==, 2);

  g_signal_handlers_disconnect_by_data (list, &shadow);
  g_signal_handlers_disconnect_by_data (list, &replier);
  g_ptr_array_unref (shadow.ids);
}

static gboolean
is_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED;
}

/* Loads older pages of list until it is complete. */
static void
load_all (TimMessageList *list)
{
  for (guint pages = 0; !tim_message_list_get_is_completed (list); pages++)
    {
      gboolean loaded = FALSE;

      g_assert_cmpuint (pages, <, 10);
      tim_message_list_load_older_async (list, NULL, on_loaded, &loaded);
      g_assert_true (tim_test_wait_flag (&loaded, 10000));
    }
}

/* A conversation opened while offline (or before the login is through) shows what the local store
 * has, which is not where its history begins: once connected, the older pages come from the
 * server. So too when all the store has of it is a message still waiting to be sent. */
static void
test_opened_offline (void)
{
  g_autoptr (TimchatTestClient) eve = timchat_test_connect (fixture, "offline-eve");
  g_autoptr (TimchatTestClient) gus = timchat_test_connect (fixture, "offline-gus");
  g_autoptr (TimClient) fay = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) pending = NULL;
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GError) error = NULL;
  TimMessageList *from_eve, *from_gus;
  gboolean loaded = FALSE;

  /* Messages before fay's client exists: the server has them, her store will not. */
  json_object_unref (timchat_test_rest (fixture, "im_open_login_svc/account_import",
                                        "{\"UserID\":\"offline-fay\"}", NULL));
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *text = g_strdup_printf ("old %u", i);

      json_object_unref (timchat_test_send_text (eve, "offline-fay", text, 100 + i, 200 + i));
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("g%u", i);

      json_object_unref (timchat_test_send_text (gus, "offline-fay", text, 100 + i, 200 + i));
    }
  fay = client_with_message (eve, "offline-fay", "new", received);

  timchat_fixture_stop (fixture);
  while (is_connected (fay))
    g_main_context_iteration (NULL, TRUE);
  from_eve = tim_client_get_message_list (fay, "C2Coffline-eve");
  tim_message_list_load_older_async (from_eve, NULL, on_loaded, &loaded);
  g_assert_true (tim_test_wait_flag (&loaded, 5000));
  tim_test_wait_described (list_texts, from_eve, "new;");
  /* The store ends there, the history does not. */
  g_assert_false (tim_message_list_get_is_completed (from_eve));

  pending = tim_client_create_text_message (fay, "offline-gus", TIM_CONV_C2C, "pending");
  tim_client_send_message_async (fay, pending, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  from_gus = tim_client_get_message_list (fay, "C2Coffline-gus");
  loaded = FALSE;
  tim_message_list_load_older_async (from_gus, NULL, on_loaded, &loaded);
  g_assert_true (tim_test_wait_flag (&loaded, 5000));
  tim_test_wait_described (list_texts, from_gus, "pending;");
  g_assert_false (tim_message_list_get_is_completed (from_gus));

  timchat_fixture_restart (fixture);
  tim_client_reconnect_now (fay);
  g_assert_true (tim_test_wait_until (is_connected, fay, 10000));
  /* At once, while the message still waits for the sync before it goes. */
  load_all (from_gus);
  tim_test_wait_described (list_texts, from_gus, "g0;g1;g2;pending;");
  load_all (from_eve);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (from_eve)), ==, 31);
  g_assert_true (tim_client_send_message_finish (fay, tim_test_wait_result (&sent), &error));
  g_assert_no_error (error);
}

static void
on_refused (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  *(gboolean *) user_data = TRUE;
}

/* Each item of list (oldest first) is "t<n>" from first on, and no older page loads. */
static void
assert_kept (TimMessageList *list, guint first)
{
  gboolean refused = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *expected = g_strdup_printf ("t%03u", first + i);

      g_assert_cmpstr (tim_message_get_text (message), ==, expected);
    }
  tim_message_list_load_older_async (list, NULL, on_refused, &refused);
  g_assert_true (tim_test_wait_flag (&refused, 5000));
}

/* A list the app keeps after its client is gone (disposed first at shutdown, then freed) gives
 * every message it showed, those it had let go of too, and refuses older pages as any call after
 * a logout (2024), the one in flight too. It kept a bare pointer to the client, asked for both. */
static void
test_list_outlives_client (void)
{
  g_autoptr (TimchatTestClient) kim = timchat_test_connect (fixture, "lo-kim");
  g_autoptr (TimMessageList) list = NULL;
  TimClient *lee;
  gboolean loaded = FALSE, refused = FALSE;

  timchat_test_import_account (fixture, "lo-lee", NULL);
  for (guint i = 0; i < 320; i++)
    {
      g_autofree char *text = g_strdup_printf ("t%03u", i);

      json_object_unref (timchat_test_send_text (kim, "lo-lee", text, 100 + i, 200 + i));
    }
  lee = tim_test_client_new (fixture, base_dir, "lo-lee");
  list = g_object_ref (tim_client_get_message_list (lee, "C2Clo-kim"));
  /* 315 of 320: more than the list holds (300), and not the beginning. */
  for (guint pages = 0; pages < 21; pages++, loaded = FALSE)
    {
      tim_message_list_load_older_async (list, NULL, on_loaded, &loaded);
      g_assert_true (tim_test_wait_flag (&loaded, 10000));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 315);
  g_assert_cmpuint (_tim_message_list_get_n_held (list), <=, 300);

  tim_message_list_load_older_async (list, NULL, on_refused, &refused);
  g_object_run_dispose (G_OBJECT (lee));
  g_assert_true (tim_test_wait_flag (&refused, 5000));
  assert_kept (list, 5);

  /* Nothing else holds the client: it is freed here. */
  g_object_add_weak_pointer (G_OBJECT (lee), (gpointer *) &lee);
  g_object_unref (lee);
  g_assert_null (lee);
  assert_kept (list, 5);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/paging/thousand", test_paging);
  g_test_add_func ("/tim/paging/discarded-newest-page", test_discarded_newest_page);
  g_test_add_func ("/tim/paging/discarded-then-taken-back", test_discarded_then_taken_back);
  g_test_add_func ("/tim/paging/opened-offline", test_opened_offline);
  g_test_add_func ("/tim/paging/send-from-items-changed", test_send_from_items_changed);
  g_test_add_func ("/tim/paging/list-outlives-client", test_list_outlives_client);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
