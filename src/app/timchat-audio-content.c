/* timchat-audio-content.c: GtkMediaFile plays the cached or local file; the label follows the
 * stream's timestamp. A recording that cannot be fetched or played says so in the label (the
 * reason in the tooltip); Play then tries again. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-downloader.h"
#include "timchat-audio-content.h"
#include "timchat-format.h"

struct _TimchatAudioContent
{
  GtkWidget parent_instance;

  TimMessage *message;
  GtkWidget *box;
  GtkWidget *button;
  GtkWidget *label;
  GtkMediaStream *stream;
  gint64 seconds;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TimchatAudioContent, timchat_audio_content, GTK_TYPE_WIDGET)

/* The button is an icon: what it does is its tooltip and, for screen readers, its label. */
static void
set_button_label (TimchatAudioContent *self, const char *label)
{
  gtk_widget_set_tooltip_text (self->button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
}

static void
show_failure (TimchatAudioContent *self, const char *why)
{
  gtk_button_set_icon_name (GTK_BUTTON (self->button), "media-playback-start-symbolic");
  set_button_label (self, _ ("Play"));
  gtk_label_set_text (GTK_LABEL (self->label), _ ("Cannot play this recording"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), why);
}

static void
update (TimchatAudioContent *self)
{
  const GError *error = self->stream != NULL ? gtk_media_stream_get_error (self->stream) : NULL;
  gboolean playing = self->stream != NULL && gtk_media_stream_get_playing (self->stream);
  g_autofree char *total = timchat_format_duration (self->seconds);

  if (error != NULL)
    {
      show_failure (self, error->message);
      return;
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_button_set_icon_name (GTK_BUTTON (self->button), playing ? "media-playback-pause-symbolic"
                                                               : "media-playback-start-symbolic");
  set_button_label (self, playing ? _ ("Pause") : _ ("Play"));
  if (self->stream != NULL && (playing || gtk_media_stream_get_timestamp (self->stream) > 0) &&
      !gtk_media_stream_get_ended (self->stream))
    {
      g_autofree char *position =
          timchat_format_duration (gtk_media_stream_get_timestamp (self->stream) / G_USEC_PER_SEC);
      g_autofree char *text = g_strdup_printf ("%s / %s", position, total);

      gtk_label_set_text (GTK_LABEL (self->label), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->label), total);
}

static void
play_file (TimchatAudioContent *self, GFile *file)
{
  self->stream = gtk_media_file_new_for_file (file);
  g_signal_connect_object (self->stream, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  gtk_media_stream_play (self->stream);
  update (self);
}

static void
fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &error);
  TimchatAudioContent *self;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TIMCHAT_AUDIO_CONTENT (user_data);
  gtk_widget_set_sensitive (self->button, TRUE);
  if (file == NULL)
    show_failure (self, error->message);
  else
    play_file (self, file);
}

void
timchat_audio_content_toggle (TimchatAudioContent *self)
{
  GFile *local = tim_message_get_local_file (self->message);
  const char *url = tim_message_get_media_url (self->message);

  /* After a failure, start over (a file that failed to download may come this time). */
  if (self->stream != NULL && gtk_media_stream_get_error (self->stream) != NULL)
    g_clear_object (&self->stream);
  if (self->stream != NULL)
    {
      if (gtk_media_stream_get_ended (self->stream))
        gtk_media_stream_seek (self->stream, 0);
      gtk_media_stream_set_playing (self->stream, !gtk_media_stream_get_playing (self->stream));
      return;
    }
  if (local != NULL && g_file_query_exists (local, NULL))
    play_file (self, local);
  else if (url != NULL && *url != '\0')
    {
      gtk_widget_set_sensitive (self->button, FALSE);
      tim_downloader_fetch_async (tim_downloader_get_default (), url, NULL, NULL, NULL,
                                  self->cancellable, fetched_cb, self);
    }
}

static void
timchat_audio_content_dispose (GObject *object)
{
  TimchatAudioContent *self = TIMCHAT_AUDIO_CONTENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    gtk_media_stream_pause (self->stream);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->message);
  G_OBJECT_CLASS (timchat_audio_content_parent_class)->dispose (object);
}

static void
timchat_audio_content_class_init (TimchatAudioContentClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = timchat_audio_content_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "audiocontent");
}

static void
timchat_audio_content_init (TimchatAudioContent *self)
{
  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->button = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  gtk_widget_add_css_class (self->button, "circular");
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (timchat_audio_content_toggle),
                            self);
  self->label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_box_append (GTK_BOX (self->box), self->button);
  gtk_box_append (GTK_BOX (self->box), gtk_image_new_from_icon_name ("audio-x-generic-symbolic"));
  gtk_box_append (GTK_BOX (self->box), self->label);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

GtkWidget *
timchat_audio_content_new (TimMessage *message)
{
  TimchatAudioContent *self = g_object_new (TIMCHAT_TYPE_AUDIO_CONTENT, NULL);

  self->message = g_object_ref (message);
  self->seconds = tim_message_get_duration (message);
  update (self);
  return GTK_WIDGET (self);
}
