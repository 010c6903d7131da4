/* timchat-message-content.c: picks the content widget for a message. The small kinds are plain
 * labels built here; media kinds have their own classes. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-text.h"
#include "timchat-audio-content.h"
#include "timchat-emoji-picker.h"
#include "timchat-file-content.h"
#include "timchat-format.h"
#include "timchat-media-picture.h"
#include "timchat-message-content.h"
#include "timchat-video-content.h"

#define MAX_IMAGE_SIZE 320

char *
timchat_message_content_dup_shown_text (const char *text, gboolean *only_emoji)
{
  g_autoptr (GPtrArray) segments = tim_text_parse (text != NULL ? text : "");
  GString *shown = g_string_new (NULL);
  guint emoji = 0;

  for (guint i = 0; i < segments->len; i++)
    {
      TimTextSegment *segment = g_ptr_array_index (segments, i);

      emoji += segment->kind == TIM_TEXT_SEGMENT_EMOJI;
      g_string_append (shown,
                       segment->kind == TIM_TEXT_SEGMENT_EMOJI ? segment->emoji : segment->text);
    }
  if (only_emoji != NULL)
    *only_emoji = emoji > 0 && emoji == segments->len;
  return g_string_free (shown, FALSE);
}

#define TOOLTIP_KEY "timchat-tooltip"

static gboolean
query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY);

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
timchat_message_content_set_tooltip (GtkWidget *widget, const char *text)
{
  const char *old = g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY);

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text == NULL)
    text = "";
  if (old != NULL && g_str_equal (old, text))
    return;
  if (old == NULL)
    g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_object_set_data_full (G_OBJECT (widget), TOOLTIP_KEY, g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, *text != '\0');
  if (*text != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

const char *
timchat_message_content_get_tooltip (GtkWidget *widget)
{
  const char *text = g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY);

  return text != NULL && *text != '\0' ? text : NULL;
}

const char *
timchat_message_content_die_face (const char *value)
{
  static const char *const faces[] = { "⚀", "⚁", "⚂", "⚃", "⚄", "⚅" };

  if (value != NULL && value[0] >= '1' && value[0] <= '6' && value[1] == '\0')
    return faces[value[0] - '1'];
  return NULL;
}

/* A wrapping GtkLabel (4.8) finds its minimum width by laying its text out at width 0, one
 * character a line, shaping what is left again at every break: for a chat message that was most
 * of the time a row takes to measure (~2 ms a row while opening a conversation). With width-chars
 * the minimum is laid out at that many characters instead. width-chars also raises the natural
 * width to that many characters, so it is set only on texts far longer than that, whose natural
 * width is already wider: short messages keep bubbles as narrow as their text. */
#define MIN_WIDTH_CHARS 16

static void
set_cheap_minimum (GtkLabel *label, const char *text)
{
  if (text != NULL && g_utf8_strlen (text, 4 * MIN_WIDTH_CHARS) > 2 * MIN_WIDTH_CHARS)
    gtk_label_set_width_chars (label, MIN_WIDTH_CHARS);
}

static GtkWidget *
label_new (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  set_cheap_minimum (GTK_LABEL (label), text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
text_new (TimMessage *message)
{
  gboolean only_emoji = FALSE;
  g_autofree char *shown =
      timchat_message_content_dup_shown_text (tim_message_get_text (message), &only_emoji);
  /* Plain text unless it has links: markup of only the escaped text cost each row its parse. */
  g_autofree char *linked = timchat_link_markup (shown);
  GtkWidget *label = label_new (shown, only_emoji ? "emoji-large" : "message-text");

  if (linked != NULL)
    gtk_label_set_markup (GTK_LABEL (label), linked);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

static void
unref_data (gpointer data, GClosure *closure)
{
  g_object_unref (data);
}

static void
image_released_cb (GtkGestureClick *gesture, int n_press, double x, double y, TimMessage *message)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_activate_action (widget, "conversation.view-image", "s", tim_message_get_id (message));
}

/* Sized from the thumbnail (or the local file's size before the upload). */
static GtkWidget *
image_new (TimMessage *message)
{
  int width = 0, height = 0;
  const char *url = tim_message_get_image (message, TIM_IMAGE_THUMBNAIL, &width, &height);
  GtkWidget *picture;
  GtkGesture *click;

  if (url == NULL)
    url = tim_message_get_image (message, TIM_IMAGE_ORIGINAL, &width, &height);
  picture = timchat_media_picture_new (width, height, MAX_IMAGE_SIZE);
  timchat_media_picture_load (TIMCHAT_MEDIA_PICTURE (picture), tim_message_get_local_file (message),
                              url);
  gtk_widget_set_cursor_from_name (picture, "pointer");
  timchat_message_content_set_tooltip (picture, _ ("View image"));
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_data (click, "released", G_CALLBACK (image_released_cb), g_object_ref (message),
                         unref_data, 0);
  gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (click));
  return picture;
}

static void
history_released_cb (GtkGestureClick *gesture, int n_press, double x, double y, TimMessage *message)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  const char *id = tim_message_get_id (message);

  gtk_widget_activate_action (widget, "conversation.view-history", "s", id != NULL ? id : "");
}

/* A merged message: a card with the history's title, its first lines and "Chat History" under a
 * line, opened (timchat-merger-viewer.c) by a click, Enter or a double click on the message. */
static GtkWidget *
history_new (TimMessage *message)
{
  const char *title = tim_message_get_title (message);
  /* Its first lines, as shown before it is opened. */
  g_auto (GStrv) abstracts = tim_message_dup_abstracts (message);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *heading, *footer;
  g_autofree char *name = NULL;
  GtkGesture *click;

  if (title == NULL || *title == '\0')
    title = _ ("Chat History");
  gtk_widget_add_css_class (card, "history-card");
  heading = label_new (title, "heading");
  gtk_label_set_wrap (GTK_LABEL (heading), FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (heading), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_bottom (heading, 2);
  gtk_box_append (GTK_BOX (card), heading);
  for (guint i = 0; abstracts != NULL && abstracts[i] != NULL && i < 3; i++)
    {
      GtkWidget *line = label_new (abstracts[i], "dim-label");

      gtk_label_set_wrap (GTK_LABEL (line), FALSE);
      gtk_label_set_single_line_mode (GTK_LABEL (line), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (line), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (line, "history-abstract");
      gtk_box_append (GTK_BOX (card), line);
    }
  gtk_box_append (GTK_BOX (card), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  footer = label_new (_ ("Chat History"), "caption");
  gtk_widget_add_css_class (footer, "dim-label");
  gtk_box_append (GTK_BOX (card), footer);

  /* Translators: what a screen reader says for a forwarded chat history; %s is its title. */
  name = g_strdup_printf (_ ("Chat history: %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_cursor_from_name (card, "pointer");
  timchat_message_content_set_tooltip (card, _ ("Open chat history"));
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_data (click, "released", G_CALLBACK (history_released_cb),
                         g_object_ref (message), unref_data, 0);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (click));
  return card;
}

static GtkWidget *
custom_new (TimMessage *message)
{
  const char *data = tim_message_get_custom_data (message);
  const char *description = tim_message_get_description (message);
  const char *face = timchat_message_content_die_face (description);
  GtkWidget *box;

  if (data == NULL)
    data = "";
  if (description == NULL)
    description = "";
  if (g_strcmp0 (data, "dice") == 0 && face != NULL)
    {
      GtkWidget *label = label_new (face, "die-face");

      timchat_message_content_set_tooltip (label, description);
      return label;
    }
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  if (*description != '\0')
    gtk_box_append (GTK_BOX (box), label_new (description, "heading"));
  gtk_box_append (GTK_BOX (box), label_new (data, "monospace"));
  return box;
}

/* One of the emoji picker's stickers (its data the picker's for its index) is drawn as the picker
 * shows it; a face from elsewhere as the emoji its index names in the [Grin] table. */
static GtkWidget *
face_new (TimMessage *message)
{
  const char *const *tokens = tim_text_emoji_tokens ();
  gint64 index = tim_message_get_face_index (message);
  const char *sticker =
      index >= 0 && index <= G_MAXINT ? timchat_emoji_picker_sticker_emoji ((int) index) : NULL;
  g_autofree char *sticker_data =
      sticker != NULL ? timchat_emoji_picker_sticker_data ((int) index) : NULL;
  /* The index is whatever integer the sender put on the wire. Its magnitude taken unsigned:
   * ABS (G_MININT64) overflows and stays negative, and the remainder of a negative number is
   * negative too, an index before the table's start. */
  guint64 magnitude = index < 0 ? -(guint64) index : (guint64) index;
  guint n = g_strv_length ((char **) tokens);
  const char *emoji = n > 0 ? tim_text_emoji_for_token (tokens[magnitude % n]) : "?";

  if (sticker != NULL && g_strcmp0 (tim_message_get_face_data (message), sticker_data) == 0)
    emoji = sticker;
  return label_new (emoji, "emoji-large");
}

static GtkWidget *
location_new (TimMessage *message)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name ("mark-location-symbolic");
  const char *description = tim_message_get_description (message);
  double latitude, longitude;
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *coordinates = NULL;

  tim_message_get_location (message, &latitude, &longitude);
  g_ascii_formatd (lat, sizeof lat, "%.5f", latitude);
  g_ascii_formatd (lon, sizeof lon, "%.5f", longitude);
  coordinates = g_strdup_printf ("%s, %s", lat, lon);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_box_append (GTK_BOX (text), label_new (description != NULL ? description : "", "heading"));
  gtk_box_append (GTK_BOX (text), label_new (coordinates, "caption"));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

GtkWidget *
timchat_message_content_new (TimMessage *message)
{
  switch (tim_message_get_elem_type (message))
    {
    case TIM_ELEM_TEXT:
      return text_new (message);
    case TIM_ELEM_IMAGE:
      return image_new (message);
    case TIM_ELEM_VIDEO:
      return timchat_video_content_new (message);
    case TIM_ELEM_SOUND:
      return timchat_audio_content_new (message);
    case TIM_ELEM_FILE:
      return timchat_file_content_new (message);
    case TIM_ELEM_CUSTOM:
      return custom_new (message);
    case TIM_ELEM_FACE:
      return face_new (message);
    case TIM_ELEM_LOCATION:
      return location_new (message);
    case TIM_ELEM_RELAY:
      return history_new (message);
    case TIM_ELEM_GROUP_TIP:
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
    case TIM_ELEM_UNKNOWN:
    default:
      {
        g_autofree char *show = tim_message_dup_summary (message);

        return label_new (show != NULL && *show != '\0' ? show : _ ("Unsupported message"),
                          "dim-label");
      }
    }
}
