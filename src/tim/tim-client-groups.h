/* tim-client-groups.h: TimClient's group calls: create, members and their roles, mute,
 * profile, owner, quit and dismiss, search, join applications. Apart from tim-client.h (which
 * includes it) only for its length; the calls are implemented in tim-client-groups.c,
 * tim-client-group-*.c. */
#pragma once

#include "tim-client.h"

G_BEGIN_DECLS

/* Groups. Each completes with the server's reply body (GroupId for create...). */
void tim_client_group_request_async (TimClient *self, const char *servcmd, JsonObject *body,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
JsonObject *tim_client_group_request_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_create_group_async (TimClient *self, const char *name, const char *type,
                                    const char *const *members, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
char *tim_client_create_group_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_get_group_members_async (TimClient *self, const char *group_id,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
GPtrArray *tim_client_get_group_members_finish (TimClient *self, GAsyncResult *result,
                                                GError **error);
void tim_client_add_group_members_async (TimClient *self, const char *group_id,
                                         const char *const *user_ids, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_add_group_members_finish (TimClient *self, GAsyncResult *result, GStrv *refused,
                                              GError **error);
void tim_client_remove_group_member_async (TimClient *self, const char *group_id,
                                           const char *user_id, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_remove_group_member_finish (TimClient *self, GAsyncResult *result,
                                                GError **error);
void tim_client_set_group_admin_async (TimClient *self, const char *group_id, const char *user_id,
                                       gboolean admin, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_set_group_admin_finish (TimClient *self, GAsyncResult *result, GError **error);
void tim_client_quit_group_async (TimClient *self, const char *group_id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_quit_group_finish (TimClient *self, GAsyncResult *result, GError **error);
/* Changes what is not NULL of a group's profile: its name (1 - 30 bytes; surrounding spaces are
 * dropped), introduction (240), notification (300), and picture (uploaded; the server checks it
 * is an image under 20 MB, and its 198 px version is used). Bad values fail with
 * TIM_ERROR_INVALID_PARAMETER before anything is sent or uploaded. In a Private group any
 * member may; elsewhere the owner and admins (else TIM_ERROR_GROUP_PERMISSION). The group's
 * conversation shows the new name and picture when it completes; the other members' do when the
 * group tip reaches them. A logout or the client's dispose during the picture's upload cancels it
 * (G_IO_ERROR_CANCELLED). */
void tim_client_update_group_profile_async (TimClient *self, const char *group_id, const char *name,
                                            const char *introduction, const char *notification,
                                            GFile *picture, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_update_group_profile_finish (TimClient *self, GAsyncResult *result,
                                                 GError **error);
/* The Web SDK's setGroupMemberMuteTime: user_id may not post in the group for seconds (0 lifts
 * it). The owner mutes anyone but themself, an admin plain members (else
 * TIM_ERROR_GROUP_PERMISSION). Every member hears it (a group tip); the muted member's
 * conversation says until when (TimConversation:group-self-mute-until), and their sends fail with
 * TIM_ERROR_GROUP_MUTED meanwhile. Oneself, no group or no member fail with
 * TIM_ERROR_INVALID_PARAMETER before anything is sent. */
void tim_client_set_group_member_mute_time_async (TimClient *self, const char *group_id,
                                                  const char *user_id, guint seconds,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_set_group_member_mute_time_finish (TimClient *self, GAsyncResult *result,
                                                       GError **error);
/* The Web SDK's changeGroupOwner: the owner hands the group to new_owner_id, a member, and
 * becomes a plain member (TimConversation:group-self-role says so by the time the call completes,
 * from the answer; the group tip behind it tells the user's other devices). Only the owner may
 * (else TIM_ERROR_GROUP_PERMISSION); someone not in the group fails with
 * TIM_ERROR_INVALID_PARAMETER (with TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND when there is no such
 * account), as do no group, no member and the user themself, those before anything is sent. */
void tim_client_change_group_owner_async (TimClient *self, const char *group_id,
                                          const char *new_owner_id, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_change_group_owner_finish (TimClient *self, GAsyncResult *result,
                                               GError **error);
/* Mute-all: when on, only the owner and admins may post (the others' sends fail with
 * TIM_ERROR_GROUP_MUTED). The owner's and admins' to set (else TIM_ERROR_GROUP_PERMISSION). */
void tim_client_set_group_mute_all_async (TimClient *self, const char *group_id, gboolean mute_all,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean tim_client_set_group_mute_all_finish (TimClient *self, GAsyncResult *result,
                                               GError **error);
/* A member's name in the group (the Web SDK's setGroupMemberNameCard), which the group shows
 * before their nickname: on the messages they send from then on, in the member list and in tips.
 * user_id NULL is the signed-in user; "" clears it. At most 50 bytes of UTF-8, surrounding spaces
 * dropped (else TIM_ERROR_INVALID_PARAMETER, before anything is sent). One's own, or the owner's
 * and admins' on a plain member (else TIM_ERROR_GROUP_PERMISSION). */
void tim_client_set_group_member_name_card_async (TimClient *self, const char *group_id,
                                                  const char *user_id, const char *name_card,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_set_group_member_name_card_finish (TimClient *self, GAsyncResult *result,
                                                       GError **error);
void tim_client_dismiss_group_async (TimClient *self, const char *group_id,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean tim_client_dismiss_group_finish (TimClient *self, GAsyncResult *result, GError **error);
/* The Web SDK's searchGroupByID: what anyone may see of a group before joining it (a
 * TimGroupInfo). A Work (Private) group shows only to its members (TIM_ERROR_GROUP_PERMISSION); no
 * such group is TIM_ERROR_GROUP_NOT_FOUND; what is not a group ID fails with
 * TIM_ERROR_GROUP_INVALID_ID before anything is sent. */
void tim_client_search_group_async (TimClient *self, const char *group_id,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
TimGroupInfo *tim_client_search_group_finish (TimClient *self, GAsyncResult *result,
                                              GError **error);
/* The Web SDK's joinGroup: asks to join group_id, with apply_message (NULL for none, at most 300
 * bytes) for the managers to read. Completes with a TimJoinStatus: joined (the group is listed by
 * then, the user a member; its name follows with its profile), waiting for the owner or an admin to
 * answer (the answer comes as a group system notice), or a member already. A group that takes no
 * applications, or a Work group, which only invites, fails with TIM_ERROR_GROUP_PERMISSION; a full
 * one with TIM_ERROR_GROUP_FULL. */
void tim_client_join_group_async (TimClient *self, const char *group_id, const char *apply_message,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
int tim_client_join_group_finish (TimClient *self, GAsyncResult *result, GError **error);
/* The Web SDK's handleGroupApplication: the owner or an admin answers the application an
 * application notice (tim_message_get_application_state () not NONE) carries, agreeing (the
 * applicant joins) or not, with reason (NULL for none) for the applicant. The notice keeps the
 * answer (TimMessage:payload changes), across sessions. One answered already by another manager
 * fails with TIM_ERROR_GROUP_REQUEST_HANDLED and the notice says ANSWERED; a plain member's try
 * with TIM_ERROR_GROUP_PERMISSION. */
void tim_client_handle_group_application_async (TimClient *self, TimMessage *notice, gboolean agree,
                                                const char *reason, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_handle_group_application_finish (TimClient *self, GAsyncResult *result,
                                                     GError **error);
/* The Web SDK's getGroupApplicationList: the applications to join the groups this user owns or
 * is an admin of that wait for an answer, oldest first (a GPtrArray of TimGroupApplication).
 * Notices of applications the list no longer has (answered by another manager or device)
 * say ANSWERED from then on. */
void tim_client_get_group_applications_async (TimClient *self, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *tim_client_get_group_applications_finish (TimClient *self, GAsyncResult *result,
                                                     GError **error);
/* handleGroupApplication with an application from the list: as
 * tim_client_handle_group_application_async (), and the application's notices keep the
 * answer. */
void tim_client_answer_group_application_async (TimClient *self,
                                                const TimGroupApplication *application,
                                                gboolean agree, const char *reason,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_client_answer_group_application_finish (TimClient *self, GAsyncResult *result,
                                                     GError **error);

G_END_DECLS
