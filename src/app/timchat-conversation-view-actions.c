/* timchat-conversation-view-actions.c: what the message rows ask the view for ("conversation."
 * actions with the message ID): recall, edit (in the composer), forward (TimchatForwardDialog),
 * retry, copy, save as, open, open folder, cancel an upload, view an image (TimchatImageViewer)
 * and view a chat history (TimchatMergerViewer). Delete for Me… is in
 * timchat-conversation-view-delete.c. Media not on this computer come through libtim's
 * downloader. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-downloader.h"
#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-dialogs.h"
#include "timchat-forward-dialog.h"
#include "timchat-image-viewer.h"
#include "timchat-merger-viewer.h"
#include "timchat-window.h"

TimMessage *
_timchat_conversation_view_lookup (TimchatConversationView *self, const char *message_id)
{
  if (self->messages == NULL || message_id == NULL)
    return NULL;
  return tim_message_list_lookup (self->messages, message_id);
}

void
_timchat_conversation_view_show_error (TimchatConversationView *self, const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (TIMCHAT_IS_WINDOW (root))
    timchat_window_show_error (TIMCHAT_WINDOW (root), error);
  else
    g_message ("%s", error->message); /* no window to toast in (widget tests) */
}

static GFile *
local_copy (TimMessage *message)
{
  GFile *local = tim_message_get_local_file (message);
  const char *url = tim_message_get_media_url (message);

  if (local != NULL && g_file_query_exists (local, NULL))
    return g_object_ref (local);
  return url != NULL ? tim_downloader_lookup (tim_downloader_get_default (), url) : NULL;
}

static TimMessage *
message_for (TimchatConversationView *self, GVariant *param)
{
  return _timchat_conversation_view_lookup (self, g_variant_get_string (param, NULL));
}

/* ---- recall, retry, copy, cancel ---- */

typedef struct
{
  TimchatConversationView *view; /* a ref */
  char *user;                    /* the account it is recalled in, whose toast it is */
  char *conversation_id;
  char *text; /* a recalled text of one's own, for "Edit Again"; NULL for anything else */
} Recalling;

static void
recalling_free (Recalling *recalling)
{
  g_object_unref (recalling->view);
  g_free (recalling->user);
  g_free (recalling->conversation_id);
  g_free (recalling->text);
  g_free (recalling);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recalling, recalling_free)

/* A recalled text of one's own can come back to the composer, as in other chat apps: the text
 * is kept by the toast only (the message itself has forgotten it). */
static void
on_revoked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Recalling) recalling = user_data;
  g_autoptr (GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (recalling->view));
  AdwToast *toast;

  if (!tim_client_revoke_message_finish (TIM_CLIENT (source), result, &error))
    {
      _timchat_conversation_view_show_error (recalling->view, error);
      return;
    }
  if (recalling->text == NULL || recalling->user == NULL || !TIMCHAT_IS_WINDOW (root))
    return;
  toast = timchat_toast_new (_ ("You recalled a message"));
  adw_toast_set_button_label (toast, _ ("_Edit Again"));
  adw_toast_set_action_name (toast, "win.edit-again");
  adw_toast_set_action_target_value (
      toast, g_variant_new ("(sss)", recalling->user, recalling->conversation_id, recalling->text));
  timchat_window_add_toast (TIMCHAT_WINDOW (root), toast);
}

static void
recall_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);
  Recalling *recalling;

  if (message == NULL)
    return;
  recalling = g_new0 (Recalling, 1);
  recalling->view = g_object_ref (self);
  recalling->user = g_strdup (tim_client_get_user (self->client));
  recalling->conversation_id = g_strdup (tim_message_get_conversation_id (message));
  if (tim_message_get_elem_type (message) == TIM_ELEM_TEXT &&
      g_str_equal (tim_message_get_flow (message), "out"))
    recalling->text = g_strdup (tim_message_get_text (message));
  tim_client_revoke_message_async (self->client, message, NULL, on_revoked, recalling);
}

/* The composer edits it (its edit mode). */
static void
edit_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);

  if (message != NULL)
    timchat_composer_edit_message (TIMCHAT_COMPOSER (self->composer), message);
}

/* Where to: the forward dialog, over the window. */
static void
forward_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (message == NULL)
    return;
  gtk_window_present (GTK_WINDOW (timchat_forward_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->client, message)));
}

static void
retry_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);

  if (message != NULL)
    _timchat_conversation_view_resend (self, message);
}

static void
copy_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);
  g_autofree char *text = NULL;

  if (message == NULL)
    return;
  text = tim_message_get_text (message) != NULL ? g_strdup (tim_message_get_text (message))
                                                : tim_message_dup_summary (message);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* Part of a message, as selected in it. */
static void
copy_text_action (GtkWidget *widget, const char *action, GVariant *param)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), g_variant_get_string (param, NULL));
}

/* By the client, not by a send of this view's: an upload the outbox resumed at login (after a
 * restart, or a log out) is one too. */
static void
cancel_upload_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);

  if (message != NULL && self->client != NULL)
    tim_client_cancel_send (self->client, message);
}

/* ---- files: save as, open, open folder ---- */

typedef enum
{
  AFTER_NOTHING,
  AFTER_OPEN,
  AFTER_OPEN_FOLDER,
  AFTER_COPY_IMAGE,
} After;

/* A picture's file decoded off the main thread, then on the clipboard (as the viewer's Copy
 * puts it: other apps take it as PNG or whatever they ask for). */
static void
decode_picture (GTask *task, gpointer source, gpointer file, GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture = gdk_texture_new_from_file (file, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
on_picture_decoded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture != NULL)
    gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _timchat_conversation_view_show_error (self, error);
}

static void
copy_picture (TimchatConversationView *self, GFile *file)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, on_picture_decoded, NULL);

  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, (GTaskThreadFunc) decode_picture);
}

typedef struct
{
  TimchatConversationView *self;
  After after;
} FetchData;

static void
launch (TimchatConversationView *self, GFile *file, After after)
{
  g_autoptr (GFile) folder = after == AFTER_OPEN_FOLDER ? g_file_get_parent (file) : NULL;
  g_autofree char *uri = NULL;
  g_autoptr (GError) error = NULL;

  if (after == AFTER_COPY_IMAGE)
    {
      copy_picture (self, file);
      return;
    }
  uri = g_file_get_uri (folder != NULL ? folder : file);
  if (after != AFTER_NOTHING && !g_app_info_launch_default_for_uri (uri, NULL, &error))
    _timchat_conversation_view_show_error (self, error);
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FetchData *data = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &error);

  if (file == NULL)
    _timchat_conversation_view_show_error (data->self, error);
  else
    launch (data->self, file, data->after);
  g_object_unref (data->self);
  g_free (data);
}

static void
on_copied (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatConversationView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_copy_finish (TIM_DOWNLOADER (source), result, &error);

  if (file == NULL)
    _timchat_conversation_view_show_error (self, error);
}

/* destination NULL: only make sure the file is here, then do after with it. */
static void
fetch (TimchatConversationView *self, TimMessage *message, GFile *destination, After after)
{
  g_autoptr (GFile) local = local_copy (message);
  const char *url = tim_message_get_media_url (message);
  /* A file saved where the user chose is theirs: it goes on when another conversation opens
   * (nothing shows it under way, and nothing would say it stopped). What is only opened or
   * copied stops with the conversation. */
  GCancellable *cancellable = destination != NULL ? NULL : self->cancellable;
  FetchData *data;

  /* Through the downloader as a fetch's copy is: whole or not at all, also when the disk fills
   * up partway (a g_file_copy () into the destination left its part there as the file). */
  if (local != NULL && destination != NULL)
    tim_downloader_copy_async (tim_downloader_get_default (), local, destination, cancellable,
                               on_copied, g_object_ref (self));
  else if (local != NULL)
    launch (self, local, after);
  else if (url != NULL)
    {
      data = g_new0 (FetchData, 1);
      data->self = g_object_ref (self);
      data->after = after;
      tim_downloader_fetch_async (tim_downloader_get_default (), url, destination, NULL, NULL,
                                  cancellable, on_fetched, data);
    }
}

void
_timchat_conversation_view_save_to (TimchatConversationView *self, TimMessage *message,
                                    GFile *destination)
{
  fetch (self, message, destination, AFTER_NOTHING);
}

static void
on_save_response (GtkNativeDialog *chooser, int response, TimchatConversationView *self)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  /* The message itself, not its ID looked up in the list open now: the chooser is modal, but a
   * notification's click opens another conversation under it all the same, and the Save the
   * user pressed then saved nothing and said nothing. A file saved where the user chose goes on
   * whatever conversation is open (see fetch ()). */
  g_autoptr (TimMessage) message = g_steal_pointer (&self->save_message);

  if (response == GTK_RESPONSE_ACCEPT && file != NULL && message != NULL)
    _timchat_conversation_view_save_to (self, message, file);
  g_clear_object (&self->chooser);
}

/* The Downloads folder, and the file's own name; an image, a video or a recording has none, so
 * the server's name for it (the last part of its URL, which keeps the type's extension). */
static void
suggest_place (GtkFileChooser *chooser, TimMessage *message)
{
  const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  const char *url = tim_message_get_media_url (message);
  g_autofree char *from_url = NULL;
  const char *name = tim_message_get_file_name (message);

  if (downloads != NULL && g_file_test (downloads, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GFile) folder = g_file_new_for_path (downloads);

      gtk_file_chooser_set_current_folder (chooser, folder, NULL);
    }
  if ((name == NULL || *name == '\0') && url != NULL)
    {
      g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL)
        from_url = g_path_get_basename (g_uri_get_path (uri));
      name = from_url;
    }
  if (name != NULL && *name != '\0' && g_strcmp0 (name, "/") != 0)
    gtk_file_chooser_set_current_name (chooser, name);
}

static void
save_as_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);
  GtkNativeDialog *chooser;

  if (message == NULL || self->chooser != NULL)
    return;
  chooser = GTK_NATIVE_DIALOG (
      gtk_file_chooser_native_new (_ ("Save As"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel")));
  suggest_place (GTK_FILE_CHOOSER (chooser), message);
  gtk_native_dialog_set_modal (chooser, TRUE);
  g_set_object (&self->save_message, message);
  self->chooser = chooser; /* kept until its response */
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (chooser);
}

static void
open_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);

  if (message != NULL)
    fetch (self, message, NULL,
           g_str_equal (action, "conversation.open") ? AFTER_OPEN : AFTER_OPEN_FOLDER);
}

/* The picture of an image message: its file here, or its download. */
static void
copy_image_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);

  if (message != NULL && tim_message_get_elem_type (message) == TIM_ELEM_IMAGE)
    fetch (self, message, NULL, AFTER_COPY_IMAGE);
}

static void
view_image_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (message != NULL)
    gtk_window_present (GTK_WINDOW (
        timchat_image_viewer_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, message)));
}

/* A chat history: its viewer over this window (the one already open for it, when a double
 * click's first click opened it). */
static void
view_history_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, param);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (message != NULL && tim_message_get_elem_type (message) == TIM_ELEM_RELAY &&
      self->client != NULL)
    timchat_merger_viewer_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->client,
                                   message);
}

/* Enter (or a double click) on a message does what a click on its content does: an image opens
 * in the viewer, a chat history in its own, a file opens; the others have nothing to open. In
 * selection mode it selects the message, or no longer. */
static void
on_message_activated (GtkListView *list_view, guint position, TimchatConversationView *self)
{
  g_autoptr (TimMessage) message = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->messages == NULL ||
      (message = g_list_model_get_item (G_LIST_MODEL (self->messages), position)) == NULL ||
      tim_message_get_is_revoked (message))
    return;
  if (self->selecting)
    _timchat_conversation_view_toggle_selected (self, message);
  else if (tim_message_get_elem_type (message) == TIM_ELEM_IMAGE &&
           !timchat_image_viewer_is_open_over (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL))
    gtk_widget_activate_action (GTK_WIDGET (self), "conversation.view-image", "s",
                                tim_message_get_id (message));
  else if (tim_message_get_elem_type (message) == TIM_ELEM_RELAY)
    gtk_widget_activate_action (GTK_WIDGET (self), "conversation.view-history", "s",
                                tim_message_get_id (message));
  else if (tim_message_get_elem_type (message) == TIM_ELEM_FILE)
    gtk_widget_activate_action (GTK_WIDGET (self), "conversation.open", "s",
                                tim_message_get_id (message));
}

void
_timchat_conversation_view_init_activation (TimchatConversationView *self)
{
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_message_activated), self);
}

void
_timchat_conversation_view_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conversation.recall", "s", recall_action);
  gtk_widget_class_install_action (widget_class, "conversation.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "conversation.forward", "s", forward_action);
  gtk_widget_class_install_action (widget_class, "conversation.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "conversation.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "conversation.copy-text", "s", copy_text_action);
  gtk_widget_class_install_action (widget_class, "conversation.copy-image", "s", copy_image_action);
  gtk_widget_class_install_action (widget_class, "conversation.save-as", "s", save_as_action);
  gtk_widget_class_install_action (widget_class, "conversation.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "conversation.open-folder", "s", open_action);
  gtk_widget_class_install_action (widget_class, "conversation.cancel-upload", "s",
                                   cancel_upload_action);
  gtk_widget_class_install_action (widget_class, "conversation.view-image", "s", view_image_action);
  gtk_widget_class_install_action (widget_class, "conversation.view-history", "s",
                                   view_history_action);
}
