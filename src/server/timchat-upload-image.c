/* timchat-upload-image.c: the worker thread of an upload. Sniffs the content from its magic
 * bytes, measures images and writes their thumbnail and large variants with gdk-pixbuf, and
 * renames everything to server-generated names. */
#define G_LOG_DOMAIN "timchat-upload"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "timchat-random.h"
#include "timchat-upload-private.h"

#define SNIFF_BYTES 64
/* Above this many pixels we do not decode (a 20 MB PNG can declare gigapixels); the original
 * then stands in for the thumbnail and the large version. */
#define MAX_DECODE_PIXELS (64 * 1024 * 1024)

/* ---------------------------------------------------------------------------------------------- */
/* Content types                                                                                  */

static const ContentType content_types[] = {
  { "jpg", "image/jpeg", 1, "jpeg", TRUE },
  { "gif", "image/gif", 2, "gif", TRUE },
  { "png", "image/png", 3, "png", TRUE },
  { "bmp", "image/bmp", 4, "bmp", TRUE },
  { "webp", "image/webp", 255, NULL, TRUE },
  { "heic", "image/heic", 0, NULL, FALSE },
  { "mp4", "video/mp4", 0, NULL, TRUE },
  { "mov", "video/quicktime", 0, NULL, TRUE },
  { "webm", "video/webm", 0, NULL, TRUE },
  { "m4a", "audio/mp4", 0, NULL, TRUE },
  { "mp3", "audio/mpeg", 0, NULL, TRUE },
  { "aac", "audio/aac", 0, NULL, TRUE },
  { "ogg", "audio/ogg", 0, NULL, TRUE },
  { "wav", "audio/wav", 0, NULL, TRUE },
  { "amr", "audio/amr", 0, NULL, TRUE },
  { "silk", "application/octet-stream", 0, NULL, FALSE },
  { "pdf", "application/pdf", 0, NULL, FALSE },
  { "zip", "application/zip", 0, NULL, FALSE },
  { "gz", "application/gzip", 0, NULL, FALSE },
  { "bin", "application/octet-stream", 0, NULL, FALSE },
};

const ContentType *
_timchat_upload_content_type_for_ext (const char *ext)
{
  for (gsize i = 0; i < G_N_ELEMENTS (content_types); i++)
    if (strcmp (content_types[i].ext, ext) == 0)
      return &content_types[i];
  return &content_types[G_N_ELEMENTS (content_types) - 1];
}

/* Magic bytes only: the client's name and Content-Type are never trusted. */
static const ContentType *
sniff_content (const guint8 *b, gsize n)
{
  const char *ext = "bin";

#define HAS(off, lit)                                                                              \
  (n >= (off) + sizeof (lit) - 1 && memcmp (b + (off), lit, sizeof (lit) - 1) == 0)
  if (HAS (0, "\xff\xd8\xff"))
    ext = "jpg";
  else if (HAS (0, "\x89PNG\r\n\x1a\n"))
    ext = "png";
  else if (HAS (0, "GIF87a") || HAS (0, "GIF89a"))
    ext = "gif";
  else if (HAS (0, "BM") && n >= 26)
    ext = "bmp";
  else if (HAS (0, "RIFF") && HAS (8, "WEBP"))
    ext = "webp";
  else if (HAS (0, "RIFF") && HAS (8, "WAVE"))
    ext = "wav";
  else if (HAS (4, "ftyp"))
    {
      if (HAS (8, "qt  "))
        ext = "mov";
      else if (HAS (8, "M4A ") || HAS (8, "M4B "))
        ext = "m4a";
      else if (HAS (8, "heic") || HAS (8, "heix") || HAS (8, "mif1") || HAS (8, "msf1"))
        ext = "heic";
      else
        ext = "mp4";
    }
  else if (HAS (0, "\x1a\x45\xdf\xa3"))
    ext = "webm";
  else if (HAS (0, "OggS"))
    ext = "ogg";
  else if (HAS (0, "#!AMR"))
    ext = "amr";
  else if (HAS (0, "#!SILK") || HAS (1, "#!SILK"))
    ext = "silk";
  else if (HAS (0, "ID3"))
    ext = "mp3";
  else if (n >= 2 && b[0] == 0xff && (b[1] & 0xf6) == 0xf0)
    ext = "aac";
  else if (n >= 2 && b[0] == 0xff && (b[1] & 0xe0) == 0xe0 && (b[1] & 0x06) != 0)
    ext = "mp3";
  else if (HAS (0, "%PDF-"))
    ext = "pdf";
  else if (HAS (0, "PK\x03\x04"))
    ext = "zip";
  else if (HAS (0, "\x1f\x8b"))
    ext = "gz";
#undef HAS

  return _timchat_upload_content_type_for_ext (ext);
}

/* ---------------------------------------------------------------------------------------------- */
/* Image variants and the worker thread                                                           */

const VariantSpec _timchat_upload_variant_specs[N_VARIANTS] = {
  { 1, 0 },
  { 3, TIM_THUMB_SHORT_SIDE },
  { 2, TIM_LARGE_SHORT_SIDE },
};

static gboolean
fsync_path (const char *path, int flags)
{
  int fd = open (path, flags | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

static gboolean
read_webp_size (const guint8 *b, gsize n, int *width, int *height)
{
  if (n >= 30 && memcmp (b + 12, "VP8X", 4) == 0)
    {
      *width = 1 + (b[24] | b[25] << 8 | b[26] << 16);
      *height = 1 + (b[27] | b[28] << 8 | b[29] << 16);
      return TRUE;
    }
  if (n >= 30 && memcmp (b + 12, "VP8 ", 4) == 0)
    {
      *width = (b[26] | b[27] << 8) & 0x3fff;
      *height = (b[28] | b[29] << 8) & 0x3fff;
      return *width > 0 && *height > 0;
    }
  if (n >= 25 && memcmp (b + 12, "VP8L", 4) == 0)
    {
      guint32 bits = b[21] | b[22] << 8 | b[23] << 16 | (guint32) b[24] << 24;

      *width = 1 + (bits & 0x3fff);
      *height = 1 + ((bits >> 14) & 0x3fff);
      return TRUE;
    }
  return FALSE;
}

/* Writes a scaled copy next to the original through a temp file, so a crash leaves only
 * TEMP_PREFIX files (swept at start-up), never a half-written variant under a served name. */
static gboolean
save_variant (Upload *upload, GdkPixbuf *scaled, const char *hex, int short_side, ImageVariant *out,
              GError **error)
{
  const char *dir = upload->self->storage_dir;
  gboolean jpeg = strcmp (upload->type->ext, "jpg") == 0;
  g_autofree char *tmp = g_build_filename (dir, TEMP_PREFIX "XXXXXX", NULL);
  g_autofree char *name = g_strdup_printf ("%s_%d.%s", hex, short_side, jpeg ? "jpg" : "png");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gboolean saved;
  GStatBuf st;
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "%s: %s", tmp, g_strerror (errno));
      return FALSE;
    }
  close (fd);

  if (jpeg)
    saved = gdk_pixbuf_save (scaled, tmp, "jpeg", error, "quality", "85", NULL);
  else
    saved = gdk_pixbuf_save (scaled, tmp, "png", error, NULL);
  if (!saved || !fsync_path (tmp, O_RDONLY) || g_rename (tmp, path) != 0 || g_stat (path, &st) != 0)
    {
      if (error && *error == NULL)
        g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "%s: %s", path, g_strerror (errno));
      g_unlink (tmp);
      return FALSE;
    }

  out->name = g_steal_pointer (&name);
  out->size = st.st_size;
  out->width = gdk_pixbuf_get_width (scaled);
  out->height = gdk_pixbuf_get_height (scaled);
  return TRUE;
}

/* Decodes (or at least measures) the image in the temp file. Returns the oriented pixbuf, or
 * NULL with the width and height set when it is too large or has no loader (then variants reuse
 * it). */
static gboolean
inspect_image (Upload *upload, const guint8 *head, gsize head_len, GdkPixbuf **out_pixbuf,
               int *width, int *height)
{
  GdkPixbufFormat *format;
  g_autofree char *format_name = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;

  *out_pixbuf = NULL;
  if (upload->type->pixbuf_type == NULL)
    return read_webp_size (head, head_len, width, height);

  format = gdk_pixbuf_get_file_info (upload->tmp_path, width, height);
  if (format == NULL || *width <= 0 || *height <= 0)
    return FALSE;
  /* The loader gdk-pixbuf picks must be the one our magic bytes named (no SVG, TIFF, ...). */
  format_name = gdk_pixbuf_format_get_name (format);
  if (strcmp (format_name, upload->type->pixbuf_type) != 0)
    return FALSE;
  if ((gint64) *width * *height > MAX_DECODE_PIXELS)
    return TRUE;

  pixbuf = gdk_pixbuf_new_from_file (upload->tmp_path, &error);
  if (pixbuf == NULL)
    {
      g_debug ("Not a usable image: %s", error->message);
      return FALSE;
    }
  /* Browsers honour EXIF orientation, so the sizes we report and the variants follow it. */
  *out_pixbuf = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  *width = gdk_pixbuf_get_width (*out_pixbuf);
  *height = gdk_pixbuf_get_height (*out_pixbuf);
  return TRUE;
}

/* len * side / shorter, rounded to nearest, in 64 bits (len can be millions of pixels). */
static int
scale_side (int len, int side, int shorter)
{
  return (int) MAX (1, ((gint64) len * side * 2 + shorter) / ((gint64) shorter * 2));
}

static gboolean
make_variants (Upload *upload, GdkPixbuf *pixbuf, const char *hex, GError **error)
{
  ImageVariant *orig = &upload->variants[VARIANT_ORIGINAL];

  for (int i = VARIANT_THUMB; i < N_VARIANTS; i++)
    {
      int side = _timchat_upload_variant_specs[i].short_side;
      int shorter = MIN (orig->width, orig->height);
      g_autoptr (GdkPixbuf) scaled = NULL;
      int w, h;

      /* Never upscale: a small original is its own thumbnail/large version. */
      if (pixbuf == NULL || shorter <= side)
        {
          upload->variants[i] = *orig;
          upload->variants[i].name = g_strdup (orig->name);
          continue;
        }
      w = orig->width == shorter ? side : scale_side (orig->width, side, shorter);
      h = orig->height == shorter ? side : scale_side (orig->height, side, shorter);
      scaled = gdk_pixbuf_scale_simple (pixbuf, w, h, GDK_INTERP_BILINEAR);
      if (scaled == NULL || !save_variant (upload, scaled, hex, side, &upload->variants[i], error))
        {
          if (error && *error == NULL)
            g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INTERNAL,
                                 "Out of memory scaling an image");
          return FALSE;
        }
    }
  return TRUE;
}

/* The original and its thumbnails, each once (a small image is its own thumbnail). */
GStrv
_timchat_upload_stored_names (Upload *upload)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  for (int i = 0; i < N_VARIANTS; i++)
    if (upload->variants[i].name != NULL &&
        (i == VARIANT_ORIGINAL ||
         g_strcmp0 (upload->variants[i].name, upload->variants[VARIANT_ORIGINAL].name) != 0))
      g_strv_builder_add (names, upload->variants[i].name);
  return g_strv_builder_end (names);
}

void
_timchat_upload_remove_stored (Upload *upload)
{
  g_auto (GStrv) names = _timchat_upload_stored_names (upload);

  for (guint i = 0; names[i] != NULL; i++)
    timchat_uploads_remove_file (upload->self, names[i], NULL);
}

/* Under server-made names: the original renamed, an image's variants written beside it. */
static gboolean
store_upload (Upload *upload, GdkPixbuf *pixbuf, GError **error)
{
  ImageVariant *orig = &upload->variants[VARIANT_ORIGINAL];
  g_autofree char *hex = timchat_random_key (error);
  g_autofree char *final_path = NULL;

  if (hex == NULL)
    return FALSE;
  orig->name = g_strconcat (hex, ".", upload->type->ext, NULL);
  final_path = g_build_filename (upload->self->storage_dir, orig->name, NULL);
  if (g_rename (upload->tmp_path, final_path) != 0)
    {
      g_set_error (error, TIM_ERROR, upload->kind->fail_code, "rename: %s", g_strerror (errno));
      return FALSE;
    }
  g_clear_pointer (&upload->tmp_path, g_free);

  if (strcmp (upload->kind->name, "image") == 0 && !make_variants (upload, pixbuf, hex, error))
    {
      _timchat_upload_remove_stored (upload);
      return FALSE;
    }

  /* The renames are durable only once the directory itself is synced. */
  fsync_path (upload->self->storage_dir, O_RDONLY | O_DIRECTORY);
  return TRUE;
}

void
_timchat_upload_thread (GTask *task, gpointer source_object, gpointer task_data,
                        GCancellable *cancellable)
{
  Upload *upload = task_data;
  ImageVariant *orig = &upload->variants[VARIANT_ORIGINAL];
  guint8 head[SNIFF_BYTES];
  ssize_t head_len;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;

  if (fsync (upload->fd) != 0)
    {
      g_task_return_new_error (task, TIM_ERROR, upload->kind->fail_code, "fsync: %s",
                               g_strerror (errno));
      return;
    }
  if (upload->received == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_FILE_EMPTY, "%s",
                               tim_error_text (TIM_ERROR_FILE_EMPTY));
      return;
    }

  head_len = pread (upload->fd, head, sizeof head, 0);
  close (upload->fd);
  upload->fd = -1;
  upload->type = sniff_content (head, MAX (head_len, 0));
  orig->size = upload->received;

  if (strcmp (upload->kind->name, "image") == 0)
    {
      if (upload->type->image_format == 0 ||
          !inspect_image (upload, head, MAX (head_len, 0), &pixbuf, &orig->width, &orig->height))
        {
          g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_IMAGE_TYPE, "%s",
                                   tim_error_text (TIM_ERROR_IMAGE_TYPE));
          return;
        }
    }

  /* A server that stops answers no more uploads (timchat_uploads_drain ()): what it stored now
   * would be under names nobody learns, unlisted, kept for good. The temp file goes with the
   * upload, or with the next start's sweep. The result is handed back under the lock, so that
   * the drain, once it holds it, finds every stored upload's answer waiting on the main context. */
  g_rw_lock_reader_lock (&upload->self->storing);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !store_upload (upload, pixbuf, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
  g_rw_lock_reader_unlock (&upload->self->storing);
}
