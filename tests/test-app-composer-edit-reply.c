/* test-app-composer-edit-reply.c: editing a sent message and replying in the composer, against
 * the real server: a text refused while editing, a refused edit comes back, one that lost to
 * another device's does not, mentions while editing; Escape, stickers and the die as replies,
 * replying and editing exclusive, a refused reply comes back. Split from test-app-composer.c (by
 * what the composer sends) to keep each program short; one server and one Xvfb per program.
 * Set TIMCHAT_SCREENSHOT_DIR to keep PNGs of the widgets. */
#define G_LOG_DOMAIN "test-app-composer-edit-reply"

#include "config.h"

#include <adwaita.h>

#include "test-app-composer-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "tim-message-private.h"
#include "timchat-composer.h"
#include "timchat-test-proxy.h"

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

/* As the window's end of a session, from the main loop (Log Out's click): libtim ends the
 * requests under way inside the logout, and their callbacks run there. */
typedef struct
{
  TimchatComposer *composer;
  TimClient *client;
} Session;

static void
end_session (gpointer data)
{
  Session *session = data;

  timchat_composer_set_conversation_id (session->composer, NULL);
  tim_client_logout (session->client);
}

/* Log Out while an edit is on its way (as the window's end of a session does it: the conversation
 * closes, keeping what was typed as its draft, then the client logs out): libtim ends the edit
 * cancelled, and its text is not given back. It went into the conversation's draft through the
 * client logging out, and the next login showed it there beside the message the server had
 * edited with it: sent again, it went twice. The draft stays what was typed. */
static void
test_edit_then_log_out (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "edna", NULL);
  g_autoptr (TimClient) edna = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *draft = NULL;
  g_autoptr (GPtrArray) messages = NULL;
  TimMessage *edited = NULL;
  TimchatComposer *composer = new_composer (NULL);

  tim_test_client_login (fixture, edna, "edna");
  message = tim_client_create_text_message (edna, "bob", TIM_CONV_C2C, "before");
  g_assert_true (tim_test_send (edna, message, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, "before");
  timchat_composer_set_client (composer, edna);
  timchat_composer_set_conversation_id (composer, "C2Cbob");
  timchat_composer_set_text (composer, "typed");
  g_assert_true (timchat_composer_edit_message (composer, message));
  timchat_composer_set_text (composer, "after");
  /* The server edits it; its answer never comes. */
  timchat_test_proxy_drop_answers (proxy, "openim.modify_c2c_msg");
  timchat_composer_send (composer);
  assert_text (composer, "typed");
  timchat_test_spin (500);

  g_idle_add_once (end_session, &(Session){ composer, edna });
  timchat_test_spin (500);
  g_assert_null (timchat_composer_get_editing (composer));
  timchat_composer_set_client (composer, NULL);
  timchat_test_proxy_drop_answers (proxy, NULL);
  tim_test_client_login (fixture, edna, "edna");
  draft = tim_client_dup_conversation_draft (edna, "C2Cbob");
  g_assert_cmpstr (draft, ==, "typed");
  /* The server has the edit. */
  messages = tim_test_get_messages (edna, "C2Cbob", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < messages->len; i++)
    if (g_strcmp0 (tim_message_get_id (messages->pdata[i]), tim_message_get_id (message)) == 0)
      edited = messages->pdata[i];
  g_assert_nonnull (edited);
  g_assert_cmpstr (tim_message_get_text (edited), ==, "after");
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
  test_composer_init (&argc, &argv);
  g_test_add_func ("/app/composer/refused-text-while-editing", test_refused_text_while_editing);
  g_test_add_func ("/app/composer/edit-refused-comes-back", test_edit_refused_comes_back);
  g_test_add_func ("/app/composer/edit-conflict", test_edit_conflict);
  g_test_add_func ("/app/composer/edit-then-log-out", test_edit_then_log_out);
  g_test_add_func ("/app/composer/edit-group-mention", test_edit_group_mention);
  g_test_add_func ("/app/composer/reply-escape", test_reply_escape);
  g_test_add_func ("/app/composer/reply-sticker-and-die", test_reply_sticker_and_die);
  g_test_add_func ("/app/composer/reply-and-edit-exclusive", test_reply_and_edit_exclusive);
  g_test_add_func ("/app/composer/reply-refused-and-refusals", test_reply_refused_and_refusals);
  g_test_add_func ("/app/composer/reply-group-mention", test_reply_group_mention);
  return test_composer_run ();
}
