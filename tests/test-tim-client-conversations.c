/* test-tim-client-conversations.c: TimClient's conversation list against the real server:
 * recall, read and delete, deletions made while another device was away (C2C and group), pin,
 * remind types (mute), two devices of one user, conversation profiles and the names they bring.
 * Split from test-tim-client.c (the client's seed calls and signals, by theme) to keep each
 * program short; one server per program. */
#define G_LOG_DOMAIN "test-tim-client-conversations"

#include "config.h"

#include "test-tim-client-common.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static void
test_revoke_read_and_delete (void)
{
  g_autoptr (TimClient) erin = tim_test_client_new (fixture, base_dir, "erin");
  g_autoptr (TimClient) frank = tim_test_client_new (fixture, base_dir, "frank");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) first =
      tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "first");
  g_autoptr (TimMessage) oops =
      tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "oops");
  g_autoptr (TimMessage) again = NULL;
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  TimConversation *conversation;

  tim_test_collect (frank, "message-received", received);
  tim_test_collect (frank, "message-revoked", revoked);
  tim_test_collect (erin, "message-read-by-peer", read_by_peer);
  g_assert_true (tim_test_send (erin, first, &error));
  g_assert_true (tim_test_send (erin, oops, &error));
  wait_count (received, 2);

  tim_client_revoke_message_async (erin, oops, NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  g_assert_true (tim_client_revoke_message_finish (
      erin, g_object_get_data (G_OBJECT (erin), "result"), &error));
  g_assert_true (tim_message_get_is_revoked (oops));
  wait_count (revoked, 1);
  g_assert_true (tim_message_get_is_revoked (revoked->pdata[0]));
  g_assert_true (revoked->pdata[0] == received->pdata[1]); /* the very object the UI holds */

  conversation = tim_conversation_list_lookup (tim_client_get_conversations (frank), "C2Cerin");
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==,
                    1); /* a recall takes one off */
  done = FALSE;
  tim_client_set_message_read_async (frank, "C2Cerin", NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  g_assert_true (tim_client_set_message_read_finish (
      frank, g_object_get_data (G_OBJECT (frank), "result"), &error));
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==, 0);
  wait_count (read_by_peer, 1);
  g_assert_true (tim_message_get_is_peer_read (first));

  /* Delete keeps the messages; the next message brings the conversation back. */
  done = FALSE;
  tim_client_delete_conversation_async (frank, "C2Cerin", NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  g_assert_true (tim_client_delete_conversation_finish (
      frank, g_object_get_data (G_OBJECT (frank), "result"), &error));
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (frank), "C2Cerin"));
  again = tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "still there?");
  g_assert_true (tim_test_send (erin, again, &error));
  wait_count (received, 3);
  g_assert_nonnull (tim_conversation_list_lookup (tim_client_get_conversations (frank), "C2Cerin"));
  {
    g_autoptr (GPtrArray) page = tim_test_get_messages (frank, "C2Cerin", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 3);
    g_assert_true (tim_message_get_is_revoked (page->pdata[1]));
  }
  forget_result (erin);
  forget_result (frank);
}

/* The peer reads what the user sent after the user deleted the conversation: the messages show
 * read, and the conversation stays off the list (the receipt brought it back, empty, and kept it
 * in the local store's list for the next start too). */
static void
test_read_after_delete_not_listed (void)
{
  g_autoptr (TimClient) una = tim_test_client_new (fixture, base_dir, "rd-una");
  g_autoptr (TimClient) vo = tim_test_client_new (fixture, base_dir, "rd-vo");
  g_autoptr (TimMessage) hello = tim_client_create_text_message (una, "rd-vo", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (una, vo, hello);
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_delete_conversation_async (una, "C2Crd-vo", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (una, tim_test_wait_result (&deleted), &error));
  g_assert_no_error (error);
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (una), "C2Crd-vo"));

  tim_test_collect (una, "message-read-by-peer", read_by_peer);
  tim_client_set_message_read_async (vo, "C2Crd-una", NULL, tim_test_keep_result, &read);
  g_assert_true (tim_client_set_message_read_finish (vo, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  wait_count (read_by_peer, 1);
  g_assert_true (tim_message_get_is_peer_read (hello));
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (una), "C2Crd-vo"));

  /* Nor after a restart (the local store's list). */
  g_clear_object (&deleted); /* it holds the client, which would live on beside the new one */
  g_clear_object (&una);
  una = tim_test_client_new (fixture, base_dir, "rd-una");
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (una), "C2Crd-vo"));
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The client's conversation IDs, sorted, " "-joined. */
static char *
describe_listed (gpointer client)
{
  GListModel *list = G_LIST_MODEL (tim_client_get_conversations (client));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      g_ptr_array_add (ids, g_strdup (tim_conversation_get_id (conversation)));
    }
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

/* A conversation deleted on one device while another was away is gone from that one too when it
 * comes back (the deletion's push reached only the devices online): by the server's list. One
 * that a new message brought back since stays, and so does one the server never had. */
static void
test_deleted_while_away (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "dw-wes");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "dw-wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "dw-xia");
  g_autoptr (TimClient) yul = tim_test_client_new (fixture, base_dir, "dw-yul");
  g_autoptr (TimMessage) to_xia = tim_client_create_text_message (wes, "dw-xia", TIM_CONV_C2C, "x");
  g_autoptr (TimMessage) to_yul = tim_client_create_text_message (wes, "dw-yul", TIM_CONV_C2C, "y");
  g_autoptr (TimMessage) back = NULL;
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  TimConversationList *list;

  g_object_unref (tim_test_send_and_receive (wes, xia, to_xia));
  g_object_unref (tim_test_send_and_receive (wes, yul, to_yul));
  tim_test_wait_described (describe_listed, laptop, "C2Cdw-xia C2Cdw-yul");
  tim_client_logout (laptop);

  for (guint i = 0; i < 2; i++)
    {
      const char *conversation_id = i == 0 ? "C2Cdw-xia" : "C2Cdw-yul";

      tim_client_delete_conversation_async (wes, conversation_id, NULL, tim_test_keep_result,
                                            &deleted);
      g_assert_true (
          tim_client_delete_conversation_finish (wes, tim_test_wait_result (&deleted), &error));
      g_assert_no_error (error);
      g_clear_object (&deleted);
    }
  /* yul writes again: that conversation is back. */
  back = tim_client_create_text_message (yul, "dw-wes", TIM_CONV_C2C, "back");
  g_assert_true (tim_test_send (yul, back, &error));
  g_assert_no_error (error);

  tim_test_client_login (fixture, laptop, "dw-wes");
  list = tim_client_get_conversations (laptop);
  tim_test_wait_described (describe_listed, laptop, "C2Cdw-yul");
  g_assert_null (tim_conversation_list_lookup (list, "C2Cdw-xia"));
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* A message came while the laptop was away, and the conversation was deleted on the phone after
 * it: the laptop's sync replays that message (openim.getmsg), which must not bring the deleted
 * conversation back there (nor announce it), as it did not on the phone. It stays in the history
 * for when a new message brings the conversation back. */
static void
test_deleted_after_message_while_away (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "dm-wes");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "dm-wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "dm-xia");
  g_autoptr (TimMessage) hello = tim_client_create_text_message (xia, "dm-wes", TIM_CONV_C2C, "x");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_logout (laptop);
  g_object_unref (tim_test_send_and_receive (xia, wes, hello));
  tim_client_delete_conversation_async (wes, "C2Cdm-xia", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (wes, tim_test_wait_result (&deleted), &error));
  g_assert_no_error (error);
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (wes), "C2Cdm-xia"));

  tim_test_collect (laptop, "message-received", received);
  tim_test_client_login (fixture, laptop, "dm-wes");
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (laptop), "C2Cdm-xia"));
  g_assert_cmpuint (received->len, ==, 0);
  g_clear_object (&deleted);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* The same for a group's conversation: deleted on one device while another was away, it is gone
 * from that one too when it comes back, as the deletion's push takes it from a device online; a
 * group written to since the deletion stays. Before, the list's leaving it out was taken as
 * nothing (the user still a member, and no membership notice), and it stayed for good. */
static void
test_group_deleted_while_away (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "dg-wes");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "dg-wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "dg-xia");
  const char *members[] = { "dg-wes", NULL };
  g_autofree char *quiet_id = tim_test_create_group (xia, "Quiet", members);
  g_autofree char *busy_id = tim_test_create_group (xia, "Busy", members);
  g_autofree char *quiet = g_strconcat ("GROUP", quiet_id, NULL);
  g_autofree char *busy = g_strconcat ("GROUP", busy_id, NULL);
  g_autofree char *listed = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      const char *group_id = i == 0 ? quiet_id : busy_id;
      TimTestLastText there = { laptop, i == 0 ? quiet : busy, "hello" };
      g_autoptr (TimMessage) hello =
          tim_client_create_text_message (xia, group_id, TIM_CONV_GROUP, "hello");

      g_object_unref (tim_test_send_and_receive (xia, wes, hello));
      g_assert_true (tim_test_wait_until (tim_test_last_text_is, &there, 5000));
    }
  tim_client_logout (laptop);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GAsyncResult) deleted = NULL;

      tim_client_delete_conversation_async (wes, i == 0 ? quiet : busy, NULL, tim_test_keep_result,
                                            &deleted);
      g_assert_true (
          tim_client_delete_conversation_finish (wes, tim_test_wait_result (&deleted), &error));
      g_assert_no_error (error);
    }
  /* Busy is written to again: back in the list. */
  {
    TimTestLastText back = { wes, busy, "back" };
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (xia, busy_id, TIM_CONV_GROUP, "back");

    g_assert_true (tim_test_send (xia, sent, &error));
    g_assert_no_error (error);
    g_assert_true (tim_test_wait_until (tim_test_last_text_is, &back, 5000));
  }
  listed = describe_listed (wes);
  g_assert_null (strstr (listed, quiet));
  g_assert_nonnull (strstr (listed, busy));

  tim_test_client_login (fixture, laptop, "dg-wes");
  tim_test_wait_described (describe_listed, laptop, listed);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

static gboolean
pin (TimClient *client, const char *conversation_id, gboolean pinned, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_pin_conversation_async (client, conversation_id, pinned, NULL, tim_test_keep_result,
                                     &result);
  return tim_client_pin_conversation_finish (client, tim_test_wait_result (&result), error);
}

static const char *
listed_first (TimClient *client)
{
  g_autoptr (TimConversation) first =
      g_list_model_get_item (G_LIST_MODEL (tim_client_get_conversations (client)), 0);

  return first != NULL ? tim_conversation_get_id (first) : NULL;
}

static gboolean
lists_first (gpointer data)
{
  Listed *listed = data;

  return g_strcmp0 (listed_first (listed->client), listed->conversation_id) == 0;
}

static gboolean
lists_no_conversation (gpointer data)
{
  return listed_conversation (data) == NULL;
}

/* pinConversation: the pinned conversation goes first, here, at once on another device that is
 * online, and after a restart; unpinned it goes back. A deletion shows on the other device too. */
static void
test_pin (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "pin-phone", NULL);
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "pia");
  g_autoptr (TimClient) quinn = tim_test_client_new (fixture, base_dir, "quinn");
  g_autoptr (TimClient) rae = tim_test_client_new (fixture, base_dir, "rae");
  g_autoptr (TimClient) pia_phone = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) from_quinn =
      tim_client_create_text_message (quinn, "pia", TIM_CONV_C2C, "older");
  g_autoptr (TimMessage) from_rae =
      tim_client_create_text_message (rae, "pia", TIM_CONV_C2C, "newer");
  g_autoptr (TimMessage) again = tim_client_create_text_message (rae, "pia", TIM_CONV_C2C, "hi");
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  TimConversation *quinns;

  tim_test_collect (pia, "message-received", received);
  g_assert_true (tim_test_send (quinn, from_quinn, &error));
  wait_count (received, 1);
  g_usleep (1100 * 1000); /* a restart orders by the server's times, which are seconds */
  g_assert_true (tim_test_send (rae, from_rae, &error));
  wait_count (received, 2);
  g_assert_cmpstr (listed_first (pia), ==, "C2Crae");
  pia_phone = tim_test_client_new (fixture, phone_dir, "pia");
  g_assert_cmpstr (listed_first (pia_phone), ==, "C2Crae");

  g_assert_true (pin (pia, "C2Cquinn", TRUE, &error));
  g_assert_no_error (error);
  quinns = tim_conversation_list_lookup (tim_client_get_conversations (pia), "C2Cquinn");
  g_assert_true (tim_conversation_get_is_pinned (quinns));
  g_assert_cmpstr (listed_first (pia), ==, "C2Cquinn");
  g_assert_true (pin (pia, "C2Cquinn", TRUE, &error)); /* already: nothing to do */
  g_assert_true (tim_test_wait_until (lists_first, &(Listed){ pia_phone, "C2Cquinn" }, 5000));

  /* Refused before anything is sent. */
  g_assert_false (pin (pia, "C2Cnobody", TRUE, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pin (pia, "quinn", TRUE, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID);
  g_clear_error (&error);

  /* This one has it after a restart. */
  g_clear_object (&pia);
  pia = tim_test_client_new (fixture, base_dir, "pia");
  g_assert_cmpstr (listed_first (pia), ==, "C2Cquinn");

  /* A new message from rae does not pass a pinned conversation; unpinned, quinn goes back. */
  tim_test_collect (pia, "message-received", received);
  g_assert_true (tim_test_send (rae, again, &error));
  wait_count (received, 3);
  g_assert_cmpstr (listed_first (pia), ==, "C2Cquinn");
  g_assert_true (pin (pia, "C2Cquinn", FALSE, &error));
  g_assert_false (tim_conversation_get_is_pinned (
      tim_conversation_list_lookup (tim_client_get_conversations (pia), "C2Cquinn")));
  g_assert_cmpstr (listed_first (pia), ==, "C2Crae");
  g_assert_true (tim_test_wait_until (lists_first, &(Listed){ pia_phone, "C2Crae" }, 5000));

  tim_client_delete_conversation_async (pia, "C2Crae", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (pia, tim_test_wait_result (&deleted), &error));
  g_assert_true (
      tim_test_wait_until (lists_no_conversation, &(Listed){ pia_phone, "C2Crae" }, 5000));
}

static gboolean
is_unmuted (gpointer data)
{
  return !tim_conversation_get_is_muted (listed_conversation (data));
}

/* setMessageRemindType: a C2C conversation and a group muted, here and on a device that logs in
 * after, and back (the other device, online, following a C2C change at once); bad names and
 * unlisted conversations refused before anything is sent. */
static void
test_remind (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "remind-phone", NULL);
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) uma_phone = NULL;
  g_autoptr (TimMessage) hello = tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) again = tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "back");
  g_autoptr (TimMessage) once_more =
      tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "back again");
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  const char *uma_only[] = { "uma", NULL };
  g_autofree char *group_id = tim_test_create_group (vic, "Quiet", uma_only);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) to_group =
      tim_client_create_text_message (vic, group_id, TIM_CONV_GROUP, "still quiet?");

  g_assert_true (tim_test_send (vic, hello, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, "C2Cvic" }, 5000));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, group }, 5000));
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);
  g_assert_false (tim_conversation_get_is_muted (
      tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic")));

  g_assert_true (set_remind (uma, "C2Cvic", TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  g_assert_no_error (error);
  g_assert_true (set_remind (uma, group, TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_cmpstr (remind_of (uma, group), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_true (tim_conversation_get_is_muted (
      tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic")));

  g_assert_false (set_remind (uma, "C2Cvic", "Quiet", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (set_remind (uma, "C2Cnobody", TIM_REMIND_DISCARD, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_clear_error (&error);

  /* Kept on the server: another device has both at login, and unmutes one. */
  uma_phone = tim_test_client_new (fixture, phone_dir, "uma");
  g_assert_cmpstr (remind_of (uma_phone, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_cmpstr (remind_of (uma_phone, group), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_cmpstr (remind_of (vic, "C2Cuma"), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);
  g_assert_true (set_remind (uma_phone, "C2Cvic", TIM_REMIND_ACCEPT_AND_NOTIFY, &error));
  g_assert_cmpstr (remind_of (uma_phone, "C2Cvic"), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);
  /* The first device, online, follows a C2C change at once (the server's MuteNotificationsSync). */
  g_assert_true (tim_test_wait_until (is_unmuted, &(Listed){ uma, "C2Cvic" }, 5000));
  /* And a group's (its ReportType 20 notice), which is not one more of its Group Notices. */
  {
    TimConversation *notices = tim_conversation_list_lookup (tim_client_get_conversations (uma),
                                                             TIM_SYSTEM_CONVERSATION_ID);
    TimMessage *last_notice = notices ? tim_conversation_get_last_message (notices) : NULL;

    g_assert_true (set_remind (uma_phone, group, TIM_REMIND_ACCEPT_AND_NOTIFY, &error));
    g_assert_true (tim_test_wait_until (is_unmuted, &(Listed){ uma, group }, 5000));
    notices = tim_conversation_list_lookup (tim_client_get_conversations (uma),
                                            TIM_SYSTEM_CONVERSATION_ID);
    g_assert_true ((notices ? tim_conversation_get_last_message (notices) : NULL) == last_notice);
    g_assert_true (set_remind (uma, group, TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  }

  /* Muted and deleted, the conversation that vic's next message brings back is still muted. */
  g_assert_true (set_remind (uma, "C2Cvic", TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  tim_client_delete_conversation_async (uma, "C2Cvic", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (uma, tim_test_wait_result (&deleted), &error));
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic"));
  g_assert_true (tim_test_send (vic, again, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, "C2Cvic" }, 5000));
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);

  /* ... after a restart too (the flags read at login, as the SDK reads them). */
  g_clear_object (&deleted);
  tim_client_delete_conversation_async (uma, "C2Cvic", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (uma, tim_test_wait_result (&deleted), &error));
  g_clear_object (&deleted); /* it holds the client, which would live on beside the new one */
  g_clear_object (&uma);
  uma = tim_test_client_new (fixture, base_dir, "uma");
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic"));
  g_assert_true (tim_test_send (vic, once_more, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, "C2Cvic" }, 5000));
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);

  /* A group as well: its own MsgFlag, from the group list read at login. */
  tim_client_delete_conversation_async (uma, group, NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (uma, tim_test_wait_result (&deleted), &error));
  g_clear_object (&deleted);
  g_clear_object (&uma);
  uma = tim_test_client_new (fixture, base_dir, "uma");
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (uma), group));
  g_assert_true (tim_test_send (vic, to_group, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, group }, 5000));
  g_assert_cmpstr (remind_of (uma, group), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
}

static void
test_two_devices_and_profile (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
  g_autoptr (TimClient) gina = tim_test_client_new (fixture, base_dir, "gina");
  g_autoptr (TimClient) gina_phone = tim_test_client_new (fixture, phone_dir, "gina");
  g_autoptr (TimClient) hank = tim_test_client_new (fixture, base_dir, "hank");
  g_autoptr (GPtrArray) phone_got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (gina, "hank", TIM_CONV_C2C, "from the laptop");
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  TimConversation *profile;

  tim_test_collect (gina_phone, "message-received", phone_got);
  g_assert_true (tim_test_send (gina, message, &error));
  wait_count (phone_got, 1);
  g_assert_cmpstr (tim_message_get_flow (phone_got->pdata[0]), ==, "out");
  g_assert_cmpstr (tim_message_get_conversation_id (phone_got->pdata[0]), ==, "C2Chank");
  g_assert_cmpstr (tim_message_get_id (phone_got->pdata[0]), ==, tim_message_get_id (message));

  tim_client_get_conversation_profile_async (hank, "C2Cgina", NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  profile = tim_client_get_conversation_profile_finish (
      hank, g_object_get_data (G_OBJECT (hank), "result"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tim_conversation_get_name (profile), ==, "gina");
  g_object_unref (profile);
  forget_result (hank);
}

/* Asks client for conversation_id's profile; FALSE with error when it is refused. */
static gboolean
ask_profile (TimClient *client, const char *conversation_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TimConversation) profile = NULL;

  tim_client_get_conversation_profile_async (client, conversation_id, NULL, tim_test_keep_result,
                                             &result);
  profile =
      tim_client_get_conversation_profile_finish (client, tim_test_wait_result (&result), error);
  return profile != NULL;
}

/* A profile the server refuses (no such account, no such group, a group the user is not in) is
 * an error, and leaves the conversation list as it was: the refused conversation was added to
 * the list before the answer was read, and stayed there, for a user or group that is not. */
static void
test_refused_profile_not_listed (void)
{
  g_autoptr (TimClient) ria = tim_test_client_new (fixture, base_dir, "pr-ria");
  g_autoptr (TimClient) sol = tim_test_client_new (fixture, base_dir, "pr-sol");
  g_autofree char *others = tim_test_create_group (sol, "Not Ria's", NULL);
  g_autofree char *others_conversation = g_strconcat ("GROUP", others, NULL);
  TimConversationList *list = tim_client_get_conversations (ria);
  guint listed = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autoptr (GError) error = NULL;

  g_assert_false (ask_profile (ria, "C2Cpr-nobody", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tim_conversation_list_lookup (list, "C2Cpr-nobody"));

  g_assert_false (ask_profile (ria, "GROUPpr-no-such-group", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tim_conversation_list_lookup (list, "GROUPpr-no-such-group"));

  g_assert_false (ask_profile (ria, others_conversation, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_null (tim_conversation_list_lookup (list, others_conversation));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, listed);

  /* One the server answers is listed, as before. */
  g_assert_true (ask_profile (ria, "C2Cpr-sol", &error));
  g_assert_no_error (error);
  g_assert_nonnull (tim_conversation_list_lookup (list, "C2Cpr-sol"));
}

static gboolean
is_named_nina_n (gpointer conversation)
{
  return g_strcmp0 (tim_conversation_get_name (conversation), "Nina N.") == 0;
}

/* Someone new writes: the conversation that appears takes their nickname from the server. */
static void
test_new_peer_named (void)
{
  g_autoptr (TimClient) nina = tim_test_client_new (fixture, base_dir, "nina");
  g_autoptr (TimClient) owen = tim_test_client_new (fixture, base_dir, "owen");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (nina, "owen", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) copy = NULL;
  g_autoptr (JsonObject) set = timchat_test_rest (
      fixture, "profile/portrait_set",
      "{\"From_Account\":\"nina\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\","
      "\"Value\":\"Nina N.\"}]}",
      NULL);
  TimConversation *conversation;

  g_assert_cmpint (tim_json_get_int_or (set, "ErrorCode", -1), ==, 0);
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (owen), "C2Cnina"));
  copy = tim_test_send_and_receive (nina, owen, message);
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (owen), "C2Cnina");
  g_assert_nonnull (conversation);
  g_assert_true (tim_test_wait_until (is_named_nina_n, conversation, 5000));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/client/revoke-read-delete", test_revoke_read_and_delete);
  g_test_add_func ("/tim/client/deleted-while-away", test_deleted_while_away);
  g_test_add_func ("/tim/client/deleted-after-message-while-away",
                   test_deleted_after_message_while_away);
  g_test_add_func ("/tim/client/group-deleted-while-away", test_group_deleted_while_away);
  g_test_add_func ("/tim/client/pin", test_pin);
  g_test_add_func ("/tim/client/read-after-delete-not-listed", test_read_after_delete_not_listed);
  g_test_add_func ("/tim/client/remind", test_remind);
  g_test_add_func ("/tim/client/two-devices-and-profile", test_two_devices_and_profile);
  g_test_add_func ("/tim/client/new-peer-named", test_new_peer_named);
  g_test_add_func ("/tim/client/refused-profile-not-listed", test_refused_profile_not_listed);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
