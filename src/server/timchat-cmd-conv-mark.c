/* timchat-cmd-conv-mark.c: a conversation's marks (the SDK's markConversation,
 * recentcontact.mark_contact OptType 1) and custom data (setConversationCustomData, OptType 2),
 * and the "unread" mark that reading the conversation takes away.
 * The user's devices hear of each change as the SDK's RecentContactMod PushType 4. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-conv.h"
#include "tim-error.h"
#include "tim-json.h"
#include "timchat-cmd-conv-private.h"
#include "timchat-hub.h"

/* OptType 1: the standard marks; 2: the conversation's custom data (setConversationCustomData),
 * at most 256 characters (the SDK's limit). */
#define MARK_OPT_STANDARD 1
#define MARK_OPT_CUSTOM 2
#define MAX_CUSTOM_DATA_CHARS 256

/* RecentContactMarkContactItem's entry, as the SDK's onConvMarkUpdated reads it: the marks, or
 * the custom data when custom_data is not NULL; to every socket of owner but except (NULL: all
 * of them). */
static void
push_marks (TimchatRequest *request, const char *owner, gint64 type, const char *peer,
            guint64 marks, const char *custom_data, TimchatSession *except)
{
  g_autofree char *wire = tim_conv_marks_to_wire (marks);
  JsonObject *entry = json_object_new ();
  JsonArray *entries = json_array_new ();
  JsonObject *marked = json_object_new ();
  JsonObject *change = json_object_new ();
  g_autoptr (JsonObject) body = NULL;

  json_object_set_object_member (entry, "RecentContactItem",
                                 _timchat_recent_contact_item (type, peer));
  json_object_set_int_member (entry, "OptType",
                              custom_data != NULL ? MARK_OPT_CUSTOM : MARK_OPT_STANDARD);
  if (custom_data != NULL)
    json_object_set_string_member (entry, "CustomMark", custom_data);
  else
    json_object_set_string_member (entry, "StandardMark", wire);
  json_array_add_object_element (entries, entry);
  json_object_set_array_member (marked, "RecentContactMarkContactItem", entries);
  json_object_set_int_member (change, "PushType", TIMCHAT_LIST_MARKED);
  json_object_set_object_member (change, "RecentContactMarkContact", marked);
  body = _timchat_wire_push_body (TIMCHAT_EVENT_LIST_CHANGE, "RecentContactMod", change);
  timchat_hub_push (timchat_server_get_hub (request->server), owner, TIMCHAT_PUSH_SERVCMD, body,
                    except);
}

/* SetMark or ClearMark: the numbers of the bits (0 – 63), one per call from the SDK; none when
 * it is not there. */
static gboolean
read_bits (JsonObject *item, const char *name, guint64 *bits, GError **error)
{
  JsonArray *numbers = tim_json_get_array (item, name);
  gboolean valid = numbers != NULL || !json_object_has_member (item, name);

  *bits = 0;
  for (guint i = 0; valid && numbers != NULL && i < json_array_get_length (numbers); i++)
    {
      JsonNode *number = json_array_get_element (numbers, i);

      valid = json_node_get_value_type (number) == G_TYPE_INT64 &&
              json_node_get_int (number) >= 0 && json_node_get_int (number) <= 63;
      if (valid)
        *bits |= G_GUINT64_CONSTANT (1) << json_node_get_int (number);
    }
  if (!valid)
    g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                 "%s must be a list of bit numbers from 0 to 63", name);
  return valid;
}

/* OptType 2: {CustomMark} becomes the conversation's custom data. */
static gboolean
set_custom_data (TimchatRequest *request, JsonObject *item, gint64 type, const char *peer,
                 GError **error)
{
  const char *custom_data = tim_json_get_string (item, "CustomMark");
  gboolean changed = FALSE;

  if (custom_data == NULL && json_object_has_member (item, "CustomMark"))
    custom_data = ""; /* null: none */
  if (custom_data == NULL || !g_utf8_validate (custom_data, -1, NULL) ||
      g_utf8_strlen (custom_data, -1) > MAX_CUSTOM_DATA_CHARS)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "CustomMark must be text of at most 256 characters");
      return FALSE;
    }
  if (!timchat_store_set_custom_data (timchat_server_get_store (request->server), request->user,
                                      type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer, custom_data,
                                      &changed, error))
    return FALSE;
  if (changed)
    push_marks (request, request->user, type, peer, 0, custom_data, request->session);
  return TRUE;
}

/* One MarkItem: {OptType:1, ContactItem:{Type:1, To_Account}|{Type:2, ToGroupId}, SetMark:[bit],
 * ClearMark:[bit]}, or {OptType:2, ContactItem, CustomMark}. */
static gboolean
mark_one (TimchatRequest *request, JsonObject *item, gint64 type, const char *peer, guint64 *marks,
          GError **error)
{
  guint64 set = 0, clear = 0, before = 0;
  gint64 operation = tim_json_get_int_or (item, "OptType", MARK_OPT_STANDARD);

  if (operation != MARK_OPT_STANDARD && operation != MARK_OPT_CUSTOM)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "OptType is 1 (the standard marks) or 2 (the custom data)");
      return FALSE;
    }
  if ((type != 1 && type != 2) || peer == NULL || *peer == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "ContactItem is not {Type:1, To_Account} or {Type:2, ToGroupId}");
      return FALSE;
    }
  if (operation == MARK_OPT_CUSTOM)
    return set_custom_data (request, item, type, peer, error);
  if (!read_bits (item, "SetMark", &set, error) || !read_bits (item, "ClearMark", &clear, error))
    return FALSE;
  if (!timchat_store_mark_conversation (timchat_server_get_store (request->server), request->user,
                                        type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer, set, clear,
                                        &before, marks, error))
    return FALSE;
  if (*marks != before)
    push_marks (request, request->user, type, peer, *marks, NULL, request->session);
  return TRUE;
}

/* Each item is answered on its own, in ResultItem[{ContactItem, ResultCode, ResultInfo}] as the
 * SDK reads it; ours too: the marks it has now, StandardMark. */
JsonObject *
_timchat_cmd_mark_contact (TimchatRequest *request, GError **error)
{
  JsonArray *items = tim_json_get_array (request->body, "MarkItem");
  guint n = items != NULL ? json_array_get_length (items) : 0;
  JsonArray *results;
  JsonObject *reply;

  if (n == 0 || n > 100)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           "MarkItem needs 1 to 100 conversations");
      return NULL;
    }
  results = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = tim_json_array_get_object (items, i);
      JsonObject *contact = item != NULL ? tim_json_get_object (item, "ContactItem") : NULL;
      const char *peer = NULL;
      gint64 type = _timchat_contact_item (contact, &peer);
      JsonObject *result = json_object_new ();
      JsonObject *result_contact = json_object_new ();
      g_autoptr (GError) local_error = NULL;
      g_autofree char *wire = NULL;
      guint64 marks = 0;

      json_object_set_int_member (result_contact, "Type", type);
      json_object_set_string_member (result_contact, type == 2 ? "ToGroupId" : "To_Account",
                                     peer != NULL ? peer : "");
      json_object_set_object_member (result, "ContactItem", result_contact);
      if (item == NULL)
        g_set_error (&local_error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                     "MarkItem %u is not an object", i);
      else
        mark_one (request, item, type, peer, &marks, &local_error);
      json_object_set_int_member (result, "ResultCode", local_error ? local_error->code : 0);
      json_object_set_string_member (result, "ResultInfo", local_error ? local_error->message : "");
      if (local_error == NULL && tim_json_get_int_or (item, "OptType", 1) == MARK_OPT_CUSTOM)
        json_object_set_string_member (result, "CustomMark",
                                       tim_json_get_string (item, "CustomMark")
                                           ? tim_json_get_string (item, "CustomMark")
                                           : "");
      else if (local_error == NULL)
        {
          wire = tim_conv_marks_to_wire (marks);
          json_object_set_string_member (result, "StandardMark", wire);
        }
      json_array_add_object_element (results, result);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "ResultItem", results);
  return reply;
}

gboolean
_timchat_conv_read_unmarks (TimchatRequest *request, const char *owner, TimConvType type,
                            const char *peer, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  guint64 before = 0, after = 0;

  if (!timchat_store_mark_conversation (timchat_server_get_store (request->server), owner, type,
                                        peer, 0, TIM_CONV_MARK_UNREAD, &before, &after,
                                        &local_error))
    {
      /* Not listed: no marks to take away. Any other failure is the store's, which refuses the
       * read (10002), undone whole: answered OK, as it used to be, the conversation was read
       * and still marked unread on every device. */
      if (g_error_matches (local_error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Every device, the reader's too: it asked to read, not to unmark. */
  if (after != before)
    push_marks (request, owner, type == TIM_CONV_GROUP ? 2 : 1, peer, after, NULL, NULL);
  return TRUE;
}
