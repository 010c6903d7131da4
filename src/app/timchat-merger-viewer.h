/* timchat-merger-viewer.h: a window with the messages a forwarded chat history (a merged message)
 * carries: who sent each, when, and what (with the bubbles' own content widgets), fetched through
 * libtim; a spinner while it comes, the error and Retry when it cannot. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_MERGER_VIEWER (timchat_merger_viewer_get_type ())
G_DECLARE_FINAL_TYPE (TimchatMergerViewer, timchat_merger_viewer, TIMCHAT, MERGER_VIEWER, AdwWindow)

/* parent: (nullable) the window it belongs to; message: a TIM_ELEM_RELAY message. */
GtkWidget *timchat_merger_viewer_new (GtkWindow *parent, TimClient *client, TimMessage *message);
/* The viewer of message over parent brought to the front, or a new one shown (a double click
 * asks twice). Returns it. */
TimchatMergerViewer *timchat_merger_viewer_present (GtkWindow *parent, TimClient *client,
                                                    TimMessage *message);
TimMessage *timchat_merger_viewer_get_message (TimchatMergerViewer *self);
/* What it shows: "loading", "error" or "list". */
const char *timchat_merger_viewer_get_page (TimchatMergerViewer *self);
/* The messages shown, in order (empty until they are there). */
GListModel *timchat_merger_viewer_get_entries (TimchatMergerViewer *self);

G_END_DECLS
