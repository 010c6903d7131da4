/* test-app-window-messages.c: a conversation's messages in the whole window: Edit Again after a
 * recall (also while another message is being edited, and not once logged out), Delete for Me,
 * "typing…" and "online" in the header and the list, drafts in the list and kept across a log out,
 * and a reply where the user is muted. Separate from the window's other programs
 * (test-app-window-*.c): the conversation, with its peers, in the window's list and header. */
#define G_LOG_DOMAIN "test-app-window-messages"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "test-app-window-common.h"
#include "tim-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
composer_has_two_lines (gpointer composer)
{
  g_autofree char *text = timchat_composer_dup_text (composer);

  return text != NULL && strchr (text, '\n') != NULL;
}

static gboolean
shows_edit_again (gpointer window)
{
  return test_app_find_widget (window, test_app_has_button_label, "_Edit Again") != NULL;
}

/* Recalling one's own text offers it back: the toast's Edit Again puts it in the composer,
 * after what is typed there. */
static void
test_edit_again (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "ria", 3600);
  g_autoptr (TimClient) sam = tim_test_client_new (fixture, base_dir, "sam");
  g_autoptr (TimMessage) sent = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *composed = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "edit-again-test", base_dir);
  GtkWidget *view, *composer, *button;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "ria", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  sent = tim_client_create_text_message (timchat_window_get_client (window), "sam", TIM_CONV_C2C,
                                         "Dinner at eight?");
  g_assert_true (tim_test_send (timchat_window_get_client (window), sent, &error));
  timchat_window_open_conversation (window, "C2Csam");
  view = test_app_conversation_view (window);
  composer = test_app_composer (view);
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "Sorry,");
  g_assert_true (test_app_wait_text (view, "Dinner at eight?", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.recall", "s", tim_message_get_id (sent)));
  g_assert_true (tim_test_wait_until (shows_edit_again, window, 10000));
  g_assert_true (tim_message_get_is_revoked (sent));
  g_assert_null (tim_message_get_text (sent)); /* only the toast has it */
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Edit Again");
  gtk_widget_activate (button); /* clicked after its pressed look (~250 ms) */
  tim_test_wait_until (composer_has_two_lines, composer, 5000);
  composed = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (composed, ==, "Sorry,\nDinner at eight?");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Edit Again once the account has logged out (the toast stays a few seconds): it opened the
 * conversation behind the welcome page, on the client logged out, with the text in its composer.
 * The toast was for an account no longer there: it does nothing. */
static void
test_edit_again_after_log_out (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "rik", 3600);
  g_autoptr (TimClient) sol = tim_test_client_new (fixture, base_dir, "sol");
  g_autoptr (TimMessage) sent = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "edit-again-logged-out-test", base_dir);
  GtkWidget *view, *button;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "rik", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  sent = tim_client_create_text_message (timchat_window_get_client (window), "sol", TIM_CONV_C2C,
                                         "Tea at five?");
  g_assert_true (tim_test_send (timchat_window_get_client (window), sent, &error));
  timchat_window_open_conversation (window, "C2Csol");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "Tea at five?", 10000));
  g_assert_true (
      gtk_widget_activate_action (view, "conversation.recall", "s", tim_message_get_id (sent)));
  g_assert_true (tim_test_wait_until (shows_edit_again, window, 10000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Edit Again");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  test_app_iterate (600);
  g_assert_null (timchat_conversation_view_get_conversation_id (TIMCHAT_CONVERSATION_VIEW (view)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (window)), ==, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
composer_not_editing (gpointer composer)
{
  return timchat_composer_get_editing (composer) == NULL;
}

/* Edit Again while another sent text is being edited: that edit ends (its typed draft comes
 * back) and the recalled text joins the draft, rather than going into the edit, where saving
 * would have put it into the other message and Escape would have lost it. */
static void
test_edit_again_while_editing (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "rob", 3600);
  g_autoptr (TimClient) sue = tim_test_client_new (fixture, base_dir, "sue");
  g_autoptr (TimMessage) recalled = NULL;
  g_autoptr (TimMessage) edited = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *composed = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "edit-again-editing-test", base_dir);
  GtkWidget *view, *composer, *button;
  TimClient *rob;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "rob", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  rob = timchat_window_get_client (window);
  recalled = tim_client_create_text_message (rob, "sue", TIM_CONV_C2C, "Lunch at noon?");
  g_assert_true (tim_test_send (rob, recalled, &error));
  edited = tim_client_create_text_message (rob, "sue", TIM_CONV_C2C, "See you there");
  g_assert_true (tim_test_send (rob, edited, &error));
  timchat_window_open_conversation (window, "C2Csue");
  view = test_app_conversation_view (window);
  composer = test_app_composer (view);
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "Sorry,");
  g_assert_true (test_app_wait_text (view, "See you there", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.recall", "s", tim_message_get_id (recalled)));
  g_assert_true (tim_test_wait_until (shows_edit_again, window, 10000));
  /* Then the other message is being edited when Edit Again is clicked. */
  g_assert_true (timchat_composer_edit_message (TIMCHAT_COMPOSER (composer), edited));
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Edit Again");
  gtk_widget_activate (button);
  tim_test_wait_until (composer_not_editing, composer, 5000);
  g_assert_null (timchat_composer_get_editing (TIMCHAT_COMPOSER (composer)));
  composed = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (composed, ==, "Sorry,\nLunch at noon?");
  g_assert_cmpstr (tim_message_get_text (edited), ==, "See you there");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
drop_gone (gpointer view)
{
  return test_app_find_widget (view, test_app_has_text, "drop this") == NULL;
}

typedef struct
{
  GtkWidget *root;
  const char *subtitle;
} Subtitle;

/* An AdwWindowTitle of the window shows this subtitle. */
static gboolean
title_says (GtkWidget *widget, gconstpointer subtitle)
{
  return ADW_IS_WINDOW_TITLE (widget) &&
         g_strcmp0 (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)), subtitle) == 0;
}

static gboolean
has_subtitle (gpointer data)
{
  Subtitle *s = data;

  return test_app_find_widget (s->root, title_says, s->subtitle) != NULL;
}

static gboolean
typing_label (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "typing") &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), "typing…") == 0;
}

static gboolean
row_typing (gpointer root)
{
  return test_app_find_widget (root, typing_label, NULL) != NULL;
}

static gboolean
row_not_typing (gpointer root)
{
  return !row_typing (root);
}

static gboolean
is_online_dot (GtkWidget *widget, gconstpointer unused)
{
  return gtk_widget_has_css_class (widget, "online-dot");
}

/* The list's row of uma shows the green dot of a peer online, saying `said` to a pointer and to
 * assistive technologies; or (said NULL) no dot. */
static gboolean
row_online_is (gpointer data)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (data), "window");
  const char *said = g_object_get_data (G_OBJECT (data), "said");
  GtkWidget *row = test_app_find_widget (window, test_app_is_conversation_row, "C2Cuma");
  GtkWidget *dot = row != NULL ? test_app_find_widget (row, is_online_dot, NULL) : NULL;
  g_autofree char *unnamed = NULL;

  if (row == NULL)
    return FALSE;
  if (said == NULL)
    return dot == NULL || !gtk_widget_get_visible (dot);
  if (dot == NULL || !gtk_widget_get_visible (dot))
    return FALSE;
  /* NULL: the accessible label is `said`. */
  unnamed = gtk_test_accessible_check_property (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                said);
  return unnamed == NULL && g_strcmp0 (gtk_widget_get_tooltip_text (dot), said) == 0;
}

static void
wait_row_online (GtkWidget *window, const char *said)
{
  g_autoptr (GObject) probe = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (probe, "window", window);
  g_object_set_data (probe, "said", (gpointer) said);
  g_assert_true (tim_test_wait_until (row_online_is, probe, 10000));
}

static gboolean
peer_typing_is (gpointer data)
{
  TimConversation *conversation = data;

  return tim_conversation_get_peer_typing (conversation) ==
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (conversation), "want"));
}

static void
wait_peer_typing (TimConversation *conversation, gboolean want)
{
  g_object_set_data (G_OBJECT (conversation), "want", GINT_TO_POINTER (want));
  g_assert_true (tim_test_wait_until (peer_typing_is, conversation, 10000));
}

/* "typing…": the peer's shows under their name in the header and in place of the preview in
 * the list, and goes when they stop; typing in the composer shows on the peer's side and stops
 * when the text is cleared. "online" shows there while the peer is, and goes when they log out. */
static void
test_typing (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "tia", 3600);
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "typing-test", base_dir);
  TimConversation *at_uma;
  GtkTextBuffer *buffer;
  GtkWidget *view;

  timchat_test_import_account (fixture, "tia", NULL);
  hello = tim_client_create_text_message (uma, "tia", TIM_CONV_C2C, "hello tia");
  g_assert_true (tim_test_send (uma, hello, &error));
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "tia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Cuma");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "hello tia", 10000));
  g_assert_true (
      tim_test_wait_until (has_subtitle, &(Subtitle){ GTK_WIDGET (window), "online" }, 10000));
  wait_row_online (GTK_WIDGET (window), "Online");
  /* uma's status goes with it. */
  {
    g_autoptr (GAsyncResult) result = NULL;

    tim_client_set_self_status_async (uma, "Back at 3", NULL, tim_test_keep_result, &result);
    g_assert_true (tim_client_set_self_status_finish (uma, tim_test_wait_result (&result), &error));
  }
  g_assert_true (tim_test_wait_until (
      has_subtitle, &(Subtitle){ GTK_WIDGET (window), "online · Back at 3" }, 10000));
  wait_row_online (GTK_WIDGET (window), "Online · Back at 3");
  test_app_screenshot (GTK_WIDGET (window), "peer-online");

  tim_client_set_typing (uma, "C2Ctia", TRUE);
  g_assert_true (
      tim_test_wait_until (has_subtitle, &(Subtitle){ GTK_WIDGET (window), "typing…" }, 10000));
  g_assert_true (tim_test_wait_until (row_typing, window, 5000));
  tim_client_set_typing (uma, "C2Ctia", FALSE);
  g_assert_true (tim_test_wait_until (
      has_subtitle, &(Subtitle){ GTK_WIDGET (window), "online · Back at 3" }, 10000));
  g_assert_true (tim_test_wait_until (row_not_typing, window, 5000));

  /* tia types: uma sees it; the text cleared, it stops. */
  at_uma = tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Ctia");
  g_assert_nonnull (at_uma);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      test_app_find_widget (view, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "on my w", -1, TRUE);
  wait_peer_typing (at_uma, TRUE);
  gtk_text_buffer_set_text (buffer, "", 0);
  wait_peer_typing (at_uma, FALSE);

  tim_client_logout (uma);
  g_assert_true (tim_test_wait_until (has_subtitle, &(Subtitle){ GTK_WIDGET (window), "" }, 10000));
  wait_row_online (GTK_WIDGET (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  GtkWidget *root;
  const char *conversation_id;
  const char *text; /* a label of the row shows it */
  gboolean shown;   /* or, FALSE: none does */
} RowLabel;

static gboolean
shown_label_says (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
row_label_is (gpointer data)
{
  RowLabel *want = data;
  GtkWidget *row =
      test_app_find_widget (want->root, test_app_is_conversation_row, want->conversation_id);

  return row != NULL &&
         (test_app_find_widget (row, shown_label_says, want->text) != NULL) == want->shown;
}

/* What is typed and not sent stays with its conversation: the list shows it after "[Draft]" once
 * another conversation is open, it comes back in the composer, and sending it ends the draft. */
static void
test_draft (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "dora", 3600);
  g_autoptr (TimClient) ed = tim_test_client_new (fixture, base_dir, "ed");
  g_autoptr (TimClient) flo = tim_test_client_new (fixture, base_dir, "flo");
  g_autoptr (TimMessage) from_ed = NULL;
  g_autoptr (TimMessage) from_flo = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "draft-test", base_dir);
  GtkWidget *view;
  GtkWidget *composer;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;

  timchat_test_import_account (fixture, "dora", NULL);
  from_ed = tim_client_create_text_message (ed, "dora", TIM_CONV_C2C, "lunch?");
  g_assert_true (tim_test_send (ed, from_ed, &error));
  from_flo = tim_client_create_text_message (flo, "dora", TIM_CONV_C2C, "hey dora");
  g_assert_true (tim_test_send (flo, from_flo, &error));
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "dora", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Ced");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "lunch?", 10000));
  composer = test_app_composer (view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      test_app_find_widget (composer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "sure, at one [Grin]", -1, TRUE);

  timchat_window_open_conversation (window, "C2Cflo");
  g_assert_true (test_app_wait_text (view, "hey dora", 10000));
  g_assert_true (tim_test_wait_until (
      row_label_is, &(RowLabel){ GTK_WIDGET (window), "C2Ced", "[Draft]", TRUE }, 5000));
  g_assert_true (tim_test_wait_until (
      row_label_is, &(RowLabel){ GTK_WIDGET (window), "C2Ced", "sure, at one 😁", TRUE }, 5000));
  g_assert_true (row_label_is (&(RowLabel){ GTK_WIDGET (window), "C2Cflo", "[Draft]", FALSE }));
  test_app_screenshot (GTK_WIDGET (window), "window-draft.png");

  timchat_window_open_conversation (window, "C2Ced");
  g_assert_true (test_app_wait_text (view, "lunch?", 10000));
  text = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (text, ==, "sure, at one [Grin]");
  timchat_composer_send (TIMCHAT_COMPOSER (composer));
  g_assert_true (tim_test_wait_until (
      row_label_is, &(RowLabel){ GTK_WIDGET (window), "C2Ced", "You: sure, at one 😁", TRUE },
      10000));
  g_assert_true (row_label_is (&(RowLabel){ GTK_WIDGET (window), "C2Ced", "[Draft]", FALSE }));

  /* Typed, then logged out at once: it is the draft at the next login. */
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "before I go", -1, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  test_app_answer_dialog ("log-out", NULL);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "dora", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Ced");
  view = test_app_conversation_view (window);
  composer = test_app_composer (view);
  g_clear_pointer (&text, g_free);
  text = timchat_composer_dup_text (TIMCHAT_COMPOSER (composer));
  g_assert_cmpstr (text, ==, "before I go");
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Delete for Me asks first: Cancel keeps the message; Delete takes it out of the conversation
 * here, and the peer still has it. */
static void
test_delete_message (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "mia", 3600);
  g_autoptr (TimClient) nat = tim_test_client_new (fixture, base_dir, "nat");
  g_autoptr (TimMessage) keep = NULL;
  g_autoptr (TimMessage) drop = NULL;
  g_autoptr (GPtrArray) nat_has = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "delete-test", base_dir);
  GtkWidget *view;

  timchat_test_import_account (fixture, "mia", NULL);
  keep = tim_client_create_text_message (nat, "mia", TIM_CONV_C2C, "keep this");
  drop = tim_client_create_text_message (nat, "mia", TIM_CONV_C2C, "drop this");
  g_assert_true (tim_test_send (nat, keep, &error));
  g_assert_true (tim_test_send (nat, drop, &error));
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "mia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Cnat");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "drop this", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.delete", "s", tim_message_get_id (drop)));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (200);
  g_assert_false (drop_gone (view));
  g_assert_true (
      gtk_widget_activate_action (view, "conversation.delete", "s", tim_message_get_id (drop)));
  test_app_answer_dialog ("delete", NULL);
  g_assert_true (tim_test_wait_until (drop_gone, view, 10000));
  g_assert_true (test_app_wait_text (view, "keep this", 1000));
  nat_has = tim_test_get_messages (nat, "C2Cmia", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nat_has->len, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
toast_says_muted (gpointer window)
{
  return test_app_find_widget (window, is_toast_saying, "You are muted in this group") != NULL;
}

static gboolean
composer_says_muted (gpointer view)
{
  return test_app_find_widget (view, test_app_has_text, "Only the owner and admins can post") !=
         NULL;
}

/* Reply in a group muted for all, to a plain member, who cannot post: a toast says why. */
static void
test_reply_where_muted (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "wes", 3600);
  g_autoptr (TimClient) xan = tim_test_client_new (fixture, base_dir, "xan");
  const char *const members[] = { "wes", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr (TimMessage) rules = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "muted-reply-test", base_dir);
  GtkWidget *view;

  timchat_test_import_account (fixture, "wes", NULL);
  group_id = tim_test_create_group (xan, "Announcements", members);
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  rules = tim_client_create_text_message (xan, group_id, TIM_CONV_GROUP, "read the rules");
  g_assert_true (tim_test_send (xan, rules, &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_set_group_mute_all (xan, group_id, TRUE, &error));
  g_assert_no_error (error);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "wes", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, conversation_id);
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "read the rules", 10000));
  g_assert_true (tim_test_wait_until (composer_says_muted, view, 10000));
  g_assert_true (
      gtk_widget_activate_action (view, "conversation.reply", "s", tim_message_get_id (rules)));
  g_assert_true (tim_test_wait_until (toast_says_muted, window, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/window/edit-again", test_edit_again);
  g_test_add_func ("/app/window/edit-again-while-editing", test_edit_again_while_editing);
  g_test_add_func ("/app/window/edit-again-after-log-out", test_edit_again_after_log_out);
  g_test_add_func ("/app/window/delete-message", test_delete_message);
  g_test_add_func ("/app/window/typing", test_typing);
  g_test_add_func ("/app/window/draft", test_draft);
  g_test_add_func ("/app/window/reply-where-muted", test_reply_where_muted);
  return test_app_run (fixture, base_dir);
}
