/* timchat-upload-files.c: GET|HEAD /files/NAME. Serves a stored file in 64 KiB pieces, with
 * single-range support. */
#define G_LOG_DOMAIN "timchat-upload"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "timchat-upload-private.h"

#define SERVE_CHUNK (64 * 1024)

/* ---------------------------------------------------------------------------------------------- */
/* Downloads                                                                                      */

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
void
_timchat_upload_files_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
                          GHashTable *query, gpointer user_data)
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

  type = _timchat_upload_content_type_for_ext (strrchr (name, '.') + 1);
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

void
_timchat_upload_request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (files_got_headers_cb), NULL);
}

/* ---------------------------------------------------------------------------------------------- */
/* Names in messages, and removal (the retention sweep)                                           */

/* Long enough for 32 hex digits, "_720" and ".webp"; a longer run is not a name of ours. */
#define NAME_MAX_CHARS 48

GStrv
timchat_uploads_names_in_text (const char *text)
{
  g_autoptr (GStrvBuilder) names = NULL;
  g_autoptr (GHashTable) seen = NULL;

  if (text == NULL)
    return NULL;
  for (const char *p = strstr (text, "/files/"); p != NULL; p = strstr (p + 1, "/files/"))
    {
      const char *start = p + strlen ("/files/");
      gsize length = strspn (start, "0123456789abcdefghijklmnopqrstuvwxyz_.");
      g_autofree char *name = NULL;

      if (length == 0 || length > NAME_MAX_CHARS)
        continue;
      name = g_strndup (start, length);
      if (!stored_name_is_valid (name))
        continue;
      if (seen == NULL)
        {
          seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          names = g_strv_builder_new ();
        }
      if (g_hash_table_add (seen, g_strdup (name)))
        g_strv_builder_add (names, name);
    }
  return names != NULL ? g_strv_builder_end (names) : NULL;
}

gboolean
timchat_uploads_remove_file (TimchatUploads *self, const char *name, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (TIMCHAT_IS_UPLOADS (self), FALSE);

  if (name == NULL || !stored_name_is_valid (name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "“%s” is not a stored name",
                   name != NULL ? name : "(null)");
      return FALSE;
    }
  path = g_build_filename (self->storage_dir, name, NULL);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot remove %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
