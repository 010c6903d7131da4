/* test-app-composer-media.c: what the composer sends besides text, against the real server:
 * emoji tokens, stickers, the die, voice messages (recorded from a tone) and what the attach
 * choosers lead to. Split from test-app-composer.c (by what the composer sends) to keep each
 * program short; one server and one Xvfb per program.
 * Set TIMCHAT_SCREENSHOT_DIR to keep PNGs of the widgets. */
#define G_LOG_DOMAIN "test-app-composer-media"

#include "config.h"

#include <adwaita.h>

#include "test-app-composer-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "tim-text.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-emoji-picker.h"

static void
test_emoji_picker (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  /* Named in words (tooltip and screen reader); the token is what it types. */
  GtkWidget *grin = test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Grin");
  GtkWidget *picker = find_type (GTK_WIDGET (composer), TIMCHAT_TYPE_EMOJI_PICKER);
  guint n_tokens = g_strv_length ((char **) tim_text_emoji_tokens ());

  g_assert_nonnull (grin);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (grin)), ==,
                   tim_text_emoji_for_token ("[Grin]"));
  g_assert_cmpuint (n_tokens, >, 10);
  timchat_composer_set_text (composer, "hi ");
  g_signal_emit_by_name (grin, "clicked");
  assert_text (composer, "hi [Grin]");

  gtk_popover_popup (GTK_POPOVER (picker));
  test_app_screenshot (picker, "emoji-picker.png");
  gtk_stack_set_visible_child_name (GTK_STACK (find_type (picker, GTK_TYPE_STACK)), "stickers");
  test_app_screenshot (picker, "stickers.png");
  gtk_popover_popdown (GTK_POPOVER (picker));
  close_composer (composer);
}

static void
test_sticker (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  GtkWidget *picker = find_type (GTK_WIDGET (composer), TIMCHAT_TYPE_EMOJI_PICKER);
  GtkWidget *stickers =
      gtk_stack_get_child_by_name (GTK_STACK (find_type (picker, GTK_TYPE_STACK)), "stickers");
  /* The stickers' own "Love", not the emoji of that name. */
  GtkWidget *love = test_app_find_widget (stickers, test_app_has_tooltip, "Love");
  TimMessage *face;
  JsonObject *payload;

  g_assert_nonnull (love);
  g_signal_emit_by_name (love, "clicked");
  face = bob_next (TIM_ELEM_FACE);
  g_assert_cmpstr (tim_message_get_type_string (face), ==, "TIMFaceElem");
  payload = tim_message_get_payload (face);
  g_assert_cmpint (json_object_get_int_member (payload, "index"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (payload, "data"), ==, "tt02");
  g_assert_cmpstr (timchat_emoji_picker_sticker_emoji (2), ==, "❤️");
  close_composer (composer);
}

static void
test_roll_die (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");

  for (int i = 0; i < 3; i++)
    {
      TimMessage *die;
      JsonObject *payload;
      gint64 face;

      gtk_widget_activate_action (GTK_WIDGET (composer), "composer.roll-die", NULL);
      die = bob_next (TIM_ELEM_CUSTOM);
      g_assert_cmpstr (tim_message_get_type_string (die), ==, "TIMCustomElem");
      payload = tim_message_get_payload (die);
      g_assert_cmpstr (json_object_get_string_member (payload, "data"), ==, "dice");
      face = g_ascii_strtoll (json_object_get_string_member (payload, "description"), NULL, 10);
      g_assert_cmpint (face, >=, 1);
      g_assert_cmpint (face, <=, 6);
    }
  close_composer (composer);
}

/* The voice messages in alice's outgoing media. */
static guint
count_voice_files (void)
{
  g_autofree char *probe = tim_client_new_outgoing_path (alice, "probe", "none", NULL);
  g_autofree char *dir_path = g_path_get_dirname (probe);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    count += g_str_has_prefix (name, "voice-") && g_str_has_suffix (name, ".ogg");
  return count;
}

static gboolean
level_shows_sound (gpointer composer)
{
  GtkWidget *level =
      test_app_find_widget (composer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LEVEL_BAR));

  return gtk_level_bar_get_value (GTK_LEVEL_BAR (level)) > 0.1;
}

static void
record (TimchatComposer *composer)
{
  g_assert_false (timchat_composer_get_recording (composer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.record-voice", NULL));
  g_assert_true (timchat_composer_get_recording (composer));
}

/* A voice message (a tone stands in for the microphone): the bar shows the time and the level;
 * Send sends it as audio of that length, kept in the outgoing media. Discard, Escape and opening
 * another conversation drop it and its file; under a second is not sent; one that reaches the
 * longest allowed (here 2 s, five minutes in the app) sends itself; a microphone that cannot be
 * had says so. */
static void
test_voice_message (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = timchat_conversation_view_new (alice);
  guint files = count_voice_files ();
  GtkWidget *send_button, *attach_button;
  TimchatComposer *composer;
  TimMessage *got;

  gtk_window_set_default_size (GTK_WINDOW (window), 560, 480);
  gtk_window_set_child (GTK_WINDOW (window), view);
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Cbob");
  gtk_window_present (GTK_WINDOW (window));
  composer = TIMCHAT_COMPOSER (find_type (view, TIMCHAT_TYPE_COMPOSER));

  g_setenv ("TIMCHAT_AUDIO_SOURCE", "audiotestsrc is-live=true wave=sine freq=440 volume=0.5",
            TRUE);
  send_button = test_app_find_widget (GTK_WIDGET (composer), test_app_has_action, "composer.send");
  attach_button = test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Attach");
  g_assert_nonnull (send_button);
  g_assert_nonnull (attach_button);
  record (composer);
  /* One Send while recording, the bar's: the text's Send and Attach wait for the end. */
  g_assert_false (gtk_widget_get_visible (send_button));
  g_assert_false (gtk_widget_get_visible (attach_button));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_action, "composer.send-recording"));
  g_assert_true (test_app_wait_text (GTK_WIDGET (composer), "0:01", 10000));
  g_assert_true (tim_test_wait_until (level_shows_sound, composer, 5000));
  test_app_screenshot (window, "composer-recording.png");
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send-recording", NULL));
  g_assert_false (timchat_composer_get_recording (composer));
  g_assert_true (gtk_widget_get_visible (send_button));
  g_assert_true (gtk_widget_get_visible (attach_button));
  got = bob_next (TIM_ELEM_SOUND);
  g_assert_cmpint (tim_message_get_duration (got), >=, 1);
  g_assert_cmpint (tim_message_get_duration (got), <=, 3);
  g_assert_cmpuint (count_voice_files (), ==, files + 1);

  /* Dropped three ways: nothing is sent, no file stays. */
  record (composer);
  g_assert_true (test_app_wait_text (GTK_WIDGET (composer), "0:01", 10000));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (composer), "composer.discard-recording", NULL));
  g_assert_false (timchat_composer_get_recording (composer));
  record (composer);
  g_assert_true (press (composer, GDK_KEY_Escape, 0));
  g_assert_false (timchat_composer_get_recording (composer));
  g_assert_true (gtk_widget_get_visible (send_button));
  record (composer);
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Ccarol");
  g_assert_false (timchat_composer_get_recording (composer));
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Cbob");
  g_assert_cmpuint (count_voice_files (), ==, files + 1);

  /* A slip of under a second. */
  record (composer);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send-recording", NULL));
  timchat_test_spin (500);
  g_assert_cmpuint (count_voice_files (), ==, files + 1);

  /* At the limit it goes by itself, as long as the limit. */
  timchat_composer_set_max_recording_ms (composer, 2000);
  record (composer);
  got = bob_next (TIM_ELEM_SOUND);
  g_assert_false (timchat_composer_get_recording (composer));
  /* 2 s, give or take what a busy machine records before the stop takes (seconds, rounded). */
  g_assert_cmpint (tim_message_get_duration (got), >=, 2);
  g_assert_cmpint (tim_message_get_duration (got), <=, 3);
  g_assert_cmpuint (count_voice_files (), ==, files + 2);
  timchat_composer_set_max_recording_ms (composer, 0);

  /* No microphone. */
  g_setenv ("TIMCHAT_AUDIO_SOURCE", "nosuchsourceelement", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.record-voice", NULL));
  g_assert_false (timchat_composer_get_recording (composer));
  g_unsetenv ("TIMCHAT_AUDIO_SOURCE");
  gtk_window_destroy (GTK_WINDOW (window));
  assert_nothing_sent ("after the voice messages");
}

typedef struct
{
  guint files;   /* the voice files before the recording */
  guint bob_had; /* bob_got before it */
} Stopped;

static gboolean
bob_got_sound_since (guint from)
{
  for (guint i = from; i < bob_got->len; i++)
    if (tim_message_get_elem_type (bob_got->pdata[i]) == TIM_ELEM_SOUND)
      return TRUE;
  return FALSE;
}

/* The end of the recording was decided: its file dropped, or its message on the way to bob. */
static gboolean
recording_ended (gpointer data)
{
  Stopped *stopped = data;

  return count_voice_files () == stopped->files || bob_got_sound_since (stopped->bob_had);
}

/* Send, then Log Out and in as someone else with the same conversation open (as the window's
 * end of a session and next login do it: the conversation closed, the new account's client,
 * the conversation opened again) in the moment the recording's file takes to close: the voice
 * alice recorded does not go out from carol's account. Only the conversation ID was checked, and
 * carol sent it to bob. */
static void
test_voice_message_then_other_account (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = timchat_conversation_view_new (alice);
  TimchatConversationView *conversation_view = TIMCHAT_CONVERSATION_VIEW (view);
  Stopped stopped = { count_voice_files (), bob_got->len };
  TimchatComposer *composer;

  gtk_window_set_default_size (GTK_WINDOW (window), 560, 480);
  gtk_window_set_child (GTK_WINDOW (window), view);
  timchat_conversation_view_set_conversation_id (conversation_view, "C2Cbob");
  gtk_window_present (GTK_WINDOW (window));
  composer = TIMCHAT_COMPOSER (find_type (view, TIMCHAT_TYPE_COMPOSER));
  g_setenv ("TIMCHAT_AUDIO_SOURCE", "audiotestsrc is-live=true wave=sine freq=440 volume=0.5",
            TRUE);
  record (composer);
  g_assert_true (test_app_wait_text (GTK_WIDGET (composer), "0:01", 10000));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send-recording", NULL));
  /* All before the main loop runs again: the stop has not ended yet. */
  timchat_conversation_view_set_conversation_id (conversation_view, NULL);
  timchat_conversation_view_set_client (conversation_view, carol);
  timchat_conversation_view_set_conversation_id (conversation_view, "C2Cbob");
  g_unsetenv ("TIMCHAT_AUDIO_SOURCE");

  g_assert_true (tim_test_wait_until (recording_ended, &stopped, 10000));
  timchat_test_spin (1000);
  g_assert_false (bob_got_sound_since (stopped.bob_had));
  g_assert_cmpuint (count_voice_files (), ==, stopped.files);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
record_file (TimchatComposer *composer, GFile *file, TimElemType kind, GPtrArray *chosen)
{
  g_ptr_array_add (chosen, g_object_ref (file));
  g_ptr_array_add (chosen, GINT_TO_POINTER (kind));
}

/* What the choosers lead to ("file-chosen" with the file and kind), inside a real conversation
 * view: the image goes through the view's send path to bob. */
static void
test_attach_file (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = timchat_conversation_view_new (alice);
  g_autoptr (GFile) png = test_app_write_png (base_dir, "through-view.png", 64, 48);
  g_autoptr (GPtrArray) chosen = g_ptr_array_new_with_free_func (NULL);
  TimchatComposer *composer;
  TimMessage *image;

  gtk_window_set_default_size (GTK_WINDOW (window), 560, 480);
  gtk_window_set_child (GTK_WINDOW (window), view);
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Cbob");
  gtk_window_present (GTK_WINDOW (window));
  composer = TIMCHAT_COMPOSER (find_type (view, TIMCHAT_TYPE_COMPOSER));
  g_signal_connect (composer, "file-chosen", G_CALLBACK (record_file), chosen);
  timchat_composer_attach_file (composer, png, TIM_ELEM_IMAGE);
  g_assert_cmpuint (chosen->len, ==, 2);
  g_assert_true (g_file_equal (chosen->pdata[0], png));
  g_assert_cmpint (GPOINTER_TO_INT (chosen->pdata[1]), ==, TIM_ELEM_IMAGE);
  g_object_unref (chosen->pdata[0]);

  image = bob_next (TIM_ELEM_IMAGE);
  g_assert_cmpstr (tim_message_get_from (image), ==, "alice");
  test_app_screenshot (window, "in-view.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
chooser_up (gpointer data)
{
  return test_app_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, test_app_is_mapped) != NULL;
}

/* Another conversation opened while the attach chooser is still up (the chooser is modal, but a
 * notification's click opens a conversation all the same): the file chosen for Bob's
 * conversation does not go to the one open now. The chooser stayed, and the file it gave went to
 * Carol. */
static void
test_attach_chooser_then_other_conversation (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = timchat_conversation_view_new (alice);
  g_autoptr (GFile) png = test_app_write_png (base_dir, "chosen-for-bob.png", 64, 48);
  guint carol_had = carol_got->len;
  TimchatComposer *composer;

  gtk_window_set_default_size (GTK_WINDOW (window), 560, 480);
  gtk_window_set_child (GTK_WINDOW (window), view);
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Cbob");
  gtk_window_present (GTK_WINDOW (window));
  composer = TIMCHAT_COMPOSER (find_type (view, TIMCHAT_TYPE_COMPOSER));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (composer), "composer.attach", "s", "image"));
  g_assert_true (tim_test_wait_until (chooser_up, NULL, 5000));
  /* As the window's open-conversation does it. */
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Ccarol");
  timchat_test_spin (300);
  /* The file chosen, if the chooser is still there to choose it in. */
  if (chooser_up (NULL))
    test_app_choose_file (png);
  timchat_test_spin (3000);
  for (guint i = carol_had; i < carol_got->len; i++)
    g_assert_cmpint (tim_message_get_elem_type (carol_got->pdata[i]), !=, TIM_ELEM_IMAGE);
  g_assert_false (chooser_up (NULL));
  gtk_window_destroy (GTK_WINDOW (window));
  assert_nothing_sent ("after the chooser for another conversation");
}

int
main (int argc, char **argv)
{
  test_composer_init (&argc, &argv);
  g_test_add_func ("/app/composer/emoji-picker", test_emoji_picker);
  g_test_add_func ("/app/composer/sticker", test_sticker);
  g_test_add_func ("/app/composer/roll-die", test_roll_die);
  g_test_add_func ("/app/composer/voice-message", test_voice_message);
  g_test_add_func ("/app/composer/voice-message-then-other-account",
                   test_voice_message_then_other_account);
  g_test_add_func ("/app/composer/attach-file", test_attach_file);
  g_test_add_func ("/app/composer/attach-chooser-then-other-conversation",
                   test_attach_chooser_then_other_conversation);
  return test_composer_run ();
}
