/* test-tim-search.c: searching what a device has seen, through libtim and the real server: the
 * messages found are the live instances, newest first, in one conversation or all; a recall
 * takes one out of the results; a blank search and one before login are refused in words. */
#define G_LOG_DOMAIN "test-tim-search"

#include "config.h"

#include <sqlite3.h>

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static GPtrArray *
search (TimClient *client, const char *conversation_id, const char *keyword, GError **error)
{
  GAsyncResult *result = NULL;
  GPtrArray *found;

  tim_client_search_messages_async (client, conversation_id, keyword, 0, NULL, tim_test_keep_result,
                                    &result);
  found = tim_client_search_messages_finish (client, tim_test_wait_result (&result), error);
  g_object_unref (result);
  return found;
}

static gboolean
finds_one_train (gpointer client)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = search (client, "C2Ckim", "train", &error);

  return found != NULL && found->len == 1;
}

static void
test_search (void)
{
  const char *const members[] = { "lou", NULL };
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autofree char *group_id = tim_test_create_group (kim, "Trips", members);
  g_autoptr (TimMessage) one =
      tim_client_create_text_message (kim, "lou", TIM_CONV_C2C, "The train leaves at 9");
  g_autoptr (TimMessage) two =
      tim_client_create_text_message (kim, group_id, TIM_CONV_GROUP, "Which train, the early one?");
  g_autoptr (TimMessage) three =
      tim_client_create_text_message (kim, "lou", TIM_CONV_C2C, "Forget the train");
  g_autoptr (TimMessage) got_one = tim_test_send_and_receive (kim, lou, one);
  g_autoptr (TimMessage) got_two = tim_test_send_and_receive (kim, lou, two);
  g_autoptr (TimMessage) got_three = tim_test_send_and_receive (kim, lou, three);
  g_autoptr (GPtrArray) everywhere = NULL;
  g_autoptr (GPtrArray) in_c2c = NULL;
  g_autoptr (GPtrArray) after_recall = NULL;
  g_autoptr (GPtrArray) blank = NULL;
  g_autoptr (GError) error = NULL;

  everywhere = search (lou, NULL, "TRAIN", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (everywhere->len, ==, 3);
  /* Newest first, and the very instances lou's lists hold. */
  g_assert_true (everywhere->pdata[0] == (gpointer) got_three);
  g_assert_true (everywhere->pdata[1] == (gpointer) got_two);
  g_assert_true (everywhere->pdata[2] == (gpointer) got_one);
  in_c2c = search (lou, "C2Ckim", "train", &error);
  g_assert_cmpuint (in_c2c->len, ==, 2);

  {
    g_autoptr (GAsyncResult) revoked = NULL;

    tim_client_revoke_message_async (kim, three, NULL, tim_test_keep_result, &revoked);
    g_assert_true (tim_client_revoke_message_finish (kim, tim_test_wait_result (&revoked), &error));
    g_assert_no_error (error);
  }
  g_assert_true (
      tim_test_wait_until ((gboolean (*) (gpointer)) tim_message_get_is_revoked, got_three, 10000));
  after_recall = search (lou, "C2Ckim", "train", &error);
  g_assert_cmpuint (after_recall->len, ==, 1);
  g_assert_true (after_recall->pdata[0] == (gpointer) got_one);

  /* A store from before search (an upgrade): its messages are indexed after the login, in the
   * background; the search finds them once that is done. */
  {
    g_autofree char *app =
        g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (fixture));
    g_autofree char *db_path = g_build_filename (base_dir, "lou", app, "lou", "local.db", NULL);
    g_autoptr (GPtrArray) before = NULL;
    sqlite3 *db = NULL;

    tim_client_logout (lou);
    g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db,
                                   "DROP TRIGGER message_text_insert;"
                                   "DROP TRIGGER message_text_update;"
                                   "DROP TRIGGER message_text_delete; DROP TABLE message_text;"
                                   "PRAGMA user_version = 3",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
    tim_test_client_login (fixture, lou, "lou");
    g_assert_true (tim_test_wait_until (finds_one_train, lou, 10000));
  }

  blank = search (lou, NULL, "   ", &error);
  g_assert_null (blank);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  tim_client_logout (lou);
  g_assert_null (search (lou, NULL, "train", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/search/search", test_search);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
