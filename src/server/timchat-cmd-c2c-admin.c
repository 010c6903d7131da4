/* timchat-cmd-c2c-admin.c: one-to-one admin REST commands (being written). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "timchat-commands-private.h"

#define NOT_YET(name)                                                                              \
  JsonObject *name (TimchatRequest *request, GError **error)                                       \
  {                                                                                                \
    g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_COMMAND, "Not implemented yet");      \
    return NULL;                                                                                   \
  }

NOT_YET (_timchat_cmd_batchsendmsg)
NOT_YET (_timchat_cmd_admin_getroammsg)
NOT_YET (_timchat_cmd_admin_msgwithdraw)
NOT_YET (_timchat_cmd_admin_set_msg_read)
NOT_YET (_timchat_cmd_get_c2c_unread_msg_num)
