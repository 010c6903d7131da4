/* tim-client-conversation-records.c: each conversation as its record in the local store: written
 * on every change (_tim_client_save_conversation), read back at start-up so that the list shows
 * at once, before the server answers. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-conversation-list.h"
#include "tim-json.h"

void
_tim_client_save_conversation (TimClient *self, TimConversation *conversation)
{
  g_autoptr (JsonObject) record = json_object_new ();
  TimMessage *last = tim_conversation_get_last_message (conversation);

  if (self->store == NULL)
    return;
  json_object_set_string_member (record, "id", tim_conversation_get_id (conversation));
  json_object_set_int_member (record, "unread", tim_conversation_get_unread_count (conversation));
  json_object_set_int_member (record, "lastTime", tim_conversation_get_last_time (conversation));
  json_object_set_boolean_member (record, "pinned", tim_conversation_get_is_pinned (conversation));
  json_object_set_int_member (record, "marks", (gint64) tim_conversation_get_marks (conversation));
  json_object_set_string_member (record, "customData",
                                 tim_conversation_get_custom_data (conversation));
  json_object_set_array_member (
      record, "folders", tim_json_array_new_strings (tim_conversation_get_folders (conversation)));
  json_object_set_string_member (record, "remind",
                                 tim_conversation_get_message_remind_type (conversation));
  json_object_set_string_member (record, "name", tim_conversation_get_name (conversation));
  json_object_set_string_member (record, "avatar", tim_conversation_get_avatar (conversation));
  json_object_set_int_member (record, "peerReadTime",
                              tim_conversation_get_peer_read_time (conversation));
  json_object_set_string_member (record, "messageForShow",
                                 tim_conversation_get_message_for_show (conversation));
  if (last != NULL)
    json_object_set_object_member (record, "lastMessage", _tim_message_to_record (last));
  if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_GROUP)
    {
      /* What the group's profile said last, so a UI has it before it asks again. */
      tim_json_set_string_if (record, "groupType", tim_conversation_get_group_type (conversation));
      tim_json_set_string_if (record, "introduction",
                              tim_conversation_get_group_introduction (conversation));
      tim_json_set_string_if (record, "notification",
                              tim_conversation_get_group_notification (conversation));
      tim_json_set_string_if (record, "selfRole",
                              tim_conversation_get_group_self_role (conversation));
      json_object_set_int_member (record, "selfMuteUntil",
                                  tim_conversation_get_group_self_mute_until (conversation));
      json_object_set_boolean_member (record, "muteAll",
                                      tim_conversation_get_group_mute_all (conversation));
      json_object_set_int_member (record, "groupAt",
                                  tim_conversation_get_group_at_type (conversation));
    }
  tim_local_store_save_conversation (self->store, tim_conversation_get_id (conversation), record,
                                     NULL);
  g_signal_emit_by_name (self, "conversation-list-updated");
}

void
_tim_client_load_cached_conversations (TimClient *self)
{
  g_autoptr (GPtrArray) records = tim_local_store_load_conversations (self->store);
  g_autoptr (GPtrArray) conversations = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];
      const char *id = tim_json_get_string (record, "id");
      JsonObject *last_record = tim_json_get_object (record, "lastMessage");
      TimConversation *conversation;
      g_auto (GStrv) folders = NULL;

      if (id == NULL)
        continue;
      conversation = _tim_conversation_new (id);
      _tim_conversation_set_unread_count (conversation,
                                          (guint) tim_json_get_int_or (record, "unread", 0));
      _tim_conversation_set_is_pinned (conversation,
                                       tim_json_get_int_or (record, "pinned", 0) != 0);
      _tim_conversation_set_marks (conversation,
                                   (guint64) tim_json_get_int_or (record, "marks", 0));
      _tim_conversation_set_custom_data (conversation, tim_json_get_string (record, "customData"));
      folders = tim_json_array_dup_strings (tim_json_get_array (record, "folders"));
      _tim_conversation_set_folders (conversation, (const char *const *) folders);
      _tim_conversation_set_message_remind_type (conversation,
                                                 tim_json_get_string (record, "remind"));
      _tim_conversation_set_profile (conversation, tim_json_get_string (record, "name"),
                                     tim_json_get_string (record, "avatar"));
      _tim_conversation_set_peer_read_time (conversation,
                                            tim_json_get_int_or (record, "peerReadTime", 0));
      _tim_conversation_set_group_type (conversation, tim_json_get_string (record, "groupType"));
      _tim_conversation_set_group_self_role (conversation,
                                             tim_json_get_string (record, "selfRole"));
      _tim_conversation_set_group_self_mute_until (
          conversation, tim_json_get_int_or (record, "selfMuteUntil", 0));
      _tim_conversation_set_group_at_type (conversation,
                                           tim_json_get_int_or (record, "groupAt", 0) &
                                               (TIM_GROUP_AT_ME | TIM_GROUP_AT_ALL));
      _tim_conversation_set_group_info (
          conversation, tim_json_get_string (record, "introduction"),
          tim_json_get_string (record, "notification"),
          json_object_has_member (record, "muteAll")
              ? json_object_get_boolean_member_with_default (record, "muteAll", FALSE)
              : -1);
      if (last_record != NULL)
        {
          g_autoptr (TimMessage) last = _tim_message_new_from_record (last_record);

          /* Not interned: the cached copy may stand in for a message the store does not have
           * yet, which must not look like a duplicate when it arrives. */
          if (last != NULL)
            _tim_conversation_set_last_message (conversation, last,
                                                tim_json_get_string (record, "messageForShow"));
        }
      _tim_conversation_set_last_time (conversation, tim_json_get_int_or (record, "lastTime", 0));
      g_ptr_array_add (conversations, conversation);
    }
  _tim_client_take_drafts (self, conversations);
  _tim_conversation_list_replace_all (self->conversations, conversations);
}
