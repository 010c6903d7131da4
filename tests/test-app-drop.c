/* test-app-drop.c: a drop on the conversation view. Simulating X drag and drop across processes
 * is not reliable under Xvfb, so this emits GtkDropTarget::drop on the view's own drop target
 * with the values GTK gives it (a GdkFileList, a GdkTexture): the preview sheet lists what was
 * dropped, and its Send delivers it to the other side through the real server. */
#define G_LOG_DOMAIN "test-app-drop"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-conversation-view.h"
#include "timchat-preview-sheet.h"

static TimchatFixture *fixture;
static char *base_dir;

static TimchatPreviewSheet *
find_sheet (void)
{
  return (TimchatPreviewSheet *) test_app_find_toplevel (TIMCHAT_TYPE_PREVIEW_SHEET, NULL);
}

static gboolean
sheet_shown (gpointer unused)
{
  return find_sheet () != NULL;
}

static GtkDropTarget *
drop_target_of (GtkWidget *widget)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static gboolean
emit_drop (GtkDropTarget *target, const GValue *value)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (target, "drop", value, 10.0, 10.0, &handled);
  return handled;
}

static gboolean
got_file_named (gpointer data)
{
  GPtrArray *got = data;

  for (guint i = 0; i < got->len; i++)
    {
      JsonObject *payload = tim_message_get_payload (got->pdata[i]);

      if (tim_message_get_elem_type (got->pdata[i]) == TIM_ELEM_FILE && payload != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (payload, "fileName", NULL),
                     "dropped-notes.txt") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_drop_files (void)
{
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *path = g_build_filename (base_dir, "dropped-notes.txt", NULL);
  g_autoptr (GFile) file = NULL;
  g_auto (GValue) value = G_VALUE_INIT;
  GtkDropTarget *target;
  GtkWidget *view;
  GtkWindow *window;
  GListModel *files;
  GSList *list;

  g_assert_true (g_file_set_contents (path, "notes dropped on the conversation\n", -1, NULL));
  file = g_file_new_for_path (path);
  tim_test_collect (hal, "message-received", got);

  view = timchat_conversation_view_new (gus);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 480, 520);
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Chal");
  timchat_test_spin (300);

  target = drop_target_of (view);
  g_assert_nonnull (target);
  /* What a file manager drops: a file list. */
  list = g_slist_append (NULL, file);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_slist_free (list);
  g_assert_true (emit_drop (target, &value));

  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  files = timchat_preview_sheet_get_files (find_sheet ());
  g_assert_nonnull (files);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
  {
    g_autoptr (GFile) listed = g_list_model_get_item (files, 0);
    g_assert_true (g_file_equal (listed, file));
  }
  g_assert_null (timchat_preview_sheet_get_texture (find_sheet ()));
  timchat_preview_sheet_respond (find_sheet (), TRUE);
  g_assert_null (find_sheet ());
  g_assert_true (tim_test_wait_until (got_file_named, got, 20000));
  g_assert_cmpstr (tim_message_get_from (got->pdata[got->len - 1]), ==, "gus");

  gtk_window_destroy (window);
}

static void
test_drop_texture_and_other (void)
{
  g_autoptr (TimClient) ida = tim_test_client_new (fixture, base_dir, "ida");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "dropped.png", 64, 48);
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GValue) value = G_VALUE_INIT;
  g_auto (GValue) text = G_VALUE_INIT;
  GtkWidget *view;
  GtkWindow *window;

  texture = gdk_texture_new_from_file (png, &error);
  g_assert_no_error (error);
  view = timchat_conversation_view_new (ida);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Cjo");
  timchat_test_spin (200);

  /* An image dragged out of another app: previewed at its size, Cancel sends nothing. */
  g_value_init (&value, GDK_TYPE_TEXTURE);
  g_value_set_object (&value, texture);
  g_assert_true (emit_drop (drop_target_of (view), &value));
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  g_assert_true (timchat_preview_sheet_get_texture (find_sheet ()) != NULL);
  timchat_preview_sheet_respond (find_sheet (), FALSE);
  g_assert_null (find_sheet ());

  /* Anything else is refused and opens nothing. */
  g_value_init (&text, G_TYPE_STRING);
  g_value_set_string (&text, "just text");
  g_assert_false (emit_drop (drop_target_of (view), &text));
  timchat_test_spin (200);
  g_assert_null (find_sheet ());

  gtk_window_destroy (window);
}

static gboolean
got_file (gpointer data)
{
  GPtrArray *got = data;

  return got->len > 0 && tim_message_get_elem_type (got->pdata[0]) == TIM_ELEM_FILE;
}

/* A file with text at path, as a drag's value, and a view of jay's conversation with Kim in a
 * window of its own, where it will be dropped. */
static GtkWidget *
view_with_file_for_kim (TimClient *jay, const char *path, const char *text, GValue *value,
                        GtkWindow **window)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GSList *list;
  GtkWidget *view;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  list = g_slist_append (NULL, file);
  g_value_init (value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (value, gdk_file_list_new_from_list (list));
  g_slist_free (list);
  view = timchat_conversation_view_new (jay);
  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (*window, 480, 520);
  gtk_window_set_child (*window, view);
  gtk_window_present (*window);
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Ckim");
  timchat_test_spin (300);
  return view;
}

/* Files sent from the preview sheet go as their kind once it is known (a query in a worker
 * thread): another conversation opened before that is not where they were dropped, and gets
 * none of them. */
static void
test_drop_then_other_conversation (void)
{
  g_autoptr (TimClient) jay = tim_test_client_new (fixture, base_dir, "jay");
  g_autoptr (TimClient) lee = tim_test_client_new (fixture, base_dir, "lee");
  g_autoptr (GPtrArray) lee_got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *path = g_build_filename (base_dir, "for-kim.txt", NULL);
  g_auto (GValue) value = G_VALUE_INIT;
  GtkWidget *view;
  GtkWindow *window;

  tim_test_collect (lee, "message-received", lee_got);
  view = view_with_file_for_kim (jay, path, "meant for kim\n", &value, &window);
  g_assert_true (emit_drop (drop_target_of (view), &value));
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  timchat_preview_sheet_respond (find_sheet (), TRUE);
  /* Lee's conversation opens before the main loop brings the file's content type. */
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Clee");
  timchat_test_spin (3000);
  g_assert_cmpuint (lee_got->len, ==, 0);

  /* Dropped on Lee's conversation, it reaches him: the silence above was not the server's. */
  g_assert_true (emit_drop (drop_target_of (view), &value));
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  timchat_preview_sheet_respond (find_sheet (), TRUE);
  g_assert_true (tim_test_wait_until (got_file, lee_got, 20000));
  timchat_test_spin (500);
  g_assert_cmpuint (lee_got->len, ==, 1);
  gtk_window_destroy (window);
}

/* Another conversation opened while the preview sheet is still up (the sheet is modal, but a
 * notification's click opens a conversation all the same): what was dropped on Kim's
 * conversation does not go to the one open now. The sheet stayed, and its Send sent the file to
 * Lee. */
static void
test_sheet_then_other_conversation (void)
{
  g_autoptr (TimClient) jay = tim_test_client_new (fixture, base_dir, "jay");
  g_autoptr (TimClient) lee = tim_test_client_new (fixture, base_dir, "lee");
  g_autoptr (GPtrArray) lee_got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *path = g_build_filename (base_dir, "also-for-kim.txt", NULL);
  g_auto (GValue) value = G_VALUE_INIT;
  GtkWidget *view;
  GtkWindow *window;

  tim_test_collect (lee, "message-received", lee_got);
  view = view_with_file_for_kim (jay, path, "meant for kim too\n", &value, &window);
  g_assert_true (emit_drop (drop_target_of (view), &value));
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  /* As the window's open-conversation does it. */
  timchat_conversation_view_set_conversation_id (TIMCHAT_CONVERSATION_VIEW (view), "C2Clee");
  timchat_test_spin (300);
  /* Send, if the sheet is still there to press it on. */
  if (find_sheet () != NULL)
    timchat_preview_sheet_respond (find_sheet (), TRUE);
  timchat_test_spin (3000);
  g_assert_cmpuint (lee_got->len, ==, 0);
  g_assert_null (find_sheet ());
  gtk_window_destroy (window);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/drop/files", test_drop_files);
  g_test_add_func ("/app/drop/texture-and-other", test_drop_texture_and_other);
  g_test_add_func ("/app/drop/then-other-conversation", test_drop_then_other_conversation);
  g_test_add_func ("/app/drop/sheet-then-other-conversation", test_sheet_then_other_conversation);
  return test_app_run (fixture, base_dir);
}
