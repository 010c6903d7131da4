/* timchat-message-row.c: placeholder until its owner writes it. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-message-row.h"

struct _TimchatMessageRow
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TimchatMessageRow, timchat_message_row, GTK_TYPE_WIDGET)

static void
timchat_message_row_class_init (TimchatMessageRowClass *klass)
{
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
timchat_message_row_init (TimchatMessageRow *self)
{
}

GtkWidget *
timchat_message_row_new (void)
{
  return g_object_new (TIMCHAT_TYPE_MESSAGE_ROW, NULL);
}

void
timchat_message_row_bind (TimchatMessageRow *self, TimMessage *message, TimMessage *previous,
                          gboolean is_group, int recall_seconds)
{
}

void
timchat_message_row_unbind (TimchatMessageRow *self)
{
}

TimMessage *
timchat_message_row_get_message (TimchatMessageRow *self)
{
  return NULL;
}
