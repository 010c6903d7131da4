/* tim-client-forward.c: forwarding (the Web SDK's createForwardMessage): a new message of this
 * user with another message's content, sent like any other. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* Refused with code, in words that say why. */
static gboolean
refuse (GError **error, int code, const char *text)
{
  g_set_error_literal (error, TIM_ERROR, code, text);
  return FALSE;
}

gboolean
_tim_client_check_forwardable (TimMessage *message, int code, GError **error)
{
  TimElemType type = tim_message_get_elem_type (message);

  /* First: a recalled message keeps nothing of what it was. */
  if (tim_message_get_is_revoked (message))
    return refuse (error, code, _ ("A recalled message cannot be forwarded"));
  if (type == TIM_ELEM_GROUP_TIP || type == TIM_ELEM_GROUP_SYSTEM_NOTICE)
    return refuse (error, code, _ ("Group notifications cannot be forwarded"));
  if (!tim_elem_type_is_sendable (type))
    return refuse (error, code, _ ("This kind of message cannot be forwarded"));
  return TRUE;
}

TimMessage *
tim_client_create_forward_message (TimClient *self, const char *to, TimConvType type,
                                   TimMessage *message, GError **error)
{
  TimMessage *copy;

  g_return_val_if_fail (TIM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (TIM_IS_MESSAGE (message), NULL);
  if (!_tim_client_check_forwardable (message, TIM_ERROR_MESSAGE_FORWARD_TYPE_INVALID, error))
    return NULL;
  copy = _tim_client_new_message (self, to, type, tim_message_get_elem_type (message),
                                  tim_json_object_copy (tim_message_get_payload (message)));
  copy->cloud_custom_data = g_strdup (tim_message_get_cloud_custom_data (message));
  /* Never uploaded: its file goes up with the forward, so nothing is lost to a failed send. */
  if (_tim_client_needs_upload (message))
    _tim_message_set_local_file (copy, tim_message_get_local_file (message));
  return copy;
}
