/* test-tim-delete-messages.c: deleting messages for oneself (deleteMessage) through libtim and
 * the real server: gone from this device's list, store and the conversation's last message, and
 * from a new device's history; the peer keeps them; a group's too; an unsent one goes from here
 * only; bad calls refused before anything is sent; one deleted while it waits to be sent never
 * goes out. The user's other devices drop their copies: one online at once, one away when it comes
 * back. A message excluded from the last message stays so when the one after it goes; the
 * conversation takes its place in the list by its new last message. Deleting a conversation takes
 * its unread count with it. Split from test-tim-delete.c (by theme: deleting here, clearing a
 * history in test-tim-delete-history.c) to keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-tim-delete-messages"

#include "config.h"

#include "test-tim-delete-common.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
delete_messages (TimClient *client, GPtrArray *messages, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_delete_messages_async (client, messages, NULL, tim_test_keep_result, &result);
  return tim_client_delete_messages_finish (client, tim_test_wait_result (&result), error);
}

static guint
unread_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  return conversation != NULL ? tim_conversation_get_unread_count (conversation) : G_MAXUINT;
}

static gboolean
last_is_two (gpointer client)
{
  return g_strcmp0 (last_text (client, "C2Cjon"), "two") == 0;
}

static void
test_delete (void)
{
  const char *texts[] = { "one", "two", "three" };
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop", NULL);
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  TimMessageList *list;
  g_autofree char *before = NULL, *after = NULL, *on_laptop = NULL, *for_jon = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (jon, "ivy", TIM_CONV_C2C, texts[i]);

      g_ptr_array_add (received, tim_test_send_and_receive (jon, ivy, sent));
    }
  list = tim_client_get_message_list (ivy, "C2Cjon");
  load_page (list);
  before = list_texts (list);
  g_assert_cmpstr (before, ==, "one two three");

  /* "three" (the last message) and "one": "two" is left, and is the last message now. */
  g_ptr_array_add (doomed, received->pdata[2]);
  g_ptr_array_add (doomed, received->pdata[0]);
  g_assert_true (delete_messages (ivy, doomed, &error));
  g_assert_no_error (error);
  after = list_texts (list);
  g_assert_cmpstr (after, ==, "two");
  g_assert_cmpstr (last_text (ivy, "C2Cjon"), ==, "two");
  /* Read on the way: nothing unread is left where nobody can see it. */
  g_assert_cmpuint (unread_of (ivy, "C2Cjon"), ==, 0);

  /* Another device of ivy's: the server's list shows "two" last, nothing unread, and its
   * history has "two" only. The peer keeps all. */
  {
    g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "ivy");

    g_assert_true (tim_test_wait_until (last_is_two, laptop, 10000));
    g_assert_cmpuint (unread_of (laptop, "C2Cjon"), ==, 0);
    on_laptop = texts_of (laptop, "C2Cjon");
    g_assert_cmpstr (on_laptop, ==, "two");
  }
  for_jon = texts_of (jon, "C2Civy");
  g_assert_cmpstr (for_jon, ==, "one two three");
}

static void
test_delete_group_and_unsent (void)
{
  const char *members[] = { "lou", NULL };
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop-kim", NULL);
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autofree char *group_id = tim_test_create_group (kim, "Deletes", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) said =
      tim_client_create_text_message (kim, group_id, TIM_CONV_GROUP, "said");
  g_autoptr (TimMessage) kept =
      tim_client_create_text_message (kim, group_id, TIM_CONV_GROUP, "kept");
  g_autoptr (TimMessage) never = tim_client_create_text_message (kim, "lou", TIM_CONV_C2C, "never");
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
  g_autoptr (GPtrArray) too_many = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree char *on_laptop = NULL, *for_lou = NULL;

  g_assert_true (tim_test_send (kim, said, &error));
  g_assert_true (tim_test_send (kim, kept, &error));
  g_assert_no_error (error);
  g_ptr_array_add (doomed, said);
  g_assert_true (delete_messages (kim, doomed, &error));
  g_assert_no_error (error);
  {
    g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "kim");

    on_laptop = texts_of (laptop, group);
    g_assert_cmpstr (on_laptop, ==, "kept");
  }
  for_lou = texts_of (lou, group);
  g_assert_cmpstr (for_lou, ==, "said kept");

  /* Never sent: nothing to ask the server. */
  g_ptr_array_set_size (doomed, 0);
  g_ptr_array_add (doomed, never);
  g_assert_true (delete_messages (kim, doomed, &error));
  g_assert_no_error (error);

  /* Refused before anything is sent: none, over 30, two conversations, Group Notices. */
  g_ptr_array_set_size (doomed, 0);
  g_assert_false (delete_messages (kim, doomed, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  for (guint i = 0; i < 31; i++)
    g_ptr_array_add (too_many, tim_client_create_text_message (kim, "lou", TIM_CONV_C2C, "x"));
  g_assert_false (delete_messages (kim, too_many, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_ptr_array_add (doomed, kept);
  g_ptr_array_add (doomed, never);
  g_assert_false (delete_messages (kim, doomed, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  {
    g_autoptr (GPtrArray) notices =
        tim_test_get_messages (lou, TIM_SYSTEM_CONVERSATION_ID, NULL, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (notices->len, >, 0);
    g_assert_false (delete_messages (lou, notices, &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_CANNOT_DELETE_GROUP_SYSTEM_NOTICE);
  }
}

static gboolean
received_three (gpointer data)
{
  return found_here (data, "fruit") == 3;
}

/* Deleted on the phone: the laptop, online, drops its copies at once (its list, its store, the
 * conversation's last message), a group message too; the tablet, away meanwhile, drops them
 * when it is back. */
static void
test_delete_on_other_devices (void)
{
  const char *members[] = { "oak", NULL };
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone-oak", NULL);
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop-oak", NULL);
  g_autofree char *tablet_dir = g_build_filename (base_dir, "tablet-oak", NULL);
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "oak");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "oak");
  g_autoptr (TimClient) tablet = tim_test_client_new (fixture, tablet_dir, "oak");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "pia");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = tim_test_create_group (pia, "Orchard", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) in_group =
      tim_client_create_text_message (pia, group_id, TIM_CONV_GROUP, "group grape juice");
  g_autoptr (TimMessage) group_copy = NULL;
  const char *texts[] = { "apple fruit", "banana fruit", "cherry fruit" };
  g_autoptr (GPtrArray) deleted_here = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) deleted_there = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) cherry_there = NULL;
  gulong collecting_here, collecting_there;
  TimMessageList *list;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (pia, "oak", TIM_CONV_C2C, texts[i]);

      g_ptr_array_add (received, tim_test_send_and_receive (pia, phone, sent));
    }
  group_copy = tim_test_send_and_receive (pia, phone, in_group);
  g_assert_true (tim_test_wait_until (received_three, laptop, 10000));
  g_assert_true (tim_test_wait_until (received_three, tablet, 10000));
  g_assert_true (tim_test_wait_until (found_here_is, &(Here){ laptop, "grape", 1 }, 10000));
  list = tim_client_get_message_list (laptop, "C2Cpia");
  load_page (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  cherry_there = g_list_model_get_item (G_LIST_MODEL (list), 2);
  g_assert_cmpstr (tim_message_get_text (cherry_there), ==, "cherry fruit");
  collecting_here = tim_test_collect (phone, "message-deleted", deleted_here);
  collecting_there = tim_test_collect (laptop, "message-deleted", deleted_there);

  /* The tablet goes away. */
  g_clear_object (&tablet);

  /* On the phone: "cherry" (the last) and "apple", then the group's. */
  g_ptr_array_add (doomed, received->pdata[2]);
  g_ptr_array_add (doomed, received->pdata[0]);
  g_assert_true (delete_messages (phone, doomed, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (doomed, 0);
  g_ptr_array_add (doomed, group_copy);
  g_assert_true (delete_messages (phone, doomed, &error));
  g_assert_no_error (error);

  /* The laptop, online. */
  g_assert_true (tim_test_wait_until (found_here_is, &(Here){ laptop, "fruit", 1 }, 10000));
  g_assert_cmpuint (found_here (laptop, "banana"), ==, 1);
  g_assert_cmpuint (found_here (laptop, "grape"), ==, 0);
  {
    g_autofree char *shown = list_texts (list);

    g_assert_cmpstr (shown, ==, "banana fruit");
  }
  g_assert_cmpstr (last_text (laptop, "C2Cpia"), ==, "banana fruit");
  g_assert_cmpstr (last_text (laptop, group), !=, "group grape juice");
  /* "message-deleted" on both: here the messages deleted, there the instances its list held. */
  g_assert_true (tim_test_wait_count (deleted_there, 3, 5000));
  g_assert_true (deleted_there->pdata[0] == cherry_there);
  g_assert_cmpstr (tim_message_get_text (deleted_there->pdata[1]), ==, "apple fruit");
  g_assert_cmpstr (tim_message_get_text (deleted_there->pdata[2]), ==, "group grape juice");
  g_assert_cmpuint (deleted_here->len, ==, 3);
  g_assert_true (deleted_here->pdata[0] == received->pdata[2]);
  g_signal_handler_disconnect (phone, collecting_here);
  g_signal_handler_disconnect (laptop, collecting_there);

  /* The tablet, back: its sync brings the deletions. */
  tablet = tim_test_client_new (fixture, tablet_dir, "oak");
  g_assert_true (tim_test_wait_until (found_here_is, &(Here){ tablet, "fruit", 1 }, 10000));
  g_assert_cmpuint (found_here (tablet, "banana"), ==, 1);
  g_assert_cmpuint (found_here (tablet, "grape"), ==, 0);

  /* The peer keeps them all. */
  g_assert_cmpuint (found_here (pia, "fruit"), ==, 3);
  g_assert_cmpuint (found_here (pia, "grape"), ==, 1);
}

/* Deleted while it waits to be sent (the server away): its send ends as cancelled and it never
 * goes out, not when the server is back, not after the next message. */
static void
test_delete_queued (void)
{
  g_autoptr (TimClient) mel = tim_test_client_new (fixture, base_dir, "mel");
  g_autoptr (TimClient) ned = tim_test_client_new (fixture, base_dir, "ned");
  g_autoptr (TimMessage) queued =
      tim_client_create_text_message (mel, "ned", TIM_CONV_C2C, "never mind");
  g_autoptr (TimMessage) later = tim_client_create_text_message (mel, "ned", TIM_CONV_C2C, "later");
  g_autoptr (TimMessage) received = NULL;
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *for_ned = NULL;

  timchat_fixture_stop (fixture);
  tim_client_send_message_async (mel, queued, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  timchat_test_spin (300);
  g_ptr_array_add (doomed, queued);
  g_assert_true (delete_messages (mel, doomed, &error));
  g_assert_no_error (error);
  g_assert_false (tim_client_send_message_finish (mel, tim_test_wait_result (&sent), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  timchat_fixture_restart (fixture);
  received = tim_test_send_and_receive (mel, ned, later);
  for_ned = texts_of (ned, "C2Cmel");
  g_assert_cmpstr (for_ned, ==, "later");
}

/* A message its sender excluded from the last message (NoLastMsg) does not become the last one
 * when the message after it is deleted: the one before it does, on both sides. */
static void
test_delete_after_excluded (void)
{
  g_autoptr (TimClient) ida = tim_test_client_new (fixture, base_dir, "dx-ida");
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "dx-jon");
  g_autoptr (TimSendOptions) options = tim_send_options_new ();
  g_autoptr (TimMessage) before =
      tim_client_create_text_message (ida, "dx-jon", TIM_CONV_C2C, "before");
  g_autoptr (TimMessage) quiet =
      tim_client_create_text_message (ida, "dx-jon", TIM_CONV_C2C, "quiet");
  g_autoptr (TimMessage) after =
      tim_client_create_text_message (ida, "dx-jon", TIM_CONV_C2C, "after");
  g_autoptr (TimMessage) received_before = NULL;
  g_autoptr (TimMessage) received_after = NULL;
  g_autoptr (GPtrArray) jon_deletes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) ida_deletes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  TimConversation *at_jon;
  TimConversation *at_ida;

  options->exclude_from_last_message = TRUE;
  received_before = tim_test_send_and_receive (ida, jon, before);
  g_assert_true (tim_test_send_with_options (ida, quiet, options, &error));
  g_assert_no_error (error);
  /* In order on one socket: when "after" is there, so is "quiet". */
  received_after = tim_test_send_and_receive (ida, jon, after);
  at_jon = tim_conversation_list_lookup (tim_client_get_conversations (jon), "C2Cdx-ida");
  at_ida = tim_conversation_list_lookup (tim_client_get_conversations (ida), "C2Cdx-jon");
  g_assert_cmpstr (tim_conversation_get_message_for_show (at_jon), ==, "after");

  g_ptr_array_add (jon_deletes, g_object_ref (received_after));
  g_assert_true (delete_messages (jon, jon_deletes, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tim_conversation_get_message_for_show (at_jon), ==, "before");
  g_ptr_array_add (ida_deletes, g_object_ref (after));
  g_assert_true (delete_messages (ida, ida_deletes, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tim_conversation_get_message_for_show (at_ida), ==, "before");
}

/* The IDs of client's listed conversations, in the list's order, " "-joined. */
static char *
listed_order (TimClient *client)
{
  GListModel *list = G_LIST_MODEL (tim_client_get_conversations (client));
  g_autoptr (GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      g_string_append_printf (ids, "%s%s", ids->len ? " " : "",
                              tim_conversation_get_id (conversation));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static gboolean
lists_kim_first (gpointer client)
{
  g_autofree char *now = listed_order (client);

  return g_str_equal (now, "C2Cdo-kim C2Cdo-jon");
}

/* Deleting a conversation's newest message makes an older one its last: the conversation takes
 * its place by that one's time, below a conversation whose last message is newer, as a restart
 * or another device of the user lists it. It stayed on top (its last time older than the one
 * below it), and the list was no longer in order. */
static void
test_delete_reorders (void)
{
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop-do", NULL);
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "do-ivy");
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "do-jon");
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "do-kim");
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (TimMessage) old = tim_client_create_text_message (jon, "do-ivy", TIM_CONV_C2C, "old");
  g_autoptr (TimMessage) middle =
      tim_client_create_text_message (kim, "do-ivy", TIM_CONV_C2C, "middle");
  g_autoptr (TimMessage) newest =
      tim_client_create_text_message (jon, "do-ivy", TIM_CONV_C2C, "newest");
  g_autoptr (TimMessage) got_old = NULL;
  g_autoptr (TimMessage) got_middle = NULL;
  g_autoptr (TimMessage) got_newest = NULL;
  g_autoptr (GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;

  /* Times are seconds: each message in a second of its own. */
  got_old = tim_test_send_and_receive (jon, ivy, old);
  timchat_test_spin (1100);
  got_middle = tim_test_send_and_receive (kim, ivy, middle);
  timchat_test_spin (1100);
  got_newest = tim_test_send_and_receive (jon, ivy, newest);
  before = listed_order (ivy);
  g_assert_cmpstr (before, ==, "C2Cdo-jon C2Cdo-kim");

  g_ptr_array_add (doomed, g_object_ref (got_newest));
  g_assert_true (delete_messages (ivy, doomed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_text (ivy, "C2Cdo-jon"), ==, "old");
  after = listed_order (ivy);
  g_assert_cmpstr (after, ==, "C2Cdo-kim C2Cdo-jon");

  /* Another device of ivy's lists them so too. */
  laptop = tim_test_client_new (fixture, laptop_dir, "do-ivy");
  g_assert_true (tim_test_wait_until (lists_kim_first, laptop, 10000));
}

/* A conversation deleted with unread messages comes back with the next message and only that one
 * unread: here, and on another device of the user's, which takes the server's count. */
static void
test_conversation_comes_back_unread (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone-cb-ana", NULL);
  g_autoptr (TimClient) ana = tim_test_client_new (fixture, base_dir, "cb-ana");
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "cb-ben");
  g_autoptr (TimClient) phone = NULL;
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText before = { ana, "C2Ccb-ben", "before 003" };
  TimTestLastText after = { ana, "C2Ccb-ben", "after" };

  tim_test_send_texts (ben, "cb-ana", 3, "before");
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &before, 5000));
  g_assert_cmpuint (tim_test_unread_of (ana, "C2Ccb-ben"), ==, 3);
  tim_client_delete_conversation_async (ana, "C2Ccb-ben", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (ana, tim_test_wait_result (&deleted), &error));
  g_assert_no_error (error);

  tim_test_send_text (ben, "cb-ana", "after");
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &after, 5000));
  g_assert_cmpuint (tim_test_unread_of (ana, "C2Ccb-ben"), ==, 1);
  phone = tim_test_client_new (fixture, phone_dir, "cb-ana");
  g_assert_cmpuint (tim_test_unread_of (phone, "C2Ccb-ben"), ==, 1);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/delete/delete", test_delete);
  g_test_add_func ("/tim/delete/group-and-unsent", test_delete_group_and_unsent);
  g_test_add_func ("/tim/delete/queued", test_delete_queued);
  g_test_add_func ("/tim/delete/on-other-devices", test_delete_on_other_devices);
  g_test_add_func ("/tim/delete/after-excluded", test_delete_after_excluded);
  g_test_add_func ("/tim/delete/reorders", test_delete_reorders);
  g_test_add_func ("/tim/delete/conversation-comes-back-unread",
                   test_conversation_comes_back_unread);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
