/* timchat-composer-attach.c: the attach menu's file choosers (GtkFileChooserNative, portal-backed
 * in a sandbox; GtkFileDialog from GTK 4.10). Everything after the chooser is
 * timchat_composer_attach_file (), which tests call with a GFile. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer-private.h"
#include "timchat-conversation-view.h"

#if GTK_CHECK_VERSION(4, 10, 0) && GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
#define USE_FILE_DIALOG 1
#endif

/* The open chooser, kept (as object data of the composer) until it answers. */
#define CHOOSER_KEY "timchat-composer-chooser"

static const char *
chooser_title (TimElemType kind)
{
  switch (kind)
    {
    case TIM_ELEM_IMAGE:
      return _ ("Send Image");
    case TIM_ELEM_VIDEO:
      return _ ("Send Video");
    case TIM_ELEM_SOUND:
      return _ ("Send Audio File");
    case TIM_ELEM_FILE:
    default:
      return _ ("Send File");
    }
}

/* NULL for "any file". */
static GtkFileFilter *
chooser_filter (TimElemType kind)
{
  GtkFileFilter *filter;

  if (kind != TIM_ELEM_IMAGE && kind != TIM_ELEM_VIDEO && kind != TIM_ELEM_SOUND)
    return NULL;
  filter = gtk_file_filter_new ();
  switch (kind)
    {
    case TIM_ELEM_IMAGE:
      gtk_file_filter_set_name (filter, _ ("Images"));
      gtk_file_filter_add_mime_type (filter, "image/*");
      break;
    case TIM_ELEM_VIDEO:
      gtk_file_filter_set_name (filter, _ ("Videos"));
      gtk_file_filter_add_mime_type (filter, "video/*");
      break;
    default:
      gtk_file_filter_set_name (filter, _ ("Audio Files"));
      gtk_file_filter_add_mime_type (filter, "audio/*");
      break;
    }
  return filter;
}

static GtkWindow *
parent_window (TimchatComposer *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

#ifdef USE_FILE_DIALOG

static void
on_open_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatComposer) self = user_data;
  g_autoptr (GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);
  TimElemType kind = GPOINTER_TO_INT (g_object_get_data (source, "kind"));

  g_object_set_data (G_OBJECT (self), CHOOSER_KEY, NULL);
  if (file != NULL)
    timchat_composer_attach_file (self, file, kind);
}

void
_timchat_composer_open_chooser (TimchatComposer *self, TimElemType kind)
{
  g_autoptr (GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr (GtkFileFilter) filter = chooser_filter (kind);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  gtk_file_dialog_set_title (dialog, chooser_title (kind));
  gtk_file_dialog_set_accept_label (dialog, _ ("_Send"));
  gtk_file_dialog_set_modal (dialog, TRUE);
  if (filter != NULL)
    gtk_file_dialog_set_default_filter (dialog, filter);
  g_object_set_data (G_OBJECT (dialog), "kind", GINT_TO_POINTER (kind));
  _timchat_composer_close_chooser (self);
  g_object_set_data_full (G_OBJECT (self), CHOOSER_KEY, g_object_ref (cancellable), g_object_unref);
  gtk_file_dialog_open (dialog, parent_window (self), cancellable, on_open_done,
                        g_object_ref (self));
}

void
_timchat_composer_close_chooser (TimchatComposer *self)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (self), CHOOSER_KEY);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (self), CHOOSER_KEY, NULL);
}

#else /* GTK 4.8 */

static void destroy_chooser (gpointer chooser);

static void
on_chooser_response (GtkNativeDialog *chooser, int response, TimchatComposer *self)
{
  TimElemType kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "kind"));
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  /* Drops our reference once the chooser's own signal emission is over. */
  g_idle_add_once (destroy_chooser, g_object_steal_data (G_OBJECT (self), CHOOSER_KEY));
  if (file != NULL)
    timchat_composer_attach_file (self, file, kind);
}

static void
destroy_chooser (gpointer chooser)
{
  g_signal_handlers_disconnect_matched (chooser, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_chooser_response, NULL);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
_timchat_composer_open_chooser (TimchatComposer *self, TimElemType kind)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = chooser_filter (kind);

  _timchat_composer_close_chooser (self);
  chooser = gtk_file_chooser_native_new (chooser_title (kind), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Send"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (filter != NULL)
    {
      g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (all, _ ("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
      gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  g_object_set_data (G_OBJECT (chooser), "kind", GINT_TO_POINTER (kind));
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  /* Our reference keeps it alive until "response" (the composer's data owns it). */
  g_object_set_data_full (G_OBJECT (self), CHOOSER_KEY, chooser, destroy_chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_timchat_composer_close_chooser (TimchatComposer *self)
{
  g_object_set_data (G_OBJECT (self), CHOOSER_KEY, NULL);
}

#endif

void
_timchat_composer_real_file_chosen (TimchatComposer *self, GFile *file, TimElemType kind)
{
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), TIMCHAT_TYPE_CONVERSATION_VIEW);

  if (view != NULL)
    timchat_conversation_view_send_file (TIMCHAT_CONVERSATION_VIEW (view), file, kind);
  else
    g_debug ("A composer outside a conversation view cannot send files");
}
