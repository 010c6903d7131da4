/* test-tim-groups-profile.c: a group's profile through libtim against the real server: renaming
 * and picturing a group (bad values refused before the network, a Public group's refused by the
 * server), the announcement and muting everyone, as each member's conversation shows them and as
 * a later session knows them. Split from test-tim-groups.c (libtim's group calls, by theme) to
 * keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-tim-groups-profile"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "test-tim-groups-common.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  /* What the conversation must show; NULL (or ANY) for what does not matter. */
  const char *name;
  const char *avatar;
  const char *notification;
  const char *role;
  enum
  {
    ANY,
    UNMUTED,
    MUTED,
  } mute;
} Shown;

static gboolean
wanted (const char *want, const char *got)
{
  return want == NULL || g_strcmp0 (want, got) == 0;
}

static gboolean
shows (gpointer data)
{
  Shown *shown = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (shown->client), shown->conversation_id);

  return conversation != NULL && wanted (shown->name, tim_conversation_get_name (conversation)) &&
         wanted (shown->avatar, tim_conversation_get_avatar (conversation)) &&
         wanted (shown->notification, tim_conversation_get_group_notification (conversation)) &&
         wanted (shown->role, tim_conversation_get_group_self_role (conversation)) &&
         (shown->mute == ANY ||
          tim_conversation_get_group_mute_all (conversation) == (shown->mute == MUTED));
}

static const char *
avatar_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  return conversation != NULL ? tim_conversation_get_avatar (conversation) : NULL;
}

static TimConversation *
group_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  g_assert_nonnull (conversation);
  return conversation;
}

/* The owner posts an announcement and mutes everyone else: members see both on their
 * conversation (from the tips), cannot post, and cannot unmute; the profile says the same to a
 * client that asks. */
static void
test_announcement_and_mute_all (void)
{
  const char *crew[] = { "ron", NULL };
  g_autoptr (TimClient) quinn = tim_test_client_new (fixture, base_dir, "quinn");
  g_autoptr (TimClient) ron = tim_test_client_new (fixture, base_dir, "ron");
  g_autoptr (TimClient) sam = tim_test_client_new (fixture, base_dir, "sam");
  g_autofree char *group_id = tim_test_create_group (quinn, "Crew", crew);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) muted = NULL;
  g_autoptr (TimMessage) unmuted = NULL;
  g_autoptr (TimConversation) asked = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_update_group_profile_async (quinn, group_id, NULL, NULL, "Ship on Friday", NULL, NULL,
                                         tim_test_keep_result, &result);
  g_assert_true (
      tim_client_update_group_profile_finish (quinn, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_set_group_mute_all (quinn, group_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (
      shows, &(Shown){ ron, conversation_id, .notification = "Ship on Friday", .mute = MUTED },
      10000));

  muted = tim_client_create_text_message (ron, group_id, TIM_CONV_GROUP, "can I talk?");
  g_assert_false (tim_test_send (ron, muted, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_MUTED);
  g_clear_error (&error);
  g_assert_false (tim_test_set_group_mute_all (ron, group_id, FALSE, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);

  /* One who joins later had none of those tips: the profile tells them. */
  g_assert_true (add_members (quinn, group_id, (const char *[]){ "sam", NULL }, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  tim_client_get_conversation_profile_async (sam, conversation_id, NULL, tim_test_keep_result,
                                             &result);
  asked = tim_client_get_conversation_profile_finish (sam, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tim_conversation_get_group_notification (asked), ==, "Ship on Friday");
  g_assert_true (tim_conversation_get_group_mute_all (asked));
  /* And sam's role: a plain member may not post now. */
  g_assert_cmpstr (tim_conversation_get_group_self_role (asked), ==, "Member");
  g_assert_false (tim_conversation_get_can_post (asked));

  /* Made an admin (tip 4), ron may post again, muted or not; taken back (5), he may not. */
  g_assert_true (set_admin (quinn, group_id, "ron", TRUE, &error));
  g_assert_true (
      tim_test_wait_until (shows, &(Shown){ ron, conversation_id, .role = "Admin" }, 10000));
  g_assert_true (tim_conversation_get_can_post (group_of (ron, conversation_id)));
  g_assert_true (set_admin (quinn, group_id, "ron", FALSE, &error));
  g_assert_true (
      tim_test_wait_until (shows, &(Shown){ ron, conversation_id, .role = "Member" }, 10000));
  g_assert_false (tim_conversation_get_can_post (group_of (ron, conversation_id)));

  /* ron's next session knows all of it from his local store, before asking anyone. */
  g_clear_object (&ron);
  ron = tim_test_client_new (fixture, base_dir, "ron");
  g_assert_true (
      shows (&(Shown){ ron, conversation_id, .notification = "Ship on Friday", .mute = MUTED }));
  g_assert_cmpstr (tim_conversation_get_group_self_role (group_of (ron, conversation_id)), ==,
                   "Member");
  g_assert_false (tim_conversation_get_can_post (group_of (ron, conversation_id)));

  g_assert_true (tim_test_set_group_mute_all (quinn, group_id, FALSE, &error));
  g_assert_true (tim_test_wait_until (
      shows, &(Shown){ ron, conversation_id, .notification = "Ship on Friday", .mute = UNMUTED },
      10000));
  unmuted = tim_client_create_text_message (ron, group_id, TIM_CONV_GROUP, "now I can");
  g_assert_true (tim_test_send (ron, unmuted, &error));
  g_assert_no_error (error);
}

/* Any member renames a Private group and gives it a picture: their conversation shows it at
 * once, the other members' when the tip comes. Bad values are refused before the network; a
 * plain member of a Public group is refused by the server. */
static void
test_group_profile (void)
{
  const char *crew[] = { "pat", NULL };
  g_autoptr (TimClient) oli = tim_test_client_new (fixture, base_dir, "oli");
  g_autoptr (TimClient) pat = tim_test_client_new (fixture, base_dir, "pat");
  g_autofree char *group_id = tim_test_create_group (oli, "Crew", crew);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *png_path = g_build_filename (base_dir, "crew.png", NULL);
  g_autofree char *text_path = g_build_filename (base_dir, "crew.txt", NULL);
  g_autoptr (GFile) png = g_file_new_for_path (png_path);
  g_autoptr (GFile) text = g_file_new_for_path (text_path);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 300);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *public_id = NULL;
  g_autofree char *avatar = NULL;

  gdk_pixbuf_fill (pixbuf, 0x88aa33ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, png_path, "png", &error, NULL));
  g_assert_true (g_file_set_contents (text_path, "not a picture\n", -1, NULL));
  g_assert_true (tim_test_wait_until (shows, &(Shown){ pat, conversation_id, "Crew" }, 10000));

  g_assert_true (update_profile (pat, group_id, "  Night crew ", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (shows (&(Shown){ pat, conversation_id, "Night crew" }));
  g_assert_true (
      tim_test_wait_until (shows, &(Shown){ oli, conversation_id, "Night crew" }, 10000));

  g_assert_true (update_profile (oli, group_id, NULL, png, &error));
  g_assert_no_error (error);
  avatar = g_strdup (avatar_of (oli, conversation_id));
  g_assert_nonnull (strstr (avatar, "/files/"));
  g_assert_true (shows (&(Shown){ oli, conversation_id, "Night crew", avatar }));
  g_assert_true (
      tim_test_wait_until (shows, &(Shown){ pat, conversation_id, "Night crew", avatar }, 10000));

  /* Renamed while pat is away: pat's next session shows the new name. */
  g_clear_object (&pat);
  g_assert_true (update_profile (oli, group_id, "Away crew", NULL, &error));
  g_assert_no_error (error);
  pat = tim_test_client_new (fixture, base_dir, "pat");
  g_assert_true (
      tim_test_wait_until (shows, &(Shown){ pat, conversation_id, "Away crew", avatar }, 10000));

  /* Refused here (in our words, not the server's): an empty name (an ideographic space is empty
   * too), one too long, nothing to change; by the upload: not a picture. */
  g_assert_false (update_profile (pat, group_id, " ", NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (update_profile (pat, group_id, "\u3000", NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "A group needs a name");
  g_clear_error (&error);
  g_assert_false (update_profile (pat, group_id, "0123456789012345678901234567890", NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (update_profile (pat, group_id, NULL, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (update_profile (pat, group_id, NULL, text, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (shows (&(Shown){ pat, conversation_id, "Away crew", avatar }));

  /* A Public group: the owner's and admins' to change. */
  tim_client_create_group_async (oli, "Town", "Public", crew, NULL, tim_test_keep_result, &result);
  public_id = tim_client_create_group_finish (oli, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_false (update_profile (pat, public_id, "Mine now", NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
}

/* The user's own rename and mute-all show by the time the call completes, though the group tip
 * of each comes later (a proxy holds the server's pushes back 1 s; answers go on at once): the
 * answer says it. The server has answered ahead of the tip since 28 Nov, and libtim showed the
 * change only with the tip: a caller that looked at once found the old name whenever the tip came
 * in a later read of the socket (CI, 28 Nov). */
static void
test_own_change_shown_before_its_tip (void)
{
  const char *members[] = { "late-zed", NULL };
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "late-yan", NULL);
  g_autoptr (TimClient) zed = tim_test_client_new (fixture, base_dir, "late-zed");
  g_autoptr (TimClient) yan = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;

  tim_test_client_login (fixture, yan, "late-yan");
  group_id = tim_test_create_group (yan, "Before", members);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_assert_true (tim_test_wait_until (shows, &(Shown){ yan, conversation_id, "Before" }, 10000));
  timchat_test_proxy_delay_pushes (proxy, 1000);

  g_assert_true (update_profile (yan, group_id, "After", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (shows (&(Shown){ yan, conversation_id, "After" }));
  g_assert_true (tim_test_set_group_mute_all (yan, group_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (shows (&(Shown){ yan, conversation_id, "After", .mute = MUTED }));
  /* The tips, when they come, say the same. */
  g_assert_true (
      tim_test_wait_until (shows, &(Shown){ zed, conversation_id, "After", .mute = MUTED }, 10000));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/groups/profile", test_group_profile);
  g_test_add_func ("/tim/groups/announcement-and-mute-all", test_announcement_and_mute_all);
  g_test_add_func ("/tim/groups/own-change-shown-before-its-tip",
                   test_own_change_shown_before_its_tip);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  tim_test_remove_dir (base_dir);
  g_free (base_dir);
  return status;
}
