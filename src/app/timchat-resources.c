/* timchat-resources.c: registers the app's GResource (templates, CSS) once. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <gio/gio.h>

#include "timchat-resources.h"
#include "timchat-resources-generated.h"

void
timchat_ensure_resources (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      g_resources_register (timchat_get_resource ());
      g_once_init_leave (&registered, 1);
    }
}
