/* timchat-store.h: what the command handlers need from storage, and nothing about SQL.
 * TimchatStoreSqlite is the engine today; another engine subclasses TimchatStore. */
#pragma once

#include <glib-object.h>

#include "tim-conv.h"
#include "tim-msg-control.h"

G_BEGIN_DECLS

typedef struct
{
  char *user_id;
  guint64 tinyid;
  char *nick;
  char *avatar;
  gint64 created;
  gint64 kicked_before; /* tickets issued before this time are void (REST kick) */
} TimchatAccount;

/* A profile field besides the nick and the avatar (TimchatAccount has those): a standard
 * Tag_Profile_IM_* or a custom Tag_Profile_Custom_* one (tim-profile.h), a string or an integer. */
typedef struct
{
  char *tag;
  char *text;    /* a string field's value; NULL for an integer field */
  gint64 number; /* an integer field's value */
} TimchatProfileField;

typedef enum
{
  TIMCHAT_MSG_NORMAL = 0,
  TIMCHAT_MSG_GROUP_TIP = 1,
} TimchatMsgKind;

typedef struct
{
  gint64 id;             /* storage order, unique across the server */
  TimConvType conv_type; /* C2C or GROUP */
  TimchatMsgKind kind;
  char *from_user;
  char *to_id;       /* peer user (C2C) or group ID */
  gint64 seq;        /* per conversation, consecutive from 1 */
  gint64 client_seq; /* C2C MsgSeq / group ClientSeq chosen by the sender */
  gint64 random;
  gint64 time; /* server time, seconds */
  gint64 client_time;
  int priority;
  char *body; /* MsgBody as JSON text */
  char *cloud_custom_data;
  char *offline_push; /* OfflinePushInfo as JSON text, or NULL */
  gboolean recalled;
  char *revoker;
  gint64 recall_time;
  /* A group message's @-mentions: GroupAtInfo as JSON text, as tim_group_at_info_new () writes
   * it, or NULL (no mentions, C2C, a tip, a recalled message). */
  char *at_info;
  /* How many times its sender edited it (openim.modify_c2c_msg / modify_group_msg): the
   * MsgVersion an edit must name, 0 for a message never edited. */
  gint64 version;
  /* Its sender's SendMsgControl: NoUnread never counts as unread, NoLastMsg is never its
   * conversation's last message. */
  TimMsgControl control;
} TimchatMsg;

typedef struct
{
  gint64 id;
  int kind;
  char *payload; /* JSON text */
  gint64 created;
} TimchatEvent;

/* Kinds of per-user sync events (openim.getmsg hands them out in order). */
enum
{
  TIMCHAT_EVENT_C2C_MESSAGE =
      1,                        /* payload: {"id":message id}; the SQLite engine writes it in SQL */
  TIMCHAT_EVENT_C2C_RECALL = 2, /* payload: recall notice */
  TIMCHAT_EVENT_C2C_READ = 3,   /* payload: own read mark, for the user's other devices */
  TIMCHAT_EVENT_PEER_READ = 4,  /* payload: peer read receipt */
  TIMCHAT_EVENT_GROUP_SYSTEM = 5, /* payload: group system notice */
  TIMCHAT_EVENT_C2C_MODIFY = 6,   /* payload: {"id":message id}, replayed with its content then */
  /* payload: {"ids":[message ids]} the user deleted for themselves, for their other devices */
  TIMCHAT_EVENT_DELETED_FOR_ME = 7,
  /* payload: {"type":1|2,"peer":…,"seq":n}: the user cleared a conversation's history up to n */
  TIMCHAT_EVENT_HISTORY_CLEARED = 8,
};

typedef struct
{
  TimConvType conv_type;
  char *peer;       /* user or group ID */
  TimchatMsg *last; /* may be NULL for a group without messages */
  gint64 unread;
  gint64 read_seq;
  gint64 peer_read_time; /* C2C: time up to which the peer has read */
  gboolean pinned;
  TimRemindFlag remind;
  gint64 sort_time;
  /* The owner's history starts after it: what they cleared (clear_history), and in a group what
   * was there before they joined (TimchatMember's joined_seq). */
  gint64 history_after;
  guint64 marks;     /* markConversation's: bit n is the mark 2^n (TIM_CONV_MARK_*) */
  char *custom_data; /* setConversationCustomData's, "" for none */
  gboolean listed;   /* in the list: not deleted since its last message, and it had one */
  /* The newest sequence the owner deleted the conversation from their list at (0: never): what
   * is at or below it went with the deletion, though it stays in the history. */
  gint64 deleted_seq;
} TimchatConversation;

typedef struct
{
  char *group_id;
  char *type;
  char *name;
  char *owner;
  char *introduction;
  char *notification;
  char *face_url;
  char *apply_join_option; /* FreeAccess, NeedPermission or DisableApply */
  gint64 created;
  gint64 last_seq;
  guint max_members;
  guint member_count;
  gint64 info_seq;   /* 1 at creation, one more with each profile change */
  gint64 info_time;  /* when the profile last changed (created at first) */
  gboolean mute_all; /* ShutUpAllMember: only the owner and admins post */
} TimchatGroup;

/* A change to a group's profile (modify_group_base_info): NULL, -1 or 0 leave a field as it is. */
typedef struct
{
  const char *name;
  const char *introduction;
  const char *notification;
  const char *face_url;
  const char *apply_join_option;
  const char *owner; /* change_group_owner's (the members' roles are set apart) */
  int mute_all;      /* -1 unchanged, 0 off, 1 on */
  guint max_members; /* 0 unchanged */
} TimchatGroupChange;

/* A pending application to join a group (apply_join_group). */
typedef struct
{
  char *group_id;
  char *applicant;
  char *message;        /* ApplyMsg, "" for none */
  char *authentication; /* the token the managers' notice carries */
  gint64 created;
} TimchatApplication;

/* A user's folder of conversations (the SDK's conversation group). */
typedef struct
{
  gint64 id; /* its GroupId on the wire */
  char *name;
} TimchatFolder;

/* A conversation in a folder. */
typedef struct
{
  gint64 folder_id;
  int conv_type; /* 1 C2C, 2 group */
  char *peer;    /* the other user, or the group */
} TimchatFolderItem;

/* One user on another's blocklist, since time. */
typedef struct
{
  char *user_id;
  gint64 time;
} TimchatBlocked;

typedef struct
{
  char *user_id;
  char *role; /* "Owner", "Admin", "Member" */
  gint64 join_time;
  gint64 read_seq;
  char *name_card;
  TimRemindFlag remind; /* theirs for this group */
  gint64 mute_until;    /* they may not post before (seconds); 0: not muted */
  /* They read the group's messages after this one: its newest when they joined, or 0 (a Meeting's
   * members see what came before). Set by the store at the join. */
  gint64 joined_seq;
} TimchatMember;

/* Runs once the writes made so far are on disk (committed TRUE), or were lost (FALSE): a full or
 * failing disk. What such a write answers (TIM_ERROR_INTERNAL): */
#define TIMCHAT_STORE_FAILED_INFO "The server could not store this on its disk; send it again"
typedef void (*TimchatAfterCommit) (gboolean committed, gpointer user_data);

#define TIMCHAT_TYPE_STORE (timchat_store_get_type ())
G_DECLARE_DERIVABLE_TYPE (TimchatStore, timchat_store, TIMCHAT, STORE, GObject)

struct _TimchatStoreClass
{
  GObjectClass parent_class;

  TimchatAccount *(*ensure_account) (TimchatStore *self, const char *user_id, GError **error);
  TimchatAccount *(*get_account) (TimchatStore *self, const char *user_id);
  TimchatAccount *(*get_account_by_tinyid) (TimchatStore *self, guint64 tinyid);
  gboolean (*update_profile) (TimchatStore *self, const char *user_id, const char *nick,
                              const char *avatar, GPtrArray *fields, GError **error);
  GPtrArray *(*get_profile_fields) (TimchatStore *self, const char *user_id);
  gboolean (*add_ticket) (TimchatStore *self, const char *a2, const char *user_id, gint64 expires,
                          GError **error);
  char *(*check_ticket) (TimchatStore *self, const char *a2, gint64 now, gint64 *expires_out);
  gboolean (*revoke_tickets) (TimchatStore *self, const char *user_id, const char *a2,
                              GError **error);
  gboolean (*import_account) (TimchatStore *self, const char *user_id, const char *nick,
                              const char *avatar, GError **error);
  gboolean (*delete_account) (TimchatStore *self, const char *user_id, GError **error);

  gboolean (*insert_message) (TimchatStore *self, TimchatMsg *msg, gboolean *duplicate,
                              GError **error);
  TimchatMsg *(*find_c2c_message) (TimchatStore *self, const char *from_user, const char *to_user,
                                   gint64 client_seq, gint64 random);
  TimchatMsg *(*find_group_message) (TimchatStore *self, const char *group_id, gint64 seq);
  TimchatMsg *(*find_group_message_by_sender) (TimchatStore *self, const char *group_id,
                                               const char *from_user, gint64 client_seq,
                                               gint64 random);
  TimchatMsg *(*get_message) (TimchatStore *self, gint64 id);
  gboolean (*recall_message) (TimchatStore *self, TimchatMsg *msg, const char *revoker, gint64 now,
                              const char *notice_json, GError **error);
  gboolean (*modify_message) (TimchatStore *self, TimchatMsg *msg, gint64 version, const char *body,
                              const char *cloud_custom_data, GError **error);
  GArray *(*hide_messages) (TimchatStore *self, const char *owner, GArray *msg_ids, GError **error);
  gboolean (*is_hidden) (TimchatStore *self, const char *owner, gint64 msg_id);
  GPtrArray *(*unread_mentions) (TimchatStore *self, const char *user_id, gint64 after_id,
                                 guint limit);
  gint64 (*last_message_id) (TimchatStore *self);
  GPtrArray *(*history) (TimchatStore *self, const char *viewer, TimConvType type, const char *a,
                         const char *b, gint64 before_seq, guint limit);
  GPtrArray *(*history_at_time) (TimchatStore *self, const char *viewer, TimConvType type,
                                 const char *a, const char *b, gint64 at_time, gboolean newer,
                                 guint limit);
  GPtrArray *(*c2c_range) (TimchatStore *self, const char *a, const char *b, gint64 min_time,
                           gint64 max_time, gint64 before_seq, guint limit);

  gboolean (*append_event) (TimchatStore *self, const char *user_id, int kind, const char *payload,
                            GError **error);
  GPtrArray *(*read_events) (TimchatStore *self, const char *user_id, gint64 after_id, guint limit);
  gint64 (*last_event_id) (TimchatStore *self, const char *user_id);
  void (*highest_ids) (TimchatStore *self, gint64 *event_id, gint64 *message_id);

  GPtrArray *(*list_conversations) (TimchatStore *self, const char *user_id, guint limit);
  TimchatConversation *(*get_conversation) (TimchatStore *self, const char *user_id,
                                            TimConvType type, const char *peer);
  gint64 (*peer_read_time) (TimchatStore *self, const char *user_id, const char *peer);
  gboolean (*delete_conversation) (TimchatStore *self, const char *user_id, TimConvType type,
                                   const char *peer, GError **error);
  gboolean (*clear_history) (TimchatStore *self, const char *user_id, TimConvType type,
                             const char *peer, gint64 *cleared_seq, GError **error);
  gboolean (*pin_conversation) (TimchatStore *self, const char *user_id, TimConvType type,
                                const char *peer, gboolean pinned, GError **error);
  gboolean (*mark_conversation) (TimchatStore *self, const char *user_id, TimConvType type,
                                 const char *peer, guint64 set, guint64 clear, guint64 *before,
                                 guint64 *after, GError **error);
  gboolean (*set_custom_data) (TimchatStore *self, const char *user_id, TimConvType type,
                               const char *peer, const char *custom_data, gboolean *changed,
                               GError **error);
  gboolean (*set_remind) (TimchatStore *self, const char *user_id, TimConvType type,
                          const char *peer, TimRemindFlag remind, GError **error);
  GPtrArray *(*list_c2c_reminds) (TimchatStore *self, const char *user_id);
  TimRemindFlag (*get_remind) (TimchatStore *self, const char *user_id, TimConvType type,
                               const char *peer);
  gint64 (*mark_read) (TimchatStore *self, const char *user_id, TimConvType type, const char *peer,
                       gint64 upto_time, gint64 upto_seq, GError **error);

  gboolean (*block_user) (TimchatStore *self, const char *owner, const char *blocked, gint64 now,
                          GError **error);
  gboolean (*unblock_user) (TimchatStore *self, const char *owner, const char *blocked,
                            GError **error);
  GPtrArray *(*list_blocked) (TimchatStore *self, const char *owner);
  gboolean (*is_blocked) (TimchatStore *self, const char *owner, const char *user_id);

  gboolean (*save_relay_list) (TimchatStore *self, const char *key, const char *owner,
                               gint64 created, const char *msg_list, GError **error);
  char *(*get_relay_list) (TimchatStore *self, const char *key);
  gboolean (*use_relay_list) (TimchatStore *self, const char *key, gint64 time, GError **error);
  gboolean (*keep_relay_lists) (TimchatStore *self, const char *const *keys, gint64 time,
                                GError **error);
  gboolean (*release_relay_lists) (TimchatStore *self, const char *const *keys, GPtrArray *removed,
                                   GError **error);

  gboolean (*save_application) (TimchatStore *self, const TimchatApplication *application,
                                GError **error);
  TimchatApplication *(*get_application) (TimchatStore *self, const char *group_id,
                                          const char *applicant);
  gboolean (*delete_application) (TimchatStore *self, const char *group_id, const char *applicant,
                                  GError **error);
  GPtrArray *(*list_applications) (TimchatStore *self, const char *manager, gint64 from, gint64 to,
                                   guint limit);

  gint64 (*create_folder) (TimchatStore *self, const char *user_id, const char *name, gint64 now,
                           GError **error);
  gboolean (*rename_folder) (TimchatStore *self, gint64 folder_id, const char *name,
                             GError **error);
  gboolean (*delete_folder) (TimchatStore *self, gint64 folder_id, GError **error);
  gboolean (*set_in_folder) (TimchatStore *self, gint64 folder_id, int conv_type, const char *peer,
                             gboolean in, gboolean *changed, GError **error);
  GPtrArray *(*list_folders) (TimchatStore *self, const char *user_id);
  GPtrArray *(*list_folder_items) (TimchatStore *self, const char *user_id);

  gboolean (*create_group) (TimchatStore *self, TimchatGroup *group, GPtrArray *members,
                            GError **error);
  TimchatGroup *(*get_group) (TimchatStore *self, const char *group_id);
  GPtrArray *(*list_members) (TimchatStore *self, const char *group_id);
  TimchatMember *(*get_member) (TimchatStore *self, const char *group_id, const char *user_id);
  gboolean (*add_member) (TimchatStore *self, const char *group_id, TimchatMember *member,
                          GError **error);
  gboolean (*remove_members) (TimchatStore *self, const char *group_id, GPtrArray *user_ids,
                              GError **error);
  gboolean (*set_member_role) (TimchatStore *self, const char *group_id, const char *user_id,
                               const char *role, GError **error);
  gboolean (*set_member_mute_until) (TimchatStore *self, const char *group_id, const char *user_id,
                                     gint64 mute_until, GError **error);
  gboolean (*set_member_name_card) (TimchatStore *self, const char *group_id, const char *user_id,
                                    const char *name_card, GError **error);
  gboolean (*update_group) (TimchatStore *self, const char *group_id,
                            const TimchatGroupChange *change, gint64 time, GError **error);
  gboolean (*dismiss_group) (TimchatStore *self, const char *group_id, GError **error);
  GPtrArray *(*joined_groups) (TimchatStore *self, const char *user_id);

  guint (*purge_before) (TimchatStore *self, gint64 time, guint limit);
  gboolean (*keep_files) (TimchatStore *self, const char *const *names, gint64 time,
                          gboolean mentioned, GError **error);
  gboolean (*release_files) (TimchatStore *self, const char *const *names, guint *unused,
                             GError **error);
  gboolean (*unpin_files) (TimchatStore *self, const char *const *names, gint64 time,
                           GError **error);
  GPtrArray *(*expired_files) (TimchatStore *self, gint64 time, guint limit);
  gboolean (*forget_files) (TimchatStore *self, GPtrArray *names, GError **error);
  void (*after_commit) (TimchatStore *self, TimchatAfterCommit func, gpointer user_data);
  void (*begin_command) (TimchatStore *self);
  void (*end_command) (TimchatStore *self, gboolean keep);
  void (*flush) (TimchatStore *self, guint timeout_ms);
  void (*set_erase_seconds) (TimchatStore *self, guint seconds);
};

/* Where the store of data_dir is kept (its file: DATA_DIR/timchat.db). */
char *timchat_store_path (const char *data_dir);
TimchatStore *timchat_store_open (const char *data_dir, gboolean durable, GError **error);

TimchatAccount *timchat_store_ensure_account (TimchatStore *self, const char *user_id,
                                              GError **error);
TimchatAccount *timchat_store_get_account (TimchatStore *self, const char *user_id);
TimchatAccount *timchat_store_get_account_by_tinyid (TimchatStore *self, guint64 tinyid);
/* Sets the non-NULL nick and avatar and each of fields (TimchatProfileField, may be NULL), all or
 * nothing; a string field set to "" is removed (it reads as unset again). Checks nothing: the
 * caller has (tim_profile_check_value ()). */
gboolean timchat_store_update_profile (TimchatStore *self, const char *user_id, const char *nick,
                                       const char *avatar, GPtrArray *fields, GError **error);
/* The fields user_id has set besides the nick and the avatar (TimchatProfileField), by tag; a
 * field never set is not there. Empty for an unknown user. */
GPtrArray *timchat_store_get_profile_fields (TimchatStore *self, const char *user_id);
gboolean timchat_store_add_ticket (TimchatStore *self, const char *a2, const char *user_id,
                                   gint64 expires, GError **error);
/* The user a2 logs in, NULL if it does not (unknown, expired, revoked); *expires_out (may be
 * NULL) receives when it stops. */
char *timchat_store_check_ticket (TimchatStore *self, const char *a2, gint64 now,
                                  gint64 *expires_out);
/* Voids every ticket of user_id (a2 NULL: a kick), or only its ticket a2 (a logout): a login
 * with it then needs a UserSig again. */
gboolean timchat_store_revoke_tickets (TimchatStore *self, const char *user_id, const char *a2,
                                       GError **error);
/* Creates the account (or finds it), lifts an earlier deletion and sets the non-NULL profile
 * fields, all or nothing (REST account_import). */
gboolean timchat_store_import_account (TimchatStore *self, const char *user_id, const char *nick,
                                       const char *avatar, GError **error);
/* Removes the account, its profile, tickets, conversation list and sync events; its login no
 * longer recreates it until it is imported again. 70107 if there is no such account. */
gboolean timchat_store_delete_account (TimchatStore *self, const char *user_id, GError **error);
gboolean timchat_store_insert_message (TimchatStore *self, TimchatMsg *msg, gboolean *duplicate,
                                       GError **error);
TimchatMsg *timchat_store_find_c2c_message (TimchatStore *self, const char *from_user,
                                            const char *to_user, gint64 client_seq, gint64 random);
TimchatMsg *timchat_store_find_group_message (TimchatStore *self, const char *group_id, gint64 seq);
/* The group message stored under the key a resend is known by (its sender's ClientSeq and
 * Random), or NULL. */
TimchatMsg *timchat_store_find_group_message_by_sender (TimchatStore *self, const char *group_id,
                                                        const char *from_user, gint64 client_seq,
                                                        gint64 random);
TimchatMsg *timchat_store_get_message (TimchatStore *self, gint64 id);
/* What a recalled message's body becomes. Not []: the official SDK drops a history message
 * without elements, and would lose the "recalled" line; an empty text it shows as recalled. */
#define TIMCHAT_RECALLED_BODY "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"\"}}]"

/* Marks msg recalled and removes what it said: its body becomes TIMCHAT_RECALLED_BODY and its
 * custom data and push text go (in msg too), as the vendor removes a recalled message from
 * storage; the message stays in history as a flagged placeholder. The files it mentioned lose
 * that mention (see timchat_store_keep_files ()). */
gboolean timchat_store_recall_message (TimchatStore *self, TimchatMsg *msg, const char *revoker,
                                       gint64 now, const char *notice_json, GError **error);
/* The edit of msg by its sender, as one compare-and-set: it applies only if the stored message is
 * still at `version` and not recalled, and then sets its body (NULL keeps it) and custom data
 * (NULL keeps it) and moves it to version + 1; a C2C edit also appends a TIMCHAT_EVENT_C2C_MODIFY
 * sync event for both users, in the same step. msg is updated to what is stored now, also on
 * failure: TIM_ERROR_MSG_MODIFY_CONFLICT (20027) when another edit came first (msg then holds
 * the current content), TIM_ERROR_MSG_ALREADY_RECALLED when it was recalled. The files the old
 * body mentioned lose that mention, those of the new one gain it (timchat_store_keep_files ()). */
gboolean timchat_store_modify_message (TimchatStore *self, TimchatMsg *msg, gint64 version,
                                       const char *body, const char *cloud_custom_data,
                                       GError **error);
/* owner deleted these messages (gint64 ids) for themselves: their history no longer has them,
 * and a TIMCHAT_EVENT_DELETED_FOR_ME of theirs, written with it, tells their other devices.
 * (transfer full) The ids hidden now (not those hidden already: no event when none), or NULL
 * with error. */
GArray *timchat_store_hide_messages (TimchatStore *self, const char *owner, GArray *msg_ids,
                                     GError **error);
gboolean timchat_store_is_hidden (TimchatStore *self, const char *owner, gint64 msg_id);
/* (transfer full) The @-mentions of user_id still unread: kept, not recalled group messages with
 * id > after_id that mention user_id or everyone (TIM_AT_ALL), in a group user_id is a member
 * of, past their read mark there, not sent by user_id and not deleted by them (hide_messages);
 * oldest first, at most limit. Derived from the messages and read marks: reading the group
 * (mark_read) is what clears them. */
GPtrArray *timchat_store_unread_mentions (TimchatStore *self, const char *user_id, gint64 after_id,
                                          guint limit);
/* The id of the newest message stored (0 when none): openim.getmsg's position among messages. */
gint64 timchat_store_last_message_id (TimchatStore *self);
/* A conversation's messages with seq < before_seq (0: any), newest first, as viewer sees them
 * (without those viewer deleted, nor those up to where they cleared it; NULL: all of them). */
GPtrArray *timchat_store_history (TimchatStore *self, const char *viewer, TimConvType type,
                                  const char *a, const char *b, gint64 before_seq, guint limit);
/* The same messages as timchat_store_history from a time on (the SDK's getMessageListHopping):
 * those with time <= at_time, newest first, or (newer) time >= at_time, oldest first. */
GPtrArray *timchat_store_history_at_time (TimchatStore *self, const char *viewer, TimConvType type,
                                          const char *a, const char *b, gint64 at_time,
                                          gboolean newer, guint limit);
/* C2C messages of a and b with min_time <= time <= max_time and seq < before_seq (0: any),
 * newest first, recalled ones included. */
GPtrArray *timchat_store_c2c_range (TimchatStore *self, const char *a, const char *b,
                                    gint64 min_time, gint64 max_time, gint64 before_seq,
                                    guint limit);
gboolean timchat_store_append_event (TimchatStore *self, const char *user_id, int kind,
                                     const char *payload, GError **error);
GPtrArray *timchat_store_read_events (TimchatStore *self, const char *user_id, gint64 after_id,
                                      guint limit);
gint64 timchat_store_last_event_id (TimchatStore *self, const char *user_id);
/* The highest sync event id and message id ever handed out, whoever they went to (0 when none):
 * ids are never handed out again, so an openim.getmsg Cookie past them is from a log this store
 * does not have (one restored from a backup, or started over). */
void timchat_store_highest_ids (TimchatStore *self, gint64 *event_id, gint64 *message_id);
GPtrArray *timchat_store_list_conversations (TimchatStore *self, const char *user_id, guint limit);
TimchatConversation *timchat_store_get_conversation (TimchatStore *self, const char *user_id,
                                                     TimConvType type, const char *peer);
/* Up to when peer has read user_id's one-to-one messages: the time of the message at peer's read
 * mark in their conversation, 0 when they never read one (or there is none). The conversation's
 * peer_read_time is this. */
gint64 timchat_store_peer_read_time (TimchatStore *self, const char *user_id, const char *peer);
gboolean timchat_store_delete_conversation (TimchatStore *self, const char *user_id,
                                            TimConvType type, const char *peer, GError **error);
/* Clears user_id's history of a conversation (its row: listed or deleted) up to its newest
 * message, *cleared_seq: their history and unread count start after it, for them alone, and a
 * TIMCHAT_EVENT_HISTORY_CLEARED of theirs, written with it, tells their other devices.
 * TIM_ERROR_CONVERSATION_NOT_FOUND when user_id has no such conversation. */
gboolean timchat_store_clear_history (TimchatStore *self, const char *user_id, TimConvType type,
                                      const char *peer, gint64 *cleared_seq, GError **error);
/* Pins (or unpins) one of user_id's listed conversations: pinned ones list first. A conversation
 * not in the list (never had one, or deleted) fails with TIM_ERROR_CONVERSATION_NOT_FOUND;
 * deleting a conversation unpins it. */
gboolean timchat_store_pin_conversation (TimchatStore *self, const char *user_id, TimConvType type,
                                         const char *peer, gboolean pinned, GError **error);
/* Sets the marks `set` and then clears `clear` on one of user_id's listed conversations, and
 * says what its marks were and are now. A conversation not in the list fails with
 * TIM_ERROR_CONVERSATION_NOT_FOUND; deleting a conversation clears its marks. */
gboolean timchat_store_mark_conversation (TimchatStore *self, const char *user_id, TimConvType type,
                                          const char *peer, guint64 set, guint64 clear,
                                          guint64 *before, guint64 *after, GError **error);
/* The user's own words on one of their listed conversations (setConversationCustomData):
 * changed says whether they were other before; a conversation not in the list fails with
 * TIM_ERROR_CONVERSATION_NOT_FOUND; deleting a conversation clears them. */
gboolean timchat_store_set_custom_data (TimchatStore *self, const char *user_id, TimConvType type,
                                        const char *peer, const char *custom_data,
                                        gboolean *changed, GError **error);
/* How user_id hears of peer's messages (C2C: any account, listed or not yet) or of a group's
 * (a member's own; 10007 when not a member). */
gboolean timchat_store_set_remind (TimchatStore *self, const char *user_id, TimConvType type,
                                   const char *peer, TimRemindFlag remind, GError **error);
/* (transfer full) user_id's C2C conversations that are not AcceptAndNotify, as
 * TimchatConversation (peer and remind filled in, nothing else). */
GPtrArray *timchat_store_list_c2c_reminds (TimchatStore *self, const char *user_id);
/* How user_id hears of peer's messages or of a group's: AcceptAndNotify when never set. */
TimRemindFlag timchat_store_get_remind (TimchatStore *self, const char *user_id, TimConvType type,
                                        const char *peer);
/* Moves user_id's read mark of a conversation up to upto_seq (or, when upto_seq <= 0, its newest
 * message with time <= upto_time), never back; the mark, or -1 with
 * TIM_ERROR_CONVERSATION_NOT_FOUND when user_id has no such conversation (nothing to mark) and
 * TIM_ERROR_INTERNAL when storage failed (nothing marked). */
gint64 timchat_store_mark_read (TimchatStore *self, const char *user_id, TimConvType type,
                                const char *peer, gint64 upto_time, gint64 upto_seq,
                                GError **error);
/* The blocklist (the SDK's blacklist): a user owner blocked may not send owner one-to-one
 * messages. Blocking one already blocked keeps the first time; unblocking one not blocked does
 * nothing. The list is oldest first, as TimchatBlocked. Removing an account removes it from
 * every list, and its own. */
gboolean timchat_store_block_user (TimchatStore *self, const char *owner, const char *blocked,
                                   gint64 now, GError **error);
gboolean timchat_store_unblock_user (TimchatStore *self, const char *owner, const char *blocked,
                                     GError **error);
GPtrArray *timchat_store_list_blocked (TimchatStore *self, const char *owner);
gboolean timchat_store_is_blocked (TimchatStore *self, const char *owner, const char *user_id);
/* Applications to join a group that needs approval: one a group and applicant (a new one
 * replaces the old), until handled (deleted) or the group is dismissed. */
gboolean timchat_store_save_application (TimchatStore *self, const TimchatApplication *application,
                                         GError **error);
TimchatApplication *timchat_store_get_application (TimchatStore *self, const char *group_id,
                                                   const char *applicant);
gboolean timchat_store_delete_application (TimchatStore *self, const char *group_id,
                                           const char *applicant, GError **error);
/* The applications manager may answer (groups they own or are an admin of), made from from to to
 * (seconds, both included), oldest first, at most limit (0: all) of them; an applicant who is a
 * member by now (invited meanwhile) is left out. TimchatApplication items. */
GPtrArray *timchat_store_list_applications (TimchatStore *self, const char *manager, gint64 from,
                                            gint64 to, guint limit);

/* A user's folders of conversations: each name once a user (creating one taken fails); a
 * conversation is in a folder or not (changed says whether set_in_folder changed that);
 * deleting a folder takes its conversations out of it. Folders are oldest first (TimchatFolder),
 * their items by folder, then conversation (TimchatFolderItem). Removing an account removes its
 * folders. */
gint64 timchat_store_create_folder (TimchatStore *self, const char *user_id, const char *name,
                                    gint64 now, GError **error);
gboolean timchat_store_rename_folder (TimchatStore *self, gint64 folder_id, const char *name,
                                      GError **error);
gboolean timchat_store_delete_folder (TimchatStore *self, gint64 folder_id, GError **error);
gboolean timchat_store_set_in_folder (TimchatStore *self, gint64 folder_id, int conv_type,
                                      const char *peer, gboolean in, gboolean *changed,
                                      GError **error);
GPtrArray *timchat_store_list_folders (TimchatStore *self, const char *user_id);
GPtrArray *timchat_store_list_folder_items (TimchatStore *self, const char *user_id);

/* A merged message's list of messages (im_long_msg.save_relay_json_msg): msg_list, a MsgList as
 * JSON text, kept under key (the caller makes it: the key is all a reader needs) with who saved
 * it and when. It is durable once timchat_store_after_commit () says so. Retention
 * (purge_before) removes it once its time is older: the time it was saved, moved forward by each
 * message stored (timchat_store_insert_message ()) and each list saved that names its key, at any
 * depth, so it lives as long as the newest message that carries its key; and a recall
 * of the last stored message that carries it (timchat_store_recall_message ()) removes it at once.
 * The uploads it mentions are kept as long as it is, as a message's are. A key already taken fails
 * (TIM_ERROR_INTERNAL). */
gboolean timchat_store_save_relay_list (TimchatStore *self, const char *key, const char *owner,
                                        gint64 created, const char *msg_list, GError **error);
/* (transfer full) The MsgList saved under key as JSON text, NULL when there is none (never
 * saved, or removed by retention). */
char *timchat_store_get_relay_list (TimchatStore *self, const char *key);
/* A message about to be sent carries key: moves the list's time forward to time (never back).
 * No list with that key fails with TIM_ERROR_MESSAGE_MERGER_KEY_INVALID, which is how the send
 * path refuses a key never saved. */
gboolean timchat_store_use_relay_list (TimchatStore *self, const char *key, gint64 time,
                                       GError **error);
gboolean timchat_store_create_group (TimchatStore *self, TimchatGroup *group, GPtrArray *members,
                                     GError **error);
TimchatGroup *timchat_store_get_group (TimchatStore *self, const char *group_id);
GPtrArray *timchat_store_list_members (TimchatStore *self, const char *group_id);
TimchatMember *timchat_store_get_member (TimchatStore *self, const char *group_id,
                                         const char *user_id);
gboolean timchat_store_add_member (TimchatStore *self, const char *group_id, TimchatMember *member,
                                   GError **error);
/* Removes every one of user_ids (strings) from group_id, or none. */
gboolean timchat_store_remove_members (TimchatStore *self, const char *group_id,
                                       GPtrArray *user_ids, GError **error);
gboolean timchat_store_set_member_role (TimchatStore *self, const char *group_id,
                                        const char *user_id, const char *role, GError **error);
/* user_id may not post in group_id before mute_until (seconds; 0 lifts it). */
gboolean timchat_store_set_member_mute_until (TimchatStore *self, const char *group_id,
                                              const char *user_id, gint64 mute_until,
                                              GError **error);
gboolean timchat_store_set_member_name_card (TimchatStore *self, const char *group_id,
                                             const char *user_id, const char *name_card,
                                             GError **error);
/* Applies change and counts a new profile version (InfoSeq) at time; the group's new picture
 * is kept and the old one starts its retention, as with a profile's avatar. */
gboolean timchat_store_update_group (TimchatStore *self, const char *group_id,
                                     const TimchatGroupChange *change, gint64 time, GError **error);
gboolean timchat_store_dismiss_group (TimchatStore *self, const char *group_id, GError **error);
GPtrArray *timchat_store_joined_groups (TimchatStore *self, const char *user_id);
/* Retention, a bounded step at a time: removes at most `limit` messages (and as many sync events,
 * and as many merged messages' lists) older than time. Returns the largest of the counts: call
 * again while it is `limit`. */
guint timchat_store_purge_before (TimchatStore *self, gint64 time, guint limit);
/* Uploaded files (the names of /files/NAME) live as long as the newest message that mentions
 * them: keep_files () lists an upload with its time; timchat_store_insert_message () moves the
 * time of the files a message mentions forward by itself. expired_files () names at most
 * `limit` of those whose time is older than `time`, for the sweep to remove from disk and then
 * forget_files (). Files never listed are never named.
 * A recall takes its message's mentions off (timchat_store_recall_message ()); the files that no
 * stored message mentions any more get the time 0 (expired_files (self, 1, …) names them) and
 * TimchatStore::files-unused is emitted.
 * A profile's avatar or a group's picture is kept while one shows it (TIMCHAT_STORE_PINNED as
 * its time, which no sweep and no recall reaches): set_profile (), import_account (),
 * delete_account (), create_group () and dismiss_group () do it by themselves, and a picture
 * that none shows any more starts its retention then. */
#define TIMCHAT_STORE_PINNED G_MAXINT64
gboolean timchat_store_keep_files (TimchatStore *self, const char *const *names, gint64 time,
                                   GError **error);
GPtrArray *timchat_store_expired_files (TimchatStore *self, gint64 time, guint limit);
gboolean timchat_store_forget_files (TimchatStore *self, GPtrArray *names, GError **error);
/* Writes are grouped: an engine may keep one transaction open for everything done in one
 * main-loop iteration and commit it once. Whatever acknowledges a write (a reply, a push) goes
 * through here, so nothing is acknowledged before it is durable. Runs at once when nothing is
 * pending. */
void timchat_store_after_commit (TimchatStore *self, TimchatAfterCommit func, gpointer user_data);
/* A command's writes are one (the command table's dispatch brackets every handler): what it
 * writes between these is kept whole, or with keep FALSE undone whole, and then what it queued
 * with timchat_store_after_commit () is handed FALSE at once, as for a lost commit. Not nested.
 * An engine may open nothing until the command's first write. */
void timchat_store_begin_command (TimchatStore *self);
void timchat_store_end_command (TimchatStore *self, gboolean keep);
/* For engines: emits TimchatStore::disk-failed (see timchat-store.c). */
void timchat_store_disk_failed (TimchatStore *self);
/* For a clean shutdown: commits what is open and runs the main context until everything that
 * waits in timchat_store_after_commit () has been handed back (at most timeout_ms). */
void timchat_store_flush (TimchatStore *self, guint timeout_ms);
/* What a recall or the retention sweep removes leaves the files at once, but an engine with a
 * log beside its files (SQLite's WAL) may keep it there a while: at most this long, however busy
 * the server is (default 30 s). */
void timchat_store_set_erase_seconds (TimchatStore *self, guint seconds);

void timchat_account_free (TimchatAccount *account);
/* text NULL: an integer field of value number. */
TimchatProfileField *timchat_profile_field_new (const char *tag, const char *text, gint64 number);
void timchat_profile_field_free (TimchatProfileField *field);
void timchat_msg_free (TimchatMsg *msg);
TimchatMsg *timchat_msg_copy (const TimchatMsg *msg);
void timchat_event_free (TimchatEvent *event);
void timchat_conversation_free (TimchatConversation *conversation);
void timchat_group_free (TimchatGroup *group);
void timchat_member_free (TimchatMember *member);
void timchat_blocked_free (TimchatBlocked *blocked);
void timchat_application_free (TimchatApplication *application);
void timchat_folder_free (TimchatFolder *folder);
void timchat_folder_item_free (TimchatFolderItem *item);
TimchatMember *timchat_member_new (const char *user_id, const char *role, gint64 join_time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatAccount, timchat_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatProfileField, timchat_profile_field_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatMsg, timchat_msg_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatEvent, timchat_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatConversation, timchat_conversation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatGroup, timchat_group_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatMember, timchat_member_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatApplication, timchat_application_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatFolder, timchat_folder_free)

G_END_DECLS
