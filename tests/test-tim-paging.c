/* test-tim-paging.c: getMessageList over 1,000 messages (count ≤ 15, oldest first,
 * nextReqMessageID, isCompleted), again from the local store with the server gone, and the
 * TimMessageList model loading older pages at the top, holding only a few hundred of them; every
 * items-changed says what changed, even with a message sent from a handler of it; a list kept
 * after its client is gone. The pages of a conversation whose local store is not its whole
 * history (discarded messages, opened offline) are tested in test-tim-paging-gaps.c. */
#define G_LOG_DOMAIN "test-tim-paging"

#include "config.h"

#include "test-tim-paging-common.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

#define TOTAL 1000

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
  g_test_add_func ("/tim/paging/send-from-items-changed", test_send_from_items_changed);
  g_test_add_func ("/tim/paging/list-outlives-client", test_list_outlives_client);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
