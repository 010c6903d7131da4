/* timchat-forward-dialog.c: choosing where messages go when forwarded. The conversations come
 * from the client's list (the Group Notices, which nobody writes to, left out), found by the
 * window's own search (timchat_conversation_row_new_search_filter ()); Enter in the search takes
 * the first. Choosing one forwards the messages there (timchat-forwarding.c: one by one, or as one
 * chat history) and closes; the window then says "Forwarded to …" with a button to open that
 * conversation, or what went wrong. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-avatar.h"
#include "timchat-conversation-row.h"
#include "timchat-forward-dialog.h"

struct _TimchatForwardDialog
{
  AdwWindow parent_instance;

  GtkSearchEntry *search_entry;
  GtkStack *stack;
  GtkListView *list_view;

  TimClient *client;
  GPtrArray *messages; /* oldest first */
  TimchatForwardMode mode;
  gboolean forwarded;
  GtkStringFilter *search; /* the window's conversation search */
  GtkFilterListModel *shown;
};

G_DEFINE_FINAL_TYPE (TimchatForwardDialog, timchat_forward_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_FORWARDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Nobody writes to the Group Notices. */
static gboolean
can_take_messages (gpointer item, gpointer user_data)
{
  return tim_conversation_get_conversation_type (item) != TIM_CONV_SYSTEM;
}

/* Rows are made for what is on screen only: a list of thousands opens at once. */
static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_box_append (GTK_BOX (box), adw_avatar_new (32, NULL, TRUE));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  TimConversation *conversation = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  AdwAvatar *avatar = ADW_AVATAR (gtk_widget_get_first_child (box));
  const char *name = tim_conversation_get_name (conversation);

  adw_avatar_set_text (avatar, name);
  timchat_avatar_set_url (avatar, tim_conversation_get_avatar (conversation));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), name);
}

static void
update_page (TimchatForwardDialog *self)
{
  gtk_stack_set_visible_child_name (
      self->stack, g_list_model_get_n_items (G_LIST_MODEL (self->shown)) > 0 ? "list" : "empty");
}

static void
on_search_changed (TimchatForwardDialog *self)
{
  gtk_string_filter_set_search (self->search,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_page (self);
}

/* ---------------------------------------------------------------- forwarding */

void
timchat_forward_dialog_choose (TimchatForwardDialog *self, const char *conversation_id)
{
  TimConversation *conversation;

  g_return_if_fail (TIMCHAT_IS_FORWARD_DIALOG (self));
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (self->client), conversation_id);
  if (conversation == NULL)
    return;
  timchat_forward_messages (gtk_window_get_transient_for (GTK_WINDOW (self)), self->client,
                            self->messages, self->mode, conversation);
  self->forwarded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORWARDED]);
  gtk_window_close (GTK_WINDOW (self));
}

gboolean
timchat_forward_dialog_get_forwarded (TimchatForwardDialog *self)
{
  g_return_val_if_fail (TIMCHAT_IS_FORWARD_DIALOG (self), FALSE);
  return self->forwarded;
}

static void
on_activate (TimchatForwardDialog *self, guint position)
{
  g_autoptr (TimConversation) conversation =
      g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (conversation != NULL)
    timchat_forward_dialog_choose (self, tim_conversation_get_id (conversation));
}

static void
on_search_activate (TimchatForwardDialog *self)
{
  on_activate (self, 0);
}

GStrv
timchat_forward_dialog_dup_names (TimchatForwardDialog *self)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (TIMCHAT_IS_FORWARD_DIALOG (self), NULL);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->shown)); i++)
    {
      g_autoptr (TimConversation) conversation =
          g_list_model_get_item (G_LIST_MODEL (self->shown), i);

      g_strv_builder_add (names, tim_conversation_get_name (conversation));
    }
  return g_strv_builder_end (names);
}

/* ---------------------------------------------------------------- life */

static void
timchat_forward_dialog_dispose (GObject *object)
{
  TimchatForwardDialog *self = TIMCHAT_FORWARD_DIALOG (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->shown);
  g_clear_object (&self->search);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (timchat_forward_dialog_parent_class)->dispose (object);
}

static void
timchat_forward_dialog_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_FORWARDED:
      g_value_set_boolean (value, TIMCHAT_FORWARD_DIALOG (object)->forwarded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_forward_dialog_class_init (TimchatForwardDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = timchat_forward_dialog_dispose;
  object_class->get_property = timchat_forward_dialog_get_property;
  /* Whether a conversation was chosen (and the messages went there) before it closed. */
  properties[PROP_FORWARDED] =
      g_param_spec_boolean ("forwarded", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-forward-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatForwardDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TimchatForwardDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatForwardDialog, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
timchat_forward_dialog_init (TimchatForwardDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
timchat_forward_dialog_new_for_messages (GtkWindow *parent, TimClient *client, GPtrArray *messages,
                                         TimchatForwardMode mode)
{
  TimchatForwardDialog *self;
  g_autoptr (GtkListItemFactory) factory = NULL;
  g_autoptr (GtkSelectionModel) selection = NULL;
  GtkEveryFilter *filter;

  g_return_val_if_fail (TIM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (messages != NULL && messages->len > 0, NULL);

  self = g_object_new (TIMCHAT_TYPE_FORWARD_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->messages = g_ptr_array_new_full (messages->len, g_object_unref);
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (self->messages, g_object_ref (messages->pdata[i]));
  self->mode = mode;
  self->search = timchat_conversation_row_new_search_filter ();
  filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter),
                           GTK_FILTER (gtk_custom_filter_new (can_take_messages, NULL, NULL)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), GTK_FILTER (g_object_ref (self->search)));
  self->shown = gtk_filter_list_model_new (
      g_object_ref (G_LIST_MODEL (tim_client_get_conversations (client))), GTK_FILTER (filter));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  selection =
      GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->shown))));
  gtk_list_view_set_model (self->list_view, selection);
  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (update_page), self,
                           G_CONNECT_SWAPPED);
  update_page (self);
  return GTK_WIDGET (self);
}

GtkWidget *
timchat_forward_dialog_new (GtkWindow *parent, TimClient *client, TimMessage *message)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();

  g_return_val_if_fail (TIM_IS_MESSAGE (message), NULL);

  g_ptr_array_add (messages, message);
  return timchat_forward_dialog_new_for_messages (parent, client, messages,
                                                  TIMCHAT_FORWARD_ONE_BY_ONE);
}
