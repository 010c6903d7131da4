/* timchat-message-content.c: picks the content widget for a message. The small kinds are plain
 * labels built here; media kinds have their own classes. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-text.h"
#include "timchat-audio-content.h"
#include "timchat-file-content.h"
#include "timchat-media-picture.h"
#include "timchat-message-content.h"
#include "timchat-video-content.h"

#define MAX_IMAGE_SIZE 320
/* Type 1 in imageInfoArray: the thumbnail (198 px on the short side). */
#define IMAGE_TYPE_THUMBNAIL 1

char *
timchat_message_content_text_markup (const char *text, gboolean *only_emoji)
{
  g_autoptr (GPtrArray) segments = tim_text_parse (text != NULL ? text : "");
  GString *markup = g_string_new (NULL);
  guint emoji = 0;

  for (guint i = 0; i < segments->len; i++)
    {
      TimTextSegment *segment = g_ptr_array_index (segments, i);
      const char *shown = segment->kind == TIM_TEXT_SEGMENT_EMOJI ? segment->emoji : segment->text;
      g_autofree char *escaped = g_markup_escape_text (shown, -1);

      emoji += segment->kind == TIM_TEXT_SEGMENT_EMOJI;
      g_string_append (markup, escaped);
    }
  if (only_emoji != NULL)
    *only_emoji = emoji > 0 && emoji == segments->len;
  return g_string_free (markup, FALSE);
}

const char *
timchat_message_content_die_face (const char *value)
{
  static const char *const faces[] = { "⚀", "⚁", "⚂", "⚃", "⚄", "⚅" };

  if (value != NULL && value[0] >= '1' && value[0] <= '6' && value[1] == '\0')
    return faces[value[0] - '1'];
  return NULL;
}

static GtkWidget *
label_new (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

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
  g_autofree char *markup =
      timchat_message_content_text_markup (tim_message_get_text (message), &only_emoji);
  GtkWidget *label = label_new (NULL, only_emoji ? "emoji-large" : "message-text");

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

/* The payload's imageInfoArray, NULL when missing or not an array. */
static JsonArray *
image_infos (JsonObject *payload)
{
  JsonNode *node = json_object_get_member (payload, "imageInfoArray");

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
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

/* Sized from the thumbnail entry (or the local file's "width"/"height" before the upload). */
static GtkWidget *
image_new (TimMessage *message)
{
  JsonObject *payload = tim_message_get_payload (message);
  JsonArray *infos = image_infos (payload);
  int width = json_object_get_int_member_with_default (payload, "width", 0);
  int height = json_object_get_int_member_with_default (payload, "height", 0);
  const char *url = NULL;
  GtkWidget *picture;
  GtkGesture *click;

  for (guint i = 0; infos != NULL && i < json_array_get_length (infos); i++)
    {
      JsonObject *info = json_array_get_object_element (infos, i);

      if (info == NULL)
        continue;
      if (json_object_get_int_member_with_default (info, "type", -1) == IMAGE_TYPE_THUMBNAIL ||
          url == NULL)
        {
          width = json_object_get_int_member_with_default (info, "width", width);
          height = json_object_get_int_member_with_default (info, "height", height);
          url = json_object_get_string_member_with_default (
              info, "imageUrl", json_object_get_string_member_with_default (info, "url", NULL));
        }
    }
  picture = timchat_media_picture_new (width, height, MAX_IMAGE_SIZE);
  timchat_media_picture_load (TIMCHAT_MEDIA_PICTURE (picture), tim_message_get_local_file (message),
                              url);
  gtk_widget_set_cursor_from_name (picture, "pointer");
  gtk_widget_set_tooltip_text (picture, _ ("View image"));
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_data (click, "released", G_CALLBACK (image_released_cb), g_object_ref (message),
                         unref_data, 0);
  gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (click));
  return picture;
}

static GtkWidget *
custom_new (JsonObject *payload)
{
  const char *data = json_object_get_string_member_with_default (payload, "data", "");
  const char *description = json_object_get_string_member_with_default (payload, "description", "");
  const char *face = timchat_message_content_die_face (description);
  GtkWidget *box;

  if (g_strcmp0 (data, "dice") == 0 && face != NULL)
    {
      GtkWidget *label = label_new (face, "die-face");

      gtk_widget_set_tooltip_text (label, description);
      return label;
    }
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  if (*description != '\0')
    gtk_box_append (GTK_BOX (box), label_new (description, "heading"));
  gtk_box_append (GTK_BOX (box), label_new (data, "monospace"));
  return box;
}

static GtkWidget *
face_new (JsonObject *payload)
{
  const char *const *tokens = tim_text_emoji_tokens ();
  gint64 index = json_object_get_int_member_with_default (payload, "index", 0);
  guint n = g_strv_length ((char **) tokens);
  const char *emoji = n > 0 ? tim_text_emoji_for_token (tokens[ABS (index) % n]) : "?";

  return label_new (emoji, "emoji-large");
}

static GtkWidget *
location_new (JsonObject *payload)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name ("mark-location-symbolic");
  double latitude = json_object_get_double_member_with_default (payload, "latitude", 0);
  double longitude = json_object_get_double_member_with_default (payload, "longitude", 0);
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *coordinates = NULL;

  g_ascii_formatd (lat, sizeof lat, "%.5f", latitude);
  g_ascii_formatd (lon, sizeof lon, "%.5f", longitude);
  coordinates = g_strdup_printf ("%s, %s", lat, lon);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_box_append (GTK_BOX (text), label_new (json_object_get_string_member_with_default (
                                                 payload, "description", ""),
                                             "heading"));
  gtk_box_append (GTK_BOX (text), label_new (coordinates, "caption"));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

GtkWidget *
timchat_message_content_new (TimMessage *message)
{
  JsonObject *payload = tim_message_get_payload (message);

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
      return custom_new (payload);
    case TIM_ELEM_FACE:
      return face_new (payload);
    case TIM_ELEM_LOCATION:
      return location_new (payload);
    case TIM_ELEM_RELAY:
      return label_new (
          json_object_get_string_member_with_default (payload, "title", _ ("Chat history")),
          "heading");
    case TIM_ELEM_GROUP_TIP:
    case TIM_ELEM_GROUP_SYSTEM_NOTICE:
    case TIM_ELEM_UNKNOWN:
    default:
      {
        g_autofree char *show = tim_message_dup_message_for_show (message);

        return label_new (show != NULL && *show != '\0' ? show : _ ("Unsupported message"),
                          "dim-label");
      }
    }
}
