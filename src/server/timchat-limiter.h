/* timchat-limiter.h: per-group frequency control with message priorities (tim-rest-facts.md §8). */
#pragma once

#include <glib-object.h>

#include "tim-limits.h"

G_BEGIN_DECLS

/* Most deliveries run per main-loop iteration, so a backlog never starves socket I/O. */
#define TIMCHAT_LIMITER_BATCH 64

/* A group with no admission for this long is forgotten (its bucket would be full anyway). */
#define TIMCHAT_LIMITER_IDLE_USEC (10 * G_USEC_PER_SEC)

typedef gint64 (*TimchatLimiterClock) (gpointer user_data);

#define TIMCHAT_TYPE_LIMITER (timchat_limiter_get_type ())

G_DECLARE_FINAL_TYPE (TimchatLimiter, timchat_limiter, TIMCHAT, LIMITER, GObject)

TimchatLimiter *timchat_limiter_new (guint rate_per_second);

guint timchat_limiter_get_rate (TimchatLimiter *self);
void timchat_limiter_set_rate (TimchatLimiter *self, guint rate_per_second);
void timchat_limiter_set_clock (TimchatLimiter *self, TimchatLimiterClock now_us,
                                gpointer user_data);

gboolean timchat_limiter_admit (TimchatLimiter *self, const char *group_id, TimPriority priority);
guint64 timchat_limiter_get_dropped (TimchatLimiter *self, TimPriority priority);
guint timchat_limiter_get_n_groups (TimchatLimiter *self);

void timchat_limiter_enqueue (TimchatLimiter *self, TimPriority priority, GFunc deliver,
                              gpointer data, GDestroyNotify destroy);
guint timchat_limiter_get_n_pending (TimchatLimiter *self);
void timchat_limiter_flush (TimchatLimiter *self);

G_END_DECLS
