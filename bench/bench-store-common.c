/* bench-store-common.c: see bench-store-common.h. */
#include "config.h"

#include "bench-store-common.h"

void
bench_store_settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

TimchatStore *
bench_store_open (const char *dir)
{
  g_autoptr (GError) error = NULL;
  TimchatStore *store = timchat_store_open (dir, TRUE, &error);

  if (store == NULL)
    g_error ("%s", error->message);
  for (guint u = 0; u < 2 * BENCH_STORE_PAIRS; u++)
    {
      g_autofree char *user = g_strdup_printf ("user_%u", u);

      timchat_account_free (timchat_store_ensure_account (store, user, NULL));
    }
  bench_store_settle ();
  return store;
}

TimchatMsg *
bench_store_c2c_msg (guint i, gint64 time, const char *body)
{
  TimchatMsg *msg = g_new0 (TimchatMsg, 1);

  msg->conv_type = TIM_CONV_C2C;
  msg->from_user = g_strdup_printf ("user_%u", i % BENCH_STORE_PAIRS);
  msg->to_id = g_strdup_printf ("user_%u", BENCH_STORE_PAIRS + i % BENCH_STORE_PAIRS);
  msg->client_seq = i / BENCH_STORE_PAIRS + 1;
  msg->random = g_random_int_range (0, G_MAXINT32);
  msg->time = time;
  msg->client_time = time;
  msg->priority = 2;
  msg->body = g_strdup (body);
  msg->cloud_custom_data = g_strdup ("");
  return msg;
}

void
bench_store_insert (TimchatStore *store, guint n, gint64 (*time_of) (guint i, guint n),
                    const char *body)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TimchatMsg) msg = bench_store_c2c_msg (i, time_of (i, n), body);
      g_autoptr (GError) error = NULL;
      gboolean duplicate;

      if (!timchat_store_insert_message (store, msg, &duplicate, &error))
        g_error ("%s", error->message);
      if (i % BENCH_STORE_PER_COMMIT == BENCH_STORE_PER_COMMIT - 1)
        bench_store_settle ();
    }
  bench_store_settle ();
}
