/* test-tim-store-common.c: the helpers both of TimLocalStore's test programs
 * (tests/test-tim-store-records.c and -recovery.c) use: a directory of its own for each test,
 * removed after, a store opened there, and a small record. */
#define G_LOG_DOMAIN "test-tim-store-common"

#include "config.h"

#include <glib/gstdio.h>

#include "test-tim-store-common.h"

char *
make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-tim-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
remove_dir (const char *dir)
{
  const char *names[] = { "local.db", "local.db-wal", "local.db-shm", "local.lock" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

JsonObject *
record (const char *id, gint64 n)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "ID", id);
  json_object_set_int_member (object, "n", n);
  return object;
}

TimLocalStore *
open_store (const char *dir)
{
  g_autoptr (GError) error = NULL;
  TimLocalStore *store = tim_local_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}
