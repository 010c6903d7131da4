/* timchat-format.h: how rows show times, days, durations and transfer sizes, and how a list of
 * user IDs typed by people is read. */
#pragma once

#include <glib.h>

#include "tim-client.h"
#include "tim-message.h"

G_BEGIN_DECLS

/* Conversation list: "14:05" today, the weekday within the last (or next) week, else the date. */
char *timchat_format_list_time (gint64 unix_time);
/* Until when something lasts (a mute): "14:05" today, "Tue 14:05" within a week, else the date
 * and the clock; the clock always, as the end of a mute is a moment, not a day. */
char *timchat_format_until (gint64 unix_time);
/* Day separators: "Today", "Yesterday", else the date. */
char *timchat_format_day (gint64 unix_time);
/* "14:05". */
char *timchat_format_clock (gint64 unix_time);
/* "1:05" (m:ss). */
char *timchat_format_duration (gint64 seconds);
/* "1.2 MB of 5.0 MB". */
char *timchat_format_transfer (goffset done, goffset total);
gboolean timchat_format_same_day (gint64 a, gint64 b);
/* Loads the local time zone again on the next call (it is otherwise kept for a minute). */
void timchat_format_forget_zone (void);
/* "bob, carol；dave" -> {"bob", "carol", "dave"}: commas of any script ("，" and "、" are what
 * Chinese keyboards type), semicolons and spaces separate; empty items are dropped. */
GStrv timchat_parse_user_ids (const char *text);

/* text as Pango markup for a search result, escaped, each match of keyword (case-insensitive
 * for ASCII letters) in bold; a long text starts a little before its first match, after "…". */
char *timchat_search_markup (const char *text, const char *keyword);
/* Who wrote message, before its text in a one-line summary (the conversation list, search
 * results): "You: " for the user me's own, "Name: " in a group (not before a tip), nothing in a
 * one-to-one conversation, whose name says who. */
char *timchat_format_sender_prefix (TimMessage *message, const char *me);
/* text as Pango markup with its web links (http://, https://, www.) as <a href> links, or NULL
 * when it has none (show it as plain text). Punctuation right after a link is not part of it. */
char *timchat_link_markup (const char *text);

/* A person's name as their one-to-one conversation knows it (their nickname once fetched), else
 * their user ID. */
const char *timchat_format_person_name (TimClient *client, const char *user_id);

G_END_DECLS
