/* test-app-composer.c: the composer against the real server: Enter sends what the peer
 * receives, Shift+Enter and blank text send nothing, a refused text comes back where it was
 * written (the composer, its conversation's draft, or the draft kept during an edit; with its
 * mentions), emoji tokens, stickers, the die, drafts per conversation (and across a new
 * composer), group priority, what the attach choosers lead to, group @-mentions (the member
 * list, its keys, what is sent), editing a sent message (a
 * refused edit comes back, one that lost to another device's does not, mentions while editing),
 * and replying (Escape, stickers and the die as replies, replying and editing exclusive, a refused
 * reply comes back).
 * Set TIMCHAT_SCREENSHOT_DIR to keep PNGs of the widgets. */
#define G_LOG_DOMAIN "test-app-composer"

#include "config.h"

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-resources.h"
#include "tim-message-private.h"
#include "tim-text.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-emoji-picker.h"
#include "timchat-mention-popover.h"

static TimchatFixture *fixture;
static char *base_dir;
static TimClient *alice;
static TimClient *bob;
static GPtrArray *bob_got;
static guint bob_seen; /* bob_got before this index has been looked at */
static TimClient *carol;
static GPtrArray *carol_got;
static guint carol_seen;
static char *mention_group; /* the conversation of alice, bob and carol ("Carol-name") */

/* Widgets */

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  GtkWidget *found = test_app_find_widget (root, test_app_has_type, GSIZE_TO_POINTER (type));
  g_assert_nonnull (found);
  return found;
}

static GtkTextBuffer *
buffer_of (TimchatComposer *composer)
{
  return gtk_text_view_get_buffer (
      GTK_TEXT_VIEW (find_type (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW)));
}

/* A key press as the text view's key controller sees it. */
static gboolean
press (TimchatComposer *composer, guint keyval, GdkModifierType state)
{
  GtkWidget *text_view = find_type (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (text_view);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "composer-keys") == 0)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          return handled;
        }
    }
  g_error ("the composer's key controller is missing");
}

/* A composer for alice's conversation_id, in a window of its own. */
static TimchatComposer *
new_composer (const char *conversation_id)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *composer = timchat_composer_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 520, -1);
  gtk_window_set_child (GTK_WINDOW (window), composer);
  timchat_composer_set_client (TIMCHAT_COMPOSER (composer), alice);
  timchat_composer_set_conversation_id (TIMCHAT_COMPOSER (composer), conversation_id);
  gtk_window_present (GTK_WINDOW (window));
  return TIMCHAT_COMPOSER (composer);
}

static void
close_composer (TimchatComposer *composer)
{
  timchat_composer_set_text (composer, "");
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (composer))));
}

static void
assert_text (TimchatComposer *composer, const char *expected)
{
  g_autofree char *text = timchat_composer_dup_text (composer);
  g_assert_cmpstr (text, ==, expected);
}

/* Messages */

typedef struct
{
  GPtrArray *got;
  guint *seen;
} Inbox;

static gboolean
has_more (gpointer data)
{
  Inbox *inbox = data;

  return inbox->got->len > *inbox->seen;
}

/* The next message got receives of type (others, such as group tips, are skipped). */
static TimMessage *
next_of (GPtrArray *got, guint *seen, TimElemType type)
{
  for (;;)
    {
      TimMessage *message;

      if (!tim_test_wait_until (has_more, &(Inbox){ got, seen }, 10000))
        g_error ("no message of type %d was received", type);
      message = got->pdata[(*seen)++];
      if (tim_message_get_elem_type (message) == type)
        return message;
    }
}

static TimMessage *
bob_next (TimElemType type)
{
  return next_of (bob_got, &bob_seen, type);
}

/* Nothing was sent before: a marker sent now is the next text bob receives. */
static void
assert_nothing_sent (const char *marker)
{
  TimchatComposer *composer = new_composer ("C2Cbob");

  timchat_composer_set_text (composer, marker);
  timchat_composer_send (composer);
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, marker);
  close_composer (composer);
}

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

typedef struct
{
  TimchatComposer *composer;
  const char *text;
} Holds;

static gboolean
composer_holds (gpointer data)
{
  Holds *holds = data;
  g_autofree char *text = timchat_composer_dup_text (holds->composer);

  return g_strcmp0 (text, holds->text) == 0;
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

typedef struct
{
  const char *conversation_id;
  const char *text;
} Draft;

/* The draft of alice's conversation_id, as libtim keeps it, is text (NULL: none). */
static gboolean
draft_kept (gpointer data)
{
  Draft *draft = data;
  g_autofree char *kept = tim_client_dup_conversation_draft (alice, draft->conversation_id);

  return g_strcmp0 (kept, draft->text != NULL ? draft->text : "") == 0;
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

/* @-mentions */

/* What a user types: one character at a time, as the text view puts a typed one in. */
static void
type (TimchatComposer *composer, const char *text)
{
  GtkTextBuffer *buffer = buffer_of (composer);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, p, g_utf8_next_char (p) - p, TRUE);
      gtk_text_buffer_end_user_action (buffer);
    }
}

/* Backspace: the character before the cursor goes, as the text view deletes it. */
static void
backspace (TimchatComposer *composer)
{
  GtkTextBuffer *buffer = buffer_of (composer);
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_true (gtk_text_buffer_backspace (buffer, &cursor, TRUE, TRUE));
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

static GtkWidget *
popover_of (TimchatComposer *composer)
{
  return find_type (GTK_WIDGET (composer), TIMCHAT_TYPE_MENTION_POPOVER);
}

static GListModel *
rows_of (GtkWidget *popover)
{
  return G_LIST_MODEL (
      gtk_list_view_get_model (GTK_LIST_VIEW (find_type (popover, GTK_TYPE_LIST_VIEW))));
}

/* The user IDs of the rows, "," between, while the popover is open; NULL when closed. */
static char *
listed (GtkWidget *popover)
{
  GListModel *rows = rows_of (popover);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;

  if (!gtk_widget_get_visible (popover))
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (GtkStringObject) row = g_list_model_get_item (rows, i);

      g_strv_builder_add (ids, gtk_string_object_get_string (row));
    }
  strv = g_strv_builder_end (ids);
  return g_strjoinv (",", strv);
}

typedef struct
{
  GtkWidget *popover;
  const char *want;
} Listing;

static gboolean
lists (gpointer data)
{
  Listing *listing = data;
  g_autofree char *rows = listed (listing->popover);

  return g_strcmp0 (rows, listing->want) == 0;
}

/* Waits until the popover is open with these rows (the members arrive from the server). */
static void
assert_lists (GtkWidget *popover, const char *want)
{
  if (!tim_test_wait_until (lists, &(Listing){ popover, want }, 10000))
    {
      g_autofree char *rows = listed (popover);
      g_error ("the mention list shows %s, not %s", rows != NULL ? rows : "(closed)", want);
    }
}

/* What "@" alone lists in group_with_carol (): Everyone, then the members in the server's order
 * (by name), not alice herself. */
#define EVERYONE_AND_OTHERS TIM_AT_ALL ",bob,carol"

static void
assert_closed (GtkWidget *popover)
{
  test_app_iterate (200);
  g_assert_false (gtk_widget_get_visible (popover));
}

static void
assert_at_users (TimMessage *message, const char *const *want)
{
  const char *const *got = tim_message_get_at_user_list (message);

  if (want == NULL)
    g_assert_null (got);
  else
    g_assert_true (got != NULL && g_strv_equal (got, want));
}

/* A group of alice (the owner), bob and carol, whose name in it is "Carol-name". */
static const char *
group_with_carol (void)
{
  const char *const members[] = { "bob", "carol", NULL };
  g_autofree char *group_id = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  if (mention_group != NULL)
    return mention_group;
  group_id = tim_test_create_group (alice, "Mentions", members);
  tim_client_set_group_member_name_card_async (alice, group_id, "carol", "Carol-name", NULL,
                                               tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_group_member_name_card_finish (alice, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  mention_group = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  return mention_group;
}

static gboolean
is_laid_out (gpointer widget)
{
  return gtk_widget_get_width (widget) > 0;
}

/* Where the list points needs the composer on screen: the user sees it before typing. */
static TimchatComposer *
new_group_composer (void)
{
  TimchatComposer *composer = new_composer (group_with_carol ());

  g_assert_true (tim_test_wait_until (is_laid_out, composer, 5000));
  g_assert_true (timchat_composer_focus_text (composer));
  return composer;
}

/* "@ca" lists carol (not bob, not alice herself); Enter inserts her name and sends nothing; the
 * message sent next mentions her, for bob and for her. */
static void
test_mention_member (void)
{
  const char *const want[] = { "carol", NULL };
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);
  TimMessage *message;

  type (composer, "@ca");
  assert_lists (popover, "carol");
  /* The row shows her name, and her user ID (dimmed). */
  g_assert_true (test_app_wait_text (popover, "Carol-name", 5000));
  g_assert_true (test_app_wait_text (popover, "carol", 5000));
  test_app_screenshot (popover, "mention-popover.png");

  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "@Carol-name ");
  assert_closed (popover);
  type (composer, "see this");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "");

  /* Had the first Enter sent "@ca", bob's next text would be that. */
  message = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, "@Carol-name see this");
  assert_at_users (message, want);
  message = next_of (carol_got, &carol_seen, TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, "@Carol-name see this");
  assert_at_users (message, want);
  g_assert_cmpint (tim_message_get_group_at_type (message, "carol"), ==, TIM_GROUP_AT_ME);
  close_composer (composer);
}

/* A refused text comes back with its mention: sent again (shortened), it still mentions her. */
static void
test_mention_refused_comes_back (void)
{
  const char *const want[] = { "carol", NULL };
  TimchatComposer *composer = new_group_composer ();
  g_autofree char *long_tail = g_strnfill (13000, 'm');
  g_autofree char *refused = g_strconcat ("@Carol-name ", long_tail, NULL);
  GtkTextBuffer *buffer = buffer_of (composer);
  GtkTextIter from, to;
  TimMessage *message;

  type (composer, "@ca");
  assert_lists (popover_of (composer), "carol");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "@Carol-name ");
  gtk_text_buffer_insert_at_cursor (buffer, long_tail, -1);
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  g_assert_true (tim_test_wait_until (composer_holds, &(Holds){ composer, refused }, 5000));

  /* Shortened, as the user would: the tail deleted, a few words typed. */
  gtk_text_buffer_get_iter_at_offset (buffer, &from, strlen ("@Carol-name "));
  gtk_text_buffer_get_end_iter (buffer, &to);
  gtk_text_buffer_delete (buffer, &from, &to);
  type (composer, "shorter now");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  message = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, "@Carol-name shorter now");
  assert_at_users (message, want);
  close_composer (composer);
}

/* Someone who joins the group while it is open is there to mention at the next "@". */
static void
test_mention_newcomer (void)
{
  const char *const first[] = { "bob", NULL };
  const char *const joining[] = { "carol", NULL };
  g_autofree char *group_id = tim_test_create_group (alice, "Newcomers", first);
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  TimchatComposer *composer = new_composer (conversation_id);
  GtkWidget *popover = popover_of (composer);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_wait_until (is_laid_out, composer, 5000));
  g_assert_true (timchat_composer_focus_text (composer));
  type (composer, "@");
  assert_lists (popover, TIM_AT_ALL ",bob");
  g_assert_true (press (composer, GDK_KEY_Escape, 0));
  timchat_composer_set_text (composer, "");

  tim_client_add_group_members_async (alice, group_id, joining, NULL, tim_test_keep_result,
                                      &result);
  g_assert_true (
      tim_client_add_group_members_finish (alice, tim_test_wait_result (&result), NULL, &error));
  g_assert_no_error (error);
  type (composer, "@car");
  assert_lists (popover, "carol");
  close_composer (composer);
}

/* "Everyone" answers to "@al" (alice, who matches too, is the user herself: not listed); Tab
 * inserts it and the message mentions everyone. */
static void
test_mention_everyone (void)
{
  const char *const want[] = { TIM_AT_ALL, NULL };
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);
  TimMessage *message;

  /* Once the members are in: "al" would find alice among them. */
  type (composer, "lunch? @");
  assert_lists (popover, EVERYONE_AND_OTHERS);
  type (composer, "al");
  assert_lists (popover, TIM_AT_ALL);
  g_assert_true (press (composer, GDK_KEY_Tab, 0));
  assert_text (composer, "lunch? @Everyone ");
  assert_closed (popover);
  g_assert_true (press (composer, GDK_KEY_Return, 0));

  message = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, "lunch? @Everyone");
  assert_at_users (message, want);
  close_composer (composer);
}

/* "@" lists Everyone first, then the others; Down, Down, Up and Enter choose the first of them.
 * Deleting the "@Name" it inserted leaves a plain text to send. */
static void
test_mention_deleted (void)
{
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);
  GtkTextIter start, end;
  TimMessage *message;

  type (composer, "@");
  assert_lists (popover, EVERYONE_AND_OTHERS);
  g_assert_true (press (composer, GDK_KEY_Down, 0));
  g_assert_true (press (composer, GDK_KEY_Down, 0));
  g_assert_true (press (composer, GDK_KEY_Up, 0));
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "@bob ");

  type (composer, "never mind");
  gtk_text_buffer_get_iter_at_offset (buffer_of (composer), &start, 0);
  gtk_text_buffer_get_iter_at_offset (buffer_of (composer), &end, strlen ("@bob "));
  g_assert_true (gtk_text_buffer_delete_interactive (buffer_of (composer), &start, &end, TRUE));
  assert_text (composer, "never mind");
  g_assert_true (press (composer, GDK_KEY_Return, 0));

  message = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, "never mind");
  assert_at_users (message, NULL);
  close_composer (composer);
}

/* A click on a row inserts it as Enter does. */
static void
test_mention_click (void)
{
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);

  type (composer, "hi @CAR");
  assert_lists (popover, "carol");
  g_signal_emit_by_name (find_type (popover, GTK_TYPE_LIST_VIEW), "activate", 0);
  assert_text (composer, "hi @Carol-name ");
  assert_closed (popover);
  close_composer (composer);
}

/* Escape closes the list and leaves the text; that "@" stays closed as it is edited, Enter sends
 * it as typed (mentioning nobody), and a new "@" opens the list again. */
static void
test_mention_escape (void)
{
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);
  TimMessage *message;

  type (composer, "@car");
  assert_lists (popover, "carol");
  g_assert_true (press (composer, GDK_KEY_Escape, 0));
  assert_text (composer, "@car");
  assert_closed (popover);
  backspace (composer);
  assert_closed (popover);

  type (composer, " @b");
  assert_lists (popover, "bob");
  /* A space right after "@", and no match, close it too. */
  type (composer, " @");
  assert_lists (popover, EVERYONE_AND_OTHERS);
  type (composer, " ");
  assert_closed (popover);
  type (composer, "@zz");
  assert_closed (popover);
  g_assert_false (press (composer, GDK_KEY_Escape, 0));

  /* Focus elsewhere closes it. */
  type (composer, " @");
  assert_lists (popover, EVERYONE_AND_OTHERS);
  g_assert_true (gtk_widget_grab_focus (
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Message Priority")));
  assert_closed (popover);
  g_assert_true (timchat_composer_focus_text (composer));

  timchat_composer_set_text (composer, "@ca");
  assert_closed (popover); /* not typed */
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  message = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, "@ca");
  assert_at_users (message, NULL);
  close_composer (composer);
}

/* Nothing opens in a one-to-one conversation, nor in the Group Notices. */
static void
test_mention_not_in_c2c (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  GtkWidget *popover = popover_of (composer);

  type (composer, "@");
  assert_closed (popover);
  type (composer, "b");
  assert_closed (popover);
  timchat_composer_set_text (composer, "");
  timchat_composer_set_conversation_id (composer, "@TIM#SYSTEM");
  type (composer, "@");
  assert_closed (popover);
  close_composer (composer);
}

/* Switching conversations forgets the mention: the draft comes back as text only. */
static void
test_mention_forgotten_on_switch (void)
{
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);
  TimMessage *message;

  type (composer, "@ca");
  assert_lists (popover, "carol");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  timchat_composer_set_conversation_id (composer, "C2Cbob");
  assert_closed (popover);
  timchat_composer_set_conversation_id (composer, group_with_carol ());
  assert_text (composer, "@Carol-name ");
  assert_closed (popover);
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  message = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, "@Carol-name");
  assert_at_users (message, NULL);
  close_composer (composer);
}

/* Sets user's name card in group_id (alice's group). */
static void
set_name_card (const char *group_id, const char *user, const char *name_card)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_set_group_member_name_card_async (alice, group_id, user, name_card, NULL,
                                               tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_group_member_name_card_finish (alice, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* Chooses user (typed after "@") from the list. */
static void
choose_member (TimchatComposer *composer, const char *user)
{
  g_autofree char *at = g_strconcat ("@", user, NULL);

  type (composer, at);
  assert_lists (popover_of (composer), user);
  g_assert_true (press (composer, GDK_KEY_Return, 0));
}

/* Sends the composer's text and checks whom bob's copy mentions. */
static void
assert_sent_mentions (TimchatComposer *composer, const char *text, const char *const *want)
{
  TimMessage *message;

  timchat_composer_set_text (composer, text);
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  message = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (message), ==, text);
  assert_at_users (message, want);
}

/* Chinese puts no space between words: a name chosen from the list still mentions its member
 * with text right after it, the longest name chosen that the text after "@" starts with
 * ("@张三丰你好" is 张三丰 when 张三 was chosen too). Between two letters of a language written
 * with spaces, a name is still a whole word: "@bobby" is not bob. */
static void
test_mention_without_space (void)
{
  const char *const members[] = { "bob", "carol", NULL };
  const char *const zhang_san[] = { "bob", NULL };
  const char *const zhang_sanfeng[] = { "carol", NULL };
  const char *const both[] = { "carol", "bob", NULL };
  g_autofree char *group_id = tim_test_create_group (alice, "Names", members);
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  TimchatComposer *composer;

  set_name_card (group_id, "bob", "张三");
  set_name_card (group_id, "carol", "张三丰");
  composer = new_composer (conversation_id);
  g_assert_true (tim_test_wait_until (is_laid_out, composer, 5000));
  g_assert_true (timchat_composer_focus_text (composer));

  choose_member (composer, "bob");
  assert_text (composer, "@张三 ");
  assert_sent_mentions (composer, "@张三你好", zhang_san);

  choose_member (composer, "bob");
  choose_member (composer, "carol");
  assert_text (composer, "@张三 @张三丰 ");
  assert_sent_mentions (composer, "@张三丰你好", zhang_sanfeng);

  choose_member (composer, "bob");
  choose_member (composer, "carol");
  assert_sent_mentions (composer, "@张三丰说@张三好", both);

  timchat_composer_set_conversation_id (composer, group_with_carol ());
  choose_member (composer, "bob");
  assert_text (composer, "@bob ");
  assert_sent_mentions (composer, "@bobby", NULL);
  close_composer (composer);
}

/* Editing a sent message */

/* alice's text to peer, sent, and peer's copy of it (from got, seen). */
static TimMessage *
sent_text (const char *to, TimConvType type, const char *text, GPtrArray *got, guint *seen,
           TimMessage **copy)
{
  TimMessage *message = tim_client_create_text_message (alice, to, type, text);
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_send (alice, message, &error));
  g_assert_no_error (error);
  *copy = next_of (got, seen, TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (*copy), ==, text);
  return message;
}

static gboolean
is_editing (gpointer composer)
{
  return timchat_composer_get_editing (composer) != NULL;
}

/* Refused while the user edits another message: the text waits with what was typed before the
 * edit, and is back in the composer when the edit ends; the edit is untouched. */
static void
test_refused_text_while_editing (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  TimMessage *copy;
  g_autoptr (TimMessage) message =
      sent_text ("bob", TIM_CONV_C2C, "to edit", bob_got, &bob_seen, &copy);
  g_autofree char *long_text = g_strnfill (13000, 'w');
  g_autofree char *both = g_strconcat (long_text, "\nbefore the edit", NULL);

  timchat_composer_set_text (composer, long_text);
  timchat_composer_send (composer);
  /* Before the answer: some typing, then an edit. */
  timchat_composer_set_text (composer, "before the edit");
  g_assert_true (timchat_composer_edit_message (composer, message));
  assert_text (composer, "to edit");
  g_assert_true (tim_test_wait_until (draft_kept, &(Draft){ "C2Cbob", both }, 5000));
  assert_text (composer, "to edit");
  g_assert_true (timchat_composer_get_editing (composer) == message);
  g_assert_true (press (composer, GDK_KEY_Escape, 0));
  g_assert_null (timchat_composer_get_editing (composer));
  assert_text (composer, both);
  timchat_composer_set_text (composer, "");
  close_composer (composer);
}

typedef struct
{
  TimMessage *message;
  const char *text;
} Says;

static gboolean
says_edited (gpointer data)
{
  Says *says = data;

  return g_strcmp0 (tim_message_get_text (says->message), says->text) == 0 &&
         tim_message_get_is_modified (says->message);
}

/* An edit the server refuses (too long) comes back in edit mode, after the typed draft came back
 * at once; nothing typed is lost. */
static void
test_edit_refused_comes_back (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  TimMessage *copy;
  g_autoptr (TimMessage) message =
      sent_text ("bob", TIM_CONV_C2C, "short", bob_got, &bob_seen, &copy);
  g_autofree char *long_text = g_strnfill (13000, 'e');

  timchat_composer_set_text (composer, "my draft");
  g_assert_true (timchat_composer_edit_message (composer, message));
  assert_text (composer, "short");
  timchat_composer_set_text (composer, long_text);
  timchat_composer_send (composer);
  g_assert_null (timchat_composer_get_editing (composer));
  assert_text (composer, "my draft");
  g_assert_true (tim_test_wait_until (is_editing, composer, 10000));
  g_assert_true (timchat_composer_get_editing (composer) == message);
  assert_text (composer, long_text);
  g_assert_cmpstr (tim_message_get_text (message), ==, "short");
  g_assert_false (tim_message_get_is_modified (copy));
  /* The bar's close button cancels, as Escape does. */
  g_signal_emit_by_name (
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Cancel Editing"),
      "clicked");
  g_assert_null (timchat_composer_get_editing (composer));
  assert_text (composer, "my draft");
  close_composer (composer);
}

/* Edited on another device first (a copy of the message at the old version): the edit loses
 * with 2480, the composer stays out of edit mode (the toast says why; the message shows the other
 * edit). */
static void
test_edit_conflict (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  TimMessage *copy;
  g_autoptr (TimMessage) message = sent_text ("bob", TIM_CONV_C2C, "v0", bob_got, &bob_seen, &copy);
  g_autoptr (JsonObject) record = _tim_message_to_record (message);
  g_autoptr (TimMessage) stale = _tim_message_new_from_record (record);
  g_autoptr (JsonObject) payload = json_object_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (payload, "text", "v1 from the phone");
  tim_client_modify_message_async (alice, message, payload, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_modify_message_finish (alice, tim_test_wait_result (&result), &error));
  g_assert_true (tim_test_wait_until (says_edited, &(Says){ copy, "v1 from the phone" }, 10000));

  timchat_composer_set_text (composer, "my draft");
  g_assert_true (timchat_composer_edit_message (composer, stale));
  assert_text (composer, "v0");
  timchat_composer_set_text (composer, "v1 from here");
  timchat_composer_send (composer);
  assert_text (composer, "my draft");
  g_assert_false (tim_test_wait_until (is_editing, composer, 1500));
  assert_text (composer, "my draft");
  g_assert_cmpstr (tim_message_get_text (copy), ==, "v1 from the phone");
  close_composer (composer);
}

/* Editing a group text: the @-list still completes a name, but an edit keeps the text only (the
 * mentions stay as sent). */
static void
test_edit_group_mention (void)
{
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);
  const char *group_id = NULL;
  TimMessage *copy;
  g_autoptr (TimMessage) message = NULL;

  tim_conv_parse_id (group_with_carol (), &group_id);
  message = sent_text (group_id, TIM_CONV_GROUP, "lunch?", bob_got, &bob_seen, &copy);
  g_assert_true (timchat_composer_edit_message (composer, message));
  type (composer, " @ca");
  assert_lists (popover, "carol");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  assert_text (composer, "lunch? @Carol-name ");
  g_assert_true (timchat_composer_get_editing (composer) == message);
  test_app_screenshot (gtk_widget_get_parent (GTK_WIDGET (composer)), "composer-editing.png");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  g_assert_null (timchat_composer_get_editing (composer));
  g_assert_true (tim_test_wait_until (says_edited, &(Says){ copy, "lunch? @Carol-name" }, 10000));
  assert_at_users (copy, NULL);
  close_composer (composer);
}

/* Replying */

/* bob's text to alice, and alice's copy of it (what her conversation with bob holds). */
static TimMessage *
from_bob (const char *text)
{
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (bob, "alice", TIM_CONV_C2C, text);

  return tim_test_send_and_receive (bob, alice, message);
}

/* The bar is the revealer around the "Cancel Reply" button. */
static gboolean
reply_bar_shown (TimchatComposer *composer)
{
  GtkWidget *button =
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Cancel Reply");
  GtkWidget *revealer = gtk_widget_get_ancestor (button, GTK_TYPE_REVEALER);

  g_assert_nonnull (revealer);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static gboolean
edit_bar_shown (TimchatComposer *composer)
{
  GtkWidget *button =
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Cancel Editing");

  return gtk_revealer_get_reveal_child (
      GTK_REVEALER (gtk_widget_get_ancestor (button, GTK_TYPE_REVEALER)));
}

/* What received quotes: the ID of the message (NULL when it quotes none). */
static char *
quoted_id (TimMessage *received)
{
  char *id = NULL;

  if (!tim_message_dup_reply (received, &id, NULL, NULL))
    return NULL;
  return id;
}

/* Escape (or the bar's close button) cancels: what is sent next quotes nothing; the typed text
 * stays as it was throughout. */
static void
test_reply_escape (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  g_autoptr (TimMessage) original = from_bob ("Are you coming?");
  g_autofree char *title =
      g_strdup_printf ("Replying to %s", tim_message_get_sender_name (original));
  g_autofree char *id = NULL;
  TimMessage *got;

  timchat_composer_set_text (composer, "my draft");
  g_assert_true (timchat_composer_reply_to (composer, original));
  g_assert_true (timchat_composer_get_replying (composer) == original);
  g_assert_true (reply_bar_shown (composer));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (composer), test_app_has_text, title));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_text, "Are you coming?"));
  assert_text (composer, "my draft");

  g_assert_true (press (composer, GDK_KEY_Escape, 0));
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_false (reply_bar_shown (composer));
  assert_text (composer, "my draft");
  /* Nothing left for Escape. */
  g_assert_false (press (composer, GDK_KEY_Escape, 0));

  timchat_composer_set_text (composer, "not a reply");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  got = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (got), ==, "not a reply");
  id = quoted_id (got);
  g_assert_null (id);

  /* The bar's close button does the same. */
  g_assert_true (timchat_composer_reply_to (composer, original));
  g_signal_emit_by_name (
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_tooltip, "Cancel Reply"),
      "clicked");
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_false (reply_bar_shown (composer));
  close_composer (composer);
  assert_nothing_sent ("after the cancelled reply");
}

/* A sticker or the die sent while replying quotes the message too, and ends reply mode. */
static void
test_reply_sticker_and_die (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  g_autoptr (TimMessage) original = from_bob ("Pick a number");
  g_autofree char *face_quotes = NULL;
  g_autofree char *die_quotes = NULL;
  g_autofree char *plain = NULL;

  g_assert_true (timchat_composer_reply_to (composer, original));
  timchat_composer_send_sticker (composer, 2);
  face_quotes = quoted_id (bob_next (TIM_ELEM_FACE));
  g_assert_cmpstr (face_quotes, ==, tim_message_get_id (original));
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_false (reply_bar_shown (composer));

  g_assert_true (timchat_composer_reply_to (composer, original));
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.roll-die", NULL);
  die_quotes = quoted_id (bob_next (TIM_ELEM_CUSTOM));
  g_assert_cmpstr (die_quotes, ==, tim_message_get_id (original));
  g_assert_null (timchat_composer_get_replying (composer));

  /* Once only: the next sticker is a plain one. */
  timchat_composer_send_sticker (composer, 1);
  plain = quoted_id (bob_next (TIM_ELEM_FACE));
  g_assert_null (plain);
  close_composer (composer);
}

/* Replying and editing exclude each other: each ends the other, the typed draft comes back as
 * edit mode ends; Up does not leave a reply for an edit. One's own message: "yourself". */
static void
test_reply_and_edit_exclusive (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  TimMessage *copy;
  g_autoptr (TimMessage) mine =
      sent_text ("bob", TIM_CONV_C2C, "my own words", bob_got, &bob_seen, &copy);
  g_autoptr (TimMessage) original = from_bob ("their words");

  timchat_composer_set_text (composer, "draft");
  g_assert_true (timchat_composer_reply_to (composer, original));
  g_assert_true (timchat_composer_edit_message (composer, mine));
  g_assert_true (timchat_composer_get_editing (composer) == mine);
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_false (reply_bar_shown (composer));
  g_assert_true (edit_bar_shown (composer));
  assert_text (composer, "my own words");

  g_assert_true (timchat_composer_reply_to (composer, original));
  g_assert_null (timchat_composer_get_editing (composer));
  g_assert_false (edit_bar_shown (composer));
  g_assert_true (reply_bar_shown (composer));
  g_assert_true (timchat_composer_get_replying (composer) == original);
  assert_text (composer, "draft");

  /* Up in an empty composer while replying: the cursor's, not "edit the last". */
  timchat_composer_set_text (composer, "");
  g_assert_false (press (composer, GDK_KEY_Up, 0));
  g_assert_null (timchat_composer_get_editing (composer));
  g_assert_true (timchat_composer_get_replying (composer) == original);

  g_assert_true (timchat_composer_reply_to (composer, mine));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_text, "Replying to yourself"));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (composer), test_app_has_text, "my own words"));
  timchat_composer_cancel_reply (composer);
  close_composer (composer);
}

/* A reply the server refuses (too long) comes back as a reply; a conversation switch, a
 * recalled or unsent original, or another conversation's message end or refuse reply mode. */
static void
test_reply_refused_and_refusals (void)
{
  TimchatComposer *composer = new_composer ("C2Cbob");
  g_autoptr (TimMessage) original = from_bob ("long story?");
  g_autoptr (TimMessage) unsent =
      tim_client_create_text_message (alice, "bob", TIM_CONV_C2C, "not sent");
  g_autofree char *long_text = g_strnfill (13000, 'r');

  g_assert_true (timchat_composer_reply_to (composer, original));
  timchat_composer_set_text (composer, long_text);
  timchat_composer_send (composer);
  assert_text (composer, "");
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_true (tim_test_wait_until (composer_holds, &(Holds){ composer, long_text }, 5000));
  g_assert_true (timchat_composer_get_replying (composer) == original);
  g_assert_true (reply_bar_shown (composer));
  timchat_composer_set_text (composer, "");

  timchat_composer_set_conversation_id (composer, "C2Ccarol");
  g_assert_null (timchat_composer_get_replying (composer));
  g_assert_false (reply_bar_shown (composer));
  g_assert_false (timchat_composer_reply_to (composer, original));
  timchat_composer_set_conversation_id (composer, "C2Cbob");
  g_assert_false (timchat_composer_reply_to (composer, unsent));
  g_assert_false (timchat_composer_can_reply_to (unsent));
  g_assert_true (timchat_composer_can_reply_to (original));
  close_composer (composer);
  assert_nothing_sent ("after the refused reply");
}

/* In a group, the open @-list keeps Escape (it closes the list, the reply stays); a reply that
 * mentions someone is both. */
static void
test_reply_group_mention (void)
{
  const char *const want[] = { "carol", NULL };
  TimchatComposer *composer = new_group_composer ();
  GtkWidget *popover = popover_of (composer);
  const char *group_id = NULL;
  TimMessage *copy, *got;
  g_autoptr (TimMessage) original = NULL;
  g_autofree char *quotes = NULL;

  tim_conv_parse_id (group_with_carol (), &group_id);
  original = sent_text (group_id, TIM_CONV_GROUP, "who is in?", bob_got, &bob_seen, &copy);
  g_assert_true (timchat_composer_reply_to (composer, original));
  type (composer, "me and @ca");
  assert_lists (popover, "carol");
  g_assert_true (press (composer, GDK_KEY_Escape, 0));
  assert_closed (popover);
  g_assert_true (timchat_composer_get_replying (composer) == original);
  g_assert_true (press (composer, GDK_KEY_Escape, 0));
  g_assert_null (timchat_composer_get_replying (composer));

  timchat_composer_set_text (composer, "");
  g_assert_true (timchat_composer_reply_to (composer, original));
  type (composer, "me and @ca");
  assert_lists (popover, "carol");
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  g_assert_true (press (composer, GDK_KEY_Return, 0));
  got = bob_next (TIM_ELEM_TEXT);
  g_assert_cmpstr (tim_message_get_text (got), ==, "me and @Carol-name");
  assert_at_users (got, want);
  quotes = quoted_id (got);
  g_assert_cmpstr (quotes, ==, tim_message_get_id (original));
  close_composer (composer);
}

int
main (int argc, char **argv)
{
  int status;

  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  alice = tim_test_client_new (fixture, base_dir, "alice");
  bob = tim_test_client_new (fixture, base_dir, "bob");
  bob_got = g_ptr_array_new_with_free_func (g_object_unref);
  tim_test_collect (bob, "message-received", bob_got);
  carol = tim_test_client_new (fixture, base_dir, "carol");
  carol_got = g_ptr_array_new_with_free_func (g_object_unref);
  tim_test_collect (carol, "message-received", carol_got);

  g_test_add_func ("/app/composer/enter-sends", test_enter_sends);
  g_test_add_func ("/app/composer/shift-enter-and-blank", test_shift_enter_and_blank);
  g_test_add_func ("/app/composer/refused-text-comes-back", test_refused_text_comes_back);
  g_test_add_func ("/app/composer/refused-text-goes-to-its-draft",
                   test_refused_text_goes_to_its_draft);
  g_test_add_func ("/app/composer/refused-text-while-editing", test_refused_text_while_editing);
  g_test_add_func ("/app/composer/ctrl-enter-setting", test_ctrl_enter_setting);
  g_test_add_func ("/app/composer/emoji-picker", test_emoji_picker);
  g_test_add_func ("/app/composer/sticker", test_sticker);
  g_test_add_func ("/app/composer/roll-die", test_roll_die);
  g_test_add_func ("/app/composer/grows", test_grows);
  g_test_add_func ("/app/composer/drafts", test_drafts);
  g_test_add_func ("/app/composer/draft-kept-while-typing", test_draft_kept_while_typing);
  g_test_add_func ("/app/composer/drafts-from-key-file", test_drafts_from_key_file);
  g_test_add_func ("/app/composer/voice-message", test_voice_message);
  g_test_add_func ("/app/composer/logout-while-sending", test_logout_while_sending);
  g_test_add_func ("/app/composer/group-priority", test_group_priority);
  g_test_add_func ("/app/composer/attach-file", test_attach_file);
  g_test_add_func ("/app/composer/mention-member", test_mention_member);
  g_test_add_func ("/app/composer/mention-everyone", test_mention_everyone);
  g_test_add_func ("/app/composer/mention-newcomer", test_mention_newcomer);
  g_test_add_func ("/app/composer/mention-refused-comes-back", test_mention_refused_comes_back);
  g_test_add_func ("/app/composer/mention-deleted", test_mention_deleted);
  g_test_add_func ("/app/composer/mention-click", test_mention_click);
  g_test_add_func ("/app/composer/mention-escape", test_mention_escape);
  g_test_add_func ("/app/composer/mention-not-in-c2c", test_mention_not_in_c2c);
  g_test_add_func ("/app/composer/mention-forgotten-on-switch", test_mention_forgotten_on_switch);
  g_test_add_func ("/app/composer/mention-without-space", test_mention_without_space);
  g_test_add_func ("/app/composer/edit-refused-comes-back", test_edit_refused_comes_back);
  g_test_add_func ("/app/composer/edit-conflict", test_edit_conflict);
  g_test_add_func ("/app/composer/edit-group-mention", test_edit_group_mention);
  g_test_add_func ("/app/composer/reply-escape", test_reply_escape);
  g_test_add_func ("/app/composer/reply-sticker-and-die", test_reply_sticker_and_die);
  g_test_add_func ("/app/composer/reply-and-edit-exclusive", test_reply_and_edit_exclusive);
  g_test_add_func ("/app/composer/reply-refused-and-refusals", test_reply_refused_and_refusals);
  g_test_add_func ("/app/composer/reply-group-mention", test_reply_group_mention);
  status = g_test_run ();

  g_clear_object (&alice);
  g_clear_object (&bob);
  g_ptr_array_unref (bob_got);
  g_clear_object (&carol);
  g_ptr_array_unref (carol_got);
  g_free (mention_group);
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
