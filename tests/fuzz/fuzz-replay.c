/* fuzz-replay.c: runs the libFuzzer harness (fuzz-core.c) once on every file of a corpus
 * directory, without libFuzzer, so that the normal gcc build keeps every input the fuzzing
 * campaigns found interesting (and every input that once crashed) as a regression test.
 *
 * Usage: fuzz-core-replay DIR-OR-FILE...; prints TAP, one "ok N - <file>" line per input (in name
 * order, so the numbering is stable), then the plan. An input that breaks the wire layer aborts
 * the program, which the TAP harness reports as a failure. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
add_inputs (GPtrArray *paths, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (paths, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_build_filename (path, names->pdata[i], NULL));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (argc < 2)
    {
      g_printerr ("Usage: %s CORPUS-DIR-OR-FILE...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    add_inputs (paths, argv[i]);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = paths->pdata[i];
      g_autoptr (GError) error = NULL;
      g_autofree char *contents = NULL;
      g_autofree guint8 *exact = NULL;
      g_autofree char *base = g_path_get_basename (path);
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, &error))
        g_error ("%s", error->message);
      /* Exactly the input's bytes, no NUL after them, as libFuzzer passes them. The name goes
       * out first (flushed): an input that aborts the program is the last one named. */
      exact = g_memdup2 (contents, length);
      g_print ("# %s\n", path);
      fflush (stdout);
      LLVMFuzzerTestOneInput (exact, length);
      g_print ("ok %u - %s\n", i + 1, base);
    }
  g_print ("1..%u\n", paths->len);
  return 0;
}
