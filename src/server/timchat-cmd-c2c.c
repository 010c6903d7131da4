/* timchat-cmd-c2c.c: one-to-one messages: send, history, recall, read, and how far peers read. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-elem.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-c2c-private.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

/* The recipient's blocklist (_timchat_c2c_check_not_blocked ()). A resend of a message stored
 * before the block is no new message: *stored is the original, to answer as any resend is
 * answered. */
static gboolean
check_not_blocked (TimchatRequest *request, TimchatMsg *msg, TimchatMsg **stored, GError **error)
{
  g_autoptr (GError) blocked = NULL;

  if (_timchat_c2c_check_not_blocked (request, msg->from_user, msg->to_id, &blocked))
    return TRUE;
  *stored =
      timchat_store_find_c2c_message (timchat_server_get_store (request->server), msg->from_user,
                                      msg->to_id, msg->client_seq, msg->random);
  if (*stored != NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&blocked));
  return FALSE;
}

JsonObject *
_timchat_cmd_sendmsg (TimchatRequest *request, GError **error)
{
  const char *from =
      _timchat_acting_user (request, "From_Account", FALSE, TIM_ERROR_FROM_ACCOUNT_INVALID, error);
  const char *to;
  g_autoptr (TimchatMsg) msg = NULL;
  g_autoptr (TimchatMsg) stored = NULL;
  gboolean duplicate = FALSE, online_only = FALSE, sync_sender = TRUE;
  JsonObject *reply;
  g_autofree char *key = NULL;

  if (from == NULL)
    return NULL;
  /* Everything is checked before anything is stored or pushed. */
  if ((to = _timchat_require_string (request->body, "To_Account", TIM_ERROR_TO_ACCOUNT_INVALID,
                                     error)) == NULL ||
      !_timchat_c2c_require_account (request, to, TIM_ERROR_TO_ACCOUNT_INVALID, error) ||
      !_timchat_c2c_require_account (request, from, TIM_ERROR_FROM_ACCOUNT_INVALID, error) ||
      (msg = _timchat_c2c_prepare (request, from, &online_only, &sync_sender, error)) == NULL)
    return NULL;
  msg->to_id = g_strdup (to);
  if (!check_not_blocked (request, msg, &stored, error))
    return NULL;
  if (stored != NULL)
    {
      g_clear_pointer (&msg, timchat_msg_free);
      msg = g_steal_pointer (&stored);
      duplicate = TRUE;
    }
  else if (!_timchat_c2c_deliver (request, msg, online_only, sync_sender, &duplicate, error))
    return NULL;

  request->knows_repeats = !online_only;
  key = _timchat_c2c_msg_key (msg);
  reply = json_object_new ();
  json_object_set_int_member (reply, "MsgTime", msg->time);
  json_object_set_int_member (reply, "MsgSeq", msg->client_seq);
  json_object_set_string_member (reply, "MsgKey", key);
  json_object_set_int_member (reply, "ServerSeq", msg->seq);
  if (duplicate)
    json_object_set_int_member (reply, "Duplicate", 1);
  return reply;
}

/* getMessageListHopping: no MsgKey, and a LastMsgTime to start from or GetDirection 1 (newer).
 * The first page of getMessageList has neither, and its later pages bring the MsgKey back. */
static gboolean
is_hopping (JsonObject *body, const char *cursor, gboolean *newer)
{
  *newer = tim_json_get_int_or (body, "GetDirection", 0) == 1;
  return (cursor == NULL || *cursor == '\0') &&
         (*newer || tim_json_get_int_or (body, "LastMsgTime", 0) > 0);
}

/* The MsgKey cursor: absent or "" for the newest page, else "s<seq>" as a reply gave it (our
 * sequence of the oldest message it held). Anything else is refused: taken as "from the newest",
 * it handed back the newest page, which a client pages in front of its history as older ones. */
static gboolean
parse_cursor (JsonObject *body, gint64 *before_seq, GError **error)
{
  const char *cursor = tim_json_get_string (body, "MsgKey");
  guint64 seq;

  *before_seq = 0;
  if (!_timchat_check_string (body, "MsgKey", 0, error))
    return FALSE;
  if (cursor == NULL || *cursor == '\0')
    return TRUE;
  if (cursor[0] == 's' && g_ascii_string_to_unsigned (cursor + 1, 10, 1, G_MAXINT64, &seq, NULL))
    {
      *before_seq = (gint64) seq;
      return TRUE;
    }
  g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "MsgKey is not the cursor of an earlier reply (\"s\" and a sequence), nor "
                       "\"\" for the newest page");
  return FALSE;
}

/* Two ways through a conversation's history. Paging (getMessageList): the newest max_count
 * messages older than the MsgKey cursor, our per-conversation sequence of the oldest message
 * sent. Hopping (getMessageListHopping): from LastMsgTime on, that second included, as a group's
 * hop includes its sequence: the newest max_count at or before it, or (GetDirection 1) the
 * oldest at or after it. Either way the list is oldest first, Complete says nothing lies beyond
 * it in that direction, and MsgKey is the cursor for what is older than the page. */
JsonObject *
_timchat_cmd_getroammsg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *owner = _timchat_acting_user (request, "Operator_Account", FALSE,
                                            TIM_ERROR_FROM_ACCOUNT_INVALID, error);
  const char *peer;
  const char *cursor = tim_json_get_string (request->body, "MsgKey");
  gint64 max_count = tim_json_get_int_or (request->body, "MaxCnt", TIM_ROAM_MAX_COUNT);
  gint64 max_allowed = request->is_admin ? 100 : TIM_ROAM_MAX_COUNT;
  gint64 before_seq = 0;
  gboolean newer = FALSE;
  gboolean hopping = is_hopping (request->body, cursor, &newer);
  const char *viewer;
  g_autoptr (GPtrArray) page = NULL;
  JsonArray *list;
  JsonObject *reply;
  TimchatMsg *oldest = NULL, *farthest = NULL;
  guint shown;

  if (owner == NULL ||
      (peer = tim_json_get_string_any (request->body, "Peer_Account", "To_Account", NULL)) ==
          NULL ||
      !tim_user_id_is_valid (peer))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, TIM_ERROR, TIM_ERROR_TO_ACCOUNT_INVALID,
                             "Peer_Account is missing or invalid");
      return NULL;
    }
  if (!parse_cursor (request->body, &before_seq, error))
    return NULL;
  /* The SDK's hop asks for one more than it shows, to see whether more follow: 16 for 15. */
  if (hopping)
    max_allowed++;
  max_count = CLAMP (max_count, 1, max_allowed);
  viewer = request->is_admin ? NULL : owner;

  /* One extra row tells whether anything remains beyond the page. */
  if (hopping)
    page = timchat_store_history_at_time (store, viewer, TIM_CONV_C2C, owner, peer,
                                          tim_json_get_int_or (request->body, "LastMsgTime", 0),
                                          newer, (guint) max_count + 1);
  else
    page = timchat_store_history (store, viewer, TIM_CONV_C2C, owner, peer, before_seq,
                                  (guint) max_count + 1);
  shown = MIN (page->len, (guint) max_count);
  list = json_array_new ();
  for (guint i = 0; i < shown; i++)
    {
      /* The store lists older pages newest first and newer ones oldest first. */
      TimchatMsg *msg = page->pdata[newer && hopping ? i : shown - 1 - i];

      json_array_add_object_element (list, _timchat_wire_c2c_msg (request->server, msg));
      if (oldest == NULL)
        oldest = msg;
    }
  if (shown > 0)
    farthest = page->pdata[shown - 1];

  reply = json_object_new ();
  json_object_set_int_member (reply, "Complete", page->len <= (guint) max_count ? 1 : 0);
  json_object_set_int_member (reply, "MsgCnt", shown);
  if (oldest != NULL)
    {
      g_autofree char *next = g_strdup_printf ("s%" G_GINT64_FORMAT, oldest->seq);

      json_object_set_string_member (reply, "MsgKey", next);
      /* The SDK's next hop starts from it (its nextMessageTime): the page's far end. */
      json_object_set_int_member (reply, "LastMsgTime", farthest->time);
    }
  else
    {
      json_object_set_string_member (reply, "MsgKey", "");
      json_object_set_int_member (reply, "LastMsgTime", 0);
    }
  json_object_set_array_member (reply, "MsgList", list);
  return reply;
}

JsonObject *
_timchat_cmd_msgwithdraw (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  TimchatConfig *config = timchat_server_get_config (request->server);
  JsonObject *info = tim_json_get_object (request->body, "MsgInfo");
  const char *from = tim_json_get_string (info, "From_Account");
  const char *to = tim_json_get_string (info, "To_Account");
  gint64 seq, random;
  g_autoptr (TimchatMsg) msg = NULL;
  gint64 now = timchat_server_now ();

  if (from == NULL || to == NULL || !tim_json_get_int (info, "MsgSeq", &seq) ||
      !tim_json_get_int (info, "MsgRandom", &random))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "MsgInfo needs From_Account, To_Account, MsgSeq and MsgRandom");
      return NULL;
    }
  if (!request->is_admin && !g_str_equal (from, request->user))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_RECALL_NOT_SENDER,
                           "Only the sender can recall a message");
      return NULL;
    }
  msg = timchat_store_find_c2c_message (store, from, to, seq, random);
  if (msg == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_RECALL_NOT_FOUND,
                           "The message to recall does not exist");
      return NULL;
    }
  if (msg->recalled)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_ALREADY_RECALLED,
                           "The message was already recalled");
      return NULL;
    }
  if (!request->is_admin && now - msg->time > (gint64) config->recall_seconds)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_MSG_RECALL_TOO_LATE,
                   "Messages can be recalled for %u seconds", config->recall_seconds);
      return NULL;
    }

  if (!_timchat_c2c_recall (request, msg, error))
    return NULL;
  return json_object_new ();
}

gboolean
_timchat_c2c_recall (TimchatRequest *request, TimchatMsg *msg, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  TimchatHub *hub = timchat_server_get_hub (request->server);
  g_autoptr (JsonObject) notice = json_object_new ();
  g_autoptr (JsonObject) push = NULL;
  g_autofree char *notice_text = NULL;
  JsonObject *revoker;

  json_object_set_string_member (notice, "From_Account", msg->from_user);
  json_object_set_string_member (notice, "To_Account", msg->to_id);
  json_object_set_int_member (notice, "MsgSeq", msg->client_seq);
  json_object_set_int_member (notice, "MsgRandom", msg->random);
  json_object_set_int_member (notice, "MsgTimeStamp", msg->time);
  json_object_set_int_member (notice, "ServerSeq", msg->seq);
  revoker = json_object_new ();
  json_object_set_string_member (revoker, "Revoker", request->user);
  json_object_set_object_member (notice, "RevokerInfo", revoker);
  notice_text = tim_json_to_string (notice, NULL);
  if (!timchat_store_recall_message (store, msg, request->user, timchat_server_now (), notice_text,
                                     error))
    return FALSE;

  {
    JsonObject *withdraw = json_object_new ();
    JsonArray *infos = json_array_new ();
    JsonObject *item = json_object_new ();

    json_array_add_object_element (infos, json_object_ref (notice));
    json_object_set_array_member (withdraw, "C2cWithdrawInfoArray", infos);
    json_object_set_object_member (item, "WithdrawC2cMsgNotify", withdraw);
    push = _timchat_wire_push_body (9, "C2cNotifyMsgArray", item);
  }
  timchat_hub_push (hub, msg->to_id, TIMCHAT_PUSH_SERVCMD, push, NULL);
  if (!g_str_equal (msg->to_id, msg->from_user))
    timchat_hub_push (hub, msg->from_user, TIMCHAT_PUSH_SERVCMD, push, request->session);
  return TRUE;
}

/* After reader's read mark moved: receipt to the peer, read sync to the reader's devices; FALSE
 * with the store's error, sending nothing, when either cannot be kept for their sync. */
static gboolean
push_read_notices (TimchatRequest *request, const char *reader, const char *peer, gint64 read_time,
                   GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  TimchatHub *hub = timchat_server_get_hub (request->server);
  g_autofree char *receipt_text = NULL;
  g_autofree char *sync_text = NULL;
  g_autoptr (JsonObject) receipt_push = NULL;
  g_autoptr (JsonObject) sync_push = NULL;
  JsonObject *receipt = json_object_new ();
  JsonObject *sync = json_object_new ();
  JsonObject *pair;
  JsonArray *pairs;

  /* Never past now (a client whose clock is ahead, a REST MsgReadTime): the store marks only the
   * messages there are, but a receipt with a later time made the peer's SDK show its messages of
   * that while to come as read. */
  read_time = MIN (read_time, timchat_server_now ());
  /* To the peer: "reader has read up to read_time" (MESSAGE_READ_BY_PEER). */
  pairs = json_array_new ();
  pair = json_object_new ();
  json_object_set_int_member (pair, "LastReadTime", read_time);
  json_array_add_object_element (pairs, pair);
  json_object_set_string_member (receipt, "To_Account", reader);
  json_object_set_array_member (receipt, "UinPairReadArray", pairs);
  {
    JsonObject *item = json_object_new ();
    json_object_set_object_member (item, "C2cReadedReceipt", receipt);
    receipt_push = _timchat_wire_push_body (9, "C2cNotifyMsgArray", item);
    receipt_text = tim_json_to_string (item, NULL);
  }

  /* To the reader's other devices: the same conversation is read there too. */
  pairs = json_array_new ();
  pair = json_object_new ();
  json_object_set_string_member (pair, "From_Account", peer);
  json_object_set_int_member (pair, "LastReadTime", read_time);
  json_array_add_object_element (pairs, pair);
  json_object_set_array_member (sync, "UinPairReadArray", pairs);
  {
    JsonObject *item = json_object_new ();
    json_object_set_object_member (item, "ReadC2cMsgNotify", sync);
    sync_push = _timchat_wire_push_body (9, "C2cNotifyMsgArray", item);
    sync_text = tim_json_to_string (item, NULL);
  }

  /* Not kept, the read is refused (10002) and undone whole (timchat_command_dispatch ()), so that
   * the reader reports it again: answered OK, as it used to be, the devices that were away never
   * heard of it. */
  if (!timchat_store_append_event (store, peer, TIMCHAT_EVENT_PEER_READ, receipt_text, error) ||
      !timchat_store_append_event (store, reader, TIMCHAT_EVENT_C2C_READ, sync_text, error))
    return FALSE;
  timchat_hub_push (hub, peer, TIMCHAT_PUSH_SERVCMD, receipt_push, NULL);
  timchat_hub_push (hub, reader, TIMCHAT_PUSH_SERVCMD, sync_push, request->session);
  /* Read, so no longer marked unread, on any device. */
  return _timchat_conv_read_unmarks (request, reader, TIM_CONV_C2C, peer, error);
}

gboolean
_timchat_c2c_mark_read (TimchatRequest *request, const char *reader, const char *peer, gint64 upto,
                        GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (GError) local_error = NULL;

  if (timchat_store_mark_read (store, reader, TIM_CONV_C2C, peer, upto, 0, &local_error) >= 0)
    return push_read_notices (request, reader, peer, upto, error);
  /* No conversation yet: nothing is unread, nothing to tell anyone. Any other failure is the
   * store's (TIM_ERROR_INTERNAL): the mark did not move, so neither the peer's receipt nor the
   * reader's other devices may say it did, and OK would tell the reader's SDK to zero its unread
   * count and never report again. */
  if (g_error_matches (local_error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

JsonObject *
_timchat_cmd_msgreaded (TimchatRequest *request, GError **error)
{
  JsonObject *readed = tim_json_get_object (request->body, "C2CMsgReaded");
  JsonArray *items = tim_json_get_array (readed, "C2CMsgReadedItem");

  if (items == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "C2CMsgReaded.C2CMsgReadedItem must be an array");
      return NULL;
    }
  /* Check every item before applying any: nothing is half-applied. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      const char *peer = tim_json_get_string (item, "To_Account");
      gint64 upto;

      if (peer == NULL || !tim_user_id_is_valid (peer) ||
          (json_object_has_member (item, "LastedMsgTime") &&
           !tim_json_get_int (item, "LastedMsgTime", &upto)))
        {
          g_set_error (
              error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
              "C2CMsgReadedItem[%u] needs a To_Account user ID and an integer LastedMsgTime", i);
          return NULL;
        }
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      const char *peer = tim_json_get_string (item, "To_Account");
      gint64 upto = tim_json_get_int_or (item, "LastedMsgTime", timchat_server_now ());

      /* The reply has no slot per item, so one the store refused fails the report, undone
       * whole (timchat_command_dispatch ()): the SDK keeps its unread count and reports again. */
      if (!_timchat_c2c_mark_read (request, request->user, peer, upto, error))
        return NULL;
    }
  return json_object_new ();
}

/* The SDK's getRemotePeerReadTime, after its first send or history page of a conversation:
 * PeerReadTimeList[i] is how far To_Account[i] has read the caller's messages, the conversation
 * list's C2cPeerReadTime (0: never, an unknown user too). The facts give no limit on the list;
 * the frame's size bounds it. */
JsonObject *
_timchat_cmd_get_peer_read_time (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *peers = tim_json_get_array (request->body, "To_Account");
  JsonArray *times;
  JsonObject *reply;

  if (peers == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "To_Account must be an array of user IDs");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (peers); i++)
    if (tim_json_array_get_string (peers, i) == NULL)
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                     "To_Account[%u] must be a user ID", i);
        return NULL;
      }
  times = json_array_new ();
  for (guint i = 0; i < json_array_get_length (peers); i++)
    json_array_add_int_element (
        times,
        timchat_store_peer_read_time (store, request->user, tim_json_array_get_string (peers, i)));
  reply = json_object_new ();
  json_object_set_array_member (reply, "PeerReadTimeList", times);
  return reply;
}
