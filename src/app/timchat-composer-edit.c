/* timchat-composer-edit.c: editing one's own sent text, as in Telegram or Slack. Edit mode shows
 * a bar above the text ("Editing message", the original on one line, Cancel Editing), puts the
 * message's text in the composer and keeps what was typed until the edit is saved or cancelled;
 * the send button says "Save". Enter saves through tim_client_modify_message_async, Escape
 * cancels, Up in an empty composer edits the last own text. The composer is free again as soon as
 * the edit is on its way; a failed edit comes back (or, when edited elsewhere first, only says
 * so; one a logout cut short does not). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-composer-private.h"

gboolean
timchat_composer_can_edit_message (TimMessage *message)
{
  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  return tim_message_get_elem_type (message) == TIM_ELEM_TEXT &&
         g_strcmp0 (tim_message_get_flow (message), "out") == 0 &&
         tim_message_get_status (message) == TIM_MESSAGE_STATUS_SUCCESS &&
         !tim_message_get_online_only (message) && !tim_message_get_is_revoked (message);
}

TimMessage *
timchat_composer_get_editing (TimchatComposer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), NULL);
  return self->editing;
}

void
_timchat_composer_edit_update_button (TimchatComposer *self)
{
  const char *label = self->editing != NULL ? _ ("Save") : _ ("Send");

  gtk_button_set_icon_name (GTK_BUTTON (self->send_button),
                            self->editing != NULL ? "object-select-symbolic" : "go-up-symbolic");
  gtk_widget_set_tooltip_text (self->send_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
}

/* The original, on one line (the bar ellipsizes it). */
static void
show_original (TimchatComposer *self)
{
  g_autofree char *line = g_strdup (tim_message_get_text (self->editing));

  gtk_label_set_text (self->edit_original, g_strdelimit (line, "\r\n\t", ' '));
}

static void
set_text_at_end (TimchatComposer *self, const char *text)
{
  GtkTextBuffer *buffer = _timchat_composer_get_buffer (self);
  GtkTextIter end;

  _timchat_composer_replace_text (self, text);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

/* Out of edit mode; restore: the typed draft back into the text. */
static void
leave (TimchatComposer *self, gboolean restore)
{
  g_autofree char *draft = g_steal_pointer (&self->kept_draft);

  if (self->editing == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->editing, self);
  g_clear_object (&self->editing);
  gtk_revealer_set_reveal_child (self->edit_bar, FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->text_view),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  _timchat_composer_edit_update_button (self);
  if (restore)
    set_text_at_end (self, draft);
  _timchat_composer_update_state (self);
}

void
timchat_composer_cancel_edit (TimchatComposer *self)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));
  leave (self, TRUE);
}

/* Recalled while being edited (here or elsewhere): nothing left to edit. */
static void
on_editing_revoked (TimchatComposer *self)
{
  leave (self, TRUE);
}

gboolean
timchat_composer_edit_message (TimchatComposer *self, TimMessage *message)
{
  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  if (self->client == NULL || !timchat_composer_can_edit_message (message) ||
      g_strcmp0 (tim_message_get_conversation_id (message), self->conversation_id) != 0)
    return FALSE;
  /* Replying and editing exclude each other. */
  timchat_composer_cancel_reply (self);
  /* Editing another message instead: the typed draft stays kept, that edit is dropped. */
  if (self->editing != NULL)
    g_signal_handlers_disconnect_by_data (self->editing, self);
  else
    self->kept_draft = timchat_composer_dup_text (self);
  g_set_object (&self->editing, message);
  g_signal_connect_object (message, "notify::is-revoked", G_CALLBACK (on_editing_revoked), self,
                           G_CONNECT_SWAPPED);
  /* An edit made elsewhere meanwhile: the bar shows what saving would replace. */
  g_signal_connect_object (message, "notify::text", G_CALLBACK (show_original), self,
                           G_CONNECT_SWAPPED);
  show_original (self);
  gtk_revealer_set_reveal_child (self->edit_bar, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _ ("Editing message"), -1);
  _timchat_composer_edit_update_button (self);
  set_text_at_end (self, tim_message_get_text (message));
  _timchat_composer_update_state (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  return TRUE;
}

gboolean
timchat_composer_edit_last (TimchatComposer *self)
{
  GListModel *messages;

  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), FALSE);

  if (self->client == NULL || self->conversation_id == NULL)
    return FALSE;
  /* The list the conversation view shows (the client keeps one per conversation), oldest first. */
  messages = G_LIST_MODEL (tim_client_get_message_list (self->client, self->conversation_id));
  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (messages, i - 1);

      if (timchat_composer_can_edit_message (message))
        return timchat_composer_edit_message (self, message);
    }
  return FALSE;
}

gboolean
_timchat_composer_edit_key (TimchatComposer *self, guint keyval, GdkModifierType mods)
{
  if (mods != 0)
    return FALSE;
  if (keyval == GDK_KEY_Escape && self->editing != NULL)
    {
      timchat_composer_cancel_edit (self);
      return TRUE;
    }
  /* Only in an empty composer: otherwise Up moves the cursor, as always. */
  /* Not while replying either: that would drop the quote unasked. */
  if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) && self->editing == NULL &&
      self->replying == NULL &&
      gtk_text_buffer_get_char_count (_timchat_composer_get_buffer (self)) == 0)
    return timchat_composer_edit_last (self);
  return FALSE;
}

static void
cancel_edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  timchat_composer_cancel_edit (TIMCHAT_COMPOSER (widget));
}

void
_timchat_composer_class_init_edit (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, edit_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, edit_original);
  gtk_widget_class_install_action (widget_class, "composer.cancel-edit", NULL, cancel_edit_action);
}

/* Before the template goes: the kept draft stays for finalize (dispose saved it). */
void
_timchat_composer_edit_dispose (TimchatComposer *self)
{
  if (self->editing != NULL)
    g_signal_handlers_disconnect_by_data (self->editing, self);
  g_clear_object (&self->editing);
}

/* ---------------------------------------------------------------- saving */

typedef struct
{
  TimchatComposer *composer;
  TimMessage *message;
  char *conversation_id;
  char *text;
} Saving;

static void
saving_free (Saving *saving)
{
  g_object_unref (saving->composer);
  g_object_unref (saving->message);
  g_free (saving->conversation_id);
  g_free (saving->text);
  g_free (saving);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Saving, saving_free)

/* A failed edit's text is not lost: back in edit mode when the composer is free for it, else
 * after the draft of its conversation (a recalled message's text can be sent anew). */
static void
give_back (TimchatComposer *self, Saving *saving)
{
  g_autofree char *typed = NULL;
  g_autofree char *both = NULL;

  if (g_strcmp0 (self->conversation_id, saving->conversation_id) != 0)
    {
      _timchat_composer_add_to_draft (self, saving->conversation_id, saving->text);
      return;
    }
  if (self->editing == NULL && timchat_composer_edit_message (self, saving->message))
    {
      set_text_at_end (self, saving->text);
      return;
    }
  if (self->editing != NULL)
    {
      both = _timchat_composer_join_lines (self->kept_draft, saving->text);
      g_free (self->kept_draft);
      self->kept_draft = g_steal_pointer (&both);
      return;
    }
  typed = timchat_composer_dup_text (self);
  both = _timchat_composer_join_lines (typed, saving->text);
  set_text_at_end (self, both);
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Saving) saving = user_data;
  TimchatComposer *self = saving->composer;
  g_autoptr (GError) error = NULL;

  if (tim_client_modify_message_finish (TIM_CLIENT (source), result, &error))
    return;
  /* Disposed; or the session ended with the edit on its way: a logout ends it cancelled (from
   * inside the logout, the account still named), or the composer has another client by now.
   * Given back, its text went into the draft of the account logging out (or of the next one),
   * though the server may have taken the edit: the next login showed it beside the message
   * edited with it. As a send cancelled by a logout, it is not given back. */
  if (self->text_view == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->client != TIM_CLIENT (source) || tim_client_get_user (self->client) == NULL)
    {
      g_debug ("Editing failed: %s", error->message);
      return;
    }
  /* Edited elsewhere first: the message shows that edit now, which this one would undo; the
   * toast says so (libtim's text for 2480) and the user may edit again. */
  if (!g_error_matches (error, TIM_ERROR, TIM_ERROR_MESSAGE_MODIFY_CONFLICT))
    give_back (self, saving);
  _timchat_composer_show_error (self, error);
}

void
_timchat_composer_save_edit (TimchatComposer *self)
{
  g_autofree char *text = g_strchomp (timchat_composer_dup_text (self));
  Saving *saving;

  if (self->editing == NULL)
    return;
  saving = g_new0 (Saving, 1);
  saving->composer = g_object_ref (self);
  saving->message = g_object_ref (self->editing);
  saving->conversation_id = g_strdup (self->conversation_id);
  /* Back to what was typed before, at once: the edit goes out while one writes on. */
  leave (self, TRUE);
  /* Unchanged or blank (an edit never deletes): nothing to save. */
  if (_timchat_composer_is_blank (text) ||
      g_strcmp0 (text, tim_message_get_text (saving->message)) == 0)
    {
      saving_free (saving);
      return;
    }
  /* Text only: an edit keeps the mentions the message was sent with, so an "@Name" completed
   * while editing a group text stays plain text and notifies nobody (the remembered mentions
   * belong to the typed draft and stay for it). */
  saving->text = g_steal_pointer (&text);
  tim_client_modify_text_async (self->client, saving->message, saving->text, NULL, on_saved,
                                saving);
}
