/* timchat-message-row-private.h: shared by timchat-message-row.c and its menu. */
#pragma once

#include "timchat-message-row.h"

G_BEGIN_DECLS

/* The context menu for message as of now: Copy (text), Open and Save As… (media and files),
 * Recall (own sent messages younger than recall_seconds). Items target "conversation.*" with
 * the message ID. */
GMenuModel *_timchat_message_row_build_menu (TimMessage *message, int recall_seconds);

G_END_DECLS
