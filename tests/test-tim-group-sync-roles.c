/* test-tim-group-sync-roles.c: a member's role and membership in a group, changed while the
 * member's client was away, as its next session sees them: removed and added back (the group
 * stays listed, one not added back leaves the list), made an admin and the role taken back (from
 * the tips of the group catch-up, or from the joined-group list read at login when the tips are
 * too far back; never reading "Admin" on the way when both come in one absence), and the role and
 * mute-all of a new device's group read from the joined-group list. Split from
 * test-tim-group-sync.c (libtim's group state after being away, by theme) to keep each program
 * short; one server per program. */
#define G_LOG_DOMAIN "test-tim-group-sync-roles"

#include "config.h"

#include "test-tim-group-sync-common.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static void
remove_member (TimClient *manager, const char *group_id, const char *user_id)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_remove_group_member_async (manager, group_id, user_id, NULL, tim_test_keep_result,
                                        &result);
  g_assert_true (
      tim_client_remove_group_member_finish (manager, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
add_member (TimClient *manager, const char *group_id, const char *user_id)
{
  const char *users[] = { user_id, NULL };
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) refused = NULL;

  tim_client_add_group_members_async (manager, group_id, users, NULL, tim_test_keep_result,
                                      &result);
  g_assert_true (tim_client_add_group_members_finish (manager, tim_test_wait_result (&result),
                                                      &refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (refused), ==, 0);
}

/* Removed from a group and added back while the client was away: the next session's sync replays
 * both notices (getmsg), after the conversation list, which names the group. The user is a member,
 * and the group stays listed, with what it missed; one it was removed from and not added back to
 * leaves the list, as ever. */
static void
test_removed_and_added_back_while_away (void)
{
  const char *members[] = { "mona", NULL };
  g_autoptr (TimClient) lars = tim_test_client_new (fixture, base_dir, "lars");
  g_autoptr (TimClient) mona = tim_test_client_new (fixture, base_dir, "mona");
  g_autofree char *group_id = tim_test_create_group (lars, "Back again", members);
  g_autofree char *gone_id = tim_test_create_group (lars, "Gone", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *gone_conversation_id = g_strconcat ("GROUP", gone_id, NULL);
  TimTestLastText before = { mona, conversation_id, "before" };
  TimTestLastText gone_before = { mona, gone_conversation_id, "before" };
  TimTestLastText back = { NULL, conversation_id, "welcome back" };

  send_group_text (lars, group_id, "before", NULL);
  send_group_text (lars, gone_id, "before", NULL);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &before, 10000));
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &gone_before, 10000));
  g_clear_object (&mona);

  remove_member (lars, group_id, "mona");
  add_member (lars, group_id, "mona");
  send_group_text (lars, group_id, "welcome back", NULL);
  remove_member (lars, gone_id, "mona");

  mona = tim_test_client_new (fixture, base_dir, "mona");
  back.client = mona;
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &back, 10000));
  timchat_test_spin (300);
  g_assert_nonnull (
      tim_conversation_list_lookup (tim_client_get_conversations (mona), conversation_id));
  g_assert_null (
      tim_conversation_list_lookup (tim_client_get_conversations (mona), gone_conversation_id));
}

static void
set_admin (TimClient *owner, const char *group_id, const char *user_id, gboolean admin)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_set_group_admin_async (owner, group_id, user_id, admin, NULL, tim_test_keep_result,
                                    &result);
  g_assert_true (tim_client_set_group_admin_finish (owner, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static char *
role_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  return g_strdup (conversation != NULL ? tim_conversation_get_group_self_role (conversation)
                                        : "(not listed)");
}

/* olga's client, started again: once the sync brought last_text, her role is want, in memory, and
 * in the local store the session after (read as the account opens, before the server answers). */
static void
restart_with_role (TimClient **olga, const char *conversation_id, const char *last_text,
                   const char *want)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *dir = g_build_filename (base_dir, "olga", NULL);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "olga", 3600);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText last = { NULL, conversation_id, last_text };
  g_autofree char *role = NULL;
  g_autofree char *stored_role = NULL;

  g_clear_object (olga);
  *olga = last.client = tim_test_client_new (fixture, base_dir, "olga");
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &last, 10000));
  timchat_test_spin (300);
  role = role_of (*olga, conversation_id);
  g_assert_cmpstr (role, ==, want);

  g_clear_object (olga);
  *olga = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  tim_client_login_async (*olga, "olga", usersig, NULL, tim_test_keep_result, &result);
  stored_role = role_of (*olga, conversation_id);
  g_assert_cmpstr (stored_role, ==, want);
  g_assert_true (tim_client_login_finish (*olga, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (is_ready, *olga, 10000));
}

/* A group named Roles, with olga in it, who saw its first message; her client is closed. */
static char *
roles_group (TimClient *nils, const char *name)
{
  const char *members[] = { "olga", NULL };
  g_autoptr (TimClient) olga = tim_test_client_new (fixture, base_dir, "olga");
  char *group_id = tim_test_create_group (nils, name, members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  TimTestLastText last = { olga, conversation_id, "before" };
  g_autofree char *role = NULL;

  send_group_text (nils, group_id, "before", NULL);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &last, 10000));
  timchat_test_spin (300);
  role = role_of (olga, conversation_id);
  g_assert_cmpstr (role, ==, "Member");
  return group_id;
}

/* Made an admin while the client was away, then the role taken back in another absence, each
 * time with a message after the tip: the next session's sync fetches the tip with what was
 * missed (the group catch-up), and the user's role is the server's, in memory and in the local
 * store the session after. The conversation list's last message, read before the catch-up, is
 * newer than the tip, and does not keep it from counting. */
static void
test_role_changed_while_away (void)
{
  g_autoptr (TimClient) nils = tim_test_client_new (fixture, base_dir, "nils");
  g_autoptr (TimClient) olga = NULL;
  g_autofree char *group_id = roles_group (nils, "Roles");
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);

  set_admin (nils, group_id, "olga", TRUE);
  send_group_text (nils, group_id, "made admin", NULL);
  restart_with_role (&olga, conversation_id, "made admin", "Admin");
  g_clear_object (&olga);

  set_admin (nils, group_id, "olga", FALSE);
  send_group_text (nils, group_id, "no longer", NULL);
  restart_with_role (&olga, conversation_id, "no longer", "Member");
}

/* The same with more after the tip than the group catch-up fetches (5 pages of 20): the tip never
 * reaches this device, and the role comes from the joined-group list read at login. */
static void
test_role_changed_long_ago (void)
{
  g_autoptr (TimClient) nils = tim_test_client_new (fixture, base_dir, "nils");
  g_autoptr (TimClient) olga = NULL;
  g_autofree char *group_id = roles_group (nils, "Roles long ago");
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);

  for (guint round = 0; round < 2; round++)
    {
      set_admin (nils, group_id, "olga", round == 0);
      for (guint i = 1; i <= 110; i++)
        {
          g_autofree char *text = g_strdup_printf ("after %u %03u", round, i);

          send_group_text (nils, group_id, text, NULL);
          /* Under the server's group rate (40 a second in the fixture). */
          timchat_test_spin (30);
        }
      {
        g_autofree char *last_text = g_strdup_printf ("after %u 110", round);

        restart_with_role (&olga, conversation_id, last_text, round == 0 ? "Admin" : "Member");
      }
      g_clear_object (&olga);
    }
}

static void
on_role_notify (TimConversation *conversation, GParamSpec *pspec, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (tim_conversation_get_group_self_role (conversation)));
}

/* Made an admin and the role taken back in one absence: both tips come with the group catch-up,
 * after the joined-group list that said "Member" already. They are older than that list, and the
 * role does not read "Admin" on the way (a UI would show, and the local store keep, what the user
 * is no longer). */
static void
test_role_given_and_taken_while_away (void)
{
  g_autoptr (TimClient) nils = tim_test_client_new (fixture, base_dir, "nils");
  g_autofree char *group_id = roles_group (nils, "Roles and back");
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *dir = g_build_filename (base_dir, "olga", NULL);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "olga", 3600);
  g_autoptr (GPtrArray) roles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimClient) olga = NULL;
  g_autofree char *role = NULL;
  TimConversation *conversation;
  TimTestLastText last = { NULL, conversation_id, "and back" };

  set_admin (nils, group_id, "olga", TRUE);
  set_admin (nils, group_id, "olga", FALSE);
  send_group_text (nils, group_id, "and back", NULL);
  olga = last.client = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  tim_client_login_async (olga, "olga", usersig, NULL, tim_test_keep_result, &result);
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (olga), conversation_id);
  g_assert_nonnull (conversation);
  g_signal_connect (conversation, "notify::group-self-role", G_CALLBACK (on_role_notify), roles);
  g_assert_true (tim_client_login_finish (olga, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &last, 10000));
  timchat_test_spin (300);
  g_signal_handlers_disconnect_by_func (conversation, on_role_notify, roles);
  g_ptr_array_add (roles, NULL);
  role = g_strjoinv (", ", (char **) roles->pdata);
  g_assert_cmpstr (role, ==, "");
  g_assert_cmpstr (tim_conversation_get_group_self_role (conversation), ==, "Member");
}

static void
set_mute_all (TimClient *owner, const char *group_id, gboolean mute_all)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_set_group_mute_all (owner, group_id, mute_all, &error));
  g_assert_no_error (error);
}

/* A new device (nothing in its local store) lists a group with mute-all on that the user is a
 * plain member of. The joined-group list read at login, answered before the conversation list
 * made the group's conversation, says so: the role is "Member", mute-all on, and the user may
 * not post, with no profile fetched. Without it the role stayed unknown and mute-all off, and a
 * UI offered the composer to a member the server then refused. */
static void
test_role_on_new_device (void)
{
  const char *members[] = { "tess", NULL };
  g_autoptr (TimClient) sara = tim_test_client_new (fixture, base_dir, "sara");
  g_autoptr (TimClient) tess = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;
  TimTestLastText hello = { NULL, NULL, "hello" };
  TimConversation *conversation;

  timchat_test_import_account (fixture, "tess", NULL);
  group_id = tim_test_create_group (sara, "Quiet", members);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);
  set_mute_all (sara, group_id, TRUE);
  send_group_text (sara, group_id, "hello", NULL);

  tess = hello.client = tim_test_client_new (fixture, base_dir, "tess");
  hello.conversation_id = conversation_id;
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &hello, 10000));
  timchat_test_spin (300);
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (tess), conversation_id);
  g_assert_cmpstr (tim_conversation_get_group_self_role (conversation), ==, "Member");
  g_assert_true (tim_conversation_get_group_mute_all (conversation));
  g_assert_false (tim_conversation_get_can_post (conversation));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/group-sync/removed-and-added-back-while-away",
                   test_removed_and_added_back_while_away);
  g_test_add_func ("/tim/group-sync/role-changed-while-away", test_role_changed_while_away);
  g_test_add_func ("/tim/group-sync/role-changed-long-ago", test_role_changed_long_ago);
  g_test_add_func ("/tim/group-sync/role-given-and-taken-while-away",
                   test_role_given_and_taken_while_away);
  g_test_add_func ("/tim/group-sync/role-on-new-device", test_role_on_new_device);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
