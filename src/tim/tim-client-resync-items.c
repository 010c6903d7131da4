/* tim-client-resync-items.c: the items of the server's conversation list (recentcontact.page_get's
 * SessionItem), which the sync (tim-client-resync.c) reads after every login and reconnect: each
 * makes or updates its conversation here, its last message (a stand-in made from the item, or the
 * copy this device holds, which takes a recall or an edit made while it was away), its unread
 * count, profile, pin, marks and remind flag; a group's newest sequence notes the messages this
 * device missed (tim-client-resync-groups.c). Also the items of the joined-group list read at
 * every login: the group's profile and the user's role in it as the server has them now. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-json.h"

/* A wire message standing in for a conversation's last message, from a SessionItem. */
static TimMessage *
last_message_from_item (TimClient *self, JsonObject *item, gboolean group)
{
  JsonObject *last = tim_json_get_object (item, "LastMsg");
  g_autoptr (JsonObject) wire = NULL;
  const char *from;

  if (last == NULL)
    return NULL;
  wire = json_object_new ();
  from = tim_json_get_string (item, group ? "MsgGroupFromAccount" : "LastC2CMsgFromAccount");
  json_object_set_string_member (wire, "From_Account", from != NULL ? from : "");
  json_object_set_int_member (wire, "MsgSeq", tim_json_get_int_or (item, "MsgSeq", 0));
  json_object_set_int_member (wire, "MsgRandom", tim_json_get_int_or (item, "MsgRandom", 0));
  json_object_set_int_member (wire, "Random", tim_json_get_int_or (item, "MsgRandom", 0));
  json_object_set_int_member (wire, "MsgTimeStamp", tim_json_get_int_or (item, "MsgTime", 0));
  json_object_set_int_member (
      wire, "MsgClientTime",
      tim_json_get_int_or (item, "MsgClientTime", tim_json_get_int_or (item, "MsgTime", 0)));
  if (tim_json_get_string (item, "TinyId") != NULL)
    json_object_set_string_member (wire, "TinyId", tim_json_get_string (item, "TinyId"));
  if (!group)
    json_object_set_int_member (wire, "ServerSeq", tim_json_get_int_or (item, "ServerSeq", 0));
  json_object_set_member (wire, "MsgBody",
                          json_node_copy (json_object_get_member (last, "MsgBody")));
  /* What it says now, edited or not: a copy held here of an older version takes it. */
  json_object_set_int_member (wire, "MsgVersion", tim_json_get_int_or (last, "MsgVersion", 0));
  if (tim_json_get_string (last, "CloudCustomData") != NULL)
    json_object_set_string_member (wire, "CloudCustomData",
                                   tim_json_get_string (last, "CloudCustomData"));
  /* Recalled: by whom (a recall made while this device was away is heard of here first). */
  if (tim_json_get_string (last, "Revoker") != NULL)
    json_object_set_string_member (wire, "Revoker", tim_json_get_string (last, "Revoker"));
  if (group)
    {
      JsonObject *info = json_object_new ();
      JsonObject *sender = json_object_new ();
      const char *nick = tim_json_get_string (item, "MsgGroupFromNickName");
      const char *name_card = tim_json_get_string (item, "MsgGroupFromCardName");

      json_object_set_string_member (info, "GroupId", tim_json_get_string (item, "ToAccount"));
      /* The sender as the group names them, so that the list says who wrote it. */
      json_object_set_string_member (sender, "Nick", nick != NULL ? nick : "");
      json_object_set_string_member (sender, "NameCard", name_card != NULL ? name_card : "");
      json_object_set_object_member (info, "MsgFrom_AccountExtraInfo", sender);
      json_object_set_object_member (wire, "GroupInfo", info);
      json_object_set_string_member (wire, "ToGroupId", tim_json_get_string (item, "ToAccount"));
      json_object_set_int_member (wire, "IsPlaceMsg",
                                  tim_json_get_int_or (item, "LastMsgFlags", 0) == 2 ? 2 : 0);
      json_object_set_int_member (wire, "ServerSeq", tim_json_get_int_or (item, "MsgSeq", 0));
      return _tim_message_new_from_group_wire (wire, self->user);
    }
  json_object_set_string_member (
      wire, "To_Account",
      g_strcmp0 (from, self->user) == 0 ? tim_json_get_string (item, "To_Account") : self->user);
  json_object_set_int_member (wire, "MsgFlagBits", tim_json_get_int_or (item, "LastMsgFlags", 0));
  return _tim_message_new_from_c2c_wire (wire, self->user);
}

/* Whether the server's last message is newer than the one known here. A group's messages are in
 * its sequence's order, and several share a second: by time, a last message known here stayed
 * the last after newer ones of its second, and reading the group read only up to it. A message
 * still being sent (no sequence yet) is newer than anything of its second. */
static gboolean
item_is_newer (gboolean group, TimMessage *server_last, TimMessage *known_last)
{
  if (group && tim_message_get_server_seq (known_last) > 0)
    return tim_message_get_server_seq (server_last) > tim_message_get_server_seq (known_last);
  return tim_message_get_time (server_last) > tim_message_get_time (known_last);
}

/* Whether the server's last message is the one known here, recalled or edited since this device
 * had it. */
static gboolean
item_changed_it (TimMessage *server_last, TimMessage *known_last)
{
  return g_strcmp0 (tim_message_get_id (server_last), tim_message_get_id (known_last)) == 0 &&
         ((tim_message_get_is_revoked (server_last) && !tim_message_get_is_revoked (known_last)) ||
          tim_message_get_version (server_last) > tim_message_get_version (known_last));
}

/* The message this device holds with the ID of the server's last message of a group: the live
 * instance, else the one its store keeps. (transfer full) (nullable) */
static TimMessage *
held_group_message (TimClient *self, TimMessage *server_last)
{
  TimMessage *live = _tim_client_lookup_message (self, tim_message_get_id (server_last));
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (TimMessage) loaded = NULL;

  if (live != NULL)
    return g_object_ref (live);
  if (self->store == NULL ||
      (record = tim_local_store_load_message (self->store, tim_message_get_id (server_last))) ==
          NULL ||
      (loaded = _tim_message_new_from_record (record)) == NULL)
    return NULL;
  return g_object_ref (_tim_client_intern_message (self, loaded));
}

void
_tim_client_take_session_item (TimClient *self, JsonObject *item, GHashTable *listed,
                               GPtrArray *gaps)
{
  gboolean group = tim_json_get_int_or (item, "Type", 0) == 2;
  const char *peer = tim_json_get_string (item, group ? "ToAccount" : "To_Account");
  g_autofree char *conversation_id = NULL;
  g_autoptr (TimMessage) last = NULL;
  TimConversation *conversation;
  TimMessage *known_last;
  gint64 known_seq;

  if (peer == NULL)
    return;
  conversation_id = tim_conv_make_id (group ? TIM_CONV_GROUP : TIM_CONV_C2C, peer);
  g_hash_table_add (listed, g_strdup (conversation_id));
  conversation = _tim_client_ensure_conversation (self, conversation_id);
  known_seq = _tim_conversation_get_newest_seq (conversation);
  last = last_message_from_item (self, item, group);
  if (last != NULL && group)
    {
      /* A group's recall and edits are pushed only to the members online (a C2C one is replayed
       * by getmsg, below): one made while this device was away shows here first, in the list's
       * last message, which the copy held here takes, in memory and in the store. Left as it was,
       * the list showed a recalled message's text, or an edited one's old text, until the
       * group's history was opened. */
      g_autoptr (TimMessage) held = held_group_message (self, last);

      if (held != NULL)
        {
          _tim_client_take_server_copy (self, held, last);
          g_set_object (&last, held);
        }
    }
  else if (last != NULL)
    {
      /* Now that the server gives the real ID, a message we hold stays the one shown. The stand-in
       * itself is not interned: the real message, when it comes, must not look like a duplicate. */
      TimMessage *known = _tim_client_lookup_message (self, tim_message_get_id (last));

      if (known != NULL)
        g_set_object (&last, known);
    }
  /* Read now: taking the server's copy may have made the held message the last. */
  known_last = tim_conversation_get_last_message (conversation);
  /* Keep our own copy of the last message when it is the same one (it has the real ID), unless
   * it was recalled or edited since (a copy kept with the conversation's record, say). */
  if (last != NULL && (known_last == NULL || item_is_newer (group, last, known_last) ||
                       item_changed_it (last, known_last)))
    {
      g_autofree char *for_show = tim_message_dup_message_for_show (last);

      _tim_conversation_set_last_message (conversation, last, for_show);
      _tim_conversation_set_last_time (conversation, tim_message_get_time (last));
    }
  if (group)
    {
      /* Its MsgSeq is noted as heard of by _tim_client_note_group_gap () below. */
      /* A count below zero (a misbehaving server) is nothing unread, not 4294967295 when cast;
       * one beyond a guint stays the most it holds, not what wraps around. */
      _tim_conversation_set_unread_count (
          conversation,
          (guint) CLAMP (tim_json_get_int_or (item, "UnreadMsgCount", 0), 0, G_MAXUINT));
      _tim_conversation_set_profile (conversation, tim_json_get_string (item, "GroupNick"),
                                     tim_json_get_string (item, "GroupImage"));
      _tim_conversation_set_group_type (conversation, tim_json_get_string (item, "GroupType"));
    }
  else
    {
      _tim_conversation_set_peer_read_time (conversation,
                                            tim_json_get_int_or (item, "C2cPeerReadTime", 0));
      /* The peer's profile with the list (the SDK's peerNick/peerAvatar), so that names show at
       * once; a server without it leaves them to the profile request after the sync. */
      if (json_object_has_member (item, "C2cNick"))
        _tim_conversation_set_profile (conversation, tim_json_get_string (item, "C2cNick"),
                                       tim_json_get_string (item, "C2cImage"));
    }
  _tim_conversation_set_is_pinned (conversation, tim_json_get_int_or (item, "TopFlags", 0) == 1);
  _tim_conversation_set_marks (
      conversation, tim_conv_marks_from_wire (tim_json_get_string (item, "StandardMark")));
  _tim_conversation_set_custom_data (conversation, tim_json_get_string (item, "CustomMark"));
  _tim_conversation_set_message_remind_type (conversation, tim_json_get_string (item, "MsgFlag"));
  _tim_conversation_list_upsert (self->conversations, conversation);
  _tim_client_save_conversation (self, conversation);
  if (group)
    _tim_client_note_group_gap (self, gaps, conversation, known_seq,
                                tim_json_get_int_or (item, "MsgSeq", 0));
}

/* The group as the joined-group list says it is now. A role or a profile changed while this
 * device was away reaches it otherwise only as a tip, which the group catch-up after the sync
 * does not bring when more came after it than it fetches, nor when the local store holds nothing
 * of the group (tim-client-resync-groups.c): the role stayed as before, here and in the local
 * store, and a UI offered what the user may no longer do, or hid what they may. The list comes
 * before the conversation list and the catch-up (replies are taken in wire order), so a tip that
 * catch-up brings may be older than the list's word, which it must not undo (a role given while
 * away, then lost with the membership, and the user added back): the group's NextMsgSeq in the
 * list tells which tips are (accept_in_transaction ()). A group not listed here yet (a new device:
 * the conversation list, answered after it, makes its conversation) has its item kept for the
 * conversation when it is made (_tim_client_take_kept_joined_group ()): dropped, a new device
 * knew neither the user's role nor the group's mute-all until the group's profile was fetched,
 * and a UI offered a plain member of a muted group the composer. */
void
_tim_client_take_joined_group (TimClient *self, JsonObject *group)
{
  const char *group_id = tim_json_get_string (group, "GroupId");
  g_autofree char *conversation_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *avatar = NULL;
  g_autofree char *role = NULL;
  g_autofree char *introduction = NULL;
  g_autofree char *notification = NULL;
  TimConversation *conversation;
  gboolean was_mute_all;
  gint64 mute_until;

  if (group_id == NULL)
    return;
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
  if (conversation == NULL)
    {
      g_hash_table_replace (self->unlisted_groups, g_steal_pointer (&conversation_id),
                            json_object_ref (group));
      return;
    }
  name = g_strdup (tim_conversation_get_name (conversation));
  avatar = g_strdup (tim_conversation_get_avatar (conversation));
  role = g_strdup (tim_conversation_get_group_self_role (conversation));
  introduction = g_strdup (tim_conversation_get_group_introduction (conversation));
  notification = g_strdup (tim_conversation_get_group_notification (conversation));
  was_mute_all = tim_conversation_get_group_mute_all (conversation);
  mute_until = tim_conversation_get_group_self_mute_until (conversation);
  _tim_conversation_note_listed_seq (conversation, tim_json_get_int_or (group, "NextMsgSeq", 0));
  _tim_client_take_group_info (conversation, group);
  if (g_strcmp0 (name, tim_conversation_get_name (conversation)) != 0 ||
      g_strcmp0 (avatar, tim_conversation_get_avatar (conversation)) != 0 ||
      g_strcmp0 (role, tim_conversation_get_group_self_role (conversation)) != 0 ||
      g_strcmp0 (introduction, tim_conversation_get_group_introduction (conversation)) != 0 ||
      g_strcmp0 (notification, tim_conversation_get_group_notification (conversation)) != 0 ||
      was_mute_all != tim_conversation_get_group_mute_all (conversation) ||
      mute_until != tim_conversation_get_group_self_mute_until (conversation))
    _tim_client_save_conversation (self, conversation);
}

void
_tim_client_take_kept_joined_group (TimClient *self, TimConversation *created)
{
  g_autofree char *key = NULL;
  g_autoptr (JsonObject) group = NULL;

  if (!g_hash_table_steal_extended (self->unlisted_groups, tim_conversation_get_id (created),
                                    (gpointer *) &key, (gpointer *) &group))
    return;
  _tim_conversation_note_listed_seq (created, tim_json_get_int_or (group, "NextMsgSeq", 0));
  _tim_client_take_group_info (created, group);
}
