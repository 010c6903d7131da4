/* timchat-window-history.c: win.clear-history, a conversation's "Clear History…": asked first,
 * then libtim clears the user's history of it (the Web SDK's clearHistoryMessage) on every
 * device of theirs. The conversation stays in the list, and open; the others in it keep their
 * history. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-dialogs.h"
#include "timchat-window-private.h"

typedef struct
{
  TimchatWindow *window; /* a ref */
  char *name;
} Clearing;

static void
clearing_free (Clearing *clearing)
{
  g_object_unref (clearing->window);
  g_free (clearing->name);
  g_free (clearing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Clearing, clearing_free)

/* Said once the server has it, not before. */
static void
on_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Clearing) clearing = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (!tim_client_clear_history_finish (TIM_CLIENT (source), result, &error))
    {
      timchat_window_show_error (clearing->window, error);
      return;
    }
  /* Translators: a toast after a conversation's history is cleared; %s is its name. */
  text = g_strdup_printf (_ ("History of “%s” cleared"), clearing->name);
  timchat_window_show_toast (clearing->window, text);
}

static void
on_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  const char *conversation_id = g_object_get_data (G_OBJECT (dialog), "conversation-id");
  Clearing *clearing;

  if (!g_str_equal (response, "clear") || self->client == NULL)
    return;
  clearing = g_new0 (Clearing, 1);
  clearing->window = g_object_ref (self);
  clearing->name = g_strdup (g_object_get_data (G_OBJECT (dialog), "name"));
  tim_client_clear_history_async (self->client, conversation_id, self->cancellable, on_cleared,
                                  clearing);
}

void
_timchat_window_clear_history (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *conversation_id = g_variant_get_string (parameter, NULL);
  TimConversation *conversation;
  g_autofree char *heading = NULL;
  const char *name;
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (self->client), conversation_id);
  name = conversation != NULL ? tim_conversation_get_name (conversation) : conversation_id;
  /* Translators: %s is the conversation's name. */
  heading = g_strdup_printf (_ ("Clear History of “%s”?"), name);
  dialog = timchat_confirm_dialog_new (
      GTK_WINDOW (self), heading,
      _ ("Its messages go from your devices and your history. The conversation stays in the list, "
         "and the others in it keep their messages."),
      "clear", _ ("_Clear History"));
  g_object_set_data_full (G_OBJECT (dialog), "conversation-id", g_strdup (conversation_id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
