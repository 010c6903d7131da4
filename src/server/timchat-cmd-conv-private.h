/* timchat-cmd-conv-private.h: the conversation-list code the WebSocket commands
 * (timchat-cmd-conv.c) and the REST commands (timchat-cmd-conv-admin.c) share. */
#pragma once

#include "timchat-commands-private.h"

G_BEGIN_DECLS

typedef enum
{
  TIMCHAT_CONV_PAGE_REST = 1 << 0,       /* REST SessionItem fields instead of the SDK's */
  TIMCHAT_CONV_PAGE_SKIP_EMPTY = 1 << 1, /* leave out conversations without a message */
} TimchatConvPageFlags;

/* One page of owner's conversations from position start: SessionItem, CompleteFlag and the
 * cursors (StartIndex is the position of the next page). */
JsonObject *_timchat_conv_page (TimchatRequest *request, const char *owner, gint64 start,
                                TimchatConvPageFlags flags);
/* Hides one conversation (type 1 C2C, 2 group) and keeps its messages; 10004 for a bad type or
 * peer, 2500 when owner has no such conversation. */
gboolean _timchat_conv_delete (TimchatRequest *request, const char *owner, gint64 type,
                               const char *peer, GError **error);

G_END_DECLS
