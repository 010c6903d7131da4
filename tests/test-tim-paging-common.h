/* test-tim-paging-common.h: what more than one of the paging test programs
 * (tests/test-tim-paging*.c) use, kept once in test-tim-paging-common.c. */
#pragma once

#include "tim-client.h"
#include "timchat-fixture.h"
#include "timchat-test-client.h"

G_BEGIN_DECLS

/* The real server, and the test's directory (each program's main () makes both). */
extern TimchatFixture *fixture;
extern char *base_dir;

/* A GAsyncReadyCallback of tim_message_list_load_older_async (): asserts the page loaded and sets
 * the gboolean user_data. */
void on_loaded (GObject *source, GAsyncResult *result, gpointer user_data);
/* A new client of user (an account from now) that has received text from `from`, each message it
 * receives added to received. */
TimClient *client_with_message (TimchatTestClient *from, const char *user, const char *text,
                                GPtrArray *received);
/* The texts of list, oldest first, as "a;b;". */
char *list_texts (gpointer data);

G_END_DECLS
