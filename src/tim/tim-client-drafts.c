/* tim-client-drafts.c: the native SDKs' setConversationDraft: what the user began writing in a
 * conversation and has not sent. As there, a draft stays on this device (the local store) and
 * does not roam. The store holds the drafts; a listed conversation shows its own as
 * TimConversation:draft-text, from when it joins the list. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

gboolean
tim_client_set_conversation_draft (TimClient *self, const char *conversation_id,
                                   const char *draft_text, GError **error)
{
  TimConvType type;
  TimConversation *conversation;

  g_return_val_if_fail (TIM_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (conversation_id != NULL, FALSE);

  type = tim_conv_parse_id (conversation_id, NULL);
  if (type != TIM_CONV_C2C && type != TIM_CONV_GROUP)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID,
                   _ ("“%s” is not a conversation ID"), conversation_id);
      return FALSE;
    }
  if (self->store == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN,
                           tim_error_text (TIM_ERROR_NOT_LOGGED_IN));
      return FALSE;
    }
  if (draft_text != NULL && !g_utf8_validate (draft_text, -1, NULL))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           _ ("A draft must be UTF-8 text"));
      return FALSE;
    }
  if (draft_text != NULL && strlen (draft_text) > TIM_DRAFT_MAX_BYTES)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("A draft may hold at most %d bytes"), TIM_DRAFT_MAX_BYTES);
      return FALSE;
    }
  if (!tim_local_store_set_draft (self->store, conversation_id, draft_text, error))
    return FALSE;
  conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
  if (conversation != NULL)
    _tim_conversation_set_draft_text (conversation, draft_text);
  return TRUE;
}

char *
tim_client_dup_conversation_draft (TimClient *self, const char *conversation_id)
{
  TimConversation *conversation;
  char *stored;

  g_return_val_if_fail (TIM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (conversation_id != NULL, NULL);

  conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
  if (conversation != NULL)
    return g_strdup (tim_conversation_get_draft_text (conversation));
  stored = self->store != NULL ? tim_local_store_load_draft (self->store, conversation_id) : NULL;
  return stored != NULL ? stored : g_strdup ("");
}

void
_tim_client_take_draft (TimClient *self, TimConversation *conversation)
{
  g_autofree char *stored = NULL;

  if (self->store == NULL)
    return;
  stored = tim_local_store_load_draft (self->store, tim_conversation_get_id (conversation));
  _tim_conversation_set_draft_text (conversation, stored);
}

void
_tim_client_take_drafts (TimClient *self, GPtrArray *conversations)
{
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) drafts = NULL;

  if (self->store == NULL)
    return;
  for (guint i = 0; i < conversations->len; i++)
    g_hash_table_insert (by_id, (gpointer) tim_conversation_get_id (conversations->pdata[i]),
                         conversations->pdata[i]);
  drafts = tim_local_store_load_drafts (self->store);
  for (guint i = 0; i < drafts->len; i++)
    {
      TimConversation *conversation =
          g_hash_table_lookup (by_id, tim_json_get_string (drafts->pdata[i], "id"));

      if (conversation != NULL)
        _tim_conversation_set_draft_text (conversation,
                                          tim_json_get_string (drafts->pdata[i], "text"));
    }
}
