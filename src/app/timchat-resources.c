/* timchat-resources.c: registers the app's GResource (templates, CSS, the app icon) once.
 *
 * The app icon is not in the icon theme's search path unless About needs it by name: adding a
 * path to the theme throws its threaded load away (timchat-application.c, init_toolkit). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <gtk/gtk.h>

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

#define APP_ICON_THEME_PATH "/org/example/TimChat/app-icon"
#define APP_ICON_NAME "org.example.TimChat"

/* Added to the theme's path only when the page needs it (after the first frame): the installed
 * app has it in hicolor. */
const char *
timchat_ensure_app_symbolic_icon (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  timchat_ensure_resources ();
  if (!gtk_icon_theme_has_icon (theme, APP_ICON_NAME "-symbolic"))
    gtk_icon_theme_add_resource_path (theme, APP_ICON_THEME_PATH);
  return APP_ICON_NAME "-symbolic";
}

void
timchat_ensure_app_icon_in_theme (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  timchat_ensure_resources ();
  if (!gtk_icon_theme_has_icon (theme, APP_ICON_NAME))
    gtk_icon_theme_add_resource_path (theme, APP_ICON_THEME_PATH);
}
