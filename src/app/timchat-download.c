/* timchat-download.c: see timchat-download.h. The transfer itself is libtim's TimDownloader; this
 * holds what a row needs to show it (bytes so far, the file, the error) for as long as the row
 * that started it may not live. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <string.h>

#include "tim-downloader.h"
#include "timchat-download.h"

struct _TimchatDownload
{
  GObject parent_instance;

  char *url;
  char *name;    /* the file's own name, which target is chosen from */
  GFile *target; /* where it will be written, once all of it has come */
  GCancellable *cancellable;
  gboolean running;
  goffset received;
  goffset total;
  GFile *file;
  char *error;
};

G_DEFINE_FINAL_TYPE (TimchatDownload, timchat_download, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_RECEIVED,
  PROP_TOTAL,
  PROP_FILE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* URL -> TimchatDownload: those under way and those done. */
static GHashTable *downloads;

static GHashTable *
get_downloads (void)
{
  if (downloads == NULL)
    downloads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  return downloads;
}

TimchatDownload *
timchat_download_lookup (const char *url)
{
  TimchatDownload *self;

  g_return_val_if_fail (url != NULL, NULL);
  self = g_hash_table_lookup (get_downloads (), url);
  /* Done, but its file was deleted or moved since: forgotten, so Download fetches it again. */
  if (self != NULL && self->file != NULL && !g_file_query_exists (self->file, NULL))
    {
      g_hash_table_remove (get_downloads (), url);
      return NULL;
    }
  return self;
}

/* Not running any more; a download that did not end with its file is forgotten, so the next
 * start begins again. */
static void
finish (TimchatDownload *self)
{
  g_autoptr (TimchatDownload) kept = g_object_ref (self);

  self->running = FALSE;
  if (self->file == NULL && g_hash_table_lookup (get_downloads (), self->url) == self)
    g_hash_table_remove (get_downloads (), self->url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
progress_cb (goffset received, goffset total, gpointer user_data)
{
  TimchatDownload *self = user_data;

  if (!self->running)
    return;
  self->received = received;
  if (total > 0 && total != self->total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED]);
}

/* Whether a download under way will write file: its name is taken before the file exists (it
 * is written at the end), so a name for another download must not be chosen by the disk alone. */
static gboolean
claims (GFile *file)
{
  GHashTableIter iter;
  gpointer download;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  g_hash_table_iter_init (&iter, get_downloads ());
  while (g_hash_table_iter_next (&iter, NULL, &download))
    if (TIMCHAT_DOWNLOAD (download)->running &&
        g_file_equal (TIMCHAT_DOWNLOAD (download)->target, file))
      return TRUE;
  return FALSE;
}

/* "name.txt" in the Downloads folder, or "name (2).txt" if that is taken: there, or by a
 * download under way, which writes its file only once all of it has come (two files of one name
 * downloaded at once were both written to "name.txt", the second over the first). */
static GFile *
free_download_file (const char *name)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  g_autofree char *safe = g_path_get_basename (name != NULL && *name != '\0' ? name : "file");
  const char *dot = strrchr (safe, '.');
  g_autofree char *stem =
      g_strndup (safe, dot != NULL && dot != safe ? (gsize) (dot - safe) : strlen (safe));
  const char *ext = dot != NULL && dot != safe ? dot : "";
  GFile *file = g_file_new_build_filename (dir != NULL ? dir : g_get_home_dir (), safe, NULL);

  for (int i = 2; (g_file_query_exists (file, NULL) || claims (file)) && i < 1000; i++)
    {
      g_autofree char *next = g_strdup_printf ("%s (%d)%s", stem, i, ext);

      g_object_unref (file);
      file = g_file_new_build_filename (dir != NULL ? dir : g_get_home_dir (), next, NULL);
    }
  return file;
}

static void
fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatDownload) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &error);

  /* Cancelled: finished already, when it was. */
  if (!self->running)
    return;
  /* Another file was put under the name chosen for this one while it came (the downloader
   * keeps it): this one takes the next free name, as it did when it started. Its data is in the
   * cache by now, so that is a copy. A name that cannot change any more is the error. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autoptr (GFile) next = free_download_file (self->name);

      if (!g_file_equal (next, self->target))
        {
          g_set_object (&self->target, next);
          tim_downloader_fetch_async (tim_downloader_get_default (), self->url, self->target,
                                      progress_cb, self, self->cancellable, fetched_cb,
                                      g_object_ref (self));
          return;
        }
    }
  if (file != NULL)
    {
      self->file = g_steal_pointer (&file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  else
    {
      self->error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  finish (self);
}

TimchatDownload *
timchat_download_start (const char *url, const char *name)
{
  TimchatDownload *self;

  g_return_val_if_fail (url != NULL, NULL);

  if ((self = timchat_download_lookup (url)) != NULL)
    return self;
  self = g_object_new (TIMCHAT_TYPE_DOWNLOAD, NULL);
  self->url = g_strdup (url);
  self->name = g_strdup (name);
  self->target = free_download_file (name);
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  g_hash_table_insert (get_downloads (), self->url, self);
  tim_downloader_fetch_async (tim_downloader_get_default (), url, self->target, progress_cb, self,
                              self->cancellable, fetched_cb, g_object_ref (self));
  return self;
}

void
timchat_download_cancel (TimchatDownload *self)
{
  g_return_if_fail (TIMCHAT_IS_DOWNLOAD (self));

  if (!self->running)
    return;
  g_cancellable_cancel (self->cancellable);
  finish (self);
}

gboolean
timchat_download_get_running (TimchatDownload *self)
{
  g_return_val_if_fail (TIMCHAT_IS_DOWNLOAD (self), FALSE);
  return self->running;
}

goffset
timchat_download_get_received (TimchatDownload *self)
{
  g_return_val_if_fail (TIMCHAT_IS_DOWNLOAD (self), 0);
  return self->received;
}

goffset
timchat_download_get_total (TimchatDownload *self)
{
  g_return_val_if_fail (TIMCHAT_IS_DOWNLOAD (self), 0);
  return self->total;
}

GFile *
timchat_download_get_file (TimchatDownload *self)
{
  g_return_val_if_fail (TIMCHAT_IS_DOWNLOAD (self), NULL);
  return self->file;
}

const char *
timchat_download_get_error (TimchatDownload *self)
{
  g_return_val_if_fail (TIMCHAT_IS_DOWNLOAD (self), NULL);
  return self->error;
}

static void
timchat_download_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimchatDownload *self = TIMCHAT_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_RECEIVED:
      g_value_set_int64 (value, self->received);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_download_finalize (GObject *object)
{
  TimchatDownload *self = TIMCHAT_DOWNLOAD (object);

  g_free (self->url);
  g_free (self->name);
  g_clear_object (&self->target);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_free (self->error);
  G_OBJECT_CLASS (timchat_download_parent_class)->finalize (object);
}

static void
timchat_download_class_init (TimchatDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = timchat_download_get_property;
  object_class->finalize = timchat_download_finalize;
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECEIVED] = g_param_spec_int64 ("received", NULL, NULL, 0, G_MAXINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
      g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
timchat_download_init (TimchatDownload *self)
{
}
