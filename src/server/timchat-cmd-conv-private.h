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
/* The Event of the push that tells a user's other devices of a change to their list (ours: the
 * vendor's number is not recorded, and the SDK goes by the item's RecentContactMod key). */
#define TIMCHAT_EVENT_LIST_CHANGE 12

/* Its PushType, as the SDK reads it. */
typedef enum
{
  TIMCHAT_LIST_DELETED = 1,
  TIMCHAT_LIST_PINNED = 2,
  TIMCHAT_LIST_UNPINNED = 3,
  TIMCHAT_LIST_MARKED = 4,
} TimchatListChange;

/* A conversation as the SDK names one in a list: {Type:1, To_Account} or {Type:2, GroupId} (the
 * SDK's deleteConversation spells it ToGroupid, markConversation ToGroupId); NULL peer when there
 * is none. */
gint64 _timchat_contact_item (JsonObject *item, const char **peer);
/* The conversation as the SDK's RecentContactMod pushes name it: {Type:1, UserId} or
 * {Type:2, GroupId}. */
JsonObject *_timchat_recent_contact_item (gint64 type, const char *peer);

/* Hides one conversation (type 1 C2C, 2 group) and keeps its messages, and tells owner's other
 * devices; 10004 for a bad type or peer, 2500 when owner has no such conversation. */
gboolean _timchat_conv_delete (TimchatRequest *request, const char *owner, gint64 type,
                               const char *peer, GError **error);

G_END_DECLS
