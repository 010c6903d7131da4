/* tim-local-store-lock.c: who may remove an account's store. Every process that has the store
 * open holds a shared flock () on DIR/local.lock; removing takes it exclusively, without waiting,
 * and removes only a store that no login ever succeeded with and whose outbox is empty. The
 * timchat-cli removes the store its refused first login made (the store opens before the server
 * answers); a second process of the same user, on the same data directory, could be using that
 * store meanwhile, and it went with everything that process had put in it. A lock file rather
 * than a flock () on local.db: SQLite's own locks are fcntl () locks on that file, which flock ()
 * meets on NFS. */
#define G_LOG_DOMAIN "tim-local-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tim-local-store-private.h"

#define LOCK_NAME "local.lock"
/* A remover can take the directory away between our mkdir and our lock, a few times at most. */
#define LOCK_ATTEMPTS 10

static gboolean
set_errno_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Local store: %s %s: %s",
               what, path, g_strerror (saved_errno));
  return FALSE;
}

static int
flock_retrying (int fd, int operation)
{
  int rc;

  do
    rc = flock (fd, operation);
  while (rc != 0 && errno == EINTR);
  return rc;
}

int
_tim_local_store_lock_shared (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, LOCK_NAME, NULL);

  for (guint attempt = 0; attempt < LOCK_ATTEMPTS; attempt++)
    {
      struct stat st;
      int fd;

      if (g_mkdir_with_parents (dir, 0700) != 0)
        return set_errno_error (error, errno, "cannot create", dir), -1;
      fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0)
        return set_errno_error (error, errno, "cannot open", path), -1;
      /* Waits only while a remover holds it, which does not wait for anything. */
      if (flock_retrying (fd, LOCK_SH) != 0)
        {
          int saved_errno = errno;

          close (fd);
          return set_errno_error (error, saved_errno, "cannot lock", path), -1;
        }
      /* Removed while we waited: the directory is made anew, with a store of its own. */
      if (fstat (fd, &st) == 0 && st.st_nlink > 0)
        return fd;
      close (fd);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "Local store: %s kept being removed", dir);
  return -1;
}

/* Whether the store in dir holds anything of the account's: a login that succeeded (its tinyid)
 * or a message waiting to be sent. A store that cannot be read is taken to hold something. */
static gboolean
holds_account_data (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean holds = TRUE;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db,
                          "SELECT EXISTS (SELECT 1 FROM kv WHERE key = 'tinyid')"
                          " OR EXISTS (SELECT 1 FROM outbox)",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    holds = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return holds;
}

static gboolean
remove_tree (const char *path, GError **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) children = g_dir_open (path, 0, error);
      const char *name;

      if (children == NULL)
        return FALSE;
      while ((name = g_dir_read_name (children)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_remove (path) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, "cannot remove", path);
  return TRUE;
}

gboolean
tim_local_store_remove_unused (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, LOCK_NAME, NULL);
  gboolean removed;
  int fd;

  g_return_val_if_fail (dir != NULL, FALSE);

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return errno == ENOENT && !g_file_test (dir, G_FILE_TEST_EXISTS)
               ? TRUE
               : set_errno_error (error, errno, "cannot open", path);
  if (flock_retrying (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "Local store: %s is in use", dir);
          return FALSE;
        }
      return set_errno_error (error, saved_errno, "cannot lock", path);
    }
  if (holds_account_data (dir))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "Local store: %s holds the account's data",
                   dir);
      return FALSE;
    }
  /* The lock file goes with the rest while held: one who waits for it then sees it removed. */
  removed = remove_tree (dir, error);
  close (fd);
  return removed;
}
