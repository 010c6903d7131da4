/* tim-client-pin.c: pinConversation, and the changes to the list that the user's other devices
 * make (pinned, unpinned, deleted), which the server pushes as the SDK's RecentContactMod. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* ---------------------------------------------------------------- pin */

typedef struct
{
  char *conversation_id;
  gboolean pinned;
} Pin;

static void
pin_free (Pin *pin)
{
  g_free (pin->conversation_id);
  g_free (pin);
}

/* The list's change, made here or on another device: pinned or not, and in its place. */
static void
apply_pinned (TimClient *self, const char *conversation_id, gboolean pinned)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);

  if (conversation == NULL || tim_conversation_get_is_pinned (conversation) == pinned)
    return;
  _tim_conversation_set_is_pinned (conversation, pinned);
  _tim_conversation_list_upsert (self->conversations, conversation);
  _tim_client_save_conversation (self, conversation);
}

static void
pin_done (TimClient *self, GTask *task, JsonObject *reply)
{
  Pin *pin = g_task_get_task_data (task);

  /* Looked up again: the list may have dropped it, or replaced it at a resync, meanwhile. */
  apply_pinned (self, pin->conversation_id, pin->pinned);
  g_task_return_boolean (task, TRUE);
}

void
tim_client_pin_conversation_async (TimClient *self, const char *conversation_id, gboolean pinned,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *items = json_array_new ();
  JsonObject *item = json_object_new ();
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  const char *peer = NULL;
  TimConvType type;
  Pin *pin;

  json_array_add_object_element (items, item);
  json_object_set_array_member (body, "RecentContactItem", items);
  if (!_tim_client_check_conversation (task, conversation_id, &type, &peer))
    return;
  if (conversation == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                               _ ("There is no conversation “%s” in the list"), conversation_id);
      return;
    }
  if (tim_conversation_get_is_pinned (conversation) == !!pinned)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  pin = g_new0 (Pin, 1);
  pin->conversation_id = g_strdup (conversation_id);
  pin->pinned = !!pinned;
  g_task_set_task_data (task, pin, (GDestroyNotify) pin_free);
  json_object_set_int_member (item, "Type", type == TIM_CONV_GROUP ? 2 : 1);
  json_object_set_string_member (item, type == TIM_CONV_GROUP ? "GroupId" : "To_Account", peer);
  json_object_set_string_member (body, "From_Account", self->user ? self->user : "");
  json_object_set_int_member (body, "OperationType", pinned ? 1 : 2);
  _tim_client_request (self, task, "recentcontact.top", body, pin_done);
}

gboolean
tim_client_pin_conversation_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- other devices */

void
_tim_client_take_list_change (TimClient *self, JsonObject *change)
{
  gint64 push_type = tim_json_get_int_or (change, "PushType", 0);
  JsonObject *changed = tim_json_get_object (change, push_type == 1 ? "RecentContactDeleteItem"
                                                                    : "RecentContactTopItem");
  JsonArray *conversations = tim_json_get_array (changed, "RecentContactList");

  for (guint i = 0; conversations != NULL && i < json_array_get_length (conversations); i++)
    {
      JsonObject *item = tim_json_array_get_object (conversations, i);
      gint64 type = item != NULL ? tim_json_get_int_or (item, "Type", 0) : 0;
      const char *peer =
          type == 2 ? tim_json_get_string (item, "GroupId") : tim_json_get_string (item, "UserId");
      g_autofree char *conversation_id =
          (type == 1 || type == 2) && peer != NULL && *peer != '\0'
              ? tim_conv_make_id (type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer)
              : NULL;

      if (conversation_id == NULL)
        continue;
      if (push_type == 1)
        _tim_client_forget_conversation (self, conversation_id);
      else if (push_type == 2 || push_type == 3)
        apply_pinned (self, conversation_id, push_type == 2);
    }
}
