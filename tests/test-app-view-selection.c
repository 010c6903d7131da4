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

/* Delete for Me… on two selected messages, and another conversation opens while its confirmation
 * is up (the dialog is modal, but a notification's click opens one all the same): Delete deletes
 * the two it asked about, as Save As saves the file its chooser was opened for. It looked their
 * IDs up in the conversation open then, found none, and deleted nothing without a word. */
static void
test_delete_then_other_conversation (void)
{
  g_autoptr (TimClient) ada = tim_test_client_new (fixture, base_dir, "d-ada");
  g_autoptr (TimClient) bo = tim_test_client_new (fixture, base_dir, "d-bo");
  g_autoptr (TimClient) cy = tim_test_client_new (fixture, base_dir, "d-cy");
  g_autoptr (TimMessage) one = sent (bo, "d-ada", "delete me");
  g_autoptr (TimMessage) two = sent (bo, "d-ada", "me too");
  g_autoptr (TimMessage) kept = sent (bo, "d-ada", "keep me");
  g_autoptr (TimMessage) other = sent (cy, "d-ada", "hello from cy");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  TimMessageList *bo_list = tim_client_get_message_list (ada, "C2Cd-bo");
  TimchatConversationView *view;
  GtkWindow *window;

  wait_unread (ada, "C2Cd-bo", 3);
  wait_unread (ada, "C2Cd-cy", 1);
  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (ada));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cd-bo");
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "keep me", 10000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select", "s",
                                             tim_message_get_id (one)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.set-selected", "(sb)",
                                             tim_message_get_id (two), TRUE));
  g_assert_cmpstr (bar_text (view), ==, "2 Selected");
  /* Not in a row of the list that goes: GTK 4.8's list view, given the focus back when the dialog
   * closes, asks about the row it had focused in the old model (a critical, beside this test). */
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  tim_test_collect (ada, "message-deleted", got);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.delete-selected", NULL));
  g_assert_nonnull (test_app_wait_message_dialog ());

  /* As the window's open-conversation does it. */
  timchat_conversation_view_set_conversation_id (view, "C2Cd-cy");
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "hello from cy", 10000));
  test_app_answer_dialog ("delete", NULL);
  g_assert_true (tim_test_wait_count (got, 2, 10000));
  g_assert_null (tim_message_list_lookup (bo_list, tim_message_get_id (one)));
  g_assert_null (tim_message_list_lookup (bo_list, tim_message_get_id (two)));
  g_assert_nonnull (tim_message_list_lookup (bo_list, tim_message_get_id (kept)));
  /* The conversation open now is as it was. */
  g_assert_false (view->selecting);
  g_assert_nonnull (_timchat_conversation_view_lookup (view, tim_message_get_id (other)));
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
  g_test_add_func ("/app/view/selection/delete-then-other-conversation",
                   test_delete_then_other_conversation);
  return test_app_run (fixture, base_dir);
}
