/* timchat-avatar.h: the pictures in AdwAvatars, from profile avatar URLs. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows the picture at url in avatar: its initials until the picture is there, and when url is
 * NULL or "" or the picture cannot be had. Each URL is downloaded once (the downloader's cache)
 * and decoded once, however many rows show it. */
void timchat_avatar_set_url (AdwAvatar *avatar, const char *url);
/* A green dot that says someone is online (drawn by style.css's .online-dot: a box has nothing
 * of its own to draw), an image to assistive technologies. */
GtkWidget *timchat_online_dot_new (void);
/* Says "Online", or "Online · custom_status", to a pointer and to a screen reader. */
void timchat_online_dot_set_status (GtkWidget *dot, const char *custom_status);

G_END_DECLS
