/* timchat-download.h: a message's file being saved to the user's disk, kept apart from the row
 * that shows it. List rows are recycled as the user scrolls, and a conversation's rows go when
 * another one opens: the download goes on, and a row bound to the same file again shows it where
 * it is. One per URL for the whole process; a finished one stays, so every row of that file
 * offers Open. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_DOWNLOAD (timchat_download_get_type ())
G_DECLARE_FINAL_TYPE (TimchatDownload, timchat_download, TIMCHAT, DOWNLOAD, GObject)

/* The download of url under way or done (transfer none), else NULL. */
TimchatDownload *timchat_download_lookup (const char *url);
/* Starts saving url in the Downloads folder under name, or "name (2).ext" and so on if that is
 * taken (also when a file is put there while it comes); the one under way or done if there is
 * one (transfer none). */
TimchatDownload *timchat_download_start (const char *url, const char *name);
/* Stops it: the part saved so far goes, and the URL can be downloaded again at once. */
void timchat_download_cancel (TimchatDownload *self);

gboolean timchat_download_get_running (TimchatDownload *self);
goffset timchat_download_get_received (TimchatDownload *self);
/* The size the server announced; 0 while unknown. */
goffset timchat_download_get_total (TimchatDownload *self);
/* The saved file once done, else NULL. */
GFile *timchat_download_get_file (TimchatDownload *self);
/* Why it failed, in words, else NULL (a cancelled one did not fail). */
const char *timchat_download_get_error (TimchatDownload *self);

G_END_DECLS
