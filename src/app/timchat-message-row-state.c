/* timchat-message-row-state.c: a message row's sending state: time, receipt, the clock or error
 * icon, upload progress with Cancel, and the error line with Retry. The upload and error parts
 * are made the first time a row needs them: nearly every row shows neither, and making them in
 * each row cost ~10 widgets a row (and a pointer query to the X server for every
 * tooltip set) while opening a conversation. Also the moment's highlight of the original a
 * reply's quote led to. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-format.h"
#include "timchat-label.h"
#include "timchat-message-content.h"
#include "timchat-message-row-private.h"

static void
activate (TimchatMessageRow *self, const char *action)
{
  if (self->message != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), action, "s", tim_message_get_id (self->message));
}

static void
retry_clicked_cb (TimchatMessageRow *self)
{
  activate (self, "conversation.retry");
}

static void
cancel_clicked_cb (TimchatMessageRow *self)
{
  activate (self, "conversation.cancel-upload");
}

/* The clock or error icon, before the time. */
static GtkImage *
ensure_status_icon (TimchatMessageRow *self)
{
  if (self->status_icon == NULL)
    {
      self->status_icon = GTK_IMAGE (gtk_image_new ());
      gtk_image_set_pixel_size (self->status_icon, 12);
      gtk_box_prepend (GTK_BOX (self->footer), GTK_WIDGET (self->status_icon));
    }
  return self->status_icon;
}

/* "edited", before the time. */
static GtkLabel *
ensure_edited_label (TimchatMessageRow *self)
{
  if (self->edited_label == NULL)
    {
      /* TRANSLATORS: shown before the time of a message its sender has changed since sending */
      self->edited_label = GTK_LABEL (gtk_label_new (C_ ("message", "edited")));
      gtk_widget_add_css_class (GTK_WIDGET (self->edited_label), "message-meta");
      gtk_widget_add_css_class (GTK_WIDGET (self->edited_label), "message-edited");
      gtk_box_insert_child_after (GTK_BOX (self->footer), GTK_WIDGET (self->edited_label),
                                  gtk_widget_get_prev_sibling (GTK_WIDGET (self->time_label)));
    }
  return self->edited_label;
}

/* "✓" or "✓✓", after the time. */
static GtkLabel *
ensure_receipt_label (TimchatMessageRow *self)
{
  if (self->receipt_label == NULL)
    {
      self->receipt_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_add_css_class (GTK_WIDGET (self->receipt_label), "message-meta");
      gtk_widget_add_css_class (GTK_WIDGET (self->receipt_label), "message-receipt");
      gtk_box_append (GTK_BOX (self->footer), GTK_WIDGET (self->receipt_label));
    }
  return self->receipt_label;
}

/* Progress bar, "sent / total" and Cancel, in the bubble above the time. */
static void
ensure_upload_box (TimchatMessageRow *self)
{
  GtkWidget *button;

  if (self->upload_box != NULL)
    return;
  self->upload_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->upload_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->upload_bar), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->upload_bar), GTK_ALIGN_CENTER);
  self->upload_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->upload_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->upload_label), "numeric");
  button = gtk_button_new_from_icon_name ("process-stop-symbolic");
  gtk_widget_set_tooltip_text (button, _ ("Cancel Upload"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Cancel Upload"), -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->upload_box), GTK_WIDGET (self->upload_bar));
  gtk_box_append (GTK_BOX (self->upload_box), GTK_WIDGET (self->upload_label));
  gtk_box_append (GTK_BOX (self->upload_box), button);
  gtk_box_insert_child_after (GTK_BOX (self->bubble), self->upload_box,
                              gtk_widget_get_prev_sibling (self->footer));
}

/* Error icon, the error text and Retry, under the bubble. */
static void
ensure_error_box (TimchatMessageRow *self)
{
  GtkWidget *icon, *button;

  if (self->error_box != NULL)
    return;
  self->error_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (self->error_box, GTK_ALIGN_END);
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (icon, "error");
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->error_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->error_label, 40);
  gtk_label_set_xalign (self->error_label, 1);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  button = gtk_button_new_with_label (_ ("Retry"));
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (retry_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->error_box), icon);
  gtk_box_append (GTK_BOX (self->error_box), GTK_WIDGET (self->error_label));
  gtk_box_append (GTK_BOX (self->error_box), button);
  gtk_box_append (GTK_BOX (self->column), self->error_box);
}

void
_timchat_message_row_update_state (TimchatMessageRow *self)
{
  TimMessage *message = self->message;
  TimMessageStatus status = tim_message_get_status (message);
  goffset sent = tim_message_get_upload_sent (message);
  goffset total = tim_message_get_upload_total (message);
  gboolean mine = _timchat_message_row_is_mine (message);
  gboolean uploading = mine && status == TIM_MESSAGE_STATUS_UNSENT && total > 0;
  gboolean failed = mine && status == TIM_MESSAGE_STATUS_FAIL;
  gboolean receipt = mine && status == TIM_MESSAGE_STATUS_SUCCESS &&
                     tim_message_get_conversation_type (message) == TIM_CONV_C2C;
  gboolean status_shown = failed || (mine && status == TIM_MESSAGE_STATUS_UNSENT && !uploading);
  gboolean edited = tim_message_get_is_modified (message) && !_timchat_message_row_is_tip (message);
  g_autofree char *time = timchat_format_clock (_timchat_message_row_time (message));

  timchat_label_set_text (self->time_label, time);
  /* A recalled message keeps nothing of its edits. */
  if (edited)
    ensure_edited_label (self);
  if (self->edited_label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->edited_label), edited);

  if (uploading)
    {
      g_autofree char *text = timchat_format_transfer (sent, total);

      ensure_upload_box (self);
      gtk_progress_bar_set_fraction (self->upload_bar, CLAMP ((double) sent / total, 0.0, 1.0));
      gtk_label_set_text (self->upload_label, text);
    }
  if (self->upload_box != NULL)
    gtk_widget_set_visible (self->upload_box, uploading);

  if (status_shown)
    {
      gtk_image_set_from_icon_name (ensure_status_icon (self),
                                    failed ? "dialog-error-symbolic"
                                           : "document-open-recent-symbolic");
      timchat_message_content_set_tooltip (GTK_WIDGET (self->status_icon),
                                           failed ? _ ("Not sent") : _ ("Sending…"));
    }
  if (self->status_icon != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->status_icon), status_shown);
  if (failed)
    {
      const char *text = tim_message_get_error_message (message);

      if (text == NULL || *text == '\0')
        text = tim_error_text (tim_message_get_error_code (message));
      ensure_error_box (self);
      gtk_label_set_text (self->error_label, text);
      timchat_message_content_set_tooltip (GTK_WIDGET (self->error_label), text);
    }
  if (self->error_box != NULL)
    gtk_widget_set_visible (self->error_box, failed);

  /* Read receipts exist for one-to-one chats only. */
  if (receipt)
    {
      gboolean read = tim_message_get_is_peer_read (message);

      timchat_label_set_text (ensure_receipt_label (self), read ? "✓✓" : "✓");
      timchat_message_content_set_tooltip (GTK_WIDGET (self->receipt_label),
                                           read ? _ ("Read") : _ ("Sent"));
    }
  if (self->receipt_label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->receipt_label), receipt);
}

/* ---------------------------------------------------------------- highlight */

/* How long the original a quote led to stays highlighted. */
#define FLASH_MS 1500

void
_timchat_message_row_stop_flash (TimchatMessageRow *self)
{
  g_clear_handle_id (&self->flash_timeout, g_source_remove);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "flash");
}

static void
flash_done (gpointer data)
{
  TimchatMessageRow *self = data;

  self->flash_timeout = 0;
  _timchat_message_row_stop_flash (self);
}

void
timchat_message_row_flash (TimchatMessageRow *self)
{
  g_return_if_fail (TIMCHAT_IS_MESSAGE_ROW (self));

  g_clear_handle_id (&self->flash_timeout, g_source_remove);
  /* style.css fades it out when the class goes. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "flash");
  self->flash_timeout = g_timeout_add_once (FLASH_MS, flash_done, self);
}

gboolean
timchat_message_row_get_flashing (TimchatMessageRow *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MESSAGE_ROW (self), FALSE);
  return self->flash_timeout != 0;
}
