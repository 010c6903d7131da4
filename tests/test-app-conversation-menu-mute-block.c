/* test-app-conversation-menu-mute-block.c: what the conversation menu stops, against the real
 * server. "Mute Notifications" marks a conversation muted, here and on the server; a group's "Stop
 * Receiving Messages" stops its messages and says so over the composer; "Block…" a person, asked
 * first, stops theirs, and Blocked People's Unblock lets them write again. Separate from the
 * menu's other programs (test-app-conversation-menu-*.c): muting, not receiving and blocking. */
#define G_LOG_DOMAIN "test-app-conversation-menu-mute-block"

#include "config.h"

#include <adwaita.h>

#include "test-app-conversation-menu-common.h"
#include "test-app-util.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-blocked-dialog.h"
#include "timchat-window.h"

static gboolean
shows_muted (gpointer window)
{
  return icon_shown (window, "C2Ctom", "Muted") != NULL;
}

static gboolean
shows_not_muted (gpointer window)
{
  return icon_shown (window, "C2Ctom", "Muted") == NULL;
}

/* The unread badge of tom's row. */
static GtkWidget *
unread_badge (TimchatWindow *window)
{
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, "C2Ctom");

  return test_app_find_widget (row, test_app_has_text, "1");
}

/* Mute Notifications: the row shows a muted bell and a plain badge, the menu offers Unmute, and
 * the server keeps it; Unmute takes both away. */
static void
test_mute (void)
{
  g_autoptr (TimClient) tom = tim_test_client_new (fixture, base_dir, "tom");
  g_autoptr (TimClient) device = NULL;
  g_autofree char *labels = NULL;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "sue", NULL);
  tim_test_send_text (tom, "sue", "hello");
  wait_list (window, "C2Ctom", 1);
  g_assert_false (gtk_widget_has_css_class (unread_badge (window), "muted"));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.mute-conversation", "s", "C2Ctom"));
  g_assert_true (tim_test_wait_until (shows_muted, window, 5000));
  g_assert_true (gtk_widget_has_css_class (unread_badge (window), "muted"));
  g_assert_cmpstr (
      (labels = menu_labels (window, "C2Ctom")), ==,
      "Mark as _Read|_Pin to Top|Un_mute Notifications|_Folders>|Clear _History…|_Delete "
      "Conversation|_Block…");
  g_assert_true (tim_conversation_get_is_muted (server_conversation (&device, "sue", "C2Ctom")));

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.unmute-conversation", "s", "C2Ctom"));
  g_assert_true (tim_test_wait_until (shows_not_muted, window, 5000));
  g_assert_false (gtk_widget_has_css_class (unread_badge (window), "muted"));
  g_assert_false (tim_conversation_get_is_muted (server_conversation (&device, "sue", "C2Ctom")));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_css_class (GtkWidget *widget, gconstpointer name)
{
  return gtk_widget_has_css_class (widget, name);
}

/* The bar over the open conversation's composer ("You blocked", "You are not receiving"). */
static gboolean
notice_bar_shown (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);
  GtkWidget *bar = test_app_find_widget (view, has_css_class, "composer-notice");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (bar));
}

/* The text of that bar. */
static const char *
notice_text (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);
  GtkWidget *bar = test_app_find_widget (view, has_css_class, "composer-notice");
  GtkWidget *label =
      test_app_find_widget (bar, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL));

  return gtk_label_get_text (GTK_LABEL (label));
}

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
  gboolean discarded;
} Discarded;

/* The row says whether the group's messages are received, and never says "Muted" as well. */
static gboolean
shows_discarded (gpointer data)
{
  Discarded *expect = data;

  return (icon_shown (expect->window, expect->conversation_id, "Not receiving messages") != NULL) ==
             expect->discarded &&
         icon_shown (expect->window, expect->conversation_id, "Muted") == NULL;
}

/* Stop Receiving Messages, for a group: the row says so, nothing counts as unread, the menu
 * offers Receive Messages (not Unmute), the server keeps it and the group's messages stop coming;
 * Receive Messages takes it back. */
static gboolean
is_marked_unread (gpointer conversation)
{
  return (tim_conversation_get_marks (conversation) & TIM_CONV_MARK_UNREAD) != 0;
}

static void
test_stop_receiving (void)
{
  g_autoptr (TimClient) val = tim_test_client_new (fixture, base_dir, "val");
  g_autoptr (TimClient) device = NULL;
  g_autoptr (GError) error = NULL;
  const char *ula_only[] = { "ula", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *group = NULL;
  g_autofree char *labels = NULL;
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (TimMessage) unheard = NULL;
  TimchatWindow *window;

  window = test_app_logged_in_window (fixture, base_dir, "ula", NULL);
  group_id = tim_test_create_group (val, "Loud", ula_only);
  group = g_strconcat ("GROUP", group_id, NULL);
  hello = tim_client_create_text_message (val, group_id, TIM_CONV_GROUP, "hi all");
  g_assert_true (tim_test_send (val, hello, &error));
  g_assert_true (tim_test_wait_until (group_unread, &(Expect){ window, group, 0 }, 5000));
  g_assert_cmpstr ((labels = menu_labels (window, group)), ==,
                   "Mark as _Read|_Pin to Top|_Mute Notifications|_Stop Receiving "
                   "Messages|_Folders>|Clear _History…|_Delete Conversation");
  g_clear_pointer (&labels, g_free);

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-conversation", "s", group));
  g_assert_true (tim_test_wait_until (shows_discarded, &(Discarded){ window, group, TRUE }, 5000));
  /* Open, it says so over the composer, and offers to take it back. */
  timchat_window_open_conversation (window, group);
  test_app_iterate (300);
  g_assert_true (notice_bar_shown (window));
  g_assert_cmpstr (notice_text (window), ==,
                   "You are not receiving this group’s messages. They are in its history.");
  test_app_screenshot (GTK_WIDGET (window), "conversation-not-receiving");
  g_assert_cmpstr ((labels = menu_labels (window, group)), ==,
                   "Mark as U_nread|_Pin to Top|Re_ceive Messages|_Folders>|Clear "
                   "_History…|_Delete Conversation");
  g_clear_pointer (&labels, g_free);
  g_assert_cmpstr (
      tim_conversation_get_message_remind_type (server_conversation (&device, "ula", group)), ==,
      TIM_REMIND_DISCARD);
  /* Nothing of it counts as unread now (the server lists it so too). */
  g_assert_cmpuint (tim_conversation_get_unread_count (tim_conversation_list_lookup (
                        tim_client_get_conversations (timchat_window_get_client (window)), group)),
                    ==, 0);
  unheard = tim_client_create_text_message (val, group_id, TIM_CONV_GROUP, "unheard");
  g_assert_true (tim_test_send (val, unheard, &error));
  test_app_iterate (500);
  g_assert_cmpstr (
      tim_message_get_text (tim_conversation_get_last_message (tim_conversation_list_lookup (
          tim_client_get_conversations (timchat_window_get_client (window)), group))),
      ==, "hi all");

  /* Marked unread too: Mark as Read and Receive Messages side by side, each reachable by its
   * own key (model_labels () checks; both had R). */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-unread", "s", group));
  g_assert_true (tim_test_wait_until (
      is_marked_unread,
      tim_conversation_list_lookup (
          tim_client_get_conversations (timchat_window_get_client (window)), group),
      5000));
  g_assert_cmpstr ((labels = menu_labels (window, group)), ==,
                   "Mark as _Read|_Pin to Top|Re_ceive Messages|_Folders>|Clear "
                   "_History…|_Delete Conversation");
  g_clear_pointer (&labels, g_free);

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.unmute-conversation", "s", group));
  g_assert_true (tim_test_wait_until (shows_discarded, &(Discarded){ window, group, FALSE }, 5000));
  test_app_iterate (300);
  g_assert_false (notice_bar_shown (window));
  g_assert_cmpstr (
      tim_conversation_get_message_remind_type (server_conversation (&device, "ula", group)), ==,
      TIM_REMIND_ACCEPT_AND_NOTIFY);

  /* A person's messages not received (from another device: the menu offers Block instead): the
   * bar says so in the person's words. */
  tim_test_send_text (val, "ula", "hello ula");
  wait_list (window, "C2Cval", 1);
  timchat_window_open_conversation (window, "C2Cval");
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-conversation", "s", "C2Cval"));
  g_assert_true (
      tim_test_wait_until (shows_discarded, &(Discarded){ window, "C2Cval", TRUE }, 5000));
  test_app_iterate (300);
  g_assert_true (notice_bar_shown (window));
  g_assert_cmpstr (notice_text (window), ==,
                   "You are not receiving these messages. They are in the history.");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
kit_unblocked (gpointer client)
{
  return !tim_client_is_blocked (client, "kit");
}

static gboolean
client_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED &&
         tim_client_get_is_ready (client);
}

/* Block… (a person's, asked first): Cancel keeps them; Block puts them on the list (here, on the
 * server and in Blocked People), their messages no longer come, and the menu offers Unblock;
 * Blocked People's Unblock lets them write again; one that fails (the server gone) says why and
 * can be tried again. */
static void
test_block (void)
{
  g_autoptr (TimClient) kit = tim_test_client_new (fixture, base_dir, "kit");
  g_autoptr (TimMessage) refused = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *labels = NULL;
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "lex", NULL);
  TimClient *client = timchat_window_get_client (window);
  GtkWindow *blocked;
  GtkWidget *unblock;

  tim_test_send_text (kit, "lex", "hi lex");
  wait_list (window, "C2Ckit", 1);
  timchat_window_open_conversation (window, "C2Ckit");
  g_assert_false (notice_bar_shown (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.block-user", "s", "kit"));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (300);
  g_assert_false (tim_client_is_blocked (client, "kit"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.block-user", "s", "kit"));
  test_app_answer_dialog ("block", NULL);
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "“kit” blocked", 5000));
  g_assert_true (tim_client_is_blocked (client, "kit"));
  /* The open conversation says so, over its composer. */
  g_assert_true (notice_bar_shown (window));
  g_assert_true (test_app_wait_text (GTK_WIDGET (window),
                                     "You blocked kit: they cannot send you messages.", 5000));
  g_assert_cmpstr (
      (labels = menu_labels (window, "C2Ckit")), ==,
      "Mark as U_nread|_Pin to Top|_Mute Notifications|_Folders>|Clear _History…|_Delete "
      "Conversation|_Unblock");
  refused = tim_client_create_text_message (kit, "lex", TIM_CONV_C2C, "still there?");
  g_assert_false (tim_test_send (kit, refused, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_clear_error (&error);

  /* Blocked People lists kit; Unblock there takes kit off, and the list empties. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-blocked", NULL));
  blocked = test_app_find_toplevel (TIMCHAT_TYPE_BLOCKED_DIALOG, NULL);
  g_assert_nonnull (blocked);
  g_assert_true (test_app_wait_text (GTK_WIDGET (blocked), "kit", 5000));
  test_app_screenshot (GTK_WIDGET (blocked), "blocked-people.png");
  unblock = test_app_find_widget (GTK_WIDGET (blocked), test_app_has_button_label, "_Unblock");
  g_assert_nonnull (unblock);
  /* With the server gone the request times out: the dialog says so, kit stays, and the button
   * is there to try again once the server is back. */
  timchat_fixture_stop (fixture);
  g_signal_emit_by_name (unblock, "clicked");
  g_assert_false (gtk_widget_get_sensitive (unblock));
  g_assert_true (
      test_app_wait_text (GTK_WIDGET (blocked), "The server did not answer in time", 20000));
  g_assert_true (gtk_widget_get_sensitive (unblock));
  g_assert_true (tim_client_is_blocked (client, "kit"));
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (client_connected, client, 60000));
  g_signal_emit_by_name (unblock, "clicked");
  g_assert_true (tim_test_wait_until (kit_unblocked, client, 5000));
  g_assert_cmpstr (
      gtk_stack_get_visible_child_name (GTK_STACK (test_app_find_widget (
          GTK_WIDGET (blocked), test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_STACK)))),
      ==, "empty");
  gtk_window_destroy (blocked);
  g_assert_false (notice_bar_shown (window));
  tim_test_send_text (kit, "lex", "hello again");
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "hello again", 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/conversation-menu/mute", test_mute);
  g_test_add_func ("/app/conversation-menu/stop-receiving", test_stop_receiving);
  g_test_add_func ("/app/conversation-menu/block", test_block);
  return test_app_run (fixture, base_dir);
}
