/* timchat-search-results.h: the messages of a conversation (or of all of them) that say what was
 * typed, as libtim finds them in what this device has seen, newest first: each with its sender
 * (or its conversation), its time and the words around the match, the match in bold. "No
 * Messages Found" when there are none. */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_SEARCH_RESULTS (timchat_search_results_get_type ())
G_DECLARE_FINAL_TYPE (TimchatSearchResults, timchat_search_results, TIMCHAT, SEARCH_RESULTS,
                      GtkWidget)

GtkWidget *timchat_search_results_new (void);
/* Searches conversation_id (NULL: every conversation) for keyword (the previous search is
 * cancelled); a blank keyword clears the results. */
void timchat_search_results_search (TimchatSearchResults *self, TimClient *client,
                                    const char *conversation_id, const char *keyword);
void timchat_search_results_clear (TimchatSearchResults *self);
/* The results (a GListModel of TimMessage, newest first). */
GListModel *timchat_search_results_get_model (TimchatSearchResults *self);
/* What the last search looks for (white space stripped); NULL when cleared. */
const char *timchat_search_results_get_keyword (TimchatSearchResults *self);
/* "3 messages", "No Messages Found", or "" before a search has answered. */
const char *timchat_search_results_get_summary (TimchatSearchResults *self);
/* Moves the selection delta results down (older); FALSE when there are none. */
gboolean timchat_search_results_move (TimchatSearchResults *self, int delta);
/* Emits ::message-activated for the selected result; FALSE when there is none. While a search is
 * under way, for its first result once it has answered (nothing if it finds none): TRUE. */
gboolean timchat_search_results_activate_selected (TimchatSearchResults *self);
guint timchat_search_results_get_selected (TimchatSearchResults *self);

G_END_DECLS
