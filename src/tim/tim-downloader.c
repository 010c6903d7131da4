/* tim-downloader.c: GET a media URL with libsoup and stream it into the cache. Progress counts
 * the bytes we read from the response stream ourselves (libsoup 3.2 has no got-body-data). Each
 * download writes a private ".part" file that is renamed over the cached name at the end, so a
 * cached file is always complete and two rows fetching one URL cannot corrupt each other; a copy
 * to a destination (Downloads, Save As) goes the same way, and its rename never replaces a file
 * that was put there while it came (move_into_place ()). */
#define G_LOG_DOMAIN "tim-downloader"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <libsoup/soup.h>
#include <errno.h>
#include <string.h>

#include "tim-downloader.h"

#define CHUNK_SIZE (64 * 1024)

struct _TimDownloader
{
  GObject parent_instance;

  SoupSession *session;
  char *cache_dir;
};

G_DEFINE_FINAL_TYPE (TimDownloader, tim_downloader, G_TYPE_OBJECT)

typedef struct
{
  GFile *cache_file;
  GFile *part_file;
  GFile *destination;
  char *destination_was; /* file_identity () of destination when the copy was asked for */
  SoupMessage *msg;
  GInputStream *input;
  GOutputStream *output;
  GBytes *chunk;
  TimProgressFunc progress;
  gpointer progress_data;
  goffset received;
  goffset total;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  /* A failed or cancelled download leaves no partial file behind. */
  if (fetch->part_file != NULL)
    g_file_delete (fetch->part_file, NULL, NULL);
  g_clear_object (&fetch->cache_file);
  g_clear_object (&fetch->part_file);
  g_clear_object (&fetch->destination);
  g_free (fetch->destination_was);
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->input);
  g_clear_object (&fetch->output);
  g_clear_pointer (&fetch->chunk, g_bytes_unref);
  g_free (fetch);
}

static void
tim_downloader_finalize (GObject *object)
{
  TimDownloader *self = TIM_DOWNLOADER (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->cache_dir, g_free);
  G_OBJECT_CLASS (tim_downloader_parent_class)->finalize (object);
}

static void
tim_downloader_class_init (TimDownloaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tim_downloader_finalize;
}

static void
tim_downloader_init (TimDownloader *self)
{
  self->session = soup_session_new ();
}

TimDownloader *
tim_downloader_new (const char *cache_dir)
{
  TimDownloader *self = g_object_new (TIM_TYPE_DOWNLOADER, NULL);

  self->cache_dir = g_strdup (cache_dir);
  return self;
}

TimDownloader *
tim_downloader_get_default (void)
{
  static TimDownloader *instance;

  if (g_once_init_enter (&instance))
    {
      g_autofree char *dir =
          g_build_filename (g_get_user_cache_dir (), "timchat", "downloads", NULL);

      g_once_init_leave (&instance, tim_downloader_new (dir));
    }
  return instance;
}

const char *
tim_downloader_get_cache_dir (TimDownloader *self)
{
  g_return_val_if_fail (TIM_IS_DOWNLOADER (self), NULL);
  return self->cache_dir;
}

/* "<sha256 of the URL>.<extension of its path>": the extension keeps content-type guesses
 * (GtkMediaFile, the default application) working on the cached copy. */
static GFile *
cache_file_for_url (TimDownloader *self, const char *url)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;
  const char *dot = path != NULL ? strrchr (path, '.') : NULL;
  g_autofree char *name = NULL;

  if (dot != NULL && strchr (dot, '/') == NULL && strlen (dot) <= 6 && dot[1] != '\0')
    name = g_strconcat (hash, dot, NULL);
  else
    name = g_steal_pointer (&hash);
  return g_file_new_build_filename (self->cache_dir, name, NULL);
}

GFile *
tim_downloader_lookup (TimDownloader *self, const char *url)
{
  g_autoptr (GFile) file = NULL;

  g_return_val_if_fail (TIM_IS_DOWNLOADER (self), NULL);
  if (url == NULL || *url == '\0')
    return NULL;
  file = cache_file_for_url (self, url);
  return g_file_query_exists (file, NULL) ? g_steal_pointer (&file) : NULL;
}

void
tim_downloader_forget (TimDownloader *self, const char *url)
{
  g_autoptr (GFile) cached = tim_downloader_lookup (self, url);
  g_autoptr (GError) error = NULL;

  if (cached != NULL && !g_file_delete (cached, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_warning ("Cannot remove the cached copy of %s: %s", url, error->message);
}

/* Which file is at file now (its inode and its modification time), or NULL if none is. */
static char *
file_identity (GFile *file)
{
  g_autoptr (GFileInfo) info =
      g_file_query_info (file, G_FILE_ATTRIBUTE_ID_FILE "," G_FILE_ATTRIBUTE_ETAG_VALUE,
                         G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  const char *id = NULL;
  const char *etag = NULL;

  if (info == NULL)
    return NULL;
  id = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ID_FILE);
  etag = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ETAG_VALUE);
  return g_strdup_printf ("%s %s", id != NULL ? id : "", etag != NULL ? etag : "");
}

/* Renames the whole copy onto the destination. The caller chose to replace the file that was
 * there when it asked (Save As asked the user first; Downloads took a free name): that one is
 * replaced. A file that appeared there or changed since (another download of the same name, a
 * file the user put there) was chosen by no one, and the rename overwrote it, lost: it is kept,
 * and the copy fails with G_IO_ERROR_EXISTS. When nothing was there, the rename itself refuses
 * to overwrite (GLib checks just before it), so one that appears at the last moment is kept too. */
static gboolean
move_into_place (Fetch *fetch, GCancellable *cancellable, GError **error)
{
  g_autofree char *now = file_identity (fetch->destination);
  g_autoptr (GError) local = NULL;
  g_autofree char *name = NULL;

  if ((now == NULL || g_strcmp0 (now, fetch->destination_was) == 0) &&
      g_file_move (fetch->part_file, fetch->destination,
                   fetch->destination_was != NULL ? G_FILE_COPY_OVERWRITE : G_FILE_COPY_NONE,
                   cancellable, NULL, NULL, &local))
    return TRUE;
  if (local != NULL && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  name = g_file_get_parse_name (fetch->destination);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               "Another file was put at %s while this one was coming; it was kept, and this one "
               "was not saved",
               name);
  return FALSE;
}

static void
copied_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_file_copy_finish (G_FILE (source), result, &error) ||
      !move_into_place (fetch, g_task_get_cancellable (task), &error))
    {
      g_task_return_error (task, error); /* fetch_free removes the partial copy */
      return;
    }
  g_clear_object (&fetch->part_file);
  g_task_return_pointer (task, g_object_ref (fetch->destination), g_object_unref);
}

/* A private ".part" name beside file, as for the cache: a rename from there is atomic. */
static GFile *
part_file_beside (GFile *file)
{
  g_autoptr (GFile) parent = g_file_get_parent (file);
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *part_name = g_strdup_printf ("%s.%08x.part", base, g_random_int ());

  return parent != NULL ? g_file_get_child (parent, part_name) : NULL;
}

/* The cached copy is complete: hand it out, or copy it where the caller wants it. The copy is
 * written beside the destination and renamed over it once whole: one that fails or is cancelled
 * partway (a full disk) leaves no file under the destination's name to be shown and opened as
 * the whole one, and a file that was there stays as it was. */
static void
deliver (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  if (fetch->destination == NULL)
    {
      g_task_return_pointer (task, g_object_ref (fetch->cache_file), g_object_unref);
      g_object_unref (task);
      return;
    }
  fetch->part_file = part_file_beside (fetch->destination);
  if (fetch->part_file == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                               "Cannot save over a root directory");
      g_object_unref (task);
      return;
    }
  g_file_copy_async (fetch->cache_file, fetch->part_file, G_FILE_COPY_TARGET_DEFAULT_PERMS,
                     G_PRIORITY_DEFAULT, g_task_get_cancellable (task), NULL, NULL, copied_cb,
                     task);
}

static void
fail (GTask *task, GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      fail (task, error);
      return;
    }
  if (fetch->total > 0 && fetch->received != fetch->total)
    {
      fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                               "Download ended after %" G_GOFFSET_FORMAT " of %" G_GOFFSET_FORMAT
                               " bytes",
                               fetch->received, fetch->total));
      return;
    }
  if (!g_file_move (fetch->part_file, fetch->cache_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL,
                    &error))
    {
      fail (task, error);
      return;
    }
  g_clear_object (&fetch->part_file);
  deliver (task);
}

static void read_next (GTask *task);

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    {
      fail (task, error);
      return;
    }
  fetch->received += written;
  g_clear_pointer (&fetch->chunk, g_bytes_unref);
  if (fetch->progress != NULL)
    fetch->progress (fetch->received, fetch->total, fetch->progress_data);
  read_next (task);
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL)
    {
      fail (task, error);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_bytes_unref (bytes);
      g_output_stream_close_async (fetch->output, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   closed_cb, task);
      return;
    }
  fetch->chunk = bytes;
  g_output_stream_write_all_async (fetch->output, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), written_cb, task);
}

static void
read_next (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (fetch->input, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  fetch->output = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (source), result, &error));
  if (fetch->output == NULL)
    {
      fail (task, error);
      return;
    }
  if (fetch->progress != NULL)
    fetch->progress (0, fetch->total, fetch->progress_data);
  read_next (task);
}

static void
sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  TimDownloader *self = g_task_get_source_object (task);
  g_autofree char *part_name = NULL;
  g_autofree char *base = NULL;
  const char *encoding;
  GError *error = NULL;
  guint status;

  fetch->input = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->input == NULL)
    {
      fail (task, error);
      return;
    }
  status = soup_message_get_status (fetch->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* Gone (its server removed it) or never there: say that in words, not only the status. */
      if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
        fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                 _ ("The file is no longer on the server (HTTP %u)"), status));
      else
        fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _ ("The server did not hand out the file (HTTP %u %s)"), status,
                                 soup_message_get_reason_phrase (fetch->msg)));
      return;
    }
  /* The size of what is read. A body sent compressed (Content-Encoding: gzip, from a reverse
   * proxy or a CDN that stores files compressed) is decoded by libsoup on the way: its
   * Content-Length is the compressed size, which every such download "ended" past, failed. Its
   * size is not known then, as for a chunked answer; libsoup still fails a body that stops short
   * of its Content-Length. */
  encoding = soup_message_headers_get_one (soup_message_get_response_headers (fetch->msg),
                                           "Content-Encoding");
  fetch->total =
      encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0
          ? soup_message_headers_get_content_length (soup_message_get_response_headers (fetch->msg))
          : 0;
  if (g_mkdir_with_parents (self->cache_dir, 0700) != 0)
    {
      fail (task, g_error_new (G_IO_ERROR, g_io_error_from_errno (errno), "Cannot create %s: %s",
                               self->cache_dir, g_strerror (errno)));
      return;
    }
  base = g_file_get_basename (fetch->cache_file);
  part_name = g_strdup_printf ("%s.%08x.part", base, g_random_int ());
  fetch->part_file = g_file_new_build_filename (self->cache_dir, part_name, NULL);
  g_file_replace_async (fetch->part_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT,
                        g_task_get_cancellable (task), opened_cb, task);
}

void
tim_downloader_fetch_async (TimDownloader *self, const char *url, GFile *destination,
                            TimProgressFunc progress, gpointer progress_data,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task;
  Fetch *fetch;
  g_autoptr (GUri) uri = NULL;

  g_return_if_fail (TIM_IS_DOWNLOADER (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_downloader_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->destination = destination != NULL ? g_object_ref (destination) : NULL;
  /* Now, when the caller has just chosen it: see move_into_place (). */
  fetch->destination_was = destination != NULL ? file_identity (destination) : NULL;
  fetch->progress = progress;
  fetch->progress_data = progress_data;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      fail (task,
            g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not an HTTP URL: %s", url));
      return;
    }
  fetch->cache_file = cache_file_for_url (self, url);
  if (g_file_query_exists (fetch->cache_file, NULL))
    {
      deliver (task);
      return;
    }
  fetch->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_session_send_async (self->session, fetch->msg, G_PRIORITY_DEFAULT, cancellable, sent_cb,
                           task);
}

GFile *
tim_downloader_fetch_finish (TimDownloader *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The last step of a fetch, from a file that did not have to come: a Save As of one's own file
 * went straight into the destination with g_file_copy (), which left the part it had written
 * there when it failed partway, and had already cut short the file it replaced. */
void
tim_downloader_copy_async (TimDownloader *self, GFile *source, GFile *destination,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GTask *task;
  Fetch *fetch;

  g_return_if_fail (TIM_IS_DOWNLOADER (self));
  g_return_if_fail (G_IS_FILE (source));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_downloader_copy_async);
  fetch = g_new0 (Fetch, 1);
  fetch->cache_file = g_object_ref (source); /* what deliver () copies from */
  fetch->destination = g_object_ref (destination);
  fetch->destination_was = file_identity (destination);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  deliver (task);
}

GFile *
tim_downloader_copy_finish (TimDownloader *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tim_downloader_copy_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
