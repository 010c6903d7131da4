/* timchat-first-frame.c: prints the time from process start to the first painted frame (see
 * timchat-first-frame.h); bench/bench-app reads it. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "timchat-first-frame.h"

/* Field 22 of /proc/self/stat: when the process started, in clock ticks since boot. The comm
 * field (2) may hold spaces, so count from the last ')'. -1 when it cannot be read. */
static double
process_start_ms (void)
{
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  const char *rest;
  long ticks = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (rest = strrchr (stat, ')')) == NULL || ticks <= 0)
    return -1;
  /* rest + 2 starts at field 3 (state): field 22 is the 20th from there. */
  fields = g_strsplit (rest + 2, " ", 21);
  if (g_strv_length (fields) < 21)
    return -1;
  return g_ascii_strtod (fields[19], NULL) * 1000.0 / ticks;
}

/* The main thread's CPU time: unlike the wall clock, hardly moved by other processes' load. */
static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

static double
boottime_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_BOOTTIME, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

/* TIMCHAT_REPORT_FIRST_FRAME=milestones also prints when start-up passes each milestone, to see
 * where the time before the first frame goes without a profiler's overhead. */
void
timchat_first_frame_mark (const char *milestone)
{
  static double start = -2;

  if (g_strcmp0 (g_getenv ("TIMCHAT_REPORT_FIRST_FRAME"), "milestones") != 0)
    return;
  if (start == -2)
    start = process_start_ms ();
  printf ("milestone %s %.1f cpu %.1f\n", milestone, boottime_ms () - start, thread_cpu_ms ());
  fflush (stdout);
}

static void
on_after_paint (GdkFrameClock *clock, GtkWindow *window)
{
  double start = process_start_ms ();
  GApplication *application;

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  timchat_first_frame_mark ("painted");
  g_signal_handlers_disconnect_by_func (clock, timchat_first_frame_mark, (gpointer) "layout");
  g_signal_handlers_disconnect_by_func (clock, timchat_first_frame_mark, (gpointer) "paint");
  if (start >= 0)
    printf ("first-frame-ms %.0f\n", boottime_ms () - start);
  else
    printf ("first-frame-ms unknown\n");
  fflush (stdout);
  if (g_getenv ("TIMCHAT_QUIT_AFTER_FIRST_FRAME") == NULL)
    return;
  application = g_application_get_default ();
  if (application != NULL)
    g_application_quit (application);
  else
    gtk_window_destroy (window);
}

static void
on_realize (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, on_realize, NULL);
  if (clock != NULL)
    {
      g_signal_connect_swapped (clock, "layout", G_CALLBACK (timchat_first_frame_mark),
                                (gpointer) "layout");
      g_signal_connect_swapped (clock, "paint", G_CALLBACK (timchat_first_frame_mark),
                                (gpointer) "paint");
      g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), widget);
    }
}

void
timchat_first_frame_watch (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (g_getenv ("TIMCHAT_REPORT_FIRST_FRAME") == NULL)
    return;
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize (GTK_WIDGET (window));
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
}
