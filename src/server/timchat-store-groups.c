/* timchat-store-groups.c: the storage interface's group calls; each goes to the engine's vfunc,
 * and those that change what a group shows keep its picture's upload (timchat-store.c). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-private.h"

gboolean
timchat_store_create_group (TimchatStore *self, TimchatGroup *group, GPtrArray *members,
                            GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  if (!TIMCHAT_STORE_GET_CLASS (self)->create_group (self, group, members, error))
    return FALSE;
  _timchat_store_follow_picture (self, NULL, group->face_url);
  return TRUE;
}

TimchatGroup *
timchat_store_get_group (TimchatStore *self, const char *group_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->get_group (self, group_id);
}

GPtrArray *
timchat_store_list_members (TimchatStore *self, const char *group_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->list_members (self, group_id);
}

TimchatMember *
timchat_store_get_member (TimchatStore *self, const char *group_id, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->get_member (self, group_id, user_id);
}

gboolean
timchat_store_add_member (TimchatStore *self, const char *group_id, TimchatMember *member,
                          GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->add_member (self, group_id, member, error);
}

gboolean
timchat_store_remove_members (TimchatStore *self, const char *group_id, GPtrArray *user_ids,
                              GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->remove_members (self, group_id, user_ids, error);
}

gboolean
timchat_store_set_member_role (TimchatStore *self, const char *group_id, const char *user_id,
                               const char *role, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->set_member_role (self, group_id, user_id, role, error);
}

gboolean
timchat_store_set_member_mute_until (TimchatStore *self, const char *group_id, const char *user_id,
                                     gint64 mute_until, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->set_member_mute_until (self, group_id, user_id, mute_until,
                                                                error);
}

gboolean
timchat_store_set_member_name_card (TimchatStore *self, const char *group_id, const char *user_id,
                                    const char *name_card, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->set_member_name_card (self, group_id, user_id, name_card,
                                                               error);
}

gboolean
timchat_store_update_group (TimchatStore *self, const char *group_id,
                            const TimchatGroupChange *change, gint64 time, GError **error)
{
  g_autoptr (TimchatGroup) group = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  group = change->face_url != NULL ? timchat_store_get_group (self, group_id) : NULL;
  if (!TIMCHAT_STORE_GET_CLASS (self)->update_group (self, group_id, change, time, error))
    return FALSE;
  if (group != NULL)
    _timchat_store_follow_picture (self, group->face_url, change->face_url);
  return TRUE;
}

gboolean
timchat_store_dismiss_group (TimchatStore *self, const char *group_id, GError **error)
{
  g_autoptr (TimchatGroup) group = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  group = timchat_store_get_group (self, group_id);
  if (!TIMCHAT_STORE_GET_CLASS (self)->dismiss_group (self, group_id, error))
    return FALSE;
  if (group != NULL)
    _timchat_store_follow_picture (self, group->face_url, NULL);
  return TRUE;
}

GPtrArray *
timchat_store_joined_groups (TimchatStore *self, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->joined_groups (self, user_id);
}

gboolean
timchat_store_save_application (TimchatStore *self, const TimchatApplication *application,
                                GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  g_return_val_if_fail (application != NULL, FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->save_application (self, application, error);
}

TimchatApplication *
timchat_store_get_application (TimchatStore *self, const char *group_id, const char *applicant)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->get_application (self, group_id, applicant);
}

gboolean
timchat_store_delete_application (TimchatStore *self, const char *group_id, const char *applicant,
                                  GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->delete_application (self, group_id, applicant, error);
}

GPtrArray *
timchat_store_list_applications (TimchatStore *self, const char *manager, gint64 from, gint64 to,
                                 guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->list_applications (self, manager, from, to, limit);
}

gint64
timchat_store_create_folder (TimchatStore *self, const char *user_id, const char *name, gint64 now,
                             GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->create_folder (self, user_id, name, now, error);
}

gboolean
timchat_store_rename_folder (TimchatStore *self, gint64 folder_id, const char *name, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->rename_folder (self, folder_id, name, error);
}

gboolean
timchat_store_delete_folder (TimchatStore *self, gint64 folder_id, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->delete_folder (self, folder_id, error);
}

gboolean
timchat_store_set_in_folder (TimchatStore *self, gint64 folder_id, int conv_type, const char *peer,
                             gboolean in, gboolean *changed, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->set_in_folder (self, folder_id, conv_type, peer, in,
                                                        changed, error);
}

GPtrArray *
timchat_store_list_folders (TimchatStore *self, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->list_folders (self, user_id);
}

GPtrArray *
timchat_store_list_folder_items (TimchatStore *self, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->list_folder_items (self, user_id);
}
