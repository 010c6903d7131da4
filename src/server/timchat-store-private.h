/* timchat-store-private.h: what the files of the storage interface share. Private to
 * src/server/timchat-store*.c. */
#pragma once

#include "timchat-store.h"

G_BEGIN_DECLS

/* The uploads new_url names are kept while it is shown (TIMCHAT_STORE_PINNED); those of old_url
 * start their retention now, unless another profile or group still shows them. */
void _timchat_store_follow_picture (TimchatStore *self, const char *old_url, const char *new_url);

/* Takes one mention off each upload; emits ::files-unused when one is left with none (a warning
 * should the list not be updated). In timchat-store.c, next to the signal. */
void _timchat_store_release_files (TimchatStore *self, const char *const *names);

/* The merged messages' keys (JsonMsgKey) a message body or a saved list names, at any depth;
 * NULL when none. */
GStrv _timchat_relay_keys_in_text (const char *text);

G_END_DECLS
