/* tim-client-group-profile.c: a group's profile (the Web SDK's updateGroupProfile): its name,
 * picture, introduction and notification, and mute-all; its owner (changeGroupOwner); and a
 * member's name card in it (setGroupMemberNameCard) and mute time (setGroupMemberMuteTime).
 * Conversations show a profile change when its group tip (operation 6) arrives, whoever made it
 * (tim-client-sync.c); this user's own hand-over changes its role from the answer. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"

typedef struct
{
  char *group_id;
  char *name;
  char *introduction;
  char *notification;
  char *face_url;
} Change;

static void
change_free (Change *change)
{
  g_free (change->group_id);
  g_free (change->name);
  g_free (change->introduction);
  g_free (change->notification);
  g_free (change->face_url);
  g_free (change);
}

/* Whether value is valid UTF-8 of at most max_bytes (or not given). */
static gboolean
fits (const char *value, gsize max_bytes)
{
  return value == NULL || (g_utf8_validate (value, -1, NULL) && strlen (value) <= max_bytes);
}

GError *
_tim_group_name_error (const char *name)
{
  if (tim_group_name_is_blank (name))
    return g_error_new (TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s", _ ("A group needs a name"));
  if (!fits (name, TIM_MAX_GROUP_NAME_BYTES))
    return g_error_new (TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                        _ ("A group name is at most %d bytes long"), TIM_MAX_GROUP_NAME_BYTES);
  return NULL;
}

static GError *
check_change (const Change *change)
{
  GError *error = NULL;

  if (change->name != NULL && (error = _tim_group_name_error (g_strstrip (change->name))) != NULL)
    return error;
  if (!fits (change->introduction, TIM_MAX_GROUP_INTRODUCTION_BYTES))
    return g_error_new (TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                        _ ("A group introduction is at most %d bytes long"),
                        TIM_MAX_GROUP_INTRODUCTION_BYTES);
  if (!fits (change->notification, TIM_MAX_GROUP_NOTIFICATION_BYTES))
    return g_error_new (TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                        _ ("A group notification is at most %d bytes long"),
                        TIM_MAX_GROUP_NOTIFICATION_BYTES);
  /* The server's address for an upload can be longer than a group picture's limit. */
  if (!fits (change->face_url, TIM_MAX_GROUP_FACE_URL_BYTES))
    return g_error_new (TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                        _ ("The picture’s address is longer than the %d bytes a group picture "
                           "may have"),
                        TIM_MAX_GROUP_FACE_URL_BYTES);
  return NULL;
}

static void
updated (TimClient *self, GTask *task, JsonObject *reply)
{
  g_task_return_boolean (task, TRUE);
}

/* This user's own change of the group's profile, from the answer: the conversation shows it when
 * the call completes, as its header promises. The tip the server pushes to every member's
 * sessions, this one's too, comes right behind the answer since answers go first (28 Nov), and
 * sets the same again; a caller that looked at once found the old name whenever the tip came in a
 * later read of the socket. NULL (and mute_all -1): not changed. */
static void
take_base_info (TimClient *self, const char *group_id, const char *name, const char *face_url,
                const char *introduction, const char *notification, int mute_all)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);

  if (conversation == NULL)
    return;
  _tim_conversation_update_profile (conversation, name, face_url);
  _tim_conversation_set_group_info (conversation, introduction, notification, mute_all);
  _tim_client_save_conversation (self, conversation);
}

static void
profile_updated (TimClient *self, GTask *task, JsonObject *reply)
{
  Change *change = g_task_get_task_data (task);

  take_base_info (self, change->group_id, change->name, change->face_url, change->introduction,
                  change->notification, -1);
  g_task_return_boolean (task, TRUE);
}

static void
mute_all_updated (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonObject *body = g_task_get_task_data (task);

  take_base_info (self, tim_json_get_string (body, "GroupId"), NULL, NULL, NULL, NULL,
                  g_strcmp0 (tim_json_get_string (body, "ShutUpAllMember"), "On") == 0);
  g_task_return_boolean (task, TRUE);
}

static void
send_change (TimClient *self, GTask *task)
{
  Change *change = g_task_get_task_data (task);
  g_autoptr (JsonObject) body = json_object_new ();
  GError *error = check_change (change);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  json_object_set_string_member (body, "GroupId", change->group_id);
  tim_json_set_string_if (body, "Name", change->name);
  tim_json_set_string_if (body, "Introduction", change->introduction);
  tim_json_set_string_if (body, "Notification", change->notification);
  tim_json_set_string_if (body, "FaceUrl", change->face_url);
  _tim_client_request (self, task, "group_open_http_svc.modify_group_base_info", body,
                       profile_updated);
}

static void
on_picture_uploaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Change *change = g_task_get_task_data (task);
  GError *error = NULL;

  change->face_url = _tim_upload_picture_finish (TIM_UPLOADER (source), result, &error);
  if (change->face_url == NULL)
    g_task_return_error (task, error);
  else
    send_change (g_task_get_source_object (task), task);
}

void
tim_client_update_group_profile_async (TimClient *self, const char *group_id, const char *name,
                                       const char *introduction, const char *notification,
                                       GFile *picture, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Change *change;

  g_return_if_fail (TIM_IS_CLIENT (self));
  g_return_if_fail (picture == NULL || G_IS_FILE (picture));
  task = _tim_client_group_task (self, tim_client_update_group_profile_async, group_id, FALSE, NULL,
                                 cancellable, callback, user_data);
  if (task == NULL || !_tim_client_check_logged_in (self, task))
    return;
  if (name == NULL && introduction == NULL && notification == NULL && picture == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("Nothing to change in the group profile"));
      return;
    }
  change = g_new0 (Change, 1);
  change->group_id = g_strdup (group_id);
  change->name = g_strdup (name);
  change->introduction = g_strdup (introduction);
  change->notification = g_strdup (notification);
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  if (picture == NULL)
    {
      send_change (self, task);
      return;
    }
  /* The words are checked before the upload, so a bad name costs no upload. */
  {
    GError *error = check_change (change);

    if (error != NULL)
      {
        g_task_return_error (task, error);
        return;
      }
  }
  _tim_client_upload_picture (self, picture, g_steal_pointer (&task), on_picture_uploaded);
}

gboolean
tim_client_update_group_profile_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- mute-all */

void
tim_client_set_group_mute_all_async (TimClient *self, const char *group_id, gboolean mute_all,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = _tim_client_group_task (self, tim_client_set_group_mute_all_async, group_id, FALSE, NULL,
                                 cancellable, callback, user_data);
  if (task == NULL || !_tim_client_check_logged_in (self, task))
    return;
  json_object_set_string_member (body, "GroupId", group_id);
  json_object_set_string_member (body, "ShutUpAllMember", mute_all ? "On" : "Off");
  g_task_set_task_data (task, json_object_ref (body), (GDestroyNotify) json_object_unref);
  _tim_client_request (self, task, "group_open_http_svc.modify_group_base_info", body,
                       mute_all_updated);
}

gboolean
tim_client_set_group_mute_all_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- name cards */

void
tim_client_set_group_member_name_card_async (TimClient *self, const char *group_id,
                                             const char *user_id, const char *name_card,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *stripped = NULL;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = _tim_client_group_task (self, tim_client_set_group_member_name_card_async, group_id, FALSE,
                                 NULL, cancellable, callback, user_data);
  if (task == NULL || !_tim_client_check_logged_in (self, task))
    return;
  if (name_card == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("No name was given (an empty one clears it)"));
      return;
    }
  stripped = g_strstrip (g_strdup (name_card));
  if (!fits (stripped, TIM_MAX_NAME_CARD_BYTES))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                               _ ("A name in a group is at most %d bytes long"),
                               TIM_MAX_NAME_CARD_BYTES);
      return;
    }
  json_object_set_string_member (body, "GroupId", group_id);
  json_object_set_string_member (body, "Member_Account",
                                 user_id != NULL && *user_id != '\0' ? user_id : self->user);
  json_object_set_string_member (body, "NameCard", stripped);
  _tim_client_request (self, task, "group_open_http_svc.modify_group_member_info", body, updated);
}

gboolean
tim_client_set_group_member_name_card_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- owner */

/* Handed over: this user is a plain member from the answer, which the server sends ahead of the
 * group tip (the Web SDK needs its answers first). Until 28 Nov the tip came first and made the
 * change here, so a UI that asked found the old role when the call completed. The tip behind it
 * applies the same owner again, which changes nothing; the user's other devices take it from
 * there. A group not listed here has no role to change. */
void
_tim_client_take_owner_change (TimClient *self, const char *group_id, const char *new_owner)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, conversation_id);
  g_autofree char *role_before = NULL;

  if (conversation == NULL)
    return;
  role_before = g_strdup (tim_conversation_get_group_self_role (conversation));
  _tim_client_apply_new_owner (self, conversation, new_owner);
  if (g_strcmp0 (role_before, tim_conversation_get_group_self_role (conversation)) != 0)
    _tim_client_save_conversation (self, conversation);
}

static void
owner_changed (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonObject *body = g_task_get_task_data (task);

  _tim_client_take_owner_change (self, tim_json_get_string (body, "GroupId"),
                                 tim_json_get_string (body, "NewOwner_Account"));
  g_task_return_boolean (task, TRUE);
}

void
tim_client_change_group_owner_async (TimClient *self, const char *group_id,
                                     const char *new_owner_id, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = _tim_client_group_task (self, tim_client_change_group_owner_async, group_id, TRUE,
                                 new_owner_id, cancellable, callback, user_data);
  if (task == NULL || !_tim_client_check_logged_in (self, task))
    return;
  if (g_strcmp0 (new_owner_id, self->user) == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("You cannot hand a group over to yourself"));
      return;
    }
  json_object_set_string_member (body, "GroupId", group_id);
  json_object_set_string_member (body, "NewOwner_Account", new_owner_id);
  g_task_set_task_data (task, json_object_ref (body), (GDestroyNotify) json_object_unref);
  _tim_client_request (self, task, "group_open_http_svc.change_group_owner", body, owner_changed);
}

gboolean
tim_client_change_group_owner_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- muting a member */

void
tim_client_set_group_member_mute_time_async (TimClient *self, const char *group_id,
                                             const char *user_id, guint seconds,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = json_object_new ();

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = _tim_client_group_task (self, tim_client_set_group_member_mute_time_async, group_id, TRUE,
                                 user_id, cancellable, callback, user_data);
  if (task == NULL || !_tim_client_check_logged_in (self, task))
    return;
  if (g_strcmp0 (user_id, self->user) == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("You cannot mute yourself"));
      return;
    }
  json_object_set_string_member (body, "GroupId", group_id);
  json_object_set_string_member (body, "Member_Account", user_id);
  json_object_set_int_member (body, "ShutUpTime", seconds);
  /* The member's conversation learns it from the mute tip (tim-client-sync.c). */
  _tim_client_request (self, task, "group_open_http_svc.modify_group_member_info", body, updated);
}

gboolean
tim_client_set_group_member_mute_time_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
