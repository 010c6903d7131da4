/* tim-conv.h: conversation IDs ("C2C<user>", "GROUP<group>", "@TIM#SYSTEM"), user and group IDs,
 * and how a user hears of a conversation (its remind names and numbers). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TIM_CONV_INVALID = 0,
  TIM_CONV_C2C = 1,
  TIM_CONV_GROUP = 2,
  TIM_CONV_SYSTEM = 3,
} TimConvType;

TimConvType tim_conv_parse_id (const char *conversation_id, const char **target_out);
char *tim_conv_make_id (TimConvType type, const char *target);
const char *tim_conv_type_to_string (TimConvType type);
/* UserIDs: 1..32 bytes of letters, digits, '_', '-', '@', '.' (the vendor's rule, plus the
 * characters its admin accounts use). Group IDs: 1..48 printable bytes without spaces. */
gboolean tim_user_id_is_valid (const char *user_id);
gboolean tim_group_id_is_valid (const char *group_id);
/* A group name with nothing in it but white space (spaces, tabs, an ideographic space): it
 * would show as no name at all. NULL is blank too. */
gboolean tim_group_name_is_blank (const char *name);

/* How a user hears of a conversation (the SDK's messageRemindType): its names, and the numbers
 * the C2C wire gives them (Mute_Notifications, MuteFlag). */
#define TIM_REMIND_ACCEPT_AND_NOTIFY "AcceptAndNotify"
#define TIM_REMIND_ACCEPT_NOT_NOTIFY "AcceptNotNotify"
#define TIM_REMIND_DISCARD "Discard"

typedef enum
{
  TIM_REMIND_FLAG_NOTIFY = 0,     /* AcceptAndNotify */
  TIM_REMIND_FLAG_DISCARD = 1,    /* Discard */
  TIM_REMIND_FLAG_NOT_NOTIFY = 2, /* AcceptNotNotify */
} TimRemindFlag;

/* The name of flag (TIM_REMIND_*; AcceptAndNotify for a number out of range). */
const char *tim_remind_flag_to_name (gint64 flag);
/* The flag a TIM_REMIND_* name stands for; -1 for anything else (NULL too). */
int tim_remind_flag_from_name (const char *name);

/* Whether a user is online (the SDK's getUserStatus statusType): logged in on some device,
 * logged in but disconnected, or logged out (and never logged in). */
typedef enum
{
  TIM_USER_STATUS_UNKNOWN = 0,
  TIM_USER_STATUS_ONLINE = 1,
  TIM_USER_STATUS_OFFLINE = 2,
  TIM_USER_STATUS_UNLOGINED = 3,
} TimUserStatus;

/* A conversation's marks (the SDK's markConversation, CONV_MARK_TYPE_*): any of the 64 bits, the
 * four below the SDK's and the others an app's own. */
typedef enum
{
  TIM_CONV_MARK_STAR = 1 << 0,
  TIM_CONV_MARK_UNREAD = 1 << 1,
  TIM_CONV_MARK_FOLD = 1 << 2,
  TIM_CONV_MARK_HIDE = 1 << 3,
} TimConvMark;

/* The wire's StandardMark: the bits as a string of '0' and '1', highest first ("1010" for hide
 * and unread), "" for none. */
char *tim_conv_marks_to_wire (guint64 marks);
/* What a StandardMark says; 0 for NULL, "" and anything but 1 to 64 of '0' and '1'. */
guint64 tim_conv_marks_from_wire (const char *wire);

G_END_DECLS
