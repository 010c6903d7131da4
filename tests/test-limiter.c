/* test-limiter.c: TimchatLimiter admission (token bucket with graded reserves) and delivery order.
 */
#define G_LOG_DOMAIN "test-limiter"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "timchat-limiter.h"

typedef struct
{
  gint64 now;
} FakeClock;

static gint64
fake_now (gpointer user_data)
{
  return ((FakeClock *) user_data)->now;
}

static TimchatLimiter *
limiter_with_clock (guint rate, FakeClock *clock)
{
  TimchatLimiter *limiter = timchat_limiter_new (rate);

  timchat_limiter_set_clock (limiter, fake_now, clock);
  return limiter;
}

static guint
admit_n (TimchatLimiter *limiter, const char *group, TimPriority priority, guint n)
{
  guint admitted = 0;

  for (guint i = 0; i < n; i++)
    admitted += timchat_limiter_admit (limiter, group, priority) ? 1 : 0;
  return admitted;
}

/* 100 messages in one instant, Lowest, Low, Normal, High repeated, at the default 40/s. */
static void
test_admit_burst (void)
{
  FakeClock clock = { 1000 * G_USEC_PER_SEC };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (40, &clock);
  guint admitted[5] = { 0 };
  int first_drop[5] = { -1, -1, -1, -1, -1 };

  for (int i = 0; i < 100; i++)
    {
      TimPriority priority = TIM_PRIORITY_LOWEST - (i % 4);

      if (timchat_limiter_admit (limiter, "@TGS#burst", priority))
        admitted[priority]++;
      else if (first_drop[priority] < 0)
        first_drop[priority] = i;
    }

  /* 40 tokens; Lowest keeps 1 + 10 in reserve, Low 1 + 4, Normal 1; High spends the rest and
   * then rides on an empty bucket. */
  g_assert_cmpuint (admitted[TIM_PRIORITY_HIGH], ==, 25);
  g_assert_cmpuint (admitted[TIM_PRIORITY_NORMAL], ==, 11);
  g_assert_cmpuint (admitted[TIM_PRIORITY_LOW], ==, 10);
  g_assert_cmpuint (admitted[TIM_PRIORITY_LOWEST], ==, 8);

  g_assert_cmpuint (timchat_limiter_get_dropped (limiter, TIM_PRIORITY_HIGH), ==, 0);
  g_assert_cmpuint (timchat_limiter_get_dropped (limiter, TIM_PRIORITY_NORMAL), ==, 14);
  g_assert_cmpuint (timchat_limiter_get_dropped (limiter, TIM_PRIORITY_LOW), ==, 15);
  g_assert_cmpuint (timchat_limiter_get_dropped (limiter, TIM_PRIORITY_LOWEST), ==, 17);

  /* Shed in order: Lowest first, then Low, then Normal, never High. */
  g_assert_cmpint (first_drop[TIM_PRIORITY_HIGH], ==, -1);
  g_assert_cmpint (first_drop[TIM_PRIORITY_LOWEST], >=, 0);
  g_assert_cmpint (first_drop[TIM_PRIORITY_LOWEST], <, first_drop[TIM_PRIORITY_LOW]);
  g_assert_cmpint (first_drop[TIM_PRIORITY_LOW], <, first_drop[TIM_PRIORITY_NORMAL]);

  /* Still the same instant: the bucket is empty for everyone but High. */
  g_assert_false (timchat_limiter_admit (limiter, "@TGS#burst", TIM_PRIORITY_NORMAL));
  g_assert_true (timchat_limiter_admit (limiter, "@TGS#burst", TIM_PRIORITY_HIGH));

  /* 25 ms refills exactly one token. */
  clock.now += 25000;
  g_assert_true (timchat_limiter_admit (limiter, "@TGS#burst", TIM_PRIORITY_NORMAL));
  g_assert_false (timchat_limiter_admit (limiter, "@TGS#burst", TIM_PRIORITY_NORMAL));

  /* After a second the bucket is full again, and no fuller than the rate. */
  clock.now += G_USEC_PER_SEC;
  g_assert_cmpuint (admit_n (limiter, "@TGS#burst", TIM_PRIORITY_NORMAL, 50), ==, 40);

  clock.now += 5 * G_USEC_PER_SEC;
  g_assert_cmpuint (admit_n (limiter, "@TGS#burst", TIM_PRIORITY_LOWEST, 50), ==, 30);
}

/* Each priority alone, from a full bucket: the reserve it must leave is what it cannot use. */
static void
test_admit_reserves (void)
{
  FakeClock clock = { 0 };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (40, &clock);

  g_assert_cmpuint (admit_n (limiter, "g-lowest", TIM_PRIORITY_LOWEST, 100), ==, 30);
  g_assert_cmpuint (admit_n (limiter, "g-low", TIM_PRIORITY_LOW, 100), ==, 36);
  g_assert_cmpuint (admit_n (limiter, "g-normal", TIM_PRIORITY_NORMAL, 100), ==, 40);
  g_assert_cmpuint (admit_n (limiter, "g-high", TIM_PRIORITY_HIGH, 100), ==, 100);
  /* High emptied the bucket but never drove it below zero: a short refill serves Normal. */
  clock.now += 25000;
  g_assert_true (timchat_limiter_admit (limiter, "g-high", TIM_PRIORITY_NORMAL));
}

/* With a bucket of one token there is no room for a graded reserve: every priority may take
 * the one token, rather than Low and Lowest never passing at all. */
static void
test_admit_rate_one (void)
{
  FakeClock clock = { 0 };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (1, &clock);

  for (TimPriority p = TIM_PRIORITY_NORMAL; p <= TIM_PRIORITY_LOWEST; p++)
    {
      g_autofree char *group_id = g_strdup_printf ("g-rate-one-%d", p);

      g_assert_cmpuint (admit_n (limiter, group_id, p, 5), ==, 1);
      clock.now += G_USEC_PER_SEC;
      g_assert_true (timchat_limiter_admit (limiter, group_id, p));
      g_assert_cmpuint (timchat_limiter_get_dropped (limiter, p), ==, 4);
    }
}

static void
test_admit_unlimited (void)
{
  FakeClock clock = { 0 };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (0, &clock);

  g_assert_cmpuint (timchat_limiter_get_rate (limiter), ==, 0);
  for (TimPriority p = TIM_PRIORITY_HIGH; p <= TIM_PRIORITY_LOWEST; p++)
    {
      g_assert_cmpuint (admit_n (limiter, "@TGS#busy", p, 10000), ==, 10000);
      g_assert_cmpuint (timchat_limiter_get_dropped (limiter, p), ==, 0);
    }
  g_assert_cmpuint (timchat_limiter_get_n_groups (limiter), ==, 0);
}

static void
test_admit_groups_independent (void)
{
  FakeClock clock = { 0 };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (40, &clock);

  g_assert_cmpuint (admit_n (limiter, "group-a", TIM_PRIORITY_NORMAL, 60), ==, 40);
  g_assert_cmpuint (admit_n (limiter, "group-b", TIM_PRIORITY_NORMAL, 60), ==, 40);
  g_assert_cmpuint (admit_n (limiter, "group-c", TIM_PRIORITY_LOWEST, 5), ==, 5);
  g_assert_cmpuint (timchat_limiter_get_dropped (limiter, TIM_PRIORITY_NORMAL), ==, 40);
  g_assert_cmpuint (timchat_limiter_get_n_groups (limiter), ==, 3);
}

/* Groups idle for more than 10 s are forgotten; busy ones are kept. */
static void
test_admit_prunes_idle_groups (void)
{
  FakeClock clock = { 0 };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (40, &clock);
  char id[32];

  for (guint i = 0; i < 500; i++)
    {
      g_snprintf (id, sizeof id, "idle-%u", i);
      g_assert_true (timchat_limiter_admit (limiter, id, TIM_PRIORITY_NORMAL));
    }
  g_assert_cmpuint (timchat_limiter_get_n_groups (limiter), ==, 500);

  for (guint s = 1; s <= 10; s++)
    {
      clock.now = s * G_USEC_PER_SEC;
      g_assert_true (timchat_limiter_admit (limiter, "busy", TIM_PRIORITY_NORMAL));
    }
  /* Idle for exactly 10 s: not yet "more than 10 s". */
  g_assert_cmpuint (timchat_limiter_get_n_groups (limiter), ==, 501);

  clock.now = 11 * G_USEC_PER_SEC;
  g_assert_true (timchat_limiter_admit (limiter, "busy", TIM_PRIORITY_NORMAL));
  g_assert_cmpuint (timchat_limiter_get_n_groups (limiter), ==, 1);
  /* The surviving group kept its state: it is still throttled within its second. */
  g_assert_cmpuint (admit_n (limiter, "busy", TIM_PRIORITY_NORMAL, 50), ==, 39);
}

static guint info_count;
static const char *info_needle;

/* The server logs through the structured API, so count at the writer, then log as usual. */
static GLogWriterOutput
count_info (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (info_needle != NULL && (level & G_LOG_LEVEL_INFO) &&
      g_strcmp0 (domain, "timchat-server") == 0 && message != NULL &&
      strstr (message, info_needle) != NULL)
    info_count++;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* A flooded group gives one log line per second, not one per dropped message. */
static void
test_admit_log_throttled (void)
{
  FakeClock clock = { 0 };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (40, &clock);

  info_count = 0;
  info_needle = "flood";

  g_assert_cmpuint (admit_n (limiter, "flood", TIM_PRIORITY_NORMAL, 1000), ==, 40);
  g_assert_cmpuint (info_count, ==, 1);
  clock.now += G_USEC_PER_SEC / 2;
  g_assert_cmpuint (admit_n (limiter, "flood", TIM_PRIORITY_NORMAL, 1000), ==, 20);
  g_assert_cmpuint (info_count, ==, 1);
  clock.now += G_USEC_PER_SEC / 2;
  g_assert_cmpuint (admit_n (limiter, "flood", TIM_PRIORITY_NORMAL, 1000), ==, 20);
  g_assert_cmpuint (info_count, ==, 2);
  g_assert_cmpuint (timchat_limiter_get_dropped (limiter, TIM_PRIORITY_NORMAL), ==, 2920);

  info_needle = NULL;
}

typedef struct
{
  GString *order;
  guint destroyed;
} Sink;

typedef struct
{
  Sink *sink;
  char tag[8];
} Item;

static void
item_deliver (gpointer data, gpointer user_data)
{
  Item *item = data;

  g_string_append_printf (item->sink->order, "%s ", item->tag);
}

static void
item_destroy (gpointer data)
{
  Item *item = data;

  item->sink->destroyed++;
  g_free (item);
}

static void
enqueue_item (TimchatLimiter *limiter, Sink *sink, TimPriority priority, guint n)
{
  Item *item = g_new0 (Item, 1);
  static const char letters[] = "?HNLW";

  item->sink = sink;
  g_snprintf (item->tag, sizeof item->tag, "%c%u", letters[priority], n);
  timchat_limiter_enqueue (limiter, priority, item_deliver, item, item_destroy);
}

/* Interleaved Lowest..High; once the loop runs, High goes first, FIFO within each priority. */
static void
test_enqueue_order (void)
{
  g_autoptr (TimchatLimiter) limiter = timchat_limiter_new (40);
  Sink sink = { g_string_new (NULL), 0 };

  for (guint n = 1; n <= 3; n++)
    for (TimPriority p = TIM_PRIORITY_LOWEST; p >= TIM_PRIORITY_HIGH; p--)
      enqueue_item (limiter, &sink, p, n);

  g_assert_cmpstr (sink.order->str, ==, "");
  g_assert_cmpuint (timchat_limiter_get_n_pending (limiter), ==, 12);

  while (timchat_limiter_get_n_pending (limiter) > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (sink.order->str, ==, "H1 H2 H3 N1 N2 N3 L1 L2 L3 W1 W2 W3 ");
  g_assert_cmpuint (sink.destroyed, ==, 12);
  g_assert_false (g_main_context_pending (NULL));

  g_string_free (sink.order, TRUE);
}

/* A backlog drains at most TIMCHAT_LIMITER_BATCH per iteration; High that arrives meanwhile
 * overtakes the Lowest still waiting. */
static void
test_enqueue_batches (void)
{
  g_autoptr (TimchatLimiter) limiter = timchat_limiter_new (40);
  Sink sink = { g_string_new (NULL), 0 };

  for (guint n = 0; n < 100; n++)
    enqueue_item (limiter, &sink, TIM_PRIORITY_LOWEST, n);

  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (sink.destroyed, ==, TIMCHAT_LIMITER_BATCH);
  g_assert_cmpuint (timchat_limiter_get_n_pending (limiter), ==, 100 - TIMCHAT_LIMITER_BATCH);

  g_string_truncate (sink.order, 0);
  enqueue_item (limiter, &sink, TIM_PRIORITY_HIGH, 0);
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_true (g_str_has_prefix (sink.order->str, "H0 W64 W65 "));
  g_assert_cmpuint (sink.destroyed, ==, 101);
  g_assert_cmpuint (timchat_limiter_get_n_pending (limiter), ==, 0);

  g_string_free (sink.order, TRUE);
}

static void
test_flush (void)
{
  g_autoptr (TimchatLimiter) limiter = timchat_limiter_new (40);
  Sink sink = { g_string_new (NULL), 0 };

  enqueue_item (limiter, &sink, TIM_PRIORITY_LOW, 1);
  enqueue_item (limiter, &sink, TIM_PRIORITY_NORMAL, 1);
  enqueue_item (limiter, &sink, TIM_PRIORITY_HIGH, 1);
  timchat_limiter_flush (limiter);

  g_assert_cmpstr (sink.order->str, ==, "H1 N1 L1 ");
  g_assert_cmpuint (sink.destroyed, ==, 3);
  /* The idle source finds nothing left and goes away. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (sink.order->str, ==, "H1 N1 L1 ");

  g_string_free (sink.order, TRUE);
}

/* Pending deliveries are never run after dispose, but every one is destroyed. */
static void
test_dispose_frees_pending (void)
{
  TimchatLimiter *limiter = timchat_limiter_new (40);
  Sink sink = { g_string_new (NULL), 0 };

  for (guint n = 0; n < 10; n++)
    enqueue_item (limiter, &sink, TIM_PRIORITY_HIGH + n % 4, n);
  g_assert_cmpuint (sink.destroyed, ==, 0);

  g_assert_finalize_object (limiter);
  g_assert_cmpuint (sink.destroyed, ==, 10);

  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (sink.order->str, ==, "");

  g_string_free (sink.order, TRUE);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* Changing the rate notifies once and restarts every group with a bucket of the new size. */
static void
test_rate_property (void)
{
  FakeClock clock = { 0 };
  g_autoptr (TimchatLimiter) limiter = limiter_with_clock (40, &clock);
  guint notified = 0;

  g_signal_connect (limiter, "notify::rate", G_CALLBACK (count_notify), &notified);

  g_assert_cmpuint (admit_n (limiter, "g", TIM_PRIORITY_NORMAL, 50), ==, 40);
  timchat_limiter_set_rate (limiter, 10);
  timchat_limiter_set_rate (limiter, 10);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (timchat_limiter_get_rate (limiter), ==, 10);
  g_assert_cmpuint (admit_n (limiter, "g", TIM_PRIORITY_NORMAL, 50), ==, 10);

  g_object_set (limiter, "rate", 0, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (admit_n (limiter, "g", TIM_PRIORITY_LOWEST, 50), ==, 50);
}

int
main (int argc, char *argv[])
{
  g_log_set_writer_func (count_info, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/limiter/admit/burst", test_admit_burst);
  g_test_add_func ("/limiter/admit/reserves", test_admit_reserves);
  g_test_add_func ("/limiter/admit/rate-one", test_admit_rate_one);
  g_test_add_func ("/limiter/admit/unlimited", test_admit_unlimited);
  g_test_add_func ("/limiter/admit/groups-independent", test_admit_groups_independent);
  g_test_add_func ("/limiter/admit/prune-idle", test_admit_prunes_idle_groups);
  g_test_add_func ("/limiter/admit/log-throttled", test_admit_log_throttled);
  g_test_add_func ("/limiter/enqueue/order", test_enqueue_order);
  g_test_add_func ("/limiter/enqueue/batches", test_enqueue_batches);
  g_test_add_func ("/limiter/enqueue/flush", test_flush);
  g_test_add_func ("/limiter/enqueue/dispose", test_dispose_frees_pending);
  g_test_add_func ("/limiter/rate", test_rate_property);

  return g_test_run ();
}
