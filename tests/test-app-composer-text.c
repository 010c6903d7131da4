/* test-app-composer-text.c: the composer's text against the real server: Enter sends what the
 * peer receives, Shift+Enter and blank text send nothing, Ctrl+Enter when Enter does not send, a
 * refused text comes back where it was written (the composer or its conversation's draft), the
 * entry grows with its lines, drafts per conversation (and across a new composer, while typing,
 * from an earlier version's key file), a logout while sending, and group priority. Split from
 * test-app-composer.c (by what the composer sends) to keep each program short; one server and
 * one Xvfb per program.
 * Set TIMCHAT_SCREENSHOT_DIR to keep PNGs of the widgets. */
#define G_LOG_DOMAIN "test-app-composer-text"

#include "config.h"

#include <adwaita.h>

#include "test-app-composer-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-composer.h"

/* Tests */

static void
test_enter_sends (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  GtkWidget *send_button =
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_action, "composer.send");

  g_assert_nonnull (send_button);
  g_assert_false (gtk_widget_get_sensitive (send_button));
  test_app_screenshot (gtk_widget_get_parent (GTK_WIDGET (composer)), "composer-empty.png");
  gtk_text_buffer_set_text (buffer_of (composer), "hello bob [Grin]  \n ", -1);
  g_assert_true (gtk_widget_get_sensitive (send_button));
  test_app_screenshot (gtk_widget_get_parent (GTK_WIDGET (composer)), "composer.png");

  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "");
  g_assert_false (gtk_widget_get_sensitive (send_button));
  /* Trailing whitespace trimmed. */
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, "hello bob [Grin]");

  /* The Send button does the same. */
  timchat_composer_set_text (composer, "by button");
  g_signal_emit_by_name (send_button, "clicked");
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, "by button");
  close_composer (composer);
}

/* A text refused before it is kept anywhere (over 12 KB here) comes back into the composer,
 * before what was typed since: it is not lost with the emptied composer. */
static void
test_refused_text_comes_back (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  g_autofree char *long_text = g_strnfill (13000, 'b');
  g_autofree char *expected = g_strconcat (long_text, "\nand more", NULL);

  timchat_composer_set_text (composer, long_text);
  timchat_composer_send (composer);
  assert_text (composer, "");
  timchat_composer_set_text (composer, "and more");
  g_assert_true (tim_test_wait_until (composer_holds, &(Holds){ composer, expected }, 5000));
  close_composer (composer);
  assert_nothing_sent ("after the long one");
}

/* Refused after another conversation was opened in the composer: the text goes to the draft of
 * the conversation it was written in, not into the one open now; back there, it is in the
 * composer. */
static void
test_refused_text_goes_to_its_draft (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  g_autofree char *long_text = g_strnfill (13000, 'd');

  timchat_composer_set_text (composer, long_text);
  timchat_composer_send (composer);
  /* Before the answer (which comes from the main loop). */
  timchat_composer_set_conversation_id (composer, "C2Ccarol");
  g_assert_true (tim_test_wait_until (draft_kept, &(Draft){ "C2Cbob", long_text }, 5000));
  assert_text (composer, "");
  timchat_composer_set_conversation_id (composer, "C2Cbob");
  assert_text (composer, long_text);
  timchat_composer_set_text (composer, "");
  close_composer (composer);
  g_assert_true (tim_test_wait_until (draft_kept, &(Draft){ "C2Cbob", NULL }, 5000));
}

static void
test_shift_enter_and_blank (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  GtkTextBuffer *buffer = buffer_of (composer);
  GtkWidget *send_button =
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_action, "composer.send");

  gtk_text_buffer_set_text (buffer, "line one", -1);
  g_assert_true (press (composer, GDK_KEY_Return, GDK_SHIFT_MASK));
  gtk_text_buffer_insert_at_cursor (buffer, "line two", -1);
  assert_text (composer, "line one\nline two");

  /* Blank text: the button is off and sending does nothing. */
  timchat_composer_set_text (composer, "  \n\t ");
  g_assert_false (gtk_widget_get_sensitive (send_button));
  timchat_composer_send (composer);
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "  \n\t ");
  close_composer (composer);
  assert_nothing_sent ("marker after shift-enter and blank");
}

static void
test_ctrl_enter_setting (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("org.example.TimChat");
  TimchatComposer *composer = new_composer ("C2Cbob");

  g_settings_set_boolean (settings, "enter-sends", FALSE);
  timchat_composer_set_text (composer, "first");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "first\n");
  g_assert_true (press (composer, GDK_KEY_KP_Enter, GDK_CONTROL_MASK));
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, "first");
  g_settings_reset (settings, "enter-sends");
  close_composer (composer);
}

static void
test_drafts (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  TimchatComposer *later;

  timchat_composer_set_text (composer, "half a thought for bob");
  timchat_composer_set_conversation_id (composer, "C2Ccarol");
  assert_text (composer, "");
  timchat_composer_set_text (composer, "for carol");
  timchat_composer_set_conversation_id (composer, "C2Cbob");
  assert_text (composer, "half a thought for bob");
  timchat_composer_set_conversation_id (composer, "C2Ccarol");
  assert_text (composer, "for carol");

  /* Kept by libtim: a new composer (the window opened again) finds it. */
  later = new_composer ("C2Ccarol");
  assert_text (later, "for carol");
  close_composer (later);
  close_composer (composer);

  /* Sending clears the draft. */
  composer = new_composer ("C2Cbob");
  assert_text (composer, "half a thought for bob");
  timchat_composer_send (composer);
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, "half a thought for bob");
  close_composer (composer);
  composer = new_composer ("C2Cbob");
  assert_text (composer, "");
  close_composer (composer);
}

/* A logout while a text waits for its answer keeps it queued (libtim's outbox), so it is not
 * given back to be sent again: the composer stays empty, and the next login sends it once. */
static void
test_logout_while_sending (void)
{
  g_autoptr (TimClient) ozzy = tim_test_client_new (fixture, base_dir, "ozzy");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *composer = timchat_composer_new ();
  g_autofree char *draft = NULL;
  guint copies = 0;

  gtk_window_set_child (GTK_WINDOW (window), composer);
  timchat_composer_set_client (TIMCHAT_COMPOSER (composer), ozzy);
  timchat_composer_set_conversation_id (TIMCHAT_COMPOSER (composer), "C2Cbob");
  gtk_window_present (GTK_WINDOW (window));
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "queued across a logout");
  timchat_composer_send (TIMCHAT_COMPOSER (composer));
  tim_client_logout (ozzy); /* before the answer, which needs the main loop */
  timchat_test_spin (300);
  assert_text (TIMCHAT_COMPOSER (composer), "");

  tim_test_client_login (fixture, ozzy, "ozzy");
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, "queued across a logout");
  draft = tim_client_dup_conversation_draft (ozzy, "C2Cbob");
  g_assert_cmpstr (draft, ==, "");
  assert_text (TIMCHAT_COMPOSER (composer), "");
  timchat_test_spin (500);
  for (guint i = 0; i < bob_got->len; i++)
    copies += g_strcmp0 (tim_message_get_text (bob_got->pdata[i]), "queued across a logout") == 0;
  g_assert_cmpuint (copies, ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static int
entry_height_for (TimchatComposer *composer, const char *text)
{
  GtkWidget *scroller = find_type (GTK_WIDGET (composer), GTK_TYPE_OVERLAY);

  timchat_composer_set_text (composer, text);
  /* The text view measures its lines in idle time, then a frame lays the scroller out. */
  timchat_test_spin (300);
  test_app_wait_frame (scroller);
  return gtk_widget_get_height (scroller);
}

/* The entry grows with its lines up to six, then scrolls; it shrinks again when sent. */
static void
test_grows (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *list = gtk_label_new ("(messages)");
  TimchatComposer *composer = TIMCHAT_COMPOSER (timchat_composer_new ());
  int one, three, six, ten;

  gtk_widget_set_vexpand (list, TRUE);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (composer));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 400);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  one = entry_height_for (composer, "one");
  three = entry_height_for (composer, "one\ntwo\nthree");
  test_app_screenshot (GTK_WIDGET (composer), "composer-three-lines.png");
  six = entry_height_for (composer, "1\n2\n3\n4\n5\n6");
  ten = entry_height_for (composer, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10");
  g_assert_cmpint (three, >, one);
  g_assert_cmpint (six, >, three);
  g_assert_cmpint (ten, <=, six + 4);
  g_assert_cmpint (entry_height_for (composer, ""), ==, one);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_object_set_data_full (source, "result", g_object_ref (result), g_object_unref);
  *(gboolean *) user_data = TRUE;
}

static void
test_group_priority (void)
{
  const char *members[] = { "bob", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  TimchatComposer *composer;
  GtkWidget *priority_button;
  TimMessage *urgent;

  tim_client_create_group_async (alice, "Composer", "Private", members, NULL, on_done, &done);
  g_assert_true (tim_test_wait_flag (&done, 10000));
  group_id = tim_client_create_group_finish (alice, g_object_get_data (G_OBJECT (alice), "result"),
                                             &error);
  g_assert_no_error (error);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);

  composer = new_composer (conversation_id);
  priority_button =
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Message Priority");
  g_assert_nonnull (priority_button);
  g_assert_true (gtk_widget_get_visible (priority_button));
  g_assert_cmpint (timchat_composer_get_priority (composer), ==, TIM_PRIORITY_NORMAL);
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.priority", "s", "High");
  g_assert_cmpint (timchat_composer_get_priority (composer), ==, TIM_PRIORITY_HIGH);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (priority_button)), ==, "High");
  timchat_composer_set_text (composer, "everyone, now");
  test_app_screenshot (gtk_widget_get_parent (GTK_WIDGET (composer)), "composer-group.png");
  timchat_composer_send (composer);

  urgent = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (urgent), ==, "everyone, now");
  g_assert_cmpstr (tim_message_get_conversation_id (urgent), ==, conversation_id);
  g_assert_cmpint (tim_message_get_priority (urgent), ==, TIM_PRIORITY_HIGH);

  /* One-to-one conversations have no priority; switching resets it. */
  timchat_composer_set_conversation_id (composer, "C2Cbob");
  g_assert_false (gtk_widget_get_visible (priority_button));
  g_assert_cmpint (timchat_composer_get_priority (composer), ==, TIM_PRIORITY_NORMAL);
  close_composer (composer);
}

/* Typing that pauses keeps the draft without leaving the conversation (a crash loses little);
 * what the program puts in (a draft coming back) is not typing. */
static void
test_draft_kept_while_typing (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");

  type (composer, "typed, then a pause");
  g_assert_true (
      tim_test_wait_until (draft_kept, &(Draft){ "C2Cbob", "typed, then a pause" }, 5000));
  type (composer, " and more");
  g_assert_true (
      tim_test_wait_until (draft_kept, &(Draft){ "C2Cbob", "typed, then a pause and more" }, 5000));
  timchat_composer_set_text (composer, "");
  timchat_composer_send (composer);
  close_composer (composer);
  g_assert_true (draft_kept (&(Draft){ "C2Cbob", NULL }));
}

static char *
old_drafts_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "timchat", "drafts.ini", NULL);
}

/* Drafts an earlier version kept in its key file move into libtim once, the account's only; one
 * libtim has already stays as it is; the file goes with its last account's drafts. */
static void
test_drafts_from_key_file (void)
{
  g_autofree char *path = old_drafts_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GKeyFile) old = g_key_file_new ();
  g_autoptr (GKeyFile) left = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  TimchatComposer *composer;

  g_assert_true (tim_client_set_conversation_draft (alice, "C2Ccarol", "newer", &error));
  g_assert_no_error (error);
  g_key_file_set_string (old, "alice", "C2Cdan", "from the old file");
  g_key_file_set_string (old, "alice", "C2Ccarol", "older");
  g_key_file_set_string (old, "zed", "C2Cdan", "zed's");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_key_file_save_to_file (old, path, &error));

  composer = new_composer ("C2Cdan");
  assert_text (composer, "from the old file");
  timchat_composer_set_conversation_id (composer, "C2Ccarol");
  assert_text (composer, "newer");
  g_assert_true (g_key_file_load_from_file (left, path, G_KEY_FILE_NONE, &error));
  g_assert_false (g_key_file_has_group (left, "alice"));
  g_assert_true (g_key_file_has_key (left, "zed", "C2Cdan", NULL));

  /* With only this account's drafts, the file goes. */
  g_key_file_remove_group (old, "zed", NULL);
  g_assert_true (g_key_file_save_to_file (old, path, &error));
  timchat_composer_set_conversation_id (composer, "C2Cdan");
  assert_text (composer, "from the old file");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  timchat_composer_set_conversation_id (composer, "C2Ccarol");
  timchat_composer_set_text (composer, "");
  timchat_composer_set_conversation_id (composer, "C2Cdan");
  close_composer (composer);
  g_assert_true (draft_kept (&(Draft){ "C2Cdan", NULL }));
  g_assert_true (draft_kept (&(Draft){ "C2Ccarol", NULL }));
}

int
main (int argc, char **argv)
{
  test_composer_init (&argc, &argv);
  g_test_add_func ("/app/composer/enter-sends", test_enter_sends);
  g_test_add_func ("/app/composer/shift-enter-and-blank", test_shift_enter_and_blank);
  g_test_add_func ("/app/composer/refused-text-comes-back", test_refused_text_comes_back);
  g_test_add_func ("/app/composer/refused-text-goes-to-its-draft",
                   test_refused_text_goes_to_its_draft);
  g_test_add_func ("/app/composer/ctrl-enter-setting", test_ctrl_enter_setting);
  g_test_add_func ("/app/composer/grows", test_grows);
  g_test_add_func ("/app/composer/drafts", test_drafts);
  g_test_add_func ("/app/composer/draft-kept-while-typing", test_draft_kept_while_typing);
  g_test_add_func ("/app/composer/drafts-from-key-file", test_drafts_from_key_file);
  g_test_add_func ("/app/composer/logout-while-sending", test_logout_while_sending);
  g_test_add_func ("/app/composer/group-priority", test_group_priority);
  return test_composer_run ();
}
