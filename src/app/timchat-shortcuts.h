/* timchat-shortcuts.h: the keyboard shortcuts window (win.show-help-overlay, Ctrl+?). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Made on demand: nothing of it is built before someone asks for it. */
GtkWindow *timchat_shortcuts_show (GtkWindow *parent);

G_END_DECLS
