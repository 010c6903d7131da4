/* timchat-reply-memory.h: the answers each login was given lately, by request (servcmd + seq).
 * The Web SDK sends every request still unanswered again when its socket comes back, with the
 * same servcmd and seq, under the same login ticket (tim-sdk-facts.md §9.4): one whose answer
 * was lost with the old socket was done already, and is answered again from here rather than
 * done twice. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_REPLY_MEMORY (timchat_reply_memory_get_type ())
G_DECLARE_FINAL_TYPE (TimchatReplyMemory, timchat_reply_memory, TIMCHAT, REPLY_MEMORY, GObject)

TimchatReplyMemory *timchat_reply_memory_new (void);
/* Keeps reply (the whole frame) as the answer to servcmd + seq under the ticket a2, for as long
 * as the SDK may send the request again. */
void timchat_reply_memory_remember (TimchatReplyMemory *self, const char *a2, const char *servcmd,
                                    gint64 seq, GBytes *reply);
/* (transfer full) (nullable): the answer kept for that request, if any. */
GBytes *timchat_reply_memory_recall (TimchatReplyMemory *self, const char *a2, const char *servcmd,
                                     gint64 seq);
/* Drops the answer kept for that request (what it did was not stored after all). */
void timchat_reply_memory_forget (TimchatReplyMemory *self, const char *a2, const char *servcmd,
                                  gint64 seq);

G_END_DECLS
