/* tim-voice-recorder.h: a voice message recorded from the microphone into an Ogg Opus file, for
 * tim_client_create_audio_message (). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TIM_TYPE_VOICE_RECORDER (tim_voice_recorder_get_type ())
G_DECLARE_FINAL_TYPE (TimVoiceRecorder, tim_voice_recorder, TIM, VOICE_RECORDER, GObject)

/* Starts recording into path (created or overwritten) from the default microphone, or from the
 * GStreamer bin that TIMCHAT_AUDIO_SOURCE describes (a machine without one: a test's tone).
 * Fails (G_IO_ERROR) when the recording pipeline cannot be made. A microphone that fails later
 * emits "failed" (GError *) once, and the recording stops there. A source that ends by itself (a
 * device unplugged, a finite TIMCHAT_AUDIO_SOURCE) ends the recording as a stop does: the file
 * is whole, and the next tim_voice_recorder_stop_async () completes with it. */
TimVoiceRecorder *tim_voice_recorder_new (const char *path, GError **error);
/* How much has been recorded (TimVoiceRecorder:elapsed-ms), and how loud the last tenth of a
 * second was, from 0 (silence) to 1 (TimVoiceRecorder:level). Both notify as the sound comes. */
guint tim_voice_recorder_get_elapsed_ms (TimVoiceRecorder *self);
/* The longest recording wanted (TimVoiceRecorder:max-ms; 0, the default: no limit). Once that
 * much is recorded, "limit-reached" is emitted, once; the recording goes on until stopped, so
 * that the owner ends it as it ends any (tim_voice_recorder_stop_async ()). */
void tim_voice_recorder_set_max_ms (TimVoiceRecorder *self, guint max_ms);
double tim_voice_recorder_get_level (TimVoiceRecorder *self);
/* Ends the recording; completes once the file is whole (its last page written), with the length
 * recorded in ms, or an error. Stopped before any sound came, it completes at once with 0 ms, and
 * the empty file is removed. */
void tim_voice_recorder_stop_async (TimVoiceRecorder *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_voice_recorder_stop_finish (TimVoiceRecorder *self, GAsyncResult *result,
                                         guint *elapsed_ms, GError **error);
/* Ends the recording and removes its file; so does disposing of a recorder not stopped. */
void tim_voice_recorder_discard (TimVoiceRecorder *self);

G_END_DECLS
