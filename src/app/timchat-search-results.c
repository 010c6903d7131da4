/* timchat-search-results.c: a GtkListView over a GListStore of the TimMessages libtim found
 * (filtered: one recalled since leaves it; one deleted since is taken out), each row its sender
 * (or, searching every conversation, its conversation, the sender before the text as the
 * conversation list says it), its time and its text with the match emphasised
 * (timchat_search_markup ()); a click, or Enter from the search entry, activates one. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-format.h"
#include "timchat-resources.h"
#include "timchat-search-results.h"

/* More than a reader goes through; a "More than" count says there are others. */
#define SEARCH_LIMIT 100

struct _TimchatSearchResults
{
  GtkWidget parent_instance;

  /* template */
  GtkStack *stack;
  GtkListView *list_view;

  GListStore *store;
  GListModel *shown; /* store without what has been recalled since */
  GtkFilter *not_recalled;
  GtkSingleSelection *selection;
  gboolean truncated;           /* more found than shown */
  GCancellable *cancellable;    /* while a search is under way */
  gboolean activate_when_found; /* Enter came before the answer */
  TimClient *client;            /* of the last search */
  gboolean all_conversations;   /* the last search looked in every conversation */
  char *keyword;
  char *summary;
};

G_DEFINE_FINAL_TYPE (TimchatSearchResults, timchat_search_results, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_MESSAGE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- text ---- */

/* What a result shows of its message: the text, else the file's name or the description libtim
 * matched, else what the conversation list would say ("[Image]"). */
static char *
dup_shown_text (TimMessage *message)
{
  const char *text = tim_message_get_text (message);

  if (text == NULL || *text == '\0')
    text = tim_message_get_file_name (message);
  if (text == NULL || *text == '\0')
    text = tim_message_get_description (message);
  if (text == NULL || *text == '\0')
    return tim_message_dup_summary (message);
  return g_strdup (text);
}

/* Searching every conversation, a result says where it was written, and who wrote it the way
 * the conversation list does (timchat_format_sender_prefix ()). */
static char *
dup_conversation_name (TimchatSearchResults *self, TimMessage *message)
{
  const char *conversation_id = tim_message_get_conversation_id (message);
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (self->client), conversation_id);
  const char *peer = NULL;

  if (conversation != NULL)
    return g_strdup (tim_conversation_get_name (conversation));
  /* Deleted from the list, its messages kept: its user or group ID. */
  tim_conv_parse_id (conversation_id, &peer);
  return g_strdup (peer != NULL ? peer : conversation_id);
}

/* ---- rows ---- */

static void
on_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *sender = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);

  gtk_widget_add_css_class (grid, "search-result");
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_label_set_xalign (GTK_LABEL (sender), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sender), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (sender, TRUE);
  gtk_widget_add_css_class (sender, "heading");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "caption");
  /* One line (the snippet starts near the match): a wrapped label would be measured at its
   * narrowest, two lines high, and leave a gap under the results. */
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_single_line_mode (GTK_LABEL (text), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_grid_attach (GTK_GRID (grid), sender, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), time, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), text, 0, 1, 2, 1);
  gtk_list_item_set_child (item, grid);
}

static void
on_bind (GtkSignalListItemFactory *factory, GtkListItem *item, TimchatSearchResults *self)
{
  TimMessage *message = gtk_list_item_get_item (item);
  GtkWidget *grid = gtk_list_item_get_child (item);
  GtkWidget *sender = gtk_grid_get_child_at (GTK_GRID (grid), 0, 0);
  GtkWidget *time = gtk_grid_get_child_at (GTK_GRID (grid), 1, 0);
  GtkWidget *text = gtk_grid_get_child_at (GTK_GRID (grid), 0, 1);
  g_autofree char *when = timchat_format_list_time (tim_message_get_time (message));
  g_autofree char *shown = dup_shown_text (message);
  g_autofree char *markup = timchat_search_markup (shown, self->keyword);
  g_autofree char *title = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *spoken = NULL;

  if (self->all_conversations)
    {
      g_autofree char *escaped = NULL;
      g_autofree char *found = g_steal_pointer (&markup);

      title = dup_conversation_name (self, message);
      prefix = timchat_format_sender_prefix (message, tim_client_get_user (self->client));
      escaped = g_markup_escape_text (prefix, -1);
      markup = g_strconcat (escaped, found, NULL);
    }
  else
    {
      title = g_strdup (tim_message_get_sender_name (message));
      prefix = g_strdup ("");
    }
  /* TRANSLATORS: how a screen reader reads a search result: the sender (or the conversation),
   * the time, the text (after "You: " or the sender's name when it is the conversation). */
  spoken = g_strdup_printf (_ ("%s, %s: %s%s"), title, when, prefix, shown);
  gtk_label_set_text (GTK_LABEL (sender), title);
  gtk_label_set_text (GTK_LABEL (time), when);
  gtk_label_set_markup (GTK_LABEL (text), markup);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
on_activate (GtkListView *list_view, guint position, TimchatSearchResults *self)
{
  g_autoptr (TimMessage) message = g_list_model_get_item (self->shown, position);

  if (message != NULL)
    g_signal_emit (self, signals[SIGNAL_MESSAGE_ACTIVATED], 0, message);
}

/* ---- searching ---- */

static void
set_summary (TimchatSearchResults *self, const char *summary)
{
  if (g_strcmp0 (summary, self->summary) == 0)
    return;
  g_free (self->summary);
  self->summary = g_strdup (summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/* A filter list model does not watch its items: each result's recall makes the filter look again.
 */
static void
on_recalled (TimchatSearchResults *self)
{
  gtk_filter_changed (self->not_recalled, GTK_FILTER_CHANGE_MORE_STRICT);
}

static void
watch_recalls (TimchatSearchResults *self, gboolean watch)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (watch)
        g_signal_connect_object (message, "notify::is-revoked", G_CALLBACK (on_recalled), self,
                                 G_CONNECT_SWAPPED);
      else
        g_signal_handlers_disconnect_by_func (message, on_recalled, self);
    }
}

/* The count and the empty page follow what is shown: a result recalled while the list is open
 * leaves it. */
static void
update_summary (TimchatSearchResults *self)
{
  g_autofree char *summary = NULL;
  guint n = g_list_model_get_n_items (self->shown);

  if (self->keyword == NULL)
    return;
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "results" : "empty");
  if (n == 0)
    summary = g_strdup (_ ("No Messages Found"));
  else if (self->truncated)
    summary = g_strdup_printf (_ ("More than %u messages"), SEARCH_LIMIT);
  else
    summary = g_strdup_printf (ngettext ("%u message", "%u messages", n), n);
  set_summary (self, summary);
}

/* Deleted for oneself, here or on another device: the results lose them. */
static void
on_deleted (TimClient *client, GPtrArray *messages, TimchatSearchResults *self)
{
  for (guint i = 0; i < messages->len; i++)
    {
      const char *id = tim_message_get_id (messages->pdata[i]);

      for (guint position = g_list_model_get_n_items (G_LIST_MODEL (self->store)); position > 0;
           position--)
        {
          g_autoptr (TimMessage) found =
              g_list_model_get_item (G_LIST_MODEL (self->store), position - 1);

          if (g_strcmp0 (tim_message_get_id (found), id) != 0)
            continue;
          g_signal_handlers_disconnect_by_func (found, on_recalled, self);
          g_list_store_remove (self->store, position - 1);
        }
    }
}

static void
set_client (TimchatSearchResults *self, TimClient *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_deleted, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_object (client, "message-deleted", G_CALLBACK (on_deleted), self, 0);
}

static void
show_found (TimchatSearchResults *self, GPtrArray *found)
{
  guint n = MIN (found->len, SEARCH_LIMIT);

  self->truncated = found->len > SEARCH_LIMIT;
  watch_recalls (self, FALSE);
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       found->pdata, n);
  watch_recalls (self, TRUE);
  if (g_list_model_get_n_items (self->shown) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  update_summary (self);
  if (self->activate_when_found)
    {
      self->activate_when_found = FALSE;
      timchat_search_results_activate_selected (self);
    }
}

static void
on_searched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatSearchResults) self = user_data;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;

  found = tim_client_search_messages_finish (TIM_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (found == NULL)
    {
      g_debug ("Searching messages: %s", error->message);
      found = g_ptr_array_new ();
    }
  /* Not cancelled: the answer to the search under way (another would have cancelled it). */
  g_clear_object (&self->cancellable);
  show_found (self, found);
}

void
timchat_search_results_clear (TimchatSearchResults *self)
{
  g_return_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->activate_when_found = FALSE;
  g_clear_pointer (&self->keyword, g_free);
  watch_recalls (self, FALSE);
  g_list_store_remove_all (self->store);
  gtk_stack_set_visible_child_name (self->stack, "results");
  set_summary (self, "");
}

void
timchat_search_results_search (TimchatSearchResults *self, TimClient *client,
                               const char *conversation_id, const char *keyword)
{
  g_autofree char *words = g_strstrip (g_strdup (keyword != NULL ? keyword : ""));

  g_return_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self));
  g_return_if_fail (TIM_IS_CLIENT (client));

  timchat_search_results_clear (self);
  if (*words == '\0')
    return;
  self->keyword = g_steal_pointer (&words);
  set_client (self, client);
  self->all_conversations = conversation_id == NULL;
  self->cancellable = g_cancellable_new ();
  /* One more than shown, to know whether there are more. */
  tim_client_search_messages_async (client, conversation_id, self->keyword, SEARCH_LIMIT + 1,
                                    self->cancellable, on_searched, g_object_ref (self));
}

GListModel *
timchat_search_results_get_model (TimchatSearchResults *self)
{
  g_return_val_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self), NULL);
  return self->shown;
}

const char *
timchat_search_results_get_keyword (TimchatSearchResults *self)
{
  g_return_val_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self), NULL);
  return self->keyword;
}

const char *
timchat_search_results_get_summary (TimchatSearchResults *self)
{
  g_return_val_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self), NULL);
  return self->summary != NULL ? self->summary : "";
}

guint
timchat_search_results_get_selected (TimchatSearchResults *self)
{
  g_return_val_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self), GTK_INVALID_LIST_POSITION);
  return gtk_single_selection_get_selected (self->selection);
}

gboolean
timchat_search_results_move (TimchatSearchResults *self, int delta)
{
  guint n, selected;
  int to;

  g_return_val_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self), FALSE);
  n = g_list_model_get_n_items (self->shown);
  if (n == 0)
    return FALSE;
  selected = gtk_single_selection_get_selected (self->selection);
  to = selected == GTK_INVALID_LIST_POSITION ? 0 : CLAMP ((int) selected + delta, 0, (int) n - 1);
  gtk_single_selection_set_selected (self->selection, to);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", to);
  return TRUE;
}

gboolean
timchat_search_results_activate_selected (TimchatSearchResults *self)
{
  guint selected;

  g_return_val_if_fail (TIMCHAT_IS_SEARCH_RESULTS (self), FALSE);
  /* Enter right after typing, before libtim has answered: the store is empty, or has what the
   * words typed before found. The first result of what is typed now, once it is in. */
  if (self->cancellable != NULL)
    {
      self->activate_when_found = TRUE;
      return TRUE;
    }
  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;
  on_activate (self->list_view, selected, self);
  return TRUE;
}

/* ---- the class ---- */

static void
timchat_search_results_dispose (GObject *object)
{
  TimchatSearchResults *self = TIMCHAT_SEARCH_RESULTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_SEARCH_RESULTS);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  if (self->store != NULL)
    watch_recalls (self, FALSE);
  g_clear_object (&self->store);
  g_clear_pointer (&self->keyword, g_free);
  g_clear_pointer (&self->summary, g_free);
  set_client (self, NULL);

  G_OBJECT_CLASS (timchat_search_results_parent_class)->dispose (object);
}

static void
timchat_search_results_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  TimchatSearchResults *self = TIMCHAT_SEARCH_RESULTS (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_string (value, timchat_search_results_get_summary (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_search_results_class_init (TimchatSearchResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  object_class->dispose = timchat_search_results_dispose;
  object_class->get_property = timchat_search_results_get_property;

  properties[PROP_SUMMARY] =
      g_param_spec_string ("summary", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE_ACTIVATED] =
      g_signal_new ("message-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, TIM_TYPE_MESSAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-search-results.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatSearchResults, stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatSearchResults, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  gtk_widget_class_set_css_name (widget_class, "searchresults");
}

static void
timchat_search_results_init (TimchatSearchResults *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkBoolFilter *not_recalled =
      gtk_bool_filter_new (gtk_property_expression_new (TIM_TYPE_MESSAGE, NULL, "is-revoked"));

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_bool_filter_set_invert (not_recalled, TRUE);
  self->not_recalled = GTK_FILTER (not_recalled); /* the filter model owns it */
  self->store = g_list_store_new (TIM_TYPE_MESSAGE);
  self->shown = G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                         GTK_FILTER (not_recalled)));
  g_signal_connect_swapped (self->shown, "items-changed", G_CALLBACK (update_summary), self);
  self->selection = gtk_single_selection_new (g_object_ref (self->shown));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
timchat_search_results_new (void)
{
  return g_object_new (TIMCHAT_TYPE_SEARCH_RESULTS, NULL);
}
