/* test-tim-groups-common.h: what more than one of libtim's group test programs
 * (tests/test-tim-groups-*.c) use, kept once in test-tim-groups-common.c. */
#pragma once

#include "tim-client.h"

G_BEGIN_DECLS

/* Adds users to the group and waits for the answer; *refused (if not NULL) the users that could
 * not be added. */
gboolean add_members (TimClient *client, const char *group_id, const char *const *users,
                      GStrv *refused, GError **error);
/* Removes user_id from the group and waits for the answer. */
gboolean remove_member (TimClient *client, const char *group_id, const char *user_id,
                        GError **error);
/* Makes user_id an admin of the group (or a plain member again) and waits for the answer. */
gboolean set_admin (TimClient *client, const char *group_id, const char *user_id, gboolean admin,
                    GError **error);
/* Renames the group and/or gives it a picture (NULL: unchanged) and waits for the answer. */
gboolean update_profile (TimClient *client, const char *group_id, const char *name, GFile *picture,
                         GError **error);

G_END_DECLS
