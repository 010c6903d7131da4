/* test-tim-groups-common.c: the helpers that more than one of libtim's group test programs
 * (tests/test-tim-groups-*.c) use: adding and removing members, making admins and changing a
 * group's profile, each waited for. */
#define G_LOG_DOMAIN "test-tim-groups-common"

#include "config.h"

#include "test-tim-groups-common.h"
#include "tim-test-util.h"

gboolean
add_members (TimClient *client, const char *group_id, const char *const *users, GStrv *refused,
             GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_add_group_members_async (client, group_id, users, NULL, tim_test_keep_result, &result);
  return tim_client_add_group_members_finish (client, tim_test_wait_result (&result), refused,
                                              error);
}

gboolean
remove_member (TimClient *client, const char *group_id, const char *user_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_remove_group_member_async (client, group_id, user_id, NULL, tim_test_keep_result,
                                        &result);
  return tim_client_remove_group_member_finish (client, tim_test_wait_result (&result), error);
}

gboolean
set_admin (TimClient *client, const char *group_id, const char *user_id, gboolean admin,
           GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_group_admin_async (client, group_id, user_id, admin, NULL, tim_test_keep_result,
                                    &result);
  return tim_client_set_group_admin_finish (client, tim_test_wait_result (&result), error);
}

gboolean
update_profile (TimClient *client, const char *group_id, const char *name, GFile *picture,
                GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_update_group_profile_async (client, group_id, name, NULL, NULL, picture, NULL,
                                         tim_test_keep_result, &result);
  return tim_client_update_group_profile_finish (client, tim_test_wait_result (&result), error);
}
