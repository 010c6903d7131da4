/* tim-client-resync.c: after every login and relogin: the mute flags (C2C and the groups', as the
 * Web SDK asks at login), the conversation list (all pages of recentcontact.page_get, each item
 * taken by tim-client-resync-items.c), then openim.getmsg from the stored Cookie until SyncFlag 2,
 * then the group messages missed (tim-client-resync-groups.c), then the outbox. "ready" is
 * emitted once, after the first sync. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

typedef struct
{
  TimClient *client;
  /* The session's (the client's cancellable when the sync began): the logout and the dispose
   * cancel it, a handler of what the sync tells on its way included (session_ended ()). */
  GCancellable *session;
  gint64 start_index;
  gboolean first; /* the first sync of this login: messages are not announced */
  GPtrArray *announce;
  GPtrArray *revoked;
  GPtrArray *read_by_peer;
  GPtrArray *modified;
  GPtrArray *gaps; /* TimGroupGap: groups with messages the client missed */
  /* One-to-one and group conversations listed here when the sync began, that the server had
   * (their last message has its sequence): ID -> that last message's ID. */
  GHashTable *held;
  GHashTable *listed; /* the IDs the server's list names */
} Resync;

static void fetch_messages (Resync *job, const char *cookie);

static void
resync_free (Resync *job)
{
  g_clear_pointer (&job->held, g_hash_table_unref);
  g_clear_pointer (&job->listed, g_hash_table_unref);
  g_clear_object (&job->client);
  g_clear_object (&job->session);
  g_clear_pointer (&job->announce, g_ptr_array_unref);
  g_clear_pointer (&job->revoked, g_ptr_array_unref);
  g_clear_pointer (&job->read_by_peer, g_ptr_array_unref);
  g_clear_pointer (&job->modified, g_ptr_array_unref);
  g_clear_pointer (&job->gaps, g_ptr_array_unref);
  g_free (job);
}

gboolean
_tim_client_sync_cut_short (const GError *error)
{
  /* The UserSig running out is a kick too: the server refuses the ticket (70001), then the
   * relogin, and "kicked-out" says userSigExpired. Taken for a passing failure, the sync warned,
   * emitted "ready" and pumped the outbox into the dead ticket just before that kick. */
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN) ||
         g_error_matches (error, TIM_ERROR, TIM_ERROR_USERSIG_EXPIRED);
}

/* Whether the session the sync began in ended. Not only between replies: taking a reply tells
 * as it goes (each conversation saved announces the list updated, its properties notify), and a
 * handler may log out or dispose the client there. What came after ran on regardless: the rest
 * of the reply taken for no one (its conversations listed again on the logged-out client), the
 * Cookie written to a store that was gone (a critical), "ready" emitted and the outbox pumped.
 * The cancellable, not the store: a handler that logs in as someone else at once has a store
 * again, the next account's. */
static gboolean
session_ended (Resync *job)
{
  return g_cancellable_is_cancelled (job->session);
}

/* TRUE (and the job freed) if the session ended under the sync (_tim_client_sync_cut_short (),
 * or session_ended () whatever error is given, NULL included). Nothing of it is announced, and
 * the outbox is not pumped. */
static gboolean
abandon_if_ended (Resync *job, const GError *error)
{
  if (!_tim_client_sync_cut_short (error) && !session_ended (job))
    return FALSE;
  job->client->syncing = FALSE;
  /* The next login syncs anyway. */
  job->client->sync_due = FALSE;
  resync_free (job);
  return TRUE;
}

static void
finish (Resync *job)
{
  TimClient *self = job->client;
  const struct
  {
    const char *signal;
    GPtrArray *messages;
  } told[] = {
    { "message-received", job->first ? NULL : job->announce },
    { "message-revoked", job->revoked },
    { "message-read-by-peer", job->read_by_peer },
    { "message-modified", job->modified },
  };

  self->syncing = FALSE;
  _tim_client_flush_appends (self);
  /* A handler that ends the session (session_ended ()) ends the sync there: the rest is told to
   * no one, and a logged-out client is not made "ready". */
  for (guint i = 0; i <= G_N_ELEMENTS (told); i++)
    {
      if (abandon_if_ended (job, NULL))
        return;
      if (i < G_N_ELEMENTS (told) && told[i].messages != NULL)
        _tim_client_emit_messages (self, told[i].signal, told[i].messages);
    }
  _tim_client_outbox_pump (self);
  _tim_client_refresh_peer_profiles (self);
  _tim_client_set_ready (self, TRUE);
  _tim_client_follow_peers (self);
  _tim_client_fetch_folders (self);
  g_signal_emit_by_name (self, "conversation-list-updated");
  /* Asked for meanwhile (a reconnect while this one fetched, say): what came after its getmsg,
   * while the socket was down, was neither pushed nor synced yet. One a handler of the signals
   * above started does it as well. */
  if (self->sync_due)
    {
      self->sync_due = FALSE;
      if (!self->syncing)
        _tim_client_resync (self);
    }
  resync_free (job);
}

static void
on_groups_caught_up (const GError *error, gpointer user_data)
{
  Resync *job = user_data;

  if (!abandon_if_ended (job, error))
    finish (job);
}

/* The sync's last step: the group messages missed (tim-client-resync-groups.c), taken before the
 * announcement and before the outbox goes, as the C2C ones are. */
static void
catch_up_groups (Resync *job)
{
  GPtrArray *gaps = g_steal_pointer (&job->gaps);

  _tim_client_catch_up_groups (job->client, gaps, job->announce, on_groups_caught_up, job);
}

/* The server's count wins for C2C (the seed does the same): each conversation C2CPairUnreadCount
 * names takes its count, and one it leaves out has nothing unread. Only the named ones took it: a
 * conversation read on another device while this one was away longer than the server keeps its
 * sync events (retention_days), whose read no event replays, kept the count it had here. */
static void
take_c2c_unread (Resync *job, JsonArray *unread)
{
  TimClient *self = job->client;
  GListModel *list = G_LIST_MODEL (self->conversations);
  g_autoptr (GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) read = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *pair;

  /* Each save tells the list updated, whose handler may end the session (session_ended ()). */
  for (guint i = 0;
       !session_ended (job) && (pair = tim_json_array_next_object (unread, &i)) != NULL;)
    {
      const char *peer = tim_json_get_string (pair, "From_Account");
      g_autofree char *conversation_id =
          peer != NULL ? tim_conv_make_id (TIM_CONV_C2C, peer) : NULL;
      TimConversation *conversation;

      if (conversation_id == NULL)
        continue;
      conversation = _tim_client_ensure_conversation (self, conversation_id);
      /* Clamped, as the group's count in its list item: cast, a misbehaving server's -1 showed
       * as 4294967295 unread. */
      _tim_conversation_set_unread_count (
          conversation, (guint) CLAMP (tim_json_get_int_or (pair, "UnreadCount", 0), 0, G_MAXUINT));
      _tim_client_save_conversation (self, conversation);
      g_hash_table_add (named, g_steal_pointer (&conversation_id));
    }
  /* Gathered first: saving one announces the list updated, whose handlers may change it. */
  for (guint i = 0; !session_ended (job) && i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C &&
          tim_conversation_get_unread_count (conversation) > 0 &&
          !g_hash_table_contains (named, tim_conversation_get_id (conversation)))
        g_ptr_array_add (read, g_object_ref (conversation));
    }
  for (guint i = 0; !session_ended (job) && i < read->len; i++)
    {
      _tim_conversation_set_unread_count (read->pdata[i], 0);
      _tim_client_save_conversation (self, read->pdata[i]);
    }
}

static void
on_getmsg (JsonObject *reply, const GError *error, gpointer user_data)
{
  Resync *job = user_data;
  TimClient *self = job->client;
  JsonArray *messages, *events, *unread;
  JsonObject *item;
  const char *cookie;

  if (abandon_if_ended (job, error))
    return;
  if (reply == NULL || self->store == NULL)
    {
      if (reply == NULL)
        g_warning ("Message sync failed: %s", error->message);
      finish (job);
      return;
    }
  messages = tim_json_get_array (reply, "MsgList");
  events = tim_json_get_array (reply, "EventArray");
  unread = tim_json_get_array (reply, "C2CPairUnreadCount");
  /* What getmsg replays happened before the list was read (see forget_group_if_left ()). */
  self->sync_listed = job->listed;
  /* Taking one tells as it goes, and a handler may end the session (session_ended ()): the rest
   * is not taken for no one, nor for the account logged in next. */
  for (guint i = 0;
       !session_ended (job) && (item = tim_json_array_next_object (messages, &i)) != NULL;)
    {
      g_autoptr (JsonObject) event = json_object_new ();
      JsonArray *items = json_array_new ();

      json_array_add_object_element (items, json_object_ref (item));
      json_object_set_array_member (event, "C2cMsgArray", items);
      _tim_client_take_event (self, event, job->announce, job->revoked, job->read_by_peer,
                              job->modified);
    }
  for (guint i = 0;
       !session_ended (job) && (item = tim_json_array_next_object (events, &i)) != NULL;)
    _tim_client_take_event (self, item, job->announce, job->revoked, job->read_by_peer,
                            job->modified);
  self->sync_listed = NULL;
  if (unread != NULL)
    take_c2c_unread (job, unread);
  /* Not the Cookie either: the next login replays what this reply held (the messages taken
   * already are known by then, and not taken twice). */
  if (abandon_if_ended (job, NULL))
    return;
  cookie = tim_json_get_string (reply, "Cookie");
  if (cookie != NULL && *cookie != '\0')
    tim_local_store_set_value (self->store, "cookie", cookie, NULL);
  if (tim_json_get_int_or (reply, "SyncFlag", 2) != 2 && cookie != NULL)
    fetch_messages (job, cookie);
  else
    catch_up_groups (job);
}

static void
fetch_messages (Resync *job, const char *cookie)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "Cookie", cookie != NULL ? cookie : "");
  json_object_set_int_member (body, "SyncFlag", 0);
  json_object_set_int_member (body, "NeedAbstract", 1);
  tim_transport_request (job->client->transport, "openim.getmsg", body, 0, job->client->cancellable,
                         on_getmsg, job);
}

static void fetch_conversations (Resync *job);

/* The one-to-one and group conversations this device lists that the server had when the sync
 * began. */
static GHashTable *
held_conversations (TimClient *self)
{
  GListModel *list = G_LIST_MODEL (self->conversations);
  GHashTable *held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);
      TimMessage *last = tim_conversation_get_last_message (conversation);

      TimConvType type = tim_conversation_get_conversation_type (conversation);

      if ((type == TIM_CONV_C2C || type == TIM_CONV_GROUP) && last != NULL &&
          tim_message_get_server_seq (last) > 0)
        g_hash_table_insert (held, g_strdup (tim_conversation_get_id (conversation)),
                             g_strdup (tim_message_get_id (last)));
    }
  return held;
}

/* A conversation the whole list leaves out was deleted on another device while this one was away
 * (that device's push reached only those online): it goes here too. Not one whose last message
 * changed since the sync began (a message that came meanwhile brings a deleted conversation
 * back), nor one the server never had (only unsent messages). A group's too: the server lists
 * every group of the user's that was not deleted from the list since its last message, so one
 * left out was deleted, or the user is no longer in it (whose notice, replayed by getmsg, would
 * take it as well); left alone, a group deleted on another device stayed here for good. */
static void
forget_unlisted (Resync *job)
{
  GHashTableIter iter;
  gpointer id, last_id;

  g_hash_table_iter_init (&iter, job->held);
  while (g_hash_table_iter_next (&iter, &id, &last_id))
    {
      TimConversation *conversation = tim_conversation_list_lookup (job->client->conversations, id);
      TimMessage *last =
          conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

      if (last != NULL && !g_hash_table_contains (job->listed, id) &&
          g_strcmp0 (tim_message_get_id (last), last_id) == 0)
        _tim_client_forget_conversation (job->client, id);
    }
}

static void
on_page (JsonObject *reply, const GError *error, gpointer user_data)
{
  Resync *job = user_data;
  g_autofree char *cookie = NULL;
  JsonArray *items;
  JsonObject *item;

  if (abandon_if_ended (job, error))
    return;
  if (reply == NULL || job->client->store == NULL)
    {
      if (reply == NULL)
        g_warning ("Conversation sync failed: %s", error->message);
      finish (job);
      return;
    }
  items = tim_json_get_array (reply, "SessionItem");
  for (guint i = 0;
       !session_ended (job) && (item = tim_json_array_next_object (items, &i)) != NULL;)
    _tim_client_take_session_item (job->client, item, job->listed, job->gaps);
  if (abandon_if_ended (job, NULL))
    return;
  if (tim_json_get_int_or (reply, "CompleteFlag", 1) != 1 && items != NULL &&
      json_array_get_length (items) > 0)
    {
      job->start_index = tim_json_get_int_or (reply, "StartIndex",
                                              job->start_index + json_array_get_length (items));
      fetch_conversations (job);
      return;
    }
  forget_unlisted (job);
  if (abandon_if_ended (job, NULL))
    return;
  cookie = tim_local_store_get_value (job->client->store, "cookie");
  fetch_messages (job, cookie);
}

static void
fetch_conversations (Resync *job)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "From_Account", job->client->user);
  json_object_set_int_member (body, "TimeStamp", 0);
  json_object_set_int_member (body, "StartIndex", job->start_index);
  json_object_set_int_member (body, "TopTimeStamp", 0);
  json_object_set_int_member (body, "TopStartIndex", 0);
  json_object_set_int_member (body, "OrderType", 1);
  tim_transport_request (job->client->transport, "recentcontact.page_get", body, 0,
                         job->client->cancellable, on_page, job);
}

/* The unlisted reminds of one kind, before they are read again. */
static void
forget_unlisted_reminds (TimClient *self, TimConvType type)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->unlisted_reminds);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (tim_conv_parse_id (key, NULL) == type)
      g_hash_table_iter_remove (&iter);
}

/* An answer to one of the lists read at login, with the session it was asked in (the client's
 * cancellable then), as the sync keeps its own (session_ended ()): taking an entry may save a
 * conversation, which announces the list updated, and a handler may log out there, or log out
 * and log in as someone else at once. The rest of the answer then went into the next account's
 * conversations, its local store and its unlisted reminds. */
typedef struct
{
  TimClient *client;
  GCancellable *session;
} Reminds;

static Reminds *
reminds_new (TimClient *self)
{
  Reminds *reminds = g_new0 (Reminds, 1);

  reminds->client = g_object_ref (self);
  reminds->session = g_object_ref (self->cancellable);
  return reminds;
}

static void
reminds_free (Reminds *reminds)
{
  g_object_unref (reminds->client);
  g_object_unref (reminds->session);
  g_free (reminds);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reminds, reminds_free)

/* Every C2C peer whose flag is not AcceptAndNotify, listed or not: the unlisted ones are for the
 * conversation a new message brings (a deleted one comes back muted). Its reply comes before the
 * list's (replies are taken in wire order), whose MsgFlag then has the last word. */
static void
on_c2c_reminds (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (Reminds) reminds = user_data;
  TimClient *self = reminds->client;
  JsonArray *flags = tim_json_get_array (reply, "MuteNotificationsList");
  JsonObject *flag;

  if (reply == NULL)
    return;
  forget_unlisted_reminds (self, TIM_CONV_C2C);
  for (guint i = 0; !g_cancellable_is_cancelled (reminds->session) &&
                    (flag = tim_json_array_next_object (flags, &i)) != NULL;)
    {
      _tim_client_take_mute_sync (self, tim_json_get_string (flag, "UserId"),
                                  tim_json_get_int_or (flag, "MuteFlag", 0));
    }
}

/* The same for the user's groups: each one's SelfInfo.MsgFlag, as the Web SDK reads its group list
 * at login; and with it the user's role in each and the group's profile, as the server has them
 * (_tim_client_take_joined_group ()). */
static void
on_group_reminds (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (Reminds) reminds = user_data;
  TimClient *self = reminds->client;
  JsonArray *groups = tim_json_get_array (reply, "GroupIdList");
  JsonObject *group;

  if (reply == NULL)
    return;
  forget_unlisted_reminds (self, TIM_CONV_GROUP);
  /* Each answer says how every group is now: what an older one kept goes. */
  g_hash_table_remove_all (self->unlisted_groups);
  for (guint i = 0; !g_cancellable_is_cancelled (reminds->session) &&
                    (group = tim_json_array_next_object (groups, &i)) != NULL;)
    {
      const char *group_id = tim_json_get_string (group, "GroupId");
      JsonObject *self_info = tim_json_get_object (group, "SelfInfo");
      g_autofree char *conversation_id =
          group_id != NULL ? tim_conv_make_id (TIM_CONV_GROUP, group_id) : NULL;

      if (conversation_id != NULL && self_info != NULL)
        _tim_client_take_remind (self, conversation_id, tim_json_get_string (self_info, "MsgFlag"));
      /* Saving the remind tells as well: the group's role and profile are not the next
       * account's either. */
      if (!g_cancellable_is_cancelled (reminds->session))
        _tim_client_take_joined_group (self, group);
    }
}

/* Both are asked for before the list. The groups' fields in a ResponseFilter, as the Web SDK's
 * getGroupList asks for them: its own, and all that a group tip may change (which a tip older
 * than the answer then does not undo: accept_in_transaction ()). */
static void
fetch_reminds (TimClient *self)
{
  g_autoptr (JsonObject) c2c = json_object_new ();
  g_autoptr (JsonObject) groups = json_object_new ();
  JsonObject *filter = json_object_new ();
  JsonArray *base = json_array_new ();
  JsonArray *self_info = json_array_new ();

  json_object_set_int_member (c2c, "UpdateSequence", 0);
  tim_transport_request (self->transport, "openim.get_c2c_peer_mute_notifications", c2c, 0,
                         self->cancellable, on_c2c_reminds, reminds_new (self));
  json_object_set_int_member (groups, "Limit", 5000);
  json_object_set_int_member (groups, "Offset", 0);
  for (const char *const *field =
           (const char *const[]){ "Type", "Name", "FaceUrl", "Introduction", "Notification",
                                  "ShutUpAllMember", "NextMsgSeq", "LastMsgTime", NULL };
       *field != NULL; field++)
    json_array_add_string_element (base, *field);
  for (const char *const *field =
           (const char *const[]){ "Role", "JoinTime", "MsgFlag", "MsgSeq", "ShutUpUntil", NULL };
       *field != NULL; field++)
    json_array_add_string_element (self_info, *field);
  json_object_set_array_member (filter, "GroupBaseInfoFilter", base);
  json_object_set_array_member (filter, "SelfInfoFilter", self_info);
  json_object_set_object_member (groups, "ResponseFilter", filter);
  tim_transport_request (self->transport, "group_open_http_svc.get_joined_group_list", groups, 0,
                         self->cancellable, on_group_reminds, reminds_new (self));
}

void
_tim_client_on_logged_in (TimClient *self, JsonObject *reply)
{
  const char *tinyid = tim_transport_get_tinyid (self->transport);

  if (self->store == NULL)
    return;
  if (tinyid != NULL && g_strcmp0 (tinyid, self->tinyid) != 0)
    {
      g_free (self->tinyid);
      self->tinyid = g_strdup (tinyid);
      tim_local_store_set_value (self->store, "tinyid", tinyid, NULL);
    }
  fetch_reminds (self);
  _tim_client_fetch_blocklist (self);
  _tim_client_fetch_my_profile (self);
  _tim_client_resync (self);
}

void
_tim_client_resync (TimClient *self)
{
  Resync *job;

  if (self->store == NULL || tim_client_get_net_state (self) != TIM_NET_STATE_CONNECTED)
    return;
  /* One at a time: the one running does this one's work when it ends (finish). */
  if (self->syncing)
    {
      self->sync_due = TRUE;
      return;
    }
  self->syncing = TRUE;
  job = g_new0 (Resync, 1);
  job->client = g_object_ref (self);
  job->session = g_object_ref (self->cancellable);
  job->first = !self->ready;
  job->announce = g_ptr_array_new_with_free_func (g_object_unref);
  job->revoked = g_ptr_array_new_with_free_func (g_object_unref);
  job->read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  job->modified = g_ptr_array_new_with_free_func (g_object_unref);
  job->gaps = g_ptr_array_new_with_free_func (_tim_group_gap_free);
  job->held = held_conversations (self);
  job->listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fetch_conversations (job);
}
