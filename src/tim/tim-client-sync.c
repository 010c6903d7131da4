/* tim-client-sync.c: what arrives from the server: pushes, and the sync after every (re)login
 * (conversation list pages, then openim.getmsg from the stored Cookie). Both go through the same
 * functions, so a message missed while offline is handled exactly like a pushed one. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-downloader.h"
#include "tim-error.h"
#include "tim-json.h"

#define PENDING_SORT_BASE (G_GINT64_CONSTANT (1) << 50)

/* Acknowledged messages sort by the server's order; pending ones after all of them. */
gint64
_tim_message_sort_key (TimMessage *message)
{
  gint64 seq = tim_message_get_server_seq (message);

  return seq > 0 ? seq : PENDING_SORT_BASE + tim_message_get_sequence (message);
}

void
_tim_client_store_message (TimClient *self, TimMessage *message)
{
  g_autoptr (JsonObject) record = NULL;

  /* What a chat history carries lives in its message's payload, not in a conversation. */
  if (self->store == NULL || tim_message_get_online_only (message) ||
      _tim_message_is_merged_entry (message))
    return;
  record = _tim_message_to_record (message);
  tim_local_store_save_message (self->store, tim_message_get_conversation_id (message),
                                tim_message_get_id (message), _tim_message_sort_key (message),
                                record, NULL);
}

/* Every recall (mine, a notice, the server's history) ends here: the message forgets what it
 * said, the local store keeps only the placeholder, and the cached downloads of its media go,
 * as the vendor clears a recalled message from both sides' local caches. */
void
_tim_client_mark_recalled (TimClient *self, TimMessage *message, const char *revoker)
{
  g_auto (GStrv) urls = _tim_message_dup_media_urls (message);

  _tim_message_set_revoked (message, revoker);
  for (guint i = 0; urls[i] != NULL; i++)
    tim_downloader_forget (tim_downloader_get_default (), urls[i]);
  _tim_client_store_message (self, message);
  _tim_client_queue_scrub (self);
}

/* Nothing of what a recalled message said stays on disk, not even in the WAL's older frames.
 * Deferred to an idle, so that a batch of recalls (and the conversation's last message, which
 * the caller saves next) costs one checkpoint. */
static gboolean
scrub_store (gpointer user_data)
{
  TimClient *self = user_data;
  g_autoptr (GError) error = NULL;

  self->scrub_idle = 0;
  if (self->store != NULL && !tim_local_store_scrub (self->store, &error))
    g_warning ("Cannot scrub the local store after a recall: %s", error->message);
  return G_SOURCE_REMOVE;
}

void
_tim_client_queue_scrub (TimClient *self)
{
  if (self->scrub_idle == 0)
    self->scrub_idle = g_idle_add (scrub_store, self);
}

void
_tim_client_flush_scrub (TimClient *self)
{
  if (self->scrub_idle != 0)
    {
      g_source_remove (self->scrub_idle);
      scrub_store (self);
    }
}

static gboolean
is_newer_than_last (TimConversation *conversation, TimMessage *message)
{
  TimMessage *last = tim_conversation_get_last_message (conversation);

  if (last == NULL || last == message)
    return TRUE;
  if (tim_message_get_server_seq (message) > 0 && tim_message_get_server_seq (last) > 0 &&
      g_str_equal (tim_message_get_conversation_id (last),
                   tim_message_get_conversation_id (message)))
    return tim_message_get_server_seq (message) >= tim_message_get_server_seq (last);
  return tim_message_get_time (message) >= tim_message_get_time (last);
}

/* Puts message in its conversation's last place if it is newer; TRUE if anything changed. */
static gboolean
set_last_if_newer (TimClient *self, TimConversation *conversation, TimMessage *message)
{
  g_autofree char *for_show = NULL;

  if (!is_newer_than_last (conversation, message))
    return FALSE;
  for_show = tim_message_dup_message_for_show (message);
  _tim_conversation_set_last_message (conversation, message, for_show);
  _tim_conversation_set_last_time (conversation, tim_message_get_time (message));
  _tim_conversation_list_upsert_arrived (self->conversations, conversation);
  return TRUE;
}

void
_tim_client_update_conversation_last (TimClient *self, TimMessage *message)
{
  TimConversation *conversation = _tim_client_ensure_conversation_for_message (self, message);

  if (set_last_if_newer (self, conversation, message))
    _tim_client_save_conversation (self, conversation);
}

static gboolean
flush_idle (gpointer user_data)
{
  TimClient *self = user_data;

  self->pending_source = 0;
  _tim_client_flush_appends (self);
  return G_SOURCE_REMOVE;
}

/* A burst of pushes reaches a list as one items-changed, not one per message. */
static void
queue_append (TimClient *self, TimMessageList *list, TimMessage *message)
{
  GPtrArray *pending = g_hash_table_lookup (self->pending_appends, list);

  if (pending == NULL)
    {
      pending = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->pending_appends, g_object_ref (list), pending);
    }
  g_ptr_array_add (pending, g_object_ref (message));
  if (self->pending_source == 0)
    self->pending_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_idle, self, NULL);
}

void
_tim_client_flush_appends (TimClient *self)
{
  GHashTableIter iter;
  gpointer list, pending;

  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_hash_table_iter_init (&iter, self->pending_appends);
  while (g_hash_table_iter_next (&iter, &list, &pending))
    {
      _tim_message_list_append_many (list, pending);
      g_hash_table_iter_remove (&iter);
    }
  if (self->pending_received->len > 0)
    {
      g_autoptr (GPtrArray) received = g_steal_pointer (&self->pending_received);

      self->pending_received = g_ptr_array_new_with_free_func (g_object_unref);
      _tim_client_emit_messages (self, "message-received", received);
    }
}

typedef struct
{
  TimClient *client;
  TimMessage *message;
  gboolean count_unread;
} Accept;

/* What a group tip changes in the group's conversation (which the caller then saves): its
 * profile (6: name, picture, introduction, notification, mute-all), this user's role (4 and 5:
 * made an admin, no longer one; 6 with a new owner: the owner, or no longer), or whether this
 * user is muted (7). */
/* The group has a new owner: this user, or (it owned the group) no longer this user. */
static void
apply_new_owner (TimClient *self, TimConversation *conversation, const char *owner)
{
  if (owner == NULL)
    return;
  if (g_strcmp0 (owner, self->user) == 0)
    _tim_conversation_set_group_self_role (conversation, "Owner");
  else if (g_strcmp0 (tim_conversation_get_group_self_role (conversation), "Owner") == 0)
    _tim_conversation_set_group_self_role (conversation, "Member");
}

static void
apply_mute (TimClient *self, TimConversation *conversation, TimMessage *message)
{
  JsonArray *members = tim_json_get_array (tim_message_get_payload (message), "memberList");

  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonObject *member = tim_json_array_get_object (members, i);
      gint64 seconds = tim_json_get_int_or (member, "muteTime", -1);

      if (seconds < 0 || g_strcmp0 (tim_json_get_string (member, "userID"), self->user) != 0)
        continue;
      _tim_conversation_set_group_self_mute_until (
          conversation, seconds > 0 ? tim_message_get_time (message) + seconds : 0);
    }
}

static void
apply_group_tip (TimClient *self, TimConversation *conversation, TimMessage *message)
{
  JsonObject *payload = tim_message_get_payload (message);
  JsonObject *profile = tim_json_get_object (payload, "newGroupProfile");
  JsonArray *users = tim_json_get_array (payload, "userIDList");
  gint64 operation = tim_json_get_int_or (payload, "operationType", 0);

  if (operation == 6 && profile != NULL)
    {
      JsonNode *mute = json_object_get_member (profile, "muteAllMembers");

      _tim_conversation_set_group_info (
          conversation, tim_json_get_string (profile, "introduction"),
          tim_json_get_string (profile, "notification"),
          mute != NULL && JSON_NODE_HOLDS_VALUE (mute) ? json_node_get_boolean (mute) : -1);
      _tim_conversation_update_profile (conversation, tim_json_get_string (profile, "groupName"),
                                        tim_json_get_string (profile, "avatar"));
      apply_new_owner (self, conversation, tim_json_get_string (profile, "ownerID"));
    }
  /* 7: a member muted for muteTime seconds from the tip's time (0: unmuted). */
  if (operation == 7)
    apply_mute (self, conversation, message);
  if (operation != 4 && operation != 5)
    return;
  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    if (g_strcmp0 (tim_json_array_get_string (users, i), self->user) == 0)
      _tim_conversation_set_group_self_role (conversation, operation == 4 ? "Admin" : "Member");
}

/* The message and its conversation in one transaction: one disk flush per message. */
static gboolean
accept_in_transaction (TimLocalStore *store, gpointer user_data, GError **error)
{
  Accept *accept = user_data;
  TimClient *self = accept->client;
  TimMessage *message = accept->message;
  TimConversation *conversation = _tim_client_ensure_conversation_for_message (self, message);
  gboolean changed;

  _tim_client_store_message (self, message);
  changed = set_last_if_newer (self, conversation, message);
  /* A group tip, the newest thing in the group: its profile or this user's role as it is now. */
  if (changed && tim_message_get_elem_type (message) == TIM_ELEM_GROUP_TIP)
    apply_group_tip (self, conversation, message);
  /* A message from the peer brings their name as it is now: a rename shows with it. */
  if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C &&
      g_str_equal (tim_message_get_flow (message), "in") &&
      tim_message_get_nick (message) != NULL &&
      _tim_conversation_set_profile (conversation, tim_message_get_nick (message),
                                     tim_message_get_avatar (message)))
    changed = TRUE;
  if (accept->count_unread && g_str_equal (tim_message_get_flow (message), "in") &&
      !tim_message_get_is_read (message))
    {
      _tim_conversation_set_unread_count (conversation,
                                          tim_conversation_get_unread_count (conversation) + 1);
      changed = TRUE;
    }
  if (changed)
    _tim_client_save_conversation (self, conversation);
  return TRUE;
}

TimMessage *
_tim_client_accept_message (TimClient *self, TimMessage *message, gboolean count_unread)
{
  TimMessage *interned = _tim_client_intern_message (self, message);
  TimMessageList *list =
      g_hash_table_lookup (self->message_lists, tim_message_get_conversation_id (message));
  Accept accept = { self, message, count_unread };

  if (interned != message)
    return interned;
  if (self->store != NULL)
    tim_local_store_run_in_transaction (self->store, accept_in_transaction, &accept, NULL);
  if (list != NULL)
    queue_append (self, list, message);
  return message;
}

/* As the Web SDK does on these notices (tim-sdk-facts.md §1.6): removed from the group (4), the
 * group dismissed (5), or quit on another device (8): its conversation leaves the list. */
static void
forget_group_if_left (TimClient *self, TimMessage *message)
{
  JsonObject *payload = tim_message_get_payload (message);
  gint64 operation = payload != NULL ? tim_json_get_int_or (payload, "operationType", 0) : 0;
  const char *group_id = NULL;
  g_autofree char *conversation_id = NULL;

  if (tim_message_get_elem_type (message) != TIM_ELEM_GROUP_SYSTEM_NOTICE ||
      (operation != 4 && operation != 5 && operation != 8))
    return;
  group_id = tim_json_get_string (tim_json_get_object (payload, "groupProfile"), "groupID");
  if (group_id == NULL)
    return;
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  _tim_client_forget_conversation (self, conversation_id);
}

/* The notice that the user set how they hear of a group on another device (ReportType 20, the
 * SDK's MessageRemindTypeSynced): applied to the group's conversation, and not a message to
 * list. */
static gboolean
take_remind_notice (TimClient *self, TimMessage *message)
{
  JsonObject *payload = tim_message_get_payload (message);
  const char *group_id, *remind_type;
  g_autofree char *conversation_id = NULL;

  if (tim_message_get_elem_type (message) != TIM_ELEM_GROUP_SYSTEM_NOTICE ||
      tim_json_get_int_or (payload, "operationType", 0) != 20)
    return FALSE;
  group_id = tim_json_get_string (tim_json_get_object (payload, "groupProfile"), "groupID");
  remind_type = tim_json_get_string (payload, "messageRemindType");
  if (group_id != NULL && remind_type != NULL)
    {
      conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
      _tim_client_take_remind (self, conversation_id, remind_type);
    }
  return TRUE;
}

/* A message from the wire (transfer full): new (stored, listed, counted, announced) or a
 * duplicate (ignored). The lists and the announcement take their own references. */
static void
take_incoming (TimClient *self, TimMessage *incoming, GPtrArray *announce)
{
  g_autoptr (TimMessage) message = incoming;
  g_autoptr (JsonObject) known = NULL;

  if (message == NULL || take_remind_notice (self, message))
    return;
  if (tim_message_get_online_only (message) && _tim_client_take_typing (self, message))
    return;
  if (tim_message_get_online_only (message))
    {
      g_ptr_array_add (announce, g_object_ref (message));
      return;
    }
  if (_tim_client_lookup_message (self, tim_message_get_id (message)) != NULL ||
      (self->store != NULL &&
       (known = tim_local_store_load_message (self->store, tim_message_get_id (message))) != NULL))
    return;
  g_ptr_array_add (announce, g_object_ref (_tim_client_accept_message (self, message, TRUE)));
  forget_group_if_left (self, message);
  /* What they were typing has come: no longer typing. */
  if (tim_message_get_conversation_type (message) == TIM_CONV_C2C &&
      g_str_equal (tim_message_get_flow (message), "in"))
    {
      TimConversation *conversation = tim_conversation_list_lookup (
          self->conversations, tim_message_get_conversation_id (message));

      if (conversation != NULL)
        _tim_conversation_set_peer_typing (conversation, FALSE, 0);
    }
}

/* ---------------------------------------------------------------- notices */

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

TimMessage *
_tim_client_find_recent_message (TimClient *self, const char *conversation_id, gint64 sequence,
                                 gint64 random)
{
  g_autoptr (GPtrArray) messages = _tim_client_recent_messages (self, conversation_id);

  for (guint i = 0; i < messages->len; i++)
    {
      TimMessage *message = messages->pdata[i];

      if (tim_message_get_sequence (message) == sequence &&
          (random == 0 || tim_message_get_random (message) == random))
        return g_object_ref (message);
    }
  return NULL;
}

static void
apply_recall (TimClient *self, const char *conversation_id, gint64 sequence, gint64 random,
              const char *revoker, GPtrArray *revoked)
{
  g_autoptr (TimMessage) message =
      _tim_client_find_recent_message (self, conversation_id, sequence, random);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);

  g_debug ("Recall in %s of sequence %" G_GINT64_FORMAT ": %s", conversation_id, sequence,
           message == NULL                        ? "not found"
           : tim_message_get_is_revoked (message) ? "already recalled"
                                                  : "found");
  if (message == NULL || tim_message_get_is_revoked (message))
    return;
  _tim_client_mark_recalled (self, message, revoker);
  g_ptr_array_add (revoked, g_object_ref (message));
  if (conversation != NULL)
    {
      guint unread = tim_conversation_get_unread_count (conversation);

      /* The seed takes one off the unread count per recall notice. */
      if (unread > 0 && g_str_equal (tim_message_get_flow (message), "in"))
        _tim_conversation_set_unread_count (conversation, unread - 1);
      _tim_client_save_conversation (self, conversation);
    }
  _tim_client_refresh_last_message (self, message);
}

/* Marks this user's messages up to `time` read by the peer. */
static void
apply_peer_read (TimClient *self, const char *peer, gint64 time, GPtrArray *read_by_peer)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_C2C, peer);
  TimConversation *conversation = _tim_client_ensure_conversation (self, conversation_id);
  g_autoptr (GPtrArray) messages = _tim_client_recent_messages (self, conversation_id);

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
  _tim_client_save_conversation (self, conversation);
}

/* This user read the conversation on another device (or here): everything up to now is read. */
void
_tim_client_apply_read (TimClient *self, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  g_autoptr (GPtrArray) messages = _tim_client_recent_messages (self, conversation_id);

  for (guint i = 0; i < messages->len; i++)
    {
      TimMessage *message = messages->pdata[i];

      if (tim_message_get_is_read (message))
        continue;
      _tim_message_set_is_read (message, TRUE);
      _tim_client_store_message (self, message);
    }
  /* Not the unread mark: the server takes it away and says so (a read notice replayed at a sync
   * may be older than the mark). */
  if (conversation != NULL && tim_conversation_get_unread_count (conversation) != 0)
    {
      _tim_conversation_set_unread_count (conversation, 0);
      _tim_client_save_conversation (self, conversation);
    }
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
  JsonArray *infos =
      withdraw != NULL ? tim_json_get_array (withdraw, "C2cWithdrawInfoArray") : NULL;

  for (guint i = 0; infos != NULL && i < json_array_get_length (infos); i++)
    {
      JsonObject *info = tim_json_array_get_object (infos, i);
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

      for (guint i = 0; pairs != NULL && i < json_array_get_length (pairs); i++)
        {
          const char *peer =
              tim_json_get_string (tim_json_array_get_object (pairs, i), "From_Account");
          g_autofree char *conversation_id =
              peer != NULL ? tim_conv_make_id (TIM_CONV_C2C, peer) : NULL;

          if (conversation_id != NULL)
            _tim_client_apply_read (self, conversation_id);
        }
    }
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

  if (withdrawn != NULL)
    {
      for (guint i = 0; i < json_array_get_length (withdrawn); i++)
        {
          JsonObject *info = tim_json_array_get_object (withdrawn, i);
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
      for (guint i = 0; i < json_array_get_length (read); i++)
        {
          const char *group = tim_json_get_string (tim_json_array_get_object (read, i), "GroupId");
          g_autofree char *conversation_id =
              group != NULL ? tim_conv_make_id (TIM_CONV_GROUP, group) : NULL;

          if (conversation_id != NULL)
            _tim_client_apply_read (self, conversation_id);
        }
      return;
    }
  if (event == 12)
    take_at_tip (self, item);
  else if (event == 4)
    take_incoming (self, _tim_message_new_group_tip (item, self->user), announce);
  else if (event == 5)
    take_incoming (self, _tim_message_new_system_notice (item, self->user), announce);
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
  JsonArray *statuses = tim_json_get_array (event, "UserStatusList");

  for (guint i = 0; c2c != NULL && i < json_array_get_length (c2c); i++)
    take_incoming (self,
                   _tim_message_new_from_c2c_wire (tim_json_array_get_object (c2c, i), self->user),
                   announce);
  for (guint i = 0; group != NULL && i < json_array_get_length (group); i++)
    take_incoming (
        self, _tim_message_new_from_group_wire (tim_json_array_get_object (group, i), self->user),
        announce);
  for (guint i = 0; tips != NULL && i < json_array_get_length (tips); i++)
    take_group_tip (self, number, tim_json_array_get_object (tips, i), announce, revoked);
  for (guint i = 0; notices != NULL && i < json_array_get_length (notices); i++)
    take_c2c_notice (self, tim_json_array_get_object (notices, i), revoked, read_by_peer);
  for (guint i = 0; list_changes != NULL && i < json_array_get_length (list_changes); i++)
    _tim_client_take_list_change (self, tim_json_array_get_object (list_changes, i));
  for (guint i = 0; friend_changes != NULL && i < json_array_get_length (friend_changes); i++)
    _tim_client_take_friend_list_change (self, tim_json_array_get_object (friend_changes, i));
  _tim_client_take_user_statuses (self, statuses);
  for (guint i = 0; c2c_edits != NULL && i < json_array_get_length (c2c_edits); i++)
    _tim_client_take_edit_notice (self, tim_json_array_get_object (c2c_edits, i), FALSE, modified);
  for (guint i = 0; group_edits != NULL && i < json_array_get_length (group_edits); i++)
    _tim_client_take_edit_notice (self, tim_json_array_get_object (group_edits, i), TRUE, modified);
}

void
_tim_client_on_push (TimClient *self, const char *servcmd, JsonObject *body)
{
  g_autoptr (GPtrArray) announce = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) modified = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *events = tim_json_get_array (body, "EventArray");

  if (g_strcmp0 (servcmd, "im_open_push.msg_push") != 0 || self->store == NULL)
    return;
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    _tim_client_take_event (self, tim_json_array_get_object (events, i), announce, revoked,
                            read_by_peer, modified);
  /* Announced with the next flush: listeners see the lists already holding them, and a burst of
   * pushes is one items-changed and one message-received. */
  g_ptr_array_extend_and_steal (self->pending_received, g_steal_pointer (&announce));
  if (self->pending_received->len > 0 && self->pending_source == 0)
    self->pending_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_idle, self, NULL);
  _tim_client_emit_messages (self, "message-revoked", revoked);
  _tim_client_emit_messages (self, "message-read-by-peer", read_by_peer);
  _tim_client_emit_messages (self, "message-modified", modified);
}
