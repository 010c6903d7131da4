/* timchat-request-guard.h: closes HTTP connections whose request does not come in. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_REQUEST_GUARD (timchat_request_guard_get_type ())
G_DECLARE_FINAL_TYPE (TimchatRequestGuard, timchat_request_guard, TIMCHAT, REQUEST_GUARD, GObject)

/* Watches every request of soup: one whose headers are not whole within timeout_seconds, or whose
 * body then averages less than 1 KiB/s (after timeout_seconds of grace), has its connection shut
 * down. 0: never. */
TimchatRequestGuard *timchat_request_guard_new (SoupServer *soup, guint timeout_seconds);
/* Requests being read now. */
guint timchat_request_guard_get_n_watched (TimchatRequestGuard *self);

G_END_DECLS
