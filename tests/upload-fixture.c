/* upload-fixture.c: TimchatUploads on a real SoupServer on 127.0.0.1, a SoupSession to drive
 * it, and the images the upload tests send. Shared by test-upload and test-upload-types. */
#define G_LOG_DOMAIN "test-upload"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "tim-error.h"
#include "timchat-test-extra.h"
#include "upload-fixture.h"

static char *
fake_auth (SoupServerMessage *msg, GHashTable *query, GError **error, gpointer user_data)
{
  const char *id = query ? g_hash_table_lookup (query, "identifier") : NULL;
  const char *sig = query ? g_hash_table_lookup (query, "usersig") : NULL;

  if (g_strcmp0 (id, "alice") == 0 && g_strcmp0 (sig, "ok") == 0)
    return g_strdup (id);
  g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID, "bad usersig");
  return NULL;
}

void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *storage = NULL;
  GSList *uris;
  GUri *uri;

  f->dir = g_dir_make_tmp ("test-upload-XXXXXX", &error);
  g_assert_no_error (error);
  storage = g_build_filename (f->dir, "files", NULL);

  f->server = soup_server_new (NULL, NULL);
  f->uploads = timchat_uploads_new (storage, fake_auth, NULL, NULL);
  timchat_uploads_attach (f->uploads, f->server);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  uri = uris->data;
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->session = soup_session_new ();
  soup_session_set_timeout (f->session, 60);
}

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  {
    /* Under load a finished request may still be unwinding in the main loop: let it, then
     * insist that nothing leaked a reference. */
    gpointer uploads = f->uploads;
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_object_add_weak_pointer (uploads, &uploads);
    g_object_unref (f->uploads);
    while (uploads != NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
    g_assert_null (uploads);
  }
  timchat_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
}

guint
count_stored (Fixture *f)
{
  g_autoptr (GDir) d = g_dir_open (timchat_uploads_get_storage_dir (f->uploads), 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

typedef struct
{
  GBytes *body;
  GError *error;
  gboolean done;
} SendResult;

static void
send_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendResult *res = user_data;

  res->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &res->error);
  res->done = TRUE;
}

/* The server lives on this thread's main context, so the client must be async. */
GBytes *
send_and_read (Fixture *f, SoupMessage *msg)
{
  SendResult res = { 0 };

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, &res);
  while (!res.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (res.error);
  return res.body;
}

char *
upload_url (Fixture *f, const char *kind, const char *name, const char *auth)
{
  g_autofree char *escaped = g_uri_escape_string (name ? name : "", NULL, FALSE);

  return g_strdup_printf ("%s/upload?kind=%s&name=%s%s%s", f->base, kind, escaped, auth ? "&" : "",
                          auth ? auth : "");
}

JsonObject *
parse_answer (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

JsonObject *
upload_message (Fixture *f, SoupMessage *msg, guint expected_status)
{
  g_autoptr (GBytes) body = send_and_read (f, msg);

  if (soup_message_get_status (msg) != expected_status)
    g_test_message ("answer: %.*s", (int) g_bytes_get_size (body),
                    (const char *) g_bytes_get_data (body, NULL));
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  return parse_answer (body);
}

JsonObject *
upload_bytes (Fixture *f, const char *kind, const char *name, GBytes *data, guint expected_status)
{
  g_autofree char *url = upload_url (f, kind, name, AUTH_OK);
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);

  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", data);
  return upload_message (f, msg, expected_status);
}

void
assert_fail (JsonObject *answer, int code)
{
  g_assert_cmpstr (json_object_get_string_member (answer, "ActionStatus"), ==, "FAIL");
  g_assert_cmpint (json_object_get_int_member (answer, "ErrorCode"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (answer, "ErrorInfo"), !=, "");
}

GBytes *
download (Fixture *f, const char *url, const char *range, guint expected_status)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  GBytes *body;

  g_assert_nonnull (msg);
  if (range)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  body = send_and_read (f, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  return body;
}

GBytes *
make_png (int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize len = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = x & 0xff;
        p[1] = y & 0xff;
        p[2] = (x ^ y) & 0xff;
      }
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, len);
}

/* Pads a PNG to exactly @total bytes with a private ancillary chunk that decoders skip. */
GBytes *
pad_png (GBytes *png, gsize total)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (png, &len);
  gsize pad = total - len - 12;
  guint8 *out = g_malloc0 (total);
  guint8 *chunk = out + len - 12;
  guint32 crc;

  g_assert_cmpuint (total, >, len + 12);
  memcpy (out, data, len - 12);
  chunk[0] = pad >> 24;
  chunk[1] = pad >> 16;
  chunk[2] = pad >> 8;
  chunk[3] = pad;
  memcpy (chunk + 4, "paDd", 4);
  crc = crc32 (0, chunk + 4, 4 + pad);
  chunk[8 + pad] = crc >> 24;
  chunk[9 + pad] = crc >> 16;
  chunk[10 + pad] = crc >> 8;
  chunk[11 + pad] = crc;
  memcpy (chunk + 12 + pad, data + len - 12, 12);
  return g_bytes_new_take (out, total);
}

GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}
