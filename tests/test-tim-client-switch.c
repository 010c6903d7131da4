/* test-tim-client-switch.c: the account a TimClient is logged in as changes under what its login
 * reads (a handler of what taking an answer tells logs in as someone else at once): the rest of
 * that answer is not taken into the next account's state and local store, the next account's
 * session syncs and is ready, and nothing of the first account's is lost for its next login.
 * Split from test-tim-client-session.c to keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-tim-client-switch"

#include "config.h"

#include "test-tim-client-common.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
set_remind (TimClient *client, const char *conversation_id, const char *remind_type, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_message_remind_type_async (client, conversation_id, remind_type, NULL,
                                            tim_test_keep_result, &result);
  return tim_client_set_message_remind_type_finish (client, tim_test_wait_result (&result), error);
}

static const char *
remind_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation = listed_conversation (&(Listed){ client, conversation_id });

  g_assert_nonnull (conversation);
  return tim_conversation_get_message_remind_type (conversation);
}

static gboolean
is_ready (gpointer client)
{
  return tim_client_get_is_ready (client);
}

typedef struct
{
  const char *conversation_ids[2];
  const char *next_user;
  char *usersig;
  GAsyncResult *result;
  gboolean switched;
} SwitchOnMute;

/* The first of the two conversations is taken as muted from the login's mute list (saved, the
 * list announced updated): a handler logs in as the next user at once (which logs out first),
 * while the rest of that list waits to be taken. */
static void
switch_on_mute (TimClient *client, SwitchOnMute *sw)
{
  if (sw->switched)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sw->conversation_ids); i++)
    {
      TimConversation *conversation =
          listed_conversation (&(Listed){ client, sw->conversation_ids[i] });

      if (conversation != NULL && tim_conversation_get_is_muted (conversation))
        {
          sw->switched = TRUE;
          tim_client_login_async (client, sw->next_user, sw->usersig, NULL, tim_test_keep_result,
                                  &sw->result);
          return;
        }
    }
}

/* Two conversations of "<prefix>-ann" muted on her phone while her desk client was logged out;
 * the next account, "<prefix>-dan", has the same two on that client. The desk client logs in as
 * ann, and as the first of them is taken muted from the list read at login (C2C: the peers' mute
 * list; a group: the joined-group list), a handler logs in as dan. The second is not muted for
 * dan (in his list and local store); dan's session is ready; ann's next login has both muted. */
static void
test_switched_during_reminds (gconstpointer data)
{
  gboolean groups = GPOINTER_TO_INT (data);
  const char *prefix = groups ? "sg" : "sc";
  g_autofree char *ann_id = g_strdup_printf ("%s-ann", prefix);
  g_autofree char *dan_id = g_strdup_printf ("%s-dan", prefix);
  g_autofree char *bob_id = g_strdup_printf ("%s-bob", prefix);
  g_autofree char *cat_id = g_strdup_printf ("%s-cat", prefix);
  g_autofree char *phone_dir = g_strdup_printf ("%s/%s-phone", base_dir, prefix);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, ann_id, 3600);
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, bob_id);
  g_autoptr (TimClient) cat = tim_test_client_new (fixture, base_dir, cat_id);
  g_autoptr (TimClient) desk = NULL;
  g_autoptr (TimClient) phone = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ids[2] = { NULL, NULL };
  SwitchOnMute sw = { { NULL, NULL }, dan_id, timchat_fixture_usersig (fixture, dan_id, 3600) };

  timchat_test_import_account (fixture, ann_id, NULL);
  timchat_test_import_account (fixture, dan_id, NULL);
  for (guint i = 0; i < 2; i++)
    {
      TimClient *from = i == 0 ? bob : cat;

      if (groups)
        {
          const char *members[] = { ann_id, dan_id, NULL };
          g_autofree char *group_id = tim_test_create_group (from, "Switched", members);

          ids[i] = g_strconcat ("GROUP", group_id, NULL);
        }
      else
        {
          ids[i] = g_strconcat ("C2C", tim_client_get_user (from), NULL);
          tim_test_send_text (from, ann_id, "hi ann");
          tim_test_send_text (from, dan_id, "hi dan");
        }
      sw.conversation_ids[i] = ids[i];
    }

  /* The desk client holds both accounts' conversations. */
  desk = tim_test_client_new (fixture, base_dir, ann_id);
  for (guint i = 0; i < 2; i++)
    g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ desk, ids[i] }, 10000));
  tim_client_logout (desk);
  tim_test_client_login (fixture, desk, dan_id);
  for (guint i = 0; i < 2; i++)
    g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ desk, ids[i] }, 10000));
  tim_client_logout (desk);

  phone = tim_test_client_new (fixture, phone_dir, ann_id);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ phone, ids[i] }, 10000));
      g_assert_true (set_remind (phone, ids[i], TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
      g_assert_no_error (error);
    }

  g_signal_connect (desk, "conversation-list-updated", G_CALLBACK (switch_on_mute), &sw);
  tim_client_login_async (desk, ann_id, usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (desk, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_flag (&sw.switched, 10000));
  g_signal_handlers_disconnect_by_data (desk, &sw);
  /* Before dan's own login is answered (his sync would set the flags right again). */
  g_assert_cmpstr (tim_client_get_user (desk), ==, dan_id);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (remind_of (desk, ids[i]), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);
  g_assert_true (tim_client_login_finish (desk, tim_test_wait_result (&sw.result), &error));
  g_assert_no_error (error);
  g_clear_object (&sw.result);
  g_free (sw.usersig);
  g_assert_true (tim_test_wait_until (is_ready, desk, 10000));
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (remind_of (desk, ids[i]), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);

  tim_client_logout (desk);
  tim_test_client_login (fixture, desk, ann_id);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (remind_of (desk, ids[i]), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_data_func ("/tim/client/switched-during-c2c-reminds", GINT_TO_POINTER (FALSE),
                        test_switched_during_reminds);
  g_test_add_data_func ("/tim/client/switched-during-group-reminds", GINT_TO_POINTER (TRUE),
                        test_switched_during_reminds);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
