/* tim-client-notices.c: what the server tells of messages already here, pushed or synced alike:
 * recalls, the peer's reads, reads on the user's other devices, @ tips and group tips; and the
 * one entry point for every push (_tim_client_on_push) and every synced event
 * (_tim_client_take_event), which hand new messages to tim-client-sync.c. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-json.h"

#define RECENT_LIMIT 500

/* The newest messages of a conversation, as the instances the UI may already hold (the store
 * has every accepted message; interning returns the live object when there is one). */
GPtrArray *
_tim_client_recent_messages (TimClient *self, const char *conversation_id)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) records = NULL;

  if (self->store == NULL)
    return messages;
  records = tim_local_store_load_messages (self->store, conversation_id, 0, RECENT_LIMIT);
  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr (TimMessage) loaded = _tim_message_new_from_record (records->pdata[i]);
      TimMessage *message;

      if (loaded == NULL)
        continue;
      message = _tim_client_intern_message (self, loaded);
      g_ptr_array_add (messages, g_object_ref (message));
    }
  return messages;
}

/* Looked up in the store, whatever its age: an admin's recall and an edit have no time limit,
 * and a page of the conversation loaded later must not show what a recall took away. */
TimMessage *
_tim_client_find_message (TimClient *self, const char *conversation_id, gint64 sequence,
                          gint64 random)
{
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (TimMessage) loaded = NULL;

  if (self->store == NULL)
    return NULL;
  record = tim_local_store_find_message (self->store, conversation_id, sequence, random);
  if (record == NULL || (loaded = _tim_message_new_from_record (record)) == NULL)
    return NULL;
  return g_object_ref (_tim_client_intern_message (self, loaded));
}

/* Whether the unread count may hold message, by the rule that counted it
 * (_tim_client_accept_message ()): from the peer, not read, not sent to be left out, not
 * recalled. */
static gboolean
counts_unread (TimMessage *message)
{
  return g_str_equal (tim_message_get_flow (message), "in") && !tim_message_get_is_read (message) &&
         !tim_message_get_is_excluded_from_unread_count (message) &&
         !tim_message_get_is_revoked (message);
}

/* Whether conversation's unread count holds message. The count is of the newest messages that
 * count, as the server counts those after the read point: one with that many of them after it
 * was read, whatever it says of itself. A message a history page brought says unread (a page
 * does not tell what was read), and taking it off the count took a newer message off instead. */
static gboolean
holds_unread (TimClient *self, TimConversation *conversation, TimMessage *message)
{
  guint unread = conversation != NULL ? tim_conversation_get_unread_count (conversation) : 0;
  g_autoptr (GPtrArray) newest_first = NULL;
  guint after = 0;

  if (unread == 0 || !counts_unread (message))
    return FALSE;
  newest_first = _tim_client_recent_messages (self, tim_message_get_conversation_id (message));
  for (guint i = 0; i < newest_first->len; i++)
    {
      TimMessage *other = newest_first->pdata[i];

      if (g_strcmp0 (tim_message_get_id (other), tim_message_get_id (message)) == 0)
        break;
      if (counts_unread (other) && ++after >= unread)
        return FALSE;
    }
  return TRUE;
}

static void
apply_recall (TimClient *self, const char *conversation_id, gint64 sequence, gint64 random,
              const char *revoker, GPtrArray *revoked)
{
  g_autoptr (TimMessage) message =
      _tim_client_find_message (self, conversation_id, sequence, random);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  gboolean counted;

  g_debug ("Recall in %s of sequence %" G_GINT64_FORMAT ": %s", conversation_id, sequence,
           message == NULL                        ? "not found"
           : tim_message_get_is_revoked (message) ? "already recalled"
                                                  : "found");
  if (message == NULL || tim_message_get_is_revoked (message))
    return;
  counted = holds_unread (self, conversation, message);
  _tim_client_mark_recalled (self, message, revoker);
  g_ptr_array_add (revoked, g_object_ref (message));
  if (conversation != NULL)
    {
      guint unread = tim_conversation_get_unread_count (conversation);

      /* One off the count for each recalled message it held, as the server leaves a recalled
       * message out of its count: taking one off for one already read took it off a newer
       * message, which then showed read here and unread on the user's other devices. */
      if (unread > 0 && counted)
        _tim_conversation_set_unread_count (conversation, unread - 1);
      _tim_client_save_conversation (self, conversation);
    }
  _tim_client_refresh_last_message (self, message);
}

/* Marks this user's messages up to `time` read by the peer. The conversation is only looked up:
 * one the user deleted stays off the list (a new message brings it back, and the server's list
 * then says up to when the peer read). */
static void
apply_peer_read (TimClient *self, const char *peer, gint64 time, GPtrArray *read_by_peer)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_C2C, peer);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  g_autoptr (GPtrArray) messages = _tim_client_recent_messages (self, conversation_id);

  if (conversation != NULL)
    _tim_conversation_set_peer_read_time (conversation, time);
  for (guint i = 0; i < messages->len; i++)
    {
      TimMessage *message = messages->pdata[i];

      if (!g_str_equal (tim_message_get_flow (message), "out") ||
          tim_message_get_time (message) > time || tim_message_get_is_peer_read (message))
        continue;
      _tim_message_set_is_peer_read (message, TRUE);
      _tim_client_store_message (self, message);
      g_ptr_array_add (read_by_peer, g_object_ref (message));
    }
  if (conversation != NULL)
    _tim_client_save_conversation (self, conversation);
}

/* This user read the conversation up to the server sequence up_to_seq, on another device or here:
 * what is after it stays unread. A group's read notice says up to where the other device read,
 * and a read report's answer covers what this device knew when it sent the report: a message
 * that came meanwhile may be past it (it reached this device first). Read as everything, it
 * counted as read here while the server and the user's next device counted it unread. */
void
_tim_client_apply_read_up_to (TimClient *self, const char *conversation_id, gint64 up_to_seq)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  g_autoptr (GPtrArray) messages = _tim_client_recent_messages (self, conversation_id);
  guint unread_after = 0;

  for (guint i = 0; i < messages->len; i++)
    {
      TimMessage *message = messages->pdata[i];

      if (tim_message_get_is_read (message))
        continue;
      if (tim_message_get_server_seq (message) > up_to_seq)
        {
          if (counts_unread (message))
            unread_after++;
          continue;
        }
      _tim_message_set_is_read (message, TRUE);
      _tim_client_store_message (self, message);
    }
  /* Not the unread mark: the server takes it away and says so (a read notice replayed at a sync
   * may be older than the mark). Never more than was counted: what this device does not hold is
   * not counted here either. */
  if (conversation != NULL && tim_conversation_get_unread_count (conversation) > unread_after)
    {
      _tim_conversation_set_unread_count (conversation, unread_after);
      _tim_client_save_conversation (self, conversation);
    }
}

/* The same for a C2C conversation read up to a time: msgreaded's LastedMsgTime, and the
 * LastReadTime of its notice to the user's other devices (ReadC2cMsgNotify). The server reads up
 * to the newest message at or before that time (docs/protocol.md), which is the newest this
 * device holds of that time when the answer or the notice comes: the server pushed every message
 * it stored before the read ahead of them, and every one after it behind. */
void
_tim_client_apply_c2c_read_up_to_time (TimClient *self, const char *conversation_id,
                                       gint64 up_to_time)
{
  g_autoptr (GPtrArray) messages = _tim_client_recent_messages (self, conversation_id);
  gint64 seq = 0;

  for (guint i = 0; i < messages->len; i++)
    if (tim_message_get_time (messages->pdata[i]) <= up_to_time)
      seq = MAX (seq, tim_message_get_server_seq (messages->pdata[i]));
  _tim_client_apply_read_up_to (self, conversation_id, seq);
}

/* This user read the conversation on another device (or here): everything up to now is read. */
void
_tim_client_apply_read (TimClient *self, const char *conversation_id)
{
  _tim_client_apply_read_up_to (self, conversation_id, G_MAXINT64);
}

/* An @ tip (Event 12): an unread message of the group mentions the user or everyone. One the
 * user has read meanwhile (here or elsewhere) is old news. */
static void
take_at_tip (TimClient *self, JsonObject *item)
{
  const char *group = tim_json_get_string (item, "GroupId");
  g_autofree char *conversation_id =
      group != NULL ? tim_conv_make_id (TIM_CONV_GROUP, group) : NULL;
  TimConversation *conversation =
      conversation_id != NULL ? tim_conversation_list_lookup (self->conversations, conversation_id)
                              : NULL;
  TimGroupAtType type = tim_group_at_type_from_flag_list (tim_json_get_array (item, "AtFlagList"));

  if (conversation == NULL || type == TIM_GROUP_AT_NONE ||
      g_strcmp0 (tim_json_get_string (item, "From_Account"), self->user) == 0 ||
      tim_conversation_get_unread_count (conversation) == 0 ||
      (tim_conversation_get_group_at_type (conversation) & type) == type)
    return;
  _tim_conversation_set_group_at_type (conversation,
                                       tim_conversation_get_group_at_type (conversation) | type);
  _tim_client_save_conversation (self, conversation);
}

/* Event 4 (tip), 5 (notice / recall / read) and 12 (@ tip) items of GroupTips. */
static void
take_group_tip (TimClient *self, int event, JsonObject *item, GPtrArray *announce,
                GPtrArray *revoked)
{
  JsonObject *body = tim_json_get_object (item, "MsgBody");
  JsonArray *withdrawn = tim_json_get_array (body, "GroupWithdrawInfoArray");
  JsonArray *read = tim_json_get_array (body, "GroupReadInfoArray");
  JsonObject *info;

  if (withdrawn != NULL)
    {
      for (guint i = 0; (info = tim_json_array_next_object (withdrawn, &i)) != NULL;)
        {
          const char *group = tim_json_get_string (info, "GroupId");
          g_autofree char *conversation_id =
              group != NULL ? tim_conv_make_id (TIM_CONV_GROUP, group) : NULL;
          JsonObject *revoker = tim_json_get_object (info, "RevokerInfo");

          if (conversation_id != NULL)
            apply_recall (self, conversation_id, tim_json_get_int_or (info, "MsgSeq", 0),
                          tim_json_get_int_or (info, "MsgRand", 0),
                          revoker != NULL ? tim_json_get_string (revoker, "Revoker") : NULL,
                          revoked);
        }
      return;
    }
  if (read != NULL)
    {
      for (guint i = 0; (info = tim_json_array_next_object (read, &i)) != NULL;)
        {
          const char *group = tim_json_get_string (info, "GroupId");
          g_autofree char *conversation_id =
              group != NULL ? tim_conv_make_id (TIM_CONV_GROUP, group) : NULL;

          /* Without a sequence, everything (as before the server said it). */
          if (conversation_id != NULL)
            _tim_client_apply_read_up_to (self, conversation_id,
                                          tim_json_get_int_or (info, "LastReadMsgSeq", G_MAXINT64));
        }
      return;
    }
  if (event == 12)
    take_at_tip (self, item);
  else if (event == 4)
    _tim_client_take_incoming (self, _tim_message_new_group_tip (item, self->user), announce);
  else if (event == 5)
    _tim_client_take_incoming (self, _tim_message_new_system_notice (item, self->user), announce);
}

static void
take_c2c_notice (TimClient *self, JsonObject *item, GPtrArray *revoked, GPtrArray *read_by_peer)
{
  JsonObject *withdraw = tim_json_get_object (item, "WithdrawC2cMsgNotify");
  JsonObject *receipt = tim_json_get_object (item, "C2cReadedReceipt");
  JsonObject *read = tim_json_get_object (item, "ReadC2cMsgNotify");
  JsonObject *muted = tim_json_get_object (item, "MuteNotificationsSync");
  JsonObject *deleted = tim_json_get_object (item, "TimchatMsgDeleteNotify");
  JsonObject *cleared = tim_json_get_object (item, "TimchatHistoryClearNotify");
  JsonArray *infos = tim_json_get_array (withdraw, "C2cWithdrawInfoArray");
  JsonObject *info;

  for (guint i = 0; (info = tim_json_array_next_object (infos, &i)) != NULL;)
    {
      const char *from = tim_json_get_string (info, "From_Account");
      const char *to = tim_json_get_string (info, "To_Account");
      const char *peer = g_strcmp0 (from, self->user) == 0 ? to : from;
      g_autofree char *conversation_id =
          peer != NULL ? tim_conv_make_id (TIM_CONV_C2C, peer) : NULL;
      JsonObject *revoker = tim_json_get_object (info, "RevokerInfo");

      if (conversation_id != NULL)
        apply_recall (self, conversation_id, tim_json_get_int_or (info, "MsgSeq", 0),
                      tim_json_get_int_or (info, "MsgRandom", 0),
                      revoker != NULL ? tim_json_get_string (revoker, "Revoker") : from, revoked);
    }
  if (deleted != NULL)
    _tim_client_take_delete_notice (self, deleted);
  if (cleared != NULL)
    _tim_client_take_clear_notice (self, cleared);
  if (muted != NULL)
    _tim_client_take_mute_sync (self, tim_json_get_string (muted, "To_Account"),
                                tim_json_get_int_or (muted, "MuteFlag", 0));
  if (receipt != NULL)
    {
      const char *reader = tim_json_get_string (receipt, "To_Account");
      JsonObject *pair =
          tim_json_array_get_object (tim_json_get_array (receipt, "UinPairReadArray"), 0);

      if (reader != NULL && pair != NULL)
        apply_peer_read (self, reader, tim_json_get_int_or (pair, "LastReadTime", 0), read_by_peer);
    }
  if (read != NULL)
    {
      JsonArray *pairs = tim_json_get_array (read, "UinPairReadArray");
      JsonObject *pair;

      for (guint i = 0; (pair = tim_json_array_next_object (pairs, &i)) != NULL;)
        {
          const char *peer = tim_json_get_string (pair, "From_Account");
          g_autofree char *conversation_id =
              peer != NULL ? tim_conv_make_id (TIM_CONV_C2C, peer) : NULL;

          /* Up to the time the other device read (a message that reached this device after it
           * stays unread, as the server keeps it); without a time, everything. */
          if (conversation_id != NULL)
            _tim_client_apply_c2c_read_up_to_time (
                self, conversation_id, tim_json_get_int_or (pair, "LastReadTime", G_MAXINT64));
        }
    }
}

/* One EventArray item, from a push or replayed by getmsg. */
void
_tim_client_take_event (TimClient *self, JsonObject *event, GPtrArray *announce, GPtrArray *revoked,
                        GPtrArray *read_by_peer, GPtrArray *modified)
{
  JsonArray *c2c_edits = tim_json_get_array (event, "C2cMsgModNotifys");
  JsonArray *group_edits = tim_json_get_array (event, "GroupMsgModNotifys");
  int number = (int) tim_json_get_int_or (event, "Event", 0);
  JsonArray *c2c = tim_json_get_array (event, "C2cMsgArray");
  JsonArray *group = tim_json_get_array (event, "GroupMsgArray");
  JsonArray *tips = tim_json_get_array (event, "GroupTips");
  JsonArray *notices = tim_json_get_array (event, "C2cNotifyMsgArray");
  JsonArray *list_changes = tim_json_get_array (event, "RecentContactMod");
  JsonArray *friend_changes = tim_json_get_array (event, "FriendListMod");
  JsonArray *profile_changes = tim_json_get_array (event, "ProfileDataMod");
  JsonArray *statuses = tim_json_get_array (event, "UserStatusList");
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (c2c, &i)) != NULL;)
    _tim_client_take_incoming (self, _tim_message_new_from_c2c_wire (item, self->user), announce);
  for (guint i = 0; (item = tim_json_array_next_object (group, &i)) != NULL;)
    _tim_client_take_incoming (self, _tim_message_new_from_group_wire (item, self->user), announce);
  for (guint i = 0; (item = tim_json_array_next_object (tips, &i)) != NULL;)
    take_group_tip (self, number, item, announce, revoked);
  for (guint i = 0; (item = tim_json_array_next_object (notices, &i)) != NULL;)
    take_c2c_notice (self, item, revoked, read_by_peer);
  for (guint i = 0; (item = tim_json_array_next_object (list_changes, &i)) != NULL;)
    _tim_client_take_list_change (self, item);
  for (guint i = 0; (item = tim_json_array_next_object (friend_changes, &i)) != NULL;)
    _tim_client_take_friend_list_change (self, item);
  for (guint i = 0; (item = tim_json_array_next_object (profile_changes, &i)) != NULL;)
    _tim_client_take_profile_change (self, item);
  _tim_client_take_user_statuses (self, statuses);
  for (guint i = 0; (item = tim_json_array_next_object (c2c_edits, &i)) != NULL;)
    _tim_client_take_edit_notice (self, item, FALSE, modified);
  for (guint i = 0; (item = tim_json_array_next_object (group_edits, &i)) != NULL;)
    _tim_client_take_edit_notice (self, item, TRUE, modified);
}

void
_tim_client_on_push (TimClient *self, const char *servcmd, JsonObject *body)
{
  g_autoptr (GPtrArray) announce = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) modified = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *events = tim_json_get_array (body, "EventArray");
  JsonObject *event;

  if (g_strcmp0 (servcmd, "im_open_push.msg_push") != 0 || self->store == NULL)
    return;
  for (guint i = 0; (event = tim_json_array_next_object (events, &i)) != NULL;)
    _tim_client_take_event (self, event, announce, revoked, read_by_peer, modified);
  /* Announced with the next flush: listeners see the lists already holding them, and a burst of
   * pushes is one items-changed and one message-received. */
  g_ptr_array_extend_and_steal (self->pending_received, g_steal_pointer (&announce));
  if (self->pending_received->len > 0)
    _tim_client_flush_appends_soon (self);
  _tim_client_emit_messages (self, "message-revoked", revoked);
  _tim_client_emit_messages (self, "message-read-by-peer", read_by_peer);
  _tim_client_emit_messages (self, "message-modified", modified);
}
