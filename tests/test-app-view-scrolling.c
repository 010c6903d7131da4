/* test-app-view-scrolling.c: where the conversation view opens and how it scrolls, against the
 * real server and real TimClients: open at the newest, older pages without a jump, "1 new
 * message", following the bottom, marking read, the first unread (its marker not on one's own
 * reply), copy, a screenshot, the first message of an empty open conversation read, a
 * conversation left and opened again while its first pages load opening once, the newest message
 * recalled at the bottom, and a long history scrolled through with a bounded model (rows already
 * shown keep their content while older pages come in). Separate from the view's other programs
 * (test-app-view-*.c): the list's position and read state, not what its rows send or edit. */
#define G_LOG_DOMAIN "test-app-view-scrolling"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "test-app-util.h"
#include "test-app-view-common.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"

/* More than a message list holds (300) plus the rows a GtkListView keeps bound (~200). */
#define LONG_HISTORY 620

static TimchatFixture *fixture;
static char *base_dir;

/* A screenshot of the window into the build dir, for a person to look at. */
static void
save_screenshot (GtkWindow *window)
{
  g_autoptr (GdkTexture) texture = test_app_render (GTK_WIDGET (window));
  g_autofree char *path =
      g_build_filename (g_getenv ("TIMCHAT_BUILD_DIR"), "test-app-view.png", NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
test_scrolling (void)
{
  g_autoptr (TimClient) amy = tim_test_client_new (fixture, base_dir, "amy");
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "ben");
  TimchatConversationView *view;
  GtkWindow *window;
  GtkAdjustment *adj;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  double first_bottom_before, first_bottom_after;
  double y_before, y_after, value_before;
  guint n_before;

  tim_test_send_texts (ben, "amy", 100, "Message from Ben number");
  wait_unread (amy, "C2Cben", 100);
  tim_client_set_message_read_async (amy, "C2Cben", NULL, NULL, NULL);
  wait_unread (amy, "C2Cben", 0);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (amy));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cben");
  g_assert_cmpstr (timchat_conversation_view_get_conversation_id (view), ==, "C2Cben");
  wait_items (view, 1);
  wait_newest_visible (view);
  adj = view->vadjustment;
  g_test_message ("opened: %u messages, value %.0f page %.0f upper %.0f",
                  g_list_model_get_n_items (G_LIST_MODEL (view->messages)),
                  gtk_adjustment_get_value (adj), gtk_adjustment_get_page_size (adj),
                  gtk_adjustment_get_upper (adj));
  g_assert_cmpstr (tim_message_get_text (nth (view, -1)), ==, "Message from Ben number 100");
  g_assert_cmpfloat (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj), >=,
                     gtk_adjustment_get_upper (adj) - 2);
  g_assert_false (gtk_widget_get_visible (view->new_messages_button));

  /* To the top: hold the loader back until the top row's place is measured, then let the scroll
   * be seen as the reader's. */
  n_before = g_list_model_get_n_items (G_LIST_MODEL (view->messages));
  g_signal_handlers_block_matched (adj, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, view);
  gtk_adjustment_set_value (adj, 0);
  wait_settled (view);
  /* The first row loses its day separator when the day's earlier messages come in above it, so
   * what the reader sees of it is its bottom (the message); the second row is unchanged. */
  first_id = g_strdup (tim_message_get_id (nth (view, 0)));
  second_id = g_strdup (tim_message_get_id (nth (view, 1)));
  g_assert_true (row_span (view, first_id, &y_after, &first_bottom_before));
  g_assert_true (row_span (view, second_id, &y_before, NULL));
  g_signal_handlers_unblock_matched (adj, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, view);
  _timchat_conversation_view_note_reader_scroll (view);
  g_signal_emit_by_name (adj, "value-changed");
  wait_items (view, n_before + 1);
  wait_settled (view);
  g_assert_true (row_span (view, second_id, &y_after, NULL));
  g_assert_true (row_span (view, first_id, &value_before, &first_bottom_after));
  g_test_message ("older page: %u -> %u messages; second row was at y=%.1f, now y=%.1f; first "
                  "row's bottom was at y=%.1f, now y=%.1f; value %.0f",
                  n_before, g_list_model_get_n_items (G_LIST_MODEL (view->messages)), y_before,
                  y_after, first_bottom_before, first_bottom_after, gtk_adjustment_get_value (adj));
  g_assert_cmpfloat (fabs (y_after - y_before), <=, 3);
  g_assert_cmpfloat (fabs (first_bottom_after - first_bottom_before), <=, 3);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);

  /* Scrolled up, an incoming message waits behind "1 new message" and nothing moves. */
  value_before = gtk_adjustment_get_value (adj);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (view->messages));
  tim_test_send_texts (ben, "amy", 1, "While you were up there");
  wait_items (view, n_before + 1);
  wait_settled (view);
  g_assert_true (gtk_widget_get_visible (view->new_messages_button));
  g_assert_cmpstr (adw_button_content_get_label (view->new_messages_content), ==, "1 new message");
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (adj) - value_before), <=, 1);
  g_assert_true (row_span (view, second_id, &y_after, NULL));
  g_assert_cmpfloat (fabs (y_after - y_before), <=, 3);
  g_assert_false (row_visible (view, tim_message_get_id (nth (view, -1))));

  /* The button jumps to the newest and goes away. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.jump-to-newest", NULL));
  wait_newest_visible (view);
  g_assert_false (gtk_widget_get_visible (view->new_messages_button));

  /* At the bottom, an incoming message is followed and read at once. */
  n_before = g_list_model_get_n_items (G_LIST_MODEL (view->messages));
  tim_test_send_texts (ben, "amy", 1, "At the bottom");
  wait_items (view, n_before + 1);
  wait_newest_visible (view);
  g_assert_cmpstr (tim_message_get_text (nth (view, -1)), ==, "At the bottom 001");
  g_assert_false (gtk_widget_get_visible (view->new_messages_button));
  wait_unread (amy, "C2Cben", 0);

  save_screenshot (window);
  gtk_window_destroy (window);
}

static gboolean
is_unread_marker (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), "Unread messages") == 0;
}

/* Whether the row showing message_id carries the "Unread messages" marker. */
static gboolean
marker_shown (TimchatConversationView *view, const char *message_id)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, view->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    if (g_strcmp0 (tim_message_get_id (gtk_list_item_get_item (item)), message_id) == 0)
      return test_app_find_widget (gtk_list_item_get_child (item), is_unread_marker, NULL) != NULL;
  return FALSE;
}

static gboolean
clipboard_has (gpointer text)
{
  GdkContentProvider *content =
      gdk_clipboard_get_content (gdk_display_get_clipboard (gdk_display_get_default ()));
  GValue value = G_VALUE_INIT;
  gboolean same;

  if (content == NULL)
    return FALSE;
  g_value_init (&value, G_TYPE_STRING);
  same = gdk_content_provider_get_value (content, &value, NULL) &&
         g_strcmp0 (g_value_get_string (&value), text) == 0;
  g_value_unset (&value);
  return same;
}

static void
test_open_unread_marks_read (void)
{
  g_autoptr (TimClient) cat = tim_test_client_new (fixture, base_dir, "cat");
  g_autoptr (TimClient) dan = tim_test_client_new (fixture, base_dir, "dan");
  TimchatConversationView *view;
  GtkWindow *window;

  tim_test_send_texts (cat, "dan", 30, "Earlier from Cat");
  tim_test_send_texts (dan, "cat", 20, "Unread from Dan");
  wait_unread (cat, "C2Cdan", 20);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (cat));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cdan");
  wait_unread (cat, "C2Cdan", 0);
  g_assert_cmpuint (view->unread_at_open, ==, 20);
  g_assert_nonnull (view->first_unread_id);
  g_assert_cmpstr (
      tim_message_get_text (_timchat_conversation_view_lookup (view, view->first_unread_id)), ==,
      "Unread from Dan 001");
  /* Opened at the first unread, with its marker, rather than at the bottom. */
  wait_settled (view);
  g_assert_true (nth_visible (view, -20));
  g_assert_true (marker_shown (view, view->first_unread_id));
  g_assert_false (marker_shown (view, tim_message_get_id (nth (view, -1))));

  /* The copy action of a row puts its text on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.copy", "s",
                                             view->first_unread_id));
  g_assert_true (tim_test_wait_until (clipboard_has, "Unread from Dan 001", 5000));
  /* Part of a text, as selected (the row's menu offers it when some is). */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.copy-text", "s", "from Dan"));
  g_assert_true (tim_test_wait_until (clipboard_has, "from Dan", 5000));
  gtk_window_destroy (window);
}

/* The top of the label saying text in row, in the row's coordinates (-1: none shown). */
static double
label_top (GtkWidget *row, const char *text)
{
  GtkWidget *label = test_app_find_widget (row, test_app_has_text, text);
  graphene_rect_t bounds;

  if (label == NULL || !gtk_widget_get_visible (label) ||
      !gtk_widget_compute_bounds (label, row, &bounds))
    return -1;
  return bounds.origin.y;
}

static gboolean
last_is_own (gpointer client)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Ceve");
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), "My own reply") == 0;
}

/* Only messages from others are unread: with the user's own reply after them, the marker goes
 * on the first of them, not on a message that many from the end (the reply went first). It is
 * their day's first message: the day separator ("Today") goes above the marker. */
static void
test_unread_marker_skips_own (void)
{
  g_autoptr (TimClient) eve = tim_test_client_new (fixture, base_dir, "eve");
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  TimchatConversationView *view;
  GtkWidget *row;
  GtkWindow *window;

  tim_test_send_texts (eve, "fay", 2, "Unread from Eve");
  wait_unread (fay, "C2Ceve", 2);
  tim_test_send_text (fay, "eve", "My own reply");
  g_assert_true (tim_test_wait_until (last_is_own, fay, 10000));
  wait_unread (fay, "C2Ceve", 2);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (fay));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Ceve");
  wait_unread (fay, "C2Ceve", 0);
  g_assert_cmpuint (view->unread_at_open, ==, 2);
  g_assert_nonnull (view->first_unread_id);
  g_assert_cmpstr (
      tim_message_get_text (_timchat_conversation_view_lookup (view, view->first_unread_id)), ==,
      "Unread from Eve 001");
  wait_settled (view);
  g_assert_true (marker_shown (view, view->first_unread_id));
  g_assert_false (marker_shown (view, tim_message_get_id (nth (view, -1))));
  g_assert_false (marker_shown (view, tim_message_get_id (nth (view, -2))));

  row = _timchat_conversation_view_row_of (view, view->first_unread_id);
  g_assert_nonnull (row);
  g_assert_cmpfloat (label_top (row, "Today"), >=, 0);
  g_assert_cmpfloat (label_top (row, "Today"), <, label_top (row, "Unread messages"));
  test_app_screenshot (GTK_WIDGET (window), "unread-marker-skips-own");
  gtk_window_destroy (window);
}

static void
revoked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_client_revoke_message_finish (TIM_CLIENT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static gboolean
last_revoked (gpointer data)
{
  TimchatConversationView *view = data;

  return tim_message_get_is_revoked (nth (view, -1));
}

static gboolean
at_bottom_now (TimchatConversationView *view)
{
  GtkAdjustment *adj = view->vadjustment;

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 2;
}

/* A conversation with nothing in it yet, open: the first message that comes is read, as any
 * other that comes while the reader is at the bottom (it goes in at position 0, as an older page
 * does, and was taken for one: the conversation stayed unread while the user read it). */
static void
test_first_message_read_when_open (void)
{
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "xia");
  TimchatConversationView *view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (wes));
  GtkWindow *window = show_view (view);

  timchat_conversation_view_set_conversation_id (view, "C2Cxia");
  wait_settled (view);
  g_assert_true (view->opened);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view->messages)), ==, 0);

  tim_test_send_text (xia, "wes", "The first words");
  wait_items (view, 1);
  wait_unread (wes, "C2Cxia", 0);
  gtk_window_destroy (window);
}

/* Away and back while its first pages load (A, B, A again): libtim keeps one message list per
 * conversation, so the first opening's load, cancelled, came back to the second opening too, and
 * positioned the view on the first page, before the unread were in (then again once they were). It
 * opens once, when the first unread is in, and shows it. */
static void
test_reopen_while_loading (void)
{
  g_autoptr (TimClient) ora = tim_test_client_new (fixture, base_dir, "ora");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "pia");
  g_autoptr (TimClient) ule = tim_test_client_new (fixture, base_dir, "ule");
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  TimchatConversationView *view;
  GtkWindow *window;

  /* More than two pages (15 each) of unread. */
  tim_test_send_texts (pia, "ora", 40, "Unread from Pia");
  tim_test_send_text (ule, "ora", "From Ule");
  wait_unread (ora, "C2Cpia", 40);
  wait_unread (ora, "C2Cule", 1);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (ora));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cpia");
  timchat_conversation_view_set_conversation_id (view, "C2Cule");
  timchat_conversation_view_set_conversation_id (view, "C2Cpia");
  g_assert_false (view->opened);
  while (!view->opened)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
    }
  /* Positioned with every unread message in, not on the first page. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view->messages)), >=, 40);
  g_assert_nonnull (view->first_unread_id);
  g_assert_cmpstr (
      tim_message_get_text (_timchat_conversation_view_lookup (view, view->first_unread_id)), ==,
      "Unread from Pia 001");
  wait_unread (ora, "C2Cpia", 0);
  wait_settled (view);
  g_assert_true (row_visible (view, view->first_unread_id));
  g_assert_true (marker_shown (view, view->first_unread_id));
  gtk_window_destroy (window);
}

/* The newest message recalled while the reader is at the bottom: its row shrinks to the centred
 * "… recalled a message" line, which stays on screen, and later messages are still followed. */
static void
test_recall_at_bottom (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (TimMessage) recalled = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  GtkWidget *tip;
  GtkWindow *window;
  graphene_rect_t bounds;
  gboolean done = FALSE;
  guint n_before;

  tim_test_send_texts (alice, "bob", 20, "Before the recall");
  wait_unread (bob, "C2Calice", 20);
  tim_client_set_message_read_async (bob, "C2Calice", NULL, NULL, NULL);
  wait_unread (bob, "C2Calice", 0);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (bob));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Calice");
  wait_items (view, 1);
  wait_newest_visible (view);

  /* One more, a few lines long (the row shrinks a lot when it becomes a tip): followed. */
  n_before = g_list_model_get_n_items (G_LIST_MODEL (view->messages));
  recalled = tim_client_create_text_message (
      alice, "bob", TIM_CONV_C2C,
      "This one will be recalled.\nIt has a few lines,\nso that its row\nis tall.");
  g_assert_true (tim_test_send (alice, recalled, &error));
  g_assert_no_error (error);
  wait_items (view, n_before + 1);
  wait_newest_visible (view);
  g_assert_false (gtk_widget_get_visible (view->new_messages_button));
  g_assert_true (at_bottom_now (view));

  /* Recalled: the tip line is shown, inside the viewport, and the view is still at the bottom. */
  tim_client_revoke_message_async (alice, recalled, NULL, revoked_cb, &done);
  g_assert_true (tim_test_wait_flag (&done, 10000));
  g_assert_true (tim_test_wait_until (last_revoked, view, 10000));
  wait_settled (view);
  tip = test_app_find_widget (GTK_WIDGET (view->list_view), test_app_has_text,
                              "alice recalled a message");
  g_assert_nonnull (tip);
  g_assert_true (gtk_widget_get_mapped (tip));
  g_assert_true (gtk_widget_compute_bounds (tip, GTK_WIDGET (view->scroller), &bounds));
  g_test_message ("tip at y=%.1f height %.1f in a viewport of %d; value %.0f page %.0f upper %.0f",
                  bounds.origin.y, bounds.size.height,
                  gtk_widget_get_height (GTK_WIDGET (view->scroller)),
                  gtk_adjustment_get_value (view->vadjustment),
                  gtk_adjustment_get_page_size (view->vadjustment),
                  gtk_adjustment_get_upper (view->vadjustment));
  g_assert_cmpfloat (bounds.size.height, >, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, -1);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (view->scroller)) + 1);
  g_assert_true (nth_visible (view, -1));
  g_assert_true (at_bottom_now (view));
  g_assert_true (view->at_bottom);
  g_assert_false (gtk_widget_get_visible (view->new_messages_button));

  /* The next message is followed, not put behind "1 new message". */
  n_before = g_list_model_get_n_items (G_LIST_MODEL (view->messages));
  tim_test_send_texts (alice, "bob", 1, "After the recall");
  wait_items (view, n_before + 1);
  wait_newest_visible (view);
  g_assert_cmpstr (tim_message_get_text (nth (view, -1)), ==, "After the recall 001");
  g_assert_false (gtk_widget_get_visible (view->new_messages_button));
  g_assert_true (at_bottom_now (view));
  gtk_window_destroy (window);
}

static gboolean
recall_tip_shown (gpointer data)
{
  TimchatConversationView *view = data;
  GtkWidget *tip = test_app_find_widget (GTK_WIDGET (view->list_view), test_app_has_text,
                                         "max recalled a message");

  return tip != NULL && gtk_widget_get_mapped (tip);
}

static gboolean
is_message_text (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "message-text");
}

/* Message ID -> the label showing its text, for the bound rows. */
static GHashTable *
text_labels (TimchatConversationView *view)
{
  GHashTable *labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, view->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      TimMessage *message = gtk_list_item_get_item (item);
      GtkWidget *label =
          test_app_find_widget (gtk_list_item_get_child (item), is_message_text, NULL);

      if (message != NULL && label != NULL)
        g_hash_table_insert (labels, g_strdup (tim_message_get_id (message)), label);
    }
  return labels;
}

/* The rows that stay bound across a page prepended above them keep their text label: GTK 4.8
 * binds them again (their position moved), and making and shaping every bound row's text again
 * was most of the time of each page. Returns how many rows were checked. */
static guint
assert_labels_kept (GHashTable *before, GHashTable *after)
{
  GHashTableIter iter;
  gpointer id, label;
  guint kept = 0;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &id, &label))
    {
      GtkWidget *now = g_hash_table_lookup (after, id);

      if (now == NULL)
        continue; /* no longer bound */
      g_assert_true (now == label);
      kept++;
    }
  return kept;
}

/* Scrolled far up through a long history: the model holds a bounded number of messages, and what
 * happened below meanwhile (a new message, a recall) is there when the reader comes back. */
static void
test_long_history (void)
{
  g_autoptr (TimClient) lia = tim_test_client_new (fixture, base_dir, "lia");
  g_autoptr (TimClient) max = tim_test_client_new (fixture, base_dir, "max");
  g_autoptr (TimMessage) last = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  GtkWindow *window;
  GtkAdjustment *adj;
  gboolean done = FALSE;
  guint n, pages = 0, kept = 0;

  tim_test_send_texts (max, "lia", LONG_HISTORY - 1, "Long");
  last = tim_client_create_text_message (max, "lia", TIM_CONV_C2C, "Long last");
  g_assert_true (tim_test_send (max, last, &error));
  g_assert_no_error (error);
  wait_unread (lia, "C2Cmax", LONG_HISTORY);
  tim_client_set_message_read_async (lia, "C2Cmax", NULL, NULL, NULL);
  wait_unread (lia, "C2Cmax", 0);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (lia));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cmax");
  wait_items (view, 1);
  wait_newest_visible (view);
  adj = view->vadjustment;

  /* Up to the beginning, as a reader scrolling. */
  while (!tim_message_list_get_is_completed (view->messages))
    {
      g_autoptr (GHashTable) before = text_labels (view);
      g_autoptr (GHashTable) after = NULL;
      guint n_before = g_list_model_get_n_items (G_LIST_MODEL (view->messages));

      g_assert_cmpuint (++pages, <, 200);
      _timchat_conversation_view_note_reader_scroll (view);
      gtk_adjustment_set_value (adj, 0);
      g_signal_emit_by_name (adj, "value-changed");
      wait_settled (view);
      after = text_labels (view);
      if (g_list_model_get_n_items (G_LIST_MODEL (view->messages)) > n_before)
        kept += assert_labels_kept (before, after);
    }
  g_test_message ("%u rows kept their text label across the pages", kept);
  g_assert_cmpuint (kept, >, 0);
  _timchat_conversation_view_note_reader_scroll (view);
  gtk_adjustment_set_value (adj, 0);
  wait_settled (view);
  n = g_list_model_get_n_items (G_LIST_MODEL (view->messages));
  g_test_message ("top after %u steps: %u messages, %u held by the model", pages, n,
                  _tim_message_list_get_n_held (view->messages));
  g_assert_cmpuint (n, ==, LONG_HISTORY);
  g_assert_cmpuint (_tim_message_list_get_n_held (view->messages), <=, 300);
  g_assert_cmpstr (tim_message_get_text (nth (view, 0)), ==, "Long 001");
  g_assert_true (nth_visible (view, 0));

  /* Meanwhile, below: the newest is recalled and a new one comes, behind the button. */
  tim_client_revoke_message_async (max, last, NULL, revoked_cb, &done);
  g_assert_true (tim_test_wait_flag (&done, 10000));
  tim_test_send_texts (max, "lia", 1, "While far up");
  wait_items (view, LONG_HISTORY + 1);
  wait_settled (view);
  g_assert_true (gtk_widget_get_visible (view->new_messages_button));
  g_assert_cmpstr (adw_button_content_get_label (view->new_messages_content), ==, "1 new message");
  g_assert_true (nth_visible (view, 0));

  /* Back down: both are there, and every message once, in order. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.jump-to-newest", NULL));
  wait_newest_visible (view);
  g_assert_cmpstr (tim_message_get_text (nth (view, -1)), ==, "While far up 001");
  g_assert_true (tim_message_get_is_revoked (nth (view, -2)));
  g_assert_true (tim_test_wait_until (recall_tip_shown, view, 10000));
  for (guint i = 0; i < LONG_HISTORY - 1; i++)
    {
      g_autofree char *expected = g_strdup_printf ("Long %03u", i + 1);
      TimMessage *message = nth (view, i);

      g_assert_cmpstr (tim_message_get_text (message), ==, expected);
      g_assert_true (g_hash_table_add (seen, g_strdup (tim_message_get_id (message))));
    }
  g_assert_cmpuint (_tim_message_list_get_n_held (view->messages), <=, 300);
  gtk_window_destroy (window);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/view/scrolling", test_scrolling);
  g_test_add_func ("/app/view/open-unread-marks-read", test_open_unread_marks_read);
  g_test_add_func ("/app/view/unread-marker-skips-own", test_unread_marker_skips_own);
  g_test_add_func ("/app/view/first-message-read-when-open", test_first_message_read_when_open);
  g_test_add_func ("/app/view/reopen-while-loading", test_reopen_while_loading);
  g_test_add_func ("/app/view/recall-at-bottom", test_recall_at_bottom);
  g_test_add_func ("/app/view/long-history", test_long_history);
  return test_app_run (fixture, base_dir);
}
