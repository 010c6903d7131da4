/* test-app-select.c: selection mode in the conversation view, against the real server with a real
 * window and real libtim peers: "Select" in a message's menu, check buttons only on what can be
 * selected (not tips, recalled lines, unsent or failed messages), rows toggled by their check
 * button, a click and Enter, "N Selected" in the bar that replaces the composer (and that Tab
 * reaches); forwarding two messages as one chat history (the peer gets one merged message titled
 * with both names, or a group's name, whose download gives the two texts in order) or one by one
 * (two messages, in order); Delete for Me… on the selection; Escape, Cancel and another
 * conversation leaving the mode (from the bar by keyboard, the focus going to the composer). */
#define G_LOG_DOMAIN "test-app-select"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-message-private.h"
#include "tim-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-forward-dialog.h"
#include "timchat-message-row.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

/* ---------------------------------------------------------------- helpers */

static gboolean
lists (gpointer data)
{
  const char **what = data; /* client, conversation ID */

  return tim_conversation_list_lookup (tim_client_get_conversations ((TimClient *) what[0]),
                                       what[1]) != NULL;
}

/* The conversation is in client's list (the forward dialog chooses from it). */
static void
wait_listed (TimClient *client, const char *conversation_id)
{
  const char *what[] = { (const char *) client, conversation_id };

  g_assert_true (tim_test_wait_until (lists, what, 10000));
}

/* The view's position of the message with this text. */
static guint
position_of (TimchatConversationView *view, const char *text)
{
  GListModel *model = G_LIST_MODEL (view->messages);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (model, i);

      if (g_strcmp0 (tim_message_get_text (message), text) == 0)
        return i;
    }
  g_error ("no message says “%s”", text);
}

/* The view's position of the first message of this kind. */
static guint
position_of_type (TimchatConversationView *view, TimElemType type)
{
  GListModel *model = G_LIST_MODEL (view->messages);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (model, i);

      if (tim_message_get_elem_type (message) == type)
        return i;
    }
  g_error ("no message of type %d", type);
}

static TimMessage *
message_of (TimchatConversationView *view, const char *text)
{
  g_autoptr (TimMessage) message =
      g_list_model_get_item (G_LIST_MODEL (view->messages), position_of (view, text));

  return message; /* the list keeps it */
}

/* The bound row showing the message with this text. */
static TimchatMessageRow *
row_of (TimchatConversationView *view, const char *text)
{
  GtkWidget *row =
      _timchat_conversation_view_row_of (view, tim_message_get_id (message_of (view, text)));

  g_assert_nonnull (row);
  return TIMCHAT_MESSAGE_ROW (row);
}

/* The row's check button, if it shows one. */
static GtkWidget *
shown_check (TimchatMessageRow *row)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_CHECK_BUTTON (child) && gtk_widget_get_visible (child))
      return child;
  return NULL;
}

static const char *
bar_text (TimchatConversationView *view)
{
  return gtk_label_get_text (view->selection_label);
}

static gboolean
in_selection_mode (TimchatConversationView *view)
{
  return view->selecting && gtk_widget_get_visible (view->selection_bar) &&
         !gtk_widget_get_visible (view->composer);
}

static gboolean
out_of_selection_mode (TimchatConversationView *view)
{
  return !view->selecting && !gtk_widget_get_visible (view->selection_bar) &&
         gtk_widget_get_visible (view->composer);
}

/* A key press at the window's focus widget as its shortcut controllers would take it. */
static gboolean
press_escape (GtkWidget *any)
{
  GtkRoot *root = gtk_widget_get_root (any);
  GtkWidget *focus = gtk_root_get_focus (root);

  for (GtkWidget *w = focus != NULL ? focus : GTK_WIDGET (root); w != NULL;
       w = gtk_widget_get_parent (w))
    {
      g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

          for (guint j = 0; GTK_IS_SHORTCUT_CONTROLLER (controller) &&
                            j < g_list_model_get_n_items (G_LIST_MODEL (controller));
               j++)
            {
              g_autoptr (GtkShortcut) shortcut =
                  g_list_model_get_item (G_LIST_MODEL (controller), j);
              GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

              if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
                  gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, w,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }
  return FALSE;
}

/* A primary click on row as its click gesture sees it (GTK has no synthetic pointer events). */
static void
click_row (TimchatMessageRow *row)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (row));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_PRIMARY)
        {
          g_signal_emit_by_name (controller, "pressed", 1, 20.0, 10.0);
          return;
        }
    }
  g_error ("the row has no click gesture for selection mode");
}

/* The labels and targets of the items of the bar's Forward… menu, "label=target|…". */
static char *
forward_choices (TimchatConversationView *view)
{
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (view->forward_button));
  g_autoptr (GString) choices = g_string_new (NULL);

  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      GMenuModel *section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *label = NULL, *action = NULL, *target = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_TARGET, "s", &target);
          g_string_append_printf (choices, "%s%s=%s(%s)", choices->len > 0 ? "|" : "", label,
                                  action, target);
        }
      g_clear_object (&section);
    }
  return g_string_free (g_steal_pointer (&choices), FALSE);
}

/* Texts of the messages that came, each once, in the order they came. */
static char *
texts_of (GPtrArray *got)
{
  g_autoptr (GStrvBuilder) texts = g_strv_builder_new ();
  g_auto (GStrv) joined = NULL;

  for (guint i = 0; i < got->len; i++)
    g_strv_builder_add (texts, tim_message_get_text (got->pdata[i]) != NULL
                                   ? tim_message_get_text (got->pdata[i])
                                   : tim_message_get_type_string (got->pdata[i]));
  joined = g_strv_builder_end (texts);
  return g_strjoinv ("|", joined);
}

static GPtrArray *
download (TimClient *client, TimMessage *message)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *entries;

  tim_client_download_merger_message_async (client, message, NULL, tim_test_keep_result, &result);
  entries =
      tim_client_download_merger_message_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return entries;
}

/* A window as ada (nick "Ada Lovelace") with bo's conversation open: bo's question, ada's answer
 * and a third message not to be selected; cy, somewhere to forward to, in her list. */
typedef struct
{
  TimchatWindow *window;
  TimchatConversationView *view;
  TimClient *bo;
  TimClient *cy;
} Scene;

static void
scene_open (Scene *scene, const char *ada, const char *bo, const char *cy)
{
  g_autofree char *bo_conversation = g_strconcat ("C2C", bo, NULL);
  g_autofree char *cy_conversation = g_strconcat ("C2C", cy, NULL);
  g_autoptr (TimMessage) answer = NULL;
  g_autoptr (GError) error = NULL;

  scene->window = test_app_logged_in_window (fixture, base_dir, ada, "Ada Lovelace");
  scene->bo = tim_test_client_new (fixture, base_dir, bo);
  scene->cy = tim_test_client_new (fixture, base_dir, cy);
  tim_test_send_text (scene->cy, ada, "hi from cy");
  tim_test_send_text (scene->bo, ada, "Still on for Friday?");
  answer = tim_client_create_text_message (timchat_window_get_client (scene->window), bo,
                                           TIM_CONV_C2C, "Yes, at seven.");
  g_assert_true (tim_test_send (timchat_window_get_client (scene->window), answer, &error));
  tim_test_send_text (scene->bo, ada, "Not this one");
  wait_listed (timchat_window_get_client (scene->window), cy_conversation);
  timchat_window_open_conversation (scene->window, bo_conversation);
  scene->view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (scene->window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (scene->view), "Not this one", 10000));
  test_app_iterate (200);
}

static void
scene_close (Scene *scene)
{
  gtk_window_destroy (GTK_WINDOW (scene->window));
  g_clear_object (&scene->bo);
  g_clear_object (&scene->cy);
  test_app_iterate (50);
}

/* "Select" on bo's question, then ada's answer by Enter: two selected, the third not. */
static void
select_two (Scene *scene)
{
  TimchatConversationView *view = scene->view;
  GtkWidget *check;

  g_assert_true (out_of_selection_mode (view));
  g_assert_null (shown_check (row_of (view, "Still on for Friday?")));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select", "s",
                                  tim_message_get_id (message_of (view, "Still on for Friday?"))));
  g_assert_true (in_selection_mode (view));
  g_assert_cmpstr (bar_text (view), ==, "1 Selected");
  check = shown_check (row_of (view, "Still on for Friday?"));
  g_assert_nonnull (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (timchat_message_row_get_selected (row_of (view, "Still on for Friday?")));
  /* The others can be selected too: a check button each, not checked. */
  g_assert_nonnull (shown_check (row_of (view, "Not this one")));
  g_assert_false (timchat_message_row_get_selected (row_of (view, "Not this one")));

  /* Enter on a row toggles it, as a click does. */
  g_signal_emit_by_name (view->list_view, "activate", position_of (view, "Yes, at seven."));
  g_assert_true (timchat_message_row_get_selected (row_of (view, "Yes, at seven.")));
  g_assert_cmpstr (bar_text (view), ==, "2 Selected");
  /* A click on a row (its gesture, before the content sees it) selects it, another unselects;
   * its check button from the keyboard (Space) too. */
  click_row (row_of (view, "Not this one"));
  g_assert_cmpstr (bar_text (view), ==, "3 Selected");
  g_assert_true (timchat_message_row_get_selected (row_of (view, "Not this one")));
  click_row (row_of (view, "Not this one"));
  g_assert_cmpstr (bar_text (view), ==, "2 Selected");
  check = shown_check (row_of (view, "Not this one"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_cmpstr (bar_text (view), ==, "3 Selected");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_cmpstr (bar_text (view), ==, "2 Selected");
  g_assert_false (timchat_message_row_get_selected (row_of (view, "Not this one")));
}

/* ---------------------------------------------------------------- tests */

/* (a) Two messages forwarded as one chat history: cy gets one merged message (nothing else), its
 * title names both people, and it carries the two texts, oldest first, from their senders. */
static void
test_forward_as_history (void)
{
  Scene scene = { 0 };
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *texts = NULL;
  g_autofree char *choices = NULL;
  TimMessage *merged;

  scene_open (&scene, "ada", "bo", "cy");
  select_two (&scene);
  test_app_screenshot (GTK_WIDGET (scene.window), "selection-bar.png");
  choices = forward_choices (scene.view);
  g_assert_cmpstr (choices, ==,
                   "_One by One=conversation.forward-selected(one-by-one)|As Chat "
                   "_History=conversation.forward-selected(history)");

  tim_test_collect (scene.cy, "message-received", got);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.view),
                                             "conversation.forward-selected", "s", "history"));
  g_assert_true (tim_test_wait_until (test_app_forward_dialog_shown, NULL, 5000));
  timchat_forward_dialog_choose (TIMCHAT_FORWARD_DIALOG (test_app_forward_dialog ()), "C2Ccy");
  g_assert_null (test_app_forward_dialog ());
  /* The selection went where it was meant to: the composer is back. */
  g_assert_true (out_of_selection_mode (scene.view));
  g_assert_null (shown_check (row_of (scene.view, "Still on for Friday?")));

  g_assert_true (tim_test_wait_count (got, 1, 10000));
  test_app_iterate (500); /* anything else would have come by now */
  g_assert_cmpuint (got->len, ==, 1);
  merged = got->pdata[0];
  g_assert_cmpint (tim_message_get_elem_type (merged), ==, TIM_ELEM_RELAY);
  g_assert_cmpstr (tim_message_get_from (merged), ==, "ada");
  g_assert_cmpstr (tim_message_get_title (merged), ==, "Chat History of Ada Lovelace and bo");
  entries = download (scene.cy, merged);
  texts = texts_of (entries);
  g_assert_cmpstr (texts, ==, "Still on for Friday?|Yes, at seven.");
  g_assert_cmpstr (tim_message_get_from (entries->pdata[0]), ==, "bo");
  g_assert_cmpstr (tim_message_get_from (entries->pdata[1]), ==, "ada");
  g_assert_true (test_app_wait_text (GTK_WIDGET (scene.window), "Forwarded to cy", 10000));
  scene_close (&scene);
}

static gboolean
is_offline (gpointer client)
{
  return tim_client_get_net_state (client) != TIM_NET_STATE_CONNECTED;
}

/* The last message of client's conversation with cat is a chat history. */
static gboolean
history_listed (gpointer client)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Ccat");
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && tim_message_get_elem_type (last) == TIM_ELEM_RELAY;
}

/* (a') Offline, the history is in the outbox at once, titled with the user's nickname as libtim
 * read it at the login (it used to be asked of the server, and offline the user ID stood in), and
 * goes out once the server is back. */
static void
test_forward_as_history_offline (void)
{
  Scene scene = { 0 };
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  TimClient *client;
  gint64 start;

  scene_open (&scene, "ari", "ben", "cat");
  client = timchat_window_get_client (scene.window);
  select_two (&scene);
  tim_test_collect (scene.cy, "message-received", got);
  timchat_fixture_stop (fixture);
  g_assert_true (tim_test_wait_until (is_offline, client, 10000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.view),
                                             "conversation.forward-selected", "s", "history"));
  g_assert_true (tim_test_wait_until (test_app_forward_dialog_shown, NULL, 5000));
  start = g_get_monotonic_time ();
  timchat_forward_dialog_choose (TIMCHAT_FORWARD_DIALOG (test_app_forward_dialog ()), "C2Ccat");
  g_assert_true (tim_test_wait_until (history_listed, client, 3000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

  timchat_fixture_restart (fixture);
  tim_client_reconnect_now (client);
  tim_client_reconnect_now (scene.cy);
  g_assert_true (tim_test_wait_count (got, 1, 20000));
  g_assert_cmpstr (tim_message_get_title (got->pdata[0]), ==,
                   "Chat History of Ada Lovelace and ben");
  scene_close (&scene);
}

/* (b) One by one: two separate messages, in the order shown. */
static void
test_forward_one_by_one (void)
{
  Scene scene = { 0 };
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *texts = NULL;

  scene_open (&scene, "ann", "ben", "cal");
  select_two (&scene);
  tim_test_collect (scene.cy, "message-received", got);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.view),
                                             "conversation.forward-selected", "s", "one-by-one"));
  g_assert_true (tim_test_wait_until (test_app_forward_dialog_shown, NULL, 5000));
  timchat_forward_dialog_choose (TIMCHAT_FORWARD_DIALOG (test_app_forward_dialog ()), "C2Ccal");
  g_assert_true (out_of_selection_mode (scene.view));

  g_assert_true (tim_test_wait_count (got, 2, 10000));
  test_app_iterate (500);
  texts = texts_of (got);
  g_assert_cmpstr (texts, ==, "Still on for Friday?|Yes, at seven.");
  for (guint i = 0; i < got->len; i++)
    {
      g_assert_cmpint (tim_message_get_elem_type (got->pdata[i]), ==, TIM_ELEM_TEXT);
      g_assert_cmpstr (tim_message_get_from (got->pdata[i]), ==, "ann");
    }
  g_assert_cmpint (tim_message_get_server_seq (got->pdata[0]), <,
                   tim_message_get_server_seq (got->pdata[1]));
  g_assert_true (test_app_wait_text (GTK_WIDGET (scene.window), "Forwarded to cal", 10000));
  scene_close (&scene);
}

/* (b') By keyboard alone: the Forward To dialog opens with the search focused, so the name typed
 * finds the conversation and Enter forwards there (Enter on its Cancel button would close it with
 * nothing forwarded). */
static void
test_forward_by_keyboard (void)
{
  static const guint keys[] = { GDK_KEY_k, GDK_KEY_i, GDK_KEY_t, GDK_KEY_Return };
  Scene scene = { 0 };
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWindow *dialog;

  scene_open (&scene, "ike", "jan", "kit");
  select_two (&scene);
  tim_test_collect (scene.cy, "message-received", got);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.view),
                                             "conversation.forward-selected", "s", "one-by-one"));
  g_assert_true (tim_test_wait_until (test_app_forward_dialog_shown, NULL, 5000));
  dialog = test_app_forward_dialog ();
  test_app_iterate (300);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    test_app_press_key (GTK_WIDGET (dialog), keys[i], 0);
  g_assert_true (tim_test_wait_count (got, 2, 10000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (scene.window), "Forwarded to kit", 10000));
  scene_close (&scene);
}

static gboolean
holds_one (gpointer view)
{
  return g_list_model_get_n_items (G_LIST_MODEL (TIMCHAT_CONVERSATION_VIEW (view)->messages)) == 1;
}

/* Delete for Me… on the selection: asked once, then both go from the view, the third stays. */
static void
test_delete_selected (void)
{
  Scene scene = { 0 };
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);

  scene_open (&scene, "dot", "eve", "fay");
  select_two (&scene);
  tim_test_collect (timchat_window_get_client (scene.window), "message-deleted", got);
  /* Asked first: Cancel keeps them, and the selection. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (scene.view), "conversation.delete-selected", NULL));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (300);
  g_assert_true (in_selection_mode (scene.view));
  g_assert_cmpuint (got->len, ==, 0);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (scene.view), "conversation.delete-selected", NULL));
  test_app_answer_dialog ("delete", NULL);
  g_assert_true (out_of_selection_mode (scene.view));
  g_assert_true (tim_test_wait_count (got, 2, 10000));
  g_assert_true (tim_test_wait_until (holds_one, scene.view, 5000));
  g_assert_nonnull (message_of (scene.view, "Not this one"));
  scene_close (&scene);
}

/* The window's focus is in the composer, on screen. */
static gboolean
composer_has_focus (gpointer data)
{
  TimchatConversationView *view = data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (view)));

  return focus != NULL && gtk_widget_is_ancestor (focus, view->composer) &&
         gtk_widget_get_mapped (focus);
}

/* The bar's button for action, given the focus. */
static GtkWidget *
focus_bar_button (TimchatConversationView *view, const char *action)
{
  GtkWidget *button = test_app_find_widget (view->selection_bar, test_app_has_action, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_grab_focus (button));
  return button;
}

/* (e') By keyboard alone, leaving selection mode from its bar (Cancel, Escape, Delete for Me…
 * confirmed): the bar goes with the focus in it, and the focus goes to the composer that takes its
 * place, not nowhere (the next Tab started again at the top of the window). */
static void
test_leave_from_bar_by_keyboard (void)
{
  Scene scene = { 0 };
  TimchatConversationView *view;
  GtkWidget *button;

  scene_open (&scene, "lou", "max", "ned");
  view = scene.view;
  select_two (&scene);
  button = focus_bar_button (view, "conversation.select-cancel");
  test_app_press_key (button, GDK_KEY_space, 0);
  g_assert_true (out_of_selection_mode (view));
  g_assert_true (tim_test_wait_until (composer_has_focus, view, 2000));

  select_two (&scene);
  button = focus_bar_button (view, "conversation.select-cancel");
  test_app_press_key (button, GDK_KEY_Escape, 0);
  g_assert_true (out_of_selection_mode (view));
  g_assert_true (tim_test_wait_until (composer_has_focus, view, 2000));

  select_two (&scene);
  button = focus_bar_button (view, "conversation.delete-selected");
  test_app_press_key (button, GDK_KEY_space, 0);
  test_app_answer_dialog ("delete", NULL);
  g_assert_true (out_of_selection_mode (view));
  g_assert_true (tim_test_wait_until (composer_has_focus, view, 2000));
  scene_close (&scene);
}

/* (e) Escape and Cancel leave selection mode, as does another conversation; tips, recalled
 * lines, unsent and failed messages have no check button and no Select in their menu. */
static void
test_leave_and_unselectable (void)
{
  const char *members[] = { "gus", NULL };
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "gus", NULL);
  TimClient *client = timchat_window_get_client (window);
  g_autofree char *group_id = tim_test_create_group (hal, "Book Club", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) oops =
      tim_client_create_text_message (hal, group_id, TIM_CONV_GROUP, "taken back");
  g_autoptr (TimMessage) failed =
      tim_client_create_text_message (client, group_id, TIM_CONV_GROUP, "never went");
  g_autoptr (GAsyncResult) recalled = NULL;
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  TimchatMessageRow *row;
  GtkWidget *tip_row = NULL;

  g_assert_true (tim_test_send (hal, oops, &error));
  tim_client_revoke_message_async (hal, oops, NULL, tim_test_keep_result, &recalled);
  g_assert_true (tim_client_revoke_message_finish (hal, tim_test_wait_result (&recalled), &error));
  tim_test_send_text (hal, "gus", "private word");
  {
    g_autoptr (TimMessage) chapter =
        tim_client_create_text_message (hal, group_id, TIM_CONV_GROUP, "read chapter two");

    g_assert_true (tim_test_send (hal, chapter, &error));
  }
  wait_listed (client, group);
  timchat_window_open_conversation (window, group);
  view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "read chapter two", 10000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "hal recalled a message", 10000));
  test_app_iterate (200);

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select", "s",
                                  tim_message_get_id (message_of (view, "read chapter two"))));
  g_assert_true (in_selection_mode (view));
  /* Every row: a check button only on what can be selected. */
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (view->list_view)); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);
      TimMessage *message;

      if (!TIMCHAT_IS_MESSAGE_ROW (child) ||
          (message = timchat_message_row_get_message (TIMCHAT_MESSAGE_ROW (child))) == NULL)
        continue;
      if (tim_message_get_elem_type (message) == TIM_ELEM_GROUP_TIP)
        tip_row = child;
      g_assert_cmpint (shown_check (TIMCHAT_MESSAGE_ROW (child)) != NULL, ==,
                       timchat_message_row_can_select (message));
      if (tim_message_get_is_revoked (message) ||
          tim_message_get_elem_type (message) == TIM_ELEM_GROUP_TIP)
        g_assert_null (shown_check (TIMCHAT_MESSAGE_ROW (child)));
    }
  g_assert_nonnull (tip_row);
  /* Enter on a tip selects nothing. */
  g_signal_emit_by_name (view->list_view, "activate", position_of_type (view, TIM_ELEM_GROUP_TIP));
  g_assert_cmpstr (bar_text (view), ==, "1 Selected");

  /* A message of one's own not sent yet, then failed: no check button until it is sent. */
  row = TIMCHAT_MESSAGE_ROW (timchat_message_row_new ());
  g_object_ref_sink (row);
  timchat_message_row_bind (row, failed, NULL, TRUE, 120);
  timchat_message_row_set_selecting (row, TRUE, FALSE);
  g_assert_null (shown_check (row));
  _tim_message_set_status (failed, TIM_MESSAGE_STATUS_FAIL);
  g_assert_null (shown_check (row));
  _tim_message_set_status (failed, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_nonnull (shown_check (row));
  timchat_message_row_set_selecting (row, FALSE, FALSE);
  g_assert_null (shown_check (row));
  g_object_unref (row);

  /* Tab reaches the bar in the composer's place (Shift+Tab into the view: its last button). */
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (view), GTK_DIR_TAB_BACKWARD));
  g_assert_true (
      gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), view->selection_bar));

  /* Escape leaves; Cancel too; so does opening another conversation. */
  g_assert_true (press_escape (GTK_WIDGET (view)));
  g_assert_true (out_of_selection_mode (view));
  g_assert_null (shown_check (row_of (view, "read chapter two")));
  g_assert_false (press_escape (GTK_WIDGET (view))); /* no longer taken */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select", "s",
                                  tim_message_get_id (message_of (view, "read chapter two"))));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select-cancel", NULL));
  g_assert_true (out_of_selection_mode (view));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select", "s",
                                  tim_message_get_id (message_of (view, "read chapter two"))));
  g_assert_true (in_selection_mode (view));
  timchat_window_open_conversation (window, "C2Chal");
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "private word", 10000));
  g_assert_true (out_of_selection_mode (view));
  g_assert_cmpuint (g_hash_table_size (view->selected), ==, 0);

  /* A group's messages as a chat history: titled after the group. */
  timchat_window_open_conversation (window, group);
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "read chapter two", 10000));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (view), "conversation.select", "s",
                                  tim_message_get_id (message_of (view, "read chapter two"))));
  tim_test_collect (hal, "message-received", got);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.forward-selected",
                                             "s", "history"));
  g_assert_true (tim_test_wait_until (test_app_forward_dialog_shown, NULL, 5000));
  timchat_forward_dialog_choose (TIMCHAT_FORWARD_DIALOG (test_app_forward_dialog ()), "C2Chal");
  g_assert_true (tim_test_wait_count (got, 1, 10000));
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_RELAY);
  g_assert_cmpstr (tim_message_get_title (got->pdata[0]), ==, "Chat History of Book Club");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/select/forward-as-history", test_forward_as_history);
  g_test_add_func ("/app/select/forward-as-history-offline", test_forward_as_history_offline);
  g_test_add_func ("/app/select/forward-one-by-one", test_forward_one_by_one);
  g_test_add_func ("/app/select/forward-by-keyboard", test_forward_by_keyboard);
  g_test_add_func ("/app/select/delete-selected", test_delete_selected);
  g_test_add_func ("/app/select/leave-and-unselectable", test_leave_and_unselectable);
  g_test_add_func ("/app/select/leave-from-bar-by-keyboard", test_leave_from_bar_by_keyboard);
  return test_app_run (fixture, base_dir);
}
