/* tim-client-settings.c: what the user sets on a conversation: pinConversation and
 * setMessageRemindType; and the changes to the list that the user's other devices make (pinned,
 * unpinned, deleted, marked: tim-client-marks.c), which the server pushes as the SDK's
 * RecentContactMod. */
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

/* ---------------------------------------------------------------- remind type */

typedef struct
{
  char *conversation_id;
  const char *remind_type; /* interned */
} Remind;

static void
remind_free (Remind *remind)
{
  g_free (remind->conversation_id);
  g_free (remind);
}

/* The user's choice, made here or on another device. */
void
_tim_client_take_remind (TimClient *self, const char *conversation_id, const char *remind_type)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  TimMessageList *list;
  gboolean was_discarding;

  if (tim_remind_flag_from_name (remind_type) < 0)
    return;

  if (conversation == NULL)
    {
      /* Not listed (yet, or any more): for the conversation its next message brings. */
      if (g_strcmp0 (remind_type, TIM_REMIND_ACCEPT_AND_NOTIFY) == 0)
        g_hash_table_remove (self->unlisted_reminds, conversation_id);
      else
        g_hash_table_insert (self->unlisted_reminds, g_strdup (conversation_id),
                             (gpointer) g_intern_string (remind_type));
      return;
    }
  if (g_strcmp0 (tim_conversation_get_message_remind_type (conversation), remind_type) == 0)
    return;
  was_discarding = tim_conversation_get_is_discarded (conversation);
  _tim_conversation_set_message_remind_type (conversation, remind_type);
  /* As the server lists it: nothing of a conversation whose messages are not received counts as
   * unread (and so nothing mentions the user: the unread count takes the mark with it). */
  if (tim_conversation_get_is_discarded (conversation))
    _tim_conversation_set_unread_count (conversation, 0);
  _tim_client_save_conversation (self, conversation);
  /* What came while the user discarded the conversation's messages was not pushed: its newest
   * page comes from the server next, and a list of it already open reads that page again, or it
   * would go on without them. */
  if (!was_discarding)
    return;
  g_hash_table_add (self->unsure_tails, g_strdup (conversation_id));
  if ((list = g_hash_table_lookup (self->message_lists, conversation_id)) != NULL)
    _tim_message_list_reload (list);
  /* What came meanwhile counts as unread again (from the read mark): the server's list says how
   * much. */
  _tim_client_resync (self);
}

void
_tim_client_take_mute_sync (TimClient *self, const char *peer, gint64 flag)
{
  g_autofree char *conversation_id = NULL;

  if (peer == NULL || *peer == '\0' || flag < TIM_REMIND_FLAG_NOTIFY ||
      flag > TIM_REMIND_FLAG_NOT_NOTIFY)
    return;
  conversation_id = tim_conv_make_id (TIM_CONV_C2C, peer);
  _tim_client_take_remind (self, conversation_id, tim_remind_flag_to_name (flag));
}

static void
remind_done (TimClient *self, GTask *task, JsonObject *reply)
{
  Remind *remind = g_task_get_task_data (task);
  JsonObject *refused = tim_json_array_get_object (tim_json_get_array (reply, "ErrorList"), 0);
  gint64 code;

  if (refused != NULL)
    {
      code = tim_json_get_int_or (refused, "ErrorCode", TIM_ERROR_INTERNAL);
      g_task_return_new_error (task, TIM_ERROR, (int) code, "%s", tim_error_text ((int) code));
      return;
    }
  _tim_client_take_remind (self, remind->conversation_id, remind->remind_type);
  g_task_return_boolean (task, TRUE);
}

/* C2C: openim.set_c2c_peer_mute_notifications; a group: the member's own MsgFlag. */
void
tim_client_set_message_remind_type_async (TimClient *self, const char *conversation_id,
                                          const char *remind_type, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  const char *peer = NULL;
  TimConvType type;
  Remind *remind;

  if (!_tim_client_check_conversation (task, conversation_id, &type, &peer))
    return;
  if (tim_remind_flag_from_name (remind_type) < 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("“%s” is not AcceptAndNotify, AcceptNotNotify or Discard"),
                               remind_type != NULL ? remind_type : "");
      return;
    }
  if (conversation == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND,
                               _ ("There is no conversation “%s” in the list"), conversation_id);
      return;
    }
  remind = g_new0 (Remind, 1);
  remind->conversation_id = g_strdup (conversation_id);
  remind->remind_type = g_intern_string (remind_type);
  g_task_set_task_data (task, remind, (GDestroyNotify) remind_free);
  if (type == TIM_CONV_C2C)
    {
      JsonArray *peers = json_array_new ();

      json_array_add_string_element (peers, peer);
      json_object_set_array_member (body, "Peer_Account", peers);
      json_object_set_int_member (body, "Mute_Notifications",
                                  tim_remind_flag_from_name (remind_type));
      _tim_client_request (self, task, "openim.set_c2c_peer_mute_notifications", body, remind_done);
      return;
    }
  json_object_set_string_member (body, "GroupId", peer);
  json_object_set_string_member (body, "Member_Account", self->user ? self->user : "");
  json_object_set_string_member (body, "MsgFlag", remind_type);
  _tim_client_request (self, task, "group_open_http_svc.modify_group_member_info", body,
                       remind_done);
}

gboolean
tim_client_set_message_remind_type_finish (TimClient *self, GAsyncResult *result, GError **error)
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
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (conversations, &i)) != NULL;)
    {
      gint64 type = tim_json_get_int_or (item, "Type", 0);
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
  if (push_type >= 5 && push_type <= 7)
    _tim_client_take_folder_change (self, push_type, change);
  if (push_type == 4)
    _tim_client_take_marks (
        self, tim_json_get_array (tim_json_get_object (change, "RecentContactMarkContact"),
                                  "RecentContactMarkContactItem"));
}
