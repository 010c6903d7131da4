/* test-app-file-content.c: a received file in its row. Download saves it in the Downloads folder
 * under its own name (a second one with the same name gets " (2)", also when the first is put
 * there while it comes), with the bytes the sender sent, and then offers Open; Cancel leaves
 * nothing behind; the download outlives its row; a file gone from the server says so and offers
 * Download again. Files go through the real server. Save As from a message's menu is tested
 * apart, in test-app-file-content-save-as.c, to keep each program short; the Downloads folder,
 * the files sent and the desktop's opener both set up are in test-app-file-content-common.c. */
#define G_LOG_DOMAIN "test-app-file-content"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "test-app-file-content-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-file-content.h"

/* ---- helpers ----------------------------------------------------------------------------- */

static gboolean
has_css_class (GtkWidget *widget, gconstpointer css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static GtkStack *
stack_of (GtkWidget *content)
{
  return GTK_STACK (
      test_app_find_widget (content, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_STACK)));
}

static gboolean
offers_open (gpointer content)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (stack_of (content)), "open") == 0;
}

static gboolean
offers_download (gpointer content)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (stack_of (content)), "download") == 0;
}

static void
click_download (GtkWidget *content)
{
  GtkWidget *button = test_app_find_widget (content, test_app_has_button_label, "_Download");

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
assert_saved (GtkWidget *content, const char *name, GBytes *content_bytes)
{
  g_autofree char *path = g_build_filename (downloads, name, NULL);
  g_autofree char *data = NULL;
  gsize length;

  GStatBuf st;
  mode_t mask = umask (0);

  umask (mask);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpmem (data, length, g_bytes_get_data (content_bytes, NULL),
                   g_bytes_get_size (content_bytes));
  /* A file of the user's like any other (not the cache's private 0600). */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);
  g_assert_cmpstr (
      g_file_peek_path (timchat_file_content_get_file (TIMCHAT_FILE_CONTENT (content))), ==, path);
}

typedef struct
{
  const char *what;
} Opened;

/* The caption under the name shows something other than the file's size (an error). */
static gboolean
caption_not_size (gpointer content)
{
  GtkWidget *caption = test_app_find_widget (content, has_css_class, "caption");
  const char *text = gtk_label_get_text (GTK_LABEL (caption));

  return *text != '\0' && !g_str_has_suffix (text, "kB") && !g_str_has_suffix (text, "bytes");
}

static gboolean
was_opened (gpointer data)
{
  g_autofree char *log = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (opened_log, &log, NULL, NULL))
    return FALSE;
  lines = g_strsplit (log, "\n", -1);
  return g_strv_contains ((const char *const *) lines, ((Opened *) data)->what);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_download (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) first_bytes = file_bytes (300 * 1024);
  g_autoptr (GBytes) second_bytes = file_bytes (1000);
  g_autoptr (TimMessage) first = received_file (alice, bob, "notes.txt", first_bytes);
  g_autoptr (TimMessage) second = received_file (alice, bob, "notes.txt", second_bytes);
  GtkWidget *content = test_app_show (timchat_file_content_new (first));

  g_assert_true (offers_download (content));
  g_assert_null (timchat_file_content_get_file (TIMCHAT_FILE_CONTENT (content)));
  click_download (content);
  g_assert_true (tim_test_wait_until (offers_open, content, 10000));
  assert_saved (content, "notes.txt", first_bytes);
  g_assert_nonnull (test_app_find_widget (content, test_app_has_button_label, "_Open"));
  g_assert_nonnull (test_app_find_widget (content, test_app_has_button_label, "Open _Folder"));
  test_app_close (content);

  /* A row made again for the same message (scrolled away and back) offers Open at once. */
  content = test_app_show (timchat_file_content_new (first));
  g_assert_true (offers_open (content));
  test_app_close (content);

  /* Another file of the same name does not overwrite the first. */
  content = test_app_show (timchat_file_content_new (second));
  click_download (content);
  g_assert_true (tim_test_wait_until (offers_open, content, 10000));
  assert_saved (content, "notes (2).txt", second_bytes);
  test_app_close (content);
  content = test_app_show (timchat_file_content_new (first));
  assert_saved (content, "notes.txt", first_bytes);
  test_app_close (content);
  g_assert_cmpuint (timchat_test_count_entries (downloads), ==, 2);
}

/* Two files of the same name downloaded at once (the second clicked while the first is under
 * way, so neither is in Downloads yet): each gets its own name, neither overwrites the other. */
static void
test_download_same_name_at_once (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) first_bytes = file_bytes (1000);
  g_autoptr (GBytes) second_bytes = file_bytes (2000);
  g_autoptr (TimMessage) first = received_file (alice, bob, "twin.txt", first_bytes);
  g_autoptr (TimMessage) second = received_file (alice, bob, "twin.txt", second_bytes);
  GtkWidget *first_content = test_app_show (timchat_file_content_new (first));
  GtkWidget *second_content = test_app_show (timchat_file_content_new (second));
  guint before = timchat_test_count_entries (downloads);

  click_download (first_content);
  click_download (second_content);
  g_assert_true (tim_test_wait_until (offers_open, first_content, 10000));
  g_assert_true (tim_test_wait_until (offers_open, second_content, 10000));
  test_app_iterate (200);
  assert_saved (first_content, "twin.txt", first_bytes);
  assert_saved (second_content, "twin (2).txt", second_bytes);
  g_assert_cmpuint (timchat_test_count_entries (downloads), ==, before + 2);
  test_app_close (first_content);
  test_app_close (second_content);
}

/* A file put in Downloads under the name chosen for a download while it comes (another
 * program's download, a file the user saved there): kept as it is, and the download takes the
 * next free name, as it would have had that file been there when it started. The download's
 * rename overwrote it, lost. */
static void
test_download_name_taken_meanwhile (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) bytes = file_bytes (2 * 1024 * 1024);
  g_autoptr (GBytes) theirs = g_bytes_new_static ("theirs", 6);
  g_autoptr (TimMessage) message = received_file (alice, bob, "taken.txt", bytes);
  GtkWidget *content = test_app_show (timchat_file_content_new (message));
  g_autofree char *taken = g_build_filename (downloads, "taken.txt", NULL);
  g_autoptr (GFile) taken_file = g_file_new_for_path (taken);
  g_autoptr (GBytes) kept = NULL;
  guint before = timchat_test_count_entries (downloads);

  click_download (content);
  /* The name is chosen; nothing has come yet (the transfer needs the main loop). */
  g_assert_true (g_file_set_contents (taken, "theirs", 6, NULL));
  g_assert_true (tim_test_wait_until (offers_open, content, 10000));
  assert_saved (content, "taken (2).txt", bytes);
  kept = g_file_load_bytes (taken_file, NULL, NULL, NULL);
  g_assert_nonnull (kept);
  g_assert_true (g_bytes_equal (kept, theirs));
  g_assert_cmpuint (timchat_test_count_entries (downloads), ==, before + 2);
  test_app_close (content);
}

/* Cancel before it is done: Download again, and no file (nor a part of one) in Downloads. */
static void
test_cancel (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) bytes = file_bytes (8 * 1024 * 1024);
  g_autoptr (TimMessage) message = received_file (alice, bob, "big.bin", bytes);
  GtkWidget *content = test_app_show (timchat_file_content_new (message));
  GtkWidget *cancel;
  guint before = timchat_test_count_entries (downloads);

  click_download (content);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack_of (content)), ==, "progress");
  cancel = test_app_find_widget (content, test_app_has_tooltip, "Cancel Download");
  g_assert_nonnull (cancel);
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_true (offers_download (content));
  test_app_iterate (500);
  g_assert_true (offers_download (content));
  g_assert_null (timchat_file_content_get_file (TIMCHAT_FILE_CONTENT (content)));
  g_assert_cmpuint (timchat_test_count_entries (downloads), ==, before);

  /* And it can still be downloaded after that. */
  click_download (content);
  g_assert_true (tim_test_wait_until (offers_open, content, 20000));
  assert_saved (content, "big.bin", bytes);
  test_app_close (content);
}

/* A download goes on when its row goes (recycled as the list scrolls, or its conversation closed):
 * a row made for the message again shows it under way, then Open with every byte; and so does a
 * row made after it is done. Cancel from that row stops it, for good. */
static void
test_download_outlives_row (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) bytes = file_bytes (8 * 1024 * 1024);
  g_autoptr (GBytes) other_bytes = file_bytes (8 * 1024 * 1024 + 1);
  g_autoptr (TimMessage) message = received_file (alice, bob, "outlives.bin", bytes);
  g_autoptr (TimMessage) other = received_file (alice, bob, "stopped.bin", other_bytes);
  GtkWidget *first = test_app_show (timchat_file_content_new (message));
  GtkWidget *again;
  GtkWidget *later;
  guint before;

  click_download (first);
  /* Gone at once, with nothing run in between: the download is surely still under way. */
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (first)));
  again = test_app_show (timchat_file_content_new (message));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack_of (again)), ==, "progress");
  g_assert_true (tim_test_wait_until (offers_open, again, 20000));
  assert_saved (again, "outlives.bin", bytes);
  test_app_close (again);
  later = test_app_show (timchat_file_content_new (message));
  g_assert_true (offers_open (later));
  test_app_close (later);
  /* Deleted from Downloads since: a row offers Download again. */
  {
    g_autofree char *path = g_build_filename (downloads, "outlives.bin", NULL);

    g_assert_cmpint (g_unlink (path), ==, 0);
    later = test_app_show (timchat_file_content_new (message));
    g_assert_true (offers_download (later));
    test_app_close (later);
  }

  before = timchat_test_count_entries (downloads);
  first = test_app_show (timchat_file_content_new (other));
  click_download (first);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (first)));
  again = test_app_show (timchat_file_content_new (other));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack_of (again)), ==, "progress");
  g_signal_emit_by_name (test_app_find_widget (again, test_app_has_tooltip, "Cancel Download"),
                         "clicked");
  g_assert_true (offers_download (again));
  test_app_iterate (500);
  g_assert_true (offers_download (again));
  g_assert_cmpuint (timchat_test_count_entries (downloads), ==, before);
  test_app_close (again);
}

static void
test_gone_from_server (void)
{
  g_autofree char *url = timchat_fixture_url (fixture, "/files/no-such-file.txt");
  g_autofree char *json = g_strdup_printf (
      "{\"uuid\":\"u\",\"fileName\":\"gone.txt\",\"fileSize\":12,\"fileUrl\":\"%s\"}", url);
  g_autoptr (TimMessage) message =
      tim_test_message_from_payload ("f-alice", "f-bob", TIM_ELEM_FILE, json);
  GtkWidget *content;
  GtkWidget *caption;
  guint before = timchat_test_count_entries (downloads);

  content = test_app_show (timchat_file_content_new (message));
  click_download (content);
  g_assert_true (tim_test_wait_until (offers_download, content, 10000));
  caption = test_app_find_widget (content, has_css_class, "caption");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (caption)), ==,
                   "The file is no longer on the server (HTTP 404)");
  g_assert_cmpuint (timchat_test_count_entries (downloads), ==, before);
  test_app_close (content);
}

/* Open and Open Folder hand the file, and the folder it is in, to the desktop's default
 * applications (here the one set_up_opener () made the default). */
static void
test_open (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  static const char minutes[] = "Minutes of the meeting\n1. Nothing was decided.\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (minutes, sizeof minutes - 1);
  g_autoptr (TimMessage) message = received_file (alice, bob, "minutes.txt", bytes);
  GtkWidget *content = test_app_show (timchat_file_content_new (message));
  g_autofree char *file_path = NULL;
  g_autofree char *folder_path = NULL;
  g_autoptr (GFile) folder = NULL;

  click_download (content);
  g_assert_true (tim_test_wait_until (offers_open, content, 10000));
  /* A local file reaches the application as its path. */
  file_path = g_file_get_path (timchat_file_content_get_file (TIMCHAT_FILE_CONTENT (content)));
  folder = g_file_get_parent (timchat_file_content_get_file (TIMCHAT_FILE_CONTENT (content)));
  folder_path = g_file_get_path (folder);

  g_signal_emit_by_name (test_app_find_widget (content, test_app_has_button_label, "_Open"),
                         "clicked");
  g_assert_true (tim_test_wait_until (was_opened, &(Opened){ file_path }, 10000));
  g_signal_emit_by_name (test_app_find_widget (content, test_app_has_button_label, "Open _Folder"),
                         "clicked");
  g_assert_true (tim_test_wait_until (was_opened, &(Opened){ folder_path }, 10000));
  test_app_close (content);

  /* Nothing here opens raw bytes: the row says so instead of doing nothing. */
  {
    g_autoptr (GBytes) raw = file_bytes (3000);
    g_autoptr (TimMessage) blob = received_file (alice, bob, "blob.bin", raw);

    content = test_app_show (timchat_file_content_new (blob));
    click_download (content);
    g_assert_true (tim_test_wait_until (offers_open, content, 10000));
    g_signal_emit_by_name (test_app_find_widget (content, test_app_has_button_label, "_Open"),
                           "clicked");
    g_assert_true (tim_test_wait_until (caption_not_size, content, 10000));
    test_app_close (content);
  }
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  g_log_set_writer_func (count_errors_said, NULL, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  set_up_downloads ();
  set_up_opener ();
  g_test_add_func ("/app/file-content/download", test_download);
  g_test_add_func ("/app/file-content/download-same-name-at-once", test_download_same_name_at_once);
  g_test_add_func ("/app/file-content/download-name-taken-meanwhile",
                   test_download_name_taken_meanwhile);
  g_test_add_func ("/app/file-content/cancel", test_cancel);
  g_test_add_func ("/app/file-content/download-outlives-row", test_download_outlives_row);
  g_test_add_func ("/app/file-content/gone-from-server", test_gone_from_server);
  g_test_add_func ("/app/file-content/open", test_open);
  return test_app_run (fixture, base_dir);
}
