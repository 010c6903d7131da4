/* tim-group-at.h: group @-mentions on the wire (tim-sdk-facts.md §1.7, §2): the GroupAtInfo
 * array a group send carries, and what one message's mentions mean to one member. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The SDK's MSG_AT_ALL (sic, three "s"): stands for @everyone in an @-user list. */
#define TIM_AT_ALL "__kImSDK_MesssageAtALL__"
/* Entries a GroupAtInfo may hold; more is a bad request (docs/protocol.md, "Differs"). */
#define TIM_MAX_AT_USERS 100

/* What a message's mentions are to one member: the SDK's CONV_AT_ME and CONV_AT_ALL bits
 * (both set is its CONV_AT_ALL_AT_ME, 3). */
typedef enum
{
  TIM_GROUP_AT_NONE = 0,
  TIM_GROUP_AT_ME = 1 << 0,
  TIM_GROUP_AT_ALL = 1 << 1,
} TimGroupAtType;

/* The GroupAtInfo array of an @-user list, in its order; TIM_AT_ALL becomes
 * {"GroupAtAllFlag":1}. NULL or empty gives NULL. */
JsonArray *tim_group_at_info_new (const char *const *at_users);
/* The @-user list of a GroupAtInfo array (NULL when it has none). Fails with
 * TIM_ERROR_INVALID_PARAMETER, saying which entry is wrong, when an entry is not an object,
 * GroupAtAllFlag is not 0 or 1, an account is missing, empty or over TIM_MAX_USERID_BYTES, or
 * there are more than TIM_MAX_AT_USERS entries. A repeated user or @all counts once. */
gboolean tim_group_at_info_parse (JsonArray *at_info, GStrv *at_users, GError **error);
/* What at_users means to user_id: TIM_GROUP_AT_ME, TIM_GROUP_AT_ALL, both or none. */
TimGroupAtType tim_group_at_type_for (const char *const *at_users, const char *user_id);
/* The AtFlagList of an @ tip (GroupTips Event 12): [1], [2] or [1,2]; NULL for none. */
JsonArray *tim_group_at_flag_list_new (TimGroupAtType type);
/* The type an AtFlagList names (1, 2, 3, or a list of them). */
TimGroupAtType tim_group_at_type_from_flag_list (JsonArray *flags);

G_END_DECLS
