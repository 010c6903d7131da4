/* timchat-mention-popover.h: the composer's @-mention list for a group: "Everyone" first, then
 * the group's members (not the user themself), filtered by what follows the "@". It never takes
 * the keyboard focus: the composer keeps typing and moves the selection with Up and Down. */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_MENTION_POPOVER (timchat_mention_popover_get_type ())
G_DECLARE_FINAL_TYPE (TimchatMentionPopover, timchat_mention_popover, TIMCHAT, MENTION_POPOVER,
                      GtkPopover)

/* Signal "member-chosen" (const char *user_id, const char *name): a row was clicked or
 * timchat_mention_popover_choose () was called; user_id is TIM_AT_ALL for "Everyone", name is
 * what the row shows. Properties: "query" (read-write), "n-matches" (read-only). */
GtkWidget *timchat_mention_popover_new (void);
/* The group whose members it lists (NULL: none). Its members are fetched when the popover is
 * first given a query, once; changing the group cancels a fetch still running. */
/* The members are fetched again at the next query (someone may have joined or left). */
void timchat_mention_popover_refresh (TimchatMentionPopover *self);
void timchat_mention_popover_set_group (TimchatMentionPopover *self, TimClient *client,
                                        const char *group_id);
/* What was typed after the "@": rows whose name or user ID holds it, case aside. The first row
 * is selected. */
void timchat_mention_popover_set_query (TimchatMentionPopover *self, const char *query);
const char *timchat_mention_popover_get_query (TimchatMentionPopover *self);
guint timchat_mention_popover_get_n_matches (TimchatMentionPopover *self);
/* Moves the selection by delta rows (Up: -1, Down: +1), wrapping around. */
void timchat_mention_popover_move (TimchatMentionPopover *self, int delta);
/* Emits "member-chosen" for the selected row; FALSE when no row matches. */
gboolean timchat_mention_popover_choose (TimchatMentionPopover *self);

G_END_DECLS
