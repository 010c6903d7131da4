/* timchat-preview-sheet.c: placeholder until its owner writes it. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-preview-sheet.h"

struct _TimchatPreviewSheet
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (TimchatPreviewSheet, timchat_preview_sheet, ADW_TYPE_WINDOW)

static void
timchat_preview_sheet_class_init (TimchatPreviewSheetClass *klass)
{
}

static void
timchat_preview_sheet_init (TimchatPreviewSheet *self)
{
}

TimchatPreviewSheet *
timchat_preview_sheet_new (GtkWindow *parent, GdkTexture *texture, GListModel *files)
{
  return g_object_new (TIMCHAT_TYPE_PREVIEW_SHEET, "transient-for", parent, NULL);
}

GdkTexture *
timchat_preview_sheet_get_texture (TimchatPreviewSheet *self)
{
  return NULL;
}

GListModel *
timchat_preview_sheet_get_files (TimchatPreviewSheet *self)
{
  return NULL;
}

void
timchat_preview_sheet_respond (TimchatPreviewSheet *self, gboolean send)
{
}
