/* test-tim-group-owner.c: what a group's managers do to members, through libtim and the real
 * server: handing the group over (the Web SDK's changeGroupOwner): the old owner is a plain member
 * at once, the new one and the old one's other device learn it from the group tip, which says it
 * in words; muting a member (setGroupMemberMuteTime); who may do either, and bad input refused
 * before the network. */
#define G_LOG_DOMAIN "test-tim-group-owner"

#include "config.h"

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
change_owner (TimClient *client, const char *group_id, const char *new_owner, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_change_group_owner_async (client, group_id, new_owner, NULL, tim_test_keep_result,
                                       &result);
  return tim_client_change_group_owner_finish (client, tim_test_wait_result (&result), error);
}

typedef struct
{
  const char *conversation_id;
  GAsyncResult *result;
  char *role; /* the user's role in the group when the call completed */
} Completed;

/* Keeps the result and the role as they are when the call completes: before anything read after
 * its answer (the group tip comes right behind the answer, often in the same read). */
static void
keep_role_at_completion (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Completed *completed = user_data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (TIM_CLIENT (source)), completed->conversation_id);

  completed->role =
      g_strdup (conversation != NULL ? tim_conversation_get_group_self_role (conversation) : NULL);
  completed->result = g_object_ref (result);
}

static gboolean
quit_group (TimClient *client, const char *group_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_quit_group_async (client, group_id, NULL, tim_test_keep_result, &result);
  return tim_client_quit_group_finish (client, tim_test_wait_result (&result), error);
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  const char *role;
} Role;

static gboolean
has_role (gpointer data)
{
  Role *wanted = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (wanted->client), wanted->conversation_id);

  return conversation != NULL &&
         g_strcmp0 (tim_conversation_get_group_self_role (conversation), wanted->role) == 0;
}

#define ASSERT_ROLE(client, conversation_id, role)                                                 \
  g_assert_true (tim_test_wait_until (has_role, &(Role){ client, conversation_id, role }, 10000))

/* The role the server gives the user, asked for the conversation's profile. */
static void
fetch_profile (TimClient *client, const char *conversation_id)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TimConversation) asked = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_get_conversation_profile_async (client, conversation_id, NULL, tim_test_keep_result,
                                             &result);
  asked =
      tim_client_get_conversation_profile_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  const char *text;
} Preview;

static gboolean
last_says (gpointer data)
{
  Preview *wanted = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (wanted->client), wanted->conversation_id);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;
  g_autofree char *said =
      last != NULL ? tim_message_dup_tip_text_for (last, tim_client_get_user (wanted->client))
                   : NULL;

  return g_strcmp0 (said, wanted->text) == 0;
}

static void
test_change_owner (void)
{
  const char *crew[] = { "ben", "cy", NULL };
  g_autofree char *ava_phone_dir = g_build_filename (base_dir, "ava-phone", NULL);
  g_autoptr (TimClient) ava = tim_test_client_new (fixture, base_dir, "ava");
  g_autoptr (TimClient) ava_phone = tim_test_client_new (fixture, ava_phone_dir, "ava");
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "ben");
  g_autoptr (TimClient) cy = tim_test_client_new (fixture, base_dir, "cy");
  g_autoptr (TimClient) dee = tim_test_client_new (fixture, base_dir, "dee"); /* not in it */
  g_autofree char *group_id = tim_test_create_group (ava, "Crew", crew);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GError) error = NULL;

  fetch_profile (ava, conversation_id);
  fetch_profile (ava_phone, conversation_id);
  fetch_profile (ben, conversation_id);
  ASSERT_ROLE (ava_phone, conversation_id, "Owner");
  ASSERT_ROLE (ben, conversation_id, "Member");

  /* Refused before the network: no group, no member, oneself. By the server: not the owner, not
   * a member, no such account. */
  g_assert_false (change_owner (ava, NULL, "ben", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (change_owner (ava, group_id, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (change_owner (ava, group_id, "ava", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (change_owner (ben, group_id, "cy", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_false (change_owner (ava, group_id, "dee", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (change_owner (ava, group_id, "nobody-at-all", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);

  /* Handed to ben: ava is a member from the answer, by the time the call completes (the tip
   * comes behind the answer); ben and ava's phone hear it from the tip. */
  {
    Completed completed = { conversation_id, NULL, NULL };

    tim_client_change_group_owner_async (ava, group_id, "ben", NULL, keep_role_at_completion,
                                         &completed);
    g_assert_true (tim_client_change_group_owner_finish (
        ava, tim_test_wait_result (&completed.result), &error));
    g_assert_no_error (error);
    g_assert_cmpstr (completed.role, ==, "Member");
    g_clear_object (&completed.result);
    g_free (completed.role);
  }
  /* The tip behind it changes nothing more. */
  g_assert_true (tim_test_wait_until (
      last_says, &(Preview){ ava, conversation_id, "ben is now the group owner" }, 10000));
  ASSERT_ROLE (ava, conversation_id, "Member");
  ASSERT_ROLE (ben, conversation_id, "Owner");
  ASSERT_ROLE (ava_phone, conversation_id, "Member");
  g_assert_true (tim_test_wait_until (
      last_says, &(Preview){ ben, conversation_id, "You are now the group owner" }, 10000));
  g_assert_true (tim_test_wait_until (
      last_says, &(Preview){ cy, conversation_id, "ben is now the group owner" }, 10000));

  /* ava may leave now, ben may not; ava has no say any more. */
  g_assert_false (change_owner (ava, group_id, "cy", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_false (quit_group (ben, group_id, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_OWNER_CANNOT_QUIT);
  g_clear_error (&error);
  g_assert_true (quit_group (ava, group_id, &error));
  g_assert_no_error (error);

  /* ben's next session has it from the local store. */
  g_clear_object (&ben);
  ben = tim_test_client_new (fixture, base_dir, "ben");
  g_assert_true (has_role (&(Role){ ben, conversation_id, "Owner" }));
}

static gboolean
mute (TimClient *client, const char *group_id, const char *user_id, guint seconds, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_group_member_mute_time_async (client, group_id, user_id, seconds, NULL,
                                               tim_test_keep_result, &result);
  return tim_client_set_group_member_mute_time_finish (client, tim_test_wait_result (&result),
                                                       error);
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  gboolean muted;
} Muted;

static gboolean
is_muted (gpointer data)
{
  Muted *wanted = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (wanted->client), wanted->conversation_id);
  gint64 until =
      conversation != NULL ? tim_conversation_get_group_self_mute_until (conversation) : -1;

  if (conversation == NULL)
    return FALSE;
  return wanted->muted ? until > g_get_real_time () / G_USEC_PER_SEC + 500 &&
                             !tim_conversation_get_can_post (conversation)
                       : until == 0 && tim_conversation_get_can_post (conversation);
}

#define ASSERT_MUTED(client, conversation_id, muted)                                               \
  g_assert_true (tim_test_wait_until (is_muted, &(Muted){ client, conversation_id, muted }, 10000))

/* setGroupMemberMuteTime: the muted member's conversation says until when, and they cannot post
 * until unmuted (across a restart too); who may mute whom. */
static void
test_mute_member (void)
{
  const char *crew[] = { "eve", NULL };
  g_autoptr (TimClient) dot = tim_test_client_new (fixture, base_dir, "dot");
  g_autoptr (TimClient) eve = tim_test_client_new (fixture, base_dir, "eve");
  g_autofree char *group_id = tim_test_create_group (dot, "Quiet", crew);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) muted_text = NULL, free_text = NULL;
  g_autoptr (GError) error = NULL;

  fetch_profile (eve, conversation_id);
  g_assert_false (mute (eve, group_id, "dot", 600, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_false (mute (dot, group_id, "dot", 600, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_assert_true (mute (dot, group_id, "eve", 600, &error));
  g_assert_no_error (error);
  ASSERT_MUTED (eve, conversation_id, TRUE);
  muted_text = tim_client_create_text_message (eve, group_id, TIM_CONV_GROUP, "hello?");
  g_assert_false (tim_test_send (eve, muted_text, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_MUTED);
  g_clear_error (&error);
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GPtrArray) members = NULL;

    tim_client_get_group_members_async (dot, group_id, NULL, tim_test_keep_result, &result);
    members = tim_client_get_group_members_finish (dot, tim_test_wait_result (&result), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < members->len; i++)
      {
        const TimGroupMember *member = members->pdata[i];

        g_assert_cmpint (member->mute_until > 0, ==, g_str_equal (member->user_id, "eve"));
      }
  }

  /* Still muted in eve's next session, from the local store; then unmuted. */
  g_clear_object (&eve);
  eve = tim_test_client_new (fixture, base_dir, "eve");
  g_assert_true (is_muted (&(Muted){ eve, conversation_id, TRUE }));
  g_assert_true (mute (dot, group_id, "eve", 0, &error));
  ASSERT_MUTED (eve, conversation_id, FALSE);
  free_text = tim_client_create_text_message (eve, group_id, TIM_CONV_GROUP, "thanks");
  g_assert_true (tim_test_send (eve, free_text, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/group-owner/change-owner", test_change_owner);
  g_test_add_func ("/tim/group-owner/mute-member", test_mute_member);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
