/* tim-client-sync.c: new messages from the server, pushed or synced after a (re)login alike, so a
 * message missed while offline is handled exactly like a pushed one: stored, put in its list (a
 * burst as one items-changed) and its conversation. What the server says of messages already here
 * (recalls, reads, tips) is tim-client-notices.c's. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-downloader.h"
#include "tim-error.h"
#include "tim-json.h"

/* Acknowledged messages sort by the server's order; pending ones after all of them. */
gint64
_tim_message_sort_key (TimMessage *message)
{
  gint64 seq = tim_message_get_server_seq (message);

  return seq > 0 ? seq : TIM_PENDING_SORT_BASE + tim_message_get_sequence (message);
}

gint64
_tim_client_newest_stored_seq (TimClient *self, const char *conversation_id)
{
  g_autoptr (GPtrArray) records = NULL;

  if (self->store == NULL)
    return 0;
  /* Below every message still being sent: the newest the server acknowledged. */
  records = tim_local_store_load_messages (self->store, conversation_id, TIM_PENDING_SORT_BASE, 1);
  return records->len > 0 ? tim_json_get_int_or (records->pdata[0], "serverSeq", 0) : 0;
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
  /* Not kept (a full disk), as a message accepted then: an open list holds it rather than read
   * it back from a store that does not have it (can_reload_message ()), which gave an empty item
   * in its place; and a replay does not bring it as new. */
  if (!tim_local_store_save_message (self->store, tim_message_get_conversation_id (message),
                                     tim_message_get_id (message), _tim_message_sort_key (message),
                                     record, NULL))
    g_hash_table_add (self->unsaved_messages, g_strdup (tim_message_get_id (message)));
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

/* Puts message in its conversation's last place if it is newer; TRUE if anything changed. Never
 * one its sender excluded (messageControlInfo), which leaves the last message and the
 * conversation's place as they were, as the Web SDK does. */
static gboolean
set_last_if_newer (TimClient *self, TimConversation *conversation, TimMessage *message)
{
  g_autofree char *for_show = NULL;

  if (tim_message_get_is_excluded_from_last_message (message) ||
      !is_newer_than_last (conversation, message))
    return FALSE;
  for_show = tim_message_dup_message_for_show (message);
  _tim_conversation_set_last_message (conversation, message, for_show);
  _tim_conversation_set_last_time (conversation, tim_message_get_time (message));
  _tim_conversation_list_upsert_arrived (self->conversations, conversation);
  return TRUE;
}

/* A one-to-one message the server refused because its peer has no account (90003), alone in its
 * conversation: the conversation was made by sending it, to nobody. */
static gboolean
is_refused_for_no_peer (TimClient *self, TimMessage *message)
{
  return tim_message_get_status (message) == TIM_MESSAGE_STATUS_FAIL &&
         tim_message_get_error_code (message) == TIM_ERROR_TO_ACCOUNT_INVALID &&
         tim_message_get_conversation_type (message) == TIM_CONV_C2C && self->store != NULL &&
         tim_local_store_count_messages (self->store, tim_message_get_conversation_id (message)) <=
             1;
}

void
_tim_client_update_conversation_last (TimClient *self, TimMessage *message)
{
  TimConversation *conversation;

  /* Such a conversation leaves the list (the message stays in the local store), rather than
   * stay listed with a failed message to no one; refused for any other reason, a message stays
   * the failed last one of its conversation. */
  if (is_refused_for_no_peer (self, message))
    {
      if (tim_conversation_list_lookup (self->conversations,
                                        tim_message_get_conversation_id (message)) != NULL)
        _tim_client_forget_conversation (self, tim_message_get_conversation_id (message));
      return;
    }
  conversation = _tim_client_ensure_conversation_for_message (self, message);
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
  _tim_client_flush_appends_soon (self);
}

void
_tim_client_flush_appends_soon (TimClient *self)
{
  if (self->pending_source == 0)
    self->pending_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_idle, self, NULL);
}

void
_tim_client_flush_appends (TimClient *self)
{
  g_autoptr (GHashTable) flushing = NULL;
  GHashTableIter iter;
  gpointer list, pending;

  /* Not from a handler of the items-changed a flush emits (a bot that answers at once): that
   * emission has not reached every handler yet, and one emitted now would reach the later ones
   * first, telling them of an item past their end. What is queued meanwhile goes in next, from
   * an idle. */
  if (self->flushing_appends)
    {
      _tim_client_flush_appends_soon (self);
      return;
    }
  g_clear_handle_id (&self->pending_source, g_source_remove);
  /* Taken out of the client first: what a handler queues goes into a new batch, not into the
   * one being taken in (or freed). */
  flushing = g_steal_pointer (&self->pending_appends);
  self->pending_appends =
      g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) g_ptr_array_unref);
  self->flushing_appends = TRUE;
  g_hash_table_iter_init (&iter, flushing);
  while (g_hash_table_iter_next (&iter, &list, &pending))
    _tim_message_list_append_many (list, pending);
  self->flushing_appends = FALSE;
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
/* The group has a new owner: this user, or (it owned the group) no longer this user. From the
 * tip, and on the device that handed it over from the answer first (tim-client-group-profile.c):
 * applied twice, it changes nothing the second time. */
void
_tim_client_apply_new_owner (TimClient *self, TimConversation *conversation, const char *owner)
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
  JsonObject *member;

  for (guint i = 0; (member = tim_json_array_next_object (members, &i)) != NULL;)
    {
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
      _tim_client_apply_new_owner (self, conversation, tim_json_get_string (profile, "ownerID"));
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
  gboolean is_tip = tim_message_get_elem_type (message) == TIM_ELEM_GROUP_TIP;
  gint64 newest_held = 0;
  gboolean changed;

  /* Read before the tip itself is stored. */
  if (is_tip)
    newest_held = _tim_client_newest_stored_seq (self, tim_message_get_conversation_id (message));
  _tim_client_store_message (self, message);
  if (tim_message_get_conversation_type (message) == TIM_CONV_GROUP)
    _tim_conversation_note_seq (conversation, tim_message_get_server_seq (message));
  changed = set_last_if_newer (self, conversation, message);
  /* A group tip, the newest thing in the group: its profile or this user's role as it is now.
   * The newest this device holds counts too, though not the last: the group catch-up after a
   * sync brings what was missed oldest first, and by then the conversation's last message is the
   * server's list's stand-in for the newest (never stored), which no tip before it beat. The
   * role or profile a tip changed while this device was away stayed as it was before, in the
   * local store too, whenever anything came after the tip. A tip older than one taken meanwhile
   * (a push read during the catch-up) does not count, nor one older than the joined-group list
   * read at login (before the NextMsgSeq it gave): the list said how things were after it, and
   * the catch-up, which comes after the list, brings tips older than it too
   * (_tim_client_take_joined_group ()). */
  if (is_tip &&
      tim_message_get_server_seq (message) >= _tim_conversation_get_listed_seq (conversation) &&
      (changed || tim_message_get_server_seq (message) > newest_held))
    {
      apply_group_tip (self, conversation, message);
      changed = TRUE;
    }
  /* A message from the peer brings their name as it is now: a rename shows with it. */
  if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C &&
      g_str_equal (tim_message_get_flow (message), "in") &&
      tim_message_get_nick (message) != NULL &&
      _tim_conversation_set_profile (conversation, tim_message_get_nick (message),
                                     tim_message_get_avatar (message)))
    changed = TRUE;
  if (accept->count_unread && g_str_equal (tim_message_get_flow (message), "in") &&
      !tim_message_get_is_read (message) &&
      !tim_message_get_is_excluded_from_unread_count (message))
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
  TimMessageList *list;
  Accept accept = { self, message, count_unread };

  if (interned != message)
    return interned;
  /* Not kept (a full disk), it is shown and announced all the same: is_known () must still know
   * it when the next sync replays it from the stored Cookie, or it comes a second time. (Nested,
   * in a send's transaction, the send's own end says whether it was kept.) */
  if (self->store != NULL &&
      !tim_local_store_run_in_transaction (self->store, accept_in_transaction, &accept, NULL))
    g_hash_table_add (self->unsaved_messages, g_strdup (tim_message_get_id (message)));
  /* Looked up after: saving the conversation tells the list updated, and a handler that logs
   * out lets go of the open lists (one looked up before may be freed by then). */
  list = g_hash_table_lookup (self->message_lists, tim_message_get_conversation_id (message));
  if (list != NULL)
    queue_append (self, list, message);
  return message;
}

/* As the Web SDK does on these notices (tim-sdk-facts.md §1.6): removed from the group (4), the
 * group dismissed (5), or quit on another device (8): its conversation leaves the list. Not when
 * a sync replays one for a group that the server's conversation list, read just before, names:
 * the user is in it again (added back, or joined again on another device, while this device was
 * away; that list names only groups the user is in), and the notice is older than the list. A
 * removal after the list was read reached this session as a push, ahead of the replay, and took
 * the group then. Taken, the replayed notice took a group the user is in off the list, and its
 * missed messages with it, until the next sync. */
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
  if (self->sync_listed != NULL && g_hash_table_contains (self->sync_listed, conversation_id))
    return;
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

static gboolean
is_known (TimClient *self, TimMessage *message)
{
  g_autoptr (JsonObject) known = NULL;

  return _tim_client_lookup_message (self, tim_message_get_id (message)) != NULL ||
         g_hash_table_contains (self->unsaved_messages, tim_message_get_id (message)) ||
         (self->store != NULL && (known = tim_local_store_load_message (
                                      self->store, tim_message_get_id (message))) != NULL);
}

void
_tim_client_take_missed (TimClient *self, TimMessage *incoming, GPtrArray *announce)
{
  g_autoptr (TimMessage) message = incoming;
  TimMessage *accepted;

  if (message == NULL || is_known (self, message))
    return;
  accepted = _tim_client_accept_message (self, message, FALSE);
  /* Recalled while this client was away: kept and listed as the recall it is, not news. */
  if (!tim_message_get_is_revoked (accepted))
    g_ptr_array_add (announce, g_object_ref (accepted));
}

/* A message from the wire (transfer full): new (stored, listed, counted, announced) or a
 * duplicate (ignored). The lists and the announcement take their own references. */
void
_tim_client_take_incoming (TimClient *self, TimMessage *incoming, GPtrArray *announce)
{
  g_autoptr (TimMessage) message = incoming;

  if (message == NULL || take_remind_notice (self, message))
    return;
  if (tim_message_get_online_only (message) && _tim_client_take_typing (self, message))
    return;
  if (tim_message_get_online_only (message))
    {
      g_ptr_array_add (announce, g_object_ref (message));
      return;
    }
  if (is_known (self, message))
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
