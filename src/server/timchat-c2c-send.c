/* timchat-c2c-send.c: the one path that checks, stores and pushes a one-to-one message, for
 * openim.sendmsg (WebSocket and REST) and openim/batchsendmsg. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-elem.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-c2c-private.h"
#include "timchat-hub.h"

gboolean
_timchat_c2c_require_account (TimchatRequest *request, const char *user, int code, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (TimchatAccount) account = NULL;

  if (tim_user_id_is_valid (user))
    account = request->is_admin && g_str_equal (user, request->user)
                  ? timchat_store_ensure_account (store, user, NULL)
                  : timchat_store_get_account (store, user);
  if (account == NULL)
    {
      g_set_error (error, TIM_ERROR, code, "The account \"%s\" does not exist", user);
      return FALSE;
    }
  return TRUE;
}

char *
_timchat_c2c_msg_key (const TimchatMsg *msg)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT,
                          msg->client_seq, msg->random, msg->time);
}

gboolean
_timchat_c2c_parse_msg_key (const char *key, gint64 *client_seq, gint64 *random, gint64 *time)
{
  g_auto (GStrv) parts = key != NULL ? g_strsplit (key, "_", -1) : NULL;
  gint64 *out[] = { client_seq, random, time };

  if (parts == NULL || g_strv_length (parts) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXINT64, &value, NULL))
        return FALSE;
      *out[i] = (gint64) value;
    }
  return TRUE;
}

static char *
object_member_to_string (JsonObject *body, const char *member)
{
  JsonObject *object = tim_json_get_object (body, member);

  return object != NULL ? tim_json_to_string (object, NULL) : NULL;
}

/* The REST field checks, with the vendor's codes: each optional member, if present, must have its
 * documented type: where tim-rest-facts.md §4.1 says Integer, a JSON number ("12" and true are
 * refused, as the vendor does), u32 for MsgRandom and MsgSeq. */
static gboolean
check_rest_types (TimchatRequest *request, GError **error)
{
  JsonObject *body = request->body;
  static const struct
  {
    const char *member;
    JsonNodeType type; /* JSON_NODE_VALUE: a JSON number, whole, from 0 to max */
    gint64 max;
    int code;
  } checks[] = {
    { "MsgRandom", JSON_NODE_VALUE, G_MAXUINT32, TIM_ERROR_MSG_RANDOM_INVALID },
    { "MsgSeq", JSON_NODE_VALUE, G_MAXUINT32, TIM_ERROR_JSON_PARSE },
    { "MsgTimeStamp", JSON_NODE_VALUE, G_MAXINT64, TIM_ERROR_MSG_TIMESTAMP_INVALID },
    { "SyncOtherMachine", JSON_NODE_VALUE, G_MAXINT64, TIM_ERROR_SYNC_OTHER_MACHINE_INVALID },
    { "MsgLifeTime", JSON_NODE_VALUE, G_MAXINT64, TIM_ERROR_MSG_LIFETIME_NOT_INTEGER },
    { "OnlineOnlyFlag", JSON_NODE_VALUE, G_MAXINT64, TIM_ERROR_JSON_PARSE },
    /* Checked and otherwise ignored (docs/rest-api.md). */
    { "IsNeedReadReceipt", JSON_NODE_VALUE, G_MAXINT64, TIM_ERROR_JSON_PARSE },
    { "SupportMessageExtension", JSON_NODE_VALUE, G_MAXINT64, TIM_ERROR_JSON_PARSE },
    { "CloudCustomData", JSON_NODE_NULL, 0, TIM_ERROR_JSON_PARSE }, /* NULL: a string */
    { "OfflinePushInfo", JSON_NODE_OBJECT, 0, TIM_ERROR_JSON_PARSE },
    { "SendMsgControl", JSON_NODE_ARRAY, 0, TIM_ERROR_JSON_PARSE },
    { "ForbidCallbackControl", JSON_NODE_ARRAY, 0, TIM_ERROR_JSON_PARSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      gint64 number;
      gboolean ok;

      if (!json_object_has_member (body, checks[i].member))
        continue;
      if (checks[i].type == JSON_NODE_VALUE)
        ok = _timchat_request_get_int (request, body, checks[i].member, &number) && number >= 0 &&
             number <= checks[i].max;
      else if (checks[i].type == JSON_NODE_NULL)
        ok = tim_json_get_string (body, checks[i].member) != NULL;
      else
        ok = JSON_NODE_TYPE (json_object_get_member (body, checks[i].member)) == checks[i].type;
      if (!ok)
        {
          g_set_error (error, TIM_ERROR, checks[i].code, "%s has the wrong type", checks[i].member);
          return FALSE;
        }
    }
  return TRUE;
}

/* SendMsgControl (the SDK's messageControlInfo): NoUnread and NoLastMsg are kept with the
 * message. An online-only message is neither counted nor listed anyway, and keeps none (the
 * vendor refuses the two together for groups; the SDK never sends them so). */
static gboolean
parse_control (TimchatRequest *request, TimchatMsg *msg, gboolean online_only, GError **error)
{
  JsonNode *node = json_object_get_member (request->body, "SendMsgControl");
  g_autoptr (GError) control_error = NULL;
  TimMsgControl control = TIM_MSG_CONTROL_NONE;

  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    g_set_error_literal (&control_error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                         "SendMsgControl must be an array");
  else if (node != NULL)
    tim_msg_control_parse (json_node_get_array (node), &control, &control_error);
  if (control_error != NULL)
    {
      /* REST speaks the vendor's openim number for a member of the wrong type. */
      if (request->is_admin)
        control_error->code = TIM_ERROR_JSON_PARSE;
      g_propagate_error (error, g_steal_pointer (&control_error));
      return FALSE;
    }
  msg->control = online_only ? TIM_MSG_CONTROL_NONE : control;
  return TRUE;
}

TimchatMsg *
_timchat_c2c_prepare (TimchatRequest *request, const char *from, gboolean *online_only,
                      gboolean *sync_sender, GError **error)
{
  JsonArray *msg_body = tim_json_get_array (request->body, "MsgBody");
  const char *cloud_custom_data = tim_json_get_string (request->body, "CloudCustomData");
  g_autoptr (TimchatMsg) msg = NULL;
  g_autoptr (GError) body_error = NULL;
  gint64 life_time = -1;

  if (request->is_admin && !check_rest_types (request, error))
    return NULL;
  if (msg_body == NULL)
    {
      g_set_error_literal (error, TIM_ERROR,
                           request->is_admin ? TIM_ERROR_MSG_BODY_NOT_ARRAY
                                             : TIM_ERROR_MSG_BODY_INVALID,
                           "MsgBody must be an array");
      return NULL;
    }
  if (!tim_msg_validate (msg_body, cloud_custom_data != NULL ? strlen (cloud_custom_data) : 0,
                         &body_error))
    {
      /* REST speaks the vendor's openim numbers: 90002 is "MsgBody not in the format". */
      if (request->is_admin && body_error->code == TIM_ERROR_MSG_BODY_INVALID)
        body_error->code = TIM_ERROR_MSG_BODY_FORMAT;
      g_propagate_error (error, g_steal_pointer (&body_error));
      return NULL;
    }
  if (!_timchat_relay_use_keys (request, msg_body, error))
    return NULL;

  msg = g_new0 (TimchatMsg, 1);
  msg->conv_type = TIM_CONV_C2C;
  msg->from_user = g_strdup (from);
  msg->time = timchat_server_now ();
  /* REST callers may leave the identity to us; the SDK always sends both. */
  if (!tim_json_get_int (request->body, "MsgRandom", &msg->random))
    {
      if (!request->is_admin)
        {
          g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               "MsgRandom is required");
          return NULL;
        }
      msg->random = g_random_int_range (0, G_MAXINT32);
    }
  if (!tim_json_get_int (request->body, "MsgSeq", &msg->client_seq))
    msg->client_seq = request->is_admin ? g_random_int_range (1, G_MAXINT32) : 0;
  if (!_timchat_request_get_int_or (request, request->body, "MsgClientTime", msg->time,
                                    &msg->client_time, TIM_ERROR_JSON_PARSE, error))
    return NULL;
  msg->priority = TIM_PRIORITY_NORMAL;
  {
    g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
    json_node_set_array (node, msg_body);
    msg->body = tim_json_node_to_string (node, NULL);
  }
  msg->cloud_custom_data = g_strdup (cloud_custom_data);
  msg->offline_push = object_member_to_string (request->body, "OfflinePushInfo");
  if (!tim_msg_offline_push_validate (msg->offline_push, error))
    return NULL;

  /* 0: online only; more than 7 days is 7 days (we keep history by retention_days anyway). */
  *online_only = tim_json_get_int (request->body, "MsgLifeTime", &life_time) && life_time == 0;
  if (request->is_admin && tim_json_get_int_or (request->body, "OnlineOnlyFlag", 0) == 1)
    *online_only = TRUE;
  *sync_sender =
      !(request->is_admin && tim_json_get_int_or (request->body, "SyncOtherMachine", 1) == 2);
  if (!parse_control (request, msg, *online_only, error))
    return NULL;
  return g_steal_pointer (&msg);
}

gboolean
_timchat_c2c_deliver (TimchatRequest *request, TimchatMsg *msg, gboolean online_only,
                      gboolean sync_sender, gboolean *duplicate, GError **error)
{
  *duplicate = FALSE;
  if (online_only)
    {
      /* Online only ("typing…"): delivered to who is there now, never stored or counted. */
      _timchat_push_c2c_msg (request, msg, TRUE, TRUE);
      return TRUE;
    }
  if (!timchat_store_insert_message (timchat_server_get_store (request->server), msg, duplicate,
                                     error))
    return FALSE;
  /* Acknowledge only what is on disk; a resend gets the first answer and no second delivery. */
  if (*duplicate)
    return TRUE;
  /* REST "do not sync to the sender" (sync_sender FALSE): the recipient only. */
  _timchat_push_c2c_msg (request, msg, FALSE, sync_sender);
  return TRUE;
}

gboolean
_timchat_c2c_recipient_discards (TimchatServer *server, const TimchatMsg *msg)
{
  return timchat_store_get_remind (timchat_server_get_store (server), msg->to_id, TIM_CONV_C2C,
                                   msg->from_user) == TIM_REMIND_FLAG_DISCARD;
}

gboolean
_timchat_c2c_check_not_blocked (TimchatRequest *request, const char *from, const char *to,
                                GError **error)
{
  if (request->is_admin ||
      !timchat_store_is_blocked (timchat_server_get_store (request->server), to, from))
    return TRUE;
  g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_IN_PEER_BLACKLIST, "%s has blocked %s", to, from);
  return FALSE;
}
