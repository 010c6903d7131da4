/* timchat-shortcuts.c: the keyboard shortcuts window, built from its .ui when first asked for. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-resources.h"
#include "timchat-shortcuts.h"

GtkWindow *
timchat_shortcuts_show (GtkWindow *parent)
{
  g_autoptr (GtkBuilder) builder = NULL;
  GtkWindow *window;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  timchat_ensure_resources ();
  builder = gtk_builder_new_from_resource ("/org/example/TimChat/timchat-shortcuts.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts"));
  gtk_window_set_transient_for (window, parent);
  gtk_window_present (window);
  return window;
}
