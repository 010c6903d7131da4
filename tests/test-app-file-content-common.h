/* test-app-file-content-common.h: what both of the file content's test programs
 * (tests/test-app-file-content.c and -save-as.c) use, kept once in
 * test-app-file-content-common.c. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"
#include "timchat-fixture.h"

G_BEGIN_DECLS

/* The real server, the test's directory and its Downloads folder (each program's main () makes
 * the first two, set_up_downloads () the third). */
extern TimchatFixture *fixture;
extern char *base_dir;
extern char *downloads;

/* The Downloads folder GLib reports, as xdg-user-dirs would configure it. */
void set_up_downloads (void);
/* size bytes of a pattern (not all the same). */
GBytes *file_bytes (gsize size);
/* bob's copy (URLs only) of a file alice sends him. */
TimMessage *received_file (TimClient *alice, TimClient *bob, const char *name, GBytes *content);

/* A default application for text files and folders, as a desktop would have one: it writes what
 * it was asked to open to opened.txt. GIO finds it through the user's mimeapps.list. */
extern char *opened_log;
void set_up_opener (void);

/* How many messages the app logged in the domain "timchat": a view with no window says its
 * errors so (_timchat_conversation_view_show_error ()). */
extern guint errors_said;
/* The log writer that counts them (each program's main () sets it). */
GLogWriterOutput count_errors_said (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                                    gpointer user_data);

G_END_DECLS
