/* tim-client-folders-calls.c: creating, renaming and deleting the user's folders of
 * conversations, and putting conversations in or out (the Web SDK's createConversationGroup,
 * renameConversationGroup, deleteConversationGroup, addConversationsToGroup,
 * deleteConversationsFromGroup). What the server did goes through the steps of
 * tim-client-folders.c, as a change from another device does. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* The server's limits, checked here first. */
#define MAX_NAME_CHARS 32
#define MAX_CONVERSATIONS 100

typedef struct
{
  char *name;     /* the folder */
  char *new_name; /* a rename's */
  gboolean in;    /* conversations in, or out */
} Change;

static void
change_free (Change *change)
{
  g_free (change->name);
  g_free (change->new_name);
  g_free (change);
}

static gboolean
check_name (GTask *task, const char *name)
{
  if (name != NULL && *name != '\0' && g_utf8_validate (name, -1, NULL) &&
      g_utf8_strlen (name, -1) <= MAX_NAME_CHARS)
    return TRUE;
  g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           _ ("A folder’s name is 1 to %d characters"), MAX_NAME_CHARS);
  return FALSE;
}

/* {Type:1, To_Account} or {Type:2, ToGroupId} for each conversation; NULL (the task returned)
 * when one is no C2C or group conversation, or there are too many. */
static JsonArray *
contact_items (GTask *task, const char *const *conversation_ids)
{
  g_autoptr (JsonArray) items = json_array_new ();

  if (conversation_ids != NULL && g_strv_length ((GStrv) conversation_ids) > MAX_CONVERSATIONS)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("At most %d conversations at a time"), MAX_CONVERSATIONS);
      return NULL;
    }
  for (guint i = 0; conversation_ids != NULL && conversation_ids[i] != NULL; i++)
    {
      const char *peer = NULL;
      TimConvType type;
      JsonObject *contact = json_object_new ();

      if (!_tim_client_check_conversation (task, conversation_ids[i], &type, &peer))
        {
          json_object_unref (contact);
          return NULL;
        }
      json_object_set_int_member (contact, "Type", type == TIM_CONV_GROUP ? 2 : 1);
      json_object_set_string_member (contact, type == TIM_CONV_GROUP ? "ToGroupId" : "To_Account",
                                     peer);
      json_array_add_object_element (items, contact);
    }
  return g_steal_pointer (&items);
}

/* The conversations the server filed go in (or out of) the folder name; the first it refused
 * fails the call (the task returned), the others being done. */
static gboolean
results_ok (GTask *task, JsonArray *results, gboolean in, const char *name)
{
  TimClient *self = g_task_get_source_object (task);
  JsonObject *refused = NULL;
  JsonObject *result;

  for (guint i = 0; (result = tim_json_array_next_object (results, &i)) != NULL;)
    {
      g_autofree char *conversation_id =
          _tim_client_folder_conversation_id (tim_json_get_object (result, "ContactItem"));

      if (tim_json_get_int_or (result, "ResultCode", 0) != 0)
        refused = refused != NULL ? refused : result;
      else if (conversation_id != NULL)
        _tim_client_file_conversation (self, conversation_id, name, in);
    }
  if (refused != NULL)
    {
      gint64 code = tim_json_get_int_or (refused, "ResultCode", 0);
      const char *info = tim_json_get_string (refused, "ResultInfo");

      g_task_return_new_error (task, TIM_ERROR, (int) code, "%s",
                               info != NULL && *info != '\0' ? info : tim_error_text ((int) code));
      return FALSE;
    }
  return TRUE;
}

static void
created (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonObject *result = tim_json_array_get_object (tim_json_get_array (reply, "GroupResultItem"), 0);
  JsonObject *item = tim_json_get_object (result, "GroupItem");
  g_autofree char *id = _tim_client_folder_wire_id (item, "GroupId");
  const char *name = item != NULL ? tim_json_get_string (item, "GroupName") : NULL;

  _tim_client_folder_created (self, id, name);
  if (name != NULL && !results_ok (task, tim_json_get_array (result, "ResultItem"), TRUE, name))
    return;
  g_task_return_boolean (task, TRUE);
}

void
tim_client_create_folder_async (TimClient *self, const char *name,
                                const char *const *conversation_ids, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *contacts, *wanted;
  JsonObject *folder;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_create_folder_async);
  if (!check_name (task, name) || !_tim_client_check_logged_in (self, task) ||
      (contacts = contact_items (task, conversation_ids)) == NULL)
    return;
  if (_tim_client_has_folder (self, name))
    {
      json_array_unref (contacts);
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("There is a folder named “%s” already"), name);
      return;
    }
  folder = json_object_new ();
  json_object_set_string_member (folder, "GroupName", name);
  json_object_set_array_member (folder, "ContactItem", contacts);
  wanted = json_array_new ();
  json_array_add_object_element (wanted, folder);
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_array_member (body, "GroupContactItem", wanted);
  _tim_client_request (self, task, "recentcontact.create_contact_group", body, created);
}

gboolean
tim_client_create_folder_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
updated (TimClient *self, GTask *task, JsonObject *reply)
{
  Change *change = g_task_get_task_data (task);
  JsonObject *result = tim_json_get_object (reply, "UpdateGroupResult");
  g_autofree char *id = _tim_client_folder_wire_id (result, "GroupId");

  if (change->new_name != NULL)
    _tim_client_folder_renamed (self, id, change->name, change->new_name);
  else if (!results_ok (task, tim_json_get_array (result, "ContactResultItem"), change->in,
                        change->name))
    return;
  g_task_return_boolean (task, TRUE);
}

static GTask *
update_task (TimClient *self, const char *name, GCancellable *cancellable,
             GAsyncReadyCallback callback, gpointer user_data, gpointer tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  if (!check_name (task, name) || !_tim_client_check_logged_in (self, task))
    {
      g_object_unref (task);
      return NULL;
    }
  if (!_tim_client_has_folder (self, name))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("There is no folder named “%s”"), name);
      g_object_unref (task);
      return NULL;
    }
  return task;
}

void
tim_client_rename_folder_async (TimClient *self, const char *name, const char *new_name,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  JsonObject *update;
  Change *change;

  g_return_if_fail (TIM_IS_CLIENT (self));
  if ((task = update_task (self, name, cancellable, callback, user_data,
                           tim_client_rename_folder_async)) == NULL ||
      !check_name (task, new_name))
    return;
  if (!g_str_equal (name, new_name) && _tim_client_has_folder (self, new_name))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("There is a folder named “%s” already"), new_name);
      return;
    }
  change = g_new0 (Change, 1);
  change->name = g_strdup (name);
  change->new_name = g_strdup (new_name);
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  update = json_object_new ();
  json_object_set_int_member (update, "UpdateGroupType", 1);
  json_object_set_string_member (update, "OldGroupName", name);
  json_object_set_string_member (update, "NewGroupName", new_name);
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_int_member (body, "UpdateType", 1);
  json_object_set_object_member (body, "UpdateGroup", update);
  _tim_client_request (self, task, "recentcontact.update_contact_group", body, updated);
}

gboolean
tim_client_rename_folder_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tim_client_set_in_folder_async (TimClient *self, const char *const *conversation_ids,
                                const char *name, gboolean in, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *contacts, *items;
  JsonObject *update;
  Change *change;

  g_return_if_fail (TIM_IS_CLIENT (self));
  if ((task = update_task (self, name, cancellable, callback, user_data,
                           tim_client_set_in_folder_async)) == NULL ||
      (contacts = contact_items (task, conversation_ids)) == NULL)
    return;
  if (json_array_get_length (contacts) == 0)
    {
      json_array_unref (contacts);
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("Name at least one conversation"));
      return;
    }
  items = json_array_new ();
  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "ContactOptType", in ? 1 : 2);
      json_object_set_object_member (item, "ContactItem",
                                     json_object_ref (json_array_get_object_element (contacts, i)));
      json_array_add_object_element (items, item);
    }
  json_array_unref (contacts);
  change = g_new0 (Change, 1);
  change->name = g_strdup (name);
  change->in = in;
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  update = json_object_new ();
  json_object_set_int_member (update, "UpdateGroupType", 2);
  json_object_set_string_member (update, "OldGroupName", name);
  json_object_set_array_member (update, "ContactUpdateItem", items);
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_int_member (body, "UpdateType", 1);
  json_object_set_object_member (body, "UpdateGroup", update);
  _tim_client_request (self, task, "recentcontact.update_contact_group", body, updated);
}

gboolean
tim_client_set_in_folder_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
deleted (TimClient *self, GTask *task, JsonObject *reply)
{
  Change *change = g_task_get_task_data (task);
  JsonArray *items = tim_json_get_array (reply, "GroupItem");
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      g_autofree char *id = _tim_client_folder_wire_id (item, "GroupId");

      _tim_client_folder_deleted (self, id, tim_json_get_string (item, "GroupName"));
    }
  /* A server that lists nothing deleted: the one asked for. */
  _tim_client_folder_deleted (self, NULL, change->name);
  g_task_return_boolean (task, TRUE);
}

void
tim_client_delete_folder_async (TimClient *self, const char *name, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *names;
  Change *change;

  g_return_if_fail (TIM_IS_CLIENT (self));
  if ((task = update_task (self, name, cancellable, callback, user_data,
                           tim_client_delete_folder_async)) == NULL)
    return;
  change = g_new0 (Change, 1);
  change->name = g_strdup (name);
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  names = json_array_new ();
  json_array_add_string_element (names, name);
  json_object_set_string_member (body, "From_Account", self->user);
  json_object_set_array_member (body, "GroupName", names);
  _tim_client_request (self, task, "recentcontact.del_contact_group", body, deleted);
}

gboolean
tim_client_delete_folder_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
