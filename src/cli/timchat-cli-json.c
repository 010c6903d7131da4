/* timchat-cli-json.c: messages and conversations as JSON (the seed's field names) and as one
 * human-readable line. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "timchat-cli-private.h"

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

JsonObject *
cli_message_to_json (TimMessage *message)
{
  JsonObject *object = json_object_new ();
  JsonObject *payload = tim_message_get_payload (message);
  JsonArray *at_users;
  g_autofree char *reply_id = NULL, *reply_sender = NULL, *reply_abstract = NULL;

  json_object_set_string_member (object, "id", tim_message_get_id (message));
  /* Always a string: a message known only as recalled (the server keeps nothing of it) is "". */
  json_object_set_string_member (object, "type", or_empty (tim_message_get_type_string (message)));
  json_object_set_string_member (object, "conversationID",
                                 tim_message_get_conversation_id (message));
  json_object_set_string_member (
      object, "conversationType",
      tim_conv_type_to_string (tim_message_get_conversation_type (message)));
  json_object_set_string_member (object, "from", tim_message_get_from (message));
  json_object_set_string_member (object, "to", tim_message_get_to (message));
  /* The SDK's: "" when the sender has none. */
  json_object_set_string_member (object, "nick", or_empty (tim_message_get_nick (message)));
  json_object_set_string_member (object, "nameCard",
                                 or_empty (tim_message_get_name_card (message)));
  json_object_set_string_member (object, "flow", tim_message_get_flow (message));
  json_object_set_int_member (object, "time", tim_message_get_time (message));
  json_object_set_string_member (object, "status",
                                 tim_message_status_to_string (tim_message_get_status (message)));
  json_object_set_boolean_member (object, "isRevoked", tim_message_get_is_revoked (message));
  json_object_set_boolean_member (object, "isPeerRead", tim_message_get_is_peer_read (message));
  json_object_set_string_member (object, "priority",
                                 tim_priority_to_string (tim_message_get_priority (message)));
  json_object_set_int_member (object, "sequence", tim_message_get_sequence (message));
  json_object_set_int_member (object, "random", tim_message_get_random (message));
  json_object_set_int_member (object, "version", tim_message_get_version (message));
  json_object_set_boolean_member (object, "isModified", tim_message_get_is_modified (message));
  /* A quote (TUIKit's messageReply, which the SDK leaves in cloudCustomData). */
  if (tim_message_dup_reply (message, &reply_id, &reply_sender, &reply_abstract))
    {
      JsonObject *reply = json_object_new ();

      json_object_set_string_member (reply, "messageID", reply_id);
      json_object_set_string_member (reply, "messageSender", reply_sender);
      json_object_set_string_member (reply, "messageAbstract", reply_abstract);
      json_object_set_object_member (object, "replyTo", reply);
    }
  /* The SDK's atUserList: always there, TIM_AT_ALL standing for everyone. */
  at_users = json_array_new ();
  for (const char *const *at = tim_message_get_at_user_list (message); at != NULL && *at; at++)
    json_array_add_string_element (at_users, *at);
  json_object_set_array_member (object, "atUserList", at_users);
  if (payload != NULL)
    json_object_set_object_member (object, "payload", json_object_ref (payload));
  else
    json_object_set_object_member (object, "payload", json_object_new ());
  if (tim_message_get_error_code (message) != 0)
    {
      json_object_set_int_member (object, "errorCode", tim_message_get_error_code (message));
      json_object_set_string_member (object, "errorMessage",
                                     tim_message_get_error_message (message));
    }
  return object;
}

JsonObject *
cli_conversation_to_json (TimConversation *conversation)
{
  JsonObject *object = json_object_new ();
  TimMessage *last = tim_conversation_get_last_message (conversation);

  json_object_set_string_member (object, "conversationID", tim_conversation_get_id (conversation));
  json_object_set_string_member (
      object, "type",
      tim_conv_type_to_string (tim_conversation_get_conversation_type (conversation)));
  json_object_set_string_member (object, "peer", tim_conversation_get_peer (conversation));
  json_object_set_string_member (object, "name", tim_conversation_get_name (conversation));
  /* A string, as the documentation has it, also for one that never had an avatar (libtim's
   * NULL: the group notices, @TIM#SYSTEM), where it was null. */
  json_object_set_string_member (object, "avatar",
                                 or_empty (tim_conversation_get_avatar (conversation)));
  json_object_set_int_member (object, "unreadCount",
                              tim_conversation_get_unread_count (conversation));
  json_object_set_int_member (object, "lastTime", tim_conversation_get_last_time (conversation));
  json_object_set_boolean_member (object, "isPinned",
                                  tim_conversation_get_is_pinned (conversation));
  json_object_set_array_member (object, "markList",
                                cli_marks_to_json (tim_conversation_get_marks (conversation)));
  json_object_set_string_member (object, "customData",
                                 tim_conversation_get_custom_data (conversation));
  json_object_set_string_member (object, "messageRemindType",
                                 tim_conversation_get_message_remind_type (conversation));
  json_object_set_int_member (object, "peerReadTime",
                              tim_conversation_get_peer_read_time (conversation));
  if (tim_conversation_get_group_type (conversation) != NULL)
    json_object_set_string_member (object, "groupType",
                                   tim_conversation_get_group_type (conversation));
  json_object_set_string_member (object, "messageForShow",
                                 tim_conversation_get_message_for_show (conversation));
  /* The SDK's atTypeArray values: 1 @me, 2 @all, 3 both; 0 for none. */
  json_object_set_int_member (object, "groupAtType",
                              tim_conversation_get_group_at_type (conversation));
  json_object_set_string_member (object, "draftText",
                                 tim_conversation_get_draft_text (conversation));
  if (last != NULL)
    json_object_set_object_member (object, "lastMessage", cli_message_to_json (last));
  return object;
}

void
cli_print_node (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static int output_errno;

gboolean
cli_output_ok (void)
{
  if (fflush (stdout) == 0 && !ferror (stdout))
    return TRUE;
  if (output_errno == 0)
    output_errno = errno != 0 ? errno : EIO;
  return FALSE;
}

const char *
cli_output_error (void)
{
  return g_strerror (output_errno != 0 ? output_errno : EIO);
}

void
cli_print_object (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  cli_print_node (node);
}

void
cli_print_array (JsonArray *array)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, array);
  cli_print_node (node);
}

static char *
format_time (gint64 time)
{
  g_autoptr (GDateTime) date = time > 0 ? g_date_time_new_from_unix_local (time) : NULL;

  return date != NULL ? g_date_time_format (date, "%Y-%m-%d %H:%M:%S") : g_strdup ("-");
}

void
cli_print_message_line (Cli *cli, TimMessage *message)
{
  g_autofree char *when = format_time (tim_message_get_time (message));
  g_autofree char *tip = tim_message_dup_tip_text_for (message, cli->user);
  g_autofree char *show =
      tip != NULL ? g_steal_pointer (&tip) : tim_message_dup_message_for_show (message);
  const char *status = "";

  if (tim_message_get_status (message) == TIM_MESSAGE_STATUS_FAIL)
    status = _ (" [failed]");
  else if (tim_message_get_is_revoked (message))
    status = _ (" [recalled]");
  else if (tim_message_get_is_modified (message))
    status = _ (" [edited]");
  g_print ("%s  %s → %s: %s%s  (%s)\n", when, tim_message_get_from (message),
           tim_message_get_to (message), show != NULL ? show : "", status,
           tim_message_get_id (message));
}

void
cli_print_conversation_line (Cli *cli, TimConversation *conversation)
{
  g_autofree char *when = format_time (tim_conversation_get_last_time (conversation));
  TimMessage *last = tim_conversation_get_last_message (conversation);
  g_autofree char *tip = last != NULL && !tim_message_get_is_revoked (last)
                             ? tim_message_dup_tip_text_for (last, cli->user)
                             : NULL;
  TimGroupAtType at = tim_conversation_get_group_at_type (conversation);
  /* An unread mention, marked as the app's list marks it. */
  const char *mark = (at & TIM_GROUP_AT_ME)    ? _ ("[@Me]")
                     : (at & TIM_GROUP_AT_ALL) ? _ ("[@All]")
                                               : NULL;

  guint64 marks = tim_conversation_get_marks (conversation);

  g_print ("%-24s %-16s %s  unread %u%s%s%s%s  %s%s%s\n", tim_conversation_get_id (conversation),
           tim_conversation_get_name (conversation), when,
           tim_conversation_get_unread_count (conversation),
           tim_conversation_get_is_pinned (conversation) ? "  pinned" : "",
           (marks & TIM_CONV_MARK_UNREAD) ? "  marked unread" : "",
           (marks & TIM_CONV_MARK_STAR) ? "  starred" : "",
           tim_conversation_get_is_discarded (conversation) ? "  discarded"
           : tim_conversation_get_is_muted (conversation)   ? "  muted"
                                                            : "",
           mark ? mark : "", mark ? " " : "",
           tip != NULL ? tip : tim_conversation_get_message_for_show (conversation));
}
