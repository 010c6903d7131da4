/* test-tim-mentions.c: group @-mentions through libtim and the real server: the mentioned
 * member's message says who it mentions and their group is marked (@me, @all, both) until they
 * read it, here or on another device; the mark survives a restart, reaches a device that was
 * away and a brand-new one; the sender and the members not mentioned see no mark. */
#define G_LOG_DOMAIN "test-tim-mentions"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  TimGroupAtType want;
} AtWait;

static TimGroupAtType
at_type_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  return conversation != NULL ? tim_conversation_get_group_at_type (conversation)
                              : TIM_GROUP_AT_NONE;
}

static gboolean
has_at_type (gpointer data)
{
  AtWait *wait = data;

  return at_type_of (wait->client, wait->conversation_id) == wait->want;
}

static void
assert_at_type_becomes (TimClient *client, const char *conversation_id, TimGroupAtType want)
{
  AtWait wait = { client, conversation_id, want };

  g_assert_true (tim_test_wait_until (has_at_type, &wait, 10000));
}

static gboolean
is_ready (gpointer client)
{
  return tim_client_get_is_ready (client);
}

static void
read_conversation (TimClient *client, const char *conversation_id)
{
  GAsyncResult *result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_set_message_read_async (client, conversation_id, NULL, tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_message_read_finish (client, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

static void
discard (TimClient *client, const char *conversation_id)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_set_message_remind_type_async (client, conversation_id, TIM_REMIND_DISCARD, NULL,
                                            tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_message_remind_type_finish (client, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static TimMessage *
mention (TimClient *from, TimClient *to, const char *group_id, const char *text,
         const char *const *at_users)
{
  g_autoptr (TimMessage) message =
      tim_client_create_text_at_message (from, group_id, text, at_users);

  return tim_test_send_and_receive (from, to, message);
}

static void
test_live_marks_and_read (void)
{
  const char *const members[] = { "bo", "cy", NULL };
  const char *const at_bo[] = { "bo", "bo", NULL };
  const char *const at_all[] = { TIM_AT_ALL, NULL };
  g_autoptr (TimClient) al = tim_test_client_new (fixture, base_dir, "al");
  g_autoptr (TimClient) bo = tim_test_client_new (fixture, base_dir, "bo");
  g_autoptr (TimClient) cy = tim_test_client_new (fixture, base_dir, "cy");
  g_autofree char *group_id = tim_test_create_group (al, "Mentions", members);
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  g_autoptr (TimMessage) to_bo = NULL;
  g_autoptr (TimMessage) to_all = NULL;
  g_autoptr (TimMessage) plain = NULL;
  g_autoptr (TimMessage) plain_sent = NULL;
  const char *const *got;

  /* The sent message says whom it mentions (a repeat counts once), and so does the received
   * one. */
  to_bo = mention (al, bo, group_id, "@bo look", at_bo);
  got = tim_message_get_at_user_list (to_bo);
  g_assert_nonnull (got);
  g_assert_cmpstr (got[0], ==, "bo");
  g_assert_null (got[1]);
  g_assert_cmpint (tim_message_get_group_at_type (to_bo, "bo"), ==, TIM_GROUP_AT_ME);
  g_assert_cmpint (tim_message_get_group_at_type (to_bo, "cy"), ==, TIM_GROUP_AT_NONE);
  assert_at_type_becomes (bo, conversation_id, TIM_GROUP_AT_ME);

  /* @all marks everyone but the sender; bo now has both. */
  to_all = mention (al, cy, group_id, "@all lunch", at_all);
  g_assert_true (g_strv_equal (tim_message_get_at_user_list (to_all), at_all));
  assert_at_type_becomes (cy, conversation_id, TIM_GROUP_AT_ALL);
  assert_at_type_becomes (bo, conversation_id, TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL);
  g_assert_cmpint (at_type_of (al, conversation_id), ==, TIM_GROUP_AT_NONE);

  /* A plain message mentions nobody. */
  plain_sent = tim_client_create_text_message (al, group_id, TIM_CONV_GROUP, "no one");
  plain = tim_test_send_and_receive (al, bo, plain_sent);
  g_assert_null (tim_message_get_at_user_list (plain));

  /* Reading the group here clears the mark, and cy's read on her own device clears hers. */
  read_conversation (bo, conversation_id);
  g_assert_cmpint (at_type_of (bo, conversation_id), ==, TIM_GROUP_AT_NONE);
  read_conversation (cy, conversation_id);
  g_assert_cmpint (at_type_of (cy, conversation_id), ==, TIM_GROUP_AT_NONE);

  /* Not receiving the group's messages (Discard) takes the mark and the count away, as the
   * server lists them then. */
  g_clear_object (&to_all);
  to_all = mention (al, cy, group_id, "@all again", at_all);
  assert_at_type_becomes (cy, conversation_id, TIM_GROUP_AT_ALL);
  discard (cy, conversation_id);
  g_assert_cmpint (at_type_of (cy, conversation_id), ==, TIM_GROUP_AT_NONE);
  g_assert_cmpuint (tim_conversation_get_unread_count (tim_conversation_list_lookup (
                        tim_client_get_conversations (cy), conversation_id)),
                    ==, 0);
}

/* The mark is kept with the conversation; the mentions with the message. */
static void
test_kept_and_synced (void)
{
  const char *const members[] = { "eve", NULL };
  const char *const at_eve[] = { "eve", NULL };
  g_autoptr (TimClient) dan = tim_test_client_new (fixture, base_dir, "dan");
  g_autoptr (TimClient) eve = tim_test_client_new (fixture, base_dir, "eve");
  g_autofree char *group_id = tim_test_create_group (dan, "Kept", members);
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  g_autofree char *eve_dir = g_build_filename (base_dir, "eve", NULL);
  g_autofree char *fresh_dir = g_build_filename (base_dir, "eve-new-device", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autoptr (TimMessage) first = mention (dan, eve, group_id, "@eve one", at_eve);
  g_autoptr (TimClient) fresh = NULL;
  g_autoptr (GPtrArray) page = NULL;

  assert_at_type_becomes (eve, conversation_id, TIM_GROUP_AT_ME);

  /* Restarted: the mark is there from the local store as soon as the account opens, before
   * anything comes from the server, and the message still says whom it mentions. */
  g_clear_object (&eve);
  eve = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), eve_dir);
  {
    g_autofree char *usersig = timchat_fixture_usersig (fixture, "eve", 3600);
    GAsyncResult *logged_in = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_login_async (eve, "eve", usersig, NULL, tim_test_keep_result, &logged_in);
    g_assert_cmpint (at_type_of (eve, conversation_id), ==, TIM_GROUP_AT_ME);
    g_assert_true (tim_client_login_finish (eve, tim_test_wait_result (&logged_in), &error));
    g_assert_no_error (error);
    g_object_unref (logged_in);
    g_assert_true (tim_test_wait_until (is_ready, eve, 10000));
  }
  page = tim_test_get_messages (eve, conversation_id, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (page->len, >, 0);
  g_assert_cmpstr (tim_message_get_id (page->pdata[page->len - 1]), ==, tim_message_get_id (first));
  g_assert_cmpint (tim_message_get_group_at_type (page->pdata[page->len - 1], "eve"), ==,
                   TIM_GROUP_AT_ME);
  read_conversation (eve, conversation_id);

  /* Away while mentioned: the mark arrives with the sync at the next login. */
  g_clear_object (&eve);
  {
    g_autoptr (TimMessage) while_away = tim_client_create_text_at_message (
        dan, group_id, "@all while you were away", (const char *const[]){ TIM_AT_ALL, NULL });
    g_autoptr (GError) error = NULL;

    g_assert_true (tim_test_send (dan, while_away, &error));
    g_assert_no_error (error);
  }
  eve = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), eve_dir);
  tim_test_client_login (fixture, eve, "eve");
  assert_at_type_becomes (eve, conversation_id, TIM_GROUP_AT_ALL);

  /* A brand-new device has nothing kept and no sync cookie: the server's list of unread
   * mentions marks it all the same. Reading there clears the mark on the first device. */
  fresh = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), fresh_dir);
  tim_test_client_login (fixture, fresh, "eve");
  assert_at_type_becomes (fresh, conversation_id, TIM_GROUP_AT_ALL);
  read_conversation (fresh, conversation_id);
  assert_at_type_becomes (eve, conversation_id, TIM_GROUP_AT_NONE);
}

/* Bad mentions are refused by the server in words, and nothing is sent. */
static void
test_refused (void)
{
  const char *const members[] = { "al", NULL };
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  g_autofree char *group_id = tim_test_create_group (fay, "Refused", members);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) too_many = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (GError) error = NULL;

  for (int i = 0; i <= TIM_MAX_AT_USERS; i++)
    {
      g_autofree char *user = g_strdup_printf ("u%d", i);

      g_strv_builder_add (builder, user);
    }
  too_many = g_strv_builder_end (builder);
  message = tim_client_create_text_at_message (fay, group_id, "@everyone by name",
                                               (const char *const *) too_many);
  g_assert_false (tim_test_send (fay, message, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "at most 100"));
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_FAIL);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/mentions/live-marks-and-read", test_live_marks_and_read);
  g_test_add_func ("/tim/mentions/kept-and-synced", test_kept_and_synced);
  g_test_add_func ("/tim/mentions/refused", test_refused);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
