/* bench-purge.c: how long the retention sweep holds the main loop. Two stores are filled alike
 * (BENCH_PURGE_MESSAGES C2C messages, default 400,000, half of them older than the cutoff); one
 * is swept the way the server sweeps (timchat_store_purge_before () in steps of PURGE_STEP rows,
 * the main loop turning between them), the other, the baseline, in one call without a limit,
 * as the server did before. Printed: the longest time the main loop was held, and the total. */
#define G_LOG_DOMAIN "bench-purge"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "bench-store-common.h"

#define PURGE_STEP 500 /* as src/server/timchat-server.c */
#define OLD_TIME 1000000000
#define NEW_TIME 1800000000
#define CUTOFF 1700000000

typedef struct
{
  guint removed;
  guint steps;
  double median_ms;
  double longest_ms;
  double total_ms;
} Sweep;

/* The first half of the messages is older than the cutoff. */
static gint64
half_old (guint i, guint n)
{
  return i < n / 2 ? OLD_TIME + i / 1000 : NEW_TIME;
}

static TimchatStore *
fill (const char *dir, guint n)
{
  TimchatStore *store = bench_store_open (dir);

  bench_store_insert (store, n, half_old,
                      "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello there, "
                      "a message of an ordinary length\"}}]");
  return store;
}

static Sweep
sweep (TimchatStore *store, guint limit)
{
  Sweep result = { 0 };
  g_autoptr (GArray) steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start = g_get_monotonic_time ();
  guint removed;

  do
    {
      gint64 step_start = g_get_monotonic_time ();
      gint64 step_us;

      removed = timchat_store_purge_before (store, CUTOFF, limit);
      step_us = g_get_monotonic_time () - step_start;
      g_array_append_val (steps, step_us);
      result.removed += removed;
      result.steps++;
      bench_store_settle ();
    }
  while (removed == limit);
  result.total_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_array_sort (steps, bench_compare_gint64);
  result.median_ms = bench_percentile_ms (steps, 50);
  result.longest_ms = bench_percentile_ms (steps, 100);
  return result;
}

int
main (int argc, char **argv)
{
  const char *count = g_getenv ("BENCH_PURGE_MESSAGES");
  guint n = count != NULL ? (guint) atoi (count) : 400000;
  g_autofree char *stepped_dir = g_dir_make_tmp ("bench-purge-XXXXXX", NULL);
  g_autofree char *whole_dir = g_dir_make_tmp ("bench-purge-XXXXXX", NULL);
  g_autofree char *cleanup = NULL;
  g_autoptr (TimchatStore) stepped_store = NULL;
  g_autoptr (TimchatStore) whole_store = NULL;
  Sweep stepped, whole;

  if (stepped_dir == NULL || whole_dir == NULL || n < 2)
    g_error ("cannot make the data directories (or BENCH_PURGE_MESSAGES is below 2)");
  stepped_store = fill (stepped_dir, n);
  whole_store = fill (whole_dir, n);
  stepped = sweep (stepped_store, PURGE_STEP);
  whole = sweep (whole_store, G_MAXINT);
  printf ("purge setup: %u C2C messages, %u older than the cutoff, data in %s\n", n, n / 2,
          g_get_tmp_dir ());
  printf ("purge in steps of %d: %u removed in %u steps, %.1f ms in all; the main loop held "
          "%.1f ms a step (median), %.1f ms at most\n",
          PURGE_STEP, stepped.removed, stepped.steps, stepped.total_ms, stepped.median_ms,
          stepped.longest_ms);
  printf ("purge in one call (baseline): %u removed, the main loop held %.1f ms\n", whole.removed,
          whole.longest_ms);
  cleanup = g_strdup_printf ("rm -rf '%s' '%s'", stepped_dir, whole_dir);
  g_spawn_command_line_sync (cleanup, NULL, NULL, NULL, NULL);
  return 0;
}
