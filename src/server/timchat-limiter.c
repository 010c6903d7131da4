/* timchat-limiter.c: per-group frequency control with priorities for group messages.
 *
 * Admission is a token bucket per group, `rate` tokens per second, capacity `rate`. Lower
 * priorities must leave a reserve in the bucket, so as a group heats up Lowest is shed first,
 * then Low, then Normal; High is never refused (tim-rest-facts.md §8: higher priority first,
 * throttled messages are not stored). Delivery of admitted messages goes through four FIFO queues
 * drained by an idle source, High first, so a fan-out backlog delays the least important traffic.
 *
 * Admission and the queues take a mutex, so a store thread may call in; deliveries run on the
 * main context that was thread-default when the limiter was made.
 */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-limiter.h"

/* Tokens are counted in millionths so refill and the graded reserves are exact integers. */
#define TOKEN ((gint64) 1000000)
#define N_PRIORITIES 4
#define PRIORITY_VALID(p) ((p) >= TIM_PRIORITY_HIGH && (p) <= TIM_PRIORITY_LOWEST)

typedef struct
{
  gint64 tokens;      /* in millionths of a token */
  gint64 refilled_us; /* clock time the tokens were last brought up to date */
  gint64 logged_us;   /* last drop report for this group */
  guint unreported;   /* drops since that report */
} GroupBucket;

typedef struct
{
  GFunc deliver;
  gpointer data;
  GDestroyNotify destroy;
} Delivery;

struct _TimchatLimiter
{
  GObject parent_instance;

  GMutex lock;
  guint rate;
  TimchatLimiterClock now_us;
  gpointer clock_data;

  GHashTable *groups; /* group id -> GroupBucket */
  gint64 pruned_us;
  guint64 dropped[N_PRIORITIES];

  GQueue pending[N_PRIORITIES]; /* of Delivery, index = priority - 1 */
  GMainContext *context;
  GSource *idle;
  gboolean disposed;
};

G_DEFINE_FINAL_TYPE (TimchatLimiter, timchat_limiter, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
default_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static void
delivery_free (Delivery *delivery)
{
  if (delivery->destroy != NULL)
    delivery->destroy (delivery->data);
  g_free (delivery);
}

/* Tokens a priority needs in the bucket: its token plus the graded reserve that sheds Lowest
 * first. The need never exceeds a full bucket: at a rate of 1 the reserve would, and Low and
 * Lowest could then never pass even in an idle group. */
static gint64
needed_for (guint rate, TimPriority priority)
{
  gint64 reserve;

  switch (priority)
    {
    case TIM_PRIORITY_LOW:
      reserve = (gint64) rate * TOKEN / 10;
      break;
    case TIM_PRIORITY_LOWEST:
      reserve = (gint64) rate * TOKEN / 4;
      break;
    case TIM_PRIORITY_HIGH:
    case TIM_PRIORITY_NORMAL:
    default:
      reserve = 0;
      break;
    }
  return MIN (TOKEN + reserve, (gint64) rate * TOKEN);
}

static void
refill (GroupBucket *bucket, guint rate, gint64 now)
{
  gint64 elapsed = now - bucket->refilled_us;

  if (elapsed <= 0)
    return; /* a clock that stands still (or a fake one stepped back) adds nothing */

  /* One second fills an empty bucket; capping first keeps the product far from overflow. */
  if (elapsed >= G_USEC_PER_SEC)
    bucket->tokens = (gint64) rate * TOKEN;
  else
    bucket->tokens = MIN (bucket->tokens + elapsed * rate, (gint64) rate * TOKEN);
  bucket->refilled_us = now;
}

/* Lazily forget idle groups. Scanning at most once a second keeps the cost at one pass over
 * the live groups per second, and no group outlives its idle limit by more than that second. */
static void
prune_locked (TimchatLimiter *self, gint64 now)
{
  GHashTableIter iter;
  GroupBucket *bucket;

  if (g_hash_table_size (self->groups) == 0)
    {
      self->pruned_us = now;
      return;
    }
  if (now - self->pruned_us < G_USEC_PER_SEC)
    return;

  g_hash_table_iter_init (&iter, self->groups);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    if (now - bucket->refilled_us > TIMCHAT_LIMITER_IDLE_USEC)
      g_hash_table_iter_remove (&iter);
  self->pruned_us = now;
}

static void
report_drop (TimchatLimiter *self, const char *group_id, GroupBucket *bucket, gint64 now)
{
  bucket->unreported++;
  /* One line per group per second at most: a flooded group must not flood the log too. */
  if (now - bucket->logged_us < G_USEC_PER_SEC)
    return;
  g_info ("Group %s over %u messages/s: dropped %u message(s) below High since last report",
          group_id, self->rate, bucket->unreported);
  bucket->logged_us = now;
  bucket->unreported = 0;
}

gboolean
timchat_limiter_admit (TimchatLimiter *self, const char *group_id, TimPriority priority)
{
  g_autoptr (GMutexLocker) locker = NULL;
  GroupBucket *bucket;
  gint64 now;

  g_return_val_if_fail (TIMCHAT_IS_LIMITER (self), FALSE);
  g_return_val_if_fail (group_id != NULL, FALSE);
  g_return_val_if_fail (PRIORITY_VALID (priority), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (self->rate == 0)
    return TRUE;

  now = self->now_us (self->clock_data);
  prune_locked (self, now);

  bucket = g_hash_table_lookup (self->groups, group_id);
  if (bucket == NULL)
    {
      bucket = g_new0 (GroupBucket, 1);
      bucket->tokens = (gint64) self->rate * TOKEN;
      bucket->refilled_us = now;
      bucket->logged_us = now - G_USEC_PER_SEC;
      g_hash_table_insert (self->groups, g_strdup (group_id), bucket);
    }
  refill (bucket, self->rate, now);

  if (priority == TIM_PRIORITY_HIGH)
    {
      /* High always passes, but still spends what is left so lower priorities feel it. */
      bucket->tokens = MAX (bucket->tokens - TOKEN, 0);
      return TRUE;
    }

  if (bucket->tokens >= needed_for (self->rate, priority))
    {
      bucket->tokens -= TOKEN;
      return TRUE;
    }

  self->dropped[priority - 1]++;
  report_drop (self, group_id, bucket, now);
  return FALSE;
}

guint64
timchat_limiter_get_dropped (TimchatLimiter *self, TimPriority priority)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TIMCHAT_IS_LIMITER (self), 0);
  g_return_val_if_fail (PRIORITY_VALID (priority), 0);

  locker = g_mutex_locker_new (&self->lock);
  return self->dropped[priority - 1];
}

guint
timchat_limiter_get_n_groups (TimchatLimiter *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TIMCHAT_IS_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->lock);
  return g_hash_table_size (self->groups);
}

/* The next delivery in priority order, FIFO within one priority. */
static Delivery *
pop_next (TimchatLimiter *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  for (guint i = 0; i < N_PRIORITIES; i++)
    if (!g_queue_is_empty (&self->pending[i]))
      return g_queue_pop_head (&self->pending[i]);
  return NULL;
}

static guint
count_pending_locked (TimchatLimiter *self)
{
  guint n = 0;

  for (guint i = 0; i < N_PRIORITIES; i++)
    n += g_queue_get_length (&self->pending[i]);
  return n;
}

static void
run_delivery (Delivery *delivery)
{
  delivery->deliver (delivery->data, NULL);
  delivery_free (delivery);
}

static gboolean
deliver_batch_cb (gpointer user_data)
{
  g_autoptr (TimchatLimiter) self = g_object_ref (TIMCHAT_LIMITER (user_data));
  g_autoptr (GMutexLocker) locker = NULL;
  Delivery *delivery;

  /* The lock is not held while a delivery runs: it may enqueue, admit or flush. */
  for (guint n = 0; n < TIMCHAT_LIMITER_BATCH && (delivery = pop_next (self)) != NULL; n++)
    run_delivery (delivery);

  locker = g_mutex_locker_new (&self->lock);
  if (count_pending_locked (self) > 0 && !self->disposed)
    return G_SOURCE_CONTINUE;

  /* Cleared under the lock, so an enqueue from another thread either saw us or makes a new one. */
  g_clear_pointer (&self->idle, g_source_unref);
  return G_SOURCE_REMOVE;
}

void
timchat_limiter_enqueue (TimchatLimiter *self, TimPriority priority, GFunc deliver, gpointer data,
                         GDestroyNotify destroy)
{
  g_autoptr (GMutexLocker) locker = NULL;
  Delivery *delivery;

  g_return_if_fail (TIMCHAT_IS_LIMITER (self));
  g_return_if_fail (PRIORITY_VALID (priority));
  g_return_if_fail (deliver != NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (self->disposed)
    {
      g_clear_pointer (&locker, g_mutex_locker_free);
      if (destroy != NULL)
        destroy (data);
      return;
    }

  delivery = g_new (Delivery, 1);
  delivery->deliver = deliver;
  delivery->data = data;
  delivery->destroy = destroy;
  g_queue_push_tail (&self->pending[priority - 1], delivery);

  if (self->idle == NULL)
    {
      self->idle = g_idle_source_new ();
      /* Default, not idle, priority: under constant socket traffic an idle-priority source
       * would never run and the backlog would grow without bound. */
      g_source_set_priority (self->idle, G_PRIORITY_DEFAULT);
      g_source_set_static_name (self->idle, "[timchat] limiter deliveries");
      g_source_set_callback (self->idle, deliver_batch_cb, self, NULL);
      g_source_attach (self->idle, self->context);
    }
}

guint
timchat_limiter_get_n_pending (TimchatLimiter *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TIMCHAT_IS_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->lock);
  return count_pending_locked (self);
}

void
timchat_limiter_flush (TimchatLimiter *self)
{
  Delivery *delivery;

  g_return_if_fail (TIMCHAT_IS_LIMITER (self));

  while ((delivery = pop_next (self)) != NULL)
    run_delivery (delivery);
}

guint
timchat_limiter_get_rate (TimchatLimiter *self)
{
  g_return_val_if_fail (TIMCHAT_IS_LIMITER (self), 0);

  return self->rate;
}

void
timchat_limiter_set_rate (TimchatLimiter *self, guint rate_per_second)
{
  g_return_if_fail (TIMCHAT_IS_LIMITER (self));

  g_mutex_lock (&self->lock);
  if (self->rate == rate_per_second)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->rate = rate_per_second;
  /* Buckets sized for the old rate would be wrong; every group starts full at the new one. */
  g_hash_table_remove_all (self->groups);
  g_mutex_unlock (&self->lock);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

void
timchat_limiter_set_clock (TimchatLimiter *self, TimchatLimiterClock now_us, gpointer user_data)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (TIMCHAT_IS_LIMITER (self));

  locker = g_mutex_locker_new (&self->lock);
  self->now_us = now_us != NULL ? now_us : default_clock;
  self->clock_data = now_us != NULL ? user_data : NULL;
  /* Timestamps from the old clock mean nothing on the new one. */
  g_hash_table_remove_all (self->groups);
}

static void
timchat_limiter_dispose (GObject *object)
{
  TimchatLimiter *self = TIMCHAT_LIMITER (object);
  GQueue doomed[N_PRIORITIES];

  g_mutex_lock (&self->lock);
  self->disposed = TRUE;
  for (guint i = 0; i < N_PRIORITIES; i++)
    {
      doomed[i] = self->pending[i];
      g_queue_init (&self->pending[i]);
    }
  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }
  g_mutex_unlock (&self->lock);

  /* Destroy notifies run unlocked: they may drop the last reference to something else. */
  for (guint i = 0; i < N_PRIORITIES; i++)
    g_queue_clear_full (&doomed[i], (GDestroyNotify) delivery_free);

  G_OBJECT_CLASS (timchat_limiter_parent_class)->dispose (object);
}

static void
timchat_limiter_finalize (GObject *object)
{
  TimchatLimiter *self = TIMCHAT_LIMITER (object);

  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (timchat_limiter_parent_class)->finalize (object);
}

static void
timchat_limiter_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimchatLimiter *self = TIMCHAT_LIMITER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      g_value_set_uint (value, self->rate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_limiter_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  TimchatLimiter *self = TIMCHAT_LIMITER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      timchat_limiter_set_rate (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_limiter_class_init (TimchatLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = timchat_limiter_dispose;
  object_class->finalize = timchat_limiter_finalize;
  object_class->get_property = timchat_limiter_get_property;
  object_class->set_property = timchat_limiter_set_property;

  /**
   * TimchatLimiter:rate:
   *
   * Messages per second admitted per group; 0 turns frequency control off.
   */
  properties[PROP_RATE] = g_param_spec_uint (
      "rate", NULL, NULL, 0, G_MAXUINT, TIM_DEFAULT_GROUP_RATE,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
timchat_limiter_init (TimchatLimiter *self)
{
  g_mutex_init (&self->lock);
  self->rate = TIM_DEFAULT_GROUP_RATE;
  self->now_us = default_clock;
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < N_PRIORITIES; i++)
    g_queue_init (&self->pending[i]);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * timchat_limiter_new:
 * @rate_per_second: messages per second per group, 0 for unlimited
 *
 * Deliveries queued with timchat_limiter_enqueue() run on the thread-default main context of
 * the caller.
 */
TimchatLimiter *
timchat_limiter_new (guint rate_per_second)
{
  return g_object_new (TIMCHAT_TYPE_LIMITER, "rate", rate_per_second, NULL);
}
