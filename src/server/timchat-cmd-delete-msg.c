/* timchat-cmd-delete-msg.c: the SDK's deleteMessage, deleting messages for the one who asks:
 * openim.delete_c2c_msg_ramble (MsgKeyList of "MsgSeq_MsgRandom_MsgTimeStamp") and
 * group_open_http_svc.delete_group_ramble_msg_by_seq (Seqs). Their history (getroammsg,
 * group_msg_get) skips them from then on, on every device; the others keep them. The asker's
 * other devices are told at once (our TimchatMsgDeleteNotify push), or at their next sync (the
 * store's deletion event), so that they drop the copies they hold. A key that names no message
 * is passed over: deleting is the same asked twice. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-group-notify.h"
#include "timchat-hub.h"

/* The SDK sends at most 30 a call. */
#define MAX_KEYS 30

static JsonArray *
key_list (JsonObject *body, const char *member, GError **error)
{
  JsonArray *keys = tim_json_get_array (body, member);

  if (keys == NULL || json_array_get_length (keys) == 0 || json_array_get_length (keys) > MAX_KEYS)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s must list 1 to %d messages",
                   member, MAX_KEYS);
      return NULL;
    }
  return keys;
}

/* "seq_random_time", three numbers. */
static gboolean
parse_c2c_key (const char *key, gint64 numbers[3])
{
  g_auto (GStrv) parts = key != NULL ? g_strsplit (key, "_", -1) : NULL;

  if (parts == NULL || g_strv_length (parts) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_string_to_signed (parts[i], 10, G_MININT64, G_MAXINT64, &numbers[i], NULL))
      return FALSE;
  return TRUE;
}

static gboolean
is_among (GArray *ids, gint64 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* msgs: TimchatMsg. The asker's other devices are told of those deleted now. */
static JsonObject *
hide (TimchatRequest *request, GPtrArray *msgs, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) hidden = NULL;
  g_autoptr (JsonObject) push = NULL;

  for (guint i = 0; i < msgs->len; i++)
    g_array_append_val (ids, ((TimchatMsg *) msgs->pdata[i])->id);
  if (ids->len == 0)
    return json_object_new ();
  hidden = timchat_store_hide_messages (timchat_server_get_store (request->server), request->user,
                                        ids, error);
  if (hidden == NULL)
    return NULL;
  for (guint i = msgs->len; i > 0; i--)
    if (!is_among (hidden, ((TimchatMsg *) msgs->pdata[i - 1])->id))
      g_ptr_array_remove_index (msgs, i - 1);
  if (msgs->len == 0)
    return json_object_new ();
  push = _timchat_wire_push_body (9, "C2cNotifyMsgArray",
                                  _timchat_wire_delete_notify (request->server, msgs));
  timchat_hub_push (timchat_server_get_hub (request->server), request->user, TIMCHAT_PUSH_SERVCMD,
                    push, request->session);
  return json_object_new ();
}

JsonObject *
_timchat_cmd_delete_c2c_msg_ramble (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *peer = tim_json_get_string (request->body, "To_Account");
  JsonArray *keys = NULL;
  g_autoptr (GPtrArray) msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_msg_free);

  if (peer == NULL || *peer == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "To_Account is missing or not a string");
      return NULL;
    }
  if ((keys = key_list (request->body, "MsgKeyList", error)) == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      const char *key = tim_json_array_get_string (keys, i);
      TimchatMsg *msg = NULL;
      gint64 numbers[3];

      if (!parse_c2c_key (key, numbers))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "MsgKeyList: \"%s\" is not MsgSeq_MsgRandom_MsgTimeStamp",
                       key != NULL ? key : "(not a string)");
          return NULL;
        }
      /* Sent by either of the two. */
      msg = timchat_store_find_c2c_message (store, request->user, peer, numbers[0], numbers[1]);
      if (msg == NULL)
        msg = timchat_store_find_c2c_message (store, peer, request->user, numbers[0], numbers[1]);
      if (msg != NULL && msg->time == numbers[2])
        g_ptr_array_add (msgs, msg);
      else if (msg != NULL)
        timchat_msg_free (msg);
    }
  return hide (request, msgs, error);
}

/* A Seqs item: a number, a number as text (the SDK's), or {"MsgSeq": n}. */
static gboolean
parse_seq (JsonArray *seqs, guint i, gint64 *seq)
{
  JsonNode *node = json_array_get_element (seqs, i);
  const char *text = tim_json_array_get_string (seqs, i);

  if (text != NULL)
    return g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, seq, NULL);
  if (JSON_NODE_HOLDS_OBJECT (node))
    return tim_json_get_int (json_node_get_object (node), "MsgSeq", seq) && *seq > 0;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *seq = json_node_get_int (node);
  return *seq > 0;
}

JsonObject *
_timchat_cmd_delete_group_ramble_msg_by_seq (TimchatRequest *request, GError **error)
{
  g_autoptr (TimchatGroup) group = _timchat_group_from_body (request, NULL, error);
  g_autoptr (GPtrArray) msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_msg_free);
  g_autoptr (TimchatMember) self = NULL;
  JsonArray *seqs;

  if (group == NULL || !_timchat_group_require_member (request, group, &self, error) ||
      (seqs = key_list (request->body, "Seqs", error)) == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (seqs); i++)
    {
      TimchatMsg *msg;
      gint64 seq;

      if (!parse_seq (seqs, i, &seq))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "Seqs: item %u is not a message sequence", i);
          return NULL;
        }
      msg = _timchat_group_find_message (request, group, self, seq);
      if (msg != NULL)
        g_ptr_array_add (msgs, msg);
    }
  return hide (request, msgs, error);
}
