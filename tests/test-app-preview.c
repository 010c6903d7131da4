/* test-app-preview.c: the preview sheet (a pasted image at its pixel size, dropped files by
 * name), its one "response" from Send, Cancel, Enter, Escape and closing; and one smoke test
 * driving the composer's real file chooser (GTK's in-process fallback dialog) to the end. Set
 * TIMCHAT_SCREENSHOT_DIR to keep PNGs. */
#define G_LOG_DOMAIN "test-app-preview"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-resources.h"
#include "timchat-composer.h"
#include "timchat-preview-sheet.h"

static char *base_dir;

typedef struct
{
  guint count;
  gboolean send;
} Responses;

static void
on_response (TimchatPreviewSheet *sheet, gboolean send, Responses *responses)
{
  responses->count++;
  responses->send = send;
}

/* A gradient, so the screenshot shows the picture is really drawn. */
static GdkTexture *
make_texture (int width, int height)
{
  g_autofree guchar *pixels = g_malloc (width * height * 4);
  g_autoptr (GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + (y * width + x) * 4;
        p[0] = 255 * x / width;
        p[1] = 120;
        p[2] = 255 * y / height;
        p[3] = 255;
      }
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), width * height * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, width * 4);
}

static GFile *
write_file (const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (base_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return g_file_new_for_path (path);
}

static gboolean
is_toplevel (gpointer window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);
      if (item == window)
        return TRUE;
    }
  return FALSE;
}

static TimchatPreviewSheet *
new_sheet (GtkWindow *parent, GdkTexture *texture, GListModel *files, Responses *responses)
{
  TimchatPreviewSheet *sheet = timchat_preview_sheet_new (parent, texture, files);

  g_signal_connect (sheet, "response", G_CALLBACK (on_response), responses);
  /* The test's reference: answering the sheet destroys the window, not our object. */
  g_object_ref (sheet);
  gtk_window_present (GTK_WINDOW (sheet));
  return sheet;
}

static void
test_texture (void)
{
  GtkWidget *parent = gtk_window_new ();
  g_autoptr (GdkTexture) texture = make_texture (320, 200);
  Responses responses = { 0 };
  TimchatPreviewSheet *sheet;
  GtkWidget *picture, *label, *send;

  gtk_window_present (GTK_WINDOW (parent));
  sheet = new_sheet (GTK_WINDOW (parent), texture, NULL, &responses);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (sheet)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (sheet)) == GTK_WINDOW (parent));
  g_assert_true (timchat_preview_sheet_get_texture (sheet) == texture);
  g_assert_null (timchat_preview_sheet_get_files (sheet));

  picture = test_app_find_widget (GTK_WIDGET (sheet), test_app_has_type,
                                  GSIZE_TO_POINTER (GTK_TYPE_PICTURE));
  g_assert_nonnull (picture);
  g_assert_true (gtk_picture_get_paintable (GTK_PICTURE (picture)) == GDK_PAINTABLE (texture));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (texture)), ==, 320);
  g_assert_true (gtk_widget_get_mapped (picture));
  label = gtk_widget_get_next_sibling (picture);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "320 × 200 pixels");
  test_app_wait_frame (picture);
  /* Not scaled up: drawn at its pixel size when it fits. */
  g_assert_cmpint (gtk_widget_get_width (picture), ==, 320);
  g_assert_cmpint (gtk_widget_get_height (picture), ==, 200);
  test_app_screenshot (GTK_WIDGET (sheet), "preview-image.png");

  send = test_app_find_widget (GTK_WIDGET (sheet), test_app_has_action, "sheet.send");
  g_signal_emit_by_name (send, "clicked");
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_true (responses.send);
  g_assert_false (is_toplevel (sheet));
  timchat_preview_sheet_respond (sheet, FALSE);
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_finalize_object (sheet);
  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
test_files (void)
{
  g_autoptr (GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr (GFile) notes = write_file ("notes & plans.txt", "hello");
  g_autoptr (GFile) photo = write_file ("photo.png", "not really a png");
  Responses responses = { 0 };
  TimchatPreviewSheet *sheet;
  GtkWidget *list, *cancel;
  AdwActionRow *rows[2];

  g_list_store_append (files, notes);
  g_list_store_append (files, photo);
  sheet = new_sheet (NULL, NULL, G_LIST_MODEL (files), &responses);
  g_assert_true (timchat_preview_sheet_get_files (sheet) == G_LIST_MODEL (files));
  list = test_app_find_widget (GTK_WIDGET (sheet), test_app_has_type,
                               GSIZE_TO_POINTER (GTK_TYPE_LIST_BOX));
  for (int i = 0; i < 2; i++)
    rows[i] = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[0])), ==,
                   "notes & plans.txt");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[1])), ==, "photo.png");
  /* The size arrives from the file's info. */
  for (int i = 0; i < 100 && g_strcmp0 (adw_action_row_get_subtitle (rows[0]), "") == 0; i++)
    timchat_test_spin (20);
  g_assert_cmpstr (adw_action_row_get_subtitle (rows[0]), ==, "5 bytes");
  test_app_screenshot (GTK_WIDGET (sheet), "preview-files.png");

  cancel = test_app_find_widget (GTK_WIDGET (sheet), test_app_has_action, "sheet.cancel");
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_false (responses.send);
  timchat_preview_sheet_respond (sheet, TRUE);
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_finalize_object (sheet);
}

/* Runs the sheet's shortcuts for keyval as its shortcut controllers would: the first that
 * activates wins. */
static gboolean
press_shortcut (GtkWidget *widget, guint keyval)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              if (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }
  return FALSE;
}

static void
test_keys_and_close (void)
{
  g_autoptr (GdkTexture) texture = make_texture (16, 16);
  Responses responses = { 0 };
  TimchatPreviewSheet *sheet = new_sheet (NULL, texture, NULL, &responses);

  g_assert_true (press_shortcut (GTK_WIDGET (sheet), GDK_KEY_Escape));
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_false (responses.send);
  g_assert_finalize_object (sheet);

  responses.count = 0;
  sheet = new_sheet (NULL, texture, NULL, &responses);
  /* Enter reaches Send through the window's default widget (GtkButton animates its click). */
  g_assert_true (press_shortcut (GTK_WIDGET (sheet), GDK_KEY_Return));
  for (int i = 0; i < 100 && responses.count == 0; i++)
    timchat_test_spin (10);
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_true (responses.send);
  g_assert_finalize_object (sheet);

  /* Closing the window is a Cancel, answered once. */
  responses.count = 0;
  responses.send = TRUE;
  sheet = new_sheet (NULL, texture, NULL, &responses);
  gtk_window_close (GTK_WINDOW (sheet));
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_false (responses.send);
  timchat_preview_sheet_respond (sheet, TRUE);
  g_assert_cmpuint (responses.count, ==, 1);
  g_assert_finalize_object (sheet);
}

static GtkWidget *
find_chooser_dialog (void)
{
  return (GtkWidget *) test_app_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG,
                                               gtk_widget_get_visible);
}

static void
record_file (TimchatComposer *composer, GFile *file, TimElemType kind, gpointer user_data)
{
  GPtrArray *chosen = user_data;

  g_ptr_array_add (chosen, g_object_ref (file));
  g_ptr_array_add (chosen, GINT_TO_POINTER (kind));
}

/* The real GtkFileChooserNative (GTK 4.8 without a sandbox: an in-process dialog), driven to
 * "accept": the composer's post-chooser step gets the file and the kind. */
static void
test_file_chooser_smoke (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *composer = timchat_composer_new ();
  g_autoptr (TimClient) client = tim_client_new ("ws://127.0.0.1:9", 1400000001, base_dir);
  g_autoptr (GFile) photo = write_file ("chosen.png", "png bytes");
  g_autoptr (GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr (GFile) selected = NULL;
  GtkWidget *dialog = NULL;
  GtkFileFilter *filter;

  gtk_window_set_child (GTK_WINDOW (window), composer);
  timchat_composer_set_client (TIMCHAT_COMPOSER (composer), client);
  timchat_composer_set_conversation_id (TIMCHAT_COMPOSER (composer), "C2Cbob");
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (composer, "file-chosen", G_CALLBACK (record_file), chosen);

  g_assert_true (gtk_widget_activate_action (composer, "composer.attach", "s", "image"));
  for (int i = 0; i < 250 && dialog == NULL; i++)
    {
      timchat_test_spin (20);
      dialog = find_chooser_dialog ();
    }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Send Image");
  filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
  g_assert_nonnull (filter);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "Images");
  test_app_screenshot (dialog, "file-chooser.png");

  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), photo, NULL));
  for (int i = 0; i < 250; i++)
    {
      g_clear_object (&selected);
      selected = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (selected != NULL && g_file_equal (selected, photo))
        break;
      timchat_test_spin (20);
    }
  g_assert_nonnull (selected);
  g_assert_true (g_file_equal (selected, photo));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  g_assert_cmpuint (chosen->len, ==, 2);
  g_assert_true (g_file_equal (chosen->pdata[0], photo));
  g_assert_cmpint (GPOINTER_TO_INT (chosen->pdata[1]), ==, TIM_ELEM_IMAGE);
  g_object_unref (chosen->pdata[0]);
  timchat_test_spin (100);
  g_assert_null (find_chooser_dialog ());
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/preview/texture", test_texture);
  g_test_add_func ("/app/preview/files", test_files);
  g_test_add_func ("/app/preview/keys-and-close", test_keys_and_close);
  g_test_add_func ("/app/preview/file-chooser-smoke", test_file_chooser_smoke);
  return test_app_run (NULL, base_dir);
}
