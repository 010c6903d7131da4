/* tim-elem-payload-group.c: group tips and group system notices to payload (receive only: a
 * client never sends them). */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-elem-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* ---- group tips and system notices (receive only) ---- */

/* "GroupName" -> "groupName", "UUID" -> "uuid", "URLPath" -> "urlPath": the SDK's fallback for
 * keys its tables do not name. */
static char *
camel_case (const char *key)
{
  char *out = g_strdup (key);
  gsize n = 0;

  while (g_ascii_isupper (out[n]))
    n++;
  if (n > 1 && g_ascii_islower (out[n]))
    n--;
  for (gsize i = 0; i < n; i++)
    out[i] = g_ascii_tolower (out[i]);
  return out;
}

typedef struct
{
  const char *wire;
  const char *payload;
} Rename;

/* Copies every member of @src into @dst: renamed per @renames (NULL payload name = dropped),
 * camelCased otherwise. */
static void
copy_renamed (JsonObject *src, JsonObject *dst, const Rename *renames)
{
  g_autoptr (GList) members = json_object_get_members (src);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const Rename *r = renames;
      g_autofree char *camel = NULL;

      while (r != NULL && r->wire != NULL && strcmp (r->wire, key) != 0)
        r++;
      if (r != NULL && r->wire != NULL)
        {
          if (r->payload != NULL)
            json_object_set_member (dst, r->payload,
                                    _tim_elem_node_deep_copy (json_object_get_member (src, key)));
          continue;
        }
      camel = camel_case (key);
      json_object_set_member (dst, camel,
                              _tim_elem_node_deep_copy (json_object_get_member (src, key)));
    }
}

/* The SDK's own names for MsgGroupNewInfo's keys (the rest are camelCased: GroupName becomes
 * groupName, MuteAllMembers muteAllMembers). */
static const Rename new_info_renames[] = {
  { "GroupFaceUrl", "avatar" },
  { "GroupIntroduction", "introduction" },
  { "GroupNotification", "notification" },
  { "GroupApplyJoinOption", "joinOption" },
  { "Owner_Account", "ownerID" },
  { "MsgAppDefinedData", "groupCustomField" },
  { NULL },
};

static const Rename member_renames[] = {
  { "UserId", "userID" },
  { "NickName", "nick" },
  { "ImageUrl", "avatar" },
  { "ShutupTime", "muteTime" }, /* a mute tip's (7) seconds, as the SDK names them */
  { NULL },
};

static JsonObject *
group_profile (JsonObject *content, const char *name_key)
{
  JsonNode *node = json_object_get_member (content, "GroupInfo");
  JsonObject *info, *profile;
  const char *wire[] = { "GroupId", "GroupName", "From_Account", "To_Account" };
  const char *payload[] = { "groupID", name_key, "from", "to" };

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  info = json_node_get_object (node);
  profile = json_object_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (wire); i++)
    if (_tim_elem_obj_has (info, wire[i]))
      json_object_set_member (profile, payload[i],
                              _tim_elem_node_deep_copy (json_object_get_member (info, wire[i])));
  return profile;
}

static gboolean
truthy (JsonNode *node)
{
  gint64 i;
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (_tim_elem_node_get_int (node, &i))
    return i != 0;
  s = json_node_get_string (node);
  return s != NULL && (g_ascii_strcasecmp (s, "On") == 0 || g_ascii_strcasecmp (s, "true") == 0);
}

void
_tim_elem_group_tip_to_payload (JsonObject *content, JsonObject *payload)
{
  static const Rename renames[] = {
    { "OpType", NULL },           { "Operator_Account", NULL },
    { "List_Account", NULL },     { "MsgMemberExtraInfo", NULL },
    { "MemberNum", NULL },        { "MsgGroupNewInfo", NULL },
    { "GroupInfo", NULL },        { "OperatorInfo", NULL },
    { "RemarkInfo", NULL },       { "MemberExtraInfo", NULL },
    { "OnlineMemberInfo", NULL }, { NULL },
  };
  const char *op = tim_json_get_string (content, "Operator_Account");
  JsonNode *list = json_object_get_member (content, "List_Account");
  JsonNode *members = json_object_get_member (content, "MsgMemberExtraInfo");
  JsonNode *info = json_object_get_member (content, "MsgGroupNewInfo");
  JsonArray *member_list = json_array_new ();
  JsonObject *profile;

  copy_renamed (content, payload, renames);
  json_object_set_int_member (payload, "operationType", _tim_elem_obj_get_int0 (content, "OpType"));
  json_object_set_string_member (payload, "operatorID", op != NULL ? op : "");
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    json_object_set_member (payload, "userIDList", _tim_elem_node_deep_copy (list));
  else
    {
      JsonArray *ids = json_array_new ();

      json_array_add_string_element (ids, op != NULL ? op : "");
      json_object_set_array_member (payload, "userIDList", ids);
    }

  for (guint i = 0; members != NULL && JSON_NODE_HOLDS_ARRAY (members) &&
                    i < json_array_get_length (json_node_get_array (members));
       i++)
    {
      JsonNode *m = json_array_get_element (json_node_get_array (members), i);
      JsonObject *member;

      if (!JSON_NODE_HOLDS_OBJECT (m))
        continue;
      member = json_object_new ();
      copy_renamed (json_node_get_object (m), member, member_renames);
      json_array_add_object_element (member_list, member);
    }
  json_object_set_array_member (payload, "memberList", member_list);

  if (_tim_elem_obj_has (content, "MemberNum"))
    {
      json_object_set_int_member (payload, "memberNum",
                                  _tim_elem_obj_get_int0 (content, "MemberNum"));
      json_object_set_int_member (payload, "memberCount",
                                  _tim_elem_obj_get_int0 (content, "MemberNum"));
    }
  if (info != NULL && JSON_NODE_HOLDS_OBJECT (info))
    {
      JsonObject *profile_new = json_object_new ();

      copy_renamed (json_node_get_object (info), profile_new, new_info_renames);
      if (json_object_has_member (profile_new, "muteAllMembers"))
        json_object_set_boolean_member (
            profile_new, "muteAllMembers",
            truthy (json_object_get_member (profile_new, "muteAllMembers")));
      json_object_set_object_member (payload, "newGroupProfile", profile_new);
    }
  if ((profile = group_profile (content, "groupName")) != NULL)
    json_object_set_object_member (payload, "groupProfile", profile);
}

void
_tim_elem_group_notice_to_payload (JsonObject *content, JsonObject *payload)
{
  static const Rename renames[] = {
    { "ReportType", NULL },
    { "Operator_Account", NULL },
    { "RemarkInfo", NULL },
    { "MsgKey", NULL },
    { "Authentication", NULL },
    { "UserDefinedField", NULL },
    { "UDF", NULL },
    { "GroupInfo", NULL },
    { "MemberInfoList", NULL },
    { "MsgFlag", "messageRemindType" }, /* ReportType 20: how the user hears of the group */
    { NULL },
  };
  static const Field strings[] = {
    { "Operator_Account", "operatorID", K_STR, 0 },
    { "RemarkInfo", "handleMessage", K_STR, 0 },
    { "MsgKey", "messageKey", K_STR, 0 },
    { "Authentication", "authentication", K_STR, 0 },
    { NULL },
  };
  const char *udf = tim_json_get_string (content, "UserDefinedField");
  JsonObject *profile;

  copy_renamed (content, payload, renames);
  json_object_set_int_member (payload, "operationType",
                              _tim_elem_obj_get_int0 (content, "ReportType"));
  _tim_elem_fields_to_payload (strings, content, payload);
  if (udf == NULL)
    udf = tim_json_get_string (content, "UDF");
  json_object_set_string_member (payload, "userDefinedField", udf != NULL ? udf : "");
  if ((profile = group_profile (content, "name")) != NULL)
    json_object_set_object_member (payload, "groupProfile", profile);
}
