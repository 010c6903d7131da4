/* test-app-rows-common.c: the helpers that more than one of TimchatMessageRow's test programs
 * (tests/test-app-rows-*.c) use: a row bound to a message in a shown window with a recording
 * "conversation" action group, finding its shown labels, buttons and widgets, and making messages.
 */
#define G_LOG_DOMAIN "test-app-rows-common"

#include "config.h"

#include <adwaita.h>

#include "tim-message-private.h"
#include "test-app-rows-common.h"
#include "test-app-util.h"
#include "timchat-message-row.h"

Recorder recorder;

static void
record_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_ptr_array_add (recorder.activated,
                   g_strdup_printf ("%s:%s", g_action_get_name (G_ACTION (action)),
                                    g_variant_get_string (parameter, NULL)));
}

GtkWidget *
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
TimchatMessageRow *
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

void
close_row (TimchatMessageRow *row)
{
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (row))));
}

/* Visible: the widget and every ancestor up to the row. */
gboolean
shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
      return FALSE;
  return TRUE;
}

void
collect (GtkWidget *widget, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && shown (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

GtkWidget *
find_type (gpointer root, GType type)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (root), type, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* A shown label whose text is text (or contains it when partial). */
GtkLabel *
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

GtkWidget *
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

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_node_dup_object (node);
}

/* Own messages come from "me"; others from "bob" (nick "Bob"). */
TimMessage *
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

gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
