/* timchat-conversation-view-rows.c: the list item factory of the conversation view: each item is
 * a TimchatMessageRow bound with the message above it (sender grouping, day separator), under a
 * "Beginning of the conversation" label on the first message once the history is complete and an
 * "Unread messages" marker on the first message that was unread when the conversation opened.
 * Only rows near the viewport hold their decoded pictures; Up and Down move between rows also
 * from a text message's label. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-conversation-view-private.h"
#include "timchat-message-row.h"

static void
decorate (TimchatConversationView *self, GtkWidget *row, TimMessage *message, TimMessage *previous)
{
  timchat_message_row_set_notes (
      TIMCHAT_MESSAGE_ROW (row),
      previous == NULL && self->messages != NULL &&
          tim_message_list_get_is_completed (self->messages),
      self->first_unread_id != NULL &&
          g_strcmp0 (tim_message_get_id (message), self->first_unread_id) == 0);
}

static void
bind_item (TimchatConversationView *self, GtkListItem *item, guint position)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  TimMessage *message = gtk_list_item_get_item (item);
  g_autoptr (TimMessage) previous = NULL;

  if (message == NULL)
    return;
  if (position > 0 && position != GTK_INVALID_LIST_POSITION)
    previous = g_list_model_get_item (G_LIST_MODEL (self->messages), position - 1);
  timchat_message_row_set_me (TIMCHAT_MESSAGE_ROW (row), tim_client_get_user (self->client));
  timchat_message_row_bind (TIMCHAT_MESSAGE_ROW (row), message, previous,
                            self->conversation_type == TIM_CONV_GROUP, TIM_DEFAULT_RECALL_SECONDS);
  timchat_message_row_set_selecting (TIMCHAT_MESSAGE_ROW (row), self->selecting,
                                     _timchat_conversation_view_is_selected (self, message));
  decorate (self, row, message, previous);
}

static void
on_setup (GtkSignalListItemFactory *factory, GtkListItem *item, TimchatConversationView *self)
{
  GtkWidget *row = timchat_message_row_new ();

  /* Pictures load once the row is near the viewport (update_media). */
  timchat_message_row_set_media_active (TIMCHAT_MESSAGE_ROW (row), FALSE);
  /* Activatable: Enter or a double click opens what the message holds. Selectable, though the
   * model (a GtkNoSelection) selects nothing: GTK 4.8 only lets a selectable item take the
   * keyboard focus, and a picture or file row has nothing else that could. */
  gtk_list_item_set_activatable (item, TRUE);
  gtk_list_item_set_selectable (item, TRUE);
  gtk_list_item_set_child (item, row);
}

static void
on_bind (GtkSignalListItemFactory *factory, GtkListItem *item, TimchatConversationView *self)
{
  g_hash_table_add (self->list_items, item);
  /* A click on a message leaves the keyboard focus where it was (the composer, usually). */
  gtk_widget_set_focus_on_click (gtk_widget_get_parent (gtk_list_item_get_child (item)), FALSE);
  g_hash_table_remove (self->unbound_rows, gtk_list_item_get_child (item));
  bind_item (self, item, gtk_list_item_get_position (item));
  _timchat_conversation_view_queue_media_update (self);
}

/* Rows GTK unbound and did not bind again within the same change let go of their message. */
static gboolean
finish_unbinds (gpointer user_data)
{
  TimchatConversationView *self = user_data;
  GHashTableIter iter;
  gpointer row;

  self->unbind_idle = 0;
  g_hash_table_iter_init (&iter, self->unbound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    {
      timchat_message_row_unbind (row);
      g_hash_table_iter_remove (&iter);
    }
  return G_SOURCE_REMOVE;
}

/* GTK 4.8's GtkSignalListItemFactory unbinds and binds again every row whose position moved:
 * prepending an older page went through all ~200 bound rows. The row keeps its message until
 * the next idle, so a bind to the same message (timchat_message_row_bind) keeps its content. */
static void
on_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, TimchatConversationView *self)
{
  g_hash_table_remove (self->list_items, item);
  g_hash_table_add (self->unbound_rows, g_object_ref (gtk_list_item_get_child (item)));
  if (self->unbind_idle == 0)
    self->unbind_idle = g_idle_add (finish_unbinds, self);
}

void
_timchat_conversation_view_finish_unbinds (TimchatConversationView *self)
{
  g_clear_handle_id (&self->unbind_idle, g_source_remove);
  finish_unbinds (self);
}

GtkWidget *
_timchat_conversation_view_row_of (TimchatConversationView *self, const char *message_id)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      TimMessage *message = gtk_list_item_get_item (item);

      if (message != NULL && g_strcmp0 (tim_message_get_id (message), message_id) == 0)
        return gtk_list_item_get_child (item);
    }
  return NULL;
}

/* Rebinds the row showing message (if one does) at position: its previous item changed. */
void
_timchat_conversation_view_rebind (TimchatConversationView *self, TimMessage *message,
                                   guint position)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    if (gtk_list_item_get_item (item) == (gpointer) message)
      bind_item (self, item, position);
}

void
_timchat_conversation_view_redecorate (TimchatConversationView *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      guint position = gtk_list_item_get_position (item);
      g_autoptr (TimMessage) previous = NULL;

      if (gtk_list_item_get_item (item) == NULL)
        continue;
      if (position > 0 && position != GTK_INVALID_LIST_POSITION)
        previous = g_list_model_get_item (G_LIST_MODEL (self->messages), position - 1);
      decorate (self, gtk_list_item_get_child (item), gtk_list_item_get_item (item), previous);
    }
}

/* ---- pictures only near the viewport ---- */

/* GtkListView (4.8) keeps ~200 rows bound around what is shown; decoded images in all of them were
 * most of the memory of a long scroll. Rows within a page of the viewport hold their pictures,
 * the others let them go (their size stays: nothing moves). */
static gboolean
update_media (gpointer user_data)
{
  TimchatConversationView *self = user_data;
  GtkWidget *scroller = GTK_WIDGET (self->scroller);
  double height = gtk_widget_get_height (scroller);
  GHashTableIter iter;
  gpointer item;

  self->media_idle = 0;
  g_hash_table_iter_init (&iter, self->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      GtkWidget *row = gtk_list_item_get_child (item);
      graphene_rect_t bounds;
      gboolean near =
          gtk_widget_get_mapped (row) && gtk_widget_compute_bounds (row, scroller, &bounds) &&
          bounds.origin.y + bounds.size.height >= -height && bounds.origin.y <= 2 * height;

      timchat_message_row_set_media_active (TIMCHAT_MESSAGE_ROW (row), near);
    }
  return G_SOURCE_REMOVE;
}

/* After the layout of this frame (GDK's frame phases run at a higher priority than idles). */
void
_timchat_conversation_view_queue_media_update (TimchatConversationView *self)
{
  if (self->media_idle == 0)
    self->media_idle = g_idle_add (update_media, self);
}

/* ---- Up and Down from message to message ---- */

/* Tab puts the focus on a text message's selectable label (so Ctrl+C copies a selection), and a
 * label keeps Up and Down to move in its text: the list view never saw them. From a label they
 * move to the message above or below, as they do from any other row; Shift+Up and Shift+Down
 * still select inside the text. At the first or last row the focus stays. */
static gboolean
on_list_key_pressed (GtkEventControllerKey *keys, guint keyval, guint keycode,
                     GdkModifierType state, TimchatConversationView *self)
{
  GtkWidget *list = GTK_WIDGET (self->list_view);
  GtkWidget *item = gtk_widget_get_focus_child (list);
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean up = keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up;
  GtkWidget *target = item;

  if ((!up && keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0 || item == NULL ||
      !GTK_IS_LABEL (focus))
    return FALSE;
  do
    target = up ? gtk_widget_get_prev_sibling (target) : gtk_widget_get_next_sibling (target);
  while (target != NULL && !gtk_widget_get_mapped (target));
  if (target != NULL)
    gtk_widget_grab_focus (target);
  return TRUE;
}

void
_timchat_conversation_view_init_rows (TimchatConversationView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->unbound_rows = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_list_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), keys);
}
