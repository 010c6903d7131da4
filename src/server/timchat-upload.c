/* timchat-upload.c: authenticated uploads streamed to disk, image variants, ranged downloads.
 *
 * PUT|POST /upload?kind=image|audio|video|file&name=ORIGINAL (+ the auth func's query parameters)
 *   The early handler authenticates and checks the declared size before any body byte is read;
 *   the body then goes chunk by chunk into a temp file in the storage directory (never kept in
 *   memory). When it is complete a worker thread fsyncs it, sniffs the content, measures and
 *   scales images, and renames everything to server-generated names.
 * GET|HEAD /files/NAME
 *   Serves a stored file in 64 KiB pieces, with single-range support.
 *
 * This file has the object, the early handler and the streaming; the worker thread is in
 * timchat-upload-image.c, downloads in timchat-upload-files.c, the JSON answers in
 * timchat-upload-answers.c.
 */
#define G_LOG_DOMAIN "timchat-upload"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "timchat-upload-private.h"

G_DEFINE_FINAL_TYPE (TimchatUploads, timchat_uploads, G_TYPE_OBJECT)

enum
{
  SIGNAL_STORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------------- */
/* Kinds and client file names                                                                    */

static const UploadKind upload_kinds[] = {
  { "image", TIM_IMAGE_MAX_BYTES, TRUE, TIM_ERROR_IMAGE_SIZE_LIMIT, TIM_ERROR_INTERNAL },
  { "audio", TIM_AUDIO_MAX_BYTES, FALSE, TIM_ERROR_AUDIO_SIZE_LIMIT, TIM_ERROR_AUDIO_UPLOAD_FAIL },
  { "video", TIM_VIDEO_MAX_BYTES, FALSE, TIM_ERROR_VIDEO_SIZE_LIMIT, TIM_ERROR_VIDEO_UPLOAD_FAIL },
  { "file", TIM_FILE_MAX_BYTES, FALSE, TIM_ERROR_FILE_SIZE_LIMIT, TIM_ERROR_FILE_UPLOAD_FAIL },
};

static gboolean
kind_too_big (const UploadKind *kind, goffset size)
{
  return kind->strict ? size >= kind->max_bytes : size > kind->max_bytes;
}

/* The client's name is display metadata only: valid UTF-8, no directory part, no control
 * characters, at most 255 bytes. */
static char *
sanitize_file_name (const char *name)
{
  g_autofree char *valid = NULL;
  const char *base;
  GString *out;

  if (name == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (name, -1);
  base = valid;
  for (const char *p = valid; *p; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;

  out = g_string_new (NULL);
  for (const char *p = base; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        continue;
      if (out->len + (next - p) > 255)
        break;
      g_string_append_len (out, p, next - p);
    }
  if (strcmp (out->str, ".") == 0 || strcmp (out->str, "..") == 0)
    g_string_truncate (out, 0);
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------------- */
/* One upload                                                                                     */

static void
upload_clear (Upload *upload)
{
  if (upload->fd >= 0)
    close (upload->fd);
  if (upload->tmp_path)
    g_unlink (upload->tmp_path);
  g_free (upload->tmp_path);
  g_free (upload->user_id);
  g_free (upload->file_name);
  for (int i = 0; i < N_VARIANTS; i++)
    g_free (upload->variants[i].name);
  g_clear_object (&upload->self);
}

static void
upload_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) upload_clear);
}

static void
upload_discard_temp (Upload *upload)
{
  if (upload->fd >= 0)
    close (upload->fd);
  upload->fd = -1;
  if (upload->tmp_path)
    g_unlink (upload->tmp_path);
  g_clear_pointer (&upload->tmp_path, g_free);
}

static void
upload_fail (Upload *upload, SoupServerMessage *msg, int code)
{
  upload->failed = TRUE;
  upload_discard_temp (upload);
  _timchat_upload_refuse_request (msg, _timchat_upload_http_status_for_code (code), code, NULL);
}

static void
upload_got_chunk_cb (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  Upload *upload = user_data;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (upload->failed)
    return;

  /* Catches chunked bodies, which declare no length. */
  if (kind_too_big (upload->kind, upload->received + (goffset) len))
    {
      upload_fail (upload, msg, upload->kind->size_code);
      return;
    }

  while (len > 0)
    {
      ssize_t n = write (upload->fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_warning ("Writing %s: %s", upload->tmp_path, g_strerror (errno));
          upload_fail (upload, msg, upload->kind->fail_code);
          return;
        }
      data += n;
      len -= n;
      upload->received += n;
    }
}

static void
upload_wrote_body_cb (SoupServerMessage *msg, gpointer user_data)
{
  Upload *upload = user_data;

  upload->answered = TRUE;
}

static void
upload_finished_cb (SoupServerMessage *msg, gpointer user_data)
{
  Upload *upload = user_data;

  upload->finished = TRUE;
  /* The client went away while the worker stored its upload: libsoup notices only when the
   * message is unpaused to be answered, so upload_done_cb () could not tell. The answer is the
   * only place the names are given, so nobody will ever learn them (and the client's retry
   * uploads the file again): they would only fill the disk until retention, or for good. */
  if (upload->stored && !upload->answered)
    _timchat_upload_remove_stored (upload);
}

static void
upload_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SoupServerMessage) msg = user_data;
  Upload *upload = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  upload->self->running--;
  if (upload->finished)
    {
      /* The client went away while we worked: nobody will ever learn these names. */
      if (g_task_propagate_boolean (G_TASK (result), NULL))
        _timchat_upload_remove_stored (upload);
      return;
    }

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_auto (GStrv) names = _timchat_upload_stored_names (upload);

      g_debug ("%s stored %s (%" G_GOFFSET_FORMAT " bytes)", upload->user_id,
               upload->variants[VARIANT_ORIGINAL].name, upload->variants[VARIANT_ORIGINAL].size);
      g_signal_emit (upload->self, signals[SIGNAL_STORED], 0, names);
      _timchat_upload_respond_upload (msg, upload);
      upload->stored = TRUE;
    }
  else
    {
      int code = error->domain == TIM_ERROR ? error->code : upload->kind->fail_code;

      /* Gone before the answer says so: a refused file was never on the server for anyone. */
      upload_discard_temp (upload);
      if (_timchat_upload_http_status_for_code (code) == SOUP_STATUS_INTERNAL_SERVER_ERROR)
        g_warning ("Upload by %s failed: %s", upload->user_id, error->message);
      _timchat_upload_respond_error (msg, _timchat_upload_http_status_for_code (code), code,
                                     _timchat_upload_http_status_for_code (code) ==
                                             SOUP_STATUS_INTERNAL_SERVER_ERROR
                                         ? NULL
                                         : error->message);
    }
  soup_server_message_unpause (msg);
}

/* Runs once the headers are in, before any body byte is read. */
static void
upload_early_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  TimchatUploads *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *kind_name = query ? g_hash_table_lookup (query, "kind") : NULL;
  const UploadKind *kind = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *tmp_path = NULL;
  Upload *upload;
  int fd;

  if (strcmp (path, "/upload") != 0)
    {
      _timchat_upload_refuse_request (msg, SOUP_STATUS_NOT_FOUND, TIM_ERROR_INVALID_COMMAND, NULL);
      return;
    }
  if (method != SOUP_METHOD_PUT && method != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "PUT, POST");
      _timchat_upload_refuse_request (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                      TIM_ERROR_INVALID_OPERATION, NULL);
      return;
    }
  for (gsize i = 0; kind_name && i < G_N_ELEMENTS (upload_kinds); i++)
    if (strcmp (upload_kinds[i].name, kind_name) == 0)
      kind = &upload_kinds[i];
  if (kind == NULL)
    {
      _timchat_upload_refuse_request (msg, SOUP_STATUS_BAD_REQUEST, TIM_ERROR_INVALID_PARAMETER,
                                      "kind must be image, audio, video or file");
      return;
    }

  user_id = self->auth (msg, query, &error, self->auth_data);
  if (user_id == NULL)
    {
      int code = error && error->domain == TIM_ERROR ? error->code : TIM_ERROR_USERSIG_INVALID;

      _timchat_upload_refuse_request (msg, SOUP_STATUS_UNAUTHORIZED, code,
                                      error ? error->message : NULL);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      goffset declared = soup_message_headers_get_content_length (headers);

      if (declared == 0)
        {
          _timchat_upload_refuse_request (msg, SOUP_STATUS_BAD_REQUEST, TIM_ERROR_FILE_EMPTY, NULL);
          return;
        }
      if (kind_too_big (kind, declared))
        {
          _timchat_upload_refuse_request (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                          kind->size_code, NULL);
          return;
        }
    }

  tmp_path = g_build_filename (self->storage_dir, TEMP_PREFIX "XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600); /* read back to sniff */
  if (fd < 0)
    {
      g_warning ("Cannot create %s: %s", tmp_path, g_strerror (errno));
      _timchat_upload_refuse_request (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, kind->fail_code,
                                      NULL);
      return;
    }

  upload = g_atomic_rc_box_new0 (Upload);
  upload->self = g_object_ref (self);
  upload->kind = kind;
  upload->fd = fd;
  upload->tmp_path = g_steal_pointer (&tmp_path);
  upload->user_id = g_steal_pointer (&user_id);
  upload->file_name = sanitize_file_name (g_hash_table_lookup (query, "name"));
  g_object_set_data_full (G_OBJECT (msg), "timchat-upload", upload, upload_release);

  /* Stream: libsoup hands us each chunk and keeps none of them. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), upload);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (upload_wrote_body_cb), upload);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), upload);
}

/* ---------------------------------------------------------------------------------------------- */
/* Image workers                                                                                  */

/* An image's worker decodes it whole: up to 256 MiB for one at the pixel limit
 * (timchat-upload-image.c), as much again while its EXIF orientation turns a copy. In GLib's
 * shared pool every upload that completed got a thread at once, so a handful of large images
 * sent together took gigabytes and the server went out of memory, for everyone. Images go to a
 * pool of their own with this many threads, process-wide (memory is the process's); the others
 * wait their turn in the queue, in the order their bodies were complete, without holding a
 * thread. Other kinds decode nothing and do not wait behind them. */
#define MAX_IMAGE_WORKERS 2

static void
image_worker (gpointer data, gpointer user_data)
{
  g_autoptr (GTask) task = data;

  _timchat_upload_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                          g_task_get_cancellable (task));
}

static GThreadPool *
image_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool,
                       g_thread_pool_new (image_worker, NULL, MAX_IMAGE_WORKERS, FALSE, NULL));
  return pool;
}

/* Runs when the whole body is on disk (libsoup skips it when the early handler or a chunk
 * refused the request). */
static void
upload_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  TimchatUploads *self = user_data;
  Upload *upload = g_object_get_data (G_OBJECT (msg), "timchat-upload");
  g_autoptr (GTask) task = NULL;

  if (upload == NULL || upload->failed)
    {
      _timchat_upload_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, TIM_ERROR_INTERNAL,
                                     NULL);
      return;
    }

  soup_server_message_pause (msg);
  task = g_task_new (self, self->cancellable, upload_done_cb, g_object_ref (msg));
  g_task_set_source_tag (task, upload_cb);
  /* What the worker did, even once cancelled: an upload it stored is answered, or removed. */
  g_task_set_check_cancellable (task, FALSE);
  self->running++;
  g_task_set_task_data (task, g_atomic_rc_box_acquire (upload), upload_release);
  if (strcmp (upload->kind->name, "image") == 0)
    g_thread_pool_push (image_pool (), g_object_ref (task), NULL);
  else
    g_task_run_in_thread (task, _timchat_upload_thread);
}

/* ---------------------------------------------------------------------------------------------- */

static void
timchat_uploads_dispose (GObject *object)
{
  TimchatUploads *self = TIMCHAT_UPLOADS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (timchat_uploads_parent_class)->dispose (object);
}

static void
timchat_uploads_finalize (GObject *object)
{
  TimchatUploads *self = TIMCHAT_UPLOADS (object);

  /* No worker is left: each holds the object through its upload. */
  g_rw_lock_clear (&self->storing);

  if (self->auth_destroy)
    self->auth_destroy (self->auth_data);
  g_free (self->storage_dir);

  G_OBJECT_CLASS (timchat_uploads_parent_class)->finalize (object);
}

static void
timchat_uploads_class_init (TimchatUploadsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = timchat_uploads_dispose;
  object_class->finalize = timchat_uploads_finalize;

  /* An upload is on disk under these names (GStrv), about to be answered: the server starts
   * their retention clock. */
  signals[SIGNAL_STORED] = g_signal_new ("stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
timchat_uploads_init (TimchatUploads *self)
{
  self->cancellable = g_cancellable_new ();
  g_rw_lock_init (&self->storing);
}

/* Temp files left by a crash are never referenced by anyone: drop them. */
static void
sweep_temp_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (d && (entry = g_dir_read_name (d)))
    if (g_str_has_prefix (entry, TEMP_PREFIX))
      {
        g_autofree char *path = g_build_filename (dir, entry, NULL);
        g_unlink (path);
      }
}

/**
 * timchat_uploads_new:
 * @storage_dir: where files are stored (created 0700 if missing); not a served root
 * @auth: decides who uploads, from the request (typically its query parameters)
 *
 * Returns: (transfer full): a new #TimchatUploads
 */
TimchatUploads *
timchat_uploads_new (const char *storage_dir, TimchatUploadAuthFunc auth, gpointer auth_data,
                     GDestroyNotify auth_destroy)
{
  TimchatUploads *self;

  g_return_val_if_fail (storage_dir != NULL, NULL);
  g_return_val_if_fail (auth != NULL, NULL);

  self = g_object_new (TIMCHAT_TYPE_UPLOADS, NULL);
  self->storage_dir = g_strdup (storage_dir);
  self->auth = auth;
  self->auth_data = auth_data;
  self->auth_destroy = auth_destroy;

  if (g_mkdir_with_parents (storage_dir, 0700) != 0)
    g_warning ("Cannot create %s: %s", storage_dir, g_strerror (errno));
  sweep_temp_files (storage_dir);
  return self;
}

/**
 * timchat_uploads_attach:
 *
 * Registers the early and normal handlers for /upload and the handler for /files on @server.
 * The server keeps @self alive while they are registered.
 */
void
timchat_uploads_attach (TimchatUploads *self, SoupServer *server)
{
  g_return_if_fail (TIMCHAT_IS_UPLOADS (self));
  g_return_if_fail (SOUP_IS_SERVER (server));

  soup_server_add_early_handler (server, "/upload", upload_early_cb, g_object_ref (self),
                                 g_object_unref);
  soup_server_add_handler (server, "/upload", upload_cb, g_object_ref (self), g_object_unref);
  soup_server_add_handler (server, "/files", _timchat_upload_files_cb, g_object_ref (self),
                           g_object_unref);
  g_signal_connect (server, "request-started", G_CALLBACK (_timchat_upload_request_started_cb),
                    NULL);
}

const char *
timchat_uploads_get_storage_dir (TimchatUploads *self)
{
  g_return_val_if_fail (TIMCHAT_IS_UPLOADS (self), NULL);

  return self->storage_dir;
}

/**
 * timchat_uploads_drain:
 * @timeout_ms: how long the running workers may take
 *
 * For a server that stops: runs the main context until every upload whose body is in has been
 * answered (at most @timeout_ms), while its client is still connected. What has not finished
 * by then is cancelled: a worker that has not stored its upload yet will not (its temp file is
 * swept at the next start), and one storing it finishes first, its answer then given here too.
 * Stored and never answered, an upload would stay on the disk under names nobody learns,
 * unlisted for retention: kept for good.
 */
void
timchat_uploads_drain (TimchatUploads *self, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_if_fail (TIMCHAT_IS_UPLOADS (self));

  while (self->running > 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  if (self->running == 0)
    return;
  g_message ("Stopping %u uploads not stored yet", self->running);
  g_cancellable_cancel (self->cancellable);
  /* Every worker that took it before the cancellation has handed its result back. */
  g_rw_lock_writer_lock (&self->storing);
  g_rw_lock_writer_unlock (&self->storing);
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}
