/* timchat-settings.h: the app's GSettings (org.example.TimChat), shared by the window and the
 * composer. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The app's settings, or NULL when the schema is not installed (an uninstalled build run without
 * GSETTINGS_SCHEMA_DIR): callers then use the defaults. Transfer none. */
GSettings *timchat_settings_get (void);

/* Gives window the size and maximized state it had when it was last closed, and keeps them when
 * it closes. Does nothing without settings. */
void timchat_settings_track_window (GtkWindow *window);

G_END_DECLS
