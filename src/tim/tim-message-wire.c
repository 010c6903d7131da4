/* tim-message-wire.c: TimMessage from the server's message items (sdk-wire-notes.md §4, §8), and
 * the MsgBody it sends. To and from the local store's records is in tim-message-record.c. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-json.h"
#include "tim-message-private.h"

JsonArray *
_tim_message_array_deep_copy (JsonArray *array)
{
  g_autoptr (JsonObject) wrapper = json_object_new ();
  g_autoptr (JsonObject) copy = NULL;

  json_object_set_array_member (wrapper, "a", json_array_ref (array));
  copy = tim_json_object_copy (wrapper);
  return json_array_ref (json_object_get_array_member (copy, "a"));
}

/* Whether the item is a recalled message (C2C MsgFlagBits 8, group IsPlaceMsg 2). */
static gboolean
item_is_recalled (JsonObject *item)
{
  return tim_json_get_int_or (item, "MsgFlagBits", 0) == 8 ||
         tim_json_get_int_or (item, "IsPlaceMsg", 0) == 2;
}

/* A message from its MsgBody. A recalled one says nothing, whatever its body still holds (our
 * server leaves an empty text; another might leave the original): a placeholder of no element
 * type, as _tim_message_set_revoked () leaves a message recalled while we look. */
static TimMessage *
message_new_from_body (JsonArray *body, gboolean recalled)
{
  JsonObject *elem = body != NULL ? tim_json_array_get_object (body, 0) : NULL;
  g_autoptr (JsonObject) payload = NULL;
  TimElemType type = TIM_ELEM_UNKNOWN;
  TimMessage *self;

  if (recalled)
    {
      self = g_object_new (TIM_TYPE_MESSAGE, NULL);
      self->wire_body = json_array_new ();
      self->status = TIM_MESSAGE_STATUS_SUCCESS;
      return self;
    }
  if (elem == NULL || (payload = tim_elem_to_payload (elem, &type)) == NULL)
    return NULL;
  self = g_object_new (TIM_TYPE_MESSAGE, NULL);
  json_object_unref (self->payload);
  self->payload = g_steal_pointer (&payload);
  self->elem_type = type;
  self->type_string = g_strdup (tim_json_get_string (elem, "MsgType"));
  self->wire_body = _tim_message_array_deep_copy (body);
  self->status = TIM_MESSAGE_STATUS_SUCCESS;
  return self;
}

/* A group tip or notice item carries its body as one object: wrap it as a one-element MsgBody,
 * with the item's GroupInfo that the payload's groupProfile comes from. */
static JsonArray *
wrap_body_object (JsonObject *item, JsonObject *content, const char *msg_type)
{
  JsonArray *body = json_array_new ();
  JsonObject *elem = json_object_new ();
  JsonObject *copy = tim_json_object_copy (content);
  JsonObject *group_info = tim_json_get_object (item, "GroupInfo");

  if (group_info != NULL && !json_object_has_member (copy, "GroupInfo"))
    json_object_set_object_member (copy, "GroupInfo", tim_json_object_copy (group_info));
  json_object_set_string_member (elem, "MsgType", msg_type);
  json_object_set_object_member (elem, "MsgContent", copy);
  json_array_add_object_element (body, elem);
  return body;
}

static TimPriority
priority_from_node (JsonObject *item)
{
  gint64 code;

  if (tim_json_get_string (item, "MsgPriority") != NULL &&
      !tim_json_get_int (item, "MsgPriority", &code))
    return tim_priority_from_string (tim_json_get_string (item, "MsgPriority"));
  if (tim_json_get_int (item, "MsgPriority", &code) && code >= TIM_PRIORITY_HIGH &&
      code <= TIM_PRIORITY_LOWEST)
    return (TimPriority) code;
  return TIM_PRIORITY_NORMAL;
}

static char *
dup_tinyid (JsonObject *item)
{
  gint64 number;

  if (tim_json_get_string (item, "TinyId") != NULL)
    return g_strdup (tim_json_get_string (item, "TinyId"));
  if (tim_json_get_int (item, "TinyId", &number))
    return g_strdup_printf ("%" G_GINT64_FORMAT, number);
  return NULL;
}

static const char *
wire_revoker (JsonObject *item)
{
  JsonObject *info = tim_json_get_object (item, "RevokerInfo");
  const char *revoker = tim_json_get_string_any (item, "Revoker", "Revoker_Account", NULL);

  return revoker != NULL || info == NULL ? revoker : tim_json_get_string (info, "Revoker");
}

/* The fields C2C and group items share (names of the vendor's server, §4/§8). */
static void
fill_common (TimMessage *self, JsonObject *item, const char *me)
{
  const char *nick = tim_json_get_string (item, "From_AccountNick");
  const char *avatar = tim_json_get_string (item, "From_AccountHeadurl");
  const char *custom = tim_json_get_string (item, "CloudCustomData");

  self->flow_out = me != NULL && g_strcmp0 (self->from, me) == 0;
  self->is_read = self->flow_out;
  self->sequence = tim_json_get_int_or (item, "MsgSeq", 0);
  if (!tim_json_get_int (item, "MsgTimeStamp", &self->time))
    self->time = tim_json_get_int_or (item, "MsgTime", 0);
  self->client_time = tim_json_get_int_or (item, "MsgClientTime", self->time);
  self->server_seq = tim_json_get_int_or (item, "ServerSeq", 0);
  self->priority = priority_from_node (item);
  if (self->sender_tinyid == NULL)
    self->sender_tinyid = dup_tinyid (item);
  if (self->nick == NULL)
    self->nick = g_strdup (nick);
  if (self->avatar == NULL)
    self->avatar = g_strdup (avatar);
  self->cloud_custom_data = g_strdup (custom != NULL ? custom : "");
  self->online_only = tim_json_get_int_or (item, "OnlineOnlyFlag", 0) == 1;
  self->control = tim_msg_control_from_item (item);
  self->version = tim_json_get_int_or (item, "MsgVersion", 0);
  self->is_modified = self->version > 0 || tim_json_get_int_or (item, "MsgModifiedFlag", 0) == 1;
  if (item_is_recalled (item))
    {
      self->is_revoked = TRUE;
      self->revoker = g_strdup (wire_revoker (item));
    }
}

TimMessage *
_tim_message_new_from_c2c_wire (JsonObject *item, const char *me)
{
  const char *from, *to, *peer;
  TimMessage *self;
  gint64 life_time;

  g_return_val_if_fail (item != NULL, NULL);

  from = tim_json_get_string (item, "From_Account");
  to = tim_json_get_string (item, "To_Account");
  if (from == NULL || to == NULL)
    return NULL;
  /* A copy of my own message from another device comes with From/To swapped (§8.1). */
  if (tim_json_get_int_or (item, "IsSyncMsg", 0) == 1)
    {
      const char *tmp = from;

      from = to;
      to = tmp;
    }
  self = message_new_from_body (tim_json_get_array (item, "MsgBody"), item_is_recalled (item));
  if (self == NULL)
    return NULL;

  self->from = g_strdup (from);
  self->to = g_strdup (to);
  fill_common (self, item, me);
  self->random = tim_json_get_int_or (item, "MsgRandom", 0);
  peer = self->flow_out ? to : from;
  self->conversation_type = TIM_CONV_C2C;
  self->conversation_id = tim_conv_make_id (TIM_CONV_C2C, peer);
  if (tim_json_get_int (item, "MsgLifeTime", &life_time) && life_time == 0)
    self->online_only = TRUE;
  _tim_message_update_id (self);
  return self;
}

typedef enum
{
  GROUP_ITEM_ANY, /* a message, or a tip / notice told apart by OpType / ReportType */
  GROUP_ITEM_TIP,
  GROUP_ITEM_NOTICE,
} GroupItemKind;

/* A group message's sequence is the server's order of its group (what its history pages by, and
 * what clearing a history counts up to): once the server has it, it is its server sequence too,
 * as a C2C message's ServerSeq is. Kept messages from before had none. */
void
_tim_message_derive_group_server_seq (TimMessage *self)
{
  if (self->conversation_type == TIM_CONV_GROUP && self->server_seq <= 0 && self->sequence > 0 &&
      self->status == TIM_MESSAGE_STATUS_SUCCESS)
    self->server_seq = self->sequence;
}

static TimMessage *
group_item_new (JsonObject *item, const char *me, GroupItemKind kind)
{
  JsonObject *group_info, *body_object, *extra = NULL;
  const char *group_id, *from;
  g_autoptr (JsonArray) wrapped = NULL;
  TimMessage *self;

  /* Placeholders are dropped from history, as the seed does (facts §2.1). */
  if (tim_json_get_int_or (item, "IsPlaceMsg", 0) == 1)
    return NULL;
  group_info = tim_json_get_object (item, "GroupInfo");
  group_id = group_info != NULL ? tim_json_get_string (group_info, "GroupId") : NULL;
  if (group_id == NULL)
    group_id = tim_json_get_string_any (item, "ToGroupId", "GroupId", NULL);
  if (group_info != NULL)
    extra = tim_json_get_object (group_info, "MsgFrom_AccountExtraInfo");

  /* GroupTips items (Event 4 tips, Event 5 system notices) carry MsgBody as an object (§8.7). */
  if ((body_object = tim_json_get_object (item, "MsgBody")) != NULL)
    {
      if (kind == GROUP_ITEM_ANY && json_object_has_member (body_object, "OpType"))
        kind = GROUP_ITEM_TIP;
      else if (kind == GROUP_ITEM_ANY && json_object_has_member (body_object, "ReportType"))
        kind = GROUP_ITEM_NOTICE;
      if (kind == GROUP_ITEM_ANY)
        return NULL; /* recall, read and receipt notices are not messages */
      wrapped = wrap_body_object (item, body_object,
                                  kind == GROUP_ITEM_TIP ? "TIMGroupTipElem"
                                                         : "TIMGroupSystemNoticeElem");
      self = message_new_from_body (wrapped, FALSE);
    }
  else
    self = message_new_from_body (tim_json_get_array (item, "MsgBody"), item_is_recalled (item));
  if (self == NULL || (group_id == NULL && kind != GROUP_ITEM_NOTICE))
    {
      g_clear_object (&self);
      return NULL;
    }

  from = tim_json_get_string (item, "From_Account");
  if (from == NULL)
    from = tim_json_get_string (body_object != NULL ? body_object : item, "Operator_Account");
  if (extra != NULL)
    {
      self->nick = g_strdup (tim_json_get_string (extra, "Nick"));
      self->name_card = g_strdup (tim_json_get_string (extra, "NameCard"));
      self->avatar = g_strdup (tim_json_get_string (extra, "HeadUrl"));
    }
  if (kind == GROUP_ITEM_NOTICE)
    {
      const char *to = tim_json_get_string (item, "To_Account");

      self->from = g_strdup (TIM_SYSTEM_CONVERSATION_ID);
      self->to = g_strdup (to != NULL ? to : me);
      self->sender_tinyid = g_strdup_printf ("%" G_GUINT64_FORMAT, TIM_SYSTEM_TINYID);
      self->conversation_type = TIM_CONV_SYSTEM;
      self->conversation_id = g_strdup (TIM_SYSTEM_CONVERSATION_ID);
    }
  else
    {
      self->from = g_strdup (from != NULL ? from : "");
      self->to = g_strdup (group_id);
      self->conversation_type = TIM_CONV_GROUP;
      self->conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
    }
  fill_common (self, item, me);
  /* Mentions travel beside the body (tim-sdk-facts.md §2). A list we cannot read is one the
   * server would not have taken; the message still counts, without it. */
  if (self->conversation_type == TIM_CONV_GROUP && !self->is_revoked)
    tim_group_at_info_parse (tim_json_get_array (item, "GroupAtInfo"), &self->at_user_list, NULL);
  if (kind == GROUP_ITEM_NOTICE)
    {
      self->flow_out = FALSE;
      self->is_read = FALSE;
    }
  if (!tim_json_get_int (item, "Random", &self->random))
    self->random = tim_json_get_int_or (item, "MsgRandom", 0);
  /* The seed replaces these (sequence, random) pairs of notices to keep keys unique. */
  if (kind == GROUP_ITEM_NOTICE && self->sequence == self->random &&
      (self->sequence == 1 || self->sequence == 2))
    {
      self->sequence = g_random_int_range (0, 100000000);
      self->random = g_random_int_range (0, 100000000);
    }
  _tim_message_derive_group_server_seq (self);
  _tim_message_update_id (self);
  return self;
}

TimMessage *
_tim_message_new_from_group_wire (JsonObject *item, const char *me)
{
  g_return_val_if_fail (item != NULL, NULL);
  return group_item_new (item, me, GROUP_ITEM_ANY);
}

TimMessage *
_tim_message_new_group_tip (JsonObject *item, const char *me)
{
  g_return_val_if_fail (item != NULL, NULL);
  return group_item_new (item, me, GROUP_ITEM_TIP);
}

TimMessage *
_tim_message_new_system_notice (JsonObject *item, const char *me)
{
  g_return_val_if_fail (item != NULL, NULL);
  return group_item_new (item, me, GROUP_ITEM_NOTICE);
}

TimMessage *
_tim_message_new_merged_entry (JsonObject *item, const char *me)
{
  g_autoptr (JsonObject) c2c = NULL;
  const char *id = tim_json_get_string (item, "Id");
  TimMessage *self;

  g_return_val_if_fail (item != NULL, NULL);

  if (tim_json_get_string (item, "GroupId") != NULL)
    self = _tim_message_new_from_group_wire (item, me);
  else
    {
      /* The SDK names the receiver twice; one is enough to read it as a C2C item. */
      c2c = tim_json_object_copy (item);
      if (tim_json_get_string (c2c, "To_Account") == NULL)
        json_object_set_string_member (c2c, "To_Account",
                                       tim_json_get_string (item, "ReceiverId") ?: "");
      if (tim_json_get_string (c2c, "From_Account") == NULL)
        return NULL;
      self = _tim_message_new_from_c2c_wire (c2c, me);
    }
  if (self == NULL)
    return NULL;
  self->merged_entry = TRUE;
  if (id != NULL && *id != '\0')
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
  return self;
}

gboolean
_tim_message_is_merged_entry (TimMessage *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (self), FALSE);
  return self->merged_entry;
}

JsonArray *
_tim_message_dup_msg_body (TimMessage *self)
{
  g_autoptr (GError) error = NULL;
  JsonObject *elem = NULL;
  JsonArray *body;

  g_return_val_if_fail (TIM_IS_MESSAGE (self), NULL);

  /* Sendable types are encoded from the payload, which may have changed (upload URLs). */
  if (tim_elem_type_is_sendable (self->elem_type))
    elem = tim_elem_from_payload (self->elem_type, self->payload, &error);
  if (elem != NULL)
    {
      body = json_array_new ();
      json_array_add_object_element (body, elem);
      return body;
    }
  if (self->wire_body != NULL)
    return _tim_message_array_deep_copy (self->wire_body);
  if (error != NULL)
    g_warning ("Message %s has no valid body: %s", self->id, error->message);
  return json_array_new ();
}
