/* test-app-rows-content.c: what a TimchatMessageRow shows for every message type (labels and
 * widgets found by walking the widget tree): text with emoji and links, video, sound, file, dice,
 * custom, face and sticker, location, group tips and notices, pictures pre-sized before they load
 * (and turned upright by their EXIF), the tooltips, and a screenshot of several rows. Separate from
 * the rows' other programs (test-app-rows-*.c): the content of a row, one message at a time. */
#define G_LOG_DOMAIN "test-app-rows-content"

#include "config.h"

#include <adwaita.h>

#include "tim-message-private.h"
#include "test-app-rows-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "tim-text.h"
#include "timchat-audio-content.h"
#include "timchat-emoji-picker.h"
#include "timchat-file-content.h"
#include "timchat-format.h"
#include "timchat-media-picture.h"
#include "timchat-message-content.h"
#include "timchat-message-row.h"
#include "timchat-video-content.h"

static char *tmp_dir;

static void
test_text_emoji (void)
{
  g_autoptr (TimMessage) message = message_new (
      TIM_ELEM_TEXT, "{\"text\":\"Hi [Grin] <b>&amp; [Nope]\"}", FALSE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);
  GtkLabel *label = find_label (row, "Hi ", TRUE);

  g_assert_nonnull (label);
  /* The emoji is drawn, markup characters stay text, an unknown token stays as typed. */
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Hi 😁 <b>&amp; [Nope]");
  g_assert_true (gtk_label_get_selectable (label));
  g_assert_nonnull (find_label (row, "Today", FALSE));
  close_row (row);
}

static void
assert_link_markup (const char *text, const char *expected)
{
  g_autofree char *markup = timchat_link_markup (text);

  g_assert_cmpstr (markup, ==, expected);
}

static gboolean
on_activate_link (GtkLabel *label, const char *uri, char **activated)
{
  g_free (*activated);
  *activated = g_strdup (uri);
  return TRUE; /* opened: nothing to launch in a test */
}

/* Web links in a text are links (and only they: the punctuation after one is not part of it);
 * the row shows them, and taking one asks to open its address. */
static void
test_links (void)
{
  g_autoptr (TimMessage) message = message_new (
      TIM_ELEM_TEXT, "{\"text\":\"Plan [Grin] at https://example.org/a?x=1&y=2, ok?\"}", FALSE,
      TIM_CONV_C2C, now ());
  TimchatMessageRow *row;
  GtkLabel *label;
  g_autofree char *activated = NULL;

  assert_link_markup ("no links here, www or http: none", NULL);
  assert_link_markup ("https:// alone", NULL);
  assert_link_markup ("see https://example.org/a_b?x=1&y=2, and www.gnome.org.",
                      "see <a href=\"https://example.org/a_b?x=1&amp;y=2\">"
                      "https://example.org/a_b?x=1&amp;y=2</a>, and "
                      "<a href=\"http://www.gnome.org\">www.gnome.org</a>.");
  assert_link_markup ("(https://en.wikipedia.org/wiki/Foo_(bar)) <b>&",
                      "(<a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\">"
                      "https://en.wikipedia.org/wiki/Foo_(bar)</a>) &lt;b&gt;&amp;");
  assert_link_markup (
      "看这个https://example.cn/页面，好吗",
      "看这个<a href=\"https://example.cn/页面\">https://example.cn/页面</a>，好吗");
  assert_link_markup ("HTTP://EXAMPLE.ORG and xwww.nope.org",
                      "<a href=\"HTTP://EXAMPLE.ORG\">HTTP://EXAMPLE.ORG</a> and xwww.nope.org");

  row = show_row (message, NULL, FALSE, 120);
  label = find_label (row, "Plan ", TRUE);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Plan 😁 at https://example.org/a?x=1&y=2, ok?");
  g_assert_true (gtk_label_get_use_markup (label));
  g_assert_true (gtk_label_get_selectable (label));
  test_app_screenshot (GTK_WIDGET (row), "row-link.png");
  /* The cursor in the link (as a click puts it there), Enter: it asks to open the address. */
  g_signal_connect (label, "activate-link", G_CALLBACK (on_activate_link), &activated);
  g_signal_emit_by_name (label, "activate-current-link");
  g_assert_null (activated);
  gtk_label_select_region (label, 14, 14);
  g_signal_emit_by_name (label, "activate-current-link");
  g_assert_cmpstr (activated, ==, "https://example.org/a?x=1&y=2");
  close_row (row);
}

static void
test_every_type (void)
{
  g_autoptr (TimMessage) video = message_new (
      TIM_ELEM_VIDEO,
      "{\"videoUrl\":\"http://127.0.0.1:1/files/v.mp4\",\"videoSecond\":65,\"thumbUrl\":"
      "\"http://127.0.0.1:1/files/t.jpg\",\"thumbWidth\":640,\"thumbHeight\":360}",
      FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) sound = message_new (
      TIM_ELEM_SOUND, "{\"url\":\"http://127.0.0.1:1/files/a.ogg\",\"second\":12,\"size\":9000}",
      FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) file = message_new (
      TIM_ELEM_FILE,
      "{\"fileUrl\":\"http://127.0.0.1:1/files/r.pdf\",\"fileName\":\"report.pdf\",\"fileSize\":"
      "1500000}",
      FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) dice =
      message_new (TIM_ELEM_CUSTOM, "{\"data\":\"dice\",\"description\":\"4\",\"extension\":\"\"}",
                   FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) custom = message_new (
      TIM_ELEM_CUSTOM, "{\"data\":\"order-17\",\"description\":\"An order\",\"extension\":\"\"}",
      FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) face =
      message_new (TIM_ELEM_FACE, "{\"index\":1,\"data\":\"\"}", FALSE, TIM_CONV_C2C, now ());
  /* The emoji picker's "Love" sticker, as it sends it: drawn as the picker shows it. */
  g_autoptr (TimMessage) sticker =
      message_new (TIM_ELEM_FACE, "{\"index\":2,\"data\":\"tt02\"}", FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) location =
      message_new (TIM_ELEM_LOCATION,
                   "{\"description\":\"Eiffel Tower\",\"longitude\":2.2945,\"latitude\":48.8584}",
                   FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) tip =
      message_new (TIM_ELEM_GROUP_TIP,
                   "{\"operationType\":1,\"operatorID\":\"carol\",\"userIDList\":[\"carol\"]}",
                   FALSE, TIM_CONV_GROUP, now ());
  g_autoptr (TimMessage) notice = message_new (TIM_ELEM_GROUP_SYSTEM_NOTICE,
                                               "{\"operationType\":5,\"operatorID\":\"carol\","
                                               "\"groupProfile\":{\"groupID\":\"g1\"}}",
                                               FALSE, TIM_CONV_GROUP, now ());
  TimchatMessageRow *row;
  g_autofree char *tip_text = tim_message_dup_tip_text (tip);
  g_autofree char *notice_text = tim_message_dup_tip_text (notice); /* names the group */
  g_autofree char *face_emoji = g_strdup (tim_text_emoji_for_token (tim_text_emoji_tokens ()[1]));

  row = show_row (video, NULL, FALSE, 120);
  g_assert_nonnull (find_type (row, TIMCHAT_TYPE_VIDEO_CONTENT));
  g_assert_nonnull (find_label (row, "1:05", FALSE));
  {
    int w, h;

    timchat_media_picture_get_display_size (
        TIMCHAT_MEDIA_PICTURE (find_type (row, TIMCHAT_TYPE_MEDIA_PICTURE)), &w, &h);
    g_assert_cmpint (w, ==, 320);
    g_assert_cmpint (h, ==, 180);
  }
  g_assert_nonnull (find_button (row, NULL));
  close_row (row);

  row = show_row (sound, NULL, FALSE, 120);
  g_assert_nonnull (find_type (row, TIMCHAT_TYPE_AUDIO_CONTENT));
  g_assert_nonnull (find_label (row, "0:12", FALSE));
  close_row (row);

  row = show_row (file, NULL, FALSE, 120);
  g_assert_nonnull (find_type (row, TIMCHAT_TYPE_FILE_CONTENT));
  g_assert_nonnull (find_label (row, "report.pdf", FALSE));
  {
    g_autofree char *size = g_format_size (1500000);

    g_assert_nonnull (find_label (row, size, FALSE));
  }
  g_assert_nonnull (find_button (row, "_Download"));
  g_assert_null (find_button (row, "_Open"));
  close_row (row);

  row = show_row (dice, NULL, FALSE, 120);
  g_assert_nonnull (find_label (row, "⚃", FALSE));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_label (row, "⚃", FALSE)), "die-face"));
  close_row (row);

  row = show_row (custom, NULL, FALSE, 120);
  g_assert_nonnull (find_label (row, "An order", FALSE));
  g_assert_nonnull (find_label (row, "order-17", FALSE));
  close_row (row);

  row = show_row (face, NULL, FALSE, 120);
  g_assert_nonnull (find_label (row, face_emoji, FALSE));
  close_row (row);
  row = show_row (sticker, NULL, FALSE, 120);
  g_assert_nonnull (find_label (row, timchat_emoji_picker_sticker_emoji (2), FALSE));
  close_row (row);

  row = show_row (location, NULL, FALSE, 120);
  g_assert_nonnull (find_label (row, "Eiffel Tower", FALSE));
  g_assert_nonnull (find_label (row, "48.85840, 2.29450", FALSE));
  close_row (row);

  /* Tips: a centred line, no bubble, no time. */
  row = show_row (tip, NULL, TRUE, 120);
  g_assert_nonnull (find_label (row, tip_text, FALSE));
  g_assert_nonnull (strstr (tip_text, "carol"));
  g_assert_null (find_type (row, ADW_TYPE_AVATAR));
  g_assert_null (find_label (row, "Bob", FALSE));
  close_row (row);
  {
    /* The same tip as carol sees it: about her alone, so to her. */
    GtkWidget *window = window_new ();
    GtkWidget *hers = timchat_message_row_new ();

    timchat_message_row_set_me (TIMCHAT_MESSAGE_ROW (hers), "carol");
    timchat_message_row_bind (TIMCHAT_MESSAGE_ROW (hers), tip, NULL, TRUE, 120);
    gtk_window_set_child (GTK_WINDOW (window), hers);
    gtk_window_present (GTK_WINDOW (window));
    test_app_iterate (50);
    g_assert_nonnull (find_label (TIMCHAT_MESSAGE_ROW (hers), "You joined the group", FALSE));
    close_row (TIMCHAT_MESSAGE_ROW (hers));
  }
  row = show_row (notice, NULL, TRUE, 120);
  g_assert_cmpstr (notice_text, ==, "g1: The group was dismissed by carol");
  g_assert_nonnull (find_label (row, notice_text, FALSE));
  close_row (row);
}

static void
write_png (const char *path, int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
}

static gboolean
has_paintable (gpointer picture)
{
  return timchat_media_picture_get_paintable (picture) != NULL;
}

static void
test_image_sized_before_load (void)
{
  /* Received: sized from the thumbnail entry (type 1), whose URL cannot load here. */
  g_autoptr (TimMessage) remote = message_new (
      TIM_ELEM_IMAGE,
      "{\"uuid\":\"u\",\"imageFormat\":3,\"imageInfoArray\":["
      "{\"type\":0,\"sizeType\":1,\"width\":1600,\"height\":900,\"imageUrl\":\"http://127.0.0.1:1/"
      "files/o.png\"},"
      "{\"type\":1,\"sizeType\":3,\"width\":352,\"height\":198,\"imageUrl\":\"http://127.0.0.1:1/"
      "files/t.png\"},"
      "{\"type\":2,\"sizeType\":2,\"width\":1280,\"height\":720,\"imageUrl\":\"http://127.0.0.1:1/"
      "files/l.png\"}]}",
      FALSE, TIM_CONV_C2C, now ());
  g_autofree char *path = g_build_filename (tmp_dir, "tall.png", NULL);
  g_autoptr (GFile) local = g_file_new_for_path (path);
  g_autoptr (TimMessage) mine = message_new (
      TIM_ELEM_IMAGE, "{\"name\":\"tall.png\",\"size\":1000,\"width\":300,\"height\":600}", TRUE,
      TIM_CONV_C2C, now ());
  TimchatMessageRow *row;
  GtkWidget *picture;
  int w, h;

  row = show_row (remote, NULL, FALSE, 120);
  picture = find_type (row, TIMCHAT_TYPE_MEDIA_PICTURE);
  g_assert_nonnull (picture);
  g_assert_null (timchat_media_picture_get_paintable (TIMCHAT_MEDIA_PICTURE (picture)));
  g_assert_cmpint (gtk_widget_get_width (picture), ==, 320);
  g_assert_cmpint (gtk_widget_get_height (picture), ==, 180);
  /* Clicking asks the conversation to open the viewer. */
  g_ptr_array_set_size (recorder.activated, 0);
  {
    g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (picture);
    g_autofree char *expected = g_strdup_printf ("view-image:%s", tim_message_get_id (remote));

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller))
          g_signal_emit_by_name (controller, "released", 1, 10.0, 10.0);
      }
    g_assert_cmpuint (recorder.activated->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (recorder.activated, 0), ==, expected);
  }
  close_row (row);

  /* Sent from this machine: sized from the local "width"/"height", then loaded from the file. */
  write_png (path, 300, 600);
  _tim_message_set_local_file (mine, local);
  row = show_row (mine, NULL, FALSE, 120);
  picture = find_type (row, TIMCHAT_TYPE_MEDIA_PICTURE);
  timchat_media_picture_get_display_size (TIMCHAT_MEDIA_PICTURE (picture), &w, &h);
  g_assert_cmpint (w, ==, 160);
  g_assert_cmpint (h, ==, 320);
  g_assert_true (tim_test_wait_until (has_paintable, picture, 5000));
  g_assert_cmpint (gtk_widget_get_width (picture), ==, 160);
  g_assert_cmpint (gtk_widget_get_height (picture), ==, 320);

  /* Far from the viewport (the view says so) the row lets the image go and keeps its size; back
   * near it, it loads again. */
  timchat_message_row_set_media_active (row, FALSE);
  g_assert_null (timchat_media_picture_get_paintable (TIMCHAT_MEDIA_PICTURE (picture)));
  test_app_wait_frame (picture); /* laid out without the image */
  g_assert_cmpint (gtk_widget_get_width (picture), ==, 160);
  g_assert_cmpint (gtk_widget_get_height (picture), ==, 320);
  timchat_message_row_set_media_active (row, TRUE);
  g_assert_true (tim_test_wait_until (has_paintable, picture, 5000));
  close_row (row);
}

/* A camera's portrait photo sent from here: its pixels lie landscape in the file and its EXIF turns
 * them upright. The row's picture fills the box it shows them in, rather than coming out half as
 * wide (the stored pixels fitted to the box, then turned) and drawn blurred at twice the size. */
static void
test_image_exif_orientation (void)
{
  g_autofree char *path = tim_test_make_exif_jpeg (tmp_dir, "portrait.jpg", 640, 320, 6);
  g_autoptr (GFile) local = g_file_new_for_path (path);
  g_autoptr (TimMessage) mine = message_new (
      TIM_ELEM_IMAGE, "{\"name\":\"portrait.jpg\",\"size\":1000,\"width\":320,\"height\":640}",
      TRUE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row;
  GtkWidget *picture;
  GdkPaintable *paintable;
  int w, h, scale;

  _tim_message_set_local_file (mine, local);
  row = show_row (mine, NULL, FALSE, 120);
  picture = find_type (row, TIMCHAT_TYPE_MEDIA_PICTURE);
  timchat_media_picture_get_display_size (TIMCHAT_MEDIA_PICTURE (picture), &w, &h);
  g_assert_cmpint (w, ==, 160);
  g_assert_cmpint (h, ==, 320);
  g_assert_true (tim_test_wait_until (has_paintable, picture, 5000));
  paintable = timchat_media_picture_get_paintable (TIMCHAT_MEDIA_PICTURE (picture));
  scale = gtk_widget_get_scale_factor (picture);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, w * scale);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, h * scale);
  close_row (row);
}

/* Several rows in one window, written to the build dir to look at, and checked not blank. */
static void
test_screenshot (void)
{
  gint64 t = now ();
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *png = g_build_filename (tmp_dir, "pic.png", NULL);
  g_autoptr (GFile) png_file = g_file_new_for_path (png);
  g_autofree char *out = g_build_filename (
      g_getenv ("TIMCHAT_BUILD_DIR") != NULL ? g_getenv ("TIMCHAT_BUILD_DIR") : ".",
      "test-app-rows.png", NULL);
  GtkWidget *window = window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  TimMessage *m;
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width, height;

  write_png (png, 640, 400);
  g_ptr_array_add (messages, message_new (TIM_ELEM_TEXT, "{\"text\":\"Hello [Grin] how are you?\"}",
                                          FALSE, TIM_CONV_GROUP, t - 400));
  g_ptr_array_add (messages,
                   message_new (TIM_ELEM_CUSTOM, "{\"data\":\"dice\",\"description\":\"5\"}", FALSE,
                                TIM_CONV_GROUP, t - 390));
  m = message_new (TIM_ELEM_TEXT, "{\"text\":\"Fine, thanks! [ThumbsUp]\"}", TRUE, TIM_CONV_GROUP,
                   t - 300);
  _tim_message_set_status (m, TIM_MESSAGE_STATUS_SUCCESS);
  g_ptr_array_add (messages, m);
  m = message_new (TIM_ELEM_IMAGE,
                   "{\"name\":\"pic.png\",\"size\":1000,\"width\":640,\"height\":400}", TRUE,
                   TIM_CONV_GROUP, t - 290);
  _tim_message_set_local_file (m, png_file);
  _tim_message_set_upload (m, 1200000, 5000000);
  g_ptr_array_add (messages, m);
  g_ptr_array_add (messages, message_new (TIM_ELEM_GROUP_TIP,
                                          "{\"operationType\":1,\"operatorID\":\"carol\","
                                          "\"userIDList\":[\"carol\"]}",
                                          FALSE, TIM_CONV_GROUP, t - 200));
  g_ptr_array_add (messages, message_new (TIM_ELEM_FILE,
                                          "{\"fileName\":\"report.pdf\",\"fileSize\":1500000,"
                                          "\"fileUrl\":\"http://127.0.0.1:1/files/r.pdf\"}",
                                          FALSE, TIM_CONV_GROUP, t - 100));
  m = message_new (TIM_ELEM_TEXT, "{\"text\":\"This one failed\"}", TRUE, TIM_CONV_GROUP, t - 50);
  _tim_message_set_error (m, 10017, "You are muted in this group");
  _tim_message_set_status (m, TIM_MESSAGE_STATUS_FAIL);
  g_ptr_array_add (messages, m);
  m = message_new (TIM_ELEM_TEXT, "{\"text\":\"gone\"}", FALSE, TIM_CONV_GROUP, t - 40);
  _tim_message_set_revoked (m, "bob");
  g_ptr_array_add (messages, m);

  for (guint i = 0; i < messages->len; i++)
    {
      GtkWidget *row = timchat_message_row_new ();

      timchat_message_row_bind (TIMCHAT_MESSAGE_ROW (row), g_ptr_array_index (messages, i),
                                i > 0 ? g_ptr_array_index (messages, i - 1) : NULL, TRUE, 120);
      gtk_box_append (GTK_BOX (box), row);
    }
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 520, -1);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (
      tim_test_wait_until (has_paintable, find_type (box, TIMCHAT_TYPE_MEDIA_PICTURE), 5000));
  /* Laid out and drawn with the picture: the snapshot below takes the window's size. */
  test_app_wait_frame (window);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, out));
  g_test_message ("screenshot: %s (%dx%d)", out, width, height);
  {
    gsize stride = width * 4;
    g_autofree guchar *pixels = g_malloc (stride * height);
    guint distinct = 0;
    guint32 first;

    gdk_texture_download (texture, pixels, stride);
    first = *(guint32 *) pixels;
    for (gsize i = 0; i < stride * height; i += 4)
      distinct += *(guint32 *) (pixels + i) != first;
    g_assert_cmpuint (distinct, >, (guint) (width * height / 50));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The tooltip GTK would show: what the widget's query-tooltip handler puts in a tooltip. */
static gboolean
tooltip_shown (GtkWidget *widget, const char *expected)
{
  g_autoptr (GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  if (!gtk_widget_get_has_tooltip (widget))
    return FALSE;
  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  return shown && g_strcmp0 (timchat_message_content_get_tooltip (widget), expected) == 0;
}

/* Tooltips come through query-tooltip (gtk_widget_set_tooltip_text asks the X server where the
 * pointer is, at every row made): the receipt, the sending clock, the image and the die. */
static void
test_tooltips (void)
{
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hi\"}", TRUE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) image =
      message_new (TIM_ELEM_IMAGE,
                   "{\"uuid\":\"u\",\"imageFormat\":1,\"imageInfoArray\":[{\"type\":3,\"width\":"
                   "64,\"height\":64,\"url\":\"http://127.0.0.1:1/t.png\"}]}",
                   FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) die = message_new (
      TIM_ELEM_CUSTOM, "{\"data\":\"dice\",\"description\":\"4\"}", FALSE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (mine, NULL, FALSE, 120);
  GtkWidget *icon = find_type (row, GTK_TYPE_IMAGE);

  /* Sending: the clock says so. */
  g_assert_nonnull (icon);
  g_assert_true (tooltip_shown (icon, "Sending…"));
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_SUCCESS);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_type (row, GTK_TYPE_IMAGE));
  g_assert_true (tooltip_shown (GTK_WIDGET (find_label (row, "✓", FALSE)), "Sent"));
  _tim_message_set_is_peer_read (mine, TRUE);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_true (tooltip_shown (GTK_WIDGET (find_label (row, "✓✓", FALSE)), "Read"));
  _tim_message_set_error (mine, 20007, "Blocked by the peer");
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_FAIL);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_true (tooltip_shown (find_type (row, GTK_TYPE_IMAGE), "Not sent"));
  g_assert_true (tooltip_shown (GTK_WIDGET (find_label (row, "Blocked by the peer", FALSE)),
                                "Blocked by the peer"));
  timchat_message_row_bind (row, image, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_true (tooltip_shown (find_type (row, TIMCHAT_TYPE_MEDIA_PICTURE), "View image"));
  timchat_message_row_bind (row, die, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_true (tooltip_shown (GTK_WIDGET (find_label (row, "⚃", FALSE)), "4"));
  close_row (row);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  /* What AdwApplication does for the app: our style.css from the resource base path. */
  test_app_init (&argc, &argv, TRUE);
  recorder.activated = g_ptr_array_new_with_free_func (g_free);
  tmp_dir = g_dir_make_tmp ("test-app-rows-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/app/rows/text-emoji", test_text_emoji);
  g_test_add_func ("/app/rows/links", test_links);
  g_test_add_func ("/app/rows/every-type", test_every_type);
  g_test_add_func ("/app/rows/image-sized-before-load", test_image_sized_before_load);
  g_test_add_func ("/app/rows/image-exif-orientation", test_image_exif_orientation);
  g_test_add_func ("/app/rows/screenshot", test_screenshot);
  g_test_add_func ("/app/rows/tooltips", test_tooltips);
  status = g_test_run ();
  tim_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  g_ptr_array_unref (recorder.activated);
  return status;
}
