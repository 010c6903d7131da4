/* tim-client-marks.c: the user's marks on a conversation (the Web SDK's markConversation,
 * recentcontact.mark_contact OptType 1) and their custom data on it (setConversationCustomData,
 * OptType 2), made here or on another device (RecentContactMod PushType 4). */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

typedef struct
{
  char *conversation_id;
  guint64 marks;
  gboolean enable;
} Mark;

static void
mark_free (Mark *mark)
{
  g_free (mark->conversation_id);
  g_free (mark);
}

/* The marks as the server says they are now: kept here and in the local store. */
static void
apply_marks (TimClient *self, const char *conversation_id, guint64 marks)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);

  if (conversation == NULL || tim_conversation_get_marks (conversation) == marks)
    return;
  _tim_conversation_set_marks (conversation, marks);
  _tim_client_save_conversation (self, conversation);
}

/* The custom data as the server says it is now: kept here and in the local store. */
static void
apply_custom_data (TimClient *self, const char *conversation_id, const char *custom_data)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);

  if (conversation == NULL || g_strcmp0 (tim_conversation_get_custom_data (conversation),
                                         custom_data != NULL ? custom_data : "") == 0)
    return;
  _tim_conversation_set_custom_data (conversation, custom_data);
  _tim_client_save_conversation (self, conversation);
}

void
_tim_client_take_marks (TimClient *self, JsonArray *entries)
{
  JsonObject *entry;

  for (guint i = 0; (entry = tim_json_array_next_object (entries, &i)) != NULL;)
    {
      JsonObject *item = tim_json_get_object (entry, "RecentContactItem");
      gint64 type = item != NULL ? tim_json_get_int_or (item, "Type", 0) : 0;
      const char *peer =
          type == 2 ? tim_json_get_string (item, "GroupId") : tim_json_get_string (item, "UserId");
      g_autofree char *conversation_id = NULL;

      if ((type != 1 && type != 2) || peer == NULL || *peer == '\0')
        continue;
      conversation_id = tim_conv_make_id (type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer);
      if (tim_json_get_int_or (entry, "OptType", 0) == 1)
        apply_marks (self, conversation_id,
                     tim_conv_marks_from_wire (tim_json_get_string (entry, "StandardMark")));
      else if (tim_json_get_int_or (entry, "OptType", 0) == 2)
        apply_custom_data (self, conversation_id, tim_json_get_string (entry, "CustomMark"));
    }
}

static void
mark_done (TimClient *self, GTask *task, JsonObject *reply)
{
  Mark *mark = g_task_get_task_data (task);
  JsonObject *result = tim_json_array_get_object (tim_json_get_array (reply, "ResultItem"), 0);
  gint64 code = result != NULL ? tim_json_get_int_or (result, "ResultCode", 0) : 0;
  TimConversation *conversation;
  const char *now;

  if (code != 0)
    {
      const char *info = tim_json_get_string (result, "ResultInfo");

      g_task_return_new_error (task, TIM_ERROR, (int) code, "%s",
                               info != NULL && *info != '\0' ? info : tim_error_text ((int) code));
      return;
    }
  /* The server says what they are now; one that does not, what was asked. Looked up again: the
   * list may have dropped it, or replaced it at a resync, meanwhile. */
  now = result != NULL ? tim_json_get_string (result, "StandardMark") : NULL;
  conversation = tim_conversation_list_lookup (self->conversations, mark->conversation_id);
  if (now != NULL)
    apply_marks (self, mark->conversation_id, tim_conv_marks_from_wire (now));
  else if (conversation != NULL)
    apply_marks (self, mark->conversation_id,
                 mark->enable ? tim_conversation_get_marks (conversation) | mark->marks
                              : tim_conversation_get_marks (conversation) & ~mark->marks);
  g_task_return_boolean (task, TRUE);
}

/* The bits of marks as the numbers the wire lists in SetMark or ClearMark. */
static JsonArray *
bit_numbers (guint64 marks)
{
  JsonArray *numbers = json_array_new ();

  for (int bit = 0; bit < 64; bit++)
    if ((marks >> bit) & 1)
      json_array_add_int_element (numbers, bit);
  return numbers;
}

void
tim_client_mark_conversation_async (TimClient *self, const char *conversation_id, guint64 marks,
                                    gboolean enable, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  JsonArray *items, *numbers;
  JsonObject *item, *contact;
  const char *peer = NULL;
  TimConvType type;
  Mark *mark;

  if (!_tim_client_check_conversation (task, conversation_id, &type, &peer))
    return;
  if (marks == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("No mark was given"));
      return;
    }
  if (conversation == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                               _ ("There is no conversation “%s” in the list"), conversation_id);
      return;
    }
  if ((tim_conversation_get_marks (conversation) & marks) == (enable ? marks : 0))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  mark = g_new0 (Mark, 1);
  mark->conversation_id = g_strdup (conversation_id);
  mark->marks = marks;
  mark->enable = !!enable;
  g_task_set_task_data (task, mark, (GDestroyNotify) mark_free);

  contact = json_object_new ();
  json_object_set_int_member (contact, "Type", type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_string_member (contact, type == TIM_CONV_GROUP ? "ToGroupId" : "To_Account",
                                 peer);
  numbers = bit_numbers (marks);
  item = json_object_new ();
  json_object_set_int_member (item, "OptType", 1);
  json_object_set_object_member (item, "ContactItem", contact);
  json_object_set_array_member (item, enable ? "SetMark" : "ClearMark", numbers);
  items = json_array_new ();
  json_array_add_object_element (items, item);
  json_object_set_string_member (body, "From_Account", self->user ? self->user : "");
  json_object_set_array_member (body, "MarkItem", items);
  _tim_client_request (self, task, "recentcontact.mark_contact", body, mark_done);
}

gboolean
tim_client_mark_conversation_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- custom data */

#define MAX_CUSTOM_DATA_CHARS 256

static void
custom_data_done (TimClient *self, GTask *task, JsonObject *reply)
{
  const char *conversation_id = g_task_get_task_data (task);
  JsonObject *result = tim_json_array_get_object (tim_json_get_array (reply, "ResultItem"), 0);
  gint64 code = result != NULL ? tim_json_get_int_or (result, "ResultCode", 0) : 0;

  if (code != 0)
    {
      const char *info = tim_json_get_string (result, "ResultInfo");

      g_task_return_new_error (task, TIM_ERROR, (int) code, "%s",
                               info != NULL && *info != '\0' ? info : tim_error_text ((int) code));
      return;
    }
  apply_custom_data (self, conversation_id, g_object_get_data (G_OBJECT (task), "custom-data"));
  g_task_return_boolean (task, TRUE);
}

void
tim_client_set_conversation_custom_data_async (TimClient *self, const char *conversation_id,
                                               const char *custom_data, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *items;
  JsonObject *item, *contact;
  const char *peer = NULL;
  TimConvType type;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_set_conversation_custom_data_async);
  if (custom_data == NULL)
    custom_data = "";
  if (!_tim_client_check_conversation (task, conversation_id, &type, &peer) ||
      !_tim_client_check_logged_in (self, task))
    return;
  if (!g_utf8_validate (custom_data, -1, NULL) ||
      g_utf8_strlen (custom_data, -1) > MAX_CUSTOM_DATA_CHARS)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("A conversation’s custom data is at most %d characters"),
                               MAX_CUSTOM_DATA_CHARS);
      return;
    }
  if (tim_conversation_list_lookup (self->conversations, conversation_id) == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                               _ ("There is no conversation “%s” in the list"), conversation_id);
      return;
    }
  g_task_set_task_data (task, g_strdup (conversation_id), g_free);
  g_object_set_data_full (G_OBJECT (task), "custom-data", g_strdup (custom_data), g_free);
  contact = json_object_new ();
  json_object_set_int_member (contact, "Type", type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_string_member (contact, type == TIM_CONV_GROUP ? "ToGroupId" : "To_Account",
                                 peer);
  item = json_object_new ();
  json_object_set_int_member (item, "OptType", 2);
  json_object_set_object_member (item, "ContactItem", contact);
  json_object_set_string_member (item, "CustomMark", custom_data);
  items = json_array_new ();
  json_array_add_object_element (items, item);
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_array_member (body, "MarkItem", items);
  _tim_client_request (self, task, "recentcontact.mark_contact", body, custom_data_done);
}

gboolean
tim_client_set_conversation_custom_data_finish (TimClient *self, GAsyncResult *result,
                                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
