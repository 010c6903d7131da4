/* timchat-video-content.c: nothing but the thumbnail is fetched until the user asks to play. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-downloader.h"
#include "timchat-format.h"
#include "timchat-media-picture.h"
#include "timchat-video-content.h"

#define MAX_SIZE 320

struct _TimchatVideoContent
{
  GtkWidget parent_instance;

  TimMessage *message;
  GtkWidget *stack;
  GtkWidget *play_button;
  GtkWidget *spinner;
  GtkWidget *corner_label; /* the duration, or why it cannot play */
  int width;
  int height;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TimchatVideoContent, timchat_video_content, GTK_TYPE_WIDGET)

static void
show_video (TimchatVideoContent *self, GFile *file)
{
  GtkWidget *video = gtk_video_new ();

  gtk_video_set_autoplay (GTK_VIDEO (video), TRUE);
  gtk_video_set_file (GTK_VIDEO (video), file);
  gtk_widget_set_size_request (video, self->width, self->height);
  gtk_stack_add_named (GTK_STACK (self->stack), video, "video");
  gtk_stack_set_visible_child (GTK_STACK (self->stack), video);
}

static void
fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &error);
  TimchatVideoContent *self;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TIMCHAT_VIDEO_CONTENT (user_data);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_visible (self->play_button, TRUE);
  if (file == NULL)
    {
      /* Said where it is seen, the reason on hover; Play tries again. */
      gtk_label_set_text (GTK_LABEL (self->corner_label), _ ("Cannot play this video"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), error->message);
      return;
    }
  show_video (self, file);
}

void
timchat_video_content_play (TimchatVideoContent *self)
{
  GFile *local = tim_message_get_local_file (self->message);
  const char *url = tim_message_get_media_url (self->message);

  if (local != NULL && g_file_query_exists (local, NULL))
    {
      show_video (self, local);
      return;
    }
  if (url == NULL)
    return;
  gtk_widget_set_visible (self->play_button, FALSE);
  gtk_widget_set_visible (self->spinner, TRUE);
  tim_downloader_fetch_async (tim_downloader_get_default (), url, NULL, NULL, NULL,
                              self->cancellable, fetched_cb, self);
}

static void
play_clicked_cb (TimchatVideoContent *self)
{
  timchat_video_content_play (self);
}

static void
timchat_video_content_dispose (GObject *object)
{
  TimchatVideoContent *self = TIMCHAT_VIDEO_CONTENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_object (&self->message);
  G_OBJECT_CLASS (timchat_video_content_parent_class)->dispose (object);
}

static void
timchat_video_content_class_init (TimchatVideoContentClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = timchat_video_content_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "videocontent");
}

static void
timchat_video_content_init (TimchatVideoContent *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
timchat_video_content_new (TimMessage *message)
{
  TimchatVideoContent *self = g_object_new (TIMCHAT_TYPE_VIDEO_CONTENT, NULL);
  int width = 0, height = 0;
  const char *thumb_url = tim_message_get_video_thumb (message, &width, &height);
  g_autofree char *duration = timchat_format_duration (tim_message_get_duration (message));
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture, *label;

  self->message = g_object_ref (message);
  /* Before the upload a local video has no thumbnail yet: a 16:9 placeholder. */
  if (width <= 0 || height <= 0)
    {
      width = 16;
      height = 9;
    }
  picture = timchat_media_picture_new (width, height, MAX_SIZE);
  timchat_media_picture_get_display_size (TIMCHAT_MEDIA_PICTURE (picture), &self->width,
                                          &self->height);
  timchat_media_picture_load (TIMCHAT_MEDIA_PICTURE (picture), NULL, thumb_url);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);

  label = self->corner_label = gtk_label_new (duration);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_widget_set_valign (label, GTK_ALIGN_END);
  gtk_widget_add_css_class (label, "media-duration");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), label);

  self->play_button = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, _ ("Play"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Play"), -1);
  gtk_widget_set_halign (self->play_button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->play_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->play_button, "osd");
  gtk_widget_add_css_class (self->play_button, "circular");
  gtk_widget_add_css_class (self->play_button, "media-play");
  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (play_clicked_cb), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->play_button);

  self->spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->spinner);

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), overlay, "thumbnail");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
