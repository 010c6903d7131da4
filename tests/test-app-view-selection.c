/* test-app-view-selection.c: selection mode while the conversation changes under it, against the
 * real server and real TimClients: a selected message recalled while it is out of view leaves
 * "N Selected" as Forward and Delete would count (they skip it), and the Delete for Me…
 * confirmation deletes what it asked about also when another conversation opened under it (a
 * notification's click does that under a modal dialog). Selection mode itself (check buttons, the
 * bar, forwarding, leaving) is test-app-select.c's. */
#define G_LOG_DOMAIN "test-app-view-selection"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "test-app-view-common.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"

/* More than the rows a GtkListView keeps bound around what it shows (~200), fewer than a message
 * list holds (300). */
#define FILLERS 240

static TimchatFixture *fixture;
static char *base_dir;

/* Sends text from from to to; the sender's message. */
static TimMessage *
sent (TimClient *from, const char *to, const char *text)
{
  g_autoptr (TimMessage) message = tim_client_create_text_message (from, to, TIM_CONV_C2C, text);
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_send (from, message, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&message);
}

static void
read_all (TimClient *client, const char *conversation_id)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_set_message_read_async (client, conversation_id, NULL, tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_message_read_finish (client, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* The view's list holds message_id (older pages loaded until it does). */
static void
load_until_listed (TimchatConversationView *view, const char *message_id)
{
  for (guint pages = 0; _timchat_conversation_view_lookup (view, message_id) == NULL; pages++)
    {
      g_autoptr (GAsyncResult) result = NULL;

      g_assert_cmpuint (pages, <, 40);
      tim_message_list_load_older_async (view->messages, NULL, tim_test_keep_result, &result);
      g_assert_true (tim_message_list_load_older_finish (view->messages,
                                                         tim_test_wait_result (&result), NULL));
    }
}

static gboolean
recalled (gpointer message)
{
  return tim_message_get_is_revoked (message);
}

static const char *
bar_text (TimchatConversationView *view)
{
  return gtk_label_get_text (view->selection_label);
}

static gboolean
gone (gpointer data)
{
  TimchatConversationView *view = g_object_get_data (data, "view");

  return _timchat_conversation_view_lookup (view, tim_message_get_id (data)) == NULL;
}

/* Selected, then recalled by its sender or deleted while far above what the reader sees (no row
 * shows them, so none unselects them): Forward and Delete skip them, and the bar counts as they
 * do. It said "3 Selected" for the one message they would act on. */
static void
test_gone_out_of_view (void)
{
  g_autoptr (TimClient) ana = tim_test_client_new (fixture, base_dir, "s-ana");
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "s-ben");
  g_autoptr (TimMessage) first = sent (ben, "s-ana", "the first of many");
  g_autoptr (TimMessage) last = NULL;
  g_autoptr (GPtrArray) acted_on = NULL;
  g_autoptr (GPtrArray) deleting = g_ptr_array_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  GtkWindow *window;
  g_autoptr (TimMessage) second = NULL;
  TimMessage *shown_first;

  tim_test_send_texts (ben, "s-ana", FILLERS, "filler");
  last = sent (ben, "s-ana", "the last one");
  wait_unread (ana, "C2Cs-ben", FILLERS + 2);
  read_all (ana, "C2Cs-ben");
  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (ana));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cs-ben");
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "the last one", 10000));
  load_until_listed (view, tim_message_get_id (first));
  wait_newest_visible (view);
  shown_first = _timchat_conversation_view_lookup (view, tim_message_get_id (first));
  second = g_object_ref (nth (view, 1));
  g_assert_null (_timchat_conversation_view_row_of (view, tim_message_get_id (first)));
  g_assert_null (_timchat_conversation_view_row_of (view, tim_message_get_id (second)));

  /* The last one from its menu, the other two as their rows asked when they were on screen. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select", "s",
                                             tim_message_get_id (last)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.set-selected", "(sb)",
                                             tim_message_get_id (first), TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.set-selected", "(sb)",
                                             tim_message_get_id (second), TRUE));
  g_assert_cmpstr (bar_text (view), ==, "3 Selected");

  tim_client_revoke_message_async (ben, first, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (ben, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (recalled, shown_first, 10000));
  test_app_iterate (200);
  g_assert_cmpstr (bar_text (view), ==, "2 Selected");

  g_object_set_data (G_OBJECT (second), "view", view);
  g_ptr_array_add (deleting, second);
  g_clear_object (&result);
  tim_client_delete_messages_async (ana, deleting, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_delete_messages_finish (ana, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (gone, second, 10000));
  test_app_iterate (200);
  acted_on = _timchat_conversation_view_dup_selected (view);
  g_assert_cmpuint (acted_on->len, ==, 1);
  g_assert_cmpstr (bar_text (view), ==, "1 Selected");
  gtk_window_destroy (window);
  test_app_iterate (50);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/view/selection/gone-out-of-view", test_gone_out_of_view);
  return test_app_run (fixture, base_dir);
}
