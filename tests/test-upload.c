/* test-upload.c: TimchatUploads on a real SoupServer on 127.0.0.1, driven by a SoupSession. */
#define G_LOG_DOMAIN "test-upload"

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <zlib.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "upload-fixture.h"

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_image (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) png = make_png (1000, 800);
  g_autoptr (JsonObject) answer =
      upload_bytes (f, "image", "holiday photo.png", png, SOUP_STATUS_OK);
  g_autofree char *prefix = g_strconcat (f->base, "/files/", NULL);
  const char *uuid = json_object_get_string_member (answer, "UUID");
  JsonArray *infos;
  static const struct
  {
    int type, width, height;
  } expect[] = {
    { 1, 1000, 800 },
    { 3, 248, 198 },
    { 2, 900, 720 },
  };

  g_assert_cmpstr (json_object_get_string_member (answer, "ActionStatus"), ==, "OK");
  g_assert_cmpint (json_object_get_int_member (answer, "ErrorCode"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (answer, "Kind"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (answer, "FileName"), ==, "holiday photo.png");
  g_assert_cmpint (json_object_get_int_member (answer, "ImageFormat"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (answer, "Size"), ==, g_bytes_get_size (png));
  g_assert_true (g_str_has_suffix (uuid, ".png"));
  g_assert_cmpuint (strlen (uuid), ==, 36);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (answer, "Url"), prefix));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (answer, "Url"), uuid));

  infos = json_object_get_array_member (answer, "ImageInfoArray");
  g_assert_cmpuint (json_array_get_length (infos), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *info = json_array_get_object_element (infos, i);
      const char *url = json_object_get_string_member (info, "URL");
      g_autoptr (GBytes) got = download (f, url, NULL, SOUP_STATUS_OK);
      g_autoptr (GdkPixbuf) pixbuf = decode (got);

      g_assert_true (g_str_has_prefix (url, prefix));
      g_assert_cmpint (json_object_get_int_member (info, "Type"), ==, expect[i].type);
      g_assert_cmpint (json_object_get_int_member (info, "Width"), ==, expect[i].width);
      g_assert_cmpint (json_object_get_int_member (info, "Height"), ==, expect[i].height);
      g_assert_cmpint (json_object_get_int_member (info, "Size"), ==, g_bytes_get_size (got));
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, expect[i].width);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, expect[i].height);
      if (i == 0)
        g_assert_true (g_bytes_equal (got, png));
      else
        g_assert_cmpint (MIN (expect[i].width, expect[i].height), ==,
                         expect[i].type == 3 ? TIM_THUMB_SHORT_SIDE : TIM_LARGE_SHORT_SIDE);
    }
  g_assert_cmpuint (count_stored (f), ==, 3);
}

static void
test_small_image (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) png = make_png (100, 50);
  g_autoptr (JsonObject) answer = upload_bytes (f, "image", "small.png", png, SOUP_STATUS_OK);
  JsonArray *infos = json_object_get_array_member (answer, "ImageInfoArray");
  const char *url = json_object_get_string_member (answer, "Url");

  g_assert_cmpuint (json_array_get_length (infos), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *info = json_array_get_object_element (infos, i);

      g_assert_cmpstr (json_object_get_string_member (info, "URL"), ==, url);
      g_assert_cmpint (json_object_get_int_member (info, "Width"), ==, 100);
      g_assert_cmpint (json_object_get_int_member (info, "Height"), ==, 50);
      g_assert_cmpint (json_object_get_int_member (info, "Size"), ==, g_bytes_get_size (png));
    }
  g_assert_cmpuint (count_stored (f), ==, 1);
}

static void
test_not_image (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) text = g_bytes_new_static ("this is not an image, whatever the name says", 44);
  g_autoptr (JsonObject) answer =
      upload_bytes (f, "image", "fake.png", text, SOUP_STATUS_BAD_REQUEST);
  g_autoptr (GBytes) png = make_png (10, 10);
  g_autoptr (GBytes) broken = g_bytes_new_from_bytes (png, 0, 40); /* a PNG header, no image */
  g_autoptr (JsonObject) answer2 =
      upload_bytes (f, "image", "broken.png", broken, SOUP_STATUS_BAD_REQUEST);

  assert_fail (answer, TIM_ERROR_IMAGE_TYPE);
  assert_fail (answer2, TIM_ERROR_IMAGE_TYPE);
  g_assert_cmpuint (count_stored (f), ==, 0);
}

static void
count_bytes_cb (SoupMessage *msg, guint n, gpointer user_data)
{
  *(guint64 *) user_data += n;
}

/* Declares @declared bytes but has only 16; with Expect: 100-continue the client sends nothing
 * unless the server says go, so a 413 here proves the decision came from the headers. */
static void
check_declared_limit (Fixture *f, const char *kind, goffset declared, int code)
{
  g_autofree char *url = upload_url (f, kind, "big", AUTH_OK);
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr (GInputStream) stream =
      g_memory_input_stream_new_from_data ("\x89PNG\r\n\x1a\n01234567", 16, NULL);
  g_autoptr (JsonObject) answer = NULL;
  guint64 sent = 0;

  soup_message_headers_set_expectations (soup_message_get_request_headers (msg),
                                         SOUP_EXPECTATION_CONTINUE);
  soup_message_set_request_body (msg, "application/octet-stream", stream, declared);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (count_bytes_cb), &sent);
  answer = upload_message (f, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_fail (answer, code);
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (count_stored (f), ==, 0);
}

static void
test_limits_from_headers (Fixture *f, gconstpointer data)
{
  check_declared_limit (f, "image", TIM_IMAGE_MAX_BYTES, TIM_ERROR_IMAGE_SIZE_LIMIT);
  check_declared_limit (f, "audio", TIM_AUDIO_MAX_BYTES + 1, TIM_ERROR_AUDIO_SIZE_LIMIT);
  check_declared_limit (f, "video", TIM_VIDEO_MAX_BYTES + 1, TIM_ERROR_VIDEO_SIZE_LIMIT);
  check_declared_limit (f, "file", TIM_FILE_MAX_BYTES + 1, TIM_ERROR_FILE_SIZE_LIMIT);
}

static void
test_image_just_under_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) png = make_png (1000, 800);
  g_autoptr (GBytes) padded = pad_png (png, TIM_IMAGE_MAX_BYTES - 1);
  g_autoptr (JsonObject) answer = upload_bytes (f, "image", "big.png", padded, SOUP_STATUS_OK);
  JsonObject *orig =
      json_array_get_object_element (json_object_get_array_member (answer, "ImageInfoArray"), 0);

  g_assert_cmpint (json_object_get_int_member (answer, "Size"), ==, TIM_IMAGE_MAX_BYTES - 1);
  g_assert_cmpint (json_object_get_int_member (orig, "Width"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (orig, "Height"), ==, 800);
}

static void
test_empty_and_bad_requests (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GBytes) some = g_bytes_new_static ("hello", 5);
  g_autoptr (JsonObject) answer =
      upload_bytes (f, "file", "empty.txt", empty, SOUP_STATUS_BAD_REQUEST);
  g_autoptr (JsonObject) bad_kind = upload_bytes (f, "sticker", "x", some, SOUP_STATUS_BAD_REQUEST);
  g_autofree char *url = upload_url (f, "file", "x", AUTH_OK);
  g_autoptr (SoupMessage) get = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = send_and_read (f, get);

  assert_fail (answer, TIM_ERROR_FILE_EMPTY);
  assert_fail (bad_kind, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpuint (soup_message_get_status (get), ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpuint (count_stored (f), ==, 0);
}

static void
test_auth (Fixture *f, gconstpointer data)
{
  const char *auths[] = { NULL, "identifier=alice&usersig=wrong", "usersig=ok" };

  for (gsize i = 0; i < G_N_ELEMENTS (auths); i++)
    {
      g_autofree char *url = upload_url (f, "file", "a.txt", auths[i]);
      g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr (GBytes) data_bytes = g_bytes_new_static ("hello", 5);
      g_autoptr (JsonObject) answer = NULL;

      soup_message_set_request_body_from_bytes (msg, "text/plain", data_bytes);
      answer = upload_message (f, msg, SOUP_STATUS_UNAUTHORIZED);
      assert_fail (answer, TIM_ERROR_USERSIG_INVALID);
    }
  g_assert_cmpuint (count_stored (f), ==, 0);
}

static void
test_file_and_video (Fixture *f, gconstpointer data)
{
  static const guint8 mp4[32] = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm' };
  g_autoptr (GBytes) video = g_bytes_new_static (mp4, sizeof mp4);
  g_autoptr (GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n%%EOF\n", 15);
  g_autoptr (JsonObject) v = upload_bytes (f, "video", "clip.exe", video, SOUP_STATUS_OK);
  g_autoptr (JsonObject) d =
      upload_bytes (f, "file", "../../etc/re\x01port.pdf", pdf, SOUP_STATUS_OK);
  g_autoptr (GBytes) got =
      download (f, json_object_get_string_member (d, "Url"), NULL, SOUP_STATUS_OK);

  g_assert_cmpstr (json_object_get_string_member (v, "Kind"), ==, "video");
  g_assert_cmpstr (json_object_get_string_member (v, "Format"), ==, "mp4");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (v, "UUID"), ".mp4"));
  g_assert_false (json_object_has_member (v, "ImageInfoArray"));
  g_assert_cmpstr (json_object_get_string_member (v, "FileName"), ==, "clip.exe");

  g_assert_cmpstr (json_object_get_string_member (d, "FileName"), ==, "report.pdf");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (d, "UUID"), ".pdf"));
  g_assert_cmpint (json_object_get_int_member (d, "Size"), ==, 15);
  g_assert_true (g_bytes_equal (got, pdf));
}

static void
test_ranges (Fixture *f, gconstpointer data)
{
  guint8 bytes[1000];
  g_autoptr (GBytes) content = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (SoupMessage) head = NULL;
  g_autoptr (GBytes) head_body = NULL;
  const char *url;
  static const struct
  {
    const char *range;
    guint status;
    gsize start, len;
    const char *content_range;
  } cases[] = {
    { NULL, SOUP_STATUS_OK, 0, 1000, NULL },
    { "bytes=10-19", SOUP_STATUS_PARTIAL_CONTENT, 10, 10, "bytes 10-19/1000" },
    { "bytes=990-", SOUP_STATUS_PARTIAL_CONTENT, 990, 10, "bytes 990-999/1000" },
    { "bytes=-100", SOUP_STATUS_PARTIAL_CONTENT, 900, 100, "bytes 900-999/1000" },
    { "bytes=-5000", SOUP_STATUS_PARTIAL_CONTENT, 0, 1000, "bytes 0-999/1000" },
    { "bytes=500-99999", SOUP_STATUS_PARTIAL_CONTENT, 500, 500, "bytes 500-999/1000" },
    { "bytes=1000-", SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, 0, 0, "bytes */1000" },
    { "bytes=-0", SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, 0, 0, "bytes */1000" },
    { "bytes=20-10", SOUP_STATUS_OK, 0, 1000, NULL },
    { "bytes=0-1,5-6", SOUP_STATUS_OK, 0, 1000, NULL },
  };

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = i % 251;
  content = g_bytes_new (bytes, sizeof bytes);
  answer = upload_bytes (f, "file", "data.bin", content, SOUP_STATUS_OK);
  url = json_object_get_string_member (answer, "Url");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr (GBytes) body = NULL;
      SoupMessageHeaders *resp;

      if (cases[i].range)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Range",
                                      cases[i].range);
      body = send_and_read (f, msg);
      resp = soup_message_get_response_headers (msg);
      g_test_message ("Range %s -> %u", cases[i].range, soup_message_get_status (msg));
      g_assert_cmpuint (soup_message_get_status (msg), ==, cases[i].status);
      g_assert_cmpstr (soup_message_headers_get_one (resp, "Content-Range"), ==,
                       cases[i].content_range);
      g_assert_cmpstr (soup_message_headers_get_one (resp, "Accept-Ranges"), ==, "bytes");
      if (cases[i].status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
        continue;
      g_assert_cmpstr (soup_message_headers_get_content_type (resp, NULL), ==,
                       "application/octet-stream");
      g_assert_cmpuint (g_bytes_get_size (body), ==, cases[i].len);
      g_assert_cmpmem (g_bytes_get_data (body, NULL), cases[i].len, bytes + cases[i].start,
                       cases[i].len);
    }

  head = soup_message_new ("HEAD", url);
  head_body = send_and_read (f, head);
  g_assert_cmpuint (soup_message_get_status (head), ==, SOUP_STATUS_OK);
  g_assert_cmpint (
      soup_message_headers_get_content_length (soup_message_get_response_headers (head)), ==, 1000);
  g_assert_cmpuint (g_bytes_get_size (head_body), ==, 0);
}

static void
test_bad_names (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) content = g_bytes_new_static ("secret-ish", 10);
  g_autoptr (JsonObject) answer = upload_bytes (f, "file", "a", content, SOUP_STATUS_OK);
  g_autofree char *upper = g_ascii_strup (json_object_get_string_member (answer, "UUID"), -1);
  const char *paths[] = {
    "/files/..%2Fetc",
    "/files/..%2F..%2Fetc%2Fpasswd",
    "/files/%2e%2e",
    "/files/",
    "/files/00000000000000000000000000000000.bin", /* well formed, not stored */
    "/files/0000000000000000000000000000000.bin",  /* 31 digits */
    "/files/00000000000000000000000000000000.bin%00",
    "/files/00000000000000000000000000000000/x.bin",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (f->base, paths[i], NULL);
      g_autoptr (GBytes) body = download (f, url, NULL, SOUP_STATUS_NOT_FOUND);
    }
  {
    g_autofree char *url = g_strconcat (f->base, "/files/", upper, NULL);
    g_autoptr (GBytes) body = download (f, url, NULL, SOUP_STATUS_NOT_FOUND);
  }
}

static JsonObject *
upload_chunked (Fixture *f, const char *kind, GBytes *data, guint expected_status)
{
  g_autofree char *url = upload_url (f, kind, "stream", AUTH_OK);
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (data);
  JsonObject *answer;

  soup_message_set_request_body (msg, "application/octet-stream", stream, -1);
  answer = upload_message (f, msg, expected_status);
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (msg)), ==,
                   SOUP_ENCODING_CHUNKED);
  return answer;
}

static void
test_chunked (Fixture *f, gconstpointer data)
{
  gsize big_len = TIM_IMAGE_MAX_BYTES + 64 * 1024;
  guint8 *big = g_malloc0 (big_len);
  g_autoptr (GBytes) big_bytes = NULL;
  g_autoptr (GBytes) small = g_bytes_new_static ("0123456789", 10);
  g_autoptr (JsonObject) over = NULL;
  g_autoptr (JsonObject) ok = NULL;

  memcpy (big, "\x89PNG\r\n\x1a\n", 8);
  big_bytes = g_bytes_new_take (big, big_len);
  over = upload_chunked (f, "image", big_bytes, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_fail (over, TIM_ERROR_IMAGE_SIZE_LIMIT);
  g_assert_cmpuint (count_stored (f), ==, 0);

  ok = upload_chunked (f, "file", small, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (ok, "Size"), ==, 10);
  g_assert_cmpuint (count_stored (f), ==, 1);
}

static gint64
status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, key);
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

typedef struct
{
  GObject *result_obj;
  GAsyncResult *result;
} AsyncWait;

static void
async_wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *w = user_data;

  w->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (AsyncWait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return w->result;
}

/* A 100 MB upload and download go through the server without the process growing by anything
 * like 100 MB (client and server share the process, so this bounds both). */
static void
test_large_rss (Fixture *f, gconstpointer data)
{
  g_autofree char *src = g_build_filename (f->dir, "src.bin", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (src);
  g_autoptr (GFileInputStream) in = NULL;
  g_autofree char *url = upload_url (f, "file", "big.bin", AUTH_OK);
  g_autoptr (SoupMessage) put = soup_message_new ("PUT", url);
  g_autoptr (SoupMessage) get = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GInputStream) body = NULL;
  g_autoptr (GError) error = NULL;
  AsyncWait w = { 0 };
  guint64 total = 0;
  gint64 before, peak;
  FILE *clear;
  int fd;

  fd = open (src, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, TIM_FILE_MAX_BYTES), ==, 0); /* exactly the limit: allowed */
  close (fd);

  /* Reset the peak-RSS counter so earlier tests do not count. */
  clear = fopen ("/proc/self/clear_refs", "w");
  if (clear)
    {
      fputs ("5", clear);
      fclose (clear);
    }
  before = status_kb ("VmRSS:");

  in = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  soup_message_set_request_body (put, "application/octet-stream", G_INPUT_STREAM (in),
                                 TIM_FILE_MAX_BYTES);
  answer = upload_message (f, put, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "Size"), ==, TIM_FILE_MAX_BYTES);
  g_test_message ("peak after upload %" G_GINT64_FORMAT " kB", status_kb ("VmHWM:"));

  get = soup_message_new ("GET", json_object_get_string_member (answer, "Url"));
  soup_session_send_async (f->session, get, G_PRIORITY_DEFAULT, NULL, async_wait_cb, &w);
  body = soup_session_send_finish (f->session, wait_result (&w), &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (get), ==, SOUP_STATUS_OK);
  for (;;)
    {
      g_autoptr (GBytes) piece = NULL;

      g_input_stream_read_bytes_async (body, 256 * 1024, G_PRIORITY_DEFAULT, NULL, async_wait_cb,
                                       &w);
      piece = g_input_stream_read_bytes_finish (body, wait_result (&w), &error);
      g_clear_object (&w.result);
      g_assert_no_error (error);
      if (g_bytes_get_size (piece) == 0)
        break;
      total += g_bytes_get_size (piece);
    }
  g_assert_cmpuint (total, ==, TIM_FILE_MAX_BYTES);

  peak = status_kb ("VmHWM:");
  g_test_message ("RSS before %" G_GINT64_FORMAT " kB, peak during 100 MB up+down %" G_GINT64_FORMAT
                  " kB",
                  before, peak);
  g_assert_cmpint (peak - before, <, 32 * 1024);
}

typedef struct
{
  guint pending;
  guint ok;
} ManyUploads;

static void
many_upload_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ManyUploads *many = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      g_autoptr (JsonObject) answer = parse_answer (body);
      JsonObject *orig = json_array_get_object_element (
          json_object_get_array_member (answer, "ImageInfoArray"), 0);

      g_assert_cmpint (json_object_get_int_member (orig, "Width"), ==, 6000);
      many->ok++;
    }
  else
    g_test_message ("answer %u: %.*s", soup_message_get_status (msg), (int) g_bytes_get_size (body),
                    (const char *) g_bytes_get_data (body, NULL));
  many->pending--;
}

/* Each image upload is decoded whole to make its thumbnails; several large ones sent at once
 * were all decoded at once, and a handful of them could take the server's memory. However many
 * come together, at most two are decoded at a time: the process (server and client alike) never
 * grows by three decoded images. */
static void
test_image_decodes_bounded (Fixture *f, gconstpointer data)
{
  const int side = 6000;
  const gint64 decoded_kb = (gint64) side * side * 3 / 1024;
  const guint n_uploads = 6;
  g_autoptr (SoupSession) session =
      soup_session_new_with_options ("max-conns-per-host", n_uploads, "timeout", 120, NULL);
  g_autoptr (GBytes) png = NULL;
  ManyUploads many = { 0 };
  gint64 before, peak;
  FILE *clear;

  /* One flat image, made (and its pixels freed) before the peak is reset. */
  {
    g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, side, side);
    g_autoptr (GError) error = NULL;
    char *buffer = NULL;
    gsize len = 0;

    g_assert_nonnull (pixbuf);
    gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
    g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
    png = g_bytes_new_take (buffer, len);
  }
  g_test_message ("%dx%d PNG of %" G_GSIZE_FORMAT " bytes, %" G_GINT64_FORMAT " kB decoded", side,
                  side, g_bytes_get_size (png), decoded_kb);

  clear = fopen ("/proc/self/clear_refs", "w");
  if (clear == NULL)
    {
      g_test_skip ("cannot reset the peak RSS (/proc/self/clear_refs)");
      return;
    }
  fputs ("5", clear);
  fclose (clear);
  before = status_kb ("VmRSS:");

  for (guint i = 0; i < n_uploads; i++)
    {
      g_autofree char *url = upload_url (f, "image", "big.png", AUTH_OK);
      g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);

      soup_message_set_request_body_from_bytes (msg, "image/png", png);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, many_upload_done_cb,
                                        &many);
      many.pending++;
    }
  while (many.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  peak = status_kb ("VmHWM:");
  g_test_message ("RSS before %" G_GINT64_FORMAT " kB, peak during %u uploads %" G_GINT64_FORMAT
                  " kB (+%" G_GINT64_FORMAT " decoded images)",
                  before, n_uploads, peak, (peak - before) / decoded_kb);
  g_assert_cmpuint (many.ok, ==, n_uploads);
  g_assert_cmpint (peak - before, <, 3 * decoded_kb);
}

/* The client leaves while the worker thread stores its upload (fsync, variants): libsoup notices
 * only once the message is unpaused to be answered, so the upload is stored but its answer,
 * the only place its names are given, never goes out. Nobody can ever use those files, and the
 * client's retry uploads them again: they must not stay on the disk. */
static void
close_when_stored_cb (TimchatUploads *uploads, GStrv names, gpointer user_data)
{
  g_io_stream_close (G_IO_STREAM (user_data), NULL, NULL);
}

static void
test_client_gone_before_answer (Fixture *f, gconstpointer data)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) base = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *request = g_strdup_printf ("PUT /upload?kind=file&name=gone.bin&" AUTH_OK
                                              " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Length: 10\r\n\r\n0123456789");
  gint64 deadline;
  gulong handler;

  connection =
      g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (base), NULL, &error);
  g_assert_no_error (error);
  handler = g_signal_connect (f->uploads, "stored", G_CALLBACK (close_when_stored_cb), connection);
  g_assert_true (
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                                 strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);

  /* Stored, then gone once the server learns that its answer cannot be delivered. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!g_io_stream_is_closed (G_IO_STREAM (connection)) ||
         (count_stored (f) > 0 && g_get_monotonic_time () < deadline))
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_signal_handler_disconnect (f->uploads, handler);
  g_assert_cmpuint (count_stored (f), ==, 0);

  /* An upload whose client reads the answer keeps its file. */
  {
    g_autoptr (GBytes) content = g_bytes_new_static ("0123456789", 10);
    g_autoptr (JsonObject) answer = upload_bytes (f, "file", "kept.bin", content, SOUP_STATUS_OK);

    g_assert_cmpuint (count_stored (f), ==, 1);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/upload/large-rss", test_large_rss);
  ADD ("/upload/image", test_image);
  ADD ("/upload/image-decodes-bounded", test_image_decodes_bounded);
  ADD ("/upload/image-small-reuses-original", test_small_image);
  ADD ("/upload/image-not-an-image", test_not_image);
  ADD ("/upload/limits-from-headers", test_limits_from_headers);
  ADD ("/upload/image-just-under-limit", test_image_just_under_limit);
  ADD ("/upload/empty-and-bad-requests", test_empty_and_bad_requests);
  ADD ("/upload/auth", test_auth);
  ADD ("/upload/file-and-video", test_file_and_video);
  ADD ("/upload/ranges", test_ranges);
  ADD ("/upload/bad-names", test_bad_names);
  ADD ("/upload/chunked", test_chunked);
  ADD ("/upload/client-gone-before-answer", test_client_gone_before_answer);
#undef ADD

  return g_test_run ();
}
