/* tim-uploader.c: PUT /upload with the file streamed from disk. Progress is the sum of
 * SoupMessage::wrote-body-data, i.e. bytes really handed to the socket, never a guess. The limits
 * are checked before any byte is sent, and "Expect: 100-continue" lets the server refuse from the
 * headers alone, so a refused upload costs no bandwidth either way. */
#define G_LOG_DOMAIN "tim-uploader"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include <libsoup/soup.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-uploader.h"

struct _TimUploader
{
  GObject parent_instance;

  SoupSession *session;
  char *http_base;
  char *a2;
};

G_DEFINE_FINAL_TYPE (TimUploader, tim_uploader, G_TYPE_OBJECT)

typedef struct
{
  const char *name;  /* the kind= value */
  goffset max_bytes; /* largest accepted size */
  int too_big_code;  /* error when over max_bytes */
  int network_code;  /* error when the transfer fails */
} UploadKind;

/* Images must be strictly smaller than TIM_IMAGE_MAX_BYTES, the others may reach their limit. */
static const UploadKind image_kind = { "image", TIM_IMAGE_MAX_BYTES - 1, TIM_ERROR_IMAGE_SIZE_LIMIT,
                                       TIM_ERROR_FILE_UPLOAD_FAIL };
static const UploadKind audio_kind = { "audio", TIM_AUDIO_MAX_BYTES, TIM_ERROR_AUDIO_SIZE_LIMIT,
                                       TIM_ERROR_AUDIO_UPLOAD_FAIL };
static const UploadKind video_kind = { "video", TIM_VIDEO_MAX_BYTES, TIM_ERROR_VIDEO_SIZE_LIMIT,
                                       TIM_ERROR_VIDEO_UPLOAD_FAIL };
static const UploadKind file_kind = { "file", TIM_FILE_MAX_BYTES, TIM_ERROR_FILE_SIZE_LIMIT,
                                      TIM_ERROR_FILE_UPLOAD_FAIL };

static const UploadKind *
kind_for_type (TimElemType type)
{
  switch (type)
    {
    case TIM_ELEM_IMAGE:
      return &image_kind;
    case TIM_ELEM_SOUND:
      return &audio_kind;
    case TIM_ELEM_VIDEO:
      return &video_kind;
    case TIM_ELEM_FILE:
      return &file_kind;
    default:
      return NULL;
    }
}

typedef struct
{
  const UploadKind *kind;
  GFile *file;
  char *name;
  TimProgressFunc progress;
  gpointer progress_data;
  goffset size;
  goffset sent;
  GInputStream *stream;
  SoupMessage *msg;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_object (&upload->file);
  g_clear_object (&upload->stream);
  if (upload->msg != NULL)
    g_signal_handlers_disconnect_by_data (upload->msg, upload);
  g_clear_object (&upload->msg);
  g_free (upload->name);
  g_free (upload);
}

static void
tim_uploader_dispose (GObject *object)
{
  TimUploader *self = TIM_UPLOADER (object);

  /* Uploads hold a reference on the uploader (their GTask's source), so none normally runs here;
   * after g_object_run_dispose, abort whatever is left rather than keep sending. */
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tim_uploader_parent_class)->dispose (object);
}

static void
tim_uploader_finalize (GObject *object)
{
  TimUploader *self = TIM_UPLOADER (object);

  g_free (self->http_base);
  g_free (self->a2);
  G_OBJECT_CLASS (tim_uploader_parent_class)->finalize (object);
}

static void
tim_uploader_class_init (TimUploaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tim_uploader_dispose;
  object_class->finalize = tim_uploader_finalize;
}

static void
tim_uploader_init (TimUploader *self)
{
  /* A stalled transfer fails within a bounded time instead of spinning forever. */
  self->session = soup_session_new_with_options ("timeout", 30, NULL);
}

TimUploader *
tim_uploader_new (const char *http_base)
{
  TimUploader *self;

  g_return_val_if_fail (http_base != NULL, NULL);

  self = g_object_new (TIM_TYPE_UPLOADER, NULL);
  self->http_base = g_strdup (http_base);
  /* "http://host:port/" and "http://host:port" both work. */
  if (g_str_has_suffix (self->http_base, "/"))
    self->http_base[strlen (self->http_base) - 1] = '\0';
  return self;
}

void
tim_uploader_set_ticket (TimUploader *self, const char *a2)
{
  g_return_if_fail (TIM_IS_UPLOADER (self));

  g_free (self->a2);
  self->a2 = g_strdup (a2);
}

/* ---------------------------------------------------------------------------------------------- */
/* Local checks, in a worker thread: they touch the disk and may decode an image header.          */

/* A video or a voice clip is what its first bytes say it is: a text or a PDF sent as a video
 * would reach the peer as a player that cannot play. Bytes nothing recognises are given the
 * benefit of the doubt (a codec this computer's MIME database does not know). */
static gboolean
check_media_type (Upload *upload, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInputStream) stream = g_file_read (upload->file, cancellable, error);
  guint8 head[4096];
  gsize length = 0;
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;

  if (stream == NULL || !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head,
                                                  &length, cancellable, error))
    return FALSE;
  type = g_content_type_guess (NULL, head, length, NULL);
  mime = g_content_type_get_mime_type (type);
  if (mime == NULL || g_str_has_prefix (mime, "video/") || g_str_has_prefix (mime, "audio/") ||
      g_str_equal (mime, "application/ogg") || g_str_equal (mime, "application/octet-stream"))
    return TRUE;
  if (upload->kind == &video_kind)
    g_set_error (error, TIM_ERROR, TIM_ERROR_VIDEO_TYPE, _ ("“%s” is not a video (%s)"),
                 upload->name, mime);
  else
    g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, _ ("“%s” is not a sound file (%s)"),
                 upload->name, mime);
  return FALSE;
}

static void
check_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Upload *upload = task_data;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) stream = NULL;
  GError *error = NULL;

  info = g_file_query_info (upload->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  upload->size = g_file_info_get_size (info);
  if (upload->size == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_FILE_EMPTY, _ ("“%s” is empty"),
                               upload->name);
      return;
    }
  if (upload->size > upload->kind->max_bytes)
    {
      g_autofree char *size = g_format_size_full ((guint64) upload->size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *most =
          g_format_size_full ((guint64) upload->kind->max_bytes, G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: a file's name, its size, and the largest size of its kind ("100.0 MiB"). */
      g_task_return_new_error (task, TIM_ERROR, upload->kind->too_big_code,
                               _ ("“%s” is too big to send (%s; the most is %s)"), upload->name,
                               size, most);
      return;
    }
  if ((upload->kind == &video_kind || upload->kind == &audio_kind) &&
      !check_media_type (upload, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (upload->kind == &image_kind)
    {
      g_autofree char *path = g_file_get_path (upload->file);

      if (path == NULL || gdk_pixbuf_get_file_info (path, NULL, NULL) == NULL)
        {
          g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_IMAGE_TYPE,
                                   _ ("“%s” is not an image this computer can read"), upload->name);
          return;
        }
    }
  stream = g_file_read (upload->file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  upload->stream = G_INPUT_STREAM (g_steal_pointer (&stream));
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------------------------------------- */
/* The transfer, on the caller's main context                                                     */

static void
wrote_body_data_cb (SoupMessage *msg, guint chunk_size, gpointer user_data)
{
  Upload *upload = user_data;

  if (chunk_size == 0)
    return;
  upload->sent += chunk_size;
  if (upload->progress != NULL)
    upload->progress (upload->sent, upload->size, upload->progress_data);
}

/* The server's {"ErrorCode": n, "ErrorInfo": "..."} answer, or NULL when the body is not JSON.
 * Read as every frame is (tim_json_parse_object ()), not by a JsonParser of its own: json-glib
 * leaks on some malformed text and decodes some escapes to text that is not UTF-8. */
static JsonObject *
parse_answer (GBytes *body)
{
  gsize size = 0;
  const char *data;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &size);
  return size > 0 ? tim_json_parse_object (data, (gssize) size, NULL) : NULL;
}

/* What an answer that is not the server's own JSON says of the upload: a reverse proxy's error
 * page (nginx answers a body over its client_max_body_size 413 in text/html), a 2xx with no usable
 * body. Only the kind's upload-failed code is tried again by the outbox (is_transient () in
 * tim-client-send-request.c), so it is kept for what may get better: a server down or busy behind
 * its proxy (5xx, 429), a request that took too long (408). The rest would fail the same way
 * every 2 s for ever, and every later message of the account waits behind the outbox's head: it
 * fails for good, with the kind's size limit for a 413 and the SDK's "no URL after upload" for
 * the others. */
static GError *
http_failure (Upload *upload)
{
  guint status = soup_message_get_status (upload->msg);
  const char *reason = soup_message_get_reason_phrase (upload->msg);

  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    return g_error_new (TIM_ERROR, upload->kind->too_big_code,
                        _ ("“%s” is too large for the server"), upload->name);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return g_error_new_literal (TIM_ERROR, TIM_ERROR_MESSAGE_FILE_URL_IS_EMPTY,
                                _ ("The server’s upload answer was incomplete"));
  return g_error_new (TIM_ERROR,
                      SOUP_STATUS_IS_CLIENT_ERROR (status) &&
                              status != SOUP_STATUS_REQUEST_TIMEOUT && status != 429
                          ? TIM_ERROR_MESSAGE_FILE_URL_IS_EMPTY
                          : upload->kind->network_code,
                      _ ("Uploading “%s” failed: HTTP %u %s"), upload->name, status, reason);
}

static void
send_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonObject) answer = NULL;
  gint64 code;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, TIM_ERROR, upload->kind->network_code,
                                 _ ("Uploading “%s” failed: %s"), upload->name, error->message);
      return;
    }
  answer = parse_answer (body);
  code = answer != NULL ? json_object_get_int_member_with_default (answer, "ErrorCode", -1) : -1;
  /* The server's own refusal: its code decides (retried or not) as for any request. */
  if (code > 0)
    {
      const char *info = json_object_get_string_member_with_default (answer, "ErrorInfo", "");

      g_task_return_new_error (task, TIM_ERROR, (int) code, _ ("The server refused “%s”: %s"),
                               upload->name, *info ? info : tim_error_text ((int) code));
      return;
    }
  if (code != 0 || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (upload->msg)))
    {
      g_task_return_error (task, http_failure (upload));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_object_unref);
}

static void
check_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimUploader *self = TIM_UPLOADER (source);
  Upload *upload = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *url = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  name = g_uri_escape_string (upload->name, NULL, FALSE);
  a2 = g_uri_escape_string (self->a2, NULL, FALSE);
  url = g_strdup_printf ("%s/upload?kind=%s&name=%s&a2=%s", self->http_base, upload->kind->name,
                         name, a2);
  upload->msg = soup_message_new ("PUT", url);
  if (upload->msg == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, upload->kind->network_code,
                               _ ("Uploading “%s” failed: “%s” is not a valid server address"),
                               upload->name, self->http_base);
      return;
    }
  soup_message_headers_append (soup_message_get_request_headers (upload->msg), "Expect",
                               "100-continue");
  soup_message_set_request_body (upload->msg, "application/octet-stream", upload->stream,
                                 upload->size);
  g_signal_connect (upload->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), upload);
  cancellable = g_task_get_cancellable (task);
  soup_session_send_and_read_async (self->session, upload->msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, g_steal_pointer (&task));
}

void
tim_uploader_upload_async (TimUploader *self, TimElemType kind, GFile *file,
                           const char *display_name, TimProgressFunc progress,
                           gpointer progress_data, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) check = NULL;
  Upload *upload;

  g_return_if_fail (TIM_IS_UPLOADER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_uploader_upload_async);
  if (kind_for_type (kind) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Only images, audio, video and files can be uploaded");
      return;
    }
  if (self->a2 == NULL)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN,
                               _ ("Log in to send files"));
      return;
    }

  upload = g_new0 (Upload, 1);
  upload->kind = kind_for_type (kind);
  upload->file = g_object_ref (file);
  upload->name = display_name ? g_strdup (display_name) : g_file_get_basename (file);
  if (upload->name == NULL)
    upload->name = g_strdup ("file");
  upload->progress = progress;
  upload->progress_data = progress_data;
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  check = g_task_new (self, cancellable, check_cb, g_steal_pointer (&task));
  g_task_set_source_tag (check, check_thread);
  g_task_set_task_data (check, upload, NULL);
  g_task_run_in_thread (check, check_thread);
}

JsonObject *
tim_uploader_upload_finish (TimUploader *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TIM_IS_UPLOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
