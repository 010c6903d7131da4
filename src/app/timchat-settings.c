/* timchat-settings.c: one GSettings for the app; the window's size and maximized state kept in it
 * (saved when the window closes, not at every step of a resize). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-settings.h"

#define SCHEMA_ID "org.example.TimChat"

GSettings *
timchat_settings_get (void)
{
  static GSettings *settings;
  static gsize looked_up;

  if (g_once_init_enter (&looked_up))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr (GSettingsSchema) schema =
          source != NULL ? g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE) : NULL;

      if (schema != NULL)
        settings = g_settings_new (SCHEMA_ID);
      g_once_init_leave (&looked_up, 1);
    }
  return settings;
}

static gboolean
on_close_request (GtkWindow *window, GSettings *settings)
{
  int width = 0, height = 0;

  /* The default size follows the user's resizes, and is the unmaximized size when maximized. */
  gtk_window_get_default_size (window, &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  return FALSE;
}

void
timchat_settings_track_window (GtkWindow *window)
{
  GSettings *settings = timchat_settings_get ();

  g_return_if_fail (GTK_IS_WINDOW (window));

  if (settings == NULL)
    return;
  gtk_window_set_default_size (window, g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (window);
  g_signal_connect (window, "close-request", G_CALLBACK (on_close_request), settings);
}
