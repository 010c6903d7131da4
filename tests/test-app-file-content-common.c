/* test-app-file-content-common.c: what both of the file content's test programs
 * (tests/test-app-file-content.c and -save-as.c) use: the server and the test's directory, the
 * Downloads folder, files sent from alice to bob, the desktop's default opener and the count of
 * the errors the app logged (both programs' main () set up the same). */
#define G_LOG_DOMAIN "test-app-file-content-common"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "test-app-file-content-common.h"
#include "tim-test-util.h"

TimchatFixture *fixture;
char *base_dir;
char *downloads;

void
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

GBytes *
file_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  return g_bytes_new_take (data, size);
}

TimMessage *
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

char *opened_log;

void
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

guint errors_said;

GLogWriterOutput
count_errors_said (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                   gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if ((level & G_LOG_LEVEL_MESSAGE) != 0 && g_str_equal (fields[i].key, "GLIB_DOMAIN") &&
        fields[i].length < 0 && g_strcmp0 (fields[i].value, "timchat") == 0)
      errors_said++;
  return g_log_writer_default (level, fields, n_fields, user_data);
}
