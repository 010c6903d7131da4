/* timchat-group-dialog-private.h: the group dialog's state, shared by timchat-group-dialog.c (the
 * list, adding, leaving, dismissing) and timchat-group-dialog-members.c (what is done to one
 * member: admin role, removal). */
#pragma once

#include "timchat-group-dialog.h"

G_BEGIN_DECLS

struct _TimchatGroupDialog
{
  AdwPreferencesWindow parent_instance;

  GtkWidget *add_button;
  GtkWidget *leave_button;
  GtkWidget *dismiss_button;
  GtkStack *members_stack;
  GtkListBox *member_list;
  GtkLabel *failure_label;
  AdwAvatar *group_avatar;
  GtkWidget *picture_button;
  AdwEntryRow *name_row;
  AdwActionRow *announcement_row;
  GtkWidget *announcement_button;
  AdwActionRow *introduction_row;
  GtkWidget *introduction_button;
  GtkSwitch *mute_switch;
  AdwEntryRow *name_card_row;
  GtkWidget *requests_group;
  GtkListBox *request_list;
  gboolean showing_mute; /* the switch is being set to the group's state, not by the user */

  TimClient *client;
  char *group_id;
  GPtrArray *members;             /* TimGroupMember, as last loaded; NULL before */
  GHashTable *online;             /* user ID -> custom status, of members online; NULL: not known */
  GStrv followed;                 /* the members subscribed to while the dialog is open */
  guint reload_idle;              /* a tip about the members came: load them again */
  GPtrArray *requests;            /* TimGroupApplication to this group, as last loaded */
  GCancellable *requests_loading; /* the load of the requests under way, or NULL */
  TimConversation *conversation;  /* the group's, once known: its name and picture */
  GCancellable *cancellable;
};

/* timchat-group-dialog.c */
void _timchat_group_dialog_load_members (TimchatGroupDialog *self);
/* The member list again, as the dialog knows it now. */
void _timchat_group_dialog_show_members (TimchatGroupDialog *self);
void _timchat_group_dialog_toast_error (TimchatGroupDialog *self, const GError *error);
const char *_timchat_group_dialog_role_text (const char *role);
/* Under a member's name: their role, and until when they are muted while they are. */
char *_timchat_group_dialog_member_subtitle (const TimGroupMember *member);
/* The group's name as the dialog shows it in its title (its ID until the name is known). */
const char *_timchat_group_dialog_get_name (TimchatGroupDialog *self);
/* The signed-in user's membership, or NULL (not loaded, or not a member). */
const TimGroupMember *_timchat_group_dialog_find_me (TimchatGroupDialog *self);
/* user_id's membership, or NULL (not loaded, or not a member). */
const TimGroupMember *_timchat_group_dialog_find_member (TimchatGroupDialog *self,
                                                         const char *user_id);

/* timchat-group-dialog-members.c */
/* The "…" button of a member's row with what my_role may do to member, or NULL for nothing;
 * title: the row's, for its accessible name. */
GtkWidget *_timchat_group_dialog_member_actions (const char *my_role, const TimGroupMember *member,
                                                 const char *title);
void _timchat_group_dialog_class_init_members (GtkWidgetClass *widget_class);
/* Asks which members are online (once loaded), subscribes to them (the first 100) while the
 * dialog is open, and follows what the client hears of them; unfollow undoes the subscription
 * (a reload, the dialog closing). */
void _timchat_group_dialog_load_presence (TimchatGroupDialog *self);
void _timchat_group_dialog_unfollow_members (TimchatGroupDialog *self);
/* A green dot for member's row while they are online, else NULL. */
GtkWidget *_timchat_group_dialog_presence_dot (TimchatGroupDialog *self,
                                               const TimGroupMember *member);

/* timchat-group-dialog-requests.c: the applications to join the group that wait, for its owner
 * and admins, each with Accept and Decline…. load asks for them again (the members loaded, a
 * notice or tip of the group came); it hides them from anyone else. */
void _timchat_group_dialog_load_requests (TimchatGroupDialog *self);
void _timchat_group_dialog_class_init_requests (GtkWidgetClass *widget_class);

/* timchat-group-dialog-profile.c: the group's picture, name, announcement and mute-all, changed
 * by whom may; and the user's own name in the group. */
/* Shows conversation's name and picture from now on (and in the window's title). */
void _timchat_group_dialog_show_profile (TimchatGroupDialog *self, TimConversation *conversation);
/* Offers the changes when the user may make them: the picture, name, announcement and Add
 * Members to any member of a Private (Work) group and to the owner and admins of the others,
 * mute-all to the
 * owner and admins, their own name in the group to every member; called when the members or the
 * group's type are known. */
void _timchat_group_dialog_update_editable (TimchatGroupDialog *self);
void _timchat_group_dialog_class_init_profile (GtkWidgetClass *widget_class);

G_END_DECLS
