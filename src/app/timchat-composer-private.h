/* timchat-composer-private.h: what timchat-composer.c shares with timchat-composer-attach.c
 * (the file choosers). */
#pragma once

#include "timchat-composer.h"

G_BEGIN_DECLS

/* Opens the chooser for kind (image, video, sound or file) transient for the composer's window. */
void _timchat_composer_open_chooser (TimchatComposer *self, TimElemType kind);
/* Closes a chooser still open (dispose). */
void _timchat_composer_close_chooser (TimchatComposer *self);

G_END_DECLS
