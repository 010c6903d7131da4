/* timchat-presence.h: whether users are online (the SDK's getUserStatus), their custom status,
 * and who follows whose (subscribeUserStatus), told of each change as it happens. */
#pragma once

#include "timchat-hub.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_PRESENCE (timchat_presence_get_type ())
G_DECLARE_FINAL_TYPE (TimchatPresence, timchat_presence, TIMCHAT, PRESENCE, GObject)

/* How many users one user may follow at once. */
#define TIMCHAT_PRESENCE_MAX_FOLLOWED 1000

/* Follows the hub's sessions: a user's followers, and the user's own sessions, hear of each change
 * as the SDK's UserStatusList push. Kept in memory: a restart starts everyone logged out. */
TimchatPresence *timchat_presence_new (TimchatHub *hub);
TimUserStatus timchat_presence_get_status (TimchatPresence *self, const char *user);
/* One UserStatusList entry, {To_Account, Status, CustomStatus (base64)}, as the SDK's push and
 * getUserStatus read it, and our CustomStatusSet (1: a device of the user set one, perhaps "",
 * since the user came online). */
JsonObject *timchat_presence_status_json (TimchatPresence *self, const char *user);
/* "" when none; it goes when the user is no longer online. */
const char *timchat_presence_get_custom_status (TimchatPresence *self, const char *user);
/* Sets user's custom status (NULL or "" clears it) while they are online, and tells. */
void timchat_presence_set_custom_status (TimchatPresence *self, const char *user,
                                         const char *custom_status);
/* follower hears of target's changes from now on, until unfollowed or logged out; FALSE when
 * follower follows TIMCHAT_PRESENCE_MAX_FOLLOWED others already. */
gboolean timchat_presence_follow (TimchatPresence *self, const char *follower, const char *target);
/* target NULL: everyone follower follows. */
void timchat_presence_unfollow (TimchatPresence *self, const char *follower, const char *target);
/* user's account was deleted: whom they followed and what they were last go with it, so that an
 * account of that ID made again starts logged out, following nobody. Call it once the user's
 * sessions are gone. */
void timchat_presence_forget (TimchatPresence *self, const char *user);

G_END_DECLS
