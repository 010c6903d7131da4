/* timchat-composer-drafts.c: a draft kept per conversation, in memory while the app runs and in
 * a small key file (group: the account's user ID; key: conversation ID) across restarts. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <errno.h>

#include "timchat-composer-private.h"

static const char *
drafts_group (TimchatComposer *self)
{
  const char *user = self->client != NULL ? tim_client_get_user (self->client) : NULL;
  return user != NULL ? user : "default";
}

static void
keep_draft (TimchatComposer *self, const char *conversation_id, const char *text)
{
  g_autofree char *dir = NULL;
  g_autoptr (GError) error = NULL;

  if (_timchat_composer_is_blank (text))
    {
      if (!g_key_file_remove_key (self->drafts, drafts_group (self), conversation_id, NULL))
        return;
    }
  else
    g_key_file_set_string (self->drafts, drafts_group (self), conversation_id, text);

  dir = g_path_get_dirname (self->drafts_path);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_key_file_save_to_file (self->drafts, self->drafts_path, &error))
    g_debug ("Could not keep the drafts in %s: %s", self->drafts_path,
             error != NULL ? error->message : g_strerror (errno));
}

void
_timchat_composer_save_draft (TimchatComposer *self)
{
  g_autofree char *text = NULL;

  if (self->conversation_id == NULL)
    return;
  /* In edit mode the text is the edit: the draft is what was typed before it. */
  text = self->editing != NULL ? g_strdup (self->kept_draft) : timchat_composer_dup_text (self);
  /* Another window of this account may have saved drafts since. */
  g_key_file_load_from_file (self->drafts, self->drafts_path, G_KEY_FILE_NONE, NULL);
  keep_draft (self, self->conversation_id, text);
}

void
_timchat_composer_add_to_draft (TimchatComposer *self, const char *conversation_id,
                                const char *text)
{
  g_autofree char *draft = NULL;
  g_autofree char *both = NULL;

  g_key_file_load_from_file (self->drafts, self->drafts_path, G_KEY_FILE_NONE, NULL);
  draft = g_key_file_get_string (self->drafts, drafts_group (self), conversation_id, NULL);
  both = _timchat_composer_join_lines (draft, text);
  keep_draft (self, conversation_id, both);
}

char *
_timchat_composer_join_lines (const char *first, const char *second)
{
  if (first == NULL || *first == '\0')
    return g_strdup (second != NULL ? second : "");
  if (second == NULL || *second == '\0')
    return g_strdup (first);
  return g_strconcat (first, "\n", second, NULL);
}

char *
_timchat_composer_load_draft (TimchatComposer *self)
{
  char *text =
      g_key_file_get_string (self->drafts, drafts_group (self), self->conversation_id, NULL);
  return text != NULL ? text : g_strdup ("");
}
