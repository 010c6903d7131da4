/* tim-message-fields.c: typed readers of a message's payload, one per field a user interface
 * shows, so that the app never reads JSON. Each answers for its own element kinds and gives
 * NULL / 0 for the others; strings belong to the message's current payload. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-json.h"
#include "tim-limits.h"
#include "tim-message.h"
#include "tim-text.h"

static JsonObject *
payload_of (TimMessage *self, TimElemType kind)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  if (tim_message_get_elem_type (self) != kind)
    return NULL;
  return tim_message_get_payload (self);
}

static void
set_size (int *out, gint64 value)
{
  if (out != NULL)
    *out = (int) CLAMP (value, 0, G_MAXINT);
}

const char *
tim_message_get_image (TimMessage *self, TimImageKind kind, int *width, int *height)
{
  JsonObject *payload = payload_of (self, TIM_ELEM_IMAGE);
  JsonNode *node = payload != NULL ? json_object_get_member (payload, "imageInfoArray") : NULL;
  JsonArray *infos =
      node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  JsonObject *info;

  /* Before the upload there are no versions yet, only the local file's own size. */
  set_size (width, tim_json_get_int_or (payload, "width", 0));
  set_size (height, tim_json_get_int_or (payload, "height", 0));
  for (guint i = 0; (info = tim_json_array_next_object (infos, &i)) != NULL;)
    {
      if (tim_json_get_int_or (info, "type", -1) != kind)
        continue;
      set_size (width, tim_json_get_int_or (info, "width", 0));
      set_size (height, tim_json_get_int_or (info, "height", 0));
      return tim_json_get_string_any (info, "imageUrl", "url", NULL);
    }
  return NULL;
}

const char *
tim_message_get_media_url (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  switch (tim_message_get_elem_type (self))
    {
    case TIM_ELEM_IMAGE:
      return tim_message_get_image (self, TIM_IMAGE_ORIGINAL, NULL, NULL);
    case TIM_ELEM_SOUND:
      return tim_json_get_string (tim_message_get_payload (self), "url");
    case TIM_ELEM_VIDEO:
      return tim_json_get_string (tim_message_get_payload (self), "videoUrl");
    case TIM_ELEM_FILE:
      return tim_json_get_string (tim_message_get_payload (self), "fileUrl");
    default:
      return NULL;
    }
}

const char *
tim_message_get_file_name (TimMessage *self)
{
  return tim_json_get_string (payload_of (self, TIM_ELEM_FILE), "fileName");
}

gint64
tim_message_get_file_size (TimMessage *self)
{
  return tim_json_get_int_or (payload_of (self, TIM_ELEM_FILE), "fileSize", 0);
}

gint64
tim_message_get_duration (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), 0);
  switch (tim_message_get_elem_type (self))
    {
    case TIM_ELEM_SOUND:
      return tim_json_get_int_or (tim_message_get_payload (self), "second", 0);
    case TIM_ELEM_VIDEO:
      return tim_json_get_int_or (tim_message_get_payload (self), "videoSecond", 0);
    default:
      return 0;
    }
}

const char *
tim_message_get_video_thumb (TimMessage *self, int *width, int *height)
{
  JsonObject *payload = payload_of (self, TIM_ELEM_VIDEO);

  set_size (width, tim_json_get_int_or (payload, "thumbWidth", 0));
  set_size (height, tim_json_get_int_or (payload, "thumbHeight", 0));
  return tim_json_get_string (payload, "thumbUrl");
}

const char *
tim_message_get_custom_data (TimMessage *self)
{
  return tim_json_get_string (payload_of (self, TIM_ELEM_CUSTOM), "data");
}

const char *
tim_message_get_description (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  switch (tim_message_get_elem_type (self))
    {
    case TIM_ELEM_CUSTOM:
    case TIM_ELEM_LOCATION:
      return tim_json_get_string (tim_message_get_payload (self), "description");
    default:
      return NULL;
    }
}

gint64
tim_message_get_face_index (TimMessage *self)
{
  return tim_json_get_int_or (payload_of (self, TIM_ELEM_FACE), "index", 0);
}

const char *
tim_message_get_face_data (TimMessage *self)
{
  return tim_json_get_string (payload_of (self, TIM_ELEM_FACE), "data");
}

gboolean
tim_message_get_location (TimMessage *self, double *latitude, double *longitude)
{
  JsonObject *payload = payload_of (self, TIM_ELEM_LOCATION);

  *latitude =
      payload != NULL ? json_object_get_double_member_with_default (payload, "latitude", 0) : 0;
  *longitude =
      payload != NULL ? json_object_get_double_member_with_default (payload, "longitude", 0) : 0;
  return payload != NULL;
}

const char *
tim_message_get_sender_name (TimMessage *self)
{
  const char *name_card = tim_message_get_name_card (self);
  const char *nick = tim_message_get_nick (self);

  if (name_card != NULL && *name_card != '\0')
    return name_card;
  return nick != NULL && *nick != '\0' ? nick : tim_message_get_from (self);
}

const char *
tim_message_get_title (TimMessage *self)
{
  return tim_json_get_string (payload_of (self, TIM_ELEM_RELAY), "title");
}

GStrv
tim_message_dup_abstracts (TimMessage *self)
{
  JsonArray *list = tim_json_get_array (payload_of (self, TIM_ELEM_RELAY), "abstractList");
  g_autoptr (GStrvBuilder) lines = NULL;

  if (tim_message_get_elem_type (self) != TIM_ELEM_RELAY)
    return NULL;
  lines = g_strv_builder_new ();
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    if (tim_json_array_get_string (list, i) != NULL)
      g_strv_builder_add (lines, tim_json_array_get_string (list, i));
  return g_strv_builder_end (lines);
}

/* Every group's notices share one conversation, so each names its group. */
static char *
dup_notice_text (JsonObject *payload, const char *operator_name)
{
  g_autofree char *text = tim_text_group_notice (payload, operator_name);
  JsonObject *profile = tim_json_get_object (payload, "groupProfile");
  const char *group = tim_json_get_string (profile, "name");

  if (group == NULL || *group == '\0')
    group = tim_json_get_string (profile, "groupID");
  if (group == NULL || *group == '\0')
    return g_steal_pointer (&text);
  /* Translators: a group system notice: the group's name, then what happened in it. */
  return g_strdup_printf (_ ("%s: %s"), group, text);
}

/* The operator's name (card, else nick), when the message's is theirs: a tip's sender is its
 * operator, and a notice's sender, the system, carries the operator's (docs/protocol.md). */
static const char *
operator_nick (TimMessage *self)
{
  const char *operator_id = tim_json_get_string (tim_message_get_payload (self), "operatorID");
  const char *from = tim_message_get_from (self);
  const char *name_card = tim_message_get_name_card (self);

  if (g_strcmp0 (from, operator_id) != 0 && g_strcmp0 (from, TIM_SYSTEM_CONVERSATION_ID) != 0)
    return NULL;
  return name_card != NULL && *name_card != '\0' ? name_card : tim_message_get_nick (self);
}

char *
tim_message_dup_tip_text (TimMessage *self)
{
  return tim_message_dup_tip_text_for (self, NULL);
}

char *
tim_message_dup_tip_text_for (TimMessage *self, const char *me)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);
  switch (tim_message_get_elem_type (self))
    {
    case TIM_ELEM_GROUP_TIP:
      /* The group's first message is the join of those it was made with: its creation. */
      if (tim_message_get_sequence (self) == 1 &&
          tim_json_get_int_or (tim_message_get_payload (self), "operationType", 0) == 1)
        return tim_text_group_created (tim_message_get_payload (self), operator_nick (self), me);
      return tim_text_group_tip (tim_message_get_payload (self), operator_nick (self), me);
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
      return dup_notice_text (tim_message_get_payload (self), operator_nick (self));
    default:
      return NULL;
    }
}
