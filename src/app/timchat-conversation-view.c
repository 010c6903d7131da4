/* timchat-conversation-view.c: placeholder until its owner writes it. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-conversation-view.h"

struct _TimchatConversationView
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TimchatConversationView, timchat_conversation_view, GTK_TYPE_WIDGET)

static void
timchat_conversation_view_class_init (TimchatConversationViewClass *klass)
{
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
timchat_conversation_view_init (TimchatConversationView *self)
{
}

GtkWidget *
timchat_conversation_view_new (TimClient *client)
{
  return g_object_new (TIMCHAT_TYPE_CONVERSATION_VIEW, NULL);
}

void
timchat_conversation_view_set_conversation_id (TimchatConversationView *self, const char *conversation_id)
{
}

const char *
timchat_conversation_view_get_conversation_id (TimchatConversationView *self)
{
  return NULL;
}

void
timchat_conversation_view_send_file (TimchatConversationView *self, GFile *file, TimElemType kind)
{
}

void
timchat_conversation_view_preview_texture (TimchatConversationView *self, GdkTexture *texture)
{
}

void
timchat_conversation_view_preview_files (TimchatConversationView *self, GListModel *files)
{
}
