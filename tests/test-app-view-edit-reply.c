/* test-app-view-edit-reply.c: acting on a sent message in the conversation view, against the
 * real server and real TimClients: editing it (the menu's Edit, Up, Enter, Escape) and an edit
 * arriving from elsewhere, the menu key on its text, replying (the menu's Reply, Ctrl+R, a file as
 * a reply) and a quote leading to its original. Separate from the view's other programs
 * (test-app-view-*.c): the composer's edit and reply modes. */
#define G_LOG_DOMAIN "test-app-view-edit-reply"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "test-app-view-common.h"
#include "tim-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-message-row.h"

static TimchatFixture *fixture;
static char *base_dir;

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

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/view/edit-from-menu", test_edit_from_menu);
  g_test_add_func ("/app/view/edit-last-with-up", test_edit_last_with_up);
  g_test_add_func ("/app/view/edited-elsewhere", test_edited_elsewhere);
  g_test_add_func ("/app/view/menu-key-on-text", test_menu_key_on_text);
  g_test_add_func ("/app/view/reply-from-menu", test_reply_from_menu);
  g_test_add_func ("/app/view/quote-shows-original", test_quote_shows_original);
  return test_app_run (fixture, base_dir);
}
