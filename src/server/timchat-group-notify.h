/* timchat-group-notify.h: what the group commands share: finding the group and the caller's
 * place in it, group tips (Event 4, stored with a seq) and group system notices (Event 5, kept
 * as offline sync events). Private to src/server. The tips, notices and wire forms are in
 * timchat-group-notify.c; finding the group, paging and the REST request checks in
 * timchat-group-request.c. */
#pragma once

#include "tim-group-at.h"
#include "timchat-commands-private.h"

G_BEGIN_DECLS

/* Group tip OpType (tim-sdk-facts.md §1.5). */
enum
{
  TIMCHAT_TIP_JOIN = 1,
  TIMCHAT_TIP_QUIT = 2,
  TIMCHAT_TIP_KICKED = 3,
  TIMCHAT_TIP_SET_ADMIN = 4,
  TIMCHAT_TIP_CANCEL_ADMIN = 5,
  TIMCHAT_TIP_PROFILE = 6,        /* MsgGroupNewInfo holds what changed */
  TIMCHAT_TIP_MEMBER_PROFILE = 7, /* MsgMemberExtraInfo[].ShutupTime: a member muted */
};

/* Group system notice ReportType (tim-sdk-facts.md §1.6). */
enum
{
  TIMCHAT_NOTICE_APPLIED = 1,  /* to the managers: RemarkInfo the message, Authentication */
  TIMCHAT_NOTICE_ACCEPTED = 2, /* to the applicant, from the manager who agreed */
  TIMCHAT_NOTICE_REFUSED = 3,  /* to the applicant: RemarkInfo the manager's reason */
  TIMCHAT_NOTICE_KICKED = 4,
  TIMCHAT_NOTICE_DISMISSED = 5,
  TIMCHAT_NOTICE_CREATED = 6,
  TIMCHAT_NOTICE_INVITED = 7,
  TIMCHAT_NOTICE_QUIT = 8,
  TIMCHAT_NOTICE_SET_ADMIN = 9,
  TIMCHAT_NOTICE_CANCEL_ADMIN = 10,
  TIMCHAT_NOTICE_CUSTOM = 255, /* send_group_system_notification: UserDefinedField = Content */
};

/* The group named by body.GroupId: 10004 when missing, 10010 when unknown or dismissed. */
TimchatGroup *_timchat_group_from_body (TimchatRequest *request, const char **group_id,
                                        GError **error);
/* The caller's membership in *member. An outsider fails with 10007, except the app admin over
 * REST, who passes with *member NULL. */
gboolean _timchat_group_require_member (TimchatRequest *request, const TimchatGroup *group,
                                        TimchatMember **member, GError **error);
/* The group's message at seq as member sees it (a new reference), or NULL: none is kept there, or
 * it came before they joined and is not theirs to read (TimchatMember's joined_seq), as their
 * history pages have it. member NULL (the app admin) sees every message. */
TimchatMsg *_timchat_group_find_message (TimchatRequest *request, const TimchatGroup *group,
                                         const TimchatMember *member, gint64 seq);
gboolean _timchat_account_exists (TimchatRequest *request, const char *user);
/* body.Limit / body.Offset as [*start, *end) of total; Limit absent or 0 means all. */
void _timchat_page_bounds (JsonObject *body, guint total, guint *start, guint *end);
/* (transfer container): the string elements of array (NULL = empty). */
GPtrArray *_timchat_string_list (JsonArray *array);
/* Owner or Admin of the group, or the app admin. */
gboolean _timchat_group_is_manager (TimchatRequest *request, const TimchatMember *member);

/* How one joins the group, as apply_join_group goes by it: a Work (Private) group only by
 * invitation (DisableApply), a Meeting (ChatRoom) or AVChatRoom freely (the SDK sends no option
 * for them), the others by their ApplyJoinOption (NeedPermission unless set). */
const char *_timchat_group_join_option (const TimchatGroup *group);
/* The group fields of get_group_info / get_joined_group_list (sdk-wire-notes.md §2, §6). */
JsonObject *_timchat_wire_group_base_info (TimchatServer *server, const TimchatGroup *group);
/* SelfInfo / MemberList entry; account_member names the user ID member, or NULL for none. */
JsonObject *_timchat_wire_member_info (const TimchatMember *member, const char *account_member);

/* Pushes body to every session of every member except `except`. */
void _timchat_group_push_members (TimchatServer *server, const char *group_id, JsonObject *body,
                                  TimchatSession *except);
/* The same for the group's messages and their edits: not to the members who discard them
 * (setMessageRemindType Discard), who read them in the history. Tips and notices go to all. */
void _timchat_group_push_messages (TimchatServer *server, const char *group_id, JsonObject *body,
                                   TimchatSession *except);

/* A stored tip as a GroupTips item (also the group_msg_get form, with "Event":4). */
JsonObject *_timchat_wire_group_tip (TimchatServer *server, const TimchatMsg *msg);
/* Stores a tip message (it takes the next seq of the group) and pushes it to online members. */
gboolean _timchat_group_tip (TimchatServer *server, const char *group_id, const char *operator,
                             int op_type, GPtrArray *users, GError **error);
/* Stores and pushes GRP_TIP_MBR_PROFILE_UPDATED (7): user muted for seconds (0: unmuted). */
gboolean _timchat_group_mute_tip (TimchatServer *server, const char *group_id, const char *operator,
                                  const char * user, gint64 seconds, GError **error);
/* Stores and pushes GRP_TIP_GRP_PROFILE_UPDATED with new_info as MsgGroupNewInfo. */
gboolean _timchat_group_profile_tip (TimchatServer *server, const char *group_id,
                                     const char *operator, JsonObject * new_info, GError **error);
/* Keeps a system notice for user's getmsg and sends it to every session of theirs except
 * `except`; FALSE with the store's error, sending nothing, when it cannot be kept. */
gboolean _timchat_group_notice (TimchatServer *server, const TimchatGroup *group,
                                const char *operator, int report_type, const char *user,
                                TimchatSession *except, GError **error);
/* The same with RemarkInfo (a kick reason) and UserDefinedField (a REST system notification). */
gboolean _timchat_group_notice_full (TimchatServer *server, const TimchatGroup *group,
                                     const char *operator, int report_type, const char *user,
                                     const char *remark, const char *user_defined,
                                     TimchatSession *except, GError **error);
/* An application to join (ReportType 1) to one manager: from the applicant, with its message
 * (RemarkInfo) and the token that handling it must bring back (Authentication). */
gboolean _timchat_group_application_notice (TimchatServer *server, const TimchatGroup *group,
                                            const TimchatApplication *application,
                                            const char *manager, GError **error);
/* How user hears of the group (remind: AcceptAndNotify, AcceptNotNotify or Discard), to their
 * sessions other than `except`, at once: the SDK's notice for it (ReportType 20, MsgFlag), which
 * it and libtim apply to the group's conversation. Not kept: a device that was away reads the flag
 * at its next login (get_joined_group_list's SelfInfo.MsgFlag). */
void _timchat_group_remind_sync (TimchatServer *server, const TimchatGroup *group, const char *user,
                                 const char *remind, TimchatSession *except);
/* A notice's ServerSeq, its place among the user's notices: its time (seconds) in the high bits,
 * its id in the user's sync log in the low 31, so that notices of one second keep their order and
 * a client that ordered its older notices by time alone (their MsgSeq is random) can fit them
 * in. */
gint64 _timchat_notice_order (gint64 time, gint64 event_id);
/* A stored MsgBody as a JSON array; a stored tip becomes one TIMGroupTipElem. */
JsonNode *_timchat_wire_body_array (const TimchatMsg *msg);

/* timchat-group-mention.c: group @-mentions. */
/* (transfer full) The @-user list of msg->at_info (TIM_AT_ALL for @all); NULL for none. */
GStrv _timchat_msg_at_users (const TimchatMsg *msg);
/* The @ tip item (GroupTips Event 12) of msg for a member to whom it means type:
 * {GroupId, From_Account, AtMsgSeq, AtFlagList, MsgRandom, ClientSeq, MsgTimeStamp}. */
JsonObject *_timchat_wire_at_tip (const TimchatMsg *msg, TimGroupAtType type);
/* Pushes msg's @ tip to every session of each member it mentions (all of them for @all), but the
 * sender. Called after msg itself was pushed: the SDK drops a tip for a conversation it does not
 * have yet. */
void _timchat_group_push_at_tips (TimchatServer *server, const TimchatMsg *msg);

/* REST request checks (tim-rest-facts.md §5): the member, when present, must have the JSON type
 * asked for, else 10004 naming it. Strings may also be limited to max_bytes (0 = no limit). */
gboolean _timchat_check_string (JsonObject *body, const char *member, gsize max_bytes,
                                GError **error);
/* A group's Name, when present: a string of at most 30 bytes with more than white space in it. */
gboolean _timchat_check_group_name (JsonObject *body, GError **error);
gboolean _timchat_check_int (JsonObject *body, const char *member, GError **error);
gboolean _timchat_check_array (JsonObject *body, const char *member, guint max_length,
                               int too_long_code, GError **error);
/* Keeps only the members of object named in keep (plus `always`); keep NULL keeps all. */
void _timchat_filter_members (JsonObject *object, JsonArray *keep, const char *always);
/* Private = Work and ChatRoom = Meeting (tim-rest-facts.md §5.0). */
gboolean _timchat_group_type_equal (const char *a, const char *b);
/* One of the group types, by either name. */
gboolean _timchat_group_type_is_known (const char *type);

G_END_DECLS
