/* timchat-avatar.h: the pictures in AdwAvatars, from profile avatar URLs. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows the picture at url in avatar: its initials until the picture is there, and when url is
 * NULL or "" or the picture cannot be had. Each URL is downloaded once (the downloader's cache)
 * and decoded once, however many rows show it. */
void timchat_avatar_set_url (AdwAvatar *avatar, const char *url);

G_END_DECLS
