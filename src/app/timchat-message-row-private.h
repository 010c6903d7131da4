/* timchat-message-row-private.h: shared by timchat-message-row.c, its sending state
 * (timchat-message-row-state.c), its selection mode (timchat-message-row-select.c) and its menu. */
#pragma once

#include <adwaita.h>

#include "timchat-message-row.h"

G_BEGIN_DECLS

struct _TimchatMessageRow
{
  GtkWidget parent_instance;

  /* Children, placed by timchat-message-row-layout.c */
  GtkWidget *beginning; /* the notes above: made when first shown, like */
  GtkWidget *unread;
  GtkLabel *day_label; /* made when first shown (timchat-message-row-parts.c), like */
  GtkLabel *tip_label;
  GtkWidget *application; /* an application's answer under its tip: made when first shown */
  AdwAvatar *avatar;      /* these two */
  GtkWidget *column;
  GtkLabel *sender_label;
  GtkWidget *bubble;
  GtkWidget *footer;
  GtkWidget *upload_box; /* made on the first upload (timchat-message-row-state.c) */
  GtkProgressBar *upload_bar;
  GtkLabel *upload_label;
  GtkImage *status_icon; /* made when first shown (timchat-message-row-state.c) */
  GtkLabel *time_label;
  GtkLabel *edited_label;  /* "edited", before the time: made when first shown */
  GtkLabel *receipt_label; /* likewise */
  GtkWidget *error_box;    /* made on the first failure */
  GtkLabel *error_label;
  GtkWidget *popover;
  GtkWidget *check; /* selection mode's check button: made when first shown */

  TimMessage *message;
  char *me; /* the signed-in user, whom tips about them call "you" */
  GtkWidget *content;
  GtkWidget *quote;    /* above the content in a reply's bubble (timchat-message-quote.c) */
  guint flash_timeout; /* while highlighted as the original a quote led to */
  gboolean is_group;
  gboolean first_of_run; /* shows the sender in groups */
  int recall_seconds;
  gboolean media_inactive;
  gboolean align_end; /* own messages: the column at the row's end */
  gboolean selecting; /* the conversation view is in selection mode */
  gboolean selected;
  int top; /* space above: more before the first message of a run */
};

static inline gboolean
_timchat_message_row_is_mine (TimMessage *message)
{
  return g_strcmp0 (tim_message_get_flow (message), "out") == 0;
}

static inline gint64
_timchat_message_row_time (TimMessage *message)
{
  gint64 time = tim_message_get_time (message);

  return time > 0 ? time : tim_message_get_client_time (message);
}

/* Group tips, system notices and recalled messages: a centred line instead of a bubble. */
static inline gboolean
_timchat_message_row_is_tip (TimMessage *message)
{
  TimElemType type = tim_message_get_elem_type (message);

  return type == TIM_ELEM_GROUP_TIP || type == TIM_ELEM_GROUP_SYSTEM_NOTICE ||
         tim_message_get_is_revoked (message);
}

/* The parts most rows never show, made on first use and kept. */
GtkLabel *_timchat_message_row_ensure_day_label (TimchatMessageRow *self);
GtkLabel *_timchat_message_row_ensure_tip_label (TimchatMessageRow *self);
GtkWidget *_timchat_message_row_ensure_beginning (TimchatMessageRow *self);
GtkWidget *_timchat_message_row_ensure_unread (TimchatMessageRow *self);
/* The avatar and the sender's name of the first message of a run in a group. */
void _timchat_message_row_ensure_sender (TimchatMessageRow *self);

/* GtkWidget::measure and ::size_allocate of the row. */
void _timchat_message_row_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                                   int *minimum, int *natural, int *minimum_baseline,
                                   int *natural_baseline);
void _timchat_message_row_allocate (GtkWidget *widget, int width, int height, int baseline);

/* Selection mode: the check button shown (selecting, and a message that can be selected) or not,
 * as the view and the message say now. */
void _timchat_message_row_update_check (TimchatMessageRow *self);
/* The room before the column that the check button takes (0 when hidden); its width in *width. */
int _timchat_message_row_check_room (TimchatMessageRow *self, int *width);

/* An application to join a group: Accept and Decline, or the answer (hidden for any other
 * message). */
void _timchat_message_row_update_application (TimchatMessageRow *self);

/* Sending state, time and receipt: what changes while a message is sent and read. */
void _timchat_message_row_update_state (TimchatMessageRow *self);
/* Ends the highlight of timchat_message_row_flash (unbinding, dispose). */
void _timchat_message_row_stop_flash (TimchatMessageRow *self);

/* The context menu for message as of now: Reply (sent messages), Copy (text), Edit (own sent
 * texts), View Chat History (merged messages), Open and Save As… (media and files), Forward…,
 * Select (what can be selected), Recall (own sent messages younger than recall_seconds), Delete
 * for Me…. Items target "conversation.*" with the message ID. */
/* selected: the part of the text selected in the row, or NULL: Copy copies it, not the whole. */
GMenuModel *_timchat_message_row_build_menu (TimMessage *message, int recall_seconds,
                                             const char *selected);
/* The "row.menu" action (Menu, Shift+F10) and the gestures that open the menu: right click and
 * long press. */
void _timchat_message_row_class_init_menu (GtkWidgetClass *widget_class);
void _timchat_message_row_init_menu (TimchatMessageRow *self);

G_END_DECLS
