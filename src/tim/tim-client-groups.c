/* tim-client-groups.c: the group calls: any group command (the CLI's way in), and typed ones for
 * a UI: create, list the members, add members, leave, dismiss. Each is one request; what changes
 * in the group comes back as group tips and notices like any other message. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

/* ---------------------------------------------------------------- any group command */

/* Left or dismissed: this device gets no notice of its own doing (the server sends it to the
 * other devices), so the conversation leaves the list here, as the notice would make it. */
static void
group_gone (TimClient *self, GTask *task, JsonObject *reply)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, g_task_get_task_data (task));

  _tim_client_forget_conversation (self, conversation_id);
  g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
}

/* A join or a hand-over sent as a raw command: its answer changes the list as a typed call's
 * does (tim-client-group-join.c, tim-client-group-profile.c). */
static void
joined (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonObject *body = g_task_get_task_data (task);

  _tim_client_take_join_answer (self, tim_json_get_string (body, "GroupId"), reply);
  g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
}

static void
handed_over (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonObject *body = g_task_get_task_data (task);

  _tim_client_take_owner_change (self, tim_json_get_string (body, "GroupId"),
                                 tim_json_get_string (body, "NewOwner_Account"));
  g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
}

/* Every group command goes through here, typed or not, so that quitting or dismissing takes the
 * conversation off the list whichever way it was asked for (a join and a hand-over have typed
 * calls of their own, which take their answer the same way). */
static void
send_group_command (TimClient *self, GTask *task, const char *servcmd, JsonObject *body,
                    TimClientReplyHandler handler)
{
  const char *group_id = tim_json_get_string (body, "GroupId");

  if (group_id != NULL && (g_str_equal (servcmd, "group_open_http_svc.quit_group") ||
                           g_str_equal (servcmd, "group_open_http_svc.destroy_group")))
    {
      g_task_set_task_data (task, g_strdup (group_id), g_free);
      handler = group_gone;
    }
  else if (group_id != NULL && (g_str_equal (servcmd, "group_open_http_svc.apply_join_group") ||
                                g_str_equal (servcmd, "group_open_http_svc.change_group_owner")))
    {
      g_task_set_task_data (task, json_object_ref (body), (GDestroyNotify) json_object_unref);
      handler =
          g_str_equal (servcmd, "group_open_http_svc.apply_join_group") ? joined : handed_over;
    }
  _tim_client_request (self, task, servcmd, body, handler);
}

void
tim_client_group_request_async (TimClient *self, const char *servcmd, JsonObject *body,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (!g_str_has_prefix (servcmd, "group_open_http_svc."))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_OPERATION,
                               _ ("Not a group command: %s"), servcmd);
      return;
    }
  send_group_command (self, task, servcmd, body, NULL);
}

JsonObject *
tim_client_group_request_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
created (TimClient *self, GTask *task, JsonObject *reply)
{
  const char *group_id = tim_json_get_string (reply, "GroupId");

  if (group_id == NULL)
    g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_UNCAUGHT,
                             _ ("The server did not say which group it created"));
  else
    g_task_return_pointer (task, g_strdup (group_id), g_free);
}

void
tim_client_create_group_async (TimClient *self, const char *name, const char *type,
                               const char *const *members, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  GError *refused = _tim_group_name_error (trimmed);
  JsonArray *list;

  if (refused != NULL)
    {
      g_task_return_error (task, refused);
      return;
    }
  body = json_object_new ();
  list = json_array_new ();
  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    {
      JsonObject *member = json_object_new ();

      json_object_set_string_member (member, "Member_Account", members[i]);
      json_array_add_object_element (list, member);
    }
  json_object_set_string_member (body, "Type", type != NULL ? type : "Private");
  json_object_set_string_member (body, "Name", trimmed);
  json_object_set_array_member (body, "MemberList", list);
  send_group_command (self, task, "group_open_http_svc.create_group", body, created);
}

char *
tim_client_create_group_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- members */

static int
role_rank (const char *role)
{
  if (g_strcmp0 (role, "Owner") == 0)
    return 0;
  if (g_strcmp0 (role, "Admin") == 0)
    return 1;
  return 2;
}

/* The owner, then the admins, then everyone else; by name within each (as people read it: case
 * and accents aside), then by user ID. */
static int
compare_members (gconstpointer a, gconstpointer b)
{
  const TimGroupMember *x = *(const TimGroupMember *const *) a;
  const TimGroupMember *y = *(const TimGroupMember *const *) b;
  int by_role = role_rank (x->role) - role_rank (y->role);
  g_autofree char *x_name = NULL;
  g_autofree char *y_name = NULL;
  int by_name;

  if (by_role != 0)
    return by_role;
  x_name = g_utf8_casefold (tim_group_member_get_name (x), -1);
  y_name = g_utf8_casefold (tim_group_member_get_name (y), -1);
  by_name = g_utf8_collate (x_name, y_name);
  return by_name != 0 ? by_name : g_strcmp0 (x->user_id, y->user_id);
}

static void
members_done (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonArray *list = tim_json_get_array (reply, "MemberList");
  GPtrArray *members = g_ptr_array_new_with_free_func ((GDestroyNotify) tim_group_member_free);
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (list, &i)) != NULL;)
    {
      const char *user_id = tim_json_get_string (item, "Member_Account");
      const char *name_card = tim_json_get_string (item, "NameCard");
      TimGroupMember *member;

      if (user_id == NULL)
        continue;
      member = g_new0 (TimGroupMember, 1);
      member->user_id = g_strdup (user_id);
      member->role = g_strdup (tim_json_get_string (item, "Role"));
      if (member->role == NULL)
        member->role = g_strdup ("Member");
      member->name_card = name_card != NULL && *name_card != '\0' ? g_strdup (name_card) : NULL;
      member->mute_until = tim_json_get_int_or (item, "ShutUpUntil", 0);
      g_ptr_array_add (members, member);
    }
  _tim_client_name_members (self, task, members, compare_members);
}

GTask *
_tim_client_group_task (TimClient *self, gpointer source_tag, const char *group_id,
                        gboolean member_required, const char *user_id, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (group_id == NULL || *group_id == '\0')
    g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                             _ ("No group was given"));
  else if (member_required && (user_id == NULL || *user_id == '\0'))
    g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                             _ ("No member was given"));
  else
    return g_steal_pointer (&task);
  return NULL;
}

static JsonObject *
group_body (const char *group_id)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "GroupId", group_id);
  return body;
}

void
tim_client_get_group_members_async (TimClient *self, const char *group_id,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task =
      _tim_client_group_task (self, tim_client_get_group_members_async, group_id, FALSE, NULL,
                              cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;

  if (task == NULL)
    return;
  body = group_body (group_id);
  send_group_command (self, task, "group_open_http_svc.get_group_member_info", body, members_done);
}

/**
 * tim_client_get_group_members_finish:
 *
 * Returns: (transfer full) (element-type TimGroupMember): the owner, then the admins, then the
 * other members, by name within each (name card, else nickname, else user ID).
 */
GPtrArray *
tim_client_get_group_members_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Result 1: added; 0: no such account; 2: a member already. */
static void
added_done (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonArray *results = tim_json_get_array (reply, "MemberList");
  g_autoptr (GStrvBuilder) refused = g_strv_builder_new ();
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (results, &i)) != NULL;)
    {
      const char *user_id = tim_json_get_string (item, "Member_Account");

      if (user_id != NULL && tim_json_get_int_or (item, "Result", 0) != 1)
        g_strv_builder_add (refused, user_id);
    }
  g_task_return_pointer (task, g_strv_builder_end (refused), (GDestroyNotify) g_strfreev);
}

void
tim_client_add_group_members_async (TimClient *self, const char *group_id,
                                    const char *const *user_ids, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task =
      _tim_client_group_task (self, tim_client_add_group_members_async, group_id, FALSE, NULL,
                              cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;
  JsonArray *list;

  if (task == NULL)
    return;
  if (user_ids == NULL || user_ids[0] == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("Nobody to add was given"));
      return;
    }
  body = group_body (group_id);
  list = json_array_new ();
  for (guint i = 0; user_ids[i] != NULL; i++)
    {
      JsonObject *member = json_object_new ();

      json_object_set_string_member (member, "Member_Account", user_ids[i]);
      json_array_add_object_element (list, member);
    }
  json_object_set_array_member (body, "MemberList", list);
  send_group_command (self, task, "group_open_http_svc.add_group_member", body, added_done);
}

/**
 * tim_client_add_group_members_finish:
 * @refused: (out) (optional) (transfer full): the users that were not added: no such account,
 *   or a member already
 *
 * Returns: FALSE with @error when the server refused the whole call (not a manager, the group
 * is full...); TRUE otherwise, even if some users could not be added.
 */
gboolean
tim_client_add_group_members_finish (TimClient *self, GAsyncResult *result, GStrv *refused,
                                     GError **error)
{
  GStrv not_added = g_task_propagate_pointer (G_TASK (result), error);

  if (not_added == NULL)
    return FALSE;
  if (refused != NULL)
    *refused = not_added;
  else
    g_strfreev (not_added);
  return TRUE;
}

/* The calls whose reply carries nothing to keep. */
static gboolean
reply_received (GAsyncResult *result, GError **error)
{
  g_autoptr (JsonObject) reply = g_task_propagate_pointer (G_TASK (result), error);

  return reply != NULL;
}

/* Owner and admins remove plain members; only the owner removes an admin; nobody the owner. */
void
tim_client_remove_group_member_async (TimClient *self, const char *group_id, const char *user_id,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task =
      _tim_client_group_task (self, tim_client_remove_group_member_async, group_id, TRUE, user_id,
                              cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;
  JsonArray *users;

  if (task == NULL)
    return;
  body = group_body (group_id);
  users = json_array_new ();
  json_array_add_string_element (users, user_id);
  json_object_set_array_member (body, "MemberToDel_Account", users);
  send_group_command (self, task, "group_open_http_svc.delete_group_member", body, NULL);
}

gboolean
tim_client_remove_group_member_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return reply_received (result, error);
}

/* The owner makes a member an admin (admin TRUE) or a plain member again. */
void
tim_client_set_group_admin_async (TimClient *self, const char *group_id, const char *user_id,
                                  gboolean admin, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = _tim_client_group_task (self, tim_client_set_group_admin_async, group_id,
                                                   TRUE, user_id, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;

  if (task == NULL)
    return;
  body = group_body (group_id);
  json_object_set_string_member (body, "Member_Account", user_id);
  json_object_set_string_member (body, "Role", admin ? "Admin" : "Member");
  send_group_command (self, task, "group_open_http_svc.modify_group_member_info", body, NULL);
}

gboolean
tim_client_set_group_admin_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return reply_received (result, error);
}

/* Leave the group. The owner cannot (10009): it dismisses the group instead. */
/* A command whose body is the GroupId alone (quit, dismiss). */
static void
send_group_id_command (TimClient *self, gpointer source_tag, const char *servcmd,
                       const char *group_id, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = _tim_client_group_task (self, source_tag, group_id, FALSE, NULL,
                                                   cancellable, callback, user_data);
  g_autoptr (JsonObject) body = NULL;

  if (task == NULL)
    return;
  body = group_body (group_id);
  send_group_command (self, task, servcmd, body, NULL);
}

void
tim_client_quit_group_async (TimClient *self, const char *group_id, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  send_group_id_command (self, tim_client_quit_group_async, "group_open_http_svc.quit_group",
                         group_id, cancellable, callback, user_data);
}

gboolean
tim_client_quit_group_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return reply_received (result, error);
}

/* The owner ends the group for everyone (each member gets a notice). */
void
tim_client_dismiss_group_async (TimClient *self, const char *group_id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  send_group_id_command (self, tim_client_dismiss_group_async, "group_open_http_svc.destroy_group",
                         group_id, cancellable, callback, user_data);
}

gboolean
tim_client_dismiss_group_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return reply_received (result, error);
}
