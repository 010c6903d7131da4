/* test-tim-delete-history.c: clearing a conversation's history (clearHistoryMessage) through
 * libtim and the real server: gone from this device's list, store, last message and unread count,
 * the conversation stays; the user's other devices drop it too, the peer keeps it; a group's and
 * the Group Notices alike; bad calls refused. A history cleared, or a message deleted, on another
 * device while this one pages in or receives: a message read in the same batch as the notice that
 * forgets it goes with the others. A message with no server sequence stays. A group cleared while
 * another device was away counts what came after unread there too. Split from test-tim-delete.c
 * (by theme: deleting messages in test-tim-delete-messages.c, clearing here) to keep each program
 * short; one server per program. */
#define G_LOG_DOMAIN "test-tim-delete-history"

#include "config.h"

#include "test-tim-delete-common.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-client.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

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
  g_test_add_func ("/tim/delete/clear-history", test_clear_history);
  g_test_add_func ("/tim/delete/cleared-while-paging", test_cleared_while_paging);
  g_test_add_func ("/tim/delete/group-cleared-while-away", test_group_cleared_while_away);
  g_test_add_func ("/tim/delete/forgotten-while-arriving", test_forgotten_while_arriving);
  g_test_add_func ("/tim/delete/clear-keeps-unsequenced", test_clear_keeps_unsequenced);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
