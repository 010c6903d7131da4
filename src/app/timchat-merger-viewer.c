/* timchat-merger-viewer.c: a forwarded chat history, opened. libtim gives the messages it carries
 * (at once when they came with it, else fetched from the server once); while they come a
 * spinner, when they cannot the error with Retry, then a GtkListView of TimchatMergerEntry rows,
 * made for what is on screen only. What the entries hold opens as in the conversation: a picture
 * in the image viewer, a nested history in another of these, over this one. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-dialogs.h"
#include "timchat-image-viewer.h"
#include "timchat-merger-entry.h"
#include "timchat-merger-viewer.h"
#include "timchat-resources.h"

struct _TimchatMergerViewer
{
  AdwWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkSpinner *spinner;
  AdwStatusPage *error_page;
  GtkListView *list_view;

  TimClient *client;
  char *user; /* the account the history was opened in */
  TimMessage *message;
  GListStore *entries;
  GCancellable *cancellable; /* the download's; cancelled when the window goes */
};

G_DEFINE_FINAL_TYPE (TimchatMergerViewer, timchat_merger_viewer, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------- loading */

static void
show_page (TimchatMergerViewer *self, const char *page)
{
  /* A spinner spins (and wakes the frame clock) only while it is the page shown. */
  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
on_downloaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatMergerViewer) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) messages =
      tim_client_download_merger_message_finish (TIM_CLIENT (source), result, &error);
  g_autofree char *count = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return; /* the window went, or Retry started again */
  g_clear_object (&self->cancellable);
  if (messages == NULL)
    {
      /* libtim says why it could not (offline, the server's answer): more than the code's text. */
      g_autofree char *why =
          g_error_matches (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_DOWNLOAD_FAIL)
              ? g_strdup (error->message)
              : timchat_describe_error (error);
      /* A status page's description is markup: the error may hold "&" or "<". */
      g_autofree char *escaped = g_markup_escape_text (why, -1);

      adw_status_page_set_description (self->error_page, escaped);
      show_page (self, "error");
      return;
    }
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       messages->pdata, messages->len);
  count = g_strdup_printf (ngettext ("%u Message", "%u Messages", messages->len), messages->len);
  adw_window_title_set_subtitle (self->window_title, count);
  show_page (self, "list");
}

static void
load (TimchatMergerViewer *self)
{
  if (self->cancellable != NULL)
    return; /* on its way */
  self->cancellable = g_cancellable_new ();
  show_page (self, "loading");
  tim_client_download_merger_message_async (self->client, self->message, self->cancellable,
                                            on_downloaded, g_object_ref (self));
}

/* Failed while offline (or the server away): it tries again by itself once connected. */
static void
on_net_state (TimClient *client, TimNetState state, TimchatMergerViewer *self)
{
  if (state == TIM_NET_STATE_CONNECTED &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0)
    load (self);
}

static void
retry_action (GtkWidget *widget, const char *action, GVariant *param)
{
  load (TIMCHAT_MERGER_VIEWER (widget));
}

/* The history is its account's: the viewer goes when that account logs out (or another logs in
 * on its client), as the window's chat page does. The window under it is not modal: left open, it
 * went on showing the history of an account logged out to whoever used the window next. */
static void
on_user (TimClient *client, GParamSpec *pspec, TimchatMergerViewer *self)
{
  if (g_strcmp0 (tim_client_get_user (client), self->user) != 0)
    gtk_window_close (GTK_WINDOW (self));
}

/* ---------------------------------------------------------------- opening entries */

static TimMessage *
entry_for (TimchatMergerViewer *self, const char *message_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->entries)); i++)
    {
      g_autoptr (TimMessage) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      if (g_strcmp0 (tim_message_get_id (entry), message_id) == 0)
        return entry; /* the store keeps it */
    }
  return NULL;
}

static void
open_entry (TimchatMergerViewer *self, TimMessage *entry)
{
  switch (tim_message_get_elem_type (entry))
    {
    case TIM_ELEM_IMAGE:
      /* A double click's first click opened it already. */
      if (!timchat_image_viewer_is_open_over (GTK_WINDOW (self)))
        gtk_window_present (GTK_WINDOW (timchat_image_viewer_new (GTK_WINDOW (self), entry)));
      break;
    case TIM_ELEM_RELAY:
      timchat_merger_viewer_present (GTK_WINDOW (self), self->client, entry);
      break;
    default:
      break;
    }
}

/* What the entries' content asks for, as it asks the conversation view. */
static void
view_action (GtkWidget *widget, const char *action, GVariant *param)
{
  TimchatMergerViewer *self = TIMCHAT_MERGER_VIEWER (widget);
  TimMessage *entry = entry_for (self, g_variant_get_string (param, NULL));

  if (entry != NULL)
    open_entry (self, entry);
}

/* Enter or a double click on an entry. */
static void
on_activate (TimchatMergerViewer *self, guint position)
{
  g_autoptr (TimMessage) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), position);

  if (entry != NULL)
    open_entry (self, entry);
}

/* ---------------------------------------------------------------- rows */

static void
setup_entry (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, timchat_merger_entry_new ());
}

static void
bind_entry (GtkSignalListItemFactory *factory, GtkListItem *item, TimchatMergerViewer *self)
{
  guint position = gtk_list_item_get_position (item);
  g_autoptr (TimMessage) previous =
      position > 0 ? g_list_model_get_item (G_LIST_MODEL (self->entries), position - 1) : NULL;

  timchat_merger_entry_bind (TIMCHAT_MERGER_ENTRY (gtk_list_item_get_child (item)),
                             gtk_list_item_get_item (item), previous);
}

static void
unbind_entry (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  timchat_merger_entry_unbind (TIMCHAT_MERGER_ENTRY (gtk_list_item_get_child (item)));
}

/* ---------------------------------------------------------------- object */

static void
timchat_merger_viewer_constructed (GObject *object)
{
  TimchatMergerViewer *self = TIMCHAT_MERGER_VIEWER (object);
  const char *title = tim_message_get_title (self->message);

  G_OBJECT_CLASS (timchat_merger_viewer_parent_class)->constructed (object);
  if (title == NULL || *title == '\0')
    title = _ ("Chat History");
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  g_signal_connect_object (self->client, "net-state-changed", G_CALLBACK (on_net_state), self, 0);
  self->user = g_strdup (tim_client_get_user (self->client));
  g_signal_connect_object (self->client, "notify::user", G_CALLBACK (on_user), self, 0);
  load (self);
}

static void
timchat_merger_viewer_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  TimchatMergerViewer *self = TIMCHAT_MERGER_VIEWER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_MESSAGE:
      self->message = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_merger_viewer_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  TimchatMergerViewer *self = TIMCHAT_MERGER_VIEWER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_merger_viewer_dispose (GObject *object)
{
  TimchatMergerViewer *self = TIMCHAT_MERGER_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_MERGER_VIEWER);
  g_clear_object (&self->entries);
  g_clear_object (&self->message);
  g_clear_object (&self->client);
  g_clear_pointer (&self->user, g_free);
  G_OBJECT_CLASS (timchat_merger_viewer_parent_class)->dispose (object);
}

static void
timchat_merger_viewer_class_init (TimchatMergerViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  object_class->constructed = timchat_merger_viewer_constructed;
  object_class->set_property = timchat_merger_viewer_set_property;
  object_class->get_property = timchat_merger_viewer_get_property;
  object_class->dispose = timchat_merger_viewer_dispose;

  properties[PROP_CLIENT] =
      g_param_spec_object ("client", NULL, NULL, TIM_TYPE_CLIENT,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
      g_param_spec_object ("message", NULL, NULL, TIM_TYPE_MESSAGE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-merger-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatMergerViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, TimchatMergerViewer, stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatMergerViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, TimchatMergerViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, TimchatMergerViewer, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  gtk_widget_class_install_action (widget_class, "viewer.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "conversation.view-image", "s", view_action);
  gtk_widget_class_install_action (widget_class, "conversation.view-history", "s", view_action);
}

static void
timchat_merger_viewer_init (TimchatMergerViewer *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->entries = g_list_store_new (TIM_TYPE_MESSAGE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_entry), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_entry), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_entry), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  selection =
      GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->entries))));
  gtk_list_view_set_model (self->list_view, selection);
}

GtkWidget *
timchat_merger_viewer_new (GtkWindow *parent, TimClient *client, TimMessage *message)
{
  g_return_val_if_fail (TIM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TIM_IS_MESSAGE (message), NULL);

  return g_object_new (TIMCHAT_TYPE_MERGER_VIEWER, "transient-for", parent, "client", client,
                       "message", message, NULL);
}

/* The same message: the same instance (an entry), or the same ID (a conversation's message, which
 * its list may have loaded again since). */
static gboolean
same_message (TimMessage *a, TimMessage *b)
{
  return a == b || (tim_message_get_id (a) != NULL &&
                    g_strcmp0 (tim_message_get_id (a), tim_message_get_id (b)) == 0);
}

TimchatMergerViewer *
timchat_merger_viewer_present (GtkWindow *parent, TimClient *client, TimMessage *message)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *viewer = NULL;

  g_return_val_if_fail (TIM_IS_MESSAGE (message), NULL);

  for (guint i = 0; viewer == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TIMCHAT_IS_MERGER_VIEWER (window) && gtk_window_get_transient_for (window) == parent &&
          same_message (TIMCHAT_MERGER_VIEWER (window)->message, message))
        viewer = GTK_WIDGET (window);
    }
  if (viewer == NULL)
    viewer = timchat_merger_viewer_new (parent, client, message);
  gtk_window_present (GTK_WINDOW (viewer));
  return TIMCHAT_MERGER_VIEWER (viewer);
}

TimMessage *
timchat_merger_viewer_get_message (TimchatMergerViewer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MERGER_VIEWER (self), NULL);
  return self->message;
}

const char *
timchat_merger_viewer_get_page (TimchatMergerViewer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MERGER_VIEWER (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GListModel *
timchat_merger_viewer_get_entries (TimchatMergerViewer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MERGER_VIEWER (self), NULL);
  return G_LIST_MODEL (self->entries);
}
