/* timchat-conversation-view-select.c: selection mode. "Select" in a message's menu starts it with
 * that message selected; every message that can be selected (timchat_message_row_can_select)
 * shows a check button, a click on its row or Enter toggles it, and the composer gives way to a
 * bar: "N Selected", Forward… (one by one, or as one chat history: TimchatForwardDialog), Delete
 * for Me… (the view's own confirmation) and Cancel. Escape, Cancel, a forward made or a delete
 * confirmed leave it, as does another conversation. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-view-private.h"
#include "timchat-forward-dialog.h"
#include "timchat-message-row.h"

gboolean
_timchat_conversation_view_is_selected (TimchatConversationView *self, TimMessage *message)
{
  return self->selecting && g_hash_table_contains (self->selected, tim_message_get_id (message));
}

/* Whether a selected message is one Forward and Delete act on: still in the list (not deleted
 * meanwhile, here or on another device) and still selectable (not recalled). The selection keeps
 * the others (one taken out of the list while it reloads comes back), but counts only these. */
static gboolean
acted_on (TimchatConversationView *self, const char *message_id)
{
  TimMessage *message = _timchat_conversation_view_lookup (self, message_id);

  return message != NULL && timchat_message_row_can_select (message);
}

static guint
count_acted_on (TimchatConversationView *self)
{
  GHashTableIter iter;
  gpointer id;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    n += acted_on (self, id);
  return n;
}

/* "N Selected" is what Forward and Delete would act on: a selected message recalled or deleted
 * while no row showed it (a row unselects its own) was counted, one too many. */
static void
update_bar (TimchatConversationView *self)
{
  guint n = count_acted_on (self);
  /* Translators: in selection mode, how many messages are selected. */
  g_autofree char *text = g_strdup_printf (ngettext ("%u Selected", "%u Selected", n), n);

  gtk_label_set_text (self->selection_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.forward-selected", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.delete-selected", n > 0);
  gtk_widget_set_sensitive (self->forward_button, n > 0);
}

/* The bound rows, as the selection is now. */
static void
update_rows (TimchatConversationView *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      TimMessage *message = gtk_list_item_get_item (item);

      if (message != NULL)
        timchat_message_row_set_selecting (TIMCHAT_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                           self->selecting,
                                           _timchat_conversation_view_is_selected (self, message));
    }
}

/* A selected message changed (recalled, here or while out of view): the bar counts again. */
static void
on_selected_changed (TimchatConversationView *self)
{
  update_bar (self);
}

static void
unwatch (TimchatConversationView *self, TimMessage *message)
{
  g_signal_handlers_disconnect_by_func (message, on_selected_changed, self);
}

static void
set_selected (TimchatConversationView *self, TimMessage *message, gboolean selected)
{
  const char *id = tim_message_get_id (message);
  TimMessage *kept = g_hash_table_lookup (self->selected, id);
  GtkWidget *row;

  if (!self->selecting)
    return;
  if (kept != NULL && (!selected || !timchat_message_row_can_select (message)))
    {
      unwatch (self, kept);
      g_hash_table_remove (self->selected, id);
    }
  else if (kept == NULL && selected && timchat_message_row_can_select (message))
    {
      g_hash_table_insert (self->selected, g_strdup (id), g_object_ref (message));
      g_signal_connect_object (message, "notify::is-revoked", G_CALLBACK (on_selected_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (message, "notify::status", G_CALLBACK (on_selected_changed), self,
                               G_CONNECT_SWAPPED);
    }
  row = _timchat_conversation_view_row_of (self, id);
  if (row != NULL)
    timchat_message_row_set_selecting (TIMCHAT_MESSAGE_ROW (row), TRUE,
                                       _timchat_conversation_view_is_selected (self, message));
  update_bar (self);
}

void
_timchat_conversation_view_toggle_selected (TimchatConversationView *self, TimMessage *message)
{
  set_selected (self, message, !_timchat_conversation_view_is_selected (self, message));
}

/* Whether the window's focus is in widget. */
static gboolean
holds_focus (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
set_selecting (TimchatConversationView *self, gboolean selecting)
{
  gboolean bar_had_focus;

  if (self->selecting == selecting)
    return;
  /* Left from the bar by the keyboard (its Cancel, Escape there, its Delete for Me… or Forward…
   * answered): the bar goes with the focus in it, which GTK 4.8 sends to the first button of the
   * window (Your Profile, at the top of the sidebar). It goes where the conversation starts
   * instead (the composer back in the bar's place), before the bar hides, so that a screen reader
   * is told of that one move only. */
  bar_had_focus = !selecting && holds_focus (self->selection_bar);
  self->selecting = selecting;
  if (!selecting)
    {
      GHashTableIter iter;
      gpointer message;

      g_hash_table_iter_init (&iter, self->selected);
      while (g_hash_table_iter_next (&iter, NULL, &message))
        unwatch (self, message);
      g_hash_table_remove_all (self->selected);
    }
  /* The bar takes the composer's place; Group Notices have no composer to give back. */
  gtk_widget_set_visible (self->composer, !selecting && _timchat_conversation_view_can_send (self));
  if (bar_had_focus)
    timchat_conversation_view_focus_start (self);
  gtk_widget_set_visible (self->selection_bar, selecting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.select-cancel", selecting);
  update_bar (self);
  update_rows (self);
}

void
_timchat_conversation_view_update_selection (TimchatConversationView *self)
{
  if (self->selecting)
    update_bar (self);
}

void
_timchat_conversation_view_stop_selecting (TimchatConversationView *self)
{
  if (self->selection_bar != NULL) /* NULL on a second dispose */
    set_selecting (self, FALSE);
}

GPtrArray *
_timchat_conversation_view_dup_selected (TimchatConversationView *self)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *ordered = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = self->messages != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->messages)) : 0;
  guint wanted = count_acted_on (self);

  /* From the newest back, as far as the oldest selected: selections are near what the reader
   * has seen, and the list reloads the messages it let go of on the way. */
  for (guint i = n; i > 0 && found->len < wanted; i--)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (self->messages), i - 1);

      if (g_hash_table_contains (self->selected, tim_message_get_id (message)) &&
          timchat_message_row_can_select (message))
        g_ptr_array_add (found, g_steal_pointer (&message));
    }
  for (guint i = found->len; i > 0; i--)
    g_ptr_array_add (ordered, g_object_ref (found->pdata[i - 1]));
  return ordered;
}

/* ---- actions ---- */

static TimMessage *
message_for (TimchatConversationView *self, const char *message_id)
{
  TimMessage *message = _timchat_conversation_view_lookup (self, message_id);

  return message != NULL ? message : g_hash_table_lookup (self->selected, message_id);
}

/* From a message's menu: selection mode, that message selected, its row in focus (the composer,
 * where the focus may have been, goes). */
static void
select_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  TimMessage *message = message_for (self, g_variant_get_string (param, NULL));
  GtkWidget *row;

  if (message == NULL)
    return;
  set_selecting (self, TRUE);
  set_selected (self, message, TRUE);
  row = _timchat_conversation_view_row_of (self, tim_message_get_id (message));
  if (row != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (row));
}

/* A row asks: (ID, whether selected). */
static void
set_selected_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  const char *id = NULL;
  gboolean selected = FALSE;
  TimMessage *message;

  g_variant_get (param, "(&sb)", &id, &selected);
  message = message_for (self, id);
  if (message != NULL)
    set_selected (self, message, selected);
}

static void
cancel_action (GtkWidget *widget, const char *action, GVariant *param)
{
  set_selecting (TIMCHAT_CONVERSATION_VIEW (widget), FALSE);
}

/* A conversation chosen in the forward dialog: the selection has gone where it was meant to. */
static void
on_forwarded (TimchatConversationView *self)
{
  set_selecting (self, FALSE);
}

/* "one-by-one" or "history". */
static void
forward_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  g_autoptr (GPtrArray) messages = _timchat_conversation_view_dup_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (messages->len == 0 || self->client == NULL)
    return;
  dialog = timchat_forward_dialog_new_for_messages (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->client, messages,
      g_str_equal (g_variant_get_string (param, NULL), "history") ? TIMCHAT_FORWARD_AS_HISTORY
                                                                  : TIMCHAT_FORWARD_ONE_BY_ONE);
  g_signal_connect_object (dialog, "notify::forwarded", G_CALLBACK (on_forwarded), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (widget);
  g_autoptr (GPtrArray) messages = _timchat_conversation_view_dup_selected (self);

  _timchat_conversation_view_confirm_delete (self, messages, TRUE);
}

/* Escape, wherever the focus is in the window (the composer it may have been in is hidden): only
 * while selecting, so that Escape does what it does elsewhere otherwise. */
static gboolean
on_escape (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  TimchatConversationView *self = TIMCHAT_CONVERSATION_VIEW (user_data);

  if (!self->selecting)
    return FALSE;
  set_selecting (self, FALSE);
  return TRUE;
}

void
_timchat_conversation_view_class_init_select (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, selection_label);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationView, forward_button);
  gtk_widget_class_install_action (widget_class, "conversation.select", "s", select_action);
  gtk_widget_class_install_action (widget_class, "conversation.set-selected", "(sb)",
                                   set_selected_action);
  gtk_widget_class_install_action (widget_class, "conversation.select-cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "conversation.forward-selected", "s",
                                   forward_action);
  gtk_widget_class_install_action (widget_class, "conversation.delete-selected", NULL,
                                   delete_action);
}

void
_timchat_conversation_view_init_select (TimchatConversationView *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                        gtk_callback_action_new (on_escape, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.select-cancel", FALSE);
  update_bar (self);
}
