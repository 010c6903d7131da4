/* tim-usersig.c: UserSig v2, byte-compatible in content with tls-sig-api-v2@1.0.2
 * (tim-sdk-facts.md §8). The compressed bytes may differ from Node's (another zlib build); the
 * decoded JSON and the HMAC are identical, and that is what every verifier looks at.
 *
 * Generation and decoding; verification is in tim-usersig-verify.c, the PrivateMapKey userbuf
 * in tim-usersig-userbuf.c. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "tim-usersig.h"

#define HMAC_SHA256_LEN 32

/* The UserSig alphabet is base64 with + / = replaced by * - _ ; ours maps back one character. */
static char
usersig_char_to_base64 (char c)
{
  switch (c)
    {
    case '*':
      return '+';
    case '-':
      return '/';
    case '_':
      return '=';
    default:
      return c;
    }
}

static char
base64_char_to_usersig (char c)
{
  switch (c)
    {
    case '+':
      return '*';
    case '/':
      return '-';
    case '=':
      return '_';
    default:
      return c;
    }
}

/* What JSON.stringify does to a string: escape '"', '\\' and control characters, nothing else
 * (in particular not '/', not non-ASCII), so the JSON matches the package's byte for byte. */
static void
append_json_string (GString *out, const char *str)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/**
 * tim_usersig_hmac_base64:
 * @key: the app's secret key; its own bytes are the HMAC key (never hex-decoded)
 * @identifier: the user ID
 * @sdkappid: the SDKAppID
 * @issued_at: `TLS.time`, Unix seconds
 * @expire_seconds: `TLS.expire`, a duration
 * @userbuf_b64: (nullable): `TLS.userbuf` for a PrivateMapKey, or %NULL for a plain UserSig
 *
 * Returns: (transfer full): standard base64 (44 characters) of HMAC-SHA256 over the
 *   newline-terminated "TLS.name:value" lines of the string to sign.
 */
char *
tim_usersig_hmac_base64 (const char *key, const char *identifier, guint64 sdkappid,
                         gint64 issued_at, gint64 expire_seconds, const char *userbuf_b64)
{
  g_autoptr (GString) content = NULL;
  g_autoptr (GHmac) hmac = NULL;
  guint8 digest[HMAC_SHA256_LEN];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (identifier != NULL, NULL);

  content = g_string_new (NULL);
  g_string_append_printf (content,
                          "TLS.identifier:%s\n"
                          "TLS.sdkappid:%" G_GUINT64_FORMAT "\n"
                          "TLS.time:%" G_GINT64_FORMAT "\n"
                          "TLS.expire:%" G_GINT64_FORMAT "\n",
                          identifier, sdkappid, issued_at, expire_seconds);
  if (userbuf_b64 != NULL)
    g_string_append_printf (content, "TLS.userbuf:%s\n", userbuf_b64);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key));
  g_hmac_update (hmac, (const guchar *) content->str, (gssize) content->len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_assert (digest_len == HMAC_SHA256_LEN);

  return g_base64_encode (digest, digest_len);
}

/**
 * tim_usersig_generate:
 * @sdkappid: the SDKAppID
 * @key: the app's secret key
 * @identifier: the user ID (valid UTF-8)
 * @issued_at: `TLS.time`, Unix seconds (the package reads the clock; we take it explicitly)
 * @expire_seconds: lifetime in seconds from @issued_at
 * @userbuf: (nullable): PrivateMapKey bytes (see tim_usersig_make_userbuf()), or %NULL
 *
 * Returns: (transfer full): the UserSig: compact JSON, zlib at the default level, base64 with
 *   `+ / =` mapped to `* - _`.
 */
char *
tim_usersig_generate (guint64 sdkappid, const char *key, const char *identifier, gint64 issued_at,
                      gint64 expire_seconds, GBytes *userbuf)
{
  g_autofree char *userbuf_b64 = NULL;
  g_autofree char *sig = NULL;
  g_autoptr (GString) json = NULL;
  g_autofree guint8 *compressed = NULL;
  uLongf compressed_len;
  char *usersig;
  int rc;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (identifier != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (identifier, -1, NULL), NULL);

  if (userbuf != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (userbuf, &len);
      userbuf_b64 = g_base64_encode (data, len);
    }

  sig = tim_usersig_hmac_base64 (key, identifier, sdkappid, issued_at, expire_seconds, userbuf_b64);

  /* By hand, not JsonGenerator: the key order and the exact bytes are part of the format. */
  json = g_string_new ("{\"TLS.ver\":\"2.0\",\"TLS.identifier\":");
  append_json_string (json, identifier);
  g_string_append_printf (json,
                          ",\"TLS.sdkappid\":%" G_GUINT64_FORMAT ",\"TLS.time\":%" G_GINT64_FORMAT
                          ",\"TLS.expire\":%" G_GINT64_FORMAT,
                          sdkappid, issued_at, expire_seconds);
  if (userbuf_b64 != NULL)
    g_string_append_printf (json, ",\"TLS.userbuf\":\"%s\"", userbuf_b64);
  g_string_append_printf (json, ",\"TLS.sig\":\"%s\"}", sig);

  compressed_len = compressBound (json->len);
  compressed = g_malloc (compressed_len);
  rc = compress2 (compressed, &compressed_len, (const Bytef *) json->str, json->len,
                  Z_DEFAULT_COMPRESSION);
  /* With compressBound() room only an allocation failure is possible, and GLib aborts on those. */
  if (G_UNLIKELY (rc != Z_OK))
    g_error ("compress2 failed: %d", rc);

  usersig = g_base64_encode (compressed, compressed_len);
  for (char *p = usersig; *p != '\0'; p++)
    *p = base64_char_to_usersig (*p);
  return usersig;
}

/* Strict on purpose: only what a generator can emit (the UserSig alphabet, padded to a multiple
 * of 4), because g_base64_decode() silently skips anything else. */
static GBytes *
decode_usersig_base64 (const char *usersig, GError **error)
{
  gsize len = strlen (usersig);
  g_autofree char *b64 = NULL;
  guchar *raw;
  gsize raw_len = 0;
  gsize pad = 0;

  if (len == 0 || len % 4 != 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                   "UserSig: length %" G_GSIZE_FORMAT " is not a positive multiple of 4", len);
      return NULL;
    }

  b64 = g_strdup (usersig);
  for (gsize i = 0; i < len; i++)
    {
      char c = usersig[i];

      /* Plain base64 ('+', '/', '=') is not a UserSig: no generator emits it. */
      if (c == '_')
        {
          pad++;
        }
      else if (!(g_ascii_isalnum (c) || c == '*' || c == '-') || pad > 0)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                       "UserSig: unexpected character at offset %" G_GSIZE_FORMAT, i);
          return NULL;
        }
      b64[i] = usersig_char_to_base64 (c);
    }
  if (pad > 2)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                           "UserSig: too much base64 padding");
      return NULL;
    }

  raw = g_base64_decode (b64, &raw_len);
  return g_bytes_new_take (raw, raw_len);
}

/* Inflates one zlib (RFC 1950) stream into a fixed buffer one byte larger than the cap, so a
 * bomb costs at most TIM_MAX_USERSIG_INFLATED + 1 bytes of output before it is refused. */
static GBytes *
inflate_capped (GBytes *compressed, GError **error)
{
  z_stream zs = { 0 };
  gsize in_len;
  const guint8 *in = g_bytes_get_data (compressed, &in_len);
  const gsize out_size = TIM_MAX_USERSIG_INFLATED + 1;
  g_autofree guint8 *out = NULL;
  gsize produced;
  uInt left_in;
  int rc;

  if (in_len == 0 || in_len > G_MAXUINT)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                           "UserSig: empty or oversized payload");
      return NULL;
    }

  if (inflateInit (&zs) != Z_OK)
    g_error ("inflateInit failed: %s", zs.msg != NULL ? zs.msg : "no memory");

  out = g_malloc (out_size);
  zs.next_in = in;
  zs.avail_in = (uInt) in_len;
  zs.next_out = out;
  zs.avail_out = (uInt) out_size;
  /* All input is present and the buffer is the whole budget: one call either ends the stream,
   * runs out of input (truncated), fills the buffer (too big) or finds bad data. */
  rc = inflate (&zs, Z_FINISH);
  produced = out_size - zs.avail_out;
  left_in = zs.avail_in;
  inflateEnd (&zs);

  if (produced > TIM_MAX_USERSIG_INFLATED)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                   "UserSig: inflates to more than %d bytes", TIM_MAX_USERSIG_INFLATED);
      return NULL;
    }
  if (rc != Z_STREAM_END)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                   "UserSig: not a complete zlib stream (%d)", rc);
      return NULL;
    }
  if (left_in != 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                           "UserSig: trailing bytes after the zlib stream");
      return NULL;
    }

  return g_bytes_new (out, produced);
}

/**
 * tim_usersig_decode:
 * @usersig: (nullable): a UserSig as sent by a client
 * @error: return location for a %TIM_ERROR_USERSIG_INVALID error
 *
 * Undoes the `* - _` substitution, base64-decodes, inflates (zlib only, at most
 * %TIM_MAX_USERSIG_INFLATED bytes) and parses the JSON. Checks no field.
 *
 * Returns: (transfer full): the JSON object, or %NULL with @error set.
 */
JsonObject *
tim_usersig_decode (const char *usersig, GError **error)
{
  g_autoptr (GBytes) compressed = NULL;
  g_autoptr (GBytes) inflated = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) root = NULL;
  const char *text;
  gsize text_len;

  if (usersig == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID, "UserSig: missing");
      return NULL;
    }

  compressed = decode_usersig_base64 (usersig, error);
  if (compressed == NULL)
    return NULL;
  inflated = inflate_capped (compressed, error);
  if (inflated == NULL)
    return NULL;

  text = g_bytes_get_data (inflated, &text_len);
  /* Also refuses NUL bytes, which would cut the JSON text short. */
  if (text_len == 0 || !g_utf8_validate (text, (gssize) text_len, NULL))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                           "UserSig: payload is not UTF-8 text");
      return NULL;
    }

  /* tim_json_parse (), not a JsonParser of its own: it reads the same, but keeps nesting and
   * json-glib's leak on a second top-level value ("{}{}") away from an unauthenticated peer. */
  root = tim_json_parse (text, (gssize) text_len, &local_error);
  if (root == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID, "UserSig: bad JSON: %s",
                   local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                           "UserSig: JSON is not an object");
      return NULL;
    }

  /* A copy the caller may change: tim_json_parse () seals its tree. */
  return tim_json_object_copy (json_node_get_object (root));
}
