/* timchat-cmd-group.c: group membership commands (being written). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "timchat-commands-private.h"

#define NOT_YET(name) \
  JsonObject *name (TimchatRequest *request, GError **error) \
  { \
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_COMMAND, "Not implemented yet"); \
    return NULL; \
  }

NOT_YET (_timchat_cmd_create_group)
NOT_YET (_timchat_cmd_get_group_info)
NOT_YET (_timchat_cmd_get_group_member_info)
NOT_YET (_timchat_cmd_get_group_self_member_info)
NOT_YET (_timchat_cmd_add_group_member)
NOT_YET (_timchat_cmd_delete_group_member)
NOT_YET (_timchat_cmd_modify_group_member_info)
NOT_YET (_timchat_cmd_quit_group)
NOT_YET (_timchat_cmd_destroy_group)

JsonObject *
_timchat_cmd_get_joined_group_list (TimchatRequest *request, GError **error)
{
  JsonObject *reply = json_object_new ();

  json_object_set_array_member (reply, "GroupIdList", json_array_new ());
  json_object_set_int_member (reply, "TotalCount", 0);
  return reply;
}
