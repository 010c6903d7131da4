/* timchat-mention-popover.c: a list of user IDs (GtkStringObject, TIM_AT_ALL first for
 * "Everyone") filtered by the query, the names they show kept beside it. The group's members are
 * fetched once, when a query first needs them. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "timchat-mention-popover.h"
#include "timchat-resources.h"

struct _TimchatMentionPopover
{
  GtkPopover parent_instance;

  GtkScrolledWindow *scroller;
  GtkListView *list_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *filter_model;
  GListStore *store;
  GtkCustomFilter *filter;

  TimClient *client;
  char *group_id;
  char *query;
  char *folded_query;
  GHashTable *names;     /* user ID -> the name its row shows */
  GHashTable *haystacks; /* user ID -> what the query is looked for in, case-folded */
  gboolean asked;        /* the members were fetched, or are being */
  GCancellable *cancellable;
  guint n_matches;
};

G_DEFINE_FINAL_TYPE (TimchatMentionPopover, timchat_mention_popover, GTK_TYPE_POPOVER)

enum
{
  PROP_0,
  PROP_QUERY,
  PROP_N_MATCHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_MEMBER_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows that fit without scrolling (in max-content-height). */
#define MAX_UNSCROLLED_ROWS 8

/* Rows */

static void
add_row (TimchatMentionPopover *self, GPtrArray *items, const char *user_id, const char *name,
         const char *haystack)
{
  g_hash_table_insert (self->names, g_strdup (user_id), g_strdup (name));
  g_hash_table_insert (self->haystacks, g_strdup (user_id), g_utf8_casefold (haystack, -1));
  g_ptr_array_add (items, gtk_string_object_new (user_id));
}

/* Everyone, then members (NULL: none yet), in place of what the list held. */
static void
fill (TimchatMentionPopover *self, GPtrArray *members)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  const char *me = self->client != NULL ? tim_client_get_user (self->client) : NULL;
  /* Translators: the @-mention of all members, inserted into the message as "@Everyone". */
  const char *everyone = _ ("Everyone");
  /* "@all" and "@everyone" find it in any language, and so does the word it shows. */
  g_autofree char *everyone_haystack = g_strjoin ("\n", "all", "everyone", everyone, NULL);

  g_hash_table_remove_all (self->names);
  g_hash_table_remove_all (self->haystacks);
  add_row (self, items, TIM_AT_ALL, everyone, everyone_haystack);
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      const TimGroupMember *member = members->pdata[i];
      const char *name = tim_group_member_get_name (member);
      g_autofree char *haystack = g_strconcat (name, "\n", member->user_id, NULL);

      if (g_strcmp0 (member->user_id, me) != 0 &&
          !g_hash_table_contains (self->names, member->user_id))
        add_row (self, items, member->user_id, name, haystack);
    }
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
}

static gboolean
matches (gpointer item, gpointer user_data)
{
  TimchatMentionPopover *self = user_data;
  const char *haystack = g_hash_table_lookup (self->haystacks, gtk_string_object_get_string (item));

  return self->folded_query == NULL || haystack == NULL ||
         strstr (haystack, self->folded_query) != NULL;
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *user_id = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (user_id), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (user_id), 0);
  gtk_widget_set_hexpand (user_id, TRUE);
  gtk_widget_add_css_class (user_id, "dim-label");
  gtk_box_append (GTK_BOX (box), adw_avatar_new (24, NULL, TRUE));
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), user_id);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  TimchatMentionPopover *self = user_data;
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *avatar = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_next_sibling (avatar);
  GtkWidget *user_id = gtk_widget_get_next_sibling (name);
  const char *id = gtk_string_object_get_string (gtk_list_item_get_item (list_item));
  const char *shown = g_hash_table_lookup (self->names, id);
  gboolean everyone = g_strcmp0 (id, TIM_AT_ALL) == 0;
  g_autofree char *label = NULL;

  if (everyone)
    /* Translators: the "Everyone" row of the @-mention list, as a screen reader reads it. */
    label = g_strdup (_ ("Everyone: mention all members"));
  else
    /* Translators: a member's row of the @-mention list, as a screen reader reads it: the
     * member's name, then their user ID. */
    label = g_strdup_printf (_ ("%s, %s"), shown, id);

  adw_avatar_set_text (ADW_AVATAR (avatar), shown);
  adw_avatar_set_show_initials (ADW_AVATAR (avatar), !everyone);
  adw_avatar_set_icon_name (ADW_AVATAR (avatar), everyone ? "system-users-symbolic" : NULL);
  gtk_label_set_text (GTK_LABEL (name), shown);
  gtk_label_set_text (GTK_LABEL (user_id), everyone ? _ ("All members") : id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
select_row (TimchatMentionPopover *self, guint position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

static void
on_activate (GtkListView *list_view, guint position, TimchatMentionPopover *self)
{
  gtk_single_selection_set_selected (self->selection, position);
  timchat_mention_popover_choose (self);
}

static void
on_items_changed (TimchatMentionPopover *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (self->n_matches == n)
    return;
  self->n_matches = n;
  /* A scrollbar that may show makes the list at least as tall as its own minimum: a row or two
   * would sit above empty space. */
  gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER,
                                  n > MAX_UNSCROLLED_ROWS ? GTK_POLICY_AUTOMATIC
                                                          : GTK_POLICY_NEVER);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
}

/* Members */

static void
on_members (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatMentionPopover) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) members =
      tim_client_get_group_members_finish (TIM_CLIENT (source), result, &error);

  /* Cancelled: the group changed, or the popover went; nothing here is this fetch's any more. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (members == NULL)
    {
      g_debug ("Cannot list the group's members: %s", error->message);
      self->asked = FALSE; /* the next "@" asks again */
      return;
    }
  fill (self, members);
}

void
timchat_mention_popover_set_group (TimchatMentionPopover *self, TimClient *client,
                                   const char *group_id)
{
  g_return_if_fail (TIMCHAT_IS_MENTION_POPOVER (self));

  if (self->client == client && g_strcmp0 (self->group_id, group_id) == 0)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->client, client);
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  self->asked = FALSE;
  fill (self, NULL);
}

void
timchat_mention_popover_refresh (TimchatMentionPopover *self)
{
  g_return_if_fail (TIMCHAT_IS_MENTION_POPOVER (self));

  /* Who is shown stays until the fresh list comes. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->asked = FALSE;
}

/* Query */

void
timchat_mention_popover_set_query (TimchatMentionPopover *self, const char *query)
{
  g_return_if_fail (TIMCHAT_IS_MENTION_POPOVER (self));

  if (!self->asked && self->client != NULL && self->group_id != NULL)
    {
      self->asked = TRUE;
      self->cancellable = g_cancellable_new ();
      tim_client_get_group_members_async (self->client, self->group_id, self->cancellable,
                                          on_members, g_object_ref (self));
    }
  if (g_strcmp0 (self->query, query) != 0)
    {
      g_free (self->query);
      g_free (self->folded_query);
      self->query = g_strdup (query);
      self->folded_query = query != NULL && *query != '\0' ? g_utf8_casefold (query, -1) : NULL;
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
    }
  if (self->n_matches > 0)
    select_row (self, 0);
}

const char *
timchat_mention_popover_get_query (TimchatMentionPopover *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MENTION_POPOVER (self), NULL);
  return self->query;
}

guint
timchat_mention_popover_get_n_matches (TimchatMentionPopover *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MENTION_POPOVER (self), 0);
  return self->n_matches;
}

void
timchat_mention_popover_move (TimchatMentionPopover *self, int delta)
{
  guint selected;
  int n;

  g_return_if_fail (TIMCHAT_IS_MENTION_POPOVER (self));

  n = (int) self->n_matches;
  if (n == 0)
    return;
  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION)
    selected = delta > 0 ? (guint) n - 1 : 0;
  select_row (self, (guint) ((((int) selected + delta) % n + n) % n));
}

gboolean
timchat_mention_popover_choose (TimchatMentionPopover *self)
{
  GtkStringObject *item;
  const char *user_id;

  g_return_val_if_fail (TIMCHAT_IS_MENTION_POPOVER (self), FALSE);

  item = gtk_single_selection_get_selected_item (self->selection);
  if (item == NULL)
    return FALSE;
  user_id = gtk_string_object_get_string (item);
  g_signal_emit (self, signals[SIGNAL_MEMBER_CHOSEN], 0, user_id,
                 g_hash_table_lookup (self->names, user_id));
  return TRUE;
}

/* GObject */

static void
timchat_mention_popover_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  TimchatMentionPopover *self = TIMCHAT_MENTION_POPOVER (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->n_matches);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_mention_popover_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  TimchatMentionPopover *self = TIMCHAT_MENTION_POPOVER (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      timchat_mention_popover_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_mention_popover_dispose (GObject *object)
{
  TimchatMentionPopover *self = TIMCHAT_MENTION_POPOVER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_MENTION_POPOVER);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (timchat_mention_popover_parent_class)->dispose (object);
}

static void
timchat_mention_popover_finalize (GObject *object)
{
  TimchatMentionPopover *self = TIMCHAT_MENTION_POPOVER (object);

  g_free (self->group_id);
  g_free (self->query);
  g_free (self->folded_query);
  g_hash_table_unref (self->names);
  g_hash_table_unref (self->haystacks);

  G_OBJECT_CLASS (timchat_mention_popover_parent_class)->finalize (object);
}

static void
timchat_mention_popover_class_init (TimchatMentionPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  g_type_ensure (GTK_TYPE_STRING_OBJECT);

  object_class->dispose = timchat_mention_popover_dispose;
  object_class->finalize = timchat_mention_popover_finalize;
  object_class->get_property = timchat_mention_popover_get_property;
  object_class->set_property = timchat_mention_popover_set_property;

  properties[PROP_QUERY] =
      g_param_spec_string ("query", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_MATCHES] =
      g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MEMBER_CHOSEN] =
      g_signal_new ("member-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-mention-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatMentionPopover, scroller);
  gtk_widget_class_bind_template_child (widget_class, TimchatMentionPopover, list_view);
  gtk_widget_class_bind_template_child (widget_class, TimchatMentionPopover, selection);
  gtk_widget_class_bind_template_child (widget_class, TimchatMentionPopover, filter_model);
  gtk_widget_class_bind_template_child (widget_class, TimchatMentionPopover, store);
  gtk_widget_class_bind_template_child (widget_class, TimchatMentionPopover, filter);
  gtk_widget_class_bind_template_callback (widget_class, setup_row);
  gtk_widget_class_bind_template_callback (widget_class, bind_row);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
timchat_mention_popover_init (TimchatMentionPopover *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->haystacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_custom_filter_set_filter_func (self->filter, matches, self, NULL);
  g_signal_connect_swapped (self->filter_model, "items-changed", G_CALLBACK (on_items_changed),
                            self);
  fill (self, NULL);
}

GtkWidget *
timchat_mention_popover_new (void)
{
  return g_object_new (TIMCHAT_TYPE_MENTION_POPOVER, NULL);
}
