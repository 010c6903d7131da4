/* test-app-image-viewer.c: the window a click on an image opens. It shows the sender's own file,
 * or downloads the large version of a received image from the real server; zooms within limits
 * and back to fit; copies the picture; and when the image cannot be shown it says so under the
 * header bar, which keeps the close button. */
#define G_LOG_DOMAIN "test-app-image-viewer"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-message-private.h"
#include "tim-test-util.h"
#include "timchat-image-viewer.h"

static TimchatFixture *fixture;
static char *base_dir;

/* ---- helpers ----------------------------------------------------------------------------- */

static GtkWidget *
open_viewer (TimMessage *message)
{
  GtkWidget *viewer = timchat_image_viewer_new (NULL, message);

  gtk_window_present (GTK_WINDOW (viewer));
  return viewer;
}

static GtkPicture *
picture_of (GtkWidget *viewer)
{
  return GTK_PICTURE (
      test_app_find_widget (viewer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_PICTURE)));
}

static gboolean
has_paintable (gpointer viewer)
{
  return gtk_picture_get_paintable (picture_of (viewer)) != NULL;
}

static AdwStatusPage *
failure_of (GtkWidget *viewer)
{
  return ADW_STATUS_PAGE (
      test_app_find_widget (viewer, test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_STATUS_PAGE)));
}

static gboolean
shows_failure (gpointer viewer)
{
  return gtk_widget_get_mapped (GTK_WIDGET (failure_of (viewer)));
}

static void
assert_picture_size (GtkWidget *viewer, int width, int height)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (picture_of (viewer));

  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, width);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, height);
}

static void
assert_size_request (GtkWidget *viewer, int width, int height)
{
  int w, h;

  gtk_widget_get_size_request (GTK_WIDGET (picture_of (viewer)), &w, &h);
  g_assert_cmpint (w, ==, width);
  g_assert_cmpint (h, ==, height);
}

static void
zoom (GtkWidget *viewer, const char *action, guint times)
{
  for (guint i = 0; i < times; i++)
    g_assert_true (gtk_widget_activate_action (viewer, action, NULL));
}

/* The action a key bound in the viewer's class runs, or NULL. */
static char *
bound_action (GtkWidget *viewer, const char *accelerator)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (viewer);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          g_autofree char *trigger =
              gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (g_str_equal (trigger, accelerator) && GTK_IS_NAMED_ACTION (action))
            return g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
        }
    }
  return NULL;
}

/* A message received by bob: alice sends him width x height, and bob's copy (URLs only) is what
 * comes back. */
static TimMessage *
received_image (TimClient *alice, TimClient *bob, const char *name, int width, int height)
{
  g_autoptr (GFile) png = test_app_write_png (base_dir, name, width, height);
  g_autoptr (TimMessage) sent = tim_client_create_image_message (alice, "v-bob", TIM_CONV_C2C, png);
  TimMessage *copy = tim_test_send_and_receive (alice, bob, sent);

  g_assert_null (tim_message_get_local_file (copy));
  return copy;
}

static TimMessage *
image_message (const char *payload_json)
{
  return tim_test_message_from_payload ("v-alice", "v-bob", TIM_ELEM_IMAGE, payload_json);
}

/* ---- tests ------------------------------------------------------------------------------- */

/* The sender's own file, zoom and its limits, Fit, copy, and the keys. */
static void
test_own_file (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "v-alice");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "tall.png", 300, 600);
  g_autoptr (TimMessage) message =
      tim_client_create_image_message (alice, "v-bob", TIM_CONV_C2C, png);
  GtkWidget *viewer = open_viewer (message);
  g_autoptr (GdkTexture) copied = NULL;
  static const struct
  {
    const char *accelerator;
    const char *action;
  } keys[] = {
    { "<Control>plus", "viewer.zoom-in" },
    { "<Control>equal", "viewer.zoom-in" },
    { "<Control>KP_Add", "viewer.zoom-in" },
    { "<Control>minus", "viewer.zoom-out" },
    { "<Control>KP_Subtract", "viewer.zoom-out" },
    { "<Control>0", "viewer.zoom-fit" },
    { "<Control>c", "viewer.copy" },
    { "Escape", "window.close" },
  };

  g_assert_true (tim_test_wait_until (has_paintable, viewer, 5000));
  assert_picture_size (viewer, 300, 600);
  assert_size_request (viewer, -1, -1); /* fits the window */
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (failure_of (viewer))));
  g_assert_true (gtk_widget_is_sensitive (
      test_app_find_widget (viewer, test_app_has_action, "viewer.zoom-in")));

  zoom (viewer, "viewer.zoom-in", 1);
  assert_size_request (viewer, 300, 600); /* from Fit, the first step is 100 % */
  zoom (viewer, "viewer.zoom-in", 1);
  assert_size_request (viewer, 375, 750);
  zoom (viewer, "viewer.zoom-in", 30);
  assert_size_request (viewer, 2400, 4800); /* 800 % at most */
  zoom (viewer, "viewer.zoom-out", 60);
  assert_size_request (viewer, 30, 60); /* 10 % at least */
  zoom (viewer, "viewer.zoom-fit", 1);
  assert_size_request (viewer, -1, -1);
  zoom (viewer, "viewer.zoom-out", 1);
  assert_size_request (viewer, 150, 300); /* from Fit, the first step out is 50 % */

  g_assert_true (gtk_widget_activate_action (viewer, "viewer.copy", NULL));
  copied = test_app_read_clipboard_texture (viewer);
  g_assert_nonnull (copied);
  g_assert_cmpint (gdk_texture_get_width (copied), ==, 300);
  g_assert_cmpint (gdk_texture_get_height (copied), ==, 600);

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *action = bound_action (viewer, keys[i].accelerator);

      g_test_message ("%s", keys[i].accelerator);
      g_assert_cmpstr (action, ==, keys[i].action);
    }
  test_app_screenshot (viewer, "image-viewer.png");
  test_app_close (viewer);
}

static gboolean
is_gone (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
}

/* A received image is downloaded from the server: its large version (720 px on the short
 * side), or the original when that is smaller; it closes when the sender recalls it. */
static void
test_received (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "v-alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "v-bob");
  g_autoptr (TimMessage) big = received_image (alice, bob, "big.png", 1000, 800);
  g_autoptr (TimMessage) small = received_image (alice, bob, "small.png", 200, 100);
  GtkWidget *viewer = open_viewer (big);

  g_assert_true (tim_test_wait_until (has_paintable, viewer, 10000));
  assert_picture_size (viewer, 900, 720);
  test_app_close (viewer);

  viewer = open_viewer (small);
  g_assert_true (tim_test_wait_until (has_paintable, viewer, 10000));
  assert_picture_size (viewer, 200, 100);
  test_app_close (viewer);

  /* Recalled while shown: the sender took it back, so the viewer closes. */
  viewer = open_viewer (big);
  g_assert_true (tim_test_wait_until (has_paintable, viewer, 10000));
  g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &viewer);
  _tim_message_set_revoked (big, "v-alice");
  g_assert_true (tim_test_wait_until (is_gone, &viewer, 5000));
}

/* Gone from the server, not an image, or nowhere at all: the viewer says it cannot show the
 * image, with the reason, and keeps its header bar (the only way to close it with a pointer). */
static void
test_cannot_show (void)
{
  g_autofree char *missing_url = timchat_fixture_url (fixture, "/files/no-such-file.png");
  g_autofree char *remote_json = g_strdup_printf (
      "{\"uuid\":\"u\",\"imageFormat\":3,\"imageInfoArray\":[{\"type\":0,\"width\":10,"
      "\"height\":10,\"url\":\"%s\",\"imageUrl\":\"%s\"}]}",
      missing_url, missing_url);
  g_autoptr (TimMessage) gone = image_message (remote_json);
  g_autoptr (TimMessage) broken =
      image_message ("{\"name\":\"broken.png\",\"size\":20,\"width\":10,\"height\":10}");
  g_autoptr (TimMessage) nowhere = image_message ("{\"uuid\":\"u\",\"imageInfoArray\":[]}");
  g_autofree char *broken_path = g_build_filename (base_dir, "broken & <bad>.png", NULL);
  g_autoptr (GFile) broken_file = g_file_new_for_path (broken_path);
  TimMessage *cases[] = { gone, broken, nowhere };
  static const char *const picture_actions[] = { "viewer.zoom-in", "viewer.zoom-out",
                                                 "viewer.zoom-fit", "viewer.copy" };

  g_assert_true (g_file_set_contents (broken_path, "\x89PNG but not really", -1, NULL));
  _tim_message_set_local_file (broken, broken_file);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *viewer = open_viewer (cases[i]);
      AdwStatusPage *failure;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_true (tim_test_wait_until (shows_failure, viewer, 10000));
      failure = failure_of (viewer);
      g_assert_cmpstr (adw_status_page_get_title (failure), ==, "Cannot Show This Image");
      g_assert_cmpstr (adw_status_page_get_description (failure), !=, "");
      /* The description is markup: the reason shows as it is, "&" and "<" in a path too. */
      {
        g_autofree char *shown = NULL;

        g_assert_true (pango_parse_markup (adw_status_page_get_description (failure), -1, 0, NULL,
                                           &shown, NULL, NULL));
        if (cases[i] == broken)
          g_assert_nonnull (strstr (shown, "broken & <bad>.png"));
      }
      g_assert_nonnull (
          test_app_find_widget (viewer, test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_HEADER_BAR)));
      g_assert_false (gtk_widget_get_visible (
          test_app_find_widget (viewer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_SPINNER))));
      /* Nothing to zoom or copy: the header's buttons say so. */
      for (gsize b = 0; b < G_N_ELEMENTS (picture_actions); b++)
        g_assert_false (gtk_widget_is_sensitive (
            test_app_find_widget (viewer, test_app_has_action, picture_actions[b])));
      if (i == 0)
        test_app_screenshot (viewer, "image-viewer-failure.png");
      test_app_close (viewer);
    }
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/image-viewer/own-file", test_own_file);
  g_test_add_func ("/app/image-viewer/received", test_received);
  g_test_add_func ("/app/image-viewer/cannot-show", test_cannot_show);
  return test_app_run (fixture, base_dir);
}
