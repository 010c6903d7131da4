/* bench-bare-window.h: the first frame's baseline window (bench-bare-window.c). */
#pragma once

/* Shows a GtkWindow with a label, reports its first frame (TIMCHAT_REPORT_FIRST_FRAME) and runs
 * until it is closed (TIMCHAT_QUIT_AFTER_FIRST_FRAME closes it after that frame). */
int bench_bare_window (void);
