/* test-tim-delete-common.c: the helpers both of libtim's delete test programs
 * (tests/test-tim-delete-*.c) use: a conversation's history paged in, a list's next page and its
 * texts, a conversation's last text, and what the device's local search finds. */
#define G_LOG_DOMAIN "test-tim-delete-common"

#include "config.h"

#include "test-tim-delete-common.h"
#include "tim-test-util.h"

char *
texts_of (TimClient *client, const char *conversation_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) page =
      tim_test_get_messages (client, conversation_id, NULL, NULL, NULL, &error);
  g_autoptr (GString) texts = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    if (tim_message_get_elem_type (page->pdata[i]) == TIM_ELEM_TEXT)
      g_string_append_printf (texts, "%s%s", texts->len ? " " : "",
                              tim_message_get_text (page->pdata[i]));
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

void
load_page (TimMessageList *list)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_message_list_load_older_async (list, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_message_list_load_older_finish (list, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

char *
list_texts (TimMessageList *list)
{
  g_autoptr (GString) texts = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (texts, "%s%s", texts->len ? " " : "", tim_message_get_text (message));
    }
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

const char *
last_text (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);
  TimMessage *last = conversation ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL ? tim_message_get_text (last) : NULL;
}

guint
found_here (TimClient *client, const char *keyword)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_search_messages_async (client, NULL, keyword, 0, NULL, tim_test_keep_result, &result);
  found = tim_client_search_messages_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return found->len;
}

gboolean
found_here_is (gpointer data)
{
  Here *here = data;

  return found_here (here->client, here->keyword) == here->count;
}
