/* timchat-window.h: the main window: first-run welcome, then the conversation list and the
 * open conversation side by side (AdwLeaflet), errors as toasts. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_WINDOW (timchat_window_get_type ())
G_DECLARE_FINAL_TYPE (TimchatWindow, timchat_window, TIMCHAT, WINDOW, AdwApplicationWindow)

/* account: the local account name ("default", or what --account gave); data_dir: where libtim
 * keeps its stores (NULL: the user data dir). */
TimchatWindow *timchat_window_new (AdwApplication *application, const char *account,
                                   const char *data_dir);
TimClient *timchat_window_get_client (TimchatWindow *self);
/* Whether the window shows the conversations of user, logged in (a notification's account). */
gboolean timchat_window_is_chatting_as (TimchatWindow *self, const char *user);
/* Logs in with explicit credentials (scripted start, tests) without touching the keyring. */
void timchat_window_login (TimchatWindow *self, const char *server_url, guint64 sdkappid,
                           const char *user, const char *usersig, gboolean remember);
/* "Try it on this computer" as user. */
void timchat_window_start_local (TimchatWindow *self, const char *user);
void timchat_window_open_conversation (TimchatWindow *self, const char *conversation_id);
void timchat_window_close_conversation (TimchatWindow *self);
/* The IDs of the conversations the list shows now (the folder chosen, what is searched), in
 * order; for tests and screen readers alike. */
GStrv timchat_window_dup_shown_conversations (TimchatWindow *self);
/* The drop-down's entries, "All Conversations 3", "Work 1": each with what is unread in it (not
 * muted); empty while there is no folder. */
GStrv timchat_window_dup_folder_lines (TimchatWindow *self);
/* Plain words for an error (our texts for TIM codes), as a toast. */
void timchat_window_show_error (TimchatWindow *self, const GError *error);
void timchat_window_show_toast (TimchatWindow *self, const char *text);
/* A toast made by the caller (one with a button, say). (transfer full) */
void timchat_window_add_toast (TimchatWindow *self, AdwToast *toast);

G_END_DECLS
