/* test-tim-delete.c: deleting messages for oneself (deleteMessage) through libtim and the real
 * server: gone from this device's list, store and the conversation's last message, and from a
 * new device's history; the peer keeps them; a group's too; an unsent one goes from here only;
 * bad calls refused before anything is sent. The user's other devices drop their copies: one
 * online at once, one away when it comes back. Clearing a conversation's history
 * (clearHistoryMessage) does the same for all of it. A message excluded from the last message
 * stays so when the one after it goes. Deleting a conversation takes its unread count with it.
 * A message read in the same batch as the notice that forgets it goes with the others. */
#define G_LOG_DOMAIN "test-tim-delete"

#include "config.h"

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-client.h"
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

/* The texts of a conversation's history as client pages it, oldest first, " "-joined. */
static char *
texts_of (TimClient *client, const char *conversation_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) page =
      tim_test_get_messages (client, conversation_id, NULL, NULL, NULL, &error);
  g_autoptr (GString) texts = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    if (tim_message_get_elem_type (page->pdata[i]) == TIM_ELEM_TEXT)
      g_string_append_printf (texts, "%s%s", texts->len ? " " : "",
                              tim_message_get_text (page->pdata[i]));
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* Loads list's next older page, as a view scrolled to its top would. */
static void
load_page (TimMessageList *list)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_message_list_load_older_async (list, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_message_list_load_older_finish (list, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static char *
list_texts (TimMessageList *list)
{
  g_autoptr (GString) texts = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (texts, "%s%s", texts->len ? " " : "", tim_message_get_text (message));
    }
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

static const char *
last_text (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);
  TimMessage *last = conversation ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL ? tim_message_get_text (last) : NULL;
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

/* How many messages client's device has that say keyword (its local search). */
static guint
found_here (TimClient *client, const char *keyword)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_search_messages_async (client, NULL, keyword, 0, NULL, tim_test_keep_result, &result);
  found = tim_client_search_messages_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return found->len;
}

typedef struct
{
  TimClient *client;
  const char *keyword;
  guint count;
} Here;

static gboolean
found_here_is (gpointer data)
{
  Here *here = data;

  return found_here (here->client, here->keyword) == here->count;
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

static gboolean
clear_history (TimClient *client, const char *conversation_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_clear_history_async (client, conversation_id, NULL, tim_test_keep_result, &result);
  return tim_client_clear_history_finish (client, tim_test_wait_result (&result), error);
}

static gboolean
list_is_empty (gpointer list)
{
  return g_list_model_get_n_items (list) == 0;
}

/* The Group Notices list of client has one (loaded). */
static gboolean
found_system_notice (gpointer client)
{
  TimMessageList *notices = tim_client_get_message_list (client, TIM_SYSTEM_CONVERSATION_ID);

  if (g_list_model_get_n_items (G_LIST_MODEL (notices)) == 0 &&
      !tim_message_list_get_is_loading (notices))
    tim_message_list_load_older_async (notices, NULL, NULL, NULL);
  return g_list_model_get_n_items (G_LIST_MODEL (notices)) > 0;
}

/* Cleared on the phone: its history of the conversation is gone (list, store, last message,
 * unread), the conversation stays; the laptop drops it too, the peer keeps it; what comes next
 * is all a new device pages in. */
static void
test_clear_history (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone-rex", NULL);
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop-rex", NULL);
  g_autofree char *tablet_dir = g_build_filename (base_dir, "tablet-rex", NULL);
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "rex");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "rex");
  g_autoptr (TimClient) sue = tim_test_client_new (fixture, base_dir, "sue");
  g_autoptr (GPtrArray) cleared_there = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) after = NULL;
  g_autoptr (GError) error = NULL;
  const char *texts[] = { "one fig", "two fig", "three fig" };
  TimMessageList *phone_list, *laptop_list;
  TimConversation *conversation;
  gulong collecting;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (sue, "rex", TIM_CONV_C2C, texts[i]);
      g_autoptr (TimMessage) got = tim_test_send_and_receive (sue, phone, sent);
    }
  g_assert_true (tim_test_wait_until (found_here_is, &(Here){ laptop, "fig", 3 }, 10000));
  phone_list = tim_client_get_message_list (phone, "C2Csue");
  laptop_list = tim_client_get_message_list (laptop, "C2Csue");
  load_page (phone_list);
  load_page (laptop_list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (phone_list)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (laptop_list)), ==, 3);
  collecting = tim_test_collect (laptop, "message-deleted", cleared_there);

  g_assert_true (clear_history (phone, "C2Csue", &error));
  g_assert_no_error (error);
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (phone), "C2Csue");
  g_assert_nonnull (conversation); /* it stays in the list */
  g_assert_null (tim_conversation_get_last_message (conversation));
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (phone_list)), ==, 0);
  g_assert_cmpuint (found_here (phone, "fig"), ==, 0);

  /* The laptop, online: the same, and the messages its list held are announced. */
  g_assert_true (tim_test_wait_until (list_is_empty, laptop_list, 10000));
  g_assert_cmpuint (found_here (laptop, "fig"), ==, 0);
  g_assert_null (last_text (laptop, "C2Csue"));
  g_assert_cmpuint (cleared_there->len, ==, 3);
  g_signal_handler_disconnect (laptop, collecting);
  /* The peer keeps all. */
  g_assert_cmpuint (found_here (sue, "fig"), ==, 3);

  /* What comes next is history again: for a new device, all there is. */
  {
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (sue, "rex", TIM_CONV_C2C, "four fig");

    after = tim_test_send_and_receive (sue, phone, sent);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (phone_list)), ==, 1);
  {
    g_autoptr (TimClient) tablet = tim_test_client_new (fixture, tablet_dir, "rex");
    g_autofree char *paged = texts_of (tablet, "C2Csue");

    g_assert_cmpstr (paged, ==, "four fig");
  }

  /* A group's: the same. */
  {
    const char *members[] = { "rex", NULL };
    g_autofree char *group_id = tim_test_create_group (sue, "Figs", members);
    g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (sue, group_id, TIM_CONV_GROUP, "group fig jam");
    g_autoptr (TimMessage) got = tim_test_send_and_receive (sue, phone, sent);
    TimMessageList *group_list = tim_client_get_message_list (phone, group);

    load_page (group_list);
    g_assert_cmpuint (found_here (phone, "fig jam"), ==, 1);
    g_assert_true (clear_history (phone, group, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (found_here (phone, "fig jam"), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (group_list)), ==, 0);
    g_assert_null (last_text (phone, group));
    g_assert_cmpuint (found_here (sue, "fig jam"), ==, 1);
  }

  /* Group Notices: on this device only, all of them. */
  {
    const char *members[] = { "rex", NULL };
    g_autofree char *group_id = tim_test_create_group (sue, "Notices", members);
    TimMessageList *notices = tim_client_get_message_list (phone, TIM_SYSTEM_CONVERSATION_ID);

    /* Open, as the app has it: the notices it shows go too. */
    load_page (notices);
    g_assert_true (tim_test_wait_until (found_system_notice, phone, 10000));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (notices)), >, 0);
    g_assert_true (clear_history (phone, TIM_SYSTEM_CONVERSATION_ID, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (notices)), ==, 0);
    g_assert_null (last_text (phone, TIM_SYSTEM_CONVERSATION_ID));
    g_assert_null (tim_conversation_get_last_message (tim_conversation_list_lookup (
        tim_client_get_conversations (phone), TIM_SYSTEM_CONVERSATION_ID)));
  }

  g_assert_false (clear_history (phone, "C2Cnobody-here", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (clear_history (phone, "nonsense", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID);
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

/* ria clears her history with sal on another device while this one opens the conversation: the
 * notice is already on the socket when the list reads its newest page from the local store. The
 * list shows nothing cleared, and has nothing it cannot read back. */
static void
test_cleared_while_paging (void)
{
  g_autoptr (TimClient) ria = tim_test_client_new (fixture, base_dir, "ria");
  g_autoptr (TimClient) sal = tim_test_client_new (fixture, base_dir, "sal");
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (GError) error = NULL;
  TimchatTestClient *other;
  TimMessageList *list;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("plum %u", i);
      g_autoptr (TimMessage) sent = tim_client_create_text_message (sal, "ria", TIM_CONV_C2C, text);
      g_autoptr (TimMessage) got = tim_test_send_and_receive (sal, ria, sent);
    }
  list = tim_client_get_message_list (ria, "C2Csal");

  /* The other device runs on a context of its own: ria's client reads nothing meanwhile. */
  g_main_context_push_thread_default (context);
  other = timchat_test_client_new (fixture, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_client_login (other, "ria", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_client_request_printf (
      other, "recentcontact.clear_msg",
      "{\"From_Account\":\"ria\",\"Type\":1,\"To_Account\":\"sal\"}");
  g_assert_cmpint (json_object_get_int_member (reply, "ErrorCode"), ==, 0);
  timchat_test_client_free (other);
  g_main_context_pop_thread_default (context);
  g_usleep (300 * 1000); /* the notice reaches ria's socket */

  load_page (list);
  /* However long the notice takes to be read and applied (a busy machine): a list that kept what
   * was cleared never empties. */
  g_assert_true (tim_test_wait_until (list_is_empty, list, 10000));
  g_assert_cmpuint (found_here (ria, "plum"), ==, 0);
}

/* ca-sal writes to ca-tim through the REST API, and ca-tim's other device (on a context of its
 * own: ca-tim's client reads nothing meanwhile) clears the history (delete_key NULL) or deletes
 * that message (its MsgKey) right after. */
static void
write_then_forget_elsewhere (const char *text, gboolean delete_it)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = g_strdup_printf (
      "{\"From_Account\":\"ca-sal\",\"To_Account\":\"ca-tim\",\"MsgRandom\":78,"
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
      text);
  g_autofree char *key = NULL;
  TimchatTestClient *other;

  g_main_context_push_thread_default (context);
  reply = timchat_test_rest (fixture, "openim/sendmsg", body, NULL);
  g_assert_cmpint (json_object_get_int_member (reply, "ErrorCode"), ==, 0);
  key = g_strdup (timchat_test_json_get_string (reply, "MsgKey"));
  other = timchat_test_client_new (fixture, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  reply = timchat_test_client_login (other, "ca-tim", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  if (delete_it)
    reply = timchat_test_client_request_printf (
        other, "openim.delete_c2c_msg_ramble",
        "{\"From_Account\":\"ca-tim\",\"To_Account\":\"ca-sal\",\"MsgKeyList\":[\"%s\"]}", key);
  else
    reply = timchat_test_client_request_printf (
        other, "recentcontact.clear_msg",
        "{\"From_Account\":\"ca-tim\",\"Type\":1,\"To_Account\":\"ca-sal\"}");
  g_assert_cmpint (json_object_get_int_member (reply, "ErrorCode"), ==, 0);
  timchat_test_client_free (other);
  g_main_context_pop_thread_default (context);
  g_usleep (300 * 1000); /* the message and the notice reach ca-tim's socket */
}

/* A message, and the notice that ca-tim cleared the history (then deleted the message) on another
 * device, are both on the socket when ca-tim's client reads them: the message is still on its way
 * to the open list (a burst of pushes goes in as one) when the notice comes. The notice takes it
 * too. It did not: the list took it in after the notice, and showed for good a message gone from
 * the store and the server. */
static void
test_forgotten_while_arriving (void)
{
  g_autoptr (TimClient) tim = tim_test_client_new (fixture, base_dir, "ca-tim");
  g_autoptr (TimClient) sal = tim_test_client_new (fixture, base_dir, "ca-sal");
  g_autofree char *shown = NULL;
  TimMessageList *list;

  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *text = g_strdup_printf ("fig %u", i);
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (sal, "ca-tim", TIM_CONV_C2C, text);
      g_autoptr (TimMessage) got = tim_test_send_and_receive (sal, tim, sent);
    }
  list = tim_client_get_message_list (tim, "C2Cca-sal");
  load_page (list);
  shown = list_texts (list);
  g_assert_cmpstr (shown, ==, "fig 1 fig 2");

  write_then_forget_elsewhere ("fig 3", FALSE);
  timchat_test_spin (300);
  g_clear_pointer (&shown, g_free);
  shown = list_texts (list);
  g_assert_cmpstr (shown, ==, "");
  g_assert_cmpuint (found_here (tim, "fig"), ==, 0);

  write_then_forget_elsewhere ("fig 4", TRUE);
  timchat_test_spin (300);
  g_clear_pointer (&shown, g_free);
  shown = list_texts (list);
  g_assert_cmpstr (shown, ==, "");
  g_assert_cmpuint (found_here (tim, "fig"), ==, 0);
}

/* A message with no server sequence (here one refused: the peer blocked the user) stays when the
 * history is cleared, in the store and in the open list alike, though the peer's answer came after
 * it: the list took away everything up to the last message cleared, that one with it, and showed
 * nothing of what the store still had. */
static void
test_clear_keeps_unsequenced (void)
{
  g_autoptr (TimClient) ana = tim_test_client_new (fixture, base_dir, "cu-ana");
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "cu-ben");
  g_autoptr (TimMessage) knock = NULL;
  g_autoptr (GAsyncResult) blocked = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *shown = NULL;
  TimMessageList *list;

  {
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (ben, "cu-ana", TIM_CONV_C2C, "hi");
    g_autoptr (TimMessage) got = tim_test_send_and_receive (ben, ana, sent);
  }
  list = tim_client_get_message_list (ana, "C2Ccu-ben");
  load_page (list);
  tim_client_add_to_blocklist_async (ben, (const char *[]){ "cu-ana", NULL }, NULL,
                                     tim_test_keep_result, &blocked);
  g_assert_true (tim_client_add_to_blocklist_finish (ben, tim_test_wait_result (&blocked), &error));
  g_assert_no_error (error);
  knock = tim_client_create_text_message (ana, "cu-ben", TIM_CONV_C2C, "knock");
  g_assert_false (tim_test_send (ana, knock, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_clear_error (&error);
  {
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (ben, "cu-ana", TIM_CONV_C2C, "go away");
    g_autoptr (TimMessage) got = tim_test_send_and_receive (ben, ana, sent);
  }
  shown = list_texts (list);
  g_assert_cmpstr (shown, ==, "hi knock go away");

  g_assert_true (clear_history (ana, "C2Ccu-ben", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found_here (ana, "knock"), ==, 1);
  g_clear_pointer (&shown, g_free);
  shown = list_texts (list);
  g_assert_cmpstr (shown, ==, "knock");
}

/* A group cleared on one device while another was away, and written to after: the one away comes
 * back with what came after the clearing counted unread, as the server and the first device count
 * it. The clearing, replayed by its sync after the list had given the count, took the count to 0
 * (what came after was fetched after it, and not counted again), until its next login. */
static void
test_group_cleared_while_away (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone-ca-una", NULL);
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop-ca-una", NULL);
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "ca-una");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "ca-una");
  g_autoptr (TimClient) sam = tim_test_client_new (fixture, base_dir, "ca-sam");
  const char *members[] = { "ca-una", NULL };
  g_autofree char *group_id = tim_test_create_group (sam, "Clearing", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  TimTestLastText laptop_one = { laptop, group, "one" };
  TimTestLastText phone_three = { phone, group, "three" };
  TimTestLastText laptop_three = { laptop, group, "three" };
  g_autoptr (GError) error = NULL;
  const char *texts[] = { "one", "two", "three" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (sam, group_id, TIM_CONV_GROUP, texts[i]);
      g_autoptr (TimMessage) got = tim_test_send_and_receive (sam, phone, sent);

      if (i > 0)
        continue;
      /* The laptop has the first, and goes away; the phone clears the group meanwhile. */
      g_assert_true (tim_test_wait_until (tim_test_last_text_is, &laptop_one, 5000));
      tim_client_logout (laptop);
      g_assert_true (clear_history (phone, group, &error));
      g_assert_no_error (error);
    }
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &phone_three, 5000));
  g_assert_cmpuint (tim_test_unread_of (phone, group), ==, 2);

  tim_test_client_login (fixture, laptop, "ca-una");
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &laptop_three, 5000));
  g_assert_cmpuint (tim_test_unread_of (laptop, group), ==, 2);
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
  g_test_add_func ("/tim/delete/clear-history", test_clear_history);
  g_test_add_func ("/tim/delete/cleared-while-paging", test_cleared_while_paging);
  g_test_add_func ("/tim/delete/after-excluded", test_delete_after_excluded);
  g_test_add_func ("/tim/delete/reorders", test_delete_reorders);
  g_test_add_func ("/tim/delete/conversation-comes-back-unread",
                   test_conversation_comes_back_unread);
  g_test_add_func ("/tim/delete/group-cleared-while-away", test_group_cleared_while_away);
  g_test_add_func ("/tim/delete/forgotten-while-arriving", test_forgotten_while_arriving);
  g_test_add_func ("/tim/delete/clear-keeps-unsequenced", test_clear_keeps_unsequenced);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
