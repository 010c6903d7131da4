/* tim-conversation-list.c: the conversation list as a GListModel, in the seed's order
 * (tim-sdk-facts.md §3): pinned with a last time (newest first), pinned without, unpinned with a
 * last time (newest first), unpinned without. Times are seconds: of two conversations whose last
 * messages share one, the one whose message came later (here, since the start) goes first; other
 * ties go by conversation ID, so the order is total and an unchanged conversation always has the
 * same position. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <string.h>

#include "tim-conversation-list.h"

struct _TimConversationList
{
  GObject parent_instance;

  GPtrArray *items;  /* TimConversation, owned, in display order */
  GHashTable *by_id; /* conversation ID -> TimConversation (borrowed from items) */
  guint total_unread;
  guint marked_unread; /* marked unread with nothing unread in them */
  guint64 arrivals;    /* the last arrival stamp handed out */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TimConversationList, tim_conversation_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_TOTAL_UNREAD,
  PROP_MARKED_UNREAD,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
list_get_item_type (GListModel *model)
{
  return TIM_TYPE_CONVERSATION;
}

static guint
list_get_n_items (GListModel *model)
{
  TimConversationList *self = TIM_CONVERSATION_LIST (model);

  return self->items != NULL ? self->items->len : 0;
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  TimConversationList *self = TIM_CONVERSATION_LIST (model);

  if (self->items == NULL || position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void on_unread_changed (TimConversationList *self);

/* A conversation put in a folder or taken out, or renamed, is announced as changed in place, so
 * that a filter over the list (a UI's folder, a search by name) takes it again: a filter list
 * model does not watch its items, and a renamed conversation stayed hidden from a search its new
 * name matches, or shown by one its old name matched, until the search changed. */
static void
on_filtered_changed (TimConversation *conversation, GParamSpec *pspec, TimConversationList *self)
{
  guint position;

  if (g_ptr_array_find (self->items, conversation, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

static void
track (TimConversationList *self, TimConversation *conversation)
{
  g_signal_connect_object (conversation, "notify::folders", G_CALLBACK (on_filtered_changed), self,
                           0);
  g_signal_connect_object (conversation, "notify::name", G_CALLBACK (on_filtered_changed), self, 0);
  g_signal_connect_object (conversation, "notify::unread-count", G_CALLBACK (on_unread_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::message-remind-type",
                           G_CALLBACK (on_unread_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::marks", G_CALLBACK (on_unread_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
untrack (TimConversationList *self, TimConversation *conversation)
{
  g_signal_handlers_disconnect_by_func (conversation, on_unread_changed, self);
  g_signal_handlers_disconnect_by_func (conversation, on_filtered_changed, self);
}

static void
untrack_all (TimConversationList *self)
{
  for (guint i = 0; i < self->items->len; i++)
    untrack (self, g_ptr_array_index (self->items, i));
}

static void
tim_conversation_list_dispose (GObject *object)
{
  TimConversationList *self = TIM_CONVERSATION_LIST (object);

  if (self->items != NULL)
    untrack_all (self);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (tim_conversation_list_parent_class)->dispose (object);
}

static void
tim_conversation_list_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  TimConversationList *self = TIM_CONVERSATION_LIST (object);

  switch (prop_id)
    {
    case PROP_TOTAL_UNREAD:
      g_value_set_uint (value, self->total_unread);
      break;
    case PROP_MARKED_UNREAD:
      g_value_set_uint (value, self->marked_unread);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items != NULL ? self->items->len : 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_conversation_list_class_init (TimConversationListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tim_conversation_list_dispose;
  object_class->get_property = tim_conversation_list_get_property;

  /* Unread messages of every conversation but the system one (the seed's total). */
  properties[PROP_TOTAL_UNREAD] =
      g_param_spec_uint ("total-unread", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* Conversations marked unread that have no unread message (what a dock's count adds). */
  properties[PROP_MARKED_UNREAD] =
      g_param_spec_uint ("marked-unread", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tim_conversation_list_init (TimConversationList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

TimConversationList *
_tim_conversation_list_new (void)
{
  return g_object_new (TIM_TYPE_CONVERSATION_LIST, NULL);
}

/* ---- ordering ---- */

static int
order_group (TimConversation *conversation)
{
  return (tim_conversation_get_is_pinned (conversation) ? 0 : 2) +
         (tim_conversation_get_last_time (conversation) > 0 ? 0 : 1);
}

static int
compare (TimConversation *a, TimConversation *b)
{
  int group_a = order_group (a), group_b = order_group (b);
  gint64 time_a = tim_conversation_get_last_time (a);
  gint64 time_b = tim_conversation_get_last_time (b);

  if (group_a != group_b)
    return group_a < group_b ? -1 : 1;
  if (time_a != time_b)
    return time_a > time_b ? -1 : 1;
  if (_tim_conversation_get_arrival (a) != _tim_conversation_get_arrival (b))
    return _tim_conversation_get_arrival (a) > _tim_conversation_get_arrival (b) ? -1 : 1;
  return strcmp (tim_conversation_get_id (a), tim_conversation_get_id (b));
}

static int
compare_ptrs (gconstpointer a, gconstpointer b)
{
  return compare (*(TimConversation **) a, *(TimConversation **) b);
}

/* Where @conversation goes in the list as it is now (without it). */
static guint
find_position (TimConversationList *self, TimConversation *conversation)
{
  guint i = 0;

  while (i < self->items->len && compare (g_ptr_array_index (self->items, i), conversation) < 0)
    i++;
  return i;
}

/* ---- counts ---- */

static void
update_total_unread (TimConversationList *self)
{
  guint total = 0, marked = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      TimConversation *conversation = g_ptr_array_index (self->items, i);

      /* As the Web SDK's getTotalUnreadMessageCount: not the group notices, not what is muted. */
      if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_SYSTEM ||
          tim_conversation_get_is_muted (conversation))
        continue;
      total += tim_conversation_get_unread_count (conversation);
      if (tim_conversation_get_unread_count (conversation) == 0 &&
          (tim_conversation_get_marks (conversation) & TIM_CONV_MARK_UNREAD) != 0)
        marked++;
    }
  /* Both are set before either is announced: whoever adds them up (the launcher badge) would
   * otherwise read one new and one old, 0 for a moment when a message comes into a conversation
   * marked unread (its mark no longer counts, its message not yet). */
  g_object_freeze_notify (G_OBJECT (self));
  if (marked != self->marked_unread)
    {
      self->marked_unread = marked;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARKED_UNREAD]);
    }
  if (total != self->total_unread)
    {
      self->total_unread = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_UNREAD]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_unread_changed (TimConversationList *self)
{
  update_total_unread (self);
}

static void
items_changed (TimConversationList *self, guint position, guint removed, guint added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ---- public ---- */

TimConversation *
tim_conversation_list_lookup (TimConversationList *self, const char *conversation_id)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION_LIST (self), NULL);
  g_return_val_if_fail (conversation_id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, conversation_id);
}

guint
tim_conversation_list_get_total_unread (TimConversationList *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION_LIST (self), 0);
  return self->total_unread;
}

guint
tim_conversation_list_get_marked_unread (TimConversationList *self)
{
  g_return_val_if_fail (TIM_IS_CONVERSATION_LIST (self), 0);
  return self->marked_unread;
}

void
_tim_conversation_list_upsert (TimConversationList *self, TimConversation *conversation)
{
  TimConversation *existing;
  g_autoptr (TimConversation) old = NULL;
  guint old_position = 0, position;

  g_return_if_fail (TIM_IS_CONVERSATION_LIST (self));
  g_return_if_fail (TIM_IS_CONVERSATION (conversation));

  existing = g_hash_table_lookup (self->by_id, tim_conversation_get_id (conversation));
  if (existing == NULL)
    {
      position = find_position (self, conversation);
      g_ptr_array_insert (self->items, position, g_object_ref (conversation));
      g_hash_table_replace (self->by_id, (char *) tim_conversation_get_id (conversation),
                            conversation);
      track (self, conversation);
      items_changed (self, position, 0, 1);
      update_total_unread (self);
      return;
    }

  if (!g_ptr_array_find (self->items, existing, &old_position))
    g_return_if_reached ();
  old = g_ptr_array_steal_index (self->items, old_position);
  if (existing != conversation)
    {
      untrack (self, existing);
      track (self, conversation);
      g_hash_table_replace (self->by_id, (char *) tim_conversation_get_id (conversation),
                            conversation);
    }
  position = find_position (self, conversation);

  if (position == old_position || position + 1 == old_position || old_position + 1 == position)
    {
      guint first = MIN (position, old_position);
      guint span = MAX (position, old_position) - first + 1;

      g_ptr_array_insert (self->items, position, g_object_ref (conversation));
      if (position != old_position)
        items_changed (self, first, span, span);
      else if (existing != conversation)
        items_changed (self, position, 1, 1);
    }
  else
    {
      /* A real move: the model must show the removal before the insertion. */
      items_changed (self, old_position, 1, 0);
      g_ptr_array_insert (self->items, position, g_object_ref (conversation));
      items_changed (self, position, 0, 1);
    }
  update_total_unread (self);
}

void
_tim_conversation_list_upsert_arrived (TimConversationList *self, TimConversation *conversation)
{
  g_return_if_fail (TIM_IS_CONVERSATION_LIST (self));
  g_return_if_fail (TIM_IS_CONVERSATION (conversation));

  _tim_conversation_set_arrival (conversation, ++self->arrivals);
  _tim_conversation_list_upsert (self, conversation);
}

void
_tim_conversation_list_remove (TimConversationList *self, const char *conversation_id)
{
  TimConversation *existing;
  guint position;

  g_return_if_fail (TIM_IS_CONVERSATION_LIST (self));
  g_return_if_fail (conversation_id != NULL);

  existing = g_hash_table_lookup (self->by_id, conversation_id);
  if (existing == NULL || !g_ptr_array_find (self->items, existing, &position))
    return;
  untrack (self, existing);
  g_hash_table_remove (self->by_id, conversation_id);
  g_ptr_array_remove_index (self->items, position);
  items_changed (self, position, 1, 0);
  update_total_unread (self);
}

void
_tim_conversation_list_replace_all (TimConversationList *self, GPtrArray *conversations)
{
  g_autoptr (GPtrArray) old_items = NULL;
  guint old_len;

  g_return_if_fail (TIM_IS_CONVERSATION_LIST (self));

  untrack_all (self);
  old_items = g_steal_pointer (&self->items);
  old_len = old_items->len;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_remove_all (self->by_id);

  for (guint i = 0; conversations != NULL && i < conversations->len; i++)
    {
      TimConversation *conversation = g_ptr_array_index (conversations, i);
      TimConversation *previous;

      g_return_if_fail (TIM_IS_CONVERSATION (conversation));
      /* A later entry with the same ID wins. */
      previous = g_hash_table_lookup (self->by_id, tim_conversation_get_id (conversation));
      if (previous != NULL)
        {
          untrack (self, previous);
          g_ptr_array_remove (self->items, previous);
        }
      g_ptr_array_add (self->items, g_object_ref (conversation));
      g_hash_table_replace (self->by_id, (char *) tim_conversation_get_id (conversation),
                            conversation);
      track (self, conversation);
    }
  g_ptr_array_sort (self->items, compare_ptrs);
  items_changed (self, 0, old_len, self->items->len);
  update_total_unread (self);
}
