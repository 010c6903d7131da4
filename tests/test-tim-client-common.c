/* test-tim-client-common.c: the helpers that more than one of TimClient's test programs
 * (tests/test-tim-client-*.c) use: waiting for a number of messages, an async result kept on its
 * source, and a conversation of a client's list. */
#define G_LOG_DOMAIN "test-tim-client-common"

#include "config.h"

#include "test-tim-client-common.h"
#include "tim-test-util.h"

typedef struct
{
  GPtrArray *messages;
  guint want;
} Count;

static gboolean
have_enough (gpointer data)
{
  Count *count = data;
  return count->messages->len >= count->want;
}

void
wait_count (GPtrArray *messages, guint want)
{
  Count count = { messages, want };

  if (!tim_test_wait_until (have_enough, &count, 10000))
    g_error ("waited for %u messages, have %u", want, messages->len);
}

void
forget_result (TimClient *client)
{
  g_object_set_data (G_OBJECT (client), "result", NULL);
}

void
on_done_flag (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_object_set_data_full (G_OBJECT (source), "result", g_object_ref (result), g_object_unref);
  *(gboolean *) user_data = TRUE;
}

TimConversation *
listed_conversation (Listed *listed)
{
  return tim_conversation_list_lookup (tim_client_get_conversations (listed->client),
                                       listed->conversation_id);
}

gboolean
lists_conversation (gpointer data)
{
  return listed_conversation (data) != NULL;
}

gboolean
set_remind (TimClient *client, const char *conversation_id, const char *remind_type, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_message_remind_type_async (client, conversation_id, remind_type, NULL,
                                            tim_test_keep_result, &result);
  return tim_client_set_message_remind_type_finish (client, tim_test_wait_result (&result), error);
}

const char *
remind_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation = listed_conversation (&(Listed){ client, conversation_id });

  g_assert_nonnull (conversation);
  return tim_conversation_get_message_remind_type (conversation);
}
