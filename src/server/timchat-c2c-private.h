/* timchat-c2c-private.h: the one send, recall and read path for one-to-one messages, shared by
 * the WebSocket commands (timchat-cmd-c2c.c) and the admin REST commands
 * (timchat-cmd-c2c-admin.c). Private to src/server. */
#pragma once

#include "timchat-commands-private.h"

G_BEGIN_DECLS

#define TIMCHAT_C2C_MAX_LIFETIME 604800 /* MsgLifeTime: 7 days at most */

/* Fails with code unless user is a valid, existing account. An app admin acting as itself over
 * REST always exists (as with the vendor, the admin is an account). */
gboolean _timchat_c2c_require_account (TimchatRequest *request, const char *user, int code,
                                       GError **error);

/* Checks everything in the request body but the recipient and builds the message to send (to_id
 * is left NULL). online_only: MsgLifeTime 0; sync_sender: FALSE for REST SyncOtherMachine 2. */
TimchatMsg *_timchat_c2c_prepare (TimchatRequest *request, const char *from, gboolean *online_only,
                                  gboolean *sync_sender, GError **error);
/* The recipient's blocklist (the SDK's blacklist): FALSE with 20007 (the facts' "in peer's
 * blacklist") when to has blocked from, for all that from would change in their conversation (a
 * message, an edit). Not over REST, which the vendor documents as not checking it. */
gboolean _timchat_c2c_check_not_blocked (TimchatRequest *request, const char *from, const char *to,
                                         GError **error);
/* Whether msg's recipient discards its sender's messages (setMessageRemindType Discard): then
 * neither it nor its edits are pushed to them. */
gboolean _timchat_c2c_recipient_discards (TimchatServer *server, const TimchatMsg *msg);
/* Stores (unless online_only) and pushes msg exactly as openim.sendmsg does. */
gboolean _timchat_c2c_deliver (TimchatRequest *request, TimchatMsg *msg, gboolean online_only,
                               gboolean sync_sender, gboolean *duplicate, GError **error);
/* "<MsgSeq>_<MsgRandom>_<MsgTime>", the vendor's shape. */
char *_timchat_c2c_msg_key (const TimchatMsg *msg);
gboolean _timchat_c2c_parse_msg_key (const char *key, gint64 *client_seq, gint64 *random,
                                     gint64 *time);

/* Recalls a stored message as request->user, with the notice pushes and sync events. */
gboolean _timchat_c2c_recall (TimchatRequest *request, TimchatMsg *msg, GError **error);
/* Moves reader's read mark of the conversation with peer to its newest message at or before upto
 * (never back) and tells of it: receipt to the peer, read sync to the reader's other devices.
 * TRUE also when there is no such conversation (nothing to mark, nobody told); FALSE with the
 * store's error (TIM_ERROR_INTERNAL) when it could not store the mark, and nobody is told. */
gboolean _timchat_c2c_mark_read (TimchatRequest *request, const char *reader, const char *peer,
                                 gint64 upto, GError **error);

G_END_DECLS
