/* timchat-composer-drafts.c: a draft kept per conversation by libtim
 * (tim_client_set_conversation_draft (): on this device, across restarts, and shown in the
 * conversation list). It is kept when another conversation opens, when the composer goes, and
 * a moment after typing pauses, so a crash loses little. Drafts that earlier versions kept in
 * a key file move into libtim the first time their account opens a conversation. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tim-error.h"
#include "timchat-composer-private.h"

/* Long enough not to write on every key; short enough that a crash loses a sentence at most. */
#define SAVE_AFTER_PAUSE_MS 1500

static void
keep_draft (TimchatComposer *self, const char *conversation_id, const char *text)
{
  g_autoptr (GError) error = NULL;

  if (self->client == NULL)
    return;
  if (tim_client_set_conversation_draft (self->client, conversation_id,
                                         _timchat_composer_is_blank (text) ? NULL : text, &error))
    return;
  /* Logged out meanwhile (a pause timer after the logout): nothing the user can act on. */
  if (g_error_matches (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN))
    g_debug ("Draft not kept: %s", error->message);
  else
    _timchat_composer_show_error (self, error);
}

void
_timchat_composer_save_draft (TimchatComposer *self)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->draft_save_timeout, g_source_remove);
  if (self->conversation_id == NULL)
    return;
  /* In edit mode the text is the edit: the draft is what was typed before it. */
  text = self->editing != NULL ? g_strdup (self->kept_draft) : timchat_composer_dup_text (self);
  keep_draft (self, self->conversation_id, text);
}

void
_timchat_composer_add_to_draft (TimchatComposer *self, const char *conversation_id,
                                const char *text)
{
  g_autofree char *draft = NULL;
  g_autofree char *both = NULL;

  if (self->client == NULL)
    return;
  draft = tim_client_dup_conversation_draft (self->client, conversation_id);
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

/* Versions before drafts were libtim's kept them in ~/.config/timchat/drafts.ini (group: the
 * account's user ID; key: conversation ID). Each moves over unless libtim has one for that
 * conversation already; the file goes when its last account has moved. */
static void
import_key_file (TimchatComposer *self)
{
  g_autofree char *path =
      g_build_filename (g_get_user_config_dir (), "timchat", "drafts.ini", NULL);
  g_autoptr (GKeyFile) drafts = g_key_file_new ();
  g_auto (GStrv) conversation_ids = NULL;
  g_auto (GStrv) left = NULL;
  g_auto (GStrv) groups = NULL;
  g_autoptr (GError) error = NULL;
  const char *user = tim_client_get_user (self->client);

  if (user == NULL || !g_key_file_load_from_file (drafts, path, G_KEY_FILE_NONE, NULL) ||
      (conversation_ids = g_key_file_get_keys (drafts, user, NULL, NULL)) == NULL)
    return;
  for (guint i = 0; conversation_ids[i] != NULL; i++)
    {
      g_autofree char *text = g_key_file_get_string (drafts, user, conversation_ids[i], NULL);
      g_autofree char *kept = tim_client_dup_conversation_draft (self->client, conversation_ids[i]);

      /* One that cannot move (the disk is full) stays in the file for the next time. */
      if (*kept == '\0' && text != NULL &&
          !tim_client_set_conversation_draft (self->client, conversation_ids[i], text, NULL))
        continue;
      g_key_file_remove_key (drafts, user, conversation_ids[i], NULL);
    }
  left = g_key_file_get_keys (drafts, user, NULL, NULL);
  if (left == NULL || left[0] == NULL)
    g_key_file_remove_group (drafts, user, NULL);
  groups = g_key_file_get_groups (drafts, NULL);
  if (groups[0] == NULL)
    {
      if (g_remove (path) != 0)
        g_debug ("Could not remove %s: %s", path, g_strerror (errno));
    }
  else if (!g_key_file_save_to_file (drafts, path, &error))
    g_debug ("Could not update %s: %s", path, error->message);
}

char *
_timchat_composer_load_draft (TimchatComposer *self)
{
  if (self->client == NULL)
    return g_strdup ("");
  import_key_file (self);
  return tim_client_dup_conversation_draft (self->client, self->conversation_id);
}

static gboolean
save_after_pause (gpointer user_data)
{
  TimchatComposer *self = user_data;

  self->draft_save_timeout = 0;
  _timchat_composer_save_draft (self);
  return G_SOURCE_REMOVE;
}

static void
on_changed (TimchatComposer *self)
{
  if (self->program_sets_text || self->conversation_id == NULL)
    return;
  g_clear_handle_id (&self->draft_save_timeout, g_source_remove);
  self->draft_save_timeout = g_timeout_add (SAVE_AFTER_PAUSE_MS, save_after_pause, self);
}

void
_timchat_composer_drafts_init (TimchatComposer *self)
{
  g_signal_connect_object (_timchat_composer_get_buffer (self), "changed", G_CALLBACK (on_changed),
                           self, G_CONNECT_SWAPPED);
}
