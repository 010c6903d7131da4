/* tim-client-folders.c: the user's folders of conversations (the Web SDK's conversation groups:
 * createConversationGroup, renameConversationGroup, deleteConversationGroup,
 * addConversationsToGroup, deleteConversationsFromGroup, getConversationGroupList). The server
 * has them (recentcontact.*_contact_group); each change, made here or on another device (its
 * RecentContactMod PushType 5, 6, 7), goes through the same few steps below, which keep the
 * folders (and each conversation's, TimConversation:folders) here and in the local store, so
 * that they are there at the next start before the network. The list is asked for again after
 * each login's sync. The calls are tim-client-folders-calls.c's. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

#define STORE_KEY "folders"

typedef struct
{
  char *id; /* the server's GroupId, as text */
  char *name;
} Folder;

void
_tim_client_folder_free (gpointer data)
{
  Folder *folder = data;

  g_free (folder->id);
  g_free (folder->name);
  g_free (folder);
}

static Folder *
folder_new (const char *id, const char *name)
{
  Folder *folder = g_new0 (Folder, 1);

  folder->id = g_strdup (id);
  folder->name = g_strdup (name);
  return folder;
}

static Folder *
find_by (TimClient *self, const char *id, const char *name)
{
  for (guint i = 0; i < self->folders->len; i++)
    {
      Folder *folder = self->folders->pdata[i];

      if ((id != NULL && g_str_equal (folder->id, id)) ||
          (name != NULL && g_str_equal (folder->name, name)))
        return folder;
    }
  return NULL;
}

/* A GroupId on the wire (our server's is a number, another's may be text), as text. */
static char *
id_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

char *
_tim_client_folder_wire_id (JsonObject *object, const char *member)
{
  return id_text (object != NULL ? json_object_get_member (object, member) : NULL);
}

/* A conversation as the wire names it ({Type, To_Account | UserId} or {Type, ToGroupId |
 * GroupId}), as its ID; NULL when it names none. */
char *
_tim_client_folder_conversation_id (JsonObject *item)
{
  gint64 type = item != NULL ? tim_json_get_int_or (item, "Type", 0) : 0;
  const char *peer = type == 2   ? tim_json_get_string_any (item, "ToGroupId", "GroupId", NULL)
                     : type == 1 ? tim_json_get_string_any (item, "To_Account", "UserId", NULL)
                                 : NULL;

  if (peer == NULL || *peer == '\0')
    return NULL;
  return tim_conv_make_id (type == 2 ? TIM_CONV_GROUP : TIM_CONV_C2C, peer);
}

/* ---------------------------------------------------------------- the steps */

static void
save_folders (TimClient *self)
{
  JsonArray *list = json_array_new ();
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;

  for (guint i = 0; i < self->folders->len; i++)
    {
      Folder *folder = self->folders->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "id", folder->id);
      json_object_set_string_member (item, "name", folder->name);
      json_array_add_object_element (list, item);
    }
  json_node_take_array (node, list);
  text = tim_json_node_to_string (node, NULL);
  if (self->store != NULL)
    tim_local_store_set_value (self->store, STORE_KEY, text, NULL);
  g_signal_emit_by_name (self, "folders-changed");
}

/* conversation's folders become names, in the folders' order; kept when they changed. */
static void
set_conversation_folders (TimClient *self, TimConversation *conversation, GPtrArray *names)
{
  g_autoptr (GStrvBuilder) ordered = g_strv_builder_new ();
  g_auto (GStrv) folders = NULL;

  for (guint i = 0; i < self->folders->len; i++)
    {
      Folder *folder = self->folders->pdata[i];

      if (g_ptr_array_find_with_equal_func (names, folder->name, g_str_equal, NULL))
        g_strv_builder_add (ordered, folder->name);
    }
  folders = g_strv_builder_end (ordered);
  if (g_strv_equal ((const char *const *) folders, tim_conversation_get_folders (conversation)))
    return;
  _tim_conversation_set_folders (conversation, (const char *const *) folders);
  _tim_client_save_conversation (self, conversation);
}

/* The conversation conversation_id goes in the folder name, or out of it. */
void
_tim_client_file_conversation (TimClient *self, const char *conversation_id, const char *name,
                               gboolean in)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  g_autoptr (GPtrArray) names = NULL;
  const char *const *now;

  if (conversation == NULL || tim_conversation_is_in_folder (conversation, name) == in)
    return;
  names = g_ptr_array_new ();
  for (now = tim_conversation_get_folders (conversation); *now != NULL; now++)
    if (in || !g_str_equal (*now, name))
      g_ptr_array_add (names, (gpointer) *now);
  if (in)
    g_ptr_array_add (names, (gpointer) name);
  set_conversation_folders (self, conversation, names);
}

/* The name a conversation goes by in every conversation, old_name or gone (new_name NULL). */
static void
rename_in_conversations (TimClient *self, const char *old_name, const char *new_name)
{
  GListModel *model = G_LIST_MODEL (self->conversations);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (model, i);
      g_autoptr (GPtrArray) names = NULL;
      const char *const *now;

      if (!tim_conversation_is_in_folder (conversation, old_name))
        continue;
      names = g_ptr_array_new ();
      for (now = tim_conversation_get_folders (conversation); *now != NULL; now++)
        if (!g_str_equal (*now, old_name))
          g_ptr_array_add (names, (gpointer) *now);
        else if (new_name != NULL)
          g_ptr_array_add (names, (gpointer) new_name);
      set_conversation_folders (self, conversation, names);
    }
}

void
_tim_client_folder_created (TimClient *self, const char *id, const char *name)
{
  Folder *folder;

  if (id == NULL || name == NULL)
    return;
  if ((folder = find_by (self, id, NULL)) != NULL)
    {
      if (g_str_equal (folder->name, name))
        return;
      g_free (folder->name);
      folder->name = g_strdup (name);
    }
  else
    g_ptr_array_add (self->folders, folder_new (id, name));
  save_folders (self);
}

void
_tim_client_folder_renamed (TimClient *self, const char *id, const char *old_name,
                            const char *new_name)
{
  Folder *folder = find_by (self, id, old_name);
  g_autofree char *was = NULL;

  if (folder == NULL || new_name == NULL || g_str_equal (folder->name, new_name))
    return;
  was = g_steal_pointer (&folder->name);
  folder->name = g_strdup (new_name);
  save_folders (self);
  rename_in_conversations (self, was, new_name);
}

void
_tim_client_folder_deleted (TimClient *self, const char *id, const char *name)
{
  Folder *folder = find_by (self, id, name);
  g_autofree char *was = NULL;

  if (folder == NULL)
    return;
  was = g_strdup (folder->name);
  g_ptr_array_remove (self->folders, folder);
  save_folders (self);
  rename_in_conversations (self, was, NULL);
}

gboolean
_tim_client_has_folder (TimClient *self, const char *name)
{
  return find_by (self, NULL, name) != NULL;
}

/* ---------------------------------------------------------------- the list */

void
_tim_client_load_folders (TimClient *self)
{
  g_autofree char *text = tim_local_store_get_value (self->store, STORE_KEY);
  g_autoptr (JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;
  JsonArray *list =
      node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  JsonObject *item;

  g_ptr_array_set_size (self->folders, 0);
  for (guint i = 0; (item = tim_json_array_next_object (list, &i)) != NULL;)
    {
      const char *id = tim_json_get_string (item, "id");
      const char *name = tim_json_get_string (item, "name");

      if (id != NULL && name != NULL)
        g_ptr_array_add (self->folders, folder_new (id, name));
    }
  g_signal_emit_by_name (self, "folders-changed");
}

void
_tim_client_forget_folders (TimClient *self)
{
  g_clear_handle_id (&self->folders_refetch, g_source_remove);
  if (self->folders->len == 0)
    return;
  g_ptr_array_set_size (self->folders, 0);
  g_signal_emit_by_name (self, "folders-changed");
}

/* The whole list: the folders in the server's order, and each conversation's. */
void
_tim_client_take_folder_list (TimClient *self, JsonObject *reply)
{
  JsonArray *folders = tim_json_get_array (reply, "GroupItem");
  JsonArray *contacts = tim_json_get_array (reply, "ContactItem");
  /* The folders as listed (a list left out is an empty one, as a missing ContactItem is no
   * conversation in a folder: a server may leave out an empty array). */
  g_autoptr (GPtrArray) listed = g_ptr_array_new ();
  g_autoptr (GHashTable) filed =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  GListModel *model = G_LIST_MODEL (self->conversations);
  gboolean changed;
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (folders, &i)) != NULL;)
    g_ptr_array_add (listed, item);
  changed = listed->len != self->folders->len;
  for (guint i = 0; !changed && i < self->folders->len; i++)
    {
      g_autofree char *id = _tim_client_folder_wire_id (listed->pdata[i], "GroupId");
      Folder *folder = self->folders->pdata[i];

      changed = g_strcmp0 (id, folder->id) != 0 ||
                g_strcmp0 (tim_json_get_string (listed->pdata[i], "GroupName"), folder->name) != 0;
    }
  if (changed)
    {
      g_ptr_array_set_size (self->folders, 0);
      for (guint i = 0; i < listed->len; i++)
        {
          g_autofree char *id = _tim_client_folder_wire_id (listed->pdata[i], "GroupId");
          const char *name = tim_json_get_string (listed->pdata[i], "GroupName");

          if (id != NULL && name != NULL)
            g_ptr_array_add (self->folders, folder_new (id, name));
        }
      save_folders (self);
    }
  for (guint i = 0; (item = tim_json_array_next_object (contacts, &i)) != NULL;)
    {
      g_autofree char *conversation_id = _tim_client_folder_conversation_id (item);
      JsonArray *ids = tim_json_get_array (item, "ContactGroupId");
      GPtrArray *names = g_ptr_array_new ();

      for (guint j = 0; ids != NULL && j < json_array_get_length (ids); j++)
        {
          g_autofree char *id = id_text (json_array_get_element (ids, j));
          Folder *folder;

          if (id != NULL && (folder = find_by (self, id, NULL)) != NULL)
            g_ptr_array_add (names, folder->name);
        }
      if (conversation_id != NULL)
        g_hash_table_replace (filed, g_steal_pointer (&conversation_id), names);
      else
        g_ptr_array_unref (names);
    }
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (model, i);
      GPtrArray *names = g_hash_table_lookup (filed, tim_conversation_get_id (conversation));
      g_autoptr (GPtrArray) none = g_ptr_array_new ();

      set_conversation_folders (self, conversation, names != NULL ? names : none);
    }
}

static JsonObject *
list_body (TimClient *self)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "From_Account", self->user != NULL ? self->user : "");
  json_object_set_int_member (body, "StartIndex", 0);
  return body;
}

static void
on_folder_list (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (TimClient) self = user_data;

  if (reply != NULL)
    _tim_client_take_folder_list (self, reply);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The folders did not load: %s", error->message);
}

void
_tim_client_fetch_folders (TimClient *self)
{
  g_autoptr (JsonObject) body = list_body (self);

  tim_transport_request (self->transport, "recentcontact.get_contact_group", body, 0,
                         self->cancellable, on_folder_list, g_object_ref (self));
}

static gboolean
refetch_folders (gpointer data)
{
  TimClient *self = data;

  self->folders_refetch = 0;
  if (self->user != NULL)
    _tim_client_fetch_folders (self);
  return G_SOURCE_REMOVE;
}

void
_tim_client_refetch_folders_soon (TimClient *self)
{
  if (self->folders->len > 0 && self->folders_refetch == 0)
    self->folders_refetch = g_idle_add (refetch_folders, self);
}

static void
folder_list_got (TimClient *self, GTask *task, JsonObject *reply)
{
  _tim_client_take_folder_list (self, reply);
  g_task_return_pointer (task, tim_client_dup_folders (self), (GDestroyNotify) g_strfreev);
}

void
tim_client_get_folders_async (TimClient *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = NULL;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_get_folders_async);
  if (!_tim_client_check_logged_in (self, task))
    return;
  body = list_body (self);
  _tim_client_request (self, task, "recentcontact.get_contact_group", body, folder_list_got);
}

GStrv
tim_client_get_folders_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GStrv
tim_client_dup_folders (TimClient *self)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (TIM_IS_CLIENT (self), NULL);

  for (guint i = 0; i < self->folders->len; i++)
    g_strv_builder_add (names, ((Folder *) self->folders->pdata[i])->name);
  return g_strv_builder_end (names);
}

/* ---------------------------------------------------------------- other devices */

void
_tim_client_take_folder_change (TimClient *self, gint64 push_type, JsonObject *change)
{
  if (push_type == 5)
    {
      JsonArray *created =
          tim_json_get_array (tim_json_get_object (change, "RecentContactCreateContactGroup"),
                              "MsgContactGroupContactItem");
      JsonObject *entry;

      for (guint i = 0; (entry = tim_json_array_next_object (created, &i)) != NULL;)
        {
          JsonObject *item = tim_json_get_object (entry, "MsgGroupItem");
          JsonArray *contacts = tim_json_get_array (entry, "MsgRecentContactItem");
          g_autofree char *id = _tim_client_folder_wire_id (item, "GroupId");
          const char *name = item != NULL ? tim_json_get_string (item, "GroupName") : NULL;

          _tim_client_folder_created (self, id, name);
          JsonObject *contact;

          for (guint j = 0;
               name != NULL && (contact = tim_json_array_next_object (contacts, &j)) != NULL;)
            {
              g_autofree char *conversation_id = _tim_client_folder_conversation_id (contact);

              if (conversation_id != NULL)
                _tim_client_file_conversation (self, conversation_id, name, TRUE);
            }
        }
    }
  else if (push_type == 6)
    {
      JsonArray *deleted = tim_json_get_array (
          tim_json_get_object (change, "RecentContactDelContactGroup"), "MsgGroupItem");
      JsonObject *item;

      for (guint i = 0; (item = tim_json_array_next_object (deleted, &i)) != NULL;)
        {
          g_autofree char *id = _tim_client_folder_wire_id (item, "GroupId");

          _tim_client_folder_deleted (self, id, tim_json_get_string (item, "GroupName"));
        }
    }
  else if (push_type == 7)
    {
      JsonObject *update = tim_json_get_object (
          tim_json_get_object (change, "RecentContactUpdateContactGroup"), "MsgUpdateGroup");
      g_autofree char *id = _tim_client_folder_wire_id (update, "GroupId");
      const char *old_name = update != NULL ? tim_json_get_string (update, "OldGroupName") : NULL;
      JsonArray *moved =
          update != NULL ? tim_json_get_array (update, "RecentContactUpdateGroupItem") : NULL;
      JsonObject *entry;

      if (update == NULL)
        return;
      if (tim_json_get_int_or (update, "UpdateGroupType", 0) == 1)
        _tim_client_folder_renamed (self, id, old_name, tim_json_get_string (update, "GroupName"));
      for (guint i = 0; (entry = tim_json_array_next_object (moved, &i)) != NULL;)
        {
          g_autofree char *conversation_id =
              _tim_client_folder_conversation_id (tim_json_get_object (entry, "RecentContactItem"));
          Folder *folder = find_by (self, id, old_name);

          if (conversation_id != NULL && folder != NULL)
            _tim_client_file_conversation (self, conversation_id, folder->name,
                                           tim_json_get_int_or (entry, "ContactOptType", 0) == 1);
        }
    }
}
