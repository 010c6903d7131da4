/* test-app-rows-state.c: a TimchatMessageRow following its message's state and offering what
 * can be done with it: recalls, failed messages with Retry reaching a "conversation" action group,
 * upload progress, receipts, the recall menu item within the time limit, Edit for one's own sent
 * texts and "edited" shown live, Reply in the menu and a reply's quote. Separate from the rows'
 * other programs (test-app-rows-*.c): a row's live changes and its context menu. */
#define G_LOG_DOMAIN "test-app-rows-state"

#include "config.h"

#include <adwaita.h>

#include "tim-message-private.h"
#include "test-app-rows-common.h"
#include "test-app-util.h"
#include "timchat-composer.h"
#include "timchat-format.h"
#include "timchat-message-row.h"

/* The payload of a 10 × 10 picture the menus are asked about (never loaded). */
#define SMALL_PICTURE                                                                              \
  "{\"uuid\":\"u\",\"imageFormat\":3,\"imageInfoArray\":[{\"type\":0,\"width\":10,\"height\":10,"  \
  "\"url\":\"http://127.0.0.1:1/files/p.png\",\"imageUrl\":\"http://127.0.0.1:1/files/p.png\"}]}"

static void
test_recalled (void)
{
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"secret\"}", FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"oops\"}", TRUE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (theirs, NULL, FALSE, 120);

  g_assert_nonnull (find_label (row, "secret", FALSE));
  /* Live: the recall arrives while the row shows the message. */
  _tim_message_set_revoked (theirs, "bob");
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_label (row, "secret", FALSE));
  g_assert_nonnull (find_label (row, "Bob recalled a message", FALSE));
  /* Laid out in the row's place (the row placed its parts again). */
  g_assert_cmpint (
      gtk_widget_get_width (GTK_WIDGET (find_label (row, "Bob recalled a message", FALSE))), >, 0);
  g_assert_cmpint (
      gtk_widget_get_height (GTK_WIDGET (find_label (row, "Bob recalled a message", FALSE))), >, 0);
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_SUCCESS);
  _tim_message_set_revoked (mine, "me");
  timchat_message_row_bind (row, mine, theirs, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "You recalled a message", FALSE));
  g_assert_null (find_label (row, "oops", FALSE));
  close_row (row);
}

static void
test_failed_retry (void)
{
  g_autoptr (TimMessage) message =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hello\"}", TRUE, TIM_CONV_C2C, now ());
  g_autofree char *expected = g_strdup_printf ("retry:%s", tim_message_get_id (message));
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);
  GtkWidget *retry;

  /* unSend, nothing to upload: a clock, no Retry. */
  g_assert_null (find_button (row, "Retry"));
  {
    GtkImage *icon = GTK_IMAGE (find_type (row, GTK_TYPE_IMAGE));

    g_assert_nonnull (icon);
    g_assert_cmpstr (gtk_image_get_icon_name (icon), ==, "document-open-recent-symbolic");
  }
  _tim_message_set_error (message, 20007, "Blocked by the peer");
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_FAIL);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "Blocked by the peer", FALSE));
  retry = find_button (row, "Retry");
  g_assert_nonnull (retry);
  g_ptr_array_set_size (recorder.activated, 0);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_cmpuint (recorder.activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recorder.activated, 0), ==, expected);
  /* The resend succeeds: error gone, a sent tick. */
  _tim_message_set_error (message, 0, NULL);
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_SUCCESS);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_button (row, "Retry"));
  g_assert_nonnull (find_label (row, "✓", FALSE));
  _tim_message_set_is_peer_read (message, TRUE);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "✓✓", FALSE));
  close_row (row);
}

/* "1.2 MB of 5.0 MB", kept until the next call. */
static const char *
transfer (goffset done, goffset total)
{
  static char *text;

  g_free (text);
  text = timchat_format_transfer (done, total);
  return text;
}

static void
test_upload_progress (void)
{
  g_autoptr (TimMessage) message = message_new (
      TIM_ELEM_FILE, "{\"fileName\":\"big.iso\",\"fileSize\":5000000}", TRUE, TIM_CONV_C2C, now ());
  g_autofree char *cancel = g_strdup_printf ("cancel-upload:%s", tim_message_get_id (message));
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);
  GtkProgressBar *bar;

  g_assert_null (find_type (row, GTK_TYPE_PROGRESS_BAR));
  _tim_message_set_upload (message, 1200000, 5000000);
  test_app_wait_frame (GTK_WIDGET (row));
  bar = GTK_PROGRESS_BAR (find_type (row, GTK_TYPE_PROGRESS_BAR));
  g_assert_nonnull (bar);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (bar), 0.24, 0.001);
  g_assert_nonnull (find_label (row, transfer (1200000, 5000000), FALSE));
  _tim_message_set_upload (message, 2500000, 5000000);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (bar), 0.5, 0.001);
  g_assert_nonnull (find_label (row, transfer (2500000, 5000000), FALSE));
  g_ptr_array_set_size (recorder.activated, 0);
  {
    g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

    collect (gtk_widget_get_parent (GTK_WIDGET (bar)), GTK_TYPE_BUTTON, buttons);
    g_assert_cmpuint (buttons->len, ==, 1);
    g_signal_emit_by_name (g_ptr_array_index (buttons, 0), "clicked");
  }
  g_assert_cmpuint (recorder.activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recorder.activated, 0), ==, cancel);
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_SUCCESS);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_label (row, transfer (2500000, 5000000), FALSE));
  g_assert_null (find_type (row, GTK_TYPE_PROGRESS_BAR));
  close_row (row);
}

/* The actions of the context menu, opened as right click would. */
static GPtrArray *
menu_actions (TimchatMessageRow *row)
{
  GPtrArray *actions = g_ptr_array_new_with_free_func (g_free);
  GMenuModel *model = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.menu", NULL));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      {
        model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (child));
        gtk_popover_popdown (GTK_POPOVER (child));
      }
  /* Each item reachable by its key. */
  if (model != NULL)
    test_app_assert_access_keys_unique (model);
  for (int i = 0; model != NULL && i < g_menu_model_get_n_items (model); i++)
    {
      char *action = NULL;

      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      g_ptr_array_add (actions, action);
    }
  return actions;
}

/* The text the menu's Copy of a selection copies, or NULL. */
static char *
selected_copy (TimchatMessageRow *row)
{
  g_autoptr (GMenuModel) model = NULL;
  char *target = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      model = g_object_ref (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (child)));
  for (int i = 0; model != NULL && i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;

      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      if (g_strcmp0 (action, "conversation.copy-text") == 0)
        g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_TARGET, "s", &target);
    }
  return target;
}

/* The row takes a right click before its children do: on a message's (selectable) text it opens
 * the message's menu, not GTK's text menu. */
static gboolean
right_click_is_the_rows (TimchatMessageRow *row)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (row));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY &&
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) ==
              GTK_PHASE_CAPTURE)
        return TRUE;
    }
  return FALSE;
}

static gboolean
contains (GPtrArray *strings, const char *value)
{
  return g_ptr_array_find_with_equal_func (strings, value, g_str_equal, NULL);
}

static void
test_recall_menu (void)
{
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hi\"}", TRUE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yo\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) image = message_new (
      TIM_ELEM_FILE,
      "{\"fileName\":\"a.txt\",\"fileSize\":3,\"fileUrl\":\"http://127.0.0.1:1/files/a.txt\"}",
      FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) picture =
      message_new (TIM_ELEM_IMAGE, SMALL_PICTURE, FALSE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (mine, NULL, FALSE, 120);
  g_autoptr (GPtrArray) actions = NULL;

  g_assert_true (right_click_is_the_rows (row));
  /* Not sent yet: nothing to recall, nor to select with others. */
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.recall"));
  g_assert_false (contains (actions, "conversation.select"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Part of the text selected: Copy copies that part. */
  gtk_label_select_region (find_label (row, "hi", FALSE), 1, 2);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy-text"));
  g_assert_false (contains (actions, "conversation.copy"));
  {
    g_autofree char *copied = selected_copy (row);

    g_assert_cmpstr (copied, ==, "i");
  }
  g_clear_pointer (&actions, g_ptr_array_unref);
  gtk_label_select_region (find_label (row, "hi", FALSE), 0, 0);
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_SUCCESS);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.recall"));
  g_assert_true (contains (actions, "conversation.forward"));
  g_assert_true (contains (actions, "conversation.select"));
  g_assert_true (contains (actions, "conversation.delete"));

  g_clear_pointer (&actions, g_ptr_array_unref);
  /* The age is checked when the menu opens: the same bound row, 10 minutes later. */
  _tim_message_set_time (mine, now () - 600);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.recall"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Never for someone else's message. */
  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.recall"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Files: Open and Save As, no Copy. */
  timchat_message_row_bind (row, image, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.open"));
  g_assert_true (contains (actions, "conversation.save-as"));
  g_assert_false (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.view-image"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Images also open in the viewer from the menu, as a click on them does, and copy. */
  timchat_message_row_bind (row, picture, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.view-image"));
  g_assert_true (contains (actions, "conversation.copy-image"));
  g_assert_true (contains (actions, "conversation.save-as"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Recalled: nothing to copy, forward or recall; it can only be deleted from the view. */
  _tim_message_set_revoked (theirs, "bob");
  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_true (contains (actions, "conversation.delete"));
  close_row (row);
}

/* "Edit" for one's own texts once sent and kept: not before, not for the peer's, not for a
 * recalled one, an online-only one or a picture. */
static void
test_edit_menu (void)
{
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hi\"}", TRUE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yo\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) group_text =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"all\"}", TRUE, TIM_CONV_GROUP, now () - 10);
  g_autoptr (TimMessage) online =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"typing…\"}", TRUE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) picture =
      message_new (TIM_ELEM_IMAGE, SMALL_PICTURE, TRUE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (mine, NULL, FALSE, 120);
  g_autoptr (GPtrArray) actions = NULL;

  /* Not sent yet. */
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_SUCCESS);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Older than the recall limit: still editable. */
  _tim_message_set_time (mine, now () - 3600);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.edit"));
  g_assert_false (contains (actions, "conversation.recall"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_status (group_text, TIM_MESSAGE_STATUS_SUCCESS);
  timchat_message_row_bind (row, group_text, NULL, TRUE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_status (online, TIM_MESSAGE_STATUS_SUCCESS);
  _tim_message_set_online_only (online, TRUE);
  timchat_message_row_bind (row, online, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_status (picture, TIM_MESSAGE_STATUS_SUCCESS);
  timchat_message_row_bind (row, picture, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.forward"));
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_revoked (mine, "me");
  timchat_message_row_bind (row, mine, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.edit"));
  close_row (row);
}

/* A shown label (up to the row) says text. */
static gboolean
shows_label (TimchatMessageRow *row, const char *text)
{
  return find_label (row, text, FALSE) != NULL;
}

/* An edit arriving while the row shows the message: the new text and "edited" before the time,
 * gone again with a recall. */
static void
test_edited_live (void)
{
  g_autoptr (TimMessage) message =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"at 7\"}", FALSE, TIM_CONV_C2C, now ());
  g_autoptr (JsonNode) body =
      json_from_string ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"at 8\"}}]", NULL);
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);
  GtkLabel *edited, *time;

  g_assert_true (shows_label (row, "at 7"));
  g_assert_false (shows_label (row, "edited"));
  g_assert_true (_tim_message_apply_edit (message, json_node_get_array (body), NULL, 1));
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_false (shows_label (row, "at 7"));
  g_assert_true (shows_label (row, "at 8"));
  edited = find_label (row, "edited", FALSE);
  g_assert_nonnull (edited);
  /* Before the time, as dim as it. */
  time = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (edited)));
  g_assert_nonnull (time);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (time), "message-meta"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (edited), "message-meta"));
  test_app_screenshot (GTK_WIDGET (row), "row-edited.png");

  /* Another row bound to a message never edited: no "edited". */
  {
    g_autoptr (TimMessage) plain =
        message_new (TIM_ELEM_TEXT, "{\"text\":\"plain\"}", FALSE, TIM_CONV_C2C, now ());

    timchat_message_row_bind (row, plain, NULL, FALSE, 120);
    g_assert_false (shows_label (row, "edited"));
    timchat_message_row_bind (row, message, NULL, FALSE, 120);
    g_assert_true (shows_label (row, "edited"));
  }
  _tim_message_set_revoked (message, "bob");
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_false (shows_label (row, "edited"));
  close_row (row);
}

/* "Reply" first in the menu of any message sent and kept, one's own or not, text or media, C2C or
 * group; not before it is sent, not for a recalled, online-only message, a tip or a notice. */
static void
test_reply_menu (void)
{
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yo\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) group_text =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"all\"}", FALSE, TIM_CONV_GROUP, now () - 10);
  g_autoptr (TimMessage) picture =
      message_new (TIM_ELEM_IMAGE, SMALL_PICTURE, TRUE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) online =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"typing…\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) tip =
      message_new (TIM_ELEM_GROUP_TIP,
                   "{\"operationType\":1,\"operatorID\":\"carol\",\"userIDList\":[\"carol\"]}",
                   FALSE, TIM_CONV_GROUP, now ());
  TimchatMessageRow *row = show_row (theirs, NULL, FALSE, 120);
  g_autoptr (GPtrArray) actions = NULL;

  actions = menu_actions (row);
  g_assert_cmpuint (actions->len, >, 1);
  g_assert_cmpstr (g_ptr_array_index (actions, 0), ==, "conversation.reply");
  g_clear_pointer (&actions, g_ptr_array_unref);

  timchat_message_row_bind (row, group_text, NULL, TRUE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.reply"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* One's own picture: once it is sent. */
  timchat_message_row_bind (row, picture, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  _tim_message_set_status (picture, TIM_MESSAGE_STATUS_SUCCESS);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.reply"));
  g_assert_true (contains (actions, "conversation.view-image"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_online_only (online, TRUE);
  timchat_message_row_bind (row, online, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* Recalled: gone from the menu (and from what the composer accepts). */
  _tim_message_set_revoked (theirs, "bob");
  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_assert_false (timchat_composer_can_reply_to (theirs));
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* A tip has no menu, and cannot be quoted. */
  timchat_message_row_bind (row, tip, NULL, TRUE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_assert_false (timchat_composer_can_reply_to (tip));
  close_row (row);
}

static gboolean
is_quote (GtkWidget *widget, gconstpointer unused)
{
  return gtk_widget_has_css_class (widget, "message-quote") && shown (widget);
}

static GtkWidget *
quote_of (TimchatMessageRow *row)
{
  return test_app_find_widget (GTK_WIDGET (row), is_quote, NULL);
}

/* A reply shows the quote above what it says, inside the bubble: the quoted sender (bold) and the
 * abstract (dim, emoji drawn, two lines at most); its name says both; a click asks the
 * conversation to show the original. A long abstract does not stretch the bubble. */
static void
test_reply_quote (void)
{
  g_autoptr (TimMessage) original = message_new (
      TIM_ELEM_TEXT, "{\"text\":\"Lunch at [Grin] noon?\"}", FALSE, TIM_CONV_C2C, now () - 60);
  g_autoptr (TimMessage) reply =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yes\"}", TRUE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) long_original =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"x\"}", FALSE, TIM_CONV_C2C, now () - 60);
  g_autoptr (TimMessage) short_reply =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"ok\"}", TRUE, TIM_CONV_C2C, now ());
  g_autofree char *expected_action =
      g_strdup_printf ("show-original:%s", tim_message_get_id (original));
  g_autofree char *long_text = g_strnfill (300, 'w');
  g_autoptr (JsonObject) long_payload = json_object_new ();
  TimchatMessageRow *row;
  GtkWidget *quote, *sender, *abstract;
  graphene_rect_t quote_bounds, text_bounds;

  g_assert_true (tim_message_set_reply_to (reply, original));
  _tim_message_set_status (reply, TIM_MESSAGE_STATUS_SUCCESS);
  row = show_row (reply, NULL, FALSE, 120);
  quote = quote_of (row);
  g_assert_nonnull (quote);
  g_assert_true (GTK_IS_BUTTON (quote));
  sender = GTK_WIDGET (find_label (quote, "Bob", FALSE));
  abstract = GTK_WIDGET (find_label (quote, "Lunch at 😁 noon?", FALSE));
  g_assert_nonnull (sender);
  g_assert_nonnull (abstract);
  g_assert_true (gtk_widget_has_css_class (sender, "caption-heading"));
  g_assert_true (gtk_widget_has_css_class (abstract, "dim-label"));
  g_assert_cmpint (gtk_label_get_lines (GTK_LABEL (abstract)), ==, 2);
  g_assert_true (gtk_label_get_ellipsize (GTK_LABEL (abstract)) == PANGO_ELLIPSIZE_END);
  gtk_test_accessible_assert_property (quote, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Reply to Bob: Lunch at 😁 noon?");
  /* In the bubble, above the text. */
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (quote), "message-bubble"));
  g_assert_true (gtk_widget_compute_bounds (quote, GTK_WIDGET (row), &quote_bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (find_label (row, "yes", FALSE)),
                                            GTK_WIDGET (row), &text_bounds));
  g_assert_cmpfloat (quote_bounds.origin.y + quote_bounds.size.height, <=, text_bounds.origin.y);

  /* A click (or Enter, a button's activation) asks for the original. */
  g_ptr_array_set_size (recorder.activated, 0);
  g_assert_true (gtk_widget_get_sensitive (quote));
  g_signal_emit_by_name (quote, "clicked");
  g_assert_cmpuint (recorder.activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recorder.activated, 0), ==, expected_action);
  test_app_screenshot (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (row))), "row-reply.png");

  /* Not a reply: no quote. Recalled: only the recalled line. */
  timchat_message_row_bind (row, original, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (quote_of (row));
  timchat_message_row_bind (row, reply, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (quote_of (row));
  _tim_message_set_revoked (reply, "me");
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (quote_of (row));

  /* A long original: the quote keeps to its width, the bubble does not stretch to the row. */
  json_object_set_string_member (long_payload, "text", long_text);
  _tim_message_set_payload (long_original, long_payload);
  g_assert_true (tim_message_set_reply_to (short_reply, long_original));
  timchat_message_row_bind (row, short_reply, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  quote = quote_of (row);
  g_assert_nonnull (quote);
  g_assert_cmpint (gtk_widget_get_width (quote), <, gtk_widget_get_width (GTK_WIDGET (row)) - 100);
  close_row (row);
}

int
main (int argc, char **argv)
{
  int status;

  /* What AdwApplication does for the app: our style.css from the resource base path. */
  test_app_init (&argc, &argv, TRUE);
  recorder.activated = g_ptr_array_new_with_free_func (g_free);
  g_test_add_func ("/app/rows/recalled", test_recalled);
  g_test_add_func ("/app/rows/failed-retry", test_failed_retry);
  g_test_add_func ("/app/rows/upload-progress", test_upload_progress);
  g_test_add_func ("/app/rows/recall-menu", test_recall_menu);
  g_test_add_func ("/app/rows/edit-menu", test_edit_menu);
  g_test_add_func ("/app/rows/reply-menu", test_reply_menu);
  g_test_add_func ("/app/rows/reply-quote", test_reply_quote);
  g_test_add_func ("/app/rows/edited-live", test_edited_live);
  status = g_test_run ();
  g_ptr_array_unref (recorder.activated);
  return status;
}
