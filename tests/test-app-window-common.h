/* test-app-window-common.h: what more than one of the window's test programs
 * (tests/test-app-window-*.c) use, kept once in test-app-window-common.c. */
#pragma once

#include <adwaita.h>

#include "timchat-window.h"

G_BEGIN_DECLS

/* For tim_test_wait_until: the window's stack (its "expect-stack" data) shows the page named by
 * its "expect" data. */
gboolean stack_shows (gpointer data);
/* The window's main stack. */
GtkStack *main_stack (TimchatWindow *window);
/* Waits (10 s) until the window's main stack shows page. */
void wait_page (TimchatWindow *window, const char *page);
/* The sidebar's list of conversations, or NULL. */
GtkListView *conversation_list_of (TimchatWindow *window);
/* For test_app_find_widget: a toast showing text (a string). */
gboolean is_toast_saying (GtkWidget *widget, gconstpointer text);
/* The close button of the toast saying text, once it is shown, checked for its name. */
GtkWidget *named_close_button (TimchatWindow *window, const char *text);

G_END_DECLS
