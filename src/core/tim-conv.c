/* tim-conv.c: conversation and account identifiers. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-conv.h"
#include "tim-limits.h"

TimConvType
tim_conv_parse_id (const char *conversation_id, const char **target_out)
{
  TimConvType type = TIM_CONV_INVALID;
  const char *target = NULL;

  if (conversation_id == NULL)
    return TIM_CONV_INVALID;
  if (g_str_equal (conversation_id, TIM_SYSTEM_CONVERSATION_ID))
    type = TIM_CONV_SYSTEM, target = conversation_id;
  else if (g_str_has_prefix (conversation_id, "C2C") && tim_user_id_is_valid (conversation_id + 3))
    type = TIM_CONV_C2C, target = conversation_id + 3;
  else if (g_str_has_prefix (conversation_id, "GROUP") &&
           tim_group_id_is_valid (conversation_id + 5))
    type = TIM_CONV_GROUP, target = conversation_id + 5;
  if (target_out != NULL)
    *target_out = target;
  return type;
}

char *
tim_conv_make_id (TimConvType type, const char *target)
{
  switch (type)
    {
    case TIM_CONV_C2C:
      return g_strconcat ("C2C", target, NULL);
    case TIM_CONV_GROUP:
      return g_strconcat ("GROUP", target, NULL);
    case TIM_CONV_SYSTEM:
      return g_strdup (TIM_SYSTEM_CONVERSATION_ID);
    case TIM_CONV_INVALID:
    default:
      return NULL;
    }
}

const char *
tim_conv_type_to_string (TimConvType type)
{
  switch (type)
    {
    case TIM_CONV_C2C:
      return "C2C";
    case TIM_CONV_GROUP:
      return "GROUP";
    case TIM_CONV_SYSTEM:
      return TIM_SYSTEM_CONVERSATION_ID;
    case TIM_CONV_INVALID:
    default:
      return "";
    }
}

gboolean
tim_user_id_is_valid (const char *user_id)
{
  gsize length;

  if (user_id == NULL)
    return FALSE;
  length = strlen (user_id);
  if (length == 0 || length > TIM_MAX_USERID_BYTES)
    return FALSE;
  for (const char *p = user_id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '@' && *p != '.')
      return FALSE;
  return TRUE;
}

gboolean
tim_group_id_is_valid (const char *group_id)
{
  gsize length;

  if (group_id == NULL)
    return FALSE;
  length = strlen (group_id);
  if (length == 0 || length > TIM_MAX_GROUPID_BYTES)
    return FALSE;
  for (const char *p = group_id; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return FALSE;
  return TRUE;
}

gboolean
tim_group_name_is_blank (const char *name)
{
  for (const char *c = name; c != NULL && *c != '\0'; c = g_utf8_next_char (c))
    if (!g_unichar_isspace (g_utf8_get_char (c)))
      return FALSE;
  return TRUE;
}

static const char *const remind_names[] = {
  [TIM_REMIND_FLAG_NOTIFY] = TIM_REMIND_ACCEPT_AND_NOTIFY,
  [TIM_REMIND_FLAG_DISCARD] = TIM_REMIND_DISCARD,
  [TIM_REMIND_FLAG_NOT_NOTIFY] = TIM_REMIND_ACCEPT_NOT_NOTIFY,
};

const char *
tim_remind_flag_to_name (gint64 flag)
{
  return flag >= 0 && flag < (gint64) G_N_ELEMENTS (remind_names) ? remind_names[flag]
                                                                  : remind_names[0];
}

char *
tim_conv_marks_to_wire (guint64 marks)
{
  GString *wire = g_string_new (NULL);

  for (int bit = 63; bit >= 0; bit--)
    if (wire->len > 0 || (marks >> bit) & 1)
      g_string_append_c (wire, (marks >> bit) & 1 ? '1' : '0');
  return g_string_free (wire, FALSE);
}

guint64
tim_conv_marks_from_wire (const char *wire)
{
  size_t length = wire != NULL ? strlen (wire) : 0;
  guint64 marks = 0;

  if (length > 64 || strspn (wire != NULL ? wire : "", "01") != length)
    return 0;
  for (size_t i = 0; i < length; i++)
    marks = (marks << 1) | (guint64) (wire[i] == '1');
  return marks;
}

int
tim_remind_flag_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (remind_names); i++)
    if (g_str_equal (name, remind_names[i]))
      return (int) i;
  return -1;
}
