/* test-tim-group-sync-common.c: the helpers that both of libtim's group-sync test programs
 * (tests/test-tim-group-sync-*.c) use: sending a group text message, waited for, and the "client
 * is ready" condition. */
#define G_LOG_DOMAIN "test-tim-group-sync-common"

#include "config.h"

#include "test-tim-group-sync-common.h"
#include "tim-test-util.h"

void
send_group_text (TimClient *from, const char *group_id, const char *text, gint64 *time)
{
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (from, group_id, TIM_CONV_GROUP, text);
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_send (from, message, &error));
  g_assert_no_error (error);
  if (time != NULL)
    *time = tim_message_get_time (message);
}

gboolean
is_ready (gpointer data)
{
  return tim_client_get_is_ready (TIM_CLIENT (data));
}
