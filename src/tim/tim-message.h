/* tim-message.h: one message, with notifying properties for everything the seed's Message
 * carries. Created by TimClient (tim_client_create_*_message) or from the wire. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tim-elem.h"
#include "tim-types.h"

G_BEGIN_DECLS

#define TIM_TYPE_MESSAGE (tim_message_get_type ())
G_DECLARE_FINAL_TYPE (TimMessage, tim_message, TIM, MESSAGE, GObject)

/* Identity: "senderTinyID-clientTime-random", the same on every device. */
const char *tim_message_get_id (TimMessage *self);
TimElemType tim_message_get_elem_type (TimMessage *self);
const char *tim_message_get_type_string (TimMessage *self); /* "TIMTextElem", ... */
/* The application payload (seed field names: text, imageInfoArray, fileName, ...). */
JsonObject *tim_message_get_payload (TimMessage *self);
const char *tim_message_get_conversation_id (TimMessage *self);
TimConvType tim_message_get_conversation_type (TimMessage *self);
const char *tim_message_get_from (TimMessage *self);
const char *tim_message_get_to (TimMessage *self);
const char *tim_message_get_flow (TimMessage *self); /* "in" / "out" */
gint64 tim_message_get_time (TimMessage *self);
gint64 tim_message_get_client_time (TimMessage *self);
TimMessageStatus tim_message_get_status (TimMessage *self);
gboolean tim_message_get_is_revoked (TimMessage *self);
const char *tim_message_get_revoker (TimMessage *self);
TimPriority tim_message_get_priority (TimMessage *self);
gboolean tim_message_get_is_peer_read (TimMessage *self);
gboolean tim_message_get_is_read (TimMessage *self);
gint64 tim_message_get_sequence (TimMessage *self);
gint64 tim_message_get_random (TimMessage *self);
/* Our server's per-conversation order (0 until the server has it). */
gint64 tim_message_get_server_seq (TimMessage *self);
const char *tim_message_get_sender_tinyid (TimMessage *self);
const char *tim_message_get_nick (TimMessage *self);
/* The sender's name card in the group when they sent it (the SDK's nameCard), else NULL. */
const char *tim_message_get_name_card (TimMessage *self);
const char *tim_message_get_avatar (TimMessage *self);
const char *tim_message_get_cloud_custom_data (TimMessage *self);
/* The users a group text mentions (the SDK's atUserList; TIM_AT_ALL stands for @everyone), in
 * the order of its @s; NULL when it mentions nobody. */
const char *const *tim_message_get_at_user_list (TimMessage *self);
/* What its mentions are to user_id: TIM_GROUP_AT_ME, TIM_GROUP_AT_ALL, both or none. */
TimGroupAtType tim_message_get_group_at_type (TimMessage *self, const char *user_id);
gboolean tim_message_get_online_only (TimMessage *self);
/* Its sender's messageControlInfo (TimSendOptions): it counts as unread for nobody (the Web SDK's
 * _isExcludedFromUnreadCount), and is never its conversation's last message
 * (_isExcludedFromLastMessage). */
gboolean tim_message_get_is_excluded_from_unread_count (TimMessage *self);
gboolean tim_message_get_is_excluded_from_last_message (TimMessage *self);
/* Edits (the Web SDK's version and isModified): how many times the sender changed it, and
 * whether they did (tim_client_modify_message_async). */
gint64 tim_message_get_version (TimMessage *self);
gboolean tim_message_get_is_modified (TimMessage *self);
/* Upload of a media message being sent: bytes written / total while its file goes up, and while
 * an upload cut short waits to be tried again (from 0); 0 / 0 when none: not started, the file up
 * and the message being sent, or the send over. */
goffset tim_message_get_upload_sent (TimMessage *self);
goffset tim_message_get_upload_total (TimMessage *self);
double tim_message_get_upload_progress (TimMessage *self); /* 0..1 */
/* Why the last send failed (TIM code and our text), 0 / NULL otherwise. */
int tim_message_get_error_code (TimMessage *self);
const char *tim_message_get_error_message (TimMessage *self);
/* The local file a media message was made from (sender side), or NULL. */
GFile *tim_message_get_local_file (TimMessage *self);
/* Convenience over the payload. */
const char *tim_message_get_text (TimMessage *self);
/* The seed's messageForShow for this message ("[Image]", the text, ...): the SDK's literal
 * English, for what goes on the wire (a merged message's abstracts, a reply's quote). */
char *tim_message_dup_message_for_show (TimMessage *self);
/* The same for people, in the user's language: a text's text, "[Picture]" for a picture, ... */
char *tim_message_dup_summary (TimMessage *self);

/* Typed fields of the payload (tim-message-fields.c), NULL / 0 for other element kinds. */
typedef enum
{
  TIM_IMAGE_ORIGINAL = 0,
  TIM_IMAGE_THUMBNAIL = 1, /* 198 px on the short side */
  TIM_IMAGE_LARGE = 2,     /* 720 px */
} TimImageKind;
/* That version's URL (NULL before the upload or when missing); width and height (may be NULL)
 * are that version's, else the image's own size. */
const char *tim_message_get_image (TimMessage *self, TimImageKind kind, int *width, int *height);
/* Image (original), sound, video or file URL. */
const char *tim_message_get_media_url (TimMessage *self);
const char *tim_message_get_file_name (TimMessage *self);
gint64 tim_message_get_file_size (TimMessage *self);
gint64 tim_message_get_duration (TimMessage *self); /* seconds: sound and video */
const char *tim_message_get_video_thumb (TimMessage *self, int *width, int *height);
const char *tim_message_get_custom_data (TimMessage *self);
const char *tim_message_get_description (TimMessage *self); /* custom and location */
gint64 tim_message_get_face_index (TimMessage *self);
/* A face's data: which sticker set it is from, as its sender put it ("tt02"), or NULL. */
const char *tim_message_get_face_data (TimMessage *self);
gboolean tim_message_get_location (TimMessage *self, double *latitude, double *longitude);
const char *tim_message_get_title (TimMessage *self); /* merged (relay) messages */
/* A group system notice of an application to join (operation 1, to the owner and admins): whether
 * it waits for an answer, and the one given (tim_client_handle_group_application_async ());
 * TIM_APPLICATION_NONE for any other message. */
TimApplicationState tim_message_get_application_state (TimMessage *self);
/* A merged message's first lines, as shown before it is opened (its abstractList); NULL for
 * another kind of message. */
GStrv tim_message_dup_abstracts (TimMessage *self);
/* Who sent it, for people: the sender's name card in the group, else their nickname, else their
 * user ID. */
const char *tim_message_get_sender_name (TimMessage *self);
/* Replies (the convention of Tencent's TUIKit, in cloudCustomData; tim-message-reply.c): before
 * it is sent, makes this message a reply that quotes original (its ID, sender's name and what it
 * says, cut at 100 characters). FALSE, and nothing changed, once sent, for a recalled original, or
 * over cloud custom data that is not a JSON object. */
gboolean tim_message_set_reply_to (TimMessage *self, TimMessage *original);
/* Whether it quotes a message, and which: its ID, sender's name and abstract (each may be NULL
 * not to have it; free them). */
gboolean tim_message_dup_reply (TimMessage *self, char **message_id, char **sender,
                                char **abstract);
/* The sentence of a group tip or system notice ("alice joined the group"), else NULL. */
char *tim_message_dup_tip_text (TimMessage *self);
/* The same to me, the signed-in user: a tip about them alone says "you" ("Tia added you to the
 * group"). */
char *tim_message_dup_tip_text_for (TimMessage *self, const char *me);

G_END_DECLS
