/* tim-client.h: the Tencent Chat SDK API for C/GObject: login, messages of every type, history
 * paging, read state, conversations, groups; a local store that shows what it has at once and
 * an outbox that never loses or doubles a message. The group calls are declared in
 * tim-client-groups.h, which this header includes: one include gives the whole API. */
#pragma once

#include <gio/gio.h>

#include "tim-conversation-list.h"
#include "tim-message-list.h"
#include "tim-types.h"

G_BEGIN_DECLS

#define TIM_TYPE_CLIENT (tim_client_get_type ())
G_DECLARE_FINAL_TYPE (TimClient, tim_client, TIM, CLIENT, GObject)

/* server_url: "ws://127.0.0.1:8080". data_dir: where per-account stores live (NULL: the user
 * data dir, ~/.local/share/timchat). */
TimClient *tim_client_new (const char *server_url, guint64 sdkappid, const char *data_dir);
const char *tim_client_get_user (TimClient *self);
TimNetState tim_client_get_net_state (TimClient *self);
/* While it waits to reconnect: tries now (the app knows the server is back, e.g. it just
 * started it). Nothing otherwise. */
void tim_client_reconnect_now (TimClient *self);
gboolean tim_client_get_is_ready (TimClient *self);

/* Opens the account's local store (the conversation list fills at once from it), then logs in;
 * "ready" follows when the first sync is done. */
void tim_client_login_async (TimClient *self, const char *user_id, const char *usersig,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean tim_client_login_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_logout (TimClient *self);
/* Removes user_id's local store from this client's data directory when nothing of the account is
 * in it (no login ever succeeded with it, nothing waits to be sent) and no client in any process
 * has it open, this one included: what a refused first login leaves, since the store opens before
 * the server answers. G_IO_ERROR_EXISTS and G_IO_ERROR_BUSY otherwise; TRUE when there is none. */
gboolean tim_client_remove_unused_store (TimClient *self, const char *user_id, GError **error);

/* Message creation, as the seed's createXxxMessage. Media constructors read nothing yet: the
 * size/duration/thumbnail are probed when sending (or earlier with tim_client_prepare_message). */
TimMessage *tim_client_create_text_message (TimClient *self, const char *to, TimConvType type,
                                            const char *text);
/* A group text that mentions at_user_list (user IDs; TIM_AT_ALL for everyone), as the Web SDK's
 * createTextAtMessage: the mentioned members see the group marked (TimConversation:group-at-type)
 * until they read it. A repeated ID counts once. */
TimMessage *tim_client_create_text_at_message (TimClient *self, const char *group_id,
                                               const char *text, const char *const *at_user_list);
TimMessage *tim_client_create_image_message (TimClient *self, const char *to, TimConvType type,
                                             GFile *file);
/* A new path in the account's folder of outgoing media (created), for a file the app makes and
 * then sends (a voice recording, say): "PREFIX-RANDOM.EXTENSION". The file stays there, so a crash
 * before its upload finishes loses nothing. */
char *tim_client_new_outgoing_path (TimClient *self, const char *prefix, const char *extension,
                                    GError **error);
/* A pasted screenshot: PNG bytes, written to the account's outgoing media first. */
TimMessage *tim_client_create_image_message_from_bytes (TimClient *self, const char *to,
                                                        TimConvType type, GBytes *png,
                                                        GError **error);
TimMessage *tim_client_create_audio_message (TimClient *self, const char *to, TimConvType type,
                                             GFile *file);
TimMessage *tim_client_create_video_message (TimClient *self, const char *to, TimConvType type,
                                             GFile *file);
TimMessage *tim_client_create_file_message (TimClient *self, const char *to, TimConvType type,
                                            GFile *file);
TimMessage *tim_client_create_custom_message (TimClient *self, const char *to, TimConvType type,
                                              const char *data, const char *description,
                                              const char *extension);
TimMessage *tim_client_create_face_message (TimClient *self, const char *to, TimConvType type,
                                            int index, const char *data);
TimMessage *tim_client_create_location_message (TimClient *self, const char *to, TimConvType type,
                                                const char *description, double longitude,
                                                double latitude);
/* The Web SDK's createForwardMessage: a new message to `to` with what message holds (its element
 * and cloud custom data). Media go by the URLs they already have, not uploaded again; one that
 * never reached the server (a failed or unsent upload) takes its local file, which the send
 * uploads. A group tip or notice, or a recalled message, cannot be forwarded: NULL and
 * TIM_ERROR_MESSAGE_FORWARD_TYPE_INVALID. */
TimMessage *tim_client_create_forward_message (TimClient *self, const char *to, TimConvType type,
                                               TimMessage *message, GError **error);
/* The Web SDK's createMergerMessage: one message to `to` that carries messages (1 to
 * TIM_MAX_MERGER_MESSAGES, in the order given; the app passes them oldest first) as a chat
 * history (TIM_ELEM_RELAY). title is what the history is called ("Chat History of Alice and
 * Bob"); abstracts its first lines as shown before it is opened (NULL: "Name: summary" of the
 * first three); compatible_text what a client that cannot show merged messages shows (NULL: the
 * title). Each message must have reached the server and be forwardable (not recalled, not a group
 * tip or notice), else NULL and TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID. A history over
 * TIM_MERGER_INLINE_MAX_BYTES goes up first when sent (as the SDK does) and the message carries
 * only its key; this device keeps the messages with it either way. A title and abstracts too long
 * to fit a message beside that key fail with TIM_ERROR_BODY_TOO_LARGE. */
TimMessage *tim_client_create_merger_message (TimClient *self, const char *to, TimConvType type,
                                              GPtrArray *messages, const char *title,
                                              const char *const *abstracts,
                                              const char *compatible_text, GError **error);
/* The Web SDK's downloadMergerMessage: the messages a merged message carries, as TimMessage
 * instances of their own (each with its sender, time and content; in no list, read-only). Those
 * that came with the message are there at once; those behind a key are fetched once and kept
 * with the message, on this device. TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID for another kind of
 * message, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID for one with neither, and
 * TIM_ERROR_MESSAGE_MERGER_DOWNLOAD_FAIL (its message says why) when the server cannot give them,
 * at once when the client is not connected. finish: (transfer full) a GPtrArray of TimMessage. */
void tim_client_download_merger_message_async (TimClient *self, TimMessage *message,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *tim_client_download_merger_message_finish (TimClient *self, GAsyncResult *result,
                                                      GError **error);
void tim_message_set_priority_for_send (TimMessage *message, TimPriority priority);

/* Sends: the message is written to the outbox (and shown, status unSend) before anything goes on
 * the wire; media are probed and uploaded with progress. Completes when the server stored it.
 * A failure leaves the message "fail" with its error; resend it with resend_message. */
void tim_client_send_message_async (TimClient *self, TimMessage *message,
                                    const TimSendOptions *options, TimProgressFunc progress,
                                    gpointer progress_data, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_send_message_finish (TimClient *self, GAsyncResult *result, GError **error);
/* Stops the send of a message still in the outbox, a caller's or one the login resumed (which no
 * caller's cancellable reaches): it ends "fail" with G_IO_ERROR_CANCELLED, at once when waiting,
 * as its upload or request stops when under way (one on the wire may have reached the server: a
 * resend then finds it there). Returns whether it was in the outbox. */
gboolean tim_client_cancel_send (TimClient *self, TimMessage *message);
/* Only for failed messages; same ID, random and sequence, so the server deduplicates. */
void tim_client_resend_message_async (TimClient *self, TimMessage *message,
                                      TimProgressFunc progress, gpointer progress_data,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean tim_client_resend_message_finish (TimClient *self, GAsyncResult *result, GError **error);
/* Completes once none of the messages in the outbox now (sends not answered yet, and those a
 * login resumed from the local store) is in it any more: each sent, failed, deleted, or, at a
 * logout, kept in the store for the next session. Messages sent after the call are not waited
 * for. For a program about to exit (timchat-cli), so that what an earlier run left queued goes
 * out rather than being cut short again. */
void tim_client_wait_outbox_async (TimClient *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_wait_outbox_finish (TimClient *self, GAsyncResult *result, GError **error);
/* Messages that say keyword (their text, a file's name or a custom message's description;
 * any part of a word, case-insensitive for Latin letters) among those this device has seen, in
 * conversation_id or in every conversation (NULL), newest first, at most limit (0: 50; at most
 * 500). Blank keyword: TIM_ERROR_INVALID_PARAMETER. finish: (transfer full) a GPtrArray of
 * TimMessage, the same instances the lists hold. */
void tim_client_search_messages_async (TimClient *self, const char *conversation_id,
                                       const char *keyword, guint limit, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *tim_client_search_messages_finish (TimClient *self, GAsyncResult *result,
                                              GError **error);
/* Tells the peer of a C2C conversation that the user is typing (TRUE) or has stopped (FALSE),
 * as Tencent's TUIKit does (an online-only custom message, businessID "user_typing_status"):
 * their TimConversation:peer-typing follows. Call it as the text changes: a notice goes out at
 * most every TIM_TYPING_RESEND_MS while typing, and "stopped" only after a "typing". Nothing is
 * sent while offline or for a group; nothing is kept or counted. */
#define TIM_TYPING_RESEND_MS 4000
void tim_client_set_typing (TimClient *self, const char *conversation_id, gboolean typing);
/* The Web SDK's modifyMessage: the sender's own sent message gets payload (of its element type:
 * a text stays a text) on every device of both sides and in the history, where it shows as edited
 * (TimMessage:version, TimMessage:is-modified; "message-modified" everywhere). Fails with
 * TIM_ERROR_MESSAGE_MODIFY_CONFLICT (2480) when another device's edit came first: the message then
 * shows that one. */
void tim_client_modify_message_async (TimClient *self, TimMessage *message, JsonObject *payload,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean tim_client_modify_message_finish (TimClient *self, GAsyncResult *result, GError **error);
/* The same for a text: its new text (finish with tim_client_modify_message_finish ()). */
void tim_client_modify_text_async (TimClient *self, TimMessage *message, const char *text,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
/* The Web SDK's deleteMessage: 1 to 30 messages of one conversation deleted for the signed-in
 * user only: gone from this device (its store, its lists, the conversation's last message) and
 * from the user's history on the server, so other devices no longer page them in; the others in
 * the conversation keep them. One never stored by the server (unsent, failed, online-only) goes
 * from here only; one still queued to be sent never goes out (its send fails with
 * G_IO_ERROR_CANCELLED). Group Notices cannot be deleted
 * (TIM_ERROR_CANNOT_DELETE_GROUP_SYSTEM_NOTICE). When the local store cannot forget them, the
 * call fails with its error and they stay here as they were (shown, and queued if they were). */
void tim_client_delete_messages_async (TimClient *self, GPtrArray *messages,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean tim_client_delete_messages_finish (TimClient *self, GAsyncResult *result, GError **error);
/* Clears the user's history of a conversation (the Web SDK's clearHistoryMessage): read first,
 * then everything up to its newest message leaves the user's history on the server and this
 * device (its lists, store and last message; "message-deleted" for the messages in use), on the
 * user's other devices too; the conversation stays in the list, and the others in it keep their
 * history. Messages still being sent stay. TIM_ERROR_CONVERSATION_NOT_FOUND for a conversation
 * not in the list, TIM_ERROR_INVALID_CONVERSATION_ID for a malformed ID. Group Notices are
 * cleared on this device only (the server has no history of them). */
void tim_client_clear_history_async (TimClient *self, const char *conversation_id,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean tim_client_clear_history_finish (TimClient *self, GAsyncResult *result, GError **error);
/* The Web SDK's revokeMessage: the sent message is recalled on the server, then here. An answer
 * "already recalled" (the transport sent the request again after a reconnect, and its first copy
 * recalled it) is a success too: the message is recalled here and the call succeeds. */
void tim_client_revoke_message_async (TimClient *self, TimMessage *message,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean tim_client_revoke_message_finish (TimClient *self, GAsyncResult *result, GError **error);

/* The seed's getMessageList: oldest first, count ≤ 15 (clamped), paging with
 * next_req_message_id; served from the local store first, the server when needed. */
void tim_client_get_message_list_async (TimClient *self, const char *conversation_id,
                                        const char *next_req_message_id, guint count,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* (transfer container) (element-type TimMessage) */
GPtrArray *tim_client_get_message_list_finish (TimClient *self, GAsyncResult *result,
                                               char **next_req_message_id, gboolean *is_completed,
                                               GError **error);
void tim_client_set_message_read_async (TimClient *self, const char *conversation_id,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean tim_client_set_message_read_finish (TimClient *self, GAsyncResult *result, GError **error);
/* The Web SDK's setAllMessageRead: every conversation read at once (one request), the peers told
 * as by tim_client_set_message_read_async (); Group Notices are read locally, as there. */
void tim_client_set_all_message_read_async (TimClient *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_set_all_message_read_finish (TimClient *self, GAsyncResult *result,
                                                 GError **error);
void tim_client_get_conversation_profile_async (TimClient *self, const char *conversation_id,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
TimConversation *tim_client_get_conversation_profile_finish (TimClient *self, GAsyncResult *result,
                                                             GError **error);
/* The logged-in user's own nickname and avatar URL ("" when unset), which others see with this
 * user's messages and conversation, as the server has them now (also TimClient:nick and
 * :avatar). */
void tim_client_get_my_profile_async (TimClient *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_get_my_profile_finish (TimClient *self, GAsyncResult *result, char **nick,
                                           char **avatar, GError **error);
/* Sets them; NULL leaves one as it is, "" clears it. A value over 500 bytes fails with
 * TIM_ERROR_PROFILE_VALUE_TOO_LONG before anything is sent. */
void tim_client_update_my_profile_async (TimClient *self, const char *nick, const char *avatar,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean tim_client_update_my_profile_finish (TimClient *self, GAsyncResult *result,
                                              GError **error);
/* Uploads image (the server checks it is one, under 20 MB) and makes its 198 px version the
 * user's avatar. Completes with the avatar's URL (transfer full). Errors are the upload's
 * (2251 - 2253...) or the profile's; a logout or the client's dispose before it ends cancels it
 * (G_IO_ERROR_CANCELLED), as it does a request. */
void tim_client_set_my_avatar_async (TimClient *self, GFile *image, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
char *tim_client_set_my_avatar_finish (TimClient *self, GAsyncResult *result, GError **error);
/* TimClient:nick and :avatar: the user's own as last heard ("" when unset, or before the first
 * login's answer): read at each login, changed by the calls above and by a change made on another
 * of the user's devices (the Web SDK's PROFILE_UPDATED for itself), each notified on change, so a
 * UI may bind them. */
const char *tim_client_get_nick (TimClient *self);
const char *tim_client_get_avatar (TimClient *self);
/* Removes the conversation from the list; its messages stay (a new message brings it back). */
void tim_client_delete_conversation_async (TimClient *self, const char *conversation_id,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
gboolean tim_client_delete_conversation_finish (TimClient *self, GAsyncResult *result,
                                                GError **error);
/* The Web SDK's pinConversation: a pinned conversation lists first (TimConversation:is-pinned),
 * here and on the user's other devices at their next login. One not in the list fails with
 * TIM_ERROR_CONVERSATION_NOT_FOUND before anything is sent; pinning a pinned one succeeds
 * without asking the server. Deleting a conversation unpins it. */
void tim_client_pin_conversation_async (TimClient *self, const char *conversation_id,
                                        gboolean pinned, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_pin_conversation_finish (TimClient *self, GAsyncResult *result, GError **error);
/* The Web SDK's markConversation: sets (enable) or clears the marks `marks` (TIM_CONV_MARK_*, or
 * any bits an app gives a meaning; one or more) on a listed conversation
 * (TimConversation:marks), kept on the server for every device. Reading the conversation, here
 * or elsewhere, takes TIM_CONV_MARK_UNREAD away. No marks fails with
 * TIM_ERROR_INVALID_PARAMETER, a conversation not listed with TIM_ERROR_CONVERSATION_NOT_FOUND,
 * both before anything is sent; marks already so succeed without asking the server. Deleting a
 * conversation clears its marks. */
void tim_client_mark_conversation_async (TimClient *self, const char *conversation_id,
                                         guint64 marks, gboolean enable, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_mark_conversation_finish (TimClient *self, GAsyncResult *result,
                                              GError **error);
/* The Web SDK's setConversationCustomData: the user's own words on a listed conversation (at
 * most 256 characters; NULL or "" clears them), kept on the server for every device
 * (TimConversation:custom-data follows there at once, and after each login). Too long is
 * TIM_ERROR_INVALID_PARAMETER, a conversation not listed TIM_ERROR_CONVERSATION_NOT_FOUND, both
 * before anything is sent. */
void tim_client_set_conversation_custom_data_async (TimClient *self, const char *conversation_id,
                                                    const char *custom_data,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
gboolean tim_client_set_conversation_custom_data_finish (TimClient *self, GAsyncResult *result,
                                                         GError **error);
/* The user's custom status (the Web SDK's setSelfStatus): what the peers who follow whether the
 * user is online see with it ("In a meeting"), at most TIM_MAX_CUSTOM_STATUS_BYTES of UTF-8, ""
 * for none. Kept on this device and set again at each login (the server forgets it whenever the
 * user is not online); one set on another device is taken too. */
const char *tim_client_get_self_status (TimClient *self);
void tim_client_set_self_status_async (TimClient *self, const char *custom_status,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean tim_client_set_self_status_finish (TimClient *self, GAsyncResult *result, GError **error);
/* The Web SDK's getUserStatus: whether each of user_ids (1 – 500 user IDs) is online now, and
 * their custom status. Completes with a GPtrArray of TimUserStatusInfo, one a user in the order
 * asked (TIM_USER_STATUS_UNKNOWN for an ID with no account). No IDs, too many or one that is not
 * a user ID fail with TIM_ERROR_INVALID_PARAMETER before anything is sent. */
void tim_client_get_user_status_async (TimClient *self, const char *const *user_ids,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
GPtrArray *tim_client_get_user_status_finish (TimClient *self, GAsyncResult *result,
                                              GError **error);
/* The Web SDK's subscribeUserStatus: from now on "user-status-updated" tells whenever one of
 * user_ids (1 – 100 user IDs) comes online, goes offline, logs out or changes their custom
 * status, until unsubscribed or the user logs out; libtim follows them again after each
 * reconnection. Completes with their statuses now, as tim_client_get_user_status_finish ()
 * does. One the server would not follow (no account, or the user follows as many as they may) is
 * TIM_USER_STATUS_UNKNOWN with the reason in its error_code, and is not subscribed (the SDK's
 * failureUserList); when none could be, the call fails with that code
 * (TIM_ERROR_ACCOUNT_NOT_FOUND, say). A failed or cancelled call subscribes nobody.
 * Subscriptions are counted: each is undone by one unsubscribe, so two parts of an app may follow
 * one user (the SDK keeps a set). The peers of the list's one-to-one conversations are followed
 * anyway. */
void tim_client_subscribe_user_status_async (TimClient *self, const char *const *user_ids,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *tim_client_subscribe_user_status_finish (TimClient *self, GAsyncResult *result,
                                                    GError **error);
/* The Web SDK's unsubscribeUserStatus: undoes one subscription of each of user_ids (NULL: every
 * subscription). The server stops telling of a user once nothing follows them here, a peer of the
 * list's conversations still being followed. */
void tim_client_unsubscribe_user_status (TimClient *self, const char *const *user_ids);
/* The Web SDK's setMessageRemindType: how the user hears of a listed conversation
 * (TimConversation:message-remind-type, a TIM_REMIND_*), kept on the server for every device;
 * a muted one (AcceptNotNotify or Discard) gets no notification in a UI. A name other than the
 * three fails with TIM_ERROR_INVALID_PARAMETER, a conversation not listed with
 * TIM_ERROR_CONVERSATION_NOT_FOUND, both before anything is sent. */
void tim_client_set_message_remind_type_async (TimClient *self, const char *conversation_id,
                                               const char *remind_type, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_set_message_remind_type_finish (TimClient *self, GAsyncResult *result,
                                                    GError **error);
/* The native SDKs' setConversationDraft: keeps what the user began writing in a C2C or group
 * conversation and has not sent, on this device only (drafts do not roam, as with the vendor's
 * SDKs), across restarts; NULL or "" removes it. The conversation shows it as
 * TimConversation:draft-text while listed; a draft may wait for a conversation not listed yet.
 * Deleting the conversation (here, on another device, or leaving the group) removes its draft.
 * Fails with TIM_ERROR_NOT_LOGGED_IN before login, TIM_ERROR_INVALID_CONVERSATION_ID, or
 * TIM_ERROR_INVALID_PARAMETER for text that is not UTF-8 or longer than TIM_DRAFT_MAX_BYTES. */
#define TIM_DRAFT_MAX_BYTES (1024 * 1024)
gboolean tim_client_set_conversation_draft (TimClient *self, const char *conversation_id,
                                            const char *draft_text, GError **error);
/* The draft of conversation_id, listed or not; "" when none (or before login). */
char *tim_client_dup_conversation_draft (TimClient *self, const char *conversation_id);

/* The Web SDK's blacklist, here "blocklist": users who cannot send the signed-in user one-to-one
 * messages (their sends fail with TIM_ERROR_MSG_IN_PEER_BLACKLIST, 20007); the user can still
 * write to them, and groups are not affected. Kept on the server for every device: read at each
 * login, and "blocklist-updated" is emitted whenever it changes, here or on another device.
 * get reads it from the server again (a sorted GStrv); dup and is_blocked answer from what is
 * known. add and remove take 1 to TIM_BLOCKLIST_MAX_CHANGE user IDs and complete once the server
 * has them (the list changes as its push arrives, before that); they fail with
 * TIM_ERROR_INVALID_PARAMETER for a bad list, TIM_ERROR_CANNOT_ADD_SELF_TO_BLACKLIST (2742, before
 * anything is sent) for oneself, or with the code of the first user the server refused (30003: no
 * such account), the others being done. */
#define TIM_BLOCKLIST_MAX_CHANGE 1000
void tim_client_get_blocklist_async (TimClient *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
GStrv tim_client_get_blocklist_finish (TimClient *self, GAsyncResult *result, GError **error);
GStrv tim_client_dup_blocklist (TimClient *self);
gboolean tim_client_is_blocked (TimClient *self, const char *user_id);
void tim_client_add_to_blocklist_async (TimClient *self, const char *const *user_ids,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean tim_client_add_to_blocklist_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_remove_from_blocklist_async (TimClient *self, const char *const *user_ids,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_remove_from_blocklist_finish (TimClient *self, GAsyncResult *result,
                                                  GError **error);

/* The user's folders of conversations (the Web SDK's conversation groups), kept on the server
 * for every device: dup names them, oldest first (getConversationGroupList; from the local store
 * at once, then as the server says after each login); "folders-changed" is emitted whenever they
 * change, here or on another device, and each conversation's TimConversation:folders follows.
 * A name is 1 to 32 characters, each once; the server keeps 20 at most. create makes one with
 * conversation_ids in it (NULL or empty for none); rename and delete act on the folder called
 * name (deleting leaves its conversations in the list); set_in puts 1 to 100 conversations in
 * the folder name, or takes them out (in FALSE). Bad names, a name taken or unknown, and bad
 * conversation IDs fail with TIM_ERROR_INVALID_PARAMETER (or TIM_ERROR_INVALID_CONVERSATION_ID)
 * before anything is sent; a conversation not in the list with
 * TIM_ERROR_CONVERSATION_NOT_FOUND, the others being done. */
GStrv tim_client_dup_folders (TimClient *self);
/* Asks the server again (each conversation's folders follow): the folders' names, oldest first. */
void tim_client_get_folders_async (TimClient *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
GStrv tim_client_get_folders_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_create_folder_async (TimClient *self, const char *name,
                                     const char *const *conversation_ids, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_create_folder_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_rename_folder_async (TimClient *self, const char *name, const char *new_name,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean tim_client_rename_folder_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_delete_folder_async (TimClient *self, const char *name, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_delete_folder_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_set_in_folder_async (TimClient *self, const char *const *conversation_ids,
                                     const char *name, gboolean in, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_set_in_folder_finish (TimClient *self, GAsyncResult *result, GError **error);

/* Models for a UI: live, shared, owned by the client. */
TimConversationList *tim_client_get_conversations (TimClient *self);
TimMessageList *tim_client_get_message_list (TimClient *self, const char *conversation_id);

/* Signals (the seed's events):
 *  "ready", "not-ready"
 *  "message-received" (GPtrArray of TimMessage): new messages from others, not my own sends
 *  "message-revoked" (GPtrArray of TimMessage)
 *  "message-read-by-peer" (GPtrArray of TimMessage)
 *  "message-modified" (GPtrArray of TimMessage): edited, here, elsewhere or by the peer
 *  "message-deleted" (GPtrArray of TimMessage): deleted for oneself (tim_client_delete_messages
 *    here, or on another device of the user's): gone from this device
 *  "conversation-list-updated"
 *  "kicked-out" (const char *type: "multipleAccount", "multipleDevice", "userSigExpired",
 *    "REST_API_Kick"): the session is over; "userSigExpired" also when the relogin after a
 *    reconnect is refused because the ticket ran out (70001), which is not also an "error"
 *  "net-state-changed" (TimNetState)
 *  "error" (GError *): the relogin after a reconnect was refused for good for any other reason
 *    (another SDKAppID, the account deleted...): the session is over. One of the two, never
 *    both; a refusal for now (tim_error_is_transient ()) is neither: the client reconnects. */

G_END_DECLS

#include "tim-client-groups.h"
