/* timchat-cmd-conv-admin.c: conversation admin REST commands (being written). */
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

NOT_YET (_timchat_cmd_recentcontact_get_list)
NOT_YET (_timchat_cmd_recentcontact_delete)
