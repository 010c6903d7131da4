/* test-app-file-content-save-as.c: Save As on a received file, against the real server: from a
 * message's menu the file chooser opens in the Downloads folder with the file's name (an image's
 * the server gave it) and Save puts the file there; another conversation opened while the chooser
 * is up, or before the file has come, still saves it; a copy that fails partway leaves nothing
 * under the chosen name and keeps the file that was there. Split from test-app-file-content.c
 * (the file's row, its download and Open there) to keep each program short; the Downloads folder,
 * the files sent and the log of the errors said are in test-app-file-content-common.c. */
#define G_LOG_DOMAIN "test-app-file-content-save-as"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/resource.h>

#include "test-app-file-content-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-conversation-view-private.h"

static gboolean
view_has (gpointer data)
{
  TimchatConversationView *view = data;
  const char *id = g_object_get_data (G_OBJECT (view), "expect");

  return view->messages != NULL && tim_message_list_lookup (view->messages, id) != NULL;
}

static GtkWidget *
find_chooser (void)
{
  return (GtkWidget *) test_app_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG,
                                               gtk_widget_get_visible);
}

static gboolean
chooser_shown (gpointer unused)
{
  return find_chooser () != NULL;
}

static gboolean
chooser_picked (gpointer chooser)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL && g_file_equal (file, g_object_get_data (G_OBJECT (chooser), "expect"));
}

static gboolean
chooser_gone (gpointer unused)
{
  return find_chooser () == NULL;
}

typedef struct
{
  const char *path;
  GBytes *bytes;
} Saved;

/* The file is at path, whole: a copy is written in steps, a download renamed there at its end.
 * For tim_test_wait_until; what it holds is for the test to check. */
static gboolean
saved_whole (gpointer data)
{
  Saved *saved = data;
  GStatBuf st;

  return g_stat (saved->path, &st) == 0 && (gsize) st.st_size >= g_bytes_get_size (saved->bytes);
}

/* Save As on message once view shows it: the chooser it opens. */
static GtkWidget *
open_save_as (TimchatConversationView *view, TimMessage *message)
{
  g_object_set_data_full (G_OBJECT (view), "expect", g_strdup (tim_message_get_id (message)),
                          g_free);
  g_assert_true (tim_test_wait_until (view_has, view, 10000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.save-as", "s",
                                             tim_message_get_id (message)));
  g_assert_true (tim_test_wait_until (chooser_shown, NULL, 5000));
  return find_chooser ();
}

/* "Save As…" from a message's menu: the file chooser (GTK's own dialog here; the portal's in
 * Flatpak) opens in the Downloads folder with the file's name, and Save puts the file there.
 * An image has no name of its own: the server's name for it is suggested. */
static void
test_save_as (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) bytes = file_bytes (64 * 1024);
  g_autoptr (TimMessage) message = received_file (alice, bob, "report.pdf", bytes);
  g_autoptr (GFile) png = test_app_write_png (base_dir, "photo.png", 40, 30);
  g_autoptr (TimMessage) sent_image =
      tim_client_create_image_message (alice, "f-bob", TIM_CONV_C2C, png);
  g_autoptr (TimMessage) image = tim_test_send_and_receive (alice, bob, sent_image);
  g_autofree char *target = g_build_filename (downloads, "report.pdf", NULL);
  g_autofree char *data = NULL;
  g_autofree char *image_name = NULL;
  gsize length;
  TimchatConversationView *view =
      TIMCHAT_CONVERSATION_VIEW (test_app_show (timchat_conversation_view_new (bob)));
  GtkWidget *chooser;

  timchat_conversation_view_set_conversation_id (view, "C2Cf-alice");
  chooser = open_save_as (view, message);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Save As");
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==,
                   "report.pdf");
  g_object_set_data_full (G_OBJECT (chooser), "expect", g_file_new_for_path (target),
                          g_object_unref);
  g_assert_true (tim_test_wait_until (chooser_picked, chooser, 5000));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (tim_test_wait_until (saved_whole, &(Saved){ target, bytes }, 10000));
  g_assert_true (g_file_get_contents (target, &data, &length, NULL));
  g_assert_cmpmem (data, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_true (tim_test_wait_until (chooser_gone, NULL, 5000));

  /* An image: the name the server gave it, with its extension. */
  chooser = open_save_as (view, image);
  image_name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_true (g_str_has_suffix (image_name, ".png"));
  g_assert_true (g_str_has_suffix (tim_message_get_media_url (image), image_name));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (tim_test_wait_until (chooser_gone, NULL, 5000));
  test_app_close (GTK_WIDGET (view));
}

/* Another conversation opened while the Save As chooser is up (it is modal, but a
 * notification's click opens a conversation all the same): Save still saves the file the chooser
 * was opened for. The chooser's response looked the message up in the conversation open then,
 * did not find it there, and saved nothing without a word. */
static void
test_save_as_chooser_then_other_conversation (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) bytes = file_bytes (64 * 1024);
  g_autoptr (TimMessage) message = received_file (alice, bob, "agenda.pdf", bytes);
  g_autofree char *target = g_build_filename (downloads, "agenda-saved.pdf", NULL);
  g_autofree char *data = NULL;
  gsize length;
  TimchatConversationView *view =
      TIMCHAT_CONVERSATION_VIEW (test_app_show (timchat_conversation_view_new (bob)));
  GtkWidget *chooser;

  timchat_conversation_view_set_conversation_id (view, "C2Cf-alice");
  chooser = open_save_as (view, message);
  /* As the window's open-conversation does it. */
  timchat_conversation_view_set_conversation_id (view, "C2Cf-carol");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "agenda-saved.pdf");
  g_object_set_data_full (G_OBJECT (chooser), "expect", g_file_new_for_path (target),
                          g_object_unref);
  g_assert_true (tim_test_wait_until (chooser_picked, chooser, 5000));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (tim_test_wait_until (saved_whole, &(Saved){ target, bytes }, 10000));
  g_assert_true (g_file_get_contents (target, &data, &length, NULL));
  g_assert_cmpmem (data, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_true (tim_test_wait_until (chooser_gone, NULL, 5000));
  test_app_close (GTK_WIDGET (view));
}

/* A Save As the user chose a place for goes on when they open another conversation before the
 * file has come (nothing shows it under way, and nothing would say it stopped). What follows the
 * chooser is called with the file, as its response does. */
static void
test_save_as_then_other_conversation (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) bytes = file_bytes (2 * 1024 * 1024);
  g_autoptr (TimMessage) message = received_file (alice, bob, "plans.bin", bytes);
  g_autofree char *target = g_build_filename (downloads, "plans-saved.bin", NULL);
  g_autoptr (GFile) destination = g_file_new_for_path (target);
  g_autofree char *data = NULL;
  gsize length;
  TimchatConversationView *view =
      TIMCHAT_CONVERSATION_VIEW (test_app_show (timchat_conversation_view_new (bob)));

  timchat_conversation_view_set_conversation_id (view, "C2Cf-alice");
  g_object_set_data_full (G_OBJECT (view), "expect", g_strdup (tim_message_get_id (message)),
                          g_free);
  g_assert_true (tim_test_wait_until (view_has, view, 10000));
  _timchat_conversation_view_save_to (view, message, destination);
  /* Another conversation, before the download has had a turn of the main loop. */
  timchat_conversation_view_set_conversation_id (view, "C2Cf-carol");
  g_assert_true (tim_test_wait_until (saved_whole, &(Saved){ target, bytes }, 10000));
  g_assert_true (g_file_get_contents (target, &data, &length, NULL));
  g_assert_cmpmem (data, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  test_app_close (GTK_WIDGET (view));
}

static gboolean
error_said (gpointer before)
{
  return errors_said > GPOINTER_TO_UINT (before);
}

/* Save As of a file that is on this computer already (one's own sent file, or a download's copy
 * in the cache) that fails partway (the process's file size limit stops it as a full disk
 * would): the error is said, nothing is left under the chosen name or beside it, and a file
 * that was there is kept as it was, as when the file comes from the server first. The copy went
 * straight into the chosen name: its first megabyte stayed there, to be opened as the file, and
 * the file it replaced was lost. */
static void
test_save_as_fails_partway (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "f-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "f-bob");
  g_autoptr (GBytes) bytes = file_bytes (4 * 1024 * 1024);
  g_autofree char *sent_dir = g_build_filename (base_dir, "sent", NULL);
  g_autofree char *sent_path = g_build_filename (sent_dir, "own.bin", NULL);
  g_autoptr (GFile) sent_file = g_file_new_for_path (sent_path);
  g_autoptr (TimMessage) sent = NULL;
  g_autoptr (TimMessage) received = NULL;
  g_autofree char *dir = g_build_filename (base_dir, "saved-partway", NULL);
  g_autofree char *new_path = g_build_filename (dir, "own.bin", NULL);
  g_autofree char *old_path = g_build_filename (dir, "older.bin", NULL);
  g_autoptr (GFile) new_file = g_file_new_for_path (new_path);
  g_autoptr (GFile) old_file = g_file_new_for_path (old_path);
  g_autofree char *data = NULL;
  gsize length;
  struct rlimit saved, limited;
  guint before;
  TimchatConversationView *view =
      TIMCHAT_CONVERSATION_VIEW (test_app_show (timchat_conversation_view_new (alice)));

  g_assert_cmpint (g_mkdir_with_parents (sent_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (sent_path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  sent = tim_client_create_file_message (alice, "f-bob", TIM_CONV_C2C, sent_file);
  received = tim_test_send_and_receive (alice, bob, sent);
  g_assert_true (g_file_query_exists (tim_message_get_local_file (sent), NULL));
  timchat_conversation_view_set_conversation_id (view, "C2Cf-bob");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (old_path, "old", 3, NULL));
  test_app_iterate (200);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 1024 * 1024;
  signal (SIGXFSZ, SIG_IGN); /* a write past the limit fails with EFBIG rather than killing */
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);
  before = errors_said;
  _timchat_conversation_view_save_to (view, sent, new_file);
  g_assert_true (tim_test_wait_until (error_said, GUINT_TO_POINTER (before), 10000));
  before = errors_said;
  _timchat_conversation_view_save_to (view, sent, old_file);
  g_assert_true (tim_test_wait_until (error_said, GUINT_TO_POINTER (before), 10000));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, SIG_DFL);

  g_assert_false (g_file_query_exists (new_file, NULL));
  g_assert_true (g_file_get_contents (old_path, &data, &length, NULL));
  g_assert_cmpmem (data, length, "old", 3);
  g_assert_cmpuint (timchat_test_count_entries (dir), ==, 1);

  /* With room again, the whole file. */
  _timchat_conversation_view_save_to (view, sent, new_file);
  g_assert_true (tim_test_wait_until (saved_whole, &(Saved){ new_path, bytes }, 10000));
  g_clear_pointer (&data, g_free);
  g_assert_true (g_file_get_contents (new_path, &data, &length, NULL));
  g_assert_cmpmem (data, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  test_app_close (GTK_WIDGET (view));
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
  g_test_add_func ("/app/file-content/save-as", test_save_as);
  g_test_add_func ("/app/file-content/save-as-chooser-then-other-conversation",
                   test_save_as_chooser_then_other_conversation);
  g_test_add_func ("/app/file-content/save-as-then-other-conversation",
                   test_save_as_then_other_conversation);
  g_test_add_func ("/app/file-content/save-as-fails-partway", test_save_as_fails_partway);
  return test_app_run (fixture, base_dir);
}
