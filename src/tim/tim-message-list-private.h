/* tim-message-list-private.h: what the files of TimMessageList share (tim-message-list.c: the
 * model, appends and pages; tim-message-list-load.c: loading older pages;
 * tim-message-list-held.c: which messages stay in memory). */
#pragma once

#include "tim-message-list.h"
#include "tim-message-private.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  TimMessage *message; /* owned while held, else NULL */
  GList link;          /* in held while message != NULL; data points back to the slot */
} TimMessageListSlot;

struct _TimMessageList
{
  GObject parent_instance;

  char *conversation_id;
  GPtrArray *items;  /* TimMessageListSlot, owned, oldest first */
  GHashTable *by_id; /* message ID (the slot's) -> TimMessageListSlot */
  GQueue held;       /* slots holding their message, most recently used first */
  guint max_held;    /* 0: hold everything (no reload) */
  TimMessageListReload reload;
  TimMessageListCanReload can_reload;
  gboolean is_completed;
  gboolean is_loading;
  gboolean is_detached;     /* _tim_message_list_detach () */
  guint generation;         /* bumped by each reload */
  guint loading_generation; /* the generation the load in flight was started for */

  TimMessageListLoader loader;
  TimMessageListLoaderFinish loader_finish;
  gpointer loader_data;
  GPtrArray *waiters; /* GTask of every load_older call the load in flight will answer */
  GCancellable *cancellable;
};

/* The properties, for the files that make up the class (tim-message-list.c,
 * tim-message-list-load.c). */
typedef enum
{
  PROP_0,
  PROP_CONVERSATION_ID,
  PROP_IS_COMPLETED,
  PROP_IS_LOADING,
  PROP_N_ITEMS,
  N_PROPS
} TimMessageListProp;

/* Sets *field to value and notifies prop (a TimMessageListProp), only when they differ. */
void _tim_message_list_set_boolean (TimMessageList *self, gboolean *field, gboolean value,
                                    guint prop);

TimMessageListSlot *_tim_message_list_slot_new (TimMessage *message);
void _tim_message_list_slot_free (gpointer slot);
/* Lets go of the least recently used messages beyond max_held (those that can be reloaded). */
void _tim_message_list_trim_held (TimMessageList *self);
/* The slot's message, reloaded if it was let go of, now the most recently used. (transfer none:
 * held by the slot) */
TimMessage *_tim_message_list_slot_get_message (TimMessageList *self, TimMessageListSlot *slot);

G_END_DECLS
