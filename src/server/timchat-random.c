/* timchat-random.c: unguessable keys (see timchat-random.h). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <errno.h>
#include <sys/random.h>

#include "tim-error.h"
#include "timchat-random.h"

#define KEY_BYTES 16

char *
timchat_random_key (GError **error)
{
  guint8 bytes[KEY_BYTES];
  GString *hex;

  if (getrandom (bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INTERNAL, "getrandom: %s", g_strerror (errno));
      return NULL;
    }
  hex = g_string_sized_new (2 * KEY_BYTES + 1);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}
