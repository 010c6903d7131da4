/* test-tim-group-owner.c: handing a group over (the Web SDK's changeGroupOwner) through libtim
 * and the real server: the old owner is a plain member at once, the new one and the old one's
 * other device learn it from the group tip, which says it in words; who may hand it over, and
 * bad input refused before the network. */
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

  /* Handed to ben: ava is a member at once; ben and ava's phone hear it from the tip. */
  g_assert_true (change_owner (ava, group_id, "ben", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tim_conversation_get_group_self_role (tim_conversation_list_lookup (
                       tim_client_get_conversations (ava), conversation_id)),
                   ==, "Member");
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

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/group-owner/change-owner", test_change_owner);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
