/* bench-store.c: the store's side of a relayed C2C message, without sockets or JSON: CPU per
 * message of timchat_store_insert_message () (durable, ~128 messages a commit, as the relay's
 * throughput phase commits them) against a bare SQLite INSERT of the same row into a table with
 * no index, on the same disk, in the same run.
 *
 * What the difference is made of: the dedup lookup and index, the (conv_key, seq) index, the
 * sequence counter, the two conversation rows and the two sync events (docs/performance.md,
 * "Relay throughput, 26 Nov (night)"). Messages: BENCH_STORE_MESSAGES (default 100,000).
 */
#define G_LOG_DOMAIN "bench-store"

#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench-common.h"
#include "bench-store-common.h"

#define BODY                                                                                       \
  "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"@@1764000000000000@@ "                 \
  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}]"

typedef struct
{
  double cpu_us; /* process CPU (every thread) per message */
  double wall_us;
} Figure;

/* Timestamps of a thousand messages a second. */
static gint64
relay_time (guint i, guint n)
{
  return 1764000000 + i / 1000;
}

static Figure
measure_store (const char *dir, guint n)
{
  g_autoptr (TimchatStore) store = bench_store_open (dir);
  double cpu = (double) bench_cpu_us (getpid ());
  gint64 wall = g_get_monotonic_time ();

  /* The store commits the messages of one main-loop turn together. */
  bench_store_insert (store, n, relay_time, BODY);
  return (Figure){ ((double) bench_cpu_us (getpid ()) - cpu) / n,
                   (g_get_monotonic_time () - wall) / (double) n };
}

static void
exec_or_die (sqlite3 *db, const char *sql)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
}

/* The same rows, one prepared INSERT, a table without indexes, in WAL mode with
 * synchronous=FULL: the WAL fdatasync()ed at each commit, as a durable acknowledgement waits. */
static Figure
measure_bare (const char *dir, guint n)
{
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  double cpu;
  gint64 wall;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  exec_or_die (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                   "CREATE TABLE messages (id INTEGER PRIMARY KEY, conv_type INTEGER, "
                   "conv_key TEXT, seq INTEGER, kind INTEGER, from_user TEXT, to_id TEXT, "
                   "client_seq INTEGER, random INTEGER, time INTEGER, client_time INTEGER, "
                   "priority INTEGER, body TEXT, cloud_custom_data TEXT)");
  sqlite3_prepare_v2 (db,
                      "INSERT INTO messages (conv_type, conv_key, seq, kind, from_user, to_id, "
                      "client_seq, random, time, client_time, priority, body, cloud_custom_data) "
                      "VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      -1, &insert, NULL);
  cpu = (double) bench_cpu_us (getpid ());
  wall = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TimchatMsg) msg = bench_store_c2c_msg (i, relay_time (i, n), BODY);
      g_autofree char *key = NULL;

      key = g_strconcat (msg->from_user, "\n", msg->to_id, NULL);
      if (i % BENCH_STORE_PER_COMMIT == 0)
        exec_or_die (db, "BEGIN");
      sqlite3_bind_int (insert, 1, msg->conv_type);
      sqlite3_bind_text (insert, 2, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 3, i / BENCH_STORE_PAIRS + 1);
      sqlite3_bind_text (insert, 4, msg->from_user, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 5, msg->to_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 6, msg->client_seq);
      sqlite3_bind_int64 (insert, 7, msg->random);
      sqlite3_bind_int64 (insert, 8, msg->time);
      sqlite3_bind_int64 (insert, 9, msg->client_time);
      sqlite3_bind_int (insert, 10, msg->priority);
      sqlite3_bind_text (insert, 11, msg->body, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 12, msg->cloud_custom_data, -1, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (db));
      sqlite3_reset (insert);
      if (i % BENCH_STORE_PER_COMMIT == BENCH_STORE_PER_COMMIT - 1 || i == n - 1)
        exec_or_die (db, "COMMIT");
    }
  sqlite3_finalize (insert);
  sqlite3_close (db);
  return (Figure){ ((double) bench_cpu_us (getpid ()) - cpu) / n,
                   (g_get_monotonic_time () - wall) / (double) n };
}

int
main (int argc, char **argv)
{
  const char *count = g_getenv ("BENCH_STORE_MESSAGES");
  guint n = count != NULL ? (guint) atoi (count) : 100000;
  g_autofree char *store_dir = g_dir_make_tmp ("bench-store-XXXXXX", NULL);
  g_autofree char *bare_dir = g_dir_make_tmp ("bench-bare-XXXXXX", NULL);
  g_autofree char *cleanup = NULL;
  Figure store, bare;

  if (store_dir == NULL || bare_dir == NULL || n == 0)
    g_error ("cannot make the data directories (or BENCH_STORE_MESSAGES is 0)");
  printf ("%u C2C messages, %d pairs, %d a commit, data in %s\n", n, BENCH_STORE_PAIRS,
          BENCH_STORE_PER_COMMIT, g_get_tmp_dir ());
  /* The store first: it configures SQLite, which only works before SQLite's first use. */
  store = measure_store (store_dir, n);
  bare = measure_bare (bare_dir, n);
  printf ("store insert: %.1f us CPU per message (%.1f us wall)\n", store.cpu_us, store.wall_us);
  printf ("bare INSERT of the same row, no index: %.1f us CPU per message (%.1f us wall)\n",
          bare.cpu_us, bare.wall_us);
  printf ("store: server %.1f us, raw %.1f us, ratio %.2f (CPU per message; no goal)\n",
          store.cpu_us, bare.cpu_us, bare.cpu_us / store.cpu_us);
  cleanup = g_strdup_printf ("rm -rf '%s' '%s'", store_dir, bare_dir);
  g_spawn_command_line_sync (cleanup, NULL, NULL, NULL, NULL);
  return 0;
}
