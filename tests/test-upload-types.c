/* test-upload-types.c: what an upload is taken for. Only its first bytes decide (never the
 * name the client gives); that decides the stored name, the Content-Type it is served with,
 * and whether a browser may show it inline. Also covered: WebP sizes, which are read from the
 * header because gdk-pixbuf has no WebP loader here, and PNGs that lie about themselves. */
#define G_LOG_DOMAIN "test-upload"

#include "config.h"

#include <string.h>

#include <zlib.h>

#include "tim-error.h"
#include "upload-fixture.h"

/* ---- building files ---------------------------------------------------------------------- */

static void
write_be32 (guint8 *at, guint32 value)
{
  at[0] = value >> 24;
  at[1] = value >> 16;
  at[2] = value >> 8;
  at[3] = value;
}

static void
append_be32 (GByteArray *out, guint32 value)
{
  guint8 be[4];

  write_be32 (be, value);
  g_byte_array_append (out, be, 4);
}

static void
append_png_chunk (GByteArray *out, const char *type, const guint8 *data, gsize len)
{
  guint32 crc = crc32 (0, (const guint8 *) type, 4);

  crc = crc32 (crc, data, len);
  append_be32 (out, len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, len);
  append_be32 (out, crc);
}

/* A PNG whose header says @width x @height (8-bit RGB) followed by @idat as its only data. */
static GBytes *
png_with_header (guint32 width, guint32 height, const guint8 *idat, gsize idat_len)
{
  GByteArray *out = g_byte_array_new ();
  /* Width, height, then 8-bit RGB, the standard compression, filter and no interlace. */
  guint8 ihdr[13] = { 0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0 };

  write_be32 (ihdr, width);
  write_be32 (ihdr + 4, height);
  g_byte_array_append (out, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  append_png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  append_png_chunk (out, "IDAT", idat, idat_len);
  append_png_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

/* A RIFF WebP container whose first chunk is @fourcc with @payload (the rest of the file is
 * never read for its size). */
static GBytes *
webp_with_chunk (const char *fourcc, const guint8 *payload, gsize len)
{
  GByteArray *out = g_byte_array_new ();
  guint8 le[4];
  guint32 riff = 4 + 8 + len;

  g_byte_array_append (out, (const guint8 *) "RIFF", 4);
  le[0] = riff, le[1] = riff >> 8, le[2] = riff >> 16, le[3] = riff >> 24;
  g_byte_array_append (out, le, 4);
  g_byte_array_append (out, (const guint8 *) "WEBP", 4);
  g_byte_array_append (out, (const guint8 *) fourcc, 4);
  le[0] = len, le[1] = len >> 8, le[2] = len >> 16, le[3] = len >> 24;
  g_byte_array_append (out, le, 4);
  g_byte_array_append (out, payload, len);
  return g_byte_array_free_to_bytes (out);
}

/* ---- tests ------------------------------------------------------------------------------- */

/* Each kind of content by its magic bytes, uploaded as a file named "upload.png" (the name
 * must not matter). */
static void
test_sniffed (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *what;
    const char *head;
    gsize head_len;
    const char *ext;
    const char *mime;
    gboolean inline_ok;
  } cases[] = {
#define HEAD(s) s, sizeof s - 1
    { "GIF", HEAD ("GIF89a\x01\x00\x01\x00\x80\x00\x00"), "gif", "image/gif", TRUE },
    { "BMP", HEAD ("BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0\x01\0\x18\0"),
      "bmp", "image/bmp", TRUE },
    { "text that starts with BM", HEAD ("BM is not a bitmap"), "bin", "application/octet-stream",
      FALSE },
    { "WebP", HEAD ("RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0"), "webp", "image/webp", TRUE },
    { "WAV", HEAD ("RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"), "wav", "audio/wav", TRUE },
    { "MP4", HEAD ("\0\0\0\030ftypisom\0\0\x02\0"), "mp4", "video/mp4", TRUE },
    { "QuickTime", HEAD ("\0\0\0\024ftypqt  \0\0\x02\0"), "mov", "video/quicktime", TRUE },
    { "M4A", HEAD ("\0\0\0\034ftypM4A \0\0\x02\0"), "m4a", "audio/mp4", TRUE },
    { "HEIC", HEAD ("\0\0\0\030ftypheic\0\0\0\0"), "heic", "image/heic", FALSE },
    { "WebM", HEAD ("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"), "webm", "video/webm", TRUE },
    { "Ogg", HEAD ("OggS\0\x02\0\0\0\0"), "ogg", "audio/ogg", TRUE },
    { "AMR", HEAD ("#!AMR\n\x3c"), "amr", "audio/amr", TRUE },
    { "SILK", HEAD ("#!SILK_V3\x0c\0"), "silk", "application/octet-stream", FALSE },
    { "SILK after a 0x02", HEAD ("\x02#!SILK_V3\x0c\0"), "silk", "application/octet-stream",
      FALSE },
    { "MP3 with ID3", HEAD ("ID3\x04\0\0\0\0\0\0"), "mp3", "audio/mpeg", TRUE },
    { "MP3 frame", HEAD ("\xff\xfb\x90\x64\0\0"), "mp3", "audio/mpeg", TRUE },
    { "AAC (ADTS)", HEAD ("\xff\xf1\x50\x80\x02\x1f\xfc"), "aac", "audio/aac", TRUE },
    { "PDF", HEAD ("%PDF-1.7\n"), "pdf", "application/pdf", FALSE },
    { "ZIP", HEAD ("PK\x03\x04\x14\0\0\0"), "zip", "application/zip", FALSE },
    { "gzip", HEAD ("\x1f\x8b\x08\0\0\0\0\0"), "gz", "application/gzip", FALSE },
    { "SVG", HEAD ("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script>"), "bin",
      "application/octet-stream", FALSE },
    { "HTML", HEAD ("<!DOCTYPE html><script>alert(1)</script>"), "bin", "application/octet-stream",
      FALSE },
    { "plain text", HEAD ("hello"), "bin", "application/octet-stream", FALSE },
#undef HEAD
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) content = g_bytes_new_static (cases[i].head, cases[i].head_len);
      g_autoptr (JsonObject) answer =
          upload_bytes (f, "file", "upload.png", content, SOUP_STATUS_OK);
      const char *uuid = json_object_get_string_member (answer, "UUID");
      g_autofree char *suffix = g_strconcat (".", cases[i].ext, NULL);
      g_autoptr (SoupMessage) msg =
          soup_message_new ("GET", json_object_get_string_member (answer, "Url"));
      g_autoptr (GBytes) got = send_and_read (f, msg);
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

      g_test_message ("%s", cases[i].what);
      g_assert_cmpstr (json_object_get_string_member (answer, "Format"), ==, cases[i].ext);
      g_assert_cmpstr (json_object_get_string_member (answer, "ContentType"), ==, cases[i].mime);
      g_assert_cmpstr (json_object_get_string_member (answer, "FileName"), ==, "upload.png");
      g_assert_true (g_str_has_suffix (uuid, suffix));

      g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
      g_assert_true (g_bytes_equal (got, content));
      g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, cases[i].mime);
      g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Content-Type-Options"), ==,
                       "nosniff");
      /* What a browser must not run or show in our origin is only ever a download. */
      g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Disposition"), ==,
                       cases[i].inline_ok ? NULL : "attachment");
    }
  g_assert_cmpuint (count_stored (f), ==, G_N_ELEMENTS (cases));
}

/* gdk-pixbuf cannot decode WebP here, so its size comes from the header of each of the three
 * WebP flavours, and the original stands in for the thumbnail and the large version. */
static void
test_webp_sizes (Fixture *f, gconstpointer data)
{
  /* VP8X: flags and reserved bytes, then the canvas width - 1 and height - 1 (24 bits each). */
  static const guint8 vp8x[10] = { 0x10, 0, 0, 0, 0xe7, 0x03, 0x00, 0x1f, 0x03, 0x00 };
  /* VP8 (lossy): a frame tag, the start code, then 14-bit width and height. */
  static const guint8 vp8[10] = { 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01 };
  /* VP8L (lossless): the signature 0x2f, then 14 bits of width - 1 and of height - 1. */
  static const guint8 vp8l[5] = { 0x2f, 0x2b, 0xc1, 0x31, 0x00 };
  static const struct
  {
    const char *fourcc;
    const guint8 *payload;
    gsize len;
    int width, height;
  } cases[] = {
    { "VP8X", vp8x, sizeof vp8x, 1000, 800 },
    { "VP8 ", vp8, sizeof vp8, 640, 480 },
    { "VP8L", vp8l, sizeof vp8l, 300, 200 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) webp = webp_with_chunk (cases[i].fourcc, cases[i].payload, cases[i].len);
      g_autoptr (JsonObject) answer = upload_bytes (f, "image", "a.webp", webp, SOUP_STATUS_OK);
      JsonArray *infos = json_object_get_array_member (answer, "ImageInfoArray");

      g_test_message ("%s", cases[i].fourcc);
      g_assert_cmpint (json_object_get_int_member (answer, "ImageFormat"), ==, 255);
      g_assert_cmpuint (json_array_get_length (infos), ==, 3);
      for (guint v = 0; v < 3; v++)
        {
          JsonObject *info = json_array_get_object_element (infos, v);

          g_assert_cmpint (json_object_get_int_member (info, "Width"), ==, cases[i].width);
          g_assert_cmpint (json_object_get_int_member (info, "Height"), ==, cases[i].height);
          g_assert_cmpint (json_object_get_int_member (info, "Size"), ==, g_bytes_get_size (webp));
          g_assert_cmpstr (json_object_get_string_member (info, "URL"), ==,
                           json_object_get_string_member (answer, "Url"));
        }
    }
  g_assert_cmpuint (count_stored (f), ==, G_N_ELEMENTS (cases));
}

/* A WebP whose header gives no size is no image. */
static void
test_webp_without_size (Fixture *f, gconstpointer data)
{
  static const guint8 vp8_zero[10] = { 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0xe0, 0x01 };
  static const guint8 other[10] = { 0 };
  g_autoptr (GBytes) zero = webp_with_chunk ("VP8 ", vp8_zero, sizeof vp8_zero);
  g_autoptr (GBytes) unknown = webp_with_chunk ("ALPH", other, sizeof other);
  static const char cut_short[] = "RIFF\x24\0\0\0WEBPVP8X\x0a\0\0\0\x10";
  g_autoptr (GBytes) cut = g_bytes_new_static (cut_short, sizeof cut_short - 1);
  g_autoptr (JsonObject) a = upload_bytes (f, "image", "a.webp", zero, SOUP_STATUS_BAD_REQUEST);
  g_autoptr (JsonObject) b = upload_bytes (f, "image", "b.webp", unknown, SOUP_STATUS_BAD_REQUEST);
  g_autoptr (JsonObject) c = upload_bytes (f, "image", "c.webp", cut, SOUP_STATUS_BAD_REQUEST);

  assert_fail (a, TIM_ERROR_IMAGE_TYPE);
  assert_fail (b, TIM_ERROR_IMAGE_TYPE);
  assert_fail (c, TIM_ERROR_IMAGE_TYPE);
  g_assert_cmpuint (count_stored (f), ==, 0);
}

/* Kinds the image endpoint does not take, whatever they are called: nothing is kept. */
static void
test_image_kind_refuses_others (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *head;
    gsize head_len;
  } cases[] = {
#define HEAD(s) { s, sizeof s - 1 }
    HEAD ("\0\0\0\030ftypheic\0\0\0\0"), /* an image, but none the SDK's ImageFormat names */
    HEAD ("RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"),
    HEAD ("%PDF-1.7\n"),
    HEAD ("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
#undef HEAD
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) content = g_bytes_new_static (cases[i].head, cases[i].head_len);
      g_autoptr (JsonObject) answer =
          upload_bytes (f, "image", "photo.jpg", content, SOUP_STATUS_BAD_REQUEST);

      assert_fail (answer, TIM_ERROR_IMAGE_TYPE);
    }
  g_assert_cmpuint (count_stored (f), ==, 0);
}

/* A PNG may declare more pixels than its bytes could fill (a 20 MB file, gigapixels): the
 * server measures it and never decodes it, and the original stands in for its versions. */
static void
test_png_too_large_to_decode (Fixture *f, gconstpointer data)
{
  static const guint8 idat[] = { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };
  g_autoptr (GBytes) png = png_with_header (20000, 20000, idat, sizeof idat);
  g_autoptr (JsonObject) answer = upload_bytes (f, "image", "huge.png", png, SOUP_STATUS_OK);
  JsonArray *infos = json_object_get_array_member (answer, "ImageInfoArray");

  g_assert_cmpint (json_object_get_int_member (answer, "ImageFormat"), ==, 3);
  for (guint v = 0; v < json_array_get_length (infos); v++)
    {
      JsonObject *info = json_array_get_object_element (infos, v);

      g_assert_cmpint (json_object_get_int_member (info, "Width"), ==, 20000);
      g_assert_cmpint (json_object_get_int_member (info, "Height"), ==, 20000);
      g_assert_cmpstr (json_object_get_string_member (info, "URL"), ==,
                       json_object_get_string_member (answer, "Url"));
    }
  g_assert_cmpuint (json_array_get_length (infos), ==, 3);
  g_assert_cmpuint (count_stored (f), ==, 1);
}

/* A PNG with a sound header and pixel data that does not inflate is no image. */
static void
test_png_that_does_not_decode (Fixture *f, gconstpointer data)
{
  static const guint8 garbage[] = "this is not zlib data at all, not even close";
  g_autoptr (GBytes) png = png_with_header (100, 100, garbage, sizeof garbage - 1);
  g_autoptr (JsonObject) answer =
      upload_bytes (f, "image", "broken.png", png, SOUP_STATUS_BAD_REQUEST);

  assert_fail (answer, TIM_ERROR_IMAGE_TYPE);
  g_assert_cmpuint (count_stored (f), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/upload-types/sniffed", test_sniffed);
  ADD ("/upload-types/webp-sizes", test_webp_sizes);
  ADD ("/upload-types/webp-without-size", test_webp_without_size);
  ADD ("/upload-types/image-kind-refuses-others", test_image_kind_refuses_others);
  ADD ("/upload-types/png-too-large-to-decode", test_png_too_large_to_decode);
  ADD ("/upload-types/png-that-does-not-decode", test_png_that_does_not_decode);
#undef ADD

  return g_test_run ();
}
