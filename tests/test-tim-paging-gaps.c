/* test-tim-paging-gaps.c: pages of a conversation whose local store is not its whole history,
 * against the real server: the newest page of a conversation whose messages the user discards
 * comes from the server, and an open list has what came meanwhile once they are taken back; a
 * conversation opened offline gets its older pages from the server once connected. Split from
 * test-tim-paging.c (getMessageList and the message list, by theme) to keep each program short;
 * one server per program. */
#define G_LOG_DOMAIN "test-tim-paging-gaps"

#include "config.h"

#include "test-tim-paging-common.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

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

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/paging/discarded-newest-page", test_discarded_newest_page);
  g_test_add_func ("/tim/paging/discarded-then-taken-back", test_discarded_then_taken_back);
  g_test_add_func ("/tim/paging/opened-offline", test_opened_offline);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
