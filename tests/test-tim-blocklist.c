/* test-tim-blocklist.c: the blocklist (the Web SDK's blacklist) through libtim and the real
 * server: blocking shows at once on this device and on the user's other device
 * ("blocklist-updated"); the blocked user's message fails with 20007 and never arrives, while
 * the owner still writes to them; bad input is refused with its TIM code; a fresh login reads
 * the list back; unblocking lets messages through again; logging out forgets it. */
#define G_LOG_DOMAIN "test-tim-blocklist"

#include "config.h"

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static void
count_updates (TimClient *client, guint *count)
{
  (*count)++;
}

static gboolean
change (TimClient *client, gboolean blocking, const char *const *users, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  if (blocking)
    {
      tim_client_add_to_blocklist_async (client, users, NULL, tim_test_keep_result, &result);
      return tim_client_add_to_blocklist_finish (client, tim_test_wait_result (&result), error);
    }
  tim_client_remove_from_blocklist_async (client, users, NULL, tim_test_keep_result, &result);
  return tim_client_remove_from_blocklist_finish (client, tim_test_wait_result (&result), error);
}

static void
assert_refused (TimClient *client, const char *const *users, int code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (change (client, TRUE, users, &error));
  g_assert_error (error, TIM_ERROR, code);
  g_test_message ("refused: %s", error->message);
}

static char *
joined (TimClient *client)
{
  g_auto (GStrv) users = tim_client_dup_blocklist (client);

  return g_strjoinv (" ", users);
}

static gboolean
is_blocked_cb (gpointer data)
{
  const char *const *what = data;

  return tim_client_is_blocked ((TimClient *) what[0], what[1]);
}

static void
test_blocklist (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *uma_dir = g_build_filename (base_dir, "uma", NULL);
  g_autoptr (TimClient) early =
      tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), uma_dir);
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) uma_phone = NULL;
  g_autoptr (TimMessage) refused = NULL;
  g_autoptr (TimMessage) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *list = NULL;
  const char *vic_only[] = { "vic", NULL };
  guint updates = 0, phone_updates = 0;

  {
    g_autofree char *phone_dir = g_build_filename (base_dir, "uma-phone", NULL);

    uma_phone = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), phone_dir);
    tim_test_client_login (fixture, uma_phone, "uma");
  }
  assert_refused (early, vic_only, TIM_ERROR_NOT_LOGGED_IN);
  g_signal_connect (uma, "blocklist-updated", G_CALLBACK (count_updates), &updates);
  g_signal_connect (uma_phone, "blocklist-updated", G_CALLBACK (count_updates), &phone_updates);

  /* Blocked: here at once (the push comes before the reply), and on the other device. */
  g_assert_true (change (uma, TRUE, vic_only, &error));
  g_assert_no_error (error);
  g_assert_true (tim_client_is_blocked (uma, "vic"));
  g_assert_cmpuint (updates, ==, 1);
  g_assert_true (tim_test_wait_until (
      is_blocked_cb, (gpointer) (const char *[]){ (gpointer) uma_phone, "vic" }, 5000));
  g_assert_cmpuint (phone_updates, ==, 1);

  /* vic cannot write to uma; uma can write to vic. */
  refused = tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "let me in");
  g_assert_false (tim_test_send (vic, refused, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_clear_error (&error);
  g_assert_cmpint (tim_message_get_status (refused), ==, TIM_MESSAGE_STATUS_FAIL);
  reply = tim_client_create_text_message (uma, "vic", TIM_CONV_C2C, "no");
  g_assert_true (tim_test_send (uma, reply, &error));
  g_assert_no_error (error);

  /* Bad input. */
  assert_refused (uma, (const char *[]){ "uma", NULL }, TIM_ERROR_CANNOT_ADD_SELF_TO_BLACKLIST);
  assert_refused (uma, (const char *[]){ NULL }, TIM_ERROR_INVALID_PARAMETER);
  assert_refused (uma, NULL, TIM_ERROR_INVALID_PARAMETER);
  assert_refused (uma, (const char *[]){ "not a user id", NULL }, TIM_ERROR_INVALID_PARAMETER);
  assert_refused (uma, (const char *[]){ "nobody-at-all", NULL }, TIM_ERROR_SNS_ACCOUNT_NOT_FOUND);
  g_assert_cmpstr ((list = joined (uma)), ==, "vic");
  g_clear_pointer (&list, g_free);

  /* A fresh login reads it back. */
  g_clear_object (&uma);
  uma = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), uma_dir);
  tim_test_client_login (fixture, uma, "uma");
  g_assert_true (tim_test_wait_until (is_blocked_cb,
                                      (gpointer) (const char *[]){ (gpointer) uma, "vic" }, 5000));
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_auto (GStrv) read = NULL;

    tim_client_get_blocklist_async (uma, NULL, tim_test_keep_result, &result);
    read = tim_client_get_blocklist_finish (uma, tim_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (read), ==, 1);
    g_assert_cmpstr (read[0], ==, "vic");
  }

  /* Unblocked: vic's message goes through. */
  g_assert_true (change (uma, FALSE, vic_only, &error));
  g_assert_no_error (error);
  g_assert_false (tim_client_is_blocked (uma, "vic"));
  {
    g_autoptr (TimMessage) hello = tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "hi");
    g_autoptr (TimMessage) arrived = tim_test_send_and_receive (vic, uma, hello);

    g_assert_cmpstr (tim_message_get_text (arrived), ==, "hi");
  }
  /* The refused one was kept nowhere: uma's history has what came before and after it. */
  {
    g_autoptr (GPtrArray) history = tim_test_get_messages (uma, "C2Cvic", NULL, NULL, NULL, &error);
    g_autoptr (GString) texts = g_string_new (NULL);

    g_assert_no_error (error);
    for (guint i = 0; i < history->len; i++)
      g_string_append_printf (texts, "%s%s", i > 0 ? "|" : "",
                              tim_message_get_text (history->pdata[i]));
    g_assert_cmpstr (texts->str, ==, "no|hi");
  }

  /* Logged out, nothing is known. */
  g_assert_true (change (uma, TRUE, vic_only, &error));
  tim_client_logout (uma);
  g_assert_false (tim_client_is_blocked (uma, "vic"));
  g_assert_cmpstr ((list = joined (uma)), ==, "");
}

/* The list is read in pages of 100, and the user unblocks someone of the first page on another
 * device while the pages are read: the unblock stands, and nobody else goes missing. Before, the
 * pages read replaced the list at the end, putting back the one unblocked (its page was older
 * than the push); and the unblock moved those after it up by one, so the next page passed one
 * over, who was then taken off the list here. The other device runs on a main context of its
 * own: its unblock is on this device's socket, between the first page and the second, before
 * this device reads either. */
static void
test_unblocked_while_paging (void)
{
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "bp-wes");
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) read = NULL;
  TimchatTestClient *other;

  for (guint page = 0; page < 2; page++)
    {
      g_autoptr (GString) body = g_string_new ("{\"Accounts\":[");

      for (guint i = page * 75; i < (page + 1) * 75; i++)
        {
          g_ptr_array_add (users, g_strdup_printf ("bp-%03u", i));
          g_string_append_printf (body, "%s\"bp-%03u\"", i % 75 > 0 ? "," : "", i);
        }
      g_string_append (body, "]}");
      json_object_unref (
          timchat_test_rest (fixture, "im_open_login_svc/multiaccount_import", body->str, NULL));
    }
  g_ptr_array_add (users, NULL);
  g_assert_true (change (wes, TRUE, (const char *const *) users->pdata, &error));
  g_assert_no_error (error);
  g_assert_true (tim_client_is_blocked (wes, "bp-000"));

  tim_client_get_blocklist_async (wes, NULL, tim_test_keep_result, &result);
  g_usleep (300 * 1000); /* the first page reaches wes's socket */
  g_main_context_push_thread_default (context);
  other = timchat_test_connect (fixture, "bp-wes");
  json_object_unref (timchat_test_client_request_printf (
      other, "sns.black_list_delete", "{\"From_Account\":\"bp-wes\",\"To_Account\":[\"bp-000\"]}"));
  timchat_test_client_free (other);
  g_main_context_pop_thread_default (context);
  g_usleep (300 * 1000); /* its push reaches wes's socket */

  read = tim_client_get_blocklist_finish (wes, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_false (g_strv_contains ((const char *const *) read, "bp-000"));
  g_assert_true (g_strv_contains ((const char *const *) read, "bp-100"));
  g_assert_cmpuint (g_strv_length (read), ==, 149);
  g_assert_false (tim_client_is_blocked (wes, "bp-000"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/blocklist/blocklist", test_blocklist);
  g_test_add_func ("/tim/blocklist/unblocked-while-paging", test_unblocked_while_paging);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
