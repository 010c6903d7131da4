/* tim-usersig-userbuf.c: the PrivateMapKey userbuf (tim-sdk-facts.md §8.3 C), the bytes a
 * UserSig carries as TLS.userbuf. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-usersig.h"

static void
append_be16 (GByteArray *buf, guint16 v)
{
  guint8 b[2] = { v >> 8, v & 0xff };
  g_byte_array_append (buf, b, sizeof b);
}

static void
append_be32 (GByteArray *buf, guint32 v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
  g_byte_array_append (buf, b, sizeof b);
}

/**
 * tim_usersig_make_userbuf:
 * @identifier: the user ID (the package writes one byte per character: keep it ASCII)
 * @sdkappid: the SDKAppID (32 bits on the wire)
 * @room_id: the numeric room, or 0 with @room_str
 * @room_str: (nullable): a string room (layout version 1), or %NULL for a numeric room (version 0)
 * @absolute_expiry: Unix seconds when the key expires (the package writes now + expire)
 * @privilege_map: privilege bits, 255 for all
 *
 * Returns: (transfer full): the big-endian PrivateMapKey userbuf of tim-sdk-facts.md §8.3 C.
 */
GBytes *
tim_usersig_make_userbuf (const char *identifier, guint64 sdkappid, guint32 room_id,
                          const char *room_str, gint64 absolute_expiry, guint32 privilege_map)
{
  g_autoptr (GByteArray) buf = NULL;
  gsize identifier_len;

  g_return_val_if_fail (identifier != NULL, NULL);
  identifier_len = strlen (identifier);
  g_return_val_if_fail (identifier_len <= G_MAXUINT16, NULL);
  g_return_val_if_fail (sdkappid <= G_MAXUINT32, NULL);
  g_return_val_if_fail (absolute_expiry >= 0 && absolute_expiry <= G_MAXUINT32, NULL);
  g_return_val_if_fail (room_str == NULL || room_id == 0, NULL);
  g_return_val_if_fail (room_str == NULL || strlen (room_str) <= G_MAXUINT16, NULL);

  buf = g_byte_array_new ();
  g_byte_array_append (buf, (const guint8[]){ room_str != NULL ? 1 : 0 }, 1);
  append_be16 (buf, (guint16) identifier_len);
  g_byte_array_append (buf, (const guint8 *) identifier, (guint) identifier_len);
  append_be32 (buf, (guint32) sdkappid);
  append_be32 (buf, room_id);
  append_be32 (buf, (guint32) absolute_expiry);
  append_be32 (buf, privilege_map);
  append_be32 (buf, 0); /* account type */
  if (room_str != NULL)
    {
      gsize room_len = strlen (room_str);
      append_be16 (buf, (guint16) room_len);
      g_byte_array_append (buf, (const guint8 *) room_str, (guint) room_len);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}
