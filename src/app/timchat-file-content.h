/* timchat-file-content.h: a file message: icon, name, size and a Download button with progress
 * (and cancel); once on disk, Open and Open Folder. */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_FILE_CONTENT (timchat_file_content_get_type ())
G_DECLARE_FINAL_TYPE (TimchatFileContent, timchat_file_content, TIMCHAT, FILE_CONTENT, GtkWidget)

GtkWidget *timchat_file_content_new (TimMessage *message);
/* Downloads the file into the Downloads folder under its own name, or shows the download of it
 * already under way or done (Save As is the conversation view's). */
void timchat_file_content_download (TimchatFileContent *self);
/* (nullable) (transfer none) the file on disk once downloaded (or the sender's own file). */
GFile *timchat_file_content_get_file (TimchatFileContent *self);

G_END_DECLS
