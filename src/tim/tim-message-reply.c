/* tim-message-reply.c: replies that quote a message, in the convention of Tencent's TUIKit UI
 * kits (the Web SDK has no API for it), so that their apps and ours show each other's quotes:
 * the reply's cloudCustomData holds {"messageReply":{"messageID","messageAbstract",
 * "messageSender","messageType","version":1}}, messageType being the native SDKs' element type
 * number. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <string.h>

#include "tim-json.h"
#include "tim-message-private.h"

/* What a quote shows of the original: enough to recognise it. */
#define ABSTRACT_CHARS 100

/* V2TIMElemType, the numbers TUIKit puts in messageType. */
static int
native_elem_type (TimElemType type)
{
  switch (type)
    {
    case TIM_ELEM_TEXT:
      return 1;
    case TIM_ELEM_CUSTOM:
      return 2;
    case TIM_ELEM_IMAGE:
      return 3;
    case TIM_ELEM_SOUND:
      return 4;
    case TIM_ELEM_VIDEO:
      return 5;
    case TIM_ELEM_FILE:
      return 6;
    case TIM_ELEM_LOCATION:
      return 7;
    case TIM_ELEM_FACE:
      return 8;
    case TIM_ELEM_GROUP_TIP:
      return 9;
    case TIM_ELEM_RELAY:
      return 10;
    default:
      return 0;
    }
}

gboolean
tim_message_set_reply_to (TimMessage *self, TimMessage *original)
{
  g_autoptr (JsonObject) custom = NULL;
  g_autofree char *show = NULL;
  g_autofree char *abstract = NULL;
  g_autofree char *text = NULL;
  JsonObject *reply;
  const char *data;

  g_return_val_if_fail (TIM_IS_MESSAGE (self), FALSE);
  g_return_val_if_fail (TIM_IS_MESSAGE (original), FALSE);

  data = tim_message_get_cloud_custom_data (self);
  /* Only before it is sent; and never over custom data that is not a JSON object (the app's
   * own, which a quote must not destroy). */
  if (tim_message_get_status (self) != TIM_MESSAGE_STATUS_UNSENT ||
      tim_message_get_is_revoked (original))
    return FALSE;
  if (data != NULL && *data != '\0' && (custom = tim_json_parse_object (data, -1, NULL)) == NULL)
    return FALSE;
  if (custom == NULL)
    custom = json_object_new ();
  show = tim_message_dup_message_for_show (original);
  if (g_utf8_strlen (show, -1) > ABSTRACT_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (show, 0, ABSTRACT_CHARS);

      abstract = g_strconcat (cut, "…", NULL);
    }
  else
    abstract = g_strdup (show);
  reply = json_object_new ();
  json_object_set_string_member (reply, "messageID", tim_message_get_id (original));
  json_object_set_string_member (reply, "messageAbstract", abstract);
  json_object_set_string_member (reply, "messageSender", tim_message_get_sender_name (original));
  json_object_set_int_member (reply, "messageType",
                              native_elem_type (tim_message_get_elem_type (original)));
  json_object_set_int_member (reply, "version", 1);
  json_object_set_object_member (custom, "messageReply", reply);
  text = tim_json_to_string (custom, NULL);
  _tim_message_set_cloud_custom_data (self, text);
  return TRUE;
}

gboolean
tim_message_dup_reply (TimMessage *self, char **message_id, char **sender, char **abstract)
{
  const char *data;
  g_autoptr (JsonObject) custom = NULL;
  JsonObject *reply;
  const char *id;

  g_return_val_if_fail (TIM_IS_MESSAGE (self), FALSE);

  data = tim_message_get_cloud_custom_data (self);
  if (data == NULL || strstr (data, "messageReply") == NULL ||
      (custom = tim_json_parse_object (data, -1, NULL)) == NULL ||
      (reply = tim_json_get_object (custom, "messageReply")) == NULL ||
      (id = tim_json_get_string (reply, "messageID")) == NULL)
    return FALSE;
  if (message_id != NULL)
    *message_id = g_strdup (id);
  if (sender != NULL)
    *sender = g_strdup (tim_json_get_string (reply, "messageSender") ?: "");
  if (abstract != NULL)
    *abstract = g_strdup (tim_json_get_string (reply, "messageAbstract") ?: "");
  return TRUE;
}
