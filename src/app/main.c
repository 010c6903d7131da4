/* main.c: timchat. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-application.h"
#include "timchat-first-frame.h"

int
main (int argc, char *argv[])
{
  g_autoptr (TimchatApplication) application = NULL;

  timchat_first_frame_mark ("main");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = timchat_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
