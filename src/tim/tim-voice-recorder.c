/* tim-voice-recorder.c: SOURCE ! audioconvert ! audioresample ! mono 48 kHz ! level ! opusenc !
 * oggmux ! filesink. Ogg Opus is what every GStreamer (and a browser) plays, at ~24 kbit/s for
 * speech. The level element's messages, every 100 ms of sound, carry both the loudness and the
 * running time, so the bus watch is the only clock. Stopping sends EOS and waits for it to reach
 * the sink, which writes the last Ogg page; only then is the file whole. */
#define G_LOG_DOMAIN "tim-media"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>

#include "tim-media.h"
#include "tim-voice-recorder.h"

/* A sink that never sees EOS (a stuck source) must not leave the caller waiting for ever. */
#define STOP_TIMEOUT_MS 5000

struct _TimVoiceRecorder
{
  GObject parent_instance;

  char *path;
  GstElement *pipeline;
  guint bus_watch;
  guint elapsed_ms;
  guint max_ms;           /* 0: no limit */
  gboolean limit_reached; /* "limit-reached" was emitted */
  double level;
  GTask *stopping; /* the stop waiting for EOS */
  guint stop_timeout;
  gboolean ended; /* stopped, discarded or failed: nothing more is recorded */
  /* The source ended by itself (EOS with no stop waiting): the file is whole, for the next stop
   * to take. */
  gboolean ended_by_source;
};

G_DEFINE_FINAL_TYPE (TimVoiceRecorder, tim_voice_recorder, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ELAPSED_MS,
  PROP_LEVEL,
  PROP_MAX_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FAILED,
  SIGNAL_LIMIT_REACHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
shut_down (TimVoiceRecorder *self)
{
  self->ended = TRUE;
  g_clear_handle_id (&self->stop_timeout, g_source_remove);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
}

/* Takes error (NULL: success) to the stop waiting, if any. */
static void
finish_stop (TimVoiceRecorder *self, GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->stopping);

  shut_down (self);
  if (task == NULL)
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
take_level (TimVoiceRecorder *self, const GstStructure *structure)
{
  const GValue *rms = gst_structure_get_value (structure, "rms");
  GstClockTime end = GST_CLOCK_TIME_NONE;
  double decibels;

  if (gst_structure_get_clock_time (structure, "endtime", &end) && GST_CLOCK_TIME_IS_VALID (end) &&
      end / GST_MSECOND != self->elapsed_ms)
    {
      self->elapsed_ms = (guint) (end / GST_MSECOND);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_MS]);
      if (self->max_ms > 0 && self->elapsed_ms >= self->max_ms && !self->limit_reached)
        {
          self->limit_reached = TRUE;
          g_signal_emit (self, signals[SIGNAL_LIMIT_REACHED], 0);
        }
    }
  if (rms == NULL || !G_VALUE_HOLDS_BOXED (rms))
    return;
  /* One value per channel, in the GValueArray level still posts. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GValueArray *channels = g_value_get_boxed (rms);

    if (channels == NULL || channels->n_values == 0)
      return;
    decibels = g_value_get_double (g_value_array_get_nth (channels, 0));
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* dB full scale to an amplitude, which is how loud it looks. */
  self->level = CLAMP (pow (10.0, decibels / 20.0), 0.0, 1.0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  TimVoiceRecorder *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ELEMENT:
      if (gst_structure_has_name (gst_message_get_structure (message), "level"))
        take_level (self, gst_message_get_structure (message));
      break;
    case GST_MESSAGE_EOS:
      /* No stop waited: the source ended (a device unplugged, a finite TIMCHAT_AUDIO_SOURCE).
       * EOS reached the sink as a stop's does, so the file is whole: kept for the owner's stop
       * (the app's Send), which had "already ended", and the recording lost. */
      self->ended_by_source = self->stopping == NULL;
      /* The stop's callback may drop the last reference to the recorder (finish_stop () shut
       * its watch down already): nothing of self may be read after it. */
      finish_stop (self, NULL);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr (GError) gst_error = NULL;
        g_autoptr (GError) error = NULL;

        gst_message_parse_error (message, &gst_error, NULL);
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not record: %s"),
                             gst_error->message);
        if (self->stopping != NULL)
          {
            finish_stop (self, g_steal_pointer (&error));
            return G_SOURCE_REMOVE;
          }
        shut_down (self);
        /* A handler may drop the last reference to the recorder. */
        g_object_ref (self);
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
        g_object_unref (self);
        return G_SOURCE_REMOVE;
      }
    default:
      break;
    }
  return self->bus_watch != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
stop_timed_out (gpointer user_data)
{
  TimVoiceRecorder *self = user_data;

  self->stop_timeout = 0;
  finish_stop (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                          _ ("The recording did not end in time")));
  return G_SOURCE_REMOVE;
}

static void
tim_voice_recorder_dispose (GObject *object)
{
  TimVoiceRecorder *self = TIM_VOICE_RECORDER (object);

  /* One whose source ended is not the owner's until a stop has given it. */
  if (!self->ended || self->ended_by_source)
    tim_voice_recorder_discard (self);
  shut_down (self);
  gst_clear_object (&self->pipeline);
  G_OBJECT_CLASS (tim_voice_recorder_parent_class)->dispose (object);
}

static void
tim_voice_recorder_finalize (GObject *object)
{
  TimVoiceRecorder *self = TIM_VOICE_RECORDER (object);

  g_free (self->path);
  G_OBJECT_CLASS (tim_voice_recorder_parent_class)->finalize (object);
}

static void
tim_voice_recorder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimVoiceRecorder *self = TIM_VOICE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_ELAPSED_MS:
      g_value_set_uint (value, self->elapsed_ms);
      break;
    case PROP_LEVEL:
      g_value_set_double (value, self->level);
      break;
    case PROP_MAX_MS:
      g_value_set_uint (value, self->max_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_voice_recorder_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  TimVoiceRecorder *self = TIM_VOICE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_MAX_MS:
      tim_voice_recorder_set_max_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_voice_recorder_class_init (TimVoiceRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tim_voice_recorder_dispose;
  object_class->finalize = tim_voice_recorder_finalize;
  object_class->get_property = tim_voice_recorder_get_property;
  object_class->set_property = tim_voice_recorder_set_property;

  properties[PROP_ELAPSED_MS] =
      g_param_spec_uint ("elapsed-ms", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LEVEL] = g_param_spec_double ("level", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_MAX_MS] =
      g_param_spec_uint ("max-ms", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_LIMIT_REACHED] =
      g_signal_new ("limit-reached", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
}

static void
tim_voice_recorder_init (TimVoiceRecorder *self)
{
}

TimVoiceRecorder *
tim_voice_recorder_new (const char *path, GError **error)
{
  g_autoptr (TimVoiceRecorder) self = NULL;
  g_autoptr (GError) gst_error = NULL;
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autofree char *description = NULL;
  const char *source = g_getenv ("TIMCHAT_AUDIO_SOURCE");

  g_return_val_if_fail (path != NULL, NULL);

  tim_media_ensure_gst ();
  self = g_object_new (TIM_TYPE_VOICE_RECORDER, NULL);
  self->path = g_strdup (path);
  description = g_strdup_printf (
      "%s ! queue ! audioconvert ! audioresample ! audio/x-raw,channels=1,rate=48000 ! "
      "level interval=100000000 ! opusenc bitrate=24000 ! oggmux ! filesink name=sink",
      source != NULL && *source != '\0' ? source : "autoaudiosrc");
  self->pipeline = gst_parse_launch (description, &gst_error);
  if (self->pipeline == NULL || gst_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _ ("Could not record: %s"),
                   gst_error != NULL ? gst_error->message : description);
      self->ended = TRUE;
      return NULL;
    }
  gst_object_ref_sink (self->pipeline);
  sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "sink");
  g_object_set (sink, "location", path, NULL);
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _ ("Could not record: no microphone could be opened"));
      tim_voice_recorder_discard (self);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
tim_voice_recorder_set_max_ms (TimVoiceRecorder *self, guint max_ms)
{
  g_return_if_fail (TIM_IS_VOICE_RECORDER (self));
  if (self->max_ms == max_ms)
    return;
  self->max_ms = max_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MS]);
}

guint
tim_voice_recorder_get_elapsed_ms (TimVoiceRecorder *self)
{
  g_return_val_if_fail (TIM_IS_VOICE_RECORDER (self), 0);
  return self->elapsed_ms;
}

double
tim_voice_recorder_get_level (TimVoiceRecorder *self)
{
  g_return_val_if_fail (TIM_IS_VOICE_RECORDER (self), 0.0);
  return self->level;
}

void
tim_voice_recorder_stop_async (TimVoiceRecorder *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (TIM_IS_VOICE_RECORDER (self));

  g_task_set_source_tag (task, tim_voice_recorder_stop_async);
  /* Ended by its source: the file was finished then, as this stop would have; it is given now,
   * once (a later stop finds it ended, as after any stop). */
  if (self->ended_by_source)
    {
      self->ended_by_source = FALSE;
      if (self->elapsed_ms == 0 && g_unlink (self->path) != 0)
        g_debug ("Nothing to remove at %s", self->path);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->ended || self->stopping != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _ ("The recording has already ended"));
      return;
    }
  /* Before the first tenth of a second there may be no stream at all for EOS to end (level
   * then fails an assertion on it): nothing was recorded, and the file goes. */
  if (self->elapsed_ms == 0)
    {
      shut_down (self);
      if (g_unlink (self->path) != 0)
        g_debug ("Nothing to remove at %s", self->path);
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->stopping = g_steal_pointer (&task);
  self->stop_timeout = g_timeout_add (STOP_TIMEOUT_MS, stop_timed_out, self);
  gst_element_send_event (self->pipeline, gst_event_new_eos ());
}

gboolean
tim_voice_recorder_stop_finish (TimVoiceRecorder *self, GAsyncResult *result, guint *elapsed_ms,
                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (elapsed_ms != NULL)
    *elapsed_ms = self->elapsed_ms;
  return TRUE;
}

void
tim_voice_recorder_discard (TimVoiceRecorder *self)
{
  g_return_if_fail (TIM_IS_VOICE_RECORDER (self));

  finish_stop (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _ ("The recording was discarded")));
  self->ended_by_source = FALSE;
  if (g_unlink (self->path) != 0)
    g_debug ("Nothing to remove at %s", self->path);
}
