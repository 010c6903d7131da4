/* test-tim-store-common.h: what both of TimLocalStore's test programs
 * (tests/test-tim-store-records.c and -recovery.c) use, kept once in test-tim-store-common.c. */
#pragma once

#include <json-glib/json-glib.h>

#include "tim-local-store.h"

G_BEGIN_DECLS

/* A new temporary directory (asserted). */
char *make_dir (void);
/* Removes dir with the store's files in it (local.db, its WAL and shared memory, its lock). */
void remove_dir (const char *dir);
/* A record {"ID": id, "n": n}. */
JsonObject *record (const char *id, gint64 n);
/* The store in dir, opened (asserted). */
TimLocalStore *open_store (const char *dir);

G_END_DECLS
