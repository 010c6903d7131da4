/* timchat-file-content.c: a file message's row content: its name and size, and Download, a
 * download's progress with Cancel, or Open and Open Folder. The download is a TimchatDownload, not
 * the row's: it goes on when the row is recycled or its conversation closed, and a row bound to
 * the same file again shows it under way, or Open once it is done. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-download.h"
#include "timchat-file-content.h"
#include "timchat-format.h"

struct _TimchatFileContent
{
  GtkWidget parent_instance;

  TimMessage *message;
  GtkWidget *box;
  GtkWidget *size_label;
  GtkWidget *stack;
  GtkWidget *progress_bar;
  goffset size;
  TimchatDownload *download; /* the one shown, under way or done; NULL before any */
  GCancellable *cancellable; /* opening the file in an application */
};

G_DEFINE_FINAL_TYPE (TimchatFileContent, timchat_file_content, GTK_TYPE_WIDGET)

GFile *
timchat_file_content_get_file (TimchatFileContent *self)
{
  GFile *local = tim_message_get_local_file (self->message);
  GFile *downloaded = self->download != NULL ? timchat_download_get_file (self->download) : NULL;

  if (local != NULL && g_file_query_exists (local, NULL))
    return local;
  return downloaded;
}

static void
show_state (TimchatFileContent *self)
{
  g_autofree char *size = g_format_size (self->size);

  gtk_label_set_text (GTK_LABEL (self->size_label), size);
  gtk_stack_set_visible_child_name (
      GTK_STACK (self->stack), timchat_file_content_get_file (self) != NULL ? "open" : "download");
}

static void
show_progress (TimchatFileContent *self)
{
  goffset received = timchat_download_get_received (self->download);
  goffset total = timchat_download_get_total (self->download);
  g_autofree char *text = NULL;

  if (total <= 0)
    total = self->size;
  text = timchat_format_transfer (received, total);
  gtk_label_set_text (GTK_LABEL (self->size_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 total > 0 ? CLAMP ((double) received / total, 0.0, 1.0) : 0.0);
}

static void unwatch (TimchatFileContent *self);

/* Progress while it runs; then Open, or Download again (with why, when it failed). A download
 * that did not end with its file is let go: the next Download starts another. */
static void
on_download_changed (TimchatFileContent *self)
{
  g_autofree char *error = NULL;

  if (timchat_download_get_running (self->download))
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "progress");
      show_progress (self);
      return;
    }
  error = g_strdup (timchat_download_get_error (self->download));
  if (timchat_download_get_file (self->download) == NULL)
    unwatch (self);
  show_state (self);
  if (error != NULL)
    gtk_label_set_text (GTK_LABEL (self->size_label), error);
}

static void
watch (TimchatFileContent *self, TimchatDownload *download)
{
  unwatch (self);
  self->download = g_object_ref (download);
  g_signal_connect_object (download, "notify", G_CALLBACK (on_download_changed), self,
                           G_CONNECT_SWAPPED);
  on_download_changed (self);
}

static void
unwatch (TimchatFileContent *self)
{
  if (self->download == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->download, self);
  g_clear_object (&self->download);
}

void
timchat_file_content_download (TimchatFileContent *self)
{
  const char *url = tim_message_get_media_url (self->message);

  if (url == NULL || *url == '\0')
    return;
  /* One under way or done is shown; else a new one, under a name not taken in Downloads. */
  watch (self, timchat_download_start (url, tim_message_get_file_name (self->message)));
}

static void
download_clicked_cb (TimchatFileContent *self)
{
  timchat_file_content_download (self);
}

static void
cancel_clicked_cb (TimchatFileContent *self)
{
  if (self->download != NULL)
    timchat_download_cancel (self->download);
}

static void
launched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatFileContent) self = user_data;
  g_autoptr (GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* No application for this kind of file, most often: said where the user looked. */
  gtk_label_set_text (GTK_LABEL (self->size_label), error->message);
}

static void
launch (TimchatFileContent *self, GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  show_state (self);
  g_app_info_launch_default_for_uri_async (uri, NULL, self->cancellable, launched_cb,
                                           g_object_ref (self));
}

static void
open_clicked_cb (TimchatFileContent *self)
{
  GFile *file = timchat_file_content_get_file (self);

  if (file != NULL)
    launch (self, file);
}

static void
open_folder_clicked_cb (TimchatFileContent *self)
{
  GFile *file = timchat_file_content_get_file (self);
  g_autoptr (GFile) parent = file != NULL ? g_file_get_parent (file) : NULL;

  if (parent != NULL)
    launch (self, parent);
}

static GtkWidget *
button (const char *label, GCallback callback, TimchatFileContent *self)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (label);

  g_signal_connect_swapped (widget, "clicked", callback, self);
  return widget;
}

static void
timchat_file_content_dispose (GObject *object)
{
  TimchatFileContent *self = TIMCHAT_FILE_CONTENT (object);

  /* Not the download: it goes on without this row (see the top of the file). */
  unwatch (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->message);
  G_OBJECT_CLASS (timchat_file_content_parent_class)->dispose (object);
}

static void
timchat_file_content_class_init (TimchatFileContentClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = timchat_file_content_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "filecontent");
}

static void
timchat_file_content_init (TimchatFileContent *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
timchat_file_content_new (TimMessage *message)
{
  TimchatFileContent *self = g_object_new (TIMCHAT_TYPE_FILE_CONTENT, NULL);
  const char *name =
      tim_message_get_file_name (message) != NULL ? tim_message_get_file_name (message) : "";
  g_autofree char *type = g_content_type_guess (name, NULL, 0, NULL);
  g_autoptr (GIcon) icon = g_content_type_get_symbolic_icon (type);
  GtkWidget *info = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *image = gtk_image_new_from_gicon (icon);
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *progress = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *open = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cancel;
  TimchatDownload *download;
  const char *url;

  self->message = g_object_ref (message);
  self->size = tim_message_get_file_size (message);
  gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name_label), 30);
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_add_css_class (name_label, "heading");
  self->size_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->size_label), 0);
  gtk_widget_add_css_class (self->size_label, "caption");
  gtk_widget_add_css_class (self->size_label, "numeric");
  gtk_box_append (GTK_BOX (info), name_label);
  gtk_box_append (GTK_BOX (info), self->size_label);
  gtk_box_append (GTK_BOX (row), image);
  gtk_box_append (GTK_BOX (row), info);

  self->progress_bar = gtk_progress_bar_new ();
  gtk_widget_set_hexpand (self->progress_bar, TRUE);
  gtk_widget_set_valign (self->progress_bar, GTK_ALIGN_CENTER);
  cancel = gtk_button_new_from_icon_name ("process-stop-symbolic");
  gtk_widget_set_tooltip_text (cancel, _ ("Cancel Download"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cancel), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Cancel Download"), -1);
  gtk_widget_add_css_class (cancel, "flat");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_widget_set_size_request (progress, 200, -1);
  gtk_box_append (GTK_BOX (progress), self->progress_bar);
  gtk_box_append (GTK_BOX (progress), cancel);
  gtk_box_append (GTK_BOX (open), button (_ ("_Open"), G_CALLBACK (open_clicked_cb), self));
  gtk_box_append (GTK_BOX (open),
                  button (_ ("Open _Folder"), G_CALLBACK (open_folder_clicked_cb), self));

  self->stack = gtk_stack_new ();
  gtk_stack_set_hhomogeneous (GTK_STACK (self->stack), FALSE);
  gtk_stack_add_named (GTK_STACK (self->stack),
                       button (_ ("_Download"), G_CALLBACK (download_clicked_cb), self),
                       "download");
  gtk_stack_add_named (GTK_STACK (self->stack), progress, "progress");
  gtk_stack_add_named (GTK_STACK (self->stack), open, "open");
  gtk_widget_set_halign (self->stack, GTK_ALIGN_START);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (self->box), row);
  gtk_box_append (GTK_BOX (self->box), self->stack);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  /* A download another row of this file started, under way or done. */
  url = tim_message_get_media_url (message);
  download = url != NULL && *url != '\0' ? timchat_download_lookup (url) : NULL;
  if (download != NULL)
    watch (self, download);
  else
    show_state (self);
  return GTK_WIDGET (self);
}
