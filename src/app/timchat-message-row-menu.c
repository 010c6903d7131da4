/* timchat-message-row-menu.c: the message context menu, built each time it opens so that the
 * recall limit is checked against the clock then, not when the row was bound; its popover is made
 * the first time it opens. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer.h"
#include "timchat-context-menu.h"
#include "timchat-message-row-private.h"

static void
append_item (GMenu *menu, TimMessage *message, const char *label, const char *action)
{
  g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, action, "s", tim_message_get_id (message));
  g_menu_append_item (menu, item);
}

static gboolean
can_recall (TimMessage *message, int recall_seconds)
{
  gint64 time = tim_message_get_time (message);
  gint64 age;

  if (time <= 0)
    time = tim_message_get_client_time (message);
  age = g_get_real_time () / G_USEC_PER_SEC - time;
  return g_strcmp0 (tim_message_get_flow (message), "out") == 0 &&
         tim_message_get_status (message) == TIM_MESSAGE_STATUS_SUCCESS &&
         !tim_message_get_is_revoked (message) && age < recall_seconds;
}

GMenuModel *
_timchat_message_row_build_menu (TimMessage *message, int recall_seconds, const char *selected)
{
  TimElemType type = tim_message_get_elem_type (message);
  GMenu *menu = g_menu_new ();

  /* A recalled message says nothing any more: it can only go from the view. */
  if (tim_message_get_is_revoked (message))
    {
      append_item (menu, message, _ ("_Delete for Me…"), "conversation.delete");
      return G_MENU_MODEL (menu);
    }
  /* First, as in other chat apps: any message sent and kept, one's own or not, of any kind. */
  if (timchat_composer_can_reply_to (message))
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_ ("_Reply"), NULL);

      g_menu_item_set_action_and_target (item, "conversation.reply", "s",
                                         tim_message_get_id (message));
      /* What the list does with the message in focus (timchat-conversation-view-reply.c). */
      g_menu_item_set_attribute (item, "accel", "s", "<Control>r");
      g_menu_append_item (menu, item);
    }
  if (type == TIM_ELEM_TEXT && selected != NULL && *selected != '\0')
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_ ("_Copy"), NULL);

      g_menu_item_set_action_and_target (item, "conversation.copy-text", "s", selected);
      g_menu_append_item (menu, item);
    }
  else if (type == TIM_ELEM_TEXT)
    append_item (menu, message, _ ("_Copy"), "conversation.copy");
  /* One's own sent text (the composer edits it). */
  if (timchat_composer_can_edit_message (message))
    append_item (menu, message, _ ("_Edit"), "conversation.edit");
  /* The click on the picture, for the keyboard too. */
  if (type == TIM_ELEM_IMAGE)
    {
      append_item (menu, message, _ ("_View Image"), "conversation.view-image");
      append_item (menu, message, _ ("Copy _Image"), "conversation.copy-image");
    }
  /* What Enter or a click on its card does. */
  if (type == TIM_ELEM_RELAY)
    append_item (menu, message, _ ("_View Chat History"), "conversation.view-history");
  if (type == TIM_ELEM_IMAGE || type == TIM_ELEM_VIDEO || type == TIM_ELEM_SOUND ||
      type == TIM_ELEM_FILE)
    {
      append_item (menu, message, _ ("_Open"), "conversation.open");
      append_item (menu, message, _ ("_Save As…"), "conversation.save-as");
    }
  append_item (menu, message, _ ("_Forward…"), "conversation.forward");
  /* Selection mode, this message selected first: to forward or delete several. */
  if (timchat_message_row_can_select (message))
    append_item (menu, message, _ ("Se_lect"), "conversation.select");
  if (can_recall (message, recall_seconds))
    append_item (menu, message, _ ("Rec_all"), "conversation.recall");
  append_item (menu, message, _ ("_Delete for Me…"), "conversation.delete");
  return G_MENU_MODEL (menu);
}

/* The part of the row's text selected, as shown (emoji drawn), or NULL: none, or all of it (the
 * keyboard focus selects all of a label), which the message's own Copy copies as sent. */
static char *
dup_selected_text (TimchatMessageRow *self)
{
  GtkLabel *label =
      self->content != NULL && GTK_IS_LABEL (self->content) ? GTK_LABEL (self->content) : NULL;
  int start, end;

  if (label == NULL || !gtk_label_get_selection_bounds (label, &start, &end) ||
      (start == 0 && end == g_utf8_strlen (gtk_label_get_text (label), -1)))
    return NULL;
  return g_utf8_substring (gtk_label_get_text (label), start, end);
}

static void
open_menu (TimchatMessageRow *self, double x, double y)
{
  g_autoptr (GMenuModel) model = NULL;
  g_autofree char *selected = NULL;

  /* Tips and notices have no menu; a recalled message's line has Delete for Me. */
  if (self->message == NULL ||
      (_timchat_message_row_is_tip (self->message) && !tim_message_get_is_revoked (self->message)))
    return;
  selected = dup_selected_text (self);
  model = _timchat_message_row_build_menu (self->message, self->recall_seconds, selected);
  if (g_menu_model_get_n_items (model) == 0)
    return;
  timchat_context_menu_popup (GTK_WIDGET (self), &self->popover, model, x, y);
}

static void
menu_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TimchatMessageRow *self = TIMCHAT_MESSAGE_ROW (widget);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (self->bubble, widget, &bounds))
    graphene_rect_init (&bounds, 0, 0, 0, 0);
  open_menu (self, bounds.origin.x + bounds.size.width / 2, bounds.origin.y + bounds.size.height);
}

void
_timchat_message_row_class_init_menu (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "row.menu", NULL, menu_action);
}

static void
open_at (GtkWidget *widget, double x, double y)
{
  open_menu (TIMCHAT_MESSAGE_ROW (widget), x, y);
}

void
_timchat_message_row_init_menu (TimchatMessageRow *self)
{
  timchat_context_menu_add_gestures (GTK_WIDGET (self), open_at);
}
