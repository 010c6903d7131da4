/* test-app-group-dialog-common.h: what more than one of the group dialog's test programs
 * (tests/test-app-group-dialog-*.c) use, kept once in test-app-group-dialog-common.c. */
#pragma once

#include <gtk/gtk.h>

#include "tim-client.h"
#include "timchat-fixture.h"

G_BEGIN_DECLS

/* The real server, and the test's directory (each program's main () makes both). */
extern TimchatFixture *fixture;
extern char *base_dir;

/* Waits until the dialog's member lines, joined by "; ", are want. */
void wait_lines (GtkWidget *dialog, const char *want);
/* A client of user, an account imported with nick first. */
TimClient *client_with_nick (const char *user, const char *nick);
/* Whether the member's "…" button named tooltip offers action, in a section of its menu too. */
gboolean offers (GtkWidget *dialog, const char *tooltip, const char *action);
/* For tim_test_wait_until: the dialog shows its Add Members button. */
gboolean add_members_shown (gpointer dialog);

G_END_DECLS
