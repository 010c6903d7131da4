/* timchat-label.h: what the rows share about their labels. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets text (NULL: empty) only when it differs from what label shows: GTK 4.8 lays a label out
 * again even when it is set to its own text, and rows are updated on every property change. */
void timchat_label_set_text (GtkLabel *label, const char *text);

G_END_DECLS
