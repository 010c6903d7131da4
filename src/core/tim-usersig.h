/* tim-usersig.h: UserSig v2 (tls-sig-api-v2) generation, decoding and server-side verification. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *tim_usersig_generate (guint64 sdkappid, const char *key, const char *identifier,
                            gint64 issued_at, gint64 expire_seconds, GBytes *userbuf);

char *tim_usersig_hmac_base64 (const char *key, const char *identifier, guint64 sdkappid,
                               gint64 issued_at, gint64 expire_seconds, const char *userbuf_b64);

JsonObject *tim_usersig_decode (const char *usersig, GError **error);

gboolean tim_usersig_verify (const char *usersig, guint64 sdkappid, const char *key,
                             const char *identifier, gint64 now, gint64 *issued_at,
                             gint64 *expires_at, GError **error);

GBytes *tim_usersig_make_userbuf (const char *identifier, guint64 sdkappid, guint32 room_id,
                                  const char *room_str, gint64 absolute_expiry,
                                  guint32 privilege_map);

G_END_DECLS
