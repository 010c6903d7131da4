/* tim-conv.h: conversation IDs: "C2C<user>", "GROUP<group>", "@TIM#SYSTEM". */
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

G_END_DECLS
