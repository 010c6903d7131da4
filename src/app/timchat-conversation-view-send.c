/* timchat-conversation-view-send.c: sending media from the view: files (the composer's choosers
 * lead here), and what a paste or a drop brings (an image or files) through the preview sheet.
 * Each send keeps its own GCancellable in the view, for the view's end to stop; a row's Cancel
 * goes through the client (tim_client_cancel_send ()), which reaches resumed sends too. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-preview-sheet.h"

typedef struct
{
  TimchatConversationView *self;
  GCancellable *cancellable; /* this send's, in self->uploads until it ends */
  gboolean resend;
} SendData;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendData *data = user_data;
  g_autoptr (GError) error = NULL;
  gboolean sent = data->resend
                      ? tim_client_resend_message_finish (TIM_CLIENT (source), result, &error)
                      : tim_client_send_message_finish (TIM_CLIENT (source), result, &error);

  if (!sent)
    _timchat_conversation_view_show_error (data->self, error);
  if (data->self->uploads != NULL)
    g_hash_table_remove (data->self->uploads, data->cancellable);
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}

/* Sends (or resends, for Retry) with a cancellable that the view's dispose cancels. Kept by the
 * send, not by its message's ID: a Retry started before the first send's callback ran (from a
 * handler of its "notify::status") had its cancellable taken out of the view by that callback,
 * and the view's end no longer stopped it; and libtim renames a message made before a new
 * account's first login answer ("notify::id"), so its ID at the send is not the one it ends with.
 */
static void
send_tracked (TimchatConversationView *self, TimMessage *message, gboolean resend)
{
  GCancellable *cancellable = g_cancellable_new ();
  SendData *data = g_new0 (SendData, 1);

  g_hash_table_add (self->uploads, cancellable);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (cancellable);
  data->resend = resend;
  if (resend)
    tim_client_resend_message_async (self->client, message, NULL, NULL, cancellable, on_sent, data);
  else
    tim_client_send_message_async (self->client, message, NULL, NULL, NULL, cancellable, on_sent,
                                   data);
}

/* A file or an image sent while the composer's reply bar is up quotes that message. */
void
_timchat_conversation_view_send (TimchatConversationView *self, TimMessage *message)
{
  timchat_composer_apply_reply (TIMCHAT_COMPOSER (self->composer), message);
  send_tracked (self, message, FALSE);
}

void
_timchat_conversation_view_resend (TimchatConversationView *self, TimMessage *message)
{
  send_tracked (self, message, TRUE);
}

void
timchat_conversation_view_send_file (TimchatConversationView *self, GFile *file, TimElemType kind)
{
  g_autoptr (TimMessage) message = NULL;
  const char *to = NULL;
  TimConvType type;

  g_return_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->client == NULL || self->conversation_id == NULL)
    return;
  type = tim_conv_parse_id (self->conversation_id, &to);
  switch (kind)
    {
    case TIM_ELEM_IMAGE:
      message = tim_client_create_image_message (self->client, to, type, file);
      break;
    case TIM_ELEM_VIDEO:
      message = tim_client_create_video_message (self->client, to, type, file);
      break;
    case TIM_ELEM_SOUND:
      message = tim_client_create_audio_message (self->client, to, type, file);
      break;
    default:
      message = tim_client_create_file_message (self->client, to, type, file);
      break;
    }
  if (message != NULL)
    _timchat_conversation_view_send (self, message);
}

/* ---- an image: PNG off the main thread ---- */

static void
encode_png (GTask *task, gpointer source, gpointer texture, GCancellable *cancellable)
{
  g_task_return_pointer (task, gdk_texture_save_to_png_bytes (texture),
                         (GDestroyNotify) g_bytes_unref);
}

static void
on_png_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (source);
  g_autoptr (GBytes) png = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  const char *to = NULL;
  TimConvType type;

  if (png == NULL || self->client == NULL || self->conversation_id == NULL)
    return;
  type = tim_conv_parse_id (self->conversation_id, &to);
  message = tim_client_create_image_message_from_bytes (self->client, to, type, png, &error);
  if (message == NULL)
    _timchat_conversation_view_show_error (self, error);
  else
    _timchat_conversation_view_send (self, message);
}

static void
send_texture (TimchatConversationView *self, GdkTexture *texture)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, on_png_ready, NULL);

  g_task_set_source_tag (task, send_texture);
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, encode_png);
}

/* ---- files: one message each, the kind by content type ---- */

static void
on_file_info (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  const char *content_type = info != NULL ? g_file_info_get_content_type (info) : NULL;
  TimElemType kind = TIM_ELEM_FILE;

  /* The conversation it was dropped on closed meanwhile (the query has its cancellable): the one
   * open now is not where it goes, as for a pasted image. Any other failure sends it as a file. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (content_type != NULL && g_content_type_is_a (content_type, "image/*"))
    kind = TIM_ELEM_IMAGE;
  else if (content_type != NULL && g_content_type_is_a (content_type, "video/*"))
    kind = TIM_ELEM_VIDEO;
  else if (content_type != NULL && g_content_type_is_a (content_type, "audio/*"))
    kind = TIM_ELEM_SOUND;
  timchat_conversation_view_send_file (self, G_FILE (source), kind);
}

static void
send_files (TimchatConversationView *self, GListModel *files)
{
  for (guint i = 0; files != NULL && i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr (GFile) file = g_list_model_get_item (files, i);

      g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE, G_FILE_QUERY_INFO_NONE,
                               G_PRIORITY_DEFAULT, self->cancellable, on_file_info,
                               g_object_ref (self));
    }
}

/* ---- the preview sheet ---- */

static void
on_preview_response (TimchatPreviewSheet *sheet, gboolean send, TimchatConversationView *self)
{
  GdkTexture *texture = g_object_get_data (G_OBJECT (sheet), "texture");
  GListModel *files = g_object_get_data (G_OBJECT (sheet), "files");

  if (send && texture != NULL)
    send_texture (self, texture);
  else if (send && files != NULL)
    send_files (self, files);
  /* The sheet closes itself. */
}

/* The conversation the sheet was opened for closed (its cancellable): closing counts as Cancel. */
static void
on_previewed_conversation_closed (GCancellable *cancellable, TimchatPreviewSheet *sheet)
{
  gtk_window_close (GTK_WINDOW (sheet));
}

static void
preview (TimchatConversationView *self, GdkTexture *texture, GListModel *files)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TimchatPreviewSheet *sheet =
      timchat_preview_sheet_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, texture, files);

  /* What to send is what was previewed, whatever the sheet keeps. */
  if (texture != NULL)
    g_object_set_data_full (G_OBJECT (sheet), "texture", g_object_ref (texture), g_object_unref);
  if (files != NULL)
    g_object_set_data_full (G_OBJECT (sheet), "files", g_object_ref (files), g_object_unref);
  g_signal_connect_object (sheet, "response", G_CALLBACK (on_preview_response), self, 0);
  /* A paste or a drop is for the conversation it was made in, and the sheet goes with it: the
   * sheet is modal, but a notification's click opens another conversation under it all the same,
   * and its Send then sent there what was meant for this one. */
  if (self->cancellable != NULL)
    g_signal_connect_object (self->cancellable, "cancelled",
                             G_CALLBACK (on_previewed_conversation_closed), sheet, 0);
  gtk_window_present (GTK_WINDOW (sheet));
}

void
timchat_conversation_view_preview_texture (TimchatConversationView *self, GdkTexture *texture)
{
  g_return_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));
  preview (self, texture, NULL);
}

void
timchat_conversation_view_preview_files (TimchatConversationView *self, GListModel *files)
{
  g_return_if_fail (TIMCHAT_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));
  if (g_list_model_get_n_items (files) > 0)
    preview (self, NULL, files);
}

static GListModel *
file_list_to_model (GdkFileList *list)
{
  GListStore *store = g_list_store_new (G_TYPE_FILE);
  g_autoptr (GSList) files = gdk_file_list_get_files (list);

  for (GSList *l = files; l != NULL; l = l->next)
    g_list_store_append (store, l->data);
  return G_LIST_MODEL (store);
}

/* ---- paste ---- */

static void
on_texture_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture =
      gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);

  if (texture == NULL)
    _timchat_conversation_view_show_error (self, error);
  else
    timchat_conversation_view_preview_texture (self, texture);
}

static void
on_files_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);
  g_autoptr (GListModel) files = NULL;

  if (value == NULL)
    {
      _timchat_conversation_view_show_error (self, error);
      return;
    }
  files = file_list_to_model (g_value_get_boxed (value));
  timchat_conversation_view_preview_files (self, files);
}

static void
on_text_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  g_autofree char *typed = NULL;
  g_autofree char *joined = NULL;

  if (text == NULL)
    return;
  typed = timchat_composer_dup_text (TIMCHAT_COMPOSER (self->composer));
  joined = g_strconcat (typed != NULL ? typed : "", text, NULL);
  timchat_composer_set_text (TIMCHAT_COMPOSER (self->composer), joined);
}

gboolean
_timchat_conversation_view_paste_media (TimchatConversationView *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (!_timchat_conversation_view_can_send (self) ||
      !timchat_composer_can_send (TIMCHAT_COMPOSER (self->composer)))
    return FALSE;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    gdk_clipboard_read_texture_async (clipboard, self->cancellable, on_texture_read,
                                      g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_files_read, g_object_ref (self));
  else
    return FALSE;
  return TRUE;
}

static void
paste_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);

  if (!_timchat_conversation_view_paste_media (self))
    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), self->cancellable,
                                   on_text_read, g_object_ref (self));
}

/* Ctrl+V in the capture phase: claimed only for an image or files, so that text pastes as the
 * composer's own entry does it. */
static gboolean
on_paste_shortcut (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return _timchat_conversation_view_paste_media (TIMCHAT_CONVERSATION_VIEW (widget));
}

/* ---- drop ---- */

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y,
         TimchatConversationView *self)
{
  g_autoptr (GListModel) files = NULL;

  if (!_timchat_conversation_view_can_send (self) ||
      !timchat_composer_can_send (TIMCHAT_COMPOSER (self->composer)))
    return FALSE;
  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    timchat_conversation_view_preview_texture (self, g_value_get_object (value));
  else if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      files = file_list_to_model (g_value_get_boxed (value));
      timchat_conversation_view_preview_files (self, files);
    }
  else
    return FALSE;
  return TRUE;
}

void
_timchat_conversation_view_class_init_send (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conversation.paste", NULL, paste_action);
}

void
_timchat_conversation_view_init_send (TimchatConversationView *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_v, GDK_CONTROL_MASK),
                        gtk_callback_action_new (on_paste_shortcut, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_drop_target_set_gtypes (drop, (GType[2]){ GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
