/* test-usersig.c: UserSig v2 against the vectors of tim-sdk-facts.md §8.3, plus every refusal. */
#define G_LOG_DOMAIN "test-usersig"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "tim-usersig.h"

#define APPID G_GUINT64_CONSTANT (1400000000)
#define T0 G_GINT64_CONSTANT (1700000000)

#define KEY_A "test-secret-key"
#define SIG_A "jEmM879bo7ANaZxIof/2k4t1qo8AUM8Cqy6jqMi8MhM="
#define HEX_A "8c498cf3bf5ba3b00d699c48a1fff6938b75aa8f0050cf02ab2ea3a8c8bc3213"
#define JSON_A                                                                                     \
  "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"                 \
  "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}"
#define USERSIG_A_NODE                                                                             \
  "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwok5mcmpUInilOzEgoLMFCUrQxMDKIDIlGTmpipZGZqjiqZWFGQWpS" \
  "pZWZiZwISKM9OVrJSyXHN9Lcwtk-LNHf0Soyo889P0jbJNSgwL8y0cQ30tnAsrzbIKfTMtfDN8bZVqAXoGMDM_"
#define USERSIG_A_ZLIB12                                                                           \
  "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwok5mcmpUInilOzEgoLMFCUrQxMDKIDIlGTmpgJFzVFFUysKMouA4h" \
  "ZmJjCh4sx0oKFZrrm*FuaWSfnmjn6JURWe*Wn6RtkmJYaF*RaOob4WzoWVZlmFvpkWvhm*tkq1AHoGMDM_"

#define KEY_B "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
#define SIG_B "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="
#define HEX_B "2ef03b77f230ee04ac9ec92f5730433ce0820dbb8d0b0e061f04c2d1b8a9f81e"
#define JSON_B                                                                                     \
  "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"xiaojun\",\"TLS.sdkappid\":1400000000,"               \
  "\"TLS.time\":1700000000,\"TLS.expire\":15552000,\"TLS.sig\":\"" SIG_B "\"}"
#define USERSIG_B_NODE                                                                             \
  "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZB" \
  "aBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__"

#define USERBUF_C_HEX "000005616c69636553724e00000027106553f22c000000ff00000000"
#define USERBUF_C_B64 "AAAFYWxpY2VTck4AAAAnEGVT8iwAAAD/AAAAAA=="
#define SIG_C "nSzciB4RBR+1gOs77a238eoLad3OGU76l/FkaxaRvMU="
#define JSON_C                                                                                     \
  "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"                 \
  "\"TLS.time\":1700000000,\"TLS.expire\":300,\"TLS.userbuf\":\"" USERBUF_C_B64 "\","              \
  "\"TLS.sig\":\"" SIG_C "\"}"
#define USERBUF_C_ROOM_HEX "010005616c69636553724e00000000006553f22c000000ff000000000005726f6f6d31"
#define SIG_C_ROOM "ofTfT91WzxnICQN8xkeoOxYXEOvyLdm1SqXOlqEOUuc="

/* ---- helpers, independent of the code under test ---- */

static char *
to_hex (const guint8 *data, gsize len)
{
  GString *s = g_string_sized_new (len * 2);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02x", data[i]);
  return g_string_free (s, FALSE);
}

static char *
base64_to_hex (const char *b64)
{
  gsize len;
  g_autofree guint8 *raw = g_base64_decode (b64, &len);
  return to_hex (raw, len);
}

static char *
usersig_from_base64 (const char *b64)
{
  char *s = g_strdup (b64);
  g_strdelimit (s, "+", '*');
  g_strdelimit (s, "/", '-');
  g_strdelimit (s, "=", '_');
  return s;
}

/* Wraps arbitrary bytes the way the package wraps its JSON, to forge test inputs. */
static char *
usersig_from_bytes (const void *data, gsize len)
{
  uLongf clen = compressBound (len);
  g_autofree guint8 *c = g_malloc (clen);
  g_autofree char *b64 = NULL;

  g_assert_cmpint (compress2 (c, &clen, data, len, Z_DEFAULT_COMPRESSION), ==, Z_OK);
  b64 = g_base64_encode (c, clen);
  return usersig_from_base64 (b64);
}

static char *
usersig_from_json (const char *json)
{
  return usersig_from_bytes (json, strlen (json));
}

/* Undoes a UserSig with zlib directly and returns the JSON text byte for byte. */
static char *
inflate_usersig_text (const char *usersig)
{
  g_autofree char *b64 = g_strdup (usersig);
  g_autofree guint8 *raw = NULL;
  gsize raw_len;
  char out[8192];
  uLongf out_len = sizeof out - 1;

  g_strdelimit (b64, "*", '+');
  g_strdelimit (b64, "-", '/');
  g_strdelimit (b64, "_", '=');
  raw = g_base64_decode (b64, &raw_len);
  g_assert_cmpint (uncompress ((Bytef *) out, &out_len, raw, raw_len), ==, Z_OK);
  out[out_len] = '\0';
  return g_strdup (out);
}

static void
assert_usersig_alphabet (const char *usersig)
{
  g_assert_cmpuint (strlen (usersig) % 4, ==, 0);
  for (const char *p = usersig; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '_');
}

static void
assert_doc (JsonObject *doc, const char *identifier, gint64 expire, const char *userbuf,
            const char *sig)
{
  static const char *const order_plain[] = { "TLS.ver",  "TLS.identifier", "TLS.sdkappid",
                                             "TLS.time", "TLS.expire",     "TLS.sig" };
  static const char *const order_userbuf[] = { "TLS.ver",  "TLS.identifier", "TLS.sdkappid",
                                               "TLS.time", "TLS.expire",     "TLS.userbuf",
                                               "TLS.sig" };
  const char *const *order = userbuf ? order_userbuf : order_plain;
  g_autoptr (GList) members = json_object_get_members (doc);
  guint i = 0;

  g_assert_cmpuint (g_list_length (members), ==, userbuf ? 7 : 6);
  for (GList *l = members; l; l = l->next)
    g_assert_cmpstr (l->data, ==, order[i++]);

  g_assert_cmpstr (json_object_get_string_member (doc, "TLS.ver"), ==, "2.0");
  g_assert_cmpstr (json_object_get_string_member (doc, "TLS.identifier"), ==, identifier);
  g_assert_cmpint (json_object_get_int_member (doc, "TLS.sdkappid"), ==, APPID);
  g_assert_cmpint (json_object_get_int_member (doc, "TLS.time"), ==, T0);
  g_assert_cmpint (json_object_get_int_member (doc, "TLS.expire"), ==, expire);
  if (userbuf)
    g_assert_cmpstr (json_object_get_string_member (doc, "TLS.userbuf"), ==, userbuf);
  g_assert_cmpstr (json_object_get_string_member (doc, "TLS.sig"), ==, sig);
}

static void
assert_verify_fails (const char *usersig, guint64 appid, const char *key, const char *identifier,
                     gint64 now, int code)
{
  g_autoptr (GError) error = NULL;
  gint64 issued = -1, expires = -1;

  g_assert_false (
      tim_usersig_verify (usersig, appid, key, identifier, now, &issued, &expires, &error));
  g_assert_error (error, TIM_ERROR, code);
  /* Out values are only written on success. */
  g_assert_cmpint (issued, ==, -1);
  g_assert_cmpint (expires, ==, -1);
}

static void
assert_decode_fails (const char *usersig)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = tim_usersig_decode (usersig, &error);

  g_assert_null (doc);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID);
  assert_verify_fails (usersig, APPID, KEY_A, "alice", T0 + 1, TIM_ERROR_USERSIG_INVALID);
}

/* ---- HMAC ---- */

static void
test_hmac_vector_a (void)
{
  g_autofree char *sig = tim_usersig_hmac_base64 (KEY_A, "alice", APPID, T0, 86400, NULL);
  g_autofree char *hex = base64_to_hex (sig);
  const char *to_sign = "TLS.identifier:alice\nTLS.sdkappid:1400000000\n"
                        "TLS.time:1700000000\nTLS.expire:86400\n";
  g_autofree char *independent = g_compute_hmac_for_string (
      G_CHECKSUM_SHA256, (const guchar *) KEY_A, strlen (KEY_A), to_sign, -1);

  g_assert_cmpuint (strlen (to_sign), ==, 82);
  g_assert_cmpstr (sig, ==, SIG_A);
  g_assert_cmpuint (strlen (sig), ==, 44);
  g_assert_cmpstr (hex, ==, HEX_A);
  g_assert_cmpstr (independent, ==, HEX_A);
}

static void
test_hmac_vector_b (void)
{
  g_autofree char *sig = tim_usersig_hmac_base64 (KEY_B, "xiaojun", APPID, T0, 15552000, NULL);
  g_autofree char *hex = base64_to_hex (sig);

  /* The hex-looking key is used as 64 ASCII bytes, not decoded: */
  g_assert_cmpstr (sig, ==, SIG_B);
  g_assert_cmpstr (hex, ==, HEX_B);
}

/* ---- generate ---- */

static void
check_generated (const char *usersig, const char *expected_json)
{
  g_autofree char *json = inflate_usersig_text (usersig);

  assert_usersig_alphabet (usersig);
  g_assert_cmpstr (json, ==, expected_json);
}

static void
test_generate_vector_a (void)
{
  g_autofree char *usersig = tim_usersig_generate (APPID, KEY_A, "alice", T0, 86400, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = NULL;

  check_generated (usersig, JSON_A);
  g_assert_cmpuint (strlen (JSON_A), ==, 166);
  doc = tim_usersig_decode (usersig, &error);
  g_assert_no_error (error);
  assert_doc (doc, "alice", 86400, NULL, SIG_A);

  /* Same zlib, same bytes: Debian 12's zlib 1.2.13 is what made the facts' second string. */
  if (g_strcmp0 (zlibVersion (), "1.2.13") == 0)
    g_assert_cmpstr (usersig, ==, USERSIG_A_ZLIB12);
  else
    g_test_message ("zlib %s: not comparing compressed bytes", zlibVersion ());
}

static void
test_generate_vector_b (void)
{
  g_autofree char *usersig = tim_usersig_generate (APPID, KEY_B, "xiaojun", T0, 15552000, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = NULL;

  check_generated (usersig, JSON_B);
  doc = tim_usersig_decode (usersig, &error);
  g_assert_no_error (error);
  assert_doc (doc, "xiaojun", 15552000, NULL, SIG_B);
}

/* ---- the package's own strings ---- */

static void
check_package_usersig (const char *usersig, const char *key, const char *identifier, gint64 expire,
                       const char *sig, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = tim_usersig_decode (usersig, &error);
  g_autofree char *text = inflate_usersig_text (usersig);
  gint64 issued = 0, expires = 0;

  g_assert_no_error (error);
  assert_doc (doc, identifier, expire, NULL, sig);
  g_assert_cmpstr (text, ==, json);

  g_assert_true (
      tim_usersig_verify (usersig, APPID, key, identifier, T0 + 1, &issued, &expires, &error));
  g_assert_no_error (error);
  g_assert_cmpint (issued, ==, T0);
  g_assert_cmpint (expires, ==, T0 + expire);
  /* Out parameters are optional. */
  g_assert_true (tim_usersig_verify (usersig, APPID, key, identifier, T0 + 1, NULL, NULL, NULL));
}

static void
test_package_vector_a (void)
{
  g_assert_cmpuint (strlen (USERSIG_A_NODE), ==, 180);
  g_assert_cmpstr (USERSIG_A_NODE, !=, USERSIG_A_ZLIB12);
  check_package_usersig (USERSIG_A_NODE, KEY_A, "alice", 86400, SIG_A, JSON_A);
  check_package_usersig (USERSIG_A_ZLIB12, KEY_A, "alice", 86400, SIG_A, JSON_A);
}

static void
test_package_vector_b (void)
{
  /* The facts give only Node's string for B; the zlib 1.2.13 variant is ours, generated. */
  g_autofree char *zlib12 = tim_usersig_generate (APPID, KEY_B, "xiaojun", T0, 15552000, NULL);

  check_package_usersig (USERSIG_B_NODE, KEY_B, "xiaojun", 15552000, SIG_B, JSON_B);
  check_package_usersig (zlib12, KEY_B, "xiaojun", 15552000, SIG_B, JSON_B);
}

/* ---- vector C: PrivateMapKey userbuf ---- */

static void
test_userbuf_numeric_room (void)
{
  g_autoptr (GBytes) userbuf =
      tim_usersig_make_userbuf ("alice", APPID, 10000, NULL, T0 + 300, 255);
  gsize len;
  const guint8 *data = g_bytes_get_data (userbuf, &len);
  g_autofree char *hex = to_hex (data, len);
  g_autofree char *b64 = g_base64_encode (data, len);
  g_autofree char *sig = tim_usersig_hmac_base64 (KEY_A, "alice", APPID, T0, 300, b64);
  g_autofree char *usersig = tim_usersig_generate (APPID, KEY_A, "alice", T0, 300, userbuf);
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (GError) error = NULL;
  gint64 expires = 0;

  g_assert_cmpstr (hex, ==, USERBUF_C_HEX);
  g_assert_cmpstr (b64, ==, USERBUF_C_B64);
  g_assert_cmpstr (sig, ==, SIG_C);

  check_generated (usersig, JSON_C);
  doc = tim_usersig_decode (usersig, &error);
  g_assert_no_error (error);
  assert_doc (doc, "alice", 300, USERBUF_C_B64, SIG_C);

  g_assert_true (
      tim_usersig_verify (usersig, APPID, KEY_A, "alice", T0 + 1, NULL, &expires, &error));
  g_assert_no_error (error);
  g_assert_cmpint (expires, ==, T0 + 300);

  /* The userbuf is signed: the same document without it, or with another, fails. */
  {
    g_autofree char *no_userbuf = usersig_from_json (
        "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
        "\"TLS.time\":1700000000,\"TLS.expire\":300,\"TLS.sig\":\"" SIG_C "\"}");
    g_autofree char *other_userbuf = usersig_from_json (
        "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
        "\"TLS.time\":1700000000,\"TLS.expire\":300,\"TLS.userbuf\":\"AAAA\","
        "\"TLS.sig\":\"" SIG_C "\"}");
    g_autofree char *number_userbuf = usersig_from_json (
        "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
        "\"TLS.time\":1700000000,\"TLS.expire\":300,\"TLS.userbuf\":1,"
        "\"TLS.sig\":\"" SIG_C "\"}");

    assert_verify_fails (no_userbuf, APPID, KEY_A, "alice", T0 + 1, TIM_ERROR_USERSIG_VERIFY);
    assert_verify_fails (other_userbuf, APPID, KEY_A, "alice", T0 + 1, TIM_ERROR_USERSIG_VERIFY);
    assert_verify_fails (number_userbuf, APPID, KEY_A, "alice", T0 + 1, TIM_ERROR_USERSIG_INVALID);
  }
}

static void
test_userbuf_string_room (void)
{
  g_autoptr (GBytes) userbuf = tim_usersig_make_userbuf ("alice", APPID, 0, "room1", T0 + 300, 255);
  gsize len;
  const guint8 *data = g_bytes_get_data (userbuf, &len);
  g_autofree char *hex = to_hex (data, len);
  g_autofree char *b64 = g_base64_encode (data, len);
  g_autofree char *sig = tim_usersig_hmac_base64 (KEY_A, "alice", APPID, T0, 300, b64);
  g_autofree char *usersig = tim_usersig_generate (APPID, KEY_A, "alice", T0, 300, userbuf);
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (hex, ==, USERBUF_C_ROOM_HEX);
  g_assert_cmpstr (sig, ==, SIG_C_ROOM);

  doc = tim_usersig_decode (usersig, &error);
  g_assert_no_error (error);
  assert_doc (doc, "alice", 300, b64, SIG_C_ROOM);
  g_assert_true (tim_usersig_verify (usersig, APPID, KEY_A, "alice", T0 + 300, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* ---- round trip ---- */

static void
test_roundtrip (void)
{
  /* Identifiers JSON must escape, and ones it must leave alone ('/', non-ASCII). */
  static const char *const ids[] = {
    "alice", "a\"b\\c", "line\nbreak\t\x01", "s/l+a=sh", "\xe5\xbc\xa0\xe4\xb8\x89", ""
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *usersig = tim_usersig_generate (1400000001, "k", ids[i], T0, 60, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) doc = tim_usersig_decode (usersig, &error);
      gint64 issued = 0, expires = 0;

      g_assert_no_error (error);
      assert_usersig_alphabet (usersig);
      g_assert_cmpstr (json_object_get_string_member (doc, "TLS.identifier"), ==, ids[i]);
      g_assert_true (tim_usersig_verify (usersig, 1400000001, "k", ids[i], T0 + 60, &issued,
                                         &expires, &error));
      g_assert_no_error (error);
      g_assert_cmpint (issued, ==, T0);
      g_assert_cmpint (expires, ==, T0 + 60);
      assert_verify_fails (usersig, 1400000001, "k", ids[i], T0 + 61, TIM_ERROR_USERSIG_EXPIRED);
    }

  {
    /* JSON.stringify keeps '/' and non-ASCII as they are and writes \u0001 in lower case. */
    g_autofree char *usersig = tim_usersig_generate (1, "k", "a/\xc3\xa9\x01\"", 0, 0, NULL);
    g_autofree char *json = inflate_usersig_text (usersig);
    g_assert_nonnull (strstr (json, "\"TLS.identifier\":\"a/\xc3\xa9\\u0001\\\"\""));
  }
}

/* ---- refusals ---- */

static void
test_fail_garbage (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *standard = NULL;

  assert_decode_fails ("this is not a usersig");
  assert_decode_fails ("!!!!");
  assert_decode_fails ("");
  assert_decode_fails ("____");
  assert_decode_fails ("AAAA____");

  g_assert_null (tim_usersig_decode (NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID);
  g_clear_error (&error);
  g_assert_false (tim_usersig_verify (NULL, APPID, KEY_A, "alice", T0, NULL, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID);

  /* A valid UserSig written in the plain base64 alphabet is not a UserSig. */
  standard = g_strdup (USERSIG_A_ZLIB12);
  g_strdelimit (standard, "*", '+');
  g_strdelimit (standard, "-", '/');
  g_strdelimit (standard, "_", '=');
  g_assert_cmpstr (standard, !=, USERSIG_A_ZLIB12);
  assert_decode_fails (standard);
}

static void
test_fail_truncated (void)
{
  gsize len = strlen (USERSIG_A_NODE);
  g_autofree char *minus1 = g_strndup (USERSIG_A_NODE, len - 1);
  g_autofree char *minus4 = g_strndup (USERSIG_A_NODE, len - 4);
  g_autofree char *half = g_strndup (USERSIG_A_NODE, (len / 2) & ~(gsize) 3);
  g_autofree char *header = g_strndup (USERSIG_A_NODE, 4);

  assert_decode_fails (minus1); /* not a multiple of 4 */
  assert_decode_fails (minus4); /* decodes, but the Adler-32 trailer is cut */
  assert_decode_fails (half);
  assert_decode_fails (header);
}

static void
test_fail_not_zlib (void)
{
  g_autofree char *plain_b64 = g_base64_encode ((const guchar *) JSON_A, strlen (JSON_A));
  g_autofree char *plain = usersig_from_base64 (plain_b64);
  g_autofree char *trailing = NULL;
  g_autofree char *gzip = NULL;
  g_autofree char *raw = NULL;

  assert_decode_fails (plain);

  /* gzip and raw deflate of the right JSON: the package only ever writes zlib. */
  for (int window_bits = -15; window_bits <= 31; window_bits += 46)
    {
      z_stream zs = { 0 };
      guint8 out[512];
      g_autofree char *b64 = NULL;

      g_assert_cmpint (
          deflateInit2 (&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
          ==, Z_OK);
      zs.next_in = (Bytef *) JSON_A;
      zs.avail_in = strlen (JSON_A);
      zs.next_out = out;
      zs.avail_out = sizeof out;
      g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
      b64 = g_base64_encode (out, sizeof out - zs.avail_out);
      deflateEnd (&zs);
      if (window_bits < 0)
        raw = usersig_from_base64 (b64);
      else
        gzip = usersig_from_base64 (b64);
    }
  assert_decode_fails (raw);
  assert_decode_fails (gzip);

  /* A complete zlib stream followed by junk. */
  {
    uLongf clen = compressBound (strlen (JSON_A)) + 3;
    g_autofree guint8 *c = g_malloc (clen);
    g_autofree char *b64 = NULL;

    g_assert_cmpint (compress2 (c, &clen, (const Bytef *) JSON_A, strlen (JSON_A), 6), ==, Z_OK);
    memcpy (c + clen, "xyz", 3);
    b64 = g_base64_encode (c, clen + 3);
    trailing = usersig_from_base64 (b64);
  }
  assert_decode_fails (trailing);
}

static void
test_fail_not_json (void)
{
  static const char nul_inside[] = "{\"a\":\"b\0c\"}";
  g_autofree char *text = usersig_from_json ("hello, world");
  g_autofree char *array = usersig_from_json ("[" JSON_A "]");
  g_autofree char *number = usersig_from_json ("42");
  g_autofree char *empty = usersig_from_json ("");
  g_autofree char *latin1 = usersig_from_json ("{\"TLS.identifier\":\"caf\xe9\"}");
  g_autofree char *nul = usersig_from_bytes (nul_inside, sizeof nul_inside - 1);

  assert_decode_fails (text);
  assert_decode_fails (array);
  assert_decode_fails (number);
  assert_decode_fails (empty);
  assert_decode_fails (latin1);
  assert_decode_fails (nul);
}

/* A valid document followed by a second one: json-glib 1.6 read the first and leaked the rest
 * (an unauthenticated peer's memory per login), so it is refused (found by tests/fuzz). */
static void
test_fail_second_document (void)
{
  g_autofree char *control = usersig_from_json (JSON_A);
  g_autofree char *object = usersig_from_json (JSON_A "{\"TLS.ver\":\"2.0\"}");
  g_autofree char *array = usersig_from_json (JSON_A " [1,2,3]");
  g_autofree char *scalar_first = usersig_from_json ("1 " JSON_A);

  g_assert_true (tim_usersig_verify (control, APPID, KEY_A, "alice", T0, NULL, NULL, NULL));
  assert_decode_fails (object);
  assert_decode_fails (array);
  assert_decode_fails (scalar_first);
}

/* Builds a stream inflating to @size bytes of JSON whitespace without holding @size in memory. */
static char *
make_bomb (gsize size)
{
  static guint8 chunk[1 << 20];
  z_stream zs = { 0 };
  GByteArray *out = g_byte_array_new ();
  guint8 buf[1 << 16];
  gsize left = size;
  g_autofree char *b64 = NULL;

  memset (chunk, ' ', sizeof chunk);
  g_assert_cmpint (deflateInit (&zs, Z_BEST_COMPRESSION), ==, Z_OK);
  do
    {
      gsize n = MIN (left, sizeof chunk);
      int flush = n == left ? Z_FINISH : Z_NO_FLUSH;
      int rc;

      left -= n;
      zs.next_in = chunk;
      zs.avail_in = (uInt) n;
      do
        {
          zs.next_out = buf;
          zs.avail_out = sizeof buf;
          rc = deflate (&zs, flush);
          g_assert_cmpint (rc, !=, Z_STREAM_ERROR);
          g_byte_array_append (out, buf, sizeof buf - zs.avail_out);
        }
      while (zs.avail_out == 0);
    }
  while (left > 0);
  deflateEnd (&zs);

  b64 = g_base64_encode (out->data, out->len);
  g_byte_array_unref (out);
  return usersig_from_base64 (b64);
}

static void
test_fail_bomb (void)
{
  /* Exactly at the cap is fine; one byte more is refused. */
  g_autofree char *at_cap = g_strnfill (TIM_MAX_USERSIG_INFLATED, ' ');
  g_autofree char *over_cap = g_strnfill (TIM_MAX_USERSIG_INFLATED + 1, ' ');
  g_autofree char *sig_at_cap = NULL;
  g_autofree char *sig_over_cap = NULL;
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (GError) error = NULL;

  memcpy (at_cap, JSON_A, strlen (JSON_A));
  memcpy (over_cap, JSON_A, strlen (JSON_A));
  sig_at_cap = usersig_from_json (at_cap);
  sig_over_cap = usersig_from_json (over_cap);

  doc = tim_usersig_decode (sig_at_cap, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "TLS.sig"), ==, SIG_A);
  g_assert_true (tim_usersig_verify (sig_at_cap, APPID, KEY_A, "alice", T0, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_decode_fails (sig_over_cap);

  /* A 512 MiB bomb under an address-space limit far below that: decoding must refuse it without
   * ever holding the inflated data (an unbounded inflate would abort the child). */
  if (g_test_subprocess ())
    {
      g_autofree char *bomb = make_bomb ((gsize) 512 << 20);
      g_autofree char *statm = NULL;
      struct rlimit lim;
      gulong pages = 0;

      g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
      pages = strtoul (statm, NULL, 10);
      lim.rlim_cur = lim.rlim_max = pages * sysconf (_SC_PAGESIZE) + (64 << 20);
      g_assert_cmpint (setrlimit (RLIMIT_AS, &lim), ==, 0);

      assert_decode_fails (bomb);
      g_print ("bomb of %zu base64 characters refused\n", strlen (bomb));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*bomb of * base64 characters refused*");
}

static void
test_fail_sdkappid (void)
{
  assert_verify_fails (USERSIG_A_NODE, APPID + 1, KEY_A, "alice", T0,
                       TIM_ERROR_USERSIG_SDKAPPID_MISMATCH);
  /* The SDKAppID is checked before the identifier. */
  assert_verify_fails (USERSIG_A_NODE, 1, KEY_A, "bob", T0, TIM_ERROR_USERSIG_SDKAPPID_MISMATCH);
}

static void
test_fail_identifier (void)
{
  assert_verify_fails (USERSIG_A_NODE, APPID, KEY_A, "bob", T0,
                       TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH);
  assert_verify_fails (USERSIG_A_NODE, APPID, KEY_A, "Alice", T0,
                       TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH);
  assert_verify_fails (USERSIG_A_NODE, APPID, KEY_A, "alice ", T0,
                       TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH);
  assert_verify_fails (USERSIG_A_NODE, APPID, KEY_A, "", T0, TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH);
}

static void
test_fail_signature (void)
{
  /* Wrong key; the signature is checked before the expiry. */
  assert_verify_fails (USERSIG_A_NODE, APPID, "test-secret-kez", "alice", T0,
                       TIM_ERROR_USERSIG_VERIFY);
  assert_verify_fails (USERSIG_A_NODE, APPID, "", "alice", T0, TIM_ERROR_USERSIG_VERIFY);
  assert_verify_fails (USERSIG_A_NODE, APPID, KEY_B, "alice", T0 + 999999,
                       TIM_ERROR_USERSIG_VERIFY);

  {
    /* One character of the sig changed, the sig shortened, and a longer lifetime under the old
     * sig: all re-encoded properly so only the signature can catch them. */
    g_autofree char *flipped = usersig_from_json (
        "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
        "\"TLS.time\":1700000000,\"TLS.expire\":86400,"
        "\"TLS.sig\":\"kEmM879bo7ANaZxIof/2k4t1qo8AUM8Cqy6jqMi8MhM=\"}");
    g_autofree char *short_sig = usersig_from_json (
        "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
        "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"jEmM879bo7ANaZxIof\"}");
    g_autofree char *longer = usersig_from_json (
        "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
        "\"TLS.time\":1700000000,\"TLS.expire\":99999999,\"TLS.sig\":\"" SIG_A "\"}");
    g_autofree char *later = usersig_from_json (
        "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
        "\"TLS.time\":1800000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}");
    g_autofree char *reordered = usersig_from_json (
        "{\"TLS.sig\":\"" SIG_A "\",\"TLS.expire\":86400,\"TLS.time\":1700000000,"
        "\"TLS.sdkappid\":1400000000,\"TLS.identifier\":\"alice\",\"TLS.ver\":\"2.0\"}");

    assert_verify_fails (flipped, APPID, KEY_A, "alice", T0, TIM_ERROR_USERSIG_VERIFY);
    assert_verify_fails (short_sig, APPID, KEY_A, "alice", T0, TIM_ERROR_USERSIG_VERIFY);
    assert_verify_fails (longer, APPID, KEY_A, "alice", T0 + 86401, TIM_ERROR_USERSIG_VERIFY);
    assert_verify_fails (later, APPID, KEY_A, "alice", T0, TIM_ERROR_USERSIG_VERIFY);
    /* Key order is not signed (other SDKs write other orders): this one is genuine. */
    g_assert_true (tim_usersig_verify (reordered, APPID, KEY_A, "alice", T0, NULL, NULL, NULL));
  }
}

static void
test_fail_expired (void)
{
  gint64 issued = 0, expires = 0;
  g_autoptr (GError) error = NULL;

  /* Valid through time + expire inclusive, refused one second later. */
  g_assert_true (tim_usersig_verify (USERSIG_A_NODE, APPID, KEY_A, "alice", T0 + 86400, &issued,
                                     &expires, &error));
  g_assert_no_error (error);
  g_assert_cmpint (expires, ==, T0 + 86400);
  assert_verify_fails (USERSIG_A_NODE, APPID, KEY_A, "alice", T0 + 86401,
                       TIM_ERROR_USERSIG_EXPIRED);
  assert_verify_fails (USERSIG_B_NODE, APPID, KEY_B, "xiaojun", T0 + 15552001,
                       TIM_ERROR_USERSIG_EXPIRED);

  {
    /* Zero lifetime, and one that would overflow time + expire. */
    g_autofree char *zero = tim_usersig_generate (APPID, KEY_A, "alice", T0, 0, NULL);
    g_autofree char *huge = tim_usersig_generate (APPID, KEY_A, "alice", T0, G_MAXINT64, NULL);

    g_assert_true (tim_usersig_verify (zero, APPID, KEY_A, "alice", T0, NULL, NULL, NULL));
    assert_verify_fails (zero, APPID, KEY_A, "alice", T0 + 1, TIM_ERROR_USERSIG_EXPIRED);
    g_assert_true (
        tim_usersig_verify (huge, APPID, KEY_A, "alice", G_MAXINT64, NULL, &expires, NULL));
    g_assert_cmpint (expires, ==, G_MAXINT64);
  }
}

/* Every required field removed or given the wrong type, with a correct sig where it matters. */
static void
test_fail_fields (void)
{
  static const char *const docs[] = {
    /* missing */
    "{\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,\"TLS.time\":1700000000,"
    "\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.sdkappid\":1400000000,\"TLS.time\":1700000000,"
    "\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.time\":1700000000,"
    "\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":86400}",
    "{}",
    /* ill-typed */
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":\"1400000000\","
    "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1.7e9,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":-1,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":true,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":null,\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":[\"alice\"],\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":{}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autofree char *usersig = usersig_from_json (docs[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) doc = tim_usersig_decode (usersig, &error);

      /* It decodes (decode checks no field); verify refuses it. */
      g_assert_no_error (error);
      g_assert_nonnull (doc);
      assert_verify_fails (usersig, APPID, KEY_A, "alice", T0, TIM_ERROR_USERSIG_INVALID);
    }
}

static void
test_fail_version (void)
{
  static const char *const docs[] = {
    "{\"TLS.ver\":\"1.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":\"2.0 \",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
    "{\"TLS.ver\":2.0,\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":1400000000,"
    "\"TLS.time\":1700000000,\"TLS.expire\":86400,\"TLS.sig\":\"" SIG_A "\"}",
  };
  g_autofree char *control = usersig_from_json (JSON_A);

  /* The same document with "2.0" passes, so only the version is refused below. */
  g_assert_true (tim_usersig_verify (control, APPID, KEY_A, "alice", T0, NULL, NULL, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autofree char *usersig = usersig_from_json (docs[i]);
      assert_verify_fails (usersig, APPID, KEY_A, "alice", T0, TIM_ERROR_USERSIG_INVALID);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/usersig/hmac/vector-a", test_hmac_vector_a);
  g_test_add_func ("/usersig/hmac/vector-b", test_hmac_vector_b);
  g_test_add_func ("/usersig/generate/vector-a", test_generate_vector_a);
  g_test_add_func ("/usersig/generate/vector-b", test_generate_vector_b);
  g_test_add_func ("/usersig/package/vector-a", test_package_vector_a);
  g_test_add_func ("/usersig/package/vector-b", test_package_vector_b);
  g_test_add_func ("/usersig/userbuf/numeric-room", test_userbuf_numeric_room);
  g_test_add_func ("/usersig/userbuf/string-room", test_userbuf_string_room);
  g_test_add_func ("/usersig/roundtrip", test_roundtrip);
  g_test_add_func ("/usersig/fail/garbage", test_fail_garbage);
  g_test_add_func ("/usersig/fail/truncated", test_fail_truncated);
  g_test_add_func ("/usersig/fail/not-zlib", test_fail_not_zlib);
  g_test_add_func ("/usersig/fail/not-json", test_fail_not_json);
  g_test_add_func ("/usersig/fail/second-document", test_fail_second_document);
  g_test_add_func ("/usersig/fail/bomb", test_fail_bomb);
  g_test_add_func ("/usersig/fail/sdkappid", test_fail_sdkappid);
  g_test_add_func ("/usersig/fail/identifier", test_fail_identifier);
  g_test_add_func ("/usersig/fail/signature", test_fail_signature);
  g_test_add_func ("/usersig/fail/expired", test_fail_expired);
  g_test_add_func ("/usersig/fail/fields", test_fail_fields);
  g_test_add_func ("/usersig/fail/version", test_fail_version);

  return g_test_run ();
}
