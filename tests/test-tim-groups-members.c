/* test-tim-groups-members.c: libtim's typed calls on a group's members against the real server:
 * the members listed owner first, adding members (those that could not be added named), admins
 * and removing members (who may do what to whom), leaving (never as the owner: 10009),
 * dismissing (the owner only), the conversation leaving the list, bad input refused before the
 * network, members' nicknames and their names in the group (name cards). Split from
 * test-tim-groups.c (libtim's group calls, by theme) to keep each program short; one server per
 * program. */
#define G_LOG_DOMAIN "test-tim-groups-members"

#include "config.h"

#include <string.h>

#include "test-tim-groups-common.h"
#include "tim-error.h"
#include "tim-limits.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

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
  g_test_add_func ("/tim/groups/members-have-nicks", test_members_have_nicks);
  g_test_add_func ("/tim/groups/name-cards", test_name_cards);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  tim_test_remove_dir (base_dir);
  g_free (base_dir);
  return status;
}
