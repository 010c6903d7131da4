/* timchat-store-types.c: the store's records: how each is freed, copied or made. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store.h"

void
timchat_account_free (TimchatAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->user_id);
  g_free (account->nick);
  g_free (account->avatar);
  g_free (account);
}

TimchatProfileField *
timchat_profile_field_new (const char *tag, const char *text, gint64 number)
{
  TimchatProfileField *field = g_new0 (TimchatProfileField, 1);

  field->tag = g_strdup (tag);
  field->text = g_strdup (text);
  field->number = text != NULL ? 0 : number;
  return field;
}

void
timchat_profile_field_free (TimchatProfileField *field)
{
  if (field == NULL)
    return;
  g_free (field->tag);
  g_free (field->text);
  g_free (field);
}

void
timchat_msg_free (TimchatMsg *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->from_user);
  g_free (msg->to_id);
  g_free (msg->body);
  g_free (msg->cloud_custom_data);
  g_free (msg->offline_push);
  g_free (msg->revoker);
  g_free (msg->at_info);
  g_free (msg);
}

TimchatMsg *
timchat_msg_copy (const TimchatMsg *msg)
{
  TimchatMsg *copy = g_memdup2 (msg, sizeof *msg);

  copy->from_user = g_strdup (msg->from_user);
  copy->to_id = g_strdup (msg->to_id);
  copy->body = g_strdup (msg->body);
  copy->cloud_custom_data = g_strdup (msg->cloud_custom_data);
  copy->offline_push = g_strdup (msg->offline_push);
  copy->revoker = g_strdup (msg->revoker);
  copy->at_info = g_strdup (msg->at_info);
  return copy;
}

void
timchat_event_free (TimchatEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->payload);
  g_free (event);
}

void
timchat_conversation_free (TimchatConversation *conversation)
{
  if (conversation == NULL)
    return;
  g_free (conversation->peer);
  g_free (conversation->custom_data);
  g_clear_pointer (&conversation->last, timchat_msg_free);
  g_free (conversation);
}

void
timchat_group_free (TimchatGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->group_id);
  g_free (group->type);
  g_free (group->name);
  g_free (group->owner);
  g_free (group->introduction);
  g_free (group->notification);
  g_free (group->face_url);
  g_free (group->apply_join_option);
  g_free (group);
}

TimchatMember *
timchat_member_new (const char *user_id, const char *role, gint64 join_time)
{
  TimchatMember *member = g_new0 (TimchatMember, 1);

  member->user_id = g_strdup (user_id);
  member->role = g_strdup (role);
  member->join_time = join_time;
  member->name_card = g_strdup ("");
  return member;
}

void
timchat_blocked_free (TimchatBlocked *blocked)
{
  if (blocked == NULL)
    return;
  g_free (blocked->user_id);
  g_free (blocked);
}

void
timchat_member_free (TimchatMember *member)
{
  if (member == NULL)
    return;
  g_free (member->user_id);
  g_free (member->role);
  g_free (member->name_card);
  g_free (member);
}

void
timchat_application_free (TimchatApplication *application)
{
  if (application == NULL)
    return;
  g_free (application->group_id);
  g_free (application->applicant);
  g_free (application->message);
  g_free (application->authentication);
  g_free (application);
}

void
timchat_folder_free (TimchatFolder *folder)
{
  if (folder == NULL)
    return;
  g_free (folder->name);
  g_free (folder);
}

void
timchat_folder_item_free (TimchatFolderItem *item)
{
  if (item == NULL)
    return;
  g_free (item->peer);
  g_free (item);
}
