/* test-app-composer-mentions.c: the composer's group @-mentions against the real server: the
 * member list, its keys and clicks, newcomers, Everyone, what is sent (a refused text comes back
 * with its mentions), and names written without a space after them. Split from
 * test-app-composer.c (by what the composer sends) to keep each program short; one server and
 * one Xvfb per program.
 * Set TIMCHAT_SCREENSHOT_DIR to keep PNGs of the widgets. */
#define G_LOG_DOMAIN "test-app-composer-mentions"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-composer-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "tim-text.h"
#include "timchat-composer.h"

/* @-mentions */

/* Backspace: the character before the cursor goes, as the text view deletes it. */
static void
backspace (TimchatComposer *composer)
{
  GtkTextBuffer *buffer = buffer_of (composer);
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_true (gtk_text_buffer_backspace (buffer, &cursor, TRUE, TRUE));
}

/* What "@" alone lists in group_with_carol (): Everyone, then the members in the server's order
 * (by name), not alice herself. */
#define EVERYONE_AND_OTHERS TIM_AT_ALL ",bob,carol"

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

int
main (int argc, char **argv)
{
  test_composer_init (&argc, &argv);
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
  return test_composer_run ();
}
