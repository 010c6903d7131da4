/* timchat-cmd-group-msg.c: sending a group message and fanning it out (sdk-wire-notes.md §3,
 * §8.2; tim-rest-facts.md §5.9, §8). History, recall and the read report are in
 * timchat-cmd-group-msg-history.c.
 *
 * Frequency control (tim-rest-facts.md §8): each new message asks the limiter for admission before
 * it is stored (a resend of a stored one is answered first, without asking). A refused message is
 * neither stored nor delivered, yet the sender gets success, as the vendor documents; its reply
 * carries MsgSeq 0 (no seq was consumed) and MsgTime now. Admitted messages are acknowledged after
 * the store commit and fanned out through the limiter's queues at the message's priority, so High
 * overtakes a backlog. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-elem.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-group-notify.h"
#include "timchat-limiter.h"

static const char *const priority_names[] = { NULL, "High", "Normal", "Low", "Lowest" };

/* MsgPriority as the SDK ("High") or a history reply (1) spells it; absent = Normal. */
static gboolean
parse_priority (TimchatRequest *request, TimPriority *out, GError **error)
{
  JsonObject *body = request->body;
  const char *name = tim_json_get_string (body, "MsgPriority");
  gint64 number = 0;

  *out = TIM_PRIORITY_NORMAL;
  if (!json_object_has_member (body, "MsgPriority") || (name != NULL && *name == '\0'))
    return TRUE;
  for (int p = TIM_PRIORITY_HIGH; name != NULL && p <= TIM_PRIORITY_LOWEST; p++)
    if (g_str_equal (name, priority_names[p]))
      {
        *out = p;
        return TRUE;
      }
  if (_timchat_request_get_int (request, body, "MsgPriority", &number) &&
      number >= TIM_PRIORITY_HIGH && number <= TIM_PRIORITY_LOWEST)
    {
      *out = (TimPriority) number;
      return TRUE;
    }
  g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "MsgPriority must be High, Normal, Low or Lowest");
  return FALSE;
}

typedef struct
{
  TimchatServer *server;
  char *group_id;
  JsonObject *push;
  TimchatSession *except; /* the sending socket, or NULL */
  TimchatMsg *mentions;   /* the message when it @-mentions someone, for the @ tips */
  TimPriority priority;
  gboolean to_discarding; /* a notice every member hears, not a message or its edit */
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_object_unref (delivery->server);
  g_free (delivery->group_id);
  json_object_unref (delivery->push);
  g_clear_object (&delivery->except);
  g_clear_pointer (&delivery->mentions, timchat_msg_free);
  g_free (delivery);
}

static void
deliver (gpointer data, gpointer user_data)
{
  Delivery *delivery = data;

  /* The member list is read now: who is in the group when the message goes out gets it. */
  if (delivery->to_discarding)
    _timchat_group_push_members (delivery->server, delivery->group_id, delivery->push,
                                 delivery->except);
  else
    _timchat_group_push_messages (delivery->server, delivery->group_id, delivery->push,
                                  delivery->except);
  if (delivery->mentions != NULL)
    _timchat_group_push_at_tips (delivery->server, delivery->mentions);
}

/* The fan-out is queued once what the request wrote is committed, not before: the limiter runs
 * it in a later iteration, when the pushes wait only for the writes of that time, and a message
 * whose commit failed (a full disk) was pushed all the same, although its sender was told to
 * send it again and the history never had it: the members saw it once then and once more with
 * the resend. */
static void
enqueue_when_stored (gboolean committed, gpointer user_data)
{
  Delivery *delivery = user_data;
  TimchatLimiter *limiter = timchat_server_get_limiter (delivery->server);

  if (!committed || limiter == NULL)
    {
      delivery_free (delivery);
      return;
    }
  timchat_limiter_enqueue (limiter, delivery->priority, deliver, delivery, delivery_free);
}

static void
queue_delivery (TimchatRequest *request, const char *group_id, TimPriority priority,
                JsonObject *push, const TimchatMsg *mentions, gboolean to_discarding)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->server = g_object_ref (request->server);
  delivery->group_id = g_strdup (group_id);
  delivery->push = push;
  delivery->except = request->session != NULL ? g_object_ref (request->session) : NULL;
  delivery->mentions = mentions != NULL ? timchat_msg_copy (mentions) : NULL;
  delivery->priority = priority;
  delivery->to_discarding = to_discarding;
  timchat_store_after_commit (timchat_server_get_store (request->server), enqueue_when_stored,
                              delivery);
}

void
_timchat_group_deliver (TimchatRequest *request, const char *group_id, TimPriority priority,
                        JsonObject *push, const TimchatMsg *mentions)
{
  queue_delivery (request, group_id, priority, push, mentions, FALSE);
}

void
_timchat_group_deliver_notice (TimchatRequest *request, const char *group_id, TimPriority priority,
                               JsonObject *push)
{
  queue_delivery (request, group_id, priority, push, NULL, TRUE);
}

gboolean
_timchat_group_check_not_muted (TimchatRequest *request, const TimchatGroup *group,
                                const TimchatMember *self, GError **error)
{
  /* Mute-all (modify_group_base_info's ShutUpAllMember): only the owner and admins post. */
  if (group->mute_all && !request->is_admin && !_timchat_group_is_manager (request, self))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_MUTED, "All members of %s are muted",
                   group->group_id);
      return FALSE;
    }
  /* A member muted (setGroupMemberMuteTime), until the time runs out. */
  if (!request->is_admin && self != NULL && self->mute_until > timchat_server_now ())
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_MUTED,
                   "You are muted in %s until %" G_GINT64_FORMAT, group->group_id,
                   self->mute_until);
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
send_reply (gint64 seq, gint64 time)
{
  JsonObject *reply = json_object_new ();

  json_object_set_int_member (reply, "MsgTime", time);
  json_object_set_int_member (reply, "MsgSeq", seq);
  return reply;
}

/* GroupAtInfo's GroupAtAllFlag is an Integer (tim-rest-facts.md §5.9), read as every REST Integer
 * is (_timchat_request_get_int ()): tim_group_at_info_parse (), which both transports share,
 * reads it as the WebSocket does, and over REST took true and "1" as 1, mentioning every member. */
static gboolean
check_at_all_flags (TimchatRequest *request, GError **error)
{
  JsonArray *at_info = tim_json_get_array (request->body, "GroupAtInfo");
  gint64 flag;

  for (guint i = 0; at_info != NULL && i < json_array_get_length (at_info); i++)
    {
      JsonObject *entry = tim_json_array_get_object (at_info, i);

      if (entry != NULL && json_object_has_member (entry, "GroupAtAllFlag") &&
          !_timchat_request_get_int (request, entry, "GroupAtAllFlag", &flag))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "GroupAtInfo[%u]: GroupAtAllFlag must be 0 or 1", i);
          return FALSE;
        }
    }
  return TRUE;
}

/* What send_group_msg takes besides MsgBody, with the types the REST API documents; the admin
 * may send on behalf of an existing From_Account, member or not. */
static gboolean
check_send_body (TimchatRequest *request, const char **from, GError **error)
{
  JsonObject *body = request->body;
  const char *acting;
  gint64 random;

  if (!_timchat_check_string (body, "From_Account", 0, error) ||
      !_timchat_check_int (body, "Random", error) ||
      !_timchat_check_int (body, "OnlineOnlyFlag", error) ||
      !_timchat_check_string (body, "CloudCustomData", 0, error) ||
      !_timchat_check_array (body, "GroupAtInfo", 0, TIM_ERROR_INVALID_PARAMETER, error) ||
      !check_at_all_flags (request, error) ||
      !_timchat_check_array (body, "SendMsgControl", 0, TIM_ERROR_INVALID_PARAMETER, error) ||
      !_timchat_check_array (body, "ForbidCallbackControl", 0, TIM_ERROR_INVALID_PARAMETER, error))
    return FALSE;
  if (json_object_has_member (body, "OfflinePushInfo") &&
      tim_json_get_object (body, "OfflinePushInfo") == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "OfflinePushInfo must be an object");
      return FALSE;
    }
  if (tim_json_get_array (body, "MsgBody") == NULL)
    {
      g_set_error_literal (error, TIM_ERROR,
                           _timchat_request_is_rest (request) ? TIM_ERROR_INVALID_PARAMETER
                                                              : TIM_ERROR_MSG_BODY_INVALID,
                           "MsgBody is missing or not an array");
      return FALSE;
    }
  /* Over the WebSocket too (as MsgRandom, the name of history replies, if need be): the key a
   * resend is known by is the sender's ClientSeq and Random, so without both every such message of
   * a sender had the key of its first one, and was answered as a resend of it (OK, its sequence),
   * stored and delivered never. The SDKs always send it. */
  if (!tim_json_get_int (body, "Random", &random) &&
      (_timchat_request_is_rest (request) || !tim_json_get_int (body, "MsgRandom", &random)))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "Random is missing");
      return FALSE;
    }
  /* A u32 (tim-rest-facts.md §5.9), from every client: it is half of the key a resend is known by.
   */
  if (tim_json_get_int (body, "Random", &random) && (random < 0 || random > G_MAXUINT32))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "Random must be from 0 to 4294967295");
      return FALSE;
    }
  if (!request->is_admin)
    return TRUE;
  /* Absent, the admin sends as itself; "" names nobody (10004, as a From_Account that is not a
   * string): it used to send as the admin what was meant to come from a user. */
  acting =
      _timchat_acting_user (request, "From_Account", FALSE, TIM_ERROR_INVALID_PARAMETER, error);
  if (acting == NULL)
    return FALSE;
  if (json_object_has_member (body, "From_Account") && !_timchat_account_exists (request, acting))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND, "No account %s", acting);
      return FALSE;
    }
  *from = acting;
  return TRUE;
}

JsonObject *
_timchat_cmd_send_group_msg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonObject *body = request->body;
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (TimchatMember) self = NULL;
  const char *from = request->user;
  JsonArray *msg_body = tim_json_get_array (body, "MsgBody");
  JsonObject *offline_push = tim_json_get_object (body, "OfflinePushInfo");
  const char *cloud_custom_data;
  gboolean online_only = tim_json_get_int_or (body, "OnlineOnlyFlag", 0) == 1;
  gint64 client_seq, client_time;
  gint64 random = tim_json_get_int_or (body, "Random", tim_json_get_int_or (body, "MsgRandom", 0));
  g_autofree char *body_text = NULL;
  g_autofree char *push_text = NULL;
  g_autoptr (JsonNode) body_node = NULL;
  g_autoptr (JsonArray) at_info = NULL;
  g_autoptr (JsonNode) at_info_node = NULL;
  g_autofree char *at_info_text = NULL;
  g_auto (GStrv) at_users = NULL;
  TimchatMsg msg = { 0 };
  TimPriority priority;
  JsonObject *item;
  gboolean duplicate = FALSE;

  if (group == NULL || !check_send_body (request, &from, error) ||
      !_timchat_request_get_int_or (request, body, "ClientSeq", 0, &client_seq,
                                    TIM_ERROR_INVALID_PARAMETER, error) ||
      !_timchat_request_get_int_or (request, body, "MsgClientTime", G_MININT64, &client_time,
                                    TIM_ERROR_INVALID_PARAMETER, error))
    return NULL;
  if (!request->is_admin && !_timchat_group_require_member (request, group, &self, error))
    return NULL;
  /* A resend of a stored message (same sender, ClientSeq, Random) gets the first answer, whatever
   * refuses a new one now (a mute, the frequency control), and spends no token: answered as
   * dropped (MsgSeq 0), its sender showed as failed a message every member had. */
  if (!online_only)
    {
      g_autoptr (TimchatMsg) stored = timchat_store_find_group_message_by_sender (
          store, group->group_id, from, client_seq, random);

      if (stored != NULL)
        return send_reply (stored->seq, stored->time);
    }
  if (!_timchat_group_check_not_muted (request, group, self, error))
    return NULL;
  cloud_custom_data = tim_json_get_string (body, "CloudCustomData");
  if (!tim_msg_validate (msg_body, cloud_custom_data != NULL ? strlen (cloud_custom_data) : 0,
                         error) ||
      !parse_priority (request, &priority, error))
    {
      /* The group REST API answers a bad body with its own 10004 (tim-rest-facts.md §5.9). */
      if (_timchat_request_is_rest (request) &&
          g_error_matches (*error, TIM_ERROR, TIM_ERROR_MSG_BODY_INVALID))
        (*error)->code = TIM_ERROR_INVALID_PARAMETER;
      return NULL;
    }
  if (!_timchat_relay_use_keys (request, msg_body, error))
    return NULL;
  /* Kept as we write it (repeats gone, @all as GroupAtAllFlag 1), whatever the sender wrote. */
  if (!tim_group_at_info_parse (tim_json_get_array (body, "GroupAtInfo"), &at_users, error))
    return NULL;
  if ((at_info = tim_group_at_info_new ((const char *const *) at_users)) != NULL)
    {
      at_info_node = json_node_init_array (json_node_alloc (), at_info);
      at_info_text = tim_json_node_to_string (at_info_node, NULL);
    }

  msg.conv_type = TIM_CONV_GROUP;
  msg.kind = TIMCHAT_MSG_NORMAL;
  msg.from_user = (char *) from;
  msg.to_id = group->group_id;
  msg.client_seq = client_seq;
  msg.random = random;
  msg.time = timchat_server_now ();
  msg.client_time = client_time != G_MININT64 ? client_time : msg.time;
  msg.priority = priority;
  body_node = json_node_init_array (json_node_alloc (), msg_body);
  msg.body = body_text = tim_json_node_to_string (body_node, NULL);
  msg.cloud_custom_data = (char *) cloud_custom_data;
  if (offline_push != NULL)
    msg.offline_push = push_text = tim_json_to_string (offline_push, NULL);
  if (!tim_msg_offline_push_validate (push_text, error))
    return NULL;
  msg.at_info = at_info_text;
  /* NoUnread and NoLastMsg (the SDK's messageControlInfo), kept with the message; an online-only
   * one is neither counted nor listed anyway. */
  if (!tim_msg_control_parse (tim_json_get_array (body, "SendMsgControl"), &msg.control, error))
    return NULL;
  if (online_only)
    msg.control = TIM_MSG_CONTROL_NONE;

  if (!timchat_limiter_admit (timchat_server_get_limiter (request->server), group->group_id,
                              priority))
    {
      g_debug ("%s: dropped a message of priority %d from %s", group->group_id, priority, from);
      return send_reply (0, msg.time);
    }
  /* Online-only messages take no seq and are not kept (not counted, not recallable). */
  if (!online_only && !timchat_store_insert_message (store, &msg, &duplicate, error))
    return NULL;
  request->knows_repeats = !online_only;
  if (duplicate)
    return send_reply (msg.seq, msg.time);

  item = _timchat_wire_group_msg (request->server, &msg);
  json_object_set_string_member (item, "MsgPriority", priority_names[priority]);
  json_object_set_int_member (item, "OnlineOnlyFlag", online_only ? 1 : 0);
  /* An online-only one too: its tips carry AtMsgSeq 0, as it has no seq. */
  _timchat_group_deliver (request, group->group_id, priority,
                          _timchat_wire_push_body (3, "GroupMsgArray", item),
                          msg.at_info != NULL ? &msg : NULL);
  return send_reply (msg.seq, msg.time);
}
