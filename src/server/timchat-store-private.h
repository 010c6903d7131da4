/* timchat-store-private.h: what the files of the storage interface share. Private to
 * src/server/timchat-store*.c. */
#pragma once

#include "timchat-store.h"

G_BEGIN_DECLS

/* The uploads new_url names are kept while it is shown (TIMCHAT_STORE_PINNED); those of old_url
 * start their retention now, unless another profile or group still shows them. */
void _timchat_store_follow_picture (TimchatStore *self, const char *old_url, const char *new_url);

/* The merged messages' keys (JsonMsgKey) a message body or a saved list names, at any depth;
 * NULL when none. */
GStrv _timchat_relay_keys_in_text (const char *text);

G_END_DECLS
