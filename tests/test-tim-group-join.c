/* test-tim-group-join.c: joining a group of one's own accord through libtim and the real server
 * (the Web SDK's searchGroupByID, joinGroup and handleGroupApplication): what an outsider sees,
 * a Meeting joined at once and listed, a Public group's application answered by the owner from
 * its notice (which keeps the answer, across a restart, and says ANSWERED on the device that came
 * second), a refusal with its reason, the pending list (getGroupApplicationList) answered from,
 * and bad input. */
#define G_LOG_DOMAIN "test-tim-group-join"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static char *
create_group (TimClient *owner, const char *type)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  char *group_id;

  tim_client_create_group_async (owner, "Club", type, NULL, NULL, tim_test_keep_result, &result);
  group_id = tim_client_create_group_finish (owner, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return group_id;
}

static TimGroupInfo *
search (TimClient *client, const char *group_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_search_group_async (client, group_id, NULL, tim_test_keep_result, &result);
  return tim_client_search_group_finish (client, tim_test_wait_result (&result), error);
}

static int
join (TimClient *client, const char *group_id, const char *message, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_join_group_async (client, group_id, message, NULL, tim_test_keep_result, &result);
  return tim_client_join_group_finish (client, tim_test_wait_result (&result), error);
}

static gboolean
answer (TimClient *client, TimMessage *notice, gboolean agree, const char *reason, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_handle_group_application_async (client, notice, agree, reason, NULL,
                                             tim_test_keep_result, &result);
  return tim_client_handle_group_application_finish (client, tim_test_wait_result (&result), error);
}

typedef struct
{
  GPtrArray *received;
  const char *group_id;
  gint64 operation;
  TimMessage *found;
} NoticeWanted;

static gboolean
has_notice (gpointer data)
{
  NoticeWanted *wanted = data;

  for (guint i = 0; i < wanted->received->len; i++)
    {
      TimMessage *message = wanted->received->pdata[i];
      JsonObject *payload = tim_message_get_payload (message);

      if (tim_message_get_elem_type (message) == TIM_ELEM_GROUP_SYSTEM_NOTICE &&
          tim_json_get_int_or (payload, "operationType", 0) == wanted->operation &&
          g_strcmp0 (tim_json_get_string (tim_json_get_object (payload, "groupProfile"), "groupID"),
                     wanted->group_id) == 0)
        {
          wanted->found = message;
          return TRUE;
        }
    }
  return FALSE;
}

/* The notice of operation about group_id among received, once it came (NULL after 10 s). */
static TimMessage *
wait_notice (GPtrArray *received, const char *group_id, gint64 operation)
{
  NoticeWanted wanted = { received, group_id, operation, NULL };

  tim_test_wait_until (has_notice, &wanted, 10000);
  return wanted.found;
}

static gboolean
lists (TimClient *client, const char *group_id)
{
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);

  return tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id) !=
         NULL;
}

typedef struct
{
  TimClient *client;
  const char *group_id;
} Listed;

static gboolean
is_listed (gpointer data)
{
  Listed *wanted = data;

  return lists (wanted->client, wanted->group_id);
}

/* Listed by its name, "Club", with a group tip last, the user a member. */
static gboolean
named_with_tip (gpointer data)
{
  Listed *wanted = data;
  g_autofree char *conversation_id = g_strconcat ("GROUP", wanted->group_id, NULL);
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (wanted->client), conversation_id);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && tim_message_get_elem_type (last) == TIM_ELEM_GROUP_TIP &&
         g_strcmp0 (tim_conversation_get_name (conversation), "Club") == 0 &&
         g_strcmp0 (tim_conversation_get_group_self_role (conversation), "Member") == 0;
}

typedef struct
{
  TimClient *client;
  const char *group_id;
  const char *role;
} Role;

static gboolean
has_role (gpointer data)
{
  Role *wanted = data;
  g_autofree char *conversation_id = g_strconcat ("GROUP", wanted->group_id, NULL);
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (wanted->client), conversation_id);

  return conversation != NULL &&
         g_strcmp0 (tim_conversation_get_group_self_role (conversation), wanted->role) == 0;
}

typedef struct
{
  const char *conversation_id;
  GAsyncResult *result;
  gboolean listed; /* when the call completed */
  char *role;      /* the user's role in it then */
} Completed;

/* Keeps the result, and whether the group is listed and as what, as they are when the call
 * completes: before anything read after its answer (the join's tip comes right behind the
 * answer, often in the same read). */
static void
keep_listed_at_completion (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Completed *completed = user_data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (TIM_CLIENT (source)), completed->conversation_id);

  completed->listed = conversation != NULL;
  completed->role =
      g_strdup (conversation != NULL ? tim_conversation_get_group_self_role (conversation) : NULL);
  completed->result = g_object_ref (result);
}

static void
test_search_and_join (void)
{
  g_autoptr (TimClient) ava = tim_test_client_new (fixture, base_dir, "ava");
  g_autoptr (TimClient) bo = tim_test_client_new (fixture, base_dir, "bo");
  g_autofree char *club = create_group (ava, "Public");
  g_autofree char *meeting = create_group (ava, "ChatRoom");
  g_autofree char *work = create_group (ava, "Private");
  g_autoptr (TimGroupInfo) info = NULL;
  g_autoptr (GError) error = NULL;

  info = search (bo, club, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->group_id, ==, club);
  g_assert_cmpstr (info->name, ==, "Club");
  g_assert_cmpstr (info->type, ==, "Public");
  g_assert_cmpstr (info->owner_id, ==, "ava");
  g_assert_cmpuint (info->member_count, ==, 1);
  g_assert_cmpstr (info->join_option, ==, "NeedPermission");
  g_assert_null (search (bo, work, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_null (search (bo, "@TGS#nothing", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (search (bo, "not a group", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_INVALID_ID);
  g_clear_error (&error);

  /* A Meeting is joined at once, and listed by then, as a member: from the answer, which comes
   * before the join's tip. Again, a member already. */
  {
    g_autofree char *conversation_id = g_strconcat ("GROUP", meeting, NULL);
    Completed completed = { conversation_id, NULL, FALSE, NULL };

    tim_client_join_group_async (bo, meeting, NULL, NULL, keep_listed_at_completion, &completed);
    g_assert_cmpint (
        tim_client_join_group_finish (bo, tim_test_wait_result (&completed.result), &error), ==,
        TIM_JOIN_STATUS_JOINED);
    g_assert_no_error (error);
    g_assert_true (completed.listed);
    g_assert_cmpstr (completed.role, ==, "Member");
    g_clear_object (&completed.result);
    g_free (completed.role);
    /* Then its name (its profile) and the join's tip, its last message, still a member. */
    g_assert_true (tim_test_wait_until (named_with_tip, &(Listed){ bo, meeting }, 10000));
  }
  g_assert_true (lists (bo, meeting));
  /* The same asked for as a raw command. */
  {
    g_autofree char *other = create_group (ava, "ChatRoom");
    g_autofree char *conversation_id = g_strconcat ("GROUP", other, NULL);
    g_autoptr (JsonObject) body = json_object_new ();
    g_autoptr (JsonObject) reply = NULL;
    Completed completed = { conversation_id, NULL, FALSE, NULL };

    json_object_set_string_member (body, "GroupId", other);
    tim_client_group_request_async (bo, "group_open_http_svc.apply_join_group", body, NULL,
                                    keep_listed_at_completion, &completed);
    reply = tim_client_group_request_finish (bo, tim_test_wait_result (&completed.result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tim_json_get_string (reply, "JoinedStatus"), ==, "JoinedSuccess");
    g_assert_true (completed.listed);
    g_assert_cmpstr (completed.role, ==, "Member");
    g_clear_object (&completed.result);
    g_free (completed.role);
  }
  g_assert_cmpint (join (bo, meeting, NULL, &error), ==, TIM_JOIN_STATUS_ALREADY_IN_GROUP);
  g_assert_no_error (error);
  /* A Work group only invites; words too long are refused before anything is sent. */
  g_assert_cmpint (join (bo, work, NULL, &error), ==, -1);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  {
    g_autofree char *long_words = g_strnfill (301, 'x');

    g_assert_cmpint (join (bo, club, long_words, &error), ==, -1);
    g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
    g_clear_error (&error);
  }
}

static void
test_application (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "cal-phone", NULL);
  g_autoptr (TimClient) cal = tim_test_client_new (fixture, base_dir, "cal");
  g_autoptr (TimClient) cal_phone = tim_test_client_new (fixture, phone_dir, "cal");
  g_autoptr (TimClient) dan = tim_test_client_new (fixture, base_dir, "dan");
  g_autoptr (TimClient) eli = tim_test_client_new (fixture, base_dir, "eli");
  g_autoptr (GPtrArray) at_cal = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) at_phone = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) at_dan = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) at_eli = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *club = create_group (cal, "Public");
  g_autoptr (GError) error = NULL;
  TimMessage *application, *on_phone, *accepted, *refused;

  tim_test_collect (cal, "message-received", at_cal);
  tim_test_collect (cal_phone, "message-received", at_phone);
  tim_test_collect (dan, "message-received", at_dan);
  tim_test_collect (eli, "message-received", at_eli);

  /* dan asks; both of cal's devices get the application, pending. */
  g_assert_cmpint (join (dan, club, "let me in", &error), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  g_assert_no_error (error);
  g_assert_false (lists (dan, club));
  application = wait_notice (at_cal, club, 1);
  on_phone = wait_notice (at_phone, club, 1);
  g_assert_nonnull (application);
  g_assert_nonnull (on_phone);
  g_assert_cmpint (tim_message_get_application_state (application), ==, TIM_APPLICATION_PENDING);
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (application), "handleMessage"), ==,
                   "let me in");
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (application), "operatorID"), ==,
                   "dan");

  /* cal agrees: the notice says so; dan hears it, and lists the group. */
  g_assert_true (answer (cal, application, TRUE, "welcome", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_application_state (application), ==, TIM_APPLICATION_ACCEPTED);
  accepted = wait_notice (at_dan, club, 2);
  g_assert_nonnull (accepted);
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (accepted), "operatorID"), ==,
                   "cal");
  g_assert_true (tim_test_wait_until (is_listed, &(Listed){ dan, club }, 10000));
  g_assert_cmpint (join (dan, club, NULL, &error), ==, TIM_JOIN_STATUS_ALREADY_IN_GROUP);

  /* The phone comes second: answered already. */
  g_assert_false (answer (cal_phone, on_phone, TRUE, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED);
  g_clear_error (&error);
  g_assert_cmpint (tim_message_get_application_state (on_phone), ==, TIM_APPLICATION_ANSWERED);

  /* eli is refused, with the reason. */
  g_assert_cmpint (join (eli, club, NULL, &error), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  application = wait_notice (at_cal, club, 1);
  while (application != NULL &&
         g_strcmp0 (tim_json_get_string (tim_message_get_payload (application), "operatorID"),
                    "eli") != 0)
    {
      g_ptr_array_remove (at_cal, application);
      application = wait_notice (at_cal, club, 1);
    }
  g_assert_nonnull (application);
  g_assert_true (answer (cal, application, FALSE, "no room", &error));
  g_assert_cmpint (tim_message_get_application_state (application), ==, TIM_APPLICATION_REFUSED);
  refused = wait_notice (at_eli, club, 3);
  g_assert_nonnull (refused);
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (refused), "handleMessage"), ==,
                   "no room");
  g_assert_false (lists (eli, club));

  /* Not an application: refused before anything is sent. */
  g_assert_false (answer (cal, refused, TRUE, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* cal's next session has the answers from its store. */
  g_clear_object (&cal);
  cal = tim_test_client_new (fixture, base_dir, "cal");
  {
    g_autoptr (GPtrArray) notices =
        tim_test_get_messages (cal, "@TIM#SYSTEM", NULL, NULL, NULL, &error);
    guint accepted_count = 0, refused_count = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < notices->len; i++)
      {
        TimApplicationState state = tim_message_get_application_state (notices->pdata[i]);

        accepted_count += state == TIM_APPLICATION_ACCEPTED;
        refused_count += state == TIM_APPLICATION_REFUSED;
      }
    g_assert_cmpuint (accepted_count, ==, 1);
    g_assert_cmpuint (refused_count, ==, 1);
  }
}

static GPtrArray *
list_applications (TimClient *client)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *applications;

  tim_client_get_group_applications_async (client, NULL, tim_test_keep_result, &result);
  applications =
      tim_client_get_group_applications_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return applications;
}

static gboolean
answer_listed (TimClient *client, const TimGroupApplication *application, gboolean agree,
               const char *reason, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_answer_group_application_async (client, application, agree, reason, NULL,
                                             tim_test_keep_result, &result);
  return tim_client_answer_group_application_finish (client, tim_test_wait_result (&result), error);
}

/* The application notices about group_id from applicant among received, once count came. */
static GPtrArray *
wait_applications_from (GPtrArray *received, const char *group_id, const char *applicant,
                        guint count)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint tries = 0; tries < 20 && found->len < count; tries++)
    {
      TimMessage *notice = wait_notice (received, group_id, 1);

      if (notice == NULL)
        break;
      if (g_strcmp0 (tim_json_get_string (tim_message_get_payload (notice), "operatorID"),
                     applicant) == 0)
        g_ptr_array_add (found, g_object_ref (notice));
      g_ptr_array_remove (received, notice);
    }
  g_assert_cmpuint (found->len, ==, count);
  return found;
}

/* getGroupApplicationList: the owner lists what waits (the newest words of one who applied
 * twice, nicks, the group's name) and answers from the list; every notice of that application
 * keeps the answer; another device's list settles its notices as ANSWERED; bad input is
 * refused before anything is sent. */
static void
test_application_list (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "fay-phone", NULL);
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  g_autoptr (TimClient) fay_phone = tim_test_client_new (fixture, phone_dir, "fay");
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (GPtrArray) at_fay = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) at_phone = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) of_gus = NULL, of_hal = NULL, hal_on_phone = NULL;
  g_autoptr (GPtrArray) listed = NULL, on_phone = NULL, after = NULL;
  g_autofree char *club = create_group (fay, "Public");
  g_autofree char *long_reason = g_strnfill (301, 'x');
  g_autoptr (GError) error = NULL;
  TimGroupApplication *of_hal_listed = NULL, bogus = { 0 };

  tim_test_collect (fay, "message-received", at_fay);
  tim_test_collect (fay_phone, "message-received", at_phone);
  g_assert_cmpint (join (gus, club, "first", &error), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  g_assert_cmpint (join (gus, club, "second", &error), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  g_assert_cmpint (join (hal, club, "hello", &error), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  g_assert_no_error (error);
  of_gus = wait_applications_from (at_fay, club, "gus", 2);
  of_hal = wait_applications_from (at_fay, club, "hal", 1);
  hal_on_phone = wait_applications_from (at_phone, club, "hal", 1);

  listed = list_applications (fay);
  g_assert_cmpuint (listed->len, ==, 2);
  for (guint i = 0; i < listed->len; i++)
    {
      TimGroupApplication *application = listed->pdata[i];

      g_assert_cmpstr (application->group_id, ==, club);
      g_assert_cmpstr (application->group_name, ==, "Club");
      g_assert_cmpuint (strlen (application->authentication), ==, 32);
      g_assert_cmpint (application->time, >, 0);
      if (g_str_equal (application->applicant, "hal"))
        of_hal_listed = application;
      else
        {
          g_assert_cmpstr (application->applicant, ==, "gus");
          g_assert_cmpstr (application->message, ==, "second");
        }
    }
  g_assert_nonnull (of_hal_listed);
  g_assert_cmpstr (of_hal_listed->message, ==, "hello");

  /* Refused before anything is sent. */
  g_assert_false (answer_listed (fay, of_hal_listed, TRUE, long_reason, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  bogus.group_id = "";
  bogus.applicant = "hal";
  g_assert_false (answer_listed (fay, &bogus, TRUE, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* gus is agreed to from the list: both his notices say so; he lists the group. */
  for (guint i = 0; i < listed->len; i++)
    if (g_str_equal (((TimGroupApplication *) listed->pdata[i])->applicant, "gus"))
      g_assert_true (answer_listed (fay, listed->pdata[i], TRUE, "welcome", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < of_gus->len; i++)
    g_assert_cmpint (tim_message_get_application_state (of_gus->pdata[i]), ==,
                     TIM_APPLICATION_ACCEPTED);
  g_assert_true (tim_test_wait_until (is_listed, &(Listed){ gus, club }, 10000));
  g_assert_cmpint (tim_message_get_application_state (of_hal->pdata[0]), ==,
                   TIM_APPLICATION_PENDING);

  /* hal is refused from the list; the phone's list has nothing, and its notice says answered. */
  g_assert_true (answer_listed (fay, of_hal_listed, FALSE, "sorry", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_application_state (of_hal->pdata[0]), ==,
                   TIM_APPLICATION_REFUSED);
  g_assert_cmpint (tim_message_get_application_state (hal_on_phone->pdata[0]), ==,
                   TIM_APPLICATION_PENDING);
  on_phone = list_applications (fay_phone);
  g_assert_cmpuint (on_phone->len, ==, 0);
  g_assert_cmpint (tim_message_get_application_state (hal_on_phone->pdata[0]), ==,
                   TIM_APPLICATION_ANSWERED);
  g_assert_false (answer_listed (fay_phone, of_hal_listed, TRUE, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED);
  g_clear_error (&error);

  /* A plain member has nothing to answer. */
  after = list_applications (gus);
  g_assert_cmpuint (after->len, ==, 0);
}

/* The role cy's client shows in group_id when a join of it completes, the join asked for as soon
 * as cy logs in on client (its cached list loaded, the join sent ahead of the login's sync). */
static char *
role_when_joined_at_login (TimClient *client, const char *group_id)
{
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "rj-cy", 3600);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  Completed completed = { conversation_id, NULL, FALSE, NULL };
  g_autoptr (GAsyncResult) login = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_login_async (client, "rj-cy", usersig, NULL, tim_test_keep_result, &login);
  tim_client_join_group_async (client, group_id, NULL, NULL, keep_listed_at_completion, &completed);
  g_assert_cmpint (
      tim_client_join_group_finish (client, tim_test_wait_result (&completed.result), &error), ==,
      TIM_JOIN_STATUS_JOINED);
  g_assert_no_error (error);
  g_assert_true (completed.listed);
  g_assert_true (tim_client_login_finish (client, tim_test_wait_result (&login), &error));
  g_clear_object (&completed.result);
  return completed.role;
}

/* A join's JoinedSuccess says the user is in the group, not as what, and no owner: a Meeting's
 * (any group but an AVChatRoom) is a new member's, a plain member whatever role this device kept
 * from before (an admin who quit on another device while this one was away); an AVChatRoom's
 * succeeds for a member too (its owner, say), so its role is left to the profile, not guessed. */
static void
test_join_role (void)
{
  g_autoptr (TimClient) ava = tim_test_client_new (fixture, base_dir, "rj-ava");
  g_autoptr (TimClient) cy = tim_test_client_new (fixture, base_dir, "rj-cy");
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "rj-cy");
  g_autofree char *meeting = create_group (ava, "ChatRoom");
  g_autofree char *room = create_group (cy, "AVChatRoom");
  g_autofree char *meeting_role = NULL;
  g_autofree char *room_role = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (join (cy, meeting, NULL, &error), ==, TIM_JOIN_STATUS_JOINED);
  tim_client_set_group_admin_async (ava, meeting, "rj-cy", TRUE, NULL, tim_test_keep_result,
                                    &result);
  g_assert_true (tim_client_set_group_admin_finish (ava, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (has_role, &(Role){ cy, meeting, "Admin" }, 10000));
  tim_client_logout (cy);
  g_clear_object (&result);
  tim_client_quit_group_async (phone, meeting, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_quit_group_finish (phone, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  meeting_role = role_when_joined_at_login (cy, meeting);
  g_assert_cmpstr (meeting_role, ==, "Member");

  /* The room's owner joins it on a device that does not list it. */
  tim_client_logout (phone);
  tim_test_remove_dir (phone_dir);
  g_assert_false (lists (phone, room));
  room_role = role_when_joined_at_login (phone, room);
  g_assert_null (room_role);
  g_assert_true (tim_test_wait_until (has_role, &(Role){ phone, room, "Owner" }, 10000));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/group-join/search-and-join", test_search_and_join);
  g_test_add_func ("/tim/group-join/application", test_application);
  g_test_add_func ("/tim/group-join/application-list", test_application_list);
  g_test_add_func ("/tim/group-join/join-role", test_join_role);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
