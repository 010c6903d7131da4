/* tim-profile.h: the profile service's fields (tim-rest-facts.md §3.7): each standard
 * Tag_Profile_IM_* field with its type, the value it reads as when unset and its limits, and the
 * custom fields Tag_Profile_Custom_<key>. What portrait_set may write, in both transports. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TIM_PROFILE_TAG_NICK "Tag_Profile_IM_Nick"
#define TIM_PROFILE_TAG_IMAGE "Tag_Profile_IM_Image"
#define TIM_PROFILE_CUSTOM_PREFIX "Tag_Profile_Custom_"

typedef enum
{
  TIM_PROFILE_STRING,
  TIM_PROFILE_UINT32,
} TimProfileType;

typedef struct
{
  const char *tag;
  TimProfileType type;
  const char *string_default; /* a string field's value when unset (an integer's is 0) */
  gsize max_bytes;            /* a free string's limit (0 for an enumeration or an integer) */
  const char *const *choices; /* an enumeration's values, NULL-terminated; NULL for others */
} TimProfileField;

/* The twelve standard fields, Nick and Image first (the order portrait_get lists them in). */
const TimProfileField *tim_profile_standard_fields (guint *n_fields);
/* The standard field named tag, or NULL. */
const TimProfileField *tim_profile_standard_field (const char *tag);
/* Whether tag names a custom field: the prefix, then a key of 1 to TIM_MAX_PROFILE_CUSTOM_KEY_BYTES
 * letters, digits or underscores. */
gboolean tim_profile_is_custom_tag (const char *tag);
/* Whether tag names a standard or a custom field. */
gboolean tim_profile_is_known_tag (const char *tag);
/* Whether value may be stored under tag, with the vendor's codes (TIM_ERROR_PROFILE_*): 40009
 * TAG_NOT_FOUND for a tag that names no field; 40610 VALUE_TYPE for a JSON value of the wrong type
 * (a number for a string field; a string, fraction, boolean or null for an integer one); 40601
 * VALUE_TOO_LONG for a string over the field's limit; 40605 INVALID_VALUE for a value an
 * enumeration does not have or an integer out of the uint32 range. Custom values are strings. */
gboolean tim_profile_check_value (const char *tag, JsonNode *value, GError **error);

G_END_DECLS
