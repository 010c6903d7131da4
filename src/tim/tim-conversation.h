/* tim-conversation.h: one conversation as the seed's Conversation describes it. */
#pragma once

#include "tim-message.h"

G_BEGIN_DECLS

#define TIM_TYPE_CONVERSATION (tim_conversation_get_type ())
G_DECLARE_FINAL_TYPE (TimConversation, tim_conversation, TIM, CONVERSATION, GObject)

const char *tim_conversation_get_id (TimConversation *self); /* "C2Cbob", "GROUPg1" */
TimConvType tim_conversation_get_conversation_type (TimConversation *self);
const char *tim_conversation_get_peer (TimConversation *self); /* user or group ID */
guint tim_conversation_get_unread_count (TimConversation *self);
/* (nullable) (transfer none) */
TimMessage *tim_conversation_get_last_message (TimConversation *self);
gint64 tim_conversation_get_last_time (TimConversation *self);
/* The seed's lastMessage.messageForShow; "" without a last message. */
const char *tim_conversation_get_message_for_show (TimConversation *self);
gboolean tim_conversation_get_is_pinned (TimConversation *self);
/* The user's marks on it (the Web SDK's markList, as bits): TIM_CONV_MARK_* (tim-conv.h) and any
 * of the 64 an app gives a meaning; set with tim_client_mark_conversation_async (). Reading the
 * conversation takes TIM_CONV_MARK_UNREAD away, here and on every device. */
guint64 tim_conversation_get_marks (TimConversation *self);
/* Display name: the peer's nick or the group name, else the ID. */
const char *tim_conversation_get_name (TimConversation *self);
const char *tim_conversation_get_avatar (TimConversation *self);
gint64 tim_conversation_get_peer_read_time (TimConversation *self);
const char *tim_conversation_get_group_type (TimConversation *self);
/* A group's introduction and notification (its announcement), and whether only the owner and
 * admins may post (mute-all): as the group's profile last said, or its tips since; NULL and FALSE
 * until the profile is fetched (tim_client_get_conversation_profile_async). */
const char *tim_conversation_get_group_introduction (TimConversation *self);
const char *tim_conversation_get_group_notification (TimConversation *self);
gboolean tim_conversation_get_group_mute_all (TimConversation *self);
/* The signed-in user's role in the group ("Owner", "Admin", "Member"), from the profile and from
 * the admin tips since; NULL until the profile is fetched. */
const char *tim_conversation_get_group_self_role (TimConversation *self);
/* How the user hears of its messages (the Web SDK's messageRemindType): a TIM_REMIND_*
 * (tim-conv.h), never NULL. Muted is anything but AcceptAndNotify: no notification. Discarded
 * (Discard) is muted too, and more: its messages do not arrive and nothing counts as unread;
 * they are in the history. */
const char *tim_conversation_get_message_remind_type (TimConversation *self);
gboolean tim_conversation_get_is_muted (TimConversation *self);
gboolean tim_conversation_get_is_discarded (TimConversation *self);
/* FALSE only when the group is muted for all and the user is known to be a plain member (the
 * server would refuse with TIM_ERROR_GROUP_MUTED); TRUE for any other conversation. */
gboolean tim_conversation_get_can_post (TimConversation *self);
/* Until when the signed-in user is muted in the group (seconds since the epoch; the Web SDK's
 * selfInfo.muteUntil), 0 when not: from the profile and from the mute tips (7) naming the user.
 * get_can_post is FALSE until then; a UI refreshes itself when the time comes. */
gint64 tim_conversation_get_group_self_mute_until (TimConversation *self);
/* Whether an unread message of the group mentions the user (TIM_GROUP_AT_ME), everyone
 * (TIM_GROUP_AT_ALL), or both: the Web SDK's groupAtInfoList, as flags. Cleared when the
 * conversation is read, here or on another device. */
TimGroupAtType tim_conversation_get_group_at_type (TimConversation *self);
/* C2C: the peer is typing (their "typing" notice came less than TIM_TYPING_EXPIRE_MS ago, and no
 * "stopped" or message since). */
#define TIM_TYPING_EXPIRE_MS 7000
gboolean tim_conversation_get_peer_typing (TimConversation *self);
/* C2C: whether the peer is online (the Web SDK's getUserStatus), followed by libtim for every
 * one-to-one conversation of the list while logged in; TIM_USER_STATUS_UNKNOWN until the server
 * says, after a logout, and for groups. */
TimUserStatus tim_conversation_get_peer_status (TimConversation *self);
/* C2C: the peer's custom status ("In a meeting"; the Web SDK's customStatus) while they are
 * online, else "". */
const char *tim_conversation_get_peer_custom_status (TimConversation *self);
/* What the user began writing here and has not sent (the native SDKs' draftText), "" when
 * nothing: set with tim_client_set_conversation_draft (). */
const char *tim_conversation_get_draft_text (TimConversation *self);
/* The names of the user's folders it is in (the Web SDK's conversationGroupList), in the
 * folders' order; empty when none. Set with tim_client_set_in_folder_async (). */
const char *const *tim_conversation_get_folders (TimConversation *self);
gboolean tim_conversation_is_in_folder (TimConversation *self, const char *folder);
/* The user's own words on it (the Web SDK's customData, at most 256 characters; "" when none),
 * the same on every device: set with tim_client_set_conversation_custom_data_async (). */
const char *tim_conversation_get_custom_data (TimConversation *self);

/* Private to libtim. */
TimConversation *_tim_conversation_new (const char *conversation_id);
void _tim_conversation_set_unread_count (TimConversation *self, guint unread);
void _tim_conversation_set_last_message (TimConversation *self, TimMessage *message,
                                         const char *message_for_show);
void _tim_conversation_set_last_time (TimConversation *self, gint64 time);
void _tim_conversation_set_is_pinned (TimConversation *self, gboolean pinned);
void _tim_conversation_set_marks (TimConversation *self, guint64 marks);
void _tim_conversation_set_folders (TimConversation *self, const char *const *folders);
void _tim_conversation_set_custom_data (TimConversation *self, const char *custom_data);
void _tim_conversation_set_message_remind_type (TimConversation *self, const char *remind_type);
/* The list's order among conversations whose last messages share a second (0: not since start). */
guint64 _tim_conversation_get_arrival (TimConversation *self);
void _tim_conversation_set_arrival (TimConversation *self, guint64 arrival);
/* A group's newest sequence heard of from any source (the server's list, a message taken, a
 * history page): what reading it reads up to. Only ever grows; 0 when nothing was heard. */
gint64 _tim_conversation_get_newest_seq (TimConversation *self);
void _tim_conversation_note_seq (TimConversation *self, gint64 seq);
/* The group's NextMsgSeq in the joined-group list whose word on the group and on the user's role
 * in it the conversation took last: a tip before it is older than that word. Only ever grows. */
gint64 _tim_conversation_get_listed_seq (TimConversation *self);
void _tim_conversation_note_listed_seq (TimConversation *self, gint64 seq);
/* Whether the name or the avatar shown changed. */
gboolean _tim_conversation_set_profile (TimConversation *self, const char *name,
                                        const char *avatar);
/* The same where NULL keeps the name or the avatar as it is (a group's profile change). */
gboolean _tim_conversation_update_profile (TimConversation *self, const char *name,
                                           const char *avatar);
void _tim_conversation_set_peer_read_time (TimConversation *self, gint64 time);
void _tim_conversation_set_group_type (TimConversation *self, const char *group_type);
/* NULL, or mute_all -1, keep what the conversation has. */
void _tim_conversation_set_group_info (TimConversation *self, const char *introduction,
                                       const char *notification, int mute_all);
/* NULL keeps the role as it is. */
void _tim_conversation_set_group_self_role (TimConversation *self, const char *role);
void _tim_conversation_set_group_self_mute_until (TimConversation *self, gint64 mute_until);
void _tim_conversation_set_group_at_type (TimConversation *self, TimGroupAtType type);
/* TRUE sets it until expire_ms pass without another TRUE; FALSE clears it. */
void _tim_conversation_set_peer_typing (TimConversation *self, gboolean typing, guint expire_ms);
void _tim_conversation_set_draft_text (TimConversation *self, const char *text);
void _tim_conversation_set_peer_status (TimConversation *self, TimUserStatus status);
/* NULL: "". */
void _tim_conversation_set_peer_custom_status (TimConversation *self, const char *custom_status);

G_END_DECLS
