/* timchat-commands-private.h: the handlers behind the command table, and the message shapes
 * they share. Private to src/server. */
#pragma once

#include "tim-limits.h"
#include "timchat-command.h"
#include "timchat-store.h"

G_BEGIN_DECLS

/* timchat-cmd-login.c */
JsonObject *_timchat_cmd_wslogin (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_wslogout (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_ok (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_no_groups (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_user_status (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_subscribe_user_status (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_unsubscribe_user_status (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_set_self_status (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_purchase_bits (TimchatRequest *request, GError **error);

/* timchat-cmd-account.c */
JsonObject *_timchat_cmd_kick (TimchatRequest *request, GError **error);

/* timchat-cmd-account.c (REST) */
JsonObject *_timchat_cmd_account_import (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_multiaccount_import (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_account_delete (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_account_check (TimchatRequest *request, GError **error);

/* timchat-cmd-c2c-admin.c (REST) */
JsonObject *_timchat_cmd_batchsendmsg (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_admin_getroammsg (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_admin_msgwithdraw (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_admin_set_msg_read (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_c2c_unread_msg_num (TimchatRequest *request, GError **error);

/* timchat-cmd-group-admin.c (REST) */
JsonObject *_timchat_cmd_send_group_system_notification (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_group_msg_get_simple (TimchatRequest *request, GError **error);

/* timchat-cmd-conv-admin.c (REST) */
JsonObject *_timchat_cmd_recentcontact_get_list (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_recentcontact_delete (TimchatRequest *request, GError **error);

/* timchat-cmd-c2c.c */
JsonObject *_timchat_cmd_sendmsg (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_getroammsg (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_msgwithdraw (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_delete_c2c_msg_ramble (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_delete_group_ramble_msg_by_seq (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_msgreaded (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_peer_read_time (TimchatRequest *request, GError **error);

/* timchat-cmd-sync.c */
JsonObject *_timchat_cmd_getmsg (TimchatRequest *request, GError **error);

/* timchat-cmd-group-msg.c */
JsonObject *_timchat_cmd_send_group_msg (TimchatRequest *request, GError **error);
/* Whether the caller (self: their membership, NULL for the app admin) may post in group now:
 * 10017 under mute-all for all but the owner, the admins and the app admin, and for a member
 * muted until a time to come. A send and an edit both ask it: an edit reaches the members as the
 * message did. */
gboolean _timchat_group_check_not_muted (TimchatRequest *request, const TimchatGroup *group,
                                         const TimchatMember *self, GError **error);
/* timchat-cmd-group-msg.c: pushes push (taken) to group_id's members, all but the asking socket,
 * in priority's queue of the rate limiter (after what was queued there before: an edit never
 * overtakes its message) once what the request wrote is committed (never, if that failed); with
 * mentions (a message, copied), its @ tips after it. */
void _timchat_group_deliver (TimchatRequest *request, const char *group_id, TimPriority priority,
                             JsonObject *push, const TimchatMsg *mentions);
/* The same for a notice about messages that every member hears, those who discard the group's
 * messages too (a recall): in the queue of the least urgent of those messages, it never overtakes
 * one of them still waiting there. */
void _timchat_group_deliver_notice (TimchatRequest *request, const char *group_id,
                                    TimPriority priority, JsonObject *push);

/* timchat-cmd-group-msg-history.c */
JsonObject *_timchat_cmd_group_msg_get (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_group_msg_recall (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_msg_read_report (TimchatRequest *request, GError **error);
/* Moves request->user's read mark in group_id up to seq (at most the group's last), and tells the
 * user's other devices; returns the mark, or -1 (10010 no group, 10007 not a member). */
gint64 _timchat_group_mark_read (TimchatRequest *request, const char *group_id, gint64 seq,
                                 GError **error);

/* timchat-group-mention.c */
JsonObject *_timchat_cmd_deletemsg (TimchatRequest *request, GError **error);

/* timchat-cmd-group.c */
JsonObject *_timchat_cmd_create_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_group_info (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_joined_group_list (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_group_member_info (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_add_group_member (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_delete_group_member (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_modify_group_member_info (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_quit_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_destroy_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_modify_group_base_info (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_change_group_owner (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_group_public_info (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_apply_join_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_handle_apply_join_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_pendency (TimchatRequest *request, GError **error);
/* timchat-cmd-conv-folders.c */
JsonObject *_timchat_cmd_get_contact_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_create_contact_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_del_contact_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_update_contact_group (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_group_self_member_info (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_online_member_num (TimchatRequest *request, GError **error);

/* timchat-cmd-conv.c */
JsonObject *_timchat_cmd_page_get (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_batch_delete (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_mark_contact (TimchatRequest *request, GError **error);
/* Reading a conversation takes its "unread" mark away (TIM_CONV_MARK_UNREAD), and owner's
 * devices, all of them, hear of it. Nothing when it had none or is not listed; FALSE with the
 * store's error when the mark could not be taken away. */
gboolean _timchat_conv_read_unmarks (TimchatRequest *request, const char *owner, TimConvType type,
                                     const char *peer, GError **error);
JsonObject *_timchat_cmd_top (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_black_list_get (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_black_list_add (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_black_list_delete (TimchatRequest *request, GError **error);
/* The SDK's clearHistoryMessage: {Type:1, To_Account} or {Type:2, ToGroupid}. */
JsonObject *_timchat_cmd_clear_msg (TimchatRequest *request, GError **error);

/* timchat-cmd-read-all.c */
JsonObject *_timchat_cmd_read_all_unread_msg (TimchatRequest *request, GError **error);

/* timchat-cmd-remind.c */
JsonObject *_timchat_cmd_set_c2c_peer_mute_notifications (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_c2c_peer_mute_notifications (TimchatRequest *request, GError **error);

/* timchat-cmd-profile.c */
JsonObject *_timchat_cmd_portrait_get (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_portrait_set (TimchatRequest *request, GError **error);

/* timchat-cmd-relay.c: merged messages' lists (the SDK's createMergerMessage over 11,264 bytes,
 * downloadMergerMessage). */
JsonObject *_timchat_cmd_save_relay_json_msg (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_get_relay_json_msg (TimchatRequest *request, GError **error);
/* For a MsgBody about to be sent (it passed tim_msg_body_validate ()): each TIMRelayElem without
 * its MsgList must name a saved list by its JsonMsgKey, else TIM_ERROR_MESSAGE_MERGER_KEY_INVALID
 * (2451), so that no one receives a merged message whose messages cannot be fetched. The lists it
 * names (inline ones' too) live as long as the message once it is stored
 * (timchat_store_insert_message ()). Touches nothing for a body without a TIMRelayElem. */
gboolean _timchat_relay_use_keys (TimchatRequest *request, JsonArray *msg_body, GError **error);

/* timchat-cmd-modify.c: editing a kept message (the SDK's modifyMessage). The push entry's
 * Event: the SDK goes by the array's name (C2cMsgModNotifys, GroupMsgModNotifys) and reads no
 * number for it; the vendor's is not recorded. */
#define TIMCHAT_MODIFY_EVENT 13
JsonObject *_timchat_cmd_modify_c2c_msg (TimchatRequest *request, GError **error);
JsonObject *_timchat_cmd_modify_group_msg (TimchatRequest *request, GError **error);
/* The C2cMsgModNotifys item of a C2C message as it is stored now (also the getmsg replay). */
JsonObject *_timchat_wire_c2c_modify_item (const TimchatMsg *msg);

/* timchat-wire.c: how stored things look on the wire. */
/* MsgVersion and MsgModifiedFlag (1 once edited) of msg. */
void _timchat_wire_set_version (JsonObject *item, const TimchatMsg *msg);
JsonObject *_timchat_wire_c2c_msg (TimchatServer *server, const TimchatMsg *msg);
JsonObject *_timchat_wire_group_msg (TimchatServer *server, const TimchatMsg *msg);
/* {Nick, NameCard, HeadUrl} of user, as GroupInfo.MsgFrom_AccountExtraInfo carries them. */
JsonObject *_timchat_wire_sender_extra (TimchatServer *server, const char *group_id,
                                        const char *user);
/* Our C2cNotifyMsgArray item (Event 9) telling a user's other devices the messages (TimchatMsg)
 * they deleted for themselves: {"TimchatMsgDeleteNotify":{"C2cMsgList":[…],"GroupMsgList":[…]}},
 * each message as history has it (so a client finds its copy the way it names messages). The
 * Web SDK passes over an item it does not know. */
JsonObject *_timchat_wire_delete_notify (TimchatServer *server, GPtrArray *msgs);
/* Our C2cNotifyMsgArray item (Event 9) telling a user's other devices they cleared a
 * conversation's history up to its server sequence seq (the ServerSeq of history items):
 * {"TimchatHistoryClearNotify":{"Type":1,"To_Account"|"Type":2,"ToGroupid","ServerSeq":seq}}. */
JsonObject *_timchat_wire_clear_notify (TimConvType type, const char *peer, gint64 seq);
/* Wraps items into {"EventArray":[{"Event":event, key:[items...]}]}. Takes ownership of item. */
JsonObject *_timchat_wire_push_body (int event, const char *key, JsonObject *item);
/* The msg_push body of a C2C message just sent (msg->body written by tim-json-writer) as JSON
 * text: the recipient's, or (sync) the one for the sender's other devices. */
char *_timchat_wire_c2c_push_json (TimchatServer *server, const TimchatMsg *msg,
                                   gboolean online_only, gboolean sync);
/* Pushes a C2C message just sent to the recipient's sessions and, if to_sender, to the sender's
 * other sessions. */
void _timchat_push_c2c_msg (TimchatRequest *request, const TimchatMsg *msg, gboolean online_only,
                            gboolean to_sender);
/* Who a request acts for, named by member (From_Account...): over the WebSocket the logged-in
 * user (naming another fails); over REST an app admin may act for anyone, and is refused when
 * member is "" or not a string, or when required and absent, else acts as itself. A refusal has
 * code, the command's own for a bad member (90008 in openim and sns, 10004 in groups). */
const char *_timchat_acting_user (TimchatRequest *request, const char *member, gboolean required,
                                  int code, GError **error);
/* A REST caller (app admin over HTTP) rather than a WebSocket session. */
#define _timchat_request_is_rest(request) ((request)->is_admin && (request)->session == NULL)
/* The one way a handler reads an Integer member of its request's body (or of an object in it).
 * Over REST only a JSON number that is a whole number is one, as docs/rest-api.md promises of
 * every REST Integer and the vendor checks: "12" and true were read as 12 and 1 (MsgPriority true
 * sent as High). Over the WebSocket whatever tim_json_get_int () reads, since the official SDK
 * spells some numbers as strings. FALSE when absent or not an integer: the caller refuses a
 * required member with its own code. */
gboolean _timchat_request_get_int (TimchatRequest *request, JsonObject *object, const char *member,
                                   gint64 *out);
/* An optional Integer: *out is fallback when the member is absent (over the WebSocket also when it
 * does not read as one, as tim_json_get_int_or () has it); FALSE with error set to code, the
 * command's code for a bad parameter, when a REST call gave anything but a whole number. */
gboolean _timchat_request_get_int_or (TimchatRequest *request, JsonObject *object,
                                      const char *member, gint64 fallback, gint64 *out, int code,
                                      GError **error);
/* Fetches a required string member or fails with code. */
const char *_timchat_require_string (JsonObject *body, const char *member, int code,
                                     GError **error);

G_END_DECLS
