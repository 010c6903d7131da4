/* test-app-file-content.c: a received file in its row. Download saves it in the Downloads folder
 * under its own name (a second one with the same name gets " (2)", also when the first is put
 * there while it comes), with the bytes the sender sent, and then offers Open; Cancel leaves
 * nothing behind; the download outlives its row; a file gone from the server says so and offers
 * Download again. Files go through the real server. */
#define G_LOG_DOMAIN "test-app-file-content"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-conversation-view-private.h"
#include "timchat-file-content.h"

static TimchatFixture *fixture;
static char *base_dir;
static char *downloads;

/* ---- helpers ----------------------------------------------------------------------------- */

/* The Downloads folder GLib reports, as xdg-user-dirs would configure it. */
static void
set_up_downloads (void)
{
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "user-dirs.dirs", NULL);
  g_autofree char *line = NULL;

  downloads = g_build_filename (base_dir, "Downloads", NULL);
  g_assert_cmpint (g_mkdir_with_parents (downloads, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  line = g_strdup_printf ("XDG_DOWNLOAD_DIR=\"%s\"\n", downloads);
  g_assert_true (g_file_set_contents (config, line, -1, NULL));
  g_reload_user_special_dirs_cache ();
  g_assert_cmpstr (g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD), ==, downloads);
}

static GBytes *
file_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  return g_bytes_new_take (data, size);
}

/* bob's copy (URLs only) of a file alice sends him. */
static TimMessage *
received_file (TimClient *alice, TimClient *bob, const char *name, GBytes *content)
{
  g_autofree char *dir = g_build_filename (base_dir, "sent", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) sent = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (content, NULL),
                                      g_bytes_get_size (content), NULL));
  sent = tim_client_create_file_message (alice, "f-bob", TIM_CONV_C2C, file);
  return tim_test_send_and_receive (alice, bob, sent);
}

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

/* A default application for text files and folders, as a desktop would have one: it writes what
 * it was asked to open to opened.txt. GIO finds it through the user's mimeapps.list. */
static char *opened_log;

static void
set_up_opener (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *script = g_build_filename (base_dir, "opener.sh", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *entry_path = g_build_filename (apps, "timchat-test-opener.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);

  opened_log = g_build_filename (base_dir, "opened.txt", NULL);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n", opened_log);
  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Opener\n"
                           "Exec=%s %%u\nMimeType=text/plain;inode/directory;\n"
                           "NoDisplay=true\n",
                           script);
  g_assert_true (g_file_set_contents (entry_path, entry, -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\n"
                                      "text/plain=timchat-test-opener.desktop\n"
                                      "inode/directory=timchat-test-opener.desktop\n",
                                      -1, NULL));
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

/* How many messages the app logged in the domain "timchat": a view with no window says its
 * errors so (_timchat_conversation_view_show_error ()). */
static guint errors_said;

static GLogWriterOutput
count_errors_said (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                   gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if ((level & G_LOG_LEVEL_MESSAGE) != 0 && g_str_equal (fields[i].key, "GLIB_DOMAIN") &&
        fields[i].length < 0 && g_strcmp0 (fields[i].value, "timchat") == 0)
      errors_said++;
  return g_log_writer_default (level, fields, n_fields, user_data);
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
  g_test_add_func ("/app/file-content/save-as", test_save_as);
  g_test_add_func ("/app/file-content/save-as-chooser-then-other-conversation",
                   test_save_as_chooser_then_other_conversation);
  g_test_add_func ("/app/file-content/save-as-then-other-conversation",
                   test_save_as_then_other_conversation);
  g_test_add_func ("/app/file-content/save-as-fails-partway", test_save_as_fails_partway);
  g_test_add_func ("/app/file-content/open", test_open);
  return test_app_run (fixture, base_dir);
}
