/* test-app-view-media.c: pictures and files in the conversation view, against the real server
 * and real TimClients: send a file (Enter on an image opens the viewer), the preview sheet for a
 * pasted image or copied files, pasted text, Copy Image, the Group Notices that take none, a
 * group member's picture (a big one decoded small) and a sticker's index from the wire. Separate
 * from the view's other programs (test-app-view-*.c): media sent, pasted and shown. */
#define G_LOG_DOMAIN "test-app-view-media"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "test-app-view-common.h"
#include "tim-test-util.h"
#include "tim-text.h"
#include "timchat-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-view-private.h"
#include "timchat-image-viewer.h"
#include "timchat-preview-sheet.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
got_image (gpointer data)
{
  GPtrArray *got = data;

  for (guint i = 0; i < got->len; i++)
    if (tim_message_get_elem_type (got->pdata[i]) == TIM_ELEM_IMAGE)
      return TRUE;
  return FALSE;
}

static gpointer
find_sheet (gpointer unused)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_PREVIEW_SHEET, NULL);
}

static gboolean
sheet_shown (gpointer unused)
{
  return find_sheet (NULL) != NULL;
}

static gboolean
composer_says (gpointer composer)
{
  g_autofree char *text = timchat_composer_dup_text (composer);

  return g_strcmp0 (text, "typed, then pasted") == 0;
}

static gboolean
viewer_shown (gpointer data)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_IMAGE_VIEWER, gtk_widget_get_visible) != NULL;
}

static gboolean
clipboard_has_texture (gpointer widget)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (gtk_widget_get_clipboard (widget));

  return gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE);
}

/* Copy Image of a received picture (downloaded first, as the receiver has no file of it): the
 * clipboard holds the picture at its size. */
static void
test_copy_image (void)
{
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "to-copy.png", 150, 90);
  g_autoptr (TimMessage) sent = tim_client_create_image_message (gus, "hal", TIM_CONV_C2C, png);
  g_autoptr (TimMessage) got = tim_test_send_and_receive (gus, hal, sent);
  TimchatConversationView *view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (hal));
  GtkWindow *window = show_view (view);
  g_autoptr (GdkTexture) copied = NULL;

  timchat_conversation_view_set_conversation_id (view, "C2Cgus");
  wait_settled (view);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (view)), "before");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.copy-image", "s",
                                             tim_message_get_id (got)));
  g_assert_true (tim_test_wait_until (clipboard_has_texture, view, 10000));
  copied = test_app_read_clipboard_texture (GTK_WIDGET (view));
  g_assert_nonnull (copied);
  g_assert_cmpint (gdk_texture_get_width (copied), ==, 150);
  g_assert_cmpint (gdk_texture_get_height (copied), ==, 90);
  gtk_window_destroy (window);
}

static void
test_send_file_preview_and_paste (void)
{
  g_autoptr (TimClient) eve = tim_test_client_new (fixture, base_dir, "eve");
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GFile) png = test_app_write_png (base_dir, "blue.png", 320, 200);
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  TimchatPreviewSheet *sheet;
  GtkWindow *window;

  tim_test_collect (fay, "message-received", got);
  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (eve));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Cfay");
  wait_settled (view);

  /* A file chooser's result. */
  timchat_conversation_view_send_file (view, png, TIM_ELEM_IMAGE);
  g_assert_true (tim_test_wait_until (got_image, got, 20000));
  g_assert_cmpstr (tim_message_get_from (got->pdata[0]), ==, "eve");
  wait_newest_visible (view); /* my own send scrolls to it */

  /* Enter on the image's row opens it in the viewer, once: the row takes the keyboard focus
   * (it has nothing else that could) and activates as Enter does (its activate signal). */
  {
    GtkWidget *list = test_app_find_widget (GTK_WIDGET (view), test_app_has_type,
                                            GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
    GtkWidget *newest_item = gtk_widget_get_last_child (list);
    GtkWindow *viewer;

    g_assert_true (gtk_widget_grab_focus (newest_item));
    g_assert_true (gtk_widget_activate (newest_item));
    g_assert_true (tim_test_wait_until (viewer_shown, NULL, 5000));
    viewer = test_app_find_toplevel (TIMCHAT_TYPE_IMAGE_VIEWER, gtk_widget_get_visible);
    g_assert_true (gtk_window_get_transient_for (viewer) == window);
    g_assert_true (gtk_widget_activate (newest_item));
    test_app_iterate (200);
    g_assert_cmpuint (test_app_count_toplevels (TIMCHAT_TYPE_IMAGE_VIEWER, gtk_widget_get_visible),
                      ==, 1);
    gtk_window_destroy (viewer);
  }

  /* A pasted image through the preview sheet: PNG encoded off the main thread. */
  g_ptr_array_set_size (got, 0);
  texture = gdk_texture_new_from_file (png, &error);
  g_assert_no_error (error);
  timchat_conversation_view_preview_texture (view, texture);
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  sheet = find_sheet (NULL);
  timchat_preview_sheet_respond (sheet, TRUE);
  g_assert_true (tim_test_wait_until (got_image, got, 20000));
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_IMAGE);
  g_assert_false (find_sheet (NULL));

  /* Ctrl+V's action with an image on the clipboard opens the sheet. */
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (view)), texture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL));
  g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
  g_assert_true (timchat_preview_sheet_get_texture (find_sheet (NULL)) != NULL);
  timchat_preview_sheet_respond (find_sheet (NULL), FALSE);
  g_assert_false (find_sheet (NULL));

  /* Files copied in a file manager: the sheet lists them, and Send sends them as files. */
  {
    g_autofree char *path = g_build_filename (base_dir, "notes.txt", NULL);
    g_autoptr (GFile) notes = g_file_new_for_path (path);
    GFile *files[] = { notes };
    GdkFileList *list;
    GListModel *shown;

    g_assert_true (g_file_set_contents (path, "copied in Files", -1, NULL));
    list = gdk_file_list_new_from_array (files, G_N_ELEMENTS (files));
    gdk_clipboard_set (gtk_widget_get_clipboard (GTK_WIDGET (view)), GDK_TYPE_FILE_LIST, list);
    g_boxed_free (GDK_TYPE_FILE_LIST, list); /* the clipboard took a copy */
    g_ptr_array_set_size (got, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL));
    g_assert_true (tim_test_wait_until (sheet_shown, NULL, 5000));
    shown = timchat_preview_sheet_get_files (find_sheet (NULL));
    g_assert_nonnull (shown);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
    timchat_preview_sheet_respond (find_sheet (NULL), TRUE);
    g_assert_true (tim_test_wait_count (got, 1, 20000));
    g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_FILE);
    g_assert_cmpstr (tim_message_get_file_name (got->pdata[0]), ==, "notes.txt");
  }

  /* Text on the clipboard goes into the composer, after what is typed, and is not sent. */
  {
    TimchatComposer *composer = TIMCHAT_COMPOSER (test_app_composer (GTK_WIDGET (view)));
    g_autofree char *text = NULL;

    timchat_composer_set_text (composer, "typed, then ");
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (view)), "pasted");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL));
    g_assert_true (tim_test_wait_until (composer_says, composer, 5000));
    text = timchat_composer_dup_text (composer);
    g_assert_cmpstr (text, ==, "typed, then pasted");
    g_assert_false (find_sheet (NULL));
  }
  gtk_window_destroy (window);
}

/* Group Notices are the server's: no composer, and a paste or a drop sends nothing there. */
static void
test_notices_read_only (void)
{
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  TimchatConversationView *view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (gus));
  GtkWindow *window = show_view (view);
  GtkWidget *composer = test_app_composer (GTK_WIDGET (view));
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GFile) png = test_app_write_png (base_dir, "notice.png", 20, 20);

  texture = gdk_texture_new_from_file (png, NULL);
  timchat_conversation_view_set_conversation_id (view, "@TIM#SYSTEM");
  test_app_iterate (100);
  g_assert_false (gtk_widget_get_visible (composer));
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (view)), texture);
  gtk_widget_activate_action (GTK_WIDGET (view), "conversation.paste", NULL);
  g_assert_false (_timchat_conversation_view_paste_media (view));
  test_app_iterate (300);
  g_assert_false (find_sheet (NULL));
  /* Focusing the view (opening the conversation) lands on its messages. */
  g_assert_true (timchat_conversation_view_focus_start (view));
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (window)));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), composer));

  /* Any other conversation has its composer back. */
  timchat_conversation_view_set_conversation_id (view, "C2Chal");
  g_assert_true (gtk_widget_get_visible (composer));
  gtk_window_destroy (window);
}

/* In a group, beside a member's message: their picture, from the avatar the message carries. */
static void
test_group_sender_picture (void)
{
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "jon");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "jon.png", 240, 240);
  const char *members[] = { "ivy", NULL };
  g_autofree char *group_id = tim_test_create_group (jon, "Climbers", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  TimchatConversationView *view;
  GtkWindow *window;

  tim_client_set_my_avatar_async (jon, png, NULL, tim_test_keep_result, &result);
  url = tim_client_set_my_avatar_finish (jon, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  hello = tim_client_create_text_message (jon, group_id, TIM_CONV_GROUP, "On the wall at ten");
  g_assert_true (tim_test_send (jon, hello, &error));

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (ivy));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, conversation_id);
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "On the wall at ten", 10000));
  g_assert_true (tim_test_wait_until (test_app_shows_avatar_picture, view, 10000));
  gtk_window_destroy (window);
}

static gboolean
avatar_fits (GtkWidget *widget, gconstpointer max)
{
  GdkPaintable *picture =
      ADW_IS_AVATAR (widget) ? adw_avatar_get_custom_image (ADW_AVATAR (widget)) : NULL;

  return picture != NULL && gdk_paintable_get_intrinsic_width (picture) <= GPOINTER_TO_INT (max) &&
         gdk_paintable_get_intrinsic_height (picture) <= GPOINTER_TO_INT (max);
}

static gboolean
shows_fitting_avatar (gpointer view)
{
  return test_app_find_widget (view, avatar_fits, GINT_TO_POINTER (256)) != NULL;
}

/* A member whose avatar is a big picture (any URL can be set, here a 2,400 px original): it is
 * decoded at 256 px at most, not at its full size on the main thread. */
static void
test_big_avatar (void)
{
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "big.png", 2400, 1800);
  const char *members[] = { "kim", NULL };
  g_autofree char *group_id = tim_test_create_group (lou, "Big", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) picture =
      tim_client_create_image_message (lou, group_id, TIM_CONV_GROUP, png);
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  GtkWindow *window;
  int width = 0, height = 0;

  g_assert_true (tim_test_send (lou, picture, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tim_message_get_image (picture, TIM_IMAGE_ORIGINAL, &width, &height));
  g_assert_cmpint (width, ==, 2400);
  tim_client_update_my_profile_async (
      lou, NULL, tim_message_get_image (picture, TIM_IMAGE_ORIGINAL, NULL, NULL), NULL,
      tim_test_keep_result, &result);
  g_assert_true (tim_client_update_my_profile_finish (lou, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  hello = tim_client_create_text_message (lou, group_id, TIM_CONV_GROUP, "Big picture");
  g_assert_true (tim_test_send (lou, hello, &error));

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (kim));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, conversation_id);
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "Big picture", 10000));
  g_assert_true (tim_test_wait_until (test_app_shows_avatar_picture, view, 10000));
  g_assert_true (shows_fitting_avatar (view));
  gtk_window_destroy (window);
}

/* A sticker whose index is any integer the wire allows (here the most negative one, from a
 * sender other than this app) is shown as one of the emoji, like every other index: not an
 * index before the start of the emoji table. */
static void
test_face_index_from_wire (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (JsonObject) reply = NULL;
  const char *const *tokens = tim_text_emoji_tokens ();
  guint n = g_strv_length ((char **) tokens);
  /* 2^63 mod n, the magnitude of the index as the row takes it. */
  const char *emoji = tim_text_emoji_for_token (tokens[((guint64) G_MAXINT64 + 1) % n]);
  TimchatConversationView *view;
  GtkWindow *window;
  TimMessage *face;

  reply = timchat_test_rest (fixture, "openim/sendmsg",
                             "{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgRandom\":77,"
                             "\"MsgBody\":[{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{"
                             "\"Index\":-9223372036854775808,\"Data\":\"\"}}]}",
                             NULL);
  g_assert_cmpint (json_object_get_int_member (reply, "ErrorCode"), ==, 0);
  wait_unread (bob, "C2Calice", 1);

  view = TIMCHAT_CONVERSATION_VIEW (timchat_conversation_view_new (bob));
  window = show_view (view);
  timchat_conversation_view_set_conversation_id (view, "C2Calice");
  wait_items (view, 1);
  face = nth (view, -1);
  g_assert_cmpint (tim_message_get_elem_type (face), ==, TIM_ELEM_FACE);
  g_assert_cmpint (tim_message_get_face_index (face), ==, G_MININT64);
  wait_settled (view);
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (view->list_view), test_app_has_text, emoji));
  gtk_window_destroy (window);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/view/send-file-preview-paste", test_send_file_preview_and_paste);
  g_test_add_func ("/app/view/copy-image", test_copy_image);
  g_test_add_func ("/app/view/notices-read-only", test_notices_read_only);
  g_test_add_func ("/app/view/group-sender-picture", test_group_sender_picture);
  g_test_add_func ("/app/view/big-avatar", test_big_avatar);
  g_test_add_func ("/app/view/face-index-from-wire", test_face_index_from_wire);
  return test_app_run (fixture, base_dir);
}
