/* timchat-cmd-conv-folders.c: a user's folders of conversations (the SDK's conversation groups:
 * createConversationGroup, deleteConversationGroup, renameConversationGroup,
 * addConversationsToGroup, deleteConversationsFromGroup, getConversationGroupList):
 * recentcontact.create_contact_group, del_contact_group, update_contact_group and
 * get_contact_group. The user's other devices hear of each change as the SDK's RecentContactMod
 * PushType 5 (created), 6 (deleted) and 7 (renamed, conversations in or out). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-conv.h"
#include "tim-error.h"
#include "tim-json.h"
#include "timchat-cmd-conv-private.h"
#include "timchat-hub.h"

/* The SDK's limit on a name is 32 characters; the vendor's on folders a user is 20. */
#define MAX_NAME_CHARS 32
#define MAX_FOLDERS 20
/* Conversations one request may name. */
#define MAX_CONTACTS 100

typedef enum
{
  FOLDER_CREATED = 5,
  FOLDER_DELETED = 6,
  FOLDER_UPDATED = 7,
} FolderChange;

/* UpdateType 1 (a folder changes), and its UpdateGroupType. */
#define UPDATE_FOLDER 1
#define UPDATE_NAME 1
#define UPDATE_CONTACTS 2
/* ContactOptType */
#define CONTACT_ADD 1
#define CONTACT_REMOVE 2

static gboolean
refuse (GError **error, int code, const char *message)
{
  g_set_error_literal (error, TIM_ERROR, code, message);
  return FALSE;
}

static void
push_change (TimchatRequest *request, FolderChange type, const char *key, JsonObject *change)
{
  JsonObject *item = json_object_new ();
  g_autoptr (JsonObject) body = NULL;

  json_object_set_int_member (item, "PushType", type);
  json_object_set_object_member (item, key, change);
  body = _timchat_wire_push_body (TIMCHAT_EVENT_LIST_CHANGE, "RecentContactMod", item);
  timchat_hub_push (timchat_server_get_hub (request->server), request->user, TIMCHAT_PUSH_SERVCMD,
                    body, request->session);
}

static JsonObject *
folder_item (const TimchatFolder *folder)
{
  JsonObject *item = json_object_new ();

  json_object_set_int_member (item, "GroupId", folder->id);
  json_object_set_string_member (item, "GroupName", folder->name);
  return item;
}

/* A conversation as the commands' answers name it (their GroupId is the folder's). */
static JsonObject *
contact_item (gint64 type, const char *peer)
{
  JsonObject *item = json_object_new ();

  json_object_set_int_member (item, "Type", type);
  json_object_set_string_member (item, type == 2 ? "ToGroupId" : "To_Account",
                                 peer != NULL ? peer : "");
  return item;
}

static TimchatFolder *
find_folder (TimchatRequest *request, const char *name)
{
  g_autoptr (GPtrArray) folders =
      timchat_store_list_folders (timchat_server_get_store (request->server), request->user);

  for (guint i = 0; i < folders->len; i++)
    {
      TimchatFolder *folder = folders->pdata[i];

      if (g_strcmp0 (folder->name, name) == 0)
        return g_ptr_array_steal_index (folders, i);
    }
  return NULL;
}

static gboolean
check_name (const char *name, GError **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    return refuse (error, TIM_ERROR_INVALID_PARAMETER,
                   "A folder's name is 1 to 32 characters of text");
  return TRUE;
}

/* A new folder's name: free, and a folder more allowed. */
static gboolean
check_new_name (TimchatRequest *request, const char *name, GError **error)
{
  g_autoptr (TimchatFolder) taken = NULL;
  g_autoptr (GPtrArray) folders = NULL;

  if (!check_name (name, error))
    return FALSE;
  if ((taken = find_folder (request, name)) != NULL)
    return refuse (error, TIM_ERROR_INVALID_PARAMETER, "A folder of that name exists already");
  folders = timchat_store_list_folders (timchat_server_get_store (request->server), request->user);
  if (folders->len >= MAX_FOLDERS)
    return refuse (error, TIM_ERROR_INVALID_PARAMETER, "At most 20 folders");
  return TRUE;
}

/* Puts the conversation contact names into folder (or takes it out), answering a ResultItem
 * ({ContactItem, ResultCode, ResultInfo}); changed: the conversations that moved, as pushes name
 * them, when given. Only a conversation of the user's list goes in (2500 otherwise). */
static JsonObject *
file_contact (TimchatRequest *request, gint64 folder_id, JsonObject *contact, gboolean in,
              JsonArray *changed)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *peer = NULL;
  gint64 type = _timchat_contact_item (contact, &peer);
  JsonObject *result = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatConversation) conversation = NULL;
  gboolean moved = FALSE;

  json_object_set_object_member (result, "ContactItem", contact_item (type, peer));
  if ((type != 1 && type != 2) || peer == NULL || *peer == '\0')
    refuse (&error, TIM_ERROR_INVALID_PARAMETER,
            "ContactItem is not {Type:1, To_Account} or {Type:2, ToGroupId}");
  /* A row is not enough: a deleted conversation keeps its row, hidden, and so does a peer muted
   * before any message. */
  else if (in &&
           ((conversation = timchat_store_get_conversation (
                 store, request->user, type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer)) == NULL ||
            !conversation->listed))
    refuse (&error, TIM_ERROR_CONVERSATION_NOT_FOUND, "No such conversation in your list");
  else
    timchat_store_set_in_folder (store, folder_id, (int) type, peer, in, &moved, &error);
  if (moved && changed != NULL)
    {
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (entry, "ContactOptType", in ? CONTACT_ADD : CONTACT_REMOVE);
      json_object_set_object_member (entry, "RecentContactItem",
                                     _timchat_recent_contact_item (type, peer));
      json_array_add_object_element (changed, entry);
    }
  json_object_set_int_member (result, "ResultCode", error != NULL ? error->code : 0);
  json_object_set_string_member (result, "ResultInfo", error != NULL ? error->message : "");
  return result;
}

/* {GroupContactItem: [{GroupName, ContactItem: [...]}]} -> GroupResultItem: [{GroupItem:
 * {GroupName, GroupId}, ResultItem: [...]}]: a new folder, with the conversations named. */
JsonObject *
_timchat_cmd_create_contact_group (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *wanted = tim_json_get_array (request->body, "GroupContactItem");
  JsonObject *first = tim_json_array_get_object (wanted, 0);
  const char *name = first != NULL ? tim_json_get_string (first, "GroupName") : NULL;
  JsonArray *contacts = first != NULL ? tim_json_get_array (first, "ContactItem") : NULL;
  guint n = contacts != NULL ? json_array_get_length (contacts) : 0;
  TimchatFolder folder = { 0 };
  JsonArray *results, *filed, *pushed;
  JsonObject *group_result, *reply, *created;

  if (wanted == NULL || json_array_get_length (wanted) != 1)
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "GroupContactItem names one folder");
      return NULL;
    }
  if (n > MAX_CONTACTS)
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "At most 100 conversations a request");
      return NULL;
    }
  if (!check_new_name (request, name, error))
    return NULL;
  folder.name = (char *) name;
  if ((folder.id = timchat_store_create_folder (store, request->user, name, timchat_server_now (),
                                                error)) == 0)
    return NULL;
  results = json_array_new ();
  filed = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonArray *moved = json_array_new ();
      JsonObject *result =
          file_contact (request, folder.id, tim_json_array_get_object (contacts, i), TRUE, moved);

      for (guint j = 0; j < json_array_get_length (moved); j++)
        json_array_add_object_element (
            filed, json_object_ref (tim_json_get_object (json_array_get_object_element (moved, j),
                                                         "RecentContactItem")));
      json_array_unref (moved);
      json_array_add_object_element (results, result);
    }
  group_result = json_object_new ();
  json_object_set_object_member (group_result, "GroupItem", folder_item (&folder));
  json_object_set_array_member (group_result, "ResultItem", results);
  reply = json_object_new ();
  json_object_set_array_member (reply, "GroupResultItem", json_array_new ());
  json_array_add_object_element (json_object_get_array_member (reply, "GroupResultItem"),
                                 group_result);

  created = json_object_new ();
  pushed = json_array_new ();
  {
    JsonObject *entry = json_object_new ();

    json_object_set_object_member (entry, "MsgGroupItem", folder_item (&folder));
    json_object_set_array_member (entry, "MsgRecentContactItem", filed);
    json_array_add_object_element (pushed, entry);
  }
  json_object_set_array_member (created, "MsgContactGroupContactItem", pushed);
  push_change (request, FOLDER_CREATED, "RecentContactCreateContactGroup", created);
  return reply;
}

/* {GroupName: [name]} -> GroupItem: [{GroupId, GroupName}], the folders deleted (their
 * conversations stay in the list). Every name must be a folder of the user's (10004). */
JsonObject *
_timchat_cmd_del_contact_group (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *names = tim_json_get_array (request->body, "GroupName");
  guint n = names != NULL ? json_array_get_length (names) : 0;
  g_autoptr (GPtrArray) doomed =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_folder_free);
  JsonArray *items, *pushed;
  JsonObject *reply, *deleted;

  if (n == 0 || n > MAX_FOLDERS)
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "GroupName lists 1 to 20 folder names");
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      TimchatFolder *folder = find_folder (request, tim_json_array_get_string (names, i));

      if (folder == NULL)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "No folder named “%s”",
                       tim_json_array_get_string (names, i) ? tim_json_array_get_string (names, i)
                                                            : "");
          return NULL;
        }
      g_ptr_array_add (doomed, folder);
    }
  items = json_array_new ();
  pushed = json_array_new ();
  for (guint i = 0; i < doomed->len; i++)
    {
      if (!timchat_store_delete_folder (store, ((TimchatFolder *) doomed->pdata[i])->id, error))
        {
          json_array_unref (items);
          json_array_unref (pushed);
          return NULL;
        }
      json_array_add_object_element (items, folder_item (doomed->pdata[i]));
      json_array_add_object_element (pushed, folder_item (doomed->pdata[i]));
    }
  deleted = json_object_new ();
  json_object_set_array_member (deleted, "MsgGroupItem", pushed);
  push_change (request, FOLDER_DELETED, "RecentContactDelContactGroup", deleted);
  reply = json_object_new ();
  json_object_set_array_member (reply, "GroupItem", items);
  return reply;
}

static JsonObject *
rename_folder (TimchatRequest *request, TimchatFolder *folder, const char *new_name, GError **error)
{
  g_autofree char *old_name = NULL;
  JsonObject *result, *change;

  if (g_strcmp0 (folder->name, new_name) != 0 &&
      (!check_new_name (request, new_name, error) ||
       !timchat_store_rename_folder (timchat_server_get_store (request->server), folder->id,
                                     new_name, error)))
    return NULL;
  old_name = g_steal_pointer (&folder->name);
  folder->name = g_strdup (new_name);
  result = folder_item (folder);
  json_object_set_string_member (result, "OldGroupName", old_name);
  change = json_object_ref (result);
  json_object_set_int_member (change, "UpdateGroupType", UPDATE_NAME);
  {
    JsonObject *update = json_object_new ();

    json_object_set_int_member (update, "UpdateType", UPDATE_FOLDER);
    json_object_set_object_member (update, "MsgUpdateGroup", change);
    push_change (request, FOLDER_UPDATED, "RecentContactUpdateContactGroup", update);
  }
  return result;
}

static JsonObject *
file_contacts (TimchatRequest *request, TimchatFolder *folder, JsonArray *updates, GError **error)
{
  guint n = updates != NULL ? json_array_get_length (updates) : 0;
  JsonArray *results, *moved;
  JsonObject *result;

  if (n == 0 || n > MAX_CONTACTS)
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER, "ContactUpdateItem names 1 to 100 conversations");
      return NULL;
    }
  results = json_array_new ();
  moved = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *update = tim_json_array_get_object (updates, i);
      gint64 operation = update != NULL ? tim_json_get_int_or (update, "ContactOptType", 0) : 0;
      JsonObject *contact = update != NULL ? tim_json_get_object (update, "ContactItem") : NULL;

      if (operation != CONTACT_ADD && operation != CONTACT_REMOVE)
        {
          JsonObject *bad = json_object_new ();

          json_object_set_object_member (bad, "ContactItem", contact_item (0, NULL));
          json_object_set_int_member (bad, "ResultCode", TIM_ERROR_INVALID_PARAMETER);
          json_object_set_string_member (bad, "ResultInfo", "ContactOptType is 1 (add) or 2");
          json_array_add_object_element (results, bad);
          continue;
        }
      json_array_add_object_element (
          results, file_contact (request, folder->id, contact, operation == CONTACT_ADD, moved));
    }
  result = folder_item (folder);
  json_object_set_array_member (result, "ContactResultItem", results);
  if (json_array_get_length (moved) > 0)
    {
      JsonObject *change = folder_item (folder);
      JsonObject *update = json_object_new ();

      json_object_set_string_member (change, "OldGroupName", folder->name);
      json_object_set_int_member (change, "UpdateGroupType", UPDATE_CONTACTS);
      json_object_set_array_member (change, "RecentContactUpdateGroupItem", moved);
      json_object_set_int_member (update, "UpdateType", UPDATE_FOLDER);
      json_object_set_object_member (update, "MsgUpdateGroup", change);
      push_change (request, FOLDER_UPDATED, "RecentContactUpdateContactGroup", update);
    }
  else
    json_array_unref (moved);
  return result;
}

/* {UpdateType: 1, UpdateGroup: {UpdateGroupType: 1, OldGroupName, NewGroupName}} renames a
 * folder; {UpdateType: 1, UpdateGroup: {UpdateGroupType: 2, OldGroupName (the folder),
 * ContactUpdateItem: [{ContactOptType: 1 add | 2 remove, ContactItem}]}} files conversations.
 * -> UpdateGroupResult: {GroupId, GroupName, OldGroupName | ContactResultItem}. */
JsonObject *
_timchat_cmd_update_contact_group (TimchatRequest *request, GError **error)
{
  JsonObject *update = tim_json_get_object (request->body, "UpdateGroup");
  gint64 kind = update != NULL ? tim_json_get_int_or (update, "UpdateGroupType", 0) : 0;
  const char *name = update != NULL ? tim_json_get_string (update, "OldGroupName") : NULL;
  g_autoptr (TimchatFolder) folder = NULL;
  JsonObject *result, *reply;

  if (tim_json_get_int_or (request->body, "UpdateType", 0) != UPDATE_FOLDER || update == NULL ||
      (kind != UPDATE_NAME && kind != UPDATE_CONTACTS))
    {
      refuse (error, TIM_ERROR_INVALID_PARAMETER,
              "UpdateType 1 with UpdateGroup {UpdateGroupType: 1 (rename) or 2 (conversations)}");
      return NULL;
    }
  if ((folder = find_folder (request, name)) == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "No folder named “%s”",
                   name != NULL ? name : "");
      return NULL;
    }
  result =
      kind == UPDATE_NAME
          ? rename_folder (request, folder, tim_json_get_string (update, "NewGroupName"), error)
          : file_contacts (request, folder, tim_json_get_array (update, "ContactUpdateItem"),
                           error);
  if (result == NULL)
    return NULL;
  reply = json_object_new ();
  json_object_set_int_member (reply, "UpdateType", UPDATE_FOLDER);
  json_object_set_object_member (reply, "UpdateGroupResult", result);
  return reply;
}

/* -> GroupItem: [{GroupId, GroupName}], ContactItem: [{Type, To_Account | ToGroupId,
 * StandardMark, CustomMark, ContactGroupId: [folder IDs]}] (the listed conversations in a
 * folder, with their marks, which the SDK takes from here too), CompleteFlag 1: one page. */
JsonObject *
_timchat_cmd_get_contact_group (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  g_autoptr (GPtrArray) folders = timchat_store_list_folders (store, request->user);
  g_autoptr (GPtrArray) items = timchat_store_list_folder_items (store, request->user);
  g_autoptr (GHashTable) contacts =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  JsonArray *folder_items = json_array_new ();
  JsonArray *contact_items = json_array_new ();
  JsonObject *reply = json_object_new ();

  for (guint i = 0; i < folders->len; i++)
    json_array_add_object_element (folder_items, folder_item (folders->pdata[i]));
  for (guint i = 0; i < items->len; i++)
    {
      const TimchatFolderItem *item = items->pdata[i];
      g_autofree char *key = g_strdup_printf ("%d:%s", item->conv_type, item->peer);
      JsonObject *contact = g_hash_table_lookup (contacts, key);

      if (contact == NULL)
        {
          g_autoptr (TimchatConversation) conversation = timchat_store_get_conversation (
              store, request->user, item->conv_type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C,
              item->peer);
          g_autofree char *marks = NULL;

          /* Deleted from the list (its row stays, hidden): its folders wait for it to come back. */
          if (conversation == NULL || !conversation->listed)
            continue;
          marks = tim_conv_marks_to_wire (conversation->marks);
          contact = contact_item (item->conv_type, item->peer);
          json_object_set_string_member (contact, "StandardMark", marks);
          json_object_set_string_member (
              contact, "CustomMark", conversation->custom_data ? conversation->custom_data : "");
          json_object_set_array_member (contact, "ContactGroupId", json_array_new ());
          json_array_add_object_element (contact_items, json_object_ref (contact));
          g_hash_table_insert (contacts, g_steal_pointer (&key), contact);
        }
      json_array_add_int_element (tim_json_get_array (contact, "ContactGroupId"), item->folder_id);
    }
  json_object_set_array_member (reply, "GroupItem", folder_items);
  json_object_set_array_member (reply, "ContactItem", contact_items);
  json_object_set_int_member (reply, "CompleteFlag", 1);
  json_object_set_int_member (reply, "NextStartIndex", 0);
  return reply;
}
