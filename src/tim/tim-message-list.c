/* tim-message-list.c: the messages of one conversation as a GListModel, oldest first, one item
 * (a slot, see tim-message-list-held.c) per message ID: the model, its appends, removals and the
 * pages put on top. Older pages come from the loader the client gives at construction (the seed's
 * getMessageList with nextReqMessageID = our oldest message's ID), loaded in
 * tim-message-list-load.c. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include "tim-message-list-private.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TimMessageList, tim_message_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
list_get_item_type (GListModel *model)
{
  return TIM_TYPE_MESSAGE;
}

static guint
list_get_n_items (GListModel *model)
{
  TimMessageList *self = TIM_MESSAGE_LIST (model);

  return self->items != NULL ? self->items->len : 0;
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  TimMessageList *self = TIM_MESSAGE_LIST (model);

  if (self->items == NULL || position >= self->items->len)
    return NULL;
  return g_object_ref (
      _tim_message_list_slot_get_message (self, g_ptr_array_index (self->items, position)));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
tim_message_list_dispose (GObject *object)
{
  TimMessageList *self = TIM_MESSAGE_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_queue_init (&self->held); /* the links are in the slots */
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (tim_message_list_parent_class)->dispose (object);
}

static void
tim_message_list_finalize (GObject *object)
{
  TimMessageList *self = TIM_MESSAGE_LIST (object);

  /* A load in flight holds a reference, so nobody can be waiting here. */
  g_warn_if_fail (self->waiters->len == 0);
  g_ptr_array_unref (self->waiters);
  g_free (self->conversation_id);

  G_OBJECT_CLASS (tim_message_list_parent_class)->finalize (object);
}

static void
tim_message_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimMessageList *self = TIM_MESSAGE_LIST (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION_ID:
      g_value_set_string (value, self->conversation_id);
      break;
    case PROP_IS_COMPLETED:
      g_value_set_boolean (value, self->is_completed);
      break;
    case PROP_IS_LOADING:
      g_value_set_boolean (value, self->is_loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, list_get_n_items (G_LIST_MODEL (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tim_message_list_class_init (TimMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tim_message_list_dispose;
  object_class->finalize = tim_message_list_finalize;
  object_class->get_property = tim_message_list_get_property;

  properties[PROP_CONVERSATION_ID] =
      g_param_spec_string ("conversation-id", NULL, NULL, NULL, flags);
  properties[PROP_IS_COMPLETED] = g_param_spec_boolean ("is-completed", NULL, NULL, FALSE, flags);
  properties[PROP_IS_LOADING] = g_param_spec_boolean ("is-loading", NULL, NULL, FALSE, flags);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tim_message_list_init (TimMessageList *self)
{
  self->items = g_ptr_array_new_with_free_func (_tim_message_list_slot_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->held);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

TimMessageList *
_tim_message_list_new (const char *conversation_id, TimMessageListLoader loader,
                       TimMessageListLoaderFinish loader_finish, gpointer loader_data)
{
  TimMessageList *self = g_object_new (TIM_TYPE_MESSAGE_LIST, NULL);

  self->conversation_id = g_strdup (conversation_id);
  self->loader = loader;
  self->loader_finish = loader_finish;
  self->loader_data = loader_data;
  return self;
}

gpointer
_tim_message_list_get_loader_data (TimMessageList *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), NULL);
  return self->loader_data;
}

void
_tim_message_list_detach (TimMessageList *self)
{
  g_return_if_fail (TIM_IS_MESSAGE_LIST (self));

  /* Nothing let go of from now on (max_held 0), and what was is read back while it can be: the
   * loader's data is the client, which may be freed right after. */
  self->max_held = 0;
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      TimMessageListSlot *slot = g_ptr_array_index (self->items, i);

      if (slot->message == NULL && self->reload != NULL)
        _tim_message_list_slot_get_message (self, slot);
    }
  self->reload = NULL;
  self->can_reload = NULL;
  self->loader = NULL;
  self->loader_data = NULL;
  self->is_detached = TRUE;
  /* A load in flight was the client's: its page, if it comes, is dropped (on_page_loaded ()). */
  g_cancellable_cancel (self->cancellable);
}

const char *
tim_message_list_get_conversation_id (TimMessageList *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), NULL);
  return self->conversation_id;
}

gboolean
tim_message_list_get_is_completed (TimMessageList *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), FALSE);
  return self->is_completed;
}

gboolean
tim_message_list_get_is_loading (TimMessageList *self)
{
  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), FALSE);
  return self->is_loading;
}

TimMessage *
tim_message_list_lookup (TimMessageList *self, const char *message_id)
{
  TimMessageListSlot *slot;

  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  slot = self->by_id != NULL ? g_hash_table_lookup (self->by_id, message_id) : NULL;
  return slot != NULL ? _tim_message_list_slot_get_message (self, slot) : NULL;
}

void
_tim_message_list_set_boolean (TimMessageList *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
items_changed (TimMessageList *self, guint position, guint removed, guint added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* A new slot holding @message, unless its ID is already here (NULL then). */
static TimMessageListSlot *
claim_id (TimMessageList *self, TimMessage *message)
{
  const char *id = tim_message_get_id (message);
  TimMessageListSlot *slot;

  if (id == NULL || g_hash_table_contains (self->by_id, id))
    return NULL;
  slot = _tim_message_list_slot_new (message);
  g_hash_table_insert (self->by_id, slot->id, slot);
  slot->message = g_object_ref (message);
  g_queue_push_head_link (&self->held, &slot->link);
  return slot;
}

gboolean
_tim_message_list_append (TimMessageList *self, TimMessage *message)
{
  TimMessageListSlot *slot;

  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), FALSE);
  g_return_val_if_fail (TIM_IS_MESSAGE (message), FALSE);

  if (self->items == NULL || (slot = claim_id (self, message)) == NULL)
    return FALSE;
  g_ptr_array_add (self->items, slot);
  _tim_message_list_trim_held (self);
  items_changed (self, self->items->len - 1, 0, 1);
  return TRUE;
}

void
_tim_message_list_rename (TimMessageList *self, const char *old_id, const char *new_id)
{
  TimMessageListSlot *slot;

  g_return_if_fail (TIM_IS_MESSAGE_LIST (self));

  slot = self->by_id != NULL ? g_hash_table_lookup (self->by_id, old_id) : NULL;
  if (slot == NULL || g_hash_table_contains (self->by_id, new_id))
    return;
  g_hash_table_remove (self->by_id, old_id);
  g_free (slot->id);
  slot->id = g_strdup (new_id);
  g_hash_table_insert (self->by_id, slot->id, slot);
}

gboolean
_tim_message_list_remove (TimMessageList *self, const char *message_id)
{
  TimMessageListSlot *slot;
  guint position;

  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), FALSE);

  slot = self->by_id != NULL && message_id != NULL ? g_hash_table_lookup (self->by_id, message_id)
                                                   : NULL;
  if (slot == NULL || !g_ptr_array_find (self->items, slot, &position))
    return FALSE;
  if (slot->message != NULL)
    g_queue_unlink (&self->held, &slot->link);
  g_hash_table_remove (self->by_id, slot->id);
  g_ptr_array_remove_index (self->items, position); /* frees the slot */
  items_changed (self, position, 1, 0);
  return TRUE;
}

/* Whether a message the server ordered at seq or before is cleared by a clearing up to
 * server_seq: what it has not ordered (still being sent, or refused) stays, as it stays in the
 * store, whose rows of it sort after every server sequence. */
static gboolean
is_cleared (gint64 seq, gint64 server_seq)
{
  return seq > 0 && seq <= server_seq;
}

guint
_tim_message_list_remove_up_to (TimMessageList *self, gint64 server_seq)
{
  GPtrArray *items;
  guint count = 0, kept = 0;

  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), 0);

  /* The list is in the server's order, but what is not yet acknowledged is where it was put in:
   * a message sent, then one that came. From the newest back to the last one cleared: what is
   * after it stays. */
  for (guint i = self->items != NULL ? self->items->len : 0; i > 0 && count == 0; i--)
    {
      TimMessage *message = _tim_message_list_slot_get_message (self, self->items->pdata[i - 1]);

      if (message != NULL && is_cleared (tim_message_get_server_seq (message), server_seq))
        count = i;
    }
  if (count == 0)
    return 0;
  /* Before it, what the server did not order stays too (in its order, first): taking the whole
   * run left the list without a message the store keeps, one still being sent never shown when
   * acknowledged. One items-changed all the same. */
  items = g_ptr_array_new_full (self->items->len, _tim_message_list_slot_free);
  for (guint i = 0; i < count; i++)
    {
      TimMessageListSlot *slot = self->items->pdata[i];
      TimMessage *message = _tim_message_list_slot_get_message (self, slot);

      if (message != NULL && !is_cleared (tim_message_get_server_seq (message), server_seq))
        {
          g_ptr_array_add (items, slot);
          kept++;
          continue;
        }
      if (slot->message != NULL)
        g_queue_unlink (&self->held, &slot->link);
      g_hash_table_remove (self->by_id, slot->id);
      _tim_message_list_slot_free (slot);
    }
  for (guint i = count; i < self->items->len; i++)
    g_ptr_array_add (items, self->items->pdata[i]);
  g_ptr_array_set_free_func (self->items, NULL);
  g_ptr_array_unref (self->items);
  self->items = items;
  items_changed (self, 0, count, kept);
  return count - kept;
}

guint
_tim_message_list_append_many (TimMessageList *self, GPtrArray *messages)
{
  guint first, added;

  g_return_val_if_fail (TIM_IS_MESSAGE_LIST (self), 0);

  if (self->items == NULL || messages == NULL)
    return 0;
  first = self->items->len;
  for (guint i = 0; i < messages->len; i++)
    {
      TimMessage *message = g_ptr_array_index (messages, i);
      TimMessageListSlot *slot;

      g_return_val_if_fail (TIM_IS_MESSAGE (message), self->items->len - first);
      if ((slot = claim_id (self, message)) != NULL)
        g_ptr_array_add (self->items, slot);
    }
  _tim_message_list_trim_held (self);
  added = self->items->len - first;
  if (added > 0)
    items_changed (self, first, 0, added);
  return added;
}

void
_tim_message_list_prepend_page (TimMessageList *self, GPtrArray *older_oldest_first,
                                gboolean is_completed)
{
  GPtrArray *items;
  guint added;

  g_return_if_fail (TIM_IS_MESSAGE_LIST (self));

  if (self->items == NULL)
    return;
  items =
      g_ptr_array_new_full (self->items->len + (older_oldest_first ? older_oldest_first->len : 0),
                            _tim_message_list_slot_free);
  for (guint i = 0; older_oldest_first != NULL && i < older_oldest_first->len; i++)
    {
      TimMessage *message = g_ptr_array_index (older_oldest_first, i);
      TimMessageListSlot *slot;

      if (TIM_IS_MESSAGE (message) && (slot = claim_id (self, message)) != NULL)
        g_ptr_array_add (items, slot);
    }
  added = items->len;
  if (added > 0)
    {
      /* Move our slots behind the new page rather than inserting one at a time. */
      for (guint i = 0; i < self->items->len; i++)
        g_ptr_array_add (items, g_ptr_array_index (self->items, i));
      g_ptr_array_set_free_func (self->items, NULL);
      g_ptr_array_unref (self->items);
      self->items = items;
      _tim_message_list_trim_held (self);
      items_changed (self, 0, 0, added);
    }
  else
    g_ptr_array_unref (items);
  _tim_message_list_set_boolean (self, &self->is_completed, is_completed, PROP_IS_COMPLETED);
}
