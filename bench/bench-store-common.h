/* bench-store-common.h: what bench-store and bench-purge share: a durable store with its users,
 * and the C2C traffic of BENCH_STORE_PAIRS pairs, stored the way the relay's main loop stores it.
 */
#pragma once

#include "timchat-store.h"

G_BEGIN_DECLS

#define BENCH_STORE_PAIRS 50
#define BENCH_STORE_PER_COMMIT 128

/* A durable store in dir with the 2 × BENCH_STORE_PAIRS users; a failure ends the program. */
TimchatStore *bench_store_open (const char *dir);
/* Message i of the traffic: user_{i % pairs} to user_{pairs + i % pairs}, each sender's own
 * sequence growing as the SDK's, a random MsgRandom. */
TimchatMsg *bench_store_c2c_msg (guint i, gint64 time, const char *body);
/* Stores messages 0 … n - 1 (time_of (i, n) each), the main loop turning (and the store
 * committing) every BENCH_STORE_PER_COMMIT of them; a failure ends the program. */
void bench_store_insert (TimchatStore *store, guint n, gint64 (*time_of) (guint i, guint n),
                         const char *body);
/* Runs the main context until it has nothing left to do: the store's commit among it. */
void bench_store_settle (void);

G_END_DECLS
