/* timchat-conversation-view-reply.c: replies in the view. "conversation.reply" (a message's menu,
 * or Ctrl+R on the message in focus) puts the composer in reply mode; "conversation.show-original"
 * (a click on a reply's quote, or Enter on it) scrolls to the quoted message when the view has it,
 * gives it the keyboard focus and highlights it for a moment. An original the view has not loaded
 * (older than the pages loaded, or deleted) is not looked for: a toast says so, and the reader
 * decides whether to scroll up. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-dialogs.h"
#include "timchat-message-row.h"

/* The row shows up within a few frames of the scroll; past this it is given up. */
#define REVEAL_MAX_FRAMES 60

static void
reply_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message =
      _timchat_conversation_view_lookup (self, g_variant_get_string (param, NULL));

  if (message == NULL || timchat_composer_reply_to (TIMCHAT_COMPOSER (self->composer), message))
    return;
  /* Refused where nothing can be sent (a group muted for all, to a plain member): say why, as a
   * send there would, rather than do nothing. */
  if (!timchat_composer_can_send (TIMCHAT_COMPOSER (self->composer)))
    {
      g_autoptr (GError) error = g_error_new_literal (TIM_ERROR, TIM_ERROR_GROUP_MUTED,
                                                      tim_error_text (TIM_ERROR_GROUP_MUTED));

      _timchat_conversation_view_show_error (self, error);
    }
}

/* Ctrl+R on a message in focus (its row, or a label in it): reply to it. */
static gboolean
reply_to_focused (GtkWidget *list_view, GVariant *args, gpointer user_data)
{
  TimchatConversationView *self = user_data;
  GtkWidget *item = gtk_widget_get_focus_child (list_view);
  GtkWidget *row = item != NULL ? gtk_widget_get_first_child (item) : NULL;
  TimMessage *message = TIMCHAT_IS_MESSAGE_ROW (row)
                            ? timchat_message_row_get_message (TIMCHAT_MESSAGE_ROW (row))
                            : NULL;

  return message != NULL && timchat_composer_reply_to (TIMCHAT_COMPOSER (self->composer), message);
}

/* ---- showing the original ---- */

void
_timchat_conversation_view_stop_reveal (TimchatConversationView *self)
{
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
  self->reveal_tick = 0;
  g_clear_pointer (&self->reveal_id, g_free);
}

/* Each frame after the scroll until the original's row is on screen: the focus goes to it (so
 * that Ctrl+R, the menu keys or Tab go on from there) and it flashes. */
static gboolean
reveal_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  GtkWidget *row = _timchat_conversation_view_row_of (self, self->reveal_id);

  if (row != NULL && gtk_widget_get_mapped (row))
    {
      /* As Up and Down move it (timchat-conversation-view-rows.c). */
      gtk_widget_grab_focus (gtk_widget_get_parent (row));
      timchat_message_row_flash (TIMCHAT_MESSAGE_ROW (row));
    }
  else if (++self->reveal_frames < REVEAL_MAX_FRAMES)
    return G_SOURCE_CONTINUE;
  self->reveal_tick = 0;
  g_clear_pointer (&self->reveal_id, g_free);
  return G_SOURCE_REMOVE;
}

/* In the window's toast overlay (any ancestor one, so that a view on its own can have one). */
void
_timchat_conversation_view_toast (TimchatConversationView *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), timchat_toast_new (text));
  else
    g_message ("%s", text);
}

static gboolean
find_position (TimchatConversationView *self, const char *message_id, guint *position)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  guint n = g_list_model_get_n_items (model);

  /* By ID, then where: the list lets go of messages it has not used lately, so the instance
   * looked up may not be the one a walk hands out. From both ends: a quote leads to a message
   * near the newest, a search to one just loaded at the top. */
  if (_timchat_conversation_view_lookup (self, message_id) == NULL)
    return FALSE;
  for (guint i = 0; i < (n + 1) / 2; i++)
    {
      guint ends[2] = { n - 1 - i, i };

      for (guint e = 0; e < 2; e++)
        {
          g_autoptr (TimMessage) message = g_list_model_get_item (model, ends[e]);

          if (g_strcmp0 (tim_message_get_id (message), message_id) == 0)
            {
              *position = ends[e];
              return TRUE;
            }
        }
    }
  return FALSE;
}

gboolean
_timchat_conversation_view_reveal (TimchatConversationView *self, const char *message_id)
{
  guint position;

  _timchat_conversation_view_stop_reveal (self);
  if (self->messages == NULL || !find_position (self, message_id, &position))
    return FALSE;
  /* A deliberate move (maybe off the bottom), like the reader's own scrolling. */
  _timchat_conversation_view_note_reader_scroll (self);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  self->reveal_id = g_strdup (message_id);
  self->reveal_frames = 0;
  self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tick, NULL, NULL);
  return TRUE;
}

static void
show_original_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);

  if (self->messages != NULL &&
      !_timchat_conversation_view_reveal (self, g_variant_get_string (param, NULL)))
    _timchat_conversation_view_toast (self, _ ("The original message is not loaded"));
}

void
_timchat_conversation_view_class_init_reply (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conversation.reply", "s", reply_action);
  gtk_widget_class_install_action (widget_class, "conversation.show-original", "s",
                                   show_original_action);
}

void
_timchat_conversation_view_init_reply (TimchatConversationView *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_r, GDK_CONTROL_MASK),
                        gtk_callback_action_new (reply_to_focused, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), shortcuts);
}
