/* timchat-command.c: the one command table. A WebSocket servcmd "service.command" and a REST
 * path /v4/service/command name the same entry. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-hub.h"

#define WS TIMCHAT_COMMAND_WEBSOCKET
#define REST TIMCHAT_COMMAND_REST
#define PUBLIC TIMCHAT_COMMAND_NO_LOGIN
#define PUSHES_FIRST TIMCHAT_COMMAND_PUSHES_FIRST
#define ONE_WRITE TIMCHAT_COMMAND_ONE_WRITE

static const TimchatCommand commands[] = {
  /* Session. */
  { "heartbeat.alive", _timchat_cmd_ok, WS | PUBLIC },
  { "im_open_status.wslogin", _timchat_cmd_wslogin, WS | PUBLIC },
  { "im_open_status.wslogout", _timchat_cmd_wslogout, WS | TIMCHAT_COMMAND_ENDS_LOGIN },
  { "im_open_status.wshello", _timchat_cmd_ok, WS },
  { "openim.ws_msg_push_ack", _timchat_cmd_ok, WS },

  /* Who is online (the SDK's getUserStatus and the rest of its user status). */
  { "im_open_status.ws_get_user_status", _timchat_cmd_get_user_status, WS },
  { "im_open_status.ws_status_subscribe", _timchat_cmd_subscribe_user_status, WS },
  { "im_open_status.ws_status_unsubscribe", _timchat_cmd_unsubscribe_user_status, WS },
  { "im_open_status.ws_set_custom_status", _timchat_cmd_set_self_status, WS },

  /* The blocklist (the SDK's blacklist). */
  { "sns.black_list_get", _timchat_cmd_black_list_get, WS | REST },
  { "sns.black_list_add", _timchat_cmd_black_list_add, WS | REST | PUSHES_FIRST },
  { "sns.black_list_delete", _timchat_cmd_black_list_delete, WS | REST | PUSHES_FIRST },

  /* Things the official SDK asks for right after login that we have nothing for (yet). */
  { "openim.authkey", _timchat_cmd_ok, WS },
  { "im_sdk_config_mgr.fetch_config", _timchat_cmd_ok, WS },
  /* The SDK's own statistics, sent logged in or not; we keep none (sdk-wire-notes.md: `{}`). */
  { "imopenstat.tim_web_report_v2", _timchat_cmd_ok, WS | PUBLIC },
  { "recentcontact.get_contact_group", _timchat_cmd_get_contact_group, WS },
  { "recentcontact.create_contact_group", _timchat_cmd_create_contact_group, WS },
  { "recentcontact.del_contact_group", _timchat_cmd_del_contact_group, WS },
  { "recentcontact.update_contact_group", _timchat_cmd_update_contact_group, WS },
  /* What of the SDK's paid features we serve. */
  { "im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2", _timchat_cmd_purchase_bits, WS },

  /* Accounts (REST). */
  { "im_open_login_svc.kick", _timchat_cmd_kick, REST },
  { "im_open_login_svc.account_import", _timchat_cmd_account_import, REST },
  { "im_open_login_svc.multiaccount_import", _timchat_cmd_multiaccount_import, REST },
  { "im_open_login_svc.account_delete", _timchat_cmd_account_delete, REST },
  { "im_open_login_svc.account_check", _timchat_cmd_account_check, REST },

  /* One-to-one. */
  { "openim.sendmsg", _timchat_cmd_sendmsg, WS | REST | ONE_WRITE },
  { "openim.getroammsg", _timchat_cmd_getroammsg, WS },
  { "openim.msgwithdraw", _timchat_cmd_msgwithdraw, WS },
  { "openim.modify_c2c_msg", _timchat_cmd_modify_c2c_msg, WS },
  /* Yes, openim: the SDK sends its group edits to the openim service. */
  { "openim.modify_group_msg", _timchat_cmd_modify_group_msg, WS },
  { "openim.delete_c2c_msg_ramble", _timchat_cmd_delete_c2c_msg_ramble, WS },
  { "openim.msgreaded", _timchat_cmd_msgreaded, WS },
  { "openim.get_peer_read_time", _timchat_cmd_get_peer_read_time, WS },
  { "openim.getmsg", _timchat_cmd_getmsg, WS },
  { "openim.deletemsg", _timchat_cmd_deletemsg, WS },
  { "openim.batchsendmsg", _timchat_cmd_batchsendmsg, REST },
  { "openim.admin_getroammsg", _timchat_cmd_admin_getroammsg, REST },
  { "openim.admin_msgwithdraw", _timchat_cmd_admin_msgwithdraw, REST },
  { "openim.admin_set_msg_read", _timchat_cmd_admin_set_msg_read, REST },
  { "openim.get_c2c_unread_msg_num", _timchat_cmd_get_c2c_unread_msg_num, REST },

  /* Merged messages too big to travel inline: their lists (the SDK's createMergerMessage and
   * downloadMergerMessage). */
  { "im_long_msg.save_relay_json_msg", _timchat_cmd_save_relay_json_msg, WS },
  { "im_long_msg.get_relay_json_msg", _timchat_cmd_get_relay_json_msg, WS },

  /* Groups. */
  { "group_open_http_svc.send_group_msg", _timchat_cmd_send_group_msg, WS | REST | ONE_WRITE },
  { "group_open_http_svc.group_msg_get", _timchat_cmd_group_msg_get, WS },
  { "group_open_http_svc.group_msg_recall", _timchat_cmd_group_msg_recall, WS | REST },
  { "group_open_http_svc.delete_group_ramble_msg_by_seq",
    _timchat_cmd_delete_group_ramble_msg_by_seq, WS },
  { "group_open_http_svc.msg_read_report", _timchat_cmd_msg_read_report, WS },
  { "group_open_http_svc.create_group", _timchat_cmd_create_group, WS | REST },
  { "group_open_http_svc.get_group_info", _timchat_cmd_get_group_info, WS | REST },
  { "group_open_http_svc.get_joined_group_list", _timchat_cmd_get_joined_group_list, WS | REST },
  { "group_open_http_svc.get_group_member_info", _timchat_cmd_get_group_member_info, WS | REST },
  { "group_open_http_svc.get_specified_group_member_info", _timchat_cmd_get_group_member_info, WS },
  { "group_open_http_svc.get_group_self_member_info", _timchat_cmd_get_group_self_member_info, WS },
  { "group_open_http_svc.get_online_member_num", _timchat_cmd_get_online_member_num, WS | REST },
  { "group_open_http_svc.add_group_member", _timchat_cmd_add_group_member, WS | REST },
  { "group_open_http_svc.delete_group_member", _timchat_cmd_delete_group_member, WS | REST },
  { "group_open_http_svc.modify_group_member_info", _timchat_cmd_modify_group_member_info,
    WS | REST },
  { "group_open_http_svc.quit_group", _timchat_cmd_quit_group, WS },
  { "group_open_http_svc.send_group_system_notification",
    _timchat_cmd_send_group_system_notification, REST },
  { "group_open_http_svc.group_msg_get_simple", _timchat_cmd_group_msg_get_simple, REST },
  /* Community groups: we have none, but the SDK asks after every login. */
  { "million_group_open_http_svc.get_joined_group_list", _timchat_cmd_no_groups, WS },
  { "group_open_http_svc.destroy_group", _timchat_cmd_destroy_group, WS | REST },
  { "group_open_http_svc.modify_group_base_info", _timchat_cmd_modify_group_base_info, WS | REST },
  { "group_open_http_svc.change_group_owner", _timchat_cmd_change_group_owner, WS | REST },
  { "group_open_http_svc.get_group_public_info", _timchat_cmd_get_group_public_info, WS },
  { "group_open_http_svc.apply_join_group", _timchat_cmd_apply_join_group, WS },
  { "group_open_http_svc.handle_apply_join_group", _timchat_cmd_handle_apply_join_group, WS },
  { "group_open_http_svc.get_pendency", _timchat_cmd_get_pendency, WS },

  /* Conversations and profiles. */
  { "recentcontact.page_get", _timchat_cmd_page_get, WS },
  { "recentcontact.batch_delete", _timchat_cmd_batch_delete, WS },
  { "recentcontact.top", _timchat_cmd_top, WS },
  { "recentcontact.mark_contact", _timchat_cmd_mark_contact, WS },
  { "recentcontact.clear_msg", _timchat_cmd_clear_msg, WS },
  { "openim.read_all_unread_msg", _timchat_cmd_read_all_unread_msg, WS },
  { "openim.set_c2c_peer_mute_notifications", _timchat_cmd_set_c2c_peer_mute_notifications, WS },
  { "openim.get_c2c_peer_mute_notifications", _timchat_cmd_get_c2c_peer_mute_notifications, WS },
  { "recentcontact.get_list", _timchat_cmd_recentcontact_get_list, REST },
  { "recentcontact.delete", _timchat_cmd_recentcontact_delete, REST },
  { "profile.portrait_get", _timchat_cmd_portrait_get, WS | REST },
  { "profile.portrait_get_all", _timchat_cmd_portrait_get, WS },
  { "profile.portrait_set", _timchat_cmd_portrait_set, WS | REST },
};

const TimchatCommand *
timchat_command_lookup (const char *name)
{
  static GHashTable *by_name;

  if (name == NULL)
    return NULL;
  if (g_once_init_enter (&by_name))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
        g_hash_table_insert (table, (gpointer) commands[i].name, (gpointer) &commands[i]);
      g_once_init_leave (&by_name, table);
    }
  return g_hash_table_lookup (by_name, name);
}

JsonObject *
timchat_command_dispatch (const TimchatCommand *command, TimchatRequest *request)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  TimchatHub *hub = timchat_server_get_hub (request->server);
  g_autoptr (GError) error = NULL;
  gboolean whole = !(command->flags & TIMCHAT_COMMAND_ONE_WRITE);
  JsonObject *reply;
  gboolean undone;

  /* A command is done whole or not at all, whatever transport asked: what it writes is one
   * savepoint in the store, and its pushes wait here until it is known to stand. A handler that
   * stored a group and then failed on its tip was answered 10002 while the group stayed, and one
   * that muted a member and then failed to make them an admin pushed the mute's tip to every
   * member after the 10002. (Held, the pushes still go ahead of the answer unless the socket's
   * command holds them longer, timchat-session-frames.c.) */
  timchat_hub_hold_pushes (hub);
  if (whole)
    timchat_store_begin_command (store);
  reply = command->func (request, &error);
  if (reply == NULL && error == NULL)
    g_set_error_literal (&error, TIM_ERROR, TIM_ERROR_INTERNAL, "The command gave no answer");
  /* Refused for a storage error (10002: "send it again"), it is undone, so that a retry finds
   * nothing of it. Other refusals (a bad parameter, no permission) are the handler's answer on
   * what it read, given before it writes. */
  undone = reply == NULL && g_error_matches (error, TIM_ERROR, TIM_ERROR_INTERNAL);
  if (whole)
    timchat_store_end_command (store, !undone);
  if (undone)
    timchat_hub_drop_held_pushes (hub);
  timchat_hub_release_pushes (hub);
  if (reply == NULL)
    {
      g_debug ("%s by %s failed: %d %s", command->name, request->user ? request->user : "-",
               error->code, error->message);
      return tim_reply_body_from_error (error);
    }
  if (!json_object_has_member (reply, "ActionStatus"))
    json_object_set_string_member (reply, "ActionStatus", "OK");
  if (!json_object_has_member (reply, "ErrorCode"))
    json_object_set_int_member (reply, "ErrorCode", 0);
  if (!json_object_has_member (reply, "ErrorInfo"))
    json_object_set_string_member (reply, "ErrorInfo", "");
  return reply;
}

gboolean
_timchat_request_get_int (TimchatRequest *request, JsonObject *object, const char *member,
                          gint64 *out)
{
  return _timchat_request_is_rest (request) ? tim_json_get_number_int (object, member, out)
                                            : tim_json_get_int (object, member, out);
}

gboolean
_timchat_request_get_int_or (TimchatRequest *request, JsonObject *object, const char *member,
                             gint64 fallback, gint64 *out, int code, GError **error)
{
  *out = fallback;
  if (object == NULL || !json_object_has_member (object, member) ||
      _timchat_request_get_int (request, object, member, out))
    return TRUE;
  *out = fallback;
  if (!_timchat_request_is_rest (request))
    return TRUE;
  g_set_error (error, TIM_ERROR, code, "%s must be an integer (a JSON number)", member);
  return FALSE;
}

const char *
_timchat_require_string (JsonObject *body, const char *member, int code, GError **error)
{
  const char *value = tim_json_get_string (body, member);

  if (value == NULL || *value == '\0')
    g_set_error (error, TIM_ERROR, code, "%s is missing or not a string", member);
  return value != NULL && *value != '\0' ? value : NULL;
}

/* Over the WebSocket the sender is the logged-in user; an app admin over REST may act for anyone.
 * Where the vendor's REST API requires the member (whose blocklist: sns), an admin who names
 * nobody is refused rather than acting for their own account; where it is optional (sendmsg,
 * send_group_msg), the admin acts as itself. code is the command's own for a bad member (90008 in
 * openim and sns, 10004 in group_open_http_svc). */
const char *
_timchat_acting_user (TimchatRequest *request, const char *member, gboolean required, int code,
                      GError **error)
{
  const char *claimed = tim_json_get_string (request->body, member);

  if (request->is_admin)
    {
      /* "" names nobody, as a number there does: only an absent member means the admin itself.
       * Taking "" for it sent as the admin what the caller meant to come from someone (a user ID it
       * failed to fill in). */
      if ((claimed == NULL && json_object_has_member (request->body, member)) ||
          (claimed != NULL && *claimed == '\0'))
        {
          g_set_error (error, TIM_ERROR, code, "%s must be a non-empty string", member);
          return NULL;
        }
      if (claimed == NULL && required)
        {
          g_set_error (error, TIM_ERROR, code, "%s is required", member);
          return NULL;
        }
      return claimed != NULL ? claimed : request->user;
    }
  if (claimed != NULL && *claimed != '\0' && !g_str_equal (claimed, request->user))
    {
      g_set_error (error, TIM_ERROR, code, "%s must be the logged-in user", member);
      return NULL;
    }
  return request->user;
}
