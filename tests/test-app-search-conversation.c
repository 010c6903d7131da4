/* test-app-search-conversation.c: searching the open conversation's messages in the app, against
 * the real server and real TimClients: Ctrl+F opens the bar with the entry in focus; typing lists
 * the open conversation's matches only, newest first, the match in bold, their count beside the
 * entry, and "No Messages Found" for a word nobody wrote; Down and Enter take a result, which the
 * view scrolls to and highlights; a result older than the pages loaded is reached by loading older
 * pages; Escape closes the bar and gives the composer the focus; the header's Search Messages
 * button opens it in the window, and another conversation closes it. Split from
 * test-app-search.c (by theme: the conversation's search bar here, the sidebar's search in every
 * conversation in test-app-search-sidebar.c) to keep each program short; the key presses and
 * what both look for on screen are in test-app-search-common.c. */
#define G_LOG_DOMAIN "test-app-search-conversation"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-search-common.h"
#include "test-app-util.h"
#include "tim-message-private.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"
#include "timchat-format.h"
#include "timchat-search-results.h"
#include "timchat-window-private.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
composer_focused (gpointer data)
{
  return focus_within (TIMCHAT_CONVERSATION_VIEW (data)->composer);
}

/* Sent by from to to, and received by to's client (so that its device has seen it). */
static TimMessage *
send_text (TimClient *from, TimClient *to, const char *text)
{
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (from, tim_client_get_user (to), TIM_CONV_C2C, text);

  return tim_test_send_and_receive (from, to, message);
}

/* A view of client's conversation_id in a window with a toast overlay, all read first so that it
 * opens at the newest (not at the first unread, with the pages down to it loaded). */
static TimchatConversationView *
open_view (TimClient *client, const char *conversation_id)
{
  TimchatConversationView *view =
      TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (client));
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  g_assert_nonnull (conversation);
  tim_client_set_message_read_async (client, conversation_id, NULL, NULL, NULL);
  g_assert_true (tim_test_wait_until (all_read, conversation, 10000));

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (view));
  gtk_window_set_default_size (window, 480, 520);
  gtk_window_set_child (window, overlay);
  gtk_window_present (window);
  timchat_conversation_view_set_conversation_id (view, conversation_id);
  g_assert_true (
      tim_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, view->list_view, 5000));
  return view;
}

static gboolean
settled (gpointer data)
{
  TimchatConversationView *view = data;

  return view->opened && view->pin_tick == 0 && !view->loading_older;
}

static void
wait_settled (TimchatConversationView *view)
{
  g_assert_true (tim_test_wait_until (settled, view, 10000));
  test_app_iterate (300);
}

/* Types text in the search entry (as one edit) and waits for the answer. */
static void
type_search (TimchatConversationView *view, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (view->search_entry), "");
  g_assert_true (tim_test_wait_until (summary_is_blank, view->search_results, 5000));
  gtk_editable_set_text (GTK_EDITABLE (view->search_entry), text);
  g_assert_true (tim_test_wait_until (summary_is_set, view->search_results, 5000));
}

static TimMessage *
result (TimchatConversationView *view, guint i)
{
  GListModel *model = timchat_search_results_get_model (view->search_results);
  g_autoptr (TimMessage) message = g_list_model_get_item (model, i);

  return message; /* the store keeps it */
}

static guint
n_results (TimchatConversationView *view)
{
  return g_list_model_get_n_items (timchat_search_results_get_model (view->search_results));
}

/* ---- the tests ---- */

static void
test_markup (void)
{
  g_autofree char *plain = timchat_search_markup ("The Train & <the> train", "TRAIN");
  g_autofree char *chinese = timchat_search_markup ("我们明天坐火车去北京", "火车");
  g_autofree char *long_text = timchat_search_markup (
      "Some words that come first, then more of them, and at last the train", "train");
  g_autofree char *nothing = timchat_search_markup ("a <b>", "zebra");
  g_autofree char *at_word = timchat_search_markup (
      "Some words that come first, then more of them, a bc then the train", "train");

  g_assert_cmpstr (plain, ==, "The <b>Train</b> &amp; &lt;the&gt; <b>train</b>");
  g_assert_cmpstr (chinese, ==, "我们明天坐<b>火车</b>去北京");
  g_assert_cmpstr (long_text, ==, "…at last the <b>train</b>");
  g_assert_cmpstr (nothing, ==, "a &lt;b&gt;");
  g_assert_cmpstr (at_word, ==, "…bc then the <b>train</b>");
}

/* Ctrl+F from the composer opens the bar with the entry in focus; typing lists this
 * conversation's matches only, newest first, in bold, counted; a word nobody wrote finds
 * nothing; Down and Enter take the second result: the view goes to it and highlights it;
 * Escape there closes the bar and gives the composer the focus. */
static void
test_search_and_go (void)
{
  g_autoptr (TimClient) tia = tim_test_client_new (fixture, base_dir, "tia");
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimMessage) first = send_text (uma, tia, "The train leaves at nine");
  g_autoptr (TimMessage) elsewhere = send_text (vic, tia, "Which train? Mine is late");
  g_autoptr (TimMessage) second = NULL;
  TimchatConversationView *view;
  GtkWidget *entry;
  Shown shown;

  /* More than the window shows, less than a page: the first is loaded but off screen. */
  tim_test_send_texts (uma, "tia", 10, "filler");
  second = send_text (uma, tia, "Forget the TRAIN, we drive");
  tim_test_send_texts (uma, "tia", 2, "filler after");

  view = open_view (tia, "C2Cuma");
  entry = GTK_WIDGET (view->search_entry);
  wait_settled (view);
  g_assert_true (timchat_conversation_view_focus_start (view));
  g_assert_false (gtk_search_bar_get_search_mode (view->search_bar));

  /* (a) Ctrl+F, from the composer. */
  g_assert_true (press (GTK_WIDGET (view), GDK_KEY_f, GDK_CONTROL_MASK));
  g_assert_true (gtk_search_bar_get_search_mode (view->search_bar));
  g_assert_true (focus_within (entry));

  /* (b) This conversation's two, newest first, the match in bold, counted. */
  type_search (view, "train");
  g_assert_cmpuint (n_results (view), ==, 2);
  g_assert_true (result (view, 0) == second);
  g_assert_true (result (view, 1) == first);
  g_assert_cmpstr (gtk_label_get_text (view->search_count), ==, "2 messages");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view->search_count)));
  g_assert_true (gtk_widget_get_visible (view->search_popup));
  g_assert_true (tim_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped,
                                      view->search_results, 5000));
  /* The rows are made and bound when the list is laid out: in a frame. */
  test_app_wait_frame (GTK_WIDGET (view->search_results));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (view->search_results), is_markup_label,
                                          "Forget the <b>TRAIN</b>, we drive"));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (view->search_results), is_markup_label,
                                          "The <b>train</b> leaves at nine"));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view->search_results), "uma", 1000));
  test_app_screenshot (gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_WINDOW),
                       "search-results.png");

  type_search (view, "zebra");
  g_assert_cmpuint (n_results (view), ==, 0);
  g_assert_true (gtk_widget_get_visible (view->search_popup));
  test_app_wait_frame (view->search_popup);
  g_assert_nonnull (test_app_find_widget (view->search_popup, is_shown_text, "No Messages Found"));
  test_app_screenshot (gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_WINDOW),
                       "search-nothing.png");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view->search_count)));

  /* (c) Down to the older one, Enter: the view goes there and highlights it. */
  type_search (view, "train");
  g_assert_true (focus_within (entry));
  g_assert_nonnull (tim_message_list_lookup (view->messages, tim_message_get_id (first)));
  g_assert_false (message_shown (&(Shown){ view, tim_message_get_id (first) }));
  g_assert_true (press (entry, GDK_KEY_Down, 0));
  g_assert_cmpuint (timchat_search_results_get_selected (view->search_results), ==, 1);
  g_assert_true (press (entry, GDK_KEY_Return, 0));
  shown = (Shown){ view, tim_message_get_id (first) };
  g_assert_true (tim_test_wait_until (message_shown, &shown, 5000));
  g_assert_false (gtk_widget_get_visible (view->search_popup));
  test_app_screenshot (gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_WINDOW),
                       "search-went-to.png");
  g_assert_true (gtk_search_bar_get_search_mode (view->search_bar));

  /* Clicked back into the entry (no Ctrl+F): Down brings the results back as they were, the one
   * taken selected; Down again goes on from it. */
  gtk_widget_grab_focus (entry);
  g_assert_true (press (entry, GDK_KEY_Down, 0));
  g_assert_true (gtk_widget_get_visible (view->search_popup));
  g_assert_cmpuint (timchat_search_results_get_selected (view->search_results), ==, 1);
  g_assert_true (press (entry, GDK_KEY_Up, 0));
  g_assert_cmpuint (timchat_search_results_get_selected (view->search_results), ==, 0);
  g_assert_true (press (entry, GDK_KEY_Down, 0));
  g_assert_cmpuint (timchat_search_results_get_selected (view->search_results), ==, 1);

  /* Ctrl+F from there: back in the entry, the results again. */
  g_assert_true (press (GTK_WIDGET (view), GDK_KEY_f, GDK_CONTROL_MASK));
  g_assert_true (focus_within (entry));
  g_assert_true (gtk_widget_get_visible (view->search_popup));
  g_assert_cmpuint (n_results (view), ==, 2);
  /* Up, Enter: the newer one. */
  g_assert_true (press (entry, GDK_KEY_Up, 0));
  g_assert_cmpuint (timchat_search_results_get_selected (view->search_results), ==, 0);
  g_assert_true (press (entry, GDK_KEY_Return, 0));
  shown = (Shown){ view, tim_message_get_id (second) };
  g_assert_true (tim_test_wait_until (message_shown, &shown, 5000));

  /* (e) Escape, from the message it went to: closed, the composer in focus. */
  g_assert_true (press (GTK_WIDGET (view), GDK_KEY_Escape, 0));
  g_assert_false (gtk_search_bar_get_search_mode (view->search_bar));
  g_assert_true (tim_test_wait_until (composer_focused, view, 2000));

  /* Ctrl+F again: a new search (GtkSearchBar empties its entry as it closes); Escape in the
   * entry closes it. */
  g_assert_true (press (GTK_WIDGET (view), GDK_KEY_f, GDK_CONTROL_MASK));
  g_assert_true (focus_within (entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (view->search_popup));
  type_search (view, "drive");
  g_assert_cmpuint (n_results (view), ==, 1);
  g_assert_true (gtk_widget_get_visible (view->search_popup));
  g_assert_true (press (entry, GDK_KEY_Escape, 0));
  g_assert_false (gtk_search_bar_get_search_mode (view->search_bar));
  g_assert_false (gtk_widget_get_visible (view->search_popup));
  g_assert_true (tim_test_wait_until (composer_focused, view, 2000));

  /* A result recalled while the list is open leaves it, and the count follows. */
  g_assert_true (press (GTK_WIDGET (view), GDK_KEY_f, GDK_CONTROL_MASK));
  type_search (view, "train");
  g_assert_cmpuint (n_results (view), ==, 2);
  _tim_message_set_revoked (second, "uma");
  g_assert_cmpuint (n_results (view), ==, 1);
  g_assert_true (result (view, 0) == first);
  g_assert_cmpstr (gtk_label_get_text (view->search_count), ==, "1 message");

  /* One deleted (for oneself) leaves it too. */
  {
    g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
    g_autoptr (GAsyncResult) deleted = NULL;
    g_autoptr (GError) error = NULL;

    g_ptr_array_add (doomed, tim_message_list_lookup (view->messages, tim_message_get_id (first)));
    g_assert_nonnull (doomed->pdata[0]);
    tim_client_delete_messages_async (tia, doomed, NULL, tim_test_keep_result, &deleted);
    g_assert_true (
        tim_client_delete_messages_finish (tia, tim_test_wait_result (&deleted), &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (n_results (view), ==, 0);
  g_assert_cmpstr (timchat_search_results_get_summary (view->search_results), ==,
                   "No Messages Found");
  test_app_close (GTK_WIDGET (view));
}

/* (d) A result older than the pages the view has loaded: older pages come in until it has it,
 * then it is shown and highlighted. */
static void
test_go_to_older (void)
{
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autoptr (TimClient) xan = tim_test_client_new (fixture, base_dir, "xan");
  g_autoptr (TimMessage) old = send_text (xan, wes, "An old needle in the haystack");
  TimchatConversationView *view;
  Shown shown;

  tim_test_send_texts (xan, "wes", 90, "hay");
  view = open_view (wes, "C2Cxan");
  wait_settled (view);
  g_assert_null (tim_message_list_lookup (view->messages, tim_message_get_id (old)));

  g_assert_true (timchat_conversation_view_start_search (view));
  type_search (view, "NEEDLE");
  g_assert_cmpuint (n_results (view), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (view->search_count), ==, "1 message");
  g_assert_true (press (GTK_WIDGET (view->search_entry), GDK_KEY_Return, 0));
  shown = (Shown){ view, tim_message_get_id (old) };
  g_assert_true (tim_test_wait_until (message_shown, &shown, 15000));
  g_assert_nonnull (tim_message_list_lookup (view->messages, tim_message_get_id (old)));
  g_assert_null (view->seek_id);
  test_app_close (GTK_WIDGET (view));
}

/* Enter right after typing, before GtkSearchEntry's search-changed (150 ms after the last key:
 * GTK 4.8 says activate first), or after it but before libtim has answered: the first result of
 * what is typed, not the one selected for what was typed before, nor nothing; the
 * search-changed that comes after it does not search again and bring the card back. */
static void
test_enter_before_results (void)
{
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autoptr (TimMessage) train = send_text (gus, fay, "The train is late");
  g_autoptr (TimMessage) plane = send_text (gus, fay, "The plane is early");
  TimchatConversationView *view = open_view (fay, "C2Cgus");
  GtkWidget *text = test_app_find_widget (GTK_WIDGET (view->search_entry), test_app_has_type,
                                          GSIZE_TO_POINTER (GTK_TYPE_TEXT));
  Shown shown = { view, tim_message_get_id (train) };

  wait_settled (view);
  g_assert_true (timchat_conversation_view_start_search (view));
  type_search (view, "plane");
  g_assert_cmpuint (n_results (view), ==, 1);

  /* (a) Before search-changed: the plane was selected, the train is asked for. */
  gtk_editable_set_text (GTK_EDITABLE (view->search_entry), "train");
  g_signal_emit_by_name (text, "activate");
  g_assert_true (tim_test_wait_until (message_shown, &shown, 5000));
  g_assert_false (gtk_widget_get_visible (view->search_popup));
  test_app_iterate (400); /* search-changed has come */
  g_assert_false (gtk_widget_get_visible (view->search_popup));
  g_assert_cmpuint (n_results (view), ==, 1);
  g_assert_true (result (view, 0) == train);

  /* (b) After search-changed, before the answer (it comes from an idle). */
  gtk_editable_set_text (GTK_EDITABLE (view->search_entry), "plane");
  g_signal_emit_by_name (view->search_entry, "search-changed");
  g_assert_cmpuint (n_results (view), ==, 0);
  g_signal_emit_by_name (text, "activate");
  shown.id = tim_message_get_id (plane);
  g_assert_true (tim_test_wait_until (message_shown, &shown, 5000));
  test_app_iterate (400);
  g_assert_false (gtk_widget_get_visible (view->search_popup));
  test_app_close (GTK_WIDGET (view));
}

/* In the window: the header's Search Messages button is there while a conversation is open and
 * opens the search; another conversation closes it (and empties it). */
static void
test_window_button_and_switch (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "yan", 3600);
  g_autoptr (TimClient) zed = tim_test_client_new (fixture, base_dir, "zed");
  g_autoptr (TimClient) abe = tim_test_client_new (fixture, base_dir, "abe");
  TimchatWindow *window = timchat_window_new (NULL, "search-test", base_dir);
  TimchatConversationView *view;
  GtkWidget *button;

  timchat_test_import_account (fixture, "yan", NULL);
  tim_test_send_texts (zed, "yan", 2, "zed says");
  tim_test_send_texts (abe, "yan", 2, "abe says");
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "yan", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "win.search-messages");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));

  timchat_window_open_conversation (window, "C2Czed");
  g_assert_true (gtk_widget_get_visible (button));
  view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "zed says 002", 10000));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_search_bar_get_search_mode (view->search_bar));
  g_assert_true (focus_within (GTK_WIDGET (view->search_entry)));
  type_search (view, "says");
  g_assert_cmpuint (n_results (view), ==, 2);

  timchat_window_open_conversation (window, "C2Cabe");
  g_assert_false (gtk_search_bar_get_search_mode (view->search_bar));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (view->search_entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (view->search_popup));
  g_assert_cmpuint (n_results (view), ==, 0);
  /* Opened again, it searches the conversation open now. */
  g_signal_emit_by_name (button, "clicked");
  type_search (view, "says");
  g_assert_cmpuint (n_results (view), ==, 2);
  g_assert_cmpstr (tim_message_get_conversation_id (result (view, 0)), ==, "C2Cabe");

  timchat_window_close_conversation (window);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_false (gtk_search_bar_get_search_mode (view->search_bar));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/search/markup", test_markup);
  g_test_add_func ("/app/search/search-and-go", test_search_and_go);
  g_test_add_func ("/app/search/go-to-older", test_go_to_older);
  g_test_add_func ("/app/search/enter-before-results", test_enter_before_results);
  g_test_add_func ("/app/search/window-button-and-switch", test_window_button_and_switch);
  return test_app_run (fixture, base_dir);
}
