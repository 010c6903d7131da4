/* test-app-rows.c: TimchatMessageRow for every message type (labels and widgets found by walking
 * the widget tree), pre-sized images, emoji, day separators and sender grouping, recalls, failed
 * messages with Retry reaching a "conversation" action group, upload progress, receipts and the
 * recall menu item within the time limit, Edit for one's own sent texts and "edited" shown live,
 * Reply in the menu and a reply's quote;
 * a row bound again to its message keeps its content, long texts wrap at any window width. */
#define G_LOG_DOMAIN "test-app-rows"

#include "config.h"

#include <math.h>

#include <adwaita.h>

#include "tim-message-private.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "tim-text.h"
#include "timchat-audio-content.h"
#include "timchat-composer.h"
#include "timchat-emoji-picker.h"
#include "timchat-file-content.h"
#include "timchat-format.h"
#include "timchat-media-picture.h"
#include "timchat-message-content.h"
#include "timchat-message-row.h"
#include "timchat-resources.h"
#include "timchat-video-content.h"

/* The payload of a 10 × 10 picture the menus are asked about (never loaded). */
#define SMALL_PICTURE                                                                              \
  "{\"uuid\":\"u\",\"imageFormat\":3,\"imageInfoArray\":[{\"type\":0,\"width\":10,\"height\":10,"  \
  "\"url\":\"http://127.0.0.1:1/files/p.png\",\"imageUrl\":\"http://127.0.0.1:1/files/p.png\"}]}"

static char *tmp_dir;

/* ---------------------------------------------------------------- helpers */

typedef struct
{
  GPtrArray *activated; /* "name:ID" */
} Recorder;

static Recorder recorder;

static void
record_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_ptr_array_add (recorder.activated,
                   g_strdup_printf ("%s:%s", g_action_get_name (G_ACTION (action)),
                                    g_variant_get_string (parameter, NULL)));
}

static GtkWidget *
window_new (void)
{
  static const char *const names[] = { "retry",      "recall",        "copy",
                                       "save-as",    "open",          "open-folder",
                                       "view-image", "cancel-upload", "show-original" };
  GtkWidget *window = gtk_window_new ();
  GSimpleActionGroup *group = g_simple_action_group_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GSimpleAction) action = g_simple_action_new (names[i], G_VARIANT_TYPE_STRING);

      g_signal_connect (action, "activate", G_CALLBACK (record_cb), NULL);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }
  gtk_widget_insert_action_group (window, "conversation", G_ACTION_GROUP (group));
  g_object_unref (group);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 200);
  return window;
}

/* A row bound to message in a shown window (the window owns it). */
static TimchatMessageRow *
show_row (TimMessage *message, TimMessage *previous, gboolean is_group, int recall_seconds)
{
  GtkWidget *window = window_new ();
  GtkWidget *row = timchat_message_row_new ();

  timchat_message_row_bind (TIMCHAT_MESSAGE_ROW (row), message, previous, is_group, recall_seconds);
  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_present (GTK_WINDOW (window));
  test_app_wait_frame (row);
  return TIMCHAT_MESSAGE_ROW (row);
}

static void
close_row (TimchatMessageRow *row)
{
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (row))));
}

/* Visible: the widget and every ancestor up to the row. */
static gboolean
shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
      return FALSE;
  return TRUE;
}

static void
collect (GtkWidget *widget, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && shown (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static GtkWidget *
find_type (gpointer root, GType type)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (root), type, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* A shown label whose text is text (or contains it when partial). */
static GtkLabel *
find_label (gpointer root, const char *text, gboolean partial)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  collect (GTK_WIDGET (root), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *label = gtk_label_get_text (g_ptr_array_index (labels, i));

      if (partial ? strstr (label, text) != NULL : g_str_equal (label, text))
        return g_ptr_array_index (labels, i);
    }
  return NULL;
}

static GtkWidget *
find_button (gpointer root, const char *label)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  collect (GTK_WIDGET (root), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      const char *text = gtk_button_get_label (g_ptr_array_index (buttons, i));

      if (label == NULL || g_strcmp0 (text, label) == 0)
        return g_ptr_array_index (buttons, i);
    }
  return NULL;
}

/* The bubble holding the label text, in row coordinates. */
static graphene_rect_t
bubble_bounds (TimchatMessageRow *row, const char *text)
{
  GtkLabel *label = find_label (row, text, FALSE);
  graphene_rect_t bounds;

  g_assert_nonnull (label);
  g_assert_true (gtk_widget_compute_bounds (gtk_widget_get_parent (GTK_WIDGET (label)),
                                            GTK_WIDGET (row), &bounds));
  return bounds;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_node_dup_object (node);
}

/* Own messages come from "me"; others from "bob" (nick "Bob"). */
static TimMessage *
message_new (TimElemType type, const char *payload_json, gboolean mine, TimConvType conv,
             gint64 time)
{
  g_autoptr (JsonObject) payload = parse_object (payload_json);
  static gint64 random = 1;
  TimMessage *message =
      _tim_message_new_outgoing ("me", "144115198244471703", conv == TIM_CONV_GROUP ? "g1" : "bob",
                                 conv, type, payload, time, random, random, 2);

  random++;
  if (!mine)
    {
      g_free (message->from);
      message->from = g_strdup ("bob");
      message->flow_out = FALSE;
      message->nick = g_strdup ("Bob");
      message->status = TIM_MESSAGE_STATUS_SUCCESS;
    }
  return message;
}

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---------------------------------------------------------------- tests */

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

static void
test_day_separator_and_grouping (void)
{
  gint64 t = now ();
  g_autoptr (TimMessage) first =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"one\"}", FALSE, TIM_CONV_GROUP, t - 120);
  g_autoptr (TimMessage) close_by =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"two\"}", FALSE, TIM_CONV_GROUP, t - 60);
  g_autoptr (TimMessage) later =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"three\"}", FALSE, TIM_CONV_GROUP, t - 60 + 6 * 60);
  g_autoptr (TimMessage) yesterday =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"old\"}", FALSE, TIM_CONV_GROUP, t - 24 * 3600);
  g_autoptr (TimMessage) old = message_new (TIM_ELEM_TEXT, "{\"text\":\"older\"}", FALSE,
                                            TIM_CONV_GROUP, t - 40 * 24 * 3600);
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"mine\"}", TRUE, TIM_CONV_GROUP, t - 50);
  g_autoptr (TimMessage) c2c =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hey\"}", FALSE, TIM_CONV_C2C, t);
  g_autoptr (GDateTime) old_date = g_date_time_new_from_unix_local (t - 40 * 24 * 3600);
  g_autofree char *year = g_date_time_format (old_date, "%Y");
  TimchatMessageRow *row;

  /* First of the list: separator, sender name and avatar (at the start, the bubble after it,
   * under the name). */
  row = show_row (first, NULL, TRUE, 120);
  g_assert_nonnull (find_label (row, "Today", FALSE));
  g_assert_nonnull (find_label (row, "Bob", FALSE));
  g_assert_nonnull (find_type (row, ADW_TYPE_AVATAR));
  {
    graphene_rect_t avatar, name, bubble = bubble_bounds (row, "one");

    g_assert_true (
        gtk_widget_compute_bounds (find_type (row, ADW_TYPE_AVATAR), GTK_WIDGET (row), &avatar));
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (find_label (row, "Bob", FALSE)),
                                              GTK_WIDGET (row), &name));
    g_assert_cmpfloat (avatar.origin.x, ==, 12);
    g_assert_cmpfloat (avatar.size.width, ==, 32);
    g_assert_cmpfloat (bubble.origin.x, ==, 12 + 32 + 8);
    g_assert_cmpfloat (name.origin.y + name.size.height, <=, bubble.origin.y);
    g_assert_cmpfloat (avatar.origin.y, ==, name.origin.y);
  }
  /* Same sender a minute later: merged, no separator, no name, no avatar; the bubble lines up
   * under the first. */
  timchat_message_row_bind (row, close_by, first, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_label (row, "Today", FALSE));
  g_assert_null (find_label (row, "Bob", FALSE));
  g_assert_null (find_type (row, ADW_TYPE_AVATAR));
  g_assert_nonnull (find_label (row, "two", FALSE));
  g_assert_cmpfloat (bubble_bounds (row, "two").origin.x, ==, 12 + 32 + 8);
  /* Same sender, 6 minutes later: a new run. */
  timchat_message_row_bind (row, later, close_by, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  if (timchat_format_same_day (t - 60, t - 60 + 6 * 60))
    g_assert_null (find_label (row, "Today", FALSE));
  g_assert_nonnull (find_label (row, "Bob", FALSE));
  /* Another day: a separator. */
  timchat_message_row_bind (row, first, yesterday, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "Today", FALSE));
  g_assert_nonnull (find_label (row, "Bob", FALSE));
  timchat_message_row_bind (row, yesterday, old, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "Yesterday", FALSE));
  timchat_message_row_bind (row, old, NULL, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, year, TRUE));
  /* Own messages: right-aligned outgoing bubble, never a name or avatar. */
  timchat_message_row_bind (row, mine, close_by, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_label (row, "Bob", FALSE));
  g_assert_null (find_type (row, ADW_TYPE_AVATAR));
  {
    GtkWidget *label = GTK_WIDGET (find_label (row, "mine", FALSE));
    GtkWidget *bubble = gtk_widget_get_parent (label);
    graphene_rect_t bounds = bubble_bounds (row, "mine");

    g_assert_true (gtk_widget_has_css_class (bubble, "outgoing"));
    /* At the row's end (12 px in), as wide as its text. */
    g_assert_cmpfloat (
        fabs (bounds.origin.x + bounds.size.width - (gtk_widget_get_width (GTK_WIDGET (row)) - 12)),
        <=, 1);
    g_assert_cmpfloat (bounds.origin.x, >, gtk_widget_get_width (GTK_WIDGET (row)) / 2);
  }
  /* Right to left (as in such a locale: every widget), start and end swap sides. */
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_cmpfloat (bubble_bounds (row, "mine").origin.x, ==, 12);
  timchat_message_row_bind (row, first, NULL, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  {
    graphene_rect_t avatar, bubble = bubble_bounds (row, "one");
    int width = gtk_widget_get_width (GTK_WIDGET (row));

    g_assert_true (
        gtk_widget_compute_bounds (find_type (row, ADW_TYPE_AVATAR), GTK_WIDGET (row), &avatar));
    g_assert_cmpfloat (avatar.origin.x + avatar.size.width, ==, width - 12);
    g_assert_cmpfloat (bubble.origin.x + bubble.size.width, ==, width - 12 - 32 - 8);
  }
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  /* One-to-one: no names or avatars either, the bubble at the start. */
  timchat_message_row_bind (row, c2c, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_cmpfloat (bubble_bounds (row, "hey").origin.x, ==, 12);
  g_assert_null (find_label (row, "Bob", FALSE));
  g_assert_null (find_type (row, ADW_TYPE_AVATAR));
  close_row (row);
}

static gboolean
has_css_class (GtkWidget *widget, gconstpointer name)
{
  return gtk_widget_has_css_class (widget, name);
}

/* A group message that mentions the signed-in user stands out; one that mentions someone else,
 * or everyone, does not; recalled, it no longer does. */
static void
test_mention_stands_out (void)
{
  const char *const at_me[] = { "me", NULL };
  const char *const at_others[] = { "carol", TIM_AT_ALL, NULL };
  g_autoptr (TimMessage) calls_me =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"@me look\"}", FALSE, TIM_CONV_GROUP, now ());
  g_autoptr (TimMessage) calls_others =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"@carol look\"}", FALSE, TIM_CONV_GROUP, now ());
  GtkWidget *window = window_new ();
  TimchatMessageRow *row = TIMCHAT_MESSAGE_ROW (timchat_message_row_new ());

  _tim_message_set_at_user_list (calls_me, at_me);
  _tim_message_set_at_user_list (calls_others, at_others);
  /* As the conversation view's factory sets a row up: who "me" is first. */
  timchat_message_row_set_me (row, "me");
  timchat_message_row_bind (row, calls_me, NULL, TRUE, 120);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (row));
  gtk_window_present (GTK_WINDOW (window));
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_true (gtk_widget_has_css_class (
      gtk_widget_get_parent (GTK_WIDGET (find_label (row, "@me look", FALSE))), "mentions-me"));
  timchat_message_row_bind (row, calls_others, NULL, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_false (gtk_widget_has_css_class (
      gtk_widget_get_parent (GTK_WIDGET (find_label (row, "@carol look", FALSE))), "mentions-me"));
  timchat_message_row_bind (row, calls_me, NULL, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  _tim_message_set_revoked (calls_me, "bob");
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (tim_message_get_at_user_list (calls_me));
  g_assert_null (test_app_find_widget (GTK_WIDGET (row), has_css_class, (gpointer) "mentions-me"));
  close_row (row);
}

/* Bound again to the message it shows (GTK re-binds rows whose position moved) with another
 * message above: the separator and the sender follow, the content is the same widget. */
static void
test_rebind_same_message (void)
{
  gint64 t = now ();
  g_autoptr (TimMessage) first =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"one\"}", FALSE, TIM_CONV_GROUP, t - 120);
  g_autoptr (TimMessage) second =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"two\"}", FALSE, TIM_CONV_GROUP, t - 60);
  TimchatMessageRow *row = show_row (second, first, TRUE, 120);
  GtkLabel *text = find_label (row, "two", FALSE);
  AdwAvatar *avatar;

  g_assert_nonnull (text);
  g_assert_null (find_label (row, "Bob", FALSE));
  g_assert_null (find_label (row, "Today", FALSE));
  /* The message above went (an older page came in between, say): first of its run and day. */
  timchat_message_row_bind (row, second, NULL, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_true (find_label (row, "two", FALSE) == text);
  g_assert_nonnull (find_label (row, "Bob", FALSE));
  g_assert_nonnull (find_label (row, "Today", FALSE));
  avatar = ADW_AVATAR (find_type (row, ADW_TYPE_AVATAR));
  g_assert_nonnull (avatar);
  g_assert_cmpstr (adw_avatar_get_text (avatar), ==, "Bob");
  /* And merged again. */
  timchat_message_row_bind (row, second, first, TRUE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_true (find_label (row, "two", FALSE) == text);
  g_assert_null (find_label (row, "Bob", FALSE));
  g_assert_null (find_label (row, "Today", FALSE));
  close_row (row);
}

/* A long message wraps inside the window at any width (its label's minimum width is computed
 * from width-chars rather than a width-0 layout), a short one keeps a bubble as narrow as its
 * text, and a long word without spaces breaks between characters. */
static void
test_long_text_wraps (void)
{
  g_autoptr (GString) words = g_string_new (NULL);
  g_autoptr (GString) unbroken = g_string_new (NULL);
  g_autoptr (TimMessage) long_message = NULL;
  g_autoptr (TimMessage) url = NULL;
  g_autoptr (TimMessage) short_message =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"ok\"}", FALSE, TIM_CONV_C2C, now ());
  static const int widths[] = { 360, 480, 900 };
  g_autofree char *long_json = NULL, *url_json = NULL;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (words, "%sword%u", i > 0 ? " " : "", i);
  for (guint i = 0; i < 120; i++)
    g_string_append_c (unbroken, 'a' + i % 26);
  long_json = g_strdup_printf ("{\"text\":\"%s\"}", words->str);
  url_json = g_strdup_printf ("{\"text\":\"%s\"}", unbroken->str);
  long_message = message_new (TIM_ELEM_TEXT, long_json, FALSE, TIM_CONV_C2C, now ());
  url = message_new (TIM_ELEM_TEXT, url_json, FALSE, TIM_CONV_C2C, now ());

  for (gsize i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      TimMessage *messages[] = { long_message, url };

      for (gsize m = 0; m < G_N_ELEMENTS (messages); m++)
        {
          GtkWidget *window = window_new ();
          GtkWidget *row = timchat_message_row_new ();
          GtkLabel *label;
          PangoLayout *layout;
          graphene_rect_t bounds;

          timchat_message_row_bind (TIMCHAT_MESSAGE_ROW (row), messages[m], NULL, FALSE, 120);
          gtk_window_set_default_size (GTK_WINDOW (window), widths[i], 200);
          gtk_window_set_child (GTK_WINDOW (window), row);
          gtk_window_present (GTK_WINDOW (window));
          test_app_wait_frame (row);
          label = find_label (row, m == 0 ? "word39" : "abc", TRUE);
          g_assert_nonnull (label);
          g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (label), row, &bounds));
          layout = gtk_label_get_layout (label);
          g_test_message ("%d px window: %s label %.0f px wide at x %.0f, %d lines, row %d px",
                          widths[i], m == 0 ? "words" : "unbroken", bounds.size.width,
                          bounds.origin.x, pango_layout_get_line_count (layout),
                          gtk_widget_get_width (row));
          /* Inside the row, which is as wide as the window. */
          g_assert_cmpint (gtk_widget_get_width (row), ==, widths[i]);
          g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, widths[i]);
          g_assert_cmpint (pango_layout_get_line_count (layout), >, 1);
          /* Every line fits the label's width: wrapped, not cut. */
          {
            PangoRectangle extents;

            pango_layout_get_pixel_extents (layout, NULL, &extents);
            g_assert_cmpint (extents.width, <=, (int) bounds.size.width + 1);
          }
          gtk_window_destroy (GTK_WINDOW (window));
        }
    }

  {
    TimchatMessageRow *row = show_row (short_message, NULL, FALSE, 120);
    GtkLabel *label = find_label (row, "ok", FALSE);
    PangoRectangle extents;
    int minimum, natural;

    pango_layout_get_pixel_extents (gtk_label_get_layout (label), NULL, &extents);
    gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                        NULL, NULL);
    /* As wide as "ok", not as the 16 characters of width-chars. */
    g_assert_cmpint (natural, <=, extents.width + 2);
    close_row (row);
  }
}

static void
test_recalled (void)
{
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"secret\"}", FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"oops\"}", TRUE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (theirs, NULL, FALSE, 120);

  g_assert_nonnull (find_label (row, "secret", FALSE));
  /* Live: the recall arrives while the row shows the message. */
  _tim_message_set_revoked (theirs, "bob");
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_label (row, "secret", FALSE));
  g_assert_nonnull (find_label (row, "Bob recalled a message", FALSE));
  /* Laid out in the row's place (the row placed its parts again). */
  g_assert_cmpint (
      gtk_widget_get_width (GTK_WIDGET (find_label (row, "Bob recalled a message", FALSE))), >, 0);
  g_assert_cmpint (
      gtk_widget_get_height (GTK_WIDGET (find_label (row, "Bob recalled a message", FALSE))), >, 0);
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_SUCCESS);
  _tim_message_set_revoked (mine, "me");
  timchat_message_row_bind (row, mine, theirs, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "You recalled a message", FALSE));
  g_assert_null (find_label (row, "oops", FALSE));
  close_row (row);
}

static void
test_failed_retry (void)
{
  g_autoptr (TimMessage) message =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hello\"}", TRUE, TIM_CONV_C2C, now ());
  g_autofree char *expected = g_strdup_printf ("retry:%s", tim_message_get_id (message));
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);
  GtkWidget *retry;

  /* unSend, nothing to upload: a clock, no Retry. */
  g_assert_null (find_button (row, "Retry"));
  {
    GtkImage *icon = GTK_IMAGE (find_type (row, GTK_TYPE_IMAGE));

    g_assert_nonnull (icon);
    g_assert_cmpstr (gtk_image_get_icon_name (icon), ==, "document-open-recent-symbolic");
  }
  _tim_message_set_error (message, 20007, "Blocked by the peer");
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_FAIL);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "Blocked by the peer", FALSE));
  retry = find_button (row, "Retry");
  g_assert_nonnull (retry);
  g_ptr_array_set_size (recorder.activated, 0);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_cmpuint (recorder.activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recorder.activated, 0), ==, expected);
  /* The resend succeeds: error gone, a sent tick. */
  _tim_message_set_error (message, 0, NULL);
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_SUCCESS);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_button (row, "Retry"));
  g_assert_nonnull (find_label (row, "✓", FALSE));
  _tim_message_set_is_peer_read (message, TRUE);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "✓✓", FALSE));
  close_row (row);
}

/* "1.2 MB of 5.0 MB", kept until the next call. */
static const char *
transfer (goffset done, goffset total)
{
  static char *text;

  g_free (text);
  text = timchat_format_transfer (done, total);
  return text;
}

static void
test_upload_progress (void)
{
  g_autoptr (TimMessage) message = message_new (
      TIM_ELEM_FILE, "{\"fileName\":\"big.iso\",\"fileSize\":5000000}", TRUE, TIM_CONV_C2C, now ());
  g_autofree char *cancel = g_strdup_printf ("cancel-upload:%s", tim_message_get_id (message));
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);
  GtkProgressBar *bar;

  g_assert_null (find_type (row, GTK_TYPE_PROGRESS_BAR));
  _tim_message_set_upload (message, 1200000, 5000000);
  test_app_wait_frame (GTK_WIDGET (row));
  bar = GTK_PROGRESS_BAR (find_type (row, GTK_TYPE_PROGRESS_BAR));
  g_assert_nonnull (bar);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (bar), 0.24, 0.001);
  g_assert_nonnull (find_label (row, transfer (1200000, 5000000), FALSE));
  _tim_message_set_upload (message, 2500000, 5000000);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (bar), 0.5, 0.001);
  g_assert_nonnull (find_label (row, transfer (2500000, 5000000), FALSE));
  g_ptr_array_set_size (recorder.activated, 0);
  {
    g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

    collect (gtk_widget_get_parent (GTK_WIDGET (bar)), GTK_TYPE_BUTTON, buttons);
    g_assert_cmpuint (buttons->len, ==, 1);
    g_signal_emit_by_name (g_ptr_array_index (buttons, 0), "clicked");
  }
  g_assert_cmpuint (recorder.activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recorder.activated, 0), ==, cancel);
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_SUCCESS);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_label (row, transfer (2500000, 5000000), FALSE));
  g_assert_null (find_type (row, GTK_TYPE_PROGRESS_BAR));
  close_row (row);
}

/* The actions of the context menu, opened as right click would. */
static GPtrArray *
menu_actions (TimchatMessageRow *row)
{
  GPtrArray *actions = g_ptr_array_new_with_free_func (g_free);
  GMenuModel *model = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.menu", NULL));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      {
        model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (child));
        gtk_popover_popdown (GTK_POPOVER (child));
      }
  /* Each item reachable by its key. */
  if (model != NULL)
    test_app_assert_access_keys_unique (model);
  for (int i = 0; model != NULL && i < g_menu_model_get_n_items (model); i++)
    {
      char *action = NULL;

      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      g_ptr_array_add (actions, action);
    }
  return actions;
}

/* The text the menu's Copy of a selection copies, or NULL. */
static char *
selected_copy (TimchatMessageRow *row)
{
  g_autoptr (GMenuModel) model = NULL;
  char *target = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      model = g_object_ref (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (child)));
  for (int i = 0; model != NULL && i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;

      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      if (g_strcmp0 (action, "conversation.copy-text") == 0)
        g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_TARGET, "s", &target);
    }
  return target;
}

/* The row takes a right click before its children do: on a message's (selectable) text it opens
 * the message's menu, not GTK's text menu. */
static gboolean
right_click_is_the_rows (TimchatMessageRow *row)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (row));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY &&
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) ==
              GTK_PHASE_CAPTURE)
        return TRUE;
    }
  return FALSE;
}

static gboolean
contains (GPtrArray *strings, const char *value)
{
  return g_ptr_array_find_with_equal_func (strings, value, g_str_equal, NULL);
}

static void
test_recall_menu (void)
{
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hi\"}", TRUE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yo\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) image = message_new (
      TIM_ELEM_FILE,
      "{\"fileName\":\"a.txt\",\"fileSize\":3,\"fileUrl\":\"http://127.0.0.1:1/files/a.txt\"}",
      FALSE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) picture =
      message_new (TIM_ELEM_IMAGE, SMALL_PICTURE, FALSE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (mine, NULL, FALSE, 120);
  g_autoptr (GPtrArray) actions = NULL;

  g_assert_true (right_click_is_the_rows (row));
  /* Not sent yet: nothing to recall, nor to select with others. */
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.recall"));
  g_assert_false (contains (actions, "conversation.select"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Part of the text selected: Copy copies that part. */
  gtk_label_select_region (find_label (row, "hi", FALSE), 1, 2);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy-text"));
  g_assert_false (contains (actions, "conversation.copy"));
  {
    g_autofree char *copied = selected_copy (row);

    g_assert_cmpstr (copied, ==, "i");
  }
  g_clear_pointer (&actions, g_ptr_array_unref);
  gtk_label_select_region (find_label (row, "hi", FALSE), 0, 0);
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_SUCCESS);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.recall"));
  g_assert_true (contains (actions, "conversation.forward"));
  g_assert_true (contains (actions, "conversation.select"));
  g_assert_true (contains (actions, "conversation.delete"));

  g_clear_pointer (&actions, g_ptr_array_unref);
  /* The age is checked when the menu opens: the same bound row, 10 minutes later. */
  _tim_message_set_time (mine, now () - 600);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.recall"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Never for someone else's message. */
  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.recall"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Files: Open and Save As, no Copy. */
  timchat_message_row_bind (row, image, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.open"));
  g_assert_true (contains (actions, "conversation.save-as"));
  g_assert_false (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.view-image"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Images also open in the viewer from the menu, as a click on them does, and copy. */
  timchat_message_row_bind (row, picture, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.view-image"));
  g_assert_true (contains (actions, "conversation.copy-image"));
  g_assert_true (contains (actions, "conversation.save-as"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Recalled: nothing to copy, forward or recall; it can only be deleted from the view. */
  _tim_message_set_revoked (theirs, "bob");
  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_true (contains (actions, "conversation.delete"));
  close_row (row);
}

/* "Edit" for one's own texts once sent and kept: not before, not for the peer's, not for a
 * recalled one, an online-only one or a picture. */
static void
test_edit_menu (void)
{
  g_autoptr (TimMessage) mine =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"hi\"}", TRUE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yo\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) group_text =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"all\"}", TRUE, TIM_CONV_GROUP, now () - 10);
  g_autoptr (TimMessage) online =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"typing…\"}", TRUE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) picture =
      message_new (TIM_ELEM_IMAGE, SMALL_PICTURE, TRUE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (mine, NULL, FALSE, 120);
  g_autoptr (GPtrArray) actions = NULL;

  /* Not sent yet. */
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  _tim_message_set_status (mine, TIM_MESSAGE_STATUS_SUCCESS);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  /* Older than the recall limit: still editable. */
  _tim_message_set_time (mine, now () - 3600);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.edit"));
  g_assert_false (contains (actions, "conversation.recall"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_status (group_text, TIM_MESSAGE_STATUS_SUCCESS);
  timchat_message_row_bind (row, group_text, NULL, TRUE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.copy"));
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_status (online, TIM_MESSAGE_STATUS_SUCCESS);
  _tim_message_set_online_only (online, TRUE);
  timchat_message_row_bind (row, online, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_status (picture, TIM_MESSAGE_STATUS_SUCCESS);
  timchat_message_row_bind (row, picture, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.forward"));
  g_assert_false (contains (actions, "conversation.edit"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_revoked (mine, "me");
  timchat_message_row_bind (row, mine, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.edit"));
  close_row (row);
}

/* A shown label (up to the row) says text. */
static gboolean
shows_label (TimchatMessageRow *row, const char *text)
{
  return find_label (row, text, FALSE) != NULL;
}

/* An edit arriving while the row shows the message: the new text and "edited" before the time,
 * gone again with a recall. */
static void
test_edited_live (void)
{
  g_autoptr (TimMessage) message =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"at 7\"}", FALSE, TIM_CONV_C2C, now ());
  g_autoptr (JsonNode) body =
      json_from_string ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"at 8\"}}]", NULL);
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);
  GtkLabel *edited, *time;

  g_assert_true (shows_label (row, "at 7"));
  g_assert_false (shows_label (row, "edited"));
  g_assert_true (_tim_message_apply_edit (message, json_node_get_array (body), NULL, 1));
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_false (shows_label (row, "at 7"));
  g_assert_true (shows_label (row, "at 8"));
  edited = find_label (row, "edited", FALSE);
  g_assert_nonnull (edited);
  /* Before the time, as dim as it. */
  time = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (edited)));
  g_assert_nonnull (time);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (time), "message-meta"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (edited), "message-meta"));
  test_app_screenshot (GTK_WIDGET (row), "row-edited.png");

  /* Another row bound to a message never edited: no "edited". */
  {
    g_autoptr (TimMessage) plain =
        message_new (TIM_ELEM_TEXT, "{\"text\":\"plain\"}", FALSE, TIM_CONV_C2C, now ());

    timchat_message_row_bind (row, plain, NULL, FALSE, 120);
    g_assert_false (shows_label (row, "edited"));
    timchat_message_row_bind (row, message, NULL, FALSE, 120);
    g_assert_true (shows_label (row, "edited"));
  }
  _tim_message_set_revoked (message, "bob");
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_false (shows_label (row, "edited"));
  close_row (row);
}

static void
test_unbind (void)
{
  g_autoptr (TimMessage) message =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"bye\"}", TRUE, TIM_CONV_C2C, now ());
  GtkWidget *row = g_object_ref_sink (timchat_message_row_new ());

  timchat_message_row_bind (TIMCHAT_MESSAGE_ROW (row), message, NULL, FALSE, 120);
  g_assert_true (timchat_message_row_get_message (TIMCHAT_MESSAGE_ROW (row)) == message);
  timchat_message_row_unbind (TIMCHAT_MESSAGE_ROW (row));
  g_assert_null (timchat_message_row_get_message (TIMCHAT_MESSAGE_ROW (row)));
  /* No handler left on the message: changing it does not touch the row. */
  g_assert_cmpuint (
      g_signal_handlers_disconnect_matched (message, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, row),
      ==, 0);
  _tim_message_set_status (message, TIM_MESSAGE_STATUS_FAIL);
  /* A bound row dies cleanly and lets go of its message. */
  timchat_message_row_bind (TIMCHAT_MESSAGE_ROW (row), message, NULL, FALSE, 120);
  g_assert_finalize_object (row);
  g_assert_cmpuint (G_OBJECT (message)->ref_count, ==, 1);
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

static guint
count_widgets (GtkWidget *widget)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child);
  return n;
}

/* What most rows never show is not made: a one-to-one text row is the row, its column, the
 * bubble, the text, the footer and the time (every widget made costs while a conversation opens).
 * The parts are made when first shown, in the right places (the rest of this file checks what they
 * show). */
static void
test_few_widgets (void)
{
  gint64 t = now ();
  g_autoptr (TimMessage) first =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"one\"}", FALSE, TIM_CONV_C2C, t - 60);
  g_autoptr (TimMessage) second =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"two\"}", FALSE, TIM_CONV_C2C, t);
  TimchatMessageRow *row = show_row (second, first, FALSE, 120);

  g_assert_cmpuint (count_widgets (GTK_WIDGET (row)), <=, 6);
  /* The day separator goes above the message, made when first needed. */
  timchat_message_row_bind (row, second, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  {
    GtkWidget *day = GTK_WIDGET (find_label (row, "Today", FALSE));
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_get_first_child (GTK_WIDGET (row)) == day);
    g_assert_true (gtk_widget_compute_bounds (day, GTK_WIDGET (row), &bounds));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                       bubble_bounds (row, "two").origin.y);
  }
  close_row (row);
}

static double
top_of (TimchatMessageRow *row, const char *text)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (find_label (row, text, FALSE)),
                                            GTK_WIDGET (row), &bounds));
  return bounds.origin.y;
}

/* The notes the view asks for go in order: the beginning above the day separator, "Unread
 * messages" under it (the first unread message may be the first of a day), above the message;
 * and they go away again. */
static void
test_notes (void)
{
  g_autoptr (TimMessage) message =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"first\"}", FALSE, TIM_CONV_C2C, now ());
  TimchatMessageRow *row = show_row (message, NULL, FALSE, 120);

  g_assert_null (find_label (row, "Unread messages", FALSE));
  timchat_message_row_set_notes (row, FALSE, TRUE);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (find_label (row, "Unread messages", FALSE));
  g_assert_null (find_label (row, "Beginning of the conversation", FALSE));
  timchat_message_row_set_notes (row, TRUE, TRUE);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_cmpfloat (top_of (row, "Beginning of the conversation"), <,
                     top_of (row, "Unread messages"));
  g_assert_cmpfloat (top_of (row, "Beginning of the conversation"), <, top_of (row, "Today"));
  g_assert_cmpfloat (top_of (row, "Today"), <, top_of (row, "Unread messages"));
  g_assert_cmpfloat (top_of (row, "Unread messages"), <, bubble_bounds (row, "first").origin.y);
  timchat_message_row_set_notes (row, FALSE, FALSE);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (find_label (row, "Unread messages", FALSE));
  g_assert_null (find_label (row, "Beginning of the conversation", FALSE));
  close_row (row);
}

/* The local time zone is loaded once and kept (GLib loaded it at every call when TZ is unset);
 * timchat_format_forget_zone, or a minute, makes it follow a change. */
static void
test_clock_zone (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("TZ"));
  g_autofree char *utc = NULL, *cached = NULL, *shanghai = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  timchat_format_forget_zone ();
  utc = timchat_format_clock (0);
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  cached = timchat_format_clock (0);
  timchat_format_forget_zone ();
  shanghai = timchat_format_clock (0);
  g_assert_cmpstr (utc, ==, "00:00");
  g_assert_cmpstr (cached, ==, "00:00");
  g_assert_cmpstr (shanghai, ==, "08:00");
  g_assert_true (timchat_format_same_day (16 * 3600, 23 * 3600));
  g_assert_false (timchat_format_same_day (15 * 3600, 16 * 3600));
  if (saved != NULL)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
  timchat_format_forget_zone ();
}

/* "Reply" first in the menu of any message sent and kept, one's own or not, text or media, C2C or
 * group; not before it is sent, not for a recalled, online-only message, a tip or a notice. */
static void
test_reply_menu (void)
{
  g_autoptr (TimMessage) theirs =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yo\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) group_text =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"all\"}", FALSE, TIM_CONV_GROUP, now () - 10);
  g_autoptr (TimMessage) picture =
      message_new (TIM_ELEM_IMAGE, SMALL_PICTURE, TRUE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) online =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"typing…\"}", FALSE, TIM_CONV_C2C, now () - 10);
  g_autoptr (TimMessage) tip =
      message_new (TIM_ELEM_GROUP_TIP,
                   "{\"operationType\":1,\"operatorID\":\"carol\",\"userIDList\":[\"carol\"]}",
                   FALSE, TIM_CONV_GROUP, now ());
  TimchatMessageRow *row = show_row (theirs, NULL, FALSE, 120);
  g_autoptr (GPtrArray) actions = NULL;

  actions = menu_actions (row);
  g_assert_cmpuint (actions->len, >, 1);
  g_assert_cmpstr (g_ptr_array_index (actions, 0), ==, "conversation.reply");
  g_clear_pointer (&actions, g_ptr_array_unref);

  timchat_message_row_bind (row, group_text, NULL, TRUE, 120);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.reply"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* One's own picture: once it is sent. */
  timchat_message_row_bind (row, picture, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_clear_pointer (&actions, g_ptr_array_unref);
  _tim_message_set_status (picture, TIM_MESSAGE_STATUS_SUCCESS);
  actions = menu_actions (row);
  g_assert_true (contains (actions, "conversation.reply"));
  g_assert_true (contains (actions, "conversation.view-image"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  _tim_message_set_online_only (online, TRUE);
  timchat_message_row_bind (row, online, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* Recalled: gone from the menu (and from what the composer accepts). */
  _tim_message_set_revoked (theirs, "bob");
  timchat_message_row_bind (row, theirs, NULL, FALSE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_assert_false (timchat_composer_can_reply_to (theirs));
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* A tip has no menu, and cannot be quoted. */
  timchat_message_row_bind (row, tip, NULL, TRUE, 120);
  actions = menu_actions (row);
  g_assert_false (contains (actions, "conversation.reply"));
  g_assert_false (timchat_composer_can_reply_to (tip));
  close_row (row);
}

static gboolean
is_quote (GtkWidget *widget, gconstpointer unused)
{
  return gtk_widget_has_css_class (widget, "message-quote") && shown (widget);
}

static GtkWidget *
quote_of (TimchatMessageRow *row)
{
  return test_app_find_widget (GTK_WIDGET (row), is_quote, NULL);
}

/* A reply shows the quote above what it says, inside the bubble: the quoted sender (bold) and the
 * abstract (dim, emoji drawn, two lines at most); its name says both; a click asks the
 * conversation to show the original. A long abstract does not stretch the bubble. */
static void
test_reply_quote (void)
{
  g_autoptr (TimMessage) original = message_new (
      TIM_ELEM_TEXT, "{\"text\":\"Lunch at [Grin] noon?\"}", FALSE, TIM_CONV_C2C, now () - 60);
  g_autoptr (TimMessage) reply =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"yes\"}", TRUE, TIM_CONV_C2C, now ());
  g_autoptr (TimMessage) long_original =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"x\"}", FALSE, TIM_CONV_C2C, now () - 60);
  g_autoptr (TimMessage) short_reply =
      message_new (TIM_ELEM_TEXT, "{\"text\":\"ok\"}", TRUE, TIM_CONV_C2C, now ());
  g_autofree char *expected_action =
      g_strdup_printf ("show-original:%s", tim_message_get_id (original));
  g_autofree char *long_text = g_strnfill (300, 'w');
  g_autoptr (JsonObject) long_payload = json_object_new ();
  TimchatMessageRow *row;
  GtkWidget *quote, *sender, *abstract;
  graphene_rect_t quote_bounds, text_bounds;

  g_assert_true (tim_message_set_reply_to (reply, original));
  _tim_message_set_status (reply, TIM_MESSAGE_STATUS_SUCCESS);
  row = show_row (reply, NULL, FALSE, 120);
  quote = quote_of (row);
  g_assert_nonnull (quote);
  g_assert_true (GTK_IS_BUTTON (quote));
  sender = GTK_WIDGET (find_label (quote, "Bob", FALSE));
  abstract = GTK_WIDGET (find_label (quote, "Lunch at 😁 noon?", FALSE));
  g_assert_nonnull (sender);
  g_assert_nonnull (abstract);
  g_assert_true (gtk_widget_has_css_class (sender, "caption-heading"));
  g_assert_true (gtk_widget_has_css_class (abstract, "dim-label"));
  g_assert_cmpint (gtk_label_get_lines (GTK_LABEL (abstract)), ==, 2);
  g_assert_true (gtk_label_get_ellipsize (GTK_LABEL (abstract)) == PANGO_ELLIPSIZE_END);
  gtk_test_accessible_assert_property (quote, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Reply to Bob: Lunch at 😁 noon?");
  /* In the bubble, above the text. */
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (quote), "message-bubble"));
  g_assert_true (gtk_widget_compute_bounds (quote, GTK_WIDGET (row), &quote_bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (find_label (row, "yes", FALSE)),
                                            GTK_WIDGET (row), &text_bounds));
  g_assert_cmpfloat (quote_bounds.origin.y + quote_bounds.size.height, <=, text_bounds.origin.y);

  /* A click (or Enter, a button's activation) asks for the original. */
  g_ptr_array_set_size (recorder.activated, 0);
  g_assert_true (gtk_widget_get_sensitive (quote));
  g_signal_emit_by_name (quote, "clicked");
  g_assert_cmpuint (recorder.activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recorder.activated, 0), ==, expected_action);
  test_app_screenshot (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (row))), "row-reply.png");

  /* Not a reply: no quote. Recalled: only the recalled line. */
  timchat_message_row_bind (row, original, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (quote_of (row));
  timchat_message_row_bind (row, reply, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_nonnull (quote_of (row));
  _tim_message_set_revoked (reply, "me");
  test_app_wait_frame (GTK_WIDGET (row));
  g_assert_null (quote_of (row));

  /* A long original: the quote keeps to its width, the bubble does not stretch to the row. */
  json_object_set_string_member (long_payload, "text", long_text);
  _tim_message_set_payload (long_original, long_payload);
  g_assert_true (tim_message_set_reply_to (short_reply, long_original));
  timchat_message_row_bind (row, short_reply, NULL, FALSE, 120);
  test_app_wait_frame (GTK_WIDGET (row));
  quote = quote_of (row);
  g_assert_nonnull (quote);
  g_assert_cmpint (gtk_widget_get_width (quote), <, gtk_widget_get_width (GTK_WIDGET (row)) - 100);
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
  g_test_add_func ("/app/rows/mention-stands-out", test_mention_stands_out);
  g_test_add_func ("/app/rows/every-type", test_every_type);
  g_test_add_func ("/app/rows/image-sized-before-load", test_image_sized_before_load);
  g_test_add_func ("/app/rows/image-exif-orientation", test_image_exif_orientation);
  g_test_add_func ("/app/rows/rebind-same-message", test_rebind_same_message);
  g_test_add_func ("/app/rows/long-text-wraps", test_long_text_wraps);
  g_test_add_func ("/app/rows/day-separator-and-grouping", test_day_separator_and_grouping);
  g_test_add_func ("/app/rows/recalled", test_recalled);
  g_test_add_func ("/app/rows/failed-retry", test_failed_retry);
  g_test_add_func ("/app/rows/upload-progress", test_upload_progress);
  g_test_add_func ("/app/rows/recall-menu", test_recall_menu);
  g_test_add_func ("/app/rows/edit-menu", test_edit_menu);
  g_test_add_func ("/app/rows/reply-menu", test_reply_menu);
  g_test_add_func ("/app/rows/reply-quote", test_reply_quote);
  g_test_add_func ("/app/rows/edited-live", test_edited_live);
  g_test_add_func ("/app/rows/unbind", test_unbind);
  g_test_add_func ("/app/rows/screenshot", test_screenshot);
  g_test_add_func ("/app/rows/tooltips", test_tooltips);
  g_test_add_func ("/app/rows/few-widgets", test_few_widgets);
  g_test_add_func ("/app/rows/clock-zone", test_clock_zone);
  g_test_add_func ("/app/rows/notes", test_notes);
  status = g_test_run ();
  tim_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  g_ptr_array_unref (recorder.activated);
  return status;
}
