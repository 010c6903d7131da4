/* test-tim-downloader.c: TimDownloader against the real timchat-server's /files URLs: the file
 * arrives intact with progress that ends at its size, a second fetch comes from the cache
 * without a request, a destination gets a copy (whole, or nothing when the copy fails partway;
 * never over a file put there meanwhile), 404 and bad URLs fail, and a cancelled download
 * leaves nothing behind. */
#define G_LOG_DOMAIN "test-tim-downloader"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/resource.h>

#include "tim-downloader.h"
#include "tim-uploader.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *tmp_dir;

typedef struct
{
  GArray *progress; /* goffset */
  goffset total;
  goffset cancel_at;
  const char *put_path; /* a file put there once the transfer is under way */
  GCancellable *cancellable;
  GFile *file;
  GError *error;
  gboolean done;
} Run;

static void
progress_cb (goffset received, goffset total, gpointer user_data)
{
  Run *run = user_data;

  g_array_append_val (run->progress, received);
  run->total = total;
  if (run->cancel_at > 0 && received >= run->cancel_at)
    g_cancellable_cancel (run->cancellable);
  if (run->put_path != NULL && received > 0)
    {
      /* A new file (a new inode), as a browser's download or a save of another program makes. */
      g_assert_true (g_file_set_contents (run->put_path, "theirs", 6, NULL));
      run->put_path = NULL;
    }
}

static void
fetch_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &run->error);
  run->done = TRUE;
}

/* As run_fetch (), and puts a file at put_path once the first bytes have come. */
static void
run_fetch_putting (TimDownloader *downloader, const char *url, GFile *destination,
                   const char *put_path, Run *run)
{
  *run = (Run){ 0 };
  run->progress = g_array_new (FALSE, FALSE, sizeof (goffset));
  run->cancellable = g_cancellable_new ();
  run->put_path = put_path;
  tim_downloader_fetch_async (downloader, url, destination, progress_cb, run, run->cancellable,
                              fetch_cb, run);
  g_assert_true (tim_test_wait_flag (&run->done, 30000));
}

static void
run_fetch (TimDownloader *downloader, const char *url, GFile *destination, goffset cancel_at,
           Run *run)
{
  *run = (Run){ 0 };
  run->progress = g_array_new (FALSE, FALSE, sizeof (goffset));
  run->cancellable = g_cancellable_new ();
  run->cancel_at = cancel_at;
  tim_downloader_fetch_async (downloader, url, destination, progress_cb, run, run->cancellable,
                              fetch_cb, run);
  g_assert_true (tim_test_wait_flag (&run->done, 30000));
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->progress, g_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->file);
  g_clear_error (&run->error);
}

static void
upload_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  JsonObject **answer = user_data;
  g_autoptr (GError) error = NULL;

  *answer = tim_uploader_upload_finish (TIM_UPLOADER (source), result, &error);
  g_assert_no_error (error);
}

/* Uploads size bytes of a repeating pattern; returns the /files URL and the content. */
static char *
upload (const char *name, gsize size, GBytes **content_out)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autofree char *base =
      g_strdup_printf ("http://127.0.0.1:%u", timchat_fixture_get_port (fixture));
  g_autoptr (TimUploader) uploader = tim_uploader_new (base);
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  guchar *data = g_malloc (size);
  JsonObject *answer = NULL;
  char *url;

  for (gsize i = 0; i < size; i++)
    data[i] = (guchar) (i * 7 + i / 251);
  g_assert_true (g_file_set_contents (path, (char *) data, size, &error));
  g_assert_no_error (error);
  *content_out = g_bytes_new_take (data, size);
  tim_uploader_set_ticket (uploader, timchat_test_client_get_a2 (alice));
  tim_uploader_upload_async (uploader, TIM_ELEM_FILE, file, NULL, NULL, NULL, NULL, upload_cb,
                             &answer);
  while (answer == NULL)
    g_main_context_iteration (NULL, TRUE);
  url = g_strdup (json_object_get_string_member (answer, "Url"));
  json_object_unref (answer);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_nonnull (strstr (url, "/files/"));
  return url;
}

static void
assert_file_content (GFile *file, GBytes *expected)
{
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);

  g_assert_nonnull (bytes);
  g_assert_true (g_bytes_equal (bytes, expected));
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_fetch_and_cache (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cache-fetch", NULL);
  g_autoptr (TimDownloader) downloader = tim_downloader_new (cache);
  g_autoptr (GBytes) content = NULL;
  g_autofree char *url = upload ("three.bin", 3 * 1000 * 1000, &content);
  g_autoptr (GFile) first = NULL;
  Run run;

  g_assert_null (tim_downloader_lookup (downloader, url));
  run_fetch (downloader, url, NULL, 0, &run);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.file);
  assert_file_content (run.file, content);
  /* Progress: several reports, never decreasing, the last one the whole file. */
  g_test_message ("%u progress reports", run.progress->len);
  g_assert_cmpuint (run.progress->len, >, 5);
  for (guint i = 1; i < run.progress->len; i++)
    g_assert_cmpint (g_array_index (run.progress, goffset, i), >=,
                     g_array_index (run.progress, goffset, i - 1));
  g_assert_cmpint (g_array_index (run.progress, goffset, run.progress->len - 1), ==,
                   3 * 1000 * 1000);
  g_assert_cmpint (run.total, ==, 3 * 1000 * 1000);
  first = g_object_ref (run.file);
  run_clear (&run);

  /* In the cache now: the same file, at once, without a transfer (no progress at all). */
  {
    g_autoptr (GFile) cached = tim_downloader_lookup (downloader, url);
    g_autofree char *dir = g_file_get_path (first);

    g_assert_nonnull (cached);
    g_assert_true (g_file_equal (cached, first));
    g_assert_true (g_str_has_prefix (dir, cache));
    g_assert_true (g_str_has_suffix (dir, ".bin"));
  }
  run_fetch (downloader, url, NULL, 0, &run);
  g_assert_no_error (run.error);
  g_assert_true (g_file_equal (run.file, first));
  g_assert_cmpuint (run.progress->len, ==, 0);
  run_clear (&run);
  g_assert_cmpuint (count_files (cache), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&downloader));
}

static void
test_destination (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cache-dest", NULL);
  g_autoptr (TimDownloader) downloader = tim_downloader_new (cache);
  g_autoptr (GBytes) content = NULL;
  g_autofree char *url = upload ("report.pdf", 200 * 1000, &content);
  g_autofree char *path = g_build_filename (tmp_dir, "saved report.pdf", NULL);
  g_autoptr (GFile) destination = g_file_new_for_path (path);
  Run run;

  run_fetch (downloader, url, destination, 0, &run);
  g_assert_no_error (run.error);
  g_assert_true (g_file_equal (run.file, destination));
  assert_file_content (destination, content);
  run_clear (&run);
  /* A second save overwrites from the cache. */
  g_assert_true (g_file_set_contents (path, "old", 3, NULL));
  run_fetch (downloader, url, destination, 0, &run);
  g_assert_no_error (run.error);
  assert_file_content (destination, content);
  run_clear (&run);
}

/* A copy into the destination that fails partway (the process's file size limit stops it as a
 * full disk would): nothing under the destination's name or beside it, and a file that was there
 * is kept as it was. The copy went straight into the final name and left its first megabyte
 * there, to be shown and opened as the file. */
static void
test_destination_whole_or_nothing (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cache-partial", NULL);
  g_autofree char *downloads = g_build_filename (tmp_dir, "Downloads", NULL);
  g_autofree char *new_path = g_build_filename (downloads, "movie.bin", NULL);
  g_autofree char *old_path = g_build_filename (downloads, "older movie.bin", NULL);
  g_autoptr (GFile) new_file = g_file_new_for_path (new_path);
  g_autoptr (GFile) old_file = g_file_new_for_path (old_path);
  g_autoptr (TimDownloader) downloader = tim_downloader_new (cache);
  g_autoptr (GBytes) content = NULL;
  g_autoptr (GBytes) old_content = g_bytes_new_static ("old", 3);
  g_autofree char *url = upload ("movie.bin", 4 * 1024 * 1024, &content);
  struct rlimit saved, limited;
  Run run;

  g_assert_cmpint (g_mkdir_with_parents (downloads, 0700), ==, 0);
  g_assert_true (g_file_set_contents (old_path, "old", 3, NULL));
  /* In the cache first: the limit below stops only the copy out of it. */
  run_fetch (downloader, url, NULL, 0, &run);
  g_assert_no_error (run.error);
  run_clear (&run);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 1024 * 1024;
  signal (SIGXFSZ, SIG_IGN); /* a write past the limit fails with EFBIG rather than killing */
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);
  run_fetch (downloader, url, new_file, 0, &run);
  g_test_message ("new file: %s", run.error != NULL ? run.error->message : "no error");
  g_assert_nonnull (run.error);
  g_assert_null (run.file);
  run_clear (&run);
  run_fetch (downloader, url, old_file, 0, &run);
  g_test_message ("old file: %s", run.error != NULL ? run.error->message : "no error");
  g_assert_nonnull (run.error);
  g_assert_null (run.file);
  run_clear (&run);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, SIG_DFL);

  g_assert_false (g_file_query_exists (new_file, NULL));
  assert_file_content (old_file, old_content);
  g_assert_cmpuint (count_files (downloads), ==, 1);

  /* With room again, the whole file. */
  run_fetch (downloader, url, new_file, 0, &run);
  g_assert_no_error (run.error);
  assert_file_content (new_file, content);
  run_clear (&run);
  g_assert_cmpuint (count_files (downloads), ==, 2);
}

/* A file put at the destination while the download comes (another download of that name, a
 * file the user saved there) was chosen by no one to be replaced: it is kept, the download fails
 * with G_IO_ERROR_EXISTS and leaves nothing beside it, and its data waits in the cache for the
 * next try. The rename of the finished copy overwrote it, lost. A file that was there when the
 * save was asked for and stays as it was is replaced, as Save As confirmed (test_destination). */
static void
test_destination_appeared_meanwhile (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cache-appeared", NULL);
  g_autofree char *dir = g_build_filename (tmp_dir, "Appeared", NULL);
  g_autofree char *new_path = g_build_filename (dir, "song.bin", NULL);
  g_autofree char *old_path = g_build_filename (dir, "old song.bin", NULL);
  g_autoptr (GFile) new_file = g_file_new_for_path (new_path);
  g_autoptr (GFile) old_file = g_file_new_for_path (old_path);
  g_autoptr (TimDownloader) downloader = tim_downloader_new (cache);
  g_autoptr (GBytes) content = NULL;
  g_autoptr (GBytes) other_content = NULL;
  g_autoptr (GBytes) theirs = g_bytes_new_static ("theirs", 6);
  g_autofree char *url = upload ("song.bin", 4 * 1024 * 1024, &content);
  g_autofree char *other_url = upload ("other song.bin", 4 * 1024 * 1024, &other_content);
  g_autoptr (GFile) cached = NULL;
  Run run;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* Nothing there when asked: one appears. */
  run_fetch_putting (downloader, url, new_file, new_path, &run);
  g_test_message ("appeared: %s", run.error != NULL ? run.error->message : "no error");
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (run.error->message, "song.bin"));
  g_assert_null (run.file);
  run_clear (&run);
  assert_file_content (new_file, theirs);
  g_assert_cmpuint (count_files (dir), ==, 1);
  cached = tim_downloader_lookup (downloader, url);
  g_assert_nonnull (cached);

  /* One there when asked (Save As confirmed replacing it), replaced by another meanwhile. */
  g_assert_true (g_file_set_contents (old_path, "old", 3, NULL));
  run_fetch_putting (downloader, other_url, old_file, old_path, &run);
  g_test_message ("replaced: %s", run.error != NULL ? run.error->message : "no error");
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (run.file);
  run_clear (&run);
  assert_file_content (old_file, theirs);
  g_assert_cmpuint (count_files (dir), ==, 2);
}

static void
test_errors (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cache-errors", NULL);
  g_autoptr (TimDownloader) downloader = tim_downloader_new (cache);
  g_autofree char *missing =
      timchat_fixture_url (fixture, "/files/00000000000000000000000000000000.bin");
  Run run;

  run_fetch (downloader, missing, NULL, 0, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (run.error->message, ==, "The file is no longer on the server (HTTP 404)");
  g_assert_null (run.file);
  run_clear (&run);
  g_assert_null (tim_downloader_lookup (downloader, missing));

  run_fetch (downloader, "file:///etc/passwd", NULL, 0, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  run_clear (&run);

  /* Nothing listens there. */
  run_fetch (downloader, "http://127.0.0.1:1/files/x.bin", NULL, 0, &run);
  g_assert_nonnull (run.error);
  g_assert_null (run.file);
  run_clear (&run);
  g_assert_cmpuint (count_files (cache), ==, 0);
}

static void
test_cancel (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cache-cancel", NULL);
  g_autoptr (TimDownloader) downloader = tim_downloader_new (cache);
  g_autoptr (GBytes) content = NULL;
  g_autofree char *url = upload ("big.bin", 40 * 1024 * 1024, &content);
  goffset last;
  Run run;

  run_fetch (downloader, url, NULL, 256 * 1024, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.file);
  last = g_array_index (run.progress, goffset, run.progress->len - 1);
  g_test_message ("cancelled after %" G_GOFFSET_FORMAT " bytes", last);
  g_assert_cmpint (last, <, 40 * 1024 * 1024);
  run_clear (&run);
  /* No partial file, no cache entry. */
  g_assert_cmpuint (count_files (cache), ==, 0);
  g_assert_null (tim_downloader_lookup (downloader, url));

  /* It still works afterwards. */
  run_fetch (downloader, url, NULL, 0, &run);
  g_assert_no_error (run.error);
  assert_file_content (run.file, content);
  run_clear (&run);
}

/* A file that comes compressed (a reverse proxy's gzip, a CDN serving it stored compressed)
 * arrives as it was sent: its Content-Length is the compressed size, not the file's, which libsoup
 * decodes on the way. Taken for the file's size, every such download failed ("ended after 300000
 * of 1234 bytes"), with progress past its end. */
static void
test_compressed_by_proxy (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cache-gzip", NULL);
  g_autoptr (TimDownloader) downloader = tim_downloader_new (cache);
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autoptr (GBytes) content = NULL;
  g_autofree char *url = upload ("compressed.txt", 300 * 1000, &content);
  g_autofree char *base = timchat_test_proxy_http_url (proxy);
  g_autofree char *proxied = g_strconcat (base, strstr (url, "/files/"), NULL);
  Run run;

  timchat_test_proxy_gzip_answers (proxy, TRUE);
  run_fetch (downloader, proxied, NULL, 0, &run);
  g_assert_no_error (run.error);
  assert_file_content (run.file, content);
  g_assert_cmpuint (run.progress->len, >, 0);
  for (guint i = 1; i < run.progress->len; i++)
    g_assert_cmpint (g_array_index (run.progress, goffset, i), >=,
                     g_array_index (run.progress, goffset, i - 1));
  g_assert_cmpint (g_array_index (run.progress, goffset, run.progress->len - 1), ==, 300 * 1000);
  /* Never more than the size it gave: none, as for a chunked answer. */
  g_assert_cmpint (run.total, ==, 0);
  run_clear (&run);
}

static void
test_default (void)
{
  TimDownloader *downloader = tim_downloader_get_default ();
  g_autofree char *expected = g_build_filename (g_get_user_cache_dir (), "timchat", NULL);

  g_assert_true (downloader == tim_downloader_get_default ());
  g_assert_true (g_str_has_prefix (tim_downloader_get_cache_dir (downloader), expected));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-tim-downloader-XXXXXX", &error);
  g_assert_no_error (error);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/downloader/fetch-and-cache", test_fetch_and_cache);
  g_test_add_func ("/tim/downloader/destination", test_destination);
  g_test_add_func ("/tim/downloader/destination-whole-or-nothing",
                   test_destination_whole_or_nothing);
  g_test_add_func ("/tim/downloader/destination-appeared-meanwhile",
                   test_destination_appeared_meanwhile);
  g_test_add_func ("/tim/downloader/errors", test_errors);
  g_test_add_func ("/tim/downloader/cancel", test_cancel);
  g_test_add_func ("/tim/downloader/compressed-by-proxy", test_compressed_by_proxy);
  g_test_add_func ("/tim/downloader/default", test_default);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  timchat_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
