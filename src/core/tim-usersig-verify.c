/* tim-usersig-verify.c: server-side UserSig verification, on top of tim_usersig_decode() and
 * tim_usersig_hmac_base64(). */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-usersig.h"

static const char *
get_string_member (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The generators only ever write non-negative integers here; anything else is ill-typed. */
static gboolean
get_count_member (JsonObject *obj, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* Same answer for any two strings of one length in the same time, so a forger learns nothing
 * from how fast a wrong signature is refused. */
static gboolean
strings_equal_constant_time (const char *a, const char *b)
{
  gsize len = strlen (a);
  volatile guint8 diff = 0;

  if (len != strlen (b))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];
  return diff == 0;
}

/**
 * tim_usersig_verify:
 * @usersig: (nullable): the UserSig a client presented
 * @sdkappid: this server's SDKAppID
 * @key: this app's secret key
 * @identifier: the user ID the client logs in as
 * @now: the current Unix time in seconds
 * @issued_at: (out) (optional): `TLS.time` on success
 * @expires_at: (out) (optional): `TLS.time + TLS.expire` on success
 * @error: return location for a TIM_ERROR_USERSIG_* error
 *
 * The checks run in this order, first failure wins: decoding and field types, and `TLS.ver`
 * "2.0" (70003); SDKAppID (70014); identifier (70013); signature (70009); expiry (70001). A
 * UserSig is still valid at exactly `TLS.time + TLS.expire`.
 *
 * Returns: %TRUE if the UserSig lets @identifier in.
 */
gboolean
tim_usersig_verify (const char *usersig, guint64 sdkappid, const char *key, const char *identifier,
                    gint64 now, gint64 *issued_at, gint64 *expires_at, GError **error)
{
  g_autoptr (JsonObject) doc = NULL;
  g_autofree char *expected_sig = NULL;
  const char *ver, *doc_identifier, *doc_sig, *doc_userbuf = NULL;
  gint64 doc_sdkappid, doc_time, doc_expire, doc_expires_at;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (identifier != NULL, FALSE);

  doc = tim_usersig_decode (usersig, error);
  if (doc == NULL)
    return FALSE;

  ver = get_string_member (doc, "TLS.ver");
  doc_identifier = get_string_member (doc, "TLS.identifier");
  doc_sig = get_string_member (doc, "TLS.sig");
  if (json_object_has_member (doc, "TLS.userbuf"))
    {
      doc_userbuf = get_string_member (doc, "TLS.userbuf");
      if (doc_userbuf == NULL)
        {
          g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                               "UserSig: TLS.userbuf is not a string");
          return FALSE;
        }
    }
  if (ver == NULL || doc_identifier == NULL || doc_sig == NULL ||
      !get_count_member (doc, "TLS.sdkappid", &doc_sdkappid) ||
      !get_count_member (doc, "TLS.time", &doc_time) ||
      !get_count_member (doc, "TLS.expire", &doc_expire))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                           "UserSig: a TLS field is missing or has the wrong type");
      return FALSE;
    }
  if (g_strcmp0 (ver, "2.0") != 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                   "UserSig: unsupported TLS.ver \"%s\"", ver);
      return FALSE;
    }

  if ((guint64) doc_sdkappid != sdkappid)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_SDKAPPID_MISMATCH,
                   "UserSig: issued for SDKAppID %" G_GINT64_FORMAT, doc_sdkappid);
      return FALSE;
    }
  if (strcmp (doc_identifier, identifier) != 0)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_IDENTIFIER_MISMATCH,
                           "UserSig: issued for another identifier");
      return FALSE;
    }

  expected_sig = tim_usersig_hmac_base64 (key, doc_identifier, (guint64) doc_sdkappid, doc_time,
                                          doc_expire, doc_userbuf);
  if (!strings_equal_constant_time (expected_sig, doc_sig))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_USERSIG_VERIFY,
                           "UserSig: signature does not match this app's key");
      return FALSE;
    }

  /* Both are non-negative, so only the upper end can overflow. */
  doc_expires_at = doc_expire > G_MAXINT64 - doc_time ? G_MAXINT64 : doc_time + doc_expire;
  if (now > doc_expires_at)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_EXPIRED,
                   "UserSig: expired at %" G_GINT64_FORMAT, doc_expires_at);
      return FALSE;
    }

  if (issued_at != NULL)
    *issued_at = doc_time;
  if (expires_at != NULL)
    *expires_at = doc_expires_at;
  return TRUE;
}
