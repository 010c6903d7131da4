/* test-store-common.c: the helpers both of the SQLite store's test programs
 * (tests/test-store-records.c and -durability.c) use: a store on a new file for each test, C2C
 * messages inserted, SQL run on the store's connection. */
#define G_LOG_DOMAIN "test-store-common"

#include "config.h"

#include <glib/gstdio.h>

#include "test-store-common.h"
#include "timchat-store-sqlite-private.h"

void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("timchat-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "timchat.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *lock = g_strconcat (db, ".lock", NULL);

  g_assert_finalize_object (f->store);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (lock);
  g_rmdir (f->dir);
  g_free (f->dir);
}

TimchatMsg *
c2c_msg (const char *from, const char *to, gint64 client_seq, gint64 random, gint64 time)
{
  TimchatMsg *msg = g_new0 (TimchatMsg, 1);

  msg->conv_type = TIM_CONV_C2C;
  msg->from_user = g_strdup (from);
  msg->to_id = g_strdup (to);
  msg->client_seq = client_seq;
  msg->random = random;
  msg->time = time;
  msg->client_time = time;
  msg->priority = 2;
  msg->body = g_strdup ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]");
  return msg;
}

void
insert (TimchatStore *store, TimchatMsg *msg, gboolean expect_duplicate)
{
  g_autoptr (GError) error = NULL;
  gboolean duplicate = !expect_duplicate;

  g_assert_true (timchat_store_insert_message (store, msg, &duplicate, &error));
  g_assert_no_error (error);
  g_assert_cmpint (duplicate, ==, expect_duplicate);
}

void
exec_sql (TimchatStore *store, const char *sql)
{
  g_assert_cmpint (sqlite3_exec (((TimchatStoreSqlite *) store)->db, sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}
