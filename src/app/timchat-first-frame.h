/* timchat-first-frame.h: start-up measurement. With TIMCHAT_REPORT_FIRST_FRAME set, the first
 * frame a window paints prints "first-frame-ms N" on stdout: milliseconds since the process
 * started (its start time in /proc/self/stat against CLOCK_BOOTTIME, 10 ms resolution). With
 * TIMCHAT_QUIT_AFTER_FIRST_FRAME set too, the application quits right after that frame. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Does nothing unless TIMCHAT_REPORT_FIRST_FRAME is set; call it before the window is shown. */
void timchat_first_frame_watch (GtkWindow *window);
void timchat_first_frame_mark (const char *milestone);

G_END_DECLS
