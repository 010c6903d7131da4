/* timchat-store-relay.c: the storage interface's merged messages' lists; each goes to the
 * engine's vfunc, and a saved list keeps the uploads it mentions, as a message does. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <string.h>

#include "timchat-store-private.h"
#include "timchat-upload.h"

gboolean
timchat_store_save_relay_list (TimchatStore *self, const char *key, const char *owner,
                               gint64 created, const char *msg_list, GError **error)
{
  g_auto (GStrv) files = NULL;
  g_auto (GStrv) keys = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && owner != NULL && msg_list != NULL, FALSE);
  /* The files first, as for a message: should the list then fail, they are only kept longer. A
   * mention, so that recalling the message the list copied does not remove what it shows. */
  files = timchat_uploads_names_in_text (msg_list);
  if (files != NULL && !TIMCHAT_STORE_GET_CLASS (self)->keep_files (
                           self, (const char *const *) files, created, TRUE, error))
    return FALSE;
  /* The lists inside it too, as a message keeps its own: they stay while this list names them,
   * and go with it when it goes (a recall of its last message). */
  keys = _timchat_relay_keys_in_text (msg_list);
  if (keys != NULL && !TIMCHAT_STORE_GET_CLASS (self)->keep_relay_lists (
                          self, (const char *const *) keys, created, error))
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

#define KEY_MEMBER "\"JsonMsgKey\":\""

/* Our bodies and lists are written compactly (tim_json_to_string ()), so a key is always this
 * member followed by its value; a value that is not a key of ours ([0-9a-z], 64 at most) names
 * no list and is left out. */
GStrv
_timchat_relay_keys_in_text (const char *text)
{
  g_autoptr (GStrvBuilder) keys = NULL;
  guint n = 0;

  for (const char *at = text != NULL ? strstr (text, KEY_MEMBER) : NULL; at != NULL;
       at = strstr (at, KEY_MEMBER))
    {
      gsize length;

      at += strlen (KEY_MEMBER);
      length = strspn (at, "0123456789abcdefghijklmnopqrstuvwxyz");
      if (length == 0 || length > 64 || at[length] != '"')
        continue;
      if (keys == NULL)
        keys = g_strv_builder_new ();
      {
        g_autofree char *key = g_strndup (at, length);

        g_strv_builder_add (keys, key);
      }
      n++;
    }
  return n > 0 ? g_strv_builder_end (keys) : NULL;
}
