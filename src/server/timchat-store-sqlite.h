/* timchat-store-sqlite.h: the SQLite (WAL) storage engine. */
#pragma once

#include "timchat-store.h"

G_BEGIN_DECLS

#define TIMCHAT_TYPE_STORE_SQLITE (timchat_store_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (TimchatStoreSqlite, timchat_store_sqlite, TIMCHAT, STORE_SQLITE, TimchatStore)

TimchatStore *timchat_store_sqlite_new (const char *path, gboolean durable, GError **error);

G_END_DECLS
