/* timchat-window-private.h: the window's state, shared by timchat-window.c (the window, its
 * login and client), timchat-window-list.c (the conversation list) and timchat-window-actions.c
 * (its actions and dialogs). */
#pragma once

#include <adwaita.h>

#include "timchat-launcher-badge.h"
#include "timchat-local-server.h"
#include "timchat-notifier.h"
#include "timchat-search-results.h"
#include "timchat-welcome.h"
#include "timchat-window.h"

G_BEGIN_DECLS

struct _TimchatWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  TimchatWelcome *welcome; /* made when first shown: NULL until then */
  AdwLeaflet *leaflet;
  GtkWidget *sidebar;
  GtkWidget *content;
  AdwWindowTitle *sidebar_title; /* its subtitle: the own nickname, else the user ID */
  AdwAvatar *own_avatar;
  AdwWindowTitle *conversation_title;
  GtkWidget *group_info_button;      /* shown while a group is open */
  GtkWidget *search_messages_button; /* shown while a conversation is open */
  /* the open conversation's menu, as its row's in the list: shown while it is listed */
  GtkMenuButton *conversation_menu_button;
  GtkRevealer *network_revealer;
  GtkSearchEntry *search_entry;
  GtkWidget *folder_bar; /* the folder drop-down and its menu, once there is a folder */
  GtkDropDown *folder_dropdown;
  GtkWidget *conversations_heading; /* over the list while searching */
  GtkScrolledWindow *conversation_scroller;
  GtkWidget *message_search; /* "Messages" and the messages found, while searching */
  TimchatSearchResults *message_results;
  GtkStack *list_stack;
  GtkListView *conversation_list;
  GtkStack *content_stack;
  AdwStatusPage *no_conversation_page;
  GtkMenuButton *primary_menu_button;
  GMenuModel *primary_menu;

  char *account;
  char *data_dir;
  TimClient *client;
  TimchatLocalServer *local_server;
  TimchatNotifier *notifier;
  TimchatLauncherBadge *badge; /* the unread count on the icon (a window of an application) */
  GtkWidget *conversation_view;
  /* the open conversation, whose name, peer typing and status make conversation_title; a ref */
  TimConversation *titled_conversation;
  gboolean open_is_listed; /* the open conversation is in the list (not only opened) */
  GtkStringFilter *filter;
  GtkCustomFilter *folder_filter; /* the folder shown's conversations, or all */
  gboolean showing_folders;       /* the drop-down is being filled, not chosen from */
  gboolean searching;             /* the folder filter lets everything through for a search */
  guint folder_recount;           /* the drop-down's unread counts again, at the next idle */
  GtkFilterListModel *filtered;
  GtkSliceListModel *shown; /* the first rows of filtered while the list fills in */
  guint fill_tick;
  guint fill_frames;
  GCancellable *cancellable;
  gboolean remember;
};

/* timchat-window-actions.c */
void _timchat_window_install_actions (GtkWidgetClass *widget_class);
/* A call whose outcome shows only when it fails: pass _timchat_window_on_call_done as its
 * callback and _timchat_window_call_new (window, its finish function) as its user_data; a
 * failure is the window's toast. */
typedef gboolean (*TimchatClientFinish) (TimClient *client, GAsyncResult *result, GError **error);
gpointer _timchat_window_call_new (TimchatWindow *window, TimchatClientFinish finish);
void _timchat_window_on_call_done (GObject *source, GAsyncResult *result, gpointer user_data);
/* timchat-window-profile.c: win.edit-profile, the user's own display name. */
void _timchat_window_edit_profile (GtkWidget *widget, const char *action, GVariant *parameter);
/* The sidebar's header shows who the window's client is logged in as, and follows it: its own
 * name and avatar, changed here, on another device or by the next login. */
void _timchat_window_follow_own_profile (TimchatWindow *self);
/* timchat-window-history.c: win.clear-history (s: the conversation ID), asked first. */
void _timchat_window_clear_history (GtkWidget *widget, const char *action, GVariant *parameter);
/* timchat-window-blocklist.c: win.block-user, win.unblock-user (a user ID), win.show-blocked. */
void _timchat_window_install_blocklist_actions (GtkWidgetClass *widget_class);
void _timchat_window_init_actions (TimchatWindow *self);

/* timchat-window-list.c */
/* The client's conversations in the list (again after a second login), a screenful first. */
void _timchat_window_show_conversations (TimchatWindow *self);
void _timchat_window_stop_filling (TimchatWindow *self);
/* The list, or why there is none: no conversations, or none in the folder shown. */
void _timchat_window_update_list_page (TimchatWindow *self);
/* The list's selection is the open conversation: none before one is opened or once it is closed. */
void _timchat_window_select_open_conversation (TimchatWindow *self);

/* timchat-window-folders.c: the folder drop-down, its filter of the list, and the folder
 * actions (win.new-folder, win.rename-folder, win.delete-folder, win.add-to-folder,
 * win.remove-from-folder). show follows the client's folders (after each login). */
void _timchat_window_class_init_folders (GtkWidgetClass *widget_class);
/* Each folder in the drop-down with what is unread in it. */
void _timchat_window_init_folders (TimchatWindow *self);
GtkFilter *_timchat_window_new_folder_filter (TimchatWindow *self);
/* The drop-down's entries, "All Conversations" and then the folders (NULL before it has any). */
GtkStringList *_timchat_window_get_folder_names (TimchatWindow *self);
/* The folder the list shows, or NULL for all. */
const char *_timchat_window_get_shown_folder (TimchatWindow *self);
void _timchat_window_show_folders (TimchatWindow *self);

/* timchat-window-search.c: the sidebar's search, of conversations and of messages. */
void _timchat_window_class_init_search (GtkWidgetClass *widget_class);
void _timchat_window_init_search (TimchatWindow *self);
/* The list shown for what is typed: a few conversations over the messages while searching. */
void _timchat_window_update_search_layout (TimchatWindow *self);
/* Something is typed in the search entry (not only spaces). */
gboolean _timchat_window_is_searching (TimchatWindow *self);
/* Nothing typed, nothing found (a new login). */
void _timchat_window_reset_search (TimchatWindow *self);

/* timchat-window.c */
void _timchat_window_show_welcome (TimchatWindow *self);
/* Closes every window opened over the window (transient for it, or for one over it): its
 * dialogs, viewers and choosers. */
void _timchat_window_close_windows_over (TimchatWindow *self);
/* The chat page shows, for a logged-in client: what the chat page's actions (its keys, its
 * menus) act on is there. */
gboolean _timchat_window_is_chatting (TimchatWindow *self);
/* The open conversation's ID, or NULL. */
const char *_timchat_window_get_open_id (TimchatWindow *self);

/* timchat-window.c: the header shows conversation's name and state, and follows them. */
void _timchat_window_follow_in_header (TimchatWindow *self, TimConversation *conversation);
/* timchat-window-login.c: reads the stored login, then logs in with it or shows the welcome
 * page. */
void _timchat_window_load_login (TimchatWindow *self);
/* The account's session in the window is over (Log Out, a kick, a relogin refused): its open
 * conversation closes (its draft kept), what was opened over the window for it closes, its
 * client logs out, and the welcome page shows. */
void _timchat_window_end_session (TimchatWindow *self);

G_END_DECLS
