/* test-tim-client-switch.c: the account a TimClient is logged in as changes under what its login
 * reads (a handler of what taking an answer tells logs in as someone else at once): the rest of
 * that answer is not taken into the next account's state and local store, the next account's
 * session syncs and is ready, and nothing of the first account's is lost for its next login. And
 * a handler of a message's rename as it goes out (made before the first login answer) that logs
 * out or deletes it: sent once at the next login, or never. Split from test-tim-client-session.c
 * to keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-tim-client-switch"

#include "config.h"

#include "test-tim-client-common.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

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
  g_auto (GStrv) ids = g_new0 (char *, 3); /* two, and the NULL g_strfreev () wants */
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

static void
log_out_on_rename (TimMessage *message, GParamSpec *pspec, TimClient *client)
{
  tim_client_logout (client);
}

static void
delete_on_rename (TimMessage *message, GParamSpec *pspec, TimClient *client)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();

  g_ptr_array_add (messages, message);
  tim_client_delete_messages_async (client, messages, NULL, NULL, NULL);
}

/* A message made before a new account's first login was answered is renamed as it goes out (its
 * ID takes the session's TinyId), which tells (its "id", its conversation saved). user (a new
 * account's store in base_dir) logs in with the server paused, sends text to peer, and on_rename
 * runs at the rename; the send's result is in *sent once the server went on. */
static TimClient *
send_renamed (const char *user, const char *peer, const char *text, GCallback on_rename,
              GAsyncResult **sent, TimMessage **message)
{
  g_autoptr (GAsyncResult) login = NULL;
  TimClient *client = tim_test_client_new_unanswered (fixture, base_dir, user, &login);
  gulong handler;

  *message = tim_client_create_text_message (client, peer, TIM_CONV_C2C, text);
  handler = g_signal_connect (*message, "notify::id", on_rename, client);
  tim_client_send_message_async (client, *message, NULL, NULL, NULL, NULL, tim_test_keep_result,
                                 sent);
  timchat_test_spin (200);
  tim_test_resume_server ();
  tim_test_wait_result (&login);
  tim_test_wait_result (sent);
  g_signal_handler_disconnect (*message, handler);
  return client;
}

/* A handler of the rename that logs out ends the send with the session. It waits, unsent, for
 * the next login, which sends it once. */
static void
test_logout_on_rename (void)
{
  g_autoptr (TimClient) ora = tim_test_client_new (fixture, base_dir, "lr-ora");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (TimClient) ned = NULL;

  tim_test_collect (ora, "message-received", got);
  ned =
      send_renamed ("lr-ned", "lr-ora", "renamed", G_CALLBACK (log_out_on_rename), &sent, &message);
  g_assert_null (tim_client_get_user (ned));
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_UNSENT);
  timchat_test_spin (500);
  g_assert_cmpuint (got->len, ==, 0);

  tim_test_client_login (fixture, ned, "lr-ned");
  g_assert_true (tim_test_wait_count (got, 1, 10000));
  timchat_test_spin (500);
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_cmpstr (tim_message_get_text (got->pdata[0]), ==, "renamed");
}

/* The same handler deleting the message: deleted before it was sent, it does not go out (the
 * deletion cancels the item in flight, whose request then never leaves), and the next send goes. */
static void
test_deleted_on_rename (void)
{
  g_autoptr (TimClient) ora = tim_test_client_new (fixture, base_dir, "dr-ora");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (TimMessage) after = NULL;
  g_autoptr (TimClient) ned = NULL;
  g_autoptr (GError) error = NULL;

  tim_test_collect (ora, "message-received", got);
  ned =
      send_renamed ("dr-ned", "dr-ora", "deleted", G_CALLBACK (delete_on_rename), &sent, &message);
  g_assert_false (tim_client_send_message_finish (ned, sent, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* One sent after it goes, and is the only one that came. */
  after = tim_client_create_text_message (ned, "dr-ora", TIM_CONV_C2C, "after");
  g_assert_true (tim_test_send (ned, after, NULL));
  g_assert_true (tim_test_wait_count (got, 1, 10000));
  timchat_test_spin (300);
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_cmpstr (tim_message_get_text (got->pdata[0]), ==, "after");
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
  g_test_add_func ("/tim/client/logout-on-rename", test_logout_on_rename);
  g_test_add_func ("/tim/client/deleted-on-rename", test_deleted_on_rename);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
