/* test-app-merger.c: forwarded chat histories in the app, against the real server with a real
 * window and real libtim peers: the bubble of a received one (its title, its first lines, "Chat
 * History", its name for a screen reader); Enter on it opens the viewer (once, however often
 * asked), which lists each entry's sender and content; a history inside it opens a second viewer
 * over the first, a picture in it the image viewer; Escape closes; a history whose messages are on
 * the server says at once that it cannot load while offline (Retry tries again), and loads by
 * itself once the client is back; a Log Out takes the viewer down with its account, and a
 * picture of it open over it. */
#define G_LOG_DOMAIN "test-app-merger"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-client-private.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"
#include "timchat-image-viewer.h"
#include "timchat-merger-viewer.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

/* Messages in the history that must go up first (TIM_MERGER_INLINE_MAX_BYTES). */
#define BIG_COUNT 20

static TimchatFixture *fixture;
static char *base_dir;

/* ---------------------------------------------------------------- helpers */

/* A merged message of client's, carrying messages in that order, titled title. */
static TimMessage *
merge (TimClient *client, const char *to, GPtrArray *messages, const char *title)
{
  g_autoptr (GError) error = NULL;
  TimMessage *merged = tim_client_create_merger_message (client, to, TIM_CONV_C2C, messages, title,
                                                         NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (merged);
  return merged;
}

static void
send_ok (TimClient *client, TimMessage *message)
{
  g_autoptr (GError) error = NULL;

  gboolean sent = tim_test_send (client, message, &error);

  g_assert_no_error (error);
  g_assert_true (sent);
}

/* The view's position of the merged message titled title. */
static guint
position_of_history (TimchatConversationView *view, const char *title)
{
  GListModel *model = G_LIST_MODEL (view->messages);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (model, i);

      if (tim_message_get_elem_type (message) == TIM_ELEM_RELAY &&
          g_strcmp0 (tim_message_get_title (message), title) == 0)
        return i;
    }
  g_error ("no chat history is titled “%s”", title);
}

static gboolean
is_history_card (GtkWidget *widget, gconstpointer unused)
{
  return gtk_widget_has_css_class (widget, "history-card");
}

typedef struct
{
  GtkWindow *parent;
  const char *title;
} Wanted;

static gboolean
viewer_matches (GtkWidget *widget, gconstpointer data)
{
  const Wanted *wanted = data;

  return TIMCHAT_IS_MERGER_VIEWER (widget) && gtk_widget_get_mapped (widget) &&
         gtk_window_get_transient_for (GTK_WINDOW (widget)) == wanted->parent &&
         g_strcmp0 (gtk_window_get_title (GTK_WINDOW (widget)), wanted->title) == 0;
}

static GtkWindow *
find_viewer (GtkWindow *parent, const char *title)
{
  Wanted wanted = { parent, title };
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (viewer_matches (GTK_WIDGET (window), &wanted))
        return window; /* the list of toplevels keeps it */
    }
  return NULL;
}

static gboolean
viewer_shown (gpointer data)
{
  const Wanted *wanted = data;

  return find_viewer (wanted->parent, wanted->title) != NULL;
}

/* Waits for the viewer titled title over parent. */
static TimchatMergerViewer *
wait_viewer (GtkWindow *parent, const char *title)
{
  Wanted wanted = { parent, title };

  g_assert_true (tim_test_wait_until (viewer_shown, &wanted, 5000));
  return TIMCHAT_MERGER_VIEWER (find_viewer (parent, title));
}

static gboolean
shows_page (gpointer data)
{
  TimchatMergerViewer *viewer = data;
  const char *want = g_object_get_data (G_OBJECT (viewer), "want-page");

  return g_strcmp0 (timchat_merger_viewer_get_page (viewer), want) == 0;
}

static void
wait_page (TimchatMergerViewer *viewer, const char *page, guint timeout_ms)
{
  g_object_set_data (G_OBJECT (viewer), "want-page", (gpointer) page);
  if (!tim_test_wait_until (shows_page, viewer, timeout_ms))
    g_error ("the viewer shows “%s”, not “%s”", timchat_merger_viewer_get_page (viewer), page);
}

/* The action Escape runs in the window, or NULL. */
static char *
escape_action (GtkWidget *window)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      for (guint k = 0; GTK_IS_SHORTCUT_CONTROLLER (controller) &&
                        k < g_list_model_get_n_items (G_LIST_MODEL (controller));
           k++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          g_autofree char *trigger =
              gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (g_str_equal (trigger, "Escape") && GTK_IS_NAMED_ACTION (action))
            return g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
        }
    }
  return NULL;
}

static GtkListView *
list_of (TimchatMergerViewer *viewer)
{
  return GTK_LIST_VIEW (test_app_find_widget (GTK_WIDGET (viewer), test_app_has_type,
                                              GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW)));
}

/* Texts and senders of the entries, "sender: text|…" (the type for what has no text). */
static char *
entries_text (TimchatMergerViewer *viewer)
{
  GListModel *entries = timchat_merger_viewer_get_entries (viewer);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr (TimMessage) entry = g_list_model_get_item (entries, i);

      g_string_append_printf (
          text, "%s%s: %s", i > 0 ? "|" : "", tim_message_get_sender_name (entry),
          tim_message_get_text (entry) != NULL ? tim_message_get_text (entry)
                                               : tim_message_get_type_string (entry));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
image_viewer_over (gpointer parent)
{
  return timchat_image_viewer_is_open_over (parent);
}

static gboolean
client_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED &&
         tim_client_get_is_ready (client);
}

static gboolean
client_offline (gpointer client)
{
  return tim_client_get_net_state (client) != TIM_NET_STATE_CONNECTED;
}

/* ---------------------------------------------------------------- tests */

/* (c) jon forwards to ida his talk with kim as a chat history, then that history and a picture as
 * another: ida's bubble shows the title and first lines; Enter opens the viewer, with kim's and
 * jon's names and texts; the history inside the second opens over it, the picture in the image
 * viewer. */
static void
test_bubble_and_viewer (void)
{
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon");
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "fountain.png", 64, 48);
  g_autoptr (TimMessage) question =
      tim_client_create_text_message (kim, "jon", TIM_CONV_C2C, "Where shall we meet?");
  g_autoptr (TimMessage) question_at_jon = NULL;
  g_autoptr (TimMessage) answer =
      tim_client_create_text_message (jon, "kim", TIM_CONV_C2C, "By the fountain.");
  g_autoptr (TimMessage) picture = tim_client_create_image_message (jon, "kim", TIM_CONV_C2C, png);
  g_autoptr (TimMessage) plans = NULL, nested = NULL, nested_here = NULL;
  g_autoptr (GPtrArray) talk = g_ptr_array_new ();
  g_autoptr (GPtrArray) more = g_ptr_array_new ();
  g_autofree char *accessible = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *escape = NULL;
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "ida", NULL);
  TimchatConversationView *view;
  TimchatMergerViewer *viewer, *outer, *inner;
  GtkWidget *card;

  question_at_jon = tim_test_send_and_receive (kim, jon, question);
  send_ok (jon, answer);
  send_ok (jon, picture);
  g_ptr_array_add (talk, question_at_jon);
  g_ptr_array_add (talk, answer);
  plans = merge (jon, "ida", talk, "Plans with kim");
  send_ok (jon, plans);
  g_ptr_array_add (more, plans);
  g_ptr_array_add (more, picture);
  nested = merge (jon, "ida", more, "Nested history");
  send_ok (jon, nested);

  timchat_window_open_conversation (window, "C2Cjon");
  view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Nested history", 10000));
  /* The bubble: title, the first lines (libtim's "Name: summary"), "Chat History". */
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Plans with kim", 5000));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (view), test_app_has_text, "kim: Where shall we meet?"));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (view), test_app_has_text, "jon: By the fountain."));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (view), test_app_has_text, "Chat History"));
  card = test_app_find_widget (GTK_WIDGET (view), is_history_card, NULL);
  g_assert_nonnull (card);
  accessible = gtk_test_accessible_check_property (
      GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, "Chat history: Plans with kim");
  g_assert_null (accessible);
  test_app_screenshot (GTK_WIDGET (window), "merger-bubble.png");

  /* Enter on it: the viewer over the window, titled, with the two entries; asked again (a
   * double click's second click), the same viewer. */
  g_signal_emit_by_name (view->list_view, "activate", position_of_history (view, "Plans with kim"));
  viewer = wait_viewer (GTK_WINDOW (window), "Plans with kim");
  wait_page (viewer, "list", 5000);
  listed = entries_text (viewer);
  g_assert_cmpstr (listed, ==, "kim: Where shall we meet?|jon: By the fountain.");
  g_assert_true (test_app_wait_text (GTK_WIDGET (viewer), "Where shall we meet?", 5000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (viewer), "By the fountain.", 5000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (viewer), "kim", 5000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (viewer), "jon", 5000));
  g_signal_emit_by_name (view->list_view, "activate", position_of_history (view, "Plans with kim"));
  test_app_iterate (100);
  g_assert_cmpuint (test_app_count_toplevels (TIMCHAT_TYPE_MERGER_VIEWER, test_app_is_mapped), ==,
                    1);
  escape = escape_action (GTK_WIDGET (viewer));
  g_assert_cmpstr (escape, ==, "window.close");
  test_app_screenshot (GTK_WIDGET (viewer), "merger-viewer.png");
  gtk_window_close (GTK_WINDOW (viewer));
  test_app_iterate (100);

  /* The history inside a history: its card asks the viewer, which opens another over itself. */
  nested_here = g_list_model_get_item (G_LIST_MODEL (view->messages),
                                       position_of_history (view, "Nested history"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.view-history", "s",
                                             tim_message_get_id (nested_here)));
  outer = wait_viewer (GTK_WINDOW (window), "Nested history");
  wait_page (outer, "list", 5000);
  g_clear_pointer (&listed, g_free);
  listed = entries_text (outer);
  g_assert_cmpstr (listed, ==, "jon: TIMRelayElem|jon: TIMImageElem");
  card = test_app_find_widget (GTK_WIDGET (outer), is_history_card, NULL);
  g_assert_nonnull (card);
  g_assert_true (test_app_find_widget (card, test_app_has_text, "Plans with kim") != NULL);
  g_assert_true (gtk_widget_activate_action (card, "conversation.view-history", "s",
                                             tim_message_get_id (plans)));
  inner = wait_viewer (GTK_WINDOW (outer), "Plans with kim");
  wait_page (inner, "list", 5000);
  g_assert_true (test_app_wait_text (GTK_WIDGET (inner), "By the fountain.", 5000));
  test_app_screenshot (GTK_WIDGET (outer), "merger-viewer-nested.png");
  gtk_window_close (GTK_WINDOW (inner));

  /* The picture: Enter on it opens the image viewer over the history's. */
  g_signal_emit_by_name (list_of (outer), "activate", 1);
  g_assert_true (tim_test_wait_until (image_viewer_over, outer, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
  test_app_iterate (100);
  /* The viewers belong to the window: they went with it. */
  g_assert_cmpuint (test_app_count_toplevels (TIMCHAT_TYPE_MERGER_VIEWER, NULL), ==, 0);
}

/* (d) A history too big to travel inline comes as a key: with the server away the viewer says why
 * and offers Retry, which works once the server is back. */
static void
test_download_fails_then_retry (void)
{
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon2");
  g_autoptr (GPtrArray) talk = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) merged = NULL;
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "lia", NULL);
  TimClient *client = timchat_window_get_client (window);
  TimchatConversationView *view;
  TimchatMergerViewer *viewer;
  GtkWidget *retry;
  const char *description;

  /* Over TIM_MERGER_INLINE_MAX_BYTES together, each a message of its own size. */
  for (int i = 0; i < BIG_COUNT; i++)
    {
      g_autofree char *filler = g_strnfill (700, 'a' + i);
      g_autofree char *text = g_strdup_printf ("part %d %s", i + 1, filler);
      TimMessage *message = tim_client_create_text_message (jon, "kim", TIM_CONV_C2C, text);

      send_ok (jon, message);
      g_ptr_array_add (talk, message);
    }
  merged = merge (jon, "lia", talk, "Long talk");
  send_ok (jon, merged);
  timchat_window_open_conversation (window, "C2Cjon2");
  view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Long talk", 10000));

  /* Back quickly once the server is. */
  tim_transport_set_backoff (client->transport, 100, 500);
  timchat_fixture_stop (fixture);
  g_assert_true (tim_test_wait_until (client_offline, client, 10000));
  g_signal_emit_by_name (view->list_view, "activate", position_of_history (view, "Long talk"));
  viewer = wait_viewer (GTK_WINDOW (window), "Long talk");
  /* Offline: said at once, not after a request's timeout. */
  wait_page (viewer, "error", 2000);
  description = adw_status_page_get_description (ADW_STATUS_PAGE (test_app_find_widget (
      GTK_WIDGET (viewer), test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_STATUS_PAGE))));
  g_assert_cmpstr (description, ==, "The chat history cannot be downloaded while offline");
  g_assert_cmpuint (g_list_model_get_n_items (timchat_merger_viewer_get_entries (viewer)), ==, 0);
  test_app_screenshot (GTK_WIDGET (viewer), "merger-viewer-error.png");
  /* Retry tries again (and fails again, still offline). */
  retry = test_app_find_widget (GTK_WIDGET (viewer), test_app_has_button_label, "_Retry");
  g_assert_nonnull (retry);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_cmpstr (timchat_merger_viewer_get_page (viewer), ==, "loading");
  wait_page (viewer, "error", 2000);

  /* Back online, it loads by itself. */
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (client_connected, client, 30000));
  wait_page (viewer, "list", 10000);
  g_assert_cmpuint (g_list_model_get_n_items (timchat_merger_viewer_get_entries (viewer)), ==,
                    BIG_COUNT);
  g_assert_true (test_app_wait_text (GTK_WIDGET (viewer), "jon2", 5000));
  gtk_window_destroy (GTK_WINDOW (window));
  test_app_iterate (100);
}

/* (e) The viewer shows its account's history: a Log Out (the window is not modal under it) takes
 * it down with the account's chat page, and the next login, as anyone, does not find it there.
 * It stayed on screen with the history of the account logged out. */
static void
test_viewer_goes_with_logout (void)
{
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon3");
  g_autoptr (TimMessage) said =
      tim_client_create_text_message (jon, "mia", TIM_CONV_C2C, "Only for mia's eyes");
  g_autoptr (TimMessage) merged = NULL;
  g_autoptr (GPtrArray) talk = g_ptr_array_new ();
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "mia", NULL);
  TimchatConversationView *view;
  TimchatMergerViewer *viewer;

  send_ok (jon, said);
  g_ptr_array_add (talk, said);
  merged = merge (jon, "mia", talk, "Private talk");
  send_ok (jon, merged);
  timchat_window_open_conversation (window, "C2Cjon3");
  view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Private talk", 10000));
  g_signal_emit_by_name (view->list_view, "activate", position_of_history (view, "Private talk"));
  viewer = wait_viewer (GTK_WINDOW (window), "Private talk");
  wait_page (viewer, "list", 5000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  test_app_answer_dialog ("log-out", NULL);
  test_app_iterate (300);
  g_assert_null (find_viewer (GTK_WINDOW (window), "Private talk"));
  g_assert_cmpuint (test_app_count_toplevels (TIMCHAT_TYPE_MERGER_VIEWER, test_app_is_mapped), ==,
                    0);
  gtk_window_destroy (GTK_WINDOW (window));
  test_app_iterate (100);
}

static gboolean
any_image_viewer (gpointer unused)
{
  return test_app_count_toplevels (TIMCHAT_TYPE_IMAGE_VIEWER, test_app_is_mapped) > 0;
}

/* (f) A picture of the history open over its viewer goes with it at a Log Out: the picture's
 * window is modal for the viewer only, and stayed on screen, the account's picture, once the
 * viewer under it had gone. */
static void
test_picture_goes_with_logout (void)
{
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon4");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "private.png", 64, 48);
  g_autoptr (TimMessage) picture = tim_client_create_image_message (jon, "nia", TIM_CONV_C2C, png);
  g_autoptr (TimMessage) merged = NULL;
  g_autoptr (GPtrArray) talk = g_ptr_array_new ();
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "nia", NULL);
  TimchatConversationView *view;
  TimchatMergerViewer *viewer;

  send_ok (jon, picture);
  g_ptr_array_add (talk, picture);
  merged = merge (jon, "nia", talk, "Private picture");
  send_ok (jon, merged);
  timchat_window_open_conversation (window, "C2Cjon4");
  view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Private picture", 10000));
  g_signal_emit_by_name (view->list_view, "activate",
                         position_of_history (view, "Private picture"));
  viewer = wait_viewer (GTK_WINDOW (window), "Private picture");
  wait_page (viewer, "list", 5000);
  g_signal_emit_by_name (list_of (viewer), "activate", 0);
  g_assert_true (tim_test_wait_until (image_viewer_over, viewer, 5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  test_app_answer_dialog ("log-out", NULL);
  test_app_iterate (300);
  g_assert_cmpuint (test_app_count_toplevels (TIMCHAT_TYPE_MERGER_VIEWER, test_app_is_mapped), ==,
                    0);
  g_assert_false (any_image_viewer (NULL));
  gtk_window_destroy (GTK_WINDOW (window));
  test_app_iterate (100);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/merger/bubble-and-viewer", test_bubble_and_viewer);
  g_test_add_func ("/app/merger/download-fails-then-retry", test_download_fails_then_retry);
  g_test_add_func ("/app/merger/viewer-goes-with-logout", test_viewer_goes_with_logout);
  g_test_add_func ("/app/merger/picture-goes-with-logout", test_picture_goes_with_logout);
  return test_app_run (fixture, base_dir);
}
