/* timchat-preview-sheet.h: what a paste or a drop is about to send (an image, or files), with
 * Send and Cancel. Emits "response" (gboolean send) once. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_PREVIEW_SHEET (timchat_preview_sheet_get_type ())
G_DECLARE_FINAL_TYPE (TimchatPreviewSheet, timchat_preview_sheet, TIMCHAT, PREVIEW_SHEET, AdwWindow)

/* texture or files (a GListModel of GFile), one of them. */
TimchatPreviewSheet *timchat_preview_sheet_new (GtkWindow *parent, GdkTexture *texture,
                                                GListModel *files);
GdkTexture *timchat_preview_sheet_get_texture (TimchatPreviewSheet *self);
GListModel *timchat_preview_sheet_get_files (TimchatPreviewSheet *self);
/* Same as pressing the buttons (tests, keyboard). */
void timchat_preview_sheet_respond (TimchatPreviewSheet *self, gboolean send);

G_END_DECLS
