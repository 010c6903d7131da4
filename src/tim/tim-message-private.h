/* tim-message-private.h: how libtim builds and updates messages. Not for applications. */
#pragma once

#include "tim-message.h"

G_BEGIN_DECLS

/* A message made on this device (status unSend, flow out). */
TimMessage *_tim_message_new_outgoing  (const char *from, const char *sender_tinyid, const char *to,
                                        TimConvType conv_type, TimElemType type, JsonObject *payload,
                                        gint64 client_time, gint64 random, gint64 sequence,
                                        TimPriority priority);
/* From a C2C wire item (C2cMsgArray/MsgList) or a group item (GroupMsgArray/RspMsgList), as seen
 * by `me`. NULL if the item is not a message. */
TimMessage *_tim_message_new_from_c2c_wire   (JsonObject *item, const char *me);
TimMessage *_tim_message_new_from_group_wire (JsonObject *item, const char *me);
/* The wire MsgBody array of this message. */
JsonArray  *_tim_message_dup_msg_body  (TimMessage *self);
/* Serialised form for the local store, and back. */
JsonObject *_tim_message_to_record     (TimMessage *self);
TimMessage *_tim_message_new_from_record (JsonObject *record);

/* Setters notify only on change. */
void _tim_message_set_status         (TimMessage *self, TimMessageStatus status);
void _tim_message_set_time           (TimMessage *self, gint64 time);
void _tim_message_set_server_seq     (TimMessage *self, gint64 server_seq);
void _tim_message_set_sequence       (TimMessage *self, gint64 sequence);
void _tim_message_set_revoked        (TimMessage *self, const char *revoker);
void _tim_message_set_is_peer_read   (TimMessage *self, gboolean is_peer_read);
void _tim_message_set_is_read        (TimMessage *self, gboolean is_read);
void _tim_message_set_upload         (TimMessage *self, goffset sent, goffset total);
void _tim_message_set_error          (TimMessage *self, int code, const char *message);
void _tim_message_set_payload        (TimMessage *self, JsonObject *payload);
void _tim_message_set_local_file     (TimMessage *self, GFile *file);
void _tim_message_set_online_only    (TimMessage *self, gboolean online_only);
void _tim_message_set_sender_profile (TimMessage *self, const char *nick, const char *avatar);

G_END_DECLS
