/* timchat-notifier.c: one GNotification per conversation, replaced as new messages come in. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-notifier.h"

struct _TimchatNotifier
{
  GObject parent_instance;

  GtkWindow *window; /* weak */
  TimClient *client;
};

G_DEFINE_FINAL_TYPE (TimchatNotifier, timchat_notifier, G_TYPE_OBJECT)

static void
on_received (TimClient *client, GPtrArray *messages, TimchatNotifier *self)
{
  GApplication *application = g_application_get_default ();

  if (self->window == NULL || application == NULL || gtk_window_is_active (self->window))
    return;
  for (guint i = 0; i < messages->len; i++)
    {
      TimMessage *message = messages->pdata[i];
      const char *conversation_id = tim_message_get_conversation_id (message);
      TimConversation *conversation =
          tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);
      g_autoptr (GNotification) notification = NULL;
      g_autofree char *body = NULL;
      const char *title;

      if (tim_message_get_online_only (message) ||
          g_strcmp0 (tim_message_get_flow (message), "in") != 0)
        continue;
      title = conversation != NULL ? tim_conversation_get_name (conversation)
                                   : tim_message_get_from (message);
      body = tim_message_dup_message_for_show (message);
      notification = g_notification_new (title);
      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.open-conversation", "s",
                                                    conversation_id);
      /* One per conversation: a newer message replaces the older notification. */
      g_application_send_notification (application, conversation_id, notification);
    }
}

static void
timchat_notifier_dispose (GObject *object)
{
  TimchatNotifier *self = TIMCHAT_NOTIFIER (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (timchat_notifier_parent_class)->dispose (object);
}

static void
timchat_notifier_class_init (TimchatNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = timchat_notifier_dispose;
}

static void
timchat_notifier_init (TimchatNotifier *self)
{
}

TimchatNotifier *
timchat_notifier_new (GtkWindow *window, TimClient *client)
{
  TimchatNotifier *self = g_object_new (TIMCHAT_TYPE_NOTIFIER, NULL);

  g_set_weak_pointer (&self->window, window);
  self->client = g_object_ref (client);
  g_signal_connect_object (client, "message-received", G_CALLBACK (on_received), self, 0);
  return self;
}
