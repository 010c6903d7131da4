/* test-sqlite-vfs.c: the WAL never starts over while a checkpoint's copies into the database are
 * not synced (src/server/timchat-sqlite-vfs.c), on a real SQLite file. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "timchat-sqlite-vfs.h"

typedef struct
{
  char *dir;
  char *path;
  TimchatSqliteVfs *vfs;
  sqlite3 *db;           /* the store's connection */
  sqlite3 *checkpointer; /* the checkpoint thread's */
  int wal_pages;         /* the WAL's size after the last commit of db */
} Fixture;

static int
on_wal_commit (gpointer user_data, sqlite3 *db, const char *name, int wal_pages)
{
  Fixture *f = user_data;

  f->wal_pages = wal_pages;
  return SQLITE_OK;
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("test-sqlite-vfs-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->vfs = timchat_sqlite_vfs_new ();
  g_assert_cmpint (sqlite3_open_v2 (f->path, &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    timchat_sqlite_vfs_get_name (f->vfs)),
                   ==, SQLITE_OK);
  exec (f->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  /* As the store: checkpoints only by the checkpointer. */
  sqlite3_wal_hook (f->db, on_wal_commit, f);
  exec (f->db, "CREATE TABLE t (x TEXT)");
  g_assert_cmpint (sqlite3_open_v2 (f->path, &f->checkpointer, SQLITE_OPEN_READWRITE,
                                    timchat_sqlite_vfs_get_checkpointer_name (f->vfs)),
                   ==, SQLITE_OK);
  exec (f->checkpointer, "PRAGMA synchronous = NORMAL");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  if (f->checkpointer != NULL)
    sqlite3_close (f->checkpointer);
  if (f->db != NULL)
    sqlite3_close (f->db);
  timchat_sqlite_vfs_free (f->vfs);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
write_rows (Fixture *f, int rows)
{
  exec (f->db, "BEGIN");
  for (int i = 0; i < rows; i++)
    exec (f->db, "INSERT INTO t VALUES (hex (randomblob (500)))");
  exec (f->db, "COMMIT");
}

/* Copies every frame; returns the WAL's size in frames. */
static int
checkpoint (Fixture *f, int mode, int expected_rc)
{
  int log_pages = -1, copied_pages = -1;

  g_assert_cmpint (
      sqlite3_wal_checkpoint_v2 (f->checkpointer, NULL, mode, &log_pages, &copied_pages), ==,
      expected_rc);
  if (expected_rc == SQLITE_OK)
    g_assert_cmpint (copied_pages, ==, log_pages);
  return log_pages;
}

static gint64
count_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  gint64 rows;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t", -1, &statement, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  rows = sqlite3_column_int64 (statement, 0);
  sqlite3_finalize (statement);
  sqlite3_close (db);
  return rows;
}

/* A writer finding the WAL fully copied starts it over, unless the copies are not synced. */
static void
test_writer_restart (Fixture *f, gconstpointer data)
{
  int log_pages;

  write_rows (f, 20);
  log_pages = checkpoint (f, SQLITE_CHECKPOINT_PASSIVE, SQLITE_OK);
  g_assert_cmpint (log_pages, >, 5);
  /* The checkpointer's sync of the database was left for later. */
  g_assert_true (timchat_sqlite_vfs_is_dirty (f->vfs));

  /* Without the shim this would overwrite the WAL from its start: it went on after the end. */
  write_rows (f, 1);
  g_assert_cmpint (f->wal_pages, >, log_pages);
  g_assert_true (timchat_sqlite_vfs_is_dirty (f->vfs));

  /* Allowed: the database is synced first, then the WAL starts over. */
  log_pages = checkpoint (f, SQLITE_CHECKPOINT_PASSIVE, SQLITE_OK);
  timchat_sqlite_vfs_allow_restart (f->vfs);
  write_rows (f, 1);
  g_assert_cmpint (f->wal_pages, <, log_pages);
  g_assert_false (timchat_sqlite_vfs_is_dirty (f->vfs));

  /* One restart per permission. */
  log_pages = checkpoint (f, SQLITE_CHECKPOINT_PASSIVE, SQLITE_OK);
  g_assert_true (timchat_sqlite_vfs_is_dirty (f->vfs));
  write_rows (f, 1);
  g_assert_cmpint (f->wal_pages, >, log_pages);
  g_assert_cmpint (count_rows (f->path), ==, 23);
}

/* A RESTART checkpoint waits for the same permission; the bulk sync makes the database clean. */
static void
test_restart_checkpoint (Fixture *f, gconstpointer data)
{
  write_rows (f, 20);
  checkpoint (f, SQLITE_CHECKPOINT_PASSIVE, SQLITE_OK);
  checkpoint (f, SQLITE_CHECKPOINT_RESTART, SQLITE_BUSY);
  g_assert_true (timchat_sqlite_vfs_is_dirty (f->vfs));

  g_assert_true (timchat_sqlite_vfs_sync_database (f->checkpointer));
  g_assert_false (timchat_sqlite_vfs_is_dirty (f->vfs));
  /* Clean: nothing to guard, the restart goes ahead. */
  write_rows (f, 5);
  timchat_sqlite_vfs_allow_restart (f->vfs);
  checkpoint (f, SQLITE_CHECKPOINT_RESTART, SQLITE_OK);
  g_assert_false (timchat_sqlite_vfs_is_dirty (f->vfs));
  write_rows (f, 1);
  g_assert_cmpint (f->wal_pages, <, 5);
  g_assert_cmpint (count_rows (f->path), ==, 26);
}

/* The last connection deletes the WAL on close: the database is synced before. */
static void
test_close (Fixture *f, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  write_rows (f, 20);
  checkpoint (f, SQLITE_CHECKPOINT_PASSIVE, SQLITE_OK);
  g_assert_true (timchat_sqlite_vfs_is_dirty (f->vfs));
  sqlite3_close (f->checkpointer);
  f->checkpointer = NULL;
  sqlite3_close (f->db);
  f->db = NULL;
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (timchat_sqlite_vfs_is_dirty (f->vfs));
  g_assert_cmpint (count_rows (f->path), ==, 20);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sqlite-vfs/writer-restart", Fixture, NULL, fixture_set_up, test_writer_restart,
              fixture_tear_down);
  g_test_add ("/sqlite-vfs/restart-checkpoint", Fixture, NULL, fixture_set_up,
              test_restart_checkpoint, fixture_tear_down);
  g_test_add ("/sqlite-vfs/close", Fixture, NULL, fixture_set_up, test_close, fixture_tear_down);
  return g_test_run ();
}
