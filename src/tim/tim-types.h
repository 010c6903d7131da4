/* tim-types.h: enums and small types shared by libtim's public headers. */
#pragma once

#include <glib-object.h>

#include "tim-conv.h"
#include "tim-group-at.h"
#include "tim-limits.h"

G_BEGIN_DECLS

/* The seed's message status: "unSend" (created or being sent), "success", "fail". */
typedef enum
{
  TIM_MESSAGE_STATUS_UNSENT,
  TIM_MESSAGE_STATUS_SUCCESS,
  TIM_MESSAGE_STATUS_FAIL,
} TimMessageStatus;

typedef enum
{
  TIM_NET_STATE_DISCONNECTED,
  TIM_NET_STATE_CONNECTING,
  TIM_NET_STATE_CONNECTED,
} TimNetState;

GType tim_message_status_get_type (void);
GType tim_net_state_get_type (void);
GType tim_priority_get_type (void);
GType tim_conv_type_get_type (void);
#define TIM_TYPE_MESSAGE_STATUS (tim_message_status_get_type ())
#define TIM_TYPE_NET_STATE (tim_net_state_get_type ())
#define TIM_TYPE_PRIORITY (tim_priority_get_type ())
#define TIM_TYPE_CONV_TYPE (tim_conv_type_get_type ())
/* TimElemType (tim-elem.h), for the TimMessage:elem-type property. */
GType tim_elem_type_get_type (void);
#define TIM_TYPE_ELEM_TYPE (tim_elem_type_get_type ())
/* TimUserStatus (tim-conv.h), for TimConversation:peer-status. */
GType tim_user_status_get_type (void);
#define TIM_TYPE_USER_STATUS (tim_user_status_get_type ())
/* TimGroupAtType (tim-group-at.h), for TimConversation:group-at-type. */
GType tim_group_at_type_get_type (void);
#define TIM_TYPE_GROUP_AT_TYPE (tim_group_at_type_get_type ())

const char *
tim_message_status_to_string (TimMessageStatus status); /* "unSend", "success", "fail" */
TimMessageStatus tim_message_status_from_string (const char *text); /* anything else: unSend */
const char *
tim_net_state_to_string (TimNetState state); /* "connected", "connecting", "disconnected" */
/* "online", "offline", "unlogined" (logged out), "unknown" */
const char *tim_user_status_to_string (TimUserStatus status);
const char *tim_priority_to_string (TimPriority priority); /* "High", "Normal", "Low", "Lowest" */
TimPriority tim_priority_from_string (const char *text);   /* anything else: Normal */

/* sendMessage options (the seed's onlineUserOnly, offlinePushInfo and messageControlInfo). */
typedef struct
{
  gboolean online_user_only;
  gboolean disable_push;
  char *push_title;
  char *push_description;
  char *push_extension;
  /* messageControlInfo (SendMsgControl): the message counts as unread for nobody
   * (excludedFromUnreadCount, "NoUnread"), and never becomes its conversation's last message,
   * for the peer or the sender (excludedFromLastMessage, "NoLastMsg"). Not for an online-only
   * message, which is neither anyway. */
  gboolean exclude_from_unread_count;
  gboolean exclude_from_last_message;
} TimSendOptions;

GType tim_send_options_get_type (void);
#define TIM_TYPE_SEND_OPTIONS (tim_send_options_get_type ())
TimSendOptions *tim_send_options_new (void);
TimSendOptions *tim_send_options_copy (const TimSendOptions *options);
void tim_send_options_free (TimSendOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimSendOptions, tim_send_options_free)

/* One member of a group, as tim_client_get_group_members_finish () lists them. */
typedef struct
{
  char *user_id;
  char *role;        /* "Owner", "Admin" or "Member" */
  char *name_card;   /* the member's name in this group; NULL when none was set */
  char *nick;        /* the member's nickname (their profile's); NULL when they have none */
  gint64 mute_until; /* muted until (seconds since the epoch); 0 or past: not muted */
} TimGroupMember;

GType tim_group_member_get_type (void);
#define TIM_TYPE_GROUP_MEMBER (tim_group_member_get_type ())
TimGroupMember *tim_group_member_copy (const TimGroupMember *member);
/* What a member is called: their name card in the group, else their nickname, else their ID. */
const char *tim_group_member_get_name (const TimGroupMember *member);
void tim_group_member_free (TimGroupMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimGroupMember, tim_group_member_free)

/* A group as anyone may see it before joining (tim_client_search_group_finish (), the Web SDK's
 * searchGroupByID). */
typedef struct
{
  char *group_id;
  char *type; /* "Public", "Private" (Work), "ChatRoom" (Meeting), "AVChatRoom", … */
  char *name;
  char *introduction; /* "" when none */
  char *notification; /* "" when none */
  char *face_url;     /* "" when none */
  char *owner_id;
  guint member_count;
  guint max_member_count;
  char *join_option; /* "FreeAccess", "NeedPermission" or "DisableApply" */
} TimGroupInfo;

GType tim_group_info_get_type (void);
#define TIM_TYPE_GROUP_INFO (tim_group_info_get_type ())
TimGroupInfo *tim_group_info_copy (const TimGroupInfo *info);
void tim_group_info_free (TimGroupInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimGroupInfo, tim_group_info_free)

/* An application to join a group that waits for an answer, as its owner and admins list them
 * (tim_client_get_group_applications_finish (), the Web SDK's getGroupApplicationList). */
typedef struct
{
  char *group_id;
  char *group_name;     /* "" when the group has none */
  char *applicant;      /* their user ID */
  char *applicant_nick; /* "" when they have none */
  char *message;        /* what they said, "" for nothing */
  char *authentication; /* the token the answer brings back */
  gint64 time;          /* when they applied, seconds since the epoch */
} TimGroupApplication;

GType tim_group_application_get_type (void);
#define TIM_TYPE_GROUP_APPLICATION (tim_group_application_get_type ())
TimGroupApplication *tim_group_application_copy (const TimGroupApplication *application);
void tim_group_application_free (TimGroupApplication *application);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimGroupApplication, tim_group_application_free)

/* How asking to join a group went (tim_client_join_group_finish ()): the Web SDK's
 * JOIN_STATUS_*. */
typedef enum
{
  TIM_JOIN_STATUS_JOINED,          /* JoinedSuccess: a member now, the group listed */
  TIM_JOIN_STATUS_WAIT_APPROVAL,   /* WaitAdminApproval: the owner or an admin answers */
  TIM_JOIN_STATUS_ALREADY_IN_GROUP /* AlreadyInGroup */
} TimJoinStatus;

/* An application to join a group, as the group's owner and admins see its notice
 * (tim_message_get_application_state ()). */
typedef enum
{
  TIM_APPLICATION_NONE,     /* the message is no application */
  TIM_APPLICATION_PENDING,  /* not answered from this device */
  TIM_APPLICATION_ACCEPTED, /* accepted from this device */
  TIM_APPLICATION_REFUSED,  /* refused from this device */
  TIM_APPLICATION_ANSWERED  /* answered already, elsewhere (another manager or device) */
} TimApplicationState;

/* A user's status as the server says it (tim_client_get_user_status_async ()). */
typedef struct
{
  char *user_id;
  TimUserStatus status; /* TIM_USER_STATUS_UNKNOWN for an ID with no account */
  char *custom_status;  /* "" when none */
  int error_code;       /* subscribing: why the user is not followed (a TIM code), else 0 */
} TimUserStatusInfo;

GType tim_user_status_info_get_type (void);
#define TIM_TYPE_USER_STATUS_INFO (tim_user_status_info_get_type ())
TimUserStatusInfo *tim_user_status_info_copy (const TimUserStatusInfo *info);
void tim_user_status_info_free (TimUserStatusInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimUserStatusInfo, tim_user_status_info_free)

/* Upload progress: bytes actually written to the socket so far, of total. */
typedef void (*TimProgressFunc) (goffset sent, goffset total, gpointer user_data);

G_END_DECLS
