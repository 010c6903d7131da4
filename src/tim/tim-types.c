/* tim-types.c: GTypes and string forms of libtim's enums, and TimSendOptions. The strings are
 * the seed SDK's own values (tim-sdk-facts.md §1.3, §1.4, §1.7). */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-types.h"
#include "tim-elem.h"

#define DEFINE_ENUM_TYPE(func, Name, values)                                                       \
  GType func (void)                                                                                \
  {                                                                                                \
    static gsize type_id = 0;                                                                      \
                                                                                                   \
    if (g_once_init_enter (&type_id))                                                              \
      g_once_init_leave (&type_id,                                                                 \
                         g_enum_register_static (g_intern_static_string (Name), values));          \
    return type_id;                                                                                \
  }

static const GEnumValue message_status_values[] = {
  { TIM_MESSAGE_STATUS_UNSENT, "TIM_MESSAGE_STATUS_UNSENT", "unsent" },
  { TIM_MESSAGE_STATUS_SUCCESS, "TIM_MESSAGE_STATUS_SUCCESS", "success" },
  { TIM_MESSAGE_STATUS_FAIL, "TIM_MESSAGE_STATUS_FAIL", "fail" },
  { 0, NULL, NULL },
};

static const GEnumValue net_state_values[] = {
  { TIM_NET_STATE_DISCONNECTED, "TIM_NET_STATE_DISCONNECTED", "disconnected" },
  { TIM_NET_STATE_CONNECTING, "TIM_NET_STATE_CONNECTING", "connecting" },
  { TIM_NET_STATE_CONNECTED, "TIM_NET_STATE_CONNECTED", "connected" },
  { 0, NULL, NULL },
};

static const GEnumValue priority_values[] = {
  { TIM_PRIORITY_HIGH, "TIM_PRIORITY_HIGH", "high" },
  { TIM_PRIORITY_NORMAL, "TIM_PRIORITY_NORMAL", "normal" },
  { TIM_PRIORITY_LOW, "TIM_PRIORITY_LOW", "low" },
  { TIM_PRIORITY_LOWEST, "TIM_PRIORITY_LOWEST", "lowest" },
  { 0, NULL, NULL },
};

static const GEnumValue conv_type_values[] = {
  { TIM_CONV_INVALID, "TIM_CONV_INVALID", "invalid" },
  { TIM_CONV_C2C, "TIM_CONV_C2C", "c2c" },
  { TIM_CONV_GROUP, "TIM_CONV_GROUP", "group" },
  { TIM_CONV_SYSTEM, "TIM_CONV_SYSTEM", "system" },
  { 0, NULL, NULL },
};

static const GEnumValue elem_type_values[] = {
  { TIM_ELEM_UNKNOWN, "TIM_ELEM_UNKNOWN", "unknown" },
  { TIM_ELEM_TEXT, "TIM_ELEM_TEXT", "text" },
  { TIM_ELEM_IMAGE, "TIM_ELEM_IMAGE", "image" },
  { TIM_ELEM_SOUND, "TIM_ELEM_SOUND", "sound" },
  { TIM_ELEM_VIDEO, "TIM_ELEM_VIDEO", "video" },
  { TIM_ELEM_FILE, "TIM_ELEM_FILE", "file" },
  { TIM_ELEM_FACE, "TIM_ELEM_FACE", "face" },
  { TIM_ELEM_LOCATION, "TIM_ELEM_LOCATION", "location" },
  { TIM_ELEM_CUSTOM, "TIM_ELEM_CUSTOM", "custom" },
  { TIM_ELEM_RELAY, "TIM_ELEM_RELAY", "relay" },
  { TIM_ELEM_GROUP_TIP, "TIM_ELEM_GROUP_TIP", "group-tip" },
  { TIM_ELEM_GROUP_SYSTEM_NOTICE, "TIM_ELEM_GROUP_SYSTEM_NOTICE", "group-system-notice" },
  { 0, NULL, NULL },
};

static const GEnumValue user_status_values[] = {
  { TIM_USER_STATUS_UNKNOWN, "TIM_USER_STATUS_UNKNOWN", "unknown" },
  { TIM_USER_STATUS_ONLINE, "TIM_USER_STATUS_ONLINE", "online" },
  { TIM_USER_STATUS_OFFLINE, "TIM_USER_STATUS_OFFLINE", "offline" },
  { TIM_USER_STATUS_UNLOGINED, "TIM_USER_STATUS_UNLOGINED", "unlogined" },
  { 0, NULL, NULL },
};

static const GFlagsValue group_at_type_values[] = {
  { TIM_GROUP_AT_ME, "TIM_GROUP_AT_ME", "me" },
  { TIM_GROUP_AT_ALL, "TIM_GROUP_AT_ALL", "all" },
  { 0, NULL, NULL },
};

GType
tim_group_at_type_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_flags_register_static (g_intern_static_string ("TimGroupAtType"),
                                                          group_at_type_values));
  return type_id;
}

DEFINE_ENUM_TYPE (tim_message_status_get_type, "TimMessageStatus", message_status_values)
DEFINE_ENUM_TYPE (tim_net_state_get_type, "TimNetState", net_state_values)
DEFINE_ENUM_TYPE (tim_priority_get_type, "TimPriority", priority_values)
DEFINE_ENUM_TYPE (tim_conv_type_get_type, "TimConvType", conv_type_values)
DEFINE_ENUM_TYPE (tim_elem_type_get_type, "TimElemType", elem_type_values)
DEFINE_ENUM_TYPE (tim_user_status_get_type, "TimUserStatus", user_status_values)

const char *
tim_message_status_to_string (TimMessageStatus status)
{
  switch (status)
    {
    case TIM_MESSAGE_STATUS_SUCCESS:
      return "success";
    case TIM_MESSAGE_STATUS_FAIL:
      return "fail";
    case TIM_MESSAGE_STATUS_UNSENT:
    default:
      return "unSend";
    }
}

TimMessageStatus
tim_message_status_from_string (const char *text)
{
  if (g_strcmp0 (text, "success") == 0)
    return TIM_MESSAGE_STATUS_SUCCESS;
  if (g_strcmp0 (text, "fail") == 0)
    return TIM_MESSAGE_STATUS_FAIL;
  return TIM_MESSAGE_STATUS_UNSENT;
}

const char *
tim_net_state_to_string (TimNetState state)
{
  switch (state)
    {
    case TIM_NET_STATE_CONNECTED:
      return "connected";
    case TIM_NET_STATE_CONNECTING:
      return "connecting";
    case TIM_NET_STATE_DISCONNECTED:
    default:
      return "disconnected";
    }
}

const char *
tim_user_status_to_string (TimUserStatus status)
{
  switch (status)
    {
    case TIM_USER_STATUS_ONLINE:
      return "online";
    case TIM_USER_STATUS_OFFLINE:
      return "offline";
    case TIM_USER_STATUS_UNLOGINED:
      return "unlogined";
    case TIM_USER_STATUS_UNKNOWN:
    default:
      return "unknown";
    }
}

const char *
tim_priority_to_string (TimPriority priority)
{
  switch (priority)
    {
    case TIM_PRIORITY_HIGH:
      return "High";
    case TIM_PRIORITY_LOW:
      return "Low";
    case TIM_PRIORITY_LOWEST:
      return "Lowest";
    case TIM_PRIORITY_NORMAL:
    default:
      return "Normal";
    }
}

TimPriority
tim_priority_from_string (const char *text)
{
  if (g_strcmp0 (text, "High") == 0)
    return TIM_PRIORITY_HIGH;
  if (g_strcmp0 (text, "Low") == 0)
    return TIM_PRIORITY_LOW;
  if (g_strcmp0 (text, "Lowest") == 0)
    return TIM_PRIORITY_LOWEST;
  return TIM_PRIORITY_NORMAL;
}

G_DEFINE_BOXED_TYPE (TimSendOptions, tim_send_options, tim_send_options_copy, tim_send_options_free)

TimSendOptions *
tim_send_options_new (void)
{
  return g_new0 (TimSendOptions, 1);
}

TimSendOptions *
tim_send_options_copy (const TimSendOptions *options)
{
  TimSendOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_new0 (TimSendOptions, 1);
  copy->online_user_only = options->online_user_only;
  copy->disable_push = options->disable_push;
  copy->exclude_from_unread_count = options->exclude_from_unread_count;
  copy->exclude_from_last_message = options->exclude_from_last_message;
  copy->push_title = g_strdup (options->push_title);
  copy->push_description = g_strdup (options->push_description);
  copy->push_extension = g_strdup (options->push_extension);
  return copy;
}

void
tim_send_options_free (TimSendOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->push_title);
  g_free (options->push_description);
  g_free (options->push_extension);
  g_free (options);
}

G_DEFINE_BOXED_TYPE (TimUserStatusInfo, tim_user_status_info, tim_user_status_info_copy,
                     tim_user_status_info_free)

TimUserStatusInfo *
tim_user_status_info_copy (const TimUserStatusInfo *info)
{
  TimUserStatusInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (TimUserStatusInfo, 1);
  copy->user_id = g_strdup (info->user_id);
  copy->status = info->status;
  copy->custom_status = g_strdup (info->custom_status);
  copy->error_code = info->error_code;
  return copy;
}

void
tim_user_status_info_free (TimUserStatusInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->user_id);
  g_free (info->custom_status);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (TimGroupMember, tim_group_member, tim_group_member_copy, tim_group_member_free)

TimGroupMember *
tim_group_member_copy (const TimGroupMember *member)
{
  TimGroupMember *copy;

  g_return_val_if_fail (member != NULL, NULL);

  copy = g_new0 (TimGroupMember, 1);
  copy->user_id = g_strdup (member->user_id);
  copy->role = g_strdup (member->role);
  copy->name_card = g_strdup (member->name_card);
  copy->nick = g_strdup (member->nick);
  copy->mute_until = member->mute_until;
  return copy;
}

const char *
tim_group_member_get_name (const TimGroupMember *member)
{
  g_return_val_if_fail (member != NULL, NULL);

  return member->name_card != NULL ? member->name_card
         : member->nick != NULL    ? member->nick
                                   : member->user_id;
}

void
tim_group_member_free (TimGroupMember *member)
{
  if (member == NULL)
    return;
  g_free (member->user_id);
  g_free (member->role);
  g_free (member->name_card);
  g_free (member->nick);
  g_free (member);
}

G_DEFINE_BOXED_TYPE (TimGroupInfo, tim_group_info, tim_group_info_copy, tim_group_info_free)

TimGroupInfo *
tim_group_info_copy (const TimGroupInfo *info)
{
  TimGroupInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (TimGroupInfo, 1);
  copy->group_id = g_strdup (info->group_id);
  copy->type = g_strdup (info->type);
  copy->name = g_strdup (info->name);
  copy->introduction = g_strdup (info->introduction);
  copy->notification = g_strdup (info->notification);
  copy->face_url = g_strdup (info->face_url);
  copy->owner_id = g_strdup (info->owner_id);
  copy->member_count = info->member_count;
  copy->max_member_count = info->max_member_count;
  copy->join_option = g_strdup (info->join_option);
  return copy;
}

void
tim_group_info_free (TimGroupInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->group_id);
  g_free (info->type);
  g_free (info->name);
  g_free (info->introduction);
  g_free (info->notification);
  g_free (info->face_url);
  g_free (info->owner_id);
  g_free (info->join_option);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (TimGroupApplication, tim_group_application, tim_group_application_copy,
                     tim_group_application_free)

TimGroupApplication *
tim_group_application_copy (const TimGroupApplication *application)
{
  TimGroupApplication *copy;

  g_return_val_if_fail (application != NULL, NULL);

  copy = g_new0 (TimGroupApplication, 1);
  copy->group_id = g_strdup (application->group_id);
  copy->group_name = g_strdup (application->group_name);
  copy->applicant = g_strdup (application->applicant);
  copy->applicant_nick = g_strdup (application->applicant_nick);
  copy->message = g_strdup (application->message);
  copy->authentication = g_strdup (application->authentication);
  copy->time = application->time;
  return copy;
}

void
tim_group_application_free (TimGroupApplication *application)
{
  if (application == NULL)
    return;
  g_free (application->group_id);
  g_free (application->group_name);
  g_free (application->applicant);
  g_free (application->applicant_nick);
  g_free (application->message);
  g_free (application->authentication);
  g_free (application);
}
