/* test-app-view-common.c: the helpers that more than one of the conversation view's test
 * programs (tests/test-app-view-*.c) use: the view in a window, its rows on screen, waiting for
 * its messages, its layout and the unread count. */
#define G_LOG_DOMAIN "test-app-view-common"

#include "config.h"

#include <adwaita.h>

#include "test-app-view-common.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"

void
wait_unread (TimClient *client, const char *conversation_id, guint unread)
{
  TimConversationList *list = tim_client_get_conversations (client);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  TimConversation *conversation;

  while ((conversation = tim_conversation_list_lookup (list, conversation_id)) == NULL ||
         tim_conversation_get_unread_count (conversation) != unread)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
    }
}

GtkWindow *
show_view (TimchatConversationView *view)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 480, 520);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  return window;
}

/* The on-screen top and bottom of the row showing message_id, relative to the scrolled window. */
gboolean
row_span (TimchatConversationView *view, const char *message_id, double *y, double *bottom)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, view->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      TimMessage *message = gtk_list_item_get_item (item);
      GtkWidget *child = gtk_list_item_get_child (item);
      graphene_point_t point;

      if (message == NULL || g_strcmp0 (tim_message_get_id (message), message_id) != 0)
        continue;
      if (!gtk_widget_get_mapped (child) ||
          !gtk_widget_compute_point (child, GTK_WIDGET (view->scroller),
                                     &GRAPHENE_POINT_INIT (0, 0), &point))
        return FALSE;
      *y = point.y;
      if (bottom != NULL)
        *bottom = point.y + gtk_widget_get_height (child);
      return TRUE;
    }
  return FALSE;
}

/* Entirely inside the scrolled window's viewport. */
gboolean
row_visible (TimchatConversationView *view, const char *message_id)
{
  double y, bottom;

  return row_span (view, message_id, &y, &bottom) && y >= -1 &&
         bottom <= gtk_widget_get_height (GTK_WIDGET (view->scroller)) + 1;
}

TimMessage *
nth (TimchatConversationView *view, int index)
{
  GListModel *model = G_LIST_MODEL (view->messages);
  guint n = g_list_model_get_n_items (model);
  TimMessage *message = g_list_model_get_item (model, index >= 0 ? (guint) index : n + index);

  g_object_unref (message); /* the model keeps it */
  return message;
}

gboolean
nth_visible (TimchatConversationView *view, int index)
{
  return row_visible (view, tim_message_get_id (nth (view, index)));
}

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
settled (gpointer data)
{
  TimchatConversationView *view = data;

  return view->pin_tick == 0 && !view->loading_older;
}

/* No pinning or loading going on, then a few frames for the layout to follow. */
void
wait_settled (TimchatConversationView *view)
{
  guint frames = 0, tick;

  g_assert_true (tim_test_wait_until (settled, view, 10000));
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (view), count_frame, &frames, NULL);
  while (frames < 4)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (GTK_WIDGET (view), tick);
}

void
wait_newest_visible (TimchatConversationView *view)
{
  wait_settled (view);
  g_assert_true (nth_visible (view, -1));
}

void
wait_items (TimchatConversationView *view, guint want)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (G_LIST_MODEL (view->messages)) < want)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
    }
}
