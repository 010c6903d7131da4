/* timchat-conversation-view-delete.c: "Delete for Me…", of one message (its menu) or of those
 * selected (timchat-conversation-view-select.c): asked first, then deleted for the user only. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-view-private.h"
#include "timchat-dialogs.h"

/* Deleting for oneself, after asking: it goes from the user's devices and history, not the
 * others'. libtim takes up to DELETE_BATCH messages a call. */
#define DELETE_BATCH 30

static void
on_deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tim_client_delete_messages_finish (TIM_CLIENT (source), result, &error))
    _timchat_conversation_view_show_error (self, error);
}

/* What a confirmation asks about, kept with it: the messages' list and its client, not the
 * conversation open when the user answers. The dialog is modal, but a notification's click opens
 * another conversation under it all the same; Delete then looked the IDs up there, found none,
 * and deleted nothing without a word. The user confirmed deleting these messages, so they go, as
 * Save As saves the file its chooser was opened for (a paste's preview, which sends into the
 * conversation open, closes with it instead). */
typedef struct
{
  TimClient *client;
  TimMessageList *messages;
  GStrv ids;
  gboolean from_selection;
} Asked;

static void
asked_free (Asked *asked)
{
  g_object_unref (asked->client);
  g_object_unref (asked->messages);
  g_strfreev (asked->ids);
  g_free (asked);
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, TimchatConversationView *self)
{
  Asked *asked = g_object_get_data (G_OBJECT (dialog), "asked");
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();

  if (!g_str_equal (response, "delete"))
    return;
  /* Another conversation's opening ended that selection already. */
  if (asked->from_selection && self->messages == asked->messages)
    _timchat_conversation_view_stop_selecting (self);
  /* As they are now: one deleted meanwhile (on another device) is not asked about again. */
  for (guint i = 0; asked->ids[i] != NULL; i++)
    {
      TimMessage *message = tim_message_list_lookup (asked->messages, asked->ids[i]);

      if (message != NULL)
        g_ptr_array_add (messages, message);
    }
  for (guint i = 0; i < messages->len; i += DELETE_BATCH)
    {
      g_autoptr (GPtrArray) batch = g_ptr_array_new ();

      for (guint j = i; j < messages->len && j < i + DELETE_BATCH; j++)
        g_ptr_array_add (batch, messages->pdata[j]);
      tim_client_delete_messages_async (asked->client, batch, NULL, on_deleted,
                                        g_object_ref (self));
    }
}

void
_timchat_conversation_view_confirm_delete (TimchatConversationView *self, GPtrArray *messages,
                                           gboolean from_selection)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  Asked *asked;

  if (messages->len == 0 || self->client == NULL || self->messages == NULL)
    return;
  for (guint i = 0; i < messages->len; i++)
    g_strv_builder_add (ids, tim_message_get_id (messages->pdata[i]));
  heading = messages->len == 1
                ? g_strdup (_ ("Delete Message for You?"))
                : g_strdup_printf (ngettext ("Delete %u Message for You?",
                                             "Delete %u Messages for You?", messages->len),
                                   messages->len);
  dialog = timchat_confirm_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
      _ ("It goes from your devices and your history. The others in the conversation keep it."),
      "delete", _ ("_Delete"));
  asked = g_new0 (Asked, 1);
  asked->client = g_object_ref (self->client);
  asked->messages = g_object_ref (self->messages);
  asked->ids = g_strv_builder_end (ids);
  asked->from_selection = from_selection;
  g_object_set_data_full (G_OBJECT (dialog), "asked", asked, (GDestroyNotify) asked_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message =
      _timchat_conversation_view_lookup (self, g_variant_get_string (param, NULL));
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();

  if (message == NULL)
    return;
  g_ptr_array_add (messages, message);
  _timchat_conversation_view_confirm_delete (self, messages, FALSE);
}

void
_timchat_conversation_view_class_init_delete (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conversation.delete", "s", delete_action);
}
