/* test-tim-groups.c: libtim's typed group calls against the real server: the members listed
 * owner first, adding members (those that could not be added named), admins and removing
 * members (who may do what to whom), leaving (never as the owner: 10009), dismissing (the
 * owner only), renaming and picturing a group, and bad input refused before the network. A
 * group's history pages to its first message, in the group's order, on a new device and on one
 * that was there as it came (the user's own messages in their place). */
#define G_LOG_DOMAIN "test-tim-groups"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
add_members (TimClient *client, const char *group_id, const char *const *users, GStrv *refused,
             GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_add_group_members_async (client, group_id, users, NULL, tim_test_keep_result, &result);
  return tim_client_add_group_members_finish (client, tim_test_wait_result (&result), refused,
                                              error);
}

static gboolean
quit_group (TimClient *client, const char *group_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_quit_group_async (client, group_id, NULL, tim_test_keep_result, &result);
  return tim_client_quit_group_finish (client, tim_test_wait_result (&result), error);
}

static gboolean
dismiss_group (TimClient *client, const char *group_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_dismiss_group_async (client, group_id, NULL, tim_test_keep_result, &result);
  return tim_client_dismiss_group_finish (client, tim_test_wait_result (&result), error);
}

static gboolean
remove_member (TimClient *client, const char *group_id, const char *user_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_remove_group_member_async (client, group_id, user_id, NULL, tim_test_keep_result,
                                        &result);
  return tim_client_remove_group_member_finish (client, tim_test_wait_result (&result), error);
}

static gboolean
set_admin (TimClient *client, const char *group_id, const char *user_id, gboolean admin,
           GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_group_admin_async (client, group_id, user_id, admin, NULL, tim_test_keep_result,
                                    &result);
  return tim_client_set_group_admin_finish (client, tim_test_wait_result (&result), error);
}

static void
test_members_add_quit_dismiss (void)
{
  const char *first[] = { "hal", NULL };
  const char *more[] = { "ida", "nobody-here", "hal", NULL };
  const char *just_gus[] = { "gus", NULL };
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (TimClient) ida = tim_test_client_new (fixture, base_dir, "ida");
  g_autofree char *group_id = tim_test_create_group (gus, "Crew", first);
  g_autofree char *members = NULL;
  g_auto (GStrv) refused = NULL;
  g_auto (GStrv) refused_again = NULL;
  g_autoptr (GError) error = NULL;

  /* The owner first, whatever the order of the IDs. */
  g_assert_cmpstr ((members = tim_test_group_members (hal, group_id, &error)), ==,
                   "gus:Owner hal:Member");
  g_assert_no_error (error);
  g_clear_pointer (&members, g_free);

  /* Added who could be; named who could not (no such account, a member already). */
  g_assert_true (add_members (gus, group_id, more, &refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (refused), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *) refused, "nobody-here"));
  g_assert_true (g_strv_contains ((const char *const *) refused, "hal"));
  g_assert_cmpstr ((members = tim_test_group_members (gus, group_id, &error)), ==,
                   "gus:Owner hal:Member ida:Member");
  g_clear_pointer (&members, g_free);

  /* A plain member of a Work group adds too (the server's rule): gus is a member already. */
  g_assert_true (add_members (hal, group_id, just_gus, &refused_again, &error));
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char *const *) refused_again, "gus"));

  /* The owner cannot leave; a member can. */
  g_assert_false (quit_group (gus, group_id, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_OWNER_CANNOT_QUIT);
  g_clear_error (&error);
  g_assert_true (quit_group (ida, group_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr ((members = tim_test_group_members (gus, group_id, &error)), ==,
                   "gus:Owner hal:Member");
  g_clear_pointer (&members, g_free);

  /* The owner makes hal an admin; an admin removes a plain member, but not the owner, and
   * makes nobody an admin; the owner makes hal a plain member again. */
  g_assert_true (add_members (gus, group_id, (const char *[]){ "ida", NULL }, NULL, &error));
  g_assert_true (set_admin (gus, group_id, "hal", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr ((members = tim_test_group_members (ida, group_id, &error)), ==,
                   "gus:Owner hal:Admin ida:Member");
  g_clear_pointer (&members, g_free);
  g_assert_true (remove_member (hal, group_id, "ida", &error));
  g_assert_no_error (error);
  g_assert_false (remove_member (hal, group_id, "gus", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_false (set_admin (hal, group_id, "hal", FALSE, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_true (set_admin (gus, group_id, "hal", FALSE, &error));
  g_assert_cmpstr ((members = tim_test_group_members (gus, group_id, &error)), ==,
                   "gus:Owner hal:Member");
  g_clear_pointer (&members, g_free);

  /* Only the owner dismisses; then the group is gone. */
  g_assert_false (dismiss_group (hal, group_id, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_true (dismiss_group (gus, group_id, &error));
  g_assert_no_error (error);
  g_assert_null (tim_test_group_members (gus, group_id, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND);
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
} Listed;

static gboolean
not_listed (gpointer data)
{
  Listed *listed = data;

  return tim_conversation_list_lookup (tim_client_get_conversations (listed->client),
                                       listed->conversation_id) == NULL;
}

static gboolean
is_listed (gpointer data)
{
  return !not_listed (data);
}

/* As the Web SDK does: a group's conversation leaves the list when I leave it (on this device),
 * am removed (notice 4) or it is dismissed (5; here by its owner, on the owner's device too). */
static void
test_conversation_leaves_the_list (void)
{
  const char *members[] = { "kim", "lou", "max", "nat", NULL };
  g_autoptr (TimClient) joe = tim_test_client_new (fixture, base_dir, "joe");
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autoptr (TimClient) max = tim_test_client_new (fixture, base_dir, "max");
  g_autoptr (TimClient) nat = tim_test_client_new (fixture, base_dir, "nat");
  g_autoptr (JsonObject) quit_body = json_object_new ();
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *group_id = tim_test_create_group (joe, "Crew", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) hello =
      tim_client_create_text_message (joe, group_id, TIM_CONV_GROUP, "hello crew");
  g_autoptr (GError) error = NULL;
  TimClient *everyone[] = { joe, kim, lou, max, nat };

  g_assert_true (tim_test_send (joe, hello, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (everyone); i++)
    g_assert_true (
        tim_test_wait_until (is_listed, &(Listed){ everyone[i], conversation_id }, 10000));

  g_assert_true (quit_group (kim, group_id, &error));
  g_assert_true (not_listed (&(Listed){ kim, conversation_id }));
  /* The same through the untyped call the CLI uses. */
  json_object_set_string_member (quit_body, "GroupId", group_id);
  tim_client_group_request_async (nat, "group_open_http_svc.quit_group", quit_body, NULL,
                                  tim_test_keep_result, &result);
  reply = tim_client_group_request_finish (nat, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (not_listed (&(Listed){ nat, conversation_id }));
  g_assert_true (remove_member (joe, group_id, "lou", &error));
  g_assert_true (tim_test_wait_until (not_listed, &(Listed){ lou, conversation_id }, 10000));
  g_assert_true (dismiss_group (joe, group_id, &error));
  g_assert_no_error (error);
  g_assert_true (not_listed (&(Listed){ joe, conversation_id }));
  g_assert_true (tim_test_wait_until (not_listed, &(Listed){ max, conversation_id }, 10000));
}

static gboolean
update_profile (TimClient *client, const char *group_id, const char *name, GFile *picture,
                GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_update_group_profile_async (client, group_id, name, NULL, NULL, picture, NULL,
                                         tim_test_keep_result, &result);
  return tim_client_update_group_profile_finish (client, tim_test_wait_result (&result), error);
}

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

static gboolean
set_mute_all (TimClient *client, const char *group_id, gboolean mute_all, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_group_mute_all_async (client, group_id, mute_all, NULL, tim_test_keep_result,
                                       &result);
  return tim_client_set_group_mute_all_finish (client, tim_test_wait_result (&result), error);
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
  g_assert_true (set_mute_all (quinn, group_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (
      shows, &(Shown){ ron, conversation_id, .notification = "Ship on Friday", .mute = MUTED },
      10000));

  muted = tim_client_create_text_message (ron, group_id, TIM_CONV_GROUP, "can I talk?");
  g_assert_false (tim_test_send (ron, muted, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_MUTED);
  g_clear_error (&error);
  g_assert_false (set_mute_all (ron, group_id, FALSE, &error));
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

  g_assert_true (set_mute_all (quinn, group_id, FALSE, &error));
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

/* Refused before anything is sent: no group, a blank name, nobody to add. */
static void
test_bad_input (void)
{
  const char *nobody[] = { NULL };
  g_autoptr (TimClient) jan = tim_test_client_new (fixture, base_dir, "jan");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_null (tim_test_group_members (jan, "", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  tim_client_create_group_async (jan, " \t", "Private", nobody, NULL, tim_test_keep_result,
                                 &result);
  g_assert_null (tim_client_create_group_finish (jan, tim_test_wait_result (&result), &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "A group needs a name");
  g_clear_error (&error);
  g_assert_false (add_members (jan, "some-group", nobody, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (quit_group (jan, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (remove_member (jan, "some-group", "", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (set_admin (jan, "some-group", NULL, TRUE, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  guint count;
  GString *tips; /* out: the tips' sentences, one a line */
} Tips;

static gboolean
has_tips (gpointer data)
{
  Tips *tips = data;
  g_autoptr (GPtrArray) history =
      tim_test_get_messages (tips->client, tips->conversation_id, NULL, NULL, NULL, NULL);

  g_string_truncate (tips->tips, 0);
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      g_autofree char *text = tim_message_dup_tip_text (history->pdata[i]);

      if (text != NULL)
        g_string_append_printf (tips->tips, "%s\n", text);
    }
  return history != NULL && history->len >= tips->count;
}

/* Tips name people as everything else does, by their nicks: the members from the tip, the
 * operator from the tip's sender (the server gives its nick as it does a message's sender's);
 * someone without a nick by their ID. */
static void
test_tips_name_people (void)
{
  const char *vic_only[] = { "vic", NULL };
  g_autoptr (TimClient) tia = NULL;
  g_autoptr (TimClient) uma = NULL;
  g_autoptr (TimClient) vic = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) texts = g_string_new (NULL);

  timchat_test_import_account (fixture, "tia", "Tia T.");
  timchat_test_import_account (fixture, "uma", "Uma U.");
  tia = tim_test_client_new (fixture, base_dir, "tia");
  uma = tim_test_client_new (fixture, base_dir, "uma");
  vic = tim_test_client_new (fixture, base_dir, "vic");
  group_id = tim_test_create_group (tia, "Names", vic_only);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_assert_true (add_members (tia, group_id, (const char *[]){ "uma", NULL }, NULL, &error));
  g_assert_true (set_admin (tia, group_id, "uma", TRUE, &error));
  g_assert_true (remove_member (tia, group_id, "uma", &error));
  g_assert_true (update_profile (tia, group_id, "Nicks", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (tim_test_wait_until (has_tips, &(Tips){ vic, conversation_id, 5, texts }, 10000));
  g_assert_cmpstr (texts->str, ==,
                   "Tia T. created the group with vic\n"
                   "Tia T. added Uma U. to the group\n"
                   "Uma U. is now an admin\n"
                   "Uma U. was removed by Tia T.\n"
                   "Tia T. renamed the group to “Nicks”\n");
  /* Notices too: the system sends them, with the operator's nick. */
  g_assert_true (
      tim_test_wait_until (has_tips, &(Tips){ uma, TIM_SYSTEM_CONVERSATION_ID, 3, texts }, 10000));
  g_assert_cmpstr (texts->str, ==,
                   "Names: Tia T. added you to the group\n"
                   "Names: Tia T. made you an admin\n"
                   "Names: You were removed from the group by Tia T.\n");
}

typedef struct
{
  TimClient *client;
  const char *prefix;
} Newest;

/* The client's newest group notice starts with newest->prefix. */
static gboolean
has_newest_notice (gpointer data)
{
  Newest *wanted = data;
  g_autoptr (GPtrArray) page =
      tim_test_get_messages (wanted->client, TIM_SYSTEM_CONVERSATION_ID, NULL, NULL, NULL, NULL);
  g_autofree char *newest =
      page != NULL && page->len > 0 ? tim_message_dup_tip_text (page->pdata[page->len - 1]) : NULL;

  return newest != NULL && g_str_has_prefix (newest, wanted->prefix);
}

/* The group notices as paged: the groups' names, oldest first; the pages' sizes. */
static char *
page_notices (TimClient *client, GString *sizes)
{
  g_autoptr (GString) names = g_string_new (NULL);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;

  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page = tim_test_get_messages (client, TIM_SYSTEM_CONVERSATION_ID,
                                                          cursor, &next, &completed, &error);
      g_autoptr (GString) older = g_string_new (NULL);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        {
          g_autofree char *text = tim_message_dup_tip_text (page->pdata[i]);

          g_string_append_printf (older, "%.3s ", text);
        }
      g_string_prepend (names, older->str);
      g_string_append_printf (sizes, "%u ", page->len);
      g_assert_cmpuint (sizes->len, <, 40); /* no endless paging */
    }
  return g_strdup (names->str);
}

/* Group notices in the order they came, received live or synced after a logout, however many
 * share a second, and paged past the first page (notices have a random MsgSeq: the server's
 * ServerSeq orders them). */
static void
test_notices_in_order_and_paged (void)
{
  const char *wes_only[] = { "wes", NULL };
  g_autoptr (TimClient) xan = tim_test_client_new (fixture, base_dir, "xan");
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GString) sizes = g_string_new (NULL);
  g_autofree char *names = NULL;

  for (guint i = 0; i < 18; i++)
    {
      g_autofree char *name = g_strdup_printf ("G%02u", i);
      g_autofree char *group_id = NULL;

      if (i == 16)
        tim_client_logout (wes); /* the last two come with the sync at the next login */
      group_id = tim_test_create_group (xan, name, wes_only);
      g_string_append_printf (expected, "%s ", name);
      if (i == 15)
        g_assert_true (tim_test_wait_until (has_newest_notice, &(Newest){ wes, "G15: " }, 10000));
    }
  tim_test_client_login (fixture, wes, "wes");
  g_assert_true (tim_test_wait_until (has_newest_notice, &(Newest){ wes, "G17: " }, 10000));

  names = page_notices (wes, sizes);
  g_assert_cmpstr (names, ==, expected->str);
  g_assert_cmpstr (sizes->str, ==, "15 3 ");
}

static GPtrArray *
get_members (TimClient *client, const char *group_id)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *members;

  tim_client_get_group_members_async (client, group_id, NULL, tim_test_keep_result, &result);
  members = tim_client_get_group_members_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return members;
}

/* Members come with their nicknames (the member list has none: libtim asks their profiles, 100
 * at a time), and without one when they have none; they are listed by name within a role. */
static void
test_members_have_nicks (void)
{
  g_autoptr (TimClient) yan = tim_test_client_new (fixture, base_dir, "yan");
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) members = NULL;
  g_autofree char *group_id = NULL;
  guint named = 0;

  for (guint batch = 0; batch < 2; batch++)
    {
      g_autoptr (GString) body = g_string_new ("{\"AccountList\":[");

      for (guint i = batch * 75; i < (batch + 1) * 75; i++)
        {
          g_autofree char *nick = g_strdup_printf (",\"Nick\":\"Crowd %03u\"", i);

          g_ptr_array_add (ids, g_strdup_printf ("crowd%03u", i));
          /* Every tenth without a nick. */
          g_string_append_printf (body, "%s{\"UserID\":\"crowd%03u\"%s}", i % 75 == 0 ? "" : ",", i,
                                  i % 10 == 0 ? "" : nick);
        }
      g_string_append (body, "]}");
      json_object_unref (
          timchat_test_rest (fixture, "im_open_login_svc/multiaccount_import", body->str, NULL));
    }
  g_ptr_array_add (ids, NULL);
  group_id = tim_test_create_group (yan, "Crowd", (const char *const *) ids->pdata);
  members = get_members (yan, group_id);
  g_assert_cmpuint (members->len, ==, 151);
  for (guint i = 0; i < members->len; i++)
    {
      const TimGroupMember *member = members->pdata[i];
      guint n;

      if (g_str_equal (member->user_id, "yan"))
        {
          g_assert_null (member->nick);
          continue;
        }
      n = (guint) g_ascii_strtoull (member->user_id + strlen ("crowd"), NULL, 10);
      if (n % 10 == 0)
        g_assert_null (member->nick);
      else
        {
          g_autofree char *expected = g_strdup_printf ("Crowd %03u", n);

          g_assert_cmpstr (member->nick, ==, expected);
          named++;
        }
    }
  g_assert_cmpuint (named, ==, 135);

  /* By name within a role, as people read it (case aside), not by ID. */
  {
    const char *pair[] = { "aaa", "zzz", NULL };
    g_autofree char *small = NULL;
    g_autoptr (GPtrArray) listed = NULL;

    json_object_unref (timchat_test_rest (fixture, "im_open_login_svc/multiaccount_import",
                                          "{\"AccountList\":[{\"UserID\":\"aaa\",\"Nick\":\"Zed\"},"
                                          "{\"UserID\":\"zzz\",\"Nick\":\"adam\"}]}",
                                          NULL));
    small = tim_test_create_group (yan, "Pair", pair);
    listed = get_members (yan, small);
    g_assert_cmpuint (listed->len, ==, 3);
    g_assert_cmpstr (((TimGroupMember *) listed->pdata[0])->user_id, ==, "yan");
    g_assert_cmpstr (((TimGroupMember *) listed->pdata[1])->user_id, ==, "zzz");
    g_assert_cmpstr (((TimGroupMember *) listed->pdata[2])->user_id, ==, "aaa");
  }
}

static gboolean
set_name_card (TimClient *client, const char *group_id, const char *user_id, const char *name_card,
               GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_group_member_name_card_async (client, group_id, user_id, name_card, NULL,
                                               tim_test_keep_result, &result);
  return tim_client_set_group_member_name_card_finish (client, tim_test_wait_result (&result),
                                                       error);
}

static const char *
last_sender_name (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);
  TimMessage *last = conversation ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL ? tim_message_get_sender_name (last) : NULL;
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  const char *name;
} LastSender;

static gboolean
last_sent_by (gpointer data)
{
  LastSender *want = data;

  return g_strcmp0 (last_sender_name (want->client, want->conversation_id), want->name) == 0;
}

static void
note_name_of_ria (TimClient *client, GPtrArray *names)
{
  TimConversation *ria =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cria");

  g_ptr_array_add (names, g_strdup (ria != NULL ? tim_conversation_get_name (ria) : "(none)"));
}

/* A member's name in a group (setGroupMemberNameCard) names them before their nick: on their
 * messages as they arrive, in the conversation list of a device that has only the server's list,
 * and in the member list. Only one's own or a manager's on a plain member; bad names are refused
 * before anything is sent. */
static void
test_name_cards (void)
{
  const char *sam_only[] = { "sam", NULL };
  g_autofree char *other_dir = tim_test_make_dir ();
  g_autofree char *too_long = g_strnfill (TIM_MAX_NAME_CARD_BYTES + 1, 'x');
  g_autoptr (TimClient) ria = NULL;
  g_autoptr (TimClient) sam = NULL;
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (TimMessage) received = NULL;
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;

  timchat_test_import_account (fixture, "ria", "Ria R.");
  timchat_test_import_account (fixture, "sam", "Sam S.");
  ria = tim_test_client_new (fixture, base_dir, "ria");
  sam = tim_test_client_new (fixture, base_dir, "sam");
  group_id = tim_test_create_group (ria, "Cards", sam_only);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);

  g_assert_false (set_name_card (ria, group_id, NULL, too_long, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (set_name_card (ria, group_id, NULL, "bad \xff", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (set_name_card (ria, group_id, NULL, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  /* A plain member does not name the owner. */
  g_assert_false (set_name_card (sam, group_id, "ria", "Boss", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);

  g_assert_true (set_name_card (ria, group_id, NULL, "  Captain ", &error));
  g_assert_no_error (error);
  hello = tim_client_create_text_message (ria, group_id, TIM_CONV_GROUP, "aboard");
  received = tim_test_send_and_receive (ria, sam, hello);
  g_assert_cmpstr (tim_message_get_name_card (received), ==, "Captain");
  g_assert_cmpstr (tim_message_get_nick (received), ==, "Ria R.");
  g_assert_cmpstr (tim_message_get_sender_name (received), ==, "Captain");
  members = get_members (sam, group_id);
  g_assert_cmpstr (((TimGroupMember *) members->pdata[0])->name_card, ==, "Captain");

  /* Sam's other device has only the server's list: its last message is Ria's, named so, and
   * the C2C conversation with Ria is named from the list itself, before any profile request has
   * been answered (the first list update follows the sync at once). */
  {
    g_autoptr (TimMessage) direct =
        tim_client_create_text_message (ria, "sam", TIM_CONV_C2C, "psst");
    g_autoptr (TimClient) sam_laptop = NULL;
    g_autoptr (GPtrArray) first_names = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *ws = timchat_fixture_ws_url (fixture);
    g_autofree char *laptop_dir = g_build_filename (other_dir, "sam", NULL);

    g_assert_true (tim_test_send (ria, direct, &error));
    g_assert_no_error (error);
    sam_laptop = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), laptop_dir);
    g_signal_connect (sam_laptop, "conversation-list-updated", G_CALLBACK (note_name_of_ria),
                      first_names);
    tim_test_client_login (fixture, sam_laptop, "sam");
    g_assert_true (tim_test_wait_until (
        last_sent_by, &(LastSender){ sam_laptop, conversation_id, "Captain" }, 10000));
    g_assert_cmpuint (first_names->len, >, 0);
    g_assert_cmpstr (first_names->pdata[0], ==, "Ria R.");
  }

  /* Cleared: the nick again, on the next message. */
  g_assert_true (set_name_card (ria, group_id, NULL, "", &error));
  g_assert_no_error (error);
  g_clear_object (&hello);
  g_clear_object (&received);
  hello = tim_client_create_text_message (ria, group_id, TIM_CONV_GROUP, "plain again");
  received = tim_test_send_and_receive (ria, sam, hello);
  g_assert_cmpstr (tim_message_get_sender_name (received), ==, "Ria R.");
  tim_test_remove_dir (other_dir);
}

/* Every text of a group's history as client pages it (page by page, to the end), oldest first,
 * space-joined; *pages_out the number of pages. */
static char *
paged_texts (TimClient *client, const char *conversation_id, guint *pages_out)
{
  g_autoptr (GString) texts = g_string_new (NULL);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;
  guint pages = 0;
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  while (!completed)
    {
      g_autofree char *next_out = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (client, conversation_id, next, &next_out, &completed, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (++pages, <, 20);
      /* This page goes before what came already: it is older. */
      for (guint i = page->len; i > 0; i--)
        g_ptr_array_insert (all, 0, g_object_ref (page->pdata[i - 1]));
      g_free (next);
      next = g_steal_pointer (&next_out);
    }
  for (guint i = 0; i < all->len; i++)
    if (tim_message_get_elem_type (all->pdata[i]) == TIM_ELEM_TEXT)
      g_string_append_printf (texts, "%s%s", texts->len > 0 ? " " : "",
                              tim_message_get_text (all->pdata[i]));
  *pages_out = pages;
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* 35 messages, one of them uma's own between tom's: a new device of uma's pages back to the
 * first (three pages of 15, the creation tip in the first), and so does the device that was
 * there when they came, its own one in its place. */
static void
test_history_pages (void)
{
  const char *members[] = { "uma", NULL };
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone-uma", NULL);
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop-uma", NULL);
  g_autoptr (TimClient) tom = tim_test_client_new (fixture, base_dir, "tom");
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "uma");
  g_autofree char *group_id = tim_test_create_group (tom, "Pages", members);
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autofree char *on_laptop = NULL;
  g_autofree char *on_phone = NULL;
  guint pages = 0;

  for (int i = 1; i <= 35; i++)
    {
      g_autofree char *text = g_strdup_printf ("p%02d", i);
      TimClient *from = i == 20 ? phone : tom;
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (from, group_id, TIM_CONV_GROUP, text);
      g_autoptr (TimMessage) got = i == 20 ? NULL : tim_test_send_and_receive (tom, phone, sent);

      if (i == 20)
        g_assert_true (tim_test_send (phone, sent, NULL));
      g_string_append_printf (expected, "%s%s", expected->len > 0 ? " " : "", text);
    }
  {
    g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "uma");

    on_laptop = paged_texts (laptop, conversation_id, &pages);
    g_assert_cmpstr (on_laptop, ==, expected->str);
    g_assert_cmpuint (pages, ==, 3);
  }
  /* The phone again, from what it stored. */
  g_clear_object (&phone);
  phone = tim_test_client_new (fixture, phone_dir, "uma");
  on_phone = paged_texts (phone, conversation_id, &pages);
  g_assert_cmpstr (on_phone, ==, expected->str);
}

#define RATE_BURST 12

typedef struct
{
  TimMessage *message;
  GAsyncResult *result;
} RateSend;

/* A burst over the group's rate limit (1 message a second): the server answers the ones it sheds
 * with success and MsgSeq 0, as the vendor does. None of those may pass for sent: each fails with
 * 10023, in words, and can be sent again; what says success is what the others see. */
static void
test_rate_limited_not_sent (void)
{
  const char *conf[] = { "limits/group_rate=1", NULL };
  g_autoptr (TimchatFixture) limited = timchat_fixture_new (conf);
  g_autoptr (TimClient) ann = tim_test_client_new (limited, base_dir, "rate-ann");
  g_autoptr (TimClient) ben = tim_test_client_new (limited, base_dir, "rate-ben");
  const char *members[] = { "rate-ben", NULL };
  g_autofree char *group_id = tim_test_create_group (ann, "Busy", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next = NULL;
  RateSend sends[RATE_BURST] = { { 0 } };
  TimMessage *refused = NULL;
  guint sent = 0, dropped = 0;
  gboolean completed = FALSE;

  for (guint i = 0; i < RATE_BURST; i++)
    {
      g_autofree char *text = g_strdup_printf ("busy %02u", i);

      sends[i].message = tim_client_create_text_message (ann, group_id, TIM_CONV_GROUP, text);
      tim_client_send_message_async (ann, sends[i].message, NULL, NULL, NULL, NULL,
                                     tim_test_keep_result, &sends[i].result);
    }
  for (guint i = 0; i < RATE_BURST; i++)
    {
      g_autoptr (GError) error = NULL;

      if (tim_client_send_message_finish (ann, tim_test_wait_result (&sends[i].result), &error))
        {
          g_assert_cmpint (tim_message_get_status (sends[i].message), ==,
                           TIM_MESSAGE_STATUS_SUCCESS);
          g_assert_cmpint (tim_message_get_server_seq (sends[i].message), >, 0);
          sent++;
          continue;
        }
      g_assert_error (error, TIM_ERROR, 10023);
      g_assert_nonnull (strstr (error->message, "send it again"));
      g_assert_cmpint (tim_message_get_status (sends[i].message), ==, TIM_MESSAGE_STATUS_FAIL);
      g_assert_cmpint (tim_message_get_error_code (sends[i].message), ==, 10023);
      refused = sends[i].message;
      dropped++;
    }
  g_assert_cmpuint (dropped, >, 0);
  g_assert_cmpuint (sent + dropped, ==, RATE_BURST);

  /* What ben's history has is exactly what ann was told was sent. */
  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (ben, conversation_id, cursor, &next, &completed, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        if (tim_message_get_elem_type (page->pdata[i]) == TIM_ELEM_TEXT)
          g_hash_table_add (seen, g_strdup (tim_message_get_text (page->pdata[i])));
      if (page->len == 0)
        break;
    }
  for (guint i = 0; i < RATE_BURST; i++)
    g_assert_cmpint (g_hash_table_contains (seen, tim_message_get_text (sends[i].message)), ==,
                     tim_message_get_status (sends[i].message) == TIM_MESSAGE_STATUS_SUCCESS);

  /* Sent again once the bucket has refilled, it is kept. */
  g_usleep (1200 * 1000);
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (tim_test_resend (ann, refused, &error));
    g_assert_no_error (error);
    g_assert_cmpint (tim_message_get_server_seq (refused), >, 0);
  }
  for (guint i = 0; i < RATE_BURST; i++)
    {
      g_clear_object (&sends[i].message);
      g_clear_object (&sends[i].result);
    }
  tim_client_logout (ann);
  tim_client_logout (ben);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/groups/members-add-quit-dismiss", test_members_add_quit_dismiss);
  g_test_add_func ("/tim/groups/conversation-leaves-the-list", test_conversation_leaves_the_list);
  g_test_add_func ("/tim/groups/bad-input", test_bad_input);
  g_test_add_func ("/tim/groups/profile", test_group_profile);
  g_test_add_func ("/tim/groups/announcement-and-mute-all", test_announcement_and_mute_all);
  g_test_add_func ("/tim/groups/tips-name-people", test_tips_name_people);
  g_test_add_func ("/tim/groups/notices-in-order-and-paged", test_notices_in_order_and_paged);
  g_test_add_func ("/tim/groups/members-have-nicks", test_members_have_nicks);
  g_test_add_func ("/tim/groups/name-cards", test_name_cards);
  g_test_add_func ("/tim/groups/history-pages", test_history_pages);
  g_test_add_func ("/tim/groups/rate-limited-not-sent", test_rate_limited_not_sent);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  tim_test_remove_dir (base_dir);
  g_free (base_dir);
  return status;
}
