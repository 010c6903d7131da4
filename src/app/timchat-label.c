/* timchat-label.c: see timchat-label.h. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-label.h"

void
timchat_label_set_text (GtkLabel *label, const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  if (g_strcmp0 (gtk_label_get_text (label), text != NULL ? text : "") != 0)
    gtk_label_set_text (label, text);
}
