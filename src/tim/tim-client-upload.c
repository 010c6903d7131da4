/* tim-client-upload.c: before a media message is sent, its file is probed (size, duration,
 * thumbnail) and uploaded with real progress; the payload then points at the server's copy. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-media.h"

typedef struct
{
  TimClient *client;
  OutboxItem *item;
  TimMediaInfo *media;
  JsonObject *answer; /* the server's answer for the main file */
  GFile *thumbnail;   /* a temporary PNG, deleted when the job ends */
} UploadJob;

static void
upload_job_free (UploadJob *job)
{
  g_clear_object (&job->client);
  g_clear_pointer (&job->media, tim_media_info_free);
  g_clear_pointer (&job->answer, json_object_unref);
  if (job->thumbnail != NULL)
    g_file_delete (job->thumbnail, NULL, NULL);
  g_clear_object (&job->thumbnail);
  g_free (job);
}

gboolean
_tim_client_needs_upload (TimMessage *message)
{
  JsonObject *payload = tim_message_get_payload (message);

  /* A chat history has no file: what goes up first is its list, when too big to go inline. */
  if (tim_message_get_elem_type (message) == TIM_ELEM_RELAY)
    return _tim_client_merger_needs_upload (message);
  if (tim_message_get_local_file (message) == NULL)
    return FALSE;
  switch (tim_message_get_elem_type (message))
    {
    case TIM_ELEM_IMAGE:
    case TIM_ELEM_SOUND:
    case TIM_ELEM_FILE:
      return tim_json_get_string (payload, "uuid") == NULL;
    case TIM_ELEM_VIDEO:
      return tim_json_get_string (payload, "videoUUID") == NULL;
    default:
      return FALSE;
    }
}

static void
on_progress (goffset sent, goffset total, gpointer user_data)
{
  UploadJob *job = user_data;

  _tim_message_set_upload (job->item->message, sent, total);
  if (job->item->progress != NULL)
    job->item->progress (sent, total, job->item->progress_data);
}

static void
fail (UploadJob *job, GError *error)
{
  TimClient *self = g_object_ref (job->client);
  OutboxItem *item = job->item;

  upload_job_free (job);
  _tim_client_outbox_item_failed (self, item, error);
  g_object_unref (self);
}

/* The wire element for the uploaded media, then the seed payload from it. */
static void
finish (UploadJob *job, JsonObject *thumb_answer)
{
  TimMessage *message = job->item->message;
  TimElemType type = tim_message_get_elem_type (message);
  JsonObject *answer = job->answer;
  g_autoptr (JsonObject) content = json_object_new ();
  g_autoptr (JsonObject) element = json_object_new ();
  g_autoptr (JsonObject) payload = NULL;
  g_autoptr (JsonObject) wire = NULL;
  g_autoptr (GError) error = NULL;
  gint64 seconds = job->media != NULL ? (job->media->duration_ms + 500) / 1000 : 0;
  TimElemType parsed_type;

  switch (type)
    {
    case TIM_ELEM_IMAGE:
      json_object_set_string_member (content, "UUID", tim_json_get_string (answer, "UUID"));
      json_object_set_int_member (content, "ImageFormat",
                                  tim_json_get_int_or (answer, "ImageFormat", 255));
      /* An answer without it (a misbehaving server) is refused below as incomplete; copied
       * unchecked, the missing member was a critical on the way. */
      if (json_object_has_member (answer, "ImageInfoArray"))
        json_object_set_member (content, "ImageInfoArray",
                                json_node_copy (json_object_get_member (answer, "ImageInfoArray")));
      break;
    case TIM_ELEM_SOUND:
      json_object_set_string_member (content, "Url", tim_json_get_string (answer, "Url"));
      json_object_set_string_member (content, "UUID", tim_json_get_string (answer, "UUID"));
      json_object_set_int_member (content, "Size", tim_json_get_int_or (answer, "Size", 0));
      json_object_set_int_member (content, "Second", seconds);
      json_object_set_int_member (content, "Download_Flag", 2);
      break;
    case TIM_ELEM_FILE:
      json_object_set_string_member (content, "Url", tim_json_get_string (answer, "Url"));
      json_object_set_string_member (content, "UUID", tim_json_get_string (answer, "UUID"));
      json_object_set_string_member (content, "FileName", tim_json_get_string (answer, "FileName"));
      json_object_set_int_member (content, "FileSize", tim_json_get_int_or (answer, "Size", 0));
      json_object_set_int_member (content, "Download_Flag", 2);
      break;
    case TIM_ELEM_VIDEO:
      json_object_set_string_member (content, "VideoUrl", tim_json_get_string (answer, "Url"));
      json_object_set_string_member (content, "VideoUUID", tim_json_get_string (answer, "UUID"));
      json_object_set_int_member (content, "VideoSize", tim_json_get_int_or (answer, "Size", 0));
      json_object_set_int_member (content, "VideoSecond", seconds);
      json_object_set_string_member (content, "VideoFormat",
                                     tim_json_get_string (answer, "Format") ?: "mp4");
      json_object_set_int_member (content, "VideoDownloadFlag", 2);
      json_object_set_string_member (content, "ThumbUrl",
                                     thumb_answer ? tim_json_get_string (thumb_answer, "Url") : "");
      json_object_set_string_member (
          content, "ThumbUUID", thumb_answer ? tim_json_get_string (thumb_answer, "UUID") : "");
      json_object_set_int_member (content, "ThumbSize",
                                  thumb_answer ? tim_json_get_int_or (thumb_answer, "Size", 0) : 0);
      json_object_set_int_member (content, "ThumbWidth",
                                  job->media ? job->media->thumbnail_width : 0);
      json_object_set_int_member (content, "ThumbHeight",
                                  job->media ? job->media->thumbnail_height : 0);
      json_object_set_string_member (content, "ThumbFormat", "png");
      json_object_set_int_member (content, "ThumbDownloadFlag", 2);
      break;
    default:
      break;
    }
  json_object_set_string_member (element, "MsgType", tim_elem_type_to_string (type));
  json_object_set_object_member (element, "MsgContent", json_object_ref (content));
  payload = tim_elem_to_payload (element, &parsed_type);
  /* What goes out is encoded from the payload (_tim_message_dup_msg_body ()), which is checked
   * then: one the answer left without what the element needs (an image's sizes, a file's URL)
   * was stored as uploaded and went out with an empty body. tim_elem_to_payload () takes what
   * it finds, so the check is the encoding's. */
  if (payload != NULL)
    wire = tim_elem_from_payload (type, payload, NULL);
  if (wire == NULL)
    {
      /* Not a network failure: the same answer would come again. Retried, it held back every
       * later message of the account for ever (is_transient ()). */
      g_set_error_literal (&error, TIM_ERROR, TIM_ERROR_MESSAGE_FILE_URL_IS_EMPTY,
                           _ ("The server’s upload answer was incomplete"));
      fail (job, error);
      return;
    }
  _tim_message_set_payload (message, payload);
  /* Remember the upload: a crash from here on resends without uploading again. */
  _tim_client_store_message (job->client, message);
  /* Up, the file has no more progress to show (tim-message.h): the message is being sent
   * ("Sending…" in the app), not a full bar with Cancel while the send waits for the network. */
  _tim_message_set_upload (message, 0, 0);
  {
    TimClient *self = g_object_ref (job->client);
    OutboxItem *item = job->item;

    upload_job_free (job);
    _tim_client_outbox_send_request (self, item);
    g_object_unref (self);
  }
}

static void
on_thumbnail_uploaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UploadJob *job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer =
      tim_uploader_upload_finish (TIM_UPLOADER (source), result, &error);

  if (answer == NULL)
    {
      fail (job, error);
      return;
    }
  finish (job, answer);
}

static void
upload_thumbnail (UploadJob *job)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileIOStream) stream = NULL;
  g_autoptr (GFile) thumb = g_file_new_tmp ("timchat-thumb-XXXXXX.png", &stream, &error);

  if (thumb == NULL ||
      !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (stream)),
                                  g_bytes_get_data (job->media->thumbnail_png, NULL),
                                  g_bytes_get_size (job->media->thumbnail_png), NULL, NULL,
                                  &error) ||
      !g_io_stream_close (G_IO_STREAM (stream), NULL, &error))
    {
      fail (job, error);
      return;
    }
  job->thumbnail = g_object_ref (thumb);
  tim_uploader_upload_async (job->client->uploader, TIM_ELEM_IMAGE, thumb, "thumbnail.png", NULL,
                             NULL, job->item->cancellable, on_thumbnail_uploaded, job);
}

/* The media file is on the server (job->answer): what it still needs, then the send. */
static void
file_uploaded (UploadJob *job)
{
  if (tim_message_get_elem_type (job->item->message) == TIM_ELEM_VIDEO && job->media != NULL &&
      job->media->thumbnail_png != NULL)
    upload_thumbnail (job);
  else
    finish (job, NULL);
}

static void
on_uploaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UploadJob *job = user_data;
  g_autoptr (GError) error = NULL;

  job->answer = tim_uploader_upload_finish (TIM_UPLOADER (source), result, &error);
  if (job->answer == NULL)
    {
      fail (job, error);
      return;
    }
  g_clear_pointer (&job->item->uploaded, json_object_unref);
  job->item->uploaded = json_object_ref (job->answer);
  file_uploaded (job);
}

static void
start_upload (UploadJob *job)
{
  TimMessage *message = job->item->message;
  GFile *file = tim_message_get_local_file (message);
  g_autofree char *name = g_file_get_basename (file);

  /* Up already, and a later step failed (a video's thumbnail): the retry would otherwise send
   * the whole file again, and leave the first copy on the server. */
  if (job->item->uploaded != NULL)
    {
      job->answer = json_object_ref (job->item->uploaded);
      file_uploaded (job);
      return;
    }
  /* Another attempt (a retry once the network is back) starts from 0: the bar of the one that
   * failed stays until then, with its Cancel, but not while the file goes up again. */
  _tim_message_set_upload (message, 0, tim_message_get_upload_total (message));
  tim_uploader_set_ticket (job->client->uploader, tim_transport_get_a2 (job->client->transport));
  tim_uploader_upload_async (job->client->uploader, tim_message_get_elem_type (message), file, name,
                             on_progress, job, job->item->cancellable, on_uploaded, job);
}

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UploadJob *job = user_data;
  g_autoptr (GError) error = NULL;

  job->media = tim_media_probe_finish (result, &error);
  /* A file we cannot probe still goes out, without duration or thumbnail. */
  if (job->media == NULL)
    g_debug ("Could not probe %s: %s", tim_message_get_id (job->item->message), error->message);
  start_upload (job);
}

void
_tim_client_upload_then_send (TimClient *self, OutboxItem *item)
{
  UploadJob *job;
  TimElemType type = tim_message_get_elem_type (item->message);

  if (type == TIM_ELEM_RELAY)
    {
      _tim_client_merger_upload_then_send (self, item);
      return;
    }
  job = g_new0 (UploadJob, 1);
  job->client = g_object_ref (self);
  job->item = item;
  if (type == TIM_ELEM_VIDEO || type == TIM_ELEM_SOUND)
    tim_media_probe_async (tim_message_get_local_file (item->message), item->cancellable, on_probed,
                           job);
  else
    start_upload (job);
}
