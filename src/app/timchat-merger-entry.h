/* timchat-merger-entry.h: one message of a chat history in TimchatMergerViewer: the day above the
 * first of a day, the sender's picture and name, the time, and what it says or holds (the widget
 * a bubble would show: timchat_message_content_new). */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_MERGER_ENTRY (timchat_merger_entry_get_type ())
G_DECLARE_FINAL_TYPE (TimchatMergerEntry, timchat_merger_entry, TIMCHAT, MERGER_ENTRY, GtkWidget)

GtkWidget *timchat_merger_entry_new (void);
/* previous: the entry above (NULL at the top), for the day. */
void timchat_merger_entry_bind (TimchatMergerEntry *self, TimMessage *message,
                                TimMessage *previous);
void timchat_merger_entry_unbind (TimchatMergerEntry *self);
TimMessage *timchat_merger_entry_get_message (TimchatMergerEntry *self);

G_END_DECLS
