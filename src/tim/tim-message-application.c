/* tim-message-application.c: an application to join a group as its notice carries it (the Web
 * SDK's GroupSystemNotice of operation 1: operatorID the applicant, handleMessage their words,
 * authentication the token an answer brings back), and the answer this device gave, which libtim
 * keeps in the notice's payload ("applicationResult") so that it outlives the session. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-json.h"
#include "tim-message-private.h"

#define RESULT_MEMBER "applicationResult"

TimApplicationState
tim_message_get_application_state (TimMessage *self)
{
  JsonObject *payload;
  const char *result;

  g_return_val_if_fail (TIM_IS_MESSAGE (self), TIM_APPLICATION_NONE);

  payload = tim_message_get_payload (self);
  if (tim_message_get_elem_type (self) != TIM_ELEM_GROUP_SYSTEM_NOTICE || payload == NULL ||
      tim_json_get_int_or (payload, "operationType", 0) != 1)
    return TIM_APPLICATION_NONE;
  result = tim_json_get_string (payload, RESULT_MEMBER);
  if (g_strcmp0 (result, "Agree") == 0)
    return TIM_APPLICATION_ACCEPTED;
  if (g_strcmp0 (result, "Reject") == 0)
    return TIM_APPLICATION_REFUSED;
  if (g_strcmp0 (result, "Answered") == 0)
    return TIM_APPLICATION_ANSWERED;
  return TIM_APPLICATION_PENDING;
}

void
_tim_message_set_application_result (TimMessage *self, const char *result)
{
  g_autoptr (JsonObject) payload = tim_json_object_copy (tim_message_get_payload (self));

  json_object_set_string_member (payload, RESULT_MEMBER, result);
  _tim_message_set_payload (self, payload);
}
