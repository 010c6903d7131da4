/* timchat-conversation-row.c: placeholder until its owner writes it. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-conversation-row.h"

struct _TimchatConversationRow
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TimchatConversationRow, timchat_conversation_row, GTK_TYPE_WIDGET)

static void
timchat_conversation_row_class_init (TimchatConversationRowClass *klass)
{
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
timchat_conversation_row_init (TimchatConversationRow *self)
{
}

GtkWidget *
timchat_conversation_row_new (void)
{
  return g_object_new (TIMCHAT_TYPE_CONVERSATION_ROW, NULL);
}

TimConversation *
timchat_conversation_row_get_conversation (TimchatConversationRow *self)
{
  return NULL;
}

void
timchat_conversation_row_set_conversation (TimchatConversationRow *self, TimConversation *conversation,
                                           const char *me)
{
}
