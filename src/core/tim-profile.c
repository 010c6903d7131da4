/* tim-profile.c: the profile service's fields and what each may hold. */
#include "config.h"

#include "tim-profile.h"

#include <string.h>

#include "tim-error.h"
#include "tim-limits.h"

static const char *const genders[] = { "Gender_Type_Unknown", "Gender_Type_Female",
                                       "Gender_Type_Male", NULL };
static const char *const allow_types[] = { "AllowType_Type_NeedConfirm", "AllowType_Type_AllowAny",
                                           "AllowType_Type_DenyAny", NULL };
static const char *const admin_forbid_types[] = { "AdminForbid_Type_None",
                                                  "AdminForbid_Type_SendOut", NULL };

static const TimProfileField standard_fields[] = {
  { TIM_PROFILE_TAG_NICK, TIM_PROFILE_STRING, "", TIM_MAX_PROFILE_VALUE_BYTES, NULL },
  { TIM_PROFILE_TAG_IMAGE, TIM_PROFILE_STRING, "", TIM_MAX_PROFILE_VALUE_BYTES, NULL },
  { "Tag_Profile_IM_Gender", TIM_PROFILE_STRING, "Gender_Type_Unknown", 0, genders },
  { "Tag_Profile_IM_BirthDay", TIM_PROFILE_UINT32, NULL, 0, NULL },
  { "Tag_Profile_IM_Location", TIM_PROFILE_STRING, "", TIM_MAX_PROFILE_LOCATION_BYTES, NULL },
  { "Tag_Profile_IM_SelfSignature", TIM_PROFILE_STRING, "", TIM_MAX_PROFILE_VALUE_BYTES, NULL },
  { "Tag_Profile_IM_AllowType", TIM_PROFILE_STRING, "AllowType_Type_NeedConfirm", 0, allow_types },
  { "Tag_Profile_IM_Language", TIM_PROFILE_UINT32, NULL, 0, NULL },
  { "Tag_Profile_IM_MsgSettings", TIM_PROFILE_UINT32, NULL, 0, NULL },
  { "Tag_Profile_IM_AdminForbidType", TIM_PROFILE_STRING, "AdminForbid_Type_None", 0,
    admin_forbid_types },
  { "Tag_Profile_IM_Level", TIM_PROFILE_UINT32, NULL, 0, NULL },
  { "Tag_Profile_IM_Role", TIM_PROFILE_UINT32, NULL, 0, NULL },
};

const TimProfileField *
tim_profile_standard_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (standard_fields);
  return standard_fields;
}

const TimProfileField *
tim_profile_standard_field (const char *tag)
{
  for (guint i = 0; tag != NULL && i < G_N_ELEMENTS (standard_fields); i++)
    if (g_str_equal (tag, standard_fields[i].tag))
      return &standard_fields[i];
  return NULL;
}

gboolean
tim_profile_is_custom_tag (const char *tag)
{
  const char *key;
  gsize length;

  if (tag == NULL || !g_str_has_prefix (tag, TIM_PROFILE_CUSTOM_PREFIX))
    return FALSE;
  key = tag + strlen (TIM_PROFILE_CUSTOM_PREFIX);
  length = strlen (key);
  if (length == 0 || length > TIM_MAX_PROFILE_CUSTOM_KEY_BYTES)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (key[i]) && key[i] != '_')
      return FALSE;
  return TRUE;
}

gboolean
tim_profile_is_known_tag (const char *tag)
{
  return tim_profile_standard_field (tag) != NULL || tim_profile_is_custom_tag (tag);
}

static gboolean
is_integer (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_INT64;
}

static gboolean
is_string (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_STRING;
}

gboolean
tim_profile_check_value (const char *tag, JsonNode *value, GError **error)
{
  const TimProfileField *field = tim_profile_standard_field (tag);
  gsize max_bytes = field != NULL ? field->max_bytes : TIM_MAX_PROFILE_VALUE_BYTES;
  const char *text;

  if (field == NULL && !tim_profile_is_custom_tag (tag))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_TAG_NOT_FOUND,
                   "There is no profile field %s (custom fields are " TIM_PROFILE_CUSTOM_PREFIX
                   "<key>, a key of 1 to %d letters, digits or underscores)",
                   tag, TIM_MAX_PROFILE_CUSTOM_KEY_BYTES);
      return FALSE;
    }
  if (field != NULL && field->type == TIM_PROFILE_UINT32)
    {
      gint64 number;

      if (!is_integer (value))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TYPE, "%s takes an integer", tag);
          return FALSE;
        }
      number = json_node_get_int (value);
      if (number < 0 || number > G_MAXUINT32)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_VALUE,
                       "%s takes an integer from 0 to %u", tag, G_MAXUINT32);
          return FALSE;
        }
      return TRUE;
    }
  if (!is_string (value))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TYPE, "%s takes a string", tag);
      return FALSE;
    }
  text = json_node_get_string (value);
  if (field != NULL && field->choices != NULL)
    {
      if (!g_strv_contains (field->choices, text))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) field->choices);

          g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_VALUE, "%s is one of %s", tag,
                       choices);
          return FALSE;
        }
      return TRUE;
    }
  if (strlen (text) > max_bytes)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TOO_LONG,
                   "%s is %" G_GSIZE_FORMAT " bytes at most", tag, max_bytes);
      return FALSE;
    }
  return TRUE;
}
