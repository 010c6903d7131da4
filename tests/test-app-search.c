/* test-app-search.c: searching a conversation's messages in the app, against the real server and
 * real TimClients: Ctrl+F opens the bar with the entry in focus; typing lists the open
 * conversation's matches only, newest first, the match in bold, their count beside the entry,
 * and "No Messages Found" for a word nobody wrote; Down and Enter take a result, which the view
 * scrolls to and highlights; a result older than the pages loaded is reached by loading older
 * pages; Escape closes the bar and gives the composer the focus; the header's Search Messages
 * button opens it in the window, and another conversation closes it. The sidebar's search looks in
 * every conversation: a result says where it was written and who wrote it, and taking one opens
 * its conversation at that message; Escape in its entry ends it.
 *
 * Keys go through the widgets' own controllers from the focus widget up, as GTK dispatches a key
 * press (capture from the window down, then bubbling up): Xvfb cannot type into a window that
 * has no window manager to give it the focus. */
#define G_LOG_DOMAIN "test-app-search"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-message-private.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"
#include "timchat-format.h"
#include "timchat-message-row.h"
#include "timchat-search-results.h"
#include "timchat-window-private.h"

static TimchatFixture *fixture;
static char *base_dir;

/* ---- keys ---- */

static gboolean
try_controllers (GtkWidget *widget, GtkPropagationPhase phase, guint keyval, GdkModifierType mods)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);
      const char *name = gtk_event_controller_get_name (controller);

      if (gtk_event_controller_get_propagation_phase (controller) != phase)
        continue;
      if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        {
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr (GtkShortcut) shortcut =
                  g_list_model_get_item (G_LIST_MODEL (controller), j);
              GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

              if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
                  gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
                  gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
      /* Our own key controllers (GTK's need a real event). */
      else if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && name != NULL &&
               (g_str_equal (name, "search-keys") || g_str_equal (name, "composer-keys")))
        {
          gboolean handled = FALSE;

          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, mods, &handled);
          if (handled)
            return TRUE;
        }
    }
  return FALSE;
}

/* A key press at the window's focus widget; TRUE when something took it. */
static gboolean
press (GtkWidget *any, guint keyval, GdkModifierType mods)
{
  GtkRoot *root = gtk_widget_get_root (any);
  GtkWidget *focus = gtk_root_get_focus (root);
  g_autoptr (GPtrArray) chain = g_ptr_array_new ();

  for (GtkWidget *w = focus != NULL ? focus : GTK_WIDGET (root); w != NULL;
       w = gtk_widget_get_parent (w))
    g_ptr_array_insert (chain, 0, w);
  for (guint i = 0; i < chain->len; i++)
    if (try_controllers (chain->pdata[i], GTK_PHASE_CAPTURE, keyval, mods))
      return TRUE;
  for (guint i = chain->len; i > 0; i--)
    if (try_controllers (chain->pdata[i - 1], GTK_PHASE_BUBBLE, keyval, mods))
      return TRUE;
  return FALSE;
}

static gboolean
focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* A row of the list under widget has the focus (not the list itself: the arrows go on from a
 * row). */
static gboolean
row_focused_in (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && gtk_widget_is_ancestor (focus, widget) && !GTK_IS_LIST_VIEW (focus) &&
         gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_VIEW) != NULL;
}

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

static gboolean
all_read (gpointer data)
{
  TimConversation *conversation = data;

  return tim_conversation_get_unread_count (conversation) == 0;
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

static gboolean
summary_is_blank (gpointer data)
{
  return *timchat_search_results_get_summary (data) == '\0';
}

static gboolean
summary_is_set (gpointer data)
{
  return !summary_is_blank (data);
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

/* A label on screen under root says text. */
static gboolean
is_shown_text (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text);
}

static gboolean
is_markup_label (GtkWidget *widget, gconstpointer markup)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         gtk_label_get_use_markup (GTK_LABEL (widget)) &&
         g_str_equal (gtk_label_get_label (GTK_LABEL (widget)), markup);
}

typedef struct
{
  TimchatConversationView *view;
  const char *id;
} Shown;

/* The message's row: inside the viewport, the focus in it, highlighted. */
static gboolean
message_shown (gpointer data)
{
  Shown *shown = data;
  GtkWidget *row = _timchat_conversation_view_row_of (shown->view, shown->id);
  graphene_point_t point;

  return row != NULL && gtk_widget_get_mapped (row) &&
         gtk_widget_compute_point (row, GTK_WIDGET (shown->view->scroller),
                                   &GRAPHENE_POINT_INIT (0, 0), &point) &&
         point.y >= -1 &&
         point.y + gtk_widget_get_height (row) <=
             gtk_widget_get_height (GTK_WIDGET (shown->view->scroller)) + 1 &&
         focus_within (gtk_widget_get_parent (row)) &&
         timchat_message_row_get_flashing (TIMCHAT_MESSAGE_ROW (row));
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

/* ---- the sidebar's search ---- */

static TimchatSearchResults *
sidebar_results (TimchatWindow *window)
{
  return window->message_results;
}

static guint
n_sidebar_results (TimchatWindow *window)
{
  return g_list_model_get_n_items (timchat_search_results_get_model (sidebar_results (window)));
}

/* Types text in the sidebar's entry and waits for the messages found. */
static void
type_sidebar_search (TimchatWindow *window, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  g_assert_true (tim_test_wait_until (summary_is_blank, sidebar_results (window), 5000));
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), text);
  g_assert_true (tim_test_wait_until (summary_is_set, sidebar_results (window), 5000));
}

typedef struct
{
  TimchatWindow *window;
  guint want;
} Found;

/* What the window's device has seen: search until what was sent to it has come. */
static gboolean
sidebar_finds (gpointer data)
{
  Found *found = data;

  type_sidebar_search (found->window, "kiwi");
  return n_sidebar_results (found->window) == found->want;
}

static gboolean
lists_message (TimchatSearchResults *results, TimMessage *message)
{
  GListModel *model = timchat_search_results_get_model (results);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimMessage) listed = g_list_model_get_item (model, i);

      if (g_strcmp0 (tim_message_get_id (listed), tim_message_get_id (message)) == 0)
        return TRUE;
    }
  return FALSE;
}

static TimchatConversationView *
window_view (TimchatWindow *window)
{
  return TIMCHAT_CONVERSATION_VIEW (window->conversation_view);
}

static gboolean
view_is_open (gpointer data)
{
  Shown *shown = data;

  return g_strcmp0 (timchat_conversation_view_get_conversation_id (shown->view), shown->id) == 0;
}

/* The sidebar's search finds the messages of every conversation, newest first, each under its
 * conversation's name, the user's own after "You: " and a group member's after their name; the
 * conversations whose name matches come first, under their heading, and none (no heading) when
 * none does. Taking a message opens its conversation at it, even one older than the first page;
 * the search stays. Enter opens the first conversation found, else the first message found. A
 * section that goes with the focus in it gives the focus back to the entry, and Down from there
 * reaches what is left. */
static void
test_sidebar_all_conversations (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "cal", 3600);
  g_autoptr (TimClient) dee = tim_test_client_new (fixture, base_dir, "dee");
  g_autoptr (TimClient) eli = tim_test_client_new (fixture, base_dir, "eli");
  g_autoptr (TimMessage) old = NULL;
  g_autoptr (TimMessage) in_group = NULL;
  g_autoptr (TimMessage) own = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *group_conversation = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "search-all-test", base_dir);
  TimchatSearchResults *results;
  int sidebar_width;
  TimClient *cal;
  Found found;
  Shown shown;

  timchat_test_import_account (fixture, "cal", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "cal", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  cal = timchat_window_get_client (window);

  /* Received while the window is logged in: the device has seen them. */
  old = tim_client_create_text_message (dee, "cal", TIM_CONV_C2C, "An old kiwi story");
  g_assert_true (tim_test_send (dee, old, NULL));
  /* More than a page after it: the conversation opens without it. */
  tim_test_send_texts (dee, "cal", 20, "dee filler");
  group_id = tim_test_create_group (dee, "Fruit", (const char *const[]){ "cal", "eli", NULL });
  group_conversation = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  in_group = tim_client_create_text_message (eli, group_id, TIM_CONV_GROUP, "kiwi season");
  g_assert_true (tim_test_send (eli, in_group, NULL));
  own = tim_client_create_text_message (cal, "eli", TIM_CONV_C2C, "kiwi for you, eli");
  g_assert_true (tim_test_send (cal, own, NULL));
  results = sidebar_results (window);
  g_assert_false (gtk_widget_get_visible (window->message_search));
  test_app_wait_frame (window->sidebar);
  sidebar_width = gtk_widget_get_width (window->sidebar);

  /* (a) Every conversation's, newest first, each where and by whom. */
  found = (Found){ window, 3 };
  g_assert_true (tim_test_wait_until (sidebar_finds, &found, 10000));
  g_assert_true (gtk_widget_get_visible (window->message_search));
  g_assert_false (gtk_widget_get_visible (window->conversations_heading));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  /* (Newest first, but these three may share a second: any order.) */
  g_assert_true (lists_message (results, own));
  g_assert_true (lists_message (results, in_group));
  g_assert_true (lists_message (results, old));
  g_assert_true (
      tim_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, results, 5000));
  test_app_wait_frame (GTK_WIDGET (results));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_markup_label,
                                          "You: <b>kiwi</b> for you, eli"));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (results), is_markup_label, "eli: <b>kiwi</b> season"));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (results), is_markup_label, "An old <b>kiwi</b> story"));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_shown_text, "Fruit"));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_shown_text, "eli"));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_shown_text, "dee"));
  test_app_screenshot (GTK_WIDGET (window), "search-sidebar.png");
  /* The sidebar keeps its width: what is found does not push the conversation aside. */
  g_assert_cmpint (gtk_widget_get_width (window->sidebar), ==, sidebar_width);

  /* (b) A name that matches: its conversation first, under its heading. */
  type_sidebar_search (window, "Fru");
  g_assert_true (gtk_widget_get_visible (window->conversations_heading));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 1);
  /* No message says "Fru": no Messages heading, no "No Messages Found" under the conversation. */
  g_assert_cmpuint (n_sidebar_results (window), ==, 0);
  g_assert_false (gtk_widget_get_visible (window->message_search));
  test_app_screenshot (GTK_WIDGET (window), "search-sidebar-both.png");
  /* Nothing found at all: that is said, under Messages. */
  type_sidebar_search (window, "zyzzyva");
  g_assert_false (gtk_widget_get_visible (window->conversations_heading));
  g_assert_true (gtk_widget_get_visible (window->message_search));
  g_assert_true (test_app_wait_text (window->message_search, "No Messages Found", 2000));
  test_app_wait_frame (window->sidebar);
  g_assert_cmpint (gtk_widget_get_width (window->sidebar), ==, sidebar_width);
  type_sidebar_search (window, "Fru");

  /* Down: into the conversations found. */
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (window->conversation_list)));
  /* Enter in the entry: that conversation. */
  g_signal_emit_by_name (window->search_entry, "activate");
  g_assert_cmpstr (_timchat_window_get_open_id (window), ==, group_conversation);
  /* Enter at once after typing, before GtkSearchEntry's search-changed (150 ms after the last
   * key: GTK 4.8 says activate first): what was typed, not the first row of the whole list
   * (another conversation, newer). As GtkText does on Enter. */
  timchat_window_close_conversation (window);
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  g_assert_true (tim_test_wait_until (summary_is_blank, results, 5000));
  {
    g_autoptr (TimConversation) newest = g_list_model_get_item (G_LIST_MODEL (window->filtered), 0);

    g_assert_cmpstr (tim_conversation_get_id (newest), !=, group_conversation);
  }
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "Fru");
  g_signal_emit_by_name (test_app_find_widget (GTK_WIDGET (window->search_entry), test_app_has_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_TEXT)),
                         "activate");
  g_assert_cmpstr (_timchat_window_get_open_id (window), ==, group_conversation);

  /* (c) The oldest message: its conversation opens there, older pages loaded to reach it; the
   * search stays. */
  found = (Found){ window, 3 };
  g_assert_true (sidebar_finds (&found));
  /* Down, with no conversation found: into the messages. */
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (results)));
  /* Read: it opens at the newest page, not down from the first unread. */
  tim_client_set_message_read_async (cal, "C2Cdee", NULL, NULL, NULL);
  g_assert_true (tim_test_wait_until (
      all_read, tim_conversation_list_lookup (tim_client_get_conversations (cal), "C2Cdee"),
      10000));
  g_assert_true (timchat_search_results_move (results, 2));
  g_assert_true (timchat_search_results_activate_selected (results));
  shown = (Shown){ window_view (window), "C2Cdee" };
  g_assert_true (view_is_open (&shown));
  shown.id = tim_message_get_id (old);
  g_assert_true (tim_test_wait_until (message_shown, &shown, 15000));
  test_app_screenshot (GTK_WIDGET (window), "search-sidebar-went-to.png");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->search_entry)), ==, "kiwi");
  g_assert_cmpuint (n_sidebar_results (window), ==, 3);

  /* Emptied: the whole list again, no messages. */
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  g_assert_true (tim_test_wait_until (summary_is_blank, results, 5000));
  g_assert_false (gtk_widget_get_visible (window->message_search));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  g_assert_true (gtk_widget_get_vexpand (GTK_WIDGET (window->conversation_scroller)));

  /* (d) Enter at once after typing a word no conversation is named by: the first message found
   * (its conversation opens at it), once libtim has answered (it does from an idle). */
  timchat_window_close_conversation (window);
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "season");
  g_signal_emit_by_name (test_app_find_widget (GTK_WIDGET (window->search_entry), test_app_has_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_TEXT)),
                         "activate");
  shown = (Shown){ window_view (window), group_conversation };
  g_assert_true (tim_test_wait_until (view_is_open, &shown, 5000));
  shown.id = tim_message_get_id (in_group);
  g_assert_true (tim_test_wait_until (message_shown, &shown, 5000));

  /* (e) After that message taken, the focus on a conversation found that leaves the list while it
   * has it (deleted from its menu, or on another device): the focus comes back to the entry, and
   * Down from there goes into the messages found, all that is shown. (GTK sent the focus into the
   * conversation's page, and Down from the entry went nowhere: GTK's move went into the section
   * the focus had last been in, hidden.) */
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  type_sidebar_search (window, "eli");
  /* Laid out: GTK moves the focus by where the rows are. */
  test_app_wait_frame (GTK_WIDGET (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 1);
  g_assert_true (lists_message (results, own));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (window->conversation_list)));
  {
    g_autoptr (GAsyncResult) deleted = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_delete_conversation_async (cal, "C2Celi", NULL, tim_test_keep_result, &deleted);
    g_assert_true (
        tim_client_delete_conversation_finish (cal, tim_test_wait_result (&deleted), &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  g_assert_true (lists_message (results, own));
  test_app_wait_frame (GTK_WIDGET (window)); /* laid out again, without the row */
  g_assert_true (focus_within (GTK_WIDGET (window->search_entry)));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (results)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Escape in the sidebar's search entry (a real key press) ends the search, as in the open
 * conversation's search bar: nothing typed, the whole list again, no messages found; the entry
 * keeps the focus, to type another. */
static void
test_sidebar_escape (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "hob", NULL);
  GtkWidget *entry = GTK_WIDGET (window->search_entry);

  tim_test_send_text (gil, "hob", "a plum pie");
  test_app_wait_conversation (window, "C2Cgil");
  type_sidebar_search (window, "plum");
  g_assert_true (tim_test_wait_until (summary_is_set, sidebar_results (window), 5000));
  g_assert_true (gtk_widget_get_visible (window->message_search));
  g_assert_true (gtk_widget_grab_focus (entry));
  test_app_press_key (entry, GDK_KEY_Escape, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (tim_test_wait_until (summary_is_blank, sidebar_results (window), 5000));
  g_assert_false (gtk_widget_get_visible (window->message_search));
  g_assert_true (test_app_has_conversation (window, "C2Cgil"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 1);
  g_assert_true (focus_within (entry));
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
  g_test_add_func ("/app/search/sidebar-all-conversations", test_sidebar_all_conversations);
  g_test_add_func ("/app/search/sidebar-escape", test_sidebar_escape);
  return test_app_run (fixture, base_dir);
}
