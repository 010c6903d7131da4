/* test-app-rows-layout.c: where a TimchatMessageRow puts its parts: day separators and sender
 * grouping (left to right and right to left), a mention of the user standing out, a row bound
 * again to its message keeping its content, long texts wrapping at any window width, the few
 * widgets a row makes and the notes above it, the cached time zone, and unbinding. Separate from
 * the rows' other programs (test-app-rows-*.c): the layout and life of a row, not its content. */
#define G_LOG_DOMAIN "test-app-rows-layout"

#include "config.h"

#include <math.h>

#include <adwaita.h>

#include "tim-message-private.h"
#include "test-app-rows-common.h"
#include "test-app-util.h"
#include "timchat-format.h"
#include "timchat-message-row.h"

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

int
main (int argc, char **argv)
{
  int status;

  /* What AdwApplication does for the app: our style.css from the resource base path. */
  test_app_init (&argc, &argv, TRUE);
  recorder.activated = g_ptr_array_new_with_free_func (g_free);
  g_test_add_func ("/app/rows/mention-stands-out", test_mention_stands_out);
  g_test_add_func ("/app/rows/rebind-same-message", test_rebind_same_message);
  g_test_add_func ("/app/rows/long-text-wraps", test_long_text_wraps);
  g_test_add_func ("/app/rows/day-separator-and-grouping", test_day_separator_and_grouping);
  g_test_add_func ("/app/rows/unbind", test_unbind);
  g_test_add_func ("/app/rows/few-widgets", test_few_widgets);
  g_test_add_func ("/app/rows/clock-zone", test_clock_zone);
  g_test_add_func ("/app/rows/notes", test_notes);
  status = g_test_run ();
  g_ptr_array_unref (recorder.activated);
  return status;
}
