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

  TimClient *client;
  char *group_id;
  char *group_name;
  GPtrArray *members; /* TimGroupMember, as last loaded; NULL before */
  GCancellable *cancellable;
};

/* timchat-group-dialog.c */
void _timchat_group_dialog_load_members (TimchatGroupDialog *self);
void _timchat_group_dialog_toast_error (TimchatGroupDialog *self, const GError *error);
const char *_timchat_group_dialog_role_text (const char *role);

/* timchat-group-dialog-members.c */
/* The "…" button of a member's row with what my_role may do to member, or NULL for nothing;
 * title: the row's, for its accessible name. */
GtkWidget *_timchat_group_dialog_member_actions (const char *my_role, const TimGroupMember *member,
                                                 const char *title);
void _timchat_group_dialog_class_init_members (GtkWidgetClass *widget_class);

G_END_DECLS
