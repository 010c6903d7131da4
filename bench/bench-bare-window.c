/* bench-bare-window.c: the baseline of bench-app's first frame: a GtkWindow with a label and
 * nothing else, in a program that links GTK only (bench-app itself links everything the app
 * does). It prints its first frame the way the app does (src/app/timchat-first-frame.c, compiled
 * in) when run with TIMCHAT_REPORT_FIRST_FRAME and TIMCHAT_QUIT_AFTER_FIRST_FRAME. */
#include "config.h"

#include <gtk/gtk.h>

#include "bench-bare-window.h"
#include "timchat-first-frame.h"

#define WINDOW_WIDTH 960
#define WINDOW_HEIGHT 640

int
bench_bare_window (void)
{
  GtkWidget *window;

  gtk_init ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("A bare GTK window"));
  timchat_first_frame_watch (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

/* bench-app compiles this file too, for its --bare-window mode, without this main. */
#ifndef BENCH_BARE_WINDOW_NO_MAIN
int
main (void)
{
  return bench_bare_window ();
}
#endif
