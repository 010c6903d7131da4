/* timchat-cmd-c2c-admin.c: one-to-one admin REST commands (openim). They reuse the send, recall
 * and read paths of timchat-cmd-c2c.c, so clients see exactly what a user's action shows them. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-c2c-private.h"

#define BATCH_MAX_TARGETS 500
#define ROAM_MAX_COUNT 100
#define ROAM_PAGE_BYTES (13 * 1024)
#define UNREAD_MAX_PEERS 10

/* A required string member naming an existing account, else code. */
static const char *
require_user (TimchatRequest *request, const char *member, const char *legacy, int code,
              GError **error)
{
  const char *user = tim_json_get_string_any (request->body, member, legacy, NULL);

  if (user == NULL || *user == '\0')
    {
      g_set_error (error, TIM_ERROR, code, "%s is missing or not a string", member);
      return NULL;
    }
  return _timchat_c2c_require_account (request, user, code, error) ? user : NULL;
}

static gboolean
require_int (TimchatRequest *request, const char *member, gint64 *out, GError **error)
{
  if (!_timchat_request_get_int (request, request->body, member, out))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "%s is missing or not an integer",
                   member);
      return FALSE;
    }
  return TRUE;
}

static void
add_error_item (JsonArray *list, const char *member, const char *user, int code)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, member, user);
  json_object_set_int_member (item, "ErrorCode", code);
  json_array_add_object_element (list, item);
}

/* Each recipient gets the message exactly as one sendmsg would deliver it. */
JsonObject *
_timchat_cmd_batchsendmsg (TimchatRequest *request, GError **error)
{
  JsonArray *targets = tim_json_get_array (request->body, "To_Account");
  const char *from =
      _timchat_acting_user (request, "From_Account", FALSE, TIM_ERROR_FROM_ACCOUNT_INVALID, error);
  g_autoptr (TimchatMsg) template = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GHashTable) recipients = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean online_only = FALSE, sync_sender = TRUE;
  JsonArray *errors;
  JsonObject *reply;

  if (from == NULL)
    return NULL;
  if (targets == NULL || json_array_get_length (targets) == 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_TO_ACCOUNT_INVALID,
                           "To_Account must be a non-empty array of user IDs");
      return NULL;
    }
  if (json_array_get_length (targets) > BATCH_MAX_TARGETS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_TOO_MANY_TARGETS,
                   "To_Account names %u users; %d at most", json_array_get_length (targets),
                   BATCH_MAX_TARGETS);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (targets); i++)
    if (tim_json_array_get_string (targets, i) == NULL)
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_TO_ACCOUNT_INVALID,
                     "To_Account[%u] is not a string", i);
        return NULL;
      }
  if (!_timchat_c2c_require_account (request, from, TIM_ERROR_FROM_ACCOUNT_INVALID, error) ||
      (template = _timchat_c2c_prepare (request, from, &online_only, &sync_sender, error)) == NULL)
    return NULL;
  /* A batch sent again with its MsgSeq and MsgRandom (its reply was lost) is a resend: every copy
   * takes the time of the one already stored, a copy stored now for a recipient the first attempt
   * missed too. Otherwise the reply's MsgKey carried the resend's own time, and named no copy
   * (admin_msgwithdraw 20022, admin_getroammsg 90054). Without both numbers from the caller they
   * are ours, new each call: nothing was sent before. */
  if (!online_only && json_object_has_member (request->body, "MsgSeq") &&
      json_object_has_member (request->body, "MsgRandom"))
    for (guint i = 0; i < json_array_get_length (targets); i++)
      {
        g_autoptr (TimchatMsg) sent = timchat_store_find_c2c_message (
            timchat_server_get_store (request->server), from,
            tim_json_array_get_string (targets, i), template->client_seq, template->random);

        if (sent != NULL)
          {
            template->time = sent->time;
            template->client_time = sent->client_time;
            break;
          }
      }

  errors = json_array_new ();
  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      const char *to = tim_json_array_get_string (targets, i);
      g_autoptr (TimchatMsg) msg = NULL;
      g_autoptr (GError) local_error = NULL;
      gboolean duplicate;

      /* A recipient named twice is one recipient: its first mention had the message (or its
       * error). A stored copy would be known again as a resend, but an online-only one has none,
       * and was pushed to them once per mention. */
      if (!g_hash_table_add (recipients, (gpointer) to))
        continue;
      msg = timchat_msg_copy (template);
      g_free (msg->to_id);
      msg->to_id = g_strdup (to);
      if (!_timchat_c2c_require_account (request, to, TIM_ERROR_TO_ACCOUNT_NOT_REGISTERED,
                                         &local_error) ||
          !_timchat_c2c_deliver (request, msg, online_only, sync_sender, &duplicate, &local_error))
        add_error_item (errors, "To_Account", to, local_error->code);
    }
  key = _timchat_c2c_msg_key (template);
  reply = json_object_new ();
  json_object_set_string_member (reply, "MsgKey", key);
  json_object_set_int_member (reply, "MsgTime", template->time);
  json_object_set_array_member (reply, "ErrorList", errors);
  return reply;
}

/* Has to's read mark reached msg? */
static gint64
read_seq_of (TimchatStore *store, const char *owner, const char *peer)
{
  g_autoptr (TimchatConversation) conv =
      timchat_store_get_conversation (store, owner, TIM_CONV_C2C, peer);

  return conv != NULL ? conv->read_seq : 0;
}

/* Is a message sent at time past retention (limits/retention_days), and so maybe swept? */
static gboolean
swept_by_retention (TimchatServer *server, gint64 time)
{
  guint days = timchat_server_get_config (server)->retention_days;

  return days > 0 && time < timchat_server_now () - (gint64) days * 86400;
}

/* Newest first within [MinTime, MaxTime]; a page ends at MaxCnt messages or about 13 KB, and the
 * next one starts after LastMsgKey. */
JsonObject *
_timchat_cmd_admin_getroammsg (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *owner, *peer, *last_key;
  gint64 max_count, min_time, max_time, before_seq = 0, owner_read, peer_read;
  g_autoptr (GPtrArray) page = NULL;
  g_autofree char *next_key = NULL;
  gsize bytes = 0;
  guint taken = 0;
  JsonArray *list;
  JsonObject *reply;
  TimchatMsg *last = NULL;

  if ((owner = require_user (request, "Operator_Account", "From_Account",
                             TIM_ERROR_FROM_ACCOUNT_INVALID, error)) == NULL ||
      (peer = require_user (request, "Peer_Account", "To_Account", TIM_ERROR_TO_ACCOUNT_INVALID,
                            error)) == NULL ||
      !require_int (request, "MaxCnt", &max_count, error) ||
      !require_int (request, "MinTime", &min_time, error) ||
      !require_int (request, "MaxTime", &max_time, error))
    return NULL;
  last_key = tim_json_get_string (request->body, "LastMsgKey");
  if (last_key == NULL && json_object_has_member (request->body, "LastMsgKey"))
    last_key = "?"; /* not a string: reported below */
  if (last_key != NULL && *last_key != '\0')
    {
      gint64 seq, random, time;
      gboolean parsed = _timchat_c2c_parse_msg_key (last_key, &seq, &random, &time);
      g_autoptr (TimchatMsg) anchor = NULL;

      if (parsed &&
          (anchor = timchat_store_find_c2c_message (store, owner, peer, seq, random)) == NULL)
        anchor = timchat_store_find_c2c_message (store, peer, owner, seq, random);
      if (anchor != NULL && anchor->time == time)
        before_seq = anchor->seq;
      /* The retention sweep took the message that ended the previous page (its key says when it
       * was sent): the page goes on from that time, with the older messages still stored (none,
       * once the sweep is through: they were older than retention too). Refused, the caller
       * could never read on. The messages of its very second are older than retention as well. */
      else if (anchor == NULL && parsed && swept_by_retention (request->server, time))
        max_time = MIN (max_time, time - 1);
      else
        {
          g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_KEY_INVALID,
                               "LastMsgKey names no message of this conversation");
          return NULL;
        }
    }
  max_count = CLAMP (max_count, 1, ROAM_MAX_COUNT);

  owner_read = read_seq_of (store, owner, peer);
  peer_read = read_seq_of (store, peer, owner);
  page = timchat_store_c2c_range (store, owner, peer, min_time, max_time, before_seq,
                                  (guint) max_count + 1);
  list = json_array_new ();
  for (; taken < page->len && taken < (guint) max_count && bytes <= ROAM_PAGE_BYTES; taken++)
    {
      TimchatMsg *msg = page->pdata[taken];
      JsonObject *item = _timchat_wire_c2c_msg (request->server, msg);
      gint64 reader_seq = g_str_equal (msg->to_id, owner) ? owner_read : peer_read;

      json_object_set_int_member (item, "IsPeerRead", reader_seq >= msg->seq ? 1 : 0);
      /* What the 13 KB is of: the message as it goes out, its CloudCustomData too. */
      bytes += (msg->body != NULL ? strlen (msg->body) : 0) +
               (msg->cloud_custom_data != NULL ? strlen (msg->cloud_custom_data) : 0);
      json_array_add_object_element (list, item);
      last = msg;
    }

  reply = json_object_new ();
  json_object_set_int_member (reply, "Complete", taken >= page->len ? 1 : 0);
  json_object_set_int_member (reply, "MsgCnt", taken);
  json_object_set_int_member (reply, "LastMsgTime", last != NULL ? last->time : 0);
  next_key = last != NULL ? _timchat_c2c_msg_key (last) : g_strdup ("");
  json_object_set_string_member (reply, "LastMsgKey", next_key);
  json_object_set_array_member (reply, "MsgList", list);
  return reply;
}

/* No time limit: the admin may recall anything still stored. */
JsonObject *
_timchat_cmd_admin_msgwithdraw (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *from, *to, *key;
  gint64 seq, random, time;
  g_autoptr (TimchatMsg) msg = NULL;

  if ((from = require_user (request, "From_Account", NULL, TIM_ERROR_FROM_ACCOUNT_INVALID,
                            error)) == NULL ||
      (to = require_user (request, "To_Account", NULL, TIM_ERROR_TO_ACCOUNT_INVALID, error)) ==
          NULL)
    return NULL;
  key = tim_json_get_string (request->body, "MsgKey");
  if (!_timchat_c2c_parse_msg_key (key, &seq, &random, &time))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_MSG_KEY_INVALID,
                           "MsgKey is missing or not a key from sendmsg or admin_getroammsg");
      return NULL;
    }
  msg = timchat_store_find_c2c_message (store, from, to, seq, random);
  if (msg == NULL || msg->time != time || !g_str_equal (msg->to_id, to))
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
  if (!_timchat_c2c_recall (request, msg, error))
    return NULL;
  return json_object_new ();
}

JsonObject *
_timchat_cmd_admin_set_msg_read (TimchatRequest *request, GError **error)
{
  const char *reader, *peer;
  gint64 upto = timchat_server_now ();

  if ((reader = require_user (request, "Report_Account", NULL, TIM_ERROR_FROM_ACCOUNT_INVALID,
                              error)) == NULL ||
      (peer = require_user (request, "Peer_Account", NULL, TIM_ERROR_TO_ACCOUNT_INVALID, error)) ==
          NULL)
    return NULL;
  /* The one documented exception to REST's JSON numbers (docs/rest-api.md; tim-rest-facts.md
   * §4.5: the vendor's pages and SDKs type it either way): a numeric string is read too, but
   * true is no time. */
  if (json_object_has_member (request->body, "MsgReadTime") &&
      !(tim_json_get_string (request->body, "MsgReadTime") != NULL
            ? tim_json_get_int (request->body, "MsgReadTime", &upto)
            : _timchat_request_get_int (request, request->body, "MsgReadTime", &upto)))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "MsgReadTime is not an integer");
      return NULL;
    }
  return _timchat_c2c_mark_read (request, reader, peer, upto, error) ? json_object_new () : NULL;
}

JsonObject *
_timchat_cmd_get_c2c_unread_msg_num (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *peers = tim_json_get_array (request->body, "Peer_Account");
  g_autoptr (GPtrArray) conversations = NULL;
  const char *owner;
  gint64 total = 0;
  JsonObject *reply;

  if ((owner = require_user (request, "To_Account", NULL, TIM_ERROR_TO_ACCOUNT_INVALID, error)) ==
      NULL)
    return NULL;
  if (peers == NULL && json_object_has_member (request->body, "Peer_Account"))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE,
                           "Peer_Account must be an array of user IDs");
      return NULL;
    }
  if (peers != NULL && json_array_get_length (peers) > UNREAD_MAX_PEERS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_TOO_MANY_TARGETS,
                   "Peer_Account names %u users; %d at most", json_array_get_length (peers),
                   UNREAD_MAX_PEERS);
      return NULL;
    }
  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    if (tim_json_array_get_string (peers, i) == NULL)
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "Peer_Account[%u] is not a string", i);
        return NULL;
      }

  reply = json_object_new ();
  conversations = timchat_store_list_conversations (store, owner, 0);
  for (guint i = 0; i < conversations->len; i++)
    {
      TimchatConversation *conv = conversations->pdata[i];

      if (conv->conv_type == TIM_CONV_C2C)
        total += conv->unread;
    }
  json_object_set_int_member (reply, "AllC2CUnreadMsgNum", total);
  if (peers != NULL)
    {
      JsonArray *list = json_array_new ();
      JsonArray *errors = json_array_new ();

      for (guint i = 0; i < json_array_get_length (peers); i++)
        {
          const char *peer = tim_json_array_get_string (peers, i);
          g_autoptr (TimchatAccount) account = timchat_store_get_account (store, peer);
          g_autoptr (TimchatConversation) conv = NULL;
          JsonObject *item;

          if (account == NULL)
            {
              add_error_item (errors, "Peer_Account", peer, TIM_ERROR_ACCOUNT_NOT_FOUND);
              continue;
            }
          conv = timchat_store_get_conversation (store, owner, TIM_CONV_C2C, peer);
          item = json_object_new ();
          json_object_set_string_member (item, "Peer_Account", peer);
          json_object_set_int_member (item, "C2CUnreadMsgNum", conv != NULL ? conv->unread : 0);
          json_array_add_object_element (list, item);
        }
      json_object_set_array_member (reply, "C2CUnreadMsgNumList", list);
      if (json_array_get_length (errors) > 0)
        json_object_set_array_member (reply, "ErrorList", errors);
      else
        json_array_unref (errors);
    }
  return reply;
}
