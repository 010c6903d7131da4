/* timchat-composer-record.c: a voice message. "Voice Message" in the attach menu starts
 * recording (TimVoiceRecorder, into the account's outgoing media, where a crash before the upload
 * loses nothing) and shows the bar: a red dot, the time, the level, Discard and Send. Send stops,
 * waits for the file to be whole and sends it as an audio file goes (file-chosen, TIM_ELEM_SOUND).
 * Discard, Escape, another conversation opening and the composer going drop it. Less than a
 * second is taken for a slip (WeChat's rule): dropped, with a word. At five minutes
 * (timchat_composer_set_max_recording_ms ()) it is sent by itself. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer-private.h"

#define MIN_MS 1000
#define DEFAULT_MAX_MS (5 * 60 * 1000)

static void
show_bar (TimchatComposer *self, gboolean shown)
{
  gtk_revealer_set_reveal_child (self->record_bar, shown);
  /* The bar's Send is the one that counts while it is shown: a second Send under it would send
   * the text instead, and Attach would offer another voice message. */
  gtk_widget_set_visible (self->send_button, !shown);
  gtk_widget_set_visible (self->attach_button, !shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send-recording", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.discard-recording", shown);
}

static void send_recording (TimchatComposer *self);

static void
on_elapsed (TimVoiceRecorder *recorder, GParamSpec *pspec, TimchatComposer *self)
{
  guint seconds = tim_voice_recorder_get_elapsed_ms (recorder) / 1000;
  g_autofree char *time = g_strdup_printf ("%u:%02u", seconds / 60, seconds % 60);

  gtk_label_set_text (self->record_time, time);
}

static void
on_limit_reached (TimVoiceRecorder *recorder, TimchatComposer *self)
{
  send_recording (self);
}

static void
on_level (TimVoiceRecorder *recorder, GParamSpec *pspec, TimchatComposer *self)
{
  gtk_level_bar_set_value (self->record_level, tim_voice_recorder_get_level (recorder));
}

static void
forget_recorder (TimchatComposer *self)
{
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->recording_for, g_free);
  g_clear_pointer (&self->recording_path, g_free);
  show_bar (self, FALSE);
}

static void
on_failed (TimVoiceRecorder *recorder, const GError *error, TimchatComposer *self)
{
  tim_voice_recorder_discard (recorder);
  forget_recorder (self);
  _timchat_composer_show_error (self, error);
}

void
_timchat_composer_discard_recording (TimchatComposer *self)
{
  if (self->recorder == NULL)
    return;
  tim_voice_recorder_discard (self->recorder);
  forget_recorder (self);
}

typedef struct
{
  TimchatComposer *self; /* a reference */
  char *user;            /* the account it was recorded in */
  char *conversation_id;
  char *path;
} Stopping;

static void
stopping_free (Stopping *stopping)
{
  g_object_unref (stopping->self);
  g_free (stopping->user);
  g_free (stopping->conversation_id);
  g_free (stopping->path);
  g_free (stopping);
}

static void
on_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Stopping *stopping = user_data;
  TimchatComposer *self = stopping->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (stopping->path);
  guint elapsed = 0;

  if (!tim_voice_recorder_stop_finish (TIM_VOICE_RECORDER (source), result, &elapsed, &error))
    _timchat_composer_show_error (self, error);
  else if (elapsed < MIN_MS)
    {
      g_file_delete (file, NULL, NULL);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("The voice message was too short to send"));
      _timchat_composer_show_error (self, error);
    }
  /* Opened elsewhere in the moment the file took to close: it is not for that conversation. Nor
   * from another account: Log Out and a login as someone else with the same conversation open
   * again (the window's next client, or this one logged in anew) sent it in their name. */
  else if (g_strcmp0 (self->conversation_id, stopping->conversation_id) != 0 ||
           self->client == NULL ||
           g_strcmp0 (tim_client_get_user (self->client), stopping->user) != 0)
    {
      g_file_delete (file, NULL, NULL);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _ ("The voice message was not sent: another conversation was opened"));
      _timchat_composer_show_error (self, error);
    }
  else
    timchat_composer_attach_file (self, file, TIM_ELEM_SOUND);
  stopping_free (stopping);
}

static void
send_recording (TimchatComposer *self)
{
  g_autoptr (TimVoiceRecorder) recorder = NULL;
  Stopping *stopping;

  if (self->recorder == NULL)
    return;
  recorder = g_object_ref (self->recorder);
  stopping = g_new0 (Stopping, 1);
  stopping->self = g_object_ref (self);
  stopping->user = g_strdup (tim_client_get_user (self->client));
  stopping->conversation_id = g_strdup (self->recording_for);
  stopping->path = g_strdup (self->recording_path);
  forget_recorder (self);
  tim_voice_recorder_stop_async (recorder, NULL, on_stopped, stopping);
}

static void
start_recording (TimchatComposer *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  TimConvType type;
  const char *target;

  if (self->recorder != NULL || !_timchat_composer_get_target (self, &type, &target))
    return;
  path = tim_client_new_outgoing_path (self->client, "voice", "ogg", &error);
  if (path == NULL || (self->recorder = tim_voice_recorder_new (path, &error)) == NULL)
    {
      _timchat_composer_show_error (self, error);
      return;
    }
  self->recording_path = g_steal_pointer (&path);
  self->recording_for = g_strdup (self->conversation_id);
  g_signal_connect (self->recorder, "notify::elapsed-ms", G_CALLBACK (on_elapsed), self);
  g_signal_connect (self->recorder, "notify::level", G_CALLBACK (on_level), self);
  g_signal_connect (self->recorder, "failed", G_CALLBACK (on_failed), self);
  tim_voice_recorder_set_max_ms (self->recorder, self->max_recording_ms);
  g_signal_connect (self->recorder, "limit-reached", G_CALLBACK (on_limit_reached), self);
  gtk_label_set_text (self->record_time, "0:00");
  gtk_level_bar_set_value (self->record_level, 0.0);
  show_bar (self, TRUE);
}

gboolean
_timchat_composer_record_key (TimchatComposer *self, guint keyval, GdkModifierType mods)
{
  if (mods != 0 || keyval != GDK_KEY_Escape || self->recorder == NULL)
    return FALSE;
  _timchat_composer_discard_recording (self);
  return TRUE;
}

gboolean
timchat_composer_get_recording (TimchatComposer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), FALSE);
  return self->recorder != NULL;
}

static void
record_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  start_recording (TIMCHAT_COMPOSER (widget));
}

static void
send_recording_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  send_recording (TIMCHAT_COMPOSER (widget));
}

static void
discard_recording_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _timchat_composer_discard_recording (TIMCHAT_COMPOSER (widget));
}

void
_timchat_composer_class_init_record (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, record_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, attach_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, record_time);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, record_level);
  gtk_widget_class_install_action (widget_class, "composer.record-voice", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "composer.send-recording", NULL,
                                   send_recording_action);
  gtk_widget_class_install_action (widget_class, "composer.discard-recording", NULL,
                                   discard_recording_action);
}

void
_timchat_composer_record_init (TimchatComposer *self)
{
  self->max_recording_ms = DEFAULT_MAX_MS;
  show_bar (self, FALSE);
}

void
timchat_composer_set_max_recording_ms (TimchatComposer *self, guint max_ms)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));
  self->max_recording_ms = max_ms;
  if (self->recorder != NULL)
    tim_voice_recorder_set_max_ms (self->recorder, max_ms);
}

void
_timchat_composer_record_dispose (TimchatComposer *self)
{
  _timchat_composer_discard_recording (self);
}
