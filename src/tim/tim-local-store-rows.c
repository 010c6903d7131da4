/* tim-local-store-rows.c: the local store's rows: messages, conversations, drafts, the outbox (and
 * its end of a send), key/value. Each call runs a statement of tim-local-store-statements.c, or
 * two in one transaction; kept apart from tim-local-store.c (opening, the schema, transactions,
 * the search index's upkeep), which none of them needs to read. */
#define G_LOG_DOMAIN "tim-local-store"

#include "config.h"

#include <sqlite3.h>

#include "tim-local-store-private.h"

/* ---------------------------------------------------------------------------------------------- */
/* Messages                                                                                       */

gboolean
tim_local_store_save_message (TimLocalStore *self, const char *conversation_id,
                              const char *message_id, gint64 sort_key, JsonObject *record,
                              GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id && message_id && record,
                        FALSE);

  return _tim_local_store_run (self, STMT_SAVE_MESSAGE, error, "ssij", message_id, conversation_id,
                               sort_key, record);
}

GPtrArray *
tim_local_store_load_messages (TimLocalStore *self, const char *conversation_id,
                               gint64 before_sort_key, guint limit)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL, NULL);

  return _tim_local_store_query (
      self, STMT_LOAD_MESSAGES, COLUMN_JSON, G_MAXUINT, "sii", conversation_id,
      before_sort_key == 0 ? G_MAXINT64 : before_sort_key, (gint64) limit);
}

GPtrArray *
tim_local_store_search_messages (TimLocalStore *self, const char *conversation_id, const char *text,
                                 guint limit)
{
  g_autoptr (GString) pattern = g_string_new ("%");

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && text != NULL, NULL);

  /* What is typed is matched as it is: LIKE's wildcards (and the escape) are escaped. */
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return _tim_local_store_query (self, STMT_SEARCH_MESSAGES, COLUMN_JSON, G_MAXUINT, "ssi",
                                 pattern->str, conversation_id, (gint64) limit);
}

JsonObject *
tim_local_store_load_message (TimLocalStore *self, const char *message_id)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && message_id != NULL, NULL);

  return _tim_local_store_query_one (self, STMT_LOAD_MESSAGE, COLUMN_JSON, message_id);
}

JsonObject *
tim_local_store_find_message (TimLocalStore *self, const char *conversation_id, gint64 sequence,
                              gint64 random)
{
  g_autoptr (GPtrArray) rows = NULL;

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL, NULL);

  rows = _tim_local_store_query (self, STMT_FIND_MESSAGE, COLUMN_JSON, 1, "sii", conversation_id,
                                 sequence, random);
  return rows->len > 0 ? g_ptr_array_steal_index (rows, 0) : NULL;
}

guint
tim_local_store_count_messages (TimLocalStore *self, const char *conversation_id)
{
  g_autofree gint64 *count = NULL;

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL, 0);

  count = _tim_local_store_query_one (self, STMT_COUNT_MESSAGES, COLUMN_INT, conversation_id);
  return count ? (guint) *count : 0;
}

gboolean
tim_local_store_delete_message (TimLocalStore *self, const char *message_id, GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && message_id != NULL, FALSE);

  return _tim_local_store_run (self, STMT_DELETE_MESSAGE, error, "s", message_id);
}

gboolean
tim_local_store_delete_messages_up_to (TimLocalStore *self, const char *conversation_id,
                                       gint64 max_sort_key, GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL, FALSE);

  return _tim_local_store_run (self, STMT_DELETE_MESSAGES_UP_TO, error, "si", conversation_id,
                               max_sort_key);
}

/* ---------------------------------------------------------------------------------------------- */
/* Conversations                                                                                  */

gboolean
tim_local_store_save_conversation (TimLocalStore *self, const char *conversation_id,
                                   JsonObject *record, GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL && record != NULL,
                        FALSE);

  return _tim_local_store_run (self, STMT_SAVE_CONVERSATION, error, "sj", conversation_id, record);
}

gboolean
tim_local_store_delete_conversation (TimLocalStore *self, const char *conversation_id,
                                     GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL, FALSE);

  return _tim_local_store_run (self, STMT_DELETE_CONVERSATION, error, "s", conversation_id);
}

GPtrArray *
tim_local_store_load_conversations (TimLocalStore *self)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self), NULL);

  return _tim_local_store_query (self, STMT_LOAD_CONVERSATIONS, COLUMN_JSON, G_MAXUINT, "");
}

/* ---------------------------------------------------------------------------------------------- */
/* Drafts                                                                                         */

gboolean
tim_local_store_set_draft (TimLocalStore *self, const char *conversation_id, const char *text,
                           GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL, FALSE);

  if (text == NULL || *text == '\0')
    return _tim_local_store_run (self, STMT_DELETE_DRAFT, error, "s", conversation_id);
  return _tim_local_store_run (self, STMT_SET_DRAFT, error, "ss", conversation_id, text);
}

char *
tim_local_store_load_draft (TimLocalStore *self, const char *conversation_id)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && conversation_id != NULL, NULL);

  return _tim_local_store_query_one (self, STMT_LOAD_DRAFT, COLUMN_STRING, conversation_id);
}

GPtrArray *
tim_local_store_load_drafts (TimLocalStore *self)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self), NULL);

  return _tim_local_store_query (self, STMT_LOAD_DRAFTS, COLUMN_JSON, G_MAXUINT, "");
}

/* ---------------------------------------------------------------------------------------------- */
/* Outbox                                                                                         */

gboolean
tim_local_store_outbox_add (TimLocalStore *self, const char *message_id,
                            const char *conversation_id, JsonObject *options, GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && message_id && conversation_id, FALSE);

  return _tim_local_store_run (self, STMT_OUTBOX_ADD, error, "ssj", message_id, conversation_id,
                               options);
}

gboolean
tim_local_store_outbox_remove (TimLocalStore *self, const char *message_id, GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && message_id != NULL, FALSE);

  return _tim_local_store_run (self, STMT_OUTBOX_REMOVE, error, "s", message_id);
}

typedef struct
{
  const char *message_id, *conversation_id;
  gint64 sort_key;
  JsonObject *record;
} Completion;

static gboolean
complete_send (TimLocalStore *self, gpointer user_data, GError **error)
{
  Completion *completion = user_data;

  return _tim_local_store_run (self, STMT_OUTBOX_REMOVE, error, "s", completion->message_id) &&
         tim_local_store_save_message (self, completion->conversation_id, completion->message_id,
                                       completion->sort_key, completion->record, error);
}

gboolean
tim_local_store_outbox_complete (TimLocalStore *self, const char *message_id,
                                 const char *conversation_id, gint64 sort_key, JsonObject *record,
                                 GError **error)
{
  Completion completion = { message_id, conversation_id, sort_key, record };

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && message_id && conversation_id && record,
                        FALSE);

  return tim_local_store_run_in_transaction (self, complete_send, &completion, error);
}

typedef struct
{
  const char *old_id, *new_id;
  JsonObject *record;
} Renaming;

static gboolean
rename_queued (TimLocalStore *self, gpointer user_data, GError **error)
{
  Renaming *renaming = user_data;

  return _tim_local_store_run (self, STMT_RENAME_MESSAGE, error, "ssj", renaming->old_id,
                               renaming->new_id, renaming->record) &&
         _tim_local_store_run (self, STMT_OUTBOX_RENAME, error, "ss", renaming->old_id,
                               renaming->new_id);
}

gboolean
tim_local_store_outbox_rename (TimLocalStore *self, const char *old_id, const char *new_id,
                               JsonObject *record, GError **error)
{
  Renaming renaming = { old_id, new_id, record };

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && old_id && new_id && record, FALSE);

  return tim_local_store_run_in_transaction (self, rename_queued, &renaming, error);
}

typedef struct
{
  gint64 min_sort_key;
  int code;
  const char *text;
  gint changed;
} Orphans;

static gboolean
fail_orphans (TimLocalStore *self, gpointer user_data, GError **error)
{
  Orphans *orphans = user_data;

  if (!_tim_local_store_run (self, STMT_FAIL_ORPHANS, error, "iis", orphans->min_sort_key,
                             (gint64) orphans->code, orphans->text))
    return FALSE;
  orphans->changed = sqlite3_changes (self->db);
  return _tim_local_store_run (self, STMT_FAIL_ORPHAN_LASTS, error, "is", (gint64) orphans->code,
                               orphans->text);
}

gint
tim_local_store_fail_unsent_orphans (TimLocalStore *self, gint64 min_sort_key, int code,
                                     const char *text, GError **error)
{
  Orphans orphans = { min_sort_key, code, text, 0 };

  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && text != NULL, -1);

  if (!tim_local_store_run_in_transaction (self, fail_orphans, &orphans, error))
    return -1;
  return orphans.changed;
}

GPtrArray *
tim_local_store_outbox_list (TimLocalStore *self)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self), NULL);

  return _tim_local_store_query (self, STMT_OUTBOX_LIST, COLUMN_STRING, G_MAXUINT, "");
}

JsonObject *
tim_local_store_outbox_get_options (TimLocalStore *self, const char *message_id)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && message_id != NULL, NULL);

  return _tim_local_store_query_one (self, STMT_OUTBOX_OPTIONS, COLUMN_JSON, message_id);
}

/* ---------------------------------------------------------------------------------------------- */
/* Key/value                                                                                      */

char *
tim_local_store_get_value (TimLocalStore *self, const char *key)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && key != NULL, NULL);

  return _tim_local_store_query_one (self, STMT_GET_VALUE, COLUMN_STRING, key);
}

/* A NULL value removes the key. */
gboolean
tim_local_store_set_value (TimLocalStore *self, const char *key, const char *value, GError **error)
{
  g_return_val_if_fail (TIM_IS_LOCAL_STORE (self) && key != NULL, FALSE);

  if (value == NULL)
    return _tim_local_store_run (self, STMT_DELETE_VALUE, error, "s", key);
  return _tim_local_store_run (self, STMT_SET_VALUE, error, "ss", key, value);
}
