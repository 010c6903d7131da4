/* timchat-upload.c: authenticated uploads streamed to disk, image variants, ranged downloads.
 *
 * PUT|POST /upload?kind=image|audio|video|file&name=ORIGINAL (+ the auth func's query parameters)
 *   The early handler authenticates and checks the declared size before any body byte is read;
 *   the body then goes chunk by chunk into a temp file in the storage directory (never kept in
 *   memory). When it is complete a worker thread fsyncs it, sniffs the content, measures and
 *   scales images, and renames everything to server-generated names.
 * GET|HEAD /files/NAME
 *   Serves a stored file in 64 KiB pieces, with single-range support.
 */
#define G_LOG_DOMAIN "timchat-upload"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "timchat-upload.h"

#define TEMP_PREFIX ".upload-"
#define SNIFF_BYTES 64
#define SERVE_CHUNK (64 * 1024)
/* Above this many pixels we do not decode (a 20 MB PNG can declare gigapixels); the original
 * then stands in for the thumbnail and the large version. */
#define MAX_DECODE_PIXELS (64 * 1024 * 1024)

struct _TimchatUploads
{
  GObject parent_instance;

  char *storage_dir;
  TimchatUploadAuthFunc auth;
  gpointer auth_data;
  GDestroyNotify auth_destroy;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TimchatUploads, timchat_uploads, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------------------- */
/* Kinds and content types                                                                        */

typedef struct
{
  const char *name;
  goffset max_bytes;
  gboolean strict; /* the image limit is "less than", the others "at most" */
  int size_code;
  int fail_code;
} UploadKind;

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

typedef struct
{
  const char *ext;
  const char *mime;
  int image_format;        /* TIM ImageFormat, or 0 when this is no image we accept */
  const char *pixbuf_type; /* gdk-pixbuf loader name, NULL when we cannot decode it */
  gboolean inline_ok;      /* media a browser may show; everything else is an attachment */
} ContentType;

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

static const ContentType *
content_type_for_ext (const char *ext)
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

  return content_type_for_ext (ext);
}

/* Stored names are ours: 32 lowercase hex digits (128 random bits), an optional variant suffix,
 * a short lowercase extension. Anything else is refused before a path is built. */
static gboolean
stored_name_is_valid (const char *name)
{
  const char *p;
  gsize ext_len = 0;

  for (gsize i = 0; i < 32; i++)
    if (!g_ascii_isxdigit (name[i]) || g_ascii_isupper (name[i]))
      return FALSE;
  p = name + 32;
  if (g_str_has_prefix (p, "_198") || g_str_has_prefix (p, "_720"))
    p += 4;
  if (*p++ != '.')
    return FALSE;
  for (; *p; p++, ext_len++)
    if (ext_len >= 4 || !(g_ascii_islower (*p) || g_ascii_isdigit (*p)))
      return FALSE;
  return ext_len > 0;
}

static char *
random_hex_name (GError **error)
{
  guint8 bytes[16];
  GString *hex = g_string_sized_new (33);

  if (getrandom (bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
    {
      g_string_free (hex, TRUE);
      g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "getrandom: %s", g_strerror (errno));
      return NULL;
    }
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
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
/* JSON answers                                                                                   */

static void
respond_builder (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text,
                                    len);
}

static void
respond_error (SoupServerMessage *msg, guint status, int code, const char *info)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ActionStatus");
  json_builder_add_string_value (b, "FAIL");
  json_builder_set_member_name (b, "ErrorCode");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "ErrorInfo");
  json_builder_add_string_value (b, info ? info : tim_error_text (code));
  json_builder_end_object (b);
  respond_builder (msg, status, b);
}

/* A refusal before or while the body arrives. The rest of the body is read and dropped (nothing
 * is accumulated); a client that sent "Expect: 100-continue" gets the answer without sending any
 * body at all. The connection is not reused because its state after an early answer is unclear. */
static void
refuse_request (SoupServerMessage *msg, guint status, int code, const char *info)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  respond_error (msg, status, code, info);
}

static guint
http_status_for_code (int code)
{
  switch (code)
    {
    case TIM_ERROR_FILE_EMPTY:
    case TIM_ERROR_IMAGE_TYPE:
    case TIM_ERROR_INVALID_PARAMETER:
      return SOUP_STATUS_BAD_REQUEST;
    case TIM_ERROR_IMAGE_SIZE_LIMIT:
    case TIM_ERROR_AUDIO_SIZE_LIMIT:
    case TIM_ERROR_VIDEO_SIZE_LIMIT:
    case TIM_ERROR_FILE_SIZE_LIMIT:
      return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
    default:
      return SOUP_STATUS_INTERNAL_SERVER_ERROR;
    }
}

/* Absolute URL from the request's own scheme and Host header. */
static char *
file_url (SoupServerMessage *msg, const char *name)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *path = g_strconcat ("/files/", name, NULL);

  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), path, NULL, NULL);
}

/* ---------------------------------------------------------------------------------------------- */
/* One upload                                                                                     */

typedef struct
{
  char *name; /* stored name; the original's name when a variant is reused */
  goffset size;
  int width;
  int height;
} ImageVariant;

enum
{
  VARIANT_ORIGINAL,
  VARIANT_THUMB,
  VARIANT_LARGE,
  N_VARIANTS
};

static const struct
{
  int type; /* the wire Type: 1 original, 3 thumbnail, 2 large */
  int short_side;
} variant_specs[N_VARIANTS] = {
  { 1, 0 },
  { 3, TIM_THUMB_SHORT_SIDE },
  { 2, TIM_LARGE_SHORT_SIDE },
};

typedef struct
{
  TimchatUploads *self;
  const UploadKind *kind;
  char *user_id;
  char *file_name;
  char *tmp_path; /* unlinked on release unless renamed */
  int fd;
  goffset received;
  gboolean failed;
  gboolean finished; /* the message is over (answered or the client went away) */

  /* Filled by the worker thread. */
  const ContentType *type;
  ImageVariant variants[N_VARIANTS];
} Upload;

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
  refuse_request (msg, http_status_for_code (code), code, NULL);
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
upload_finished_cb (SoupServerMessage *msg, gpointer user_data)
{
  Upload *upload = user_data;

  upload->finished = TRUE;
}

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
      int side = variant_specs[i].short_side;
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

static void
remove_stored (Upload *upload)
{
  for (int i = 0; i < N_VARIANTS; i++)
    if (upload->variants[i].name &&
        (i == VARIANT_ORIGINAL ||
         g_strcmp0 (upload->variants[i].name, upload->variants[VARIANT_ORIGINAL].name) != 0))
      {
        g_autofree char *path =
            g_build_filename (upload->self->storage_dir, upload->variants[i].name, NULL);
        g_unlink (path);
      }
}

static void
upload_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Upload *upload = task_data;
  ImageVariant *orig = &upload->variants[VARIANT_ORIGINAL];
  guint8 head[SNIFF_BYTES];
  ssize_t head_len;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *final_path = NULL;
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

  hex = random_hex_name (&error);
  if (hex == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  orig->name = g_strconcat (hex, ".", upload->type->ext, NULL);
  final_path = g_build_filename (upload->self->storage_dir, orig->name, NULL);
  if (g_rename (upload->tmp_path, final_path) != 0)
    {
      g_task_return_new_error (task, TIM_ERROR, upload->kind->fail_code, "rename: %s",
                               g_strerror (errno));
      return;
    }
  g_clear_pointer (&upload->tmp_path, g_free);

  if (strcmp (upload->kind->name, "image") == 0 && !make_variants (upload, pixbuf, hex, &error))
    {
      remove_stored (upload);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The renames are durable only once the directory itself is synced. */
  fsync_path (upload->self->storage_dir, O_RDONLY | O_DIRECTORY);
  g_task_return_boolean (task, TRUE);
}

static void
add_variant (JsonBuilder *b, SoupServerMessage *msg, int type, const ImageVariant *v)
{
  g_autofree char *url = file_url (msg, v->name);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Type");
  json_builder_add_int_value (b, type);
  json_builder_set_member_name (b, "Size");
  json_builder_add_int_value (b, v->size);
  json_builder_set_member_name (b, "Width");
  json_builder_add_int_value (b, v->width);
  json_builder_set_member_name (b, "Height");
  json_builder_add_int_value (b, v->height);
  json_builder_set_member_name (b, "URL");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
}

static void
respond_upload (SoupServerMessage *msg, Upload *upload)
{
  const ImageVariant *orig = &upload->variants[VARIANT_ORIGINAL];
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *url = file_url (msg, orig->name);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ActionStatus");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "ErrorCode");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "ErrorInfo");
  json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "UUID");
  json_builder_add_string_value (b, orig->name);
  json_builder_set_member_name (b, "Url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "Size");
  json_builder_add_int_value (b, orig->size);
  json_builder_set_member_name (b, "Kind");
  json_builder_add_string_value (b, upload->kind->name);
  json_builder_set_member_name (b, "FileName");
  json_builder_add_string_value (b, upload->file_name);
  json_builder_set_member_name (b, "Format");
  json_builder_add_string_value (b, upload->type->ext);
  json_builder_set_member_name (b, "ContentType");
  json_builder_add_string_value (b, upload->type->mime);
  if (strcmp (upload->kind->name, "image") == 0)
    {
      json_builder_set_member_name (b, "ImageFormat");
      json_builder_add_int_value (b, upload->type->image_format);
      json_builder_set_member_name (b, "ImageInfoArray");
      json_builder_begin_array (b);
      for (int i = 0; i < N_VARIANTS; i++)
        add_variant (b, msg, variant_specs[i].type, &upload->variants[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  respond_builder (msg, SOUP_STATUS_OK, b);
}

static void
upload_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SoupServerMessage) msg = user_data;
  Upload *upload = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (upload->finished)
    {
      /* The client went away while we worked: nobody will ever learn these names. */
      if (g_task_propagate_boolean (G_TASK (result), NULL))
        remove_stored (upload);
      return;
    }

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_debug ("%s stored %s (%" G_GOFFSET_FORMAT " bytes)", upload->user_id,
               upload->variants[VARIANT_ORIGINAL].name, upload->variants[VARIANT_ORIGINAL].size);
      respond_upload (msg, upload);
    }
  else
    {
      int code = error->domain == TIM_ERROR ? error->code : upload->kind->fail_code;

      if (http_status_for_code (code) == SOUP_STATUS_INTERNAL_SERVER_ERROR)
        g_warning ("Upload by %s failed: %s", upload->user_id, error->message);
      respond_error (
          msg, http_status_for_code (code), code,
          http_status_for_code (code) == SOUP_STATUS_INTERNAL_SERVER_ERROR ? NULL : error->message);
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
      refuse_request (msg, SOUP_STATUS_NOT_FOUND, TIM_ERROR_INVALID_COMMAND, NULL);
      return;
    }
  if (method != SOUP_METHOD_PUT && method != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "PUT, POST");
      refuse_request (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, TIM_ERROR_INVALID_OPERATION, NULL);
      return;
    }
  for (gsize i = 0; kind_name && i < G_N_ELEMENTS (upload_kinds); i++)
    if (strcmp (upload_kinds[i].name, kind_name) == 0)
      kind = &upload_kinds[i];
  if (kind == NULL)
    {
      refuse_request (msg, SOUP_STATUS_BAD_REQUEST, TIM_ERROR_INVALID_PARAMETER,
                      "kind must be image, audio, video or file");
      return;
    }

  user_id = self->auth (msg, query, &error, self->auth_data);
  if (user_id == NULL)
    {
      int code = error && error->domain == TIM_ERROR ? error->code : TIM_ERROR_USERSIG_INVALID;

      refuse_request (msg, SOUP_STATUS_UNAUTHORIZED, code, error ? error->message : NULL);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      goffset declared = soup_message_headers_get_content_length (headers);

      if (declared == 0)
        {
          refuse_request (msg, SOUP_STATUS_BAD_REQUEST, TIM_ERROR_FILE_EMPTY, NULL);
          return;
        }
      if (kind_too_big (kind, declared))
        {
          refuse_request (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, kind->size_code, NULL);
          return;
        }
    }

  tmp_path = g_build_filename (self->storage_dir, TEMP_PREFIX "XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600); /* read back to sniff */
  if (fd < 0)
    {
      g_warning ("Cannot create %s: %s", tmp_path, g_strerror (errno));
      refuse_request (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, kind->fail_code, NULL);
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
  g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), upload);
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
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, TIM_ERROR_INTERNAL, NULL);
      return;
    }

  soup_server_message_pause (msg);
  task = g_task_new (self, self->cancellable, upload_done_cb, g_object_ref (msg));
  g_task_set_source_tag (task, upload_cb);
  g_task_set_task_data (task, g_atomic_rc_box_acquire (upload), upload_release);
  g_task_run_in_thread (task, upload_thread);
}

/* ---------------------------------------------------------------------------------------------- */
/* Downloads                                                                                      */

typedef struct
{
  int fd;
  goffset offset;
  goffset remaining;
} Download;

static void
download_free (gpointer data)
{
  Download *dl = data;

  close (dl->fd);
  g_free (dl);
}

/* Appends the next piece of the file; called again from wrote-chunk, so at most one piece is
 * in memory however large the file is. */
static void
download_push (SoupServerMessage *msg, Download *dl)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize want = MIN ((goffset) SERVE_CHUNK, dl->remaining);
  g_autoptr (GBytes) piece = NULL;
  guint8 *buf;
  ssize_t n;

  if (dl->remaining == 0)
    {
      soup_message_body_complete (body);
      return;
    }

  buf = g_malloc (want);
  do
    n = pread (dl->fd, buf, want, dl->offset);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    {
      /* Content-Length is already promised: the only honest thing left is to cut the connection. */
      g_warning ("Reading a stored file: %s", n < 0 ? g_strerror (errno) : "unexpected end");
      g_free (buf);
      g_object_unref (soup_server_message_steal_connection (msg));
      return;
    }
  dl->offset += n;
  dl->remaining -= n;
  piece = g_bytes_new_take (buf, n);
  soup_message_body_append_bytes (body, piece); /* takes its own reference */
}

static void
download_wrote_chunk_cb (SoupServerMessage *msg, gpointer user_data)
{
  download_push (msg, user_data);
}

/* Returns 1 with [*start, *end] for one satisfiable range, 0 to serve everything (no header,
 * a syntax we ignore, several ranges), -1 for an unsatisfiable range (416). */
static int
parse_range (const char *header, goffset size, goffset *start, goffset *end)
{
  g_autofree char *first = NULL;
  const char *spec, *dash;
  guint64 a, b;

  if (header == NULL || !g_str_has_prefix (header, "bytes="))
    return 0;
  spec = header + strlen ("bytes=");
  if (strchr (spec, ',') || (dash = strchr (spec, '-')) == NULL)
    return 0;

  if (dash == spec)
    {
      if (!g_ascii_string_to_unsigned (spec + 1, 10, 0, G_MAXINT64, &b, NULL))
        return 0;
      if (b == 0 || size == 0)
        return -1;
      *start = (goffset) b >= size ? 0 : size - (goffset) b;
      *end = size - 1;
      return 1;
    }

  first = g_strndup (spec, dash - spec);
  if (!g_ascii_string_to_unsigned (first, 10, 0, G_MAXINT64, &a, NULL))
    return 0;
  if (dash[1] == '\0')
    b = G_MAXINT64;
  else if (!g_ascii_string_to_unsigned (dash + 1, 10, 0, G_MAXINT64, &b, NULL) || b < a)
    return 0;
  if ((goffset) a >= size)
    return -1;
  *start = a;
  *end = MIN ((goffset) b, size - 1);
  return 1;
}

/* Downloads need no authentication: names carry 128 random bits, so a URL is as hard to guess
 * as a token, and it is only ever given to people the message was sent to. */
static void
files_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
          gpointer user_data)
{
  TimchatUploads *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *name = path + strlen ("/files/");
  g_autofree char *file = NULL;
  const ContentType *type;
  goffset start = 0, end = 0;
  struct stat st;
  Download *dl;
  int fd, range;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (resp, "Allow", "GET, HEAD");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (!g_str_has_prefix (path, "/files/") || !stored_name_is_valid (name))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  file = g_build_filename (self->storage_dir, name, NULL);
  fd = open (file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      if (fd >= 0)
        close (fd);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  type = content_type_for_ext (strrchr (name, '.') + 1);
  soup_message_headers_replace (resp, "Accept-Ranges", "bytes");
  soup_message_headers_replace (resp, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (resp, "Content-Security-Policy", "default-src 'none'; sandbox");
  soup_message_headers_replace (resp, "Cache-Control", "private, max-age=31536000, immutable");
  if (!type->inline_ok)
    soup_message_headers_replace (resp, "Content-Disposition", "attachment");

  range = parse_range (soup_message_headers_get_one (req, "Range"), st.st_size, &start, &end);
  if (range < 0)
    {
      g_autofree char *cr = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT, (goffset) st.st_size);

      close (fd);
      soup_message_headers_replace (resp, "Content-Range", cr);
      soup_server_message_set_status (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, NULL);
      return;
    }
  if (range > 0)
    {
      g_autofree char *cr =
          g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT "/%" G_GOFFSET_FORMAT,
                           start, end, (goffset) st.st_size);

      soup_message_headers_replace (resp, "Content-Range", cr);
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
    }
  else
    {
      start = 0;
      end = st.st_size - 1;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }

  soup_message_headers_set_content_type (resp, type->mime, NULL);
  soup_message_headers_set_content_length (resp, end - start + 1);
  if (method == SOUP_METHOD_HEAD || end < start)
    {
      close (fd);
      return;
    }

  dl = g_new0 (Download, 1);
  dl->fd = fd;
  dl->offset = start;
  dl->remaining = end - start + 1;
  g_object_set_data_full (G_OBJECT (msg), "timchat-download", dl, download_free);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (download_wrote_chunk_cb), dl);
  download_push (msg, dl);
}

/* libsoup answers 400 itself, before any handler runs, for paths such as "/files/..%2Fetc" or
 * with an encoded NUL. Under /files/ every refused name gets the same 404, so probing the
 * download space learns nothing. Runs after libsoup's own got-headers handler. */
static void
files_got_headers_cb (SoupServerMessage *msg, gpointer user_data)
{
  GUri *uri = soup_server_message_get_uri (msg);

  if (soup_server_message_get_status (msg) == SOUP_STATUS_BAD_REQUEST && uri != NULL &&
      g_str_has_prefix (g_uri_get_path (uri), "/files/"))
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (files_got_headers_cb), NULL);
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
}

static void
timchat_uploads_init (TimchatUploads *self)
{
  self->cancellable = g_cancellable_new ();
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
  soup_server_add_handler (server, "/files", files_cb, g_object_ref (self), g_object_unref);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
}

const char *
timchat_uploads_get_storage_dir (TimchatUploads *self)
{
  g_return_val_if_fail (TIMCHAT_IS_UPLOADS (self), NULL);

  return self->storage_dir;
}
