/* test-store-common.h: what both of the SQLite store's test programs
 * (tests/test-store-records.c and -durability.c) use, kept once in test-store-common.c. */
#pragma once

#include "timchat-store.h"

G_BEGIN_DECLS

/* A store on a new file of its own, for g_test_add (): fixture_setup opens it, fixture_teardown
 * asserts it is finalized and removes its files. */
typedef struct
{
  char *dir;
  TimchatStore *store;
} Fixture;

void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);

/* A C2C text message from `from` to `to` (the caller frees it). */
TimchatMsg *c2c_msg (const char *from, const char *to, gint64 client_seq, gint64 random,
                     gint64 time);
/* Inserts msg, asserting it succeeded and was (or was not) a duplicate. */
void insert (TimchatStore *store, TimchatMsg *msg, gboolean expect_duplicate);
/* Runs sql on the store's connection, asserting it succeeded. */
void exec_sql (TimchatStore *store, const char *sql);

G_END_DECLS
