/* test-tim-paging-common.c: the helpers that more than one of the paging test programs
 * (tests/test-tim-paging*.c) use: the server and the test's directory, a page loaded, a client
 * that has received a message, and a list's texts. */
#define G_LOG_DOMAIN "test-tim-paging-common"

#include "config.h"

#include "test-tim-paging-common.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

TimchatFixture *fixture;
char *base_dir;

void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* A new client of user (an account from now) that has received text from `from`, each message it
 * receives added to received. */
TimClient *
client_with_message (TimchatTestClient *from, const char *user, const char *text,
                     GPtrArray *received)
{
  g_autofree char *account = g_strdup_printf ("{\"UserID\":\"%s\"}", user);
  TimClient *client;

  json_object_unref (
      timchat_test_rest (fixture, "im_open_login_svc/account_import", account, NULL));
  client = tim_test_client_new (fixture, base_dir, user);
  tim_test_collect (client, "message-received", received);
  json_object_unref (timchat_test_send_text (from, user, text, 1, 1));
  g_assert_true (tim_test_wait_count (received, 1, 5000));
  return client;
}

/* The texts of list, oldest first, as "a;b;". */
char *
list_texts (gpointer data)
{
  GListModel *list = data;
  g_autoptr (GString) texts = g_string_new ("");

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (list, i);

      g_string_append_printf (texts, "%s;", tim_message_get_text (message));
    }
  return g_string_free (g_steal_pointer (&texts), FALSE);
}
