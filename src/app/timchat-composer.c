/* timchat-composer.c: placeholder until its owner writes it. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-composer.h"

struct _TimchatComposer
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TimchatComposer, timchat_composer, GTK_TYPE_WIDGET)

static void
timchat_composer_class_init (TimchatComposerClass *klass)
{
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
timchat_composer_init (TimchatComposer *self)
{
}

GtkWidget *
timchat_composer_new (void)
{
  return g_object_new (TIMCHAT_TYPE_COMPOSER, NULL);
}

void
timchat_composer_set_client (TimchatComposer *self, TimClient *client)
{
}

void
timchat_composer_set_conversation_id (TimchatComposer *self, const char *conversation_id)
{
}

char *
timchat_composer_dup_text (TimchatComposer *self)
{
  return g_strdup ("");
}

void
timchat_composer_set_text (TimchatComposer *self, const char *text)
{
}

void
timchat_composer_send (TimchatComposer *self)
{
}
