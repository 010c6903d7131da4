/* timchat-composer-typing.c: the peer of a one-to-one conversation sees "typing…" while the user
 * types there (libtim throttles the notices and sends "stopped" once). Only the user's own
 * changes count: a draft coming back, an edit filling the text or a failed send returning it
 * (program_sets_text) are not typing, and neither is editing a sent message. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-composer-private.h"

static void
on_changed (TimchatComposer *self)
{
  g_autofree char *text = NULL;

  if (self->program_sets_text || self->client == NULL || self->conversation_id == NULL)
    return;
  text = timchat_composer_dup_text (self);
  tim_client_set_typing (self->client, self->conversation_id,
                         self->editing == NULL && !_timchat_composer_is_blank (text));
}

void
_timchat_composer_typing_init (TimchatComposer *self)
{
  g_signal_connect_object (_timchat_composer_get_buffer (self), "changed", G_CALLBACK (on_changed),
                           self, G_CONNECT_SWAPPED);
}

void
_timchat_composer_typing_stop (TimchatComposer *self)
{
  if (self->client != NULL && self->conversation_id != NULL)
    tim_client_set_typing (self->client, self->conversation_id, FALSE);
}
