/* timchat-preview-sheet.c: a modal sheet showing what a paste (an image) or a drop (files) is
 * about to send. Cancel/Escape and Send/Enter answer "response" once; closing the window counts
 * as Cancel. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-preview-sheet.h"
#include "timchat-resources.h"

struct _TimchatPreviewSheet
{
  AdwWindow parent_instance;

  AdwWindowTitle *title;
  GtkStack *stack;
  GtkPicture *picture;
  GtkLabel *size_label;
  GtkListBox *file_list;

  GdkTexture *texture;
  GListModel *files;
  GCancellable *cancellable;
  gboolean responded;
};

G_DEFINE_FINAL_TYPE (TimchatPreviewSheet, timchat_preview_sheet, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_TEXTURE,
  PROP_FILES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_RESPONSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_file_info (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (AdwActionRow) row = user_data;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *size = NULL;
  GtkImage *icon;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (info == NULL)
    {
      /* Cancelled: the sheet is gone. Otherwise say why this one cannot be read. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (row, error->message);
      return;
    }
  icon = g_object_get_data (G_OBJECT (row), "icon");
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_ICON))
    gtk_image_set_from_gicon (icon, g_file_info_get_icon (info));
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      size = g_format_size (g_file_info_get_size (info));
      adw_action_row_set_subtitle (row, size);
    }
}

static GtkWidget *
file_row (TimchatPreviewSheet *self, GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("text-x-generic");

  /* The name shows at once; icon and size follow from the file's info. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  gtk_image_set_icon_size (GTK_IMAGE (icon), GTK_ICON_SIZE_LARGE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_ICON "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                           on_file_info, g_object_ref (row));
  return row;
}

static void
show_content (TimchatPreviewSheet *self)
{
  if (self->texture != NULL)
    {
      int width = gdk_texture_get_width (self->texture);
      int height = gdk_texture_get_height (self->texture);
      g_autofree char *size = g_strdup_printf (_ ("%d × %d pixels"), width, height);

      adw_window_title_set_title (self->title, _ ("Send Image"));
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->texture));
      gtk_label_set_label (self->size_label, size);
      gtk_stack_set_visible_child_name (self->stack, "image");
    }
  else if (self->files != NULL)
    {
      guint n = g_list_model_get_n_items (self->files);
      g_autofree char *title = g_strdup_printf (ngettext ("Send %u File", "Send %u Files", n), n);

      adw_window_title_set_title (self->title, title);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (self->files, i);
          gtk_list_box_append (self->file_list, file_row (self, file));
        }
      gtk_stack_set_visible_child_name (self->stack, "files");
    }
}

void
timchat_preview_sheet_respond (TimchatPreviewSheet *self, gboolean send)
{
  g_return_if_fail (TIMCHAT_IS_PREVIEW_SHEET (self));

  if (self->responded)
    return;
  self->responded = TRUE;
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_RESPONSE], 0, send);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
respond_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  timchat_preview_sheet_respond (TIMCHAT_PREVIEW_SHEET (widget),
                                 g_str_equal (action_name, "sheet.send"));
}

static gboolean
timchat_preview_sheet_close_request (GtkWindow *window)
{
  TimchatPreviewSheet *self = TIMCHAT_PREVIEW_SHEET (window);

  /* The window manager's close (or Alt+F4) is a Cancel. */
  if (!self->responded)
    {
      self->responded = TRUE;
      g_signal_emit (self, signals[SIGNAL_RESPONSE], 0, FALSE);
    }
  return GTK_WINDOW_CLASS (timchat_preview_sheet_parent_class)->close_request (window);
}

static void
timchat_preview_sheet_constructed (GObject *object)
{
  G_OBJECT_CLASS (timchat_preview_sheet_parent_class)->constructed (object);
  show_content (TIMCHAT_PREVIEW_SHEET (object));
}

static void
timchat_preview_sheet_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  TimchatPreviewSheet *self = TIMCHAT_PREVIEW_SHEET (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_FILES:
      g_value_set_object (value, self->files);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_preview_sheet_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  TimchatPreviewSheet *self = TIMCHAT_PREVIEW_SHEET (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      self->texture = g_value_dup_object (value);
      break;
    case PROP_FILES:
      self->files = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_preview_sheet_dispose (GObject *object)
{
  TimchatPreviewSheet *self = TIMCHAT_PREVIEW_SHEET (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_PREVIEW_SHEET);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->texture);
  g_clear_object (&self->files);

  G_OBJECT_CLASS (timchat_preview_sheet_parent_class)->dispose (object);
}

static void
timchat_preview_sheet_class_init (TimchatPreviewSheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  timchat_ensure_resources ();

  object_class->constructed = timchat_preview_sheet_constructed;
  object_class->dispose = timchat_preview_sheet_dispose;
  object_class->get_property = timchat_preview_sheet_get_property;
  object_class->set_property = timchat_preview_sheet_set_property;
  window_class->close_request = timchat_preview_sheet_close_request;

  properties[PROP_TEXTURE] =
      g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILES] =
      g_param_spec_object ("files", NULL, NULL, G_TYPE_LIST_MODEL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* response (gboolean send): once per sheet, just before it closes. */
  signals[SIGNAL_RESPONSE] = g_signal_new ("response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-preview-sheet.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatPreviewSheet, title);
  gtk_widget_class_bind_template_child (widget_class, TimchatPreviewSheet, stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatPreviewSheet, picture);
  gtk_widget_class_bind_template_child (widget_class, TimchatPreviewSheet, size_label);
  gtk_widget_class_bind_template_child (widget_class, TimchatPreviewSheet, file_list);

  gtk_widget_class_install_action (widget_class, "sheet.cancel", NULL, respond_action);
  gtk_widget_class_install_action (widget_class, "sheet.send", NULL, respond_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "sheet.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "sheet.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "sheet.send", NULL);
}

static void
timchat_preview_sheet_init (TimchatPreviewSheet *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

TimchatPreviewSheet *
timchat_preview_sheet_new (GtkWindow *parent, GdkTexture *texture, GListModel *files)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail ((texture == NULL) != (files == NULL), NULL);

  return g_object_new (TIMCHAT_TYPE_PREVIEW_SHEET, "transient-for", parent, "texture", texture,
                       "files", files, NULL);
}

GdkTexture *
timchat_preview_sheet_get_texture (TimchatPreviewSheet *self)
{
  g_return_val_if_fail (TIMCHAT_IS_PREVIEW_SHEET (self), NULL);
  return self->texture;
}

GListModel *
timchat_preview_sheet_get_files (TimchatPreviewSheet *self)
{
  g_return_val_if_fail (TIMCHAT_IS_PREVIEW_SHEET (self), NULL);
  return self->files;
}
