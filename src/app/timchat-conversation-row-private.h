/* timchat-conversation-row-private.h: TimchatConversationRow's fields, shared by
 * timchat-conversation-row.c and timchat-conversation-row-marks.c. */
#pragma once

#include <adwaita.h>

#include "timchat-conversation-row.h"

G_BEGIN_DECLS

struct _TimchatConversationRow
{
  GtkWidget parent_instance;

  AdwAvatar *avatar;
  GtkBox *top_box;
  GtkLabel *name_label;
  GtkWidget *pin_icon;       /* made when first pinned */
  GtkWidget *muted_icon;     /* made when first muted */
  GtkWidget *discarded_icon; /* made when its messages are first not received */
  GtkWidget *online_dot;     /* made when the peer is first online */
  GtkLabel *time_label;
  GtkBox *bottom_box;
  GtkLabel *preview_label;
  GtkWidget *mention_label; /* "[@Me]" before the preview, made when first mentioned */
  GtkWidget *draft_label;   /* "[Draft]" before the draft, made when first needed */
  GtkWidget *unread_label;  /* made when first unread */
  GtkWidget *popover;       /* the context menu, made when first opened */

  TimConversation *conversation;
  TimMessage *last_message; /* watched for recalls */
  char *me;
};

/* The pin, muted and not-receiving icons, the online dot, the mention, the draft mark (when
 * draft_shown) and the unread badge, as the conversation is now. */
void _timchat_conversation_row_show_marks (TimchatConversationRow *self, gboolean draft_shown);

G_END_DECLS
