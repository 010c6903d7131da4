/* timchat-store-relay.c: the storage interface's merged messages' lists; each goes to the
 * engine's vfunc, and a saved list keeps the uploads it mentions, as a message does. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-private.h"
#include "timchat-upload.h"

gboolean
timchat_store_save_relay_list (TimchatStore *self, const char *key, const char *owner,
                               gint64 created, const char *msg_list, GError **error)
{
  g_auto (GStrv) files = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && owner != NULL && msg_list != NULL, FALSE);
  /* The files first, as for a message: should the list then fail, they are only kept longer. A
   * mention, so that recalling the message the list copied does not remove what it shows. */
  files = timchat_uploads_names_in_text (msg_list);
  if (files != NULL && !TIMCHAT_STORE_GET_CLASS (self)->keep_files (
                           self, (const char *const *) files, created, TRUE, error))
    return FALSE;
  return TIMCHAT_STORE_GET_CLASS (self)->save_relay_list (self, key, owner, created, msg_list,
                                                          error);
}

char *
timchat_store_get_relay_list (TimchatStore *self, const char *key)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->get_relay_list (self, key);
}

gboolean
timchat_store_use_relay_list (TimchatStore *self, const char *key, gint64 time, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->use_relay_list (self, key, time, error);
}
