/* test-app-view.c: the conversation view against the real server and two real TimClients: open
 * at the newest, older pages without a jump, "1 new message", following the bottom, marking read,
 * the first unread, copy, send a file (Enter on an image opens the viewer), the preview sheet for
 * a pasted image, a screenshot, the newest message recalled at the bottom, a long history scrolled
 * through with a bounded model (rows already shown keep their content while older pages come in),
 * editing a sent message (the menu's Edit, Up, Enter, Escape) and an edit arriving from elsewhere,
 * replying (the menu's Reply, Ctrl+R, a file as a reply) and a quote leading to its original;
 * a conversation left and opened again while its first pages load opens once.
 */
#define G_LOG_DOMAIN "test-app-view"

#include "config.h"

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "tim-text.h"
#include "timchat-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-image-viewer.h"
#include "timchat-message-row.h"
#include "timchat-preview-sheet.h"

/* More than a message list holds (300) plus the rows a GtkListView keeps bound (~200). */
#define LONG_HISTORY 620

static TimchatFixture *fixture;
static char *base_dir;

static void
wait_unread (TimClient *client, const char *conversation_id, guint unread)
{
  TimConversationList *list = tim_client_get_conversations (client);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  TimConversation *conversation;

  while ((conversation = tim_conversation_list_lookup (list, conversation_id)) == NULL ||
         tim_conversation_get_unread_count (conversation) != unread)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
    }
}

static GtkWindow *
show_view (TimchatConversationView *view)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 480, 520);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  return window;
}

/* The on-screen top and bottom of the row showing message_id, relative to the scrolled window. */
static gboolean
row_span (TimchatConversationView *view, const char *message_id, double *y, double *bottom)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, view->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      TimMessage *message = gtk_list_item_get_item (item);
      GtkWidget *child = gtk_list_item_get_child (item);
      graphene_point_t point;

      if (message == NULL || g_strcmp0 (tim_message_get_id (message), message_id) != 0)
        continue;
      if (!gtk_widget_get_mapped (child) ||
          !gtk_widget_compute_point (child, GTK_WIDGET (view->scroller),
                                     &GRAPHENE_POINT_INIT (0, 0), &point))
        return FALSE;
      *y = point.y;
      if (bottom != NULL)
        *bottom = point.y + gtk_widget_get_height (child);
      return TRUE;
    }
  return FALSE;
}

/* Entirely inside the scrolled window's viewport. */
static gboolean
row_visible (TimchatConversationView *view, const char *message_id)
{
  double y, bottom;

  return row_span (view, message_id, &y, &bottom) && y >= -1 &&
         bottom <= gtk_widget_get_height (GTK_WIDGET (view->scroller)) + 1;
}

static TimMessage *
nth (TimchatConversationView *view, int index)
{
  GListModel *model = G_LIST_MODEL (view->messages);
  guint n = g_list_model_get_n_items (model);
  TimMessage *message = g_list_model_get_item (model, index >= 0 ? (guint) index : n + index);

  g_object_unref (message); /* the model keeps it */
  return message;
}

static gboolean
nth_visible (TimchatConversationView *view, int index)
{
  return row_visible (view, tim_message_get_id (nth (view, index)));
}

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
settled (gpointer data)
{
  TimchatConversationView *view = data;

  return view->pin_tick == 0 && !view->loading_older;
}

/* No pinning or loading going on, then a few frames for the layout to follow. */
static void
wait_settled (TimchatConversationView *view)
{
  guint frames = 0, tick;

  g_assert_true (tim_test_wait_until (settled, view, 10000));
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (view), count_frame, &frames, NULL);
  while (frames < 4)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (GTK_WIDGET (view), tick);
}

static void
wait_newest_visible (TimchatConversationView *view)
{
  wait_settled (view);
  g_assert_true (nth_visible (view, -1));
}

static void
wait_items (TimchatConversationView *view, guint want)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (G_LIST_MODEL (view->messages)) < want)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
    }
}

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

static gboolean
got_image (gpointer data)
{
  GPtrArray *got = data;

  for (guint i = 0; i < got->len; i++)
    if (tim_message_get_elem_type (got->pdata[i]) == TIM_ELEM_IMAGE)
      return TRUE;
  return FALSE;
}

static gpointer
find_sheet (gpointer unused)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_PREVIEW_SHEET, NULL);
}

static gboolean
sheet_shown (gpointer unused)
{
  return find_sheet (NULL) != NULL;
}

static gboolean
composer_says (gpointer composer)
{
  g_autofree char *text = timchat_composer_dup_text (composer);

  return g_strcmp0 (text, "typed, then pasted") == 0;
}

static gboolean
viewer_shown (gpointer data)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_IMAGE_VIEWER, gtk_widget_get_visible) != NULL;
}

static gboolean
clipboard_has_texture (gpointer widget)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (gtk_widget_get_clipboard (widget));

  return gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE);
}

/* Copy Image of a received picture (downloaded first, as the receiver has no file of it): the
 * clipboard holds the picture at its size. */
static void
test_copy_image (void)
{
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "to-copy.png", 150, 90);
  g_autoptr (TimMessage) sent = tim_client_create_image_message (gus, "hal", TIM_CONV_C2C, png);
  g_autoptr (TimMessage) got = tim_test_send_and_receive (gus, hal, sent);
  TimchatConversationView *view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (hal));
  GtkWindow *window = show_view (view);
  g_autoptr (GdkTexture) copied = NULL;

  timchat_conversation_view_set_conversation_id (view, "C2Cgus");
  wait_settled (view);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (view)), "before");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.copy-image", "s",
                                             tim_message_get_id (got)));
  g_assert_true (tim_test_wait_until (clipboard_has_texture, view, 10000));
  copied = test_app_read_clipboard_texture (GTK_WIDGET (view));
  g_assert_nonnull (copied);
  g_assert_cmpint (gdk_texture_get_width (copied), ==, 150);
  g_assert_cmpint (gdk_texture_get_height (copied), ==, 90);
  gtk_window_destroy (window);
}

static void
test_send_file_preview_and_paste (void)
{
  g_autoptr (TimClient) eve = tim_test_client_new (fixture, base_dir, "eve");
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GFile) png = test_app_write_png (base_dir, "blue.png", 320, 200);
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  TimchatPreviewSheet *sheet;
  GtkWindow *window;

  tim_test_collect (fay, "message-received", got);
  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (eve));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cfay");
  wait_settled (view);

  /* A file chooser's result. */
  timchat_conversation_view_send_file (view, png, TIM_ELEM_IMAGE);
  g_assert_true (tim_test_wait_until (got_image, got, 20000));
  g_assert_cmpstr (tim_message_get_from (got->pdata[0]), ==, "eve");
  wait_newest_visible (view); /* my own send scrolls to it */

  /* Enter on the image's row opens it in the viewer, once: the row takes the keyboard focus
   * (it has nothing else that could) and activates as Enter does (its activate signal). */
  {
    GtkWidget *list = test_app_find_widget (GTK_WIDGET (view), test_app_has_type,
                                            GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
    GtkWidget *newest_item = gtk_widget_get_last_child (list);
    GtkWindow *viewer;

    g_assert_true (gtk_widget_grab_focus (newest_item));
    g_assert_true (gtk_widget_activate (newest_item));
    g_assert_true (tim_test_wait_until (viewer_shown, NULL, 5000));
    viewer = test_app_find_toplevel (TIMCHAT_TYPE_IMAGE_VIEWER, gtk_widget_get_visible);
    g_assert_true (gtk_window_get_transient_for (viewer) == window);
    g_assert_true (gtk_widget_activate (newest_item));
    test_app_iterate (200);
    g_assert_cmpuint (test_app_count_toplevels (TIMCHAT_TYPE_IMAGE_VIEWER, gtk_widget_get_visible),
                      ==, 1);
    gtk_window_destroy (viewer);
  }

  /* A pasted image through the preview sheet: PNG encoded off the main thread. */
  g_ptr_array_set_size (got, 0);
  texture = gdk_texture_new_from_file (png, &error);
  g_assert_no_error (error);
  timchat_conversation_view_preview_texture (view, texture);
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  sheet = find_sheet (NULL);
  timchat_preview_sheet_respond (sheet, TRUE);
  g_assert_true (tim_test_wait_until (got_image, got, 20000));
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_IMAGE);
  g_assert_false (find_sheet (NULL));

  /* Ctrl+V's action with an image on the clipboard opens the sheet. */
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (view)), texture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL));
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  g_assert_true (timchat_preview_sheet_get_texture (find_sheet (NULL)) != NULL);
  timchat_preview_sheet_respond (find_sheet (NULL), FALSE);
  g_assert_false (find_sheet (NULL));

  /* Files copied in a file manager: the sheet lists them, and Send sends them as files. */
  {
    g_autofree char *path = g_build_filename (base_dir, "notes.txt", NULL);
    g_autoptr (GFile) notes = g_file_new_for_path (path);
    GFile *files[] = { notes };
    GdkFileList *list;
    GListModel *shown;

    g_assert_true (g_file_set_contents (path, "copied in Files", -1, NULL));
    list = gdk_file_list_new_from_array (files, G_N_ELEMENTS (files));
    gdk_clipboard_set (gtk_widget_get_clipboard (GTK_WIDGET (view)), GDK_TYPE_FILE_LIST, list);
    g_boxed_free (GDK_TYPE_FILE_LIST, list); /* the clipboard took a copy */
    g_ptr_array_set_size (got, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL));
    g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
    shown = timchat_preview_sheet_get_files (find_sheet (NULL));
    g_assert_nonnull (shown);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
    timchat_preview_sheet_respond (find_sheet (NULL), TRUE);
    g_assert_true (tim_test_wait_count (got, 1, 20000));
    g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_FILE);
    g_assert_cmpstr (tim_message_get_file_name (got->pdata[0]), ==, "notes.txt");
  }

  /* Text on the clipboard goes into the composer, after what is typed, and is not sent. */
  {
    TimchatComposer *composer = TIMCHAT_COMPOSER (test_app_composer (GTK_WIDGET (view)));
    g_autofree char *text = NULL;

    timchat_composer_set_text (composer, "typed, then ");
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (view)), "pasted");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL));
    g_assert_true (tim_test_wait_until (composer_says, composer, 5000));
    text = timchat_composer_dup_text (composer);
    g_assert_cmpstr (text, ==, "typed, then pasted");
    g_assert_false (find_sheet (NULL));
  }
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

/* Group Notices are the server's: no composer, and a paste or a drop sends nothing there. */
static void
test_notices_read_only (void)
{
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  TimchatConversationView *view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (gus));
  GtkWindow *window = show_view (view);
  GtkWidget *composer = test_app_composer (GTK_WIDGET (view));
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GFile) png = test_app_write_png (base_dir, "notice.png", 20, 20);

  texture = gdk_texture_new_from_file (png, NULL);
  timchat_conversation_view_set_conversation_id (view, "@TIM#SYSTEM");
  test_app_iterate (100);
  g_assert_false (gtk_widget_get_visible (composer));
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (view)), texture);
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL);
  g_assert_false (_timchat_conversation_view_paste_media (view));
  test_app_iterate (300);
  g_assert_false (find_sheet (NULL));
  /* Focusing the view (opening the conversation) lands on its messages. */
  g_assert_true (timchat_conversation_view_focus_start (view));
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (window)));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), composer));

  /* Any other conversation has its composer back. */
  timchat_conversation_view_set_conversation_id (view, "C2Chal");
  g_assert_true (gtk_widget_get_visible (composer));
  gtk_window_destroy (window);
}

/* In a group, beside a member's message: their picture, from the avatar the message carries. */
static void
test_group_sender_picture (void)
{
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "jon.png", 240, 240);
  const char *members[] = { "ivy", NULL };
  g_autofree char *group_id = tim_test_create_group (jon, "Climbers", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  TimchatConversationView *view;
  GtkWindow *window;

  tim_client_set_my_avatar_async (jon, png, NULL, tim_test_keep_result, &result);
  url = tim_client_set_my_avatar_finish (jon, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  hello = tim_client_create_text_message (jon, group_id, TIM_CONV_GROUP, "On the wall at ten");
  g_assert_true (tim_test_send (jon, hello, &error));

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (ivy));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, conversation_id);
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "On the wall at ten", 10000));
  g_assert_true (tim_test_wait_until (test_app_shows_avatar_picture, view, 10000));
  gtk_window_destroy (window);
}

static gboolean
avatar_fits (GtkWidget *widget, gconstpointer max)
{
  GdkPaintable *picture =
      ADW_IS_AVATAR (widget) ? adw_avatar_get_custom_image (ADW_AVATAR (widget)) : NULL;

  return picture != NULL && gdk_paintable_get_intrinsic_width (picture) <= GPOINTER_TO_INT (max) &&
         gdk_paintable_get_intrinsic_height (picture) <= GPOINTER_TO_INT (max);
}

static gboolean
shows_fitting_avatar (gpointer view)
{
  return test_app_find_widget (view, avatar_fits, GINT_TO_POINTER (256)) != NULL;
}

/* A member whose avatar is a big picture (any URL can be set, here a 2,400 px original): it is
 * decoded at 256 px at most, not at its full size on the main thread. */
static void
test_big_avatar (void)
{
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "big.png", 2400, 1800);
  const char *members[] = { "kim", NULL };
  g_autofree char *group_id = tim_test_create_group (lou, "Big", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) picture =
      tim_client_create_image_message (lou, group_id, TIM_CONV_GROUP, png);
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  GtkWindow *window;
  int width = 0, height = 0;

  g_assert_true (tim_test_send (lou, picture, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tim_message_get_image (picture, TIM_IMAGE_ORIGINAL, &width, &height));
  g_assert_cmpint (width, ==, 2400);
  tim_client_update_my_profile_async (
      lou, NULL, tim_message_get_image (picture, TIM_IMAGE_ORIGINAL, NULL, NULL), NULL,
      tim_test_keep_result, &result);
  g_assert_true (tim_client_update_my_profile_finish (lou, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  hello = tim_client_create_text_message (lou, group_id, TIM_CONV_GROUP, "Big picture");
  g_assert_true (tim_test_send (lou, hello, &error));

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (kim));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, conversation_id);
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Big picture", 10000));
  g_assert_true (tim_test_wait_until (test_app_shows_avatar_picture, view, 10000));
  g_assert_true (shows_fitting_avatar (view));
  gtk_window_destroy (window);
}

/* ---------------------------------------------------------------- editing a sent message */

/* A key press as the composer's text view's key controller sees it. */
static gboolean
press (TimchatComposer *composer, guint keyval)
{
  GtkWidget *text_view = test_app_find_widget (GTK_WIDGET (composer), test_app_has_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW));
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (text_view);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "composer-keys") == 0)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
          return handled;
        }
    }
  g_error ("the composer's key controller is missing");
}

static void
assert_composer_text (TimchatComposer *composer, const char *expected)
{
  g_autofree char *text = timchat_composer_dup_text (composer);

  g_assert_cmpstr (text, ==, expected);
}

/* The bar over the composer's text: shown in edit mode, with the original on one line. */
static gboolean
edit_bar_shown (TimchatComposer *composer)
{
  GtkWidget *revealer = test_app_find_widget (GTK_WIDGET (composer), test_app_has_type,
                                              GSIZE_TO_POINTER (GTK_TYPE_REVEALER));

  g_assert_nonnull (revealer);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

typedef struct
{
  TimchatConversationView *view;
  TimMessage *message;
  const char *text;
} RowShows;

/* A label shown in the row (itself and its ancestors visible) says text. */
static gboolean
shown_label (GtkWidget *widget, gconstpointer text)
{
  return test_app_has_text (widget, text) && gtk_widget_is_visible (widget);
}

static gboolean
row_shows (gpointer data)
{
  RowShows *shows = data;
  GtkWidget *row =
      _timchat_conversation_view_row_of (shows->view, tim_message_get_id (shows->message));

  return row != NULL && test_app_find_widget (row, shown_label, shows->text) != NULL;
}

/* The row of message shows text, and "edited" next to its time (or not). */
static void
assert_row (TimchatConversationView *view, TimMessage *message, const char *text, gboolean edited)
{
  RowShows shows = { view, message, text };
  RowShows edited_shows = { view, message, "edited" };

  g_assert_true (tim_test_wait_until (row_shows, &shows, 10000));
  if (edited)
    g_assert_true (tim_test_wait_until (row_shows, &edited_shows, 10000));
  else
    g_assert_false (row_shows (&edited_shows));
}

typedef struct
{
  TimMessage *message;
  const char *text;
} Says;

static gboolean
message_says (gpointer data)
{
  Says *says = data;

  return g_strcmp0 (tim_message_get_text (says->message), says->text) == 0 &&
         tim_message_get_is_modified (says->message);
}

/* "Edit" in a message's menu, Enter to save, Escape to cancel: the peer's copy changes and says
 * it was edited, the row shows "edited", what was typed before comes back each time. */
static void
test_edit_from_menu (void)
{
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lee = tim_test_client_new (fixture, base_dir, "lee");
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (kim, "lee", TIM_CONV_C2C, "See you at 7");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (kim, lee, sent);
  GtkWidget *send_button, *bar_label;
  TimchatConversationView *view;
  TimchatComposer *composer;
  GtkWindow *window;

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (kim));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Clee");
  composer = TIMCHAT_COMPOSER (view->composer);
  send_button = test_app_find_widget (view->composer, test_app_has_action, "composer.send");
  assert_row (view, sent, "See you at 7", FALSE);
  timchat_composer_set_text (composer, "half a thought");
  g_assert_false (edit_bar_shown (composer));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (send_button), ==, "Send");

  /* Edit: the text in the composer, the bar over it, "Save". */
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.edit", "s",
                              tim_message_get_id (sent));
  g_assert_true (timchat_composer_get_editing (composer) == sent);
  assert_composer_text (composer, "See you at 7");
  g_assert_true (edit_bar_shown (composer));
  bar_label = test_app_find_widget (view->composer, test_app_has_text, "See you at 7");
  g_assert_nonnull (bar_label);
  g_assert_true (gtk_label_get_ellipsize (GTK_LABEL (bar_label)) == PANGO_ELLIPSIZE_END);
  g_assert_nonnull (test_app_find_widget (view->composer, test_app_has_text, "Editing message"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (send_button), ==, "Save");
  g_assert_true (gtk_widget_get_sensitive (send_button));

  /* Escape: nothing sent, the draft back. */
  timchat_composer_set_text (composer, "See you at 8?");
  g_assert_true (press (composer, GDK_KEY_Escape));
  g_assert_null (timchat_composer_get_editing (composer));
  g_assert_false (edit_bar_shown (composer));
  assert_composer_text (composer, "half a thought");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (send_button), ==, "Send");
  test_app_iterate (300);
  g_assert_cmpint (tim_message_get_version (sent), ==, 0);
  g_assert_false (tim_message_get_is_modified (got));
  g_assert_cmpstr (tim_message_get_text (got), ==, "See you at 7");

  /* Enter saves: the draft is back at once, the edit reaches the peer. */
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.edit", "s",
                              tim_message_get_id (sent));
  timchat_composer_set_text (composer, "See you at 8");
  test_app_screenshot (GTK_WIDGET (window), "view-editing.png");
  g_assert_true (press (composer, GDK_KEY_Return));
  g_assert_null (timchat_composer_get_editing (composer));
  g_assert_false (edit_bar_shown (composer));
  assert_composer_text (composer, "half a thought");
  g_assert_true (tim_test_wait_until (message_says, &(Says){ got, "See you at 8" }, 10000));
  assert_row (view, sent, "See you at 8", TRUE);
  test_app_screenshot (GTK_WIDGET (window), "view-edited.png");

  /* Saved unchanged, or blank: edit mode ends, nothing goes out (an edit never deletes). */
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.edit", "s",
                              tim_message_get_id (sent));
  g_assert_true (press (composer, GDK_KEY_Return));
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.edit", "s",
                              tim_message_get_id (sent));
  timchat_composer_set_text (composer, "  \n ");
  g_signal_emit_by_name (send_button, "clicked");
  g_assert_null (timchat_composer_get_editing (composer));
  assert_composer_text (composer, "half a thought");
  test_app_iterate (300);
  g_assert_cmpint (tim_message_get_version (sent), ==, 1);
  g_assert_cmpstr (tim_message_get_text (got), ==, "See you at 8");

  /* Someone else's message: no edit mode. */
  {
    g_autoptr (TimMessage) reply =
        tim_client_create_text_message (lee, "kim", TIM_CONV_C2C, "Fine by me");
    g_autoptr (GError) error = NULL;

    g_assert_true (tim_test_send (lee, reply, &error));
    g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Fine by me", 10000));
    gtk_widget_activate_action (GTK_WIDGET (view), "conversation.edit", "s",
                                tim_message_get_id (reply));
    g_assert_null (timchat_composer_get_editing (composer));
  }
  timchat_composer_set_text (composer, "");
  gtk_window_destroy (window);
}

/* Up in an empty composer edits one's newest text (passing over the peer's reply and one's own
 * picture after it); in a composer with text it only moves the cursor. */
static void
test_edit_last_with_up (void)
{
  g_autoptr (TimClient) max = tim_test_client_new (fixture, base_dir, "max");
  g_autoptr (TimClient) nia = tim_test_client_new (fixture, base_dir, "nia");
  g_autoptr (TimMessage) older = tim_client_create_text_message (max, "nia", TIM_CONV_C2C, "older");
  g_autoptr (TimMessage) newest =
      tim_client_create_text_message (max, "nia", TIM_CONV_C2C, "newest");
  g_autoptr (TimMessage) reply =
      tim_client_create_text_message (nia, "max", TIM_CONV_C2C, "a reply");
  g_autoptr (TimMessage) got = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  TimchatComposer *composer;
  GtkWindow *window;

  g_assert_true (tim_test_send (max, older, &error));
  got = tim_test_send_and_receive (max, nia, newest);
  g_assert_true (tim_test_send (nia, reply, &error));
  g_assert_no_error (error);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (max));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cnia");
  composer = TIMCHAT_COMPOSER (view->composer);
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "a reply", 10000));

  /* With text: Up is the cursor's. */
  timchat_composer_set_text (composer, "typing");
  g_assert_false (press (composer, GDK_KEY_Up));
  g_assert_null (timchat_composer_get_editing (composer));
  assert_composer_text (composer, "typing");

  timchat_composer_set_text (composer, "");
  g_assert_true (press (composer, GDK_KEY_Up));
  g_assert_true (timchat_composer_get_editing (composer) == newest);
  assert_composer_text (composer, "newest");
  g_assert_true (edit_bar_shown (composer));
  timchat_composer_set_text (composer, "newest, edited");
  g_assert_true (press (composer, GDK_KEY_KP_Enter));
  assert_composer_text (composer, "");
  g_assert_true (tim_test_wait_until (message_says, &(Says){ got, "newest, edited" }, 10000));
  assert_row (view, newest, "newest, edited", TRUE);
  assert_row (view, older, "older", FALSE);

  /* Switching conversations leaves edit mode; the draft stays with its conversation. */
  timchat_composer_set_text (composer, "draft for nia");
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.edit", "s",
                              tim_message_get_id (newest));
  g_assert_true (timchat_composer_get_editing (composer) == newest);
  assert_composer_text (composer, "newest, edited");
  timchat_conversation_view_set_conversation_id (view, "C2Csomeone-else");
  g_assert_null (timchat_composer_get_editing (composer));
  g_assert_false (edit_bar_shown (composer));
  assert_composer_text (composer, "");
  timchat_conversation_view_set_conversation_id (view, "C2Cnia");
  assert_composer_text (composer, "draft for nia");
  timchat_composer_set_text (composer, "");
  g_assert_cmpint (tim_message_get_version (newest), ==, 1);
  gtk_window_destroy (window);
}

/* An edit made on the sender's other device: the row shows it as it arrives. */
static void
test_edited_elsewhere (void)
{
  g_autoptr (TimClient) oz = tim_test_client_new (fixture, base_dir, "oz");
  g_autofree char *phone_dir = g_build_filename (base_dir, "oz-phone", NULL);
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "oz");
  g_autoptr (TimClient) pat = tim_test_client_new (fixture, base_dir, "pat");
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (oz, "pat", TIM_CONV_C2C, "Lunch at noon");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (oz, pat, sent);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (JsonObject) payload = json_object_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimMessage *on_phone = NULL;
  TimchatConversationView *view;
  GtkWindow *window;

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (oz));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cpat");
  assert_row (view, sent, "Lunch at noon", FALSE);

  page = tim_test_get_messages (phone, "C2Cpat", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    if (g_strcmp0 (tim_message_get_id (page->pdata[i]), tim_message_get_id (sent)) == 0)
      on_phone = page->pdata[i];
  g_assert_nonnull (on_phone);
  json_object_set_string_member (payload, "text", "Lunch at one");
  tim_client_modify_message_async (phone, on_phone, payload, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_modify_message_finish (phone, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);

  assert_row (view, sent, "Lunch at one", TRUE);
  g_assert_true (tim_message_get_is_modified (sent));
  gtk_window_destroy (window);
}

/* The popover menu shown among widget's own children, or NULL. */
static GtkWidget *
shown_popover_menu (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child) && gtk_widget_get_visible (child))
      return child;
  return NULL;
}

static gboolean
is_selectable_label (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* Menu and Shift+F10, real key presses with the focus on a message's selectable text (where Tab
 * puts it), open the message's menu, not GTK's own for the text (Cut, Paste… greyed out). */
static void
test_menu_key_on_text (void)
{
  g_autoptr (TimClient) quin = tim_test_client_new (fixture, base_dir, "quin");
  g_autoptr (TimClient) rae = tim_test_client_new (fixture, base_dir, "rae");
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (rae, "quin", TIM_CONV_C2C, "Menu key, please");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (rae, quin, sent);
  const guint keys[] = { GDK_KEY_Menu, GDK_KEY_F10 };
  const GdkModifierType mods[] = { 0, GDK_SHIFT_MASK };
  TimchatConversationView *view;
  GtkWidget *row, *label;
  GtkWindow *window;

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (quin));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Crae");
  assert_row (view, got, "Menu key, please", FALSE);
  row = _timchat_conversation_view_row_of (view, tim_message_get_id (got));
  label = test_app_find_widget (row, is_selectable_label, "Menu key, please");
  g_assert_nonnull (label);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *menu;

      g_assert_true (gtk_widget_grab_focus (label));
      test_app_press_key (label, keys[i], mods[i]);
      g_assert_null (shown_popover_menu (label));
      menu = shown_popover_menu (row);
      g_assert_nonnull (menu);
      g_assert_true (test_app_menu_offers (
          gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)), "conversation.reply"));
      gtk_popover_popdown (GTK_POPOVER (menu));
      test_app_iterate (100);
    }
  gtk_window_destroy (window);
}

/* Replying */

static gboolean
reply_bar_shown (TimchatComposer *composer)
{
  GtkWidget *button =
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Cancel Reply");

  return gtk_revealer_get_reveal_child (
      GTK_REVEALER (gtk_widget_get_ancestor (button, GTK_TYPE_REVEALER)));
}

/* Ctrl+R as the list view's shortcut controller takes it (the message in focus). */
static gboolean
press_ctrl_r (TimchatConversationView *view)
{
  GtkWidget *list = GTK_WIDGET (view->list_view);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (list);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger =
              gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, "<Control>r"))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, list, NULL);
        }
    }
  g_error ("no Ctrl+R on the message list");
}

typedef struct
{
  GPtrArray *got;
  guint count;
} Count;

static gboolean
has_count (gpointer data)
{
  Count *count = data;

  return count->got->len >= count->count;
}

/* The next message of type got receives (others skipped). */
static TimMessage *
next_received (GPtrArray *got, guint *seen, TimElemType type)
{
  for (;;)
    {
      TimMessage *message;

      g_assert_true (tim_test_wait_until (has_count, &(Count){ got, *seen + 1 }, 20000));
      message = got->pdata[(*seen)++];
      if (tim_message_get_elem_type (message) == type)
        return message;
    }
}

static char *
quoted_id (TimMessage *message)
{
  char *id = NULL;

  return tim_message_dup_reply (message, &id, NULL, NULL) ? id : NULL;
}

/* The menu's Reply: the bar names the sender and shows the message, the focus is in the text;
 * Enter sends a reply the peer sees as one (and the view shows its quote); the bar closes.
 * Ctrl+R on a message in focus, then a file sent, does the same; switching conversations
 * closes the bar. */
static void
test_reply_from_menu (void)
{
  g_autoptr (TimClient) ria = tim_test_client_new (fixture, base_dir, "ria");
  g_autoptr (TimClient) sam = tim_test_client_new (fixture, base_dir, "sam");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) question =
      tim_client_create_text_message (sam, "ria", TIM_CONV_C2C, "Dinner tonight? [Grin]");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "reply.png", 64, 48);
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *quotes = NULL;
  g_autofree char *image_quotes = NULL;
  TimchatConversationView *view;
  TimchatComposer *composer;
  TimMessage *original, *answer;
  GtkWidget *text_view, *abstract;
  GtkWindow *window;
  guint seen = 0;

  tim_test_collect (sam, "message-received", got);
  g_assert_true (tim_test_send (sam, question, &error));
  g_assert_no_error (error);
  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (ria));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Csam");
  composer = TIMCHAT_COMPOSER (view->composer);
  text_view = test_app_find_widget (view->composer, test_app_has_type,
                                    GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Dinner tonight? 😁", 10000));
  original = _timchat_conversation_view_lookup (view, tim_message_get_id (question));
  g_assert_nonnull (original);
  g_assert_false (reply_bar_shown (composer));

  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.reply", "s",
                              tim_message_get_id (original));
  g_assert_true (timchat_composer_get_replying (composer) == original);
  g_assert_true (reply_bar_shown (composer));
  title = g_strdup_printf ("Replying to %s", tim_message_get_sender_name (original));
  g_assert_cmpstr (tim_message_get_sender_name (original), !=, "");
  g_assert_nonnull (test_app_find_widget (view->composer, test_app_has_text, title));
  abstract = test_app_find_widget (view->composer, test_app_has_text, "Dinner tonight? 😁");
  g_assert_nonnull (abstract);
  g_assert_true (gtk_label_get_ellipsize (GTK_LABEL (abstract)) == PANGO_ELLIPSIZE_END);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == text_view);
  test_app_screenshot (GTK_WIDGET (window), "view-replying.png");

  timchat_composer_set_text (composer, "Yes, at 8");
  g_assert_true (press (composer, GDK_KEY_Return));
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_false (reply_bar_shown (composer));
  answer = next_received (got, &seen, TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (answer), ==, "Yes, at 8");
  quotes = quoted_id (answer);
  g_assert_cmpstr (quotes, ==, tim_message_get_id (original));
  /* The sender's own row shows the quote. */
  assert_row (view, _timchat_conversation_view_lookup (view, tim_message_get_id (answer)),
              "Yes, at 8", FALSE);
  g_assert_nonnull (
      test_app_find_widget (_timchat_conversation_view_row_of (view, tim_message_get_id (answer)),
                            test_app_has_action, "conversation.show-original"));
  test_app_screenshot (GTK_WIDGET (window), "view-replied.png");

  /* Ctrl+R on the message in focus; then a file chosen quotes it. */
  wait_settled (view);
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (
      _timchat_conversation_view_row_of (view, tim_message_get_id (original)))));
  g_assert_true (press_ctrl_r (view));
  g_assert_true (timchat_composer_get_replying (composer) == original);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == text_view);
  timchat_conversation_view_send_file (view, png, TIM_ELEM_IMAGE);
  g_assert_null (timchat_composer_get_replying (composer));
  image_quotes = quoted_id (next_received (got, &seen, TIM_ELEM_IMAGE));
  g_assert_cmpstr (image_quotes, ==, tim_message_get_id (original));

  /* Switching conversations closes the bar. */
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.reply", "s",
                              tim_message_get_id (original));
  g_assert_true (reply_bar_shown (composer));
  timchat_conversation_view_set_conversation_id (view, "C2Csomeone-else");
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_false (reply_bar_shown (composer));
  gtk_window_destroy (window);
}

typedef struct
{
  TimchatConversationView *view;
  const char *id;
} Shown;

/* The original's row: on screen, the focus in it, highlighted. */
static gboolean
original_shown (gpointer data)
{
  Shown *shown = data;
  GtkWidget *row = _timchat_conversation_view_row_of (shown->view, shown->id);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (shown->view)));
  GtkWidget *item = row != NULL ? gtk_widget_get_parent (row) : NULL;

  return row != NULL && row_visible (shown->view, shown->id) && focus != NULL &&
         (focus == item || gtk_widget_is_ancestor (focus, item)) &&
         timchat_message_row_get_flashing (TIMCHAT_MESSAGE_ROW (row));
}

static gboolean
flash_over (gpointer data)
{
  Shown *shown = data;
  GtkWidget *row = _timchat_conversation_view_row_of (shown->view, shown->id);

  return row != NULL && !timchat_message_row_get_flashing (TIMCHAT_MESSAGE_ROW (row));
}

/* A click on a reply's quote scrolls up to the original, gives it the focus and highlights it
 * for a moment, and the view stays there; an original the view does not have (another
 * conversation's message, here) is a toast, by the keyboard's activation of the quote. */
static void
test_quote_shows_original (void)
{
  g_autoptr (TimClient) tia = tim_test_client_new (fixture, base_dir, "tia");
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimMessage) original =
      tim_client_create_text_message (uma, "tia", TIM_CONV_C2C, "The original");
  g_autoptr (TimMessage) elsewhere =
      tim_client_create_text_message (uma, "vic", TIM_CONV_C2C, "Said to vic");
  g_autoptr (TimMessage) reply =
      tim_client_create_text_message (uma, "tia", TIM_CONV_C2C, "A reply");
  g_autoptr (TimMessage) stray =
      tim_client_create_text_message (uma, "tia", TIM_CONV_C2C, "Quoting elsewhere");
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  GtkWidget *overlay, *quote;
  GtkWindow *window;
  Shown shown;

  g_assert_true (tim_test_send (uma, original, &error));
  tim_test_send_texts (uma, "tia", 25, "filler");
  g_assert_true (tim_test_send (uma, elsewhere, &error));
  g_assert_true (tim_message_set_reply_to (reply, original));
  g_assert_true (tim_test_send (uma, reply, &error));
  g_assert_true (tim_message_set_reply_to (stray, elsewhere));
  g_assert_true (tim_test_send (uma, stray, &error));
  g_assert_no_error (error);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (tia));
  overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (view));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 480, 520);
  gtk_window_set_child (window, overlay);
  gtk_window_present (window);
  timchat_conversation_view_set_conversation_id (view, "C2Cuma");
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Quoting elsewhere", 10000));
  /* It opens at the first unread (the original); the reader goes down to the newest. */
  wait_settled (view);
  _timchat_conversation_view_scroll_to_bottom (view);
  wait_settled (view);
  g_assert_true (nth_visible (view, -1));
  g_assert_false (row_visible (view, tim_message_get_id (original)));

  quote =
      test_app_find_widget (_timchat_conversation_view_row_of (view, tim_message_get_id (reply)),
                            test_app_has_action, "conversation.show-original");
  g_assert_nonnull (quote);
  g_signal_emit_by_name (quote, "clicked");
  shown = (Shown){ view, tim_message_get_id (original) };
  g_assert_true (tim_test_wait_until (original_shown, &shown, 5000));
  test_app_screenshot (GTK_WIDGET (window), "view-quote-original.png");
  g_assert_true (tim_test_wait_until (flash_over, &shown, 5000));
  /* The view stays with the original (it does not go back to the bottom). */
  test_app_iterate (800);
  g_assert_true (row_visible (view, tim_message_get_id (original)));

  /* Back at the bottom, Enter on the other quote: not in this conversation's messages. */
  _timchat_conversation_view_scroll_to_bottom (view);
  wait_settled (view);
  g_assert_true (nth_visible (view, -1));
  quote =
      test_app_find_widget (_timchat_conversation_view_row_of (view, tim_message_get_id (stray)),
                            test_app_has_action, "conversation.show-original");
  g_assert_nonnull (quote);
  g_assert_true (gtk_widget_activate (quote));
  g_assert_true (test_app_wait_text (overlay, "The original message is not loaded", 5000));
  g_assert_true (nth_visible (view, -1));
  gtk_window_destroy (window);
}

/* A sticker whose index is any integer the wire allows (here the most negative one, from a
 * sender other than this app) is shown as one of the emoji, like every other index: not an
 * index before the start of the emoji table. */
static void
test_face_index_from_wire (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (JsonObject) reply = NULL;
  const char *const *tokens = tim_text_emoji_tokens ();
  guint n = g_strv_length ((char **) tokens);
  /* 2^63 mod n, the magnitude of the index as the row takes it. */
  const char *emoji = tim_text_emoji_for_token (tokens[((guint64) G_MAXINT64 + 1) % n]);
  TimchatConversationView *view;
  GtkWindow *window;
  TimMessage *face;

  reply = timchat_test_rest (fixture, "openim/sendmsg",
                             "{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgRandom\":77,"
                             "\"MsgBody\":[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{"
                             "\"Index\":-9223372036854775808,\"Data\":\"\"}}]}",
                             NULL);
  g_assert_cmpint (json_object_get_int_member (reply, "ErrorCode"), ==, 0);
  wait_unread (bob, "C2Calice", 1);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (bob));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Calice");
  wait_items (view, 1);
  face = nth (view, -1);
  g_assert_cmpint (tim_message_get_elem_type (face), ==, TIM_ELEM_FACE);
  g_assert_cmpint (tim_message_get_face_index (face), ==, G_MININT64);
  wait_settled (view);
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (view->list_view), test_app_has_text, emoji));
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
  g_test_add_func ("/app/view/send-file-preview-paste", test_send_file_preview_and_paste);
  g_test_add_func ("/app/view/copy-image", test_copy_image);
  g_test_add_func ("/app/view/first-message-read-when-open", test_first_message_read_when_open);
  g_test_add_func ("/app/view/reopen-while-loading", test_reopen_while_loading);
  g_test_add_func ("/app/view/recall-at-bottom", test_recall_at_bottom);
  g_test_add_func ("/app/view/long-history", test_long_history);
  g_test_add_func ("/app/view/notices-read-only", test_notices_read_only);
  g_test_add_func ("/app/view/group-sender-picture", test_group_sender_picture);
  g_test_add_func ("/app/view/big-avatar", test_big_avatar);
  g_test_add_func ("/app/view/edit-from-menu", test_edit_from_menu);
  g_test_add_func ("/app/view/edit-last-with-up", test_edit_last_with_up);
  g_test_add_func ("/app/view/edited-elsewhere", test_edited_elsewhere);
  g_test_add_func ("/app/view/menu-key-on-text", test_menu_key_on_text);
  g_test_add_func ("/app/view/reply-from-menu", test_reply_from_menu);
  g_test_add_func ("/app/view/quote-shows-original", test_quote_shows_original);
  g_test_add_func ("/app/view/face-index-from-wire", test_face_index_from_wire);
  return test_app_run (fixture, base_dir);
}
