/* tim-client-private.h: shared by the files of TimClient (tim-client.c: object, properties,
 * signals; tim-client-session.c: login, logout, models; tim-client-create.c: creation;
 * tim-client-send.c: outbox, send, resend; tim-client-send-request.c: a send's request and its
 * end; tim-client-sync.c: new messages, pushed or synced; tim-client-notices.c: what the server
 * says of messages already here, and the push entry point; and the others, each named below). */
#pragma once

#include "tim-client.h"
#include "tim-conversation.h"
#include "tim-local-store.h"
#include "tim-message-private.h"
#include "tim-transport.h"
#include "tim-uploader.h"

G_BEGIN_DECLS

struct _TimClient
{
  GObject parent_instance;

  char *server_url;
  guint64 sdkappid;
  char *data_dir;

  TimTransport *transport;
  TimUploader *uploader;
  TimLocalStore *store; /* the logged-in account's cache; NULL before login */
  TimConversationList *conversations;
  GHashTable *message_lists; /* conversation ID -> TimMessageList */
  GHashTable *live_messages; /* message ID -> TimMessage (weak: removed on finalize) */
  GHashTable *live_keys;     /* TimMessage -> its key in live_messages (owned there) */
  /* IDs of the messages this session took that the local store could not keep (a full disk):
   * they came all the same, and a sync that replays them must not bring them as new. Also those
   * whose send's end it could not keep: its record there is out of date. */
  GHashTable *unsaved_messages;
  /* Conversation ID -> its interned TIM_REMIND_* when muted and not listed (deleted, or muted on
   * another device before its first message): the conversation a new message brings takes it,
   * so that it does not notify. Read again at every login (tim-client-resync.c). */
  GHashTable *unlisted_reminds;
  /* Conversation ID -> the joined-group list's item (JsonObject) of a group not listed when the
   * list came (a new device: the conversation list, which makes them, is answered after it): the
   * conversation made for it takes it (_tim_client_take_kept_joined_group ()). Read again at
   * every login (tim-client-resync.c). */
  GHashTable *unlisted_groups;
  /* Conversation IDs whose last message known here may not be the last: the user took back
   * Discard, and what came meanwhile was not pushed. Until the server's newest page of it, the
   * local store does not stand for that page (tim-client-history.c). */
  GHashTable *unsure_tails;

  char *user;
  char *tinyid;
  /* In tim_client_logout (): the user is still set, but the account is going, and what its
   * signals' handlers ask for is refused (_tim_client_check_logged_in ()). */
  gboolean logging_out;
  /* Disposed: logged out for good (tim-client.c's dispose); a login is refused. */
  gboolean disposed;
  gboolean ready;
  gboolean syncing;
  /* A sync was asked for while one ran (a relogin after the socket died under it): what came
   * while away is after the point that one had reached, so another runs when it ends. */
  gboolean sync_due;
  /* While a sync takes what getmsg replays: the conversation IDs the server's list named, read
   * just before (borrowed from the sync, tim-client-resync.c). */
  GHashTable *sync_listed;
  GCancellable *cancellable; /* cancelled on logout (and replaced) and dispose */

  gint64 next_client_sequence; /* the seed's HHMMSS0001 counter */
  GQueue outbox_queue;         /* OutboxItem*, in order */
  gboolean outbox_busy;
  GList *outbox_waiters;       /* GTask of tim_client_wait_outbox_async (): message IDs */
  GHashTable *pending_appends; /* TimMessageList -> GPtrArray of TimMessage, flushed together */
  guint pending_source;
  gboolean flushing_appends;    /* in _tim_client_flush_appends (), emitting items-changed */
  GPtrArray *pending_received;  /* announced with the flush, after the lists hold them */
  guint scrub_idle;             /* a recall's scrub of the local store, due */
  GHashTable *typing_sent;      /* conversation ID -> monotonic µs of our last "typing" notice */
  guint search_index_idle;      /* indexing an upgraded store for search, a slice per idle */
  GHashTable *blocked;          /* set of user IDs: the blocklist as last heard */
  guint blocklist_pushes;       /* blocklist changes pushed: one during a read of the list wins */
  GHashTable *blocklist_pushed; /* user ID -> blocklist_pushes at its last push; NULL: none */
  GPtrArray *folders;           /* the folders as last heard, in order (tim-client-folders.c) */
  guint folders_refetch;        /* a new conversation came: the list again, once for a burst */
  GHashTable *follow_pending;   /* set of peers to follow (tim-client-presence.c) */
  GHashTable *subscribed;       /* user ID -> TimSubscription (tim-client-subscribe.c) */
  char *self_status;            /* the user's custom status; NULL until read from the store */
  char *nick;                   /* the user's own nick and avatar as last heard; NULL: "" */
  char *avatar;
  guint self_status_sets; /* setSelfStatus calls made: one after a login's ask wins */
  guint follow_idle;
};

/* tim-client.c */
void _tim_client_set_ready (TimClient *self, gboolean ready);
/* Keeps the user's own nick and avatar (NULL leaves one as it is; NULL both: forgets them),
 * notifying TimClient:nick and :avatar when they change. */
void _tim_client_set_my_profile (TimClient *self, const char *nick, const char *avatar);
gint64 _tim_client_now (TimClient *self);
/* Emits message-received / message-revoked / message-read-by-peer for a non-empty batch. */
void _tim_client_emit_messages (TimClient *self, const char *signal_name, GPtrArray *messages);

/* tim-client-registry.c: the messages and conversations the client knows, each once. */
/* TRUE when a user is logged in (and no logout is running); else task returns
 * TIM_ERROR_NOT_LOGGED_IN. */
gboolean _tim_client_check_logged_in (TimClient *self, GTask *task);
/* message changed what it says (recalled, edited): when it is its conversation's last, the
 * conversation's preview follows, and is kept. */
void _tim_client_refresh_last_message (TimClient *self, TimMessage *message);
TimMessage *_tim_client_lookup_message (TimClient *self, const char *message_id);
/* Remembers the instance so later updates (recall, read) reach the same object the UI holds. */
TimMessage *_tim_client_intern_message (TimClient *self, TimMessage *message);
/* message, known by old_id until its ID changed, is known by its ID now: as the live instance,
 * in its conversation's list, and as its conversation's last message (saved). */
void _tim_client_rename_message (TimClient *self, TimMessage *message, const char *old_id);
/* At finalize: stops watching the live messages and frees their tables. */
void _tim_client_free_live_messages (TimClient *self);
TimConversation *_tim_client_ensure_conversation (TimClient *self, const char *conversation_id);
/* The same, and one that appears this way (a new group, a new peer) has its profile fetched, so
 * it gets its name: for a message's conversation, and for a group joined. */
TimConversation *_tim_client_ensure_conversation_named (TimClient *self,
                                                        const char *conversation_id);
TimConversation *_tim_client_ensure_conversation_for_message (TimClient *self, TimMessage *message);
void _tim_client_forget_conversation (TimClient *self, const char *conversation_id);
/* tim-client-conversation-records.c: a conversation's record in the local store, written on
 * every change (and conversation-list-updated emitted), all of them read back at start-up. */
void _tim_client_save_conversation (TimClient *self, TimConversation *conversation);
void _tim_client_load_cached_conversations (TimClient *self);

/* tim-client-drafts.c: a conversation joining the list takes its stored draft; the many of
 * start-up, in one query. */
void _tim_client_take_draft (TimClient *self, TimConversation *conversation);
void _tim_client_take_drafts (TimClient *self, GPtrArray *conversations);

/* tim-client-subscribe.c: a user the app subscribed to, and what it was last told of them. */
typedef struct
{
  guint count;          /* subscriptions not undone */
  TimUserStatus status; /* TIM_USER_STATUS_UNKNOWN until told */
  char *custom_status;
} TimSubscription;

void _tim_subscription_free (TimSubscription *subscription);

/* tim-client-presence.c: follows whether the C2C peers of the list and the users subscribed to
 * (tim-client-subscribe.c) are online: all of them after each login, a peer joining the list; the
 * UserStatusList of a push or reply; a logout forgets, subscriptions too. */
void _tim_client_follow_peers (TimClient *self);
/* {To_Account: [...]} of user_ids (the first n; n < 0: up to the NULL), each once: the body of
 * every im_open_status request about users. */
JsonObject *_tim_client_users_body (const char *const *user_ids, gssize n);
void _tim_client_follow_peer (TimClient *self, const char *peer);
void _tim_client_take_user_statuses (TimClient *self, JsonArray *items);
/* A ws_get_user_status reply: its statuses taken, and a GPtrArray of TimUserStatusInfo, one each
 * of the users asked about in that order (unknown when the reply does not say). */
GPtrArray *_tim_client_user_status_infos (TimClient *self, const char *const *asked,
                                          JsonObject *reply);
void _tim_client_forget_peer_statuses (TimClient *self);

/* tim-client-folders.c: the folders from the local store (at login, before the network) and
 * from the server (after each login's sync); none after a logout; a RecentContactMod push of
 * PushType 5, 6 or 7. */
void _tim_client_folder_free (gpointer folder);
void _tim_client_load_folders (TimClient *self);
void _tim_client_fetch_folders (TimClient *self);
/* The server's list (get_contact_group's answer): the folders in its order, and each
 * conversation's. */
void _tim_client_take_folder_list (TimClient *self, JsonObject *reply);
/* The same at the next idle, when there are folders (a conversation came back, say). */
void _tim_client_refetch_folders_soon (TimClient *self);
void _tim_client_forget_folders (TimClient *self);
void _tim_client_take_folder_change (TimClient *self, gint64 push_type, JsonObject *change);
/* The steps every change takes, whoever made it (tim-client-folders-calls.c's calls too): a folder
 * made (or renamed, when id is known), renamed, deleted (by id, or name when id is NULL), and a
 * conversation put in the folder name or taken out; each kept here and in the local store. */
gboolean _tim_client_has_folder (TimClient *self, const char *name);
void _tim_client_folder_created (TimClient *self, const char *id, const char *name);
void _tim_client_folder_renamed (TimClient *self, const char *id, const char *old_name,
                                 const char *new_name);
void _tim_client_folder_deleted (TimClient *self, const char *id, const char *name);
void _tim_client_file_conversation (TimClient *self, const char *conversation_id, const char *name,
                                    gboolean in);
/* A folder's GroupId on the wire (a number or text), as text; a conversation as the wire names
 * it ({Type, To_Account | UserId} or {Type, ToGroupId | GroupId}), as its ID; NULL for none. */
char *_tim_client_folder_wire_id (JsonObject *object, const char *member);
char *_tim_client_folder_conversation_id (JsonObject *item);
/* tim-client-blocklist.c: reads the list (after each login); a FriendListMod push item. */
void _tim_client_fetch_blocklist (TimClient *self);
void _tim_client_take_friend_list_change (TimClient *self, JsonObject *change);

/* tim-client-resync.c */
void _tim_client_on_logged_in (TimClient *self, JsonObject *reply);
/* Whether a request of the sync failed because the session ended under it (logged out or gone,
 * kicked out, its UserSig ran out): the sync then stops, announcing nothing. */
gboolean _tim_client_sync_cut_short (const GError *error);
/* The conversation list and the sync from the stored Cookie again, as after a reconnect (its
 * unread counts, say); when one is running, again once it ends; nothing when the client is not
 * connected. */
void _tim_client_resync (TimClient *self);
/* tim-client-resync-items.c: one SessionItem of the server's conversation list, taken as the
 * conversation here (made or updated, listed, saved); its ID is added to listed, and a group's
 * missed messages to gaps (TimGroupGap, below). */
void _tim_client_take_session_item (TimClient *self, JsonObject *item, GHashTable *listed,
                                    GPtrArray *gaps);
/* One group of the joined-group list read at login (get_joined_group_list): the user's role in
 * it, its name, picture, introduction, notification and mute-all, and the user's own mute, taken
 * by its listed conversation (saved if anything changed). */
void _tim_client_take_joined_group (TimClient *self, JsonObject *group);
/* What _tim_client_take_joined_group () kept for a group not listed then, taken by its
 * conversation just made (not saved: its maker saves it). */
void _tim_client_take_kept_joined_group (TimClient *self, TimConversation *created);

/* tim-client-resync-groups.c: the group messages a sync finds missing (the server's list names a
 * newer sequence than the local store's newest), fetched with group_msg_get and taken as pushes
 * are. A gap is one group's: from held_seq (exclusive) up to server_seq. */
typedef struct
{
  char *conversation_id;
  char *group_id;
  gint64 held_seq;
  gint64 server_seq;
} TimGroupGap;

void _tim_group_gap_free (gpointer gap);
/* Adds conversation's gap to gaps when it has one worth fetching (a group this client knew
 * before this sync, by messages it holds or by known_seq, the newest sequence it had heard of;
 * not discarded; the server's newest beyond those). Otherwise notes server_seq as heard of at
 * once; a gap's, once it is fetched. */
void _tim_client_note_group_gap (TimClient *self, GPtrArray *gaps, TimConversation *conversation,
                                 gint64 known_seq, gint64 server_seq);
/* Called once every gap is fetched and taken, with the error that ended the session under it
 * (cancelled, logged out) or NULL. */
typedef void (*TimGroupCatchUpDone) (const GError *error, gpointer user_data);
/* Fetches each gap's messages (newest first, at most TIM_GROUP_CATCH_UP_PAGES pages a group; the
 * older ones are left to history paging) and takes them: new ones go into announce. Takes gaps. */
void _tim_client_catch_up_groups (TimClient *self, GPtrArray *gaps, GPtrArray *announce,
                                  TimGroupCatchUpDone done, gpointer user_data);

/* tim-client-notices.c: every push. */
void _tim_client_on_push (TimClient *self, const char *servcmd, JsonObject *body);
/* tim-client-sync.c: stores a message, puts it in its list and conversation; returns the
 * interned instance. */
TimMessage *_tim_client_accept_message (TimClient *self, TimMessage *message,
                                        gboolean count_unread);
/* tim-client-sync.c: the group of conversation has a new owner: this user's role follows. */
void _tim_client_apply_new_owner (TimClient *self, TimConversation *conversation,
                                  const char *owner);
/* tim-client-sync.c: appends what arrived since the last flush to the message lists, one
 * items-changed per list. */
void _tim_client_flush_appends (TimClient *self);
/* The same at the next idle (once for a burst), with the messages received announced then. */
void _tim_client_flush_appends_soon (TimClient *self);
/* A new message from the server (pushed or synced): a remind-type notice or a typing one is
 * applied; one already here is dropped; else it is accepted and goes into announce. */
void _tim_client_take_incoming (TimClient *self, TimMessage *incoming, GPtrArray *announce);
/* The same for a group message the sync fetched (tim-client-resync-groups.c), which the server's
 * list has already counted as unread: not counted again, and a recalled one not announced. */
void _tim_client_take_missed (TimClient *self, TimMessage *incoming, GPtrArray *announce);
/* The server sequence of the newest message of conversation_id the local store holds that the
 * server acknowledged; 0 for none. */
gint64 _tim_client_newest_stored_seq (TimClient *self, const char *conversation_id);
void _tim_client_store_message (TimClient *self, TimMessage *message);
/* tim-client-edit.c: an edit (MsgBody, CloudCustomData, MsgVersion) of message, taken when newer:
 * the message, its record and its conversation's preview. TRUE when taken. */
gboolean _tim_client_take_edit (TimClient *self, TimMessage *message, JsonArray *body,
                                const char *cloud_custom_data, gint64 version);
/* What the server's copy of a message held here (fresh: from a history page, or the last message
 * of the server's list) says was done to it since this device had it: recalled, or edited to a
 * newer version. A group's recalls and edits reach a device that was away only this way. */
void _tim_client_take_server_copy (TimClient *self, TimMessage *known, TimMessage *fresh);
/* A C2cMsgModNotifys / GroupMsgModNotifys item; the message edited goes into modified. */
/* tim-client-delete.c: the conversation's last message after messages left this device: the
 * newest it still has. */
void _tim_client_update_last_message (TimClient *self, TimConversation *conversation);
/* tim-client-clear.c: the user cleared conversation_id's history up to server_seq (here or on
 * another device, TimchatHistoryClearNotify): what this device has of it up to there goes. */
void _tim_client_forget_history (TimClient *self, const char *conversation_id, gint64 server_seq);
void _tim_client_take_clear_notice (TimClient *self, JsonObject *notice);
/* tim-client-delete.c: the messages of a TimchatMsgDeleteNotify (deleted by the user on another
 * device) leave this one. */
void _tim_client_take_delete_notice (TimClient *self, JsonObject *notice);
void _tim_client_take_edit_notice (TimClient *self, JsonObject *item, gboolean group,
                                   GPtrArray *modified);
/* tim-client-typing.c: a peer's typing notice (an online-only custom message in the TUIKit
 * convention): TRUE when message is one (taken: the conversation shows the peer typing). */
gboolean _tim_client_take_typing (TimClient *self, TimMessage *message);
/* tim-client-search.c: indexes what an upgraded store kept before search existed, in slices at
 * low priority (stops by itself; stop_ ends it early, at logout and dispose). */
void _tim_client_start_search_indexing (TimClient *self);
void _tim_client_stop_search_indexing (TimClient *self);
/* tim-client-notices.c: the message of conversation_id the store keeps with this sequence (and
 * random when not 0), of any age, as the live instance. (transfer full) (nullable) */
TimMessage *_tim_client_find_message (TimClient *self, const char *conversation_id, gint64 sequence,
                                      gint64 random);
/* The newest (up to 500) messages of conversation_id the store keeps, newest first, as the live
 * instances. */
GPtrArray *_tim_client_recent_messages (TimClient *self, const char *conversation_id);
/* tim-client-group-applications.c: words to a group's managers or from them (NULL, or UTF-8 of
 * at most 300 bytes); else task returns TIM_ERROR_INVALID_PARAMETER. */
gboolean _tim_client_check_application_words (GTask *task, const char *words);
/* Answers (agree or not, saying reason) the application of applicant to group_id, returning
 * task's boolean; every notice of it this device holds (notice too, when given) keeps the
 * answer. */
void _tim_client_answer_application (TimClient *self, GTask *task, const char *group_id,
                                     const char *applicant, const char *authentication,
                                     const char *message_key, TimMessage *notice, gboolean agree,
                                     const char *reason);
/* Marks message recalled, forgets its content and cached media, and stores it. */
void _tim_client_mark_recalled (TimClient *self, TimMessage *message, const char *revoker);
/* The local store's scrub after a recall (tim_local_store_scrub), at the next idle; or now, when
 * one is due and the store is about to close. */
void _tim_client_queue_scrub (TimClient *self);
void _tim_client_flush_scrub (TimClient *self);
void _tim_client_update_conversation_last (TimClient *self, TimMessage *message);
/* Everything in the conversation is read (here or on another device): unread 0. */
void _tim_client_apply_read (TimClient *self, const char *conversation_id);
/* The conversation is read up to the server sequence up_to_seq: what is after it stays unread. */
void _tim_client_apply_read_up_to (TimClient *self, const char *conversation_id, gint64 up_to_seq);
/* A C2C conversation is read up to the newest message at or before up_to_time, as the server
 * reads it. */
void _tim_client_apply_c2c_read_up_to_time (TimClient *self, const char *conversation_id,
                                            gint64 up_to_time);
/* One EventArray item, from a push or replayed by openim.getmsg. */
void _tim_client_take_event (TimClient *self, JsonObject *event, GPtrArray *announce,
                             GPtrArray *revoked, GPtrArray *read_by_peer, GPtrArray *modified);
/* Where the messages not (yet) acknowledged sort in the local store: after every other. */
#define TIM_PENDING_SORT_BASE (G_GINT64_CONSTANT (1) << 50)
gint64 _tim_message_sort_key (TimMessage *message);

/* tim-client-send.c */
typedef struct
{
  TimMessage *message;
  TimSendOptions *options;
  GTask *task;               /* NULL for a message resumed from the store */
  GCancellable *cancellable; /* cancels this send only (the caller's cancellable feeds it) */
  gboolean abandoned;        /* logged out while in flight: freed when its callback comes */
  TimProgressFunc progress;
  gpointer progress_data;
  JsonObject *uploaded; /* the server's answer for the media file, once it is up: a retry of a
                         * later step (a video's thumbnail) does not send the file again */
} OutboxItem;

void _tim_client_outbox_item_free (OutboxItem *item);
void _tim_client_resume_outbox (TimClient *self);
/* At the store's opening, before its conversations load: a record left "unSend" without an
 * outbox entry (a crash of an older version at the end of its send) is marked failed, so the
 * user sees it and can send it again. */
void _tim_client_fail_orphaned_sends (TimClient *self);
/* After every (re)login: send what is queued. */
void _tim_client_outbox_pump (TimClient *self);

/* tim-client-send-stop.c: sends that end before they are sent, and the waits for the outbox. */
/* A message deleted before it was sent: out of the queue, its send stopped (its task fails with
 * G_IO_ERROR_CANCELLED). Nothing if it is not queued. The stored outbox entry is the caller's to
 * remove, in the transaction that deletes the message's record. */
void _tim_client_outbox_drop (TimClient *self, const char *message_id);
/* A logout or the client's end: empties the queue (the send in flight abandoned, its entry kept
 * for the next login, as every queued one's) and returns the tasks of the sends it ended, which
 * _tim_client_outbox_tell_cleared () tells "Logged out" (G_IO_ERROR_CANCELLED) once the account
 * is gone. */
GPtrArray *_tim_client_outbox_clear (TimClient *self);
void _tim_client_outbox_tell_cleared (TimClient *self, GPtrArray *tasks);
/* Messages left the queue (sent, failed, dropped, cleared): completes the waiters whose messages
 * are all gone from it. */
void _tim_client_outbox_left (TimClient *self);

/* tim-client-send-request.c: the request of the item at the outbox's head, whose reply ends its
 * send. */
void _tim_client_outbox_send_request (TimClient *self, OutboxItem *item);
/* Ends item's send, sent (error NULL) or failed with error: its final record stored with its
 * outbox entry taken out, in one transaction (not an online-only one's), its task returned; then
 * it is freed and the next one goes. */
void _tim_client_outbox_finish_item (TimClient *self, OutboxItem *item, const GError *error);
/* The end of message's send on disk, in one transaction: its outbox entry taken out, its final
 * record and its conversation's last message saved. Not kept, it is noted in unsaved_messages. */
gboolean _tim_client_outbox_save_end (TimClient *self, TimMessage *message, GError **error);
/* A network failure: the message stays queued ("unSend", waiting for the network). */
void _tim_client_outbox_item_failed (TimClient *self, OutboxItem *item, const GError *error);

/* tim-client-calls.c: one request whose successful reply goes to `handler`, which returns the
 * task (NULL: the task returns the reply object itself). */
typedef void (*TimClientReplyHandler) (TimClient *self, GTask *task, JsonObject *reply);
void _tim_client_request (TimClient *self, GTask *task, const char *servcmd, JsonObject *body,
                          TimClientReplyHandler handler);
/* Parses conversation_id into *type and *peer (C2C or group); else returns the task's
 * TIM_ERROR_INVALID_CONVERSATION_ID and FALSE. */
/* TRUE for 1 to most user IDs; else task returns TIM_ERROR_INVALID_PARAMETER. */
gboolean _tim_client_check_user_ids (GTask *task, const char *const *user_ids, guint most);
gboolean _tim_client_check_conversation (GTask *task, const char *conversation_id,
                                         TimConvType *type, const char **peer);
/* tim-client-settings.c: a RecentContactMod push item, another device's change to the list. */
void _tim_client_take_list_change (TimClient *self, JsonObject *change);
/* RecentContactMod's RecentContactMarkContactItem: marks made on another device, or taken away
 * by a read. */
void _tim_client_take_marks (TimClient *self, JsonArray *entries);
/* Another device's setMessageRemindType for the C2C conversation with peer (MuteNotificationsSync:
 * flag 0 AcceptAndNotify, 1 Discard, 2 AcceptNotNotify). */
void _tim_client_take_mute_sync (TimClient *self, const char *peer, gint64 flag);
/* A conversation's remind type, listed or not (unlisted_reminds keeps it for one that comes
 * back). */
void _tim_client_take_remind (TimClient *self, const char *conversation_id,
                              const char *remind_type);
/* tim-client-profile.c: fills the members' nicks from their profiles (as the Web SDK's
 * getGroupMemberList does: the member list has none), then returns members on task, sorted by
 * order. */
void _tim_client_name_members (TimClient *self, GTask *task, GPtrArray *members,
                               GCompareFunc order);

/* tim-client-profile.c: reads the user's own profile (after each login: a change made on another
 * device while this one was away was pushed to nobody here). */
void _tim_client_fetch_my_profile (TimClient *self);
/* A ProfileDataMod push item: the user's own profile changed on another device. */
void _tim_client_take_profile_change (TimClient *self, JsonObject *change);
/* tim-client-profile.c: the Value of a profile item's Tag in a UserProfileItem entry. */
const char *_tim_profile_tag (JsonObject *profile, const char *tag);
/* The URL of an uploaded picture as an avatar shows it, from tim_uploader_upload_finish (): its
 * 198 px version (Type 3), which is plenty, or the original when there is none. NULL with the
 * upload's error, or TIM_ERROR_IMAGE_TYPE when the answer names no picture. (transfer full) */
char *_tim_upload_picture_finish (TimUploader *uploader, GAsyncResult *result, GError **error);
/* Uploads picture for task's call (the user's avatar, a group's picture), then callback (the
 * uploader's, with task (transfer full) as its data). The upload ends with the caller's
 * cancellable (task's) and with the session: the logout and the dispose cancel it, so its end
 * never reaches the next session. */
void _tim_client_upload_picture (TimClient *self, GFile *picture, GTask *task,
                                 GAsyncReadyCallback callback);
/* Asks the server for every C2C peer's profile (after a sync) and names the conversations. */
void _tim_client_refresh_peer_profiles (TimClient *self);

/* tim-client-group-profile.c: NULL, or why name cannot be a group's (blank, too long): 10004 in
 * our words. */
GError *_tim_group_name_error (const char *name);

/* What this user's own request did to a group, taken from its answer (the tip comes behind it,
 * and changes nothing more): tim-client-group-join.c: a join's answer (JoinedStatus) lists a
 * group joined at once, this user a member; tim-client-group-profile.c: this user handed the
 * group over to new_owner. */
void _tim_client_take_join_answer (TimClient *self, const char *group_id, JsonObject *reply);
/* tim-client-calls.c: a group's info as the server sends it (get_group_info, a joined-group
 * list's item) onto its conversation: name, picture, type, introduction, notification and
 * mute-all, and this user's role and mute in it; what the item leaves out stays as it was. */
void _tim_client_take_group_info (TimConversation *conversation, JsonObject *group);
void _tim_client_take_owner_change (TimClient *self, const char *group_id, const char *new_owner);

/* tim-client-groups.c: the task of a call on group_id, and on user_id when it is about one
 * member (member_required); NULL when either is missing, the task having returned the error:
 * refused before the network. */
GTask *_tim_client_group_task (TimClient *self, gpointer source_tag, const char *group_id,
                               gboolean member_required, const char *user_id,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);

/* tim-client-upload.c: media are probed and uploaded, then the payload points at the server. */
gboolean _tim_client_needs_upload (TimMessage *message);
/* tim-client-create.c: a new outgoing message from this user (takes payload). */
TimMessage *_tim_client_new_message (TimClient *self, const char *to, TimConvType type,
                                     TimElemType elem_type, JsonObject *payload);
void _tim_client_upload_then_send (TimClient *self, OutboxItem *item);
/* tim-client-forward.c: whether message can be forwarded (alone or in a chat history): FALSE and
 * code with the reason if not. */
gboolean _tim_client_check_forwardable (TimMessage *message, int code, GError **error);
/* tim-client-merger.c: a chat history too big to go inline is saved on the server first, and the
 * message then carries its key. */
gboolean _tim_client_merger_needs_upload (TimMessage *message);
void _tim_client_merger_upload_then_send (TimClient *self, OutboxItem *item);

G_END_DECLS
