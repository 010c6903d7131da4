/* test-app-window-common.c: the helpers that more than one of the window's test programs
 * (tests/test-app-window-*.c) use: the main stack's page, the sidebar's conversation list and the
 * toasts' close buttons. */
#define G_LOG_DOMAIN "test-app-window-common"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "test-app-window-common.h"
#include "tim-test-util.h"

gboolean
stack_shows (gpointer data)
{
  GtkWidget *window = data;
  GtkStack *stack = GTK_STACK (g_object_get_data (G_OBJECT (window), "expect-stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack),
                    g_object_get_data (G_OBJECT (window), "expect")) == 0;
}

/* The window's main stack is the toast overlay's child. */
GtkStack *
main_stack (TimchatWindow *window)
{
  GtkWidget *overlay = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));

  return GTK_STACK (adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay)));
}

void
wait_page (TimchatWindow *window, const char *page)
{
  g_object_set_data (G_OBJECT (window), "expect-stack", main_stack (window));
  g_object_set_data_full (G_OBJECT (window), "expect", g_strdup (page), g_free);
  g_assert_true (tim_test_wait_until (stack_shows, window, 10000));
}

/* The sidebar's list of conversations (not the folder drop-down's list, say). */
static gboolean
is_conversation_list (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "navigation-sidebar");
}

GtkListView *
conversation_list_of (TimchatWindow *window)
{
  return GTK_LIST_VIEW (test_app_find_widget (GTK_WIDGET (window), is_conversation_list, NULL));
}

gboolean
is_toast_saying (GtkWidget *widget, gconstpointer text)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget") &&
         test_app_find_widget (widget, test_app_has_text, text) != NULL;
}

static gboolean
is_icon_button (GtkWidget *widget, gconstpointer icon)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0;
}

/* The close button of the toast saying text, once it is shown, checked for its name ("Dismiss"
 * to a screen reader, not just "button"). */
GtkWidget *
named_close_button (TimchatWindow *window, const char *text)
{
  GtkWidget *toast = NULL;
  GtkWidget *close = NULL;
  g_autofree char *wrong = NULL;

  g_assert_true (test_app_wait_text (GTK_WIDGET (window), text, 5000));
  toast = test_app_find_widget (GTK_WIDGET (window), is_toast_saying, text);
  g_assert_nonnull (toast);
  close = test_app_find_widget (toast, is_icon_button, "window-close-symbolic");
  g_assert_nonnull (close);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Dismiss");
  g_assert_null (wrong);
  /* Shown a while, as to the person who clicks it: libadwaita 1.2 frees a toast dismissed
   * before its first frame and then uses it (a crash under MALLOC_PERTURB_ when the next one
   * goes; only in these tests: a person cannot click what is not drawn yet). */
  test_app_iterate (300);
  return close;
}
