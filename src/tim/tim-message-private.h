/* tim-message-private.h: how libtim builds and updates messages. Not for applications. */
#pragma once

#include "tim-message.h"
#include "tim-msg-control.h"

G_BEGIN_DECLS

/* Shared by tim-message.c (object, properties, setters), tim-message-getters.c (getters),
 * tim-message-wire.c (wire items) and tim-message-record.c (store records); nothing else reads the
 * fields. */
struct _TimMessage
{
  GObject parent_instance;

  char *id;
  TimElemType elem_type;
  char *type_string; /* the wire MsgType, kept even when we do not know it */
  JsonObject *payload;
  JsonArray *wire_body; /* the MsgBody as received, for types we cannot re-encode */
  char *conversation_id;
  TimConvType conversation_type;
  char *from;
  char *to;
  gboolean flow_out;
  gint64 time;
  gint64 client_time;
  TimMessageStatus status;
  gboolean is_revoked;
  char *revoker;
  TimPriority priority;
  gboolean is_peer_read;
  gboolean is_read;
  gint64 sequence;
  gint64 random;
  gint64 server_seq;
  char *sender_tinyid;
  char *nick;
  char *name_card;
  char *avatar;
  char *cloud_custom_data;
  GStrv at_user_list; /* NULL when it mentions nobody */
  gboolean online_only;
  TimMsgControl control; /* its sender's SendMsgControl (messageControlInfo) */
  gint64 version;        /* MsgVersion: 0 until edited */
  gboolean is_modified;
  goffset upload_sent;
  goffset upload_total;
  int error_code;
  char *error_message;
  GFile *local_file;
  gboolean merged_entry; /* one a merged message carries: in no conversation, never stored */
};

/* Sets id from sender_tinyid, client_time and random ("senderTinyID-clientTime-random"). */
void _tim_message_update_id (TimMessage *self);

/* A message made on this device (status unSend, flow out). */
TimMessage *_tim_message_new_outgoing (const char *from, const char *sender_tinyid, const char *to,
                                       TimConvType conv_type, TimElemType type, JsonObject *payload,
                                       gint64 client_time, gint64 random, gint64 sequence,
                                       TimPriority priority);
/* From a C2C wire item (C2cMsgArray/MsgList) or a group item (GroupMsgArray/RspMsgList), as seen
 * by `me`. NULL if the item is not a message. */
TimMessage *_tim_message_new_from_c2c_wire (JsonObject *item, const char *me);
TimMessage *_tim_message_new_from_group_wire (JsonObject *item, const char *me);
/* One message a merged message carries (a MsgList item, C2C or group), with the ID it had. */
TimMessage *_tim_message_new_merged_entry (JsonObject *item, const char *me);
gboolean _tim_message_is_merged_entry (TimMessage *self);
/* A GroupTips item: Event 4 → a TIMGroupTipElem message of the group conversation; Event 5 (a
 * system notice) → a TIMGroupSystemNoticeElem message of "@TIM#SYSTEM". MsgBody is an object. */
TimMessage *_tim_message_new_group_tip (JsonObject *item, const char *me);
TimMessage *_tim_message_new_system_notice (JsonObject *item, const char *me);
/* The wire MsgBody array of this message. */
JsonArray *_tim_message_dup_msg_body (TimMessage *self);
/* tim-message-record.c: serialised form for the local store, and back. */
JsonObject *_tim_message_to_record (TimMessage *self);
TimMessage *_tim_message_new_from_record (JsonObject *record);
/* tim-message-wire.c, for tim-message-record.c: a deep copy of array (a new reference), and a
 * group message's server sequence taken from its sequence once the server has it. */
JsonArray *_tim_message_array_deep_copy (JsonArray *array);
void _tim_message_derive_group_server_seq (TimMessage *self);

/* Setters notify only on change. */
void _tim_message_set_priority (TimMessage *self, TimPriority priority);
void _tim_message_set_status (TimMessage *self, TimMessageStatus status);
void _tim_message_set_time (TimMessage *self, gint64 time);
void _tim_message_set_server_seq (TimMessage *self, gint64 server_seq);
void _tim_message_set_sequence (TimMessage *self, gint64 sequence);
/* The sender's TinyId, and the ID made of it. */
void _tim_message_set_sender_tinyid (TimMessage *self, const char *tinyid);
/* Marks it recalled and forgets what it said (payload, element type, custom data, local file):
 * see _tim_client_mark_recalled (), which also forgets the cached downloads. */
void _tim_message_set_revoked (TimMessage *self, const char *revoker);
/* The media URLs in its payload (image versions, file, sound, video, video thumbnail). */
GStrv _tim_message_dup_media_urls (TimMessage *self);
void _tim_message_set_is_peer_read (TimMessage *self, gboolean is_peer_read);
void _tim_message_set_is_read (TimMessage *self, gboolean is_read);
void _tim_message_set_upload (TimMessage *self, goffset sent, goffset total);
void _tim_message_set_error (TimMessage *self, int code, const char *message);
void _tim_message_set_payload (TimMessage *self, JsonObject *payload);
/* tim-message-application.c: the answer this device gave an application's notice ("Agree",
 * "Reject"), or "Answered" when another had answered it already. */
void _tim_message_set_application_result (TimMessage *self, const char *result);
void _tim_message_set_local_file (TimMessage *self, GFile *file);
void _tim_message_set_online_only (TimMessage *self, gboolean online_only);
/* Its sender's SendMsgControl, which a message being sent takes from its TimSendOptions (before
 * it is stored); one from the wire comes with it. */
void _tim_message_set_control (TimMessage *self, TimMsgControl control);
TimMsgControl _tim_message_get_control (TimMessage *self);
void _tim_message_set_cloud_custom_data (TimMessage *self, const char *data);
/* An edit of it (MsgBody, CloudCustomData, MsgVersion), taken only when version is newer than the
 * one it has and body is of its element type; TRUE when taken. */
gboolean _tim_message_apply_edit (TimMessage *self, JsonArray *body, const char *cloud_custom_data,
                                  gint64 version);
/* Copies at_users (NULL or empty: nobody). */
void _tim_message_set_at_user_list (TimMessage *self, const char *const *at_users);
void _tim_message_set_sender_profile (TimMessage *self, const char *nick, const char *avatar);

/* The properties, for the files that make up the class (tim-message.c, tim-message-state.c). */
typedef enum
{
  MESSAGE_PROP_0,
  MESSAGE_PROP_ID,
  MESSAGE_PROP_TYPE,
  MESSAGE_PROP_ELEM_TYPE,
  MESSAGE_PROP_PAYLOAD,
  MESSAGE_PROP_TEXT,
  MESSAGE_PROP_CONVERSATION_ID,
  MESSAGE_PROP_CONVERSATION_TYPE,
  MESSAGE_PROP_FROM,
  MESSAGE_PROP_TO,
  MESSAGE_PROP_FLOW,
  MESSAGE_PROP_TIME,
  MESSAGE_PROP_CLIENT_TIME,
  MESSAGE_PROP_STATUS,
  MESSAGE_PROP_IS_REVOKED,
  MESSAGE_PROP_REVOKER,
  MESSAGE_PROP_PRIORITY,
  MESSAGE_PROP_IS_PEER_READ,
  MESSAGE_PROP_IS_READ,
  MESSAGE_PROP_SEQUENCE,
  MESSAGE_PROP_RANDOM,
  MESSAGE_PROP_SERVER_SEQ,
  MESSAGE_PROP_SENDER_TINYID,
  MESSAGE_PROP_NICK,
  MESSAGE_PROP_NAME_CARD,
  MESSAGE_PROP_AVATAR,
  MESSAGE_PROP_CLOUD_CUSTOM_DATA,
  MESSAGE_PROP_AT_USER_LIST,
  MESSAGE_PROP_ONLINE_ONLY,
  MESSAGE_PROP_VERSION,
  MESSAGE_PROP_IS_MODIFIED,
  MESSAGE_PROP_UPLOAD_SENT,
  MESSAGE_PROP_UPLOAD_TOTAL,
  MESSAGE_PROP_UPLOAD_PROGRESS,
  MESSAGE_PROP_ERROR_CODE,
  MESSAGE_PROP_ERROR_MESSAGE,
  MESSAGE_PROP_LOCAL_FILE,
  MESSAGE_N_PROPS
} TimMessageProp;

/* Notifies prop (a TimMessageProp). */
void _tim_message_notify (TimMessage *self, guint prop);

G_END_DECLS
