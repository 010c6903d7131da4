/* test-app-composer.c: the composer against the real server: Enter sends what the peer
 * receives, Shift+Enter and blank text send nothing, emoji tokens, stickers, the die, drafts per
 * conversation (and across a new composer), group priority, and what the attach choosers lead
 * to. Set TIMCHAT_SCREENSHOT_DIR to keep PNGs of the widgets. */
#define G_LOG_DOMAIN "test-app-composer"

#include "config.h"

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-resources.h"
#include "tim-text.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-emoji-picker.h"

static TimchatFixture *fixture;
static char *base_dir;
static TimClient *alice;
static TimClient *bob;
static GPtrArray *bob_got;
static guint bob_seen; /* bob_got before this index has been looked at */

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

static gboolean
bob_has_more (gpointer data)
{
  return bob_got->len > bob_seen;
}

/* The next message bob receives of type (others, such as group tips, are skipped). */
static TimMessage *
bob_next (TimElemType type)
{
  for (;;)
    {
      TimMessage *message;

      if (!tim_test_wait_until (bob_has_more, NULL, 10000))
        g_error ("bob received no message of type %d", type);
      message = bob_got->pdata[bob_seen++];
      if (tim_message_get_elem_type (message) == type)
        return message;
    }
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

  /* Kept on disk: a new composer (the app restarted) finds it. */
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

static int
entry_height_for (TimchatComposer *composer, const char *text)
{
  GtkWidget *scroller = find_type (GTK_WIDGET (composer), GTK_TYPE_OVERLAY);

  timchat_composer_set_text (composer, text);
  timchat_test_spin (300);
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

  g_test_add_func ("/app/composer/enter-sends", test_enter_sends);
  g_test_add_func ("/app/composer/shift-enter-and-blank", test_shift_enter_and_blank);
  g_test_add_func ("/app/composer/refused-text-comes-back", test_refused_text_comes_back);
  g_test_add_func ("/app/composer/ctrl-enter-setting", test_ctrl_enter_setting);
  g_test_add_func ("/app/composer/emoji-picker", test_emoji_picker);
  g_test_add_func ("/app/composer/sticker", test_sticker);
  g_test_add_func ("/app/composer/roll-die", test_roll_die);
  g_test_add_func ("/app/composer/grows", test_grows);
  g_test_add_func ("/app/composer/drafts", test_drafts);
  g_test_add_func ("/app/composer/group-priority", test_group_priority);
  g_test_add_func ("/app/composer/attach-file", test_attach_file);
  status = g_test_run ();

  g_clear_object (&alice);
  g_clear_object (&bob);
  g_ptr_array_unref (bob_got);
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
