/* timchat-media-picture.c: measure() answers the size decided from the message's metadata, so
 * the row has its final height before the thumbnail arrives. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <stdlib.h>

#include "tim-downloader.h"
#include "timchat-media-picture.h"

struct _TimchatMediaPicture
{
  GtkWidget parent_instance;

  GtkWidget *picture;
  int width;
  int height;
  GCancellable *cancellable;
  /* What to load, kept so that a picture let go of can load it again when shown. */
  GFile *local;
  char *url;
  gboolean inactive;
};

G_DEFINE_FINAL_TYPE (TimchatMediaPicture, timchat_media_picture, GTK_TYPE_WIDGET)

void
timchat_media_fit (int width, int height, int max, int *out_width, int *out_height)
{
  double scale;

  if (width <= 0 || height <= 0)
    width = height = max;
  scale = MIN (1.0, MIN ((double) max / width, (double) max / height));
  *out_width = MAX (1, (int) (width * scale + 0.5));
  *out_height = MAX (1, (int) (height * scale + 0.5));
}

typedef struct
{
  int width;
  int height;
} LoadSize;

/* EXIF orientations 5 to 8 turn the picture a quarter: its stored pixels lie the other way. */
static gboolean
is_quarter_turned (GdkPixbuf *pixbuf)
{
  const char *orientation = gdk_pixbuf_get_option (pixbuf, "orientation");
  int value = orientation != NULL ? atoi (orientation) : 1;

  return value >= 5 && value <= 8;
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GFile *file = source;
  LoadSize *size = task_data;
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GdkPixbuf) oriented = NULL;
  GError *error = NULL;

  /* Let go of before the thread got to it (scrolled past): do not decode for nothing. */
  if (g_task_return_error_if_cancelled (task))
    return;
  if (size->width > 0 && size->height > 0)
    {
      pixbuf = gdk_pixbuf_new_from_file_at_scale (path, size->width, size->height, TRUE, &error);
      /* The size is the picture's as shown, so a camera's portrait photo (stored landscape, turned
       * by its EXIF) must be fitted to it turned: fitted as stored it came out too small once
       * turned, and was drawn blurred. Its orientation is known only from the decoded pixbuf. */
      if (pixbuf != NULL && is_quarter_turned (pixbuf))
        {
          g_clear_object (&pixbuf);
          pixbuf =
              gdk_pixbuf_new_from_file_at_scale (path, size->height, size->width, TRUE, &error);
        }
    }
  else
    pixbuf = gdk_pixbuf_new_from_file (path, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Camera photos carry their rotation in EXIF. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented), g_object_unref);
}

void
timchat_texture_load_async (GFile *file, int width, int height, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (file, cancellable, callback, user_data);
  LoadSize *size = g_new (LoadSize, 1);

  size->width = width;
  size->height = height;
  g_task_set_task_data (task, size, g_free);
  g_task_run_in_thread (task, load_thread);
}

GdkTexture *
timchat_texture_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = timchat_texture_load_finish (result, &error);
  TimchatMediaPicture *self;

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot load picture: %s", error->message);
      return;
    }
  self = TIMCHAT_MEDIA_PICTURE (user_data);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
  gtk_widget_remove_css_class (GTK_WIDGET (self), "media-placeholder");
}

static void
load_file (TimchatMediaPicture *self, GFile *file)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  timchat_texture_load_async (file, self->width * scale, self->height * scale, self->cancellable,
                              loaded_cb, self);
}

static void
fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &error);

  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot download picture: %s", error->message);
      return;
    }
  load_file (TIMCHAT_MEDIA_PICTURE (user_data), file);
}

/* The callbacks only run while not cancelled, i.e. while self is alive and still wants them. */
static void
renew_cancellable (TimchatMediaPicture *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
start_load (TimchatMediaPicture *self)
{
  renew_cancellable (self);
  if (self->local != NULL && g_file_query_exists (self->local, NULL))
    load_file (self, self->local);
  else if (self->url != NULL && *self->url != '\0')
    tim_downloader_fetch_async (tim_downloader_get_default (), self->url, NULL, NULL, NULL,
                                self->cancellable, fetched_cb, self);
}

void
timchat_media_picture_load (TimchatMediaPicture *self, GFile *local, const char *url)
{
  g_return_if_fail (TIMCHAT_IS_MEDIA_PICTURE (self));

  g_set_object (&self->local, local);
  g_free (self->url);
  self->url = g_strdup (url);
  if (!self->inactive)
    start_load (self);
}

void
timchat_media_picture_set_active (TimchatMediaPicture *self, gboolean active)
{
  g_return_if_fail (TIMCHAT_IS_MEDIA_PICTURE (self));

  if (self->inactive == !active)
    return;
  self->inactive = !active;
  if (active)
    {
      if (gtk_picture_get_paintable (GTK_PICTURE (self->picture)) == NULL)
        start_load (self);
      return;
    }
  /* The decoded texture is most of a row's memory; the size stays, so nothing moves. */
  renew_cancellable (self);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "media-placeholder");
}

void
timchat_media_picture_get_display_size (TimchatMediaPicture *self, int *width, int *height)
{
  g_return_if_fail (TIMCHAT_IS_MEDIA_PICTURE (self));
  *width = self->width;
  *height = self->height;
}

GdkPaintable *
timchat_media_picture_get_paintable (TimchatMediaPicture *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MEDIA_PICTURE (self), NULL);
  return gtk_picture_get_paintable (GTK_PICTURE (self->picture));
}

static void
timchat_media_picture_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                               int *minimum, int *natural, int *minimum_baseline,
                               int *natural_baseline)
{
  TimchatMediaPicture *self = TIMCHAT_MEDIA_PICTURE (widget);

  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? self->width : self->height;
}

static void
timchat_media_picture_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  gtk_widget_allocate (TIMCHAT_MEDIA_PICTURE (widget)->picture, width, height, baseline, NULL);
}

static void
timchat_media_picture_dispose (GObject *object)
{
  TimchatMediaPicture *self = TIMCHAT_MEDIA_PICTURE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->local);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->picture, gtk_widget_unparent);
  G_OBJECT_CLASS (timchat_media_picture_parent_class)->dispose (object);
}

static void
timchat_media_picture_class_init (TimchatMediaPictureClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = timchat_media_picture_dispose;
  widget_class->measure = timchat_media_picture_measure;
  widget_class->size_allocate = timchat_media_picture_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "mediapicture");
}

static void
timchat_media_picture_init (TimchatMediaPicture *self)
{
  self->cancellable = g_cancellable_new ();
  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (self->picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_parent (self->picture, GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (GTK_WIDGET (self), "media-picture");
  gtk_widget_add_css_class (GTK_WIDGET (self), "media-placeholder");
}

GtkWidget *
timchat_media_picture_new (int width, int height, int max_size)
{
  TimchatMediaPicture *self = g_object_new (TIMCHAT_TYPE_MEDIA_PICTURE, NULL);

  timchat_media_fit (width, height, max_size, &self->width, &self->height);
  return GTK_WIDGET (self);
}
